/* Pins the container verifier (src/package/verify.c) on untrusted input: a sound
 * container passes, and each kind of damage or forgery yields exactly its stable code.
 * Containers are built in memory with libzip, so each case changes one thing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <openssl/cms.h>
#include <openssl/err.h>
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
#include "../../src/util/fileio.h"

#include "manifest_schema.h"
#define DATE ((time_t)1795478400)   /* 2026-11-24 */

static char tmp_root[64];
static char ca_path[256], other_ca_path[256];
static struct seal demo, other;

static const char pdf_a[] = "%PDF-1.4 premier document";
static const char pdf_c[] = "%PDF-1.4 second document";

static int setup(void **state)
{
    (void)state;
    if (tmpdir_make(tmp_root, sizeof tmp_root, "verify") != 0)
        return -1;
    char dir[128];
    TEST_PROBLEMS(why);
    const struct seal_files none = { NULL, NULL, NULL, NULL, false };
    snprintf(dir, sizeof dir, "%s/demo", tmp_root);
    if (!seal_load(&demo, &none, dir, DATE, &why))
        return fprintf(stderr, "%s\n", why.items[0].message), -1;
    snprintf(ca_path, sizeof ca_path, "%s/demo-ca.pem", dir);
    /* Another demo seal: a well-formed seal from an authority the verifier does not trust. */
    snprintf(dir, sizeof dir, "%s/other", tmp_root);
    if (!seal_load(&other, &none, dir, DATE, &why))
        return fprintf(stderr, "%s\n", why.items[0].message), -1;
    snprintf(other_ca_path, sizeof other_ca_path, "%s/demo-ca.pem", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    seal_release(&demo);
    seal_release(&other);
    return tmpdir_remove(tmp_root);
}

struct part {
    const char *name;
    const void *data;
    size_t len;
    bool deflate;
};

/* A ZIP of PARTS in this order, in memory (malloc'd). */
static unsigned char *make_zip(const struct part *parts, size_t n, size_t *len)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *archive = zip_source_buffer_create(NULL, 0, 0, &error);
    assert_non_null(archive);
    zip_t *za = zip_open_from_source(archive, ZIP_TRUNCATE, &error);
    assert_non_null(za);
    zip_source_keep(archive);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
        assert_non_null(src);
        zip_int64_t index = zip_file_add(za, parts[i].name, src, ZIP_FL_ENC_UTF_8);
        assert_true(index >= 0);
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)index, parts[i].deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                                  parts[i].deflate ? 9 : 0), 0);
    }
    assert_int_equal(zip_close(za), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_stat(archive, &st), 0);
    assert_int_equal(zip_source_open(archive), 0);
    unsigned char *out = malloc(st.size);
    assert_non_null(out);
    assert_int_equal(zip_source_read(archive, out, st.size), (zip_int64_t)st.size);
    zip_source_close(archive);
    zip_source_free(archive);
    zip_error_fini(&error);
    *len = (size_t)st.size;
    return out;
}

/* The codes found, in order, comma-separated: compared whole, so an extra code fails. */
static char *verify_codes(const unsigned char *zip, size_t len, xmlSchemaPtr schema, const char *ca, struct verify_result *keep)
{
    TEST_PROBLEMS(found);
    struct verify_result r = { .problems = &found };
    verify_container(zip, len, schema, ca, &r);
    static char codes[2048];
    codes[0] = '\0';
    for (size_t i = 0; i < found.count; i++) {
        if (i)
            strncat(codes, ",", sizeof codes - strlen(codes) - 1);
        strncat(codes, found.items[i].code, sizeof codes - strlen(codes) - 1);
        /* Every problem says something, in a sentence. */
        assert_true(strlen(found.items[i].message) > 10);
    }
    /* Each problem was counted, once. */
    assert_int_equal(r.count, found.count);
    r.problems = NULL;
    if (keep)
        *keep = r;
    return codes;
}

/* A container of DOCS with the manifest MANIFEST (NULL: the right one for DOCS)
 * sealed by SEAL: mimetype, documents, manifest, signature. */
struct forged {
    unsigned char *zip;
    size_t len;
};

