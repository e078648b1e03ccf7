/* Verification of sealed containers (ASiC-E with a CAdES seal), for untrusted input. */
#ifndef DOSSIER_VERIFY_H
#define DOSSIER_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlschemas.h>

/* Limits for untrusted containers (the EU DSS validator uses the same orders). */
#define VERIFY_MAX_BYTES (512ull * 1024 * 1024)
#define VERIFY_MAX_ENTRIES 1000
#define VERIFY_MAX_ENTRY_BYTES (256ull * 1024 * 1024)
#define VERIFY_MAX_RATIO 100
/* Everything read into memory at once, all entries together. */
#define VERIFY_MAX_TOTAL_BYTES (1024ull * 1024 * 1024)

struct dossier_problems;

/* What a verification found: problems go to PROBLEMS (codes mimetype.first,
 * digest.mismatch, ...), reported at FILE; the rest describes a sound container. */
struct verify_result {
    struct dossier_problems *problems;
    const char *file;           /* the container's name, for the problems; may be NULL */
    size_t count;               /* problems added by this verification */
    size_t documents;
    char signer[512];           /* subject of the seal certificate, "" if unknown */
    char signer_sha256[65];     /* SHA-256 of the seal certificate's DER (hex), "" if unknown */
    char signer_rfc2253[512];   /* its subject in RFC 2253 form, UTF-8 (for a pin), "" if unknown */
    char signing_time[64];
    bool chain_checked;         /* a --ca was given and the chain verified */
};

/* Checks the container DATA (LEN bytes) entirely in memory: no extraction to disk.
 * SCHEMA is the manifest's compiled XSD (NULL to skip), CA_PATH the trusted
 * certificates (NULL: the signature is checked, the chain is not). R must be zeroed
 * but for its problems list and file. */
/* Adds a problem to R->problems at R->file and counts it (for the walker too). */
void verify_problem(struct verify_result *r, const char *code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

void verify_container(const unsigned char *data, size_t len, xmlSchemaPtr schema, const char *ca_path,
                      struct verify_result *result);

#endif
