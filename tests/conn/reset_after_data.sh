#!/bin/bash
# reset_after_data: reset_after_handshake.sh where the client first sends
# 100 bytes and the server reads them, then aborts with RST (no reply).
CONN_NAME=reset_after_data RESET_DATA=1 exec "$(dirname "$0")/reset_after_handshake.sh"
