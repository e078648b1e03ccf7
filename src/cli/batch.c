/* Batch driver: inputs, checks, workers, progress, messages and report — on the
 * public API only. */
#include "batch.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What is shown of a built record once its result is gone. */
struct done {
    const char *flow;
    int pages;
    char files[2][64];
    size_t file_count;
};

struct work {
    const dossier_ctx *ctx;
    const char *out_dir;
    dossier_report *report;
    dossier_record **records;
    struct done *done;
    size_t count;
    atomic_size_t next;
    atomic_size_t finished;
};

void print_config_problems(const dossier_problems *list)
{
    for (size_t i = 0; i < dossier_problems_count(list); i++) {
        const dossier_problem *p = dossier_problems_get(list, i);
        char *text = dossier_problem_format(p);
        fprintf(stderr, "dossier: %s [%s]\n", text, p->code);
        free(text);
    }
}

/* Builds record I, saves its files, adds its report row. */
static void produce(struct work *w, size_t i)
{
    dossier_record *record = w->records[i];
    dossier_result *result = NULL;
    if (dossier_problems_count(dossier_record_problems(record)) == 0 &&
        dossier_build(w->ctx, record, DOSSIER_OUTPUT_DEFAULT, &result) == DOSSIER_OK &&
        dossier_result_save(result, w->out_dir, record) == DOSSIER_OK) {
        struct done *d = &w->done[i];
        d->flow = dossier_result_flow(result);
        d->pages = dossier_result_pages(result);
        for (size_t f = 0; f < dossier_result_count(result) && f < 2; f++)
            snprintf(d->files[d->file_count++], sizeof d->files[0], "%s", dossier_result_file(result, f)->name);
    } else {
        dossier_result_free(result);
        result = NULL;
    }
    dossier_report_add(w->report, i, record, result);
    dossier_result_free(result);
}

static void *worker(void *arg)
{
    struct work *w = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->count)
            return NULL;
        produce(w, i);
        atomic_fetch_add(&w->finished, 1);
    }
}

static void progress(size_t done, size_t total)
{
    int width = 40;
    int filled = total ? (int)(done * (size_t)width / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "########################################",
            width - filled, "", done, total);
    fflush(stderr);
}

/* Runs produce over every record with JOBS threads, a progress bar on a terminal. */
static void produce_all(struct work *w, int jobs, bool show_progress)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > w->count)
        jobs = w->count ? (int)w->count : 1;
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    if (!threads)
        abort();
    /* Threads 1..started run beside this one; if the system refuses one, the
     * workers already started (and this thread) share the records. */
    int started = 0;
    for (int i = 1; i < jobs && pthread_create(&threads[i], NULL, worker, w) == 0; i++)
        started = i;
    if (!show_progress) {
        worker(w);
    } else {
        /* The main thread works too, and draws the bar between records. */
        for (;;) {
            size_t i = atomic_fetch_add(&w->next, 1);
            if (i >= w->count)
                break;
            produce(w, i);
            atomic_fetch_add(&w->finished, 1);
            progress(atomic_load(&w->finished), w->count);
        }
    }
    for (int i = 1; i <= started; i++)
        pthread_join(threads[i], NULL);
    if (show_progress) {
        progress(w->count, w->count);
        fputc('\n', stderr);
    }
    free(threads);
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

static void print_problems(const dossier_record *r)
{
    const dossier_problems *list = dossier_record_problems(r);
    for (size_t i = 0; i < dossier_problems_count(list); i++) {
        const dossier_problem *p = dossier_problems_get(list, i);
        char *text = dossier_problem_format(p);
        fprintf(stderr, "%s [%s]\n", text, p->code);
        free(text);
    }
}

static const char *record_name(const dossier_record *r)
{
    const char *n = dossier_record_get(r, "numero");
    return n ? n : "(sans numéro)";
}

/* A numero appears once in a batch: later duplicates are rejected, pointing at the
 * first. */
struct numbered {
    const char *numero;
    size_t index;
};

static int compare_numero(const void *a, const void *b)
{
    const struct numbered *x = a, *y = b;
    int c = strcmp(x->numero, y->numero);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static void check_unique(dossier_record **records, size_t count)
{
    struct numbered *sorted = malloc((count + 1) * sizeof *sorted);
    if (!sorted)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (dossier_record_get(records[i], "numero"))
            sorted[n++] = (struct numbered){ dossier_record_get(records[i], "numero"), i };
    qsort(sorted, n, sizeof *sorted, compare_numero);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (strcmp(sorted[i].numero, sorted[first].numero) != 0) {
            first = i;
            continue;
        }
        const dossier_record *orig = records[sorted[first].index];
        char message[512];
        snprintf(message, sizeof message, "numéro %s déjà utilisé dans ce lot (%s:%d)", sorted[i].numero,
                 dossier_record_file(orig), dossier_record_line(orig));
        dossier_record_add_problem(records[sorted[i].index], "numero.duplicate", "numero", message);
    }
    free(sorted);
}

