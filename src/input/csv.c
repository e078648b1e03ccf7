/* CSV reader, streaming: RFC 4180, ';' or ',' from the header, UTF-8 (BOM or not) or
 * Windows-1252. One record at a time in bounded memory, whatever the file's size. */
#include "input.h"
#include "reader.h"
#include "../util/arena.h"
#include "../util/text.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 65536

/* Windows-1252's five undefined bytes come out of the conversion as these private-use
 * characters (U+F700 + byte), so that the record holding one is refused with the
 * byte's value, and the other records still go. */
#define UNDEFINED_BASE 0xF700

/* The bytes of a CSV file, read by chunks, and turned into UTF-8 when the file is
 * Windows-1252. */
struct source {
    int fd;                             /* -1 for a buffer */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    unsigned char raw[CHUNK];
    size_t raw_len, raw_pos;
    bool cp1252;
    unsigned char pending[4];           /* UTF-8 of one converted byte not yet given */
    size_t pending_len, pending_pos;
    bool eof, failed;
};

static bool refill(struct source *s)
{
    if (s->eof)
        return false;
    if (s->fd < 0) {
        size_t n = s->mem_len - s->mem_pos;
        if (n > CHUNK)
            n = CHUNK;
        memcpy(s->raw, s->mem + s->mem_pos, n);
        s->mem_pos += n;
        s->raw_len = n;
    } else {
        ssize_t n;
        do
            n = read(s->fd, s->raw, CHUNK);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            s->failed = true;
        s->raw_len = n > 0 ? (size_t)n : 0;
    }
    s->raw_pos = 0;
    s->eof = s->raw_len == 0;
    return !s->eof;
}

/* Next byte of UTF-8 text, or -1 at the end. */
static int next_byte(struct source *s)
{
    if (s->pending_pos < s->pending_len)
        return s->pending[s->pending_pos++];
    if (s->raw_pos >= s->raw_len && !refill(s))
        return -1;
    unsigned char b = s->raw[s->raw_pos++];
    if (!s->cp1252 || b < 0x80)
        return b;
    int32_t cp = cp1252_to_unicode(b);
    if (cp < 0)
        cp = UNDEFINED_BASE + b;
    s->pending_len = utf8_put((char *)s->pending, cp);
    s->pending_pos = 1;
    return s->pending[0];
}

/* The next byte without taking it, or -1. */
static int peek_byte(struct source *s)
{
    if (s->pending_pos < s->pending_len)
        return s->pending[s->pending_pos];
    if (s->raw_pos >= s->raw_len && !refill(s))
        return -1;
    if (!s->cp1252 || s->raw[s->raw_pos] < 0x80)
        return s->raw[s->raw_pos];
    int c = next_byte(s);
    s->pending_pos--;
    return c;
}

struct csv_cell {
    size_t offset;              /* into the scratch buffer */
    size_t len;
    int line;
};

struct csv_row {
    struct csv_cell *cells;
    size_t count;               /* cells seen, kept or not */
    size_t kept, capacity;      /* cells kept (at most CSV_MAX_COLUMNS) */
    char *scratch;              /* unquoted cell text, back to back */
    size_t used, size;
    int line;                   /* line the row starts on */
    bool bad_quote;
    int bad_quote_line;
    bool cell_too_long;
    int too_long_line;
};

struct csv_reader {
    struct source src;
    const char *path;
    char *root;
    char delim;
    int line;
    bool utf8_strict;           /* the BOM promised UTF-8: check each row */
    bool done;
    struct csv_row row;
    size_t ncols;
    int *column_field;          /* -1 = ignored column */
    struct request *header_problem; /* a problem of the whole file, given once */
};

static void row_reset(struct csv_row *row)
{
    row->count = row->kept = 0;
    row->used = 0;
    row->bad_quote = false;
    row->cell_too_long = false;
}

static void row_putc(struct csv_row *row, char c, int line)
{
    if (row->count > row->kept)
        return;                 /* a cell past the limit: counted, not kept */
    struct csv_cell *cell = &row->cells[row->kept - 1];
    if (row->used - cell->offset >= CSV_MAX_CELL_BYTES) {
        if (!row->cell_too_long) {
            row->cell_too_long = true;
            row->too_long_line = line;
        }
        return;
    }
    if (row->used + 1 >= row->size) {
        row->size = row->size ? row->size * 2 : 1024;
        row->scratch = realloc(row->scratch, row->size);
        if (!row->scratch)
            abort();
    }
    row->scratch[row->used++] = c;
}

