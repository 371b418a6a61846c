/* report_tls.c: a connection's TLS handshake in the reports: the "tls" JSON object and text lines. */
#include <string.h>

#include "hash.h"
#include "json.h"
#include "line.h"
#include "report.h"
#include "tls.h"
#include "tls_cert.h"
#include "tls_names.h"
#include "vtext.h"

/*
 * Names, memoized per thread: a report names some fifty code points, most of
 * them the same from one connection to the next, and a registry lookup is a
 * binary search and a strlen. A small direct-mapped table per registry holds
 * single names with their lengths; a larger one holds whole lists as JSON
 * text, keyed by the registry and the exact values (a client build sends the
 * same lists every time).
 */
static const char *(*const reg_lookup[TLS_REG_COUNT])(uint16_t) = {
	[TLS_REG_VERSION] = tls_version_name,
	[TLS_REG_CIPHER] = tls_cipher_name,
	[TLS_REG_GROUP] = tls_group_name,
	[TLS_REG_SIGSCHEME] = tls_sigscheme_name,
	[TLS_REG_EXT] = tls_ext_name,
};

#define NAME_SLOTS 32

struct name_slot {
	uint32_t key;            /* value + 1; 0: empty */
	uint32_t len;
	const char *name;        /* NULL: no registered name */
};

static _Thread_local struct name_slot name_memo[TLS_REG_COUNT][NAME_SLOTS];

/* v's JSON string ("TLS 1.3", or "0x1a1a" without a name). */
static void json_name(struct jbuf *b, enum tls_registry reg, uint16_t v)
{
	struct name_slot *s = &name_memo[reg][(v ^ v >> 5) % NAME_SLOTS];
	char tmp[TLS_NAME_BUFSZ];

	if (s->key != v + 1u) {
		s->key = v + 1u;
		s->name = reg_lookup[reg](v);
		s->len = s->name != NULL ? (uint32_t)strlen(s->name) : 0;
	}
	if (s->name == NULL) {
		jb_qraw(b, tls_name_or_hex(NULL, v, tmp));
		return;
	}
	if (jb_room(b, s->len + 2))
		b->len = (size_t)(jb_put_plain(b->p + b->len, s->name, s->len) - b->p);
}

#define LIST_SLOTS 64
#define LIST_VALUES TLS_HELLO_MAX_CIPHERS   /* the longest list kept */
#define LIST_TEXT (LIST_VALUES * 48 + 2)   /* the longest names (45 bytes) quoted, with commas */

struct list_slot {
	uint64_t hash;
	uint16_t n;              /* values; the slot is empty while len is 0 */
	uint16_t len;            /* bytes of text */
	uint8_t reg;
	uint16_t v[LIST_VALUES];
	char text[LIST_TEXT];
};

static _Thread_local struct list_slot list_memo[LIST_SLOTS];

static uint64_t list_hash(enum tls_registry reg, const uint16_t *v, size_t n)
{
	return hash_bytes((uint64_t)reg << 32 | n, v, n * sizeof(*v));
}

/* A JSON array of registry names ("GREASE" for GREASE values), as sent. */
static void json_names(struct jbuf *b, const uint16_t *v, size_t n, enum tls_registry reg)
{
	uint64_t h = list_hash(reg, v, n);
	struct list_slot *s = &list_memo[h % LIST_SLOTS];
	size_t start = b->len;

	if (s->len != 0 && s->hash == h && s->n == n && s->reg == reg && memcmp(s->v, v, n * sizeof(*v)) == 0) {
		jb_mem(b, s->text, s->len);
		return;
	}
	jb_chr(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			jb_chr(b, ',');
		json_name(b, reg, v[i]);
	}
	jb_chr(b, ']');
	if (n <= LIST_VALUES && !b->oom && b->len - start <= LIST_TEXT) {
		s->hash = h;
		s->n = (uint16_t)n;
		s->reg = (uint8_t)reg;
		s->len = (uint16_t)(b->len - start);
		memcpy(s->v, v, n * sizeof(*v));
		memcpy(s->text, b->p + start, s->len);
	}
}

/* key: a string literal, ",\"name\":". */
#define json_bool(b, key, v) do { \
		if (v) \
			jb_lit((b), key "true"); \
		else \
			jb_lit((b), key "false"); \
	} while (0)

static const char *hello_status(int st)
{
	return st == TLS_HELLO_OK ? "ok" : st == TLS_HELLO_TRUNCATED ? "truncated" : "invalid";
}

/*
 * The object is written in stretches with json.h's unchecked writers: one
 * jb_room for a stretch's worst case (its literal text, JB_*_ROOM per number,
 * 6 n + 2 per string that is escaped, and JB_SLACK), then plain stores. The
 * names and name lists between stretches check their own room. STRETCH_TEXT
 * covers the literal text of the longest stretch (under 200 bytes).
 */
#define STRETCH_TEXT 256

/* Room for a stretch of at most n bytes: where to write, or NULL (out of memory). */
static char *stretch(struct jbuf *b, size_t n)
{
	return jb_room(b, n + JB_SLACK) ? b->p + b->len : NULL;
}

static void stretch_end(struct jbuf *b, char *o)
{
	b->len = (size_t)(o - b->p);
}

/* s (ours, no escaping needed: JA3, JA4, a status) quoted; strlen(s) + 2 bytes. */
static char *put_plain(char *o, const char *s)
{
	return jb_put_plain(o, s, strlen(s));
}

/* A string that may need escaping, or null for NULL: room str_room(s). */
static char *put_cstr(char *o, const char *s)
{
	return s != NULL ? jb_put_str(o, s, strlen(s)) : ln_put_lit(o, "null");
}

static size_t str_room(const char *s)
{
	return s != NULL ? 6 * strlen(s) + 4 : 4;   /* + 4: "" may be written as null */
}

#define put_bool(o, key, v) ((v) ? ln_put_lit((o), key "true") : ln_put_lit((o), key "false"))

/*
 * What a hello holds fewer of than it sent (fixed capacities, tls_hello.h):
 * for each such field, how many it sent (bytes, for the SNI and the longest
 * ALPN value). The verdict never rests on what was left out (the SNI matched
 * against the certificate is the whole name or none).
 */
