/* XML reader: <demandes>/<demande>, checked against templates/demande.xsd, no DTD ever. */
#include "input.h"
#include "reader.h"
#include "../util/arena.h"
#include "../util/fileio.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A DOCTYPE is the only place entities can be declared: refusing it before libxml2
 * sees the document rules out XXE and expansion bombs whatever the parser options.
 * The prolog of the first LEN bytes at P (UTF-8): 0 when it is clean and the root
 * element starts there (or P is no XML: the parser says so), 1 when it holds a
 * declaration ("<!DOCTYPE" or another "<!") at *AT, 2 when the root element does not
 * start within LEN bytes. */
static int prolog_status(const char *p, size_t len, long *at)
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
            return 0;   /* not XML: the parser says so */
        if (i + 1 < len && p[i + 1] == '?') {
            const char *e = memmem(p + i + 2, len - i - 2, "?>", 2);
            if (!e)
                return 2;
            i = (size_t)(e - p) + 2;
            continue;
        }
        if (i + 3 < len && memcmp(p + i, "<!--", 4) == 0) {
            const char *e = memmem(p + i + 4, len - i - 4, "-->", 3);
            if (!e)
                return 2;
            i = (size_t)(e - p) + 3;
            continue;
        }
        if (i + 1 < len && p[i + 1] == '!') {
            *at = (long)i;
            return 1;
        }
        return i + 1 < len ? 0 : 2;
    }
    return 2;
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

struct request *xml_prolog_problem(const char *path, const char *root_dir, const char *head, size_t len)
{
    long at = 0;
    switch (prolog_status(head, len, &at)) {
    case 1:
        return input_file_problem(path, root_dir, line_at(head, at), "xml.dtd", doctype_refused);
    case 2:
        return input_file_problem(path, root_dir, 1, "xml.syntax",
                                  "prologue XML de plus de 1 Mo ou sans élément racine : ce n'est pas un fichier de "
                                  "demandes");
    default:
        return NULL;
    }
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
                        const struct input_options *options, int line_offset)
{
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        bool has_child_element = false;
        for (const xmlNode *c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                has_child_element = true;
        if (has_child_element) {
            read_fields(r, n, demande, options, line_offset);
            continue;
        }
        char dotted[160];
        dotted_path(n, demande, dotted, sizeof dotted);
        int field = field_lookup(dotted);
        char *path = xml_path_of(r->arena, r->xml_path, dotted);
        if (field < 0) {
            if (!options->ignore_unknown && !has_problem_at(r, path)) {
                struct source_loc loc = { r->file, line_offset + (int)xmlGetLineNo(n), path };
                diag_add(&r->problems, "xml.unknown_field", dotted, loc,
                         "élément inconnu (les champs admis sont ceux du README)");
            }
            continue;
        }
        xmlChar *text = xmlNodeGetContent(n);
        const char *t = text ? (const char *)text : "";
        request_set(r, (enum field_id)field, t, strlen(t), line_offset + (int)xmlGetLineNo(n), path);
        xmlFree(text);
    }
}

/* The records of the document of LEN bytes at RAW; its lines are LINE_OFFSET lines
 * into the file, its first <demande> the file's FIRST_INDEX + 1-th. */
