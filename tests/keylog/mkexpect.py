#!/usr/bin/env python3
"""mkexpect.py CAPTURE KEYLOG - the tshark-made part of a tests/keylog NAME.expect.

Runs tshark (the oracle) twice on CAPTURE: with KEYLOG (-o tls.keylog_file)
and without any keys, reads its PDML, and prints one fact a line (format in
README.md, "Expectation files"): per TCP connection the client random, the
key log labels present for it, version, suite, group, HelloRetryRequest,
PSK, ALPN; every TLS record in capture order with its direction, the keys
it is under, and what decryption reveals (handshake messages by type,
alerts by level and description, application data by record length only,
never its content); the certificates that decrypt (subject, issuer,
validity); what tshark shows without keys. The keys column is the key log
label of the traffic secret the record is protected with, following RFC 8446
(TLS 1.3) / RFC 5246 (TLS 1.2): tshark decrypts, the label is the protocol's
rule applied to the record's position (a KeyUpdate moves its sender to
*_TRAFFIC_SECRET_N+1, derived with "traffic upd").
"""
import subprocess
import sys
import xml.etree.ElementTree as ET

HS = {0: "HelloRequest", 1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket", 5: "EndOfEarlyData",
      8: "EncryptedExtensions", 11: "Certificate", 12: "ServerKeyExchange", 13: "CertificateRequest",
      14: "ServerHelloDone", 15: "CertificateVerify", 16: "ClientKeyExchange", 20: "Finished",
      24: "KeyUpdate", 254: "MessageHash"}
ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
          40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
          44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
          47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
          51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
          86: "inappropriate_fallback", 90: "user_canceled", 109: "missing_extension",
          110: "unsupported_extension", 112: "unrecognized_name", 113: "bad_certificate_status_response",
          115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol"}
LEVELS = {1: "warning", 2: "fatal"}
CTYPES = {20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data", 24: "heartbeat"}
GROUPS = {23: "secp256r1", 24: "secp384r1", 25: "secp521r1", 29: "x25519", 30: "x448",
          256: "ffdhe2048", 257: "ffdhe3072"}
HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
CLIENT = "192.0.2.10"


def tshark(cap, keylog):
    args = ["tshark", "-n", "-r", cap, "-o", "tcp.desegment_tcp_streams:TRUE",
            "-o", "tls.keylog_file:" + (keylog or ""), "-Y", "tls", "-T", "pdml"]
    out = subprocess.run(args, check=True, capture_output=True).stdout
    return ET.fromstring(out)


def fields(el, name):
    return [f for f in el.iter("field") if f.get("name") == name]


def first(el, name, attr="show"):
    for f in el.iter("field"):
        if f.get("name") == name:
            return f.get(attr)
    return None


def packets(root):
    """yield (frame, stream, direction, [record elements]) in capture order"""
    for pkt in root.iter("packet"):
        frame = stream = src = None
        recs = []
        for proto in pkt.findall("proto"):
            n = proto.get("name")
            if n == "geninfo":
                frame = int(first(proto, "num"))
            elif n == "ip":
                src = first(proto, "ip.src")
            elif n == "tcp":
                stream = int(first(proto, "tcp.stream"))
            elif n == "tls":
                recs += [f for f in proto.findall("field") if f.get("name") == "tls.record"]
        yield frame, stream, ("C>S" if src == CLIENT else "S>C"), recs


def rec_info(rec):
    """(outer type, inner type or None if not decrypted, record length, [handshake types], [(level, desc)])"""
    opaque = first(rec, "tls.record.opaque_type")
    ctype = first(rec, "tls.record.content_type")
    length = int(first(rec, "tls.record.length") or 0)
    hs = [int(f.get("show")) for f in fields(rec, "tls.handshake.type")]
    alerts = [(int(first(a, "tls.alert_message.level")), int(first(a, "tls.alert_message.desc")))
              for a in fields(rec, "tls.alert_message") if first(a, "tls.alert_message.level") is not None]
    outer = int(opaque) if opaque is not None else int(ctype)
    inner = int(ctype) if ctype is not None else None
    return outer, inner, length, hs, alerts


def cert_text(hexder):
    der = bytes.fromhex(hexder)
    p = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject", "-issuer",
                        "-startdate", "-enddate", "-nameopt", "RFC2253", "-dateopt", "iso_8601"], input=der, capture_output=True, check=True)
    d = {}
    for line in p.stdout.decode().splitlines():
        k, _, v = line.partition("=")
        d[k] = v
    return 'subject="%s" issuer="%s" notBefore="%s" notAfter="%s"' % (
        d["subject"], d["issuer"], d["notBefore"], d["notAfter"])


