/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the segment plan (kexec/plan.c): hole finding on synthetic
 * machines, fixed placement rules, segment limits, validation, reading
 * segment data from memory and files, plan_touch. */
#include <fcntl.h>

#include "fixtures.h"

#define NONE UINT64_MAX /* "expect no hole" */

struct fixture {
	struct machine m;
	struct plan p;
};

static int setup_pc(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	machine_pc(&f->m);
	plan_init(&f->p, &f->m, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	plan_release(&f->p);
	machine_free(&f->m);
	free(f);
	return 0;
}

/* ---------------------------------------------------------------- holes */

struct hole_case {
	const char *name;
	uint64_t memsz, align, min, max;
	bool top_down;
	uint64_t mem_min, mem_max; /* --mem-min/--mem-max */
	uint64_t want;             /* NONE: no room */
};

static const struct hole_case hole_cases[] = {
	{ "bottom-up 4K lands at 0", 0x1000, 0x1000, 0, 0, false, 0, 0, 0 },
	{ "bottom-up skips low RAM too small", 0xa0000, 0x1000, 0, 0, false, 0, 0, 0x100000 },
	{ "bottom-up 2M aligned", 16 * MiB, 2 * MiB, 0, 0, false, 0, 0, 0x200000 },
	{ "alignment below 4K means 4K", 0x1000, 1, 0x100001, 0, false, 0, 0, 0x101000 },
	{ "size rounded to pages", 0x9f001, 0x1000, 0, 0, false, 0, 0, 0x100000 },
	{ "top-down takes RAM above 4G", 16 * MiB, 2 * MiB, 0, 0, true, 0, 0, 0x17f000000ULL },
	{ "top-down below 4G skips ACPI and hole", 16 * MiB, 2 * MiB, 0, 4 * GiB - 1, true, 0, 0,
	  0x7ee00000 },
	{ "top-down 4K below the ACPI range", 0x1000, 0x1000, 0, 0x7fffffff, true, 0, 0, 0x7feff000 },
	{ "min above the low ranges", 16 * MiB, 2 * MiB, 3 * GiB, 0, false, 0, 0, 4 * GiB },
	{ "exact fit between min and max", 16 * MiB, 0x1000, 16 * MiB, 32 * MiB - 1, false, 0, 0,
	  16 * MiB },
	{ "exact fit top-down", 16 * MiB, 0x1000, 16 * MiB, 32 * MiB - 1, true, 0, 0, 16 * MiB },
	{ "one page too big for [min,max]", 16 * MiB + 0x1000, 0x1000, 16 * MiB, 32 * MiB - 1,
	  false, 0, 0, NONE },
	{ "alignment pushes past max", 0x1000, 2 * MiB, 0x100000, 0x1fffff, false, 0, 0, NONE },
	{ "max inclusive: last byte allowed", 0x1000, 0x1000, 0x100000, 0x100fff, true, 0, 0,
	  0x100000 },
	{ "only reserved in [min,max]", 0x1000, 0x1000, 0x7ff00000, 0x7fffffff, false, 0, 0, NONE },
	{ "only the non-RAM hole in [min,max]", 0x1000, 0x1000, 0x9fc00, 0xfffff, false, 0, 0, NONE },
	{ "larger than any RAM range", 3 * GiB, 0x1000, 0, 0, false, 0, 0, NONE },
	{ "--mem-min", 0x1000, 0x1000, 0, 0, false, 1 * GiB, 0, 1 * GiB },
	{ "--mem-max top-down", 0x1000, 0x1000, 0, 0, true, 0, 1 * GiB - 1, 1 * GiB - 0x1000 },
	{ "--mem-min/--mem-max window", 4 * MiB, 2 * MiB, 0, 0, true, 256 * MiB, 512 * MiB - 1,
	  508 * MiB },
	{ "--mem-min above caller's min", 0x1000, 0x1000, 2 * MiB, 0, false, 8 * MiB, 0, 8 * MiB },
	{ "caller's max below --mem-max", 0x1000, 0x1000, 0, 4 * MiB - 1, true, 0, 1 * GiB - 1,
	  4 * MiB - 0x1000 },
	{ "--mem-min/--mem-max too small", 8 * MiB, 0x1000, 0, 0, false, 256 * MiB,
	  260 * MiB - 1, NONE },
};

static void test_find_hole(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(hole_cases); i++) {
		const struct hole_case *c = &hole_cases[i];
		struct capture cap;
		uint64_t at = 0xdead;
		int rc;

		f->p.mem_min = c->mem_min;
		f->p.mem_max = c->mem_max;
		capture_start(&cap);
		rc = plan_find_hole(&f->p, c->memsz, c->align, c->min, c->max, c->top_down,
				    &at, "thing");
		capture_end(&cap);
		if (c->want == NONE) {
			if (rc != -1)
				fail_msg("%s: found 0x%llx, want no room", c->name,
					 (unsigned long long)at);
			/* Silent: the caller reports the failure once. */
			assert_silent(cap.text);
		} else {
			if (rc != 0 || at != c->want)
				fail_msg("%s: rc %d at 0x%llx, want 0x%llx (%s)", c->name, rc,
					 (unsigned long long)at, (unsigned long long)c->want,
					 cap.text);
			assert_silent(cap.text);
		}
	}
}

