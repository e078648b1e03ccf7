/* Writes ASiC-E containers with libzip, in memory. */
#include "asice.h"
#include "../util/diag.h"
#include "../util/sha256.h"
#include "../util/strbuf.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* An entry name as a URI attribute. Readers %-decode URIs (ours, the EU DSS
 * validator), so a literal '%' must be written %25 to read back as itself. */
static void put_uri(struct strbuf *sb, const char *name)
{
    for (const char *s = name; *s; s++) {
        char one[2] = { *s, '\0' };
        if (*s == '%')
            sb_puts(sb, "%25");
        else
            sb_xml_text(sb, one);
    }
}

char *asice_manifest(const struct asice_document *docs, size_t count)
{
    struct strbuf sb = { 0 };
    sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                 "<asic:ASiCManifest xmlns:asic=\"" ASICE_NS "\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n"
                 "  <asic:SigReference URI=\"" ASICE_SIGNATURE "\" MimeType=\"application/pkcs7-signature\"/>\n");
    for (size_t i = 0; i < count; i++) {
        unsigned char digest[32];
        unsigned char b64[64];
        sha256_raw(docs[i].data, docs[i].len, digest);
        EVP_EncodeBlock(b64, digest, 32);
        sb_puts(&sb, "  <asic:DataObjectReference URI=\"");
        put_uri(&sb, docs[i].name);
        sb_puts(&sb, "\" MimeType=\"");
        sb_xml_text(&sb, docs[i].mime);
        sb_printf(&sb, "\">\n    <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\n"
                       "    <ds:DigestValue>%s</ds:DigestValue>\n  </asic:DataObjectReference>\n", (const char *)b64);
    }
    sb_puts(&sb, "</asic:ASiCManifest>\n");
    return sb_take(&sb);
}

__attribute__((format(printf, 2, 3)))
static void fail(struct dossier_problems *problems, const char *format, ...)
{
    char message[600];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    diag_add(problems, "package.asice", NULL, (struct source_loc){ 0 }, "%s", message);
}

/* MS-DOS date and time of DATE in UTC (libzip's mtime setter would use local time). */
static void dos_time(time_t date, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
    struct tm tm;
    gmtime_r(&date, &tm);
    if (tm.tm_year < 80) {
        tm.tm_year = 80;
        tm.tm_mon = 0;
        tm.tm_mday = 1;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    }
    *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static bool add_entry(zip_t *za, const char *name, const void *data, size_t len, bool compress,
                      zip_uint16_t dtime, zip_uint16_t ddate)
{
    zip_source_t *src = zip_source_buffer(za, data, len, 0);
    if (!src)
        return false;
    /* No overwrite: a repeated name is an error, never a silent replacement. */
    zip_int64_t index = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
        zip_source_free(src);
        return false;
    }
    zip_uint64_t i = (zip_uint64_t)index;
    return zip_set_file_compression(za, i, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, compress ? 9 : 0) == 0 &&
           zip_file_set_dostime(za, i, dtime, ddate, 0) == 0 &&
           /* Fixed attributes: regular file, rw-r--r--, whatever the umask. */
           zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) == 0;
}

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long get32(const unsigned char *p)
{
    return (unsigned long)get16(p) | (unsigned long)get16(p + 2) << 16;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8);
}

/* Finishes the headers libzip wrote, in both the local and the central copies:
 * - the UTF-8 flag (general purpose bit 11) on every entry but mimetype: libzip
 *   sets it only for non-ASCII names; ASiC readers are then told the names are UTF-8
 *   whatever they hold. The mimetype entry keeps flags 0, as the strictest readers
 *   of its fixed header expect;
 * - the entry times, DATE in UTC: libzip turns the times it is given through the
 *   local time zone, so the bytes would depend on the machine's TZ.
 * Returns false if the archive is not as libzip writes it. */
