# Every page of every sample dossier, rendered at 150 dpi, carries a QR code that
# zbarimg decodes; each code names its request, document and page i/n, passes
# `dossier track`, and per document the pages run 1..n with no gap nor duplicate.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 build -q -o out "$SAMPLES/demandes.csv"
mkdir -p pdf png
for z in out/*.zip; do
  n=$(basename "$z" .zip)
  mkdir -p "x/$n" && unzip -q -o "$z" '*.pdf' -d "x/$n"
  for f in "x/$n"/*.pdf; do mv "$f" "pdf/$n--$(basename "$f")"; done
done
: > codes.txt
# One PDF per job, as many jobs as cores: render at 150 dpi, decode every page.
decode_pdf() {
  f=$1; base=$(basename "$f" .pdf)
  pdftoppm -r 150 -gray "$f" "png/$base"
  pages=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
  # zbarimg prints the symbols of its images in order: one per page is expected.
  zbarimg -q --raw png/"$base"-*.pgm 2>/dev/null > "codes-$base.txt" || true
  [ "$(grep -c . "codes-$base.txt")" -eq "$pages" ] || { echo "$f : $(grep -c . "codes-$base.txt") codes QR lus pour $pages pages"; exit 1; }
  awk -v b="$base" '{ print b, NR, $0 }' "codes-$base.txt" > "done-$base.txt"
}
export -f decode_pdf
ls pdf/*.pdf | xargs -P "$(nproc)" -I{} bash -c 'decode_pdf "$1"' _ {} || die "codes QR illisibles"
cat done-*.txt > codes.txt
[ "$(wc -l < codes.txt)" -ge 100 ] || die "trop peu de pages décodées"
python3 - <<'PY'
import collections, subprocess, sys, os, re
seen = collections.defaultdict(list)
fail = []
for line in open("codes.txt"):
    base, page_in_file, code = line.split()
    numero = base.split("--")[0]
    parts = code.split(":")
    # Signed with the demo code key (DSR2): request, document, i/n, date, SIREN, key
    # id, then the Ed25519 signature as 155 digits.
    if len(parts) != 8 or parts[0] != "DSR2" or parts[1] != numero or parts[4] != "20261124" \
            or not re.fullmatch(r"[0-9]{9}", parts[5]) or not re.fullmatch(r"[0-9]{155}", parts[7]):
        fail.append("%s : code %s ne désigne pas la demande %s" % (base, code, numero)); continue
    i, n = map(int, parts[3].split("/"))
    seen[(numero, parts[2], n)].append(i)
    p = subprocess.run([os.environ["DOSSIER"], "track", code], capture_output=True, text=True)
    if p.returncode != 0 or "code authentique" not in p.stdout or "demande n° %s" % numero not in p.stdout \
            or "clé de démonstration" not in p.stdout:
        fail.append("track %s : %s" % (code, p.stdout + p.stderr))
docs_per_record = collections.defaultdict(set)
for (numero, doc, n), pages in seen.items():
    docs_per_record[numero].add(doc)
    if sorted(pages) != list(range(1, n + 1)):
        fail.append("%s %s : pages %s au lieu de 1..%d" % (numero, doc, sorted(pages), n))
for numero, docs in docs_per_record.items():
    if not {"FOR", "CGU", "LPJ"} <= docs:
        fail.append("%s : documents %s incomplets" % (numero, sorted(docs)))
if fail:
    print("\n".join(fail)); sys.exit(1)
PY
