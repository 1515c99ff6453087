/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hypervisor-granted staging frames (see private.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"
#include "private.h"

/* Ask Xen for exactly want frames. A partial grant is given straight
 * back: the _exact wrapper would keep it, lost to the host. */
static int reserve_exact(xc_interface *xch, size_t want, xen_pfn_t *mfn)
{
	int got = xc_domain_increase_reservation(xch, DOMID_SELF, want, 0, 0, mfn);

	if (got >= 0 && (size_t)got == want)
		return 0;
	if (got > 0 && xc_domain_decrease_reservation_exact(xch, DOMID_SELF, (unsigned long)got, 0, mfn) < 0)
		kx_error("could not give %d staging frames back to Xen: hypervisor memory is lost until reboot",
			 got);
	return -1;
}

int xen_frames_alloc(xc_interface *xch, xenforeignmemory_handle *fm, size_t pages,
		     struct xen_frames *f)
{
	int *err = NULL;

	memset(f, 0, sizeof(*f));
	f->mfn = calloc(pages, sizeof(*f->mfn));
	err = calloc(pages, sizeof(*err));
	if (!f->mfn || !err)
		goto fail;
	if (reserve_exact(xch, pages, f->mfn) < 0) {
		kx_debug("xen: no %zu free frames in the hypervisor for staging", pages);
		goto fail;
	}
	f->pages = pages;
	f->va = xenforeignmemory_map(fm, DOMID_SELF, PROT_READ | PROT_WRITE, pages, f->mfn, err);
	if (!f->va) {
		kx_debug("xen: cannot map %zu staging frames", pages);
		goto fail;
	}
	free(err);
	return 0;
fail:
	free(err);
	xen_frames_free(xch, fm, f);
	return -1;
}

void xen_frames_free(xc_interface *xch, xenforeignmemory_handle *fm, struct xen_frames *f)
{
	if (f->va)
		xenforeignmemory_unmap(fm, f->va, f->pages);
	/* Frames not given back would be lost to the host until it reboots. */
	if (f->pages && xc_domain_decrease_reservation_exact(xch, DOMID_SELF, f->pages, 0, f->mfn) < 0)
		kx_error("could not give %zu staging frames back to Xen: hypervisor memory is lost until reboot",
			 f->pages);
	free(f->mfn);
	memset(f, 0, sizeof(*f));
}

/* One round: ask for want frames, sort them into good (appended at
 * good[*ngood]) and bad (appended at held[*nheld]). */
static int take_round(xc_interface *xch, size_t want, xen_frame_bad bad, const void *ctx,
		      xen_pfn_t *good, size_t *ngood, xen_pfn_t *held, size_t *nheld)
{
	xen_pfn_t *got = calloc(want, sizeof(*got));

	if (!got || reserve_exact(xch, want, got) < 0) {
		free(got);
		return -1;
	}
	for (size_t i = 0; i < want; i++) {
		if (bad(got[i], ctx))
			held[(*nheld)++] = got[i];
		else
			good[(*ngood)++] = got[i];
	}
	free(got);
	return 0;
}

/* Rounds before giving up: each refused frame is kept out of the next
 * round, so only a host almost out of other memory needs many. */
#define AVOID_ROUNDS 16

int xen_frames_alloc_avoiding(xc_interface *xch, xenforeignmemory_handle *fm, size_t pages,
			      xen_frame_bad bad, const void *ctx, struct xen_frames *f)
{
	xen_pfn_t *held = calloc(pages * AVOID_ROUNDS, sizeof(*held));
	int *err = calloc(pages, sizeof(*err));
	size_t nheld = 0;
	int rounds = 0;

	memset(f, 0, sizeof(*f));
	f->mfn = calloc(pages, sizeof(*f->mfn));
	if (!held || !err || !f->mfn)
		goto fail;
	while (f->pages < pages && rounds++ < AVOID_ROUNDS)
		if (take_round(xch, pages - f->pages, bad, ctx, f->mfn, &f->pages, held, &nheld) < 0)
			break;
	if (f->pages < pages) {
		kx_debug("xen: no %zu usable free frames in the hypervisor", pages);
		goto fail;
	}
	f->va = xenforeignmemory_map(fm, DOMID_SELF, PROT_READ | PROT_WRITE, pages, f->mfn, err);
	if (!f->va) {
		kx_debug("xen: cannot map %zu frames", pages);
		goto fail;
	}
	if (nheld)
		kx_debug("xen: %zu frames inside destinations were refused", nheld);
	xen_frames_give_back(xch, held, nheld);
	free(held);
	free(err);
	return 0;
fail:
	if (held)
		xen_frames_give_back(xch, held, nheld);
	free(held);
	free(err);
	xen_frames_free(xch, fm, f);
	return -1;
}

void xen_frames_keep(xenforeignmemory_handle *fm, struct xen_frames *f)
{
	if (f->va)
		xenforeignmemory_unmap(fm, f->va, f->pages);
	free(f->mfn);
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