static void row_end_cell(struct csv_row *row)
{
    if (row->count > row->kept)
        return;
    struct csv_cell *cell = &row->cells[row->kept - 1];
    cell->len = row->used - cell->offset;
    /* Room for the terminating NUL was kept by row_putc's growth rule, but a cell of
     * no byte may come first. */
    if (row->used + 1 >= row->size) {
        row->size = row->size ? row->size * 2 : 1024;
        row->scratch = realloc(row->scratch, row->size);
        if (!row->scratch)
            abort();
    }
    row->scratch[row->used++] = '\0';
}

static void row_start_cell(struct csv_row *row, int line)
{
    row->count++;
    if (row->kept >= CSV_MAX_COLUMNS)
        return;
    if (row->kept == row->capacity) {
        row->capacity = row->capacity ? row->capacity * 2 : 64;
        row->cells = realloc(row->cells, row->capacity * sizeof *row->cells);
        if (!row->cells)
            abort();
    }
    row->cells[row->kept++] = (struct csv_cell){ row->used, 0, line };
}

/* Reads one row; false at end of input. CR LF, LF and lone CR end a row. */
static bool csv_next_row(struct csv_reader *cr, struct csv_row *row)
{
    struct source *s = &cr->src;
    row_reset(row);
    if (peek_byte(s) < 0)
        return false;
    row->line = cr->line;
    row_start_cell(row, cr->line);
    bool quoted = false, was_quoted = false;
    bool cell_empty = true;
    for (int ch; (ch = next_byte(s)) >= 0;) {
        char c = (char)ch;
        if (quoted) {
            if (c == '"') {
                if (peek_byte(s) == '"') {
                    next_byte(s);
                    row_putc(row, '"', cr->line);
                } else {
                    quoted = false;
                }
                continue;
            }
            /* RFC 4180 breaks lines inside quotes with CR LF too: a value keeps a
             * plain '\n', like one typed in a spreadsheet cell or read from XML. */
            if (c == '\r') {
                if (peek_byte(s) == '\n')
                    continue;
                c = '\n';
            }
            if (c == '\n')
                cr->line++;
            row_putc(row, c, cr->line);
            cell_empty = false;
            continue;
        }
        if (c == cr->delim) {
            row_end_cell(row);
            row_start_cell(row, cr->line);
            was_quoted = false;
            cell_empty = true;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && peek_byte(s) == '\n')
                next_byte(s);
            cr->line++;
            break;
        }
        if (c == '"' && cell_empty && !was_quoted) {
            quoted = was_quoted = true;
            continue;
        }
        /* A quote inside an unquoted cell is kept as text (12" écran); text after a
         * closing quote is an error. */
        if (was_quoted && !row->bad_quote && c != ' ' && c != '\t') {
            row->bad_quote = true;
            row->bad_quote_line = cr->line;
        }
        row_putc(row, c, cr->line);
        cell_empty = false;
    }
    if (quoted && !row->bad_quote) {
        row->bad_quote = true;
        row->bad_quote_line = row->line;
    }
    row_end_cell(row);
    return true;
}

/* Spreadsheets export emptied rows as ";;;;": a row of blank cells is no record. */
static bool row_is_blank(const struct csv_row *row)
{
    for (size_t c = 0; c < row->kept; c++) {
        const char *s = row->scratch + row->cells[c].offset;
        for (size_t i = 0; i < row->cells[c].len; i++)
            if (!isspace((unsigned char)s[i]))
                return false;
    }
    return true;
}

/* The delimiter of the header line: the more frequent of ';' and ',' outside quotes,
 * counted over the first chunk (a header longer than that is refused anyway). */
