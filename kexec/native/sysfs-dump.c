/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dump description of a native Linux system, from sysfs and procfs. */
#include <dirent.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs-dump.h"
#include "util.h"

#define DEFAULT_PAGE_OFFSET 0xffff888000000000ULL
#define DEFAULT_NOTE_BYTES 1024

int sysfs_vmcoreinfo(const char *root, uint64_t *addr, uint64_t *size)
{
	char path[256], buf[128];
	unsigned long long a, s;

	*addr = *size = 0;
	snprintf(path, sizeof(path), "%s/sys/kernel/vmcoreinfo", root);
	if (kx_read_text(path, buf, sizeof(buf)) < 0)
		return 0;
	if (sscanf(buf, "%llx %llx", &a, &s) != 2) {
		kx_error("%s: unexpected contents \"%s\"", path, buf);
		return -1;
	}
	*addr = a;
	*size = s;
	return 0;
}

/* One crash_notes buffer per possible CPU; gaps in numbering are fine. */
static int read_cpu_notes(const char *root, struct dump_source *d)
{
	char dir[256], path[1024], buf[64];
	struct dirent *de;
	DIR *dp;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/sys/devices/system/cpu", root);
	dp = opendir(dir);
	if (!dp) {
		kx_error("%s: cannot list CPUs for their crash notes", dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(dp))) {
		uint64_t addr, size = DEFAULT_NOTE_BYTES;

		if (strncmp(de->d_name, "cpu", 3) || de->d_name[3] < '0' || de->d_name[3] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/crash_notes", dir, de->d_name);
		if (kx_read_text(path, buf, sizeof(buf)) < 0)
			continue;
		if (sscanf(buf, "%" SCNx64, &addr) != 1) {
			kx_error("%s: unexpected contents", path);
			rc = -1;
			break;
		}
		snprintf(path, sizeof(path), "%s/%s/crash_notes_size", dir, de->d_name);
		if (kx_read_text(path, buf, sizeof(buf)) == 0)
			kx_parse_u64(buf, &size);
		rc = dump_add_note(d, addr, size);
	}
	closedir(dp);
	if (rc == 0 && d->nnotes == 0) {
		kx_error("%s: no CPU exposes crash_notes (kernel without CONFIG_CRASH_DUMP?)", dir);
		return -1;
	}
	d->ncpu_notes = d->nnotes;
	return rc;
}

/* RAM lines of /proc/iomem at any depth ("System RAM", "System RAM (kmem)"),
 * plus "Kernel code".."Kernel bss" for the text mapping. */
static int read_iomem_ram(const char *root, struct dump_source *d,
			  uint64_t *kstart, uint64_t *kend)
{
	char path[256], line[256];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	f = fopen(path, "re");
	if (!f) {
		kx_error("%s: cannot read the RAM ranges to dump", path);
		return -1;
	}
	*kstart = *kend = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		unsigned long long s, e;
		char name[128];

		if (sscanf(line, " %llx-%llx : %127[^\n]", &s, &e, name) != 3 || e < s)
			continue;
		if (strstr(name, "System RAM"))
			rc = memmap_add(&d->ram, s, e + 1, MEM_RAM);
		else if (!strcmp(name, "Kernel code"))
			*kstart = s;
		else if (!strncmp(name, "Kernel ", 7) && e + 1 > *kend)
			*kend = e + 1;
	}
	fclose(f);
	memmap_normalize(&d->ram);
	if (rc == 0 && d->ram.n == 0) {
		kx_error("%s: no System RAM found", path);
		return -1;
	}
	return rc;
}

/* The kernel image's virtual start (_text) from /proc/kallsyms. */
static uint64_t kallsyms_text(const char *root)
{
	char path[256], line[256];
	unsigned long long addr = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/kallsyms", root);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[128];

		if (sscanf(line, "%llx %c %127s", &a, &type, name) == 3 && !strcmp(name, "_text")) {
			addr = a;
			break;
		}
	}
	fclose(f);
	return addr;
}

/* The direct map's base: the lowest /proc/kcore PT_LOAD, 1 GiB aligned
 * (KASLR moves it). Falls back to the non-randomised default. */
static uint64_t kcore_page_offset(const char *root)
{
	char path[256];
	Elf64_Ehdr eh;
	uint64_t best = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/kcore", root);
	f = fopen(path, "re");
	if (!f || fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phnum > 4096)
		goto out;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (fseek(f, (long)(eh.e_phoff + i * sizeof(ph)), SEEK_SET) || fread(&ph, sizeof(ph), 1, f) != 1)
			break;
		/* Direct-map segments sit in the upper half below the kernel map. */
		if (ph.p_type == PT_LOAD && ph.p_vaddr >= 0xff00000000000000ULL &&
		    ph.p_vaddr < 0xffffffff80000000ULL && ph.p_paddr != (uint64_t)-1 &&
		    (!best || ph.p_vaddr - ph.p_paddr < best))
			best = ph.p_vaddr - ph.p_paddr;
	}
out:
	if (f)
		fclose(f);
	return best ? ALIGN_DOWN(best, 1ULL << 30) : DEFAULT_PAGE_OFFSET;
}

int sysfs_read_dump(const char *root, struct dump_source *d)
{
	uint64_t vaddr, vsize, kstart, kend, text;

	memset(d, 0, sizeof(*d));
	d->e_machine = EM_X86_64;
	memmap_init(&d->ram);
	if (read_cpu_notes(root, d) < 0 || sysfs_vmcoreinfo(root, &vaddr, &vsize) < 0 ||
	    (vsize && dump_add_note(d, vaddr, vsize) < 0) ||
	    read_iomem_ram(root, d, &kstart, &kend) < 0) {
		dump_source_free(d);
		return -1;
	}
	d->page_offset = kcore_page_offset(root);
	text = kallsyms_text(root);
	if (text && kstart && kend > kstart) {
		d->have_text = true;
		d->text = (struct crash_load){ .paddr = kstart, .size = ALIGN_UP(kend - kstart, 4096),
					       .vaddr = text, .offset = kstart, .alias = 1 };
	}
	return 0;
}
