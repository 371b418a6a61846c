/* frag.c: IPv4 and IPv6 fragment reassembly: held by datagram, bounded, overlaps as Linux treats them. */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "frag.h"
#include "hash.h"

#define FRAG_BUCKETS 8192                      /* a power of two; twice FRAG_MAX_DATAGRAMS */
#define FRAG_BUF ((size_t)FRAG_HDR_MAX + 65536 + 64)  /* a frame rebuilt, or a datagram made whole */

/* What identifies a datagram: compared whole (memcmp), so no padding is left undefined. */
struct frag_key {
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t v6, proto, pad[2];
};

/* One fragment as it came: its frame's facts and its headers (its payload is in the datagram). */
struct frag_piece {
	uint64_t frame;
	int64_t ts_sec;
	uint32_t ts_frac;
	uint32_t caplen, len;          /* of its frame */
	uint32_t off, n;               /* its payload's place in the datagram */
	uint16_t hlen;                 /* bytes of hdr: the frame up to its payload */
	uint16_t ip_at;                /* where IP starts in hdr */
	uint16_t frag_at;              /* IPv6: where the Fragment header starts, from ip_at */
	uint16_t nh_at;                /* IPv6: the next-header byte that names it, from ip_at */
	uint8_t nano;
	uint8_t *hdr;
};

struct frag_dgram {
	struct frag_dgram *hnext;      /* in its bucket */
	struct frag_dgram *older, *newer;   /* by when its first fragment came */
	struct frag_key key;
	int64_t first_ts;
	uint32_t end;                  /* where its payload ends (have_last) */
	uint8_t have_last, notes;
	uint16_t npieces, cap_pieces;
	struct frag_piece *pieces;     /* in the order they came */
	uint8_t *data;                 /* its payload, zeros in the holes */
	uint32_t data_cap;
	size_t mem;                    /* bytes it holds, counted in the table's */
};

struct frag_table {
	struct frag_limits lim;
	frag_drop_fn drop;
	void *arg;
	struct frag_dgram **bucket;    /* FRAG_BUCKETS, made with the first fragment */
	struct frag_dgram *oldest, *newest;
	struct frag_dgram *done;       /* the datagram last made whole, freed at the next call */
	uint8_t *buf;                  /* FRAG_BUF: the datagram made whole */
	uint8_t *pbuf;                 /* FRAG_BUF: a fragment's frame rebuilt */
	struct packet out;
	struct frag_stats st;
};

/* A fragment taken apart (frag_parse). */
struct frag_in {
	struct frag_key key;
	struct cursor payload;
	uint32_t off, n;
	uint8_t more;
	uint16_t ip_at, hlen, frag_at, nh_at;
	uint32_t whole_hdr;            /* what the datagram's header adds to its payload: an IPv4
	                                * header; an IPv6 one's extension headers (not its 40 bytes) */
};

struct frag_table *frag_new(const struct frag_limits *l, frag_drop_fn drop, void *arg)
{
	struct frag_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	if (l != NULL)
		t->lim = *l;
	else
		t->lim = (struct frag_limits){ FRAG_MAX_DATAGRAMS, FRAG_MAX_BYTES, FRAG_TIMEOUT_NS };
	t->drop = drop;
	t->arg = arg;
	return t;
}

static uint32_t bucket_of(const struct frag_key *k)
{
	return (uint32_t)hash_bytes(0x66726167, k, sizeof(*k)) & (FRAG_BUCKETS - 1);
}

static void unlink_dgram(struct frag_table *t, struct frag_dgram *d)
{
	struct frag_dgram **pp = &t->bucket[bucket_of(&d->key)];

	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	if (d->older != NULL)
		d->older->newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer != NULL)
		d->newer->older = d->older;
	else
		t->newest = d->older;
	t->st.held--;
	t->st.bytes -= d->mem;
}

static void free_dgram(struct frag_dgram *d)
{
	for (unsigned i = 0; i < d->npieces; i++)
		free(d->pieces[i].hdr);
	free(d->pieces);
	free(d->data);
	free(d);
}

