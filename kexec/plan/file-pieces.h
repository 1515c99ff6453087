/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placing a span of memory built from pieces of a file (ELF PT_LOADs that
 * share pages): only file bytes are copied; pages without any become zero
 * fill, never buffers. */
#ifndef KEXEC_FILE_PIECES_H
#define KEXEC_FILE_PIECES_H

#include <stdint.h>
#include "loader.h"

/* filesz bytes of the file at offset go to physical address paddr. */
struct file_piece {
	uint64_t paddr, offset, filesz;
};

/* Place [start, end) (page aligned, checked against the machine by the
 * caller), moved by delta, holding the n pieces (sorted by paddr, inside
 * the span, in the file) and zeros elsewhere. Each run of pages with file
 * bytes is one segment whose buffer (owned by the plan) ends at its last
 * file byte; whole pages without file bytes are the zero tail of the
 * segment before them, or a segment without data. Returns 0 or -1 after
 * one error line. */
int place_file_pieces(struct plan *p, const struct kernel_image *k, const char *what,
		      const struct file_piece *pc, unsigned n, uint64_t start, uint64_t end,
		      uint64_t delta);

#endif
