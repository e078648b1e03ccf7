/* libharu canvas: fonts, text runs by code page, ToUnicode maps, metadata, save. */
#include "pdf.h"
#include "../util/codepage.h"
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
};

/* A page handle is libharu's own page object, under our opaque name. */
static HPDF_Page hp(struct pdf_page *page)
{
    return (HPDF_Page)(void *)page;
}

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    struct pdf *pdf = data;
    if (!pdf->error) {
        pdf->error = error;
        pdf->error_detail = detail;
    }
}

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
    if (pdf->doc)
        HPDF_Free(pdf->doc);
    free(pdf);
}

struct pdf_page *pdf_add_page(struct pdf *pdf)
{
    HPDF_Page page = HPDF_AddPage(pdf->doc);
    HPDF_Page_SetWidth(page, PAGE_WIDTH);
    HPDF_Page_SetHeight(page, PAGE_HEIGHT);
    return (struct pdf_page *)(void *)page;
}

void pdf_fill_gray(struct pdf_page *page, float gray)
{
    HPDF_Page_SetGrayFill(hp(page), gray);
}

void pdf_rect(struct pdf_page *page, float x, float y, float w, float h, float line_width,
              float stroke_gray, float fill_gray)
{
    HPDF_Page p = hp(page);
    HPDF_Page_GSave(p);
    if (stroke_gray >= 0) {
        HPDF_Page_SetLineWidth(p, line_width);
        HPDF_Page_SetGrayStroke(p, stroke_gray);
    }
    if (fill_gray >= 0)
        HPDF_Page_SetGrayFill(p, fill_gray);
    HPDF_Page_Rectangle(p, x, y, w, h);
    if (fill_gray >= 0 && stroke_gray >= 0)
        HPDF_Page_FillStroke(p);
    else if (fill_gray >= 0)
        HPDF_Page_Fill(p);
    else
        HPDF_Page_Stroke(p);
    HPDF_Page_GRestore(p);
}

void pdf_polyline(struct pdf_page *page, const float *xy, size_t n, float width, float gray)
{
    if (n < 2)
        return;
    HPDF_Page p = hp(page);
    HPDF_Page_GSave(p);
    HPDF_Page_SetLineWidth(p, width);
    HPDF_Page_SetGrayStroke(p, gray);
    HPDF_Page_MoveTo(p, xy[0], xy[1]);
    for (size_t i = 1; i < n; i++)
        HPDF_Page_LineTo(p, xy[2 * i], xy[2 * i + 1]);
    HPDF_Page_Stroke(p);
    HPDF_Page_GRestore(p);
}

void pdf_line(struct pdf_page *page, float x1, float y1, float x2, float y2, float width, float gray)
{
    const float xy[4] = { x1, y1, x2, y2 };
    pdf_polyline(page, xy, 2, width, gray);
}

void pdf_fill_begin(struct pdf_page *page, float gray, float x0, float y0, float scale)
{
    HPDF_Page_GSave(hp(page));
    HPDF_Page_Concat(hp(page), scale, 0, 0, scale, x0, y0);
    HPDF_Page_SetGrayFill(hp(page), gray);
}

void pdf_fill_add(struct pdf_page *page, float x, float y, float w, float h)
{
    HPDF_Page_Rectangle(hp(page), x, y, w, h);
}

void pdf_fill_end(struct pdf_page *page)
{
    HPDF_Page_Fill(hp(page));
    HPDF_Page_GRestore(hp(page));
}

bool pdf_image_jpeg(struct pdf *pdf, struct pdf_page *page, const unsigned char *jpeg, size_t len,
                    float x, float y, float w, float h)
{
    /* libharu copies the bytes into the image's own stream (2.3.0,
     * HPDF_Image_LoadJpegImageFromMem): they can be freed before saving. */
    HPDF_Image image = HPDF_LoadJpegImageFromMem(pdf->doc, jpeg, (HPDF_UINT)len);
    if (!image)
        return false;
    return HPDF_Page_DrawImage(hp(page), image, x, y, w, h) == HPDF_OK;
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
static void add_to_unicode(struct pdf *pdf, HPDF_Font font, int e)
{
    HPDF_Doc doc = pdf->doc;
    HPDF_Dict stream = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!stream)
        return;
    stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    char buf[4096];
    int n = snprintf(buf, sizeof buf,
                     "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                     "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n");
    HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
    int codes[224], count = 0;
    for (int b = 0x20; b <= 0xFF; b++)
        if (codepage_decode(e, (unsigned char)b))
            codes[count++] = b;
    for (int i = 0; i < count; i += 100) {
        int chunk = count - i < 100 ? count - i : 100;
        n = snprintf(buf, sizeof buf, "%d beginbfchar\n", chunk);
        for (int k = 0; k < chunk; k++)
            n += snprintf(buf + n, sizeof buf - (size_t)n, "<%02X> <%04X>\n", codes[i + k],
                          (unsigned)codepage_decode(e, (unsigned char)codes[i + k]));
        n += snprintf(buf + n, sizeof buf - (size_t)n, "endbfchar\n");
        HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
    }
    n = snprintf(buf, sizeof buf, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
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
    if (f)
        add_to_unicode(pdf, f, e);
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
    HPDF_Font f = font_for(pdf, m->style, e);
    if (!f)
        return;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)bytes, (HPDF_UINT)len);
    m->width += (float)tw.width;
}

float pdf_text_width(struct pdf *pdf, enum font_style style, float size, const char *text, size_t len)
{
    struct measure m = { style, 0 };
    for_each_run(pdf, text, len, measure_run, &m);
    return m.width * size / 1000.0f;
}

struct draw {
    HPDF_Page page;
    enum font_style style;
    float size;
};

static void draw_run(struct pdf *pdf, int e, const char *bytes, size_t len, void *data)
{
    struct draw *d = data;
    HPDF_Font f = font_for(pdf, d->style, e);
    if (!f)
        return;
    char stack[512];
    char *z = len < sizeof stack ? stack : malloc(len + 1);
    if (!z)
        abort();
    memcpy(z, bytes, len);
    z[len] = '\0';
    HPDF_Page_SetFontAndSize(d->page, f, d->size);
    HPDF_Page_ShowText(d->page, z);
    if (z != stack)
        free(z);
}

void pdf_text(struct pdf *pdf, struct pdf_page *page, float x, float y, enum font_style style,
              float size, const char *text, size_t len)
{
    if (len == 0)
        return;
    struct draw d = { hp(page), style, size };
    HPDF_Page_BeginText(d.page);
    HPDF_Page_MoveTextPos(d.page, x, y);
    for_each_run(pdf, text, len, draw_run, &d);
    HPDF_Page_EndText(d.page);
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

unsigned char *pdf_save(struct pdf *pdf, size_t *len, struct dossier_problems *problems)
{
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
    *len = got;
    return out;
}
