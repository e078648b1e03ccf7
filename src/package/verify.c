/* Container verification: structure, mimetype, manifest digests, CAdES seal, its fitness, chain. */
#include "verify.h"
#include "asice.h"
#include "certfit.h"
#include "seal.h"
#include "zipwalk.h"
#include "../util/diag.h"
#include "../util/fileio.h"
#include "../util/sha256.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

void verify_problem(struct verify_result *r, const char *code, const char *format, ...)
{
    char message[600];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    diag_add(r->problems, code, NULL, (struct source_loc){ r->file, 0, NULL }, "%s", message);
    r->count++;
}

static bool name_is_unsafe(const char *name)
{
    if (!*name || name[0] == '/' || strchr(name, '\\') || (name[0] && name[1] == ':'))
        return true;
    for (const char *s = name; *s; s++)
        if ((unsigned char)*s < 0x20)
            return true;
    return path_has_dotdot(name);
}

struct entry {
    const char *name;
    unsigned char *data;
    size_t len;
    bool referenced;
    bool readable;
};

/* A document: a file outside META-INF, which EN 319 162-1 reserves. */
static bool is_data_entry(const char *name)
{
    size_t l = strlen(name);
    return strcmp(name, "mimetype") != 0 && strncmp(name, "META-INF/", 9) != 0 && l > 0 && name[l - 1] != '/';
}

/* EN 319 162-1 names the signature META-INF/…signature….p7s: neither a document nor
 * the manifest can stand for it (and so escape the manifest's digests). */
static bool is_signature_name(const char *name)
{
    size_t l = strlen(name);
    return strncmp(name, "META-INF/", 9) == 0 && !strchr(name + 9, '/') && strstr(name + 9, "signature") &&
           strcmp(name + l - 4, ".p7s") == 0;
}

static struct entry *find_entry(struct entry *entries, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(entries[i].name, name) == 0)
            return &entries[i];
    return NULL;
}

/* URI attribute to entry name: %XX decoded (names with spaces or accents). */
static void uri_to_name(const char *uri, char *out, size_t size)
{
    size_t o = 0;
    for (const char *s = uri; *s && o + 1 < size; s++) {
        if (s[0] == '%' && s[1] && s[2]) {
            char hex[3] = { s[1], s[2], 0 };
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0') {
                out[o++] = (char)v;
                s += 2;
                continue;
            }
        }
        out[o++] = *s;
    }
    out[o] = '\0';
}

static void strip_blanks(char *s)
{
    char *o = s;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
            *o++ = *s;
    *o = '\0';
}

static bool xml_named(const xmlNode *n, const char *name, const char *ns)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
           n->ns && strcmp((const char *)n->ns->href, ns) == 0;
}

