/* Staging memory granted by the hypervisor: machine frames added to dom0's
 * reservation (XENMEM_increase_reservation on DOMID_SELF) and mapped through
 * privcmd. They come from Xen's free memory rather than dom0's, are never
 * swapped or migrated (so Xen can read them during a hypercall), do not
 * count against dom0's RSS, and are given back afterwards. The v1 load
 * path hands their machine addresses to Xen directly. */
#ifndef KEXEC_XEN_FRAMES_H
#define KEXEC_XEN_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

struct xen_frames {
	xen_pfn_t *mfn; /* machine frame numbers, one per page */
	size_t pages;
	void *va;       /* all frames mapped contiguously, read-write */
};

/* Returns 0, or -1 with nothing held (quietly: callers may fall back). */
int xen_frames_alloc(xc_interface *xch, xenforeignmemory_handle *fm, size_t pages,
		     struct xen_frames *f);
/* Unmap and give every frame back to Xen. Safe on a zeroed struct. */
void xen_frames_free(xc_interface *xch, xenforeignmemory_handle *fm, struct xen_frames *f);

/* Frame filter: true for a frame the caller cannot use. */
typedef bool (*xen_frame_bad)(uint64_t mfn, const void *ctx);

/* xen_frames_alloc, but every frame is one bad() accepts: refused frames
 * are held while replacements are asked for, then given back. Returns 0,
 * or -1 with nothing held (quietly). */
int xen_frames_alloc_avoiding(xc_interface *xch, xenforeignmemory_handle *fm, size_t pages,
			      xen_frame_bad bad, const void *ctx, struct xen_frames *f);
/* Unmap and forget the frames but keep them allocated (the hypervisor
 * still uses them; the caller recorded their numbers). */
void xen_frames_keep(xenforeignmemory_handle *fm, struct xen_frames *f);
/* Give frames back by number (no mapping needed). Returns 0, or -1 with
 * an error line. */
int xen_frames_give_back(xc_interface *xch, const uint64_t *mfn, size_t n);

#endif
