/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the command-line parser (kexec/options.c): every option in
 * its short and long forms, order independence of actions, value checks and
 * error exits. Error lines go to a temporary file, not the terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "option-table.h"
#include "options.h"

#define UNUSED __attribute__((unused))
#define MAX_ARGS 40
/* Argument lists are NULL-terminated arrays of string literals. */
#define A(...) { __VA_ARGS__, NULL }

struct parsed {
	enum kx_result rc;
	struct options o;
	char err[1024]; /* what options_parse printed on stderr */
};

/* Run fn with file descriptor fd sent to a temporary file; the file's
 * contents end up in out. */
static void capture_fd(int fd, FILE *stream, void (*fn)(void *), void *arg,
		       char *out, size_t outlen)
{
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	assert_non_null(tmp);
	fflush(stream);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), fd) >= 0);
	fn(arg);
	fflush(stream);
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, outlen - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

struct parse_call {
	const char *const *args;
	struct parsed *p;
};

static void do_parse(void *arg)
{
	struct parse_call *c = arg;
	char *av[MAX_ARGS + 2];
	int ac = 0;

	av[ac++] = (char *)"kexec";
	while (c->args[ac - 1]) {
		assert_true(ac <= MAX_ARGS);
		av[ac] = (char *)c->args[ac - 1];
		ac++;
	}
	av[ac] = NULL;
	c->p->rc = options_parse(ac, av, &c->p->o);
}

static void parse(const char *const *args, struct parsed *p)
{
	struct parse_call c = { args, p };

	memset(p, 0, sizeof(*p));
	capture_fd(STDERR_FILENO, stderr, do_parse, &c, p->err, sizeof(p->err));
}

static void expect_ok(const char *const *args, struct parsed *p)
{
	parse(args, p);
	if (p->rc != KX_OK)
		fail_msg("'%s ...' failed: %s", args[0] ? args[0] : "", p->err);
}

static void expect_usage_error(const char *const *args, const char *needle)
{
	struct parsed p;
	int lines = 0;
	const char *c;

	parse(args, &p);
	if (p.rc != KX_REFUSED)
		fail_msg("'%s ...' returned %d, expected KX_REFUSED", args[0], p.rc);
	for (c = p.err; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 1); /* one error line, nothing more */
	assert_true(strncmp(p.err, "kexec: ", 7) == 0);
	if (needle && !strstr(p.err, needle))
		fail_msg("error '%s' does not mention '%s'", p.err, needle);
}

/* ------------------------------------------------------------ defaults */

static void test_defaults(void **state UNUSED)
{
	static const char *const args[] = { NULL };
	struct parsed p;

	expect_ok(args, &p);
	assert_int_equal(p.o.action, ACT_DEFAULT);
	assert_int_equal(p.o.syscall, SYSCALL_AUTO);
	assert_false(p.o.syscall_given);
	assert_int_equal(p.o.elf_args, ELF_ARGS_DEFAULT);
	assert_int_equal(p.o.xen_ops, XEN_OPS_AUTO);
	assert_int_equal(p.o.serial_base, 0x3f8);
	assert_int_equal(p.o.serial_baud, 0);
	assert_int_equal(p.o.elf_core_headers, 0);
	assert_false(p.o.panic);
	assert_false(p.o.type_given_l);
	assert_false(p.o.mem_min_given);
	assert_false(p.o.mem_max_given);
	assert_false(p.o.entry_given);
	assert_null(p.o.kernel);
	assert_null(p.o.command_line);
	assert_null(p.o.initrd);
	assert_null(p.o.type);
	assert_int_equal(p.o.nmodules, 0);
	assert_int_equal(p.o.nextra, 0);
}

/* ------------------------------------------------------------- actions */

struct action_case {
	const char *args[6];
	enum kexec_action action;
	bool panic;
	bool type_given_l;
};

