/* source.c: libpcap for files, stdin and live capture, BPF filters, and -w; the only file with <pcap.h>. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
/* The end offsets of the last packets written to -w, to cut the file after a
 * whole packet when a write fails: more packets than stdio's buffer (BUFSIZ
 * for the cookie stream) can hold. */
#define DUMP_RING 4096
#define PCAP_FILE_HDR 24
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
	const char *iface;         /* -i */
	char name[SOURCE_NAME_LEN];        /* the file or interface, for messages */
	/* the input file: what libpcap reads, and a record boundary at or before
	 * the next record (a stream's: after every packet; a regular file's:
	 * every CHECKPOINT packets, ftello() costs a tenth of a print) */
	FILE *in;
	struct stat in_st;
	int have_in_st;
	long long rec_off;
	unsigned since_rec_off;
	/* a stream (stdin, a pipe, a FIFO): its descriptor, and what we sniffed
	 * off its front, served again to libpcap by replay_read() */
	int stream, in_fd, own_in_fd, pipe;
	uint64_t delivered, drained;
	uint8_t sniff[SNIFF_LEN];
	size_t sniff_len, sniff_pos;
	/* -w */
	pcap_dumper_t *dumper;
	FILE *dump_fp;
	int dump_fd;               /* under dump_fp, unless it is stdout */
	char *dump_path, *dump_tmp;        /* a temporary file renamed to dump_path at the end */
	char wname[SOURCE_NAME_LEN];
	int dump_err;              /* errno of the first failed write */
	uint64_t dumped, dump_off, dump_written;
	uint64_t dump_end[DUMP_RING];      /* offset after packet i, at i % DUMP_RING */
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	char errbuf[PCAP_ERRBUF_SIZE + SOURCE_ERRLEN];
	char warn[PCAP_ERRBUF_SIZE + SOURCE_NAME_LEN];
	char *iobuf;               /* the input stream's buffer, freed after it */
};

/* A name for messages: whole up to SOURCE_NAME_LEN - 1 bytes, else its two ends around "...". */
static void set_name(char *dst, const char *name)
{
	size_t n = strlen(name), head = (SOURCE_NAME_LEN - 4) / 2, tail = SOURCE_NAME_LEN - 4 - head;

	if (n < SOURCE_NAME_LEN) {
		memcpy(dst, name, n + 1);
		return;
	}
	memcpy(dst, name, head);
	memcpy(dst + head, "...", 3);
	memcpy(dst + head + 3, name + n - tail, tail + 1);
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

static int open_live(struct source *s, const struct source_opts *o, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int r;

	set_name(s->name, o->iface);
	s->iface = o->iface;
	s->live = 1;
	s->pcap = pcap_create(o->iface, ebuf);
	if (s->pcap == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, ebuf);
		return 0;
	}
	pcap_set_snaplen(s->pcap, o->snaplen > 0 ? o->snaplen : DEFAULT_SNAPLEN);
	pcap_set_promisc(s->pcap, o->promisc);
	pcap_set_immediate_mode(s->pcap, 1);
	pcap_set_timeout(s->pcap, 200);
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
	s->fd = pcap_get_selectable_fd(s->pcap);
	if (s->fd >= 0 && pcap_setnonblock(s->pcap, 1, ebuf) != 0)
		s->fd = -1;
	return 1;
}

static int set_filter(struct source *s, const char *expr, char *err)
{
	struct bpf_program prog;
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char ebuf[PCAP_ERRBUF_SIZE];

	if (s->live && pcap_lookupnet(s->iface, &net, &mask, ebuf) != 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(s->pcap, &prog, expr, 1, mask) != 0) {
		snprintf(err, SOURCE_ERRLEN, "bad filter expression: %s", pcap_geterr(s->pcap));
		return 0;
	}
	if (pcap_setfilter(s->pcap, &prog) != 0) {
		snprintf(err, SOURCE_ERRLEN, "filter: %s", pcap_geterr(s->pcap));
		pcap_freecode(&prog);
		return 0;
	}
	pcap_freecode(&prog);
	return 1;
}

/* The -w stream's writes: counted, so that after a failed one we know which packets are whole. */
static ssize_t dump_write(void *cookie, const char *buf, size_t n)
{
	struct source *s = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(s->dump_fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (s->dump_err == 0)
				s->dump_err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
		s->dump_written += (uint64_t)w;
	}
	return done == 0 && n > 0 ? -1 : (ssize_t)done;
}

static int dump_close_fd(void *cookie)
{
	struct source *s = cookie;
	int r = s->dump_fd >= 0 ? close(s->dump_fd) : 0;
	s->dump_fd = -1;
	return r;
}

/* The pcap dumper on descriptor fd (ours from now on, closed on failure). */
static int start_dump(struct source *s, int fd, char *err)
{
	cookie_io_functions_t io = { NULL, dump_write, NULL, dump_close_fd };
	FILE *fp;

	s->dump_fd = fd;
	fp = fopencookie(s, "wb", io);
	if (fp == NULL || (s->dumper = pcap_dump_fopen(s->pcap, fp)) == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname,
			 fp == NULL ? strerror(errno) : pcap_geterr(s->pcap));
		if (fp != NULL)
			fclose(fp);
		else
			dump_close_fd(s);
		return 0;
	}
	s->dump_fp = fp;
	s->dump_off = PCAP_FILE_HDR;
	return 1;
}

