/* Pins libdossier's public API (include/dossier.h), through that header alone: the
 * context, records set by hand or read, checks, builds into memory, containers
 * verified, codes decoded, reports, and one context shared by threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dossier.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "tmpdir.h"

#define DATE ((time_t)1795478400)   /* 2026-11-24 */
#define SAMPLES SOURCE_DIR "/samples/demandes.csv"

static char tmp_root[64];
static dossier_ctx *ctx;

static void print_problems(const dossier_problems *list)
{
    for (size_t i = 0; i < dossier_problems_count(list); i++) {
        char *t = dossier_problem_format(dossier_problems_get(list, i));
        print_message("  %s [%s]\n", t, dossier_problems_get(list, i)->code);
        free(t);
    }
}

static int setup(void **state)
{
    (void)state;
    if (tmpdir_make(tmp_root, sizeof tmp_root, "api") != 0)
        return -1;
    char demo[128];
    snprintf(demo, sizeof demo, "%s/demo-seal", tmp_root);
    dossier_options o;
    dossier_options_init(&o);
    o.open = DOSSIER_OPEN_DEMO;
    o.datadir = SOURCE_DIR;
    o.demo_dir = demo;
    o.date_set = true;
    o.date = DATE;
    dossier_problems *problems = dossier_problems_new();
    dossier_status s = dossier_open(&o, &ctx, problems);
    print_problems(problems);
    dossier_problems_free(problems);
    return s == DOSSIER_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dossier_close(ctx);
    return tmpdir_remove(tmp_root);
}

/* Record NUMERO of the samples, read through the public reader. */
static dossier_record *sample(const char *numero)
{
    dossier_reader *reader;
    assert_int_equal(dossier_reader_open(ctx, SAMPLES, &reader, NULL), DOSSIER_OK);
    dossier_record *found = NULL;
    for (dossier_record *r; (r = dossier_reader_next(reader));) {
        if (!found && strcmp(dossier_record_get(r, "numero"), numero) == 0)
            found = r;
        else
            dossier_record_free(r);
    }
    dossier_reader_close(reader);
    assert_non_null(found);
    return found;
}

static void test_open_refuses_broken_setup(void **state)
{
    (void)state;
    dossier_options o;
    dossier_options_init(&o);
    o.templates_dir = "/nonexistent/templates";
    o.fonts_dir = SOURCE_DIR "/fonts";
    dossier_problems *problems = dossier_problems_new();
    dossier_ctx *bad = (dossier_ctx *)&o;
    assert_int_equal(dossier_open(&o, &bad, problems), DOSSIER_ERROR);
    assert_null(bad);
    assert_true(dossier_problems_count(problems) >= 2);
    assert_string_equal(dossier_problems_get(problems, 0)->code, "template.xml");
    dossier_problems_free(problems);
    /* Only what is asked for is loaded: verifying needs the manifest schema alone. */
    o.open = DOSSIER_OPEN_VERIFY;
    o.templates_dir = SOURCE_DIR "/templates";
    o.fonts_dir = "/nonexistent/fonts";
    assert_int_equal(dossier_open(&o, &bad, NULL), DOSSIER_OK);
    assert_null(dossier_seal_subject(bad));
    dossier_close(bad);
}

static void test_reader_and_check(void **state)
{
    (void)state;
    dossier_reader *reader;
    assert_int_equal(dossier_reader_open(ctx, "/nonexistent.csv", &reader, NULL), DOSSIER_ERROR);
    assert_int_equal(dossier_reader_open(ctx, SAMPLES, &reader, NULL), DOSSIER_OK);
    size_t n = 0;
    for (dossier_record *r; (r = dossier_reader_next(reader)); n++) {
        dossier_status s = dossier_check(ctx, r, DOSSIER_CHECK_PIECES);
        print_problems(dossier_record_problems(r));
        assert_int_equal(s, DOSSIER_OK);
        assert_string_equal(dossier_record_file(r), SAMPLES);
        assert_int_equal(dossier_record_line(r), (int)n + 2);
        assert_non_null(dossier_record_flow(ctx, r));
        dossier_record_free(r);
    }
    assert_int_equal(n, 14);
    assert_null(dossier_reader_next(reader));
    dossier_reader_close(reader);
}