static char detect_delimiter(struct source *s)
{
    if (s->raw_pos >= s->raw_len)
        refill(s);
    size_t semi = 0, comma = 0;
    bool quoted = false;
    for (size_t i = s->raw_pos; i < s->raw_len && (quoted || (s->raw[i] != '\n' && s->raw[i] != '\r')); i++) {
        if (s->raw[i] == '"')
            quoted = !quoted;
        else if (!quoted && s->raw[i] == ';')
            semi++;
        else if (!quoted && s->raw[i] == ',')
            comma++;
    }
    return comma > semi ? ',' : ';';
}

/* First pass over a file without BOM: UTF-8 throughout, or else Windows-1252 (what
 * Excel writes on Windows). Constant memory; the file is then read again. */
static bool file_is_utf8(struct source *s)
{
    unsigned char carry[4];
    size_t carried = 0;
    bool valid = true;
    while (valid && refill(s)) {
        unsigned char joined[CHUNK + 4];
        memcpy(joined, carry, carried);
        memcpy(joined + carried, s->raw, s->raw_len);
        size_t len = carried + s->raw_len;
        const char *p = (const char *)joined, *end = p + len;
        carried = 0;
        while (p < end) {
            /* A sequence cut by the chunk's end is finished with the next chunk. */
            size_t left = (size_t)(end - p);
            unsigned char c = (unsigned char)*p;
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (need > left && !s->eof && left < 4) {
                memcpy(carry, p, left);
                carried = left;
                break;
            }
            if (utf8_next(&p, end) < 0) {
                valid = false;
                break;
            }
        }
    }
    return valid && carried == 0;
}

static void rewind_source(struct source *s)
{
    s->eof = false;
    s->raw_len = s->raw_pos = 0;
    s->pending_len = s->pending_pos = 0;
    s->mem_pos = 0;
    if (s->fd >= 0)
        lseek(s->fd, 0, SEEK_SET);
}

/* The Windows-1252 byte that decoded to CP, or -1. */
static int cp1252_byte(int32_t cp)
{
    if (cp >= 0xA0 && cp <= 0xFF)
        return (int)cp;
    for (int b = 0x80; b < 0xA0; b++)
        if (cp1252_to_unicode((unsigned char)b) == cp)
            return b;
    return -1;
}

/* A file read as Windows-1252 whose cell holds the bytes of a UTF-8 sequence ("Ã©"
 * for "é"): the file mixes two encodings, and the record would be printed garbled.
 * Reported like a bad byte: the record is refused, the others go through. */
static bool mixed_utf8(const char *text, const char *end, struct source_loc loc, struct request *r, bool *reported)
{
    int32_t cps[4];
    int n = 0;
    for (const char *p = text; p < end;) {
        int32_t cp = utf8_next(&p, end);
        if (n == 4) {
            memmove(cps, cps + 1, 3 * sizeof *cps);
            n = 3;
        }
        cps[n++] = cp;
        /* Does a lead byte (C2..F4) followed by its continuation bytes end here? */
        for (int len = 2; len <= 4 && len <= n; len++) {
            const int32_t *seq = cps + (n - len);
            int lead = cp1252_byte(seq[0]);
            int need = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
            if (need != len)
                continue;
            unsigned char bytes[5];
            bytes[0] = (unsigned char)lead;
            bool cont = true;
            for (int k = 1; k < len && cont; k++) {
                int b = cp1252_byte(seq[k]);
                cont = b >= 0x80 && b <= 0xBF;
                bytes[k] = (unsigned char)b;
            }
            bytes[len] = '\0';
            if (!cont || !utf8_is_valid((const char *)bytes, (size_t)len))
                continue;
            char shown[20];
            size_t m = 0;
            for (int k = 0; k < len; k++)
                m += utf8_put(shown + m, seq[k]);
            shown[m] = '\0';
            if (!*reported)
                diag_add(&r->problems, "csv.encoding", NULL, loc,
                         "« %s » lu en Windows-1252 est le « %s » d'un texte UTF-8 : le fichier mélange deux "
                         "encodages ; enregistrez-le tout en UTF-8", shown, (const char *)bytes);
            *reported = true;
            return true;
        }
    }
    return false;
}

/* Problems of the bytes of one cell: NUL, invalid UTF-8 after a BOM, Windows-1252's
 * undefined bytes. Added to R (once per row: REPORTED says whether one was) at the
 * cell's line; true when the cell is bad. */
