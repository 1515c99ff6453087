/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for run.c: each action against the fake backend, checked by
 * the exit status main would return (kx_exit_status, the one mapping from
 * results to upstream's exit statuses). */
#include <errno.h>

#include "fake-backend.h"
#include "fixtures.h"
#include "run.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })

struct run_out {
	enum kx_result rc;
	int exit;
	struct capture c;
};

/* Parse args as main does, check support, run on the fake, map. */
static void run(struct fake_backend *f, const char *const *args, struct run_out *r)
{
	struct options o;

	assert_int_equal(fake_parse(&o, args), KX_OK);
	capture_start(&r->c);
	r->rc = kx_check_supported(&o);
	if (r->rc == KX_OK)
		r->rc = kx_run(&o, &f->b);
	capture_end(&r->c);
	r->exit = kx_exit_status(r->rc);
}

static int setup(void **state)
{
	char *path = calloc(1, 64);
	struct bzimage bz;
	int fd;

	assert_non_null(path);
	bz_make(&bz, 0x10000);
	fd = temp_file(path, 0, false);
	assert_int_equal(write(fd, bz.buf, bz.len), (ssize_t)bz.len);
	close(fd);
	bz_free(&bz);
	*state = path;
	return 0;
}

static int teardown(void **state)
{
	unlink(*state);
	free(*state);
	return 0;
}

/* ---------------------------------------------------------------- mapping */

static void test_exit_table(void **state UNUSED)
{
	assert_int_equal(kx_exit_status(KX_OK), 0);
	assert_int_equal(kx_exit_status(KX_NOT_LOADED), 0);
	assert_int_equal(kx_exit_status(KX_LOADED), 1);
	assert_int_equal(kx_exit_status(KX_REFUSED), 1);
	assert_int_equal(kx_exit_status(KX_ERROR), 255);
	assert_int_equal(kx_exit_status(KX_UNKNOWN), 255);
	assert_int_equal(kx_exit_status(KX_FALLBACK), 253);
	assert_int_equal(EXIT_LOAD_FAILED, 255);
	assert_int_equal(EXIT_FALLBACK, 253);
}

/* ---------------------------------------------------------------- -S */

static void test_status_crash_by_default(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	run(&f, A("-S"), &r);
	assert_int_equal(r.exit, 0);
	assert_silent(r.c.text);
	assert_true(f.last_crash);
	f.slot[1] = 1;
	run(&f, A("-S"), &r);
	assert_int_equal(r.exit, 1);
	assert_silent(r.c.text);
}

static void test_status_normal_with_l(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.slot[1] = 1;
	run(&f, A("-S", "-l"), &r);
	assert_false(f.last_crash);
	assert_int_equal(r.exit, 0);
	f.slot[0] = 1;
	run(&f, A("-S", "-l"), &r);
	assert_int_equal(r.exit, 1);
}

static void test_status_error_and_unknown(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.rc[FAKE_STATUS] = KX_ERROR;
	run(&f, A("-S"), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake status failed");

	f.rc[FAKE_STATUS] = KX_UNKNOWN;
	run(&f, A("-S"), &r);
	assert_int_equal(r.rc, KX_UNKNOWN);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "cannot tell");
}

/* ---------------------------------------------------------------- -u */

static void test_unload(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.slot[0] = f.slot[1] = 1;
	run(&f, A("-u"), &r);
	assert_int_equal(r.exit, 0);
	assert_silent(r.c.text);
	assert_false(f.last_crash);
	assert_int_equal(f.slot[0], 0);
	assert_int_equal(f.slot[1], 1);
	run(&f, A("-u", "-p"), &r);
	assert_int_equal(r.exit, 0);
	assert_true(f.last_crash);
	assert_int_equal(f.slot[1], 0);
	/* Nothing loaded: still 0 (the backend says so). */
	run(&f, A("-u"), &r);
	assert_int_equal(r.exit, 0);
}

static void test_unload_fails(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.rc[FAKE_UNLOAD] = KX_ERROR;
	run(&f, A("-u"), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake unload failed");
}

/* ---------------------------------------------------------------- -e */

static void test_exec_nothing_loaded(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.slot[1] = 1; /* a crash image does not count */
	run(&f, A("-e", "-x", "-y"), &r);
	assert_int_equal(r.exit, 1);
	assert_one_error(r.c.text, "nothing has been loaded");
	assert_int_equal(f.calls[FAKE_EXEC], 0);
}

static void test_exec_fails(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.slot[0] = 1;
	run(&f, A("-e", "-x", "-y"), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake exec failed");
	assert_int_equal(f.calls[FAKE_EXEC], 1);
}

/* When the backend cannot tell, exec is tried: it will say. */
static void test_exec_status_unknown(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.rc[FAKE_STATUS] = KX_UNKNOWN;
	run(&f, A("-e", "-x", "-y"), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake exec failed");
	assert_int_equal(f.calls[FAKE_EXEC], 1);
}

static void test_exec_status_error(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	f.rc[FAKE_STATUS] = KX_ERROR;
	run(&f, A("-e", "-x", "-y"), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake status failed");
	assert_int_equal(f.calls[FAKE_EXEC], 0);
}

/* ---------------------------------------------------------------- load */

static void test_load_exit_statuses(void **state)
{
	const char *kernel = *state;
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	run(&f, A("-l", kernel), &r);
	assert_int_equal(r.exit, 0);
	assert_silent(r.c.text);

	f.rc[FAKE_FILE_LOAD] = KX_FALLBACK;
	run(&f, A("-s", "-l", kernel), &r);
	assert_int_equal(r.exit, 253);
	assert_one_error(r.c.text, "kexec_file_load failed");
	assert_one_error(r.c.text, kernel); /* the line names the file */

	f.rc[FAKE_LOAD] = KX_ERROR;
	run(&f, A("-l", kernel), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake load failed");
}

static void test_load_needs_one_kernel(void **state)
{
	const char *kernel = *state;
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	run(&f, A("-l"), &r);
	assert_int_equal(r.exit, 1);
	assert_one_error(r.c.text, "no kernel image given");
	run(&f, A("-l", kernel, "extra"), &r);
	assert_int_equal(r.exit, 1);
	assert_one_error(r.c.text, "unexpected argument");
	assert_int_equal(fake_backend_ncalls(&f), 0);
}

/* -f loads, then executes without shutdown. */
static void test_force_loads_then_execs(void **state)
{
	const char *kernel = *state;
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	run(&f, A("-f", "-x", "-y", kernel), &r);
	assert_int_equal(r.exit, 255);
	assert_one_error(r.c.text, "fake exec failed");
	assert_string_equal(f.trace, "file_load status exec ");

	fake_backend_init(&f, true);
	f.rc[FAKE_FILE_LOAD] = KX_ERROR;
	run(&f, A("-f", "-x", "-y", kernel), &r);
	assert_int_equal(r.exit, 255);
	assert_string_equal(f.trace, "file_load ");
}

/* ---------------------------------------------------------------- others */

/* The size goes to stdout: read it back from a temporary file. */
static void test_print_ckr_size(void **state UNUSED)
{
	struct fake_backend f;
	struct run_out r;
	FILE *out = tmpfile();
	int saved = dup(STDOUT_FILENO);
	char text[64] = "";

	assert_non_null(out);
	fake_backend_init(&f, true);
	fflush(stdout);
	assert_true(dup2(fileno(out), STDOUT_FILENO) >= 0);
	run(&f, A("--print-ckr-size"), &r);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(out);
	assert_non_null(fgets(text, sizeof(text), out));
	fclose(out);
	assert_int_equal(r.exit, 0);
	assert_string_equal(text, "268435456\n"); /* the fake's 256 MiB crash region */
	f.rc[FAKE_DESCRIBE] = KX_ERROR;
	run(&f, A("--print-ckr-size"), &r);
	assert_int_equal(r.exit, 1);
	assert_one_error(r.c.text, "fake describe failed");
}

static void test_unsupported_option(void **state)
{
	const char *kernel = *state;
	struct fake_backend f;
	struct run_out r;

	fake_backend_init(&f, true);
	run(&f, A("-l", "--hotplug", kernel), &r);
	assert_int_equal(r.exit, 1);
	assert_one_error(r.c.text, "--hotplug is not supported");
	assert_int_equal(fake_backend_ncalls(&f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_table),
		cmocka_unit_test(test_status_crash_by_default),
		cmocka_unit_test(test_status_normal_with_l),
		cmocka_unit_test(test_status_error_and_unknown),
		cmocka_unit_test(test_unload),
		cmocka_unit_test(test_unload_fails),
		cmocka_unit_test(test_exec_nothing_loaded),
		cmocka_unit_test(test_exec_fails),
		cmocka_unit_test(test_exec_status_unknown),
		cmocka_unit_test(test_exec_status_error),
		cmocka_unit_test(test_load_exit_statuses),
		cmocka_unit_test(test_load_needs_one_kernel),
		cmocka_unit_test(test_force_loads_then_execs),
		cmocka_unit_test(test_print_ckr_size),
		cmocka_unit_test(test_unsupported_option),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
