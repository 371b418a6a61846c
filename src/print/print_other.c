/* print_other.c: our own short lines for UDP and ICMP/ICMPv6, in tcpdump's manner. */
#include "print.h"

void print_udp(struct print_ctx *x)
{
	const struct packet *p = x->p;
	const struct udp_info *u = &p->u.udp;
	int v6 = p->ip.version == 6;

	x->proto = "udp";
	ln_ip(x->out, v6, p->ip.src);
	if (u->status == DEC_TRUNCATED) {
		ln_lit(x->out, " > ");
		ln_ip(x->out, v6, p->ip.dst);
		ln_lit(x->out, ": UDP [|udp]");
		return;
	}
	ln_chr(x->out, '.');
	ln_u32(x->out, u->sport);
	ln_lit(x->out, " > ");
	ln_ip(x->out, v6, p->ip.dst);
	ln_chr(x->out, '.');
	ln_u32(x->out, u->dport);
	ln_lit(x->out, ": UDP, length ");
	ln_u32(x->out, u->payload_len);
}

/* The connection an ICMP error quotes: "203.0.113.20 tcp port 443". */
static void quoted(struct print_ctx *x, const struct icmp_info *ic)
{
	int v6 = ic->quoted_version == 6;

	if (ic->quoted_version == 0) {
		ln_lit(x->out, "(quoted packet not captured)");
		return;
	}
	ln_ip(x->out, v6, ic->quoted_dst);
	if (ic->quoted_proto == 6 || ic->quoted_proto == 17) {
		ln_str(x->out, ic->quoted_proto == 6 ? " tcp" : " udp");
		if (ic->quoted_has_ports) {
			ln_lit(x->out, " port ");
			ln_u32(x->out, ic->quoted_dport);
		}
	} else {
		ln_lit(x->out, " protocol ");
		ln_u32(x->out, ic->quoted_proto);
	}
}

static const char *unreach4(uint8_t code)
{
	static const char *const names[] = {
		"net unreachable", "host unreachable", "protocol unreachable",
		"port unreachable", "need to frag", "source route failed",
		"net unknown", "host unknown", "source host isolated",
		"net admin prohibited", "host admin prohibited", "net tos prohibited",
		"host tos prohibited", "admin prohibited filter",
		"host precedence violation", "precedence cutoff",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : NULL;
}

static const char *unreach6(uint8_t code)
{
	static const char *const names[] = {
		"no route to destination", "administratively prohibited",
		"beyond scope of source address", "address unreachable",
		"port unreachable", "source address failed ingress/egress policy",
		"reject route to destination",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : NULL;
}

static void icmp4(struct print_ctx *x, const struct icmp_info *ic)
{
	const char *n;

	switch (ic->type) {
	case 0:
	case 8:
		ln_str(x->out, ic->type == 8 ? "echo request, id " : "echo reply, id ");
		ln_u32(x->out, ic->rest >> 16);
		ln_lit(x->out, ", seq ");
		ln_u32(x->out, ic->rest & 0xffff);
		return;
	case 3:
		n = unreach4(ic->code);
		quoted(x, ic);
		ln_lit(x->out, " unreachable - ");
		if (n != NULL) {
			ln_str(x->out, n);
		} else {
			ln_lit(x->out, "code #");
			ln_u32(x->out, ic->code);
		}
		if (ic->code == 4 && (ic->rest & 0xffff) != 0) {
			ln_lit(x->out, " (mtu ");
			ln_u32(x->out, ic->rest & 0xffff);
			ln_chr(x->out, ')');
		}
		return;
	case 11:
		ln_str(x->out, ic->code == 0 ? "time exceeded in-transit " :
			       "ip reassembly time exceeded ");
		quoted(x, ic);
		return;
	case 4:
	case 5:
	case 12:
		ln_str(x->out, ic->type == 4 ? "source quench " :
			       ic->type == 5 ? "redirect " : "parameter problem ");
		quoted(x, ic);
		return;
	}
	ln_lit(x->out, "type-#");
	ln_u32(x->out, ic->type);
}

static void icmp6(struct print_ctx *x, const struct icmp_info *ic)
{
	const char *n;

	switch (ic->type) {
	case 1:
		n = unreach6(ic->code);
		ln_lit(x->out, "destination unreachable, ");
		if (n != NULL) {
			ln_str(x->out, n);
		} else {
			ln_lit(x->out, "code #");
			ln_u32(x->out, ic->code);
		}
		ln_lit(x->out, ", ");
		quoted(x, ic);
		return;
	case 2:
		ln_lit(x->out, "packet too big, mtu ");
		ln_u32(x->out, ic->rest);
		ln_lit(x->out, ", ");
		quoted(x, ic);
		return;
	case 3:
		ln_lit(x->out, "time exceeded, ");
		quoted(x, ic);
		return;
	case 4:
		ln_lit(x->out, "parameter problem, ");
		quoted(x, ic);
		return;
	case 128:
	case 129:
		ln_str(x->out, ic->type == 128 ? "echo request, id " : "echo reply, id ");
		ln_u32(x->out, ic->rest >> 16);
		ln_lit(x->out, ", seq ");
		ln_u32(x->out, ic->rest & 0xffff);
		return;
	case 133: ln_lit(x->out, "router solicitation"); return;
	case 134: ln_lit(x->out, "router advertisement"); return;
	case 135: ln_lit(x->out, "neighbor solicitation"); return;
	case 136: ln_lit(x->out, "neighbor advertisement"); return;
	}
	ln_lit(x->out, "type-#");
	ln_u32(x->out, ic->type);
}

void print_icmp(struct print_ctx *x)
{
	const struct icmp_info *ic = &x->p->u.icmp;
	int v6 = x->p->l4 == L4_ICMP6;

	x->proto = v6 ? "icmp6" : "icmp";
	ln_str(x->out, v6 ? "ICMP6, " : "ICMP ");
	if (ic->status == DEC_TRUNCATED) {
		ln_lit(x->out, "[|icmp]");
		return;
	}
	if (v6)
		icmp6(x, ic);
	else
		icmp4(x, ic);
	ln_lit(x->out, ", length ");
	ln_u32(x->out, ic->len);
}
