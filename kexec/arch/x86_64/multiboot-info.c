/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Multiboot boot information: the fixed structure, then the memory
 * map, the module list and the strings, all in one block. */
#include <string.h>

#include "multiboot.h"

static void wr32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);
}

static size_t strings_size(const struct mb1_info_input *in)
{
	size_t n = strlen(in->cmdline) + 1 + strlen(in->loader_name) + 1;

	for (int i = 0; in->mods && i < in->mods->n; i++)
		n += strlen(in->mods->m[i].cmdline) + 1;
	return n;
}

static int nmods(const struct mb1_info_input *in)
{
	return in->mods ? in->mods->n : 0;
}

size_t mb1_info_size(const struct mb1_info_input *in)
{
	return MB1_INFO_SIZE + in->ram->n * MB1_MMAP_ENTRY +
	       (size_t)nmods(in) * MB1_MODULE_SIZE + strings_size(in);
}

/* Copy s at *off; returns its physical address. */
static uint32_t put_string(uint8_t *buf, size_t *off, uint64_t base, const char *s)
{
	uint32_t addr = (uint32_t)(base + *off);
	size_t n = strlen(s) + 1;

	memcpy(buf + *off, s, n);
	*off += n;
	return addr;
}

static void fill_mmap(const struct mem_map *ram, uint8_t *at)
{
	for (size_t i = 0; i < ram->n; i++, at += MB1_MMAP_ENTRY) {
		uint64_t base = ram->r[i].start, len = ram->r[i].end - ram->r[i].start;

		wr32(at, 0, MB1_MMAP_ENTRY - 4); /* size excludes itself */
		memcpy(at + 4, &base, 8);
		memcpy(at + 12, &len, 8);
		wr32(at, 20, mb_mmap_type(ram->r[i].type));
	}
}

void mb1_info_fill(const struct mb1_info_input *in, uint64_t base, uint8_t *buf)
{
	size_t mmap_off = MB1_INFO_SIZE, mods_off = mmap_off + in->ram->n * MB1_MMAP_ENTRY;
	size_t str_off = mods_off + (size_t)nmods(in) * MB1_MODULE_SIZE;
	uint32_t lower, upper;

	mb_mem_sizes(in->ram, &lower, &upper);
	wr32(buf, MB1_OFF_FLAGS, MB1_IF_MEM | MB1_IF_CMDLINE | MB1_IF_MODS | MB1_IF_MMAP |
				     MB1_IF_LOADER_NAME);
	wr32(buf, MB1_OFF_MEM_LOWER, lower);
	wr32(buf, MB1_OFF_MEM_UPPER, upper);
	wr32(buf, MB1_OFF_CMDLINE, put_string(buf, &str_off, base, in->cmdline));
	wr32(buf, MB1_OFF_LOADER_NAME, put_string(buf, &str_off, base, in->loader_name));
	wr32(buf, MB1_OFF_MODS_COUNT, (uint32_t)nmods(in));
	wr32(buf, MB1_OFF_MODS_ADDR, (uint32_t)(base + mods_off));
	for (int i = 0; i < nmods(in); i++) {
		uint8_t *m = buf + mods_off + (size_t)i * MB1_MODULE_SIZE;

		wr32(m, 0, (uint32_t)in->mods->m[i].start);
		wr32(m, 4, (uint32_t)in->mods->m[i].end);
		wr32(m, 8, put_string(buf, &str_off, base, in->mods->m[i].cmdline));
	}
	wr32(buf, MB1_OFF_MMAP_LENGTH, (uint32_t)(in->ram->n * MB1_MMAP_ENTRY));
	wr32(buf, MB1_OFF_MMAP_ADDR, (uint32_t)(base + mmap_off));
	fill_mmap(in->ram, buf + mmap_off);
}
