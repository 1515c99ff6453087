#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite: dependencies, build, unit tests (make check), the
# release tarball (make distcheck), the Debian package for Debian 12 and 13
# (tests/package.sh), the unit tests again under ASan+UBSan
# (tests/sanitize.sh), the fuzz corpus and regression replay with short
# fuzz runs (tests/fuzz/run.sh), then every VM scenario
# (tests/vm/run-all.sh). Run as root on Debian 12. Each phase prints how
# long it took ("suite: ... took N s"): CI's budget is 45 minutes.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
t0=$SECONDS

# phase WHAT CMD...: run CMD; on failure say "suite: WHAT failed" and stop.
phase() {
	local what=$1 start=$SECONDS
	shift
	"$@" || { echo "suite: $what failed" >&2; exit 1; }
	echo "suite: $what took $((SECONDS - start)) s"
}

phase "installing dependencies" "$top/tests/deps.sh"
phase "build" "$top/tests/build.sh"
phase "unit tests" make -C "$top/build" -j"$(nproc)" check
phase "make distcheck" make -C "$top/build" -j"$(nproc)" distcheck
# The Debian package from a clean export (dpkg-buildpackage, lintian), on
# the host for Debian 12 and in a Debian 13 root; the distro-* scenarios
# install them.
phase "the Debian package" "$top/tests/package.sh"
phase "the Debian 13 package" env PACKAGE_RELEASE=13 "$top/tests/package.sh"
phase "unit tests under ASan+UBSan" "$top/tests/sanitize.sh"
phase "fuzz replay or short fuzz runs" "$top/tests/fuzz/run.sh"
start=$SECONDS
"$top/tests/vm/run-all.sh"
rc=$?
echo "suite: VM scenarios took $((SECONDS - start)) s; the whole suite $((SECONDS - t0)) s"
exit $rc