static struct forged forge(const struct part *docs, size_t ndocs, const char *manifest, const struct seal *seal)
{
    struct asice_document adocs[16];
    assert_true(ndocs <= 16);
    for (size_t i = 0; i < ndocs; i++)
        adocs[i] = (struct asice_document){ docs[i].name, "application/pdf", docs[i].data, docs[i].len };
    char *own = manifest ? NULL : asice_manifest(adocs, ndocs);
    const char *m = manifest ? manifest : own;
    size_t sig_len = 0;
    unsigned char *sig = seal_sign(seal, m, strlen(m), DATE, &sig_len);
    assert_non_null(sig);
    struct part parts[20];
    size_t n = 0;
    parts[n++] = (struct part){ "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), false };
    for (size_t i = 0; i < ndocs; i++)
        parts[n++] = docs[i];
    parts[n++] = (struct part){ ASICE_MANIFEST, m, strlen(m), true };
    parts[n++] = (struct part){ ASICE_SIGNATURE, sig, sig_len, false };
    struct forged f;
    f.zip = make_zip(parts, n, &f.len);
    free(sig);
    free(own);
    return f;
}

static const struct part two_docs[] = {
    { "a.pdf", pdf_a, sizeof pdf_a - 1, false },
    { "c.pdf", pdf_c, sizeof pdf_c - 1, false },
};

static void test_sound_container(void **state)
{
    (void)state;
    struct forged f = forge(two_docs, 2, NULL, &demo);
    struct verify_result r;
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, &r), "");
    assert_int_equal(r.documents, 2);
    assert_true(r.chain_checked);
    assert_string_equal(r.signer, demo.subject);
    assert_string_equal(r.signing_time, "Nov 24 00:00:00 2026 GMT");
    /* The seal's identity, as an operator pins it: the SHA-256 of the certificate's DER
     * (as `openssl x509 -fingerprint -sha256` prints it, lower case, no colons), and
     * its subject in RFC 2253 form, UTF-8. */
    unsigned char md[32];
    unsigned int md_len = 0;
    char hex[65];
    assert_int_equal(X509_digest(demo.cert, EVP_sha256(), md, &md_len), 1);
    for (unsigned i = 0; i < md_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    assert_string_equal(r.signer_sha256, hex);
    assert_string_equal(r.signer_rfc2253,
                        "CN=Cachet de démonstration DEMO — ne pas utiliser en production,O=DEMO — dossier (sans valeur),C=FR");
    /* Without --ca the seal is checked, the chain is not (and says so). */
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, NULL, &r), "");
    assert_false(r.chain_checked);
    /* asice_build's own output too. */
    size_t len = 0;
    TEST_PROBLEMS(why);
    const struct asice_document docs[] = { { "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 } };
    unsigned char *zip = asice_build(docs, 1, &demo, DATE, &len, &why);
    assert_non_null(zip);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "");
    free(zip);
    free(f.zip);
}

static void test_untrusted_authority(void **state)
{
    (void)state;
    struct forged f = forge(two_docs, 2, NULL, &other);
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "signature.untrusted");
    /* Sound for its own authority, and without --ca. */
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, other_ca_path, NULL), "");
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, NULL, NULL), "");
    /* A trust file that is not PEM. */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/not-a-ca.pem", tmp_root);
    assert_true(file_write_atomic(bad, "bonjour\n", 8));
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, bad, NULL), "ca.unreadable");
    free(f.zip);
}

static void test_flipped_byte_in_stored_data(void **state)
{
    (void)state;
    struct forged f = forge(two_docs, 2, NULL, &demo);
    unsigned char *at = memmem(f.zip, f.len, pdf_c, sizeof pdf_c - 1);
    assert_non_null(at);
    at[12] ^= 0x20;
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "entry.corrupt");
    free(f.zip);
}

static void test_not_a_zip(void **state)
{
    (void)state;
    static const unsigned char hello[] = "bonjour, je ne suis pas un conteneur\n";
    assert_string_equal(verify_codes(hello, sizeof hello - 1, SCHEMA, ca_path, NULL), "zip.signature,zip.corrupt");
    /* A good container cut short: its central directory is gone. */
    struct forged f = forge(two_docs, 2, NULL, &demo);
    assert_string_equal(verify_codes(f.zip, f.len - 40, SCHEMA, ca_path, NULL), "zip.corrupt");
    /* A local header signature damaged: libzip's consistency check refuses it. */
    f.zip[0] = 'X';
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "zip.signature,zip.corrupt");
    free(f.zip);
}

