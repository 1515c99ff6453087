/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 compression with the SHA extensions (SHA256RNDS2, SHA256MSG1,
 * SHA256MSG2) and SSSE3 (PSHUFB, PALIGNR), written from the instruction
 * definitions in Intel's SDM and FIPS 180-4 6.2.2. The only file of
 * purgatory built with SSE: it runs after purgatory enabled SSE itself,
 * and only on a CPU that reports these extensions. */
#include <immintrin.h>
#include "sha256.h"

/* Rounds t..t+3 with schedule words m (W[t] in the low lane).
 * SHA256RNDS2 takes {A,B,E,F} and {C,D,G,H} (A and C in the high lanes)
 * and returns {A,B,E,F} two rounds on; the old {A,B,E,F} is then the new
 * {C,D,G,H}, so the two registers trade roles every two rounds. */
#define ROUNDS4(m, t) do {						\
	__m128i wk = _mm_add_epi32(m, _mm_load_si128((const __m128i *)&sha256_k[t])); \
	cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);			\
	wk = _mm_shuffle_epi32(wk, 0x0e);	/* W[t+2], W[t+3] down */ \
	abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);			\
} while (0)

/* W[t..t+3] from a = W[t-16..], b = W[t-12..], c = W[t-8..], d = W[t-4..]:
 * MSG1 gives W[t-16+i] + s0(W[t-15+i]), PALIGNR supplies W[t-7+i], MSG2
 * adds s1(W[t-2+i]) for the words it computes itself in turn. */
static inline __m128i schedule(__m128i a, __m128i b, __m128i c, __m128i d)
{
	__m128i x = _mm_sha256msg1_epu32(a, b);

	x = _mm_add_epi32(x, _mm_alignr_epi8(d, c, 4));
	return _mm_sha256msg2_epu32(x, d);
}

/* Big-endian words of 16 message bytes. */
static inline __m128i load_words(const uint8_t *p)
{
	const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
					  4, 5, 6, 7, 0, 1, 2, 3);

	return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap);
}

static void block(__m128i *abef_io, __m128i *cdgh_io, const uint8_t *p)
{
	__m128i abef = *abef_io, cdgh = *cdgh_io;
	__m128i m0 = load_words(p), m1 = load_words(p + 16);
	__m128i m2 = load_words(p + 32), m3 = load_words(p + 48);

	ROUNDS4(m0, 0);
	ROUNDS4(m1, 4);
	ROUNDS4(m2, 8);
	ROUNDS4(m3, 12);
	for (unsigned int t = 16; t < 64; t += 16) {
		m0 = schedule(m0, m1, m2, m3);
		ROUNDS4(m0, t);
		m1 = schedule(m1, m2, m3, m0);
		ROUNDS4(m1, t + 4);
		m2 = schedule(m2, m3, m0, m1);
		ROUNDS4(m2, t + 8);
		m3 = schedule(m3, m0, m1, m2);
		ROUNDS4(m3, t + 12);
	}
	*abef_io = _mm_add_epi32(*abef_io, abef);
	*cdgh_io = _mm_add_epi32(*cdgh_io, cdgh);
}

void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	/* Lane 0 is the low one: {A,B,E,F} is F,E,B,A from lane 0 up. */
	__m128i abef = _mm_set_epi32((int)h[0], (int)h[1], (int)h[4], (int)h[5]);
	__m128i cdgh = _mm_set_epi32((int)h[2], (int)h[3], (int)h[6], (int)h[7]);
	uint32_t out[8] __attribute__((aligned(16)));

	for (; n; n--, p += SHA256_BLOCK_SIZE)
		block(&abef, &cdgh, p);
	_mm_store_si128((__m128i *)out, abef);
	_mm_store_si128((__m128i *)(out + 4), cdgh);
	h[0] = out[3];
	h[1] = out[2];
	h[4] = out[1];
	h[5] = out[0];
	h[2] = out[7];
	h[3] = out[6];
	h[6] = out[5];
	h[7] = out[4];
}
