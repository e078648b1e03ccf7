/* dossier_verify and dossier_track: sealed containers and tracking codes. */
#include "api.h"
#include "../package/verify.h"
#include "../render/track.h"
#include "../util/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dossier_status verify_named(const dossier_ctx *ctx, const void *data, size_t size, const char *name,
                                   const char *ca_file, dossier_verify_info *info, dossier_problems *problems)
{
    dossier_problems scratch;
    diag_list_init(&scratch, NULL);
    struct verify_result r = { .problems = problems ? problems : &scratch, .file = name };
    if (!ctx->manifest_schema) {
        diag_add(r.problems, "context.verify", NULL, (struct source_loc){ name, 0, NULL },
                 "contexte ouvert sans le schéma des manifestes (DOSSIER_OPEN_VERIFY)");
        diag_list_release(&scratch);
        return DOSSIER_ERROR;
    }
    verify_container(data, size, ctx->manifest_schema, ca_file, &r);
    if (info) {
        memset(info, 0, sizeof *info);
        info->documents = r.documents;
        memcpy(info->signer, r.signer, sizeof info->signer);
        memcpy(info->signing_time, r.signing_time, sizeof info->signing_time);
        info->chain_checked = r.chain_checked;
        info->demo = strstr(r.signer, "DEMO") != NULL;
    }
    diag_list_release(&scratch);
    return r.count ? DOSSIER_REJECTED : DOSSIER_OK;
}

dossier_status dossier_verify(const dossier_ctx *ctx, const void *data, size_t size, const char *ca_file,
                              dossier_verify_info *info, dossier_problems *problems)
{
    return verify_named(ctx, data, size, NULL, ca_file, info, problems);
}

dossier_status dossier_verify_file(const dossier_ctx *ctx, const char *path, const char *ca_file,
                                   dossier_verify_info *info, dossier_problems *problems)
{
    size_t len;
    unsigned char *data = (unsigned char *)file_read_all(path, VERIFY_MAX_BYTES, &len);
    if (!data) {
        if (problems)
            diag_add(problems, "container.unreadable", NULL, (struct source_loc){ path, 0, NULL }, "illisible (%s)",
                     errno == EFBIG ? "fichier trop volumineux" : strerror(errno));
        if (info)
            memset(info, 0, sizeof *info);
        return DOSSIER_ERROR;
    }
    dossier_status status = verify_named(ctx, data, len, path, ca_file, info, problems);
    free(data);
    return status;
}

dossier_status dossier_track(const dossier_ctx *ctx, const char *text, dossier_track_info *info,
                             dossier_problems *problems)
{
    dossier_problems scratch;
    diag_list_init(&scratch, NULL);
    dossier_problems *why = problems ? problems : &scratch;
    struct track_code code;
    bool ok = track_code_parse(text ? text : "", &code, why);
    const struct code_key *key = ctx && ctx->code_pub.key ? &ctx->code_pub : NULL;
    bool authentic = false;
    if (ok && code.is_signed && key) {
        if (strcmp(code.key_id, key->id) != 0) {
            /* Another key than the one given: not ours to vouch for. The demo key
             * found by default does not refuse codes signed by a real key. */
            if (ctx->code_pub_given) {
                diag_add(why, "track.key", NULL, (struct source_loc){ 0 },
                         "code signé par la clé %s, pas par la clé publique fournie (%s)", code.key_id, key->id);
                ok = false;
            }
        } else if (!(authentic = track_code_verify(&code, key))) {
            diag_add(why, "track.signature", NULL, (struct source_loc){ 0 },
                     "signature invalide : code modifié ou contrefait");
            ok = false;
        }
    }
    diag_list_release(&scratch);
    if (info) {
        memset(info, 0, sizeof *info);
        if (ok) {
            memcpy(info->format, code.format, sizeof info->format);
            memcpy(info->numero, code.numero, sizeof info->numero);
            memcpy(info->document, code.document, sizeof info->document);
            info->document_name = track_document_name(code.document);
            info->page = code.page;
            info->pages = code.pages;
            info->is_signed = code.is_signed;
            if (code.is_signed) {
                snprintf(info->date, sizeof info->date, "%.4s-%.2s-%.2s", code.date, code.date + 4, code.date + 6);
                memcpy(info->siren, code.siren, sizeof info->siren);
                memcpy(info->key_id, code.key_id, sizeof info->key_id);
                info->authentic = authentic;
                info->demo_key = authentic && key->demo;
            }
        }
    }
    return ok ? DOSSIER_OK : DOSSIER_REJECTED;
}
