/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image digest (leaf-digest.c): the formula of purgatory-abi.h over
 * regions of every size around the leaf size, data arriving in odd
 * pieces, worker threads and the writer digesting inline (one CPU), and
 * the ways a writer can stop early: one error line, no thread left
 * waiting, no digest sealed. */
#include <dirent.h>
#include <sched.h>
#include "fixtures.h"
#include "leaf-digest.h"
#include "purgatory-abi.h"

#define LEAF PURGATORY_LEAF_SIZE
#define MAX_LEN (9 * (size_t)LEAF + 5)

static uint8_t *pattern(void)
{
	uint8_t *p = malloc(MAX_LEN);

	assert_non_null(p);
	for (size_t i = 0; i < MAX_LEN; i++)
		p[i] = (uint8_t)(i * 31 + (i >> 13));
	return p;
}

/* Digest the n regions of data[] (lengths len[]), reporting each in
 * pieces of step bytes. */
static void digest_regions(const uint8_t *const data[], const size_t len[], unsigned n,
			   size_t step, uint8_t out[DIGEST_SIZE])
{
	struct leaf_digest *t = leaf_digest_new();

	assert_non_null(t);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(leaf_region_begin(t, data[i], len[i]), 0);
		for (size_t upto = 0; upto < len[i];) {
			upto = len[i] - upto < step ? len[i] : upto + step;
			assert_int_equal(leaf_region_ready(t, upto), 0);
		}
		assert_int_equal(leaf_region_end(t, false), 0);
	}
	assert_int_equal(leaf_digest_final(t, out), 0);
	leaf_digest_free(t);
}

static void check_sizes(void)
{
	static const size_t lens[] = { 0, 1, LEAF - 1, LEAF, LEAF + 1, 4 * (size_t)LEAF,
				       MAX_LEN };
	static const size_t steps[] = { 777777, LEAF, MAX_LEN };
	uint8_t *p = pattern(), want[DIGEST_SIZE], got[DIGEST_SIZE];

	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (unsigned k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
			/* The region, then a short one after it from elsewhere. */
			const uint8_t *data[2] = { p, p + 12345 };
			const size_t len[2] = { lens[i], 4097 };

			image_digest_want(data, len, 2, want);
			digest_regions(data, len, 2, steps[k], got);
			if (memcmp(got, want, DIGEST_SIZE))
				fail_msg("wrong digest: region of %zu bytes, ready in steps of %zu",
					 lens[i], steps[k]);
		}
	free(p);
}

/* Threads of this process, from /proc. */
static unsigned threads(void)
{
	DIR *d = opendir("/proc/self/task");
	unsigned n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2;	/* . and .. */
}

/* Threads started for a large region (a sanitizer may run its own). */
static unsigned threads_for_large_region(void)
{
	uint8_t *p = pattern();
	struct leaf_digest *t = leaf_digest_new();
	unsigned n, before = threads();

	assert_non_null(t);
	assert_int_equal(leaf_region_begin(t, p, MAX_LEN), 0);
	n = threads() - before;
	assert_int_equal(leaf_region_end(t, true), -1);
	leaf_digest_free(t);
	free(p);
	return n;
}

/* With the CPUs this test runs on: workers for the large regions. */
static void test_formula_with_workers(void **state)
{
	cpu_set_t set;

	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	if (CPU_COUNT(&set) > 1 && threads_for_large_region() < 2)
		fail_msg("no worker threads for a large region on %d CPUs", CPU_COUNT(&set));
	check_sizes();
}

/* On one CPU the writer digests every leaf itself. */
static void test_formula_inline(void **state)
{
	cpu_set_t all, one;

	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	CPU_ZERO(&one);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &all)) {
			CPU_SET(c, &one);
			break;
		}
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_int_equal(threads_for_large_region(), 0);
	check_sizes();
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
}

/* Regions in a different order give a different digest. */
static void test_order_matters(void **state)
{
	uint8_t *p = pattern(), a[DIGEST_SIZE], b[DIGEST_SIZE];
	const uint8_t *ab[2] = { p, p + LEAF }, *ba[2] = { p + LEAF, p };
	const size_t len[2] = { LEAF, LEAF };

	digest_regions(ab, len, 2, LEAF, a);
	digest_regions(ba, len, 2, LEAF, b);
	if (!memcmp(a, b, DIGEST_SIZE))
		fail_msg("swapping two regions left the digest unchanged");
	free(p);
}

/* The writer gives up half-way (a failed read): the workers stop without
 * the rest of the data, nothing is printed, and no digest can be sealed. */
static void test_abandon(void **state)
{
	uint8_t *p = pattern(), out[DIGEST_SIZE];
	struct leaf_digest *t = leaf_digest_new();
	struct capture cap;
	int rc;

	assert_non_null(t);
	assert_int_equal(leaf_region_begin(t, p, MAX_LEN), 0);
	assert_int_equal(leaf_region_ready(t, 3 * (size_t)LEAF + 7), 0);
	capture_start(&cap);
	assert_int_equal(leaf_region_end(t, true), -1);
	capture_end(&cap);
	assert_silent(cap.text);
	capture_start(&cap);
	rc = leaf_digest_final(t, out);
	capture_end(&cap);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "after a failed region");
	leaf_digest_free(t);
	free(p);
}

/* A region ended before its data was all there is a caller's bug: said
 * once, and the workers do not wait for ever. */
static void test_end_too_early(void **state)
{
	uint8_t *p = pattern();
	struct leaf_digest *t = leaf_digest_new();
	struct capture cap;
	int rc;

	assert_non_null(t);
	assert_int_equal(leaf_region_begin(t, p, MAX_LEN), 0);
	assert_int_equal(leaf_region_ready(t, MAX_LEN - 1), 0);
	capture_start(&cap);
	rc = leaf_region_end(t, false);
	capture_end(&cap);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "region ended with");
	leaf_digest_free(t);
	free(p);
}

/* More data than the region holds, a region inside a region, and freeing
 * with a region open. */
static void test_misuse(void **state)
{
	uint8_t *p = pattern();
	struct leaf_digest *t = leaf_digest_new();
	struct capture cap;
	int rc;

	assert_non_null(t);
	assert_int_equal(leaf_region_begin(t, p, 100), 0);
	capture_start(&cap);
	rc = leaf_region_ready(t, 101);
	capture_end(&cap);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "101 bytes ready of a region of 100");
	capture_start(&cap);
	rc = leaf_region_begin(t, p, 100);
	capture_end(&cap);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "inside another");
	leaf_digest_free(t);

	t = leaf_digest_new();
	assert_non_null(t);
	assert_int_equal(leaf_region_begin(t, p, MAX_LEN), 0);
	assert_int_equal(leaf_region_ready(t, LEAF), 0);
	leaf_digest_free(t);	/* stops its workers */
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula_with_workers),
		cmocka_unit_test(test_formula_inline),
		cmocka_unit_test(test_order_matters),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_end_too_early),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
