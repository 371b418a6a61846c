/* udp.c: UDP flows for the flow table: counted each way, with the ICMP error that quoted them. */
#include <string.h>

#include "udp.h"

void udp_packet(struct udp_flow *u, const struct packet *p)
{
	int dir = flow_side_of(&u->f, p->ip.src, p->u.udp.sport);

	u->packets[dir]++;
	u->bytes[dir] += p->u.udp.payload_len;
	u->f.last_ts = pkt_ts(p);
}

void udp_icmp(struct udp_flow *u, const struct packet *p)
{
	if (flow_icmp(&u->f, &u->icmp, p))
		u->f.last_ts = u->icmp.ts;
}

static void udp_init(struct flow *f, const struct packet *p, int small)
{
	struct udp_flow *u = udp_of(f);

	(void)small;
	memset(u, 0, sizeof(*u));
	u->f.v6 = p->ip.version == 6;
	memcpy(u->f.addr[0], p->ip.src, 16);
	memcpy(u->f.addr[1], p->ip.dst, 16);
	u->f.port[0] = p->u.udp.sport;
	u->f.port[1] = p->u.udp.dport;
	u->first_ts = u->f.last_ts = pkt_ts(p);
}

static size_t udp_mem(const struct flow *f)
{
	(void)f;
	return sizeof(struct udp_flow);
}

static void udp_release(struct flow *f)
{
	(void)f;
}

/* Never small, never lingering (nothing closes a UDP flow), never remembered once evicted. */
const struct flow_ops udp_flow_ops = {
	.size = sizeof(struct udp_flow),
	.linger_bytes = sizeof(struct udp_flow),
	.init = udp_init,
	.mem = udp_mem,
	.release = udp_release,
};
