/* The rules of SPEC sections 1 and 2, each reported with a stable code. */
#include "validate.h"
#include "gender.h"
#include "piece.h"
#include "siret.h"
#include "syntax.h"
#include "../util/arena.h"
#include "../util/codepage.h"
#include "../util/fill.h"
#include "../util/french.h"
#include "../util/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct check {
    struct request *r;
    const struct catalogue *catalogue;
};

__attribute__((format(printf, 4, 5)))
static void problem(struct check *ck, enum field_id field, const char *code, const char *format, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, format);
    vsnprintf(msg, sizeof msg, format, ap);
    va_end(ap);
    diag_add(&ck->r->problems, code, field_table[field].name, request_loc(ck->r, field), "%s", msg);
}

static const char *get(struct check *ck, enum field_id field)
{
    return request_get(ck->r, field);
}

static void require(struct check *ck, enum field_id field, const char *why)
{
    if (!get(ck, field))
        problem(ck, field, "field.required", "champ obligatoire%s%s manquant (%s)",
                why ? " " : "", why ? why : "", field_table[field].label);
}

static void forbid(struct check *ck, enum field_id field, const char *why)
{
    if (get(ck, field))
        problem(ck, field, "field.not_applicable", "ce champ ne doit pas être rempli %s (valeur « %s »)",
                why, get(ck, field));
}

/* Generic per-kind checks of every value present. */
static void check_value(struct check *ck, enum field_id field)
{
    const char *v = get(ck, field);
    if (!v)
        return;
    switch (field_table[field].kind) {
    case FK_EMAIL:
        if (!email_is_valid(v))
            problem(ck, field, "email.syntax", "adresse e-mail « %s » invalide (forme attendue : prenom.nom@domaine.fr)", v);
        return;
    case FK_PHONE:
        if (!phone_fr_is_valid(v))
            problem(ck, field, "phone.syntax", "numéro « %s » invalide (attendu : 10 chiffres commençant par 0, ou +33, +262, +590, +594, +596 ou +269 suivi de 9 chiffres)", v);
        return;
    case FK_FQDN:
        if (!fqdn_is_valid(v))
            problem(ck, field, "fqdn.syntax", "nom de domaine « %s » invalide (lettres, chiffres et tirets, au moins deux niveaux, 63 caractères par niveau, 253 en tout)", v);
        return;
    case FK_BOOL: {
        bool b;
        if (!bool_parse(v, &b))
            problem(ck, field, "bool.syntax", "« %s » n'est pas une réponse oui/non (admis : oui, non, true, false, 1, 0)", v);
        return;
    }
    case FK_CIVILITY: {
        enum gender g;
        if (!civility_parse(v, &g))
            problem(ck, field, "civilite.syntax", "« %s » : civilité attendue (Madame, Mme, Monsieur ou M.)", v);
        return;
    }
    default:
        break;
    }
    size_t chars = utf8_length(v);
    if (chars > TEXT_MAX_CHARS)
        problem(ck, field, "text.too_long", "%zu caractères, au-delà de la limite de %d", chars, TEXT_MAX_CHARS);
    /* Line breaks only where a postal address may span lines; a name, an e-mail or
     * a code on two lines is a keying error, and would break one-line layouts. */
    static const enum field_id multiline[] = {
        F_ORG_ADRESSE, F_ORG_COMPLEMENT, F_FAC_VOIE, F_FAC_COMPLEMENT, F_FAC_MENTIONS,
    };
    bool may_break = false;
    for (size_t i = 0; i < sizeof multiline / sizeof *multiline; i++)
        may_break = may_break || multiline[i] == field;
    if (!may_break && strchr(v, '\n'))
        problem(ck, field, "text.newline", "retour à la ligne interdit dans ce champ");
    bool control = false;
    for (const char *s = v; *s && !control; s++) {
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') {
            problem(ck, field, "text.control", "caractère de contrôle (code %d) dans la valeur", *s);
            control = true;
        }
    }
    int32_t bad;
    /* A control character is already reported: do not report it twice. */
    if (!control && !text_is_printable(v, &bad))
        problem(ck, field, "text.unprintable", "le caractère U+%04X ne peut pas être imprimé dans le dossier", (unsigned)bad);
}

