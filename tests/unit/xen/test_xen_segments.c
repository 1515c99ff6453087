/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the plan -> Xen segment list conversion
 * (kexec/xen/segments.c), judged by an independent simulator of Xen's
 * KEXEC_CMD_kexec_load validation (tests/fixtures/xen-sim.c): for every plan,
 * xen_segments_build either refuses with one error line or produces a
 * list the simulator accepts. */
#include <errno.h>

#include "file-types.h"
#include "fixtures.h"
#include "xen-sim.h"

#define CS 0x20000000ULL /* the crash area used by the crash cases */
#define CSZ 0x08000000ULL

/* ---------------------------------------------------------------- simulator */

static struct xen_seg_list list_of(uint8_t type, uint16_t arch, uint64_t entry,
				   const struct xen_seg *segs, unsigned n)
{
	struct xen_seg_list l;

	memset(&l, 0, sizeof(l));
	l.type = type;
	l.arch = arch;
	l.entry = entry;
	l.n = n;
	for (unsigned i = 0; i < n && i < XEN_MAX_SEGMENTS; i++)
		l.seg[i] = segs[i];
	return l;
}

#define SEG(i, b, d, s) { (i), (b), (d), (s) }

struct sim_case {
	const char *name;
	uint8_t type;
	uint16_t arch;
	uint64_t entry;
	struct xen_seg seg[4];
	unsigned n; /* >= 16: a count-only list */
	int err;
	int step;
};

/* The simulator itself, row by row: each rule can refuse, rules apply in
 * table order, and what Xen leaves unchecked passes. */
static const struct sim_case sim_cases[] = {
	{ "plain default", 0, 62, 0x100000, { SEG(0, 0x1000, 0x100000, 0x1000) }, 1, 0, 0 },
	{ "15 segments", 0, 62, 0, { { 0 } }, 15, 0, 0 },
	{ "16 segments", 0, 62, 0, { { 0 } }, 16, -EINVAL, 2 },
	{ "16 segments and a bad type", 7, 62, 0, { { 0 } }, 16, -EINVAL, 2 },
	{ "bad type", 2, 62, 0, { SEG(0, 0, 0x100000, 0x1000) }, 1, -EINVAL, 4 },
	{ "crash entry at the start", 1, 62, CS, { SEG(0, 0x1000, CS, 0x1000) }, 1, 0, 0 },
	{ "crash entry at start+size (inclusive)", 1, 62, CS + CSZ,
	  { SEG(0, 0x1000, CS, 0x1000) }, 1, 0, 0 },
	{ "crash entry one past", 1, 62, CS + CSZ + 1, { SEG(0, 0x1000, CS, 0x1000) }, 1,
	  -EADDRNOTAVAIL, 5 },
	{ "crash entry below", 1, 62, CS - 1, { SEG(0, 0x1000, CS, 0x1000) }, 1, -EADDRNOTAVAIL, 5 },
	{ "crash entry checked before alignment", 1, 62, 0, { SEG(0, 0x1000, CS + 1, 0x1000) }, 1,
	  -EADDRNOTAVAIL, 5 },
	{ "crash data outside", 1, 62, CS, { SEG(0, 0x1000, CS - 0x1000, 0x1000) }, 1,
	  -EADDRNOTAVAIL, 6 },
	{ "crash data crossing the end", 1, 62, CS,
	  { SEG(0, 0x1000, CS + CSZ - 0x1000, 0x2000) }, 1, -EADDRNOTAVAIL, 6 },
	{ "crash data up to the end", 1, 62, CS,
	  { SEG(0, 0x1000, CS + CSZ - 0x2000, 0x2000) }, 1, 0, 0 },
	{ "crash map-only outside is fine", 1, 62, CS,
	  { SEG(0, 0x1000, CS, 0x1000), SEG(-1, 0, 0xb8000, 0x8000) }, 2, 0, 0 },
	{ "crash empty real segment outside is not checked", 1, 62, CS,
	  { SEG(0, 0x1000, CS, 0x1000), SEG(1, 0, 0x100000, 0x1000) }, 2, 0, 0 },
	{ "default: anywhere", 0, 62, 0, { SEG(0, 0x1000, 0xfff000000ULL, 0x1000) }, 1, 0, 0 },
	{ "misaligned dest", 0, 62, 0, { SEG(0, 0, 0x100800, 0x1000) }, 1, -EADDRNOTAVAIL, 7 },
	{ "misaligned end", 0, 62, 0, { SEG(0, 0, 0x100000, 0x800) }, 1, -EADDRNOTAVAIL, 7 },
	{ "misaligned map-only", 0, 62, 0, { SEG(-1, 0, 0x100000, 0x1800) }, 1, -EADDRNOTAVAIL, 7 },
	{ "alignment before overlap", 0, 62, 0,
	  { SEG(0, 0, 0x100000, 0x2000), SEG(1, 0, 0x101000, 0x1800) }, 2, -EADDRNOTAVAIL, 7 },
	{ "overlap", 0, 62, 0, { SEG(0, 0, 0x100000, 0x2000), SEG(1, 0, 0x101000, 0x1000) }, 2,
	  -EINVAL, 8 },
	{ "overlap, unsorted", 0, 62, 0,
	  { SEG(0, 0, 0x300000, 0x1000), SEG(1, 0, 0x100000, 0x1000), SEG(-1, 0, 0x0, 0x400000) },
	  3, -EINVAL, 8 },
	{ "touching is fine", 0, 62, 0,
	  { SEG(0, 0, 0x101000, 0x1000), SEG(1, 0, 0x100000, 0x1000) }, 2, 0, 0 },
	{ "buf_size > dest_size", 0, 62, 0, { SEG(0, 0x1001, 0x100000, 0x1000) }, 1, -EINVAL, 9 },
	{ "bad arch", 0, 40, 0, { SEG(0, 0, 0x100000, 0x1000) }, 1, -EINVAL, 13 },
	{ "arch checked last", 0, 40, 0, { SEG(0, 0x2000, 0x100000, 0x1000) }, 1, -EINVAL, 9 },
	{ "EM_386 entry above 4 GiB is not checked", 0, 3, 0x100000000ULL,
	  { SEG(0, 0x1000, 0x100000000ULL, 0x1000) }, 1, 0, 0 },
};

