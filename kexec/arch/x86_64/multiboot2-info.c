/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Multiboot2 boot information: total size, then 8-byte aligned tags,
 * ending with an end tag. */
#include <stdlib.h>
#include <string.h>

#include "multiboot2.h"
#include "util.h"

struct writer {
	uint8_t *buf;
	size_t len, cap;
	bool failed;
};

static void put(struct writer *w, const void *data, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n > w->cap) {
		size_t cap = (w->len + n) * 2 + 256;
		uint8_t *nb = kx_realloc(w->buf, cap);

		if (!nb) {
			w->failed = true;
			return;
		}
		memset(nb + w->cap, 0, cap - w->cap);
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, data, n);
	w->len += n;
}

static void put32(struct writer *w, uint32_t v)
{
	put(w, &v, 4);
}

static void put64(struct writer *w, uint64_t v)
{
	put(w, &v, 8);
}

/* Start a tag; returns where its size goes (filled by tag_end). */
static size_t tag_begin(struct writer *w, uint32_t type)
{
	size_t at = w->len;

	put32(w, type); /* u16 type, u16 flags = 0 */
	put32(w, 0);
	return at;
}

static void tag_end(struct writer *w, size_t at)
{
	uint32_t size = (uint32_t)(w->len - at);
	static const uint8_t zero[8];

	if (w->failed)
		return;
	memcpy(w->buf + at + 4, &size, 4);
	put(w, zero, ALIGN_UP(w->len, 8) - w->len);
}

static void string_tag(struct writer *w, uint32_t type, const char *s)
{
	size_t at = tag_begin(w, type);

	put(w, s, strlen(s) + 1);
	tag_end(w, at);
}

static void module_tags(struct writer *w, const struct mb_modules *mods)
{
	for (int i = 0; mods && i < mods->n; i++) {
		size_t at = tag_begin(w, MB2_TAG_MODULE);

		put32(w, (uint32_t)mods->m[i].start);
		put32(w, (uint32_t)mods->m[i].end);
		put(w, mods->m[i].cmdline, strlen(mods->m[i].cmdline) + 1);
		tag_end(w, at);
	}
}

static void memory_tags(struct writer *w, const struct mem_map *ram)
{
	uint32_t lower, upper;
	size_t at;

	mb_mem_sizes(ram, &lower, &upper);
	at = tag_begin(w, MB2_TAG_BASIC_MEMINFO);
	put32(w, lower);
	put32(w, upper);
	tag_end(w, at);
	at = tag_begin(w, MB2_TAG_MMAP);
	put32(w, 24); /* entry size */
	put32(w, 0);  /* entry version */
	for (size_t i = 0; i < ram->n; i++) {
		put64(w, ram->r[i].start);
		put64(w, ram->r[i].end - ram->r[i].start);
		put32(w, mb_mmap_type(ram->r[i].type));
		put32(w, 0);
	}
	tag_end(w, at);
}

static void acpi_tags(struct writer *w, const uint8_t *rsdp, size_t len)
{
	size_t at;

	if (!rsdp || len < 20)
		return;
	at = tag_begin(w, MB2_TAG_ACPI_OLD);
	put(w, rsdp, 20);
	tag_end(w, at);
	if (len <= 20)
		return;
	at = tag_begin(w, MB2_TAG_ACPI_NEW);
	put(w, rsdp, len);
	tag_end(w, at);
}

int mb2_info_build(const struct mb2_info_input *in, uint8_t **buf, size_t *len)
{
	struct writer w = { 0 };
	uint32_t total;
	size_t at;

	put64(&w, 0); /* total size and reserved, filled below */
	string_tag(&w, MB2_TAG_CMDLINE, in->cmdline);
	string_tag(&w, MB2_TAG_LOADER_NAME, in->loader_name);
	module_tags(&w, in->mods);
	memory_tags(&w, in->ram);
	acpi_tags(&w, in->rsdp, in->rsdp_len);
	if (in->has_load_base) {
		at = tag_begin(&w, MB2_TAG_LOAD_BASE);
		put32(&w, in->load_base);
		tag_end(&w, at);
	}
	at = tag_begin(&w, MB2_TAG_END);
	tag_end(&w, at);
	if (w.failed) {
		free(w.buf);
		return -1;
	}
	total = (uint32_t)w.len;
	memcpy(w.buf, &total, 4);
	*buf = w.buf;
	*len = w.len;
	return 0;
}
