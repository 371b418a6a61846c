/* source.c: libpcap for files, stdin and live capture, and BPF filters (writer.c writes, capture_loop.c loops). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "writer.h"

#define DEFAULT_SNAPLEN 262144
#define SNIFF_LEN 4096
/* stdio's buffer for the capture: glibc ignores setvbuf's size unless it is
 * given the memory, and its default (st_blksize, 4 KiB) costs a read(2) every
 * 4 KiB, a tenth of the time of a whole analysis. A pipe's reads return what
 * has arrived, so the buffer never makes a packet wait for the next ones. */
#define IOBUF_LEN (64 * 1024)
/* After SIGINT a pipe still delivers what has arrived, up to this much. */
#define DRAIN_MAX (4u << 20)
/* How long a read from a pipe waits before it looks at the stop flag again. */
#define PIPE_POLL_MS 250
/* How long a quiet live capture waits before source_next() hands control back. */
#define LIVE_WAIT_MS 200
#define PCAP_REC_HDR 16
#define CHECKPOINT 1024

struct source {
	pcap_t *pcap;
	int linktype;
	int nano;
	int live;
	int fd;                    /* live: the descriptor to poll, or -1 */
	volatile sig_atomic_t stop;        /* set by source_break() */
	volatile sig_atomic_t drain;       /* ... with a pipe to drain first */
	uint64_t frame;
	uint64_t clamped;          /* packets whose time was out of range */
	const char *iface;         /* -i: ifname */
	char ifname[256];          /* -i as given, or the name -i N stands for */
	char name[SOURCE_NAME_LEN];        /* the file or interface, for messages */
	/* the input file: what libpcap reads, and a record boundary at or before
	 * the next record (a stream's: after every packet; a regular file's:
	 * every CHECKPOINT packets, ftello() costs a tenth of a print), taken
	 * when rec_left packets more have been read (live: never, in 2^64) */
	FILE *in;
	struct stat in_st;
	int have_in_st;
	long long rec_off;
	uint64_t rec_left;
	/* a stream (stdin, a pipe, a FIFO): its descriptor, and what we sniffed
	 * off its front, served again to libpcap by replay_read() */
	int stream, in_fd, own_in_fd, pipe;
	uint64_t delivered, drained;
	uint8_t sniff[SNIFF_LEN];
	size_t sniff_len, sniff_pos;
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	char errbuf[PCAP_ERRBUF_SIZE + SOURCE_ERRLEN];
	char warn[PCAP_ERRBUF_SIZE + SOURCE_NAME_LEN];
	char *iobuf;               /* the input stream's buffer, freed after it */
	/* the filter: a file's is run here, on every record (so frame numbers
	 * are positions in the file); a live one's in the kernel, widened to
	 * ICMP with icmp_errors, and the user's own run here on what passed */
	struct bpf_program user, icmp;
	int have_user, have_icmp, filter_here;
};

/* A name for messages: whole up to SOURCE_NAME_LEN - 1 bytes, else its two ends around "...". */
static void set_name(char *dst, const char *name)
{
	writer_cut_name(dst, SOURCE_NAME_LEN, name);
}

/*
 * A FILE that yields the sniffed prefix, then the rest of the stream, each
 * read returning what has arrived. Stopped (SIGINT), a pipe still yields what
 * is there without waiting, then the end.
 */
static ssize_t replay_read(void *cookie, char *buf, size_t n)
{
	struct source *s = cookie;

	if (s->sniff_pos < s->sniff_len) {
		size_t k = s->sniff_len - s->sniff_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->sniff + s->sniff_pos, k);
		s->sniff_pos += k;
		s->delivered += k;
		return (ssize_t)k;
	}
	for (;;) {
		struct pollfd pfd = { s->in_fd, POLLIN, 0 };
		ssize_t got;
		if (s->stop) {
			if (!s->drain || !s->pipe || s->drained >= DRAIN_MAX || poll(&pfd, 1, 0) <= 0)
				return 0;
		} else if (s->pipe) {
			/* wait in slices: a signal landing just before read() cannot leave us blocked */
			int r = poll(&pfd, 1, PIPE_POLL_MS);
			if (r == 0 || (r < 0 && errno == EINTR))
				continue;
		}
		got = read(s->in_fd, buf, n);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got > 0) {
			s->delivered += (uint64_t)got;
			if (s->stop)
				s->drained += (uint64_t)got;
		}
		return got;
	}
}

