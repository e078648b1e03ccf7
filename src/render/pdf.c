/* libharu canvas: fonts, text runs by code page, ToUnicode maps, metadata, save. */
#include "pdf.h"
#include "flate.h"
#include "pdfops.h"
#include "pdfpack.h"
#include "ttftrim.h"
#include "../util/codepage.h"
#include "../util/strbuf.h"
#include "../util/diag.h"
#include "../util/text.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pdf {
    HPDF_Doc doc;
    HPDF_STATUS error;          /* first libharu error, 0 if none */
    HPDF_STATUS error_detail;
    const char *font_name[STYLE_COUNT];
    HPDF_Font fonts[STYLE_COUNT][CODEPAGE_COUNT];   /* per code page, made on first use */
    HPDF_Dict to_unicode[CODEPAGE_COUNT];   /* one map per code page, both styles share it */
    /* Advance widths in 1/1000 em, read from the font's metrics when the font is
     * made: measuring through libharu cost a sixth of a light dossier. */
    int16_t widths[STYLE_COUNT][CODEPAGE_COUNT][256];
    struct flate_cache *cache;  /* the context's, or NULL */
    struct pdf_page **pages;
    size_t page_count, page_capacity;
};

/* libharu keeps the page object (MediaBox, resources); its content stream is written
 * by pdfops, not by libharu's operators (their number formatting and state checks
 * were a third of a light dossier's time, and their output twice the size). */
struct pdf_page {
    HPDF_Page page;
    struct pdf_ops ops;
    HPDF_Dict xobjects;         /* the page's images, /I0, /I1, ... */
    int image_count;
};

/* Font number N of a page's resources (/F<N>). */
#define FONT_NUMBER(style, e) ((int)(style) * CODEPAGE_COUNT + (e))

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    struct pdf *pdf = data;
    if (!pdf->error) {
        pdf->error = error;
        pdf->error_detail = detail;
    }
}

static HPDF_Font font_for(struct pdf *pdf, enum font_style style, int e);

struct pdf *pdf_new(const char *fonts_dir, struct dossier_problems *problems)
{
    struct pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf)
        abort();
    pdf->doc = HPDF_New(on_error, pdf);
    if (!pdf->doc) {
        diag_add(problems, "render.pdf", NULL, (struct source_loc){ 0 }, "libharu : création du document impossible");
        free(pdf);
        return NULL;
    }
    HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
    static const char *const files[STYLE_COUNT] = {
        "DossierSans-Regular.ttf", "DossierSans-Bold.ttf",
    };
    for (int s = 0; s < STYLE_COUNT; s++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", fonts_dir, files[s]);
        pdf->font_name[s] = HPDF_LoadTTFontFromFile(pdf->doc, path, HPDF_TRUE);
        if (!pdf->font_name[s]) {
            diag_add(problems, "render.font", NULL, (struct source_loc){ path, 0, NULL },
                     "police introuvable ou illisible (fonts/%s)", files[s]);
            pdf_free(pdf);
            return NULL;
        }
    }
    /* Every document prints French in both styles: their fonts are made first, so
     * that their objects come before any page whatever draws first (a page body put
     * back from the cache, pdf_bodies_restore, then numbers its objects as drawn). */
    for (int s = 0; s < STYLE_COUNT; s++) {
        if (!font_for(pdf, (enum font_style)s, 0)) {
            diag_add(problems, "render.font", NULL, (struct source_loc){ 0 }, "libharu : police inutilisable (%s)",
                     files[s]);
            pdf_free(pdf);
            return NULL;
        }
    }
    return pdf;
}

bool pdf_fonts_usable(const char *fonts_dir, struct dossier_problems *problems)
{
    struct pdf *pdf = pdf_new(fonts_dir, problems);
    pdf_free(pdf);
    return pdf != NULL;
}

void pdf_free(struct pdf *pdf)
{
    if (!pdf)
        return;
    for (size_t i = 0; i < pdf->page_count; i++) {
        ops_release(&pdf->pages[i]->ops);
        free(pdf->pages[i]);
    }
    free(pdf->pages);
    if (pdf->doc)
        HPDF_Free(pdf->doc);
    free(pdf);
}

