/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the zero page and purgatory parameter block a bzImage64
 * load produces (kexec/arch/x86_64/x86-linux.c, kexec/purgatory.c): the
 * boot_params fields, e820 (with the SETUP_E820_EXT spill), the setup_data
 * chain, and purgatory's registers, regions and digest. */
#include "file-types.h"
#include "fixtures.h"
#include "purgatory.h"
#include "region-digest.h"
#include "stage.h"

#define CMDLINE "console=ttyS0,115200 root=/dev/vda rw"

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
	f->m.acpi_rsdp = 0xf5a40;
	bz_make(&f->b, 0x20000);
	/* Distinctive header fields that must reach the zero page as is. */
	bz_hdr(&f->b)->vid_mode = 0xfffd;
	bz_hdr(&f->b)->root_flags = 1;
	bz_hdr(&f->b)->payload_offset = 0x3c5;
	bz_hdr(&f->b)->payload_length = 0x1d2e3f;
	f->o.command_line = CMDLINE;
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
	f->initrd_fd = temp_file(f->initrd, size, fill);
	f->o.initrd = f->initrd;
}

static void load(struct fixture *f)
{
	struct capture cap;
	int rc;

	plan_release(&f->p);
	plan_init(&f->p, &f->m, false);
	capture_start(&cap);
	rc = file_type_bzimage64.load(&f->o, &f->b.k, &f->p);
	capture_end(&cap);
	if (rc != 0)
		fail_msg("load failed: %s", cap.text);
	assert_silent(cap.text);
	assert_int_equal(plan_validate(&f->p), 0);
}

static const struct segment *must_find(const struct plan *p, const char *what)
{
	const struct segment *s = plan_find(p, what);

	if (!s)
		fail_msg("no %s segment", what);
	return s;
}

static const struct boot_params *zero_page(const struct fixture *f, const struct segment **seg)
{
	const struct segment *s = must_find(&f->p, "boot parameters");

	assert_non_null(s->buf);
	assert_true(s->bufsz >= sizeof(struct boot_params));
	if (seg)
		*seg = s;
	return s->buf;
}

/* Address addr..addr+len inside segment s: a pointer into its data. */
static const void *in_segment(const struct segment *s, uint64_t addr, size_t len)
{
	if (addr < s->mem || addr - s->mem > s->bufsz || len > s->bufsz - (addr - s->mem))
		fail_msg("0x%llx+%zu is outside the %s data at 0x%llx+0x%zx",
			 (unsigned long long)addr, len, s->what,
			 (unsigned long long)s->mem, s->bufsz);
	return (const uint8_t *)s->buf + (addr - s->mem);
}

/* ---------------------------------------------------------------- zero page */

static void test_setup_header(void **state)
{
	struct fixture *f = *state;
	const struct boot_params *bp;
	struct setup_header want;
	const size_t hdr_len = BZ_HDR_END - 0x1f1;

	load(f);
	bp = zero_page(f, NULL);
	/* The file's header with the loader's own fields filled in. */
	memcpy(&want, bz_hdr(&f->b), sizeof(want));
	want.type_of_loader = 0xD0;
	want.cmd_line_ptr = bp->hdr.cmd_line_ptr;
	want.ramdisk_image = bp->hdr.ramdisk_image;
	want.ramdisk_size = bp->hdr.ramdisk_size;
	want.setup_data = bp->hdr.setup_data;
	want.hardware_subarch = 0;
	for (size_t i = 0; i < hdr_len; i++)
		if (((const uint8_t *)&bp->hdr)[i] != ((const uint8_t *)&want)[i])
			fail_msg("setup header byte 0x%zx differs from the file's", 0x1f1 + i);
	assert_int_equal(bp->hdr.type_of_loader, 0xD0);
	assert_int_equal(bp->hdr.hardware_subarch, X86_SUBARCH_PC);
	assert_int_equal(bp->hdr.vid_mode, 0xfffd);
	assert_int_equal(bp->hdr.payload_length, 0x1d2e3f);
	assert_int_equal(bp->hdr.kernel_alignment, 0x200000);
	assert_int_equal(bp->acpi_rsdp_addr, 0xf5a40);
	assert_int_equal(bp->e820_entries, f->m.ram.n);
}

