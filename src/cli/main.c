/* Command line: parses options and calls one function per subcommand, each a
 * client of libdossier's public API (dossier.h) and of nothing else. */
#include "batch.h"

#include <dossier.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_main[] =
    "Usage : dossier COMMANDE [OPTIONS] ...\n"
    "\n"
    "Produit les dossiers de demande de certificat électronique (formulaire d'abonnement,\n"
    "CGU, pièces justificatives) et leur conteneur scellé ASiC-E.\n"
    "\n"
    "Commandes :\n"
    "  build ENTRÉE...       valide, compose et scelle les dossiers\n"
    "  validate ENTRÉE...    valide seulement les demandes\n"
    "  verify FICHIER.zip... vérifie un conteneur scellé\n"
    "  track CODE            décode et contrôle un code de suivi (QR)\n"
    "  check-scan SCAN... CONTENEUR.zip...  contrôle un dossier papier retourné et numérisé\n"
    "  report-merge -o DIR DOSSIER...  réunit les rapports des tranches d'un lot (--shard)\n"
    "\n"
    "  dossier COMMANDE --help   aide d'une commande\n"
    "  dossier --version         version\n"
    "\n"
    "Codes de sortie : 0 tout est fait, 1 des demandes rejetées (les autres faites),\n"
    "2 erreur d'utilisation, de configuration ou d'environnement (rien n'est écrit),\n"
    "3 lot arrêté avant la fin (signal, disque plein) : le rapport dit ce qui est fait.\n";

static const char usage_build[] =
    "Usage : dossier build [OPTIONS] ENTRÉE...\n"
    "\n"
    "ENTRÉE : fichiers de demandes CSV (séparateur ; ou ,) ou XML (<demandes>).\n"
    "\n"
    "  -o, --output DIR        dossier de sortie (défaut : ./dossiers)\n"
    "  -j, --jobs N            nombre de processus de travail (défaut : nombre de cœurs)\n"
    "      --seal-key FICHIER  clé privée PEM du cachet\n"
    "      --seal-cert FICHIER certificat PEM du cachet\n"
    "      --seal-chain FICHIER certificats intermédiaires PEM à joindre\n"
    "      --allow-open-key    accepter une clé privée lisible par d'autres utilisateurs\n"
    "      --mode MODE         droits des fichiers écrits, en octal (défaut : 0640, car ils\n"
    "                          contiennent des données personnelles)\n"
    "      --code-key FICHIER  clé privée Ed25519 (PEM) qui signe le code de suivi de chaque page\n"
    "                          (défaut : la clé de démonstration avec le cachet de démonstration ;\n"
    "                          obligatoire avec un vrai cachet, sauf --unsigned-codes)\n"
    "      --unsigned-codes    avec un vrai cachet et sans --code-key : codes de suivi non signés\n"
    "                          (DSR1, une clé de contrôle que chacun peut calculer)\n"
    "      --seal-pass-file FICHIER  phrase secrète de la clé (ou variable DOSSIER_SEAL_PASS)\n"
    "      --templates DIR     modèles (défaut : templates/ du projet)\n"
    "      --date DATE         date des dossiers : AAAA-MM-JJ, AAAA-MM-JJTHH:MM:SSZ ou @SECONDES\n"
    "                          (défaut : SOURCE_DATE_EPOCH, sinon maintenant)\n"
    "      --flow papier|demat impose le circuit (sinon le champ « papier » de chaque demande)\n"
    "      --pieces-dir DIR    racine des pièces jointes (défaut : dossier du fichier d'entrée)\n"
    "      --ignore-unknown    ignorer les colonnes CSV inconnues\n"
    "      --resume            reprendre un lot arrêté : les demandes que le journal du dossier\n"
    "                          de sortie prouve faites (taille et SHA-256) sont sautées\n"
    "      --shard K/N         ne traiter que la tranche K des N tranches du lot (par numéro)\n"
    "      --timeout SECONDES  durée maximale d'une demande (défaut : 300)\n"
    "      --stdout            une seule demande (fichier, ou - pour l'entrée standard) :\n"
    "                          son PDF d'impression sur la sortie standard\n"
    "      --zip               avec --stdout : le conteneur scellé au lieu du PDF\n"
    "  -q, --quiet             n'afficher que les erreurs\n"
    "  -h, --help              cette aide\n"
    "\n"
    "Sans --seal-key, un cachet de démonstration est créé une fois (sujet « DEMO ») :\n"
    "les dossiers le signalent.\n";

