#!/bin/bash
# Xen dom0 kdump through the v1 ops: kexec --xen-ops=v1 -p loads the
# capture kernel into Xen's crash area with KEXEC_CMD_kexec_load_v1 (Xen
# keeps its own copies and relocates them at crash time), a second -p
# replaces it, then dom0 panics (sysrq-c). Xen must run the capture kernel,
# which must find an ELF /proc/vmcore, and no staging frame may be lost.
. "$(dirname "$0")/lib.sh"
vm_begin xen-v1-crash
token=$(vm_token XW)
cat >"$VM_RUN/dom0.sh" <<EOF2
echo "KXLOG-$token" >/dev/kmsg
V1=--xen-ops=v1
A="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices KXMARK=$token"
step free-before \$KX -d -S
step load \$KX \$V1 -d -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status-after \$KX -S
step unload \$KX \$V1 -p -u
step free-after \$KX -d -S
step reload \$KX \$V1 -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step replace \$KX \$V1 -p \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
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
expect_not_in_log 'ERR load: xen: kexec ops v2' "--xen-ops=v1 did not reach the Xen backend (backend_open must pass o->xen_ops)"
ok load 0 "kexec --xen-ops=v1 -p failed in dom0"
expect_in_log 'ERR load: xen: kexec ops v1: forced by --xen-ops=v1' "-d does not say that the v1 ops ran and why"
ok status-after 1 "-S after the v1 load should exit 1"
ok unload 0 "kexec --xen-ops=v1 -p -u failed"
ok reload 0 "loading the crash image again through v1 failed"
ok replace 0 "replacing the crash image through v1 failed"
ok status-replace 1 "-S after replacing should exit 1"
before=$(grep -a -o 'ERR free-before: xen: free_pages=[0-9]*' "$VM_LOG" | grep -o '[0-9]*$')
after=$(grep -a -o 'ERR free-after: xen: free_pages=[0-9]*' "$VM_LOG" | grep -o '[0-9]*$')
echo "vm: $VM_NAME: hypervisor free pages before=$before after=$after" >&2
[ -n "$before" ] && [ "$before" = "$after" ] ||
	vm_fail "hypervisor free pages differ after v1 crash load+unload: before=$before after=$after"
expect_in_log 'Executing kexec image' "Xen did not run the capture kernel"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token .*elfcorehdr=[0-9]+K" "capture kernel did not boot with elfcorehdr="
expect_in_log 'KXVMCORE magic=177ELF' "no ELF /proc/vmcore in the capture kernel"
expect_in_log '^(KXDMESG .*token=[1-9]|KXTOKEN-IN-DUMP [1-9])' "the token is not in the dump"
expect_xen_alive
vm_finish
