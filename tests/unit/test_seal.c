/* Pins the seal (src/package/seal.c): the demo seal made once and reused, loading a key
 * and certificate (passphrase from a file or the environment, mismatches, validity at
 * the dossier date, key usage), and the CAdES-B-B signature's attributes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"
#include "problems.h"
#include "../../src/package/seal.h"
#include "../../src/util/fileio.h"

#define DATE ((time_t)1795478400)   /* 2026-11-24T00:00:00Z */

static char tmp_root[64];
static char demo_dir[128];
static char path_buf[8][256];

static bool load_files(const char *key, const char *cert, const char *chain, const char *pass_file, time_t date,
                       struct seal *s, char *why, size_t why_size);

static bool make_demo(const char *dir, char *why, size_t why_size)
{
    TEST_PROBLEMS(problems);
    bool ok = seal_make_demo(dir, &problems);
    snprintf(why, why_size, "%s", problems.count ? problems.items[0].message : "");
    return ok;
}

static int setup(void **state)
{
    (void)state;
    if (tmpdir_make(tmp_root, sizeof tmp_root, "seal") != 0)
        return -1;
    /* A folder that does not exist yet: seal_make_demo creates it (and its parents). */
    snprintf(demo_dir, sizeof demo_dir, "%s/build/demo-seal", tmp_root);
    unsetenv("DOSSIER_SEAL_PASS");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("DOSSIER_SEAL_PASS");
    return tmpdir_remove(tmp_root);
}

/* DIR/FILE in one of a few static buffers (SLOT picks which). */
static const char *in_dir(int slot, const char *dir, const char *file)
{
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, file);
    return path_buf[slot];
}

static X509 *read_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(x);
    return x;
}

static void assert_same_file(const char *a, const char *b_data, size_t b_len)
{
    size_t len = 0;
    char *data = file_read_all(a, 1 << 20, &len);
    assert_non_null(data);
    assert_int_equal(len, b_len);
    assert_memory_equal(data, b_data, len);
    free(data);
}

static void test_demo_seal_made_once(void **state)
{
    (void)state;
    char why[512] = "";
    assert_true(make_demo(demo_dir, why, sizeof why));
    X509 *ca = read_cert(in_dir(0, demo_dir, "demo-ca.pem"));
    X509 *cert = read_cert(in_dir(1, demo_dir, "demo-seal-cert.pem"));
    assert_int_equal(access(in_dir(2, demo_dir, "demo-seal-key.pem"), R_OK), 0);
    struct stat key_stat;
    assert_int_equal(stat(in_dir(2, demo_dir, "demo-seal-key.pem"), &key_stat), 0);
    assert_int_equal(key_stat.st_mode & 0777, 0600);     /* a key file stays private */

    /* Named as a demo in its subject; issued by the self-signed demo CA. */
    char subject[512];
    X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
    assert_non_null(strstr(subject, "DEMO"));
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(ca), X509_get_issuer_name(ca)), 0);
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(ca), X509_get_issuer_name(cert)), 0);
    assert_int_equal(X509_verify(cert, X509_get0_pubkey(ca)), 1);
    assert_int_equal(X509_check_ca(ca), 1);
    assert_int_equal(X509_check_ca(cert), 0);
    /* A seal: digitalSignature and nonRepudiation; RSA, whose signatures are deterministic. */
    assert_true(X509_get_extension_flags(cert) & EXFLAG_KUSAGE);
    assert_int_equal(X509_get_key_usage(cert), KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION);
    assert_int_equal(EVP_PKEY_get_base_id(X509_get0_pubkey(cert)), EVP_PKEY_RSA);
    assert_true(EVP_PKEY_get_bits(X509_get0_pubkey(cert)) >= 2048);
    /* It accepts any --date a demo or test uses. */
    time_t y2000 = 946684800, y2049 = 2524607999 - 86400;
    assert_true(X509_cmp_time(X509_get0_notBefore(cert), &y2000) <= 0);
    assert_true(X509_cmp_time(X509_get0_notAfter(cert), &y2049) >= 0);

    /* A second call reuses it: the same bytes. */
    size_t len = 0;
    char *before = file_read_all(in_dir(1, demo_dir, "demo-seal-cert.pem"), 1 << 20, &len);
    size_t key_len = 0;
    char *key_before = file_read_all(in_dir(2, demo_dir, "demo-seal-key.pem"), 1 << 20, &key_len);
    assert_true(make_demo(demo_dir, why, sizeof why));
    assert_same_file(in_dir(1, demo_dir, "demo-seal-cert.pem"), before, len);
    assert_same_file(in_dir(2, demo_dir, "demo-seal-key.pem"), key_before, key_len);
    free(before);
    free(key_before);
    X509_free(ca);
    X509_free(cert);
}

