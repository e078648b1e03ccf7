/* Pins the ZIP structure walk (src/package/zipwalk.c): a ZIP made of exactly its listed
 * entries passes; each way of hiding bytes or entries from the central directory, of
 * making a local header disagree with it, or of using ZIP64, yields its code. ZIPs are
 * written byte by byte here, so that each case changes one field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "problems.h"
#include "../../src/package/verify.h"
#include "../../src/package/zipwalk.h"

#define MAX_PIECES 8

/* One piece of a hand-made ZIP: an entry, listed in the central directory unless
 * HIDDEN, or, with NAME NULL, DATA as bytes outside any entry. */
struct piece {
    const char *name;
    const char *data;
    bool hidden;
    const char *extra;          /* extra field of both headers, as bytes (EXTRA_LEN) */
    size_t extra_len;
    const char *comment;        /* the entry's comment in the central directory */
};

/* Bytes put around the central directory, and the flags of every entry. */
struct layout {
    const char *before_cd, *in_cd, *after_cd, *comment, *trailing;
    unsigned flags;             /* with bit 3, sizes and CRC go to a data descriptor */
    bool descriptor_signature;
};

struct zipbuf {
    unsigned char d[8192];
    size_t len;
    size_t local[MAX_PIECES];   /* where each piece's local header starts */
    size_t central[MAX_PIECES]; /* where each piece's central record starts (listed ones) */
    size_t end;                 /* the end record */
};

static void put(struct zipbuf *z, const void *bytes, size_t n)
{
    assert_true(z->len + n <= sizeof z->d);
    if (n)      /* an absent extra field: BYTES is NULL */
        memcpy(z->d + z->len, bytes, n);
    z->len += n;
}

static void put16(struct zipbuf *z, unsigned v)
{
    unsigned char b[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
    put(z, b, 2);
}

static void put32(struct zipbuf *z, unsigned long v)
{
    put16(z, (unsigned)(v & 0xffff));
    put16(z, (unsigned)(v >> 16));
}

static void put_text(struct zipbuf *z, const char *s)
{
    if (s)
        put(z, s, strlen(s));
}

static void build(struct zipbuf *z, const struct piece *p, size_t n, const struct layout *o)
{
    memset(z, 0, sizeof *z);
    unsigned long crcs[MAX_PIECES];
    assert_true(n <= MAX_PIECES);
    for (size_t i = 0; i < n; i++) {
        z->local[i] = z->len;
        if (!p[i].name) {
            put_text(z, p[i].data);
            continue;
        }
        size_t size = strlen(p[i].data);
        crcs[i] = crc32(0, (const unsigned char *)p[i].data, (unsigned)size);
        bool later = o->flags & 0x0008;
        put32(z, 0x04034b50UL);
        put16(z, 20);
        put16(z, o->flags);
        put16(z, 0);                            /* stored */
        put32(z, 0);                            /* DOS time and date */
        put32(z, later ? 0 : crcs[i]);
        put32(z, later ? 0 : size);
        put32(z, later ? 0 : size);
        put16(z, (unsigned)strlen(p[i].name));
        put16(z, (unsigned)p[i].extra_len);
        put_text(z, p[i].name);
        put(z, p[i].extra, p[i].extra_len);
        put_text(z, p[i].data);
        if (later) {
            if (o->descriptor_signature)
                put32(z, 0x08074b50UL);
            put32(z, crcs[i]);
            put32(z, size);
            put32(z, size);
        }
    }
    put_text(z, o->before_cd);
    size_t cd = z->len, listed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].name || p[i].hidden)
            continue;
        z->central[i] = z->len;
        size_t size = strlen(p[i].data);
        put32(z, 0x02014b50UL);
        put16(z, 20);
        put16(z, 20);
        put16(z, o->flags);
        put16(z, 0);
        put32(z, 0);
        put32(z, crcs[i]);
        put32(z, size);
        put32(z, size);
        put16(z, (unsigned)strlen(p[i].name));
        put16(z, (unsigned)p[i].extra_len);
        put16(z, p[i].comment ? (unsigned)strlen(p[i].comment) : 0);
        put16(z, 0);                            /* disk */
        put16(z, 0);                            /* internal attributes */
        put32(z, 0100644UL << 16);
        put32(z, z->local[i]);
        put_text(z, p[i].name);
        put(z, p[i].extra, p[i].extra_len);
        put_text(z, p[i].comment);
        listed++;
    }
    put_text(z, o->in_cd);
    size_t cd_size = z->len - cd;
    put_text(z, o->after_cd);
    z->end = z->len;
    put32(z, 0x06054b50UL);
    put16(z, 0);
    put16(z, 0);
    put16(z, (unsigned)listed);
    put16(z, (unsigned)listed);
    put32(z, cd_size);
    put32(z, cd);
    put16(z, o->comment ? (unsigned)strlen(o->comment) : 0);
    put_text(z, o->comment);
    put_text(z, o->trailing);
}

