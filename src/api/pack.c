/* Records and results as bytes: what a worker process receives and sends back, or a
 * queue carries. Lengths are checked on the way in: a malformed pack is refused. */
#include "api.h"
#include "../util/arena.h"
#include "../util/strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_MAGIC "DRC2"
#define RESULT_MAGIC "DRS1"
#define NO_TEXT 0xFFFFFFFFu

static void put_u32(struct strbuf *sb, uint32_t v)
{
    const char b[4] = { (char)(v & 0xFF), (char)(v >> 8 & 0xFF), (char)(v >> 16 & 0xFF), (char)(v >> 24) };
    sb_append(sb, b, 4);
}

/* A string, or NULL. */
static void put_text(struct strbuf *sb, const char *text)
{
    if (!text) {
        put_u32(sb, NO_TEXT);
        return;
    }
    size_t len = strlen(text);
    put_u32(sb, (uint32_t)len);
    sb_append(sb, text, len);
}

struct unpacker {
    const unsigned char *p, *end;
    bool bad;
};

static uint32_t get_u32(struct unpacker *u)
{
    if (u->bad || u->end - u->p < 4) {
        u->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)u->p[0] | (uint32_t)u->p[1] << 8 | (uint32_t)u->p[2] << 16 | (uint32_t)u->p[3] << 24;
    u->p += 4;
    return v;
}

/* Bytes of the next string, copied into ARENA (NUL-terminated), or NULL. */
static char *get_text(struct unpacker *u, struct arena *arena, size_t *len_out)
{
    uint32_t len = get_u32(u);
    if (u->bad || len == NO_TEXT)
        return NULL;
    if ((size_t)(u->end - u->p) < len) {
        u->bad = true;
        return NULL;
    }
    char *text = arena_strndup(arena, (const char *)u->p, len);
    u->p += len;
    if (len_out)
        *len_out = len;
    return text;
}

static void put_problems(struct strbuf *sb, const struct dossier_problems *list)
{
    put_u32(sb, (uint32_t)list->count);
    for (size_t i = 0; i < list->count; i++) {
        const struct dossier_problem *d = &list->items[i];
        put_text(sb, d->code);
        put_text(sb, d->field);
        put_text(sb, d->file);
        put_u32(sb, (uint32_t)d->line);
        put_text(sb, d->xml_path);
        put_text(sb, d->message);
    }
}

static void get_problems(struct unpacker *u, struct arena *scratch, struct dossier_problems *list)
{
    uint32_t n = get_u32(u);
    for (uint32_t i = 0; i < n && !u->bad; i++) {
        const char *code = get_text(u, scratch, NULL), *field = get_text(u, scratch, NULL);
        struct source_loc loc;
        loc.file = get_text(u, scratch, NULL);
        loc.line = (int)get_u32(u);
        loc.xml_path = get_text(u, scratch, NULL);
        const char *message = get_text(u, scratch, NULL);
        if (!u->bad && code && message)
            diag_add(list, code, field, loc, "%s", message);
        else
            u->bad = true;
    }
}

dossier_status dossier_record_pack(const dossier_record *record, unsigned char **data, size_t *size)
{
    const struct request *r = record->request;
    struct strbuf sb = { 0 };
    sb_append(&sb, RECORD_MAGIC, 4);
    put_text(&sb, r->file);
    put_text(&sb, r->root);
    put_u32(&sb, (uint32_t)r->line);
    put_text(&sb, r->xml_path);
    put_u32(&sb, r->whole_file);
    uint32_t fields = 0;
    for (int f = 0; f < FIELD_COUNT; f++)
        fields += r->values[f].text != NULL;
    put_u32(&sb, fields);
    /* By name, not by index: a pack outlives a change of the field table. */
    for (int f = 0; f < FIELD_COUNT; f++) {
        const struct field_value *v = &r->values[f];
        if (!v->text)
            continue;
        put_text(&sb, field_table[f].name);
        put_text(&sb, v->text);
        put_u32(&sb, (uint32_t)v->line);
        put_text(&sb, v->xml_path);
    }
    put_problems(&sb, &r->problems);
    put_u32(&sb, (uint32_t)record->input_problems);
    for (int i = 0; i < PIECE_FIELD_COUNT; i++)
        put_text(&sb, record->piece_sha256[i][0] ? record->piece_sha256[i] : NULL);
    put_u32(&sb, (uint32_t)record->piece_count);
    for (size_t i = 0; i < record->piece_count; i++) {
        const dossier_piece *p = &record->pieces[i];
        put_text(&sb, p->code);
        put_text(&sb, p->label);
        put_text(&sb, p->who);
        put_text(&sb, p->status);
    }
    *size = sb.len;
    *data = (unsigned char *)sb_take(&sb);
    return DOSSIER_OK;
}

