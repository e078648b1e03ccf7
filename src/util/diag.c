/* Diagnostics list: grows on the heap, messages live in the caller's arena. */
#include "diag.h"
#include "arena.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct dossier_problems *list, struct arena *arena)
{
    list->own = arena ? NULL : arena_new();
    list->arena = arena ? arena : list->own;
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

void diag_list_release(struct dossier_problems *list)
{
    free(list->items);
    arena_free(list->own);
    list->own = NULL;
    list->arena = NULL;
    list->items = NULL;
    list->count = list->capacity = 0;
}

void diag_append(struct dossier_problems *to, const struct dossier_problems *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const struct dossier_problem *d = &from->items[i];
        struct source_loc loc = { d->file, d->line, d->xml_path };
        diag_add(to, d->code, d->field, loc, "%s", d->message);
    }
}

void diag_add(struct dossier_problems *list, const char *code, const char *field,
              struct source_loc loc, const char *format, ...)
{
    if (!list)
        return;     /* the caller does not want to know */
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        struct dossier_problem *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            abort();
        list->items = items;
        list->capacity = cap;
    }
    va_list ap;
    va_start(ap, format);
    char buf[1024];
    vsnprintf(buf, sizeof buf, format, ap);
    va_end(ap);
    /* A long quoted value is cut to fit (here or by the caller's own buffer): drop a
     * character left incomplete at the end so messages and reports stay UTF-8. */
    size_t len = strlen(buf), start = len;
    while (start > 0 && len - start < 4 && ((unsigned char)buf[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && (unsigned char)buf[start - 1] >= 0xC0) {
        const char *p = buf + start - 1;
        if (utf8_next(&p, buf + len) < 0)
            buf[start - 1] = '\0';
    }
    struct dossier_problem *d = &list->items[list->count++];
    /* Codes are literals almost everywhere, but a copied problem's may not be. */
    d->code = arena_strdup(list->arena, code);
    d->field = field ? arena_strdup(list->arena, field) : NULL;
    d->file = loc.file ? arena_strdup(list->arena, loc.file) : NULL;
    d->line = loc.line;
    d->xml_path = loc.xml_path ? arena_strdup(list->arena, loc.xml_path) : NULL;
    d->message = arena_strdup(list->arena, buf);
}

bool diag_report(const struct diag_target *t, const char *code, const char *format, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(msg, sizeof msg, format, ap);
    va_end(ap);
    if (t->value)
        diag_add(t->list, code, t->field, t->loc, "« %s » : %s", t->value, msg);
    else
        diag_add(t->list, code, t->field, t->loc, "%s", msg);
    return false;
}

char *diag_format(struct arena *arena, const struct dossier_problem *d)
{
    /* A problem of no file (a seal, a code typed in) reads as its message alone. */
    char where[64] = "";
    if (d->file && d->line > 0)
        snprintf(where, sizeof where, ":%d", d->line);
    return arena_printf(arena, "%s%s%s%s%s%s%s%s", d->file ? d->file : "", where, d->file ? ": " : "",
                        d->xml_path ? d->xml_path : "",
                        d->xml_path ? ": " : "",
                        d->field ? d->field : "",
                        d->field ? ": " : "",
                        d->message);
}
