/* Whether a certificate may seal dossiers, and its subject: the rules build and verify
 * share, so that what build refuses to seal with, verify refuses to accept. */
#ifndef DOSSIER_CERTFIT_H
#define DOSSIER_CERTFIT_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>

struct certfit {
    char code[48];          /* PREFIX.ca, .key_usage, .ext_key_usage, .esign, .extensions */
    char reason[400];       /* French, of "le certificat …": "n'autorise ni digitalSignature …" */
};

/* True when CERT is fit to seal: not a CA (basicConstraints), keyUsage present with
 * digitalSignature or nonRepudiation, extendedKeyUsage (if any) allowing
 * emailProtection, document signing or any purpose, and no QCStatements QcType of a
 * natural person's e-signature (a customer's signing certificate is not the
 * authority's seal). Else false with the first flaw in FIT, its code prefixed with
 * CODE_PREFIX ("seal", "signature"). */
bool certfit_check(X509 *cert, const char *code_prefix, struct certfit *fit);

/* CERT's subject, UTF-8, cut to SIZE: in RFC 2253 form ("CN=…,O=…,C=FR") for a pin,
 * else on one line for people ("C = FR, O = …, CN = …"). */
void certfit_subject(X509 *cert, bool rfc2253, char *out, size_t size);

#endif
