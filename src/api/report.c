/* dossier_report and dossier_result_save: what a batch leaves in its output folder. */
#include "api.h"
#include "../batch/report.h"
#include "../util/arena.h"
#include "../util/fileio.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

dossier_status dossier_result_save(const dossier_result *res, const char *dir, dossier_record *record)
{
    struct request *r = record->request;
    char path[4096];
    for (size_t i = 0; i < dossier_result_count(res); i++) {
        const dossier_file *f = dossier_result_file(res, i);
        snprintf(path, sizeof path, "%s/%s", dir, f->name);
        if (file_write_atomic(path, f->data, f->size))
            continue;
        diag_add(&r->problems, "output.write", NULL, request_record_loc(r), "écriture de %s impossible (%s)", path,
                 strerror(errno));
        /* What this record already wrote goes too: a failure leaves nothing behind. */
        for (size_t k = 0; k < i; k++) {
            snprintf(path, sizeof path, "%s/%s", dir, dossier_result_file(res, k)->name);
            unlink(path);
        }
        return DOSSIER_ERROR;
    }
    return DOSSIER_OK;
}

struct report_row {
    size_t position;
    struct record_result row;
};

struct dossier_report {
    pthread_mutex_t lock;           /* rows are added by every worker */
    struct arena *arena;            /* the rows' copies */
    const dossier_ctx *ctx;
    const char *dir;
    struct report_meta meta;
    struct report_row *rows;
    size_t count, capacity;
};

dossier_report *dossier_report_new(const dossier_ctx *ctx, const char *dir, bool validate_only)
{
    struct arena *a = arena_new();
    dossier_report *rep = arena_alloc(a, sizeof *rep);
    rep->arena = a;
    pthread_mutex_init(&rep->lock, NULL);
    rep->ctx = ctx;
    rep->dir = arena_strdup(a, dir);
    time_t date = ctx->date_set ? ctx->date : time(NULL);
    struct tm tm;
    gmtime_r(&date, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *seal = dossier_seal_subject(ctx);
    rep->meta = (struct report_meta){
        "dossier " DOSSIER_VERSION_TEXT, arena_strdup(a, when), seal ? arena_strdup(a, seal) : NULL,
        dossier_seal_is_demo(ctx), validate_only,
    };
    return rep;
}

void dossier_report_add(dossier_report *rep, size_t position, const dossier_record *record,
                        const dossier_result *res)
{
    pthread_mutex_lock(&rep->lock);
    if (rep->count == rep->capacity) {
        rep->capacity = rep->capacity ? rep->capacity * 2 : 64;
        rep->rows = realloc(rep->rows, rep->capacity * sizeof *rep->rows);
        if (!rep->rows)
            abort();
    }
    struct arena *a = rep->arena;
    const struct request *r = record->request;
    struct dossier_problems *problems = arena_alloc(a, sizeof *problems);
    diag_list_init(problems, a);
    diag_append(problems, &r->problems);
    bool accepted = r->problems.count == 0 && (rep->meta.validate_only || res);
    struct report_row *slot = &rep->rows[rep->count++];
    slot->position = position;
    struct record_result *row = &slot->row;
    *row = (struct record_result){
        .numero = arena_strdup(a, request_get(r, F_NUMERO)),
        .file = arena_strdup(a, r->file),
        .line = r->line,
        .accepted = accepted,
        .problems = problems,
    };
    if (accepted)
        row->flow = res ? dossier_result_flow(res) : dossier_record_flow(rep->ctx, record);
    if (!accepted || !res) {
        pthread_mutex_unlock(&rep->lock);
        return;
    }
    row->pages = dossier_result_pages(res);
    row->documents = dossier_result_documents(res);
    for (size_t i = 0; i < dossier_result_count(res) && i < RECORD_MAX_FILES; i++) {
        const dossier_file *f = dossier_result_file(res, i);
        struct output_file *o = &row->files[row->file_count++];
        o->name = arena_strdup(a, f->name);
        memcpy(o->sha256, f->sha256, sizeof o->sha256);
        o->bytes = f->size;
    }
    pthread_mutex_unlock(&rep->lock);
}

static int by_position(const void *a, const void *b)
{
    const struct report_row *x = a, *y = b;
    return x->position < y->position ? -1 : x->position > y->position;
}

dossier_status dossier_report_write(dossier_report *rep, dossier_problems *problems)
{
    qsort(rep->rows, rep->count, sizeof *rep->rows, by_position);
    struct record_result *rows = malloc((rep->count + 1) * sizeof *rows);
    if (!rows)
        abort();
    for (size_t i = 0; i < rep->count; i++)
        rows[i] = rep->rows[i].row;
    bool ok = report_write(rep->dir, &rep->meta, rows, rep->count);
    free(rows);
    if (ok)
        return DOSSIER_OK;
    diag_add(problems, "output.report", NULL, (struct source_loc){ rep->dir, 0, NULL },
             "écriture du rapport impossible (%s)", strerror(errno));
    return DOSSIER_ERROR;
}

void dossier_report_free(dossier_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->count; i++)
        diag_list_release((struct dossier_problems *)rep->rows[i].row.problems);
    free(rep->rows);
    pthread_mutex_destroy(&rep->lock);
    arena_free(rep->arena);
}
