/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsed command line. The only global-ish state of the program: parsed once
 * in main() and passed down by pointer. */
#ifndef KEXEC_OPTIONS_H
#define KEXEC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include "result.h"

#define MAX_MODULES 16

enum kexec_action {
	ACT_DEFAULT = 0, /* no action option: load, then shutdown -r now */
	ACT_LOAD,        /* -l / -p */
	ACT_EXEC,        /* -e */
	ACT_FORCE,       /* -f: load + exec without shutdown */
	ACT_UNLOAD,      /* -u */
	ACT_STATUS,      /* -S */
	ACT_PRINT_CKR,   /* --print-ckr-size */
	ACT_HELP,
	ACT_VERSION,
	ACT_EXEC_LIVE_UPDATE,
	ACT_LOAD_JUMP_BACK_HELPER,
};

enum syscall_mode {
	SYSCALL_AUTO = 0, /* -a (default): kexec_file_load, fall back to kexec_load */
	SYSCALL_FILE,     /* -s */
	SYSCALL_LOAD,     /* -c */
};

enum elf_args { ELF_ARGS_DEFAULT = 0, ELF_ARGS_ELF, ELF_ARGS_LINUX, ELF_ARGS_NONE };

enum xen_ops { XEN_OPS_AUTO = 0, XEN_OPS_V2, XEN_OPS_V1 };

struct options {
	enum kexec_action action;
	bool panic;        /* -p: the crash image is the target of the action */
	bool type_given_l; /* -l given (selects the normal image for -S/-u) */
	bool debug;
	bool no_checks;    /* -i */
	bool no_ifdown;    /* -x */
	bool no_sync;      /* -y */
	bool force;        /* -f */
	enum syscall_mode syscall;
	bool syscall_given;
	const char *type;  /* -t/--type */
	uint64_t mem_min;
	uint64_t mem_max;  /* 0 = none */
	bool mem_min_given, mem_max_given;
	uint64_t entry;    /* --entry */
	bool entry_given;
	bool load_preserve_context;
	bool load_live_update;
	bool reuseinitrd;
	bool hotplug;
	bool no_cma;
	bool force_dtb;
	enum xen_ops xen_ops;

	/* x86 arch options */
	bool reset_vga;
	bool console_vga;
	bool console_serial;
	uint16_t serial_base;  /* default 0x3f8 */
	uint32_t serial_baud;  /* 0 = keep */
	int elf_core_headers;  /* 0 default, 32, 64 */
	bool pass_memmap_cmdline;
	bool noefi;
	bool reuse_video_type;

	/* loader options */
	const char *command_line; /* --command-line / --append (last wins) */
	bool reuse_cmdline;
	const char *initrd;       /* --initrd / --ramdisk */
	bool real_mode;
	bool entry_32bit;
	const char *dtb;
	enum elf_args elf_args;
	const char *modules[MAX_MODULES]; /* --module "FILE args" */
	int nmodules;

	/* positional */
	const char *kernel;
	int nextra;               /* extra positional args (an error if > 0) */
};

/* Parse argv into *o. KX_OK | KX_REFUSED (after printing the error and/or
 * usage). Option order never matters. */
enum kx_result options_parse(int argc, char **argv, struct options *o);
/* Print the help text (grouped like upstream's), generated from the
 * option table. */
void options_usage(void);
/* Print the options of the file types in applies (OA_* bits of
 * option-table.h): what a file type's usage callback shows. */
void options_usage_loader(unsigned applies);

#endif
