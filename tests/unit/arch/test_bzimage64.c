/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the bzImage64 loader (kexec/arch/x86_64/bzimage64.c):
 * probe on synthetic setup headers, then load into a plan against a
 * synthetic PC (kernel, initrd, command line, purgatory entry). */
#include "file-types.h"
#include "fixtures.h"

/* ---------------------------------------------------------------- probe */

enum bz_damage {
	DMG_NONE,
	DMG_SHORT,
	DMG_BOOT_FLAG,
	DMG_MAGIC,
	DMG_V206,
	DMG_V211,
	DMG_V212,
	DMG_NOT_HIGH,
	DMG_NO_64,
	DMG_NO_ABOVE_4G,
	DMG_NOT_RELOC,
	DMG_TRUNC_ONE,
	DMG_TRUNC_SYSSIZE,
	DMG_NO_PAYLOAD,
	DMG_SETUP_SECTS_0,
	DMG_ALIGN_ODD,
	DMG_ALIGN_SMALL,
	DMG_ALIGN_ZERO,
};

struct probe_case {
	const char *name;
	enum bz_damage dmg;
	int rc;
	const char *why; /* NULL: why must stay NULL */
};

static const struct probe_case probe_cases[] = {
	{ "valid 2.15", DMG_NONE, 0, NULL },
	{ "2.12 is enough", DMG_V212, 0, NULL },
	{ "setup_sects 0 means 4", DMG_SETUP_SECTS_0, 0, NULL },
	{ "no XLF_CAN_BE_LOADED_ABOVE_4G is fine", DMG_NO_ABOVE_4G, 0, NULL },
	{ "shorter than 1 KiB", DMG_SHORT, -1, NULL },
	{ "no boot flag", DMG_BOOT_FLAG, -1, NULL },
	{ "no HdrS", DMG_MAGIC, -1, NULL },
	{ "protocol 2.06", DMG_V206, -1, "2.06" },
	{ "protocol 2.11", DMG_V211, -1, "2.11" },
	{ "zImage", DMG_NOT_HIGH, -1, "zImage" },
	{ "32-bit only", DMG_NO_64, -1, "64-bit" },
	{ "not relocatable", DMG_NOT_RELOC, -1, "not relocatable" },
	{ "one byte short", DMG_TRUNC_ONE, -1, "truncated" },
	{ "syssize past the end", DMG_TRUNC_SYSSIZE, -1, "truncated" },
	{ "setup only", DMG_NO_PAYLOAD, -1, "truncated" },
	{ "kernel_alignment not a power of 2", DMG_ALIGN_ODD, -1, "kernel_alignment" },
	{ "kernel_alignment below 4K", DMG_ALIGN_SMALL, -1, "kernel_alignment" },
	{ "kernel_alignment 0", DMG_ALIGN_ZERO, -1, "kernel_alignment" },
};

static void damage(struct bzimage *b, enum bz_damage d)
{
	struct setup_header *h = bz_hdr(b);

	switch (d) {
	case DMG_NONE: break;
	case DMG_SHORT: bz_set_len(b, 1023); h->syssize = 0; break;
	case DMG_BOOT_FLAG: h->boot_flag = 0; break;
	case DMG_MAGIC: h->header = 0x53726449; break;
	case DMG_V206: h->version = 0x0206; break;
	case DMG_V211: h->version = 0x020b; break;
	case DMG_V212: h->version = 0x020c; break;
	case DMG_NOT_HIGH: h->loadflags &= (uint8_t)~LOADED_HIGH; break;
	case DMG_NO_64: h->xloadflags &= (uint16_t)~XLF_KERNEL_64; break;
	case DMG_NO_ABOVE_4G: h->xloadflags &= (uint16_t)~XLF_CAN_BE_LOADED_ABOVE_4G; break;
	case DMG_NOT_RELOC: h->relocatable_kernel = 0; break;
	case DMG_TRUNC_ONE: bz_set_len(b, b->len - 1); break;
	case DMG_TRUNC_SYSSIZE: h->syssize += 1; break;
	case DMG_NO_PAYLOAD: bz_set_len(b, BZ_PAYLOAD_OFF); h->syssize = 0; break;
	case DMG_SETUP_SECTS_0: h->setup_sects = 0; break;
	case DMG_ALIGN_ODD: h->kernel_alignment = 0x300000; break;
	case DMG_ALIGN_SMALL: h->kernel_alignment = 0x800; break;
	case DMG_ALIGN_ZERO: h->kernel_alignment = 0; break;
	}
}

