#!/bin/bash
# Xen dom0 kdump through the pre-4.4 v1 path, forced on Xen 4.17 with the
# testing aid KEXEC_XEN_V1_PRE44=1 (with --xen-ops=v1). Xen 4.17 ignores
# page_list (our relocation code does not run here: see xen-v1-reloc.sh);
# this proves the crash slot's side of the path on a real hypervisor: the
# frames of a crash image are kept and listed in
# /run/kexec-ng/xen-v1-crash.mfns, -p -u gives them back (free memory as
# before), a replacing -p gives the old ones back, and a dom0 panic still
# boots the capture kernel with an ELF /proc/vmcore.
. "$(dirname "$0")/lib.sh"
vm_begin xen-v1-pre44-crash
token=$(vm_token XQ)
cat >"$VM_RUN/dom0.sh" <<EOF2
mkdir -p /run && mount -t tmpfs -o mode=0755 tmpfs /run
export KEXEC_XEN_V1_PRE44=1
echo "KXLOG-$token" >/dev/kmsg
V1=--xen-ops=v1
A="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices KXMARK=$token"
S=/run/kexec-ng/xen-v1-crash.mfns
step free-before \$KX -d -S
step load \$KX \$V1 -d -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step state1 test -s \$S
step unload \$KX \$V1 -d -p -u
step state2 test ! -e \$S
step free-after \$KX -d -S
step reload \$KX \$V1 -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step replace \$KX \$V1 -d -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step state3 test -s \$S
step status-replace \$KX -S
# Let the console drain first: a panic drops output still in flight.
sleep 1
echo c >/proc/sysrq-trigger
EOF2
vm_deps xen
vm_kernel
vm_xen
kx=$(vm_kexec_bin) || { vm_fail "no kexec binary"; vm_finish; }
echo "vm: $VM_NAME: kexec under test: $kx" >&2
vm_capture_initramfs "$VM_RUN/capture.cpio.gz" "KXLOG-$token"
{ echo xen_dom0_setup; cat "$VM_RUN/dom0.sh"; } >"$VM_RUN/dom0-init.sh"
vm_initramfs "$VM_RUN/dom0.cpio.gz" "$VM_RUN/dom0-init.sh" \
	"$kx=$VM_G_KX" "$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/capture.cpio.gz=$VM_G_TARGET" \
	$(vm_xen_module_specs)
vm_run_xen "$VM_RUN/dom0.cpio.gz"
ok() { expect_in_log "STEP $1 rc=$2[[:space:]]*\$" "$3"; }
ok load 0 "pre-4.4 v1 -p failed in dom0"
expect_in_log 'ERR load: xen: kexec ops v1 \(pre-4.4, dom0 relocation code\): KEXEC_XEN_V1_PRE44' \
	"-d does not say that the pre-4.4 path ran"
expect_in_log 'ERR load: xen: [0-9]+ frames kept for the v1 image, listed in /run/kexec-ng/xen-v1-crash.mfns' \
	"-d does not say the crash image's frames are kept"
ok state1 0 "no crash state file after -p"
ok unload 0 "pre-4.4 v1 -p -u failed"
expect_in_log 'ERR unload: xen: [0-9]+ frames of the unloaded v1 image given back' "-p -u did not give the frames back"
ok state2 0 "crash state file still there after -p -u"
ok reload 0 "loading the crash image again failed"
ok replace 0 "replacing the crash image failed"
expect_in_log 'ERR replace: xen: [0-9]+ frames of the unloaded v1 image given back' \
	"the replacing -p did not give the old frames back"
ok state3 0 "no crash state file after the replacing -p"
ok status-replace 1 "-S after replacing should exit 1"
before=$(grep -a -o 'ERR free-before: xen: free_pages=[0-9]*' "$VM_LOG" | grep -o '[0-9]*$')
after=$(grep -a -o 'ERR free-after: xen: free_pages=[0-9]*' "$VM_LOG" | grep -o '[0-9]*$')
echo "vm: $VM_NAME: hypervisor free pages before=$before after=$after" >&2
[ -n "$before" ] && [ "$before" = "$after" ] ||
	vm_fail "hypervisor free pages differ after crash load+unload: before=$before after=$after"
expect_in_log 'Executing kexec image' "Xen did not run the capture kernel"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token .*elfcorehdr=[0-9]+K" "capture kernel did not boot with elfcorehdr="
expect_in_log 'KXVMCORE magic=177ELF' "no ELF /proc/vmcore in the capture kernel"
expect_xen_alive
vm_finish
