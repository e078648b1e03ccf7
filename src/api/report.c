/* dossier_report and dossier_result_save: what a batch leaves in its output folder.
 * Rows go to a journal (report.journal) as records are done, so that a batch stopped
 * at any point, even by kill -9, says what it did and can be resumed; report.json and
 * report.csv are written from the journal at the end, in bounded memory. */
#include "api.h"
#include "../batch/report.h"
#include "../util/arena.h"
#include "../util/fileio.h"
#include "../util/sha256.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOURNAL "report.journal"
/* Longest journal line read back (a row with many long problems). */
#define LINE_MAX_BYTES (4u << 20)

/* The reports' mode: the context's (dossier_options.output_mode), else 0640. */
static unsigned report_mode(const dossier_ctx *ctx)
{
    return ctx && ctx->output_mode ? ctx->output_mode : FILE_OUTPUT_MODE;
}

dossier_status dossier_result_save(const dossier_result *res, const char *dir, dossier_record *record)
{
    return dossier_result_save_mode(res, dir, FILE_OUTPUT_MODE, record);
}

dossier_status dossier_result_save_mode(const dossier_result *res, const char *dir, unsigned mode,
                                        dossier_record *record)
{
    struct request *r = record->request;
    char path[4096];
    for (size_t i = 0; i < dossier_result_count(res); i++) {
        const dossier_file *f = dossier_result_file(res, i);
        snprintf(path, sizeof path, "%s/%s", dir, f->name);
        if (file_write_atomic_mode(path, f->data, f->size, mode))
            continue;
        int e = errno;
        diag_add(&r->problems, e == ENOSPC ? "output.full" : "output.write", NULL, request_record_loc(r),
                 "écriture de %s impossible (%s)", path, strerror(e));
        /* What this record already wrote goes too: a failure leaves nothing behind. */
        for (size_t k = 0; k < i; k++) {
            snprintf(path, sizeof path, "%s/%s", dir, dossier_result_file(res, k)->name);
            unlink(path);
        }
        errno = e;
        return DOSSIER_ERROR;
    }
    return DOSSIER_OK;
}

/* Where a row's line is: in which journal, at which offset. */
struct entry {
    size_t position;
    size_t sequence;            /* order of addition: the last row of a position wins */
    int fd;                     /* the journal it is in */
    off_t offset;
    uint32_t length;
    bool accepted;
};

struct dossier_report {
    pthread_mutex_t lock;           /* rows are added by every worker */
    struct arena *arena;
    const dossier_ctx *ctx;
    char *dir;
    int fd;                         /* the journal, appended to */
    off_t end;
    bool write_failed;
    int write_errno;
    struct report_meta meta;
    time_t date;
    struct entry *rows;             /* this run's rows */
    size_t count, capacity;
    struct entry *previous;         /* a resumed run: the rows before it, by position */
    size_t previous_count;
};

static void push_entry(struct entry **items, size_t *count, size_t *capacity, struct entry e)
{
    if (*count == *capacity) {
        *capacity = *capacity ? *capacity * 2 : 256;
        *items = realloc(*items, *capacity * sizeof **items);
        if (!*items)
            abort();
    }
    e.sequence = *count;
    (*items)[(*count)++] = e;
}

static int by_position(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return x->sequence < y->sequence ? -1 : x->sequence > y->sequence;
}

/* Sorts ENTRIES by position and keeps the last of each position; returns the count. */
static size_t sort_last_wins(struct entry *entries, size_t n)
{
    qsort(entries, n, sizeof *entries, by_position);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && entries[out - 1].position == entries[i].position)
            out--;
        entries[out++] = entries[i];
    }
    return out;
}

static bool append(dossier_report *rep, const char *text, size_t len, off_t *at)
{
    *at = rep->end;
    size_t done;
    if (!write_exact(rep->fd, text, len, &done)) {
        rep->write_failed = true;
        rep->write_errno = errno;
        /* A partial line is not read back: the next one starts on a line of its own. */
        if (done > 0 && write(rep->fd, "\n", 1) == 1)
            rep->end += (off_t)done + 1;
        return false;
    }
    rep->end += (off_t)len;
    return true;
}

