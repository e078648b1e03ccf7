/* The page map: written with the dossier, read back by check-scan. */
#include "pagemap.h"
#include "../package/codekey.h"
#include "../util/diag.h"
#include "../util/strbuf.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

const char *mark_kind_name(enum mark_kind kind)
{
    switch (kind) {
    case MARK_PARAPHE: return "paraphe";
    case MARK_SIGNATURE: return "signature";
    default: return "certifie";
    }
}

static void attr(struct strbuf *sb, const char *name, const char *value)
{
    sb_printf(sb, " %s=\"", name);
    sb_xml_text(sb, value ? value : "");
    sb_puts(sb, "\"");
}

char *pagemap_write(const struct layout *l, const char *numero, const char *pdf_name,
                    const struct code_key *key, size_t *len)
{
    struct strbuf sb = { 0 };
    sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mise-en-page xmlns=\"" PAGEMAP_NS "\" version=\"1\"");
    attr(&sb, "numero", numero);
    attr(&sb, "fichier", pdf_name);
    sb_puts(&sb, " unite=\"pt\">\n");
    if (key) {
        unsigned char b64[64];
        EVP_EncodeBlock(b64, key->pub, sizeof key->pub);
        sb_printf(&sb, "  <cle-codes id=\"%s\" ed25519=\"%s\"/>\n", key->id, (const char *)b64);
    }
    for (size_t i = 0; i < l->page_count; i++) {
        const struct layout_page *p = &l->pages[i];
        sb_printf(&sb, "  <page n=\"%zu\"", i + 1);
        attr(&sb, "document", p->document);
        sb_printf(&sb, " page=\"%d\" de=\"%d\" largeur=\"%.2f\" hauteur=\"%.2f\">\n", p->index, p->count,
                  (double)PAGE_WIDTH, (double)PAGE_HEIGHT);
        sb_printf(&sb, "    <qr x=\"%.2f\" y=\"%.2f\" cote=\"%.2f\" modules=\"%d\">", (double)p->qr_x, (double)p->qr_y,
                  (double)p->qr_side, p->qr_modules);
        sb_xml_text(&sb, p->code ? p->code : "");
        sb_puts(&sb, "</qr>\n");
        for (size_t m = 0; m < l->mark_count; m++) {
            const struct layout_mark *k = &l->marks[m];
            if (k->page != i)
                continue;
            sb_printf(&sb, "    <case type=\"%s\"", mark_kind_name(k->kind));
            attr(&sb, "personne", k->person);
            attr(&sb, "role", k->role);
            sb_printf(&sb, " x=\"%.2f\" y=\"%.2f\" largeur=\"%.2f\" hauteur=\"%.2f\"/>\n", (double)k->x, (double)k->y,
                      (double)k->w, (double)k->h);
        }
        sb_puts(&sb, "  </page>\n");
    }
    sb_puts(&sb, "</mise-en-page>\n");
    *len = sb.len;
    return sb_take(&sb);
}

/* --- reading ------------------------------------------------------------ */

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 && n->ns &&
           strcmp((const char *)n->ns->href, PAGEMAP_NS) == 0;
}

static char *get(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *copy = strdup(v ? (const char *)v : "");
    xmlFree(v);
    if (!copy)
        abort();
    return copy;
}

static bool get_float(const xmlNode *n, const char *name, float lo, float hi, float *out)
{
    char *v = get(n, name), *end;
    double d = strtod(v, &end);
    bool ok = *v && !*end && d >= lo && d <= hi;
    free(v);
    *out = (float)d;
    return ok;
}

static bool get_int(const xmlNode *n, const char *name, int lo, int hi, int *out)
{
    char *v = get(n, name), *end;
    long d = strtol(v, &end, 10);
    bool ok = *v && !*end && d >= lo && d <= hi;
    free(v);
    *out = (int)d;
    return ok;
}

#define MAX_PAGES 2000
#define MAX_BOXES 16

