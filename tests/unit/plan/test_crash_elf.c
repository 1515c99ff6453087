/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the ELF core header builder (kexec/plan/crash-elf.c): exact
 * ELF64 and ELF32 headers for fixed maps, 1 KiB rounding, PT_NOTE before
 * PT_LOAD, thousands of ranges and the e_phnum limit, ELF32 range limits,
 * input refusals, crash_ranges_exclude splitting and note counting on a
 * Xen-like note buffer; libelf reads the result back. */
#include <elf.h>
#include <gelf.h>
#include <libelf.h>

#include "fixtures.h"
#include "crash-elf.h"

#define XEN_CRASH_INFO 0x1000001
#define XEN_CRASH_REGS 0x1000002
#define RWX (PF_R | PF_W | PF_X)
#define DM 0xffff888000000000ULL

/* A small Xen-like host: 2 CPU note buffers, VMCOREINFO_XEN, low RAM
 * relocated to a backup copy, RAM below and above 4 GiB. */
static const struct crash_note_buf fixed_notes[] = {
	{ 0x7fe3a000, 500 }, { 0x7fe3b000, 404 }, { 0x7fe40000, 4096 },
};
static const struct crash_load fixed_loads[] = {
	{ .paddr = 0x1000, .size = 0x9e000, .vaddr = 0, .offset = 0x3f000000 },
	{ .paddr = 0x100000, .size = 0x3ef00000, .vaddr = 0xffff888000100000ULL, .offset = 0x100000 },
	{ .paddr = 0x100000000ULL, .size = 0x80000000ULL, .vaddr = 0, .offset = 0x100000000ULL },
};

static struct crash_desc fixed_desc(int cls, uint16_t machine)
{
	return (struct crash_desc){
		.e_machine = machine, .elf_class = cls,
		.notes = (struct crash_note_buf *)fixed_notes, .nnotes = ARRAY_SIZE(fixed_notes),
		.loads = (struct crash_load *)fixed_loads, .nloads = ARRAY_SIZE(fixed_loads),
	};
}

static void build_ok(const struct crash_desc *d, void **buf, size_t *len)
{
	struct capture c;
	int rc;

	capture_start(&c);
	rc = crash_elf_build(d, buf, len);
	assert_silent(capture_end(&c));
	assert_int_equal(rc, 0);
	assert_non_null(*buf);
}

/* The build fails with one error line mentioning want. */
static void build_fails(const struct crash_desc *d, const char *want)
{
	struct capture c;
	void *buf = NULL;
	size_t len = 12345;
	int rc;

	capture_start(&c);
	rc = crash_elf_build(d, &buf, &len);
	assert_one_error(capture_end(&c), want);
	assert_int_equal(rc, -1);
	assert_null(buf);
	assert_int_equal(len, 12345);
}

static void assert_zero_from(const void *buf, size_t from, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = from; i < len; i++)
		if (p[i])
			fail_msg("byte %zu of the %zu-byte header is 0x%02x, want 0", i, len, p[i]);
}

static void check_ident(const unsigned char *id, unsigned char cls)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };

	assert_memory_equal(id, magic, 4);
	assert_int_equal(id[EI_CLASS], cls);
	assert_int_equal(id[EI_DATA], ELFDATA2LSB);
	assert_int_equal(id[EI_VERSION], EV_CURRENT);
	assert_int_equal(id[EI_OSABI], ELFOSABI_NONE);
	for (int i = EI_ABIVERSION; i < EI_NIDENT; i++)
		assert_int_equal(id[i], 0);
}

/* ---------------------------------------------------------------- exact */

static void check_phdr64(const Elf64_Phdr *p, uint32_t type, uint32_t flags, uint64_t off,
			 uint64_t vaddr, uint64_t paddr, uint64_t size)
{
	assert_int_equal(p->p_type, type);
	assert_int_equal(p->p_flags, flags);
	assert_int_equal(p->p_offset, off);
	assert_int_equal(p->p_vaddr, vaddr);
	assert_int_equal(p->p_paddr, paddr);
	assert_int_equal(p->p_filesz, size);
	assert_int_equal(p->p_memsz, size);
	assert_int_equal(p->p_align, 0);
}

static void test_elf64_exact(void **state UNUSED)
{
	struct crash_desc d = fixed_desc(64, EM_X86_64);
	void *buf;
	size_t len;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;

	build_ok(&d, &buf, &len);
	assert_int_equal(len, 1024); /* 64 + 6 * 56 = 400 */
	eh = buf;
	ph = (const Elf64_Phdr *)((const char *)buf + 64);
	check_ident(eh->e_ident, ELFCLASS64);
	assert_int_equal(eh->e_type, ET_CORE);
	assert_int_equal(eh->e_machine, EM_X86_64);
	assert_int_equal(eh->e_version, EV_CURRENT);
	assert_int_equal(eh->e_entry, 0);
	assert_int_equal(eh->e_phoff, 64);
	assert_int_equal(eh->e_shoff, 0);
	assert_int_equal(eh->e_flags, 0);
	assert_int_equal(eh->e_ehsize, 64);
	assert_int_equal(eh->e_phentsize, 56);
	assert_int_equal(eh->e_phnum, 6);
	assert_int_equal(eh->e_shentsize, 0);
	assert_int_equal(eh->e_shnum, 0);
	assert_int_equal(eh->e_shstrndx, 0);
	check_phdr64(&ph[0], PT_NOTE, 0, 0x7fe3a000, 0, 0x7fe3a000, 500);
	check_phdr64(&ph[1], PT_NOTE, 0, 0x7fe3b000, 0, 0x7fe3b000, 404);
	check_phdr64(&ph[2], PT_NOTE, 0, 0x7fe40000, 0, 0x7fe40000, 4096);
	check_phdr64(&ph[3], PT_LOAD, RWX, 0x3f000000, 0, 0x1000, 0x9e000);
	check_phdr64(&ph[4], PT_LOAD, RWX, 0x100000, 0xffff888000100000ULL, 0x100000, 0x3ef00000);
	check_phdr64(&ph[5], PT_LOAD, RWX, 0x100000000ULL, 0, 0x100000000ULL, 0x80000000ULL);
	assert_zero_from(buf, 64 + 6 * 56, len);
	free(buf);
}

