/* libxml2 helpers for the templates (trusted files, still read without network). */
#include "xmlutil.h"
#include "arena.h"

#include <libxml/parser.h>
#include <string.h>

xmlDocPtr xml_load_template(const char *path, const char *root_name, struct dossier_problems *diags)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    struct source_loc loc = { path, 0, NULL };
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        loc.line = e ? e->line : 0;
        diag_add(diags, "template.xml", NULL, loc, "modèle illisible ou XML mal formé%s%s",
                 e && e->message ? " : " : "", e && e->message ? e->message : "");
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root_name && (!root || !xml_is(root, root_name))) {
        diag_add(diags, "template.root", NULL, loc, "l'élément racine doit être <%s>", root_name);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

bool xml_is(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr xml_child(const xmlNode *node, const char *name)
{
    if (!node)
        return NULL;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && (!name || xml_is(c, name)))
            return c;
    return NULL;
}

xmlNodePtr xml_next(const xmlNode *node, const char *name)
{
    for (xmlNodePtr c = node->next; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && (!name || xml_is(c, name)))
            return c;
    return NULL;
}

char *xml_text(struct arena *arena, const xmlNode *node)
{
    if (!node)
        return arena_strdup(arena, "");
    xmlChar *raw = xmlNodeGetContent(node);
    if (!raw)
        return arena_strdup(arena, "");
    char *out = arena_strdup(arena, (const char *)raw);
    xmlFree(raw);
    /* Templates are indented by people: collapse runs of blanks to one space. */
    xml_collapse_blanks(out);
    return out;
}

void xml_collapse_blanks(char *text)
{
    char *o = text;
    bool blank = true;
    for (const char *s = text; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            if (!blank)
                *o++ = ' ';
            blank = true;
        } else {
            *o++ = *s;
            blank = false;
        }
    }
    while (o > text && o[-1] == ' ')
        o--;
    *o = '\0';
}

size_t xml_count(const xmlNode *node, const char *name)
{
    size_t n = 0;
    XML_FOR_EACH(c, node, name)
        n++;
    return n;
}

char *xml_child_text(struct arena *arena, const xmlNode *node, const char *name)
{
    return xml_text(arena, xml_child(node, name));
}

char *xml_attr(struct arena *arena, const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, BAD_CAST name);
    if (!v)
        return NULL;
    char *copy = arena_strdup(arena, (const char *)v);
    xmlFree(v);
    return copy;
}
