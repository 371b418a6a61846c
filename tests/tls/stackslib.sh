# shellcheck shell=bash disable=SC2034
# stackslib.sh - shared parts of the reject_*, certreq_* and warning_* capture
# scripts (how other TLS stacks end a failed handshake; the reject_* and
# certreq_* bodies are reject_common.sh and certreq_common.sh). Sourced after
# tlslib.sh, bash only. Adds: building the Java and Go programs of clients/
# into the run's temp dir, Java trust and key stores, the rejecting
# s_server, and checks of a client's or server's alert (in clear or
# encrypted, and its padding).

CLIENTS="$TLSDIR/clients"

# log lines name the scenario (NAME.sh), also when a reject_common.sh or
# certreq_common.sh body runs for its wrapper
log() { printf '%s: %s\n' "$NAME.sh" "$*" >&2; }

# stack_init [tools...] : tls_init, plus www/hello.txt in the temp dir
stack_init() {
    tls_init "$@"
    mkdir "$SK_TMP/www"; printf 'hello from the synack fixture.\n\n' >"$SK_TMP/www/hello.txt"
}

# go_build SRC : builds clients/SRC.go into $SK_TMP/SRC with the standard
# library only (GOCACHE, GOPATH in the temp dir; no module download, no
# network), at most 180 s; the binary's path is in GOBIN_OUT
go_build() {
    local d="$SK_TMP/go"
    mkdir -p "$d/cache" "$d/path"
    GOBIN_OUT="$SK_TMP/$1"
    env GOCACHE="$d/cache" GOPATH="$d/path" HOME="$d" GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=auto \
        timeout 180 go build -o "$GOBIN_OUT" "$CLIENTS/$1.go" >"$d/build.log" 2>&1 ||
        die "go build $1.go: $(tail -5 "$d/build.log")"
    log "built $1 with $(go version)"
}

# java_build CLASS... : javac clients/CLASS.java into $SK_TMP/java (at most
# 120 s), and the trust store $SK_TMP/java/trust.p12 (certs/ca.pem, PKCS#12,
# password "changeit")
JDIR=""
java_build() {
    local c
    JDIR="$SK_TMP/java"; mkdir -p "$JDIR"
    for c in "$@"; do
        timeout 120 javac -d "$JDIR" "$CLIENTS/$c.java" >"$JDIR/javac.log" 2>&1 ||
            die "javac $c.java: $(tail -5 "$JDIR/javac.log")"
    done
    timeout 60 keytool -importcert -noprompt -alias ca -file "$CERTS/ca.pem" -keystore "$JDIR/trust.p12" \
        -storetype PKCS12 -storepass changeit >"$JDIR/keytool.log" 2>&1 ||
        die "keytool: $(tail -3 "$JDIR/keytool.log")"
    log "built $* with $(java -version 2>&1 | head -1)"
}
# java_keystore NAME : $JDIR/NAME.p12 from certs/NAME.pem and NAME.key
java_keystore() {
    openssl pkcs12 -export -in "$CERTS/$1.pem" -inkey "$CERTS/$1.key" -name "$1" \
        -passout pass:changeit -out "$JDIR/$1.p12" || die "openssl pkcs12 $1"
}

# reject_srv untrusted|expired 13|12 [KEYLOGFILE] : openssl s_server -naccept 1
# with certs/selfsigned.pem or certs/expired.pem, one TLS version only,
# -WWW in $SK_TMP/www (the script's working directory from here on); with
# KEYLOGFILE the server logs the keys (for clients that cannot: JSSE).
# Waits until it listens; its pid is in SRV.
reject_srv() {
    local c v k=()
    case $1 in untrusted) c=selfsigned ;; expired) c=expired ;; *) die "reject_srv $1" ;; esac
    case $2 in 13) v=-tls1_3 ;; 12) v=-tls1_2 ;; *) die "reject_srv $2" ;; esac
    [ -n "${3:-}" ] && k=(-keylogfile "$3")
    cd "$SK_TMP/www" || die "cd $SK_TMP/www"
    srv openssl s_server -accept $S4:443 -naccept 1 "$v" -WWW -quiet \
        -cert "$CERTS/$c.pem" -key "$CERTS/$c.key" "${k[@]}"
    wait_listen s 443
}

