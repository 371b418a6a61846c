/* verdict_memo.c: what earlier connections taught about a server: that it speaks TLS on a port (tls.no_client_hello). */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "hash.h"
#include "verdict.h"

/*
 * A direct-mapped table of (address, port) pairs that answered in TLS,
 * VERDICT_MEMO_SLOTS of them: a pair takes its slot from whatever held it,
 * and that one is counted as forgotten (bounds.tls_servers_forgotten), since
 * a later silent connection to it can then read tcp.completed where
 * tls.no_client_hello was due.
 */
struct memo_slot {
	uint8_t addr[16];
	uint16_t port;
	uint8_t v6, used;
};

struct verdict_memo {
	struct memo_slot slot[VERDICT_MEMO_SLOTS];
};

struct verdict_memo *verdict_memo_new(void)
{
	return calloc(1, sizeof(struct verdict_memo));
}

void verdict_memo_free(struct verdict_memo *m)
{
	free(m);
}

static struct memo_slot *memo_slot(struct verdict_memo *m, int v6, const uint8_t *addr, uint16_t port)
{
	uint64_t h = hash_bytes((uint64_t)port << 1 | (v6 != 0), addr, v6 ? 16 : 4);

	return &m->slot[h % VERDICT_MEMO_SLOTS];
}

static int memo_holds(const struct memo_slot *s, int v6, const uint8_t *addr, uint16_t port)
{
	return s->used && s->port == port && s->v6 == (v6 != 0) && memcmp(s->addr, addr, v6 ? 16 : 4) == 0;
}

void verdict_memo_note(struct verdict_memo *m, const struct conn *c)
{
	const struct tls_conn *t = conn_tls(c);
	struct memo_slot *s;

	/* the server's side was TLS records: it answers in TLS on this port */
	if (m == NULL || t == NULL || t->side[1].records == 0 || t->side[1].mode == TLS_MODE_PLAIN)
		return;
	s = memo_slot(m, c->f.v6, c->f.addr[DIR_SERVER], c->f.port[DIR_SERVER]);
	if (memo_holds(s, c->f.v6, c->f.addr[DIR_SERVER], c->f.port[DIR_SERVER]))
		return;
	if (s->used)
		bounds.tls_servers_forgotten++;
	memset(s, 0, sizeof(*s));
	memcpy(s->addr, c->f.addr[DIR_SERVER], c->f.v6 ? 16 : 4);
	s->port = c->f.port[DIR_SERVER];
	s->v6 = c->f.v6 != 0;
	s->used = 1;
}

/* The ports TLS is expected on without being told (IANA's implicit-TLS services). */
static int tls_port(uint16_t port)
{
	static const uint16_t ports[] = { 443, 465, 636, 853, 993, 995, 8443 };

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

void verdict_no_client_hello(const struct conn *c, struct verdict_memo *m, struct verdict *v)
{
	const struct endpoint *cl = &c->ep[DIR_CLIENT], *sv = &c->ep[DIR_SERVER];
	uint16_t port = c->f.port[DIR_SERVER];
	uint8_t why;

	/* (one let go early was not followed to its end: its silence proves nothing) */
	if ((v->kind != VK_TCP_COMPLETED && v->kind != VK_TCP_RESET_AFTER) || c->lost ||
	    c->f.reported_because == FLOW_EVICTED || c->f.reported_because == FLOW_EVICTED_MEMORY)
		return;
	/* a TLS client sends its hello at once: closed without one, or silent for a second */
	if (!c->hs_ack_seen || cl->payload != 0 || sv->payload != 0 ||
	    !(c->rst_seen || cl->fin || sv->fin || v->tcp.capture_end - v->tcp.hs_ack_ts >= 1000000000))
		return;
	if (tls_port(port))
		why = VTLS_PORT_KNOWN;
	else if (m != NULL && memo_holds(memo_slot(m, c->f.v6, c->f.addr[DIR_SERVER], port), c->f.v6,
					 c->f.addr[DIR_SERVER], port))
		why = VTLS_PORT_SEEN;
	else
		return;
	v->tcp.tls_port = why;
	v->kind = VK_TLS_NO_CLIENT_HELLO;
	v->code = "tls.no_client_hello";
	v->layer = "tls";
	v->ok = 0;
}