static void set16(struct zipbuf *z, size_t at, unsigned v)
{
    z->d[at] = (unsigned char)v;
    z->d[at + 1] = (unsigned char)(v >> 8);
}

static void set32(struct zipbuf *z, size_t at, unsigned long v)
{
    set16(z, at, (unsigned)(v & 0xffff));
    set16(z, at + 2, (unsigned)(v >> 16));
}

/* One field changed: WIDTH bytes (1, 2, 4) at AT from the end record, or from the
 * central or local record of entry ENTRY. */
enum record_kind { END_RECORD, CENTRAL, LOCAL };
struct patch {
    enum record_kind kind;
    size_t entry, at;
    int width;
    unsigned long value;
};

static void apply(struct zipbuf *z, const struct patch *p)
{
    size_t at = p->at + (p->kind == END_RECORD ? z->end : p->kind == CENTRAL ? z->central[p->entry] : z->local[p->entry]);
    if (p->width == 4)
        set32(z, at, p->value);
    else if (p->width == 2)
        set16(z, at, (unsigned)p->value);
    else
        z->d[at] = (unsigned char)p->value;
}

/* The walk's codes, comma-separated, and its status in *STATUS. */
static const char *walk(const struct zipbuf *z, size_t max_entries, enum zipwalk_status *status)
{
    TEST_PROBLEMS(found);
    struct verify_result r = { .problems = &found, .file = "t.zip" };
    *status = zipwalk_check(z->d, z->len, max_entries, &r);
    assert_int_equal(r.count, found.count);
    static char codes[512];
    codes[0] = '\0';
    for (size_t i = 0; i < found.count; i++) {
        snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s", i ? "," : "", found.items[i].code);
        assert_string_equal(found.items[i].file, "t.zip");
        assert_true(strlen(found.items[i].message) > 20);
    }
    /* A sound walk says nothing; a flawed or unreadable one says why. */
    assert_int_equal(*status == ZIPWALK_SOUND, found.count == 0);
    return codes;
}

#define MIMETYPE { "mimetype", "application/vnd.etsi.asic-e+zip", false, NULL, 0, NULL }
#define ENTRY(name, data) { name, data, false, NULL, 0, NULL }
static const struct layout plain = { 0 };

static void assert_walk(const struct zipbuf *z, const char *codes, enum zipwalk_status want)
{
    enum zipwalk_status got;
    assert_string_equal(walk(z, 1000, &got), codes);
    assert_int_equal(got, want);
}

/* mimetype and a.pdf, with the bytes of layout O around the central directory. */
static void assert_layout(struct layout o, const char *codes)
{
    const struct piece two[] = { MIMETYPE, ENTRY("a.pdf", "%PDF") };
    struct zipbuf z;
    build(&z, two, 2, &o);
    assert_walk(&z, codes, codes[0] ? ZIPWALK_FLAWED : ZIPWALK_SOUND);
}

