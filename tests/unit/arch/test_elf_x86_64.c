/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the ELF x86_64 loader (kexec/arch/x86_64/elf-x86_64.c).
 * Small ELF images are written by hand into memory at test time; probe is
 * checked on good and broken ones, load against a synthetic machine (RAM
 * 0-640K and 1M-2G) for segment addresses, sizes, data and entry state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <cmocka.h>

#include "file-types.h"
#include "purgatory.h"

#define UNUSED __attribute__((unused))
#define KERNEL_VBASE 0xffffffff80000000ULL
#define MAX_SPECS 8

/* ---------------------------------------------------------------- images */

struct seg_spec {
	uint32_t type;   /* 0 means PT_LOAD */
	uint64_t paddr;
	uint64_t filesz, memsz;
	uint64_t offset; /* 0: next free page-congruent offset */
	uint32_t flags;  /* 0 means RWX */
	bool virt;       /* vaddr = KERNEL_VBASE + paddr (else vaddr = paddr) */
};

struct image {
	uint8_t *buf;
	size_t len;
	struct kernel_image k;
};

/* Segment i's file bytes are 0x11 * (i + 1) ^ (offset & 0x0f), so data
 * placed at the wrong offset shows. */
static uint8_t fill_byte(unsigned i, uint64_t off)
{
	return (uint8_t)((0x11 * (i + 1)) ^ (off & 0x0f));
}

static size_t note_bytes(void)
{
	return 12 + 8 + 4; /* header, "Linux\0" padded, 4-byte desc */
}

static void put_linux_note(uint8_t *at)
{
	uint32_t hdr[3] = { 6, 4, 0x100 };

	memcpy(at, hdr, sizeof(hdr));
	memcpy(at + 12, "Linux\0\0\0", 8);
	memset(at + 20, 0, 4);
}

/* Build an ELF64 x86_64 executable with the given program headers. A
 * "Linux" note (as vmlinux has) is added as a PT_NOTE when linux_note. */
static void make_elf(struct image *im, const struct seg_spec *s, unsigned n,
		     uint64_t entry, bool linux_note)
{
	unsigned nph = n + (linux_note ? 1 : 0);
	uint64_t off[MAX_SPECS], next = 0x1000, end = 0x1000;
	Elf64_Ehdr eh;

	assert_true(n <= MAX_SPECS);
	for (unsigned i = 0; i < n; i++) {
		off[i] = s[i].offset;
		if (!off[i]) {
			off[i] = next + (s[i].paddr & 0xfff);
			next = (off[i] + s[i].filesz + 0x1fff) & ~0xfffULL;
		}
		if (off[i] + s[i].filesz > end)
			end = off[i] + s[i].filesz;
	}
	if (next > end)
		end = next;
	im->len = end + (linux_note ? note_bytes() : 0);
	im->buf = calloc(1, im->len);
	assert_non_null(im->buf);

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)nph;
	memcpy(im->buf, &eh, sizeof(eh));

	for (unsigned i = 0; i < n; i++) {
		Elf64_Phdr ph = {
			.p_type = s[i].type ? s[i].type : PT_LOAD,
			.p_flags = s[i].flags ? s[i].flags : PF_R | PF_W | PF_X,
			.p_offset = off[i],
			.p_vaddr = s[i].virt ? KERNEL_VBASE + s[i].paddr : s[i].paddr,
			.p_paddr = s[i].paddr,
			.p_filesz = s[i].filesz,
			.p_memsz = s[i].memsz,
			.p_align = 0x1000,
		};

		memcpy(im->buf + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
		for (uint64_t b = 0; b < s[i].filesz && off[i] + b < im->len; b++)
			im->buf[off[i] + b] = fill_byte(i, b);
	}
	if (linux_note) {
		Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = end,
				  .p_filesz = note_bytes(), .p_align = 4 };

		memcpy(im->buf + sizeof(eh) + n * sizeof(ph), &ph, sizeof(ph));
		put_linux_note(im->buf + end);
	}
	im->k = (struct kernel_image){ .path = "vmlinux-test", .buf = im->buf, .len = im->len };
}

static void set_image_len(struct image *im, size_t len)
{
	im->len = len;
	im->k.len = len;
}

static Elf64_Ehdr *ehdr(struct image *im)
{
	return (Elf64_Ehdr *)im->buf;
}

