#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Configure and build out of tree in build/ (what the VM scenarios run).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || ./bootstrap
mkdir -p build
cd build
[ -f Makefile ] && [ Makefile -nt ../Makefile.in ] && [ config.status -nt ../configure ] ||
	../configure -q
make -j"$(nproc)" kexec/kexec
