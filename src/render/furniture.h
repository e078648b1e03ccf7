/* Page furniture: what every page of a document shows around its content — the
 * authority's header, the footer with the document's name, "page i / n" and the QR
 * tracking code, and the initialling boxes (paraphes) of the signatories. */
#ifndef DOSSIER_FURNITURE_H
#define DOSSIER_FURNITURE_H

#include "layout.h"

struct code_key;

struct doc_frame {
    const char *authority;      /* header, left */
    const char *authority_line; /* header, second line; may be NULL */
    const char *numero;         /* request number */
    const char *code;           /* tracking code of the document: BOR, FOR, ... */
    const char *name;           /* "Formulaire d'abonnement" */
    const char *header_note;    /* right of the header (e.g. the CGU version), or NULL */
    const char *paraphe_word;   /* "Paraphe", the boxes' heading */
    const char *paraphes[2];    /* the role each box is for ("délégataire"), NULL = none */
    const char *paraphe_people[2];  /* who initials each box (printed), and their role key */
    const char *paraphe_roles[2];
    /* Signed tracking codes (DSR2) when CODE_KEY is set: the dossier's date
     * (AAAAMMJJ) and the organisation's SIREN go into each page's code. */
    const struct code_key *code_key;
    const char *code_date;
    const char *siren;
    struct page_furniture furniture;    /* draws this frame: pass it to the layout */
};

/* Makes FRAME's furniture draw FRAME. */
void frame_bind(struct doc_frame *frame);

#endif