static void check_phdr32(const Elf32_Phdr *p, uint32_t type, uint32_t flags, uint32_t off,
			 uint32_t vaddr, uint32_t paddr, uint32_t size)
{
	assert_int_equal(p->p_type, type);
	assert_int_equal(p->p_flags, flags);
	assert_int_equal(p->p_offset, off);
	assert_int_equal(p->p_vaddr, vaddr);
	assert_int_equal(p->p_paddr, paddr);
	assert_int_equal(p->p_filesz, size);
	assert_int_equal(p->p_memsz, size);
	assert_int_equal(p->p_align, 0);
}

static void test_elf32_exact(void **state UNUSED)
{
	/* The fixed map without its RAM above 4 GiB; a 3 GiB direct map. */
	struct crash_load loads[] = {
		fixed_loads[0],
		{ .paddr = 0x100000, .size = 0x37f00000, .vaddr = 0xc0100000, .offset = 0x100000 },
		{ .paddr = 0xfff00000, .size = 0x100000, .vaddr = 0, .offset = 0xfff00000 },
	};
	struct crash_desc d = fixed_desc(32, EM_386);
	void *buf;
	size_t len;
	const Elf32_Ehdr *eh;
	const Elf32_Phdr *ph;

	d.loads = loads;
	build_ok(&d, &buf, &len);
	assert_int_equal(len, 1024); /* 52 + 6 * 32 = 244 */
	eh = buf;
	ph = (const Elf32_Phdr *)((const char *)buf + 52);
	check_ident(eh->e_ident, ELFCLASS32);
	assert_int_equal(eh->e_type, ET_CORE);
	assert_int_equal(eh->e_machine, EM_386);
	assert_int_equal(eh->e_version, EV_CURRENT);
	assert_int_equal(eh->e_entry, 0);
	assert_int_equal(eh->e_phoff, 52);
	assert_int_equal(eh->e_shoff, 0);
	assert_int_equal(eh->e_flags, 0);
	assert_int_equal(eh->e_ehsize, 52);
	assert_int_equal(eh->e_phentsize, 32);
	assert_int_equal(eh->e_phnum, 6);
	assert_int_equal(eh->e_shentsize, 0);
	assert_int_equal(eh->e_shnum, 0);
	assert_int_equal(eh->e_shstrndx, 0);
	check_phdr32(&ph[0], PT_NOTE, 0, 0x7fe3a000, 0, 0x7fe3a000, 500);
	check_phdr32(&ph[1], PT_NOTE, 0, 0x7fe3b000, 0, 0x7fe3b000, 404);
	check_phdr32(&ph[2], PT_NOTE, 0, 0x7fe40000, 0, 0x7fe40000, 4096);
	check_phdr32(&ph[3], PT_LOAD, RWX, 0x3f000000, 0, 0x1000, 0x9e000);
	check_phdr32(&ph[4], PT_LOAD, RWX, 0x100000, 0xc0100000, 0x100000, 0x37f00000);
	/* Ends exactly at 4 GiB: the last byte still fits. */
	check_phdr32(&ph[5], PT_LOAD, RWX, 0xfff00000, 0, 0xfff00000, 0x100000);
	assert_zero_from(buf, 52 + 6 * 32, len);
	free(buf);
}

/* elf_class 0 means the default, ELF64. */
static void test_default_class(void **state UNUSED)
{
	struct crash_desc d = fixed_desc(0, EM_X86_64);
	void *buf;
	size_t len;

	build_ok(&d, &buf, &len);
	assert_int_equal(((unsigned char *)buf)[EI_CLASS], ELFCLASS64);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 6);
	free(buf);
}

/* ---------------------------------------------------------------- sizes */

/* n non-overlapping loads of 1 MiB every 2 MiB, nn notes. */
static struct crash_desc many(int cls, size_t nn, size_t nl)
{
	struct crash_note_buf *notes = calloc(nn ? nn : 1, sizeof(*notes));
	struct crash_load *loads = calloc(nl ? nl : 1, sizeof(*loads));
	uint64_t top = cls == 32 ? 0 : 4 * GiB;

	assert_non_null(notes);
	assert_non_null(loads);
	for (size_t i = 0; i < nn; i++)
		notes[i] = (struct crash_note_buf){ 0x1000 + i * 0x400, 404 };
	/* Reverse order: the builder keeps the order given, and the overlap
	 * check must not depend on it. */
	for (size_t i = 0; i < nl; i++) {
		uint64_t pa = top + (uint64_t)(nl - 1 - i) * 0x2000;

		loads[i] = (struct crash_load){ .paddr = pa, .size = 0x1000, .offset = pa };
	}
	return (struct crash_desc){ .e_machine = cls == 32 ? EM_386 : EM_X86_64, .elf_class = cls,
				    .notes = notes, .nnotes = nn, .loads = loads, .nloads = nl };
}