struct cut {
	const char *name;        /* JSON key */
	const char *words;       /* text */
	uint32_t kept, sent;
};

static size_t hello_cuts(const struct tls_client_hello *ch, struct cut *c)
{
	size_t n = 0;
	uint32_t alpn_long = 0;

#define CUT(key, w, k, t) \
	if ((uint32_t)(k) < (uint32_t)(t)) \
		c[n++] = (struct cut){ key, w, (uint32_t)(k), (uint32_t)(t) }
	CUT("cipher_suites", "cipher suites", ch->n_cipher_suites, ch->cipher_suites_total);
	CUT("extensions", "extensions", ch->n_extensions, ch->extensions_total);
	CUT("groups", "groups", ch->n_groups, ch->groups_total);
	CUT("key_share_groups", "key shares", ch->n_key_shares, ch->key_shares_total);
	CUT("signature_algorithms", "signature algorithms", ch->n_sigalgs, ch->sigalgs_total);
	CUT("versions", "versions", ch->n_versions, ch->versions_total);
	CUT("ec_point_formats", "point formats", ch->n_point_formats, ch->point_formats_total);
	CUT("alpn", "ALPN values", ch->n_alpn, ch->alpn_total);
	CUT("sni", "SNI bytes", TLS_HELLO_SNI_LEN, ch->sni_len);
	for (uint8_t i = 0; i < ch->n_alpn; i++)
		if (ch->alpn[i].len > alpn_long)
			alpn_long = ch->alpn[i].len;
	CUT("alpn_value", "bytes of an ALPN value", TLS_HELLO_ALPN_LEN, alpn_long);
#undef CUT
	return n;
}

/* ,"cut":{"extensions":40,...} and ,"ja3_string_cut":true, only when something was cut. */
static void json_hello_cuts(struct jbuf *b, const struct tls_client_hello *ch)
{
	struct cut c[12];
	size_t n = hello_cuts(ch, c);

	for (size_t i = 0; i < n; i++) {
		if (i)
			jb_chr(b, ',');
		else
			jb_lit(b, ",\"cut\":{");
		jb_qraw(b, c[i].name);
		jb_chr(b, ':');
		jb_u64(b, c[i].sent);
	}
	if (n > 0)
		jb_chr(b, '}');
	if (ch->ja3_cut)
		jb_lit(b, ",\"ja3_string_cut\":true");
}

static void json_client_hello(struct jbuf *b, const struct tls_conn *t, int nano)
{
	const struct tls_client_hello *ch = t->ch;
	size_t sni_n = ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN;
	struct reasm_span sp;
	int sni_bad = 0, alpn_bad = 0;     /* not UTF-8: U+FFFD written, said beside */
	char *o;

	reasm_span(t->rs[0], t->ch_start, t->ch_end, &sp);
	if ((o = stretch(b, STRETCH_TEXT + JB_TS_ROOM + 4 * JB_U64_ROOM +
			 (t->ch_status == TLS_HELLO_INVALID ? str_room(ch->error) : 0))) == NULL)
		return;
	o = ln_put_lit(o, "{\"ts\":");
	o = jb_put_ts(o, t->ch_ts, nano);
	o = ln_put_lit(o, ",\"frame\":");
	o = jb_put_u64(o, t->ch_frame);
	o = ln_put_lit(o, ",\"size\":");
	o = jb_put_u64(o, ch->size);
	o = ln_put_lit(o, ",\"segments\":");
	o = jb_put_u64(o, sp.segments - sp.retrans);
	o = ln_put_lit(o, ",\"retransmitted_segments\":");
	o = jb_put_u64(o, sp.retrans);
	o = ln_put_lit(o, ",\"status\":");
	o = put_plain(o, hello_status(t->ch_status));
	if (t->ch_status == TLS_HELLO_INVALID) {
		o = ln_put_lit(o, ",\"error\":");
		o = put_cstr(o, ch->error);
	}
	o = put_bool(o, ",\"sslv2\":", ch->sslv2);
	o = ln_put_lit(o, ",\"legacy_version\":");
	stretch_end(b, o);
	json_name(b, TLS_REG_VERSION, ch->legacy_version);

	if ((o = stretch(b, STRETCH_TEXT + 6 * sni_n + 2)) == NULL)
		return;
	o = ln_put_lit(o, ",\"sni\":");
	if (ch->sni_len)
		o = jb_put_untrusted(o, (const char *)ch->sni, sni_n, &sni_bad);
	else
		o = ln_put_lit(o, "null");
	if (sni_bad)
		o = ln_put_lit(o, ",\"sni_utf8\":false");
	o = ln_put_lit(o, ",\"versions\":");
	stretch_end(b, o);
	if (ch->has_supported_versions)
		json_names(b, ch->versions, ch->n_versions, TLS_REG_VERSION);
	else
		json_names(b, &ch->legacy_version, 1, TLS_REG_VERSION);

	if ((o = stretch(b, STRETCH_TEXT + (size_t)ch->n_alpn * (6 * TLS_HELLO_ALPN_LEN + 3))) == NULL)
		return;
	o = ln_put_lit(o, ",\"alpn\":[");
	for (uint8_t i = 0; i < ch->n_alpn; i++) {
		if (i)
			*o++ = ',';
		o = jb_put_untrusted(o, (const char *)ch->alpn[i].name,
				     ch->alpn[i].len < TLS_HELLO_ALPN_LEN ? ch->alpn[i].len : TLS_HELLO_ALPN_LEN,
				     &alpn_bad);
	}
	*o++ = ']';
	if (alpn_bad)
		o = ln_put_lit(o, ",\"alpn_utf8\":false");
	o = ln_put_lit(o, ",\"cipher_suites\":");
	stretch_end(b, o);
	json_names(b, ch->cipher_suites, ch->n_cipher_suites, TLS_REG_CIPHER);

	if ((o = stretch(b, STRETCH_TEXT + JB_U64_ROOM)) == NULL)
		return;
	o = ln_put_lit(o, ",\"cipher_suites_total\":");
	o = jb_put_u64(o, ch->cipher_suites_total);
	o = ln_put_lit(o, ",\"groups\":");
	stretch_end(b, o);
	json_names(b, ch->groups, ch->n_groups, TLS_REG_GROUP);
	jb_lit(b, ",\"key_share_groups\":");
	json_names(b, ch->key_share_groups, ch->n_key_shares, TLS_REG_GROUP);
	jb_lit(b, ",\"signature_algorithms\":");
	json_names(b, ch->sigalgs, ch->n_sigalgs, TLS_REG_SIGSCHEME);
	jb_lit(b, ",\"extensions\":");
	json_names(b, ch->extensions, ch->n_extensions, TLS_REG_EXT);

	if ((o = stretch(b, STRETCH_TEXT + strlen(ch->ja3) + sizeof(ch->ja3_md5) + sizeof(ch->ja4))) == NULL)
		return;
	o = put_bool(o, ",\"psk\":", ch->has_psk);
	o = put_bool(o, ",\"session_ticket\":", ch->session_ticket_len > 0);
	o = put_bool(o, ",\"early_data\":", ch->has_early_data);
	o = put_bool(o, ",\"ech\":", ch->has_ech);
	o = put_bool(o, ",\"sni_is_ech_public_name\":", ch->sni_is_ech_public);
	o = ln_put_lit(o, ",\"ja3\":");
	o = ch->ja3_md5[0] ? put_plain(o, ch->ja3_md5) : ln_put_lit(o, "null");
	o = ln_put_lit(o, ",\"ja3_string\":");
	o = ch->ja3[0] ? put_plain(o, ch->ja3) : ln_put_lit(o, "null");
	o = ln_put_lit(o, ",\"ja4\":");
	o = ch->ja4[0] ? put_plain(o, ch->ja4) : ln_put_lit(o, "null");
	stretch_end(b, o);
	json_hello_cuts(b, ch);
	jb_chr(b, '}');
}

