/* Command line: parses options and calls one function per subcommand. */
#include "batch/batch.h"
#include "package/verify.h"
#include "render/track.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <malloc.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef DOSSIER_DATADIR
#define DOSSIER_DATADIR "."
#endif
#ifndef DOSSIER_DEMODIR
#define DOSSIER_DEMODIR "build/demo-seal"
#endif

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
    "\n"
    "  dossier COMMANDE --help   aide d'une commande\n"
    "  dossier --version         version\n"
    "\n"
    "Codes de sortie : 0 tout est fait, 1 des demandes rejetées (les autres faites),\n"
    "2 erreur d'utilisation, de configuration ou d'environnement (rien n'est écrit).\n";

static const char usage_build[] =
    "Usage : dossier build [OPTIONS] ENTRÉE...\n"
    "\n"
    "ENTRÉE : fichiers de demandes CSV (séparateur ; ou ,) ou XML (<demandes>).\n"
    "\n"
    "  -o, --output DIR        dossier de sortie (défaut : ./dossiers)\n"
    "  -j, --jobs N            nombre de tâches en parallèle (défaut : nombre de cœurs)\n"
    "      --seal-key FICHIER  clé privée PEM du cachet\n"
    "      --seal-cert FICHIER certificat PEM du cachet\n"
    "      --seal-chain FICHIER certificats intermédiaires PEM à joindre\n"
    "      --seal-pass-file FICHIER  phrase secrète de la clé (ou variable DOSSIER_SEAL_PASS)\n"
    "      --templates DIR     modèles (défaut : templates/ du projet)\n"
    "      --date DATE         date des dossiers : AAAA-MM-JJ, AAAA-MM-JJTHH:MM:SSZ ou @SECONDES\n"
    "                          (défaut : SOURCE_DATE_EPOCH, sinon maintenant)\n"
    "      --flow papier|demat impose le circuit (sinon le champ « papier » de chaque demande)\n"
    "      --pieces-dir DIR    racine des pièces jointes (défaut : dossier du fichier d'entrée)\n"
    "      --ignore-unknown    ignorer les colonnes CSV inconnues\n"
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
    "      --templates DIR     modèles (défaut : templates/ du projet)\n"
    "      --pieces-dir DIR    racine des pièces jointes (défaut : dossier du fichier d'entrée)\n"
    "      --ignore-unknown    ignorer les colonnes CSV inconnues\n"
    "  -q, --quiet             n'afficher que les erreurs\n"
    "  -h, --help              cette aide\n";

static const char usage_verify[] =
    "Usage : dossier verify [--ca FICHIER] FICHIER.zip...\n"
    "\n"
    "Vérifie un conteneur ASiC-E : entrée mimetype, manifeste, empreinte de chaque document,\n"
    "cachet CAdES et certificat du signataire (et sa chaîne jusqu'à --ca si donné).\n"
    "Une ligne par problème ; code de sortie 0 si tout est bon, 1 sinon, 2 si illisible.\n"
    "\n"
    "      --ca FICHIER        certificat(s) PEM de l'autorité de confiance\n"
    "  -h, --help              cette aide\n";

static const char usage_track[] =
    "Usage : dossier track CODE\n"
    "\n"
    "Décode un code de suivi imprimé sous le QR code d'une page (par exemple\n"
    "DSR1:600101:FOR:2/6:1A2B3C4D) et vérifie sa clé de contrôle.\n"
    "Code de sortie 0 si le code est bien formé, 1 sinon.\n";

static char *data_path(const char *leaf)
{
    const char *base = getenv("DOSSIER_DATADIR");
    if (!base || !*base)
        base = DOSSIER_DATADIR;
    char *out = NULL;
    if (asprintf(&out, "%s/%s", base, leaf) < 0)
        abort();
    return out;
}

