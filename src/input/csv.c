/* CSV reader: RFC 4180, ';' or ',' from the header, UTF-8 (BOM or not) or Windows-1252. */
#include "input.h"
#include "../util/arena.h"
#include "../util/fileio.h"
#include "../util/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csv_cell {
    size_t offset;              /* into the scratch buffer */
    size_t len;
    int line;
};

struct csv_row {
    struct csv_cell *cells;
    size_t count, capacity;
    char *scratch;              /* unquoted cell text, back to back */
    size_t used, size;
    int line;                   /* line the row starts on */
    bool bad_quote;
    int bad_quote_line;
};

struct csv_parser {
    const char *p, *end;
    int line;
    char delim;
};

static void row_reset(struct csv_row *row)
{
    row->count = 0;
    row->used = 0;
    row->bad_quote = false;
}

static void row_putc(struct csv_row *row, char c)
{
    if (row->used + 1 >= row->size) {
        row->size = row->size ? row->size * 2 : 1024;
        row->scratch = realloc(row->scratch, row->size);
        if (!row->scratch)
            abort();
    }
    row->scratch[row->used++] = c;
}

static void row_start_cell(struct csv_row *row, int line)
{
    if (row->count == row->capacity) {
        row->capacity = row->capacity ? row->capacity * 2 : 64;
        row->cells = realloc(row->cells, row->capacity * sizeof *row->cells);
        if (!row->cells)
            abort();
    }
    row->cells[row->count++] = (struct csv_cell){ row->used, 0, line };
}

static void row_end_cell(struct csv_row *row)
{
    struct csv_cell *cell = &row->cells[row->count - 1];
    cell->len = row->used - cell->offset;
    row_putc(row, '\0');
}

/* Reads one row; false at end of input. CR LF, LF and lone CR end a row. */
static bool csv_next_row(struct csv_parser *ps, struct csv_row *row)
{
    row_reset(row);
    if (ps->p >= ps->end)
        return false;
    row->line = ps->line;
    row_start_cell(row, ps->line);
    bool quoted = false, was_quoted = false;
    while (ps->p < ps->end) {
        char c = *ps->p++;
        if (quoted) {
            if (c == '"') {
                if (ps->p < ps->end && *ps->p == '"') {
                    row_putc(row, '"');
                    ps->p++;
                } else {
                    quoted = false;
                }
                continue;
            }
            /* RFC 4180 breaks lines inside quotes with CR LF too: a value keeps a
             * plain '\n', like one typed in a spreadsheet cell or read from XML. */
            if (c == '\r') {
                if (ps->p < ps->end && *ps->p == '\n')
                    continue;
                c = '\n';
            }
            if (c == '\n')
                ps->line++;
            row_putc(row, c);
            continue;
        }
        if (c == ps->delim) {
            row_end_cell(row);
            row_start_cell(row, ps->line);
            was_quoted = false;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && ps->p < ps->end && *ps->p == '\n')
                ps->p++;
            ps->line++;
            break;
        }
        if (c == '"') {
            struct csv_cell *cell = &row->cells[row->count - 1];
            if (row->used == cell->offset && !was_quoted) {
                quoted = was_quoted = true;
                continue;
            }
            /* A quote inside an unquoted cell is kept as text (12" écran);
             * text after a closing quote is an error. */
        }
        if (was_quoted && !row->bad_quote && c != ' ' && c != '\t') {
            row->bad_quote = true;
            row->bad_quote_line = ps->line;
        }
        row_putc(row, c);
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
    for (size_t c = 0; c < row->count; c++) {
        const char *s = row->scratch + row->cells[c].offset;
        for (size_t i = 0; i < row->cells[c].len; i++)
            if (!isspace((unsigned char)s[i]))
                return false;
    }
    return true;
}

static char detect_delimiter(const char *p, const char *end)
{
    size_t semi = 0, comma = 0;
    bool quoted = false;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ';')
            semi++;
        else if (!quoted && *p == ',')
            comma++;
    }
    return comma > semi ? ',' : ';';
}