/* Only ftell(): where the stream is, for the byte offset of a corrupt record. */
static int replay_seek(void *cookie, off64_t *pos, int whence)
{
	struct source *s = cookie;

	if (*pos != 0 || whence != SEEK_CUR) {
		errno = ESPIPE;
		return -1;
	}
	*pos = (off64_t)s->delivered;
	return 0;
}

static int replay_close(void *cookie)
{
	struct source *s = cookie;
	int r = 0;
	if (s->own_in_fd)
		r = close(s->in_fd);
	s->in_fd = -1;
	s->own_in_fd = 0;
	return r;
}

/*
 * libpcap converts every timestamp to the precision we ask for; to print
 * what the file holds we need its own precision: the pcap magic, or a
 * pcapng interface's if_tsresol. 1 nanoseconds, 0 microseconds, -1 when
 * these bytes do not tell yet (a pcapng file before its first interface).
 */
static int sniff_nano(const uint8_t *b, size_t n)
{
	struct cursor c = cur_make(b, n), blk, opts, opt;
	uint32_t magic, type, len, bom;
	int le;

	if (!cur_get_u32(&c, &magic))
		return -1;
	if (magic == 0xa1b23c4d || magic == 0x4d3cb2a1)
		return 1;
	if (magic != 0x0a0d0d0a)
		return 0;
	c = cur_make(b, n);
	/* Section header: type, length, byte-order magic. */
	if (!cur_skip(&c, 4) || !cur_skip(&c, 4) || !cur_get_u32(&c, &bom))
		return -1;
	le = bom == 0x4d3c2b1a;
	c = cur_make(b, n);
	for (;;) {
		struct cursor h = c;
		if (cur_len(&c) < 12)
			return -1;
		if (le) {
			cur_get_u32le(&h, &type);
			cur_get_u32le(&h, &len);
		} else {
			cur_get_u32(&h, &type);
			cur_get_u32(&h, &len);
		}
		if (len < 12)
			return 0;
		if (!cur_get_bytes(&c, &blk, len))
			return -1;
		if (type != 1)
			continue;
		/* Interface description: linktype(2) reserved(2) snaplen(4), options. */
		opts = blk;
		if (!cur_skip(&opts, 16))
			return 0;
		cur_truncate(&opts, len - 20);
		for (;;) {
			uint16_t code, olen;
			struct cursor oh;
			if (!cur_get_bytes(&opts, &oh, 4))
				return 0;
			if (le) {
				code = (uint16_t)(cur_data(&oh)[0] | cur_data(&oh)[1] << 8);
				olen = (uint16_t)(cur_data(&oh)[2] | cur_data(&oh)[3] << 8);
			} else {
				cur_get_u16(&oh, &code);
				cur_get_u16(&oh, &olen);
			}
			if (code == 0 || !cur_get_bytes(&opts, &opt, olen))
				return 0;
			cur_skip(&opts, (4 - olen % 4) % 4);
			if (code == 9 && olen >= 1) {
				uint8_t r = cur_data(&opt)[0];
				return (r & 0x80) ? (r & 0x7f) > 19 : r > 6;
			}
		}
	}
}

static int open_pcap(struct source *s, FILE *in, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];

	s->pcap = pcap_fopen_offline_with_tstamp_precision(in,
		s->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (s->pcap == NULL) {
		fclose(in);
		snprintf(err, SOURCE_ERRLEN, "%s: not a capture file libpcap can read (%s)", s->name, ebuf);
		return 0;
	}
	s->in = in;               /* pcap_close() closes it */
	s->rec_off = ftello(in);
	s->rec_left = s->stream ? 1 : CHECKPOINT;
	return 1;
}

