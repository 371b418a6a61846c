/* bench-gen: build a large benchmark capture by replicating the TCP connections of a real template capture. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE          /* glibc: u_int, u_char for <pcap/pcap.h> under -std=c11 */
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#define MAX_TEMPLATE_CONNS 64
#define MAX_TEMPLATES 64              /* -t given this many times at most */
#define PORT_BASE 32768u
#define PORT_SPAN 32768u               /* client ports 32768..65535 */
#define PORT_STEP 27947u               /* odd, so k -> k * PORT_STEP mod PORT_SPAN is a permutation */
#define V4_SMALL_NET 0xc6336400u        /* 198.51.100.0/24 (TEST-NET-2): H <= 254 */
#define V4_BENCH_NET 0xc6120000u        /* 198.18.0.0/15 (RFC 2544 benchmarking): H > 254 */
#define V4_BENCH_MAX 131070u
#define V4_SERVER 0xcb007114u           /* 203.0.113.20 (TEST-NET-3) */
#define NS_PER_S 1000000000ull

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2 };

/* One template packet, with where its IP and TCP headers start. */
struct tpkt {
	uint64_t rel_ns;                /* time since the template's first used packet */
	uint32_t caplen, len;
	uint8_t *data;
	uint32_t l3, l4;                /* offsets of the IP and TCP headers */
	uint32_t seg_len;               /* TCP header + payload length, from the IP header */
	int v6;
	size_t idx;                     /* read order, to keep it for equal timestamps */
	int conn;                       /* index into tmpl.conns */
	int file;                       /* which -t it came from */
	int from_client;
};

/* One TCP connection of the template, identified by its first SYN. */
struct tconn {
	int v6;
	uint8_t cli[16], srv[16];
	uint16_t cport, sport;
	uint64_t first_ns, last_ns;     /* its first and last packet, time since its file's first */
};

struct tmpl {
	int linktype, snaplen;
	struct tpkt *pk;
	size_t npk, cap;
	struct tconn conns[MAX_TEMPLATE_CONNS];
	int nconns, any_v4;
	int conn_base;                  /* first connection of the file being loaded */
	uint32_t max_caplen;
	size_t skipped;
	uint64_t duration_ns;
};

/* A replica in flight: the merge heap holds one of these per active replica. */
struct active {
	uint64_t ts_ns;
	uint64_t replica;
	size_t k;                       /* next template packet */
};

struct opts {
	const char *tmpl_paths[MAX_TEMPLATES], *out_path;
	int ntmpl;
	uint64_t conns, packets, hosts, seed, start_s, gap_ns, concurrency;
	int nano, seq_ports;
};

static const char *prog = "bench-gen";
static char *tmp_path;                  /* the output being written, removed on failure */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s -t TEMPLATE.pcap [-t TEMPLATE.pcap ...] -o OUT.pcap (-n CONNECTIONS | -P PACKETS)\n"
		"          -H CLIENT_HOSTS [-s SEED] [-k CONCURRENCY | -g GAP_NS] [-T START_EPOCH_S] [-N]\n"
		"          [-p random|sequential]\n"
		"  -t  template capture; several -t (the same file may repeat, to weight it) make\n"
		"      one unit of all their connections, copied in turn, spaced evenly in time\n"
		"  -n  connections to write (each a rewritten copy of one template connection)\n"
		"  -P  instead of -n: about this many packets (rounded up to whole template copies)\n"
		"  -H  distinct client addresses: 198.51.100.0/24 if <= 254, else 198.18.0.0/15\n"
		"      (IPv6 templates: 2001:db8:1::/64); connection i uses host i %% H\n"
		"  -s  seed for the per-connection ISN offsets (default 1)\n"
		"  -k  connections in flight at once (default 1000): a new copy of the template\n"
		"      starts every template_duration / K ns (several -t: a new copy of the unit\n"
		"      every sum_of_its_connections_durations / K ns)\n"
		"  -g  start a new template (unit) copy every GAP_NS nanoseconds (overrides -k)\n"
		"  -T  timestamp of the first packet, epoch seconds (default 1700000000)\n"
		"  -N  write nanosecond timestamps (default microsecond)\n"
		"  -p  client ports, unique per host: random (default; each host walks its own\n"
		"      permutation of 32768..65535) or sequential (32768 + k for its k-th connection)\n",
		prog);
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, why);
	if (tmp_path)
		unlink(tmp_path);
	exit(EXIT_ERR);
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Ones' complement sum of big-endian 16-bit words (odd tail padded with zero). */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Offset of the network layer and its version (4 or 6), or 0 if not IP. */
static int link_l3(int linktype, const uint8_t *p, uint32_t caplen, uint32_t *l3)
{
	uint32_t off, et;

	switch (linktype) {
	case DLT_EN10MB:
		off = 12;
		if (caplen < off + 2)
			return 0;
		et = get16(p + off);
		while ((et == 0x8100 || et == 0x88a8) && caplen >= off + 6) {
			off += 4;
			et = get16(p + off);
		}
		*l3 = off + 2;
		return et == 0x0800 ? 4 : et == 0x86dd ? 6 : 0;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return 0;
		*l3 = 16;
		et = get16(p + 14);
		return et == 0x0800 ? 4 : et == 0x86dd ? 6 : 0;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return 0;
		*l3 = 20;
		et = get16(p);
		return et == 0x0800 ? 4 : et == 0x86dd ? 6 : 0;
#endif
	case DLT_NULL:
	case DLT_LOOP:
		if (caplen < 4)
			return 0;
		*l3 = 4;
		break;
	case DLT_RAW:
		*l3 = 0;
		break;
	default:
		return 0;
	}
	if (caplen <= *l3)
		return 0;
	et = p[*l3] >> 4;
	return et == 4 ? 4 : et == 6 ? 6 : 0;
}

