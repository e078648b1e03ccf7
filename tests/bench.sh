#!/usr/bin/env bash
# make bench: what the nightly batch and the portal feel. A benchmark, not a test.
#   - a batch of records like the samples (a third with two or three photo-like ID
#     scans, 1600 x 1000 JPEG of ~230 KB; a third with a PDF Kbis; a third without
#     pieces), built with -j 1 and -j 2: dossiers/s, pages/s, MB written/s, peak RSS
#     (of the largest process), time to the first output;
#   - peak RSS at BENCH_RECORDS (default 1,000) and BENCH_LARGE (default 10,000)
#     records: memory must not grow with the batch;
#   - one dossier on demand (`build --stdout`), light and heavy: median of 15 runs,
#     process start included;
#   - the same in-process with the context open (examples/portal, libdossier);
#   - against the peer (tools/peer/peer.py: ReportLab + Pillow + cryptography, the
#     pipeline a team would otherwise write), both pinned to one core, whole process,
#     median of PEER_RUNS (5) on PEER_RECORDS (60) records: without pieces, and the
#     photo mix (a third with two or three ID photos, no PDF piece); the ratio;
#   - the photo mix at -j 2 (BENCH_RECORDS records, no PDF piece), and the size of the
#     light print PDF (sample 600110: paper flow, 12 pages, no piece).
# Usage: bench.sh BIN [PORTAL]
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
portal=${2:+$(cd "$(dirname "$2")" && pwd)/$(basename "$2")}
root=$(cd "$(dirname "$0")/.." && pwd)
n=${BENCH_RECORDS:-1000}
large=${BENCH_LARGE:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1795478400
export DOSSIER_DEMO_DIR="$root/build/demo-seal"

echo "machine : $(nproc) cœurs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f Go", $2/1048576}' /proc/meminfo)"

# Photo-like ID scans.
mkdir -p "$work/pieces"
cc -O2 -o "$work/bench-pieces" "$root/tools/bench-pieces.c" $(pkg-config --cflags --libs cairo libturbojpeg) -lm
"$work/bench-pieces" "$work/pieces" 30
cp "$root/samples/pieces/kbis-specimen.pdf" "$work/pieces/kbis.pdf"

make_batch() {   # COUNT FILE [MIX]   MIX: mix (default: photos, Kbis, none), photos (no Kbis), none
  python3 - "$root/samples/demandes.csv" "$1" "$2" "${3:-mix}" <<'PY'
import csv, sys
src, count, out, mix = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = list(csv.DictReader(open(src, encoding="utf-8-sig"), delimiter=";"))
w = csv.DictWriter(open(out, "w", encoding="utf-8", newline=""), fieldnames=list(rows[0]), delimiter=";")
w.writeheader()
truthy = {"oui", "true", "1", "vrai", "yes"}
photo = 0
for i in range(count):
    r = dict(rows[i % len(rows)])
    r["numero"] = str(800000 + i)
    for k in r:
        if k.startswith("pieces."):
            r[k] = ""
    if mix == "none":
        pass
    elif i % 3 == 0:
        # Two or three ID scans: the holder's, the RL's (unless the holder is the RL),
        # the délégataire's.
        people = ["pieces.id_titulaire"]
        if r["titulaire.est_rl"].lower() not in truthy:
            people.append("pieces.id_rl")
        if r["delegataire.present"].lower() in truthy:
            people.append("pieces.id_delegataire")
        if len(people) < 2:
            people.append("pieces.id_rl" if "pieces.id_rl" not in people else "pieces.id_titulaire")
        for field in people:
            if field == "pieces.id_rl" and r["titulaire.est_rl"].lower() in truthy:
                continue
            r[field] = "pieces/photo-%03d.jpg" % (photo % 30)
            photo += 1
    elif i % 3 == 1 and mix == "mix":
        r["pieces.acte_nomination"] = "pieces/kbis.pdf"
    w.writerow(r)
PY
}
make_batch "$n" "$work/batch.csv"
make_batch "$large" "$work/large.csv"
make_batch "$n" "$work/photos.csv" photos

# Builds FILE with JOBS workers into OUT; prints its figures.
run_batch() {   # LABEL JOBS FILE OUT
  local label=$1 jobs=$2 file=$3 out=$4
  rm -rf "$out"
  local start first=""
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" build -q -j "$jobs" --pieces-dir "$work" -o "$out" "$file" &
  local pid=$!
  # Time to the first output: the first container in the folder.
  while kill -0 $pid 2>/dev/null; do
    if [ -z "$first" ] && compgen -G "$out/*.zip" >/dev/null; then first=$(date +%s%N); fi
    [ -n "$first" ] && break
    sleep 0.01
  done
  wait $pid
  local end
  end=$(date +%s%N)
  [ -n "$first" ] || first=$end
  python3 - "$out/report.json" "$start" "$first" "$end" "$(cat "$work/rss")" "$jobs" "$label" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
start, first, end = (int(x) / 1e9 for x in sys.argv[2:5])
rss, jobs, label = int(sys.argv[5]), sys.argv[6], sys.argv[7]
secs = end - start
ok = [r for r in report["results"] if r["status"] == "ok"]
pages = sum(r["pages"] for r in ok)
size = sum(f["bytes"] for r in ok for f in r["files"])
assert report["rejected"] == 0, [r["errors"] for r in report["results"] if r["status"] != "ok"][:2]
print("%s, -j %s : %d dossiers (%d pages, %.0f Mo) en %.2f s — %.1f dossiers/s, %.0f pages/s, %.1f Mo/s, "
      "premier conteneur après %.2f s, RSS max %.1f Mo"
      % (label, jobs, len(ok), pages, size / 1e6, secs, len(ok) / secs, pages / secs, size / 1e6 / secs,
         first - start, rss / 1024))
PY
}
run_batch "lot de $n" 1 "$work/batch.csv" "$work/out1"
run_batch "lot de $n" 2 "$work/batch.csv" "$work/out2"
run_batch "lot de $large" 2 "$work/large.csv" "$work/out3"
run_batch "lot de $n, photos sans PDF" 2 "$work/photos.csv" "$work/out4"
rm -rf "$work/out1" "$work/out2" "$work/out3" "$work/out4"