/* Give d up: counted by why, shown to the drop callback, freed. */
static void drop(struct frag_table *t, struct frag_dgram *d, enum frag_drop why)
{
	static uint64_t *const count[] = {
		[FRAG_DROP_TIMEOUT] = &bounds.frag_timeout, [FRAG_DROP_END] = &bounds.frag_unfinished,
		[FRAG_DROP_EVICTED] = &bounds.frag_evicted, [FRAG_DROP_PIECES] = &bounds.frag_pieces,
		[FRAG_DROP_OVERLAP] = &bounds.frag_overlap, [FRAG_DROP_OVERSIZE] = &bounds.frag_oversize,
		[FRAG_DROP_INVALID] = &bounds.frag_invalid,
	};

	(*count[why])++;
	unlink_dgram(t, d);
	if (t->drop != NULL)
		t->drop(t->arg, t, d, why);
	free_dgram(d);
}

void frag_free(struct frag_table *t)
{
	if (t == NULL)
		return;
	while (t->oldest != NULL) {
		struct frag_dgram *d = t->oldest;
		unlink_dgram(t, d);
		free_dgram(d);
	}
	if (t->done != NULL)
		free_dgram(t->done);
	free(t->bucket);
	free(t->buf);
	free(t->pbuf);
	free(t);
}

/* IPv4: the header's fields as decode_ip read them. */
static int parse_v4(const struct packet *p, struct frag_in *f)
{
	const struct ip_info *ip = &p->ip;

	f->key.proto = ip->proto;
	f->key.id = ip->id;
	f->off = ip->frag_offset;
	f->more = ip->more_frags;
	f->hlen = (uint16_t)(f->ip_at + ip->hdr_len);
	f->whole_hdr = ip->hdr_len;
	return 1;
}

/* IPv6: the Fragment header among the extension headers decode_ip listed. */
static int parse_v6(const struct packet *p, struct frag_in *f)
{
	const struct ip_info *ip = &p->ip;
	struct cursor h = ip->hdr;
	uint8_t next;
	uint16_t offlg;
	unsigned k;

	for (k = 0; k < ip->next_ext && ip->ext[k].type != 44; k++)
		;
	if (k == ip->next_ext)
		return 0;            /* past the DEC_MAX_EXTHDR listed */
	f->frag_at = ip->ext[k].offset;
	f->nh_at = k == 0 ? 6 : ip->ext[k - 1].offset;
	if (!cur_skip(&h, f->frag_at) || !cur_get_u8(&h, &next) || !cur_skip(&h, 1) || !cur_get_u16(&h, &offlg) ||
	    !cur_get_u32(&h, &f->key.id))
		return 0;
	f->key.proto = next;
	f->off = offlg & 0xfff8u;
	f->more = offlg & 1u;
	f->hlen = (uint16_t)(f->ip_at + f->frag_at + 8);
	f->whole_hdr = (uint32_t)f->frag_at - 40;
	return 1;
}

/*
 * p's fragment facts into f. 1: usable; 0: p is to be analyzed as it is
 * (counted: an atomic fragment, cut by the snaplen, headers too long or invalid).
 */
static int frag_parse(struct frag_table *t, const struct packet *p, struct frag_in *f)
{
	const struct ip_info *ip = &p->ip;
	size_t at = (size_t)(cur_data(&ip->hdr) - p->data);
	int ok;

	memset(f, 0, sizeof(*f));
	if (ip->status == DEC_TRUNCATED || cur_len(&ip->hdr) < ip->total_len) {
		bounds.frag_truncated++;
		return 0;
	}
	if (ip->status != DEC_OK || at > FRAG_HDR_MAX) {
		bounds.frag_invalid++;
		return 0;
	}
	f->ip_at = (uint16_t)at;
	f->key.v6 = ip->version == 6;
	memcpy(f->key.src, ip->src, 16);
	memcpy(f->key.dst, ip->dst, 16);
	ok = f->key.v6 ? parse_v6(p, f) : parse_v4(p, f);
	if (!ok || f->hlen > FRAG_HDR_MAX || (uint32_t)(f->hlen - f->ip_at) > ip->total_len) {
		bounds.frag_invalid++;
		return 0;
	}
	if (f->key.v6 && f->off == 0 && !f->more) {
		t->st.atomic++;      /* RFC 6946: no reassembly, the packet is whole */
		return 0;
	}
	f->n = ip->total_len - (uint32_t)(f->hlen - f->ip_at);
	f->payload = cur_make(cur_data(&ip->hdr) + (f->hlen - f->ip_at), f->n);
	return 1;
}