void pdf_set_cache(struct pdf *pdf, struct flate_cache *cache)
{
    pdf->cache = cache;
}

struct pdf_page *pdf_add_page(struct pdf *pdf)
{
    HPDF_Page hpage = HPDF_AddPage(pdf->doc);
    if (!hpage)
        abort();    /* only memory exhaustion makes libharu fail here */
    HPDF_Page_SetWidth(hpage, PAGE_WIDTH);
    HPDF_Page_SetHeight(hpage, PAGE_HEIGHT);
    if (pdf->page_count == pdf->page_capacity) {
        pdf->page_capacity = pdf->page_capacity ? 2 * pdf->page_capacity : 16;
        pdf->pages = realloc(pdf->pages, pdf->page_capacity * sizeof *pdf->pages);
        if (!pdf->pages)
            abort();
    }
    struct pdf_page *page = calloc(1, sizeof *page);
    if (!page)
        abort();
    page->page = hpage;
    ops_init(&page->ops);
    pdf->pages[pdf->page_count++] = page;
    return page;
}

void pdf_begin_furniture(struct pdf_page *page)
{
    ops_layer(&page->ops, OPS_FURNITURE);
}

void pdf_fill_gray(struct pdf_page *page, float gray)
{
    ops_fill_gray(&page->ops, gray);
}

void pdf_rect(struct pdf_page *page, float x, float y, float w, float h, float line_width,
              float stroke_gray, float fill_gray)
{
    ops_rect(&page->ops, x, y, w, h, line_width, stroke_gray, fill_gray);
}

void pdf_polyline(struct pdf_page *page, const float *xy, size_t n, float width, float gray)
{
    ops_polyline(&page->ops, xy, n, width, gray);
}

void pdf_line(struct pdf_page *page, float x1, float y1, float x2, float y2, float width, float gray)
{
    const float xy[4] = { x1, y1, x2, y2 };
    pdf_polyline(page, xy, 2, width, gray);
}

void pdf_stencil(struct pdf_page *page, float gray, float x, float y, float w, float h, int pw, int ph,
                 const unsigned char *bits, size_t stride)
{
    ops_stencil(&page->ops, gray, x, y, w, h, pw, ph, bits, stride);
}

/* A snapshot: the page count, then per page its body's length, its fonts and, for
 * each of them, the bytes drawn (32-byte sets), then the body. */
struct snapshot_page {
    uint32_t len;
    uint32_t fonts;
};

bool pdf_bodies_save(struct pdf_page *const *pages, size_t count, struct strbuf *out)
{
    uint32_t n = (uint32_t)count;
    sb_append(out, (const char *)&n, sizeof n);
    for (size_t i = 0; i < count; i++) {
        const struct pdf_ops *o = &pages[i]->ops;
        /* An image belongs to its document (its XObject): such a page is not kept. */
        if (pages[i]->image_count)
            return false;
        const struct snapshot_page head = { (uint32_t)o->layer[OPS_BODY].len, o->fonts_used[OPS_BODY] };
        sb_append(out, (const char *)&head, sizeof head);
        for (int f = 0; f < OPS_FONTS; f++)
            if (head.fonts & (1u << f))
                sb_append(out, (const char *)o->drawn[OPS_BODY][f], sizeof o->drawn[OPS_BODY][f]);
        sb_append(out, o->layer[OPS_BODY].data ? o->layer[OPS_BODY].data : "", head.len);
    }
    return true;
}

size_t pdf_bodies_count(const char *data, size_t len)
{
    uint32_t n = 0;
    if (len >= sizeof n)
        memcpy(&n, data, sizeof n);
    return n;
}

