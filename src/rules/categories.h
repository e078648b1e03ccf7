/* INSEE's catégories juridiques (templates/categories.xml): the label INSEE gives each
 * 4-digit code, printed beside the name of the pieces rule that applies. */
#ifndef DOSSIER_CATEGORIES_H
#define DOSSIER_CATEGORIES_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

struct arena;

struct category {
    const char *code;       /* 4 digits */
    const char *label;      /* INSEE's */
};

struct categories {
    struct category *items;
    size_t count;
};

/* Reads DIR/categories.xml (strings in ARENA): 4-digit codes, each once, each with a
 * label; problems to DIAGS. */
bool categories_load(struct categories *c, struct arena *arena, const char *dir, struct dossier_problems *diags);

/* INSEE's label of CODE, or NULL when INSEE has no such category. */
const char *categories_label(const struct categories *c, const char *code);

/* True when some category's code starts with PREFIX (1, 2 or 4 digits). */
bool categories_have_prefix(const struct categories *c, const char *prefix);

#endif
