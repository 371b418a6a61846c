/* cli.c: shared option parsing (tcpdump's letters), signals, and the error line. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "print.h"
#include "privs.h"

const char cli_capture_usage[] =
	"tcpdump's capture options, for both:\n"
	"  -G SECONDS   with -w: a new file every SECONDS, named by strftime of -w's name\n"
	"               (-W N: stop after N); without -w: stop a live capture after SECONDS\n"
	"  -C SIZE      with -w: a new file past SIZE million bytes (FILE, FILE1, ...;\n"
	"               -W N: a ring FILE0 ... FILE(N-1))\n"
	"  -W COUNT     the number of files for -C or -G\n"
	"  -U           with -w: each packet out to the file as it comes (written in place)\n"
	"  -Z USER      become USER once the capture is open (capabilities are dropped anyway)\n"
	"  -D           list the interfaces and exit (-i N takes the N-th)\n"
	"  -Q DIR       live: only in, out or inout packets\n"
	"  -B KIB       live: the kernel's capture buffer size\n"
	"  -t ... -ttttt  line timestamps: none, epoch seconds, since the previous line,\n"
	"               with the date, since the first line\n"
	"  --nano       nanoseconds in lines (--time-stamp-precision=nano); a nanosecond\n"
	"               file prints microseconds without it, as tcpdump\n"
	"  --immediate-mode  accepted (live captures always are)\n";

static struct source *volatile stop_source;
static volatile sig_atomic_t stop_flag, pipe_flag;

void cli_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nul;
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor: fd itself */
		nul = open("/dev/null", O_RDWR);
		if (nul < 0)
			_exit(EXIT_USAGE);        /* nowhere safe to write, not even an error */
		if (nul != fd) {
			dup2(nul, fd);
			close(nul);
		}
	}
}

/* "synack: " PREFIX MSG "\n" in one write, MSG's unprintable bytes as \xNN. */
static void vmsg(const char *prefix, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char small[512], *msg = small, out[1024];
	size_t k = 0, len;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		n = 0, small[0] = '\0';
	len = (size_t)n;
	if (len >= sizeof(small)) {
		msg = malloc(len + 1);
		if (msg != NULL)
			vsnprintf(msg, len + 1, fmt, aq);
		else
			msg = small, len = sizeof(small) - 1;
	}
	va_end(aq);
	k = (size_t)snprintf(out, sizeof(out), "synack: %s", prefix);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)msg[i];
		if (k + 5 > sizeof(out)) {
			fwrite(out, 1, k, stderr);
			k = 0;
		}
		if (c >= 0x20 && c < 0x7f)
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, 5, "\\x%02x", c);
	}
	out[k++] = '\n';
	fwrite(out, 1, k, stderr);
	if (msg != small)
		free(msg);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void cli_usage_hint(const char *cmd)
{
	fprintf(stderr, "Try 'synack%s%s --help' for more.\n", cmd != NULL ? " " : "", cmd != NULL ? cmd : "");
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s[0] == '\0' || s[0] == '-')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return 0;
	*out = v;
	return 1;
}

