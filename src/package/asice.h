/* ASiC-E containers (ETSI EN 319 162-1): mimetype, documents, manifest, CAdES seal. */
#ifndef DOSSIER_ASICE_H
#define DOSSIER_ASICE_H

#include <stddef.h>
#include <time.h>

#include "seal.h"

#define ASICE_MIMETYPE "application/vnd.etsi.asic-e+zip"
#define ASICE_NS "http://uri.etsi.org/02918/v1.2.1#"
#define ASICE_MANIFEST "META-INF/ASiCManifest.xml"
#define ASICE_SIGNATURE "META-INF/signature.p7s"

struct asice_document {
    const char *name;           /* entry name, UTF-8, no folder */
    const char *mime;           /* application/pdf */
    const unsigned char *data;
    size_t len;
};

/* The manifest of DOCS: SigReference first, then one DataObjectReference with the
 * SHA-256 of each document. malloc'd, NUL-terminated. */
char *asice_manifest(const struct asice_document *docs, size_t count);

/* The whole container in memory (malloc'd), sealed with SEAL; entry times and the
 * signing time are DATE. NULL, with a problem in PROBLEMS, on failure. */
unsigned char *asice_build(const struct asice_document *docs, size_t count, const struct seal *seal,
                           time_t date, size_t *out_len, struct dossier_problems *problems);

#endif
