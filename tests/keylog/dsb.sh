#!/bin/bash
# dsb: tls13_aes128gcm_dsb.pcapng = tls13_aes128gcm.pcap converted to pcapng
# with tls13_aes128gcm.keys injected as a Decryption Secrets Block (block
# type 0x0000000A, secret type 0x544c534b "TLSK"; libpcap skips it):
#   editcap -F pcapng --inject-secrets tls,tls13_aes128gcm.keys tls13_aes128gcm.pcap OUT
# Checked: tshark decrypts it WITHOUT any key log option (both Finished);
# the DSB holds exactly the key log's bytes. No network, no root needed.
# Run after tls13_aes128gcm.sh (make_all.sh does). The expectation file is
# tls13_aes128gcm's, for this file, with no keylog option needed.
set -euo pipefail
cd "$(dirname "$0")"
for t in editcap tshark python3; do command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }; done
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
SRC=tls13_aes128gcm OUT=tls13_aes128gcm_dsb
editcap -F pcapng --inject-secrets "tls,$SRC.keys" "$SRC.pcap" "$T/$OUT.pcapng"
n=$(tshark -n -r "$T/$OUT.pcapng" -o tls.keylog_file: -Y 'tls.handshake.type==20' 2>/dev/null | wc -l)
[ "$n" = 2 ] || { echo "dsb.sh: tshark decrypts $n Finished from the DSB, want 2" >&2; exit 1; }
# the DSB: find block type 0xA, secret type TLSK, its data = the key log
python3 - "$T/$OUT.pcapng" "$SRC.keys" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(); keys = open(sys.argv[2], "rb").read()
bo = "<" if d[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
off, found = 0, 0
while off + 12 <= len(d):
    btype, blen = struct.unpack(bo + "II", d[off:off + 8])
    if btype == 0x0A:
        stype, slen = struct.unpack(bo + "II", d[off + 8:off + 16])
        assert stype == 0x544C534B, hex(stype)
        assert d[off + 16:off + 16 + slen] == keys, "DSB data differs from the key log"
        found += 1
    off += blen
assert found == 1, found
PY
cp -f "$SRC.keys" "$T/"
(cd "$T" && python3 "$OLDPWD/mkexpect.py" "$OUT.pcapng" "$SRC.keys") >"$T/$OUT.expect"
{ echo "note 1 the keys are inside the file (Decryption Secrets Block): decrypt with no --keylog; $SRC.keys is the same key log"
  grep -E '^(verdict|note) ' "$SRC.expect"; } >>"$T/$OUT.expect"
mv -f "$T/$OUT.pcapng" "$T/$OUT.expect" .
chmod 0644 "$OUT.pcapng" "$OUT.expect"
echo "dsb.sh: wrote $OUT.pcapng, $OUT.expect" >&2
