/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the running Linux tells about the machine: firmware memory map,
 * crash kernel region, ACPI RSDP. Used by the native backend (and, where it
 * still applies under Xen, by the Xen one). */
#ifndef KEXEC_SYSFS_MACHINE_H
#define KEXEC_SYSFS_MACHINE_H

#include <stdbool.h>

#include "memmap.h"

/* The firmware memory map: /sys/firmware/memmap, else /proc/iomem's top
 * level. root lets tests point at a fake tree ("" for the real one). */
int sysfs_read_memmap(const char *root, struct mem_map *m);
/* "Crash kernel" ranges from /proc/iomem (nested entries included); none
 * without /proc/iomem. Returns 0, or -1 after an error line. */
int sysfs_read_crash_regions(const char *root, struct mem_map *m);
/* Copy the RSDP at addr from <root>/dev/mem into buf (36 bytes). Returns
 * its length (20 for ACPI 1.0), or 0 when it cannot be read. */
uint32_t sysfs_copy_rsdp(const char *root, uint64_t addr, uint8_t buf[36]);
/* RSDP from /sys/firmware/efi/systab; 0 when not booted through EFI. */
uint64_t sysfs_acpi_rsdp(const char *root);

/* /sys/kernel/kexec_loaded (kexec_crash_loaded with crash): 1 when an
 * image is loaded, 0 when not, -1 after one error line; a missing file
 * under an existing /sys/kernel means a kernel without kexec support. */
int sysfs_kexec_loaded(const char *root, bool crash);

/* The kernel's lockdown mode, from /sys/kernel/security/lockdown
 * ("none [integrity] confidentiality"): a locked-down kernel refuses
 * kexec_load(2) and takes from kexec_file_load(2) only images whose
 * signature it can verify. */
enum kx_lockdown {
	LOCKDOWN_UNKNOWN = -1, /* no securityfs, or no lockdown LSM: the kernel's errno will tell */
	LOCKDOWN_NONE = 0,
	LOCKDOWN_INTEGRITY,
	LOCKDOWN_CONFIDENTIALITY,
};

enum kx_lockdown sysfs_lockdown(const char *root);
/* "integrity", "confidentiality", ... for messages. */
const char *lockdown_name(enum kx_lockdown l);

#endif
