#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job on the embedded default: boot Xen 4.17 and a Debian dom0 under
# QEMU, load a kernel with our kexec through the Xen backend and execute it.
# Prints PASS when the new kernel reports the command line we gave it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

"$top/tests/deps.sh" || exit 1
"$top/tests/build.sh" || exit 1
exec "$top/tests/vm/xen-load-exec.sh"
