/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot2: the image header and the boot information, apart from the
 * loader so that both can be tested on their own. */
#ifndef MULTIBOOT2_H
#define MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memmap.h"
#include "multiboot-common.h"

#define MB2_HEADER_MAGIC 0xe85250d6u
#define MB2_BOOT_MAGIC 0x36d76289u
#define MB2_SEARCH_LEN 32768
#define MB2_ARCH_I386 0

/* Boot information tag types. */
enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_LOAD_BASE = 21,
};

/* Relocatable tag preferences. */
enum { MB2_PREF_NONE = 0, MB2_PREF_LOW = 1, MB2_PREF_HIGH = 2 };

struct mb2_header {
	size_t off;                 /* in the file */
	bool has_addr;
	struct mb_addr_fields addr; /* tag 2 */
	bool has_entry;
	uint32_t entry;             /* tag 3 */
	bool relocatable;           /* tag 10 */
	uint32_t reloc_min, reloc_max, reloc_align, reloc_pref;
};

/* Find and check the header in the first 32 KiB. Returns a verdict
 * (file-types.h): NOT_THIS_KIND when there is none. */
const char *mb2_header_parse(const void *buf, size_t len, struct mb2_header *h);

struct mb2_info_input {
	const char *cmdline;
	const char *loader_name;
	const struct mb_modules *mods;
	const struct mem_map *ram;
	const uint8_t *rsdp;       /* copy of the ACPI RSDP, or NULL */
	size_t rsdp_len;           /* 20 (ACPI 1.0) or its length field */
	bool has_load_base;
	uint32_t load_base;
};

/* Build the boot information (8-byte aligned tags, end tag last) into a
 * malloc'ed buffer. Returns 0 or -1 after an error line. */
int mb2_info_build(const struct mb2_info_input *in, uint8_t **buf, size_t *len);

#endif