/* Fill in l4, seg_len and v6 for a TCP packet; 0 if it is not one we can rewrite. */
static int parse_ip_tcp(struct tpkt *t, int ver)
{
	const uint8_t *ip = t->data + t->l3;
	uint32_t avail = t->caplen - t->l3, hl, tot;

	if (ver == 4) {
		if (avail < 20 || (ip[0] >> 4) != 4)
			return 0;
		hl = (uint32_t)(ip[0] & 0x0f) * 4;
		tot = get16(ip + 2);
		if (hl < 20 || avail < hl || ip[9] != 6 || tot < hl || (get16(ip + 6) & 0x3fff))
			return 0;           /* not TCP, or a fragment */
		t->v6 = 0;
		t->seg_len = tot - hl;
	} else {
		if (avail < 40 || (ip[0] >> 4) != 6 || ip[6] != 6)
			return 0;           /* extension headers are not supported */
		hl = 40;
		t->v6 = 1;
		t->seg_len = get16(ip + 4);
	}
	t->l4 = t->l3 + hl;
	if (t->caplen < t->l4 + 20 || t->seg_len < 20)
		return 0;
	return t->caplen >= t->l4 + (uint32_t)(t->data[t->l4 + 12] >> 4) * 4;
}

static size_t addr_len(int v6) { return v6 ? 16 : 4; }
static const uint8_t *src_addr(const struct tpkt *t) { return t->data + t->l3 + (t->v6 ? 8 : 12); }
static const uint8_t *dst_addr(const struct tpkt *t) { return t->data + t->l3 + (t->v6 ? 24 : 16); }

/* Attach a TCP packet to a template connection; a SYN without ACK opens one. */
static void classify(struct tmpl *tp, struct tpkt *t)
{
	const uint8_t *tcp = t->data + t->l4;
	size_t al = addr_len(t->v6);
	uint16_t sp = get16(tcp), dp = get16(tcp + 2);
	int i;

	for (i = tp->conn_base; i < tp->nconns; i++) {
		struct tconn *c = &tp->conns[i];

		if (c->v6 != t->v6)
			continue;
		if (c->cport == sp && c->sport == dp && !memcmp(c->cli, src_addr(t), al) &&
		    !memcmp(c->srv, dst_addr(t), al)) {
			t->conn = i, t->from_client = 1;
			return;
		}
		if (c->cport == dp && c->sport == sp && !memcmp(c->cli, dst_addr(t), al) &&
		    !memcmp(c->srv, src_addr(t), al)) {
			t->conn = i, t->from_client = 0;
			return;
		}
	}
	if ((tcp[13] & 0x12) == 0x02 && tp->nconns < MAX_TEMPLATE_CONNS) {
		struct tconn *c = &tp->conns[tp->nconns];

		c->v6 = t->v6;
		memcpy(c->cli, src_addr(t), al);
		memcpy(c->srv, dst_addr(t), al);
		c->cport = sp;
		c->sport = dp;
		c->first_ns = UINT64_MAX;
		c->last_ns = 0;
		t->conn = tp->nconns++;
		t->from_client = 1;
	}
}