static void json_server_hello(struct jbuf *b, const struct tls_conn *t, int nano)
{
	const struct tls_server_hello *sh = t->sh;
	size_t alpn_n = sh->alpn.len < TLS_HELLO_ALPN_LEN ? sh->alpn.len : TLS_HELLO_ALPN_LEN;
	int alpn_bad = 0;
	char *o;

	if ((o = stretch(b, STRETCH_TEXT + JB_TS_ROOM + JB_U64_ROOM)) == NULL)
		return;
	o = ln_put_lit(o, "{\"ts\":");
	o = jb_put_ts(o, t->sh_ts, nano);
	o = ln_put_lit(o, ",\"frame\":");
	o = jb_put_u64(o, t->sh_frame);
	o = ln_put_lit(o, ",\"status\":");
	o = put_plain(o, hello_status(t->sh_status));
	o = ln_put_lit(o, ",\"version\":");
	stretch_end(b, o);
	json_name(b, TLS_REG_VERSION, sh->version);
	jb_lit(b, ",\"cipher\":");
	json_name(b, TLS_REG_CIPHER, sh->cipher_suite);
	jb_lit(b, ",\"group\":");
	if (sh->has_key_share)
		json_name(b, TLS_REG_GROUP, sh->key_share_group);
	else if (t->ske_group)
		json_name(b, TLS_REG_GROUP, t->ske_group);
	else
		jb_lit(b, "null");

	if ((o = stretch(b, STRETCH_TEXT + 6 * alpn_n + 2)) == NULL)
		return;
	o = ln_put_lit(o, ",\"alpn\":");
	if (sh->has_alpn)
		o = jb_put_untrusted(o, (const char *)sh->alpn.name, alpn_n, &alpn_bad);
	else
		o = ln_put_lit(o, "null");
	if (alpn_bad)
		o = ln_put_lit(o, ",\"alpn_utf8\":false");
	o = put_bool(o, ",\"resumed\":", sh->has_psk || (t->ch != NULL && tls_hello_session_resumed(t->ch, sh)));
	o = put_bool(o, ",\"certificate_request\":", t->cert_request);
	/* what it holds fewer of than it sent, as for the ClientHello (room: 2 numbers in STRETCH_TEXT) */
	if (sh->n_extensions < sh->extensions_total || sh->alpn.len > TLS_HELLO_ALPN_LEN) {
		o = ln_put_lit(o, ",\"cut\":{");
		if (sh->n_extensions < sh->extensions_total) {
			o = ln_put_lit(o, "\"extensions\":");
			o = jb_put_u64(o, sh->extensions_total);
		}
		if (sh->alpn.len > TLS_HELLO_ALPN_LEN) {
			if (sh->n_extensions < sh->extensions_total)
				*o++ = ',';
			o = ln_put_lit(o, "\"alpn_value\":");
			o = jb_put_u64(o, sh->alpn.len);
		}
		*o++ = '}';
	}
	*o++ = '}';
	stretch_end(b, o);
}

static void json_alert(struct jbuf *b, const struct tls_alert *a, int inferred, int nano)
{
	char tmp[TLS_NAME_BUFSZ], tmp2[TLS_NAME_BUFSZ];
	const char *level = NULL, *desc = NULL;
	char *o;

	if (!a->encrypted) {
		level = tls_name_or_hex(tls_alert_level_name(a->level), a->level, tmp);
		desc = tls_name_or_hex(tls_alert_name(a->desc), a->desc, tmp2);
	}
	if ((o = stretch(b, STRETCH_TEXT + JB_TS_ROOM + 2 * JB_U64_ROOM +
			 (level != NULL ? strlen(level) + strlen(desc) + 4 : 0))) == NULL)
		return;
	o = ln_put_lit(o, "{\"ts\":");
	o = jb_put_ts(o, a->ts, nano);
	o = ln_put_lit(o, ",\"frame\":");
	o = jb_put_u64(o, a->frame);
	o = ln_put_lit(o, ",\"from\":");
	o = put_plain(o, verdict_side_name(a->from));
	if (a->encrypted) {
		o = ln_put_lit(o, ",\"level\":null,\"description\":null,\"code\":null,\"encrypted\":true");
		o = put_bool(o, ",\"inferred\":", inferred);
	} else {
		o = ln_put_lit(o, ",\"level\":");
		o = put_plain(o, level);
		o = ln_put_lit(o, ",\"description\":");
		o = put_plain(o, desc);
		o = ln_put_lit(o, ",\"code\":");
		o = jb_put_u64(o, a->desc);
		o = ln_put_lit(o, ",\"encrypted\":false,\"inferred\":false");
	}
	*o++ = '}';
	stretch_end(b, o);
}

