# Every sample record's sealed container (SPEC §4), checked with tools that are not
# dossier's: unzip, the raw bytes, openssl cms, xmllint with the ETSI schema,
# sha256sum, qpdf; then dossier verify, and report.json against the files on disk.
source "$ROOT/tests/e2e/lib.sh"
DEMO="$ROOT/build/demo-seal"
DATE=2026-11-24T10:20:30Z
# The interpreter itself, not a version-manager shim that costs a second per call.
PY=$(python3 -c 'import sys; print(sys.executable)')

run_dossier 0 build --date "$DATE" -o out "$SAMPLES/demandes.csv"
assert_file "$DEMO/demo-ca.pem"
assert_file "$DEMO/demo-seal-cert.pem"

# What each record should give, from the CSV itself: numero, paper or not, has pieces.
"$PY" - "$SAMPLES/demandes.csv" >expected.txt <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    head = f.readline()
    f.seek(0)
    if f.read(1) != "\ufeff":
        f.seek(0)
    rows = csv.DictReader(f, delimiter=";" if head.count(";") > head.count(",") else ",")
    for row in rows:
        paper = row.get("papier", "").strip().lower() in ("oui", "true", "1")
        pieces = any(v.strip() for k, v in row.items() if k and k.startswith("pieces.") and v)
        print(row["numero"], "paper" if paper else "demat", "pieces" if pieces else "nopieces")
PY
records=$(wc -l <expected.txt)
[ "$records" -ge 10 ] || die "seulement $records demandes lues dans les exemples"
grep -q ' paper ' expected.txt || die "aucune demande papier dans les exemples"
grep -q ' demat ' expected.txt || die "aucune demande dématérialisée dans les exemples"

# The python checks of one container: byte layout, entry list and order, manifest
# references. Prints the documents, one per line.
cat >layout.py <<'PY'
import struct, sys, zipfile
path, numero, flow, pieces = sys.argv[1:5]
data = open(path, "rb").read()
def fail(msg):
    sys.exit(f"ÉCHEC: {path}: {msg}")
sig, version, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen = struct.unpack("<IHHHHHIIIHH", data[:30])
if sig != 0x04034B50: fail("pas d'en-tête local ZIP en tête")
if data[30:38] != b"mimetype": fail(f"octet 30 : {data[30:38]!r}")
if data[38:69] != b"application/vnd.etsi.asic-e+zip": fail(f"octet 38 : {data[38:69]!r}")
if data[69:73] != b"PK\x03\x04": fail("le contenu de mimetype ne fait pas exactement 31 octets")
if (method, flags, xlen, nlen, csize, usize) != (0, 0, 0, 8, 31, 31):
    fail(f"mimetype : méthode {method}, drapeaux {flags:#x}, extra {xlen}, tailles {csize}/{usize}")
z = zipfile.ZipFile(path)
names = [i.filename for i in z.infolist()]
if names[0] != "mimetype": fail(f"première entrée {names[0]}")
if len(set(names)) != len(names): fail(f"noms en double : {names}")
if flow == "paper":
    docs = [f"dossier-{numero}.pdf"]
else:
    docs = [f"formulaire-{numero}.pdf", f"cgu-{numero}.pdf", f"pieces-{numero}.pdf"]
    # The attached pieces, when rendered as their own document, come last and only
    # for a record that has some.
    if f"jointes-{numero}.pdf" in names:
        if pieces != "pieces": fail("jointes sans aucune pièce fournie")
        docs.append(f"jointes-{numero}.pdf")
meta = ["META-INF/ASiCManifest.xml", "META-INF/signature.p7s"]
if sorted(names) != sorted(["mimetype"] + docs + meta):
    fail(f"entrées {names}, attendu {['mimetype'] + docs + meta}")
# Documents in print order.
if [n for n in names if n in docs] != docs: fail(f"ordre des documents {names}")
for i in z.infolist():
    if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED): fail(f"{i.filename}: méthode {i.compress_type}")
    if i.flag_bits & 0x1: fail(f"{i.filename}: chiffré")
    # Names declared UTF-8 (bit 11), in the central and the local header; mimetype
    # keeps its fixed header with flags 0.
    data = open(path, "rb").read()
    local_flags = struct.unpack_from("<H", data, i.header_offset + 6)[0]
    want = 0 if i.filename == "mimetype" else 0x800
    if (i.flag_bits & 0x800) != want or (local_flags & 0x800) != want:
        fail(f"{i.filename}: drapeau UTF-8 {hex(i.flag_bits)} / {hex(local_flags)}")