static int tpkt_cmp(const void *a, const void *b)
{
	const struct tpkt *x = a, *y = b;

	if (x->rel_ns != y->rel_ns)
		return x->rel_ns < y->rel_ns ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Append the packets of one template file; their times become relative to its own first packet. */
static void load_template(struct tmpl *tp, const char *path, int file)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	uint64_t t0 = UINT64_MAX;
	size_t i, first = tp->npk;
	int rc, ver, linktype;

	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p)
		die(path, err);
	linktype = pcap_datalink(p);
	if (file > 0 && linktype != tp->linktype)
		die(path, "its link type differs from the first template's");
	tp->linktype = linktype;
	if (pcap_snapshot(p) > tp->snaplen)
		tp->snaplen = pcap_snapshot(p);
	tp->conn_base = tp->nconns;
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		struct tpkt t = { 0 };
		uint64_t ts = (uint64_t)h->ts.tv_sec * NS_PER_S + (uint64_t)h->ts.tv_usec;

		t.conn = -1;
		t.file = file;
		t.caplen = h->caplen;
		t.len = h->len;
		ver = link_l3(tp->linktype, d, h->caplen, &t.l3);
		if (!ver) {
			tp->skipped++;
			continue;
		}
		if (!(t.data = malloc(h->caplen ? h->caplen : 1)))
			die("malloc", strerror(errno));
		memcpy(t.data, d, h->caplen);
		if (!parse_ip_tcp(&t, ver) || (classify(tp, &t), t.conn < 0)) {
			free(t.data);
			tp->skipped++;
			continue;
		}
		if (t.caplen > tp->max_caplen)
			tp->max_caplen = t.caplen;
		tp->any_v4 |= !t.v6;
		t.rel_ns = ts;              /* absolute for now */
		t.idx = tp->npk;
		if (tp->npk == tp->cap) {
			tp->cap = tp->cap ? tp->cap * 2 : 64;
			if (!(tp->pk = realloc(tp->pk, tp->cap * sizeof(*tp->pk))))
				die("realloc", strerror(errno));
		}
		tp->pk[tp->npk++] = t;
	}
	if (rc == PCAP_ERROR)
		die(path, pcap_geterr(p));
	pcap_close(p);
	if (tp->npk == first)
		die(path, "no TCP connection starting with a SYN in the template");

	for (i = first; i < tp->npk; i++)
		if (tp->pk[i].rel_ns < t0)
			t0 = tp->pk[i].rel_ns;
	for (i = first; i < tp->npk; i++) {
		struct tpkt *t = &tp->pk[i];
		struct tconn *c = &tp->conns[t->conn];

		t->rel_ns -= t0;
		if (t->rel_ns > tp->duration_ns)
			tp->duration_ns = t->rel_ns;
		if (t->rel_ns < c->first_ns)
			c->first_ns = t->rel_ns;
		if (t->rel_ns > c->last_ns)
			c->last_ns = t->rel_ns;
	}
}

/*
 * Once every template is loaded: the gap between two copies of the unit, and
 * with several templates, file f's connections shifted by f * gap / files so
 * the connections of a unit start evenly spaced, not all at once. Then the
 * template is put in time order, as replicas are emitted in template order.
 */
static void finish_template(struct tmpl *tp, struct opts *o)
{
	size_t i;

	if (!o->gap_ns) {
		uint64_t span = tp->duration_ns;    /* one template: its duration */
		int c;

		if (o->ntmpl > 1)
			for (span = 0, c = 0; c < tp->nconns; c++)
				span += tp->conns[c].last_ns - tp->conns[c].first_ns;
		o->gap_ns = span / o->concurrency ? span / o->concurrency : 1;
	}
	if (o->ntmpl > 1)
		for (i = 0; i < tp->npk; i++) {
			tp->pk[i].rel_ns += o->gap_ns * (uint64_t)tp->pk[i].file / (uint64_t)o->ntmpl;
			if (tp->pk[i].rel_ns > tp->duration_ns)
				tp->duration_ns = tp->pk[i].rel_ns;
		}
	qsort(tp->pk, tp->npk, sizeof(*tp->pk), tpkt_cmp);
}

