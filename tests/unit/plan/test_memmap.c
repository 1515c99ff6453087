/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the memory map container (kexec/plan/memmap.c): add and
 * normalize (sort, merge same-type neighbours, keep types apart), exclude
 * (split, trim, remove, across ranges), type names, large maps. */
#include "fixtures.h"

#define R(s, e, t) { (s), (e), (t) }
#define MAXR 8

struct map_case {
	const char *name;
	struct range_spec in[MAXR];
	size_t nin;
	struct range_spec out[MAXR];
	size_t nout;
};

static void fill(struct mem_map *m, const struct range_spec *r, size_t n)
{
	memmap_init(m);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(memmap_add(m, r[i].start, r[i].end, r[i].type), 0);
}

static void expect_map(const char *name, const struct mem_map *m,
		       const struct range_spec *want, size_t n)
{
	if (m->n != n)
		fail_msg("%s: %zu ranges, want %zu", name, m->n, n);
	for (size_t i = 0; i < n; i++)
		if (m->r[i].start != want[i].start || m->r[i].end != want[i].end ||
		    m->r[i].type != want[i].type)
			fail_msg("%s: range %zu is 0x%llx-0x%llx type %u, want 0x%llx-0x%llx type %u",
				 name, i, (unsigned long long)m->r[i].start,
				 (unsigned long long)m->r[i].end, m->r[i].type,
				 (unsigned long long)want[i].start,
				 (unsigned long long)want[i].end, want[i].type);
}

static const struct map_case normalize_cases[] = {
	{ "empty ranges ignored", { R(0x1000, 0x1000, 1), R(0x3000, 0x2000, 1) }, 2, { { 0 } }, 0 },
	{ "sorted", { R(0x5000, 0x6000, 1), R(0x1000, 0x2000, 1), R(0x3000, 0x4000, 2) }, 3,
	  { R(0x1000, 0x2000, 1), R(0x3000, 0x4000, 2), R(0x5000, 0x6000, 1) }, 3 },
	{ "adjacent same type merged", { R(0x2000, 0x3000, 1), R(0x1000, 0x2000, 1) }, 2,
	  { R(0x1000, 0x3000, 1) }, 1 },
	{ "overlapping same type merged", { R(0x1000, 0x4000, 1), R(0x3000, 0x8000, 1) }, 2,
	  { R(0x1000, 0x8000, 1) }, 1 },
	{ "contained same type absorbed", { R(0x1000, 0x9000, 1), R(0x2000, 0x3000, 1) }, 2,
	  { R(0x1000, 0x9000, 1) }, 1 },
	{ "chain merged", { R(0x3000, 0x4000, 1), R(0x1000, 0x2000, 1), R(0x2000, 0x3000, 1) }, 3,
	  { R(0x1000, 0x4000, 1) }, 1 },
	{ "adjacent different types kept", { R(0x1000, 0x2000, 1), R(0x2000, 0x3000, 2) }, 2,
	  { R(0x1000, 0x2000, 1), R(0x2000, 0x3000, 2) }, 2 },
	{ "gap same type kept", { R(0x1000, 0x2000, 1), R(0x3000, 0x4000, 1) }, 2,
	  { R(0x1000, 0x2000, 1), R(0x3000, 0x4000, 1) }, 2 },
	{ "top of address space", { R(0xfffffffffff00000ULL, 0xfffffffffffff000ULL, 1),
				    R(0xffffffffffe00000ULL, 0xfffffffffff00000ULL, 1) }, 2,
	  { R(0xffffffffffe00000ULL, 0xfffffffffffff000ULL, 1) }, 1 },
};

static void test_normalize(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(normalize_cases); i++) {
		const struct map_case *c = &normalize_cases[i];
		struct mem_map m;

		fill(&m, c->in, c->nin);
		memmap_normalize(&m);
		expect_map(c->name, &m, c->out, c->nout);
		memmap_free(&m);
	}
}

struct exclude_case {
	const char *name;
	struct range_spec in[MAXR];
	size_t nin;
	uint64_t start, end;
	struct range_spec out[MAXR];
	size_t nout;
};