bool pdf_bodies_restore(struct pdf *pdf, struct pdf_page *const *pages, size_t count, const char *data, size_t len)
{
    const char *p = data + sizeof(uint32_t), *end = data + len;
    if (pdf_bodies_count(data, len) != count)
        return false;
    for (size_t i = 0; i < count; i++) {
        struct snapshot_page head;
        if ((size_t)(end - p) < sizeof head)
            return false;
        memcpy(&head, p, sizeof head);
        p += sizeof head;
        struct pdf_ops *o = &pages[i]->ops;
        for (int f = 0; f < OPS_FONTS; f++) {
            if (!(head.fonts & (1u << f)))
                continue;
            /* Only the fonts every document makes first (pdf_new): another would get
             * its objects at another place than when drawn. */
            if (f >= STYLE_COUNT * CODEPAGE_COUNT || !pdf->fonts[f / CODEPAGE_COUNT][f % CODEPAGE_COUNT] ||
                (size_t)(end - p) < sizeof o->drawn[OPS_BODY][f])
                return false;
            memcpy(o->drawn[OPS_BODY][f], p, sizeof o->drawn[OPS_BODY][f]);
            p += sizeof o->drawn[OPS_BODY][f];
        }
        if ((size_t)(end - p) < head.len || o->layer[OPS_BODY].len != 0)
            return false;
        sb_append(&o->layer[OPS_BODY], p, head.len);
        p += head.len;
        o->fonts_used[OPS_BODY] = head.fonts;
    }
    return p == end;
}

bool pdf_bodies_cacheable(const struct pdf *pdf, struct pdf_page *const *pages, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (pages[i]->image_count)
            return false;
        uint32_t fonts = pages[i]->ops.fonts_used[OPS_BODY];
        for (int f = 0; f < OPS_FONTS; f++)
            if ((fonts & (1u << f)) && f % CODEPAGE_COUNT != 0)
                return false;
    }
    (void)pdf;
    return true;
}

/* DICT[KEY], a dictionary, made when missing. */
static HPDF_Dict sub_dict(struct pdf *pdf, HPDF_Dict dict, const char *key)
{
    HPDF_Dict sub = HPDF_Dict_GetItem(dict, key, HPDF_OCLASS_DICT);
    if (sub)
        return sub;
    sub = HPDF_Dict_New(pdf->doc->mmgr);
    if (!sub || HPDF_Dict_Add(dict, key, sub) != HPDF_OK)
        return NULL;
    return sub;
}

static HPDF_Dict resources(struct pdf *pdf, struct pdf_page *page)
{
    return sub_dict(pdf, page->page, "Resources");
}

bool pdf_image_jpeg(struct pdf *pdf, struct pdf_page *page, const unsigned char *jpeg, size_t len,
                    float x, float y, float w, float h)
{
    /* libharu copies the bytes into the image's own stream (2.3.0,
     * HPDF_Image_LoadJpegImageFromMem): they can be freed before saving. */
    HPDF_Image image = HPDF_LoadJpegImageFromMem(pdf->doc, jpeg, (HPDF_UINT)len);
    if (!image)
        return false;
    HPDF_Dict res = resources(pdf, page);
    if (!page->xobjects)
        page->xobjects = res ? sub_dict(pdf, res, "XObject") : NULL;
    char name[16];
    snprintf(name, sizeof name, "I%d", page->image_count);
    if (!page->xobjects || HPDF_Dict_Add(page->xobjects, name, image) != HPDF_OK)
        return false;
    ops_image(&page->ops, page->image_count++, x, y, w, h);
    return true;
}

static void add_date(struct pdf *pdf, HPDF_InfoType type, time_t date)
{
    struct tm tm;
    gmtime_r(&date, &tm);
    HPDF_Date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                    tm.tm_sec, 'Z', 0, 0 };
    HPDF_SetInfoDateAttr(pdf->doc, type, d);
}

/* Info strings are PDFDocEncoding; CP1252 matches it for the characters we use, and
 * the rest is dropped to '?' rather than corrupting the dictionary. */
static void set_info_text(struct pdf *pdf, HPDF_InfoType type, const char *utf8)
{
    size_t len = strlen(utf8);
    char *out = malloc(len + 1);
    if (!out)
        abort();
    size_t o = 0;
    const char *p = utf8, *end = utf8 + len;
    while (p < end) {
        int32_t cp = utf8_next(&p, end);
        unsigned char b = cp < 0 ? 0 : codepage_encode(0, codepage_substitute(cp));
        out[o++] = b ? (char)b : '?';
    }
    out[o] = '\0';
    HPDF_SetInfoAttr(pdf->doc, type, out);
    free(out);
}

