/* Diagnostics list: grows on the heap, messages live in the caller's arena. */
#include "diag.h"
#include "arena.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *list, struct arena *arena)
{
    list->arena = arena;
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

void diag_list_release(struct diag_list *list)
{
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}

void diag_add(struct diag_list *list, const char *code, const char *field,
              struct source_loc loc, const char *format, ...)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        struct diag *items = realloc(list->items, cap * sizeof *items);
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
    struct diag *d = &list->items[list->count++];
    d->code = code;
    d->field = field ? arena_strdup(list->arena, field) : NULL;
    d->loc.file = loc.file ? arena_strdup(list->arena, loc.file) : NULL;
    d->loc.line = loc.line;
    d->loc.xml_path = loc.xml_path ? arena_strdup(list->arena, loc.xml_path) : NULL;
    d->message = arena_strdup(list->arena, buf);
}

char *diag_format(struct arena *arena, const struct diag *d)
{
    const char *file = d->loc.file ? d->loc.file : "-";
    char where[64] = "";
    if (d->loc.line > 0)
        snprintf(where, sizeof where, ":%d", d->loc.line);
    return arena_printf(arena, "%s%s: %s%s%s%s%s", file, where,
                        d->loc.xml_path ? d->loc.xml_path : "",
                        d->loc.xml_path ? ": " : "",
                        d->field ? d->field : "",
                        d->field ? ": " : "",
                        d->message);
}
