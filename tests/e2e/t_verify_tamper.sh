# dossier verify on damaged and forged containers (SPEC §6): each kind of tampering is
# reported with its own stable [code] and exit 1; unreadable paths exit 2. Containers
# are rebuilt with python's zipfile (mimetype first and stored, as a forger would).
source "$ROOT/tests/e2e/lib.sh"
source "$DATA/seal/pki.sh"
CA="$ROOT/build/demo-seal/demo-ca.pem"
PY=$(python3 -c 'import sys; print(sys.executable)')

run_dossier 0 build -q -o good "$SAMPLES/demandes.csv"
assert_file "$CA"
# A dematerialised record (several documents) and a paper one, from the report.
read -r DEMAT PAPER < <("$PY" -c '
import json
r = json.load(open("good/report.json"))["results"]
print(next(x["numero"] for x in r if x["flow"] != "papier"), next(x["numero"] for x in r if x["flow"] == "papier"))')
G="good/$DEMAT.zip"
assert_file "$G"
assert_file "good/$PAPER.zip"
run_dossier 0 verify --ca "$CA" "$G" "good/$PAPER.zip"

# zipedit.py OUT IN OP ARGS...: IN's entries, changed by OP, written to OUT.
cat >zipedit.py <<'PY'
import sys, zipfile, warnings
warnings.simplefilter("ignore")          # duplicate names are the point of one case
out, src, op, *args = sys.argv[1:]
with zipfile.ZipFile(src) as z:
    entries = [[i.filename, i.date_time, i.compress_type, z.read(i)] for i in z.infolist()]
def find(name):
    return next(e for e in entries if e[0] == name)
def flip(data, pos):
    b = bytearray(data); b[pos] ^= 0x01; return bytes(b)
if op == "same":
    pass
elif op == "replace":                    # NAME FROM_BYTES TO_BYTES (first occurrence)
    e = find(args[0]); old, new = args[1].encode(), args[2].encode()
    assert old in e[3], f"{args[1]!r} absent de {args[0]}"
    e[3] = e[3].replace(old, new, 1)
elif op == "flip":                       # NAME POSITION (negative: from the end)
    e = find(args[0]); e[3] = flip(e[3], int(args[1]))
elif op == "put":                        # NAME FILE: replace or add NAME with FILE's bytes
    data = open(args[1], "rb").read()
    hit = [e for e in entries if e[0] == args[0]]
    if hit: hit[0][3] = data
    else: entries.insert(-2, [args[0], entries[0][1], zipfile.ZIP_STORED, data])
elif op == "add":                        # NAME TEXT: a new stored entry before META-INF
    entries.insert(-2, [args[0], entries[0][1], zipfile.ZIP_STORED, args[1].encode()])
elif op == "bomb":                       # NAME: 2 MB of zeros, deflated (ratio ~1000)
    entries.insert(-2, [args[0], entries[0][1], zipfile.ZIP_DEFLATED, bytes(2 * 1024 * 1024)])
elif op == "remove":
    entries = [e for e in entries if e[0] != args[0]]
elif op == "duplicate":                  # NAME: a second entry of that name, at the end
    e = find(args[0]); entries.append(list(e))
elif op == "compress-mimetype":
    find("mimetype")[2] = zipfile.ZIP_DEFLATED
elif op == "mimetype-last":
    entries = entries[1:] + entries[:1]
else:
    sys.exit("opération inconnue " + op)
with zipfile.ZipFile(out, "w") as z:
    for name, when, method, data in entries:
        info = zipfile.ZipInfo(name, date_time=when)
        info.compress_type = method
        info.external_attr = 0o100644 << 16
        z.writestr(info, data)
PY
edit() { "$PY" zipedit.py "$@" || die "zipedit $*"; }

# A rebuild that changes nothing is still sound: the cases below differ by one thing.
edit same.zip "$G" same
run_dossier 0 verify --ca "$CA" same.zip

# 1. A byte flipped inside a stored PDF, in place: the ZIP CRC catches it.
"$PY" - "$G" flipped.zip "formulaire-$DEMAT.pdf" <<'PY'
import struct, sys, zipfile
src, out, name = sys.argv[1:]
data = bytearray(open(src, "rb").read())
info = zipfile.ZipFile(src).getinfo(name)
assert info.compress_type == zipfile.ZIP_STORED
h = info.header_offset
nlen, xlen = struct.unpack("<HH", data[h + 26:h + 30])
data[h + 30 + nlen + xlen + info.compress_size // 2] ^= 0xFF
open(out, "wb").write(data)
PY
cmp -s "$G" flipped.zip && die "flipped.zip identique à l'original"
expect_codes flipped.zip "entry.corrupt"
assert_contains out.txt "formulaire-$DEMAT.pdf"

# 2. A PDF changed, the ZIP correctly rebuilt: only the manifest's digest tells.
edit pdf-changed.zip "$G" flip "cgu-$DEMAT.pdf" 2000
expect_codes pdf-changed.zip "digest.mismatch"
assert_contains out.txt "cgu-$DEMAT.pdf"
[ "$(wc -l <out.txt)" -eq 1 ] || die "une seule empreinte fausse attendue"

# 3. The manifest changed: one byte of an attribute, then a digest too.
edit manifest-mime.zip "$G" replace META-INF/ASiCManifest.xml 'MimeType="application/pdf"' 'MimeType="application/pdg"'
expect_codes manifest-mime.zip "signature.invalid"
b64=$("$PY" -c '
import re, sys, zipfile
m = zipfile.ZipFile(sys.argv[1]).read("META-INF/ASiCManifest.xml").decode()
print(re.findall(r"<ds:DigestValue>([^<]*)</ds:DigestValue>", m)[0])' "$G")
case $b64 in A*) other=B${b64#A} ;; *) other=A${b64#?} ;; esac
edit manifest-digest.zip "$G" replace META-INF/ASiCManifest.xml "$b64" "$other"
expect_codes manifest-digest.zip "signature.invalid digest.mismatch"
# The forger swaps a PDF and writes its digest in the manifest: the seal no longer fits.
edit forged-pdf.zip "$G" flip "formulaire-$DEMAT.pdf" 1000
unzip -p forged-pdf.zip "formulaire-$DEMAT.pdf" >forged.pdf
new_b64=$(openssl dgst -sha256 -binary forged.pdf | base64)
edit forged-both.zip forged-pdf.zip replace META-INF/ASiCManifest.xml "$b64" "$new_b64"
expect_codes forged-both.zip "signature.invalid"

# 4. The signature damaged: a byte of the signature value, or of its DER structure.
edit sig-value.zip "$G" flip META-INF/signature.p7s -5
expect_codes sig-value.zip "signature.invalid"
edit sig-der.zip "$G" flip META-INF/signature.p7s 1
expect_codes sig-der.zip "signature.syntax"
# Another record's seal (a sound signature of another manifest).
unzip -p "good/$PAPER.zip" META-INF/signature.p7s >paper.p7s
edit sig-swapped.zip "$G" put META-INF/signature.p7s paper.p7s
expect_codes sig-swapped.zip "signature.invalid"
# Another record's manifest and seal, both sound: the documents do not match them.
unzip -p "good/$PAPER.zip" META-INF/ASiCManifest.xml >paper.xml
edit both-swapped-1.zip "$G" put META-INF/signature.p7s paper.p7s
edit both-swapped.zip both-swapped-1.zip put META-INF/ASiCManifest.xml paper.xml
expect_codes both-swapped.zip "manifest.missing_entry manifest.unreferenced"

# 5. Entries added or removed.
edit added.zip "$G" add annexe.pdf '%PDF-1.4 ajout'
expect_codes added.zip "manifest.unreferenced"
assert_contains out.txt "annexe.pdf"
edit removed.zip "$G" remove "pieces-$DEMAT.pdf"
expect_codes removed.zip "manifest.missing_entry"
assert_contains out.txt "pieces-$DEMAT.pdf"
edit no-signature.zip "$G" remove META-INF/signature.p7s
expect_codes no-signature.zip "manifest.sigreference signature.missing"
edit no-manifest.zip "$G" remove META-INF/ASiCManifest.xml
expect_codes no-manifest.zip "manifest.missing"

# 6. The mimetype entry: compressed, or not first.
edit mime-deflated.zip "$G" compress-mimetype
expect_codes mime-deflated.zip "mimetype.compressed"
edit mime-last.zip "$G" mimetype-last
expect_codes mime-last.zip "mimetype.first"
[ "$(grep -c '\[mimetype.first\]' out.txt)" -eq 2 ] || die "mimetype en fin : deux signalements attendus (en-tête, position)"

# 7. Names: a duplicate (libzip refuses it under ZIP_CHECKCONS with ZIP_ER_EXISTS; the
# verifier names it), and a path escaping the extraction folder.
edit duplicate.zip "$G" duplicate "formulaire-$DEMAT.pdf"
[ "$(unzip -Z1 duplicate.zip | grep -c "^formulaire-$DEMAT.pdf$")" -eq 2 ] || die "duplicate.zip sans doublon"
expect_codes duplicate.zip "name.duplicate manifest.unreferenced"
assert_contains out.txt "l'entrée « formulaire-$DEMAT.pdf » apparaît deux fois [name.duplicate]"
edit evil.zip "$G" add ../evil.pdf '%PDF-1.4 evil'
expect_codes evil.zip "name.unsafe manifest.unreferenced"
assert_contains out.txt "« ../evil.pdf »"
edit absolute.zip "$G" add /tmp/evil.pdf '%PDF-1.4 evil'
expect_codes absolute.zip "name.unsafe manifest.unreferenced"

# 8. A decompression bomb: 2 MB of zeros deflated to a few KB.
edit bomb.zip "$G" bomb bombe.pdf
[ "$(stat -c %s bomb.zip)" -lt $(( $(stat -c %s "$G") + 100000 )) ] || die "bomb.zip trop gros pour une bombe"
expect_codes bomb.zip "zip.bomb manifest.unreferenced"
assert_contains out.txt "« bombe.pdf » : taille décompressée 2097152 octets"

# 9. A container sealed with another key: samples built with our own CA and seal.
pki_ca "$WORK" autre
pki_seal "$WORK" autre cachet-autre
run_dossier 0 build -q -o other --unsigned-codes --seal-key cachet-autre.key --seal-cert cachet-autre.pem --seal-chain autre-ca.pem \
  "$SAMPLES/demandes.csv"
expect_codes "other/$DEMAT.zip" "signature.untrusted"
assert_contains out.txt "demo-ca.pem"
run_dossier 0 verify --ca autre-ca.pem "other/$DEMAT.zip"
assert_contains out.txt "CN = cachet-autre"
assert_contains out.txt "chaîne de certification vérifiée"
assert_not_contains out.txt "DÉMONSTRATION"
# Without --ca the chain is not checked, and the output says so.
run_dossier 0 verify "other/$DEMAT.zip"
assert_contains out.txt "chaîne de certification NON vérifiée"
# The demo CA's container is untrusted for the other CA too.
expect_codes "$G" "signature.untrusted" autre-ca.pem
# Re-sealed with a certificate that may not sign (keyEncipherment only).
pki_seal "$WORK" autre chiffrement encipher_ext
mkdir resealed && (cd resealed && unzip -q "../$G")
openssl cms -sign -binary -cades -md sha256 -signer chiffrement.pem -inkey chiffrement.key \
  -in resealed/META-INF/ASiCManifest.xml -outform DER -out resealed.p7s
edit resealed.zip "$G" put META-INF/signature.p7s resealed.p7s
expect_codes resealed.zip "signature.key_usage" autre-ca.pem

# 10. Not a ZIP at all; an empty file.
printf 'Ceci n’est pas un conteneur.\n' >not-a-zip.zip
expect_codes not-a-zip.zip "zip.signature zip.corrupt"
head -c 100 "$G" >truncated.zip
expect_codes truncated.zip "zip.corrupt"

# 11. Unreadable paths: exit 2, with the reason.
run_dossier 2 verify --ca "$CA" absent.zip
assert_contains out.txt "absent.zip: illisible"
mkdir dir.zip
run_dossier 2 verify --ca "$CA" dir.zip
assert_contains out.txt "dir.zip: illisible"
truncate -s 600M huge.zip
run_dossier 2 verify --ca "$CA" huge.zip
assert_contains out.txt "huge.zip: illisible (fichier trop volumineux)"
rm -f huge.zip
if [ "$(id -u)" -ne 0 ]; then
  cp "$G" locked.zip && chmod 000 locked.zip
  run_dossier 2 verify --ca "$CA" locked.zip
fi
# Several files: one line each, the worst status wins.
run_dossier 1 verify --ca "$CA" "$G" added.zip
assert_contains out.txt "$G: conteneur valide"
assert_contains out.txt "added.zip: "
run_dossier 2 verify --ca "$CA" added.zip absent.zip "$G"
assert_contains out.txt "[manifest.unreferenced]"
assert_contains out.txt "$G: conteneur valide"
# A trust file that is not a certificate.
echo "pas un certificat" >bad-ca.pem
expect_codes "$G" "ca.unreadable" bad-ca.pem
