/* Diagnostics: the one error model. Every problem (of a record, a template, a seal,
 * a container, a rendering) is a dossier_problem appended to a dossier_problems list,
 * for the caller to show; library code never prints. */
#ifndef DOSSIER_DIAG_H
#define DOSSIER_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include <dossier.h>

struct arena;

/* Where a value came from: a CSV line or an XML element (line and path). */
struct source_loc {
    const char *file;
    int line;
    const char *xml_path;   /* NULL for CSV */
};

struct dossier_problems {
    struct arena *arena;    /* owns the strings of the problems */
    struct arena *own;      /* ARENA when the list made it itself, else NULL */
    struct dossier_problem *items;
    size_t count;
    size_t capacity;
};

/* A list whose strings live in ARENA (NULL: the list makes its own). */
void diag_list_init(struct dossier_problems *list, struct arena *arena);
void diag_list_release(struct dossier_problems *list);
/* Appends a problem to LIST (a NULL list takes nothing). */
void diag_add(struct dossier_problems *list, const char *code, const char *field,
              struct source_loc loc, const char *format, ...)
    __attribute__((format(printf, 5, 6)));
/* Copies every problem of FROM to the end of TO. */
void diag_append(struct dossier_problems *to, const struct dossier_problems *from);

/* Where the problems about one value go: the list, the field concerned, where it
 * came from and, when not NULL, the value itself, quoted before each message
 * ("« pieces/cni.jpg » : fichier vide"). */
struct diag_target {
    struct dossier_problems *list;
    const char *field;
    struct source_loc loc;
    const char *value;
};

/* Adds a problem to TARGET; returns false, so that a failing check can end with
 * "return diag_report(...)". */
bool diag_report(const struct diag_target *target, const char *code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* "FILE:LINE: champ: message" (XML: "FILE:LINE: /path: champ: message"). */
char *diag_format(struct arena *arena, const struct dossier_problem *d);

#endif
