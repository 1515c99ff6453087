#!/bin/bash
# Benchmark (not a test): in one Xen 4.17 dom0 boot, load the Debian kernel
# with a 192 MiB initrd with our kexec and with the distribution's kexec-tools
# 2.0.25, and print wall time and peak RSS of each and their ratios.
#
# Ours runs first and unloads its image; kexec-tools runs last and its image
# is never unloaded or replaced: with its top-of-RAM placement that crashes
# Xen 4.17 (see doc/xen-kexec-interface.md §8.2). Under TCG the numbers are
# instruction-bound: compare the two loaders within one run, never across
# runs or machines.
. "$(dirname "$0")/../lib.sh"
vm_begin xen-load-bench
INITRD_MB=${INITRD_MB:-192}
cat >"$VM_RUN/dom0.sh" <<EOF2
cp \$TARGET_INITRD /tmp/big-initrd
# Random data, so neither loader gains from zero pages.
dd if=/dev/urandom bs=1M count=${INITRD_MB} 2>/dev/null >>/tmp/big-initrd
ls -l /tmp/big-initrd
T='/usr/bin/time -f'
step ours \$T "BENCH ours wall=%e rss_kb=%M" \$KX -l \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
step ours-unload \$KX -u
step distro \$T "BENCH distro wall=%e rss_kb=%M" /sbin/kexec -l \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0"
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh" /usr/bin/time
expect_in_log 'STEP ours rc=0' "our load failed"
expect_in_log 'STEP distro rc=0' "the distribution's load failed"
expect_xen_alive
ours=$(grep -a -o 'BENCH ours wall=[0-9.]* rss_kb=[0-9]*' "$VM_LOG" | head -n1)
distro=$(grep -a -o 'BENCH distro wall=[0-9.]* rss_kb=[0-9]*' "$VM_LOG" | head -n1)
if [ -n "$ours" ] && [ -n "$distro" ]; then
	ow=${ours#*wall=}; ow=${ow%% *}; orss=${ours##*rss_kb=}
	dw=${distro#*wall=}; dw=${dw%% *}; drss=${distro##*rss_kb=}
	echo "initrd: ${INITRD_MB} MiB of random data + the target's initramfs"
	printf '%-22s %10s %12s\n' loader "wall (s)" "peak RSS (MiB)"
	printf '%-22s %10s %12.1f\n' "ours" "$ow" "$(echo "$orss/1024" | bc -l)"
	printf '%-22s %10s %12.1f\n' "kexec-tools 2.0.25" "$dw" "$(echo "$drss/1024" | bc -l)"
	printf 'ratio ours/kexec-tools: wall %.2fx, peak RSS %.2fx\n' \
		"$(echo "$ow/$dw" | bc -l)" "$(echo "$orss/$drss" | bc -l)"
else
	vm_fail "no BENCH lines in the log"
fi
vm_finish