# server's flight checks, both versions
# flight13 FILE : one ClientHello, a TLS 1.3 ServerHello, and (decrypted with
# $KEYLOG) the server's Certificate, CertificateVerify and Finished
flight13() {
    local K=(-o "tls.keylog_file:$KEYLOG")
    twant "$1" 'tls.handshake.type==1' 1
    tis "$1" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
    twant "$1" 'ip.src==203.0.113.20 && tls.record.opaque_type==23' 1+
    twant "$1" 'ip.src==203.0.113.20 && tls.handshake.type==11' 1 "${K[@]}"
    twant "$1" 'ip.src==203.0.113.20 && tls.handshake.type==20' 1 "${K[@]}"
}
# flight12 FILE untrusted|expired : one ClientHello, a TLS 1.2 ServerHello and
# the server's Certificate in clear (self-signed / notAfter 2025-01-01)
flight12() {
    twant "$1" 'tls.handshake.type==1' 1
    tis "$1" 'tls.handshake.type==2' tls.handshake.version 0x0303
    twant "$1" 'tls.handshake.type==11' 1
    tis "$1" 'tls.handshake.type==11' x509ce.dNSName www.example.test
    case $2 in
        untrusted) # issuer CN, subject CN: self-signed
            tis "$1" 'tls.handshake.type==11' x509sat.uTF8String 'www.example.test,www.example.test' ;;
        expired)
            tis "$1" 'tls.handshake.type==11' x509sat.uTF8String 'synack test CA,www.example.test'
            tis "$1" 'tls.handshake.type==11' x509af.utcTime '2024-01-01 00:00:00 (UTC),2025-01-01 00:00:00 (UTC)' ;;
    esac
    twant "$1" 'ip.src==192.0.2.10 && tls.handshake.type==16' 0    # no ClientKeyExchange
}

# clear_alert FILE FROM DESC : exactly one alert record, in clear, 7 bytes on
# the wire (15 03 03 00 02 02 DESC), fatal, from FROM (client|server)
clear_alert() {
    local ip=192.0.2.10
    [ "$2" = server ] && ip=203.0.113.20
    twant "$1" 'tls.alert_message' 1
    tis "$1" "ip.src==$ip && tls.alert_message" tcp.payload "$(printf '150303000202%02x' "$3")"
}

# alert_pad FILE : with $KEYLOG, the padding bytes of each decrypted alert
# record (tshark's TLS debug log: inner plaintext "01|02 DESC 15 00...")
alert_pad() {
    local dbg="$SK_TMP/tls-debug.txt"
    rm -f "$dbg"
    tsh "$1" -o "tls.keylog_file:$KEYLOG" -o "tls.debug_file:$dbg" >/dev/null
    awk '/^Plaintext\[/ { getline; a = ($2 == "01" || $2 == "02") && $4 == "15"; next }
         a && /found [0-9]+ padding bytes/ { for (i = 1; i <= NF; i++) if ($i == "found") print $(i+1); a = 0 }' "$dbg" |
        paste -sd, -
}
# rec_pads FILE : with $KEYLOG, the padding bytes of every record tshark
# decrypts, in order (both directions)
rec_pads() {
    local dbg="$SK_TMP/tls-debug.txt"
    rm -f "$dbg"
    tsh "$1" -o "tls.keylog_file:$KEYLOG" -o "tls.debug_file:$dbg" >/dev/null
    grep -o 'found [0-9]* padding bytes' "$dbg" | awk '{ print $2 }' | paste -sd, -
}
# enc_alert FILE FROM RECLEN DESC PAD : no alert in clear; FROM's last
# application_data record is RECLEN long and, decrypted, the only alert:
# fatal DESC with PAD bytes of padding
enc_alert() {
    local ip=192.0.2.10 K=(-o "tls.keylog_file:$KEYLOG") p
    [ "$2" = server ] && ip=203.0.113.20
    twant "$1" 'tls.alert_message' 0
    p=$(tfields "$1" "ip.src==$ip && tls.record.opaque_type==23" tls.record.length | tr , '\n' | tail -1)
    [ "$p" = "$3" ] || die "$(basename "$1"): $2's last encrypted record is $p bytes, want $3"
    tis "$1" "ip.src==$ip && tls.alert_message" tls.alert_message.level 2 "${K[@]}"
    tis "$1" 'tls.alert_message' tls.alert_message.desc "$4" "${K[@]}"
    p=$(alert_pad "$1")
    [ "$p" = "$5" ] || die "$(basename "$1"): alert padding '$p' bytes, want '$5'"
}

