/* The part of a v1 image only Xen before 4.4 needs (xen-kexec-abi.md §4.3):
 * a control page holding our relocation code (xen-v1-reloc.S), the page
 * tables that code switches to, the page_list[] naming them by machine
 * address, and a state file remembering every frame the image holds,
 * because Xen < 4.4 reads them at exec time and they must stay allocated
 * until the image is unloaded or replaced, possibly by another run of
 * this program. Pure: works on frame numbers and mappings handed in, so
 * it is testable without a hypervisor (kexec-xen-v1.c does the rest). */
#ifndef KEXEC_XEN_V1_OLD_H
#define KEXEC_XEN_V1_OLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xen-segments.h"

/* page_list[] of x86_64 (KEXEC_XEN_NO_PAGES entries). Even: machine
 * address we give; odd: Xen's fixmap VA of the entry before, written by
 * Xen at load time. 16: root of the identity map (no VA). */
#define XEN_V1_OLD_NO_PAGES 17
#define XEN_V1_PL_CONTROL 0
#define XEN_V1_PL_PGD 2
#define XEN_V1_PL_PUD_0 4
#define XEN_V1_PL_PMD_0 6
#define XEN_V1_PL_PTE_0 8
#define XEN_V1_PL_TABLE 16

/* Frames of the control block, in this order: control page, PGD (also
 * the identity-map root), PUD_0, PMD_0, PTE_0 (left zero, for the run-time
 * mapping of Xen's VA), then the identity map's L3 pages, then its L2s. */
#define XEN_V1_OLD_F_CONTROL 0
#define XEN_V1_OLD_F_PGD 1
#define XEN_V1_OLD_F_PUD0 2
#define XEN_V1_OLD_F_PMD0 3
#define XEN_V1_OLD_F_PTE0 4
#define XEN_V1_OLD_F_IDENT 5

#define XEN_V1_OLD_GIB (1ULL << 30)
#define XEN_V1_OLD_L3_SPAN (1ULL << 39)
/* The identity map must stay in the lower half (L4 slots 0-255), which
 * Xen never uses for its fixmap. */
#define XEN_V1_OLD_MAX_TOP (1ULL << 47)

#define XEN_V1_STATE_DIR "/run/kexec-ng"

/* The relocation code (kexec/xen-v1-reloc.S). */
extern const char xen_v1_reloc_start[], xen_v1_reloc_end[];

/* End of the identity map: max_addr (exclusive) rounded up to 1 GiB. */
uint64_t xen_v1_old_top(uint64_t max_addr);

/* Frames the control block needs for an identity map up to top. */
size_t xen_v1_old_pages(uint64_t top);

/* Fill the control block: va maps its n frames (mfn[i]) back to back.
 * Writes the relocation code, the identity map of 0..top with 2 MiB
 * pages, and page_list. Returns 0, or -1 with an error line. */
int xen_v1_old_fill(uint64_t top, const uint64_t *mfn, size_t n, void *va,
		    uint64_t page_list[XEN_V1_OLD_NO_PAGES]);

/* Whether machine frame mfn lies in a destination of v1: such a frame
 * would be overwritten while the relocation code still reads it. */
bool xen_v1_old_in_dest(const struct xen_seg_list *v1, uint64_t mfn);

/* dir/xen-v1-<default|crash>.mfns. Returns 0, or -1 with an error line. */
int xen_v1_state_path(const char *dir, int type, char *buf, size_t len);

/* Write the frame list atomically, readable by root only (the directory
 * is created 0700). Returns 0, or -1 with an error line. */
int xen_v1_state_write(const char *path, const uint64_t *mfn, size_t n);

/* Read it back into a new array (free it). Returns 0, 1 when there is
 * no state file (nothing held), or -1 with an error line. */
int xen_v1_state_read(const char *path, uint64_t **mfn, size_t *n);

/* Remove it. Returns 0 (also when absent), or -1 with an error line. */
int xen_v1_state_remove(const char *path);

#endif
