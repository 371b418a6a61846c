/* udp.h: one UDP flow as the capture point saw it: its packets each way and the ICMP error that quoted it. */
#ifndef SYNACK_UDP_H
#define SYNACK_UDP_H

#include <stdint.h>

#include "decode.h"
#include "flow.h"

/*
 * Nothing is reported of UDP flows yet: they are tracked so that an ICMP
 * error quoting a UDP packet has a flow to attach to, as it has for TCP, and
 * so that QUIC has flows to build on. The side that sent the first packet is
 * the client.
 */
struct udp_flow {
	struct flow f;            /* the flow table's part: the tuple ([0] client), id, links */
	uint64_t packets[2], bytes[2];   /* [0] client to server; bytes of UDP payload */
	int64_t first_ts;
	struct icmp_note icmp;
};

extern const struct flow_ops udp_flow_ops;

static inline struct udp_flow *udp_of(struct flow *f)
{
	return (struct udp_flow *)(void *)f;
}

/* Account one UDP packet of u. */
void udp_packet(struct udp_flow *u, const struct packet *p);
/* Attach an ICMP error that quotes u's packets. */
void udp_icmp(struct udp_flow *u, const struct packet *p);

#endif
