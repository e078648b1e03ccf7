/* Batch driver: inputs, validation, workers, progress, messages and report. */
#include "batch.h"
#include "produce.h"
#include "report.h"
#include "../rules/catalogue.h"
#include "../rules/validate.h"
#include "../render/pdf.h"
#include "../render/raster.h"
#include "../render/texts.h"
#include "../package/seal.h"
#include "../util/arena.h"
#include "../version.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct work {
    const struct produce_context *context;
    struct record_result *results;
    size_t count;
    atomic_size_t next;
    atomic_size_t done;
};

static void *worker(void *arg)
{
    struct work *w = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->count)
            return NULL;
        struct record_result *res = &w->results[i];
        if (res->request->problems.count == 0)
            dossier_produce(w->context, res->request, res);
        atomic_fetch_add(&w->done, 1);
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

/* Runs dossier_produce over RESULTS with JOBS threads, a progress bar on a terminal. */
static void produce_all(const struct produce_context *context, struct record_result *results,
                        size_t count, int jobs, bool show_progress)
{
    struct work w = { context, results, count, 0, 0 };
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > count)
        jobs = count ? (int)count : 1;
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    if (!threads)
        abort();
    /* Threads 1..started run beside this one; if the system refuses one, the
     * workers already started (and this thread) share the records. */
    int started = 0;
    for (int i = 1; i < jobs && pthread_create(&threads[i], NULL, worker, &w) == 0; i++)
        started = i;
    if (!show_progress) {
        worker(&w);
    } else {
        /* The main thread works too, and draws the bar between records. */
        for (;;) {
            size_t i = atomic_fetch_add(&w.next, 1);
            if (i >= w.count)
                break;
            if (results[i].request->problems.count == 0)
                dossier_produce(context, results[i].request, &results[i]);
            atomic_fetch_add(&w.done, 1);
            progress(atomic_load(&w.done), count);
        }
    }
    for (int i = 1; i <= started; i++)
        pthread_join(threads[i], NULL);
    if (show_progress) {
        progress(count, count);
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

static void print_problems(const struct request *r)
{
    struct arena *a = arena_new();
    for (size_t i = 0; i < r->problems.count; i++)
        fprintf(stderr, "%s [%s]\n", diag_format(a, &r->problems.items[i]), r->problems.items[i].code);
    arena_free(a);
}

/* Validation checked the pieces' paths and magic bytes; their contents (corrupt,
 * truncated, oversized, too many pages) are checked here by decoding a thumbnail,
 * so that `validate` reports what `build` would refuse, before anything is rendered. */
static void check_piece_contents(struct request *r)
{
    for (int i = 0; i < PIECE_FIELD_COUNT; i++) {
        if (!r->facts.piece_path[i])
            continue;
        struct raster_error err;
        if (raster_check_piece(r->facts.piece_path[i], r->facts.piece_type[i], &err))
            continue;
        enum field_id field = (enum field_id)(F_PCE_ID_TITULAIRE + i);
        diag_add(&r->problems, err.code, field_table[field].name, request_loc(r, field), "« %s » : %s",
                 request_get(r, field), err.message);
    }
}

static const char *record_name(const struct request *r)
{
    const char *n = request_get(r, F_NUMERO);
    return n ? n : "(sans numéro)";
}

int batch_run(const struct batch_options *o)
{
    int status = EXIT_ALL_DONE;
    struct arena *arena = arena_new();
    struct diag_list config;
    diag_list_init(&config, arena);
    struct catalogue *catalogue = NULL;
    struct request_list requests = { 0 };
    struct record_result *results = NULL;
    struct render_templates *texts = NULL;
    struct seal seal = { 0 };

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
    catalogue = catalogue_load(o->templates_dir, &config);
    if (!catalogue) {
        for (size_t i = 0; i < config.count; i++)
            fprintf(stderr, "dossier: %s [%s]\n", diag_format(arena, &config.items[i]), config.items[i].code);
        fprintf(stderr, "dossier: modèles de %s inutilisables (option --templates)\n", o->templates_dir);
        status = EXIT_USAGE;
        goto done;
    }
    {
        char why[600];
        if (!xml_schema_usable(o->input.schema_path, why, sizeof why)) {
            fprintf(stderr, "dossier: %s\n", why);
            status = EXIT_USAGE;
            goto done;
        }
    }
    if (!o->validate_only) {
        const char *why = NULL;
        if (!pdf_fonts_usable(o->fonts_dir, &why)) {
            fprintf(stderr, "dossier: %s : %s\n", o->fonts_dir, why);
            status = EXIT_USAGE;
            goto done;
        }
    }
    if (!o->validate_only) {
        texts = render_templates_load(o->templates_dir, &config);
        if (!texts) {
            for (size_t i = 0; i < config.count; i++)
                fprintf(stderr, "dossier: %s [%s]\n", diag_format(arena, &config.items[i]), config.items[i].code);
            fprintf(stderr, "dossier: textes des documents de %s inutilisables (option --templates)\n", o->templates_dir);
            status = EXIT_USAGE;
            goto done;
        }
    }
    if (!o->validate_only) {
        char why[1024];
        struct seal_files files = { o->seal.key_path, o->seal.cert_path, o->seal.chain_path, o->seal.pass_file };
        if (!seal_load(&seal, &files, o->demo_dir, o->date, why, sizeof why)) {
            fprintf(stderr, "dossier: cachet : %s\n", why);
            status = EXIT_USAGE;
            goto done;
        }
        if (seal.demo && !o->quiet)
            fprintf(stderr, "dossier: attention : conteneurs scellés avec le cachet de DÉMONSTRATION (%s/demo-ca.pem), "
                            "sans valeur ; utilisez --seal-key et --seal-cert en production\n", o->demo_dir);
    }
    for (int i = 0; i < o->input_count; i++) {
        if (!request_load_file(o->inputs[i], &o->input, &requests)) {
            fprintf(stderr, "dossier: %s : lecture impossible (%s)\n", o->inputs[i], strerror(errno));
            status = EXIT_USAGE;
            goto done;
        }
    }
    /* The output folder comes last: an exit 2 before this point left nothing behind. */
    if (o->out_dir && !ensure_dir(o->out_dir)) {
        fprintf(stderr, "dossier: %s : dossier de sortie impossible à créer ou non inscriptible (%s)\n",
                o->out_dir, strerror(errno));
        status = EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < requests.count; i++) {
        if (requests.items[i]->whole_file)
            continue;
        request_validate(requests.items[i], catalogue);
        check_piece_contents(requests.items[i]);
    }
    requests_check_unique(&requests);

    results = calloc(requests.count + 1, sizeof *results);
    if (!results)
        abort();
    for (size_t i = 0; i < requests.count; i++)
        results[i].request = requests.items[i];

    struct produce_context context = {
        .catalogue = catalogue,
        .templates = texts,
        .seal = &seal,
        .fonts_dir = o->fonts_dir,
        .out_dir = o->out_dir,
        .date = o->date,
        .flow = o->flow,
    };
    for (size_t i = 0; i < requests.count; i++) {
        struct record_result *res = &results[i];
        if (res->request->problems.count)
            continue;
        res->flow = dossier_is_paper(&context, res->request) ? "papier" : "dematerialise";
        res->product = request_get(res->request, F_CERT_PRODUIT);
        res->accepted = o->validate_only;
    }
    if (!o->validate_only)
        produce_all(&context, results, requests.count, o->jobs,
                    !o->quiet && isatty(STDERR_FILENO) && requests.count > 1);

    size_t accepted = 0;
    for (size_t i = 0; i < requests.count; i++) {
        struct record_result *res = &results[i];
        if (res->request->problems.count) {
            res->accepted = false;
            print_problems(res->request);
            fprintf(stderr, "%s:%d: demande %s rejetée (%zu problème%s)\n", res->request->file,
                    res->request->line, record_name(res->request), res->request->problems.count,
                    res->request->problems.count > 1 ? "s" : "");
            continue;
        }
        accepted++;
        if (o->quiet)
            continue;
        if (o->validate_only) {
            printf("%s : acceptée (%s, %s)\n", record_name(res->request), res->product, res->flow);
        } else {
            printf("%s : %s, %d pages%s :", record_name(res->request), res->flow, res->pages,
                   seal.demo ? ", cachet de démonstration" : "");
            for (size_t f = 0; f < res->file_count; f++)
                printf(" %s/%s", o->out_dir, res->files[f].name);
            printf("\n");
        }
    }
    if (accepted < requests.count)
        status = EXIT_SOME_REJECTED;
    if (!o->quiet)
        fprintf(stderr, "%zu demande%s, %zu acceptée%s, %zu rejetée%s\n", requests.count,
                requests.count > 1 ? "s" : "", accepted, accepted > 1 ? "s" : "",
                requests.count - accepted, requests.count - accepted > 1 ? "s" : "");

    if (o->out_dir) {
        char date[32];
        struct tm tm;
        gmtime_r(&o->date, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        struct report_meta meta = { DOSSIER_VERSION_STRING, date, seal.cert ? seal.subject : NULL, seal.demo,
                                    o->validate_only };
        if (!report_write(o->out_dir, &meta, results, requests.count)) {
            fprintf(stderr, "dossier: %s : écriture du rapport impossible (%s)\n", o->out_dir, strerror(errno));
            status = EXIT_USAGE;
        }
    }

done:
    free(results);
    request_list_release(&requests);
    render_templates_free(texts);
    seal_release(&seal);
    catalogue_free(catalogue);
    diag_list_release(&config);
    arena_free(arena);
    return status;
}