static void test_record_problems(void **state)
{
    (void)state;
    dossier_record *r = dossier_record_new(ctx);
    assert_int_equal(dossier_record_set(r, "pas.un.champ", "x"), DOSSIER_REJECTED);
    assert_int_equal(dossier_record_set(r, "numero", "  600999 "), DOSSIER_OK);
    assert_string_equal(dossier_record_get(r, "numero"), "600999");
    assert_null(dossier_record_get(r, "organisation.siren"));
    assert_int_equal(dossier_check(ctx, r, 0), DOSSIER_REJECTED);
    const dossier_problems *p = dossier_record_problems(r);
    assert_string_equal(dossier_problems_get(p, 0)->code, "field.unknown");
    assert_string_equal(dossier_problems_get(p, 0)->field, "pas.un.champ");
    /* Every missing required field is named, each once. */
    size_t required = 0;
    for (size_t i = 0; i < dossier_problems_count(p); i++)
        required += strcmp(dossier_problems_get(p, i)->code, "field.required") == 0;
    assert_true(required >= 8);
    assert_null(dossier_record_flow(ctx, r));
    dossier_result *res = (dossier_result *)r;
    assert_int_equal(dossier_build(ctx, r, 0, &res), DOSSIER_REJECTED);
    assert_null(res);
    dossier_record_add_problem(r, "batch.test", "numero", "ajouté par l'appelant");
    const dossier_problem *last = dossier_problems_get(p, dossier_problems_count(p) - 1);
    assert_string_equal(last->code, "batch.test");
    char *text = dossier_problem_format(last);
    assert_string_equal(text, "(demande): numero: ajouté par l'appelant");
    free(text);
    dossier_record_free(r);
}

static bool is_pdf(const dossier_file *f)
{
    return f->size > 1000 && memcmp(f->data, "%PDF-", 5) == 0;
}

static void test_build_outputs(void **state)
{
    (void)state;
    /* Paper flow, default outputs: the container and the print PDF. */
    dossier_record *r = sample("600101");
    dossier_result *res;
    assert_int_equal(dossier_build(ctx, r, 0, &res), DOSSIER_OK);
    assert_string_equal(dossier_result_flow(res), "papier");
    assert_int_equal(dossier_result_count(res), 2);
    const dossier_file *zip = dossier_result_file(res, 0), *pdf = dossier_result_file(res, 1);
    assert_string_equal(zip->name, "600101.zip");
    assert_memory_equal(zip->data, "PK\3\4", 4);
    assert_string_equal(pdf->name, "600101.pdf");
    assert_true(is_pdf(pdf));
    assert_int_equal(strlen(pdf->sha256), 64);
    assert_null(dossier_result_file(res, 2));
    assert_true(dossier_result_pages(res) >= 10);
    assert_int_equal(dossier_result_documents(res), 5);
    /* The container verifies, sealed with the demo seal. */
    dossier_verify_info info;
    dossier_problems *problems = dossier_problems_new();
    assert_int_equal(dossier_verify(ctx, zip->data, zip->size, NULL, &info, problems), DOSSIER_OK);
    assert_int_equal(dossier_problems_count(problems), 0);
    assert_int_equal(info.documents, 1);
    assert_true(info.demo);
    assert_true(dossier_seal_is_demo(ctx));
    assert_non_null(strstr(dossier_seal_subject(ctx), "DEMO"));
    /* One byte changed: refused, with its code. */
    unsigned char *copy = malloc(zip->size);
    memcpy(copy, zip->data, zip->size);
    copy[zip->size / 2] ^= 1;
    assert_int_equal(dossier_verify(ctx, copy, zip->size, NULL, &info, problems), DOSSIER_REJECTED);
    assert_true(dossier_problems_count(problems) >= 1);
    free(copy);
    dossier_problems_free(problems);

    /* The print PDF alone, built again: the same bytes (same record, same date). */
    dossier_result *print;
    assert_int_equal(dossier_build(ctx, r, DOSSIER_OUTPUT_PRINT, &print), DOSSIER_OK);
    assert_int_equal(dossier_result_count(print), 1);
    assert_int_equal(dossier_result_file(print, 0)->size, pdf->size);
    assert_memory_equal(dossier_result_file(print, 0)->data, pdf->data, pdf->size);
    dossier_result_free(print);
    dossier_result_free(res);
    dossier_record_free(r);

    /* Dematerialised: the container only, one PDF per document inside; the print
     * PDF on demand holds every document. */
    r = sample("600102");
    assert_int_equal(dossier_build(ctx, r, 0, &res), DOSSIER_OK);
    assert_string_equal(dossier_result_flow(res), "dematerialise");
    assert_int_equal(dossier_result_count(res), 1);
    zip = dossier_result_file(res, 0);
    assert_int_equal(dossier_verify(ctx, zip->data, zip->size, NULL, &info, NULL), DOSSIER_OK);
    assert_int_equal(info.documents, 4);
    int pages = dossier_result_pages(res);
    dossier_result_free(res);
    assert_int_equal(dossier_build(ctx, r, DOSSIER_OUTPUT_PRINT, &res), DOSSIER_OK);
    assert_int_equal(dossier_result_count(res), 1);
    assert_true(is_pdf(dossier_result_file(res, 0)));
    assert_int_equal(dossier_result_pages(res), pages);
    dossier_result_free(res);
    dossier_record_free(r);
}

