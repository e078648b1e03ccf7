/* Worker processes: each builds the records it is sent, one at a time, and sends back
 * the record (with its problems) and its result. A crash or a hang inside one record
 * (a hostile PDF in poppler, say) costs that record only; and each process has its
 * own poppler, which cannot be used by two threads at once. */
#ifndef DOSSIER_CLI_WORKERS_H
#define DOSSIER_CLI_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <dossier.h>

struct worker {
    pid_t pid;                  /* 0: not running */
    int fd;                     /* the socket to it */
    bool busy;
    size_t slot;                /* what it is working on, when busy */
    time_t started;
};

/* Forks a worker that builds with CTX (inherited, already open). False (errno set)
 * when the system refuses. */
bool worker_start(struct worker *w, const dossier_ctx *ctx);

/* Sends RECORD to W, which becomes busy with SLOT. False when W is gone. */
bool worker_send(struct worker *w, const dossier_record *record, size_t slot);

/* Reads W's answer (it has one ready: poll said so): the record back and its result
 * (NULL when not built). False when W died or answered nonsense. */
bool worker_receive(struct worker *w, const dossier_ctx *ctx, dossier_record **record, dossier_result **result);

/* Stops W: closes its socket (it exits when idle), or kills it when KILL; reaps it.
 * Returns the signal that ended it (0 for an exit). */
int worker_stop(struct worker *w, bool kill);

#endif
