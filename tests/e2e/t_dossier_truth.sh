# What the dossier tells applicants and officers must be true (issue 16): one check per
# rule, on records of our own built from the samples — a company's new representative,
# the délégation by sector, associations, syndicats and ordres, impossible roles,
# collection in person, the dematerialised follow-up, certified copies and versos,
# labels and French, the bordereau on one sheet with named paraphe boxes, and from when
# "moins de trois mois" counts.
source "$ROOT/tests/e2e/lib.sh"
cp -r "$SAMPLES/pieces" .
python3 - <<'PY'
import csv, os, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import read_samples
rows = {r["numero"]: r for r in read_samples()}
fields = list(next(iter(rows.values())))
# The new fields, each beside its group's (tools/csv2xml.py wants groups contiguous).
for f in ("pieces.id_titulaire_verso", "titulaire.civilite", "rl.civilite", "delegataire.civilite",
          "responsable.civilite"):
    if f not in fields:
        group = f.split(".")[0] + "."
        fields.insert(max(i for i, x in enumerate(fields) if x.startswith(group)) + 1, f)
good, bad = [], []
def variant(out, base, numero, **changes):
    r = dict(rows[base]); r["numero"] = numero
    for k in fields:
        r.setdefault(k, "")
    for k in list(r):
        if k.startswith("pieces."):
            r[k] = ""
    r.update({k.replace("__", "."): v for k, v in changes.items()})
    out.append(r)
ID = "pieces/cni-jeanne-martin.jpg"
PDF = "pieces/kbis-specimen.pdf"
# 1. A company's new representative: the PV of his nomination, beside the Kbis.
for n, cat in (("620101", "5710"), ("620102", "5499"), ("620103", "5599"), ("620104", "5202")):
    variant(good, "600101", n, organisation__categorie_juridique=cat, pieces__kbis=PDF, pieces__nomination=PDF)
# 2. Délégation by sector: a commune, a public body of commercial law, a SAS.
deleg = dict(delegataire__present="oui", delegataire__prenom="Yves", delegataire__nom="Marchal",
             delegataire__email="y.marchal@example.fr")
variant(good, "600101", "620201", organisation__categorie_juridique="7210", **deleg)
variant(good, "600101", "620202", organisation__categorie_juridique="4110", **deleg)
variant(good, "600101", "620203", organisation__categorie_juridique="5710", **deleg)
# 3. Associations: the avis SIRENE (or a Kbis) and the PV are enough.
variant(good, "600101", "620301", organisation__categorie_juridique="9220", pieces__sirene=PDF, pieces__nomination=PDF)
variant(good, "600101", "620302", organisation__categorie_juridique="9220", pieces__kbis=PDF, pieces__nomination=PDF)
# 4. Syndicats and ordres.
variant(good, "600101", "620401", organisation__categorie_juridique="8410")
variant(good, "600101", "620402", organisation__categorie_juridique="8420")
variant(good, "600101", "620403", organisation__categorie_juridique="8450")
variant(bad, "600101", "620404", organisation__categorie_juridique="8450", pieces__statuts=PDF)
# 5. Impossible roles: the holder is the RL and a délégataire would sign; a seal's
# responsable who is the RL appears once.
variant(bad, "600101", "620501", titulaire__est_rl="oui", rl__prenom="", rl__nom="", rl__email="", **deleg)
variant(good, "600105", "620502", papier="oui", rl__prenom="Gwenaëlle", rl__nom="Le Bihan-Ortiz",
        rl__email="g.lebihan-ortiz@inise.example")
# ... and so does a titulaire to whom the representative delegated the signature.
variant(good, "600101", "620503", delegataire__present="oui", delegataire__prenom="Jeanne", delegataire__nom="Martin",
        delegataire__email="jeanne.martin@brindille-et-cie.example")
