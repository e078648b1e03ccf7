# Pièces jointes on the samples: captions as text, the watermark only in the pixels,
# JPEG images without soft masks, the EXIF-rotated card upright, valid PDFs.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 build --quiet --date 2026-11-24 -o out "$SAMPLES/demandes.csv"

# doc_pdf NUMERO NAME: a dematerialised record's document, from its container
# (or from OUT/NUMERO/ when the outputs are not packaged).
doc_pdf() {
  if [ -f "out/$1/$2" ]; then echo "out/$1/$2"; return; fi
  mkdir -p "x-$1"
  unzip -oq "out/$1.zip" -d "x-$1"
  assert_file "x-$1/$2"
  echo "x-$1/$2"
}

# pj_pages PDF: numbers of the pages of the "Pièces jointes" document (code PJ in the footer).
pj_pages() {
  local n; n=$(pdfinfo "$1" | awk '/^Pages:/ { print $2 }')
  for ((p = 1; p <= n; p++)); do
    pdftotext -q -f $p -l $p "$1" - | grep -q ':PJ:' && echo $p
  done
  return 0
}

# --- 600103, paper flow, 5 pieces (3 ID copies: JPEG, JPEG, PNG; 2 PDFs) --------------
paper=out/600103.pdf
assert_file "$paper"
pages=$(pj_pages "$paper" | tr '\n' ' ')
assert_eq "$(echo $pages | wc -w)" 5 "pages de pièces jointes de 600103"
first=$(echo $pages | cut -d' ' -f1); last=$(echo $pages | awk '{ print $NF }')
pdftotext -f "$first" -l "$last" "$paper" pj.txt 2>pdftotext.err
[ ! -s pdftotext.err ] || { cat pdftotext.err; die "pdftotext signale des erreurs"; }
assert_contains pj.txt "Pièce d’identité — Chloé Müller, titulaire"
assert_contains pj.txt "Pièce d’identité — Anne-Sophie Lefèvre, représentante légale"
assert_contains pj.txt "Popescu, délégataire"
assert_contains pj.txt "Délégation de signature — "
# The portal's single upload is, for an association, the act naming its representative:
# its page names that act.
assert_contains pj.txt "Procès-verbal de l’assemblée ou du conseil ayant désigné le représentant légal — Anne-Sophie Lefèvre"
assert_contains pj.txt "Fichier joint : statuts-association-specimen.pdf"
assert_eq "$(grep -c 'Certifié conforme à l’original' pj.txt)" 3 "mentions « certifié conforme » (une par pièce d'identité)"
assert_eq "$(grep -c 'Signature de la personne concernée' pj.txt)" 3 "cadres de signature"
pdftotext "$paper" all.txt
assert_not_contains all.txt "Copie destinée exclusivement"
assert_not_contains all.txt "exclusivement à"

# Every image is a JPEG (DCT), none has a soft mask or a mask; the only other images
# are the pages' QR codes, drawn as 1-bit stencils (one a page).
pdfimages -list "$paper" | tail -n +3 > all-images.txt
awk '$3 == "stencil"' all-images.txt > stencils.txt
awk '$3 != "stencil"' all-images.txt > images.txt
assert_eq "$(wc -l < stencils.txt)" "$(pdfinfo "$paper" | awk '/^Pages:/ { print $2 }')" "codes QR de 600103"
assert_eq "$(wc -l < images.txt)" 5 "images de 600103"
awk '$3 != "image" || $9 != "jpeg" { bad = 1 } END { exit bad }' images.txt ||
  { cat images.txt; die "image non JPEG ou masque dans $paper"; }
assert_not_contains images.txt "smask"

# The watermark is in the pixels: the embedded copy of the statuts (last page) is
# darker than the original, rendered at the same size, on much of its white paper.
pdfimages -f "$last" -l "$last" "$paper" emb
size=$(pdfimages -f "$last" -l "$last" -list "$paper" | awk '$3 == "image" { print $4, $5 }')
pdftoppm -scale-to-x "${size% *}" -scale-to-y "${size#* }" -singlefile \
  "$SAMPLES/pieces/statuts-association-specimen.pdf" ref
