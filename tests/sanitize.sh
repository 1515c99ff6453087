#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit tests built with AddressSanitizer and UndefinedBehaviorSanitizer
# (LeakSanitizer included) in build-san/, every report fatal. Purgatory
# keeps its pinned flags (the Makefile never passes CFLAGS to it), so only
# host code is instrumented. Reports go to build-san/sanitizer-logs/ (the
# tests capture stderr) and are printed when a test fails.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
{ [ -x configure ] && [ configure -nt configure.ac ]; } || ./bootstrap || exit 1
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
mkdir -p build-san
cd build-san || exit 1
{ [ -f Makefile ] && [ Makefile -nt ../Makefile.in ] && [ config.status -nt ../configure ]; } ||
	../configure -q CC=gcc CFLAGS="$san -g -O1" LDFLAGS="$san" || exit 1
logs=$PWD/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:log_path=$logs/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
if make -j"$(nproc)" check; then
	exit 0
fi
for f in "$logs"/*; do
	[ -f "$f" ] && { echo "== $f" >&2; cat "$f" >&2; }
done
exit 1
