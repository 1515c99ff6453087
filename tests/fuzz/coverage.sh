#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Line coverage of the fuzz corpora, per harness, over the sources that
# harness is for: builds the harnesses with clang's source-based coverage
# in build-cov/ (no sanitizers), runs each once over its inputs (the
# campaign corpus in build-fuzz/campaign/<harness>/corpus when there is
# one, else the CI run's in build-fuzz/work/<harness>/corpus, plus the
# seed corpus and regressions) and prints llvm-cov's line coverage.
#   tests/fuzz/coverage.sh [HARNESS...]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
cd "$top"
{ [ -x configure ] && [ configure -nt configure.ac ]; } || ./bootstrap
prof="-fprofile-instr-generate -fcoverage-mapping"
mkdir -p build-cov/fuzz build-cov/prof
cd build-cov
{ [ -f Makefile ] && [ Makefile -nt ../Makefile.in ] && [ config.status -nt ../configure ]; } ||
	../configure -q CC=clang CFLAGS="$prof -g -O1" LDFLAGS="$prof"
make -s -j"$(nproc)" libkexec.a
libs=$(sed -n 's/^\(XEN_LIBS\|LIBS\) *:= *//p' Makefile | tr '\n' ' ')
inc="-I. -I.. -I../kexec -I../kexec/plan -I../kexec/native -I../kexec/arch/x86_64 -I../purgatory"
a=../kexec/arch/x86_64
declare -A srcs=(
	[bzimage]="$a/bzimage64.c $a/x86-linux.c $a/x86-crash.c"
	[elf]="$a/elf-x86_64.c ../kexec/plan/file-pieces.c"
	[multiboot]="$a/multiboot.c $a/multiboot-header.c $a/multiboot-image.c $a/multiboot-info.c"
	[multiboot2]="$a/multiboot2.c $a/multiboot2-header.c $a/multiboot-image.c $a/multiboot2-info.c"
	[kernel_file]="../kexec/plan/kernel-file.c"
	[options]="../kexec/options.c"
	[sysfs]="../kexec/native/sysfs-machine.c ../kexec/native/sysfs-efi.c ../kexec/native/sysfs-dump.c"
	[crash_elf]="../kexec/plan/crash-elf.c"
)
harnesses=${*:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
for h in $harnesses; do
	# shellcheck disable=SC2086 # word splitting of the flag lists is meant
	clang -D__XEN_TOOLS__ -include config.h $inc -g -O1 -fsanitize=fuzzer $prof \
		-o "fuzz/$h" "$here/fuzz_$h.c" libkexec.a $libs
	corpus=../build-fuzz/campaign/$h/corpus
	[ -d "$corpus" ] || corpus=../build-fuzz/work/$h/corpus
	dirs=("$here/corpus/$h")
	[ -d "$here/regressions/$h" ] && dirs+=("$here/regressions/$h")
	[ -d "$corpus" ] && dirs+=("$corpus")
	rm -f "prof/$h.profraw"
	LLVM_PROFILE_FILE=prof/$h.profraw "fuzz/$h" -runs=0 "${dirs[@]}" >"prof/$h.log" 2>&1
	llvm-profdata merge -sparse -o "prof/$h.profdata" "prof/$h.profraw"
	# Sum the rows of llvm-cov's report for the harness's own sources:
	# Filename Regions Missed Cover Functions Missed Executed Lines Missed Cover ...
	llvm-cov report "fuzz/$h" -instr-profile="prof/$h.profdata" >"prof/$h.report"
	awk -v files="${srcs[$h]}" -v h="$h" -v n="$(find "${dirs[@]}" -type f | wc -l)" '
		BEGIN { split(files, f, " "); for (i in f) { sub(/^.*\.\.\//, "", f[i]); want[f[i]] = 1 } }
		($1 in want) { l += $8; lm += $9; fn += $5; fm += $6; r += $2; rm += $3;
			       per = per sprintf(" %s %.1f%%", $1, $10) }
		END { printf "coverage: %s: %d inputs, lines %.1f%% (%d of %d), functions %.1f%%, regions %.1f%%;%s\n",
		      h, n, 100 * (l - lm) / l, l - lm, l, 100 * (fn - fm) / fn, 100 * (r - rm) / r, per }
	' "prof/$h.report"
done