int batch_run(const struct batch_options *o)
{
    int status = EXIT_ALL_DONE;
    dossier_ctx *ctx = NULL;
    dossier_problems *problems = dossier_problems_new();
    dossier_record **records = NULL;
    size_t count = 0, capacity = 0;
    struct done *done = NULL;
    dossier_report *report = NULL;

    /* Everything that can make the whole run impossible is checked before
     * anything is written: exit 2 means nothing was written. */
    for (int i = 0; i < o->input_count; i++) {
        if (access(o->inputs[i], R_OK) != 0) {
            fprintf(stderr, "dossier: %s : fichier d'entrée illisible (%s)\n", o->inputs[i], strerror(errno));
            status = EXIT_USAGE;
        }
    }
    if (status != EXIT_ALL_DONE)
        goto done;
    dossier_options lib = o->lib;
    lib.open = o->validate_only ? DOSSIER_OPEN_CHECK : DOSSIER_OPEN_CHECK | DOSSIER_OPEN_BUILD;
    if (dossier_open(&lib, &ctx, problems) != DOSSIER_OK) {
        print_config_problems(problems);
        status = EXIT_USAGE;
        goto done;
    }
    if (dossier_seal_is_demo(ctx) && !o->quiet)
        fprintf(stderr, "dossier: attention : conteneurs scellés avec le cachet de DÉMONSTRATION (%s/demo-ca.pem), "
                        "sans valeur ; utilisez --seal-key et --seal-cert en production\n", dossier_demo_dir(ctx));
    for (int i = 0; i < o->input_count; i++) {
        dossier_reader *reader;
        if (dossier_reader_open(ctx, o->inputs[i], &reader, problems) != DOSSIER_OK) {
            print_config_problems(problems);
            status = EXIT_USAGE;
            goto done;
        }
        for (dossier_record *r; (r = dossier_reader_next(reader)) != NULL;) {
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 64;
                records = realloc(records, capacity * sizeof *records);
                if (!records)
                    abort();
            }
            records[count++] = r;
        }
        dossier_reader_close(reader);
    }
    /* The output folder comes last: an exit 2 before this point left nothing behind. */
    if (o->out_dir && !ensure_dir(o->out_dir)) {
        fprintf(stderr, "dossier: %s : dossier de sortie impossible à créer ou non inscriptible (%s)\n",
                o->out_dir, strerror(errno));
        status = EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        dossier_check(ctx, records[i], DOSSIER_CHECK_PIECES);
    check_unique(records, count);

    done = calloc(count + 1, sizeof *done);
    if (!done)
        abort();
    report = dossier_report_new(ctx, o->out_dir ? o->out_dir : ".", o->validate_only);
    if (o->validate_only) {
        for (size_t i = 0; i < count; i++)
            dossier_report_add(report, i, records[i], NULL);
    } else {
        struct work w = { ctx, o->out_dir, report, records, done, count, 0, 0 };
        produce_all(&w, o->jobs, !o->quiet && isatty(STDERR_FILENO) && count > 1);
    }

    size_t accepted = 0;
    for (size_t i = 0; i < count; i++) {
        dossier_record *r = records[i];
        size_t n = dossier_problems_count(dossier_record_problems(r));
        if (n) {
            print_problems(r);
            fprintf(stderr, "%s:%d: demande %s rejetée (%zu problème%s)\n", dossier_record_file(r),
                    dossier_record_line(r), record_name(r), n, n > 1 ? "s" : "");
            continue;
        }
        accepted++;
        if (o->quiet)
            continue;
        if (o->validate_only) {
            printf("%s : acceptée (%s, %s)\n", record_name(r), dossier_record_get(r, "certificat.produit"),
                   dossier_record_flow(ctx, r));
        } else {
            printf("%s : %s, %d pages%s :", record_name(r), done[i].flow, done[i].pages,
                   dossier_seal_is_demo(ctx) ? ", cachet de démonstration" : "");
            for (size_t f = 0; f < done[i].file_count; f++)
                printf(" %s/%s", o->out_dir, done[i].files[f]);
            printf("\n");
        }
    }
    if (accepted < count)
        status = EXIT_SOME_REJECTED;
    if (!o->quiet)
        fprintf(stderr, "%zu demande%s, %zu acceptée%s, %zu rejetée%s\n", count, count > 1 ? "s" : "", accepted,
                accepted > 1 ? "s" : "", count - accepted, count - accepted > 1 ? "s" : "");
    if (o->out_dir && dossier_report_write(report, problems) != DOSSIER_OK) {
        print_config_problems(problems);
        status = EXIT_USAGE;
    }

done:
    dossier_report_free(report);
    free(done);
    for (size_t i = 0; i < count; i++)
        dossier_record_free(records[i]);
    free(records);
    dossier_close(ctx);
    dossier_problems_free(problems);
    return status;
}