/* The header copy stops where the file's header ends (jump at 0x200). */
static void test_setup_header_length(void **state)
{
	struct fixture *f = *state;
	const struct boot_params *bp;

	/* Protocol 2.10-sized header: ends before init_size (0x260). */
	f->b.buf[0x201] = 0x260 - 0x202;
	bz_hdr(&f->b)->init_size = 0x800000;
	load(f);
	bp = zero_page(f, NULL);
	assert_int_equal(bp->hdr.kernel_alignment, 0x200000); /* 0x230: inside */
	assert_int_equal(bp->hdr.init_size, 0);               /* 0x260: past the end */
}

static void test_cmdline(void **state)
{
	struct fixture *f = *state;
	const struct segment *s;
	const struct boot_params *bp;
	uint64_t addr;
	const char *cl;

	load(f);
	bp = zero_page(f, &s);
	addr = bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32;
	cl = in_segment(s, addr, sizeof(CMDLINE));
	assert_string_equal(cl, CMDLINE);
	assert_true(addr >= s->mem + sizeof(struct boot_params));
	assert_true(addr < 4 * GiB);
}

static void test_no_initrd(void **state)
{
	struct fixture *f = *state;
	const struct boot_params *bp;

	load(f);
	bp = zero_page(f, NULL);
	assert_int_equal(bp->hdr.ramdisk_image, 0);
	assert_int_equal(bp->hdr.ramdisk_size, 0);
	assert_int_equal(bp->ext_ramdisk_image, 0);
	assert_int_equal(bp->ext_ramdisk_size, 0);
}

static void test_initrd_fields(void **state)
{
	struct fixture *f = *state;
	const struct boot_params *bp;
	const struct segment *rd;

	make_initrd(f, 0x234567, false);
	load(f);
	bp = zero_page(f, NULL);
	rd = must_find(&f->p, "initrd");
	assert_int_equal(bp->hdr.ramdisk_image, rd->mem);
	assert_int_equal(bp->hdr.ramdisk_size, 0x234567);
	assert_int_equal(bp->ext_ramdisk_image, 0);
	assert_int_equal(bp->ext_ramdisk_size, 0);
}

/* Below 4 GiB only 1-32 MiB: the kernel takes 16-24 MiB, so a 16 MiB
 * initrd must go above 4 GiB. */
static void test_initrd_above_4g(void **state)
{
	struct fixture *f = *state;
	static const struct range_spec high[] = {
		{ 0, 0x9fc00, MEM_RAM },
		{ 0x100000, 0x2000000, MEM_RAM },
		{ 0x100000000ULL, 0x100000000ULL + 0x3000000, MEM_RESERVED },
		{ 0x100000000ULL + 0x3000000, 0x180000000ULL, MEM_RAM },
	};
	const struct boot_params *bp;
	const struct segment *rd;
	uint64_t want = 0x100000000ULL + 0x3000000;

	machine_free(&f->m);
	machine_build(&f->m, high, ARRAY_SIZE(high));
	make_initrd(f, 16 * MiB + 0x800, false);
	load(f);
	bp = zero_page(f, NULL);
	rd = must_find(&f->p, "initrd");
	assert_int_equal(rd->mem, want);
	assert_int_equal(bp->hdr.ramdisk_image, (uint32_t)want);
	assert_int_equal(bp->ext_ramdisk_image, 1);
	assert_int_equal(bp->hdr.ramdisk_size, 16 * MiB + 0x800);
	assert_int_equal(bp->ext_ramdisk_size, 0);
	/* The zero page itself stays below 4 GiB. */
	assert_true(must_find(&f->p, "boot parameters")->mem < 4 * GiB);
}

