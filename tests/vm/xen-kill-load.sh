#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: kexec -l of a 192 MiB initrd killed with SIGKILL at several
# points (while staging into frames Xen lent, and during the load
# hypercall), v2 and v1 (--xen-ops=v1). The frames a killed run held are listed in its
# frame record (doc/xen-kexec-interface.md §11.1); the next kexec run, whatever
# it does (here `kexec -d -S -l`), gives them back and says so, and Xen's
# free pages are back to the value before. Then a load and exec still work.
. "$(dirname "$0")/lib.sh"
vm_begin xen-kill-load
token=$(vm_token XK)
cat >"$VM_RUN/dom0.sh" <<EOF2
cp \$TARGET_INITRD /tmp/big-initrd
truncate -s 192M /tmp/big-initrd
step free0 \$KX -d -S -l
# kill_at NAME WHEN [OPTIONS]: start a load, SIGKILL it when its -d
# output shows the line WHEN (a grep pattern) or, for a number, after that
# many seconds; show how far it got, then the next run reclaims.
kill_at() {
	k_n=\$1; _w=\$2; shift 2
	\$KX -d -l "\$@" \$VMLINUZ --initrd=/tmp/big-initrd --append="console=ttyS0 KXMARK=killed" \\
		>/tmp/\$k_n.out 2>&1 &
	_p=\$!
	case \$_w in
	[0-9]*) sleep \$_w ;;
	*) _i=0
	   while ! grep -q "\$_w" /tmp/\$k_n.out && [ \$_i -lt 600 ]; do sleep 0.05; _i=\$((_i + 1)); done ;;
	esac
	kill -9 \$_p
	wait \$_p
	echo "KXKILL \$k_n at=\$_w rc=\$? records=\$(ls /run/kexec-ng 2>/dev/null | grep -c '^staging-.*frames')"
	grep -E 'staged in|frames|free_pages' /tmp/\$k_n.out | tail -n 3 | sed "s/^/KXKILL \$k_n: /"
	step reclaim-\$k_n \$KX -d -S -l
	# A kill after the load hypercall leaves the image loaded (Xen's own
	# copy takes free pages): unload it before measuring.
	\$KX -u
	step free-\$k_n \$KX -d -S -l
}
# Staging the kernel (the grant of its frames is done), staging the initrd
# (49152 frames held), staging the last pieces or in the load hypercall.
kill_at kernel 'kernel staged in'
kill_at initrd 'initrd staged in'
kill_at purgatory 'purgatory staged in'
kill_at early 0.7
kill_at v1-staging 1.5 --xen-ops=v1
kill_at v1-submit 'v1 image staged' --xen-ops=v1
step free-end \$KX -d -S -l
step load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
VM_TIMEOUT=${VM_TIMEOUT:-600} vm_xen_scenario "$VM_RUN/dom0.sh"
grep -a -E 'KXKILL|gave back|free_pages' "$VM_LOG" | sed 's/^/vm: seen: /' >&2
free_of() { # the last free_pages a step printed
	grep -a -o "ERR $1: xen: free_pages=[0-9]*" "$VM_LOG" | tail -n1 | grep -o '[0-9]*$'
}
base=$(free_of free0)
[ -n "$base" ] || vm_fail "no hypervisor free pages from kexec -d"
reclaimed=0
for n in kernel initrd purgatory early v1-staging v1-submit; do
	expect_in_log "KXKILL $n at=.* rc=137" "the $n load was not killed (it finished first)"
	after=$(free_of free-$n)
	[ "$after" = "$base" ] || vm_fail "after the $n kill, a new run and an unload Xen has $after free pages, $base before"
	grep -a -q "ERR reclaim-$n: kexec: gave back [0-9]* staging frames" "$VM_LOG" &&
		reclaimed=$((reclaimed + 1))
done
# Most kill points land while frames are held (the rest before the first
# grant or after the last give-back): the reclaim must have happened.
[ "$reclaimed" -ge 4 ] || vm_fail "only $reclaimed of 6 kills left frames to reclaim: the kill points missed staging"
echo "vm: $VM_NAME: $reclaimed of 6 killed loads held frames; all given back (free pages $base)" >&2
[ "$(free_of free-end)" = "$base" ] || vm_fail "free pages at the end differ from the start"
expect_step load 0 "the load after the kills failed"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
