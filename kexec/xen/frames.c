/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hypervisor-granted staging frames (see private.h). Every grant goes
 * through the frame record (frame-record.c), so no frame is ever held
 * where a later run could not find it. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"
#include "private.h"

/* Room for the numbers and slots of pages frames. */
static int frames_arrays(size_t pages, struct xen_frames *f)
{
	memset(f, 0, sizeof(*f));
	f->mfn = calloc(pages ? pages : 1, sizeof(*f->mfn));
	f->slot = calloc(pages ? pages : 1, sizeof(*f->slot));
	return f->mfn && f->slot ? 0 : -1;
}

static int frames_map(const struct xen_handles *h, struct xen_frames *f)
{
	int *err = calloc(f->pages ? f->pages : 1, sizeof(*err));

	if (err)
		f->va = xenforeignmemory_map(h->fmem, DOMID_SELF, PROT_READ | PROT_WRITE, f->pages,
					     f->mfn, err);
	free(err);
	if (!f->va)
		kx_debug("xen: cannot map %zu staging frames", f->pages);
	return f->va ? 0 : -1;
}

int xen_frames_alloc(const struct xen_handles *h, size_t pages, struct xen_frames *f)
{
	uint64_t *slot;

	if (frames_arrays(pages, f) < 0)
		goto fail;
	slot = xen_record_grant(h->rec, h->xcall, h->xch, pages);
	if (!slot) {
		kx_debug("xen: no %zu free frames in the hypervisor for staging", pages);
		goto fail;
	}
	for (size_t i = 0; i < pages; i++) {
		f->mfn[i] = slot[i];
		f->slot[i] = &slot[i];
	}
	f->pages = pages;
	if (frames_map(h, f) == 0)
		return 0;
fail:
	xen_frames_free(h, f);
	return -1;
}

void xen_frames_free(const struct xen_handles *h, struct xen_frames *f)
{
	if (f->va)
		xenforeignmemory_unmap(h->fmem, f->va, f->pages);
	xen_record_give_back_list(h->xch, f->slot, f->pages, h->rec);
	free(f->mfn);
	free(f->slot);
	memset(f, 0, sizeof(*f));
}

/* One round: ask for want frames, sort them into good (appended to f) and
 * bad (their slots appended at held[*nheld]). */
static int take_round(const struct xen_handles *h, size_t want, xen_frame_bad bad,
		      const void *ctx, struct xen_frames *f, uint64_t **held, size_t *nheld)
{
	uint64_t *slot = xen_record_grant(h->rec, h->xcall, h->xch, want);

	if (!slot)
		return -1;
	for (size_t i = 0; i < want; i++) {
		if (bad(slot[i], ctx)) {
			held[(*nheld)++] = &slot[i];
			continue;
		}
		f->mfn[f->pages] = slot[i];
		f->slot[f->pages++] = &slot[i];
	}
	return 0;
}

/* Rounds before giving up: each refused frame is kept out of the next
 * round, so only a host almost out of other memory needs many. */
#define AVOID_ROUNDS 16

int xen_frames_alloc_avoiding(const struct xen_handles *h, size_t pages, xen_frame_bad bad,
			      const void *ctx, struct xen_frames *f)
{
	uint64_t **held = calloc(pages * AVOID_ROUNDS + 1, sizeof(*held));
	size_t nheld = 0;
	int rounds = 0, rc = -1;

	if (frames_arrays(pages, f) < 0 || !held)
		goto out;
	while (f->pages < pages && rounds++ < AVOID_ROUNDS)
		if (take_round(h, pages - f->pages, bad, ctx, f, held, &nheld) < 0)
			break;
	if (f->pages < pages)
		kx_debug("xen: no %zu usable free frames in the hypervisor", pages);
	else if (frames_map(h, f) == 0)
		rc = 0;
	if (nheld)
		kx_debug("xen: %zu frames inside destinations were refused", nheld);
out:
	xen_record_give_back_list(h->xch, held, nheld, h->rec);
	free(held);
	if (rc < 0)
		xen_frames_free(h, f);
	return rc;
}

void xen_frames_keep(const struct xen_handles *h, struct xen_frames *f)
{
	if (f->va)
		xenforeignmemory_unmap(h->fmem, f->va, f->pages);
	/* Out of the record: the v1 state file lists them now. */
	for (size_t i = 0; i < f->pages; i++)
		*f->slot[i] = 0;
	free(f->mfn);
	free(f->slot);
	memset(f, 0, sizeof(*f));
}

int xen_frames_give_back(xc_interface *xch, const uint64_t *mfn, size_t n)
{
	xen_pfn_t *m;
	int rc = 0;

	if (n == 0)
		return 0;
	m = calloc(n, sizeof(*m));
	for (size_t i = 0; m && i < n; i++)
		m[i] = mfn[i];
	if (!m || xc_domain_decrease_reservation_exact(xch, DOMID_SELF, n, 0, m) < 0) {
		kx_error("could not give %zu frames back to Xen: hypervisor memory is lost until reboot", n);
		rc = -1;
	}
	free(m);
	return rc;
}
