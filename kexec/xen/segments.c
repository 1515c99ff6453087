/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plan -> Xen segment list, and Xen's validation rules. */
#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "util.h"
#include "private.h"

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static int add_seg(struct xen_seg_list *l, int idx, uint64_t buf_size,
		   uint64_t dest, uint64_t dest_size, const char *what)
{
	if (l->n == XEN_MAX_SEGMENTS) {
		kx_error("Xen takes at most %d segments; the %s would be number %u",
			 XEN_MAX_SEGMENTS, what, l->n + 1);
		return -1;
	}
	l->seg[l->n++] = (struct xen_seg){ idx, buf_size, dest, dest_size };
	return 0;
}

/* Map [s,e) without data, skipping parts that real segments cover. */
static int add_map_only(struct xen_seg_list *l, uint64_t s, uint64_t e)
{
	while (s < e) {
		uint64_t cut = e;

		for (unsigned i = 0; i < l->n; i++) {
			const struct xen_seg *g = &l->seg[i];

			if (g->dest <= s && s < g->dest + g->dest_size) {
				s = g->dest + g->dest_size; /* inside: skip past */
				cut = 0;
				break;
			}
			if (g->dest > s && g->dest < cut)
				cut = g->dest;
		}
		if (cut == 0)
			continue;
		if (add_seg(l, -1, 0, s, cut - s, "extra mapping") < 0)
			return -1;
		s = cut;
	}
	return 0;
}

int xen_segments_build(const struct plan *p, uint64_t crash_start,
		       uint64_t crash_size, struct xen_seg_list *out)
{
	memset(out, 0, sizeof(*out));
	out->entry = p->entry;
	out->type = p->crash ? KEXEC_TYPE_CRASH : KEXEC_TYPE_DEFAULT;
	out->arch = p->arch == EM_386 ? EM_386 : EM_X86_64;
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		if (add_seg(out, (int)i, s->bufsz, s->mem, s->memsz, s->what) < 0)
			return -1;
	}
	for (unsigned i = 0; i < p->ntouch; i++)
		if (add_map_only(out, p->touch[i].start, p->touch[i].end) < 0)
			return -1;
	return xen_segments_check(out, crash_start, crash_size);
}

static int check_one(const struct xen_seg *g, bool crash, uint64_t cs, uint64_t csz)
{
	if ((g->dest | g->dest_size) & (PAGE_SIZE_4K - 1)) {
		kx_error("segment at 0x%" PRIx64 "+0x%" PRIx64 " is not page aligned (Xen needs 4 KiB alignment)",
			 g->dest, g->dest_size);
		return -1;
	}
	if (g->buf_size > g->dest_size) {
		kx_error("segment at 0x%" PRIx64 " has more data (0x%" PRIx64 ") than room (0x%" PRIx64 ")",
			 g->dest, g->buf_size, g->dest_size);
		return -1;
	}
	/* Xen checks only segments with data against the crash area. */
	if (crash && g->plan_index >= 0 &&
	    (g->dest < cs || g->dest + g->dest_size > cs + csz)) {
		kx_error("segment at 0x%" PRIx64 "-0x%" PRIx64 " lies outside Xen's crash area 0x%" PRIx64 "-0x%" PRIx64,
			 g->dest, g->dest + g->dest_size - 1, cs, cs + csz - 1);
		return -1;
	}
	return 0;
}

/* Bytes of [cs, cs+csz) that segments cover (they do not overlap). */
static uint64_t crash_area_used(const struct xen_seg_list *l, uint64_t cs, uint64_t csz)
{
	uint64_t used = 0;

	for (unsigned i = 0; i < l->n; i++) {
		const struct xen_seg *g = &l->seg[i];
		uint64_t s = g->dest > cs ? g->dest : cs;
		uint64_t e = g->dest + g->dest_size < cs + csz ? g->dest + g->dest_size : cs + csz;

		if (s < e)
			used += e - s;
	}
	return used;
}

/* Xen builds a crash image's control page and page tables in crash-area
 * pages no segment covers, and finds out they are missing only after
 * unloading the live image (-ENOMEM): refuse here, saying how much is
 * missing. Growing crashkernel= grows that reserve too, hence the loop. */
