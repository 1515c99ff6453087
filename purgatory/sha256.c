/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 after FIPS 180-4 sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2:
 * the buffering around the compression function, and the plain
 * compression function. Purgatory builds this with general registers
 * only (SSE may be off), so the plain path is fully unrolled C with
 * 32-bit big-endian word loads; the SHA-extension path is sha256-ni.c. */
#include "sha256.h"

/* First 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (FIPS 180-4 4.2.2). Aligned for the 16-byte loads of the
 * SHA-extension path. */
const uint32_t sha256_k[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* An unaligned, aliasing 32-bit load: one mov on x86. */
typedef uint32_t __attribute__((aligned(1), may_alias)) u32_unaligned;

static inline uint32_t load_be32(const uint8_t *p)
{
	return __builtin_bswap32(*(const u32_unaligned *)p);
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	*(u32_unaligned *)p = __builtin_bswap32(v);
}

static inline uint32_t ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

/* 4.1.2: the six functions, Ch and Maj in their two-operation forms. */
#define BSIG0(x) (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22))
#define BSIG1(x) (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25))
#define SSIG0(x) (ror(x, 7) ^ ror(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror(x, 17) ^ ror(x, 19) ^ ((x) >> 10))
#define CH(e, f, g)  ((g) ^ ((e) & ((f) ^ (g))))

/* Schedule word t: the first 16 from the block, then a 16-word ring. */
#define W_LOAD(t) (w[t] = load_be32(p + 4 * (t)))
#define W_NEXT(t) (w[(t) & 15] += SSIG1(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
			      SSIG0(w[((t) - 15) & 15]))

/* One round (6.2.2 step 3) without moving the eight variables: the
 * caller renames them instead, so only d and h are written. Maj(a,b,c)
 * is b ^ ((a ^ b) & (b ^ c)), and this round's a ^ b is the next one's
 * b ^ c: x holds b ^ c coming in and a ^ b going out, one AND and two
 * XORs fewer per round on the critical path. */
#define ROUND(a, b, c, d, e, f, g, h, t, W, x) do {			\
	uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + sha256_k[t] + W(t);	\
	uint32_t ab = a ^ b;						\
	d += t1;							\
	h = t1 + BSIG0(a) + (b ^ (ab & x));				\
	x = ab;								\
} while (0)

#define ROUNDS8(t, W) do {					\
	ROUND(a, b, c, d, e, f, g, h, (t) + 0, W, x);		\
	ROUND(h, a, b, c, d, e, f, g, (t) + 1, W, x);		\
	ROUND(g, h, a, b, c, d, e, f, (t) + 2, W, x);		\
	ROUND(f, g, h, a, b, c, d, e, (t) + 3, W, x);		\
	ROUND(e, f, g, h, a, b, c, d, (t) + 4, W, x);		\
	ROUND(d, e, f, g, h, a, b, c, (t) + 5, W, x);		\
	ROUND(c, d, e, f, g, h, a, b, (t) + 6, W, x);		\
	ROUND(b, c, d, e, f, g, h, a, (t) + 7, W, x);		\
} while (0)

static void compress(uint32_t s[8], const uint8_t *p)
{
	uint32_t w[16];
	uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
	uint32_t e = s[4], f = s[5], g = s[6], h = s[7];
	uint32_t x = b ^ c;

	ROUNDS8(0, W_LOAD);
	ROUNDS8(8, W_LOAD);
	ROUNDS8(16, W_NEXT);
	ROUNDS8(24, W_NEXT);
	ROUNDS8(32, W_NEXT);
	ROUNDS8(40, W_NEXT);
	ROUNDS8(48, W_NEXT);
	ROUNDS8(56, W_NEXT);
	s[0] += a;
	s[1] += b;
	s[2] += c;
	s[3] += d;
	s[4] += e;
	s[5] += f;
	s[6] += g;
	s[7] += h;
}

void sha256_blocks_plain(uint32_t h[8], const uint8_t *p, size_t n)
{
	for (; n; n--, p += SHA256_BLOCK_SIZE)
		compress(h, p);
}

static void blocks(struct sha256_ctx *ctx, const uint8_t *p, size_t n)
{
	if (ctx->ni)
		sha256_blocks_ni(ctx->h, p, n);
	else
		sha256_blocks_plain(ctx->h, p, n);
}

void sha256_init_path(struct sha256_ctx *ctx, bool ni)
{
	/* FIPS 180-4 5.3.3. */
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	for (unsigned int i = 0; i < 8; i++)
		ctx->h[i] = iv[i];
	ctx->total = 0;
	ctx->fill = 0;
	ctx->ni = ni;
}

void sha256_init(struct sha256_ctx *ctx)
{
	sha256_init_path(ctx, false);
}

/* A byte loop on purpose: it only ever moves the < 64 bytes around a
 * block edge, and a call to memcpy would tie this file to one libc. */
static void copy_small(uint8_t *dst, const uint8_t *src, size_t n)
{
	while (n--)
		*dst++ = *src++;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t n;

	ctx->total += len;
	if (ctx->fill) {
		n = SHA256_BLOCK_SIZE - ctx->fill;
		if (n > len)
			n = len;
		copy_small(ctx->buf + ctx->fill, p, n);
		ctx->fill += n;
		p += n;
		len -= n;
		if (ctx->fill < SHA256_BLOCK_SIZE)
			return;
		blocks(ctx, ctx->buf, 1);
		ctx->fill = 0;
	}
	n = len / SHA256_BLOCK_SIZE;
	if (n)
		blocks(ctx, p, n);
	p += n * SHA256_BLOCK_SIZE;
	len -= n * SHA256_BLOCK_SIZE;
	copy_small(ctx->buf, p, len);
	ctx->fill = len;
}

void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = ctx->total * 8;

	/* 5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, 64-bit length. */
	ctx->buf[ctx->fill++] = 0x80;
	if (ctx->fill > SHA256_BLOCK_SIZE - 8) {
		while (ctx->fill < SHA256_BLOCK_SIZE)
			ctx->buf[ctx->fill++] = 0;
		blocks(ctx, ctx->buf, 1);
		ctx->fill = 0;
	}
	while (ctx->fill < SHA256_BLOCK_SIZE - 8)
		ctx->buf[ctx->fill++] = 0;
	store_be32(ctx->buf + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->buf + 60, (uint32_t)bits);
	blocks(ctx, ctx->buf, 1);

	for (unsigned int i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->h[i]);
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}
