# Layout rules on purpose-built records: pieces per legal category, délégataire,
# seal and server layouts, a 200-character address that wraps inside its box,
# page 2 of the formulaire, the signature page, and identical bytes on re-run.
source "$ROOT/tests/e2e/lib.sh"
python3 - <<'PY'
import csv, os, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import read_samples
rows = read_samples()
by = {r["numero"]: r for r in rows}
base = dict(by["600101"])            # SAS, signature, paper, RL distinct, pieces given
for k in list(base):
    if k.startswith("pieces."):
        base[k] = ""
out = []
def add(numero, **changes):
    r = dict(base); r["numero"] = numero
    for k, v in changes.items():
        r[k.replace("__", ".")] = v
    out.append(r)
add("700001", organisation__categorie_juridique="5710")                      # SAS
add("700002", organisation__categorie_juridique="9220")                      # association
add("700003", organisation__categorie_juridique="7210")                      # commune
add("700004", organisation__categorie_juridique="1000", titulaire__est_rl="oui",
    rl__prenom="", rl__nom="", rl__email="")                                  # EI
add("700005", delegataire__present="oui", delegataire__prenom="Ștefan", delegataire__nom="Popescu",
    delegataire__email="s.popescu@example.fr")
seal = dict(by["600105"]); seal["numero"] = "700006"; out.append(seal)       # cachet
server = dict(by["600111"]); server["numero"] = "700007"; out.append(server) # serveur
long_address = ("Résidence des Tilleuls Argentés, bâtiment C, escalier 4, porte 12, "
                "zone d'activités économiques des Grandes Prairies du Val-de-Saône, "
                "quartier des Anciennes Manufactures de Soieries Lyon, 12345 chemin")
