#!/bin/bash
# tls13_go: TLS 1.3 completed, a Go crypto/tls client (../tls/clients/
# tlsclient.go built here, standard library only; tls.Config.KeyLogWriter)
# against openssl s_server -tls1_3 -WWW (certs/server.pem, two session
# tickets); it verifies the certificate, sends "GET /hello.txt HTTP/1.0",
# prints the reply.
. "$(dirname "$0")/keylib.sh"
key_init go
go_build tlsclient
cd "$SK_TMP/www" || die "cd"
s_srv -naccept 1 -tls1_3 -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli 10 "$GOBIN_OUT" -addr "$S4:443" -sni www.example.test -ca "$CERTS/ca.pem" -tls 1.3 -keylog "$KEYLOG"
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "tlsclient failed"; }
client_says 'hello from the synack fixture'
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
twant "$OUT_P" 'http.request.method=="GET"' 1 "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.established
note 1 established proven: both Finished decrypt
EXP
