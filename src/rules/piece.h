/* Attached files named by a record: inside the root, existing, and of a known type. */
#ifndef DOSSIER_PIECE_H
#define DOSSIER_PIECE_H

#include <stddef.h>

enum piece_type { PIECE_NONE, PIECE_JPEG, PIECE_PNG, PIECE_PDF };

/* Largest piece accepted, in bytes. */
#define PIECE_MAX_BYTES (25u * 1024u * 1024u)

struct piece_result {
    const char *code;           /* NULL when the file is fine */
    char message[512];
    enum piece_type type;
    char resolved[4096];        /* real path of the file */
};

/* Checks RELPATH against ROOT: relative, no "..", no link leaving ROOT, a regular
 * readable non-empty file under the size cap, JPEG/PNG/PDF by its first bytes, and an
 * extension that does not claim another type. */
void piece_check(const char *root, const char *relpath, struct piece_result *result);

/* Type of a buffer from its magic bytes. */
enum piece_type piece_sniff(const unsigned char *head, size_t len);
const char *piece_type_name(enum piece_type type);

#endif