static void load_document(const char *path, const char *raw, size_t len, const struct input_options *options,
                          const char *root_dir, int line_offset, int first_index, struct request_list *out)
{
    struct arena *scratch = arena_new();
    struct xml_errors errors = { scratch, NULL, 0, 0 };
    xmlParserCtxtPtr parser = NULL;
    xmlDocPtr doc = NULL;
    xmlSchemaValidCtxtPtr valid = NULL;

    long decl;
    if (prolog_status(raw, len, &decl) == 1) {
        request_list_push(out, input_file_problem(path, root_dir, line_offset + line_at(raw, decl), "xml.dtd",
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
        request_list_push(out, input_file_problem(path, root_dir, line_offset + doctype_line, "xml.dtd",
            doctype_refused));
        goto done;
    }
    if (!doc || errors.count > 0) {
        int line = line_offset + (errors.count ? errors.items[0].line : 1);
        char msg[700];
        snprintf(msg, sizeof msg, "XML mal formé : %s",
                 errors.count ? errors.items[0].message : "document illisible");
        request_list_push(out, input_file_problem(path, root_dir, line, "xml.syntax", msg));
        goto done;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, BAD_CAST "demandes") != 0) {
        request_list_push(out, input_file_problem(path, root_dir, line_offset + (root ? (int)xmlGetLineNo(root) : 1),
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
        request_list_push(out, input_file_problem(path, root_dir, line_offset + errors.items[i].line, "xml.schema",
                                                  schema_message_fr(errors.items[i].message, fr, sizeof fr)));
        goto done;
    }

    int index = first_index;
    for (xmlNodePtr d = root->children; d; d = d->next) {
        if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, BAD_CAST "demande") != 0)
            continue;
        index++;
        struct request *r = request_new(path, root_dir);
        r->line = line_offset + (int)xmlGetLineNo(d);
        r->xml_path = arena_printf(r->arena, "/demandes/demande[%d]", index);
        for (size_t i = 0; i < errors.count; i++) {
            const struct xml_error *e = &errors.items[i];
            if (enclosing_demande(e->node, root) != d)
                continue;
            char dotted[160], fr[900];
            dotted_path(e->node, d, dotted, sizeof dotted);
            struct source_loc loc = { path, line_offset + e->line,
                                      dotted[0] ? xml_path_of(r->arena, r->xml_path, dotted) : r->xml_path };
            diag_add(&r->problems, "xml.schema", dotted[0] ? dotted : NULL, loc, "%s",
                     schema_message_fr(e->message, fr, sizeof fr));
        }
        read_fields(r, d, d, options, line_offset);
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

void xml_load_buffer(const char *path, const char *raw, size_t len, const struct input_options *options,
                     const char *root_dir, struct request_list *out)
{
    load_document(path, raw, len, options, root_dir, 0, 0, out);
}

/* --- streaming ------------------------------------------------------------------
 * A UTF-8 file is read by libxml2's xmlTextReader, one <demande> at a time: each is
 * expanded, serialised and checked as a document of its own (<demandes> around it,
 * the same schema, lines counted from where it sits in the file), then released.
 * Memory depends on the largest record, not on the file. */

/* Largest <demande> accepted, serialised. */
#define XML_MAX_RECORD_BYTES (1u << 20)

struct xml_stream {
    xmlTextReaderPtr reader;
    const char *path;
    char *root_dir;
    const struct input_options *options;
    int index;                  /* <demande> elements met */
    bool started, done;
    struct request_list queue;  /* records of the last <demande>, or a problem */
    size_t next;
    struct arena *scratch;
    struct xml_errors errors;   /* the reader's own (syntax) errors */
};

struct xml_stream *xml_stream_open(const char *path, int fd, const char *data, size_t len,
                                   const struct input_options *options, const char *root_dir)
{
    struct xml_stream *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    x->path = path;
    x->root_dir = strdup(root_dir);
    x->options = options;
    x->scratch = arena_new();
    x->errors.arena = x->scratch;
    if (!x->root_dir)
        abort();
    /* NONET: never the network; no NOENT, no DTDLOAD: entities are never expanded nor
     * fetched (and a DOCTYPE was refused before this reader was opened). */
    int flags = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    x->reader = fd >= 0 ? xmlReaderForFd(fd, path, "UTF-8", flags) : xmlReaderForMemory(data, (int)len, path, "UTF-8", flags);
    if (!x->reader)
        abort();
    xmlTextReaderSetStructuredErrorHandler(x->reader, collect_error, &x->errors);
    return x;
}

/* The line of DEMANDE's start tag. Past line 65535 libxml2 keeps the line of text
 * nodes only, and finds an element's through its first child, a blank ending a line
 * further: the line is taken from the first field (a leaf: its text is on its line)
 * less the lines before that field in OUTER, DEMANDE serialised. */
static int record_start_line(xmlNodePtr demande, const char *outer, int line)
{
    if (!demande || line < 65535)
        return line;
    xmlNodePtr leaf = demande;
    for (bool deeper = true; deeper;) {
        deeper = false;
        for (xmlNodePtr c = leaf->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE) {
                leaf = c;
                deeper = true;
                break;
            }
    }
    char tag[160];
    snprintf(tag, sizeof tag, "<%s", (const char *)leaf->name);
    const char *at = leaf != demande ? strstr(outer, tag) : NULL;
    if (!at)
        return line;
    int before = 0;
    for (const char *p = outer; p < at; p++)
        before += *p == '\n';
    return (int)xmlGetLineNo(leaf) - before;
}

static void stream_problem(struct xml_stream *x, int line, const char *code, const char *message)
{
    request_list_push(&x->queue, input_file_problem(x->path, x->root_dir, line, code, message));
}

/* Fills X->queue with the records of the next <demande> (or a problem). */
static void stream_advance(struct xml_stream *x)
{
    if (!x->started) {
        x->started = true;
        if (!x->options->schema) {
            stream_problem(x, 1, "xml.schema_missing", "schéma demande.xsd absent : contrôle impossible");
            x->done = true;
            return;
        }
        /* To the root element. */
        int rc;
        while ((rc = xmlTextReaderRead(x->reader)) == 1 && xmlTextReaderNodeType(x->reader) != XML_READER_TYPE_ELEMENT)
            if (xmlTextReaderNodeType(x->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
                break;
        if (rc == 1 && xmlTextReaderNodeType(x->reader) == XML_READER_TYPE_DOCUMENT_TYPE) {
            stream_problem(x, 1, "xml.dtd", doctype_refused);
            x->done = true;
            return;
        }
        if (rc != 1)
            goto syntax;
        xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
        if (xmlStrcmp(xmlTextReaderConstLocalName(x->reader), BAD_CAST "demandes") != 0 ||
            xmlTextReaderConstNamespaceUri(x->reader)) {
            stream_problem(x, node ? (int)xmlGetLineNo(node) : 1, "xml.root",
                           "l'élément racine doit être <demandes> (une <demande> par demande de certificat)");
            x->done = true;
            return;
        }
        if (xmlTextReaderIsEmptyElement(x->reader)) {
            x->done = true;
            return;
        }
        rc = xmlTextReaderRead(x->reader);
        if (rc != 1)
            goto syntax;
    }
    for (;;) {
        int type = xmlTextReaderNodeType(x->reader);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->reader) == 0) {
            /* </demandes>: nothing may follow but comments and blanks. */
            int rc;
            while ((rc = xmlTextReaderRead(x->reader)) == 1)
                ;
            if (rc < 0)
                goto syntax;
            x->done = true;
            return;
        }
        if (type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(x->reader) == 1) {
            xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
            int line = node ? (int)xmlGetLineNo(node) : 1;
            if (xmlStrcmp(xmlTextReaderConstLocalName(x->reader), BAD_CAST "demande") != 0) {
                char fr[400];
                snprintf(fr, sizeof fr, "élément <%s> inattendu sous <demandes> : seules des <demande> y sont "
                                        "admises (voir templates/demande.xsd)",
                         (const char *)xmlTextReaderConstLocalName(x->reader));
                stream_problem(x, line, "xml.schema", fr);
            } else {
                xmlChar *outer = xmlTextReaderReadOuterXml(x->reader);
                if (!outer)
                    goto syntax;
                line = record_start_line(xmlTextReaderCurrentNode(x->reader), (const char *)outer, line);
                size_t n = strlen((const char *)outer);
                if (n > XML_MAX_RECORD_BYTES) {
                    x->index++;
                    struct request *r = request_new(x->path, x->root_dir);
                    r->line = line;
                    r->xml_path = arena_printf(r->arena, "/demandes/demande[%d]", x->index);
                    diag_add(&r->problems, "xml.too_long", NULL, request_record_loc(r),
                             "demande de plus de %u octets : ce n'est pas une demande (fichier abîmé ?)",
                             XML_MAX_RECORD_BYTES);
                    request_list_push(&x->queue, r);
                } else {
                    char *doc = malloc(n + 32);
                    if (!doc)
                        abort();
                    int m = snprintf(doc, n + 32, "<demandes>%s</demandes>", (const char *)outer);
                    load_document(x->path, doc, (size_t)m, x->options, x->root_dir, line - 1, x->index, &x->queue);
                    x->index++;
                    free(doc);
                }
                xmlFree(outer);
            }
            /* Past this element and everything in it (released by the reader). */
            int rc = xmlTextReaderNext(x->reader);
            if (rc != 1)
                goto syntax;
            if (x->queue.count > x->next)
                return;
            continue;
        }
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
            stream_problem(x, node ? (int)xmlGetLineNo(node) : 1, "xml.schema",
                           "texte inattendu hors d'une <demande>");
        }
        int rc = xmlTextReaderRead(x->reader);
        if (rc != 1)
            goto syntax;
        if (x->queue.count > x->next)
            return;
    }
syntax:
    {
        int line = x->errors.count ? x->errors.items[0].line : xmlTextReaderGetParserLineNumber(x->reader);
        char msg[700];
        snprintf(msg, sizeof msg, "XML mal formé : %s", x->errors.count ? x->errors.items[0].message
                                                                         : "document illisible ou tronqué");
        stream_problem(x, line > 0 ? line : 1, "xml.syntax", msg);
        x->done = true;
    }
}

struct request *xml_stream_next(struct xml_stream *x)
{
    if (x->next >= x->queue.count) {
        /* The last batch is given: start afresh. */
        x->queue.count = 0;
        x->next = 0;
        if (x->done)
            return NULL;
        stream_advance(x);
        if (x->next >= x->queue.count)
            return NULL;
    }
    struct request *r = x->queue.items[x->next];
    x->queue.items[x->next++] = NULL;
    return r;
}

void xml_stream_close(struct xml_stream *x)
{
    if (!x)
        return;
    xmlFreeTextReader(x->reader);
    request_list_release(&x->queue);
    free(x->errors.items);
    arena_free(x->scratch);
    free(x->root_dir);
    free(x);
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
