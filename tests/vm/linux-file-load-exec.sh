#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# As linux-load-exec, through kexec_file_load (-s -l).
. "$(dirname "$0")/lib.sh"
vm_begin linux-file-load-exec
token=$(vm_token FL)
cat >"$VM_RUN/guest.sh" <<EOF2
step load \$KX -s -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_linux_scenario "$VM_RUN/guest.sh"
expect_in_log 'STEP load rc=0$' "kexec -s -l failed"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
expect_not_in_log 'KXTARGET-UP .*kexec_jump_back_entry=' "target command line has kexec_jump_back_entry="
vm_finish