/* Two PT_LOADs, like a tiny kernel: text at 2 MiB, data + bss at 4 MiB. */
static const struct seg_spec two_segs[] = {
	{ .paddr = 0x200000, .filesz = 0x1800, .memsz = 0x3000, .flags = PF_R | PF_X, .virt = true },
	{ .paddr = 0x400000, .filesz = 0x100, .memsz = 0x100, .flags = PF_R | PF_W, .virt = true },
};

static void make_two(struct image *im, bool linux_note)
{
	make_elf(im, two_segs, 2, KERNEL_VBASE + 0x200010, linux_note);
}

/* ---------------------------------------------------------------- probe */

static void expect_probe(struct image *im, int rc, const char *why_part)
{
	const char *why = NULL;

	assert_int_equal(file_type_elf_x86_64.probe(&im->k, &why), rc);
	if (!why_part) {
		if (why)
			fail_msg("unexpected reason \"%s\"", why);
	} else if (!why || !strstr(why, why_part)) {
		fail_msg("reason \"%s\", want \"%s\"", why ? why : "(none)", why_part);
	}
	free(im->buf);
}

static void test_probe_good(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	expect_probe(&im, 0, NULL);
	make_two(&im, true);
	expect_probe(&im, 0, NULL);
}

static void test_probe_not_elf(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	memcpy(im.buf, "MZ\x90\0", 4);
	expect_probe(&im, -1, NULL);
	make_two(&im, false);
	set_image_len(&im, 3);
	expect_probe(&im, -1, NULL);
}

static void test_probe_truncated_header(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	set_image_len(&im, 40);
	expect_probe(&im, -1, "truncated ELF header");
}

static void test_probe_truncated_phdrs(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	set_image_len(&im, sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + 10);
	expect_probe(&im, -1, "truncated program headers");
	make_two(&im, false);
	ehdr(&im)->e_phoff = im.len - 8;
	expect_probe(&im, -1, "truncated program headers");
}

static void test_probe_wrong_class(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	im.buf[EI_CLASS] = ELFCLASS32;
	expect_probe(&im, -1, "ELFCLASS64");
}

static void test_probe_wrong_machine(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	ehdr(&im)->e_machine = EM_AARCH64;
	expect_probe(&im, -1, "ELF for aarch64, not x86_64");
	make_two(&im, false);
	ehdr(&im)->e_machine = EM_386;
	im.buf[EI_CLASS] = ELFCLASS32;
	expect_probe(&im, -1, "ELF for i386, not x86_64");
	make_two(&im, false);
	ehdr(&im)->e_machine = 0x4242;
	expect_probe(&im, -1, "not x86_64");
}

static void test_probe_big_endian(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	im.buf[EI_DATA] = ELFDATA2MSB;
	ehdr(&im)->e_machine = (uint16_t)(EM_X86_64 << 8);
	expect_probe(&im, -1, "big-endian");
}

static void test_probe_wrong_type(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	ehdr(&im)->e_type = ET_DYN;
	expect_probe(&im, -1, "ET_DYN");
	make_two(&im, false);
	ehdr(&im)->e_type = ET_REL;
	expect_probe(&im, -1, "ET_REL");
}

static void test_probe_load_past_end(void **state UNUSED)
{
	struct image im;

	make_two(&im, false);
	set_image_len(&im, 0x1000 + 0x100); /* cuts the first PT_LOAD's data */
	expect_probe(&im, -1, "extends past the end of the file");
}

static void test_probe_no_load(void **state UNUSED)
{
	static const struct seg_spec note_only[] = {
		{ .type = PT_NOTE, .paddr = 0, .filesz = 0x10, .memsz = 0 },
	};
	struct image im;

	make_elf(&im, note_only, 1, 0x200000, false);
	expect_probe(&im, -1, "no PT_LOAD segments");
	make_two(&im, false);
	ehdr(&im)->e_phnum = 0;
	expect_probe(&im, -1, "no program headers");
}

static void test_probe_overlap(void **state UNUSED)
{
	static const struct seg_spec overlap[] = {
		{ .paddr = 0x200000, .filesz = 0x1000, .memsz = 0x3000 },
		{ .paddr = 0x202000, .filesz = 0x1000, .memsz = 0x1000 },
	};
	struct image im;

	make_elf(&im, overlap, 2, 0x200000, false);
	expect_probe(&im, -1, "overlap");
}

