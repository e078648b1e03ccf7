/* Tracking codes: the text behind each page's QR code. */
#include "track.h"
#include "../package/codekey.h"
#include "../util/diag.h"

#include <ctype.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const struct {
    const char *code;
    const char *name;
} documents[] = {
    { "BOR", "bordereau d'envoi" },
    { "FOR", "formulaire d'abonnement" },
    { "CGU", "conditions générales d'utilisation" },
    { "LPJ", "liste des pièces justificatives" },
    { "PJ", "pièces jointes" },
};

const char *track_document_name(const char *code)
{
    for (size_t i = 0; i < sizeof documents / sizeof *documents; i++)
        if (strcmp(documents[i].code, code) == 0)
            return documents[i].name;
    return NULL;
}

static unsigned long crc_of(const char *text, size_t len)
{
    return crc32(0L, (const Bytef *)text, (uInt)len);
}

void track_code_format(char *out, size_t size, const char *numero, const char *document,
                       int page, int pages)
{
    int n = snprintf(out, size, "%s:%s:%s:%d/%d", TRACK_FORMAT, numero, document, page, pages);
    if (n < 0 || (size_t)n >= size)
        return;
    snprintf(out + n, size - (size_t)n, ":%08lX", crc_of(out, (size_t)n));
}

/* SIG as TRACK_SIGNATURE_DIGITS decimal digits into OUT. */
static bool signature_to_digits(const unsigned char sig[64], char *out)
{
    BIGNUM *bn = BN_bin2bn(sig, 64, NULL);
    char *dec = bn ? BN_bn2dec(bn) : NULL;
    BN_free(bn);
    if (!dec)
        return false;
    size_t len = strlen(dec);
    bool ok = len <= TRACK_SIGNATURE_DIGITS;
    if (ok) {
        memset(out, '0', TRACK_SIGNATURE_DIGITS - len);
        memcpy(out + TRACK_SIGNATURE_DIGITS - len, dec, len + 1);
    }
    OPENSSL_free(dec);
    return ok;
}

static bool digits_to_signature(const char *digits, unsigned char sig[64])
{
    BIGNUM *bn = NULL;
    bool ok = BN_dec2bn(&bn, digits) == TRACK_SIGNATURE_DIGITS && BN_bn2binpad(bn, sig, 64) == 64;
    BN_free(bn);
    return ok;
}

bool track_code_format_signed(char *out, size_t size, const char *numero, const char *document,
                              int page, int pages, const char *date, const char *siren,
                              const struct code_key *key)
{
    int n = snprintf(out, size, "%s:%s:%s:%d/%d:%s:%s:%s", TRACK_FORMAT_SIGNED, numero, document, page,
                     pages, date, siren, key->id);
    if (n < 0 || (size_t)n + 1 + TRACK_SIGNATURE_DIGITS >= size)
        return false;
    unsigned char sig[64];
    if (!codekey_sign(key, out, (size_t)n, sig))
        return false;
    out[n] = ':';
    return signature_to_digits(sig, out + n + 1);
}

/* A malformed code is a problem of no file: its code and message only. */
#define WHY(...) do { diag_add(problems, "track.invalid", NULL, (struct source_loc){ 0 }, __VA_ARGS__); return false; } while (0)

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* Splits S at colons, empty fields kept; returns the count, at most MAX (+1 when
 * there are more). */
static int split(char *s, char **parts, int max)
{
    int n = 0;
    for (;;) {
        if (n == max)
            return max + 1;
        parts[n++] = s;
        char *colon = strchr(s, ':');
        if (!colon)
            return n;
        *colon = '\0';
        s = colon + 1;
    }
}

bool track_code_parse(const char *text, struct track_code *code, struct dossier_problems *problems)
{
    memset(code, 0, sizeof *code);
    char *buf = code->text;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    while (len > 0 && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    if (len == 0 || len >= sizeof code->text)
        WHY("longueur inattendue (%zu caractères)", len);
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)toupper((unsigned char)text[i]);
    buf[len] = '\0';

    char *last = strrchr(buf, ':');
    if (!last)
        WHY("forme attendue %s:NUMERO:DOC:PAGE/PAGES:CLE", TRACK_FORMAT);
    char copy[TRACK_CODE_MAX];
    memcpy(copy, buf, len + 1);
    char *parts[8];
    int n = split(copy, parts, 8);
    bool is_signed = strcmp(parts[0], TRACK_FORMAT_SIGNED) == 0;
    if (!is_signed && strcmp(parts[0], TRACK_FORMAT) != 0)
        WHY("format « %s » inconnu (attendu %s ou %s)", parts[0], TRACK_FORMAT, TRACK_FORMAT_SIGNED);
    int want = is_signed ? 8 : 5;
    if (n != want)
        WHY("%s%d champs séparés par « : » au lieu de %d", n > want ? "plus de " : "", n > want ? want : n, want);
    size_t nl = strlen(parts[1]);
    if (nl == 0 || nl >= sizeof code->numero)
        WHY("numéro de demande de longueur invalide");
    if (!all_digits(parts[1], 1, sizeof code->numero - 1))
        WHY("numéro de demande « %s » : chiffres attendus", parts[1]);
    if (!track_document_name(parts[2]))
        WHY("code de document « %s » inconnu (BOR, FOR, CGU, LPJ, PJ)", parts[2]);
    int page, pages, used = 0;
    if (sscanf(parts[3], "%d/%d%n", &page, &pages, &used) != 2 || parts[3][used] != '\0' ||
        page < 1 || pages < page || pages > 9999)
        WHY("page « %s » invalide (forme PAGE/PAGES)", parts[3]);
    if (is_signed) {
        if (!all_digits(parts[4], 8, 8))
            WHY("date « %s » : AAAAMMJJ attendu", parts[4]);
        if (!all_digits(parts[5], 0, 14))
            WHY("SIREN « %s » : chiffres attendus", parts[5]);
        if (strlen(parts[6]) != 8 || strspn(parts[6], "0123456789ABCDEF") != 8)
            WHY("identifiant de clé « %s » : 8 chiffres hexadécimaux attendus", parts[6]);
        if (!all_digits(parts[7], TRACK_SIGNATURE_DIGITS, TRACK_SIGNATURE_DIGITS) ||
            !digits_to_signature(parts[7], code->signature))
            WHY("signature illisible : %d chiffres attendus", TRACK_SIGNATURE_DIGITS);
        memcpy(code->date, parts[4], 9);
        snprintf(code->siren, sizeof code->siren, "%s", parts[5]);
        memcpy(code->key_id, parts[6], 9);
        code->is_signed = true;
        code->signed_len = (size_t)(last - buf);
    } else {
        if (strlen(parts[4]) != 8 || strspn(parts[4], "0123456789ABCDEF") != 8)
            WHY("clé « %s » : 8 chiffres hexadécimaux attendus", parts[4]);
        unsigned long check = strtoul(parts[4], NULL, 16);
        if (check != crc_of(buf, (size_t)(last - buf)))
            WHY("clé de contrôle incorrecte : code mal recopié ou modifié");
        code->check = check;
    }
    snprintf(code->format, sizeof code->format, "%s", parts[0]);
    snprintf(code->numero, sizeof code->numero, "%s", parts[1]);
    snprintf(code->document, sizeof code->document, "%s", parts[2]);
    code->page = page;
    code->pages = pages;
    return true;
}

bool track_code_verify(const struct track_code *code, const struct code_key *key)
{
    return code->is_signed && key && key->key && strcmp(code->key_id, key->id) == 0 &&
           codekey_verify(key, code->text, code->signed_len, code->signature);
}
