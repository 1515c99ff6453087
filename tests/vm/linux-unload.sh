#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kexec -l, kexec -u, then kexec -e must fail (non-zero exit, an error
# message) and leave the first kernel running.
. "$(dirname "$0")/lib.sh"
vm_begin linux-unload
token=$(vm_token UL)
cat >"$VM_RUN/guest.sh" <<EOF2
step load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
echo "LOADED-FLAG \$(cat /sys/kernel/kexec_loaded)"
step unload \$KX -u
echo "UNLOADED-FLAG \$(cat /sys/kernel/kexec_loaded)"
step exec \$KX -e
echo STILL-ALIVE
EOF2
vm_linux_scenario "$VM_RUN/guest.sh"
expect_in_log 'STEP load rc=0$' "kexec -l failed"
expect_in_log 'LOADED-FLAG 1$' "/sys/kernel/kexec_loaded not 1 after -l"
expect_in_log 'STEP unload rc=0$' "kexec -u failed"
expect_in_log 'UNLOADED-FLAG 0$' "/sys/kernel/kexec_loaded not 0 after -u"
expect_in_log 'STEP exec rc=[1-9][0-9]*$' "kexec -e after -u did not fail"
expect_in_log 'ERR exec: .+' "kexec -e after -u printed no error message"
expect_in_log 'STILL-ALIVE' "first kernel did not keep running after the failed -e"
expect_not_in_log 'KXTARGET-UP' "a target kernel booted after -u"
vm_finish