static void test_simulator(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(sim_cases); i++) {
		const struct sim_case *c = &sim_cases[i];
		struct xen_seg segs[XEN_SIM_SEGMENT_MAX];
		struct xen_seg_list l;
		struct xen_sim_report r;
		unsigned n = c->n;
		int err;

		memset(segs, 0, sizeof(segs));
		if (n > 4) /* n pages in a row */
			for (unsigned j = 0; j < n && j < XEN_SIM_SEGMENT_MAX; j++)
				segs[j] = (struct xen_seg)SEG((int)j, 0x1000, 0x100000 + j * 0x1000ULL, 0x1000);
		else
			memcpy(segs, c->seg, sizeof(c->seg));
		l = list_of(c->type, c->arch, c->entry, segs, n);
		err = xen_sim_load(&l, CS, CSZ, NULL, &r);
		if (err != c->err || r.step != c->step)
			fail_msg("%s: simulator says %d at row %d (%s), want %d at row %d", c->name,
				 err, r.step, r.why, c->err, c->step);
	}
}

/* The optional crash-area page model: a crash area filled by segments has
 * no pages left for Xen's control pages. */
static void test_simulator_crash_pages(void **state UNUSED)
{
	const struct xen_sim_opts strict = { .crash_pages = true };
	struct xen_seg full = SEG(0, 0x1000, CS, CSZ);
	struct xen_seg most = SEG(0, 0x1000, CS, CSZ - 0x10000);
	struct xen_seg_list l = list_of(1, 62, CS, &full, 1);

	assert_int_equal(xen_sim_load(&l, CS, CSZ, NULL, NULL), 0);
	assert_int_equal(xen_sim_load(&l, CS, CSZ, &strict, NULL), -ENOMEM);
	l = list_of(1, 62, CS, &most, 1);
	/* 128 MiB: 3 + 1 + 1 + 64 L1s = 69 pages needed, 16 free. */
	assert_int_equal(xen_sim_load(&l, CS, CSZ, &strict, NULL), -ENOMEM);
	most.dest_size = CSZ - 0x100000;
	l = list_of(1, 62, CS, &most, 1);
	assert_int_equal(xen_sim_load(&l, CS, CSZ, &strict, NULL), 0);
	/* Default images take control pages from Xen's heap. */
	l = list_of(0, 62, CS, &full, 1);
	assert_int_equal(xen_sim_load(&l, CS, CSZ, &strict, NULL), 0);
}