static bool bool_value(struct check *ck, enum field_id field, bool fallback)
{
    bool b;
    const char *v = get(ck, field);
    return v && bool_parse(v, &b) ? b : fallback;
}

static void check_identity(struct check *ck)
{
    const char *numero = get(ck, F_NUMERO);
    require(ck, F_NUMERO, NULL);
    if (numero && (!digits_only(numero) || strlen(numero) > 20))
        problem(ck, F_NUMERO, "numero.syntax", "« %s » : le numéro de demande ne contient que des chiffres (20 au plus)", numero);

    const char *date = get(ck, F_DATE);
    require(ck, F_DATE, NULL);
    struct request_facts *f = &ck->r->facts;
    if (date && !date_parse(date, &f->year, &f->month, &f->day))
        problem(ck, F_DATE, "date.syntax", "« %s » n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA)", date);
}

static void check_organisation(struct check *ck)
{
    static const enum field_id required[] = {
        F_ORG_SIREN, F_ORG_DENOMINATION, F_ORG_CATEGORIE, F_ORG_NIC, F_ORG_CODE_POSTAL, F_ORG_VILLE,
    };
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        require(ck, required[i], NULL);

    const char *siren = get(ck, F_ORG_SIREN);
    bool siren_ok = false;
    if (siren) {
        switch (siren_check(siren)) {
        case SIRET_OK: siren_ok = true; break;
        case SIRET_DIGITS:
            problem(ck, F_ORG_SIREN, "siren.digits", "« %s » : le SIREN ne contient que des chiffres", siren);
            break;
        case SIRET_LENGTH:
            problem(ck, F_ORG_SIREN, "siren.length", "« %s » : le SIREN compte 9 chiffres", siren);
            break;
        case SIRET_LUHN:
            problem(ck, F_ORG_SIREN, "siren.luhn", "« %s » : clé de contrôle du SIREN incorrecte (faute de frappe ?)", siren);
            break;
        }
    }
    const char *nic = get(ck, F_ORG_NIC);
    if (nic) {
        /* Spaces between digit groups are tolerated, as in the SIREN ("000 11"). */
        char compact[16], nic_digits[16];
        bool fits = siret_compact(nic, nic_digits, sizeof nic_digits);
        if (!fits || !digits_only(nic_digits))
            problem(ck, F_ORG_NIC, "nic.digits", "« %s » : le NIC ne contient que des chiffres", nic);
        else if (strlen(nic_digits) != 5)
            problem(ck, F_ORG_NIC, "nic.length", "« %s » : le NIC compte 5 chiffres", nic);
        else if (siren_ok && siret_compact(siren, compact, sizeof compact)) {
            char siret[16];
            snprintf(siret, sizeof siret, "%s%s", compact, nic_digits);
            if (siret_check(siret) != SIRET_OK)
                problem(ck, F_ORG_NIC, "siret.luhn", "SIRET %s : clé de contrôle incorrecte (SIREN ou NIC mal saisi ?)", siret);
        }
    }
    const char *category = get(ck, F_ORG_CATEGORIE);
    if (category && (!digits_only(category) || strlen(category) != 4 || category[0] == '0'))
        problem(ck, F_ORG_CATEGORIE, "categorie.syntax", "« %s » : code de catégorie juridique INSEE à 4 chiffres attendu (5710 SAS, 9220 association…)", category);
    /* The documents print INSEE's label of the category: a code INSEE does not have is
     * a keying error (or an old code, such as 5720), not a category to guess. */
    else if (category && !categories_label(&ck->catalogue->categories, category))
        problem(ck, F_ORG_CATEGORIE, "categorie.unknown",
                "« %s » : code absent de la nomenclature des catégories juridiques de l'INSEE (templates/categories.xml) ; recopiez celui de l'avis de situation SIRENE",
                category);
    const char *cp = get(ck, F_ORG_CODE_POSTAL);
    if (cp && !postcode_fr_is_valid(cp))
        problem(ck, F_ORG_CODE_POSTAL, "code_postal.syntax", "« %s » : code postal français à 5 chiffres attendu", cp);
}

static void check_person(struct check *ck, enum field_id first, const char *who)
{
    /* prenom, nom, email, fonction, service follow each other in fields.def */
    for (int i = 0; i < 5; i++)
        require(ck, (enum field_id)(first + i), who);
}

