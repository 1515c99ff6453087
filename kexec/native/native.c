/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Native backend: kexec_load(2), kexec_file_load(2) and
 * reboot(LINUX_REBOOT_CMD_KEXEC) on a Linux that runs on the hardware. */
#include <errno.h>
#include <inttypes.h>
/* Before <linux/kexec.h>: older UAPI headers use size_t without it. */
#include <stddef.h>
#include <linux/kexec.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "stage.h"
#include "syscalls.h"
#include "sysfs-dump.h"
#include "sysfs-efi.h"
#include "sysfs-machine.h"
#include "util.h"

#ifndef KEXEC_FILE_DEBUG
#define KEXEC_FILE_DEBUG 0x8
#endif
#ifndef KEXEC_FILE_NO_CMA
#define KEXEC_FILE_NO_CMA 0x10
#endif
#ifndef KEXEC_FILE_FORCE_DTB
#define KEXEC_FILE_FORCE_DTB 0x20
#endif

/* How a kernel's signature check says no (kexec_file_load with
 * CONFIG_KEXEC_SIG_FORCE, or IMA): the verifier's errnos. NULL for any
 * other errno. */
static const char *signature_refusal(int err)
{
	switch (err) {
	case ENODATA:
		return "the image carries no signature, and this kernel takes only signed images";
	case ENOKEY:
		return "the image is signed with a key the running kernel does not trust";
	case EKEYREJECTED:
		return "the image's signature does not match it, or its key is revoked";
	case EBADMSG:
	case EMSGSIZE:
	case ELIBBAD:
		return "the image's signature (or its PE wrapper) is malformed";
	case ENOPKG:
		return "the running kernel lacks the algorithm the image's signature uses";
	default:
		return NULL;
	}
}

/* Why the kernel said no, in words an admin can act on. file: the
 * kexec_file_load syscall (else kexec_load or reboot). */
static const char *explain(int err, bool file)
{
	const char *sig = file ? signature_refusal(err) : NULL;

	if (sig)
		return sig;
	switch (err) {
	case EPERM:
		return file ? "not permitted (needs CAP_SYS_BOOT; or kexec is disabled by kernel.kexec_load_disabled)"
			    : "not permitted (needs CAP_SYS_BOOT; kexec_load is refused under lockdown/Secure Boot — try -s; or kernel.kexec_load_disabled is set)";
	case EBUSY:
		return "another kexec operation is in progress, or the crash image is in use";
	case ENOMEM:
		return "the kernel could not allocate memory for the image (or the crash region is too small)";
	case EINVAL:
		return "the kernel rejected the image or its segment layout";
	case EADDRNOTAVAIL:
		return "a segment lies outside the memory the kernel allows (for -p: outside the crash region)";
	case ENOSYS:
		return "this kernel was built without kexec support";
	case ENOEXEC:
		return "the kernel does not recognise this image format";
	default:
		return strerror(err);
	}
}

/* A locked-down kernel turns a signature it cannot verify into EPERM
 * (the verifier's own errno is only logged): say what that means. The
 * kernel file is named: its signature is what the kernel judged. */
static void file_load_error(const char *path, int err, enum kx_lockdown l)
{
	if (err == EPERM && l > LOCKDOWN_NONE)
		kx_error("%s: kexec_file_load failed: the kernel is locked down (%s) and could not "
			 "verify the image's signature against the keys it trusts (its built-in "
			 "keys and, booted with UEFI Secure Boot, the firmware's db)",
			 path, lockdown_name(l));
	else
		kx_error("%s: kexec_file_load failed: %s", path, explain(err, true));
}

