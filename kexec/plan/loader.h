/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File loaders: each recognises one kind of image and turns it into a
 * segment plan. They see the machine only through struct machine. */
#ifndef KEXEC_LOADER_H
#define KEXEC_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include "options.h"
#include "plan.h"

/* The kernel file as read (and decompressed when it was gzip/xz). */
#define PROBE_REASON_LEN 160

struct kernel_image {
	const char *path;
	const void *buf;
	size_t len;
	bool decompressed;
	/* Where a probe may write a detailed reason (NULL: give a fixed
	 * one). Points into reason_buf for images read from a file. */
	char *reason;
	char reason_buf[PROBE_REASON_LEN];
};

struct file_type {
	const char *name; /* as --type takes it: "bzImage64", "elf-x86_64", ... */
	/* 0 when the image is of this type; -1 otherwise. When the image is
	 * recognisably of this type but broken or unusable, *why is set to a
	 * short reason ("boot protocol 2.05, need at least 2.12"). */
	int (*probe)(const struct kernel_image *k, const char **why);
	/* Build the plan. Returns 0 or -1 after an error line. */
	int (*load)(const struct options *o, const struct kernel_image *k,
		    struct plan *p);
	void (*usage)(void);
	bool file_load_ok; /* kexec_file_load(2) can take this image */
	bool modules;      /* takes --module files (and no --initrd) */
};

#endif
