/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory map container: add, sort/merge, carve out. */
#include <stdlib.h>
#include <string.h>

#include "memmap.h"
#include "util.h"

void memmap_init(struct mem_map *m) { memset(m, 0, sizeof(*m)); }

void memmap_free(struct mem_map *m)
{
	free(m->r);
	memmap_init(m);
}

int memmap_add(struct mem_map *m, uint64_t start, uint64_t end, uint32_t type)
{
	if (end <= start)
		return 0;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct mem_range *r = kx_realloc(m->r, cap * sizeof(*r));

		if (!r)
			return -1;
		m->r = r;
		m->cap = cap;
	}
	m->r[m->n++] = (struct mem_range){ start, end, type };
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

void memmap_normalize(struct mem_map *m)
{
	size_t i, out = 0;

	if (m->n > 1) /* an empty map has r == NULL, which qsort must not get */
		qsort(m->r, m->n, sizeof(*m->r), cmp_range);
	for (i = 0; i < m->n; i++) {
		struct mem_range *prev = out ? &m->r[out - 1] : NULL;

		if (prev && prev->type == m->r[i].type && m->r[i].start <= prev->end) {
			if (m->r[i].end > prev->end)
				prev->end = m->r[i].end;
			continue;
		}
		m->r[out++] = m->r[i];
	}
	m->n = out;
}

int memmap_exclude(struct mem_map *m, uint64_t start, uint64_t end)
{
	size_t i, n = m->n;

	for (i = 0; i < n; i++) {
		struct mem_range *r = &m->r[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			/* Split: keep the head here, append the tail. */
			uint64_t tail_end = r->end;
			uint32_t type = r->type;

			r->end = start;
			if (memmap_add(m, end, tail_end, type) < 0)
				return -1;
			continue;
		}
		if (r->start < start)
			r->end = start;
		else if (r->end > end)
			r->start = end;
		else
			r->end = r->start; /* fully covered: mark empty */
	}
	/* Drop the emptied ranges. */
	for (i = 0, n = 0; i < m->n; i++)
		if (m->r[i].end > m->r[i].start)
			m->r[n++] = m->r[i];
	m->n = n;
	memmap_normalize(m);
	return 0;
}

static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	{ MEM_RAM, "System RAM" },
	{ MEM_RESERVED, "Reserved" },
	{ MEM_ACPI, "ACPI Tables" },
	{ MEM_NVS, "ACPI Non-volatile Storage" },
	{ MEM_UNUSABLE, "Unusable memory" },
	{ MEM_PMEM, "Persistent Memory" },
	{ MEM_RESERVED_KERN, "Reserved kernel" },
};

const char *memmap_type_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "Reserved";
}

uint32_t memmap_type_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		if (!strcmp(type_names[i].name, name))
			return type_names[i].type;
	if (!strcmp(name, "ACPI Non-volatile"))
		return MEM_NVS;
	if (!strncmp(name, "Persistent Memory", 17))
		return MEM_PMEM;
	return 0;
}
