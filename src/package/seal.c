/* Seal keys and CAdES signatures with OpenSSL's CMS API. */
#include "seal.h"
#include "certfit.h"
#include "../util/diag.h"
#include "../util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Seal problems concern no input record: they carry a code and a message only. */
#define WHY(code, ...) do { diag_add(problems, (code), NULL, (struct source_loc){ 0 }, __VA_ARGS__); goto fail; } while (0)

static const char demo_ca_file[] = "demo-ca.pem";
static const char demo_key_file[] = "demo-seal-key.pem";
static const char demo_cert_file[] = SEAL_DEMO_CERT;

static void openssl_reason(char *buf, size_t size)
{
    unsigned long e = ERR_peek_last_error();
    if (e)
        ERR_error_string_n(e, buf, size);
    else
        snprintf(buf, size, "raison inconnue");
    ERR_clear_error();
}

static bool add_name(X509_NAME *name, const char *field, const char *value)
{
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0) == 1;
}

static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/* A certificate for KEY signed by ISSUER_KEY; demo material only. */
static X509 *make_cert(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, long serial,
                       const char *cn, bool ca)
{
    X509 *cert = X509_new();
    if (!cert)
        return NULL;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    /* Fixed validity: the demo seal must accept any --date a test or demo uses. */
    ASN1_TIME_set_string(X509_getm_notBefore(cert), "20000101000000Z");
    ASN1_TIME_set_string(X509_getm_notAfter(cert), "20491231235959Z");
    X509_NAME *name = X509_get_subject_name(cert);
    bool ok = add_name(name, "C", "FR") && add_name(name, "O", SEAL_DEMO_ORG) &&
              add_name(name, "CN", cn);
    ok = ok && X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) == 1;
    ok = ok && X509_set_pubkey(cert, key) == 1;
    X509 *signer = issuer ? issuer : cert;
    if (ca) {
        ok = ok && add_ext(cert, signer, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        ok = ok && add_ext(cert, signer, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(cert, signer, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    }
    ok = ok && add_ext(cert, signer, NID_subject_key_identifier, "hash") &&
         add_ext(cert, signer, NID_authority_key_identifier, "keyid:always");
    ok = ok && X509_sign(cert, issuer_key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

bool pem_write(const char *dir, const char *file, enum pem_kind kind, EVP_PKEY *key, X509 *cert)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    BIO *mem = BIO_new(BIO_s_mem());
    if (!mem)
        return false;
    bool ok = kind == PEM_PRIVATE_KEY ? PEM_write_bio_PrivateKey(mem, key, NULL, NULL, 0, NULL, NULL) == 1
            : kind == PEM_PUBLIC_KEY  ? PEM_write_bio_PUBKEY(mem, key) == 1
                                      : PEM_write_bio_X509(mem, cert) == 1;
    char *data;
    long len = BIO_get_mem_data(mem, &data);
    /* The demo keys are no secret worth the name, but a key file stays private. */
    ok = ok && file_write_atomic_mode(path, data, (size_t)len, kind == PEM_PRIVATE_KEY ? 0600 : 0644);
    BIO_free(mem);
    return ok;
}

static bool mkdir_p(const char *dir)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    return mkdir(buf, 0755) == 0 || errno == EEXIST;
}

bool seal_make_demo(const char *dir, struct dossier_problems *problems)
{
    char path[4096], lock_path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, demo_cert_file);
    if (access(path, R_OK) == 0)
        return true;
    EVP_PKEY *ca_key = NULL, *key = NULL;
    X509 *ca = NULL, *cert = NULL;
    int lock = -1;
    if (!mkdir_p(dir))
        WHY("seal.demo", "dossier du cachet de démonstration %s impossible à créer (%s)", dir, strerror(errno));
    /* Two builds starting at once must not each write half of a key pair. */
    snprintf(lock_path, sizeof lock_path, "%s/.lock", dir);
    lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0)
        WHY("seal.demo", "verrou du cachet de démonstration %s impossible (%s)", lock_path, strerror(errno));
    if (access(path, R_OK) == 0) {
        close(lock);
        return true;
    }
    /* RSA: its PKCS#1 v1.5 signatures are deterministic, so re-runs give the same bytes. */
    ca_key = EVP_RSA_gen(2048);
    key = EVP_RSA_gen(2048);
    if (!ca_key || !key)
        WHY("seal.demo", "génération des clés de démonstration impossible");
    ca = make_cert(ca_key, NULL, ca_key, 1, "Autorité de démonstration DEMO (dossier)", true);
    cert = ca ? make_cert(key, ca, ca_key, 2, SEAL_DEMO_CN, false) : NULL;
    if (!cert)
        WHY("seal.demo", "création des certificats de démonstration impossible");
    /* The certificate goes last: its presence means the set is complete. */
    if (!pem_write(dir, demo_ca_file, PEM_CERTIFICATE, NULL, ca) ||
        !pem_write(dir, demo_key_file, PEM_PRIVATE_KEY, key, NULL) ||
        !pem_write(dir, demo_cert_file, PEM_CERTIFICATE, NULL, cert))
        WHY("seal.demo", "écriture du cachet de démonstration dans %s impossible (%s)", dir, strerror(errno));
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(key);
    X509_free(ca);
    X509_free(cert);
    close(lock);
    return true;
fail:
    if (lock >= 0)
        close(lock);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(key);
    X509_free(ca);
    X509_free(cert);
    return false;
}

