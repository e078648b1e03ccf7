# Names exported in decomposed form (NFD: "e" + combining accent, as some Mac tools
# write them) validate and print in their composed form.
source "$ROOT/tests/e2e/lib.sh"
python3 - <<'PY'
import csv, os, sys, unicodedata
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import read_samples
rows = read_samples()
r = dict([x for x in rows if x["numero"] == "600109"][0])      # Ștefan Popescu
for k in r:
    if k.startswith("pieces."):
        r[k] = ""
r["titulaire.nom"] = unicodedata.normalize("NFD", "Popescu-Lefèvre")
r["titulaire.prenom"] = unicodedata.normalize("NFD", "Ștefan")
assert r["titulaire.prenom"] != "Ștefan"
with open("nfd.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter=";")
    w.writeheader(); w.writerow(r)
PY
run_dossier 0 build -q --flow papier -o out nfd.csv
pdftotext out/600109.pdf text.txt
assert_contains text.txt "Ștefan"
assert_contains text.txt "Popescu-Lefèvre"
