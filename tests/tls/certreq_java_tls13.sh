#!/bin/bash
# certreq_java_tls13: mutual TLS 1.3 with a Java JSSE server.
# clients/TlsServer.java (OpenJDK 17, compiled here; key store from
# certs/server.pem, trust store from ca.pem, setNeedClientAuth, TLSv1.3
# only, one connection); openssl s_client -tls1_3 -keylogfile has no
# certificate, its stdin held open 2 s. Server: every message in its own
# segment: ServerHello (127), CCS (6), then five encrypted records
# (EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify,
# Finished), each PADDED with 16 zero bytes; client 110 bytes: CCS, empty
# Certificate, Finished. Then the server sends ONE application_data record
# of 40 bytes on the wire (record length 35: the alert padded with 16 zero
# bytes) under its application traffic key: fatal bad_certificate(42); then
# one FIN each way, no RST. TlsServer: "SSLHandshakeException: Empty client
# certificate chain"; s_client exit 1, "sslv3 alert bad certificate". Keys
# (client) in certreq_java_tls13.keylog. Expect tls.alert (server, a
# probable encrypted alert after the client's second flight, although the
# record is 35 bytes, not 19), tls.established false, at both points: not
# tls.established.
CONN_NAME=certreq_java_tls13 CR_STACK=java CR_ALERT=42 CR_SAYS='alert bad certificate' \
    CR_SRV_SAYS='Empty client certificate chain' exec "$(dirname "$0")/certreq_common.sh"
