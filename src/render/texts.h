/* Wording of the documents (textes.xml) and the CGU (cgu.xml), read once per batch. */
#ifndef DOSSIER_TEXTS_H
#define DOSSIER_TEXTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../rules/gender.h"
#include "../util/diag.h"
#include "../util/fill.h"

struct arena;

struct cgu_block {
    bool item;                  /* list item (else paragraph) */
    const char *term;           /* bold lead-in of an item, or NULL */
    const char *text;
};

struct cgu_article {
    const char *number;
    const char *title;
    struct cgu_block *blocks;
    size_t block_count;
};

struct cgu {
    const char *version;
    const char *date;           /* AAAA-MM-JJ */
    const char *date_words;     /* "15 janvier 2026" */
    const char *title;
    const char **preamble;
    size_t preamble_count;
    struct cgu_article *articles;
    size_t article_count;
};

struct text_entry {
    const char *key;
    const char *value;
};

struct render_templates {
    struct arena *arena;
    const char *dir;
    const char *version;
    struct text_entry *texts;
    size_t text_count;
    struct text_entry *sections;    /* formulaire sections: ref, title; in print order */
    size_t section_count;
    const char **commitments;
    size_t commitment_count;
    const char **steps;
    size_t step_count;
    struct text_entry *follow_up;   /* dematerialised flow: si condition ("" always), step */
    size_t follow_up_count;
    struct cgu cgu;
};

/* Reads textes.xml and cgu.xml from DIR; every key the documents use must be there.
 * NULL (problems in DIAGS) otherwise. */
struct render_templates *render_templates_load(const char *dir, struct dossier_problems *diags);
void render_templates_free(struct render_templates *t);

/* The text of KEY ("" if absent, which loading already refused). */
const char *tx(const struct render_templates *t, const char *key);
/* The form of KEY for GENDER: KEY, KEY.f or KEY.n (an epicene KEY has only itself). */
const char *tx_gendered(const struct render_templates *t, const char *key, enum gender gender);

#endif
