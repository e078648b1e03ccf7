/* Loading of the documents' wording and of the CGU from templates/. */
#include "texts.h"
#include "../rules/syntax.h"
#include "../util/arena.h"
#include "../util/french.h"
#include "../util/xmlutil.h"

#include <stdio.h>
#include <string.h>

static const char *tx_find(const struct render_templates *t, const char *key);

/* Every key the renderer asks for: a template without one of them is refused at
 * start-up rather than printing a blank in the middle of a batch. */
static const char *const required_keys[] = {
    "doc.bordereau", "doc.formulaire", "doc.cgu", "doc.pieces", "doc.jointes", "dossier.titre",
    "formulaire.titre", "formulaire.sous_titre", "formulaire.titulaire", "formulaire.service_applicatif",
    "formulaire.responsable", "formulaire.rl_est_titulaire", "formulaire.rl_est_responsable",
    "formulaire.delegataire", "formulaire.delegataire_est_titulaire", "formulaire.delegataire_est_responsable",
    "formulaire.sans_delegataire", "formulaire.bureaux", "formulaire.facturation",
    "formulaire.facturation_etablissement", "formulaire.pieces_intro.papier", "formulaire.pieces_intro.demat",
    "formulaire.flux_papier", "formulaire.flux_demat", "formulaire.face_a_face", "formulaire.suite",
    "signature.lieu", "signature.date", "signature.mention", "signature.zone",
    "signature.electronique", "signature.electronique_mode", "signature.zone_electronique",
    "signature.par_delegation", "paraphe",
    "pieces.titre", "pieces.sous_titre", "pieces.intro", "pieces.validite", "pieces.col.piece", "pieces.col.concerne",
    "pieces.col.statut", "pieces.joint", "pieces.a_fournir", "pieces.si_besoin", "pieces.etape",
    "pieces.etape_demandeur", "pieces.choix", "pieces.id",
    "pieces.note_papier", "pieces.note_demat", "pieces.version",
    "bordereau.titre", "bordereau.sous_titre", "bordereau.expediteur", "bordereau.destinataire",
    "bordereau.recapitulatif", "bordereau.etapes", "bordereau.liste", "bordereau.formulaire",
    "bordereau.cgu", "bordereau.rappel", "bordereau.piece_id", "bordereau.retrait", "bordereau.face_a_face",
    "jointes.titre", "jointes.filigrane", "jointes.conforme", "jointes.signature",
    "jointes.type.identite", "jointes.type.recto", "jointes.type.verso", "jointes.type.delegation",
    "jointes.fichier", "jointes.demandee", "role.titulaire", "role.responsable", "role.delegataire",
    "libelle.denomination", "libelle.siren", "libelle.nic", "libelle.type_organisation", "libelle.regle",
    "libelle.etablissement", "libelle.adresse", "libelle.complement", "libelle.lieu_dit",
    "libelle.code_postal", "libelle.ville", "libelle.telephone", "libelle.produit",
    "libelle.paiement", "libelle.support", "libelle.prenom",
    "libelle.nom", "libelle.email", "libelle.fonction", "libelle.service",
    "libelle.tel_bureau", "libelle.tel_portable", "libelle.est_rl", "libelle.sa_nom",
    "libelle.sa_fqdn", "libelle.sa_email", "libelle.delegataire", "libelle.demandeur",
    "libelle.bureau_envoi", "libelle.bureau_retrait", "libelle.bon_commande", "libelle.ej",
    "libelle.code_service", "libelle.adresse_facturation", "libelle.facturation_autre", "libelle.destinataire",
    "libelle.raison_sociale", "libelle.complement_identite", "libelle.voie", "libelle.mentions",
    "libelle.lieu_dit_facturation", "libelle.pays", "libelle.oui", "libelle.non",
    "bordereau.organisation", "bordereau.siret", "bordereau.produit",
    "bordereau.titulaire", "bordereau.service_applicatif", "bordereau.responsable", "bordereau.signataires",
    "bordereau.bureau_retrait",
};

/* Texts that name a person's role, in three forms: KEY (masculine), KEY.f, KEY.n
 * (gender unknown). */
static const char *const gendered_keys[] = {
    "role.rl", "formulaire.rl", "signature.titulaire", "signature.responsable", "signature.rl",
    "signature.delegataire",
};

/* The conditions a step of the dematerialised follow-up may carry (si="..."). */
static const char *const follow_up_conditions[] = { "", "second", "face-a-face" };

static const char *const required_sections[] = {
    "organisation", "certificat", "personnes", "pieces", "modalites", "signatures",
};