/* Segments already planned are holes no more. */
static void test_find_hole_avoids_segments(void **state)
{
	struct fixture *f = *state;
	uint64_t at;

	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "a", .memsz = 0x200000,
							        .fixed = true,
							        .at = 0x200000 }, NULL), 0);
	assert_int_equal(plan_find_hole(&f->p, 0x1000, 0x1000, 0x200000, 0, false, &at, "b"), 0);
	assert_int_equal(at, 0x400000);
	assert_int_equal(plan_find_hole(&f->p, 2 * MiB, 2 * MiB, 0x100000, 0, false, &at, "b"), 0);
	assert_int_equal(at, 0x400000);
	/* 1 MiB fits below it. */
	assert_int_equal(plan_find_hole(&f->p, 1 * MiB, 0x1000, 0x100000, 0, false, &at, "b"), 0);
	assert_int_equal(at, 0x100000);
	assert_int_equal(plan_find_hole(&f->p, 1 * MiB, 0x1000, 0x100000, 0x3fffff, true, &at, "b"), 0);
	assert_int_equal(at, 0x100000);
}

static void test_max_addr(void **state)
{
	struct fixture *f = *state;
	uint64_t at;
	struct capture cap;

	f->m.max_addr = 1 * GiB;
	assert_int_equal(plan_find_hole(&f->p, 0x1000, 0x1000, 0, 0, true, &at, "x"), 0);
	assert_int_equal(at, 1 * GiB - 0x1000);
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "x", .memsz = 0x2000,
							        .fixed = true,
							        .at = 1 * GiB - 0x1000 }, NULL), -1);
	assert_one_error(capture_end(&cap), "highest usable address");
}

/* ---------------------------------------------------------------- plan_place */

struct at_case {
	const char *name;
	uint64_t mem, memsz;
	size_t bufsz;
	const char *error; /* NULL: accepted */
};

/* Against the PC map with one segment already at 16-18 MiB. */
static const struct at_case at_cases[] = {
	{ "plain", 0x100000, 0x1000, 0x1000, NULL },
	{ "memsz rounded up", 0x100000, 0x1001, 0x1001, NULL },
	{ "low RAM", 0x0, 0x9f000, 0, NULL },
	{ "misaligned start", 0x100800, 0x1000, 0, "not page aligned" },
	{ "data larger than memory", 0x100000, 0x1000, 0x1001, "bad size" },
	{ "empty", 0x100000, 0, 0, "bad size" },
	{ "overlaps the head", 0xf00000, 0x200000, 0, "overlaps the old" },
	{ "overlaps the tail", 0x1100000, 0x200000, 0, "overlaps the old" },
	{ "inside it", 0x1080000, 0x1000, 0, "overlaps the old" },
	{ "covers it", 0xf00000, 0x400000, 0, "overlaps the old" },
	{ "just below it", 0xf00000, 0x100000, 0, NULL },
	{ "just above it", 0x1200000, 0x100000, 0, NULL },
	{ "into the EBDA", 0x9f000, 0x1000, 0, "not inside usable RAM" },
	{ "no memory at all", 0xa0000, 0x1000, 0, "not inside usable RAM" },
	{ "BIOS area", 0xf0000, 0x1000, 0, "not inside usable RAM" },
	{ "across into ACPI", 0x7fe00000, 0x200000, 0, "not inside usable RAM" },
	{ "across the 2G-4G hole", 0x7ff00000 - 0x1000, 0x80002000, 0, "not inside usable RAM" },
	{ "above 4G", 0x100000000ULL, 0x1000, 0, NULL },
	{ "past the end of RAM", 0x17ffff000ULL, 0x2000, 0, "not inside usable RAM" },
	{ "wraps around", 0xfffffffffffff000ULL, 0x2000, 0, "bad size" },
};

