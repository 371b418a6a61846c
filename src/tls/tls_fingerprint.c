/* tls_fingerprint.c: JA3 and JA4 (FoxIO, TLS over TCP) of a ClientHello. */
#include "tls_fingerprint.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hash.h"
#include "tls_names.h"

/* The extension types JA4 leaves out of its extension hash. */
enum { EXT_SERVER_NAME = 0x0000, EXT_ALPN = 0x0010 };

/*
 * The digests, fetched once and each with one context, kept for the thread's
 * life: EVP_DigestInit_ex with EVP_md5() or EVP_sha256() fetches the
 * implementation anew on every call, which was most of its cost.
 */
struct fp_digests {
	EVP_MD *md5, *sha256;
	EVP_MD_CTX *c_md5, *c_sha256;
};

static _Thread_local struct fp_digests fpd;

static int fp_digests_ready(void)
{
	if (fpd.c_sha256 != NULL)
		return 1;
	fpd.md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	fpd.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	fpd.c_md5 = EVP_MD_CTX_new();
	fpd.c_sha256 = EVP_MD_CTX_new();
	if (fpd.md5 != NULL && fpd.sha256 != NULL && fpd.c_md5 != NULL && fpd.c_sha256 != NULL)
		return 1;
	EVP_MD_free(fpd.md5);
	EVP_MD_free(fpd.sha256);
	EVP_MD_CTX_free(fpd.c_md5);
	EVP_MD_CTX_free(fpd.c_sha256);
	memset(&fpd, 0, sizeof(fpd));
	return 0;   /* tried again on the next hello */
}

/*
 * Items to a digest and, while it has room, to a string. Items are formatted
 * straight into a staging buffer that goes to the digest in large updates.
 */
#define SINK_STAGE 512
#define SINK_ITEM  8     /* the longest item: a separator and five digits */

struct sink {
	EVP_MD_CTX *md;
	char *buf;          /* the string kept (JA3's), or NULL */
	size_t cap, len;
	uint8_t cut;        /* an item did not fit in buf: nothing more is kept */
	uint8_t first;      /* no separator before the next item */
	uint8_t failed;     /* the digest refused an update */
	size_t n;           /* bytes staged */
	char st[SINK_STAGE];
};

static void sink_start(struct sink *s, EVP_MD_CTX *md, char *buf, size_t cap)
{
	s->md = md;
	s->buf = buf;
	s->cap = cap;
	s->len = 0;
	s->cut = s->failed = 0;
	s->first = 1;
	s->n = 0;
}

static void sink_flush(struct sink *s)
{
	if (s->n != 0 && !EVP_DigestUpdate(s->md, s->st, s->n))
		s->failed = 1;
	s->n = 0;
}

/* Where the next item (at most SINK_ITEM bytes) is formatted. */
static char *sink_room(struct sink *s)
{
	if (s->n > SINK_STAGE - SINK_ITEM)
		sink_flush(s);
	return s->st + s->n;
}

/* The item of n bytes at sink_room() is done: staged, and kept whole or not at all. */
static void sink_commit(struct sink *s, size_t n)
{
	if (s->buf != NULL && !s->cut) {
		if (s->len + n < s->cap) {
			memcpy(s->buf + s->len, s->st + s->n, n);
			s->len += n;
		} else {
			s->cut = 1;
		}
	}
	s->n += n;
}

static void sink_chr(struct sink *s, char c)
{
	*sink_room(s) = c;
	sink_commit(s, 1);
}