/* A regular file: sniffed, rewound, then read by libpcap directly. */
static int open_seekable(struct source *s, int fd, char *err)
{
	FILE *fp = fdopen(fd, "rb");

	if (fp == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, strerror(errno));
		close(fd);
		return 0;
	}
	if ((s->iobuf = malloc(IOBUF_LEN)) != NULL)
		setvbuf(fp, s->iobuf, _IOFBF, IOBUF_LEN);
	__fsetlocking(fp, FSETLOCKING_BYCALLER);   /* one thread reads it: no locking per fread */
	s->sniff_len = fread(s->sniff, 1, sizeof(s->sniff), fp);
	if (s->sniff_len == 0 || fseek(fp, 0, SEEK_SET) != 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name,
			 s->sniff_len != 0 || ferror(fp) ? strerror(errno) : "empty file, not a capture");
		fclose(fp);
		return 0;
	}
	s->nano = sniff_nano(s->sniff, s->sniff_len) == 1;
	return open_pcap(s, fp, err);
}

/*
 * Anything else (stdin, a pipe, a FIFO, a device): sniff only as much as the
 * precision needs (a pipe may hold no more yet), then replay it in front of
 * the rest.
 */
static int open_stream(struct source *s, int fd, int own, char *err)
{
	cookie_io_functions_t io = { replay_read, NULL, replay_seek, replay_close };
	FILE *in;
	int nano = -1;

	s->stream = 1;
	s->in_fd = fd;
	s->own_in_fd = own;
	s->pipe = !S_ISREG(s->in_st.st_mode);
	while (s->sniff_len < SNIFF_LEN && nano < 0) {
		ssize_t got = read(fd, s->sniff + s->sniff_len, SNIFF_LEN - s->sniff_len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, strerror(errno));
			return 0;
		}
		if (got == 0)
			break;
		s->sniff_len += (size_t)got;
		nano = sniff_nano(s->sniff, s->sniff_len);
	}
	if (s->sniff_len == 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: empty file, not a capture", s->name);
		return 0;
	}
	s->nano = nano == 1;
	in = fopencookie(s, "rb", io);
	if (in == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, strerror(errno));
		return 0;
	}
	if ((s->iobuf = malloc(IOBUF_LEN)) != NULL)
		setvbuf(in, s->iobuf, _IOFBF, IOBUF_LEN);
	__fsetlocking(in, FSETLOCKING_BYCALLER);
	return open_pcap(s, in, err);
}

static int open_file(struct source *s, const char *path, char *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);

	set_name(s->name, is_stdin ? "stdin" : path);
	s->in_fd = -1;
	if (fd < 0 || fstat(fd, &s->in_st) != 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, strerror(errno));
		if (fd >= 0 && !is_stdin)
			close(fd);
		return 0;
	}
	s->have_in_st = 1;
	if (S_ISDIR(s->in_st.st_mode)) {
		snprintf(err, SOURCE_ERRLEN, "%s: is a directory, not a capture file", s->name);
		if (!is_stdin)
			close(fd);
		return 0;
	}
	/* stdin is never rewound: it may not start at offset 0 */
	if (S_ISREG(s->in_st.st_mode) && !is_stdin)
		return open_seekable(s, fd, err);
	if (!open_stream(s, fd, !is_stdin, err)) {
		if (s->own_in_fd)
			close(fd);
		s->own_in_fd = 0;
		return 0;
	}
	return 1;
}

