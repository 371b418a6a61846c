/* cmd_probe.c: synack probe HOST[:PORT]: a live capture of exactly its own connection, a real TLS handshake, and the verdict beside the client's view. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "cli.h"
#include "commands.h"
#include "json.h"
#include "keylog.h"
#include "privs.h"
#include "probe.h"

/* --count's ceiling: every attempt's socket is bound before the capture opens. */
#define PROBE_MAX_COUNT 100
/* After the last attempt, the capture is read until it has been quiet this long, at most PROBE_TAIL_MS. */
#define PROBE_QUIET_MS 200
#define PROBE_TAIL_MS 1500

enum {
	OPT_SNI = 0x200, OPT_ALPN, OPT_TLS12, OPT_TLS13, OPT_CIPHERS, OPT_GROUPS, OPT_CAFILE, OPT_NO_VERIFY,
	OPT_NO_TLS, OPT_LARGE, OPT_COUNT, OPT_INTERVAL, OPT_TIMEOUT, OPT_KEYLOG, OPT_JSON, OPT_COLOR,
};

struct probe_cli {
	char host[256];
	uint16_t port;
	int family;
	double timeout, interval;
	unsigned count;
	int large;
	const char *iface;        /* -i: capture here instead of the route's interface */
	const char *write_to;     /* -w */
	const char *keylog_out;   /* --keylog */
	struct probe_tls_opts tls;
	struct analysis_opts an;
};

/* One attempt: its socket, bound before the capture opens, and what the client saw. */
struct attempt {
	int fd;
	uint16_t sport;
	int large;
	struct probe_result r;
};

struct run {
	struct probe_cli *p;
	struct analysis *an;
	int linktype;
	struct attempt *at;
	unsigned n;
	struct sockaddr_storage dst, src;
	char ifname[64];
	struct capture c;
	int capturing;
	char no_capture[SOURCE_ERRLEN];   /* why there is no packet view, or "" */
};

void cmd_probe_usage(FILE *f)
{
	fprintf(f,
		"usage: synack probe [OPTIONS] HOST[:PORT]     connect, capture and judge one attempt\n"
		"  HOST[:PORT]       a name (looked up: the only lookup synack does), an IPv4 address,\n"
		"                    or [IPv6]:PORT; the port is 443 unless given\n"
		"  -4, -6            only IPv4 / IPv6 addresses of HOST\n"
		"  --timeout S       each attempt, connect and TLS handshake, within S seconds (10)\n"
		"  --sni NAME        server_name to send (HOST when it is a name; none for an address)\n"
		"  --alpn LIST       ALPN protocols, comma-separated (h2,http/1.1)\n"
		"  --tls1.2, --tls1.3  only that version\n"
		"  --ciphers LIST    TLS 1.3 suites (TLS_...) and TLS 1.2 cipher names, ':'-separated\n"
		"  --groups LIST     key exchange groups (X25519:P-256)\n"
		"  --cafile FILE     trust these CAs instead of the system's store\n"
		"  --no-verify       do not check the server's certificate (the handshake goes on)\n"
		"  --no-tls          the TCP handshake only\n"
		"  --large-hello     a second attempt whose ClientHello is padded past 1,500 bytes (two\n"
		"                    segments, as post-quantum key shares make it): is it black-holed?\n"
		"  --count N         N attempts (at most %d), --interval S seconds apart (1): a table\n"
		"  -w FILE           keep the capture (mode 0600)\n"
		"  --keylog FILE     keep the session keys (NSS key log format, mode 0600)\n"
		"  -i IFACE          capture on IFACE instead of the route's interface\n"
		"  --json            NDJSON: the analysis's objects, then one {\"type\":\"probe\"}\n"
		"  -v, -q, --color[=WHEN]  as for the analysis\n"
		"Nothing is sent but the connection asked for. Capturing needs root or CAP_NET_RAW; without\n"
		"it the probe reports the client's view only. Exit status: 0 every handshake completed,\n"
		"1 one did not, 2 a usage or setup error.\n",
		PROBE_MAX_COUNT);
}

