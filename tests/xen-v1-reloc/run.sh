#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Synthetic proof of the pre-4.4 v1 relocation code (kexec/xen/v1-pre44-reloc.S)
# under QEMU: a multiboot harness plays Xen < 4.4 at exec time and calls
# the control page built by the loader's own code (mkimage links
# libkexec.a). Prints PASS/FAIL per case; exit 0 if all pass.
#   run.sh [BUILD_DIR]   (a configured build tree; default: build one in
#                         a temporary directory)
set -u
src=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$src/../.." && pwd)
work=$(mktemp -d /tmp/xen-v1-reloc.XXXXXX)
trap 'rm -rf "$work"' EXIT
build=${1:-}
if [ -z "$build" ]; then
	build=$work/build
	mkdir -p "$build"
	(cd "$build" && "$top/configure" >/dev/null && make -s libkexec.a >/dev/null) ||
		{ echo "FAIL build (libkexec.a)"; exit 1; }
fi
[ -f "$build/libkexec.a" ] || make -s -C "$build" libkexec.a >/dev/null ||
	{ echo "FAIL build (libkexec.a)"; exit 1; }

F="-O2 -ffreestanding -fno-builtin -nostdlib -fno-pie -fno-stack-protector -mno-red-zone
   -mgeneral-regs-only -fno-asynchronous-unwind-tables -fcf-protection=none -Wall -Wextra"
set -e
gcc -Wall -Wextra -O2 -I"$build" -I"$top/kexec" -I"$top/kexec/plan" -I"$top/kexec/native" -I"$top/kexec/arch/x86_64" -I"$src" \
	-include "$build/config.h" -o "$work/mkimage" "$src/mkimage.c" "$build/libkexec.a"
gcc $F -c "$src/boot.S" -o "$work/boot.o"
gcc $F -I"$src" -c "$src/harness.c" -o "$work/harness.o"
ld -nostdlib -no-pie -z noexecstack --no-warn-rwx-segments -T "$src/link.lds" -o "$work/harness.elf" \
	"$work/boot.o" "$work/harness.o"
objcopy -O binary "$work/harness.elf" "$work/harness.bin"
"$work/mkimage" "$work/image.bin"
set +e

# run TEST SECONDS: the serial output, then "qemu exit: N" (33 = TARGET OK,
# 35 = TARGET BAD, 124 = still running at the timeout, 0 = reset).
run() {
	timeout "$2" qemu-system-x86_64 -accel tcg -cpu qemu64 -m 512 -nographic -no-reboot \
		-nic none -monitor none -serial stdio -display none \
		-device isa-debug-exit,iobase=0xf4,iosize=1 \
		-kernel "$work/harness.bin" -append "test=$1" -initrd "$work/image.bin" \
		>"$work/out" 2>&1
	echo "qemu exit: $?" >>"$work/out"
	tr -d '\r' <"$work/out"
}

fail=0
verdict() { # verdict NAME OK? TEXT OUTPUT
	if [ "$2" = yes ]; then echo "PASS $1: $3"; else echo "FAIL $1: $3"; echo "$4"; fail=1; fi
}

out=$(run copy 60)
case "$out" in *"TARGET OK"*"qemu exit: 33"*) ok=yes ;; *) ok=no ;; esac
verdict copy $ok "entered at Xen's fixmap VA, the code copied every page and reached the start address" "$out"

# The checker is not blind: one wrong source byte must be reported.
out=$(run detect 60)
case "$out" in *"TARGET BAD: destination byte wrong"*"qemu exit: 35"*) ok=yes ;; *) ok=no ;; esac
verdict detect $ok "a corrupted source page is caught at the start address" "$out"

# An occupied PGD slot for Xen's VA must end in a halt (timeout), not in
# a bad mapping or a reset.
out=$(run collide 10)
case "$out" in
*"start address reached"*|*TARGET*) ok=no ;;
*"calling the relocation code"*"qemu exit: 124"*) ok=yes ;;
*) ok=no ;;
esac
verdict collide $ok "an occupied PGD slot halts before the tables are switched" "$out"
exit $fail