/* A portal's record, set field by field, gives the same PDF as the same record read
 * from a file. */
static void test_fields_by_hand(void **state)
{
    (void)state;
    static const char *const fields[] = {
        "numero", "date", "demandeur", "papier", "organisation.siren", "organisation.denomination",
        "organisation.categorie_juridique", "organisation.nic", "organisation.etablissement",
        "organisation.adresse", "organisation.code_postal", "organisation.ville", "organisation.telephone",
        "certificat.produit", "certificat.paiement", "certificat.support", "certificat.prerequis_verifies",
        "titulaire.prenom", "titulaire.nom", "titulaire.email", "titulaire.fonction", "titulaire.service",
        "titulaire.tel_bureau", "titulaire.tel_portable", "titulaire.est_rl", "rl.prenom", "rl.nom", "rl.email",
        "delegataire.present", "modalites.bureau_envoi", "modalites.bureau_retrait", "facturation.bon_commande",
        "facturation.adresse",
    };
    dossier_record *read = sample("600101");
    dossier_record *typed = dossier_record_new(ctx);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        assert_int_equal(dossier_record_set(typed, fields[i], dossier_record_get(read, fields[i])), DOSSIER_OK);
    /* Without its attached pieces: both sides the same. */
    dossier_record *read_bare = dossier_record_new(ctx);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        dossier_record_set(read_bare, fields[i], dossier_record_get(read, fields[i]));
    dossier_result *a, *b;
    assert_int_equal(dossier_build(ctx, typed, DOSSIER_OUTPUT_PRINT, &a), DOSSIER_OK);
    assert_int_equal(dossier_build(ctx, read_bare, DOSSIER_OUTPUT_PRINT, &b), DOSSIER_OK);
    assert_int_equal(dossier_result_file(a, 0)->size, dossier_result_file(b, 0)->size);
    assert_string_equal(dossier_result_file(a, 0)->sha256, dossier_result_file(b, 0)->sha256);
    dossier_result_free(a);
    dossier_result_free(b);
    dossier_record_free(read_bare);
    dossier_record_free(typed);
    dossier_record_free(read);
}

struct job {
    const dossier_record *model;
    char sha256[65];
};