/* ---------------------------------------------------------------- plans */

/* Append a segment to a plan as it stands (no placement rules): plans
 * here describe what a loader could hand over, good or bad. */
static void raw_seg(struct plan *p, uint64_t mem, uint64_t memsz, size_t bufsz, const char *what)
{
	static const uint8_t data[0x4000];

	assert_true(p->nseg < PLAN_MAX_SEGMENTS);
	p->seg[p->nseg++] = (struct segment){ .buf = bufsz ? data : NULL,
					      .fd = -1, .bufsz = bufsz, .mem = mem,
					      .memsz = memsz, .what = what };
}

enum want { ACCEPT, REFUSE, EITHER };

struct plan_case {
	const char *name;
	void (*make)(struct plan *p);
	uint64_t cs, csz;    /* Xen's crash area */
	enum want want;
	const char *error;   /* part of the refusal message */
	int naive;           /* what Xen says to the list taken as is */
};

/* kernel, initrd, boot parameters, purgatory at 1 MiB. */
static void four(struct plan *p)
{
	raw_seg(p, 0x1000000, 0x800000, 0x4000, "kernel");
	raw_seg(p, 0x1800000, 0x200000, 0x4000, "initrd");
	raw_seg(p, 0x100000, 0x1000, 0x1000, "boot parameters");
	raw_seg(p, 0x101000, 0x6000, 0x3000, "purgatory");
	p->entry = 0x101000;
}

static void four_vga(struct plan *p)
{
	four(p);
	assert_int_equal(plan_touch(p, 0xb8000, 0xc0000), 0);
}

/* A real segment inside the VGA window: map-only pieces around it. */
static void vga_split(struct plan *p)
{
	four_vga(p);
	raw_seg(p, 0xbc000, 0x1000, 0x100, "backup");
}

/* A real segment over the head of the touch range. */
static void vga_head(struct plan *p)
{
	four_vga(p);
	raw_seg(p, 0xb7000, 0x2000, 0, "bss");
}

/* Low memory mapped whole, with two real segments inside it. */
static void low_mem(struct plan *p)
{
	four(p);
	raw_seg(p, 0x1000, 0x1000, 0x10, "trampoline");
	raw_seg(p, 0x90000, 0x8000, 0x10, "backup");
	assert_int_equal(plan_touch(p, 0, 0x100000), 0);
}

/* A touch range entirely inside a real segment adds nothing. */
static void touch_covered(struct plan *p)
{
	four(p);
	assert_int_equal(plan_touch(p, 0x1001000, 0x1003000), 0);
}

/* Overlapping touch ranges must not produce overlapping segments (they
 * are merged when recorded, so even the plan as is is accepted). */
static void touch_overlapping(struct plan *p)
{
	four_vga(p);
	assert_int_equal(plan_touch(p, 0xb0000, 0xc0000), 0);
	assert_int_equal(plan_touch(p, 0xbc000, 0xd0000), 0);
	assert_int_equal(plan_touch(p, 0xb8000, 0xc0000), 0);
}

/* Four touch ranges, each split by a real segment. */
static void touch_four_split(struct plan *p)
{
	raw_seg(p, 0x1000000, 0x800000, 0x4000, "kernel");
	raw_seg(p, 0x101000, 0x6000, 0x3000, "purgatory");
	p->entry = 0x101000;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t base = 0x200000 + i * 0x100000;

		raw_seg(p, base + 0x4000, 0x1000, 0x10, "piece");
		assert_int_equal(plan_touch(p, base, base + 0x10000), 0);
	}
}

