/* The batch: records streamed from the inputs through a bounded window — read,
 * checked, sent to worker processes, written, reported in input order and released —
 * so that memory does not grow with the batch; stopped cleanly by SIGINT/SIGTERM or a
 * full disk, resumed with --resume, sliced with --shard. On the public API only. */
#include "batch.h"
#include "workers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT 300
#define MAX_WORKERS 256

void print_config_problems(const dossier_problems *list)
{
    for (size_t i = 0; i < dossier_problems_count(list); i++) {
        const dossier_problem *p = dossier_problems_get(list, i);
        char *text = dossier_problem_format(p);
        fprintf(stderr, "dossier: %s [%s]\n", text, p->code);
        free(text);
    }
}

/* --- signals -------------------------------------------------------------------- */

static volatile sig_atomic_t stop_signal;
static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    int saved = errno;
    stop_signal = sig;
    if (signal_pipe[1] >= 0 && write(signal_pipe[1], "x", 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static void catch_signals(void)
{
    if (pipe(signal_pipe) == 0) {
        for (int i = 0; i < 2; i++)
            fcntl(signal_pipe[i], F_SETFL, O_NONBLOCK);
    }
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A closed terminal or session (ssh dropped, nohup forgotten) stops the batch the
     * same clean way, with its report, rather than killing it mid-record. */
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* --- numbers seen: a numero appears once in a batch ---------------------------- */

struct seen {
    char **keys;                /* "numero\tfile:line" */
    size_t capacity, count;
};

static uint64_t hash_text(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;       /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void seen_grow(struct seen *set);

/* The first place NUMERO was seen ("file:line"), or NULL, after which it is recorded
 * at WHERE. */
static const char *seen_check(struct seen *set, const char *numero, const char *where)
{
    if (set->count * 2 >= set->capacity)
        seen_grow(set);
    size_t n = strlen(numero);
    size_t i = hash_text(numero, n) & (set->capacity - 1);
    for (; set->keys[i]; i = (i + 1) & (set->capacity - 1))
        if (strncmp(set->keys[i], numero, n) == 0 && set->keys[i][n] == '\t')
            return set->keys[i] + n + 1;
    if (asprintf(&set->keys[i], "%s\t%s", numero, where) < 0)
        abort();
    set->count++;
    return NULL;
}

static void seen_grow(struct seen *set)
{
    size_t capacity = set->capacity ? set->capacity * 2 : 1024;
    char **keys = calloc(capacity, sizeof *keys);
    if (!keys)
        abort();
    for (size_t k = 0; k < set->capacity; k++) {
        char *key = set->keys[k];
        if (!key)
            continue;
        size_t i = hash_text(key, strcspn(key, "\t")) & (capacity - 1);
        while (keys[i])
            i = (i + 1) & (capacity - 1);
        keys[i] = key;
    }
    free(set->keys);
    set->keys = keys;
    set->capacity = capacity;
}

static void seen_free(struct seen *set)
{
    for (size_t i = 0; i < set->capacity; i++)
        free(set->keys[i]);
    free(set->keys);
}

/* --shard K/N: the slice of a record, by its request number (not its position), so
 * that slices stay the same when the input is reordered. Records without a number
 * and problems of a whole file go to the first slice. */
static unsigned shard_of(const dossier_record *r, unsigned shards)
{
    const char *numero = dossier_record_get(r, "numero");
    if (!numero)
        return 1;
    return (unsigned)(hash_text(numero, strlen(numero)) % shards) + 1;
}

/* --- the window ----------------------------------------------------------------- */

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

struct slot {
    enum slot_state state;
    size_t position;            /* rank in the input */
    dossier_record *record;
    dossier_result *result;     /* built and saved; NULL otherwise */
    bool resumed;               /* done by an earlier run (--resume) */
    bool abandoned;             /* not done: the batch stopped */
};

struct run {
    const struct batch_options *o;
    const dossier_ctx *ctx;
    dossier_report *report;
    struct seen seen;
    struct slot *slots;         /* a ring of WINDOW slots */
    size_t window;
    size_t head;                /* position of the oldest slot still in the window */
    size_t next;                /* position of the next record read */
    struct worker workers[MAX_WORKERS];
    int jobs;
    unsigned timeout;
    /* input */
    int input_index;
    dossier_reader *reader;
    bool input_done;
    /* stopping */
    const char *stopped;        /* why the batch stops before its end, or NULL */
    char stopped_text[600];
    bool abandon;               /* a second signal: do not wait for records in progress */
    /* counts */
    size_t read, accepted, rejected, resumed;
    /* --resume: records done again, by reason */
    struct {
        const char *why;
        size_t count;
    } redone[8];
    bool progress;
    int status;
};

static struct slot *slot_at(struct run *run, size_t position)
{
    return &run->slots[position % run->window];
}

static const char *record_name(const dossier_record *r)
{
    const char *n = dossier_record_get(r, "numero");
    return n ? n : "(sans numéro)";
}

static void clear_progress(struct run *run)
{
    if (run->progress)
        fputs("\r\033[K", stderr);
}

static void show_progress(struct run *run)
{
    if (!run->progress)
        return;
    fprintf(stderr, "\r%zu demande%s lue%s, %zu faite%s, %zu rejetée%s", run->read, run->read > 1 ? "s" : "",
            run->read > 1 ? "s" : "", run->accepted, run->accepted > 1 ? "s" : "", run->rejected,
            run->rejected > 1 ? "s" : "");
    fflush(stderr);
}

static void stop_batch(struct run *run, const char *why)
{
    if (run->stopped)
        return;
    snprintf(run->stopped_text, sizeof run->stopped_text, "%s", why);
    run->stopped = run->stopped_text;
}

/* Opens the next input file when the current one is done; false when none is left. */
static bool next_reader(struct run *run)
{
    while (!run->reader) {
        if (run->input_index >= run->o->input_count)
            return false;
        const char *path = run->o->inputs[run->input_index++];
        dossier_problems *problems = dossier_problems_new();
        if (dossier_reader_open(run->ctx, path, &run->reader, problems) != DOSSIER_OK) {
            /* It was readable at start-up: the environment changed under the batch. */
            clear_progress(run);
            print_config_problems(problems);
            char why[600];
            snprintf(why, sizeof why, "fichier d'entrée %s devenu illisible", path);
            stop_batch(run, why);
            dossier_problems_free(problems);
            return false;
        }
        dossier_problems_free(problems);
    }
    return true;
}

static dossier_record *read_record(struct run *run)
{
    while (next_reader(run)) {
        dossier_record *r = dossier_reader_next(run->reader);
        if (r)
            return r;
        dossier_reader_close(run->reader);
        run->reader = NULL;
    }
    run->input_done = true;
    return NULL;
}

/* A record --resume makes again although the earlier run did it, and why. */
static void count_redone(struct run *run, const char *why)
{
    size_t n = sizeof run->redone / sizeof *run->redone;
    for (size_t i = 0; i < n; i++) {
        if (!run->redone[i].why)
            run->redone[i].why = why;
        if (strcmp(run->redone[i].why, why) == 0) {
            run->redone[i].count++;
            return;
        }
    }
}

/* What --resume did not take from the earlier run, and why, in one line. */
static void print_redone(const struct run *run)
{
    const char *note = dossier_report_resume_note(run->report);
    if (note)
        fprintf(stderr, "dossier: reprise : %s\n", note);
    size_t total = 0, n = sizeof run->redone / sizeof *run->redone;
    for (size_t i = 0; i < n && run->redone[i].why; i++)
        total += run->redone[i].count;
    if (total == 0)
        return;
    fprintf(stderr, "dossier: reprise : %zu demande%s refaite%s bien que déjà faite%s :", total, total > 1 ? "s" : "",
            total > 1 ? "s" : "", total > 1 ? "s" : "");
    for (size_t i = 0; i < n && run->redone[i].why; i++)
        fprintf(stderr, "%s %zu %s", i ? " ;" : "", run->redone[i].count, run->redone[i].why);
    fputc('\n', stderr);
}

/* Reads records into free slots: each is checked at once; only those to build wait
 * for a worker. */
static void fill_window(struct run *run)
{
    const struct batch_options *o = run->o;
    while (!run->stopped && !run->input_done && run->next - run->head < run->window) {
        dossier_record *r = read_record(run);
        if (!r)
            return;
        size_t position = run->next++;
        if (o->shards && shard_of(r, o->shards) != o->shard) {
            /* Another slice's: still counted, so that positions are the same in every slice. */
            dossier_record_free(r);
            struct slot *s = slot_at(run, position);
            *s = (struct slot){ SLOT_DONE, position, NULL, NULL, false, false };
            continue;
        }
        run->read++;
        dossier_check(run->ctx, r, o->validate_only ? DOSSIER_CHECK_PIECES : 0);
        const char *numero = dossier_record_get(r, "numero");
        if (numero) {
            char where[4200];
            snprintf(where, sizeof where, "%s:%d", dossier_record_file(r), dossier_record_line(r));
            const char *first = seen_check(&run->seen, numero, where);
            if (first) {
                char message[4400];
                snprintf(message, sizeof message, "numéro %s déjà utilisé dans ce lot (%s)", numero, first);
                dossier_record_add_problem(r, "numero.duplicate", "numero", message);
            }
        }
        struct slot *s = slot_at(run, position);
        *s = (struct slot){ SLOT_QUEUED, position, r, NULL, false, false };
        bool rejected = dossier_problems_count(dossier_record_problems(r)) > 0;
        if (rejected || o->validate_only)
            s->state = SLOT_DONE;
        else if (o->resume && run->report) {
            const char *why = NULL;
            if (dossier_report_done(run->report, position, r, &why))
                s->state = SLOT_DONE, s->resumed = true;
            else if (why)
                count_redone(run, why);
        }
    }
}

static struct worker *idle_worker(struct run *run)
{
    for (int i = 0; i < run->jobs; i++)
        if (run->workers[i].pid > 0 && !run->workers[i].busy)
            return &run->workers[i];
    return NULL;
}

/* Sends queued records, oldest first, to idle workers. */
static void dispatch(struct run *run)
{
    for (size_t p = run->head; p < run->next && !run->stopped; p++) {
        struct slot *s = slot_at(run, p);
        if (s->state != SLOT_QUEUED)
            continue;
        struct worker *w = idle_worker(run);
        if (!w)
            return;
        if (!worker_send(w, s->record, p)) {
            worker_stop(w, true);
            worker_start(w, run->ctx);
            continue;
        }
        s->state = SLOT_BUSY;
    }
}

/* A worker died or hung on its record: the record is rejected with WHY, the worker
 * replaced. */
static void worker_lost(struct run *run, struct worker *w, bool hung)
{
    size_t p = w->slot;
    int sig = worker_stop(w, true);
    struct slot *s = slot_at(run, p);
    char message[300];
    if (hung)
        snprintf(message, sizeof message,
                 "traitement interrompu au bout de %u s (fichier joint qui bloque le décodeur ?) : la demande est rejetée, les autres continuent",
                 run->timeout);
    else
        snprintf(message, sizeof message,
                 "le traitement de cette demande a échoué (processus arrêté par le signal %d : fichier joint hostile ou endommagé ?) ; les autres continuent",
                 sig);
    dossier_record_add_problem(s->record, hung ? "worker.timeout" : "worker.crash", NULL, message);
    s->state = SLOT_DONE;
    if (!run->stopped && !worker_start(w, run->ctx))
        w->pid = 0;
}

/* The answer of W: its record is saved and done, or the batch stops (output full or
 * unwritable: every later record would fail the same way). */
static void collect(struct run *run, struct worker *w)
{
    size_t p = w->slot;
    struct slot *s = slot_at(run, p);
    dossier_record *record;
    dossier_result *result;
    if (!worker_receive(w, run->ctx, &record, &result)) {
        w->busy = true;
        worker_lost(run, w, false);
        return;
    }
    dossier_record_free(s->record);
    s->record = record;
    s->state = SLOT_DONE;
    if (!result)
        return;
    if (dossier_result_save_mode(result, run->o->out_dir, run->o->lib.output_mode ? run->o->lib.output_mode : 0640,
                                 record) != DOSSIER_OK) {
        const dossier_problems *list = dossier_record_problems(record);
        const dossier_problem *last = dossier_problems_get(list, dossier_problems_count(list) - 1);
        char why[600];
        snprintf(why, sizeof why, "%s (demande %s)", last->message, record_name(record));
        stop_batch(run, why);
        s->abandoned = true;
        dossier_result_free(result);
        return;
    }
    s->result = result;
}

/* The oldest records, once done: messages and report rows in input order, then freed. */
static void retire(struct run *run)
{
    const struct batch_options *o = run->o;
    while (run->head < run->next) {
        struct slot *s = slot_at(run, run->head);
        if (s->state != SLOT_DONE)
            return;
        dossier_record *r = s->record;
        if (r && !s->abandoned) {
            size_t n = dossier_problems_count(dossier_record_problems(r));
            bool ok = n == 0 && (o->validate_only || s->result || s->resumed);
            clear_progress(run);
            if (!ok) {
                run->rejected++;
                const dossier_problems *list = dossier_record_problems(r);
                for (size_t i = 0; i < n; i++) {
                    const dossier_problem *d = dossier_problems_get(list, i);
                    char *text = dossier_problem_format(d);
                    fprintf(stderr, "%s [%s]\n", text, d->code);
                    free(text);
                }
                fprintf(stderr, "%s:%d: demande %s rejetée (%zu problème%s)\n", dossier_record_file(r),
                        dossier_record_line(r), record_name(r), n, n > 1 ? "s" : "");
            } else {
                run->accepted++;
                run->resumed += s->resumed;
                if (o->quiet) {
                    /* nothing to say */
                } else if (o->validate_only) {
                    printf("%s : acceptée (%s, %s)\n", record_name(r), dossier_record_get(r, "certificat.produit"),
                           dossier_record_flow(run->ctx, r));
                } else if (s->resumed) {
                    printf("%s : déjà faite (reprise)\n", record_name(r));
                } else {
                    printf("%s : %s, %d pages%s :", record_name(r), dossier_result_flow(s->result),
                           dossier_result_pages(s->result), dossier_seal_is_demo(run->ctx) ? ", cachet de démonstration" : "");
                    for (size_t f = 0; f < dossier_result_count(s->result); f++)
                        printf(" %s/%s", o->out_dir, dossier_result_file(s->result, f)->name);
                    printf("\n");
                }
            }
            if (run->report && !s->resumed)
                dossier_report_add(run->report, s->position, r, s->result);
            show_progress(run);
        }
        dossier_result_free(s->result);
        dossier_record_free(r);
        *s = (struct slot){ 0 };
        run->head++;
    }
}

static bool any_busy(struct run *run)
{
    for (int i = 0; i < run->jobs; i++)
        if (run->workers[i].busy)
            return true;
    return false;
}

/* Waits for an answer, a signal or a worker's deadline; handles what came. */
static void wait_workers(struct run *run)
{
    struct pollfd fds[MAX_WORKERS + 1];
    int map[MAX_WORKERS + 1];
    int n = 0;
    time_t now = time(NULL);
    int timeout_ms = 1000;
    for (int i = 0; i < run->jobs; i++) {
        struct worker *w = &run->workers[i];
        if (!w->busy)
            continue;
        time_t left = w->started + (time_t)run->timeout - now;
        if (left <= 0) {
            worker_lost(run, w, true);
            continue;
        }
        if (left * 1000 < timeout_ms)
            timeout_ms = (int)left * 1000;
        fds[n] = (struct pollfd){ w->fd, POLLIN, 0 };
        map[n++] = i;
    }
    if (signal_pipe[0] >= 0) {
        fds[n] = (struct pollfd){ signal_pipe[0], POLLIN, 0 };
        map[n++] = -1;
    }
    if (poll(fds, (nfds_t)n, timeout_ms) <= 0)
        return;
    for (int k = 0; k < n; k++) {
        if (!fds[k].revents)
            continue;
        if (map[k] < 0) {
            char buf[16];
            while (read(signal_pipe[0], buf, sizeof buf) > 0)
                ;
            continue;
        }
        struct worker *w = &run->workers[map[k]];
        if (w->busy)
            collect(run, w);
    }
}

static void on_stop_signal(struct run *run)
{
    if (!stop_signal)
        return;
    if (run->stopped && !run->abandon) {
        /* A second signal: the records in progress are not waited for. */
        run->abandon = true;
        for (int i = 0; i < run->jobs; i++) {
            struct worker *w = &run->workers[i];
            if (!w->busy)
                continue;
            slot_at(run, w->slot)->abandoned = true;
            slot_at(run, w->slot)->state = SLOT_DONE;
            worker_stop(w, true);
        }
    }
    char why[100];
    snprintf(why, sizeof why, "arrêt demandé (signal %s)",
             stop_signal == SIGINT ? "SIGINT" : stop_signal == SIGHUP ? "SIGHUP" : "SIGTERM");
    if (!run->stopped) {
        stop_batch(run, why);
        clear_progress(run);
        fprintf(stderr, "dossier: %s : les demandes en cours s'achèvent, le rapport dira ce qui est fait (un second signal les abandonne)\n", why);
    }
    stop_signal = 0;
}

/* Queued records not yet sent are not done when the batch stops. */
static void drop_queued(struct run *run)
{
    for (size_t p = run->head; p < run->next; p++) {
        struct slot *s = slot_at(run, p);
        if (s->state == SLOT_QUEUED) {
            s->state = SLOT_DONE;
            s->abandoned = true;
        }
    }
}

static bool ensure_dir(const char *dir)
{
    char *copy = strdup(dir);
    if (!copy)
        return false;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            free(copy);
            return false;
        }
        *p = '/';
    }
    bool ok = mkdir(copy, 0755) == 0 || errno == EEXIST;
    free(copy);
    struct stat st;
    return ok && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && access(dir, W_OK) == 0;
}

/* Temporary files of an earlier run that was killed while writing ("N.zip.tmpXXXXXX"):
 * never under a final name, but not to be left lying around either. */
static void remove_stale_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    static const char *const kinds[] = { ".zip.tmp", ".pdf.tmp", ".json.tmp", ".csv.tmp" };
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            size_t kl = strlen(kinds[k]);
            if (len == 0 || len < kl + 6)
                continue;
            const char *tail = e->d_name + len - kl - 6;
            if (strncmp(tail, kinds[k], kl) == 0 && strspn(tail + kl, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == 6) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        }
    }
    closedir(d);
}

