# pathlib.sh - sourced by the tests/path scripts (bash only). Reuses
# ../conn/connlib.sh unchanged (topology, captures, want, conn_finish) and
# only points the final capture files at this folder instead of tests/conn.
. "$(dirname "${BASH_SOURCE[0]}")/../conn/connlib.sh"
PATHDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FINAL_C="$PATHDIR/$NAME.client.pcap"
FINAL_S="$PATHDIR/$NAME.server.pcap"
