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

/* Dates a container can carry: a ZIP entry's DOS time runs from 1980 to 2107, and the
 * documents print four-digit years. */
#define DATE_MIN 315532800LL        /* 1980-01-01T00:00:00Z */
#define DATE_MAX 4102444799LL       /* 2099-12-31T23:59:59Z */

const char *api_default_datadir(void)
{
    return DOSSIER_DATADIR;
}

#undef dossier_options_init
void dossier_options_init_version(dossier_options *o, unsigned version, size_t size)
{
    if (version == DOSSIER_OPTIONS_VERSION && size == sizeof *o) {
        memset(o, 0, sizeof *o);
        o->version = DOSSIER_OPTIONS_VERSION;
        o->size = sizeof *o;
        return;
    }
    /* Another layout: touch no byte past what the caller says it has, and leave a
     * mark dossier_open refuses. */
    if (size >= sizeof o->version)
        o->version = 0;
}

bool api_date_in_range(time_t date)
{
    return (long long)date >= DATE_MIN && (long long)date <= DATE_MAX;
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

/* The fingerprint of DIR's demo seal certificate, to tell a demo-sealed container by
 * its certificate, not by the words of its subject; "" when there is none. */
static void demo_fingerprint(const char *dir, char out[65])
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, SEAL_DEMO_CERT);
    dossier_problems ignored;
    diag_list_init(&ignored, NULL);
    X509 *cert = pem_read_cert(path, "certificat", &ignored);
    *out = '\0';
    if (cert)
        cert_sha256_hex(cert, out);
    X509_free(cert);
    diag_list_release(&ignored);
}

static bool open_seal(dossier_ctx *ctx, const dossier_options *o, bool demo, dossier_problems *problems)
{
    if (!o->seal_key && !demo) {
        config_problem(problems, "seal.missing", "aucun cachet : indiquez la clé et le certificat du cachet "
                                                 "(--seal-key, --seal-cert)%s", "");
        return false;
    }
    struct seal_files files = { o->seal_key, o->seal_cert, o->seal_chain, o->seal_pass_file, o->allow_open_key };
    time_t date = o->date_set ? o->date : time(NULL);
    ctx->has_seal = seal_load(&ctx->seal, &files, ctx->demo_dir, date, problems);
    if (!ctx->has_seal)
        return false;
    if (o->code_key) {
        /* An encrypted code key takes the seal's passphrase. */
        char *pass = seal_passphrase(o->seal_pass_file, o->allow_open_key, problems);
        if (pass && key_file_private(o->code_key, o->allow_open_key, "--code-key", problems))
            codekey_load_private(&ctx->code_key, o->code_key, pass, problems);
        if (pass) {
            OPENSSL_cleanse(pass, strlen(pass));
            free(pass);
        }
        return ctx->code_key.key != NULL;
    }
    if (ctx->seal.demo) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", ctx->demo_dir, CODEKEY_DEMO_PRIVATE);
        if (!codekey_make_demo(ctx->demo_dir, problems) || !codekey_load_private(&ctx->code_key, path, NULL, problems))
            return false;
        ctx->code_key.demo = true;
        return true;
    }
    /* A real seal with codes anyone can compute would let a forged page pass for one
     * of the authority's: only on request. */
    if (!o->unsigned_codes) {
        config_problem(problems, "codekey.missing", "cachet réel sans clé de signature des codes de suivi : "
                       "indiquez --code-key (clé Ed25519), ou --unsigned-codes pour des codes non signés%s", "");
        return false;
    }
    return true;
}