static int open_context(const struct batch_options *o, dossier_ctx **ctx)
{
    for (int i = 0; i < o->input_count; i++) {
        if (strcmp(o->inputs[i], "-") != 0 && access(o->inputs[i], R_OK) != 0) {
            fprintf(stderr, "dossier: %s : fichier d'entrée illisible (%s)\n", o->inputs[i], strerror(errno));
            return EXIT_USAGE;
        }
    }
    dossier_options lib = o->lib;
    lib.open = o->validate_only ? DOSSIER_OPEN_CHECK : DOSSIER_OPEN_CHECK | DOSSIER_OPEN_BUILD;
    /* The command line seals with the demo seal when none is given, so that the
     * samples run out of the box; the library never does unless asked. */
    if (!o->validate_only && !lib.seal_key)
        lib.open |= DOSSIER_OPEN_DEMO;
    dossier_problems *problems = dossier_problems_new();
    int status = EXIT_ALL_DONE;
    if (dossier_open(&lib, ctx, problems) != DOSSIER_OK) {
        print_config_problems(problems);
        status = EXIT_USAGE;
    }
    dossier_problems_free(problems);
    if (status == EXIT_ALL_DONE && dossier_seal_is_demo(*ctx) && !o->quiet)
        fprintf(stderr, "dossier: attention : conteneurs scellés avec le cachet de DÉMONSTRATION (%s/demo-ca.pem), "
                        "sans valeur ; utilisez --seal-key et --seal-cert en production\n", dossier_demo_dir(*ctx));
    return status;
}

