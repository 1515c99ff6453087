/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 through libcrypto's EVP interface. */
#include <openssl/evp.h>

#include "digest.h"
#include "util.h"

struct digest *digest_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		kx_error("cannot start a SHA-256 digest (libcrypto)");
		EVP_MD_CTX_free(c);
		return NULL;
	}
	return (struct digest *)c;
}

int digest_update(struct digest *d, const void *data, size_t len)
{
	if (EVP_DigestUpdate((EVP_MD_CTX *)d, data, len) != 1) {
		kx_error("SHA-256 update failed (libcrypto)");
		return -1;
	}
	return 0;
}

int digest_final(struct digest *d, uint8_t out[DIGEST_SIZE])
{
	unsigned int n = 0;

	if (EVP_DigestFinal_ex((EVP_MD_CTX *)d, out, &n) != 1 || n != DIGEST_SIZE) {
		kx_error("SHA-256 final failed (libcrypto)");
		return -1;
	}
	return 0;
}

int digest_restart(struct digest *d)
{
	if (EVP_DigestInit_ex((EVP_MD_CTX *)d, EVP_sha256(), NULL) != 1) {
		kx_error("cannot start a SHA-256 digest (libcrypto)");
		return -1;
	}
	return 0;
}

void digest_free(struct digest *d)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)d);
}
