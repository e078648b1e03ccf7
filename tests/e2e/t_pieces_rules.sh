# The pieces list tells the truth, act by act, in all three places it is printed
# (bordereau, formulaire page 2, pieces list) and in report.json; server certificates
# list the CA's domain control and CSR steps; the dematerialised flow has no
# initialling box and no handwritten signature block; old inputs still build.
source "$ROOT/tests/e2e/lib.sh"
cp -r "$SAMPLES/pieces" .
# Variants of 600103 (an association, paper flow) and of 600102 (a SARL made EI).
python3 - "$SAMPLES/demandes.csv" <<'PY'
import csv, sys
rows = {r["numero"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";")}
fields = list(next(iter(rows.values())))
fields += [f for f in ("pieces.kbis", "pieces.sirene", "pieces.statuts", "pieces.publication", "pieces.nomination")
           if f not in fields]
out = []
def variant(base, numero, **changes):
    r = dict(rows[base]); r["numero"] = numero
    for k in fields:
        r.setdefault(k, "")
    r["pieces.acte_nomination"] = ""
    r.update({k.replace("__", "."): v for k, v in changes.items()})
    out.append(r)
# An association with its statuts only.
variant("600103", "610001", pieces__statuts="pieces/statuts-association-specimen.pdf")
# The same with every act.
variant("600103", "610002", pieces__statuts="pieces/statuts-association-specimen.pdf",
        pieces__publication="pieces/delegation-specimen.pdf", pieces__nomination="pieces/kbis-specimen.pdf",
        pieces__sirene="pieces/kbis-specimen.pdf")
# An EI (category 1000) with the avis SIRENE only, holder = RL.
variant("600102", "610003", organisation__categorie_juridique="1000", pieces__sirene="pieces/kbis-specimen.pdf")
# Old input: the portal's single upload only (for an association: the nomination).
variant("600103", "610004", pieces__acte_nomination="pieces/statuts-association-specimen.pdf")
# A SAS given a piece its rule does not ask for.
variant("600101", "610005", pieces__publication="pieces/delegation-specimen.pdf")
w = csv.DictWriter(open("pieces.csv", "w", encoding="utf-8", newline=""), fieldnames=fields, delimiter=";")
w.writeheader(); w.writerows(out)
PY
run_dossier 1 build -o out pieces.csv
assert_contains err.txt "pieces.publication: « pieces/delegation-specimen.pdf » : la règle « Société par actions simplifiée (SAS) » (catégorie 5710) ne demande pas ce document"
assert_contains err.txt "[piece.not_asked]"

# What each place says of an act: the bordereau's checklist (page 1) and the two pieces
# tables (formulaire page 2, pieces list): its status ends the line where the act starts.
status_of() {   # PDF ACT_WORDS -> one status a line, one line a place
  python3 - "$1" "$2" <<'PY'
import subprocess, sys
pdf, words = sys.argv[1], sys.argv[2]
text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
for line in text.splitlines():
    if words in line:
        for s in ("à fournir", "jointe", "si nécessaire"):
            if line.rstrip().endswith(s):
                print(s)
PY
}
check() {   # NUMERO ACT_WORDS WANT
  got=$(status_of out/$1.pdf "$2" | tr '\n' ',')
  [ "$(status_of out/$1.pdf "$2" | wc -l)" -eq 3 ] || die "$1 « $2 » : lu « $got » au lieu de trois fois « $3 »"
  [ "$(status_of out/$1.pdf "$2" | sort -u)" = "$3" ] || die "$1 « $2 » : « $got » au lieu de « $3 » partout"
}
check 610001 "Statuts à jour, datés et signés" "jointe"
check 610001 "Récépissé de la déclaration des statuts" "si nécessaire"
check 610001 "Procès-verbal de l’assemblée ou du conseil ayant" "à fournir"
check 610001 "L’un des documents suivants" "à fournir"
check 610004 "Procès-verbal de l’assemblée ou du conseil ayant" "jointe"
check 610004 "Statuts à jour, datés et signés" "si nécessaire"
# Every act attached, or the EI's choice satisfied: nothing "à fournir" left of the acts.
python3 - <<'PY'
import json
d = {r["numero"]: r for r in json.load(open("out/report.json"))["results"]}
def status(n): return {p["code"]: p["status"] for p in d[n]["pieces"]}
assert status("610001") == {"id_titulaire": "joint", "id_rl": "joint", "id_delegataire": "joint", "delegation": "joint",
                            "statuts": "joint", "publication": "si_necessaire", "nomination": "a_fournir",
                            "sirene|kbis": "a_fournir"}, status("610001")
