#!/bin/bash
# port_reuse_tw: port_reuse.sh with both connections closed normally; the
# second SYN meets the server's TIME_WAIT socket of the first.
CONN_NAME=port_reuse_tw REUSE_TW=1 exec "$(dirname "$0")/port_reuse.sh"
