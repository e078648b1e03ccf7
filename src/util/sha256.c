/* SHA-256 through OpenSSL's one-shot EVP digest. */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

void sha256_raw(const void *data, size_t len, unsigned char out[32])
{
    unsigned int n = 32;
    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char raw[32];
    sha256_raw(data, len, raw);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}
