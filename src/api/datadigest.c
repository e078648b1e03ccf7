/* The digest of the data a build reads (templates, fonts): part of what a resumed batch
 * compares before it skips a record, since a new CGU or a corrected wording changes
 * every dossier. Walking the folder also refuses a template that is not a regular file
 * (a named pipe would block libxml2 for ever). */
#include "api.h"
#include "../util/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DATA_FILE_MAX (64u << 20)

/* The fonts the documents and the watermark are drawn with (pdf.c, raster.c). */
static const char *const font_files[] = { "DossierSans-Regular.ttf", "DossierSans-Bold.ttf", NULL };

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds "NAME\0SIZE\0BYTES" of DIR/NAME to MD; a font (FONT) must be there. */
static bool digest_file(EVP_MD_CTX *md, const char *dir, const char *name, bool font, dossier_problems *problems)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *data = file_read_all(path, DATA_FILE_MAX, &len);
    if (!data && font) {
        diag_add(problems, "render.font", NULL, (struct source_loc){ path, 0, NULL },
                 "police introuvable ou illisible (fonts/%s : %s)", name, file_error(errno));
        return false;
    }
    if (!data) {
        diag_add(problems, errno == EINVAL ? "template.not_regular" : "template.unreadable", NULL,
                 (struct source_loc){ path, 0, NULL }, "modèle illisible (%s)", file_error(errno));
        return false;
    }
    char size[32];
    int n = snprintf(size, sizeof size, "%zu", len);
    EVP_DigestUpdate(md, name, strlen(name) + 1);
    EVP_DigestUpdate(md, size, (size_t)n + 1);
    EVP_DigestUpdate(md, data, len);
    free(data);
    return true;
}

bool data_digest(const char *templates_dir, const char *fonts_dir, char out[65], dossier_problems *problems)
{
    *out = '\0';
    /* A folder that is not there: each loader then names the template it misses. */
    DIR *d = opendir(templates_dir);
    if (!d)
        return true;
    char **names = NULL;
    size_t count = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 32;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        if (!(names[count++] = strdup(e->d_name)))
            abort();
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
        abort();
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", templates_dir, names[i]);
        /* Sub-folders and stray entries are not read; a template in use must be a file. */
        bool is_template = strstr(names[i], ".xml") || strstr(names[i], ".xsd");
        if (lstat(path, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) || is_template))
            ok = digest_file(md, templates_dir, names[i], false, problems) && ok;
        free(names[i]);
    }
    free(names);
    EVP_DigestUpdate(md, "\0fonts\0", 7);
    for (size_t i = 0; ok && fonts_dir && font_files[i]; i++)
        ok = digest_file(md, fonts_dir, font_files[i], true, problems);
    unsigned char raw[32];
    EVP_DigestFinal_ex(md, raw, NULL);
    EVP_MD_CTX_free(md);
    if (!ok)
        return false;
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return true;
}
