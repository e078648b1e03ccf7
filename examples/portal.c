/* "Imprimer mon dossier", the way a portal backend does it with libdossier: the
 * context is opened once at start-up; each request's fields come from the portal's
 * database (here, "field=value" lines read from a file or stdin) and its print PDF
 * is built in memory, in-process, then written out.
 *
 *   cc portal.c $(pkg-config --cflags --libs dossier) -o portal
 *   ./portal (--seal-key K --seal-cert C --code-key F | --demo) [--date AAAA-MM-JJ]
 *            [--pieces-dir DIR] [--repeat N] RECORD.txt OUT.pdf
 *
 * A portal seals with the authority's seal and signs the page codes with its code key
 * (the passphrase of an encrypted key in $DOSSIER_SEAL_PASS); --demo asks for the
 * demo seal instead, made on first use: the library never falls back to it.
 *
 * With --repeat N the same dossier is built N times and the mean time per dossier
 * (context already open) is printed on stderr: what a portal pays per click. */
#include <dossier.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_problems(const dossier_problems *list)
{
    for (size_t i = 0; i < dossier_problems_count(list); i++) {
        const dossier_problem *p = dossier_problems_get(list, i);
        char *text = dossier_problem_format(p);
        fprintf(stderr, "portal: %s [%s]\n", text, p->code);
        free(text);
    }
}

/* One "field=value" per line, as a database row would give them. */
static dossier_record *read_record(const dossier_ctx *ctx, const char *path)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        perror(path);
        return NULL;
    }
    dossier_record *record = dossier_record_new(ctx);
    dossier_record_set_source(record, path, 0);
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq || line[0] == '#')
            continue;
        *eq = '\0';
        dossier_record_set(record, line, eq + 1);
    }
    if (in != stdin)
        fclose(in);
    return record;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    dossier_options options;
    dossier_options_init(&options);
    int repeat = 1;
    bool demo = false;
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
            i--;
        } else if (strcmp(argv[i], "--seal-key") == 0) {
            options.seal_key = argv[i + 1];
        } else if (strcmp(argv[i], "--seal-cert") == 0) {
            options.seal_cert = argv[i + 1];
        } else if (strcmp(argv[i], "--code-key") == 0) {
            options.code_key = argv[i + 1];
        } else if (strcmp(argv[i], "--date") == 0) {
            struct tm tm = { 0 };
            if (sscanf(argv[i + 1], "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
                return 2;
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            options.date = timegm(&tm);
            options.date_set = true;
        } else if (strcmp(argv[i], "--pieces-dir") == 0) {
            options.pieces_dir = argv[i + 1];
        } else if (strcmp(argv[i], "--repeat") == 0) {
            repeat = atoi(argv[i + 1]);
        } else {
            break;
        }
    }
    if (argc - i != 2 || repeat < 1 || (demo == (options.seal_key != NULL))) {
        fprintf(stderr, "usage: portal (--seal-key K --seal-cert C --code-key F | --demo) [--date AAAA-MM-JJ] "
                        "[--pieces-dir DIR] [--repeat N] RECORD.txt OUT.pdf\n");
        return 2;
    }
    /* Once, at start-up: templates, schemas, fonts and the seal. */
    options.open = DOSSIER_OPEN_BUILD | (demo ? DOSSIER_OPEN_DEMO : 0);
    dossier_problems *problems = dossier_problems_new();
    dossier_ctx *ctx;
    if (dossier_open(&options, &ctx, problems) != DOSSIER_OK) {
        print_problems(problems);
        return 2;
    }
    int status = 0;
    double start = now();
    for (int k = 0; k < repeat && status == 0; k++) {
        /* Per click: one record, one PDF in memory. */
        dossier_record *record = read_record(ctx, argv[i]);
        if (!record) {
            status = 2;
            break;
        }
        dossier_result *result;
        if (dossier_build(ctx, record, DOSSIER_OUTPUT_PRINT, &result) != DOSSIER_OK) {
            print_problems(dossier_record_problems(record));
            status = 1;
        } else if (k == repeat - 1) {
            const dossier_file *pdf = dossier_result_file(result, 0);
            FILE *out = fopen(argv[i + 1], "wb");
            if (!out || fwrite(pdf->data, 1, pdf->size, out) != pdf->size || fclose(out) != 0) {
                perror(argv[i + 1]);
                status = 2;
            }
        }
        dossier_result_free(result);
        dossier_record_free(record);
    }
    if (repeat > 1 && status == 0)
        fprintf(stderr, "portal: %.2f ms par dossier (contexte ouvert, moyenne de %d)\n",
                (now() - start) * 1000.0 / repeat, repeat);
    dossier_close(ctx);
    dossier_problems_free(problems);
    return status;
}
