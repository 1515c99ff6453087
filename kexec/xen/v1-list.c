/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building a v1 indirection list (see private.h). */
#include <inttypes.h>
#include <string.h>

#include "util.h"
#include "private.h"

int xen_v1_select(const struct xen_seg_list *l, struct xen_seg_list *v1)
{
	*v1 = *l;
	v1->n = 0;
	for (unsigned i = 0; i < l->n; i++) {
		const struct xen_seg *g = &l->seg[i];

		if (g->plan_index >= 0) {
			if (g->dest_size)
				v1->seg[v1->n++] = *g;
			continue;
		}
		if (g->dest + g->dest_size > XEN_V1_LOW_MAPPED) {
			kx_error("the v1 ops cannot map 0x%" PRIx64 "-0x%" PRIx64 " for purgatory "
				 "without overwriting it (only 0-1 MiB is mapped): use --xen-ops=v2",
				 g->dest, g->dest + g->dest_size - 1);
			return -1;
		}
	}
	if (v1->n == 0) {
		kx_error("the v1 image has no segment with memory to load");
		return -1;
	}
	return 0;
}

size_t xen_v1_source_pages(const struct xen_seg_list *v1)
{
	size_t n = 0;

	for (unsigned i = 0; i < v1->n; i++)
		n += v1->seg[i].dest_size / PAGE_SIZE_4K;
	return n;
}

/* The last entry of every page is reserved for IND_INDIRECTION or
 * IND_DONE: Xen's walk does not stop at the end of a page. */
size_t xen_v1_list_pages(size_t source_pages, unsigned nseg)
{
	size_t entries = source_pages + nseg;
	size_t per = XEN_V1_WORDS - 1;

	return entries == 0 ? 1 : (entries + per - 1) / per;
}

struct cursor {
	uint64_t *words;
	const uint64_t *list_mfn;
	size_t page, slot;
};

/* Append one entry, chaining to the next list page when this one is full. */
static void put(struct cursor *c, uint64_t entry)
{
	if (c->slot == XEN_V1_WORDS - 1) {
		c->words[c->page * XEN_V1_WORDS + c->slot] =
			c->list_mfn[c->page + 1] * PAGE_SIZE_4K | XEN_V1_IND_INDIRECTION;
		c->page++;
		c->slot = 0;
	}
	c->words[c->page * XEN_V1_WORDS + c->slot++] = entry;
}

int xen_v1_list_fill(const struct xen_seg_list *v1, const uint64_t *src_mfn, size_t nsrc,
		     const uint64_t *list_mfn, size_t nlist, uint64_t *words)
{
	struct cursor c = { words, list_mfn, 0, 0 };
	size_t k = 0;

	if (nsrc != xen_v1_source_pages(v1) || nlist != xen_v1_list_pages(nsrc, v1->n)) {
		kx_error("v1 list: %zu source and %zu list pages do not fit the image", nsrc, nlist);
		return -1;
	}
	memset(words, 0, nlist * PAGE_SIZE_4K);
	for (unsigned i = 0; i < v1->n; i++) {
		put(&c, v1->seg[i].dest | XEN_V1_IND_DESTINATION);
		for (uint64_t off = 0; off < v1->seg[i].dest_size; off += PAGE_SIZE_4K)
			put(&c, src_mfn[k++] * PAGE_SIZE_4K | XEN_V1_IND_SOURCE);
	}
	/* DONE fits: the last page's final slot is never a payload entry. */
	words[c.page * XEN_V1_WORDS + c.slot] = XEN_V1_IND_DONE;
	return 0;
}
