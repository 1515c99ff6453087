#!/bin/bash
# A Debian 11 host: Xen 4.14 (bullseye's hypervisor) with bullseye's 5.10
# kernel as dom0. Our kexec (built on Debian 12, carried into the guest
# with its libxen 4.17 libraries) loads the same 5.10 kernel through the
# Xen backend and executes it: the 5.10 target must boot with our token.
. "$(dirname "$0")/lib.sh"
vm_begin xen-deb11-load-exec
vm_release 11
token=$(vm_token XB)
cat >"$VM_RUN/dom0.sh" <<EOF2
step backend \$KX -d -S -l
step load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
expect_in_log '\(XEN\) Xen version 4\.14' "the hypervisor is not Xen 4.14"
expect_in_log 'INIT-START 5\.10\.' "dom0 is not the 5.10 kernel"
expect_in_log 'ERR backend: backend: xen 4\.14' "the Xen backend was not chosen in dom0"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the 5.10 target did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
