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
#include <openssl/evp.h>
#include <stddef.h>
#include <sys/file.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOURNAL "report.journal"
/* The output folder's lock, held by the batch writing into it. */
#define LOCK_FILE ".dossier.lock"
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
    int lock_fd;                    /* holds the folder's lock for the whole run */
    off_t end;
    bool write_failed;
    int write_errno;
    struct report_meta meta;
    time_t date;
    char settings[65];              /* digest of what shapes every dossier (meta) */
    const char *resume_note;        /* why an earlier journal was set aside */
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
    if (n == 0)
        return 0;
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

/* SHA-256 of the input files, in order: what tells the slices of one batch from those
 * of another. NULL when one cannot be read (then report-merge has nothing to compare). */
static const char *inputs_digest(struct arena *a, const char *const *inputs, size_t n)
{
    if (!inputs || n == 0)
        return NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
        abort();
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        int fd = open(inputs[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat st;
        ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        char buf[65536];
        ssize_t got;
        while (ok && (got = read(fd, buf, sizeof buf)) != 0) {
            if (got < 0 && errno == EINTR)
                continue;
            ok = got > 0;
            if (ok)
                EVP_DigestUpdate(md, buf, (size_t)got);
        }
        if (fd >= 0)
            close(fd);
        /* The end of each file counts: "ab"+"c" is not "a"+"bc". */
        EVP_DigestUpdate(md, "\0", 1);
    }
    unsigned char raw[32];
    EVP_DigestFinal_ex(md, raw, NULL);
    EVP_MD_CTX_free(md);
    if (!ok)
        return NULL;
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return arena_strdup(a, hex);
}

static const char *opt(struct arena *a, const char *text)
{
    return text && *text ? arena_strdup(a, text) : NULL;
}

static void meta_of(dossier_report *rep, const dossier_ctx *ctx, const dossier_batch *batch)
{
    struct arena *a = rep->arena;
    rep->date = ctx->date_set ? ctx->date : time(NULL);
    struct tm tm;
    gmtime_r(&rep->date, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    bool has_seal = ctx->has_seal && !batch->validate_only;
    rep->meta = (struct report_meta){
        .tool_version = "dossier " DOSSIER_VERSION_TEXT,
        .date = arena_strdup(a, when),
        .seal = has_seal ? arena_strdup(a, ctx->seal.subject) : NULL,
        .demo_seal = has_seal && ctx->seal.demo,
        .validate_only = batch->validate_only,
        .seal_sha256 = has_seal ? opt(a, ctx->seal.sha256) : NULL,
        .code_key = has_seal && ctx->code_key.key ? arena_strdup(a, ctx->code_key.id) : NULL,
        .data_digest = opt(a, ctx->data_digest),
        .flow = (int)ctx->flow,
        .slice = batch->slices ? batch->slice : 0,
        .slices = batch->slices,
        .input_sha256 = inputs_digest(a, batch->inputs, batch->input_count),
    };
}

static const char *text_or(const char *text)
{
    return text ? text : "";
}

/* What shapes every dossier of a batch, as one digest: a row made under other
 * settings is never taken for done. */
static void settings_digest(const struct report_meta *m, char out[65])
{
    struct strbuf sb = { 0 };
    sb_printf(&sb, "%s\ndate %s\nflow %d\nvalidate %d\nseal %s\ncode %s\ndata %s\n", text_or(m->tool_version),
              text_or(m->date), m->flow, m->validate_only, text_or(m->seal_sha256), text_or(m->code_key),
              text_or(m->data_digest));
    sha256_hex(sb.data, sb.len, out);
    sb_release(&sb);
}

/* Why OLD's rows cannot stand for this run's, in French; NULL when they can. */
static const char *settings_changed(struct arena *a, const struct report_meta *old, const struct report_meta *now)
{
    static const struct {
        size_t offset;
        const char *why;
    } texts[] = {
        { offsetof(struct report_meta, tool_version), "la version de l'outil" },
        { offsetof(struct report_meta, date), "la date des dossiers (--date)" },
        { offsetof(struct report_meta, seal_sha256), "le cachet (--seal-cert)" },
        { offsetof(struct report_meta, code_key), "la clé des codes de suivi (--code-key)" },
        { offsetof(struct report_meta, data_digest), "les modèles ou les polices (templates/, fonts/)" },
    };
    struct strbuf sb = { 0 };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *x = *(const char *const *)((const char *)old + texts[i].offset);
        const char *y = *(const char *const *)((const char *)now + texts[i].offset);
        if (strcmp(text_or(x), text_or(y)) != 0)
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", texts[i].why);
    }
    if (old->flow != now->flow)
        sb_printf(&sb, "%s%s", sb.len ? ", " : "", "le circuit imposé (--flow)");
    if (old->validate_only != now->validate_only)
        sb_printf(&sb, "%s%s", sb.len ? ", " : "", "la commande (build ou validate)");
    const char *why = sb.len ? arena_strdup(a, sb.data) : NULL;
    sb_release(&sb);
    return why;
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

/* What a journal holds: the header of its last run, whether that run went to its end,
 * and the rows. */
struct journal_state {
    struct report_meta meta;    /* of the last run; date NULL when there is none */
    bool ended;                 /* the last line is an end line */
    const char *stopped;        /* ... and why it stopped (NULL: it went to its end) */
};

/* Every row line of the journal FD, in ENTRIES: with LAST_RUN, only those after the
 * last header (each run writes its rows, old ones it confirmed included, after its
 * header). A line cut by a crash, or any line that does not parse, is skipped. */
static void scan_journal(int fd, struct entry **entries, size_t *count, size_t *capacity, struct arena *arena,
                         struct journal_state *state, bool last_run)
{
    memset(state, 0, sizeof *state);
    FILE *in = fdopen(dup(fd), "r");
    if (!in)
        return;
    rewind(in);
    char *line = NULL;
    size_t cap = 0, run_start = *count;
    off_t offset = 0;
    ssize_t n;
    struct arena *scratch = arena_new();
    while ((n = getline(&line, &cap, in)) > 0) {
        off_t at = offset;
        offset += n;
        if (line[n - 1] != '\n' || (size_t)n > LINE_MAX_BYTES)
            continue;
        size_t len = (size_t)n - 1;
        struct report_meta meta;
        const char *stopped;
        if (journal_parse_meta(line, len, arena, &meta)) {
            state->meta = meta;
            state->ended = false;
            if (last_run)
                *count = run_start;
            continue;
        }
        if (journal_parse_end(line, len, arena, &stopped)) {
            state->ended = true;
            state->stopped = stopped;
            continue;
        }
        size_t position;
        char fingerprint[65];
        struct record_result row;
        if (!journal_parse(line, len, scratch, &position, fingerprint, NULL, &row))
            continue;
        state->ended = false;
        diag_list_release((struct dossier_problems *)row.problems);
        push_entry(entries, count, capacity, (struct entry){ position, 0, fd, at, (uint32_t)len, row.accepted });
    }
    free(line);
    arena_free(scratch);
    fclose(in);
}

static dossier_status busy(dossier_problems *problems, const char *dir, int e)
{
    diag_add(problems, e == EWOULDBLOCK ? "output.busy" : "output.lock", NULL, (struct source_loc){ dir, 0, NULL },
             e == EWOULDBLOCK ? "dossier de sortie déjà utilisé par un autre lot en cours (verrou %s) : attendez "
                                "sa fin ou choisissez un autre dossier ; rien n'a été écrit"
                              : "verrou %s impossible à poser (%s)",
             LOCK_FILE, file_error(e));
    return DOSSIER_ERROR;
}

dossier_status dossier_report_open(const dossier_ctx *ctx, const char *dir, const dossier_batch *batch,
                                   dossier_report **out, dossier_problems *problems)
{
    *out = NULL;
    char path[4096];
    /* One writer a folder: a second batch would truncate this one's journal and race
     * it for the same files. */
    snprintf(path, sizeof path, "%s/%s", dir, LOCK_FILE);
    int lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (lock_fd < 0)
        return busy(problems, dir, errno);
    if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(lock_fd);
        return busy(problems, dir, e);
    }
    struct arena *a = arena_new();
    dossier_report *rep = arena_alloc(a, sizeof *rep);
    rep->arena = a;
    pthread_mutex_init(&rep->lock, NULL);
    rep->ctx = ctx;
    rep->dir = arena_strdup(a, dir);
    rep->lock_fd = lock_fd;
    rep->fd = -1;
    meta_of(rep, ctx, batch);
    settings_digest(&rep->meta, rep->settings);
    *out = rep;
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL);
    /* A fresh run starts a journal of its own; a resumed one goes on with the old. */
    rep->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_APPEND | (batch->resume ? 0 : O_TRUNC),
                   0600);
    if (rep->fd < 0) {
        rep->write_failed = true;
        rep->write_errno = errno;
        return DOSSIER_OK;
    }
    /* The journal holds the rows of the report: the reports' mode, whatever the umask. */
    (void)fchmod(rep->fd, (mode_t)report_mode(ctx));
    if (batch->resume) {
        size_t capacity = 0;
        struct journal_state state;
        scan_journal(rep->fd, &rep->previous, &rep->previous_count, &capacity, rep->arena, &state, false);
        const char *changed = state.meta.date ? settings_changed(a, &state.meta, &rep->meta) : NULL;
        if (changed) {
            /* Made under other settings: none of the old rows stands for this run. */
            rep->resume_note = arena_printf(a, "depuis le lot précédent, %s %s changé : toutes les demandes sont "
                                               "refaites", changed, strchr(changed, ',') ? "ont" : "a");
            rep->previous_count = 0;
            if (ftruncate(rep->fd, 0) != 0) {
                rep->write_failed = true;
                rep->write_errno = errno;
            }
        }
        rep->previous_count = sort_last_wins(rep->previous, rep->previous_count);
    }
    struct stat st;
    rep->end = fstat(rep->fd, &st) == 0 ? st.st_size : 0;
    /* Each run writes its own header: the last one says what the rows after it are. */
    struct strbuf sb = { 0 };
    journal_format_meta(&sb, &rep->meta);
    off_t at;
    append(rep, sb.data, sb.len, &at);
    sb_release(&sb);
    return DOSSIER_OK;
}

