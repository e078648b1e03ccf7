# `dossier check-scan`: returned paper dossiers, simulated by tools/scan-sim (strokes
# in the boxes, pages turned, shifted, blurred, noisy, JPEG-compressed, shuffled, one
# dropped, one upside down, one of another dossier, one with a forged code), are
# checked against their sealed containers; tests/scan/compare.py holds the result
# against the simulator's truth (every page identified, every box called right).
# Then the other formats (TIFF, JPEG pages at 150 dpi, colour PNG pages at 300 dpi, a
# 600 dpi JPEG), a complete dossier (exit 0), the HTML page, and the refusals.
source "$ROOT/tests/e2e/lib.sh"
sim=${SCAN_SIM:-$BUILD_DIR/tools/scan-sim}
[ -x "$sim" ] || die "simulateur absent : $sim"
compare="$ROOT/tests/scan/compare.py"
run_dossier 0 build -q --flow papier -o out "$SAMPLES/demandes.csv"

# A pile of two returned dossiers, in one scanner PDF each.
"$sim" --seed 11 --foreign out/600110.zip --tamper 600103 -o a.pdf --truth a.json out/600101.zip
"$sim" --seed 12 --foreign out/600110.zip -o b.pdf --truth b.json out/600103.zip
python3 - a.json b.json <<'PY'
import json, sys
t = [json.load(open(f)) for f in sys.argv[1:]]
json.dump({k: sum((x[k] for x in t), []) for k in ("dossiers", "foreign", "scan")}, open("truth.json", "w"))
PY
run_dossier 1 check-scan --json r.json --html r.html a.pdf b.pdf out/600101.zip out/600103.zip
python3 "$compare" truth.json r.json > compare.txt || { cat compare.txt; die "résultat de check-scan faux"; }
assert_contains out.txt "Dossier n° 600101 : INCOMPLET"
assert_contains out.txt "page manquante"
assert_contains out.txt "page d'un autre dossier (demande n° 600110"
assert_contains out.txt "code de suivi non authentique"
assert_contains out.txt "ms par page"
python3 - r.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["complete"] is False
d = {x["numero"]: x for x in r["dossiers"]}
assert set(d) == {"600101", "600103"}, d.keys()
# 600101: the page dropped, and the page whose code was forged (not taken for itself).
for numero, missing in (("600101", 2), ("600103", 1)):
    assert d[numero]["complete"] is False and len(d[numero]["missing"]) == missing, d[numero]["missing"]
for x in d.values():
    for p in x["pages"]:
        assert {"document", "page", "of", "found", "boxes"} <= set(p)
        for b in p["boxes"]:
            assert b["kind"] in ("paraphe", "signature", "certifie") and b["person"]
            assert (b["ink"] is None) == (not p["found"])
kinds = {b["kind"] for x in d.values() for p in x["pages"] for b in p["boxes"]}
assert kinds == {"paraphe", "signature", "certifie"}, kinds
PY
# The HTML page: thumbnails with their boxes, missing pages first.
assert_contains r.html "data:image/png;base64,"
assert_contains r.html "Pages manquantes"
assert_contains r.html "non authentique"
python3 -c "
import sys; h = open('r.html').read()
assert h.index('Pages manquantes') < h.index('<figure>'), 'pages manquantes après les vignettes'
assert h.count('<img') >= 25, h.count('<img')
"

# A complete dossier, every box filled, nothing dropped: exit 0.
"$sim" --seed 21 --fill 1 --drop 0 --upside-down 2 -o full.pdf --truth full.json out/600103.zip
run_dossier 0 check-scan --json full-r.json full.pdf out/600103.zip
assert_contains out.txt "Dossier n° 600103 : COMPLET"
python3 "$compare" full.json full-r.json > compare.txt || { cat compare.txt; die "dossier complet mal lu"; }

# Nothing filled: every box called empty, exit 1.
"$sim" --seed 22 --fill 0 --drop 0 -o empty.pdf --truth empty.json out/600101.zip
run_dossier 1 check-scan --json empty-r.json empty.pdf out/600101.zip
python3 "$compare" empty.json empty-r.json > compare.txt || { cat compare.txt; die "dossier vide mal lu"; }

# Other formats: multi-page TIFF at 300 dpi; JPEG pages at 150 dpi; colour PNG pages.
"$sim" --seed 31 --dpi 300 --pages-as tiff -o t.tif --truth t.json out/600101.zip
run_dossier 1 check-scan --json t-r.json t.tif out/600101.zip
python3 "$compare" t.json t-r.json > compare.txt || { cat compare.txt; die "TIFF mal lu"; }
"$sim" --seed 32 --dpi 150 --pages-as jpeg -o jpg --truth j.json out/600103.zip
run_dossier 1 check-scan --json j-r.json jpg/*.jpg out/600103.zip
python3 "$compare" j.json j-r.json > compare.txt || { cat compare.txt; die "pages JPEG à 150 dpi mal lues"; }
"$sim" --seed 33 --dpi 200 --colour --pages-as png -o png --truth p.json out/600101.zip
run_dossier 1 check-scan --json p-r.json png/*.png out/600101.zip
python3 "$compare" p.json p-r.json > compare.txt || { cat compare.txt; die "pages PNG en couleur mal lues"; }
# A page at 600 dpi, straight from the PDF: identified.
pdftoppm -r 600 -gray -jpeg -f 2 -l 2 out/600101.pdf p600
run_dossier 1 check-scan --json 600-r.json p600-*.jpg out/600101.zip
python3 -c "
import json; r = json.load(open('600-r.json'))
p = r['dossiers'][0]['pages'][1]
assert p['found'] and p['document'] == 'FOR' and p['page'] == 1, p
assert sum(x['found'] for x in r['dossiers'][0]['pages']) == 1
"

# A scan with no container, or a container with no scan: usage.
run_dossier 2 check-scan a.pdf
run_dossier 2 check-scan out/600101.zip
run_dossier 2 check-scan
# Not a scan.
head -c 5000 /dev/urandom > noise.bin
run_dossier 2 check-scan noise.bin out/600101.zip
assert_contains err.txt "format de numérisation non reconnu"
# A container that does not verify cannot be the reference.
cp out/600101.zip bad.zip
printf 'X' | dd of=bad.zip bs=1 seek=5000 conv=notrunc 2>/dev/null
run_dossier 2 check-scan a.pdf bad.zip
assert_contains err.txt "conteneur non vérifié"
# A dematerialised dossier is signed electronically: nothing to check on paper.
run_dossier 0 build -q --flow demat -o demat "$SAMPLES/demandes.csv"
run_dossier 2 check-scan a.pdf demat/600101.zip
assert_contains err.txt "dématérialisé"
# Codes required from another authority's key: refused.
openssl genpkey -algorithm ED25519 -out other.pem 2>/dev/null
openssl pkey -in other.pem -pubout -out other-pub.pem
run_dossier 2 check-scan --pubkey other-pub.pem a.pdf out/600101.zip
assert_contains err.txt "pas par la clé publique fournie"