static const struct exclude_case exclude_cases[] = {
	{ "split in the middle", { R(0x1000, 0x9000, 1) }, 1, 0x3000, 0x5000,
	  { R(0x1000, 0x3000, 1), R(0x5000, 0x9000, 1) }, 2 },
	{ "trim head", { R(0x1000, 0x9000, 1) }, 1, 0x0, 0x2000, { R(0x2000, 0x9000, 1) }, 1 },
	{ "trim head exactly", { R(0x1000, 0x9000, 1) }, 1, 0x1000, 0x2000, { R(0x2000, 0x9000, 1) }, 1 },
	{ "trim tail", { R(0x1000, 0x9000, 1) }, 1, 0x8000, 0xa000, { R(0x1000, 0x8000, 1) }, 1 },
	{ "trim tail exactly", { R(0x1000, 0x9000, 1) }, 1, 0x8000, 0x9000, { R(0x1000, 0x8000, 1) }, 1 },
	{ "remove whole", { R(0x1000, 0x9000, 1), R(0xa000, 0xb000, 2) }, 2, 0x1000, 0x9000,
	  { R(0xa000, 0xb000, 2) }, 1 },
	{ "remove whole, wider", { R(0x1000, 0x9000, 1) }, 1, 0x0, 0x10000, { { 0 } }, 0 },
	{ "disjoint untouched", { R(0x1000, 0x2000, 1), R(0x5000, 0x6000, 1) }, 2, 0x2000, 0x5000,
	  { R(0x1000, 0x2000, 1), R(0x5000, 0x6000, 1) }, 2 },
	{ "across several", { R(0x1000, 0x3000, 1), R(0x3000, 0x5000, 2), R(0x6000, 0x8000, 1),
			      R(0x9000, 0xc000, 3) }, 4, 0x2000, 0xa000,
	  { R(0x1000, 0x2000, 1), R(0xa000, 0xc000, 3) }, 2 },
	{ "split two ranges", { R(0x1000, 0x5000, 1), R(0x5000, 0x9000, 2) }, 2, 0x2000, 0x3000,
	  { R(0x1000, 0x2000, 1), R(0x3000, 0x5000, 1), R(0x5000, 0x9000, 2) }, 3 },
	{ "empty exclusion", { R(0x1000, 0x5000, 1) }, 1, 0x3000, 0x3000, { R(0x1000, 0x5000, 1) }, 1 },
};

static void test_exclude(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(exclude_cases); i++) {
		const struct exclude_case *c = &exclude_cases[i];
		struct mem_map m;

		fill(&m, c->in, c->nin);
		memmap_normalize(&m);
		assert_int_equal(memmap_exclude(&m, c->start, c->end), 0);
		expect_map(c->name, &m, c->out, c->nout);
		memmap_free(&m);
	}
}

/* Many splits in one map: every exclusion of an odd page of a large RAM
 * range leaves the even pages, sorted. */
static void test_exclude_many_splits(void **state UNUSED)
{
	struct mem_map m;
	const unsigned pages = 2000;

	memmap_init(&m);
	assert_int_equal(memmap_add(&m, 0, pages * 0x1000ULL, MEM_RAM), 0);
	for (unsigned i = 1; i < pages; i += 2)
		assert_int_equal(memmap_exclude(&m, i * 0x1000ULL, (i + 1) * 0x1000ULL), 0);
	assert_int_equal(m.n, pages / 2);
	for (unsigned i = 0; i < m.n; i++) {
		assert_int_equal(m.r[i].start, 2ULL * i * 0x1000);
		assert_int_equal(m.r[i].end, 2ULL * i * 0x1000 + 0x1000);
	}
	memmap_free(&m);
}

/* Thousands of ranges added in reverse, alternating types in pairs:
 * normalize sorts them and merges each same-type pair. */
static void test_thousands(void **state UNUSED)
{
	struct mem_map m;
	const size_t n = 5000;

	memmap_init(&m);
	for (size_t i = n; i-- > 0;)
		assert_int_equal(memmap_add(&m, i * 0x1000, (i + 1) * 0x1000,
					    (i / 2) % 2 ? MEM_RESERVED : MEM_RAM), 0);
	assert_int_equal(m.n, n);
	memmap_normalize(&m);
	assert_int_equal(m.n, n / 2);
	for (size_t i = 0; i < m.n; i++) {
		assert_int_equal(m.r[i].start, i * 0x2000);
		assert_int_equal(m.r[i].end, (i + 1) * 0x2000);
		assert_int_equal(m.r[i].type, i % 2 ? MEM_RESERVED : MEM_RAM);
	}
	memmap_free(&m);
	assert_null(m.r);
	assert_int_equal(m.n, 0);
}

static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	{ MEM_RAM, "System RAM" },
	{ MEM_RESERVED, "Reserved" },
	{ MEM_ACPI, "ACPI Tables" },
	{ MEM_NVS, "ACPI Non-volatile Storage" },
	{ MEM_UNUSABLE, "Unusable memory" },
	{ MEM_PMEM, "Persistent Memory" },
};

static void test_type_names(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++) {
		assert_string_equal(memmap_type_name(type_names[i].type), type_names[i].name);
		assert_int_equal(memmap_type_from_name(type_names[i].name), type_names[i].type);
	}
	/* Variants the kernel prints. */
	assert_int_equal(memmap_type_from_name("Persistent Memory (legacy)"), MEM_PMEM);
	/* Unknown both ways. */
	assert_int_equal(memmap_type_from_name("PCI Bus 0000:00"), 0);
	assert_int_equal(memmap_type_from_name(""), 0);
	assert_int_equal(memmap_type_from_name("system ram"), 0);
	assert_non_null(memmap_type_name(99));
	assert_string_equal(memmap_type_name(99), "Reserved");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_exclude_many_splits),
		cmocka_unit_test(test_thousands),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