static void check_certificate(struct check *ck)
{
    require(ck, F_CERT_PRODUIT, NULL);
    require(ck, F_CERT_PAIEMENT, NULL);
    require(ck, F_CERT_PREREQUIS, NULL);
    const char *prerequis = get(ck, F_CERT_PREREQUIS);
    bool b;
    if (prerequis && bool_parse(prerequis, &b) && !b)
        problem(ck, F_CERT_PREREQUIS, "prerequis.false",
                "les prérequis techniques du produit doivent avoir été vérifiés avant la commande");

    const char *code = get(ck, F_CERT_PRODUIT);
    if (!code)
        return;
    const struct product *p = catalogue_product(ck->catalogue, code);
    if (!p) {
        problem(ck, F_CERT_PRODUIT, "produit.unknown", "produit « %s » inconnu du catalogue (produits : %s)", code,
                catalogue_product_codes(ck->r->arena, ck->catalogue));
        return;
    }
    ck->r->facts.product = p;
    const char *pay = get(ck, F_CERT_PAIEMENT);
    if (pay && !product_payment(p, pay))
        problem(ck, F_CERT_PAIEMENT, "paiement.unknown", "paiement « %s » non proposé pour le produit « %s » (choix : %s)",
                pay, p->code, catalogue_codes(ck->r->arena, p->payments, p->payment_count));
    const char *support = get(ck, F_CERT_SUPPORT);
    if (!support && p->support_required)
        problem(ck, F_CERT_SUPPORT, "support.required", "le produit « %s » exige un support (choix : %s)",
                p->code, catalogue_codes(ck->r->arena, p->supports, p->support_count));
    if (support && !product_support(p, support))
        problem(ck, F_CERT_SUPPORT, "support.unknown", "support « %s » non proposé pour le produit « %s » (choix : %s)",
                support, p->code, p->support_count ? catalogue_codes(ck->r->arena, p->supports, p->support_count) : "aucun");

    char why[160];
    if (p->family == FAMILY_PERSON) {
        snprintf(why, sizeof why, "pour le produit « %s » (certificat de personne physique)", p->code);
        check_person(ck, F_TIT_PRENOM, NULL);
        for (int f = F_SA_NOM; f <= F_RESP_CIVILITE; f++)
            forbid(ck, (enum field_id)f, why);
        return;
    }
    /* Seal and server certificates name a service and the person in charge of it. */
    snprintf(why, sizeof why, "pour le produit « %s » (pas de titulaire personne physique : voir responsable.*)", p->code);
    for (int f = F_TIT_PRENOM; f <= F_TIT_EST_RL; f++)
        forbid(ck, (enum field_id)f, why);
    check_person(ck, F_RESP_PRENOM, NULL);
    require(ck, F_SA_EMAIL, NULL);
    if (p->family == FAMILY_SEAL) {
        require(ck, F_SA_NOM, NULL);
        require(ck, F_SA_NOM_CONF, NULL);
        const char *a = get(ck, F_SA_NOM), *b2 = get(ck, F_SA_NOM_CONF);
        if (a && b2 && strcmp(a, b2) != 0)
            problem(ck, F_SA_NOM_CONF, "confirmation.mismatch", "« %s » diffère du nom saisi « %s »", b2, a);
        snprintf(why, sizeof why, "pour un certificat de cachet (le service est désigné par son nom)");
        forbid(ck, F_SA_FQDN, why);
        forbid(ck, F_SA_FQDN_CONF, why);
    } else {
        require(ck, F_SA_FQDN, NULL);
        require(ck, F_SA_FQDN_CONF, NULL);
        const char *a = get(ck, F_SA_FQDN), *b2 = get(ck, F_SA_FQDN_CONF);
        if (a && b2 && strcasecmp(a, b2) != 0)
            problem(ck, F_SA_FQDN_CONF, "confirmation.mismatch", "« %s » diffère du FQDN saisi « %s »", b2, a);
        snprintf(why, sizeof why, "pour un certificat serveur (le service est désigné par son FQDN)");
        forbid(ck, F_SA_NOM, why);
        forbid(ck, F_SA_NOM_CONF, why);
    }
}

/* True when the people whose first name and name start at fields A and B are one
 * person (the case of letters aside). */
