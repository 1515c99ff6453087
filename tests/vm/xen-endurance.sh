#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0 endurance: ENDURANCE_CYCLES (200) cycles of load, bad input,
# replace and unload, default and crash images, v2 and forced v1
# (--xen-ops=v1). After every step `kexec -S` is asked about
# both slots and must agree with what the steps did (a model kept by the
# script); every bad input must fail with exactly one line and leave both
# slots as they were. At the end Xen's free pages equal the start's, and
# the last image loaded still boots. Prints the figures as KXEND.
# QEMU's limit grows with the cycles (lib.sh's default of 300 s is for one
# load and exec); a VM_TIMEOUT in the environment still wins.
cycles=${ENDURANCE_CYCLES:-200}
VM_TIMEOUT=${VM_TIMEOUT:-$((240 + cycles * 8))}
. "$(dirname "$0")/lib.sh"
vm_begin xen-endurance
token=$(vm_token XE)
cat >"$VM_RUN/dom0.sh" <<EOF2
CYCLES=$cycles
EOF2
cat >>"$VM_RUN/dom0.sh" <<'EOF2'
head -c 3000000 $VMLINUZ >/tmp/truncated
truncate -s 64G /tmp/huge-initrd
A="console=ttyS0 panic=-1"
loaded_l=0 loaded_p=0 steps=0 wrong=0 badlines=0 bads=0 failed=0
# check NAME: both slots as the model says (our -S: 1 loaded, 0 not).
check() {
	$KX -S -l; s_l=$?
	$KX -S -p; s_p=$?
	if [ $s_l != $loaded_l ] || [ $s_p != $loaded_p ]; then
		wrong=$((wrong + 1))
		echo "KXWRONG $1: -S -l=$s_l -S -p=$s_p, model $loaded_l $loaded_p"
	fi
}
# good NAME SLOT(l|p|none) LOADED(0|1) CMD...: must succeed.
good() {
	_n=$1 _slot=$2 _v=$3; shift 3
	steps=$((steps + 1))
	if ! "$@" 2>/tmp/e.err; then
		failed=$((failed + 1))
		echo "KXFAILED $_n: $(head -n 2 /tmp/e.err | tr '\n' ' ')"
	else
		[ $_slot = l ] && loaded_l=$_v
		[ $_slot = p ] && loaded_p=$_v
	fi
	check $_n
}
# bad NAME CMD...: must fail with exactly one "kexec: " line.
bad() {
	_n=$1; shift
	steps=$((steps + 1)) bads=$((bads + 1))
	if "$@" 2>/tmp/e.err; then
		failed=$((failed + 1)); echo "KXFAILED $_n: bad input accepted"
	fi
	if [ "$(grep -c '^kexec: ' /tmp/e.err)" != 1 ] || [ "$(wc -l </tmp/e.err)" != 1 ]; then
		badlines=$((badlines + 1)); echo "KXBADLINES $_n: $(tr '\n' '|' </tmp/e.err)"
	fi
	check $_n
}
step free-start $KX -d -S -l
# One cycle: load, a bad input, replace, unload, in one slot (default on
# even cycle pairs, crash on odd), v2 and --xen-ops=v1 alternating; every
# third cycle also unloads the other, possibly empty, slot. The bad input
# comes while the slot is loaded, so "left as it was" means still loaded.
i=0
while [ $i -lt $CYCLES ]; do
	v=; [ $((i % 2)) = 1 ] && v=--xen-ops=v1
	if [ $((i / 2 % 2)) = 0 ]; then s=l o=p sl= so=-p; else s=p o=l sl=-p so=; fi
	good "$i-load-$s$v" $s 1 $KX $v -$s $VMLINUZ --initrd=$TARGET_INITRD --append="$A KXMARK=a$i"
	case $((i % 3)) in
	0) bad "$i-truncated" $KX $v -$s /tmp/truncated ;;
	1) bad "$i-huge-initrd" $KX $v -$s $VMLINUZ --initrd=/tmp/huge-initrd ;;
	2) bad "$i-missing" $KX $v -$s /nonexistent/vmlinuz ;;
	esac
	good "$i-replace-$s$v" $s 1 $KX $v -$s $VMLINUZ --initrd=$TARGET_INITRD --append="$A KXMARK=b$i"
	good "$i-unload-$s$v" $s 0 $KX $v $sl -u
	[ $((i % 3)) = 2 ] && good "$i-unload-$o$v" $o 0 $KX $v $so -u
	i=$((i + 1))
done
good final-crash-unload p 0 $KX -p -u
good final-load l 1 $KX -l $VMLINUZ --initrd=$TARGET_INITRD --append="$A KXMARK=LAST"
good final-unload l 0 $KX -u
step free-end $KX -d -S -l
echo "KXEND cycles=$CYCLES steps=$steps bad=$bads wrong=$wrong failed=$failed badlines=$badlines"
EOF2
cat >>"$VM_RUN/dom0.sh" <<EOF2
step load \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
grep -a -E 'KXEND|KXWRONG|KXFAILED|KXBADLINES' "$VM_LOG" | head -n 20 | sed 's/^/vm: seen: /' >&2
expect_in_log "KXEND cycles=$cycles steps=[0-9]+ bad=[0-9]+ wrong=0 failed=0 badlines=0" \
	"the endurance run went wrong (see KXWRONG/KXFAILED/KXBADLINES)"
expect_free_pages_equal free-start free-end
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the last image did not boot"
expect_xen_alive
vm_finish
