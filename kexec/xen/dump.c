/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Crash dump description from the hypervisor (see private.h). */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "util.h"
#include "private.h"
#include "sysfs-dump.h"

#define MAX_PCPUS 8192 /* beyond any x86 Xen's nr_cpu_ids */

uint64_t xen_crash_area_reserve(uint64_t crash_size)
{
	uint64_t pages = 32 + crash_size / (2 * MiB);

	return ALIGN_UP(pages * PAGE_SIZE_4K, MiB);
}

/* Count CPUs by asking until Xen says -ERANGE: an offline CPU still has a
 * note buffer, and a hole in the numbering must not end the list. */
static int read_cpu_notes(xc_interface *xch, struct dump_source *d)
{
	for (int nr = 0; nr < MAX_PCPUS; nr++) {
		unsigned long size = 0, start = 0;

		if (xc_kexec_get_range(xch, KEXEC_RANGE_MA_CPU, nr, &size, &start) < 0) {
			if (errno == ERANGE)
				break;
			kx_error("Xen did not give the crash note of CPU %d: %s", nr,
				 errno == EINVAL ? "no crash area (boot Xen with crashkernel=)" : strerror(errno));
			return -1;
		}
		if (size && dump_add_note(d, start, size) < 0)
			return -1;
	}
	d->ncpu_notes = d->nnotes;
	if (d->nnotes == 0) {
		kx_error("Xen reported no CPU crash notes");
		return -1;
	}
	return 0;
}

static uint16_t xen_e_machine(xc_interface *xch)
{
	xen_capabilities_info_t caps;

	memset(caps, 0, sizeof(caps));
	if (xc_version(xch, XENVER_capabilities, caps) < 0)
		return EM_X86_64;
	return strstr(caps, "x86_64") ? EM_X86_64 : EM_386;
}

int xen_read_dump(xc_interface *xch, const struct mem_map *machine, struct dump_source *d)
{
	unsigned long size = 0, start = 0;
	uint64_t dom0_addr, dom0_size;

	memset(d, 0, sizeof(*d));
	memmap_init(&d->ram);
	d->e_machine = xen_e_machine(xch);
	if (read_cpu_notes(xch, d) < 0)
		goto fail;
	if (xc_kexec_get_range(xch, KEXEC_RANGE_MA_VMCOREINFO, 0, &size, &start) == 0 && size &&
	    dump_add_note(d, start, size) < 0)
		goto fail;
	/* Beyond upstream: dom0's own vmcoreinfo lets dump tools find dom0's
	 * log. In a PV dom0 sysfs reports its machine address. */
	if (sysfs_vmcoreinfo("", &dom0_addr, &dom0_size) < 0 ||
	    (dom0_size && dump_add_note(d, dom0_addr, dom0_size) < 0))
		goto fail;
	for (size_t i = 0; i < machine->n; i++)
		if (machine->r[i].type == MEM_RAM &&
		    memmap_add(&d->ram, machine->r[i].start, machine->r[i].end, MEM_RAM) < 0)
			goto fail;
	memmap_normalize(&d->ram);
	return 0;
fail:
	dump_source_free(d);
	return -1;
}
