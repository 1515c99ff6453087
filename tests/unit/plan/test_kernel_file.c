/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for kexec/plan/kernel-file.c: plain files pass through, gzip, xz
 * and raw lzma data compressed here at test time round-trip, and broken
 * input (truncated, corrupt, empty, missing, oversized) fails with one
 * error line naming the file. Fixtures are temporary files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "kernel-file.h"

#define UNUSED __attribute__((unused))

/* ---------------------------------------------------------------- helpers */

struct capture {
	FILE *tmp;
	int saved;
	char text[2048];
};

static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->tmp), 2) >= 0);
}

static void capture_end(struct capture *c)
{
	size_t n;

	fflush(stderr);
	assert_true(dup2(c->saved, 2) >= 0);
	close(c->saved);
	rewind(c->tmp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->tmp);
	c->text[n] = '\0';
	fclose(c->tmp);
}

/* The error output is exactly one line and contains every given piece. */
static void assert_one_line_with(const char *text, const char *a, const char *b)
{
	const char *nl = strchr(text, '\n');

	if (!nl || nl[1] != '\0' || strncmp(text, "kexec: ", 7) ||
	    !strstr(text, a) || (b && !strstr(text, b)))
		fail_msg("unexpected error output: \"%s\" (want \"%s\"%s%s)", text, a,
			 b ? " and " : "", b ? b : "");
}

static char *write_tmp(const void *data, size_t len)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = malloc(strlen(dir) + 32);
	int fd;

	assert_non_null(path);
	sprintf(path, "%s/kx-kernel-XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void drop_tmp(char *path)
{
	unlink(path);
	free(path);
}

/* Something kernel-like: compressible but not trivially so. */
static uint8_t *make_payload(size_t len, uint32_t seed)
{
	uint8_t *p = malloc(len ? len : 1);
	uint32_t x = seed;

	assert_non_null(p);
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (i % 64 < 40) ? (uint8_t)("kexec-tools-ng test "[i % 20]) : (uint8_t)(x >> 24);
	}
	if (len >= 4)
		memcpy(p, "\x7f" "ELF", 4);
	return p;
}

/* Read path and expect it to fail with one line naming it and want. */
static void expect_read_error(const char *path, const char *want)
{
	struct kernel_image k;
	struct capture c;
	int rc;

	capture_start(&c);
	rc = kernel_image_read(path, &k);
	capture_end(&c);
	assert_int_equal(rc, -1);
	assert_one_line_with(c.text, path, want);
}

static void expect_read_ok(const void *file, size_t file_len,
			   const void *want, size_t want_len, bool decompressed)
{
	char *path = write_tmp(file, file_len);
	struct kernel_image k;

	assert_int_equal(kernel_image_read(path, &k), 0);
	assert_ptr_equal(k.path, path);
	assert_int_equal(k.len, want_len);
	assert_int_equal(k.decompressed, decompressed);
	assert_memory_equal(k.buf, want, want_len);
	kernel_image_free(&k);
	assert_null(k.buf);
	drop_tmp(path);
}

static void expect_file_error(const void *file, size_t file_len, const char *want)
{
	char *path = write_tmp(file, file_len);

	expect_read_error(path, want);
	drop_tmp(path);
}

/* ---------------------------------------------------------------- compressors */

#ifdef HAVE_ZLIB
static uint8_t *gzip(const uint8_t *in, size_t len, size_t *out_len)
{
	z_stream zs;
	size_t cap = compressBound(len) + 64;
	uint8_t *out = malloc(cap);

	memset(&zs, 0, sizeof(zs));
	assert_non_null(out);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}
#endif

#ifdef HAVE_LZMA
static uint8_t *xz(const uint8_t *in, size_t len, size_t *out_len)
{
	size_t cap = lzma_stream_buffer_bound(len), pos = 0;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len,
						 out, &pos, cap), LZMA_OK);
	*out_len = pos;
	return out;
}

/* Raw .lzma ("lzma_alone"), as `lzma` and old kernels' tools write it. */
static uint8_t *lzma_alone(const uint8_t *in, size_t len, size_t *out_len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	size_t cap = len + len / 2 + 4096;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_false(lzma_lzma_preset(&opt, 6));
	assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	s.next_in = in;
	s.avail_in = len;
	s.next_out = out;
	s.avail_out = cap;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	*out_len = s.total_out;
	lzma_end(&s);
	return out;
}
#endif