static void many_free(struct crash_desc *d)
{
	free(d->notes);
	free(d->loads);
}

static void test_rounding(void **state UNUSED)
{
	static const struct { int cls; size_t nn, nl, len; } cases[] = {
		{ 64, 1, 0, 1024 },   /* 120 */
		{ 64, 0, 17, 1024 },  /* 1016 */
		{ 64, 1, 17, 2048 },  /* 1072 */
		{ 64, 8, 64, 4096 },  /* 4096 exactly: no extra KiB */
		{ 64, 8, 65, 5120 },  /* 4152 */
		{ 32, 0, 30, 1024 },  /* 1012 */
		{ 32, 1, 30, 2048 },  /* 1044 */
		{ 32, 4, 92, 4096 },  /* 3124 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct crash_desc d = many(cases[i].cls, cases[i].nn, cases[i].nl);
		size_t ehs = cases[i].cls == 32 ? 52 : 64, phs = cases[i].cls == 32 ? 32 : 56;
		void *buf;
		size_t len;

		build_ok(&d, &buf, &len);
		if (len != cases[i].len)
			fail_msg("case %zu: %zu bytes, want %zu", i, len, cases[i].len);
		assert_int_equal(len % 1024, 0);
		assert_zero_from(buf, ehs + (cases[i].nn + cases[i].nl) * phs, len);
		free(buf);
		many_free(&d);
	}
}

static uint32_t phdr_type(const void *buf, int cls, size_t i)
{
	if (cls == 32)
		return ((const Elf32_Phdr *)((const char *)buf + 52))[i].p_type;
	return ((const Elf64_Phdr *)((const char *)buf + 64))[i].p_type;
}

static void test_notes_first(void **state UNUSED)
{
	for (int cls = 32; cls <= 64; cls += 32) {
		struct crash_desc d = many(cls, 7, 11);
		void *buf;
		size_t len;

		build_ok(&d, &buf, &len);
		for (size_t i = 0; i < 18; i++)
			assert_int_equal(phdr_type(buf, cls, i), i < 7 ? PT_NOTE : PT_LOAD);
		free(buf);
		many_free(&d);
	}
}

/* Every phdr of a big header, checked against the description. */
static void check_many64(const void *buf, const struct crash_desc *d)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)buf + 64);

	for (size_t i = 0; i < d->nnotes; i++)
		check_phdr64(&ph[i], PT_NOTE, 0, d->notes[i].addr, 0, d->notes[i].addr,
			     d->notes[i].size);
	for (size_t i = 0; i < d->nloads; i++) {
		const struct crash_load *l = &d->loads[i];

		check_phdr64(&ph[d->nnotes + i], PT_LOAD, RWX, l->offset, l->vaddr, l->paddr,
			     l->size);
	}
}

static void test_thousands(void **state UNUSED)
{
	struct crash_desc d = many(64, 64, 5000);
	void *buf;
	size_t len;

	build_ok(&d, &buf, &len);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 5064);
	assert_int_equal(len, ALIGN_UP(64 + 5064 * 56, 1024));
	assert_int_equal(len, 283648); /* an exact multiple: no extra KiB */
	check_many64(buf, &d);
	free(buf);
	many_free(&d);
}

static void test_phnum_limit(void **state UNUSED)
{
	struct crash_desc d = many(64, 2, 65532);
	void *buf;
	size_t len;

	build_ok(&d, &buf, &len);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 65534);
	assert_int_equal(len, ALIGN_UP(64 + 65534ULL * 56, 1024));
	check_many64(buf, &d);
	free(buf);
	many_free(&d);

	d = many(64, 3, 65532);
	build_fails(&d, "65535 program headers exceed the limit of 65534");
	many_free(&d);
	d = many(64, 0, 70000);
	build_fails(&d, "70000 program headers");
	many_free(&d);
}

/* ---------------------------------------------------------------- refusals */