void pdf_set_info(struct pdf *pdf, const char *title, const char *subject, const char *author,
                  const char *creator, time_t date)
{
    /* The Info strings go through the document's current encoder. */
    HPDF_SetCurrentEncoder(pdf->doc, "WinAnsiEncoding");
    set_info_text(pdf, HPDF_INFO_TITLE, title);
    set_info_text(pdf, HPDF_INFO_SUBJECT, subject);
    set_info_text(pdf, HPDF_INFO_AUTHOR, author);
    set_info_text(pdf, HPDF_INFO_CREATOR, creator);
    set_info_text(pdf, HPDF_INFO_PRODUCER, "libharu 2.3.0");
    add_date(pdf, HPDF_INFO_CREATION_DATE, date);
    add_date(pdf, HPDF_INFO_MOD_DATE, date);
}

/* A ToUnicode CMap for a simple font in code page E: libharu writes none, and the
 * glyph names of its /Differences are not always read back as the right character
 * (Ț comes back as Ţ), so text extraction would not be exact without it.
 * libharu 2.3.0 has no public call to add an entry to a font dictionary: this is
 * the one place that uses its internal object API (hpdf_objects.h). */
/* A stream already deflated: libharu writes it as it is, and this
 * names its filter (libharu drops a /Filter it did not set itself). */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* STREAM's content replaced by RAW deflated through the cache: what is the same in
 * every dossier (the code pages' maps, a font program cut to the same glyphs) is
 * deflated once per context. */
static bool set_deflated(struct pdf *pdf, HPDF_Dict stream, const char *raw, size_t raw_len)
{
    const struct flate_part part = { raw, raw_len, 1 };
    size_t len;
    unsigned char *z = flate_join(pdf->cache, &part, 1, &len);
    HPDF_MemStream_FreeData(stream->stream);
    bool ok = HPDF_Stream_Write(stream->stream, z, (HPDF_UINT)len) == HPDF_OK;
    free(z);
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = write_flate_filter;
    return ok;
}

static void add_to_unicode(struct pdf *pdf, HPDF_Font font, int e)
{
    /* Regular and bold of a code page map the same bytes to the same characters. */
    if (pdf->to_unicode[e]) {
        HPDF_Dict_Add(font, "ToUnicode", pdf->to_unicode[e]);
        return;
    }
    HPDF_Doc doc = pdf->doc;
    HPDF_Dict stream = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!stream)
        return;
    struct strbuf map = { 0 };
    sb_puts(&map, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n");
    /* Runs of bytes that map to consecutive characters (all of ASCII, most of each
     * code page's upper half) as ranges, at most 100 to a block. */
    int first[224], last[224], runs = 0;
    for (int b = 0x20; b <= 0xFF; b++) {
        if (!codepage_decode(e, (unsigned char)b))
            continue;
        /* A range steps through the last byte of its characters only. */
        if (runs > 0 && last[runs - 1] == b - 1 &&
            codepage_decode(e, (unsigned char)b) == codepage_decode(e, (unsigned char)(b - 1)) + 1 &&
            (codepage_decode(e, (unsigned char)b) & 0xFF) != 0)
            last[runs - 1] = b;
        else
            first[runs] = last[runs] = b, runs++;
    }
    for (int i = 0; i < runs; i += 100) {
        int chunk = runs - i < 100 ? runs - i : 100;
        sb_printf(&map, "%d beginbfrange\n", chunk);
        for (int k = i; k < i + chunk; k++)
            sb_printf(&map, "<%02X> <%02X> <%04X>\n", first[k], last[k],
                      (unsigned)codepage_decode(e, (unsigned char)first[k]));
        sb_puts(&map, "endbfrange\n");
    }
    sb_puts(&map, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    set_deflated(pdf, stream, map.data, map.len);
    sb_release(&map);
    pdf->to_unicode[e] = stream;
    HPDF_Dict_Add(font, "ToUnicode", stream);
}

bool pdf_attach(struct pdf *pdf, const char *name, const void *data, size_t len, const char *description)
{
    /* libharu's HPDF_AttachFile reads a file from disk; the same objects, from memory. */
    HPDF_Doc doc = pdf->doc;
    HPDF_Dict file = HPDF_DictStream_New(doc->mmgr, doc->xref);
    HPDF_Dict params = HPDF_Dict_New(doc->mmgr);
    HPDF_Dict spec = HPDF_Dict_New(doc->mmgr);
    HPDF_Dict ef = HPDF_Dict_New(doc->mmgr);
    HPDF_Dict names = HPDF_Dict_New(doc->mmgr);
    HPDF_Dict embedded = HPDF_Dict_New(doc->mmgr);
    HPDF_Array list = HPDF_Array_New(doc->mmgr);
    if (!file || !params || !spec || !ef || !names || !embedded || !list)
        return false;
    file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    bool ok = HPDF_Dict_AddName(file, "Type", "EmbeddedFile") == HPDF_OK &&
              HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len) == HPDF_OK &&
              HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len) == HPDF_OK &&
              HPDF_Dict_Add(file, "Params", params) == HPDF_OK &&
              HPDF_Dict_AddName(spec, "Type", "Filespec") == HPDF_OK &&
              HPDF_Dict_Add(spec, "F", HPDF_String_New(doc->mmgr, name, NULL)) == HPDF_OK &&
              HPDF_Dict_Add(spec, "UF", HPDF_String_New(doc->mmgr, name, NULL)) == HPDF_OK &&
              HPDF_Dict_Add(spec, "Desc", HPDF_String_New(doc->mmgr, description, NULL)) == HPDF_OK &&
              HPDF_Dict_Add(ef, "F", file) == HPDF_OK && HPDF_Dict_Add(spec, "EF", ef) == HPDF_OK &&
              HPDF_Array_Add(list, HPDF_String_New(doc->mmgr, name, NULL)) == HPDF_OK &&
              HPDF_Array_Add(list, spec) == HPDF_OK && HPDF_Dict_Add(embedded, "Names", list) == HPDF_OK &&
              HPDF_Dict_Add(names, "EmbeddedFiles", embedded) == HPDF_OK &&
              HPDF_Dict_Add(doc->catalog, "Names", names) == HPDF_OK;
    return ok;
}