static bool finish_headers(unsigned char *zip, size_t len, zip_uint16_t dtime, zip_uint16_t ddate)
{
    if (len < 22)
        return false;
    size_t eocd = len - 22;
    while (get32(zip + eocd) != 0x06054b50UL) {
        if (eocd == 0 || len - eocd > 22 + 65535)
            return false;
        eocd--;
    }
    unsigned entries = get16(zip + eocd + 10);
    size_t at = get32(zip + eocd + 16);
    for (unsigned i = 0; i < entries; i++) {
        if (at > len || len - at < 46 || get32(zip + at) != 0x02014b50UL)
            return false;
        size_t name_len = get16(zip + at + 28), extra = get16(zip + at + 30), comment = get16(zip + at + 32);
        size_t local = get32(zip + at + 42);
        if (len - at - 46 < name_len || local > len || len - local < 30 || get32(zip + local) != 0x04034b50UL)
            return false;
        bool mimetype = name_len == 8 && memcmp(zip + at + 46, "mimetype", 8) == 0;
        put16(zip + at + 12, dtime);
        put16(zip + at + 14, ddate);
        put16(zip + local + 10, dtime);
        put16(zip + local + 12, ddate);
        if (!mimetype) {
            zip[at + 9] |= 0x08;        /* bit 11 is bit 3 of the high byte */
            zip[local + 7] |= 0x08;
        }
        at += 46 + name_len + extra + comment;
    }
    return true;
}

unsigned char *asice_build(const struct asice_document *docs, size_t count, const struct seal *seal,
                           time_t date, size_t *out_len, struct dossier_problems *problems)
{
    unsigned char *result = NULL;
    unsigned char *signature = NULL;
    size_t signature_len = 0;
    char *manifest = asice_manifest(docs, count);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *archive = zip_source_buffer_create(NULL, 0, 0, &error);
    zip_t *za = NULL;

    /* Names readers reserve or refuse never become documents. */
    for (size_t i = 0; i < count; i++) {
        const char *n = docs[i].name;
        if (!*n || strcmp(n, "mimetype") == 0 || strncmp(n, "META-INF/", 9) == 0 || n[0] == '/' ||
            strchr(n, '\\') || strstr(n, "..")) {
            fail(problems, "nom de document « %s » interdit dans un conteneur ASiC-E", n);
            goto done;
        }
    }
    signature = seal_sign(seal, manifest, strlen(manifest), date, &signature_len);
    if (!signature) {
        fail(problems, "signature CAdES du manifeste impossible (OpenSSL)");
        goto done;
    }
    if (!archive || !(za = zip_open_from_source(archive, ZIP_TRUNCATE, &error))) {
        fail(problems, "création du conteneur impossible : %s", zip_error_strerror(&error));
        goto done;
    }
    /* Keep the buffer once the archive is closed: it is the result. */
    zip_source_keep(archive);
    zip_uint16_t dtime, ddate;
    dos_time(date, &dtime, &ddate);
    /* mimetype first and stored: readers identify the container by bytes 30-38+. */
    bool ok = add_entry(za, "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), false, dtime, ddate);
    /* PDF is already compressed: store the documents. */
    for (size_t i = 0; ok && i < count; i++)
        ok = add_entry(za, docs[i].name, docs[i].data, docs[i].len, false, dtime, ddate);
    ok = ok && add_entry(za, ASICE_MANIFEST, manifest, strlen(manifest), true, dtime, ddate);
    ok = ok && add_entry(za, ASICE_SIGNATURE, signature, signature_len, false, dtime, ddate);
    if (!ok || zip_close(za) != 0) {
        fail(problems, "écriture du conteneur impossible : %s", zip_strerror(za));
        zip_discard(za);
        za = NULL;
        goto done;
    }
    za = NULL;
    zip_stat_t st;
    if (zip_source_stat(archive, &st) != 0 || zip_source_open(archive) != 0) {
        fail(problems, "lecture du conteneur en mémoire impossible");
        goto done;
    }
    result = malloc(st.size ? st.size : 1);
    if (!result)
        abort();
    zip_int64_t got = zip_source_read(archive, result, st.size);
    zip_source_close(archive);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(result);
        result = NULL;
        fail(problems, "lecture du conteneur en mémoire impossible");
        goto done;
    }
    if (!finish_headers(result, (size_t)st.size, dtime, ddate)) {
        free(result);
        result = NULL;
        fail(problems, "conteneur inattendu : en-têtes ZIP illisibles");
        goto done;
    }
    *out_len = (size_t)st.size;
done:
    if (archive)
        zip_source_free(archive);
    zip_error_fini(&error);
    free(signature);
    free(manifest);
    return result;
}
