/* A simulated kexec_op hypercall layer for the interface choice and the v1
 * ops, written from xen-kexec-abi.md §1.3, §4.2, §4.3 and §8 (not from
 * kexec/xen-v1.c or kexec/xen-ops.c). It behaves like one of:
 *   4.3     only v1 (pre-4.4 contract: stored, never validated; unknown
 *           ops return 0 and do nothing);
 *   4.4.0   v1 re-implemented but destinations unmapped: the load
 *           "succeeds", the image faults when executed;
 *   4.17    v1 and v2; unknown ops return 0;
 *   4.22    v1 and v2; unknown ops return -EOPNOTSUPP;
 *   4.23    (master) v1 removed: -EOPNOTSUPP.
 * A 4.3 v1 load with a page_list (simv1_load_v1_pl) is stored as given,
 * with Xen's fixmap VA written into each odd entry, and nothing checked.
 * A v1 load walks the indirection list like Xen >= 4.4 and records the
 * page copied to each destination, so a test can compare the image that
 * would boot with the one it meant. Header-only: the Makefile links each
 * test on its own. */
#ifndef TESTS_XEN_SIM_V1_H
#define TESTS_XEN_SIM_V1_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "xen-segments.h"

enum simv1_xen { SIMV1_4_3, SIMV1_4_4_0, SIMV1_4_17, SIMV1_4_22, SIMV1_4_23 };

#define SIMV1_CMD_EXEC 0
#define SIMV1_CMD_LOAD_V1 1
#define SIMV1_CMD_UNLOAD_V1 2
#define SIMV1_CMD_LOAD 4
#define SIMV1_CMD_UNLOAD 5
#define SIMV1_CMD_STATUS 6
#define SIMV1_PAGE 4096ULL
#define SIMV1_MAX_DEST 4096 /* destination pages recorded */
#define SIMV1_NO_PAGES 17   /* KEXEC_XEN_NO_PAGES */
/* A Xen-like fixmap: slots count down from the top of Xen's VA range. */
#define SIMV1_FIXADDR_TOP 0xffff82cfffe00000ULL
#define SIMV1_FIX_KEXEC_BASE 40

/* What Xen < 4.4 keeps of a v1 load until exec or unload. */
struct simv1_stored {
	bool set;
	uint64_t ind, entry;
	uint64_t page_list[SIMV1_NO_PAGES];
};

struct simv1_copy {
	uint64_t dest;      /* page address */
	const uint8_t *src; /* the dom0 page Xen copied from */
};

struct simv1 {
	enum simv1_xen xen;
	/* dom0's machine memory: frames base..base+n-1, each 4 KiB. */
	uint8_t *frames;
	uint64_t base, n;
	bool loaded[2];      /* an image that boots */
	bool broken[2];      /* "loaded", but faults when executed */
	struct simv1_copy copy[SIMV1_MAX_DEST];
	unsigned ncopy;
	unsigned nseg;       /* segments found by the first walk */
	const char *why;     /* why the last call was refused */
	struct simv1_stored stored[2]; /* 4.3 only */
	unsigned which[2];   /* 4.3: which of the two slots per type is next */
};

static inline const uint8_t *simv1_frame(struct simv1 *s, uint64_t maddr)
{
	uint64_t mfn = maddr / SIMV1_PAGE;

	return mfn >= s->base && mfn < s->base + s->n ?
	       s->frames + (mfn - s->base) * SIMV1_PAGE : NULL;
}

static inline int simv1_refuse(struct simv1 *s, const char *why, int err)
{
	s->why = why;
	return err;
}

/* An op this hypervisor does not have. */
static inline int simv1_unknown(struct simv1 *s)
{
	return s->xen >= SIMV1_4_22 ? simv1_refuse(s, "unknown op", -EOPNOTSUPP) : 0;
}

