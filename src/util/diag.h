/* Diagnostics: problems found in the input, kept as values for the caller to show. */
#ifndef DOSSIER_DIAG_H
#define DOSSIER_DIAG_H

#include <stddef.h>

struct arena;

/* Where a value came from: a CSV line or an XML element (line and path). */
struct source_loc {
    const char *file;
    int line;
    const char *xml_path;   /* NULL for CSV */
};

struct diag {
    const char *code;       /* stable, e.g. "siret.luhn" */
    const char *field;      /* CSV header / flattened XML path, or NULL */
    struct source_loc loc;
    const char *message;    /* French, for office staff */
};

struct diag_list {
    struct arena *arena;    /* owns the messages */
    struct diag *items;
    size_t count;
    size_t capacity;
};

void diag_list_init(struct diag_list *list, struct arena *arena);
void diag_list_release(struct diag_list *list);
void diag_add(struct diag_list *list, const char *code, const char *field,
              struct source_loc loc, const char *format, ...)
    __attribute__((format(printf, 5, 6)));

/* "FILE:LINE: champ: message" (XML: "FILE:LINE: /path: champ: message"). */
char *diag_format(struct arena *arena, const struct diag *d);

#endif
