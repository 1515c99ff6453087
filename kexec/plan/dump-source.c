/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building and freeing a dump description (see dump-source.h). */
#include <stdlib.h>
#include <string.h>

#include "dump-source.h"
#include "util.h"

int dump_add_note(struct dump_source *d, uint64_t addr, uint64_t size)
{
	struct crash_note_buf *n = kx_realloc(d->notes, (d->nnotes + 1) * sizeof(*n));

	if (!n)
		return -1;
	d->notes = n;
	d->notes[d->nnotes++] = (struct crash_note_buf){ addr, size };
	return 0;
}

void dump_source_free(struct dump_source *d)
{
	free(d->notes);
	memmap_free(&d->ram);
	memset(d, 0, sizeof(*d));
}
