/* The hypercall side of the v1 load (see kexec-xen-v1.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/kexec.h>

#include "kexec-xen-v1.h"
#include "util.h"
#include "xen-v1.h"

static uint64_t *mfns_of(const struct xen_frames *f)
{
	uint64_t *m = kx_calloc(f->pages, sizeof(*m));

	for (size_t i = 0; m && i < f->pages; i++)
		m[i] = f->mfn[i];
	return m;
}

static int grant(const struct xen_v1_handles *h, size_t pages, const char *what,
		 struct xen_frames *f)
{
	if (xen_frames_alloc(h->xch, h->fmem, pages, f) == 0)
		return 0;
	kx_error("cannot get %zu frames (%zu KiB) from Xen for the v1 %s", pages, pages * 4, what);
	return -1;
}

/* Each segment's data, then zeros up to its destination size. */
static int copy_sources(const struct plan *p, const struct xen_seg_list *v1, uint8_t *va)
{
	for (unsigned i = 0; i < v1->n; i++) {
		const struct xen_seg *g = &v1->seg[i];

		if (g->buf_size &&
		    segment_read(&p->seg[g->plan_index], 0, va, g->buf_size) < 0)
			return -1;
		memset(va + g->buf_size, 0, g->dest_size - g->buf_size);
		va += g->dest_size;
	}
	return 0;
}

static int build_list(const struct xen_v1_handles *h, const struct xen_seg_list *v1,
		      struct xen_v1_image *img)
{
	size_t nlist = xen_v1_list_pages(img->src.pages, v1->n);
	uint64_t *src = NULL, *list = NULL;
	int rc = -1;

	if (grant(h, nlist, "indirection list", &img->list) < 0)
		return -1;
	src = mfns_of(&img->src);
	list = mfns_of(&img->list);
	if (src && list)
		rc = xen_v1_list_fill(v1, src, img->src.pages, list, nlist, img->list.va);
	free(src);
	free(list);
	return rc;
}

int xen_v1_stage(const struct xen_v1_handles *h, const struct plan *p,
		 const struct xen_seg_list *l, struct xen_v1_image *img)
{
	struct xen_seg_list v1;

	memset(img, 0, sizeof(*img));
	img->entry = l->entry;
	img->type = l->type;
	if (xen_v1_select(l, &v1) < 0 ||
	    grant(h, xen_v1_source_pages(&v1), "image", &img->src) < 0)
		return -1;
	if (copy_sources(p, &v1, img->src.va) < 0 || build_list(h, &v1, img) < 0) {
		xen_v1_release(h, img);
		return -1;
	}
	kx_debug("xen: v1 image staged in %zu frames, indirection list in %zu",
		 img->src.pages, img->list.pages);
	return 0;
}

/* One kexec_op call with a v1 argument in hypercall-safe memory. */
static int v1_op(const struct xen_v1_handles *h, int cmd, int type, uint64_t ind, uint64_t entry)
{
	xen_kexec_load_v1_t *arg = xencall_alloc_buffer(h->xcall, sizeof(*arg));
	int rc, err;

	if (!arg)
		return -1;
	memset(arg, 0, sizeof(*arg));
	arg->type = type;
	arg->image.indirection_page = ind;
	arg->image.start_address = entry;
	rc = xencall2(h->xcall, __HYPERVISOR_kexec_op, cmd, (uint64_t)(uintptr_t)arg);
	err = errno;
	xencall_free_buffer(h->xcall, arg);
	errno = err;
	return rc < 0 ? -1 : 0;
}

int xen_v1_submit(const struct xen_v1_handles *h, const struct xen_v1_image *img)
{
	return v1_op(h, KEXEC_CMD_kexec_load_v1, img->type,
		     (uint64_t)img->list.mfn[0] * XEN_V1_PAGE, img->entry);
}

void xen_v1_release(const struct xen_v1_handles *h, struct xen_v1_image *img)
{
	xen_frames_free(h->xch, h->fmem, &img->list);
	xen_frames_free(h->xch, h->fmem, &img->src);
}

int xen_v1_unload(const struct xen_v1_handles *h, int type)
{
	return v1_op(h, KEXEC_CMD_kexec_unload_v1, type, 0, 0);
}