def decrypted(rec, outer, inner, hs, alerts):
    """did tshark decrypt this protected record?"""
    if first(rec, "tls.record.opaque_type") is not None:
        return inner is not None              # TLS 1.3: the inner type is shown only when decrypted
    if outer == 22:
        return bool(hs)                       # TLS 1.2 Finished: a handshake type only when decrypted
    if outer == 21:
        return bool(alerts)
    if outer == 23:
        return first(rec, "tls.app_data_proto") is not None or first(rec, "tls.app_data") is None
    return True


def describe(outer, inner, length, hs, alerts):
    if outer == 22 and not hs:
        return "encrypted_handshake len=%d" % length   # TLS 1.2 Finished without keys
    if outer == 21 and not alerts:
        return "encrypted_alert len=%d" % length       # TLS 1.2 alert after CCS without keys
    if inner == 22 or (inner is None and outer == 22 and hs):
        return "handshake " + ",".join("%s(%d)" % (HS.get(t, "unknown"), t) for t in hs) + " len=%d" % length
    if inner == 21:
        return "alert " + ",".join("%s(%d) %s(%d)" % (LEVELS.get(l, "unknown"), l, ALERTS.get(d, "unknown"), d)
                                   for l, d in alerts) + " len=%d" % length
    if inner == 20:
        return "change_cipher_spec len=%d" % length
    if inner == 23:
        return "application_data len=%d" % length
    if inner is None and outer == 22:
        return "encrypted_handshake len=%d" % length   # TLS 1.2 Finished without keys
    return "%s(%d) len=%d" % (CTYPES.get(outer, "unknown"), outer, length)


