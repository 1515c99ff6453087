#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0 kdump through the v1 ops: kexec --xen-ops=v1 -p loads the
# capture kernel into Xen's crash area with KEXEC_CMD_kexec_load_v1 (Xen
# keeps its own copies and relocates them at crash time), a second -p
# replaces it, then dom0 panics (sysrq-c). Xen must run the capture kernel,
# which must find an ELF /proc/vmcore, and no staging frame may be lost.
. "$(dirname "$0")/lib.sh"
vm_begin xen-v1-crash
token=$(vm_token XW)
cat >"$VM_RUN/dom0.sh" <<EOF2
echo "KXLOG-$token" >/dev/kmsg
V1=--xen-ops=v1
A="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices KXMARK=$token"
step free-before \$KX -d -S
step load \$KX \$V1 -d -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status-after \$KX -S
step unload \$KX \$V1 -p -u
step free-after \$KX -d -S
step reload \$KX \$V1 -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step replace \$KX \$V1 -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status-replace \$KX -S
# Let the console drain first: a panic drops output still in flight.
sleep 1
echo c >/proc/sysrq-trigger
EOF2
vm_xen_crash_scenario "$VM_RUN/dom0.sh" "KXLOG-$token"
expect_not_in_log 'ERR load: xen: kexec ops v2' "--xen-ops=v1 did not reach the Xen backend (backend_open must pass o->xen_ops)"
expect_step load 0 "kexec --xen-ops=v1 -p failed in dom0"
expect_in_log 'ERR load: xen: kexec ops v1: forced by --xen-ops=v1' "-d does not say that the v1 ops ran and why"
expect_step status-after 1 "-S after the v1 load should exit 1"
expect_step unload 0 "kexec --xen-ops=v1 -p -u failed"
expect_step reload 0 "loading the crash image again through v1 failed"
expect_step replace 0 "replacing the crash image through v1 failed"
expect_step status-replace 1 "-S after replacing should exit 1"
expect_free_pages_equal free-before free-after
expect_in_log 'Executing kexec image' "Xen did not run the capture kernel"
expect_capture "$token" "KXLOG-$token"
expect_xen_alive
vm_finish
