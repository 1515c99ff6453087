/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The two-level image digest, its leaves on worker threads (see
 * leaf-digest.h). */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "leaf-digest.h"
#include "purgatory-abi.h"
#include "util.h"

#define LEAF PURGATORY_LEAF_SIZE
/* More threads than this only contend for memory bandwidth. */
#define MAX_WORKERS 8
/* Below this a thread costs more than it overlaps. */
#define WORKERS_MIN_LEN (4 * (size_t)LEAF)
#define NO_LEAF ((size_t)-1)

struct leaf_digest;

struct worker {
	struct leaf_digest *t;
	struct digest *d;	/* made on first use, kept for later regions */
	pthread_t thread;
};

struct leaf_digest {
	struct digest *top;	/* over the leaves' digests */
	struct digest *own;	/* the writer's, when it digests leaves itself */
	struct worker w[MAX_WORKERS];
	unsigned nworkers;	/* running for the open region; 0: inline */
	bool open, broken;

	/* The open region; fixed while workers run. */
	const uint8_t *base;
	size_t len, nleaves;
	uint8_t (*leaf)[DIGEST_SIZE];
	size_t fed;		/* inline: bytes given to own */

	pthread_mutex_t lock;
	pthread_cond_t more;
	size_t ready;		/* under lock: bytes in place */
	size_t next;		/* under lock: first leaf no worker took */
	bool stop;		/* under lock: the writer gave up */
	int rc;			/* under lock: -1 once a digest failed */
};

static size_t leaf_end(const struct leaf_digest *t, size_t i)
{
	size_t end = (i + 1) * (size_t)LEAF;

	return end < t->len ? end : t->len;
}

static int digest_leaf(struct digest *d, const uint8_t *p, size_t n, uint8_t out[DIGEST_SIZE])
{
	if (digest_restart(d) < 0 || digest_update(d, p, n) < 0)
		return -1;
	return digest_final(d, out);
}

static unsigned online_cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

struct leaf_digest *leaf_digest_new(void)
{
	struct leaf_digest *t = calloc(1, sizeof(*t));

	if (!t) {
		kx_error("out of memory for the image digest");
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->more, NULL);
	t->top = digest_new();
	t->own = t->top ? digest_new() : NULL;
	if (!t->own) {
		leaf_digest_free(t);
		return NULL;
	}
	return t;
}

/* ---------------------------------------------------------------- workers */

/* The next complete leaf nobody took, or NO_LEAF when there is none left
 * or the region is being given up. */
static size_t claim(struct leaf_digest *t)
{
	size_t i = NO_LEAF;

	pthread_mutex_lock(&t->lock);
	while (!t->stop && t->rc == 0 && t->next < t->nleaves && leaf_end(t, t->next) > t->ready)
		pthread_cond_wait(&t->more, &t->lock);
	if (!t->stop && t->rc == 0 && t->next < t->nleaves)
		i = t->next++;
	pthread_mutex_unlock(&t->lock);
	return i;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct leaf_digest *t = w->t;
	size_t i;

	while ((i = claim(t)) != NO_LEAF)
		if (digest_leaf(w->d, t->base + i * (size_t)LEAF, leaf_end(t, i) - i * (size_t)LEAF,
				t->leaf[i]) < 0) {
			pthread_mutex_lock(&t->lock);
			t->rc = -1;
			pthread_cond_broadcast(&t->more);
			pthread_mutex_unlock(&t->lock);
			break;
		}
	return NULL;
}

static unsigned workers_wanted(const struct leaf_digest *t)
{
	unsigned n = online_cpus();

	if (t->len < WORKERS_MIN_LEN || n < 2)
		return 0;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return n < t->nleaves ? n : (unsigned)t->nleaves;
}

/* Start what workers can be had; none is not an error (the writer then
 * digests inline), a digest context that cannot be made is. */
static int start_workers(struct leaf_digest *t)
{
	unsigned want = workers_wanted(t);

	for (unsigned k = 0; k < want; k++) {
		struct worker *w = &t->w[k];

		if (!w->d && !(w->d = digest_new()))
			return -1;
		w->t = t;
		if (pthread_create(&w->thread, NULL, work, w) != 0)
			break;
		t->nworkers++;
	}
	return 0;
}

