/* Pins the ASiC-E writer (src/package/asice.c): the manifest's text and digests, the
 * ZIP layout readers rely on (mimetype at bytes 30/38, entry order, times, attributes,
 * UTF-8 names), the CAdES seal over the manifest, determinism, and the round trip
 * through verify_container. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "tmpdir.h"
#include "problems.h"
#include "../../src/input/input.h"
#include "../../src/package/asice.h"
#include "../../src/package/seal.h"
#include "../../src/package/verify.h"

#include "manifest_schema.h"

/* 2026-11-24T10:20:30Z: hours, minutes and even seconds all show in the DOS time. */
#define DATE ((time_t)1795515630)

/* Known SHA-256 vectors, base64 (FIPS 180-2 "abc" and the empty string). */
#define B64_SHA256_ABC "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define B64_SHA256_EMPTY "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

static char tmp_root[64];
static char ca_path[128];
static struct seal demo;

static int setup_seal(void **state)
{
    (void)state;
    if (tmpdir_make(tmp_root, sizeof tmp_root, "asice") != 0)
        return -1;
    TEST_PROBLEMS(why);
    if (!seal_load(&demo, &(struct seal_files){ NULL, NULL, NULL, NULL, false }, tmp_root, DATE, &why)) {
        fprintf(stderr, "seal_load: %s\n", why.items[0].message);
        return -1;
    }
    snprintf(ca_path, sizeof ca_path, "%s/demo-ca.pem", tmp_root);
    return 0;
}

static int teardown_seal(void **state)
{
    (void)state;
    seal_release(&demo);
    return tmpdir_remove(tmp_root);
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
    return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/* One central directory record, read straight from the bytes (not through libzip). */
struct cd_entry {
    char name[256];
    unsigned flags, method, dos_time, dos_date, made_by;
    unsigned long external, local_offset;
};

/* Parses the central directory of ZIP (no archive comment); returns the entry count. */
static size_t read_central_directory(const unsigned char *zip, size_t len, struct cd_entry *out, size_t max)
{
    assert_true(len >= 22);
    const unsigned char *eocd = zip + len - 22;
    assert_int_equal(le32(eocd), 0x06054b50UL);
    size_t count = le16(eocd + 10);
    size_t at = le32(eocd + 16);
    assert_true(count <= max);
    for (size_t i = 0; i < count; i++) {
        assert_true(at + 46 <= len);
        const unsigned char *c = zip + at;
        assert_int_equal(le32(c), 0x02014b50UL);
        struct cd_entry *e = &out[i];
        e->made_by = le16(c + 4) >> 8;
        e->flags = le16(c + 8);
        e->method = le16(c + 10);
        e->dos_time = le16(c + 12);
        e->dos_date = le16(c + 14);
        unsigned name_len = le16(c + 28), extra_len = le16(c + 30), comment_len = le16(c + 32);
        e->external = le32(c + 38);
        e->local_offset = le32(c + 42);
        assert_true(name_len < sizeof e->name);
        memcpy(e->name, c + 46, name_len);
        e->name[name_len] = '\0';
        at += 46 + name_len + extra_len + comment_len;
    }
    return count;
}

/* The content of entry NAME, read with libzip; malloc'd, *LEN set. */
static unsigned char *zip_entry(const unsigned char *zip, size_t len, const char *name, size_t *out_len)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *src = zip_source_buffer_create(zip, len, 0, &error);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    assert_non_null(za);
    zip_stat_t st;
    assert_int_equal(zip_stat(za, name, 0, &st), 0);
    unsigned char *data = malloc(st.size + 1);
    assert_non_null(data);
    zip_file_t *f = zip_fopen(za, name, 0);
    assert_non_null(f);
    assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_discard(za);
    zip_error_fini(&error);
    data[st.size] = '\0';
    *out_len = (size_t)st.size;
    return data;
}