char *seal_passphrase(const char *pass_file, bool allow_open, struct dossier_problems *problems)
{
    if (pass_file) {
        /* The passphrase opens the key: kept as private as the key itself. */
        if (!key_file_private(pass_file, allow_open, "--seal-pass-file", problems))
            return NULL;
        size_t len;
        char *pass = file_read_all(pass_file, 4096, &len);
        if (!pass) {
            diag_add(problems, "seal.pass", NULL, (struct source_loc){ 0 },
                     "%s : fichier de phrase secrète illisible (%s)", pass_file, file_error(errno));
            return NULL;
        }
        /* The first line: its newline, and anything after, is not part of the secret. */
        pass[strcspn(pass, "\r\n")] = '\0';
        return pass;
    }
    const char *env = getenv("DOSSIER_SEAL_PASS");
    return strdup(env ? env : "");
}

BIO *pem_file_bio(const char *path, char **secret)
{
    size_t len;
    char *data = file_read_all(path, PEM_FILE_MAX, &len);
    if (!data)
        return NULL;
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    if (!bio) {
        free(data);
        return NULL;
    }
    /* The BIO reads DATA in place: the caller frees it (cleansed: it may be a key). */
    *secret = data;
    return bio;
}

void pem_file_done(BIO *bio, char *secret)
{
    BIO_free(bio);
    if (secret) {
        OPENSSL_cleanse(secret, strlen(secret));
        free(secret);
    }
}

X509 *pem_read_cert(const char *path, const char *what, struct dossier_problems *problems)
{
    char *buf = NULL;
    BIO *bio = pem_file_bio(path, &buf);
    X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    int e = errno;
    pem_file_done(bio, buf);
    ERR_clear_error();
    if (!cert)
        diag_add(problems, "seal.cert", NULL, (struct source_loc){ 0 }, "%s : %s illisible (%s)", path, what,
                 bio ? "PEM attendu" : file_error(e));
    return cert;
}