static void sink_dec(struct sink *s, char sep, unsigned v)
{
	char *o = sink_room(s), d[5];
	size_t k = 0, nd = 0;

	if (!s->first)
		o[k++] = sep;
	s->first = 0;
	do {
		d[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && nd < sizeof(d));
	while (nd > 0)
		o[k++] = d[--nd];
	sink_commit(s, k);
}

static const char hexdig[] = "0123456789abcdef";

static void sink_hex4(struct sink *s, uint16_t v)
{
	char *o = sink_room(s);
	size_t k = 0;

	if (!s->first)
		o[k++] = ',';
	s->first = 0;
	o[k++] = hexdig[v >> 12];
	o[k++] = hexdig[(v >> 8) & 0xf];
	o[k++] = hexdig[(v >> 4) & 0xf];
	o[k++] = hexdig[v & 0xf];
	sink_commit(s, k);
}

/* Hex of the digest, cut to n characters; the kept string is terminated. */
static int sink_final_hex(struct sink *s, char *out, size_t n)
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;

	sink_flush(s);
	if (s->buf != NULL)
		s->buf[s->len] = 0;
	if (!EVP_DigestFinal_ex(s->md, d, &dl) || s->failed || n > 2 * (size_t)dl)
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = hexdig[(d[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[n] = 0;
	return 1;
}


static int src_next(struct cursor *c, enum src_kind k, uint16_t *v)
{
	struct cursor skip;
	uint8_t b;

	for (;;) {
		switch (k) {
		case SRC_U16:
			return cur_get_u16(c, v);
		case SRC_EXT:
			return cur_get_u16(c, v) && cur_get_u16_prefixed(c, &skip);
		case SRC_V2:
			if (!cur_get_u8(c, &b) || !cur_get_u16(c, v))
				return 0;
			if (b == 0)
				return 1;
			break;   /* an SSLv2-only kind: not a TLS suite */
		}
	}
}

/* JA4 leaves out GREASE everywhere, and SNI and ALPN from the extension hash. */
static int ja4_keep(uint16_t v, int is_ext)
{
	return !tls_is_grease(v) && !(is_ext && (v == EXT_SERVER_NAME || v == EXT_ALPN));
}

/* The kept values of a list into dst while they fit (cap); returns how many there are. */
static size_t ja4_collect(struct cursor list, enum src_kind k, int is_ext, uint16_t *dst, size_t cap)
{
	size_t n = 0;
	uint16_t v;

	while (src_next(&list, k, &v))
		if (ja4_keep(v, is_ext)) {
			if (n < cap)
				dst[n] = v;
			n++;
		}
	return n;
}

/* Ascending order: insertion sort for the short lists of real hellos, else two radix passes through tmp. */
static void sort_u16(uint16_t *a, uint16_t *tmp, size_t n)
{
	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			uint16_t v = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1] > v; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	for (int shift = 0; shift < 16; shift += 8) {
		size_t count[257] = { 0 };
		uint16_t *from = shift == 0 ? a : tmp, *to = shift == 0 ? tmp : a;
		for (size_t i = 0; i < n; i++)
			count[((from[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
	}
}

/*
 * The kept values in ascending order, duplicates kept, as comma-separated
 * 4-hex. Lists of real hellos fit on the stack; a longer one (a hostile hello
 * has at most 32,767 values) is sorted in memory freed before returning.
 * Returns how many were written, -1 when out of memory.
 */
#define SORT_LOCAL 256

static long emit_sorted(struct sink *s, struct cursor list, enum src_kind k, int is_ext)
{
	uint16_t local[2 * SORT_LOCAL], *a = local, *heap = NULL;
	size_t n = ja4_collect(list, k, is_ext, local, SORT_LOCAL);

	if (n > SORT_LOCAL) {
		heap = malloc(2 * n * sizeof(*heap));
		if (heap == NULL)
			return -1;
		a = heap;
		ja4_collect(list, k, is_ext, a, n);
	}
	sort_u16(a, a + n, n);
	for (size_t i = 0; i < n; i++)
		sink_hex4(s, a[i]);
	free(heap);
	return (long)n;
}

static const char *ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default:     return "00";
	}
}

static int alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned count_kept(struct cursor list, enum src_kind k)
{
	unsigned n = 0;
	uint16_t v;

	while (src_next(&list, k, &v))
		n += !tls_is_grease(v);
	return n;
}

static void two_digits(char *p, unsigned n)
{
	if (n > 99)
		n = 99;
	p[0] = (char)('0' + n / 10);
	p[1] = (char)('0' + n % 10);
}

/* JA4's characters that depend on more than the lists: protocol, version, SNI, ALPN. */
static void ja4_hello_chars(struct tls_client_hello *ch, const struct ch_wire *w)
{
	char *p = ch->ja4;
	uint8_t a = 0, z = 0;
	size_t alen = cur_len(&w->alpn_first);

	p[0] = 't';
	memcpy(p + 1, ja4_version(ch->version), 2);
	p[3] = ch->has_sni ? 'd' : 'i';
	p[8] = p[9] = '0';
	if (w->have_alpn && alen != 0 && cur_peek_u8(&w->alpn_first, 0, &a) && cur_peek_u8(&w->alpn_first, alen - 1, &z)) {
		if (alnum(a) && alnum(z)) {
			p[8] = (char)a;
			p[9] = (char)z;
		} else {
			p[8] = hexdig[a >> 4];
			p[9] = hexdig[z & 0xf];
		}
	}
}

/* JA4 from the lists: the counts and the two hashes. */
static int ja4_lists(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck)
{
	char *p = ch->ja4;
	struct sink s;
	struct cursor sig = w->sigalgs;
	unsigned nsig = 0;
	long n;
	uint16_t v;

	two_digits(p + 4, count_kept(w->ciphers, ck));
	two_digits(p + 6, count_kept(w->exts, SRC_EXT));
	p[10] = '_';

	if (!EVP_DigestInit_ex(fpd.c_sha256, fpd.sha256, NULL))
		return 0;
	sink_start(&s, fpd.c_sha256, NULL, 0);
	if ((n = emit_sorted(&s, w->ciphers, ck, 0)) < 0)
		return 0;
	if (n == 0)
		memcpy(p + 11, "000000000000", 13);
	else if (!sink_final_hex(&s, p + 11, 12))
		return 0;
	p[23] = '_';

	if (!EVP_DigestInit_ex(fpd.c_sha256, fpd.sha256, NULL))
		return 0;
	sink_start(&s, fpd.c_sha256, NULL, 0);
	if ((n = emit_sorted(&s, w->exts, SRC_EXT, 1)) < 0)
		return 0;
	if (n == 0) {
		memcpy(p + 24, "000000000000", 13);
		return 1;
	}
	while (cur_get_u16(&sig, &v)) {
		if (tls_is_grease(v))
			continue;
		if (nsig++ == 0) {
			sink_chr(&s, '_');
			s.first = 1;
		}
		sink_hex4(&s, v);
	}
	return sink_final_hex(&s, p + 24, 12);
}

/* JA3 field of 16-bit values (GREASE dropped), decimal, '-'-joined. */
static void ja3_list(struct sink *s, struct cursor list, enum src_kind k)
{
	uint16_t v;

	s->first = 1;
	while (src_next(&list, k, &v))
		if (!tls_is_grease(v))
			sink_dec(s, '-', v);
}

static int ja3(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck)
{
	struct sink s;
	struct cursor pf = w->point_formats;
	uint8_t b;
	int ok;

	ch->ja3[0] = 0;
	if (!EVP_DigestInit_ex(fpd.c_md5, fpd.md5, NULL))
		return 0;
	sink_start(&s, fpd.c_md5, ch->ja3, sizeof(ch->ja3));
	sink_dec(&s, ',', ch->legacy_version);
	sink_chr(&s, ',');
	ja3_list(&s, w->ciphers, ck);
	sink_chr(&s, ',');
	ja3_list(&s, w->exts, SRC_EXT);
	sink_chr(&s, ',');
	ja3_list(&s, w->groups, SRC_U16);
	sink_chr(&s, ',');
	s.first = 1;
	while (cur_get_u8(&pf, &b))
		sink_dec(&s, '-', b);
	ok = sink_final_hex(&s, ch->ja3_md5, 32);
	ch->ja3_cut = s.cut;
	return ok;
}

/*
 * Fingerprints are memoized per thread: most connections come from a few
 * client builds whose hellos differ only in random, session id, key shares
 * and SNI, none of which JA3 or JA4's lists see. The key is the exact bytes
 * that the fingerprints are computed from, so a hit gives what computing
 * would; hellos whose inputs or JA3 string are too long are not memoized.
 */
#define FP_KEY_MAX 384
#define FP_JA3_MAX 384
#define FP_SETS    16
#define FP_WAYS    4

struct fp_entry {
	uint64_t hash;
	uint16_t key_len;           /* 0: empty */
	uint16_t ja3_len;
	uint8_t key[FP_KEY_MAX];
	char ja3[FP_JA3_MAX];
	char ja3_md5[33];
	char ja4[TLS_HELLO_JA4_LEN];
};

static _Thread_local struct {
	struct fp_entry e[FP_SETS][FP_WAYS];
	uint8_t next[FP_SETS];      /* the way replaced next (round robin) */
} fpc;

static int key_part(uint8_t *key, size_t *n, const uint8_t *p, size_t len)
{
	if (*n + 2 + len > FP_KEY_MAX)
		return 0;
	key[*n] = (uint8_t)(len >> 8);
	key[*n + 1] = (uint8_t)len;
	if (len != 0)
		memcpy(key + *n + 2, p, len);
	*n += 2 + len;
	return 1;
}

/* Everything JA3 and JA4's list parts are made of; 0 when it is too long to memoize. */
static int fp_key(const struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck,
		  uint8_t key[FP_KEY_MAX], size_t *n)
{
	key[0] = (uint8_t)ck;
	key[1] = (uint8_t)(ch->legacy_version >> 8);
	key[2] = (uint8_t)ch->legacy_version;
	*n = 3;
	/* The types as kept (host order): all of them only when none was left out. */
	return ch->extensions_total == ch->n_extensions &&
	       key_part(key, n, (const uint8_t *)ch->extensions, 2u * ch->n_extensions) &&
	       key_part(key, n, cur_data(&w->ciphers), cur_len(&w->ciphers)) &&
	       key_part(key, n, cur_data(&w->groups), cur_len(&w->groups)) &&
	       key_part(key, n, cur_data(&w->point_formats), cur_len(&w->point_formats)) &&
	       key_part(key, n, cur_data(&w->sigalgs), cur_len(&w->sigalgs));
}

static uint64_t fp_hash(const uint8_t *p, size_t n)
{
	return hash_bytes(0, p, n);
}

static struct fp_entry *fp_lookup(const uint8_t *key, size_t n, uint64_t h)
{
	struct fp_entry *set = fpc.e[h % FP_SETS];

	for (int i = 0; i < FP_WAYS; i++)
		if (set[i].hash == h && set[i].key_len == n && memcmp(set[i].key, key, n) == 0)
			return &set[i];
	return NULL;
}

static void fp_store(const struct tls_client_hello *ch, const uint8_t *key, size_t n, uint64_t h)
{
	size_t j = strlen(ch->ja3);
	uint8_t *next = &fpc.next[h % FP_SETS];
	struct fp_entry *e;

	if (ch->ja3_cut || j >= FP_JA3_MAX)
		return;
	e = &fpc.e[h % FP_SETS][*next];
	*next = (uint8_t)((*next + 1) % FP_WAYS);
	e->hash = h;
	e->key_len = (uint16_t)n;
	e->ja3_len = (uint16_t)j;
	memcpy(e->key, key, n);
	memcpy(e->ja3, ch->ja3, j + 1);
	memcpy(e->ja3_md5, ch->ja3_md5, sizeof(e->ja3_md5));
	memcpy(e->ja4, ch->ja4, sizeof(e->ja4));
}

void tls_fingerprints(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck)
{
	uint8_t key[FP_KEY_MAX];
	size_t n = 0;
	int keyed = fp_key(ch, w, ck, key, &n);
	uint64_t h = keyed ? fp_hash(key, n) : 0;
	const struct fp_entry *e = keyed ? fp_lookup(key, n, h) : NULL;

	if (e != NULL) {
		memcpy(ch->ja3, e->ja3, e->ja3_len + 1u);
		memcpy(ch->ja3_md5, e->ja3_md5, sizeof(ch->ja3_md5));
		memcpy(ch->ja4, e->ja4, sizeof(ch->ja4));
		ja4_hello_chars(ch, w);
		return;
	}
	ja4_hello_chars(ch, w);
	if (!fp_digests_ready() || !ja3(ch, w, ck) || !ja4_lists(ch, w, ck)) {
		ch->ja3[0] = ch->ja3_md5[0] = ch->ja4[0] = 0;
		ch->ja3_cut = 0;
		return;
	}
	if (keyed)
		fp_store(ch, key, n, h);
}