static size_t count_occurrences(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

static void test_manifest_two_documents(void **state)
{
    (void)state;
    static const char odd_name[] = "R&D <été> \"Łukasz\".pdf";
    const struct asice_document docs[] = {
        { "abc.pdf", "application/pdf", (const unsigned char *)"abc", 3 },
        { odd_name, "application/pdf", (const unsigned char *)"", 0 },
    };
    char *m = asice_manifest(docs, 2);
    assert_non_null(m);
    assert_true(strncmp(m, "<?xml version=\"1.0\" encoding=\"UTF-8\"", 36) == 0);
    assert_non_null(strstr(m, "xmlns:asic=\"http://uri.etsi.org/02918/v1.2.1#\""));
    assert_non_null(strstr(m, "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\""));
    const char *sig = strstr(m, "<asic:SigReference URI=\"META-INF/signature.p7s\" MimeType=\"application/pkcs7-signature\"/>");
    const char *first = strstr(m, "<asic:DataObjectReference URI=\"abc.pdf\" MimeType=\"application/pdf\">");
    const char *second = strstr(m, "<asic:DataObjectReference URI=\"R&amp;D &lt;été&gt; &quot;Łukasz&quot;.pdf\" "
                                   "MimeType=\"application/pdf\">");
    assert_non_null(sig);
    assert_non_null(first);
    assert_non_null(second);
    /* SigReference first, then the documents in the order given. */
    assert_true(sig < first && first < second);
    assert_int_equal(count_occurrences(m, "<asic:DataObjectReference "), 2);
    assert_int_equal(count_occurrences(m, "<asic:SigReference "), 1);
    assert_int_equal(count_occurrences(m, "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"), 2);
    const char *d1 = strstr(m, "<ds:DigestValue>" B64_SHA256_ABC "</ds:DigestValue>");
    const char *d2 = strstr(m, "<ds:DigestValue>" B64_SHA256_EMPTY "</ds:DigestValue>");
    assert_non_null(d1);
    assert_non_null(d2);
    assert_true(first < d1 && d1 < second && second < d2);

    /* Well-formed, valid against the ETSI schema, and the attribute reads back as the name. */
    xmlDocPtr doc = xmlReadMemory(m, (int)strlen(m), "manifest.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(SCHEMA);
    assert_int_equal(xmlSchemaValidateDoc(vc, doc), 0);
    xmlSchemaFreeValidCtxt(vc);
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *n = root->children;
    int seen = 0;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "DataObjectReference") != 0)
            continue;
        if (++seen == 2) {
            xmlChar *uri = xmlGetProp(n, BAD_CAST "URI");
            assert_string_equal((const char *)uri, odd_name);
            xmlFree(uri);
        }
    }
    assert_int_equal(seen, 2);
    xmlFreeDoc(doc);
    free(m);
}

static void test_manifest_no_documents(void **state)
{
    (void)state;
    char *m = asice_manifest(NULL, 0);
    assert_non_null(strstr(m, "<asic:SigReference "));
    assert_null(strstr(m, "DataObjectReference"));
    assert_non_null(strstr(m, "</asic:ASiCManifest>\n"));
    free(m);
}

/* Readers %-decode URIs (ours and the EU DSS validator): a literal '%' in a name must be
 * written %25, or the name read back is another one. */
static void test_manifest_percent_in_name(void **state)
{
    (void)state;
    const struct asice_document docs[] = { { "taux 100%41.pdf", "application/pdf", (const unsigned char *)"abc", 3 } };
    char *m = asice_manifest(docs, 1);
    assert_non_null(strstr(m, "URI=\"taux 100%2541.pdf\""));
    free(m);

    size_t len = 0;
    TEST_PROBLEMS(why);
    unsigned char *zip = asice_build(docs, 1, &demo, DATE, &len, &why);
    assert_non_null(zip);
    TEST_PROBLEMS(found);
    struct verify_result r = { .problems = &found };
    verify_container(zip, len, SCHEMA, ca_path, &r);
    for (size_t i = 0; i < found.count; i++)
        fprintf(stderr, "  [%s] %s\n", found.items[i].code, found.items[i].message);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.documents, 1);
    free(zip);
}

static const unsigned char pdf_one[] = "%PDF-1.4 one";
static const unsigned char pdf_two[] = "%PDF-1.4 two";

static unsigned char *build_two(time_t date, size_t *len)
{
    const struct asice_document docs[] = {
        { "formulaire-42.pdf", "application/pdf", pdf_one, sizeof pdf_one - 1 },
        { "pièce é.pdf", "application/pdf", pdf_two, sizeof pdf_two - 1 },
    };
    TEST_PROBLEMS(why);
    unsigned char *zip = asice_build(docs, 2, &demo, date, len, &why);
    if (!zip)
        fprintf(stderr, "asice_build: %s\n", why.items[0].message);
    assert_non_null(zip);
    return zip;
}

