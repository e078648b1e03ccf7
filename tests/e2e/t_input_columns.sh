# CSV header problems: an unknown column rejects the file unless --ignore-unknown, a
# duplicate column always does; column order is free; an empty file is a rejected record.
source "$ROOT/tests/e2e/lib.sh"
cp -r "$SAMPLES/pieces" .

python3 - "$SAMPLES/demandes.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))[:4]
w = lambda name, rs: csv.writer(open(name, "w", encoding="utf-8", newline=""), delimiter=";").writerows(rs)
w("inconnue.csv", [r[:5] + [("Commentaire" if i == 0 else "à rappeler")] + r[5:] for i, r in enumerate(rows)])
w("double.csv", [r + [r[1]] for r in rows])
# Columns in reverse order.
w("desordre.csv", [list(reversed(r)) for r in rows])
PY

run_dossier 1 validate inconnue.csv -o rapport
assert_contains err.txt "inconnue.csv:1: commentaire: colonne 6 inconnue"
assert_contains err.txt "--ignore-unknown"
assert_contains err.txt "[csv.unknown_column]"
assert_not_contains out.txt "acceptée"
python3 - <<'PY'
import json
d = json.load(open("rapport/report.json"))
assert d["records"] == 1 and d["rejected"] == 1, d
assert [e["code"] for e in d["results"][0]["errors"]] == ["csv.unknown_column"], d
PY

run_dossier 0 validate --ignore-unknown inconnue.csv
[ "$(grep -c 'acceptée' out.txt)" -eq 3 ] || die "3 demandes acceptées attendues avec --ignore-unknown"

run_dossier 1 validate --ignore-unknown double.csv
assert_contains err.txt "double.csv:1: date: colonne présente deux fois (colonnes 2 et 73)"
assert_contains err.txt "[csv.duplicate_column]"

run_dossier 0 validate desordre.csv
assert_contains out.txt "600101 : acceptée"
assert_contains out.txt "600103 : acceptée"

: > vide.csv
run_dossier 1 validate vide.csv
assert_contains err.txt "[csv.header]"
