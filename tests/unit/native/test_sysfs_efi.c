/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for reading the EFI handoff state (kexec/native/sysfs-efi.c) from a
 * fake root in a temporary directory: /sys/firmware/efi/{runtime-map,
 * systab,fw_vendor,config_table,runtime} and /sys/kernel/boot_params/data. */
#include <sys/stat.h>
#include <ftw.h>

#include "fixtures.h"
#include "sysfs-efi.h"
#include "sysfs-machine.h"

#define SYSTAB 0x7f9ee018ULL
#define FW_VENDOR 0x7f9ee098ULL
#define CONFIG_TABLE 0x7f9ed018ULL
#define RUNTIME 0x7f9eeb98ULL
#define SMBIOS 0x7f518000ULL
#define RSDP_BP 0x7f77e014ULL

struct fixture {
	char root[64];
};

static void write_bytes(const char *root, const char *rel, const void *data, size_t len)
{
	char path[512], dir[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* mkdir -p the parent. */
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = dir + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void write_file(const char *root, const char *rel, const char *text)
{
	write_bytes(root, rel, text, strlen(text));
}

static void write_hex(const char *root, const char *rel, uint64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "0x%llx\n", (unsigned long long)v);
	write_file(root, rel, text);
}

/* runtime-map/<n>/ the way Linux prints it (hex, with 0x). */
static void region(const char *root, unsigned n, uint32_t type, uint64_t phys,
		   uint64_t virt, uint64_t pages, uint64_t attr)
{
	static const char *const names[] = { "type", "phys_addr", "virt_addr",
					     "num_pages", "attribute" };
	uint64_t v[] = { type, phys, virt, pages, attr };
	char rel[128];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/%s", n, names[i]);
		write_hex(root, rel, v[i]);
	}
}

static void boot_params_file(const char *root, uint32_t desc_size, uint32_t desc_version)
{
	struct boot_params *bp = calloc(1, sizeof(*bp));

	assert_non_null(bp);
	bp->efi_info.efi_loader_signature = 0x34364c45; /* "EL64" */
	bp->efi_info.efi_systab = (uint32_t)SYSTAB;
	bp->efi_info.efi_systab_hi = 0;
	bp->efi_info.efi_memdesc_size = desc_size;
	bp->efi_info.efi_memdesc_version = desc_version;
	bp->acpi_rsdp_addr = RSDP_BP;
	write_bytes(root, "sys/kernel/boot_params/data", bp, sizeof(*bp));
	free(bp);
}

/* What an OVMF guest running Linux 6.1 exports (runtime-map entries
 * listed out of address order). */
static void efi_tree(const char *root)
{
	region(root, 0, 5, 0x7f9ec000, 0xfffffffeff9ec000ULL, 0x20, 0x800000000000000fULL);
	region(root, 1, 6, 0x7f8ec000, 0xfffffffeff8ec000ULL, 0x100, 0x800000000000000fULL);
	region(root, 2, 11, 0xffc00000, 0xfffffffeff600000ULL, 0x400, 0x8000000000000001ULL);
	write_file(root, "sys/firmware/efi/systab",
		   "ACPI20=0x7f77e014\nACPI=0x7f77e000\nSMBIOS=0x7f518000\n");
	write_hex(root, "sys/firmware/efi/fw_vendor", FW_VENDOR);
	write_hex(root, "sys/firmware/efi/config_table", CONFIG_TABLE);
	write_hex(root, "sys/firmware/efi/runtime", RUNTIME);
	boot_params_file(root, 48, 1);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->root, "/tmp/kexec-efi-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Read quietly; rc must be want_rc. */
static void read_quiet(const char *root, struct machine_efi *e, int want_rc)
{
	struct capture cap;
	int rc;

	capture_start(&cap);
	rc = sysfs_read_efi(root, e);
	assert_silent(capture_end(&cap));
	assert_int_equal(rc, want_rc);
}

static void expect_absent(const struct machine_efi *e)
{
	static const struct machine_efi zero;

	assert_false(e->present);
	assert_null(e->region);
	assert_memory_equal(e, &zero, sizeof(zero));
}

static void expect_region(const struct efi_region *r, uint32_t type, uint64_t phys,
			  uint64_t virt, uint64_t pages, uint64_t attr)
{
	if (r->type != type || r->phys != phys || r->virt != virt || r->pages != pages ||
	    r->attribute != attr)
		fail_msg("region type %u 0x%llx->0x%llx %llu pages attr 0x%llx, want type %u 0x%llx",
			 r->type, (unsigned long long)r->phys, (unsigned long long)r->virt,
			 (unsigned long long)r->pages, (unsigned long long)r->attribute,
			 type, (unsigned long long)phys);
}

static void test_not_efi(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;

	read_quiet(f->root, &e, 0);
	expect_absent(&e);
}

static void test_full(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;

	efi_tree(f->root);
	read_quiet(f->root, &e, 0);
	assert_true(e.present);
	assert_int_equal(e.systab, SYSTAB);
	assert_int_equal(e.memdesc_size, 48);
	assert_int_equal(e.memdesc_version, 1);
	assert_int_equal(e.fw_vendor, FW_VENDOR);
	assert_int_equal(e.config_table, CONFIG_TABLE);
	assert_int_equal(e.runtime, RUNTIME);
	assert_int_equal(e.smbios, SMBIOS);
	assert_int_equal(e.nregion, 3);
	/* Sorted by physical address. */
	expect_region(&e.region[0], 6, 0x7f8ec000, 0xfffffffeff8ec000ULL, 0x100,
		      0x800000000000000fULL);
	expect_region(&e.region[1], 5, 0x7f9ec000, 0xfffffffeff9ec000ULL, 0x20,
		      0x800000000000000fULL);
	expect_region(&e.region[2], 11, 0xffc00000, 0xfffffffeff600000ULL, 0x400,
		      0x8000000000000001ULL);
	free(e.region);
}

/* The system table above 4 GiB: efi_systab_hi is taken too. */
static void test_systab_high(void **state)
{
	struct fixture *f = *state;
	struct boot_params *bp = calloc(1, sizeof(*bp));
	struct machine_efi e;

	efi_tree(f->root);
	assert_non_null(bp);
	bp->efi_info.efi_systab = 0x1018;
	bp->efi_info.efi_systab_hi = 0x1;
	bp->efi_info.efi_memdesc_size = 40;
	bp->efi_info.efi_memdesc_version = 1;
	write_bytes(f->root, "sys/kernel/boot_params/data", bp, sizeof(*bp));
	free(bp);
	read_quiet(f->root, &e, 0);
	assert_true(e.present);
	assert_int_equal(e.systab, 0x100001018ULL);
	assert_int_equal(e.memdesc_size, 40);
	free(e.region);
}

/* Booted through EFI, but no runtime map (efi=noruntime, a kernel without
 * CONFIG_EFI_RUNTIME_MAP): no handoff, and not an error. */
static void test_no_runtime_map(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;

	efi_tree(f->root);
	for (unsigned n = 0; n < 3; n++) {
		static const char *const names[] = { "type", "phys_addr", "virt_addr",
						     "num_pages", "attribute" };
		char path[256];

		for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
			snprintf(path, sizeof(path), "%s/sys/firmware/efi/runtime-map/%u/%s",
				 f->root, n, names[i]);
			assert_int_equal(unlink(path), 0);
		}
		snprintf(path, sizeof(path), "%s/sys/firmware/efi/runtime-map/%u", f->root, n);
		assert_int_equal(rmdir(path), 0);
	}
	read_quiet(f->root, &e, 0);
	expect_absent(&e);
}