const char *dossier_report_resume_note(const dossier_report *rep)
{
    return rep ? rep->resume_note : NULL;
}

/* What makes a row reusable: the batch's settings and the record's fields. Its hex
 * SHA-256 in OUT. */
static void fingerprint_of(const dossier_report *rep, const struct request *r, char out[65])
{
    struct strbuf sb = { 0 };
    sb_printf(&sb, "%s\n", rep->settings);
    for (int f = 0; f < FIELD_COUNT; f++)
        if (r->values[f].text)
            sb_printf(&sb, "%s=%s\n", field_table[f].name, r->values[f].text);
    sha256_hex(sb.data, sb.len, out);
    sb_release(&sb);
}

/* The attached files' digests as the journal keeps them: "field=sha256;...". */
static char *pieces_of(const dossier_record *record)
{
    struct strbuf sb = { 0 };
    sb_puts(&sb, "");
    for (int i = 0; i < PIECE_FIELD_COUNT; i++)
        if (record->piece_sha256[i][0])
            sb_printf(&sb, "%s=%s;", field_table[F_PCE_ID_TITULAIRE + i].name, record->piece_sha256[i]);
    return sb_take(&sb);
}

/* True when the file NAME of DIR has BYTES bytes whose SHA-256 is SHA. */
static bool file_matches(const char *dir, const char *name, unsigned long long bytes, const char *sha)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *data = file_read_all(path, (size_t)bytes, &len);
    if (!data)
        return false;
    char hex[65];
    sha256_hex(data, len, hex);
    free(data);
    return len == bytes && strcmp(hex, sha) == 0;
}

