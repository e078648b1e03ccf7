/* Attached files named by a record: inside the root, existing, and of a known type. */
#ifndef DOSSIER_PIECE_H
#define DOSSIER_PIECE_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/piece_type.h"

struct arena;
struct diag_target;

/* Largest piece accepted, in bytes. */
#define PIECE_MAX_BYTES (25u * 1024u * 1024u)

/* Checks RELPATH against ROOT: relative, no "..", no link leaving ROOT, a regular
 * readable non-empty file under the size cap, JPEG/PNG/PDF by its first bytes, and an
 * extension that does not claim another type. On success *RESOLVED (the real path,
 * in ARENA) and *TYPE are set; otherwise the problem goes to TARGET. */
bool piece_check(const char *root, const char *relpath, const struct diag_target *target,
                 struct arena *arena, const char **resolved, enum piece_type *type);

/* Type of a buffer from its magic bytes. */
enum piece_type piece_sniff(const unsigned char *head, size_t len);
const char *piece_type_name(enum piece_type type);

#endif
