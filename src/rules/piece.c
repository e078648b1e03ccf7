/* Checks of attached files named by a record (paths, existence, type). */
#include "piece.h"
#include "../util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum piece_type piece_sniff(const unsigned char *head, size_t len)
{
    if (len >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        return PIECE_JPEG;
    if (len >= 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0)
        return PIECE_PNG;
    if (len >= 5 && memcmp(head, "%PDF-", 5) == 0)
        return PIECE_PDF;
    return PIECE_NONE;
}

const char *piece_type_name(enum piece_type type)
{
    switch (type) {
    case PIECE_JPEG: return "JPEG";
    case PIECE_PNG: return "PNG";
    case PIECE_PDF: return "PDF";
    default: return "inconnu";
    }
}

static enum piece_type type_of_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (!dot)
        return PIECE_NONE;
    if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
        return PIECE_JPEG;
    if (strcasecmp(dot, ".png") == 0)
        return PIECE_PNG;
    if (strcasecmp(dot, ".pdf") == 0)
        return PIECE_PDF;
    return PIECE_NONE;
}


#define FAIL(c, ...) do { result->code = (c); \
    snprintf(result->message, sizeof result->message, __VA_ARGS__); return; } while (0)

void piece_check(const char *root, const char *relpath, struct piece_result *result)
{
    result->code = NULL;
    result->message[0] = '\0';
    result->type = PIECE_NONE;
    result->resolved[0] = '\0';

    if (relpath[0] == '/')
        FAIL("piece.absolute", "« %s » : chemin absolu refusé ; indiquez un chemin relatif au dossier du fichier de demandes", relpath);
    if (strchr(relpath, '\\'))
        FAIL("piece.syntax", "« %s » : utilisez « / » et non « \\ » pour séparer les dossiers", relpath);
    if (path_has_dotdot(relpath))
        FAIL("piece.outside_root", "« %s » : « .. » interdit, le fichier doit se trouver dans le dossier des pièces", relpath);

    char real_root[PATH_MAX];
    if (!realpath(root, real_root))
        FAIL("piece.root", "dossier des pièces « %s » introuvable", root);
    char joined[PATH_MAX * 2];
    snprintf(joined, sizeof joined, "%s/%s", root, relpath);
    char real_file[PATH_MAX];
    if (!realpath(joined, real_file)) {
        if (errno == EACCES)
            FAIL("piece.unreadable", "« %s » : accès refusé", relpath);
        FAIL("piece.missing", "« %s » : fichier introuvable (chemin relatif au dossier %s)", relpath, root);
    }
    size_t rlen = strlen(real_root);
    if (strncmp(real_file, real_root, rlen) != 0 ||
        (real_file[rlen] != '/' && !(rlen == 1 && real_root[0] == '/')))
        FAIL("piece.outside_root", "« %s » : un lien mène hors du dossier des pièces, refusé", relpath);

    /* O_NONBLOCK: a named pipe given as a piece must not hang the batch. */
    int fd = open(real_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        FAIL("piece.unreadable", "« %s » : illisible (%s)", relpath, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        FAIL("piece.not_file", "« %s » : ce n'est pas un fichier", relpath);
    }
    if (st.st_size == 0) {
        close(fd);
        FAIL("piece.empty", "« %s » : fichier vide (0 octet)", relpath);
    }
    if ((unsigned long long)st.st_size > PIECE_MAX_BYTES) {
        close(fd);
        FAIL("piece.too_large", "« %s » : %lld octets, au-delà de la limite de %u Mo", relpath,
             (long long)st.st_size, PIECE_MAX_BYTES / (1024u * 1024u));
    }
    unsigned char head[16];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n < 0)
        FAIL("piece.unreadable", "« %s » : illisible (%s)", relpath, strerror(errno));

    enum piece_type type = piece_sniff(head, (size_t)n);
    if (type == PIECE_NONE)
        FAIL("piece.type", "« %s » : le contenu n'est ni du JPEG, ni du PNG, ni du PDF", relpath);
    enum piece_type claimed = type_of_extension(relpath);
    if (claimed != PIECE_NONE && claimed != type)
        FAIL("piece.type_mismatch", "« %s » : l'extension annonce du %s mais le contenu est du %s",
             relpath, piece_type_name(claimed), piece_type_name(type));
    result->type = type;
    snprintf(result->resolved, sizeof result->resolved, "%s", real_file);
}
