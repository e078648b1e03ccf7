/* Placeholders {name} in the templates' texts, filled with values. */
#ifndef DOSSIER_FILL_H
#define DOSSIER_FILL_H

#include <stddef.h>

struct arena;

struct fill {
    const char *name;
    const char *value;
};

/* TEXT with each placeholder {name} of VARS replaced by its value (in ARENA); unknown
 * ones are kept as is, and values are not filled again. */
char *tx_fill(struct arena *arena, const char *text, const struct fill *vars, size_t count);

#endif