print("\n".join(docs))
PY

# The manifest's references: "URI DIGEST" per DataObjectReference, SigReference first.
cat >manifest.py <<'PY'
import sys, urllib.parse
import xml.etree.ElementTree as ET
A = "{http://uri.etsi.org/02918/v1.2.1#}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
root = ET.parse(sys.argv[1]).getroot()
if root.tag != A + "ASiCManifest": sys.exit(f"ÉCHEC: racine {root.tag}")
kids = list(root)
if kids[0].tag != A + "SigReference" or kids[0].get("URI") != "META-INF/signature.p7s" \
        or kids[0].get("MimeType") != "application/pkcs7-signature":
    sys.exit(f"ÉCHEC: SigReference absente ou pas en premier : {kids[0].tag} {kids[0].attrib}")
for ref in kids[1:]:
    if ref.tag != A + "DataObjectReference": sys.exit(f"ÉCHEC: élément {ref.tag}")
    if ref.get("MimeType") != "application/pdf": sys.exit(f"ÉCHEC: MimeType {ref.get('MimeType')}")
    method = ref.find(DS + "DigestMethod").get("Algorithm")
    if method != "http://www.w3.org/2001/04/xmlenc#sha256": sys.exit(f"ÉCHEC: DigestMethod {method}")
    print(urllib.parse.unquote(ref.get("URI")), ref.find(DS + "DigestValue").text.strip())
PY

demo_fp=$(openssl x509 -in "$DEMO/demo-seal-cert.pem" -noout -fingerprint -sha256)
checked=0
while read -r n flow pieces; do
  z="out/$n.zip"
  assert_file "$z"
  unzip -tq "$z" >unzip.txt 2>&1 || { cat unzip.txt; die "$z : unzip -t en échec"; }
  assert_contains unzip.txt "No errors detected"
  # The raw bytes, the way readers sniff the type (and dd, independent of python).
  assert_eq "$(dd if="$z" bs=1 skip=30 count=8 2>/dev/null)" "mimetype" "$z octet 30"
  assert_eq "$(dd if="$z" bs=1 skip=38 count=31 2>/dev/null)" "application/vnd.etsi.asic-e+zip" "$z octet 38"
  "$PY" layout.py "$z" "$n" "$flow" "$pieces" >docs.txt || die "$z : structure"

  x="x-$n"
  mkdir "$x"
  (cd "$x" && unzip -q "../$z")
  assert_eq "$(cat "$x/mimetype")" "application/vnd.etsi.asic-e+zip" "$z : contenu de mimetype"
  [ "$(wc -c <"$x/mimetype")" -eq 31 ] || die "$z : mimetype n'a pas 31 octets"

  # The seal, as a recipient checks it.
  (cd "$x" && openssl cms -verify -binary -inform DER -in META-INF/signature.p7s -content META-INF/ASiCManifest.xml \
     -CAfile "$DEMO/demo-ca.pem" -cades -out /dev/null -signer ../signer.pem) 2>cms.txt ||
    { cat cms.txt; die "$z : openssl cms -verify -cades en échec"; }
  assert_contains cms.txt "CAdES Verification successful"
  assert_eq "$(openssl x509 -in signer.pem -noout -fingerprint -sha256)" "$demo_fp" "$z : certificat du signataire"
  openssl cms -cmsout -print -inform DER -in "$x/META-INF/signature.p7s" >attrs.txt
  for attr in "object: contentType" "object: signingTime" "object: messageDigest" \
              "object: id-smime-aa-signingCertificateV2"; do
    [ "$(grep -c "$attr" attrs.txt)" -eq 1 ] || die "$z : attribut signé « $attr » absent ou répété"
  done
  # signing-time is --date, not the time of the run.
  grep -A2 "object: signingTime" attrs.txt | grep -q "UTCTIME:Nov 24 10:20:30 2026 GMT" ||
    { grep -A2 "object: signingTime" attrs.txt; die "$z : signingTime différent de --date $DATE"; }
  # Detached: the manifest is not inside the signature.
  grep -q "eContent: <ABSENT>" attrs.txt || die "$z : signature non détachée"

  # The manifest: valid against the ETSI schema, and its digests are the files'.
  xmllint --noout --nonet --schema "$ROOT/templates/asic-manifest.xsd" "$x/META-INF/ASiCManifest.xml" 2>xsd.txt ||
    { cat xsd.txt; die "$z : manifeste non conforme au schéma"; }
  "$PY" manifest.py "$x/META-INF/ASiCManifest.xml" >refs.txt || die "$z : manifeste"
  assert_eq "$(cut -d' ' -f1 refs.txt | sort)" "$(sort docs.txt)" "$z : documents du manifeste"
  while read -r uri b64; do
    want=$(sha256sum "$x/$uri" | cut -d' ' -f1)
    got=$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -d ' \n')
    assert_eq "$got" "$want" "$z : empreinte de $uri"
  done <refs.txt

  # Every PDF is sound.
  while read -r doc; do
    qpdf --check "$x/$doc" >qpdf.txt 2>&1 || { tail -5 qpdf.txt; die "$z : qpdf --check $doc"; }
    assert_eq "$(head -c 5 "$x/$doc")" "%PDF-" "$z : $doc n'est pas un PDF"
  done <docs.txt
  if [ "$flow" = paper ]; then
    assert_file "out/$n.pdf"
    cmp "out/$n.pdf" "$x/dossier-$n.pdf" || die "out/$n.pdf diffère de dossier-$n.pdf du conteneur"
    qpdf --check "out/$n.pdf" >/dev/null || die "qpdf --check out/$n.pdf"
  else
    assert_no_file "out/$n.pdf"
  fi

  run_dossier 0 verify --ca "$DEMO/demo-ca.pem" "$z"
  ndocs=$(wc -l <docs.txt)
  assert_contains out.txt "$z: conteneur valide — $ndocs document"
  assert_contains out.txt "chaîne de certification vérifiée"
  assert_not_contains out.txt "["
  checked=$((checked + 1))
