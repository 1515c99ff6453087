#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Measurement (not in run-all): systemd 252's `systemctl kexec` with our
# package on the Debian 12 system of the distro-kdump-* scenarios, bare or
# (DISTRO_XEN=1) as a Xen 4.17 dom0. After kdump-tools has loaded, the
# scenario's hook loads the same kernel with `kexec -l` (a token on its
# command line, systemd.unit=poweroff.target so it powers off once up),
# shows what systemd looks at (/sys/kernel/kexec_loaded) and what our
# `kexec -S -l` says, then runs `systemctl kexec`; only if the system is
# not going down after it, `systemctl --force kexec` (systemd then runs
# `kexec -e` itself). PASS when the loaded kernel boots with the token;
# the KXSK lines in the log say which way it went.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/distro-lib.sh"
# A full systemd boot with disk I/O: single-threaded TCG (a Xen dom0 of
# this image once soft-locked both vCPUs under multi-threaded TCG).
VM_TCG_THREAD=${VM_TCG_THREAD_DISTRO:-single}
if [ -n "${DISTRO_XEN:-}" ]; then vm_begin distro-systemctl-kexec-xen; else vm_begin distro-systemctl-kexec; fi
token=$(vm_token SK)
cat >"$VM_RUN/hook.sh" <<HOOK
#!/bin/sh
v=\$(uname -r)
/sbin/kexec -l /boot/vmlinuz-\$v --initrd=/boot/initrd.img-\$v \\
	--append="root=LABEL=kxroot rw console=ttyS0 panic=-1 systemd.unit=poweroff.target KXKEXEC=$token"
echo "KXSK load rc=\$?"
echo "KXSK sysfs kexec_loaded=\$(cat /sys/kernel/kexec_loaded)"
/sbin/kexec -S -l; echo "KXSK kexec-S-l rc=\$? (1: loaded)"
systemctl kexec 2>&1 | sed 's/^/KXSK systemctl kexec: /'
state=\$(systemctl is-system-running 2>/dev/null)
echo "KXSK after systemctl kexec: system \$state"
if [ "\$state" != stopping ]; then
	systemctl --force kexec 2>&1 | sed 's/^/KXSK systemctl --force kexec: /'
	echo "KXSK systemctl --force kexec returned"
fi
# Going down: wait here rather than crash.
sleep 600
HOOK
vm_deps ${DISTRO_XEN:+xen}
[ -n "${DISTRO_XEN:-}" ] && vm_xen
distro_image
DISTRO_HOOK=$VM_RUN/hook.sh distro_disk
if [ -n "${DISTRO_XEN:-}" ]; then
	VM_TIMEOUT=${VM_TIMEOUT_DISTRO:-900} distro_run_xen "crashkernel=256M kx.token=$token"
else
	VM_TIMEOUT=${VM_TIMEOUT_DISTRO:-900} distro_run_linux "crashkernel=256M kx.token=$token"
fi
grep -a -E 'KXSK|Rebooting with kexec|Executing kexec' "$VM_LOG" | sed 's/^/vm: seen: /' >&2
expect_in_log 'KXSK load rc=0' "kexec -l failed"
expect_in_log "Command line: .*KXKEXEC=$token" "the kernel loaded for systemctl kexec did not boot"
rm -f "$DISTRO_DISK"
vm_finish
