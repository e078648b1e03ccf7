/* dossier_check and dossier_build: rules, plan, rendering and packaging of one record. */
#include "api.h"
#include "../package/asice.h"
#include "../render/raster.h"
#include "../render/render.h"
#include "../rules/plan.h"
#include "../rules/validate.h"
#include "../rules/piece.h"
#include "../util/arena.h"
#include "../util/fileio.h"
#include "../util/sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dossier_status record_status(const struct request *r)
{
    return r->problems.count ? DOSSIER_REJECTED : DOSSIER_OK;
}

dossier_status dossier_check(const dossier_ctx *ctx, dossier_record *record, unsigned flags)
{
    struct request *r = record->request;
    /* A problem of the whole input file stands in for its records: nothing to check. */
    if (r->whole_file)
        return record_status(r);
    /* A check is reused only when it covered what is asked now (a check without the
     * pieces does not stand for one with them). */
    unsigned want = CHECKED | (flags & DOSSIER_CHECK_PIECES);
    if ((record->checked & want) == want)
        return record_status(r);
    /* Checked again: from the reader's problems only, not the last check's. */
    record_invalidate(record);
    record->checked = want;
    if (!ctx->catalogue) {
        diag_add(&r->problems, "context.check", NULL, request_record_loc(r),
                 "contexte ouvert sans les règles (DOSSIER_OPEN_CHECK)");
        return DOSSIER_ERROR;
    }
    request_validate(r, ctx->catalogue);
    /* Validation checked the pieces' paths and magic bytes; their contents (corrupt,
     * truncated, oversized, too many pages) are checked by decoding a thumbnail, so
     * that a check reports what a build would refuse, before anything is rendered. */
    for (int i = 0; (flags & DOSSIER_CHECK_PIECES) && i < PIECE_FIELD_COUNT; i++) {
        if (!r->facts.piece_path[i])
            continue;
        struct diag_target target = request_target(r, (enum field_id)(F_PCE_ID_TITULAIRE + i));
        raster_check_piece(r->facts.piece_path[i], r->facts.piece_type[i], &target);
    }
    if (r->problems.count == 0)
        record_list_pieces(ctx, record);
    return record_status(r);
}

static bool is_paper(const dossier_ctx *ctx, const struct request *r)
{
    if (ctx->flow == DOSSIER_FLOW_PAPER)
        return true;
    if (ctx->flow == DOSSIER_FLOW_DEMAT)
        return false;
    return r->facts.paper;
}

static const char *const status_codes[] = {
    [PIECE_JOINED] = "joint", [PIECE_MISSING] = "a_fournir", [PIECE_IF_NEEDED] = "si_necessaire",
    [PIECE_STEP] = "etape", [PIECE_APPLICANT_STEP] = "etape_demandeur",
};

static struct plan_labels labels_of(const dossier_ctx *ctx)
{
    return (struct plan_labels){ tx(ctx->texts, "pieces.id"), tx(ctx->texts, "pieces.choix") };
}

void record_list_pieces(const dossier_ctx *ctx, dossier_record *record)
{
    struct request *r = record->request;
    if (!ctx->texts)
        return;
    struct arena *scratch = arena_new();
    struct plan plan;
    const struct plan_labels labels = labels_of(ctx);
    plan_make(&plan, scratch, r, ctx->catalogue, &labels, is_paper(ctx, r), ctx->date_set ? ctx->date : 0);
    record->pieces = arena_alloc(r->arena, (plan.piece_count + 1) * sizeof *record->pieces);
    record->piece_count = plan.piece_count;
    for (size_t i = 0; i < plan.piece_count; i++) {
        const struct planned_piece *p = &plan.pieces[i];
        /* As the documents say it: "Anne-Sophie Lefèvre, représentante légale". */
        const char *who = p->whom ? arena_printf(r->arena, "%s, %s", p->whom->name,
                                                 tx_gendered(ctx->texts, role_key(p->whom->role), p->whom->gender))
                                  : plan.org.denomination;
        record->pieces[i] = (dossier_piece){ arena_strdup(r->arena, p->code), arena_strdup(r->arena, p->label),
                                             arena_strdup(r->arena, who), status_codes[p->status] };
    }
    arena_free(scratch);
}

size_t dossier_record_piece_count(const dossier_record *record)
{
    return record->piece_count;
}

const dossier_piece *dossier_record_piece(const dossier_record *record, size_t index)
{
    return index < record->piece_count ? &record->pieces[index] : NULL;
}

bool record_hash_pieces(dossier_record *record)
{
    struct request *r = record->request;
    bool ok = true;
    for (int i = 0; i < PIECE_FIELD_COUNT; i++) {
        record->piece_sha256[i][0] = '\0';
        if (!r->facts.piece_path[i])
            continue;
        size_t len;
        char *data = file_read_all(r->facts.piece_path[i], PIECE_MAX_BYTES, &len);
        if (!data) {
            struct diag_target target = request_target(r, (enum field_id)(F_PCE_ID_TITULAIRE + i));
            diag_report(&target, "piece.unreadable", "fichier illisible (%s)", file_error(errno));
            ok = false;
            continue;
        }
        sha256_hex(data, len, record->piece_sha256[i]);
        free(data);
    }
    return ok;
}

const char *dossier_record_flow(const dossier_ctx *ctx, const dossier_record *record)
{
    if (!record->checked || record->request->problems.count)
        return NULL;
    return is_paper(ctx, record->request) ? "papier" : "dematerialise";
}