static void test_sound(void **state)
{
    (void)state;
    const struct piece p[] = { MIMETYPE, ENTRY("a.pdf", "%PDF-1.4 a"), ENTRY("META-INF/x.xml", "<x/>") };
    struct zipbuf z;
    build(&z, p, 3, &plain);
    assert_walk(&z, "", ZIPWALK_SOUND);
    /* Sizes and CRC in a data descriptor, with or without its signature. */
    struct layout streamed = { .flags = 0x0008, .descriptor_signature = true };
    build(&z, p, 3, &streamed);
    assert_walk(&z, "", ZIPWALK_SOUND);
    streamed.descriptor_signature = false;
    build(&z, p, 3, &streamed);
    assert_walk(&z, "", ZIPWALK_SOUND);
    /* An empty archive is only an end record. */
    build(&z, p, 0, &plain);
    assert_walk(&z, "", ZIPWALK_SOUND);
}

static void test_hidden_bytes(void **state)
{
    (void)state;
    struct zipbuf z;
    const struct piece gap[] = { MIMETYPE, { NULL, "glissé", false, NULL, 0, NULL }, ENTRY("a.pdf", "%PDF") };
    build(&z, gap, 3, &plain);
    assert_walk(&z, "zip.hidden_data", ZIPWALK_FLAWED);
    const struct piece first[] = { { NULL, "préfixe", false, NULL, 0, NULL }, MIMETYPE };
    build(&z, first, 2, &plain);
    assert_walk(&z, "zip.hidden_data", ZIPWALK_FLAWED);
    /* A whole local entry the central directory does not list. */
    const struct piece hidden[] = { MIMETYPE, { "evil.pdf", "%PDF caché", true, NULL, 0, NULL }, ENTRY("a.pdf", "%PDF") };
    build(&z, hidden, 3, &plain);
    assert_walk(&z, "zip.hidden_entry", ZIPWALK_FLAWED);
    const struct piece last[] = { MIMETYPE, ENTRY("a.pdf", "%PDF"), { "evil.pdf", "%PDF caché", true, NULL, 0, NULL } };
    build(&z, last, 3, &plain);
    assert_walk(&z, "zip.hidden_entry", ZIPWALK_FLAWED);
    /* Before, inside and after the central directory. */
    assert_layout((struct layout){ .before_cd = "avant" }, "zip.hidden_data");
    assert_layout((struct layout){ .in_cd = "dedans" }, "zip.hidden_data");
    assert_layout((struct layout){ .after_cd = "après" }, "zip.hidden_data");
}

static void test_end_of_file(void **state)
{
    (void)state;
    assert_layout((struct layout){ .comment = "un commentaire" }, "zip.comment");
    assert_layout((struct layout){ .trailing = "ajouté" }, "zip.trailing_data");
    assert_layout((struct layout){ .comment = "un commentaire", .trailing = "ajouté" }, "zip.comment,zip.trailing_data");
    /* A comment length running past the end of the file: no trailing bytes to count. */
    struct zipbuf z;
    const struct piece two[] = { MIMETYPE, ENTRY("a.pdf", "%PDF") };
    build(&z, two, 2, &(struct layout){ .comment = "court" });
    z.len -= 2;
    assert_walk(&z, "zip.comment", ZIPWALK_FLAWED);
    /* An entry's comment in the central directory. */
    const struct piece commented[] = { MIMETYPE, { "a.pdf", "%PDF", false, NULL, 0, "note" } };
    build(&z, commented, 2, &plain);
    assert_walk(&z, "zip.comment", ZIPWALK_FLAWED);
}

