#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: a 192 MiB initrd loaded, unloaded, loaded, replaced and executed.
# With kexec-tools' top-of-RAM placement this sequence crashes Xen 4.17
# (Xen BUG in free_domheap_pages, see doc/xen-kexec-interface.md §8.2); our
# low placement (kernel at its preferred address, initrd just above) must
# survive it, and the image must still boot, with purgatory checking its
# digest.
. "$(dirname "$0")/lib.sh"
vm_begin xen-big-initrd
token=$(vm_token XG)
cat >"$VM_RUN/dom0.sh" <<EOF2
# The target's initramfs, zero-padded to 192 MiB (the kernel skips zeros
# between cpio archives, so it still boots).
cp \$TARGET_INITRD /tmp/big-initrd
truncate -s 192M /tmp/big-initrd
A="--initrd=/tmp/big-initrd"
step free-before \$KX -d -S -l
step load1 \$KX -l \$VMLINUZ \$A --append="console=ttyS0 panic=-1 KXMARK=first"
step unload \$KX -u
step free-after \$KX -d -S -l
step load2 \$KX -l \$VMLINUZ \$A --append="console=ttyS0 panic=-1 KXMARK=second"
step load3 \$KX -l \$VMLINUZ \$A --console-serial --append="console=ttyS0 panic=-1 KXMARK=$token"
step status \$KX -S -l
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
for s in load1 unload load2 load3; do
	expect_in_log "STEP $s rc=0[[:space:]]*\$" "$s failed"
done
expect_in_log 'STEP status rc=1[[:space:]]*$' "-S -l does not report the image as loaded"
expect_free_pages_equal free-before free-after
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
# Checks on (no -i): purgatory digests the 192 MiB and says which path it
# took: plain on QEMU's qemu64 CPU, the SHA extensions with VM_SHA_EXT=1.
expect_in_log "purgatory: verifying SHA-256 \\($(vm_purgatory_path)\\) of regions" \
	"purgatory did not check the digest"
expect_in_log 'purgatory: digest ok' "purgatory did not accept the image's digest"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