/* ---------------------------------------------------------------- plain */

static void test_plain_passthrough(void **state UNUSED)
{
	size_t len = 300000;
	uint8_t *data = make_payload(len, 1);

	assert_int_equal(kernel_compression_of(data, len), KC_NONE);
	expect_read_ok(data, len, data, len, false);
	free(data);
}

static void test_tiny_plain_file(void **state UNUSED)
{
	/* Shorter than any magic: still a (useless) plain image. */
	expect_read_ok("\x1f", 1, "\x1f", 1, false);
}

static void test_empty_file(void **state UNUSED)
{
	expect_file_error("", 0, "empty file");
}

static void test_missing_file(void **state UNUSED)
{
	expect_read_error("/nonexistent/kx-test/vmlinuz", "cannot open");
}

static void test_directory(void **state UNUSED)
{
	expect_read_error("/", "is a directory");
}

/* Issue 12: kexec -l /dev/zero read 1 GiB before refusing it as too
 * large; a device is refused from what fstat says, before any read. */
static void test_character_device(void **state UNUSED)
{
	expect_read_error("/dev/zero", "/dev/zero: is a character device, not a kernel file");
	expect_read_error("/dev/null", "is a character device, not a kernel file");
}

/* A pipe has no size: the buffer grows as data comes (kexec <(zcat ...)). */
static void test_pipe_input(void **state UNUSED)
{
	size_t len = 60000; /* fits in the pipe buffer: no writer thread */
	uint8_t *data = make_payload(len, 15);
	struct kernel_image k;
	char path[64];
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], data, len), (ssize_t)len);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	assert_int_equal(kernel_image_read(path, &k), 0);
	assert_int_equal(k.len, len);
	assert_memory_equal(k.buf, data, len);
	kernel_image_free(&k);
	close(fds[0]);
	free(data);
}

static void test_detection(void **state UNUSED)
{
	static const uint8_t elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
	static const uint8_t mz[] = "MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0";
	static const uint8_t gz[] = "\x1f\x8b\x08\0\0\0\0\0\0\x03";
	static const uint8_t xzm[] = "\xfd" "7zXZ\0\0\0";
	static const uint8_t zst[] = "\x28\xb5\x2f\xfd\0\0\0\0";
	/* lc=3 lp=0 pb=2, 8 MiB dictionary, unknown size: `lzma -6`. */
	static const uint8_t lz[] = "\x5d\0\0\x80\0\xff\xff\xff\xff\xff\xff\xff\xff\0";
	/* Same, but a dictionary size no encoder writes. */
	static const uint8_t notlz[] = "\x5d\x01\x02\x80\0\xff\xff\xff\xff\xff\xff\xff\xff\0";

	assert_int_equal(kernel_compression_of(elf, sizeof(elf) - 1), KC_NONE);
	assert_int_equal(kernel_compression_of(mz, sizeof(mz) - 1), KC_NONE);
	assert_int_equal(kernel_compression_of(gz, sizeof(gz) - 1), KC_GZIP);
	assert_int_equal(kernel_compression_of(xzm, sizeof(xzm) - 1), KC_XZ);
	assert_int_equal(kernel_compression_of(zst, sizeof(zst) - 1), KC_ZSTD);
	assert_int_equal(kernel_compression_of(lz, sizeof(lz) - 1), KC_LZMA);
	assert_int_equal(kernel_compression_of(notlz, sizeof(notlz) - 1), KC_NONE);
	assert_int_equal(kernel_compression_of(gz, 2), KC_NONE);
	assert_int_equal(kernel_compression_of(NULL, 0), KC_NONE);
	assert_string_equal(kernel_compression_name(KC_XZ), "xz");
	assert_string_equal(kernel_compression_name(KC_NONE), "none");
}

static void test_zstd_refused(void **state UNUSED)
{
	static const uint8_t zst[] = "\x28\xb5\x2f\xfd\x24\x04\x21\0\0hello";

	expect_file_error(zst, sizeof(zst) - 1, "zstd-compressed kernels are not supported");
}

/* ---------------------------------------------------------------- gzip */

