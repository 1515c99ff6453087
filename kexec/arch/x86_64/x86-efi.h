/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI handoff in the x86 zero page: efi_info, the runtime memory map and
 * the SETUP_EFI setup_data node, all inside the boot-parameters segment. */
#ifndef X86_EFI_H
#define X86_EFI_H

#include <asm/bootparam.h>
#include <stddef.h>
#include <stdint.h>
#include "options.h"
#include "plan.h"
#include "x86-linux.h"

/* The SETUP_EFI payload x86 Linux reads when kexec'd (a fixed ABI). */
struct x86_efi_setup_data {
	uint64_t fw_vendor;
	uint64_t runtime;   /* read by kernels before 5.7 only */
	uint64_t tables;
	uint64_t smbios;
	uint64_t reserved[8];
};

/* Bytes the handoff needs in the boot-parameters segment: 0 when there is
 * none (not booted through EFI, --noefi, or a kernel without XLF_EFI_KEXEC). */
size_t x86_efi_size(const struct machine_efi *e, const struct options *o,
		    const struct linux_params *lp);

/* Write the SETUP_EFI node and the runtime map at at (physical address
 * addr, x86_efi_size bytes, 16-byte aligned), point efi_info at them and
 * chain the node in front of *chain. */
void x86_efi_fill(struct boot_params *bp, const struct machine_efi *e,
		  char *at, uint64_t addr, uint64_t *chain);

#endif
