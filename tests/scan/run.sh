#!/usr/bin/env bash
# Simulated returned dossiers through check-scan, measured against the truth.
#   tests/scan/run.sh DOSSIER SCAN_SIM COUNT [WORKDIR]
# Builds COUNT + 1 paper dossiers from the samples (the last one is held back: its
# page 2 is slipped into every scan as a page of another dossier), simulates one
# returned scan per dossier (scan-sim: strokes in 80 % of the boxes, pages turned up
# to 5 degrees, one upside down, one dropped, noise, blur, JPEG; 150, 200 or 300 dpi;
# every third in colour; every fifth as a multi-page TIFF, the others as scanner PDFs),
# every eighth with one page whose code is forged (another request number, the
# signature kept), runs check-scan on the pile and compares its JSON with the truth
# (tests/scan/compare.py): 100 % of pages identified and >= 99 % of boxes called right
# are required. Prints the figures and the time per page.
set -euo pipefail
dossier=$1 sim=$2 count=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${4:-$(mktemp -d)}
mkdir -p "$work"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795478400}

python3 - "$root/samples/demandes.csv" "$((count + 1))" "$work/demandes.csv" <<'PY'
import csv, sys
src, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(src, encoding="utf-8-sig"), delimiter=";"))
w = csv.DictWriter(open(out, "w", encoding="utf-8", newline=""), fieldnames=list(rows[0]), delimiter=";")
w.writeheader()
for i in range(count):
    r = dict(rows[i % len(rows)])
    r["numero"] = str(700001 + i)
    w.writerow(r)
PY
"$dossier" build -q --flow papier --pieces-dir "$root/samples" -o "$work/out" "$work/demandes.csv"
held="$work/out/$((700001 + count)).zip"
mkdir -p "$work/scans" "$work/truth"
containers=()
for i in $(seq 1 "$count"); do
  n=$((700000 + i)); zip="$work/out/$n.zip"; containers+=("$zip")
  opts=(--seed "$i" --dpi 0 --foreign "$held")
  [ $((i % 3)) -eq 0 ] && opts+=(--colour)
  # Every eighth: one page's code forged with the previous dossier's number.
  [ $((i % 8)) -eq 0 ] && opts+=(--tamper $((n - 1)))
  if [ $((i % 5)) -eq 0 ]; then out="$work/scans/$n.tif"; opts+=(--pages-as tiff)
  else out="$work/scans/$n.pdf"; fi
  "$sim" "${opts[@]}" -o "$out" --truth "$work/truth/$n.json" "$zip"
done
python3 - "$work/truth" "$work/truth.json" <<'PY'
import glob, json, sys
dossiers, foreign, scan = [], [], []
for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    t = json.load(open(f)); dossiers += t["dossiers"]; foreign += t["foreign"]; scan += t["scan"]
json.dump({"dossiers": dossiers, "foreign": foreign, "scan": scan}, open(sys.argv[2], "w"))
PY
status=0
"$dossier" check-scan -q --json "$work/result.json" --html "$work/result.html" "$work"/scans/* "${containers[@]}" || status=$?
[ "$status" -eq 1 ] || { echo "check-scan: code $status, attendu 1 (pages retirées)"; exit 1; }
python3 "$root/tests/scan/compare.py" "$work/truth.json" "$work/result.json"
# Time per page of the 200 dpi scans alone (one core; decoding the scan included).
at200=() zips200=()
for i in $(seq 1 "$count"); do
  n=$((700000 + i))
  if grep -q '"dpi": 200,' "$work/truth/$n.json"; then at200+=("$work"/scans/$n.*); zips200+=("$work/out/$n.zip"); fi
done
if [ ${#at200[@]} -gt 0 ]; then
  "$dossier" check-scan -q --json "$work/result-200.json" "${at200[@]}" "${zips200[@]}" || true
  python3 -c "import json, sys; r = json.load(open(sys.argv[1])); print('à 200 dpi : %d pages, %.0f ms par page' % (r['scanned_pages'], r['ms_per_page']))" "$work/result-200.json"
fi
