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

#endif
