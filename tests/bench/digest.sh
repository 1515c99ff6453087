#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SHA-256 throughput on this host: purgatory's digest code as built for
# purgatory (its own objects, both paths) against libcrypto's.
# Usage: tests/bench/digest.sh [MiB (256)] [runs (5)]
# Last line: purgatory-sha256 <MB/s> libcrypto-sha256 <MB/s>
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tests/build.sh" >/dev/null
make -s -C "$top/build" tests/bench/digest >/dev/null
exec "$top/build/tests/bench/digest" "${1:-256}" "${2:-5}"