static void *build_in_thread(void *arg)
{
    struct job *job = arg;
    dossier_record *r = dossier_record_new(ctx);
    static const char *const fields[] = {
        "numero", "date", "papier", "organisation.siren", "organisation.denomination",
        "organisation.categorie_juridique", "organisation.nic", "organisation.code_postal", "organisation.ville",
        "certificat.produit", "certificat.paiement", "certificat.support", "certificat.prerequis_verifies",
        "titulaire.prenom", "titulaire.nom", "titulaire.email", "titulaire.fonction", "titulaire.service",
        "titulaire.est_rl", "modalites.bureau_envoi", "modalites.bureau_retrait", "pieces.id_titulaire",
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        dossier_record_set(r, fields[i], dossier_record_get(job->model, fields[i]));
    dossier_result *res;
    if (dossier_build(ctx, r, DOSSIER_OUTPUT_CONTAINER, &res) == DOSSIER_OK) {
        snprintf(job->sha256, sizeof job->sha256, "%s", dossier_result_file(res, 0)->sha256);
        dossier_result_free(res);
    }
    dossier_record_free(r);
    return NULL;
}

/* One context, four threads building at once: the same bytes each time. */
static void test_threads_share_a_context(void **state)
{
    (void)state;
    dossier_record *model = sample("600102");
    /* The pieces' paths are relative to the samples folder; records set by hand take
     * them from the current folder. */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(SOURCE_DIR "/samples"), 0);
    struct job jobs[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){ model, "" };
        assert_int_equal(pthread_create(&threads[i], NULL, build_in_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(strlen(jobs[0].sha256), 64);
    for (int i = 1; i < 4; i++)
        assert_string_equal(jobs[i].sha256, jobs[0].sha256);
    dossier_record_free(model);
}

static void test_save_and_report(void **state)
{
    (void)state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/out", tmp_root);
    assert_int_equal(mkdir(dir, 0755), 0);
    dossier_record *ok = sample("600101"), *bad = dossier_record_new(ctx);
    dossier_record_set_source(bad, "saisie.csv", 7);
    dossier_record_set(bad, "numero", "600998");
    dossier_result *res;
    assert_int_equal(dossier_build(ctx, ok, 0, &res), DOSSIER_OK);
    assert_int_equal(dossier_result_save(res, dir, ok), DOSSIER_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/600101.zip", dir);
    assert_int_equal(access(path, R_OK), 0);
    /* A folder that cannot be written: nothing of the result is left, the record
     * says why. */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/absent", tmp_root);
    dossier_record *again = sample("600101");
    assert_int_equal(dossier_result_save(res, missing, again), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(dossier_record_problems(again), 0)->code, "output.write");
    dossier_record_free(again);

    /* Rows come out in input order, whatever the order they were added in. */
    dossier_check(ctx, bad, 0);
    dossier_report *report;
    const dossier_batch whole = { 0 };
    assert_int_equal(dossier_report_open(ctx, dir, &whole, &report, NULL), DOSSIER_OK);
    dossier_report_add(report, 1, bad, NULL);
    dossier_report_add(report, 0, ok, res);
    dossier_result_free(res);
    dossier_record_free(ok);
    dossier_record_free(bad);
    assert_int_equal(dossier_report_write(report, NULL, NULL), DOSSIER_OK);
    dossier_report_free(report);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; d=json.load(open('%s/report.json')); r=d['results'];"
             "assert [x['numero'] for x in r]==['600101','600998'], r;"
             "assert r[0]['status']=='ok' and len(r[0]['files'])==2 and r[0]['flow']=='papier';"
             "assert r[1]['status']=='rejected' and r[1]['source']=='saisie.csv:7' and r[1]['errors']\"",
             dir);
    assert_int_equal(system(cmd), 0);
}

/* Records and results as bytes, for worker processes and queues: what goes in comes
 * out, and anything that is not a pack is refused, whatever its length. */
static void test_pack(void **state)
{
    (void)state;
    dossier_record *r = sample("600103");
    dossier_record_add_problem(r, "batch.test", "numero", "un problème « cité »\net une ligne");
    unsigned char *bytes;
    size_t size;
    assert_int_equal(dossier_record_pack(r, &bytes, &size), DOSSIER_OK);
    dossier_record *back = dossier_record_unpack(ctx, bytes, size);
    assert_non_null(back);
    assert_string_equal(dossier_record_get(back, "titulaire.prenom"), dossier_record_get(r, "titulaire.prenom"));
    assert_string_equal(dossier_record_get(back, "pieces.id_titulaire"), dossier_record_get(r, "pieces.id_titulaire"));
    assert_null(dossier_record_get(back, "service_applicatif.fqdn"));
    assert_string_equal(dossier_record_file(back), SAMPLES);
    assert_int_equal(dossier_record_line(back), dossier_record_line(r));
    const dossier_problem *p = dossier_problems_get(dossier_record_problems(back), 0);
    assert_string_equal(p->code, "batch.test");
    assert_string_equal(p->message, "un problème « cité »\net une ligne");
    dossier_record_free(back);
    /* Cut anywhere, or one byte flipped in a length: refused, never read past. */
    for (size_t cut = 0; cut < size; cut += 7)
        assert_null(dossier_record_unpack(ctx, bytes, cut));
    bytes[5] ^= 0x40;      /* the length of the file name */
    assert_null(dossier_record_unpack(ctx, bytes, size));
    free(bytes);

    /* The record set the problem aside: a clean one builds, its result round-trips. */
    dossier_record *clean = sample("600110");
    dossier_result *res;
    assert_int_equal(dossier_build(ctx, clean, 0, &res), DOSSIER_OK);
    assert_int_equal(dossier_result_pack(res, &bytes, &size), DOSSIER_OK);
    dossier_result *copy = dossier_result_unpack(bytes, size);
    assert_non_null(copy);
    assert_int_equal(dossier_result_count(copy), dossier_result_count(res));
    assert_int_equal(dossier_result_pages(copy), dossier_result_pages(res));
    assert_string_equal(dossier_result_flow(copy), dossier_result_flow(res));
    for (size_t i = 0; i < dossier_result_count(res); i++) {
        assert_string_equal(dossier_result_file(copy, i)->name, dossier_result_file(res, i)->name);
        assert_string_equal(dossier_result_file(copy, i)->sha256, dossier_result_file(res, i)->sha256);
    }
    assert_null(dossier_result_unpack(bytes, size - 1));
    assert_null(dossier_result_unpack("DRC1", 4));
    free(bytes);
    dossier_result_free(copy);
    dossier_result_free(res);
    dossier_record_free(clean);
    dossier_record_free(r);
}

/* A report in DIR for slice K of N of the samples' batch (K = 0: the whole batch). */
static dossier_report *report_in(const dossier_ctx *c, const char *dir, unsigned k, unsigned n, bool resume,
                                 const char *input)
{
    const char *inputs[] = { input ? input : SAMPLES };
    const dossier_batch batch = { false, resume, k, n, inputs, 1 };
    dossier_report *rep = NULL;
    assert_int_equal(dossier_report_open(c, dir, &batch, &rep, NULL), DOSSIER_OK);
    return rep;
}

static void json_assert(const char *dir, const char *python)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "python3 -c \"import json; d=json.load(open('%s/report.json')); r=d['results']; %s\"",
             dir, python);
    assert_int_equal(system(cmd), 0);
}

