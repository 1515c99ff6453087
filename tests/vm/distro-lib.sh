# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the distro-* scenarios: a real Debian system (systemd,
# kdump-tools, makedumpfile) on a disk image, with our Debian package
# installed by dpkg, booted bare or as a Xen dom0. Source it after lib.sh.
# The release is lib.sh's VM_RELEASE: 12 (systemd 252, kdump-tools 1.8.1,
# the host's Xen 4.17) unless VM_RELEASE=13 (systemd 257, kdump-tools
# 1.10.7, Xen 4.20 from Debian 13; the package built by
# PACKAGE_RELEASE=13 tests/package.sh).
#
#   distro_image            # build (once) or reuse the cached root image
#   distro_disk             # a copy for this run, with our .deb installed
#   distro_run_linux|distro_run_xen "extra kernel args"
#   distro_saved_crash      # copy /var/crash out of the disk after the run
#
# The image is built with mmdebstrap from the mirror the host's apt uses
# and cached under work/distro-<suite>/<key>/, the key being a hash of the
# package list and of this file's image recipe, so later runs only boot it.
# Building it takes a few minutes; it holds no code of ours: our .deb is
# installed into a fresh copy on every run (distro_disk).

# What the image holds. kdump-tools pulls in Debian's kexec-tools, which
# our package then replaces. dbus, as on most installed systems: systemctl
# then hands reboot and kexec to systemd-logind.
DISTRO_PACKAGES="systemd-sysv udev dbus kmod procps initramfs-tools linux-image-amd64 kdump-tools makedumpfile"
# DISTRO_SYSTEMD_BACKPORTS=1 (Debian 12 only): systemd 254 from
# bookworm-backports instead of 252, the workaround doc/kdump-on-xen.md
# section 7 gives for systemctl kexec in a Xen dom0.
DISTRO_VARIANT=
if [ -n "${DISTRO_SYSTEMD_BACKPORTS:-}" ]; then
	[ "$VM_RELEASE" = 12 ] || vm_die "DISTRO_SYSTEMD_BACKPORTS is for Debian 12"
	DISTRO_PACKAGES=${DISTRO_PACKAGES/systemd-sysv udev/systemd\/bookworm-backports systemd-sysv\/bookworm-backports udev\/bookworm-backports libsystemd-shared\/bookworm-backports libsystemd0\/bookworm-backports libudev1\/bookworm-backports}
	DISTRO_VARIANT=-systemd-backports
fi
DISTRO_IMAGE_SIZE=3G

# The image's apt sources, one "deb URI SUITE main" per line: the suite and
# its -updates from the host's first archive mirror, -security from its
# security mirror (lib.sh reads the host's apt sources), so the image has
# the same library versions our package was built against.
distro_sources() {
	local main sec suite
	suite=$(vm_suite "$VM_RELEASE") || return 1
	main=$(vm_host_mirrors | awk '$1 == "main" { print $2; exit }')
	sec=$(vm_host_mirrors | awk '$1 == "security" { print $2; exit }')
	[ -n "$main" ] || return 1
	echo "deb $main $suite main"
	echo "deb $main $suite-updates main"
	[ -z "$sec" ] || echo "deb $sec $suite-security main"
	[ -z "$DISTRO_VARIANT" ] || echo "deb $main $suite-backports main"
}

