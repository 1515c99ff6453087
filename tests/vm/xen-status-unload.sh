#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Xen dom0: status, replace and unload through the Xen backend.
#  1. The distribution's kexec-tools shows Xen 4.17's status bug: after an
#     unload of an empty slot KEXEC_CMD_kexec_status says "loaded" (it
#     returns a bit that flips on every load and unload). Its load-over-load
#     is not used: with kexec-tools' top-of-RAM placement it crashes Xen
#     4.17 (Xen BUG in free_domheap_pages), even with a small initrd.
#  2. Ours keeps the answer right: load, load again (replace), -S -l says
#     loaded; -u, -S -l says not loaded; unload again is harmless; -s uses the
#     hypercall path with a warning; -e with nothing loaded fails cleanly
#     and dom0 keeps running.
. "$(dirname "$0")/lib.sh"
vm_begin xen-status-unload
cat >"$VM_RUN/dom0.sh" <<'EOF2'
# Small initrd only: see doc/xen-kexec-interface.md §8.2 for what large ones
# do to Xen 4.17.
APPEND="console=ttyS0 panic=-1"
step distro-status0 /sbin/kexec -S -l
step distro-unload1 /sbin/kexec -u
step distro-status1 /sbin/kexec -S -l
# A second flip restores the bit to the truth (empty, 0).
step distro-unload2 /sbin/kexec -u
step distro-status2 /sbin/kexec -S -l
step status-empty $KX -S -l
step load1 $KX -l $VMLINUZ --initrd=$TARGET_INITRD --append="$APPEND A"
step status1 $KX -S -l
step load2 $KX -s -l $VMLINUZ --initrd=$TARGET_INITRD --append="$APPEND B"
step status2 $KX -S -l
step status-crash $KX -S
step unload $KX -u
step status3 $KX -S -l
step unload-again $KX -u
step status4 $KX -S -l
step exec $KX -e
echo "DOM0-STILL-ALIVE"
EOF2
vm_xen_scenario "$VM_RUN/dom0.sh"
expect_step distro-status0 0 "distro -S -l at boot should say not loaded"
expect_step distro-unload1 0 "distro -u of the empty slot failed"
expect_step distro-status1 1 "Xen's status bug did not show: after unloading an empty slot the status op should claim 'loaded'"
expect_step distro-status2 0 "the status bit did not flip back after a second unload"
expect_step status-empty 0 "-S -l with nothing loaded should exit 0"
expect_step load1 0 "first load failed"
expect_step status1 1 "-S -l after a load should exit 1"
expect_step load2 0 "-s -l (replace) failed"
expect_in_log 'ERR load2: kexec: -s: kexec_file_load is not possible' "-s on Xen did not say it uses the hypercall path"
expect_step status2 1 "-S -l after a replacing load should exit 1"
expect_step status-crash 0 "-S (crash image) should exit 0: none loaded"
expect_step unload 0 "-u failed"
expect_step status3 0 "-S -l after -u should exit 0"
expect_step unload-again 0 "-u with nothing loaded should succeed"
expect_step status4 0 "-S -l after a second -u should still exit 0"
expect_step exec 1 "-e with nothing loaded should fail with exit 1"
expect_in_log 'ERR exec: kexec: nothing has been loaded' "-e did not explain the failure"
expect_in_log 'DOM0-STILL-ALIVE' "dom0 did not survive the failed -e"
expect_not_in_log 'Executing kexec image' "something was executed"
expect_xen_alive
vm_finish
