# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the QEMU VM scenarios. Source it; do not run it.
#
# A scenario looks like:
#   . "$(dirname "$0")/lib.sh"
#   vm_begin my-scenario
#   vm_deps; vm_kernel
#   ... build an initramfs whose /init runs the guest steps ...
#   vm_run_linux "$initrd"
#   expect_in_log 'STEP load rc=0$'
#   vm_finish            # last line: "PASS: name" or "FAIL: name: reason"
#
# Everything generated goes under tests/vm/work/ (git-ignored). See README.md.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_REPO=$(cd "$VM_DIR/../.." && pwd)
VM_WORK=${VM_WORK:-$VM_DIR/work}
VM_LOGS=$VM_WORK/logs
VM_TIMEOUT=${VM_TIMEOUT:-300}
VM_MEM=${VM_MEM:-2048}
VM_SMP=${VM_SMP:-2}
# QEMU's TCG threading: "multi" (a host thread per vCPU) or "single". Linux
# 6.12 patches its own text with int3 while the other CPU runs; under
# multi-threaded TCG a CPU can still run a stale translation and take an
# "Oops: int3" (seen once in ~10 bare 6.12 boots after kexec). Scenarios whose
# target is 6.12 use "single" (vm_release 13, the roll-forward ones).
VM_TCG_THREAD=${VM_TCG_THREAD:-multi}
VM_OVMF=${VM_OVMF:-/usr/share/ovmf/OVMF.fd}
# The guest CPU, and the QEMU that runs it. VM_SHA_EXT=1 boots one that
# reports the SHA extensions, so purgatory takes its SHA-extension path:
# Debian 12's QEMU (7.2) cannot emulate them, Debian 13's (10.0) can, and
# vm_qemu fetches it for that (vm_qemu_sha).
VM_CPU=${VM_CPU:-qemu64}
VM_QEMU_BIN=${VM_QEMU_BIN:-qemu-system-x86_64}
VM_SHA_EXT=${VM_SHA_EXT:-}

# Paths inside every guest initramfs (/init sets $KX, $VMLINUZ, $TARGET_INITRD).
VM_G_KX=/opt/kx/kexec
VM_G_VMLINUZ=/boot/vmlinuz
VM_G_TARGET=/boot/target.cpio.gz

vm_log() { echo "vm: $*" >&2; }
vm_die() { echo "vm: error: $*" >&2; exit 2; }

# ---------------------------------------------------------------- host tools

# Install what is missing (apt-get update at most once). "vm_deps xen" adds the
# hypervisor and the distribution's kexec-tools (needed for Xen scenarios).
vm_deps() {
	local pkgs=()
	command -v qemu-system-x86_64 >/dev/null || pkgs+=(qemu-system-x86)
	dpkg -s busybox-static >/dev/null 2>&1 || pkgs+=(busybox-static)
	command -v cpio >/dev/null || pkgs+=(cpio)
	command -v xz >/dev/null || pkgs+=(xz-utils)
	command -v gzip >/dev/null || pkgs+=(gzip)
	command -v timeout >/dev/null || pkgs+=(coreutils)
	if [ "${1:-}" = xen ]; then
		[ -f /boot/xen-4.17-amd64.gz ] || pkgs+=(xen-hypervisor-4.17-amd64)
		[ -x /sbin/kexec ] || pkgs+=(kexec-tools)
	fi
	# "vm_deps efi": OVMF firmware for vm_run_linux_efi; "vm_deps
	# secureboot": that (its Secure Boot build and test key come with it)
	# and sbsign, to sign a kernel with that key.
	case ${1:-} in efi | secureboot) [ -f "$VM_OVMF" ] || pkgs+=(ovmf) ;; esac
	if [ "${1:-}" = secureboot ]; then
		command -v sbsign >/dev/null || pkgs+=(sbsigntool)
	fi
	[ ${#pkgs[@]} -eq 0 ] && return 0
	vm_log "installing: ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || vm_die "apt-get update failed"
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" ||
		vm_die "apt-get install ${pkgs[*]} failed"
}

# ---------------------------------------------------------------- releases

# Debian release whose packages (kernel, later more) the scenario uses:
# 12 (the host's own, bookworm) unless a scenario calls vm_release or
# VM_RELEASE is set. Other releases come through a private apt state.
VM_RELEASE=${VM_RELEASE:-12}
[ "$VM_RELEASE" = 13 ] && VM_TCG_THREAD=single

# vm_release 11|12|13: choose the Debian release for vm_kernel.
vm_release() {
	case $1 in
	11|12|13) VM_RELEASE=$1 ;;
	*) vm_die "vm_release: unknown Debian release '$1' (11, 12 or 13)" ;;
	esac
	[ "$1" = 13 ] && VM_TCG_THREAD=single
	return 0
}

# The suite name of Debian release $1.
vm_suite() {
	case $1 in
	11) echo bullseye ;;
	12) echo bookworm ;;
	13) echo trixie ;;
	*) return 1 ;;
	esac
}

