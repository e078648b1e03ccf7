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

/* Largest XML input file accepted (bytes); CSV files are read in a stream, of any size. */
#define INPUT_MAX_BYTES (256u * 1024u * 1024u)
/* Limits of a CSV file, each refused early in bounded memory. */
#define CSV_MAX_COLUMNS 512
#define CSV_MAX_CELL_BYTES 65536

/* A file of requests, read one record at a time. CSV is streamed: memory does not
 * grow with the file. A problem of the whole file (encoding, header, XML syntax) comes
 * as one record holding only that problem, reported like any rejected record. */
struct input_reader;

/* Picks the reader from the content (XML starts with '<' after an optional BOM and
 * blanks, or is UTF-16 with a BOM), not from the extension. NULL, errno set, when
 * PATH cannot be read at all. */
struct input_reader *input_open_file(const char *path, const struct input_options *options);
/* The same over LEN bytes at DATA (not copied: they must outlive the reader), named
 * NAME in messages. */
struct input_reader *input_open_memory(const char *name, const void *data, size_t len,
                                       const struct input_options *options);
/* The next record (the caller frees it), or NULL after the last. */
struct request *input_next(struct input_reader *reader);
void input_close(struct input_reader *reader);

/* Whole files into OUT, for tests and small tools: false when the file cannot be
 * read at all (errno set). */
bool request_load_csv(const char *path, const struct input_options *options,
                      struct request_list *out);
bool request_load_xml(const char *path, const struct input_options *options,
                      struct request_list *out);
bool request_load_file(const char *path, const struct input_options *options,
                       struct request_list *out);

/* The schema at PATH, compiled; NULL (with a problem in PROBLEMS) when it cannot be
 * read or compiled. A compiled schema may be shared by threads, each validating
 * with its own context. */
xmlSchemaPtr xml_schema_load(const char *path, struct dossier_problems *problems);

/* Shared by both readers: a placeholder record for a problem of the whole file. */
struct request *input_file_problem(const char *path, const char *root, int line,
                                   const char *code, const char *message);
/* The pieces' root for records read from PATH (malloc'd). */
char *input_root(const char *path, const struct input_options *options);

#endif