static int line_of_offset(const char *text, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

struct request *input_file_problem(const char *path, const char *root, int line,
                                   const char *code, const char *message)
{
    struct request *r = request_new(path, root);
    r->line = line;
    r->whole_file = true;
    diag_add(&r->problems, code, NULL, request_record_loc(r), "%s", message);
    return r;
}

char *input_root(const char *path, const struct input_options *options)
{
    if (options->pieces_dir)
        return strdup(options->pieces_dir);
    return path_dirname(path);
}

static void normalise_header(char *name)
{
    for (char *s = name; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

bool request_load_csv(const char *path, const struct input_options *options,
                      struct request_list *out)
{
    size_t len;
    char *raw = file_read_all(path, INPUT_MAX_BYTES, &len);
    if (!raw)
        return false;
    char *root = input_root(path, options);
    struct arena *scratch = arena_new();
    const char *text = raw;
    size_t text_len = len;

    if (len >= 2 && ((unsigned char)raw[0] == 0xFF || (unsigned char)raw[0] == 0xFE) &&
        ((unsigned char)raw[1] == 0xFE || (unsigned char)raw[1] == 0xFF)) {
        request_list_push(out, input_file_problem(path, root, 1, "csv.encoding",
            "le fichier est en UTF-16 : enregistrez-le en CSV UTF-8 ou en CSV (séparateur : point-virgule)"));
        goto done;
    }
    if (memchr(raw, '\0', len)) {
        request_list_push(out, input_file_problem(path, root, line_of_offset(raw, (size_t)((char *)memchr(raw, '\0', len) - raw)),
            "csv.encoding", "le fichier contient un octet nul : ce n'est pas un fichier texte CSV"));
        goto done;
    }
    if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        text_len -= 3;
        /* The BOM promises UTF-8: a bad byte after it must not reach the values,
         * the messages and the reports as malformed UTF-8. */
        const char *p = text, *end = text + text_len;
        while (p < end) {
            const char *at = p;
            if (utf8_next(&p, end) >= 0)
                continue;
            char msg[160];
            snprintf(msg, sizeof msg,
                     "octet 0x%02X invalide en UTF-8 alors que le fichier commence par la marque UTF-8 (BOM)",
                     (unsigned char)*at);
            request_list_push(out, input_file_problem(path, root, line_of_offset(raw, (size_t)(at - raw)),
                                                      "csv.encoding", msg));
            goto done;
        }
    } else if (!utf8_is_valid(raw, len)) {
        /* Not UTF-8: what Excel writes on Windows, Windows-1252. */
        long bad;
        text = cp1252_to_utf8(scratch, raw, len, &bad);
        text_len = strlen(text);
        if (bad >= 0) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "octet 0x%02X invalide en UTF-8 comme en Windows-1252 : encodage du fichier non reconnu",
                     (unsigned char)raw[bad]);
            request_list_push(out, input_file_problem(path, root, line_of_offset(raw, (size_t)bad),
                                                      "csv.encoding", msg));
            goto done;
        }
    }

    struct csv_parser ps = { text, text + text_len, 1, detect_delimiter(text, text + text_len) };
    struct csv_row row = { 0 };
    if (!csv_next_row(&ps, &row) || row_is_blank(&row)) {
        request_list_push(out, input_file_problem(path, root, 1, "csv.header",
            "fichier vide ou sans ligne d'en-tête (noms des colonnes attendus sur la première ligne)"));
        free(row.cells);
        free(row.scratch);
        goto done;
    }

    /* Header: map each column to a field; -1 = ignored column. */
    size_t ncols = row.count;
    int *column_field = arena_alloc(scratch, ncols * sizeof *column_field);
    struct dossier_problems header_problems;
    diag_list_init(&header_problems, scratch);
    struct source_loc header_loc = { path, 1, NULL };
    for (size_t i = 0; i < ncols; i++) {
        char *name = row.scratch + row.cells[i].offset;
        char *trimmed = name;
        while (isspace((unsigned char)*trimmed))
            trimmed++;
        size_t tl = strlen(trimmed);
        while (tl > 0 && isspace((unsigned char)trimmed[tl - 1]))
            trimmed[--tl] = '\0';
        normalise_header(trimmed);
        column_field[i] = field_lookup(trimmed);
        if (column_field[i] < 0 && !options->ignore_unknown)
            diag_add(&header_problems, "csv.unknown_column", trimmed, header_loc,
                     "colonne %zu inconnue (les noms admis sont ceux du README, par exemple « titulaire.prenom » ; option --ignore-unknown pour l'ignorer)",
                     i + 1);
        /* Each repeated column once, against its first occurrence: a header of
         * thousands of copies must not make a problem per pair. */
        for (size_t j = 0; j < i && column_field[i] >= 0; j++)
            if (column_field[j] == column_field[i]) {
                diag_add(&header_problems, "csv.duplicate_column", trimmed, header_loc,
                         "colonne présente deux fois (colonnes %zu et %zu)", j + 1, i + 1);
                break;
            }
    }
    if (header_problems.count > 0) {
        struct request *r = request_new(path, root);
        r->line = 1;
        r->whole_file = true;
        for (size_t i = 0; i < header_problems.count; i++) {
            const struct dossier_problem *d = &header_problems.items[i];
            diag_add(&r->problems, d->code, d->field, (struct source_loc){ d->file, d->line, d->xml_path }, "%s", d->message);
        }
        request_list_push(out, r);
        diag_list_release(&header_problems);
        free(row.cells);
        free(row.scratch);
        goto done;
    }
    diag_list_release(&header_problems);

    while (csv_next_row(&ps, &row)) {
        if (row_is_blank(&row))
            continue;
        struct request *r = request_new(path, root);
        r->line = row.line;
        if (row.count != ncols) {
            diag_add(&r->problems, "csv.ragged", NULL, request_record_loc(r),
                     "la ligne a %zu colonnes au lieu de %zu (séparateur « %c » en trop ou manquant ?)",
                     row.count, ncols, ps.delim);
        }
        if (row.bad_quote) {
            struct source_loc loc = { path, row.bad_quote_line, NULL };
            diag_add(&r->problems, "csv.quote", NULL, loc,
                     "guillemets mal fermés : une cellule entre guillemets doit se terminer par \" suivi du séparateur ou de la fin de ligne");
        }
        size_t n = row.count < ncols ? row.count : ncols;
        for (size_t i = 0; i < n; i++) {
            if (column_field[i] < 0)
                continue;
            const struct csv_cell *cell = &row.cells[i];
            request_set(r, (enum field_id)column_field[i], row.scratch + cell->offset,
                        cell->len, cell->line, NULL);
        }
        request_list_push(out, r);
    }
    free(row.cells);
    free(row.scratch);

done:
    arena_free(scratch);
    free(root);
    free(raw);
    return true;
}
