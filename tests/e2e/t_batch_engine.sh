# The batch engine: output bytes and report independent of -j; a record that crashes
# or hangs its worker fails alone; SIGTERM leaves a report of what was done; shards
# put together give the whole batch, byte for byte; one dossier on standard output.
source "$ROOT/tests/e2e/lib.sh"
# The samples three times over, with numbers of their own.
make_batch 3 700000

# -j 1 and -j 2: the same bytes, the same report.
run_dossier 0 build -q -j 1 -o j1 lot.csv
run_dossier 0 build -q -j 2 -o j2 lot.csv
diff -r j1 j2 >/dev/null || die "-j 1 et -j 2 donnent des sorties différentes"
[ "$(ls j1/*.zip | wc -l)" -eq 42 ] || die "42 conteneurs attendus"

# A worker that crashes on one record and hangs on another: those two are rejected
# with their reason, the 40 others are made, and the same as before.
DOSSIER_TEST_FAULT="crash:700105,hang:700206" run_dossier 1 build -q -j 2 --timeout 3 -o faults lot.csv
assert_contains err.txt "demande 700105 rejetée"
assert_contains err.txt "[worker.crash]"
assert_contains err.txt "signal 11"
assert_contains err.txt "demande 700206 rejetée"
assert_contains err.txt "[worker.timeout]"
[ "$(ls faults/*.zip | wc -l)" -eq 40 ] || die "40 conteneurs attendus à côté des deux demandes empoisonnées"
for z in faults/*.zip; do cmp "$z" "j1/$(basename "$z")" || die "$z diffère"; done
python3 - <<'PY'
import json
d = json.load(open("faults/report.json"))
bad = {r["numero"]: r["errors"][0]["code"] for r in d["results"] if r["status"] != "ok"}
assert bad == {"700105": "worker.crash", "700206": "worker.timeout"}, bad
assert d["complete"] is True and d["records"] == 42
PY

# SIGTERM during a batch: the records in progress finish, a report says what was done
# and that the batch stopped, exit 3; the files there are whole.
DOSSIER_TEST_FAULT="hang:700110" "$DOSSIER" build -q -j 2 --timeout 60 -o term lot.csv >out.txt 2>err.txt &
pid=$!
for i in $(seq 100); do [ "$(ls term 2>/dev/null | grep -c '\.zip$')" -ge 3 ] && break; sleep 0.1; done
kill -TERM $pid
sleep 0.5
kill -TERM $pid 2>/dev/null || true        # a second signal: the hung record is abandoned
got=0; wait $pid || got=$?
[ "$got" -eq 3 ] || { cat err.txt; die "SIGTERM : code $got au lieu de 3"; }
assert_contains err.txt "arrêt demandé (signal SIGTERM)"
assert_contains err.txt "--resume"
python3 - <<'PY'
import json, os
d = json.load(open("term/report.json"))
assert d["complete"] is False and "SIGTERM" in d["stopped"], d.get("stopped")
done = [r for r in d["results"] if r["status"] == "ok"]
assert 3 <= len(done) < 42, len(done)
for r in done:
    for f in r["files"]:
        assert os.path.getsize("term/" + f["name"]) == f["bytes"], f
PY
ls term | grep -q 'tmp' && die "fichier temporaire laissé par l'arrêt"
# --resume finishes it: the same files as an uninterrupted run.
run_dossier 0 build -q -j 2 --resume -o term lot.csv
diff -r --exclude=report.journal j1 term >/dev/null || { diff -r --exclude=report.journal j1 term | head; die "reprise après SIGTERM : sorties différentes"; }

# Shards: each slice in its own folder; together, exactly the whole batch; their
# reports merged give the whole batch's report.
for k in 1 2 3; do run_dossier 0 build -q -j 1 --shard $k/3 -o shard$k lot.csv; done
n1=$(ls shard1/*.zip | wc -l); n2=$(ls shard2/*.zip | wc -l); n3=$(ls shard3/*.zip | wc -l)
[ $((n1 + n2 + n3)) -eq 42 ] || die "les tranches font $((n1 + n2 + n3)) conteneurs au lieu de 42"
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] && [ "$n3" -gt 0 ] || die "une tranche vide ($n1, $n2, $n3)"
for k in 1 2 3; do
  for f in shard$k/*.zip shard$k/*.pdf; do cmp "$f" "j1/$(basename "$f")" || die "$f diffère du lot entier"; done
done
run_dossier 0 report-merge -o merged shard1 shard2 shard3
cmp merged/report.json j1/report.json || die "report-merge : report.json diffère du lot entier"
cmp merged/report.csv j1/report.csv || die "report-merge : report.csv diffère du lot entier"
run_dossier 2 build --shard 4/3 lot.csv
run_dossier 2 report-merge -o m2 j1 pas-un-dossier

# One dossier on standard output: the PDF and nothing else, messages on stderr.
head -1 lot.csv > one.csv; grep '^700101;' lot.csv >> one.csv
"$DOSSIER" build --stdout one.csv >one.pdf 2>err.txt || die "--stdout"
qpdf --check one.pdf >/dev/null || die "--stdout : PDF invalide"
cmp one.pdf j1/700101.pdf || die "--stdout : PDF différent de celui du lot"
[ ! -e dossiers ] || die "--stdout a écrit un dossier de sortie"
# From standard input, pieces relative to --pieces-dir; the container with --zip.
"$DOSSIER" build --stdout --zip --pieces-dir "$PWD" - <one.csv >one.zip 2>err.txt || die "--stdout --zip -"
cmp one.zip j1/700101.zip || die "--stdout --zip : conteneur différent de celui du lot"
run_dossier 2 build --stdout lot.csv
assert_contains err.txt "une seule demande"
head -1 lot.csv > bad.csv; grep '^700102;' lot.csv | sed 's/^700102;03\/11\/2026/700102;31\/02\/2026/' >> bad.csv
grep -q '31/02/2026' bad.csv || die "bad.csv sans date impossible"
run_dossier 1 build --stdout bad.csv
assert_contains err.txt "[date.syntax]"
[ ! -s out.txt ] || die "--stdout : un rejet n'écrit rien sur la sortie standard"