/* --- results ------------------------------------------------------------------ */

struct dossier_result {
    dossier_file files[RESULT_MAX_FILES];
    char digests[RESULT_MAX_FILES][65];
    char names[RESULT_MAX_FILES][64];
    size_t count;
    int pages;
    int documents;
    const char *flow;
};

dossier_result *result_new(bool paper)
{
    dossier_result *res = calloc(1, sizeof *res);
    if (!res)
        abort();
    res->flow = paper ? "papier" : "dematerialise";
    return res;
}

void result_set_counts(dossier_result *res, int pages, int documents)
{
    res->pages = pages;
    res->documents = documents;
}

void result_add(dossier_result *res, const char *name, unsigned char *data, size_t size)
{
    size_t i = res->count++;
    snprintf(res->names[i], sizeof res->names[i], "%s", name);
    sha256_hex(data, size, res->digests[i]);
    res->files[i] = (dossier_file){ res->names[i], data, size, res->digests[i] };
}

size_t dossier_result_count(const dossier_result *res)
{
    return res->count;
}

const dossier_file *dossier_result_file(const dossier_result *res, size_t index)
{
    return index < res->count ? &res->files[index] : NULL;
}

int dossier_result_pages(const dossier_result *res)
{
    return res->pages;
}

int dossier_result_documents(const dossier_result *res)
{
    return res->documents;
}

const char *dossier_result_flow(const dossier_result *res)
{
    return res->flow;
}

void dossier_result_free(dossier_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->count; i++)
        free((void *)res->files[i].data);
    free(res);
}

/* --- building ----------------------------------------------------------------- */

static unsigned char *copy_bytes(const unsigned char *data, size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        abort();
    memcpy(copy, data, len);
    return copy;
}

/* The sealed container of the rendered files, added to RES. */
static bool package(const dossier_ctx *ctx, const struct rendered *docs, time_t date, const char *numero,
                    dossier_result *res, struct dossier_problems *problems)
{
    struct asice_document entries[DOC_KIND_COUNT];
    for (size_t i = 0; i < docs->count; i++)
        entries[i] = (struct asice_document){ docs->files[i].name, "application/pdf", docs->files[i].data,
                                              docs->files[i].len };
    size_t len = 0;
    unsigned char *zip = asice_build(entries, docs->count, &ctx->seal, date, &len, problems);
    if (!zip)
        return false;
    char name[64];
    snprintf(name, sizeof name, "%s.zip", numero);
    result_add(res, name, zip, len);
    return true;
}

dossier_status dossier_build(const dossier_ctx *ctx, dossier_record *record, unsigned outputs,
                             dossier_result **out)
{
    *out = NULL;
    struct request *r = record->request;
    dossier_status status = dossier_check(ctx, record, 0);
    if (status != DOSSIER_OK)
        return status;
    /* What the journal records of the pieces: the bytes this build is made of. */
    if (!record_hash_pieces(record))
        return DOSSIER_REJECTED;
    if (!ctx->has_seal) {
        diag_add(&r->problems, "context.build", NULL, request_record_loc(r),
                 "contexte ouvert sans les documents ni le cachet (DOSSIER_OPEN_BUILD)");
        return DOSSIER_ERROR;
    }
    if (outputs == 0)
        outputs = DOSSIER_OUTPUT_DEFAULT;
    bool paper = is_paper(ctx, r);
    bool container = outputs & DOSSIER_OUTPUT_CONTAINER;
    bool print = (outputs & DOSSIER_OUTPUT_PRINT) || (paper && (outputs & DOSSIER_OUTPUT_PRINT_PAPER));
    time_t date = ctx->date_set ? ctx->date : time(NULL);

    /* The plan and everything rendering makes go with this arena. */
    struct arena *scratch = arena_new();
    struct plan *plan = arena_alloc(scratch, sizeof *plan);
    const struct plan_labels labels = labels_of(ctx);
    plan_make(plan, scratch, r, ctx->catalogue, &labels, paper, date);
    const struct render_setup setup = { ctx->texts, ctx->fonts_dir, "dossier " DOSSIER_VERSION_TEXT,
                                        ctx->code_key.key ? &ctx->code_key : NULL, ctx->page_cache };
    const char *numero = plan->numero;
    char print_name[64];
    snprintf(print_name, sizeof print_name, "%s.pdf", numero);

    dossier_result *res = result_new(paper);
    bool ok = true;
    if (container) {
        struct rendered docs;
        ok = render_dossier(&setup, plan, &docs, &r->problems);
        if (ok) {
            ok = package(ctx, &docs, date, numero, res, &r->problems);
            res->pages = docs.pages;
            res->documents = docs.documents;
            /* Paper flow: the container's print-ready file is the print PDF. */
            if (ok && print && paper)
                result_add(res, print_name, copy_bytes(docs.files[0].data, docs.files[0].len), docs.files[0].len);
            rendered_release(&docs);
        }
    }
    if (ok && print && !(container && paper)) {
        struct rendered_file f;
        ok = render_print(&setup, plan, print_name, &f, &r->problems);
        if (ok) {
            result_add(res, print_name, f.data, f.len);
            res->pages = f.pages;
            res->documents = f.documents;
        }
    }
    arena_free(scratch);
    if (!ok) {
        dossier_result_free(res);
        return r->problems.count ? DOSSIER_REJECTED : DOSSIER_ERROR;
    }
    *out = res;
    return DOSSIER_OK;
}