# The host's apt URIs, one per line: "main URI" for the archive and
# "security URI" for the security archive, read from deb822 .sources files
# and one-line sources.list entries at run time, so no mirror is written
# into the repository.
vm_host_mirrors() {
	cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		function flush() {
			if (uri != "" && deb) print (sec ? "security " : "main ") uri
			uri = ""; deb = 0; sec = 0
		}
		/^[[:space:]]*$/ { flush(); next }
		/^[[:space:]]*#/ { next }
		tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
		tolower($1) == "uris:" { uri = $2 }
		tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i ~ /-security$/) sec = 1 }
		END { flush() }'
	cat /etc/apt/sources.list 2>/dev/null | awk '
		$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) while ($i !~ /\]$/) i++
			if ($i ~ /^\[/ || $i ~ /\]$/) i++
			print ($(i + 1) ~ /-security$/ ? "security " : "main ") $i
		}'
}

# vm_apt_dir RELEASE: create (once) a private apt state for RELEASE under
# work/apt/<suite>: its own sources.list (the host's mirrors, that suite),
# lists, status file and cache, so the host's /etc/apt is never touched.
# Prints the directory.
vm_apt_dir() {
	local rel=$1 suite dir main sec keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	suite=$(vm_suite "$rel") || vm_die "no suite for Debian $rel"
	dir=$VM_WORK/apt/$suite
	if [ ! -f "$dir/etc/sources.list" ]; then
		main=$(vm_host_mirrors | awk '$1 == "main" { print $2; exit }')
		sec=$(vm_host_mirrors | awk '$1 == "security" { print $2; exit }')
		[ -n "$main" ] || vm_die "no Debian mirror found in the host's apt sources"
		mkdir -p "$dir/etc/sources.list.d" "$dir/etc/preferences.d" \
			"$dir/lists/partial" "$dir/cache/archives/partial" ||
			vm_die "cannot create $dir"
		: >"$dir/status"
		# The newest kernels of a release come from its security suite.
		{
			echo "deb [signed-by=$keyring] $main $suite main"
			echo "deb [signed-by=$keyring] $main $suite-updates main"
			if [ -n "$sec" ]; then
				echo "deb [signed-by=$keyring] $sec $suite-security main"
			fi
		} >"$dir/etc/sources.list.tmp" && mv "$dir/etc/sources.list.tmp" "$dir/etc/sources.list" ||
			vm_die "cannot write $dir/etc/sources.list"
	fi
	echo "$dir"
}

# vm_apt DIR apt-get|apt-cache ARGS...: run an apt tool on the private state
# in DIR (from vm_apt_dir).
vm_apt() {
	local dir=$1 tool=$2
	shift 2
	"$tool" -o Dir::State="$dir" -o Dir::State::Lists="$dir/lists" \
		-o Dir::State::status="$dir/status" \
		-o Dir::Etc::SourceList="$dir/etc/sources.list" \
		-o Dir::Etc::SourceParts="$dir/etc/sources.list.d" \
		-o Dir::Etc::PreferencesParts="$dir/etc/preferences.d" \
		-o Dir::Etc::Preferences="$dir/etc/preferences" \
		-o Dir::Cache="$dir/cache" "$@"
}

# Fetch the private package lists of the chosen release once (nothing to
# do for 12, the host's own); VM_APT_UPDATE=1 refreshes them.
vm_rel_lists() {
	local dir
	[ "$VM_RELEASE" = 12 ] && return 0
	dir=$(vm_apt_dir "$VM_RELEASE") || exit 2
	[ -f "$dir/.updated" ] && [ -z "${VM_APT_UPDATE:-}" ] && return 0
	vm_log "apt-get update for Debian $VM_RELEASE ($(vm_suite "$VM_RELEASE"))"
	vm_apt "$dir" apt-get -q update >&2 || vm_die "apt-get update for Debian $VM_RELEASE failed"
	touch "$dir/.updated"
}

# vm_rel_apt apt-get|apt-cache ARGS...: the tool on the chosen release's
# package lists: the host's own for 12, else the private state.
vm_rel_apt() {
	local tool=$1
	shift
	if [ "$VM_RELEASE" = 12 ]; then
		"$tool" "$@"
		return
	fi
	vm_apt "$(vm_apt_dir "$VM_RELEASE")" "$tool" "$@"
}