static void test_probe_filesz_over_memsz(void **state UNUSED)
{
	static const struct seg_spec bad[] = {
		{ .paddr = 0x200000, .filesz = 0x2000, .memsz = 0x1000 },
	};
	struct image im;

	make_elf(&im, bad, 1, 0x200000, false);
	expect_probe(&im, -1, "p_filesz larger than p_memsz");
}

static void test_probe_entry_outside(void **state UNUSED)
{
	struct image im;

	make_elf(&im, two_segs, 2, 0x900000, false);
	expect_probe(&im, -1, "entry point is outside");
}

/* ---------------------------------------------------------------- load */

struct fixture {
	struct machine m;
	struct options o;
	struct plan p;
	struct image im;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->m.backend = "test";
	memmap_init(&f->m.ram);
	memmap_init(&f->m.crash);
	if (memmap_add(&f->m.ram, 0, 0xa0000, MEM_RAM) < 0 ||
	    memmap_add(&f->m.ram, 0x100000, 2ULL << 30, MEM_RAM) < 0)
		return -1;
	f->m.max_segments = PLAN_MAX_SEGMENTS;
	plan_init(&f->p, &f->m, false);
	f->o.serial_base = 0x3f8;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	plan_release(&f->p);
	memmap_free(&f->m.ram);
	memmap_free(&f->m.crash);
	free(f->im.buf);
	free(f);
	return 0;
}

static const struct segment *seg_named(const struct plan *p, const char *what, unsigned nth)
{
	for (unsigned i = 0; i < p->nseg; i++)
		if (!strcmp(p->seg[i].what, what) && nth-- == 0)
			return &p->seg[i];
	fail_msg("no segment \"%s\" number %u", what, nth);
	return NULL;
}

static const struct segment *seg_at(const struct plan *p, uint64_t mem)
{
	for (unsigned i = 0; i < p->nseg; i++)
		if (p->seg[i].mem == mem)
			return &p->seg[i];
	fail_msg("no segment at 0x%llx", (unsigned long long)mem);
	return NULL;
}

static unsigned count_named(const struct plan *p, const char *what)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nseg; i++)
		n += !strcmp(p->seg[i].what, what);
	return n;
}

/* The parameter block of the purgatory copy in the plan. */
static const struct purgatory_params *params_of(const struct plan *p)
{
	const struct segment *s = seg_named(p, "purgatory", 0);

	assert_int_equal(p->entry, s->mem);
	return (const struct purgatory_params *)((const uint8_t *)s->buf + PURGATORY_PARAMS_OFFSET);
}

static unsigned count_digested(const struct plan *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nseg; i++)
		n += !p->seg[i].no_digest && p->seg[i].bufsz;
	return n;
}

/* Segment data at [at, at+len) is file data of spec i from file byte b0. */
static void assert_fill(const struct segment *s, uint64_t at, uint64_t len, unsigned i, uint64_t b0)
{
	const uint8_t *d = s->buf;

	assert_non_null(d);
	assert_true(at + len <= s->bufsz);
	for (uint64_t b = 0; b < len; b++)
		if (d[at + b] != fill_byte(i, b0 + b))
			fail_msg("%s at 0x%llx: byte 0x%llx is 0x%02x, want 0x%02x", s->what,
				 (unsigned long long)s->mem, (unsigned long long)(at + b),
				 d[at + b], fill_byte(i, b0 + b));
}

static int load(struct fixture *f)
{
	return file_type_elf_x86_64.load(&f->o, &f->im.k, &f->p);
}

static void test_load_args_none(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;
	const struct segment *s;

	make_two(&f->im, false);
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	assert_int_equal(f->p.nseg, 3);
	assert_int_equal(count_named(&f->p, "kernel"), 2);

	s = seg_at(&f->p, 0x200000);
	assert_int_equal(s->memsz, 0x3000);
	assert_int_equal(s->bufsz, 0x1800);
	assert_fill(s, 0, 0x1800, 0, 0);
	/* Zero-copy: straight out of the file buffer. */
	assert_ptr_equal(s->buf, f->im.buf + 0x1000);

	s = seg_at(&f->p, 0x400000);
	assert_int_equal(s->memsz, 0x1000);
	assert_int_equal(s->bufsz, 0x100);
	assert_fill(s, 0, 0x100, 1, 0);

	pp = params_of(&f->p);
	assert_int_equal(pp->entry_mode, PURGATORY_ENTRY_64);
	assert_int_equal(pp->regs64.rip, 0x200010); /* virtual e_entry made physical */
	assert_int_equal(pp->regs64.rsi, 0);
	assert_int_equal(pp->regs64.rdi, 0);
	/* Both kernel segments are checked (the seal is filled when staged). */
	assert_ptr_equal(f->p.seal, pp);
	assert_int_equal(count_digested(&f->p), 2);
	assert_int_equal(f->p.arch, EM_X86_64);
	assert_int_equal(plan_validate(&f->p), 0);
}