static void test_elf32_limits(void **state UNUSED)
{
	static const struct {
		struct crash_load l;
		const char *want;
	} cases[] = {
		{ { .paddr = 0xfff00000, .size = 0x200000, .offset = 0xfff00000 },
		  "ELF32 cannot describe memory range 1 at 0xfff00000-0x1000fffff" },
		{ { .paddr = 0x100000000ULL, .size = 0x1000, .offset = 0x100000000ULL },
		  "ELF32 cannot describe memory range 1 at 0x100000000-0x100000fff" },
		{ { .paddr = 0x200000, .size = 0x1000, .offset = 0x100000000ULL },
		  "memory range 1 at 0x200000-0x200fff (offset 0x100000000" },
		{ { .paddr = 0x200000, .size = 0x1000, .vaddr = 0xffff888000200000ULL, .offset = 0x200000 },
		  "vaddr 0xffff888000200000" },
		{ { .paddr = 0, .size = 0x100000000ULL, .offset = 0 },
		  "memory range 1 at 0x0-0xffffffff" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct crash_load loads[2] = { { .paddr = 0x1000, .size = 0x1000, .offset = 0x1000 },
					       cases[i].l };
		struct crash_desc d = { .e_machine = EM_386, .elf_class = 32,
					.loads = loads, .nloads = 2 };

		if (cases[i].l.paddr == 0)
			loads[0] = (struct crash_load){ 0 }; /* skipped: zero size */
		build_fails(&d, cases[i].want);
		d.elf_class = 64;
		{
			void *buf;
			size_t len;

			build_ok(&d, &buf, &len);
			free(buf);
		}
	}
}

static void test_elf32_note_limit(void **state UNUSED)
{
	struct crash_note_buf notes[] = { { 0x1000, 404 }, { 0xfffffe00, 0x300 } };
	struct crash_load load = { .paddr = 0x100000, .size = 0x1000, .offset = 0x100000 };
	struct crash_desc d = { .e_machine = EM_386, .elf_class = 32, .notes = notes,
				.nnotes = 2, .loads = &load, .nloads = 1 };

	build_fails(&d, "ELF32 cannot describe note buffer 1 at 0xfffffe00-0x1000000ff");
}

static void test_overlap(void **state UNUSED)
{
	static const struct {
		struct crash_load a, b;
		const char *want;
	} cases[] = {
		{ { .paddr = 0x1000, .size = 0x2000 }, { .paddr = 0x2000, .size = 0x2000 },
		  "memory ranges 0 (0x1000-0x2fff) and 1 (0x2000-0x3fff) overlap" },
		{ { .paddr = 0x5000, .size = 0x1000 }, { .paddr = 0x1000, .size = 0x8000 },
		  "memory ranges 1 (0x1000-0x8fff) and 0 (0x5000-0x5fff) overlap" },
		{ { .paddr = 0x1000, .size = 0x1000 }, { .paddr = 0x1000, .size = 0x1000 },
		  "memory ranges 0 (0x1000-0x1fff) and 1 (0x1000-0x1fff) overlap" },
		{ { .paddr = 0x3000, .size = 0x1000 }, { .paddr = 0x2000, .size = 0x1001 },
		  "overlap" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct crash_load loads[] = {
			cases[i].a, cases[i].b,
			{ .paddr = 0x100000, .size = 0x1000, .offset = 0x100000 },
		};
		struct crash_desc d = { .e_machine = EM_X86_64, .elf_class = 64,
					.loads = loads, .nloads = 3 };

		build_fails(&d, cases[i].want);
	}
}

/* Neighbours that touch are fine, whatever the order; so is a backup
 * copy whose offset lands inside another range's physical span. */
static void test_adjacent_ok(void **state UNUSED)
{
	struct crash_load loads[] = {
		{ .paddr = 0x2000, .size = 0x1000, .offset = 0x2000 },
		{ .paddr = 0x1000, .size = 0x1000, .offset = 0x3000 },
		{ .paddr = 0x3000, .size = 0x1000, .offset = 0x3000 },
	};
	struct crash_desc d = { .e_machine = EM_X86_64, .loads = loads, .nloads = 3 };
	void *buf;
	size_t len;

	build_ok(&d, &buf, &len);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 3);
	free(buf);
}

/* The kernel text mapping is a second view of RAM another PT_LOAD dumps:
 * marked alias, it is emitted where given and is no overlap; two plain
 * ranges still are. */
static void test_alias(void **state UNUSED)
{
	struct crash_load loads[] = {
		{ .paddr = 0x1000000, .size = 0x2000000, .vaddr = 0xffffffff81000000ULL,
		  .offset = 0x1000000, .alias = 1 },
		{ .paddr = 0x100000, .size = 0x7ff00000, .vaddr = DM + 0x100000,
		  .offset = 0x100000 },
		{ .paddr = 0x1800000, .size = 0x1000, .offset = 0x1800000 },
	};
	struct crash_desc d = { .e_machine = EM_X86_64, .elf_class = 64, .notes = NULL,
				.nnotes = 0, .loads = loads, .nloads = 2 };
	const Elf64_Phdr *ph;
	void *buf;
	size_t len;

	build_ok(&d, &buf, &len);
	ph = (const Elf64_Phdr *)((char *)buf + 64);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 2);
	check_phdr64(&ph[0], PT_LOAD, RWX, 0x1000000, 0xffffffff81000000ULL, 0x1000000, 0x2000000);
	check_phdr64(&ph[1], PT_LOAD, RWX, 0x100000, DM + 0x100000, 0x100000, 0x7ff00000);
	free(buf);
	d.nloads = 3;
	build_fails(&d, "memory ranges 1 (0x100000-0x7fffffff) and 2 (0x1800000-0x1800fff) overlap");
}

/* Zero-size notes and ranges are skipped (Xen reports size 0 for a CPU
 * whose note buffer it could not allocate); they never count as overlaps. */
static void test_zero_size_skipped(void **state UNUSED)
{
	struct crash_note_buf notes[] = { { 0, 0 }, { 0x7000, 404 }, { 0x8000, 0 } };
	struct crash_load loads[] = {
		{ .paddr = 0x1000, .size = 0 },
		{ .paddr = 0x1000, .size = 0x1000, .offset = 0x1000 },
		{ .paddr = 0x1800, .size = 0 },
	};
	struct crash_desc d = { .e_machine = EM_X86_64, .elf_class = 64, .notes = notes,
				.nnotes = 3, .loads = loads, .nloads = 3 };
	const Elf64_Phdr *ph;
	void *buf;
	size_t len;

	build_ok(&d, &buf, &len);
	ph = (const Elf64_Phdr *)((char *)buf + 64);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 2);
	check_phdr64(&ph[0], PT_NOTE, 0, 0x7000, 0, 0x7000, 404);
	check_phdr64(&ph[1], PT_LOAD, RWX, 0x1000, 0, 0x1000, 0x1000);
	assert_zero_from(buf, 64 + 2 * 56, len);
	free(buf);

	d.notes[1].size = 0;
	d.loads[1].size = 0;
	build_fails(&d, "nothing to describe");
	d.nnotes = d.nloads = 0;
	build_fails(&d, "nothing to describe");
}

