/* zeek_int.h: what the zeek*.c files share with one another only. */
#ifndef SYNACK_ZEEK_INT_H
#define SYNACK_ZEEK_INT_H

#include <stdint.h>

#include "zeek.h"

/* TCP_Endpoint::Size() of e, p its peer (zeek.c; zeek_conn_state() reads it too). */
uint64_t zeek_ep_size(const struct zeek_endpoint *e, const struct zeek_endpoint *p);

#endif
