/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The two-level image digest (see region-digest.h). */
#include <stddef.h>
#include "region-digest.h"

static void leaf(const uint8_t *p, size_t len, bool ni, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init_path(&ctx, ni);
	sha256_update(&ctx, p, len);
	sha256_final(&ctx, out);
}

void region_digest(const struct purgatory_region *regions, uint32_t n, bool ni,
		   uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx top;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init_path(&top, ni);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)regions[i].start;
		uint64_t left = regions[i].len;

		while (left) {
			size_t len = left < PURGATORY_LEAF_SIZE ? (size_t)left : PURGATORY_LEAF_SIZE;

			leaf(p, len, ni, d);
			sha256_update(&top, d, sizeof(d));
			p += len;
			left -= len;
		}
	}
	sha256_final(&top, out);
}
