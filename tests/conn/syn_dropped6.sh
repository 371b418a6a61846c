#!/bin/bash
# syn_dropped6: syn_dropped.sh over IPv6.
CONN_NAME=syn_dropped6 CONN_V6=1 exec "$(dirname "$0")/syn_dropped.sh"