static const char usage_validate[] =
    "Usage : dossier validate [OPTIONS] ENTRÉE...\n"
    "\n"
    "Contrôle chaque demande sans rien produire ; chaque problème est affiché sous la forme\n"
    "FICHIER:LIGNE: champ: message [code].\n"
    "\n"
    "  -o, --output DIR        écrire aussi report.json et report.csv dans DIR\n"
    "      --mode MODE         droits des rapports, en octal (défaut : 0640)\n"
    "      --templates DIR     modèles (défaut : templates/ du projet)\n"
    "      --pieces-dir DIR    racine des pièces jointes (défaut : dossier du fichier d'entrée)\n"
    "      --ignore-unknown    ignorer les colonnes CSV inconnues\n"
    "  -q, --quiet             n'afficher que les erreurs\n"
    "  -h, --help              cette aide\n";

static const char usage_verify[] =
    "Usage : dossier verify [--ca FICHIER] [ÉPINGLE] FICHIER.zip...\n"
    "\n"
    "Vérifie un conteneur ASiC-E : structure ZIP (rien de caché, chaque entrée couverte par\n"
    "le manifeste), entrée mimetype, manifeste, empreinte de chaque document, cachet CAdES,\n"
    "certificat du cachet apte à sceller (et sa chaîne jusqu'à --ca si donné) et, si le\n"
    "certificat du cachet est épinglé, que c'est bien lui. Une ligne par problème ; code de\n"
    "sortie 0 si tout est bon, 1 sinon, 2 si illisible.\n"
    "\n"
    "      --ca FICHIER        certificat(s) PEM de l'autorité de confiance\n"
    "      --seal-cert-fingerprint SHA256  empreinte SHA-256 du certificat du cachet attendu\n"
    "      --seal-cert FICHIER certificat PEM du cachet attendu (son empreinte)\n"
    "      --seal-subject SUJET  sujet exact du certificat du cachet attendu\n"
    "  -h, --help              cette aide\n"
    "\n"
    "L'autorité délivre aussi des certificats à ses clients : sans épingle, tout certificat\n"
    "apte à sceller qu'elle a émis passe. Épinglez le cachet (voir le README, Hardening).\n";

static const char usage_merge[] =
    "Usage : dossier report-merge -o DIR DOSSIER...\n"
    "\n"
    "Réunit les rapports (report.json, report.csv) des tranches d'un lot construites\n"
    "séparément (build --shard K/N -o DOSSIER) en ceux du lot entier, dans DIR.\n";

static const char usage_track[] =
    "Usage : dossier track [--pubkey FICHIER] CODE\n"
    "\n"
    "Décode le code de suivi d'une page (texte de son QR code). Un code signé (DSR2) est\n"
    "vérifié avec la clé publique des codes de l'autorité (--pubkey, PEM), sinon avec la\n"
    "clé de démonstration si elle existe ; un code non signé (DSR1) par sa clé de contrôle.\n"
    "\n"
    "  --pubkey FICHIER   clé publique Ed25519 des codes (openssl pkey -pubout)\n"
    "  --templates DIR    (ignoré ; accepté pour la symétrie avec les autres commandes)\n"
    "\n"
    "Code de sortie 0 si le code est bien formé (et authentique quand il a pu être\n"
    "vérifié), 1 sinon, 2 erreur d'utilisation ou clé illisible.\n";

static const char usage_scan[] =
    "Usage : dossier check-scan [OPTIONS] NUMÉRISATION... CONTENEUR.zip...\n"
    "\n"
    "Contrôle des dossiers papier retournés : chaque page numérisée (PDF du scanner, JPEG,\n"
    "PNG ou TIFF, dans n'importe quel ordre, même à l'envers) est reconnue par son code de\n"
    "suivi et rapprochée du conteneur scellé envoyé ; chaque case de paraphe, de signature\n"
    "et de « certifié conforme » est dite remplie ou vide. Pages manquantes, en double,\n"
    "d'un autre dossier ou illisibles sont listées.\n"
    "\n"
    "  --json FICHIER      écrire aussi le résultat en JSON\n"
    "  --html FICHIER      écrire une page HTML : chaque page en vignette, cases entourées\n"
    "                      (vert : remplie, rouge : vide), pages manquantes en tête\n"
    "  --ca FICHIER        vérifier aussi la chaîne du cachet des conteneurs\n"
    "  --seal-cert-fingerprint SHA256, --seal-cert FICHIER, --seal-subject SUJET\n"
    "                      exiger ce certificat de cachet (comme verify)\n"
    "  --pubkey FICHIER    exiger que les codes soient signés par cette clé (PEM Ed25519)\n"
    "  -q, --quiet         pas de texte sur la sortie standard\n"
    "  -h, --help          cette aide\n"
    "\n"
    "Code de sortie : 0 tous les dossiers sont complets, 1 il manque quelque chose,\n"
    "2 erreur d'utilisation, conteneur invalide ou numérisation illisible.\n";