static void test_document_changed(void **state)
{
    (void)state;
    size_t man_len = 0;
    /* The sealed manifest of the good container, with c.pdf replaced. */
    struct asice_document adocs[] = {
        { "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 },
        { "c.pdf", "application/pdf", (const unsigned char *)pdf_c, sizeof pdf_c - 1 },
    };
    char *manifest = asice_manifest(adocs, 2);
    man_len = strlen(manifest);
    size_t sig_len = 0;
    unsigned char *sig = seal_sign(&demo, manifest, man_len, DATE, &sig_len);
    static const char forged_c[] = "%PDF-1.4 second documenT";
    const struct part parts[] = {
        { "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), false },
        { "a.pdf", pdf_a, sizeof pdf_a - 1, false },
        { "c.pdf", forged_c, sizeof forged_c - 1, false },
        { ASICE_MANIFEST, manifest, man_len, true },
        { ASICE_SIGNATURE, sig, sig_len, false },
    };
    size_t len = 0;
    unsigned char *zip = make_zip(parts, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "digest.mismatch");
    free(zip);

    /* The forger also updates the manifest's digest: the seal no longer matches it. */
    struct asice_document forged_docs[] = {
        adocs[0], { "c.pdf", "application/pdf", (const unsigned char *)forged_c, sizeof forged_c - 1 },
    };
    char *forged_manifest = asice_manifest(forged_docs, 2);
    const struct part parts2[] = {
        parts[0], parts[1], parts[2],
        { ASICE_MANIFEST, forged_manifest, strlen(forged_manifest), true },
        parts[4],
    };
    zip = make_zip(parts2, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "signature.invalid");
    free(zip);

    free(forged_manifest);
    free(manifest);
    free(sig);
}

static void test_entries_added_or_removed(void **state)
{
    (void)state;
    static const char extra[] = "%PDF-1.4 ajouté";
    const struct part three[] = { two_docs[0], two_docs[1], { "ajout.pdf", extra, sizeof extra - 1, false } };
    /* Sealed manifest of two documents, three in the container. */
    struct asice_document adocs[] = {
        { "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 },
        { "c.pdf", "application/pdf", (const unsigned char *)pdf_c, sizeof pdf_c - 1 },
    };
    char *manifest = asice_manifest(adocs, 2);
    struct forged f = forge(three, 3, manifest, &demo);
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "manifest.unreferenced");
    free(f.zip);
    /* Sealed manifest of two documents, one in the container. */
    f = forge(two_docs, 1, manifest, &demo);
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "manifest.missing_entry");
    free(f.zip);
    free(manifest);
    /* A folder entry or other META-INF files are not documents. */
    const struct part with_dir[] = { two_docs[0], { "META-INF/notes.txt", "x", 1, false } };
    f = forge(with_dir, 2, NULL, &demo);
    struct verify_result r;
    /* META-INF/notes.txt is in the manifest (asice_manifest lists what it is given) but
     * META-INF is not a document folder: not a document, so not sealed as one. */
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, &r), "manifest.missing_entry,manifest.unreferenced");
    assert_int_equal(r.documents, 1);
    free(f.zip);
    /* Not in the manifest: a META-INF entry (it used to be exempt), another signature,
     * a folder entry. Only mimetype, the manifest and the signature it names are. */
    manifest = asice_manifest(adocs, 2);
    static const char *const unsealed[] = { "META-INF/annexe.pdf", "META-INF/signature2.p7s", "META-INF/ASiCManifest2.xml",
                                            "docs/" };
    for (size_t i = 0; i < sizeof unsealed / sizeof *unsealed; i++) {
        const struct part more[] = { two_docs[0], two_docs[1], { unsealed[i], extra, sizeof extra - 1, false } };
        f = forge(more, 3, manifest, &demo);
        const char *codes = verify_codes(f.zip, f.len, SCHEMA, ca_path, &r);
        if (strcmp(codes, "manifest.unreferenced") != 0)
            fail_msg("« %s » : %s au lieu de manifest.unreferenced", unsealed[i], codes);
        assert_int_equal(r.documents, 2);
        free(f.zip);
    }
    free(manifest);
}