static void test_add_at(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(at_cases); i++) {
		const struct at_case *c = &at_cases[i];
		struct capture cap;
		int rc;

		plan_release(&f->p);
		plan_init(&f->p, &f->m, false);
		assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "old",
								        .memsz = 0x200000,
								        .fixed = true,
								        .at = 0x1000000 }, NULL), 0);
		capture_start(&cap);
		rc = plan_place(&f->p, &(struct placement){ .what = "new", .bufsz = c->bufsz,
							    .memsz = c->memsz, .fixed = true,
							    .at = c->mem }, NULL);
		capture_end(&cap);
		if (!c->error) {
			if (rc != 0)
				fail_msg("%s: refused: %s", c->name, cap.text);
			assert_silent(cap.text);
			assert_int_equal(f->p.nseg, 2);
			assert_int_equal(f->p.seg[1].mem, c->mem);
			assert_int_equal(f->p.seg[1].memsz, ALIGN_UP(c->memsz, 0x1000));
			assert_int_equal(f->p.seg[1].fd, -1);
		} else {
			if (rc != -1)
				fail_msg("%s: accepted, want \"%s\"", c->name, c->error);
			assert_one_error(cap.text, c->error);
			assert_int_equal(f->p.nseg, 1);
		}
	}
}

static void test_mem_min_max_at(void **state)
{
	struct fixture *f = *state;
	struct capture cap;

	f->p.mem_min = 16 * MiB;
	f->p.mem_max = 32 * MiB - 1;
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "fits", .memsz = 16 * MiB,
							        .fixed = true,
							        .at = 16 * MiB }, NULL), 0);
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "low", .memsz = 0x1000,
							        .fixed = true,
							        .at = 15 * MiB }, NULL), -1);
	assert_one_error(capture_end(&cap), "--mem-min/--mem-max");
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "high", .memsz = 0x1000,
							        .fixed = true,
							        .at = 32 * MiB }, NULL), -1);
	assert_one_error(capture_end(&cap), "--mem-min/--mem-max");
	/* Free placement honours them too. */
	plan_release(&f->p);
	plan_init(&f->p, &f->m, false);
	f->p.mem_min = 16 * MiB;
	f->p.mem_max = 32 * MiB - 1;
	uint64_t at;
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "top", .memsz = 0x1000,
							        .align = 0x1000,
							        .top_down = true }, &at), 0);
	assert_int_equal(at, 32 * MiB - 0x1000);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "bottom", .memsz = 0x1000,
							        .align = 0x1000 }, &at), 0);
	assert_int_equal(at, 16 * MiB);
}

/* A free placement that fails under --mem-max names the limit. */
static void test_no_room_names_limits(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	char note[96];

	f->p.mem_max = 4 * MiB - 1;
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "kernel", .memsz = 64 * MiB,
							        .align = 0x1000 }, NULL), -1);
	assert_one_error(capture_end(&cap), "no room for the kernel (65536 KiB) in free memory "
			 "between 0x0 and 0x3fffff below --mem-max 0x3fffff");
	assert_string_equal(plan_limit_note(&f->p, note, sizeof(note)), " below --mem-max 0x3fffff");
	f->p.mem_min = MiB;
	assert_string_equal(plan_limit_note(&f->p, note, sizeof(note)),
			    " within --mem-min 0x100000 and --mem-max 0x3fffff");
	f->p.mem_max = 0;
	assert_string_equal(plan_limit_note(&f->p, note, sizeof(note)), " above --mem-min 0x100000");
	f->p.mem_min = 0;
	assert_string_equal(plan_limit_note(&f->p, note, sizeof(note)), "");
}