static bool is_file(const char *dir, const char *leaf)
{
    char path[PATH_MAX + 64];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, leaf);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where the data (templates/, fonts/) and the demo seal are, found from where the
 * binary is, so that it can be moved with them: installed, PREFIX/bin/dossier next
 * to PREFIX/share/dossier; in a checkout, build/dossier (or build/sanitize/dossier)
 * below the checkout's templates/ and fonts/, with the demo seal in build/demo-seal.
 * $DOSSIER_DATADIR wins over both; else the library's own installed folder. */
struct places {
    char datadir[PATH_MAX];
    char demo_dir[PATH_MAX + 32];
};

static void find_places(struct places *p)
{
    p->datadir[0] = p->demo_dir[0] = '\0';
    if (getenv("DOSSIER_DATADIR") && *getenv("DOSSIER_DATADIR"))
        return;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0';
    char dir[PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s/../share/dossier", exe);
    if (is_file(dir, "templates/textes.xml") && realpath(dir, p->datadir))
        return;
    for (int up = 1; up <= 2; up++) {
        snprintf(dir, sizeof dir, "%s%s", exe, up == 1 ? "/.." : "/../..");
        if (is_file(dir, "templates/textes.xml") && is_file(dir, "fonts/DossierSans-Regular.ttf") &&
            realpath(dir, p->datadir)) {
            snprintf(p->demo_dir, sizeof p->demo_dir, "%s/build/demo-seal", p->datadir);
            return;
        }
    }
}

/* The dates a container can carry (a ZIP entry's DOS time, four-digit years):
 * 1980-01-01 to 2099-12-31. */
#define DATE_MIN 315532800LL
#define DATE_MAX 4102444799LL

/* --date or SOURCE_DATE_EPOCH or now; false on a malformed value. */
static bool parse_date(const char *text, time_t *out)
{
    if (!text) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        if (sde && *sde) {
            char *end;
            errno = 0;
            long long v = strtoll(sde, &end, 10);
            if (errno || *end || v < DATE_MIN || v > DATE_MAX) {
                fprintf(stderr, "dossier: SOURCE_DATE_EPOCH=%s : nombre de secondes attendu, du 1er janvier 1980 "
                                "au 31 décembre 2099\n", sde);
                return false;
            }
            *out = (time_t)v;
            return true;
        }
        *out = time(NULL);
        return true;
    }
    if (text[0] == '@') {
        char *end;
        errno = 0;
        long long v = strtoll(text + 1, &end, 10);
        if (errno || *end || end == text + 1)
            goto bad;
        if (v < DATE_MIN || v > DATE_MAX) {
            fprintf(stderr, "dossier: --date %s : date hors des limites, du 1er janvier 1980 au 31 décembre 2099 "
                            "(@SECONDES compte des secondes, pas des millisecondes)\n", text);
            return false;
        }
        *out = (time_t)v;
        return true;
    }
    struct tm tm = { 0 };
    int used = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3)
        goto bad;
    if (text[used] == 'T' &&
        sscanf(text + used, "T%2d:%2d:%2dZ", &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 3 &&
        strlen(text + used) == 10)
        used = (int)strlen(text);
    if (text[used] != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_year < 1980 || tm.tm_year > 2099 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
        goto bad;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int day = tm.tm_mday, month = tm.tm_mon;
    *out = timegm(&tm);
    /* timegm would turn 31 February into 3 March: a date must exist as written. */
    if (tm.tm_mday != day || tm.tm_mon != month)
        goto bad;
    return true;
bad:
    fprintf(stderr, "dossier: --date %s : date attendue sous la forme AAAA-MM-JJ, AAAA-MM-JJTHH:MM:SSZ ou @SECONDES, "
                    "du 1er janvier 1980 au 31 décembre 2099\n", text);
    return false;
}

/* TEXT as a whole number from 1 to MAX. */
static bool parse_count(const char *text, long max, long *out)
{
    char *end;
    *out = strtol(text, &end, 10);
    return !*end && *out >= 1 && *out <= max;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

enum {
    OPT_SEAL_KEY = 256, OPT_SEAL_CERT, OPT_SEAL_CHAIN, OPT_SEAL_PASS, OPT_TEMPLATES, OPT_DATE,
    OPT_FLOW, OPT_PIECES_DIR, OPT_IGNORE_UNKNOWN, OPT_CA, OPT_RESUME, OPT_SHARD, OPT_TIMEOUT, OPT_STDOUT, OPT_ZIP, OPT_CODE_KEY,
    OPT_MODE, OPT_ALLOW_OPEN_KEY, OPT_UNSIGNED_CODES, OPT_PIN_SHA256, OPT_PIN_SUBJECT, OPT_PIN_CERT,
};

static int run_batch(int argc, char **argv, bool validate_only)
{
    static const struct option long_options[] = {
        { "output", required_argument, NULL, 'o' },
        { "jobs", required_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "seal-key", required_argument, NULL, OPT_SEAL_KEY },
        { "seal-cert", required_argument, NULL, OPT_SEAL_CERT },
        { "seal-chain", required_argument, NULL, OPT_SEAL_CHAIN },
        { "code-key", required_argument, NULL, OPT_CODE_KEY },
        { "unsigned-codes", no_argument, NULL, OPT_UNSIGNED_CODES },
        { "mode", required_argument, NULL, OPT_MODE },
        { "allow-open-key", no_argument, NULL, OPT_ALLOW_OPEN_KEY },
        { "seal-pass-file", required_argument, NULL, OPT_SEAL_PASS },
        { "templates", required_argument, NULL, OPT_TEMPLATES },
        { "date", required_argument, NULL, OPT_DATE },
        { "flow", required_argument, NULL, OPT_FLOW },
        { "pieces-dir", required_argument, NULL, OPT_PIECES_DIR },
        { "ignore-unknown", no_argument, NULL, OPT_IGNORE_UNKNOWN },
        { "resume", no_argument, NULL, OPT_RESUME },
        { "shard", required_argument, NULL, OPT_SHARD },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "stdout", no_argument, NULL, OPT_STDOUT },
        { "zip", no_argument, NULL, OPT_ZIP },
        { NULL, 0, NULL, 0 },
    };
    const char *usage = validate_only ? usage_validate : usage_build;
    bool to_stdout = false, zip = false;
    /* getopt_long accepts abbreviations: "--seal-pass SECRET" would silently be
     * taken for --seal-pass-file, with the passphrase in argv and in messages.
     * Options must be spelled in full here. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strncmp(argv[i], "--", 2) != 0)
            continue;
        size_t len = strcspn(argv[i], "=");
        bool known = false;
        for (const struct option *opt = long_options; opt->name; opt++)
            known = known || (strlen(opt->name) == len - 2 && strncmp(opt->name, argv[i] + 2, len - 2) == 0);
        if (!known) {
            fprintf(stderr, "dossier: option « %.*s » inconnue (les options s'écrivent en entier)\n\n%s",
                    (int)len, argv[i], usage);
            return EXIT_USAGE;
        }
    }
    struct batch_options o = { 0 };
    dossier_options_init(&o.lib);
    const char *date_text = NULL;
    o.jobs = default_jobs();
    o.out_dir = validate_only ? NULL : "dossiers";
    o.validate_only = validate_only;
    int c;
    while ((c = getopt_long(argc, argv, validate_only ? "o:qh" : "o:j:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 'o': o.out_dir = optarg; break;
        case 'q': o.quiet = true; break;
        case 'h': fputs(usage, stdout); return EXIT_ALL_DONE;
        case 'j': {
            long n;
            if (!parse_count(optarg, 256, &n)) {
                fprintf(stderr, "dossier: -j %s : nombre de tâches entre 1 et 256 attendu\n", optarg);
                return EXIT_USAGE;
            }
            o.jobs = (int)n;
            break;
        }
        case OPT_SEAL_KEY: o.lib.seal_key = optarg; break;
        case OPT_CODE_KEY: o.lib.code_key = optarg; break;
        case OPT_UNSIGNED_CODES: o.lib.unsigned_codes = true; break;
        case OPT_ALLOW_OPEN_KEY: o.lib.allow_open_key = true; break;
        case OPT_MODE: {
            char *end;
            unsigned long mode = strtoul(optarg, &end, 8);
            /* Owner read-write at least (the tool rewrites its reports); nothing beyond 0666. */
            if (!*optarg || *end || (mode & 0600) != 0600 || mode > 0666) {
                fprintf(stderr, "dossier: --mode %s : mode octal attendu, de 0600 à 0666 (par exemple 0640)\n", optarg);
                return EXIT_USAGE;
            }
            o.lib.output_mode = (unsigned)mode;
            break;
        }
        case OPT_SEAL_CERT: o.lib.seal_cert = optarg; break;
        case OPT_SEAL_CHAIN: o.lib.seal_chain = optarg; break;
        case OPT_SEAL_PASS: o.lib.seal_pass_file = optarg; break;
        case OPT_TEMPLATES: o.lib.templates_dir = optarg; break;
        case OPT_DATE: date_text = optarg; break;
        case OPT_FLOW:
            if (strcmp(optarg, "paper") == 0 || strcmp(optarg, "papier") == 0)
                o.lib.flow = DOSSIER_FLOW_PAPER;
            else if (strcmp(optarg, "demat") == 0 || strcmp(optarg, "dematerialise") == 0)
                o.lib.flow = DOSSIER_FLOW_DEMAT;
            else {
                fprintf(stderr, "dossier: --flow %s : « papier » (paper) ou « demat » attendu\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_PIECES_DIR: o.lib.pieces_dir = optarg; break;
        case OPT_RESUME: o.resume = true; break;
        case OPT_STDOUT: to_stdout = true; break;
        case OPT_ZIP: zip = true; break;
        case OPT_SHARD: {
            unsigned k, n;
            int used = 0;
            if (sscanf(optarg, "%u/%u%n", &k, &n, &used) != 2 || optarg[used] || n < 1 || n > 10000 || k < 1 || k > n) {
                fprintf(stderr, "dossier: --shard %s : forme K/N attendue, 1 ≤ K ≤ N (par exemple 2/4)\n", optarg);
                return EXIT_USAGE;
            }
            o.shard = k;
            o.shards = n;
            break;
        }
        case OPT_TIMEOUT: {
            long n;
            if (!parse_count(optarg, 86400, &n)) {
                fprintf(stderr, "dossier: --timeout %s : nombre de secondes entre 1 et 86400 attendu\n", optarg);
                return EXIT_USAGE;
            }
            o.timeout = (unsigned)n;
            break;
        }
        case OPT_IGNORE_UNKNOWN: o.lib.ignore_unknown = true; break;
        default:
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "dossier: aucun fichier de demandes indiqué\n\n%s", usage);
        return EXIT_USAGE;
    }
    if (validate_only && (o.resume || o.shards || to_stdout || zip || o.timeout || o.lib.unsigned_codes)) {
        fprintf(stderr, "dossier: --resume, --shard, --timeout, --stdout, --zip et --unsigned-codes sont des options de build\n");
        return EXIT_USAGE;
    }
    if (zip && !to_stdout) {
        fprintf(stderr, "dossier: --zip va avec --stdout\n");
        return EXIT_USAGE;
    }
    if (to_stdout && (argc - optind != 1 || o.resume || o.shards)) {
        fprintf(stderr, "dossier: --stdout prend un seul fichier (ou - pour l'entrée standard), sans --resume ni --shard\n");
        return EXIT_USAGE;
    }
    if ((o.lib.seal_key != NULL) != (o.lib.seal_cert != NULL)) {
        fprintf(stderr, "dossier: --seal-key et --seal-cert vont ensemble\n");
        return EXIT_USAGE;
    }
    if (!parse_date(date_text, &o.lib.date))
        return EXIT_USAGE;
    o.lib.date_set = true;
    struct places places;
    find_places(&places);
    o.lib.datadir = places.datadir[0] ? places.datadir : NULL;
    o.lib.demo_dir = getenv("DOSSIER_DEMO_DIR") ? NULL : places.demo_dir[0] ? places.demo_dir : NULL;
    o.inputs = argv + optind;
    o.input_count = argc - optind;
    if (to_stdout)
        return batch_stdout(&o, argv[optind], zip);
    return batch_run(&o);
}

