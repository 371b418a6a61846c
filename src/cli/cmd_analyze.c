/* cmd_analyze.c: `synack [OPTIONS] [EXPRESSION]`, a verdict for every TCP connection attempt. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "analysis.h"
#include "bounds.h"
#include "keylog.h"
#include "tls.h"

static const char usage[] =
	"usage: synack [-v] [-q] [--json] [--examples N | --all] [-S] [-c COUNT] [-s SNAPLEN]\n"
	"              [-w FILE] [-p] [-G SECONDS] [--packets] [--color=auto|always|never]\n"
	"              [--idle-timeout SECONDS] [--close-delay SECONDS]\n"
	"              [--capture-point client|server|middle]\n"
	"              [--max-flows N] [--memory-limit SIZE] [-F FILE] (-r FILE | -i INTERFACE)\n"
	"              [EXPRESSION]\n"
	"\n"
	"For every TCP connection attempt: did the three-way handshake complete at this\n"
	"capture point, and if not, what the packets prove instead. Exit status 0 when\n"
	"every handshake completed, 1 when one did not, 2 on a usage or input error.\n"
	"\n"
	"  -r FILE            read a pcap or pcapng file ('-' for stdin)\n"
	"  -i IFACE           capture live on IFACE (verdicts print as connections end)\n"
	"  -c COUNT           stop after COUNT packets\n"
	"  -s SNAPLEN         bytes to capture per packet, live (default 262144)\n"
	"  -w FILE            also save the packets read (pcap, mode 0600)\n"
		"  -S                 absolute TCP sequence numbers in evidence lines\n"
	"  -e                 the link-level header in evidence lines, as tcpdump -e\n"
	"  -n, -nn            accepted; output is always numeric\n"
	"  -p                 do not put the interface in promiscuous mode\n"
	"  -v                 every packet of each connection as evidence, and the\n"
	"                     explanation of healthy connections too\n"
	"  -q                 only the triage table (no connection blocks)\n"
	"  --examples N       full blocks for the first N connections of each group of\n"
	"                     verdict, server and SNI (default 3); the rest are counted\n"
	"  --all              a full block for every connection\n"
	"  --json             NDJSON: one object per connection (lean when healthy, unless\n"
	"                     -v), one per triage group, then a summary\n"
	"  --packets          also print every packet as it is read\n"
	"  --color=WHEN       auto (a terminal), always or never\n"
	"  --close-delay S    wait S seconds (capture time) after a connection ends before its\n"
	"                     report, as Zeek does (5 for Zeek's history); default 0: at once\n"
	"  --capture-point P  where the capture was taken: client, server or middle (default:\n"
	"                     judged from the TTLs); the explanations and next steps follow it\n"
	"  --idle-timeout S   report a connection idle this long, in capture time (default 60)\n"
	"  --max-flows N      connections tracked at once (default 1048576); the oldest idle\n"
	"                     one is reported when the table is full\n"
	"  --memory-limit SIZE  memory for connection state (e.g. 512M, 2G; default a quarter\n"
	"                     of the machine's); past it the largest connections are reported\n"
	"                     early\n"
	"  -F FILE            the filter expression is FILE's text ('#' starts a comment);\n"
	"                     an EXPRESSION given as well is ignored, as tcpdump does\n"
	"  EXPRESSION         a BPF filter, as tcpdump takes it; ICMP errors quoting a\n"
	"                     connection it passes are kept too\n";

enum { OPT_JSON = 0x200, OPT_PACKETS, OPT_COLOR, OPT_IDLE, OPT_MAXFLOWS, OPT_MEMLIMIT, OPT_EXAMPLES, OPT_ALL,
       OPT_CAPTURE_POINT, OPT_CLOSE_DELAY, OPT_KEYLOG_TMP };

struct analyze {
	struct capture_opts cap;
	struct analysis_opts an;
	int argc;                  /* the arguments, for an option whose value may follow it */
	char **argv;
};

/* What the per-packet callback needs. */
struct analyze_run {
	struct analysis *an;
	int linktype;
};

static void analyze_packet(void *ctx, struct packet *p)
{
	struct analyze_run *r = ctx;

	analysis_packet(r->an, p, r->linktype);
}