static int heap_less(const struct active *a, const struct active *b)
{
	return a->ts_ns < b->ts_ns || (a->ts_ns == b->ts_ns && a->replica < b->replica);
}

static void heap_down(struct active *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct active tmp;

		if (l < n && heap_less(&h[l], &h[m]))
			m = l;
		if (l + 1 < n && heap_less(&h[l + 1], &h[m]))
			m = l + 1;
		if (m == i)
			return;
		tmp = h[i], h[i] = h[m], h[m] = tmp;
		i = m;
	}
}

static void heap_up(struct active *h, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		struct active tmp;

		if (!heap_less(&h[i], &h[parent]))
			return;
		tmp = h[i], h[i] = h[parent], h[parent] = tmp;
		i = parent;
	}
}

/* Client address of host number h (0-based). */
static void client_addr(uint8_t *out, int v6, uint64_t h, uint64_t hosts)
{
	if (v6) {
		static const uint8_t net[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };

		memcpy(out, net, 16);
		put32(out + 12, (uint32_t)(h + 1));
	} else {
		put32(out, (hosts <= 254 ? V4_SMALL_NET : V4_BENCH_NET) + (uint32_t)(h + 1));
	}
}

/* Servers stay where the template put them if that is a documentation address. */
static void server_addr(uint8_t *out, const struct tconn *c)
{
	static const uint8_t doc6[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t srv6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x20 };

	if (c->v6)
		memcpy(out, memcmp(c->srv, doc6, 4) ? srv6 : c->srv, 16);
	else if ((get32(c->srv) & 0xffffff00u) == (V4_SERVER & 0xffffff00u))
		memcpy(out, c->srv, 4);
	else
		put32(out, V4_SERVER);
}

/* Shift the SACK blocks of a TCP header by delta (they name the peer's sequence space). */
static void shift_sack(uint8_t *tcp, uint32_t hlen, uint32_t delta)
{
	uint32_t i = 20;

	while (i < hlen) {
		uint8_t kind = tcp[i], olen;

		if (kind == 0)
			return;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hlen || (olen = tcp[i + 1]) < 2 || i + olen > hlen)
			return;
		if (kind == 5) {
			uint32_t j;

			for (j = i + 2; j + 4 <= i + olen; j += 4)
				put32(tcp + j, get32(tcp + j) + delta);
		}
		i += olen;
	}
}

/*
 * The k-th connection of host h gets a port unique for that host. By default
 * each host walks its own permutation of 32768..65535 (as kernels that pick
 * ephemeral ports pseudo-randomly do), so ports are spread evenly whatever H
 * is; -p sequential gives 32768 + k, where many hosts share few ports.
 */
static uint16_t client_port(uint64_t cno, const struct opts *o)
{
	uint64_t h = cno % o->hosts, k = cno / o->hosts;

	if (o->seq_ports)
		return (uint16_t)(PORT_BASE + k);
	return (uint16_t)(PORT_BASE + (k * PORT_STEP + splitmix64(h ^ 0x706f7274u)) % PORT_SPAN);
}

