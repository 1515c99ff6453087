/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the native backend's error paths (kexec/native/native.c).
 * This file defines every native_sys_* function, so the linker takes
 * these instead of kexec/native/syscalls.c from libkexec.a: each test
 * scripts what "the kernel" answers and reads back what it was asked.
 * The lockdown mode is the test's too (-Wl,--wrap=sysfs_lockdown). */
#include <errno.h>
/* Before <linux/kexec.h>: older UAPI headers use size_t without it. */
#include <stddef.h>
#include <linux/kexec.h>

#include "backend.h"
#include "fixtures.h"
#include "syscalls.h"
#include "sysfs-machine.h"

/* The kernel as scripted by a test: an errno per call (0 succeeds). */
static struct {
	enum kx_lockdown lockdown;
	int load_err, file_err, reboot_err;
	unsigned long load_flags, file_flags;
	unsigned long load_nseg;
	int file_kernel_fd;
	unsigned nload, nfile, nreboot;
} k;

static long answer(int err)
{
	if (!err)
		return 0;
	errno = err;
	return -1;
}

long native_sys_kexec_load(unsigned long entry UNUSED, unsigned long nr_segments,
			   struct kexec_segment *segments UNUSED, unsigned long flags)
{
	k.nload++;
	k.load_nseg = nr_segments;
	k.load_flags = flags;
	return answer(k.load_err);
}

long native_sys_kexec_file_load(int kernel_fd, int initrd_fd UNUSED,
				unsigned long cmdline_len UNUSED, const char *cmdline UNUSED,
				unsigned long flags)
{
	k.nfile++;
	k.file_kernel_fd = kernel_fd;
	k.file_flags = flags;
	return answer(k.file_err);
}

int native_sys_reboot_kexec(void)
{
	k.nreboot++;
	errno = k.reboot_err;
	return -1;
}

enum kx_lockdown __wrap_sysfs_lockdown(const char *root);
enum kx_lockdown __wrap_sysfs_lockdown(const char *root UNUSED)
{
	return k.lockdown;
}

static int setup(void **state)
{
	static struct backend b;

	memset(&k, 0, sizeof(k));
	k.lockdown = LOCKDOWN_NONE;
	assert_int_equal(native_backend_open(&b), KX_OK);
	*state = &b;
	return 0;
}

/* ---------------------------------------------------------------- file_load */

static enum kx_result file_load(struct backend *b, bool crash, struct capture *c)
{
	struct file_load_args a = { .kernel_path = "/boot/vmlinuz-test", .kernel_fd = 7,
				    .initrd_fd = -1, .cmdline = "console=ttyS0", .crash = crash };
	enum kx_result rc;

	capture_start(c);
	rc = b->ops->file_load(b, &a);
	capture_end(c);
	return rc;
}