static void test_local_mismatch(void **state)
{
    (void)state;
    const struct piece p[] = { MIMETYPE, ENTRY("a.pdf", "%PDF-1.4 a") };
    /* Each field of the local header of a.pdf, changed alone: flags, method, CRC,
     * compressed size, size, a byte of the name. */
    static const struct patch fields[] = {
        { LOCAL, 1, 6, 2, 0x0800 }, { LOCAL, 1, 8, 2, 8 }, { LOCAL, 1, 14, 4, 0x12345678 },
        { LOCAL, 1, 18, 4, 9 },     { LOCAL, 1, 22, 4, 11 }, { LOCAL, 1, 30, 1, 'b' },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        struct zipbuf z;
        build(&z, p, 2, &plain);
        apply(&z, &fields[i]);
        enum zipwalk_status status;
        const char *codes = walk(&z, 1000, &status);
        if (strcmp(codes, "zip.local_mismatch") != 0 || status != ZIPWALK_FLAWED)
            fail_msg("champ à l'octet %zu : « %s »", fields[i].at, codes);
    }
    /* A data descriptor that says another CRC; a local CRC, not zero, that differs. */
    const struct layout streamed = { .flags = 0x0008, .descriptor_signature = true };
    struct zipbuf z;
    build(&z, p, 2, &streamed);
    set32(&z, z.central[0] - 12, 0xdeadbeefUL);
    assert_walk(&z, "zip.local_mismatch", ZIPWALK_FLAWED);
    build(&z, p, 2, &streamed);
    set32(&z, z.local[1] + 14, 0xdeadbeefUL);
    assert_walk(&z, "zip.local_mismatch", ZIPWALK_FLAWED);
}

/* The central directory lists a.pdf twice and b.pdf not at all: the second record's
 * data lies within the first's, and b.pdf's local entry is hidden. */
static void test_overlap(void **state)
{
    (void)state;
    const struct piece p[] = { MIMETYPE, ENTRY("a.pdf", "%PDF a"), ENTRY("b.pdf", "%PDF b") };
    struct zipbuf z;
    build(&z, p, 3, &plain);
    size_t record = z.central[2] - z.central[1];
    memcpy(z.d + z.central[2], z.d + z.central[1], record);
    assert_walk(&z, "zip.overlap,zip.hidden_entry", ZIPWALK_FLAWED);
}

static void test_zip64_and_extras(void **state)
{
    (void)state;
    const struct piece two[] = { MIMETYPE, ENTRY("a.pdf", "%PDF") };
    struct zipbuf z;
    /* The end record's escape values, and a ZIP64 locator before it. */
    build(&z, two, 2, &plain);
    set16(&z, z.end + 8, 0xffff);
    set16(&z, z.end + 10, 0xffff);
    assert_walk(&z, "zip.zip64", ZIPWALK_FLAWED);
    build(&z, two, 2, &plain);
    set32(&z, z.end + 16, 0xffffffffUL);
    assert_walk(&z, "zip.zip64", ZIPWALK_FLAWED);
    assert_layout((struct layout){ .after_cd = "PK\x06\x07" "0123456789abcdef" }, "zip.zip64");
    /* An entry's sizes escaped to a ZIP64 extra field. */
    build(&z, two, 2, &plain);
    set32(&z, z.central[1] + 24, 0xffffffffUL);
    assert_walk(&z, "zip.zip64", ZIPWALK_FLAWED);
    static const char zip64_extra[] = { 0x01, 0x00, 0x08, 0x00, 4, 0, 0, 0, 0, 0, 0, 0 };
    const struct piece with64[] = { MIMETYPE, { "a.pdf", "%PDF", false, zip64_extra, sizeof zip64_extra, NULL } };
    build(&z, with64, 2, &plain);
    assert_walk(&z, "zip.zip64,zip.zip64", ZIPWALK_FLAWED);     /* local and central */
    /* Info-ZIP's Unicode path: another name for some readers. */
    static const char upath[] = { 0x75, 0x70, 0x0a, 0x00, 1, 0, 0, 0, 0, 'e', 'v', 'i', 'l', '!' };
    const struct piece renamed[] = { MIMETYPE, { "a.pdf", "%PDF", false, upath, sizeof upath, NULL } };
    build(&z, renamed, 2, &plain);
    assert_walk(&z, "zip.extra,zip.extra", ZIPWALK_FLAWED);
    /* A harmless extra field (extended timestamp) passes; one cut short does not. */
    static const char timestamp[] = { 0x55, 0x54, 0x05, 0x00, 1, 0, 0, 0, 0 };
    const struct piece stamped[] = { MIMETYPE, { "a.pdf", "%PDF", false, timestamp, sizeof timestamp, NULL } };
    build(&z, stamped, 2, &plain);
    assert_walk(&z, "", ZIPWALK_SOUND);
    const struct piece cut[] = { MIMETYPE, { "a.pdf", "%PDF", false, timestamp, 6, NULL } };
    build(&z, cut, 2, &plain);
    assert_walk(&z, "zip.extra,zip.extra", ZIPWALK_FLAWED);
}