static const struct action_case action_cases[] = {
	{ A("vmlinuz"), ACT_DEFAULT, false, false },
	{ A("-l", "vmlinuz"), ACT_LOAD, false, true },
	{ A("--load", "vmlinuz"), ACT_LOAD, false, true },
	{ A("-p", "vmlinuz"), ACT_LOAD, true, false },
	{ A("--load-panic", "vmlinuz"), ACT_LOAD, true, false },
	{ A("-l", "-p", "vmlinuz"), ACT_LOAD, true, true },
	{ A("-p", "-l", "vmlinuz"), ACT_LOAD, true, true },
	{ A("-u"), ACT_UNLOAD, false, false },
	{ A("--unload"), ACT_UNLOAD, false, false },
	{ A("-u", "-p"), ACT_UNLOAD, true, false },
	{ A("-p", "-u"), ACT_UNLOAD, true, false },
	{ A("-up"), ACT_UNLOAD, true, false },
	{ A("-pu"), ACT_UNLOAD, true, false },
	{ A("--unload", "--load-panic"), ACT_UNLOAD, true, false },
	{ A("-u", "-l"), ACT_UNLOAD, false, true },
	{ A("-l", "-u"), ACT_UNLOAD, false, true },
	{ A("-e"), ACT_EXEC, false, false },
	{ A("--exec"), ACT_EXEC, false, false },
	{ A("-f", "vmlinuz"), ACT_FORCE, false, false },
	{ A("--force", "vmlinuz"), ACT_FORCE, false, false },
	{ A("-S"), ACT_STATUS, true, false },
	{ A("--status"), ACT_STATUS, true, false },
	{ A("-S", "-p"), ACT_STATUS, true, false },
	{ A("-p", "-S"), ACT_STATUS, true, false },
	{ A("-S", "-l"), ACT_STATUS, false, true },
	{ A("-l", "-S"), ACT_STATUS, false, true },
	{ A("-lS"), ACT_STATUS, false, true },
	{ A("-S", "-l", "-p"), ACT_STATUS, true, true },
	{ A("-S", "-e", "-u"), ACT_STATUS, true, false },
	{ A("-e", "-l", "-S"), ACT_STATUS, false, true },
	{ A("-S", "-f", "vmlinuz"), ACT_STATUS, true, false },
	{ A("--print-ckr-size"), ACT_PRINT_CKR, false, false },
	{ A("-S", "--print-ckr-size"), ACT_PRINT_CKR, false, false },
	{ A("--print-ckr-size", "-S"), ACT_PRINT_CKR, false, false },
	{ A("-h"), ACT_HELP, false, false },
	{ A("-?"), ACT_HELP, false, false },
	{ A("--help"), ACT_HELP, false, false },
	{ A("-v"), ACT_VERSION, false, false },
	{ A("--version"), ACT_VERSION, false, false },
	{ A("-h", "-v"), ACT_HELP, false, false },
	{ A("-v", "-h"), ACT_HELP, false, false },
	{ A("-l", "-e", "--help"), ACT_HELP, false, false },
	{ A("--exec-live-update"), ACT_EXEC_LIVE_UPDATE, false, false },
	{ A("-e", "--exec-live-update"), ACT_EXEC_LIVE_UPDATE, false, false },
	{ A("--exec-live-update", "-e"), ACT_EXEC_LIVE_UPDATE, false, false },
	{ A("--load-live-update", "xen.gz"), ACT_LOAD, false, false },
	{ A("-l", "--load-live-update", "xen.gz"), ACT_LOAD, false, true },
	{ A("-u", "--load-live-update"), ACT_UNLOAD, false, false },
	{ A("--load-preserve-context", "--mem-max=0x1000", "k"), ACT_LOAD, false, false },
	{ A("--load-jump-back-helper", "--entry=0x1000"), ACT_LOAD_JUMP_BACK_HELPER, false, false },
};

static void test_actions(void **state UNUSED)
{
	size_t i;
	struct parsed p;

	for (i = 0; i < sizeof(action_cases) / sizeof(action_cases[0]); i++) {
		const struct action_case *c = &action_cases[i];

		expect_ok(c->args, &p);
		if (p.o.action != c->action || p.o.panic != c->panic ||
		    p.o.type_given_l != c->type_given_l)
			fail_msg("case %zu (%s %s): action %d panic %d l %d", i,
				 c->args[0], c->args[1] ? c->args[1] : "",
				 p.o.action, p.o.panic, p.o.type_given_l);
	}
}

