#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite: dependencies, build, unit tests (make check), the
# release tarball (make distcheck), the Debian package for Debian 12 and 13
# (tests/package.sh), the unit tests again under ASan+UBSan
# (tests/sanitize.sh), the fuzz corpus and regression replay with short
# fuzz runs (tests/fuzz/run.sh), then every VM scenario
# (tests/vm/run-all.sh). Run as root on Debian 12.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

"$top/tests/deps.sh" || { echo "suite: installing dependencies failed" >&2; exit 1; }
"$top/tests/build.sh" || { echo "suite: build failed" >&2; exit 1; }
make -C "$top/build" -j"$(nproc)" check || { echo "suite: unit tests failed" >&2; exit 1; }
make -C "$top/build" -j"$(nproc)" distcheck || { echo "suite: make distcheck failed" >&2; exit 1; }
# The Debian package from a clean export (dpkg-buildpackage, lintian), on
# the host for Debian 12 and in a Debian 13 root; the distro-* scenarios
# install them.
"$top/tests/package.sh" || { echo "suite: the Debian package failed" >&2; exit 1; }
PACKAGE_RELEASE=13 "$top/tests/package.sh" || { echo "suite: the Debian 13 package failed" >&2; exit 1; }
"$top/tests/sanitize.sh" || { echo "suite: unit tests under ASan+UBSan failed" >&2; exit 1; }
"$top/tests/fuzz/run.sh" || { echo "suite: fuzz replay or short fuzz runs failed" >&2; exit 1; }
"$top/tests/vm/run-all.sh"