static void test_demo_seal_in_unwritable_place(void **state)
{
    (void)state;
    char why[512] = "";
    char file[160], dir[200];
    snprintf(file, sizeof file, "%s/un-fichier", tmp_root);
    assert_true(file_write_atomic(file, "x", 1));
    /* A folder under a regular file cannot be made. */
    snprintf(dir, sizeof dir, "%s/demo", file);
    assert_false(make_demo(dir, why, sizeof why));
    assert_non_null(strstr(why, dir));
}

static void test_load_demo(void **state)
{
    (void)state;
    struct seal s;
    char why[512] = "";
    assert_true(load_files(NULL, NULL, NULL, NULL, DATE, &s, why, sizeof why));
    assert_true(s.demo);
    assert_non_null(s.key);
    assert_non_null(s.cert);
    assert_int_equal(X509_check_private_key(s.cert, s.key), 1);
    /* The demo CA goes with the seal, so that recipients can build the chain. */
    assert_non_null(s.chain);
    assert_int_equal(sk_X509_num(s.chain), 1);
    assert_non_null(strstr(s.subject, "CN = Cachet de démonstration DEMO"));
    seal_release(&s);
    assert_null(s.key);
    seal_release(&s);   /* twice is harmless */
}

/* The problem's message, or "" when none: what the assertions below look into. */
static bool last_message(bool ok, const struct dossier_problems *list, char *why, size_t why_size)
{
    snprintf(why, why_size, "%s", list->count ? list->items[list->count - 1].message : "");
    return ok;
}

static bool load_files(const char *key, const char *cert, const char *chain, const char *pass_file, time_t date,
                       struct seal *s, char *why, size_t why_size)
{
    const struct seal_files files = { key, cert, chain, pass_file, false };
    TEST_PROBLEMS(problems);
    return last_message(seal_load(s, &files, demo_dir, date, &problems), &problems, why, why_size);
}

