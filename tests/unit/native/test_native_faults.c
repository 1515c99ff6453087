/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Failure injection through the native backend (issue 12): whole runs of
 * `kexec -l/-p`, a replacing load, `-u` and `-e`, with each syscall mode
 * (-a: kexec_file_load, then kexec_load where it cannot take the image,
 * so also with a kernel whose kexec_file_load refuses the image;
 * -c: kexec_load only), against a simulated kernel with two image slots.
 * Every kexec syscall and every allocation is failed in turn, with each
 * errno the kernel gives (tests/fixtures/faults.h); after each run a
 * failed run printed exactly one line, the slots are as before (the
 * kernel replaces an image only when the new one is accepted), and no file
 * descriptor is left open (no leak in the sanitizer build).
 * This file defines the native_sys_* calls (instead of
 * kexec/native/syscalls.c) and, through -Wl,--wrap (Makefile.in), what
 * sysfs says about the machine: a PC with a 256 MiB crash region. */
#include <errno.h>
#include <elf.h>
#include <setjmp.h>
/* Before <linux/kexec.h>: older UAPI headers use size_t without it. */
#include <stddef.h>
#include <linux/kexec.h>

#include "backend.h"
#include "faults.h"
#include "fixtures.h"
#include "run.h"
#include "syscalls.h"
#include "sysfs-machine.h"

#ifndef KEXEC_FILE_UNLOAD
#define KEXEC_FILE_UNLOAD 0x1
#endif
#ifndef KEXEC_FILE_ON_CRASH
#define KEXEC_FILE_ON_CRASH 0x2
#endif

/* ---------------------------------------------------------------- the simulated kernel */

static struct {
	int slot[2];    /* which image each slot holds, 0 for none */
	int last_image;
	bool executed;
	bool file_refuses; /* kexec_file_load cannot take the image (ENOEXEC) */
} ks;

static jmp_buf exec_env;

#define FAIL_HERE(name) fault_here(FAULT_CALL, name)

long native_sys_kexec_load(unsigned long entry UNUSED, unsigned long nr_segments,
			   struct kexec_segment *segments, unsigned long flags)
{
	int t = (flags & KEXEC_ON_CRASH) != 0;
	volatile uint8_t sum = 0;

	if (FAIL_HERE("kexec_load"))
		return -1;
	/* The kernel copies every segment during the call. */
	for (unsigned long i = 0; i < nr_segments; i++) {
		const uint8_t *p = segments[i].buf;

		for (size_t j = 0; p && j < segments[i].bufsz; j += 512)
			sum += p[j];
	}
	ks.slot[t] = nr_segments ? ++ks.last_image : 0;
	return 0;
}

long native_sys_kexec_file_load(int kernel_fd, int initrd_fd UNUSED,
				unsigned long cmdline_len UNUSED, const char *cmdline UNUSED,
				unsigned long flags)
{
	int t = (flags & KEXEC_FILE_ON_CRASH) != 0;

	if (FAIL_HERE("kexec_file_load"))
		return -1;
	if (flags & KEXEC_FILE_UNLOAD) {
		ks.slot[t] = 0;
		return 0;
	}
	assert_true(kernel_fd >= 0);
	if (ks.file_refuses) {
		errno = ENOEXEC;
		return -1;
	}
	ks.slot[t] = ++ks.last_image;
	return 0;
}

/* Success does not return: the run ends where the machine would reboot. */
int native_sys_reboot_kexec(void)
{
	if (FAIL_HERE("reboot"))
		return -1;
	ks.executed = true;
	longjmp(exec_env, 1);
}

/* ---------------------------------------------------------------- what sysfs says */

int __wrap_sysfs_read_memmap(const char *root, struct mem_map *m);
int __wrap_sysfs_read_crash_regions(const char *root, struct mem_map *m);
int __wrap_sysfs_read_efi(const char *root, struct machine_efi *e);
int __wrap_sysfs_read_dump(const char *root, struct dump_source *d);
int __wrap_sysfs_kexec_loaded(const char *root, bool crash);
enum kx_lockdown __wrap_sysfs_lockdown(const char *root);

#define CRASH_START 0x20000000ULL
#define CRASH_END 0x30000000ULL

int __wrap_sysfs_read_memmap(const char *root UNUSED, struct mem_map *m)
{
	memmap_init(m);
	for (size_t i = 0; i < ARRAY_SIZE(pc_map); i++)
		if (memmap_add(m, pc_map[i].start, pc_map[i].end, pc_map[i].type) < 0)
			return -1;
	return 0;
}

int __wrap_sysfs_read_crash_regions(const char *root UNUSED, struct mem_map *m)
{
	memmap_init(m);
	return memmap_add(m, CRASH_START, CRASH_END, MEM_RAM) < 0 ? -1 : 0;
}

