/* Command-line parsing: one getopt_long table holding the generic, x86 arch
 * and loader options, filled into struct options. Actions are collected as
 * a set while scanning and resolved afterwards, so option order never
 * changes what a command line means (upstream's last-one-wins bookkeeping
 * makes `-u -p` load instead of unload). */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "util.h"

/* Long-only options get ids above the character range. */
enum {
	OPT_EXEC_LIVE_UPDATE = 256,
	OPT_MEM_MIN,
	OPT_MEM_MAX,
	OPT_REUSEINITRD,
	OPT_LOAD_PRESERVE_CONTEXT,
	OPT_LOAD_JUMP_BACK_HELPER,
	OPT_LOAD_LIVE_UPDATE,
	OPT_ENTRY,
	OPT_PRINT_CKR_SIZE,
	OPT_HOTPLUG,
	OPT_NO_CMA,
	OPT_FORCE_DTB,
	OPT_XEN_OPS,
	/* x86 arch options */
	OPT_RESET_VGA,
	OPT_SERIAL,
	OPT_SERIAL_BAUD,
	OPT_CONSOLE_VGA,
	OPT_CONSOLE_SERIAL,
	OPT_ELF32_CORE,
	OPT_ELF64_CORE,
	OPT_PASS_MEMMAP_CMDLINE,
	OPT_NOEFI,
	OPT_REUSE_VIDEO_TYPE,
	/* loader options: everything from here on only makes sense with a
	 * load (upstream's OPT_ARCH_MAX boundary) */
	OPT_LOADER_FIRST,
	OPT_COMMAND_LINE = OPT_LOADER_FIRST,
	OPT_APPEND,
	OPT_REUSE_CMDLINE,
	OPT_INITRD,
	OPT_RAMDISK,
	OPT_REAL_MODE,
	OPT_ENTRY_32BIT,
	OPT_DTB,
	OPT_ARGS_LINUX,
	OPT_ARGS_ELF,
	OPT_ARGS_NONE,
	OPT_MODULE,
};

/* '?' is deliberately absent: getopt reports `-?` as an unknown option
 * with optopt == '?', which is how it is told apart from real errors.
 * The leading ':' makes a missing argument come back as ':'. */
static const char short_opts[] = ":hvdfixyluet:pscaS";

