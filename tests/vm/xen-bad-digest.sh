#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: purgatory checks the image. A test seam (tests/seams/bad-digest.c)
# flips one byte of the staged initrd after the loader digested it; with the
# checks on (no -i), purgatory must print the mismatch, refuse to enter the
# image and halt: the target kernel must not come up. VM_SHA_EXT=1 runs it on
# a CPU with the SHA extensions (purgatory's other digest path).
. "$(dirname "$0")/lib.sh"
vm_begin xen-bad-digest
vm_seam bad-digest
token=$(vm_token XD)
cat >"$VM_RUN/dom0.sh" <<EOF2
step load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --console-serial --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
VM_STOP_AT="purgatory: halting"
vm_xen_scenario "$VM_RUN/dom0.sh"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log "purgatory: verifying SHA-256 \\($(vm_purgatory_path)\\) of regions" "purgatory did not check the digest"
expect_in_log 'purgatory: digest mismatch: expected [0-9a-f]{64}' "purgatory did not report the mismatch"
expect_in_log 'purgatory: image is corrupt, not entering it' "purgatory did not refuse the image"
expect_not_in_log 'purgatory: digest ok' "purgatory accepted a corrupted image"
expect_not_in_log "KXTARGET-UP" "the corrupted image was entered"
vm_finish
