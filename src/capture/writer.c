/* writer.c: pcap files written safely (a private temporary file renamed at the end, whole packets only); <pcap.h> for the header. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "writer.h"

/* The end offsets of the last packets written, to cut the file after a whole
 * packet when a write fails: more packets than stdio's buffer (BUFSIZ for the
 * cookie stream) can hold. */
#define RING 4096
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16
#define MAGIC_MICRO 0xa1b2c3d4u
#define MAGIC_NANO 0xa1b23c4du

struct writer {
	FILE *fp;
	int fd;                    /* under fp, unless it is stdout */
	char *path, *tmp;          /* a temporary file renamed to path at the end */
	char name[WRITER_NAME_LEN];
	int err;                   /* errno of the first failed write */
	int in_place;              /* WRITER_IN_PLACE: path itself, removed if not committed */
	uint64_t packets, off, written;
	uint64_t end[RING];        /* offset after packet i, at i % RING */
};

/* A pcap record header as the file holds it (host byte order, as libpcap writes). */
struct rec_hdr {
	uint32_t sec, frac, caplen, len;
};

void writer_cut_name(char *dst, size_t size, const char *name)
{
	size_t n = strlen(name), head = (size - 4) / 2, tail = size - 4 - head;

	if (n < size) {
		memcpy(dst, name, n + 1);
		return;
	}
	memcpy(dst, name, head);
	memcpy(dst + head, "...", 3);
	memcpy(dst + head + 3, name + n - tail, tail + 1);
}

int writer_format_pcap(struct pcap *p, struct writer_format *f, char *why)
{
	/* libpcap writes the header into memory; we keep what it says */
	char buf[64];
	struct pcap_file_header h;
	pcap_dumper_t *d;
	FILE *m;

	memset(buf, 0, sizeof(buf));
	m = fmemopen(buf, sizeof(buf), "w");
	if (m == NULL) {
		snprintf(why, WRITER_WHYLEN, "%s", strerror(errno));
		return 0;
	}
	d = pcap_dump_fopen(p, m);
	if (d == NULL) {
		snprintf(why, WRITER_WHYLEN, "%s", pcap_geterr(p));
		fclose(m);
		return 0;
	}
	pcap_dump_close(d);
	memcpy(&h, buf, sizeof(h));
	f->linktype = h.linktype;
	f->snaplen = h.snaplen;
	f->nano = h.magic == MAGIC_NANO;
	return 1;
}

int writer_format_dlt(int dlt, int snaplen, int nano, struct writer_format *f, char *err)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, snaplen,
		nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	int ok;

	if (p == NULL) {
		snprintf(err, WRITER_ERRLEN, "out of memory");
		return 0;
	}
	ok = writer_format_pcap(p, f, err);
	pcap_close(p);
	return ok;
}

/* The stream's writes: counted, so that after a failed one we know which packets are whole. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
	struct writer *w = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(w->fd, buf + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (w->err == 0)
				w->err = k < 0 ? errno : EIO;
			break;
		}
		done += (size_t)k;
		w->written += (uint64_t)k;
	}
	return done == 0 && n > 0 ? -1 : (ssize_t)done;
}

static int cookie_close(void *cookie)
{
	struct writer *w = cookie;
	int r = w->fd >= 0 ? close(w->fd) : 0;
	w->fd = -1;
	return r;
}

/* The file header, as libpcap's pcap_dump_fopen() writes it. 0 if stdio refused it. */
static int put_header(FILE *fp, const struct writer_format *f)
{
	struct pcap_file_header h;

	memset(&h, 0, sizeof(h));
	h.magic = f->nano ? MAGIC_NANO : MAGIC_MICRO;
	h.version_major = PCAP_VERSION_MAJOR;
	h.version_minor = PCAP_VERSION_MINOR;
	h.snaplen = f->snaplen;
	h.linktype = f->linktype;
	return fwrite(&h, sizeof(h), 1, fp) == 1;
}

/* The stream on descriptor fd (ours from now on, closed on failure), its header written. */
static int start(struct writer *w, int fd, const struct writer_format *f, char *err)
{
	cookie_io_functions_t io = { NULL, cookie_write, NULL, cookie_close };

	w->fd = fd;
	w->fp = fopencookie(w, "wb", io);
	if (w->fp == NULL) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name, strerror(errno));
		cookie_close(w);
		return 0;
	}
	__fsetlocking(w->fp, FSETLOCKING_BYCALLER);   /* ours alone: no locking per fwrite */
	put_header(w->fp, f);     /* into stdio's buffer: a failure shows at the first flush */
	w->off = PCAP_FILE_HDR;
	return 1;
}