/* One decoded certificate's object but its der_size; room cert_room(ci). */
static char *put_cert(char *o, const struct tls_cert_info *ci)
{
	o = ln_put_lit(o, ",\"subject\":");
	o = put_cstr(o, ci->subject);
	o = ln_put_lit(o, ",\"issuer\":");
	o = put_cstr(o, ci->issuer);
	o = ln_put_lit(o, ",\"sans\":[");
	for (uint8_t k = 0; k < ci->n_sans; k++) {
		if (k)
			*o++ = ',';
		o = put_cstr(o, ci->sans[k].name);
	}
	o = ln_put_lit(o, "],\"sans_total\":");
	o = jb_put_u64(o, ci->sans_total);
	o = ln_put_lit(o, ",\"not_before\":");
	o = put_cstr(o, ci->has_validity ? ci->not_before_str : NULL);
	o = ln_put_lit(o, ",\"not_after\":");
	o = put_cstr(o, ci->has_validity ? ci->not_after_str : NULL);
	o = ln_put_lit(o, ",\"sha256\":");
	o = put_cstr(o, ci->sha256);
	o = ln_put_lit(o, ",\"key_type\":");
	o = put_cstr(o, ci->key_type);
	o = ln_put_lit(o, ",\"key_bits\":");
	o = jb_put_u64(o, ci->key_bits);
	o = ln_put_lit(o, ",\"curve\":");
	o = put_cstr(o, ci->curve[0] ? ci->curve : NULL);
	o = ln_put_lit(o, ",\"signature_algorithm\":");
	o = put_cstr(o, ci->sig_alg);
	return put_bool(o, ",\"ca\":", ci->is_ca);
}

static size_t cert_room(const struct tls_cert_info *ci)
{
	size_t n = STRETCH_TEXT + 3 * JB_U64_ROOM + str_room(ci->subject) + str_room(ci->issuer) +
		   str_room(ci->not_before_str) + str_room(ci->not_after_str) + str_room(ci->sha256) +
		   str_room(ci->key_type) + str_room(ci->curve) + str_room(ci->sig_alg);
	for (uint8_t k = 0; k < ci->n_sans; k++)
		n += str_room(ci->sans[k].name) + 1;
	return n;
}

/* The server's certificates (sent in clear), with what the checks found at capture time. */
static void json_certificates(struct jbuf *b, struct tls_conn *t)
{
	struct tls_cert_findings f;
	const struct tls_cert_chain *chain = tls_certificates(t, &f);
	char *o;

	jb_lit(b, ",\"certificates\":[");
	for (uint8_t i = 0; chain != NULL && i < chain->n_kept; i++) {
		const struct tls_cert_info *ci = &chain->certs[i];
		if ((o = stretch(b, ci->decoded ? cert_room(ci) : STRETCH_TEXT + JB_U64_ROOM)) == NULL)
			return;
		if (i)
			*o++ = ',';
		o = ln_put_lit(o, "{\"der_size\":");
		o = jb_put_u64(o, ci->der_len);
		if (!ci->decoded) {
			o = ln_put_lit(o, ",\"decoded\":false}");
			stretch_end(b, o);
			continue;
		}
		o = put_cert(o, ci);
		*o++ = '}';
		stretch_end(b, o);
	}
	if ((o = stretch(b, STRETCH_TEXT + JB_U64_ROOM)) == NULL)
		return;
	o = ln_put_lit(o, "],\"certificate_count\":");
	o = jb_put_u64(o, chain != NULL ? chain->n_certs : 0);
	o = ln_put_lit(o, ",\"certificate_findings\":[");
	stretch_end(b, o);
	for (uint8_t i = 0; chain != NULL && i < f.n; i++) {
		if ((o = stretch(b, STRETCH_TEXT + JB_U64_ROOM + str_room(f.items[i].text))) == NULL)
			return;
		if (i)
			*o++ = ',';
		o = put_bool(o, "{\"problem\":", f.items[i].flag & TLS_CERT_F_PROBLEMS);
		o = ln_put_lit(o, ",\"certificate\":");
		if (f.items[i].cert >= 0)
			o = jb_put_u64(o, (uint64_t)f.items[i].cert);
		else
			o = ln_put_lit(o, "null");
		o = ln_put_lit(o, ",\"text\":");
		o = put_cstr(o, f.items[i].text);
		*o++ = '}';
		stretch_end(b, o);
	}
	jb_chr(b, ']');
	if (chain != NULL && f.total > f.n) {
		jb_lit(b, ",\"certificate_findings_omitted\":");
		jb_u64(b, (uint64_t)(f.total - f.n));
	}
}

/* What reassembly saw of one direction: retransmissions, conflicting bytes, a hole, bounds hit.
 * Room: STRETCH_TEXT + STREAM_EXTRA_TEXT + 12 numbers. */
