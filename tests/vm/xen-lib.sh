# Xen scenario helpers on top of lib.sh. Source lib.sh first.

# vm_xen_scenario DOM0_SCRIPT [EXTRA_SPEC...]: boot Xen 4.17 + a Debian PV
# dom0 whose /init sets up privcmd/xenfs and sources DOM0_SCRIPT, with our
# kexec as $KX, the distribution's as /sbin/kexec, the Debian kernel as
# $VMLINUZ and the target initramfs as $TARGET_INITRD.
vm_xen_scenario() {
	local script=$1 kx
	shift
	vm_deps xen
	vm_kernel
	vm_xen
	kx=$(vm_kexec_bin) || { vm_fail "no kexec binary: build the repo or set KEXEC_BIN"; vm_finish; }
	echo "vm: $VM_NAME: kexec under test: $kx" >&2
	vm_target_initramfs "$VM_RUN/target.cpio.gz"
	{ echo xen_dom0_setup; cat "$script"; } >"$VM_RUN/dom0-init.sh"
	vm_initramfs "$VM_RUN/dom0.cpio.gz" "$VM_RUN/dom0-init.sh" \
		"$kx=$VM_G_KX" /sbin/kexec "$VM_VMLINUZ=$VM_G_VMLINUZ" \
		"$VM_RUN/target.cpio.gz=$VM_G_TARGET" $(vm_xen_module_specs) "$@"
	vm_run_xen "$VM_RUN/dom0.cpio.gz"
}

# The hypervisor must have survived everything the scenario did.
expect_xen_alive() {
	expect_not_in_log '\(XEN\) (Xen BUG|FATAL|Panic on CPU|\*\*\*\*)' "the hypervisor crashed"
}
