/* keylog_file.c: a key log file read whole, then re-read as it grows, is truncated or is replaced. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "keylog_int.h"

#define READ_CHUNK (64 * 1024)

static int fail(char *err, const char *path, const char *why)
{
	if (err != NULL)
		snprintf(err, KEYLOG_ERR_LEN, "%s: %s", path, why);
	return 0;
}

/* A FIFO (e.g. <(zcat keys.gz)) or a socket: read to its end; nothing to compare offsets with. */
static int read_stream(struct keylog *kl, int fd, char *buf, char *err)
{
	for (;;) {
		ssize_t n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(err, kl->path, strerror(errno));
		if (n == 0)
			return 1;
		kl->st.bytes_read += (uint64_t)n;
		keylog_read_text(kl, &kl->file_rd, buf, (size_t)n);
	}
}

/* A regular file: from the offset up to the size it has now (a writer racing us is read next time). */
static int read_regular(struct keylog *kl, int fd, const struct stat *st, char *buf, char *err)
{
	if (kl->have_id && (st->st_ino != kl->ino || st->st_dev != kl->dev || (uint64_t)st->st_size < kl->offset)) {
		kl->st.restarts++;
		kl->offset = 0;
		keylog_reader_reset(&kl->file_rd, KEYLOG_SRC_FILE);
	}
	kl->have_id = 1;
	kl->ino = st->st_ino;
	kl->dev = st->st_dev;
	while (kl->offset < (uint64_t)st->st_size) {
		uint64_t left = (uint64_t)st->st_size - kl->offset;
		ssize_t n = pread(fd, buf, left < READ_CHUNK ? (size_t)left : READ_CHUNK, (off_t)kl->offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(err, kl->path, strerror(errno));
		if (n == 0)
			break;          /* shrunk while we read: the next refresh sees it */
		kl->offset += (uint64_t)n;
		kl->st.bytes_read += (uint64_t)n;
		keylog_read_text(kl, &kl->file_rd, buf, (size_t)n);
	}
	return 1;
}

int keylog_refresh(struct keylog *kl, char *err)
{
	char *buf;
	struct stat st;
	int fd, ok;

	if (kl == NULL || kl->path == NULL)
		return fail(err, "key log", "not opened from a file");
	if (kl->stream)
		return 1;       /* reopening a pipe would wait for another writer */
	fd = open(kl->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, kl->path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		ok = fail(err, kl->path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		ok = fail(err, kl->path, "is a directory");
	} else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)) {
		ok = fail(err, kl->path, "not a regular file or a pipe");
	} else if ((buf = malloc(READ_CHUNK)) == NULL) {
		ok = fail(err, kl->path, "out of memory");
	} else {
		kl->stream = !S_ISREG(st.st_mode);
		ok = kl->stream ? read_stream(kl, fd, buf, err) : read_regular(kl, fd, &st, buf, err);
		OPENSSL_cleanse(buf, READ_CHUNK);
		free(buf);
	}
	close(fd);
	return ok;
}

void keylog_finish(struct keylog *kl)
{
	if (kl != NULL)
		keylog_read_end(kl, &kl->file_rd);
}

struct keylog *keylog_open(const char *path, unsigned flags, const struct keylog_limits *lim, char *err)
{
	struct keylog *kl = keylog_new(lim);

	if (kl == NULL || (kl->path = strdup(path)) == NULL) {
		fail(err, path, "out of memory");
		keylog_close(kl);
		return NULL;
	}
	kl->flags = flags;
	if (!keylog_refresh(kl, err)) {
		keylog_close(kl);
		return NULL;
	}
	if (!(flags & KEYLOG_LIVE))
		keylog_finish(kl);
	return kl;
}
