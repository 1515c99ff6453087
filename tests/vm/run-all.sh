#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every scenario (tests/vm/linux-*.sh, tests/vm/xen-*.sh, then the
# distro-kdump-* ones) one after another, then the release matrix, the
# SHA-extension runs and the Debian 13 distro scenarios below;
# print each verdict and "N passed, N failed"; exit 1 if any failed.
# Scenarios under selfcheck/ and *lib.sh files are not run. Details of each run go to
# work/logs/<name>.log and work/logs/run-all.log. VM_SKIP_XEN=1 skips xen-*;
# VM_SKIP_MATRIX=1 skips the matrix.
dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/work/logs"
: >"$dir/work/logs/run-all.log"
passed=0
failed=0

# run_one RELEASE SCRIPT: run SCRIPT on Debian RELEASE (its Xen, its
# kernel as dom0 and target; see README.md, "Debian releases"), count and
# print its verdict. A release other than 12 shows in the scenario's name
# (xen-crash-deb11).
run_one() {
	local rel=$1 s=$2 start=$SECONDS verdict name
	name=$(basename "$s" .sh)
	[ "$rel" = 12 ] || name=$name-deb$rel
	[ -z "${VM_SHA_EXT:-}" ] || name=$name-sha
	verdict=$(VM_RELEASE=$rel bash "$s" 2>>"$dir/work/logs/run-all.log" | tail -n1)
	case $verdict in
	PASS:*) passed=$((passed + 1)) ;;
	*)
		failed=$((failed + 1))
		case $verdict in FAIL:*) ;; *) verdict="FAIL: $name: no verdict (got '$verdict')" ;; esac ;;
	esac
	echo "$verdict"
	echo "  ($name took $((SECONDS - start))s)"
}

# The distro-* scenarios (a Debian system with our package and kdump-tools)
# are named here: their prefix is not globbed.
for s in "$dir"/linux-*.sh "$dir"/xen-*.sh "$dir"/distro-kdump-native.sh "$dir"/distro-kdump-xen.sh; do
	# Helper libraries (*lib.sh) are sourced, not run.
	case $s in *lib.sh) continue ;; esac
	[ -f "$s" ] || continue
	case ${s##*/} in xen-*|distro-*-xen.sh) [ -n "${VM_SKIP_XEN:-}" ] && continue ;; esac
	run_one 12 "$s"
done

# The release matrix: each other Debian release's Xen with its own kernel
# as dom0 and target (11: Xen 4.14 + 5.10, 13: Xen 4.20 + 6.12), always
# with the Debian 12 build of our kexec: load/exec, a crash dump, and the
# v1 ops. Debian 12 itself is the default run above, and the other
# releases' kernels as targets are the rollback/roll-forward scenarios
# (linux-rollback-510, linux-rollforward-612, xen-rollback-510,
# xen-rollforward-612).
if [ -z "${VM_SKIP_XEN:-}" ] && [ -z "${VM_SKIP_MATRIX:-}" ]; then
	for rel in 11 13; do
		for s in xen-load-exec xen-crash xen-v1; do
			run_one "$rel" "$dir/$s.sh"
		done
	done
fi
# Purgatory's SHA-extension path, on a CPU that reports the extensions
# (VM_SHA_EXT: Debian 13's QEMU, which emulates them; Debian 12's cannot):
# a 192 MiB image's digest accepted, a corrupted image's refused.
if [ -z "${VM_SKIP_XEN:-}" ]; then
	for s in xen-big-initrd xen-bad-digest; do
		VM_SHA_EXT=1 run_one 12 "$dir/$s.sh"
	done
fi
# Debian 13 with our package built there (Xen 4.20's libraries), as a Xen
# dom0: kdump-tools 1.10.7 takes a dump, and systemd 257 with
# contrib/systemd's logind drop-in turns `systemctl reboot` into a kexec of
# the kernel loaded with `kexec -l` (doc/kdump-on-xen.md section 7; the
# other rows of that table are on demand).
if [ -z "${VM_SKIP_XEN:-}" ]; then
	run_one 13 "$dir/distro-kdump-xen.sh"
	DISTRO_XEN=1 DISTRO_LOGIND_XEN=1 SYSTEMCTL_VERB=reboot SYSTEMCTL_EXPECT=self \
		run_one 13 "$dir/distro-systemctl-kexec.sh"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
