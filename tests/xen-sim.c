/* Simulated Xen 4.17 KEXEC_CMD_kexec_load validation (see xen-sim.h).
 * Rows of the xen-kexec-abi.md §2 table are checked in table order; the
 * first failure returns, like Xen. Included directly by the tests that
 * use it (the Makefile builds one source per test). */
#include <errno.h>
#include <stddef.h>

#include "xen-sim.h"

#define SIM_PAGE 4096ULL

static int refuse(struct xen_sim_report *r, int step, const char *why, int err)
{
	if (r) {
		r->step = step;
		r->why = why;
	}
	return err;
}

/* The kexec-xen backend passes a NULL buffer handle for map-only segments
 * and for segments without data: only the others are range-checked. */
static bool sim_has_buffer(const struct xen_seg *g)
{
	return g->plan_index >= 0 && g->buf_size > 0;
}

static bool sim_overlap(const struct xen_seg *a, const struct xen_seg *b)
{
	return a->dest < b->dest + b->dest_size && b->dest < a->dest + a->dest_size;
}

/* Pages of [cs, cs+csz) that no segment covers. */
static uint64_t sim_free_crash_pages(const struct xen_seg_list *l, uint64_t cs, uint64_t csz)
{
	uint64_t covered = 0;

	for (unsigned i = 0; i < l->n; i++) {
		const struct xen_seg *g = &l->seg[i];
		uint64_t s = g->dest > cs ? g->dest : cs;
		uint64_t e = g->dest + g->dest_size < cs + csz ? g->dest + g->dest_size : cs + csz;

		if (s < e)
			covered += (e - s) / SIM_PAGE;
	}
	return csz / SIM_PAGE - covered;
}

/* Distinct regions of the given size touched by the segments' pages. */
static uint64_t sim_regions(const struct xen_seg_list *l, uint64_t size)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < l->n; i++) {
		const struct xen_seg *g = &l->seg[i];

		if (!g->dest_size)
			continue;
		for (uint64_t r = g->dest / size; r <= (g->dest + g->dest_size - 1) / size; r++) {
			bool seen = false;

			for (unsigned j = 0; j < i && !seen; j++) {
				const struct xen_seg *h = &l->seg[j];

				seen = h->dest_size && h->dest / size <= r &&
				       r <= (h->dest + h->dest_size - 1) / size;
			}
			n += !seen;
		}
	}
	return n;
}

static uint64_t sim_control_pages(const struct xen_seg_list *l)
{
	return 2 + 1 + sim_regions(l, 1ULL << 39) + sim_regions(l, 1ULL << 30) +
	       sim_regions(l, 1ULL << 21);
}

int xen_sim_load(const struct xen_seg_list *l, uint64_t cs, uint64_t csz,
		 const struct xen_sim_opts *opts, struct xen_sim_report *r)
{
	bool crash = l->type == XEN_SIM_TYPE_CRASH;

	if (r)
		*r = (struct xen_sim_report){ 0, "accepted" };
	if (l->n >= XEN_SIM_SEGMENT_MAX)
		return refuse(r, 2, "nr_segments >= KEXEC_SEGMENT_MAX", -EINVAL);
	if (l->type != XEN_SIM_TYPE_DEFAULT && !crash)
		return refuse(r, 4, "bad type", -EINVAL);
	/* Inclusive upper bound, as Xen has it. */
	if (crash && (l->entry < cs || l->entry > cs + csz))
		return refuse(r, 5, "crash entry outside the crash area", -EADDRNOTAVAIL);
	for (unsigned i = 0; crash && i < l->n; i++) {
		const struct xen_seg *g = &l->seg[i];

		if (sim_has_buffer(g) && (g->dest < cs || g->dest + g->dest_size > cs + csz))
			return refuse(r, 6, "crash segment outside the crash area", -EADDRNOTAVAIL);
	}
	for (unsigned i = 0; i < l->n; i++)
		if (l->seg[i].dest % SIM_PAGE || (l->seg[i].dest + l->seg[i].dest_size) % SIM_PAGE)
			return refuse(r, 7, "destination not page aligned", -EADDRNOTAVAIL);
	for (unsigned i = 0; i < l->n; i++)
		for (unsigned j = i + 1; j < l->n; j++)
			if (sim_overlap(&l->seg[i], &l->seg[j]))
				return refuse(r, 8, "segments overlap", -EINVAL);
	for (unsigned i = 0; i < l->n; i++)
		if (l->seg[i].buf_size > l->seg[i].dest_size)
			return refuse(r, 9, "buf_size > dest_size", -EINVAL);
	if (crash && opts && opts->crash_pages &&
	    sim_free_crash_pages(l, cs, csz) < sim_control_pages(l))
		return refuse(r, 11, "no free crash-area pages for control pages", -ENOMEM);
	if (l->arch != XEN_SIM_EM_386 && l->arch != XEN_SIM_EM_X86_64)
		return refuse(r, 13, "bad arch (checked after loading)", -EINVAL);
	return 0;
}
