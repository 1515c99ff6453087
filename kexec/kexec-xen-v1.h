/* Loading through KEXEC_CMD_kexec_load_v1 from user space (ABI reference
 * §4.5): the image is staged in frames Xen grants dom0, listed by machine
 * address in an indirection list (xen-v1.h), and handed over; Xen >= 4.4
 * copies what it needs during the call, so every frame goes back at once.
 * Xen < 4.4 ("old", §4.3) copies nothing and runs our relocation code
 * from a control page at exec time (xen-v1-old.h): its frames avoid every
 * destination and stay allocated until the image is unloaded. */
#ifndef KEXEC_KEXEC_XEN_V1_H
#define KEXEC_KEXEC_XEN_V1_H

#include <stdbool.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

#include "plan.h"
#include "xen-frames.h"
#include "xen-segments.h"

struct xen_v1_handles {
	xc_interface *xch;
	xencall_handle *xcall;
	xenforeignmemory_handle *fmem;
};

struct xen_v1_image {
	struct xen_frames src;  /* every destination page, data then zeros */
	struct xen_frames list; /* the indirection list */
	struct xen_frames ctl;  /* old only: control page and page tables */
	uint64_t page_list[17]; /* old only: what Xen < 4.4 reads */
	uint64_t entry;
	int type;
	bool old;
};

/* Stage plan p (converted to l) in fresh frames; old: for Xen < 4.4.
 * Returns 0, or -1 after an error line with nothing held. */
int xen_v1_stage(const struct xen_v1_handles *h, const struct plan *p,
		 const struct xen_seg_list *l, bool old, struct xen_v1_image *img);
/* Every frame the image holds, in a new array (free it). Returns 0 or -1. */
int xen_v1_held(const struct xen_v1_image *img, uint64_t **mfn, size_t *n);
/* Unmap but keep every frame (Xen < 4.4 reads them at exec time). */
void xen_v1_keep(const struct xen_v1_handles *h, struct xen_v1_image *img);
/* KEXEC_CMD_kexec_load_v1. Returns 0, or -1 with errno (Xen's). */
int xen_v1_submit(const struct xen_v1_handles *h, const struct xen_v1_image *img);
/* Give every frame back. Safe on a zeroed or released image. */
void xen_v1_release(const struct xen_v1_handles *h, struct xen_v1_image *img);
/* KEXEC_CMD_kexec_unload_v1. Returns 0, or -1 with errno. */
int xen_v1_unload(const struct xen_v1_handles *h, int type);

#endif