static void n_pages(struct plan *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		raw_seg(p, 0x200000 + i * 0x2000ULL, 0x1000, 0x10, "s");
	p->entry = 0x200000;
}

static void fifteen(struct plan *p) { n_pages(p, 15); }
static void sixteen(struct plan *p) { n_pages(p, 16); }

static void fifteen_touch(struct plan *p)
{
	n_pages(p, 15);
	assert_int_equal(plan_touch(p, 0xb8000, 0xc0000), 0);
}

static void fourteen_touch_split(struct plan *p)
{
	n_pages(p, 14);
	/* One map-only segment on each side of page 0. */
	assert_int_equal(plan_touch(p, 0x1ff000, 0x202000), 0);
}

static void thirteen_touch_split(struct plan *p)
{
	n_pages(p, 13);
	assert_int_equal(plan_touch(p, 0x1ff000, 0x202000), 0);
}

/* Crash: everything inside [CS, CS+CSZ). */
static void crash_inside(struct plan *p)
{
	p->crash = true;
	raw_seg(p, CS, 0x800000, 0x4000, "kernel");
	raw_seg(p, CS + 0x800000, 0x1000, 0x1000, "boot parameters");
	raw_seg(p, CS + 0x801000, 0x6000, 0x3000, "purgatory");
	p->entry = CS + 0x801000;
}

static void crash_vga(struct plan *p)
{
	crash_inside(p);
	assert_int_equal(plan_touch(p, 0xb8000, 0xc0000), 0);
}

static void crash_seg_outside(struct plan *p)
{
	crash_inside(p);
	raw_seg(p, 0x1000000, 0x1000, 0x10, "initrd");
}

static void crash_seg_crossing_end(struct plan *p)
{
	crash_inside(p);
	raw_seg(p, CS + CSZ - 0x1000, 0x2000, 0x10, "initrd");
}

static void crash_bss_outside(struct plan *p)
{
	crash_inside(p);
	raw_seg(p, 0x1000000, 0x1000, 0, "bss");
}

static void crash_entry_outside(struct plan *p)
{
	crash_inside(p);
	p->entry = CS - 0x1000;
}

static void crash_entry_at_end(struct plan *p)
{
	crash_inside(p);
	p->entry = CS + CSZ;
}

static void i386_high(struct plan *p)
{
	four(p);
	p->arch = 3;
	raw_seg(p, 0x100000000ULL, 0x1000, 0x10, "high");
	p->entry = 0x100000000ULL;
}

static void i386_low(struct plan *p)
{
	four(p);
	p->arch = 3;
}

static void misaligned(struct plan *p)
{
	four(p);
	p->seg[1].mem += 0x800;
}

static void too_much_data(struct plan *p)
{
	four(p);
	p->seg[2].bufsz = 0x1001;
}

static void overlapping(struct plan *p)
{
	four(p);
	p->seg[1].mem = 0x17ff000;
}

static void empty(struct plan *p)
{
	(void)p;
}

