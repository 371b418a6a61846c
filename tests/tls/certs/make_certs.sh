#!/bin/bash
# make_certs.sh - the certificates of the tests/tls captures (EC P-256 keys,
# small certificates). The generated files are committed so the captures can
# be remade with the same certificates; run this only to replace them all.
#   ca.pem/ca.key                  CA "synack test CA"
#   server.pem/server.key          www.example.test, signed by the CA, valid 2025-2045
#   expired.pem/expired.key        www.example.test, signed by the CA, 2024-01-01 .. 2025-01-01
#   selfsigned.pem/selfsigned.key  www.example.test, self-signed (not from the CA)
# Fixed validity dates and serials (openssl ca -startdate/-enddate); keys
# and signatures differ on every run.
set -euo pipefail
cd "$(dirname "$0")"
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir "$T/new"; : >"$T/index.txt"
cat >"$T/ca.cnf" <<CNF
[ ca ]
default_ca = tca
[ tca ]
dir = $T
database = $T/index.txt
new_certs_dir = $T/new
serial = $T/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_srv ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_self ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.test
subjectKeyIdentifier = hash
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; chmod 0644 "$1.key"; }
csr() { openssl req -new -key "$1.key" -subj "/CN=$2" -out "$T/$1.csr"; }
# sign NAME SERIAL START END EXT [selfsign]
sign() {
    echo "$2" >"$T/serial"
    if [ "${6:-}" = selfsign ]; then
        openssl ca -batch -config "$T/ca.cnf" -selfsign -keyfile "$1.key" -in "$T/$1.csr" \
            -startdate "$3" -enddate "$4" -extensions "$5" -notext -out "$1.pem" >"$T/log" 2>&1 || { cat "$T/log" >&2; exit 1; }
    else
        openssl ca -batch -config "$T/ca.cnf" -cert ca.pem -keyfile ca.key -in "$T/$1.csr" \
            -startdate "$3" -enddate "$4" -extensions "$5" -notext -out "$1.pem" >"$T/log" 2>&1 || { cat "$T/log" >&2; exit 1; }
    fi
}
key ca;         csr ca "synack test CA";     sign ca 1001 20250101000000Z 20450101000000Z v3_ca selfsign
key server;     csr server www.example.test; sign server 1002 20250101000000Z 20450101000000Z v3_srv
key expired;    csr expired www.example.test; sign expired 1003 20240101000000Z 20250101000000Z v3_srv
key selfsigned; csr selfsigned www.example.test; sign selfsigned 1004 20250101000000Z 20450101000000Z v3_self selfsign
openssl verify -CAfile ca.pem server.pem
if openssl verify -CAfile ca.pem expired.pem 2>/dev/null; then echo "expired.pem verifies?" >&2; exit 1; fi
if openssl verify -CAfile ca.pem selfsigned.pem 2>/dev/null; then echo "selfsigned.pem verifies?" >&2; exit 1; fi
for c in ca server expired selfsigned; do
    printf '%-11s %s | %s | %s\n' "$c.pem" "$(openssl x509 -in $c.pem -noout -subject)" \
        "$(openssl x509 -in $c.pem -noout -issuer)" "$(openssl x509 -in $c.pem -noout -enddate)"
done