#ifdef HAVE_ZLIB
static void test_gzip_round_trip(void **state UNUSED)
{
	size_t len = 3 << 20, zlen;
	uint8_t *data = make_payload(len, 2), *z = gzip(data, len, &zlen);

	assert_int_equal(kernel_compression_of(z, zlen), KC_GZIP);
	expect_read_ok(z, zlen, data, len, true);
	free(z);
	free(data);
}

static void test_gzip_small(void **state UNUSED)
{
	size_t zlen;
	uint8_t *z = gzip((const uint8_t *)"hello", 5, &zlen);

	expect_read_ok(z, zlen, "hello", 5, true);
	free(z);
}

static void test_gzip_multi_member(void **state UNUSED)
{
	size_t l1 = 200000, l2 = 700001, z1len, z2len;
	uint8_t *d1 = make_payload(l1, 3), *d2 = make_payload(l2, 4);
	uint8_t *z1 = gzip(d1, l1, &z1len), *z2 = gzip(d2, l2, &z2len);
	uint8_t *file = malloc(z1len + z2len), *want = malloc(l1 + l2);

	memcpy(file, z1, z1len);
	memcpy(file + z1len, z2, z2len);
	memcpy(want, d1, l1);
	memcpy(want + l1, d2, l2);
	expect_read_ok(file, z1len + z2len, want, l1 + l2, true);
	/* A truncated second member is still an error. */
	expect_file_error(file, z1len + z2len / 2, "truncated gzip data");
	free(file), free(want), free(z1), free(z2), free(d1), free(d2);
}

static void test_gzip_trailing_zeros(void **state UNUSED)
{
	size_t len = 100000, zlen;
	uint8_t *data = make_payload(len, 5), *z = gzip(data, len, &zlen);
	uint8_t *file = calloc(1, zlen + 512);

	memcpy(file, z, zlen);
	expect_read_ok(file, zlen + 512, data, len, true);
	free(file), free(z), free(data);
}

static void test_gzip_truncated(void **state UNUSED)
{
	size_t len = 500000, zlen;
	uint8_t *data = make_payload(len, 6), *z = gzip(data, len, &zlen);

	expect_file_error(z, zlen / 2, "truncated gzip data");
	/* Missing only the trailer (CRC and size). */
	expect_file_error(z, zlen - 8, "truncated gzip data");
	/* Just the header. */
	expect_file_error(z, 10, "truncated gzip data");
	free(z), free(data);
}

static void test_gzip_corrupt(void **state UNUSED)
{
	size_t len = 500000, zlen;
	uint8_t *data = make_payload(len, 7), *z = gzip(data, len, &zlen);
	uint8_t garbage[4096];

	/* Garbage right after the magic and method. */
	memcpy(garbage, "\x1f\x8b\x08", 3);
	for (size_t i = 3; i < sizeof(garbage); i++)
		garbage[i] = (uint8_t)(i * 37 + 11);
	expect_file_error(garbage, sizeof(garbage), "corrupt gzip data: ");
	/* A flipped bit in the trailer's CRC. */
	z[zlen - 6] ^= 0x40;
	expect_file_error(z, zlen, "corrupt gzip data: ");
	free(z), free(data);
}

static void test_gzip_empty_stream(void **state UNUSED)
{
	size_t zlen;
	uint8_t *z = gzip((const uint8_t *)"", 0, &zlen);

	expect_file_error(z, zlen, "decompresses to nothing");
	free(z);
}

static void test_size_cap(void **state UNUSED)
{
	size_t len = 3 << 20, zlen, out_len = 0;
	uint8_t *data = make_payload(len, 8), *z = gzip(data, len, &zlen);
	void *out = NULL;
	struct capture c;
	int rc;

	capture_start(&c);
	rc = kernel_decompress("vmlinuz.gz", KC_GZIP, z, zlen, 1 << 20, &out, &out_len);
	capture_end(&c);
	assert_int_equal(rc, -1);
	assert_null(out);
	assert_one_line_with(c.text, "vmlinuz.gz: decompressed size exceeds the 1 MiB limit", NULL);
	/* Exactly at the cap is fine. */
	assert_int_equal(kernel_decompress("x", KC_GZIP, z, zlen, len, &out, &out_len), 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, data, len);
	free(out), free(z), free(data);
}
#else
static void test_gzip_not_built(void **state UNUSED)
{
	static const uint8_t gz[] = "\x1f\x8b\x08\0\0\0\0\0\0\x03\x01\x02\x03\x04";

	expect_file_error(gz, sizeof(gz) - 1, "gzip support (zlib) was not built in");
}
#endif