static const struct option long_opts[] = {
	{ "help",                  no_argument,       NULL, 'h' },
	{ "version",               no_argument,       NULL, 'v' },
	{ "debug",                 no_argument,       NULL, 'd' },
	{ "force",                 no_argument,       NULL, 'f' },
	{ "no-checks",             no_argument,       NULL, 'i' },
	{ "no-ifdown",             no_argument,       NULL, 'x' },
	{ "no-sync",               no_argument,       NULL, 'y' },
	{ "load",                  no_argument,       NULL, 'l' },
	{ "load-panic",            no_argument,       NULL, 'p' },
	{ "unload",                no_argument,       NULL, 'u' },
	{ "exec",                  no_argument,       NULL, 'e' },
	{ "type",                  required_argument, NULL, 't' },
	{ "kexec-file-syscall",    no_argument,       NULL, 's' },
	{ "kexec-syscall",         no_argument,       NULL, 'c' },
	{ "kexec-syscall-auto",    no_argument,       NULL, 'a' },
	{ "status",                no_argument,       NULL, 'S' },
	{ "exec-live-update",      no_argument,       NULL, OPT_EXEC_LIVE_UPDATE },
	{ "mem-min",               required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max",               required_argument, NULL, OPT_MEM_MAX },
	{ "reuseinitrd",           no_argument,       NULL, OPT_REUSEINITRD },
	{ "load-preserve-context", no_argument,       NULL, OPT_LOAD_PRESERVE_CONTEXT },
	{ "load-jump-back-helper", no_argument,       NULL, OPT_LOAD_JUMP_BACK_HELPER },
	{ "load-live-update",      no_argument,       NULL, OPT_LOAD_LIVE_UPDATE },
	{ "entry",                 required_argument, NULL, OPT_ENTRY },
	{ "print-ckr-size",        no_argument,       NULL, OPT_PRINT_CKR_SIZE },
	{ "hotplug",               no_argument,       NULL, OPT_HOTPLUG },
	{ "no-cma",                no_argument,       NULL, OPT_NO_CMA },
	{ "force-dtb",             no_argument,       NULL, OPT_FORCE_DTB },
	{ "xen-ops",               required_argument, NULL, OPT_XEN_OPS },
	{ "reset-vga",             no_argument,       NULL, OPT_RESET_VGA },
	{ "serial",                required_argument, NULL, OPT_SERIAL },
	{ "serial-baud",           required_argument, NULL, OPT_SERIAL_BAUD },
	{ "console-vga",           no_argument,       NULL, OPT_CONSOLE_VGA },
	{ "console-serial",        no_argument,       NULL, OPT_CONSOLE_SERIAL },
	{ "elf32-core-headers",    no_argument,       NULL, OPT_ELF32_CORE },
	{ "elf64-core-headers",    no_argument,       NULL, OPT_ELF64_CORE },
	{ "pass-memmap-cmdline",   no_argument,       NULL, OPT_PASS_MEMMAP_CMDLINE },
	{ "noefi",                 no_argument,       NULL, OPT_NOEFI },
	{ "reuse-video-type",      no_argument,       NULL, OPT_REUSE_VIDEO_TYPE },
	{ "command-line",          required_argument, NULL, OPT_COMMAND_LINE },
	{ "append",                required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline",         no_argument,       NULL, OPT_REUSE_CMDLINE },
	{ "initrd",                required_argument, NULL, OPT_INITRD },
	{ "ramdisk",               required_argument, NULL, OPT_RAMDISK },
	{ "real-mode",             no_argument,       NULL, OPT_REAL_MODE },
	{ "entry-32bit",           no_argument,       NULL, OPT_ENTRY_32BIT },
	{ "dtb",                   required_argument, NULL, OPT_DTB },
	{ "args-linux",            no_argument,       NULL, OPT_ARGS_LINUX },
	{ "args-elf",              no_argument,       NULL, OPT_ARGS_ELF },
	{ "args-none",             no_argument,       NULL, OPT_ARGS_NONE },
	{ "module",                required_argument, NULL, OPT_MODULE },
	{ NULL, 0, NULL, 0 },
};

/* Options upstream knows on other architectures only; named in the error
 * so that a user porting a command line sees why it is refused. */
static const char *const other_arch_opts[] = {
	"dt-no-old-root", "vga", "devicetreeblob", "atags", "atags-file",
	"image-size", "page-offset",
};

/* Action options seen, as bits; resolved once the scan is complete. */
enum {
	A_LOAD       = 1u << 0,  /* -l */
	A_PANIC      = 1u << 1,  /* -p */
	A_UNLOAD     = 1u << 2,  /* -u */
	A_EXEC       = 1u << 3,  /* -e */
	A_FORCE      = 1u << 4,  /* -f */
	A_STATUS     = 1u << 5,  /* -S */
	A_CKR        = 1u << 6,  /* --print-ckr-size */
	A_HELP       = 1u << 7,
	A_VERSION    = 1u << 8,
	A_EXEC_LU    = 1u << 9,  /* --exec-live-update */
	A_LOAD_LU    = 1u << 10, /* --load-live-update */
	A_PRESERVE   = 1u << 11, /* --load-preserve-context */
	A_JBH        = 1u << 12, /* --load-jump-back-helper */
	A_NBITS      = 13,
};

static const char *const act_names[A_NBITS] = {
	"-l", "-p", "-u", "-e", "-f", "-S", "--print-ckr-size", "-h", "-v",
	"--exec-live-update", "--load-live-update", "--load-preserve-context",
	"--load-jump-back-helper",
};

/* Bookkeeping of one parse; lives on options_parse()'s stack. */
struct scan {
	unsigned acts;
	unsigned syscalls;      /* bit per syscall_mode given */
	unsigned elf_args;      /* bit per elf_args given */
	const char *loader_opt; /* first loader-only option, for errors */
};

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->action = ACT_DEFAULT;
	o->syscall = SYSCALL_AUTO;
	o->elf_args = ELF_ARGS_DEFAULT;
	o->xen_ops = XEN_OPS_AUTO;
	o->serial_base = 0x3f8;
}

/* Long name of the option with this getopt value, or NULL. */
static const char *long_name(int val)
{
	const struct option *p;

	for (p = long_opts; p->name; p++)
		if (p->val == val)
			return p->name;
	return NULL;
}

/* strtoull base 0 (0x hex, 0 octal, decimal), but refuse what strtoull
 * would quietly accept: leading blanks, a sign, trailing text, overflow. */
static int parse_number(int opt, const char *arg, uint64_t *out)
{
	if (!isdigit((unsigned char)arg[0]) || kx_parse_u64(arg, out) < 0) {
		kx_error("--%s: invalid number '%s'", long_name(opt), arg);
		return 1;
	}
	return 0;
}

static int parse_serial(const char *arg, struct options *o)
{
	uint64_t v;

	if (strcmp(arg, "ttyS0") == 0) {
		o->serial_base = 0x3f8;
		return 0;
	}
	if (strcmp(arg, "ttyS1") == 0) {
		o->serial_base = 0x2f8;
		return 0;
	}
	if (!isdigit((unsigned char)arg[0]) || kx_parse_u64(arg, &v) < 0 || v > 0xffff) {
		kx_error("--serial: '%s' is not ttyS0, ttyS1 or an I/O port below 0x10000", arg);
		return 1;
	}
	o->serial_base = (uint16_t)v;
	return 0;
}

static int parse_baud(const char *arg, struct options *o)
{
	uint64_t v;

	if (!isdigit((unsigned char)arg[0]) || kx_parse_u64(arg, &v) < 0 ||
	    v < 9600 || v > 115200 || 115200 % v != 0) {
		kx_error("--serial-baud: '%s' is not a rate from 9600 to 115200 that divides 115200", arg);
		return 1;
	}
	o->serial_baud = (uint32_t)v;
	return 0;
}

static int parse_xen_ops(const char *arg, struct options *o)
{
	if (strcmp(arg, "auto") == 0)
		o->xen_ops = XEN_OPS_AUTO;
	else if (strcmp(arg, "v2") == 0)
		o->xen_ops = XEN_OPS_V2;
	else if (strcmp(arg, "v1") == 0)
		o->xen_ops = XEN_OPS_V1;
	else {
		kx_error("--xen-ops: '%s' is not auto, v2 or v1", arg);
		return 1;
	}
	return 0;
}

/* Action options only set bits here; see resolve_action(). Returns 1 if
 * c was an action option. */
static int scan_action(int c, struct scan *s)
{
	switch (c) {
	case 'l': s->acts |= A_LOAD; break;
	case 'p': s->acts |= A_PANIC; break;
	case 'u': s->acts |= A_UNLOAD; break;
	case 'e': s->acts |= A_EXEC; break;
	case 'f': s->acts |= A_FORCE; break;
	case 'S': s->acts |= A_STATUS; break;
	case 'h': s->acts |= A_HELP; break;
	case 'v': s->acts |= A_VERSION; break;
	case OPT_PRINT_CKR_SIZE: s->acts |= A_CKR; break;
	case OPT_EXEC_LIVE_UPDATE: s->acts |= A_EXEC_LU; break;
	case OPT_LOAD_LIVE_UPDATE: s->acts |= A_LOAD_LU; break;
	case OPT_LOAD_PRESERVE_CONTEXT: s->acts |= A_PRESERVE; break;
	case OPT_LOAD_JUMP_BACK_HELPER: s->acts |= A_JBH; break;
	default: return 0;
	}
	return 1;
}

/* Generic options that are not actions. Returns 0, 1 on a bad value, or
 * -1 if c is not one of them. */
static int scan_generic(int c, const char *arg, struct options *o, struct scan *s)
{
	switch (c) {
	case 'd': o->debug = true; break;
	case 'i': o->no_checks = true; break;
	case 'x': o->no_ifdown = true; break;
	case 'y': o->no_sync = true; break;
	case 't': o->type = arg; break;
	case 's': s->syscalls |= 1u << SYSCALL_FILE; break;
	case 'c': s->syscalls |= 1u << SYSCALL_LOAD; break;
	case 'a': s->syscalls |= 1u << SYSCALL_AUTO; break;
	case OPT_MEM_MIN:
		o->mem_min_given = true;
		return parse_number(c, arg, &o->mem_min);
	case OPT_MEM_MAX:
		o->mem_max_given = true;
		return parse_number(c, arg, &o->mem_max);
	case OPT_ENTRY:
		o->entry_given = true;
		return parse_number(c, arg, &o->entry);
	case OPT_REUSEINITRD: o->reuseinitrd = true; break;
	case OPT_HOTPLUG: o->hotplug = true; break;
	case OPT_NO_CMA: o->no_cma = true; break;
	case OPT_FORCE_DTB: o->force_dtb = true; break;
	case OPT_XEN_OPS: return parse_xen_ops(arg, o);
	default: return -1;
	}
	return 0;
}

/* x86 arch options (valid with every action, as upstream). */
static int scan_arch(int c, const char *arg, struct options *o)
{
	switch (c) {
	case OPT_RESET_VGA: o->reset_vga = true; break;
	case OPT_SERIAL: return parse_serial(arg, o);
	case OPT_SERIAL_BAUD: return parse_baud(arg, o);
	case OPT_CONSOLE_VGA: o->console_vga = true; break;
	case OPT_CONSOLE_SERIAL: o->console_serial = true; break;
	case OPT_ELF32_CORE:
	case OPT_ELF64_CORE: {
		int bits = c == OPT_ELF32_CORE ? 32 : 64;

		if (o->elf_core_headers && o->elf_core_headers != bits) {
			kx_error("--elf32-core-headers and --elf64-core-headers cannot be combined");
			return 1;
		}
		o->elf_core_headers = bits;
		break;
	}
	case OPT_PASS_MEMMAP_CMDLINE: o->pass_memmap_cmdline = true; break;
	case OPT_NOEFI: o->noefi = true; break;
	case OPT_REUSE_VIDEO_TYPE: o->reuse_video_type = true; break;
	default: return -1;
	}
	return 0;
}

static int add_module(const char *arg, struct options *o)
{
	if (o->nmodules >= MAX_MODULES) {
		kx_error("--module: more than %d modules given", MAX_MODULES);
		return 1;
	}
	o->modules[o->nmodules++] = arg;
	return 0;
}

/* Loader options. --command-line and --append are one option (last one
 * wins, like any repeated value option); so are --initrd and --ramdisk. */
static int scan_loader(int c, const char *arg, struct options *o, struct scan *s)
{
	if (c < OPT_LOADER_FIRST)
		return -1;
	if (!s->loader_opt)
		s->loader_opt = long_name(c);
	switch (c) {
	case OPT_COMMAND_LINE:
	case OPT_APPEND: o->command_line = arg; break;
	case OPT_REUSE_CMDLINE: o->reuse_cmdline = true; break;
	case OPT_INITRD:
	case OPT_RAMDISK: o->initrd = arg; break;
	case OPT_REAL_MODE: o->real_mode = true; break;
	case OPT_ENTRY_32BIT: o->entry_32bit = true; break;
	case OPT_DTB: o->dtb = arg; break;
	case OPT_ARGS_LINUX: s->elf_args |= 1u << ELF_ARGS_LINUX; break;
	case OPT_ARGS_ELF: s->elf_args |= 1u << ELF_ARGS_ELF; break;
	case OPT_ARGS_NONE: s->elf_args |= 1u << ELF_ARGS_NONE; break;
	case OPT_MODULE: return add_module(arg, o);
	default: return -1;
	}
	return 0;
}

static int is_other_arch_opt(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(other_arch_opts); i++)
		if (strlen(other_arch_opts[i]) == len &&
		    strncmp(other_arch_opts[i], name, len) == 0)
			return 1;
	return 0;
}

