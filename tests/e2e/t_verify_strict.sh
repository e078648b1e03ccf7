# A container passes `verify` (and serves `check-scan` as a reference) only when the seal
# covers exactly what is in it and sealed it with a certificate fit for sealing (issue
# 15). An attacker holding a certificate from the authority's own CA, and able to edit
# any container he is handed, tries: entries the manifest does not list (in META-INF
# too), bytes and a whole local entry hidden outside the central directory, local
# headers that disagree with it, data after its end, a comment; then seals with his
# customer signing certificate, a TLS server certificate, a subordinate CA. Each is
# refused with its code, by verify (exit 1) and check-scan (exit 2); build refuses to
# seal with those certificates (exit 2, nothing written).
source "$ROOT/tests/e2e/lib.sh"
source "$DATA/seal/pki.sh"
tamper() { python3 "$ROOT/tests/e2e/py/ziptamper.py" "$@" || die "ziptamper $*"; }

# The authority: its CA, its qualified seal (QcType eseal), its code key; and what the
# same CA issues its customers.
pki_ca "$WORK" ac
CA=ac-ca.pem
pki_seal "$WORK" ac cachet qseal_ext
pki_seal "$WORK" ac client customer_ext
pki_seal "$WORK" ac serveur tls_ext
pki_seal "$WORK" ac sous-ac subca_ext
openssl genpkey -algorithm ED25519 -out codes.pem 2>/dev/null
chmod 600 codes.pem
openssl pkey -in codes.pem -pubout -out codes-pub.pem

run_dossier 0 build -q --flow papier -o good --seal-key cachet.key --seal-cert cachet.pem --seal-chain "$CA" \
  --code-key codes.pem "$SAMPLES/demandes.csv"
N=600101
G=good/$N.zip
run_dossier 0 verify --ca "$CA" "$G"
assert_contains out.txt "$G: conteneur valide"
assert_contains out.txt "CN = cachet"
# What build seals, OpenSSL accepts as CAdES too.
mkdir x && (cd x && unzip -q "../$G")
openssl cms -verify -binary -inform DER -in x/META-INF/signature.p7s -content x/META-INF/ASiCManifest.xml \
  -CAfile "$CA" -cades -out /dev/null 2>cms.txt || { cat cms.txt; die "openssl cms -verify refuse le cachet"; }

# check-scan against a blank page: with the sound container the dossier is merely
# incomplete (exit 1); a refused container makes it a usage error (exit 2).
python3 - <<'PY'
import struct, zlib
w, h = 200, 280
row = b"\x00" + b"\xff" * w
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b"")
open("blanc.png", "wb").write(png)
PY
run_dossier 1 check-scan --ca "$CA" --pubkey codes-pub.pem blanc.png "$G"

# refused ZIP "CODE...": verify says exactly these codes, check-scan refuses ZIP with them.
refused() {
  expect_codes "$1" "$2"
  cp out.txt verify.txt
  run_dossier 2 check-scan --ca "$CA" --pubkey codes-pub.pem blanc.png "$1"
  for code in $2; do assert_contains err.txt "[$code]"; done
  assert_contains err.txt "[scan.container]"
}

# 1. Entries the manifest does not list. META-INF used to be exempt: a note, a PDF
# (the dossier itself), a second signature.
printf 'Pièce ajoutée après le scellement.\n' >note.txt
tamper "$G" meta-text.zip put META-INF/notes.txt note.txt
refused meta-text.zip "manifest.unreferenced"
assert_contains verify.txt "« META-INF/notes.txt » est dans le conteneur mais pas dans le manifeste"
tamper "$G" meta-pdf.zip put META-INF/annexe.pdf "good/$N.pdf"
refused meta-pdf.zip "manifest.unreferenced"
assert_contains verify.txt "META-INF/annexe.pdf"
tamper "$G" meta-sig.zip put META-INF/signature2.p7s x/META-INF/signature.p7s
refused meta-sig.zip "manifest.unreferenced"
assert_contains verify.txt "META-INF/signature2.p7s"