static bool same_person(struct check *ck, enum field_id a, enum field_id b)
{
    for (int i = 0; i < 2; i++) {
        const char *x = get(ck, (enum field_id)(a + i)), *y = get(ck, (enum field_id)(b + i));
        if (!x || !y || !fr_equal_folded(x, y))
            return false;
    }
    return true;
}

/* One person holds one role of each kind: the representative who is the holder (or
 * the seal's responsable) signs once, with one ID copy, and so does a holder who is
 * the délégataire; nobody signs by delegation of himself. */
static void check_roles(struct check *ck, enum field_id holder, const char *holder_role)
{
    struct request_facts *f = &ck->r->facts;
    if (f->holder_is_rl && f->has_delegate)
        problem(ck, F_DEL_PRESENT, "delegataire.conflict",
                "le %s est le représentant légal : il signe lui-même la demande, sans délégataire (delegataire.present doit valoir non)",
                holder_role);
    if (f->has_delegate && !f->holder_is_rl && same_person(ck, F_DEL_PRENOM, F_RL_PRENOM))
        problem(ck, F_DEL_PRENOM, "delegataire.conflict",
                "le délégataire est le représentant légal lui-même : sans délégation, delegataire.present doit valoir non");
    /* A holder to whom the representative delegated the signature signs once, as both. */
    if (f->has_delegate && !f->holder_is_rl && same_person(ck, F_DEL_PRENOM, holder)) {
        const char *a = get(ck, F_DEL_EMAIL), *b = get(ck, (enum field_id)(holder + 2));
        if (a && b && strcasecmp(a, b) == 0)
            f->holder_is_delegate = true;
        else if (a && b)
            problem(ck, F_DEL_EMAIL, "delegataire.conflict",
                    "le délégataire porte les nom et prénom du %s mais une autre adresse e-mail : s'il s'agit de la même personne, indiquez la même adresse",
                    holder_role);
    }
    if (!f->holder_is_rl && same_person(ck, F_RL_PRENOM, holder)) {
        if (holder == F_TIT_PRENOM)
            problem(ck, F_TIT_EST_RL, "rl.conflict",
                    "le représentant légal porte les nom et prénom du titulaire : s'il s'agit de la même personne, titulaire.est_rl doit valoir oui (une pièce d'identité, une signature)");
        else
            problem(ck, F_RL_EMAIL, "rl.conflict",
                    "le représentant légal porte les nom et prénom du responsable du certificat mais une autre adresse e-mail : s'il s'agit de la même personne, indiquez la même adresse");
    }
}

static void check_people(struct check *ck)
{
    const struct product *p = ck->r->facts.product;
    struct request_facts *f = &ck->r->facts;
    f->holder_is_rl = p && p->family == FAMILY_PERSON && bool_value(ck, F_TIT_EST_RL, false);
    /* A seal or server has no est_rl: the responsable is the representative when the
     * request names the same person, with the same e-mail, for both. */
    if (p && p->family != FAMILY_PERSON && same_person(ck, F_RL_PRENOM, F_RESP_PRENOM)) {
        const char *a = get(ck, F_RL_EMAIL), *b = get(ck, F_RESP_EMAIL);
        f->holder_is_rl = a && b && strcasecmp(a, b) == 0;
    }
    if (f->holder_is_rl) {
        /* The RL is the titulaire: repeated values must agree with the titulaire's. */
        static const enum field_id rl[] = { F_RL_PRENOM, F_RL_NOM, F_RL_EMAIL };
        static const enum field_id tit[] = { F_TIT_PRENOM, F_TIT_NOM, F_TIT_EMAIL };
        for (int i = 0; i < 3; i++) {
            const char *a = get(ck, rl[i]), *b = get(ck, tit[i]);
            if (a && b && strcasecmp(a, b) != 0)
                problem(ck, rl[i], "rl.conflict", "« %s » diffère du titulaire (« %s ») alors que le titulaire est déclaré représentant légal", a, b);
        }
    } else {
        for (int i = F_RL_PRENOM; i <= F_RL_EMAIL; i++)
            require(ck, (enum field_id)i, NULL);
    }

    f->has_delegate = bool_value(ck, F_DEL_PRESENT, false);
    if (f->has_delegate) {
        for (int i = F_DEL_PRENOM; i <= F_DEL_EMAIL; i++)
            require(ck, (enum field_id)i, "quand la demande est signée par un délégataire");
    } else {
        const char *why = "sans délégataire (delegataire.present vaut non)";
        for (int i = F_DEL_PRENOM; i <= F_DEL_CIVILITE; i++)
            forbid(ck, (enum field_id)i, why);
        forbid(ck, F_PCE_ID_DELEGATAIRE, why);
        forbid(ck, F_PCE_ID_DELEGATAIRE_VERSO, why);
        forbid(ck, F_PCE_DELEGATION, why);
    }
    if (p)
        check_roles(ck, p->family == FAMILY_PERSON ? F_TIT_PRENOM : F_RESP_PRENOM,
                    p->family == FAMILY_PERSON ? "titulaire" : "responsable du certificat");
}

