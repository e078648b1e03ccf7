/* Gender of a role from the civilité or the first name. */
#include "gender.h"
#include "../util/arena.h"
#include "../util/french.h"
#include "../util/text.h"
#include "../util/xmlutil.h"

#include <string.h>
#include <strings.h>

/* The words of NODE's text, each folded to lower case, in ARENA. */
static const char **read_names(struct arena *arena, const xmlNode *node, size_t *count)
{
    char *text = xml_text(arena, node);
    size_t n = 0;
    for (const char *s = text; *s; s++)
        n += *s == ' ';
    const char **out = arena_alloc(arena, (n + 2) * sizeof *out);
    *count = 0;
    char *save = NULL;
    for (char *word = strtok_r(text, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
        /* Folding never makes a letter longer in UTF-8 in the ranges fr_fold knows. */
        char *folded = arena_alloc(arena, strlen(word) + 1), *o = folded;
        const char *p = word, *end = word + strlen(word);
        while (p < end)
            o += utf8_put(o, fr_fold(utf8_next(&p, end)));
        *o = '\0';
        out[(*count)++] = folded;
    }
    return out;
}

static bool listed(const char *const *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (fr_equal_folded(names[i], name))
            return true;
    return false;
}

bool first_names_load(struct first_names *names, struct arena *arena, const char *dir,
                      struct dossier_problems *diags)
{
    const char *path = arena_printf(arena, "%s/prenoms.xml", dir);
    xmlDocPtr doc = xml_load_template(path, "prenoms", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr f = xml_child(root, "feminin"), m = xml_child(root, "masculin");
    bool ok = f && m;
    if (ok) {
        names->feminine = read_names(arena, f, &names->feminine_count);
        names->masculine = read_names(arena, m, &names->masculine_count);
    }
    xmlFreeDoc(doc);
    struct source_loc loc = { path, 0, NULL };
    if (!ok) {
        diag_add(diags, "template.prenoms", NULL, loc, "éléments <feminin> et <masculin> attendus");
        return false;
    }
    for (size_t i = 0; i < names->feminine_count; i++)
        if (listed(names->masculine, names->masculine_count, names->feminine[i])) {
            diag_add(diags, "template.prenoms", NULL, loc,
                     "« %s » figure dans les deux listes : un prénom mixte ne figure dans aucune", names->feminine[i]);
            ok = false;
        }
    return ok;
}

bool civility_parse(const char *text, enum gender *gender)
{
    static const struct { const char *word; enum gender gender; } words[] = {
        { "madame", GENDER_FEMININE }, { "mme", GENDER_FEMININE }, { "mme.", GENDER_FEMININE },
        { "monsieur", GENDER_MASCULINE }, { "m.", GENDER_MASCULINE }, { "m", GENDER_MASCULINE },
    };
    for (size_t i = 0; text && i < sizeof words / sizeof *words; i++)
        if (strcasecmp(text, words[i].word) == 0) {
            *gender = words[i].gender;
            return true;
        }
    return false;
}

enum gender gender_of(const struct first_names *names, const char *civility, const char *first_name)
{
    enum gender g;
    if (civility_parse(civility, &g))
        return g;
    if (!first_name || !names->feminine)
        return GENDER_UNKNOWN;
    /* A compound first name reads by its first part: Anne-Sophie, Jean-Baptiste. */
    size_t n = strcspn(first_name, "- ");
    char first[128];
    if (n >= sizeof first)
        return GENDER_UNKNOWN;
    memcpy(first, first_name, n);
    first[n] = '\0';
    if (listed(names->feminine, names->feminine_count, first))
        return GENDER_FEMININE;
    if (listed(names->masculine, names->masculine_count, first))
        return GENDER_MASCULINE;
    return GENDER_UNKNOWN;
}