/* Live and quiet: conclude what has been idle long enough by the clock. */
static void analyze_idle(void *ctx, int64_t now_ns)
{
	struct analyze_run *r = ctx;

	analysis_tick(r->an, now_ns);
}

/* Open the capture and the analysis; stdout and the signals set up. EXIT_OK, or the status to exit with. */
static int start(struct analyze *a, struct capture *c, struct analyze_run *r)
{
	char err[SOURCE_ERRLEN];

	if (a->cap.write_to != NULL && strcmp(a->cap.write_to, "-") == 0) {
		cli_error("-w -: the report goes to stdout, so the capture cannot");
		return EXIT_USAGE;
	}
	/* ICMP errors about the connections the filter passes are evidence about them */
	a->cap.src.icmp_errors = 1;
	if (!cli_capture_open(c, &a->cap))
		return EXIT_USAGE;
	if (source_warning(c->src) != NULL)
		cli_warn("%s", source_warning(c->src));
	a->an.rep.nano = source_nano(c->src);
	a->an.rep.text_nano = a->cap.src.nano;
	a->an.absolute_seq = a->cap.absolute_seq;
	a->an.print_flags = cli_print_flags(&a->cap);
	a->an.tmode = a->cap.tmode;
	a->an.flush_each = a->cap.src.iface != NULL;
	a->an.batch = !a->cap.line_buffered && a->cap.src.iface == NULL;
	r->an = analysis_new(&a->an, stdout);
	if (r->an == NULL) {
		cli_error("out of memory");
		capture_close(c, 0, err);
		return EXIT_USAGE;
	}
	r->linktype = source_linktype(c->src);
	c->packet = analyze_packet;
	c->idle = analyze_idle;
	c->ctx = r;
	c->count = a->cap.count;
	cli_stdout_setup(&a->cap);
	/* Batched reports are written from our own buffer, 64 KiB at a time: stdio's
	 * would only copy them first (the summary's few lines need none either). */
	if (a->an.batch)
		setvbuf(stdout, NULL, _IONBF, 0);
	cli_stop_signals(c->src, a->cap.write_to != NULL ? 0 : a->cap.seconds);
	return EXIT_OK;
}

/*
 * The reader went away (| head), during the packets or the final reports:
 * what is pending goes unreported, for nobody would read it. Quietly 0, as
 * print does, or 2 with -w (the capture is thrown away).
 */
static int output_gone(struct analyze *a, struct capture *c, struct analysis *an, int read_ok)
{
	char err[SOURCE_ERRLEN];
	int status;

	analysis_discard(an);
	analysis_free(an);
	status = cli_stdout_finish(&a->cap) && read_ok ? EXIT_OK : EXIT_USAGE;
	if (!capture_close(c, 0, err)) {
		cli_error("%s", err);
		status = EXIT_USAGE;
	}
	return status;
}

/*
 * Packets, but no TCP connection: a filter that passes none, an encapsulation
 * synack does not read, a capture of something else. Not a success (1), and
 * stderr says what was seen instead.
 */
static int nothing_analyzed(const struct analyze *a, const struct capture *c, const struct analysis *an,
			    const struct report_stats *st)
{
	char kinds[256];
	unsigned long long read = (unsigned long long)source_frames(c->src);

	if (st->packets == 0) {
		cli_error("no TCP connection: none of the %llu packet%s read passed the filter '%s'", read,
			  read == 1 ? "" : "s", a->cap.src.filter != NULL ? a->cap.src.filter : "");
		return EXIT_FAILED;
	}
	analysis_kinds(an, kinds, sizeof(kinds));
	cli_error("no TCP connection in the %llu packet%s analyzed: %s", (unsigned long long)st->packets,
		  st->packets == 1 ? "" : "s", kinds);
	return EXIT_FAILED;
}