dossier_status dossier_open(const dossier_options *o, dossier_ctx **out, dossier_problems *problems)
{
    *out = NULL;
    dossier_problems scratch_list;
    if (!problems) {
        diag_list_init(&scratch_list, NULL);
        problems = &scratch_list;
    }
    if (!o || o->version != DOSSIER_OPTIONS_VERSION || o->size != sizeof *o) {
        config_problem(problems, "options.version", "options de version inconnue : préparez-les avec "
                       "dossier_options_init() de l'en-tête dossier.h de cette version (%s)", DOSSIER_VERSION_TEXT);
        if (problems == &scratch_list)
            diag_list_release(&scratch_list);
        return DOSSIER_ERROR;
    }
    struct arena *a = arena_new();
    dossier_ctx *ctx = arena_alloc(a, sizeof *ctx);
    ctx->arena = a;
    const unsigned loads = DOSSIER_OPEN_CHECK | DOSSIER_OPEN_BUILD | DOSSIER_OPEN_VERIFY | DOSSIER_OPEN_CODES;
    bool demo = o->open & DOSSIER_OPEN_DEMO;
    unsigned open = o->open & loads ? o->open & loads : loads;
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
    ctx->pin_sha256 = o->seal_pin_sha256 ? arena_strdup(a, o->seal_pin_sha256) : NULL;
    ctx->pin_subject = o->seal_pin_subject ? arena_strdup(a, o->seal_pin_subject) : NULL;

    /* libxml2's one-time set-up, before any thread uses it (safe to repeat). */
    xmlInitParser();
    size_t before = problems->count;
    if (o->date_set && !api_date_in_range(o->date))
        config_problem(problems, "options.date", "date des dossiers hors des limites : du 1er janvier 1980 au "
                       "31 décembre 2099 (des millisecondes données pour des secondes ?)%s", "");
    if (ctx->pin_sha256 && !pin_normalise(ctx->pin_sha256))
        config_problem(problems, "options.pin", "empreinte du cachet attendue : 64 chiffres hexadécimaux (SHA-256 "
                       "du certificat, « openssl x509 -noout -fingerprint -sha256 »)%s", "");
    if (o->seal_pin_cert && problems->count == before) {
        X509 *cert = pem_read_cert(o->seal_pin_cert, "certificat du cachet attendu", problems);
        char fp[65] = "";
        if (cert)
            cert_sha256_hex(cert, fp);
        X509_free(cert);
        if (ctx->pin_sha256 && *fp && strcmp(fp, ctx->pin_sha256) != 0)
            config_problem(problems, "options.pin", "le certificat %s n'a pas l'empreinte du cachet indiquée",
                           o->seal_pin_cert);
        else if (*fp)
            ctx->pin_sha256 = arena_strdup(a, fp);
    }
    /* Every template must be a regular file, read without blocking; their digest and
     * the fonts' say what a resumed batch must compare. */
    if ((open & (DOSSIER_OPEN_CHECK | DOSSIER_OPEN_VERIFY)) && problems->count == before)
        data_digest(ctx->templates_dir, (open & DOSSIER_OPEN_BUILD) ? ctx->fonts_dir : NULL, ctx->data_digest,
                    problems);
    if ((open & DOSSIER_OPEN_CHECK) && problems->count == before) {
        ctx->catalogue = catalogue_load(ctx->templates_dir, problems);
        if (!ctx->catalogue)
            config_problem(problems, "template.unusable", "modèles de %s inutilisables (option --templates)",
                           ctx->templates_dir);
        const char *xsd = arena_printf(a, "%s/demande.xsd", ctx->templates_dir);
        ctx->input.schema = ctx->request_schema = xml_schema_load(xsd, problems);
    }
    if ((open & DOSSIER_OPEN_VERIFY) && problems->count == before) {
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
    if ((open & DOSSIER_OPEN_BUILD) && problems->count == before)
        open_seal(ctx, o, demo, problems);
    if ((open & DOSSIER_OPEN_VERIFY) && problems->count == before) {
        if (ctx->has_seal && ctx->seal.demo)
            memcpy(ctx->demo_sha256, ctx->seal.sha256, sizeof ctx->demo_sha256);
        else
            demo_fingerprint(ctx->demo_dir, ctx->demo_sha256);
    }
    if ((open & DOSSIER_OPEN_CODES) && problems->count == before) {
        if (o->code_pubkey) {
            codekey_load_public(&ctx->code_pub, o->code_pubkey, problems);
            ctx->code_pub_given = true;
        } else if (demo) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", ctx->demo_dir, CODEKEY_DEMO_PUBLIC);
            dossier_problems ignored;
            diag_list_init(&ignored, NULL);
            if (codekey_load_public(&ctx->code_pub, path, &ignored))
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