static void expect_e820(const struct boot_e820_entry *e, const struct mem_range *r, size_t i)
{
	if (e->addr != r->start || e->size != r->end - r->start || e->type != r->type)
		fail_msg("e820 entry %zu is 0x%llx+0x%llx type %u, want 0x%llx-0x%llx type %u", i,
			 (unsigned long long)e->addr, (unsigned long long)e->size, e->type,
			 (unsigned long long)r->start, (unsigned long long)r->end, r->type);
}

static void test_e820(void **state)
{
	struct fixture *f = *state;
	const struct boot_params *bp;

	load(f);
	bp = zero_page(f, NULL);
	assert_int_equal(bp->e820_entries, f->m.ram.n);
	for (size_t i = 0; i < f->m.ram.n; i++)
		expect_e820(&bp->e820_table[i], &f->m.ram.r[i], i);
	assert_int_equal(bp->hdr.hardware_subarch_data, 0);
}

/* Walk hdr.setup_data; every node must lie inside the zero page segment.
 * Returns the node of the given type or NULL; *count gets the nodes. */
static const struct setup_data *find_setup_data(const struct segment *s,
						const struct boot_params *bp,
						uint32_t type, unsigned *count)
{
	const struct setup_data *found = NULL;
	uint64_t at = bp->hdr.setup_data;

	*count = 0;
	while (at) {
		const struct setup_data *sd = in_segment(s, at, sizeof(*sd));

		in_segment(s, at + sizeof(*sd), sd->len);
		if (++*count > 16)
			fail_msg("setup_data chain loops");
		if (sd->type == type)
			found = sd;
		at = sd->next;
	}
	return found;
}

/* 200 small ranges below 640K plus the usual ones: more than 128. */
static void test_e820_ext(void **state)
{
	struct fixture *f = *state;
	const struct segment *s;
	const struct boot_params *bp;
	const struct setup_data *sd;
	const struct boot_e820_entry *e;
	unsigned count;

	machine_free(&f->m);
	machine_pc(&f->m);
	memmap_free(&f->m.ram);
	for (unsigned i = 0; i < 200; i++)
		assert_int_equal(memmap_add(&f->m.ram, i * 0x800ULL, (i + 1) * 0x800ULL,
					    i % 2 ? MEM_RESERVED : MEM_RAM), 0);
	for (size_t i = 3; i < ARRAY_SIZE(pc_map); i++)
		assert_int_equal(memmap_add(&f->m.ram, pc_map[i].start, pc_map[i].end,
					    pc_map[i].type), 0);
	memmap_normalize(&f->m.ram);
	assert_int_equal(f->m.ram.n, 204);
	load(f);
	bp = zero_page(f, &s);
	assert_int_equal(bp->e820_entries, 128);
	for (size_t i = 0; i < 128; i++)
		expect_e820(&bp->e820_table[i], &f->m.ram.r[i], i);
	sd = find_setup_data(s, bp, SETUP_E820_EXT, &count);
	if (!sd)
		fail_msg("no SETUP_E820_EXT node in the setup_data chain");
	assert_int_equal(sd->len, (204 - 128) * sizeof(struct boot_e820_entry));
	e = (const struct boot_e820_entry *)sd->data;
	for (size_t i = 0; i < 204 - 128; i++)
		expect_e820(&e[i], &f->m.ram.r[128 + i], 128 + i);
}

/* At most 128 entries: no SETUP_E820_EXT node. */
static void test_e820_exactly_128(void **state)
{
	struct fixture *f = *state;
	const struct segment *s;
	const struct boot_params *bp;
	unsigned count;

	memmap_free(&f->m.ram);
	for (unsigned i = 0; i < 127; i++)
		assert_int_equal(memmap_add(&f->m.ram, i * 0x800ULL, (i + 1) * 0x800ULL,
					    i % 2 ? MEM_RESERVED : MEM_RAM), 0);
	assert_int_equal(memmap_add(&f->m.ram, 0x100000, 0x80000000, MEM_RAM), 0);
	memmap_normalize(&f->m.ram);
	assert_int_equal(f->m.ram.n, 128);
	load(f);
	bp = zero_page(f, &s);
	assert_int_equal(bp->e820_entries, 128);
	assert_null(find_setup_data(s, bp, SETUP_E820_EXT, &count));
}