static const struct plan_case plan_cases[] = {
	{ "normal 4 segments", four, 0, 0, ACCEPT, NULL, 0 },
	{ "VGA touch", four_vga, 0, 0, ACCEPT, NULL, 0 },
	{ "VGA touch split around a segment", vga_split, 0, 0, ACCEPT, NULL, -EINVAL },
	{ "VGA touch clipped by a segment", vga_head, 0, 0, ACCEPT, NULL, -EINVAL },
	{ "low memory around two segments", low_mem, 0, 0, ACCEPT, NULL, -EINVAL },
	{ "touch inside a segment", touch_covered, 0, 0, ACCEPT, NULL, -EINVAL },
	{ "overlapping touch ranges", touch_overlapping, 0, 0, ACCEPT, NULL, 0 },
	{ "four split touch ranges", touch_four_split, 0, 0, ACCEPT, NULL, -EINVAL },
	{ "15 segments", fifteen, 0, 0, ACCEPT, NULL, 0 },
	{ "16 segments", sixteen, 0, 0, REFUSE, "at most 15 segments", -EINVAL },
	{ "15 segments + a touch", fifteen_touch, 0, 0, REFUSE, "at most 15 segments", -EINVAL },
	{ "14 segments + a split touch", fourteen_touch_split, 0, 0, REFUSE,
	  "at most 15 segments", -EINVAL },
	{ "13 segments + a split touch", thirteen_touch_split, 0, 0, ACCEPT, NULL, -EINVAL },
	{ "crash inside", crash_inside, CS, CSZ, ACCEPT, NULL, 0 },
	{ "crash + VGA outside the area", crash_vga, CS, CSZ, ACCEPT, NULL, 0 },
	{ "crash segment outside", crash_seg_outside, CS, CSZ, REFUSE, "crash area",
	  -EADDRNOTAVAIL },
	{ "crash segment crossing the end", crash_seg_crossing_end, CS, CSZ, REFUSE, "crash area",
	  -EADDRNOTAVAIL },
	{ "crash bss outside (Xen would not zero it)", crash_bss_outside, CS, CSZ, REFUSE,
	  "crash area", 0 },
	{ "crash entry outside", crash_entry_outside, CS, CSZ, REFUSE, "crash area",
	  -EADDRNOTAVAIL },
	{ "crash entry at the inclusive end", crash_entry_at_end, CS, CSZ, EITHER, NULL, 0 },
	{ "crash without a crash area", crash_inside, 0, 0, REFUSE, "crash", -EADDRNOTAVAIL },
	{ "EM_386 entry above 4 GiB", i386_high, 0, 0, REFUSE, "4 GiB", 0 },
	{ "EM_386 entry below 4 GiB", i386_low, 0, 0, ACCEPT, NULL, 0 },
	{ "misaligned segment", misaligned, 0, 0, REFUSE, "page aligned", -EADDRNOTAVAIL },
	{ "more data than room", too_much_data, 0, 0, REFUSE, "more data", -EINVAL },
	{ "overlapping segments", overlapping, 0, 0, REFUSE, "overlap", -EINVAL },
	{ "empty plan", empty, 0, 0, REFUSE, NULL, 0 },
};

/* The plan handed over unchanged: one segment per plan segment, touch
 * ranges as map-only segments as they are. Shows the case is not
 * trivially fine for Xen. */
static struct xen_seg_list naive_list(const struct plan *p)
{
	struct xen_seg_list l;

	memset(&l, 0, sizeof(l));
	l.type = p->crash;
	l.arch = (uint16_t)p->arch;
	l.entry = p->entry;
	for (unsigned i = 0; i < p->nseg; i++, l.n++)
		if (l.n < XEN_MAX_SEGMENTS)
			l.seg[l.n] = (struct xen_seg){ (int)i, p->seg[i].bufsz, p->seg[i].mem,
						       p->seg[i].memsz };
	for (unsigned i = 0; i < p->ntouch; i++, l.n++)
		if (l.n < XEN_MAX_SEGMENTS)
			l.seg[l.n] = (struct xen_seg){ -1, 0, p->touch[i].start,
						       p->touch[i].end - p->touch[i].start };
	return l;
}

/* Every byte of every touch range and every segment is mapped by the
 * built list, and each plan segment appears once with its data. */
static void expect_coverage(const struct plan *p, const struct xen_seg_list *l)
{
	for (unsigned i = 0; i < p->nseg; i++) {
		unsigned hits = 0;

		for (unsigned j = 0; j < l->n; j++)
			if (l->seg[j].plan_index == (int)i) {
				hits++;
				assert_int_equal(l->seg[j].dest, p->seg[i].mem);
				assert_int_equal(l->seg[j].dest_size, p->seg[i].memsz);
				assert_int_equal(l->seg[j].buf_size, p->seg[i].bufsz);
			}
		if (hits != 1)
			fail_msg("plan segment %u appears %u times", i, hits);
	}
	for (unsigned t = 0; t < p->ntouch; t++)
		for (uint64_t a = p->touch[t].start; a < p->touch[t].end; a += 0x1000) {
			bool mapped = false;

			for (unsigned j = 0; j < l->n && !mapped; j++)
				mapped = l->seg[j].dest <= a && a < l->seg[j].dest + l->seg[j].dest_size;
			if (!mapped)
				fail_msg("touch page 0x%llx is not mapped", (unsigned long long)a);
		}
	for (unsigned j = 0; j < l->n; j++)
		if (l->seg[j].plan_index < 0)
			assert_int_equal(l->seg[j].buf_size, 0);
}

