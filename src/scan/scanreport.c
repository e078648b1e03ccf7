/* What check-scan tells the bureau's staff: text, JSON, one HTML page. */
#include "scan.h"
#include "../util/strbuf.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *scan_document_name(const char *code)
{
    const char *name = track_document_name(code ? code : "");
    return name ? name : "document inconnu";
}

static const char *role_name(const char *role)
{
    if (strcmp(role, "titulaire") == 0)
        return "titulaire";
    if (strcmp(role, "responsable") == 0)
        return "responsable du certificat";
    if (strcmp(role, "rl") == 0)
        return "représentant légal";
    if (strcmp(role, "delegataire") == 0)
        return "délégataire";
    return role;
}

static const char *kind_missing(enum mark_kind kind)
{
    switch (kind) {
    case MARK_PARAPHE: return "paraphe manquant";
    case MARK_SIGNATURE: return "signature manquante";
    default: return "« certifié conforme » non signé";
    }
}

static bool dossier_complete(const struct sent_dossier *d)
{
    for (size_t p = 0; p < d->map.count; p++) {
        if (!d->pages[p].found)
            return false;
        for (size_t b = 0; b < d->map.pages[p].box_count; b++)
            if (!d->pages[p].boxes[b].ink.filled)
                return false;
    }
    return true;
}

bool scan_complete(const struct scan_state *s)
{
    for (size_t d = 0; d < s->dossier_count; d++)
        if (!dossier_complete(&s->dossiers[d]))
            return false;
    return s->dossier_count > 0;
}

static const char *seen_reason(const struct seen_page *p)
{
    switch (p->status) {
    case SEEN_FOREIGN: return "page d'un autre dossier";
    case SEEN_OTHER_EDITION: return "page d'une autre édition du dossier (construit à une autre date)";
    case SEEN_FORGED: return "code de suivi non authentique (modifié ou contrefait)";
    case SEEN_UNREADABLE: return p->code[0] ? "code de suivi illisible" : "aucun code de suivi lu";
    case SEEN_DUPLICATE: return "page en double";
    default: return "page reconnue";
    }
}

/* "600102, formulaire d'abonnement 1/3" from a code read, or the code itself. */
static void describe_code(struct strbuf *sb, const char *text)
{
    struct track_code code;
    if (track_code_parse(text, &code, NULL))
        sb_printf(sb, "demande n° %s, %s page %d/%d", code.numero, scan_document_name(code.document), code.page,
                  code.pages);
    else
        sb_printf(sb, "« %.40s »", text);
}

char *scan_report_text(const struct scan_state *s)
{
    struct strbuf sb = { 0 };
    for (size_t i = 0; i < s->dossier_count; i++) {
        const struct sent_dossier *d = &s->dossiers[i];
        size_t found = 0, boxes = 0, filled = 0;
        for (size_t p = 0; p < d->map.count; p++) {
            found += d->pages[p].found > 0;
            boxes += d->map.pages[p].box_count;
            for (size_t b = 0; b < d->map.pages[p].box_count; b++)
                filled += d->pages[p].boxes[b].ink.filled;
        }
        bool complete = dossier_complete(d);
        sb_printf(&sb, "Dossier n° %s : %s — %zu page(s) sur %zu, %zu case(s) remplie(s) sur %zu\n", d->map.numero,
                  complete ? "COMPLET" : "INCOMPLET", found, d->map.count, filled, boxes);
        for (size_t p = 0; p < d->map.count; p++) {
            const struct pagemap_page *mp = &d->map.pages[p];
            if (!d->pages[p].found)
                sb_printf(&sb, "  page manquante : %s page %d/%d\n", scan_document_name(mp->document), mp->index,
                          mp->count);
        }
        for (size_t p = 0; p < d->map.count; p++) {
            const struct pagemap_page *mp = &d->map.pages[p];
            const struct expected_page *e = &d->pages[p];
            if (!e->found)
                continue;
            const struct seen_page *at = &s->seen[e->seen];
            for (size_t b = 0; b < mp->box_count; b++)
                if (!e->boxes[b].ink.filled)
                    sb_printf(&sb, "  %s : %s page %d/%d — %s (%s) [%s, page %d]\n", kind_missing(mp->boxes[b].kind),
                              scan_document_name(mp->document), mp->index, mp->count, mp->boxes[b].person,
                              role_name(mp->boxes[b].role), at->file, at->index);
            if (e->found > 1)
                sb_printf(&sb, "  page en double : %s page %d/%d (%d exemplaires)\n", scan_document_name(mp->document),
                          mp->index, mp->count, e->found);
        }
    }
    bool header = false;
    for (size_t i = 0; i < s->seen_count; i++) {
        const struct seen_page *p = &s->seen[i];
        if (p->status == SEEN_OK || p->status == SEEN_DUPLICATE)
            continue;
        if (!header)
            sb_puts(&sb, "Pages non reconnues :\n");
        header = true;
        sb_printf(&sb, "  %s, page %d : %s", p->file, p->index, seen_reason(p));
        if (p->code[0] && p->status != SEEN_UNREADABLE) {
            sb_puts(&sb, " (");
            describe_code(&sb, p->code);
            sb_puts(&sb, ")");
        }
        sb_puts(&sb, "\n");
    }
    if (s->dossier_count == 0)
        sb_puts(&sb, "Aucun dossier de référence.\n");
    size_t pages = s->seen_count;
    if (pages)
        sb_printf(&sb, "%zu page(s) numérisée(s) lue(s), %.0f ms par page.\n", pages, 1000.0 * s->seconds / (double)pages);
    sb_printf(&sb, "Verdict : %s\n", scan_complete(s) ? "tous les dossiers sont complets"
                                                     : "dossier(s) incomplet(s) : voir ci-dessus");
    return sb_take(&sb);
}