static void check_modalities(struct check *ck)
{
    static const enum field_id offices[] = { F_MOD_BUREAU_ENVOI, F_MOD_BUREAU_RETRAIT };
    for (int i = 0; i < 2; i++) {
        require(ck, offices[i], NULL);
        const char *code = get(ck, offices[i]);
        if (code && !catalogue_office(ck->catalogue, code))
            problem(ck, offices[i], "bureau.unknown", "bureau « %s » inconnu (bureaux : %s)", code,
                    catalogue_office_codes(ck->r->arena, ck->catalogue));
    }

    const char *where = get(ck, F_FAC_ADRESSE);
    bool other = where && strcasecmp(where, "autre") == 0;
    if (where && !other && strcasecmp(where, "etablissement") != 0 && strcasecmp(where, "établissement") != 0)
        problem(ck, F_FAC_ADRESSE, "facturation.adresse", "« %s » : valeurs admises « etablissement » (par défaut) ou « autre »", where);
    ck->r->facts.billing_other = other;
    if (other) {
        static const enum field_id required[] = { F_FAC_DESTINATAIRE, F_FAC_PAYS, F_FAC_CODE_POSTAL, F_FAC_VILLE };
        for (size_t i = 0; i < 4; i++)
            require(ck, required[i], "quand l'adresse de facturation est « autre »");
        const char *pays = get(ck, F_FAC_PAYS), *cp = get(ck, F_FAC_CODE_POSTAL);
        if (cp && (!pays || strcasecmp(pays, "france") == 0) && !postcode_fr_is_valid(cp))
            problem(ck, F_FAC_CODE_POSTAL, "code_postal.syntax", "« %s » : code postal français à 5 chiffres attendu", cp);
    } else {
        const char *why = "quand la facture va à l'établissement (facturation.adresse n'est pas « autre »)";
        for (int i = F_FAC_DESTINATAIRE; i <= F_FAC_VILLE; i++)
            forbid(ck, (enum field_id)i, why);
    }
}

/* The acts the organisation's rule asks for: a file for an act it does not ask for is
 * an error naming the rule (no silent drop), and the portal's single upload may not
 * be given beside the act it stands for. A category that cannot request here is
 * refused with the rule's message. */
static void check_acts(struct check *ck)
{
    const char *category = get(ck, F_ORG_CATEGORIE);
    if (!category || !digits_only(category) || strlen(category) != 4)
        return;
    const struct pieces_rule *rule = catalogue_pieces_rule(ck->catalogue, category);
    ck->r->facts.rule = rule;
    if (rule->refusal) {
        const struct fill contact = { "contact", ck->catalogue->authority.email };
        problem(ck, F_ORG_CATEGORIE, "categorie.refused", "%s (%s) : %s", category, rule->label,
                tx_fill(ck->r->arena, rule->refusal, &contact, 1));
        return;
    }
    for (int f = F_PCE_KBIS; f < F_PCE_ACTE_NOMINATION; f++) {
        if (!get(ck, (enum field_id)f))
            continue;
        const char *code = field_table[f].name + strlen("pieces.");
        if (!pieces_rule_act(rule, code, NULL))
            problem(ck, (enum field_id)f, "piece.not_asked",
                    "« %s » : la règle « %s » (catégorie %s) ne demande pas ce document (%s)", get(ck, (enum field_id)f),
                    rule->label, category, field_table[f].label);
    }
    char proof[64];
    snprintf(proof, sizeof proof, "pieces.%s", rule->proof);
    int proof_field = field_lookup(proof);
    if (get(ck, F_PCE_ACTE_NOMINATION) && proof_field >= 0 && get(ck, (enum field_id)proof_field))
        problem(ck, F_PCE_ACTE_NOMINATION, "piece.duplicate",
                "« %s » : pour la règle « %s », ce dépôt est l'acte %s, déjà fourni par %s (« %s ») : n'en gardez qu'un",
                get(ck, F_PCE_ACTE_NOMINATION), rule->label, rule->proof, proof, get(ck, (enum field_id)proof_field));
}

