/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks on the purgatory blob embedded in the loader: the header the
 * loader relies on, the entry jump, and the size it must reserve. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "purgatory.h"

static size_t blob_size(void)
{
	return (size_t)(purgatory_blob_end - purgatory_blob);
}

static void read_params(struct purgatory_params *pp)
{
	assert_true(blob_size() >= PURGATORY_PARAMS_OFFSET + sizeof(*pp));
	memcpy(pp, purgatory_blob + PURGATORY_PARAMS_OFFSET, sizeof(*pp));
}

static void test_header(void **state)
{
	struct purgatory_params pp;

	read_params(&pp);
	assert_int_equal(pp.magic, PURGATORY_MAGIC);
	assert_int_equal(pp.version, PURGATORY_VERSION);
	assert_int_equal(pp.size, sizeof(struct purgatory_params));
}

/* blob_memsz covers the whole file; the stack and bss are inside the
 * file, so the two are equal, and the stack top (the end) is aligned. */
static void test_memsz(void **state)
{
	struct purgatory_params pp;

	read_params(&pp);
	assert_true(pp.blob_memsz >= blob_size());
	assert_int_equal(pp.blob_memsz, blob_size());
	assert_int_equal(pp.blob_memsz % 16, 0);
}

/* Byte 0 is a jump over the parameter block into the blob. */
static void test_entry_jump(void **state)
{
	const unsigned char *b = purgatory_blob;
	int64_t target;

	if (b[0] == 0xeb) {
		target = 2 + (int8_t)b[1];
	} else {
		int32_t rel;

		assert_int_equal(b[0], 0xe9);
		memcpy(&rel, b + 1, sizeof(rel));
		target = 5 + (int64_t)rel;
	}
	assert_true(target >= (int64_t)(PURGATORY_PARAMS_OFFSET + sizeof(struct purgatory_params)));
	assert_true(target < (int64_t)blob_size());
}

/* Everything the loader fills starts out zero: no regions, no console,
 * entry mode 64, no backup, no jump-back. */
static void test_defaults_zero(void **state)
{
	struct purgatory_params pp;
	const unsigned char *p = (const unsigned char *)&pp;

	read_params(&pp);
	for (size_t i = offsetof(struct purgatory_params, digest); i < sizeof(pp); i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(pp.entry_mode, PURGATORY_ENTRY_64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_memsz),
		cmocka_unit_test(test_entry_jump),
		cmocka_unit_test(test_defaults_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
