/* Worker processes and the frames they exchange with the batch over a socket pair:
 * a 64-bit length, then that many bytes — a packed record one way, a packed record
 * and a packed result (or an empty frame) the other. */
#include "workers.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Largest frame accepted: a dossier with every piece, its container and its PDF. */
#define FRAME_MAX ((uint64_t)1 << 31)

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool read_all(int fd, void *data, size_t len)
{
    char *p = data;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool send_frame(int fd, const unsigned char *data, size_t len)
{
    uint64_t n = len;
    return write_all(fd, &n, sizeof n) && (len == 0 || write_all(fd, data, len));
}

/* A malloc'd frame; *LEN its size. False at the end of the stream or on nonsense. */
static bool receive_frame(int fd, unsigned char **data, size_t *len)
{
    uint64_t n;
    if (!read_all(fd, &n, sizeof n) || n > FRAME_MAX)
        return false;
    *data = malloc(n ? (size_t)n : 1);
    if (!*data)
        abort();
    if (n > 0 && !read_all(fd, *data, (size_t)n)) {
        free(*data);
        return false;
    }
    *len = (size_t)n;
    return true;
}

/* True when SPEC, "kind:numero,kind:numero", lists KIND:NUMERO. */
static bool listed(const char *spec, const char *kind, const char *numero)
{
    char want[64];
    snprintf(want, sizeof want, "%s:%s", kind, numero);
    size_t n = strlen(want);
    for (const char *p = spec; (p = strstr(p, want)) != NULL; p += n)
        if ((p == spec || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
            return true;
    return false;
}

/* Test hook: DOSSIER_TEST_FAULT="crash:N,hang:M" makes the worker building request N
 * crash and the one building M hang, as a hostile file could make a decoder do. */
static void injected_fault(const dossier_record *record)
{
    const char *spec = getenv("DOSSIER_TEST_FAULT");
    const char *numero = dossier_record_get(record, "numero");
    if (!spec || !numero)
        return;
    if (listed(spec, "crash", numero)) {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    while (listed(spec, "hang", numero))
        pause();
}

static void serve(int fd, const dossier_ctx *ctx)
{
    unsigned char *data;
    size_t len;
    while (receive_frame(fd, &data, &len)) {
        dossier_record *record = dossier_record_unpack(ctx, data, len);
        free(data);
        if (!record)
            _exit(3);
        injected_fault(record);
        dossier_result *result = NULL;
        if (dossier_build(ctx, record, DOSSIER_OUTPUT_DEFAULT, &result) != DOSSIER_OK)
            result = NULL;
        unsigned char *rec = NULL, *res = NULL;
        size_t rec_len = 0, res_len = 0;
        dossier_record_pack(record, &rec, &rec_len);
        if (result)
            dossier_result_pack(result, &res, &res_len);
        bool ok = send_frame(fd, rec, rec_len) && send_frame(fd, res, res_len);
        free(rec);
        free(res);
        dossier_result_free(result);
        dossier_record_free(record);
        if (!ok)
            _exit(3);
    }
    _exit(0);
}

bool worker_start(struct worker *w, const dossier_ctx *ctx)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        errno = e;
        return false;
    }
    if (pid == 0) {
        /* Only its own socket: the others' ends, the journal, the input stay with the
         * batch (a worker holding a sibling's socket would keep it from ever seeing
         * the end of its stream). */
        if (dup2(fds[1], 3) < 0)
            _exit(3);
        close_range(4, ~0u, 0);
        /* The batch decides when to stop: a Ctrl-C reaches the whole process group,
         * the workers finish their record. If the batch dies, they go with it. */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGPIPE, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1)
            _exit(0);
        serve(3, ctx);
    }
    close(fds[1]);
    *w = (struct worker){ .pid = pid, .fd = fds[0] };
    return true;
}

bool worker_send(struct worker *w, const dossier_record *record, size_t slot)
{
    unsigned char *data;
    size_t len;
    dossier_record_pack(record, &data, &len);
    bool ok = send_frame(w->fd, data, len);
    free(data);
    w->busy = ok;
    w->slot = slot;
    w->started = time(NULL);
    return ok;
}

bool worker_receive(struct worker *w, const dossier_ctx *ctx, dossier_record **record, dossier_result **result)
{
    unsigned char *rec, *res;
    size_t rec_len, res_len;
    *record = NULL;
    *result = NULL;
    if (!receive_frame(w->fd, &rec, &rec_len))
        return false;
    if (!receive_frame(w->fd, &res, &res_len)) {
        free(rec);
        return false;
    }
    *record = dossier_record_unpack(ctx, rec, rec_len);
    if (res_len > 0)
        *result = dossier_result_unpack(res, res_len);
    bool ok = *record && (res_len == 0 || *result);
    free(rec);
    free(res);
    if (!ok) {
        dossier_record_free(*record);
        dossier_result_free(*result);
        *record = NULL;
        *result = NULL;
    }
    w->busy = false;
    return ok;
}

int worker_stop(struct worker *w, bool kill_it)
{
    if (w->pid <= 0)
        return 0;
    if (kill_it)
        kill(w->pid, SIGKILL);
    close(w->fd);
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    w->busy = false;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}
