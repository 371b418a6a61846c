/* zeek_conn.c: conn.log's history and conn_state columns, and Zeek's likely server ports. */
#include "zeek.h"
#include "zeek_int.h"

#include <stddef.h>
#include <string.h>

/*
 * TCP ports of likely_server_ports as Zeek's base/protocols scripts fill it
 * (ssl, http, ssh, smtp, ftp, dns, smb, dce-rpc, irc, imap, ldap, krb, mysql,
 * postgresql, redis, mqtt, rdp, socks, xmpp, finger, modbus, dnp3). Copied by
 * hand from those scripts; a Zeek with other scripts loaded has other ports.
 */
static const uint16_t server_ports[] = {
	21, 22, 25, 53, 79, 80, 81, 88, 135, 139, 143, 389, 443, 445, 502, 563, 585, 587,
	614, 631, 636, 989, 990, 992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306,
	3389, 5222, 5223, 5269, 5432, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000,
};

int zeek_likely_server_port(uint16_t port)
{
	for (size_t i = 0; i < sizeof server_ports / sizeof server_ports[0]; i++)
		if (server_ports[i] == port)
			return 1;
	return 0;
}

const char *zeek_history(const struct zeek_conn *z)
{
	return z->history;
}

/* history =~ /^\^?S[^HAFGIQ]*R.*$/ */
static int rstos0_history(const char *h)
{
	if (*h == '^')
		h++;
	if (*h++ != 'S')
		return 0;
	for (; *h; h++) {
		if (*h == 'R')
			return 1;
		if (strchr("HAFGIQ", *h))
			return 0;
	}
	return 0;
}

/* conn_state() of base/protocols/conn/main.zeek. */
const char *zeek_conn_state(const struct zeek_conn *z)
{
	const struct zeek_endpoint *o = &z->ep[z->orig], *r = &z->ep[!z->orig];
	int os = o->state, rs = r->state;
	int o_inactive = os == ZEEK_INACTIVE || os == ZEEK_PARTIAL;
	int r_inactive = rs == ZEEK_INACTIVE || rs == ZEEK_PARTIAL;

	if (rs == ZEEK_RESET) {
		if (os == ZEEK_SYN_SENT || os == ZEEK_SYN_ACK_SENT ||
		    (os == ZEEK_RESET && zeek_ep_size(o, r) == 0 && zeek_ep_size(r, o) == 0))
			return "REJ";
		return o_inactive ? "RSTRH" : "RSTR";
	}
	if (os == ZEEK_RESET) {
		if (r_inactive)
			return rstos0_history(z->history) ? "RSTOS0" : "OTH";
		return "RSTO";
	}
	if (rs == ZEEK_CLOSED && os == ZEEK_CLOSED)
		return "SF";
	if (os == ZEEK_CLOSED)
		return r_inactive ? "SH" : "S2";
	if (rs == ZEEK_CLOSED)
		return o_inactive ? "SHR" : "S3";
	if (os == ZEEK_SYN_SENT && rs == ZEEK_INACTIVE)
		return "S0";
	if (os == ZEEK_ESTABLISHED && rs == ZEEK_ESTABLISHED)
		return "S1";
	return "OTH";
}
