/* cmd_print.c: `synack print`, one tcpdump-compatible line per packet. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "print.h"

static const char usage[] =
	"usage: synack print [-S] [-c COUNT] [-s SNAPLEN] [-w FILE [--print]] [-p] [-G SECONDS]\n"
	"                    (-r FILE | -i INTERFACE) [EXPRESSION]\n"
	"\n"
	"Print one line per packet. TCP lines are byte for byte those of tcpdump -nn\n"
	"(up to and including 'length N'); other packets get a short line of our own.\n"
	"\n"
	"  -r FILE      read a pcap or pcapng file ('-' for stdin)\n"
	"  -i IFACE     capture live on IFACE\n"
	"  -c COUNT     stop after COUNT packets\n"
	"  -s SNAPLEN   bytes to capture per packet, live (default 262144)\n"
	"  -w FILE      write the packets read to FILE (pcap, mode 0600) instead of printing\n"
	"  --print      with -w, print the lines as well\n"
	"  -G SECONDS   stop a live capture after SECONDS\n"
	"  -S           absolute TCP sequence numbers\n"
	"  -n, -nn      accepted; output is always numeric\n"
	"  -l           line-buffered output\n"
	"  -p           do not put the interface in promiscuous mode\n"
	"  EXPRESSION   a BPF filter, as tcpdump takes it\n";

static int run(const struct capture_opts *o)
{
	char err[SOURCE_ERRLEN], linebuf[8192];
	struct source *s;
	struct printer *pr;
	struct packet p;
	struct line l;
	uint64_t n = 0;
	int r = 0, status = EXIT_OK, read_ok, show = o->src.write_to == NULL || o->print_too;

	if (o->src.write_to != NULL && strcmp(o->src.write_to, "-") == 0 && show) {
		cli_error("-w -: the capture goes to stdout, so lines cannot");
		return EXIT_USAGE;
	}
	s = source_open(&o->src, err);
	if (s == NULL) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (source_warning(s) != NULL)
		cli_warn("%s", source_warning(s));
	pr = printer_new(o->absolute_seq ? PRINT_ABSOLUTE_SEQ : 0);
	if (pr == NULL) {
		source_close(s, 0, err);
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	cli_stdout_setup(o);
	cli_stop_signals(s, o->seconds);
	while ((o->count == 0 || n < o->count) && (r = source_next(s, &p)) >= 1) {
		if (r == 2)
			continue;
		n++;
		if (!source_dump(s))
			break;        /* -w failed: source_close() says what was kept */
		if (!show)
			continue;
		decode_packet(&p, source_linktype(s));
		ln_init(&l, linebuf, sizeof(linebuf) - 1);
		printer_line(pr, &p, &l);
		l.buf[l.len++] = '\n';
		fwrite(l.buf, 1, l.len, stdout);
	}
	read_ok = cli_read_end(s, r, n);
	if (!cli_stdout_finish(o) || !read_ok)
		status = EXIT_USAGE;
	/* the capture is kept unless its input was bad or the output failed */
	if (!source_close(s, status == EXIT_OK, err)) {
		cli_error("%s", err);
		status = EXIT_USAGE;
	}
	printer_free(pr);
	return status;
}

int cmd_print(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "print", no_argument, NULL, CLI_OPT_PRINT },
		{ NULL, 0, NULL, 0 },
	};
	struct capture_opts o;
	int ch, status;

	memset(&o, 0, sizeof(o));
	o.src.promisc = 1;
	optind = 1;
	opterr = 0;                 /* our own "synack: " line, not getopt's */
	while ((ch = getopt_long(argc, argv, CLI_CAPTURE_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		int r = cli_capture_opt(&o, ch, optarg);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0) {
			cli_bad_option(argv[optind - 1], CLI_CAPTURE_SHORTOPTS "h");
			cli_usage_hint("print");
			return EXIT_USAGE;
		}
	}
	if (!cli_capture_finish(&o, argc - optind, argv + optind)) {
		cli_capture_free(&o);
		return EXIT_USAGE;
	}
	status = run(&o);
	cli_capture_free(&o);
	return status;
}