static void stop_workers(struct leaf_digest *t, bool abandon)
{
	if (abandon) {
		pthread_mutex_lock(&t->lock);
		t->stop = true;
		pthread_cond_broadcast(&t->more);
		pthread_mutex_unlock(&t->lock);
	}
	for (unsigned k = 0; k < t->nworkers; k++)
		pthread_join(t->w[k].thread, NULL);
	t->nworkers = 0;
}

/* ---------------------------------------------------------------- regions */

int leaf_region_begin(struct leaf_digest *t, const uint8_t *base, size_t len)
{
	if (t->open || t->broken) {
		kx_error("internal: image digest: a region begun %s",
			 t->open ? "inside another" : "after a failed one");
		return -1;
	}
	t->nleaves = len / LEAF + (len % LEAF != 0);
	t->leaf = calloc(t->nleaves ? t->nleaves : 1, DIGEST_SIZE);
	if (!t->leaf) {
		kx_error("out of memory for the image digest's %zu leaves", t->nleaves);
		return -1;
	}
	t->base = base;
	t->len = len;
	t->fed = t->ready = t->next = 0;
	t->stop = false;
	t->rc = 0;
	t->open = true;
	if (start_workers(t) < 0) {
		(void)leaf_region_end(t, true);
		return -1;
	}
	return 0;
}

/* The writer digests what arrived, finishing each leaf it completes. */
static int feed(struct leaf_digest *t, size_t upto)
{
	while (t->fed < upto) {
		size_t i = t->fed / LEAF, end = leaf_end(t, i);
		size_t n = (upto < end ? upto : end) - t->fed;

		if (t->fed == i * (size_t)LEAF && digest_restart(t->own) < 0)
			return -1;
		if (digest_update(t->own, t->base + t->fed, n) < 0)
			return -1;
		t->fed += n;
		if (t->fed == end && digest_final(t->own, t->leaf[i]) < 0)
			return -1;
	}
	return 0;
}

int leaf_region_ready(struct leaf_digest *t, size_t upto)
{
	int rc;

	if (!t->open || upto > t->len) {
		kx_error("internal: image digest: %zu bytes ready of a region of %zu", upto,
			 t->open ? t->len : 0);
		return -1;
	}
	if (!t->nworkers) {
		if (t->rc == 0 && feed(t, upto) < 0)
			t->rc = -1;
		return t->rc;
	}
	pthread_mutex_lock(&t->lock);
	if (upto > t->ready) {
		/* Wake workers only when a leaf is complete. */
		bool leaf_done = upto == t->len || upto / LEAF != t->ready / LEAF;

		t->ready = upto;
		if (leaf_done)
			pthread_cond_broadcast(&t->more);
	}
	rc = t->rc;
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int leaf_region_end(struct leaf_digest *t, bool abandon)
{
	int rc;

	if (!t->open) {
		kx_error("internal: image digest: no region to end");
		return -1;
	}
	/* Workers would wait for the missing bytes for ever. */
	if (!abandon && t->rc == 0 && (t->nworkers ? t->ready : t->fed) < t->len) {
		kx_error("internal: image digest: region ended with %zu of %zu bytes in place",
			 t->nworkers ? t->ready : t->fed, t->len);
		abandon = true;
	}
	stop_workers(t, abandon);
	rc = t->rc;
	if (!abandon && rc == 0)
		rc = digest_update(t->top, t->leaf, t->nleaves * DIGEST_SIZE);
	if (abandon || rc < 0)
		t->broken = true;
	free(t->leaf);
	t->leaf = NULL;
	t->open = false;
	return abandon ? -1 : rc;
}

int leaf_digest_final(struct leaf_digest *t, uint8_t out[DIGEST_SIZE])
{
	if (t->open || t->broken) {
		kx_error("internal: image digest sealed %s",
			 t->open ? "inside a region" : "after a failed region");
		return -1;
	}
	t->broken = true;	/* top is spent */
	return digest_final(t->top, out);
}

void leaf_digest_free(struct leaf_digest *t)
{
	if (!t)
		return;
	if (t->open)
		(void)leaf_region_end(t, true);
	for (unsigned k = 0; k < MAX_WORKERS; k++)
		digest_free(t->w[k].d);
	digest_free(t->own);
	digest_free(t->top);
	pthread_cond_destroy(&t->more);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
