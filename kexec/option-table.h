/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The option table: one row per command-line option, the single source
 * from which the parser's getopt_long arrays (options.c) and the --help
 * text (usage.c) are both generated. doc/kexec.8 is checked against the
 * generated --help by tests/unit/front/test_help_manpage.c. */
#ifndef KEXEC_OPTION_TABLE_H
#define KEXEC_OPTION_TABLE_H

#include <stddef.h>

/* getopt values of long-only options: above the character range. */
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
	/* not parsed: options of other architectures, refused by name */
	OPT_OTHER_ARCH,
};

/* Where --help lists a row, in this order (upstream's: generic options,
 * then each file type's, then the arch ones). */
enum opt_section {
	SEC_ACTION,
	SEC_GENERIC,
	SEC_LOADER,   /* listed under each file type in .applies */
	SEC_X86,
};

/* What a row applies to (bits). OA_ANY: every load on every system. */
enum {
	OA_ANY       = 0,
	OA_BZIMAGE64 = 1u << 0,
	OA_ELF       = 1u << 1,
	OA_MULTIBOOT = 1u << 2,
	OA_MB2       = 1u << 3,
	OA_CRASH     = 1u << 4, /* only changes a crash (-p) load */
	OA_XEN       = 1u << 5, /* only under Xen */
	OA_LOADERS   = OA_BZIMAGE64 | OA_ELF | OA_MULTIBOOT | OA_MB2,
};

/* What the program does with an option. --help starts its line with the
 * words of opt_status_words(), and doc/kexec.8 must say the same. */
enum opt_status {
	OS_USED = 0,
	OS_IGNORED,    /* "Accepted and ignored": parsed, no effect */
	OS_REFUSED,    /* "Refused": parsed, then refused with an error */
	OS_OTHER_ARCH, /* "Refused": not parsed, refused by name */
};

struct opt_def {
	const char *name;   /* long name, without the dashes */
	int val;            /* getopt value: the short letter or an OPT_* id */
	char short2;        /* another short letter, for --help only ('?') */
	int has_arg;        /* getopt's no_argument or required_argument */
	const char *arg;    /* the value's name in --help ("ADDR") */
	enum opt_section section;
	unsigned applies;   /* OA_* bits */
	enum opt_status status;
	/* One paragraph, wrapped when printed. NULL: the row is another name
	 * of the row above and shares its line in --help. */
	const char *help;
	const char *deflt;  /* printed as "Default: <deflt>." */
};

extern const struct opt_def opt_table[];
extern const size_t opt_table_len;

/* The --help prefix for a status ("" for OS_USED). */
const char *opt_status_words(enum opt_status s);

#endif