/* The ZIP structure walk runs first: what it finds is named, and the other checks
 * still run (libzip's own consistency check would only say "inconsistent"). */
static void test_structure(void **state)
{
    (void)state;
    struct forged f = forge(two_docs, 2, NULL, &demo);
    unsigned char *longer = malloc(f.len + 7);
    memcpy(longer, f.zip, f.len);
    memcpy(longer + f.len, "ajouté", 7);
    struct verify_result r;
    assert_string_equal(verify_codes(longer, f.len + 7, SCHEMA, ca_path, &r), "zip.trailing_data");
    assert_int_equal(r.documents, 2);
    assert_true(r.chain_checked);
    free(longer);
    /* The local header of c.pdf says another CRC: named, and its content still checked
     * against the central directory's. */
    unsigned char *at = memmem(f.zip, f.len, "PK\3\4", 4);
    for (int k = 0; k < 2; k++)
        at = memmem(at + 4, f.len - (size_t)(at + 4 - f.zip), "PK\3\4", 4);
    assert_memory_equal(at + 30, "c.pdf", 5);
    at[14] ^= 0x01;
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, &r), "zip.local_mismatch");
    /* No end record at all: unreadable, nothing else said. */
    assert_string_equal(verify_codes(f.zip, f.len - 22, SCHEMA, ca_path, NULL), "zip.corrupt");
    free(f.zip);
}