static char *put_stream(char *o, const struct reasm *r)
{
	struct reasm_stats st;
	uint64_t from, to;
	int g = reasm_gap(r, &from, &to);

	reasm_stats(r, &st);
	o = ln_put_lit(o, "{\"bytes\":");
	o = jb_put_u64(o, st.bytes);
	o = ln_put_lit(o, ",\"segments\":");
	o = jb_put_u64(o, st.segments);
	o = ln_put_lit(o, ",\"retransmitted_segments\":");
	o = jb_put_u64(o, st.retrans_segments);
	o = ln_put_lit(o, ",\"out_of_order_segments\":");
	o = jb_put_u64(o, st.ooo_segments);
	o = ln_put_lit(o, ",\"conflicts\":");
	o = jb_put_u64(o, st.conflicts);
	o = ln_put_lit(o, ",\"first_conflict\":");
	if (st.conflicts) {
		o = ln_put_lit(o, "{\"frame\":");
		o = jb_put_u64(o, st.conflict_frame);
		o = ln_put_lit(o, ",\"offset\":");
		o = jb_put_u64(o, st.conflict_off);
		*o++ = '}';
	} else {
		o = ln_put_lit(o, "null");
	}
	o = ln_put_lit(o, ",\"gap\":");
	if (g == REASM_GAP_NONE) {
		o = ln_put_lit(o, "null");
	} else {
		o = ln_put_lit(o, "{\"from\":");
		o = jb_put_u64(o, from);
		o = ln_put_lit(o, ",\"to\":");
		o = jb_put_u64(o, to);
		if (g == REASM_GAP_HOLE)
			o = ln_put_lit(o, ",\"kind\":\"hole\"}");
		else
			o = ln_put_lit(o, ",\"kind\":\"not_kept\"}");
	}
	/* Only when there is something to say (room: STREAM_EXTRA_TEXT and 3 numbers). */
	if (st.dropped_bytes) {
		o = ln_put_lit(o, ",\"not_kept_bytes\":");
		o = jb_put_u64(o, st.dropped_bytes);
	}
	if (st.uncompared_bytes) {
		o = ln_put_lit(o, ",\"uncompared_bytes\":");
		o = jb_put_u64(o, st.uncompared_bytes);
	}
	if (st.before_origin) {
		o = ln_put_lit(o, ",\"before_origin_bytes\":");
		o = jb_put_u64(o, st.before_origin);
	}
	if (reasm_flags(r) & (REASM_LIMITS | REASM_LOG_FULL)) {
		static const struct { uint32_t flag; const char *name; } lim[] = {
			{ REASM_OVERFLOW, "window" }, { REASM_QUEUE_FULL, "queue" }, { REASM_NOMEM, "memory" },
			{ REASM_INVALID, "segment_size" }, { REASM_LOG_FULL, "segment_log" },
		};
		o = ln_put_lit(o, ",\"limits\":[");
		for (size_t i = 0, k = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
			if (!(reasm_flags(r) & lim[i].flag))
				continue;
			if (k++)
				*o++ = ',';
			o = put_plain(o, lim[i].name);
		}
		*o++ = ']';
	}
	*o++ = '}';
	return o;
}
#define STREAM_EXTRA_TEXT 160

/* The last few sets of handshake types written, as text: a handful of sets recur. */
#define HS_SLOTS 16
#define HS_TEXT 480

static _Thread_local struct hs_slot {
	uint32_t seen;
	uint16_t len;            /* 0: empty */
	char text[HS_TEXT];
} hs_memo[HS_SLOTS];

/* The handshake message types a side sent in clear, by name, in type order. */
static void json_hs_types(struct jbuf *b, uint32_t seen)
{
	struct hs_slot *s = &hs_memo[(seen ^ seen >> 7 ^ seen >> 15) % HS_SLOTS];
	char tmp[TLS_NAME_BUFSZ];
	size_t start = b->len;

	if (s->len != 0 && s->seen == seen) {
		jb_mem(b, s->text, s->len);
		return;
	}
	jb_chr(b, '[');
	for (uint32_t m = seen; m != 0; m &= m - 1) {
		unsigned ty = (unsigned)__builtin_ctz(m);
		if (m != seen)
			jb_chr(b, ',');
		jb_qraw(b, tls_name_or_hex(tls_hs_type_name((uint8_t)ty), (uint16_t)ty, tmp));
	}
	jb_chr(b, ']');
	if (!b->oom && b->len - start <= HS_TEXT) {
		s->seen = seen;
		s->len = (uint16_t)(b->len - start);
		memcpy(s->text, b->p + start, s->len);
	}
}

/* The ClientHello after a HelloRetryRequest: what changed is mostly its key share. */
static void json_second_hello(struct jbuf *b, const struct tls_conn *t)
{
	const struct tls_client_hello *ch = t->ch2;

	jb_lit(b, ",\"second_client_hello\":");
	if (ch == NULL) {
		jb_lit(b, "null");
		return;
	}
	jb_lit(b, "{\"status\":");
	jb_qraw(b, hello_status(t->ch2_status));
	jb_lit(b, ",\"key_share_groups\":");
	json_names(b, ch->key_share_groups, ch->n_key_shares, TLS_REG_GROUP);
	jb_lit(b, ",\"ja4\":");
	jb_cstr(b, ch->ja4[0] ? ch->ja4 : NULL);
	jb_chr(b, '}');
}

static const char *const issue_kind[] = {
	[TLS_ISSUE_BAD_RECORD] = "bad_record",
	[TLS_ISSUE_MSG_TOO_LARGE] = "message_too_large",
	[TLS_ISSUE_MSG_UNFINISHED] = "message_unfinished",
	[TLS_ISSUE_ALERTS_NOT_KEPT] = "alerts_not_kept",
	[TLS_ISSUE_CONFLICT] = "conflicting_retransmissions",
	[TLS_ISSUE_UNCOMPARED] = "uncompared_retransmissions",
	[TLS_ISSUE_NOT_KEPT] = "stream_not_kept",
	[TLS_ISSUE_NOMEM] = "out_of_memory",
};

static void side_words(struct line *l, uint8_t dir)
{
	ln_lit(l, "the ");
	ln_str(l, verdict_side_name(dir));
	ln_lit(l, "'s ");
}

static void hs_words(struct line *l, uint8_t type)
{
	char b[TLS_NAME_BUFSZ];
	ln_str(l, tls_name_or_hex(tls_hs_type_name(type), type, b));
	ln_lit(l, " message");
}

