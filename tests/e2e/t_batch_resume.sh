# kill -9 in the middle of a batch, then --resume: exactly the outputs of an
# uninterrupted run, no partial file under a final name, no file made twice.
source "$ROOT/tests/e2e/lib.sh"
# The samples four times over, with numbers of their own.
make_batch 4 710000
run_dossier 0 build -q -j 2 -o whole lot.csv

for attempt in 1 2; do
  rm -rf cut
  "$DOSSIER" build -q -j 2 -o cut lot.csv >out.txt 2>err.txt &
  pid=$!
  for i in $(seq 200); do [ "$(ls cut 2>/dev/null | grep -c '\.zip$')" -ge $((6 * attempt)) ] && break; sleep 0.05; done
  kill -KILL $pid
  wait $pid 2>/dev/null || true
  done_before=$(ls cut | grep -c '\.zip$')
  [ "$done_before" -lt 56 ] || continue      # the machine was too quick: try later in the batch
  # Whatever has a final name is whole.
  for z in cut/*.zip; do unzip -tq "$z" >/dev/null || die "$z incomplet sous son nom final"; cmp "$z" "whole/$(basename "$z")" || die "$z diffère"; done
  for p in cut/*.pdf; do cmp "$p" "whole/$(basename "$p")" || die "$p diffère"; done
  assert_file cut/report.journal
  # --resume: what the journal proves done is not made again.
  touch -d '2000-01-01' cut/*.zip
  run_dossier 0 build -j 2 --resume -o cut lot.csv
  reused=$(grep -c 'déjà faite (reprise)' out.txt || true)
  [ "$reused" -ge 1 ] || die "aucune demande reprise"
  untouched=$(find cut -name '*.zip' ! -newer lot.csv | wc -l)
  [ "$untouched" -eq "$reused" ] || die "$reused demandes reprises mais $untouched conteneurs non récrits"
  ls cut | grep -q tmp && die "fichier temporaire restant après la reprise"
  diff -r --exclude=report.journal whole cut >/dev/null || { diff -r --exclude=report.journal whole cut | head; die "reprise : sorties différentes du lot d'un trait"; }
  break
done
[ -n "${reused:-}" ] || die "le lot n'a pas pu être interrompu"

# A file damaged after the first run is made again, not trusted.
first=$(ls cut/*.zip | head -1)
printf 'x' >> "$first"
run_dossier 0 build -q -j 2 --resume -o cut lot.csv
cmp "$first" "whole/$(basename "$first")" || die "un conteneur abîmé n'a pas été refait"
# Another date: nothing is reused.
run_dossier 0 build -j 1 --resume --date 2026-12-01 -o cut lot.csv
assert_not_contains out.txt "reprise"