static void test_acpi_rsdp_zero(void **state)
{
	struct fixture *f = *state;

	f->m.acpi_rsdp = 0;
	load(f);
	assert_int_equal(zero_page(f, NULL)->acpi_rsdp_addr, 0);
}

/* ---------------------------------------------------------------- purgatory */

static const struct purgatory_params *params(const struct fixture *f, const struct segment **seg)
{
	const struct segment *s = must_find(&f->p, "purgatory");
	const struct purgatory_params *pp;

	assert_non_null(s->buf);
	assert_true(s->bufsz >= PURGATORY_PARAMS_OFFSET + sizeof(*pp));
	pp = (const void *)((const uint8_t *)s->buf + PURGATORY_PARAMS_OFFSET);
	assert_true(pp->magic == PURGATORY_MAGIC);
	assert_int_equal(pp->version, PURGATORY_VERSION);
	assert_int_equal(pp->size, sizeof(*pp));
	if (seg)
		*seg = s;
	return pp;
}

static void test_purgatory_registers(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;
	const struct segment *pg;

	load(f);
	pp = params(f, &pg);
	assert_int_equal(f->p.entry, pg->mem);
	assert_true(pg->no_digest);
	assert_int_equal(pp->entry_mode, PURGATORY_ENTRY_64);
	assert_int_equal(pp->regs64.rsi, must_find(&f->p, "boot parameters")->mem);
	assert_int_equal(pp->regs64.rip, must_find(&f->p, "kernel")->mem + 0x200);
	assert_true(pp->regs64.rsp > pg->mem && pp->regs64.rsp <= pg->mem + pg->memsz);
	assert_int_equal(pp->regs64.rsp % 16, 0);
	assert_int_equal(pp->panic_kernel, 0);
	assert_true(pg->mem + pg->memsz <= 4 * GiB);
}

/* What a backend does: every segment staged (into scratch memory here),
 * then the seal. Returns the staged copy of purgatory (caller frees the
 * array and its buffers with unstage). */
static uint8_t **stage_all(struct plan *p, unsigned *purg)
{
	uint8_t **dst = calloc(p->nseg, sizeof(*dst));
	struct stage st;

	assert_non_null(dst);
	assert_int_equal(stage_begin(&st, p), 0);
	/* Backwards: the regions follow the staging order, not the plan's. */
	for (unsigned i = p->nseg; i-- > 0;) {
		dst[i] = malloc(p->seg[i].bufsz + 1);
		assert_non_null(dst[i]);
		assert_int_equal(segment_stage(&st, i, dst[i], p->seg[i].bufsz), 0);
		if (!strcmp(p->seg[i].what, "purgatory"))
			*purg = i;
	}
	assert_int_equal(stage_seal(&st), 0);
	stage_end(&st);
	return dst;
}

static void unstage(const struct plan *p, uint8_t **dst)
{
	for (unsigned i = 0; i < p->nseg; i++)
		free(dst[i]);
	free(dst);
}

static void test_purgatory_digest(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;
	const uint8_t *data[PURGATORY_MAX_REGIONS];
	size_t len[PURGATORY_MAX_REGIONS];
	struct purgatory_region r[PURGATORY_MAX_REGIONS];
	uint8_t want[DIGEST_SIZE], got[DIGEST_SIZE], **staged;
	unsigned n = 0, purg = 0;

	make_initrd(f, 0x180123, true);
	load(f);
	pp = params(f, NULL);
	assert_int_equal(pp->skip_checks, 0);
	staged = stage_all(&f->p, &purg);
	for (unsigned i = f->p.nseg; i-- > 0;) {
		const struct segment *s = &f->p.seg[i];

		if (i == purg)
			continue;
		if (n >= pp->nregions)
			fail_msg("the %s segment is not among the %u regions", s->what, pp->nregions);
		assert_int_equal(pp->regions[n].start, s->mem);
		assert_int_equal(pp->regions[n].len, s->bufsz);
		data[n] = staged[i];
		len[n] = s->bufsz;
		r[n] = (struct purgatory_region){ (uintptr_t)staged[i], s->bufsz };
		n++;
	}
	assert_int_equal(pp->nregions, n);
	assert_int_equal(n, 3); /* kernel, initrd, boot parameters */
	image_digest_want(data, len, n, want);
	assert_memory_equal(pp->digest, want, sizeof(want));
	/* Purgatory's code, over the staged bytes, computes the same. */
	region_digest(r, n, false, got);
	assert_memory_equal(got, want, sizeof(want));
	/* The staged copy of purgatory carries the sealed block. */
	assert_memory_equal(staged[purg] + PURGATORY_PARAMS_OFFSET, pp, sizeof(*pp));
	unstage(&f->p, staged);
}