/* One issue in words: a JSON finding's text and a line of the text report. */
static void issue_words(struct line *l, const struct tls_issue *is)
{
	char b[TLS_NAME_BUFSZ];

	switch (is->kind) {
	case TLS_ISSUE_BAD_RECORD:
		side_words(l, is->dir);
		ln_lit(l, "stream is not TLS from byte ");
		ln_u64(l, is->off);
		ln_lit(l, " (frame ");
		ln_u64(l, is->frame);
		ln_lit(l, ") on: a record header of content type ");
		ln_u64(l, is->type);
		ln_lit(l, ", version ");
		ln_str(l, tls_name_or_hex(tls_version_name((uint16_t)is->b), (uint16_t)is->b, b));
		ln_lit(l, ", length ");
		ln_u64(l, is->a);
		if (is->a > 18432)
			ln_lit(l, " (TLS allows 18432)");
		ln_lit(l, "; not read past it");
		break;
	case TLS_ISSUE_MSG_TOO_LARGE:
		side_words(l, is->dir);
		hs_words(l, is->type);
		ln_lit(l, " declares ");
		ln_u64(l, is->a);
		ln_lit(l, " bytes, more than synack holds (");
		ln_u64(l, TLS_HS_CAP);
		ln_lit(l, "): its first ");
		ln_u64(l, TLS_HS_CAP);
		ln_lit(l, " bytes were read, the rest skipped");
		if (is->b > 1) {
			ln_lit(l, " (");
			ln_u64(l, is->b);
			ln_lit(l, " messages that large)");
		}
		break;
	case TLS_ISSUE_MSG_UNFINISHED:
		side_words(l, is->dir);
		hs_words(l, is->type);
		ln_lit(l, " declares ");
		ln_u64(l, is->a);
		ln_lit(l, " bytes; the capture holds ");
		ln_u64(l, is->b);
		ln_lit(l, " of them, then no more");
		break;
	case TLS_ISSUE_ALERTS_NOT_KEPT:
		ln_u64(l, is->a);
		ln_lit(l, " more alert");
		vt_plural(l, is->a);
		ln_lit(l, " counted, not kept (each side's first is kept)");
		break;
	case TLS_ISSUE_CONFLICT:
		ln_lit(l, "the ");
		ln_str(l, verdict_side_name(is->dir));
		ln_lit(l, " sent ");
		ln_u64(l, is->a);
		ln_lit(l, " segment");
		vt_plural(l, is->a);
		ln_lit(l, " again with other bytes than the first copy (the lowest at stream byte ");
		ln_u64(l, is->off);
		ln_lit(l, ", the first in frame ");
		ln_u64(l, is->frame);
		ln_lit(l, "): a possible evasion or a broken middlebox; synack read the first copy");
		ln_str(l, is->b ? ", and the handshake from it" : ", after the handshake");
		break;
	case TLS_ISSUE_UNCOMPARED:
		ln_u64(l, is->a);
		ln_lit(l, " retransmitted byte");
		vt_plural(l, is->a);
		ln_lit(l, " of ");
		side_words(l, is->dir);
		ln_lit(l, "stream (the first at stream byte ");
		ln_u64(l, is->off);
		ln_lit(l, ", within the handshake) could not be compared with the first copy");
		break;
	case TLS_ISSUE_NOT_KEPT:
		side_words(l, is->dir);
		ln_lit(l, "stream: ");
		ln_u64(l, is->a);
		ln_lit(l, " new bytes were not kept (");
		ln_str(l, (is->b & REASM_OVERFLOW) ? "beyond synack's 64 KiB window past a hole"
			  : (is->b & REASM_QUEUE_FULL) ? "too many out-of-order pieces"
			  : (is->b & REASM_NOMEM) ? "out of memory" : "a segment over 1 GiB");
		ln_chr(l, ')');
		if (is->off != UINT64_MAX) {
			ln_lit(l, "; reading stopped at byte ");
			ln_u64(l, is->off);
			ln_lit(l, ": nothing after it (a later alert, say) was read");
		}
		break;
	default:
		ln_lit(l, "out of memory: a hello or the server's certificates were not kept");
		break;
	}
}

/* ,"findings":[...]: what tls_issues() lists, only when it lists something. */
static void json_findings(struct jbuf *b, const struct tls_conn *t)
{
	struct tls_issue is[TLS_MAX_ISSUES];
	size_t n = tls_issues(t, is, TLS_MAX_ISSUES);
	char text[512], tmp[TLS_NAME_BUFSZ];
	struct line l;

	for (size_t i = 0; i < n; i++) {
		const struct tls_issue *e = &is[i];
		if (i)
			jb_lit(b, ",{\"kind\":");
		else
			jb_lit(b, ",\"findings\":[{\"kind\":");
		jb_qraw(b, issue_kind[e->kind]);
		jb_lit(b, ",\"from\":");
		jb_cstr(b, e->dir <= 1 ? verdict_side_name(e->dir) : NULL);
		switch (e->kind) {
		case TLS_ISSUE_BAD_RECORD:
			jb_lit(b, ",\"frame\":");
			jb_u64(b, e->frame);
			jb_lit(b, ",\"offset\":");
			jb_u64(b, e->off);
			jb_lit(b, ",\"content_type\":");
			jb_u64(b, e->type);
			jb_lit(b, ",\"version\":");
			json_name(b, TLS_REG_VERSION, (uint16_t)e->b);
			jb_lit(b, ",\"length\":");
			jb_u64(b, e->a);
			break;
		case TLS_ISSUE_MSG_TOO_LARGE:
		case TLS_ISSUE_MSG_UNFINISHED:
			jb_lit(b, ",\"message\":");
			jb_qraw(b, tls_name_or_hex(tls_hs_type_name(e->type), e->type, tmp));
			jb_lit(b, ",\"declared\":");
			jb_u64(b, e->a);
			jb_raw(b, e->kind == TLS_ISSUE_MSG_TOO_LARGE ? ",\"count\":" : ",\"received\":");
			jb_u64(b, e->b);
			break;
		case TLS_ISSUE_CONFLICT:
			jb_lit(b, ",\"frame\":");
			jb_u64(b, e->frame);
			jb_lit(b, ",\"offset\":");
			jb_u64(b, e->off);
			jb_lit(b, ",\"segments\":");
			jb_u64(b, e->a);
			json_bool(b, ",\"in_handshake\":", e->b);
			break;
		case TLS_ISSUE_UNCOMPARED:
		case TLS_ISSUE_NOT_KEPT:
		case TLS_ISSUE_ALERTS_NOT_KEPT:
			if (e->kind != TLS_ISSUE_ALERTS_NOT_KEPT) {
				jb_lit(b, ",\"offset\":");
				if (e->off != UINT64_MAX)
					jb_u64(b, e->off);
				else
					jb_lit(b, "null");
			}
			jb_raw(b, e->kind == TLS_ISSUE_ALERTS_NOT_KEPT ? ",\"count\":" : ",\"bytes\":");
			jb_u64(b, e->a);
			break;
		default:
			break;
		}
		ln_init(&l, text, sizeof(text) - 1);
		issue_words(&l, e);
		jb_lit(b, ",\"text\":");
		jb_str(b, text, l.len);
		jb_chr(b, '}');
	}
	if (n > 0)
		jb_chr(b, ']');
}