# 6, 7. Collection in person and the dematerialised follow-up (a délégataire signs).
variant(good, "600101", "620601", papier="non", **deleg)
variant(good, "600105", "620602", papier="non")
# 8. A verso in a file of its own; a verso without its recto.
variant(good, "600101", "620801", pieces__id_titulaire=ID, pieces__id_titulaire_verso="pieces/cni-chloe-muller.jpg")
variant(bad, "600101", "620802", pieces__id_titulaire_verso=ID)
# 9. Labels and French: INSEE's label, elisions, genders, an address with a building line.
variant(good, "600101", "620901", organisation__categorie_juridique="5485", titulaire__prenom="Odile",
        rl__prenom="Hélène", organisation__complement="Bâtiment C, 2e étage")
variant(good, "600101", "620902", organisation__categorie_juridique="7346", titulaire__prenom="Yolande",
        rl__prenom="Camille", rl__civilite="Monsieur")
variant(good, "600101", "620903", titulaire__prenom="Dominique", titulaire__est_rl="oui", rl__prenom="", rl__nom="",
        rl__email="")
variant(good, "600104", "620904", papier="oui")
# 10. The most lines a bordereau lists: three IDs, a délégation, five acts.
long_name = "Cercle des amis de la lecture publique et des bibliothèques de quartier de Strasbourg-Neudorf"
variant(good, "600103", "621001", organisation__categorie_juridique="9260", organisation__denomination=long_name, **deleg)
# ... and a sender of five long lines: the list takes smaller type to stay on one sheet.
variant(good, "600103", "621002", organisation__categorie_juridique="9260", organisation__denomination=long_name,
        organisation__etablissement="Bibliothèque de quartier du Neudorf, annexe des Écrivains et salle de lecture des enfants",
        organisation__complement="Bâtiment des anciennes écuries, aile nord, deuxième étage, porte au fond du couloir",
        organisation__lieu_dit="Quartier du Neudorf, lieu-dit des Jardins de la Meinau", **deleg)
for name, out in (("good.csv", good), ("bad.csv", bad)):
    with open(name, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, delimiter=";")
        w.writeheader(); w.writerows(out)
PY
run_dossier 0 build -q -o out good.csv
# The same records in XML: the schema knows the civilités and the versos.
python3 "$ROOT/tools/csv2xml.py" good.csv good.xml
run_dossier 0 validate good.xml
run_dossier 0 build -q -o samples "$SAMPLES/demandes.csv"
run_dossier 1 validate bad.csv
assert_contains err.txt "pieces.statuts: « pieces/kbis-specimen.pdf » : la règle « Ordre professionnel » (catégorie 8450) ne demande pas ce document"
assert_contains err.txt "delegataire.present: le titulaire est le représentant légal : il signe lui-même la demande, sans délégataire"
assert_contains err.txt "[delegataire.conflict]"
assert_contains err.txt "pieces.id_titulaire_verso: « pieces/cni-jeanne-martin.jpg » : verso sans recto"
assert_contains err.txt "[piece.verso_alone]"

python3 - <<'PY'
import glob, json, os, re, subprocess, sys, zipfile
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import pdftotext, norm
fail = []
def check(cond, what):
    if not cond:
        fail.append(what)

def pdfs(n, folder="out"):
    """The record's PDFs, by name: the print PDF of a paper dossier, or the container's."""
    with zipfile.ZipFile("%s/%s.zip" % (folder, n)) as z:
        return {name: z.read(name) for name in z.namelist() if name.endswith(".pdf")}
def pages(n, folder="out"):
    """Text of every page, with the code of its document (BOR, FOR, CGU, LPJ, PJ)."""
    out = []
    for data in pdfs(n, folder).values():
        for p in pdftotext(data).split("\f"):
            m = re.search(r"DSR[12]:\d+:([A-Z]+):(\d+)/(\d+)", p)
            if m:
                out.append((m.group(1), int(m.group(2)), int(m.group(3)), norm(p)))
    return out
def doc(n, code, folder="out"):
    return " ".join(t for c, _, _, t in pages(n, folder) if c == code)
def layout(n, folder="out"):
    return "\n".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True).stdout.decode()
                     for data in pdfs(n, folder).values())
