/* The seal: key and certificate (or the demo seal), and CAdES-B-B signatures. */
#ifndef DOSSIER_SEAL_H
#define DOSSIER_SEAL_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct dossier_problems;

struct seal {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain;      /* intermediate certificates embedded with the seal */
    bool demo;
    char subject[512];          /* one-line subject, for reports */
    char sha256[65];            /* the certificate's SHA-256 (of its DER), hex */
};

/* The demo seal's certificate, in the demo folder, and its subject's names. */
#define SEAL_DEMO_CERT "demo-seal-cert.pem"
#define SEAL_DEMO_ORG "DEMO — dossier (sans valeur)"
#define SEAL_DEMO_CN "Cachet de démonstration DEMO — ne pas utiliser en production"

struct seal_files {
    const char *key_path;
    const char *cert_path;
    const char *chain_path;     /* may be NULL */
    const char *pass_file;      /* may be NULL: then DOSSIER_SEAL_PASS, then none */
    bool allow_open_key;        /* accept a key file readable by other users */
};

/* False, with a "key.mode" problem, when the private key file PATH is readable or
 * writable by other users than its owner (unless ALLOW); OPTION names the option
 * that gave it. A missing file passes: its reader says why. */
bool key_file_private(const char *path, bool allow, const char *option, struct dossier_problems *problems);

/* Loads the seal from FILES, or with FILES->key_path NULL the demo seal of DEMO_DIR
 * (made there on first use). Checks that the key matches the certificate, that the
 * certificate is valid at DATE and allows digitalSignature or nonRepudiation.
 * False, with the problem added to PROBLEMS, on any problem. */
bool seal_load(struct seal *seal, const struct seal_files *files, const char *demo_dir,
               time_t date, struct dossier_problems *problems);
void seal_release(struct seal *seal);

/* Detached CAdES-B-B signature (DER) of DATA: content-type, message-digest,
 * signing-time = SIGNING_TIME, signing-certificate-v2; certificate and chain
 * embedded. NULL on failure. */
unsigned char *seal_sign(const struct seal *seal, const void *data, size_t len,
                         time_t signing_time, size_t *out_len);

/* The seal's passphrase (malloc'd; the caller cleanses it): the first line of
 * PASS_FILE, else $DOSSIER_SEAL_PASS, else "". NULL, with a "seal.pass" problem, when
 * PASS_FILE cannot be read. */
char *seal_passphrase(const char *pass_file, bool allow_open, struct dossier_problems *problems);

/* PEM files are read whole, without blocking (a named pipe or a device is refused),
 * into a memory BIO: pem_file_bio returns it (NULL with errno) and the buffer behind
 * it in *BUFFER; pem_file_done frees both, the buffer cleansed. */
#define PEM_FILE_MAX (1u << 20)
BIO *pem_file_bio(const char *path, char **buffer);
void pem_file_done(BIO *bio, char *buffer);
/* The first certificate of the PEM file PATH; NULL with a "seal.cert" problem that
 * calls it WHAT ("certificat du cachet"). */
X509 *pem_read_cert(const char *path, const char *what, struct dossier_problems *problems);
/* SHA-256 of CERT's DER encoding, 64 lower-case hex digits. */
void cert_sha256_hex(X509 *cert, char out[65]);

enum pem_kind { PEM_PRIVATE_KEY, PEM_PUBLIC_KEY, PEM_CERTIFICATE };
/* Writes KEY (private or public half) or CERT as PEM into DIR/FILE, atomically: 0600
 * for a private key, 0644 otherwise. */
bool pem_write(const char *dir, const char *file, enum pem_kind kind, EVP_PKEY *key, X509 *cert);

/* Makes the demo CA and seal under DIR if missing (exposed for tests). */
bool seal_make_demo(const char *dir, struct dossier_problems *problems);

#endif