static int check_crash_room(const struct xen_seg_list *l, uint64_t cs, uint64_t csz)
{
	uint64_t free = csz - crash_area_used(l, cs, csz);
	uint64_t need = xen_crash_area_reserve(csz), grow;

	if (free >= need)
		return 0;
	for (grow = ALIGN_UP(need - free, MiB); free + grow < xen_crash_area_reserve(csz + grow);
	     grow += MiB)
		;
	kx_error("crash image needs %" PRIu64 " KiB more of Xen's crash area, where Xen builds its page tables "
		 "(crashkernel= too small by %" PRIu64 " MiB, or load a smaller kernel or initrd)",
		 (need - free) >> 10, grow >> 20);
	return -1;
}

int xen_segments_check(const struct xen_seg_list *l, uint64_t cs, uint64_t csz)
{
	bool crash = l->type == KEXEC_TYPE_CRASH;

	if (l->n == 0 || l->n > XEN_MAX_SEGMENTS) {
		kx_error("Xen takes 1 to %d segments, not %u", XEN_MAX_SEGMENTS, l->n);
		return -1;
	}
	if (l->arch != EM_386 && l->arch != EM_X86_64) {
		kx_error("Xen cannot enter an image of ELF machine %u", l->arch);
		return -1;
	}
	if (crash && csz == 0) {
		kx_error("Xen has no crash area: boot Xen with crashkernel=...");
		return -1;
	}
	if (crash && (l->entry < cs || l->entry > cs + csz)) {
		kx_error("entry 0x%" PRIx64 " lies outside Xen's crash area", l->entry);
		return -1;
	}
	for (unsigned i = 0; i < l->n; i++) {
		if (check_one(&l->seg[i], crash, cs, csz) < 0)
			return -1;
		for (unsigned j = 0; j < i; j++)
			if (overlaps(l->seg[i].dest, l->seg[i].dest_size,
				     l->seg[j].dest, l->seg[j].dest_size)) {
				kx_error("segments at 0x%" PRIx64 " and 0x%" PRIx64 " overlap",
					 l->seg[j].dest, l->seg[i].dest);
				return -1;
			}
	}
	if (crash && check_crash_room(l, cs, csz) < 0)
		return -1;
	if (l->arch == EM_386 && l->entry >= (1ULL << 32)) {
		kx_error("a 32-bit entry must lie below 4 GiB (entry 0x%" PRIx64 ")", l->entry);
		return -1;
	}
	return 0;
}

/* Slack for what xen_image_pages cannot see (Xen's own allocations while
 * loading): 4 MiB. */
#define XEN_ROOM_SLACK 1024

uint64_t xen_image_pages(const struct xen_seg_list *l)
{
	uint64_t pages = 0;

	if (l->type == KEXEC_TYPE_CRASH)
		return 0;
	for (unsigned i = 0; i < l->n; i++)
		pages += (l->seg[i].dest_size + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;
	/* 8-byte entries, 512 a page, and the control page. */
	return pages + pages / 511 + 2;
}

int xen_room_check(const struct xen_seg_list *l, uint64_t free_pages,
		   uint64_t staging_pages, bool *frames_ok)
{
	uint64_t need = xen_image_pages(l);

	/* Xen may need up to twice the image while loading it (pages it
	 * allocates that turn out to be destinations are set aside; measured:
	 * 324 MiB free were not enough for 196 MiB): frames are lent only
	 * beyond that. Below once the image, the load is refused. */
	*frames_ok = free_pages >= 2 * need + staging_pages + XEN_ROOM_SLACK;
	if (need == 0 || free_pages >= need + XEN_ROOM_SLACK)
		return 0;
	kx_error("Xen has %" PRIu64 " MiB free, and holding this image takes %" PRIu64
		 " MiB of it: not loading (a kexec load that runs out of hypervisor memory crashes"
		 " Xen 4.17; unloading a loaded image first frees its share)",
		 free_pages / 256, (need + XEN_ROOM_SLACK) / 256);
	return -1;
}
