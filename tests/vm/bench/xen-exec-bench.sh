#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): `kexec -e` to the new kernel's first line in a Xen
# 4.17 dom0, the Debian kernel with a 192 MiB initrd, ours against the
# distribution's kexec-tools 2.0.25 (at --mem-max=0x3fffffff, a placement
# Xen survives executing). Both check the digest in purgatory (no -i). Each
# measurement is one dom0 boot (exec ends it): ROUNDS rounds, the order of
# the two loaders alternating round by round; medians and their ratio.
# Measured on the host from the serial log's timestamps: from a line dom0
# prints just before `kexec -e` to the target's "Linux version" banner, and
# to its init's KXTARGET-UP line. Under TCG the figures are
# instruction-bound: compare within one run. On qemu64 our purgatory takes
# its plain path; with VM_SHA_EXT=1 (Debian 13's QEMU, a CPU with the SHA
# extensions, see tests/vm/README.md) its SHA-extension path, as on most
# x86-64 hardware of the last years. kexec-tools' purgatory has one path.
# Usage: [INITRD_MB=192] [ROUNDS=2] [VM_SHA_EXT=1] tests/vm/bench/xen-exec-bench.sh
. "$(dirname "$0")/../lib.sh"
vm_begin xen-exec-bench
INITRD_MB=${INITRD_MB:-192}
ROUNDS=${ROUNDS:-2}
DISTRO_PLACEMENT="--mem-max=0x3fffffff"
RESULTS=$VM_RUN/results
: >"$RESULTS"

# boot WHO: one dom0 boot that loads with WHO's kexec and executes it.
boot() {
	local who=$1 kx token t
	token=$(vm_token XE)
	if [ "$who" = ours ]; then kx='$KX'; else kx="/sbin/kexec $DISTRO_PLACEMENT"; fi
	cat >"$VM_RUN/dom0.sh" <<EOF2
cp \$TARGET_INITRD /tmp/big-initrd
# Zero padding: the target's kernel skips zeros between cpio archives.
truncate -s ${INITRD_MB}M /tmp/big-initrd
step load $kx -l \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0 panic=-1 KXMARK=$token"
echo "BENCH-EXEC-START"
step exec ${kx%% *} -e
EOF2
	: >"$VM_TSLOG"	# this boot's lines only
	vm_xen_scenario "$VM_RUN/dom0.sh"
	expect_in_log 'STEP load rc=0[[:space:]]*$' "$who: kexec -l failed"
	expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "$who: the target did not come up"
	expect_xen_alive
	t=$(awk '/BENCH-EXEC-START/ && !s { s = $1 }
		 s && /Linux version/ && !f { f = $1 }
		 s && /KXTARGET-UP/ && !u { u = $1 }
		 END { if (s && f && u) printf "%.3f %.3f\n", f - s, u - s }' "$VM_TSLOG")
	[ -n "$t" ] || { vm_fail "$who: no timestamps for exec"; return; }
	echo "$who $t" >>"$RESULTS"
	vm_log "xen-exec-bench: $who: first line after ${t% *} s, init after ${t#* } s"
}

for r in $(seq "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then order="ours distro"; else order="distro ours"; fi
	for who in $order; do
		vm_log "xen-exec-bench: round $r of $ROUNDS: $who"
		boot "$who"
	done
done

# median WHO COLUMN (2: first line, 3: init up)
median() {
	local v n
	v=$(awk -v w="$1" -v c="$2" '$1 == w { print $c }' "$RESULTS" | sort -n)
	n=$(printf '%s\n' "$v" | grep -c .)
	[ "$n" -gt 0 ] && printf '%s\n' "$v" | sed -n "$(( (n + 1) / 2 ))p"
}
of=$(median ours 2) df=$(median distro 2) ou=$(median ours 3) du=$(median distro 3)
if [ -n "$of" ] && [ -n "$df" ]; then
	echo "initrd: ${INITRD_MB} MiB (the target's initramfs, zero-padded); $ROUNDS rounds, order alternating; medians"
	echo "kexec-tools placed with $DISTRO_PLACEMENT, a placement Xen 4.17 survives executing"
	echo "guest CPU $VM_CPU on $("$VM_QEMU_BIN" --version | head -n1) (TCG)"
	echo "per-boot figures (who, s to first line, s to init): $(tr '\n' ';' <"$RESULTS")"
	printf '%-40s %16s %14s\n' loader "to first line (s)" "to init (s)"
	printf '%-40s %16s %14s\n' ours "$of" "$ou"
	printf '%-40s %16s %14s\n' "kexec-tools 2.0.25 $DISTRO_PLACEMENT" "$df" "$du"
	printf 'ratio ours/kexec-tools: to first line %.2fx, to init %.2fx\n' \
		"$(echo "$of/$df" | bc -l)" "$(echo "$ou/$du" | bc -l)"
else
	vm_fail "no exec timings"
fi
vm_finish