/* tcpdump's interface flags, in its words and order (show_devices_and_exit()). */
static void print_if_flags(FILE *out, bpf_u_int32 flags)
{
	static const struct { bpf_u_int32 bit; const char *name; } words[] = {
		{ PCAP_IF_UP, "Up" }, { PCAP_IF_RUNNING, "Running" },
		{ PCAP_IF_LOOPBACK, "Loopback" }, { PCAP_IF_WIRELESS, "Wireless" },
	};
	int any = 0;

	fputs(" [", out);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (flags & words[i].bit) {
			fprintf(out, "%s%s", any ? ", " : "", words[i].name);
			any = 1;
		}
	if (!any)
		fputs("none", out);
	switch (flags & PCAP_IF_CONNECTION_STATUS) {
	case PCAP_IF_CONNECTION_STATUS_UNKNOWN:
		fputs(flags & PCAP_IF_WIRELESS ? ", Association status unknown" : ", Connection status unknown", out);
		break;
	case PCAP_IF_CONNECTION_STATUS_CONNECTED:
		fputs(flags & PCAP_IF_WIRELESS ? ", Associated" : ", Connected", out);
		break;
	case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
		fputs(flags & PCAP_IF_WIRELESS ? ", Not associated" : ", Disconnected", out);
		break;
	default:
		break;
	}
	fputc(']', out);
}

int source_list_interfaces(FILE *out, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	int n = 0;

	if (pcap_findalldevs(&all, ebuf) != 0) {
		snprintf(err, SOURCE_ERRLEN, "cannot list the interfaces: %s", ebuf);
		return -1;
	}
	for (d = all; d != NULL; d = d->next) {
		fprintf(out, "%d.%s", ++n, d->name);
		if (d->description != NULL)
			fprintf(out, " (%s)", d->description);
		if (d->flags != 0)
			print_if_flags(out, d->flags);
		fputc('\n', out);
	}
	pcap_freealldevs(all);
	return n;
}

/*
 * -i N, as tcpdump: a number that is not an interface's name is the Nth of
 * -D's list. The name to open in name (room for n bytes); 0 on failure (err).
 */
static int iface_by_number(const char *arg, char *name, size_t n, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	char *end;
	long k = strtol(arg, &end, 10);
	int i = 1;

	snprintf(name, n, "%s", arg);
	if (arg[0] == '\0' || *end != '\0' || if_nametoindex(arg) != 0)
		return 1;
	if (k <= 0) {
		snprintf(err, SOURCE_ERRLEN, "-i %s: no such interface (interface numbers start at 1)", arg);
		return 0;
	}
	if (pcap_findalldevs(&all, ebuf) != 0) {
		snprintf(err, SOURCE_ERRLEN, "-i %s: cannot list the interfaces: %s", arg, ebuf);
		return 0;
	}
	for (d = all; d != NULL && i < k; d = d->next)
		i++;
	if (d != NULL)
		snprintf(name, n, "%s", d->name);
	else
		snprintf(err, SOURCE_ERRLEN, "-i %s: no such interface (only %d listed by -D)", arg, i - 1);
	pcap_freealldevs(all);
	return d != NULL;
}

/* -Q, once the capture is active. */
static int set_direction(struct source *s, int dir, char *err)
{
	pcap_direction_t d = dir == SOURCE_DIR_IN ? PCAP_D_IN : dir == SOURCE_DIR_OUT ? PCAP_D_OUT : PCAP_D_INOUT;

	if (dir == 0 || pcap_setdirection(s->pcap, d) == 0)
		return 1;
	snprintf(err, SOURCE_ERRLEN, "%s: -Q: cannot capture only this direction: %s", s->name,
		 pcap_geterr(s->pcap));
	return 0;
}

/*
 * -i any: Linux cooked v2 (the interface of each packet, and its direction),
 * as tcpdump 4.99 selects it; libpcap's default there is v1.
 */
static void any_cooked_v2(struct source *s)
{
	int *dlts = NULL, n = pcap_list_datalinks(s->pcap, &dlts);

	for (int i = 0; i < n; i++)
		if (dlts[i] == DLT_LINUX_SLL2 && pcap_datalink(s->pcap) != DLT_LINUX_SLL2) {
			pcap_set_datalink(s->pcap, DLT_LINUX_SLL2);
			break;
		}
	if (n >= 0)
		pcap_free_datalinks(dlts);
}