static struct frag_dgram *find(struct frag_table *t, const struct frag_key *k)
{
	if (t->bucket == NULL)
		return NULL;
	for (struct frag_dgram *d = t->bucket[bucket_of(k)]; d != NULL; d = d->hnext)
		if (memcmp(&d->key, k, sizeof(*k)) == 0)
			return d;
	return NULL;
}

/* Make room for extra more bytes, giving up the oldest datagrams but keep. 0: there is none. */
static int room(struct frag_table *t, const struct frag_dgram *keep, size_t extra)
{
	while (t->st.bytes + extra > t->lim.max_bytes) {
		struct frag_dgram *o = t->oldest;
		if (o == keep)
			o = o->newer;
		if (o == NULL)
			return 0;
		drop(t, o, FRAG_DROP_EVICTED);
	}
	return 1;
}

static struct frag_dgram *create(struct frag_table *t, const struct frag_key *k, int64_t ts)
{
	struct frag_dgram *d;
	uint32_t b;

	if (t->bucket == NULL) {
		t->bucket = calloc(FRAG_BUCKETS, sizeof(*t->bucket));
		t->buf = malloc(FRAG_BUF);
		t->pbuf = malloc(FRAG_BUF);
		if (t->bucket == NULL || t->buf == NULL || t->pbuf == NULL) {
			bounds_alloc_failed();
			free(t->bucket);
			free(t->buf);
			free(t->pbuf);
			t->bucket = NULL;
			t->buf = t->pbuf = NULL;
			return NULL;
		}
	}
	while (t->st.held >= t->lim.max_datagrams && t->oldest != NULL)
		drop(t, t->oldest, FRAG_DROP_EVICTED);
	if (!room(t, NULL, sizeof(*d)))
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	d->key = *k;
	d->first_ts = ts;
	d->mem = sizeof(*d);
	b = bucket_of(k);
	d->hnext = t->bucket[b];
	t->bucket[b] = d;
	d->older = t->newest;
	if (t->newest != NULL)
		t->newest->newer = d;
	else
		t->oldest = d;
	t->newest = d;
	t->st.held++;
	t->st.bytes += d->mem;
	return d;
}

/* Bytes of [off, end) that d's fragments cover, from off on without a hole: where the cover stops. */
static uint32_t covered_from(const struct frag_dgram *d, uint32_t off, uint32_t end)
{
	int moved = 1;

	while (moved && off < end) {
		moved = 0;
		for (unsigned i = 0; i < d->npieces; i++) {
			const struct frag_piece *q = &d->pieces[i];
			if (q->off <= off && off < q->off + q->n) {
				off = q->off + q->n;
				moved = 1;
			}
		}
	}
	return off < end ? off : end;
}

/* Does any fragment of d overlap [off, end)? */
static int overlaps(const struct frag_dgram *d, uint32_t off, uint32_t end)
{
	for (unsigned i = 0; i < d->npieces; i++)
		if (off < d->pieces[i].off + d->pieces[i].n && d->pieces[i].off < end)
			return 1;
	return 0;
}

/* Grow d's bytes to hold [0, end) and its pieces for one more (counted in the budget). 0: no room. */
static int grow(struct frag_table *t, struct frag_dgram *d, uint32_t end, size_t hlen)
{
	size_t need = hlen;
	uint32_t cap = d->data_cap;
	uint16_t pcap = d->cap_pieces;

	if (end > cap) {
		/* the first fragment's size to start with (most datagrams are 2 or 3 alike), then doubling */
		cap = cap == 0 ? (end + 255) & ~255u : cap;
		while (cap < end)
			cap *= 2;
		need += cap - d->data_cap;
	}
	if (d->npieces == pcap) {
		pcap = pcap == 0 ? 4 : (uint16_t)(pcap * 2);
		need += (size_t)(pcap - d->cap_pieces) * sizeof(struct frag_piece);
	}
	if (!room(t, d, need))
		return 0;
	if (cap != d->data_cap) {
		uint8_t *n = realloc(d->data, cap);
		if (n == NULL) {
			bounds_alloc_failed();
			return 0;
		}
		memset(n + d->data_cap, 0, cap - d->data_cap);
		d->data = n;
		d->mem += cap - d->data_cap;
		t->st.bytes += cap - d->data_cap;
		d->data_cap = cap;
	}
	if (pcap != d->cap_pieces) {
		struct frag_piece *n = realloc(d->pieces, pcap * sizeof(*n));
		if (n == NULL) {
			bounds_alloc_failed();
			return 0;
		}
		d->pieces = n;
		d->mem += (size_t)(pcap - d->cap_pieces) * sizeof(*n);
		t->st.bytes += (size_t)(pcap - d->cap_pieces) * sizeof(*n);
		d->cap_pieces = pcap;
	}
	return 1;
}

