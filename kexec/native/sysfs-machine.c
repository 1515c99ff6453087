/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the machine description from sysfs and procfs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs-machine.h"
#include "util.h"

static int read_u64_file(const char *path, uint64_t *v)
{
	char buf[64];

	return kx_read_text(path, buf, sizeof(buf)) < 0 ? -1 : kx_parse_u64(buf, v);
}

static int read_memmap_entry(const char *dir, struct mem_map *m)
{
	char path[1024], type[64];
	uint64_t start, end;

	snprintf(path, sizeof(path), "%s/start", dir);
	if (read_u64_file(path, &start) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/end", dir);
	if (read_u64_file(path, &end) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/type", dir);
	if (kx_read_text(path, type, sizeof(type)) < 0)
		return -1;
	if (end < start)
		return -1;
	/* sysfs gives an inclusive end; unknown types are kept as reserved. */
	return memmap_add(m, start, end + 1,
			  memmap_type_from_name(type) ? memmap_type_from_name(type) : MEM_RESERVED);
}

static int read_sys_memmap(const char *root, struct mem_map *m)
{
	char dir[256], path[512];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/sys/firmware/memmap", root);
	d = opendir(dir);
	if (!d)
		return -1;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc = read_memmap_entry(path, m);
	}
	closedir(d);
	if (rc < 0)
		kx_debug("%s: unreadable entry, using /proc/iomem", dir);
	return rc;
}

/* One /proc/iomem line: "  00100000-7ffdffff : System RAM". */
static int parse_iomem_line(const char *line, uint64_t *s, uint64_t *e,
			    int *depth, const char **name)
{
	const char *p = line;
	char *end;

	*depth = 0;
	while (*p == ' ') {
		p++;
		(*depth)++;
	}
	*s = strtoull(p, &end, 16);
	if (*end != '-')
		return -1;
	*e = strtoull(end + 1, &end, 16);
	if (strncmp(end, " : ", 3))
		return -1;
	*name = end + 3;
	return 0;
}

/* 0, 1 when there is no /proc/iomem (quietly), or -1 after an error line. */
static int read_iomem(const char *root, bool crash_only, struct mem_map *m)
{
	char path[256], line[256];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	f = fopen(path, "re");
	if (!f)
		return 1;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		uint64_t s, e;
		int depth;
		const char *name;
		uint32_t type;

		line[strcspn(line, "\n")] = '\0';
		if (parse_iomem_line(line, &s, &e, &depth, &name) < 0 || e < s)
			continue;
		if (crash_only) {
			if (!strcmp(name, "Crash kernel"))
				rc = memmap_add(m, s, e + 1, MEM_RAM);
			continue;
		}
		type = memmap_type_from_name(name);
		if (depth == 0 && type)
			rc = memmap_add(m, s, e + 1, type);
	}
	fclose(f);
	return rc;
}

int sysfs_read_memmap(const char *root, struct mem_map *m)
{
	int rc;

	memmap_init(m);
	if (read_sys_memmap(root, m) == 0 && m->n)
		goto done;
	memmap_free(m);
	rc = read_iomem(root, false, m);
	if (rc < 0) {
		memmap_free(m);
		return -1;
	}
	if (rc > 0 || m->n == 0) {
		kx_error("cannot read the memory map (%s/sys/firmware/memmap, %s/proc/iomem)",
			 root, root);
		memmap_free(m);
		return -1;
	}
done:
	memmap_normalize(m);
	return 0;
}

int sysfs_read_crash_regions(const char *root, struct mem_map *m)
{
	memmap_init(m);
	switch (read_iomem(root, true, m)) {
	case 1:
		return 0; /* no /proc/iomem: no crash region known */
	case 0:
		memmap_normalize(m);
		return 0;
	default:
		memmap_free(m);
		return -1;
	}
}

uint32_t sysfs_copy_rsdp(const char *root, uint64_t addr, uint8_t buf[36])
{
	char path[256];
	uint32_t len = 20;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/mem", root);
	if (!addr || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = pread(fd, buf, 36, (off_t)addr);
	close(fd);
	if (n != 36 || memcmp(buf, "RSD PTR ", 8)) {
		kx_debug("ACPI RSDP at 0x%" PRIx64 " unreadable", addr);
		return 0;
	}
	/* Revision 2 and later give their own length (36). */
	if (buf[15] >= 2)
		memcpy(&len, buf + 20, 4);
	return len >= 20 && len <= 36 ? len : 20;
}

uint64_t sysfs_acpi_rsdp(const char *root)
{
	char path[256], line[128];
	uint64_t acpi20 = 0, acpi = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/firmware/efi/systab", root);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "ACPI20=", 7))
			kx_parse_u64(line + 7, &acpi20);
		else if (!strncmp(line, "ACPI=", 5))
			kx_parse_u64(line + 5, &acpi);
	}
	fclose(f);
	return acpi20 ? acpi20 : acpi;
}

int sysfs_kexec_loaded(const char *root, bool crash)
{
	char dir[256], path[300], buf[16];
	struct stat st;
	int err;

	snprintf(dir, sizeof(dir), "%s/sys/kernel", root);
	snprintf(path, sizeof(path), "%s/%s", dir, crash ? "kexec_crash_loaded" : "kexec_loaded");
	if (kx_read_text(path, buf, sizeof(buf)) == 0)
		return buf[0] == '1';
	err = errno;
	/* The file exists on every kernel built with kexec; sysfs itself may
	 * simply not be mounted. */
	if (err == ENOENT && stat(dir, &st) == 0)
		kx_error("%s is missing: this kernel was built without %s support", path,
			 crash ? "kexec crash (kdump)" : "kexec");
	else
		kx_error("%s: cannot read it: %s", path, strerror(err));
	return -1;
}

enum kx_lockdown sysfs_lockdown(const char *root)
{
	char path[256], buf[128];
	const char *open_b, *close_b;
	size_t len;

	snprintf(path, sizeof(path), "%s/sys/kernel/security/lockdown", root);
	if (kx_read_text(path, buf, sizeof(buf)) < 0)
		return LOCKDOWN_UNKNOWN;
	/* The mode in force is the bracketed one. */
	open_b = strchr(buf, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!close_b)
		return LOCKDOWN_UNKNOWN;
	len = (size_t)(close_b - open_b - 1);
	if (len == 4 && !strncmp(open_b + 1, "none", 4))
		return LOCKDOWN_NONE;
	if (len == 9 && !strncmp(open_b + 1, "integrity", 9))
		return LOCKDOWN_INTEGRITY;
	if (len == 15 && !strncmp(open_b + 1, "confidentiality", 15))
		return LOCKDOWN_CONFIDENTIALITY;
	return LOCKDOWN_UNKNOWN;
}

const char *lockdown_name(enum kx_lockdown l)
{
	switch (l) {
	case LOCKDOWN_NONE:
		return "none";
	case LOCKDOWN_INTEGRITY:
		return "integrity";
	case LOCKDOWN_CONFIDENTIALITY:
		return "confidentiality";
	default:
		return "unknown";
	}
}