static void test_file_load_ok(void **state)
{
	struct backend *b = *state;
	struct capture c;

	assert_int_equal(file_load(b, true, &c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(k.file_kernel_fd, 7);
	assert_true(k.file_flags & KEXEC_FILE_ON_CRASH);
	assert_true(k.file_flags & KEXEC_FILE_NO_INITRAMFS);
}

/* A missing syscall or an image format it cannot take: fall back
 * quietly, errno still saying why. */
static void test_file_load_falls_back(void **state)
{
	static const int errs[] = { ENOSYS, ENOEXEC, EINVAL, EOPNOTSUPP };
	struct backend *b = *state;
	struct capture c;

	for (size_t i = 0; i < ARRAY_SIZE(errs); i++) {
		k.file_err = errs[i];
		assert_int_equal(file_load(b, false, &c), KX_FALLBACK);
		assert_int_equal(errno, errs[i]);
		assert_silent(c.text);
	}
}

static void test_file_load_final_errors(void **state)
{
	static const struct {
		int err;
		const char *says;
	} cases[] = {
		{ EPERM, "not permitted" },
		{ EKEYREJECTED, "signature does not match it, or its key is revoked" },
		{ ENOKEY, "signed with a key the running kernel does not trust" },
		{ ENODATA, "carries no signature, and this kernel takes only signed images" },
		{ EBADMSG, "signature (or its PE wrapper) is malformed" },
		{ ELIBBAD, "signature (or its PE wrapper) is malformed" },
		{ ENOPKG, "lacks the algorithm the image's signature uses" },
		{ ENOMEM, "could not allocate memory" },
		{ EBUSY, "another kexec operation" },
	};
	struct backend *b = *state;
	struct capture c;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		k.file_err = cases[i].err;
		assert_int_equal(file_load(b, false, &c), KX_ERROR);
		assert_one_error(c.text, "/boot/vmlinuz-test: kexec_file_load failed: ");
		assert_one_error(c.text, cases[i].says);
	}
}

/* Locked down, the kernel turns a signature it cannot verify into EPERM:
 * the line says so in words, naming the mode. */
static void test_file_load_lockdown_signature(void **state)
{
	struct backend *b = *state;
	struct capture c;

	k.lockdown = LOCKDOWN_INTEGRITY;
	k.file_err = EPERM;
	assert_int_equal(file_load(b, false, &c), KX_ERROR);
	assert_one_error(c.text, "/boot/vmlinuz-test: kexec_file_load failed: the kernel is locked "
			 "down (integrity) and could not verify the image's signature");
	/* Without lockdown (or when it cannot be read) EPERM is permissions. */
	k.lockdown = LOCKDOWN_UNKNOWN;
	assert_int_equal(file_load(b, false, &c), KX_ERROR);
	assert_one_error(c.text, "not permitted (needs CAP_SYS_BOOT");
}

/* Locked down, an image kexec_file_load cannot take is final: kexec_load
 * would be refused too. */
static void test_file_load_lockdown_no_fallback(void **state)
{
	struct backend *b = *state;
	struct capture c;

	k.lockdown = LOCKDOWN_CONFIDENTIALITY;
	k.file_err = ENOEXEC;
	assert_int_equal(file_load(b, false, &c), KX_ERROR);
	assert_one_error(c.text, "/boot/vmlinuz-test: kexec_file_load failed: the kernel does not "
			 "recognise this image format; kexec_load is not allowed either: the kernel "
			 "is locked down (confidentiality)");
}

/* ---------------------------------------------------------------- load */

static enum kx_result plan_load(struct backend *b, bool crash, bool preserve,
				struct capture *c)
{
	static const uint8_t data[64] = { 0x90 };
	struct plan p;
	enum kx_result rc;

	memset(&p, 0, sizeof(p));
	p.nseg = 1;
	p.seg[0] = (struct segment){ .buf = data, .fd = -1, .bufsz = sizeof(data),
				     .mem = 0x1000000, .memsz = 0x1000, .what = "kernel" };
	p.entry = 0x1000000;
	p.crash = crash;
	p.preserve_context = preserve;
	capture_start(c);
	rc = b->ops->load(b, &p);
	capture_end(c);
	return rc;
}

static void test_load_ok_flags(void **state)
{
	struct backend *b = *state;
	struct capture c;

	assert_int_equal(plan_load(b, false, false, &c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(k.load_nseg, 1);
	assert_int_equal(k.load_flags, KEXEC_ARCH_X86_64);
	assert_int_equal(plan_load(b, true, true, &c), KX_OK);
	assert_int_equal(k.load_flags, KEXEC_ARCH_X86_64 | KEXEC_ON_CRASH | KEXEC_PRESERVE_CONTEXT);
}

static void test_load_errors(void **state)
{
	static const struct {
		int err;
		const char *says;
	} cases[] = {
		{ EBUSY, "another kexec operation is in progress" },
		{ EPERM, "not permitted" },
		{ EINVAL, "rejected the image or its segment layout" },
		{ EADDRNOTAVAIL, "outside the memory the kernel allows" },
		{ ENOSYS, "without kexec support" },
	};
	struct backend *b = *state;
	struct capture c;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		k.load_err = cases[i].err;
		assert_int_equal(plan_load(b, false, false, &c), KX_ERROR);
		assert_one_error(c.text, "kexec_load failed");
		assert_one_error(c.text, cases[i].says);
	}
}

/* kexec_load under lockdown: refused with a line naming it, before
 * the kernel is asked. */
static void test_load_lockdown(void **state)
{
	struct backend *b = *state;
	struct capture c;

	k.lockdown = LOCKDOWN_INTEGRITY;
	assert_int_equal(plan_load(b, false, false, &c), KX_ERROR);
	assert_one_error(c.text, "kexec_load is not allowed: the kernel is locked down (integrity, "
			 "/sys/kernel/security/lockdown); use kexec_file_load");
	assert_int_equal(k.nload, 0);
	k.lockdown = LOCKDOWN_UNKNOWN;
	assert_int_equal(plan_load(b, false, false, &c), KX_OK);
	assert_int_equal(k.nload, 1);
}

/* ---------------------------------------------------------------- unload */

static enum kx_result unload(struct backend *b, bool crash, struct capture *c)
{
	enum kx_result rc;

	capture_start(c);
	rc = b->ops->unload(b, crash);
	capture_end(c);
	return rc;
}

static void test_unload_file_syscall(void **state)
{
	struct backend *b = *state;
	struct capture c;

	assert_int_equal(unload(b, true, &c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(k.file_flags, KEXEC_FILE_UNLOAD | KEXEC_FILE_ON_CRASH);
	assert_int_equal(k.nload, 0);
}

/* Without kexec_file_load, kexec_load with no segments unloads. */
static void test_unload_without_file_syscall(void **state)
{
	struct backend *b = *state;
	struct capture c;

	k.file_err = ENOSYS;
	assert_int_equal(unload(b, false, &c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(k.nload, 1);
	assert_int_equal(k.load_nseg, 0);
	assert_int_equal(k.load_flags, KEXEC_ARCH_X86_64);
}

static void test_unload_errors(void **state)
{
	struct backend *b = *state;
	struct capture c;

	k.file_err = EPERM;
	assert_int_equal(unload(b, false, &c), KX_ERROR);
	assert_one_error(c.text, "unload failed: not permitted");
	assert_int_equal(k.nload, 0);

	k.file_err = ENOSYS;
	k.load_err = EBUSY;
	assert_int_equal(unload(b, false, &c), KX_ERROR);
	assert_one_error(c.text, "unload failed: another kexec operation");
}

/* ---------------------------------------------------------------- exec */

static void test_exec_fails(void **state)
{
	struct backend *b = *state;
	struct capture c;
	enum kx_result rc;

	k.reboot_err = EPERM;
	capture_start(&c);
	rc = b->ops->exec(b);
	capture_end(&c);
	assert_int_equal(rc, KX_ERROR);
	assert_int_equal(k.nreboot, 1);
	assert_one_error(c.text, "kexec failed: not permitted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_file_load_ok, setup),
		cmocka_unit_test_setup(test_file_load_falls_back, setup),
		cmocka_unit_test_setup(test_file_load_final_errors, setup),
		cmocka_unit_test_setup(test_file_load_lockdown_signature, setup),
		cmocka_unit_test_setup(test_file_load_lockdown_no_fallback, setup),
		cmocka_unit_test_setup(test_load_ok_flags, setup),
		cmocka_unit_test_setup(test_load_lockdown, setup),
		cmocka_unit_test_setup(test_load_errors, setup),
		cmocka_unit_test_setup(test_unload_file_syscall, setup),
		cmocka_unit_test_setup(test_unload_without_file_syscall, setup),
		cmocka_unit_test_setup(test_unload_errors, setup),
		cmocka_unit_test_setup(test_exec_fails, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
