/* The report journal: a line a record, written as records are done, read back to write
 * report.json and report.csv in bounded memory and to resume a stopped batch. */
#include "report.h"
#include "../util/arena.h"
#include "../util/diag.h"
#include "../util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_TAG "R3"
#define META_TAG "H2"
#define END_TAG "E1"

static void put_text(struct strbuf *sb, const char *text)
{
    sb_puts(sb, "\t");
    if (!text) {
        sb_puts(sb, "\\0");
        return;
    }
    for (const char *s = text; *s; s++) {
        switch (*s) {
        case '\\': sb_puts(sb, "\\\\"); break;
        case '\t': sb_puts(sb, "\\t"); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\r': sb_puts(sb, "\\r"); break;
        default: sb_append(sb, s, 1);
        }
    }
}

static void put_number(struct strbuf *sb, unsigned long long n)
{
    sb_printf(sb, "\t%llu", n);
}

void journal_format(struct strbuf *sb, size_t position, const char *fingerprint, const char *pieces,
                    const struct record_result *r)
{
    sb_puts(sb, ROW_TAG);
    put_number(sb, position);
    put_text(sb, fingerprint);
    put_text(sb, pieces);
    put_number(sb, r->accepted);
    put_text(sb, r->numero);
    put_text(sb, r->file);
    put_number(sb, (unsigned long long)(long long)r->line);
    put_text(sb, r->flow);
    put_number(sb, (unsigned long long)r->documents);
    put_number(sb, (unsigned long long)r->pages);
    put_number(sb, r->file_count);
    for (size_t i = 0; i < r->file_count; i++) {
        put_text(sb, r->files[i].name);
        put_number(sb, r->files[i].bytes);
        put_text(sb, r->files[i].sha256);
    }
    put_number(sb, r->piece_count);
    for (size_t i = 0; i < r->piece_count; i++) {
        put_text(sb, r->pieces[i].code);
        put_text(sb, r->pieces[i].label);
        put_text(sb, r->pieces[i].who);
        put_text(sb, r->pieces[i].status);
    }
    const struct dossier_problems *q = r->problems;
    put_number(sb, q ? q->count : 0);
    for (size_t i = 0; q && i < q->count; i++) {
        const struct dossier_problem *d = &q->items[i];
        put_text(sb, d->code);
        put_text(sb, d->field);
        put_text(sb, d->file);
        put_number(sb, (unsigned long long)(long long)d->line);
        put_text(sb, d->xml_path);
        put_text(sb, d->message);
    }
    /* The end mark: a line cut short (a crash while it was written) is never read as
     * a row with a shorter last message. */
    sb_puts(sb, "\t.\n");
}

void journal_format_meta(struct strbuf *sb, const struct report_meta *meta)
{
    sb_puts(sb, META_TAG);
    put_text(sb, meta->tool_version);
    put_text(sb, meta->date);
    put_text(sb, meta->seal);
    put_number(sb, meta->demo_seal);
    put_number(sb, meta->validate_only);
    put_text(sb, meta->seal_sha256);
    put_text(sb, meta->code_key);
    put_text(sb, meta->data_digest);
    put_number(sb, (unsigned long long)meta->flow);
    put_number(sb, meta->slice);
    put_number(sb, meta->slices);
    put_text(sb, meta->input_sha256);
    sb_puts(sb, "\t.\n");
}

void journal_format_end(struct strbuf *sb, const char *stopped)
{
    sb_puts(sb, END_TAG);
    put_number(sb, stopped == NULL);
    put_text(sb, stopped);
    sb_puts(sb, "\t.\n");
}

struct cursor {
    const char *p, *end;
    bool bad;
};

/* The next tab-separated field, unescaped into ARENA; NULL for \0 (and on error). */
static char *next_text(struct cursor *c, struct arena *arena)
{
    if (c->bad || c->p >= c->end || *c->p != '\t') {
        c->bad = true;
        return NULL;
    }
    c->p++;
    const char *start = c->p;
    while (c->p < c->end && *c->p != '\t')
        c->p++;
    size_t len = (size_t)(c->p - start);
    if (len == 2 && start[0] == '\\' && start[1] == '0')
        return NULL;
    char *out = arena_alloc(arena, len + 1), *o = out;
    for (const char *s = start; s < start + len; s++) {
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        if (++s >= start + len) {
            c->bad = true;
            return NULL;
        }
        switch (*s) {
        case '\\': *o++ = '\\'; break;
        case 't': *o++ = '\t'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        default: c->bad = true; return NULL;
        }
    }
    *o = '\0';
    return out;
}

static unsigned long long next_number(struct cursor *c, struct arena *arena)
{
    char *text = next_text(c, arena);
    if (!text || !*text) {
        c->bad = true;
        return 0;
    }
    char *end;
    unsigned long long n = strtoull(text, &end, 10);
    if (*end)
        c->bad = true;
    return n;
}

