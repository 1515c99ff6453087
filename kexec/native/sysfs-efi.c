/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The EFI state of the running system, as Linux exports it: the runtime
 * regions with the virtual addresses it gave them, the firmware tables'
 * physical addresses, and the memory descriptor format from its own
 * boot_params. A kexec'd kernel needs all of it to keep runtime services,
 * because SetVirtualAddressMap cannot be called a second time. */
#include <asm/bootparam.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "sysfs-efi.h"
#include "sysfs-machine.h"
#include "util.h"

#define EFI_DIR "/sys/firmware/efi"
/* The fields of an EFI memory descriptor (version 1) end at byte 40. */
#define EFI_MEMDESC_MIN 40

/* The running kernel's zero page; -1 (no message) when not readable. */
static int read_boot_params(const char *root, struct boot_params *bp)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/kernel/boot_params/data", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, bp, sizeof(*bp));
	close(fd);
	return n == (ssize_t)sizeof(*bp) ? 0 : -1;
}

uint64_t sysfs_boot_params_rsdp(const char *root)
{
	struct boot_params *bp = malloc(sizeof(*bp));
	uint64_t rsdp = 0;

	if (bp && read_boot_params(root, bp) == 0)
		rsdp = bp->acpi_rsdp_addr;
	free(bp);
	return rsdp;
}

/* A number in a sysfs file: 1 if read, 0 if the file is absent, -1 after
 * an error line if it holds something else. */
static int read_number(const char *path, uint64_t *v)
{
	char buf[64];

	if (access(path, F_OK) < 0)
		return 0;
	if (kx_read_text(path, buf, sizeof(buf)) < 0 || kx_parse_u64(buf, v) < 0) {
		kx_error("%s: not a number", path);
		return -1;
	}
	return 1;
}

/* KEY=value in /sys/firmware/efi/systab (0 when absent). */
static uint64_t systab_entry(const char *root, const char *key)
{
	char path[512], line[128];
	size_t klen = strlen(key);
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s" EFI_DIR "/systab", root);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, key, klen) && line[klen] == '=' &&
		    kx_parse_u64(line + klen + 1, &v) == 0)
			break;
		v = 0;
	}
	fclose(f);
	return v;
}

/* One runtime-map/<n>/ directory; every file must be there. */
static int read_region(const char *dir, struct efi_region *r)
{
	static const char *const names[] = { "type", "phys_addr", "virt_addr",
					     "num_pages", "attribute" };
	uint64_t v[ARRAY_SIZE(names)];
	char path[1100];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rc = read_number(path, &v[i]);
		if (rc == 0)
			kx_error("%s: missing from the EFI runtime map entry", path);
		if (rc != 1)
			return -1;
	}
	r->type = (uint32_t)v[0];
	r->phys = v[1];
	r->virt = v[2];
	r->pages = v[3];
	r->attribute = v[4];
	return 0;
}

static int add_region(struct machine_efi *e, const char *dir)
{
	struct efi_region *r = kx_realloc(e->region, (e->nregion + 1) * sizeof(*r));

	if (!r)
		return -1;
	e->region = r;
	if (read_region(dir, &r[e->nregion]) < 0)
		return -1;
	e->nregion++;
	return 0;
}

static int by_phys(const void *a, const void *b)
{
	const struct efi_region *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

/* runtime-map/<n>/: 1 if read, 0 if there is none, -1 on error. */
static int read_runtime_map(const char *root, struct machine_efi *e)
{
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s" EFI_DIR "/runtime-map", root);
	d = opendir(dir);
	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc = add_region(e, path);
	}
	closedir(d);
	if (rc < 0)
		return -1;
	/* An empty directory leaves region NULL: qsort must not see it. */
	if (e->nregion == 0)
		return 0;
	/* Sorted, so that the same machine always gives the same zero page. */
	qsort(e->region, e->nregion, sizeof(*e->region), by_phys);
	return 1;
}

/* System table and descriptor format from the running kernel's zero page:
 * 1 if usable, 0 if not (why goes to the debug output). */
static int read_efi_info(const char *root, struct machine_efi *e)
{
	struct boot_params *bp = malloc(sizeof(*bp));
	int ok = 0;

	if (!bp || read_boot_params(root, bp) < 0) {
		kx_debug("efi: no readable boot_params, no EFI handoff");
		goto out;
	}
	e->systab = bp->efi_info.efi_systab | (uint64_t)bp->efi_info.efi_systab_hi << 32;
	e->memdesc_size = bp->efi_info.efi_memdesc_size;
	e->memdesc_version = bp->efi_info.efi_memdesc_version;
	/* Version 1 is the only layout the next kernel understands. */
	if (!e->systab || e->memdesc_version != 1 || e->memdesc_size < EFI_MEMDESC_MIN)
		kx_debug("efi: systab 0x%llx, memdesc version %u size %u: no EFI handoff",
			 (unsigned long long)e->systab, e->memdesc_version, e->memdesc_size);
	else
		ok = 1;
out:
	free(bp);
	return ok;
}

/* fw_vendor, config_table (needed) and runtime (older kernels): the
 * system table's copies became virtual addresses at SetVirtualAddressMap. */
static int read_tables(const char *root, struct machine_efi *e)
{
	char path[512];
	int a, b, c;

	snprintf(path, sizeof(path), "%s" EFI_DIR "/fw_vendor", root);
	a = read_number(path, &e->fw_vendor);
	snprintf(path, sizeof(path), "%s" EFI_DIR "/config_table", root);
	b = read_number(path, &e->config_table);
	snprintf(path, sizeof(path), "%s" EFI_DIR "/runtime", root);
	c = read_number(path, &e->runtime);
	if (a < 0 || b < 0 || c < 0)
		return -1;
	if (!a || !b)
		kx_debug("efi: no fw_vendor or config_table in %s" EFI_DIR, root);
	e->smbios = systab_entry(root, "SMBIOS");
	return a && b;
}

static int read_efi(const char *root, struct machine_efi *e)
{
	int rc;

	rc = read_runtime_map(root, e);
	if (rc <= 0) {
		if (rc == 0)
			kx_debug("efi: no runtime map in %s" EFI_DIR, root);
		return rc;
	}
	rc = read_tables(root, e);
	if (rc <= 0)
		return rc;
	return read_efi_info(root, e);
}

int sysfs_read_efi(const char *root, struct machine_efi *e)
{
	char dir[512];
	struct stat st;
	int rc;

	memset(e, 0, sizeof(*e));
	snprintf(dir, sizeof(dir), "%s" EFI_DIR, root);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0; /* not booted through EFI */
	rc = read_efi(root, e);
	if (rc == 1) {
		e->present = true;
		kx_debug("efi: systab 0x%llx, %zu runtime regions, memdesc size %u",
			 (unsigned long long)e->systab, e->nregion, e->memdesc_size);
		return 0;
	}
	free(e->region);
	memset(e, 0, sizeof(*e));
	return rc;
}
