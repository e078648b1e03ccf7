# CSV encodings and delimiters as spreadsheets write them: Windows-1252 (iconv), UTF-8
# without BOM, ',' instead of ';' — all validate, and values come out as the right UTF-8.
source "$ROOT/tests/e2e/lib.sh"
cp -r "$SAMPLES/pieces" .

# Header + 600101 + 600106 (only Windows-1252 characters), BOM removed, then iconv.
sed -n '1p;2p;7p' "$SAMPLES/demandes.csv" | sed '1s/^\xEF\xBB\xBF//' > utf8.csv
iconv -f UTF-8 -t WINDOWS-1252 utf8.csv > cp1252.csv
grep -q $'\xE8' cp1252.csv || die "la conversion n'a pas produit d'octet Windows-1252 (è)"
! iconv -f UTF-8 -t UTF-8 cp1252.csv >/dev/null 2>&1 || die "cp1252.csv ne devrait pas être de l'UTF-8 valide"

run_dossier 0 validate cp1252.csv
assert_contains out.txt "600101 : acceptée"
assert_contains out.txt "600106 : acceptée"
run_dossier 0 validate utf8.csv
assert_contains out.txt "600106 : acceptée"

# A value quoted in a message shows that the accents were decoded exactly.
python3 - <<'PY'
import csv
rows = list(csv.reader(open("utf8.csv", encoding="utf-8", newline=""), delimiter=";"))
assert rows[2][0] == "600106", rows[2][0]
rows[2][rows[0].index("titulaire.email")] = "hervé.quéméneur@atelier-quéméneur"
csv.writer(open("utf8.csv", "w", encoding="utf-8", newline=""), delimiter=";",
           lineterminator="\r\n").writerows(rows)
PY
iconv -f UTF-8 -t WINDOWS-1252 utf8.csv > cp1252.csv
run_dossier 1 validate cp1252.csv
assert_contains err.txt "cp1252.csv:3: titulaire.email: adresse e-mail « hervé.quéméneur@atelier-quéméneur » invalide"
assert_contains err.txt "[email.syntax]"
assert_contains out.txt "600101 : acceptée"

# An undefined Windows-1252 byte rejects its record, at its line; the others go on.
printf '600199;\x81\r\n' >> cp1252.csv
run_dossier 1 validate cp1252.csv
assert_contains err.txt "cp1252.csv:4: octet 0x81 invalide en UTF-8 comme en Windows-1252"
assert_contains err.txt "[csv.encoding]"
assert_contains err.txt "demande 600199 rejetée"
assert_contains out.txt "600101 : acceptée"

# UTF-16 (Excel's "Unicode text") is refused with a hint.
iconv -f UTF-8 -t UTF-16 utf8.csv > utf16.csv
run_dossier 1 validate utf16.csv
assert_contains err.txt "UTF-16"
assert_contains err.txt "[csv.encoding]"

# The whole sample file with ',' as delimiter: same results as with ';'.
python3 - "$SAMPLES/demandes.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))
assert any("," in cell for row in rows for cell in row), "des cellules avec ',' rendent le test utile"
csv.writer(open("virgules.csv", "w", encoding="utf-8", newline=""), delimiter=",").writerows(rows)
PY
cp "$SAMPLES/demandes.csv" points-virgules.csv
run_dossier 0 validate points-virgules.csv -o a
run_dossier 0 validate virgules.csv -o b
python3 - <<'PY'
import json
a = json.load(open("a/report.json")); b = json.load(open("b/report.json"))
assert a["rejected"] == 0 and b["rejected"] == 0
assert [(r["numero"], r["flow"]) for r in a["results"]] == [(r["numero"], r["flow"]) for r in b["results"]]
assert len(b["results"]) >= 12
PY
