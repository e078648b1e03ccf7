/* The ZIP structure of a container walked byte by byte, for verify: every byte must
 * belong to an entry the central directory lists, so that no reader (libzip, unzip,
 * a streaming unzipper, a Java reader) sees anything the seal does not cover. */
#ifndef DOSSIER_ZIPWALK_H
#define DOSSIER_ZIPWALK_H

#include <stddef.h>

struct verify_result;

enum zipwalk_status {
    ZIPWALK_SOUND,          /* exactly the listed entries, nothing else */
    ZIPWALK_FLAWED,         /* problems added; the central directory itself is readable */
    ZIPWALK_UNREADABLE,     /* a problem added (zip.corrupt, zip.too_many_entries): stop there */
};

/* Checks that DATA (LEN bytes) is exactly: the local records of the central
 * directory's entries, in its order, from byte 0 and without gaps, each matching its
 * central record (name, method, flags, CRC, sizes; data descriptor if any); then the
 * central directory; then its end record, without comment, at the very end. No
 * ZIP64: a dossier's container never needs it (at most VERIFY_MAX_ENTRIES entries and
 * VERIFY_MAX_BYTES bytes). Problems go to R (zip.hidden_data, zip.hidden_entry,
 * zip.local_mismatch, zip.overlap, zip.trailing_data, zip.comment, zip.extra,
 * zip.zip64, zip.corrupt, zip.too_many_entries); at most MAX_ENTRIES entries are walked. */
enum zipwalk_status zipwalk_check(const unsigned char *data, size_t len, size_t max_entries,
                                  struct verify_result *r);

/* The first local header must be an uncompressed "mimetype" with no extra field and
 * no data descriptor: readers identify an ASiC-E by bytes 30.. and 38.. of the file. */
void zipwalk_check_mimetype(const unsigned char *data, size_t len, struct verify_result *r);

#endif