vm_kernel_package() {
	vm_rel_apt apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

# vm_rel_deb PKG DIR: fetch PKG of the chosen release (cached as a .deb in
# work/cache) and extract it once into DIR. Sets VM_DEB (the .deb).
vm_rel_deb() {
	local pkg=$1 dir=$2
	mkdir -p "$VM_WORK/cache"
	VM_DEB=$(ls "$VM_WORK/cache/${pkg}"_*.deb 2>/dev/null | head -n1)
	if [ -z "$VM_DEB" ]; then
		vm_log "downloading $pkg (Debian $VM_RELEASE)"
		(cd "$VM_WORK/cache" && vm_rel_apt apt-get download -q "$pkg") ||
			vm_die "apt-get download $pkg failed"
		VM_DEB=$(ls "$VM_WORK/cache/${pkg}"_*.deb | head -n1)
	fi
	if [ ! -f "$dir/.extracted" ]; then
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg -x "$VM_DEB" "$dir" || vm_die "dpkg -x $VM_DEB failed"
		touch "$dir/.extracted"
	fi
}

# Fetch the kernel package linux-image-amd64 of the chosen release (see
# vm_release) depends on and extract it into work/kernel/<package>/.
# Sets VM_VMLINUZ (bzImage) and VM_MODDIR (its /lib/modules/<version>).
vm_kernel() {
	local pkg dir
	vm_rel_lists
	pkg=$(vm_kernel_package)
	if [ -z "$pkg" ] && [ "$VM_RELEASE" = 12 ]; then
		# A fresh machine may have no package lists yet.
		apt-get update -qq || vm_die "apt-get update failed"
		pkg=$(vm_kernel_package)
	fi
	[ -n "$pkg" ] || vm_die "apt-cache depends linux-image-amd64 names no kernel (Debian $VM_RELEASE)"
	dir=$VM_WORK/kernel/$pkg
	vm_rel_deb "$pkg" "$dir"
	VM_VMLINUZ=$(ls "$dir"/boot/vmlinuz-* | head -n1)
	# Debian 13 ships modules under /usr/lib (merged /usr).
	VM_MODDIR=$(ls -d "$dir"/lib/modules/* "$dir"/usr/lib/modules/* 2>/dev/null | head -n1)
	[ -f "$VM_VMLINUZ" ] || vm_die "no vmlinuz in $VM_DEB"
	[ -d "$VM_MODDIR" ] || vm_die "no modules directory in $VM_DEB"
}

# vm_other_kernel RELEASE: fetch Debian RELEASE's kernel as vm_kernel does
# and set VM_OTHER_VMLINUZ and VM_OTHER_MODDIR, leaving VM_RELEASE,
# VM_VMLINUZ and VM_MODDIR as they were: a target of another release for
# rollback/roll-forward scenarios.
vm_other_kernel() {
	local rel=$VM_RELEASE vmlinuz=${VM_VMLINUZ:-} moddir=${VM_MODDIR:-}
	vm_release "$1"
	vm_kernel
	VM_OTHER_VMLINUZ=$VM_VMLINUZ
	VM_OTHER_MODDIR=$VM_MODDIR
	VM_RELEASE=$rel VM_VMLINUZ=$vmlinuz VM_MODDIR=$moddir
}

# The hypervisor package of the chosen release: xen-hypervisor-4.NN-amd64.
vm_xen_package() {
	vm_rel_apt apt-cache pkgnames xen-hypervisor-4 2>/dev/null |
		grep -E '^xen-hypervisor-4\.[0-9]+-amd64$' | sort -V | tail -n1
}

# The compressed hypervisor of the chosen release: Debian 12's is
# installed on the host (vm_deps xen); others are fetched and extracted
# into work/xen/<package>/ like kernels. Sets VM_XEN_GZ.
vm_xen_gz() {
	local pkg
	if [ "$VM_RELEASE" = 12 ]; then
		VM_XEN_GZ=/boot/xen-4.17-amd64.gz
		[ -f "$VM_XEN_GZ" ] || vm_die "$VM_XEN_GZ missing (vm_deps xen installs it)"
		return 0
	fi
	vm_rel_lists
	pkg=$(vm_xen_package)
	[ -n "$pkg" ] || vm_die "no xen-hypervisor package in Debian $VM_RELEASE"
	vm_rel_deb "$pkg" "$VM_WORK/xen/$pkg"
	VM_XEN_GZ=$(ls "$VM_WORK/xen/$pkg"/boot/xen-4.*-amd64.gz 2>/dev/null | head -n1)
	[ -f "$VM_XEN_GZ" ] || vm_die "no hypervisor in $VM_DEB"
}

# Uncompress the chosen release's hypervisor (Xen 4.17 for Debian 12,
# 4.14 for 11, 4.20 for 13) to an ELF for QEMU's -kernel (multiboot).
# Sets VM_XEN and VM_XEN_VERSION (e.g. 4.17).
vm_xen() {
	local gz
	vm_xen_gz
	gz=$VM_XEN_GZ
	VM_XEN_VERSION=$(basename "$gz" | sed -n 's/^xen-\(4\.[0-9]*\)-amd64\.gz$/\1/p')
	[ -n "$VM_XEN_VERSION" ] || vm_die "cannot tell the Xen version of $gz"
	VM_XEN=$VM_WORK/xen-$VM_XEN_VERSION.elf
	if [ ! -s "$VM_XEN" ] || [ "$gz" -nt "$VM_XEN" ]; then
		mkdir -p "$VM_WORK"
		zcat "$gz" >"$VM_XEN.tmp" && mv "$VM_XEN.tmp" "$VM_XEN" ||
			vm_die "cannot uncompress $gz"
	fi
}

# The kexec under test: $KEXEC_BIN, else the repo's in-tree build
# (kexec/kexec), else an out-of-tree build in build/ (build/kexec/kexec).
vm_kexec_bin() {
	local c
	for c in "${KEXEC_BIN:-}" "$VM_REPO/kexec/kexec" "$VM_REPO/build/kexec/kexec"; do
		[ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
	done
	[ -n "${KEXEC_BIN:-}" ] && echo "KEXEC_BIN=$KEXEC_BIN is not executable" >&2
	return 1
}

# Make a test build of kexec with a seam linked in (tests/seams/NAME.c,
# built as build/tests/seams/kexec-NAME) the kexec under test.
vm_seam() {
	make -s -C "$VM_REPO/build" "tests/seams/kexec-$1" >&2 ||
		vm_die "cannot build tests/seams/kexec-$1 (run tests/build.sh first)"
	KEXEC_BIN=$VM_REPO/build/tests/seams/kexec-$1
}

# ---------------------------------------------------------------- initramfs

# Copy the ELF binary SRC to DEST under ROOT plus every shared library ldd
# lists for it (and the dynamic loader), at their host paths.
vm_copy_binary() {
	local root=$1 src=$2 dest=$3 lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$src" "$root$dest" || return 1
	# A static binary makes ldd fail: it then needs nothing else.
	for lib in $(ldd "$src" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib" || return 1
	done
}

# Copy one "SRC" or "SRC=DEST" entry into ROOT. DEST ending in / is a folder.
# ELF executables/libraries bring their libraries; *.xz files (e.g. Debian
# .ko.xz modules) are decompressed, the .xz dropped from the name.
vm_add_file() {
	local root=$1 spec=$2 src dest
	src=${spec%%=*}
	dest=${spec#*=}
	[ "$spec" = "$src" ] && dest=$src
	case $dest in */) dest=$dest$(basename "$src") ;; esac
	[ -f "$src" ] || { echo "vm: initramfs: $src: no such file" >&2; return 1; }
	mkdir -p "$root$(dirname "$dest")"
	case $src in
	*.xz)
		xz -dc "$src" >"$root${dest%.xz}" ;;
	*.ko)
		cp -L "$src" "$root$dest" ;;
	*)
		if [ "$(head -c4 "$src" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			vm_copy_binary "$root" "$src" "$dest"
		else
			cp -L "$src" "$root$dest"
		fi ;;
	esac
}

