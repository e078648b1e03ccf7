/* The request record and its field table. */
#include "request.h"
#include "../util/arena.h"
#include "../util/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct field_info field_table[FIELD_COUNT] = {
#define X(id, name, kind, label) { name, kind, label },
#include "fields.def"
#undef X
};

int field_lookup(const char *name)
{
    for (int i = 0; i < FIELD_COUNT; i++)
        if (strcmp(field_table[i].name, name) == 0)
            return i;
    return -1;
}

struct request *request_new(const char *file, const char *root)
{
    struct arena *arena = arena_new();
    struct request *request = arena_alloc(arena, sizeof *request);
    request->arena = arena;
    request->file = arena_strdup(arena, file);
    request->root = arena_strdup(arena, root);
    diag_list_init(&request->problems, arena);
    return request;
}

void request_free(struct request *request)
{
    if (!request)
        return;
    diag_list_release(&request->problems);
    arena_free(request->arena);
}

const char *request_get(const struct request *request, enum field_id field)
{
    return request->values[field].text;
}

void request_set(struct request *request, enum field_id field, const char *text,
                 size_t len, int line, const char *xml_path)
{
    /* Spreadsheets pad cells: surrounding blanks are never meaningful. */
    while (len > 0 && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    struct field_value *v = &request->values[field];
    char *copy = len ? arena_strndup(request->arena, text, len) : NULL;
    if (copy)
        utf8_compose(copy);     /* decomposed accents (NFD exports) print like the rest */
    v->text = copy;
    v->line = line;
    v->xml_path = xml_path ? arena_strdup(request->arena, xml_path) : NULL;
}

struct source_loc request_loc(const struct request *request, enum field_id field)
{
    const struct field_value *v = &request->values[field];
    if (v->line > 0)
        return (struct source_loc){ request->file, v->line, v->xml_path };
    /* An absent field is reported at its record, with the path it should have. */
    return request_record_loc(request);
}

struct source_loc request_record_loc(const struct request *request)
{
    return (struct source_loc){ request->file, request->line, request->xml_path };
}

bool bool_parse(const char *text, bool *value)
{
    static const char *const yes[] = { "oui", "true", "1", "vrai", "yes" };
    static const char *const no[] = { "non", "false", "0", "faux", "no" };
    if (!text)
        return false;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *value = true;
            return true;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *value = false;
            return true;
        }
    }
    return false;
}

void request_list_push(struct request_list *list, struct request *request)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        struct request **items = realloc(list->items, cap * sizeof *items);
        if (!items)
            abort();
        list->items = items;
        list->capacity = cap;
    }
    list->items[list->count++] = request;
}

void request_list_release(struct request_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        request_free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}

struct diag_target request_target(struct request *request, enum field_id field)
{
    return (struct diag_target){ &request->problems, field_table[field].name, request_loc(request, field),
                                 request_get(request, field) };
}