static HPDF_Font font_for(struct pdf *pdf, enum font_style style, int e)
{
    HPDF_Font f = pdf->fonts[style][e];
    if (f)
        return f;
    f = HPDF_GetFont(pdf->doc, pdf->font_name[style], codepage_names[e]);
    if (!f)
        return NULL;
    add_to_unicode(pdf, f, e);
    /* libharu's CharWidth, without marking every glyph as used (that would put
     * the whole code page into the embedded subset). */
    HPDF_FontDef def = ((HPDF_FontAttr)f->attr)->fontdef;
    HPDF_TTFontDefAttr tt = def->attr;
    for (int b = 0; b < 256; b++) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)codepage_decode(e, (unsigned char)b));
        pdf->widths[style][e][b] = gid >= tt->num_glyphs
            ? def->missing_width
            : (int16_t)((HPDF_UINT)tt->h_metric[gid].advance_width * 1000 / tt->header.units_per_em);
    }
    pdf->fonts[style][e] = f;
    return f;
}

/* Splits TEXT into runs of one code page each; calls EMIT with the encoded bytes. */
typedef void (*run_fn)(struct pdf *pdf, int e, const char *bytes, size_t len, void *data);

static void for_each_run(struct pdf *pdf, const char *text, size_t len, run_fn emit, void *data)
{
    char stack[512];
    char *buf = len < sizeof stack ? stack : malloc(len + 1);
    if (!buf)
        abort();
    const char *p = text, *end = text + len;
    int current = -1;
    size_t used = 0;
    while (p < end) {
        /* Printable ASCII is itself in every code page. */
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7F) {
            buf[used++] = (char)c;
            p++;
            continue;
        }
        int32_t cp = utf8_next(&p, end);
        if (cp == '\n' || cp == '\r')
            cp = ' ';
        cp = cp < 0 ? '?' : codepage_substitute(cp);
        int e = current >= 0 ? current : 0;
        unsigned char b = codepage_encode(e, cp);
        if (!b) {
            /* Validation rejects unprintable text, so this is only a safety net. */
            int other = codepage_for(cp);
            if (other < 0) {
                b = '?';
            } else {
                if (used > 0)
                    emit(pdf, e, buf, used, data);
                used = 0;
                e = other;
                b = codepage_encode(e, cp);
            }
        }
        current = e;
        buf[used++] = (char)b;
    }
    if (used > 0)
        emit(pdf, current < 0 ? 0 : current, buf, used, data);
    if (buf != stack)
        free(buf);
}