/* getopt found something wrong (opterr is off, we word it ourselves). */
static int report_bad_option(int c, char **argv)
{
	const char *elem = argv[optind - 1];
	size_t len;

	if (c == ':') {
		if (optopt >= 256)
			kx_error("option '--%s' requires an argument", long_name(optopt));
		else
			kx_error("option '-%c/--%s' requires an argument", optopt, long_name(optopt));
		return 1;
	}
	/* A known value in optopt means a long option was given "=value"
	 * although it takes none (known short letters never fail). */
	if (optopt && long_name(optopt)) {
		kx_error("option '--%s' takes no argument", long_name(optopt));
		return 1;
	}
	if (optopt) {
		kx_error("unrecognized option '-%c'; try 'kexec --help'", optopt);
		return 1;
	}
	/* Long option unknown or ambiguous; glibc has stepped past it. */
	len = strcspn(elem, "=");
	if (strncmp(elem, "--", 2) == 0 && is_other_arch_opt(elem + 2, len - 2))
		kx_error("option '%.*s' does not exist on x86_64", (int)len, elem);
	else
		kx_error("unrecognized or ambiguous option '%.*s'; try 'kexec --help'",
			 (int)len, elem);
	return 1;
}

static int scan_option(int c, char **argv, struct options *o, struct scan *s)
{
	int rc;

	if (c == '?' && optopt == '?')
		c = 'h';
	if (c == '?' || c == ':')
		return report_bad_option(c, argv);
	if (scan_action(c, s))
		return 0;
	rc = scan_generic(c, optarg, o, s);
	if (rc < 0)
		rc = scan_arch(c, optarg, o);
	if (rc < 0)
		rc = scan_loader(c, optarg, o, s);
	if (rc < 0) {
		/* Only reachable if the table and the switches disagree. */
		kx_error("option %d has no handler", c);
		return 1;
	}
	return rc;
}

