/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purgatory's SHA-256, both paths, as built for purgatory (the test links
 * purgatory's own objects): FIPS 180-4 example vectors, padding
 * boundaries, odd chunkings, and libcrypto's digest on pseudo-random data
 * of many lengths. The SHA-extension path is skipped where CPUID does not
 * report it (purgatory's own check decides). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "cpu.h"
#include "fixtures.h"
#include "region-digest.h"
#include "sha256.h"

static const bool plain_path = false, ext_path = true;

/* The path a test runs on, or skip() it when this CPU cannot. */
static bool path_of(void **state)
{
	bool ext = *(const bool *)*state;

	if (ext && !cpu_has_sha_ext())
		skip();
	return ext;
}

static void digest(bool ext, const void *m, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init_path(&ctx, ext);
	sha256_update(&ctx, m, len);
	sha256_final(&ctx, out);
}

static void reference(const void *m, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	unsigned int n = 0;

	assert_int_equal(EVP_Digest(m, len, out, &n, EVP_sha256(), NULL), 1);
	assert_int_equal(n, SHA256_DIGEST_SIZE);
}

static void hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[2 * SHA256_DIGEST_SIZE + 1])
{
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check(bool ext, const void *msg, size_t len, const char *want)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char got[2 * SHA256_DIGEST_SIZE + 1];

	digest(ext, msg, len, d);
	hex(d, got);
	assert_string_equal(got, want);
}

static uint8_t *random_bytes(size_t len, uint32_t seed)
{
	uint8_t *m = malloc(len ? len : 1);

	assert_non_null(m);
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		m[i] = (uint8_t)(seed >> 16);
	}
	return m;
}

/* FIPS 180-4 examples (NIST's SHA256.pdf and SHA256_LongMessage). */
static void test_empty(void **state)
{
	check(path_of(state), "", 0,
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	check(path_of(state), "abc", 3,
	      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check(path_of(state), m, strlen(m),
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	check(path_of(state), m, strlen(m),
	      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	bool ext = path_of(state);
	char *m = malloc(1000000);
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char got[2 * SHA256_DIGEST_SIZE + 1];

	assert_non_null(m);
	memset(m, 'a', 1000000);
	check(ext, m, 1000000, want);

	/* Also as 1000 updates of 1000 bytes: never block aligned. */
	sha256_init_path(&ctx, ext);
	for (int i = 0; i < 1000; i++)
		sha256_update(&ctx, m + 1000 * i, 1000);
	sha256_final(&ctx, d);
	hex(d, got);
	assert_string_equal(got, want);
	free(m);
}

/* 55/56 bytes decide whether the length field needs an extra block. */
static void test_padding_boundaries(void **state)
{
	static const struct {
		size_t n;
		const char *want;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	bool ext = path_of(state);
	char m[128];

	memset(m, 'a', sizeof(m));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		check(ext, m, v[i].n, v[i].want);
}

/* Every length from 0 to 200, at every alignment mod 8: libcrypto's
 * digest. */
static void test_small_lengths_match_libcrypto(void **state)
{
	bool ext = path_of(state);
	uint8_t *m = random_bytes(208, 1);
	uint8_t got[SHA256_DIGEST_SIZE], want[SHA256_DIGEST_SIZE];

	for (size_t align = 0; align < 8; align++)
		for (size_t len = 0; len <= 200; len++) {
			digest(ext, m + align, len, got);
			reference(m + align, len, want);
			assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
		}
	free(m);
}

/* Large buffers, block aligned or not, from an odd address. */
static void test_large_match_libcrypto(void **state)
{
	static const size_t lens[] = { 4096, 65536 + 1, (1u << 20) + 37, (8u << 20) + 63 };
	bool ext = path_of(state);
	uint8_t *m = random_bytes((8u << 20) + 64, 2);
	uint8_t got[SHA256_DIGEST_SIZE], want[SHA256_DIGEST_SIZE];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		digest(ext, m + 1, lens[i], got);
		reference(m + 1, lens[i], want);
		assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
	}
	free(m);
}

/* Feeding the same bytes in any chunking gives libcrypto's digest. */
static void test_incremental_chunks(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 5, 7, 13, 31, 55, 56, 63, 64, 65, 127, 129, 1000 };
	static const size_t mix[] = { 0, 1, 63, 0, 64, 2, 127, 3, 200, 0, 17, 4096, 1 };
	const size_t len = 5000;
	bool ext = path_of(state);
	uint8_t *m = random_bytes(len, 3);
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	size_t off, total = 0;

	reference(m, len, want);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		sha256_init_path(&ctx, ext);
		for (off = 0; off < len; off += chunks[c])
			sha256_update(&ctx, m + off, len - off < chunks[c] ? len - off : chunks[c]);
		sha256_final(&ctx, got);
		assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
	}
	/* Mixed sizes, including empty updates, from an unaligned start. */
	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		total += mix[i];
	assert_true(total < len);
	reference(m + 1, total, want);
	sha256_init_path(&ctx, ext);
	off = 1;
	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); off += mix[i++])
		sha256_update(&ctx, m + off, mix[i]);
	sha256_final(&ctx, got);
	assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
	free(m);
}