static void test_bad_desc(void **state UNUSED)
{
	struct crash_note_buf note = { 0x1000, 404 };
	struct crash_load load = { .paddr = 0x100000, .size = 0x1000, .offset = 0x100000 };
	struct crash_desc d = { .e_machine = EM_X86_64, .elf_class = 16, .notes = &note,
				.nnotes = 1, .loads = &load, .nloads = 1 };

	build_fails(&d, "ELF class 16 is neither 32 nor 64");
	d.elf_class = 64;
	d.e_machine = EM_NONE;
	build_fails(&d, "no machine type");
	d.e_machine = EM_X86_64;
	note = (struct crash_note_buf){ 0xfffffffffffff000ULL, 0x2000 };
	build_fails(&d, "note buffer 0 at 0xfffffffffffff000 size 0x2000 wraps");
	note = (struct crash_note_buf){ 0x1000, 404 };
	load.offset = 0xffffffffffffff00ULL;
	build_fails(&d, "memory range 0 at 0x100000 size 0x1000 (offset 0xffffffffffffff00");
	load.offset = 0x100000;
	load.vaddr = 0xfffffffffffff800ULL;
	build_fails(&d, "wraps");
	/* The very last byte of the address space is describable. */
	load = (struct crash_load){ .paddr = 0xfffffffffffff000ULL, .size = 0x1000,
				    .offset = 0xfffffffffffff000ULL };
	{
		void *buf;
		size_t len;

		build_ok(&d, &buf, &len);
		free(buf);
	}
}

/* ---------------------------------------------------------------- exclude */

#define L(p, s, v, o) { .paddr = (p), .size = (s), .vaddr = (v), .offset = (o) }
#define LA(p, s, v, o) { .paddr = (p), .size = (s), .vaddr = (v), .offset = (o), .alias = 1 }
#define MAXL 4

struct excl_case {
	const char *name;
	struct crash_load in[MAXL];
	size_t nin;
	uint64_t start, end;
	struct crash_load out[MAXL];
	size_t nout;
};

static const struct excl_case excl_cases[] = {
	{ "middle split, vaddr and offset advance",
	  { L(0x100000, 0x7ff00000, DM + 0x100000, 0x100000) }, 1, 0x20000000, 0x30000000,
	  { L(0x100000, 0x1ff00000, DM + 0x100000, 0x100000),
	    L(0x30000000, 0x50000000, DM + 0x30000000, 0x30000000) }, 2 },
	{ "middle split, vaddr 0 stays 0, relocated offset advances",
	  { L(0x1000, 0x9f000, 0, 0x3f000000) }, 1, 0x2000, 0x3000,
	  { L(0x1000, 0x1000, 0, 0x3f000000), L(0x3000, 0x9d000, 0, 0x3f002000) }, 2 },
	{ "head cut",
	  { L(0x100000, 0x100000, DM + 0x100000, 0x100000) }, 1, 0x0, 0x180000,
	  { L(0x180000, 0x80000, DM + 0x180000, 0x180000) }, 1 },
	{ "head cut at exact start",
	  { L(0x100000, 0x100000, 0, 0x100000) }, 1, 0x100000, 0x101000,
	  { L(0x101000, 0xff000, 0, 0x101000) }, 1 },
	{ "tail cut",
	  { L(0x100000, 0x100000, DM + 0x100000, 0x100000) }, 1, 0x180000, 0x300000,
	  { L(0x100000, 0x80000, DM + 0x100000, 0x100000) }, 1 },
	{ "tail cut at exact end",
	  { L(0x100000, 0x100000, 0, 0x100000) }, 1, 0x1ff000, 0x200000,
	  { L(0x100000, 0xff000, 0, 0x100000) }, 1 },
	{ "whole range removed",
	  { L(0x1000, 0x1000, 0, 0x1000), L(0x100000, 0x100000, 0, 0x100000),
	    L(0x300000, 0x1000, 0, 0x300000) }, 3, 0x100000, 0x200000,
	  { L(0x1000, 0x1000, 0, 0x1000), L(0x300000, 0x1000, 0, 0x300000) }, 2 },
	{ "across ranges: tail, whole, head",
	  { L(0x0, 0x10000, DM, 0x0), L(0x20000, 0x10000, DM + 0x20000, 0x20000),
	    L(0x40000, 0x10000, DM + 0x40000, 0x40000) }, 3, 0x8000, 0x48000,
	  { L(0x0, 0x8000, DM, 0x0), L(0x48000, 0x8000, DM + 0x48000, 0x48000) }, 2 },
	{ "untouched: hole between ranges, adjacent edges",
	  { L(0x1000, 0x1000, 0, 0x1000), L(0x3000, 0x1000, 0, 0x3000) }, 2, 0x2000, 0x3000,
	  { L(0x1000, 0x1000, 0, 0x1000), L(0x3000, 0x1000, 0, 0x3000) }, 2 },
	{ "empty hole is a no-op",
	  { L(0x1000, 0x3000, 0, 0x1000) }, 1, 0x2000, 0x2000,
	  { L(0x1000, 0x3000, 0, 0x1000) }, 1 },
	{ "tail of one, head of the next: order kept",
	  { L(0x30000, 0x10000, 0, 0x30000), L(0x10000, 0x10000, 0, 0x10000) }, 2, 0x18000, 0x38000,
	  { L(0x38000, 0x8000, 0, 0x38000), L(0x10000, 0x8000, 0, 0x10000) }, 2 },
	{ "hole inside the first of two ranges",
	  { L(0x0, 0x100000, 0, 0x0), L(0x0 + 0x200000, 0x100000, 0, 0x200000) }, 2,
	  0x80000, 0x81000,
	  { L(0x0, 0x80000, 0, 0x0), L(0x81000, 0x7f000, 0, 0x81000),
	    L(0x200000, 0x100000, 0, 0x200000) }, 3 },
	{ "alias flag kept on both pieces",
	  { LA(0x1000000, 0x2000000, 0xffffffff81000000ULL, 0x1000000) }, 1, 0x1800000, 0x1900000,
	  { LA(0x1000000, 0x800000, 0xffffffff81000000ULL, 0x1000000),
	    LA(0x1900000, 0x1700000, 0xffffffff81900000ULL, 0x1900000) }, 2 },
	{ "one-byte tail left",
	  { L(0x1000, 0x2001, 0, 0x1000) }, 1, 0x1000, 0x3000,
	  { L(0x3000, 0x1, 0, 0x3000) }, 1 },
	{ "one-byte overlap at the head of the hole",
	  { L(0x1000, 0x1001, 0, 0x1000) }, 1, 0x2000, 0x3000,
	  { L(0x1000, 0x1000, 0, 0x1000) }, 1 },
	{ "range reaching the very top",
	  { L(0xfffffffff0000000ULL, 0x10000000, 0, 0xfffffffff0000000ULL) }, 1,
	  0xfffffffff8000000ULL, 0xfffffffffc000000ULL,
	  { L(0xfffffffff0000000ULL, 0x8000000, 0, 0xfffffffff0000000ULL),
	    L(0xfffffffffc000000ULL, 0x4000000, 0, 0xfffffffffc000000ULL) }, 2 },
	{ "top of the address space",
	  { L(0xffffffff00000000ULL, 0xff000000ULL, 0, 0xffffffff00000000ULL) }, 1,
	  0xffffffff10000000ULL, 0xffffffff20000000ULL,
	  { L(0xffffffff00000000ULL, 0x10000000, 0, 0xffffffff00000000ULL),
	    L(0xffffffff20000000ULL, 0xdf000000ULL, 0, 0xffffffff20000000ULL) }, 2 },
};

