#!/bin/sh
# tests/keys/make.sh: the DSB test capture. synthetic.keys is a made-up key log
# (random and secrets are counting bytes, no real session): one line of each label
# with a comment, CRLF ends and upper-case hex; nano_dsb.pcapng is
# tests/captures/nano.pcapng with it injected as a Decryption Secrets Block by
# editcap (wireshark-common), which is what test_keylog reads back.
set -eu
cd "$(dirname "$0")"
command -v editcap >/dev/null || { echo "SKIP: editcap (wireshark-common) not installed"; exit 77; }
python3 - <<'PY'
def hexs(start, n, upper=False):
    s = bytes((start + i) & 0xff for i in range(n)).hex()
    return s.upper() if upper else s
r1 = hexs(0x00, 32)
r2 = hexs(0x80, 32, upper=True)
lines = [
    "# synthetic key log for synack's tests: not a real session",
    "CLIENT_RANDOM %s %s" % (r1, hexs(0x10, 48)),
    "CLIENT_EARLY_TRAFFIC_SECRET %s %s" % (r2, hexs(0x20, 32)),
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s" % (r2, hexs(0x30, 32)),
    "SERVER_HANDSHAKE_TRAFFIC_SECRET %s %s" % (r2, hexs(0x40, 32)),
    "CLIENT_TRAFFIC_SECRET_0 %s %s" % (r2, hexs(0x50, 48, upper=True)),
    "SERVER_TRAFFIC_SECRET_0 %s %s" % (r2, hexs(0x60, 48)),
    "EXPORTER_SECRET %s %s" % (r2, hexs(0x70, 32)),
    "ECH_SECRET %s %s" % (r2, hexs(0x90, 32)),
    "ECH_CONFIG %s %s" % (r2, hexs(0xa0, 70)),
]
open("synthetic.keys", "wb").write(("\r\n".join(lines) + "\r\n").encode())
PY
rm -f nano_dsb.pcapng
editcap --inject-secrets tls,synthetic.keys ../captures/nano.pcapng nano_dsb.pcapng
# check: the block is there (tshark lists DSBs only through -V of the file info; look for the type bytes)
od -An -tx1 -v nano_dsb.pcapng | tr -d ' \n' | grep -q '0a000000........4b534c54' || { echo "no TLSK DSB in nano_dsb.pcapng" >&2; exit 1; }
echo "made tests/keys/synthetic.keys and tests/keys/nano_dsb.pcapng"
