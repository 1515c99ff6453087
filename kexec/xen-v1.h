/* The image a KEXEC_CMD_kexec_load_v1 call describes: an indirection list
 * (ABI reference §4.1) of machine addresses naming, page by page, where
 * each source page goes. Pure: it works on frame numbers handed in, so
 * it can be tested without a hypervisor (kexec-xen-v1.c does the rest). */
#ifndef KEXEC_XEN_V1_H
#define KEXEC_XEN_V1_H

#include <stddef.h>
#include <stdint.h>
#include "xen-segments.h"

#define XEN_V1_IND_DESTINATION 0x1ULL
#define XEN_V1_IND_INDIRECTION 0x2ULL
#define XEN_V1_IND_DONE 0x4ULL
#define XEN_V1_IND_SOURCE 0x8ULL
#define XEN_V1_PAGE 4096ULL
#define XEN_V1_WORDS (XEN_V1_PAGE / 8) /* entries per list page */
/* Xen >= 4.4.3 maps 0-1 MiB for every v1 image itself. */
#define XEN_V1_LOW_MAPPED 0x100000ULL

/* The v1 view of a v2 segment list: every data segment is kept and will be
 * staged over its whole destination (v1 maps only destinations it gets
 * pages for); map-only segments are dropped when they lie below 1 MiB and
 * refused otherwise (v1 cannot map memory without overwriting it).
 * Returns 0, or -1 with an error line. */
int xen_v1_select(const struct xen_seg_list *l, struct xen_seg_list *v1);

/* Source pages the v1 view needs (sum of dest_size / 4 KiB). */
size_t xen_v1_source_pages(const struct xen_seg_list *v1);

/* List pages needed for that many source pages in nseg segments. */
size_t xen_v1_list_pages(size_t source_pages, unsigned nseg);

/* Write the list into words (list_pages * XEN_V1_WORDS entries, the pages
 * back to back). src_mfn: the frame of each source page, in segment order;
 * list_mfn: the frame each list page will be read from. Returns 0, or -1
 * with an error line when the counts do not match. */
int xen_v1_list_fill(const struct xen_seg_list *v1, const uint64_t *src_mfn, size_t nsrc,
		     const uint64_t *list_mfn, size_t nlist, uint64_t *words);

#endif