static void meta_of(dossier_report *rep, const dossier_ctx *ctx, bool validate_only)
{
    struct arena *a = rep->arena;
    rep->date = ctx->date_set ? ctx->date : time(NULL);
    struct tm tm;
    gmtime_r(&rep->date, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *seal = dossier_seal_subject(ctx);
    rep->meta = (struct report_meta){
        "dossier " DOSSIER_VERSION_TEXT, arena_strdup(a, when), seal ? arena_strdup(a, seal) : NULL,
        dossier_seal_is_demo(ctx), validate_only, NULL,
    };
}

static dossier_report *report_open(const dossier_ctx *ctx, const char *dir, bool validate_only, bool resume)
{
    struct arena *a = arena_new();
    dossier_report *rep = arena_alloc(a, sizeof *rep);
    rep->arena = a;
    pthread_mutex_init(&rep->lock, NULL);
    rep->ctx = ctx;
    rep->dir = arena_strdup(a, dir);
    rep->fd = -1;
    meta_of(rep, ctx, validate_only);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL);
    /* A fresh run starts a journal of its own; a resumed one goes on with the old. */
    rep->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | (resume ? O_APPEND : O_TRUNC | O_APPEND), 0600);
    /* The journal holds the rows of the report: the reports' mode, whatever the umask. */
    if (rep->fd >= 0)
        (void)fchmod(rep->fd, (mode_t)report_mode(ctx));
    if (rep->fd < 0) {
        rep->write_failed = true;
        rep->write_errno = errno;
        return rep;
    }
    struct stat st;
    rep->end = fstat(rep->fd, &st) == 0 ? st.st_size : 0;
    if (rep->end == 0) {
        struct strbuf sb = { 0 };
        journal_format_meta(&sb, &rep->meta);
        off_t at;
        append(rep, sb.data, sb.len, &at);
        sb_release(&sb);
    }
    return rep;
}

dossier_report *dossier_report_new(const dossier_ctx *ctx, const char *dir, bool validate_only)
{
    return report_open(ctx, dir, validate_only, false);
}

/* Reads the line of E (without its newline) into a malloc'd buffer; NULL on failure. */
static char *read_line(const struct entry *e)
{
    char *line = malloc((size_t)e->length + 1);
    if (!line)
        abort();
    ssize_t n = pread(e->fd, line, e->length, e->offset);
    if (n != (ssize_t)e->length) {
        free(line);
        return NULL;
    }
    line[e->length] = '\0';
    return line;
}

/* Every row line of the journal FD, in ENTRIES (META gets its header when not NULL).
 * A last line cut by a crash, or any line that does not parse, is skipped. */
static void scan_journal(int fd, struct entry **entries, size_t *count, size_t *capacity, struct arena *arena,
                         struct report_meta *meta)
{
    FILE *in = fdopen(dup(fd), "r");
    if (!in)
        return;
    rewind(in);
    char *line = NULL;
    size_t cap = 0;
    off_t offset = 0;
    ssize_t n;
    struct arena *scratch = arena_new();
    while ((n = getline(&line, &cap, in)) > 0) {
        off_t at = offset;
        offset += n;
        if (line[n - 1] != '\n' || (size_t)n > LINE_MAX_BYTES)
            continue;
        size_t len = (size_t)n - 1;
        if (meta && at == 0) {
            journal_parse_meta(line, len, arena, meta);
            continue;
        }
        size_t position;
        char fingerprint[65];
        struct record_result row;
        if (!journal_parse(line, len, scratch, &position, fingerprint, &row))
            continue;
        diag_list_release((struct dossier_problems *)row.problems);
        push_entry(entries, count, capacity,
                   (struct entry){ position, 0, fd, at, (uint32_t)len, row.accepted });
    }
    free(line);
    arena_free(scratch);
    fclose(in);
}