struct measure {
    enum font_style style;
    float width;        /* in 1/1000 em */
};

static void measure_run(struct pdf *pdf, int e, const char *bytes, size_t len, void *data)
{
    struct measure *m = data;
    if (!font_for(pdf, m->style, e))
        return;
    const int16_t *w = pdf->widths[m->style][e];
    long total = 0;
    for (size_t i = 0; i < len; i++)
        total += w[(unsigned char)bytes[i]];
    m->width += (float)total;
}

float pdf_text_width(struct pdf *pdf, enum font_style style, float size, const char *text, size_t len)
{
    struct measure m = { style, 0 };
    for_each_run(pdf, text, len, measure_run, &m);
    return m.width * size / 1000.0f;
}

struct draw {
    struct pdf_page *page;
    enum font_style style;
    float size;
};

static void draw_run(struct pdf *pdf, int e, const char *bytes, size_t len, void *data)
{
    struct draw *d = data;
    if (!font_for(pdf, d->style, e))
        return;
    ops_show(&d->page->ops, FONT_NUMBER(d->style, e), d->size, bytes, len);
}

void pdf_text(struct pdf *pdf, struct pdf_page *page, float x, float y, enum font_style style,
              float size, const char *text, size_t len)
{
    if (len == 0)
        return;
    struct draw d = { page, style, size };
    ops_text_at(&page->ops, x, y);
    for_each_run(pdf, text, len, draw_run, &d);
}

/* libharu names the ISO 8859-16 letters Ț and ț (bytes 222 and 254) "Tcommaaccent"
 * and "tcommaaccent" in the font's /Differences; viewers read those names through
 * the Adobe Glyph List as Ţ and ţ (U+0162, U+0163), whose glyphs were not embedded,
 * and print nothing. In the ISO 8859-16 arrays only (the one with "/Scommaaccent" at
 * 170; CP1250 has Ţ there, rightly named), the names become uni021A and uni021B,
 * padded with spaces to the same length so that no offset of the file moves. */
static void name_comma_letters(unsigned char *pdf, size_t len)
{
    static const char key[] = "/Differences [";
    static const struct { const char *from, *to; } names[] = {
        { "222 /Tcommaaccent", "222 /uni021A     " },
        { "254 /tcommaaccent", "254 /uni021B     " },
    };
    unsigned char *p = pdf, *end = pdf + len;
    while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1)) != NULL) {
        unsigned char *close = memchr(p, ']', (size_t)(end - p));
        if (!close)
            return;
        size_t n = (size_t)(close - p);
        if (memmem(p, n, "170 /Scommaaccent", 17)) {
            for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
                unsigned char *at = memmem(p, n, names[i].from, strlen(names[i].from));
                if (at)
                    memcpy(at, names[i].to, strlen(names[i].to));
            }
        }
        p = close;
    }
}

static unsigned char *save_failed(struct pdf *pdf, struct dossier_problems *problems)
{
    diag_add(problems, "render.pdf", NULL, (struct source_loc){ 0 },
             "écriture du PDF impossible (libharu : erreur 0x%04X, détail %u)", (unsigned)pdf->error,
             (unsigned)pdf->error_detail);
    return NULL;
}

/* PAGE's fonts in its resources, and its two layers as one deflated stream, the
 * body's part through the context's cache. */