int batch_run(const struct batch_options *o)
{
    dossier_ctx *ctx = NULL;
    int status = open_context(o, &ctx);
    if (status != EXIT_ALL_DONE)
        return status;
    struct run run = { .o = o, .ctx = ctx };
    run.jobs = o->validate_only ? 0 : o->jobs < 1 ? 1 : o->jobs > MAX_WORKERS ? MAX_WORKERS : o->jobs;
    run.timeout = o->timeout ? o->timeout : DEFAULT_TIMEOUT;
    /* Reading stays ahead of the workers by a bounded window. */
    run.window = (size_t)(run.jobs ? run.jobs : 1) * 4 + 8;
    run.slots = calloc(run.window, sizeof *run.slots);
    if (!run.slots)
        abort();

    /* The input's first records, before anything is written: a file that turns out
     * unreadable is still an exit 2 with nothing written. */
    if (!next_reader(&run)) {
        status = EXIT_USAGE;
        goto done;
    }
    /* The output folder comes last: an exit 2 before this point left nothing behind. */
    if (o->out_dir && !ensure_dir(o->out_dir)) {
        fprintf(stderr, "dossier: %s : dossier de sortie impossible à créer ou non inscriptible (%s)\n",
                o->out_dir, strerror(errno));
        status = EXIT_USAGE;
        goto done;
    }
    if (o->out_dir) {
        dossier_batch batch = { o->validate_only, o->resume, o->shard, o->shards,
                                (const char *const *)o->inputs, (size_t)o->input_count };
        dossier_problems *problems = dossier_problems_new();
        if (dossier_report_open(ctx, o->out_dir, &batch, &run.report, problems) != DOSSIER_OK) {
            print_config_problems(problems);
            dossier_problems_free(problems);
            status = EXIT_USAGE;
            goto done;
        }
        dossier_problems_free(problems);
        /* Under the folder's lock only: the temporaries may be another run's. */
        remove_stale_temporaries(o->out_dir);
    }
    catch_signals();
    for (int i = 0; i < run.jobs; i++) {
        if (!worker_start(&run.workers[i], ctx)) {
            if (i == 0) {
                fprintf(stderr, "dossier: impossible de lancer un processus de travail (%s)\n", strerror(errno));
                status = EXIT_USAGE;
                goto done;
            }
            run.jobs = i;       /* the system refused more: those started share the work */
            break;
        }
    }
    run.progress = !o->quiet && isatty(STDERR_FILENO);

    for (;;) {
        on_stop_signal(&run);
        fill_window(&run);
        dispatch(&run);
        if (run.stopped)
            drop_queued(&run);
        retire(&run);
        if (run.head == run.next && (run.input_done || run.stopped))
            break;
        if (any_busy(&run))
            wait_workers(&run);
    }
    clear_progress(&run);
    if (o->resume && run.report)
        print_redone(&run);

    if (!o->quiet || run.stopped) {
        fprintf(stderr, "%zu demande%s%s, %zu acceptée%s%s, %zu rejetée%s", run.read, run.read > 1 ? "s" : "",
                run.stopped ? (run.read > 1 ? " lues" : " lue") : "",
                run.accepted, run.accepted > 1 ? "s" : "", run.resumed ? " (dont des déjà faites)" : "",
                run.rejected, run.rejected > 1 ? "s" : "");
        if (run.stopped)
            fprintf(stderr, " ; lot arrêté avant la fin : %s ; relancez avec --resume pour le terminer", run.stopped);
        fputc('\n', stderr);
    }
    status = run.stopped ? EXIT_STOPPED : run.rejected ? EXIT_SOME_REJECTED : EXIT_ALL_DONE;
    if (run.report) {
        dossier_problems *problems = dossier_problems_new();
        if (dossier_report_write(run.report, run.stopped, problems) != DOSSIER_OK) {
            print_config_problems(problems);
            if (status != EXIT_STOPPED)
                status = EXIT_USAGE;
        }
        dossier_problems_free(problems);
    }

done:
    for (int i = 0; i < run.jobs; i++)
        worker_stop(&run.workers[i], false);
    for (size_t i = 0; i < run.window; i++) {
        dossier_record_free(run.slots[i].record);
        dossier_result_free(run.slots[i].result);
    }
    free(run.slots);
    dossier_reader_close(run.reader);
    dossier_report_free(run.report);
    seen_free(&run.seen);
    dossier_close(ctx);
    return status;
}

