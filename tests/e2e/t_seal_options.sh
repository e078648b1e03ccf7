# The seal options (SPEC §6): a real key and certificate made with the openssl CLI,
# passphrase from a file or the environment (never argv), and every refusal (wrong
# passphrase, key of another certificate, dates, key usage) exits 2 with a clear
# message and writes nothing. Without --seal-key, the demo seal is made once.
source "$ROOT/tests/e2e/lib.sh"
source "$DATA/seal/pki.sh"
PY=$(python3 -c 'import sys; print(sys.executable)')
IN="$SAMPLES/demandes.csv"

pki_ca "$WORK" essai
pki_seal "$WORK" essai cachet
openssl x509 -in cachet.pem -noout -ext keyUsage | grep -q "Digital Signature, Non Repudiation" || die "keyUsage du cachet"

# cms_verify_all DIR CAFILE: openssl cms -verify -cades on every container of DIR;
# writes the number of certificates embedded in the last one to certs.txt.
cms_verify_all() {
  local dir=$1 ca z n=0
  ca=$(realpath "$2")
  for z in "$dir"/*.zip; do
    rm -rf xx && mkdir xx && (cd xx && unzip -q "../$z")
    (cd xx && openssl cms -verify -binary -inform DER -in META-INF/signature.p7s -content META-INF/ASiCManifest.xml \
       -CAfile "$ca" -cades -out /dev/null) 2>cms.txt || { cat cms.txt; die "$z : openssl cms -verify avec $ca"; }
    n=$((n + 1))
  done
  [ "$n" -ge 10 ] || die "$dir : $n conteneurs seulement"
  openssl pkcs7 -inform DER -in xx/META-INF/signature.p7s -print_certs | grep -c '^-----BEGIN CERTIFICATE' >certs.txt
}

# 1. Key, certificate and chain.
run_dossier 0 build -o chain --unsigned-codes --seal-key cachet.key --seal-cert cachet.pem --seal-chain essai-ca.pem "$IN"
assert_not_contains err.txt "DÉMONSTRATION"
cms_verify_all chain essai-ca.pem
assert_eq "$(cat certs.txt)" "2" "certificats joints (cachet + chaîne)"
"$PY" - chain/report.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if r["demo_seal"] is not False: sys.exit(f"ÉCHEC: demo_seal {r['demo_seal']}")
if "CN = cachet" not in r["seal"]: sys.exit(f"ÉCHEC: seal {r['seal']}")
PY
z=$(ls chain/*.zip | head -1)
run_dossier 0 verify --ca essai-ca.pem "$z"
assert_contains out.txt "CN = cachet"
run_dossier 1 verify --ca "$ROOT/build/demo-seal/demo-ca.pem" "$z"
assert_contains out.txt "[signature.untrusted]"
# Without --seal-chain only the seal certificate travels; the CA file still suffices.
run_dossier 0 build -q -o nochain --unsigned-codes --seal-key cachet.key --seal-cert cachet.pem "$IN"
cms_verify_all nochain essai-ca.pem
assert_eq "$(cat certs.txt)" "1" "certificats joints (cachet seul)"

# 2. An encrypted key: passphrase from --seal-pass-file or DOSSIER_SEAL_PASS.
PASS='une phrase « secrète » 2026'
printf '%s\n' "$PASS" >pass.txt
chmod 600 pass.txt    # as private as the key it opens (a readable one is refused below)
openssl pkey -in cachet.key -aes256 -passout file:pass.txt -out cachet-chiffre.key
grep -q "ENCRYPTED PRIVATE KEY" cachet-chiffre.key || die "clé non chiffrée"
run_dossier 0 build -q -o passfile --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem --seal-pass-file pass.txt "$IN"
cms_verify_all passfile essai-ca.pem
# Only the first line of the file is the passphrase (CRLF too).
printf '%s\r\nune deuxième ligne\n' "$PASS" >pass2.txt
chmod 600 pass2.txt
run_dossier 0 build -q -o passfile2 --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem --seal-pass-file pass2.txt "$IN"
DOSSIER_SEAL_PASS=$PASS run_dossier 0 build -q -o passenv --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem "$IN"
cms_verify_all passenv essai-ca.pem
# The same key however it was unlocked: the same containers.
for f in passfile/*.zip; do cmp "$f" "nochain/${f#passfile/}" || die "$f : autre résultat qu'avec la clé en clair"; done

# 3. Refusals: exit 2, a message naming the problem, nothing written.
refused() {   # OUTDIR TEXT ARGS...
  local out=$1 text=$2; shift 2
  run_dossier 2 build -o "$out" "$@" "$IN"
  assert_contains err.txt "$text"
  assert_no_file "$out"
  [ ! -s out.txt ] || { cat out.txt; die "sortie standard non vide pour un refus"; }
}
echo "pas la bonne" >wrong.txt
chmod 600 wrong.txt
refused r-wrongfile "phrase secrète incorrecte" --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem --seal-pass-file wrong.txt
assert_not_contains err.txt "pas la bonne"
DOSSIER_SEAL_PASS="pas la bonne" refused r-wrongenv "phrase secrète incorrecte" --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem
assert_not_contains err.txt "pas la bonne"
# No passphrase at all: refused without prompting (stdin is not read).
refused r-nopass "phrase secrète incorrecte" --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem </dev/null
refused r-passfile "absent.txt : fichier de phrase secrète illisible" --unsigned-codes --seal-key cachet-chiffre.key --seal-cert cachet.pem \
  --seal-pass-file absent.txt

pki_seal "$WORK" essai autre
refused r-mismatch "la clé autre.key ne correspond pas au certificat cachet.pem" --unsigned-codes --seal-key autre.key --seal-cert cachet.pem

# Validity at the dossier date: 2000-01-01 .. 2030-01-01, then from 2030-01-01 on.
pki_seal "$WORK" essai court seal_ext 20000101000000Z 20300101000000Z
run_dossier 0 build -q -o court-ok --unsigned-codes --seal-key court.key --seal-cert court.pem "$IN"
refused r-expired "court.pem : certificat du cachet expiré à la date des dossiers" \
  --unsigned-codes --seal-key court.key --seal-cert court.pem --date 2049-06-01
pki_seal "$WORK" essai futur seal_ext 20300101000000Z 20491231235959Z
refused r-future "futur.pem : certificat du cachet pas encore valide à la date des dossiers" \
  --unsigned-codes --seal-key futur.key --seal-cert futur.pem --date 2029-12-31
run_dossier 0 build -q -o futur-ok --unsigned-codes --seal-key futur.key --seal-cert futur.pem --date 2030-01-02 "$IN"

pki_seal "$WORK" essai chiffrement encipher_ext
refused r-usage "digitalSignature" --unsigned-codes --seal-key chiffrement.key --seal-cert chiffrement.pem
assert_contains err.txt "chiffrement.pem"

refused r-nocert "--seal-key et --seal-cert vont ensemble" --unsigned-codes --seal-key cachet.key
refused r-nokey "--seal-key et --seal-cert vont ensemble" --seal-cert cachet.pem
refused r-chain "absent-ca.pem : chaîne de certificats illisible" --unsigned-codes --seal-key cachet.key --seal-cert cachet.pem \
  --seal-chain absent-ca.pem
refused r-keyfile "absent.key : clé du cachet illisible" --unsigned-codes --seal-key absent.key --seal-cert cachet.pem
refused r-certfile "cachet.key : certificat du cachet illisible" --unsigned-codes --seal-key cachet.key --seal-cert cachet.key

# 4. The passphrase never goes on the command line: the only option about it takes a file.
run_dossier 0 build --help
assert_eq "$(grep -oE -- '--[a-z-]*pass[a-z-]*( [A-ZÉ]+)?' out.txt | sort -u | tr '\n' ';')" "--seal-pass-file FICHIER;" \
  "options de phrase secrète"
assert_contains out.txt "DOSSIER_SEAL_PASS"
run_dossier 2 build --seal-password secret -o r-argv "$IN"
assert_no_file r-argv

# 5. The demo seal: made on first use in DOSSIER_DEMO_DIR (parents too), then reused.
demo="$WORK/demo/seal"
DOSSIER_DEMO_DIR=$demo run_dossier 0 build -o d1 "$IN"
for f in demo-ca.pem demo-seal-cert.pem demo-seal-key.pem; do assert_file "$demo/$f"; done
assert_contains err.txt "DÉMONSTRATION"
assert_contains err.txt "$demo/demo-ca.pem"
"$PY" -c 'import json,sys; r=json.load(open("d1/report.json")); sys.exit(0 if r["demo_seal"] is True and "DEMO" in r["seal"] else "ÉCHEC: demo_seal/seal " + repr((r["demo_seal"], r["seal"])))'
openssl x509 -in "$demo/demo-seal-cert.pem" -noout -subject | grep -q "DEMO" || die "sujet du cachet de démonstration"
openssl verify -CAfile "$demo/demo-ca.pem" "$demo/demo-seal-cert.pem" >/dev/null || die "cachet de démonstration hors de sa CA"
cms_verify_all d1 "$demo/demo-ca.pem"
z=$(ls d1/*.zip | head -1)
run_dossier 0 verify --ca "$demo/demo-ca.pem" "$z"
assert_contains out.txt "attention : cachet de DÉMONSTRATION, sans valeur"
cp "$demo/demo-seal-cert.pem" cert-1.pem
cp "$demo/demo-seal-key.pem" key-1.pem
DOSSIER_DEMO_DIR=$demo run_dossier 0 build -o d2 "$IN"
cmp cert-1.pem "$demo/demo-seal-cert.pem" || die "le certificat de démonstration a été refait"
cmp key-1.pem "$demo/demo-seal-key.pem" || die "la clé de démonstration a été refaite"
for f in d1/*.zip; do cmp "$f" "d2/${f#d1/}" || die "$f : le second passage diffère"; done
# A fresh demo folder is another authority: the first one's containers are not its.
DOSSIER_DEMO_DIR="$WORK/demo2" run_dossier 0 build -q -o d3 "$IN"
run_dossier 1 verify --ca "$WORK/demo2/demo-ca.pem" "$z"
assert_contains out.txt "[signature.untrusted]"

# A key file others can read is refused (exit 2, nothing written), unless asked.
cp cachet.key open.key && chmod 644 open.key
run_dossier 2 build -o open --unsigned-codes --seal-key open.key --seal-cert cachet.pem "$IN"
assert_contains err.txt "accessible à d'autres utilisateurs (mode 0644) : chmod 600"
assert_contains err.txt "[key.mode]"
assert_no_file open/report.json
run_dossier 0 build -q -o open --allow-open-key --unsigned-codes --seal-key open.key --seal-cert cachet.pem "$IN"
# The same for the code key.
openssl genpkey -algorithm ED25519 -out codes.pem 2>/dev/null
chmod 644 codes.pem
run_dossier 2 build -o codes --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem "$IN"
assert_contains err.txt "--code-key"
chmod 600 codes.pem
run_dossier 0 build -q -o codes --seal-key cachet.key --seal-cert cachet.pem --code-key codes.pem "$IN"
pdftoppm -r 150 -gray -f 2 -l 2 codes/600101.pdf qr
code=$(zbarimg -q --raw qr-*.pgm 2>/dev/null | head -1)
openssl pkey -in codes.pem -pubout -out codes-pub.pem
run_dossier 0 track --pubkey codes-pub.pem "$code"
assert_contains out.txt "code authentique"
# A real seal without a code key: unsigned codes (DSR1).
pdftoppm -r 150 -gray -f 2 -l 2 open/600101.pdf qr1
case "$(zbarimg -q --raw qr1-*.pgm 2>/dev/null | head -1)" in DSR1:600101:*) ;; *) die "code non signé attendu sans --code-key" ;; esac
