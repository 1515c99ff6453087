/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line parsing: the option table (generic, x86 arch and loader
 * options; see option-table.h), the getopt_long arrays generated from it,
 * and the scan that fills struct options. Actions are collected as
 * a set while scanning and resolved afterwards, so option order never
 * changes what a command line means (upstream's last-one-wins bookkeeping
 * makes `-u -p` load instead of unload). */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "option-table.h"
#include "options.h"
#include "util.h"

/* Row shorthands: name, getopt value, second short letter, argument. */
#define FLAG(n, v)       n, v, 0, no_argument, NULL
#define VALUE(n, v, arg) n, v, 0, required_argument, arg
#define OTHER(n)         n, OPT_OTHER_ARCH, 0, no_argument, NULL, SEC_X86, OA_ANY, OS_OTHER_ARCH

/* The options, in --help order. A row whose help is NULL is another name
 * for the row above it. deflt "" means "This is the default.". Texts are
 * mirrored in doc/kexec.8; test_help_manpage.c keeps them in step. */
const struct opt_def opt_table[] = {
	/* ---- actions */
	{ FLAG("load", 'l'), SEC_ACTION, OA_ANY, OS_USED,
	  "Load KERNEL as the normal image and exit. With -u or -S, select the normal image.",
	  NULL },
	{ FLAG("load-panic", 'p'), SEC_ACTION, OA_CRASH, OS_USED,
	  "Load KERNEL as the crash (kdump) image. With -u or -S, select the crash image.",
	  NULL },
	{ FLAG("unload", 'u'), SEC_ACTION, OA_ANY, OS_USED,
	  "Unload the normal image, or the crash image with -p.", NULL },
	{ FLAG("exec", 'e'), SEC_ACTION, OA_ANY, OS_USED,
	  "Start the loaded normal image now: sync, take network interfaces down, then "
	  "jump. The system is not shut down.", NULL },
	{ FLAG("force", 'f'), SEC_ACTION, OA_ANY, OS_USED,
	  "Load KERNEL and start it at once, without shutdown.", NULL },
	{ FLAG("status", 'S'), SEC_ACTION, OA_ANY, OS_USED,
	  "Exit 1 if an image is loaded, 0 if not: the crash image, or the normal one "
	  "with -l. Overrides every other action.", NULL },
	{ FLAG("print-ckr-size", OPT_PRINT_CKR_SIZE), SEC_ACTION, OA_CRASH, OS_USED,
	  "Print the size in bytes of the memory reserved for a crash kernel and exit.",
	  NULL },
	{ FLAG("load-preserve-context", OPT_LOAD_PRESERVE_CONTEXT), SEC_ACTION, OA_ANY, OS_USED,
	  "Load KERNEL as an image that may jump back to this one (kexec jump), always "
	  "with kexec_load(2). Xen has no kexec jump: there it is an ordinary image.", NULL },
	{ FLAG("load-jump-back-helper", OPT_LOAD_JUMP_BACK_HELPER), SEC_ACTION, OA_ANY,
	  OS_REFUSED, "not supported yet; would load a stub that jumps back to --entry.",
	  NULL },
	{ FLAG("load-live-update", OPT_LOAD_LIVE_UPDATE), SEC_ACTION, OA_XEN, OS_REFUSED,
	  "not supported yet; under Xen, would load a new Xen for Live Update.", NULL },
	{ FLAG("exec-live-update", OPT_EXEC_LIVE_UPDATE), SEC_ACTION, OA_XEN, OS_REFUSED,
	  "not supported yet; under Xen, would start the loaded Live Update image.", NULL },
	{ "help", 'h', '?', no_argument, NULL, SEC_ACTION, OA_ANY, OS_USED,
	  "Print this help and exit.", NULL },
	{ FLAG("version", 'v'), SEC_ACTION, OA_ANY, OS_USED,
	  "Print the version and exit.", NULL },

	/* ---- generic options */
	{ FLAG("debug", 'd'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Print what is being done, including the segments.", NULL },
	{ FLAG("no-checks", 'i'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Skip the SHA-256 check of the segments at boot.", NULL },
	{ FLAG("no-ifdown", 'x'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Do not take network interfaces down before the jump.", NULL },
	{ FLAG("no-sync", 'y'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Do not sync file systems before the jump.", NULL },
	{ VALUE("type", 't', "TYPE"), SEC_GENERIC, OA_ANY, OS_USED,
	  "Treat KERNEL as file type TYPE (see below) instead of guessing.", NULL },
	{ VALUE("mem-min", OPT_MEM_MIN, "ADDR"), SEC_GENERIC, OA_ANY, OS_USED,
	  "Load no segment below physical address ADDR.", NULL },
	{ VALUE("mem-max", OPT_MEM_MAX, "ADDR"), SEC_GENERIC, OA_ANY, OS_USED,
	  "Load no segment above physical address ADDR.", NULL },
	{ VALUE("entry", OPT_ENTRY, "ADDR"), SEC_GENERIC, OA_ELF, OS_USED,
	  "Start an ELF image at ADDR instead of its own entry point; other file types "
	  "ignore it.", NULL },
	{ FLAG("reuseinitrd", OPT_REUSEINITRD), SEC_GENERIC, OA_ANY, OS_REFUSED,
	  "not possible on x86; would reuse the initrd kept with retain_initrd.", NULL },
	{ FLAG("kexec-file-syscall", 's'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Load with kexec_file_load(2) only.", NULL },
	{ FLAG("kexec-syscall", 'c'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Load with kexec_load(2) only.", NULL },
	{ FLAG("kexec-syscall-auto", 'a'), SEC_GENERIC, OA_ANY, OS_USED,
	  "Try kexec_file_load(2), and fall back to kexec_load(2) when it is missing or "
	  "does not take the image format.", "" },
	{ FLAG("hotplug", OPT_HOTPLUG), SEC_GENERIC, OA_CRASH, OS_REFUSED,
	  "not supported yet; would let the kernel update the crash ELF core header on "
	  "CPU and memory hotplug.", NULL },
	{ FLAG("no-cma", OPT_NO_CMA), SEC_GENERIC, OA_ANY, OS_USED,
	  "With kexec_file_load(2): do not place the image in CMA memory.", NULL },
	{ FLAG("force-dtb", OPT_FORCE_DTB), SEC_GENERIC, OA_ANY, OS_USED,
	  "With kexec_file_load(2): pass the current device tree on.", NULL },
	{ VALUE("xen-ops", OPT_XEN_OPS, "auto|v2|v1"), SEC_GENERIC, OA_XEN, OS_USED,
	  "Xen kexec hypercalls to use: v2 (Xen 4.4 and later), v1, or auto, chosen from "
	  "the Xen version. Ignored outside Xen.", "auto" },

	/* ---- loader options (listed under each file type in .applies) */
	{ VALUE("command-line", OPT_COMMAND_LINE, "STRING"), SEC_LOADER, OA_LOADERS, OS_USED,
	  "The command line of the new kernel; when given several times, the last one "
	  "counts.", NULL },
	{ VALUE("append", OPT_APPEND, "STRING"), SEC_LOADER, OA_LOADERS, OS_USED, NULL, NULL },
	{ FLAG("reuse-cmdline", OPT_REUSE_CMDLINE), SEC_LOADER, OA_LOADERS, OS_USED,
	  "Start from the running kernel's command line, without BOOT_IMAGE= (and "
	  "crashkernel= with -p); --append adds to it.", NULL },
	{ VALUE("initrd", OPT_INITRD, "FILE"), SEC_LOADER, OA_BZIMAGE64 | OA_ELF, OS_USED,
	  "Load FILE as the initial ramdisk (for an ELF image: with --args-linux only).",
	  NULL },
	{ VALUE("ramdisk", OPT_RAMDISK, "FILE"), SEC_LOADER, OA_BZIMAGE64 | OA_ELF, OS_USED,
	  NULL, NULL },
	{ VALUE("dtb", OPT_DTB, "FILE"), SEC_LOADER, OA_BZIMAGE64, OS_REFUSED,
	  "not supported yet; would pass FILE to the kernel as a device tree.", NULL },
	{ FLAG("real-mode", OPT_REAL_MODE), SEC_LOADER, OA_BZIMAGE64, OS_REFUSED,
	  "this loader always enters the kernel at its 64-bit entry point.", NULL },
	{ FLAG("entry-32bit", OPT_ENTRY_32BIT), SEC_LOADER, OA_BZIMAGE64, OS_REFUSED,
	  NULL, NULL },
	{ FLAG("args-linux", OPT_ARGS_LINUX), SEC_LOADER, OA_ELF, OS_USED,
	  "Start the image as a Linux kernel, with Linux boot parameters.",
	  "for a Linux vmlinux" },
	{ FLAG("args-elf", OPT_ARGS_ELF), SEC_LOADER, OA_ELF, OS_USED,
	  "Pass the command line in ELF boot notes; no ramdisk.", "for other ELF images" },
	{ FLAG("args-none", OPT_ARGS_NONE), SEC_LOADER, OA_ELF, OS_USED,
	  "Enter the image with no arguments; no command line, no ramdisk.", NULL },
	{ VALUE("module", OPT_MODULE, "\"FILE ARGS\""), SEC_LOADER, OA_MULTIBOOT | OA_MB2,
	  OS_USED, "Load FILE as a boot module whose command line is the whole string; "
	  "may be given up to 16 times.", NULL },

	/* ---- x86 options */
	{ FLAG("reset-vga", OPT_RESET_VGA), SEC_X86, OA_ANY, OS_USED,
	  "Have purgatory reset a standard VGA adapter before the jump.", NULL },
	{ VALUE("serial", OPT_SERIAL, "PORT"), SEC_X86, OA_ANY, OS_USED,
	  "Serial port for --console-serial: ttyS0 (0x3f8), ttyS1 (0x2f8) or an I/O port "
	  "below 0x10000.", "ttyS0" },
	{ VALUE("serial-baud", OPT_SERIAL_BAUD, "RATE"), SEC_X86, OA_ANY, OS_USED,
	  "Rate to set on that port: 9600 to 115200, dividing 115200.",
	  "the port's current rate" },
	{ FLAG("console-vga", OPT_CONSOLE_VGA), SEC_X86, OA_ANY, OS_USED,
	  "Have purgatory print its progress on the VGA text screen.", NULL },
	{ FLAG("console-serial", OPT_CONSOLE_SERIAL), SEC_X86, OA_ANY, OS_USED,
	  "Have purgatory print its progress on the serial port.", NULL },
	{ FLAG("elf32-core-headers", OPT_ELF32_CORE), SEC_X86, OA_CRASH, OS_USED,
	  "Class of the crash dump's ELF core header; ELF32 is refused when an address "
	  "needs more than 32 bits. The two cannot be combined.", "ELF64" },
	{ FLAG("elf64-core-headers", OPT_ELF64_CORE), SEC_X86, OA_CRASH, OS_USED, NULL, NULL },
	{ FLAG("pass-memmap-cmdline", OPT_PASS_MEMMAP_CMDLINE), SEC_X86, OA_CRASH, OS_USED,
	  "Also give the crash kernel its memory map as memmap=exactmap options on its "
	  "command line; they take precedence over its e820 table.", NULL },
	{ FLAG("noefi", OPT_NOEFI), SEC_X86, OA_ANY, OS_USED,
	  "Do not pass EFI information to the new kernel.", NULL },
	{ FLAG("reuse-video-type", OPT_REUSE_VIDEO_TYPE), SEC_X86, OA_ANY, OS_IGNORED,
	  "the new kernel always gets the running kernel's VGA video settings, or 80x25 "
	  "VGA text when they cannot be read.", NULL },
	{ OTHER("dt-no-old-root"), "options of other architectures.", NULL },
	{ OTHER("vga"), NULL, NULL },
	{ OTHER("devicetreeblob"), NULL, NULL },
	{ OTHER("atags"), NULL, NULL },
	{ OTHER("atags-file"), NULL, NULL },
	{ OTHER("image-size"), NULL, NULL },
	{ OTHER("page-offset"), NULL, NULL },
};
const size_t opt_table_len = ARRAY_SIZE(opt_table);

const char *opt_status_words(enum opt_status s)
{
	switch (s) {
	case OS_IGNORED: return "Accepted and ignored: ";
	case OS_REFUSED:
	case OS_OTHER_ARCH: return "Refused: ";
	default: return "";
	}
}

/* ---------------------------------------------------------------- getopt */

/* Generated from opt_table on every parse (cheap, and idempotent). '?' is
 * deliberately absent from short_opts: getopt reports `-?` as an unknown
 * option with optopt == '?', which is how it is told apart from real
 * errors. The leading ':' makes a missing argument come back as ':'. */
static struct option long_opts[ARRAY_SIZE(opt_table) + 1];
static char short_opts[2 + 2 * ARRAY_SIZE(opt_table)];

static void build_getopt(void)
{
	size_t i, nl = 0, ns = 0;

	short_opts[ns++] = ':';
	for (i = 0; i < ARRAY_SIZE(opt_table); i++) {
		const struct opt_def *d = &opt_table[i];

		if (d->status == OS_OTHER_ARCH)
			continue;
		long_opts[nl++] = (struct option){ d->name, d->has_arg, NULL, d->val };
		if (d->val < 256) {
			short_opts[ns++] = (char)d->val;
			if (d->has_arg == required_argument)
				short_opts[ns++] = ':';
		}
	}
	long_opts[nl] = (struct option){ NULL, 0, NULL, 0 };
	short_opts[ns] = '\0';
}

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
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opt_table); i++)
		if (opt_table[i].val == val && opt_table[i].status != OS_OTHER_ARCH)
			return opt_table[i].name;
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

/* Options upstream knows on other architectures only are named in the
 * error, so that a user porting a command line sees why it is refused. */
static int is_other_arch_opt(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opt_table); i++)
		if (opt_table[i].status == OS_OTHER_ARCH &&
		    strlen(opt_table[i].name) == len &&
		    strncmp(opt_table[i].name, name, len) == 0)
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

enum kx_result options_parse(int argc, char **argv, struct options *o)
{
	struct scan s = { 0 };
	int c, rc;

	set_defaults(o);
	/* optind 0 makes glibc reinitialise fully, so parsing can be repeated
	 * (tests); we print our own one-line errors. */
	optind = 0;
	opterr = 0;
	build_getopt();
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		rc = scan_option(c, argv, o, &s);
		if (rc)
			return KX_REFUSED;
	}
	if (optind < argc) {
		o->kernel = argv[optind];
		o->nextra = argc - optind - 1;
	}
	return resolve(o, &s) ? KX_REFUSED : KX_OK;
}
