/* Ed25519 keys of the tracking codes, with OpenSSL 3. */
#include "codekey.h"
#include "seal.h"
#include "../util/diag.h"
#include "../util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define WHY(code, ...) do { diag_add(problems, (code), NULL, (struct source_loc){ 0 }, __VA_ARGS__); goto fail; } while (0)

/* Fills K's raw public key and id from K->key; false unless it is Ed25519. */
static bool finish(struct code_key *k)
{
    size_t len = sizeof k->pub;
    if (EVP_PKEY_get_base_id(k->key) != EVP_PKEY_ED25519 ||
        EVP_PKEY_get_raw_public_key(k->key, k->pub, &len) != 1 || len != sizeof k->pub)
        return false;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(k->pub, sizeof k->pub, digest);
    snprintf(k->id, sizeof k->id, "%02X%02X%02X%02X", digest[0], digest[1], digest[2], digest[3]);
    return true;
}

/* OpenSSL must never prompt on the terminal for a passphrase. */
static int no_prompt(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

bool codekey_load_private(struct code_key *k, const char *path, const char *pass,
                          struct dossier_problems *problems)
{
    memset(k, 0, sizeof *k);
    char *pem = NULL;
    BIO *bio = pem_file_bio(path, &pem);
    if (!bio)
        WHY("code.key", "%s : clé des codes de suivi illisible (%s)", path, file_error(errno));
    ERR_clear_error();
    k->key = pass ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)pass)
                  : PEM_read_bio_PrivateKey(bio, NULL, no_prompt, NULL);
    pem_file_done(bio, pem);
    ERR_clear_error();
    if (!k->key)
        WHY("code.key", "%s : clé des codes de suivi illisible (clé privée PEM Ed25519 attendue, non chiffrée "
                        "ou avec la phrase secrète du cachet)", path);
    if (!finish(k))
        WHY("code.key", "%s : la clé des codes de suivi doit être une clé Ed25519 "
                        "(openssl genpkey -algorithm ED25519)", path);
    k->can_sign = true;
    return true;
fail:
    codekey_release(k);
    return false;
}

bool codekey_load_public(struct code_key *k, const char *path, struct dossier_problems *problems)
{
    memset(k, 0, sizeof *k);
    size_t len;
    char *pem = file_read_all(path, 65536, &len);
    if (!pem)
        WHY("code.pubkey", "%s : clé publique illisible (%s)", path, file_error(errno));
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    k->key = bio ? PEM_read_bio_PUBKEY(bio, NULL, no_prompt, NULL) : NULL;
    if (!k->key && bio) {
        /* The private key file holds the public key too. */
        (void)BIO_reset(bio);
        k->key = PEM_read_bio_PrivateKey(bio, NULL, no_prompt, NULL);
    }
    BIO_free(bio);
    free(pem);
    ERR_clear_error();
    if (!k->key)
        WHY("code.pubkey", "%s : clé publique illisible (PEM attendu : openssl pkey -pubout)", path);
    if (!finish(k))
        WHY("code.pubkey", "%s : clé Ed25519 attendue", path);
    return true;
fail:
    codekey_release(k);
    return false;
}

bool codekey_from_raw(struct code_key *k, const unsigned char pub[CODEKEY_PUBLIC_LEN])
{
    memset(k, 0, sizeof *k);
    k->key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, CODEKEY_PUBLIC_LEN);
    if (k->key && finish(k))
        return true;
    codekey_release(k);
    return false;
}

void codekey_release(struct code_key *k)
{
    EVP_PKEY_free(k->key);
    memset(k, 0, sizeof *k);
}

bool codekey_make_demo(const char *dir, struct dossier_problems *problems)
{
    char path[4096], lock_path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, CODEKEY_DEMO_PRIVATE);
    if (access(path, R_OK) == 0)
        return true;
    EVP_PKEY *key = NULL;
    snprintf(lock_path, sizeof lock_path, "%s/.lock", dir);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0)
        WHY("code.demo", "verrou de la clé de démonstration %s impossible (%s)", lock_path, strerror(errno));
    if (access(path, R_OK) == 0) {
        close(lock);
        return true;
    }
    key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    /* The public key first: the private key's presence means the pair is complete. */
    if (!key || !pem_write(dir, CODEKEY_DEMO_PUBLIC, PEM_PUBLIC_KEY, key, NULL) ||
        !pem_write(dir, CODEKEY_DEMO_PRIVATE, PEM_PRIVATE_KEY, key, NULL))
        WHY("code.demo", "clé de démonstration des codes de suivi impossible à écrire dans %s (%s)", dir,
            strerror(errno));
    EVP_PKEY_free(key);
    close(lock);
    return true;
fail:
    if (lock >= 0)
        close(lock);
    EVP_PKEY_free(key);
    return false;
}

bool codekey_sign(const struct code_key *k, const void *msg, size_t len, unsigned char sig[CODEKEY_SIGNATURE_LEN])
{
    if (!k->can_sign)
        return false;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t sig_len = CODEKEY_SIGNATURE_LEN;
    bool ok = md && EVP_DigestSignInit(md, NULL, NULL, NULL, k->key) == 1 &&
              EVP_DigestSign(md, sig, &sig_len, msg, len) == 1 && sig_len == CODEKEY_SIGNATURE_LEN;
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return ok;
}

bool codekey_verify(const struct code_key *k, const void *msg, size_t len,
                    const unsigned char sig[CODEKEY_SIGNATURE_LEN])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k->key) == 1 &&
              EVP_DigestVerify(md, sig, CODEKEY_SIGNATURE_LEN, msg, len) == 1;
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return ok;
}