static int open_live(struct source *s, const struct source_opts *o, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int r;

	if (!iface_by_number(o->iface, s->ifname, sizeof(s->ifname), err))
		return 0;
	set_name(s->name, s->ifname);
	s->iface = s->ifname;
	s->live = 1;
	s->pcap = pcap_create(s->ifname, ebuf);
	if (s->pcap == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, ebuf);
		return 0;
	}
	pcap_set_snaplen(s->pcap, o->snaplen > 0 ? o->snaplen : DEFAULT_SNAPLEN);
	pcap_set_promisc(s->pcap, o->promisc);
	pcap_set_immediate_mode(s->pcap, 1);
	pcap_set_timeout(s->pcap, 200);
	if (o->buffer_kib != 0)
		pcap_set_buffer_size(s->pcap, (int)o->buffer_kib * 1024);
	if (o->nano) {
		if (pcap_set_tstamp_precision(s->pcap, PCAP_TSTAMP_PRECISION_NANO) != 0) {
			snprintf(err, SOURCE_ERRLEN, "%s: --nano: this interface has no nanosecond timestamps", s->name);
			return 0;
		}
		s->nano = 1;
	}
	r = pcap_activate(s->pcap);
	if (r < 0) {
		const char *why = pcap_geterr(s->pcap);
		if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(err, SOURCE_ERRLEN,
				 "%s: no permission to capture (run as root or with CAP_NET_RAW): %s",
				 s->name, why);
		else if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, SOURCE_ERRLEN, "%s: no such interface", s->name);
		else
			snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name,
				 why[0] ? why : pcap_statustostr(r));
		return 0;
	}
	if (r > 0)
		snprintf(s->warn, sizeof(s->warn), "%s: %s", s->name, pcap_statustostr(r));
	if (!set_direction(s, o->direction, err))
		return 0;
	any_cooked_v2(s);
	s->fd = pcap_get_selectable_fd(s->pcap);
	if (s->fd >= 0 && pcap_setnonblock(s->pcap, 1, ebuf) != 0)
		s->fd = -1;
	return 1;
}

static int compile(struct source *s, struct bpf_program *prog, const char *expr, char *err)
{
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char ebuf[PCAP_ERRBUF_SIZE];

	if (s->live && pcap_lookupnet(s->iface, &net, &mask, ebuf) != 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(s->pcap, prog, expr, 1, mask) != 0) {
		snprintf(err, SOURCE_ERRLEN, "bad filter expression: %s", pcap_geterr(s->pcap));
		return 0;
	}
	return 1;
}

/*
 * The user's filter, and with icmp_errors the ICMP and ICMPv6 packets it
 * would drop (an error quoting a connection is evidence about it, though no
 * filter on the connection's addresses and ports passes it). The widened
 * live filter puts ICMP first: after a `vlan` or `mpls` in the expression,
 * libpcap reads every later test at the encapsulated offsets.
 */
static int set_filter(struct source *s, const char *expr, int icmp_errors, char *err)
{
	struct bpf_program live;
	char *wide = NULL;
	int ok;

	if (!compile(s, &s->user, expr, err))
		return 0;
	s->have_user = 1;
	if (icmp_errors) {
		if (!compile(s, &s->icmp, "icmp or icmp6", err))
			return 0;
		s->have_icmp = 1;
	}
	if (!s->live) {
		s->filter_here = 1;
		return 1;
	}
	/* the kernel's: the user's, or with icmp_errors the wider one */
	if (icmp_errors) {
		wide = malloc(strlen(expr) + sizeof("icmp or icmp6 or ()"));
		if (wide == NULL) {
			snprintf(err, SOURCE_ERRLEN, "out of memory");
			return 0;
		}
		sprintf(wide, "icmp or icmp6 or (%s)", expr);
	}
	ok = compile(s, &live, wide != NULL ? wide : expr, err);
	free(wide);
	if (!ok)
		return 0;
	ok = pcap_setfilter(s->pcap, &live) == 0;
	if (!ok)
		snprintf(err, SOURCE_ERRLEN, "filter: %s", pcap_geterr(s->pcap));
	pcap_freecode(&live);
	return ok;
}