static void test_load_files(void **state)
{
    (void)state;
    struct seal s;
    char why[512] = "";
    const char *key = in_dir(0, demo_dir, "demo-seal-key.pem");
    const char *cert = in_dir(1, demo_dir, "demo-seal-cert.pem");
    const char *ca = in_dir(2, demo_dir, "demo-ca.pem");
    assert_true(load_files(key, cert, NULL, NULL, DATE, &s, why, sizeof why));
    assert_false(s.demo);
    assert_null(s.chain);
    seal_release(&s);
    assert_true(load_files(key, cert, ca, NULL, DATE, &s, why, sizeof why));
    assert_int_equal(sk_X509_num(s.chain), 1);
    seal_release(&s);

    /* Each refusal says what is wrong, in French, naming the file. */
    assert_false(load_files(key, ca, NULL, NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "ne correspond pas au certificat"));
    assert_null(s.key);
    assert_false(load_files(key, in_dir(3, tmp_root, "absent.pem"), NULL, NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "absent.pem : certificat du cachet illisible (fichier introuvable)"));
    assert_false(load_files(in_dir(3, tmp_root, "absent.key"), cert, NULL, NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "absent.key : clé du cachet illisible"));
    /* A certificate given as the key: refused, first because others can read it. */
    assert_false(load_files(cert, cert, NULL, NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "accessible à d'autres utilisateurs"));
    const struct seal_files cert_as_key = { cert, cert, NULL, NULL, true };
    TEST_PROBLEMS(not_a_key);
    assert_false(seal_load(&s, &cert_as_key, demo_dir, DATE, &not_a_key));
    assert_non_null(strstr(not_a_key.items[not_a_key.count - 1].message, "clé du cachet illisible"));
    assert_false(load_files(key, cert, in_dir(3, tmp_root, "absent-chain.pem"), NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "absent-chain.pem : chaîne de certificats illisible"));
    /* The demo certificate runs from 2000-01-01 to 2049-12-31. */
    assert_false(load_files(key, cert, NULL, NULL, 915148800 /* 1999-01-01 */, &s, why, sizeof why));
    assert_non_null(strstr(why, "pas encore valide"));
    assert_false(load_files(key, cert, NULL, NULL, 2556144000 /* 2051-01-01 */, &s, why, sizeof why));
    assert_non_null(strstr(why, "expiré"));

    /* A key others can read is refused, with the command that fixes it; allowed on
     * request. */
    const char *open_key = in_dir(3, tmp_root, "open-key.pem");
    size_t len;
    char *pem = file_read_all(key, 1 << 20, &len);
    assert_non_null(pem);
    assert_true(file_write_atomic_mode(open_key, pem, len, 0644));
    free(pem);
    assert_false(load_files(open_key, cert, NULL, NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "accessible à d'autres utilisateurs (mode 0644) : chmod 600"));
    const struct seal_files allowed = { open_key, cert, NULL, NULL, true };
    TEST_PROBLEMS(problems);
    assert_true(seal_load(&s, &allowed, demo_dir, DATE, &problems));
    seal_release(&s);
    assert_true(chmod(open_key, 0600) == 0);
    assert_true(load_files(open_key, cert, NULL, NULL, DATE, &s, why, sizeof why));
    seal_release(&s);
}

/* A self-signed certificate for a new EC key with keyUsage USAGE, both written to
 * TMP/NAME.key and TMP/NAME.pem. */
static void make_cert_with_usage(const char *name, const char *usage)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    assert_non_null(key);
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    ASN1_TIME_set_string(X509_getm_notBefore(x), "20000101000000Z");
    ASN1_TIME_set_string(X509_getm_notAfter(x), "20491231235959Z");
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8, (const unsigned char *)name, -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, usage);
    assert_non_null(ext);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    char file[64];
    snprintf(file, sizeof file, "%s.key", name);
    FILE *f = fopen(in_dir(6, tmp_root, file), "w");
    fchmod(fileno(f), 0600);    /* a private key */
    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    snprintf(file, sizeof file, "%s.pem", name);
    f = fopen(in_dir(7, tmp_root, file), "w");
    PEM_write_X509(f, x);
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(key);
}

static void test_key_usage(void **state)
{
    (void)state;
    struct seal s;
    char why[512] = "";
    /* keyEncipherment only: it cannot seal, and the message names what is missing. */
    make_cert_with_usage("chiffrement", "critical,keyEncipherment");
    assert_false(load_files(in_dir(6, tmp_root, "chiffrement.key"), in_dir(7, tmp_root, "chiffrement.pem"), NULL, NULL,
                            DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "chiffrement.pem : le certificat n'autorise ni digitalSignature ni nonRepudiation"));
    /* nonRepudiation alone is enough, digitalSignature alone too. */
    make_cert_with_usage("non-repudiation", "critical,nonRepudiation");
    assert_true(load_files(in_dir(6, tmp_root, "non-repudiation.key"), in_dir(7, tmp_root, "non-repudiation.pem"), NULL,
                           NULL, DATE, &s, why, sizeof why));
    seal_release(&s);
    make_cert_with_usage("signature", "digitalSignature");
    assert_true(load_files(in_dir(6, tmp_root, "signature.key"), in_dir(7, tmp_root, "signature.pem"), NULL, NULL,
                           DATE, &s, why, sizeof why));
    assert_string_equal(s.subject, "CN = signature");
    seal_release(&s);
}

