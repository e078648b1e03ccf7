# A full disk stops the batch at once, with that message, instead of failing every
# record that follows; the report says where it stopped; nothing partial is left
# under a final name; with room again, --resume finishes the job.
source "$ROOT/tests/e2e/lib.sh"
# The samples three times over, with numbers of their own.
make_batch 3 720000
run_dossier 0 build -q -j 2 -o whole lot.csv
mkdir small
# A 4 MB file system: room for a few dossiers only. As root, or in a user namespace.
script='mount -t tmpfs -o size=4m tmpfs small && "$DOSSIER" build -q -j 2 -o small/out lot.csv >out.txt 2>err.txt; echo $? >code.txt;
        cp -r small/out copy; umount small'
if [ "$(id -u)" -eq 0 ]; then sh -c "$script"; else unshare -rm sh -c "$script"; fi || die "tmpfs impossible à monter"
code=$(cat code.txt)
[ "$code" -eq 3 ] || { cat err.txt; die "disque plein : code $code au lieu de 3"; }
assert_contains err.txt "No space left on device"
assert_contains err.txt "lot arrêté avant la fin"
# Once: the batch stopped, it did not fail the remaining records one by one.
[ "$(grep -c 'No space left on device' err.txt)" -le 2 ] || die "le disque plein est signalé pour chaque demande"
python3 - <<'PY'
import json, os
d = json.load(open("copy/report.json"))
assert d["complete"] is False and "No space left" in d["stopped"], d.get("stopped")
assert d["rejected"] == 0, "rien n'est rejeté : le lot est arrêté"
for r in d["results"]:
    for f in r["files"]:
        assert os.path.getsize("copy/" + f["name"]) == f["bytes"]
PY
for z in copy/*.zip; do cmp "$z" "whole/$(basename "$z")" || die "$z incomplet ou différent"; done
ls copy | grep -q 'tmp' && die "fichier temporaire laissé sur le disque plein"
# With room again, --resume finishes the job.
run_dossier 0 build -q -j 2 --resume -o copy lot.csv
diff -r --exclude=report.journal whole copy >/dev/null || die "reprise après disque plein : sorties différentes"
