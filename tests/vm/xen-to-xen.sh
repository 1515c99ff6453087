#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: our kexec loads a new Xen (xen.gz, multiboot2, decompressed by
# kexec) with the dom0 kernel and an initramfs as modules, then kexec -e.
# The second Xen must boot with our command line (the image name stripped,
# as Xen does for non-GRUB loaders) and start its dom0, whose /init prints
# its command line with MARK=<token>.
. "$(dirname "$0")/lib.sh"
vm_begin xen-to-xen
token=$(vm_token XX)
xen_cmdline="console=com1 com1=115200,8n1 noreboot dom0_mem=512M"
cat >"$VM_RUN/dom0.sh" <<EOF2
step load \$KX -d -l /boot/xen.gz ${XX_KEXEC_ARGS:-} --command-line "$xen_cmdline" --module "\$VMLINUZ console=hvc0 MARK=$token" --module \$TARGET_INITRD
step exec \$KX -e
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh" /boot/xen-4.17-amd64.gz=/boot/xen.gz
expect_in_log 'ERR load: file type: multiboot2-x86' "xen.gz was not taken as multiboot2"
expect_in_log 'STEP load rc=0[[:space:]]*$' "kexec -l of xen.gz failed in dom0"
expect_in_log '\(XEN\) Executing kexec image' "Xen did not execute the image"
[ "$(grep -a -c '(XEN) Xen version 4\.17' "$VM_LOG")" -ge 2 ] || vm_fail "no second Xen banner"
expect_in_log "\\(XEN\\) Command line: $xen_cmdline\$" "the second Xen did not get our command line"
expect_in_log "KXTARGET-UP cmdline=.*MARK=$token( |\$)" "the second dom0 did not come up with MARK=$token"
expect_xen_alive
vm_finish
