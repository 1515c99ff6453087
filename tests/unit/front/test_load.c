/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for load.c's decisions, against the fake backend: which
 * syscall path a load takes (kexec_file_load or the segment plan), when it
 * falls back, what it returns, and that an image already loaded is left
 * alone when the new one is refused. */
#include <elf.h>
#include <errno.h>

#include "fake-backend.h"
#include "fixtures.h"
#include "load.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })

struct files {
	char bz[64];  /* a bzImage: kexec_file_load can take it */
	char elf[64]; /* an ELF x86_64 kernel: plan path only */
	char junk[64];/* no kernel at all */
};

static void write_temp(char path[64], const void *buf, size_t len)
{
	int fd = temp_file(path, 0, false);

	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* One PT_LOAD of 4 KiB at 2 MiB, entered at its start. */
static void write_elf(char path[64])
{
	uint8_t buf[0x2000] = { 0 };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x200000;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	*ph = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000,
			    .p_vaddr = 0x200000, .p_paddr = 0x200000, .p_filesz = 0x1000,
			    .p_memsz = 0x1000, .p_align = 0x1000 };
	memset(buf + 0x1000, 0x90, 0x1000);
	write_temp(path, buf, sizeof(buf));
}

static int setup(void **state)
{
	struct files *t = calloc(1, sizeof(*t));
	struct bzimage bz;

	assert_non_null(t);
	bz_make(&bz, 0x10000);
	write_temp(t->bz, bz.buf, bz.len);
	bz_free(&bz);
	write_elf(t->elf);
	write_temp(t->junk, "not a kernel, just some words\n", 30);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct files *t = *state;

	unlink(t->bz);
	unlink(t->elf);
	unlink(t->junk);
	free(t);
	return 0;
}

/* kx_load on the command line args; stderr in *c->text. */
static enum kx_result load(struct fake_backend *f, const char *const *args, struct capture *c)
{
	struct options o;
	enum kx_result rc;

	assert_int_equal(fake_parse(&o, args), KX_OK);
	capture_start(c);
	rc = kx_load(&o, &f->b);
	capture_end(c);
	return rc;
}

static void assert_trace(const struct fake_backend *f, const char *want)
{
	if (strcmp(f->trace, want))
		fail_msg("backend calls \"%s\", want \"%s\"", f->trace, want);
}

/* ---------------------------------------------------------------- paths */

static void test_auto_file_load(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-l", t->bz), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "file_load ");
	assert_int_equal(f.slot[0], 1);
	assert_false(f.last_crash);
}

static void test_c_takes_plan_path(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-c", "-l", t->bz), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "describe load ");
	assert_true(f.last_nseg > 0);
	assert_int_equal(f.slot[0], 1);
}

static void test_preserve_context_takes_plan_path(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("--load-preserve-context", t->bz), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "describe load ");
}

static void test_elf_takes_plan_path(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-l", t->elf), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "describe load ");
}

static void test_crash_plan_path(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-c", "-p", t->bz), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "describe load ");
	assert_true(f.last_crash);
	assert_int_equal(f.slot[1], 1);
	assert_int_equal(f.slot[0], 0);
}

/* -s with an image kexec_file_load cannot take: upstream's 253, and the
 * backend is not asked anything. */
static void test_s_with_elf_is_fallback(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-s", "-l", t->elf), &c), KX_FALLBACK);
	assert_one_error(c.text, "cannot be loaded with kexec_file_load");
	assert_int_equal(fake_backend_ncalls(&f), 0);
}

/* A backend without kexec_file_load (Xen): -s is reported, then its own
 * load path is used. */
static void test_s_without_file_load_uses_plan(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, false);
	assert_int_equal(load(&f, A("-s", "-l", t->bz), &c), KX_OK);
	assert_one_error(c.text, "not possible with the fake-no-file backend");
	assert_trace(&f, "describe load ");
}

static void test_no_file_load_auto_is_silent(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, false);
	assert_int_equal(load(&f, A("-l", t->bz), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "describe load ");
}

/* ---------------------------------------------------------------- fallback */