report = {r["numero"]: r for r in json.load(open("out/report.json"))["results"]}
def status(n):
    return {p["code"]: p["status"] for p in report[n]["pieces"]}

# 1. Every company rule takes the PV of a new representative ("si nécessaire"), joined here.
for n in ("620101", "620102", "620103", "620104"):
    check(status(n).get("nomination") == "joint", "%s : PV de nomination non joint : %s" % (n, status(n)))
    check("ne figure pas encore sur l’extrait Kbis" in doc(n, "LPJ"), "%s : cas du nouveau représentant absent" % n)

# 2. The délégation in the words of its sector, and no note repeating it.
public = "Arrêté ou décision de délégation de signature, exécutoire"
private = "Délégation de signature datée et signée par le représentant légal et le délégataire"
for n, want, other in (("620201", public, private), ("620202", public, private), ("620203", private, public)):
    t = doc(n, "LPJ") + doc(n, "BOR") + doc(n, "FOR")
    check(t.count(want) == 3 and other not in t, "%s : délégation « %s » attendue partout" % (n, want))
    check("deux parties" not in t, "%s : « deux parties »" % n)
check("joindre l’arrêté" not in doc("620201", "LPJ"), "620201 : note de délégation en double")

# 3. An association with its avis SIRENE (or its Kbis) and the PV: nothing left to provide
# but the IDs; statuts and récépissé only if needed.
for n in ("620301", "620302"):
    s = status(n)
    check(s["sirene|kbis"] == "joint" and s["nomination"] == "joint", "%s : %s" % (n, s))
    check(s["statuts"] == "si_necessaire" and s["publication"] == "si_necessaire", "%s : %s" % (n, s))

# 4. A syndicat owes the récépissé of its statuts (not "si nécessaire"); an ordre has no statuts.
for n in ("620401", "620402"):
    check(status(n).get("publication") == "a_fournir", "%s : récépissé : %s" % (n, status(n)))
    lines = [x.rstrip() for x in layout(n).splitlines() if "Récépissé du dépôt des statuts en mairie" in x]
    check(len(lines) == 3 and all(x.endswith("à fournir") for x in lines), "%s : récépissé « %s »" % (n, lines))
check("statuts" not in status("620403") and "ayant élu son président" in doc("620403", "LPJ"), "620403 : ordre")

# 5. A seal's responsable who is the RL: one ID line, one signature block, one paraphe box.
s = status("620502")
check(list(s).count("id_titulaire") == 1 and "id_rl" not in s, "620502 : pièces %s" % s)
f = doc("620502", "FOR")
check("Gwenaëlle Le Bihan-Ortiz, responsable du certificat, est représentante légale de l’organisation" in f,
      "620502 : responsable = représentante légale non dit")
last = [t for c, i, k, t in pages("620502") if c == "FOR" and i == k][0]
check("La responsable du certificat, représentante légale" in last and last.count("Faire précéder la signature") == 1,
      "620502 : un seul bloc de signature attendu")
# Every page of the formulaire and the CGU but the signature page: one box.
for n in ("620502", "620503"):
    boxes = [len(re.findall(r"\bParaphe\b", t)) for c, i, k, t in pages(n)
             if c in ("FOR", "CGU") and not (c == "FOR" and i == k)]
    check(len(boxes) > 4 and set(boxes) == {1}, "%s : cadres de paraphe %s" % (n, boxes))
s = status("620503")
check("id_delegataire" not in s and s.get("delegation") == "a_fournir", "620503 : pièces %s" % s)
last = [t for c, i, k, t in pages("620503") if c == "FOR" and i == k][0]
check("La titulaire, délégataire Jeanne Martin par délégation de signature de Marc-Olivier Dubreuil, représentant légal"
      in last and last.count("Faire précéder la signature") == 1, "620503 : un seul bloc de signature attendu")

# 6. A qualified signature certificate is collected in person, against the original ID:
# the bordereau and the formulaire of both flows say so; a seal does not.
check("remis en main propre à Jeanne Martin, sur présentation de l’original de sa pièce d’identité" in doc("620101", "BOR"),
      "620101 : bordereau sans retrait en personne")