static int run(struct analyze *a)
{
	char err[SOURCE_ERRLEN];
	struct capture c;
	struct analyze_run r;
	const struct report_stats *st = NULL;
	struct timespec t0, t1;
	int status, read_ok, out_ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = start(a, &c, &r);
	if (status != EXIT_OK)
		return status;
	capture_run(&c);
	read_ok = cli_read_end(&c);
	if (!cli_output_gone()) {
		bounds.ts_clamped = source_clamped(c.src);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		st = analysis_finish(r.an, (double)(t1.tv_sec - t0.tv_sec) +
					   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	if (cli_output_gone())
		return output_gone(a, &c, r.an, read_ok);
	/* out of memory: the results are incomplete, an error; a bound that let
	 * connections go early: not every handshake was seen to its end */
	status = st->oom ? EXIT_USAGE : st->failed || st->incomplete ? EXIT_FAILED : EXIT_OK;
	if (st->connections == 0 && source_frames(c.src) > 0 && status == EXIT_OK)
		status = nothing_analyzed(a, &c, r.an, st);
	analysis_free(r.an);
	out_ok = cli_stdout_finish(&a->cap);
	if (!out_ok || !read_ok)
		status = EXIT_USAGE;
	/* the capture is kept unless its input was bad or the output failed */
	if (!capture_close(&c, read_ok && out_ok, err)) {
		cli_error("%s", err);
		status = EXIT_USAGE;
	}
	return status;
}

/* The cgroup's memory limit (v2, then v1), or 0 if none is set. */
static uint64_t cgroup_limit(void)
{
	static const char *const files[] = { "/sys/fs/cgroup/memory.max",
					     "/sys/fs/cgroup/memory/memory.limit_in_bytes" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "r");
		unsigned long long v;
		int n;
		if (f == NULL)
			continue;
		n = fscanf(f, "%llu", &v);
		fclose(f);
		if (n == 1 && v > 0 && v < (1ull << 60))
			return v;
	}
	return 0;
}

/* The default memory budget: a quarter of the machine's memory (or of its cgroup's limit). */
static uint64_t default_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	uint64_t mem = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0, cg = cgroup_limit();

	if (cg != 0 && (mem == 0 || cg < mem))
		mem = cg;
	return mem != 0 ? mem / 4 : (uint64_t)1 << 30;
}

/* A size in bytes, with an optional K, M, G or T (powers of 1024); at least 1 MiB. */
static int parse_size(const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*arg < '0' || *arg > '9')
		return 0;
	v = strtoull(arg, &end, 10);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v > (UINT64_MAX >> shift) || (v << shift) < (1u << 20))
		return 0;
	*out = v << shift;
	return 1;
}

static int analyze_opt(struct analyze *a, int ch, const char *arg)
{
	char *end;

	switch (ch) {
	case 'v': a->an.rep.verbose = 1; return 1;
	case 'q': a->an.rep.quiet = 1; return 1;
	case OPT_ALL: a->an.rep.examples = REPORT_ALL_EXAMPLES; return 1;
	case OPT_EXAMPLES: {
		unsigned long long n = strtoull(arg, &end, 10);
		if (*arg == '\0' || *arg == '-' || *end != '\0' || n > 1000000) {
			cli_error("--examples: invalid number '%s' (0 to 1000000)", arg);
			return -1;
		}
		a->an.rep.examples = (unsigned)n;
		return 1;
	}
	case OPT_CLOSE_DELAY:
		a->an.close_delay = strtod(arg, &end);
		/* none to an hour; nan fails both comparisons */
		if (*arg == '\0' || *end != '\0' || !(a->an.close_delay >= 0) || !(a->an.close_delay <= 3600)) {
			cli_error("--close-delay: invalid number of seconds '%s' (0 to 3600)", arg);
			return -1;
		}
		return 1;
	case OPT_CAPTURE_POINT:
		a->an.capture_point = analysis_capture_point(arg);
		if (a->an.capture_point < -1) {
			cli_error("--capture-point: expected client, server or middle, not '%s'", arg);
			return -1;
		}
		return 1;
	case OPT_JSON: a->an.rep.json = 1; return 1;
	case OPT_PACKETS: a->an.packets = 1; return 1;
	case OPT_COLOR:
		/* "--color never", as well as "--color=never": the word after it, when it is one */
		if (arg == NULL && optind < a->argc && (strcmp(a->argv[optind], "auto") == 0 ||
							 strcmp(a->argv[optind], "always") == 0 ||
							 strcmp(a->argv[optind], "never") == 0))
			arg = a->argv[optind++];
		if (arg == NULL || strcmp(arg, "always") == 0)
			a->an.rep.color = 1;
		else if (strcmp(arg, "never") == 0)
			a->an.rep.color = 0;
		else if (strcmp(arg, "auto") == 0)
			a->an.rep.color = isatty(STDOUT_FILENO);
		else {
			cli_error("--color: expected auto, always or never, not '%s'", arg);
			return -1;
		}
		return 1;
	case OPT_IDLE:
		a->an.idle = strtod(arg, &end);
		/* a millisecond to a year; nan fails both comparisons */
		if (*arg == '\0' || *end != '\0' || !(a->an.idle >= 0.001) || !(a->an.idle <= 86400 * 365)) {
			cli_error("--idle-timeout: invalid number of seconds '%s' (0.001 to 31536000)", arg);
			return -1;
		}
		return 1;
	case OPT_MEMLIMIT:
		if (!parse_size(arg, &a->an.memory_limit)) {
			cli_error("--memory-limit: invalid size '%s' (a number of bytes, or with K, M or G; "
				  "at least 1M)", arg);
			return -1;
		}
		return 1;
	case OPT_MAXFLOWS:
		a->an.max_flows = strtoull(arg, &end, 10);
		if (*arg == '\0' || *arg == '-' || *end != '\0' || a->an.max_flows == 0 ||
		    a->an.max_flows > 100000000) {
			cli_error("--max-flows: invalid number '%s'", arg);
			return -1;
		}
		return 1;
	}
	return cli_capture_opt(&a->cap, ch, arg);
}

