/* Producing one record's outputs: render, then write them atomically. */
#include "produce.h"
#include "../package/asice.h"
#include "../render/dossier.h"
#include "../util/arena.h"
#include "../util/fileio.h"
#include "../util/sha256.h"
#include "../version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool dossier_is_paper(const struct produce_context *context, const struct request *r)
{
    if (context->flow == FLOW_PAPER)
        return true;
    if (context->flow == FLOW_DEMAT)
        return false;
    return r->facts.paper;
}

static bool write_output(const struct produce_context *c, struct request *r, struct record_result *res,
                         const char *name, const unsigned char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", c->out_dir, name);
    if (!file_write_atomic(path, data, len)) {
        diag_add(&r->problems, "output.write", NULL, request_record_loc(r),
                 "écriture de %s impossible (%s)", path, strerror(errno));
        return false;
    }
    if (res->file_count < RECORD_MAX_FILES) {
        struct output_file *f = &res->files[res->file_count++];
        f->name = arena_strdup(r->arena, name);
        f->bytes = len;
        sha256_hex(data, len, f->sha256);
    }
    return true;
}

/* Removes what this record already wrote, so that a failure leaves nothing behind. */
static void remove_outputs(const struct produce_context *c, struct record_result *res)
{
    char path[4096];
    for (size_t i = 0; i < res->file_count; i++) {
        snprintf(path, sizeof path, "%s/%s", c->out_dir, res->files[i].name);
        unlink(path);
    }
    res->file_count = 0;
}

void dossier_produce(const struct produce_context *c, struct request *r, struct record_result *res)
{
    bool paper = dossier_is_paper(c, r);
    struct render_setup setup = { c->catalogue, c->templates, c->fonts_dir, c->date, DOSSIER_VERSION_STRING };
    struct rendered docs;
    if (!dossier_render(&setup, r, paper, &docs))
        return;
    const char *numero = request_get(r, F_NUMERO);
    struct asice_document entries[RENDER_MAX_FILES];
    for (size_t i = 0; i < docs.count; i++)
        entries[i] = (struct asice_document){ docs.files[i].name, "application/pdf", docs.files[i].data, docs.files[i].len };
    char why[512];
    size_t zip_len = 0;
    unsigned char *zip = asice_build(entries, docs.count, c->seal, c->date, &zip_len, why, sizeof why);
    bool ok = zip != NULL;
    if (!zip)
        diag_add(&r->problems, "package.asice", NULL, request_record_loc(r), "%s", why);
    char name[64];
    if (ok) {
        snprintf(name, sizeof name, "%s.zip", numero);
        ok = write_output(c, r, res, name, zip, zip_len);
    }
    /* Paper flow: the same print-ready file, for direct printing. */
    if (ok && paper) {
        snprintf(name, sizeof name, "%s.pdf", numero);
        ok = write_output(c, r, res, name, docs.files[0].data, docs.files[0].len);
    }
    res->pages = docs.pages;
    res->documents = docs.documents;
    free(zip);
    rendered_release(&docs);
    if (!ok) {
        remove_outputs(c, res);
        return;
    }
    res->accepted = true;
}
