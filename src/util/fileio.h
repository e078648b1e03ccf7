/* Whole-file reads with a size cap, and atomic writes (temp file + rename). */
#ifndef DOSSIER_FILEIO_H
#define DOSSIER_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/* Reads PATH into a malloc'd buffer (NUL-terminated). Returns NULL and sets errno
 * (EFBIG past MAX bytes, EIO when it is shorter than it said) on failure. */
char *file_read_all(const char *path, size_t max, size_t *len);

/* Why a file could not be read, in French, for errno E as file_read_all sets it
 * ("n'est pas un fichier ordinaire" for a named pipe or a device). */
const char *file_error(int e);
/* True when PATH is a regular file, told without blocking (O_NONBLOCK, fstat); false
 * with errno (EINVAL: not a regular file). For paths handed to a library that opens
 * them itself. */
bool file_is_regular(const char *path);

/* Reads exactly SIZE bytes from FD into BUF; false (errno set, EIO when the input
 * ends first) otherwise. */
bool read_exact(int fd, void *buf, size_t size);
/* Writes SIZE bytes of BUF to FD, again after EINTR and short writes; false (errno set)
 * on an error, *WRITTEN (may be NULL) saying how many bytes went out. */
bool write_exact(int fd, const void *buf, size_t size, size_t *written);

/* Writes LEN bytes to PATH through a temp file in the same folder, fsync'd and
 * renamed over PATH: readers see the old file or the new one, never half of one. */
/* Mode of the files written for people (dossiers, reports): they hold personal data. */
#define FILE_OUTPUT_MODE 0640
bool file_write_atomic(const char *path, const void *data, size_t len);
/* The same with the file mode MODE (0600 for a private key). */
bool file_write_atomic_mode(const char *path, const void *data, size_t len, unsigned mode);

/* True when a "/"-separated component of PATH is "..". */
bool path_has_dotdot(const char *path);

/* Directory part of PATH ("." when none), malloc'd. */
char *path_dirname(const char *path);

#endif
