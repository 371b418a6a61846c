#!/bin/sh
# make.sh: regenerates the test certificates of test_tls_cert.c (run by hand, output committed).
#
# Needs the openssl command line (3.0 or later) and xxd. Writes NAME.pem and
# NAME.der for every certificate, certs.h (the DER bytes as C arrays and the
# SHA-256 fingerprints as the openssl command line prints them), and the seed
# messages of fuzz/corpus/fuzz_tls_cert. Keys are
# made fresh in a temporary directory and thrown away; ECDSA signatures are
# randomized, so every run gives other bytes (and fingerprints) but the same
# names, extensions and validity windows: `openssl ca` takes fixed -startdate
# and -enddate, which `openssl req`/`x509` 3.0 cannot.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat > ca.cnf <<'CNF'
[ca]
default_ca = test_ca
[test_ca]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[policy_any]
commonName = optional
organizationName = optional
organizationalUnitName = optional
[req]
distinguished_name = dn
prompt = no
utf8 = yes
string_mask = utf8only
[dn]
CN = unused
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $ENV::SAN
[v3_leaf_nosan]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf_noakid]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = none
authorityKeyIdentifier = none
subjectAltName = $ENV::SAN
[v3_self]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
CNF
: > index.txt
echo 1000 > serial
SAN=DNS:unused
export SAN

key() { # name kind
	case $2 in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
	esac
}

# cert name kind subject issuer(name|self) extensions start end [SAN]
cert() {
	key "$1" "$2"
	SAN=${8:-DNS:unused}
	openssl req -config ca.cnf -new -utf8 -key "$1.key" -subj "$3" -out "$1.csr"
	if [ "$4" = self ]; then
		openssl ca -config ca.cnf -batch -notext -utf8 -preserveDN -selfsign -keyfile "$1.key" \
			-in "$1.csr" -out "$1.pem" -extensions "$5" -startdate "$6" -enddate "$7" 2>/dev/null
	else
		openssl ca -config ca.cnf -batch -notext -utf8 -preserveDN -cert "$4.pem" -keyfile "$4.key" \
			-in "$1.csr" -out "$1.pem" -extensions "$5" -startdate "$6" -enddate "$7" 2>/dev/null
	fi
	openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}

cert root ec "/O=synack tests/CN=Synack Test Root CA" self v3_root 20200101000000Z 20400101000000Z
cert inter ec "/O=synack tests/CN=Synack Test Intermediate CA" root v3_intermediate 20200101000000Z 20350101000000Z
# The same name as inter, another key: what a server sends when it has the wrong version.
cert rekeyed ec "/O=synack tests/CN=Synack Test Intermediate CA" root v3_intermediate 20200101000000Z 20350101000000Z
cert www ec "/CN=www.example.test" inter v3_leaf 20240101000000Z 20260101000000Z \
	"DNS:www.example.test, DNS:*.api.example.test"
cert rsa rsa "/O=synack tests/CN=rsa.example.test" inter v3_leaf 20240101000000Z 20260101000000Z \
	"DNS:rsa.example.test, IP:192.0.2.10, IP:2001:db8::10, email:ops@example.test"
cert ed ed25519 "/CN=ed.example.test" inter v3_leaf 20240101000000Z 20260101000000Z "DNS:ed.example.test"
cert expired ec "/CN=expired.example.test" inter v3_leaf 20200101000000Z 20210101000000Z \
	"DNS:expired.example.test"
cert future ec "/CN=future.example.test" inter v3_leaf 20300101000000Z 20310101000000Z \
	"DNS:future.example.test"
cert self ec "/CN=self.example.test" self v3_self 20240101000000Z 20260101000000Z "DNS:self.example.test"
cert cnonly ec "/CN=cn-only.example.test" inter v3_leaf_nosan 20240101000000Z 20260101000000Z
cert noakid ec "/CN=noakid.example.test" inter v3_leaf_noakid 20240101000000Z 20260101000000Z \
	"DNS:noakid.example.test"
# A name needing escapes: a comma, a plus, UTF-8 (U+00FC), a leading '#'.
cert odd ec "/O=Z$(printf '\303\274')rich, Inc. \\+ Co/OU=#1/CN=odd.example.test" inter v3_leaf \
	20240101000000Z 20260101000000Z "DNS:odd.example.test"

names="root inter rekeyed www rsa ed expired future self cnonly noakid odd"
{
	echo "/* certs.h: generated by make.sh -- do not edit. Test certificates in DER, and their SHA-256 fingerprints. */"
	for n in $names; do
		xxd -i "$n.der" | sed 's/^unsigned char/static const unsigned char/; s/^unsigned int/static const unsigned int/'
		fp=$(openssl x509 -in "$n.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
		echo "static const char ${n}_sha256[] = \"$fp\";"
	done
} > certs.h

for n in $names; do
	cp "$n.pem" "$n.der" "$out/"
done
cp certs.h "$out/"
echo "wrote $(echo $names | wc -w) certificates and certs.h to $out"

# Seeds for fuzz/fuzz_tls_cert.c: a flags byte (bit 0 TLS 1.3, bits 1-2 the
# SNI, bits 3-7 the capture year - 2016), then a Certificate message.
u24() { printf "\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"; }
seed() { # file flags cert...
	f=$1 flags=$2
	shift 2
	tls13=$((flags & 1))
	: > list
	for n in "$@"; do
		u24 "$(wc -c < "$n.der")" >> list
		cat "$n.der" >> list
		if [ $tls13 = 1 ]; then printf '\000\000' >> list; fi
	done
	{ if [ $tls13 = 1 ]; then printf '\000'; fi; u24 "$(wc -c < list)"; cat list; } > body
	{ printf "\\$(printf %03o "$flags")\\013"; u24 "$(wc -c < body)"; cat body; } > "$corpus/$f"
}
corpus=$out/../../../fuzz/corpus/fuzz_tls_cert
mkdir -p "$corpus"
y9=$((9 << 3)) # 2025
seed www_inter $((y9 | 2)) www inter
seed www_inter_13 $((y9 | 3)) www inter
seed www_inter_root $((y9 | 4)) www inter root
seed inter_www $((y9 | 2)) inter www
seed www_root_inter $((y9 | 2)) www root inter
seed rsa_inter_ip $((y9 | 6)) rsa inter
seed ed_inter $((y9 | 0)) ed inter
seed expired $((y9 | 2)) expired inter
seed future $((y9 | 2)) future inter
seed self $((y9 | 2)) self
seed cnonly $((y9 | 2)) cnonly inter
seed noakid_rekeyed $((y9 | 2)) noakid rekeyed
seed www_rekeyed $((y9 | 2)) www rekeyed
seed odd_13 $((y9 | 1)) odd inter root
seed many $((y9 | 2)) www inter root www inter root www inter root www
echo "wrote fuzz seeds to $(cd "$corpus" && pwd)"
