#!/bin/bash
# injected_reset: a device between resets the connection when it sees the
# ClientHello, as an SNI filter or an IPS does. The router rejects every
# forwarded packet to 203.0.113.20:443 whose IP length is over 100 bytes with
# a TCP reset (nft: reject with tcp reset): the ClientHello (517 bytes) is
# dropped and the router sends the client a [R.] from the server's address,
# with its own TTL (64), while the server's own packets reach the client
# through it with TTL 63. curl fails at once ("Connection reset by peer").
# The server's side sees the handshake, then nothing of this connection; a
# UDP datagram to a closed port of the server (not captured) draws an ICMP
# port unreachable that both captures hold: a packet 1.5 s later.
# Expect at the client tls.closed_after_client_hello with the reset called
# most likely injected (TTL 64 where the server's packets have 63) and the
# next step at the devices between; at the server tls.no_client_hello.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
need_nft
router_nft <<'NFT'
table inet tls {
    chain forward {
        type filter hook forward priority 0; policy accept;
        ip daddr 203.0.113.20 tcp dport 443 ip length > 100 counter reject with tcp reset
    }
}
NFT
srv openssl s_server -accept $S4:443 -naccept 1 -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 8 curl -sS --max-time 3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:203.0.113.20 https://www.example.test/
sleep 1.5
later_packet
caps_stop
[ "$CLI_RC" = 35 ] || [ "$CLI_RC" = 56 ] || { cli_log; die "curl: exit $CLI_RC, want 35 or 56 (reset)"; }
client_says 'reset by peer'
[ "$(router_drops)" -ge 1 ] || die "the router rejected nothing"
# client side: the hello, then a reset from the server's address with TTL 64; the
# SYN-ACK came with 63
twant "$OUT_C" 'tls.handshake.type==1' 1
tis "$OUT_C" 'ip.src==203.0.113.20 && tcp.flags.syn==1' ip.ttl 63
tis "$OUT_C" 'ip.src==203.0.113.20 && tcp.flags.reset==1' ip.ttl 64
twant "$OUT_C" 'ip.src==203.0.113.20 && tcp.len>0' 0
# server side: the handshake, no payload, no reset
twant "$OUT_S" 'tcp.flags.syn==1' 2
twant "$OUT_S" 'tcp.len>0' 0
twant "$OUT_S" 'tcp.flags.reset==1' 0
for f in "$OUT_C" "$OUT_S"; do twant "$f" 'icmp.type==3 && icmp.code==3' 1; done
tls_finish
