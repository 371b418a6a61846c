/* dsb.c: a bounded walk over a pcapng file's blocks that reads only the TLS key log Decryption Secrets Blocks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cursor.h"
#include "dsb.h"
#include "keylog_int.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_DSB 0x0000000Au
#define SECRETS_TLSK 0x544c534bu
#define SHB_MIN 28u            /* type, length, BOM, version, section length, trailer */
#define BUF_SIZE (64 * 1024)

/* Where the blocks come from: bytes in memory, or a file read through a buffer (skips seek). */
struct src {
	struct cursor mem;
	int fd;                  /* -1: memory */
	uint64_t pos, size;      /* the file's: where we are, how long it was when opened */
	uint8_t *buf;
	size_t bpos, blen;
	int io_error;
};

/* n bytes (n <= BUF_SIZE) into out: 1, or 0 if fewer are left (or a read failed). */
static int src_read(struct src *s, uint8_t *out, size_t n)
{
	if (s->fd < 0)
		return cur_copy(&s->mem, out, n);
	if (n > s->size - s->pos)
		return 0;
	while (n > 0) {
		size_t k;
		if (s->bpos == s->blen) {
			ssize_t r = read(s->fd, s->buf, BUF_SIZE);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				s->io_error = r < 0;
				return 0;
			}
			s->bpos = 0;
			s->blen = (size_t)r;
		}
		k = s->blen - s->bpos < n ? s->blen - s->bpos : n;
		memcpy(out, s->buf + s->bpos, k);
		s->bpos += k;
		s->pos += k;
		out += k;
		n -= k;
	}
	return 1;
}

/* Skip n bytes: 1, or 0 if fewer are left. A file skips in its buffer, or seeks past it. */
static int src_skip(struct src *s, uint64_t n)
{
	if (s->fd < 0)
		return n <= cur_len(&s->mem) && cur_skip(&s->mem, (size_t)n);
	if (n > s->size - s->pos)
		return 0;
	if (n <= s->blen - s->bpos) {
		s->bpos += (size_t)n;
	} else {
		uint64_t ahead = n - (s->blen - s->bpos);
		if (lseek(s->fd, (off_t)ahead, SEEK_CUR) < 0) {
			s->io_error = 1;
			return 0;
		}
		s->bpos = s->blen = 0;
	}
	s->pos += n;
	return 1;
}

static int src_at_end(const struct src *s)
{
	return s->fd < 0 ? cur_len(&s->mem) == 0 : s->pos == s->size;
}

static uint32_t get32(const uint8_t *p, int le)
{
	struct cursor c = cur_make(p, 4);
	uint32_t v = 0;
	if (le)
		cur_get_u32le(&c, &v);
	else
		cur_get_u32(&c, &v);
	return v;
}

/* The TLSK text of body_len bytes (secrets length sl first read): fed to the store, or skipped. */
static enum dsb_result read_tlsk(struct keylog *kl, struct src *s, uint32_t sl, uint64_t *left)
{
	uint8_t *text;
	int ok;

	if (sl > kl->lim.max_dsb_bytes - kl->dsb_used) {
		kl->st.dsb_over_budget++;
		return DSB_OK;
	}
	if (sl == 0) {
		kl->st.dsb_blocks++;
		return DSB_OK;
	}
	if ((text = malloc(sl)) == NULL) {
		kl->st.alloc_failed++;
		return DSB_OK;
	}
	ok = 1;
	for (uint32_t done = 0; ok && done < sl; done += sl - done < BUF_SIZE ? sl - done : BUF_SIZE)
		ok = src_read(s, text + done, sl - done < BUF_SIZE ? sl - done : BUF_SIZE);
	if (ok) {
		uint32_t n = sl;
		while (n > 0 && text[n - 1] == 0)
			n--;                /* a writer's terminating NULs are not a line */
		kl->dsb_used += sl;
		kl->st.dsb_bytes += sl;
		kl->st.dsb_blocks++;
		keylog_reader_reset(&kl->aux_rd, KEYLOG_SRC_DSB);
		kl->aux_rd.dsb_index = kl->st.dsb_blocks;
		keylog_read_text(kl, &kl->aux_rd, (const char *)text, n);
		keylog_read_end(kl, &kl->aux_rd);
		*left -= sl;
	}
	OPENSSL_cleanse(text, sl);
	free(text);
	return ok ? DSB_OK : DSB_TRUNCATED;
}

