#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0 on Xen 4.17, the pre-4.4 v1 path forced with the
# test seam tests/seams/pre44-on-v1.c (with --xen-ops=v1). Xen >= 4.4 ignores page_list
# and runs its own relocation code, so this does NOT run our relocation
# code (tests/vm/xen-v1-reloc.sh does, without Xen); it proves the rest of
# the pre-4.4 path on a real hypervisor: the control block is built and
# passed, every frame stays allocated while the image is loaded and is
# listed in /run/kexec-ng/xen-v1-default.mfns (mode 0600), -u and a
# replacing load give them all back, and the image still boots.
. "$(dirname "$0")/lib.sh"
vm_begin xen-v1-pre44
vm_seam pre44
token=$(vm_token XP)
cat >"$VM_RUN/dom0.sh" <<EOF2
mkdir -p /run && mount -t tmpfs -o mode=0755 tmpfs /run
V1=--xen-ops=v1
A="console=ttyS0 panic=-1"
S=/run/kexec-ng/xen-v1-default.mfns
step free-before \$KX -d -S -l
step load1 \$KX \$V1 -d -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A KXMARK=first"
step state1 sh -c "stat -c 'MODE %a %u' \$S >&2; echo FRAMES \\\$(sed -n 2p \$S) >&2"
step dirmode sh -c "stat -c 'DIRMODE %a' /run/kexec-ng >&2"
step free-loaded \$KX -d -S -l
step unload \$KX \$V1 -d -u
step state2 test ! -e \$S
step free-after \$KX -d -S -l
step load2 \$KX \$V1 -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A KXMARK=second"
step free-load2 \$KX -d -S -l
step load3 \$KX \$V1 -d -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A KXMARK=$token"
step free-load3 \$KX -d -S -l
step status3 \$KX -S -l
step exec \$KX \$V1 -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
free() { grep -a -o "ERR $1: xen: free_pages=[0-9]*" "$VM_LOG" | grep -o '[0-9]*$'; }
expect_step load1 0 "pre-4.4 v1 load failed"
expect_in_log 'ERR load1: xen: kexec ops v1 \(pre-4.4, dom0 relocation code\): test seam pre44-on-v1' \
	"-d does not say that the pre-4.4 path ran and why"
expect_in_log 'ERR load1: xen: v1 control page at 0x[0-9a-f]+, identity map of 0-0x[0-9a-f]+ in [0-9]+ frames' \
	"-d does not show the control block"
expect_in_log 'ERR load1: xen: [0-9]+ frames kept for the v1 image, listed in /run/kexec-ng/xen-v1-default.mfns' \
	"-d does not say the frames are kept"
expect_in_log 'ERR state1: MODE 600 0$' "state file missing or not mode 0600"
expect_in_log 'ERR dirmode: DIRMODE 700' "state directory not mode 0700"
expect_step unload 0 "pre-4.4 v1 unload failed"
expect_in_log 'ERR unload: xen: [0-9]+ frames of the unloaded v1 image given back' "-u did not give the frames back"
expect_step state2 0 "state file still there after -u"
expect_step load2 0 "second pre-4.4 v1 load failed"
expect_step load3 0 "replacing pre-4.4 v1 load failed"
expect_in_log 'ERR load3: xen: [0-9]+ frames of the unloaded v1 image given back' \
	"the replacing load did not give the old image's frames back"
expect_step status3 1 "-S -l does not report the replaced image as loaded"
before=$(free free-before); loaded=$(free free-loaded); after=$(free free-after)
l2=$(free free-load2); l3=$(free free-load3)
held=$(grep -a -o 'ERR state1: FRAMES [0-9]*' "$VM_LOG" | grep -o '[0-9]*$')
echo "vm: $VM_NAME: free pages before=$before loaded=$loaded after=$after load2=$l2 load3=$l3 held=$held" >&2
[ -n "$before" ] && [ "$before" = "$after" ] ||
	vm_fail "hypervisor free pages differ after load+unload: before=$before after=$after"
# Xen 4.17 also takes a copy of the image during the load: >= held.
[ -n "$loaded" ] && [ -n "$held" ] && [ "$((before - loaded))" -ge "$held" ] ||
	vm_fail "frames not held while loaded: before=$before loaded=$loaded held=$held"
# Xen 4.17 also holds its own copy of the image, whose page-table count
# varies by a few pages with where its copies land; a replacing load that
# kept the old frames would differ by the whole image.
d=$(( l2 > l3 ? l2 - l3 : l3 - l2 ))
[ -n "$l2" ] && [ -n "$l3" ] && [ "$d" -lt 64 ] ||
	vm_fail "a replacing load did not give the old frames back: load2=$l2 load3=$l3"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
expect_xen_alive
vm_finish
