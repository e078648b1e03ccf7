/* Checks of attached files named by a record (paths, existence, type). */
#include "piece.h"
#include "../util/arena.h"
#include "../util/diag.h"
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


/* TARGET quotes RELPATH before each message. */
#define FAIL(c, ...) return diag_report(target, (c), __VA_ARGS__)

bool piece_check(const char *root, const char *relpath, const struct diag_target *target,
                 struct arena *arena, const char **resolved, enum piece_type *type)
{
    if (relpath[0] == '/')
        FAIL("piece.absolute", "chemin absolu refusé ; indiquez un chemin relatif au dossier du fichier de demandes");
    if (strchr(relpath, '\\'))
        FAIL("piece.syntax", "utilisez « / » et non « \\ » pour séparer les dossiers");
    if (path_has_dotdot(relpath))
        FAIL("piece.outside_root", "« .. » interdit, le fichier doit se trouver dans le dossier des pièces");

    char real_root[PATH_MAX];
    if (!realpath(root, real_root))
        FAIL("piece.root", "dossier des pièces « %s » introuvable", root);
    char joined[PATH_MAX * 2];
    snprintf(joined, sizeof joined, "%s/%s", root, relpath);
    char real_file[PATH_MAX];
    if (!realpath(joined, real_file)) {
        if (errno == EACCES)
            FAIL("piece.unreadable", "accès refusé");
        FAIL("piece.missing", "fichier introuvable (chemin relatif au dossier %s)", root);
    }
    size_t rlen = strlen(real_root);
    if (strncmp(real_file, real_root, rlen) != 0 ||
        (real_file[rlen] != '/' && !(rlen == 1 && real_root[0] == '/')))
        FAIL("piece.outside_root", "un lien mène hors du dossier des pièces, refusé");

    /* O_NONBLOCK: a named pipe given as a piece must not hang the batch. */
    int fd = open(real_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        FAIL("piece.unreadable", "illisible (%s)", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        FAIL("piece.not_file", "ce n'est pas un fichier");
    }
    if (st.st_size == 0) {
        close(fd);
        FAIL("piece.empty", "fichier vide (0 octet)");
    }
    if ((unsigned long long)st.st_size > PIECE_MAX_BYTES) {
        close(fd);
        FAIL("piece.too_large", "%lld octets, au-delà de la limite de %u Mo",
             (long long)st.st_size, PIECE_MAX_BYTES / (1024u * 1024u));
    }
    unsigned char head[16];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n < 0)
        FAIL("piece.unreadable", "illisible (%s)", strerror(errno));

    enum piece_type actual = piece_sniff(head, (size_t)n);
    if (actual == PIECE_NONE)
        FAIL("piece.type", "le contenu n'est ni du JPEG, ni du PNG, ni du PDF");
    enum piece_type claimed = type_of_extension(relpath);
    if (claimed != PIECE_NONE && claimed != actual)
        FAIL("piece.type_mismatch", "l'extension annonce du %s mais le contenu est du %s",
             piece_type_name(claimed), piece_type_name(actual));
    *type = actual;
    *resolved = arena_strdup(arena, real_file);
    return true;
}
