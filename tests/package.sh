#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the Debian package from a clean export of the tree, as a packager
# would: `dpkg-buildpackage -us -uc -b` (which runs `make check`), then
# lintian, then check what the .deb holds and how it relates to
# kexec-tools. Run as root on Debian 12.
#   tests/package.sh              # on the host, for Debian 12: build/package/
#   PACKAGE_RELEASE=13 tests/package.sh
#                                 # in a Debian 13 root (mmdebstrap, cached
#                                 # in build/package-root-13/), against its
#                                 # libraries (Xen 4.20): build/package-13/
# The .deb is what the distro-* VM scenarios of that release install. Last
# line PASS:/FAIL:.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
release=${PACKAGE_RELEASE:-12}
fail() { echo "FAIL: package: $*"; exit 1; }
case $release in
12) out=$top/build/package ;;
13) out=$top/build/package-13 ;;
*) fail "PACKAGE_RELEASE=$release: 12 or 13" ;;
esac

# Packaging tools (the build dependencies come from tests/deps.sh; a
# Debian 13 build root gets its own, and mmdebstrap to make it).
need=()
pkgs=(dpkg-dev debhelper lintian)
[ "$release" = 12 ] || pkgs=(mmdebstrap)
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "package: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
		fail "cannot install ${need[*]}"
fi

# The packages a build root needs: debian/control's Build-Depends (names
# only; debhelper-compat is debhelper's) and the packaging tools.
build_depends() {
	awk '/^Build-Depends:/ { on = 1; sub(/^Build-Depends:/, "") }
		on && /^[^ \t]/ && !/^Build-Depends:/ && seen { on = 0 }
		on { seen = 1; print }' "$top/debian/control" |
		tr ',' '\n' | sed 's/[[(<].*//; s/[[:space:]]//g; /^$/d; s/^debhelper-compat$/debhelper/'
	printf '%s\n' build-essential fakeroot dpkg-dev lintian
}

# build_root: set root to a Debian $release root with the build
# dependencies, made once with mmdebstrap from the host's mirror and kept
# while debian/control's list is unchanged.
build_root() {
	local suite list key mirror
	# Only for the mirror and the suite name: lib.sh reads the host's apt
	# sources, so no host is written here.
	. "$top/tests/vm/lib.sh"
	suite=$(vm_suite "$release") || fail "no suite for Debian $release"
	mirror=$(vm_host_mirrors | awk '$1 == "main" { print $2; exit }')
	[ -n "$mirror" ] || fail "no Debian mirror in the host's apt sources"
	list=$(build_depends | sort -u | paste -sd, -)
	key=$(echo "$suite $list" | sha256sum | cut -c1-12)
	root=$top/build/package-root-$release/$key
	if [ ! -f "$root/.ready" ]; then
		rm -rf "$top/build/package-root-$release" && mkdir -p "$root" || fail "cannot create $root"
		echo "package: making a Debian $release ($suite) build root (a few minutes)" >&2
		mmdebstrap --variant=apt --include="$list" "$suite" "$root" \
			"deb $mirror $suite main" "deb $mirror $suite-updates main" \
			>"$top/build/package-root-$release.log" 2>&1 || {
			tail -n 20 "$top/build/package-root-$release.log" >&2
			fail "mmdebstrap of the Debian $release build root failed"
		}
		touch "$root/.ready"
	fi
}

# A clean export: the files git knows about (tracked, or new and not
# ignored), as they are in the working tree; nothing generated.
export_tree() {
	rm -rf "$1" && mkdir -p "$1" || fail "cannot create $1"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$1" -xf - || fail "cannot export the tree"
}

# in_build_env CMD...: run CMD in the directory that holds src/: on the
# host for Debian 12, in the build root (as /build) for the others.
rm -rf "$out" && mkdir -p "$out" || fail "cannot create $out"
if [ "$release" = 12 ]; then
	export_tree "$out/src"
	in_build_env() { (cd "$out" && "$@"); }
else
	build_root
	rm -rf "$root/build" && export_tree "$root/build/src"
	# /proc, and a tmpfs on /dev/shm as Debian's build chroots have (the
	# frame record's unit tests need one).
	in_build_env() {
		mount --bind /proc "$root/proc" || return 1
		mkdir -p "$root/dev/shm" && mount -t tmpfs -o size=256m kxshm "$root/dev/shm" ||
			{ umount "$root/proc"; return 1; }
		chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LANG=C.UTF-8 sh -c 'cd /build && "$@"' sh "$@"
		local rc=$?
		umount "$root/dev/shm" "$root/proc"
		return $rc
	}
fi

echo "package: dpkg-buildpackage (Debian $release)" >&2
in_build_env sh -c 'cd src && dpkg-buildpackage -us -uc -b' >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	fail "dpkg-buildpackage failed (log: $out/build.log)"
}
[ "$release" = 12 ] || cp "$root"/build/kexec-tools-ng_* "$out/" || fail "no build results"
deb=$(ls "$out"/kexec-tools-ng_*_amd64.deb 2>/dev/null | head -n1)
changes=$(ls "$out"/kexec-tools-ng_*_amd64.changes 2>/dev/null | head -n1)
[ -f "$deb" ] || fail "no .deb built"

# Lintian: errors and warnings fail; what is left is listed.
in_build_env lintian --info --display-info --fail-on error,warning "$(basename "$changes")" \
	>"$out/lintian.log" 2>&1
lrc=$?
cat "$out/lintian.log" >&2
[ $lrc = 0 ] || fail "lintian reports errors or warnings (see above)"

# What the package holds and how it takes kexec-tools' place.
dpkg-deb -c "$deb" >"$out/contents.txt"
# dh_compress gzips documents of 4 kB and more: either name will do.
# Debian 12 keeps kexec in /sbin, 13 in /usr/sbin (debian/rules).
sbin=./sbin
[ "$release" = 12 ] || sbin=./usr/sbin
for f in $sbin/kexec ./usr/share/man/man8/kexec.8 ./usr/share/doc/kexec-tools-ng/README.md \
	./usr/share/doc/kexec-tools-ng/kdump-on-xen.md ./usr/share/doc/kexec-tools-ng/copyright; do
	awk '{ print $6 }' "$out/contents.txt" | grep -qxE "$f(\.gz)?" || fail "$f is not in the package"
done
for field in "Provides: kexec-tools (= 1:2.0.25)" "Conflicts: kexec-tools" "Replaces: kexec-tools"; do
	dpkg-deb -f "$deb" "${field%%:*}" | grep -qxF "${field#*: }" || fail "no '$field'"
done
# The binary in the package runs (with the release's libraries).
if [ "$release" = 12 ]; then
	dpkg-deb -x "$deb" "$out/root" && "$out/root/${sbin#./}/kexec" --version >&2
else
	dpkg-deb -x "$deb" "$root/build/pkg" && in_build_env "pkg/${sbin#./}/kexec" --version >&2
fi || fail "the packaged kexec does not run"

echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes; $(dpkg-deb -f "$deb" Depends)" >&2
echo "PASS: package $(basename "$deb")"