/* Keep f (of packet p) as d's next piece: its headers copied, its payload in place. 0: no room. */
static int keep(struct frag_table *t, struct frag_dgram *d, const struct packet *p, const struct frag_in *f)
{
	struct frag_piece *q;
	uint8_t *hdr;

	if (!grow(t, d, f->off + f->n, f->hlen))
		return 0;
	if ((hdr = malloc(f->hlen)) == NULL) {
		bounds_alloc_failed();
		return 0;
	}
	memcpy(hdr, p->data, f->hlen);
	memcpy(d->data + f->off, cur_data(&f->payload), f->n);
	q = &d->pieces[d->npieces++];
	*q = (struct frag_piece){ .frame = p->frame, .ts_sec = p->ts_sec, .ts_frac = p->ts_frac, .caplen = p->caplen,
				  .len = p->len, .off = f->off, .n = f->n, .hlen = f->hlen, .ip_at = f->ip_at,
				  .frag_at = f->frag_at, .nh_at = f->nh_at, .nano = p->ts_nano, .hdr = hdr };
	d->mem += f->hlen;
	t->st.bytes += f->hlen;
	return 1;
}

/* The piece of d that starts at 0 (there is one when d is whole). */
static const struct frag_piece *first_piece(const struct frag_dgram *d)
{
	for (unsigned i = 0; i < d->npieces; i++)
		if (d->pieces[i].off == 0)
			return &d->pieces[i];
	return NULL;
}