static bool read_box(const xmlNode *n, struct pagemap_box *b)
{
    char *type = get(n, "type");
    bool ok = true;
    if (strcmp(type, "paraphe") == 0)
        b->kind = MARK_PARAPHE;
    else if (strcmp(type, "signature") == 0)
        b->kind = MARK_SIGNATURE;
    else if (strcmp(type, "certifie") == 0)
        b->kind = MARK_CERTIFIE;
    else
        ok = false;
    free(type);
    b->person = get(n, "personne");
    b->role = get(n, "role");
    return ok && get_float(n, "x", 0, 2000, &b->x) && get_float(n, "y", 0, 2000, &b->y) &&
           get_float(n, "largeur", 1, 2000, &b->w) && get_float(n, "hauteur", 1, 2000, &b->h);
}

static bool read_page(const xmlNode *n, struct pagemap_page *p)
{
    p->document = get(n, "document");
    if (!get_int(n, "page", 1, 9999, &p->index) || !get_int(n, "de", p->index, 9999, &p->count) ||
        !get_float(n, "largeur", 10, 2000, &p->width) || !get_float(n, "hauteur", 10, 2000, &p->height))
        return false;
    bool qr = false;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is(c, "qr")) {
            /* One code a page (a second one is a forged map, found by fuzzing). */
            if (p->code)
                return false;
            xmlChar *text = xmlNodeGetContent(c);
            p->code = strdup(text ? (const char *)text : "");
            xmlFree(text);
            if (!p->code)
                abort();
            qr = get_float(c, "x", 0, 2000, &p->qr_x) && get_float(c, "y", 0, 2000, &p->qr_y) &&
                 get_float(c, "cote", 1, 2000, &p->qr_side) && get_int(c, "modules", 21, 177, &p->qr_modules);
            if (!qr)
                return false;
        } else if (is(c, "case")) {
            if (p->box_count == MAX_BOXES)
                return false;
            if (!p->boxes && !(p->boxes = calloc(MAX_BOXES, sizeof *p->boxes)))
                abort();
            if (!read_box(c, &p->boxes[p->box_count++]))
                return false;
        }
    }
    return qr;
}

bool pagemap_read(const char *xml, size_t len, const char *name, struct pagemap *out,
                  struct dossier_problems *problems)
{
    memset(out, 0, sizeof *out);
    const char *why = NULL;
    xmlDocPtr doc = NULL;
    if (len > 8u << 20) {
        why = "trop grande";
        goto fail;
    }
    doc = xmlReadMemory(xml, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                                       XML_PARSE_NOWARNING);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !is(root, "mise-en-page") || doc->intSubset) {
        why = "XML illisible ou d'un autre type";
        goto fail;
    }
    out->numero = get(root, "numero");
    out->pdf = get(root, "fichier");
    size_t pages = 0;
    for (const xmlNode *c = root->children; c; c = c->next)
        pages += is(c, "page");
    if (pages == 0 || pages > MAX_PAGES) {
        why = "nombre de pages invalide";
        goto fail;
    }
    out->pages = calloc(pages, sizeof *out->pages);
    if (!out->pages)
        abort();
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is(c, "cle-codes")) {
            char *b64 = get(c, "ed25519");
            unsigned char raw[48];
            int n = strlen(b64) == 44 ? EVP_DecodeBlock(raw, (const unsigned char *)b64, 44) : -1;
            free(b64);
            if (n != 33) {      /* 32 bytes, and the padding's zero byte */
                why = "clé publique des codes illisible";
                goto fail;
            }
            memcpy(out->pub, raw, 32);
            out->has_key = true;
        } else if (is(c, "page")) {
            if (!read_page(c, &out->pages[out->count++])) {
                why = "page mal décrite";
                goto fail;
            }
        }
    }
    xmlFreeDoc(doc);
    return true;
fail:
    xmlFreeDoc(doc);
    diag_add(problems, "scan.pagemap", NULL, (struct source_loc){ name, 0, NULL },
             "mise en page du dossier %s", why);
    pagemap_release(out);
    return false;
}

void pagemap_release(struct pagemap *map)
{
    for (size_t i = 0; i < map->count; i++) {
        struct pagemap_page *p = &map->pages[i];
        for (size_t b = 0; b < p->box_count; b++) {
            free(p->boxes[b].person);
            free(p->boxes[b].role);
        }
        free(p->boxes);
        free(p->document);
        free(p->code);
    }
    free(map->pages);
    free(map->numero);
    free(map->pdf);
    memset(map, 0, sizeof *map);
}
