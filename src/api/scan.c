/* dossier_scan: returned paper dossiers, checked page by page against the sealed
 * containers they were sent in. */
#include "api.h"
#include "../scan/scan.h"
#include "../util/arena.h"
#include "../util/fileio.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zip.h>

struct dossier_scan {
    const dossier_ctx *ctx;
    struct scan_state s;
};

#define MAX_CONTAINER (512u << 20)
#define MAX_SCAN_FILE (1024u << 20)

dossier_scan *dossier_scan_new(const dossier_ctx *ctx, unsigned flags)
{
    dossier_scan *scan = calloc(1, sizeof *scan);
    if (!scan)
        abort();
    scan->ctx = ctx;
    scan->s.thumbnails = flags & DOSSIER_SCAN_THUMBNAILS;
    return scan;
}

void dossier_scan_free(dossier_scan *scan)
{
    if (!scan)
        return;
    for (size_t i = 0; i < scan->s.dossier_count; i++) {
        struct sent_dossier *d = &scan->s.dossiers[i];
        reference_close(d->reference);
        pagemap_release(&d->map);
        codekey_release(&d->key);
        free(d->pdf);
        free(d->pages);
        free(d->path);
    }
    for (size_t i = 0; i < scan->s.seen_count; i++) {
        free(scan->s.seen[i].file);
        free(scan->s.seen[i].thumb_png);
    }
    free(scan->s.dossiers);
    free(scan->s.seen);
    free(scan);
}

#define PROBLEM(code, ...) diag_add(problems, (code), NULL, (struct source_loc){ path, 0, NULL }, __VA_ARGS__)

/* The bytes of the first PDF entry of the container, and its name. */
static unsigned char *container_pdf(const unsigned char *zip, size_t len, char *name, size_t name_size,
                                    size_t *pdf_len)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *src = zip_source_buffer_create(zip, len, 0, &error);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : NULL;
    zip_error_fini(&error);
    if (!za) {
        zip_source_free(src);
        return NULL;
    }
    unsigned char *data = NULL;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n && !data; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
            continue;
        size_t l = strlen(st.name);
        if (l < 5 || strcmp(st.name + l - 4, ".pdf") != 0 || strchr(st.name, '/') || st.size > MAX_CONTAINER)
            continue;
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        data = f ? malloc(st.size ? st.size : 1) : NULL;
        if (data && zip_fread(f, data, st.size) != (zip_int64_t)st.size) {
            free(data);
            data = NULL;
        }
        if (f)
            zip_fclose(f);
        if (data) {
            snprintf(name, name_size, "%s", st.name);
            *pdf_len = st.size;
        }
    }
    zip_close(za);
    return data;
}

