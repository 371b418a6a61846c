#!/bin/bash
# expired_accepted: TLS 1.3, s_server shows certs/expired.pem; openssl
# s_client WITHOUT -verify_return_error notes 'certificate has expired' and
# goes on: completed, GET /hello.txt, two tickets, close_notify. The
# expired certificate is visible only decrypted.
CONN_NAME=expired_accepted RJ_CERT=expired RJ_CLIENT=accept exec "$(dirname "$0")/reject_common.sh" <<'EXP'
verdict 1 tcp.completed tls.established
note 1 established proven by both Finished; the Certificate decrypts: notAfter 2025-01-01 00:00:00Z, a problem the client accepted (tls.certificate finding: expired) on an ok verdict
EXP
