# Hostile or broken surroundings: a named pipe as a piece, thousands of duplicate
# columns, a corrupt piece seen by `validate`, missing fonts or schemas (exit 2 and
# nothing written), an impossible --date, time-zone independence of the containers.
source "$ROOT/tests/e2e/lib.sh"
head -1 "$SAMPLES/demandes.csv" > one.csv
grep '^600106;' "$SAMPLES/demandes.csv" >> one.csv

# A FIFO named as a piece is refused, not waited on.
mkdir -p p/pieces && mkfifo p/pieces/fifo.jpg
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("one.csv", encoding="utf-8-sig"), delimiter=";"))
rows[0]["pieces.id_titulaire"] = "pieces/fifo.jpg"
w = csv.DictWriter(open("p/d.csv", "w", encoding="utf-8", newline=""), fieldnames=list(rows[0]), delimiter=";")
w.writeheader(); w.writerows(rows)
PY
got=0; timeout 20 "$DOSSIER" validate p/d.csv >out.txt 2>err.txt || got=$?
[ "$got" -eq 1 ] || die "tube nommé : code $got (124 = bloqué)"
assert_contains err.txt "[piece.not_file]"

# 500 copies of a column: one problem per copy, quickly.
python3 -c "print(';'.join(['numero'] * 500))" > dup.csv
got=0; timeout 20 "$DOSSIER" validate dup.csv >out.txt 2>err.txt || got=$?
[ "$got" -eq 1 ] || die "colonnes en double : code $got"
[ "$(grep -c 'csv.duplicate_column' err.txt)" -eq 499 ] || die "$(grep -c 'csv.duplicate_column' err.txt) problèmes au lieu de 499"
# 5,000 columns: more than a header has, refused at once, in one problem.
python3 -c "print(';'.join(['numero'] * 5000))" > wide.csv
got=0; timeout 20 "$DOSSIER" validate wide.csv >out.txt 2>err.txt || got=$?
[ "$got" -eq 1 ] || die "5 000 colonnes : code $got"
assert_contains err.txt "ligne d'en-tête de 5000 colonnes : au plus 512"
[ "$(grep -c '\[csv' err.txt)" -eq 1 ] || die "un seul problème attendu pour 5 000 colonnes"

# `validate` decodes the pieces: a JPEG with a valid signature but garbage inside is
# refused before anything is rendered.
printf '\377\330\377\340garbage' > p/pieces/bad.jpg
sed -i 's|pieces/fifo.jpg|pieces/bad.jpg|' p/d.csv
run_dossier 1 validate p/d.csv
assert_contains err.txt "pieces.id_titulaire"
assert_contains err.txt "[piece.corrupt]"

# Configuration errors: exit 2, and the output folder is not even created.
mkdir -p empty
DOSSIER_DATADIR="$PWD/empty" run_dossier 2 build --templates "$ROOT/templates" -o out-fonts one.csv
assert_contains err.txt "police"
assert_no_file out-fonts
cp -r "$ROOT/templates" tpl && echo "<pas un schéma" > tpl/demande.xsd
run_dossier 2 validate --templates tpl -o out-xsd one.csv
assert_contains err.txt "demande.xsd"
assert_no_file out-xsd
run_dossier 0 build -q -o good one.csv
DOSSIER_DATADIR="$PWD/empty" run_dossier 2 verify good/600106.zip
assert_contains err.txt "asic-manifest.xsd"
run_dossier 2 build -o out-dir "$PWD"          # a folder as input: nothing written
assert_no_file out-dir

# A date that does not exist is refused rather than rolled over.
run_dossier 2 build --date 2026-02-31 -o out-date one.csv
assert_no_file out-date

# Containers do not depend on the machine's time zone, even across a DST change.
TZ=Europe/Paris run_dossier 0 build -q --date 2026-03-29T02:30:00Z -o tz1 one.csv
TZ=UTC run_dossier 0 build -q --date 2026-03-29T02:30:00Z -o tz2 one.csv
cmp tz1/600106.zip tz2/600106.zip || die "conteneurs différents selon TZ"
python3 - <<'PY'
import zipfile
for i in zipfile.ZipFile("tz1/600106.zip").infolist():
    assert i.date_time[:5] == (2026, 3, 29, 2, 30), (i.filename, i.date_time)
PY