/* plan_place places and records: rounded memsz, data pointer, no fd. */
static void test_add(void **state)
{
	struct fixture *f = *state;
	static const char data[] = "hello";
	uint64_t a, b;

	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "one", .buf = data,
							        .bufsz = sizeof(data),
							        .memsz = 0x1800, .align = 2 * MiB,
							        .min = 1 * MiB }, &a), 0);
	assert_int_equal(a, 2 * MiB);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "two", .buf = data,
							        .bufsz = sizeof(data),
							        .align = 0x1000,
							        .min = 2 * MiB }, &b), 0);
	assert_int_equal(b, 2 * MiB + 0x2000);
	assert_int_equal(f->p.nseg, 2);
	assert_ptr_equal(f->p.seg[0].buf, data);
	assert_int_equal(f->p.seg[0].bufsz, sizeof(data));
	assert_int_equal(f->p.seg[0].memsz, 0x2000);
	/* memsz below bufsz: at least the data. */
	assert_int_equal(f->p.seg[1].memsz, 0x1000);
	assert_string_equal(f->p.seg[1].what, "two");
	f->p.entry = b + 0xfff;
	assert_int_equal(plan_validate(&f->p), 0);
}

/* ---------------------------------------------------------------- crash */

static void test_crash_plan(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	uint64_t at;

	assert_int_equal(memmap_add(&f->m.crash, 0x20000000, 0x28000000, MEM_RAM), 0);
	plan_init(&f->p, &f->m, true);
	assert_int_equal(plan_find_hole(&f->p, 16 * MiB, 2 * MiB, 0, 0, false, &at, "k"), 0);
	assert_int_equal(at, 0x20000000);
	assert_int_equal(plan_find_hole(&f->p, 16 * MiB, 2 * MiB, 0, 0, true, &at, "k"), 0);
	assert_int_equal(at, 0x27000000);
	/* Limits still apply inside the crash region. */
	assert_int_equal(plan_find_hole(&f->p, 0x1000, 0x1000, 0x24000000, 0, false, &at, "k"), 0);
	assert_int_equal(at, 0x24000000);
	assert_int_equal(plan_find_hole(&f->p, 0x1000, 0x1000, 0, 0x21ffffff, true, &at, "k"), 0);
	assert_int_equal(at, 0x21fff000);
	/* Too big for the crash region, though RAM has room. */
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "k", .memsz = 129 * MiB,
							        .align = 0x1000 }, &at), -1);
	assert_one_error(capture_end(&cap), "crash kernel");
	/* Fixed placement: in RAM but outside the crash region. */
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "k", .memsz = 0x1000,
							        .fixed = true,
							        .at = 0x1000000 }, NULL), -1);
	assert_one_error(capture_end(&cap), "crash kernel region");
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "k", .memsz = 0x2000,
							        .fixed = true,
							        .at = 0x27fff000 }, NULL), -1);
	assert_one_error(capture_end(&cap), "crash kernel region");
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "k", .memsz = 0x1000,
							        .fixed = true,
							        .at = 0x27fff000 }, NULL), 0);
	/* Every hole found lies inside the region. */
	for (int i = 0; i < 8; i++) {
		assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "s",
								        .memsz = 3 * MiB,
								        .align = 0x1000,
								        .top_down = i & 1 }, &at), 0);
		assert_true(at >= 0x20000000 && at + 3 * MiB <= 0x28000000);
	}
}

static void test_crash_without_region(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	uint64_t at;

	plan_init(&f->p, &f->m, true);
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "kernel", .memsz = 0x1000,
							        .align = 0x1000 }, &at), -1);
	assert_one_error(capture_end(&cap), "no room for the kernel");
	assert_int_equal(f->p.nseg, 0);
}

/* ---------------------------------------------------------------- limits */

static void fill_segments(struct plan *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(plan_place(p, &(struct placement){ .what = "s", .memsz = 0x1000,
								    .fixed = true,
								    .at = 0x100000 + i * 0x1000ULL }, NULL), 0);
}

