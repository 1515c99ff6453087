#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# UEFI Secure Boot, the whole way: Debian 12's kernel, re-signed with the
# test ("snakeoil") key that Debian's ovmf package ships together with
# firmware whose db holds its certificate, boots through OVMF with Secure
# Boot on, so it locks itself down and puts db's certificate in its platform
# keyring. In the guest:
#   - kexec -l of that signed kernel goes through kexec_file_load by itself
#     and is accepted (the kernel verified the signature against db's key);
#   - kexec -l of Debian's own signed vmlinuz is refused (its signer is in
#     no keyring of this machine) with the explanation in words, and the
#     image loaded before stays loaded;
#   - kexec -e boots the accepted kernel, which comes up locked down too.
# linux-lockdown.sh covers lockdown without firmware (nothing verifies).
. "$(dirname "$0")/lib.sh"
vm_begin linux-secureboot
token=$(vm_token SB)
code=/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd
vars=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
key=/usr/share/ovmf/PkKek-1-snakeoil.key
cert=/usr/share/ovmf/PkKek-1-snakeoil.pem
vm_deps secureboot
vm_kernel
[ -f "$code" ] && [ -f "$vars" ] && [ -f "$key" ] && [ -f "$cert" ] ||
	vm_die "Debian's ovmf package should provide $code, $vars, $key and $cert"
kx=$(vm_kexec_bin) || { vm_fail "no kexec binary: build the repo or set KEXEC_BIN"; vm_finish; }
echo "vm: $VM_NAME: kexec under test: $kx" >&2

# The kernel with Debian's signature replaced by the snakeoil key's (the
# key's published password is "snakeoil"; the kernel checks only the first
# signature, so Debian's is removed rather than kept beside it).
openssl pkey -in "$key" -passin pass:snakeoil -out "$VM_RUN/snakeoil.key" ||
	vm_die "cannot read $key"
cp "$VM_VMLINUZ" "$VM_RUN/vmlinuz-unsigned" && sbattach --remove "$VM_RUN/vmlinuz-unsigned" >&2 ||
	vm_die "cannot remove the signature of $VM_VMLINUZ"
sbsign --key "$VM_RUN/snakeoil.key" --cert "$cert" --output "$VM_RUN/vmlinuz-snakeoil" \
	"$VM_RUN/vmlinuz-unsigned" >&2 || vm_die "sbsign failed"
sbverify --cert "$cert" "$VM_RUN/vmlinuz-snakeoil" >&2 || vm_die "the re-signed kernel does not verify"

cat >"$VM_RUN/target.sh" <<'EOF2'
echo "KXTARGET-UP cmdline=$(cat /proc/cmdline)"
mount -t securityfs securityfs /sys/kernel/security
echo "KXTARGET-LOCKDOWN $(cat /sys/kernel/security/lockdown)"
EOF2
vm_initramfs "$VM_RUN/target.cpio.gz" "$VM_RUN/target.sh"
cat >"$VM_RUN/guest.sh" <<EOF2
mount -t securityfs securityfs /sys/kernel/security
echo "KXLOCKDOWN \$(cat /sys/kernel/security/lockdown)"
dmesg | grep -E 'Secure boot enabled|Loaded X.509 cert' | sed 's/^.*\] /KXDMESG /'
A="console=ttyS0 panic=-1 KXMARK=$token"
step load \$KX -d -l /boot/vmlinuz-snakeoil --initrd=\$TARGET_INITRD --append="\$A"
step status \$KX -S -l
step debian \$KX -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status-after \$KX -S -l
step exec \$KX -e
EOF2
vm_initramfs "$VM_RUN/first.cpio.gz" "$VM_RUN/guest.sh" \
	"$kx=$VM_G_KX" "$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/target.cpio.gz=$VM_G_TARGET" \
	"$VM_RUN/vmlinuz-snakeoil=/boot/vmlinuz-snakeoil"
# Secure Boot needs SMM (q35) and the firmware's own writable variables.
cp "$vars" "$VM_RUN/vars.fd" || vm_die "cannot copy $vars"
vm_qemu -machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on \
	-drive if=pflash,format=raw,unit=0,readonly=on,file="$code" \
	-drive if=pflash,format=raw,unit=1,file="$VM_RUN/vars.fd" \
	-kernel "$VM_RUN/vmlinuz-snakeoil" -initrd "$VM_RUN/first.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4"
expect_in_log 'KXDMESG secureboot: Secure boot enabled' "the first kernel did not see Secure Boot on"
expect_in_log 'KXLOCKDOWN none \[integrity\] confidentiality' "the first kernel did not lock itself down"
expect_in_log "KXDMESG integrity: Loaded X.509 cert 'SnakeOil" "db's certificate is not in the platform keyring"
expect_in_log 'ERR load: kexec_file_load: flags' "kexec -l did not go through kexec_file_load"
expect_not_in_log 'ERR load: kexec_load: ' "kexec -l tried kexec_load under lockdown"
expect_in_log 'STEP load rc=0$' "the kernel signed with db's key was refused"
expect_in_log 'STEP status rc=1$' "-S -l did not report the loaded image"
expect_in_log 'STEP debian rc=255$' "a kernel whose signer is in no keyring was accepted"
expect_in_log "ERR debian: kexec: /boot/vmlinuz: kexec_file_load failed: the image is signed with a key the running kernel does not trust" \
	"the refusal did not name the file and say why"
expect_in_log 'STEP status-after rc=1$' "a refused load did not leave the loaded image in place"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "the accepted kernel did not come up with KXMARK=$token"
expect_in_log 'KXTARGET-LOCKDOWN none \[integrity\] confidentiality' "the kexec'd kernel is not locked down"
vm_finish