struct source *source_open(const struct source_opts *o, char *err)
{
	struct source *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		snprintf(err, SOURCE_ERRLEN, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->in_fd = -1;
	if (!(o->iface != NULL ? open_live(s, o, err) : open_file(s, o->file, err)))
		goto fail;
	s->linktype = pcap_datalink(s->pcap);
	if (!(o->link_ok != NULL ? o->link_ok(s->linktype) : decode_link_supported(s->linktype))) {
		const char *n = pcap_datalink_val_to_name(s->linktype);
		snprintf(err, SOURCE_ERRLEN, "%s: unsupported link type %d (%s)", s->name,
			 s->linktype, n != NULL ? n : "unknown");
		goto fail;
	}
	if (o->filter != NULL && !set_filter(s, o->filter, o->icmp_errors, err))
		goto fail;
	return s;
fail:
	source_close(s);
	return NULL;
}

/* The 32-bit number at b (4 bytes there), in the file's byte order: through the cursor. */
static uint32_t get32(const uint8_t *b, int le)
{
	struct cursor c = cur_make(b, 4);
	uint32_t v = 0;

	if (le)
		cur_get_u32le(&c, &v);
	else
		cur_get_u32(&c, &v);
	return v;
}

/*
 * A regular file: the start of the record (pcap) or block (pcapng) that holds
 * the byte before offset e, where libpcap stopped, walking the file's own
 * lengths from the record boundary `from`. No knowledge of how much of a bad
 * record libpcap read is needed: a good record ends before e, the bad one
 * does not.
 */
static long long bad_record(struct source *s, long long from, long long e)
{
	const uint8_t *m = s->sniff;
	int fd = fileno(s->in), ng, le, hdr = PCAP_REC_HDR;
	long long c = from;
	uint8_t h[24];             /* a pcapng block header with its byte-order magic, or a pcap record header */

	if (s->sniff_len < 12)
		return from;
	ng = memcmp(m, "\x0a\x0d\x0d\x0a", 4) == 0;
	le = ng ? get32(m + 8, 1) == 0x1a2b3c4d : m[0] != 0xa1;
	if (!ng && (get32(m, le) == 0xa1b2cd34))
		hdr = 24;             /* the "Kuznetzov" pcap variant's longer record header */
	for (int i = 0; i < 100000000 && c < e; i++) {
		uint64_t len;
		ssize_t got = pread(fd, h, ng ? 12 : (size_t)hdr, c);
		if (got < (ng ? 8 : hdr))
			break;
		if (ng && got >= 12 && get32(h, 1) == 0x0a0d0d0a)
			le = get32(h + 8, 1) == 0x1a2b3c4d;   /* a new section, its own byte order */
		len = ng ? get32(h + 4, le) : (uint64_t)hdr + get32(h + 8, le);
		if ((ng && len < 12) || (uint64_t)c + len >= (uint64_t)e)
			break;
		c += (long long)len;
	}
	return c;
}

/* pcap_next_ex() failed reading a file: cut short at the end (-2), or corrupt / unreadable (-1). */
static int file_error(struct source *s)
{
	long long off = s->rec_off, e = ftello(s->in);

	if (ferror(s->in)) {
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->name, pcap_geterr(s->pcap));
		return -1;
	}
	if (feof(s->in)) {
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->name, pcap_geterr(s->pcap));
		return -2;
	}
	if (!s->stream && e > off)
		off = bad_record(s, off, e);
	/* a stream's: where the last good packet ended (in pcapng, blocks other
	 * than packets may come between it and the bad one) */
	snprintf(s->errbuf, sizeof(s->errbuf), "%s: corrupt capture at byte offset %lld: %s",
		 s->name, off, pcap_geterr(s->pcap));
	return -1;
}

/* Whether the user's filter passes the packet just read (a live one's kernel filter was wider only with have_icmp). */
static inline int passes(struct source *s)
{
	if (!s->filter_here && !s->have_icmp)
		return 1;
	return pcap_offline_filter(&s->user, s->hdr, s->bytes) != 0;
}

