#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: our kexec -l + kexec -e through the Xen backend (hypercalls, not
# kexec_load(2)). Xen must execute the image and the native target kernel
# must boot with our command line, without kexec_jump_back_entry=.
. "$(dirname "$0")/lib.sh"
vm_begin xen-load-exec
token=$(vm_token XL)
cat >"$VM_RUN/dom0.sh" <<EOF2
step backend \$KX -d -S -l
step load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
expect_in_log "ERR backend: backend: xen ${VM_XEN_VERSION/./\\.}" "the Xen backend was not chosen in dom0 (Xen $VM_XEN_VERSION)"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
expect_not_in_log 'KXTARGET-UP .*kexec_jump_back_entry=' "target command line has kexec_jump_back_entry="
expect_xen_alive
vm_finish
