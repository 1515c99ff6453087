/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Staging with the digest on the way (see stage.h). */
#include <stdlib.h>
#include <string.h>

#include "leaf-digest.h"
#include "purgatory-abi.h"
#include "stage.h"
#include "util.h"

/* Read in pieces that stay in the CPU's cache until they are digested. */
#define STAGE_CHUNK (256u << 10)

int stage_begin(struct stage *st, const struct plan *p)
{
	memset(st, 0, sizeof(*st));
	st->p = p;
	if (!p->seal)
		return 0;
	p->seal->nregions = 0;
	memset(p->seal->digest, 0, sizeof(p->seal->digest));
	st->d = leaf_digest_new();
	return st->d ? 0 : -1;
}

static bool digested(const struct stage *st, unsigned i)
{
	const struct segment *s = &st->p->seg[i];

	return st->d && !s->no_digest && s->bufsz && !st->staged[i];
}

/* Purgatory hashes its regions in order: record this one next. */
static int add_region(struct stage *st, unsigned i)
{
	struct purgatory_params *pp = st->p->seal;
	const struct segment *s = &st->p->seg[i];

	if (pp->nregions == PURGATORY_MAX_REGIONS) {
		kx_error("too many segments to check (at most %d)", PURGATORY_MAX_REGIONS);
		return -1;
	}
	pp->regions[pp->nregions++] = (struct purgatory_region){ s->mem, s->bufsz };
	return 0;
}

static int staged(struct stage *st, unsigned i, bool dig, void *dst)
{
	if (dig && add_region(st, i) < 0)
		return -1;
	st->staged[i] = true;
	if (st->p->seal && i == st->p->seal_seg)
		st->seal_dst = dst;
	return 0;
}

static int check_index(const struct stage *st, unsigned i)
{
	if (i < st->p->nseg)
		return 0;
	kx_error("internal: staging segment %u of %u", i, st->p->nseg);
	return -1;
}

/* Copy s into out chunk by chunk; the digest follows the reads
 * (leaf-digest.h). */
static int copy_and_digest(struct stage *st, const struct segment *s, uint8_t *out, bool dig)
{
	if (dig && leaf_region_begin(st->d, out, s->bufsz) < 0)
		return -1;
	for (size_t off = 0; off < s->bufsz; off += STAGE_CHUNK) {
		size_t n = s->bufsz - off < STAGE_CHUNK ? s->bufsz - off : STAGE_CHUNK;

		if (segment_read(s, off, out + off, n) < 0 ||
		    (dig && leaf_region_ready(st->d, off + n) < 0)) {
			if (dig)
				(void)leaf_region_end(st->d, true);
			return -1;
		}
	}
	return dig ? leaf_region_end(st->d, false) : 0;
}

/* Data already in memory: its leaves go to the workers at once. */
static int digest_in_place(struct stage *st, const uint8_t *src, size_t len)
{
	if (leaf_region_begin(st->d, src, len) < 0)
		return -1;
	if (leaf_region_ready(st->d, len) < 0) {
		(void)leaf_region_end(st->d, true);
		return -1;
	}
	return leaf_region_end(st->d, false);
}

int segment_stage(struct stage *st, unsigned i, void *dst, size_t len)
{
	const struct segment *s;
	bool dig;

	if (check_index(st, i) < 0)
		return -1;
	s = &st->p->seg[i];
	if (len != s->bufsz) {
		kx_error("internal: %s: %zu bytes of room for %zu bytes of data", s->what, len, s->bufsz);
		return -1;
	}
	dig = digested(st, i);
	if (copy_and_digest(st, s, dst, dig) < 0)
		return -1;
	return staged(st, i, dig, dst);
}

int segment_stage_mapped(struct stage *st, unsigned i, const void *src)
{
	bool dig;

	if (check_index(st, i) < 0)
		return -1;
	dig = digested(st, i);
	if (dig && digest_in_place(st, src, st->p->seg[i].bufsz) < 0)
		return -1;
	/* The kernel copies the segment's own buffer: sealing the plan's
	 * copy is enough. */
	return staged(st, i, dig, NULL);
}

int stage_seal(struct stage *st)
{
	const struct plan *p = st->p;
	struct purgatory_params *pp = p->seal;

	if (!pp)
		return 0;
	for (unsigned i = 0; i < p->nseg; i++)
		if (!st->staged[i] && (i == p->seal_seg || (!p->seg[i].no_digest && p->seg[i].bufsz))) {
			kx_error("internal: the %s segment was not staged before sealing",
				 p->seg[i].what);
			return -1;
		}
	if (leaf_digest_final(st->d, pp->digest) < 0)
		return -1;
	if (st->seal_dst)
		memcpy(st->seal_dst + PURGATORY_PARAMS_OFFSET, pp, sizeof(*pp));
	return 0;
}

void stage_end(struct stage *st)
{
	leaf_digest_free(st->d);
	st->d = NULL;
}
