#!/bin/bash
# frag_clienthello: the client's ClientHello fragmented by the router. The
# client sends without DF (net.ipv4.ip_no_pmtu_disc=1 in its namespace) and
# its hello is large (every TLS 1.2 suite offered beside TLS 1.3's, a long
# ALPN list: about 900 bytes); the router's link to the server has an MTU of
# 576 (a locked route MTU), so the router cuts the datagram in two. openssl s_server completes the
# TLS 1.3 handshake. The server-side capture holds the fragments: without IP
# reassembly synack would read half a ClientHello there.
# FRAG_DROP=1 (frag_clienthello_lost.sh): the router drops every fragment but
# the first (nft: ip frag-off & 0x1fff != 0), so the hello never arrives
# whole: the client gives up after its retransmissions.
# Expect tls.established on both sides; with FRAG_DROP, at the server,
# a connection that carries the lost fragment as a fact, never healthy.
. "$(dirname "$0")/tlslib.sh"
tls_init
# the router's route to the server with a path MTU of 576 (the link itself stays
# at 1500: a veth drops what arrives over its MTU, which would eat the replies)
ip -n "$(ns r)" route replace 203.0.113.0/24 dev rs src $R4S mtu lock 576
in_ns c sysctl -qw net.ipv4.ip_no_pmtu_disc=1
if [ "${FRAG_DROP:-0}" = 1 ]; then
    need_nft
    # the router makes the fragments on its way out (after its inet hooks): a
    # netdev egress hook on its link to the server is where they can be seen
    router_nft <<NFT
table netdev fragdrop {
    chain out {
        type filter hook egress device rs priority 0; policy accept;
        ip daddr $S4 ip frag-off & 0x1fff != 0 counter drop
    }
}
NFT
fi
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -www -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
ALPN=$(printf 'protocol-%02d,' $(seq 1 40)); ALPN=${ALPN%,}
cli_in 6 3 'GET / HTTP/1.0\r\n\r\n' openssl s_client -connect $S4:443 -servername www.example.test \
    -cipher 'ALL:@SECLEVEL=0' -alpn "$ALPN" -CAfile "$CERTS/ca.pem"
if [ "${FRAG_DROP:-0}" = 1 ]; then
    kill "$SRV" 2>/dev/null || true
fi
wait_pid "$SRV" 5 || true
caps_stop 1
twant "$OUT_S" 'ip.flags.mf==1' 1+
twant "$OUT_C" 'ip.flags.mf==1' 0
if [ "${FRAG_DROP:-0}" = 1 ]; then
    twant "$OUT_S" 'ip.frag_offset > 0' 0
    twant "$OUT_S" 'tls.handshake.type==2' 0
else
    twant "$OUT_S" 'ip.frag_offset > 0' 1+
    twant "$OUT_S" 'tls.handshake.type==2' 1
    client_says 'TLSv1.3'
fi
tls_finish