dossier_status dossier_scan_add_container(dossier_scan *scan, const char *path, const char *ca_file,
                                          dossier_problems *problems)
{
    size_t len;
    unsigned char *zip = (unsigned char *)file_read_all(path, MAX_CONTAINER, &len);
    if (!zip) {
        PROBLEM("scan.container", "conteneur illisible (%s)", strerror(errno));
        return DOSSIER_ERROR;
    }
    dossier_verify_info info;
    size_t before = problems ? problems->count : 0;
    dossier_status status = dossier_verify(scan->ctx, zip, len, ca_file, &info, problems);
    if (status != DOSSIER_OK) {
        /* The problems are the verification's, without the file: name it. */
        for (size_t i = before; problems && i < problems->count; i++)
            if (!problems->items[i].file)
                problems->items[i].file = arena_strdup(problems->arena, path);
        PROBLEM("scan.container", "conteneur non vérifié : il ne peut servir de référence");
        free(zip);
        return status;
    }
    struct sent_dossier d = { 0 };
    d.chain_checked = info.chain_checked;
    d.pinned = info.pinned;
    char pdf_name[256] = "";
    d.pdf = container_pdf(zip, len, pdf_name, sizeof pdf_name, &d.pdf_len);
    free(zip);
    char numero[64] = "";
    if (!d.pdf || sscanf(pdf_name, "dossier-%63[0-9].pdf", numero) != 1) {
        free(d.pdf);
        PROBLEM("scan.not_paper", "conteneur sans dossier papier (dossier-N.pdf) : un dossier dématérialisé "
                                  "est signé électroniquement, il n'a rien à contrôler sur papier");
        return DOSSIER_REJECTED;
    }
    d.reference = reference_open(d.pdf, d.pdf_len);
    char map_name[96];
    snprintf(map_name, sizeof map_name, PAGEMAP_NAME_FORMAT, numero);
    size_t map_len = 0;
    char *xml = d.reference ? reference_attachment(d.reference, map_name, &map_len) : NULL;
    if (!xml) {
        PROBLEM("scan.pagemap", d.reference ? "%s sans mise en page jointe : dossier construit par une version "
                                              "antérieure à check-scan"
                                            : "%s illisible (poppler-glib)", pdf_name);
        reference_close(d.reference);
        free(d.pdf);
        return DOSSIER_REJECTED;
    }
    bool ok = pagemap_read(xml, map_len, path, &d.map, problems);
    free(xml);
    if (ok && strcmp(d.map.numero, numero) != 0) {
        PROBLEM("scan.pagemap", "mise en page de la demande %s dans le dossier %s", d.map.numero, numero);
        ok = false;
    }
    for (size_t i = 0; ok && i < scan->s.dossier_count; i++)
        if (strcmp(scan->s.dossiers[i].map.numero, numero) == 0) {
            PROBLEM("scan.container", "dossier n° %s donné deux fois", numero);
            ok = false;
        }
    if (ok && d.map.has_key && !codekey_from_raw(&d.key, d.map.pub)) {
        PROBLEM("scan.pagemap", "clé publique des codes de suivi invalide");
        ok = false;
    }
    const struct code_key *given = scan->ctx->code_pub_given ? &scan->ctx->code_pub : NULL;
    if (ok && given && (!d.key.key || strcmp(d.key.id, given->id) != 0)) {
        PROBLEM("scan.key", "codes de suivi %s%s, pas par la clé publique fournie (%s)",
                d.key.key ? "signés par la clé " : "non signés", d.key.key ? d.key.id : "", given->id);
        ok = false;
    }
    if (!ok) {
        reference_close(d.reference);
        pagemap_release(&d.map);
        codekey_release(&d.key);
        free(d.pdf);
        return DOSSIER_REJECTED;
    }
    d.path = strdup(path);
    d.pages = calloc(d.map.count, sizeof *d.pages);
    if (!d.path || !d.pages)
        abort();
    for (size_t i = 0; i < d.map.count; i++)
        d.pages[i].seen = -1;
    struct scan_state *s = &scan->s;
    if (s->dossier_count == s->dossier_cap) {
        s->dossier_cap = s->dossier_cap ? 2 * s->dossier_cap : 8;
        s->dossiers = realloc(s->dossiers, s->dossier_cap * sizeof *s->dossiers);
        if (!s->dossiers)
            abort();
    }
    s->dossiers[s->dossier_count++] = d;
    return DOSSIER_OK;
}

/* --- one scanned page ------------------------------------------------------------ */

struct reading {
    dossier_scan *scan;
    const char *file;
    dossier_problems *problems;
    bool failed;
};

/* Which sent page CODE names, and how it stands. */
static enum seen_status identify(struct scan_state *s, const char *text, int *dossier, int *page)
{
    struct track_code code;
    dossier_problems ignored;
    diag_list_init(&ignored, NULL);
    bool parsed = track_code_parse(text, &code, &ignored);
    diag_list_release(&ignored);
    if (!parsed)
        return SEEN_UNREADABLE;
    for (size_t d = 0; d < s->dossier_count; d++) {
        struct sent_dossier *sd = &s->dossiers[d];
        if (strcmp(sd->map.numero, code.numero) != 0)
            continue;
        *dossier = (int)d;
        for (size_t p = 0; p < sd->map.count; p++)
            if (strcasecmp(sd->map.pages[p].code, code.text) == 0) {
                *page = (int)p;
                return sd->pages[p].found ? SEEN_DUPLICATE : SEEN_OK;
            }
        /* Not a code of this dossier: forged, or of another build of the request. */
        if (code.is_signed && !track_code_verify(&code, sd->key.key ? &sd->key : NULL))
            return SEEN_FORGED;
        return SEEN_OTHER_EDITION;
    }
    return SEEN_FOREIGN;
}