/* A DSB's body (left bytes, the trailer excluded): secrets type, length, then the text. */
static enum dsb_result read_dsb(struct keylog *kl, struct src *s, int le, uint64_t *left)
{
	uint8_t h[8];
	uint32_t type, sl;

	if (*left < 8)
		return DSB_INVALID;
	if (!src_read(s, h, 8))
		return DSB_TRUNCATED;
	*left -= 8;
	type = get32(h, le);
	sl = get32(h + 4, le);
	if (sl > *left)
		return DSB_INVALID;
	if (type != SECRETS_TLSK) {
		kl->st.dsb_other++;
		return DSB_OK;
	}
	return read_tlsk(kl, s, sl, left);
}

/* The walk: blocks until the end. The first must be a Section Header Block, or it is not pcapng. */
static enum dsb_result walk(struct keylog *kl, struct src *s)
{
	uint8_t h[12];
	int le = 0;
	enum dsb_result r;

	for (int first = 1;; first = 0) {
		uint32_t type, len;
		uint64_t left;

		if (!first && src_at_end(s))
			return DSB_OK;
		if (!src_read(s, h, 8))
			return first ? DSB_NONE : DSB_TRUNCATED;
		type = get32(h, 0);       /* the SHB's type reads the same in both orders */
		if (type == BT_SHB) {
			if (!src_read(s, h + 8, 4))
				return DSB_TRUNCATED;
			if (get32(h + 8, 0) == 0x1A2B3C4Du)
				le = 0;
			else if (get32(h + 8, 1) == 0x1A2B3C4Du)
				le = 1;
			else
				return first ? DSB_NONE : DSB_INVALID;
		} else if (first) {
			return DSB_NONE;
		}
		type = get32(h, le);
		len = get32(h + 4, le);
		if (len % 4 != 0 || len < (type == BT_SHB ? SHB_MIN : 12u))
			return DSB_INVALID;
		left = (uint64_t)len - (type == BT_SHB ? 16 : 12);
		if (type == BT_DSB && (r = read_dsb(kl, s, le, &left)) != DSB_OK)
			return r;
		if (!src_skip(s, left) || !src_read(s, h, 4))
			return DSB_TRUNCATED;
		if (get32(h, le) != len)
			return DSB_INVALID;
	}
}

enum dsb_result dsb_load_mem(struct keylog *kl, const uint8_t *data, size_t len)
{
	struct src s;

	memset(&s, 0, sizeof(s));
	s.fd = -1;
	s.mem = cur_make(data, len);
	return walk(kl, &s);
}

enum dsb_result dsb_load(struct keylog *kl, const char *path, char *err)
{
	struct src s;
	struct stat st;
	enum dsb_result r;

	if (strcmp(path, "-") == 0)
		return DSB_NONE;
	memset(&s, 0, sizeof(s));
	s.fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (s.fd < 0 || fstat(s.fd, &st) != 0) {
		snprintf(err, KEYLOG_ERR_LEN, "%s: %s", path, strerror(errno));
		if (s.fd >= 0)
			close(s.fd);
		return DSB_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		close(s.fd);
		return DSB_NONE;
	}
	if ((s.buf = malloc(BUF_SIZE)) == NULL) {
		snprintf(err, KEYLOG_ERR_LEN, "%s: %s", path, "out of memory");
		close(s.fd);
		return DSB_ERROR;
	}
	s.size = (uint64_t)st.st_size;
	r = walk(kl, &s);
	if (s.io_error) {
		snprintf(err, KEYLOG_ERR_LEN, "%s: %s", path, "read error");
		r = DSB_ERROR;
	}
	OPENSSL_cleanse(s.buf, BUF_SIZE);      /* it held DSB text */
	free(s.buf);
	close(s.fd);
	return r;
}

const char *dsb_result_name(enum dsb_result r)
{
	switch (r) {
	case DSB_OK: return "ok";
	case DSB_NONE: return "not pcapng";
	case DSB_TRUNCATED: return "truncated";
	case DSB_INVALID: return "invalid block";
	case DSB_ERROR: return "unreadable";
	}
	return "?";
}
