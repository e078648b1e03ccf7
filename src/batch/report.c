/* report.json and report.csv: what happened to every record, with digests. */
#include "report.h"
#include "../util/arena.h"
#include "../util/diag.h"
#include "../util/fileio.h"
#include "../util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_of(const struct record_result *r)
{
    return r->accepted ? "ok" : "rejected";
}

static char *source_of(const struct record_result *r)
{
    char *s = NULL;
    if (asprintf(&s, "%s:%d", r->file, r->line) < 0)
        abort();
    return s;
}

void report_json_head(struct strbuf *sb, const struct report_meta *meta, size_t count, size_t ok)
{
    sb_puts(sb, "{\n  \"tool\": ");
    sb_json_string(sb, meta->tool_version);
    sb_puts(sb, ",\n  \"command\": ");
    sb_json_string(sb, meta->validate_only ? "validate" : "build");
    sb_puts(sb, ",\n  \"date\": ");
    sb_json_string(sb, meta->date);
    if (!meta->validate_only) {
        sb_puts(sb, ",\n  \"seal\": ");
        if (meta->seal)
            sb_json_string(sb, meta->seal);
        else
            sb_puts(sb, "null");
        sb_printf(sb, ",\n  \"demo_seal\": %s", meta->demo_seal ? "true" : "false");
        sb_puts(sb, ",\n  \"seal_sha256\": ");
        if (meta->seal_sha256)
            sb_json_string(sb, meta->seal_sha256);
        else
            sb_puts(sb, "null");
        sb_puts(sb, ",\n  \"code_key\": ");
        if (meta->code_key)
            sb_json_string(sb, meta->code_key);
        else
            sb_puts(sb, "null");
    }
    if (meta->data_digest) {
        sb_puts(sb, ",\n  \"templates_sha256\": ");
        sb_json_string(sb, meta->data_digest);
    }
    /* A slice of a batch names itself and its input: report-merge checks both. */
    if (meta->slices)
        sb_printf(sb, ",\n  \"slice\": \"%u/%u\"", meta->slice, meta->slices);
    if (meta->input_sha256) {
        sb_puts(sb, ",\n  \"input_sha256\": ");
        sb_json_string(sb, meta->input_sha256);
    }
    /* A batch stopped before its end says so, and why: --resume finishes it. */
    sb_printf(sb, ",\n  \"complete\": %s", meta->stopped ? "false" : "true");
    if (meta->stopped) {
        sb_puts(sb, ",\n  \"stopped\": ");
        sb_json_string(sb, meta->stopped);
    }
    sb_printf(sb, ",\n  \"records\": %zu,\n  \"accepted\": %zu,\n  \"rejected\": %zu,\n  \"results\": [",
              count, ok, count - ok);
}

void report_json_row(struct strbuf *sb, const struct record_result *r, bool first)
{
    const struct dossier_problems *q = r->problems;
    char *source = source_of(r);
    sb_puts(sb, first ? "\n    {" : ",\n    {");
    sb_puts(sb, "\"numero\": ");
    sb_json_string(sb, r->numero);
    sb_puts(sb, ", \"source\": ");
    sb_json_string(sb, source);
    sb_puts(sb, ", \"status\": ");
    sb_json_string(sb, status_of(r));
    sb_puts(sb, ", \"flow\": ");
    if (r->flow)
        sb_json_string(sb, r->flow);
    else
        sb_puts(sb, "null");
    sb_printf(sb, ", \"documents\": %d, \"pages\": %d, \"files\": [", r->documents, r->pages);
    for (size_t f = 0; f < r->file_count; f++) {
        sb_puts(sb, f ? ", {\"name\": " : "{\"name\": ");
        sb_json_string(sb, r->files[f].name);
        sb_printf(sb, ", \"bytes\": %llu, \"sha256\": \"%s\"}", r->files[f].bytes, r->files[f].sha256);
    }
    sb_puts(sb, "], \"pieces\": [");
    for (size_t k = 0; k < r->piece_count; k++) {
        const dossier_piece *p = &r->pieces[k];
        sb_puts(sb, k ? ",\n      {\"code\": " : "\n      {\"code\": ");
        sb_json_string(sb, p->code);
        sb_puts(sb, ", \"label\": ");
        sb_json_string(sb, p->label);
        sb_puts(sb, ", \"who\": ");
        sb_json_string(sb, p->who);
        sb_puts(sb, ", \"status\": ");
        sb_json_string(sb, p->status);
        sb_puts(sb, "}");
    }
    sb_puts(sb, r->piece_count ? "\n    ], \"errors\": [" : "], \"errors\": [");
    for (size_t e = 0; q && e < q->count; e++) {
        const struct dossier_problem *d = &q->items[e];
        sb_puts(sb, e ? ",\n      {\"code\": " : "\n      {\"code\": ");
        sb_json_string(sb, d->code);
        sb_puts(sb, ", \"field\": ");
        if (d->field)
            sb_json_string(sb, d->field);
        else
            sb_puts(sb, "null");
        sb_puts(sb, ", \"file\": ");
        sb_json_string(sb, d->file);
        sb_printf(sb, ", \"line\": %d", d->line);
        if (d->xml_path) {
            sb_puts(sb, ", \"xml_path\": ");
            sb_json_string(sb, d->xml_path);
        }
        sb_puts(sb, ", \"message\": ");
        sb_json_string(sb, d->message);
        sb_puts(sb, "}");
    }
    sb_puts(sb, q && q->count ? "\n    ]}" : "]}");
    free(source);
}