/* The journal: a batch resumed reuses what is proven done, and redoes what is not
 * (and says why); slices' reports merge into the whole batch's only when every slice
 * of the same batch is there and went to its end. */
static void test_report_resume_and_merge(void **state)
{
    (void)state;
    char dir[128], other[128], merged[128];
    snprintf(dir, sizeof dir, "%s/resume", tmp_root);
    snprintf(other, sizeof other, "%s/slice", tmp_root);
    snprintf(merged, sizeof merged, "%s/merged", tmp_root);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(mkdir(other, 0755), 0);
    assert_int_equal(mkdir(merged, 0755), 0);
    dossier_record *a = sample("600110"), *b = sample("600105");
    dossier_result *ra, *rb;
    assert_int_equal(dossier_build(ctx, a, 0, &ra), DOSSIER_OK);
    assert_int_equal(dossier_build(ctx, b, 0, &rb), DOSSIER_OK);
    assert_int_equal(dossier_result_save(ra, dir, a), DOSSIER_OK);
    assert_int_equal(dossier_result_save(rb, other, b), DOSSIER_OK);
    dossier_report *rep = report_in(ctx, dir, 1, 2, false, NULL);
    /* One writer a folder: a second report there is refused while the first runs. */
    dossier_report *second = NULL;
    dossier_problems *problems = dossier_problems_new();
    const dossier_batch whole = { 0 };
    assert_int_equal(dossier_report_open(ctx, dir, &whole, &second, problems), DOSSIER_ERROR);
    assert_null(second);
    assert_string_equal(dossier_problems_get(problems, 0)->code, "output.busy");
    dossier_report_add(rep, 3, a, ra);
    /* Stopped there: the report says so. */
    assert_int_equal(dossier_report_write(rep, "arrêt demandé (test)", NULL), DOSSIER_OK);
    dossier_report_free(rep);
    rep = report_in(ctx, other, 2, 2, false, NULL);
    dossier_report_add(rep, 1, b, rb);
    assert_int_equal(dossier_report_write(rep, NULL, NULL), DOSSIER_OK);
    dossier_report_free(rep);

    /* Slice 1 stopped: the merge is written, incomplete, and says which slice. */
    const char *dirs[] = { dir, other };
    assert_int_equal(dossier_report_merge(merged, dirs, 2, problems), DOSSIER_REJECTED);
    json_assert(merged, "assert d['complete'] is False and '1/2' in d['stopped'], d");
    /* Slice 2 alone: slice 1 is missing. */
    assert_int_equal(dossier_report_merge(merged, dirs + 1, 1, problems), DOSSIER_REJECTED);
    json_assert(merged, "assert d['complete'] is False and 'absente' in d['stopped'], d");

    /* Resumed: the record at 3, same fields, settings and pieces, files intact: done. */
    const char *why = "x";
    rep = report_in(ctx, dir, 1, 2, true, NULL);
    assert_null(dossier_report_resume_note(rep));
    assert_true(dossier_report_done(rep, 3, a, &why));
    assert_null(why);
    assert_false(dossier_report_done(rep, 4, a, &why));   /* not at that position */
    assert_null(why);                                      /* ... never done: no reason */
    assert_false(dossier_report_done(rep, 3, b, &why));   /* not that record */
    assert_string_equal(why, "données de la demande modifiées");
    assert_int_equal(dossier_report_write(rep, NULL, NULL), DOSSIER_OK);
    dossier_report_free(rep);

    size_t before = dossier_problems_count(problems);
    assert_int_equal(dossier_report_merge(merged, dirs, 2, problems), DOSSIER_OK);
    assert_int_equal(dossier_problems_count(problems), before);
    json_assert(merged, "assert [x['numero'] for x in r]==['600105','600110'], r; assert d['complete'] is True");
    /* A slice given twice, a folder that is no batch's, a slice of another input or
     * another cut: refused, nothing merged. */
    const char *twice[] = { dir, dir };
    assert_int_equal(dossier_report_merge(merged, twice, 2, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, dossier_problems_count(problems) - 1)->code,
                        "report.merge_duplicate");
    const char *bad[] = { dir, "/nonexistent" };
    before = dossier_problems_count(problems);
    assert_int_equal(dossier_report_merge(merged, bad, 2, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, before)->code, "report.merge");
    rep = report_in(ctx, other, 2, 2, false, SOURCE_DIR "/samples/demandes.xml");
    dossier_report_add(rep, 1, b, rb);
    assert_int_equal(dossier_report_write(rep, NULL, NULL), DOSSIER_OK);
    dossier_report_free(rep);
    before = dossier_problems_count(problems);
    assert_int_equal(dossier_report_merge(merged, dirs, 2, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, before)->code, "report.merge_mismatch");
    rep = report_in(ctx, other, 2, 3, false, NULL);
    assert_int_equal(dossier_report_write(rep, NULL, NULL), DOSSIER_OK);
    dossier_report_free(rep);
    before = dossier_problems_count(problems);
    assert_int_equal(dossier_report_merge(merged, dirs, 2, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, before)->code, "report.merge_mismatch");

    /* A file damaged since: done again, and said why. */
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, dossier_result_file(ra, 0)->name);
    FILE *f = fopen(path, "ab");
    fputc('x', f);
    fclose(f);
    rep = report_in(ctx, dir, 1, 2, true, NULL);
    assert_false(dossier_report_done(rep, 3, a, &why));
    assert_string_equal(why, "fichier de sortie absent ou modifié");
    dossier_report_free(rep);

    /* Another date is another batch: nothing of the journal stands, and the note says
     * what changed. */
    dossier_options o;
    dossier_options_init(&o);
    o.open = DOSSIER_OPEN_DEMO;
    o.datadir = SOURCE_DIR;
    o.demo_dir = dossier_demo_dir(ctx);
    o.date_set = true;
    o.date = DATE + 86400;
    dossier_ctx *later;
    assert_int_equal(dossier_open(&o, &later, NULL), DOSSIER_OK);
    rep = report_in(later, dir, 1, 2, true, NULL);
    assert_non_null(dossier_report_resume_note(rep));
    assert_non_null(strstr(dossier_report_resume_note(rep), "la date des dossiers"));
    assert_false(dossier_report_done(rep, 3, a, &why));
    assert_null(why);
    dossier_report_free(rep);
    dossier_close(later);

    dossier_problems_free(problems);
    dossier_result_free(ra);
    dossier_result_free(rb);
    dossier_record_free(a);
    dossier_record_free(b);
}

