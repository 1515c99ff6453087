/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a crash dump must contain, as the backend sees the machine: the
 * RAM to dump, the note buffers the crashing system fills (per-CPU
 * registers, vmcoreinfo), and how physical addresses map to the kernel's
 * virtual ones. The x86 crash loader turns it into the ELF core header. */
#ifndef KEXEC_DUMP_SOURCE_H
#define KEXEC_DUMP_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include "crash-elf.h"
#include "memmap.h"

struct dump_source {
	uint16_t e_machine;          /* of the crashed system */
	struct crash_note_buf *notes;/* PT_NOTE buffers, in order */
	size_t nnotes;
	size_t ncpu_notes;           /* how many of them are per-CPU */
	struct mem_map ram;          /* RAM to dump (crash regions not removed yet) */
	uint64_t page_offset;        /* RAM vaddr = page_offset + paddr; 0: no vaddr */
	bool have_text;              /* kernel text mapping (native Linux only) */
	struct crash_load text;
};

int dump_add_note(struct dump_source *d, uint64_t addr, uint64_t size);
void dump_source_free(struct dump_source *d);

#endif