/* The map of the sent page P onto the scan, from the corners of its code. */
static bool page_map(const struct pagemap_page *p, const struct found_code *c, struct affine *map)
{
    double x0 = p->qr_x, y0 = p->qr_y, x1 = p->qr_x + p->qr_side, y1 = p->qr_y + p->qr_side;
    /* zbar's order: top left, bottom left, bottom right, top right of the symbol. */
    const double px[4] = { x0, x0, x1, x1 }, py[4] = { y1, y0, y0, y1 };
    return affine_fit(px, py, c->x, c->y, 4, map);
}

struct png_sink {
    unsigned char *data;
    size_t len, cap;
};

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct png_sink *s = closure;
    if (s->len + length > s->cap) {
        s->cap = (s->len + length) * 2;
        s->data = realloc(s->data, s->cap);
        if (!s->data)
            abort();
    }
    memcpy(s->data + s->len, data, length);
    s->len += length;
    return CAIRO_STATUS_SUCCESS;
}

#define THUMB_WIDTH 320

/* A small picture of the scanned page, each box outlined: green filled, red empty. */
static void thumbnail(struct seen_page *seen, const struct gray *page, const struct sent_dossier *d)
{
    struct gray small = { 0 };
    if (!gray_alloc(&small, page->w, page->h))
        return;
    memcpy(small.px, page->px, (size_t)page->w * (size_t)page->h);
    double factor = (double)page->w / THUMB_WIDTH;
    if (factor > 1 && !gray_shrink(&small, factor)) {
        gray_free(&small);
        return;
    }
    double scale = (double)small.w / page->w;
    cairo_surface_t *surface = gray_to_surface(&small);
    gray_free(&small);
    if (d && (seen->status == SEEN_OK)) {
        cairo_t *cr = cairo_create(surface);
        cairo_set_line_width(cr, 2);
        const struct pagemap_page *p = &d->map.pages[seen->page];
        const struct expected_page *e = &d->pages[seen->page];
        for (size_t b = 0; b < p->box_count; b++) {
            const struct pagemap_box *box = &p->boxes[b];
            const struct ink_result *ink = &e->boxes[b].ink;
            double cx[4] = { box->x, box->x + box->w, box->x + box->w, box->x };
            double cy[4] = { box->y, box->y, box->y + box->h, box->y + box->h };
            for (int k = 0; k < 4; k++) {
                double sx, sy;
                affine_apply(&seen->map, cx[k] + ink->shift_x, cy[k] + ink->shift_y, &sx, &sy);
                if (k == 0)
                    cairo_move_to(cr, sx * scale, sy * scale);
                else
                    cairo_line_to(cr, sx * scale, sy * scale);
            }
            cairo_close_path(cr);
            if (ink->filled)
                cairo_set_source_rgb(cr, 0.05, 0.6, 0.15);
            else
                cairo_set_source_rgb(cr, 0.85, 0.05, 0.05);
            cairo_stroke(cr);
        }
        cairo_destroy(cr);
    }
    struct png_sink sink = { 0 };
    if (cairo_surface_write_to_png_stream(surface, png_write, &sink) == CAIRO_STATUS_SUCCESS) {
        seen->thumb_png = sink.data;
        seen->thumb_len = sink.len;
    } else {
        free(sink.data);
    }
    cairo_surface_destroy(surface);
}

