#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): load the Debian kernel with a 192 MiB initrd in a
# Xen 4.17 dom0 with our kexec and with the distribution's kexec-tools
# 2.0.25, alternating: ROUNDS dom0 boots, each timing ours (then unloading
# it), ours with -i (what the digest costs), and then kexec-tools; print the
# median wall time and peak RSS of each and their ratios.
#
# kexec-tools runs with --mem-max=0x3fffffff, a placement Xen survives
# executing (its default top-of-RAM placement does not; see
# doc/xen-kexec-interface.md §8.2). Unloading or replacing its 192 MiB image crashes Xen
# 4.17 at either placement (Xen BUG in page_alloc.c, measured here), so it
# loads last in each boot and a new boot starts the next round. Both loaders
# check the digest (no -i). Under TCG the numbers are instruction-bound:
# compare the two loaders within one run, never across runs or machines.
# Usage: [INITRD_MB=192] [ROUNDS=3] tests/vm/bench/xen-load-bench.sh
. "$(dirname "$0")/../lib.sh"
vm_begin xen-load-bench
INITRD_MB=${INITRD_MB:-192}
ROUNDS=${ROUNDS:-3}
DISTRO_PLACEMENT="--mem-max=0x3fffffff"
cat >"$VM_RUN/dom0.sh" <<EOF2
cp \$TARGET_INITRD /tmp/big-initrd
# Random data, so neither loader gains from zero pages.
dd if=/dev/urandom bs=1M count=${INITRD_MB} 2>/dev/null >>/tmp/big-initrd
ls -l /tmp/big-initrd
T='/usr/bin/time -f'
step ours \$T "BENCH ours wall=%e rss_kb=%M" \$KX -l \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
step ours-unload \$KX -u
# The same without the digest (-i): what the digest costs in this VM.
step ours-i \$T "BENCH ours-i wall=%e rss_kb=%M" \$KX -l -i \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
step ours-i-unload \$KX -u
step distro \$T "BENCH distro wall=%e rss_kb=%M" /sbin/kexec -l $DISTRO_PLACEMENT \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
EOF2
BENCH_LINES=$VM_RUN/bench-lines
: >"$BENCH_LINES"
for r in $(seq "$ROUNDS"); do
	vm_log "xen-load-bench: round $r of $ROUNDS"
	vm_xen_scenario "$VM_RUN/dom0.sh" /usr/bin/time
	expect_in_log 'STEP ours rc=0' "our load failed in round $r"
	expect_in_log 'STEP distro rc=0' "the distribution's load failed in round $r"
	expect_xen_alive
	grep -a -o 'BENCH [a-z-]* wall=[0-9.]* rss_kb=[0-9]*' "$VM_LOG" | sort -u >>"$BENCH_LINES"
done

# median WHO FIELD: the middle value of FIELD over WHO's BENCH lines.
median() {
	local v n
	v=$(grep -a "BENCH $1 " "$BENCH_LINES" |
		sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | sort -n)
	n=$(printf '%s\n' "$v" | grep -c .)
	[ "$n" -gt 0 ] && printf '%s\n' "$v" | sed -n "$(( (n + 1) / 2 ))p"
}
ow=$(median ours wall) dw=$(median distro wall)
orss=$(median ours rss_kb) drss=$(median distro rss_kb)
if [ -n "$ow" ] && [ -n "$dw" ] && [ -n "$orss" ] && [ -n "$drss" ]; then
	echo "initrd: ${INITRD_MB} MiB of random data + the target's initramfs; $ROUNDS rounds (dom0 boots), ours then kexec-tools in each; medians"
	echo "kexec-tools placed with $DISTRO_PLACEMENT, a placement Xen 4.17 survives (its default top-of-RAM one does not)"
	echo "per-run figures: $(tr '\n' ';' <"$BENCH_LINES")"
	printf '%-40s %10s %15s\n' loader "wall (s)" "peak RSS (MiB)"
	printf '%-40s %10s %15.1f\n' "ours" "$ow" "$(echo "$orss/1024" | bc -l)"
	printf '%-40s %10s %15.1f\n' "kexec-tools 2.0.25 $DISTRO_PLACEMENT" "$dw" "$(echo "$drss/1024" | bc -l)"
	printf '%-40s %10s\n' "ours -i (no digest; not compared)" "$(median ours-i wall)"
	printf 'ratio ours/kexec-tools: wall %.2fx, peak RSS %.2fx\n' \
		"$(echo "$ow/$dw" | bc -l)" "$(echo "$orss/$drss" | bc -l)"
	# Each round pairs the two loaders in one boot: the ratio per round
	# cancels what the shared host did to that boot.
	echo "wall ratio per round: $(paste -d' ' <(grep -a 'BENCH ours ' "$BENCH_LINES") \
		<(grep -a 'BENCH distro ' "$BENCH_LINES") |
		sed -n 's/.*ours wall=\([0-9.]*\).*distro wall=\([0-9.]*\).*/\1\/\2/p' |
		while read -r q; do printf '%.2fx ' "$(echo "$q" | bc -l)"; done)"
else
	vm_fail "no BENCH lines in the log"
fi
vm_finish