static void check_pieces(struct check *ck)
{
    if (ck->r->facts.holder_is_rl) {
        const char *why = "quand le titulaire (ou le responsable du certificat) est le représentant légal : sa pièce d'identité est pieces.id_titulaire";
        forbid(ck, F_PCE_ID_RL, why);
        forbid(ck, F_PCE_ID_RL_VERSO, why);
    }
    if (ck->r->facts.holder_is_delegate) {
        const char *why = "quand le délégataire est le titulaire (ou le responsable du certificat) : sa pièce d'identité est pieces.id_titulaire";
        forbid(ck, F_PCE_ID_DELEGATAIRE, why);
        forbid(ck, F_PCE_ID_DELEGATAIRE_VERSO, why);
    }
    /* A verso goes with its recto: alone, it would be listed as the whole copy. */
    static const enum field_id versos[] = { F_PCE_ID_TITULAIRE_VERSO, F_PCE_ID_RL_VERSO, F_PCE_ID_DELEGATAIRE_VERSO };
    for (size_t i = 0; i < sizeof versos / sizeof *versos; i++)
        if (get(ck, versos[i]) && !get(ck, (enum field_id)(versos[i] - 1)))
            problem(ck, versos[i], "piece.verso_alone", "« %s » : verso sans recto ; indiquez le recto dans %s",
                    get(ck, versos[i]), field_table[versos[i] - 1].name);
    check_acts(ck);
    for (int i = 0; i < PIECE_FIELD_COUNT; i++) {
        enum field_id field = (enum field_id)(F_PCE_ID_TITULAIRE + i);
        const char *rel = get(ck, field);
        if (!rel)
            continue;
        struct diag_target target = request_target(ck->r, field);
        piece_check(ck->r->root, rel, &target, ck->r->arena, &ck->r->facts.piece_path[i],
                    &ck->r->facts.piece_type[i]);
    }
}

void request_validate(struct request *r, const struct catalogue *catalogue)
{
    struct check ck = { r, catalogue };
    for (int i = 0; i < FIELD_COUNT; i++)
        check_value(&ck, (enum field_id)i);
    check_identity(&ck);
    r->facts.paper = bool_value(&ck, F_PAPIER, false);
    check_organisation(&ck);
    check_certificate(&ck);
    check_people(&ck);
    check_modalities(&ck);
    check_pieces(&ck);
}

struct numbered {
    struct request *r;
    size_t index;       /* input order: the first of equal numeros wins */
};

static int compare_numero(const void *a, const void *b)
{
    const struct numbered *na = a, *nb = b;
    int c = strcmp(request_get(na->r, F_NUMERO), request_get(nb->r, F_NUMERO));
    if (c)
        return c;
    return na->index < nb->index ? -1 : na->index > nb->index;
}

void requests_check_unique(struct request_list *list)
{
    struct numbered *sorted = malloc((list->count + 1) * sizeof *sorted);
    if (!sorted)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        if (request_get(list->items[i], F_NUMERO))
            sorted[n++] = (struct numbered){ list->items[i], i };
    qsort(sorted, n, sizeof *sorted, compare_numero);
    size_t first = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(request_get(sorted[i].r, F_NUMERO), request_get(sorted[first].r, F_NUMERO)) != 0) {
            first = i;
            continue;
        }
        struct source_loc where = request_loc(sorted[first].r, F_NUMERO);
        diag_add(&sorted[i].r->problems, "numero.duplicate", "numero", request_loc(sorted[i].r, F_NUMERO),
                 "numéro %s déjà utilisé dans ce lot (%s:%d)", request_get(sorted[i].r, F_NUMERO),
                 where.file, where.line);
    }
    free(sorted);
}
