#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0 kdump through the pre-4.4 v1 path, forced on Xen 4.17 with the
# test seam tests/seams/pre44-on-v1.c (with --xen-ops=v1). Xen 4.17 ignores
# page_list (our relocation code does not run here: see xen-v1-reloc.sh);
# this proves the crash slot's side of the path on a real hypervisor: the
# frames of a crash image are kept and listed in
# /run/kexec-ng/xen-v1-crash.mfns, -p -u gives them back (free memory as
# before), a replacing -p gives the old ones back, and a dom0 panic still
# boots the capture kernel with an ELF /proc/vmcore.
. "$(dirname "$0")/lib.sh"
vm_begin xen-v1-pre44-crash
vm_seam pre44
token=$(vm_token XQ)
cat >"$VM_RUN/dom0.sh" <<EOF2
mkdir -p /run && mount -t tmpfs -o mode=0755 tmpfs /run
echo "KXLOG-$token" >/dev/kmsg
V1=--xen-ops=v1
A="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices KXMARK=$token"
S=/run/kexec-ng/xen-v1-crash.mfns
step free-before \$KX -d -S
step load \$KX \$V1 -d -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step state1 test -s \$S
step unload \$KX \$V1 -d -p -u
step state2 test ! -e \$S
step free-after \$KX -d -S
step reload \$KX \$V1 -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step replace \$KX \$V1 -d -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step state3 test -s \$S
step status-replace \$KX -S
# Let the console drain first: a panic drops output still in flight.
sleep 1
echo c >/proc/sysrq-trigger
EOF2
vm_xen_crash_scenario "$VM_RUN/dom0.sh" "KXLOG-$token"
expect_step load 0 "pre-4.4 v1 -p failed in dom0"
expect_in_log 'ERR load: xen: kexec ops v1 \(pre-4.4, dom0 relocation code\): test seam pre44-on-v1' \
	"-d does not say that the pre-4.4 path ran"
expect_in_log 'ERR load: xen: [0-9]+ frames kept for the v1 image, listed in /run/kexec-ng/xen-v1-crash.mfns' \
	"-d does not say the crash image's frames are kept"
expect_step state1 0 "no crash state file after -p"
expect_step unload 0 "pre-4.4 v1 -p -u failed"
expect_in_log 'ERR unload: xen: [0-9]+ frames of the unloaded v1 image given back' "-p -u did not give the frames back"
expect_step state2 0 "crash state file still there after -p -u"
expect_step reload 0 "loading the crash image again failed"
expect_step replace 0 "replacing the crash image failed"
expect_in_log 'ERR replace: xen: [0-9]+ frames of the unloaded v1 image given back' \
	"the replacing -p did not give the old frames back"
expect_step state3 0 "no crash state file after the replacing -p"
expect_step status-replace 1 "-S after replacing should exit 1"
expect_free_pages_equal free-before free-after
expect_in_log 'Executing kexec image' "Xen did not run the capture kernel"
expect_capture "$token" "KXLOG-$token"
expect_xen_alive
vm_finish
