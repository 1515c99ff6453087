#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rollback on bare Linux: Debian 12's 6.1 kernel loads Debian 11's 5.10
# kernel with kexec -c -l (kexec_load and our purgatory), then -e: the 5.10
# kernel must boot with our command line.
. "$(dirname "$0")/lib.sh"
vm_begin linux-rollback-510
token=$(vm_token LR)
vm_other_kernel 11
cat >"$VM_RUN/guest.sh" <<EOF2
step load \$KX -c -l /boot/vmlinuz-510 --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_linux_scenario "$VM_RUN/guest.sh" "$VM_OTHER_VMLINUZ=/boot/vmlinuz-510"
expect_in_log 'STEP load rc=0$' "kexec -c -l of the 5.10 kernel failed"
expect_in_log 'Linux version 5\.10\.' "the 5.10 kernel printed no banner"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the 5.10 kernel did not come up with KXMARK=$token"
vm_finish
