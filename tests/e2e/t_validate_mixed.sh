# A batch mixing good and bad records: every problem of every bad record on stderr as
# FILE:LINE: champ: message [code], the good ones accepted, exit 1, and both reports.
source "$ROOT/tests/e2e/lib.sh"
cp -r "$SAMPLES/pieces" .

# The first six sample records, then broken on purpose (python's csv: an independent writer).
python3 - "$SAMPLES/demandes.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))
head, recs = rows[0], {r[0]: r for r in rows[1:7]}
col = {name: i for i, name in enumerate(head)}
recs["600102"][col["organisation.nic"]] = "00018"                 # SIRET key
r = recs["600103"]                                                # three problems
r[col["titulaire.email"]] = ""
r[col["modalites.bureau_envoi"]] = "nantes"
r[col["organisation.nic"]] = "00018"
recs["600104"][col["modalites.bureau_retrait"]] = "bordeaux"      # unknown office
recs["600105"].append("en trop")                                  # ragged row
dup = list(recs["600106"])                                        # same numero again
out = csv.writer(open("demandes.csv", "w", encoding="utf-8-sig", newline=""), delimiter=";",
                 lineterminator="\r\n")
out.writerow(head)
for n in sorted(recs):
    out.writerow(recs[n])
out.writerow(dup)
PY

run_dossier 1 validate demandes.csv -o rapport

# Exactly these problems, each on its own line in the documented form.
python3 - <<'PY'
import re
want = {
    (3, "organisation.nic", "siret.luhn"),
    (4, "titulaire.email", "field.required"),
    (4, "modalites.bureau_envoi", "bureau.unknown"),
    (4, "organisation.nic", "siret.luhn"),
    (5, "modalites.bureau_retrait", "bureau.unknown"),
    (6, None, "csv.ragged"),
    (8, "numero", "numero.duplicate"),
}
form = re.compile(r"^demandes\.csv:(\d+): (?:([a-z_]+\.[a-z_.]+|numero): )?(\S.*) \[([a-z_]+\.[a-z_]+)\]$")
got = set()
for line in open("err.txt", encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.endswith("]"):
        continue
    m = form.match(line)
    assert m, "ligne mal formée : " + line
    got.add((int(m.group(1)), m.group(2), m.group(4)))
assert got == want, ("en trop", got - want, "manquants", want - got)
PY
assert_contains err.txt "demande 600103 rejetée (3 problèmes)"
assert_contains err.txt "« bordeaux »"
assert_contains out.txt "600101 : acceptée"
assert_contains out.txt "600106 : acceptée"
for n in 600102 600103 600104 600105; do
  assert_not_contains out.txt "$n : acceptée"
done
[ "$(grep -c 'acceptée (' out.txt)" -eq 2 ] || die "2 demandes acceptées attendues"

assert_file rapport/report.json
assert_file rapport/report.csv
python3 - <<'PY'
import csv, json
d = json.load(open("rapport/report.json", encoding="utf-8"))
assert d["command"] == "validate" and d["records"] == 7 and d["accepted"] == 2 and d["rejected"] == 5, d
got = [(r["numero"], r["status"], sorted(e["code"] for e in r["errors"])) for r in d["results"]]
want = [
    ("600101", "ok", []),
    ("600102", "rejected", ["siret.luhn"]),
    ("600103", "rejected", ["bureau.unknown", "field.required", "siret.luhn"]),
    ("600104", "rejected", ["bureau.unknown"]),
    ("600105", "rejected", ["csv.ragged"]),
    ("600106", "ok", []),
    ("600106", "rejected", ["numero.duplicate"]),
]
assert got == want, got
e = [e for e in d["results"][2]["errors"] if e["code"] == "field.required"][0]
assert e["field"] == "titulaire.email" and e["line"] == 4 and e["file"] == "demandes.csv", e
assert d["results"][0]["flow"] == "papier" and d["results"][1]["flow"] is None

rows = list(csv.DictReader(open("rapport/report.csv", encoding="utf-8-sig", newline=""), delimiter=";"))
assert [(r["numero"], r["statut"]) for r in rows] == [(n, s) for n, s, _ in want], rows
assert sorted(rows[2]["codes"].split()) == want[2][2], rows[2]
assert len(rows[2]["erreurs"].split("\n")) == 3, rows[2]["erreurs"]
assert rows[2]["erreurs"].startswith("demandes.csv:4: "), rows[2]["erreurs"]
PY

# Without -o nothing is written.
rm -rf rapport
run_dossier 1 validate -q demandes.csv
assert_no_file rapport
assert_no_file report.json
[ ! -s out.txt ] || die "--quiet : rien attendu sur la sortie standard"
assert_contains err.txt "[siret.luhn]"
