/* Rendering a whole dossier: the documents of SPEC section 3 as PDF files in memory. */
#ifndef DOSSIER_RENDER_DOSSIER_H
#define DOSSIER_RENDER_DOSSIER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "texts.h"
#include "../rules/catalogue.h"

struct request;

struct rendered_file {
    char name[64];              /* dossier-N.pdf, formulaire-N.pdf, ... */
    unsigned char *data;
    size_t len;
    int pages;
    int documents;              /* documents it holds (bordereau, formulaire, ...) */
};

#define RENDER_MAX_FILES 6

struct rendered {
    struct rendered_file files[RENDER_MAX_FILES];
    size_t count;
    int pages;
    int documents;
};

struct render_setup {
    const struct catalogue *catalogue;
    const struct render_templates *texts;
    const char *fonts_dir;
    time_t date;
    const char *creator;        /* "dossier 0.1.0" */
};

/* Renders R (accepted) for the paper flow (one print-ready PDF) or the
 * dematerialised one (one PDF per document). Problems are added to R. */
bool dossier_render(const struct render_setup *setup, struct request *r, bool paper, struct rendered *out);
void rendered_release(struct rendered *out);

#endif