# The files written into the image after the packages are installed; part
# of the cache key. Runs on the host with the root directory as $1.
distro_customize() {
	local root=$1
	# Root on the virtio disk, by label (mke2fs -L below).
	echo 'LABEL=kxroot / ext4 defaults 0 1' >"$root/etc/fstab"
	echo kxdistro >"$root/etc/hostname"
	# Debian's kexec-tools (replaced by ours at run time) leaves its
	# reboot-into-kexec init scripts and this setting behind: not wanted.
	[ ! -f "$root/etc/default/kexec" ] ||
		sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$root/etc/default/kexec"
	# The initramfs (the main one and kdump-tools' copy) is built in a
	# chroot on the host, where MODULES=dep would look at the host's disks:
	# list the modules this VM's root needs instead.
	echo 'MODULES=list' >"$root/etc/initramfs-tools/conf.d/kx-vm"
	printf '%s\n' virtio_pci virtio_blk ext4 >>"$root/etc/initramfs-tools/modules"
	# The capture kernel is native even on Xen, whose dom0 writes to hvc0:
	# it also writes to the serial port. (kdump-tools' own setting, made
	# the way kdump-tools.5 documents; the default list kept.)
	cat >>"$root/etc/default/kdump-tools" <<'EOF'
KDUMP_CMDLINE_APPEND="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb console=ttyS0"
EOF
	# In a Xen dom0 kexec talks to the hypervisor through privcmd; a host
	# with Xen's tools loads it, this minimal root does it before
	# kdump-tools (a no-op outside Xen).
	mkdir -p "$root/etc/systemd/system/kdump-tools.service.d"
	cat >"$root/etc/systemd/system/kdump-tools.service.d/xen-privcmd.conf" <<'EOF'
[Service]
ExecStartPre=-/sbin/modprobe -q xen-privcmd
EOF
	# The scenario's crash: when the kernel command line has kx.token=T,
	# after kdump-tools has loaded, show kdump's state, write a line with
	# T to the kernel log and panic. Never in the capture kernel (it boots
	# into kdump-tools-dump.service alone, and has /proc/vmcore).
	cat >"$root/usr/local/sbin/kx-crash" <<'EOF'
#!/bin/sh
token=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^kx\.token=//p')
[ -n "$token" ] || exit 0
[ -e /proc/vmcore ] && exit 0
echo "KXDISTRO kexec=$(readlink -f /sbin/kexec) $(/sbin/kexec --version 2>&1 | head -n1)"
dpkg-query -W -f='KXDISTRO package ${Package} ${Version} ${Status}\n' kexec-tools-ng kexec-tools 2>/dev/null
/sbin/kexec -S -p; echo "KXDISTRO kexec-S-p rc=$? (1: loaded)"
echo "KXDISTRO sysfs kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
kdump-config status 2>&1 | sed 's/^/KXDISTRO status: /'
cat /var/lib/kdump/kexec_cmd 2>/dev/null | sed 's/^/KXDISTRO kexec_cmd: /'
# More checks a scenario put into its copy of the image (distro_disk).
for hook in /usr/local/lib/kx/pre-crash.d/*; do
	[ -x "$hook" ] && "$hook"
done
echo "KXDISTRO-TOKEN-$token written to the kernel log" >/dev/kmsg
sync
echo "KXDISTRO crashing now"
echo c >/proc/sysrq-trigger
EOF
	chmod 755 "$root/usr/local/sbin/kx-crash"
	cat >"$root/etc/systemd/system/kx-crash.service" <<'EOF'
[Unit]
Description=Test scenario: crash the kernel once kdump is loaded
After=kdump-tools.service multi-user.target
ConditionKernelCommandLine=kx.token

[Service]
Type=oneshot
StandardOutput=journal+console
ExecStart=/usr/local/sbin/kx-crash

[Install]
WantedBy=multi-user.target
EOF
	ln -sf /etc/systemd/system/kx-crash.service \
		"$root/etc/systemd/system/multi-user.target.wants/kx-crash.service"
	# A root password is not needed: nobody logs in.
}

# The cache key: package list and image recipe.
distro_key() {
	{ echo "$VM_RELEASE $DISTRO_PACKAGES $DISTRO_IMAGE_SIZE"; declare -f distro_customize distro_build; } |
		sha256sum | cut -c1-16
}

# distro_build DIR: mmdebstrap the root into DIR/root, customize it, build
# the kdump initrd, and make DIR/root.img (ext4, label kxroot) from it;
# DIR/vmlinuz and DIR/initrd.img are the kernel and initrd to boot.
distro_build() {
	local dir=$1 sources kver
	sources=$(distro_sources) || vm_die "no Debian mirror in the host's apt sources"
	vm_log "building the Debian $VM_RELEASE root image with mmdebstrap (a few minutes)"
	rm -rf "$dir/root" && mkdir -p "$dir" || vm_die "cannot create $dir"
	# Debconf's defaults: kdump-tools enabled, and kexec-tools handling
	# reboots (turned off in distro_customize).
	mmdebstrap --variant=apt --include="${DISTRO_PACKAGES// /,}" \
		"$(vm_suite "$VM_RELEASE")" "$dir/root" - <<<"$sources" >&2 ||
		vm_die "mmdebstrap failed"
	distro_customize "$dir/root"
	kver=$(ls "$dir/root/lib/modules" | head -n1)
	[ -n "$kver" ] || vm_die "no kernel in the image"
	# Both initrds again, with the module list above: the main one and
	# kdump-tools' (its kernel hook, as a kernel upgrade would run it).
	chroot "$dir/root" update-initramfs -u -k "$kver" >&2 || vm_die "update-initramfs failed"
	chroot "$dir/root" /etc/kernel/postinst.d/kdump-tools "$kver" >&2 ||
		vm_die "kdump-tools' initrd hook failed"
	[ -s "$dir/root/var/lib/kdump/initrd.img-$kver" ] || vm_die "no kdump initrd was built"
	# kdump-config load rebuilds that initrd when kdump-tools' sysctl file
	# differs from the copy it keeps of it; make the copy it would make, or
	# the first boot spends minutes rebuilding under TCG.
	cp "$dir/root/etc/kdump/sysctl.conf" "$dir/root/var/lib/kdump/latest_sysctls-$kver" ||
		vm_die "cannot record kdump-tools' sysctl file"
	cp "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinuz" &&
		cp "$dir/root/boot/initrd.img-$kver" "$dir/initrd.img" || vm_die "cannot copy the kernel"
	rm -f "$dir/root.img"
	mke2fs -q -t ext4 -L kxroot -d "$dir/root" "$dir/root.img" "$DISTRO_IMAGE_SIZE" ||
		vm_die "mke2fs failed"
	rm -rf "$dir/root"
	echo "$kver" >"$dir/kver"
}

# distro_image: set DISTRO_DIR to the cached image (built if missing).
distro_image() {
	local t0=$SECONDS
	command -v mmdebstrap >/dev/null || {
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -qq --no-install-recommends mmdebstrap >&2 ||
			vm_die "cannot install mmdebstrap"
	}
	DISTRO_DIR=$VM_WORK/distro-$(vm_suite "$VM_RELEASE")$DISTRO_VARIANT/$(distro_key)
	if [ ! -f "$DISTRO_DIR/kver" ]; then
		# Images of older recipes of this release are not used again.
		find "$(dirname "$DISTRO_DIR")" -mindepth 1 -maxdepth 1 ! -name "$(basename "$DISTRO_DIR")" \
			-exec rm -rf {} + 2>/dev/null
		distro_build "$DISTRO_DIR"
		vm_log "image built in $((SECONDS - t0))s: $(du -sh "$DISTRO_DIR" | cut -f1) ($DISTRO_DIR)"
	fi
}

# The package under test: $KEXEC_DEB, else what tests/package.sh built for
# the release (it is run first when there is no package yet).
distro_deb() {
	local deb=${KEXEC_DEB:-} dir=$VM_REPO/build/package
	[ "$VM_RELEASE" = 12 ] || dir=$VM_REPO/build/package-$VM_RELEASE
	if [ -z "$deb" ]; then
		# One build at a time: scenarios run side by side would each start one.
		mkdir -p "$VM_WORK"
		(
			flock 9
			ls "$dir"/kexec-tools-ng_*_amd64.deb >/dev/null 2>&1 ||
				PACKAGE_RELEASE=$VM_RELEASE "$VM_REPO/tests/package.sh" >&2
		) 9>"$VM_WORK/package.lock"
		deb=$(ls "$dir"/kexec-tools-ng_*_amd64.deb 2>/dev/null | head -n1)
	fi
	[ -f "$deb" ] || return 1
	echo "$deb"
}

# distro_disk: DISTRO_DISK, this run's copy of the image, with our package
# installed by dpkg in a chroot (it replaces kexec-tools).
distro_disk() {
	local deb mnt
	deb=$(distro_deb) || { vm_fail "no package: run tests/package.sh or set KEXEC_DEB"; vm_finish; }
	echo "vm: $VM_NAME: package under test: $deb" >&2
	DISTRO_DISK=$VM_RUN/disk.img
	cp --sparse=always "$DISTRO_DIR/root.img" "$DISTRO_DISK" || vm_die "cannot copy the image"
	mnt=$VM_RUN/mnt
	mkdir -p "$mnt"
	mount -o loop "$DISTRO_DISK" "$mnt" || vm_die "cannot mount $DISTRO_DISK"
	cp "$deb" "$mnt/tmp/" && mount --bind /proc "$mnt/proc"
	chroot "$mnt" dpkg -i "/tmp/$(basename "$deb")" >"$VM_RUN/dpkg.log" 2>&1
	DISTRO_DPKG_RC=$?
	chroot "$mnt" dpkg-query -W -f='${Package} ${Version} ${Status}\n' kexec-tools-ng kexec-tools \
		>"$VM_RUN/packages.txt" 2>&1
	umount "$mnt/proc"
	rm -f "$mnt/tmp/$(basename "$deb")"
	# DISTRO_KDUMP_PATCH: a patched copy of kdump-config beside the
	# installed one, whose status kx-crash shows before the crash.
	if [ -n "${DISTRO_KDUMP_PATCH:-}" ]; then
		mkdir -p "$mnt/usr/local/lib/kx/pre-crash.d"
		cp "$mnt/usr/sbin/kdump-config" "$mnt/usr/local/lib/kx/kdump-config"
		patch -s "$mnt/usr/local/lib/kx/kdump-config" <"$DISTRO_KDUMP_PATCH" ||
			vm_fail "$DISTRO_KDUMP_PATCH does not apply"
		printf '%s\n' '#!/bin/sh' \
			"/usr/local/lib/kx/kdump-config status 2>&1 | sed 's/^/KXDISTRO patched status: /'" \
			>"$mnt/usr/local/lib/kx/pre-crash.d/patched-status"
		chmod 755 "$mnt/usr/local/lib/kx/pre-crash.d/patched-status"
	fi
	# DISTRO_LOGIND_XEN=1: contrib/systemd's logind drop-in, installed as
	# its header says.
	if [ -n "${DISTRO_LOGIND_XEN:-}" ]; then
		install -D -m 644 "$VM_REPO/contrib/systemd/logind-xen-kexec.conf" \
			"$mnt/etc/systemd/system/systemd-logind.service.d/xen-kexec.conf"
	fi
	# DISTRO_HOOK: a script of the scenario's, run by kx-crash before the
	# crash (it may also take the system elsewhere, e.g. systemctl kexec).
	if [ -n "${DISTRO_HOOK:-}" ]; then
		mkdir -p "$mnt/usr/local/lib/kx/pre-crash.d"
		install -m 755 "$DISTRO_HOOK" "$mnt/usr/local/lib/kx/pre-crash.d/zz-scenario"
	fi
	umount "$mnt" || vm_die "cannot unmount $mnt"
	sed 's/^/vm: dpkg: /' "$VM_RUN/dpkg.log" "$VM_RUN/packages.txt" >&2
	[ "$DISTRO_DPKG_RC" = 0 ] || vm_fail "dpkg -i of our package failed"
	grep -q '^kexec-tools-ng .* install ok installed' "$VM_RUN/packages.txt" ||
		vm_fail "our package is not installed"
	grep -q '^kexec-tools .* install ok installed' "$VM_RUN/packages.txt" &&
		vm_fail "kexec-tools is still installed"
	return 0
}

DISTRO_DRIVE_ARGS() { echo "-drive file=$DISTRO_DISK,format=raw,if=virtio"; }

# distro_run_linux ARGS: boot the image's kernel bare, with ARGS added.
distro_run_linux() {
	vm_qemu $(DISTRO_DRIVE_ARGS) -kernel "$DISTRO_DIR/vmlinuz" -initrd "$DISTRO_DIR/initrd.img" \
		-append "root=LABEL=kxroot rw console=ttyS0 panic=-1 $1"
}

# distro_run_xen ARGS: Xen (vm_xen; its crashkernel= from VM_CRASHKERNEL)
# with the image's kernel as dom0, ARGS added to dom0's command line.
distro_run_xen() {
	local xen_args dom0_args
	xen_args="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot"
	xen_args+=" dom0_mem=${VM_DOM0_MEM:-1024M} crashkernel=${VM_CRASHKERNEL:-256M}"
	# No earlyprintk=xen: kdump-config copies dom0's command line to the
	# capture kernel, which runs on the bare machine.
	dom0_args="root=LABEL=kxroot rw console=hvc0 panic=-1 $1"
	vm_qemu $(DISTRO_DRIVE_ARGS) -kernel "$VM_XEN" -append "$xen_args" \
		-initrd "${DISTRO_DIR//,/,,}/vmlinuz ${dom0_args//,/,,},${DISTRO_DIR//,/,,}/initrd.img"
}

# distro_saved_crash TOKEN [xen]: after the run, copy /var/crash out of the disk
# into $VM_RUN/crash and check it on the host: a dmesg.* with TOKEN's line,
# and a dump.* from which makedumpfile (-R, then --dump-dmesg) recovers
# that line. With "xen": the dump must also carry VMCOREINFO_XEN, and
# --dump-dmesg failing on it is reported, not failed (see below).
# Sets DISTRO_DUMP_BYTES and DISTRO_DUMP_DMESG (read/failed).
distro_saved_crash() {
	local token=$1 mnt=$VM_RUN/mnt d dump dmesg kver
	# Read-write: the crash left the journal to replay (it is a copy).
	mount -o loop "$DISTRO_DISK" "$mnt" || vm_die "cannot mount $DISTRO_DISK"
	rm -rf "$VM_RUN/crash"
	cp -a "$mnt/var/crash" "$VM_RUN/crash"
	umount "$mnt"
	ls -lR "$VM_RUN/crash" | sed 's/^/vm: saved: /' >&2
	d=$(ls -d "$VM_RUN"/crash/2* 2>/dev/null | head -n1)
	[ -n "$d" ] || { vm_fail "nothing saved under /var/crash"; return 0; }
	dump=$(ls "$d"/dump.* 2>/dev/null | head -n1)
	dmesg=$(ls "$d"/dmesg.* 2>/dev/null | head -n1)
	DISTRO_DUMP_BYTES=$(stat -c %s "$dump" 2>/dev/null || echo 0)
	echo "vm: $VM_NAME: saved dump $(basename "${dump:-none}") $DISTRO_DUMP_BYTES bytes" >&2
	[ -n "$dmesg" ] || vm_fail "no dmesg.* saved"
	[ -n "$dmesg" ] && ! grep -a -q "KXDISTRO-TOKEN-$token" "$dmesg" &&
		vm_fail "the saved dmesg lacks the token"
	[ "$DISTRO_DUMP_BYTES" -gt 0 ] || { vm_fail "the saved dump is missing or empty"; return 0; }
	command -v makedumpfile >/dev/null || apt-get install -y -qq makedumpfile >&2
	# kdump-tools saves makedumpfile's flattened format (-F, written to a
	# pipe); makedumpfile -R turns it back into its compressed dump file,
	# which --dump-dmesg reads.
	if ! makedumpfile -R "$VM_RUN/dump.kdump" <"$dump" >"$VM_RUN/makedumpfile.log" 2>&1; then
		tail -n 5 "$VM_RUN/makedumpfile.log" | sed 's/^/vm: makedumpfile: /' >&2
		vm_fail "makedumpfile -R cannot read the saved dump"
		return 0
	fi
	# Its header carries the crashed kernel's VMCOREINFO (and Xen's).
	kver=$(cat "$DISTRO_DIR/kver")
	head -c 16M "$VM_RUN/dump.kdump" | grep -a -q "OSRELEASE=$kver" ||
		vm_fail "the saved dump has no VMCOREINFO of $kver"
	if [ "${2:-}" = xen ]; then
		head -c 16M "$VM_RUN/dump.kdump" | grep -a -q "VMCOREINFO_XEN" ||
			vm_fail "the saved dump has no VMCOREINFO_XEN"
	fi
	if makedumpfile --dump-dmesg "$VM_RUN/dump.kdump" "$VM_RUN/dump-dmesg.txt" >>"$VM_RUN/makedumpfile.log" 2>&1; then
		DISTRO_DUMP_DMESG=read
		grep -a -q "KXDISTRO-TOKEN-$token" "$VM_RUN/dump-dmesg.txt" ||
			vm_fail "makedumpfile read the saved dump but its log lacks the token"
	else
		DISTRO_DUMP_DMESG=failed
		tail -n 5 "$VM_RUN/makedumpfile.log" | sed 's/^/vm: makedumpfile: /' >&2
		# makedumpfile 1.7.2 cannot walk a PV dom0's page tables in a
		# compressed dump of a Xen host ("Can't get a valid pgd"); the
		# capture kernel's makedumpfile read /proc/vmcore (dmesg.* above).
		# Known limitation, recorded in doc/kdump-on-xen.md.
		[ "${2:-}" = xen ] ||
			vm_fail "makedumpfile --dump-dmesg cannot read the saved dump"
	fi
	echo "vm: $VM_NAME: makedumpfile --dump-dmesg of the saved dump: $DISTRO_DUMP_DMESG" >&2
	# The disk copy is most of a gigabyte: kept only when asked.
	[ -n "${DISTRO_KEEP_DISK:-}" ] || rm -f "$DISTRO_DISK"
	rm -f "$VM_RUN/dump.kdump"
}
