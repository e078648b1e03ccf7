/* dossier_ctx: everything loaded once (templates, schemas, fonts, seal) and shared,
 * read-only, by every check, build and verification. */
#include "api.h"
#include "../render/pdf.h"
#include "../util/arena.h"

#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DOSSIER_DATADIR
#define DOSSIER_DATADIR "/usr/local/share/dossier"
#endif

#define OPTIONS_VERSION 1

const char *api_default_datadir(void)
{
    return DOSSIER_DATADIR;
}

void dossier_options_init(dossier_options *o)
{
    memset(o, 0, sizeof *o);
    o->version = OPTIONS_VERSION;
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The demo seal is per user unless told otherwise: a shared system folder would
 * need root, and the checkout's build folder may be gone. */
static const char *default_demo_dir(struct arena *a)
{
    if (env("DOSSIER_DEMO_DIR"))
        return arena_strdup(a, env("DOSSIER_DEMO_DIR"));
    if (env("XDG_DATA_HOME"))
        return arena_printf(a, "%s/dossier/demo-seal", env("XDG_DATA_HOME"));
    return arena_printf(a, "%s/.local/share/dossier/demo-seal", env("HOME") ? env("HOME") : ".");
}

static void config_problem(dossier_problems *problems, const char *code, const char *message, const char *dir)
{
    diag_add(problems, code, NULL, (struct source_loc){ 0 }, message, dir);
}

dossier_status dossier_open(const dossier_options *o, dossier_ctx **out, dossier_problems *problems)
{
    *out = NULL;
    dossier_problems scratch_list;
    if (!problems) {
        diag_list_init(&scratch_list, NULL);
        problems = &scratch_list;
    }
    struct arena *a = arena_new();
    dossier_ctx *ctx = arena_alloc(a, sizeof *ctx);
    ctx->arena = a;
    unsigned open = o->open ? o->open : DOSSIER_OPEN_CHECK | DOSSIER_OPEN_BUILD | DOSSIER_OPEN_VERIFY | DOSSIER_OPEN_CODES;
    if (open & DOSSIER_OPEN_BUILD)
        open |= DOSSIER_OPEN_CHECK;
    ctx->open = open;
    const char *datadir = o->datadir ? o->datadir : env("DOSSIER_DATADIR") ? env("DOSSIER_DATADIR") : DOSSIER_DATADIR;
    ctx->templates_dir = o->templates_dir ? arena_strdup(a, o->templates_dir) : arena_printf(a, "%s/templates", datadir);
    ctx->fonts_dir = o->fonts_dir ? arena_strdup(a, o->fonts_dir) : arena_printf(a, "%s/fonts", datadir);
    ctx->demo_dir = o->demo_dir ? arena_strdup(a, o->demo_dir) : default_demo_dir(a);
    ctx->date_set = o->date_set;
    ctx->date = o->date;
    ctx->flow = o->flow;
    ctx->output_mode = o->output_mode & 07777;
    ctx->input.ignore_unknown = o->ignore_unknown;
    ctx->input.pieces_dir = o->pieces_dir ? arena_strdup(a, o->pieces_dir) : NULL;

    /* libxml2's one-time set-up, before any thread uses it (safe to repeat). */
    xmlInitParser();
    size_t before = problems->count;
    if (open & DOSSIER_OPEN_CHECK) {
        ctx->catalogue = catalogue_load(ctx->templates_dir, problems);
        if (!ctx->catalogue)
            config_problem(problems, "template.unusable", "modèles de %s inutilisables (option --templates)",
                           ctx->templates_dir);
        const char *xsd = arena_printf(a, "%s/demande.xsd", ctx->templates_dir);
        ctx->input.schema = ctx->request_schema = xml_schema_load(xsd, problems);
    }
    if (open & DOSSIER_OPEN_VERIFY) {
        const char *xsd = arena_printf(a, "%s/asic-manifest.xsd", ctx->templates_dir);
        ctx->manifest_schema = xml_schema_load(xsd, problems);
    }
    /* The texts name the pieces of a check's report too, not only the documents. */
    if ((open & DOSSIER_OPEN_CHECK) && problems->count == before) {
        ctx->texts = render_templates_load(ctx->templates_dir, problems);
        if (!ctx->texts)
            config_problem(problems, "template.unusable",
                           "textes des documents de %s inutilisables (option --templates)", ctx->templates_dir);
    }
    if ((open & DOSSIER_OPEN_BUILD) && problems->count == before && pdf_fonts_usable(ctx->fonts_dir, problems))
        ctx->page_cache = flate_cache_new();
    if ((open & DOSSIER_OPEN_BUILD) && problems->count == before) {
        struct seal_files files = { o->seal_key, o->seal_cert, o->seal_chain, o->seal_pass_file,
                                    o->allow_open_key };
        time_t date = o->date_set ? o->date : time(NULL);
        ctx->has_seal = seal_load(&ctx->seal, &files, ctx->demo_dir, date, problems);
    }
    if ((open & DOSSIER_OPEN_BUILD) && problems->count == before) {
        if (o->code_key) {
            /* An encrypted code key takes the seal's passphrase. */
            char *pass = seal_passphrase(o->seal_pass_file, problems);
            if (pass && key_file_private(o->code_key, o->allow_open_key, "--code-key", problems))
                codekey_load_private(&ctx->code_key, o->code_key, pass, problems);
            if (pass) {
                OPENSSL_cleanse(pass, strlen(pass));
                free(pass);
            }
        } else if (!o->seal_key) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", ctx->demo_dir, CODEKEY_DEMO_PRIVATE);
            if (codekey_make_demo(ctx->demo_dir, problems) &&
                codekey_load_private(&ctx->code_key, path, NULL, problems))
                ctx->code_key.demo = true;
        }
    }
    if ((open & DOSSIER_OPEN_CODES) && problems->count == before) {
        if (o->code_pubkey) {
            codekey_load_public(&ctx->code_pub, o->code_pubkey, problems);
            ctx->code_pub_given = true;
        } else {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", ctx->demo_dir, CODEKEY_DEMO_PUBLIC);
            dossier_problems ignored;
            diag_list_init(&ignored, NULL);
            if (access(path, R_OK) == 0 && codekey_load_public(&ctx->code_pub, path, &ignored))
                ctx->code_pub.demo = true;
            diag_list_release(&ignored);
        }
    }
    bool ok = problems->count == before;
    if (problems == &scratch_list)
        diag_list_release(&scratch_list);
    if (!ok) {
        dossier_close(ctx);
        return DOSSIER_ERROR;
    }
    *out = ctx;
    return DOSSIER_OK;
}

void dossier_close(dossier_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->has_seal)
        seal_release(&ctx->seal);
    codekey_release(&ctx->code_key);
    codekey_release(&ctx->code_pub);
    if (ctx->request_schema)
        xmlSchemaFree(ctx->request_schema);
    if (ctx->manifest_schema)
        xmlSchemaFree(ctx->manifest_schema);
    render_templates_free(ctx->texts);
    flate_cache_free(ctx->page_cache);
    catalogue_free(ctx->catalogue);
    arena_free(ctx->arena);
}

const char *dossier_seal_subject(const dossier_ctx *ctx)
{
    return ctx && ctx->has_seal ? ctx->seal.subject : NULL;
}

bool dossier_seal_is_demo(const dossier_ctx *ctx)
{
    return ctx && ctx->has_seal && ctx->seal.demo;
}

const char *dossier_demo_dir(const dossier_ctx *ctx)
{
    return ctx->demo_dir;
}