# segs FILE FROM : FROM's payload sizes after its first (hello) segment, in order
segs() {
    local ip=192.0.2.10
    [ "$2" = server ] && ip=203.0.113.20
    tfields "$1" "ip.src==$ip && tcp.len>0" tcp.len | tail -n +2 | paste -sd, -
}
# fins FILE FROM / rsts FILE FROM : FIN / RST segments from FROM
fins() { local ip=192.0.2.10; [ "$2" = server ] && ip=203.0.113.20; tcount "$1" "ip.src==$ip && tcp.flags.fin==1"; }
rsts() { local ip=192.0.2.10; [ "$2" = server ] && ip=203.0.113.20; tcount "$1" "ip.src==$ip && tcp.flags.reset==1"; }
# closing FILE : the FINs and RSTs in order, e.g. "C FIN, S FIN, C RST"
closing() {
    tsh "$1" -Y 'tcp.flags.fin==1 || tcp.flags.reset==1' -T fields -e ip.src -e tcp.flags.reset |
        awk '{ printf "%s%s %s", (NR > 1) ? ", " : "", ($1 == "192.0.2.10") ? "C" : "S", ($2 == "1") ? "RST" : "FIN" }'
}
# fin_each_way FILE : one FIN from each side (either first), no RST
fin_each_way() {
    [ "$(fins "$1" client)$(fins "$1" server)$(rsts "$1" client)$(rsts "$1" server)" = 1100 ] ||
        die "$(basename "$1"): closing '$(closing "$1")', want one FIN each way, no RST"
}
# client_closes FILE : the client closed (a FIN, or RSTs, or both: at most
# one FIN), the server at most one FIN and no RST (races between the
# client's close and the server's reaction decide which are seen; a client
# that closed with unread bytes resets, and answers a late server segment
# with a second RST)
client_closes() {
    local cf cr sf sr
    cf=$(fins "$1" client); cr=$(rsts "$1" client); sf=$(fins "$1" server); sr=$(rsts "$1" server)
    [ $((cf + cr)) -ge 1 ] && [ "$cf" -le 1 ] && [ "$sf" -le 1 ] && [ "$sr" = 0 ] ||
        die "$(basename "$1"): closing '$(closing "$1")', want the client's FIN and/or RST, no server RST"
}
# only_flight FILE : the server sent one segment of payload (its flight) and
# nothing after it
only_flight() {
    [ -z "$(segs "$1" server)" ] || die "$(basename "$1"): server segments after its flight: $(segs "$1" server)"
}

# certreq_checks FILE RECLEN DESC PAD : mutual TLS 1.3, the client has no
# certificate: decrypted with $KEYLOG, the server's CertificateRequest, the
# client's empty Certificate and both Finished; the server's last segment is
# one encrypted record of RECLEN (the alert DESC, PAD bytes of padding) and
# comes after the client's second flight; nothing in clear says "alert"; the
# client sent no application data
certreq_checks() {
    local f=$1 K=(-o "tls.keylog_file:$KEYLOG") a b
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
    twant "$f" 'ip.src==203.0.113.20 && tls.handshake.type==13' 1 "${K[@]}"
    tis "$f" 'ip.src==192.0.2.10 && tls.handshake.type==11' tls.handshake.certificates_length 0 "${K[@]}"
    twant "$f" 'tls.handshake.type==20' 2 "${K[@]}"
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==23' 0 "${K[@]}"   # no client data
    enc_alert "$f" server "$2" "$3" "$4"
    a=$(tfields "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' frame.number "${K[@]}")
    b=$(tfields "$f" 'ip.src==203.0.113.20 && tcp.len>0' frame.number | tail -1)
    [ "$a" -lt "$b" ] || die "$(basename "$f"): the server's last segment ($b) is not after the client's Finished ($a)"
    tis "$f" "frame.number==$b" tcp.len $(($2 + 5))
}
