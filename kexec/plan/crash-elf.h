/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ELF core header ("elfcorehdr") a capture kernel reads to build
 * /proc/vmcore: program headers only, no data. Built from a description
 * of the crashed system that a backend fills in (RAM ranges, per-CPU note
 * buffers, vmcoreinfo notes, kernel text); no file access here. */
#ifndef KEXEC_CRASH_ELF_H
#define KEXEC_CRASH_ELF_H

#include <stddef.h>
#include <stdint.h>

struct crash_note_buf {
	uint64_t addr; /* physical (machine) address of the note bytes */
	uint64_t size;
};

struct crash_load {
	uint64_t paddr;  /* physical start */
	uint64_t size;
	uint64_t vaddr;  /* virtual address in the dump (0 when unknown/none) */
	uint64_t offset; /* where the bytes are at capture time (paddr unless
			  * relocated, e.g. the low-memory backup copy) */
	int alias;       /* a second view of memory another PT_LOAD already
			  * dumps (the kernel text mapping): not an overlap */
};

struct crash_desc {
	uint16_t e_machine;        /* EM_X86_64 (62) or EM_386 (3) */
	int elf_class;             /* 64 (default) or 32 */
	struct crash_note_buf *notes; /* PT_NOTE: per-CPU buffers, vmcoreinfo... */
	size_t nnotes;
	struct crash_load *loads;  /* PT_LOAD, in the order given */
	size_t nloads;
};

/* Build the header into a malloc'ed buffer (size rounded up to 1 KiB so
 * the capture kernel can find it with elfcorehdr=). Ranges that do not
 * fit ELF32 fail with an error line when elf_class is 32. Returns 0 or -1. */
int crash_elf_build(const struct crash_desc *d, void **buf, size_t *len);

/* Limits of crash_elf_build: the capture kernel reads e_phnum as is (no
 * PN_XNUM extension), and the buffer is a multiple of 1 KiB. */
#define CRASH_ELF_MAX_PHDRS 65534
#define CRASH_ELF_ALIGN 1024

/* Remove [start, end) from a list of RAM PT_LOAD ranges (e.g. the crash
 * region), splitting a range when the hole is in its middle. A cut head
 * advances offset, and vaddr when it is not 0, by the amount removed.
 * *loads may be reallocated. start >= end is a no-op. Returns 0 or -1
 * after an error line (list unchanged). */
int crash_ranges_exclude(struct crash_load **loads, size_t *n, uint64_t start, uint64_t end);

/* Count the notes named name (exact, NUL included in namesz) with type
 * type in an ELF note buffer (12-byte headers, name and desc padded to 4
 * bytes). As the capture kernel does, a note with namesz 0 or fewer than
 * 12 bytes left ends the walk. A note running past len is an error:
 * returns -1 after an error line, else 0 and *count. */
int crash_note_desc_count(const void *buf, size_t len, const char *name, uint32_t type,
			  size_t *count);

#endif