static void run_plan_case(const struct plan_case *c)
{
	struct plan p;
	struct xen_seg_list l, naive;
	struct xen_sim_report r;
	struct capture cap;
	int rc, err;

	plan_init(&p, NULL, false);
	c->make(&p);
	naive = naive_list(&p);
	err = xen_sim_load(&naive, c->cs, c->csz, NULL, &r);
	if (err != c->naive)
		fail_msg("%s: the plan as is gets %d from the simulator (row %d: %s), want %d",
			 c->name, err, r.step, r.why, c->naive);
	capture_start(&cap);
	rc = xen_segments_build(&p, c->cs, c->csz, &l);
	capture_end(&cap);
	if (rc == 0) {
		assert_silent(cap.text);
		err = xen_sim_load(&l, c->cs, c->csz, NULL, &r);
		if (err)
			fail_msg("%s: built a list Xen refuses with %d (row %d: %s)", c->name, err,
				 r.step, r.why);
		if (c->want == REFUSE)
			fail_msg("%s: accepted, want a refusal (\"%s\")", c->name,
				 c->error ? c->error : "");
		assert_int_equal(l.type, p.crash ? 1 : 0);
		assert_int_equal(l.entry, p.entry);
		assert_int_equal(l.arch, p.arch);
		expect_coverage(&p, &l);
		/* xen_segments_check agrees with its own output. */
		assert_int_equal(xen_segments_check(&l, c->cs, c->csz), 0);
	} else {
		if (c->want == ACCEPT)
			fail_msg("%s: refused: %s", c->name, cap.text);
		assert_one_error(cap.text, c->error);
	}
}

static void test_plans(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(plan_cases); i++)
		run_plan_case(&plan_cases[i]);
}

/* Map-only pieces exactly: the VGA window split around 0xbc000. */
static void test_vga_split_exact(void **state UNUSED)
{
	struct plan p;
	struct xen_seg_list l;
	unsigned found = 0;

	plan_init(&p, NULL, false);
	vga_split(&p);
	assert_int_equal(xen_segments_build(&p, 0, 0, &l), 0);
	assert_int_equal(l.n, p.nseg + 2);
	for (unsigned j = 0; j < l.n; j++) {
		if (l.seg[j].plan_index >= 0)
			continue;
		if (l.seg[j].dest == 0xb8000 && l.seg[j].dest_size == 0x4000)
			found |= 1;
		else if (l.seg[j].dest == 0xbd000 && l.seg[j].dest_size == 0x3000)
			found |= 2;
		else
			fail_msg("unexpected map-only 0x%llx+0x%llx",
				 (unsigned long long)l.seg[j].dest,
				 (unsigned long long)l.seg[j].dest_size);
	}
	assert_int_equal(found, 3);
}

/* A real bzImage load on a Xen-like machine (15 segments, 2 reserved for
 * map-only ones), with --console-vga, converts to a list Xen accepts. */
