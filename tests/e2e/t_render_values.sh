# Every sample dossier: qpdf-clean, fonts embedded, text extractable without warnings,
# and it contains each value of its record, its pieces rules and the CGU version.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 build -q -o out "$SAMPLES/demandes.csv"
for f in out/*.pdf; do
  qpdf --check "$f" >/dev/null || die "qpdf --check $f"
  pdffonts "$f" | tail -n +3 | awk '{ if ($(NF-4) != "yes") { print "police non incorporée : " $0; exit 1 } }' \
    || die "$f : police non incorporée"
done
python3 - <<'PY'
import os, re, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "e2e", "py"))
from dossier_text import *

# Fields that hold codes: the dossier prints their labels instead (checked below).
CODES = {"certificat.produit", "certificat.paiement", "certificat.support", "certificat.prerequis_verifies",
         "papier", "titulaire.est_rl", "delegataire.present", "modalites.bureau_envoi",
         "modalites.bureau_retrait", "facturation.adresse", "date",
         "service_applicatif.nom_confirmation", "service_applicatif.fqdn_confirmation"}
cgu_version = __import__("xml.etree.ElementTree", fromlist=["x"]).parse(
    os.path.join(ROOT, "templates", "cgu.xml")).getroot().get("version")
failures = []
for rec in read_samples():
    numero = rec["numero"]
    text = norm(dossier_text("out", numero))
    for field, value in rec.items():
        if not value or field in CODES or field.startswith("pieces."):
            continue
        if norm(value) not in text:
            failures.append("%s : %s = « %s » absent du dossier" % (numero, field, value))
    d = rec["date"]
    jj = d if "/" in d else "/".join(reversed(d.split("-")))
    if jj not in text:
        failures.append("%s : date %s absente" % (numero, jj))
    label, acts = pieces_rule(rec["organisation.categorie_juridique"])
    for act in acts:
        if act not in text:
            failures.append("%s : pièce « %s » (catégorie %s) absente" % (numero, act, rec["organisation.categorie_juridique"]))
    if ("Version " + cgu_version) not in text:
        failures.append("%s : version des CGU absente" % numero)
    # CGU version on every CGU page: count pages of the CGU and occurrences.
    cgu_pages = len(re.findall(r"DSR[12]:%s:CGU:" % numero, text))
    if cgu_pages < 4 or text.count("Version " + cgu_version) < cgu_pages:
        failures.append("%s : %d pages de CGU, version pas sur chacune" % (numero, cgu_pages))
# No text printed over other text, on any page of any sample.
import glob
for pdf in sorted(glob.glob("out/*.pdf")):
    failures += ["%s %s" % (pdf, o) for o in overlapping_words(pdf)]
if failures:
    print("\n".join(failures[:40]))
    sys.exit(1)
PY