/* --date or SOURCE_DATE_EPOCH or now; false on a malformed value. */
static bool parse_date(const char *text, time_t *out)
{
    if (!text) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        if (sde && *sde) {
            char *end;
            errno = 0;
            long long v = strtoll(sde, &end, 10);
            if (errno || *end || v < 0) {
                fprintf(stderr, "dossier: SOURCE_DATE_EPOCH=%s : nombre de secondes attendu\n", sde);
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
        if (errno || *end || v < 0 || end == text + 1)
            goto bad;
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
        tm.tm_year < 1980 || tm.tm_year > 2099 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
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
    fprintf(stderr, "dossier: --date %s : date attendue sous la forme AAAA-MM-JJ, AAAA-MM-JJTHH:MM:SSZ ou @SECONDES\n", text);
    return false;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

enum {
    OPT_SEAL_KEY = 256, OPT_SEAL_CERT, OPT_SEAL_CHAIN, OPT_SEAL_PASS, OPT_TEMPLATES, OPT_DATE,
    OPT_FLOW, OPT_PIECES_DIR, OPT_IGNORE_UNKNOWN, OPT_CA,
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
        { "seal-pass-file", required_argument, NULL, OPT_SEAL_PASS },
        { "templates", required_argument, NULL, OPT_TEMPLATES },
        { "date", required_argument, NULL, OPT_DATE },
        { "flow", required_argument, NULL, OPT_FLOW },
        { "pieces-dir", required_argument, NULL, OPT_PIECES_DIR },
        { "ignore-unknown", no_argument, NULL, OPT_IGNORE_UNKNOWN },
        { NULL, 0, NULL, 0 },
    };
    const char *usage = validate_only ? usage_validate : usage_build;
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
    char *templates = NULL;
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
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "dossier: -j %s : nombre de tâches entre 1 et 256 attendu\n", optarg);
                return EXIT_USAGE;
            }
            o.jobs = (int)n;
            break;
        }
        case OPT_SEAL_KEY: o.seal.key_path = optarg; break;
        case OPT_SEAL_CERT: o.seal.cert_path = optarg; break;
        case OPT_SEAL_CHAIN: o.seal.chain_path = optarg; break;
        case OPT_SEAL_PASS: o.seal.pass_file = optarg; break;
        case OPT_TEMPLATES: o.templates_dir = optarg; break;
        case OPT_DATE: date_text = optarg; break;
        case OPT_FLOW:
            if (strcmp(optarg, "paper") == 0 || strcmp(optarg, "papier") == 0)
                o.flow = FLOW_PAPER;
            else if (strcmp(optarg, "demat") == 0 || strcmp(optarg, "dematerialise") == 0)
                o.flow = FLOW_DEMAT;
            else {
                fprintf(stderr, "dossier: --flow %s : « papier » (paper) ou « demat » attendu\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_PIECES_DIR: o.input.pieces_dir = optarg; break;
        case OPT_IGNORE_UNKNOWN: o.input.ignore_unknown = true; break;
        default:
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "dossier: aucun fichier de demandes indiqué\n\n%s", usage);
        return EXIT_USAGE;
    }
    if ((o.seal.key_path != NULL) != (o.seal.cert_path != NULL)) {
        fprintf(stderr, "dossier: --seal-key et --seal-cert vont ensemble\n");
        return EXIT_USAGE;
    }
    if (!parse_date(date_text, &o.date))
        return EXIT_USAGE;
    if (!o.templates_dir)
        o.templates_dir = templates = data_path("templates");
    char *fonts = data_path("fonts");
    char *schema = NULL;
    if (asprintf(&schema, "%s/demande.xsd", o.templates_dir) < 0)
        abort();
    o.fonts_dir = fonts;
    o.input.schema_path = schema;
    o.demo_dir = getenv("DOSSIER_DEMO_DIR") ? getenv("DOSSIER_DEMO_DIR") : DOSSIER_DEMODIR;
    o.inputs = argv + optind;
    o.input_count = argc - optind;
    int status = batch_run(&o);
    free(templates);
    free(fonts);
    free(schema);
    return status;
}

static int run_verify(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "ca", required_argument, NULL, OPT_CA },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *ca = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_CA: ca = optarg; break;
        case 'h': fputs(usage_verify, stdout); return EXIT_ALL_DONE;
        default: fputs(usage_verify, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "dossier: aucun conteneur indiqué\n\n%s", usage_verify);
        return EXIT_USAGE;
    }
    char *schema = data_path("templates/asic-manifest.xsd");
    char why[600];
    if (!xml_schema_usable(schema, why, sizeof why)) {
        fprintf(stderr, "dossier: %s\n", why);
        free(schema);
        return EXIT_USAGE;
    }
    int worst = 0;
    for (int i = optind; i < argc; i++) {
        int s = verify_container_cli(argv[i], schema, ca);
        if (s > worst)
            worst = s;
    }
    free(schema);
    return worst;
}

static int run_track(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_track, stdout);
        return EXIT_ALL_DONE;
    }
    if (argc != 2) {
        fputs(usage_track, stderr);
        return EXIT_USAGE;
    }
    struct track_code code;
    char why[200];
    if (!track_code_parse(argv[1], &code, why, sizeof why)) {
        printf("code invalide : %s\n", why);
        return 1;
    }
    printf("code valide : format %s, demande n° %s, document %s (%s), page %d sur %d\n",
           code.format, code.numero, code.document, track_document_name(code.document),
           code.page, code.pages);
    return 0;
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
        printf("%s\n", DOSSIER_VERSION_STRING);
        return EXIT_ALL_DONE;
    }
    /* Each attached page needs a full-page raster (about 15 MB at 200 dpi) and each
     * PDF some megabytes: keep freed memory for the next dossier instead of handing
     * it back to the kernel and faulting it in again (20 % of the run time here). */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    mallopt(M_TOP_PAD, 16 * 1024 * 1024);
    /* libzip turns the entry times it is given through the local time zone: in UTC
     * the container's bytes are the same on every machine. Set before any thread. */
    setenv("TZ", "UTC0", 1);
    tzset();
    xmlInitParser();
    int status;
    if (strcmp(cmd, "build") == 0)
        status = run_batch(argc - 1, argv + 1, false);
    else if (strcmp(cmd, "validate") == 0)
        status = run_batch(argc - 1, argv + 1, true);
    else if (strcmp(cmd, "verify") == 0)
        status = run_verify(argc - 1, argv + 1);
    else if (strcmp(cmd, "track") == 0)
        status = run_track(argc - 1, argv + 1);
    else {
        fprintf(stderr, "dossier: commande « %s » inconnue\n\n%s", cmd, usage_main);
        status = EXIT_USAGE;
    }
    xmlCleanupParser();
    return status;
}
