/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One pass over the segments' data: a backend stages each segment into
 * the memory it hands to the kernel or the hypervisor, and the same pass
 * feeds purgatory's digest. Sealing writes the digest into purgatory's
 * parameter block (in the plan and in its staged copy); do it after the
 * last segment and before the load syscall/hypercall.
 *
 *	stage_begin(&st, p);
 *	for each segment i: segment_stage(&st, i, dst, len)
 *	                 or segment_stage_mapped(&st, i, src);
 *	stage_seal(&st); stage_end(&st);
 *
 * Purgatory checks the regions in the order they were staged, so a
 * backend may stage in any order. */
#ifndef KEXEC_STAGE_H
#define KEXEC_STAGE_H

#include <stdbool.h>
#include "leaf-digest.h"
#include "plan.h"

struct stage {
	const struct plan *p;
	struct leaf_digest *d;             /* NULL: no digest to compute */
	bool staged[PLAN_MAX_SEGMENTS];
	uint8_t *seal_dst;                 /* staged copy of purgatory, if any */
};

/* Returns 0 or -1 with an error line. */
int stage_begin(struct stage *st, const struct plan *p);
/* Copy segment i's data (bufsz bytes; len, the room at dst, must be
 * that) into dst, reading a file-backed segment once, and digest it on
 * the way. 0 or -1 with an error line. */
int segment_stage(struct stage *st, unsigned i, void *dst, size_t len);
/* The data is already in memory at src, which is the segment's own
 * buffer or a mapping of its file that the kernel will copy: digest it
 * only. 0 or -1 with an error line. */
int segment_stage_mapped(struct stage *st, unsigned i, const void *src);
/* Write the digest and regions into purgatory's parameter block. Every
 * segment the digest covers must have been staged. 0 or -1. */
int stage_seal(struct stage *st);
void stage_end(struct stage *st);

#endif