static bool check_cell_bytes(struct csv_reader *cr, const struct csv_cell *cell, struct request *r, bool *reported)
{
    const char *text = cr->row.scratch + cell->offset, *end = text + cell->len;
    struct source_loc loc = { r->file, cell->line, NULL };
    if (memchr(text, '\0', cell->len)) {
        if (!*reported)
            diag_add(&r->problems, "csv.encoding", NULL, loc,
                     "la ligne contient un octet nul : ce n'est pas du texte (fichier abîmé ou binaire ?)");
        *reported = true;
        return true;
    }
    for (const char *p = text; p < end;) {
        const char *at = p;
        int32_t cp = utf8_next(&p, end);
        bool undefined = cp >= UNDEFINED_BASE + 0x80 && cp <= UNDEFINED_BASE + 0x9F;
        if (!undefined && cp >= 0)
            continue;
        if (!*reported && undefined)
            diag_add(&r->problems, "csv.encoding", NULL, loc,
                     "octet 0x%02X invalide en UTF-8 comme en Windows-1252 : encodage non reconnu",
                     (unsigned)(cp - UNDEFINED_BASE));
        else if (!*reported)
            diag_add(&r->problems, "csv.encoding", NULL, loc, cr->utf8_strict
                     ? "octet 0x%02X invalide en UTF-8 alors que le fichier commence par la marque UTF-8 (BOM)"
                     : "octet 0x%02X invalide en UTF-8", (unsigned char)*at);
        *reported = true;
        return true;
    }
    if (cr->src.cp1252 && mixed_utf8(text, end, loc, r, reported))
        return true;
    return false;
}