dossier_report *dossier_report_resume(const dossier_ctx *ctx, const char *dir, bool validate_only)
{
    dossier_report *rep = report_open(ctx, dir, validate_only, true);
    if (rep->fd < 0)
        return rep;
    size_t capacity = 0;
    scan_journal(rep->fd, &rep->previous, &rep->previous_count, &capacity, rep->arena, NULL);
    rep->previous_count = sort_last_wins(rep->previous, rep->previous_count);
    return rep;
}

/* What makes a row reusable: the record's fields, the date, the flow imposed, the
 * tool. Its hex SHA-256 in OUT. */
static void fingerprint_of(const dossier_report *rep, const struct request *r, char out[65])
{
    struct strbuf sb = { 0 };
    sb_printf(&sb, "dossier %s\ndate %lld\nflow %d\nvalidate %d\n", DOSSIER_VERSION_TEXT, (long long)rep->date,
              (int)rep->ctx->flow, rep->meta.validate_only);
    for (int f = 0; f < FIELD_COUNT; f++)
        if (r->values[f].text)
            sb_printf(&sb, "%s=%s\n", field_table[f].name, r->values[f].text);
    sha256_hex(sb.data, sb.len, out);
    sb_release(&sb);
}

/* True when the file NAME of DIR has BYTES bytes whose SHA-256 is SHA. */
static bool file_matches(const char *dir, const char *name, unsigned long long bytes, const char *sha)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size != bytes)
        return false;
    size_t len;
    char *data = file_read_all(path, (size_t)bytes, &len);
    if (!data)
        return false;
    char hex[65];
    sha256_hex(data, len, hex);
    free(data);
    return strcmp(hex, sha) == 0;
}

bool dossier_report_done(dossier_report *rep, size_t position, const dossier_record *record)
{
    const struct entry *e = NULL;
    size_t lo = 0, hi = rep->previous_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rep->previous[mid].position < position)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < rep->previous_count && rep->previous[lo].position == position)
        e = &rep->previous[lo];
    if (!e || !e->accepted)
        return false;
    char *line = read_line(e);
    if (!line)
        return false;
    struct arena *scratch = arena_new();
    size_t pos;
    char fingerprint[65], want[65];
    struct record_result row;
    bool ok = journal_parse(line, e->length, scratch, &pos, fingerprint, &row);
    if (ok) {
        fingerprint_of(rep, record->request, want);
        const char *numero = request_get(record->request, F_NUMERO);
        ok = row.accepted && strcmp(fingerprint, want) == 0 && row.numero && numero && strcmp(row.numero, numero) == 0;
        /* The outputs must still be there, whole: size and SHA-256. */
        for (size_t i = 0; ok && i < row.file_count; i++)
            ok = file_matches(rep->dir, row.files[i].name, row.files[i].bytes, row.files[i].sha256);
        diag_list_release((struct dossier_problems *)row.problems);
    }
    arena_free(scratch);
    free(line);
    if (ok) {
        pthread_mutex_lock(&rep->lock);
        push_entry(&rep->rows, &rep->count, &rep->capacity, *e);
        pthread_mutex_unlock(&rep->lock);
    }
    return ok;
}