static const struct entry *previous_row(const dossier_report *rep, size_t position)
{
    size_t lo = 0, hi = rep->previous_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rep->previous[mid].position < position)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < rep->previous_count && rep->previous[lo].position == position ? &rep->previous[lo] : NULL;
}

bool dossier_report_done(dossier_report *rep, size_t position, dossier_record *record, const char **why)
{
    const char *because = NULL;
    const struct entry *e = previous_row(rep, position);
    char *line = e ? read_line(e) : NULL;
    struct arena *scratch = arena_new();
    size_t pos;
    char fingerprint[65], want[65];
    const char *pieces = NULL;
    struct record_result row;
    bool ok = line && journal_parse(line, e->length, scratch, &pos, fingerprint, &pieces, &row);
    if (ok) {
        const char *numero = request_get(record->request, F_NUMERO);
        fingerprint_of(rep, record->request, want);
        if (!row.accepted) {
            because = "rejetée au lot précédent";
        } else if (strcmp(fingerprint, want) != 0 || !row.numero || !numero || strcmp(row.numero, numero) != 0) {
            because = "données de la demande modifiées";
        } else {
            /* The pieces as they are now: the same bytes, or the dossier is made again. */
            char *now = record_hash_pieces(record) ? pieces_of(record) : NULL;
            if (!now || strcmp(now, pieces) != 0)
                because = "pièce jointe modifiée, remplacée ou illisible";
            free(now);
            /* The outputs must still be there, whole: size and SHA-256. */
            for (size_t i = 0; !because && i < row.file_count; i++)
                if (!file_matches(rep->dir, row.files[i].name, row.files[i].bytes, row.files[i].sha256))
                    because = "fichier de sortie absent ou modifié";
        }
        diag_list_release((struct dossier_problems *)row.problems);
    }
    arena_free(scratch);
    ok = ok && !because;
    if (ok) {
        /* Confirmed: copied into this run's part of the journal, so that the rows after
         * the last header are the whole run. */
        pthread_mutex_lock(&rep->lock);
        off_t at;
        line[e->length] = '\n';
        if (rep->fd >= 0 && append(rep, line, (size_t)e->length + 1, &at))
            push_entry(&rep->rows, &rep->count, &rep->capacity,
                       (struct entry){ position, 0, rep->fd, at, e->length, true });
        pthread_mutex_unlock(&rep->lock);
    }
    free(line);
    /* A record the earlier run did not reach is simply to be done: no reason to give. */
    if (why)
        *why = ok ? NULL : because;
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
    char *pieces = pieces_of(record);
    struct strbuf sb = { 0 };
    journal_format(&sb, position, fingerprint, pieces, &row);
    free(pieces);
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
        if (!line || !journal_parse(line, entries[i].length, scratch, &position, fingerprint, NULL, &row)) {
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
    pthread_mutex_lock(&rep->lock);
    /* The journal says first whether this run went to its end: report-merge reads it. */
    if (rep->fd >= 0) {
        struct strbuf sb = { 0 };
        journal_format_end(&sb, stopped);
        off_t at;
        append(rep, sb.data, sb.len, &at);
        sb_release(&sb);
        if (fsync(rep->fd) != 0 && !rep->write_failed) {
            rep->write_failed = true;
            rep->write_errno = errno;
        }
    }
    if (rep->write_failed) {
        diag_add(problems, rep->write_errno == ENOSPC ? "output.full" : "output.report", NULL,
                 (struct source_loc){ rep->dir, 0, NULL }, "écriture du journal %s impossible (%s)", JOURNAL,
                 file_error(rep->write_errno));
    }
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
                 (struct source_loc){ rep->dir, 0, NULL }, "écriture du rapport impossible (%s)", file_error(errno));
    return DOSSIER_ERROR;
}