void report_json_tail(struct strbuf *sb)
{
    sb_puts(sb, "\n  ]\n}\n");
}

char *report_json(const struct report_meta *meta, const struct record_result *results, size_t count)
{
    struct strbuf sb = { 0 };
    size_t ok = 0;
    for (size_t i = 0; i < count; i++)
        ok += results[i].accepted;
    report_json_head(&sb, meta, count, ok);
    for (size_t i = 0; i < count; i++)
        report_json_row(&sb, &results[i], i == 0);
    report_json_tail(&sb);
    return sb_take(&sb);
}

/* A cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with
 * an apostrophe: report.csv is opened by office staff, its texts come from input. */
static void csv_text_cell(struct strbuf *sb, const char *text, char delim)
{
    if (text && strchr("=+-@", text[0]) && text[0]) {
        char *safe = NULL;
        if (asprintf(&safe, "'%s", text) < 0)
            abort();
        sb_csv_cell(sb, safe, delim);
        free(safe);
        return;
    }
    sb_csv_cell(sb, text, delim);
}

void report_csv_head(struct strbuf *sb)
{
    /* BOM and ';': what a French spreadsheet opens without an import dialog. */
    sb_puts(sb, "\xEF\xBB\xBFnumero;source;statut;flux;pages;fichiers;sha256;a_fournir;codes;erreurs\r\n");
}

void report_csv_row(struct strbuf *sb, const struct record_result *r)
{
    const char d = ';';
    const struct dossier_problems *q = r->problems;
    struct strbuf files = { 0 }, digests = { 0 }, missing = { 0 }, codes = { 0 }, errors = { 0 };
    /* What the mailed kit still lacks, by code: a nightly batch sorts on this column. */
    for (size_t k = 0; k < r->piece_count; k++)
        if (strcmp(r->pieces[k].status, "a_fournir") == 0)
            sb_printf(&missing, "%s%s", missing.len ? " " : "", r->pieces[k].code);
    for (size_t f = 0; f < r->file_count; f++) {
        sb_printf(&files, "%s%s", f ? " " : "", r->files[f].name);
        sb_printf(&digests, "%s%s", f ? " " : "", r->files[f].sha256);
    }
    struct arena *a = arena_new();
    for (size_t e = 0; q && e < q->count; e++) {
        const struct dossier_problem *dg = &q->items[e];
        sb_printf(&codes, "%s%s", e ? " " : "", dg->code);
        sb_printf(&errors, "%s%s", e ? "\n" : "", diag_format(a, dg));
    }
    arena_free(a);
    char *source = source_of(r);
    csv_text_cell(sb, r->numero, d);
    sb_append(sb, &d, 1);
    csv_text_cell(sb, source, d);
    sb_append(sb, &d, 1);
    sb_puts(sb, status_of(r));
    sb_append(sb, &d, 1);
    sb_csv_cell(sb, r->flow, d);
    sb_printf(sb, "%c%d%c", d, r->pages, d);
    sb_csv_cell(sb, files.data, d);
    sb_append(sb, &d, 1);
    sb_csv_cell(sb, digests.data, d);
    sb_append(sb, &d, 1);
    sb_csv_cell(sb, missing.data, d);
    sb_append(sb, &d, 1);
    sb_csv_cell(sb, codes.data, d);
    sb_append(sb, &d, 1);
    csv_text_cell(sb, errors.data, d);
    sb_puts(sb, "\r\n");
    free(source);
    sb_release(&files);
    sb_release(&digests);
    sb_release(&missing);
    sb_release(&codes);
    sb_release(&errors);
}

char *report_csv(const struct record_result *results, size_t count)
{
    struct strbuf sb = { 0 };
    report_csv_head(&sb);
    for (size_t i = 0; i < count; i++)
        report_csv_row(&sb, &results[i]);
    return sb_take(&sb);
}

bool report_write(const char *dir, const struct report_meta *meta,
                  const struct record_result *results, size_t count)
{
    char *json = report_json(meta, results, count);
    char *csv = report_csv(results, count);
    char *jpath = NULL, *cpath = NULL;
    bool ok = asprintf(&jpath, "%s/report.json", dir) >= 0 && asprintf(&cpath, "%s/report.csv", dir) >= 0 &&
              file_write_atomic(jpath, json, strlen(json)) && file_write_atomic(cpath, csv, strlen(csv));
    free(jpath);
    free(cpath);
    free(json);
    free(csv);
    return ok;
}
