/* SHA-256 against the FIPS 180-2 / NIST example vectors, padding
 * boundaries, and incremental updates in odd chunk sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sha256.h"

static void hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[2 * SHA256_DIGEST_SIZE + 1])
{
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_oneshot(const void *msg, size_t len, const char *want)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char got[2 * SHA256_DIGEST_SIZE + 1];

	sha256(msg, len, d);
	hex(d, got);
	assert_string_equal(got, want);
}

static void test_empty(void **state)
{
	check_oneshot("", 0,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	check_oneshot("abc", 3,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check_oneshot(m, strlen(m),
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	check_oneshot(m, strlen(m),
		"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *m = malloc(1000000);
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char got[2 * SHA256_DIGEST_SIZE + 1];

	assert_non_null(m);
	memset(m, 'a', 1000000);
	check_oneshot(m, 1000000, want);

	/* Also as 1000 updates of 1000 bytes: never block aligned. */
	sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		sha256_update(&ctx, m + 1000 * i, 1000);
	sha256_final(&ctx, d);
	hex(d, got);
	assert_string_equal(got, want);
	free(m);
}

/* Lengths around the padding boundary (55/56 bytes decide whether the
 * length field needs an extra block); reference values from sha256sum. */
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
	char m[128];

	memset(m, 'a', sizeof(m));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		check_oneshot(m, v[i].n, v[i].want);
}

/* Feeding the same bytes in any chunking gives the one-shot digest. */
static void test_incremental_chunks(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 5, 7, 13, 31, 55, 56, 63, 64, 65, 127, 129, 1000 };
	const size_t len = 5000;
	uint8_t *m = malloc(len);
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	uint32_t x = 0x12345678;

	assert_non_null(m);
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245 + 12345;
		m[i] = (uint8_t)(x >> 16);
	}
	sha256(m, len, want);

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct sha256_ctx ctx;

		sha256_init(&ctx);
		for (size_t off = 0; off < len; off += chunks[c]) {
			size_t n = len - off < chunks[c] ? len - off : chunks[c];
			sha256_update(&ctx, m + off, n);
		}
		sha256_final(&ctx, got);
		assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
	}

	/* Mixed sizes, including empty updates, from an unaligned start. */
	{
		static const size_t mix[] = { 0, 1, 63, 0, 64, 2, 127, 3, 200, 0, 17 };
		struct sha256_ctx ctx;
		size_t off = 1, total = 0;

		for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
			total += mix[i];
		sha256(m + 1, total, want);
		sha256_init(&ctx);
		for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
			sha256_update(&ctx, m + off, mix[i]);
			off += mix[i];
		}
		sha256_final(&ctx, got);
		assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
	}
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_448_bits),
		cmocka_unit_test(test_896_bits),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_boundaries),
		cmocka_unit_test(test_incremental_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