static void test_signature_problems(void **state)
{
    (void)state;
    struct asice_document adocs[] = {
        { "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 },
        { "c.pdf", "application/pdf", (const unsigned char *)pdf_c, sizeof pdf_c - 1 },
    };
    char *manifest = asice_manifest(adocs, 2);
    size_t man_len = strlen(manifest), sig_len = 0;
    unsigned char *sig = seal_sign(&demo, manifest, man_len, DATE, &sig_len);
    /* The seal of another manifest. */
    char *other_manifest = asice_manifest(adocs, 1);
    size_t other_len = 0;
    unsigned char *other_sig = seal_sign(&demo, other_manifest, strlen(other_manifest), DATE, &other_len);
    struct part parts[] = {
        { "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), false },
        two_docs[0], two_docs[1],
        { ASICE_MANIFEST, manifest, man_len, true },
        { ASICE_SIGNATURE, other_sig, other_len, false },
    };
    size_t len = 0;
    unsigned char *zip = make_zip(parts, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "signature.invalid");
    free(zip);
    /* Not DER at all. */
    parts[4] = (struct part){ ASICE_SIGNATURE, "pas une signature", 17, false };
    zip = make_zip(parts, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "signature.syntax");
    free(zip);
    /* Its last byte flipped: still DER, the signature value no longer verifies. */
    unsigned char *flipped = malloc(sig_len);
    memcpy(flipped, sig, sig_len);
    flipped[sig_len - 1] ^= 0x01;
    parts[4] = (struct part){ ASICE_SIGNATURE, flipped, sig_len, false };
    zip = make_zip(parts, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "signature.invalid");
    free(zip);
    free(flipped);
    /* No signature at all: the manifest's SigReference points nowhere. */
    zip = make_zip(parts, 4, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "manifest.sigreference,signature.missing");
    free(zip);
    /* No manifest. */
    parts[3] = (struct part){ ASICE_SIGNATURE, sig, sig_len, false };
    zip = make_zip(parts, 4, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "manifest.missing");
    free(zip);

    /* CMS without signed attributes: not CAdES. */
    BIO *content = BIO_new_mem_buf(manifest, (int)man_len);
    CMS_ContentInfo *cms = CMS_sign(demo.cert, demo.key, NULL, content, CMS_DETACHED | CMS_BINARY | CMS_NOATTR);
    assert_non_null(cms);
    unsigned char *der = NULL;
    int der_len = i2d_CMS_ContentInfo(cms, &der);
    assert_true(der_len > 0);
    CMS_ContentInfo_free(cms);
    BIO_free(content);
    parts[3] = (struct part){ ASICE_MANIFEST, manifest, man_len, true };
    parts[4] = (struct part){ ASICE_SIGNATURE, der, (size_t)der_len, false };
    zip = make_zip(parts, 5, &len);
    const char *codes = verify_codes(zip, len, SCHEMA, ca_path, NULL);
    /* OpenSSL's CAdES check accepts it (no signing-certificate-v2 to compare): the
     * verifier's own check of the four attributes is what refuses it. */
    assert_string_equal(codes, "signature.attributes,signature.attributes,signature.attributes,signature.attributes");
    free(zip);
    OPENSSL_free(der);

    /* The seal certificate left out of the signature: nothing to verify it with. */
    content = BIO_new_mem_buf(manifest, (int)man_len);
    cms = CMS_sign(demo.cert, demo.key, NULL, content, CMS_DETACHED | CMS_BINARY | CMS_NOCERTS | CMS_CADES);
    assert_non_null(cms);
    der = NULL;
    der_len = i2d_CMS_ContentInfo(cms, &der);
    CMS_ContentInfo_free(cms);
    BIO_free(content);
    parts[4] = (struct part){ ASICE_SIGNATURE, der, (size_t)der_len, false };
    zip = make_zip(parts, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "signature.invalid");
    free(zip);
    OPENSSL_free(der);

    /* Two signers. */
    content = BIO_new_mem_buf(manifest, (int)man_len);
    const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_CADES;
    cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    assert_non_null(CMS_add1_signer(cms, demo.cert, demo.key, EVP_sha256(), flags));
    assert_non_null(CMS_add1_signer(cms, other.cert, other.key, EVP_sha256(), flags));
    assert_int_equal(CMS_final(cms, content, NULL, flags), 1);
    der = NULL;
    der_len = i2d_CMS_ContentInfo(cms, &der);
    CMS_ContentInfo_free(cms);
    BIO_free(content);
    parts[4] = (struct part){ ASICE_SIGNATURE, der, (size_t)der_len, false };
    zip = make_zip(parts, 5, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "signature.signers");
    free(zip);
    OPENSSL_free(der);
    ERR_clear_error();

    free(other_sig);
    free(other_manifest);
    free(sig);
    free(manifest);
}

/* Manifests written by hand, each sealed, so that only the manifest is at fault. */
static char *manifest_text(const char *body)
{
    char *out = NULL;
    int n = asprintf(&out,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<asic:ASiCManifest xmlns:asic=\"" ASICE_NS "\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n%s"
                     "</asic:ASiCManifest>\n",
                     body);
    assert_true(n > 0);
    return out;
}

#define SIGREF "<asic:SigReference URI=\"META-INF/signature.p7s\" MimeType=\"application/pkcs7-signature\"/>\n"
#define DOREF(uri, alg, value)                                                                 \
    "<asic:DataObjectReference URI=\"" uri "\" MimeType=\"application/pdf\">"                  \
    "<ds:DigestMethod Algorithm=\"" alg "\"/><ds:DigestValue>" value "</ds:DigestValue>"       \
    "</asic:DataObjectReference>\n"
#define SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
/* The base64 SHA-256 of pdf_a, as the manifest writer puts it. */
static const char *digest_a(void)
{
    static char b64[64];
    char *m = asice_manifest(&(struct asice_document){ "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 }, 1);
    const char *v = strstr(m, "<ds:DigestValue>") + 16;
    snprintf(b64, sizeof b64, "%.44s", v);
    free(m);
    return b64;
}

static char *manifest_for_a(const char *before, const char *uri, const char *alg, const char *after)
{
    char body[2048];
    snprintf(body, sizeof body,
             "%s<asic:DataObjectReference URI=\"%s\" MimeType=\"application/pdf\">"
             "<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue>%s</ds:DigestValue>"
             "</asic:DataObjectReference>\n%s",
             before, uri, alg, digest_a(), after);
    return manifest_text(body);
}

static const char *codes_with_manifest(const struct part *docs, size_t n, const char *manifest, xmlSchemaPtr schema)
{
    struct forged f = forge(docs, n, manifest, &demo);
    const char *codes = verify_codes(f.zip, f.len, schema, ca_path, NULL);
    free(f.zip);
    return codes;
}

static void test_manifest_problems(void **state)
{
    (void)state;
    const struct part one[] = { two_docs[0] };
    char *m;
    /* The hand-written form itself is sound. */
    m = manifest_for_a(SIGREF, "a.pdf", SHA256, "");
    assert_string_equal(codes_with_manifest(one, 1, m, SCHEMA), "");
    free(m);
    /* %-encoded URIs are decoded. */
    const struct part spaced[] = { { "a b.pdf", pdf_a, sizeof pdf_a - 1, false } };
    m = manifest_for_a(SIGREF, "a%20b.pdf", SHA256, "");
    assert_string_equal(codes_with_manifest(spaced, 1, m, SCHEMA), "");
    free(m);
    /* SHA-1 is not accepted. */
    m = manifest_for_a(SIGREF, "a.pdf", "http://www.w3.org/2000/09/xmldsig#sha1", "");
    assert_string_equal(codes_with_manifest(one, 1, m, NULL), "manifest.algorithm");
    free(m);
    /* SigReference naming a document, or the manifest: not a signature's name. */
    m = manifest_for_a("<asic:SigReference URI=\"a.pdf\" MimeType=\"application/pkcs7-signature\"/>\n", "a.pdf",
                       SHA256, "");
    assert_string_equal(codes_with_manifest(one, 1, m, SCHEMA), "manifest.sigreference");
    free(m);
    m = manifest_for_a("<asic:SigReference URI=\"META-INF/ASiCManifest.xml\" MimeType=\"application/pkcs7-signature\"/>\n",
                       "a.pdf", SHA256, "");
    assert_string_equal(codes_with_manifest(one, 1, m, SCHEMA), "manifest.sigreference");
    free(m);
    /* SigReference after the documents. */
    m = manifest_for_a("", "a.pdf", SHA256, SIGREF);
    assert_string_equal(codes_with_manifest(one, 1, m, NULL), "manifest.sigreference");
    assert_true(strncmp(codes_with_manifest(one, 1, m, SCHEMA), "manifest.schema,", 16) == 0);
    free(m);
    /* A document referenced twice. */
    m = manifest_for_a(SIGREF DOREF("a.pdf", SHA256, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), "a.pdf", SHA256, "");
    assert_string_equal(codes_with_manifest(one, 1, m, NULL), "digest.mismatch,manifest.duplicate");
    free(m);
    /* The signature named as a document. */
    m = manifest_for_a(SIGREF DOREF("META-INF/signature.p7s", SHA256, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
                       "a.pdf", SHA256, "");
    assert_string_equal(codes_with_manifest(one, 1, m, NULL), "manifest.missing_entry");
    free(m);
    /* Not well-formed. */
    m = strdup("<?xml version=\"1.0\"?>\n<asic:ASiCManifest xmlns:asic=\"" ASICE_NS "\">\n" SIGREF);
    assert_string_equal(codes_with_manifest(one, 1, m, SCHEMA), "manifest.syntax");
    free(m);
    /* A DOCTYPE (entity expansion, external entities): refused before parsing. */
    m = strdup("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"a.pdf\">]>\n"
               "<asic:ASiCManifest xmlns:asic=\"" ASICE_NS "\">" SIGREF "</asic:ASiCManifest>\n");
    assert_string_equal(codes_with_manifest(one, 1, m, SCHEMA), "manifest.dtd");
    free(m);
    /* Right name, wrong namespace (the 1.1.1 one). */
    m = strdup("<?xml version=\"1.0\"?>\n<asic:ASiCManifest xmlns:asic=\"http://uri.etsi.org/02918/v1.1.1#\">"
               SIGREF "</asic:ASiCManifest>\n");
    assert_string_equal(codes_with_manifest(one, 1, m, NULL), "manifest.root");
    free(m);
}

static void test_mimetype_problems(void **state)
{
    (void)state;
    struct asice_document adoc = { "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 };
    char *manifest = asice_manifest(&adoc, 1);
    size_t man_len = strlen(manifest), sig_len = 0;
    unsigned char *sig = seal_sign(&demo, manifest, man_len, DATE, &sig_len);
    const struct part mimetype = { "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), false };
    const struct part man = { ASICE_MANIFEST, manifest, man_len, true };
    const struct part seal = { ASICE_SIGNATURE, sig, sig_len, false };
    size_t len;
    unsigned char *zip;

    const struct part compressed[] = { { "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), true }, two_docs[0], man, seal };
    zip = make_zip(compressed, 4, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "mimetype.compressed");
    free(zip);

    const struct part wrong[] = { { "mimetype", "application/zip", 15, false }, two_docs[0], man, seal };
    zip = make_zip(wrong, 4, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "mimetype.content");
    free(zip);

    const struct part newline[] = { { "mimetype", ASICE_MIMETYPE "\n", strlen(ASICE_MIMETYPE) + 1, false }, two_docs[0], man, seal };
    zip = make_zip(newline, 4, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "mimetype.content");
    free(zip);

    const struct part last[] = { two_docs[0], man, seal, mimetype };
    zip = make_zip(last, 4, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "mimetype.first,mimetype.first");
    free(zip);

    const struct part missing[] = { two_docs[0], man, seal };
    zip = make_zip(missing, 3, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "mimetype.first");
    free(zip);

    free(sig);
    free(manifest);
}

static void test_unsafe_names(void **state)
{
    (void)state;
    static const char *const unsafe[] = { "../evil.pdf", "/etc/evil.pdf", "dossier\\evil.pdf", "C:evil.pdf",
                                          "docs/../../evil.pdf", "docs/.." };
    for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++) {
        const struct part docs[] = { two_docs[0], { unsafe[i], pdf_c, sizeof pdf_c - 1, false } };
        struct forged f = forge(docs, 2, NULL, &demo);
        const char *codes = verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL);
        if (strcmp(codes, "name.unsafe") != 0)
            fail_msg("« %s » : %s au lieu de name.unsafe", unsafe[i], codes);
        free(f.zip);
    }
    /* A control character (libzip will not write one: patched into the headers) cannot
     * even be written in the manifest: unsafe and unreferenced. */
    struct asice_document adoc = { "a.pdf", "application/pdf", (const unsigned char *)pdf_a, sizeof pdf_a - 1 };
    char *m = asice_manifest(&adoc, 1);
    const struct part docs[] = { two_docs[0], { "evil#.pdf", pdf_c, sizeof pdf_c - 1, false } };
    struct forged f = forge(docs, 2, m, &demo);
    size_t patched = 0;
    for (unsigned char *p = f.zip; (p = memmem(p, f.len - (size_t)(p - f.zip), "evil#", 5)) != NULL; p += 5) {
        p[4] = 0x01;
        patched++;
    }
    assert_int_equal(patched, 2);
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "name.unsafe,manifest.unreferenced");
    free(f.zip);
    free(m);
    /* Look-alikes that are fine. */
    static const char *const safe[] = { "a..b.pdf", "..pdf", "docs/x.pdf", "été/Łódź.pdf", "x.pdf.." };
    for (size_t i = 0; i < sizeof safe / sizeof *safe; i++) {
        const struct part ok[] = { { safe[i], pdf_c, sizeof pdf_c - 1, false } };
        f = forge(ok, 1, NULL, &demo);
        const char *codes = verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL);
        if (strcmp(codes, "") != 0)
            fail_msg("« %s » : %s au lieu de rien", safe[i], codes);
        free(f.zip);
    }
}

/* Two entries with one name, made by renaming "c.pdf" to "a.pdf" in the headers. */
static void test_duplicate_names(void **state)
{
    (void)state;
    struct forged f = forge(two_docs, 2, NULL, &demo);
    size_t renamed = 0;
    for (unsigned char *p = f.zip; (p = memmem(p, f.len - (size_t)(p - f.zip), "c.pdf", 5)) != NULL; p += 5) {
        p[0] = 'a';
        renamed++;
    }
    assert_int_equal(renamed, 2);   /* local header and central directory */
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL),
                        "name.duplicate,manifest.missing_entry,manifest.unreferenced");
    free(f.zip);
}

static void test_limits(void **state)
{
    (void)state;
    /* 2 MB of zeros deflate to about 2 KB: a ratio far above 100. */
    size_t big = 2 * 1024 * 1024;
    unsigned char *zeros = calloc(1, big);
    assert_non_null(zeros);
    const struct part bomb[] = { two_docs[0], { "bombe.pdf", zeros, big, true } };
    struct forged f = forge(bomb, 2, NULL, &demo);
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "zip.bomb");
    free(f.zip);
    /* The same size stored (ratio 1) is fine. */
    const struct part stored[] = { two_docs[0], { "gros.pdf", zeros, big, false } };
    f = forge(stored, 2, NULL, &demo);
    assert_string_equal(verify_codes(f.zip, f.len, SCHEMA, ca_path, NULL), "");
    free(f.zip);
    free(zeros);

    /* More than VERIFY_MAX_ENTRIES entries. */
    size_t n = VERIFY_MAX_ENTRIES + 1;
    struct part *many = calloc(n, sizeof *many);
    char (*names)[16] = calloc(n, sizeof *names);
    many[0] = (struct part){ "mimetype", ASICE_MIMETYPE, strlen(ASICE_MIMETYPE), false };
    for (size_t i = 1; i < n; i++) {
        snprintf(names[i], sizeof names[i], "p%zu.pdf", i);
        many[i] = (struct part){ names[i], "x", 1, false };
    }
    size_t len = 0;
    unsigned char *zip = make_zip(many, n, &len);
    assert_string_equal(verify_codes(zip, len, SCHEMA, ca_path, NULL), "zip.too_many_entries");
    free(zip);
    free(names);
    free(many);
}

static void test_cli_exit_codes(void **state)
{
    (void)state;
    char good[160], bad[160], missing[160];
    snprintf(good, sizeof good, "%s/bon.zip", tmp_root);
    snprintf(bad, sizeof bad, "%s/mauvais.zip", tmp_root);
    snprintf(missing, sizeof missing, "%s/absent.zip", tmp_root);
    struct forged f = forge(two_docs, 2, NULL, &demo);
    assert_true(file_write_atomic(good, f.zip, f.len));
    f.zip[f.len / 2] ^= 0x01;
    assert_true(file_write_atomic(bad, f.zip, f.len));
    free(f.zip);
    /* Through the public API, as `dossier verify` calls it: its statuses are the
     * command's exit codes. */
    dossier_options options;
    dossier_options_init(&options);
    options.open = DOSSIER_OPEN_VERIFY;
    options.datadir = SOURCE_DIR;
    char demo_dir[160];
    snprintf(demo_dir, sizeof demo_dir, "%s/demo", tmp_root);
    options.demo_dir = demo_dir;     /* the demo seal is told by its certificate */
    dossier_ctx *ctx;
    assert_int_equal(dossier_open(&options, &ctx, NULL), DOSSIER_OK);
    dossier_problems *found = dossier_problems_new();
    dossier_verify_info info;
    assert_int_equal(dossier_verify_file(ctx, good, ca_path, &info, found), DOSSIER_OK);
    assert_int_equal(info.documents, 2);
    assert_true(info.chain_checked);
    assert_true(info.demo);
    assert_int_equal(dossier_verify_file(ctx, good, other_ca_path, &info, found), DOSSIER_REJECTED);
    assert_int_equal(dossier_verify_file(ctx, bad, ca_path, &info, found), DOSSIER_REJECTED);
    size_t before = dossier_problems_count(found);
    assert_int_equal(dossier_verify_file(ctx, missing, ca_path, &info, found), DOSSIER_ERROR);
    assert_int_equal(dossier_verify_file(ctx, tmp_root, ca_path, &info, found), DOSSIER_ERROR);
    /* Each problem names the container it was found in. */
    assert_int_equal(dossier_problems_count(found), before + 2);
    assert_string_equal(dossier_problems_get(found, before)->file, missing);
    assert_string_equal(dossier_problems_get(found, before)->code, "container.unreadable");
    assert_string_equal(dossier_problems_get(found, 0)->file, good);
    dossier_problems_free(found);
    dossier_close(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sound_container),
        cmocka_unit_test(test_untrusted_authority),
        cmocka_unit_test(test_flipped_byte_in_stored_data),
        cmocka_unit_test(test_not_a_zip),
        cmocka_unit_test(test_document_changed),
        cmocka_unit_test(test_entries_added_or_removed),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_signature_problems),
        cmocka_unit_test(test_manifest_problems),
        cmocka_unit_test(test_mimetype_problems),
        cmocka_unit_test(test_unsafe_names),
        cmocka_unit_test(test_duplicate_names),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_cli_exit_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
