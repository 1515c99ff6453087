#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: bad input is refused before any hypercall, with one clear line
# naming the file, and the image loaded before stays loaded and still boots.
#   - a truncated kernel, a file that is not a kernel, a missing kernel;
#   - an initrd that cannot fit in the machine (a sparse 64 GiB file);
#   - a command line longer than the kernel accepts.
. "$(dirname "$0")/lib.sh"
vm_begin xen-bad-input
token=$(vm_token XB)
cat >"$VM_RUN/dom0.sh" <<EOF2
step load-good \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
head -c 3000000 \$VMLINUZ >/tmp/truncated
step truncated \$KX -l /tmp/truncated --initrd=\$TARGET_INITRD
step not-kernel \$KX -l /init
step missing \$KX -l /nonexistent/vmlinuz
truncate -s 64G /tmp/huge-initrd
step huge-initrd \$KX -l \$VMLINUZ --initrd=/tmp/huge-initrd
step long-cmdline \$KX -l \$VMLINUZ --append="\$(seq -s x 3000)"
step status \$KX -S -l
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
bad() { # step, pattern of its one error line
	expect_in_log "STEP $1 rc=[1-9][0-9]*[[:space:]]*\$" "$1: should have failed"
	expect_in_log "ERR $1: kexec: $2" "$1: error line does not say /$2/"
	[ "$(grep -a -c "^ERR $1: " "$VM_LOG")" = 1 ] || vm_fail "$1: expected exactly one error line"
}
expect_in_log 'STEP load-good rc=0[[:space:]]*$' "the good load failed"
bad truncated '/tmp/truncated: truncated bzImage'
bad not-kernel '/init: not a kernel image'
bad missing '/nonexistent/vmlinuz: cannot open'
bad huge-initrd '/tmp/huge-initrd: .*does not fit'
bad long-cmdline 'command line too long'
expect_in_log 'STEP status rc=1[[:space:]]*$' "-S -l no longer reports the first image as loaded"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the image loaded first did not boot"
expect_xen_alive
vm_finish