/* A FIFO or a device: written in place, as tcpdump does. */
static int open_dump_direct(struct source *s, const char *path, const struct stat *want, int via_link,
			    char *err)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (via_link ? 0 : O_NOFOLLOW));

	if (fd < 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) != 0 || st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: it changed while being opened", s->wname);
		close(fd);
		return 0;
	}
	return start_dump(s, fd, err);
}

/*
 * -w FILE. A regular file (or a new name) is written to a private temporary
 * file (mode 0600 from birth) renamed into place at the end; a symbolic link
 * to a regular file has its target replaced so, the link kept. A FIFO or a
 * device is written in place. A dangling link, a socket, a directory, or the
 * input file itself are refused.
 */
static int open_dump(struct source *s, const char *path, char *err)
{
	struct stat lst, st;
	int fd, exists;
	const char *target = path;

	set_name(s->wname, path);
	if (strcmp(path, "-") == 0) {
		s->dumper = pcap_dump_fopen(s->pcap, stdout);
		if (s->dumper == NULL) {
			snprintf(err, SOURCE_ERRLEN, "-: %s", pcap_geterr(s->pcap));
			return 0;
		}
		s->dump_fp = stdout;
		return 1;
	}
	exists = lstat(path, &lst) == 0;
	if (!exists && errno != ENOENT) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname, strerror(errno));
		return 0;
	}
	if (exists) {
		if (stat(path, &st) != 0) {
			snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname,
				 errno == ENOENT ? "a dangling symbolic link (its target does not exist)"
						 : strerror(errno));
			return 0;
		}
		if (s->have_in_st && st.st_dev == s->in_st.st_dev && st.st_ino == s->in_st.st_ino) {
			snprintf(err, SOURCE_ERRLEN, "%s: cannot write: it is the input file (-r)", s->wname);
			return 0;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, SOURCE_ERRLEN, "%s: cannot write: is a directory", s->wname);
			return 0;
		}
		if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			return open_dump_direct(s, path, &st, S_ISLNK(lst.st_mode), err);
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname,
				 S_ISSOCK(st.st_mode) ? "is a socket" : "not a regular file, FIFO or device");
			return 0;
		}
		if (S_ISLNK(lst.st_mode))
			target = NULL;
	}
	s->dump_path = target != NULL ? strdup(target) : realpath(path, NULL);
	if (s->dump_path == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname, strerror(errno));
		return 0;
	}
	if (asprintf(&s->dump_tmp, "%s.partial.XXXXXX", s->dump_path) < 0) {
		s->dump_tmp = NULL;
		snprintf(err, SOURCE_ERRLEN, "%s: out of memory", s->wname);
		return 0;
	}
	fd = mkstemp(s->dump_tmp);
	if (fd < 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", s->wname, strerror(errno));
		free(s->dump_tmp);
		s->dump_tmp = NULL;
		return 0;
	}
	if (!start_dump(s, fd, err)) {
		unlink(s->dump_tmp);
		free(s->dump_tmp);
		s->dump_tmp = NULL;
		return 0;
	}
	return 1;
}

struct source *source_open(const struct source_opts *o, char *err)
{
	struct source *s = calloc(1, sizeof(*s));
	char tmp[SOURCE_ERRLEN];

