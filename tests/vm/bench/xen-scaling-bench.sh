#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): how our load scales with the initrd in a Xen 4.17
# dom0. Boot 1 (Xen has most of the memory free): load and unload the Debian
# kernel with 16, 64, 192 and 512 MiB initrds (random data), wall time and
# peak RSS of each, and the cost per MiB between the smallest and the
# largest. Boot 2 (dom0 given most of the memory, no crash region, so Xen's
# free memory is too small to lend staging frames for the image): the same
# load of SMALL_FREE_MB (192) must still work, with bounded memory.
# Under TCG the figures are instruction-bound: compare within one run.
# Usage: [SIZES="16 64 192 512"] [SMALL_FREE_MB=192] tests/vm/bench/xen-scaling-bench.sh
. "$(dirname "$0")/../lib.sh"
vm_begin xen-scaling-bench
SIZES=${SIZES:-16 64 192 512}
SMALL_FREE_MB=${SMALL_FREE_MB:-192}
TOO_BIG_MB=${TOO_BIG_MB:-512}
RESULTS=$VM_RUN/results
: >"$RESULTS"

# dom0 script loading each size in $1 with label prefix $2.
script() {
	cat >"$VM_RUN/dom0.sh" <<EOF2
T='/usr/bin/time -f'
step free-before \$KX -d -S -l
for mb in $1; do
	cp \$TARGET_INITRD /tmp/big-initrd
	dd if=/dev/urandom bs=1M count=\$mb 2>/dev/null >>/tmp/big-initrd
	step load-\$mb \$T "BENCH $2 mb=\$mb wall=%e rss_kb=%M" \$KX -l \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
	step unload-\$mb \$KX -u
	rm -f /tmp/big-initrd
done
EOF2
}

# Boot 1: room for a 512 MiB file in dom0's tmpfs, and Xen memory to spare.
script "$SIZES" scale
VM_MEM=${VM_MEM_SCALE:-4096} VM_DOM0_MEM=1536M vm_xen_scenario "$VM_RUN/dom0.sh" /usr/bin/time
for mb in $SIZES; do
	expect_in_log "STEP load-$mb rc=0" "load of $mb MiB failed"
done
expect_xen_alive
grep -a -o 'BENCH scale mb=[0-9]* wall=[0-9.]* rss_kb=[0-9]*' "$VM_LOG" | sort -u >>"$RESULTS"

# Boot 2: dom0 takes most of a 2 GiB machine, no crash region: Xen (about
# 480 MiB free) can hold the image but not also lend staging frames for it. The load must
# still work (staged in dom0 memory), and an image Xen cannot hold at all
# must be refused with one line instead of crashing Xen 4.17.
script "$SMALL_FREE_MB" small-free
cat >>"$VM_RUN/dom0.sh" <<EOF2
step free-after \$KX -d -S -l
cp \$TARGET_INITRD /tmp/big-initrd
truncate -s ${TOO_BIG_MB}M /tmp/big-initrd
step too-big \$KX -l \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
EOF2
VM_MEM=2048 VM_DOM0_MEM=${SMALL_FREE_DOM0:-1536M} VM_CRASHKERNEL= vm_xen_scenario "$VM_RUN/dom0.sh" /usr/bin/time
expect_in_log "STEP load-$SMALL_FREE_MB rc=0" "load with little free Xen memory failed"
expect_in_log "STEP too-big rc=[1-9]" "a load Xen cannot hold was not refused"
expect_in_log "ERR too-big: kexec: Xen has [0-9]+ MiB free.*not loading" "no clear refusal for a load Xen cannot hold"
expect_xen_alive
grep -a -o 'BENCH small-free mb=[0-9]* wall=[0-9.]* rss_kb=[0-9]*' "$VM_LOG" | sort -u >>"$RESULTS"
free_pages=$(grep -a -o 'ERR free-before: xen: free_pages=[0-9]*' "$VM_LOG" | head -n1 | sed 's/.*=//')
refusal=$(grep -a -o 'ERR too-big: kexec: .*' "$VM_LOG" | head -n1 | sed 's/^ERR too-big: //')

printf '%-28s %8s %10s %15s\n' case "MiB" "wall (s)" "peak RSS (MiB)"
while read -r _ label mb wall rss; do
	printf '%-28s %8s %10s %15.1f\n' "$label" "${mb#mb=}" "${wall#wall=}" \
		"$(echo "${rss#rss_kb=}/1024" | bc -l)"
done < <(grep -a 'BENCH scale ' "$RESULTS" | sort -t= -k2 -n; grep -a 'BENCH small-free ' "$RESULTS")
first=$(grep -a 'BENCH scale ' "$RESULTS" | sort -t= -k2 -n | head -n1)
last=$(grep -a 'BENCH scale ' "$RESULTS" | sort -t= -k2 -n | tail -n1)
if [ -n "$first" ] && [ "$first" != "$last" ]; then
	m1=$(echo "$first" | sed 's/.*mb=\([0-9]*\).*/\1/') w1=$(echo "$first" | sed 's/.*wall=\([0-9.]*\).*/\1/')
	m2=$(echo "$last" | sed 's/.*mb=\([0-9]*\).*/\1/') w2=$(echo "$last" | sed 's/.*wall=\([0-9.]*\).*/\1/')
	printf 'cost per MiB (%s to %s MiB): %.1f ms\n' "$m1" "$m2" "$(echo "($w2-$w1)*1000/($m2-$m1)" | bc -l)"
fi
[ -n "$free_pages" ] && echo "little-free boot: Xen had $((free_pages / 256)) MiB free before the loads"
[ -n "$refusal" ] && echo "little-free boot, ${TOO_BIG_MB} MiB initrd: $refusal"
vm_finish
