/* Whole-file reads and atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read_all(const char *path, size_t max, size_t *len)
{
    /* O_NONBLOCK: opening a named pipe must not hang; it is refused below. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    bool whole = read_exact(fd, buf, size);
    int e = errno;
    close(fd);
    if (!whole) {
        free(buf);
        errno = e;
        return NULL;
    }
    buf[size] = '\0';
    *len = size;
    return buf;
}

const char *file_error(int e)
{
    switch (e) {
    case ENOENT: return "fichier introuvable";
    case EACCES: case EPERM: return "accès refusé";
    case EISDIR: return "c'est un dossier, pas un fichier";
    case EINVAL: return "pas un fichier ordinaire (tube nommé, périphérique ?) : refusé";
    case EFBIG: return "fichier trop volumineux";
    case EIO: return "fichier tronqué pendant la lecture";
    case ENOTDIR: return "chemin invalide (un élément n'est pas un dossier)";
    case ELOOP: return "trop de liens symboliques";
    case ENAMETOOLONG: return "chemin trop long";
    case ENOMEM: return "mémoire insuffisante";
    default: return strerror(e);
    }
}

bool file_is_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0;
    int e = errno;
    close(fd);
    if (!ok) {
        errno = e;
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return false;
    }
    return true;
}

bool read_exact(int fd, void *buf, size_t size)
{
    char *p = buf;
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, p + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0) {
            /* The file ended early (truncated while being read): not the whole file. */
            errno = EIO;
            return false;
        }
        got += (size_t)n;
    }
    return true;
}

bool write_exact(int fd, const void *buf, size_t size, size_t *written)
{
    const char *p = buf;
    size_t done = 0;
    bool ok = true;
    while (done < size) {
        ssize_t n = write(fd, p + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        done += (size_t)n;
    }
    if (written)
        *written = done;
    return ok;
}

bool file_write_atomic(const char *path, const void *data, size_t len)
{
    /* Dossiers and reports hold personal data: owner and group only. */
    return file_write_atomic_mode(path, data, len, FILE_OUTPUT_MODE);
}

bool file_write_atomic_mode(const char *path, const void *data, size_t len, unsigned mode)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return false;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmpXXXXXX", 11);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return false;
    }
    bool ok = write_exact(fd, data, len, NULL);
    if (ok && fchmod(fd, (mode_t)mode) != 0)
        ok = false;
    if (ok && fsync(fd) != 0)
        ok = false;
    if (close(fd) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return ok;
}

bool path_has_dotdot(const char *path)
{
    const char *s = path;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.')
            return true;
        if (!e)
            break;
        s = e + 1;
    }
    return false;
}

char *path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}