static int run_merge(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'h': fputs(usage_merge, stdout); return EXIT_ALL_DONE;
        default: fputs(usage_merge, stderr); return EXIT_USAGE;
        }
    }
    if (!out || optind >= argc) {
        fputs(usage_merge, stderr);
        return EXIT_USAGE;
    }
    return batch_merge(out, argv + optind, argc - optind);
}

/* The pin options of verify and check-scan, into O; false on a repeated option. */
static bool take_pin(int c, const char *arg, dossier_options *o)
{
    const char **slot = c == OPT_PIN_SHA256 ? &o->seal_pin_sha256 : c == OPT_PIN_CERT ? &o->seal_pin_cert
                                                                                      : &o->seal_pin_subject;
    if (*slot) {
        fprintf(stderr, "dossier: une seule épingle de chaque sorte (--seal-cert-fingerprint, --seal-cert, "
                        "--seal-subject)\n");
        return false;
    }
    *slot = arg;
    return true;
}

#define PIN_OPTIONS                                                          \
    { "seal-cert-fingerprint", required_argument, NULL, OPT_PIN_SHA256 },    \
    { "seal-cert", required_argument, NULL, OPT_PIN_CERT },                  \
    { "seal-subject", required_argument, NULL, OPT_PIN_SUBJECT }

