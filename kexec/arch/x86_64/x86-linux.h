/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pieces shared by the x86_64 Linux loaders (bzImage64, ELF --args-linux):
 * initrd placement, the zero page (boot_params) and command line, and the
 * 64-bit entry through purgatory. */
#ifndef X86_LINUX_H
#define X86_LINUX_H

#include <stdint.h>
#include "options.h"
#include "plan.h"

struct linux_params {
	/* Setup header bytes from the bzImage (offset 0x1f1 up to the end
	 * of the header), or NULL (ELF vmlinux: a minimal header is built). */
	const uint8_t *setup_hdr;
	size_t setup_hdr_len;
	uint32_t cmdline_size;   /* max command line length (excl. NUL) */
	uint32_t initrd_addr_max;/* highest initrd byte allowed (inclusive) */
	bool initrd_above_4g_ok; /* XLF_CAN_BE_LOADED_ABOVE_4G */
	bool efi_handover_ok;    /* XLF_EFI_KEXEC */
	const char *cmdline;     /* final command line */
	uint64_t initrd_addr, initrd_size;
	const struct mem_map *e820; /* NULL: the machine's map */
};

/* A capture kernel's extras (see x86-crash.c). */
struct crash_setup {
	uint64_t backup_src, backup_size, backup_dst; /* low-memory backup */
	uint64_t elfcorehdr;     /* address of the ELF core header */
	uint64_t elfcorehdr_size;
	struct mem_map e820;     /* the capture kernel's memory map */
	char *cmdline;           /* user's command line + elfcorehdr= ... */
};

/* For a crash plan, after the kernel and initrd are placed: place the
 * backup area and the ELF core header in the crash region, build the
 * capture kernel's memory map and command line. */
int x86_crash_prepare(struct plan *p, const struct options *o, const char *cmdline,
		      struct crash_setup *cs);
void x86_crash_free(struct crash_setup *cs);

/* Before placing anything: does a capture kernel of this size (kernel
 * memory + initrd) fit the crash region? Says how much is needed if not. */
int x86_crash_check_room(const struct plan *p, const char *kernel, uint64_t kernel_memsz,
			 const char *initrd);

/* Open the --initrd file and place it (page aligned, >= 16 MiB when it
 * fits, below the limit). The data stays in the file (file-backed
 * segment). size 0 and no segment when no initrd was given. */
int x86_place_initrd(struct plan *p, const struct options *o,
		     uint64_t limit_inclusive, bool above_4g_ok,
		     uint64_t *addr, uint64_t *size);

/* Build and place the zero page + command line (+ setup_data for e820
 * beyond 128 entries, ACPI RSDP, EFI info). *bp_addr gets the address. */
int x86_place_boot_params(struct plan *p, const struct options *o,
			  const struct linux_params *lp, uint64_t *bp_addr);

/* Place purgatory and set it to enter a 64-bit Linux kernel at entry with
 * boot_params at bp_addr (and, for a capture kernel, do the backup copy
 * described by cs); then seal the digest. Call last. */
int x86_finish_linux64(struct plan *p, const struct options *o,
		       uint64_t entry, uint64_t bp_addr, const struct crash_setup *cs);

#endif