/* The context: the demo seal only on request; an options struct of another layout
 * refused; dates a container cannot carry refused. */
static void test_open_options(void **state)
{
    (void)state;
    dossier_options o;
    dossier_options_init(&o);
    o.datadir = SOURCE_DIR;
    o.demo_dir = dossier_demo_dir(ctx);
    dossier_ctx *c = NULL;
    dossier_problems *problems = dossier_problems_new();
    /* No seal given and no DOSSIER_OPEN_DEMO: no demo-sealed dossier by mistake. */
    assert_int_equal(dossier_open(&o, &c, problems), DOSSIER_ERROR);
    assert_null(c);
    assert_string_equal(dossier_problems_get(problems, 0)->code, "seal.missing");
    /* The demo seal is told by its certificate, whatever a subject says. */
    o.open = DOSSIER_OPEN_DEMO;
    assert_int_equal(dossier_open(&o, &c, NULL), DOSSIER_OK);
    assert_true(dossier_seal_is_demo(c));
    dossier_close(c);
    /* Dates: milliseconds given as seconds, or before the ZIP era. */
    o.date_set = true;
    o.date = (time_t)1733011200000LL;
    size_t before = dossier_problems_count(problems);
    assert_int_equal(dossier_open(&o, &c, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, before)->code, "options.date");
    o.date = 0;
    assert_int_equal(dossier_open(&o, &c, NULL), DOSSIER_ERROR);
    /* A struct of another layout (a program built against another header). */
    dossier_options_init(&o);
    o.version = 1;
    before = dossier_problems_count(problems);
    assert_int_equal(dossier_open(&o, &c, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, before)->code, "options.version");
    dossier_options_init_version(&o, DOSSIER_OPTIONS_VERSION, sizeof o - 8);
    assert_int_equal(dossier_open(&o, &c, NULL), DOSSIER_ERROR);
    dossier_options_init_version(&o, DOSSIER_OPTIONS_VERSION + 1, sizeof o);
    assert_int_equal(dossier_open(&o, &c, NULL), DOSSIER_ERROR);
    /* A bad pin is a configuration error, not a silent "any seal". */
    dossier_options_init(&o);
    o.open = DOSSIER_OPEN_VERIFY;
    o.datadir = SOURCE_DIR;
    o.seal_pin_sha256 = "12:34";
    before = dossier_problems_count(problems);
    assert_int_equal(dossier_open(&o, &c, problems), DOSSIER_ERROR);
    assert_string_equal(dossier_problems_get(problems, before)->code, "options.pin");
    dossier_problems_free(problems);
}

