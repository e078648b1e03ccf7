# Reproducible outputs (SPEC §4): the same input and date give byte-identical files
# whatever the worker count or the time zone; the ZIP entry times are the date in UTC;
# another date gives other containers.
source "$ROOT/tests/e2e/lib.sh"
PY=$(python3 -c 'import sys; print(sys.executable)')
DATE=2026-11-24T10:20:30Z        # 1795515630: hours show up if a time zone leaks in
AUCKLAND=Pacific/Auckland        # UTC+13 in November: another day
[ -e /usr/share/zoneinfo/$AUCKLAND ] || AUCKLAND="NZST-12NZDT,M9.5.0,M4.1.0/3"
assert_eq "$(TZ=$AUCKLAND date -d @1795515630 +%F)" "2026-11-24" "heure d'Auckland"

TZ=UTC run_dossier 0 build -q -j 1 --date "$DATE" -o a "$SAMPLES/demandes.csv"
TZ=UTC run_dossier 0 build -q -j 4 --date "$DATE" -o b "$SAMPLES/demandes.csv"
TZ=$AUCKLAND run_dossier 0 build -q --date "$DATE" -o nz "$SAMPLES/demandes.csv"
# SOURCE_DATE_EPOCH is the same date when --date is absent.
SOURCE_DATE_EPOCH=1795515630 TZ=America/Los_Angeles run_dossier 0 build -q -o sde "$SAMPLES/demandes.csv"
TZ=UTC run_dossier 0 build -q --date 2026-11-25T10:20:30Z -o later "$SAMPLES/demandes.csv"

ls a >a.list
zips=$(grep -c '\.zip$' a.list)
pdfs=$(grep -c '\.pdf$' a.list)
[ "$zips" -ge 10 ] && [ "$pdfs" -ge 1 ] || die "a/ : $zips conteneurs, $pdfs PDF"
grep -qx report.json a.list && grep -qx report.csv a.list || die "rapports absents de a/"
for dir in b nz sde; do
  ls "$dir" >"$dir.list"
  cmp -s a.list "$dir.list" || { diff a.list "$dir.list"; die "$dir/ ne contient pas les mêmes fichiers que a/"; }
  while read -r f; do
    cmp "a/$f" "$dir/$f" || die "$dir/$f diffère de a/$f"
  done <a.list
done
# Another date: every container differs.
while read -r f; do
  case $f in *.zip) ! cmp -s "a/$f" "later/$f" || die "later/$f identique à a/$f malgré une autre date" ;; esac
done <a.list

# Entry times and attributes, read back from the containers made in Auckland.
TZ=$AUCKLAND "$PY" - nz <<'PY'
import os, sys, zipfile
n = 0
for f in sorted(os.listdir(sys.argv[1])):
    if not f.endswith(".zip"):
        continue
    for i in zipfile.ZipFile(os.path.join(sys.argv[1], f)).infolist():
        n += 1
        if i.date_time != (2026, 11, 24, 10, 20, 30):
            sys.exit(f"ÉCHEC: {f}:{i.filename}: date {i.date_time}, attendu 2026-11-24 10:20:30 (UTC)")
        if i.create_system != 3 or i.external_attr >> 16 != 0o100644:
            sys.exit(f"ÉCHEC: {f}:{i.filename}: attributs {i.create_system} {oct(i.external_attr >> 16)}")
        if i.extra:
            sys.exit(f"ÉCHEC: {f}:{i.filename}: champ extra (horodatage local ?) {i.extra!r}")
if n < 40:
    sys.exit(f"ÉCHEC: seulement {n} entrées lues")
PY
# And through unzip's listing, with yet another time zone.
TZ=Asia/Tokyo unzip -Z -T "a/$(grep -m1 '\.zip$' a.list)" >zinfo.txt
grep -q ' 20261124\.102030 mimetype$' zinfo.txt || { cat zinfo.txt; die "heure de l'entrée mimetype"; }
