# Attached files stay inside their root: "..", absolute paths and links leading out are
# refused (piece.outside_root, piece.absolute); --pieces-dir moves the root.
source "$ROOT/tests/e2e/lib.sh"
mkdir lot
cp -r "$SAMPLES/pieces" lot/
cp "$SAMPLES/pieces/cni-jeanne-martin.jpg" dehors.jpg
ln -s "$WORK/dehors.jpg" lot/pieces/lien-dehors.jpg
ln -s ../.. lot/pieces/remonte
ln -s cni-jeanne-martin.jpg lot/pieces/lien-dedans.jpg

# 600101 five times, each with another pieces.id_titulaire (and its own numero).
python3 - "$SAMPLES/demandes.csv" "$WORK" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))
head, rec = rows[0], rows[1]
col = head.index("pieces.id_titulaire")
paths = ["../dehors.jpg", "pieces/lien-dehors.jpg", "pieces/remonte/dehors.jpg",
         sys.argv[2] + "/dehors.jpg", "pieces/lien-dedans.jpg", "pieces/absente.jpg",
         "pieces/delegation-specimen.pdf"]
out = [head]
for i, p in enumerate(paths):
    r = list(rec)
    r[0] = str(600201 + i)
    r[col] = p
    out.append(r)
csv.writer(open("lot/demandes.csv", "w", encoding="utf-8", newline=""), delimiter=";").writerows(out)
PY

run_dossier 1 validate lot/demandes.csv -o rapport
assert_contains err.txt "lot/demandes.csv:2: pieces.id_titulaire: « ../dehors.jpg »"
python3 - <<'PY'
import json
d = json.load(open("rapport/report.json"))
got = {r["numero"]: [(e["code"], e["field"]) for e in r["errors"]] for r in d["results"]}
f = "pieces.id_titulaire"
want = {
    "600201": [("piece.outside_root", f)],
    "600202": [("piece.outside_root", f)],
    "600203": [("piece.outside_root", f)],
    "600204": [("piece.absolute", f)],
    "600205": [],
    "600206": [("piece.missing", f)],
    "600207": [],          # a PDF is a fine ID copy as far as types go
}
assert got == want, got
PY
[ "$(grep -c '\[piece.outside_root\]' err.txt)" -eq 3 ] || die "3 pièces hors racine attendues"

# The same file elsewhere: its pieces are missing, until --pieces-dir names their root.
mkdir ailleurs
sed 's#pieces/remonte/dehors.jpg#pieces/cni-chloe-muller.jpg#' lot/demandes.csv > ailleurs/demandes.csv
run_dossier 1 validate ailleurs/demandes.csv
assert_contains err.txt "[piece.missing]"
[ "$(grep -c '\[piece.outside_root\]' err.txt)" -eq 1 ] || die "seul « ../dehors.jpg » sort de la racine"
run_dossier 1 validate --pieces-dir lot ailleurs/demandes.csv
assert_contains out.txt "600203 : acceptée"
assert_contains out.txt "600205 : acceptée"
assert_contains err.txt "ailleurs/demandes.csv:2: pieces.id_titulaire: « ../dehors.jpg »"
[ "$(grep -c '\[piece.outside_root\]' err.txt)" -eq 2 ] || die "2 pièces hors racine attendues avec --pieces-dir"
# A root that holds dehors.jpg makes "../dehors.jpg" no better: ".." is refused outright.
run_dossier 1 validate --pieces-dir "$WORK/lot/pieces" ailleurs/demandes.csv
assert_contains err.txt "ailleurs/demandes.csv:2: pieces.id_titulaire: « ../dehors.jpg » : « .. » interdit"