/* ---------------------------------------------------------------- xz, lzma */

#ifdef HAVE_LZMA
static void test_xz_round_trip(void **state UNUSED)
{
	size_t len = (2 << 20) + 17, zlen;
	uint8_t *data = make_payload(len, 9), *z = xz(data, len, &zlen);

	assert_int_equal(kernel_compression_of(z, zlen), KC_XZ);
	expect_read_ok(z, zlen, data, len, true);
	free(z), free(data);
}

static void test_xz_multi_stream(void **state UNUSED)
{
	size_t l1 = 100000, l2 = 50000, z1len, z2len;
	uint8_t *d1 = make_payload(l1, 10), *d2 = make_payload(l2, 11);
	uint8_t *z1 = xz(d1, l1, &z1len), *z2 = xz(d2, l2, &z2len);
	uint8_t *file = malloc(z1len + z2len), *want = malloc(l1 + l2);

	memcpy(file, z1, z1len);
	memcpy(file + z1len, z2, z2len);
	memcpy(want, d1, l1);
	memcpy(want + l1, d2, l2);
	expect_read_ok(file, z1len + z2len, want, l1 + l2, true);
	free(file), free(want), free(z1), free(z2), free(d1), free(d2);
}

static void test_xz_truncated(void **state UNUSED)
{
	size_t len = 400000, zlen;
	uint8_t *data = make_payload(len, 12), *z = xz(data, len, &zlen);

	expect_file_error(z, zlen / 2, "truncated xz data");
	expect_file_error(z, zlen - 1, "xz data");
	free(z), free(data);
}

static void test_xz_corrupt(void **state UNUSED)
{
	uint8_t garbage[2048];
	size_t len = 400000, zlen;
	uint8_t *data = make_payload(len, 13), *z = xz(data, len, &zlen);

	memcpy(garbage, "\xfd" "7zXZ\0", 6);
	for (size_t i = 6; i < sizeof(garbage); i++)
		garbage[i] = (uint8_t)(i * 13 + 5);
	expect_file_error(garbage, sizeof(garbage), "corrupt xz data");
	z[zlen / 2] ^= 0xff;
	expect_file_error(z, zlen, "corrupt xz data");
	free(z), free(data);
}

static void test_lzma_alone_round_trip(void **state UNUSED)
{
	size_t len = 800000, zlen;
	uint8_t *data = make_payload(len, 14), *z = lzma_alone(data, len, &zlen);

	assert_int_equal(kernel_compression_of(z, zlen), KC_LZMA);
	expect_read_ok(z, zlen, data, len, true);
	expect_file_error(z, zlen / 3, "truncated lzma data");
	free(z), free(data);
}
#else
static void test_xz_not_built(void **state UNUSED)
{
	static const uint8_t x[] = "\xfd" "7zXZ\0\0\x04\xe6\xd6\xb4\x46";

	expect_file_error(x, sizeof(x) - 1, "xz support (liblzma) was not built in");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_passthrough),
		cmocka_unit_test(test_tiny_plain_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_character_device),
		cmocka_unit_test(test_pipe_input),
		cmocka_unit_test(test_detection),
		cmocka_unit_test(test_zstd_refused),
#ifdef HAVE_ZLIB
		cmocka_unit_test(test_gzip_round_trip),
		cmocka_unit_test(test_gzip_small),
		cmocka_unit_test(test_gzip_multi_member),
		cmocka_unit_test(test_gzip_trailing_zeros),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_gzip_empty_stream),
		cmocka_unit_test(test_size_cap),
#else
		cmocka_unit_test(test_gzip_not_built),
#endif
#ifdef HAVE_LZMA
		cmocka_unit_test(test_xz_round_trip),
		cmocka_unit_test(test_xz_multi_stream),
		cmocka_unit_test(test_xz_truncated),
		cmocka_unit_test(test_xz_corrupt),
		cmocka_unit_test(test_lzma_alone_round_trip),
#else
		cmocka_unit_test(test_xz_not_built),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