static void test_bzimage_plan(void **state UNUSED)
{
	struct machine m;
	struct plan p;
	struct options o = { 0 };
	struct bzimage b;
	struct xen_seg_list l;

	machine_pc(&m);
	m.max_segments = XEN_MAX_SEGMENTS;
	m.reserved_segments = 2;
	bz_make(&b, 0x10000);
	o.command_line = "console=hvc0";
	o.console_vga = true;
	plan_init(&p, &m, false);
	assert_int_equal(file_type_bzimage64.load(&o, &b.k, &p), 0);
	assert_int_equal(xen_segments_build(&p, 0, 0, &l), 0);
	assert_int_equal(xen_sim_load(&l, 0, 0, NULL, NULL), 0);
	assert_int_equal(l.n, p.nseg + 1); /* + the VGA window */
	plan_release(&p);

	/* The same as a crash image inside Xen's crash area. */
	machine_crash(&m, CS, CS + CSZ);
	plan_init(&p, &m, true);
	assert_int_equal(file_type_bzimage64.load(&o, &b.k, &p), 0);
	assert_int_equal(xen_segments_build(&p, CS, CSZ, &l), 0);
	assert_int_equal(xen_sim_load(&l, CS, CSZ, NULL, NULL), 0);
	plan_release(&p);
	bz_free(&b);
	machine_free(&m);
}

/* xorshift64: a reproducible sequence. */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* xen_segments_check never accepts what the simulator refuses, on many
 * random small lists (fixed seed: reproducible). */
static void test_check_vs_simulator(void **state UNUSED)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned agree_refuse = 0, agree_accept = 0;

	for (unsigned iter = 0; iter < 20000; iter++) {
		struct xen_seg_list l;

		memset(&l, 0, sizeof(l));
		l.n = 1 + rnd(&x) % 4;
		l.type = rnd(&x) % 4 == 0;
		l.arch = rnd(&x) % 8 ? 62 : (rnd(&x) % 2 ? 3 : 40);
		l.entry = CS - 0x2000 + (rnd(&x) % 8) * 0x1000 * (rnd(&x) % 2 ? 1 : 0x4000);
		for (unsigned i = 0; i < l.n; i++) {
			struct xen_seg *g = &l.seg[i];

			g->plan_index = rnd(&x) % 4 ? (int)i : -1;
			g->dest = CS - 0x4000 + (rnd(&x) % 16) * 0x1000 + (rnd(&x) % 16 == 0 ? 0x800 : 0);
			if (rnd(&x) % 8 == 0)
				g->dest += CSZ - 0x8000;
			g->dest_size = (1 + rnd(&x) % 4) * 0x1000;
			g->buf_size = g->plan_index < 0 ? 0 : rnd(&x) % (g->dest_size + 0x800);
		}
		struct capture cap;
		capture_start(&cap);
		int rc = xen_segments_check(&l, CS, CSZ);
		capture_end(&cap);
		int err = xen_sim_load(&l, CS, CSZ, NULL, NULL);
		if (rc == 0 && err)
			fail_msg("iteration %u: check accepts what Xen refuses (%d)", iter, err);
		if (rc == 0) {
			assert_silent(cap.text);
			agree_accept++;
		} else {
			assert_one_error(cap.text, NULL);
			agree_refuse += err != 0;
		}
	}
	/* The generator exercises both sides. */
	assert_true(agree_accept > 400);
	assert_true(agree_refuse > 400);
}

/* Xen takes a crash image's control and page-table pages from the crash
 * area's uncovered pages (doc/xen-kexec-interface.md §7.2): a crash plan
 * that fills the area would fail in Xen with -ENOMEM after the live image
 * is unloaded, so it is refused first, with one line saying how much room
 * is missing. */
static int build_crash(uint64_t kernel_start, struct xen_seg_list *l, struct capture *cap)
{
	struct plan p;
	int rc;

	plan_init(&p, NULL, true);
	raw_seg(&p, kernel_start, CS + CSZ - 0x1000 - kernel_start, 0x4000, "kernel");
	raw_seg(&p, CS + CSZ - 0x1000, 0x1000, 0x1000, "purgatory");
	p.entry = CS + CSZ - 0x1000;
	capture_start(cap);
	rc = xen_segments_build(&p, CS, CSZ, l);
	capture_end(cap);
	return rc;
}