assert all(s == "joint" for s in status("610002").values()), status("610002")
assert status("610003") == {"id_titulaire": "joint", "kbis|sirene": "joint"}, status("610003")
assert status("610004")["nomination"] == "joint" and status("610004")["statuts"] == "si_necessaire"
assert d["610005"]["status"] == "rejected" and d["610005"]["pieces"] == []
PY
# No line of the tables nor of the checklist says "à fournir".
[ "$(pdftotext -layout out/610002.pdf - | grep -cE 'à fournir *$')" -eq 0 ] || die "610002 : une ligne « à fournir » alors que tout est joint"
[ "$(pdftotext -layout out/610001.pdf - | grep -cE 'à fournir *$')" -eq 6 ] || die "610001 : deux pièces à fournir, en trois endroits"
# Each attached act's page names the act it proves.
pdftotext out/610002.pdf pj.txt
assert_contains pj.txt "Statuts à jour, datés et signés — Œuvre des Jardins Ouvriers de Vénissieux"
assert_contains pj.txt "Avis de situation au répertoire SIRENE de l’INSEE de moins de trois mois — Œuvre"

# A server certificate: the CA's steps, not files.
run_dossier 0 build -q -o server "$SAMPLES/demandes.csv"
pdftotext -layout server/600104.pdf server.txt
assert_contains server.txt "Contrôle par l’AC de la maîtrise du nom de domaine"
assert_contains server.txt "étape de l’AC,"
assert_contains server.txt "Requête de certificat (CSR) générée sur le serveur"
python3 - <<'PY'
import json
r = next(r for r in json.load(open("server/report.json"))["results"] if r["numero"] == "600104")
steps = [(p["code"], p["status"]) for p in r["pieces"] if p["status"].startswith("etape")]
assert steps == [("domaine", "etape"), ("csr", "etape_demandeur")], steps
PY

# The dematerialised flow: no initialling box, no handwritten block; the signature page
# names each signatory and the electronic signature expected. The paper flow keeps them.
unzip -q -o server/600102.zip -d demat
for f in demat/*.pdf; do
  pdftotext "$f" d.txt
  assert_not_contains d.txt "Paraphe"
  assert_not_contains d.txt "Fait à"
  assert_not_contains d.txt "lu et approuvé"
done
pdftotext demat/formulaire-600102.pdf d.txt
assert_contains d.txt "Signature électronique"
assert_contains d.txt "Emplacement de la signature électronique visible"
assert_contains d.txt "l.nowak@menuiserie-trois-vallees.example"
pdftotext server/600101.pdf p.txt
assert_contains p.txt "Paraphe"
assert_contains p.txt "Fait à"
assert_contains p.txt "lu et approuvé"

# Overseas telephone numbers and a NIC typed with a space are accepted.
python3 - "$SAMPLES/demandes.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
r = dict(rows[0]); r["numero"] = "610010"
r["organisation.telephone"] = "+262 262 12 34 56"; r["titulaire.tel_portable"] = "0696 12 34 56"
r["organisation.nic"] = "000 11"
w = csv.DictWriter(open("dom.csv", "w", encoding="utf-8", newline=""), fieldnames=list(r), delimiter=";")
w.writeheader(); w.writerow(r)
PY
run_dossier 0 validate dom.csv
assert_contains out.txt "610010 : acceptée"

# The armed forces' protected SIREN: refused with the portal's message.
sed 's/^\(610010;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;\)5710;/\17150;/' dom.csv > army.csv
grep -q ';7150;' army.csv || die "army.csv sans catégorie 7150"
run_dossier 1 validate army.csv
assert_contains err.txt "SIREN protégé (armées)"
assert_contains err.txt "contactez le service commercial"
assert_contains err.txt "[categorie.refused]"
