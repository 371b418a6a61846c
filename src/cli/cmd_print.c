/* cmd_print.c: `synack print`, one tcpdump-compatible line per packet. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "print.h"

static const char usage[] =
	"usage: synack print [-Se] [-v] [-x|-xx|-X|-XX|-A|-AA] [-c COUNT] [-s SNAPLEN] [-w FILE [--print]] [-p] [-G SECONDS]\n"
	"                    [-F FILE] (-r FILE | -i INTERFACE) [EXPRESSION]\n"
	"\n"
	"Print one line per packet, byte for byte tcpdump 4.99 -nn's for TCP, UDP, ICMP,\n"
	"ICMPv6 and ARP, up to where tcpdump goes on into an application protocol\n"
	"(after 'length N', or after the ports of a UDP port it decodes); other packets\n"
	"get a short line of our own.\n"
	"\n"
	"  -r FILE      read a pcap or pcapng file ('-' for stdin)\n"
	"  -i IFACE     capture live on IFACE\n"
	"  -c COUNT     stop after COUNT packets\n"
	"  -s SNAPLEN   bytes to capture per packet, live (default 262144)\n"
	"  -w FILE      write the packets read to FILE (pcap, mode 0600) instead of printing\n"
	"  --print      with -w, print the lines as well\n"
		"  -S           absolute TCP sequence numbers\n"
	"  -e           print the link-level header (and a tunnel's inner one), as tcpdump -e\n"
	"  -v           tcpdump -v's fields: the IP header's, checksums verified\n"
	"  -x, -xx      each packet in hex after its line, from the network layer (-x)\n"
	"               or from the link-layer header (-xx), as tcpdump\n"
	"  -X, -XX      the same in hex and ASCII\n"
	"  -A, -AA      the same in ASCII only\n"
	"  -n, -nn      accepted; output is always numeric\n"
	"  -l           line-buffered output\n"
	"  -p           do not put the interface in promiscuous mode\n"
	"  -F FILE      the filter expression is FILE's text ('#' to the end of a line is a\n"
	"               comment); an EXPRESSION given as well is ignored, as tcpdump does\n"
	"  EXPRESSION   a BPF filter, as tcpdump takes it\n";

/* What the per-packet callback needs. */
struct print_run {
	struct printer *pr;
	int linktype;
	char *linebuf;             /* PRINT_LINE_MAX: a line may hold a hex dump */
};

static void print_packet(void *ctx, struct packet *p)
{
	struct print_run *r = ctx;
	struct line l;

	decode_packet(p, r->linktype);
	ln_init(&l, r->linebuf, PRINT_LINE_MAX - 1);
	printer_line(r->pr, p, &l);
	l.buf[l.len++] = '\n';
	fwrite(l.buf, 1, l.len, stdout);
}

/* -w without --print: the copy is all. */
static void skip_packet(void *ctx, struct packet *p)
{
	(void)ctx;
	(void)p;
}

/* How often -v, -x, -X and -A were given. */
struct print_flags {
	unsigned v, x, X, A;
};

/* The printer's flags for them: -X before -x before -A, as tcpdump. */
static unsigned printer_flags(const struct print_flags *f)
{
	unsigned fl = (f->v ? PRINT_VERBOSE : 0) | (f->v > 1 ? PRINT_VERBOSE2 : 0), n = f->X ? f->X : f->x ? f->x : f->A;

	if (f->X)
		fl |= PRINT_DUMP_HEXASCII;
	else if (f->x)
		fl |= PRINT_DUMP_HEX;
	else if (f->A)
		fl |= PRINT_DUMP_ASCII;
	return fl | (n > 1 ? PRINT_DUMP_LINK : 0);
}

static int run(const struct capture_opts *o, unsigned flags)
{
	char err[SOURCE_ERRLEN];
	struct capture c;
	struct print_run r;
	int status = EXIT_OK, read_ok, show = o->write_to == NULL || o->print_too;

	if (o->write_to != NULL && strcmp(o->write_to, "-") == 0 && show) {
		cli_error("-w -: the capture goes to stdout, so lines cannot");
		return EXIT_USAGE;
	}
	if (!cli_capture_open(&c, o))
		return EXIT_USAGE;
	if (source_warning(c.src) != NULL)
		cli_warn("%s", source_warning(c.src));
	r.pr = printer_new(flags | PRINT_HEXDUMP | cli_print_flags(o));
	if (r.pr != NULL)
		printer_set_time(r.pr, (enum print_time)o->tmode);
	r.linebuf = malloc(PRINT_LINE_MAX);
	if (r.pr == NULL || r.linebuf == NULL) {
		printer_free(r.pr);
		free(r.linebuf);
		capture_close(&c, 0, err);
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	r.linktype = source_linktype(c.src);
	c.packet = show ? print_packet : skip_packet;
	c.ctx = &r;
	c.count = o->count;
	cli_stdout_setup(o);
	cli_stop_signals(c.src, o->write_to != NULL ? 0 : o->seconds);
	capture_run(&c);
	read_ok = cli_read_end(&c);
	if (!cli_stdout_finish(o) || !read_ok)
		status = EXIT_USAGE;
	/* the capture is kept unless its input was bad or the output failed */
	if (!capture_close(&c, status == EXIT_OK, err)) {
		cli_error("%s", err);
		status = EXIT_USAGE;
	}
	printer_free(r.pr);
	free(r.linebuf);
	return status;
}

void cmd_print_usage(FILE *f)
{
	fputs(usage, f);
	fputc('\n', f);
	fputs(cli_capture_usage, f);
}

int cmd_print(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "print", no_argument, NULL, CLI_OPT_PRINT },
		CLI_CAPTURE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct capture_opts o;
	struct print_flags pf = { 0, 0, 0, 0 };
	int ch, status;

	memset(&o, 0, sizeof(o));
	o.src.promisc = 1;
	o.src.link_ok = print_link_supported;   /* the printer reads link types the analysis does not */
	optind = 1;
	opterr = 0;                 /* our own "synack: " line, not getopt's */
	while ((ch = getopt_long(argc, argv, CLI_CAPTURE_SHORTOPTS "hvxXA", longopts, NULL)) != -1) {
		if (ch == 'h') {
			cmd_print_usage(stdout);
			return EXIT_OK;
		}
		if (ch == 'v' || ch == 'x' || ch == 'X' || ch == 'A') {
			unsigned *n = ch == 'v' ? &pf.v : ch == 'x' ? &pf.x : ch == 'X' ? &pf.X : &pf.A;
			*n += *n < 9;
			continue;
		}
		int r = cli_capture_opt(&o, ch, optarg);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0) {
			cli_bad_option(argv[optind - 1], CLI_CAPTURE_SHORTOPTS "hvxXA");
			cli_usage_hint("print");
			return EXIT_USAGE;
		}
	}
	if (!cli_capture_finish(&o, argc - optind, argv + optind)) {
		cli_capture_free(&o);
		return EXIT_USAGE;
	}
	status = o.list_ifaces ? cli_list_interfaces() : run(&o, printer_flags(&pf));
	cli_capture_free(&o);
	return status;
}