static void test_probe(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_cases); i++) {
		const struct probe_case *c = &probe_cases[i];
		struct bzimage b;
		const char *why = NULL;
		int rc;

		bz_make(&b, 0x10000);
		damage(&b, c->dmg);
		rc = file_type_bzimage64.probe(&b.k, &why);
		if (rc != c->rc)
			fail_msg("%s: probe returned %d, want %d (%s)", c->name, rc, c->rc,
				 why ? why : "no reason");
		if (!c->why && why)
			fail_msg("%s: unexpected reason \"%s\"", c->name, why);
		if (c->why && (!why || !strstr(why, c->why)))
			fail_msg("%s: reason \"%s\", want \"%s\"", c->name, why ? why : "(none)",
				 c->why);
		if (why && strchr(why, '\n'))
			fail_msg("%s: reason has a newline", c->name);
		bz_free(&b);
	}
}

/* A damaged image passed to load (e.g. with --type) fails with one line. */
static void test_load_refuses_bad_image(void **state UNUSED)
{
	struct machine m;
	struct plan p;
	struct options o = { 0 };
	struct bzimage b;
	struct capture cap;

	machine_pc(&m);
	plan_init(&p, &m, false);
	bz_make(&b, 0x10000);
	damage(&b, DMG_V211);
	capture_start(&cap);
	assert_int_equal(file_type_bzimage64.load(&o, &b.k, &p), -1);
	assert_one_error(capture_end(&cap), "bzImage-test: bzImage boot protocol 2.11");
	damage(&b, DMG_MAGIC);
	capture_start(&cap);
	assert_int_equal(file_type_bzimage64.load(&o, &b.k, &p), -1);
	assert_one_error(capture_end(&cap), "bzImage-test");
	assert_int_equal(p.nseg, 0);
	bz_free(&b);
	plan_release(&p);
	machine_free(&m);
}

/* ---------------------------------------------------------------- load */

struct fixture {
	struct machine m;
	struct plan p;
	struct options o;
	struct bzimage b;
	char initrd[64];
	int initrd_fd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	machine_pc(&f->m);
	bz_make(&f->b, 0x12340);
	f->o.command_line = "console=ttyS0 root=/dev/vda";
	f->initrd_fd = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	plan_release(&f->p);
	machine_free(&f->m);
	bz_free(&f->b);
	if (f->initrd_fd >= 0) {
		close(f->initrd_fd);
		unlink(f->initrd);
	}
	free(f);
	return 0;
}

static void make_initrd(struct fixture *f, uint64_t size, bool fill)
{
	if (f->initrd_fd >= 0) {
		close(f->initrd_fd);
		unlink(f->initrd);
	}
	f->initrd_fd = temp_file(f->initrd, size, fill);
	f->o.initrd = f->initrd;
}

static int load(struct fixture *f, bool crash)
{
	plan_release(&f->p);
	plan_init(&f->p, &f->m, crash);
	return file_type_bzimage64.load(&f->o, &f->b.k, &f->p);
}

/* A successful load prints nothing. */
static int load_ok(struct fixture *f, bool crash)
{
	struct capture cap;
	int rc;

	capture_start(&cap);
	rc = load(f, crash);
	capture_end(&cap);
	if (rc != 0)
		fail_msg("load failed: %s", cap.text);
	assert_silent(cap.text);
	return rc;
}