dossier_record *dossier_record_unpack(const dossier_ctx *ctx, const void *data, size_t size)
{
    (void)ctx;
    struct unpacker u = { data, (const unsigned char *)data + size, false };
    if (size < 4 || memcmp(data, RECORD_MAGIC, 4) != 0)
        return NULL;
    u.p += 4;
    struct arena *scratch = arena_new();
    const char *file = get_text(&u, scratch, NULL), *root = get_text(&u, scratch, NULL);
    struct request *r = request_new(file ? file : "(demande)", root ? root : ".");
    r->line = (int)get_u32(&u);
    const char *xml_path = get_text(&u, scratch, NULL);
    r->xml_path = xml_path ? arena_strdup(r->arena, xml_path) : NULL;
    r->whole_file = get_u32(&u) != 0;
    uint32_t fields = get_u32(&u);
    for (uint32_t i = 0; i < fields && !u.bad; i++) {
        const char *name = get_text(&u, scratch, NULL);
        size_t len = 0;
        const char *text = get_text(&u, scratch, &len);
        int line = (int)get_u32(&u);
        const char *path = get_text(&u, scratch, NULL);
        int f = name ? field_lookup(name) : -1;
        if (u.bad || f < 0 || !text) {
            u.bad = true;
            break;
        }
        /* Values were trimmed and composed when first set: kept exactly. */
        struct field_value *v = &r->values[f];
        v->text = arena_strndup(r->arena, text, len);
        v->line = line;
        v->xml_path = path ? arena_strdup(r->arena, path) : NULL;
    }
    get_problems(&u, scratch, &r->problems);
    dossier_record *record = record_wrap(r);
    uint32_t input_problems = get_u32(&u);
    if (input_problems > r->problems.count)
        u.bad = true;
    else
        record->input_problems = input_problems;
    for (int i = 0; i < PIECE_FIELD_COUNT && !u.bad; i++) {
        size_t len = 0;
        const char *hex = get_text(&u, scratch, &len);
        if (hex && len != 64)
            u.bad = true;
        else if (hex)
            memcpy(record->piece_sha256[i], hex, 65);
    }
    uint32_t pieces = get_u32(&u);
    if (!u.bad && pieces <= (uint32_t)(u.end - u.p) / 16) {
        record->pieces = arena_alloc(r->arena, ((size_t)pieces + 1) * sizeof *record->pieces);
        for (uint32_t i = 0; i < pieces && !u.bad; i++) {
            dossier_piece *p = &record->pieces[record->piece_count++];
            p->code = get_text(&u, r->arena, NULL);
            p->label = get_text(&u, r->arena, NULL);
            p->who = get_text(&u, r->arena, NULL);
            p->status = get_text(&u, r->arena, NULL);
            u.bad = u.bad || !p->code || !p->label || !p->who || !p->status;
        }
    } else {
        u.bad = true;
    }
    arena_free(scratch);
    if (u.bad || u.p != u.end) {
        request_free(r);
        return NULL;
    }
    return record;
}

dossier_status dossier_result_pack(const dossier_result *res, unsigned char **data, size_t *size)
{
    struct strbuf sb = { 0 };
    sb_append(&sb, RESULT_MAGIC, 4);
    put_text(&sb, dossier_result_flow(res));
    put_u32(&sb, (uint32_t)dossier_result_pages(res));
    put_u32(&sb, (uint32_t)dossier_result_documents(res));
    put_u32(&sb, (uint32_t)dossier_result_count(res));
    for (size_t i = 0; i < dossier_result_count(res); i++) {
        const dossier_file *f = dossier_result_file(res, i);
        put_text(&sb, f->name);
        put_u32(&sb, (uint32_t)(f->size >> 32));
        put_u32(&sb, (uint32_t)f->size);
        sb_append(&sb, (const char *)f->data, f->size);
    }
    *size = sb.len;
    *data = (unsigned char *)sb_take(&sb);
    return DOSSIER_OK;
}

dossier_result *dossier_result_unpack(const void *data, size_t size)
{
    struct unpacker u = { data, (const unsigned char *)data + size, false };
    if (size < 4 || memcmp(data, RESULT_MAGIC, 4) != 0)
        return NULL;
    u.p += 4;
    struct arena *scratch = arena_new();
    const char *flow = get_text(&u, scratch, NULL);
    int pages = (int)get_u32(&u), documents = (int)get_u32(&u);
    uint32_t count = get_u32(&u);
    dossier_result *res = result_new(flow && strcmp(flow, "papier") == 0);
    for (uint32_t i = 0; i < count && !u.bad; i++) {
        const char *name = get_text(&u, scratch, NULL);
        uint64_t len = (uint64_t)get_u32(&u) << 32;
        len |= get_u32(&u);
        if (u.bad || !name || len > (uint64_t)(u.end - u.p) || i >= RESULT_MAX_FILES) {
            u.bad = true;
            break;
        }
        unsigned char *bytes = malloc(len ? len : 1);
        if (!bytes)
            abort();
        memcpy(bytes, u.p, len);
        u.p += len;
        result_add(res, name, bytes, len);
    }
    arena_free(scratch);
    if (u.bad || u.p != u.end) {
        dossier_result_free(res);
        return NULL;
    }
    result_set_counts(res, pages, documents);
    return res;
}
