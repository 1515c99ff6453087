#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0 kdump: write a token to dom0's kernel log, load a capture kernel
# with our kexec -p into Xen's crash area (crashkernel=256M on Xen's command
# line), load it again (replace), crash dom0 with sysrq-c. Xen must run the
# capture kernel; its /proc/vmcore must hold one CPU note set per physical
# CPU (CORE + Xen registers), Xen's VMCOREINFO_XEN and dom0's own VMCOREINFO,
# and the token must be found in the dump. What makedumpfile and
# vmcore-dmesg recover is printed (KXDMESG lines in the log).
. "$(dirname "$0")/lib.sh"
vm_begin xen-crash
token=$(vm_token XC)
cat >"$VM_RUN/dom0.sh" <<EOF2
echo "KXLOG-$token" >/dev/kmsg
A="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices KXMARK=$token"
step print-ckr \$KX --print-ckr-size
step status-before \$KX -S
step load \$KX -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status-after \$KX -S
step reload \$KX -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status-reload \$KX -S
step status-normal \$KX -S -l
# Let the console drain first: a panic drops output still in flight.
sleep 1
echo c >/proc/sysrq-trigger
EOF2
vm_xen_crash_scenario "$VM_RUN/dom0.sh" "KXLOG-$token"
expect_in_log '^268435456[[:space:]]*$' "--print-ckr-size did not print Xen's 256 MiB crash area"
expect_step status-before 0 "-S before loading should exit 0"
expect_step load 0 "kexec -p failed in dom0"
expect_step status-after 1 "-S after kexec -p should exit 1"
expect_step reload 0 "reloading the crash image failed"
expect_step status-reload 1 "-S after reloading should exit 1"
expect_step status-normal 0 "-S -l should exit 0 (no normal image)"
expect_in_log 'Executing kexec image' "Xen did not run the capture kernel"
expect_capture "$token" "KXLOG-$token"
pcpus=${VM_SMP:-2}
n=$(grep -a -c '^KXNOTE CORE NT_PRSTATUS' "$VM_LOG")
[ "$n" = "$pcpus" ] || vm_fail "want $pcpus CORE notes (one per physical CPU), found $n"
n=$(grep -a -c '^KXNOTE Xen ' "$VM_LOG")
[ "$n" -ge "$pcpus" ] || vm_fail "want at least $pcpus Xen notes, found $n"
expect_in_log '^KXNOTE VMCOREINFO_XEN ' "no VMCOREINFO_XEN note"
expect_in_log '^KXNOTE VMCOREINFO ' "no VMCOREINFO note for dom0"
expect_xen_alive
vm_finish
