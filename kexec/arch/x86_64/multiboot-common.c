/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot and Multiboot2 alike: modules, the command line, memory
 * sizes, and the 32-bit entry through purgatory. */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "kernel-file.h"
#include "memmap.h"
#include "multiboot-common.h"
#include "purgatory.h"
#include "util.h"

#define FOUR_GIB (1ULL << 32)

/* The file is the argument's first word; the rest is its command line. */
static char *module_path(const char *arg)
{
	size_t n = strcspn(arg, " \t");
	char *path = kx_malloc(n + 1);

	if (path) {
		memcpy(path, arg, n);
		path[n] = '\0';
	}
	return path;
}

static int load_module(const char *arg, struct plan *p, struct mb_module *m)
{
	char *path = module_path(arg);
	struct kernel_image k;
	int rc = -1;

	if (!path)
		return -1;
	if (!*path) {
		kx_error("--module \"%s\": no file name", arg);
		goto out;
	}
	if (module_file_read(path, &k) < 0)
		goto out;
	if (plan_own(p, (void *)k.buf) < 0) {
		kernel_image_free(&k);
		goto out;
	}
	/* Addresses in the boot information are 32-bit. */
	if (plan_place(p, &(struct placement){ .what = "module", .buf = k.buf, .bufsz = k.len,
					       .memsz = k.len ? k.len : 1, .min = MiB,
					       .max = FOUR_GIB - 1 }, &m->start) < 0)
		goto out;
	m->end = m->start + k.len;
	m->cmdline = arg;
	kx_debug("%s: module at 0x%" PRIx64 "-0x%" PRIx64 "%s", path, m->start, m->end,
		 k.decompressed ? " (decompressed)" : "");
	rc = 0;
out:
	free(path);
	return rc;
}

int mb_load_modules(const struct options *o, struct plan *p, struct mb_modules *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < o->nmodules; i++) {
		if (load_module(o->modules[i], p, &out->m[i]) < 0)
			return -1;
		out->n++;
	}
	return 0;
}

char *mb_kernel_cmdline(const struct options *o, const char *path)
{
	char *args = loader_build_cmdline(o, false), *out;
	size_t n;

	if (!args)
		return NULL;
	n = strlen(path) + 1 + strlen(args) + 1;
	out = kx_malloc(n);
	if (out)
		snprintf(out, n, "%s%s%s", path, *args ? " " : "", args);
	free(args);
	return out;
}

static uint32_t kib(uint64_t bytes)
{
	return bytes >> 10 > UINT32_MAX ? UINT32_MAX : (uint32_t)(bytes >> 10);
}

void mb_mem_sizes(const struct mem_map *ram, uint32_t *lower, uint32_t *upper)
{
	*lower = *upper = 0;
	for (size_t i = 0; i < ram->n; i++) {
		const struct mem_range *r = &ram->r[i];

		if (r->type != MEM_RAM)
			continue;
		if (r->start == 0)
			*lower = kib(r->end < 640 * 1024 ? r->end : 640 * 1024);
		if (r->start <= MiB && r->end > MiB)
			*upper = kib(r->end - MiB);
	}
}

uint32_t mb_mmap_type(uint32_t e820_type)
{
	switch (e820_type) {
	case MEM_RAM:
	case MEM_ACPI:
	case MEM_NVS:
	case MEM_UNUSABLE:
		return e820_type;
	default:
		return MEM_RESERVED;
	}
}

int mb_finish(struct plan *p, const struct options *o, uint32_t magic,
	      uint64_t info, uint64_t entry)
{
	struct purgatory_params *pp;
	uint64_t stack;

	if (entry >= FOUR_GIB || info >= FOUR_GIB) {
		kx_error("multiboot entry 0x%" PRIx64 " or boot information 0x%" PRIx64
			 " is above 4 GiB", entry, info);
		return -1;
	}
	/* Purgatory leaves long mode, so it must run below 4 GiB too. */
	pp = purgatory_place(p, o, MiB, FOUR_GIB - 1, false, &stack);
	if (!pp)
		return -1;
	/* Purgatory is 64-bit code: Xen and Linux enter it in long mode and
	 * it leaves long mode itself (EM_386 would make Xen enter it in
	 * 32-bit mode). */
	p->arch = EM_X86_64;
	pp->entry_mode = PURGATORY_ENTRY_32;
	memset(&pp->regs32, 0, sizeof(pp->regs32));
	pp->regs32.eax = magic;
	pp->regs32.ebx = (uint32_t)info;
	pp->regs32.eip = (uint32_t)entry;
	pp->regs32.esp = (uint32_t)stack;
	return purgatory_seal(p, pp, o->no_checks);
}
