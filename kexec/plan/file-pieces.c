/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A span of memory from pieces of a file: buffers hold file bytes only,
 * so an image claiming gigabytes of bss costs no memory here. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "file-pieces.h"
#include "util.h"

/* Copy the pieces [i, j) into a new buffer for [at, at + len). */
static const void *compose(struct plan *p, const struct kernel_image *k,
			   const struct file_piece *pc, unsigned i, unsigned j,
			   uint64_t at, size_t len)
{
	uint8_t *buf;

	if (len == 0)
		return NULL;
	buf = kx_calloc(1, len);
	if (!buf || plan_own(p, buf) < 0) {
		free(buf);
		return NULL;
	}
	for (unsigned m = i; m < j; m++)
		if (pc[m].filesz)
			memcpy(buf + (pc[m].paddr - at), (const uint8_t *)k->buf + pc[m].offset,
			       pc[m].filesz);
	return buf;
}

/* One segment [at, to) holding pieces [i, j), whose bytes end at data_end. */
static int place_run(struct plan *p, const struct kernel_image *k, const char *what,
		     const struct file_piece *pc, unsigned i, unsigned j,
		     uint64_t at, uint64_t to, uint64_t data_end, uint64_t delta)
{
	size_t len = (size_t)(data_end - at);
	const void *buf = compose(p, k, pc, i, j, at, len);

	if (len && !buf)
		return -1;
	kx_debug("%s: %s piece 0x%" PRIx64 "-0x%" PRIx64 " (%zu bytes of data) at 0x%" PRIx64,
		 k->path, what, at, to - 1, len, at + delta);
	return plan_place(p, &(struct placement){ .what = what, .buf = buf, .bufsz = len,
						  .memsz = to - at, .fixed = true,
						  .at = at + delta }, NULL);
}

int place_file_pieces(struct plan *p, const struct kernel_image *k, const char *what,
		      const struct file_piece *pc, unsigned n, uint64_t start, uint64_t end,
		      uint64_t delta)
{
	uint64_t at = start, data_end = start;
	unsigned first = 0;

	for (unsigned m = 0; m < n; m++) {
		uint64_t page = ALIGN_DOWN(pc[m].paddr, PAGE_SIZE_4K);

		if (!pc[m].filesz)
			continue;
		/* A whole page without file bytes before this piece: end the
		 * run there, its zeros are the run's tail. */
		if (page > ALIGN_UP(data_end, PAGE_SIZE_4K)) {
			if (place_run(p, k, what, pc, first, m, at, page, data_end, delta) < 0)
				return -1;
			at = data_end = page;
			first = m;
		}
		if (pc[m].paddr + pc[m].filesz > data_end)
			data_end = pc[m].paddr + pc[m].filesz;
	}
	return place_run(p, k, what, pc, first, n, at, end, data_end, delta);
}
