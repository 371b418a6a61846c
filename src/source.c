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
 * 4 KiB, a tenth of the time of a whole analysis. */
#define IOBUF_LEN (64 * 1024)

struct source {
	pcap_t *pcap;
	int linktype;
	int nano;
	int live;
	int fd;                    /* live: the descriptor to poll, or -1 */
	volatile int stop;         /* set by source_break() */
	uint64_t frame;
	const char *name;          /* the file or interface, for messages */
	/* what we sniffed off the front of a file, served again to libpcap */
	FILE *under;
	uint8_t sniff[SNIFF_LEN];
	size_t sniff_len, sniff_pos;
	/* -w */
	pcap_dumper_t *dumper;
	char *dump_path, *dump_tmp;
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	char errbuf[PCAP_ERRBUF_SIZE + SOURCE_ERRLEN];
	char *iobuf[2];            /* the file's and the replaying stream's, freed after them */
};

/* A FILE that yields the sniffed prefix, then the rest of the underlying stream. */
static ssize_t replay_read(void *cookie, char *buf, size_t n)
{
	struct source *s = cookie;
	if (s->sniff_pos < s->sniff_len) {
		size_t k = s->sniff_len - s->sniff_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->sniff + s->sniff_pos, k);
		s->sniff_pos += k;
		return (ssize_t)k;
	}
	size_t got = fread(buf, 1, n, s->under);
	if (got == 0 && ferror(s->under))
		return -1;
	return (ssize_t)got;
}

static int replay_close(void *cookie)
{
	struct source *s = cookie;
	int r = 0;
	if (s->under != stdin)
		r = fclose(s->under);
	s->under = NULL;
	return r;
}

/*
 * libpcap converts every timestamp to the precision we ask for; to print
 * what the file holds we need its own precision: the pcap magic, or a
 * pcapng interface's if_tsresol.
 */
static int sniff_nano(const uint8_t *b, size_t n)
{
	struct cursor c = cur_make(b, n), blk, opts, opt;
	uint32_t magic, type, len, bom;
	int le;

	if (!cur_get_u32(&c, &magic))
		return 0;
	if (magic == 0xa1b23c4d || magic == 0x4d3cb2a1)
		return 1;
	if (magic != 0x0a0d0d0a)
		return 0;
	c = cur_make(b, n);
	/* Section header: type, length, byte-order magic. */
	if (!cur_skip(&c, 4) || !cur_skip(&c, 4) || !cur_get_u32(&c, &bom))
		return 0;
	le = bom == 0x4d3c2b1a;
	c = cur_make(b, n);
	while (cur_len(&c) >= 12) {
		struct cursor h = c;
		if (le) {
			cur_get_u32le(&h, &type);
			cur_get_u32le(&h, &len);
		} else {
			cur_get_u32(&h, &type);
			cur_get_u32(&h, &len);
		}
		if (len < 12 || !cur_get_bytes(&c, &blk, len))
			return 0;
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
	return 0;
}

/* stdin outlives every source: its buffer must too. */
static char stdin_buf[IOBUF_LEN];

static int open_file(struct source *s, const char *path, char *err)
{
	struct stat st;
	FILE *fp, *in;
	int seekable;
	char ebuf[PCAP_ERRBUF_SIZE];
	cookie_io_functions_t io = { replay_read, NULL, NULL, replay_close };

	s->name = strcmp(path, "-") == 0 ? "stdin" : path;
	if (strcmp(path, "-") == 0) {
		fp = stdin;
	} else {
		if (stat(path, &st) != 0) {
			snprintf(err, SOURCE_ERRLEN, "%s: %s", path, strerror(errno));
			return 0;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, SOURCE_ERRLEN, "%s: is a directory, not a capture file", path);
			return 0;
		}
		fp = fopen(path, "rb");
		if (fp == NULL) {
			snprintf(err, SOURCE_ERRLEN, "%s: %s", path, strerror(errno));
			return 0;
		}
	}
	s->under = fp;
	if (fp != stdin && (s->iobuf[0] = malloc(IOBUF_LEN)) != NULL)
		setvbuf(fp, s->iobuf[0], _IOFBF, IOBUF_LEN);
	else if (fp == stdin)
		setvbuf(fp, stdin_buf, _IOFBF, sizeof(stdin_buf));
	__fsetlocking(fp, FSETLOCKING_BYCALLER);   /* one thread reads it: no locking per fread */
	s->sniff_len = fread(s->sniff, 1, sizeof(s->sniff), fp);
	if (s->sniff_len == 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name,
			 ferror(fp) ? strerror(errno) : "empty file, not a capture");
		return 0;
	}
	s->nano = sniff_nano(s->sniff, s->sniff_len);
	/* A seekable file is rewound and read by libpcap directly; a pipe gets the
	 * sniffed prefix replayed in front of the rest. */
	seekable = fp != stdin && fseek(fp, 0, SEEK_SET) == 0;
	in = seekable ? fp : fopencookie(s, "rb", io);
	if (in == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", s->name, strerror(errno));
		return 0;
	}
	if (!seekable && (s->iobuf[1] = malloc(IOBUF_LEN)) != NULL)
		setvbuf(in, s->iobuf[1], _IOFBF, IOBUF_LEN);
	s->pcap = pcap_fopen_offline_with_tstamp_precision(in,
		s->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (s->pcap == NULL) {
		if (!seekable)
			fclose(in);    /* closes the stream under it too */
		snprintf(err, SOURCE_ERRLEN, "%s: not a capture file libpcap can read (%s)",
			 s->name, ebuf);
		return 0;
	}
	if (seekable)
		s->under = NULL;       /* pcap_close() closes it */
	return 1;
}

