#!/bin/bash
# closed_port6: closed_port.sh over IPv6.
CONN_NAME=closed_port6 CONN_V6=1 exec "$(dirname "$0")/closed_port.sh"
