/* Reading and looking up INSEE's catégories juridiques. */
#include "categories.h"
#include "../util/arena.h"
#include "../util/xmlutil.h"

#include <string.h>

static bool four_digits(const char *code)
{
    if (!code || strlen(code) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return true;
}

bool categories_load(struct categories *c, struct arena *arena, const char *dir, struct dossier_problems *diags)
{
    const char *path = arena_printf(arena, "%s/categories.xml", dir);
    xmlDocPtr doc = xml_load_template(path, "categories", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    c->items = arena_alloc(arena, (xml_count(root, "categorie") + 1) * sizeof *c->items);
    c->count = 0;
    bool ok = true;
    XML_FOR_EACH(node, root, "categorie") {
        struct category cat = { xml_attr(arena, node, "code"), xml_text(arena, node) };
        struct source_loc loc = { path, (int)xmlGetLineNo(node), NULL };
        if (!four_digits(cat.code) || !*cat.label) {
            diag_add(diags, "template.categories", NULL, loc, "catégorie « %s » : code à 4 chiffres et libellé attendus",
                     cat.code ? cat.code : "");
            ok = false;
            continue;
        }
        if (categories_label(c, cat.code)) {
            diag_add(diags, "template.categories", NULL, loc, "catégorie %s présente deux fois", cat.code);
            ok = false;
            continue;
        }
        c->items[c->count++] = cat;
    }
    xmlFreeDoc(doc);
    if (ok && c->count == 0) {
        diag_add(diags, "template.categories", NULL, (struct source_loc){ path, 0, NULL }, "aucune catégorie");
        ok = false;
    }
    return ok;
}

const char *categories_label(const struct categories *c, const char *code)
{
    for (size_t i = 0; code && i < c->count; i++)
        if (strcmp(c->items[i].code, code) == 0)
            return c->items[i].label;
    return NULL;
}

bool categories_have_prefix(const struct categories *c, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < c->count; i++)
        if (strncmp(c->items[i].code, prefix, n) == 0)
            return true;
    return false;
}
