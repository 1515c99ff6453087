#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The first kernel boots through OVMF (UEFI); kexec -c -l (kexec_load) then
# -e must hand the EFI state over: the target finds /sys/firmware/efi, reads
# EFI variables through the runtime services (efivarfs), and finds ACPI.
. "$(dirname "$0")/efi-lib.sh"
vm_begin linux-efi-load-exec
efi_scenario -c "$(vm_token EF)"
expect_in_log '^KXTARGET-EFI yes$' "the target did not boot with EFI"
expect_in_log '^KXTARGET-EFIVARS [1-9]' "the target cannot read EFI variables (runtime services)"
vm_finish