static void expect_loads(const char *name, const struct crash_load *got, size_t n,
			 const struct crash_load *want, size_t nw)
{
	if (n != nw)
		fail_msg("%s: %zu ranges, want %zu", name, n, nw);
	for (size_t i = 0; i < n; i++)
		if (got[i].paddr != want[i].paddr || got[i].size != want[i].size ||
		    got[i].vaddr != want[i].vaddr || got[i].offset != want[i].offset ||
		    got[i].alias != want[i].alias)
			fail_msg("%s: range %zu is pa 0x%llx size 0x%llx va 0x%llx off 0x%llx "
				 "alias %d, want pa 0x%llx size 0x%llx va 0x%llx off 0x%llx alias %d",
				 name, i, (unsigned long long)got[i].paddr,
				 (unsigned long long)got[i].size, (unsigned long long)got[i].vaddr,
				 (unsigned long long)got[i].offset, got[i].alias,
				 (unsigned long long)want[i].paddr, (unsigned long long)want[i].size,
				 (unsigned long long)want[i].vaddr, (unsigned long long)want[i].offset,
				 want[i].alias);
}

static void test_exclude(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(excl_cases); i++) {
		const struct excl_case *c = &excl_cases[i];
		struct crash_load *l = malloc(c->nin * sizeof(*l));
		size_t n = c->nin;
		struct capture cap;
		int rc;

		assert_non_null(l);
		memcpy(l, c->in, c->nin * sizeof(*l));
		capture_start(&cap);
		rc = crash_ranges_exclude(&l, &n, c->start, c->end);
		assert_silent(capture_end(&cap));
		assert_int_equal(rc, 0);
		expect_loads(c->name, l, n, c->out, c->nout);
		free(l);
	}
}

/* Exclude everything: an empty list, still freeable, still usable. */
static void test_exclude_all(void **state UNUSED)
{
	struct crash_load *l = malloc(2 * sizeof(*l));
	size_t n = 2;

	assert_non_null(l);
	l[0] = (struct crash_load)L(0x1000, 0x1000, 0, 0x1000);
	l[1] = (struct crash_load)L(0x3000, 0x1000, 0, 0x3000);
	assert_int_equal(crash_ranges_exclude(&l, &n, 0, 0x10000), 0);
	assert_int_equal(n, 0);
	assert_int_equal(crash_ranges_exclude(&l, &n, 0, 0x10000), 0);
	assert_int_equal(n, 0);
	free(l);
}

/* Many holes in one big range: every piece keeps vaddr - paddr and
 * offset - paddr constant, the result feeds crash_elf_build. */
static void test_exclude_many(void **state UNUSED)
{
	struct crash_load *l = malloc(sizeof(*l));
	size_t n = 1;
	struct crash_desc d = { .e_machine = EM_X86_64, .elf_class = 64 };
	void *buf;
	size_t len;

	assert_non_null(l);
	l[0] = (struct crash_load)L(0, 4000 * 0x2000ULL, DM, 0x10000000000ULL);
	for (uint64_t i = 0; i < 4000; i++)
		assert_int_equal(crash_ranges_exclude(&l, &n, i * 0x2000 + 0x1000, i * 0x2000 + 0x2000), 0);
	assert_int_equal(n, 4000);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l[i].paddr, i * 0x2000);
		assert_int_equal(l[i].size, 0x1000);
		assert_int_equal(l[i].vaddr, DM + i * 0x2000);
		assert_int_equal(l[i].offset, 0x10000000000ULL + i * 0x2000);
	}
	d.loads = l;
	d.nloads = n;
	build_ok(&d, &buf, &len);
	assert_int_equal(((Elf64_Ehdr *)buf)->e_phnum, 4000);
	check_many64(buf, &d);
	free(buf);
	free(l);
}