int cli_capture_opt(struct capture_opts *o, int ch, const char *arg)
{
	uint64_t v;

	switch (ch) {
	case 'r':
		o->src.file = arg;
		return 1;
	case 'i':
		o->src.iface = arg;
		return 1;
	case 'w':
		o->write_to = arg;
		return 1;
	case 'c':
		if (!parse_u64(arg, UINT64_MAX, &v) || v == 0) {
			cli_error("-c: invalid packet count '%s'", arg);
			return -1;
		}
		o->count = v;
		return 1;
	case 's':
		if (!parse_u64(arg, 262144, &v)) {
			cli_error("-s: invalid snaplen '%s' (0 to 262144)", arg);
			return -1;
		}
		o->src.snaplen = (int)v;
		return 1;
	case 'G':
		if (!parse_u64(arg, 86400 * 365, &v) || v == 0) {
			cli_error("-G: invalid number of seconds '%s'", arg);
			return -1;
		}
		o->seconds = (unsigned)v;
		return 1;
	case 'F':
		o->filter_file = arg;
		return 1;
	case 'C':
		/* tcpdump's unit: millions of bytes */
		if (!parse_u64(arg, UINT64_MAX / 1000000, &v) || v == 0) {
			cli_error("-C: invalid file size '%s' (a number of millions of bytes, at least 1)", arg);
			return -1;
		}
		o->file_size = v * 1000000;
		return 1;
	case 'W':
		if (!parse_u64(arg, 1000000, &v) || v == 0) {
			cli_error("-W: invalid number of files '%s'", arg);
			return -1;
		}
		o->files = (unsigned)v;
		return 1;
	case 'B':
		if (!parse_u64(arg, INT32_MAX / 1024, &v) || v == 0) {
			cli_error("-B: invalid buffer size '%s' (KiB)", arg);
			return -1;
		}
		o->src.buffer_kib = (unsigned)v;
		return 1;
	case 'Q':
		if (strcmp(arg, "in") == 0)
			o->src.direction = SOURCE_DIR_IN;
		else if (strcmp(arg, "out") == 0)
			o->src.direction = SOURCE_DIR_OUT;
		else if (strcmp(arg, "inout") == 0)
			o->src.direction = SOURCE_DIR_INOUT;
		else {
			cli_error("-Q: unknown capture direction '%s' (in, out or inout)", arg);
			return -1;
		}
		return 1;
	case 'Z':
		o->user = arg;
		return 1;
	case 'U':
		o->packet_buffered = 1;
		return 1;
	case 'D':
		o->list_ifaces = 1;
		return 1;
	case 't':
		if (++o->tmode > PRINT_TIME_SINCE_FIRST) {
			cli_error("only -t, -tt, -ttt, -tttt and -ttttt are supported");
			return -1;
		}
		return 1;
	case CLI_OPT_NANO:
		o->src.nano = 1;
		return 1;
	case CLI_OPT_MICRO:
		o->src.nano = 0;
		return 1;
	case CLI_OPT_TSPREC:
		if (strcmp(arg, "nano") == 0 || strcmp(arg, "nanoseconds") == 0)
			o->src.nano = 1;
		else if (strcmp(arg, "micro") == 0 || strcmp(arg, "microseconds") == 0)
			o->src.nano = 0;
		else {
			cli_error("--time-stamp-precision: unsupported precision '%s' (micro or nano)", arg);
			return -1;
		}
		return 1;
	case CLI_OPT_IMMEDIATE:
		return 1;           /* a live capture is always in immediate mode */
	case 'n':
		return 1;           /* numeric output is all we do */
	case 'S':
		o->absolute_seq = 1;
		return 1;
	case 'e':
		o->link_header = 1;
		return 1;
	case 'l':
		o->line_buffered = 1;
		return 1;
	case 'p':
		o->src.promisc = 0;
		return 1;
	case CLI_OPT_PRINT:
		o->print_too = 1;
		return 1;
	}
	return 0;
}

/* The most a -F file may hold: a filter longer than this is not a filter. */
#define CLI_FILTER_FILE_MAX (1u << 20)

/*
 * -F FILE: the filter expression is the file's text, as tcpdump reads it:
 * from '#' to the end of a line is a comment (read_infile() in tcpdump), and
 * the lines are joined. An unreadable, oversized or binary file is an error.
 */
static int read_filter_file(struct capture_opts *o)
{
	FILE *f = fopen(o->filter_file, "r");
	size_t n = 0;
	int ch, comment = 0;

	if (f == NULL) {
		cli_error("-F %s: %s", o->filter_file, strerror(errno));
		return 0;
	}
	o->filter_buf = malloc(CLI_FILTER_FILE_MAX + 1);
	if (o->filter_buf == NULL) {
		fclose(f);
		cli_error("out of memory");
		return 0;
	}
	while ((ch = getc(f)) != EOF) {
		if (n == CLI_FILTER_FILE_MAX || ch == '\0') {
			fclose(f);
			cli_error("-F %s: not a filter expression (%s)", o->filter_file,
				  ch == '\0' ? "a NUL byte" : "over 1 MiB");
			return 0;
		}
		if (ch == '#')
			comment = 1;
		else if (ch == '\n' || ch == '\r')
			comment = 0;
		o->filter_buf[n++] = comment || ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : (char)ch;
	}
	if (ferror(f)) {
		cli_error("-F %s: %s", o->filter_file, strerror(errno));
		fclose(f);
		return 0;
	}
	fclose(f);
	o->filter_buf[n] = '\0';
	o->src.filter = o->filter_buf;
	return 1;
}

