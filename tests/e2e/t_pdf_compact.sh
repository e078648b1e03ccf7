# The print PDF stays compact (issue #18): a light paper dossier (600110, 12 pages, no
# piece) within its size budget; its streams sound (qpdf) and its objects packed (PDF
# 1.5: an object stream and an xref stream); one font program per style
# even when a dossier mixes code pages (Łukasz: CP1250 beside CP1252), each font with a
# Unicode map; every page's QR code a 1-bit stencil; and a dossier's bytes are the same
# built alone (cold page cache) as in a batch (bodies taken from the cache).
source "$ROOT/tests/e2e/lib.sh"

run_dossier 0 build -q -j 1 -o out "$SAMPLES/demandes.csv"
light=out/600110.pdf
qpdf --check "$light" >qpdf.txt 2>&1 || { cat qpdf.txt; die "qpdf --check $light"; }
assert_contains qpdf.txt "PDF Version: 1.5"
qpdf --show-xref "$light" >xref.txt
grep -q 'compressed; stream = ' xref.txt || { head xref.txt; die "$light : pas de flux d'objets"; }
pages=$(pdfinfo "$light" | awk '/^Pages:/ { print $2 }')
assert_eq "$pages" 12 "pages de 600110"
size=$(stat -c %s "$light")
# 71 KB before issue #18, 49 KB after, 50 KB with issue #16's texts (the prerequisites
# and procedure per product); the issue's 45 KB is not reached: see README.
[ "$size" -le 51000 ] || die "$light : $size octets, au-delà du budget de 51 000"

# QR codes: one stencil a page, nothing else drawn as an image on these pages.
pdfimages -list "$light" | tail -n +3 >images.txt
assert_eq "$(awk '$3 == "stencil"' images.txt | wc -l)" "$pages" "codes QR en pochoir"
assert_eq "$(awk '$3 != "stencil"' images.txt | wc -l)" 0 "autres images"

# Fonts: every font embedded with a Unicode map; one program per style.
for n in 600110 600102; do
  f=$(ls out/$n.pdf 2>/dev/null || true)
  if [ -z "$f" ]; then
    mkdir -p "x$n" && (cd "x$n" && unzip -q "../out/$n.zip")
    f=x$n/formulaire-$n.pdf
  fi
  pdffonts "$f" | tail -n +3 >fonts.txt
  awk '$0 !~ / yes +yes +yes / { bad = 1 } END { exit bad }' fonts.txt || { cat fonts.txt; die "$f : police non incorporée ou sans Unicode"; }
  programs=$(qpdf --show-npages "$f" >/dev/null && qpdf --qdf --object-streams=disable "$f" - | grep -ac '/FontFile2')
  styles=$(awk '{ print $1 }' fonts.txt | sed 's/^[A-Z]*+//; s/,.*//' | sort -u | wc -l)
  assert_eq "$programs" "$styles" "$f : programmes de police (un par style)"
done
grep -q 'Łukasz' <(pdftotext x600102/formulaire-600102.pdf -) || die "Łukasz absent du texte de 600102"
# Łukasz is in CP1250: that formulaire has a style in two code pages (3 fonts or
# more), and still one program per style (above).
[ "$(pdffonts x600102/formulaire-600102.pdf | tail -n +3 | wc -l)" -ge 3 ] || die "600102 : une seule page de code ?"

# Alone (a fresh process: empty cache) or in the batch (CGU pages, font programs and
# maps from the cache): the same bytes.
python3 - "$SAMPLES/demandes.csv" 600110 >one.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
w = csv.writer(sys.stdout, delimiter=";")
w.writerow(rows[0]); w.writerows(r for r in rows[1:] if r[0] == sys.argv[2])
PY
"$DOSSIER" build -q --stdout --pieces-dir "$SAMPLES" one.csv >alone.pdf || die "build --stdout 600110"
cmp alone.pdf "$light" || die "600110 seul diffère de 600110 dans le lot"
