# `dossier track`: a signed page code (DSR2) is authentic under the demo code key and
# under its public key given with --pubkey; one digit changed (request number, page,
# SIREN, signature) is refused; another key is refused; unsigned codes (DSR1) of
# earlier dossiers still decode, and a mistyped one is caught.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 build -q -o out "$SAMPLES/demandes.csv"
pdftoppm -r 150 -gray -f 3 -l 3 out/600101.pdf page
code=$(zbarimg -q --raw page-*.pgm 2>/dev/null | head -1)
case "$code" in DSR2:600101:FOR:2/*) ;; *) die "code de la page 3 inattendu : $code" ;; esac
# What is printed under the QR code is the code without its signature.
pdftotext out/600101.pdf text.txt
assert_contains text.txt "Suivi : ${code%:*} (signé)"

run_dossier 0 track "$code"
assert_contains out.txt "demande n° 600101"
assert_contains out.txt "formulaire d'abonnement"
assert_contains out.txt "page 2 sur"
assert_contains out.txt "dossier du 2026-11-24"
assert_contains out.txt "SIREN 952018349"
assert_contains out.txt "code authentique"
assert_contains out.txt "(clé de démonstration"
pub="$ROOT/build/demo-seal/demo-code-pub.pem"
[ -f "${DOSSIER_DEMO_DIR:-}/demo-code-pub.pem" ] && pub="$DOSSIER_DEMO_DIR/demo-code-pub.pem"
run_dossier 0 track --pubkey "$pub" "$code"
assert_contains out.txt "code authentique"
run_dossier 0 track "$(printf '%s' "$code" | tr 'A-Z' 'a-z')"     # read back in lower case

# A third party verifies it as the README says, with OpenSSL alone: the text before
# the last colon, and the 155 digits as 64 big-endian bytes.
python3 - "$code" <<'PY'
import sys
head, digits = sys.argv[1].rsplit(":", 1)
open("part.txt", "w").write(head)
open("sig.bin", "wb").write(int(digits).to_bytes(64, "big"))
PY
openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in part.txt -sigfile sig.bin >/dev/null \
  || die "openssl ne vérifie pas la signature du code"
printf '%s' "${code%:*}" | sed 's/600101/600102/' > part.txt
if openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in part.txt -sigfile sig.bin >/dev/null 2>&1; then
  die "openssl vérifie un code modifié"
fi

# Tampered: one digit of the request number, the page, the SIREN, the signature.
run_dossier 1 track --pubkey "$pub" "${code/600101/600102}"
assert_contains out.txt "signature invalide"
run_dossier 1 track "${code/600101/600102}"
assert_contains out.txt "signature invalide"
run_dossier 1 track "${code/FOR:2/FOR:3}"
run_dossier 1 track "${code/952018349/952018340}"
last=${code: -1}; run_dossier 1 track "${code%?}$(( (last + 1) % 10 ))"
run_dossier 1 track "${code%:*}"                                  # signature cut off
# Another authority's key.
openssl genpkey -algorithm ED25519 -out other.pem 2>/dev/null
openssl pkey -in other.pem -pubout -out other-pub.pem
run_dossier 1 track --pubkey other-pub.pem "$code"
assert_contains out.txt "clé inconnue"
run_dossier 2 track --pubkey absent.pem "$code"

# Unsigned codes of earlier dossiers (DSR1) keep decoding.
old=$(python3 -c 'import zlib; b="DSR1:600101:FOR:2/6"; print("%s:%08X" % (b, zlib.crc32(b.encode())))')
run_dossier 0 track "$old"
assert_contains out.txt "format DSR1, demande n° 600101"
run_dossier 1 track "${old/600101/600102}"
assert_contains out.txt "clé de contrôle incorrecte"
run_dossier 1 track "${old/FOR/XYZ}"
assert_contains out.txt "inconnu"
run_dossier 1 track "DSR9:600101:FOR:1/3:00000000"
run_dossier 1 track "DSR1:600101:FOR:4/3:00000000"
run_dossier 1 track "n'importe quoi"
run_dossier 2 track
