/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dump description of a native Linux system, read from sysfs and
 * procfs (see dump-source.h for what it holds). */
#ifndef KEXEC_SYSFS_DUMP_H
#define KEXEC_SYSFS_DUMP_H

#include <stdint.h>
#include "dump-source.h"

/* Native Linux: /sys/devices/system/cpu/cpuN/crash_notes, /proc/iomem,
 * /proc/kallsyms; root "" for the running system. */
int sysfs_read_dump(const char *root, struct dump_source *d);
/* "addr size" of /sys/kernel/vmcoreinfo (hex both); 0 when absent. */
int sysfs_vmcoreinfo(const char *root, uint64_t *addr, uint64_t *size);

#endif