	if (s == NULL) {
		snprintf(err, SOURCE_ERRLEN, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->in_fd = -1;
	s->dump_fd = -1;
	if (!(o->iface != NULL ? open_live(s, o, err) : open_file(s, o->file, err)))
		goto fail;
	s->linktype = pcap_datalink(s->pcap);
	if (!decode_link_supported(s->linktype)) {
		const char *n = pcap_datalink_val_to_name(s->linktype);
		snprintf(err, SOURCE_ERRLEN, "%s: unsupported link type %d (%s)", s->name,
			 s->linktype, n != NULL ? n : "unknown");
		goto fail;
	}
	if (o->filter != NULL && !set_filter(s, o->filter, err))
		goto fail;
	if (o->write_to != NULL && !open_dump(s, o->write_to, err))
		goto fail;
	return s;
fail:
	source_close(s, 0, tmp);
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

int source_next(struct source *s, struct packet *p)
{
	for (;;) {
		int r = pcap_next_ex(s->pcap, &s->hdr, &s->bytes);
		if (r == 1) {
			p->frame = ++s->frame;
			p->ts_sec = s->hdr->ts.tv_sec;
			p->ts_frac = (uint32_t)s->hdr->ts.tv_usec;
			p->ts_nano = (uint8_t)s->nano;
			p->caplen = s->hdr->caplen;
			p->len = s->hdr->len;
			p->data = s->bytes;
			s->clamped += (uint64_t)source_clamp_ts(p);
			if (s->in != NULL && (s->stream || ++s->since_rec_off == CHECKPOINT)) {
				s->rec_off = ftello(s->in);
				s->since_rec_off = 0;
			}
			return 1;
		}
		if (r == 0) {
			/* Live and non-blocking: wait a little for the next packet ourselves,
			 * so that a quiet capture still hands control back now and then. */
			struct pollfd pfd = { s->fd, POLLIN, 0 };
			if (s->fd < 0 || poll(&pfd, 1, 200) == 0)
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

const char *source_error(struct source *s) { return s->errbuf; }
const char *source_warning(struct source *s) { return s->warn[0] ? s->warn : NULL; }
uint64_t source_clamped(const struct source *s) { return s->clamped; }
const char *source_name(const struct source *s) { return s->name; }
int source_linktype(const struct source *s) { return s->linktype; }
int source_nano(const struct source *s) { return s->nano; }

int source_dump(struct source *s)
{
	if (s->dumper == NULL || s->hdr == NULL)
		return 1;
	if (s->dump_err != 0)
		return 0;
	pcap_dump((u_char *)s->dumper, s->hdr, s->bytes);
	s->dump_off += PCAP_REC_HDR + (uint64_t)s->hdr->caplen;
	s->dump_end[s->dumped++ % DUMP_RING] = s->dump_off;
	if (ferror(s->dump_fp)) {
		if (s->dump_err == 0)
			s->dump_err = errno != 0 ? errno : EIO;
		return 0;
	}
	return 1;
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

/* How many packets, of those handed to the dumper, made it out whole; their end offset in *end. */
static uint64_t dump_whole(const struct source *s, uint64_t *end)
{
	uint64_t i = s->dumped, oldest = s->dumped > DUMP_RING ? s->dumped - DUMP_RING : 0;

	while (i > oldest && s->dump_end[(i - 1) % DUMP_RING] > s->dump_written)
		i--;
	if (i == oldest && oldest > 0) {
		*end = PCAP_FILE_HDR;  /* cannot tell (never: stdio holds fewer packets than the ring) */
		return 0;
	}
	*end = i > 0 ? s->dump_end[(i - 1) % DUMP_RING] : PCAP_FILE_HDR;
	return i;
}

/* Close the -w stream. 0 (and err set) after a write error. */
static int close_dump(struct source *s, int commit, char *err)
{
	int e = s->dump_err;
	uint64_t whole = 0, end = 0;

	if (s->dump_fp == stdout) {
		/* -w -: stdout's failures are the command's to report (cli_stdout_finish()) */
		fflush(stdout);
		return 1;
	}
	if (e == 0 && (fflush(s->dump_fp) != 0 || ferror(s->dump_fp)))
		e = s->dump_err != 0 ? s->dump_err : errno;
	if (e == 0 && s->dump_tmp != NULL && fsync(s->dump_fd) != 0)
		e = errno;
	if (e != 0) {
		/* what stdio still holds would land after the cut */
		__fpurge(s->dump_fp);
		whole = dump_whole(s, &end);
		if (s->dump_tmp != NULL && (ftruncate(s->dump_fd, (off_t)end) != 0 || fsync(s->dump_fd) != 0))
			whole = 0;
	}
	pcap_dump_close(s->dumper);           /* closes dump_fd */
	s->dumper = NULL;
	if (s->dump_tmp != NULL) {
		if (commit && (e == 0 || whole > 0) && rename(s->dump_tmp, s->dump_path) != 0) {
			snprintf(err, SOURCE_ERRLEN, "%s: %s", s->wname, strerror(errno));
			unlink(s->dump_tmp);
			return 0;
		}
		if (!commit || (e != 0 && whole == 0))
			unlink(s->dump_tmp);
	}
	if (e == 0)
		return 1;
	if (s->dump_tmp != NULL && commit && whole > 0)
		snprintf(err, SOURCE_ERRLEN, "%s: write failed: %s; kept the first %llu packets written "
			 "(the capture is truncated)", s->wname, strerror(e), (unsigned long long)whole);
	else if (s->dump_tmp != NULL && commit)
		snprintf(err, SOURCE_ERRLEN, "%s: write failed: %s (0 packets written; nothing kept)",
			 s->wname, strerror(e));
	else
		snprintf(err, SOURCE_ERRLEN, "%s: write failed: %s (%llu packets written)", s->wname,
			 strerror(e), (unsigned long long)whole);
	return 0;
}

int source_close(struct source *s, int commit, char *err)
{
	int ok = 1;

	if (s == NULL)
		return 1;
	if (s->dumper != NULL)
		ok = close_dump(s, commit, err);
	else if (s->dump_fd >= 0)
		close(s->dump_fd);
	if (s->pcap != NULL)
		pcap_close(s->pcap);
	else if (s->in_fd >= 0 && s->own_in_fd)
		close(s->in_fd);
	free(s->iobuf);
	free(s->dump_path);
	free(s->dump_tmp);
	free(s);
	return ok;
}