static void test_container_layout(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *zip = build_two(DATE, &len);
    /* First local header: "mimetype", stored, flags 0 (no data descriptor), no extra
     * field, sizes 31, content at byte 38. */
    assert_true(len > 100);
    assert_int_equal(le32(zip), 0x04034b50UL);
    assert_int_equal(le16(zip + 6), 0);
    assert_int_equal(le16(zip + 8), 0);
    assert_int_equal(le32(zip + 18), 31);
    assert_int_equal(le32(zip + 22), 31);
    assert_int_equal(le16(zip + 26), 8);
    assert_int_equal(le16(zip + 28), 0);
    assert_memory_equal(zip + 30, "mimetype", 8);
    assert_memory_equal(zip + 38, "application/vnd.etsi.asic-e+zip", 31);

    struct cd_entry e[8];
    size_t n = read_central_directory(zip, len, e, 8);
    assert_int_equal(n, 5);
    static const char *const names[] = { "mimetype", "formulaire-42.pdf", "pièce é.pdf",
                                         "META-INF/ASiCManifest.xml", "META-INF/signature.p7s" };
    /* 10:20:30 UTC on 2026-11-24, whatever TZ is. */
    const unsigned want_time = (10u << 11) | (20u << 5) | (30u / 2);
    const unsigned want_date = ((2026u - 1980u) << 9) | (11u << 5) | 24u;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(e[i].name, names[i]);
        assert_int_equal(e[i].dos_time, want_time);
        assert_int_equal(e[i].dos_date, want_date);
        /* Fixed attributes: Unix regular file rw-r--r--, not the umask of the day. */
        assert_int_equal(e[i].made_by, 3);
        assert_int_equal(e[i].external, 0100644UL << 16);
        assert_int_equal(e[i].flags & 0x0008, 0);
        /* Only the manifest is deflated: PDFs, mimetype and the seal are stored. */
        assert_int_equal(e[i].method, i == 3 ? 8 : 0);
    }
    assert_int_equal(e[0].local_offset, 0);
    /* The accented name carries the UTF-8 flag (bit 11). */
    assert_int_equal(e[2].flags & 0x0800, 0x0800);

    size_t got;
    unsigned char *data = zip_entry(zip, len, "pièce é.pdf", &got);
    assert_int_equal(got, sizeof pdf_two - 1);
    assert_memory_equal(data, pdf_two, got);
    free(data);
    data = zip_entry(zip, len, "mimetype", &got);
    assert_int_equal(got, 31);
    assert_memory_equal(data, ASICE_MIMETYPE, 31);
    free(data);
    /* The manifest in the container is exactly asice_manifest's text. */
    const struct asice_document docs[] = {
        { "formulaire-42.pdf", "application/pdf", pdf_one, sizeof pdf_one - 1 },
        { "pièce é.pdf", "application/pdf", pdf_two, sizeof pdf_two - 1 },
    };
    char *m = asice_manifest(docs, 2);
    data = zip_entry(zip, len, ASICE_MANIFEST, &got);
    assert_int_equal(got, strlen(m));
    assert_memory_equal(data, m, got);
    free(data);
    free(m);
    free(zip);
}

/* Before 1980 a DOS date cannot say it: the entries carry 1980-01-01 00:00. */
static void test_container_date_before_1980(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *zip = build_two(86400 * 365, &len);
    struct cd_entry e[8];
    size_t n = read_central_directory(zip, len, e, 8);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(e[i].dos_date, (0u << 9) | (1u << 5) | 1u);
        assert_int_equal(e[i].dos_time, 0);
    }
    free(zip);
}

