#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The same from OVMF with --noefi: no EFI handoff (the target has no
# /sys/firmware/efi), but it must still find ACPI through the RSDP address
# kexec puts in boot_params (on OVMF there is none in the BIOS area to scan).
. "$(dirname "$0")/efi-lib.sh"
vm_begin linux-efi-noefi
efi_scenario "-c --noefi" "$(vm_token NE)"
expect_in_log '^KXTARGET-EFI no$' "the target booted with EFI despite --noefi"
vm_finish
