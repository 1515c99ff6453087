/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 of the segments as the loader computes it: libcrypto's EVP
 * interface, which uses the CPU's SHA extensions where there are any.
 * Purgatory checks the same digest with its own code (purgatory/). */
#ifndef KEXEC_DIGEST_H
#define KEXEC_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_SIZE 32

struct digest;

/* NULL after an error line. */
struct digest *digest_new(void);
/* Returns 0 or -1 with an error line. */
int digest_update(struct digest *d, const void *data, size_t len);
/* Writes the digest; d must not be updated afterwards. 0 or -1. */
int digest_final(struct digest *d, uint8_t out[DIGEST_SIZE]);
/* Start d over for a new message, after digest_final. 0 or -1. */
int digest_restart(struct digest *d);
void digest_free(struct digest *d);

#endif