/* --- one dossier on standard output ------------------------------------------- */

static char *read_stdin(size_t max, size_t *len)
{
    size_t cap = 65536, used = 0;
    char *data = malloc(cap);
    if (!data)
        abort();
    for (;;) {
        if (used == cap) {
            if (cap >= max) {
                free(data);
                errno = EFBIG;
                return NULL;
            }
            cap *= 2;
            data = realloc(data, cap);
            if (!data)
                abort();
        }
        ssize_t n = read(STDIN_FILENO, data + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(data);
            return NULL;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    *len = used;
    return data;
}

/* --stdout builds in this process: past --timeout, the process ends with the record
 * rejected. Nothing has reached standard output then (it is written after the build),
 * so the caller gets a clean refusal, not half a PDF. */
static char timeout_message[600];

static void on_timeout(int sig)
{
    (void)sig;
    ssize_t ignored = write(STDERR_FILENO, timeout_message, strlen(timeout_message));
    (void)ignored;
    _exit(EXIT_SOME_REJECTED);
}

static void arm_timeout(const dossier_record *record, unsigned seconds)
{
    snprintf(timeout_message, sizeof timeout_message,
             "%s:%d: demande %s rejetée : traitement interrompu au bout de %u s (fichier joint qui bloque le "
             "décodeur ?) [worker.timeout]\n",
             dossier_record_file(record), dossier_record_line(record), record_name(record), seconds);
    struct sigaction sa = { 0 };
    sa.sa_handler = on_timeout;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

int batch_stdout(const struct batch_options *o, const char *input, bool zip)
{
    dossier_ctx *ctx = NULL;
    int status = open_context(o, &ctx);
    if (status != EXIT_ALL_DONE)
        return status;
    char *data = NULL;
    dossier_reader *reader = NULL;
    dossier_record *record = NULL, *extra = NULL;
    dossier_result *result = NULL;
    if (strcmp(input, "-") == 0) {
        size_t len;
        data = read_stdin(64u << 20, &len);
        if (!data) {
            fprintf(stderr, "dossier: entrée standard illisible (%s)\n", strerror(errno));
            status = EXIT_USAGE;
            goto done;
        }
        dossier_reader_open_memory(ctx, "(entrée standard)", data, len, &reader);
    } else {
        dossier_problems *problems = dossier_problems_new();
        if (dossier_reader_open(ctx, input, &reader, problems) != DOSSIER_OK) {
            print_config_problems(problems);
            status = EXIT_USAGE;
        }
        dossier_problems_free(problems);
        if (status)
            goto done;
    }
    record = dossier_reader_next(reader);
    extra = record ? dossier_reader_next(reader) : NULL;
    if (!record || extra) {
        fprintf(stderr, "dossier: --stdout : une seule demande attendue dans %s (%s)\n",
                strcmp(input, "-") == 0 ? "l'entrée standard" : input, record ? "il y en a plusieurs" : "aucune");
        status = EXIT_USAGE;
        goto done;
    }
    arm_timeout(record, o->timeout ? o->timeout : DEFAULT_TIMEOUT);
    dossier_status built = dossier_build(ctx, record, zip ? DOSSIER_OUTPUT_CONTAINER : DOSSIER_OUTPUT_PRINT, &result);
    alarm(0);
    if (built != DOSSIER_OK) {
        const dossier_problems *list = dossier_record_problems(record);
        for (size_t i = 0; i < dossier_problems_count(list); i++) {
            const dossier_problem *d = dossier_problems_get(list, i);
            char *text = dossier_problem_format(d);
            fprintf(stderr, "%s [%s]\n", text, d->code);
            free(text);
        }
        fprintf(stderr, "%s:%d: demande %s rejetée\n", dossier_record_file(record), dossier_record_line(record),
                record_name(record));
        status = EXIT_SOME_REJECTED;
        goto done;
    }
    const dossier_file *f = dossier_result_file(result, 0);
    if (fwrite(f->data, 1, f->size, stdout) != f->size || fflush(stdout) != 0) {
        fprintf(stderr, "dossier: écriture sur la sortie standard impossible (%s)\n", strerror(errno));
        status = EXIT_USAGE;
    }

done:
    dossier_result_free(result);
    dossier_record_free(extra);
    dossier_record_free(record);
    dossier_reader_close(reader);
    free(data);
    dossier_close(ctx);
    return status;
}

int batch_merge(const char *out_dir, char **dirs, int count)
{
    if (!ensure_dir(out_dir)) {
        fprintf(stderr, "dossier: %s : dossier de sortie impossible à créer ou non inscriptible (%s)\n", out_dir,
                strerror(errno));
        return EXIT_USAGE;
    }
    dossier_problems *problems = dossier_problems_new();
    dossier_status s = dossier_report_merge(out_dir, (const char *const *)dirs, (size_t)count, problems);
    print_config_problems(problems);
    dossier_problems_free(problems);
    /* Slices missing or not finished: the merged report says "complete": false, and
     * the exit status of a stopped batch tells a scheduler to run them again. */
    if (s == DOSSIER_REJECTED)
        fprintf(stderr, "dossier: lot incomplet : rapport réuni écrit dans %s avec \"complete\": false\n", out_dir);
    return s == DOSSIER_OK ? EXIT_ALL_DONE : s == DOSSIER_REJECTED ? EXIT_STOPPED : EXIT_USAGE;
}