for n in ("620101", "620601"):
    check("Retrait en personne : le certificat qualifié est remis en main propre à Jeanne Martin" in doc(n, "FOR"),
          "%s : formulaire sans retrait en personne" % n)
for n in ("620602", "620502"):
    check("main propre" not in doc(n, "FOR") + doc(n, "BOR"), "%s : remise en main propre d'un cachet" % n)

# 7. The dematerialised signing page: the future, the order, the ID number and expiry,
# three attempts, the mobile phone; no sentence of the paper flow anywhere.
f = doc("620601", "FOR")
for s in ("Suite de la procédure", "1. Jeanne Martin, titulaire, recevra à l’adresse jeanne.martin@brindille-et-cie.example",
          "2. Yves Marchal, délégataire, recevra ensuite son propre lien", "le numéro et la date d’expiration",
          "Trois essais seront permis", "SMS sur son téléphone portable", "1. La titulaire", "2. Le délégataire",
          "Yves Marchal signera électroniquement", "déposées dans l’espace client avant la signature électronique"):
    check(s in f, "620601 : « %s » absent" % s)
every = " ".join(t for _, _, _, t in pages("620601"))
for s in ("Signé électroniquement", "avant son envoi", "Paraphe", "Fait à", "lu et approuvé", "Certifié conforme"):
    check(s not in every, "620601 : « %s » dans un dossier dématérialisé" % s)
# The representative does not sign when a délégataire does: the pieces note names the signers.
lpj = doc("620601", "LPJ")
check("signées électroniquement avec le formulaire, par Jeanne Martin et Yves Marchal" in lpj, "620601 : signataires")
check("Marc-Olivier Dubreuil" not in lpj.split("Dossier dématérialisé")[1], "620601 : le RL signerait")
check("retirera en personne" in f and "retirera en personne" not in doc("620602", "FOR"), "suite : retrait en personne")

# 8. Certified copies: one wording; the list says what to write on one's own copies.
lpj = doc("620101", "LPJ")
check("Sur une copie ajoutée au dossier, elle écrit à la main « Certifié conforme à l’original », la date, et signe" in lpj,
      "620101 : copie faite par le demandeur")
check("après la mention" not in doc("620101", "BOR") and "le cadre « Certifié conforme à l’original »" in doc("620101", "BOR"),
      "620101 : étape 5 du bordereau")
pj = doc("620801", "PJ")
check("Pièce d’identité, recto — Jeanne Martin, titulaire" in pj and "Pièce d’identité, verso — Jeanne Martin, titulaire" in pj,
      "620801 : recto et verso")
check(pj.count("Certifié conforme à l’original, le") == 2, "620801 : un cadre « certifié conforme » par face")
check(list(status("620801")).count("id_titulaire") == 1 and "id_titulaire_verso" not in status("620801"),
      "620801 : une seule ligne pour la pièce d'identité")
check("recto et verso d’une carte d’identité" in lpj, "liste : recto et verso")

# 9. Labels and French.
f, b, l = doc("620901", "FOR"), doc("620901", "BOR"), doc("620901", "LPJ")
check("5485 — Société d’exercice libéral à responsabilité limitée" in f and "Société à responsabilité limitée (SARL)" in f,
      "620901 : libellé INSEE et règle")
check("7346 — Communauté de communes" in doc("620902", "LPJ"), "620902 : libellé INSEE")
check("Copie de la pièce d’identité d’Odile Martin, titulaire" in b, "620901 : élision d’Odile")
check("Copie de la pièce d’identité d’Hélène Dubreuil, représentante légale" in b, "620901 : élision d’Hélène")
check("Copie de la pièce d’identité de Yolande Martin, titulaire" in doc("620902", "BOR"), "620902 : de Yolande")
check("de la pièce d’identité d’Yves Marchal, délégataire" in doc("620201", "BOR"), "620201 : d’Yves")
check("La représentante légale" in f and "La titulaire" in f, "620901 : rôles au féminin")
check("Le représentant légal" in doc("620902", "FOR"), "620902 : civilité Monsieur")
check("Dominique Martin, titulaire du certificat, est représentant(e) légal(e)" in doc("620903", "FOR")
      and "Titulaire, représentant(e) légal(e)" in doc("620903", "FOR"), "620903 : genre inconnu")
