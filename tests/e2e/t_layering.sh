# The architecture holds: libharu stays behind pdf.c, no renderer reads the request,
# and the command line uses libdossier's public API and nothing else.
source "$ROOT/tests/e2e/lib.sh"
cd "$ROOT"
hpdf=$(grep -l 'hpdf' src/*/*.c src/*/*.h | grep -v '^src/render/pdf\.c$' || true)
[ -z "$hpdf" ] || die "libharu utilisée hors de src/render/pdf.c : $hpdf"
readers=$(grep -lE 'request\.h|struct request\b|request_get|\bF_[A-Z]+_' src/render/*.c src/render/*.h || true)
[ -z "$readers" ] || die "un module de rendu lit la demande : $readers"
# The CLI's own includes: the public header and the C library only.
inc=$(grep -h '#include "' src/cli/*.c | grep -v '"batch.h"\|"workers.h"' || true)
[ -z "$inc" ] || die "la ligne de commande inclut des en-têtes internes : $inc"
# And what it links to: dossier_* or the C library.
build="${BUILD_DIR:-$ROOT/build}"
nm -u "$build"/src/cli/*.o | awk '{print $2}' | grep -v '^dossier_' | sed 's/@.*//' | sort -u >"$WORK/undefined.txt"
# Defined by the command line's own files, or by the C library.
{ nm --defined-only "$build"/src/cli/*.o | awk 'NF == 3 {print $3}'
  nm -D --defined-only /lib/x86_64-linux-gnu/libc.so.6 | awk '{print $3}' | sed 's/@.*//'; } | sort -u >"$WORK/known.txt"
extra=$(comm -23 "$WORK/undefined.txt" "$WORK/known.txt" | grep -v '^__\(asan\|ubsan\|lsan\|sanitizer\)' || true)
[ -z "$extra" ] || die "la ligne de commande appelle hors de l'API : $extra"
