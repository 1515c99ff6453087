#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# On demand, not part of CI: build kexec-tools-ng natively inside a Debian 11
# (bullseye) and a Debian 13 (trixie) root, run the unit tests there
# (make check) and a native smoke of the binary it built (it runs, links
# that release's libraries, probes and refuses a non-kernel; nothing is
# loaded into the host). Run as root on
# Debian 12:
#
#   tests/matrix-build.sh          # 11 and 13
#   tests/matrix-build.sh 13       # only 13
#
# Each root is made once with debootstrap (minbase plus the build
# dependencies) under tests/vm/work/matrix/<suite>/, from the Debian mirror
# the host's own apt sources name (read at run time, as tests/vm/lib.sh
# does), and reused; MB_FRESH=1 makes it again. What is built there is
# this checkout's release tarball (make dist, made on the host), as a
# packager of that release would: ./configure, make, make check, out of
# tree. (./bootstrap itself needs autoconf 2.70 or later, which installs
# build-aux/install-sh: Debian 11's 2.69 does not, so a git checkout does
# not bootstrap there.) Logs: tests/vm/work/logs/matrix-build-<suite>.log.
# The last line is "PASS: matrix-build" or "FAIL: matrix-build: <releases>".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/vm/lib.sh"

# What the build and the unit tests need, by Debian package name (the same
# names in 11, 12 and 13).
BUILD_DEPS=gcc,make,pkg-config,binutils,libc6-dev,libelf-dev,zlib1g-dev,liblzma-dev,libxen-dev,libssl-dev,libcmocka-dev

command -v debootstrap >/dev/null || {
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends debootstrap ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap; } ||
		vm_die "cannot install debootstrap"
}
mirror=$(vm_host_mirrors | awk '$1 == "main" { print $2; exit }')
[ -n "$mirror" ] || vm_die "no Debian mirror found in the host's apt sources"
mkdir -p "$VM_LOGS"

# unmount_under DIR: unmount everything mounted below DIR (deepest first);
# fails if something stays mounted, so that DIR is never removed with the
# host's /dev or /sys bound inside it.
unmount_under() {
	local m
	for m in $(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	! awk -v d="$1/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts
}

# build_in RELEASE: make (or reuse) the root, copy the sources in, build,
# test, smoke. Returns non-zero on any failure; details in the log.
build_in() {
	local rel=$1 suite root log rc
	suite=$(vm_suite "$rel") || return 1
	root=$VM_WORK/matrix/$suite
	log=$VM_LOGS/matrix-build-$suite.log
	: >"$log"
	unmount_under "$root" || { echo "matrix-build: something stays mounted under $root" >&2; return 1; }
	[ -n "${MB_FRESH:-}" ] && rm -rf --one-file-system "$root"
	if [ ! -f "$root/.debootstrapped" ]; then
		rm -rf --one-file-system "$root" && mkdir -p "$root"
		echo "matrix-build: debootstrap $suite (Debian $rel)" >&2
		debootstrap --variant=minbase --include="$BUILD_DEPS" "$suite" "$root" "$mirror" >>"$log" 2>&1 ||
			{ echo "matrix-build: debootstrap $suite failed (see $log)" >&2; return 1; }
		touch "$root/.debootstrapped"
	fi
	rm -rf "$root/src" && mkdir -p "$root/src" && tar -xJf "$tarball" -C "$root/src" ||
		{ echo "matrix-build: cannot unpack $tarball into $root" >&2; return 1; }
	mount -t proc proc "$root/proc" && mount --rbind /sys "$root/sys" && mount --rbind /dev "$root/dev" ||
		{ echo "matrix-build: cannot mount proc/sys/dev in $root" >&2; return 1; }
	# A root made before BUILD_DEPS grew gets what is new.
	if [ "$(cat "$root/.build-deps" 2>/dev/null)" != "$BUILD_DEPS" ]; then
		chroot "$root" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(echo "$BUILD_DEPS" | tr , ' ')" \
			>>"$log" 2>&1 || { unmount_under "$root"; echo "matrix-build: cannot install the build dependencies in $root" >&2; return 1; }
		echo "$BUILD_DEPS" >"$root/.build-deps"
	fi
	echo "matrix-build: building and testing in Debian $rel" >&2
	chroot "$root" /bin/bash -c '
		set -e
		cd /src
		echo "== $(. /etc/os-release; echo "$PRETTY_NAME"), $(gcc --version | head -n1)"
		mkdir build
		cd build
		../kexec-tools-ng-*/configure
		make -j"$(nproc)"
		make -j"$(nproc)" check
		echo "== native smoke"
		k=/src/build/kexec/kexec
		$k --version
		ldd $k | grep -E "libxenctrl|libelf|libc\.so"
		$k --help >/dev/null
		echo "crash area: $($k --print-ckr-size) bytes"
		# The file-type probes, without loading anything into this host:
		# a file that is no kernel is refused with one message.
		if $k -l /etc/os-release 2>/tmp/smoke.err; then
			echo "kexec -l /etc/os-release was accepted"; exit 1
		fi
		grep "not a kernel image" /tmp/smoke.err
		echo "== smoke passed"
	' >>"$log" 2>&1
	rc=$?
	unmount_under "$root" || echo "matrix-build: something stays mounted under $root" >&2
	grep -E '^== (Debian|native|smoke)|libxenctrl|^unit tests:|^crash area|^configure: error|Error [0-9]' "$log" | sed "s/^/  $suite: /" >&2
	return $rc
}

# The release tarball of this checkout, made by the host's build.
"$top/tests/build.sh" >&2 || vm_die "tests/build.sh failed"
rm -f "$top"/build/kexec-tools-ng-*.tar.xz
make -s -C "$top/build" dist >&2 || vm_die "make dist failed"
tarball=$(ls "$top"/build/kexec-tools-ng-*.tar.xz | head -n1)
[ -f "$tarball" ] || vm_die "make dist made no tarball"

failed=
releases=${*:-11 13}
for rel in $releases; do
	if build_in "$rel"; then
		echo "matrix-build: Debian $rel: build, make check and smoke passed"
	else
		echo "matrix-build: Debian $rel: FAILED (log: $VM_LOGS/matrix-build-$(vm_suite "$rel").log)"
		failed+="${failed:+ }$rel"
	fi
done
if [ -z "$failed" ]; then
	echo "PASS: matrix-build"
else
	echo "FAIL: matrix-build: Debian $failed"
	exit 1
fi
