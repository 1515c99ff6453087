#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer harnesses (tests/fuzz/fuzz_*.c) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer into build-fuzz/fuzz/,
# against a libkexec.a built in build-fuzz/ with coverage instrumentation.
# Purgatory keeps its pinned flags (the Makefile never passes CFLAGS to it).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
{ [ -x configure ] && [ configure -nt configure.ac ]; } || ./bootstrap
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
mkdir -p build-fuzz/fuzz
cd build-fuzz
{ [ -f Makefile ] && [ Makefile -nt ../Makefile.in ] && [ config.status -nt ../configure ]; } ||
	../configure -q CC=clang CFLAGS="-fsanitize=fuzzer-no-link $san -g -O1" LDFLAGS="$san"
make -s -j"$(nproc)" libkexec.a
# The libraries the program links with, as configure found them.
libs=$(sed -n 's/^\(XEN_LIBS\|LIBS\) *:= *//p' Makefile | tr '\n' ' ')
inc="-I. -I.. -I../kexec -I../kexec/plan -I../kexec/native -I../kexec/arch/x86_64 -I../purgatory"
for src in ../tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	out=fuzz/${name#fuzz_}
	if [ "$out" -nt "$src" ] && [ "$out" -nt libkexec.a ] && [ "$out" -nt ../tests/fuzz/fuzz.h ]; then
		continue
	fi
	echo "fuzz: building $out"
	# shellcheck disable=SC2086 # word splitting of the flag lists is meant
	clang -D__XEN_TOOLS__ -include config.h $inc -Wall -Wextra -Werror -g -O1 \
		-fsanitize=fuzzer $san -o "$out" "$src" libkexec.a $libs
done