/* Xen >= 4.4's walk of a v1 list (§4.2): both walks at once. */
static inline int simv1_walk(struct simv1 *s, uint64_t ind)
{
	const uint64_t *page = (const uint64_t *)simv1_frame(s, ind & ~(SIMV1_PAGE - 1));
	uint64_t cursor = 0, run_end = 1; /* 1: no destination yet */
	unsigned slot = 0;

	s->ncopy = s->nseg = 0;
	for (;;) {
		uint64_t e, addr;

		if (!page)
			return simv1_refuse(s, "list page not in dom0 memory", -EFAULT);
		/* Xen has no end-of-page check: it would read the next page of
		 * its mapping; the simulator calls that out. */
		if (slot == SIMV1_PAGE / 8)
			return simv1_refuse(s, "list page ran off its end", -EFAULT);
		e = page[slot++];
		addr = e & ~(SIMV1_PAGE - 1);
		switch (e & 0xf) {
		case 1:
			if (addr != run_end && ++s->nseg > 16)
				return simv1_refuse(s, "more than 16 segments", -EINVAL);
			cursor = run_end = addr;
			break;
		case 2:
			page = (const uint64_t *)simv1_frame(s, addr);
			slot = 0;
			break;
		case 4:
			return 0;
		case 8:
			if (run_end == 1)
				return simv1_refuse(s, "source before destination", -EINVAL);
			if (!simv1_frame(s, addr))
				return simv1_refuse(s, "source page not owned by dom0", -EFAULT);
			if (s->ncopy == SIMV1_MAX_DEST)
				return simv1_refuse(s, "simulator: too many pages", -ENOMEM);
			s->copy[s->ncopy++] = (struct simv1_copy){ cursor, simv1_frame(s, addr) };
			cursor += SIMV1_PAGE;
			run_end = cursor;
			break;
		default:
			return simv1_refuse(s, "bad indirection flags", -EINVAL);
		}
	}
}

static inline int simv1_load_v1(struct simv1 *s, int type, uint64_t ind, uint64_t entry)
{
	int rc;

	(void)entry;
	if (s->xen == SIMV1_4_23)
		return simv1_refuse(s, "v1 removed", -EOPNOTSUPP);
	if (type != 0 && type != 1)
		return simv1_refuse(s, "bad type", -EINVAL);
	if (s->xen == SIMV1_4_3) {
		/* Stored as given: it runs dom0's relocation code from
		 * page_list[], which a user-space caller cannot supply. */
		s->loaded[type] = false;
		s->broken[type] = true;
		return 0;
	}
	rc = simv1_walk(s, ind);
	if (rc)
		return rc;
	s->loaded[type] = s->xen != SIMV1_4_4_0;
	s->broken[type] = s->xen == SIMV1_4_4_0;
	return 0;
}

/* The VA Xen < 4.4 gives page_list entry k (even) of a slot. */
static inline uint64_t simv1_fixmap_va(unsigned slot, unsigned k)
{
	return SIMV1_FIXADDR_TOP - (SIMV1_FIX_KEXEC_BASE + slot * 8 + k / 2 + 1) * SIMV1_PAGE;
}

/* A v1 load carrying page_list. Xen < 4.4 validates nothing and copies
 * nothing: it stores the image, maps each even entry's machine address
 * and writes the VA into the odd entry (§4.3); later ones ignore it. */
static inline int simv1_load_v1_pl(struct simv1 *s, int type, uint64_t ind, uint64_t entry,
				   const uint64_t page_list[SIMV1_NO_PAGES])
{
	struct simv1_stored *st;
	unsigned slot;

	if (s->xen != SIMV1_4_3)
		return simv1_load_v1(s, type, ind, entry);
	if (type != 0 && type != 1)
		return simv1_refuse(s, "bad type", -EINVAL);
	st = &s->stored[type];
	slot = (unsigned)type * 2 + s->which[type];
	s->which[type] ^= 1;
	st->set = true;
	st->ind = ind;
	st->entry = entry;
	memcpy(st->page_list, page_list, sizeof(st->page_list));
	for (unsigned k = 0; k + 1 < SIMV1_NO_PAGES; k += 2)
		st->page_list[k + 1] = simv1_fixmap_va(slot, k);
	s->loaded[type] = true;
	s->broken[type] = false;
	return 0;
}

static inline int simv1_unload(struct simv1 *s, int cmd, int type)
{
	if (cmd == SIMV1_CMD_UNLOAD && s->xen == SIMV1_4_3)
		return simv1_unknown(s);
	if (cmd == SIMV1_CMD_UNLOAD_V1 && s->xen == SIMV1_4_23)
		return simv1_refuse(s, "v1 removed", -EOPNOTSUPP);
	if (type != 0 && type != 1)
		return simv1_refuse(s, "bad type", -EINVAL);
	s->loaded[type] = s->broken[type] = false;
	if (s->xen == SIMV1_4_3)
		s->stored[type].set = false;
	return 0;
}

/* A v2 load (validation is tests/xen-sim.c's business). */
static inline int simv1_load_v2(struct simv1 *s, const struct xen_seg_list *l)
{
	if (s->xen == SIMV1_4_3)
		return simv1_unknown(s);
	s->loaded[l->type] = true;
	s->broken[l->type] = false;
	return 0;
}

/* Any other op number. */
static inline int simv1_op(struct simv1 *s, int cmd)
{
	if (cmd == SIMV1_CMD_STATUS && s->xen >= SIMV1_4_17)
		return 0;
	return simv1_unknown(s);
}

#endif
