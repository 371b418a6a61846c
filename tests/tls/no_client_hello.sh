#!/bin/bash
# no_client_hello: the server's view of a ClientHello lost on the way. The
# router drops every forwarded packet to 203.0.113.20:443 whose IP length is
# over 100 bytes (nft: ip length > 100 drop), so the TCP handshake and the
# client's FIN pass and the ClientHello (517 bytes) never does. curl
# --max-time 3 sends it, retransmits it, gives up and closes; its FIN rides
# on the next retransmission of the hello (the kernel sends it after the
# unacknowledged bytes), which the router drops too: the server's side sees
# the handshake and then nothing at all for 3 s. Then one UDP datagram from
# the client to a closed port of the server (not captured: the filter is
# TCP and ICMP) draws an ICMP port unreachable that both captures hold: a
# packet after the silence, as other traffic would give a real server's
# capture (a capture file has no record of the quiet after its last packet).
# Expect at the client tls.no_server_hello (ClientHello sent, retransmitted,
# nothing back); at the server tls.no_client_hello (port 443, handshake
# completed, then no byte either way for over a second until the end).
. "$(dirname "$0")/tlslib.sh"
tls_init curl
router_drop_over 100
srv openssl s_server -accept $S4:443 -naccept 1 -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 8 curl -sS --max-time 3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:203.0.113.20 https://www.example.test/
later_packet
caps_stop
[ "$CLI_RC" = 28 ] || { cli_log; die "curl: exit $CLI_RC, want 28 (timed out)"; }
drops=$(router_drops)
[ "$drops" -ge 2 ] || die "router dropped $drops packets"
log "router dropped $drops packets"
# client side: the ClientHello, sent again, nothing back but ACKs of the handshake
twant "$OUT_C" 'tls.handshake.type==1' 1+
twant "$OUT_C" 'tcp.analysis.retransmission' 1+
twant "$OUT_C" 'ip.src==203.0.113.20 && tcp.len>0' 0
# server side: the handshake, and not one byte of payload
twant "$OUT_S" 'tcp.flags.syn==1' 2
twant "$OUT_S" 'tcp.len>0' 0
twant "$OUT_S" 'tcp.flags.fin==1 || tcp.flags.reset==1' 0
for f in "$OUT_C" "$OUT_S"; do twant "$f" 'icmp.type==3 && icmp.code==3' 1; done
tls_finish
