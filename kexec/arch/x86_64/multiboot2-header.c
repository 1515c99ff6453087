/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Multiboot2 header: found at an 8-byte boundary within the first
 * 32 KiB, followed by 8-byte aligned tags up to an end tag. */
#include <string.h>

#include "file-types.h"
#include "multiboot2.h"

#define TAG_OPTIONAL 1

enum {
	HT_END = 0,
	HT_INFO_REQUEST = 1,
	HT_ADDRESS = 2,
	HT_ENTRY = 3,
	HT_CONSOLE = 4,
	HT_FRAMEBUFFER = 5,
	HT_MODULE_ALIGN = 6,
	HT_EFI_BS = 7,
	HT_ENTRY_EFI32 = 8,
	HT_ENTRY_EFI64 = 9,
	HT_RELOCATABLE = 10,
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static bool info_type_supported(uint32_t t)
{
	return t == MB2_TAG_END || t == MB2_TAG_CMDLINE || t == MB2_TAG_LOADER_NAME ||
	       t == MB2_TAG_MODULE || t == MB2_TAG_BASIC_MEMINFO || t == MB2_TAG_MMAP ||
	       t == MB2_TAG_ACPI_OLD || t == MB2_TAG_ACPI_NEW || t == MB2_TAG_LOAD_BASE;
}

static const char *info_request(const uint8_t *t, uint32_t size, bool optional)
{
	for (uint32_t off = 8; off + 4 <= size; off += 4)
		if (!optional && !info_type_supported(rd32(t + off)))
			return "the image requires boot information kexec cannot give "
			       "(video, EFI, SMBIOS, APM, boot device or ELF sections)";
	return NULL;
}

static const char *reloc_tag(const uint8_t *t, uint32_t size, struct mb2_header *h)
{
	if (size < 24)
		return "truncated relocatable tag in the multiboot2 header";
	h->reloc_min = rd32(t + 8);
	h->reloc_max = rd32(t + 12);
	h->reloc_align = rd32(t + 16);
	h->reloc_pref = rd32(t + 20);
	if (h->reloc_min > h->reloc_max || h->reloc_pref > MB2_PREF_HIGH ||
	    (h->reloc_align & (h->reloc_align - 1)))
		return "bad relocatable tag in the multiboot2 header";
	h->relocatable = true;
	return NULL;
}

static const char *one_tag(const uint8_t *t, uint16_t type, uint32_t size, bool optional,
			   struct mb2_header *h)
{
	switch (type) {
	case HT_INFO_REQUEST:
		return info_request(t, size, optional);
	case HT_ADDRESS:
		if (size < 24)
			return "truncated address tag in the multiboot2 header";
		h->addr = (struct mb_addr_fields){ rd32(t + 8), rd32(t + 12), rd32(t + 16), rd32(t + 20) };
		h->has_addr = true;
		return NULL;
	case HT_ENTRY:
		if (size < 12)
			return "truncated entry address tag in the multiboot2 header";
		h->entry = rd32(t + 8);
		h->has_entry = true;
		return NULL;
	case HT_RELOCATABLE:
		return reloc_tag(t, size, h);
	case HT_CONSOLE:
	case HT_MODULE_ALIGN:  /* modules are always page aligned */
	case HT_ENTRY_EFI32:   /* only used when booted from EFI */
	case HT_ENTRY_EFI64:
		return NULL;
	default:
		return optional ? NULL
				: "the multiboot2 header requires a feature kexec does not have "
				  "(video mode or EFI boot services)";
	}
}

static const char *parse_tags(const uint8_t *b, size_t hlen, struct mb2_header *h)
{
	size_t off = 16;

	while (off + 8 <= hlen) {
		uint16_t type = rd16(b + off), flags = rd16(b + off + 2);
		uint32_t size = rd32(b + off + 4);
		const char *why;

		if (size < 8 || size > hlen - off)
			return "bad tag size in the multiboot2 header";
		if (type == HT_END)
			return NULL;
		why = one_tag(b + off, type, size, flags & TAG_OPTIONAL, h);
		if (why)
			return why;
		off += (size + 7) & ~(size_t)7;
	}
	return "the multiboot2 header has no end tag";
}

const char *mb2_header_parse(const void *buf, size_t len, struct mb2_header *h)
{
	const uint8_t *b = buf;
	size_t limit = len < MB2_SEARCH_LEN ? len : MB2_SEARCH_LEN;

	memset(h, 0, sizeof(*h));
	for (size_t off = 0; off + 16 <= limit; off += 8) {
		uint32_t arch, hlen;

		if (rd32(b + off) != MB2_HEADER_MAGIC)
			continue;
		arch = rd32(b + off + 4);
		hlen = rd32(b + off + 8);
		if ((uint32_t)(MB2_HEADER_MAGIC + arch + hlen + rd32(b + off + 12)) != 0)
			continue; /* a stray magic number, not a header */
		if (arch != MB2_ARCH_I386)
			return "multiboot2 header for another architecture (not i386)";
		if (hlen < 24 || hlen > len - off)
			return "bad multiboot2 header length";
		h->off = off;
		return parse_tags(b + off, hlen, h);
	}
	return NOT_THIS_KIND;
}
