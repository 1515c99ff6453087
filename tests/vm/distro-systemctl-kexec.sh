#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Measurement (run-all runs one form of it, see there): `systemctl kexec`
# with our package on the Debian system of the distro-kdump-* scenarios,
# bare or (DISTRO_XEN=1) as a Xen dom0: Debian 12 (systemd 252, Xen 4.17)
# by default, Debian 13 (systemd 257, Xen 4.20) with VM_RELEASE=13. After
# kdump-tools has loaded, the scenario's hook loads the same kernel with
# `kexec -l` (a token on its command line, systemd.unit=poweroff.target so
# it powers off once up), shows what systemd 252 looks at
# (/sys/kernel/kexec_loaded) and what our `kexec -S -l` says, then runs
# `systemctl $SYSTEMCTL_VERB` (kexec; or reboot, which systemd 257 turns
# into a kexec when an image is loaded); only if the system is not going
# down after it, `systemctl --force kexec` (systemd then runs `kexec -e`
# itself). PASS when the loaded kernel boots with the token; the KXSK
# lines in the log and a "result:" line say which way it went.
# DISTRO_LOGIND_XEN=1 installs contrib/systemd/logind-xen-kexec.conf
# (logind may then ask Xen whether an image is loaded);
# DISTRO_SYSTEMD_BACKPORTS=1 boots Debian 12 with bookworm-backports'
# systemd 254; SYSTEMCTL_EXPECT=self fails the run unless systemctl kexec'd
# by itself (no --force).
#   tests/vm/distro-systemctl-kexec.sh
#   DISTRO_XEN=1 VM_RELEASE=13 SYSTEMCTL_VERB=reboot tests/vm/distro-systemctl-kexec.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/distro-lib.sh"
# A full systemd boot with disk I/O: single-threaded TCG (a Xen dom0 of
# this image once soft-locked both vCPUs under multi-threaded TCG).
VM_TCG_THREAD=${VM_TCG_THREAD_DISTRO:-single}
verb=${SYSTEMCTL_VERB:-kexec}
case $verb in kexec|reboot) ;; *) vm_die "SYSTEMCTL_VERB=$verb: kexec or reboot" ;; esac
name=distro-systemctl-$verb
[ "$verb" = kexec ] || name=$name-kexec
[ -z "${DISTRO_LOGIND_XEN:-}" ] || name=$name-logind-dropin
[ -z "${DISTRO_SYSTEMD_BACKPORTS:-}" ] || name=$name-systemd-bpo
if [ -n "${DISTRO_XEN:-}" ]; then vm_begin $name-xen; else vm_begin $name; fi
token=$(vm_token SK)
cat >"$VM_RUN/hook.sh" <<HOOK
#!/bin/sh
v=\$(uname -r)
/sbin/kexec -l /boot/vmlinuz-\$v --initrd=/boot/initrd.img-\$v \\
	--append="root=LABEL=kxroot rw console=ttyS0 panic=-1 systemd.unit=poweroff.target KXKEXEC=$token"
echo "KXSK load rc=\$?"
echo "KXSK sysfs kexec_loaded=\$(cat /sys/kernel/kexec_loaded)"
/sbin/kexec -S -l; echo "KXSK kexec-S-l rc=\$? (1: loaded)"
# systemd 253 and later ask Xen itself when /proc/xen exists (xenfs) and
# it can use /dev/xen/privcmd and /dev/xen/hypercall.
echo "KXSK /proc/xen: \$(ls /proc/xen 2>&1 | tr '\n' ' ')"
echo "KXSK /dev/xen: \$(ls /dev/xen 2>&1 | tr '\n' ' ')"
systemctl $verb >/run/kxsk.out 2>&1
rc=\$?
sed 's/^/KXSK systemctl $verb: /' /run/kxsk.out
echo "KXSK systemctl $verb rc=\$rc"
state=\$(systemctl is-system-running 2>/dev/null)
echo "KXSK after systemctl $verb: system \$state"
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
# Which way it went: systemd's own decision, or only with --force.
if grep -a -q 'KXSK systemctl --force kexec' "$VM_LOG"; then
	vm_log "$VM_NAME: result: systemctl $verb did not kexec; systemctl --force kexec did"
	[ "${SYSTEMCTL_EXPECT:-}" != self ] || vm_fail "systemctl $verb needed --force"
elif grep -a -q 'Rebooting with kexec' "$VM_LOG"; then
	vm_log "$VM_NAME: result: systemctl $verb kexec'd the loaded kernel by itself"
elif grep -a -q 'systemd-shutdown.*Rebooting\.' "$VM_LOG"; then
	vm_log "$VM_NAME: result: systemctl $verb rebooted the machine, not into the loaded kernel"
fi
expect_in_log 'KXSK load rc=0' "kexec -l failed"
expect_in_log "Command line: .*KXKEXEC=$token" "the kernel loaded for systemctl kexec did not boot"
rm -f "$DISTRO_DISK"
vm_finish
