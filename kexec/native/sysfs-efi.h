/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the running Linux tells about its EFI boot: the runtime map and
 * system table the next kernel needs to keep runtime services, and the
 * RSDP the running kernel was handed. */
#ifndef KEXEC_SYSFS_EFI_H
#define KEXEC_SYSFS_EFI_H

#include <stdint.h>

/* The RSDP the running kernel was given in its boot_params (0 if none). */
uint64_t sysfs_boot_params_rsdp(const char *root);

struct machine_efi;
/* The EFI handoff state (sysfs-efi.c). Not booted through EFI, or without
 * a runtime map: e->present = false and 0. -1 after an error line when a
 * file is there but unreadable. */
int sysfs_read_efi(const char *root, struct machine_efi *e);

#endif
