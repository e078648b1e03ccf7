/* Rendering a dossier from its plan: the documents of SPEC section 3 as PDF files in
 * memory. Knows nothing of the request the plan came from. */
#ifndef DOSSIER_RENDER_H
#define DOSSIER_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "texts.h"
#include "../rules/plan.h"

struct rendered_file {
    const char *name;           /* dossier-N.pdf, formulaire-N.pdf, ... (the plan's) */
    unsigned char *data;        /* malloc'd */
    size_t len;
    int pages;
    int documents;              /* documents it holds (bordereau, formulaire, ...) */
};

struct rendered {
    struct rendered_file files[DOC_KIND_COUNT];
    size_t count;
    int pages;
    int documents;
};

struct render_setup {
    const struct render_templates *texts;
    const char *fonts_dir;
    const char *creator;        /* "dossier 1.0.0" */
    const struct code_key *code_key;    /* signs the pages' codes; NULL: unsigned codes */
    struct flate_cache *cache;  /* page bodies deflated once per context; may be NULL */
};

/* The PDF files of PLAN (paper flow: one print-ready file; dematerialised: one per
 * document). False, with the problems in PROBLEMS, when a document cannot be made. */
bool render_dossier(const struct render_setup *setup, const struct plan *plan, struct rendered *out,
                    struct dossier_problems *problems);

/* Every document of PLAN in one PDF named NAME, in print order. */
bool render_print(const struct render_setup *setup, const struct plan *plan, const char *name,
                  struct rendered_file *out, struct dossier_problems *problems);

void rendered_release(struct rendered *out);

#endif
