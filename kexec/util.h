/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by the whole front end: error reporting, allocation,
 * file reading. Errors are reported once, where they happen, as one line. */
#ifndef KEXEC_UTIL_H
#define KEXEC_UTIL_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "units.h"

/* A parameter an interface requires but this implementation ignores. */
#define UNUSED __attribute__((unused))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))

/* Print "kexec: <message>" on stderr as one line. */
void kx_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same "kexec: <message>" line for something done on the user's
 * behalf that is not an error. */
void kx_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, only when -d/--debug was given. */
void kx_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kx_set_debug(bool on);
bool kx_debug_enabled(void);

/* Allocation that reports failure (returns NULL after an error line). */
void *kx_malloc(size_t n);
void *kx_calloc(size_t n, size_t m);
void *kx_realloc(void *p, size_t n);
char *kx_strdup(const char *s);

/* Whole-file reading. Returns 0 and a malloc'ed buffer, or -1 after an
 * error line naming the file. */
int kx_read_file(const char *path, void **buf, size_t *len);
/* Read a small text file (sysfs/procfs); trailing newline removed. */
int kx_read_text(const char *path, char *buf, size_t len);

/* Parse an unsigned number (0x hex, 0 octal, decimal) with no trailing
 * garbage. Returns 0 on success, -1 otherwise (no message). */
int kx_parse_u64(const char *s, uint64_t *out);

#endif
