# Trust (issue 15): what verify, track, --resume and report-merge call valid or
# complete is exactly that, against an attacker who holds a certificate from the same
# CA and an operator who changes the settings between runs.
source "$ROOT/tests/e2e/lib.sh"
source "$DATA/seal/pki.sh"
DEMO_DIR=$(dirname "$DOSSIER")/demo-seal
[ -f "$DEMO_DIR/demo-ca.pem" ] || DEMO_DIR=$ROOT/build/demo-seal
cp -r "$SAMPLES/pieces" .
head -3 "$SAMPLES/demandes.csv" > two.csv          # 600101 (paper, pieces) and 600102

# --- Codes: checked against a key, only that key's valid signature passes ----------
crc_code() { python3 -c "import zlib,sys; t=sys.argv[1]; print('%s:%08X' % (t, zlib.crc32(t.encode())))" "$1"; }
dsr1=$(crc_code "DSR1:600101:FOR:2/6")
openssl pkey -in "$DEMO_DIR/demo-code-key.pem" -pubout -out demo-pub.pem 2>/dev/null
run_dossier 1 track --pubkey demo-pub.pem "$dsr1"
assert_contains out.txt "non signé"
assert_contains out.txt "[track.unsigned]"
# Without --pubkey, with the demo key on this machine: an unknown key id is never valid.
forged="DSR2:600101:CGU:3/7:20261124:952018349:0BADC0DE:$(printf '1%.0s' $(seq 155))"
run_dossier 1 track "$forged"
assert_contains out.txt "clé inconnue"
assert_contains out.txt "[track.unknown_key]"
# No key at all: decoded, and said not to be authenticated.
DOSSIER_DEMO_DIR=$WORK/nowhere run_dossier 0 track "$dsr1"
assert_contains out.txt "NON authentifié"

# --- A real seal: signed codes, or unsigned ones only when asked -------------------
pki_ca "$WORK" ac
pki_seal "$WORK" ac cachet
chmod 600 cachet.key
run_dossier 2 build -o real --seal-key cachet.key --seal-cert cachet.pem two.csv
assert_contains err.txt "[codekey.missing]"
assert_no_file real/600101.zip
run_dossier 0 build -q -o unsigned --unsigned-codes --seal-key cachet.key --seal-cert cachet.pem two.csv
assert_file unsigned/600101.zip
openssl genpkey -algorithm ED25519 -out codes.pem 2>/dev/null
chmod 600 codes.pem
run_dossier 0 build -q -o real --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem two.csv
# A passphrase file others can read is refused like a key.
printf 'secret\n' > pass.txt
chmod 644 pass.txt
run_dossier 2 build -o p --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem --seal-pass-file pass.txt two.csv
assert_contains err.txt "[key.mode]"

# --- Pinning: the seal's identity, not just a chain to the CA ----------------------
fp=$(openssl x509 -in cachet.pem -noout -fingerprint -sha256 | cut -d= -f2)
run_dossier 0 verify --ca ac-ca.pem --seal-cert-fingerprint "$fp" real/600101.zip
assert_contains out.txt "conforme à l'épingle"
assert_contains out.txt "$(echo "$fp" | tr -d : | tr A-F a-f)"
run_dossier 0 verify --ca ac-ca.pem --seal-cert cachet.pem real/600101.zip
subject=$(sed -n 's/^.*cachet « \(.*\) », certificat.*$/\1/p' out.txt)
[ -n "$subject" ] || { cat out.txt; die "sujet du cachet non affiché"; }
# Another certificate of the same CA (a customer's, say) is not the seal.
pki_seal "$WORK" ac client
run_dossier 1 verify --ca ac-ca.pem --seal-cert client.pem real/600101.zip
assert_contains out.txt "[signature.pin]"
run_dossier 0 verify --ca ac-ca.pem --seal-subject "$subject" real/600101.zip
run_dossier 0 verify --ca ac-ca.pem --seal-subject "$(openssl x509 -in cachet.pem -noout -subject -nameopt RFC2253,-esc_msb | sed 's/^subject=//')" real/600101.zip
run_dossier 1 verify --ca ac-ca.pem --seal-subject "C = FR, O = Autre, CN = cachet" real/600101.zip
run_dossier 2 verify --seal-cert-fingerprint 1234 real/600101.zip
assert_contains err.txt "[options.pin]"
# Without a pin, verify says the seal is not pinned.
run_dossier 0 verify --ca ac-ca.pem real/600101.zip
assert_contains out.txt "NON épinglé"