static xmlNode *next_element(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static void schema_error(void *data, xmlErrorPtr e)
{
    struct verify_result *r = data;
    if (e->level != XML_ERR_WARNING)
        verify_problem(r, "manifest.schema", "manifeste non conforme au schéma ASiC (ligne %d) : %s", e->line,
                       e->message ? e->message : "");
}

/* Returns the signature entry's name named by the manifest, or NULL. */
static const char *check_manifest(struct entry *entries, size_t n, const struct entry *manifest,
                                  xmlSchemaPtr schema, struct verify_result *r, char *sig_name, size_t sig_size)
{
    const char *result = NULL;
    if (memmem(manifest->data, manifest->len, "<!DOCTYPE", 9)) {
        verify_problem(r, "manifest.dtd", "le manifeste contient une déclaration DOCTYPE (refusée)");
        return NULL;
    }
    xmlDocPtr doc = xmlReadMemory((const char *)manifest->data, (int)manifest->len, ASICE_MANIFEST, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        verify_problem(r, "manifest.syntax", "manifeste XML illisible ou mal formé");
        return NULL;
    }
    if (schema) {
        /* A compiled schema is shared; each validation has its own context. */
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        if (!vc)
            abort();
        xmlSchemaSetValidStructuredErrors(vc, schema_error, r);
        xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!xml_named(root, "ASiCManifest", ASICE_NS)) {
        verify_problem(r, "manifest.root", "l'élément racine du manifeste n'est pas ASiCManifest de l'espace de noms %s", ASICE_NS);
        goto done;
    }
    xmlNode *first = next_element(root->children);
    if (!xml_named(first, "SigReference", ASICE_NS)) {
        verify_problem(r, "manifest.sigreference", "le manifeste ne commence pas par SigReference");
    } else {
        xmlChar *uri = xmlGetProp(first, BAD_CAST "URI");
        if (uri) {
            uri_to_name((const char *)uri, sig_name, sig_size);
            if (!is_signature_name(sig_name))
                verify_problem(r, "manifest.sigreference", "SigReference désigne « %s » : la signature doit être un fichier "
                               "META-INF/…signature….p7s", sig_name);
            else if (find_entry(entries, n, sig_name))
                result = sig_name;
            else
                verify_problem(r, "manifest.sigreference", "la signature « %s » annoncée par le manifeste est absente", sig_name);
        } else {
            verify_problem(r, "manifest.sigreference", "SigReference sans attribut URI");
        }
        xmlFree(uri);
    }
    const char *ds = "http://www.w3.org/2000/09/xmldsig#";
    for (xmlNode *ref = next_element(root->children); ref; ref = next_element(ref->next)) {
        if (!xml_named(ref, "DataObjectReference", ASICE_NS))
            continue;
        xmlChar *uri = xmlGetProp(ref, BAD_CAST "URI");
        char name[1024];
        uri_to_name(uri ? (const char *)uri : "", name, sizeof name);
        xmlFree(uri);
        struct entry *e = find_entry(entries, n, name);
        if (!e) {
            verify_problem(r, "manifest.missing_entry", "le manifeste référence « %s », absent du conteneur", name);
            continue;
        }
        if (!is_data_entry(name)) {
            verify_problem(r, "manifest.missing_entry", "le manifeste référence « %s », qui ne peut pas être un document "
                           "(dossier META-INF réservé, dossier, ou mimetype)", name);
            continue;
        }
        if (e->referenced)
            verify_problem(r, "manifest.duplicate", "« %s » est référencé deux fois dans le manifeste", name);
        e->referenced = true;
        xmlNode *method = next_element(ref->children);
        xmlNode *value = method ? next_element(method->next) : NULL;
        xmlChar *alg = xml_named(method, "DigestMethod", ds) ? xmlGetProp(method, BAD_CAST "Algorithm") : NULL;
        if (!alg || strcmp((const char *)alg, "http://www.w3.org/2001/04/xmlenc#sha256") != 0) {
            verify_problem(r, "manifest.algorithm", "« %s » : empreinte absente ou algorithme non pris en charge (SHA-256 attendu)", name);
            xmlFree(alg);
            continue;
        }
        xmlFree(alg);
        xmlChar *text = xml_named(value, "DigestValue", ds) ? xmlNodeGetContent(value) : NULL;
        char want[64] = "";
        if (text) {
            snprintf(want, sizeof want, "%s", (const char *)text);
            strip_blanks(want);
        }
        xmlFree(text);
        if (!e->readable)
            continue;   /* already reported as corrupt */
        unsigned char digest[32], b64[64];
        sha256_raw(e->data, e->len, digest);
        EVP_EncodeBlock(b64, digest, 32);
        if (strcmp(want, (const char *)b64) != 0)
            verify_problem(r, "digest.mismatch", "« %s » : l'empreinte SHA-256 ne correspond pas au manifeste (document modifié)", name);
    }
    /* Everything else must be sealed as a document: an extra META-INF entry (another
     * manifest or signature, a PDF) or a folder entry is no exception. Entries
     * already reported corrupt have no name; when the manifest names no signature
     * (manifest.sigreference), the files that could be it are not listed again. */
    for (size_t i = 0; i < n; i++) {
        const char *name = entries[i].name;
        bool signature = result ? strcmp(name, result) == 0 : is_signature_name(name);
        if (!entries[i].referenced && name[0] && strcmp(name, "mimetype") != 0 && strcmp(name, ASICE_MANIFEST) != 0 &&
            !signature)
            verify_problem(r, "manifest.unreferenced", "« %s » est dans le conteneur mais pas dans le manifeste (ajouté ?)", name);
    }
done:
    xmlFreeDoc(doc);
    return result;
}

static void check_signature(const struct entry *sig, const struct entry *manifest, const char *ca_path,
                            struct verify_result *r)
{
    const unsigned char *p = sig->data;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig->len);
    X509_STORE *store = NULL;
    BIO *content = NULL;
    if (!cms) {
        verify_problem(r, "signature.syntax", "« %s » n'est pas une signature CMS lisible (DER)", sig->name);
        goto done;
    }
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    if (!signers || sk_CMS_SignerInfo_num(signers) != 1) {
        verify_problem(r, "signature.signers", "la signature doit avoir exactement un signataire");
        goto done;
    }
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(signers, 0);
    static const struct { int nid; const char *name; } required[] = {
        { NID_pkcs9_contentType, "content-type" },
        { NID_pkcs9_messageDigest, "message-digest" },
        { NID_pkcs9_signingTime, "signing-time" },
        { NID_id_smime_aa_signingCertificateV2, "signing-certificate-v2" },
    };
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (CMS_signed_get_attr_by_NID(si, required[i].nid, -1) < 0)
            verify_problem(r, "signature.attributes", "attribut signé %s absent : ce n'est pas une signature CAdES-B-B", required[i].name);
    int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (at >= 0) {
        ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
        if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME)) {
            BIO *m = BIO_new(BIO_s_mem());
            ASN1_TIME_print(m, t->value.utctime);
            int k = BIO_read(m, r->signing_time, (int)sizeof r->signing_time - 1);
            r->signing_time[k > 0 ? k : 0] = '\0';
            BIO_free(m);
        }
    }

    content = BIO_new_mem_buf(manifest->data, (int)manifest->len);
    store = X509_STORE_new();
    unsigned flags = CMS_BINARY | CMS_DETACHED;
    if (ca_path) {
        if (X509_STORE_load_file(store, ca_path) != 1) {
            verify_problem(r, "ca.unreadable", "%s : certificats de confiance illisibles (PEM attendu)", ca_path);
            goto done;
        }
        /* The chain is checked for trust only: OpenSSL's S/MIME purpose would refuse a
         * document-signing seal and accept a customer's e-mail certificate, so what a
         * seal may be is certfit_check's explicit rule, applied below. */
        X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
        /* With a chain, OpenSSL also matches signing-certificate-v2 to the signer. */
        flags |= CMS_CADES;
    } else {
        flags |= CMS_NO_SIGNER_CERT_VERIFY;
    }
    ERR_clear_error();
    if (CMS_verify(cms, NULL, store, content, NULL, flags) != 1) {
        unsigned long e = ERR_peek_last_error();
        char reason[256];
        ERR_error_string_n(e, reason, sizeof reason);
        if (ERR_GET_REASON(e) == CMS_R_CERTIFICATE_VERIFY_ERROR)
            verify_problem(r, "signature.untrusted", "le certificat du cachet n'est pas reconnu par l'autorité de confiance %s (%s)", ca_path, reason);
        else
            verify_problem(r, "signature.invalid", "le cachet ne vérifie pas le manifeste : signature invalide ou manifeste modifié (%s)", reason);
    } else {
        r->chain_checked = ca_path != NULL;
    }
    STACK_OF(X509) *certs = CMS_get0_signers(cms);
    if (certs && sk_X509_num(certs) > 0) {
        X509 *signer = sk_X509_value(certs, 0);
        cert_sha256_hex(signer, r->signer_sha256);
        certfit_subject(signer, false, r->signer, sizeof r->signer);
        certfit_subject(signer, true, r->signer_rfc2253, sizeof r->signer_rfc2253);
        /* Whoever the CA is, a certificate it issued for another use does not seal. */
        struct certfit fit;
        if (!certfit_check(signer, "signature", &fit))
            verify_problem(r, fit.code, "le certificat du cachet %s : il ne peut pas sceller un dossier", fit.reason);
    } else if (r->count == 0) {
        verify_problem(r, "signature.certificate", "le certificat du cachet n'est pas inclus dans la signature");
    }
    sk_X509_free(certs);
