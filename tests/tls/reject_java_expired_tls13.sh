#!/bin/bash
# reject_java_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); a Java JSSE client (OpenJDK 17, clients/TlsClient.java
# compiled here; trust store from ca.pem; SNI and endpoint identification
# www.example.test; TLSv1.3 only) rejects it ("SSLHandshakeException: PKIX
# path validation failed: ... validity check failed", exit 1). JSSE encrypts
# its alert AND pads it: after the server's flight, a 6-byte
# ChangeCipherSpec, then ONE application_data record of 40 bytes on the wire
# (record length 35: 2 alert bytes, inner type, 16 zero bytes of padding,
# 16-byte tag); its FIN in the same segment or the next. No alert in clear,
# no client Finished. Decrypted, the alert is fatal certificate_unknown(46).
# Then one FIN each way (either first; no RST). JSSE cannot write a key log:
# reject_java_expired_tls13.keylog is the SERVER's (s_server -keylogfile);
# with it the server's flight and the alert decrypt. Expect
# tls.client_rejected_server (one short encrypted record from the client
# right after the server's flight, then a close: an inference from sizes,
# said to be one), tls.established false, at both points.
CONN_NAME=reject_java_expired_tls13 REJ_STACK=java REJ_CERT=expired REJ_TLS=13 REJ_ALERT=46 \
    REJ_SAYS='PKIX path validation failed.*validity check failed' exec "$(dirname "$0")/reject_common.sh"
