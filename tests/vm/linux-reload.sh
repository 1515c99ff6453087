#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kexec -l with token A, kexec -l again with token B, kexec -e: the second
# load replaces the first, so the target shows B (and not A).
. "$(dirname "$0")/lib.sh"
vm_begin linux-reload
a=$(vm_token RA)
b=$(vm_token RB)
cat >"$VM_RUN/guest.sh" <<EOF2
step load-a \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$a"
step load-b \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$b"
step exec \$KX -e
EOF2
vm_linux_scenario "$VM_RUN/guest.sh"
expect_in_log 'STEP load-a rc=0$' "first kexec -l failed"
expect_in_log 'STEP load-b rc=0$' "second kexec -l failed"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$b( |\$)" "target kernel did not come up with KXMARK=$b"
expect_not_in_log "KXTARGET-UP cmdline=.*KXMARK=$a( |\$)" "target kernel came up with the first load's KXMARK=$a"
vm_finish