/* The demo key, encrypted with PASS (AES-256, PKCS#8) into DIR/FILE. */
static const char *encrypted_key(const char *file, const char *pass)
{
    FILE *in = fopen(in_dir(4, demo_dir, "demo-seal-key.pem"), "r");
    assert_non_null(in);
    EVP_PKEY *key = PEM_read_PrivateKey(in, NULL, NULL, NULL);
    fclose(in);
    assert_non_null(key);
    const char *path = in_dir(5, tmp_root, file);
    FILE *out = fopen(path, "w");
    fchmod(fileno(out), 0600);
    assert_non_null(out);
    assert_int_equal(PEM_write_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)pass), 1);
    fclose(out);
    EVP_PKEY_free(key);
    return path;
}

static void test_passphrase(void **state)
{
    (void)state;
    struct seal s;
    char why[512] = "";
    static const char pass[] = "phrase secrète : « été » 42";
    const char *key = encrypted_key("chiffree.pem", pass);
    const char *cert = in_dir(1, demo_dir, "demo-seal-cert.pem");
    char pass_file[160], wrong_file[160];
    snprintf(pass_file, sizeof pass_file, "%s/pass.txt", tmp_root);
    snprintf(wrong_file, sizeof wrong_file, "%s/faux.txt", tmp_root);
    char line[128];
    /* An edited file ends with a newline (CRLF from Windows): not part of the secret. */
    snprintf(line, sizeof line, "%s\r\n", pass);
    /* A passphrase file is as private as the key it opens. */
    assert_true(file_write_atomic(pass_file, line, strlen(line)));
    assert_false(load_files(key, cert, NULL, pass_file, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "chmod 600"));
    assert_true(file_write_atomic_mode(pass_file, line, strlen(line), 0600));
    assert_true(file_write_atomic_mode(wrong_file, "phrase secrete\n", 15, 0600));

    assert_true(load_files(key, cert, NULL, pass_file, DATE, &s, why, sizeof why));
    assert_int_equal(X509_check_private_key(s.cert, s.key), 1);
    seal_release(&s);

    assert_false(load_files(key, cert, NULL, wrong_file, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "phrase secrète incorrecte"));
    /* The message never carries the passphrase tried. */
    assert_null(strstr(why, "phrase secrete\n"));
    assert_false(load_files(key, cert, NULL, in_dir(6, tmp_root, "absent.txt"), DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "absent.txt : fichier de phrase secrète illisible"));
    /* No passphrase at all: refused, no prompt. */
    assert_false(load_files(key, cert, NULL, NULL, DATE, &s, why, sizeof why));
    assert_non_null(strstr(why, "phrase secrète incorrecte"));

    /* From the environment when there is no file. */
    setenv("DOSSIER_SEAL_PASS", pass, 1);
    assert_true(load_files(key, cert, NULL, NULL, DATE, &s, why, sizeof why));
    seal_release(&s);
    /* The file wins over the environment. */
    assert_false(load_files(key, cert, NULL, wrong_file, DATE, &s, why, sizeof why));
    setenv("DOSSIER_SEAL_PASS", "autre chose", 1);
    assert_false(load_files(key, cert, NULL, NULL, DATE, &s, why, sizeof why));
    assert_true(load_files(key, cert, NULL, pass_file, DATE, &s, why, sizeof why));
    seal_release(&s);
    unsetenv("DOSSIER_SEAL_PASS");
}

static CMS_ContentInfo *parse(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
    assert_non_null(cms);
    assert_ptr_equal(p, der + len);
    return cms;
}

static ASN1_TYPE *signed_attr(CMS_ContentInfo *cms, int nid)
{
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    int at = CMS_signed_get_attr_by_NID(si, nid, -1);
    assert_true(at >= 0);
    /* One value, once. */
    assert_int_equal(CMS_signed_get_attr_by_NID(si, nid, at), -1);
    assert_int_equal(X509_ATTRIBUTE_count(CMS_signed_get_attr(si, at)), 1);
    return X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
}