static bool page_finish(struct pdf *pdf, struct pdf_page *page)
{
    struct pdf_ops *o = &page->ops;
    ops_end(o);
    uint32_t fonts_used = o->fonts_used[OPS_BODY] | o->fonts_used[OPS_FURNITURE];
    if (fonts_used) {
        HPDF_Dict res = resources(pdf, page);
        HPDF_Dict fonts = res ? sub_dict(pdf, res, "Font") : NULL;
        if (!fonts)
            return false;
        for (int n = 0; n < STYLE_COUNT * CODEPAGE_COUNT; n++) {
            if (!(fonts_used & (1u << n)))
                continue;
            char name[16];
            snprintf(name, sizeof name, "F%d", n);
            if (HPDF_Dict_Add(fonts, name, pdf->fonts[n / CODEPAGE_COUNT][n % CODEPAGE_COUNT]) != HPDF_OK)
                return false;
        }
    }
    const struct flate_part parts[OPS_LAYERS] = {
        { o->layer[OPS_BODY].data, o->layer[OPS_BODY].len, 1 },
        { o->layer[OPS_FURNITURE].data, o->layer[OPS_FURNITURE].len, 0 },
    };
    size_t len;
    unsigned char *z = flate_join(pdf->cache, parts, OPS_LAYERS, &len);
    HPDF_PageAttr attr = (HPDF_PageAttr)page->page->attr;
    bool ok = HPDF_Stream_Write(attr->stream, z, (HPDF_UINT)len) == HPDF_OK;
    free(z);
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = write_flate_filter;
    ops_release(o);
    return ok;
}

/* The font program of DEF cut to its used glyphs, deflated, in PROGRAM: from the
 * cache when a dossier before drew the same glyphs (cutting it is libharu's
 * costliest step), else cut by libharu and kept. Its raw length in *LENGTH1. */
static bool font_program(struct pdf *pdf, HPDF_FontDef def, HPDF_Dict program, HPDF_UINT *length1)
{
    HPDF_TTFontDefAttr tt = def->attr;
    size_t name_len = strlen(tt->base_font) + 1, key_len = name_len + tt->num_glyphs;
    unsigned char *key = malloc(key_len);
    if (!key)
        abort();
    memcpy(key, tt->base_font, name_len);
    memcpy(key + name_len, tt->glyph_tbl.flgs, tt->num_glyphs);
    size_t z_len, raw_len;
    unsigned char *z = flate_cache_blob(pdf->cache, key, key_len, &z_len, &raw_len);
    bool ok;
    if (z) {
        ok = HPDF_Stream_Write(program->stream, z, (HPDF_UINT)z_len) == HPDF_OK;
        *length1 = (HPDF_UINT)raw_len;
    } else {
        ok = HPDF_TTFontDef_SaveFontData(def, program->stream) == HPDF_OK;
        HPDF_UINT32 size = program->stream->size;
        char *raw = malloc(size ? size : 1);
        if (!raw)
            abort();
        HPDF_UINT got = size;
        ok = ok && HPDF_Stream_Seek(program->stream, 0, HPDF_SEEK_SET) == HPDF_OK &&
             HPDF_Stream_Read(program->stream, (HPDF_BYTE *)raw, &got) == HPDF_OK && got == size;
        if (ok) {
            /* A font whose tables are not where expected goes as libharu made it. */
            ttf_trim_metrics((unsigned char *)raw, size, tt->glyph_tbl.flgs, tt->num_glyphs);
            const struct flate_part part = { raw, size, 0 };
            z = flate_join(NULL, &part, 1, &z_len);
            HPDF_MemStream_FreeData(program->stream);
            ok = HPDF_Stream_Write(program->stream, z, (HPDF_UINT)z_len) == HPDF_OK;
            flate_cache_keep_blob(pdf->cache, key, key_len, z, z_len, size);
        }
        *length1 = size;
        free(raw);
    }
    free(z);
    free(key);
    program->filter = HPDF_STREAM_FILTER_NONE;
    program->write_fn = write_flate_filter;
    return ok;
}

/* What libharu's CreateDescriptor (hpdf_font_tt.c) makes at save, in the same order,
 * made now so that the program can come from the cache; libharu then only links it. */