done:
    ERR_clear_error();
    X509_STORE_free(store);
    BIO_free(content);
    CMS_ContentInfo_free(cms);
}

void verify_container(const unsigned char *data, size_t len, xmlSchemaPtr schema, const char *ca_path,
                      struct verify_result *r)
{
    struct entry *entries = NULL;
    zip_int64_t count = 0;
    zipwalk_check_mimetype(data, len, r);
    enum zipwalk_status structure = zipwalk_check(data, len, VERIFY_MAX_ENTRIES, r);
    if (structure == ZIPWALK_UNREADABLE)
        return;

    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &error);
    /* The walk has named what is wrong with the structure; libzip's consistency check
     * would only add "inconsistent" to it and hide the rest of the checks. */
    int open_flags = ZIP_RDONLY | (structure == ZIPWALK_SOUND ? ZIP_CHECKCONS : 0);
    zip_t *za = src ? zip_open_from_source(src, open_flags, &error) : NULL;
    /* With ZIP_CHECKCONS libzip refuses a duplicate name ("File already exists") once
     * its consistency checks have passed: reopen without them so that the loop below
     * names the duplicate (name.duplicate) and the rest is still checked. */
    if (!za && src && zip_error_code_zip(&error) == ZIP_ER_EXISTS) {
        zip_error_fini(&error);
        zip_error_init(&error);
        za = zip_open_from_source(src, ZIP_RDONLY, &error);
    }
    if (!za) {
        verify_problem(r, "zip.corrupt", "conteneur ZIP illisible : %s", zip_error_strerror(&error));
        if (src)
            zip_source_free(src);
        zip_error_fini(&error);
        return;
    }
    count = zip_get_num_entries(za, 0);
    if (count > VERIFY_MAX_ENTRIES) {
        verify_problem(r, "zip.too_many_entries", "%lld entrées (limite %d)", (long long)count, VERIFY_MAX_ENTRIES);
        goto done;
    }
    zip_uint64_t total = 0;
    entries = calloc((size_t)count + 1, sizeof *entries);
    if (!entries)
        abort();
    for (zip_int64_t i = 0; i < count; i++) {
        struct entry *e = &entries[i];
        zip_stat_t st;
        e->name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!e->name || zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
            e->name = "";
            verify_problem(r, "entry.corrupt", "entrée %lld illisible", (long long)i);
            continue;
        }
        if (name_is_unsafe(e->name))
            verify_problem(r, "name.unsafe", "nom d'entrée dangereux « %s » (chemin absolu, « .. » ou « \\ »)", e->name);
        for (zip_int64_t k = 0; k < i; k++)
            if (strcmp(entries[k].name, e->name) == 0)
                verify_problem(r, "name.duplicate", "l'entrée « %s » apparaît deux fois", e->name);
        if (i > 0 && strcmp(e->name, "mimetype") == 0)
            verify_problem(r, "mimetype.first", "une entrée « mimetype » apparaît en position %lld (elle doit être la première)", (long long)i + 1);
        if (st.size > VERIFY_MAX_ENTRY_BYTES || total + st.size > VERIFY_MAX_TOTAL_BYTES ||
            (st.size > 1024 * 1024 && st.comp_size > 0 && st.size / st.comp_size > VERIFY_MAX_RATIO)) {
            verify_problem(r, "zip.bomb", "« %s » : taille décompressée %llu octets hors limites (bombe de décompression ?)",
                           e->name, (unsigned long long)st.size);
            continue;
        }
        total += st.size;
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        e->data = malloc(st.size ? st.size : 1);
        if (!e->data)
            abort();
        zip_int64_t got = f ? zip_fread(f, e->data, st.size) : -1;
        /* libzip checks the CRC when the whole entry has been read. */
        char probe;
        bool ok = f && got >= 0 && (zip_uint64_t)got == st.size && zip_fread(f, &probe, 1) == 0;
        if (f)
            zip_fclose(f);
        if (!ok) {
            verify_problem(r, "entry.corrupt", "« %s » : contenu altéré ou illisible (contrôle CRC du ZIP en échec)", e->name);
            continue;
        }
        e->len = (size_t)st.size;
        e->readable = true;
        if (is_data_entry(e->name))
            r->documents++;
    }

    struct entry *manifest = find_entry(entries, (size_t)count, ASICE_MANIFEST);
    if (!manifest) {
        verify_problem(r, "manifest.missing", "manifeste %s absent", ASICE_MANIFEST);
        goto done;
    }
    if (!manifest->readable)
        goto done;
    char sig_name[1024];
    const char *sig = check_manifest(entries, (size_t)count, manifest, schema, r, sig_name, sizeof sig_name);
    struct entry *sig_entry = sig ? find_entry(entries, (size_t)count, sig) : NULL;
    if (sig_entry && sig_entry->readable)
        check_signature(sig_entry, manifest, ca_path, r);
    else if (!sig && !find_entry(entries, (size_t)count, ASICE_SIGNATURE))
        verify_problem(r, "signature.missing", "signature %s absente", ASICE_SIGNATURE);
done:
    for (zip_int64_t i = 0; entries && i < count; i++)
        free(entries[i].data);
    free(entries);
    zip_discard(za);
    zip_error_fini(&error);
}
