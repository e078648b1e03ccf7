/* Tracking codes: the text behind each page's QR code. */
#include "track.h"
#include "../util/diag.h"

#include <ctype.h>
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

/* A malformed code is a problem of no file: its code and message only. */
#define WHY(...) do { diag_add(problems, "track.invalid", NULL, (struct source_loc){ 0 }, __VA_ARGS__); return false; } while (0)

bool track_code_parse(const char *text, struct track_code *code, struct dossier_problems *problems)
{
    char buf[96];
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    while (len > 0 && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    if (len == 0 || len >= sizeof buf)
        WHY("longueur inattendue (%zu caractères)", len);
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)toupper((unsigned char)text[i]);
    buf[len] = '\0';
    memset(code, 0, sizeof *code);

    char *last = strrchr(buf, ':');
    if (!last)
        WHY("forme attendue %s:NUMERO:DOC:PAGE/PAGES:CLE", TRACK_FORMAT);
    char *parts[5];
    int n = 0;
    char copy[96];
    memcpy(copy, buf, len + 1);
    for (char *save = NULL, *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
        if (n == 5)
            WHY("trop de champs séparés par « : » (5 attendus)");
        parts[n++] = tok;
    }
    if (n != 5)
        WHY("%d champs au lieu de 5 (%s:NUMERO:DOC:PAGE/PAGES:CLE)", n, TRACK_FORMAT);
    if (strcmp(parts[0], TRACK_FORMAT) != 0)
        WHY("format « %s » inconnu (attendu %s)", parts[0], TRACK_FORMAT);
    size_t nl = strlen(parts[1]);
    if (nl == 0 || nl >= sizeof code->numero)
        WHY("numéro de demande de longueur invalide");
    for (size_t i = 0; i < nl; i++)
        if (!isdigit((unsigned char)parts[1][i]))
            WHY("numéro de demande « %s » : chiffres attendus", parts[1]);
    if (!track_document_name(parts[2]))
        WHY("code de document « %s » inconnu (BOR, FOR, CGU, LPJ, PJ)", parts[2]);
    int page, pages, used = 0;
    if (sscanf(parts[3], "%d/%d%n", &page, &pages, &used) != 2 || parts[3][used] != '\0' ||
        page < 1 || pages < page || pages > 9999)
        WHY("page « %s » invalide (forme PAGE/PAGES)", parts[3]);
    if (strlen(parts[4]) != 8 || strspn(parts[4], "0123456789ABCDEF") != 8)
        WHY("clé « %s » : 8 chiffres hexadécimaux attendus", parts[4]);
    unsigned long check = strtoul(parts[4], NULL, 16);
    if (check != crc_of(buf, (size_t)(last - buf)))
        WHY("clé de contrôle incorrecte : code mal recopié ou modifié");

    snprintf(code->format, sizeof code->format, "%s", parts[0]);
    snprintf(code->numero, sizeof code->numero, "%s", parts[1]);
    snprintf(code->document, sizeof code->document, "%s", parts[2]);
    code->page = page;
    code->pages = pages;
    code->check = check;
    return true;
}
