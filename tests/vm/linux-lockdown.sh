#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Lockdown: Debian 12's kernel booted with lockdown=integrity (no Secure
# Boot needed: the kernel locks itself down). In the guest:
#   - kexec -c (kexec_load) is refused with a line naming lockdown, before
#     the kernel is asked;
#   - a copy of the signed vmlinuz with one byte changed is refused by the
#     kernel's signature check, and the line says so in words;
#   - kexec -l of Debian's signed vmlinuz goes through kexec_file_load by
#     itself (the default -a; kexec_load is never tried). Booted without
#     UEFI, this kernel has no key for Debian's signer in any keyring (the
#     signer's CA reaches the platform keyring only from UEFI's db), so it
#     is refused too, with the same explanation; nothing stays loaded.
. "$(dirname "$0")/lib.sh"
vm_begin linux-lockdown
token=$(vm_token LD)
VM_LINUX_APPEND="lockdown=integrity"
vm_deps
vm_kernel
# One byte of the compressed kernel changed: the PE signature no longer
# matches the image.
cp "$VM_VMLINUZ" "$VM_RUN/vmlinuz-bad"
size=$(stat -c %s "$VM_RUN/vmlinuz-bad")
printf '\x5a' | dd of="$VM_RUN/vmlinuz-bad" bs=1 seek=$((size / 2)) conv=notrunc status=none
cat >"$VM_RUN/guest.sh" <<EOF2
mount -t securityfs securityfs /sys/kernel/security
echo "KXLOCKDOWN \$(cat /sys/kernel/security/lockdown)"
A="console=ttyS0 panic=-1 KXMARK=$token"
step c \$KX -c -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step bad \$KX -l /boot/vmlinuz-bad --initrd=\$TARGET_INITRD --append="\$A"
step status-bad \$KX -S -l
step load \$KX -d -l \$VMLINUZ --initrd=\$TARGET_INITRD --append="\$A"
step status \$KX -S -l
EOF2
vm_linux_scenario "$VM_RUN/guest.sh" "$VM_RUN/vmlinuz-bad=/boot/vmlinuz-bad"
expect_in_log 'KXLOCKDOWN none \[integrity\] confidentiality' "the kernel did not come up locked down"
expect_in_log 'STEP c rc=255$' "kexec -c under lockdown did not fail with 255"
expect_in_log 'ERR c: kexec: kexec_load is not allowed: the kernel is locked down \(integrity' \
	"kexec -c under lockdown did not name lockdown"
expect_in_log 'STEP bad rc=255$' "a kernel with a broken signature was not refused"
expect_in_log "ERR bad: kexec: /boot/vmlinuz-bad: kexec_file_load failed: the kernel is locked down \\(integrity\\) and could not verify the image's signature" \
	"the signature refusal was not explained"
expect_in_log 'STEP status-bad rc=0$' "a refused image left something loaded"
expect_in_log 'ERR load: kexec_file_load: flags' "kexec -l did not go through kexec_file_load"
expect_not_in_log 'ERR load: kexec_load: ' "kexec -l tried kexec_load under lockdown"
expect_in_log 'STEP load rc=255$' "the signed kernel was taken without a key for its signer"
expect_in_log "ERR load: kexec: /boot/vmlinuz: kexec_file_load failed: the kernel is locked down \\(integrity\\) and could not verify" \
	"the signed kernel's refusal was not explained"
expect_in_log 'STEP status rc=0$' "a refused image left something loaded"
vm_finish
