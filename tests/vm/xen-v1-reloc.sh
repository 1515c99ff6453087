#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Synthetic proof of the pre-4.4 v1 relocation code (no hypervisor: Xen
# 4.17 ignores page_list, so no real Xen here can run that code). Runs
# tests/xen-v1-reloc/run.sh: a multiboot program under QEMU plays Xen < 4.4
# at exec time and calls the control page the loader's own code built.
# About 15 s plus building libkexec.a when no build tree is found.
dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$dir/../.." && pwd)
build=
for c in "${KEXEC_BIN:+$(dirname "$(dirname "${KEXEC_BIN:-}")")}" "$repo" "$repo/build"; do
	if [ -n "$c" ] && [ -f "$c/libkexec.a" ] && [ -f "$c/config.h" ]; then
		build=$c
		break
	fi
done
out=$("$repo/tests/xen-v1-reloc/run.sh" $build 2>&1)
rc=$?
echo "$out"
if [ $rc = 0 ]; then
	echo "PASS: xen-v1-reloc: pre-4.4 relocation code copies the image and reaches the start address (QEMU harness, no Xen)"
else
	echo "FAIL: xen-v1-reloc: $(echo "$out" | grep '^FAIL' | head -n1)"
fi