/* The digest changes with the data (it is not a constant). */
static void test_purgatory_digest_depends_on_data(void **state)
{
	struct fixture *f = *state;
	uint8_t first[DIGEST_SIZE];
	unsigned purg;

	load(f);
	unstage(&f->p, stage_all(&f->p, &purg));
	memcpy(first, params(f, NULL)->digest, sizeof(first));
	f->b.buf[BZ_PAYLOAD_OFF + 0x1234] ^= 1;
	load(f);
	unstage(&f->p, stage_all(&f->p, &purg));
	if (!memcmp(first, params(f, NULL)->digest, sizeof(first)))
		fail_msg("digest unchanged after a kernel byte changed");
}

static void test_purgatory_no_checks(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;
	static const uint8_t zero[DIGEST_SIZE];

	f->o.no_checks = true;
	load(f);
	pp = params(f, NULL);
	assert_int_equal(pp->skip_checks, 1);
	assert_null(f->p.seal);	/* nothing for the staging pass to fill */
	assert_int_equal(pp->nregions, 0);
	assert_memory_equal(pp->digest, zero, sizeof(zero));
}

/* A 64-bit Linux entry asks for the low 1 MiB to be mapped: older
 * decompressors read the BIOS data area and run a trampoline there before
 * they have page tables of their own (Xen maps only what it is told). */
static void test_low_memory_touched(void **state)
{
	struct fixture *f = *state;

	load(f);
	assert_int_equal(f->p.ntouch, 1);
	assert_int_equal(f->p.touch[0].start, 0);
	assert_int_equal(f->p.touch[0].end, 0x100000);
	for (unsigned i = 0; i < f->p.nseg; i++)
		assert_true(f->p.seg[i].mem >= 0x100000);
}

static void test_purgatory_console(void **state)
{
	struct fixture *f = *state;
	const struct purgatory_params *pp;

	f->o.console_vga = true;
	f->o.console_serial = true;
	f->o.serial_base = 0x2f8;
	f->o.serial_baud = 115200;
	load(f);
	pp = params(f, NULL);
	assert_int_equal(pp->console_vga, 1);
	assert_int_equal(pp->console_serial, 1);
	assert_int_equal(pp->serial_base, 0x2f8);
	assert_int_equal(pp->serial_baud, 115200);
	/* The VGA window lies inside the low 1 MiB every 64-bit Linux entry
	 * maps: one range. */
	assert_int_equal(f->p.ntouch, 1);
	assert_int_equal(f->p.touch[0].start, 0);
	assert_int_equal(f->p.touch[0].end, 0x100000);
	/* Default serial port. */
	f->o.serial_base = 0;
	load(f);
	assert_int_equal(params(f, NULL)->serial_base, 0x3f8);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_setup_header),
		T(test_setup_header_length),
		T(test_cmdline),
		T(test_no_initrd),
		T(test_initrd_fields),
		T(test_initrd_above_4g),
		T(test_e820),
		T(test_e820_ext),
		T(test_e820_exactly_128),
		T(test_acpi_rsdp_zero),
		T(test_purgatory_registers),
		T(test_purgatory_digest),
		T(test_purgatory_digest_depends_on_data),
		T(test_purgatory_no_checks),
		T(test_low_memory_touched),
		T(test_purgatory_console),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
