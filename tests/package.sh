#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the Debian package from a clean export of the tree, as a packager
# would: `dpkg-buildpackage -us -uc -b` (which runs `make check`), then
# lintian, then check what the .deb holds and how it relates to
# kexec-tools. Results go to build/package/ (the .deb there is what the
# distro-* VM scenarios install). Run as root on Debian 12.
#   tests/package.sh            # build, lint, check; last line PASS:/FAIL:
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/package
fail() { echo "FAIL: package: $*"; exit 1; }

# Packaging tools (the build dependencies come from tests/deps.sh).
need=()
for p in dpkg-dev debhelper lintian; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "package: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
		fail "cannot install ${need[*]}"
fi

# A clean export: the files git knows about (tracked, or new and not
# ignored), as they are in the working tree; nothing generated.
rm -rf "$out" && mkdir -p "$out/src" || fail "cannot create $out"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -C "$out/src" -xf - || fail "cannot export the tree"

echo "package: dpkg-buildpackage in $out/src" >&2
(cd "$out/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	fail "dpkg-buildpackage failed (log: $out/build.log)"
}
deb=$(ls "$out"/kexec-tools-ng_*_amd64.deb 2>/dev/null | head -n1)
changes=$(ls "$out"/kexec-tools-ng_*_amd64.changes 2>/dev/null | head -n1)
[ -f "$deb" ] || fail "no .deb built"

# Lintian: errors and warnings fail; what is left is listed.
lintian --info --display-info --fail-on error,warning "$changes" >"$out/lintian.log" 2>&1
lrc=$?
cat "$out/lintian.log" >&2
[ $lrc = 0 ] || fail "lintian reports errors or warnings (see above)"

# What the package holds and how it takes kexec-tools' place.
dpkg-deb -c "$deb" >"$out/contents.txt"
# dh_compress gzips documents of 4 kB and more: either name will do.
for f in ./sbin/kexec ./usr/share/man/man8/kexec.8 ./usr/share/doc/kexec-tools-ng/README.md \
	./usr/share/doc/kexec-tools-ng/kdump-on-xen.md ./usr/share/doc/kexec-tools-ng/copyright; do
	awk '{ print $6 }' "$out/contents.txt" | grep -qxE "$f(\.gz)?" || fail "$f is not in the package"
done
for field in "Provides: kexec-tools (= 1:2.0.25)" "Conflicts: kexec-tools" "Replaces: kexec-tools"; do
	dpkg-deb -f "$deb" "${field%%:*}" | grep -qxF "${field#*: }" || fail "no '$field'"
done
# The binary in the package runs.
dpkg-deb -x "$deb" "$out/root" && "$out/root/sbin/kexec" --version >&2 || fail "the packaged kexec does not run"

echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes; $(dpkg-deb -f "$deb" Depends)" >&2
echo "PASS: package $(basename "$deb")"