static void test_segment_limit(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	uint64_t at;

	/* The backend keeps 2 of its 15 for itself: 13 for the loader. */
	f->m.max_segments = 15;
	f->m.reserved_segments = 2;
	fill_segments(&f->p, 13);
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "initrd", .memsz = 0x1000,
							        .fixed = true,
							        .at = 0x200000 }, NULL), -1);
	assert_one_error(capture_end(&cap), "too many segments");
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "initrd", .memsz = 0x1000,
							        .align = 0x1000 }, &at), -1);
	assert_one_error(capture_end(&cap), "the initrd would be number 14; at most 13");
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "file", .from_file = true,
							        .memsz = 0x1000,
							        .align = 0x1000 }, &at), -1);
	assert_one_error(capture_end(&cap), "too many segments");
	assert_int_equal(f->p.nseg, 13);

	/* No backend limit: the plan's own. */
	plan_release(&f->p);
	f->m.max_segments = 0;
	f->m.reserved_segments = 0;
	plan_init(&f->p, &f->m, false);
	fill_segments(&f->p, PLAN_MAX_SEGMENTS);
	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "x", .memsz = 0x1000,
							        .fixed = true,
							        .at = 0x200000 }, NULL), -1);
	assert_one_error(capture_end(&cap), "too many segments");
}

/* ---------------------------------------------------------------- validate */

static void test_validate(void **state)
{
	struct fixture *f = *state;
	static const char data[64];
	struct capture cap;

	capture_start(&cap);
	assert_int_equal(plan_validate(&f->p), -1);
	assert_one_error(capture_end(&cap), "nothing to load");

	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "a", .buf = data,
							        .bufsz = sizeof(data),
							        .memsz = 0x1000, .fixed = true,
							        .at = 0x100000 }, NULL), 0);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "b", .buf = data,
							        .bufsz = sizeof(data),
							        .memsz = 0x2000, .fixed = true,
							        .at = 0x300000 }, NULL), 0);
	f->p.entry = 0x301fff;
	assert_int_equal(plan_validate(&f->p), 0);
	f->p.entry = 0x100000;
	assert_int_equal(plan_validate(&f->p), 0);

	/* Entry in the gap, or just past the last byte. */
	const uint64_t bad_entries[] = { 0x101000, 0x200000, 0x302000, 0 };
	for (size_t i = 0; i < ARRAY_SIZE(bad_entries); i++) {
		f->p.entry = bad_entries[i];
		capture_start(&cap);
		assert_int_equal(plan_validate(&f->p), -1);
		assert_one_error(capture_end(&cap), "outside every segment");
	}
	f->p.entry = 0x100000;

	/* Damage made behind the plan's back is caught. */
	f->p.seg[1].mem = 0x100000;
	capture_start(&cap);
	assert_int_equal(plan_validate(&f->p), -1);
	assert_one_error(capture_end(&cap), "overlaps");
	f->p.seg[1].mem = 0x300800;
	capture_start(&cap);
	assert_int_equal(plan_validate(&f->p), -1);
	assert_one_error(capture_end(&cap), "not page aligned");
	f->p.seg[1].mem = 0xa0000;
	capture_start(&cap);
	assert_int_equal(plan_validate(&f->p), -1);
	assert_one_error(capture_end(&cap), "not inside usable RAM");
	f->p.seg[1].mem = 0x300000;
	f->p.seg[1].buf = NULL;
	capture_start(&cap);
	assert_int_equal(plan_validate(&f->p), -1);
	assert_one_error(capture_end(&cap), "no data source");
	f->p.seg[1].buf = data;
	assert_int_equal(plan_validate(&f->p), 0);
	/* plan_validate left the plan as it was. */
	assert_int_equal(f->p.nseg, 2);
}

/* ---------------------------------------------------------------- reading */

