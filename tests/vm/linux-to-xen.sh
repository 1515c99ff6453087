#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bare Linux (native backend): our kexec loads Xen (xen.gz, multiboot2)
# with the Debian kernel as dom0 and an initramfs as modules, then
# kexec -e. Xen must boot with our command line and start its dom0, whose
# /init prints its command line with MARK=<token>.
. "$(dirname "$0")/lib.sh"
vm_begin linux-to-xen
token=$(vm_token LX)
xen_cmdline="console=com1 com1=115200,8n1 noreboot dom0_mem=512M"
cat >"$VM_RUN/guest.sh" <<EOF2
step load \$KX -d -l /boot/xen.gz --command-line "$xen_cmdline" --module "\$VMLINUZ console=hvc0 MARK=$token" --module \$TARGET_INITRD
step exec \$KX -e
EOF2
vm_deps xen
vm_linux_scenario "$VM_RUN/guest.sh" /boot/xen-4.17-amd64.gz=/boot/xen.gz
expect_in_log 'ERR load: file type: multiboot2-x86' "xen.gz was not taken as multiboot2"
expect_in_log 'STEP load rc=0$' "kexec -l of xen.gz failed"
expect_in_log '\(XEN\) Xen version 4\.17' "Xen did not start"
expect_in_log "\\(XEN\\) Command line: $xen_cmdline\$" "Xen did not get our command line"
expect_in_log "KXTARGET-UP cmdline=.*MARK=$token( |\$)" "dom0 did not come up with MARK=$token"
expect_xen_alive
vm_finish
