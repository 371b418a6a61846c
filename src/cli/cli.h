/* cli.h: the tcpdump-style options every reading subcommand shares, and exit codes. */
#ifndef SYNACK_CLI_H
#define SYNACK_CLI_H

#include <stdint.h>

#include "capture_loop.h"

enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,     /* a handshake failed or did not complete */
	EXIT_USAGE = 2,      /* usage or input error */
};

struct capture_opts {
	struct source_opts src;
	const char *write_to; /* -w */
	uint64_t count;       /* -c; 0 = no limit */
	unsigned seconds;     /* -G: with -w, a new file this often (tcpdump's); without, stop a live
	                       * capture after this long */
	uint64_t file_size;   /* -C: in bytes (tcpdump's -C N: N millions) */
	unsigned files;       /* -W */
	int packet_buffered;  /* -U */
	const char *user;     /* -Z */
	int list_ifaces;      /* -D */
	int tmode;            /* -t ... -ttttt: an enum print_time */
	int absolute_seq;     /* -S */
	int link_header;      /* -e */
	int line_buffered;    /* -l */
	int print_too;        /* --print: print lines even with -w */
	const char *filter_file; /* -F: the filter expression is this file's text */
	char *filter_buf;     /* the joined EXPRESSION words, or -F's file (owned) */
};

/*
 * Make sure descriptors 0, 1 and 2 are open (on /dev/null if not), before
 * anything else is opened: a file opened later must never become stdout or
 * stderr. Call first thing in main().
 */
void cli_std_fds(void);

/* One-line error on stderr: "synack: <msg>". Bytes that are not printable
 * ASCII (control bytes in a file name, say) are written as \xNN. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, as "synack: warning: <msg>". */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* After a usage error's line: "Try 'synack[ CMD] --help' for more." */
void cli_usage_hint(const char *cmd);

/*
 * Handle one shared option (a getopt_long result). Returns 1 if it was
 * one, 0 if not, -1 on a bad value (already reported).
 */
int cli_capture_opt(struct capture_opts *o, int ch, const char *arg);
/* After getopt_long returned '?' (with opterr = 0): which option was wrong, and how. */
void cli_bad_option(const char *word, const char *optstring);
/* After getopt: the remaining words are the BPF expression. Checks -r/-i. */
int cli_capture_finish(struct capture_opts *o, int argc, char **argv);
void cli_capture_free(struct capture_opts *o);

/*
 * After the read loop: say what its end means (an input error, or a file cut
 * short: a warning), and warn about clamped timestamps. 0 after an input
 * error (exit 2).
 */
int cli_read_end(const struct capture *c);

/* stdout line-buffered for live captures and -l, else a large buffer. */
void cli_stdout_setup(const struct capture_opts *o);
/*
 * Flush stdout at the end. 1 if all went out, or the reader merely went away
 * (| head) while only text was asked for; 0 after reporting a write error.
 */
int cli_stdout_finish(const struct capture_opts *o);

/*
 * Stop on SIGINT/SIGTERM/SIGHUP (and after -G seconds): calls source_break(),
 * which lets a pipe deliver what has arrived. SIGPIPE (the reader of stdout
 * went away, or of a -w FIFO) stops reading at once.
 */
void cli_stop_signals(struct source *s, unsigned seconds);
int cli_stopped(void);
/* The reader of stdout went away (EPIPE): nothing more is worth formatting. */
int cli_output_gone(void);

#define CLI_CAPTURE_SHORTOPTS "r:i:c:s:w:G:F:nSlptDQ:B:C:W:Z:Ue"
enum { CLI_OPT_PRINT = 0x100, CLI_OPT_NANO, CLI_OPT_MICRO, CLI_OPT_TSPREC, CLI_OPT_IMMEDIATE };
/* The long spellings tcpdump has for the shared options, for every reading command's table. */
#define CLI_CAPTURE_LONGOPTS \
	{ "nano", no_argument, NULL, CLI_OPT_NANO }, \
	{ "micro", no_argument, NULL, CLI_OPT_MICRO }, \
	{ "time-stamp-precision", required_argument, NULL, CLI_OPT_TSPREC }, \
	{ "immediate-mode", no_argument, NULL, CLI_OPT_IMMEDIATE }, \
	{ "buffer-size", required_argument, NULL, 'B' }, \
	{ "direction", required_argument, NULL, 'Q' }, \
	{ "list-interfaces", no_argument, NULL, 'D' }, \
	{ "packet-buffered", no_argument, NULL, 'U' }, \
	{ "relinquish-privileges", required_argument, NULL, 'Z' }, \
	{ "count", required_argument, NULL, 'c' }, \
	{ "snapshot-length", required_argument, NULL, 's' }, \
	{ "interface", required_argument, NULL, 'i' }

/*
 * Open the capture as the options say (source, -w's files with -C/-W/-G/-U),
 * then drop what privileges it no longer needs (-Z, capabilities). 0 on
 * failure, reported (exit 2); nothing is left open or written.
 */
int cli_capture_open(struct capture *c, const struct capture_opts *o);
/* The help text of the options above that both commands share. */
extern const char cli_capture_usage[];
/* -D: list the interfaces and say how that went (an exit status). */
int cli_list_interfaces(void);
/* The printer's flags for -S, --nano and -e. */
unsigned cli_print_flags(const struct capture_opts *o);

#endif