static void test_segment_read_memory(void **state UNUSED)
{
	uint8_t src[100], dst[100];
	struct segment s = { .buf = src, .fd = -1, .bufsz = sizeof(src), .what = "blob" };
	struct capture cap;

	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i + 1);
	memset(dst, 0, sizeof(dst));
	assert_int_equal(segment_read(&s, 10, dst, 20), 0);
	assert_memory_equal(dst, src + 10, 20);
	assert_int_equal(segment_read(&s, 0, dst, 100), 0);
	assert_memory_equal(dst, src, 100);
	assert_int_equal(segment_read(&s, 100, dst, 0), 0);
	capture_start(&cap);
	assert_int_equal(segment_read(&s, 90, dst, 11), -1);
	assert_one_error(capture_end(&cap), "blob");
	capture_start(&cap);
	assert_int_equal(segment_read(&s, 101, dst, 0), -1);
	assert_one_error(capture_end(&cap), "read past");
	capture_start(&cap);
	assert_int_equal(segment_read(&s, UINT64_MAX, dst, 2), -1);
	assert_one_error(capture_end(&cap), "read past");
}

static void test_segment_read_file(void **state UNUSED)
{
	char path[64];
	const uint64_t size = 3 * 0x10000 + 123, base = 0x1234;
	int fd = temp_file(path, size, true);
	struct segment s = { .fd = fd, .file_off = base, .bufsz = (size_t)(size - base),
			     .what = "initrd" };
	uint8_t *dst = malloc((size_t)size);
	struct capture cap;

	assert_non_null(dst);
	/* Whole, then pieces at odd offsets. */
	assert_int_equal(segment_read(&s, 0, dst, s.bufsz), 0);
	for (size_t i = 0; i < s.bufsz; i++)
		if (dst[i] != temp_file_byte(base + i))
			fail_msg("byte %zu of the file segment is wrong", i);
	assert_int_equal(segment_read(&s, 0x10001, dst, 5000), 0);
	for (size_t i = 0; i < 5000; i++)
		assert_int_equal(dst[i], temp_file_byte(base + 0x10001 + i));
	/* The last byte alone. */
	assert_int_equal(segment_read(&s, s.bufsz - 1, dst, 1), 0);
	assert_int_equal(dst[0], temp_file_byte(size - 1));
	/* Past the data. */
	capture_start(&cap);
	assert_int_equal(segment_read(&s, s.bufsz - 1, dst, 2), -1);
	assert_one_error(capture_end(&cap), "initrd");
	/* The file shrank after planning. */
	assert_int_equal(ftruncate(fd, (off_t)(base + 100)), 0);
	capture_start(&cap);
	assert_int_equal(segment_read(&s, 0, dst, 200), -1);
	assert_one_error(capture_end(&cap), "initrd: read failed");
	/* A bad descriptor. */
	s.fd = 9999;
	capture_start(&cap);
	assert_int_equal(segment_read(&s, 0, dst, 10), -1);
	assert_one_error(capture_end(&cap), "initrd: read failed");
	free(dst);
	close(fd);
	unlink(path);
}

static void test_add_file_and_release(void **state)
{
	struct fixture *f = *state;
	char path[64];
	int fd = temp_file(path, 0x3000, true);
	uint64_t at;
	uint8_t b;

	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "initrd", .from_file = true,
							        .fd = fd, .file_off = 0x800,
							        .bufsz = 0x2000, .memsz = 0x2000,
							        .align = 0x1000, .owns_fd = true,
							        .min = 16 * MiB }, &at), 0);
	assert_int_equal(at, 16 * MiB);
	assert_true(f->p.seg[0].owns_fd);
	assert_null(f->p.seg[0].buf);
	assert_int_equal(f->p.seg[0].fd, fd);
	assert_int_equal(f->p.seg[0].file_off, 0x800);
	assert_int_equal(segment_read(&f->p.seg[0], 0x10, &b, 1), 0);
	assert_int_equal(b, temp_file_byte(0x810));
	plan_release(&f->p);
	assert_int_equal(fcntl(fd, F_GETFD), -1); /* closed by the plan */
	unlink(path);
}

/* A file handed to the plan is closed even when it cannot be placed, so
 * the loader has one exit path; a refused request leaves no segment. */
static void test_place_failure_closes_owned_file(void **state)
{
	struct fixture *f = *state;
	char path[64];
	int fd = temp_file(path, 0x3000, true);
	struct capture cap;

	capture_start(&cap);
	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "initrd", .from_file = true,
							        .fd = fd, .owns_fd = true,
							        .bufsz = 0x3000, .fixed = true,
							        .memsz = 0x3000, .at = (uint64_t)1 << 44 },
				    NULL), -1);
	assert_one_error(capture_end(&cap), "initrd");
	assert_int_equal(f->p.nseg, 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	unlink(path);
}

