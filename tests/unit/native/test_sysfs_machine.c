/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for reading the machine from sysfs/procfs
 * (kexec/native/sysfs-machine.c), against a fake root in a temporary directory:
 * /sys/firmware/memmap, the /proc/iomem fallback, crash regions, RSDP. */
#include <sys/stat.h>
#include <ftw.h>

#include "fixtures.h"
#include "sysfs-machine.h"

struct fixture {
	char root[64];
};

static void write_file(const char *root, const char *rel, const char *text)
{
	char path[512], dir[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* mkdir -p the parent. */
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = dir + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void memmap_entry(const char *root, unsigned n, uint64_t start, uint64_t end_incl,
			 const char *type)
{
	char rel[128], text[64];

	snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/start", n);
	snprintf(text, sizeof(text), "0x%llx\n", (unsigned long long)start);
	write_file(root, rel, text);
	snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/end", n);
	snprintf(text, sizeof(text), "0x%llx\n", (unsigned long long)end_incl);
	write_file(root, rel, text);
	snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/type", n);
	snprintf(text, sizeof(text), "%s\n", type);
	write_file(root, rel, text);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->root, "/tmp/kexec-sysfs-XXXXXX");
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

static void expect_range(const struct mem_map *m, size_t i, uint64_t s, uint64_t e, uint32_t t)
{
	if (i >= m->n)
		fail_msg("range %zu missing (%zu ranges)", i, m->n);
	if (m->r[i].start != s || m->r[i].end != e || m->r[i].type != t)
		fail_msg("range %zu is 0x%llx-0x%llx type %u, want 0x%llx-0x%llx type %u", i,
			 (unsigned long long)m->r[i].start, (unsigned long long)m->r[i].end,
			 m->r[i].type, (unsigned long long)s, (unsigned long long)e, t);
}

/* An iomem with top-level ranges, nested entries (a "Crash kernel" inside
 * System RAM, kernel code) and non-memory resources. */
static const char iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-7ffdffff : System RAM\n"
	"  01000000-01e00fff : Kernel code\n"
	"  01e01000-0245ffff : Kernel rodata\n"
	"  2b000000-32ffffff : Crash kernel\n"
	"7ffe0000-7fffffff : Reserved\n"
	"b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]\n"
	"  b0000000-bfffffff : Reserved\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-17fffffff : System RAM\n"
	"    140000000-147ffffff : Crash kernel\n";

static void test_sys_memmap(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;

	/* Out of order on purpose (directory order is arbitrary). */
	memmap_entry(f->root, 3, 0x100000000ULL, 0x17fffffffULL, "System RAM");
	memmap_entry(f->root, 0, 0, 0x9fbff, "System RAM");
	memmap_entry(f->root, 1, 0x9fc00, 0x9ffff, "Reserved");
	memmap_entry(f->root, 2, 0x100000, 0x7ffdffff, "System RAM");
	memmap_entry(f->root, 4, 0x7ffe0000, 0x7fffffff, "ACPI Tables");
	memmap_entry(f->root, 5, 0xfed00000, 0xfed003ff, "ACPI Non-volatile Storage");
	memmap_entry(f->root, 6, 0x180000000ULL, 0x1bfffffffULL, "Persistent Memory (legacy)");
	memmap_entry(f->root, 7, 0xfffc0000, 0xffffffff, "Something new");
	/* The iomem fallback must not be used when memmap exists. */
	write_file(f->root, "proc/iomem", "00000000-00000fff : System RAM\n");
	assert_int_equal(sysfs_read_memmap(f->root, &m), 0);
	assert_int_equal(m.n, 8);
	expect_range(&m, 0, 0, 0x9fc00, MEM_RAM);
	expect_range(&m, 1, 0x9fc00, 0xa0000, MEM_RESERVED);
	expect_range(&m, 2, 0x100000, 0x7ffe0000, MEM_RAM);
	expect_range(&m, 3, 0x7ffe0000, 0x80000000, MEM_ACPI);
	expect_range(&m, 4, 0xfed00000, 0xfed00400, MEM_NVS);
	expect_range(&m, 5, 0xfffc0000, 0x100000000ULL, MEM_RESERVED); /* unknown type */
	expect_range(&m, 6, 0x100000000ULL, 0x180000000ULL, MEM_RAM);
	expect_range(&m, 7, 0x180000000ULL, 0x1c0000000ULL, MEM_PMEM);
	memmap_free(&m);
}

/* Adjacent entries of one type come back merged. */
static void test_sys_memmap_merged(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;

	memmap_entry(f->root, 0, 0x100000, 0x1fffff, "System RAM");
	memmap_entry(f->root, 1, 0x200000, 0x2fffff, "System RAM");
	assert_int_equal(sysfs_read_memmap(f->root, &m), 0);
	assert_int_equal(m.n, 1);
	expect_range(&m, 0, 0x100000, 0x300000, MEM_RAM);
	memmap_free(&m);
}

static void test_sys_memmap_broken_entry(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;
	struct capture cap;
	int rc;

	memmap_entry(f->root, 0, 0x100000, 0x1fffff, "System RAM");
	write_file(f->root, "sys/firmware/memmap/1/start", "0x200000\n");
	write_file(f->root, "sys/firmware/memmap/1/end", "banana\n");
	write_file(f->root, "sys/firmware/memmap/1/type", "System RAM\n");
	write_file(f->root, "proc/iomem", iomem);
	capture_start(&cap);
	rc = sysfs_read_memmap(f->root, &m);
	capture_end(&cap);
	/* Either one error, or the iomem fallback without an error line
	 * (a load that works prints nothing): never half a map. */
	if (rc == 0) {
		assert_int_equal(m.n, 8);
		memmap_free(&m);
		assert_silent(cap.text);
	} else {
		assert_one_error(cap.text, NULL);
	}
}

static void test_iomem_fallback(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;

	write_file(f->root, "proc/iomem", iomem);
	assert_int_equal(sysfs_read_memmap(f->root, &m), 0);
	/* Top level only: nested Reserved/System ROM/Crash kernel ignored,
	 * PCI resources skipped, adjacent Reserved ranges merged. */
	expect_range(&m, 0, 0, 0x1000, MEM_RESERVED);
	expect_range(&m, 1, 0x1000, 0x9fc00, MEM_RAM);
	expect_range(&m, 2, 0x9fc00, 0xa0000, MEM_RESERVED);
	expect_range(&m, 3, 0xf0000, 0x100000, MEM_RESERVED);
	expect_range(&m, 4, 0x100000, 0x7ffe0000, MEM_RAM);
	expect_range(&m, 5, 0x7ffe0000, 0x80000000, MEM_RESERVED);
	expect_range(&m, 6, 0xfffc0000, 0x100000000ULL, MEM_RESERVED);
	expect_range(&m, 7, 0x100000000ULL, 0x180000000ULL, MEM_RAM);
	assert_int_equal(m.n, 8);
	memmap_free(&m);
}

/* An empty memmap directory counts as missing. */
static void test_iomem_fallback_empty_memmap(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/sys", f->root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/sys/firmware", f->root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/sys/firmware/memmap", f->root);
	mkdir(dir, 0755);
	write_file(f->root, "proc/iomem", iomem);
	assert_int_equal(sysfs_read_memmap(f->root, &m), 0);
	assert_int_equal(m.n, 8);
	memmap_free(&m);
}

static void test_no_memmap_at_all(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;
	struct capture cap;

	capture_start(&cap);
	assert_int_equal(sysfs_read_memmap(f->root, &m), -1);
	assert_one_error(capture_end(&cap), "cannot read the memory map");
	/* An iomem with no memory in it. */
	write_file(f->root, "proc/iomem", "000a0000-000bffff : PCI Bus 0000:00\n");
	capture_start(&cap);
	assert_int_equal(sysfs_read_memmap(f->root, &m), -1);
	assert_one_error(capture_end(&cap), f->root);
}

static void test_crash_regions(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;

	write_file(f->root, "proc/iomem", iomem);
	assert_int_equal(sysfs_read_crash_regions(f->root, &m), 0);
	assert_int_equal(m.n, 2);
	expect_range(&m, 0, 0x2b000000, 0x33000000, MEM_RAM);
	expect_range(&m, 1, 0x140000000ULL, 0x148000000ULL, MEM_RAM);
	memmap_free(&m);
}

static void test_crash_regions_none(void **state)
{
	struct fixture *f = *state;
	struct mem_map m;

	/* No /proc/iomem: no region, no error. */
	assert_int_equal(sysfs_read_crash_regions(f->root, &m), 0);
	assert_int_equal(m.n, 0);
	memmap_free(&m);
	write_file(f->root, "proc/iomem", "00100000-7ffdffff : System RAM\n");
	assert_int_equal(sysfs_read_crash_regions(f->root, &m), 0);
	assert_int_equal(m.n, 0);
	memmap_free(&m);
}

static void test_rsdp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sysfs_acpi_rsdp(f->root), 0); /* not EFI */
	write_file(f->root, "sys/firmware/efi/systab",
		   "SMBIOS3=0x7f8e0000\nACPI=0x7fb7e014\nSMBIOS=0x7f8e1000\n");
	assert_int_equal(sysfs_acpi_rsdp(f->root), 0x7fb7e014);
	write_file(f->root, "sys/firmware/efi/systab",
		   "ACPI=0x7fb7e014\nACPI20=0x7fb7e000\nSMBIOS=0x7f8e1000\n");
	assert_int_equal(sysfs_acpi_rsdp(f->root), 0x7fb7e000);
	write_file(f->root, "sys/firmware/efi/systab", "ACPI20=0x7fb7e000\nACPI=0x7fb7e014\n");
	assert_int_equal(sysfs_acpi_rsdp(f->root), 0x7fb7e000);
	write_file(f->root, "sys/firmware/efi/systab", "SMBIOS=0x7f8e1000\n");
	assert_int_equal(sysfs_acpi_rsdp(f->root), 0);
}