static void test_crash_area_full(void **state UNUSED)
{
	const struct xen_sim_opts strict = { .crash_pages = true };
	uint64_t reserve = xen_crash_area_reserve(CSZ);
	struct xen_seg_list l;
	struct capture cap;

	/* The whole area: Xen would say -ENOMEM. */
	assert_int_equal(build_crash(CS, &l, &cap), -1);
	assert_one_error(cap.text, "crash image needs 1024 KiB more of Xen's crash area");
	assert_one_error(cap.text, "crashkernel= too small by 1 MiB");
	assert_int_equal(xen_sim_load(&l, CS, CSZ, &strict, NULL), -ENOMEM);
	/* One page short of the reserve. */
	assert_int_equal(build_crash(CS + reserve - 0x1000, &l, &cap), -1);
	assert_one_error(cap.text, "needs 4 KiB more");
	/* The reserve left free, as kexec-xen.c plans it: Xen accepts. */
	assert_int_equal(build_crash(CS + reserve, &l, &cap), 0);
	assert_silent(cap.text);
	assert_int_equal(xen_sim_load(&l, CS, CSZ, &strict, NULL), 0);
}

/* Enlarging crashkernel= enlarges Xen's share too: at 449 MiB the share
 * is 1 MiB, at 450 MiB it is 2 MiB, so a full 449 MiB area is 1 MiB
 * short yet needs 2 MiB more. */
static void test_crash_area_growth(void **state UNUSED)
{
	uint64_t cs = 0x40000000ULL, csz = 449 * MiB;
	struct xen_seg full = SEG(0, 0x1000, cs, csz);
	struct xen_seg_list l = list_of(1, 62, cs, &full, 1);
	struct capture cap;

	assert_int_equal(xen_crash_area_reserve(csz), MiB);
	assert_int_equal(xen_crash_area_reserve(csz + MiB), 2 * MiB);
	capture_start(&cap);
	assert_int_equal(xen_segments_check(&l, cs, csz), -1);
	capture_end(&cap);
	assert_one_error(cap.text, "needs 1024 KiB more of Xen's crash area");
	assert_one_error(cap.text, "crashkernel= too small by 2 MiB");
}

/* A default image of 192 MiB + 4 KiB: every destination page, its
 * indirection entries and the control pages come from Xen's free memory. */
static void test_room(void **state UNUSED)
{
	struct xen_seg_list l = { .n = 2, .type = KEXEC_TYPE_DEFAULT };
	uint64_t need, pages = 192 * 256 + 1;
	struct capture cap;
	bool frames_ok;
	int rc;

	l.seg[0] = (struct xen_seg){ 0, 192u << 20, 0x1000000, 192u << 20 };
	l.seg[1] = (struct xen_seg){ 1, 100, 0x100000, 0x1000 };
	need = xen_image_pages(&l);
	assert_int_equal(need, pages + pages / 511 + 2);

	/* Room for twice the image (Xen's worst case) and the staging frames. */
	assert_int_equal(xen_room_check(&l, 2 * need + pages + 1024, pages, &frames_ok), 0);
	assert_true(frames_ok);
	/* Less: stage in dom0 memory, still load. */
	assert_int_equal(xen_room_check(&l, 2 * need + pages + 1023, pages, &frames_ok), 0);
	assert_false(frames_ok);
	assert_int_equal(xen_room_check(&l, need + 1024, pages, &frames_ok), 0);
	assert_false(frames_ok);
	/* Not even for the image: refused with one line, before any call. */
	capture_start(&cap);
	rc = xen_room_check(&l, need / 2, pages, &frames_ok);
	capture_end(&cap);
	assert_int_equal(rc, -1);
	assert_false(frames_ok);
	assert_one_error(cap.text, "not loading");

	/* A crash image goes into the crash region: nothing to hold. */
	l.type = KEXEC_TYPE_CRASH;
	assert_int_equal(xen_image_pages(&l), 0);
	assert_int_equal(xen_room_check(&l, 10, pages, &frames_ok), 0);
	assert_false(frames_ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulator),
		cmocka_unit_test(test_simulator_crash_pages),
		cmocka_unit_test(test_plans),
		cmocka_unit_test(test_vga_split_exact),
		cmocka_unit_test(test_bzimage_plan),
		cmocka_unit_test(test_check_vs_simulator),
		cmocka_unit_test(test_crash_area_full),
		cmocka_unit_test(test_crash_area_growth),
		cmocka_unit_test(test_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