assert len(long_address) == 200, len(long_address)
add("700008", organisation__adresse=long_address)
with open("t.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter=";")
    w.writeheader(); w.writerows(out)
open("long.txt", "w").write(long_address)
PY
run_dossier 0 build -q --flow papier -o out t.csv
run_dossier 0 build -q --flow papier -o out2 t.csv
for f in out/*; do cmp "$f" "out2/$(basename "$f")" || die "$f : octets différents entre deux exécutions"; done

python3 - <<'PY'
import os, re, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import *
fail = []
def text(n): return norm(pdftotext("out/%s.pdf" % n))
def form_text(n):
    pages = pdftotext("out/%s.pdf" % n).split("\f")
    return norm(" ".join(p for p in pages if ":FOR:" in p))
def lpj(n):
    # the liste des pièces document only: its pages carry the LPJ tracking code
    pages = pdftotext("out/%s.pdf" % n).split("\f")
    return norm(" ".join(p for p in pages if ":LPJ:" in p))

for numero, cat in (("700001", "5710"), ("700002", "9220"), ("700003", "7210"), ("700004", "1000")):
    label, acts = pieces_rule(cat)
    t = lpj(numero)
    for a in acts:
        if a not in t: fail.append("%s (%s) : acte « %s » absent de la liste des pièces" % (numero, cat, a))
    if label not in t: fail.append("%s : libellé « %s » absent" % (numero, label))
    # and not the acts of the other categories
    for other in ("5710", "9220", "7210", "1000"):
        if other == cat: continue
        for a in pieces_rule(other)[1]:
            # (an act of this category may begin with another's words: "Extrait Kbis
            # de moins de trois mois, pour une association…")
            if a not in acts and a in t and not any(x.startswith(a) for x in acts):
                fail.append("%s (%s) : acte d'une autre catégorie (%s) présent : %s" % (numero, cat, other, a))
    if "à fournir" not in t: fail.append("%s : aucune pièce « à fournir »" % numero)

t = text("700004")
if "Jeanne Martin, titulaire du certificat, est représentante légale de l’organisation" not in t:
    fail.append("700004 : titulaire = RL non indiqué")
if lpj("700004").count("Copie d’une pièce d’identité") != 1:
    fail.append("700004 : pièces du RL inattendues (une seule pièce d'identité attendue)")

t = text("700005"); l = lpj("700005")
for s in ("Délégataire, qui signe la demande", "Ștefan", "Popescu", "Le délégataire",
          "par délégation de signature de Marc-Olivier Dubreuil, représentant légal", "Paraphe Ștefan Popescu"):
    if s not in t: fail.append("700005 : « %s » absent" % s)
if "Délégation de signature datée et signée par le représentant légal et le délégataire" not in l:
    fail.append("700005 : délégation absente de la liste")
if "Ștefan Popescu, délégataire" not in l: fail.append("700005 : pièce d'identité du délégataire absente")

for numero, want, unwanted in (("700006", ["Service applicatif", "Responsable du certificat", "Nom du service applicatif", "La responsable du certificat"], ["Titulaire du certificat", "FQDN"]),
                               ("700007", ["Service applicatif", "Responsable du certificat", "FQDN (Fully Qualified Domain Name) du service"], ["Titulaire du certificat", "Nom du service applicatif"])):
    t = form_text(numero)
    for s in want:
        if s not in t: fail.append("%s : « %s » absent" % (numero, s))
    for s in unwanted:
        if s in t: fail.append("%s : « %s » présent à tort" % (numero, s))

# 200-character address: present, on several lines, every word inside the page margins.
long_address = open("long.txt").read()
raw = pdftotext("out/700008.pdf", 2, 2)   # page 2 = formulaire page 1 (after the bordereau)
if norm(long_address) not in norm(raw): fail.append("700008 : adresse longue absente")
lines = [l for l in raw.splitlines() if l.strip() and l.strip() in long_address]
if len(lines) < 2: fail.append("700008 : l'adresse de 200 caractères ne passe pas à la ligne (%d lignes)" % len(lines))
bbox = subprocess.run(["pdftotext", "-bbox", "out/700008.pdf", "-"], capture_output=True, text=True).stdout
left, right = 18 / 25.4 * 72 - 1, 595.276 - 18 / 25.4 * 72 + 1
for m in re.finditer(r'<page width="[\d.]+" height="[\d.]+">|<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', bbox):
    if m.group(1) and (float(m.group(1)) < left - 6 or float(m.group(2)) > right):
        fail.append("700008 : texte hors de la zone imprimable (x %s–%s)" % (m.group(1), m.group(2))); break

# Formulaire: required pieces open its page 2; last page is the signature page
# (no initialling boxes), the other pages have one box per signatory.
pages = pdftotext("out/700001.pdf").split("\f")
form = [p for p in pages if ":FOR:" in p]
if "Pièces justificatives à joindre au dossier" not in form[1]: fail.append("700001 : pièces pas en page 2 du formulaire")
if "Paraphe" in form[-1] or "Signature" not in form[-1]: fail.append("700001 : la page de signature porte des paraphes")
for p in form[:-1]:
    if p.count("Paraphe") != 2: fail.append("700001 : page de formulaire sans 2 cadres de paraphe")
cgu = [p for p in pages if ":CGU:" in p]
if len(cgu) < 4 or any(p.count("Paraphe") != 2 for p in cgu): fail.append("700001 : CGU < 4 pages ou sans paraphes")
if fail:
    print("\n".join(fail)); sys.exit(1)
PY

# Values so long that page 1 of the formulaire overflows: the required pieces still
# open its page 2 (the fallback order moves the Personnes section after them).
python3 - <<'PY'
import csv, os, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import read_samples
rows = read_samples()
r = dict([x for x in rows if x["numero"] == "600103"][0])
r["numero"] = "700009"
long = lambda word: " ".join([word] * 40)[:300]
for f in ("organisation.denomination", "organisation.etablissement", "organisation.adresse",
          "organisation.complement", "organisation.lieu_dit", "organisation.ville",
          "titulaire.fonction", "titulaire.service", "rl.nom", "delegataire.nom"):
    r[f] = long(f.split(".")[1])
with open("long.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter=";")
    w.writeheader(); w.writerow(r)
PY
run_dossier 0 build -q --flow papier --pieces-dir "$SAMPLES" -o long-out long.csv
python3 - <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import *
pages = [p for p in pdftotext("long-out/700009.pdf").split("\f") if ":FOR:" in p]
assert "Pièces justificatives à joindre au dossier" in pages[1], "pièces absentes de la page 2 du formulaire"
assert "Titulaire du certificat" in norm(" ".join(pages)), "section Personnes perdue"
t = norm(" ".join(pages))
for word in ("denomination", "etablissement", "adresse", "fonction", "service", "nom"):
    assert norm(" ".join([word] * 40)[:300]) in t, word
PY

# Nothing overprints: on every page of the long-value dossiers (bordereau sender,
# formulaire, pieces list), no two words' boxes overlap.
python3 - <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import overlapping_words
fail = ["%s %s" % (pdf, o) for pdf in ("long-out/700009.pdf", "out/700008.pdf", "out/700005.pdf")
        for o in overlapping_words(pdf)]
if fail:
    print("\n".join(fail[:20])); sys.exit(1)
PY
