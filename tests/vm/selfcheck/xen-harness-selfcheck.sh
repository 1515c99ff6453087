#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Proves the Xen harness with the DISTRIBUTION's kexec (/sbin/kexec, kexec-tools
# 2.0.25), not ours: Xen 4.17 + Debian PV dom0 runs kexec -l + kexec -e of the
# Debian kernel; Xen must print "Executing kexec image" and the target kernel
# its marker. Not run by run-all.sh.
# Placement: kexec-tools puts a default image at the top of RAM below 4 GiB.
# In this 2 GiB VM Xen then executes it ("Executing kexec image on cpu0") but
# nothing more is ever printed (measured 3 times; with -m 3072 it boots), so
# --mem-max keeps the image below 1 GiB. The initrd stays small on purpose:
# Xen 4.17 crashes when a large initrd placed at the top of RAM is later
# unloaded (see doc/xen-kexec-interface.md §8.2).
. "$(dirname "$0")/../lib.sh"
vm_begin xen-harness-selfcheck
vm_deps xen
vm_kernel
vm_xen
token=$(vm_token XS)
cat >"$VM_RUN/dom0.sh" <<EOF2
step load /sbin/kexec -l --mem-max=0x3fffffff \$VMLINUZ --initrd=\$TARGET_INITRD --append="console=ttyS0 panic=-1 KXMARK=$token"
step exec /sbin/kexec -e
EOF2
vm_xen_dom0_initramfs "$VM_RUN/dom0.cpio.gz" "$VM_RUN/dom0.sh"
vm_run_xen "$VM_RUN/dom0.cpio.gz"
expect_in_log '\(XEN\) Kdump: 256MB' "Xen did not reserve the crash area"
expect_in_log 'INIT-START' "dom0 /init did not start"
expect_not_in_log 'ERR (insmod|mount)' "dom0 could not set up xenfs/privcmd"
expect_in_log 'STEP load rc=0$' "distribution kexec -l failed in dom0"
expect_in_log 'Executing kexec image' "Xen did not execute the kexec image"
expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$token( |\$)" "target kernel did not come up with KXMARK=$token"
vm_finish