/* The two compression functions agree block for block, from any state. */
static void test_paths_agree(void **state)
{
	uint8_t *m = random_bytes(64 * 33 + 5, 4);
	uint32_t a[8], b[8];

	if (!cpu_has_sha_ext())
		skip();
	for (unsigned i = 0; i < 8; i++)
		a[i] = b[i] = 0x01234567u * (i + 1);
	for (size_t n = 0; n <= 33; n += 11) {
		sha256_blocks_plain(a, m + 5, n);
		sha256_blocks_ni(b, m + 5, n);
		assert_memory_equal(a, b, sizeof(a));
	}
	free(m);
}

/* The image digest purgatory checks: regions around the leaf size, the
 * formula spelled out with libcrypto (tests/fixtures). */
static void test_region_digest(void **state)
{
	static const size_t lens[] = { 0, 1, PURGATORY_LEAF_SIZE - 1, PURGATORY_LEAF_SIZE,
				       PURGATORY_LEAF_SIZE + 1, 3 * PURGATORY_LEAF_SIZE + 65 };
	bool ext = path_of(state);
	uint8_t *m = random_bytes(3 * PURGATORY_LEAF_SIZE + 65, 5);
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];

	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		const uint8_t *data[3] = { m + 64, m, m + 3 };
		const size_t len[3] = { 100, lens[i], 64 };
		struct purgatory_region r[3];

		for (unsigned k = 0; k < 3; k++)
			r[k] = (struct purgatory_region){ (uintptr_t)data[k], len[k] };
		image_digest_want(data, len, 3, want);
		region_digest(r, 3, ext, got);
		if (memcmp(got, want, sizeof(want)))
			fail_msg("image digest differs with a middle region of %zu bytes", lens[i]);
	}
	free(m);
}

#define BOTH(t) { #t " (plain)", t, NULL, NULL, (void *)&plain_path }, \
		{ #t " (SHA extensions)", t, NULL, NULL, (void *)&ext_path }

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_empty),
		BOTH(test_abc),
		BOTH(test_448_bits),
		BOTH(test_896_bits),
		BOTH(test_million_a),
		BOTH(test_padding_boundaries),
		BOTH(test_small_lengths_match_libcrypto),
		BOTH(test_large_match_libcrypto),
		BOTH(test_incremental_chunks),
		BOTH(test_region_digest),
		cmocka_unit_test(test_paths_agree),
	};

	printf("purgatory SHA-256: SHA extensions %s on this CPU\n",
	       cpu_has_sha_ext() ? "present, both paths tested" : "absent, plain path only");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
