/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The staging pass (stage.c): each segment copied once into the
 * backend's memory with the digest fed on the way, regions in staging
 * order, purgatory's block sealed in the plan and in its staged copy,
 * and the internal errors a backend bug would meet. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "cpu.h"
#include "fixtures.h"
#include "purgatory-abi.h"
#include "region-digest.h"
#include "stage.h"

#define FILE_LEN 700001	/* several staging chunks, not a multiple of any */
#define BUF_LEN  5000
#define BLOB_LEN (PURGATORY_PARAMS_OFFSET + sizeof(struct purgatory_params) + 100)

struct fixture {
	struct plan p;
	uint8_t *file_data, buf_data[BUF_LEN], blob[BLOB_LEN];
	uint8_t *dst[3];
	int fd;
};

/* Segment 0: a file (an initrd), 1: a buffer, 2: purgatory with its
 * parameter block, sealed. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	FILE *tmp = tmpfile();

	assert_non_null(f);
	assert_non_null(tmp);
	f->fd = dup(fileno(tmp));
	fclose(tmp);
	f->file_data = malloc(FILE_LEN);
	assert_non_null(f->file_data);
	for (size_t i = 0; i < FILE_LEN; i++)
		f->file_data[i] = (uint8_t)(i * 7 + (i >> 9));
	for (size_t i = 0; i < BUF_LEN; i++)
		f->buf_data[i] = (uint8_t)(i ^ 0x5a);
	/* The segment starts 3 bytes into the file. */
	assert_int_equal(pwrite(f->fd, "xyz", 3, 0), 3);
	assert_int_equal(pwrite(f->fd, f->file_data, FILE_LEN, 3), FILE_LEN);
	f->p.nseg = 3;
	f->p.seg[0] = (struct segment){ .fd = f->fd, .file_off = 3, .bufsz = FILE_LEN,
					.mem = 0x1000000, .memsz = 0x100000, .what = "initrd" };
	f->p.seg[1] = (struct segment){ .buf = f->buf_data, .fd = -1, .bufsz = BUF_LEN,
					.mem = 0x200000, .memsz = 0x2000, .what = "kernel" };
	f->p.seg[2] = (struct segment){ .buf = f->blob, .fd = -1, .bufsz = BLOB_LEN,
					.mem = 0x100000, .memsz = 0x10000, .what = "purgatory",
					.no_digest = true };
	f->p.seal = (struct purgatory_params *)(f->blob + PURGATORY_PARAMS_OFFSET);
	f->p.seal_seg = 2;
	for (unsigned i = 0; i < 3; i++) {
		f->dst[i] = calloc(1, f->p.seg[i].bufsz);
		assert_non_null(f->dst[i]);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < 3; i++)
		free(f->dst[i]);
	free(f->file_data);
	close(f->fd);
	free(f);
	return 0;
}

/* The digest of segments order[0], order[1] as the formula gives it, and
 * purgatory's own code (both paths where this CPU has them) agrees. */
static void want_digest(const struct fixture *f, const unsigned *order, uint8_t out[DIGEST_SIZE])
{
	const uint8_t *data[2];
	size_t len[2];
	struct purgatory_region r[2];
	uint8_t got[DIGEST_SIZE];

	for (unsigned k = 0; k < 2; k++) {
		data[k] = order[k] == 0 ? f->file_data : f->buf_data;
		len[k] = f->p.seg[order[k]].bufsz;
		r[k] = (struct purgatory_region){ (uintptr_t)data[k], len[k] };
	}
	image_digest_want(data, len, 2, out);
	region_digest(r, 2, false, got);
	assert_memory_equal(got, out, DIGEST_SIZE);
	if (cpu_has_sha_ext()) {
		region_digest(r, 2, true, got);
		assert_memory_equal(got, out, DIGEST_SIZE);
	}
}

static void stage_in_order(struct fixture *f, const unsigned order[3])
{
	struct stage st;

	assert_int_equal(stage_begin(&st, &f->p), 0);
	for (unsigned k = 0; k < 3; k++)
		assert_int_equal(segment_stage(&st, order[k], f->dst[order[k]],
					       f->p.seg[order[k]].bufsz), 0);
	assert_int_equal(stage_seal(&st), 0);
	stage_end(&st);
}

/* Staged data is the source, the regions follow the staging order, the
 * digest is over them in that order, and the staged purgatory carries
 * the sealed block even though it was staged first. */
static void test_stage_copies_digests_and_seals(void **state)
{
	static const unsigned order[2][3] = { { 2, 1, 0 }, { 0, 2, 1 } };
	struct fixture *f = *state;
	const struct purgatory_params *pp = f->p.seal;

	for (unsigned o = 0; o < 2; o++) {
		const unsigned *data_order = order[o][0] == 2 ? &order[o][1] :
					     (unsigned[]){ order[o][0], order[o][2] };
		uint8_t want[DIGEST_SIZE];

		stage_in_order(f, order[o]);
		assert_memory_equal(f->dst[0], f->file_data, FILE_LEN);
		assert_memory_equal(f->dst[1], f->buf_data, BUF_LEN);
		assert_int_equal(pp->nregions, 2);
		assert_int_equal(pp->regions[0].start, f->p.seg[data_order[0]].mem);
		assert_int_equal(pp->regions[1].len, f->p.seg[data_order[1]].bufsz);
		want_digest(f, data_order, want);
		assert_memory_equal(pp->digest, want, DIGEST_SIZE);
		assert_memory_equal(f->dst[2] + PURGATORY_PARAMS_OFFSET, pp, sizeof(*pp));
	}
}