/* Two action options whose combined meaning upstream makes depend on
 * their order (each one resets the other's do_* flags): refused rather
 * than guessed. -S, -h, -v and --print-ckr-size are resolved before this
 * and override everything else. */
static bool acts_conflict(unsigned a, unsigned b)
{
	const unsigned exec_like = A_EXEC | A_EXEC_LU;
	const unsigned load_like = A_LOAD | A_PANIC | A_LOAD_LU | A_PRESERVE;
	unsigned both = a | b;

	if (both & A_JBH)
		return true;
	if ((both & A_UNLOAD) && (both & (exec_like | A_FORCE | A_PRESERVE)))
		return true;
	if ((both & exec_like) && (both & (load_like | A_FORCE)))
		return true;
	if ((both & A_FORCE) && (both & load_like))
		return true;
	/* Upstream overwrites the crash flag with the preserve-context one
	 * and mixes crash and live-update types: neither pair means much. */
	if ((both & A_PANIC) && (both & (A_LOAD_LU | A_PRESERVE)))
		return true;
	return (both & A_LOAD_LU) && (both & A_PRESERVE);
}

static int check_conflicts(unsigned acts)
{
	int i, j;

	for (i = 0; i < A_NBITS; i++) {
		if (!(acts & (1u << i)))
			continue;
		for (j = i + 1; j < A_NBITS; j++) {
			if ((acts & (1u << j)) && acts_conflict(1u << i, 1u << j)) {
				kx_error("options %s and %s cannot be combined",
					 act_names[i], act_names[j]);
				return 1;
			}
		}
	}
	return 0;
}

