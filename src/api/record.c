/* dossier_record and dossier_reader: request records, set by hand or read from files. */
#include "api.h"
#include "../util/arena.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

dossier_record *record_wrap(struct request *r)
{
    dossier_record *record = arena_alloc(r->arena, sizeof *record);
    record->request = r;
    record->input_problems = r->problems.count;
    return record;
}

void record_invalidate(dossier_record *record)
{
    struct request *r = record->request;
    if (r->problems.count > record->input_problems)
        r->problems.count = record->input_problems;
    memset(&r->facts, 0, sizeof r->facts);
    record->checked = 0;
    record->pieces = NULL;
    record->piece_count = 0;
    memset(record->piece_sha256, 0, sizeof record->piece_sha256);
}

dossier_record *dossier_record_new(const dossier_ctx *ctx)
{
    const char *root = ctx && ctx->input.pieces_dir ? ctx->input.pieces_dir : ".";
    struct request *r = request_new("(demande)", root);
    r->line = 0;
    return record_wrap(r);
}

void dossier_record_free(dossier_record *record)
{
    if (record)
        request_free(record->request);
}

dossier_status dossier_record_set(dossier_record *record, const char *field, const char *value)
{
    struct request *r = record->request;
    /* What a check found no longer holds once a field changes. */
    if (record->checked)
        record_invalidate(record);
    int id = field ? field_lookup(field) : -1;
    if (id < 0) {
        diag_add(&r->problems, "field.unknown", field, request_record_loc(r),
                 "champ inconnu (les champs admis sont ceux du README)");
        record->input_problems = r->problems.count;
        return DOSSIER_REJECTED;
    }
    request_set(r, (enum field_id)id, value ? value : "", value ? strlen(value) : 0, 0, NULL);
    return DOSSIER_OK;
}

const char *dossier_record_get(const dossier_record *record, const char *field)
{
    int id = field ? field_lookup(field) : -1;
    return id < 0 ? NULL : request_get(record->request, (enum field_id)id);
}

void dossier_record_set_source(dossier_record *record, const char *file, int line)
{
    struct request *r = record->request;
    r->file = arena_strdup(r->arena, file ? file : "(demande)");
    r->line = line;
}

const char *dossier_record_file(const dossier_record *record)
{
    return record->request->file;
}

int dossier_record_line(const dossier_record *record)
{
    return record->request->line;
}

const dossier_problems *dossier_record_problems(const dossier_record *record)
{
    return &record->request->problems;
}

void dossier_record_add_problem(dossier_record *record, const char *code, const char *field,
                                const char *message)
{
    struct request *r = record->request;
    int id = field ? field_lookup(field) : -1;
    struct source_loc loc = id >= 0 ? request_loc(r, (enum field_id)id) : request_record_loc(r);
    diag_add(&r->problems, code, field, loc, "%s", message);
}

/* --- readers ---------------------------------------------------------------- */

struct dossier_reader {
    struct input_reader *input;
};

dossier_status dossier_reader_open(const dossier_ctx *ctx, const char *path, dossier_reader **out,
                                   dossier_problems *problems)
{
    *out = NULL;
    struct input_reader *input = input_open_file(path, &ctx->input);
    if (!input) {
        diag_add(problems, "input.unreadable", NULL, (struct source_loc){ path, 0, NULL },
                 "fichier de demandes illisible (%s)", strerror(errno));
        return DOSSIER_ERROR;
    }
    dossier_reader *reader = calloc(1, sizeof *reader);
    if (!reader)
        abort();
    reader->input = input;
    *out = reader;
    return DOSSIER_OK;
}

dossier_status dossier_reader_open_memory(const dossier_ctx *ctx, const char *name, const void *data,
                                          size_t size, dossier_reader **out)
{
    dossier_reader *reader = calloc(1, sizeof *reader);
    if (!reader)
        abort();
    reader->input = input_open_memory(name, data, size, &ctx->input);
    *out = reader;
    return DOSSIER_OK;
}

dossier_record *dossier_reader_next(dossier_reader *reader)
{
    struct request *r = input_next(reader->input);
    return r ? record_wrap(r) : NULL;
}

void dossier_reader_close(dossier_reader *reader)
{
    if (!reader)
        return;
    input_close(reader->input);
    free(reader);
}