check("jointe" in l and " joint " not in l + " ", "620901 : une pièce est « jointe »")
check("Mode de transmission" in f and "Circuit" not in f, "Mode de transmission")
check("du 1er novembre 2026" in doc("620901", "CGU") and "2026-11-01" not in doc("620901", "CGU"), "date des CGU")
check("délégation de signature" in doc("620901", "CGU") and "délégation de pouvoir" not in doc("620901", "CGU"), "CGU 5.2")
for n in ("620602", "620904"):
    box = re.search(r"J’ai vérifié[^.]*\.", doc(n, "FOR")).group(0)
    check("titulaire" not in box, "%s : prérequis « %s »" % (n, box))
    check("du titulaire" not in doc(n, "FOR"), "%s : « du titulaire » dans un dossier sans titulaire" % n)
check("Requête de certificat (CSR)" in doc("620904", "LPJ") and "étape du demandeur" in doc("620904", "LPJ"),
      "620904 : la CSR est l'étape du demandeur")
check("lui conférant" not in " ".join(doc(n, "LPJ") for n in ("620101", "620201")), "« lui conférant »")
# NF Z 10-011: the building line above the street, for the sender and the recipient.
sheet = [x.strip() for x in layout("620901").split("\f")[0].splitlines()]
def row(end):
    return next(i for i, x in enumerate(sheet) if x.endswith(end))
check(row("Bâtiment C, 2e étage") < row("18 rue des Tanneurs Imaginaires"), "620901 : NF Z 10-011, expéditeur")
check(row("Bâtiment B, 3e étage") < row("12 rue des Archives"), "620901 : NF Z 10-011, destinataire")
# No nested parentheses anywhere (the inclusive "(e)" aside), in every document made.
for pdf in glob.glob("out/*.zip") + glob.glob("samples/*.zip"):
    with zipfile.ZipFile(pdf) as z:
        for name in z.namelist():
            if not name.endswith(".pdf"):
                continue
            depth = 0
            for ch in norm(pdftotext(z.read(name))).replace("(e)", ""):
                depth += (ch == "(") - (ch == ")")
                if depth > 1:
                    fail.append("%s %s : parenthèses imbriquées" % (pdf, name)); break

# 10. Every bordereau on one sheet; each paraphe box names its person.
for folder in ("out", "samples"):
    for z in sorted(glob.glob(folder + "/*.zip")):
        n = os.path.basename(z)[:-4]
        bor = [(i, c) for code, i, c, _ in pages(n, folder) if code == "BOR"]
        check(bor in ([], [(1, 1)]), "%s/%s : bordereau sur %d pages" % (folder, n, len(bor)))
def height(n, word):
    """Height of WORD's box on the bordereau (page 1): its type size, near enough."""
    box = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-"], input=list(pdfs(n).values())[0],
                         capture_output=True).stdout.decode()
    m = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">%s<' % word, box)
    return float(m.group(2)) - float(m.group(1))
check(height("621002", "Statuts") < height("621001", "Statuts") - 0.3, "621002 : la liste n'a pas pris un corps plus petit")
first = [t for c, i, _, t in pages("620101") if c == "FOR" and i == 1][0]
check("Paraphe Jeanne Martin" in first and "Paraphe Marc-Olivier Dubreuil" in first, "620101 : cadres de paraphe sans nom")

# 11. From when "moins de trois mois" counts; nominations in office.
l = doc("620101", "LPJ")
check("à la date de réception du dossier par le bureau d’enregistrement" in l and "mandat en cours" in l,
      "620101 : validité des pièces")
if fail:
    print("\n".join(fail)); sys.exit(1)
PY
