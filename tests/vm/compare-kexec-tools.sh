#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# On demand, not part of run-all.sh: each Debian release's own kexec-tools
# (11: 2.0.20, 12: 2.0.25, 13: 2.0.29) side by side with our kexec (the
# Debian 12 build, as everywhere) on that release's Xen dom0 (11: Xen 4.14
# + 5.10, 12: Xen 4.17 + 6.1, 13: Xen 4.20 + 6.12). Prints a Markdown table
# (the one in README.md, "kexec-tools of each release, side by side") and, last,
# PASS: compare-kexec-tools when every boot ran to its end (whatever the
# tools did: the table is the result).
#
# The release's kexec-tools .deb and the libraries it needs (its own libc
# and libxenctrl) are fetched through the private apt state (lib.sh,
# vm_rel_apt) into work/kt/<suite>/ and carried into dom0 as one tarball;
# dom0 runs the binary with that release's dynamic loader and libraries.
#
# Three boots per release:
#   ng:     kexec-tools' steps, then ours, then our -l + -e
#   kt:     our steps, then kexec-tools', then its -l --mem-max=0x3fffffff + -e
#   kt-top: kexec-tools -l with its default placement (top of RAM below
#           4 GiB), then -e
# The steps: -S -l (nothing loaded), -l, -S -l, -u, -S -l, -p, -S -p,
# -p -u, -S -p. kexec-tools' normal loads always get --mem-max=0x3fffffff
# except in kt-top: with its default placement the target never starts
# after Xen's "Executing kexec image" (4.17 and 4.20), and a large initrd
# placed there crashes Xen 4.17 when unloaded (README.md, "Xen notes" and
# "Xen under QEMU"). Debian 11's 2.0.20 has no Xen support at all. A row
# cell is "ok" when the step exited as wanted; the exec cells say whether
# the target came up with the boot's token.
# CMP_RELEASES="11 13" limits the releases (default "11 12 13").
. "$(dirname "$0")/lib.sh"
MEMMAX=--mem-max=0x3fffffff

# kt_fetch: the chosen release's kexec-tools with the libraries it needs,
# packed as work/kt/<suite>/kt.tgz holding opt/kt/kexec and opt/kt/lib/.
# Sets KT_TGZ and KT_VERSION.
kt_fetch() {
	local suite dir todo pkg dep f t seen=" "
	suite=$(vm_suite "$VM_RELEASE")
	dir=$VM_WORK/kt/$suite
	KT_TGZ=$dir/kt.tgz
	vm_rel_lists
	if [ ! -s "$KT_TGZ" ]; then
		rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/x" "$dir/root/opt/kt/lib" || exit 2
		# kexec-tools and, recursively, the lib* packages it depends on.
		todo=kexec-tools
		while [ -n "$todo" ]; do
			set -- $todo
			pkg=$1
			shift
			todo="$*"
			case $seen in *" $pkg "*) continue ;; esac
			seen+="$pkg "
			for dep in $(vm_rel_apt apt-cache depends --no-recommends --no-suggests \
				--no-conflicts --no-breaks --no-replaces --no-enhances "$pkg" 2>/dev/null |
				awk '$1 ~ /^\|?(Pre)?Depends:$/ && $2 ~ /^lib/ { print $2 }'); do
				todo+=" $dep"
			done
		done
		vm_log "Debian $VM_RELEASE kexec-tools and libraries:$seen"
		(cd "$dir/debs" && vm_rel_apt apt-get download -q $seen) >&2 ||
			vm_die "apt-get download of kexec-tools (Debian $VM_RELEASE) failed"
		for f in "$dir"/debs/*.deb; do
			dpkg -x "$f" "$dir/x" || vm_die "dpkg -x $f failed"
		done
		# /sbin/kexec up to Debian 12, /usr/sbin/kexec in 13 (merged /usr).
		f=$(ls "$dir"/x/sbin/kexec "$dir"/x/usr/sbin/kexec 2>/dev/null | head -n1)
		[ -n "$f" ] && cp "$f" "$dir/root/opt/kt/kexec" || vm_die "no sbin/kexec in kexec-tools"
		# Every shared object, flattened into opt/kt/lib; symbolic links
		# are followed inside the extracted tree.
		for f in "$dir"/x/lib/x86_64-linux-gnu/*.so* "$dir"/x/usr/lib/x86_64-linux-gnu/*.so* \
			"$dir"/x/lib64/*.so* "$dir"/x/usr/lib64/*.so*; do
			[ -e "$f" ] || [ -L "$f" ] || continue
			t=$f
			while [ -L "$t" ]; do
				case $(readlink "$t") in
				/*) t=$dir/x$(readlink "$t") ;;
				*) t=$(dirname "$t")/$(readlink "$t") ;;
				esac
			done
			[ -f "$t" ] && cp "$t" "$dir/root/opt/kt/lib/$(basename "$f")"
		done
		[ -f "$dir/root/opt/kt/lib/ld-linux-x86-64.so.2" ] || vm_die "no dynamic loader in Debian $VM_RELEASE's libc6"
		tar -C "$dir/root" -czf "$KT_TGZ" opt || vm_die "cannot pack $KT_TGZ"
	fi
	KT_VERSION=$(ls "$dir"/debs/kexec-tools_*.deb | sed 's/.*kexec-tools_\([^_]*\)_.*/\1/; s/%3a/:/')
}

