#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install everything the build, the unit tests and the VM scenarios need,
# from Debian 12 packages. Skips apt-get entirely when all are present.
set -euo pipefail

PKGS=(
	# build
	gcc make autoconf automake pkg-config binutils
	libelf-dev zlib1g-dev liblzma-dev libxen-dev libssl-dev
	# unit tests
	libcmocka-dev
	# sanitizer build (gcc's libasan/libubsan come with gcc) and the
	# libFuzzer harnesses (clang with its runtime libraries)
	clang libclang-rt-14-dev
	# VM scenarios: QEMU, guest userland, Xen, the distribution's loader
	qemu-system-x86 busybox-static cpio xz-utils gzip
	xen-hypervisor-4.17-amd64 kexec-tools makedumpfile time ovmf
	# the Secure Boot scenario signs a kernel with OVMF's test key
	sbsigntool
	# the benchmark's ratios
	bc
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# kexec-tools' package scripts must not arm anything on this host.
echo "kexec-tools kexec-tools/load_kexec boolean false" | debconf-set-selections 2>/dev/null || true
apt-get install -y -qq --no-install-recommends "${missing[@]}"
