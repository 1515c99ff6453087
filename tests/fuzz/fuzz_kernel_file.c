/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a kernel file: compression detection, each decompressor (gzip,
 * xz, lzma) in memory with a small output limit, and the whole file path
 * (kernel_image_read, module_file_read) through a memfd. */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "kernel-file.h"

/* Enough for any expansion worth testing, small for the fuzzer's RSS. */
#define FUZZ_MAX_OUT (16u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

static void in_memory(const uint8_t *data, size_t size)
{
	enum kernel_compression c = kernel_compression_of(data, size);
	void *out = NULL;
	size_t out_len = 0;

	(void)kernel_compression_name(c);
	if (c == KC_NONE)
		return;
	if (kernel_decompress("fuzz-input", c, data, size, FUZZ_MAX_OUT, &out, &out_len) == 0)
		free(out);
}

/* The file path decompresses up to 1 GiB: only give it uncompressed
 * inputs (the decompressors are covered above). */
static void from_file(const uint8_t *data, size_t size)
{
	enum kernel_compression c = kernel_compression_of(data, size);
	struct kernel_image k;
	char path[64];
	int fd;

	if (c != KC_NONE && c != KC_ZSTD)
		return;
	fd = memfd_create("fuzz-kernel", MFD_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (kernel_image_read(path, &k) == 0)
			kernel_image_free(&k);
		if (module_file_read(path, &k) == 0)
			kernel_image_free(&k);
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_memory(data, size);
	from_file(data, size);
	return 0;
}