static int run_verify(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "ca", required_argument, NULL, OPT_CA },
        PIN_OPTIONS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    dossier_options options;
    dossier_options_init(&options);
    const char *ca = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_CA: ca = optarg; break;
        case OPT_PIN_SHA256: case OPT_PIN_CERT: case OPT_PIN_SUBJECT:
            if (!take_pin(c, optarg, &options))
                return EXIT_USAGE;
            break;
        case 'h': fputs(usage_verify, stdout); return EXIT_ALL_DONE;
        default: fputs(usage_verify, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "dossier: aucun conteneur indiqué\n\n%s", usage_verify);
        return EXIT_USAGE;
    }
    options.open = DOSSIER_OPEN_VERIFY;
    struct places places;
    find_places(&places);
    options.datadir = places.datadir[0] ? places.datadir : NULL;
    options.demo_dir = getenv("DOSSIER_DEMO_DIR") ? NULL : places.demo_dir[0] ? places.demo_dir : NULL;
    dossier_problems *problems = dossier_problems_new();
    dossier_ctx *ctx;
    if (dossier_open(&options, &ctx, problems) != DOSSIER_OK) {
        print_config_problems(problems);
        dossier_problems_free(problems);
        return EXIT_USAGE;
    }
    int worst = 0;
    for (int i = optind; i < argc; i++) {
        dossier_problems *found = dossier_problems_new();
        dossier_verify_info info;
        dossier_status s = dossier_verify_file(ctx, argv[i], ca, &info, found);
        for (size_t k = 0; k < dossier_problems_count(found); k++) {
            const dossier_problem *p = dossier_problems_get(found, k);
            char *text = dossier_problem_format(p);
            /* An unreadable file says why; a container's problems carry their code. */
            if (s == DOSSIER_ERROR)
                printf("%s\n", text);
            else
                printf("%s [%s]\n", text, p->code);
            free(text);
        }
        if (s == DOSSIER_OK) {
            printf("%s: conteneur valide — %zu document%s, signé le %s\n", argv[i], info.documents,
                   info.documents > 1 ? "s" : "", info.signing_time);
            printf("%s: cachet « %s », certificat SHA-256 %s\n", argv[i], info.signer, info.signer_sha256);
            printf("%s: %s ; %s\n", argv[i],
                   info.chain_checked ? "chaîne de certification vérifiée"
                                      : "chaîne de certification NON vérifiée (indiquez l'autorité avec --ca)",
                   info.pinned ? "certificat du cachet conforme à l'épingle"
                               : "certificat du cachet NON épinglé : comparez son empreinte à celle du cachet de "
                                 "l'autorité (--seal-cert-fingerprint)");
            if (info.demo)
                printf("%s: attention : cachet de DÉMONSTRATION, sans valeur\n", argv[i]);
        }
        dossier_problems_free(found);
        if ((int)s > worst)
            worst = (int)s;
    }
    dossier_close(ctx);
    dossier_problems_free(problems);
    return worst;
}

