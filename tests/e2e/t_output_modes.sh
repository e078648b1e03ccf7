# Dossiers hold personal data: outputs are 0640 whatever the umask (--mode to change),
# temporary files are gone when the run ends, and a bad --mode is a usage error.
source "$ROOT/tests/e2e/lib.sh"
umask 022
run_dossier 0 build -q -o out "$SAMPLES/demandes.csv"
for f in out/600101.zip out/600101.pdf out/report.json out/report.csv out/report.journal; do
  assert_eq "$(stat -c %a "$f")" "640" "droits de $f"
done
assert_eq "$(find out -name '*.tmp*' | wc -l)" "0" "fichiers temporaires restés"
umask 000
run_dossier 0 build -q --mode 0600 -o private "$SAMPLES/demandes.csv"
assert_eq "$(stat -c %a private/600101.zip)" "600" "--mode 0600"
assert_eq "$(stat -c %a private/report.json)" "600" "--mode 0600 (rapport)"
run_dossier 0 build -q --mode 644 -o open "$SAMPLES/demandes.csv"
assert_eq "$(stat -c %a open/600101.pdf)" "644" "--mode 644"
run_dossier 0 validate -q --mode 0600 -o val "$SAMPLES/demandes.csv"
assert_eq "$(stat -c %a val/report.csv)" "600" "validate --mode"
for bad in 0777 0400 abc 9 ""; do
  run_dossier 2 build -q --mode "$bad" -o bad "$SAMPLES/demandes.csv"
  assert_contains err.txt "--mode"
done
assert_no_file bad