/* Issue 12: -e/-S on a kernel without kexec say so, like -u does. */
static void test_kexec_loaded(void **state)
{
	struct fixture *f = *state;
	struct capture c;
	char sys[128];

	capture_start(&c);
	assert_int_equal(sysfs_kexec_loaded(f->root, false), -1);
	assert_one_error(capture_end(&c), "/sys/kernel/kexec_loaded: cannot read it: No such file");
	write_file(f->root, "sys/kernel/kexec_crash_loaded", "0\n");
	capture_start(&c);
	assert_int_equal(sysfs_kexec_loaded(f->root, false), -1);
	assert_one_error(capture_end(&c), "/sys/kernel/kexec_loaded is missing: this kernel was "
			 "built without kexec support");
	assert_int_equal(sysfs_kexec_loaded(f->root, true), 0);
	write_file(f->root, "sys/kernel/kexec_loaded", "1\n");
	assert_int_equal(sysfs_kexec_loaded(f->root, false), 1);
	snprintf(sys, sizeof(sys), "%s/sys/kernel/kexec_crash_loaded", f->root);
	assert_int_equal(unlink(sys), 0);
	capture_start(&c);
	assert_int_equal(sysfs_kexec_loaded(f->root, true), -1);
	assert_one_error(capture_end(&c), "built without kexec crash (kdump) support");
}