static void test_action_side_fields(void **state UNUSED)
{
	struct parsed p;
	static const char *const force[] = A("-f", "k");
	static const char *const lu[] = A("-S", "--load-live-update");
	static const char *const pres[] = A("--load-preserve-context", "--mem-max=4096", "k");
	static const char *const load[] = A("-l", "k");

	expect_ok(force, &p);
	assert_true(p.o.force);
	expect_ok(load, &p);
	assert_false(p.o.force);
	assert_false(p.o.load_live_update);
	assert_false(p.o.load_preserve_context);
	expect_ok(lu, &p);
	assert_int_equal(p.o.action, ACT_STATUS);
	assert_true(p.o.load_live_update);
	expect_ok(pres, &p);
	assert_true(p.o.load_preserve_context);
	assert_true(p.o.mem_max_given);
}

static const char *const conflict_cases[][5] = {
	A("-l", "-e"),
	A("-e", "-l"),
	A("-e", "-p"),
	A("-p", "-e"),
	A("-u", "-e"),
	A("-e", "-u"),
	A("-f", "-e"),
	A("-f", "-l"),
	A("-l", "-f"),
	A("-f", "-p"),
	A("-p", "-f"),
	A("-u", "-f"),
	A("--load-jump-back-helper", "-l"),
	A("--load-jump-back-helper", "-e"),
	A("-p", "--load-live-update"),
	A("-p", "--load-preserve-context"),
	A("--load-live-update", "--load-preserve-context"),
	A("--exec-live-update", "-l"),
	A("--exec-live-update", "-u"),
	A("-u", "--load-preserve-context"),
};

static void test_action_conflicts(void **state UNUSED)
{
	size_t i;

	for (i = 0; i < sizeof(conflict_cases) / sizeof(conflict_cases[0]); i++)
		expect_usage_error(conflict_cases[i], "cannot be combined");
}

/* ------------------------------------------------------- boolean flags */

struct flag_case {
	const char *arg;
	size_t off; /* offsetof the bool in struct options */
};

#define F(arg, field) { arg, offsetof(struct options, field) }
static const struct flag_case flag_cases[] = {
	F("-d", debug), F("--debug", debug),
	F("-i", no_checks), F("--no-checks", no_checks),
	F("-x", no_ifdown), F("--no-ifdown", no_ifdown),
	F("-y", no_sync), F("--no-sync", no_sync),
	F("--reuseinitrd", reuseinitrd),
	F("--hotplug", hotplug),
	F("--no-cma", no_cma),
	F("--force-dtb", force_dtb),
	F("--reset-vga", reset_vga),
	F("--console-vga", console_vga),
	F("--console-serial", console_serial),
	F("--pass-memmap-cmdline", pass_memmap_cmdline),
	F("--noefi", noefi),
	F("--reuse-video-type", reuse_video_type),
	F("--reuse-cmdline", reuse_cmdline),
	F("--real-mode", real_mode),
	F("--entry-32bit", entry_32bit),
};

static void test_flags(void **state UNUSED)
{
	size_t i;
	struct parsed p;
	static const char *const none[] = A("-l", "k");

	expect_ok(none, &p);
	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++)
		assert_false(*(bool *)((char *)&p.o + flag_cases[i].off));

	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		const char *args[] = A("-l", flag_cases[i].arg, "k");

		expect_ok(args, &p);
		if (!*(bool *)((char *)&p.o + flag_cases[i].off))
			fail_msg("%s did not set its field", flag_cases[i].arg);
		assert_int_equal(p.o.action, ACT_LOAD);
		assert_string_equal(p.o.kernel, "k");
	}
}

static void test_short_cluster(void **state UNUSED)
{
	static const char *const args[] = A("-dixyl", "k");
	struct parsed p;

	expect_ok(args, &p);
	assert_true(p.o.debug && p.o.no_checks && p.o.no_ifdown && p.o.no_sync);
	assert_int_equal(p.o.action, ACT_LOAD);
}

