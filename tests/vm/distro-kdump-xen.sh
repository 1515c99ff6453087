#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The same as distro-kdump-native.sh on a Xen 4.17 host: Xen reserves the
# crash area (its crashkernel=256M); dom0, the Debian 12 system with our
# package, carries crashkernel=256M too, only because kdump-config refuses
# to load without one (a PV dom0 kernel ignores it). kdump-tools.service
# loads the capture kernel through our /sbin/kexec into Xen; sysrq-c in
# dom0 makes Xen run it (natively); kdump-tools' dump service saves
# /var/crash/<ts>/dump.* and dmesg.*. On the host, after QEMU: the saved
# dmesg (dom0's log, which the capture kernel's makedumpfile read from
# /proc/vmcore) holds the token; makedumpfile -R reads the saved dump back
# and its header carries dom0's VMCOREINFO and VMCOREINFO_XEN. Its
# --dump-dmesg on that saved file is run and reported but not required:
# makedumpfile 1.7.2 cannot walk a PV dom0's page tables in a compressed
# dump ("Can't get a valid pgd"; doc/kdump-on-xen.md). Also checked: in
# a PV dom0 /sys/kernel/kexec_crash_loaded reads 0 while `kexec -S -p`
# says loaded, so kdump-config status says "Not ready to kdump".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/distro-lib.sh"
# A full systemd boot with disk I/O: single-threaded TCG (a Xen dom0 of
# this image once soft-locked both vCPUs under multi-threaded TCG).
VM_TCG_THREAD=${VM_TCG_THREAD_DISTRO:-single}
vm_begin distro-kdump-xen
token=$(vm_token DX)
vm_deps xen
vm_xen
distro_image
# contrib/'s kdump-config patch, applied to a copy beside kdump-tools' own
# (which still does the loading and dumping): its status must say ready.
DISTRO_KDUMP_PATCH=$VM_REPO/contrib/kdump-tools/kdump-config-xen-status.patch distro_disk
VM_TIMEOUT=${VM_TIMEOUT_DISTRO:-900} distro_run_xen "crashkernel=256M kx.token=$token"
expect_in_log 'KXDISTRO package kexec-tools-ng .* install ok installed' "our package is not the one installed in dom0"
expect_in_log 'loaded kdump kernel' "kdump-tools did not load the capture kernel"
expect_in_log 'KXDISTRO kexec-S-p rc=1 ' "kexec -S -p does not report a loaded crash kernel (exit status 1)"
expect_in_log 'KXDISTRO sysfs kexec_crash_loaded=0' "dom0's sysfs now reports the crash image (doc/kdump-on-xen.md says 0)"
expect_in_log 'KXDISTRO status: current state *: Not ready to kdump' "unpatched kdump-config status no longer says 'Not ready' (update doc/kdump-on-xen.md)"
expect_in_log 'KXDISTRO patched status: current state *: ready to kdump' "patched kdump-config status does not say ready"
# Only the token's start: console lines of two writers can interleave.
expect_in_log 'KXDISTRO-TOKEN-[A-Za-z0-9]' "the crash unit did not write the token"
expect_in_log 'sysrq: Trigger a crash' "the crash unit did not crash the kernel"
expect_in_log '\(XEN\) .*Executing kexec image' "Xen did not run the capture kernel"
expect_in_log 'Command line: .*elfcorehdr=' "the capture kernel did not boot"
expect_in_log 'saved vmcore in /var/crash' "kdump-tools did not report a saved vmcore"
expect_xen_alive
distro_saved_crash "$token" xen
echo "vm: $VM_NAME: QEMU ran ${VM_QEMU_SECS}s; saved dump ${DISTRO_DUMP_BYTES:-0} bytes" >&2
vm_finish