/* What the request says about the digest reaches the segment. */
static void test_place_no_digest(void **state)
{
	struct fixture *f = *state;
	static const uint8_t blob[16];
	uint64_t at;

	assert_int_equal(plan_place(&f->p, &(struct placement){ .what = "purgatory", .buf = blob,
							        .bufsz = sizeof(blob),
							        .no_digest = true }, &at), 0);
	assert_int_equal(f->p.nseg, 1);
	assert_true(f->p.seg[0].no_digest);
	assert_int_equal(f->p.seg[0].mem, at);
	assert_int_equal(f->p.seg[0].memsz, 0x1000);
	assert_int_equal(f->p.seg[0].fd, -1);
}

static void test_own(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	void *extra = malloc(8);

	/* 32 buffers are fine, the 33rd is refused; release frees them
	 * (checked by valgrind/ASan runs, not here). */
	for (int i = 0; i < 32; i++)
		assert_int_equal(plan_own(&f->p, malloc(16)), 0);
	capture_start(&cap);
	assert_int_equal(plan_own(&f->p, extra), -1);
	assert_one_error(capture_end(&cap), "too many plan buffers");
	free(extra);
}

/* ---------------------------------------------------------------- touch */

static void test_touch(void **state)
{
	struct fixture *f = *state;
	struct capture cap;

	assert_int_equal(plan_touch(&f->p, 0xb8000, 0xc0000), 0);
	/* Inside: absorbed, rounded out to pages. */
	assert_int_equal(plan_touch(&f->p, 0xb8123, 0xbf001), 0);
	assert_int_equal(plan_touch(&f->p, 0x1fff, 0x2001), 0);
	/* Empty: nothing recorded. */
	assert_int_equal(plan_touch(&f->p, 0x5000, 0x5000), 0);
	assert_int_equal(f->p.ntouch, 2);
	assert_int_equal(f->p.touch[0].start, 0xb8000);
	assert_int_equal(f->p.touch[0].end, 0xc0000);
	assert_int_equal(f->p.touch[1].start, 0x1000);
	assert_int_equal(f->p.touch[1].end, 0x3000);
	/* Abutting one and overlapping the other: all three become one. */
	assert_int_equal(plan_touch(&f->p, 0x3000, 0xb9000), 0);
	assert_int_equal(f->p.ntouch, 1);
	assert_int_equal(f->p.touch[0].start, 0x1000);
	assert_int_equal(f->p.touch[0].end, 0xc0000);
	/* Apart: kept apart, up to the array's size. */
	assert_int_equal(plan_touch(&f->p, 0x200000, 0x201000), 0);
	assert_int_equal(plan_touch(&f->p, 0x300000, 0x301000), 0);
	assert_int_equal(plan_touch(&f->p, 0x400000, 0x401000), 0);
	assert_int_equal(f->p.ntouch, 4);
	capture_start(&cap);
	assert_int_equal(plan_touch(&f->p, 0x500000, 0x501000), -1);
	assert_one_error(capture_end(&cap), "too many extra mappings");
	/* Touch ranges are not segments: holes can still be found there. */
	uint64_t at;
	assert_int_equal(plan_find_hole(&f->p, 0x1000, 0x1000, 0x1000, 0, false, &at, "x"), 0);
	assert_int_equal(at, 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_hole, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_find_hole_avoids_segments, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_max_addr, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_add_at, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_mem_min_max_at, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_no_room_names_limits, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_add, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_crash_plan, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_crash_without_region, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_segment_limit, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_validate, setup_pc, teardown),
		cmocka_unit_test(test_segment_read_memory),
		cmocka_unit_test(test_segment_read_file),
		cmocka_unit_test_setup_teardown(test_add_file_and_release, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_place_failure_closes_owned_file, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_place_no_digest, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_own, setup_pc, teardown),
		cmocka_unit_test_setup_teardown(test_touch, setup_pc, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
