#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A long fuzzing campaign, on demand (not in CI):
#   tests/fuzz/campaign.sh [MINUTES] [HARNESS...]
# runs each harness (all by default) for MINUTES (default 15), one after
# the other, with one libFuzzer worker per core (CAMPAIGN_WORKERS=N for
# another count, e.g. 1 to run two campaigns side by side), on a corpus kept in
# build-fuzz/campaign/<harness>/ between campaigns (seeded from
# tests/fuzz/corpus/). Prints executions and coverage per harness; crash,
# leak and timeout inputs land in build-fuzz/campaign/<harness>/ as
# crash-*/leak-*/timeout-*. To keep a new input as a regression, copy it
# into tests/fuzz/regressions/<harness>/ with a name saying what it found.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
bin=$top/build-fuzz/fuzz
minutes=${1:-15}
shift || true
harnesses=${*:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
cores=${CAMPAIGN_WORKERS:-$(nproc)}

"$here/build.sh" || exit 1
# Huge allocations are failures, not NULL returns: no input may make a
# loader allocate what a header claims (-malloc_limit_mb below).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fail=0
for h in $harnesses; do
	dir=$top/build-fuzz/campaign/$h
	mkdir -p "$dir/corpus" "$dir/logs"
	rm -f "$dir"/logs/fuzz-*.log
	echo "campaign: $h for $minutes min on $cores workers"
	(cd "$dir/logs" && "$bin/$h" -max_total_time=$((minutes * 60)) -max_len=65536 \
		-rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=20 -print_final_stats=1 \
		-jobs="$cores" -workers="$cores" -artifact_prefix="$dir/" \
		"$dir/corpus" "$here/corpus/$h" >"$dir/campaign.log" 2>&1)
	runs=0
	for log in "$dir"/logs/fuzz-*.log; do
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		runs=$((runs + ${n:-0}))
	done
	# Coverage of the merged corpus, measured in one pass over it.
	cov=$("$bin/$h" -runs=0 "$dir/corpus" 2>&1 | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -1)
	echo "campaign: $h: $runs runs, $(ls "$dir/corpus" | wc -l) corpus inputs, $cov"
	if ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* >/dev/null 2>&1; then
		echo "campaign: $h found failures:" "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null >&2
		fail=1
	fi
done
exit $fail
