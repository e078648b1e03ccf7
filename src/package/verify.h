/* Verification of sealed containers (ASiC-E with a CAdES seal), for untrusted input. */
#ifndef DOSSIER_VERIFY_H
#define DOSSIER_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

/* Limits for untrusted containers (the EU DSS validator uses the same orders). */
#define VERIFY_MAX_BYTES (512ull * 1024 * 1024)
#define VERIFY_MAX_ENTRIES 1000
#define VERIFY_MAX_ENTRY_BYTES (256ull * 1024 * 1024)
#define VERIFY_MAX_RATIO 100
/* Everything read into memory at once, all entries together. */
#define VERIFY_MAX_TOTAL_BYTES (1024ull * 1024 * 1024)

struct verify_problem {
    const char *code;           /* stable: mimetype.first, digest.mismatch, ... */
    char message[400];          /* French */
};

struct verify_result {
    struct verify_problem *problems;
    size_t count, capacity;
    size_t documents;
    char signer[512];           /* subject of the seal certificate, "" if unknown */
    char signing_time[64];
    bool chain_checked;         /* a --ca was given and the chain verified */
};

/* Checks the container DATA (LEN bytes) entirely in memory: no extraction to disk.
 * SCHEMA is the manifest's XSD (NULL to skip), CA_PATH the trusted certificates
 * (NULL: the signature is checked, the chain is not). */
void verify_container(const unsigned char *data, size_t len, const char *schema, const char *ca_path,
                      struct verify_result *result);
void verify_result_release(struct verify_result *result);

/* Reads PATH, verifies it, prints one line per problem (or a summary when sound).
 * Returns 0 when sound, 1 when a problem was found, 2 when PATH cannot be read. */
int verify_container_cli(const char *path, const char *schema, const char *ca_path);

#endif
