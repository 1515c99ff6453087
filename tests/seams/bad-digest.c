/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test seam, linked only into tests/seams/kexec-bad-digest, never into
 * kexec: after the initrd is staged (and digested), one byte of the
 * staged copy is flipped, as a stray write would. Purgatory must find
 * the mismatch and refuse to enter the image. Linked with
 * -Wl,--wrap=segment_stage: the backends' calls land here. */
#include <string.h>

#include "stage.h"

int __real_segment_stage(struct stage *st, unsigned i, void *dst, size_t len);
int __wrap_segment_stage(struct stage *st, unsigned i, void *dst, size_t len);

int __wrap_segment_stage(struct stage *st, unsigned i, void *dst, size_t len)
{
	int rc = __real_segment_stage(st, i, dst, len);

	if (rc == 0 && len && !strcmp(st->p->seg[i].what, "initrd"))
		((unsigned char *)dst)[len - 1] ^= 0x01;
	return rc;
}
