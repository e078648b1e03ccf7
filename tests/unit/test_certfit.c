/* Pins the seal certificate rules (src/package/certfit.c): what a CA issues for other
 * uses (a CA, a TLS certificate, a person's signing certificate) is unfit, whatever its
 * chain; a seal with or without EKU or qualified statements is fit. Certificates are made
 * here, self-signed, with exactly the extensions each case names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

#include "../../src/package/certfit.h"

static EVP_PKEY *key;

static int setup(void **state)
{
    (void)state;
    key = EVP_EC_gen("P-256");
    return key ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(key);
    return 0;
}

#define SEAL_KU "keyUsage", "critical,digitalSignature,nonRepudiation"
/* QCStatements DER: QcCompliance (0.4.0.1862.1.1), then a QcType (0.4.0.1862.1.6) of
 * esign (.1) or eseal (.2). */
#define QC_COMPLIANCE "3008060604008E460101"
#define QC_TYPE(t) "3013060604008E4601063009060704008E460106" t
#define QC_ESIGN "DER:301F" QC_COMPLIANCE QC_TYPE("01")
#define QC_ESEAL "DER:301F" QC_COMPLIANCE QC_TYPE("02")

/* A self-signed certificate for CN with the extensions EXT: name, value pairs, NULL-ended. */
static X509 *cert_with(const char *cn, const char *const *ext)
{
    X509 *x = X509_new();
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    ASN1_TIME_set_string(X509_getm_notBefore(x), "20000101000000Z");
    ASN1_TIME_set_string(X509_getm_notAfter(x), "20491231235959Z");
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"FR", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"Autorité d'essai, Lyon", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    for (size_t i = 0; ext[i]; i += 2) {
        X509_EXTENSION *e = X509V3_EXT_conf(NULL, &ctx, ext[i], ext[i + 1]);
        if (!e)
            fail_msg("extension %s = %s refusée par OpenSSL", ext[i], ext[i + 1]);
        X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
    }
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    return x;
}

/* "" when fit, else the code; the reason must then say something. */
static const char *fitness(const char *const *ext)
{
    static struct certfit fit;
    X509 *x = cert_with("essai", ext);
    bool ok = certfit_check(x, "signature", &fit);
    X509_free(x);
    assert_int_equal(ok, fit.code[0] == '\0');
    if (!ok)
        assert_true(strlen(fit.reason) > 20);
    return fit.code;
}

#define FIT(...) fitness((const char *const[]){ __VA_ARGS__, NULL })

static void test_fit_seals(void **state)
{
    (void)state;
    /* The demo seal's and pki.sh's seal_ext. */
    assert_string_equal(FIT("basicConstraints", "critical,CA:FALSE", SEAL_KU), "");
    /* Either bit suffices; basicConstraints may be absent. */
    assert_string_equal(FIT("keyUsage", "nonRepudiation"), "");
    assert_string_equal(FIT("keyUsage", "digitalSignature"), "");
    /* An EKU naming a sealing purpose, alone or among others. */
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "emailProtection"), "");
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "1.3.6.1.5.5.7.3.36"), "");
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "1.3.6.1.4.1.311.10.3.12"), "");
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "anyExtendedKeyUsage"), "");
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "serverAuth,1.3.6.1.5.5.7.3.36"), "");
    /* A qualified seal (QcType eseal), or QcCompliance alone. */
    assert_string_equal(FIT(SEAL_KU, "qcStatements", QC_ESEAL), "");
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:300A" QC_COMPLIANCE), "");
}

static void test_unfit(void **state)
{
    (void)state;
    /* A CA, even one allowed to sign. */
    assert_string_equal(FIT("basicConstraints", "critical,CA:TRUE", "keyUsage", "digitalSignature,keyCertSign"),
                        "signature.ca");
    /* No keyUsage, or one for another use. */
    assert_string_equal(FIT("basicConstraints", "CA:FALSE"), "signature.key_usage");
    assert_string_equal(FIT("keyUsage", "keyEncipherment,dataEncipherment"), "signature.key_usage");
    /* TLS and other purposes only. */
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "serverAuth"), "signature.ext_key_usage");
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "serverAuth,clientAuth,codeSigning,timeStamping,OCSPSigning"),
                        "signature.ext_key_usage");
    /* A person's qualified signing certificate: its EKU allows e-mail, its QcType says
     * it is a natural person's signature. */
    assert_string_equal(FIT(SEAL_KU, "extendedKeyUsage", "emailProtection,clientAuth", "qcStatements", QC_ESIGN),
                        "signature.esign");
    /* esign after eseal in one QcType, or after statements that carry information
     * (QcRetentionPeriod 0.4.0.1862.1.3, 10 years). */
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:301E" "301C060604008E4601063012" "060704008E46010602"
                                                     "060704008E46010601"),
                        "signature.esign");
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:302C" QC_COMPLIANCE "300B060604008E46010302010A"
                                                     QC_TYPE("01")),
                        "signature.esign");
}

static void test_unreadable_extensions(void **state)
{
    (void)state;
    /* QCStatements that are not DER, cut short, or of indefinite length. */
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:0403616263"), "signature.extensions");
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:3010300806"), "signature.extensions");
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:3080" "3008060604008E460101" "0000"), "signature.extensions");
    /* A QcType whose information is not a list of types. */
    assert_string_equal(FIT(SEAL_KU, "qcStatements", "DER:300A" "3008060604008E460106"), "signature.extensions");
    /* keyUsage twice: OpenSSL flags the certificate invalid. */
    assert_string_equal(FIT(SEAL_KU, "keyUsage", "keyEncipherment"), "signature.extensions");
}

static void test_prefix_and_reason(void **state)
{
    (void)state;
    struct certfit fit;
    X509 *x = cert_with("serveur", (const char *const[]){ SEAL_KU, "extendedKeyUsage", "serverAuth,clientAuth", NULL });
    assert_false(certfit_check(x, "seal", &fit));
    assert_string_equal(fit.code, "seal.ext_key_usage");
    assert_non_null(strstr(fit.reason, "serverAuth, clientAuth"));
    X509_free(x);
}

static void test_subject(void **state)
{
    (void)state;
    X509 *x = cert_with("Cachet de l'AC — Łódź", (const char *const[]){ SEAL_KU, NULL });
    char subject[256];
    /* RFC 2253: most specific first, specials escaped, UTF-8 kept. */
    certfit_subject(x, true, subject, sizeof subject);
    assert_string_equal(subject, "CN=Cachet de l'AC — Łódź,O=Autorité d'essai\\, Lyon,C=FR");
    certfit_subject(x, false, subject, sizeof subject);
    assert_string_equal(subject, "C = FR, O = \"Autorité d'essai, Lyon\", CN = Cachet de l'AC — Łódź");
    /* Cut to the buffer, still a string. */
    certfit_subject(x, true, subject, 8);
    assert_string_equal(subject, "CN=Cach");
    X509_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_seals),
        cmocka_unit_test(test_unfit),
        cmocka_unit_test(test_unreadable_extensions),
        cmocka_unit_test(test_prefix_and_reason),
        cmocka_unit_test(test_subject),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
