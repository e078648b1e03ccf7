/* XML reader: <demandes>/<demande>, checked against templates/demande.xsd, no DTD ever. */
#include "input.h"
#include "reader.h"
#include "../util/arena.h"
#include "../util/fileio.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A DOCTYPE is the only place entities can be declared: refusing it before libxml2
 * sees the document rules out XXE and expansion bombs whatever the parser options.
 * Returns the offset of "<!DOCTYPE" (or another "<!" declaration) in the prolog,
 * or -1 when the prolog is clean. */
static long prolog_declaration(const char *p, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        char c = p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        if (c != '<')
            return -1;
        if (i + 1 < len && p[i + 1] == '?') {
            const char *e = memmem(p + i + 2, len - i - 2, "?>", 2);
            if (!e)
                return -1;
            i = (size_t)(e - p) + 2;
            continue;
        }
        if (i + 3 < len && memcmp(p + i, "<!--", 4) == 0) {
            const char *e = memmem(p + i + 4, len - i - 4, "-->", 3);
            if (!e)
                return -1;
            i = (size_t)(e - p) + 3;
            continue;
        }
        if (i + 1 < len && p[i + 1] == '!')
            return (long)i;
        return -1;      /* the root element: the prolog is over */
    }
    return -1;
}

/* libxml2 calls this on <!DOCTYPE, before reading the internal subset, after decoding
 * whatever encoding the file declares (UTF-16, UTF-7...) that the byte scan above
 * cannot read: stopping here means no entity is ever declared. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                           const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr parser = ctx;
    int *line = parser->_private;
    *line = xmlSAX2GetLineNumber(ctx) > 0 ? xmlSAX2GetLineNumber(ctx) : 1;
    xmlStopParser(parser);
}

static const char doctype_refused[] =
    "déclaration <!DOCTYPE> refusée : les DTD et les entités ne sont pas acceptées (risque XXE ou bombe d'entités) ; retirez-la";

static int line_at(const char *text, long offset)
{
    int line = 1;
    for (long i = 0; i < offset; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

struct xml_errors {
    struct arena *arena;
    struct xml_error {
        const xmlNode *node;
        int line;
        char *message;
    } *items;
    size_t count, capacity;
};

static void collect_error(void *data, xmlErrorPtr error)
{
    struct xml_errors *errors = data;
    if (error->level == XML_ERR_WARNING)
        return;
    if (errors->count == errors->capacity) {
        errors->capacity = errors->capacity ? errors->capacity * 2 : 16;
        errors->items = realloc(errors->items, errors->capacity * sizeof *errors->items);
        if (!errors->items)
            abort();
    }
    char *msg = arena_strdup(errors->arena, error->message ? error->message : "erreur XML");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    errors->items[errors->count++] = (struct xml_error){ error->node, error->line, msg };
}

/* The path of NODE below its <demande>, dotted ("titulaire.prenom"). */
static void dotted_path(const xmlNode *node, const xmlNode *demande, char *out, size_t size)
{
    const xmlNode *chain[8];
    int depth = 0;
    for (const xmlNode *n = node; n && n != demande && depth < 8; n = n->parent)
        chain[depth++] = n;
    out[0] = '\0';
    size_t used = 0;
    for (int i = depth - 1; i >= 0; i--) {
        int w = snprintf(out + used, size - used, "%s%s", used ? "." : "",
                         (const char *)chain[i]->name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static const xmlNode *enclosing_demande(const xmlNode *node, const xmlNode *root)
{
    for (const xmlNode *n = node; n; n = n->parent)
        if (n->parent == root && n->type == XML_ELEMENT_NODE &&
            xmlStrcmp(n->name, BAD_CAST "demande") == 0)
            return n;
    return NULL;
}

/* libxml2's schema messages are English; office staff get the gist in French. */
static const char *schema_message_fr(const char *message, char *buf, size_t size)
{
    if (strstr(message, "This element is not expected"))
        snprintf(buf, size, "élément inconnu ou mal placé (voir templates/demande.xsd) : %s", message);
    else if (strstr(message, "Character content other than whitespace"))
        snprintf(buf, size, "texte inattendu hors d'un champ : %s", message);
    else if (strstr(message, "maxLength"))
        snprintf(buf, size, "valeur trop longue : %s", message);
    else
        snprintf(buf, size, "non conforme au schéma demande.xsd : %s", message);
    return buf;
}

static char *xml_path_of(struct arena *arena, const char *base, const char *dotted)
{
    char *path = arena_printf(arena, "%s/%s", base, dotted);
    for (char *s = path + strlen(base); *s; s++)
        if (*s == '.')
            *s = '/';
    return path;
}

/* The schema names every field, so it has usually flagged an unknown element
 * already: one problem is reported once. */
static bool has_problem_at(const struct request *r, const char *xml_path)
{
    for (size_t i = 0; i < r->problems.count; i++)
        if (r->problems.items[i].xml_path && strcmp(r->problems.items[i].xml_path, xml_path) == 0)
            return true;
    return false;
}

static void read_fields(struct request *r, const xmlNode *parent, const xmlNode *demande,
                        const struct input_options *options)
{
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        bool has_child_element = false;
        for (const xmlNode *c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                has_child_element = true;
        if (has_child_element) {
            read_fields(r, n, demande, options);
            continue;
        }
        char dotted[160];
        dotted_path(n, demande, dotted, sizeof dotted);
        int field = field_lookup(dotted);
        char *path = xml_path_of(r->arena, r->xml_path, dotted);
        if (field < 0) {
            if (!options->ignore_unknown && !has_problem_at(r, path)) {
                struct source_loc loc = { r->file, (int)xmlGetLineNo(n), path };
                diag_add(&r->problems, "xml.unknown_field", dotted, loc,
                         "élément inconnu (les champs admis sont ceux du README)");
            }
            continue;
        }
        xmlChar *text = xmlNodeGetContent(n);
        const char *t = text ? (const char *)text : "";
        request_set(r, (enum field_id)field, t, strlen(t), (int)xmlGetLineNo(n), path);
        xmlFree(text);
    }
}

void xml_load_buffer(const char *path, const char *raw, size_t len, const struct input_options *options,
                     const char *root_dir, struct request_list *out)
{
    struct arena *scratch = arena_new();
    struct xml_errors errors = { scratch, NULL, 0, 0 };
    xmlParserCtxtPtr parser = NULL;
    xmlDocPtr doc = NULL;
    xmlSchemaValidCtxtPtr valid = NULL;

    long decl = prolog_declaration(raw, len);
    if (decl >= 0) {
        request_list_push(out, input_file_problem(path, root_dir, line_at(raw, decl), "xml.dtd",
            doctype_refused));
        goto done;
    }

    xmlSetStructuredErrorFunc(&errors, collect_error);
    parser = xmlNewParserCtxt();
    if (!parser)
        abort();
    int doctype_line = 0;
    parser->sax->internalSubset = refuse_doctype;
    parser->_private = &doctype_line;
    /* NONET: never the network. No NOENT, no DTDLOAD: entities are never expanded
     * nor fetched. */
    doc = xmlCtxtReadMemory(parser, raw, (int)len, path, NULL,
                            XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (doctype_line > 0) {
        request_list_push(out, input_file_problem(path, root_dir, doctype_line, "xml.dtd",
            doctype_refused));
        goto done;
    }
    if (!doc || errors.count > 0) {
        int line = errors.count ? errors.items[0].line : 1;
        char msg[700];
        snprintf(msg, sizeof msg, "XML mal formé : %s",
                 errors.count ? errors.items[0].message : "document illisible");
        request_list_push(out, input_file_problem(path, root_dir, line, "xml.syntax", msg));
        goto done;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, BAD_CAST "demandes") != 0) {
        request_list_push(out, input_file_problem(path, root_dir, root ? (int)xmlGetLineNo(root) : 1,
            "xml.root", "l'élément racine doit être <demandes> (une <demande> par demande de certificat)"));
        goto done;
    }

    xmlSchemaPtr schema = options->schema;
    if (!schema) {
        request_list_push(out, input_file_problem(path, root_dir, 1, "xml.schema_missing",
            "schéma demande.xsd absent : contrôle impossible"));
        goto done;
    }
    errors.count = 0;
    valid = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(valid, collect_error, &errors);
    xmlSchemaValidateDoc(valid, doc);

    /* Problems outside any <demande> spoil the whole file. */
    for (size_t i = 0; i < errors.count; i++) {
        if (errors.items[i].node && enclosing_demande(errors.items[i].node, root))
            continue;
        char fr[900];
        request_list_push(out, input_file_problem(path, root_dir, errors.items[i].line, "xml.schema",
                                                  schema_message_fr(errors.items[i].message, fr, sizeof fr)));
        goto done;
    }

    int index = 0;
    for (xmlNodePtr d = root->children; d; d = d->next) {
        if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, BAD_CAST "demande") != 0)
            continue;
        index++;
        struct request *r = request_new(path, root_dir);
        r->line = (int)xmlGetLineNo(d);
        r->xml_path = arena_printf(r->arena, "/demandes/demande[%d]", index);
        for (size_t i = 0; i < errors.count; i++) {
            const struct xml_error *e = &errors.items[i];
            if (enclosing_demande(e->node, root) != d)
                continue;
            char dotted[160], fr[900];
            dotted_path(e->node, d, dotted, sizeof dotted);
            struct source_loc loc = { path, e->line,
                                      dotted[0] ? xml_path_of(r->arena, r->xml_path, dotted) : r->xml_path };
            diag_add(&r->problems, "xml.schema", dotted[0] ? dotted : NULL, loc, "%s",
                     schema_message_fr(e->message, fr, sizeof fr));
        }
        read_fields(r, d, d, options);
        request_list_push(out, r);
    }

done:
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (valid)
        xmlSchemaFreeValidCtxt(valid);
    if (doc)
        xmlFreeDoc(doc);
    if (parser)
        xmlFreeParserCtxt(parser);
    free(errors.items);
    arena_free(scratch);
}

/* Keeps libxml2 from printing a broken schema's errors: the first one is the message. */
static void keep_first_error(void *data, xmlErrorPtr error)
{
    char *first = data;
    if (!first[0] && error->message)
        snprintf(first, 300, "%s", error->message);
}

xmlSchemaPtr xml_schema_load(const char *path, struct dossier_problems *problems)
{
    char first[300] = "";
    /* libxml2 would print its own warning for a file it cannot open. */
    if (access(path, R_OK) != 0) {
        diag_add(problems, "template.schema", NULL, (struct source_loc){ path, 0, NULL },
                 "schéma illisible (%s) (option --templates)", strerror(errno));
        return NULL;
    }
    xmlSetStructuredErrorFunc(first, keep_first_error);
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(path);
    if (parser)
        xmlSchemaSetParserStructuredErrors(parser, keep_first_error, first);
    xmlSchemaPtr schema = parser ? xmlSchemaParse(parser) : NULL;
    if (parser)
        xmlSchemaFreeParserCtxt(parser);
    xmlSetStructuredErrorFunc(NULL, NULL);
    size_t n = strlen(first);
    while (n > 0 && (first[n - 1] == '\n' || first[n - 1] == ' '))
        first[--n] = '\0';
    if (!schema)
        diag_add(problems, "template.schema", NULL, (struct source_loc){ path, 0, NULL },
                 "schéma illisible ou invalide (option --templates)%s%s", first[0] ? " : " : "", first);
    return schema;
}