def main():
    cap, keylog = sys.argv[1], sys.argv[2]
    labels = {}
    for line in open(keylog, encoding="ascii"):
        p = line.split()
        if len(p) == 3 and not p[0].startswith("#"):
            labels.setdefault(p[1].lower(), []).append(p[0])
    conns = {}      # stream -> dict
    order = []

    def conn(stream):
        if stream not in conns:
            conns[stream] = {"id": len(order) + 1, "lines": [], "nokeys": [], "hs": {"C>S": [], "S>C": []},
                             "alerts": [], "certs": [], "state": {"C>S": "clear", "S>C": "clear"},
                             "gen": {"C>S": 0, "S>C": 0}, "v13": False, "random": None, "hrr": False,
                             "psk": "no", "cipher": None, "group": None, "alpn": None, "version": None,
                             "undecrypted": 0, "ports": None}
            order.append(stream)
        return conns[stream]

    side = {"C>S": "CLIENT", "S>C": "SERVER"}
    root = tshark(cap, keylog)
    for frame, stream, d, recs in packets(root):
        c = conn(stream)
        other = "S>C" if d == "C>S" else "C>S"
        for rec in recs:
            outer, inner, length, hs, alerts = rec_info(rec)
            keys = c["state"][d]
            if outer == 20 or (c["v13"] and outer != 23):
                keys = "clear"              # CCS, and TLS 1.3 records not wrapped as application_data
            if keys != "clear" and not decrypted(rec, outer, inner, hs, alerts):
                text = "undecrypted len=%d" % length
                c["undecrypted"] += 1
            else:
                text = describe(outer, inner, length, hs, alerts)
            c["lines"].append("rec %d %d %s %s %s" % (c["id"], frame, d, keys, text))
            if alerts:
                for l, desc in alerts:
                    c["alerts"].append("alert %d %d %s %s(%d) %s(%d) %s" % (
                        c["id"], frame, d, LEVELS.get(l, "unknown"), l, ALERTS.get(desc, "unknown"), desc, keys))
            for t in hs:
                c["hs"][d].append("%s(%d)" % (HS.get(t, "unknown"), t))
            for h in fields(rec, "tls.handshake"):
                t = first(h, "tls.handshake.type")
                if t is None:
                    continue
                t = int(t)
                if t == 1 and c["random"] is None:
                    c["random"] = first(h, "tls.handshake.random").replace(":", "").lower()
                if t == 2:
                    rnd = first(h, "tls.handshake.random").replace(":", "").lower()
                    sv = first(h, "tls.handshake.extensions.supported_version")
                    c["v13"] = sv == "0x0304"
                    c["version"] = "TLS 1.3" if c["v13"] else {"0x0303": "TLS 1.2", "0x0302": "TLS 1.1"}.get(
                        first(h, "tls.handshake.version"), first(h, "tls.handshake.version"))
                    if rnd == HRR_RANDOM:
                        c["hrr"] = True
                        g = first(h, "tls.handshake.extensions_key_share_selected_group")
                        c["hrr_group"] = GROUPS.get(int(g), g) if g else None
                        continue
                    cs = [f for f in h.iter("field") if f.get("name") == "tls.handshake.ciphersuite"]
                    if cs:
                        c["cipher"] = cs[0].get("showname").split(": ", 1)[1].replace(" (", " ").rstrip(")")
                    g = first(h, "tls.handshake.extensions_key_share_group")
                    if g:
                        c["group"] = GROUPS.get(int(g), g)
                    sel = first(h, "tls.handshake.extensions.psk.identity.selected")
                    if sel is not None:
                        c["psk"] = "yes identity=%s" % sel
                    alpn = first(h, "tls.handshake.extensions_alpn_str")
                    if alpn:
                        c["alpn"] = alpn
                    if c["v13"]:
                        c["state"]["S>C"] = c["state"]["C>S"] = "HANDSHAKE_TRAFFIC_SECRET"
                if t == 8:
                    alpn = first(h, "tls.handshake.extensions_alpn_str")
                    if alpn:
                        c["alpn"] = alpn
                if t == 11:
                    for cert in fields(h, "tls.handshake.certificate"):
                        c["certs"].append("cert %d %d %s %d %s" % (c["id"], frame, d, len(c["certs"]),
                                                                  cert_text(cert.get("value"))))
                    if not fields(h, "tls.handshake.certificate"):
                        c["certs"].append("cert %d %d %s empty" % (c["id"], frame, d))
                if t == 20 and c["v13"]:
                    c["state"][d] = "TRAFFIC_SECRET_0"
                if t == 24 and c["v13"]:
                    c["gen"][d] += 1
                    c["state"][d] = "TRAFFIC_SECRET_%d" % c["gen"][d]
                    req = first(rec, "tls.handshake.key_update.request_update")
                    c["lines"].append("keyupdate %d %d %s update_requested=%s next=%s_TRAFFIC_SECRET_%d" % (
                        c["id"], frame, d, req, side[d], c["gen"][d]))
            if outer == 20 and not c["v13"]:
                c["state"][d] = "CLIENT_RANDOM"
    for c in conns.values():
        for i, line in enumerate(c["lines"]):
            p = line.split(" ")
            if p[0] == "rec" and p[4] in ("HANDSHAKE_TRAFFIC_SECRET",) or p[0] == "rec" and p[4].startswith("TRAFFIC_SECRET_"):
                p[4] = side[p[3]] + "_" + p[4]
                c["lines"][i] = " ".join(p)
        for i, line in enumerate(c["alerts"]):
            p = line.split(" ")
            if p[-1] == "HANDSHAKE_TRAFFIC_SECRET" or p[-1].startswith("TRAFFIC_SECRET_"):
                p[-1] = side[p[3]] + "_" + p[-1]
                c["alerts"][i] = " ".join(p)

    # without keys
    for frame, stream, d, recs in packets(tshark(cap, None)):
        c = conns.get(stream)
        if c is None:
            continue
        for rec in recs:
            outer, inner, length, hs, alerts = rec_info(rec)
            if outer == 23 and inner is None:
                text = "encrypted application_data(23) len=%d" % length
            elif outer == 23 and inner == 23 and first(rec, "tls.record.opaque_type") is None:
                text = "application_data(23) len=%d" % length   # TLS 1.2 data: opaque without keys
            else:
                text = describe(outer, inner if inner is not None else None, length, hs, alerts)
            c["nokeys"].append("nokeys %d %d %s %s" % (c["id"], frame, d, text))

    print("# %s: what tshark decrypts with %s (facts from mkexpect.py; verdict lines from the script)" % (cap, keylog))
    print("capture %s" % cap)
    print("keylog %s" % keylog)
    print("connections %d" % len(order))
    for s in order:
        c = conns[s]
        n = c["id"]
        print("conn %d client_random %s" % (n, c["random"]))
        print("labels %d %s" % (n, ",".join(labels.get(c["random"], [])) or "-"))
        print("version %d %s" % (n, c["version"] or "-"))
        print("cipher %d %s" % (n, c["cipher"] or "-"))
        print("group %d %s" % (n, c["group"] or "-"))
        print("hrr %d %s" % (n, ("yes selected=%s" % c.get("hrr_group")) if c["hrr"] else "no"))
        print("psk %d %s" % (n, c["psk"]))
        print("alpn %d %s" % (n, c["alpn"] or "-"))
        print("handshake %d C>S %s" % (n, ",".join(c["hs"]["C>S"]) or "-"))
        print("handshake %d S>C %s" % (n, ",".join(c["hs"]["S>C"]) or "-"))
        for line in c["alerts"] or ["alert %d none" % n]:
            print(line)
        for line in c["certs"]:
            print(line)
        print("undecrypted %d %d" % (n, c["undecrypted"]))
        for line in c["lines"]:
            print(line)
        for line in c["nokeys"]:
            print(line)


if __name__ == "__main__":
    main()