/* A re-check starts from the reader's problems only, and a check without the pieces
 * does not stand for one with them. */
static void test_recheck(void **state)
{
    (void)state;
    dossier_record *r = sample("600110");
    const char *siren = dossier_record_get(r, "organisation.siren");
    char good[32];
    snprintf(good, sizeof good, "%s", siren);
    dossier_record_set(r, "organisation.siren", "123456789");
    assert_int_equal(dossier_check(ctx, r, 0), DOSSIER_REJECTED);
    assert_string_equal(dossier_problems_get(dossier_record_problems(r), 0)->code, "siren.luhn");
    assert_null(dossier_record_flow(ctx, r));
    dossier_record_set(r, "organisation.siren", good);
    assert_int_equal(dossier_check(ctx, r, 0), DOSSIER_OK);
    assert_int_equal(dossier_problems_count(dossier_record_problems(r)), 0);
    assert_non_null(dossier_record_flow(ctx, r));
    /* An unknown field is the record's own problem: it stays through re-checks. */
    assert_int_equal(dossier_record_set(r, "organisation.sirne", "1"), DOSSIER_REJECTED);
    assert_int_equal(dossier_check(ctx, r, 0), DOSSIER_REJECTED);
    assert_string_equal(dossier_problems_get(dossier_record_problems(r), 0)->code, "field.unknown");
    dossier_record_free(r);

    /* A piece whose bytes are JPEG's magic and nothing else: fine for the path check,
     * refused once decoded. */
    char root[128], path[200];
    snprintf(root, sizeof root, "%s/pieces-root", tmp_root);
    assert_int_equal(mkdir(root, 0755), 0);
    snprintf(path, sizeof path, "%s/cni.jpg", root);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 1, 11, f);
    fclose(f);
    dossier_options o;
    dossier_options_init(&o);
    o.open = DOSSIER_OPEN_CHECK;
    o.datadir = SOURCE_DIR;
    o.pieces_dir = root;
    dossier_ctx *c;
    assert_int_equal(dossier_open(&o, &c, NULL), DOSSIER_OK);
    dossier_record *base = sample("600110"), *p = dossier_record_new(c);
    static const char *const fields[] = {
        "numero", "date", "papier", "organisation.siren", "organisation.denomination",
        "organisation.categorie_juridique", "organisation.nic", "organisation.code_postal", "organisation.ville",
        "certificat.produit", "certificat.paiement", "certificat.support", "certificat.prerequis_verifies",
        "titulaire.prenom", "titulaire.nom", "titulaire.email", "titulaire.fonction", "titulaire.service",
        "titulaire.est_rl", "rl.prenom", "rl.nom", "rl.email", "modalites.bureau_envoi", "modalites.bureau_retrait",
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        dossier_record_set(p, fields[i], dossier_record_get(base, fields[i]));
    dossier_record_set(p, "pieces.id_titulaire", "cni.jpg");
    dossier_status first = dossier_check(c, p, 0);
    if (first != DOSSIER_OK)
        print_problems(dossier_record_problems(p));
    assert_int_equal(first, DOSSIER_OK);
    assert_int_equal(dossier_check(c, p, DOSSIER_CHECK_PIECES), DOSSIER_REJECTED);
    dossier_record_free(p);
    dossier_record_free(base);
    dossier_close(c);
}

/* Codes checked against a key: only a valid signature by that very key passes. */
static void test_track_downgrade(void **state)
{
    (void)state;
    dossier_track_info info;
    dossier_problems *problems = dossier_problems_new();
    char code[64] = "DSR1:600101:FOR:2/6";
    snprintf(code + strlen(code), sizeof code - strlen(code), ":%08lX", crc32(0L, (const Bytef *)code, (uInt)strlen(code)));
    /* The demo key found by default: an unsigned code decodes, not authenticated. */
    assert_int_equal(dossier_track(ctx, code, &info, problems), DOSSIER_OK);
    assert_false(info.authentic);
    /* A key given by the caller: an unsigned code is no proof there. */
    char pub[4096];
    snprintf(pub, sizeof pub, "%s/demo-code-pub.pem", dossier_demo_dir(ctx));
    dossier_options o;
    dossier_options_init(&o);
    o.open = DOSSIER_OPEN_CODES;
    o.code_pubkey = pub;
    dossier_ctx *given;
    assert_int_equal(dossier_open(&o, &given, NULL), DOSSIER_OK);
    assert_int_equal(dossier_track(given, code, &info, problems), DOSSIER_REJECTED);
    assert_string_equal(dossier_problems_get(problems, 0)->code, "track.unsigned");
    assert_false(info.authentic);
    dossier_close(given);
    /* Another key id, any signature: an unknown key, never valid. */
    char forged[256];
    int n = snprintf(forged, sizeof forged, "DSR2:600101:CGU:3/7:20261124:952018349:0BADC0DE:");
    memset(forged + n, '1', 155);
    forged[n + 155] = '\0';
    assert_int_equal(dossier_track(ctx, forged, &info, problems), DOSSIER_REJECTED);
    assert_string_equal(dossier_problems_get(problems, 1)->code, "track.unknown_key");
    dossier_problems_free(problems);
}