static void expect_load_error(struct fixture *f, bool crash, const char *want)
{
	struct capture cap;
	int rc;

	capture_start(&cap);
	rc = load(f, crash);
	capture_end(&cap);
	if (rc != -1)
		fail_msg("load succeeded, want \"%s\"", want);
	assert_one_error(cap.text, want);
}

static const struct segment *must_find(const struct plan *p, const char *what)
{
	const struct segment *s = plan_find(p, what);

	if (!s)
		fail_msg("no %s segment", what);
	return s;
}

static void test_load_kernel(void **state)
{
	struct fixture *f = *state;
	const struct segment *k, *pg;

	assert_int_equal(load_ok(f, false), 0);
	k = must_find(&f->p, "kernel");
	assert_int_equal(k->mem, 0x1000000);          /* pref_address */
	assert_int_equal(k->memsz, 0x800000);         /* init_size */
	assert_int_equal(k->bufsz, 0x12340);
	assert_ptr_equal(k->buf, f->b.buf + BZ_PAYLOAD_OFF);
	assert_int_equal(((const uint8_t *)k->buf)[0x1000], bz_payload_byte(0x1000));
	pg = must_find(&f->p, "purgatory");
	assert_int_equal(f->p.entry, pg->mem);         /* entry is purgatory */
	must_find(&f->p, "boot parameters");
	assert_null(plan_find(&f->p, "initrd"));
	assert_int_equal(f->p.nseg, 3);
	assert_int_equal(f->p.arch, 62);
	assert_int_equal(plan_validate(&f->p), 0);
	for (unsigned i = 0; i < f->p.nseg; i++) {
		assert_int_equal(f->p.seg[i].mem & 0xfff, 0);
		assert_int_equal(f->p.seg[i].memsz & 0xfff, 0);
	}
}

/* The kernel needs at least its payload, rounded to pages. */
static void test_load_init_size_small(void **state)
{
	struct fixture *f = *state;

	bz_hdr(&f->b)->init_size = 0x1000;
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "kernel")->memsz, 0x13000);
}

/* setup_sects 0 means 4: the payload still starts at 5 * 512. */
static void test_load_setup_sects_0(void **state)
{
	struct fixture *f = *state;
	const struct segment *k;

	bz_hdr(&f->b)->setup_sects = 0;
	assert_int_equal(load_ok(f, false), 0);
	k = must_find(&f->p, "kernel");
	assert_ptr_equal(k->buf, f->b.buf + BZ_PAYLOAD_OFF);
	assert_int_equal(k->bufsz, 0x12340);
}

/* pref_address is honoured when free, else the next aligned place. */
static void test_load_kernel_placement(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec hole_at_16m[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x1000000, MEM_RAM },
		{ 0x1000000, 0x1400000, MEM_RESERVED },
		{ 0x1400000, 0x40000000, MEM_RAM },
	};
	struct setup_header *h = bz_hdr(&f->b);

	/* pref_address below 1 MiB: 1 MiB up, aligned. */
	h->pref_address = 0;
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "kernel")->mem, 0x200000);
	/* pref_address not aligned: rounded up to kernel_alignment. */
	h->pref_address = 0x1100000;
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "kernel")->mem, 0x1200000);
	/* 16 MiB alignment. */
	h->kernel_alignment = 0x1000000;
	h->pref_address = 0x1000001;
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "kernel")->mem, 0x2000000);
	/* pref_address reserved: the next aligned RAM above it. */
	h->kernel_alignment = 0x200000;
	h->pref_address = 0x1000000;
	machine_free(&f->m);
	machine_build(&f->m, hole_at_16m, ARRAY_SIZE(hole_at_16m));
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "kernel")->mem, 0x1400000);
	assert_int_equal(plan_validate(&f->p), 0);
}

