/* SHA-256 after FIPS 180-4 sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2.
 * Plain C with byte-wise loads and stores: it must build freestanding
 * (purgatory: no libc, no SIMD) and on the host, and work on any
 * alignment. */
#include "sha256.h"

/* First 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (FIPS 180-4 4.2.2). */
static const uint32_t k[64] = {
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

static inline uint32_t ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One 512-bit block (6.2.2). The schedule is kept as a 16-word ring to
 * stay small on purgatory's stack. */
static void compress(uint32_t h[8], const uint8_t *block)
{
	uint32_t w[16];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];

	for (unsigned int t = 0; t < 64; t++) {
		uint32_t wt;

		if (t < 16) {
			wt = load_be32(block + 4 * t);
		} else {
			uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
			uint32_t s0 = ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3);
			uint32_t s1 = ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10);

			wt = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
		}
		w[t & 15] = wt;

		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
			      ((e & f) ^ (~e & g)) + k[t] + wt;
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
			      ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void sha256_init(struct sha256_ctx *ctx)
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
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->total += len;
	if (ctx->fill) {
		while (len && ctx->fill < SHA256_BLOCK_SIZE) {
			ctx->buf[ctx->fill++] = *p++;
			len--;
		}
		if (ctx->fill < SHA256_BLOCK_SIZE)
			return;
		compress(ctx->h, ctx->buf);
		ctx->fill = 0;
	}
	for (; len >= SHA256_BLOCK_SIZE; p += SHA256_BLOCK_SIZE, len -= SHA256_BLOCK_SIZE)
		compress(ctx->h, p);
	while (len--)
		ctx->buf[ctx->fill++] = *p++;
}

void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = ctx->total * 8;

	/* 5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, 64-bit length. */
	ctx->buf[ctx->fill++] = 0x80;
	if (ctx->fill > SHA256_BLOCK_SIZE - 8) {
		while (ctx->fill < SHA256_BLOCK_SIZE)
			ctx->buf[ctx->fill++] = 0;
		compress(ctx->h, ctx->buf);
		ctx->fill = 0;
	}
	while (ctx->fill < SHA256_BLOCK_SIZE - 8)
		ctx->buf[ctx->fill++] = 0;
	store_be32(ctx->buf + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->buf + 60, (uint32_t)bits);
	compress(ctx->h, ctx->buf);

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
