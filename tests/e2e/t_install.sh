# `make install PREFIX=/usr DESTDIR=...` from a copy of the checkout; with that copy
# moved away, the installed binary builds the samples from its installed data, its
# demo seal goes to the user's folder, and the example portal backend, compiled with
# `pkg-config --cflags --libs dossier`, builds in-process the same PDF as the command
# line. `make uninstall` removes everything it installed.
source "$ROOT/tests/e2e/lib.sh"
src="$WORK/src"
mkdir -p "$src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$src")
# A build of its own, as a packager makes it (not the sanitizer build of the caller).
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$src" -j2 install PREFIX=/usr DESTDIR="$WORK/root" >make.log 2>&1 || { tail -30 make.log; die "make install"; }
root="$WORK/root"
for f in usr/bin/dossier usr/lib/libdossier.so.1.0.0 usr/lib/libdossier.a usr/include/dossier.h \
         usr/lib/pkgconfig/dossier.pc usr/share/man/man1/dossier.1 usr/share/dossier/templates/textes.xml \
         usr/share/dossier/templates/demande.xsd usr/share/dossier/fonts/DossierSans-Regular.ttf usr/share/dossier/fonts/FONTLOG.txt; do
  assert_file "$root/$f"
done
[ "$(readlink "$root/usr/lib/libdossier.so.1")" = libdossier.so.1.0.0 ] || die "lien libdossier.so.1"
objdump -p "$root/usr/lib/libdossier.so.1.0.0" | grep -q 'SONAME *libdossier.so.1$' || die "soname"
# The library exports its API and nothing else.
nm -D --defined-only "$root/usr/lib/libdossier.so.1.0.0" | awk '{print $3}' | grep -v '^dossier_' >exports.txt || true
[ ! -s exports.txt ] || { cat exports.txt; die "symboles exportés hors de l'API"; }

# The checkout is gone: the installed tool finds everything in its own tree.
mv "$src" "$WORK/moved"
mkdir -p "$WORK/data"
cp -r "$SAMPLES"/. "$WORK/data/"
export XDG_DATA_HOME="$WORK/xdg"
unset DOSSIER_DATADIR DOSSIER_DEMO_DIR
"$root/usr/bin/dossier" build -q --date 2026-11-24 -o "$WORK/out" "$WORK/data/demandes.csv" 2>err.txt \
  || { cat err.txt; die "dossier installé : build"; }
python3 - "$WORK/out/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["records"] == 14 and d["accepted"] == 14, (d["records"], d["accepted"])
PY
assert_file "$XDG_DATA_HOME/dossier/demo-seal/demo-ca.pem"
"$root/usr/bin/dossier" verify --ca "$XDG_DATA_HOME/dossier/demo-seal/demo-ca.pem" "$WORK/out/600101.zip" >out.txt
assert_contains out.txt "conteneur valide"
# --templates and DOSSIER_DATADIR still win.
DOSSIER_DATADIR=/nonexistent "$root/usr/bin/dossier" validate -q "$WORK/data/demandes.csv" 2>err.txt && die "DOSSIER_DATADIR ignoré"
assert_contains err.txt "/nonexistent/templates"
"$root/usr/bin/dossier" validate -q --templates /nonexistent/t "$WORK/data/demandes.csv" 2>err.txt && die "--templates ignoré"
assert_contains err.txt "/nonexistent/t"

# A portal backend: the example, compiled against the installed library.
export PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
flags=$(pkg-config --cflags --libs dossier) || die "pkg-config dossier"
# Under make check SANITIZE=1 the installed library is instrumented: so is the example.
cc -Wall -Werror ${SAN_FLAGS:-} -o portal "$WORK/moved/examples/portal.c" $flags || die "compilation de l'exemple"
python3 - "$WORK/data/demandes.csv" 600101 >record.txt <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"):
    if row["numero"] == sys.argv[2]:
        for k, v in row.items():
            print(f"{k}={v}")
PY
LD_LIBRARY_PATH="$root/usr/lib" DOSSIER_DATADIR="$root/usr/share/dossier" \
  ./portal --demo --date 2026-11-24 --pieces-dir "$WORK/data" record.txt portal.pdf || die "exemple portal"
# Without a seal and without --demo, the library does not fall back on the demo seal.
if LD_LIBRARY_PATH="$root/usr/lib" DOSSIER_DATADIR="$root/usr/share/dossier" \
    ./portal --date 2026-11-24 --pieces-dir "$WORK/data" record.txt none.pdf 2>err.txt; then
  die "exemple portal sans cachet ni --demo accepté"
fi
cmp portal.pdf "$WORK/out/600101.pdf" || die "le PDF de l'exemple diffère de celui de la ligne de commande"
qpdf --check portal.pdf >/dev/null || die "qpdf --check"

mv "$WORK/moved" "$src"
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$src" uninstall PREFIX=/usr DESTDIR="$root" >make.log 2>&1 || die "make uninstall"
left=$(find "$root" -type f -o -type l)
[ -z "$left" ] || { echo "$left"; die "make uninstall a laissé des fichiers"; }
