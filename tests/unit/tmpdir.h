/* Temporary folders for unit tests: made in a setup, removed with all they hold. */
#ifndef DOSSIER_TEST_TMPDIR_H
#define DOSSIER_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline int tmpdir_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Makes /tmp/dossier-test-NAME-XXXXXX into ROOT (SIZE bytes); 0 on success. */
static inline int tmpdir_make(char *root, size_t size, const char *name)
{
    snprintf(root, size, "/tmp/dossier-test-%s-XXXXXX", name);
    return mkdtemp(root) ? 0 : -1;
}

/* Removes ROOT and everything below it; 0 on success. */
static inline int tmpdir_remove(const char *root)
{
    return nftw(root, tmpdir_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes LEN bytes to ROOT/NAME; returns the path in a static buffer, NULL on error. */
static inline const char *tmpdir_write(const char *root, const char *name, const void *data, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t written = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || written != len)
        return NULL;
    return path;
}

#endif