static void test_load_no_room_for_kernel(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec tiny[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x400000, MEM_RAM },
	};

	machine_free(&f->m);
	machine_build(&f->m, tiny, ARRAY_SIZE(tiny));
	expect_load_error(f, false, "bzImage-test: no room for the kernel");
}

/* Issue 12: a --mem-max too low for the kernel is named in the line, not
 * just "no room ... in free memory". */
static void test_load_no_room_names_mem_max(void **state)
{
	struct fixture *f = *state;
	struct capture cap;

	plan_release(&f->p);
	plan_init(&f->p, &f->m, false);
	f->p.mem_max = 0x7fffff; /* as load.c sets it from --mem-max */
	capture_start(&cap);
	assert_int_equal(file_type_bzimage64.load(&f->o, &f->b.k, &f->p), -1);
	assert_one_error(capture_end(&cap), "bzImage-test: no room for the kernel (8 MiB, 2048 KiB "
			 "aligned) in free memory below --mem-max 0x7fffff");
}

/* Nothing free at or above pref_address: a relocatable kernel goes lower. */
static void test_load_below_pref_address(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec low[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x1400000, MEM_RAM },
	};

	machine_free(&f->m);
	machine_build(&f->m, low, ARRAY_SIZE(low));
	assert_int_equal(load_ok(f, false), 0);
	assert_true(must_find(&f->p, "kernel")->mem < bz_hdr(&f->b)->pref_address);
	assert_int_equal(must_find(&f->p, "kernel")->mem % bz_hdr(&f->b)->kernel_alignment, 0);
}

static void test_load_cmdline(void **state)
{
	struct fixture *f = *state;
	char line[202];

	bz_hdr(&f->b)->cmdline_size = 200;
	memset(line, 'a', sizeof(line) - 1);
	line[200] = '\0';
	f->o.command_line = line;
	assert_int_equal(load_ok(f, false), 0);
	line[200] = 'b';
	line[201] = '\0';
	expect_load_error(f, false, "command line too long");
	/* Old headers with cmdline_size 0 take 255. */
	bz_hdr(&f->b)->cmdline_size = 0;
	line[200] = '\0';
	assert_int_equal(load_ok(f, false), 0);
}

static void test_load_unsupported_modes(void **state)
{
	struct fixture *f = *state;

	f->o.real_mode = true;
	expect_load_error(f, false, "bzImage-test: --real-mode");
	f->o.real_mode = false;
	f->o.entry_32bit = true;
	expect_load_error(f, false, "bzImage-test");
}

static void test_load_initrd(void **state)
{
	struct fixture *f = *state;
	const struct segment *k, *rd;
	uint8_t b[16];

	make_initrd(f, 0x123456, true);
	assert_int_equal(load_ok(f, false), 0);
	k = must_find(&f->p, "kernel");
	rd = must_find(&f->p, "initrd");
	assert_int_equal(rd->mem, k->mem + k->memsz); /* right above the kernel */
	assert_true(rd->mem >= 16 * MiB);
	assert_int_equal(rd->mem & 0xfff, 0);
	assert_int_equal(rd->bufsz, 0x123456);
	assert_int_equal(rd->memsz, 0x124000);
	assert_null(rd->buf);
	assert_true(rd->fd >= 0);
	assert_int_equal(rd->file_off, 0);
	assert_true(rd->owns_fd);
	assert_int_equal(segment_read(rd, 0x100000, b, sizeof(b)), 0);
	for (unsigned i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], temp_file_byte(0x100000 + i));
	assert_int_equal(plan_validate(&f->p), 0);
}

/* A kernel placed low still gets its initrd at 16 MiB or above. */
static void test_load_initrd_at_16m(void **state)
{
	struct fixture *f = *state;

	bz_hdr(&f->b)->pref_address = 0x200000;
	bz_hdr(&f->b)->init_size = 0x400000;
	make_initrd(f, 0x10000, false);
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "kernel")->mem, 0x200000);
	assert_int_equal(must_find(&f->p, "initrd")->mem, 16 * MiB);
}

