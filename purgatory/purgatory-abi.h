/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The contract between the loader and our purgatory blob.
 *
 * The blob is a flat, position-independent binary. Byte 0 is the entry
 * point (a jump over the parameter block); the parameter block sits at
 * PURGATORY_PARAMS_OFFSET and is filled in by the loader before the blob is
 * placed. The blob is excluded from the digest because it carries it.
 * Included by freestanding purgatory code and by the host loader alike. */
#ifndef PURGATORY_ABI_H
#define PURGATORY_ABI_H

#include <stdint.h>

#define PURGATORY_PARAMS_OFFSET 16
#define PURGATORY_MAGIC 0x5947524f47525550ULL /* "PURGORGY" */
#define PURGATORY_VERSION 2
#define PURGATORY_MAX_REGIONS 16
/* The image digest is a two-level SHA-256: each region is cut into leaves
 * of this many bytes (a region's last leaf may be shorter), and the digest
 * is the SHA-256 of the leaves' SHA-256s, region by region, in order.
 * Leaves are independent, so the loader digests them on several threads;
 * purgatory walks them in order at the cost of one extra block per leaf. */
#define PURGATORY_LEAF_SIZE (1u << 20)

/* How purgatory enters the next image. */
#define PURGATORY_ENTRY_64 0 /* 64-bit long mode, regs64 */
#define PURGATORY_ENTRY_32 1 /* 32-bit protected mode, paging off, regs32 */

struct purgatory_region {
	uint64_t start;
	uint64_t len;
};

struct purgatory_regs64 {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
};

struct purgatory_regs32 {
	uint32_t eax, ebx, ecx, edx, esi, edi, esp, ebp;
	uint32_t eip;
	uint32_t pad;
};

struct purgatory_params {
	uint64_t magic;           /* PURGATORY_MAGIC, checked by the loader */
	uint32_t version;         /* PURGATORY_VERSION */
	uint32_t size;            /* sizeof(struct purgatory_params) */
	uint64_t blob_memsz;      /* bytes the blob needs in memory (incl. stack) */

	uint8_t digest[32];       /* over regions[0..nregions), PURGATORY_LEAF_SIZE */
	struct purgatory_region regions[PURGATORY_MAX_REGIONS];
	uint32_t nregions;
	uint8_t skip_checks;      /* -i */
	uint8_t panic_kernel;     /* crash image: do the backup copy */
	uint8_t entry_mode;       /* PURGATORY_ENTRY_* */
	uint8_t preserve_context; /* --load-preserve-context */

	/* Console (--console-serial/--console-vga/--serial/--serial-baud). */
	uint8_t console_serial;
	uint8_t console_vga;
	uint8_t reset_vga;
	uint8_t pad0;
	uint16_t serial_base;
	uint16_t pad1;
	uint32_t serial_baud;     /* 0: keep the current divisor */

	/* Crash images: copy backup_size bytes from backup_src to backup_dst. */
	uint64_t backup_src;
	uint64_t backup_dst;
	uint64_t backup_size;

	/* With preserve_context: append " kexec_jump_back_entry=0x..." at
	 * this physical address (the command line's NUL), if non-zero. */
	uint64_t cmdline_end;

	struct purgatory_regs64 regs64;
	struct purgatory_regs32 regs32;
};

#endif