# The dom0 script of boot $1 (ng, kt or kt-top) with token $2.
cmp_guest() {
	local boot=$1 token=$2
	cat <<EOF
tar -xzf /opt/kt.tgz -C /
KT="/opt/kt/lib/ld-linux-x86-64.so.2 --library-path /opt/kt/lib /opt/kt/kexec"
A="console=ttyS0 panic=-1"
EOF
	cat <<'EOF'
# steps P KEXEC... [-- MEMMAX]: the load/status/unload/crash steps of one
# tool, named P-<step>.
steps() {
	p=$1 mm=$2
	shift 2
	step $p-version "$@" --version
	step $p-S0 "$@" -S -l
	step $p-load "$@" -l $mm $VMLINUZ --initrd=$TARGET_INITRD --append="$A KXMARK=$p-load"
	step $p-S1 "$@" -S -l
	step $p-unload "$@" -u
	step $p-S2 "$@" -S -l
	step $p-crash "$@" -p $VMLINUZ --initrd=$TARGET_INITRD --append="$A irqpoll nr_cpus=1 reset_devices"
	step $p-S3 "$@" -S -p
	step $p-cunload "$@" -p -u
	step $p-S4 "$@" -S -p
}
EOF
	case $boot in
	ng)
		echo "steps kt $MEMMAX \$KT"
		echo "steps ng '' \$KX"
		echo "step ng-exec-load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append=\"\$A KXMARK=$token\""
		echo "step ng-exec \$KX -e" ;;
	kt)
		echo "steps ng '' \$KX"
		echo "steps kt $MEMMAX \$KT"
		echo "step kt-exec-load \$KT -l $MEMMAX \$VMLINUZ --initrd=\$TARGET_INITRD --append=\"\$A KXMARK=$token\""
		echo "step kt-exec \$KT -e" ;;
	kt-top)
		echo "step kt-exec-load \$KT -l \$VMLINUZ --initrd=\$TARGET_INITRD --append=\"\$A KXMARK=$token\""
		echo "step kt-exec \$KT -e" ;;
	esac
}

# rc_of LOG STEP: the exit status of STEP in LOG, or "-" if it never ran.
rc_of() {
	local rc
	rc=$(grep -a -o "^STEP $2 rc=[0-9]*" "$1" | tail -n1 | sed 's/.*rc=//')
	echo "${rc:--}"
}

# cell LOG STEP WANT: "ok" if STEP exited WANT, else what happened.
cell() {
	local rc
	rc=$(rc_of "$1" "$2")
	if [ "$rc" = "$3" ]; then
		echo ok
	elif [ "$rc" = - ]; then
		echo "not reached"
	else
		echo "**rc=$rc**"
	fi
}

