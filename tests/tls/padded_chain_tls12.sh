#!/bin/bash
# padded_chain_tls12: openssl s_server -tls1_2 whose certificate is bad three
# ways (self-signed, not valid before 2099, named leaf.example.test) and whose
# chain is padded past 64 KiB with six padding certificates (about 82 KB in
# all: more than synack used to hold, less than the 100 KiB an OpenSSL client
# accepts); openssl s_client -tls1_2 -servername www.example.test, not told to
# stop on verify errors, completes the handshake and closes.
# Expect tls.established (the client accepted it) with the three problems
# among the certificate findings, as with the 40 KB chain of
# padded_chain_control_tls12. Before, a Certificate message over 64 KiB
# stopped the reading of the server's handshake without a word: no
# certificate, no finding, "TLS is healthy". Both points.
. "$(dirname "$0")/tlslib.sh"
PADS=${PADS:-6}; MIN=${MIN:-65537}; MAX=${MAX:-102399}
tls_init
padded_chain "$SK_TMP/pki" "$PADS"
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -quiet \
    -cert "$SK_TMP/pki/leaf.pem" -key "$SK_TMP/pki/leaf.key" -cert_chain "$SK_TMP/pki/pad.pem"
wait_listen s 443
caps_start
cli 10 openssl s_client -connect $S4:443 -tls1_2 -servername www.example.test
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client: exit $CLI_RC, want 0"; }
client_says 'Verify return code: (18|10|9|62)'
client_says '^    Protocol  *: TLSv1.2'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.version 0x0303
    # the Certificate message (tshark 4.0 does not reassemble one over 64 KiB: hsmsgs.py does)
    n=$(python3 "$TLSDIR/hsmsgs.py" "$f" | awk '$1 == "server" && $2 == 11 { print $3 }')
    [ -n "$n" ] && [ "$n" -ge "$MIN" ] && [ "$n" -le "$MAX" ] ||
        die "$(basename "$f"): Certificate message of '$n' bytes, want one of $MIN..$MAX"
    twant "$f" 'tls.handshake.type==12' 1      # ServerKeyExchange, read after the big message
    twant "$f" 'tls.handshake.type==16' 1      # ClientKeyExchange: the client went on
    twant "$f" 'tls.record.content_type==20' 2 # ChangeCipherSpec both ways
    twant "$f" 'tls.alert_message' 2+          # the close_notify records
done
log "Certificate message: $n bytes"
tls_finish
