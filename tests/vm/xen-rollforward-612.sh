#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Roll-forward from a Xen dom0: Xen 4.17 with Debian 12's 6.1 dom0 loads
# Debian 13's 6.12 kernel through our Xen backend (-l, then -e): the 6.12
# kernel must print its banner and boot with our command line.
. "$(dirname "$0")/lib.sh"
vm_begin xen-rollforward-612
token=$(vm_token XF)
vm_other_kernel 13
cat >"$VM_RUN/dom0.sh" <<EOF2
step load \$KX -l /boot/vmlinuz-612 --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh" "$VM_OTHER_VMLINUZ=/boot/vmlinuz-612"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l of the 6.12 kernel failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log 'Linux version 6\.12\.' "the 6.12 kernel printed no banner"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the 6.12 kernel did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