static void test_exclude_wrap(void **state UNUSED)
{
	struct crash_load *l = malloc(sizeof(*l));
	size_t n = 1;
	struct capture c;
	int rc;

	assert_non_null(l);
	l[0] = (struct crash_load)L(0xfffffffffffff000ULL, 0x2000, 0, 0);
	capture_start(&c);
	rc = crash_ranges_exclude(&l, &n, 0x1000, 0x2000);
	assert_one_error(capture_end(&c), "range 0 at 0xfffffffffffff000 size 0x2000 wraps");
	assert_int_equal(rc, -1);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].paddr, 0xfffffffffffff000ULL);
	free(l);
}

/* ---------------------------------------------------------------- notes */

/* One note at off: header, name padded to 4, desc (pattern) padded to 4.
 * Returns the offset after it. */
static size_t put_note(uint8_t *buf, size_t off, const char *name, uint32_t type, uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	uint32_t hdr[3] = { namesz, descsz, type };

	memcpy(buf + off, hdr, sizeof(hdr));
	off += 12;
	memcpy(buf + off, name, namesz);
	off += ALIGN_UP(namesz, 4);
	for (uint32_t i = 0; i < descsz; i++)
		buf[off + i] = (uint8_t)(i * 31 + 7);
	return off + ALIGN_UP(descsz, 4);
}

/* Xen's per-CPU buffers back to back, as the capture kernel merges them:
 * CORE/PRSTATUS (356 bytes) + Xen/CRASH_REGS (48), plus Xen/CRASH_INFO
 * (96) in CPU 0's buffer. */
static size_t xen_cpu_notes(uint8_t *buf, unsigned ncpu)
{
	size_t off = 0;

	for (unsigned cpu = 0; cpu < ncpu; cpu++) {
		size_t start = off;

		off = put_note(buf, off, "CORE", NT_PRSTATUS, 336);
		off = put_note(buf, off, "Xen", XEN_CRASH_REGS, 32);
		if (cpu == 0)
			off = put_note(buf, off, "Xen", XEN_CRASH_INFO, 80);
		assert_int_equal(off - start, cpu == 0 ? 500 : 404);
	}
	return off;
}

static size_t count_ok(const void *buf, size_t len, const char *name, uint32_t type)
{
	struct capture c;
	size_t n = 999;
	int rc;

	capture_start(&c);
	rc = crash_note_desc_count(buf, len, name, type, &n);
	assert_silent(capture_end(&c));
	assert_int_equal(rc, 0);
	return n;
}

static void test_note_count_xen(void **state UNUSED)
{
	uint8_t *buf = calloc(1, 16384);
	size_t len;

	assert_non_null(buf);
	len = xen_cpu_notes(buf, 8);
	assert_int_equal(len, 500 + 7 * 404);
	assert_int_equal(count_ok(buf, len, "CORE", NT_PRSTATUS), 8);
	assert_int_equal(count_ok(buf, len, "Xen", XEN_CRASH_REGS), 8);
	assert_int_equal(count_ok(buf, len, "Xen", XEN_CRASH_INFO), 1);
	assert_int_equal(count_ok(buf, len, "Xen", NT_PRSTATUS), 0);
	assert_int_equal(count_ok(buf, len, "CORE", XEN_CRASH_REGS), 0);
	assert_int_equal(count_ok(buf, len, "COR", NT_PRSTATUS), 0);
	assert_int_equal(count_ok(buf, len, "CORE2", NT_PRSTATUS), 0);
	/* Trailing zeros (a 1 KiB-rounded buffer) end the walk quietly. */
	assert_int_equal(count_ok(buf, len + 1000, "CORE", NT_PRSTATUS), 8);
	/* Fewer than 12 bytes left: padding, not a note. */
	assert_int_equal(count_ok(buf, len + 11, "Xen", XEN_CRASH_REGS), 8);
	/* Unaligned start. */
	memmove(buf + 1, buf, len);
	assert_int_equal(count_ok(buf + 1, len, "Xen", XEN_CRASH_REGS), 8);
	assert_int_equal(count_ok(buf, 0, "CORE", NT_PRSTATUS), 0);
	free(buf);
}

/* VMCOREINFO_XEN (namesz 15, descsz 4068) fills a 4 KiB buffer; the dom0
 * VMCOREINFO name is a prefix of it and must not match, nor the reverse. */