static int run_track(int argc, char **argv)
{
    const char *pubkey = NULL, *text = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_track, stdout);
            return EXIT_ALL_DONE;
        } else if (strcmp(argv[i], "--pubkey") == 0 && i + 1 < argc) {
            pubkey = argv[++i];
        } else if (strncmp(argv[i], "--pubkey=", 9) == 0) {
            pubkey = argv[i] + 9;
        } else if (strcmp(argv[i], "--templates") == 0 && i + 1 < argc) {
            i++;
        } else if (!text && (argv[i][0] != '-' || argv[i][1] == '\0')) {
            text = argv[i];
        } else {
            fputs(usage_track, stderr);
            return EXIT_USAGE;
        }
    }
    if (!text) {
        fputs(usage_track, stderr);
        return EXIT_USAGE;
    }
    dossier_options o;
    dossier_options_init(&o);
    /* Without --pubkey, the demo key (when this machine has one) checks demo codes. */
    o.open = DOSSIER_OPEN_CODES | (pubkey ? 0 : DOSSIER_OPEN_DEMO);
    o.code_pubkey = pubkey;
    struct places places;
    find_places(&places);
    o.demo_dir = getenv("DOSSIER_DEMO_DIR") ? NULL : places.demo_dir[0] ? places.demo_dir : NULL;
    dossier_problems *problems = dossier_problems_new();
    dossier_ctx *ctx = NULL;
    if (dossier_open(&o, &ctx, problems) != DOSSIER_OK) {
        print_config_problems(problems);
        dossier_problems_free(problems);
        return EXIT_USAGE;
    }
    dossier_track_info code;
    dossier_status s = dossier_track(ctx, text, &code, problems);
    if (s != DOSSIER_OK) {
        const dossier_problem *p = dossier_problems_get(problems, 0);
        printf("code %s : %s [%s]\n",
               strcmp(p->code, "track.unsigned") == 0 ? "non signé" : strcmp(p->code, "track.unknown_key") == 0
                   ? "de clé inconnue" : "invalide",
               p->message, p->code);
    } else if (code.authentic) {
        printf("code authentique : format %s, demande n° %s, document %s (%s), page %d sur %d\n", code.format,
               code.numero, code.document, code.document_name, code.page, code.pages);
        printf("dossier du %s, SIREN %s, signé par la clé %s%s\n", code.date, *code.siren ? code.siren : "—",
               code.key_id, code.demo_key ? " (clé de démonstration, sans valeur hors essais)" : "");
    } else {
        /* No key to check it against: decoded, not authenticated, and said so. */
        printf("code lu, NON authentifié : format %s, demande n° %s, document %s (%s), page %d sur %d\n",
               code.format, code.numero, code.document, code.document_name, code.page, code.pages);
        if (code.is_signed)
            printf("dossier du %s, SIREN %s, clé %s : signature non vérifiée, donnez la clé publique des codes "
                   "de l'autorité (--pubkey)\n", code.date, *code.siren ? code.siren : "—", code.key_id);
        else
            printf("code non signé : sa clé de contrôle détecte une faute de frappe, pas une contrefaçon\n");
    }
    dossier_problems_free(problems);
    dossier_close(ctx);
    return s == DOSSIER_OK ? 0 : 1;
}