char *scan_report_json(const struct scan_state *s)
{
    struct strbuf sb = { 0 };
    sb_puts(&sb, "{\n  \"complete\": ");
    sb_puts(&sb, scan_complete(s) ? "true" : "false");
    sb_puts(&sb, ",\n  \"dossiers\": [");
    for (size_t i = 0; i < s->dossier_count; i++) {
        const struct sent_dossier *d = &s->dossiers[i];
        sb_printf(&sb, "%s\n    {\"numero\": ", i ? "," : "");
        sb_json_string(&sb, d->map.numero);
        sb_puts(&sb, ", \"container\": ");
        sb_json_string(&sb, d->path);
        /* Complete says the paper is all there; the seal says whether the reference
         * the pages were checked against is the authority's. */
        sb_printf(&sb, ", \"complete\": %s, \"seal\": {\"chain_checked\": %s, \"pinned\": %s}, \"pages\": [",
                  dossier_complete(d) ? "true" : "false", d->chain_checked ? "true" : "false",
                  d->pinned ? "true" : "false");
        for (size_t p = 0; p < d->map.count; p++) {
            const struct pagemap_page *mp = &d->map.pages[p];
            const struct expected_page *e = &d->pages[p];
            sb_printf(&sb, "%s\n      {\"document\": ", p ? "," : "");
            sb_json_string(&sb, mp->document);
            sb_printf(&sb, ", \"page\": %d, \"of\": %d, \"found\": %s", mp->index, mp->count, e->found ? "true" : "false");
            if (e->found) {
                const struct seen_page *at = &s->seen[e->seen];
                sb_puts(&sb, ", \"scan\": {\"file\": ");
                sb_json_string(&sb, at->file);
                sb_printf(&sb, ", \"page\": %d}", at->index);
            }
            if (e->found > 1)
                sb_printf(&sb, ", \"copies\": %d", e->found);
            sb_puts(&sb, ", \"boxes\": [");
            for (size_t b = 0; b < mp->box_count; b++) {
                const struct pagemap_box *box = &mp->boxes[b];
                sb_printf(&sb, "%s{\"kind\": \"%s\", \"person\": ", b ? ", " : "", mark_kind_name(box->kind));
                sb_json_string(&sb, box->person);
                sb_puts(&sb, ", \"role\": ");
                sb_json_string(&sb, box->role);
                if (e->found)
                    sb_printf(&sb, ", \"filled\": %s, \"ink\": %.4f}", e->boxes[b].ink.filled ? "true" : "false",
                              e->boxes[b].ink.ink);
                else
                    sb_puts(&sb, ", \"filled\": false, \"ink\": null}");
            }
            sb_puts(&sb, "]}");
        }
        sb_puts(&sb, "],\n     \"missing\": [");
        bool first = true;
        for (size_t p = 0; p < d->map.count; p++) {
            if (d->pages[p].found)
                continue;
            sb_printf(&sb, "%s{\"document\": ", first ? "" : ", ");
            sb_json_string(&sb, d->map.pages[p].document);
            sb_printf(&sb, ", \"page\": %d, \"of\": %d}", d->map.pages[p].index, d->map.pages[p].count);
            first = false;
        }
        sb_puts(&sb, "]}");
    }
    sb_puts(&sb, "],\n  \"unrecognised\": [");
    bool first = true;
    for (size_t i = 0; i < s->seen_count; i++) {
        const struct seen_page *p = &s->seen[i];
        if (p->status == SEEN_OK || p->status == SEEN_DUPLICATE)
            continue;
        static const char *const reasons[] = {
            [SEEN_FOREIGN] = "foreign", [SEEN_OTHER_EDITION] = "other_edition", [SEEN_FORGED] = "forged",
            [SEEN_UNREADABLE] = "unreadable",
        };
        sb_printf(&sb, "%s\n    {\"file\": ", first ? "" : ",");
        sb_json_string(&sb, p->file);
        sb_printf(&sb, ", \"page\": %d, \"reason\": \"%s\", \"code\": ", p->index, reasons[p->status]);
        sb_json_string(&sb, p->code);
        sb_puts(&sb, "}");
        first = false;
    }
    sb_printf(&sb, "],\n  \"scanned_pages\": %zu,\n  \"ms_per_page\": %.1f\n}\n", s->seen_count,
              s->seen_count ? 1000.0 * s->seconds / (double)s->seen_count : 0.0);
    return sb_take(&sb);
}