/* The next packet; a live source with nothing yet waits up to wait_ms for one (0: not at all). */
static inline int next(struct source *s, struct packet *p, int wait_ms)
{
	for (;;) {
		int r = pcap_next_ex(s->pcap, &s->hdr, &s->bytes);
		if (r == 1) {
			uint64_t frame = ++s->frame;
			int extra = 0;

			if (--s->rec_left == 0 && s->in != NULL) {
				s->rec_off = ftello(s->in);
				s->rec_left = s->stream ? 1 : CHECKPOINT;
			}
			if (s->have_user && !passes(s)) {
				if (!s->have_icmp || !pcap_offline_filter(&s->icmp, s->hdr, s->bytes))
					continue;
				extra = 1;
			}
			p->frame = frame;
			p->icmp_extra = (uint8_t)extra;
			p->keep = 0;
			p->ts_sec = s->hdr->ts.tv_sec;
			p->ts_frac = (uint32_t)s->hdr->ts.tv_usec;
			p->ts_nano = (uint8_t)s->nano;
			p->caplen = s->hdr->caplen;
			p->len = s->hdr->len;
			p->data = s->bytes;
			s->clamped += (uint64_t)source_clamp_ts(p);
			return 1;
		}
		if (r == 0) {
			/* Live and non-blocking: wait a little for the next packet ourselves,
			 * so that a quiet capture still hands control back now and then. */
			struct pollfd pfd = { s->fd, POLLIN, 0 };
			if (wait_ms == 0 || s->fd < 0 || poll(&pfd, 1, wait_ms) == 0)
				return 2;
			if (s->stop)
				return 0;
			continue;
		}
		s->hdr = NULL;
		/* the end, or stopped: a packet cut by the stop is not a corrupt file */
		if (r == PCAP_ERROR_BREAK || s->stop)
			return 0;
		if (s->in != NULL)
			return file_error(s);
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->name, pcap_geterr(s->pcap));
		return -1;
	}
}

int source_next(struct source *s, struct packet *p)
{
	return next(s, p, LIVE_WAIT_MS);
}

int source_next_ready(struct source *s, struct packet *p)
{
	return next(s, p, 0);
}

const char *source_error(struct source *s) { return s->errbuf; }
const char *source_warning(struct source *s) { return s->warn[0] ? s->warn : NULL; }
uint64_t source_clamped(const struct source *s) { return s->clamped; }
uint64_t source_frames(const struct source *s) { return s->frame; }
const char *source_name(const struct source *s) { return s->name; }
int source_linktype(const struct source *s) { return s->linktype; }
int source_nano(const struct source *s) { return s->nano; }

int source_fd(const struct source *s) { return s->fd; }
const struct stat *source_input(const struct source *s) { return s->have_in_st ? &s->in_st : NULL; }

int source_format(struct source *s, struct writer_format *f, char *why)
{
	return writer_format_pcap(s->pcap, f, why);
}

int source_copy(struct source *s, struct writer *w)
{
	const struct pcap_pkthdr *h = s->hdr;

	if (h == NULL)
		return 1;
	/* libpcap's own header: the time as read, not as clamped */
	return writer_packet(w, h->ts.tv_sec, (uint32_t)h->ts.tv_usec, h->caplen, h->len, s->bytes);
}

void source_break(struct source *s, int drain)
{
	if (s == NULL || s->pcap == NULL)
		return;
	s->drain = drain && s->pipe;
	s->stop = 1;
	/* a pipe being drained ends by itself (replay_read); anything else stops now */
	if (!s->drain)
		pcap_breakloop(s->pcap);
}

int source_stats(struct source *s, unsigned *recv, unsigned *drop)
{
	struct pcap_stat st;
	if (!s->live || pcap_stats(s->pcap, &st) != 0)
		return 0;
	*recv = st.ps_recv;
	*drop = st.ps_drop;
	return 1;
}

void source_close(struct source *s)
{
	if (s == NULL)
		return;
	if (s->have_user)
		pcap_freecode(&s->user);
	if (s->have_icmp)
		pcap_freecode(&s->icmp);
	if (s->pcap != NULL)
		pcap_close(s->pcap);
	else if (s->in_fd >= 0 && s->own_in_fd)
		close(s->in_fd);
	free(s->iobuf);
	free(s);
}
