# Test PKI made with the openssl CLI (sourced by tests/e2e/t_seal*.sh, t_verify*.sh):
# nothing secret is committed, every key is generated in the test's temp folder.
# Validity dates are fixed with `openssl ca` (`openssl x509 -days` counts from now,
# and the tests' --date may be in the past): 2000-01-01 .. 2049-12-31 unless told.

# pki_ca DIR NAME: a self-signed RSA CA in DIR (NAME-ca.pem, NAME-ca.key) with an
# `openssl ca` database to issue seal certificates from.
pki_ca() {
  local dir=$1 name=$2
  mkdir -p "$dir/$name-db/new"
  : >"$dir/$name-db/index.txt"
  echo 1000 >"$dir/$name-db/serial"
  cat >"$dir/$name-db/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $dir/$name-db/index.txt
new_certs_dir = $dir/$name-db/new
serial = $dir/$name-db/serial
certificate = $dir/$name-ca.pem
private_key = $dir/$name-ca.key
default_md = sha256
policy = any_policy
unique_subject = no
email_in_dn = no
copy_extensions = none
[ any_policy ]
countryName = optional
organizationName = optional
commonName = supplied
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ seal_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ encipher_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# A qualified seal (QcType eseal): fit for sealing.
[ qseal_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qc_eseal
# What the same CA issues its customers, unfit for sealing: a person's qualified
# signing certificate (QcType esign), a TLS server certificate, a subordinate CA.
[ customer_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = emailProtection,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qc_esign
[ tls_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ subca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,nonRepudiation,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# QCStatements (ETSI EN 319 412-5): QcCompliance, then QcType esign or eseal.
[ qc_esign ]
compliance = SEQUENCE:qc_compliance
type = SEQUENCE:qc_type_esign
[ qc_eseal ]
compliance = SEQUENCE:qc_compliance
type = SEQUENCE:qc_type_eseal
[ qc_compliance ]
id = OID:0.4.0.1862.1.1
[ qc_type_esign ]
id = OID:0.4.0.1862.1.6
types = SEQUENCE:qc_types_esign
[ qc_types_esign ]
esign = OID:0.4.0.1862.1.6.1
[ qc_type_eseal ]
id = OID:0.4.0.1862.1.6
types = SEQUENCE:qc_types_eseal
[ qc_types_eseal ]
eseal = OID:0.4.0.1862.1.6.2
CNF
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/$name-ca.key" 2>/dev/null
  openssl req -new -key "$dir/$name-ca.key" -subj "/C=FR/O=Tests dossier/CN=$name CA" -out "$dir/$name-ca.csr"
  openssl ca -batch -notext -selfsign -config "$dir/$name-db/ca.cnf" -keyfile "$dir/$name-ca.key" \
    -in "$dir/$name-ca.csr" -out "$dir/$name-ca.pem" -extensions ca_ext \
    -startdate 20000101000000Z -enddate 20491231235959Z 2>/dev/null
}

# pki_seal DIR CA CERTNAME [EXTENSIONS [NOT_BEFORE [NOT_AFTER]]]: an RSA key
# DIR/CERTNAME.key and its certificate DIR/CERTNAME.pem issued by CA (made by pki_ca).
# EXTENSIONS is a section of the CA config: seal_ext (default), qseal_ext, or one unfit
# for sealing: encipher_ext, customer_ext, tls_ext, subca_ext.
pki_seal() {
  local dir=$1 ca=$2 name=$3 ext=${4:-seal_ext} from=${5:-20000101000000Z} to=${6:-20491231235959Z}
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/$name.key" 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "/C=FR/O=Tests dossier/CN=$name" -out "$dir/$name.csr"
  openssl ca -batch -notext -config "$dir/$ca-db/ca.cnf" -in "$dir/$name.csr" -out "$dir/$name.pem" \
    -extensions "$ext" -startdate "$from" -enddate "$to" 2>/dev/null
}