static bool on_page(void *user, struct gray *page, int index)
{
    struct reading *r = user;
    struct scan_state *s = &r->scan->s;
    struct found_code codes[4];
    int n = locate_codes(page, codes, 4);
    if (n < 0) {
        diag_add(r->problems, "scan.zbar", NULL, (struct source_loc){ r->file, 0, NULL },
                 "bibliothèque libzbar introuvable : impossible de lire les codes (paquet libzbar0)");
        r->failed = true;
        return false;
    }
    struct seen_page seen = { .index = index, .status = SEEN_UNREADABLE, .dossier = -1, .page = -1,
                              .scan_w = page->w, .scan_h = page->h };
    seen.file = strdup(r->file);
    if (!seen.file)
        abort();
    /* The first code that names a sent page wins; otherwise the most telling status. */
    const struct found_code *used = NULL;
    for (int i = 0; i < n; i++) {
        int dossier = -1, p = -1;
        enum seen_status st = identify(s, codes[i].text, &dossier, &p);
        if (!used || st < seen.status) {
            used = &codes[i];
            seen.status = st;
            seen.dossier = dossier;
            seen.page = p;
            memcpy(seen.code, codes[i].text, sizeof seen.code);
        }
        if (st == SEEN_OK)
            break;
    }
    struct sent_dossier *d = seen.dossier >= 0 ? &s->dossiers[seen.dossier] : NULL;
    if ((seen.status == SEEN_OK || seen.status == SEEN_DUPLICATE) &&
        !page_map(&d->map.pages[seen.page], used, &seen.map))
        seen.status = SEEN_UNREADABLE;
    if (seen.status == SEEN_OK) {
        const struct pagemap_page *p = &d->map.pages[seen.page];
        struct expected_page *e = &d->pages[seen.page];
        e->found = 1;
        e->seen = (int)s->seen_count;
        for (size_t b = 0; b < p->box_count; b++) {
            const struct pagemap_box *box = &p->boxes[b];
            struct gray ref = { 0 };
            if (!reference_render(d->reference, seen.page, box->x, box->y, box->w, box->h, INK_MARGIN_PT,
                                  INK_PX_PER_PT, &ref))
                continue;
            ink_measure(page, &seen.map, &ref, box->x, box->y, box->w, box->h, &e->boxes[b].ink);
            e->boxes[b].measured = true;
            gray_free(&ref);
        }
    } else if (seen.status == SEEN_DUPLICATE) {
        d->pages[seen.page].found++;
    }
    if (s->thumbnails)
        thumbnail(&seen, page, d);
    if (s->seen_count == s->seen_cap) {
        s->seen_cap = s->seen_cap ? 2 * s->seen_cap : 32;
        s->seen = realloc(s->seen, s->seen_cap * sizeof *s->seen);
        if (!s->seen)
            abort();
    }
    s->seen[s->seen_count++] = seen;
    return true;
}

dossier_status dossier_scan_add_file(dossier_scan *scan, const char *path, dossier_problems *problems)
{
    size_t len;
    unsigned char *data = (unsigned char *)file_read_all(path, MAX_SCAN_FILE, &len);
    if (!data) {
        PROBLEM("scan.unreadable", "numérisation illisible (%s)", strerror(errno));
        return DOSSIER_ERROR;
    }
    struct reading r = { scan, path, problems, false };
    /* Time per page: decoding the scan included. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok = scan_read_file(data, len, path, on_page, &r, problems);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    scan->s.seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    free(data);
    return ok && !r.failed ? DOSSIER_OK : DOSSIER_ERROR;
}

bool dossier_scan_complete(const dossier_scan *scan)
{
    return scan_complete(&scan->s);
}

char *dossier_scan_text(const dossier_scan *scan)
{
    return scan_report_text(&scan->s);
}

char *dossier_scan_json(const dossier_scan *scan)
{
    return scan_report_json(&scan->s);
}

char *dossier_scan_html(const dossier_scan *scan)
{
    return scan_report_html(&scan->s);
}
