/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Multiboot header: magic, flags and checksum at a 4-byte boundary
 * within the first 8 KiB, then the address fields when flag 16 is set. */
#include <string.h>

#include "file-types.h"
#include "multiboot.h"

/* Requirement bits (0-15) this loader honours: page-aligned modules and
 * memory information. A video mode (bit 2) cannot be set from Linux. */
#define MB1_HF_KNOWN_REQS (MB1_HF_PAGE_ALIGN | MB1_HF_MEMINFO)

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static const char *check_flags(uint32_t flags)
{
	if (flags & MB1_HF_VIDEO)
		return "the multiboot header asks for a video mode, which kexec cannot set";
	if (flags & 0xffffu & ~MB1_HF_KNOWN_REQS)
		return "the multiboot header has requirement flags kexec does not know";
	return NULL;
}

const char *mb1_header_parse(const void *buf, size_t len, struct mb1_header *h)
{
	const uint8_t *b = buf;
	size_t limit = len < MB1_SEARCH_LEN ? len : MB1_SEARCH_LEN;

	memset(h, 0, sizeof(*h));
	for (size_t off = 0; off + 12 <= limit; off += 4) {
		const uint8_t *p = b + off;

		if (rd32(p) != MB1_HEADER_MAGIC ||
		    (uint32_t)(MB1_HEADER_MAGIC + rd32(p + 4) + rd32(p + 8)) != 0)
			continue;
		h->off = off;
		h->flags = rd32(p + 4);
		if (!(h->flags & MB1_HF_ADDRESS))
			return check_flags(h->flags);
		if (off + 32 > len)
			return "truncated multiboot header address fields";
		h->addr = (struct mb_addr_fields){ rd32(p + 12), rd32(p + 16), rd32(p + 20), rd32(p + 24) };
		h->entry = rd32(p + 28);
		return check_flags(h->flags);
	}
	return NOT_THIS_KIND;
}
