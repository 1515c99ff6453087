/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hypercall side of the v1 load (see private.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/kexec.h>

#include "private.h"
#include "stage.h"
#include "util.h"

_Static_assert(KEXEC_XEN_NO_PAGES == XEN_V1_PRE44_NO_PAGES, "page_list size");

static uint64_t *mfns_of(const struct xen_frames *f)
{
	uint64_t *m = kx_calloc(f->pages, sizeof(*m));

	for (size_t i = 0; m && i < f->pages; i++)
		m[i] = f->mfn[i];
	return m;
}

static bool in_dest(uint64_t mfn, const void *v1)
{
	return xen_v1_pre44_in_dest(v1, mfn);
}

/* avoid: the v1 view whose destinations the frames must stay out of, or
 * NULL when Xen copies the image itself (>= 4.4). */
static int grant(const struct xen_handles *h, size_t pages, const char *what,
		 const struct xen_seg_list *avoid, struct xen_frames *f)
{
	int rc = avoid ? xen_frames_alloc_avoiding(h, pages, in_dest, avoid, f)
		       : xen_frames_alloc(h, pages, f);

	if (rc == 0)
		return 0;
	kx_error("cannot get %zu frames (%zu KiB) from Xen for the v1 %s", pages, pages * 4, what);
	return -1;
}

/* Each segment's data, then zeros up to its destination size. One pass:
 * each file is read once, into the frames, and digested on the way;
 * purgatory is sealed in the frames before any hypercall. */
static int copy_sources(const struct plan *p, const struct xen_seg_list *v1, uint8_t *va)
{
	struct stage st;
	int rc = stage_begin(&st, p);

	for (unsigned i = 0; rc == 0 && i < v1->n; i++) {
		const struct xen_seg *g = &v1->seg[i];

		if (g->buf_size)
			rc = segment_stage(&st, (unsigned)g->plan_index, va, g->buf_size);
		memset(va + g->buf_size, 0, g->dest_size - g->buf_size);
		va += g->dest_size;
	}
	if (rc == 0)
		rc = stage_seal(&st);
	stage_end(&st);
	return rc;
}

static int build_list(const struct xen_handles *h, const struct xen_seg_list *v1,
		      struct xen_v1_image *img)
{
	size_t nlist = xen_v1_list_pages(img->src.pages, v1->n);
	uint64_t *src = NULL, *list = NULL;
	int rc = -1;

	if (grant(h, nlist, "indirection list", img->pre44 ? v1 : NULL, &img->list) < 0)
		return -1;
	src = mfns_of(&img->src);
	list = mfns_of(&img->list);
	if (src && list)
		rc = xen_v1_list_fill(v1, src, img->src.pages, list, nlist, img->list.va);
	free(src);
	free(list);
	return rc;
}

/* The identity map must reach every machine frame: Xen's highest RAM
 * frame, and any destination above it (none should be). */
static int map_top(const struct xen_handles *h, const struct xen_seg_list *v1, uint64_t *top)
{
	unsigned long max_mfn = 0;
	uint64_t end;

	if (xc_maximum_ram_page(h->xch, &max_mfn) < 0) {
		kx_error("cannot read the highest machine frame from Xen: %s", strerror(errno));
		return -1;
	}
	end = ((uint64_t)max_mfn + 1) * PAGE_SIZE_4K;
	for (unsigned i = 0; i < v1->n; i++)
		if (v1->seg[i].dest + v1->seg[i].dest_size > end)
			end = v1->seg[i].dest + v1->seg[i].dest_size;
	*top = xen_v1_pre44_top(end);
	return 0;
}

/* Control page with our relocation code, and the tables it switches to. */
static int build_control(const struct xen_handles *h, const struct xen_seg_list *v1,
			 struct xen_v1_image *img)
{
	uint64_t top, *mfn;
	int rc;

	if (map_top(h, v1, &top) < 0 ||
	    grant(h, xen_v1_pre44_pages(top), "control page and page tables", v1, &img->ctl) < 0)
		return -1;
	mfn = mfns_of(&img->ctl);
	rc = mfn ? xen_v1_pre44_fill(top, mfn, img->ctl.pages, img->ctl.va, img->page_list) : -1;
	free(mfn);
	if (rc == 0)
		kx_debug("xen: v1 control page at 0x%" PRIx64 ", identity map of 0-0x%" PRIx64
			 " in %zu frames", img->page_list[XEN_V1_PL_CONTROL], top - 1,
			 img->ctl.pages);
	return rc;
}

int xen_v1_stage(const struct xen_handles *h, const struct plan *p,
		 const struct xen_seg_list *l, bool pre44, struct xen_v1_image *img)
{
	struct xen_seg_list v1;

	memset(img, 0, sizeof(*img));
	img->entry = l->entry;
	img->type = l->type;
	img->pre44 = pre44;
	if (xen_v1_select(l, &v1) < 0 ||
	    grant(h, xen_v1_source_pages(&v1), "image", pre44 ? &v1 : NULL, &img->src) < 0)
		return -1;
	if (copy_sources(p, &v1, img->src.va) < 0 || build_list(h, &v1, img) < 0 ||
	    (pre44 && build_control(h, &v1, img) < 0)) {
		xen_v1_release(h, img);
		return -1;
	}
	kx_debug("xen: v1 image staged in %zu frames, indirection list in %zu",
		 img->src.pages, img->list.pages);
	return 0;
}

int xen_v1_held(const struct xen_v1_image *img, uint64_t **mfn, size_t *n)
{
	const struct xen_frames *f[] = { &img->src, &img->list, &img->ctl };
	size_t k = 0;

	*n = img->src.pages + img->list.pages + img->ctl.pages;
	*mfn = kx_calloc(*n ? *n : 1, sizeof(**mfn));
	if (!*mfn)
		return -1;
	for (unsigned j = 0; j < 3; j++)
		for (size_t i = 0; i < f[j]->pages; i++)
			(*mfn)[k++] = f[j]->mfn[i];
	return 0;
}

void xen_v1_keep(const struct xen_handles *h, struct xen_v1_image *img)
{
	xen_frames_keep(h, &img->ctl);
	xen_frames_keep(h, &img->list);
	xen_frames_keep(h, &img->src);
}

/* One kexec_op call with a v1 argument in hypercall-safe memory. */
static int v1_op(const struct xen_handles *h, int cmd, int type, uint64_t ind, uint64_t entry,
		 const uint64_t *page_list)
{
	xen_kexec_load_v1_t *arg = xencall_alloc_buffer(h->xcall, sizeof(*arg));
	int rc, err;

	if (!arg)
		return -1;
	memset(arg, 0, sizeof(*arg));
	arg->type = type;
	arg->image.indirection_page = ind;
	arg->image.start_address = entry;
	for (unsigned i = 0; page_list && i < XEN_V1_PRE44_NO_PAGES; i++)
		arg->image.page_list[i] = page_list[i];
	rc = xencall2(h->xcall, __HYPERVISOR_kexec_op, cmd, (uint64_t)(uintptr_t)arg);
	err = errno;
	xencall_free_buffer(h->xcall, arg);
	errno = err;
	return rc < 0 ? -1 : 0;
}

int xen_v1_submit(const struct xen_handles *h, const struct xen_v1_image *img)
{
	return v1_op(h, KEXEC_CMD_kexec_load_v1, img->type,
		     (uint64_t)img->list.mfn[0] * PAGE_SIZE_4K, img->entry,
		     img->pre44 ? img->page_list : NULL);
}

void xen_v1_release(const struct xen_handles *h, struct xen_v1_image *img)
{
	xen_frames_free(h, &img->ctl);
	xen_frames_free(h, &img->list);
	xen_frames_free(h, &img->src);
}

int xen_v1_unload(const struct xen_handles *h, int type)
{
	return v1_op(h, KEXEC_CMD_kexec_unload_v1, type, 0, 0, NULL);
}