# exec_cell LOG TOKEN: what kexec -e did in that boot.
exec_cell() {
	local log=$1 token=$2 rc
	rc=$(rc_of "$log" "$3-exec-load")
	if grep -a -q "KXTARGET-UP cmdline=.*KXMARK=$token" "$log"; then
		echo boots
	elif [ "$rc" != 0 ]; then
		echo "**load rc=$rc**"
	elif grep -a -q -E '\(XEN\) (Xen BUG|FATAL|Panic on CPU|Manual reset required)' "$log"; then
		echo "**Xen crashed**"
	elif grep -a -q 'Executing kexec image' "$log"; then
		echo "**hangs after Xen's Executing kexec image**"
	else
		echo "**exec rc=$(rc_of "$log" "$3-exec")**"
	fi
}

# The cells of tool P (kt or ng) from LOG, with -S answers checked.
row_cells() {
	local log=$1 p=$2
	printf '%s | %s | %s | %s | %s | %s | %s | %s | %s' \
		"$(cell "$log" $p-S0 0)" "$(cell "$log" $p-load 0)" "$(cell "$log" $p-S1 1)" \
		"$(cell "$log" $p-unload 0)" "$(cell "$log" $p-S2 0)" "$(cell "$log" $p-crash 0)" \
		"$(cell "$log" $p-S3 1)" "$(cell "$log" $p-cunload 0)" "$(cell "$log" $p-S4 0)"
}

table=$VM_WORK/logs/compare-kexec-tools.md
notes=$VM_WORK/logs/compare-kexec-tools.notes
mkdir -p "$VM_WORK/logs"
: >"$notes"
{
	echo "| Release (Xen, dom0) | kexec | -S -l empty | -l | -S -l loaded | -u | -S -l after -u | -p | -S -p loaded | -p -u | -S -p after | -l + -e | -l + -e, default placement |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$table"
complete=1
for rel in ${CMP_RELEASES:-11 12 13}; do
	VM_RELEASE=$rel
	vm_deps xen
	vm_kernel
	vm_xen
	kt_fetch
	kx=$(vm_kexec_bin) || vm_die "no kexec binary: build the repo or set KEXEC_BIN"
	kver=$(basename "$VM_MODDIR")
	declare -A logs=() tokens=()
	for boot in ng kt kt-top; do
		vm_begin "compare-kexec-tools-$boot"
		tokens[$boot]=$(vm_token CK)
		cmp_guest "$boot" "${tokens[$boot]}" >"$VM_RUN/dom0.sh"
		vm_xen_dom0_initramfs "$VM_RUN/dom0.cpio.gz" "$VM_RUN/dom0.sh" \
			"$kx=$VM_G_KX" "$KT_TGZ=/opt/kt.tgz"
		# A hang after -e costs the whole timeout: keep it short.
		VM_TIMEOUT=${CMP_TIMEOUT:-240} vm_run_xen "$VM_RUN/dom0.cpio.gz"
		logs[$boot]=$VM_LOG
		grep -a -q '^INIT-END\|KXTARGET-UP\|Executing kexec image' "$VM_LOG" || complete=
		echo "vm: $VM_NAME: $VM_FAILS" >&2
	done
	what="Debian $rel (Xen $VM_XEN_VERSION, $kver)"
	echo "| $what | kexec-tools $KT_VERSION | $(row_cells "${logs[kt]}" kt) | $(exec_cell "${logs[kt]}" "${tokens[kt]}" kt) (with \`--mem-max\`) | $(exec_cell "${logs[kt-top]}" "${tokens[kt-top]}" kt) |" >>"$table"
	echo "| $what | ours | $(row_cells "${logs[ng]}" ng) | $(exec_cell "${logs[ng]}" "${tokens[ng]}" ng) | (same placement) |" >>"$table"
	# What kexec-tools said when a step failed, once per message.
	grep -a -h '^ERR kt-' "${logs[kt]}" "${logs[kt-top]}" | sed 's/^ERR kt-[^:]*: //' |
		awk '!seen[$0]++' | sed "s/^/kexec-tools $KT_VERSION on Xen $VM_XEN_VERSION said: /" >>"$notes"
	unset logs tokens
done
cat "$table"
echo
cat "$notes"
VM_NAME=compare-kexec-tools
if [ -n "$complete" ]; then
	echo "PASS: compare-kexec-tools"
else
	echo "FAIL: compare-kexec-tools: a boot ended early (see work/logs/compare-kexec-tools-*.log)"
	exit 1
fi