/* Not above 16 MiB, but below it: still loads (low memory machine). */
static void test_load_initrd_low_machine(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec small[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x1c00000, MEM_RAM }, /* 1-28 MiB */
	};
	const struct segment *rd;

	machine_free(&f->m);
	machine_build(&f->m, small, ARRAY_SIZE(small));
	bz_hdr(&f->b)->pref_address = 0x200000;
	bz_hdr(&f->b)->init_size = 0x400000;
	make_initrd(f, 13 * MiB, false);
	assert_int_equal(load_ok(f, false), 0);
	rd = must_find(&f->p, "initrd");
	assert_true(rd->mem >= 1 * MiB && rd->mem + rd->memsz <= 0x1c00000);
	assert_int_equal(plan_validate(&f->p), 0);
}

static void test_load_initrd_too_big(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec small[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x4000000, MEM_RAM }, /* 64 MiB */
	};
	char want[160];

	machine_free(&f->m);
	machine_build(&f->m, small, ARRAY_SIZE(small));
	make_initrd(f, 100 * MiB, false);
	snprintf(want, sizeof(want), "%s: the initrd (100 MiB) does not fit", f->initrd);
	expect_load_error(f, false, want);
}

/* The initrd's "does not fit" names --mem-max when it is in effect. */
static void test_load_initrd_names_mem_max(void **state)
{
	struct fixture *f = *state;
	struct capture cap;
	char want[200];

	make_initrd(f, 32 * MiB, false);
	plan_release(&f->p);
	plan_init(&f->p, &f->m, false);
	f->p.mem_max = 0x2ffffff; /* as load.c sets it from --mem-max */
	capture_start(&cap);
	assert_int_equal(file_type_bzimage64.load(&f->o, &f->b.k, &f->p), -1);
	capture_end(&cap);
	snprintf(want, sizeof(want), "%s: the initrd (32 MiB) does not fit in free memory "
		 "below --mem-max 0x2ffffff", f->initrd);
	assert_one_error(cap.text, want);
}

/* Without XLF_CAN_BE_LOADED_ABOVE_4G the initrd stays below
 * initrd_addr_max even when only high memory has room. */
static void test_load_initrd_limit(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec high[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x2000000, MEM_RAM },      /* 1-32 MiB */
		{ 0x100000000ULL, 0x140000000ULL, MEM_RAM },
	};

	machine_free(&f->m);
	machine_build(&f->m, high, ARRAY_SIZE(high));
	make_initrd(f, 16 * MiB, false);
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "initrd")->mem, 4 * GiB);
	bz_hdr(&f->b)->xloadflags &= (uint16_t)~XLF_CAN_BE_LOADED_ABOVE_4G;
	expect_load_error(f, false, f->initrd);
}

/* initrd_addr_max is inclusive: a limit ending exactly at a fit. */
static void test_load_initrd_limit_inclusive(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec high[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x2000000, MEM_RAM },      /* 1-32 MiB */
		{ 0x100000000ULL, 0x140000000ULL, MEM_RAM },
	};

	machine_free(&f->m);
	machine_build(&f->m, high, ARRAY_SIZE(high));
	bz_hdr(&f->b)->xloadflags &= (uint16_t)~XLF_CAN_BE_LOADED_ABOVE_4G;
	bz_hdr(&f->b)->initrd_addr_max = 0x1ffffff;
	make_initrd(f, 8 * MiB, false);
	assert_int_equal(load_ok(f, false), 0);
	assert_int_equal(must_find(&f->p, "initrd")->mem, 0x1800000);
}

