/* dossier_verify and dossier_track: sealed containers and tracking codes. */
#include "api.h"
#include "../package/verify.h"
#include "../render/track.h"
#include "../util/fileio.h"

#include <ctype.h>
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
    /* libcrypto would open a named pipe given as the CA file and wait for ever. */
    if (ca_file && !file_is_regular(ca_file)) {
        diag_add(r.problems, "ca.unreadable", NULL, (struct source_loc){ ca_file, 0, NULL },
                 "certificats de confiance illisibles (%s)", file_error(errno));
        if (info)
            memset(info, 0, sizeof *info);
        diag_list_release(&scratch);
        return DOSSIER_ERROR;
    }
    verify_container(data, size, ctx->manifest_schema, ca_file, &r);
    /* Who sealed: the operator's pin, when there is one, is the only seal that passes. */
    if (ctx->pin_sha256 && *r.signer_sha256 && strcmp(ctx->pin_sha256, r.signer_sha256) != 0) {
        diag_add(r.problems, "signature.pin", NULL, (struct source_loc){ name, 0, NULL },
                 "cachet d'un autre certificat que celui attendu : empreinte SHA-256 %s, attendue %s", r.signer_sha256,
                 ctx->pin_sha256);
        r.count++;
    }
    /* The subject as verify prints it, or in RFC 2253 form as openssl prints it with
     * -nameopt RFC2253: the same name either way. */
    if (ctx->pin_subject && *r.signer && strcmp(ctx->pin_subject, r.signer) != 0 &&
        strcmp(ctx->pin_subject, r.signer_rfc2253) != 0) {
        diag_add(r.problems, "signature.pin", NULL, (struct source_loc){ name, 0, NULL },
                 "cachet de « %s », pas de « %s » attendu", r.signer, ctx->pin_subject);
        r.count++;
    }
    if ((ctx->pin_sha256 || ctx->pin_subject) && !*r.signer_sha256 && r.count == 0) {
        diag_add(r.problems, "signature.pin", NULL, (struct source_loc){ name, 0, NULL },
                 "certificat du cachet introuvable : impossible de le comparer à celui attendu");
        r.count++;
    }
    if (info) {
        memset(info, 0, sizeof *info);
        info->documents = r.documents;
        memcpy(info->signer, r.signer, sizeof info->signer);
        memcpy(info->signer_sha256, r.signer_sha256, sizeof info->signer_sha256);
        memcpy(info->signer_rfc2253, r.signer_rfc2253, sizeof info->signer_rfc2253);
        memcpy(info->signing_time, r.signing_time, sizeof info->signing_time);
        info->chain_checked = r.chain_checked;
        info->pinned = (ctx->pin_sha256 || ctx->pin_subject) && r.count == 0;
        /* This machine's demo seal, or one made by the demo seal generator anywhere
         * (its exact subject): worthless either way. */
        info->demo = (*ctx->demo_sha256 && strcmp(ctx->demo_sha256, r.signer_sha256) == 0) ||
                     strstr(r.signer, "O = " SEAL_DEMO_ORG ", CN = " SEAL_DEMO_CN) != NULL;
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
                     file_error(errno));
        if (info)
            memset(info, 0, sizeof *info);
        return DOSSIER_ERROR;
    }
    dossier_status status = verify_named(ctx, data, len, path, ca_file, info, problems);
    free(data);
    return status;
}

bool pin_normalise(char *text)
{
    char *o = text;
    size_t digits = 0;
    for (const char *s = text; *s; s++) {
        if (*s == ':' || *s == ' ')
            continue;
        if (!isxdigit((unsigned char)*s))
            return false;
        *o++ = (char)tolower((unsigned char)*s);
        digits++;
    }
    *o = '\0';
    return digits == 64;
}

#define WHY(code, ...) diag_add(why, (code), NULL, (struct source_loc){ 0 }, __VA_ARGS__)

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
    /* With a key to check against, only a valid signature by that very key passes:
     * another key's is refused, and so is an unsigned code (its check value anyone can
     * compute) when the caller gave the key. The demo key found by default does not
     * make unsigned codes of a real seal's dossiers unreadable. */
    if (ok && key && !code.is_signed && ctx->code_pub_given) {
        WHY("track.unsigned", "code non signé (%s) : sa clé de contrôle se calcule sans secret, il ne prouve rien "
                              "là où une signature est attendue", code.format);
        ok = false;
    } else if (ok && key && code.is_signed && strcmp(code.key_id, key->id) != 0) {
        WHY("track.unknown_key", "clé inconnue : code signé par la clé %s, pas par la clé des codes %s%s", code.key_id,
            key->id, key->demo ? " (de démonstration)" : "");
        ok = false;
    } else if (ok && key && code.is_signed && !(authentic = track_code_verify(&code, key))) {
        WHY("track.signature", "signature invalide : code modifié ou contrefait");
        ok = false;
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