static int describe_machine(struct machine *m, bool crash)
{
	memset(m, 0, sizeof(*m));
	m->backend = "native";
	m->max_segments = KEXEC_SEGMENT_MAX;
	m->max_addr = 0; /* any address the memory map allows */
	if (sysfs_read_memmap("", &m->ram) < 0 || sysfs_read_crash_regions("", &m->crash_all) < 0)
		return -1;
	/* With crashkernel=...,high the kernel takes capture images only in
	 * the high region (crashk_res); the low one is just more RAM for it. */
	memmap_init(&m->crash);
	if (m->crash_all.n) {
		const struct mem_range *hi = &m->crash_all.r[m->crash_all.n - 1];

		if (memmap_add(&m->crash, hi->start, hi->end, MEM_RAM) < 0)
			return -1;
	}
	m->acpi_rsdp = sysfs_acpi_rsdp("");
	if (!m->acpi_rsdp)
		m->acpi_rsdp = sysfs_boot_params_rsdp("");
	m->acpi_rsdp_len = sysfs_copy_rsdp("", m->acpi_rsdp, m->acpi_rsdp_copy);
	if (sysfs_read_efi("", &m->efi) < 0)
		return -1;
	if (!crash)
		return 0;
	if (m->crash.n == 0) {
		kx_error("no crash kernel memory is reserved (boot with crashkernel=...)");
		return -1;
	}
	return sysfs_read_dump("", &m->dump);
}

static enum kx_result native_describe(struct backend *b UNUSED, struct machine *m, bool crash)
{
	return describe_machine(m, crash) == 0 ? KX_OK : KX_ERROR;
}

struct mapped {
	void *addr;
	size_t len;
};

/* kexec_load wants every segment in our address space; file-backed ones
 * are mapped read-only (no copy until the kernel copies them). */
static int map_segment(const struct segment *s, struct kexec_segment *ks, struct mapped *mp)
{
	uint64_t delta = s->file_off & (PAGE_SIZE_4K - 1);
	struct stat st;

	ks->bufsz = s->bufsz;
	ks->mem = (void *)(uintptr_t)s->mem;
	ks->memsz = s->memsz;
	mp->addr = NULL;
	if (s->buf || s->bufsz == 0) {
		ks->buf = s->buf;
		return 0;
	}
	/* The digest reads the mapping: past the file's end that would be
	 * SIGBUS, not an error line. */
	if (fstat(s->fd, &st) < 0 || (uint64_t)st.st_size < s->file_off + s->bufsz) {
		kx_error("%s: read failed: file shrank", s->what);
		return -1;
	}
	mp->len = s->bufsz + delta;
	mp->addr = mmap(NULL, mp->len, PROT_READ, MAP_PRIVATE, s->fd,
			(off_t)(s->file_off - delta));
	if (mp->addr == MAP_FAILED) {
		mp->addr = NULL;
		kx_error("%s: cannot map its data: %s", s->what, strerror(errno));
		return -1;
	}
	/* The digest reads it front to back: ask for readahead (a hint; its
	 * failure costs only speed). */
	(void)madvise(mp->addr, mp->len, MADV_SEQUENTIAL);
	ks->buf = (char *)mp->addr + delta;
	return 0;
}

/* kexec_load(2) cannot work on a locked-down kernel: say so before
 * asking (the kernel's EPERM would not say why). */
static bool lockdown_refuses_load(void)
{
	enum kx_lockdown l = sysfs_lockdown("");

	if (l <= LOCKDOWN_NONE)
		return false;
	kx_error("kexec_load is not allowed: the kernel is locked down (%s, "
		 "/sys/kernel/security/lockdown); use kexec_file_load (-s, or the default -a) "
		 "with a signed bzImage", lockdown_name(l));
	return true;
}

static enum kx_result native_load(struct backend *b UNUSED, const struct plan *p)
{
	struct kexec_segment ks[PLAN_MAX_SEGMENTS];
	struct mapped mp[PLAN_MAX_SEGMENTS] = { 0 };
	unsigned long flags = KEXEC_ARCH_X86_64;
	struct stage st = { 0 };
	long rc = -1;
	unsigned i;