cat > ppm.py <<'PY'
def ppm(path):
    """Width, height and RGB bytes of a binary PPM (P6, maxval 255)."""
    data = open(path, 'rb').read()
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b'#':
            i = data.index(b'\n', i)
            continue
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    assert fields[0] == b'P6' and fields[3] == b'255', fields
    return int(fields[1]), int(fields[2]), data[i + 1:]
PY
python3 - <<'PY'
from ppm import ppm
w, h, got = ppm('emb-000.ppm')
w2, h2, ref = ppm('ref.ppm')
assert (w, h) == (w2, h2), ((w, h), (w2, h2))
white = marked = 0
for k in range(0, w * h * 3, 3):
    r = ref[k]
    if r > 240 and ref[k + 1] > 240 and ref[k + 2] > 240:
        white += 1
        if min(got[k], got[k + 1], got[k + 2]) < r - 35:
            marked += 1
share = marked / white
print("filigrane : %.1f %% du papier blanc assombri" % (100 * share))
# Measured: 6.5 % with the watermark, 0.3 % without (JPEG and renderer noise).
assert 0.02 < share < 0.30, share
PY

# --- 600102, dematerialised, one JPEG stored turned, EXIF orientation 6 --------------
demat=$(doc_pdf 600102 jointes-600102.pdf)
pdftotext "$demat" j.txt
assert_contains j.txt "Pièce d’identité — Łukasz Nowak, titulaire"
assert_not_contains j.txt "Copie destinée"
assert_not_contains j.txt "Certifié conforme"     # paper flow only
pdfimages -list "$demat" | tail -n +3 | awk '$3 != "stencil"' > images.txt
assert_eq "$(wc -l < images.txt)" 1 "images de 600102"
awk '{ exit !($4 > $5 && $9 == "jpeg") }' images.txt || { cat images.txt; die "image pas en paysage ou pas en JPEG"; }
pdftoppm -r 50 -f 1 -l 1 -singlefile "$demat" page
python3 - <<'PY'
from ppm import ppm
w, h, px = ppm('page.ppm')
# The card: what is not white between the caption and the footer.
top, bottom = int(h * 0.15), int(h * 0.85)
xs, ys, red, blue = [], [], [], []
for y in range(top, bottom):
    for x in range(w):
        k = (y * w + x) * 3
        r, g, b = px[k], px[k + 1], px[k + 2]
        if min(r, g, b) < 245:
            xs.append(x); ys.append(y)
        if r > 180 and g < 80 and b < 80:
            red.append((x, y))
        if b > 180 and r < 80 and g < 80:
            blue.append((x, y))
x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
cw, ch = x1 - x0, y1 - y0
assert cw > ch * 1.3, ("pas en paysage", cw, ch)
assert len(red) > 20 and len(blue) > 20, (len(red), len(blue))
def centre(points):
    return (sum(p[0] for p in points) / len(points) - x0) / cw, (sum(p[1] for p in points) / len(points) - y0) / ch
(rx, ry), (bx, by) = centre(red), centre(blue)
print("repère rouge (%.2f, %.2f), bleu (%.2f, %.2f)" % (rx, ry, bx, by))
assert rx < 0.15 and ry < 0.2, "le repère rouge n'est pas en haut à gauche"
assert bx > 0.85 and by < 0.2, "le repère bleu n'est pas en haut à droite"
PY

# No supplied file, no "Pièces jointes": 600105 (demat) has no jointes PDF.
if [ -f out/600105.zip ]; then
  unzip -l out/600105.zip > list.txt
  assert_not_contains list.txt "jointes-"
fi
assert_no_file out/600105/jointes-600105.pdf

# Every PDF produced passes qpdf --check.
mkdir -p x-all
for z in out/*.zip; do [ -f "$z" ] && unzip -oq "$z" -d "x-all/$(basename "$z" .zip)"; done
find out x-all -name '*.pdf' > pdfs.txt
[ -s pdfs.txt ] || die "aucun PDF produit"
while read -r f; do
  qpdf --check "$f" > qpdf.txt 2>&1 || { cat qpdf.txt; die "qpdf --check refuse $f"; }
done < pdfs.txt
