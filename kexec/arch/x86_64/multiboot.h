/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot (0.6.96): the image header and the boot information, apart
 * from the loader so that both can be tested on their own. */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memmap.h"
#include "multiboot-common.h"

#define MB1_HEADER_MAGIC 0x1badb002u
#define MB1_BOOT_MAGIC 0x2badb002u
#define MB1_SEARCH_LEN 8192

/* Header flags. */
#define MB1_HF_PAGE_ALIGN (1u << 0)
#define MB1_HF_MEMINFO (1u << 1)
#define MB1_HF_VIDEO (1u << 2)
#define MB1_HF_ADDRESS (1u << 16)

/* Boot information flags and offsets. */
#define MB1_IF_MEM (1u << 0)
#define MB1_IF_CMDLINE (1u << 2)
#define MB1_IF_MODS (1u << 3)
#define MB1_IF_MMAP (1u << 6)
#define MB1_IF_LOADER_NAME (1u << 9)
#define MB1_INFO_SIZE 120 /* the 116-byte structure, 8-byte rounded */
#define MB1_OFF_FLAGS 0
#define MB1_OFF_MEM_LOWER 4
#define MB1_OFF_MEM_UPPER 8
#define MB1_OFF_CMDLINE 16
#define MB1_OFF_MODS_COUNT 20
#define MB1_OFF_MODS_ADDR 24
#define MB1_OFF_MMAP_LENGTH 44
#define MB1_OFF_MMAP_ADDR 48
#define MB1_OFF_LOADER_NAME 64
#define MB1_MMAP_ENTRY 24 /* size field (20) + base, length, type */
#define MB1_MODULE_SIZE 16

struct mb1_header {
	size_t off;   /* in the file */
	uint32_t flags;
	struct mb_addr_fields addr; /* valid with MB1_HF_ADDRESS */
	uint32_t entry;
};

/* Find and check the header in the first 8 KiB. Returns a verdict
 * (file-types.h): NOT_THIS_KIND when there is none. */
const char *mb1_header_parse(const void *buf, size_t len, struct mb1_header *h);

struct mb1_info_input {
	const char *cmdline;
	const char *loader_name;
	const struct mb_modules *mods;
	const struct mem_map *ram;
};

/* Size of the boot information for in. */
size_t mb1_info_size(const struct mb1_info_input *in);
/* Fill buf (mb1_info_size bytes, zeroed) for physical address base. */
void mb1_info_fill(const struct mb1_info_input *in, uint64_t base, uint8_t *buf);

#endif