static void normalise_header(char *name)
{
    for (char *s = name; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static struct request *file_problem(struct csv_reader *cr, int line, const char *code, const char *message)
{
    cr->done = true;
    return input_file_problem(cr->path, cr->root, line, code, message);
}

/* Reads the header: maps each column to a field. A problem of the header is the
 * whole file's, returned as its one record. */
static struct request *read_header(struct csv_reader *cr, const struct input_options *options)
{
    struct source *s = &cr->src;
    if (s->fd >= 0 && s->failed)
        return file_problem(cr, 1, "csv.read", "lecture du fichier impossible");
    if (!csv_next_row(cr, &cr->row) || row_is_blank(&cr->row))
        return file_problem(cr, 1, "csv.header",
                            "fichier vide ou sans ligne d'en-tête (noms des colonnes attendus sur la première ligne)");
    struct csv_row *row = &cr->row;
    if (row->count > CSV_MAX_COLUMNS) {
        char msg[200];
        snprintf(msg, sizeof msg, "ligne d'en-tête de %zu colonnes : au plus %d (mauvais séparateur, ou pas un fichier de demandes ?)",
                 row->count, CSV_MAX_COLUMNS);
        return file_problem(cr, 1, "csv.header", msg);
    }
    struct request *r = request_new(cr->path, cr->root);
    r->line = 1;
    r->whole_file = true;
    bool reported = false;
    for (size_t i = 0; i < row->kept && !reported; i++)
        check_cell_bytes(cr, &row->cells[i], r, &reported);
    if (r->problems.count > 0) {
        cr->done = true;
        return r;
    }
    cr->ncols = row->kept;
    cr->column_field = calloc(cr->ncols + 1, sizeof *cr->column_field);
    if (!cr->column_field)
        abort();
    struct source_loc header_loc = { cr->path, 1, NULL };
    for (size_t i = 0; i < cr->ncols; i++) {
        char *name = row->scratch + row->cells[i].offset;
        while (isspace((unsigned char)*name))
            name++;
        size_t tl = strlen(name);
        while (tl > 0 && isspace((unsigned char)name[tl - 1]))
            name[--tl] = '\0';
        normalise_header(name);
        cr->column_field[i] = field_lookup(name);
        if (cr->column_field[i] < 0 && !options->ignore_unknown)
            diag_add(&r->problems, "csv.unknown_column", name, header_loc,
                     "colonne %zu inconnue (les noms admis sont ceux du README, par exemple « titulaire.prenom » ; option --ignore-unknown pour l'ignorer)",
                     i + 1);
        /* Each repeated column once, against its first occurrence. */
        for (size_t j = 0; j < i && cr->column_field[i] >= 0; j++)
            if (cr->column_field[j] == cr->column_field[i]) {
                diag_add(&r->problems, "csv.duplicate_column", name, header_loc,
                         "colonne présente deux fois (colonnes %zu et %zu)", j + 1, i + 1);
                break;
            }
    }
    if (r->problems.count > 0) {
        cr->done = true;
        return r;
    }
    request_free(r);
    return NULL;
}

static struct request *next_record(struct csv_reader *cr)
{
    struct csv_row *row = &cr->row;
    for (;;) {
        if (!csv_next_row(cr, row))
            return NULL;
        if (!row_is_blank(row))
            break;
    }
    struct request *r = request_new(cr->path, cr->root);
    r->line = row->line;
    if (row->count != cr->ncols) {
        diag_add(&r->problems, "csv.ragged", NULL, request_record_loc(r),
                 "la ligne a %zu colonnes au lieu de %zu (séparateur « %c » en trop ou manquant ?)",
                 row->count, cr->ncols, cr->delim);
    }
    if (row->bad_quote) {
        struct source_loc loc = { cr->path, row->bad_quote_line, NULL };
        diag_add(&r->problems, "csv.quote", NULL, loc,
                 "guillemets mal fermés : une cellule entre guillemets doit se terminer par \" suivi du séparateur ou de la fin de ligne");
    }
    if (row->cell_too_long) {
        struct source_loc loc = { cr->path, row->too_long_line, NULL };
        diag_add(&r->problems, "csv.too_long", NULL, loc,
                 "cellule de plus de %d octets : ce n'est pas une valeur de demande (fichier abîmé ?)",
                 CSV_MAX_CELL_BYTES);
    }
    bool reported = false;
    size_t n = row->kept < cr->ncols ? row->kept : cr->ncols;
    for (size_t i = 0; i < n; i++) {
        if (cr->column_field[i] < 0)
            continue;
        const struct csv_cell *cell = &row->cells[i];
        /* A bad cell's bytes would reach messages and reports: it stays unread. */
        if (check_cell_bytes(cr, cell, r, &reported))
            continue;
        request_set(r, (enum field_id)cr->column_field[i], row->scratch + cell->offset, cell->len, cell->line, NULL);
    }
    return r;
}

struct request *csv_reader_next(struct csv_reader *cr)
{
    if (cr->header_problem) {
        struct request *r = cr->header_problem;
        cr->header_problem = NULL;
        return r;
    }
    if (cr->done)
        return NULL;
    struct request *r = next_record(cr);
    if (!r)
        cr->done = true;
    return r;
}

void csv_reader_close(struct csv_reader *cr)
{
    if (!cr)
        return;
    if (cr->src.fd >= 0)
        close(cr->src.fd);
    request_free(cr->header_problem);
    free(cr->row.cells);
    free(cr->row.scratch);
    free(cr->column_field);
    free(cr->root);
    free((char *)cr->path);
    free(cr);
}

struct csv_reader *csv_reader_open(const char *path, int fd, const void *data, size_t len,
                                   const struct input_options *options, const char *root)
{
    struct csv_reader *cr = calloc(1, sizeof *cr);
    if (!cr)
        abort();
    cr->path = strdup(path);
    cr->root = strdup(root);
    cr->line = 1;
    struct source *s = &cr->src;
    s->fd = fd;
    s->mem = data;
    s->mem_len = len;
    refill(s);
    const unsigned char *head = s->raw;
    size_t n = s->raw_len;
    if (n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) {
        cr->header_problem = file_problem(cr, 1, "csv.encoding",
            "le fichier est en UTF-16 : enregistrez-le en CSV UTF-8 ou en CSV (séparateur : point-virgule)");
        return cr;
    }
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
        /* The BOM promises UTF-8: a row breaking the promise is refused on its own. */
        cr->utf8_strict = true;
        s->raw_pos = 3;
    } else {
        rewind_source(s);
        s->cp1252 = !file_is_utf8(s);
        rewind_source(s);
        refill(s);
    }
    cr->delim = detect_delimiter(s);
    cr->header_problem = read_header(cr, options);
    return cr;
}