/* Only memory descriptor version 1 is understood by the next kernel. */
static void test_memdesc_version(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;

	efi_tree(f->root);
	boot_params_file(f->root, 48, 2);
	read_quiet(f->root, &e, 0);
	expect_absent(&e);
}

static void test_memdesc_too_small(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;

	efi_tree(f->root);
	boot_params_file(f->root, 32, 1);
	read_quiet(f->root, &e, 0);
	expect_absent(&e);
}

static void test_no_boot_params(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;
	char path[256];

	efi_tree(f->root);
	snprintf(path, sizeof(path), "%s/sys/kernel/boot_params/data", f->root);
	assert_int_equal(unlink(path), 0);
	read_quiet(f->root, &e, 0);
	expect_absent(&e);
	/* A short file is no better. */
	write_file(f->root, "sys/kernel/boot_params/data", "short");
	read_quiet(f->root, &e, 0);
	expect_absent(&e);
}

static void test_no_fw_vendor(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;
	char path[256];

	efi_tree(f->root);
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/fw_vendor", f->root);
	assert_int_equal(unlink(path), 0);
	read_quiet(f->root, &e, 0);
	expect_absent(&e);
}

/* runtime and SMBIOS are optional (newer kernels, no SMBIOS table). */
static void test_optional_fields(void **state)
{
	struct fixture *f = *state;
	struct machine_efi e;
	char path[256];

	efi_tree(f->root);
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/runtime", f->root);
	assert_int_equal(unlink(path), 0);
	write_file(f->root, "sys/firmware/efi/systab", "ACPI20=0x7f77e014\nSMBIOS3=0x7f517000\n");
	read_quiet(f->root, &e, 0);
	assert_true(e.present);
	assert_int_equal(e.runtime, 0);
	assert_int_equal(e.smbios, 0);
	free(e.region);
}

static void expect_error(const char *root, const char *want)
{
	struct machine_efi e;
	struct capture cap;
	int rc;

	capture_start(&cap);
	rc = sysfs_read_efi(root, &e);
	assert_one_error(capture_end(&cap), want);
	assert_int_equal(rc, -1);
	expect_absent(&e);
}

static void test_bad_region_value(void **state)
{
	struct fixture *f = *state;

	efi_tree(f->root);
	write_file(f->root, "sys/firmware/efi/runtime-map/1/virt_addr", "junk\n");
	expect_error(f->root, "runtime-map/1");
}

static void test_region_file_missing(void **state)
{
	struct fixture *f = *state;
	char path[256];

	efi_tree(f->root);
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/runtime-map/2/attribute", f->root);
	assert_int_equal(unlink(path), 0);
	expect_error(f->root, "runtime-map/2");
}

static void test_bad_config_table(void **state)
{
	struct fixture *f = *state;

	efi_tree(f->root);
	write_file(f->root, "sys/firmware/efi/config_table", "0xzz\n");
	expect_error(f->root, "config_table");
}

static void test_boot_params_rsdp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sysfs_boot_params_rsdp(f->root), 0);
	efi_tree(f->root);
	assert_int_equal(sysfs_boot_params_rsdp(f->root), RSDP_BP);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_not_efi),
		T(test_full),
		T(test_systab_high),
		T(test_no_runtime_map),
		T(test_memdesc_version),
		T(test_memdesc_too_small),
		T(test_no_boot_params),
		T(test_no_fw_vendor),
		T(test_optional_fields),
		T(test_bad_region_value),
		T(test_region_file_missing),
		T(test_bad_config_table),
		T(test_boot_params_rsdp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