void dossier_report_free(dossier_report *rep)
{
    if (!rep)
        return;
    if (rep->fd >= 0)
        close(rep->fd);
    /* Closing the lock's descriptor releases the folder for the next run. */
    if (rep->lock_fd >= 0)
        close(rep->lock_fd);
    free(rep->rows);
    free(rep->previous);
    pthread_mutex_destroy(&rep->lock);
    arena_free(rep->arena);
}

/* The same batch: built from the same input, with the same settings, cut the same way. */
static const char *merge_mismatch(const struct report_meta *m, const struct report_meta *first)
{
    if (strcmp(text_or(m->input_sha256), text_or(first->input_sha256)) != 0 || !m->input_sha256)
        return "fichiers d'entrée différents (empreinte des entrées)";
    if (m->slices != first->slices)
        return "découpage différent (--shard K/N avec un autre N)";
    char a[65], b[65];
    settings_digest(m, a);
    settings_digest(first, b);
    if (strcmp(a, b) != 0)
        return "réglages différents (date, cachet, clé des codes, modèles, circuit ou version)";
    return NULL;
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
    unsigned char *seen = NULL;
    struct strbuf missing = { 0 };
    dossier_status status = DOSSIER_OK;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dirs[i], JOURNAL);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat st;
        if (fds[i] < 0 || fstat(fds[i], &st) != 0 || !S_ISREG(st.st_mode)) {
            diag_add(problems, "report.merge", NULL, (struct source_loc){ path, 0, NULL },
                     "journal illisible (%s) : ce dossier n'est pas la sortie d'un lot",
                     file_error(fds[i] < 0 ? errno : EINVAL));
            status = DOSSIER_ERROR;
            continue;
        }
        struct journal_state state;
        size_t before = count;
        scan_journal(fds[i], &entries, &count, &capacity, a, &state, true);
        /* Each slice's rows: the last of a position wins within it. */
        count = before + sort_last_wins(entries + before, count - before);
        const struct report_meta *meta = &state.meta;
        unsigned slices = meta->slices ? meta->slices : 1, slice = meta->slices ? meta->slice : 1;
        const char *mismatch = NULL;
        if (!meta->date) {
            diag_add(problems, "report.merge", NULL, (struct source_loc){ path, 1, NULL },
                     "en-tête du journal absent ou d'une version antérieure");
            status = DOSSIER_ERROR;
            continue;
        }
        if (!first.date) {
            first = *meta;
            seen = calloc(slices + 1, 1);
            if (!seen)
                abort();
        } else if ((mismatch = merge_mismatch(meta, &first)) != NULL) {
            diag_add(problems, "report.merge_mismatch", NULL, (struct source_loc){ path, 1, NULL },
                     "tranche %u/%u d'un autre lot que %s : %s", slice, slices, dirs[0], mismatch);
            status = DOSSIER_ERROR;
            continue;
        }
        if (slice < 1 || slice > slices || seen[slice]) {
            diag_add(problems, "report.merge_duplicate", NULL, (struct source_loc){ path, 1, NULL },
                     "tranche %u/%u donnée deux fois", slice, slices);
            status = DOSSIER_ERROR;
            continue;
        }
        seen[slice] = 1;
        if (!state.ended || state.stopped) {
            const char *why = state.ended ? state.stopped : "interrompue sans rapport (arrêt brutal ?)";
            diag_add(problems, "report.slice_incomplete", NULL, (struct source_loc){ dirs[i], 0, NULL },
                     "tranche %u/%u incomplète : %s ; relancez-la avec --resume", slice, slices, why);
            sb_printf(&missing, "%stranche %u/%u incomplète", missing.len ? " ; " : "", slice, slices);
        }
    }
    unsigned slices = first.slices ? first.slices : 1;
    for (unsigned k = 1; status == DOSSIER_OK && seen && k <= slices; k++) {
        if (seen[k])
            continue;
        diag_add(problems, "report.slice_missing", NULL, (struct source_loc){ 0 },
                 "tranche %u/%u absente : son rapport manque au lot", k, slices);
        sb_printf(&missing, "%stranche %u/%u absente", missing.len ? " ; " : "", k, slices);
    }
    if (status == DOSSIER_OK) {
        size_t merged = sort_last_wins(entries, count);
        struct report_meta meta = first;
        meta.slice = meta.slices = 0;
        meta.stopped = missing.len ? missing.data : NULL;
        if (!write_reports(out_dir, &meta, entries, merged, FILE_OUTPUT_MODE)) {
            diag_add(problems, "output.report", NULL, (struct source_loc){ out_dir, 0, NULL },
                     "écriture du rapport impossible (%s)", file_error(errno));
            status = DOSSIER_ERROR;
        } else if (missing.len) {
            status = DOSSIER_REJECTED;
        }
    }
    sb_release(&missing);
    free(seen);
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
    free(entries);
    arena_free(a);
    return status;
}
