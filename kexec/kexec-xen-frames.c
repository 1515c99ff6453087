/* Hypervisor-granted staging frames (see xen-frames.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"
#include "xen-frames.h"

int xen_frames_alloc(xc_interface *xch, xenforeignmemory_handle *fm, size_t pages,
		     struct xen_frames *f)
{
	int *err = NULL;

	memset(f, 0, sizeof(*f));
	f->mfn = calloc(pages, sizeof(*f->mfn));
	err = calloc(pages, sizeof(*err));
	if (!f->mfn || !err)
		goto fail;
	if (xc_domain_increase_reservation_exact(xch, DOMID_SELF, pages, 0, 0, f->mfn) < 0) {
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
