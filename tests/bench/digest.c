/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 throughput on this host: purgatory's code as built for
 * purgatory (both paths; linked from its objects) and libcrypto's.
 * Usage: digest [MiB] [runs]. Prints the best of the runs per
 * implementation, in MB/s (10^6 bytes per second of this thread's CPU
 * time: the host is shared, and wall time would measure the other jobs,
 * not the code; the implementations alternate run by run). The last line is
 * "purgatory-sha256 <MB/s> libcrypto-sha256 <MB/s>", purgatory's figure
 * being the path it would take on this CPU. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>

#include "cpu.h"
#include "sha256.h"

enum impl { PLAIN, EXT, LIBCRYPTO };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(enum impl which, const uint8_t *buf, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	if (which == LIBCRYPTO)
		return EVP_Digest(buf, len, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
	sha256_init_path(&ctx, which == EXT);
	sha256_update(&ctx, buf, len);
	sha256_final(&ctx, out);
	return 0;
}

/* One timed run, in MB/s; its digest must be the reference. */
static double timed(enum impl which, const uint8_t *buf, size_t len,
		    const uint8_t ref[SHA256_DIGEST_SIZE])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	double t = now();

	if (run(which, buf, len, d) < 0) {
		fprintf(stderr, "digest: libcrypto's SHA-256 failed\n");
		exit(1);
	}
	t = now() - t;
	if (memcmp(d, ref, sizeof(d))) {
		fprintf(stderr, "digest: implementation %d disagrees with libcrypto\n", which);
		exit(1);
	}
	return (double)len / t / 1e6;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	size_t len = mib << 20;
	uint8_t *buf = malloc(len ? len : 1), ref[SHA256_DIGEST_SIZE];
	bool ext = cpu_has_sha_ext();
	double best[3] = { 0, 0, 0 };

	if (!buf || runs < 1) {
		fprintf(stderr, "digest: usage: digest [MiB] [runs]; or out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < len; i++)	/* also faults every page in */
		buf[i] = (uint8_t)(i * 131 + (i >> 12));
	if (run(LIBCRYPTO, buf, len, ref) < 0) {
		fprintf(stderr, "digest: libcrypto's SHA-256 failed\n");
		return 1;
	}
	for (int r = 0; r < runs; r++)	/* alternating: the same conditions */
		for (enum impl i = PLAIN; i <= LIBCRYPTO; i++) {
			double v = i == EXT && !ext ? 0 : timed(i, buf, len, ref);

			if (v > best[i])
				best[i] = v;
		}
	printf("buffer %zu MiB, best of %d runs, MB/s = 10^6 bytes per CPU second\n", mib, runs);
	printf("purgatory plain path:          %8.0f MB/s\n", best[PLAIN]);
	if (ext)
		printf("purgatory SHA-extension path:  %8.0f MB/s\n", best[EXT]);
	else
		printf("purgatory SHA-extension path:  not on this CPU\n");
	printf("libcrypto (EVP):               %8.0f MB/s\n", best[LIBCRYPTO]);
	printf("purgatory-sha256 %.0f libcrypto-sha256 %.0f\n",
	       best[ext ? EXT : PLAIN], best[LIBCRYPTO]);
	free(buf);
	return 0;
}
