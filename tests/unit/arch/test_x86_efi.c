/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the EFI handoff in the zero page of a bzImage64 load
 * (kexec/arch/x86_64/x86-efi.c via x86-linux.c): efi_info, the runtime
 * memory map and the SETUP_EFI node; none of it with --noefi, without
 * XLF_EFI_KEXEC or on a machine not booted through EFI. */
#include "file-types.h"
#include "fixtures.h"
#include "x86-efi.h"

#define SYSTAB 0x17f9ee018ULL /* above 4 GiB: the _hi halves count */
#define RSDP 0x7f77e014ULL
#define DESC_SIZE 48

struct fixture {
	struct machine m;
	struct plan p;
	struct options o;
	struct bzimage b;
};

/* What sysfs_read_efi gives on an OVMF guest. */
static const struct efi_region regions[] = {
	{ 6, 0x7f8ec000, 0xfffffffeff8ec000ULL, 0x100, 0x800000000000000fULL },
	{ 5, 0x7f9ec000, 0xfffffffeff9ec000ULL, 0x20, 0x800000000000000fULL },
	{ 11, 0xffc00000, 0xfffffffeff600000ULL, 0x400, 0x8000000000000001ULL },
};

static void machine_efi(struct machine_efi *e)
{
	e->present = true;
	e->systab = SYSTAB;
	e->memdesc_size = DESC_SIZE;
	e->memdesc_version = 1;
	e->fw_vendor = 0x7f9ee098;
	e->runtime = 0x7f9eeb98;
	e->config_table = 0x7f9ed018;
	e->smbios = 0x7f518000;
	e->nregion = ARRAY_SIZE(regions);
	e->region = malloc(sizeof(regions));
	assert_non_null(e->region);
	memcpy(e->region, regions, sizeof(regions));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	machine_pc(&f->m);
	f->m.acpi_rsdp = RSDP;
	machine_efi(&f->m.efi);
	bz_make(&f->b, 0x20000);
	bz_hdr(&f->b)->xloadflags |= XLF_EFI_KEXEC;
	f->o.command_line = "console=ttyS0";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	plan_release(&f->p);
	free(f->m.efi.region);
	f->m.efi.region = NULL;
	machine_free(&f->m);
	bz_free(&f->b);
	free(f);
	return 0;
}

static const struct segment *load(struct fixture *f)
{
	const struct segment *s;
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
	s = plan_find(&f->p, "boot parameters");
	assert_non_null(s);
	assert_non_null(s->buf);
	assert_true(s->bufsz >= sizeof(struct boot_params));
	return s;
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

/* The setup_data node of the given type (NULL if none); the whole chain
 * must lie inside the segment. */
static const struct setup_data *find_node(const struct segment *s, uint32_t type)
{
	const struct boot_params *bp = s->buf;
	const struct setup_data *found = NULL;
	uint64_t at = bp->hdr.setup_data;
	unsigned n = 0;

	while (at) {
		const struct setup_data *sd = in_segment(s, at, sizeof(*sd));

		in_segment(s, at + sizeof(*sd), sd->len);
		if (++n > 16)
			fail_msg("setup_data chain loops");
		if (sd->type == type) {
			if (found)
				fail_msg("two setup_data nodes of type %u", type);
			found = sd;
		}
		at = sd->next;
	}
	return found;
}

static void expect_no_efi(const struct segment *s)
{
	const struct boot_params *bp = s->buf;
	static const struct efi_info zero;

	assert_memory_equal((const uint8_t *)bp + offsetof(struct boot_params, efi_info),
			    &zero, sizeof(zero));
	assert_null(find_node(s, SETUP_EFI));
	/* The next kernel still finds ACPI without EFI. */
	assert_int_equal(bp->acpi_rsdp_addr, RSDP);
}

static void test_efi_info(void **state)
{
	struct fixture *f = *state;
	const struct segment *s = load(f);
	const struct boot_params *bp = s->buf;
	struct efi_info e, *ei = &e;
	uint64_t map;

	memcpy(&e, (const uint8_t *)bp + offsetof(struct boot_params, efi_info), sizeof(e));

	assert_memory_equal(&ei->efi_loader_signature, "EL64", 4);
	assert_int_equal(ei->efi_systab | (uint64_t)ei->efi_systab_hi << 32, SYSTAB);
	assert_int_equal(ei->efi_memdesc_size, DESC_SIZE);
	assert_int_equal(ei->efi_memdesc_version, 1);
	assert_int_equal(ei->efi_memmap_size, ARRAY_SIZE(regions) * DESC_SIZE);
	map = ei->efi_memmap | (uint64_t)ei->efi_memmap_hi << 32;
	/* Inside the boot-parameters segment, after the zero page. */
	in_segment(s, map, ei->efi_memmap_size);
	assert_true(map >= s->mem + sizeof(struct boot_params));
	assert_int_equal(bp->acpi_rsdp_addr, RSDP);
}

/* Version 1 descriptors at the running kernel's stride, padding zero. */
static void test_runtime_map(void **state)
{
	struct fixture *f = *state;
	const struct segment *s = load(f);
	struct efi_info e, *ei = &e;
	const uint8_t *map;

	memcpy(&e, (const uint8_t *)s->buf + offsetof(struct boot_params, efi_info), sizeof(e));
	map = in_segment(s, ei->efi_memmap | (uint64_t)ei->efi_memmap_hi << 32,
			 ei->efi_memmap_size);

	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		const uint8_t *d = map + i * DESC_SIZE;
		uint32_t type, pad;
		uint64_t v[4];

		memcpy(&type, d, 4);
		memcpy(&pad, d + 4, 4);
		memcpy(v, d + 8, sizeof(v));
		assert_int_equal(type, regions[i].type);
		assert_int_equal(pad, 0);
		assert_int_equal(v[0], regions[i].phys);
		assert_int_equal(v[1], regions[i].virt);
		assert_int_equal(v[2], regions[i].pages);
		assert_int_equal(v[3], regions[i].attribute);
		for (size_t j = 40; j < DESC_SIZE; j++)
			assert_int_equal(d[j], 0);
	}
}

