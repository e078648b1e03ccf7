# XML problems name the element's line and path; a schema problem rejects its own
# <demande> only; pieces are found next to the XML file.
source "$ROOT/tests/e2e/lib.sh"
cp -r "$SAMPLES/pieces" .

python3 - "$SAMPLES/demandes.xml" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
# demande[2]: a broken e-mail; demande[3]: an element the schema does not know.
text = text.replace("<email>l.nowak@menuiserie-trois-vallees.example</email>",
                    "<email>l.nowak@@menuiserie-trois-vallees.example</email>", 1)
text = text.replace("<email>chloe.muller@jardins-ouvriers-venissieux.example</email>",
                    "<email>chloe.muller@jardins-ouvriers-venissieux.example</email><couleur>vert</couleur>", 1)
open("demandes.xml", "w", encoding="utf-8").write(text)
PY
email_line=$(grep -n 'l.nowak@@' demandes.xml | cut -d: -f1)
extra_line=$(grep -n '<couleur>' demandes.xml | cut -d: -f1)

run_dossier 1 validate demandes.xml -o rapport
assert_contains err.txt "demandes.xml:$email_line: /demandes/demande[2]/titulaire/email: titulaire.email: adresse e-mail « l.nowak@@menuiserie-trois-vallees.example » invalide"
assert_contains err.txt "[email.syntax]"
assert_contains err.txt "demandes.xml:$extra_line: /demandes/demande[3]/titulaire/couleur: titulaire.couleur: "
assert_contains err.txt "[xml.schema]"
assert_contains out.txt "600101 : acceptée"
assert_contains out.txt "600104 : acceptée"
assert_not_contains out.txt "600102 : acceptée"
assert_not_contains out.txt "600103 : acceptée"

python3 - "$email_line" <<'PY'
import json, sys
d = json.load(open("rapport/report.json", encoding="utf-8"))
by = {r["numero"]: r for r in d["results"]}
assert d["rejected"] == 2 and d["accepted"] == len(by) - 2, (d["accepted"], d["rejected"])
e = by["600102"]["errors"]
assert [x["code"] for x in e] == ["email.syntax"], e
assert e[0]["xml_path"] == "/demandes/demande[2]/titulaire/email" and e[0]["line"] == int(sys.argv[1]), e
assert "xml.schema" in [x["code"] for x in by["600103"]["errors"]], by["600103"]
assert by["600103"]["source"].startswith("demandes.xml:"), by["600103"]
PY
