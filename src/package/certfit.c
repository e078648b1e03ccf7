/* Fitness of a seal certificate (basicConstraints, keyUsage, extendedKeyUsage, QcType)
 * and its subject. A CA issues its customers signing and TLS certificates under the
 * same root as its seal: the chain alone does not tell them apart. */
#include "certfit.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Purposes under which a certificate may seal documents: S/MIME signing (what
 * `openssl cms -verify` expects), document signing (RFC 9336, and Microsoft's), any. */
static const char *const sealing_purposes[] = {
    "1.3.6.1.5.5.7.3.4",        /* emailProtection */
    "1.3.6.1.5.5.7.3.36",       /* id-kp-documentSigning */
    "1.3.6.1.4.1.311.10.3.12",  /* Microsoft document signing */
    "2.5.29.37.0",              /* anyExtendedKeyUsage */
};

/* ETSI EN 319 412-5 object identifiers, DER content bytes. */
static const unsigned char oid_qc_type[] = { 0x04, 0x00, 0x8e, 0x46, 0x01, 0x06 };          /* 0.4.0.1862.1.6 */
static const unsigned char oid_qct_esign[] = { 0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x01 };  /* 0.4.0.1862.1.6.1 */

__attribute__((format(printf, 4, 5)))
static bool unfit(struct certfit *fit, const char *prefix, const char *flaw, const char *format, ...)
{
    snprintf(fit->code, sizeof fit->code, "%s.%s", prefix, flaw);
    va_list ap;
    va_start(ap, format);
    vsnprintf(fit->reason, sizeof fit->reason, format, ap);
    va_end(ap);
    return false;
}

/* The DER element at *P (within *LEFT bytes) with its content in CONTENT, LEN; *P and
 * *LEFT move past it. False if malformed, of indefinite length, or not of TAG. */
static bool der_next(const unsigned char **p, long *left, int tag, const unsigned char **content, long *len)
{
    const unsigned char *q = *p;
    int got_tag, cls;
    int ret = ASN1_get_object(&q, len, &got_tag, &cls, *left);
    ERR_clear_error();
    if ((ret & 0x80) || (ret & 0x01) || cls != V_ASN1_UNIVERSAL || got_tag != tag)
        return false;
    *content = q;
    *left -= (long)(q - *p) + *len;
    *p = q + *len;
    return true;
}

static bool oid_is(const unsigned char *oid, long len, const unsigned char *want, size_t want_len)
{
    return (size_t)len == want_len && memcmp(oid, want, want_len) == 0;
}

/* 1 when CERT's QCStatements declare the QcType esign, 0 if not, -1 if unreadable.
 * QCStatements ::= SEQUENCE OF SEQUENCE { statementId OID, statementInfo ANY OPTIONAL };
 * QcType's statementInfo is a SEQUENCE OF OID. OpenSSL does not decode them. */
static int qc_declares_esign(X509 *cert)
{
    int at = X509_get_ext_by_NID(cert, NID_qcStatements, -1);
    if (at < 0)
        return 0;
    const ASN1_OCTET_STRING *value = X509_EXTENSION_get_data(X509_get_ext(cert, at));
    const unsigned char *p = ASN1_STRING_get0_data(value), *list, *statement, *id, *types;
    long left = ASN1_STRING_length(value), list_len, statement_len, id_len, types_len;
    if (!der_next(&p, &left, V_ASN1_SEQUENCE, &list, &list_len) || left != 0)
        return -1;
    while (list_len > 0) {
        if (!der_next(&list, &list_len, V_ASN1_SEQUENCE, &statement, &statement_len) ||
            !der_next(&statement, &statement_len, V_ASN1_OBJECT, &id, &id_len))
            return -1;
        if (!oid_is(id, id_len, oid_qc_type, sizeof oid_qc_type))
            continue;
        if (!der_next(&statement, &statement_len, V_ASN1_SEQUENCE, &types, &types_len))
            return -1;
        while (types_len > 0) {
            if (!der_next(&types, &types_len, V_ASN1_OBJECT, &id, &id_len))
                return -1;
            if (oid_is(id, id_len, oid_qct_esign, sizeof oid_qct_esign))
                return 1;
        }
    }
    return 0;
}

/* True when the extendedKeyUsage EKU allows sealing; NAMES gets its purposes. */
static bool eku_allows_sealing(const EXTENDED_KEY_USAGE *eku, char *names, size_t size)
{
    bool allowed = false;
    names[0] = '\0';
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
        const ASN1_OBJECT *purpose = sk_ASN1_OBJECT_value(eku, i);
        char dotted[80];
        OBJ_obj2txt(dotted, sizeof dotted, purpose, 1);
        for (size_t k = 0; k < sizeof sealing_purposes / sizeof *sealing_purposes; k++)
            allowed |= strcmp(dotted, sealing_purposes[k]) == 0;
        int nid = OBJ_obj2nid(purpose);
        size_t used = strlen(names);
        snprintf(names + used, size - used, "%s%s", used ? ", " : "", nid != NID_undef ? OBJ_nid2sn(nid) : dotted);
    }
    return allowed;
}

bool certfit_check(X509 *cert, const char *prefix, struct certfit *fit)
{
    fit->code[0] = fit->reason[0] = '\0';
    uint32_t flags = X509_get_extension_flags(cert);
    /* OpenSSL sets it for an unreadable basicConstraints, keyUsage or
     * extendedKeyUsage, and for any extension present twice. */
    if (flags & EXFLAG_INVALID)
        return unfit(fit, prefix, "extensions", "a des extensions illisibles ou en double");
    if (flags & EXFLAG_CA)
        return unfit(fit, prefix, "ca", "est celui d'une autorité de certification (basicConstraints CA:TRUE), "
                     "pas celui d'un cachet");
    if (!(flags & EXFLAG_KUSAGE))
        return unfit(fit, prefix, "key_usage", "n'a pas d'extension keyUsage (digitalSignature ou nonRepudiation requis)");
    if (!(X509_get_key_usage(cert) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        return unfit(fit, prefix, "key_usage", "n'autorise ni digitalSignature ni nonRepudiation (keyUsage)");
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
    if (eku) {
        char names[256];
        bool allowed = eku_allows_sealing(eku, names, sizeof names);
        sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
        if (!allowed)
            return unfit(fit, prefix, "ext_key_usage", "est réservé à d'autres usages (extendedKeyUsage : %s) : ni "
                         "emailProtection, ni signature de documents", names);
    }
    int esign = qc_declares_esign(cert);
    if (esign < 0)
        return unfit(fit, prefix, "extensions", "a une extension QCStatements illisible");
    if (esign)
        return unfit(fit, prefix, "esign", "est celui de la signature d'une personne physique (QCStatements : QcType "
                     "esign), pas le cachet d'une autorité");
    return true;
}

void certfit_subject(X509 *cert, bool rfc2253, char *out, size_t size)
{
    /* Without ESC_MSB the UTF-8 stays as it is: "Autorité", not "Autorit\C3\A9". */
    unsigned long flags = (rfc2253 ? XN_FLAG_RFC2253 : XN_FLAG_ONELINE) & ~ASN1_STRFLGS_ESC_MSB;
    out[0] = '\0';
    BIO *m = BIO_new(BIO_s_mem());
    if (!m)
        return;
    X509_NAME_print_ex(m, X509_get_subject_name(cert), 0, flags);
    int k = BIO_read(m, out, (int)size - 1);
    out[k > 0 ? k : 0] = '\0';
    BIO_free(m);
}