# 2. The ZIP structure. A parse and rewrite that changes nothing is byte-identical (so
# each case below differs by one thing).
tamper "$G" same.zip same
cmp -s "$G" same.zip || die "ziptamper same : réécriture différente"
# A whole local entry that the central directory does not list: libzip and unzip do not
# see it, a streaming unzipper extracts it.
tamper "$G" hidden.zip hidden-entry evil.pdf '%PDF-1.4 caché'
grep -q 'evil.pdf' <(unzip -Z1 hidden.zip) && die "hidden.zip : evil.pdf visible dans le répertoire central"
python3 - hidden.zip <<'PY' || die "hidden.zip : pas d'entrée locale evil.pdf"
import sys, struct
d = open(sys.argv[1], "rb").read()
p, names = 0, []
while d[p:p + 4] == b"PK\x03\x04":      # what a streaming reader walks: local headers only
    csize, nlen, xlen = struct.unpack_from("<I4xHH", d, p + 18)
    names.append(d[p + 30:p + 30 + nlen].decode())
    p += 30 + nlen + xlen + csize
assert "evil.pdf" in names, names
PY
refused hidden.zip "zip.hidden_entry"
assert_contains verify.txt "« evil.pdf »"
tamper "$G" gap.zip gap 'octets glissés entre deux entrées'
refused gap.zip "zip.hidden_data"
tamper "$G" before-cd.zip before-cd 'octets glissés avant le répertoire central'
refused before-cd.zip "zip.hidden_data"
assert_contains verify.txt "avant le répertoire central"
tamper "$G" after-cd.zip after-cd 'octets glissés après le répertoire central'
refused after-cd.zip "zip.hidden_data"
tamper "$G" trailing.zip trailing 'octets ajoutés en fin de fichier'
refused trailing.zip "zip.trailing_data"
tamper "$G" comment.zip comment 'commentaire ajouté'
refused comment.zip "zip.comment"
# Local headers that disagree with the central directory: each field alone.
tamper "$G" l-name.zip local "dossier-$N.pdf" name "dossier-$N.txt"
refused l-name.zip "zip.local_mismatch"
assert_contains verify.txt "(nom)"
tamper "$G" l-method.zip local META-INF/ASiCManifest.xml method 0
refused l-method.zip "zip.local_mismatch"
assert_contains verify.txt "(méthode)"
tamper "$G" l-flags.zip local "dossier-$N.pdf" flags 0
refused l-flags.zip "zip.local_mismatch"
assert_contains verify.txt "(indicateurs)"
tamper "$G" l-crc.zip local META-INF/signature.p7s crc 0x12345678
refused l-crc.zip "zip.local_mismatch"
assert_contains verify.txt "(CRC)"
tamper "$G" l-size.zip local META-INF/ASiCManifest.xml size 1
refused l-size.zip "zip.local_mismatch"
assert_contains verify.txt "(tailles)"

# 3. Sealed by certificates the same CA issued for other uses: the chain verifies, the
# certificate is not a seal. The attacker signs the genuine manifest as OpenSSL does.
unfit() {   # NAME CODE WORDS
  openssl cms -sign -binary -cades -md sha256 -signer "$1.pem" -inkey "$1.key" \
    -in x/META-INF/ASiCManifest.xml -outform DER -out "$1.p7s"
  tamper "$G" "scelle-$1.zip" put META-INF/signature.p7s "$1.p7s"
  refused "scelle-$1.zip" "$2"
  assert_contains verify.txt "$3"
  assert_contains verify.txt "il ne peut pas sceller"
  # Without --ca too: fitness is not a matter of trust.
  run_dossier 1 verify "scelle-$1.zip"
  assert_contains out.txt "[$2]"
  # build will not seal with it (exit 2), and writes nothing.
  run_dossier 2 build -q -o "build-$1" --seal-key "$1.key" --seal-cert "$1.pem" --seal-chain "$CA" \
    --code-key codes.pem "$SAMPLES/demandes.csv"
  assert_contains err.txt "$1.pem : le certificat"
  assert_contains err.txt "[seal.${2#signature.}]"
  [ -z "$(ls -A "build-$1" 2>/dev/null)" ] || die "build avec $1 : fichiers écrits"
}
chmod 600 client.key serveur.key sous-ac.key
unfit client signature.esign "QcType esign"
unfit serveur signature.ext_key_usage "serverAuth"
unfit sous-ac signature.ca "CA:TRUE"
# The control: the authority's seal, through the same steps, passes.
openssl cms -sign -binary -cades -md sha256 -signer cachet.pem -inkey cachet.key \
  -in x/META-INF/ASiCManifest.xml -outform DER -out cachet.p7s
tamper "$G" scelle-cachet.zip put META-INF/signature.p7s cachet.p7s
run_dossier 0 verify --ca "$CA" scelle-cachet.zip
