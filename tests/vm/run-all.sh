#!/bin/bash
# Run every scenario (tests/vm/linux-*.sh, then tests/vm/xen-*.sh) one after
# another; print each verdict and "N passed, N failed"; exit 1 if any failed.
# Scenarios under selfcheck/ and *lib.sh files are not run. Details of each run go to
# work/logs/<name>.log and work/logs/run-all.log. VM_SKIP_XEN=1 skips xen-*.
dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/work/logs"
: >"$dir/work/logs/run-all.log"
passed=0
failed=0
for s in "$dir"/linux-*.sh "$dir"/xen-*.sh; do
	# Helper libraries (*lib.sh) are sourced, not run.
	case $s in *lib.sh) continue ;; esac
	[ -f "$s" ] || continue
	case ${s##*/} in xen-*) [ -n "${VM_SKIP_XEN:-}" ] && continue ;; esac
	start=$SECONDS
	verdict=$(bash "$s" 2>>"$dir/work/logs/run-all.log" | tail -n1)
	case $verdict in
	PASS:*) passed=$((passed + 1)) ;;
	*)
		failed=$((failed + 1))
		case $verdict in FAIL:*) ;; *) verdict="FAIL: $(basename "$s" .sh): no verdict (got '$verdict')" ;; esac ;;
	esac
	echo "$verdict"
	echo "  ($(basename "$s") took $((SECONDS - start))s)"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
