/* A simulated KEXEC_CMD_kexec_load: Xen 4.17's validation of a segment
 * list, written independently from xen-kexec-abi.md §2 (not from
 * kexec/xen-segments.c), so the two can be checked against each other
 * without a hypervisor. */
#ifndef TESTS_XEN_SIM_H
#define TESTS_XEN_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include "xen-segments.h"

#define XEN_SIM_SEGMENT_MAX 16 /* KEXEC_SEGMENT_MAX */
#define XEN_SIM_TYPE_DEFAULT 0
#define XEN_SIM_TYPE_CRASH 1
#define XEN_SIM_EM_386 3
#define XEN_SIM_EM_X86_64 62

struct xen_sim_report {
	int step;        /* the §2 table row that refused, 0 if accepted */
	const char *why; /* short description of that row */
};

struct xen_sim_opts {
	/* Also model rows 10-11 for crash images: Xen takes its control,
	 * indirection and page-table pages from crash-area pages that no
	 * segment covers (an estimate: 2 + one per 2 MiB, 1 GiB and 512 GiB
	 * region touched + the L4). Off by default: it is an estimate. */
	bool crash_pages;
};

/* The crash area is KEXEC_RANGE_MA_CRASH (0/0 when Xen has none).
 * Returns 0 or the negative errno Xen would return; r may be NULL. */
int xen_sim_load(const struct xen_seg_list *l, uint64_t crash_start, uint64_t crash_size,
		 const struct xen_sim_opts *opts, struct xen_sim_report *r);

#endif