static void test_sign(void **state)
{
    (void)state;
    struct seal s;
    char why[512] = "";
    assert_true(load_files(NULL, NULL, NULL, NULL, DATE, &s, why, sizeof why));
    static const char data[] = "<manifeste/>\r\n";   /* CRLF kept as is: binary, not canonicalised */
    size_t len = 0, again_len = 0, later_len = 0;
    unsigned char *der = seal_sign(&s, data, sizeof data - 1, DATE, &len);
    unsigned char *again = seal_sign(&s, data, sizeof data - 1, DATE, &again_len);
    unsigned char *later = seal_sign(&s, data, sizeof data - 1, 2556144000 /* 2051-01-01 */, &later_len);
    assert_non_null(der);
    assert_non_null(again);
    assert_non_null(later);
    /* RSA PKCS#1 v1.5 and a fixed signing-time: the same bytes. */
    assert_int_equal(len, again_len);
    assert_memory_equal(der, again, len);

    CMS_ContentInfo *cms = parse(der, len);
    assert_int_equal(OBJ_obj2nid(CMS_get0_type(cms)), NID_pkcs7_signed);
    assert_int_equal(sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)), 1);
    ASN1_TYPE *t = signed_attr(cms, NID_pkcs9_contentType);
    assert_int_equal(t->type, V_ASN1_OBJECT);
    assert_int_equal(OBJ_obj2nid(t->value.object), NID_pkcs7_data);
    t = signed_attr(cms, NID_pkcs9_messageDigest);
    unsigned char digest[32];
    EVP_Digest(data, sizeof data - 1, digest, NULL, EVP_sha256(), NULL);
    assert_int_equal(ASN1_STRING_length(t->value.octet_string), 32);
    assert_memory_equal(ASN1_STRING_get0_data(t->value.octet_string), digest, 32);
    t = signed_attr(cms, NID_pkcs9_signingTime);
    assert_int_equal(t->type, V_ASN1_UTCTIME);
    assert_int_equal(ASN1_TIME_cmp_time_t(t->value.utctime, DATE), 0);
    (void)signed_attr(cms, NID_id_smime_aa_signingCertificateV2);
    /* The seal certificate and its chain are embedded, the seal once. */
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    assert_int_equal(sk_X509_num(certs), 2);
    sk_X509_pop_free(certs, X509_free);

    /* Verifies, detached and binary, against the demo CA, with the CAdES checks. */
    X509_STORE *store = X509_STORE_new();
    assert_int_equal(X509_STORE_load_file(store, in_dir(0, demo_dir, "demo-ca.pem")), 1);
    X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
    BIO *content = BIO_new_mem_buf(data, (int)(sizeof data - 1));
    assert_int_equal(CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY | CMS_DETACHED | CMS_CADES), 1);
    BIO_free(content);
    /* Not over other bytes. */
    content = BIO_new_mem_buf("<manifeste/>\n", 13);
    assert_int_not_equal(CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY | CMS_DETACHED | CMS_CADES), 1);
    ERR_clear_error();
    BIO_free(content);
    X509_STORE_free(store);
    CMS_ContentInfo_free(cms);

    /* From 2050 on, RFC 5652 wants a GeneralizedTime. */
    cms = parse(later, later_len);
    t = signed_attr(cms, NID_pkcs9_signingTime);
    assert_int_equal(t->type, V_ASN1_GENERALIZEDTIME);
    assert_int_equal(ASN1_TIME_cmp_time_t(t->value.generalizedtime, 2556144000), 0);
    CMS_ContentInfo_free(cms);
    free(der);
    free(again);
    free(later);
    seal_release(&s);

    /* A chain file holding the seal certificate itself: not embedded twice. */
    assert_true(load_files(in_dir(2, demo_dir, "demo-seal-key.pem"), in_dir(1, demo_dir, "demo-seal-cert.pem"),
                           in_dir(1, demo_dir, "demo-seal-cert.pem"), NULL, DATE, &s, why, sizeof why));
    der = seal_sign(&s, data, sizeof data - 1, DATE, &len);
    cms = parse(der, len);
    certs = CMS_get1_certs(cms);
    assert_int_equal(sk_X509_num(certs), 1);
    assert_int_equal(X509_cmp(sk_X509_value(certs, 0), s.cert), 0);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    free(der);
    seal_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_seal_made_once),
        cmocka_unit_test(test_demo_seal_in_unwritable_place),
        cmocka_unit_test(test_load_demo),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_key_usage),
        cmocka_unit_test(test_passphrase),
        cmocka_unit_test(test_sign),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
