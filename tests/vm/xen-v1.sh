#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0, forced v1 ops (--xen-ops=v1): the image is staged in frames
# Xen grants dom0, described by an indirection list of machine addresses
# and loaded with KEXEC_CMD_kexec_load_v1; -u uses KEXEC_CMD_kexec_unload_v1.
# Every staging frame must go back to Xen (its free pages are the same
# before the load and after the unload; measurable on Xen 4.17 only, see
# expect_free_pages_equal), -d must name the path and why,
# and Xen must boot the v1 image.
. "$(dirname "$0")/lib.sh"
vm_begin xen-v1
token=$(vm_token XV)
cat >"$VM_RUN/dom0.sh" <<EOF2
V1=--xen-ops=v1
A="console=ttyS0 panic=-1"
step free-before \$KX -d -S -l
step load1 \$KX \$V1 -d -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A KXMARK=first"
step status1 \$KX -S -l
step unload \$KX \$V1 -u
step status2 \$KX -S -l
step free-after \$KX -d -S -l
step load2 \$KX \$V1 -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A KXMARK=second"
step load3 \$KX \$V1 -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A KXMARK=$token"
step status3 \$KX -S -l
step exec \$KX \$V1 -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
expect_not_in_log 'ERR load1: xen: kexec ops v2' "--xen-ops=v1 did not reach the Xen backend (backend_open must pass o->xen_ops)"
expect_step load1 0 "kexec --xen-ops=v1 -l failed"
expect_in_log 'ERR load1: xen: kexec ops v1: forced by --xen-ops=v1' "-d does not say that the v1 ops ran and why"
expect_in_log 'ERR load1: xen: v1 image staged in [0-9]+ frames' "-d does not show the v1 staging"
expect_step status1 1 "-S -l does not report the v1 image as loaded"
expect_step unload 0 "kexec --xen-ops=v1 -u failed"
expect_step status2 0 "-S -l still reports an image after the v1 unload"
expect_step load2 0 "second v1 load failed"
expect_step load3 0 "replacing v1 load failed"
expect_step status3 1 "-S -l does not report the replaced v1 image as loaded"
expect_free_pages_equal free-before free-after
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the v1 image"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
