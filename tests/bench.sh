#!/usr/bin/env bash
# make bench: dossiers/s, pages/s and peak RSS for the samples repeated to N records
# (default 1,000), the time of one on-demand dossier as a process, and the same
# in-process with the context already open (examples/portal, libdossier). A
# benchmark, not a test.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
portal=${2:+$(cd "$(dirname "$2")" && pwd)/$(basename "$2")}
root=$(cd "$(dirname "$0")/.." && pwd)
n=${BENCH_RECORDS:-1000}
jobs=${BENCH_JOBS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$root/samples/demandes.csv" "$work/batch.csv" "$work/one.csv" "$n" <<'PY'
import csv, sys
src, out, one, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(src, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f, delimiter=";"))
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
    w.writeheader()
    for i in range(n):
        r = dict(rows[i % len(rows)])
        r["numero"] = str(800000 + i)
        w.writerow(r)
with open(one, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
    w.writeheader(); w.writerow(rows[0])
PY
# Piece paths are relative to the samples folder.
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$bin" build -q -j "$jobs" --date 2026-11-24 \
  --pieces-dir "$root/samples" -o "$work/out" "$work/batch.csv"
end=$(date +%s.%N)
python3 - "$work/out/report.json" "$start" "$end" "$(cat "$work/rss")" "$jobs" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
start, end, rss, jobs = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
secs = end - start
ok = [r for r in report["results"] if r["status"] == "ok"]
pages = sum(r["pages"] for r in ok)
docs = sum(r["documents"] for r in ok)
size = sum(f["bytes"] for r in ok for f in r["files"])
print("lot : %d dossiers (%d pages, %.1f Mo) en %.2f s avec %s tâches" % (len(ok), pages, size / 1e6, secs, jobs))
print("  %.1f dossiers/s   %.1f documents/s   %.1f pages/s   RSS max %.1f Mo"
      % (len(ok) / secs, docs / secs, pages / secs, rss / 1024))
PY
# One dossier on demand ("imprimer mon dossier"): median of 15 runs, process start included.
times=()
for i in $(seq 15); do
  s=$(date +%s%N)
  "$bin" build -q -j 1 --date 2026-11-24 --pieces-dir "$root/samples" -o "$work/one" "$work/one.csv"
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 8p)
echo "un dossier à la demande : ${median} ms (médiane de 15, démarrage du processus compris)"

# The same in-process, as a portal backend calls libdossier: the context is opened once,
# then each dossier (print PDF, in memory) is timed; a light one (600110, no attached
# piece, paper flow) and a heavy one (600101, two ID photos and a Kbis PDF).
if [ -n "$portal" ]; then
  for numero in 600110 600101; do
    python3 - "$root/samples/demandes.csv" "$numero" >"$work/record-$numero.txt" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"):
    if row["numero"] == sys.argv[2]:
        for k, v in row.items():
            print(f"{k}={v}")
PY
    line=$(DOSSIER_DATADIR="$root" DOSSIER_DEMO_DIR="$root/build/demo-seal" "$portal" --date 2026-11-24 \
           --pieces-dir "$root/samples" --repeat 50 "$work/record-$numero.txt" "$work/portal.pdf" 2>&1)
    echo "un dossier en mémoire, contexte ouvert (libdossier), demande $numero : ${line#portal: }"
  done
fi