# --- check-scan: a complete dossier whose seal was not checked says so -------------
"${SCAN_SIM:-$BUILD_DIR/tools/scan-sim}" --seed 21 --fill 1 --drop 0 -o full.pdf --truth full.json real/600101.zip
run_dossier 0 check-scan full.pdf real/600101.zip
assert_contains out.txt "COMPLET"
assert_contains out.txt "non vérifié (--ca absent)"
run_dossier 0 check-scan --json full.json --ca ac-ca.pem --seal-cert cachet.pem --pubkey codes.pem full.pdf real/600101.zip
assert_not_contains out.txt "attention : cachet"
python3 -c "import json; d=json.load(open('full.json'))['dossiers'][0]; assert d['seal'] == {'chain_checked': True, 'pinned': True}, d"
run_dossier 2 check-scan --ca ac-ca.pem --seal-cert client.pem full.pdf real/600101.zip
assert_contains err.txt "[signature.pin]"

# --- Nothing blocks: pipes refused at once --------------------------------------
mkfifo pipe.pem pipe.zip
chmod 600 pipe.pem
start=$(date +%s)
run_dossier 2 check-scan pipe.zip real/600101.zip
run_dossier 2 check-scan real/600101.pdf pipe.zip
run_dossier 2 build -o f --seal-key pipe.pem --seal-cert cachet.pem --code-key codes.pem two.csv
run_dossier 2 build -o f --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem --seal-pass-file pipe.pem two.csv
run_dossier 2 verify --ca pipe.pem real/600101.zip
[ $(( $(date +%s) - start )) -lt 10 ] || die "une lecture de tube nommé a bloqué"
# Milliseconds given as seconds: refused, not sealed in year 56886.
run_dossier 2 build -o f --date @1733011200000 two.csv
assert_contains err.txt "hors des limites"
assert_no_file f/600101.zip
SOURCE_DATE_EPOCH=1733011200000 run_dossier 2 build -o f two.csv

# --- --timeout holds for --stdout too ----------------------------------------------
python3 - <<'PY'
import zlib
n = 200000
ops = "\n".join(f"{(i * 7) % 590} {(i * 13) % 830} 0.6 0.6 re" + ("\nf" if i % 50 == 49 else "") for i in range(n)) + "\nf"
content = zlib.compress(ops.encode(), 9)
pages = 10
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        ("<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % (4 + k) for k in range(pages)), pages)).encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"]
objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
out = bytearray(b"%PDF-1.4\n"); offs = []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open("lent.pdf", "wb").write(out)
PY
python3 - "$SAMPLES/demandes.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
r = dict(rows[0])
for k in r:
    if k.startswith("pieces."): r[k] = ""
r["pieces.kbis"] = "lent.pdf"
w = csv.DictWriter(open("lent.csv", "w", encoding="utf-8", newline=""), fieldnames=list(r), delimiter=";")
w.writeheader(); w.writerow(r)
PY
start=$(date +%s)
"$DOSSIER" build --stdout --timeout 1 lent.csv >lent-out.pdf 2>err.txt && die "--stdout --timeout 1 : la demande lente est passée"
[ $(( $(date +%s) - start )) -le 6 ] || die "--stdout n'a pas respecté --timeout"
assert_contains err.txt "[worker.timeout]"
[ ! -s lent-out.pdf ] || die "--stdout interrompu : un PDF partiel sur la sortie standard"

