#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0 (Xen backend): our kexec loads our Multiboot2 test kernel
# (tests/mbkernel) with --command-line and two --module files (the second
# gzip'd), then kexec -e. The test kernel must report the right magic,
# command line, modules, basic memory info, and a memory map equal to the
# machine map Xen printed at boot (not dom0's pseudo-physical one).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mb-lib.sh"
vm_begin xen-multiboot-test
token=$(vm_token XM)
mb_build_kernel
mb_make_modules "$token"
cat >"$VM_RUN/dom0.sh" <<EOF2
step load \$KX -d -l /boot/mbk.elf --command-line "mbtest KXMARK=$token" --module "/boot/mod1.txt one=1 two" --module "/boot/mod2.txt.gz x=y"
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh" "$MB_KDIR/mbkernel-mb2.elf=/boot/mbk.elf" \
	"$MB_MOD1=/boot/mod1.txt" "$MB_MOD2=/boot/mod2.txt.gz"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l of the multiboot test kernel failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log '^MBK-MAGIC 0x36d76289 mb2 ' "the test kernel did not start with the Multiboot2 magic"
expect_in_log "^MBK-CMDLINE /boot/mbk.elf mbtest KXMARK=$token\$" "wrong command line"
expect_in_log '^MBK-MODS 2$' "not two modules"
expect_in_log "^MBK-MOD 0 size=$MB_MOD1_SIZE cmdline=/boot/mod1.txt one=1 two head=KXMOD-ONE $token\$" "module 1 wrong"
expect_in_log "^MBK-MOD 1 size=$MB_MOD2_SIZE cmdline=/boot/mod2.txt.gz x=y head=KXMOD-TWO $token\$" "module 2 wrong (not decompressed?)"
mb_expect_checks
mb_expect_same_map xen
vm_finish
