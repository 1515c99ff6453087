/* The dump description of a Xen host, from the hypervisor's view. */
#ifndef KEXEC_XEN_DUMP_H
#define KEXEC_XEN_DUMP_H

#include <xenctrl.h>
#include "dump-source.h"
#include "memmap.h"

/* Per-physical-CPU notes (KEXEC_RANGE_MA_CPU until -ERANGE), Xen's
 * vmcoreinfo, dom0's own vmcoreinfo (a machine address in a PV dom0),
 * machine RAM, e_machine from XENVER_capabilities. */
int xen_read_dump(xc_interface *xch, const struct mem_map *machine, struct dump_source *d);

/* Pages Xen takes from the crash area for a capture image's control page,
 * indirection and page tables (one page table per 2 MiB mapped, a few
 * more): keep that much of the area free of segments. */
uint64_t xen_crash_area_reserve(uint64_t crash_size);

#endif
