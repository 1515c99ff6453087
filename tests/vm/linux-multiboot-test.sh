#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bare Linux (native backend): our kexec loads our Multiboot2 test kernel
# (tests/mbkernel; MB_VARIANT=mb1 for the Multiboot one) with
# --command-line and two --module files (the second gzip'd), then kexec -e.
# The test kernel must report: the right magic, the command line
# "IMAGE ARGS", the loader name, both modules with their command lines,
# sizes (decompressed) and first lines, a memory map equal to the first
# kernel's /sys/firmware/memmap, and basic memory info that agrees with it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mb-lib.sh"
variant=${MB_VARIANT:-mb2}
name=linux-multiboot-test
[ "$variant" = mb1 ] && name=linux-multiboot1-test
vm_begin "$name"
token=$(vm_token MB)
mb_build_kernel
mb_make_modules "$token"
magic=0x36d76289
[ "$variant" = mb1 ] && magic=0x2badb002
{
	mb_guest_memmap
	cat <<EOF2
step load \$KX -d -l /boot/mbk.elf --command-line "mbtest KXMARK=$token" --module "/boot/mod1.txt one=1 two" --module "/boot/mod2.txt.gz x=y"
step exec \$KX -e
EOF2
} >"$VM_RUN/guest.sh"
vm_linux_scenario "$VM_RUN/guest.sh" "$MB_KDIR/mbkernel-$variant.elf=/boot/mbk.elf" \
	"$MB_MOD1=/boot/mod1.txt" "$MB_MOD2=/boot/mod2.txt.gz"
expect_in_log 'STEP load rc=0$' "kexec -l of the multiboot test kernel failed"
expect_in_log "^MBK-MAGIC $magic $variant " "the test kernel did not start with the $variant magic"
expect_in_log "^MBK-CMDLINE /boot/mbk.elf mbtest KXMARK=$token\$" "wrong command line"
expect_in_log '^MBK-LOADER kexec-tools-ng$' "wrong boot loader name"
expect_in_log '^MBK-MODS 2$' "not two modules"
expect_in_log "^MBK-MOD 0 size=$MB_MOD1_SIZE cmdline=/boot/mod1.txt one=1 two head=KXMOD-ONE $token\$" "module 1 wrong"
expect_in_log "^MBK-MOD 1 size=$MB_MOD2_SIZE cmdline=/boot/mod2.txt.gz x=y head=KXMOD-TWO $token\$" "module 2 wrong (not decompressed?)"
mb_expect_checks
mb_expect_same_map
vm_finish
