/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image digest of purgatory-abi.h (leaves of PURGATORY_LEAF_SIZE,
 * then the digest of the leaves' digests) over regions of memory. Built
 * with purgatory's flags; the host tests link this very object to check
 * the loader's sealed digest against it. */
#ifndef PURGATORY_REGION_DIGEST_H
#define PURGATORY_REGION_DIGEST_H

#include <stdbool.h>
#include <stdint.h>
#include "purgatory-abi.h"
#include "sha256.h"

#pragma GCC visibility push(hidden)

/* regions[i].start is an address this code can read (purgatory runs
 * where physical equals virtual). ni: use the SHA extensions. */
void region_digest(const struct purgatory_region *regions, uint32_t n, bool ni,
		   uint8_t out[SHA256_DIGEST_SIZE]);

#pragma GCC visibility pop

#endif
