#!/bin/bash
# make_rsa_cert.sh - rsa.pem/rsa.key: an RSA-2048 server certificate for the
# TLS 1.2 ECDHE-RSA captures of tests/keylog (the certificates of tests/tls
# are EC P-256, which the ECDHE-RSA suites cannot use). CN and SAN
# www.example.test, signed by ../../tls/certs/ca.pem ("synack test CA"),
# serial 1101, valid 2025-01-01 .. 2045-01-01 (openssl ca, fixed dates).
# The files are committed; run this only to replace them (then remake the
# tls12_* captures). Test key only.
set -euo pipefail
cd "$(dirname "$0")"
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 77; }
CA=../../tls/certs
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir "$T/new"; : >"$T/index.txt"; echo 1101 >"$T/serial"
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
[ v3_srv ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null; chmod 0644 rsa.key
openssl req -new -key rsa.key -subj "/CN=www.example.test" -out "$T/rsa.csr"
openssl ca -batch -config "$T/ca.cnf" -cert "$CA/ca.pem" -keyfile "$CA/ca.key" -in "$T/rsa.csr" \
    -startdate 20250101000000Z -enddate 20450101000000Z -extensions v3_srv -notext -out rsa.pem >"$T/log" 2>&1 ||
    { cat "$T/log" >&2; exit 1; }
openssl verify -CAfile "$CA/ca.pem" rsa.pem
openssl x509 -in rsa.pem -noout -subject -issuer -dates
