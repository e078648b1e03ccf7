# The shipped samples are all valid, in both formats, and describe the same requests.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 validate "$SAMPLES/demandes.csv" -o csv
run_dossier 0 validate "$SAMPLES/demandes.xml" -o xml
n=$(grep -c 'acceptée' out.txt)
[ "$n" -ge 12 ] || die "$n demandes acceptées, au moins 12 attendues"
python3 - <<'PY'
import json
a = json.load(open("csv/report.json")); b = json.load(open("xml/report.json"))
assert a["rejected"] == 0 and b["rejected"] == 0, (a["rejected"], b["rejected"])
na = [(r["numero"], r["flow"]) for r in a["results"]]
nb = [(r["numero"], r["flow"]) for r in b["results"]]
assert na == nb, (na, nb)
PY