static void test_file_load_fallback_to_plan(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	f.rc[FAKE_FILE_LOAD] = KX_FALLBACK;
	f.file_load_errno = ENOSYS;
	assert_int_equal(load(&f, A("-l", t->bz), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "file_load describe load ");
	assert_int_equal(f.slot[0], 1);
}

static void test_s_file_load_fallback_is_253(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	f.rc[FAKE_FILE_LOAD] = KX_FALLBACK;
	f.file_load_errno = ENOEXEC;
	assert_int_equal(load(&f, A("-s", "-l", t->bz), &c), KX_FALLBACK);
	assert_one_error(c.text, strerror(ENOEXEC));
	assert_trace(&f, "file_load ");
	assert_int_equal(f.slot[0], 0);
}

/* A final kexec_file_load error is not retried with the other syscall. */
static void test_file_load_error_is_final(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	f.rc[FAKE_FILE_LOAD] = KX_ERROR;
	assert_int_equal(load(&f, A("-l", t->bz), &c), KX_ERROR);
	assert_one_error(c.text, "fake file_load failed");
	assert_trace(&f, "file_load ");
}

/* ---------------------------------------------------------------- failures */

static void test_describe_fails(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	f.rc[FAKE_DESCRIBE] = KX_ERROR;
	assert_int_equal(load(&f, A("-c", "-l", t->bz), &c), KX_ERROR);
	assert_one_error(c.text, "fake describe failed");
	assert_trace(&f, "describe ");
}

static void test_load_fails(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	f.rc[FAKE_LOAD] = KX_ERROR;
	assert_int_equal(load(&f, A("-c", "-l", t->bz), &c), KX_ERROR);
	assert_one_error(c.text, "fake load failed");
	assert_trace(&f, "describe load ");
	assert_int_equal(f.slot[0], 0);
}

static void test_missing_kernel_file(void **state UNUSED)
{
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-l", "/nonexistent/vmlinuz"), &c), KX_ERROR);
	assert_one_error(c.text, "/nonexistent/vmlinuz");
	assert_int_equal(fake_backend_ncalls(&f), 0);
}

/* ---------------------------------------------------------------- replace */

/* A second load replaces the first through the backend's load alone:
 * the front end never unloads first. */
static void test_second_load_replaces(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-l", t->bz), &c), KX_OK);
	assert_int_equal(load(&f, A("-c", "-l", t->elf), &c), KX_OK);
	assert_silent(c.text);
	assert_trace(&f, "file_load describe load ");
	assert_int_equal(f.slot[0], 2);
	assert_int_equal(f.calls[FAKE_UNLOAD], 0);
}

/* Refused new images leave the loaded one alone: no unload, no load. */
static void test_refused_image_touches_nothing(void **state)
{
	struct files *t = *state;
	struct fake_backend f;
	struct capture c;

	fake_backend_init(&f, true);
	assert_int_equal(load(&f, A("-l", t->bz), &c), KX_OK);
	memset(f.trace, 0, sizeof(f.trace));

	assert_int_equal(load(&f, A("-l", t->junk), &c), KX_ERROR);
	assert_one_error(c.text, t->junk);
	assert_int_equal(load(&f, A("-l", "--type", "multiboot-x86", t->bz), &c), KX_ERROR);
	assert_one_error(c.text, "wrong file type");
	assert_int_equal(load(&f, A("-l", "--module", "m", t->bz), &c), KX_ERROR);
	assert_one_error(c.text, "--module");
	assert_int_equal(load(&f, A("-s", "-l", t->elf), &c), KX_FALLBACK);
	assert_one_error(c.text, "kexec_file_load");
	assert_trace(&f, "");

	f.rc[FAKE_DESCRIBE] = KX_ERROR;
	assert_int_equal(load(&f, A("-c", "-l", t->bz), &c), KX_ERROR);
	assert_one_error(c.text, "describe");
	assert_trace(&f, "describe ");
	assert_int_equal(f.slot[0], 1);
	assert_int_equal(f.calls[FAKE_UNLOAD], 0);
	assert_int_equal(f.calls[FAKE_LOAD], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_file_load),
		cmocka_unit_test(test_c_takes_plan_path),
		cmocka_unit_test(test_preserve_context_takes_plan_path),
		cmocka_unit_test(test_elf_takes_plan_path),
		cmocka_unit_test(test_crash_plan_path),
		cmocka_unit_test(test_s_with_elf_is_fallback),
		cmocka_unit_test(test_s_without_file_load_uses_plan),
		cmocka_unit_test(test_no_file_load_auto_is_silent),
		cmocka_unit_test(test_file_load_fallback_to_plan),
		cmocka_unit_test(test_s_file_load_fallback_is_253),
		cmocka_unit_test(test_file_load_error_is_final),
		cmocka_unit_test(test_describe_fails),
		cmocka_unit_test(test_load_fails),
		cmocka_unit_test(test_missing_kernel_file),
		cmocka_unit_test(test_second_load_replaces),
		cmocka_unit_test(test_refused_image_touches_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
