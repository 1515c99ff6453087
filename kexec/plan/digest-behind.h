/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A digest that runs on a second thread behind a writer: the staging
 * pass reads a large segment into its destination chunk by chunk, and
 * the digest of chunk k overlaps the read of chunk k+1. The data is
 * never copied: the thread reads the destination itself. */
#ifndef KEXEC_DIGEST_BEHIND_H
#define KEXEC_DIGEST_BEHIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "digest.h"

struct digest_behind;

/* Digest base[0, len) into d as digest_behind_ready() reports it. NULL
 * (not an error) when a second thread would not help (one CPU) or cannot
 * be had: the caller then digests inline. */
struct digest_behind *digest_behind_start(struct digest *d, const uint8_t *base, size_t len);
/* base[0, upto) is in place. */
void digest_behind_ready(struct digest_behind *b, size_t upto);
/* Wait until all len bytes are digested (they must all have been
 * reported ready) and stop the thread; with abandon, stop without waiting
 * for more data. Returns 0, or -1 when a
 * digest update failed (its error line was printed). Frees b. */
int digest_behind_finish(struct digest_behind *b, bool abandon);

#endif