static const char **read_list(struct arena *a, const xmlNode *parent, const char *name, size_t *n)
{
    *n = xml_count(parent, name);
    const char **out = arena_alloc(a, (*n + 1) * sizeof *out);
    size_t i = 0;
    XML_FOR_EACH(c, parent, name)
        out[i++] = xml_text(a, c);
    return out;
}

static bool load_texts(struct render_templates *t, struct dossier_problems *diags)
{
    const char *path = arena_printf(t->arena, "%s/textes.xml", t->dir);
    xmlDocPtr doc = xml_load_template(path, "textes", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    struct source_loc loc = { path, 0, NULL };
    t->version = xml_attr(t->arena, root, "version");
    t->text_count = xml_count(root, "texte");
    t->texts = arena_alloc(t->arena, (t->text_count + 1) * sizeof *t->texts);
    size_t i = 0;
    XML_FOR_EACH(c, root, "texte") {
        t->texts[i].key = xml_attr(t->arena, c, "cle");
        t->texts[i].value = xml_text(t->arena, c);
        if (!t->texts[i].key)
            t->texts[i].key = "";
        i++;
    }
    xmlNodePtr form = xml_child(root, "formulaire");
    t->section_count = xml_count(form, "section");
    t->sections = arena_alloc(t->arena, (t->section_count + 1) * sizeof *t->sections);
    i = 0;
    XML_FOR_EACH(c, form, "section") {
        const char *ref = xml_attr(t->arena, c, "ref");
        t->sections[i].key = ref ? ref : "";
        t->sections[i].value = xml_text(t->arena, c);
        i++;
    }
    t->commitments = read_list(t->arena, xml_child(root, "engagements"), "p", &t->commitment_count);
    t->steps = read_list(t->arena, xml_child(root, "etapes"), "etape", &t->step_count);
    xmlNodePtr follow = xml_child(root, "suite");
    t->follow_up_count = xml_count(follow, "etape");
    t->follow_up = arena_alloc(t->arena, (t->follow_up_count + 1) * sizeof *t->follow_up);
    i = 0;
    bool ok = true;
    XML_FOR_EACH(c, follow, "etape") {
        const char *cond = xml_attr(t->arena, c, "si");
        t->follow_up[i].key = cond ? cond : "";
        t->follow_up[i++].value = xml_text(t->arena, c);
        bool known = false;
        for (size_t k = 0; k < sizeof follow_up_conditions / sizeof *follow_up_conditions; k++)
            known = known || strcmp(t->follow_up[i - 1].key, follow_up_conditions[k]) == 0;
        if (!known) {
            diag_add(diags, "template.texte", NULL, loc, "<suite> : condition si=« %s » inconnue (second, face-a-face)",
                     t->follow_up[i - 1].key);
            ok = false;
        }
    }
    xmlFreeDoc(doc);

    for (size_t k = 0; k < sizeof required_keys / sizeof *required_keys; k++) {
        if (!tx_find(t, required_keys[k])) {
            diag_add(diags, "template.texte", NULL, loc, "texte « %s » manquant", required_keys[k]);
            ok = false;
        }
    }
    static const char *const genders[] = { "", ".f", ".n" };
    for (size_t k = 0; k < sizeof gendered_keys / sizeof *gendered_keys; k++) {
        for (size_t g = 0; g < 3; g++) {
            char key[96];
            snprintf(key, sizeof key, "%s%s", gendered_keys[k], genders[g]);
            if (!tx_find(t, key)) {
                diag_add(diags, "template.texte", NULL, loc, "texte « %s » manquant (rôle accordé : clé, .f et .n)", key);
                ok = false;
            }
        }
    }
    for (size_t k = 0; k < sizeof required_sections / sizeof *required_sections; k++) {
        bool found = false;
        for (size_t j = 0; j < t->section_count && !found; j++)
            found = strcmp(t->sections[j].key, required_sections[k]) == 0;
        if (!found) {
            diag_add(diags, "template.texte", NULL, loc, "section « %s » du formulaire manquante",
                     required_sections[k]);
            ok = false;
        }
    }
    for (size_t j = 0; j < t->section_count; j++) {
        for (size_t k = 0; k < j; k++)
            if (strcmp(t->sections[j].key, t->sections[k].key) == 0) {
                diag_add(diags, "template.texte", NULL, loc, "section « %s » présente deux fois", t->sections[j].key);
                ok = false;
            }
        bool known = false;
        for (size_t k = 0; k < sizeof required_sections / sizeof *required_sections; k++)
            known = known || strcmp(t->sections[j].key, required_sections[k]) == 0;
        if (!known) {
            diag_add(diags, "template.texte", NULL, loc, "section « %s » inconnue (admises : organisation, certificat, personnes, pieces, modalites, signatures)",
                     t->sections[j].key);
            ok = false;
        }
    }
    if (t->step_count == 0 || t->commitment_count == 0 || t->follow_up_count == 0) {
        diag_add(diags, "template.texte", NULL, loc, "<etapes>, <suite> et <engagements> ne peuvent pas être vides");
        ok = false;
    }
    return ok;
}

/* An item's text without its <terme> lead-in. */
static char *item_rest(struct arena *a, const xmlNode *item)
{
    size_t cap = 64;
    for (const xmlNode *c = item->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE && c->content)
            cap += strlen((const char *)c->content);
    char *raw = arena_alloc(a, cap);
    for (const xmlNode *c = item->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE && c->content)
            strcat(raw, (const char *)c->content);
    xml_collapse_blanks(raw);
    return raw;
}

static bool load_cgu(struct render_templates *t, struct dossier_problems *diags)
{
    const char *path = arena_printf(t->arena, "%s/cgu.xml", t->dir);
    xmlDocPtr doc = xml_load_template(path, "cgu", diags);
    if (!doc)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    struct cgu *c = &t->cgu;
    c->version = xml_attr(t->arena, root, "version");
    c->date = xml_attr(t->arena, root, "date");
    c->title = xml_child_text(t->arena, root, "titre");
    c->preamble = read_list(t->arena, xml_child(root, "preambule"), "p", &c->preamble_count);
    c->article_count = xml_count(root, "article");
    c->articles = arena_alloc(t->arena, (c->article_count + 1) * sizeof *c->articles);
    size_t i = 0;
    XML_FOR_EACH(art, root, "article") {
        struct cgu_article *a = &c->articles[i++];
        a->number = xml_attr(t->arena, art, "numero");
        a->title = xml_attr(t->arena, art, "titre");
        size_t blocks = xml_count(art, "p");
        XML_FOR_EACH(l, art, "liste")
            blocks += xml_count(l, "item");
        a->blocks = arena_alloc(t->arena, (blocks + 1) * sizeof *a->blocks);
        for (xmlNodePtr b = xml_child(art, NULL); b; b = xml_next(b, NULL)) {
            if (xml_is(b, "p")) {
                a->blocks[a->block_count++] = (struct cgu_block){ false, NULL, xml_text(t->arena, b) };
                continue;
            }
            if (!xml_is(b, "liste"))
                continue;
            XML_FOR_EACH(it, b, "item") {
                xmlNodePtr term = xml_child(it, "terme");
                a->blocks[a->block_count++] = (struct cgu_block){
                    true, term ? xml_text(t->arena, term) : NULL,
                    term ? item_rest(t->arena, it) : xml_text(t->arena, it) };
            }
        }
        if (!a->number)
            a->number = "";
        if (!a->title)
            a->title = "";
    }
    xmlFreeDoc(doc);
    struct source_loc loc = { path, 0, NULL };
    if (!c->version || !*c->version || c->article_count == 0) {
        diag_add(diags, "template.cgu", NULL, loc, "CGU sans attribut version ou sans article");
        return false;
    }
    /* The version's date is printed in words, as French documents date themselves. */
    int year, month, day;
    if (!c->date || !date_parse(c->date, &year, &month, &day)) {
        diag_add(diags, "template.cgu", NULL, loc, "attribut date=« %s » : date AAAA-MM-JJ attendue", c->date ? c->date : "");
        return false;
    }
    c->date_words = fr_date_words(t->arena, year, month, day);
    return true;
}

struct render_templates *render_templates_load(const char *dir, struct dossier_problems *diags)
{
    struct arena *arena = arena_new();
    struct render_templates *t = arena_alloc(arena, sizeof *t);
    t->arena = arena;
    t->dir = arena_strdup(arena, dir);
    bool ok = load_texts(t, diags);
    ok = load_cgu(t, diags) && ok;
    if (!ok) {
        arena_free(arena);
        return NULL;
    }
    return t;
}

void render_templates_free(struct render_templates *t)
{
    if (t)
        arena_free(t->arena);
}

static const char *tx_find(const struct render_templates *t, const char *key)
{
    for (size_t i = 0; i < t->text_count; i++)
        if (strcmp(t->texts[i].key, key) == 0)
            return t->texts[i].value;
    return NULL;
}

const char *tx(const struct render_templates *t, const char *key)
{
    const char *text = tx_find(t, key);
    return text ? text : "";
}

const char *tx_gendered(const struct render_templates *t, const char *key, enum gender gender)
{
    if (gender == GENDER_MASCULINE)
        return tx(t, key);
    char form[96];
    snprintf(form, sizeof form, "%s%s", key, gender == GENDER_FEMININE ? ".f" : ".n");
    const char *text = tx_find(t, form);
    /* An epicene role (titulaire) has one form. */
    return text ? text : tx(t, key);
}
