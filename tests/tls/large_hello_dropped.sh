#!/bin/bash
# large_hello_dropped: a ClientHello larger than one segment, and a router
# that drops every forwarded packet to 203.0.113.20:443 whose IP length is
# over 1000 bytes (nft: ip length > 1000 drop) - an MTU black hole / a
# middlebox that eats big hellos. openssl s_client -tls1_3 -groups
# ffdhe8192:X25519 (a 1024-byte ffdhe8192 key share, the size class of a
# post-quantum hybrid share; OpenSSL 3.0 has no ML-KEM), a 130-character
# SNI (api-gateway-...edge.example.test) and a list of 30 registered ALPN ids
# makes a ClientHello of about 1.6 KB: a full 1448-byte segment (IP length
# 1500, dropped) and a small one (passes). The server (openssl s_server) sees the small tail only
# and SACKs it; the client retransmits the big segment (dropped again) until
# `timeout 3` kills s_client; its FIN waits behind the lost data.
# Expect tls.no_server_hello at the client (ClientHello sent, head segment
# retransmitted, nothing back). At the server: no complete ClientHello (the
# first 1448 bytes of the client's stream never arrived): tls.incomplete.
. "$(dirname "$0")/tlslib.sh"
tls_init
router_drop_over 1000
srv openssl s_server -accept $S4:443 -naccept 1 -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
ALPN=h2,http/1.1,http/1.0,spdy/3,h2c,acme-tls/1,xmpp-client,xmpp-server,stun.turn,stun.nat-discovery
ALPN=$ALPN,webrtc,c-webrtc,ftp,imap,pop3,managesieve,coap,mqtt,dot,ntske/1,sunrpc,irc,nntp,nnsp,doq,smb
ALPN=$ALPN,sip/2,tds/8.0,dicom,postgresql
caps_start
SNI=api-gateway-0123456789abcdef0123456789abcdef.tenant-0123456789abcdef0123456789abcdef
SNI=$SNI.eu-west-3.internal-loadbalancer.edge.example.test
cli 3 openssl s_client -connect $S4:443 -tls1_3 -servername "$SNI" \
    -groups ffdhe8192:X25519 -alpn "$ALPN"
caps_stop
[ "$CLI_RC" = 124 ] || { cli_log; die "s_client: exit $CLI_RC, want 124 (killed by timeout)"; }
drops=$(router_drops)
[ "$drops" -ge 2 ] || die "router dropped $drops packets"
log "router dropped $drops packets"
# client side: the first 1448-byte segment and its retransmissions, the tail once
want "$OUT_C" '192.0.2.10.[0-9]+ > 203.0.113.20.443: Flags \[P?\.\], seq 1:1449,' 3+
want "$OUT_C" '192.0.2.10.[0-9]+ > 203.0.113.20.443: .* length 1448$' 3+
want "$OUT_C" '203.0.113.20.443 > .*length [1-9]' 0
twant "$OUT_C" 'tcp.analysis.retransmission' 2+
twant "$OUT_C" 'tls.handshake.type==1' 1
tis "$OUT_C" 'tls.handshake.type==1' tls.handshake.extensions_key_share_group 260
tail_len=$(tfields "$OUT_C" 'ip.src==192.0.2.10 && tcp.seq==1449 && tcp.len>0' tcp.len | sort -u)
hello=$(tfields "$OUT_C" 'tls.handshake.type==1' tls.record.length)
[ $((hello + 5)) = $((1448 + tail_len)) ] || die "ClientHello $hello+5 bytes != 1448 + $tail_len"
log "ClientHello record: $((hello + 5)) bytes = 1448 + $tail_len"
# server side: no segment over 1000 bytes, the tail (seq 1449) only, SACKed
want "$OUT_S" '192.0.2.10.[0-9]+ > 203.0.113.20.443: .*seq 1:' 0
want "$OUT_S" "192.0.2.10.[0-9]+ > 203.0.113.20.443: Flags \[P\.\], seq 1449:$((1449 + tail_len)), " 1+
twant "$OUT_S" 'tcp.len>1000' 0
twant "$OUT_S" 'tls.handshake.type==1' 0
twant "$OUT_S" 'ip.src==203.0.113.20 && tcp.options.sack_le' 1+
twant "$OUT_S" 'ip.src==203.0.113.20 && tcp.len>0' 0
for f in "$OUT_C" "$OUT_S"; do twant "$f" 'tcp.flags.reset==1' 0; done
tls_finish
