#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rollback from a Xen dom0: Xen 4.17 with Debian 12's 6.1 dom0 loads Debian
# 11's 5.10 kernel through our Xen backend (-l, then -e). 5.10's
# decompressor reads the BIOS data area and runs its paging trampoline in
# low memory before it has page tables of its own, so this fails unless
# the entry state maps the low 1 MiB (it hung silently before).
. "$(dirname "$0")/lib.sh"
vm_begin xen-rollback-510
token=$(vm_token XR)
vm_other_kernel 11
cat >"$VM_RUN/dom0.sh" <<EOF2
step load \$KX -l /boot/vmlinuz-510 --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 earlyprintk=serial,ttyS0,115200 KXMARK=$token"
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh" "$VM_OTHER_VMLINUZ=/boot/vmlinuz-510"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l of the 5.10 kernel failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log 'Linux version 5\.10\.' "the 5.10 kernel printed no banner"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the 5.10 kernel did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