/* The bracketed word of /sys/kernel/security/lockdown is the mode. */
static void test_lockdown(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *text;
		enum kx_lockdown want;
	} cases[] = {
		{ "[none] integrity confidentiality\n", LOCKDOWN_NONE },
		{ "none [integrity] confidentiality\n", LOCKDOWN_INTEGRITY },
		{ "none integrity [confidentiality]\n", LOCKDOWN_CONFIDENTIALITY },
		{ "none integrity confidentiality\n", LOCKDOWN_UNKNOWN },
		{ "none [integrity confidentiality\n", LOCKDOWN_UNKNOWN },
		{ "none [integrityx] confidentiality\n", LOCKDOWN_UNKNOWN },
	};

	/* No securityfs (or no lockdown LSM): nobody can tell. */
	assert_int_equal(sysfs_lockdown(f->root), LOCKDOWN_UNKNOWN);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		write_file(f->root, "sys/kernel/security/lockdown", cases[i].text);
		assert_int_equal(sysfs_lockdown(f->root), cases[i].want);
	}
	assert_string_equal(lockdown_name(LOCKDOWN_INTEGRITY), "integrity");
	assert_string_equal(lockdown_name(LOCKDOWN_CONFIDENTIALITY), "confidentiality");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_sys_memmap),
		T(test_sys_memmap_merged),
		T(test_sys_memmap_broken_entry),
		T(test_iomem_fallback),
		T(test_iomem_fallback_empty_memmap),
		T(test_no_memmap_at_all),
		T(test_crash_regions),
		T(test_crash_regions_none),
		T(test_rsdp),
		T(test_kexec_loaded),
		T(test_lockdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
