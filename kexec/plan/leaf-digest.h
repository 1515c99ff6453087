/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image digest purgatory checks (purgatory-abi.h): every region cut
 * into leaves of PURGATORY_LEAF_SIZE bytes, the SHA-256 of each leaf, and
 * the SHA-256 of those, region by region, in order.
 *
 * A writer fills a region (the staging pass reads a file into its
 * destination) and reports how far it got; leaves are digested as soon
 * as they are complete, by worker threads when the region is large and
 * there is more than one CPU, else by the writer itself while the data is
 * still in its cache. The data is never copied.
 *
 *	t = leaf_digest_new();
 *	for each region: leaf_region_begin(t, base, len);
 *	                 leaf_region_ready(t, upto) as data arrives...
 *	                 leaf_region_end(t, false);
 *	leaf_digest_final(t, out); leaf_digest_free(t); */
#ifndef KEXEC_LEAF_DIGEST_H
#define KEXEC_LEAF_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "digest.h"

struct leaf_digest;

/* NULL after an error line. */
struct leaf_digest *leaf_digest_new(void);
/* Start the next region: base[0, len) will be filled in order. One
 * region at a time. 0 or -1 with an error line. */
int leaf_region_begin(struct leaf_digest *t, const uint8_t *base, size_t len);
/* base[0, upto) is in place (upto only grows). 0, or -1 with an error
 * line when a digest failed. */
int leaf_region_ready(struct leaf_digest *t, size_t upto);
/* Wait until every leaf of the region is digested (all len bytes must
 * have been reported) and add them to the image digest; with abandon, the
 * writer gave up: stop without waiting and leave the image digest
 * unusable. 0, or -1 when a digest failed (its error line was printed). */
int leaf_region_end(struct leaf_digest *t, bool abandon);
/* The image digest; t takes no more regions afterwards. 0 or -1. */
int leaf_digest_final(struct leaf_digest *t, uint8_t out[DIGEST_SIZE]);
/* Also ends an open region (abandoned). NULL is fine. */
void leaf_digest_free(struct leaf_digest *t);

#endif
