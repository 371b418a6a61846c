#!/bin/bash
# certreq_gnutls_tls13: mutual TLS 1.3 with a GnuTLS server. gnutls-serv
# 3.7.9 -p 443 --require-client-cert --verify-client-cert --x509cafile
# ca.pem (certs/server.pem, TLS 1.3 only, --http; it serves until stopped:
# killed after the captures); openssl s_client -tls1_3 -keylogfile has no
# certificate, its stdin held open 2 s. Server: ServerHello + CCS in one
# 133-byte segment, then five encrypted records in one segment (with the
# keys: EncryptedExtensions, CertificateRequest, Certificate,
# CertificateVerify, Finished); client 110 bytes: CCS, empty Certificate,
# Finished. Then the server sends ONE application_data record of 24 bytes on
# the wire (record length 19, not padded), under its APPLICATION traffic key
# (it decrypts only with SERVER_TRAFFIC_SECRET_0): fatal
# certificate_required(116); then S FIN and S RST. gnutls-serv: "Error in
# handshake: Certificate is required."; s_client exit 1, "tlsv13 alert
# certificate required". Nothing in clear says alert. Keys (client) in
# certreq_gnutls_tls13.keylog. Expect tls.alert (server, a probable
# encrypted alert: one short encrypted record from the SERVER right after
# the client's second flight, then its close; the server rejected the
# client), tls.established false, at both points.
CONN_NAME=certreq_gnutls_tls13 CR_STACK=gnutls CR_ALERT=116 CR_SAYS='alert certificate required' \
    CR_SRV_SAYS='Error in handshake: Certificate is required' exec "$(dirname "$0")/certreq_common.sh"