static int open_live(struct source *s, const struct source_opts *o, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int r;

	s->name = o->iface;
	s->live = 1;
	s->pcap = pcap_create(o->iface, ebuf);
	if (s->pcap == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: %s", o->iface, ebuf);
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
				 o->iface, why);
		else if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, SOURCE_ERRLEN, "%s: no such interface", o->iface);
		else
			snprintf(err, SOURCE_ERRLEN, "%s: %s", o->iface,
				 why[0] ? why : pcap_statustostr(r));
		return 0;
	}
	if (r > 0)
		fprintf(stderr, "synack: warning: %s: %s\n", o->iface, pcap_statustostr(r));
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

	if (s->live && pcap_lookupnet(s->name, &net, &mask, ebuf) != 0)
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

/* -w goes to a private temporary file (mode 0600 from birth), renamed into place at the end. */
static int open_dump(struct source *s, const char *path, char *err)
{
	FILE *fp;
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		s->dumper = pcap_dump_fopen(s->pcap, stdout);
		if (s->dumper == NULL) {
			snprintf(err, SOURCE_ERRLEN, "-: %s", pcap_geterr(s->pcap));
			return 0;
		}
		return 1;
	}
	/* Say so now, not when the rename fails after a whole live capture. */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: is a directory", path);
		return 0;
	}
	s->dump_path = strdup(path);
	if (s->dump_path == NULL || asprintf(&s->dump_tmp, "%s.partial.XXXXXX", path) < 0) {
		s->dump_tmp = NULL;
		snprintf(err, SOURCE_ERRLEN, "%s: out of memory", path);
		return 0;
	}
	fd = mkstemp(s->dump_tmp);
	if (fd < 0) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", path, strerror(errno));
		free(s->dump_tmp);
		s->dump_tmp = NULL;
		return 0;
	}
	fp = fdopen(fd, "wb");
	if (fp == NULL || (s->dumper = pcap_dump_fopen(s->pcap, fp)) == NULL) {
		snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", path,
			 fp == NULL ? strerror(errno) : pcap_geterr(s->pcap));
		if (fp != NULL)
			fclose(fp);
		else
			close(fd);
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
		if (r == PCAP_ERROR_BREAK)
			return 0;
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->name, pcap_geterr(s->pcap));
		return -1;
	}
}

const char *source_error(struct source *s) { return s->errbuf; }
int source_linktype(const struct source *s) { return s->linktype; }
int source_nano(const struct source *s) { return s->nano; }

void source_dump(struct source *s)
{
	if (s->dumper != NULL && s->hdr != NULL)
		pcap_dump((u_char *)s->dumper, s->hdr, s->bytes);
}

void source_break(struct source *s)
{
	if (s != NULL && s->pcap != NULL) {
		s->stop = 1;
		pcap_breakloop(s->pcap);
	}
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

int source_close(struct source *s, int commit, char *err)
{
	int ok = 1;

	if (s == NULL)
		return 1;
	if (s->dumper != NULL) {
		FILE *fp = pcap_dump_file(s->dumper);
		if (fflush(fp) != 0 || ferror(fp) || (s->dump_tmp != NULL && fsync(fileno(fp)) != 0)) {
			ok = 0;
			snprintf(err, SOURCE_ERRLEN, "%s: write failed: %s",
				 s->dump_path ? s->dump_path : "-", strerror(errno));
		}
		if (s->dump_tmp != NULL)
			pcap_dump_close(s->dumper);
		else
			fflush(stdout);
		if (s->dump_tmp != NULL) {
			if (ok && commit && rename(s->dump_tmp, s->dump_path) != 0) {
				ok = 0;
				snprintf(err, SOURCE_ERRLEN, "%s: %s", s->dump_path, strerror(errno));
			}
			if (!ok || !commit)
				unlink(s->dump_tmp);
		}
	}
	if (s->pcap != NULL)
		pcap_close(s->pcap);
	else if (s->under != NULL && s->under != stdin)
		fclose(s->under);
	free(s->iobuf[0]);
	free(s->iobuf[1]);
	free(s->dump_path);
	free(s->dump_tmp);
	free(s);
	return ok;
}
