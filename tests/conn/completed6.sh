#!/bin/bash
# completed6: completed.sh over IPv6 (2001:db8:1::10 -> [2001:db8:2::20]:5001).
CONN_NAME=completed6 CONN_V6=1 exec "$(dirname "$0")/completed.sh"