static void test_unreadable(void **state)
{
    (void)state;
    const struct piece three[] = { MIMETYPE, ENTRY("a.pdf", "%PDF a"), ENTRY("b.pdf", "%PDF b") };
    struct zipbuf z;
    enum zipwalk_status status;
    /* More entries than allowed: refused before anything is walked. */
    build(&z, three, 3, &plain);
    assert_string_equal(walk(&z, 2, &status), "zip.too_many_entries");
    assert_int_equal(status, ZIPWALK_UNREADABLE);
    /* No end record; too short for one. */
    z.d[z.end] = 'X';
    assert_walk(&z, "zip.corrupt", ZIPWALK_UNREADABLE);
    z.len = 10;
    assert_walk(&z, "zip.corrupt", ZIPWALK_UNREADABLE);
    /* One field each: a central directory beyond the end record; several volumes; a
     * damaged central record; one whose name runs past the directory; a local header
     * placed past the central directory, or past the end of the file; no local header
     * where the central directory puts one; data running into the central directory. */
#define AT_END_RECORD 0x7fffffffUL     /* an offset: the end record's */
    static const struct { struct patch p[2]; } cases[] = {
        { { { END_RECORD, 0, 16, 4, AT_END_RECORD } } },
        { { { END_RECORD, 0, 4, 2, 1 } } },
        { { { CENTRAL, 1, 0, 1, 'X' } } },
        { { { CENTRAL, 2, 28, 2, 500 } } },
        { { { CENTRAL, 2, 42, 4, AT_END_RECORD } } },
        { { { CENTRAL, 2, 42, 4, 0xfffffff0UL } } },
        { { { LOCAL, 1, 0, 1, 'X' } } },
        { { { CENTRAL, 2, 20, 4, 5000 }, { LOCAL, 2, 18, 4, 5000 } } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        build(&z, three, 3, &plain);
        for (size_t k = 0; k < 2 && cases[i].p[k].width; k++) {
            struct patch p = cases[i].p[k];
            if (p.value == AT_END_RECORD)
                p.value = z.end;
            apply(&z, &p);
        }
        const char *codes = walk(&z, 1000, &status);
        if (strcmp(codes, "zip.corrupt") != 0 || status != ZIPWALK_UNREADABLE)
            fail_msg("cas %zu : « %s »", i, codes);
    }
}

/* Names in messages: control bytes and invalid UTF-8 are shown as '?'. */
static void test_names_in_messages(void **state)
{
    (void)state;
    const struct piece hidden[] = { MIMETYPE, { "é\x01\xff.pdf", "x", true, NULL, 0, NULL }, ENTRY("a.pdf", "%PDF") };
    struct zipbuf z;
    build(&z, hidden, 3, &plain);
    TEST_PROBLEMS(found);
    struct verify_result r = { .problems = &found };
    assert_int_equal(zipwalk_check(z.d, z.len, 1000, &r), ZIPWALK_FLAWED);
    assert_int_equal(found.count, 1);
    assert_non_null(strstr(found.items[0].message, "« ???\?.pdf »"));
    assert_non_null(strstr(found.items[0].message, "avant « a.pdf »"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sound),
        cmocka_unit_test(test_hidden_bytes),
        cmocka_unit_test(test_end_of_file),
        cmocka_unit_test(test_local_mismatch),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_zip64_and_extras),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_names_in_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