void report_tls_json(struct jbuf *b, const struct conn *c, int nano)
{
	const struct tls_conn *t = conn_tls(c);
	const struct tls_rec_note *pa[2];
	int first = 1, pd, bad = 0;
	char *o;

	if (!tls_seen(t)) {
		jb_lit(b, "null");
		return;
	}
	jb_lit(b, "{\"client_hello\":");
	if (t->ch != NULL)
		json_client_hello(b, t, nano);
	else
		jb_lit(b, "null");
	if ((o = stretch(b, STRETCH_TEXT + JB_TS_ROOM + JB_U64_ROOM)) == NULL)
		return;
	o = ln_put_lit(o, ",\"hello_retry_request\":");
	if (t->hrr) {
		o = ln_put_lit(o, "{\"ts\":");
		o = jb_put_ts(o, t->hrr_ts, nano);
		o = ln_put_lit(o, ",\"frame\":");
		o = jb_put_u64(o, t->hrr_frame);
		o = ln_put_lit(o, ",\"group\":");
		stretch_end(b, o);
		json_name(b, TLS_REG_GROUP, t->hrr_group);
		jb_chr(b, '}');
	} else {
		o = ln_put_lit(o, "null");
		stretch_end(b, o);
	}
	jb_lit(b, ",\"server_hello\":");
	if (t->sh != NULL)
		json_server_hello(b, t, nano);
	else
		jb_lit(b, "null");
	jb_lit(b, ",\"alerts\":[");
	for (uint8_t i = 0; i < t->nalerts; i++) {
		if (!first)
			jb_chr(b, ',');
		json_alert(b, &t->alerts[i], 0, nano);
		first = 0;
	}
	for (int dir = 0; dir < 2; dir++) {
		const struct tls_rec_note *n = pa[dir] = tls_probable_alert(c, dir);
		if (n == NULL)
			continue;
		struct tls_alert a = { n->frame, n->ts, (uint8_t)dir, 0, 0, 1 };
		if (!first)
			jb_chr(b, ',');
		json_alert(b, &a, 1, nano);
		first = 0;
	}
	jb_chr(b, ']');
	json_certificates(b, conn_tls(c));
	json_bool(b, ",\"established\":", tls_established(t) && pa[0] == NULL && pa[1] == NULL);
	jb_lit(b, ",\"version\":");
	if (tls_version(t))
		json_name(b, TLS_REG_VERSION, tls_version(t));
	else
		jb_lit(b, "null");
	jb_lit(b, ",\"cipher\":");
	if (t->sh != NULL && t->sh_status != TLS_HELLO_INVALID)
		json_name(b, TLS_REG_CIPHER, t->sh->cipher_suite);
	else
		jb_lit(b, "null");
	json_second_hello(b, t);
	jb_lit(b, ",\"handshake_messages\":{\"client\":");
	json_hs_types(b, t->side[0].hs_seen);
	jb_lit(b, ",\"server\":");
	json_hs_types(b, t->side[1].hs_seen);
	json_bool(b, "},\"change_cipher_spec\":{\"client\":", t->side[0].ccs);
	json_bool(b, ",\"server\":", t->side[1].ccs);
	jb_chr(b, '}');

	pd = t->side[1].mode == TLS_MODE_PLAIN ? 1 : t->side[0].mode == TLS_MODE_PLAIN ? 0 : -1;
	if ((o = stretch(b, 3 * STRETCH_TEXT + 2 * STREAM_EXTRA_TEXT + 26 * JB_U64_ROOM +
			 (pd >= 0 ? 6 * (size_t)t->side[pd].first_line_len + 2 : 0))) == NULL)
		return;
	o = ln_put_lit(o, ",\"records\":{\"client\":");
	o = jb_put_u64(o, t->side[0].records);
	o = ln_put_lit(o, ",\"server\":");
	o = jb_put_u64(o, t->side[1].records);
	o = ln_put_lit(o, "},\"streams\":{\"client\":");
	o = put_stream(o, t->rs[0]);
	o = ln_put_lit(o, ",\"server\":");
	o = put_stream(o, t->rs[1]);
	o = ln_put_lit(o, "},\"not_tls\":");
	if (pd >= 0) {
		o = ln_put_lit(o, "{\"from\":");
		o = put_plain(o, verdict_side_name(pd));
		o = ln_put_lit(o, ",\"first_line\":");
		o = jb_put_untrusted(o, t->side[pd].first_line, t->side[pd].first_line_len, &bad);
		if (bad)
			o = ln_put_lit(o, ",\"first_line_utf8\":false");
		if (t->side[pd].first_line_cut)
			o = ln_put_lit(o, ",\"first_line_cut\":true");
		*o++ = '}';
	} else {
		o = ln_put_lit(o, "null");
	}
	stretch_end(b, o);
	json_findings(b, t);
	jb_chr(b, '}');
}

/* One item of the TLS lines: "tls" before the first, wrapped at 78 columns. */
static void text_item(FILE *f, int *first, struct line *l)
{
	l->buf[l->len] = '\0';
	report_wrapped(f, *first ? "tls" : "", l->buf);
	*first = 0;
}