# The part of /init that every guest shares: mounts, fixed paths, helpers.
vm_init_preamble() {
	cat <<EOF
#!/bin/busybox sh
# The applet links (it does not replace files already there).
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# As on a real system: kexec keeps its frame records in /run (tmpfs).
mkdir -p /run && mount -t tmpfs -o mode=0755 tmpfs /run
exec </dev/console >/dev/console 2>&1
KX=$VM_G_KX
VMLINUZ=$VM_G_VMLINUZ
TARGET_INITRD=$VM_G_TARGET
EOF
	cat <<'EOF'
# step NAME CMD...: run CMD, show its stderr as "ERR NAME: ..." lines, then
# "STEP NAME rc=N" so the host can assert on each exit status.
step() {
	_n=$1; shift
	"$@" 2>/tmp/step.err
	_rc=$?
	sed "s/^/ERR $_n: /" /tmp/step.err
	echo "STEP $_n rc=$_rc"
	return $_rc
}
# Xen dom0: the hypercall interface needs privcmd and xenfs on /proc/xen.
xen_dom0_setup() {
	insmod /lib/modules/xen-privcmd.ko || echo "ERR insmod xen-privcmd"
	insmod /lib/modules/xenfs.ko || echo "ERR insmod xenfs"
	mkdir -p /proc/xen
	mount -t xenfs xenfs /proc/xen || echo "ERR mount xenfs"
}
echo; echo "INIT-START $(uname -r)"
EOF
}

# vm_initramfs OUT INIT_SCRIPT [SRC[=DEST]...]
# Build a gzip'd newc cpio: busybox-static (/init makes the applet links with
# --install -s), INIT_SCRIPT sourced by /init in a subshell after the
# preamble and followed by poweroff -f, and the extra files.
vm_initramfs() {
	local out=$1 script=$2 root spec
	shift 2
	[ -f "$script" ] || vm_die "initramfs: $script: no such file"
	root=$(mktemp -d "$VM_WORK/initramfs.XXXXXX")
	mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin \
		"$root"/proc "$root"/sys "$root"/dev "$root"/tmp "$root"/lib/modules
	cp /bin/busybox "$root/bin/busybox"
	mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
	for spec in "$@"; do
		vm_add_file "$root" "$spec" || { rm -rf "$root"; vm_die "initramfs $out: cannot add $spec"; }
	done
	cp "$script" "$root/scenario.sh"
	{
		vm_init_preamble
		echo '( . /scenario.sh )'
		echo 'echo "INIT-END rc=$?"'
		echo 'poweroff -f'
	} >"$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . -mindepth 1 | cpio -o -H newc --quiet -R 0:0) |
		gzip -1 >"$out" || vm_die "cpio of $out failed"
	rm -rf "$root"
}

# vm_target_initramfs OUT [SRC[=DEST]...]: the second kernel's initramfs.
# Prints its command line (and whether it is a capture kernel with a
# /proc/vmcore) and powers off.
vm_target_initramfs() {
	local out=$1 script
	shift
	script=$(mktemp "$VM_WORK/target-init.XXXXXX")
	cat >"$script" <<'EOF'
echo "KXTARGET-UP cmdline=$(cat /proc/cmdline)"
if [ -e /proc/vmcore ]; then
	echo "KXTARGET-VMCORE $(head -c 4 /proc/vmcore | od -An -c | tr -d ' ')"
fi
EOF
	vm_initramfs "$out" "$script" "$@"
	rm -f "$script"
}

