#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A Debian 12 system as users run it: systemd, kdump-tools, makedumpfile,
# and our Debian package installed with dpkg in place of kexec-tools
# (distro-lib.sh builds the root once and caches it). Booted bare with
# crashkernel=256M, kdump-tools.service loads the capture kernel through
# our /sbin/kexec, unmodified. The image's kx-crash.service then writes a
# token to the kernel log and panics the kernel (sysrq-c); the capture
# kernel runs kdump-tools' dump service, which saves /var/crash/<ts>/dump.*
# and dmesg.* and reboots (QEMU exits). On the host, after QEMU: the saved
# dmesg holds the token, and makedumpfile reads the token from the
# saved dump (-R to undo kdump-tools' flattened format, then --dump-dmesg).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/distro-lib.sh"
# A full systemd boot with disk I/O: single-threaded TCG (a Xen dom0 of
# this image once soft-locked both vCPUs under multi-threaded TCG).
VM_TCG_THREAD=${VM_TCG_THREAD_DISTRO:-single}
vm_begin distro-kdump-native
token=$(vm_token DN)
vm_deps
distro_image
distro_disk
VM_TIMEOUT=${VM_TIMEOUT_DISTRO:-900} distro_run_linux "crashkernel=256M kx.token=$token"
expect_in_log 'KXDISTRO package kexec-tools-ng .* install ok installed' "our package is not the one installed in the guest"
expect_in_log 'loaded kdump kernel' "kdump-tools did not load the capture kernel"
expect_in_log 'KXDISTRO kexec-S-p rc=1 ' "kexec -S -p does not report a loaded crash kernel (exit status 1)"
# Only the token's start: console lines of two writers can interleave.
expect_in_log 'KXDISTRO-TOKEN-[A-Za-z0-9]' "the crash unit did not write the token"
expect_in_log 'sysrq: Trigger a crash' "the crash unit did not crash the kernel"
expect_in_log 'Command line: .*elfcorehdr=' "the capture kernel did not boot"
expect_in_log 'saved vmcore in /var/crash' "kdump-tools did not report a saved vmcore"
distro_saved_crash "$token"
echo "vm: $VM_NAME: QEMU ran ${VM_QEMU_SECS}s; saved dump ${DISTRO_DUMP_BYTES:-0} bytes" >&2
vm_finish
