/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memcpy/memmove/memset/memcmp for purgatory. The copies use string
 * instructions in inline asm: short, fast enough for the backup copy, and
 * the compiler cannot turn them back into calls to themselves. */
#include <stdint.h>
#include "purgatory-string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (d - s >= n)	/* dst below src, or no overlap: forward is safe */
		return memcpy(dst, src, n);
	/* Backwards from the last byte; DF is cleared again at once. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld"
			 : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}