# Xen dom0 modules as initramfs entries (the preamble's xen_dom0_setup
# insmods them). Needs VM_MODDIR (vm_kernel).
vm_xen_module_specs() {
	local m f
	for m in xen-privcmd xenfs; do
		f=$(find "$VM_MODDIR/kernel/drivers/xen" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
		[ -n "$f" ] || vm_die "module $m not found under $VM_MODDIR"
		echo "$f=/lib/modules/$(basename "$f")"
	done
}

# vm_qemu_sha: Debian 13's QEMU, extracted once (mmdebstrap's extract
# variant: files only, nothing installed on the host) under
# work/qemu-trixie/, run through that root's own dynamic loader and
# libraries. Sets VM_QEMU_BIN to its wrapper and VM_CPU to qemu64 plus SSSE3
# and the SHA extensions (what purgatory's SHA path asks CPUID for).
vm_qemu_sha() {
	local dir=$VM_WORK/qemu-trixie main sec lib
	if [ ! -x "$dir/qemu-system-x86_64" ]; then
		command -v mmdebstrap >/dev/null || {
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2 ||
				vm_die "cannot install mmdebstrap"
		}
		main=$(vm_host_mirrors | awk '$1 == "main" { print $2; exit }')
		sec=$(vm_host_mirrors | awk '$1 == "security" { print $2; exit }')
		[ -n "$main" ] || vm_die "no Debian mirror found in the host's apt sources"
		vm_log "fetching Debian 13's QEMU (it emulates the SHA extensions) into $dir"
		rm -rf "$dir" && mkdir -p "$dir" || vm_die "cannot create $dir"
		{
			echo "deb $main trixie main"
			echo "deb $main trixie-updates main"
			[ -z "$sec" ] || echo "deb $sec trixie-security main"
		} | mmdebstrap --variant=extract --include=qemu-system-x86 trixie "$dir/root" - >&2 ||
			vm_die "mmdebstrap of Debian 13's QEMU failed"
		lib=$dir/root/usr/lib/x86_64-linux-gnu
		cat >"$dir/qemu-system-x86_64.tmp" <<-EOF
		#!/bin/sh
		# Debian 13's QEMU with its own loader, libraries, modules and firmware.
		QEMU_MODULE_DIR="$lib/qemu" exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" \\
		    "$dir/root/usr/bin/qemu-system-x86_64" -L "$dir/root/usr/share/qemu" -L "$dir/root/usr/share/seabios" "\$@"
		EOF
		chmod +x "$dir/qemu-system-x86_64.tmp" && mv "$dir/qemu-system-x86_64.tmp" "$dir/qemu-system-x86_64" ||
			vm_die "cannot write $dir/qemu-system-x86_64"
	fi
	"$dir/qemu-system-x86_64" -cpu help | grep -q -w sha-ni ||
		vm_die "$dir/qemu-system-x86_64 does not offer sha-ni"
	VM_QEMU_BIN=$dir/qemu-system-x86_64
	VM_CPU=qemu64,+ssse3,+sha-ni
}

# The digest path purgatory must report on this scenario's CPU.
vm_purgatory_path() {
	if [ -n "$VM_SHA_EXT" ]; then echo "SHA extensions"; else echo plain; fi
}

# ---------------------------------------------------------------- running

# Run QEMU with the common options plus "$@", serial console to
# logs/<name>.log and, stamped with seconds since start, logs/<name>.ts.log.
# Kills QEMU after VM_TIMEOUT seconds (and on our own interruption).
vm_qemu() {
	local pidfile=$VM_RUN/qemu.pid rc
	mkdir -p "$VM_LOGS"
	: >"$VM_LOG"
	rm -f "$pidfile" "$VM_RUN/qemu.stopped"
	[ -z "$VM_SHA_EXT" ] || vm_qemu_sha
	trap 'vm_kill_qemu' INT TERM
	timeout -k 10 "$VM_TIMEOUT" "$VM_QEMU_BIN" -accel tcg,thread="$VM_TCG_THREAD" -cpu "$VM_CPU" \
		-m "$VM_MEM" -smp "$VM_SMP" -nographic -no-reboot -nic none \
		-pidfile "$pidfile" ${VM_QEMU_ARGS:-} "$@" </dev/null 2>&1 | vm_stamp "$VM_LOG" "$VM_TSLOG"
	rc=${PIPESTATUS[0]}
	trap - INT TERM
	vm_elapsed_to VM_QEMU_SECS
	if grep -a -q 'Manual reset required' "$VM_LOG"; then
		vm_fail "Xen panicked"
	elif [ -f "$VM_RUN/qemu.stopped" ]; then
		vm_log "$VM_NAME: stopped at \"$VM_STOP_AT\" as the scenario asked"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		vm_fail "qemu timed out after ${VM_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		vm_fail "qemu exited with status $rc"
	fi
	return 0
}

vm_kill_qemu_pid() {
	local pid
	pid=$(cat "$VM_RUN/qemu.pid" 2>/dev/null) && kill "$pid" 2>/dev/null
	return 0
}

vm_kill_qemu() {
	vm_kill_qemu_pid
	vm_fail "interrupted"
	vm_finish
}

# Copy stdin lines to $1 (without CRs) and, prefixed by host seconds since
# vm_begin, to $2.
vm_stamp() {
	local line now
	while IFS= read -r line || [ -n "$line" ]; do
		# Xen's console adds a CR to dom0's CR LF: drop them all.
		while [[ $line == *$'\r' ]]; do line=${line%$'\r'}; done
		printf '%s\n' "$line" >>"$1"
		vm_elapsed_to now
		printf '%8s %s\n' "$now" "$line" >>"$2"
		# With noreboot a Xen panic would wait for the timeout: stop now.
		[[ $line == *"Manual reset required"* ]] && vm_kill_qemu_pid
		# A scenario that expects the machine to halt (VM_STOP_AT, a
		# glob) stops it when it says so, not at the timeout.
		if [ -n "${VM_STOP_AT:-}" ] && [[ $line == *$VM_STOP_AT* ]]; then
			: >"$VM_RUN/qemu.stopped"
			vm_kill_qemu_pid
		fi
	done
}

# Seconds (ms precision) since vm_begin, into variable $1 (no subshell: it
# runs once per log line).
vm_elapsed_to() {
	local us=$(( ${EPOCHREALTIME/./} - VM_T0 ))
	printf -v "$1" '%d.%03d' $((us / 1000000)) $((us / 1000 % 1000))
}

# vm_run_linux INITRD: boot the Debian kernel bare (no hypervisor).
# VM_LINUX_APPEND adds to its command line.
vm_run_linux() {
	vm_qemu -kernel "$VM_VMLINUZ" -initrd "$1" \
		-append "console=ttyS0 panic=-1 loglevel=4 ${VM_LINUX_APPEND:-}"
}

# vm_run_linux_efi INITRD: the same, booted through OVMF's UEFI loader
# (the kernel's EFI stub), so the first kernel runs with EFI runtime services.
vm_run_linux_efi() {
	[ -f "$VM_OVMF" ] || vm_die "$VM_OVMF missing (vm_deps efi installs it)"
	vm_qemu -bios "$VM_OVMF" -kernel "$VM_VMLINUZ" -initrd "$1" \
		-append "console=ttyS0 panic=-1 loglevel=4 ${VM_LINUX_APPEND:-}"
}

# vm_run_xen DOM0_INITRD: boot Xen (vm_xen) with the Debian kernel as PV dom0.
# Tunables (environment): VM_DOM0_MEM (1024M), VM_CRASHKERNEL (256M; empty =
# none), VM_XEN_APPEND (more Xen options), VM_DOM0_APPEND (more dom0 options),
# VM_SMP / VM_MEM as for every VM.
vm_run_xen() {
	local initrd=$1 xen_args dom0_args
	[ -n "${VM_XEN:-}" ] || vm_xen
	xen_args="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot"
	xen_args+=" dom0_mem=${VM_DOM0_MEM:-1024M}"
	[ -n "${VM_CRASHKERNEL-256M}" ] && xen_args+=" crashkernel=${VM_CRASHKERNEL-256M}"
	xen_args+=" ${VM_XEN_APPEND:-}"
	dom0_args="console=hvc0 earlyprintk=xen panic=-1 loglevel=4 ${VM_DOM0_APPEND:-}"
	# -initrd separates multiboot modules with commas; a literal one is ",,".
	vm_qemu -kernel "$VM_XEN" -append "$xen_args" \
		-initrd "${VM_VMLINUZ//,/,,} ${dom0_args//,/,,},${initrd//,/,,}"
}

# ---------------------------------------------------------------- results

# vm_begin NAME: start a scenario; its files go to work/run/NAME/ and its log
# to work/logs/NAME.log (+ NAME.ts.log with timestamps). NAME gets -deb11 or
# -deb13 when VM_RELEASE chooses another release than 12.
vm_begin() {
	VM_NAME=$1
	# A scenario run on another release (VM_RELEASE=11 or 13 in the
	# environment: the CI matrix) says so in its name, its log and its
	# verdict: xen-crash-deb11.
	[ "$VM_RELEASE" != 12 ] && VM_NAME=$1-deb$VM_RELEASE
	# The same for the CPU with SHA extensions: xen-bad-digest-sha.
	[ -n "$VM_SHA_EXT" ] && VM_NAME=$VM_NAME-sha
	VM_FAILS=
	VM_T0=${EPOCHREALTIME/./}
	VM_RUN=$VM_WORK/run/$VM_NAME
	VM_LOG=$VM_LOGS/$VM_NAME.log
	VM_TSLOG=$VM_LOGS/$VM_NAME.ts.log
	rm -rf "$VM_RUN"
	mkdir -p "$VM_RUN" "$VM_LOGS"
	: >"$VM_LOG"
	: >"$VM_TSLOG"
}

vm_fail() {
	VM_FAILS+="${VM_FAILS:+; }$1"
}

# Patterns are grep -E, matched line by line against the serial log.
expect_in_log() {
	grep -a -q -E -- "$1" "$VM_LOG" || vm_fail "${2:-not in log: /$1/}"
}

expect_not_in_log() {
	grep -a -q -E -- "$1" "$VM_LOG" && vm_fail "${2:-in log: /$1/}"
	return 0
}

# Print the verdict as the last line and exit 0 (PASS) or 1 (FAIL).
vm_finish() {
	local t
	vm_elapsed_to t
	if [ -z "$VM_FAILS" ]; then
		echo "vm: $VM_NAME took ${t}s (log $VM_LOG)" >&2
		echo "PASS: $VM_NAME"
		exit 0
	fi
	echo "vm: $VM_NAME took ${t}s; log $VM_LOG; last lines:" >&2
	tail -n 15 "$VM_LOG" | sed 's/^/  | /' >&2
	echo "FAIL: $VM_NAME: $VM_FAILS"
	exit 1
}

# ---------------------------------------------------------------- bare Linux

# vm_linux_scenario GUEST_SCRIPT [SRC[=DEST]...]: the common body of the bare-Linux
# scenarios. Boots the Debian kernel with an initramfs holding the kexec under
# test ($KX), the same kernel ($VMLINUZ) and the target initramfs
# ($TARGET_INITRD); GUEST_SCRIPT (a file, sourced by /init) drives kexec.
vm_linux_scenario() {
	local script=$1 kx
	shift
	vm_deps
	vm_kernel
	kx=$(vm_kexec_bin) || { vm_fail "no kexec binary: build the repo or set KEXEC_BIN"; vm_finish; }
	echo "vm: $VM_NAME: kexec under test: $kx" >&2
	vm_target_initramfs "$VM_RUN/target.cpio.gz"
	vm_initramfs "$VM_RUN/first.cpio.gz" "$script" \
		"$kx=$VM_G_KX" "$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/target.cpio.gz=$VM_G_TARGET" "$@"
	vm_run_linux "$VM_RUN/first.cpio.gz"
}

# A token unique to this run, to tell this run's target apart from any other.
vm_token() {
	echo "$1$$x$RANDOM"
}

# ---------------------------------------------------------------- Xen

# vm_xen_dom0_initramfs OUT GUEST_SCRIPT [SRC[=DEST]...]: a dom0 initramfs
# with privcmd/xenfs set up before GUEST_SCRIPT runs, the distribution's
# /sbin/kexec (a reference to run side by side), the Debian kernel ($VMLINUZ)
# and a fresh target initramfs ($TARGET_INITRD), plus the extra files.
# Keep the extras small: see the placement notes in README.md.
vm_xen_dom0_initramfs() {
	local out=$1 script=$2 wrapped=$VM_RUN/dom0-guest.sh
	shift 2
	{ echo xen_dom0_setup; cat "$script"; } >"$wrapped"
	vm_target_initramfs "$VM_RUN/target.cpio.gz"
	vm_initramfs "$out" "$wrapped" /sbin/kexec \
		"$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/target.cpio.gz=$VM_G_TARGET" \
		$(vm_xen_module_specs) "$@"
}

# vm_xen_scenario GUEST_SCRIPT [SRC[=DEST]...]: the common body of xen-*
# scenarios: Xen + dom0 whose /init runs GUEST_SCRIPT with the kexec under
# test as $KX (and /sbin/kexec, the distribution's). Tunables: see vm_run_xen.
vm_xen_scenario() {
	local script=$1 kx
	shift
	vm_deps xen
	vm_kernel
	vm_xen
	kx=$(vm_kexec_bin) || { vm_fail "no kexec binary: build the repo or set KEXEC_BIN"; vm_finish; }
	echo "vm: $VM_NAME: kexec under test: $kx" >&2
	vm_xen_dom0_initramfs "$VM_RUN/dom0.cpio.gz" "$script" "$kx=$VM_G_KX" "$@"
	vm_run_xen "$VM_RUN/dom0.cpio.gz"
}

# The hypervisor must have survived everything the scenario did.
expect_xen_alive() {
	expect_not_in_log '\(XEN\) (Xen BUG|FATAL|Panic on CPU|Manual reset required)' "the hypervisor crashed"
}

# ---------------------------------------------------------------- crash dumps

# vm_capture_initramfs OUT TOKEN: the capture kernel's initramfs. It prints
# its command line, then inspects /proc/vmcore: the ELF notes (readelf -n),
# the number of PT_LOADs, whether TOKEN is anywhere in the dump, what
# vmcore-dmesg and makedumpfile --dump-dmesg recover of the crashed
# kernel's log (does it contain TOKEN?), and the size of a makedumpfile -d 31
# filtered dump. Lines start with KX so the host can grep them.
vm_capture_initramfs() {
	local out=$1 token=$2 script
	script=$(mktemp "$VM_WORK/capture-init.XXXXXX")
	echo "TOKEN=$token" >"$script"
	cat >>"$script" <<'CAPTURE'
echo "KXTARGET-UP cmdline=$(cat /proc/cmdline)"
if [ ! -e /proc/vmcore ]; then
	echo "KXVMCORE missing"
	exit 0
fi
echo "KXVMCORE magic=$(head -c 4 /proc/vmcore | od -An -c | tr -d ' ')"
readelf -W -n /proc/vmcore 2>&1 | awk '$1 != "" && $2 ~ /^0x/ { print "KXNOTE " $1 " " $3 " " $2 }'
echo "KXLOADS $(readelf -W -l /proc/vmcore 2>/dev/null | grep -c ' LOAD ')"
vmcore-dmesg /proc/vmcore >/tmp/vd.txt 2>/tmp/vd.err
echo "KXDMESG vmcore-dmesg rc=$? lines=$(wc -l </tmp/vd.txt) token=$(grep -c "$TOKEN" /tmp/vd.txt)"
head -n 3 /tmp/vd.err | sed 's/^/KXDMESG-ERR vmcore-dmesg: /'
makedumpfile --dump-dmesg /proc/vmcore /tmp/md.txt >/tmp/md.err 2>&1
echo "KXDMESG makedumpfile rc=$? lines=$(cat /tmp/md.txt 2>/dev/null | wc -l) token=$(grep -c "$TOKEN" /tmp/md.txt 2>/dev/null)"
grep -i -E 'error|fail|not' /tmp/md.err | head -n 3 | sed 's/^/KXDMESG-ERR makedumpfile: /'
# The raw dump is searched only when no tool recovered the log (it takes
# a minute under TCG); strings, because grep alone would hold gigabyte-long
# binary "lines".
if ! grep -q -F "$TOKEN" /tmp/vd.txt /tmp/md.txt 2>/dev/null; then
	echo "KXTOKEN-IN-DUMP $(strings -n 10 /proc/vmcore | grep -c -F "$TOKEN")"
fi
makedumpfile -F -l -d 31 /proc/vmcore 2>/tmp/mf.err | wc -c | sed 's/^/KXFILTERED bytes=/'
grep -i -E 'error|fail' /tmp/mf.err | head -n 3 | sed 's/^/KXFILTERED-ERR /'
CAPTURE
	vm_initramfs "$out" "$script" /usr/bin/readelf /usr/sbin/vmcore-dmesg /usr/bin/makedumpfile
	rm -f "$script"
}

# ---------------------------------------------------------------- ELF kernels

# vm_vmlinux OUT: the Debian kernel as an ELF vmlinux, gzip-compressed (so a
# scenario also exercises decompression). Debian's bzImage carries it as an
# xz stream in its payload.
vm_vmlinux() {
	local out=$1 off
	[ -s "$out" ] && return 0
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VM_VMLINUZ" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || vm_die "no xz payload in $VM_VMLINUZ"
	tail -c +$((off + 1)) "$VM_VMLINUZ" | xz -dc --single-stream | gzip -1 >"$out.tmp" &&
		mv "$out.tmp" "$out" || vm_die "cannot extract vmlinux from $VM_VMLINUZ"
}

# expect_step NAME RC REASON: the guest's `step NAME` exited with RC.
expect_step() {
	expect_in_log "STEP $1 rc=$2[[:space:]]*\$" "$3"
}

# expect_free_pages_equal STEP_BEFORE STEP_AFTER: the hypervisor's free
# pages (our kexec -d prints "xen: free_pages=N") are the same after both
# steps: no frame lent by Xen for a load was kept. Only on Xen 4.17, whose
# sysctl interface our libxenctrl speaks; elsewhere it is skipped.
expect_free_pages_equal() {
	local before after
	before=$(grep -a -o "ERR $1: xen: free_pages=[0-9]*" "$VM_LOG" | grep -o '[0-9]*$')
	after=$(grep -a -o "ERR $2: xen: free_pages=[0-9]*" "$VM_LOG" | grep -o '[0-9]*$')
	# xc_physinfo is a sysctl, whose interface version changes with every
	# Xen release: Xen refuses our libxenctrl 4.17's calls on 4.14 and 4.20
	# (the release matrix), so -d prints no count there.
	if [ -z "$before$after" ] && [ "${VM_XEN_VERSION:-4.17}" != 4.17 ]; then
		echo "vm: $VM_NAME: hypervisor free pages not measurable on Xen $VM_XEN_VERSION with libxenctrl 4.17" >&2
		return 0
	fi
	echo "vm: $VM_NAME: hypervisor free pages $1=$before $2=$after" >&2
	[ -n "$before" ] && [ "$before" = "$after" ] ||
		vm_fail "hypervisor free pages differ: $1=$before $2=$after"
}

# vm_xen_crash_scenario DOM0_SCRIPT TOKEN: Xen + dom0 whose script ends in
# a dom0 panic; the capture kernel gets vm_capture_initramfs for TOKEN.
vm_xen_crash_scenario() {
	local script=$1 token=$2 kx
	vm_deps xen
	vm_kernel
	vm_xen
	kx=$(vm_kexec_bin) || { vm_fail "no kexec binary"; vm_finish; }
	echo "vm: $VM_NAME: kexec under test: $kx" >&2
	vm_capture_initramfs "$VM_RUN/capture.cpio.gz" "$token"
	{ echo xen_dom0_setup; cat "$script"; } >"$VM_RUN/dom0-init.sh"
	vm_initramfs "$VM_RUN/dom0.cpio.gz" "$VM_RUN/dom0-init.sh" \
		"$kx=$VM_G_KX" "$VM_VMLINUZ=$VM_G_VMLINUZ" "$VM_RUN/capture.cpio.gz=$VM_G_TARGET" \
		$(vm_xen_module_specs)
	vm_run_xen "$VM_RUN/dom0.cpio.gz"
}

# expect_capture MARK TOKEN: the capture kernel booted with MARK and
# elfcorehdr= (no jump-back text), has an ELF /proc/vmcore, and TOKEN was
# found in the dump (by a dump tool or in the raw memory).
expect_capture() {
	expect_in_log "KXTARGET-UP cmdline=.*KXMARK=$1 .*elfcorehdr=[0-9]+K" "capture kernel did not boot with elfcorehdr="
	expect_not_in_log 'KXTARGET-UP .*kexec_jump_back_entry=' "capture command line has kexec_jump_back_entry="
	expect_in_log 'KXVMCORE magic=177ELF' "no ELF /proc/vmcore in the capture kernel"
	expect_in_log '^(KXDMESG .*token=[1-9]|KXTOKEN-IN-DUMP [1-9])' "$2 is not in the dump"
}
