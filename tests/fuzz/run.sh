#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CI's fuzz step: build the harnesses (tests/fuzz/build.sh), replay the
# seed corpus and every regression input under ASan+UBSan (LeakSanitizer
# on), then fuzz each harness for FUZZ_SECONDS (default 20), two at a time.
# New inputs stay in build-fuzz/work/<harness>/; a crash leaves its input
# there as crash-*/leak-*/timeout-* and fails the step. About 3 minutes on
# 2 cores. FUZZ_SECONDS=0 replays only.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
bin=$top/build-fuzz/fuzz
work=$top/build-fuzz/work
secs=${FUZZ_SECONDS:-20}
jobs=${FUZZ_PARALLEL:-$(nproc)}

"$here/build.sh" || { echo "fuzz: building the harnesses failed" >&2; exit 1; }
harnesses=$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
# Huge allocations are failures, not NULL returns: no input may make a
# loader allocate what a header claims (-malloc_limit_mb below).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fail=0
mkdir -p "$work"

# Replay: every file once, any report fails.
for h in $harnesses; do
	files=$(find "$here/corpus/$h" "$here/regressions/$h" -type f 2>/dev/null | sort)
	[ -n "$files" ] || { echo "fuzz: $h has no seed corpus" >&2; fail=1; continue; }
	# shellcheck disable=SC2086 # one argument per file
	if "$bin/$h" -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=20 $files >"$work/replay-$h.log" 2>&1; then
		echo "fuzz: replay $h: $(echo "$files" | wc -l) inputs, clean"
	else
		echo "fuzz: replay $h FAILED:" >&2
		tail -40 "$work/replay-$h.log" >&2
		fail=1
	fi
done
[ "$secs" -gt 0 ] || exit $fail

# One short run; prints "runs, coverage" or the failure.
fuzz_one() {
	local h=$1 dir=$work/$h log=$work/$h.log
	mkdir -p "$dir/corpus"
	"$bin/$h" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=20 \
		-print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "$here/corpus/$h" \
		>"$log" 2>&1
	local rc=$? runs cov ft
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	if [ $rc -eq 0 ]; then
		echo "fuzz: $h: ${secs}s, ${runs:-?} runs, ${cov:-?} edges, ${ft:-?} features"
		return 0
	fi
	echo "fuzz: $h FAILED after ${runs:-?} runs; input in $dir/:" >&2
	grep -A30 -m1 'ERROR: \|runtime error\|SUMMARY' "$log" >&2
	return 1
}

mkdir -p "$work"
pids=()
for h in $harnesses; do
	fuzz_one "$h" & pids+=($!)
	if [ ${#pids[@]} -ge "$jobs" ]; then
		wait "${pids[0]}" || fail=1
		pids=("${pids[@]:1}")
	fi
done
for p in "${pids[@]}"; do
	wait "$p" || fail=1
done
[ $fail = 0 ] && echo "fuzz: all clean" || echo "fuzz: FAILED" >&2
exit $fail