done <expected.txt
assert_eq "$checked" "$records" "conteneurs vérifiés"
# Nothing else in the output folder (no temp file left behind).
assert_eq "$(ls out | grep -cvE '^[0-9]+\.(zip|pdf)$|^report\.(json|csv|journal)$' || true)" "0" "fichiers inattendus dans out/"

# report.json: every record, its files with their size and SHA-256 as on disk.
"$PY" - out/report.json expected.txt <<'PY'
import hashlib, json, os, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
expected = [l.split() for l in open(sys.argv[2])]
def fail(msg):
    sys.exit(f"ÉCHEC: report.json: {msg}")
if report.get("demo_seal") is not True: fail("demo_seal n'est pas true")
if report.get("date") != "2026-11-24T10:20:30Z": fail(f"date {report.get('date')}")
results = {r["numero"]: r for r in report["results"]}
if sorted(results) != sorted(n for n, _, _ in expected): fail(f"demandes {sorted(results)}")
for n, flow, _ in expected:
    r = results[n]
    if r["status"] != "ok": fail(f"{n}: statut {r['status']}")
    if r["errors"]: fail(f"{n}: erreurs {r['errors']}")
    want = [f"{n}.zip"] + ([f"{n}.pdf"] if flow == "paper" else [])
    if [f["name"] for f in r["files"]] != want: fail(f"{n}: fichiers {r['files']}")
    for f in r["files"]:
        path = os.path.join("out", f["name"])
        body = open(path, "rb").read()
        if f["sha256"] != hashlib.sha256(body).hexdigest(): fail(f"{f['name']}: sha256")
        if f["bytes"] != len(body): fail(f"{f['name']}: {f['bytes']} octets au lieu de {len(body)}")
PY
# The same digests through sha256sum, independent of python.
"$PY" -c '
import json
for r in json.load(open("out/report.json"))["results"]:
    for f in r["files"]: print(f["sha256"] + "  out/" + f["name"])
' >report.sums
[ "$(wc -l <report.sums)" -gt "$records" ] || die "report.json : trop peu de fichiers"
sha256sum --quiet -c report.sums || die "report.json : sha256 différent de sha256sum"