# The light print PDF: sample 600110 (paper flow, 12 pages, no attached piece).
"$bin" build -q -o "$work/light" "$root/samples/demandes.csv" >/dev/null 2>&1 || true
echo "PDF d'impression d'un dossier léger (600110, papier, $(pdfinfo "$work/light/600110.pdf" | awk '/^Pages:/ {print $2}') pages) : $(stat -c %s "$work/light/600110.pdf") octets"
rm -rf "$work/light"

# Against the peer, one core each (taskset), whole process, median of PEER_RUNS.
peer_records=${PEER_RECORDS:-60}
peer_runs=${PEER_RUNS:-5}
median_of() {   # RUNS COMMAND...: the median wall time in seconds
  local runs=$1; shift
  local times=() s e
  for i in $(seq "$runs"); do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "échec : $*" >&2; exit 1; }
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.3f", $1 / 1000}'
}
if /usr/bin/python3 -c 'import reportlab, PIL, cryptography' 2>/dev/null; then
  for mix in none photos; do
    make_batch "$peer_records" "$work/peer-$mix.csv" "$mix"
    ours=$(median_of "$peer_runs" taskset -c 0 "$bin" build -q -j 1 --pieces-dir "$work" -o "$work/ours-$mix" \
           "$work/peer-$mix.csv")
    theirs=$(median_of "$peer_runs" taskset -c 0 /usr/bin/python3 "$root/tools/peer/peer.py" "$root" \
             "$DOSSIER_DEMO_DIR" "$work" "$work/peer-$mix.csv" "$work/peer-out-$mix")
    python3 - "$mix" "$peer_records" "$ours" "$theirs" <<'PY'
import sys
mix, n, ours, theirs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
label = {"none": "sans pièces", "photos": "un tiers avec 2-3 photos d'identité"}[mix]
print("contre le pair ReportLab (un cœur chacun, %d dossiers %s, médiane) : dossier %.1f dossiers/s "
      "(%.1f ms l'un), pair %.1f dossiers/s (%.1f ms l'un) — %.1f fois plus rapide"
      % (n, label, n / ours, 1000 * ours / n, n / theirs, 1000 * theirs / n, theirs / ours))
PY
    rm -rf "$work/ours-$mix" "$work/peer-out-$mix"
  done
else
  echo "pair ReportLab : python3-reportlab, python3-pil ou python3-cryptography absent (make bench les installe)"
fi

# One dossier on demand, as a process: median of 15.
median_stdout() {   # NUMERO FILE
  python3 - "$work/batch.csv" "$1" >"$work/one.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter=";"))
w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), delimiter=";")
w.writeheader(); w.writerow(next(r for r in rows if r["numero"] == sys.argv[2]))
PY
  local times=() s e
  for i in $(seq 15); do
    s=$(date +%s%N)
    "$bin" build -q --stdout --pieces-dir "$work" "$work/one.csv" >"$work/one.pdf"
    e=$(date +%s%N)
    times+=($(( (e - s) / 100000 )))
  done
  local m
  m=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 8p)
  printf '%d.%d' $((m / 10)) $((m % 10))
}
light=$(median_stdout 800005)     # a seal certificate, no attached piece: 11 pages
heavy=$(median_stdout 800000)     # two ID scans, a Kbis-less signature: the photos dominate
echo "un dossier à la demande (build --stdout, médiane de 15, démarrage compris) : léger ${light} ms, avec deux photos ${heavy} ms"

# In-process, the context open once (a portal backend): the example, 50 dossiers each.
if [ -n "$portal" ]; then
  for numero in 600110 600101; do
    python3 - "$root/samples/demandes.csv" "$numero" >"$work/record-$numero.txt" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"):
    if row["numero"] == sys.argv[2]:
        for k, v in row.items():
            print(f"{k}={v}")
PY
    line=$(DOSSIER_DATADIR="$root" "$portal" --demo --date 2026-11-24 --pieces-dir "$root/samples" --repeat 50 \
           "$work/record-$numero.txt" "$work/portal.pdf" 2>&1)
    echo "un dossier en mémoire, contexte ouvert (libdossier), demande $numero : ${line#portal: }"
  done
fi