# --- Stale resume: everything that shaped the bytes is compared -------------------
run_dossier 0 build -q -o lot two.csv                    # the demo seal
run_dossier 0 build --resume -o lot --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem two.csv
assert_contains err.txt "le cachet (--seal-cert)"
assert_not_contains out.txt "déjà faite"
run_dossier 0 verify --ca ac-ca.pem --seal-cert cachet.pem lot/600101.zip lot/600102.zip
grep -q "$(echo "$fp" | tr -d : | tr A-F a-f)" lot/report.json || die "report.json sans l'empreinte du cachet"
# New templates (a new CGU version): everything again.
cp -r "$ROOT/templates" tpl
sed -i 's/version="CGU-AC-2026.1"/version="CGU-AC-2026.2"/' tpl/cgu.xml
run_dossier 0 build --resume -o lot --templates tpl --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem two.csv
assert_contains err.txt "les modèles ou les polices"
assert_not_contains out.txt "déjà faite"
# A piece replaced by another file under the same name: that record again, and why.
target=$(python3 -c "
import csv; r=[x for x in csv.DictReader(open('two.csv',encoding='utf-8-sig'),delimiter=';') if x['numero']=='600102'][0]
print(r['pieces.id_titulaire'])")
swap=$(python3 -c "
import csv; r=[x for x in csv.DictReader(open('two.csv',encoding='utf-8-sig'),delimiter=';') if x['numero']=='600101'][0]
print(r['pieces.id_titulaire'])")
cp "$target" saved.jpg
cp "$swap" "$target"
run_dossier 0 build --resume -o lot --templates tpl --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem two.csv
assert_contains out.txt "600101 : déjà faite (reprise)"
assert_not_contains out.txt "600102 : déjà faite"
assert_contains err.txt "1 pièce jointe modifiée"
cp saved.jpg "$target"

# --- One folder, one writer --------------------------------------------------------
make_batch 6 720000
"$DOSSIER" build -q -j 1 -o busy lot.csv >first.txt 2>&1 &
pid=$!
for i in $(seq 100); do [ -e busy/report.journal ] && break; sleep 0.05; done
journal_before=$(wc -c < busy/report.journal)
start=$(date +%s)
run_dossier 2 build -q -j 1 -o busy lot.csv
assert_contains err.txt "[output.busy]"
[ $(( $(date +%s) - start )) -lt 5 ] || die "le second lot a attendu au lieu de refuser"
[ "$(wc -c < busy/report.journal)" -ge "$journal_before" ] || die "le second lot a tronqué le journal du premier"
# --- SIGHUP stops the batch cleanly, with its report --------------------------------
kill -HUP $pid
got=0; wait $pid || got=$?
assert_eq "$got" 3 "lot arrêté par SIGHUP"
assert_contains first.txt "SIGHUP"
python3 -c "import json; d=json.load(open('busy/report.json')); assert d['complete'] is False and 'SIGHUP' in d['stopped'], d"

# --- Merge that counts ------------------------------------------------------------
for k in 1 2 3; do run_dossier 0 build -q -j 1 --shard $k/3 -o s$k two.csv lot.csv; done
run_dossier 0 report-merge -o m s1 s2 s3
python3 -c "import json; d=json.load(open('m/report.json')); assert d['complete'] is True and d['records'] == 86, d"
run_dossier 3 report-merge -o m s1 s3
assert_contains err.txt "[report.slice_missing]"
python3 -c "import json; d=json.load(open('m/report.json')); assert d['complete'] is False and '2/3' in d['stopped'], d"
run_dossier 2 report-merge -o m s1 s1 s2 s3
assert_contains err.txt "[report.merge_duplicate]"
# A slice of another input (or another cut) is refused, nothing merged.
run_dossier 0 build -q -j 1 --shard 2/3 -o other two.csv
run_dossier 2 report-merge -o m2 s1 other s3
assert_contains err.txt "[report.merge_mismatch]"
assert_no_file m2/report.json
# A slice killed without a word: incomplete, exit 3 so that a scheduler retries it.
rm -rf s2
"$DOSSIER" build -q -j 1 --shard 2/3 -o s2 two.csv lot.csv >/dev/null 2>&1 &
pid=$!
for i in $(seq 200); do [ "$(ls s2 2>/dev/null | grep -c '\.zip$')" -ge 2 ] && break; sleep 0.05; done
kill -KILL $pid; wait $pid 2>/dev/null || true
run_dossier 3 report-merge -o m s1 s2 s3
assert_contains err.txt "[report.slice_incomplete]"
# Finished with --resume: whole again.
run_dossier 0 build -q -j 1 --resume --shard 2/3 -o s2 two.csv lot.csv
run_dossier 0 report-merge -o m s1 s2 s3
