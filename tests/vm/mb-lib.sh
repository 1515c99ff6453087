# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the multiboot scenarios (sourced, not run): build the test
# kernel and its modules, and compare the memory map the test kernel
# received with the first kernel's /sys/firmware/memmap.

# mb_build_kernel: tests/mbkernel into $VM_RUN/mbk (sets MB_KDIR).
mb_build_kernel() {
	MB_KDIR=$VM_RUN/mbk
	"$VM_REPO/tests/mbkernel/build.sh" "$MB_KDIR" >&2 ||
		{ vm_fail "cannot build tests/mbkernel"; vm_finish; }
}

# mb_make_modules TOKEN: two modules, the second gzip'd (kexec must
# decompress it). Sets MB_MOD1, MB_MOD2 (host paths) and MB_MOD2_SIZE.
mb_make_modules() {
	MB_MOD1=$VM_RUN/mod1.txt
	MB_MOD2=$VM_RUN/mod2.txt.gz
	{ echo "KXMOD-ONE $1"; seq 1 2000; } >"$MB_MOD1"
	{ echo "KXMOD-TWO $1"; seq 5000 9000; } >"$VM_RUN/mod2.txt"
	MB_MOD1_SIZE=$(stat -c %s "$MB_MOD1")
	MB_MOD2_SIZE=$(stat -c %s "$VM_RUN/mod2.txt")
	gzip -9c "$VM_RUN/mod2.txt" >"$MB_MOD2"
}

# The guest lines that list the first kernel's memory map.
mb_guest_memmap() {
	cat <<'EOF2'
for d in /sys/firmware/memmap/*; do
	echo "KXHOSTMAP $(cat $d/start) $(cat $d/end) $(cat $d/type)"
done
EOF2
}

# Normalised "start end type" lines (end exclusive, e820 type numbers,
# adjacent ranges of one type merged), from the log's KXHOSTMAP lines
# (arg "host") or the test kernel's MBK-MMAP lines (arg "mbk").
mb_map_from_log() {
	local tag=KXHOSTMAP kind s e t rest
	[ "$1" = mbk ] && tag=MBK-MMAP
	grep -a -E "^$tag " "$VM_LOG" | while read -r kind s e t rest; do
		if [ "$kind" = KXHOSTMAP ]; then
			e=$((e + 1))
			case "$t${rest:+ $rest}" in
			"System RAM") t=1 ;;
			"ACPI Tables") t=3 ;;
			"ACPI Non-volatile Storage") t=4 ;;
			"Unusable memory") t=5 ;;
			*) t=2 ;;
			esac
		fi
		echo "$((s)) $((e)) $t"
	done | sort -n | mb_merge_map
}

# stdin: sorted decimal "start end type"; stdout: merged, in hex.
mb_merge_map() {
	local s e t cs= ce= ct=
	while read -r s e t; do
		if [ -n "$cs" ] && [ "$s" = "$ce" ] && [ "$t" = "$ct" ]; then
			ce=$e
			continue
		fi
		[ -n "$cs" ] && printf '0x%x 0x%x %s\n' "$cs" "$ce" "$ct"
		cs=$s ce=$e ct=$t
	done
	[ -n "$cs" ] && printf '0x%x 0x%x %s\n' "$cs" "$ce" "$ct"
	return 0
}

# The same from the first Xen's "Xen-e820 RAM map" (the machine map).
mb_map_from_xen_log() {
	local s e t
	sed -n '/(XEN) Xen-e820 RAM map:/,/(XEN) System RAM/p' "$VM_LOG" |
	sed -n 's/^(XEN)  \[\([0-9a-f]*\), \([0-9a-f]*\)\] (\(.*\))$/\1 \2 \3/p' |
	while read -r s e t; do
		case $t in
		usable) t=1 ;;
		"ACPI data") t=3 ;;
		"ACPI NVS") t=4 ;;
		unusable) t=5 ;;
		*) t=2 ;;
		esac
		echo "$((16#$s)) $((16#$e + 1)) $t"
	done | sort -n | mb_merge_map
}

# The test kernel's map must equal the first kernel's (/sys/firmware/memmap).
# With arg "xen", against the first Xen's boot-time machine map: the RAM
# must be the same and every other range must be there; Xen itself adds
# reserved ranges after printing (IO-APIC, local APIC pages).
mb_expect_same_map() {
	local host mbk line
	if [ "${1:-}" = xen ]; then
		host=$(mb_map_from_xen_log)
	else
		host=$(mb_map_from_log host)
	fi
	mbk=$(mb_map_from_log mbk)
	[ -n "$host" ] || { vm_fail "the first kernel listed no memory map"; return; }
	if [ "${1:-}" = xen ]; then
		[ "$(grep ' 1$' <<<"$host")" = "$(grep ' 1$' <<<"$mbk")" ] ||
			vm_fail "RAM in the memory map differs from Xen's machine map"
		while read -r line; do
			grep -q -x -F "$line" <<<"$mbk" || vm_fail "machine map range $line missing"
		done <<<"$host"
		return
	fi
	if [ "$host" != "$mbk" ]; then
		vm_fail "memory map differs from the first kernel's"
		diff <(echo "$host") <(echo "$mbk") | sed 's/^/  map: /' >&2
	fi
}

# Every sanity check the test kernel made passed, and it finished.
mb_expect_checks() {
	expect_in_log '^MBK-DONE' "the test kernel did not finish"
	expect_in_log '^MBK-CHECK meminfo-matches-mmap ok' "test kernel: bad or missing basic memory info"
	expect_in_log '^MBK-CHECK mmap-ordered ok' "test kernel: memory map empty or not ordered"
	expect_not_in_log '^MBK-CHECK .* bad' "a test kernel check failed"
}
