/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 (FIPS 180-4) as purgatory runs it. Built with purgatory's flags
 * only; the host tests link those very objects. The loader itself digests
 * through libcrypto (kexec/plan/digest.c). */
#ifndef PURGATORY_SHA256_H
#define PURGATORY_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE  64

/* Hidden: purgatory is linked PIE and must resolve everything PC-relative. */
#pragma GCC visibility push(hidden)

struct sha256_ctx {
	uint32_t h[8];                  /* chaining state */
	uint64_t total;                 /* bytes hashed so far */
	uint8_t buf[SHA256_BLOCK_SIZE]; /* partial block */
	uint32_t fill;                  /* bytes used in buf */
	bool ni;                        /* compress with the SHA extensions */
};

/* The compression function over n whole blocks at p (any alignment). */
void sha256_blocks_plain(uint32_t h[8], const uint8_t *p, size_t n);
/* The same with the SHA extensions: only where CPUID reports SHA and
 * SSSE3 and SSE is enabled (CR4.OSFXSR). */
void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n);

/* FIPS 180-4 4.2.2, shared by both paths. */
extern const uint32_t sha256_k[64];

void sha256_init(struct sha256_ctx *ctx);
/* As sha256_init, choosing the SHA-extension path when ni is true. */
void sha256_init_path(struct sha256_ctx *ctx, bool ni);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest; ctx must be re-initialised before reuse. */
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#pragma GCC visibility pop

#endif
