/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A memory map: sorted, non-overlapping ranges tagged with e820 types. The
 * backend fills one to describe the machine; loaders plan against it. */
#ifndef KEXEC_MEMMAP_H
#define KEXEC_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

/* e820 types, as the boot protocol defines them. */
enum mem_type {
	MEM_RAM = 1,
	MEM_RESERVED = 2,
	MEM_ACPI = 3,
	MEM_NVS = 4,
	MEM_UNUSABLE = 5,
	MEM_PMEM = 7,
	MEM_RESERVED_KERN = 128,
};

struct mem_range {
	uint64_t start;
	uint64_t end; /* exclusive */
	uint32_t type;
};

struct mem_map {
	struct mem_range *r;
	size_t n;
	size_t cap;
};

void memmap_init(struct mem_map *m);
void memmap_free(struct mem_map *m);
/* Append a range; empty ranges are ignored. Returns 0 or -1 (ENOMEM). */
int memmap_add(struct mem_map *m, uint64_t start, uint64_t end, uint32_t type);
/* Sort by start address and merge adjacent ranges of the same type. */
void memmap_normalize(struct mem_map *m);
/* Remove [start,end) from every range (splitting ranges as needed). */
int memmap_exclude(struct mem_map *m, uint64_t start, uint64_t end);
/* Name of a type as /sys/firmware/memmap spells it ("System RAM", ...). */
const char *memmap_type_name(uint32_t type);
/* Parse "System RAM", "Reserved", "ACPI Tables", "ACPI Non-volatile
 * Storage", "Unusable memory", "Persistent Memory" ...; 0 if unknown. */
uint32_t memmap_type_from_name(const char *name);

#endif