static bool tag_is(struct cursor *c, const char *tag)
{
    size_t n = strlen(tag);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, tag, n) != 0)
        return false;
    c->p += n;
    return true;
}

bool journal_parse(const char *line, size_t len, struct arena *arena, size_t *position, char fingerprint[65],
                   const char **pieces, struct record_result *r)
{
    struct cursor c = { line, line + len, false };
    if (!tag_is(&c, ROW_TAG))
        return false;
    memset(r, 0, sizeof *r);
    *position = (size_t)next_number(&c, arena);
    const char *fp = next_text(&c, arena);
    snprintf(fingerprint, 65, "%s", fp ? fp : "");
    const char *digests = next_text(&c, arena);
    if (pieces)
        *pieces = digests ? digests : "";
    r->accepted = next_number(&c, arena) != 0;
    r->numero = next_text(&c, arena);
    r->file = next_text(&c, arena);
    r->line = (int)(long long)next_number(&c, arena);
    r->flow = next_text(&c, arena);
    r->documents = (int)next_number(&c, arena);
    r->pages = (int)next_number(&c, arena);
    unsigned long long files = next_number(&c, arena);
    if (files > RECORD_MAX_FILES)
        return false;
    for (size_t i = 0; i < files && !c.bad; i++) {
        struct output_file *f = &r->files[r->file_count++];
        f->name = next_text(&c, arena);
        f->bytes = next_number(&c, arena);
        const char *sha = next_text(&c, arena);
        if (!f->name || !sha || strlen(sha) != 64)
            c.bad = true;
        else
            memcpy(f->sha256, sha, 65);
    }
    unsigned long long listed = next_number(&c, arena);
    if (listed > len / 8)
        return false;
    dossier_piece *list = arena_alloc(arena, ((size_t)listed + 1) * sizeof *list);
    for (size_t i = 0; i < listed && !c.bad; i++) {
        dossier_piece *p = &list[i];
        p->code = next_text(&c, arena);
        p->label = next_text(&c, arena);
        p->who = next_text(&c, arena);
        p->status = next_text(&c, arena);
        c.bad = c.bad || !p->code || !p->label || !p->who || !p->status;
    }
    r->pieces = list;
    r->piece_count = (size_t)listed;
    struct dossier_problems *q = arena_alloc(arena, sizeof *q);
    diag_list_init(q, arena);
    unsigned long long errors = next_number(&c, arena);
    for (unsigned long long i = 0; i < errors && !c.bad; i++) {
        const char *code = next_text(&c, arena), *field = next_text(&c, arena);
        struct source_loc loc;
        loc.file = next_text(&c, arena);
        loc.line = (int)(long long)next_number(&c, arena);
        loc.xml_path = next_text(&c, arena);
        const char *message = next_text(&c, arena);
        if (!code || !message)
            c.bad = true;
        else
            diag_add(q, code, field, loc, "%s", message);
    }
    r->problems = q;
    const char *mark = next_text(&c, arena);
    if (c.bad || !mark || strcmp(mark, ".") != 0 || c.p != c.end) {
        diag_list_release(q);
        return false;
    }
    return true;
}

bool journal_parse_meta(const char *line, size_t len, struct arena *arena, struct report_meta *meta)
{
    struct cursor c = { line, line + len, false };
    if (!tag_is(&c, META_TAG))
        return false;
    memset(meta, 0, sizeof *meta);
    meta->tool_version = next_text(&c, arena);
    meta->date = next_text(&c, arena);
    meta->seal = next_text(&c, arena);
    meta->demo_seal = next_number(&c, arena) != 0;
    meta->validate_only = next_number(&c, arena) != 0;
    meta->seal_sha256 = next_text(&c, arena);
    meta->code_key = next_text(&c, arena);
    meta->data_digest = next_text(&c, arena);
    meta->flow = (int)next_number(&c, arena);
    meta->slice = (unsigned)next_number(&c, arena);
    meta->slices = (unsigned)next_number(&c, arena);
    meta->input_sha256 = next_text(&c, arena);
    const char *mark = next_text(&c, arena);
    return !c.bad && mark && strcmp(mark, ".") == 0 && c.p == c.end && meta->tool_version && meta->date;
}

bool journal_parse_end(const char *line, size_t len, struct arena *arena, const char **stopped)
{
    struct cursor c = { line, line + len, false };
    if (!tag_is(&c, END_TAG))
        return false;
    bool complete = next_number(&c, arena) != 0;
    *stopped = next_text(&c, arena);
    const char *mark = next_text(&c, arena);
    if (c.bad || !mark || strcmp(mark, ".") != 0 || c.p != c.end || complete != (*stopped == NULL))
        return false;
    return true;
}