void dossier_report_add(dossier_report *rep, size_t position, const dossier_record *record,
                        const dossier_result *res)
{
    const struct request *r = record->request;
    bool accepted = r->problems.count == 0 && (rep->meta.validate_only || res);
    struct record_result row = {
        .numero = request_get(r, F_NUMERO),
        .file = r->file,
        .line = r->line,
        .accepted = accepted,
        .problems = &r->problems,
    };
    if (accepted) {
        row.flow = res ? dossier_result_flow(res) : dossier_record_flow(rep->ctx, record);
        row.pieces = record->pieces;
        row.piece_count = record->piece_count;
    }
    if (accepted && res) {
        row.pages = dossier_result_pages(res);
        row.documents = dossier_result_documents(res);
        for (size_t i = 0; i < dossier_result_count(res) && i < RECORD_MAX_FILES; i++) {
            const dossier_file *f = dossier_result_file(res, i);
            struct output_file *o = &row.files[row.file_count++];
            o->name = f->name;
            memcpy(o->sha256, f->sha256, sizeof o->sha256);
            o->bytes = f->size;
        }
    }
    char fingerprint[65];
    fingerprint_of(rep, r, fingerprint);
    struct strbuf sb = { 0 };
    journal_format(&sb, position, fingerprint, &row);
    pthread_mutex_lock(&rep->lock);
    off_t at;
    if (rep->fd >= 0 && append(rep, sb.data, sb.len, &at))
        push_entry(&rep->rows, &rep->count, &rep->capacity,
                   (struct entry){ position, 0, rep->fd, at, (uint32_t)(sb.len - 1), accepted });
    pthread_mutex_unlock(&rep->lock);
    sb_release(&sb);
}

/* Writes TEXT to F; false (errno set) on an error. */
static bool put(FILE *f, struct strbuf *sb)
{
    bool ok = fwrite(sb->data ? sb->data : "", 1, sb->len, f) == sb->len;
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
    return ok;
}

/* report.json and report.csv of ENTRIES (sorted, one a position) into DIR, each through
 * a temporary file renamed into place. False with errno on failure. */
static bool write_reports(const char *dir, const struct report_meta *meta, const struct entry *entries, size_t n,
                          unsigned mode)
{
    char json_path[4096], csv_path[4096], json_tmp[4200], csv_tmp[4200];
    snprintf(json_path, sizeof json_path, "%s/report.json", dir);
    snprintf(csv_path, sizeof csv_path, "%s/report.csv", dir);
    snprintf(json_tmp, sizeof json_tmp, "%s.tmpXXXXXX", json_path);
    snprintf(csv_tmp, sizeof csv_tmp, "%s.tmpXXXXXX", csv_path);
    int jfd = mkstemp(json_tmp), cfd = jfd >= 0 ? mkstemp(csv_tmp) : -1;
    FILE *json = jfd >= 0 ? fdopen(jfd, "w") : NULL, *csv = cfd >= 0 ? fdopen(cfd, "w") : NULL;
    bool ok = json && csv;
    size_t accepted = 0;
    for (size_t i = 0; i < n; i++)
        accepted += entries[i].accepted;
    struct strbuf js = { 0 }, cs = { 0 };
    if (ok) {
        report_json_head(&js, meta, n, accepted);
        report_csv_head(&cs);
        ok = put(json, &js) && put(csv, &cs);
    }
    struct arena *scratch = NULL;
    for (size_t i = 0; ok && i < n; i++) {
        char *line = read_line(&entries[i]);
        size_t position;
        char fingerprint[65];
        struct record_result row;
        arena_free(scratch);
        scratch = arena_new();
        if (!line || !journal_parse(line, entries[i].length, scratch, &position, fingerprint, &row)) {
            free(line);
            errno = EIO;
            ok = false;
            break;
        }
        report_json_row(&js, &row, i == 0);
        report_csv_row(&cs, &row);
        diag_list_release((struct dossier_problems *)row.problems);
        free(line);
        ok = put(json, &js) && put(csv, &cs);
    }
    arena_free(scratch);
    if (ok) {
        report_json_tail(&js);
        ok = put(json, &js);
    }
    sb_release(&js);
    sb_release(&cs);
    int e = errno;
    if (json) {
        ok = fflush(json) == 0 && fsync(fileno(json)) == 0 && fchmod(fileno(json), (mode_t)mode) == 0 && ok;
        ok = fclose(json) == 0 && ok;
    } else if (jfd >= 0) {
        close(jfd);
    }
    if (csv) {
        ok = fflush(csv) == 0 && fsync(fileno(csv)) == 0 && fchmod(fileno(csv), (mode_t)mode) == 0 && ok;
        ok = fclose(csv) == 0 && ok;
    } else if (cfd >= 0) {
        close(cfd);
    }
    if (!ok && errno == 0)
        errno = e;
    if (ok && rename(json_tmp, json_path) == 0 && rename(csv_tmp, csv_path) == 0)
        return true;
    e = errno;
    unlink(json_tmp);
    unlink(csv_tmp);
    errno = e;
    return false;
}