/* Rewrite one copy of template packet t for connection number cno into buf. */
static void rewrite(uint8_t *buf, const struct tpkt *t, const struct tmpl *tp, uint64_t cno,
		    const struct opts *o)
{
	const struct tconn *c = &tp->conns[t->conn];
	uint8_t *ip = buf + t->l3, *tcp = buf + t->l4;
	uint8_t *sa = ip + (t->v6 ? 8 : 12), *da = ip + (t->v6 ? 24 : 16);
	uint8_t cli[16], srv[16], old_ph[32], old_th[60];
	size_t al = addr_len(t->v6);
	uint32_t thl = (uint32_t)(tcp[12] >> 4) * 4, dc, ds, sum;
	uint64_t r = splitmix64(o->seed ^ splitmix64(cno));
	uint16_t port = client_port(cno, o);

	memcpy(buf, t->data, t->caplen);
	memcpy(old_ph, sa, al);
	memcpy(old_ph + al, da, al);
	memcpy(old_th, tcp, thl);
	put16(old_th + 16, 0);

	client_addr(cli, t->v6, cno % o->hosts, o->hosts);
	server_addr(srv, c);
	dc = (uint32_t)r;
	ds = (uint32_t)(r >> 32);
	memcpy(t->from_client ? sa : da, cli, al);
	memcpy(t->from_client ? da : sa, srv, al);
	put16(tcp + (t->from_client ? 0 : 2), port);
	put32(tcp + 4, get32(tcp + 4) + (t->from_client ? dc : ds));
	if (tcp[13] & 0x10)
		put32(tcp + 8, get32(tcp + 8) + (t->from_client ? ds : dc));
	shift_sack(tcp, thl, t->from_client ? ds : dc);
	put16(tcp + 16, 0);

	if (!t->v6) {
		uint32_t hl = (uint32_t)(ip[0] & 0x0f) * 4;

		put16(ip + 10, 0);
		put16(ip + 10, csum_fold(csum_add(0, ip, hl)));
	}
	if (t->caplen >= t->l4 + t->seg_len) {
		/* Whole segment captured: compute the checksum from scratch. */
		sum = csum_add(0, sa, al);
		sum = csum_add(sum, da, al);
		sum += 6 + (t->seg_len >> 16) + (t->seg_len & 0xffff);
		sum = csum_add(sum, tcp, t->seg_len);
	} else {
		/* Snapped: adjust the template's checksum for what changed (RFC 1624). */
		uint32_t i;

		sum = (uint16_t)~get16(t->data + t->l4 + 16);
		for (i = 0; i < 2 * al; i += 2)
			sum += (uint16_t)~get16(old_ph + i);
		for (i = 0; i < thl; i += 2)
			sum += (uint16_t)~get16(old_th + i);
		sum = csum_add(sum, sa, al);
		sum = csum_add(sum, da, al);
		sum = csum_add(sum, tcp, thl);
	}
	put16(tcp + 16, csum_fold(sum));
}

static uint64_t parse_u64(const char *s, char opt)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "%s: -%c: not a number: %s\n", prog, opt, s);
		exit(EXIT_USAGE);
	}
	return v;
}

static void parse_opts(struct opts *o, int argc, char **argv)
{
	int ch;

	o->seed = 1;
	o->start_s = 1700000000;
	o->concurrency = 1000;
	while ((ch = getopt(argc, argv, "t:o:n:P:H:s:k:g:T:Np:h")) != -1) {
		switch (ch) {
		case 't':
			if (o->ntmpl == MAX_TEMPLATES) {
				fprintf(stderr, "%s: -t: at most %d templates\n", prog, MAX_TEMPLATES);
				exit(EXIT_USAGE);
			}
			o->tmpl_paths[o->ntmpl++] = optarg;
			break;
		case 'o': o->out_path = optarg; break;
		case 'n': o->conns = parse_u64(optarg, 'n'); break;
		case 'P': o->packets = parse_u64(optarg, 'P'); break;
		case 'H': o->hosts = parse_u64(optarg, 'H'); break;
		case 's': o->seed = parse_u64(optarg, 's'); break;
		case 'k': o->concurrency = parse_u64(optarg, 'k'); break;
		case 'g': o->gap_ns = parse_u64(optarg, 'g'); break;
		case 'T': o->start_s = parse_u64(optarg, 'T'); break;
		case 'N': o->nano = 1; break;
		case 'p':
			if (strcmp(optarg, "sequential") && strcmp(optarg, "random")) {
				usage(stderr);
				exit(EXIT_USAGE);
			}
			o->seq_ports = !strcmp(optarg, "sequential");
			break;
		case 'h': usage(stdout); exit(EXIT_OK);
		default: usage(stderr); exit(EXIT_USAGE);
		}
	}
	if (optind != argc || !o->ntmpl || !o->out_path || !o->hosts ||
	    !(o->conns || o->packets) || (o->conns && o->packets) || !o->concurrency) {
		usage(stderr);
		exit(EXIT_USAGE);
	}
}

static void check_limits(const struct opts *o, const struct tmpl *tp)
{
	if (tp->any_v4 ? o->hosts > V4_BENCH_MAX : o->hosts > UINT32_MAX - 1) {
		fprintf(stderr, "%s: -H %" PRIu64 ": too many client hosts (IPv4: at most %u, in 198.18.0.0/15)\n",
			prog, o->hosts, V4_BENCH_MAX);
		exit(EXIT_USAGE);
	}
	if ((o->conns - 1) / o->hosts >= PORT_SPAN) {
		fprintf(stderr, "%s: -n %" PRIu64 ": more than %u connections per client host; raise -H\n",
			prog, o->conns, PORT_SPAN);
		exit(EXIT_USAGE);
	}
}

