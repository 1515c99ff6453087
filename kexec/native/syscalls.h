/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every call the native backend makes into the running kernel, in one
 * file (syscalls.c), so that unit tests can link their own definitions in
 * its place and play the kernel's answers. No logic lives here. */
#ifndef KEXEC_NATIVE_SYSCALLS_H
#define KEXEC_NATIVE_SYSCALLS_H

/* Before <linux/kexec.h>: older UAPI headers use size_t without it. */
#include <stddef.h>
#include <linux/kexec.h>

/* kexec_load(2), kexec_file_load(2): 0, or -1 with errno set. */
long native_sys_kexec_load(unsigned long entry, unsigned long nr_segments,
			   struct kexec_segment *segments, unsigned long flags);
long native_sys_kexec_file_load(int kernel_fd, int initrd_fd, unsigned long cmdline_len,
				const char *cmdline, unsigned long flags);
/* reboot(LINUX_REBOOT_CMD_KEXEC): returns only on failure (-1, errno). */
int native_sys_reboot_kexec(void);

#endif