int __wrap_sysfs_read_efi(const char *root UNUSED, struct machine_efi *e)
{
	memset(e, 0, sizeof(*e));
	return 0;
}

/* Two CPUs' notes, vmcoreinfo, the RAM. */
int __wrap_sysfs_read_dump(const char *root UNUSED, struct dump_source *d)
{
	memset(d, 0, sizeof(*d));
	memmap_init(&d->ram);
	d->e_machine = EM_X86_64;
	if (dump_add_note(d, 0x10000, 0x400) < 0 || dump_add_note(d, 0x10400, 0x400) < 0)
		goto fail;
	d->ncpu_notes = 2;
	if (dump_add_note(d, 0x11000, 0x1000) < 0)
		goto fail;
	for (size_t i = 0; i < ARRAY_SIZE(pc_map); i++)
		if (pc_map[i].type == MEM_RAM &&
		    memmap_add(&d->ram, pc_map[i].start, pc_map[i].end, MEM_RAM) < 0)
			goto fail;
	return 0;
fail:
	dump_source_free(d);
	return -1;
}

int __wrap_sysfs_kexec_loaded(const char *root UNUSED, bool crash)
{
	return ks.slot[crash] != 0;
}

enum kx_lockdown __wrap_sysfs_lockdown(const char *root UNUSED)
{
	return LOCKDOWN_NONE;
}

/* ---------------------------------------------------------------- runs */

static struct fault_files files;
static struct options opts; /* the action under test, parsed once */
static enum syscall_mode mode;

/* What main() does with a parsed command line. */
static int run_kexec(void)
{
	static struct backend b;
	enum kx_result rc;

	ks.executed = false;
	assert_int_equal(native_backend_open(&b), KX_OK);
	if (setjmp(exec_env)) {
		b.ops->close(&b); /* the machine would have rebooted by now */
		return 0;
	}
	opts.syscall = mode;
	rc = kx_run(&opts, &b);
	b.ops->close(&b);
	return kx_exit_status(rc);
}

static const struct fault_action_case *cur;
static int before[2];

static void load_clean(bool crash)
{
	const struct fault_action_case a = { FA_LOAD, crash, "" };
	struct options saved = opts;

	fault_parse_action(&a, files.kernel, files.initrd, &opts);
	assert_int_equal(run_kexec(), 0);
	opts = saved;
}

static void prepare(void)
{
	memset(ks.slot, 0, sizeof(ks.slot));
	/* The other slot holds an image throughout: it must never change. */
	load_clean(!cur->crash);
	if (cur->what != FA_LOAD)
		load_clean(cur->crash);
	memcpy(before, ks.slot, sizeof(before));
}

static void check(int rc, const char *out, const char *failed, int err)
{
	fault_check_action(cur, before, ks.slot, ks.executed, rc, out, failed, err);
}

/* What kexec_load(2), kexec_file_load(2) and reboot(2) answer when they
 * refuse: permission or lockdown, memory, a busy slot, a rejected image,
 * no such syscall, a rejected signature. */
static const int kernel_errnos[] = { EPERM, ENOMEM, EBUSY, EINVAL, ENOSYS, EKEYREJECTED, 0 };

static void sweep_mode(enum syscall_mode m, bool file_refuses, const char *label)
{
	struct fault_stats total = { 0 };
	char name[64];

	mode = m;
	ks.file_refuses = file_refuses;
	for (size_t i = 0; i < ARRAY_SIZE(fault_actions); i++) {
		const struct fault_case fc = { name, prepare, run_kexec, check, kernel_errnos };

		cur = &fault_actions[i];
		snprintf(name, sizeof(name), "native %s %s", label, cur->name);
		fault_parse_action(cur, files.kernel, files.initrd, &opts);
		fault_sweep(&fc, &total);
	}
	printf("faults: native %s: %lu runs, %lu failed with one line, %lu absorbed\n", label,
	       total.runs, total.failed, total.absorbed);
}

static int setup(void **state UNUSED)
{
	memset(&ks, 0, sizeof(ks));
	fault_files_make(&files);
	return 0;
}

static int teardown(void **state UNUSED)
{
	fault_files_remove(&files);
	return 0;
}

static void test_auto(void **state UNUSED)
{
	sweep_mode(SYSCALL_AUTO, false, "-a");
}

static void test_auto_fallback(void **state UNUSED)
{
	sweep_mode(SYSCALL_AUTO, true, "-a (kexec_file_load refuses the image)");
}

static void test_kexec_load(void **state UNUSED)
{
	sweep_mode(SYSCALL_LOAD, false, "-c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kexec_load, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