static void generate(const struct opts *o, const struct tmpl *tp, FILE *f, pcap_t *dead)
{
	uint64_t nrep = (o->conns + (uint64_t)tp->nconns - 1) / (uint64_t)tp->nconns, next = 0, out = 0;
	uint64_t base = o->start_s * NS_PER_S, gap = o->gap_ns;
	struct active *heap;
	size_t n = 0, cap = 1024;
	pcap_dumper_t *d;
	uint8_t *buf;

	if (!(d = pcap_dump_fopen(dead, f)))
		die(o->out_path, pcap_geterr(dead));
	if (!(heap = malloc(cap * sizeof(*heap))) || !(buf = malloc(tp->max_caplen)))
		die("malloc", strerror(errno));

	while (next < nrep || n) {
		const struct tpkt *t;
		struct pcap_pkthdr h;
		uint64_t cno, ts;

		if (next < nrep && (n == 0 || base + next * gap < heap[0].ts_ns)) {
			if (n == cap && !(heap = realloc(heap, (cap *= 2) * sizeof(*heap))))
				die("realloc", strerror(errno));
			heap[n] = (struct active){ base + next * gap + tp->pk[0].rel_ns, next, 0 };
			heap_up(heap, n++);
			next++;
			continue;
		}
		t = &tp->pk[heap[0].k];
		cno = heap[0].replica * (uint64_t)tp->nconns + (uint64_t)t->conn;
		ts = heap[0].ts_ns;
		if (cno < o->conns) {
			rewrite(buf, t, tp, cno, o);
			h.ts.tv_sec = (time_t)(ts / NS_PER_S);
			h.ts.tv_usec = (suseconds_t)(ts % NS_PER_S / (o->nano ? 1 : 1000));
			h.caplen = t->caplen;
			h.len = t->len;
			pcap_dump((u_char *)d, &h, buf);
			out++;
		}
		if (++heap[0].k < tp->npk) {
			heap[0].ts_ns = base + heap[0].replica * gap + tp->pk[heap[0].k].rel_ns;
		} else {
			heap[0] = heap[--n];
		}
		heap_down(heap, n, 0);
	}
	if (pcap_dump_flush(d) != 0 || ferror(f))
		die(o->out_path, "write failed");
	pcap_dump_close(d);
	fprintf(stderr, "%s: %" PRIu64 " packets, %" PRIu64 " connections, %" PRIu64
		" client hosts, a new connection every %" PRIu64 " ns\n",
		prog, out, o->conns, o->hosts, o->ntmpl > 1 ? gap / (uint64_t)tp->nconns : gap);
	free(heap);
	free(buf);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct tmpl tp = { 0 };
	size_t i, tl;
	pcap_t *dead;
	FILE *f;

	parse_opts(&o, argc, argv);
	for (i = 0; i < (size_t)o.ntmpl; i++)
		load_template(&tp, o.tmpl_paths[i], (int)i);
	finish_template(&tp, &o);
	if (o.packets)
		o.conns = (o.packets * (uint64_t)tp.nconns + tp.npk - 1) / tp.npk;
	check_limits(&o, &tp);
	if (tp.skipped)
		fprintf(stderr, "%s: %s: skipped %zu packets that are not TCP of a connection opened by a SYN\n",
			prog, o.ntmpl > 1 ? "templates" : o.tmpl_paths[0], tp.skipped);

	dead = pcap_open_dead_with_tstamp_precision(tp.linktype, tp.snaplen,
						    o.nano ? PCAP_TSTAMP_PRECISION_NANO
							   : PCAP_TSTAMP_PRECISION_MICRO);
	if (!dead)
		die("pcap_open_dead", "failed");
	tl = strlen(o.out_path) + 16;
	if (!(tmp_path = malloc(tl)))
		die("malloc", strerror(errno));
	snprintf(tmp_path, tl, "%s.tmp%ld", o.out_path, (long)getpid());
	if (!(f = fopen(tmp_path, "wb")))
		die(tmp_path, strerror(errno));
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	generate(&o, &tp, f, dead);
	if (rename(tmp_path, o.out_path) != 0)
		die(o.out_path, strerror(errno));
	pcap_close(dead);
	for (i = 0; i < tp.npk; i++)
		free(tp.pk[i].data);
	free(tp.pk);
	free(tmp_path);
	return EXIT_OK;
}
