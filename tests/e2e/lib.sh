# Helpers for end-to-end tests: sourced by each t_*.sh (set -e is on).
set -euo pipefail
DATA="$ROOT/tests/data"
SAMPLES="$ROOT/samples"

die() { echo "ÉCHEC: $*" >&2; exit 1; }

# run_dossier EXPECTED_STATUS ARGS...: runs the binary, keeps stdout/stderr in
# out.txt / err.txt, fails unless the exit status is EXPECTED_STATUS.
run_dossier() {
  local want=$1; shift
  local got=0
  "$DOSSIER" "$@" >out.txt 2>err.txt || got=$?
  if [ "$got" -ne "$want" ]; then
    echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt
    die "dossier $* : code $got, attendu $want"
  fi
}

assert_contains() {   # FILE TEXT
  grep -qF -- "$2" "$1" || { echo "--- $1:"; head -50 "$1"; die "« $2 » absent de $1"; }
}
assert_not_contains() {
  if grep -qF -- "$2" "$1"; then die "« $2 » présent dans $1"; fi
}
assert_eq() {         # GOT WANT MESSAGE
  [ "$1" = "$2" ] || die "$3 : « $1 » au lieu de « $2 »"
}
assert_file() { [ -s "$1" ] || die "fichier $1 absent ou vide"; }
assert_no_file() { [ ! -e "$1" ] || die "fichier $1 présent alors qu'il ne devrait pas"; }

# make_batch COPIES FIRST: lot.csv, the samples COPIES times over, numbered from FIRST
# (FIRST + 100 × copy + the sample's last two digits); the pieces copied alongside.
make_batch() {
  cp -r "$SAMPLES/pieces" .
  python3 - "$SAMPLES/demandes.csv" "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
w = csv.DictWriter(open("lot.csv", "w", encoding="utf-8", newline=""), fieldnames=list(rows[0]), delimiter=";")
w.writeheader()
for k in range(int(sys.argv[2])):
    for r in rows:
        r = dict(r); r["numero"] = str(int(sys.argv[3]) + 100 * k + int(r["numero"]) % 100); w.writerow(r)
PY
}

# expect_codes ZIP "CODE..." [CA]: `verify --ca CA ZIP` (CA defaults to $CA) exits 1
# with exactly these codes (as a set), one line per problem, each naming ZIP.
expect_codes() {
  local zip=$1 want=$2 ca=${3:-$CA}
  run_dossier 1 verify --ca "$ca" "$zip"
  local got
  got=$(grep -o '\[[a-z_0-9]*\.[a-z_0-9]*\]$' out.txt | tr -d '[]' | sort -u | tr '\n' ' ' | sed 's/ $//')
  want=$(printf '%s\n' $want | sort -u | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" != "$want" ]; then
    cat out.txt
    die "$zip : codes « $got » au lieu de « $want »"
  fi
  [ "$(grep -vc "^$zip: .* \[[a-z_0-9.]*\]$" out.txt)" -eq 0 ] || { cat out.txt; die "$zip : ligne sans code"; }
  assert_not_contains out.txt "conteneur valide"
}