/* A FIFO or a device: written in place, as tcpdump does. */
static int open_direct(struct writer *w, const char *path, const struct stat *want, int via_link,
		       const struct writer_format *f, char *err)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (via_link ? 0 : O_NOFOLLOW));

	if (fd < 0) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) != 0 || st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: it changed while being opened", w->name);
		close(fd);
		return 0;
	}
	return start(w, fd, f, err);
}

/* A regular file (or a new name): a private temporary file beside it, renamed at the end. */
static int open_temp(struct writer *w, const char *target, const char *path, const struct writer_format *f,
		     char *err)
{
	int fd;

	w->path = target != NULL ? strdup(target) : realpath(path, NULL);
	if (w->path == NULL) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name, strerror(errno));
		return 0;
	}
	if (asprintf(&w->tmp, "%s.partial.XXXXXX", w->path) < 0) {
		w->tmp = NULL;
		snprintf(err, WRITER_ERRLEN, "%s: out of memory", w->name);
		return 0;
	}
	fd = mkstemp(w->tmp);
	if (fd < 0) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		return 0;
	}
	if (!start(w, fd, f, err)) {
		unlink(w->tmp);
		free(w->tmp);
		w->tmp = NULL;
		return 0;
	}
	return 1;
}

/* WRITER_IN_PLACE: the regular file itself, created or truncated (mode 0600 when new). */
static int open_in_place(struct writer *w, const char *path, const struct writer_format *f, char *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC, 0600);

	if (fd < 0) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name, strerror(errno));
		return 0;
	}
	w->path = strdup(path);
	if (w->path == NULL) {
		snprintf(err, WRITER_ERRLEN, "%s: out of memory", w->name);
		close(fd);
		unlink(path);
		return 0;
	}
	w->in_place = 1;
	if (!start(w, fd, f, err)) {
		unlink(path);
		return 0;
	}
	return 1;
}

/* What path names, and where to write it: 1 written, 0 refused (err set). */
static int open_path(struct writer *w, const char *path, const struct writer_format *f,
		     const struct stat *input, unsigned flags, char *err)
{
	struct stat lst, st;
	int exists = lstat(path, &lst) == 0;
	const char *target = path;

	if (!exists && errno != ENOENT) {
		snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name, strerror(errno));
		return 0;
	}
	if (exists) {
		if (stat(path, &st) != 0) {
			snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name,
				 errno == ENOENT ? "a dangling symbolic link (its target does not exist)"
						 : strerror(errno));
			return 0;
		}
		if (input != NULL && st.st_dev == input->st_dev && st.st_ino == input->st_ino) {
			snprintf(err, WRITER_ERRLEN, "%s: cannot write: it is the input file (-r)", w->name);
			return 0;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, WRITER_ERRLEN, "%s: cannot write: is a directory", w->name);
			return 0;
		}
		if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			return open_direct(w, path, &st, S_ISLNK(lst.st_mode), f, err);
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, WRITER_ERRLEN, "%s: cannot write: %s", w->name,
				 S_ISSOCK(st.st_mode) ? "is a socket" : "not a regular file, FIFO or device");
			return 0;
		}
		if (S_ISLNK(lst.st_mode))
			target = NULL;
	}
	if (flags & WRITER_IN_PLACE)
		return open_in_place(w, target != NULL ? target : path, f, err);
	return open_temp(w, target, path, f, err);
}

static void free_writer(struct writer *w)
{
	free(w->path);
	free(w->tmp);
	free(w);
}

struct writer *writer_open(const char *path, const struct writer_format *f, const struct stat *input,
			   char *err)
{
	return writer_open_flags(path, f, input, 0, err);
}

struct writer *writer_open_flags(const char *path, const struct writer_format *f, const struct stat *input,
				 unsigned flags, char *err)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		snprintf(err, WRITER_ERRLEN, "out of memory");
		return NULL;
	}
	w->fd = -1;
	writer_cut_name(w->name, sizeof(w->name), path);
	if (strcmp(path, "-") == 0) {
		/* stdout: its failures are the command's to report, at its flush */
		w->fp = stdout;
		if (!put_header(stdout, f)) {
			snprintf(err, WRITER_ERRLEN, "-: Can't write to standard output: %s", strerror(errno));
			free_writer(w);
			return NULL;
		}
		return w;
	}
	if (!open_path(w, path, f, input, flags, err)) {
		free_writer(w);
		return NULL;
	}
	return w;
}

