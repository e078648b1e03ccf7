/* What the readers share behind input.h: the CSV reader's streaming interface and the
 * XML reader's buffer entry point. */
#ifndef DOSSIER_READER_H
#define DOSSIER_READER_H

#include <stddef.h>

#include "input.h"

struct csv_reader;

/* Reads CSV from FD (a regular file, read twice: encoding, then records) or, with
 * FD < 0, from the LEN bytes at DATA. PATH names it in messages; ROOT is the pieces'
 * root of its records. */
struct csv_reader *csv_reader_open(const char *path, int fd, const void *data, size_t len,
                                   const struct input_options *options, const char *root);
/* The next record (a problem of the whole file comes as one record), or NULL. */
struct request *csv_reader_next(struct csv_reader *cr);
void csv_reader_close(struct csv_reader *cr);

/* Appends the records of the XML document of LEN bytes at RAW (named PATH). */
void xml_load_buffer(const char *path, const char *raw, size_t len, const struct input_options *options,
                     const char *root, struct request_list *out);

/* The problem of the XML prolog in the first LEN bytes at HEAD (a UTF-8 file), as a
 * record of the whole file: a declaration ("<!DOCTYPE", where entities are declared;
 * refused before any parser sees it), or no root element within LEN bytes. NULL when
 * the prolog is clean. */
struct request *xml_prolog_problem(const char *path, const char *root_dir, const char *head, size_t len);

/* The document's records read one <demande> at a time (UTF-8 only; the prolog
 * checked by xml_prolog_problem first): from FD (left open) or, with FD < 0, from the
 * LEN bytes at DATA. */
struct xml_stream;
struct xml_stream *xml_stream_open(const char *path, int fd, const char *data, size_t len,
                                   const struct input_options *options, const char *root_dir);
/* The next record (a problem of the whole file comes as a record), or NULL. */
struct request *xml_stream_next(struct xml_stream *x);
void xml_stream_close(struct xml_stream *x);

#endif
