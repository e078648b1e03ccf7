/* What a scan check knows: the dossiers sent (their page maps) and the pages that
 * came back, identified and measured. Filled by src/api/scan.c, reported by
 * scanreport.c. */
#ifndef DOSSIER_SCAN_H
#define DOSSIER_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "ink.h"
#include "locate.h"
#include "reference.h"
#include "../package/codekey.h"
#include "../render/pagemap.h"

struct scan_box {
    bool measured;
    struct ink_result ink;
};

/* A page of a sent dossier, and the scanned page found for it. */
struct expected_page {
    int found;                  /* scanned pages carrying its code */
    int seen;                   /* index in scan.seen of the first, -1 if none */
    struct scan_box boxes[16];
};

struct sent_dossier {
    char *path;                 /* the container */
    struct pagemap map;
    unsigned char *pdf;         /* the sealed PDF (the reference) */
    size_t pdf_len;
    struct reference_pdf *reference;
    struct code_key key;        /* from the page map; key NULL for unsigned codes */
    struct expected_page *pages;    /* one per map.pages */
    bool chain_checked;         /* its seal's chain was checked against a CA */
    bool pinned;                /* its seal is the certificate the operator pinned */
};

enum seen_status {
    SEEN_OK,                    /* a page of a sent dossier */
    SEEN_DUPLICATE,             /* ... already seen */
    SEEN_FOREIGN,               /* a page of a dossier not given */
    SEEN_OTHER_EDITION,         /* the same request, another build of its dossier */
    SEEN_FORGED,                /* a code whose signature does not hold */
    SEEN_UNREADABLE,            /* no code read */
};

/* A scanned page. */
struct seen_page {
    char *file;
    int index;                  /* in its file, from 1 */
    enum seen_status status;
    char code[TRACK_CODE_MAX];  /* what was read, "" if nothing */
    int dossier, page;          /* SEEN_OK / SEEN_DUPLICATE: which sent page */
    struct affine map;          /* page points to scan pixels */
    int scan_w, scan_h;         /* the page as measured */
    unsigned char *thumb_png;   /* DOSSIER_SCAN_THUMBNAILS: a PNG, boxes outlined */
    size_t thumb_len;
};

struct scan_state {
    struct sent_dossier *dossiers;
    size_t dossier_count, dossier_cap;
    struct seen_page *seen;
    size_t seen_count, seen_cap;
    bool thumbnails;
    double seconds;             /* spent reading and checking the scans */
};

bool scan_complete(const struct scan_state *s);
/* Reports, malloc'd. */
char *scan_report_text(const struct scan_state *s);
char *scan_report_json(const struct scan_state *s);
char *scan_report_html(const struct scan_state *s);

/* French: "formulaire d'abonnement", from a document code. */
const char *scan_document_name(const char *code);

#endif
