/* SHA-256 (FIPS 180-4). Shared by purgatory (freestanding) and the host
 * loader, which must compute exactly the digest purgatory checks. */
#ifndef PURGATORY_SHA256_H
#define PURGATORY_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE  64

struct sha256_ctx {
	uint32_t h[8];                  /* chaining state */
	uint64_t total;                 /* bytes hashed so far */
	uint8_t buf[SHA256_BLOCK_SIZE]; /* partial block */
	uint32_t fill;                  /* bytes used in buf */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest; ctx must be re-initialised before reuse. */
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
