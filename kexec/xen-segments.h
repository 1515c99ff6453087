/* Turning a segment plan into the segment list Xen's KEXEC_CMD_kexec_load
 * accepts, and checking it against every rule Xen enforces before any
 * hypercall is made (Xen reports most violations with one errno, and for
 * crash images only after overwriting the live image). */
#ifndef KEXEC_XEN_SEGMENTS_H
#define KEXEC_XEN_SEGMENTS_H

#include <stdbool.h>
#include <stdint.h>
#include "plan.h"

/* Xen rejects nr_segments >= KEXEC_SEGMENT_MAX (16). */
#define XEN_MAX_SEGMENTS 15

struct xen_seg {
	int plan_index;     /* index into plan->seg, or -1 for map-only */
	uint64_t buf_size;  /* bytes of data (0 for map-only) */
	uint64_t dest;      /* machine address, page aligned */
	uint64_t dest_size; /* page aligned */
};

struct xen_seg_list {
	struct xen_seg seg[XEN_MAX_SEGMENTS];
	unsigned n;
	uint64_t entry;
	uint8_t type;  /* KEXEC_TYPE_DEFAULT / KEXEC_TYPE_CRASH */
	uint16_t arch; /* EM_X86_64 / EM_386 */
};

/* Convert. crash_start/crash_size describe KEXEC_RANGE_MA_CRASH (0/0 if
 * none). Map-only segments are added for the plan's touch ranges, split
 * around real segments. Returns 0, or -1 with an error line in words. */
int xen_segments_build(const struct plan *p, uint64_t crash_start,
		       uint64_t crash_size, struct xen_seg_list *out);

/* Check a list against Xen's load rules (count, alignment, overlap,
 * buf_size <= dest_size, crash containment of data and entry). Returns 0
 * or -1 with an error line. */
int xen_segments_check(const struct xen_seg_list *l, uint64_t crash_start,
		       uint64_t crash_size);

#endif