int cli_capture_finish(struct capture_opts *o, int argc, char **argv)
{
	size_t n = 0;

	if (o->list_ifaces)
		return 1;           /* -D: nothing else is read */
	if (o->src.file == NULL && o->src.iface == NULL) {
		cli_error("no input: give -r FILE (or -r - for stdin) or -i INTERFACE");
		return 0;
	}
	if (o->src.file != NULL && o->src.iface != NULL) {
		cli_error("-r and -i: choose one input");
		return 0;
	}
	if (o->seconds != 0 && o->src.iface == NULL && o->write_to == NULL) {
		cli_error("-G: rotates -w's files, or stops a live capture (-i): give -w or -i");
		return 0;
	}
	if (o->file_size != 0 && o->write_to == NULL) {
		cli_error("-C: the size of -w's files: give -w");
		return 0;
	}
	if (o->files != 0 && o->file_size == 0 && o->seconds == 0)
		cli_warn("-W: ignored without -C or -G");
	if ((o->file_size != 0 || (o->seconds != 0 && o->write_to != NULL)) && strcmp(o->write_to, "-") == 0) {
		cli_error("-w -: standard output cannot be rotated (-C, -G)");
		return 0;
	}
	if (o->src.direction != 0 && o->src.iface == NULL)
		cli_warn("-Q: only for a live capture (-i); ignored");
	if (o->src.buffer_kib != 0 && o->src.iface == NULL)
		cli_warn("-B: only for a live capture (-i); ignored");
	if (o->filter_file != NULL) {
		/* as tcpdump: the file's expression, and any given on the command line ignored */
		if (argc > 0)
			cli_warn("-F %s: the expression on the command line is ignored", o->filter_file);
		return read_filter_file(o);
	}
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if (argc > 0) {
		o->filter_buf = malloc(n);
		if (o->filter_buf == NULL) {
			cli_error("out of memory");
			return 0;
		}
		o->filter_buf[0] = '\0';
		for (int i = 0; i < argc; i++) {
			if (i)
				strcat(o->filter_buf, " ");
			strcat(o->filter_buf, argv[i]);
		}
		o->src.filter = o->filter_buf;
	}
	return 1;
}

int cli_capture_open(struct capture *c, const struct capture_opts *o)
{
	struct rotate_opts w = { o->write_to, o->file_size, o->files, o->write_to != NULL ? o->seconds : 0,
				 o->packet_buffered, o->user != NULL };
	char err[SOURCE_ERRLEN];
	int keep_dac = o->write_to != NULL && strcmp(o->write_to, "-") != 0;

	memset(c, 0, sizeof(*c));
	if (!capture_open_rotating(c, &o->src, &w, err)) {
		cli_error("%s", err);
		return 0;
	}
	if (!privs_drop(o->user, keep_dac, err)) {
		cli_error("%s", err);
		capture_close(c, 0, err);
		return 0;
	}
	return 1;
}

int cli_list_interfaces(void)
{
	char err[SOURCE_ERRLEN];
	int n = source_list_interfaces(stdout, err);

	if (n < 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (n == 0) {
		cli_error("no interfaces available for capture");
		return EXIT_USAGE;
	}
	if (fflush(stdout) != 0) {
		cli_error("stdout: write failed: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

unsigned cli_print_flags(const struct capture_opts *o)
{
	return (o->absolute_seq ? PRINT_ABSOLUTE_SEQ : 0) | (o->src.nano ? PRINT_NANO : 0) | (o->link_header ? PRINT_LINK_HDR : 0);
}

void cli_capture_free(struct capture_opts *o)
{
	free(o->filter_buf);
	o->filter_buf = NULL;
}

int cli_read_end(const struct capture *c)
{
	uint64_t k = source_clamped(c->src);

	if (k != 0)
		cli_warn("%s: %llu packet%s with a time before 1901 or after 2174: clamped to that range",
			 source_name(c->src), (unsigned long long)k, k == 1 ? "" : "s");
	if (c->end < 0)
		cli_error("%s (%llu packets read before it)", source_error(c->src), (unsigned long long)c->packets);
	if (c->end == CAPTURE_FILE_LIMIT)
		fputs("synack: maximum file limit reached (-W): the capture ends\n", stderr);
	return c->end != CAPTURE_READ_ERROR;
}

static void on_signal(int sig)
{
	int saved = errno;
	stop_flag = 1;
	if (sig == SIGPIPE)
		pipe_flag = 1;
	source_break(stop_source, sig != SIGPIPE);
	errno = saved;
}

void cli_stop_signals(struct source *s, unsigned seconds)
{
	struct sigaction sa;

	stop_source = s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	/* Stop cleanly, so that -w's temporary file is removed, not left behind. */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	if (seconds != 0)
		alarm(seconds);
}

int cli_stopped(void)
{
	return stop_flag != 0;
}

int cli_output_gone(void)
{
	return pipe_flag && ferror(stdout);
}

void cli_bad_option(const char *word, const char *optstring)
{
	const char *spec;

	if (optopt >= 0x80)                         /* a long option's value is wrong */
		cli_error(strchr(word, '=') ? "option %s takes no value" : "option %s needs a value", word);
	else if (optopt == 0)                       /* an unknown long option */
		cli_error("bad option %s", word);
	else if ((spec = strchr(optstring, optopt)) != NULL && spec[1] == ':')
		cli_error("option -%c needs a value", optopt);
	else
		cli_error("unknown option -%c", optopt);
}

void cli_stdout_setup(const struct capture_opts *o)
{
	static char outbuf[1 << 16];

	if (o->line_buffered || o->src.iface != NULL)
		setvbuf(stdout, NULL, _IOLBF, 0);
	else
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
}

int cli_stdout_finish(const struct capture_opts *o)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 1;
	if (errno == EPIPE && o->write_to == NULL)
		return 1;
	cli_error("stdout: write failed: %s", strerror(errno));
	return 0;
}