/* A number of seconds > 0 and at most a day. */
static int seconds_arg(const char *opt, const char *arg, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || !(v > 0) || v > 86400) {
		cli_error("%s %s: seconds, more than 0 and at most 86400", opt, arg);
		return 0;
	}
	*out = v;
	return 1;
}

static int probe_opt(struct probe_cli *p, int ch, const char *arg)
{
	char *end;
	unsigned long n;

	switch (ch) {
	case '4': p->family = AF_INET; return 1;
	case '6': p->family = AF_INET6; return 1;
	case 'i': p->iface = arg; return 1;
	case 'w': p->write_to = arg; return 1;
	case 'v': p->an.rep.verbose = 1; return 1;
	case 'q': p->an.rep.quiet = 1; return 1;
	case OPT_SNI: p->tls.sni = arg; return 1;
	case OPT_ALPN: p->tls.alpn = arg; return 1;
	case OPT_TLS12: p->tls.version = 0x0303; return 1;
	case OPT_TLS13: p->tls.version = 0x0304; return 1;
	case OPT_CIPHERS: p->tls.ciphers = arg; return 1;
	case OPT_GROUPS: p->tls.groups = arg; return 1;
	case OPT_CAFILE: p->tls.cafile = arg; return 1;
	case OPT_NO_VERIFY: p->tls.no_verify = 1; return 1;
	case OPT_NO_TLS: p->tls.no_tls = 1; return 1;
	case OPT_LARGE: p->large = 1; return 1;
	case OPT_KEYLOG: p->keylog_out = arg; return 1;
	case OPT_JSON: p->an.rep.json = 1; return 1;
	case OPT_TIMEOUT: return seconds_arg("--timeout", arg, &p->timeout) ? 1 : -1;
	case OPT_INTERVAL: return seconds_arg("--interval", arg, &p->interval) ? 1 : -1;
	case OPT_COUNT:
		n = strtoul(arg, &end, 10);
		if (*arg < '1' || *arg > '9' || *end != '\0' || n > PROBE_MAX_COUNT) {
			cli_error("--count %s: a number from 1 to %d", arg, PROBE_MAX_COUNT);
			return -1;
		}
		p->count = (unsigned)n;
		return 1;
	case OPT_COLOR:
		if (arg == NULL || strcmp(arg, "always") == 0)
			p->an.rep.color = 1;
		else if (strcmp(arg, "never") == 0)
			p->an.rep.color = 0;
		else if (strcmp(arg, "auto") == 0)
			p->an.rep.color = isatty(STDOUT_FILENO);
		else {
			cli_error("--color %s: always, never or auto", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

/* The BPF filter for exactly these attempts: the two addresses, the server's port, our ports. */
static int make_filter(const struct run *r, char *buf, size_t n)
{
	char d[PROBE_ADDRLEN], s[PROBE_ADDRLEN];
	size_t len;

	len = (size_t)snprintf(buf, n, "tcp and host %s and host %s and port %u and (", probe_addr_text(&r->dst, d),
			       probe_addr_text(&r->src, s), (unsigned)probe_addr_port(&r->dst));
	for (unsigned i = 0; i < r->n && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%sport %u", i ? " or " : "", (unsigned)r->at[i].sport);
	if (len < n)
		len += (size_t)snprintf(buf + len, n - len, ")");
	return len < n;
}

static void got_packet(void *ctx, struct packet *pk)
{
	struct run *r = ctx;

	pk->keep = 1;
	analysis_packet(r->an, pk, r->linktype);
}

/* A capture error that only lack of privilege explains (then the probe goes on without it). */
static int permission_error(const char *err)
{
	return strstr(err, "ermission") != NULL || strstr(err, "not permitted") != NULL;
}

/* Open the live capture on the route's interface; no capture, said why, when not permitted. */
static int open_capture(struct run *r)
{
	struct source_opts so;
	char filter[4096], err[SOURCE_ERRLEN];

	memset(&so, 0, sizeof(so));
	if (!make_filter(r, filter, sizeof(filter))) {
		cli_error("probe: the capture filter is too long");
		return 0;
	}
	so.iface = r->p->iface != NULL ? r->p->iface : r->ifname;
	so.filter = filter;
	so.icmp_errors = 1;
	memset(&r->c, 0, sizeof(r->c));
	if (!capture_open(&r->c, &so, r->p->write_to, err)) {
		if (!permission_error(err) || r->p->write_to != NULL) {
			cli_error("%s", err);
			return 0;
		}
		snprintf(r->no_capture, sizeof(r->no_capture),
			 "no packet view: capturing on %.64s needs root or CAP_NET_RAW (%.400s)", so.iface, err);
		return 1;
	}
	if (!privs_drop(NULL, r->p->write_to != NULL, err)) {
		cli_error("%s", err);
		capture_close(&r->c, 0, err);
		return 0;
	}
	r->capturing = 1;
	r->linktype = source_linktype(r->c.src);
	r->c.packet = got_packet;
	r->c.ctx = r;
	return 1;
}

/* Read what the capture holds now; with wait_ms, go on until it has been quiet that long. */
static void pump(struct run *r, int wait_ms)
{
	struct timespec t0, t;
	int fd;

	if (!r->capturing)
		return;
	fd = capture_fd(&r->c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		uint64_t before = r->c.packets;
		int end = capture_pump(&r->c);
		long elapsed;
		if (end != CAPTURE_AGAIN || wait_ms == 0 || fd < 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		elapsed = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (elapsed >= PROBE_TAIL_MS)
			break;
		if (r->c.packets == before && poll(&pf, 1, wait_ms) == 0)
			break;
	}
}

/* Write the session keys (--keylog FILE): mode 0600, all or nothing. */
static int write_keys(const char *path, const struct run *r)
{
	char tmp[PATH_MAX];
	int fd, ok = 1;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		cli_error("--keylog %s: name too long", path);
		return 0;
	}
	fd = mkstemp(tmp);         /* mode 0600 */
	if (fd < 0) {
		cli_error("--keylog %s: %s", path, strerror(errno));
		return 0;
	}
	for (unsigned i = 0; i < r->n && ok; i++)
		ok = write(fd, r->at[i].r.keys, r->at[i].r.keys_len) == (ssize_t)r->at[i].r.keys_len;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		cli_error("--keylog %s: %s", path, strerror(errno));
		unlink(tmp);
		return 0;
	}
	return 1;
}

/* A duration in ms with 3 decimals, as JSON's rtt_ms. */
static void ms_value(struct tbuf *b, double ms)
{
	char v[32];

	snprintf(v, sizeof(v), "%.3f", ms < 0 ? 0 : ms);
	tb_str(b, v);
}

static void json_opt_str(struct tbuf *b, const char *s)
{
	if (s == NULL || s[0] == '\0')
		tb_lit(b, "null");
	else
		jb_str(b, s, strlen(s));
}

static void json_attempt(struct tbuf *b, const struct attempt *a)
{
	const struct probe_result *r = &a->r;

	tb_lit_u64(b, "{\"source_port\":", a->sport);
	tb_str(b, a->large ? ",\"large_hello\":true" : ",\"large_hello\":false");
	tb_lit_u64(b, ",\"client_hello_bytes\":", r->hello_len);
	tb_str(b, r->connected ? ",\"connected\":true" : ",\"connected\":false");
	tb_str(b, r->tls_ok ? ",\"ok\":true" : ",\"ok\":false");
	tb_str(b, r->timed_out ? ",\"timed_out\":true" : ",\"timed_out\":false");
	tb_lit(b, ",\"stage\":");
	json_opt_str(b, r->stage);
	tb_lit(b, ",\"error\":");
	json_opt_str(b, r->error);
	tb_lit(b, ",\"connect_ms\":");
	if (r->connected)
		ms_value(b, r->connect_ms);
	else
		tb_lit(b, "null");
	tb_lit(b, ",\"handshake_ms\":");
	if (r->connected && r->handshake_ms > 0)
		ms_value(b, r->handshake_ms);
	else
		tb_lit(b, "null");
	tb_lit(b, ",\"version\":");
	json_opt_str(b, r->version);
	tb_lit(b, ",\"cipher\":");
	json_opt_str(b, r->cipher);
	tb_lit(b, ",\"alpn\":");
	json_opt_str(b, r->alpn);
	if (r->verify_code < 0) {
		tb_lit(b, ",\"verify\":null}");
		return;
	}
	tb_lit_u64(b, ",\"verify\":{\"code\":", (uint64_t)r->verify_code);
	tb_lit(b, ",\"text\":");
	json_opt_str(b, r->verify_text);
	tb_lit(b, "}}");
}

static void json_probe(struct tbuf *b, const struct run *r, const struct probe_addrs *addrs)
{
	char a[PROBE_ADDRLEN];

	tb_lit(b, "{\"type\":\"probe\",\"host\":");
	jb_str(b, r->p->host, strlen(r->p->host));
	tb_lit_u64(b, ",\"port\":", r->p->port);
	tb_lit(b, ",\"addresses\":[");
	for (unsigned i = 0; i < addrs->n; i++) {
		if (i)
			tb_chr(b, ',');
		json_opt_str(b, probe_addr_text(&addrs->a[i], a));
	}
	tb_lit(b, "],\"address\":");
	json_opt_str(b, probe_addr_text(&r->dst, a));
	tb_lit(b, ",\"source\":");
	json_opt_str(b, probe_addr_text(&r->src, a));
	tb_lit(b, ",\"interface\":");
	json_opt_str(b, r->p->iface != NULL ? r->p->iface : r->ifname);
	tb_lit(b, ",\"sni\":");
	json_opt_str(b, r->p->tls.no_tls ? NULL : r->p->tls.sni);
	tb_str(b, r->capturing ? ",\"capture\":true" : ",\"capture\":false");
	tb_lit(b, ",\"capture_note\":");
	json_opt_str(b, r->no_capture);
	tb_lit(b, ",\"library\":");
	json_opt_str(b, probe_tls_library());
	tb_lit(b, ",\"attempts\":[");
	for (unsigned i = 0; i < r->n; i++) {
		if (i)
			tb_chr(b, ',');
		json_attempt(b, &r->at[i]);
	}
	tb_lit(b, "]}\n");
}

/* One attempt as the client saw it, in words. */
static void text_attempt(struct tbuf *b, const struct run *r, const struct attempt *a)
{
	const struct probe_result *x = &a->r;
	char line[640], dst[PROBE_ADDRLEN];

	snprintf(line, sizeof(line), "  port %u > %s.%u%s: ", (unsigned)a->sport, probe_addr_text(&r->dst, dst),
		 (unsigned)probe_addr_port(&r->dst), a->large ? " (large ClientHello)" : "");
	tb_str(b, line);
	if (!x->connected)
		snprintf(line, sizeof(line), "TCP connect failed: %s\n", x->error);
	else if (r->p->tls.no_tls)
		snprintf(line, sizeof(line), "TCP connected in %.1f ms\n", x->connect_ms);
	else if (x->tls_ok)
		snprintf(line, sizeof(line), "%s handshake completed in %.1f ms (TCP %.1f ms): %s%s%s, ClientHello %zu bytes\n",
			 x->version, x->handshake_ms, x->connect_ms, x->cipher, x->alpn[0] ? ", ALPN " : "", x->alpn,
			 x->hello_len);
	else if (strcmp(x->stage, "after") == 0)
		snprintf(line, sizeof(line), "TLS handshake completed in %.1f ms, then the server ended it "
			 "(ClientHello %zu bytes): %s\n", x->handshake_ms, x->hello_len, x->error);
	else
		snprintf(line, sizeof(line), "TLS handshake failed after %.1f ms (TCP %.1f ms, ClientHello %zu bytes): %s\n",
			 x->handshake_ms, x->connect_ms, x->hello_len, x->error);
	tb_str(b, line);
	if (x->verify_code >= 0) {
		snprintf(line, sizeof(line), "    certificate: %s%s\n", x->verify_code == 0 ? "verified" : x->verify_text,
			 r->p->tls.no_verify && x->verify_code != 0 ? " (not enforced: --no-verify)" : "");
		tb_str(b, line);
	}
}

/* --large-hello: what the pair of attempts says about the path. */
static void text_large(struct tbuf *b, const struct run *r)
{
	unsigned small_ok = 0, small = 0, large_ok = 0, large = 0, large_silent = 0;

	for (unsigned i = 0; i < r->n; i++) {
		const struct attempt *a = &r->at[i];
		if (a->large) {
			large++;
			large_ok += a->r.tls_ok;
			large_silent += a->r.connected && a->r.timed_out;
		} else {
			small++;
			small_ok += a->r.tls_ok;
		}
	}
	if (small_ok == small && large_ok < large && large_silent > 0)
		tb_lit(b, "  large ClientHello: black-holed: the small one was answered, the large one (two\n"
			  "  segments) never was. A path MTU black hole or a middlebox dropping large segments;\n"
			  "  the evidence above shows which segments left and what came back.\n");
	else if (small_ok == small && large_ok < large)
		tb_lit(b, "  large ClientHello: refused while the small one worked: see its verdict above.\n");
	else if (small_ok == small)
		tb_lit(b, "  large ClientHello: answered as the small one was: the path carries two-segment hellos.\n");
	else
		tb_lit(b, "  large ClientHello: the small one failed too: the size is not what fails.\n");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* --count: the outcomes counted, and the handshake times of those that completed. */
static void text_counts(struct tbuf *b, const struct run *r)
{
	double t[2 * PROBE_MAX_COUNT];
	unsigned ok = 0;
	char line[256];
	size_t len;

	for (unsigned i = 0; i < r->n; i++)
		if (r->at[i].r.tls_ok)
			t[ok++] = r->p->tls.no_tls ? r->at[i].r.connect_ms : r->at[i].r.handshake_ms;
	len = (size_t)snprintf(line, sizeof(line), "  %u attempts: %u completed, %u failed", r->n, ok, r->n - ok);
	if (ok != 0) {
		qsort(t, ok, sizeof(t[0]), cmp_double);
		snprintf(line + len, sizeof(line) - len, "; %s ms min %.1f, median %.1f, max %.1f",
			 r->p->tls.no_tls ? "connect" : "handshake", t[0], t[ok / 2], t[ok - 1]);
	}
	tb_str(b, line);
	tb_chr(b, '\n');
}

static void text_client(struct tbuf *b, const struct run *r)
{
	char line[1200];

	snprintf(line, sizeof(line), "\nclient (%s)%s:\n", probe_tls_library(), r->p->tls.no_tls ? ", TCP only" : "");
	tb_str(b, line);
	for (unsigned i = 0; i < r->n; i++)
		text_attempt(b, r, &r->at[i]);
	if (r->p->large)
		text_large(b, r);
	if (r->p->count > 1)
		text_counts(b, r);
	if (r->no_capture[0] != '\0') {
		snprintf(line, sizeof(line), "  (%s)\n", r->no_capture);
		tb_str(b, line);
	}
}

static void text_header(struct tbuf *b, const struct run *r, const struct probe_addrs *addrs)
{
	char line[512], a[PROBE_ADDRLEN], s[PROBE_ADDRLEN];
	size_t len;

	len = (size_t)snprintf(line, sizeof(line), "probe: %s", r->p->host);
	if (!probe_is_literal(r->p->host)) {
		len += (size_t)snprintf(line + len, sizeof(line) - len, " is %s", probe_addr_text(&addrs->a[0], a));
		for (unsigned i = 1; i < addrs->n && i < 4 && len < sizeof(line); i++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, ", %s", probe_addr_text(&addrs->a[i], a));
		if (addrs->n > 4 && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, " (and %u more)", addrs->n - 4);
		if (len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, ";");
	}
	if (len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, " trying %s port %u from %s on %s\n", probe_addr_text(&r->dst, a),
			 (unsigned)r->p->port, probe_addr_text(&r->src, s),
			 r->p->iface != NULL ? r->p->iface : r->ifname);
	tb_str(b, line);
}

/* Sleep s seconds, or until a signal stops the probe. */
static void nap(double s)
{
	struct timespec t = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&t, &t) != 0 && errno == EINTR && !cli_stopped())
		;
}

/* Every attempt, each one's packets read once its keys are known. */
static void attempts(struct run *r, struct keylog *kl)
{
	char err[PROBE_ERRLEN];

	for (unsigned i = 0; i < r->n && !cli_stopped(); i++) {
		struct probe_tls_opts o = r->p->tls;
		struct attempt *a = &r->at[i];
		if (i > 0 && (!r->p->large || (i % 2) == 0))
			nap(r->p->interval);
		o.pad = a->large ? PROBE_LARGE_PAD : 0;
		if (!probe_attempt(a->fd, &r->dst, &o, r->p->timeout, &a->r, err)) {
			snprintf(a->r.stage, sizeof(a->r.stage), "setup");
			snprintf(a->r.error, sizeof(a->r.error), "%.200s", err);
		}
		a->fd = -1;
		if (kl != NULL && a->r.keys_len != 0)
			keylog_feed(kl, a->r.keys, a->r.keys_len);
		pump(r, 0);
	}
	pump(r, PROBE_QUIET_MS);
}

static void close_attempts(struct run *r)
{
	for (unsigned i = 0; i < r->n; i++)
		if (r->at[i].fd >= 0)
			close(r->at[i].fd);
}

/* The sockets, each bound to the route's source and a port of its own, before the capture opens. */
static int bind_attempts(struct run *r)
{
	char err[PROBE_ERRLEN];
	unsigned per = r->p->large ? 2 : 1;

	r->n = r->p->count * per;
	r->at = calloc(r->n, sizeof(*r->at));
	if (r->at == NULL) {
		cli_error("out of memory");
		return 0;
	}
	for (unsigned i = 0; i < r->n; i++)
		r->at[i].fd = -1;
	for (unsigned i = 0; i < r->n; i++) {
		r->at[i].large = r->p->large && i % per == 1;
		if (!probe_socket(&r->src, &r->at[i].fd, &r->at[i].sport, err)) {
			cli_error("probe: %s", err);
			close_attempts(r);
			return 0;
		}
	}
	return 1;
}

/* The analysis of the captured attempts, with the client's own session keys. */
static int start_analysis(struct run *r, struct keylog **kl)
{
	struct analysis_opts *o = &r->p->an;

	*kl = NULL;
	if (!r->capturing)
		return 1;
	*kl = keylog_new(NULL);
	if (*kl == NULL) {
		cli_error("out of memory");
		return 0;
	}
	o->keylog = *kl;
	o->capture_point = analysis_capture_point("client");
	o->rep.nano = source_nano(r->c.src);
	o->flush_each = 1;
	o->idle = 60;
	o->max_flows = 1024;
	o->memory_limit = 64u << 20;
	r->an = analysis_new(o, stdout);
	if (r->an == NULL) {
		cli_error("out of memory");
		keylog_close(*kl);
		*kl = NULL;
		return 0;
	}
	return 1;
}

static int run(struct probe_cli *p)
{
	struct probe_addrs addrs;
	struct run r;
	struct keylog *kl = NULL;
	struct tbuf b;
	char err[SOURCE_ERRLEN];
	const struct report_stats *st = NULL;
	int status = EXIT_OK;

	memset(&r, 0, sizeof(r));
	r.p = p;
	if (!probe_resolve(p->host, p->port, p->family, &addrs, err) ||
	    !probe_route(&addrs.a[0], &r.src, r.ifname, sizeof(r.ifname), err)) {
		cli_error("probe: %s", err);
		return EXIT_USAGE;
	}
	r.dst = addrs.a[0];
	if (p->tls.sni == NULL && !probe_is_literal(p->host))
		p->tls.sni = p->host;
	p->tls.verify_name = p->tls.sni != NULL ? p->tls.sni : p->host;
	if (!bind_attempts(&r))
		return EXIT_USAGE;
	if (!open_capture(&r) || !start_analysis(&r, &kl)) {
		close_attempts(&r);
		if (r.capturing)
			capture_close(&r.c, 0, err);
		free(r.at);
		return EXIT_USAGE;
	}
	if (r.capturing)
		cli_stop_signals(r.c.src, 0);
	signal(SIGPIPE, SIG_IGN);       /* a reset socket is an outcome, not a reason to die */
	tb_init(&b, 1u << 20);
	if (!p->an.rep.json) {
		text_header(&b, &r, &addrs);
		tb_flush(&b, stdout);
		fflush(stdout);
	}
	if (r.no_capture[0] != '\0')
		cli_warn("%s", r.no_capture);
	attempts(&r, kl);
	close_attempts(&r);
	if (r.an != NULL) {
		st = analysis_finish(r.an, 0);
		/* the packets' verdict counts as much as the client's: either failing is a failure */
		status = st->oom ? EXIT_USAGE : st->failed != 0 || st->incomplete ? EXIT_FAILED : EXIT_OK;
	}
	if (p->an.rep.json)
		json_probe(&b, &r, &addrs);
	else
		text_client(&b, &r);
	tb_flush(&b, stdout);
	tb_free(&b);
	for (unsigned i = 0; i < r.n && status == EXIT_OK; i++)
		if (!r.at[i].r.tls_ok)
			status = EXIT_FAILED;
	if (fflush(stdout) != 0 && errno != EPIPE) {
		cli_error("stdout: write failed: %s", strerror(errno));
		status = EXIT_USAGE;
	}
	if (p->keylog_out != NULL && !write_keys(p->keylog_out, &r))
		status = EXIT_USAGE;
	if (r.an != NULL)
		analysis_free(r.an);
	keylog_close(kl);
	if (r.capturing && !capture_close(&r.c, 1, err)) {
		cli_error("%s", err);
		status = EXIT_USAGE;
	}
	free(r.at);
	return status;
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "sni", required_argument, NULL, OPT_SNI },
		{ "alpn", required_argument, NULL, OPT_ALPN },
		{ "tls1.2", no_argument, NULL, OPT_TLS12 },
		{ "tls1.3", no_argument, NULL, OPT_TLS13 },
		{ "ciphers", required_argument, NULL, OPT_CIPHERS },
		{ "groups", required_argument, NULL, OPT_GROUPS },
		{ "cafile", required_argument, NULL, OPT_CAFILE },
		{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
		{ "no-tls", no_argument, NULL, OPT_NO_TLS },
		{ "large-hello", no_argument, NULL, OPT_LARGE },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "keylog", required_argument, NULL, OPT_KEYLOG },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ NULL, 0, NULL, 0 },
	};
	static const char shortopts[] = "46i:w:vqh";
	struct probe_cli p;
	char err[PROBE_ERRLEN];
	int ch, status;

	memset(&p, 0, sizeof(p));
	p.family = AF_UNSPEC;
	p.timeout = 10;
	p.interval = 1;
	p.count = 1;
	p.an.rep.examples = REPORT_DEFAULT_EXAMPLES;
	p.an.rep.color = isatty(STDOUT_FILENO) && (getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0');
	setlocale(LC_CTYPE, "");
	p.an.rep.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (ch == 'h') {
			cmd_probe_usage(stdout);
			return EXIT_OK;
		}
		int r = ch == '?' ? 0 : probe_opt(&p, ch, optarg);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0) {
			cli_bad_option(argv[optind - 1], shortopts);
			cli_usage_hint("probe");
			return EXIT_USAGE;
		}
	}
	if (p.an.rep.json)
		p.an.rep.color = 0;
	if (argc - optind != 1) {
		cli_error(argc - optind == 0 ? "probe: which HOST[:PORT]?" : "probe: one HOST[:PORT] only");
		cli_usage_hint("probe");
		return EXIT_USAGE;
	}
	if (p.tls.no_tls && (p.large || p.tls.sni || p.tls.alpn || p.tls.version || p.tls.ciphers || p.tls.groups ||
			     p.keylog_out)) {
		cli_error("probe: --no-tls makes no TLS handshake: drop the TLS options");
		return EXIT_USAGE;
	}
	if (!probe_target(argv[optind], p.host, sizeof(p.host), &p.port, err)) {
		cli_error("probe: %s", err);
		return EXIT_USAGE;
	}
	status = run(&p);
	return status;
}
