/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the Multiboot and Multiboot2 loaders share: the image layout (ELF
 * program headers or the header's address fields), placing it, the
 * modules, the command line, memory sizes and the 32-bit entry. */
#ifndef MULTIBOOT_COMMON_H
#define MULTIBOOT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"

#define MB_MAX_LOADS 16
#define MB_LOADER_NAME "kexec-tools-ng"

/* One piece of the image: filesz bytes at offset in the file, then zeros
 * up to memsz, at physical address paddr. */
struct mb_load {
	uint64_t paddr, vaddr, offset, filesz, memsz;
};

struct mb_layout {
	struct mb_load load[MB_MAX_LOADS]; /* sorted by paddr */
	unsigned nload;
	uint64_t entry; /* physical */
};

/* The header's address fields (Multiboot flag 16, Multiboot2 tag 2). */
struct mb_addr_fields {
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
};

/* A module as the boot information describes it. */
struct mb_module {
	uint64_t start, end;  /* physical, end exclusive */
	const char *cmdline;  /* the whole --module argument */
};

struct mb_modules {
	struct mb_module m[MAX_MODULES];
	int n;
};

/* Layout from an ELF32 (EM_386) or ELF64 (EM_X86_64) executable. Returns
 * a verdict (file-types.h): NOT_THIS_KIND when buf is no ELF file. */
const char *mb_elf_layout(const void *buf, size_t len, struct mb_layout *l);

/* Layout from address fields, the header being at file offset hdr_off.
 * Returns NULL or the reason the fields are unusable. */
const char *mb_addr_layout(size_t len, size_t hdr_off, const struct mb_addr_fields *a,
			   struct mb_layout *l);

/* First and last+1 physical byte of the image. */
void mb_layout_span(const struct mb_layout *l, uint64_t *lo, uint64_t *hi);

/* Add the image's pieces to the plan, moved by delta. */
int mb_place_image(struct plan *p, const struct kernel_image *k,
		   const struct mb_layout *l, uint64_t delta);

/* Read, decompress and place every --module below 4 GiB, page aligned.
 * The buffers belong to the plan. */
int mb_load_modules(const struct options *o, struct plan *p, struct mb_modules *out);

/* "PATH ARGS": boot loaders put the image name first (Xen skips it). */
char *mb_kernel_cmdline(const struct options *o, const char *path);

/* KiB of RAM from 0 (at most 640) and from 1 MiB on, contiguous. */
void mb_mem_sizes(const struct mem_map *ram, uint32_t *lower, uint32_t *upper);

/* Type for the boot information's memory map (e820 numbering). */
uint32_t mb_mmap_type(uint32_t e820_type);

/* Place purgatory below 4 GiB and enter entry in 32-bit protected mode
 * with eax = magic and ebx = info. Seals the plan. */
int mb_finish(struct plan *p, const struct options *o, uint32_t magic,
	      uint64_t info, uint64_t entry);

#endif