static void test_track(void **state)
{
    (void)state;
    dossier_track_info info;
    dossier_problems *problems = dossier_problems_new();
    assert_int_equal(dossier_track(NULL, "dsr1:600101:for:2/6:7A1EAF7A", &info, problems), DOSSIER_REJECTED);
    assert_string_equal(dossier_problems_get(problems, 0)->code, "track.invalid");
    assert_int_equal(dossier_track(ctx, "nimportequoi", &info, problems), DOSSIER_REJECTED);
    char code[64] = "DSR1:600101:FOR:2/6";
    snprintf(code + strlen(code), sizeof code - strlen(code), ":%08lX", crc32(0L, (const Bytef *)code, (uInt)strlen(code)));
    assert_int_equal(dossier_track(NULL, code, &info, problems), DOSSIER_OK);
    assert_string_equal(info.numero, "600101");
    assert_string_equal(info.document, "FOR");
    assert_string_equal(info.document_name, "formulaire d'abonnement");
    assert_int_equal(info.page, 2);
    assert_int_equal(info.pages, 6);
    assert_false(info.is_signed);

    /* A signed code made as the README tells a third party: the text up to the key id,
     * signed with Ed25519, the 64 bytes as one big-endian number in 155 digits. The
     * context's key (the demo key) finds it authentic; one digit changed, not. */
    char path[4096];
    snprintf(path, sizeof path, "%s/demo-code-key.pem", dossier_demo_dir(ctx));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(key);
    unsigned char pub[32], digest[32], sig[64];
    size_t len = sizeof pub, sig_len = sizeof sig;
    assert_int_equal(EVP_PKEY_get_raw_public_key(key, pub, &len), 1);
    SHA256(pub, sizeof pub, digest);
    char signed_code[256];
    int n = snprintf(signed_code, sizeof signed_code, "DSR2:600101:CGU:3/7:20261124:952018349:%02X%02X%02X%02X",
                     digest[0], digest[1], digest[2], digest[3]);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(md, NULL, NULL, NULL, key), 1);
    assert_int_equal(EVP_DigestSign(md, sig, &sig_len, (const unsigned char *)signed_code, (size_t)n), 1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    BIGNUM *bn = BN_bin2bn(sig, 64, NULL);
    char *dec = BN_bn2dec(bn);
    size_t digits = strlen(dec);
    assert_true(digits <= 155 && (size_t)n + 1 + 155 < sizeof signed_code);
    signed_code[n] = ':';
    memset(signed_code + n + 1, '0', 155 - digits);
    memcpy(signed_code + n + 1 + 155 - digits, dec, digits + 1);
    OPENSSL_free(dec);
    BN_free(bn);
    assert_int_equal(strlen(signed_code), (size_t)n + 1 + 155);
    assert_int_equal(dossier_track(ctx, signed_code, &info, problems), DOSSIER_OK);
    assert_true(info.is_signed);
    assert_true(info.authentic);
    assert_true(info.demo_key);
    assert_string_equal(info.date, "2026-11-24");
    assert_string_equal(info.siren, "952018349");
    assert_string_equal(info.document, "CGU");
    /* Without a key to check it: decoded, not authentic. */
    assert_int_equal(dossier_track(NULL, signed_code, &info, problems), DOSSIER_OK);
    assert_false(info.authentic);
    signed_code[5] = '7';   /* 700101 */
    size_t before = dossier_problems_count(problems);
    assert_int_equal(dossier_track(ctx, signed_code, &info, problems), DOSSIER_REJECTED);
    assert_string_equal(dossier_problems_get(problems, before)->code, "track.signature");
    dossier_problems_free(problems);
    assert_string_equal(dossier_version(), DOSSIER_VERSION_TEXT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_refuses_broken_setup),
        cmocka_unit_test(test_reader_and_check),
        cmocka_unit_test(test_record_problems),
        cmocka_unit_test(test_build_outputs),
        cmocka_unit_test(test_fields_by_hand),
        cmocka_unit_test(test_threads_share_a_context),
        cmocka_unit_test(test_save_and_report),
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_report_resume_and_merge),
        cmocka_unit_test(test_open_options),
        cmocka_unit_test(test_recheck),
        cmocka_unit_test(test_track),
        cmocka_unit_test(test_track_downgrade),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