void cmd_analyze_usage(FILE *f)
{
	fputs(usage, f);
	fputc('\n', f);
	fputs(cli_capture_usage, f);
}

int cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "packets", no_argument, NULL, OPT_PACKETS },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "idle-timeout", required_argument, NULL, OPT_IDLE },
		{ "max-flows", required_argument, NULL, OPT_MAXFLOWS },
		{ "memory-limit", required_argument, NULL, OPT_MEMLIMIT },
		{ "examples", required_argument, NULL, OPT_EXAMPLES },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "capture-point", required_argument, NULL, OPT_CAPTURE_POINT },
		{ "close-delay", required_argument, NULL, OPT_CLOSE_DELAY },
		/* TEMPORARY (branch tlsdec): a minimal --keylog for the decryption tests until the
		 * real option (loading, refresh, DSBs, messages, counters) lands: drop this for it. */
		{ "keylog", required_argument, NULL, OPT_KEYLOG_TMP },
		CLI_CAPTURE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct analyze a;
	int ch, status;

	memset(&a, 0, sizeof(a));
	a.cap.src.promisc = 1;
	a.an.idle = 60;
	a.an.max_flows = 1048576;
	a.an.capture_point = -1;
	a.an.rep.examples = REPORT_DEFAULT_EXAMPLES;
	/* NO_COLOR (no-color.org): set and not empty, no color unless --color asks for it */
	a.an.rep.color = isatty(STDOUT_FILENO) && (getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0');
	a.argc = argc;
	a.argv = argv;
	setlocale(LC_CTYPE, "");
	a.an.rep.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, CLI_CAPTURE_SHORTOPTS "vqh", longopts, NULL)) != -1) {
		if (ch == 'h') {
			cmd_analyze_usage(stdout);
			return EXIT_OK;
		}
		if (ch == OPT_KEYLOG_TMP) {    /* TEMPORARY (branch tlsdec): see longopts */
			char err[KEYLOG_ERR_LEN];
			struct keylog *kl = keylog_open(optarg, 0, NULL, err);
			if (kl == NULL) {
				fprintf(stderr, "synack: %s\n", err);
				return EXIT_USAGE;
			}
			tls_use_keylog(kl);    /* (never closed: the process ends with the analysis) */
			continue;
		}
		int r = ch == '?' ? 0 : analyze_opt(&a, ch, optarg);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0) {
			cli_bad_option(argv[optind - 1], CLI_CAPTURE_SHORTOPTS "vh");
			cli_usage_hint(NULL);
			return EXIT_USAGE;
		}
	}
	if (a.an.rep.json)
		a.an.rep.color = 0;
	if (a.an.memory_limit == 0)
		a.an.memory_limit = default_budget();
	if (!cli_capture_finish(&a.cap, argc - optind, argv + optind)) {
		cli_capture_free(&a.cap);
		return EXIT_USAGE;
	}
	status = a.cap.list_ifaces ? cli_list_interfaces() : run(&a);
	cli_capture_free(&a.cap);
	return status;
}