static bool font_descriptor(struct pdf *pdf, HPDF_FontDef def)
{
    HPDF_MMgr mmgr = pdf->doc->mmgr;
    HPDF_TTFontDefAttr tt = def->attr;
    HPDF_Dict d = HPDF_Dict_New(mmgr);
    if (!d || HPDF_Xref_Add(pdf->doc->xref, d) != HPDF_OK)
        return false;
    HPDF_STATUS ret = HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
    ret += HPDF_Dict_AddNumber(d, "Descent", def->descent);
    ret += HPDF_Dict_AddNumber(d, "CapHeight", (HPDF_INT32)def->cap_height);
    ret += HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)def->flags);
    ret += HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(mmgr, def->font_bbox));
    ret += HPDF_Dict_AddName(d, "FontName", tt->base_font);
    ret += HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
    ret += HPDF_Dict_AddNumber(d, "StemV", (HPDF_INT32)def->stemv);
    ret += HPDF_Dict_AddNumber(d, "XHeight", (HPDF_INT32)def->x_height);
    if (tt->char_set)
        ret += HPDF_Dict_AddName(d, "CharSet", tt->char_set);
    HPDF_Dict program = HPDF_DictStream_New(mmgr, pdf->doc->xref);
    HPDF_UINT length1 = 0;
    if (ret != HPDF_OK || !program || !font_program(pdf, def, program, &length1))
        return false;
    ret = HPDF_Dict_Add(d, "FontFile2", program);
    ret += HPDF_Dict_AddNumber(program, "Length1", (HPDF_INT32)length1);
    ret += HPDF_Dict_AddNumber(program, "Length2", 0);
    ret += HPDF_Dict_AddNumber(program, "Length3", 0);
    def->descriptor = d;
    return ret == HPDF_OK;
}

/* Each style's glyphs marked (libharu marks a glyph, and sets its /Widths entry, when
 * it measures it), then its descriptor and program made. */
static bool fonts_finish(struct pdf *pdf)
{
    for (int style = 0; style < STYLE_COUNT; style++) {
        HPDF_FontDef def = NULL;
        for (int e = 0; e < CODEPAGE_COUNT; e++) {
            HPDF_Font f = pdf->fonts[style][e];
            if (!f)
                continue;
            /* The bytes drawn in this font on any page, body or furniture. */
            uint8_t drawn[32] = { 0 };
            for (size_t i = 0; i < pdf->page_count; i++)
                for (int layer = 0; layer < OPS_LAYERS; layer++)
                    for (int k = 0; k < 32; k++)
                        drawn[k] |= pdf->pages[i]->ops.drawn[layer][FONT_NUMBER(style, e)][k];
            HPDF_BYTE bytes[256];
            HPDF_UINT n = 0;
            for (int b = 1; b < 256; b++)
                if (drawn[b >> 3] & (1u << (b & 7)))
                    bytes[n++] = (HPDF_BYTE)b;
            HPDF_Font_TextWidth(f, bytes, n);
            def = ((HPDF_FontAttr)f->attr)->fontdef;
        }
        if (def && !def->descriptor && !font_descriptor(pdf, def))
            return false;
    }
    return true;
}

unsigned char *pdf_save(struct pdf *pdf, size_t *len, struct dossier_problems *problems)
{
    if (!pdf->error && !fonts_finish(pdf))
        pdf->error = HPDF_FAILD_TO_ALLOC_MEM;
    for (size_t i = 0; i < pdf->page_count && !pdf->error; i++)
        if (!page_finish(pdf, pdf->pages[i]) && !pdf->error)
            pdf->error = HPDF_FAILD_TO_ALLOC_MEM;
    if (pdf->error || HPDF_SaveToStream(pdf->doc) != HPDF_OK)
        return save_failed(pdf, problems);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf->doc);
    unsigned char *out = malloc(size ? size : 1);
    if (!out)
        abort();
    HPDF_UINT32 got = size;
    HPDF_ResetStream(pdf->doc);
    if (HPDF_ReadFromStream(pdf->doc, out, &got) != HPDF_OK && got != size) {
        free(out);
        return save_failed(pdf, problems);
    }
    name_comma_letters(out, got);
    size_t packed_len;
    unsigned char *packed = pdfpack(out, got, &packed_len);
    if (packed) {
        free(out);
        out = packed;
        got = (HPDF_UINT32)packed_len;
    }
    *len = got;
    return out;
}
