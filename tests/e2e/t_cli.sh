# Command line basics: help, version, usage errors and their exit codes.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 --version
assert_contains out.txt "dossier "
run_dossier 0 --help
assert_contains out.txt "build"
for cmd in build validate verify track; do
  run_dossier 0 $cmd --help
  assert_contains out.txt "Usage : dossier $cmd"
done
run_dossier 2 frobnicate
assert_contains err.txt "inconnue"
run_dossier 2 validate
assert_contains err.txt "aucun fichier"
run_dossier 2 validate /nonexistent/demandes.csv
assert_contains err.txt "/nonexistent/demandes.csv"
run_dossier 2 build --flow bateau "$SAMPLES/demandes.csv"
run_dossier 2 build --date 2026-13-45 "$SAMPLES/demandes.csv"
run_dossier 2 build --seal-key k.pem "$SAMPLES/demandes.csv"
assert_no_file dossiers
run_dossier 2 validate --templates /nonexistent "$SAMPLES/demandes.csv"
assert_contains err.txt "modèles"
# Abbreviated options are refused: "--seal-pass SECRET" must not pass for
# --seal-pass-file, nor echo the secret.
run_dossier 2 build --seal-pass s3cr3t-Passw0rd "$SAMPLES/demandes.csv"
assert_contains err.txt "--seal-pass"
assert_not_contains err.txt "s3cr3t-Passw0rd"
run_dossier 2 validate --ignore "$SAMPLES/demandes.csv"
