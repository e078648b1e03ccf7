/* Readers: CSV and XML request files into request records. */
#ifndef DOSSIER_INPUT_H
#define DOSSIER_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlschemas.h>

#include "../model/request.h"

struct input_options {
    bool ignore_unknown;        /* unknown CSV columns are skipped (XML: the schema decides) */
    const char *pieces_dir;     /* root of piece paths; NULL = the input's folder */
    xmlSchemaPtr schema;        /* templates/demande.xsd, compiled once */
};

/* Largest input file accepted (bytes). */
#define INPUT_MAX_BYTES (256u * 1024u * 1024u)

/* Each reader appends one record per request to OUT. A problem of the whole file
 * (encoding, header, XML syntax) is returned as one record holding only that
 * problem, so it is reported like any rejected record. False only when the file
 * cannot be read at all (errno set). */
bool request_load_csv(const char *path, const struct input_options *options,
                      struct request_list *out);
bool request_load_xml(const char *path, const struct input_options *options,
                      struct request_list *out);

/* Picks the reader from the content (XML starts with '<' after an optional BOM
 * and blanks), not from the extension. */
bool request_load_file(const char *path, const struct input_options *options,
                       struct request_list *out);

/* The schema at PATH, compiled; NULL (with a problem in PROBLEMS) when it cannot be
 * read or compiled. A compiled schema may be shared by threads, each validating
 * with its own context. */
xmlSchemaPtr xml_schema_load(const char *path, struct dossier_problems *problems);

/* Shared by both readers: a placeholder record for a problem of the whole file. */
struct request *input_file_problem(const char *path, const char *root, int line,
                                   const char *code, const char *message);
char *input_root(const char *path, const struct input_options *options);

#endif
