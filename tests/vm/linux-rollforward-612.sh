#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Roll-forward on bare Linux: Debian 12's 6.1 kernel loads Debian 13's 6.12
# kernel with kexec -c -l (kexec_load and our purgatory), then -e: the 6.12
# kernel must print its banner and boot with our command line.
. "$(dirname "$0")/lib.sh"
vm_begin linux-rollforward-612
token=$(vm_token LF)
vm_other_kernel 13
cat >"$VM_RUN/guest.sh" <<EOF2
step load \$KX -c -l /boot/vmlinuz-612 --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_linux_scenario "$VM_RUN/guest.sh" "$VM_OTHER_VMLINUZ=/boot/vmlinuz-612"
expect_in_log 'STEP load rc=0$' "kexec -c -l of the 6.12 kernel failed"
expect_in_log 'Linux version 6\.12\.' "the 6.12 kernel printed no banner"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the 6.12 kernel did not come up with KXMARK=$token"
vm_finish
