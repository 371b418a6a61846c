#!/bin/bash
# frag_clienthello_lost: frag_clienthello.sh with the router dropping every
# fragment but the first: the ClientHello never arrives whole at the server.
export FRAG_DROP=1 CONN_NAME=frag_clienthello_lost
exec bash "$(dirname "$0")/frag_clienthello.sh"