dossier_status dossier_report_write(dossier_report *rep, const char *stopped, dossier_problems *problems)
{
    if (rep->write_failed) {
        diag_add(problems, rep->write_errno == ENOSPC ? "output.full" : "output.report", NULL,
                 (struct source_loc){ rep->dir, 0, NULL }, "écriture du journal %s impossible (%s)", JOURNAL,
                 strerror(rep->write_errno));
    }
    pthread_mutex_lock(&rep->lock);
    size_t n = sort_last_wins(rep->rows, rep->count);
    rep->count = n;
    rep->meta.stopped = stopped;
    bool ok = write_reports(rep->dir, &rep->meta, rep->rows, n, report_mode(rep->ctx));
    rep->meta.stopped = NULL;
    pthread_mutex_unlock(&rep->lock);
    if (ok && !rep->write_failed)
        return DOSSIER_OK;
    if (!ok)
        diag_add(problems, errno == ENOSPC ? "output.full" : "output.report", NULL,
                 (struct source_loc){ rep->dir, 0, NULL }, "écriture du rapport impossible (%s)", strerror(errno));
    return DOSSIER_ERROR;
}

void dossier_report_free(dossier_report *rep)
{
    if (!rep)
        return;
    if (rep->fd >= 0)
        close(rep->fd);
    free(rep->rows);
    free(rep->previous);
    pthread_mutex_destroy(&rep->lock);
    arena_free(rep->arena);
}

dossier_status dossier_report_merge(const char *out_dir, const char *const *dirs, size_t n,
                                    dossier_problems *problems)
{
    struct arena *a = arena_new();
    struct entry *entries = NULL;
    size_t count = 0, capacity = 0;
    int *fds = calloc(n + 1, sizeof *fds);
    if (!fds)
        abort();
    struct report_meta first = { 0 };
    dossier_status status = DOSSIER_OK;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dirs[i], JOURNAL);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) {
            diag_add(problems, "report.merge", NULL, (struct source_loc){ path, 0, NULL },
                     "journal illisible (%s) : ce dossier n'est pas la sortie d'un lot", strerror(errno));
            status = DOSSIER_ERROR;
            continue;
        }
        struct report_meta meta = { 0 };
        size_t before = count;
        scan_journal(fds[i], &entries, &count, &capacity, a, &meta);
        /* Each shard's rows: the last of a position wins within it. */
        count = before + sort_last_wins(entries + before, count - before);
        if (!meta.date) {
            diag_add(problems, "report.merge", NULL, (struct source_loc){ path, 1, NULL }, "en-tête du journal absent");
            status = DOSSIER_ERROR;
        } else if (!first.date) {
            first = meta;
        } else if (strcmp(meta.date, first.date) != 0 || (meta.seal == NULL) != (first.seal == NULL) ||
                   (meta.seal && strcmp(meta.seal, first.seal) != 0) || meta.validate_only != first.validate_only) {
            diag_add(problems, "report.merge", NULL, (struct source_loc){ path, 1, NULL },
                     "lot différent des autres (date %s, cachet ou commande) : les morceaux d'un même lot ont la même date et le même cachet",
                     meta.date);
            status = DOSSIER_ERROR;
        }
    }
    if (status == DOSSIER_OK) {
        size_t merged = sort_last_wins(entries, count);
        if (!write_reports(out_dir, &first, entries, merged, FILE_OUTPUT_MODE)) {
            diag_add(problems, "output.report", NULL, (struct source_loc){ out_dir, 0, NULL },
                     "écriture du rapport impossible (%s)", strerror(errno));
            status = DOSSIER_ERROR;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
    free(entries);
    arena_free(a);
    return status;
}