void cert_sha256_hex(X509 *cert, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    *out = '\0';
    if (X509_digest(cert, EVP_sha256(), md, &n) != 1 || n != 32)
        return;
    for (unsigned i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static STACK_OF(X509) *read_chain(const char *path)
{
    char *buf = NULL;
    BIO *bio = pem_file_bio(path, &buf);
    if (!bio)
        return NULL;
    STACK_OF(X509) *chain = sk_X509_new_null();
    X509 *x;
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
        sk_X509_push(chain, x);
    ERR_clear_error();
    pem_file_done(bio, buf);
    if (sk_X509_num(chain) == 0) {
        sk_X509_free(chain);
        return NULL;
    }
    return chain;
}

bool key_file_private(const char *path, bool allow, const char *option, struct dossier_problems *problems)
{
    struct stat st;
    if (allow || stat(path, &st) != 0 || !(st.st_mode & 077))
        return true;
    diag_add(problems, "key.mode", NULL, (struct source_loc){ path, 0, NULL },
             "%s accessible à d'autres utilisateurs (mode %04o) : chmod 600 %s (ou %s avec "
             "--allow-open-key, à vos risques)", strstr(option, "pass") ? "phrase secrète" : "clé privée",
             (unsigned)(st.st_mode & 07777), path, option);
    return false;
}

bool seal_load(struct seal *seal, const struct seal_files *files, const char *demo_dir,
               time_t date, struct dossier_problems *problems)
{
    memset(seal, 0, sizeof *seal);
    char key_path[4096], cert_path[4096], chain_path[4096];
    const char *chain_file = files->chain_path;
    char reason[256];
    char *pass = NULL;
    BIO *bio = NULL;
    if (!files->key_path) {
        if (!seal_make_demo(demo_dir, problems))
            return false;
        snprintf(key_path, sizeof key_path, "%s/%s", demo_dir, demo_key_file);
        snprintf(cert_path, sizeof cert_path, "%s/%s", demo_dir, demo_cert_file);
        snprintf(chain_path, sizeof chain_path, "%s/%s", demo_dir, demo_ca_file);
        chain_file = chain_path;
        seal->demo = true;
    } else {
        snprintf(key_path, sizeof key_path, "%s", files->key_path);
        snprintf(cert_path, sizeof cert_path, "%s", files->cert_path);
        if (!key_file_private(key_path, files->allow_open_key, "--seal-key", problems))
            return false;
    }

    seal->cert = pem_read_cert(cert_path, "certificat du cachet", problems);
    if (!seal->cert)
        goto fail;

    if (!seal->demo && !(pass = seal_passphrase(files->pass_file, files->allow_open_key, problems)))
        goto fail;
    char *key_pem = NULL;
    bio = pem_file_bio(key_path, &key_pem);
    if (!bio)
        WHY("seal.key", "%s : clé du cachet illisible (%s)", key_path, file_error(errno));
    ERR_clear_error();
    seal->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, pass ? pass : (char *)"");
    pem_file_done(bio, key_pem);
    bio = NULL;
    if (pass) {
        OPENSSL_cleanse(pass, strlen(pass));
        free(pass);
        pass = NULL;
    }
    if (!seal->key) {
        openssl_reason(reason, sizeof reason);
        WHY("seal.key", "%s : clé du cachet illisible ou phrase secrète incorrecte (--seal-pass-file ou DOSSIER_SEAL_PASS) [%s]",
            key_path, reason);
    }
    if (X509_check_private_key(seal->cert, seal->key) != 1) {
        ERR_clear_error();
        WHY("seal.mismatch", "la clé %s ne correspond pas au certificat %s", key_path, cert_path);
    }
    /* X509_cmp_time returns 0 on error (a date it cannot compare): never read as valid. */
    int from = X509_cmp_time(X509_get0_notBefore(seal->cert), &date);
    int to = X509_cmp_time(X509_get0_notAfter(seal->cert), &date);
    if (from == 0 || to == 0)
        WHY("seal.validity", "%s : validité du certificat du cachet impossible à comparer à la date des dossiers", cert_path);
    if (from > 0)
        WHY("seal.not_yet_valid", "%s : certificat du cachet pas encore valide à la date des dossiers", cert_path);
    if (to < 0)
        WHY("seal.expired", "%s : certificat du cachet expiré à la date des dossiers", cert_path);
    /* The rule verify applies: what build seals with, verify accepts. */
    struct certfit fit;
    if (!certfit_check(seal->cert, "seal", &fit))
        WHY(fit.code, "%s : le certificat %s : il ne peut pas sceller", cert_path, fit.reason);
    if (chain_file) {
        seal->chain = read_chain(chain_file);
        if (!seal->chain)
            WHY("seal.chain", "%s : chaîne de certificats illisible (PEM attendu)", chain_file);
    }
    BIO *mem = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(mem, X509_get_subject_name(seal->cert), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    int n = BIO_read(mem, seal->subject, (int)sizeof seal->subject - 1);
    seal->subject[n > 0 ? n : 0] = '\0';
    BIO_free(mem);
    cert_sha256_hex(seal->cert, seal->sha256);
    return true;
fail:
    if (pass) {
        OPENSSL_cleanse(pass, strlen(pass));
        free(pass);
    }
    seal_release(seal);
    return false;
}

void seal_release(struct seal *seal)
{
    EVP_PKEY_free(seal->key);
    X509_free(seal->cert);
    sk_X509_pop_free(seal->chain, X509_free);
    memset(seal, 0, sizeof *seal);
}

unsigned char *seal_sign(const struct seal *seal, const void *data, size_t len,
                         time_t signing_time, size_t *out_len)
{
    const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_CADES | CMS_NOSMIMECAP;
    unsigned char *out = NULL;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    BIO *content = BIO_new_mem_buf(data, (int)len);
    ASN1_TIME *when = ASN1_TIME_set(NULL, signing_time);
    if (!cms || !content || !when)
        goto done;
    /* CMS_CADES adds signing-certificate-v2; content-type and message-digest come
     * with any signed attributes. */
    CMS_SignerInfo *si = CMS_add1_signer(cms, seal->cert, seal->key, EVP_sha256(), flags);
    if (!si)
        goto done;
    /* OpenSSL would stamp "now"; the dossier date makes the seal reproducible. */
    if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when, -1))
        goto done;
    for (int i = 0; seal->chain && i < sk_X509_num(seal->chain); i++)
        if (X509_cmp(sk_X509_value(seal->chain, i), seal->cert) != 0)
            CMS_add1_cert(cms, sk_X509_value(seal->chain, i));
    if (CMS_final(cms, content, NULL, flags) != 1)
        goto done;
    int n = i2d_CMS_ContentInfo(cms, &out);
    if (n <= 0) {
        out = NULL;
        goto done;
    }
    *out_len = (size_t)n;
done:
    ERR_clear_error();
    ASN1_TIME_free(when);
    BIO_free(content);
    CMS_ContentInfo_free(cms);
    if (out) {
        /* i2d allocated with OPENSSL_malloc: hand back a malloc'd copy. */
        unsigned char *copy = malloc(*out_len);
        if (copy)
            memcpy(copy, out, *out_len);
        OPENSSL_free(out);
        return copy;
    }
    return NULL;
}
