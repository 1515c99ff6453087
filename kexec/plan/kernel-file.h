/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the kernel file, with transparent gzip/xz/lzma decompression. */
#ifndef KEXEC_KERNEL_FILE_H
#define KEXEC_KERNEL_FILE_H

#include <stddef.h>
#include "loader.h"

/* Largest kernel we accept after decompression: far above any real one,
 * low enough that a decompression bomb fails early. */
#define KERNEL_MAX_SIZE (1ULL << 30)

enum kernel_compression {
	KC_NONE = 0,
	KC_GZIP,
	KC_XZ,
	KC_LZMA, /* raw .lzma ("lzma_alone") */
	KC_ZSTD, /* recognised only to say it is not supported */
};

/* What the first bytes of buf say about its compression. */
enum kernel_compression kernel_compression_of(const void *buf, size_t len);
/* "gzip", "xz", "lzma", "zstd" or "none". */
const char *kernel_compression_name(enum kernel_compression c);

/* Decompress len bytes at in (of kind c) into a new malloc'ed buffer of at
 * most max_out bytes. name is used in error messages. Returns 0, or -1
 * after one error line. */
int kernel_decompress(const char *name, enum kernel_compression c,
		      const void *in, size_t len, size_t max_out,
		      void **out, size_t *out_len);

/* Read path into k (decompressing it when compressed). k->path is set to
 * path, which must outlive k. Returns 0, or -1 after one error line. */
int kernel_image_read(const char *path, struct kernel_image *k);
void kernel_image_free(struct kernel_image *k);
/* A multiboot module: decompressed like a kernel (gzip/xz/lzma), except
 * that formats we cannot unpack (zstd) are passed on as they are. */
int module_file_read(const char *path, struct kernel_image *k);

#endif