/* Which image an action addresses. -p always means the crash image; -l
 * the normal one; -S with neither asks about the crash image (upstream). */
static void set_target(unsigned acts, struct options *o)
{
	o->type_given_l = acts & A_LOAD;
	o->panic = acts & A_PANIC;
	if (o->action == ACT_STATUS && !(acts & (A_LOAD | A_PANIC)))
		o->panic = true;
	o->load_live_update = acts & A_LOAD_LU;
	o->load_preserve_context = acts & A_PRESERVE;
	o->force = o->action == ACT_FORCE;
}

/* Resolution, in upstream's precedence: help, version and
 * --print-ckr-size act at once while parsing, so they beat everything;
 * -S overrides every other action. The rest:
 *   -u (+ -l / -p / --load-live-update selecting the image) -> unload
 *   -e, --exec-live-update (together: live-update exec)    -> exec
 *   -f -> load + exec; -l, -p, --load-live-update,
 *   --load-preserve-context -> load; -l with -p loads the crash image
 *   (upstream: -l leaves the crash flag that -p set). */
static enum kexec_action pick_action(unsigned acts)
{
	if (acts & A_HELP)
		return ACT_HELP;
	if (acts & A_VERSION)
		return ACT_VERSION;
	if (acts & A_CKR)
		return ACT_PRINT_CKR;
	if (acts & A_STATUS)
		return ACT_STATUS;
	if (acts & A_JBH)
		return ACT_LOAD_JUMP_BACK_HELPER;
	if (acts & A_UNLOAD)
		return ACT_UNLOAD;
	if (acts & A_EXEC_LU)
		return ACT_EXEC_LIVE_UPDATE;
	if (acts & A_EXEC)
		return ACT_EXEC;
	if (acts & A_FORCE)
		return ACT_FORCE;
	if (acts & (A_LOAD | A_PANIC | A_LOAD_LU | A_PRESERVE))
		return ACT_LOAD;
	return ACT_DEFAULT;
}