static void test_seal_is_cades_over_manifest(void **state)
{
    (void)state;
    size_t len = 0, man_len = 0, sig_len = 0;
    unsigned char *zip = build_two(DATE, &len);
    unsigned char *man = zip_entry(zip, len, ASICE_MANIFEST, &man_len);
    unsigned char *sig = zip_entry(zip, len, ASICE_SIGNATURE, &sig_len);
    const unsigned char *p = sig;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
    assert_non_null(cms);
    assert_int_equal(OBJ_obj2nid(CMS_get0_type(cms)), NID_pkcs7_signed);
    /* Detached: the manifest is not inside. */
    assert_null(CMS_get0_content(cms) ? *CMS_get0_content(cms) : NULL);
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    assert_int_equal(sk_CMS_SignerInfo_num(signers), 1);
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(signers, 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) >= 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0);
    /* message-digest is the SHA-256 of the manifest's bytes. */
    int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);
    assert_true(at >= 0);
    ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
    assert_int_equal(t->type, V_ASN1_OCTET_STRING);
    unsigned char digest[32];
    EVP_Digest(man, man_len, digest, NULL, EVP_sha256(), NULL);
    assert_int_equal(ASN1_STRING_length(t->value.octet_string), 32);
    assert_memory_equal(ASN1_STRING_get0_data(t->value.octet_string), digest, 32);
    /* signing-time is the dossier date, not "now". */
    at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    assert_true(at >= 0);
    t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
    assert_int_equal(t->type, V_ASN1_UTCTIME);
    assert_int_equal(ASN1_TIME_cmp_time_t(t->value.utctime, DATE), 0);
    /* The seal certificate and the demo CA are embedded; the signer is the seal. */
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    assert_int_equal(sk_X509_num(certs), 2);
    sk_X509_pop_free(certs, X509_free);
    assert_int_equal(CMS_SignerInfo_cert_cmp(si, demo.cert), 0);

    /* What a recipient runs: openssl cms -verify -binary -cades -CAfile demo-ca.pem. */
    X509_STORE *store = X509_STORE_new();
    assert_int_equal(X509_STORE_load_file(store, ca_path), 1);
    X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
    BIO *content = BIO_new_mem_buf(man, (int)man_len);
    int ok = CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY | CMS_DETACHED | CMS_CADES);
    if (ok != 1)
        ERR_print_errors_fp(stderr);
    assert_int_equal(ok, 1);
    BIO_free(content);
    X509_STORE_free(store);
    CMS_ContentInfo_free(cms);
    free(sig);
    free(man);
    free(zip);
}

/* Same documents, same date, RSA seal: the same bytes; another date: other bytes. */
static void test_container_deterministic(void **state)
{
    (void)state;
    size_t a_len = 0, b_len = 0, c_len = 0;
    unsigned char *a = build_two(DATE, &a_len);
    unsigned char *b = build_two(DATE, &b_len);
    unsigned char *c = build_two(DATE + 86400, &c_len);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    assert_true(a_len != c_len || memcmp(a, c, a_len) != 0);
    free(a);
    free(b);
    free(c);
}

static void test_round_trip_verifies(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *zip = build_two(DATE, &len);
    TEST_PROBLEMS(found);
    struct verify_result r = { .problems = &found };
    verify_container(zip, len, SCHEMA, ca_path, &r);
    for (size_t i = 0; i < found.count; i++)
        fprintf(stderr, "  [%s] %s\n", found.items[i].code, found.items[i].message);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.documents, 2);
    assert_true(r.chain_checked);
    assert_string_equal(r.signing_time, "Nov 24 10:20:30 2026 GMT");
    assert_non_null(strstr(r.signer, "DEMO"));
    assert_string_equal(r.signer, demo.subject);
    free(zip);
}

/* The seal cannot sign (key of another certificate): asice_build says so, returns nothing. */
static void test_build_with_wrong_key_fails(void **state)
{
    (void)state;
    struct seal broken = demo;
    broken.key = EVP_EC_gen("P-256");
    assert_non_null(broken.key);
    const struct asice_document docs[] = { { "a.pdf", "application/pdf", pdf_one, sizeof pdf_one - 1 } };
    size_t len = 12345;
    TEST_PROBLEMS(why);
    ERR_set_mark();
    unsigned char *zip = asice_build(docs, 1, &broken, DATE, &len, &why);
    ERR_pop_to_mark();
    EVP_PKEY_free(broken.key);
    assert_null(zip);
    assert_non_null(strstr(why.items[0].message, "signature"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_two_documents),
        cmocka_unit_test(test_manifest_no_documents),
        cmocka_unit_test(test_manifest_percent_in_name),
        cmocka_unit_test(test_container_layout),
        cmocka_unit_test(test_container_date_before_1980),
        cmocka_unit_test(test_seal_is_cades_over_manifest),
        cmocka_unit_test(test_container_deterministic),
        cmocka_unit_test(test_round_trip_verifies),
        cmocka_unit_test(test_build_with_wrong_key_fails),
    };
    return cmocka_run_group_tests(tests, setup_seal, teardown_seal);
}
