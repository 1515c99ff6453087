#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kexec -c -l of the Debian kernel as a gzip-compressed ELF vmlinux (the
# elf-x86_64 loader, --args-linux by default for a Linux image), then
# kexec -e: the target must boot with our command line and initrd.
. "$(dirname "$0")/lib.sh"
vm_begin linux-elf-load-exec
token=$(vm_token EL)
vm_deps
vm_kernel
vm_vmlinux "$VM_WORK/vmlinux.gz"
cat >"$VM_RUN/guest.sh" <<EOF2
step probe \$KX -d -c -l /boot/vmlinux.gz --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec \$KX -e
EOF2
vm_linux_scenario "$VM_RUN/guest.sh" "$VM_WORK/vmlinux.gz=/boot/vmlinux.gz"
expect_in_log 'ERR probe: file type: elf-x86_64' "the vmlinux was not taken by the ELF loader"
expect_in_log 'STEP probe rc=0[[:space:]]*$' "kexec -c -l of the vmlinux failed"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
vm_finish
