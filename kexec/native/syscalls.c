/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The native backend's calls into the kernel (syscalls.h). */
#include <linux/reboot.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscalls.h"

long native_sys_kexec_load(unsigned long entry, unsigned long nr_segments,
			   struct kexec_segment *segments, unsigned long flags)
{
	return syscall(SYS_kexec_load, entry, nr_segments, segments, flags);
}

long native_sys_kexec_file_load(int kernel_fd, int initrd_fd, unsigned long cmdline_len,
				const char *cmdline, unsigned long flags)
{
	return syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, cmdline_len, cmdline, flags);
}

int native_sys_reboot_kexec(void)
{
	return reboot(LINUX_REBOOT_CMD_KEXEC);
}