	if (lockdown_refuses_load())
		return KX_ERROR;
	if (p->crash)
		flags |= KEXEC_ON_CRASH;
	if (p->preserve_context)
		flags |= KEXEC_PRESERVE_CONTEXT;
	/* One pass: the digest reads the mapped file pages the kernel then
	 * copies; no read() of its own. */
	if (stage_begin(&st, p) < 0)
		goto out;
	for (i = 0; i < p->nseg; i++)
		if (map_segment(&p->seg[i], &ks[i], &mp[i]) < 0 ||
		    segment_stage_mapped(&st, i, ks[i].buf) < 0)
			goto out;
	if (stage_seal(&st) < 0)
		goto out;
	kx_debug("kexec_load: %u segments, flags 0x%lx", p->nseg, flags);
	rc = native_sys_kexec_load((unsigned long)p->entry, (unsigned long)p->nseg, ks, flags);
	if (rc != 0)
		kx_error("kexec_load failed: %s", explain(errno, false));
out:
	stage_end(&st);
	for (unsigned j = 0; j < p->nseg; j++)	/* unmapped ones are NULL */
		if (mp[j].addr)
			munmap(mp[j].addr, mp[j].len);
	return rc == 0 ? KX_OK : KX_ERROR;
}

static enum kx_result native_file_load(struct backend *b UNUSED, const struct file_load_args *a)
{
	unsigned long flags = 0;
	const char *cmd = a->cmdline ? a->cmdline : "";
	enum kx_lockdown lock;
	long rc;
	int err;

	if (a->crash)
		flags |= KEXEC_FILE_ON_CRASH;
	if (a->initrd_fd < 0)
		flags |= KEXEC_FILE_NO_INITRAMFS;
	if (a->no_cma)
		flags |= KEXEC_FILE_NO_CMA;
	if (a->force_dtb)
		flags |= KEXEC_FILE_FORCE_DTB;
	kx_debug("kexec_file_load: flags 0x%lx", flags);
	rc = native_sys_kexec_file_load(a->kernel_fd, a->initrd_fd,
					(unsigned long)strlen(cmd) + 1, cmd, flags);
	if (rc == 0)
		return KX_OK;
	err = errno;
	lock = sysfs_lockdown("");
	/* Missing syscall or an image it cannot take: the caller may use
	 * kexec_load instead (as upstream's -a does), except under lockdown,
	 * where kexec_load cannot work either. EPERM is final. */
	if (err == ENOSYS || err == EINVAL || err == ENOEXEC || err == EOPNOTSUPP) {
		if (lock > LOCKDOWN_NONE) {
			kx_error("%s: kexec_file_load failed: %s; kexec_load is not allowed either: "
				 "the kernel is locked down (%s)", a->kernel_path, explain(err, true),
				 lockdown_name(lock));
			return KX_ERROR;
		}
		kx_debug("kexec_file_load: %s", strerror(err));
		errno = err;
		return KX_FALLBACK;
	}
	file_load_error(a->kernel_path, err, lock);
	return KX_ERROR;
}

static enum kx_result native_unload(struct backend *b UNUSED, bool crash)
{
	unsigned long fflags = KEXEC_FILE_UNLOAD | (crash ? KEXEC_FILE_ON_CRASH : 0);

	if (native_sys_kexec_file_load(-1, -1, 0UL, NULL, fflags) == 0)
		return KX_OK;
	if (errno == ENOSYS &&
	    native_sys_kexec_load(0UL, 0UL, NULL,
				  KEXEC_ARCH_X86_64 | (crash ? KEXEC_ON_CRASH : 0UL)) == 0)
		return KX_OK;
	kx_error("unload failed: %s", explain(errno, true));
	return KX_ERROR;
}

static enum kx_result native_status(struct backend *b UNUSED, bool crash, bool quiet UNUSED)
{
	/* The sysfs flag is the kernel's answer (tested against a fake root
	 * with the other sysfs readers). */
	switch (sysfs_kexec_loaded("", crash)) {
	case 1:
		return KX_LOADED;
	case 0:
		return KX_NOT_LOADED;
	default:
		return KX_ERROR;
	}
}

static enum kx_result native_exec(struct backend *b UNUSED)
{
	native_sys_reboot_kexec();
	kx_error("kexec failed: %s", explain(errno, false));
	return KX_ERROR;
}

static void native_close(struct backend *b UNUSED) { }

static const struct backend_ops native_ops = {
	.name = "native",
	.describe = native_describe,
	.load = native_load,
	.file_load = native_file_load,
	.unload = native_unload,
	.status = native_status,
	.exec = native_exec,
	.close = native_close,
};

enum kx_result native_backend_open(struct backend *b)
{
	b->ops = &native_ops;
	b->priv = NULL;
	return KX_OK;
}