static void test_setup_efi_node(void **state)
{
	struct fixture *f = *state;
	const struct segment *s = load(f);
	const struct setup_data *sd = find_node(s, SETUP_EFI);
	struct x86_efi_setup_data esd;
	static const uint64_t zero[8];

	if (!sd)
		fail_msg("no SETUP_EFI node in the setup_data chain");
	assert_int_equal(sd->len, sizeof(esd));
	assert_int_equal(sizeof(esd), 96); /* the kernel's struct efi_setup_data */
	memcpy(&esd, sd->data, sizeof(esd));
	assert_int_equal(esd.fw_vendor, 0x7f9ee098);
	assert_int_equal(esd.runtime, 0x7f9eeb98);
	assert_int_equal(esd.tables, 0x7f9ed018);
	assert_int_equal(esd.smbios, 0x7f518000);
	assert_memory_equal(esd.reserved, zero, sizeof(zero));
}

/* The map and the node fit beside a spilled e820 (the chain stays sane). */
static void test_with_e820_ext(void **state)
{
	struct fixture *f = *state;
	const struct segment *s;

	memmap_free(&f->m.ram);
	for (unsigned i = 0; i < 200; i++)
		assert_int_equal(memmap_add(&f->m.ram, i * 0x800ULL, (i + 1) * 0x800ULL,
					    i % 2 ? MEM_RESERVED : MEM_RAM), 0);
	assert_int_equal(memmap_add(&f->m.ram, 0x100000, 0x7ff00000, MEM_RAM), 0);
	memmap_normalize(&f->m.ram);
	s = load(f);
	assert_non_null(find_node(s, SETUP_E820_EXT));
	assert_non_null(find_node(s, SETUP_EFI));
}

static void test_noefi(void **state)
{
	struct fixture *f = *state;

	f->o.noefi = true;
	expect_no_efi(load(f));
}

/* A kernel that cannot take an EFI handoff from kexec. */
static void test_no_xlf_efi_kexec(void **state)
{
	struct fixture *f = *state;

	bz_hdr(&f->b)->xloadflags &= (uint16_t)~XLF_EFI_KEXEC;
	expect_no_efi(load(f));
}

static void test_not_efi_machine(void **state)
{
	struct fixture *f = *state;

	f->m.efi.present = false;
	expect_no_efi(load(f));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_efi_info),
		T(test_runtime_map),
		T(test_setup_efi_node),
		T(test_with_e820_ext),
		T(test_noefi),
		T(test_no_xlf_efi_kexec),
		T(test_not_efi_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
