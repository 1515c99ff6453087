#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bare Linux with crashkernel=256M: write a token to the kernel log, load a
# capture kernel with kexec -p (through kexec_load), crash the kernel with
# sysrq-c. The capture kernel must boot with elfcorehdr=, find /proc/vmcore
# with one CPU note per CPU and a VMCOREINFO note, and the dump tools must
# recover the crashed kernel's log with the token in it.
. "$(dirname "$0")/lib.sh"
vm_begin linux-crash
token=$(vm_token LC)
cat >"$VM_RUN/guest.sh" <<EOF2
echo "KXLOG-$token" >/dev/kmsg
step print-ckr \$KX --print-ckr-size
step status-before \$KX -S
step load \$KX -c -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices KXMARK=$token"
step status-after \$KX -S
step status-normal \$KX -S -l
# Let the console drain first: a panic drops output still in flight.
sleep 1
echo c >/proc/sysrq-trigger
EOF2
vm_deps
vm_kernel
kx=$(vm_kexec_bin) || { vm_fail "no kexec binary"; vm_finish; }
echo "vm: $VM_NAME: kexec under test: $kx" >&2
vm_capture_initramfs "$VM_RUN/capture.cpio.gz" "KXLOG-$token"
vm_initramfs "$VM_RUN/first.cpio.gz" "$VM_RUN/guest.sh" \
	"$kx=$VM_G_KX" "$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/capture.cpio.gz=$VM_G_TARGET"
VM_LINUX_APPEND="crashkernel=256M" vm_run_linux "$VM_RUN/first.cpio.gz"
expect_in_log 'STEP print-ckr rc=0' "--print-ckr-size failed"
expect_in_log '^268435456[[:space:]]*$' "--print-ckr-size did not print 256 MiB"
expect_in_log 'STEP status-before rc=0' "-S before loading should exit 0"
expect_in_log 'STEP load rc=0' "kexec -p failed"
expect_in_log 'STEP status-after rc=1' "-S after kexec -p should exit 1"
expect_in_log 'STEP status-normal rc=0' "-S -l should exit 0 (no normal image)"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token .*elfcorehdr=[0-9]+K" "capture kernel did not boot with elfcorehdr="
expect_not_in_log 'KXTARGET-UP .*kexec_jump_back_entry=' "capture command line has kexec_jump_back_entry="
expect_in_log 'KXVMCORE magic=177ELF' "no ELF /proc/vmcore in the capture kernel"
cpus=$(grep -a -c '^KXNOTE CORE NT_PRSTATUS' "$VM_LOG")
[ "$cpus" = "${VM_SMP:-2}" ] || vm_fail "want ${VM_SMP:-2} CPU notes, found $cpus"
expect_in_log '^KXNOTE VMCOREINFO ' "no VMCOREINFO note"
expect_in_log '^KXDMESG (vmcore-dmesg|makedumpfile) rc=0 .*token=[1-9]' "no dump tool recovered the log with the token"
vm_finish
