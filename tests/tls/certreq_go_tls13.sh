#!/bin/bash
# certreq_go_tls13: mutual TLS 1.3 with a Go server. clients/tlsserver.go
# (go1.19, built here, standard library only; ClientAuth
# RequireAndVerifyClientCert, ClientCAs ca.pem, certs/server.pem, TLS 1.3
# only, one connection); openssl s_client -tls1_3 -keylogfile has no
# certificate, its stdin held open 2 s. Server: one 901-byte segment
# (ServerHello, CCS, five encrypted records: EncryptedExtensions,
# CertificateRequest, Certificate, CertificateVerify, Finished;
# TLS_AES_128_GCM_SHA256); client 94 bytes: CCS, empty Certificate,
# Finished. Then the server sends ONE application_data record of 24 bytes
# (record length 19, not padded) under its application traffic key: fatal
# bad_certificate(42) (Go 1.19's alert for a missing client certificate, not
# certificate_required); then one FIN each way (either first), no RST.
# tlsserver: "tls: client didn't provide a certificate"; s_client exit 1,
# "sslv3 alert bad certificate". Keys (client) in certreq_go_tls13.keylog.
# Expect tls.alert (server, a probable encrypted alert after the client's
# second flight), tls.established false, at both points.
CONN_NAME=certreq_go_tls13 CR_STACK=go CR_ALERT=42 CR_SAYS='alert bad certificate' \
    CR_SRV_SAYS="client didn't provide a certificate" exec "$(dirname "$0")/certreq_common.sh"