/* Actions that load nothing; one of them is named when loader options
 * come with them. */
#define NO_LOAD_ACTS (A_STATUS | A_UNLOAD | A_EXEC | A_EXEC_LU | A_JBH)

static bool action_loads(enum kexec_action a)
{
	return a == ACT_DEFAULT || a == ACT_LOAD || a == ACT_FORCE;
}

static int first_bit(unsigned v)
{
	int i;

	for (i = 0; v >> i; i++)
		if (v & (1u << i))
			return i;
	return 0;
}

static int resolve(struct options *o, const struct scan *s)
{
	static const char *const syscall_opts[] = { "-a", "-s", "-c" };
	unsigned rest;

	o->action = pick_action(s->acts);
	if (o->action == ACT_HELP || o->action == ACT_VERSION || o->action == ACT_PRINT_CKR)
		return 0;
	if (o->action != ACT_STATUS && check_conflicts(s->acts))
		return 1;
	if (s->syscalls & (s->syscalls - 1)) {
		rest = s->syscalls & ~(1u << first_bit(s->syscalls));
		kx_error("options %s and %s cannot be combined",
			 syscall_opts[first_bit(s->syscalls)], syscall_opts[first_bit(rest)]);
		return 1;
	}
	if (s->syscalls) {
		o->syscall = (enum syscall_mode)first_bit(s->syscalls);
		o->syscall_given = true;
	}
	if (s->elf_args & (s->elf_args - 1)) {
		kx_error("only one of --args-linux, --args-elf and --args-none may be given");
		return 1;
	}
	if (s->elf_args)
		o->elf_args = (enum elf_args)first_bit(s->elf_args);
	set_target(s->acts, o);
	/* Upstream refuses loader options when nothing is loaded. */
	if (s->loader_opt && !action_loads(o->action)) {
		kx_error("option '--%s' needs a load, so it cannot go with %s",
			 s->loader_opt, act_names[first_bit(s->acts & NO_LOAD_ACTS)]);
		return 1;
	}
	if (o->mem_min_given && o->mem_max_given && o->mem_min > o->mem_max) {
		kx_error("--mem-min 0x%llx is above --mem-max 0x%llx",
			 (unsigned long long)o->mem_min, (unsigned long long)o->mem_max);
		return 1;
	}
	return 0;
}

int options_parse(int argc, char **argv, struct options *o)
{
	struct scan s = { 0 };
	int c, rc;

	set_defaults(o);
	/* optind 0 makes glibc reinitialise fully, so parsing can be repeated
	 * (tests); we print our own one-line errors. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		rc = scan_option(c, argv, o, &s);
		if (rc)
			return rc;
	}
	if (optind < argc) {
		o->kernel = argv[optind];
		o->nextra = argc - optind - 1;
	}
	return resolve(o, &s);
}
