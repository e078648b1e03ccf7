# With an RSA seal (PKCS#1 v1.5 signatures are deterministic) and a fixed date, two
# builds give byte-identical containers, seal included (SPEC §4); another key gives
# other seals over the same manifests.
source "$ROOT/tests/e2e/lib.sh"
source "$DATA/seal/pki.sh"
pki_ca "$WORK" rsa
pki_seal "$WORK" rsa cachet
pki_seal "$WORK" rsa cachet2
openssl pkey -in cachet.key -noout -text | grep -q "Private-Key: (2048 bit" || die "clé RSA 2048 attendue"

seal=(--unsigned-codes --seal-key cachet.key --seal-cert cachet.pem --seal-chain rsa-ca.pem)
run_dossier 0 build -q -o one "${seal[@]}" "$SAMPLES/demandes.csv"
run_dossier 0 build -q -j 3 -o two "${seal[@]}" "$SAMPLES/demandes.csv"
run_dossier 0 build -q -o three --unsigned-codes --seal-key cachet2.key --seal-cert cachet2.pem --seal-chain rsa-ca.pem "$SAMPLES/demandes.csv"
n=0
for z in one/*.zip; do
  f=${z#one/}
  cmp "$z" "two/$f" || die "$f : deux constructions identiques donnent des octets différents"
  # Same documents and manifest with the other key, another signature.
  cmp -s <(unzip -p "$z" META-INF/ASiCManifest.xml) <(unzip -p "three/$f" META-INF/ASiCManifest.xml) ||
    die "$f : le manifeste dépend de la clé"
  ! cmp -s <(unzip -p "$z" META-INF/signature.p7s) <(unzip -p "three/$f" META-INF/signature.p7s) ||
    die "$f : même signature avec une autre clé"
  n=$((n + 1))
done
[ "$n" -ge 10 ] || die "seulement $n conteneurs"
cmp one/report.json two/report.json || die "report.json diffère"
