# SPDX-License-Identifier: GPL-2.0-or-later
# Shared body of the linux-efi-* scenarios (sourced, not run): the first
# kernel boots through OVMF (UEFI) and runs "kexec $1 -l" then "kexec -e";
# the target's own /init reports what it saw of EFI and ACPI:
#   KXTARGET-EFI yes|no     /sys/firmware/efi exists
#   KXTARGET-ACPI yes|no    /sys/firmware/acpi/tables exists
#   KXTARGET-EFIVARS N      EFI variables read through the runtime services
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# efi_scenario LOAD_OPTS TOKEN: build both initramfs images and boot.
efi_scenario() {
	local opts=$1 token=$2 kx efivarfs
	vm_deps efi
	vm_kernel
	kx=$(vm_kexec_bin) || { vm_fail "no kexec binary: build the repo or set KEXEC_BIN"; vm_finish; }
	echo "vm: $VM_NAME: kexec under test: $kx" >&2
	efivarfs=$(find "$VM_MODDIR" -name 'efivarfs.ko*' | head -n1)
	[ -n "$efivarfs" ] || vm_die "efivarfs module not found under $VM_MODDIR"
	# The shared target script stays as it is for the other scenarios.
	cat >"$VM_RUN/target.sh" <<'EOF2'
echo "KXTARGET-UP cmdline=$(cat /proc/cmdline)"
if [ -d /sys/firmware/efi ]; then echo "KXTARGET-EFI yes"; else echo "KXTARGET-EFI no"; fi
if [ -d /sys/firmware/acpi/tables ]; then echo "KXTARGET-ACPI yes"; else echo "KXTARGET-ACPI no"; fi
insmod /lib/modules/efivarfs.ko 2>/dev/null
mkdir -p /sys/firmware/efi/efivars 2>/dev/null
mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
echo "KXTARGET-EFIVARS $(ls /sys/firmware/efi/efivars 2>/dev/null | wc -l)"
dmesg | grep -E 'efi: (EFI v|ACPI)|ACPI: RSDP' | sed 's/^/KXTARGET-DMESG /'
EOF2
	vm_initramfs "$VM_RUN/target.cpio.gz" "$VM_RUN/target.sh" \
		"$efivarfs=/lib/modules/efivarfs.ko"
	cat >"$VM_RUN/guest.sh" <<EOF2
echo "FIRST-EFI runtime-map=\$(ls /sys/firmware/efi/runtime-map 2>/dev/null | wc -l)"
step load \$KX -d $opts -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
	vm_initramfs "$VM_RUN/first.cpio.gz" "$VM_RUN/guest.sh" \
		"$kx=$VM_G_KX" "$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/target.cpio.gz=$VM_G_TARGET"
	vm_run_linux_efi "$VM_RUN/first.cpio.gz"
	expect_in_log 'FIRST-EFI runtime-map=[1-9]' "the first kernel has no EFI runtime map (not booted through OVMF?)"
	expect_in_log 'STEP load rc=0$' "kexec $opts -l failed"
	expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
	expect_in_log '^KXTARGET-ACPI yes$' "the target found no ACPI tables"
}
