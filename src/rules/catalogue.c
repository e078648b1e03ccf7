/* Reads the catalogue templates into immutable tables. */
#include "catalogue.h"
#include "../model/request.h"
#include "../util/arena.h"
#include "../util/xmlutil.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static struct choice *read_options(struct arena *arena, const xmlNode *node,
                                   const char *name, size_t *count)
{
    *count = xml_count(node, name);
    struct choice *options = arena_alloc(arena, (*count + 1) * sizeof *options);
    size_t i = 0;
    XML_FOR_EACH(c, node, name) {
        options[i].code = xml_attr(arena, c, "code");
        options[i].label = xml_text(arena, c);
        i++;
    }
    return options;
}

static char *template_path(struct arena *arena, const char *dir, const char *file)
{
    return arena_printf(arena, "%s/%s", dir, file);
}

static bool load_products(struct catalogue *c, struct dossier_problems *diags)
{
    const char *path = template_path(c->arena, c->dir, "produits.xml");
    xmlDocPtr doc = xml_load_template(path, "produits", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    c->product_count = xml_count(root, "produit");
    c->products = arena_alloc(c->arena, (c->product_count + 1) * sizeof *c->products);
    bool ok = true;
    size_t i = 0;
    XML_FOR_EACH(p, root, "produit") {
        struct product *prod = &c->products[i++];
        struct source_loc loc = { path, (int)xmlGetLineNo(p), NULL };
        prod->code = xml_attr(c->arena, p, "code");
        const char *family = xml_attr(c->arena, p, "famille");
        const char *support = xml_attr(c->arena, p, "support-requis");
        prod->label = xml_child_text(c->arena, p, "libelle");
        prod->description = xml_child_text(c->arena, p, "description");
        prod->payments = read_options(c->arena, p, "paiement", &prod->payment_count);
        prod->supports = read_options(c->arena, p, "support", &prod->support_count);
        prod->step_count = xml_count(p, "etape");
        prod->steps = arena_alloc(c->arena, (prod->step_count + 1) * sizeof *prod->steps);
        size_t k = 0;
        XML_FOR_EACH(e, p, "etape") {
            const char *by = xml_attr(c->arena, e, "par");
            prod->steps[k].code = xml_attr(c->arena, e, "code");
            prod->steps[k].label = xml_text(c->arena, e);
            prod->steps[k++].by_applicant = by && strcmp(by, "demandeur") == 0;
            if (by && strcmp(by, "demandeur") != 0 && strcmp(by, "ac") != 0) {
                diag_add(diags, "template.produit", NULL, (struct source_loc){ path, (int)xmlGetLineNo(e), NULL },
                         "étape : par=« %s » inconnu (ac ou demandeur)", by);
                ok = false;
            }
        }
        prod->support_required = support && strcmp(support, "oui") == 0;
        const char *in_person = xml_attr(c->arena, p, "face-a-face");
        prod->face_to_face = in_person && strcmp(in_person, "oui") == 0;
        prod->prerequisites = xml_child_text(c->arena, p, "prerequis");
        if (!*prod->prerequisites) {
            diag_add(diags, "template.produit", NULL, loc, "produit « %s » sans <prerequis> (la case que coche le demandeur)",
                     prod->code ? prod->code : "");
            ok = false;
        }
        if (!prod->code || !*prod->code) {
            diag_add(diags, "template.produit", NULL, loc, "produit sans attribut code");
            ok = false;
        }
        if (family && strcmp(family, "personne") == 0)
            prod->family = FAMILY_PERSON;
        else if (family && strcmp(family, "cachet") == 0)
            prod->family = FAMILY_SEAL;
        else if (family && strcmp(family, "serveur") == 0)
            prod->family = FAMILY_SERVER;
        else {
            diag_add(diags, "template.produit", NULL, loc,
                     "famille « %s » inconnue (personne, cachet ou serveur)", family ? family : "");
            ok = false;
        }
        if (prod->payment_count == 0) {
            diag_add(diags, "template.produit", NULL, loc, "produit « %s » sans mode de paiement",
                     prod->code ? prod->code : "");
            ok = false;
        }
    }
    xmlFreeDoc(doc);
    return ok;
}

static bool load_offices(struct catalogue *c, struct dossier_problems *diags)
{
    const char *path = template_path(c->arena, c->dir, "bureaux.xml");
    xmlDocPtr doc = xml_load_template(path, "bureaux", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    c->office_count = xml_count(root, "bureau");
    c->offices = arena_alloc(c->arena, (c->office_count + 1) * sizeof *c->offices);
    bool ok = true;
    size_t i = 0;
    XML_FOR_EACH(b, root, "bureau") {
        struct office *o = &c->offices[i++];
        o->code = xml_attr(c->arena, b, "code");
        o->name = xml_child_text(c->arena, b, "nom");
        o->service = xml_child_text(c->arena, b, "service");
        o->address = xml_child_text(c->arena, b, "adresse");
        o->complement = xml_child_text(c->arena, b, "complement");
        o->postcode = xml_child_text(c->arena, b, "code_postal");
        o->city = xml_child_text(c->arena, b, "ville");
        o->phone = xml_child_text(c->arena, b, "telephone");
        o->email = xml_child_text(c->arena, b, "email");
        if (!o->code || !*o->code || !*o->name || !*o->address || !*o->city) {
            struct source_loc loc = { path, (int)xmlGetLineNo(b), NULL };
            diag_add(diags, "template.bureau", NULL, loc,
                     "bureau incomplet : code, nom, adresse et ville sont nécessaires");
            ok = false;
        }
    }
    xmlFreeDoc(doc);
    return ok;
}

/* The act codes: the piece fields that are not an identity copy, a délégation or the
 * portal's single upload. */
static bool act_code_known(const char *code)
{
    if (!code || !*code)
        return false;
    char name[64];
    snprintf(name, sizeof name, "pieces.%s", code);
    int f = field_lookup(name);
    return f >= F_PCE_KBIS && f < F_PCE_ACTE_NOMINATION;
}

static bool read_act(struct catalogue *c, const xmlNode *node, struct act *act, const char *path,
                     struct dossier_problems *diags)
{
    act->code = xml_attr(c->arena, node, "code");
    act->label = xml_text(c->arena, node);
    act->if_needed = xml_attr(c->arena, node, "si-besoin");
    if (act_code_known(act->code) && *act->label)
        return true;
    struct source_loc loc = { path, (int)xmlGetLineNo(node), NULL };
    diag_add(diags, "template.pieces", NULL, loc,
             "acte « %s » : code inconnu ou libellé vide (codes : kbis, sirene, statuts, publication, nomination, registre)",
             act->code ? act->code : "");
    return false;
}

static bool read_rule(struct catalogue *c, const xmlNode *node, struct pieces_rule *rule,
                      const char *path, struct dossier_problems *diags)
{
    struct source_loc loc = { path, (int)xmlGetLineNo(node), NULL };
    rule->label = xml_child_text(c->arena, node, "libelle");
    rule->proof = xml_attr(c->arena, node, "preuve");
    xmlNodePtr refusal = xml_child(node, "refus");
    rule->refusal = refusal ? xml_text(c->arena, refusal) : NULL;
    xmlNodePtr note = xml_child(node, "note");
    rule->note = note ? xml_text(c->arena, note) : NULL;
    rule->line_count = xml_count(node, "acte") + xml_count(node, "choix");
    rule->lines = arena_alloc(c->arena, (rule->line_count + 1) * sizeof *rule->lines);
    bool ok = true;
    size_t i = 0;
    for (xmlNodePtr n = xml_child(node, NULL); n; n = xml_next(n, NULL)) {
        struct rule_line *line = &rule->lines[i];
        if (xml_is(n, "acte")) {
            line->acts = arena_alloc(c->arena, sizeof *line->acts);
            line->act_count = 1;
            ok = read_act(c, n, &line->acts[0], path, diags) && ok;
            i++;
        } else if (xml_is(n, "choix")) {
            line->choice = true;
            line->act_count = xml_count(n, "acte");
            line->acts = arena_alloc(c->arena, (line->act_count + 1) * sizeof *line->acts);
            size_t k = 0;
            XML_FOR_EACH(a, n, "acte")
                ok = read_act(c, a, &line->acts[k++], path, diags) && ok;
            if (line->act_count < 2) {
                diag_add(diags, "template.pieces", NULL, (struct source_loc){ path, (int)xmlGetLineNo(n), NULL },
                         "<choix> d'un seul acte : il en faut au moins deux");
                ok = false;
            }
            i++;
        }
    }
    if (!*rule->label || (rule->line_count == 0 && !rule->refusal)) {
        diag_add(diags, "template.pieces", NULL, loc, "règle sans libellé, ou sans acte ni refus");
        return false;
    }
    /* Each act once per rule: a file goes to one line. */
    for (size_t a = 0; a < rule->line_count; a++)
        for (size_t x = 0; x < rule->lines[a].act_count; x++) {
            const char *code = rule->lines[a].acts[x].code;
            const struct rule_line *where;
            if (code && pieces_rule_act(rule, code, &where) != &rule->lines[a].acts[x]) {
                diag_add(diags, "template.pieces", NULL, loc, "l'acte « %s » figure deux fois dans la règle", code);
                ok = false;
            }
        }
    if (!rule->proof || (!rule->refusal && !pieces_rule_act(rule, rule->proof, NULL))) {
        diag_add(diags, "template.pieces", NULL, loc,
                 "attribut preuve=« %s » : il doit nommer un acte de la règle (celui que reçoit pieces.acte_nomination)",
                 rule->proof ? rule->proof : "");
        ok = false;
    }
    return ok;
}

const struct act *pieces_rule_act(const struct pieces_rule *rule, const char *code, const struct rule_line **line)
{
    for (size_t i = 0; i < rule->line_count; i++)
        for (size_t k = 0; k < rule->lines[i].act_count; k++)
            if (rule->lines[i].acts[k].code && strcmp(rule->lines[i].acts[k].code, code) == 0) {
                if (line)
                    *line = &rule->lines[i];
                return &rule->lines[i].acts[k];
            }
    return NULL;
}

/* The <delegation> wordings: by category prefixes, and exactly one for the others. */
static bool read_delegations(struct catalogue *c, const xmlNode *root, const char *path,
                             struct dossier_problems *diags)
{
    c->delegation_count = xml_count(root, "delegation");
    c->delegations = arena_alloc(c->arena, (c->delegation_count + 1) * sizeof *c->delegations);
    size_t i = 0, defaults = 0;
    bool ok = true;
    XML_FOR_EACH(d, root, "delegation") {
        struct delegation_wording *w = &c->delegations[i++];
        w->label = xml_text(c->arena, d);
        char *list = xml_attr(c->arena, d, "categories");
        if (!list) {
            defaults++;
        } else {
            w->prefixes = arena_alloc(c->arena, (strlen(list) + 1) * sizeof *w->prefixes);
            char *save = NULL;
            for (char *code = strtok_r(list, " ", &save); code; code = strtok_r(NULL, " ", &save))
                w->prefixes[w->prefix_count++] = code;
        }
        if (!*w->label || (list && w->prefix_count == 0)) {
            diag_add(diags, "template.pieces", NULL, (struct source_loc){ path, (int)xmlGetLineNo(d), NULL },
                     "<delegation> sans libellé, ou avec un attribut categories vide");
            ok = false;
        }
    }
    if (defaults != 1) {
        diag_add(diags, "template.pieces", NULL, (struct source_loc){ path, 0, NULL },
                 "il faut exactement une <delegation> sans attribut categories (celle des autres catégories)");
        ok = false;
    }
    return ok;
}

static bool load_pieces(struct catalogue *c, struct dossier_problems *diags)
{
    const char *path = template_path(c->arena, c->dir, "pieces.xml");
    xmlDocPtr doc = xml_load_template(path, "pieces", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    c->pieces_version = xml_attr(c->arena, root, "version");
    if (!c->pieces_version)
        c->pieces_version = "";
    c->rule_count = xml_count(root, "regle") + 1;
    c->rules = arena_alloc(c->arena, c->rule_count * sizeof *c->rules);
    bool ok = true;
    size_t i = 0;
    XML_FOR_EACH(r, root, "regle") {
        struct pieces_rule *rule = &c->rules[i++];
        rule->code = xml_attr(c->arena, r, "code");
        size_t len = rule->code ? strlen(rule->code) : 0;
        bool digits = len > 0;
        for (size_t k = 0; k < len; k++)
            digits = digits && rule->code[k] >= '0' && rule->code[k] <= '9';
        if (!digits || (len != 1 && len != 2 && len != 4)) {
            struct source_loc loc = { path, (int)xmlGetLineNo(r), NULL };
            diag_add(diags, "template.pieces", NULL, loc,
                     "code « %s » : 1, 2 ou 4 chiffres attendus (catégorie juridique INSEE)",
                     rule->code ? rule->code : "");
            ok = false;
        }
        ok = read_rule(c, r, rule, path, diags) && ok;
    }
    xmlNodePtr def = xml_child(root, "defaut");
    struct pieces_rule *rule = &c->rules[i];
    rule->code = "";
    if (!def) {
        struct source_loc loc = { path, 0, NULL };
        diag_add(diags, "template.pieces", NULL, loc, "élément <defaut> manquant");
        ok = false;
    } else {
        ok = read_rule(c, def, rule, path, diags) && ok;
    }
    ok = read_delegations(c, root, path, diags) && ok;
    xmlFreeDoc(doc);
    return ok;
}

/* Each rule and délégation names a category INSEE has (or the start of one): a typo
 * in a code would otherwise leave its rule unused, silently. */
static bool check_codes(struct catalogue *c, struct dossier_problems *diags)
{
    const char *path = template_path(c->arena, c->dir, "pieces.xml");
    bool ok = true;
    for (size_t i = 0; i + 1 < c->rule_count; i++)
        if (!categories_have_prefix(&c->categories, c->rules[i].code)) {
            diag_add(diags, "template.pieces", NULL, (struct source_loc){ path, 0, NULL },
                     "règle « %s » : aucune catégorie juridique de categories.xml ne commence par ce code",
                     c->rules[i].code);
            ok = false;
        }
    for (size_t i = 0; i < c->delegation_count; i++)
        for (size_t k = 0; k < c->delegations[i].prefix_count; k++)
            if (!categories_have_prefix(&c->categories, c->delegations[i].prefixes[k])) {
                diag_add(diags, "template.pieces", NULL, (struct source_loc){ path, 0, NULL },
                         "<delegation categories> : aucune catégorie juridique ne commence par « %s »",
                         c->delegations[i].prefixes[k]);
                ok = false;
            }
    return ok;
}

static bool load_authority(struct catalogue *c, struct dossier_problems *diags)
{
    const char *path = template_path(c->arena, c->dir, "autorite.xml");
    xmlDocPtr doc = xml_load_template(path, "autorite", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    struct authority *a = &c->authority;
    a->name = xml_child_text(c->arena, root, "nom");
    a->legal_name = xml_child_text(c->arena, root, "raison_sociale");
    a->address = xml_child_text(c->arena, root, "adresse");
    a->postcode = xml_child_text(c->arena, root, "code_postal");
    a->city = xml_child_text(c->arena, root, "ville");
    a->phone = xml_child_text(c->arena, root, "telephone");
    a->email = xml_child_text(c->arena, root, "email");
    a->website = xml_child_text(c->arena, root, "site");
    a->legal_notice = xml_child_text(c->arena, root, "mentions");
    xmlFreeDoc(doc);
    if (!*a->name) {
        struct source_loc loc = { path, 0, NULL };
        diag_add(diags, "template.autorite", NULL, loc, "nom de l'autorité manquant (<nom>)");
        return false;
    }
    return true;
}

struct catalogue *catalogue_load(const char *dir, struct dossier_problems *diags)
{
    struct arena *arena = arena_new();
    struct catalogue *c = arena_alloc(arena, sizeof *c);
    c->arena = arena;
    c->dir = arena_strdup(arena, dir);
    bool ok = load_products(c, diags);
    ok = load_offices(c, diags) && ok;
    ok = load_pieces(c, diags) && ok;
    bool categories = categories_load(&c->categories, arena, dir, diags);
    ok = categories && ok;
    if (categories && ok)
        ok = check_codes(c, diags);
    ok = first_names_load(&c->first_names, arena, dir, diags) && ok;
    ok = load_authority(c, diags) && ok;
    if (!ok) {
        arena_free(arena);
        return NULL;
    }
    return c;
}

void catalogue_free(struct catalogue *catalogue)
{
    if (catalogue)
        arena_free(catalogue->arena);
}

const struct product *catalogue_product(const struct catalogue *c, const char *code)
{
    for (size_t i = 0; code && i < c->product_count; i++)
        if (strcasecmp(c->products[i].code, code) == 0)
            return &c->products[i];
    return NULL;
}

static const struct choice *find_option(const struct choice *options, size_t count,
                                        const char *code)
{
    for (size_t i = 0; code && i < count; i++)
        if (options[i].code && strcasecmp(options[i].code, code) == 0)
            return &options[i];
    return NULL;
}

const struct choice *product_payment(const struct product *p, const char *code)
{
    return find_option(p->payments, p->payment_count, code);
}

const struct choice *product_support(const struct product *p, const char *code)
{
    return find_option(p->supports, p->support_count, code);
}

const struct office *catalogue_office(const struct catalogue *c, const char *code)
{
    for (size_t i = 0; code && i < c->office_count; i++)
        if (strcasecmp(c->offices[i].code, code) == 0)
            return &c->offices[i];
    return NULL;
}

const struct pieces_rule *catalogue_pieces_rule(const struct catalogue *c, const char *category)
{
    static const size_t lengths[] = { 4, 2, 1 };
    size_t clen = category ? strlen(category) : 0;
    for (size_t l = 0; l < 3; l++) {
        if (clen < lengths[l])
            continue;
        for (size_t i = 0; i + 1 < c->rule_count; i++)
            if (strlen(c->rules[i].code) == lengths[l] &&
                strncmp(c->rules[i].code, category, lengths[l]) == 0)
                return &c->rules[i];
    }
    return &c->rules[c->rule_count - 1];
}

const char *catalogue_delegation(const struct catalogue *c, const char *category)
{
    const char *fallback = "";
    for (size_t i = 0; i < c->delegation_count; i++) {
        const struct delegation_wording *w = &c->delegations[i];
        if (!w->prefixes)
            fallback = w->label;
        for (size_t k = 0; category && k < w->prefix_count; k++)
            if (strncmp(category, w->prefixes[k], strlen(w->prefixes[k])) == 0)
                return w->label;
    }
    return fallback;
}

/* Joins N codes, read through CODE_AT, with ", ". */
static char *join_codes(struct arena *arena, size_t n, const char *(*code_at)(const void *, size_t), const void *table)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(code_at(table, i)) + 2;
    char *out = arena_alloc(arena, len);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ", ");
        strcat(out, code_at(table, i));
    }
    return out;
}

static const char *product_code_at(const void *table, size_t i)
{
    return ((const struct product *)table)[i].code;
}

static const char *office_code_at(const void *table, size_t i)
{
    return ((const struct office *)table)[i].code;
}

char *catalogue_product_codes(struct arena *arena, const struct catalogue *c)
{
    return join_codes(arena, c->product_count, product_code_at, c->products);
}

char *catalogue_office_codes(struct arena *arena, const struct catalogue *c)
{
    return join_codes(arena, c->office_count, office_code_at, c->offices);
}

static const char *option_code_at(const void *table, size_t i)
{
    const char *code = ((const struct choice *)table)[i].code;
    return code ? code : "";
}

char *catalogue_codes(struct arena *arena, const struct choice *options, size_t count)
{
    return join_codes(arena, count, option_code_at, options);
}