/* -------------------------------------------------------------- syscall */

struct syscall_case {
	const char *args[4];
	int rc;
	enum syscall_mode mode;
	bool given;
};

static const struct syscall_case syscall_cases[] = {
	{ A("-l", "k"), 0, SYSCALL_AUTO, false },
	{ A("-s"), 0, SYSCALL_FILE, true },
	{ A("--kexec-file-syscall"), 0, SYSCALL_FILE, true },
	{ A("-c"), 0, SYSCALL_LOAD, true },
	{ A("--kexec-syscall"), 0, SYSCALL_LOAD, true },
	{ A("-a"), 0, SYSCALL_AUTO, true },
	{ A("--kexec-syscall-auto"), 0, SYSCALL_AUTO, true },
	{ A("-s", "-s"), 0, SYSCALL_FILE, true },
	{ A("-s", "-c"), 1, 0, false },
	{ A("-c", "-s"), 1, 0, false },
	{ A("-a", "-c"), 1, 0, false },
	{ A("-s", "--kexec-syscall-auto"), 1, 0, false },
};

static void test_syscall(void **state UNUSED)
{
	size_t i;
	struct parsed p;

	for (i = 0; i < sizeof(syscall_cases) / sizeof(syscall_cases[0]); i++) {
		const struct syscall_case *c = &syscall_cases[i];

		if (c->rc) {
			expect_usage_error(c->args, "cannot be combined");
			continue;
		}
		expect_ok(c->args, &p);
		assert_int_equal(p.o.syscall, c->mode);
		assert_int_equal(p.o.syscall_given, c->given);
	}
}

/* -------------------------------------------------------------- numbers */

enum num_field { N_MIN, N_MAX, N_ENTRY };

struct num_case {
	const char *args[4];
	enum num_field field;
	uint64_t value;
};

static const struct num_case num_cases[] = {
	{ A("--mem-min=0x1000"), N_MIN, 0x1000 },
	{ A("--mem-min", "4096"), N_MIN, 4096 },
	{ A("--mem-min=0"), N_MIN, 0 },
	{ A("--mem-max=0xffffffffffffffff"), N_MAX, UINT64_MAX },
	{ A("--mem-max=0X7FFFF000"), N_MAX, 0x7ffff000 },
	{ A("--mem-max", "1000000"), N_MAX, 1000000 },
	{ A("--entry=0x100000"), N_ENTRY, 0x100000 },
	{ A("--entry=010"), N_ENTRY, 8 },
	{ A("--entry", "0"), N_ENTRY, 0 },
};

static uint64_t num_value(const struct options *o, enum num_field f, bool *given)
{
	switch (f) {
	case N_MIN: *given = o->mem_min_given; return o->mem_min;
	case N_MAX: *given = o->mem_max_given; return o->mem_max;
	default: *given = o->entry_given; return o->entry;
	}
}

static void test_numbers(void **state UNUSED)
{
	size_t i;
	struct parsed p;
	bool given;

	for (i = 0; i < sizeof(num_cases) / sizeof(num_cases[0]); i++) {
		const struct num_case *c = &num_cases[i];
		uint64_t v;

		expect_ok(c->args, &p);
		v = num_value(&p.o, c->field, &given);
		assert_true(given);
		if (v != c->value)
			fail_msg("%s: got 0x%llx", c->args[0], (unsigned long long)v);
	}
}

static void test_number_garbage(void **state UNUSED)
{
	static const char *const bad[][3] = {
		A("--mem-min=12abc"), A("--mem-min=0x"), A("--mem-min="),
		A("--mem-min= 5"), A("--mem-min=-1"), A("--mem-min=+5"),
		A("--mem-max=0x10000000000000000"), A("--mem-max=1k"),
		A("--mem-max=08"), A("--entry=0x1000g"), A("--entry=abc"),
	};
	static const char *const named[] = A("--mem-min=12abc");
	static const char *const inverted[] = A("--mem-min=0x2000", "--mem-max=0x1000");
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char opt[32];

		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(bad[i][0], "="), bad[i][0]);
		expect_usage_error(bad[i], opt);
	}
	/* The error names both the option and the value. */
	expect_usage_error(named, "'12abc'");
	expect_usage_error(inverted, "--mem-max");
}