/* A backend that maps instead of copying: the digest is the same, and
 * the plan's own purgatory buffer is the sealed one. */
static void test_stage_mapped(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp = f->p.seal;
	static const unsigned order[2] = { 0, 1 };
	uint8_t want[DIGEST_SIZE];
	struct stage st;

	assert_int_equal(stage_begin(&st, &f->p), 0);
	assert_int_equal(segment_stage_mapped(&st, 0, f->file_data), 0);
	assert_int_equal(segment_stage_mapped(&st, 1, f->buf_data), 0);
	assert_int_equal(segment_stage_mapped(&st, 2, f->blob), 0);
	assert_int_equal(stage_seal(&st), 0);
	stage_end(&st);
	want_digest(f, order, want);
	assert_memory_equal(pp->digest, want, DIGEST_SIZE);
	assert_int_equal(pp->nregions, 2);
}

/* No seal armed (-i): staging copies and digests nothing. */
static void test_stage_without_seal(void **state)
{
	struct fixture *f = *state;
	static const unsigned order[3] = { 0, 1, 2 };

	f->p.seal = NULL;
	stage_in_order(f, order);
	assert_memory_equal(f->dst[0], f->file_data, FILE_LEN);
}

/* A segment the backend forgot would go unchecked: sealing refuses. */
static void test_seal_refuses_unstaged_segment(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	struct stage st;
	int rc;

	assert_int_equal(stage_begin(&st, &f->p), 0);
	assert_int_equal(segment_stage(&st, 2, f->dst[2], BLOB_LEN), 0);
	assert_int_equal(segment_stage(&st, 1, f->dst[1], BUF_LEN), 0);
	capture_start(&cap);
	rc = stage_seal(&st);
	capture_end(&cap);
	stage_end(&st);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "initrd segment was not staged");
}

/* Room that does not fit the data is a backend bug, said once. */
static void test_stage_refuses_wrong_room(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	struct stage st;
	int rc;

	assert_int_equal(stage_begin(&st, &f->p), 0);
	capture_start(&cap);
	rc = segment_stage(&st, 1, f->dst[1], BUF_LEN - 1);
	capture_end(&cap);
	stage_end(&st);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "kernel");
}

/* Staging the same segment twice digests it once. */
static void test_stage_twice_digests_once(void **state)
{
	struct fixture *f = *state;
	static const unsigned order[2] = { 0, 1 };
	uint8_t want[DIGEST_SIZE];
	struct stage st;

	assert_int_equal(stage_begin(&st, &f->p), 0);
	assert_int_equal(segment_stage(&st, 0, f->dst[0], FILE_LEN), 0);
	assert_int_equal(segment_stage(&st, 0, f->dst[0], FILE_LEN), 0);
	assert_int_equal(segment_stage(&st, 1, f->dst[1], BUF_LEN), 0);
	assert_int_equal(segment_stage(&st, 2, f->dst[2], BLOB_LEN), 0);
	assert_int_equal(stage_seal(&st), 0);
	stage_end(&st);
	want_digest(f, order, want);
	assert_memory_equal(f->p.seal->digest, want, DIGEST_SIZE);
	assert_int_equal(f->p.seal->nregions, 2);
}

/* Give segment 0 a file of len bytes (pattern data) and room for bufsz. */
static void big_file(struct fixture *f, size_t len, size_t bufsz)
{
	free(f->file_data);
	f->file_data = malloc(len);
	assert_non_null(f->file_data);
	for (size_t i = 0; i < len; i++)
		f->file_data[i] = (uint8_t)(i * 13 + (i >> 11));
	assert_int_equal(ftruncate(f->fd, 0), 0);
	assert_int_equal(pwrite(f->fd, "xyz", 3, 0), 3);
	assert_int_equal(pwrite(f->fd, f->file_data, len, 3), (ssize_t)len);
	f->p.seg[0].bufsz = bufsz;
	f->p.seg[0].memsz = bufsz + 0x1000;
	free(f->dst[0]);
	f->dst[0] = calloc(1, bufsz);
	assert_non_null(f->dst[0]);
}

/* Large enough for the digest to run on a second thread behind the
 * reads: the same copy and the same digest. */
static void test_stage_large_segment(void **state)
{
	struct fixture *f = *state;
	static const unsigned order[3] = { 1, 0, 2 };
	static const unsigned data_order[2] = { 1, 0 };
	const size_t len = (9u << 20) + 5;
	uint8_t want[DIGEST_SIZE];

	big_file(f, len, len);
	stage_in_order(f, order);
	assert_memory_equal(f->dst[0], f->file_data, len);
	want_digest(f, data_order, want);
	assert_memory_equal(f->p.seal->digest, want, DIGEST_SIZE);
}

/* A read failing mid-way through a large segment: one error line, and
 * the digest thread stops instead of waiting for data. */
static void test_stage_large_segment_read_fails(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	struct stage st;
	int rc;

	big_file(f, 1u << 20, 6u << 20);
	assert_int_equal(stage_begin(&st, &f->p), 0);
	capture_start(&cap);
	rc = segment_stage(&st, 0, f->dst[0], 6u << 20);
	capture_end(&cap);
	stage_end(&st);
	assert_int_equal(rc, -1);
	assert_one_error(cap.text, "initrd: read failed");
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_stage_copies_digests_and_seals),
		T(test_stage_mapped),
		T(test_stage_without_seal),
		T(test_seal_refuses_unstaged_segment),
		T(test_stage_refuses_wrong_room),
		T(test_stage_twice_digests_once),
		T(test_stage_large_segment),
		T(test_stage_large_segment_read_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
