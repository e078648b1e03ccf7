/* The page map of a paper dossier: for every page of its PDF, the tracking code and
 * where its QR code is, and every box a person fills by hand (paraphe, signature,
 * "certifié conforme"). Written into the sealed container when the dossier is built
 * (mise-en-page-N.xml, covered by the seal), read back by check-scan: a returned
 * dossier is checked against what was sent, not against a new build. */
#ifndef DOSSIER_PAGEMAP_H
#define DOSSIER_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"

struct code_key;
struct dossier_problems;

#define PAGEMAP_NS "urn:dossier:mise-en-page:1"
/* Name of the page map of request NUMERO in the container. */
#define PAGEMAP_NAME_FORMAT "mise-en-page-%s.xml"

/* The page map of L's pages (malloc'd XML, *LEN bytes). KEY: the public key of the
 * signed codes, recorded so that a check needs the container alone; may be NULL. */
char *pagemap_write(const struct layout *l, const char *numero, const char *pdf_name,
                    const struct code_key *key, size_t *len);

struct pagemap_box {
    enum mark_kind kind;
    char *person, *role;
    float x, y, w, h;           /* points, origin at the page's lower left corner */
};

struct pagemap_page {
    char *document;             /* BOR, FOR, ... */
    int index, count;           /* page INDEX of COUNT in the document */
    char *code;                 /* the QR code's text */
    float qr_x, qr_y, qr_side;  /* the QR code's modules, quiet zone excluded */
    int qr_modules;
    float width, height;
    struct pagemap_box *boxes;
    size_t box_count;
};

struct pagemap {
    char *numero;
    char *pdf;                  /* the PDF's name in the container */
    bool has_key;
    unsigned char pub[32];      /* Ed25519 public key of the codes */
    struct pagemap_page *pages;
    size_t count;
};

/* Parses a page map; false with a "scan.pagemap" problem naming NAME on any error. */
bool pagemap_read(const char *xml, size_t len, const char *name, struct pagemap *out,
                  struct dossier_problems *problems);
void pagemap_release(struct pagemap *map);

/* "paraphe", "signature", "certifie". */
const char *mark_kind_name(enum mark_kind kind);

#endif