int writer_packet(struct writer *w, int64_t ts_sec, uint32_t ts_frac, uint32_t caplen, uint32_t len,
		  const uint8_t *data)
{
	struct rec_hdr h = { (uint32_t)ts_sec, ts_frac, caplen, len };

	if (w->err != 0)
		return 0;
	/* as pcap_dump(): the packet only after its whole header */
	if (!ferror(w->fp) && fwrite(&h, sizeof(h), 1, w->fp) == 1)
		fwrite(data, caplen, 1, w->fp);
	w->off += PCAP_REC_HDR + (uint64_t)caplen;
	w->end[w->packets++ % RING] = w->off;
	if (ferror(w->fp)) {
		if (w->err == 0)
			w->err = errno != 0 ? errno : EIO;
		return 0;
	}
	return 1;
}

const char *writer_name(const struct writer *w) { return w->name; }
uint64_t writer_size(const struct writer *w) { return w->off; }

int writer_flush(struct writer *w)
{
	if (w->err != 0)
		return 0;
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		w->err = errno != 0 ? errno : EIO;
		return 0;
	}
	return 1;
}

/* How many packets, of those handed to stdio, made it out whole; their end offset in *end. */
static uint64_t whole_packets(const struct writer *w, uint64_t *end)
{
	uint64_t i = w->packets, oldest = w->packets > RING ? w->packets - RING : 0;

	while (i > oldest && w->end[(i - 1) % RING] > w->written)
		i--;
	if (i == oldest && oldest > 0) {
		*end = PCAP_FILE_HDR;  /* cannot tell (never: stdio holds fewer packets than the ring) */
		return 0;
	}
	*end = i > 0 ? w->end[(i - 1) % RING] : PCAP_FILE_HDR;
	return i;
}

/* Flush (and sync a temporary file); after a failure, cut it after its last
 * whole packet. The errno of the failure, or 0; *whole: the packets kept. */
static int finish_file(struct writer *w, uint64_t *whole)
{
	int e = w->err;
	uint64_t end = 0;

	*whole = 0;
	if (e == 0 && (fflush(w->fp) != 0 || ferror(w->fp)))
		e = w->err != 0 ? w->err : errno;
	if (e == 0 && (w->tmp != NULL || w->in_place) && fsync(w->fd) != 0)
		e = errno;
	if (e != 0) {
		/* what stdio still holds would land after the cut */
		__fpurge(w->fp);
		*whole = whole_packets(w, &end);
		if ((w->tmp != NULL || w->in_place) && (ftruncate(w->fd, (off_t)end) != 0 || fsync(w->fd) != 0))
			*whole = 0;
	}
	fclose(w->fp);            /* closes fd */
	w->fp = NULL;
	return e;
}

/* Rename or remove the temporary file; then say what a failed write left. 0 on any failure. */
static int settle(struct writer *w, int commit, int e, uint64_t whole, char *err)
{
	if (w->tmp != NULL) {
		if (commit && (e == 0 || whole > 0) && rename(w->tmp, w->path) != 0) {
			snprintf(err, WRITER_ERRLEN, "%s: %s", w->name, strerror(errno));
			unlink(w->tmp);
			return 0;
		}
		if (!commit || (e != 0 && whole == 0))
			unlink(w->tmp);
	}
	if (w->in_place && (!commit || (e != 0 && whole == 0)))
		unlink(w->path);
	if (e == 0)
		return 1;
	if ((w->tmp != NULL || w->in_place) && commit && whole > 0)
		snprintf(err, WRITER_ERRLEN, "%s: write failed: %s; kept the first %llu packets written "
			 "(the capture is truncated)", w->name, strerror(e), (unsigned long long)whole);
	else if ((w->tmp != NULL || w->in_place) && commit)
		snprintf(err, WRITER_ERRLEN, "%s: write failed: %s (0 packets written; nothing kept)",
			 w->name, strerror(e));
	else
		snprintf(err, WRITER_ERRLEN, "%s: write failed: %s (%llu packets written)", w->name,
			 strerror(e), (unsigned long long)whole);
	return 0;
}

int writer_close(struct writer *w, int commit, char *err)
{
	uint64_t whole;
	int e, ok;

	if (w == NULL)
		return 1;
	if (w->fp == stdout) {
		/* -w -: stdout's failures are the command's to report (its own flush) */
		fflush(stdout);
		free_writer(w);
		return 1;
	}
	e = finish_file(w, &whole);
	ok = settle(w, commit, e, whole, err);
	free_writer(w);
	return ok;
}