static uint16_t ip_sum(const uint8_t *h, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * d is whole: it is decoded as one packet in t->out. Its frame number and time
 * are those of p, the fragment that completed it: that is when the receiver's
 * stack had the datagram and handed it to TCP, so timings measured from it are
 * the ones the endpoint lived (a SYN's RTT from its last fragment, not its
 * first), and the frame exists (its line, and those of the other fragments,
 * are the evidence: frag_piece).
 */
static struct packet *whole(struct frag_table *t, struct frag_dgram *d, const struct packet *p)
{
	const struct frag_piece *f0 = first_piece(d);
	uint8_t *o = t->buf;
	size_t ih = (size_t)(f0->hlen - f0->ip_at), total;

	if (d->key.v6)
		ih = f0->frag_at;    /* the Fragment header is left out */
	total = ih + d->end;
	memcpy(o, f0->hdr, f0->ip_at + ih);
	memcpy(o + f0->ip_at + ih, d->data, d->end);
	o += f0->ip_at;
	if (d->key.v6) {
		o[4] = (uint8_t)((total - 40) >> 8);
		o[5] = (uint8_t)(total - 40);
		o[f0->nh_at] = d->key.proto;
	} else {
		o[2] = (uint8_t)(total >> 8);
		o[3] = (uint8_t)total;
		o[6] = o[7] = 0;
		o[10] = o[11] = 0;
		uint16_t s = ip_sum(o, ih);
		o[10] = (uint8_t)(s >> 8);
		o[11] = (uint8_t)s;
	}
	t->out = *p;
	t->out.data = t->buf;
	t->out.caplen = t->out.len = (uint32_t)(f0->ip_at + total);
	decode_ip(&t->out, cur_make(o, total), (uint32_t)total);
	return &t->out;
}

/* f overlaps what d holds: a duplicate (dropped, d kept: 1) or an overlap in part (d dropped: 0). */
static int overlap(struct frag_table *t, struct frag_dgram *d, const struct frag_in *f)
{
	if (covered_from(d, f->off, f->off + f->n) == f->off + f->n) {
		if (memcmp(d->data + f->off, cur_data(&f->payload), f->n) == 0) {
			t->st.duplicates++;
			d->notes |= FRAG_NOTE_DUPLICATE;
		} else {
			bounds.frag_overlap_differ++;
			d->notes |= FRAG_NOTE_DIFFER;
		}
		return 1;
	}
	drop(t, d, FRAG_DROP_OVERLAP);
	return 0;
}

/* Where the bytes d holds end. */
static uint32_t held_end(const struct frag_dgram *d)
{
	uint32_t e = 0;

	for (unsigned i = 0; i < d->npieces; i++)
		if (d->pieces[i].off + d->pieces[i].n > e)
			e = d->pieces[i].off + d->pieces[i].n;
	return e;
}

/* f's end against what d knows of its end: 0 when they cannot both be (d dropped, counted). */
static int check_end(struct frag_table *t, struct frag_dgram *d, const struct frag_in *f)
{
	uint32_t end = f->off + f->n;

	if (f->whole_hdr + end > (d->key.v6 ? FRAG_MAX_IPV6_PAYLOAD : FRAG_MAX_IPV4)) {
		drop(t, d, FRAG_DROP_OVERSIZE);
		return 0;
	}
	/* past the end, a second end elsewhere, a fragment but the last not a multiple of 8 or empty */
	if ((d->have_last && (end > d->end || (!f->more && end != d->end))) ||
	    (!f->more && held_end(d) > end) ||
	    (f->more && (f->n % 8 != 0 || f->n == 0))) {
		drop(t, d, FRAG_DROP_INVALID);
		return 0;
	}
	return 1;
}

struct packet *frag_add(struct frag_table *t, struct packet *p, int linktype)
{
	struct frag_in f;
	struct frag_dgram *d;

	(void)linktype;
	if (t->done != NULL) {
		free_dgram(t->done);
		t->done = NULL;
	}
	if (!frag_parse(t, p, &f)) {
		t->st.passed++;
		return p;
	}
	t->st.fragments++;
	frag_expire(t, pkt_ts(p));
	d = find(t, &f.key);
	if (d == NULL && (d = create(t, &f.key, pkt_ts(p))) == NULL) {
		bounds.frag_evicted++;   /* no memory for it, or max_bytes too small for one */
		return NULL;
	}
	if (!check_end(t, d, &f))
		return NULL;
	if (overlaps(d, f.off, f.off + f.n)) {
		overlap(t, d, &f);    /* a duplicate, d kept; or d dropped */
		return NULL;
	}
	if (d->npieces == FRAG_MAX_PIECES) {
		drop(t, d, FRAG_DROP_PIECES);
		return NULL;
	}
	if (!keep(t, d, p, &f)) {
		drop(t, d, FRAG_DROP_EVICTED);
		return NULL;
	}
	if (!f.more) {
		d->have_last = 1;
		d->end = f.off + f.n;
	}
	if (!d->have_last || covered_from(d, 0, d->end) != d->end)
		return NULL;
	unlink_dgram(t, d);
	t->done = d;
	t->st.reassembled++;
	return whole(t, d, p);
}

const struct frag_dgram *frag_last(const struct frag_table *t)
{
	return t->done;
}

void frag_expire(struct frag_table *t, int64_t now)
{
	while (t->oldest != NULL && now - t->oldest->first_ts >= t->lim.timeout_ns)
		drop(t, t->oldest, FRAG_DROP_TIMEOUT);
}

int64_t frag_next_expiry(const struct frag_table *t)
{
	return t->oldest != NULL ? t->oldest->first_ts + t->lim.timeout_ns : INT64_MAX;
}

void frag_flush(struct frag_table *t)
{
	while (t->oldest != NULL)
		drop(t, t->oldest, FRAG_DROP_END);
}

const struct frag_stats *frag_stats(const struct frag_table *t)
{
	return &t->st;
}

unsigned frag_npieces(const struct frag_dgram *d)
{
	return d->npieces;
}

unsigned frag_notes(const struct frag_dgram *d)
{
	return d->notes;
}

void frag_piece(struct frag_table *t, const struct frag_dgram *d, unsigned i, struct packet *q, int linktype)
{
	const struct frag_piece *f = &d->pieces[i];

	memcpy(t->pbuf, f->hdr, f->hlen);
	memcpy(t->pbuf + f->hlen, d->data + f->off, f->n);
	memset(q, 0, PACKET_CLEAR_BYTES);
	q->frame = f->frame;
	q->ts_sec = f->ts_sec;
	q->ts_frac = f->ts_frac;
	q->ts_nano = f->nano;
	q->data = t->pbuf;
	/* a frame's trailer past its datagram (Ethernet padding) was not kept */
	q->caplen = f->hlen + f->n < f->caplen ? f->hlen + f->n : f->caplen;
	q->len = f->len;
	decode_packet(q, linktype);
}