/* PATH opened without blocking (a named pipe or a device would hang the reader):
 * only a regular file is read; -1 with errno otherwise. */
static int open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* A container is a ZIP: told by its first bytes, not by its name. */
static bool is_container(const char *path)
{
    int fd = open_regular(path);
    unsigned char magic[4] = { 0 };
    bool zip = fd >= 0 && read(fd, magic, 4) == 4 && memcmp(magic, "PK\3\4", 4) == 0;
    if (fd >= 0)
        close(fd);
    return zip;
}

static void print_found(const dossier_problems *found)
{
    for (size_t k = 0; k < dossier_problems_count(found); k++) {
        const dossier_problem *p = dossier_problems_get(found, k);
        char *text = dossier_problem_format(p);
        fprintf(stderr, "%s [%s]\n", text, p->code);
        free(text);
    }
}

static bool write_text_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        fprintf(stderr, "dossier: %s : écriture impossible (%s)\n", path, strerror(errno));
    return ok;
}

static int run_check_scan(int argc, char **argv)
{
    enum { OPT_JSON = 300, OPT_HTML, OPT_CA_FILE, OPT_PUBKEY };
    static const struct option long_options[] = {
        { "json", required_argument, NULL, OPT_JSON },
        { "html", required_argument, NULL, OPT_HTML },
        { "ca", required_argument, NULL, OPT_CA_FILE },
        PIN_OPTIONS,
        { "pubkey", required_argument, NULL, OPT_PUBKEY },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *json = NULL, *html = NULL, *ca = NULL, *pubkey = NULL;
    bool quiet = false;
    dossier_options options;
    dossier_options_init(&options);
    int c;
    while ((c = getopt_long(argc, argv, "qh", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: json = optarg; break;
        case OPT_HTML: html = optarg; break;
        case OPT_CA_FILE: ca = optarg; break;
        case OPT_PIN_SHA256: case OPT_PIN_CERT: case OPT_PIN_SUBJECT:
            if (!take_pin(c, optarg, &options))
                return EXIT_USAGE;
            break;
        case OPT_PUBKEY: pubkey = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage_scan, stdout); return EXIT_ALL_DONE;
        default: fputs(usage_scan, stderr); return EXIT_USAGE;
        }
    }
    int containers = 0, scans = 0;
    for (int i = optind; i < argc; i++) {
        int fd = open_regular(argv[i]);
        if (fd < 0) {
            fprintf(stderr, "dossier: %s : fichier illisible (%s)\n", argv[i],
                    errno == EINVAL ? "pas un fichier ordinaire : tube nommé ou périphérique refusé" : strerror(errno));
            return EXIT_USAGE;
        }
        close(fd);
        if (is_container(argv[i]))
            containers++;
        else
            scans++;
    }
    if (containers == 0 || scans == 0) {
        fprintf(stderr, "dossier: il faut au moins une numérisation et un conteneur (.zip)\n\n%s", usage_scan);
        return EXIT_USAGE;
    }
    options.open = DOSSIER_OPEN_VERIFY | DOSSIER_OPEN_CODES | (pubkey ? 0 : DOSSIER_OPEN_DEMO);
    options.code_pubkey = pubkey;
    struct places places;
    find_places(&places);
    options.datadir = places.datadir[0] ? places.datadir : NULL;
    options.demo_dir = getenv("DOSSIER_DEMO_DIR") ? NULL : places.demo_dir[0] ? places.demo_dir : NULL;
    dossier_problems *problems = dossier_problems_new();
    dossier_ctx *ctx;
    if (dossier_open(&options, &ctx, problems) != DOSSIER_OK) {
        print_config_problems(problems);
        dossier_problems_free(problems);
        return EXIT_USAGE;
    }
    dossier_scan *scan = dossier_scan_new(ctx, html ? DOSSIER_SCAN_THUMBNAILS : 0);
    bool ok = true;
    /* The containers first: the pages are checked against them as they are read. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = optind; i < argc; i++) {
            if (is_container(argv[i]) != (pass == 0))
                continue;
            dossier_problems *found = dossier_problems_new();
            dossier_status s = pass == 0 ? dossier_scan_add_container(scan, argv[i], ca, found)
                                         : dossier_scan_add_file(scan, argv[i], found);
            print_found(found);
            dossier_problems_free(found);
            ok &= s == DOSSIER_OK;
        }
    int status = EXIT_USAGE;
    if (ok) {
        char *text = dossier_scan_text(scan);
        if (!quiet)
            fputs(text, stdout);
        free(text);
        /* COMPLET says the pages are there and filled in; who sealed the reference is
         * another question, answered only with --ca and a pinned seal. */
        bool pinned = options.seal_pin_sha256 || options.seal_pin_cert || options.seal_pin_subject;
        if (!ca || !pinned)
            fprintf(quiet ? stderr : stdout, "attention : cachet des conteneurs %s%s%s : la référence n'est pas "
                    "authentifiée\n", !ca ? "non vérifié (--ca absent)" : "", !ca && !pinned ? ", " : "",
                    !pinned ? "non épinglé (--seal-cert-fingerprint absent)" : "");
        if (json) {
            char *j = dossier_scan_json(scan);
            ok &= write_text_file(json, j);
            free(j);
        }
        if (html) {
            char *h = dossier_scan_html(scan);
            ok &= write_text_file(html, h);
            free(h);
        }
        status = !ok ? EXIT_USAGE : dossier_scan_complete(scan) ? EXIT_ALL_DONE : EXIT_SOME_REJECTED;
    }
    dossier_scan_free(scan);
    dossier_close(ctx);
    dossier_problems_free(problems);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return EXIT_ALL_DONE;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("dossier %s\n", dossier_version());
        return EXIT_ALL_DONE;
    }
    /* Each attached page needs a full-page raster (about 15 MB at 200 dpi) and each
     * PDF some megabytes: keep freed memory for the next dossier instead of handing
     * it back to the kernel and faulting it in again (20 % of the run time here). */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    mallopt(M_TOP_PAD, 16 * 1024 * 1024);
    int status;
    if (strcmp(cmd, "build") == 0)
        status = run_batch(argc - 1, argv + 1, false);
    else if (strcmp(cmd, "validate") == 0)
        status = run_batch(argc - 1, argv + 1, true);
    else if (strcmp(cmd, "verify") == 0)
        status = run_verify(argc - 1, argv + 1);
    else if (strcmp(cmd, "check-scan") == 0)
        status = run_check_scan(argc - 1, argv + 1);
    else if (strcmp(cmd, "track") == 0)
        status = run_track(argc - 1, argv + 1);
    else if (strcmp(cmd, "report-merge") == 0)
        status = run_merge(argc - 1, argv + 1);
    else {
        fprintf(stderr, "dossier: commande « %s » inconnue\n\n%s", cmd, usage_main);
        status = EXIT_USAGE;
    }
    return status;
}
