/* The key that signs the pages' tracking codes: Ed25519 (RFC 8032), deterministic,
 * so a re-run of a dossier gives the same codes byte for byte. Its own key, not the
 * seal's: a code is verified offline by whoever holds the public key. */
#ifndef DOSSIER_CODEKEY_H
#define DOSSIER_CODEKEY_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

struct dossier_problems;

#define CODEKEY_PUBLIC_LEN 32
#define CODEKEY_SIGNATURE_LEN 64

struct code_key {
    EVP_PKEY *key;              /* private (signing) or public (verifying) */
    bool can_sign;
    bool demo;
    unsigned char pub[CODEKEY_PUBLIC_LEN];
    /* First 4 bytes of the SHA-256 of the raw public key, 8 upper-case hex digits:
     * printed in every code, so a verifier picks the right key. */
    char id[9];
};

/* Files of the demo key, beside the demo seal. */
#define CODEKEY_DEMO_PRIVATE "demo-code-key.pem"
#define CODEKEY_DEMO_PUBLIC "demo-code-pub.pem"

/* Loads an Ed25519 private key (PEM, PKCS#8; PASS for an encrypted one, may be NULL). */
bool codekey_load_private(struct code_key *k, const char *path, const char *pass,
                          struct dossier_problems *problems);
/* Loads an Ed25519 public key (PEM SubjectPublicKeyInfo) or the public half of a
 * private key file. */
bool codekey_load_public(struct code_key *k, const char *path, struct dossier_problems *problems);
/* A public key from its 32 raw bytes. */
bool codekey_from_raw(struct code_key *k, const unsigned char pub[CODEKEY_PUBLIC_LEN]);
/* Makes DIR/demo-code-key.pem (0600) and DIR/demo-code-pub.pem if missing. */
bool codekey_make_demo(const char *dir, struct dossier_problems *problems);
void codekey_release(struct code_key *k);

bool codekey_sign(const struct code_key *k, const void *msg, size_t len,
                  unsigned char sig[CODEKEY_SIGNATURE_LEN]);
bool codekey_verify(const struct code_key *k, const void *msg, size_t len,
                    const unsigned char sig[CODEKEY_SIGNATURE_LEN]);

#endif