static void test_load_initrd_missing(void **state)
{
	struct fixture *f = *state;

	f->o.initrd = "/nonexistent/initrd.img";
	expect_load_error(f, false, "/nonexistent/initrd.img: cannot open initrd");
	f->o.initrd = "/tmp";
	expect_load_error(f, false, "/tmp: initrd is not a regular file");
}

/* A crash load stays inside the crash region and carries the capture
 * kernel's extras: the low-memory backup area and the ELF core header,
 * announced on the command line. */
static void test_load_crash(void **state)
{
	struct fixture *f = *state;
	const uint64_t cs = 0x10000000, ce = 0x20000000;
	const struct segment *hdr, *backup, *bp;
	char want[64];

	machine_crash(&f->m, cs, ce);
	make_initrd(f, 3 * MiB, false);
	assert_int_equal(load_ok(f, true), 0);
	assert_true(f->p.crash);
	/* kernel, initrd, backup, ELF core header, boot parameters, purgatory */
	assert_int_equal(f->p.nseg, 6);
	hdr = must_find(&f->p, "ELF core header");
	assert_memory_equal(hdr->buf, "\177ELF", 4);
	backup = must_find(&f->p, "low-memory backup");
	assert_int_equal(backup->bufsz, 0);
	assert_int_equal(backup->memsz, 0xa0000); /* pc_map's RAM below 640 KiB, page rounded */
	bp = must_find(&f->p, "boot parameters");
	snprintf(want, sizeof(want), "elfcorehdr=%lluK", (unsigned long long)(hdr->mem >> 10));
	assert_non_null(strstr((const char *)bp->buf + 4096, want));
	for (unsigned i = 0; i < f->p.nseg; i++) {
		const struct segment *s = &f->p.seg[i];

		if (s->mem < cs || s->mem + s->memsz > ce)
			fail_msg("%s at 0x%llx outside the crash region", s->what,
				 (unsigned long long)s->mem);
	}
	assert_int_equal(must_find(&f->p, "kernel")->mem, cs);
	assert_int_equal(plan_validate(&f->p), 0);
}

/* --pass-memmap-cmdline: the capture kernel's map as memmap= parameters;
 * its own region appears as RAM, in KiB, and firmware ranges keep their
 * kinds ($ reserved, # ACPI). */
static void test_load_crash_memmap_cmdline(void **state)
{
	struct fixture *f = *state;
	const struct segment *bp;
	const char *cmd;

	machine_crash(&f->m, 0x10000000, 0x20000000);
	f->o.pass_memmap_cmdline = true;
	assert_int_equal(load_ok(f, true), 0);
	bp = must_find(&f->p, "boot parameters");
	cmd = (const char *)bp->buf + 4096;
	assert_non_null(strstr(cmd, " memmap=exactmap"));
	/* RAM from the region's start (the backup copy and the header are
	 * cut out of it, so it comes in pieces). */
	assert_non_null(strstr(cmd, "K@262144K "));
	assert_non_null(strstr(cmd, " memmap=639K@0K")); /* the saved low memory */
	assert_non_null(strstr(cmd, " memmap=64K$960K"));
	assert_non_null(strstr(cmd, "K#"));
}

/* A crash region too small for the capture kernel is refused up front,
 * saying how much is needed. */
static void test_load_crash_too_small(void **state)
{
	struct fixture *f = *state;

	machine_crash(&f->m, 0x10000000, 0x10800000); /* 8 MiB */
	make_initrd(f, 3 * MiB, false);
	expect_load_error(f, true, "the crash region (8 MiB) is too small: this capture kernel needs about");
	assert_int_equal(f->p.nseg, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_load_refuses_bad_image),
		cmocka_unit_test_setup_teardown(test_load_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_init_size_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_setup_sects_0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_kernel_placement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_no_room_names_mem_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_no_room_for_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_below_pref_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_cmdline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_unsupported_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_at_16m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_low_machine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_names_mem_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_limit_inclusive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_initrd_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_crash_too_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_crash_memmap_cmdline, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
