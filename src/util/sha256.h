/* SHA-256 of a buffer, as hex or raw bytes (OpenSSL EVP). */
#ifndef DOSSIER_SHA256_H
#define DOSSIER_SHA256_H

#include <stddef.h>

void sha256_raw(const void *data, size_t len, unsigned char out[32]);
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
