# Attached files that are not usable images: each record is rejected (exit 1) with
# its code and message on stderr and in report.json; the other records are done.
source "$ROOT/tests/e2e/lib.sh"
mkdir pieces
cp "$SAMPLES"/pieces/* pieces/
cp "$SAMPLES/pieces/cni-lukasz-nowak.jpg" pieces/ok.jpg
: > pieces/zero.jpg
head -c 30000 "$SAMPLES/pieces/cni-chloe-muller.jpg" > pieces/tronquee.jpg
echo "Ceci n'est pas une image." > pieces/texte.jpg
cp "$SAMPLES/pieces/cni-chloe-muller.jpg" pieces/jpeg.png
printf '%%PDF-1.4\ngarbage garbage garbage\n%%%%EOF\n' > pieces/garbage.pdf
python3 - "$SAMPLES" <<'PY'
import csv, io, struct, sys, zlib
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
def png(w, h, idat):
    ihdr = struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', idat) + chunk(b'IEND', b'')
# A decompression bomb: 100000 x 100000 declared in 70 bytes.
open('pieces/bombe.png', 'wb').write(png(100000, 100000, zlib.compress(b'\0' * 64)))
open('pieces/corrompue.png', 'wb').write(png(20, 20, b'not zlib data, garbage' * 3))
# A real JPEG whose SOF0 declares 30000 x 30000.
jpeg = bytearray(open('pieces/cni-chloe-muller.jpg', 'rb').read())
sof = jpeg.index(b'\xff\xc0')
struct.pack_into('>HH', jpeg, sof + 5, 30000, 30000)
open('pieces/bombe.jpg', 'wb').write(jpeg)
# A valid PDF of 11 empty pages, one more than a piece may have.
n = 11
objs = ['<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [%s] /Count %d >>' % (' '.join('%d 0 R' % (3 + i) for i in range(n)), n)]
objs += ['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'] * n
out, offsets = b'%PDF-1.4\n', []
for i, o in enumerate(objs):
    offsets.append(len(out))
    out += ('%d 0 obj\n%s\nendobj\n' % (i + 1, o)).encode()
xref = len(out)
out += ('xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)).encode()
out += b''.join(('%010d 00000 n \n' % o).encode() for o in offsets)
out += ('trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, xref)).encode()
open('pieces/onze-pages.pdf', 'wb').write(out)

# The records: 600102 (demat, one ID copy) and 600103 (paper, five pieces) as models.
src = open(sys.argv[1] + '/demandes.csv', encoding='utf-8-sig', newline='').read()
rows = list(csv.reader(io.StringIO(src), delimiter=';'))
head = rows[0]
model = {r[0]: r for r in rows[1:]}
out = io.StringIO()
w = csv.writer(out, delimiter=';', lineterminator='\r\n')
w.writerow(head)
def record(numero, model_numero, field, path):
    r = list(model[model_numero])
    r[head.index('numero')] = numero
    if field:
        r[head.index(field)] = path
    w.writerow(r)
record('700000', '600102', 'pieces.id_titulaire', 'pieces/ok.jpg')
record('700100', '600103', None, None)
bad = ['zero.jpg', 'tronquee.jpg', 'texte.jpg', 'jpeg.png', 'corrompue.png', 'bombe.png',
       'bombe.jpg', 'garbage.pdf', 'onze-pages.pdf']
for i, name in enumerate(bad):
    record('7000%02d' % (i + 1), '600102', 'pieces.id_titulaire', 'pieces/' + name)
record('700101', '600103', 'pieces.acte_nomination', 'pieces/garbage.pdf')
open('demandes.csv', 'w', encoding='utf-8', newline='').write(out.getvalue())
PY
run_dossier 1 build --quiet --date 2026-11-24 -o out demandes.csv

# expect NUMERO FILE CODE MESSAGE
expect() {
  assert_contains err.txt "« pieces/$2 » : $4"
  grep -F "« pieces/$2 » : $4" err.txt | grep -qF "[$3]" || die "code $3 absent pour $2"
  python3 - "$1" "$3" "$4" <<'PY' || die "report.json : $1 sans $3"
import json, sys
numero, code, message = sys.argv[1:]
report = json.load(open('out/report.json'))
row = next(r for r in report['results'] if r['numero'] == numero)
assert row['status'] == 'rejected', row
assert any(e['code'] == code and message in e['message'] for e in row['errors']), row['errors']
PY
  assert_no_file "out/$1.zip"
  assert_no_file "out/$1.pdf"
}
expect 700001 zero.jpg piece.empty "fichier vide"
expect 700002 tronquee.jpg piece.corrupt "image JPEG illisible ou tronquée"
expect 700003 texte.jpg piece.type "le contenu n'est ni du JPEG, ni du PNG, ni du PDF"
expect 700004 jpeg.png piece.type_mismatch "l'extension annonce du PNG mais le contenu est du JPEG"
expect 700005 corrompue.png piece.corrupt "image PNG illisible ou tronquée"
expect 700006 bombe.png piece.too_large_image "image trop grande : 100000 x 100000 pixels"
expect 700007 bombe.jpg piece.too_large_image "image trop grande : 30000 x 30000 pixels"
expect 700008 garbage.pdf piece.corrupt "document PDF illisible ou endommagé"
expect 700009 onze-pages.pdf piece.too_many_pages "document PDF de 11 pages"
expect 700101 garbage.pdf piece.corrupt "document PDF illisible ou endommagé"
# The error names the field and the line of the record.
assert_contains err.txt "demandes.csv:4: pieces.id_titulaire: « pieces/zero.jpg »"

# The good records are done.
python3 - <<'PY'
import json
report = json.load(open('out/report.json'))
status = {r['numero']: r['status'] for r in report['results']}
assert status['700000'] != 'rejected' and status['700100'] != 'rejected', status
assert report['accepted'] == 2 and report['rejected'] == 10, (report['accepted'], report['rejected'])
PY
assert_file out/700100.pdf
[ -f out/700000.zip ] || [ -f out/700000/jointes-700000.pdf ] || die "pas de sortie pour 700000"
# No crash report from the sanitizers either.
assert_not_contains err.txt "Sanitizer"
assert_not_contains err.txt "runtime error"
