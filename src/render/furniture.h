/* Page furniture: what every page of a document shows around its content — the
 * authority's header, the footer with the document's name, "page i / n" and the QR
 * tracking code, and the initialling boxes (paraphes) of the signatories. */
#ifndef DOSSIER_FURNITURE_H
#define DOSSIER_FURNITURE_H

#include "layout.h"

struct doc_frame {
    const char *authority;      /* header, left */
    const char *authority_line; /* header, second line; may be NULL */
    const char *numero;         /* request number */
    const char *code;           /* tracking code of the document: BOR, FOR, ... */
    const char *name;           /* "Formulaire d'abonnement" */
    const char *header_note;    /* right of the header (e.g. the CGU version), or NULL */
    const char *paraphes[2];    /* labels of the initialling boxes, NULL = none */
    struct page_furniture furniture;    /* draws this frame: pass it to the layout */
};

/* Makes FRAME's furniture draw FRAME. */
void frame_bind(struct doc_frame *frame);

#endif
