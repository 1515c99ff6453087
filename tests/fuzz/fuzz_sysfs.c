/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The readers of the running system's description (/proc/iomem, the
 * firmware memmap, the EFI runtime map and tables, boot_params, crash
 * notes, vmcoreinfo, kallsyms, kcore) over a tree generated in a
 * temporary directory from the input: text sections separated by NUL
 * bytes, in this order,
 *   0 proc/iomem           1 memmap lines "start end type"
 *   2 EFI runtime-map lines "type phys virt pages attribute"
 *   3 efi/systab   4 efi/fw_vendor   5 efi/config_table   6 efi/runtime
 *   7 sys/kernel/vmcoreinfo   8 cpu lines "crash_notes size"
 *   9 proc/kallsyms
 * (sys/kernel/kexec_loaded and kexec_crash_loaded are always missing),
 * then the rest of the input, binary, as boot_params/data, dev/mem and
 * proc/kcore. Missing sections are missing files; sections 1, 2 and 8
 * make one directory per line and one file per word. */
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "sysfs-dump.h"
#include "sysfs-efi.h"
#include "sysfs-machine.h"
#include "util.h"

#define NTEXT 10
#define NSECTIONS (NTEXT + 1)

static char root[64];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

static void rm_tree(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void rm_all(void)
{
	rm_tree();
	rmdir(root);
}

/* The tree is rewritten for every input: memory-backed when possible. */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp && strlen(tmp) < 40)
		return tmp;
	return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	snprintf(root, sizeof(root), "%s/kexec-fuzz-XXXXXX", tmp_dir());
	if (!mkdtemp(root))
		abort();
	atexit(rm_all);
	return 0;
}

/* mkdir -p the parent of root/rel, then write len bytes to it. */
static void put(const char *rel, const void *data, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "w");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* Section text: one directory dir/<n>/ per line, word i in file name[i]. */
static void put_lines(const char *dir, const char *const *names, size_t nnames,
		      const char *text, size_t len)
{
	char *copy = strndup(text, len), *save = NULL, *line;
	unsigned n = 0;

	if (!copy)
		return;
	for (line = strtok_r(copy, "\n", &save); line && n < 64;
	     line = strtok_r(NULL, "\n", &save), n++) {
		char *wsave = NULL, *word = strtok_r(line, " ", &wsave);

		for (size_t i = 0; word && i < nnames; i++, word = strtok_r(NULL, " ", &wsave)) {
			char rel[256];

			snprintf(rel, sizeof(rel), dir, n);
			strncat(rel, names[i], sizeof(rel) - strlen(rel) - 1);
			put(rel, word, strlen(word));
		}
	}
	free(copy);
}

static void build_tree(const uint8_t *sec[], const size_t len[], unsigned n)
{
	static const char *const memmap[] = { "start", "end", "type" };
	static const char *const rtmap[] = { "type", "phys_addr", "virt_addr", "num_pages", "attribute" };
	static const char *const cpu[] = { "crash_notes", "crash_notes_size" };
	static const char *const files[NTEXT] = {
		"proc/iomem", NULL, NULL, "sys/firmware/efi/systab", "sys/firmware/efi/fw_vendor",
		"sys/firmware/efi/config_table", "sys/firmware/efi/runtime",
		"sys/kernel/vmcoreinfo", NULL, "proc/kallsyms",
	};
	static const char *const binary[] = { "sys/kernel/boot_params/data", "dev/mem",
					      "proc/kcore" };
	char path[512];

	put("sys/devices/system/cpu/online", "0\n", 2);
	for (unsigned i = 0; i < n && i < NTEXT; i++)
		if (files[i])
			put(files[i], sec[i], len[i]);
	for (size_t i = 0; n > NTEXT && i < ARRAY_SIZE(binary); i++)
		put(binary[i], sec[NTEXT], len[NTEXT]);
	if (n > 1)
		put_lines("sys/firmware/memmap/%u/", memmap, 3, (const char *)sec[1], len[1]);
	if (n > 2) {
		snprintf(path, sizeof(path), "%s/sys/firmware/efi/runtime-map", root);
		put("sys/firmware/efi/.keep", "", 0);
		mkdir(path, 0755);
		put_lines("sys/firmware/efi/runtime-map/%u/", rtmap, 5, (const char *)sec[2], len[2]);
	}
	if (n > 8)
		put_lines("sys/devices/system/cpu/cpu%u/", cpu, 2, (const char *)sec[8], len[8]);
}

static void read_all(void)
{
	struct mem_map m;
	struct machine_efi e;
	struct dump_source d;
	uint64_t a, s;
	uint8_t rsdp[36];

	memmap_init(&m);
	(void)sysfs_read_memmap(root, &m);
	memmap_free(&m);
	memmap_init(&m);
	(void)sysfs_read_crash_regions(root, &m);
	memmap_free(&m);
	(void)sysfs_copy_rsdp(root, sysfs_acpi_rsdp(root), rsdp);
	(void)sysfs_copy_rsdp(root, sysfs_boot_params_rsdp(root), rsdp);
	if (sysfs_read_efi(root, &e) == 0)
		free(e.region);
	if (sysfs_read_dump(root, &d) == 0)
		dump_source_free(&d);
	(void)sysfs_vmcoreinfo(root, &a, &s);
	(void)sysfs_kexec_loaded(root, false);
	(void)sysfs_kexec_loaded(root, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sec[NSECTIONS];
	size_t len[NSECTIONS];
	unsigned n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= size && n < NTEXT; i++)
		if (i == size || data[i] == 0) {
			sec[n] = data + start;
			len[n++] = i - start;
			start = i + 1;
		}
	if (n == NTEXT && start <= size) {
		sec[n] = data + start;
		len[n++] = size - start;
	}
	rm_tree();
	build_tree(sec, len, n);
	read_all();
	return 0;
}