static void test_note_count_vmcoreinfo(void **state UNUSED)
{
	uint8_t *buf = calloc(1, 8192);
	size_t len;

	assert_non_null(buf);
	len = put_note(buf, 0, "VMCOREINFO_XEN", 0, 4068);
	assert_int_equal(len, 4096);
	assert_int_equal(count_ok(buf, len, "VMCOREINFO_XEN", 0), 1);
	assert_int_equal(count_ok(buf, len, "VMCOREINFO", 0), 0);
	len = put_note(buf, len, "VMCOREINFO", 0, 1000);
	assert_int_equal(count_ok(buf, len, "VMCOREINFO", 0), 1);
	assert_int_equal(count_ok(buf, len, "VMCOREINFO_XEN", 0), 1);
	/* A desc size that is not a multiple of 4 is padded. */
	len = put_note(buf, len, "VMCOREINFO", 0, 1001);
	len = put_note(buf, len, "CORE", NT_PRSTATUS, 336);
	assert_int_equal(len, 4096 + 1024 + 1028 + 356);
	assert_int_equal(count_ok(buf, len, "CORE", NT_PRSTATUS), 1);
	assert_int_equal(count_ok(buf, len, "VMCOREINFO", 0), 2);
	free(buf);
}

/* A header with namesz 0 ends the walk, as in the capture kernel: what
 * follows is not parsed, even when it is garbage. */
static void test_note_count_stops_at_empty(void **state UNUSED)
{
	uint8_t buf[1024];
	size_t len;

	memset(buf, 0xff, sizeof(buf));
	len = xen_cpu_notes(buf, 1);
	memset(buf + len, 0, 12);
	assert_int_equal(count_ok(buf, sizeof(buf), "Xen", XEN_CRASH_REGS), 1);
}

static void test_note_count_truncated(void **state UNUSED)
{
	uint8_t buf[1024] = { 0 };
	size_t len = xen_cpu_notes(buf, 1), n = 777;
	struct capture c;
	int rc;

	capture_start(&c);
	rc = crash_note_desc_count(buf, len - 1, "CORE", NT_PRSTATUS, &n);
	assert_one_error(capture_end(&c), "note at offset 404 (namesz 4, descsz 80) runs past the end of the 499-byte buffer");
	assert_int_equal(rc, -1);
	assert_int_equal(n, 777);

	/* Exactly one header left, claiming a name that is not there. */
	{
		uint32_t hdr[3] = { 4, 0, 1 };

		memcpy(buf + len, hdr, sizeof(hdr));
		capture_start(&c);
		rc = crash_note_desc_count(buf, len + 12, "CORE", NT_PRSTATUS, &n);
		assert_one_error(capture_end(&c), "note at offset 500 (namesz 4, descsz 0) runs past the end of the 512-byte buffer");
		assert_int_equal(rc, -1);
	}

	/* A huge descsz must not wrap the walk. */
	((uint32_t *)buf)[1] = 0xfffffffe;
	capture_start(&c);
	rc = crash_note_desc_count(buf, len, "CORE", NT_PRSTATUS, &n);
	assert_one_error(capture_end(&c), "note at offset 0");
	assert_int_equal(rc, -1);
}

/* ---------------------------------------------------------------- libelf */

static void roundtrip(const struct crash_desc *d, int cls)
{
	void *buf;
	size_t len, phnum;
	Elf *e;
	GElf_Ehdr eh;

	build_ok(d, &buf, &len);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	e = elf_memory(buf, len);
	assert_non_null(e);
	assert_int_equal(elf_kind(e), ELF_K_ELF);
	assert_int_equal(gelf_getclass(e), cls == 32 ? ELFCLASS32 : ELFCLASS64);
	assert_non_null(gelf_getehdr(e, &eh));
	assert_int_equal(eh.e_type, ET_CORE);
	assert_int_equal(eh.e_machine, d->e_machine);
	assert_int_equal(elf_getphdrnum(e, &phnum), 0);
	assert_int_equal(phnum, d->nnotes + d->nloads);
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		bool note = i < d->nnotes;
		const struct crash_load *l = note ? NULL : &d->loads[i - d->nnotes];
		uint64_t addr = note ? d->notes[i].addr : l->paddr;
		uint64_t size = note ? d->notes[i].size : l->size;

		assert_non_null(gelf_getphdr(e, (int)i, &ph));
		assert_int_equal(ph.p_type, note ? PT_NOTE : PT_LOAD);
		assert_int_equal(ph.p_flags, note ? 0 : RWX);
		assert_int_equal(ph.p_offset, note ? addr : l->offset);
		assert_int_equal(ph.p_paddr, addr);
		assert_int_equal(ph.p_vaddr, note ? 0 : l->vaddr);
		assert_int_equal(ph.p_filesz, size);
		assert_int_equal(ph.p_memsz, size);
	}
	elf_end(e);
	free(buf);
}

static void test_libelf_roundtrip(void **state UNUSED)
{
	struct crash_desc d64 = fixed_desc(64, EM_X86_64);
	struct crash_desc big = many(64, 16, 5000);
	struct crash_desc d32 = many(32, 4, 100);

	roundtrip(&d64, 64);
	roundtrip(&big, 64);
	roundtrip(&d32, 32);
	many_free(&big);
	many_free(&d32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf64_exact),
		cmocka_unit_test(test_elf32_exact),
		cmocka_unit_test(test_default_class),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_notes_first),
		cmocka_unit_test(test_thousands),
		cmocka_unit_test(test_phnum_limit),
		cmocka_unit_test(test_elf32_limits),
		cmocka_unit_test(test_elf32_note_limit),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_adjacent_ok),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_zero_size_skipped),
		cmocka_unit_test(test_bad_desc),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_exclude_all),
		cmocka_unit_test(test_exclude_many),
		cmocka_unit_test(test_exclude_wrap),
		cmocka_unit_test(test_note_count_xen),
		cmocka_unit_test(test_note_count_vmcoreinfo),
		cmocka_unit_test(test_note_count_stops_at_empty),
		cmocka_unit_test(test_note_count_truncated),
		cmocka_unit_test(test_libelf_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