/* ------------------------------------------------------- serial / baud */

static void test_serial(void **state UNUSED)
{
	static const struct { const char *arg; uint16_t base; } ok[] = {
		{ "--serial=ttyS0", 0x3f8 }, { "--serial=ttyS1", 0x2f8 },
		{ "--serial=0x3e8", 0x3e8 }, { "--serial=760", 0x2f8 },
		{ "--serial=0xffff", 0xffff },
	};
	static const char *const bad[][3] = {
		A("--serial=ttyS2"), A("--serial=0x10000"), A("--serial=65536"),
		A("--serial="), A("--serial=0x3f8x"), A("--serial=com1"),
		A("--serial=-1"),
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *args[] = A(ok[i].arg);

		expect_ok(args, &p);
		assert_int_equal(p.o.serial_base, ok[i].base);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(bad[i], "--serial");
}

static void test_baud(void **state UNUSED)
{
	static const uint32_t ok[] = { 9600, 11520, 12800, 14400, 19200, 38400, 57600, 115200 };
	static const char *const bad[][3] = {
		A("--serial-baud=4800"), A("--serial-baud=230400"), A("--serial-baud=10000"),
		A("--serial-baud=0"), A("--serial-baud=fast"), A("--serial-baud="),
		A("--serial-baud=9600x"),
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char arg[32];
		const char *args[] = A(arg);

		snprintf(arg, sizeof(arg), "--serial-baud=%u", (unsigned)ok[i]);
		expect_ok(args, &p);
		assert_int_equal(p.o.serial_baud, ok[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(bad[i], "--serial-baud");
}

/* ------------------------------------------------------ unknown options */

static void test_unknown_options(void **state UNUSED)
{
	static const struct { const char *args[4]; const char *needle; } cases[] = {
		{ A("--bogus"), "--bogus" },
		{ A("--bogus=1", "-l"), "--bogus" },
		{ A("-z"), "-z" },
		{ A("-lz", "k"), "-z" },
		{ A("--load", "-zl"), "-z" },
		{ A("--dt-no-old-root", "-l", "k"), "x86_64" },
		{ A("--vga"), "x86_64" },
		{ A("--reuse"), "--reuse" },  /* ambiguous prefix */
		{ A("--load=1"), "--load" },
		{ A("--reset-vga=yes"), "--reset-vga" },
		{ A("--mem-min"), "--mem-min" },
		{ A("-l", "k", "-t"), "-t" },
		{ A("--module"), "--module" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_usage_error(cases[i].args, cases[i].needle);
	expect_usage_error(cases[0].args, "kexec --help");
}

/* ----------------------------------------------------- value options */

static void test_type(void **state UNUSED)
{
	static const char *const s[] = A("-t", "bzImage64", "k");
	static const char *const l[] = A("--type=elf-x86_64", "k");
	static const char *const l2[] = A("--type", "multiboot2-x86", "k");
	struct parsed p;

	expect_ok(s, &p);
	assert_string_equal(p.o.type, "bzImage64");
	expect_ok(l, &p);
	assert_string_equal(p.o.type, "elf-x86_64");
	expect_ok(l2, &p);
	assert_string_equal(p.o.type, "multiboot2-x86");
	assert_string_equal(p.o.kernel, "k");
}

static void test_command_line(void **state UNUSED)
{
	static const struct { const char *args[5]; const char *want; } cases[] = {
		{ A("--append=root=/dev/sda1 ro", "k"), "root=/dev/sda1 ro" },
		{ A("--command-line=root=/dev/sda1 ro", "k"), "root=/dev/sda1 ro" },
		{ A("--append", "quiet", "k"), "quiet" },
		{ A("--command-line", "quiet", "k"), "quiet" },
		{ A("--append=a", "--command-line=b", "k"), "b" },
		{ A("--command-line=b", "--append=a", "k"), "a" },
		{ A("--append=", "k"), "" },
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_ok(cases[i].args, &p);
		assert_non_null(p.o.command_line);
		assert_string_equal(p.o.command_line, cases[i].want);
	}
}

/* What systemd runs: systemctl kexec, with nothing loaded, loads the
 * default boot entry with the option and its value as separate words;
 * systemd-shutdown then runs plain -e. */
static void test_systemd_invocations(void **state UNUSED)
{
	static const char *const load[] = A("--load", "/boot/vmlinuz", "--append",
					    "root=/dev/vda1 ro quiet", "--initrd", "/boot/initrd.img");
	static const char *const exec[] = A("-e");
	struct parsed p;

	expect_ok(load, &p);
	assert_int_equal(p.o.action, ACT_LOAD);
	assert_string_equal(p.o.kernel, "/boot/vmlinuz");
	assert_string_equal(p.o.command_line, "root=/dev/vda1 ro quiet");
	assert_string_equal(p.o.initrd, "/boot/initrd.img");
	expect_ok(exec, &p);
	assert_int_equal(p.o.action, ACT_EXEC);
}

static void test_initrd_dtb(void **state UNUSED)
{
	static const char *const i1[] = A("--initrd=/boot/initrd.img", "k");
	static const char *const i2[] = A("--ramdisk", "/boot/initrd.img", "k");
	static const char *const d[] = A("--dtb=board.dtb", "k");
	struct parsed p;

	expect_ok(i1, &p);
	assert_string_equal(p.o.initrd, "/boot/initrd.img");
	expect_ok(i2, &p);
	assert_string_equal(p.o.initrd, "/boot/initrd.img");
	assert_string_equal(p.o.kernel, "k");
	expect_ok(d, &p);
	assert_string_equal(p.o.dtb, "board.dtb");
}

static void test_elf_args(void **state UNUSED)
{
	static const struct { const char *args[4]; enum elf_args want; } ok[] = {
		{ A("--args-linux", "k"), ELF_ARGS_LINUX },
		{ A("--args-elf", "k"), ELF_ARGS_ELF },
		{ A("--args-none", "k"), ELF_ARGS_NONE },
		{ A("--args-elf", "--args-elf", "k"), ELF_ARGS_ELF },
	};
	static const char *const bad[] = A("--args-linux", "--args-none", "k");
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		expect_ok(ok[i].args, &p);
		assert_int_equal(p.o.elf_args, ok[i].want);
	}
	expect_usage_error(bad, "--args");
}

static void test_elf_core_headers(void **state UNUSED)
{
	static const char *const h32[] = A("-p", "--elf32-core-headers", "k");
	static const char *const h64[] = A("-p", "--elf64-core-headers", "k");
	static const char *const both[] = A("--elf64-core-headers", "--elf32-core-headers");
	struct parsed p;

	expect_ok(h32, &p);
	assert_int_equal(p.o.elf_core_headers, 32);
	expect_ok(h64, &p);
	assert_int_equal(p.o.elf_core_headers, 64);
	expect_usage_error(both, "cannot be combined");
}

static void test_xen_ops(void **state UNUSED)
{
	static const struct { const char *arg; enum xen_ops want; } ok[] = {
		{ "--xen-ops=auto", XEN_OPS_AUTO },
		{ "--xen-ops=v2", XEN_OPS_V2 },
		{ "--xen-ops=v1", XEN_OPS_V1 },
	};
	static const char *const bad[] = A("--xen-ops=v3");
	static const char *const empty[] = A("--xen-ops=");
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *args[] = A("-l", ok[i].arg, "k");

		expect_ok(args, &p);
		assert_int_equal(p.o.xen_ops, ok[i].want);
	}
	expect_usage_error(bad, "--xen-ops");
	expect_usage_error(empty, "--xen-ops");
}

static void test_modules(void **state UNUSED)
{
	static const char *const args[] = A("--module=/boot/vmlinuz console=hvc0",
		"--module", "/boot/initrd.img", "xen.gz", "--module=/boot/ucode.bin");
	struct parsed p;

	expect_ok(args, &p);
	assert_int_equal(p.o.nmodules, 3);
	assert_string_equal(p.o.modules[0], "/boot/vmlinuz console=hvc0");
	assert_string_equal(p.o.modules[1], "/boot/initrd.img");
	assert_string_equal(p.o.modules[2], "/boot/ucode.bin");
	assert_string_equal(p.o.kernel, "xen.gz");
	assert_int_equal(p.o.nextra, 0);
}

static void test_modules_limit(void **state UNUSED)
{
	const char *args[MAX_MODULES + 3];
	struct parsed p;
	int i;

	for (i = 0; i < MAX_MODULES; i++)
		args[i] = "--module=m";
	args[MAX_MODULES] = "xen.gz";
	args[MAX_MODULES + 1] = NULL;
	expect_ok(args, &p);
	assert_int_equal(p.o.nmodules, MAX_MODULES);

	args[MAX_MODULES] = "--module=one-too-many";
	args[MAX_MODULES + 1] = "xen.gz";
	args[MAX_MODULES + 2] = NULL;
	expect_usage_error(args, "--module");
}

/* ------------------------------------------------------------ positional */

static void test_positional(void **state UNUSED)
{
	static const struct { const char *args[6]; const char *kernel; int nextra; } cases[] = {
		{ A("-l", "vmlinuz"), "vmlinuz", 0 },
		{ A("vmlinuz", "-l"), "vmlinuz", 0 },
		{ A("vmlinuz", "--append=x", "-p"), "vmlinuz", 0 },
		{ A("-l", "vmlinuz", "a", "b"), "vmlinuz", 2 },
		{ A("-l", "--", "-odd-name"), "-odd-name", 0 },
		{ A("-l", "--initrd", "vmlinuz", "k"), "k", 0 },
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_ok(cases[i].args, &p);
		assert_non_null(p.o.kernel);
		assert_string_equal(p.o.kernel, cases[i].kernel);
		assert_int_equal(p.o.nextra, cases[i].nextra);
	}
}

/* Upstream refuses loader options when the action loads nothing. */
static void test_loader_options_need_load(void **state UNUSED)
{
	static const char *const bad[][4] = {
		A("-u", "--append=x"), A("-e", "--initrd=i"), A("-S", "--module=m"),
		A("-p", "-u", "--reuse-cmdline"), A("--exec-live-update", "--dtb=d"),
		A("--load-jump-back-helper", "--args-none"),
	};
	static const char *const ok[][4] = {
		A("-l", "--append=x", "k"), A("-f", "--initrd=i", "k"),
		A("--append=x", "k"), A("-u", "--serial=ttyS1"), A("-e", "--reset-vga"),
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(bad[i], "needs a load");
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect_ok(ok[i], &p);
}

/* options_parse resets getopt itself, and leaves nothing behind. */
static void test_repeated_parse(void **state UNUSED)
{
	static const char *const first[] = A("-p", "-l", "--append=x", "--serial=ttyS1", "k");
	static const char *const broken[] = A("-l", "--bogus", "k");
	static const char *const second[] = A("-u");
	struct parsed p;

	expect_ok(first, &p);
	assert_true(p.o.panic);
	expect_usage_error(broken, "--bogus");
	expect_ok(second, &p);
	assert_int_equal(p.o.action, ACT_UNLOAD);
	assert_false(p.o.panic);
	assert_false(p.o.type_given_l);
	assert_null(p.o.command_line);
	assert_null(p.o.kernel);
	assert_int_equal(p.o.serial_base, 0x3f8);
}

/* ----------------------------------------------------------- the table */

/* A value each option with an argument accepts. */
static const char *good_value(const char *name)
{
	if (strcmp(name, "serial") == 0)
		return "ttyS1";
	if (strcmp(name, "serial-baud") == 0)
		return "9600";
	if (strcmp(name, "xen-ops") == 0)
		return "v1";
	return "1";
}

/* Every parsed row of the option table reaches a handler, by its long
 * name and by its short letter; the other architectures' rows are refused
 * by name. Catches a row added to the table but not to the scan. */
static void test_every_table_row_parses(void **state UNUSED)
{
	char longopt[64], shortopt[3];
	struct parsed p;
	size_t i;

	for (i = 0; i < opt_table_len; i++) {
		const struct opt_def *d = &opt_table[i];
		const char *value = d->has_arg ? good_value(d->name) : NULL;
		const char *by_long[] = { longopt, value, NULL };
		const char *by_short[] = { shortopt, value, NULL };

		snprintf(longopt, sizeof(longopt), "--%s", d->name);
		if (d->status == OS_OTHER_ARCH) {
			expect_usage_error(by_long, "does not exist on x86_64");
			continue;
		}
		expect_ok(by_long, &p);
		if (d->val >= 256)
			continue;
		snprintf(shortopt, sizeof(shortopt), "-%c", d->val);
		expect_ok(by_short, &p);
	}
}

/* ----------------------------------------------------------------- help */

static void call_usage(void *arg UNUSED)
{
	options_usage();
}

static void test_usage_lists_every_option(void **state UNUSED)
{
	static const char *const names[] = {
		"-h,", "-?", "--help", "-v,", "--version", "-d,", "--debug", "-f,", "--force",
		"-i,", "--no-checks", "-x,", "--no-ifdown", "-y,", "--no-sync", "-l,", "--load ",
		"-p,", "--load-panic", "-u,", "--unload", "-e,", "--exec ", "--exec-live-update",
		"-t,", "--type", "--mem-min", "--mem-max", "--reuseinitrd",
		"--load-preserve-context", "--load-jump-back-helper", "--load-live-update",
		"--entry=", "-s,", "--kexec-file-syscall", "-c,", "--kexec-syscall ",
		"-a,", "--kexec-syscall-auto", "-S,", "--status", "--print-ckr-size",
		"--hotplug", "--no-cma", "--force-dtb", "--xen-ops", "--reset-vga",
		"--serial=", "--serial-baud", "--console-vga", "--console-serial",
		"--elf32-core-headers", "--elf64-core-headers", "--pass-memmap-cmdline",
		"--noefi", "--reuse-video-type", "--command-line", "--append", "--reuse-cmdline",
		"--initrd", "--ramdisk", "--real-mode", "--entry-32bit", "--dtb", "--args-linux",
		"--args-elf", "--args-none", "--module",
		"bzImage64", "elf-x86_64", "multiboot-x86", "multiboot2-x86", "Usage: kexec",
	};
	static char out[16384];
	size_t i;

	capture_fd(STDOUT_FILENO, stdout, call_usage, NULL, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out) - 1);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(out, names[i]))
			fail_msg("--help does not mention '%s'", names[i]);
	/* bzImage64's section comes before the arch options, like upstream. */
	assert_true(strstr(out, "bzImage64") < strstr(out, "--reset-vga"));
}

/* The generated help wraps to a standard terminal. */
static void test_usage_fits_80_columns(void **state UNUSED)
{
	static char out[16384];
	const char *line, *end;

	capture_fd(STDOUT_FILENO, stdout, call_usage, NULL, out, sizeof(out));
	for (line = out; *line; line = end + 1) {
		end = strchr(line, '\n');
		assert_non_null(end);
		if (end - line > 79)
			fail_msg("--help line longer than 79 columns: %.*s", (int)(end - line), line);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_action_side_fields),
		cmocka_unit_test(test_action_conflicts),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_short_cluster),
		cmocka_unit_test(test_syscall),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_number_garbage),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_baud),
		cmocka_unit_test(test_unknown_options),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_command_line),
		cmocka_unit_test(test_systemd_invocations),
		cmocka_unit_test(test_initrd_dtb),
		cmocka_unit_test(test_elf_args),
		cmocka_unit_test(test_elf_core_headers),
		cmocka_unit_test(test_xen_ops),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_modules_limit),
		cmocka_unit_test(test_positional),
		cmocka_unit_test(test_loader_options_need_load),
		cmocka_unit_test(test_repeated_parse),
		cmocka_unit_test(test_every_table_row_parses),
		cmocka_unit_test(test_usage_lists_every_option),
		cmocka_unit_test(test_usage_fits_80_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