static void test_load_unaligned_paddr(void **state)
{
	static const struct seg_spec s1[] = {
		{ .paddr = 0x200800, .filesz = 0x100, .memsz = 0x900 },
	};
	struct fixture *f = *state;
	const struct segment *s;

	make_elf(&f->im, s1, 1, 0x200800, false);
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	s = seg_at(&f->p, 0x200000);
	assert_int_equal(s->memsz, 0x2000);
	assert_int_equal(s->bufsz, 0x900);
	assert_fill(s, 0x800, 0x100, 0, 0);
	assert_int_equal(params_of(&f->p)->regs64.rip, 0x200800);
}

static void test_load_shared_page_merged(void **state)
{
	/* Both PT_LOADs touch page 0x300000: they must become one segment,
	 * with the first one's bss zeroed (its file bytes are not). */
	static const struct seg_spec s2[] = {
		{ .paddr = 0x300000, .filesz = 0x100, .memsz = 0x200, .offset = 0x1000 },
		{ .paddr = 0x300400, .filesz = 0x100, .memsz = 0x1000, .offset = 0x3400 },
	};
	struct fixture *f = *state;
	const struct segment *s;
	const uint8_t *d;

	make_elf(&f->im, s2, 2, 0x300000, false);
	memset(f->im.buf + 0x1100, 0xee, 0x100); /* bytes the bss must hide */
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	assert_int_equal(count_named(&f->p, "kernel"), 1);
	s = seg_at(&f->p, 0x300000);
	assert_int_equal(s->memsz, 0x2000);
	assert_int_equal(s->bufsz, 0x500);
	assert_fill(s, 0, 0x100, 0, 0);
	d = s->buf;
	for (unsigned b = 0x100; b < 0x400; b++)
		assert_int_equal(d[b], 0);
	assert_fill(s, 0x400, 0x100, 1, 0);
}