static void text_client_hello(FILE *f, int *first, const struct tls_client_hello *ch, struct line *l)
{
	ln_lit(l, "ClientHello ");
	ln_u64(l, ch->size);
	ln_lit(l, " bytes, SNI ");
	if (ch->sni_len) {
		ln_chr(l, '"');
		ln_escaped(l, ch->sni, ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN);
		ln_chr(l, '"');
		if (ch->sni_is_ech_public)
			ln_lit(l, " (with ECH: the outer, public name, unless the ECH is GREASE)");
	} else {
		ln_lit(l, "none");
	}
	if (ch->has_ech && !ch->sni_is_ech_public)
		ln_lit(l, ", ECH");
	ln_lit(l, ", ");
	ln_u64(l, ch->cipher_suites_total);
	ln_lit(l, " cipher suites");
	if (ch->n_alpn) {
		ln_lit(l, ", ALPN ");
		for (uint8_t i = 0; i < ch->n_alpn; i++) {
			if (i)
				ln_chr(l, ',');
			ln_escaped(l, ch->alpn[i].name,
				   ch->alpn[i].len < TLS_HELLO_ALPN_LEN ? ch->alpn[i].len : TLS_HELLO_ALPN_LEN);
		}
	}
	text_item(f, first, l);
	if (ch->ja4[0]) {
		l->len = 0;
		ln_lit(l, "JA4 ");
		ln_str(l, ch->ja4);
		text_item(f, first, l);
		l->len = 0;
		ln_lit(l, "JA3 ");
		ln_str(l, ch->ja3_md5);
		text_item(f, first, l);
	}
}

/* What a hello held fewer of than it sent, and what tls_issues() lists: a line each. */
static void text_findings(FILE *f, int *first, const struct tls_conn *t, struct line *l)
{
	struct tls_issue is[TLS_MAX_ISSUES];
	size_t n = tls_issues(t, is, TLS_MAX_ISSUES);

	if (t->ch != NULL) {
		struct cut c[12];
		size_t k = hello_cuts(t->ch, c);
		if (k > 0 || t->ch->ja3_cut) {
			l->len = 0;
			ln_lit(l, "ClientHello holds more than synack keeps:");
			for (size_t i = 0; i < k; i++) {
				ln_str(l, i ? ", " : " ");
				ln_u64(l, c[i].kept);
				ln_lit(l, " of ");
				ln_u64(l, c[i].sent);
				ln_chr(l, ' ');
				ln_str(l, c[i].words);
			}
			if (t->ch->ja3_cut)
				ln_str(l, k ? ", the JA3 string (its hash is of all of it)" : " the JA3 string (its hash is "
											   "of all of it)");
			text_item(f, first, l);
		}
	}
	if (t->sh != NULL && (t->sh->n_extensions < t->sh->extensions_total || t->sh->alpn.len > TLS_HELLO_ALPN_LEN)) {
		l->len = 0;
		ln_lit(l, "ServerHello holds more than synack keeps:");
		if (t->sh->n_extensions < t->sh->extensions_total) {
			ln_lit(l, " ");
			ln_u64(l, t->sh->n_extensions);
			ln_lit(l, " of ");
			ln_u64(l, t->sh->extensions_total);
			ln_lit(l, " extensions");
		}
		if (t->sh->alpn.len > TLS_HELLO_ALPN_LEN) {
			ln_str(l, t->sh->n_extensions < t->sh->extensions_total ? ", " : " ");
			ln_u64(l, TLS_HELLO_ALPN_LEN);
			ln_lit(l, " of ");
			ln_u64(l, t->sh->alpn.len);
			ln_lit(l, " bytes of the ALPN value");
		}
		text_item(f, first, l);
	}
	for (size_t i = 0; i < n; i++) {
		l->len = 0;
		issue_words(l, &is[i]);
		text_item(f, first, l);
	}
}

/* The TLS lines of the text report, under the TCP lines. */
void report_tls_text(FILE *f, const struct conn *c)
{
	const struct tls_conn *t = conn_tls(c);
	char buf[1024], tmp[TLS_NAME_BUFSZ];
	struct line l;
	int first = 1;

	if (!tls_seen(t))
		return;
	ln_init(&l, buf, sizeof(buf) - 1);
	if (t->ch != NULL)
		text_client_hello(f, &first, t->ch, &l);
	if (t->hrr) {
		l.len = 0;
		ln_lit(&l, "HelloRetryRequest for group ");
		ln_str(&l, tls_name_or_hex(tls_group_name(t->hrr_group), t->hrr_group, tmp));
		text_item(f, &first, &l);
	}
	if (t->sh != NULL) {
		l.len = 0;
		ln_lit(&l, "ServerHello ");
		ln_str(&l, tls_name_or_hex(tls_version_name(t->sh->version), t->sh->version, tmp));
		ln_lit(&l, ", ");
		ln_str(&l, tls_name_or_hex(tls_cipher_name(t->sh->cipher_suite), t->sh->cipher_suite, tmp));
		if (t->ch != NULL) {
			ln_lit(&l, ", ");
			vt_ms3(&l, t->sh_ts - t->ch_ts);
			ln_lit(&l, " ms after the ClientHello");
		}
		text_item(f, &first, &l);
	}
	for (uint8_t i = 0; i < t->nalerts; i++) {
		const struct tls_alert *a = &t->alerts[i];
		l.len = 0;
		ln_lit(&l, "alert from the ");
		ln_str(&l, verdict_side_name(a->from));
		if (a->encrypted) {
			ln_lit(&l, " (encrypted)");
		} else {
			ln_lit(&l, ": ");
			ln_str(&l, tls_name_or_hex(tls_alert_level_name(a->level), a->level, tmp));
			ln_chr(&l, ' ');
			ln_str(&l, tls_name_or_hex(tls_alert_name(a->desc), a->desc, tmp));
			ln_chr(&l, '(');
			ln_u64(&l, a->desc);
			ln_chr(&l, ')');
		}
		text_item(f, &first, &l);
	}
	for (int dir = 0; dir < 2; dir++) {
		if (tls_probable_alert(c, dir) == NULL)
			continue;
		l.len = 0;
		ln_lit(&l, "probable encrypted alert from the ");
		ln_str(&l, verdict_side_name(dir));
		ln_lit(&l, " (inferred from its size)");
		text_item(f, &first, &l);
	}
	for (int dir = 0; dir < 2; dir++) {
		const struct tls_side *s = &t->side[dir];
		if (s->mode != TLS_MODE_PLAIN)
			continue;
		l.len = 0;
		ln_str(&l, verdict_side_name(dir));
		ln_lit(&l, " sent non-TLS bytes: \"");
		ln_escaped(&l, (const uint8_t *)s->first_line, s->first_line_len);
		ln_chr(&l, '"');
		if (s->first_line_cut)
			ln_lit(&l, " (its first 80 bytes)");
		text_item(f, &first, &l);
	}
	text_findings(f, &first, t, &l);
}
