#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the multiboot test kernel in OUTDIR (default: tests/vm/work/mbkernel,
# git-ignored): mbkernel-mb1.elf (Multiboot header) and mbkernel-mb2.elf
# (Multiboot2 header). Needs only gcc and binutils (gcc -m32 works
# without the multilib packages: no libc is linked).
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/../vm/work/mbkernel}
mkdir -p "$out"
CFLAGS=(-m32 -march=i686 -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie
	-fno-stack-protector -fno-asynchronous-unwind-tables -mgeneral-regs-only
	-fcf-protection=none -Os -Wall -Wextra)
for v in mb1 mb2; do
	def=()
	[ $v = mb2 ] && def=(-DMB2)
	gcc "${CFLAGS[@]}" "${def[@]}" -c -o "$out/entry-$v.o" "$src/entry.S"
	gcc "${CFLAGS[@]}" -c -o "$out/kmain.o" "$src/kmain.c"
	ld -m elf_i386 -nostdlib -static --no-warn-rwx-segments -T "$src/link.ld" -o "$out/mbkernel-$v.elf" \
		"$out/entry-$v.o" "$out/kmain.o"
done