static void test_load_touching_merged_without_copy(void **state)
{
	/* Contiguous in the file and in memory: one segment, no copy. */
	static const struct seg_spec s2[] = {
		{ .paddr = 0x500000, .filesz = 0x2000, .memsz = 0x2000, .offset = 0x1000 },
		{ .paddr = 0x502000, .filesz = 0x800, .memsz = 0x3000, .offset = 0x3000 },
	};
	struct fixture *f = *state;
	const struct segment *s;

	make_elf(&f->im, s2, 2, 0x500000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	assert_int_equal(count_named(&f->p, "kernel"), 1);
	s = seg_at(&f->p, 0x500000);
	assert_ptr_equal(s->buf, f->im.buf + 0x1000);
	assert_int_equal(s->bufsz, 0x2800);
	assert_int_equal(s->memsz, 0x5000);
}

static void test_load_touching_kept_apart(void **state)
{
	/* Touching, but the first has bss: merging would need a copy, so
	 * they stay two zero-copy segments. */
	static const struct seg_spec s2[] = {
		{ .paddr = 0x500000, .filesz = 0x1000, .memsz = 0x2000 },
		{ .paddr = 0x502000, .filesz = 0x800, .memsz = 0x800 },
	};
	struct fixture *f = *state;

	make_elf(&f->im, s2, 2, 0x500000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	assert_int_equal(count_named(&f->p, "kernel"), 2);
	assert_int_equal(seg_at(&f->p, 0x500000)->memsz, 0x2000);
	assert_int_equal(seg_at(&f->p, 0x502000)->memsz, 0x1000);
}

static void test_load_bss_only(void **state)
{
	static const struct seg_spec s2[] = {
		{ .paddr = 0x200000, .filesz = 0x10, .memsz = 0x10 },
		{ .paddr = 0x600000, .filesz = 0, .memsz = 0x4000 },
	};
	struct fixture *f = *state;
	const struct segment *s;

	make_elf(&f->im, s2, 2, 0x200000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	s = seg_at(&f->p, 0x600000);
	assert_int_equal(s->bufsz, 0);
	assert_int_equal(s->memsz, 0x4000);
	assert_int_equal(plan_validate(&f->p), 0);
}

/* Run the load expecting failure with one error line containing want. */
static void expect_load_error(struct fixture *f, const char *want)
{
	FILE *tmp = tmpfile();
	char text[1024];
	int saved, rc;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = load(f);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(text, 1, sizeof(text) - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	assert_int_equal(rc, -1);
	if (!strstr(text, want) || strchr(text, '\n') != text + n - 1)
		fail_msg("error output \"%s\", want one line with \"%s\"", text, want);
}

static void test_load_mem_limits(void **state)
{
	struct fixture *f = *state;

	make_two(&f->im, false);
	f->o.elf_args = ELF_ARGS_NONE;
	f->o.mem_min = 0x300000;
	f->o.mem_min_given = true;
	expect_load_error(f, "vmlinux-test: PT_LOAD at 0x200000-0x202fff is outside --mem-min/--mem-max");
	plan_release(&f->p);
	plan_init(&f->p, &f->m, false);
	f->o.mem_min = 0;
	f->o.mem_max = 0x3fffff;
	f->o.mem_max_given = true;
	expect_load_error(f, "PT_LOAD at 0x400000-0x400fff is outside --mem-min/--mem-max");
}

static void test_load_outside_ram(void **state)
{
	static const struct seg_spec hole[] = {
		{ .paddr = 0xb8000, .filesz = 0x100, .memsz = 0x100 },
	};
	struct fixture *f = *state;

	make_elf(&f->im, hole, 1, 0xb8000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	expect_load_error(f, "not inside usable RAM");
}

/* Issue 12, finding 2: a bss-only PT_LOAD claiming 128 TiB and 16 bytes of
 * data in its last page. The span is checked against the machine before a
 * buffer is sized by p_memsz: one line naming the file, no allocation
 * (before, "out of memory (1 x 140733193388049 bytes)"). The same bytes are
 * tests/fuzz/regressions/elf/huge-memsz. */
static void test_load_huge_memsz_refused(void **state)
{
	static const struct seg_spec huge[] = {
		{ .paddr = 0x100000, .filesz = 0, .memsz = 0x7fff00000001ULL },
		{ .paddr = 0x100000 + 0x7fff00000010ULL, .filesz = 16, .memsz = 16 },
	};
	struct fixture *f = *state;

	make_elf(&f->im, huge, 2, 0x100000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	expect_load_error(f, "vmlinux-test: PT_LOAD at 0x100000-0x7fff00100fff is not inside usable RAM");
	assert_int_equal(f->p.nseg, 0);
}

/* Where the machine has the RAM, such a group costs no buffer for its
 * zeros: only pages with file bytes are copied; whole pages without any
 * are zero fill (a segment without data, or the tail of the one before). */
static void test_load_sparse_group_copies_file_bytes_only(void **state)
{
	static const struct seg_spec sparse[] = {
		{ .paddr = 0x100000, .filesz = 0, .memsz = 0x10000001ULL },
		{ .paddr = 0x10100010, .filesz = 16, .memsz = 16 },
		{ .paddr = 0x20000000, .filesz = 0x100, .memsz = 0x5001 },
		{ .paddr = 0x20005010, .filesz = 16, .memsz = 16 },
	};
	struct fixture *f = *state;
	const struct segment *s;

	make_elf(&f->im, sparse, 4, 0x100000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	assert_int_equal(load(f), 0);
	assert_int_equal(count_named(&f->p, "kernel"), 4);
	s = seg_at(&f->p, 0x100000);
	assert_int_equal(s->memsz, 0x10000000);
	assert_int_equal(s->bufsz, 0);
	s = seg_at(&f->p, 0x10100000);
	assert_int_equal(s->memsz, 0x1000);
	assert_int_equal(s->bufsz, 0x20);
	assert_fill(s, 0x10, 0x10, 1, 0);
	for (unsigned b = 0; b < 0x10; b++)
		assert_int_equal(((const uint8_t *)s->buf)[b], 0);
	s = seg_at(&f->p, 0x20000000);
	assert_int_equal(s->memsz, 0x5000);
	assert_int_equal(s->bufsz, 0x100);
	assert_fill(s, 0, 0x100, 2, 0);
	s = seg_at(&f->p, 0x20005000);
	assert_int_equal(s->memsz, 0x1000);
	assert_int_equal(s->bufsz, 0x20);
	assert_fill(s, 0x10, 0x10, 3, 0);
	assert_int_equal(plan_validate(&f->p), 0);
}

/* The same shape within 2 GiB + 1 byte, on a machine whose max_addr ends
 * below it: refused by the highest usable address. */
static void test_load_above_max_addr_refused(void **state)
{
	static const struct seg_spec big[] = {
		{ .paddr = 0x100000, .filesz = 0, .memsz = 0x80000001ULL },
		{ .paddr = 0x100000 + 0x80000010ULL, .filesz = 16, .memsz = 16 },
	};
	struct fixture *f = *state;

	make_elf(&f->im, big, 2, 0x100000, false);
	f->o.elf_args = ELF_ARGS_NONE;
	f->m.max_addr = 1ULL << 30;
	expect_load_error(f, "vmlinux-test: PT_LOAD at 0x100000-0x80100fff ends above the highest usable address");
}

static void test_load_ramdisk_refused(void **state)
{
	struct fixture *f = *state;

	make_two(&f->im, false);
	f->o.initrd = "/boot/initrd.img";
	f->o.elf_args = ELF_ARGS_NONE;
	expect_load_error(f, "a ramdisk cannot be passed with --args-none");
	f->o.elf_args = ELF_ARGS_ELF;
	expect_load_error(f, "a ramdisk cannot be passed with --args-elf");
	/* The default for a non-Linux image is --args-elf. */
	f->o.elf_args = ELF_ARGS_DEFAULT;
	expect_load_error(f, "--args-elf");
}

static void test_load_cmdline_refused_with_none(void **state)
{
	struct fixture *f = *state;

	make_two(&f->im, false);
	f->o.command_line = "console=ttyS0";
	f->o.elf_args = ELF_ARGS_NONE;
	expect_load_error(f, "a command line cannot be passed with --args-none");
}

static void test_load_broken_image(void **state)
{
	struct fixture *f = *state;

	make_two(&f->im, false);
	ehdr(&f->im)->e_machine = EM_AARCH64;
	expect_load_error(f, "vmlinux-test: ELF for aarch64, not x86_64");
}

static void test_load_linux_default(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;
	const struct segment *bp;
	const uint8_t *d;
	uint32_t cmd_ptr;

	make_two(&f->im, true);
	f->o.command_line = "console=ttyS0 root=/dev/vda";
	assert_int_equal(load(f), 0);
	assert_int_equal(count_named(&f->p, "kernel"), 2);
	/* Linux owns the gap between its PT_LOADs: the zero fill covers it. */
	assert_int_equal(seg_at(&f->p, 0x200000)->memsz, 0x200000);
	assert_int_equal(seg_at(&f->p, 0x200000)->bufsz, 0x1800);
	assert_int_equal(seg_at(&f->p, 0x400000)->memsz, 0x1000);
	bp = seg_named(&f->p, "boot parameters", 0);
	pp = params_of(&f->p);
	assert_int_equal(pp->entry_mode, PURGATORY_ENTRY_64);
	assert_int_equal(pp->regs64.rip, 0x200010);
	assert_int_equal(pp->regs64.rsi, bp->mem);
	/* The zero page: "HdrS" at 0x202, the command line where it points. */
	d = bp->buf;
	assert_memory_equal(d + 0x202, "HdrS", 4);
	memcpy(&cmd_ptr, d + 0x228, 4);
	assert_true(cmd_ptr > bp->mem && cmd_ptr < bp->mem + bp->bufsz);
	assert_string_equal((const char *)d + (cmd_ptr - bp->mem), "console=ttyS0 root=/dev/vda");
	assert_int_equal(plan_validate(&f->p), 0);
}

static void test_load_linux_explicit_with_initrd(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/kx-initrd-XXXXXX";
	int fd = mkstemp(path);
	const struct segment *rd;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "initrd-data", 11), 11);
	close(fd);
	make_two(&f->im, false); /* no Linux note: forced */
	f->o.elf_args = ELF_ARGS_LINUX;
	f->o.initrd = path;
	assert_int_equal(load(f), 0);
	rd = seg_named(&f->p, "initrd", 0);
	assert_int_equal(rd->bufsz, 11);
	assert_true(rd->mem + rd->memsz <= 0x100000000ULL);
	seg_named(&f->p, "boot parameters", 0);
	unlink(path);
}

static uint16_t fold_sum(const uint8_t *b, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8;
	if (len & 1)
		sum += b[len - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Find the EBN record of type t in the notes; returns its desc or NULL. */
static const char *boot_note(const uint8_t *n, size_t len, uint32_t t)
{
	size_t off = 12;

	while (off + 12 <= len) {
		uint32_t h[3];

		memcpy(h, n + off, sizeof(h));
		if (h[0] == 0 && h[2] == t)
			return (const char *)n + off + 12;
		off += 12 + ((h[0] + 3) & ~3u) + ((h[1] + 3) & ~3u);
	}
	return NULL;
}

static void test_load_args_elf_notes(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;
	const struct segment *s;
	const uint8_t *n;
	uint32_t sig, size;
	uint16_t records;

	make_two(&f->im, false);
	f->o.command_line = "hello world";
	assert_int_equal(load(f), 0); /* default for a non-Linux image */
	s = seg_named(&f->p, "ELF boot notes", 0);
	n = s->buf;
	memcpy(&sig, n, 4);
	memcpy(&size, n + 4, 4);
	memcpy(&records, n + 10, 2);
	assert_int_equal(sig, 0x0E1FB007);
	assert_int_equal(size, s->bufsz);
	assert_int_equal(records, 4);
	assert_int_equal(fold_sum(n, size), 0xffff); /* checksum makes it all-ones */
	assert_string_equal(boot_note(n, size, 4), "hello world");
	assert_string_equal(boot_note(n, size, 5), "vmlinux-test");
	assert_string_equal(boot_note(n, size, 2), "kexec-tools-ng");
	pp = params_of(&f->p);
	assert_int_equal(pp->regs64.rax, 0x0E1FB007);
	assert_int_equal(pp->regs64.rdi, s->mem);
	assert_int_equal(pp->regs64.rbx, s->mem);
	assert_int_equal(pp->regs64.rip, 0x200010);
	assert_true(s->mem + s->memsz <= 0x100000000ULL);
}

static void test_load_entry_override(void **state)
{
	struct fixture *f = *state;

	make_two(&f->im, false);
	f->o.elf_args = ELF_ARGS_NONE;
	f->o.entry = 0x400020;
	f->o.entry_given = true;
	assert_int_equal(load(f), 0);
	assert_int_equal(params_of(&f->p)->regs64.rip, 0x400020);
}

static void test_usage_and_flags(void **state UNUSED)
{
	FILE *tmp = tmpfile();
	char text[2048];
	int saved;
	size_t n;

	assert_string_equal(file_type_elf_x86_64.name, "elf-x86_64");
	assert_false(file_type_elf_x86_64.file_load_ok);
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	file_type_elf_x86_64.usage();
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(text, 1, sizeof(text) - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	for (const char *const *w = (const char *const[]){ "--command-line", "--append",
		"--reuse-cmdline", "--initrd", "--ramdisk", "--args-linux", "--args-elf",
		"--args-none", NULL }; *w; w++)
		if (!strstr(text, *w))
			fail_msg("usage lacks %s", *w);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_good),
		cmocka_unit_test(test_probe_not_elf),
		cmocka_unit_test(test_probe_truncated_header),
		cmocka_unit_test(test_probe_truncated_phdrs),
		cmocka_unit_test(test_probe_wrong_class),
		cmocka_unit_test(test_probe_wrong_machine),
		cmocka_unit_test(test_probe_big_endian),
		cmocka_unit_test(test_probe_wrong_type),
		cmocka_unit_test(test_probe_load_past_end),
		cmocka_unit_test(test_probe_no_load),
		cmocka_unit_test(test_probe_overlap),
		cmocka_unit_test(test_probe_filesz_over_memsz),
		cmocka_unit_test(test_probe_entry_outside),
		T(test_load_args_none),
		T(test_load_unaligned_paddr),
		T(test_load_shared_page_merged),
		T(test_load_touching_merged_without_copy),
		T(test_load_touching_kept_apart),
		T(test_load_bss_only),
		T(test_load_mem_limits),
		T(test_load_outside_ram),
		T(test_load_huge_memsz_refused),
		T(test_load_above_max_addr_refused),
		T(test_load_sparse_group_copies_file_bytes_only),
		T(test_load_ramdisk_refused),
		T(test_load_cmdline_refused_with_none),
		T(test_load_broken_image),
		T(test_load_linux_default),
		T(test_load_linux_explicit_with_initrd),
		T(test_load_args_elf_notes),
		T(test_load_entry_override),
		cmocka_unit_test(test_usage_and_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
