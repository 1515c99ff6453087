/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The digest thread (see digest-behind.h). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "digest-behind.h"

struct digest_behind {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct digest *d;
	const uint8_t *base;
	size_t len;
	size_t ready;	/* under lock: bytes the writer has put in place */
	bool stop;	/* under lock: the writer gave up */
	int rc;		/* the thread's result, read after join */
};

/* Returns what can be digested next, or 0 when done or stopped. */
static size_t wait_for_data(struct digest_behind *b, size_t done)
{
	size_t ready;

	pthread_mutex_lock(&b->lock);
	while (b->ready == done && done < b->len && !b->stop)
		pthread_cond_wait(&b->more, &b->lock);
	ready = b->stop ? done : b->ready;
	pthread_mutex_unlock(&b->lock);
	return ready - done;
}

static void *run(void *arg)
{
	struct digest_behind *b = arg;
	size_t done = 0, n;

	while (b->rc == 0 && (n = wait_for_data(b, done)) > 0) {
		b->rc = digest_update(b->d, b->base + done, n);
		done += n;
	}
	return NULL;
}

struct digest_behind *digest_behind_start(struct digest *d, const uint8_t *base, size_t len)
{
	struct digest_behind *b;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	*b = (struct digest_behind){ .d = d, .base = base, .len = len };
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->more, NULL);
	if (pthread_create(&b->thread, NULL, run, b) != 0) {
		pthread_cond_destroy(&b->more);
		pthread_mutex_destroy(&b->lock);
		free(b);
		return NULL;
	}
	return b;
}

void digest_behind_ready(struct digest_behind *b, size_t upto)
{
	pthread_mutex_lock(&b->lock);
	b->ready = upto;
	pthread_cond_signal(&b->more);
	pthread_mutex_unlock(&b->lock);
}

int digest_behind_finish(struct digest_behind *b, bool abandon)
{
	int rc;

	if (abandon) {
		pthread_mutex_lock(&b->lock);
		b->stop = true;
		pthread_cond_signal(&b->more);
		pthread_mutex_unlock(&b->lock);
	}
	pthread_join(b->thread, NULL);
	rc = b->rc;
	pthread_cond_destroy(&b->more);
	pthread_mutex_destroy(&b->lock);
	free(b);
	return rc;
}
