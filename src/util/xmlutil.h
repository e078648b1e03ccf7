/* Small libxml2 helpers for trusted template files. */
#ifndef DOSSIER_XMLUTIL_H
#define DOSSIER_XMLUTIL_H

#include <libxml/tree.h>
#include <stdbool.h>

#include "diag.h"

struct arena;

/* Parses PATH (no network, no entity expansion). On failure adds a "template.xml"
 * problem to DIAGS and returns NULL. ROOT_NAME is checked when not NULL. */
xmlDocPtr xml_load_template(const char *path, const char *root_name, struct dossier_problems *diags);

/* First child element called NAME, or NULL. */
xmlNodePtr xml_child(const xmlNode *node, const char *name);
/* Next sibling element called NAME after NODE, or NULL. */
xmlNodePtr xml_next(const xmlNode *node, const char *name);
bool xml_is(const xmlNode *node, const char *name);

/* Collapses runs of blanks in TEXT to one space and trims it, in place. */
void xml_collapse_blanks(char *text);

/* Number of child elements called NAME. */
size_t xml_count(const xmlNode *node, const char *name);

/* Text of NODE (trimmed, whitespace runs collapsed) copied into ARENA; "" if none. */
char *xml_text(struct arena *arena, const xmlNode *node);
/* Text of the child NAME, or "" when it is missing. */
char *xml_child_text(struct arena *arena, const xmlNode *node, const char *name);
/* Attribute NAME, or NULL. */
char *xml_attr(struct arena *arena, const xmlNode *node, const char *name);

#define XML_FOR_EACH(var, parent, name) \
    for (xmlNodePtr var = xml_child((parent), (name)); var; var = xml_next(var, (name)))

#endif
