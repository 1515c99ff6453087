/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image tests/xen-v1-reloc/mkimage builds on the host with the real
 * loader code (kexec/xen/v1-list.c, kexec/xen/v1-pre44.c) and the harness places
 * in guest memory: a header, then `bytes` of machine memory that belong
 * at `base` (indirection list, source pages, control block). */
#ifndef XEN_V1_RELOC_IMAGE_H
#define XEN_V1_RELOC_IMAGE_H

#include <stdint.h>

#define RIMG_MAGIC 0x31764e4558474d49ULL /* "IMGXENv1" */
#define RIMG_BASE 0x8000000ULL           /* 128 MiB: clear of every destination */
#define RIMG_HDR 4096ULL                 /* the image starts one page in */
#define RIMG_MAX_SEG 4
#define RIMG_NO_PAGES 17

struct rimg_seg {
	uint64_t dest, size;
};

struct rimg_hdr {
	uint64_t magic, base, bytes;
	uint64_t ind; /* machine address of the first list page */
	uint64_t page_list[RIMG_NO_PAGES]; /* as built; odd entries 0 */
	uint64_t nseg;
	struct rimg_seg seg[RIMG_MAX_SEG];
};

/* What every destination byte must hold after the relocation. */
static inline uint8_t rimg_pattern(uint64_t addr)
{
	return (uint8_t)((addr >> 12) * 29 + (addr & 0xfff) * 7 + 1);
}

#endif