static void html_text(struct strbuf *sb, const char *text)
{
    sb_xml_text(sb, text);
}

static void html_thumb(struct strbuf *sb, const struct seen_page *p)
{
    if (!p->thumb_png)
        return;
    size_t b64_len = 4 * ((p->thumb_len + 2) / 3) + 1;
    unsigned char *b64 = malloc(b64_len);
    if (!b64)
        abort();
    EVP_EncodeBlock(b64, p->thumb_png, (int)p->thumb_len);
    sb_puts(sb, "<img alt=\"\" src=\"data:image/png;base64,");
    sb_puts(sb, (const char *)b64);
    sb_puts(sb, "\">");
    free(b64);
}

char *scan_report_html(const struct scan_state *s)
{
    struct strbuf sb = { 0 };
    sb_puts(&sb, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\n"
                 "<title>Contrôle des dossiers retournés</title>\n<style>\n"
                 "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
                 "h2{margin-top:1.6em}.ok{color:#0a7a2a}.ko{color:#c01010}\n"
                 ".missing{background:#fde8e8;border:1px solid #c01010;padding:.5em 1em;margin:.5em 0}\n"
                 ".pages{display:flex;flex-wrap:wrap;gap:12px}\n"
                 "figure{margin:0;border:1px solid #ccc;padding:4px;width:330px}\n"
                 "figure img{width:320px;display:block}\nfigcaption{font-size:.85em;margin-top:4px}\n"
                 "</style></head><body>\n<h1>Contrôle des dossiers retournés</h1>\n<p>Cases entourées "
                 "<span class=\"ok\">en vert : remplies</span>, <span class=\"ko\">en rouge : vides</span>.</p>\n");
    for (size_t i = 0; i < s->dossier_count; i++) {
        const struct sent_dossier *d = &s->dossiers[i];
        bool complete = dossier_complete(d);
        sb_printf(&sb, "<h2>Dossier n° ");
        html_text(&sb, d->map.numero);
        sb_printf(&sb, " : <span class=\"%s\">%s</span></h2>\n", complete ? "ok" : "ko",
                  complete ? "complet" : "incomplet");
        bool any = false;
        for (size_t p = 0; p < d->map.count; p++) {
            if (d->pages[p].found)
                continue;
            if (!any)
                sb_puts(&sb, "<div class=\"missing\"><strong>Pages manquantes</strong><ul>\n");
            any = true;
            sb_puts(&sb, "<li>");
            html_text(&sb, scan_document_name(d->map.pages[p].document));
            sb_printf(&sb, ", page %d / %d</li>\n", d->map.pages[p].index, d->map.pages[p].count);
        }
        if (any)
            sb_puts(&sb, "</ul></div>\n");
        sb_puts(&sb, "<div class=\"pages\">\n");
        for (size_t p = 0; p < d->map.count; p++) {
            const struct expected_page *e = &d->pages[p];
            if (!e->found)
                continue;
            const struct pagemap_page *mp = &d->map.pages[p];
            const struct seen_page *at = &s->seen[e->seen];
            sb_puts(&sb, "<figure>");
            html_thumb(&sb, at);
            sb_puts(&sb, "<figcaption>");
            html_text(&sb, scan_document_name(mp->document));
            sb_printf(&sb, " %d/%d — ", mp->index, mp->count);
            html_text(&sb, at->file);
            sb_printf(&sb, ", page %d", at->index);
            for (size_t b = 0; b < mp->box_count; b++) {
                const struct pagemap_box *box = &mp->boxes[b];
                bool filled = e->boxes[b].ink.filled;
                sb_printf(&sb, "<br><span class=\"%s\">%s %s</span> : ", filled ? "ok" : "ko",
                          filled ? "✔" : "✘", mark_kind_name(box->kind));
                html_text(&sb, box->person);
            }
            sb_puts(&sb, "</figcaption></figure>\n");
        }
        sb_puts(&sb, "</div>\n");
    }
    bool header = false;
    for (size_t i = 0; i < s->seen_count; i++) {
        const struct seen_page *p = &s->seen[i];
        if (p->status == SEEN_OK)
            continue;
        if (!header)
            sb_puts(&sb, "<h2>Pages non reconnues ou en double</h2>\n<div class=\"pages\">\n");
        header = true;
        sb_puts(&sb, "<figure>");
        html_thumb(&sb, p);
        sb_puts(&sb, "<figcaption>");
        html_text(&sb, p->file);
        sb_printf(&sb, ", page %d : <span class=\"ko\">", p->index);
        html_text(&sb, seen_reason(p));
        sb_puts(&sb, "</span>");
        if (p->code[0] && p->status != SEEN_UNREADABLE) {
            struct strbuf what = { 0 };
            describe_code(&what, p->code);
            sb_puts(&sb, "<br>");
            html_text(&sb, what.data ? what.data : "");
            sb_release(&what);
        }
        sb_puts(&sb, "</figcaption></figure>\n");
    }
    if (header)
        sb_puts(&sb, "</div>\n");
    sb_puts(&sb, "</body></html>\n");
    return sb_take(&sb);
}
