#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Proves the Xen crash path of the harness with the DISTRIBUTION's kexec:
# kexec -p of the Debian kernel into Xen's crashkernel= area, then a dom0
# crash (sysrq c). Xen must execute the crash image, and the capture kernel
# must boot with our token and see an ELF /proc/vmcore. Not run by run-all.sh.
. "$(dirname "$0")/../lib.sh"
vm_begin xen-kdump-selfcheck
vm_deps xen
vm_kernel
vm_xen
token=$(vm_token XK)
cat >"$VM_RUN/dom0.sh" <<EOF2
step load /sbin/kexec -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 nr_cpus=1 KXMARK=$token"
echo c >/proc/sysrq-trigger
EOF2
vm_xen_dom0_initramfs "$VM_RUN/dom0.cpio.gz" "$VM_RUN/dom0.sh"
vm_run_xen "$VM_RUN/dom0.cpio.gz"
expect_in_log 'STEP load rc=0$' "distribution kexec -p failed in dom0"
expect_in_log 'Hardware Dom0 crashed: Executing kexec image' "Xen did not execute the crash image"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "capture kernel did not come up with KXMARK=$token"
expect_in_log 'KXTARGET-VMCORE 177ELF' "capture kernel has no ELF /proc/vmcore"
vm_finish
