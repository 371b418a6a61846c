/* report_tls.c: a connection's TLS handshake in the reports: the "tls" JSON object. */
#include <string.h>

#include "hash.h"
#include "json.h"
#include "line.h"
#include "report.h"
#include "report_tls.h"
#include "tls_cert.h"
#include "tls_names.h"

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
static void json_name(struct tbuf *b, enum tls_registry reg, uint16_t v)
{
	struct name_slot *s = &name_memo[reg][(v ^ v >> 5) % NAME_SLOTS];
	char tmp[TLS_NAME_BUFSZ];

	if (s->key != v + 1u) {
		s->key = v + 1u;
		s->name = reg_lookup[reg](v);
		s->len = s->name != NULL ? (uint32_t)strlen(s->name) : 0;
	}
	if (s->name == NULL)
		jb_qraw(b, tls_name_or_hex(NULL, v, tmp));
	else
		jb_plain(b, s->name, s->len);
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
static void json_names(struct tbuf *b, const uint16_t *v, size_t n, enum tls_registry reg)
{
	uint64_t h = list_hash(reg, v, n);
	struct list_slot *s = &list_memo[h % LIST_SLOTS];
	size_t start = tb_mark(b);

	if (s->len != 0 && s->hash == h && s->n == n && s->reg == reg && memcmp(s->v, v, n * sizeof(*v)) == 0) {
		tb_mem(b, s->text, s->len);
		return;
	}
	tb_chr(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			tb_chr(b, ',');
		json_name(b, reg, v[i]);
	}
	tb_chr(b, ']');
	if (n <= LIST_VALUES && !tb_failed(b) && tb_len(b) - start <= LIST_TEXT) {
		s->hash = h;
		s->n = (uint16_t)n;
		s->reg = (uint8_t)reg;
		s->len = (uint16_t)(tb_len(b) - start);
		memcpy(s->v, v, n * sizeof(*v));
		memcpy(s->text, b->p + start, s->len);
	}
}

/* key: a string literal, ",\"name\":". */
#define json_bool(b, key, v) do { \
		if (v) \
			tb_lit((b), key "true"); \
		else \
			tb_lit((b), key "false"); \
	} while (0)

static const char *hello_status(int st)
{
	return st == TLS_HELLO_OK ? "ok" : st == TLS_HELLO_TRUNCATED ? "truncated" : "invalid";
}

size_t report_hello_cuts(const struct tls_client_hello *ch, struct report_hello_cut *c)
{
	size_t n = 0;
	uint32_t alpn_long = 0;

#define CUT(key, w, k, t) \
	if ((uint32_t)(k) < (uint32_t)(t)) \
		c[n++] = (struct report_hello_cut){ key, w, (uint32_t)(k), (uint32_t)(t) }
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
static void json_hello_cuts(struct tbuf *b, const struct tls_client_hello *ch)
{
	struct report_hello_cut c[12];
	size_t n = report_hello_cuts(ch, c);

	for (size_t i = 0; i < n; i++) {
		if (i)
			tb_chr(b, ',');
		else
			tb_lit(b, ",\"cut\":{");
		jb_qraw(b, c[i].name);
		tb_chr(b, ':');
		tb_u64(b, c[i].sent);
	}
	if (n > 0)
		tb_chr(b, '}');
	if (ch->ja3_cut)
		tb_lit(b, ",\"ja3_string_cut\":true");
}

/* The ClientHello's object from its start to its legacy_version: where it was, how it parsed. */
static void json_hello_head(struct tbuf *b, const struct view_tls *t, int nano)
{
	const struct tls_client_hello *ch = t->ch;

	jb_lit_ts(b, "{\"ts\":", t->ch_ts, nano);
	tb_lit_u64(b, ",\"frame\":", t->ch_frame);
	tb_lit_u64(b, ",\"size\":", ch->size);
	tb_lit_u64(b, ",\"segments\":", t->ch_segments - t->ch_retrans);
	tb_lit_u64(b, ",\"retransmitted_segments\":", t->ch_retrans);
	jb_lit_qraw(b, ",\"status\":", hello_status(t->ch_status));
	if (t->ch_status == TLS_HELLO_INVALID)
		jb_lit_cstr(b, ",\"error\":", ch->error);
	json_bool(b, ",\"sslv2\":", ch->sslv2);
	if (ch->sslv2)
		tb_lit_u64(b, ",\"sslv2_cipher_kinds\":", ch->sslv2_only_specs);
	tb_lit(b, ",\"legacy_version\":");
	json_name(b, TLS_REG_VERSION, ch->legacy_version);
}

/* What the client asked for by name: SNI, versions, ALPN values (its own bytes: escaped). */
static void json_hello_asks(struct tbuf *b, const struct tls_client_hello *ch)
{
	size_t sni_n = ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN;
	int sni_bad = 0, alpn_bad = 0;     /* not UTF-8: U+FFFD written, said beside */

	if (ch->sni_len)
		jb_lit_untrusted(b, ",\"sni\":", (const char *)ch->sni, sni_n, &sni_bad);
	else
		tb_lit(b, ",\"sni\":null");
	if (sni_bad)
		tb_lit(b, ",\"sni_utf8\":false");
	tb_lit(b, ",\"versions\":");
	if (ch->has_supported_versions)
		json_names(b, ch->versions, ch->n_versions, TLS_REG_VERSION);
	else
		json_names(b, &ch->legacy_version, 1, TLS_REG_VERSION);
	tb_lit(b, ",\"alpn\":[");
	for (uint8_t i = 0; i < ch->n_alpn; i++) {
		if (i)
			tb_chr(b, ',');
		jb_untrusted(b, (const char *)ch->alpn[i].name,
			     ch->alpn[i].len < TLS_HELLO_ALPN_LEN ? ch->alpn[i].len : TLS_HELLO_ALPN_LEN,
			     &alpn_bad);
	}
	tb_chr(b, ']');
	if (alpn_bad)
		tb_lit(b, ",\"alpn_utf8\":false");
}

/* The lists of code points the client offered, by name. */
static void json_hello_lists(struct tbuf *b, const struct tls_client_hello *ch)
{
	tb_lit(b, ",\"cipher_suites\":");
	json_names(b, ch->cipher_suites, ch->n_cipher_suites, TLS_REG_CIPHER);
	tb_lit_u64(b, ",\"cipher_suites_total\":", ch->cipher_suites_total);
	tb_lit(b, ",\"groups\":");
	json_names(b, ch->groups, ch->n_groups, TLS_REG_GROUP);
	tb_lit(b, ",\"key_share_groups\":");
	json_names(b, ch->key_share_groups, ch->n_key_shares, TLS_REG_GROUP);
	tb_lit(b, ",\"signature_algorithms\":");
	json_names(b, ch->sigalgs, ch->n_sigalgs, TLS_REG_SIGSCHEME);
	tb_lit(b, ",\"extensions\":");
	json_names(b, ch->extensions, ch->n_extensions, TLS_REG_EXT);
}

/* What else it offered, and its fingerprints (ours: no escaping). */
static void json_hello_marks(struct tbuf *b, const struct tls_client_hello *ch)
{
	json_bool(b, ",\"psk\":", ch->has_psk);
	json_bool(b, ",\"session_ticket\":", ch->session_ticket_len > 0);
	json_bool(b, ",\"early_data\":", ch->has_early_data);
	json_bool(b, ",\"ech\":", ch->has_ech);
	json_bool(b, ",\"sni_is_ech_public_name\":", ch->sni_is_ech_public);
	jb_lit_qraw(b, ",\"ja3\":", ch->ja3_md5[0] ? ch->ja3_md5 : NULL);
	jb_lit_qraw(b, ",\"ja3_string\":", ch->ja3[0] ? ch->ja3 : NULL);
	jb_lit_qraw(b, ",\"ja4\":", ch->ja4[0] ? ch->ja4 : NULL);
}

static void json_client_hello(struct tbuf *b, const struct view_tls *t, int nano)
{
	json_hello_head(b, t, nano);
	json_hello_asks(b, t->ch);
	json_hello_lists(b, t->ch);
	json_hello_marks(b, t->ch);
	json_hello_cuts(b, t->ch);
	tb_chr(b, '}');
}

static void json_server_hello(struct tbuf *b, const struct view_tls *t, int nano)
{
	const struct tls_server_hello *sh = t->sh;
	size_t alpn_n = sh->alpn.len < TLS_HELLO_ALPN_LEN ? sh->alpn.len : TLS_HELLO_ALPN_LEN;
	int ext_cut = sh->n_extensions < sh->extensions_total, alpn_cut = sh->alpn.len > TLS_HELLO_ALPN_LEN;
	int alpn_bad = 0;

	jb_lit_ts(b, "{\"ts\":", t->sh_ts, nano);
	tb_lit_u64(b, ",\"frame\":", t->sh_frame);
	jb_lit_qraw(b, ",\"status\":", hello_status(t->sh_status));
	tb_lit(b, ",\"version\":");
	json_name(b, TLS_REG_VERSION, sh->version);
	tb_lit(b, ",\"cipher\":");
	json_name(b, TLS_REG_CIPHER, sh->cipher_suite);
	tb_lit(b, ",\"group\":");
	if (sh->has_key_share)
		json_name(b, TLS_REG_GROUP, sh->key_share_group);
	else if (t->ske_group)
		json_name(b, TLS_REG_GROUP, t->ske_group);
	else
		tb_lit(b, "null");
	if (sh->has_alpn)
		jb_lit_untrusted(b, ",\"alpn\":", (const char *)sh->alpn.name, alpn_n, &alpn_bad);
	else
		tb_lit(b, ",\"alpn\":null");
	if (alpn_bad)
		tb_lit(b, ",\"alpn_utf8\":false");
	json_bool(b, ",\"resumed\":", sh->has_psk || (t->ch != NULL && tls_hello_session_resumed(t->ch, sh)));
	json_bool(b, ",\"certificate_request\":", t->cert_request);
	/* what it holds fewer of than it sent, as for the ClientHello */
	if (ext_cut || alpn_cut) {
		tb_lit(b, ",\"cut\":{");
		if (ext_cut)
			tb_lit_u64(b, "\"extensions\":", sh->extensions_total);
		if (alpn_cut) {
			if (ext_cut)
				tb_chr(b, ',');
			tb_lit_u64(b, "\"alpn_value\":", sh->alpn.len);
		}
		tb_chr(b, '}');
	}
	tb_chr(b, '}');
}

/* An SSL 2.0 cipher kind's name as a JSON string, or its six hex digits ("0x0700c0"). */
static void json_sslv2_kind(struct tbuf *b, uint32_t kind)
{
	const char *name = tls_sslv2_cipher_name(kind);
	char hex[9] = "0x";

	if (name != NULL) {
		jb_qraw(b, name);
		return;
	}
	for (int i = 0; i < 6; i++)
		hex[2 + i] = "0123456789abcdef"[(kind >> (20 - 4 * i)) & 15];
	hex[8] = '\0';
	jb_qraw(b, hex);
}

/* ,"sslv2":{...}: only when the server answered in SSL 2.0. */
static void json_sslv2(struct tbuf *b, const struct view_tls *t, int nano)
{
	const struct tls_sslv2 *v2 = t->v2;
	const struct tls_sslv2_server_hello *h;

	if (v2 == NULL)
		return;
	h = &v2->hello;
	jb_lit_ts(b, ",\"sslv2\":{\"ts\":", v2->ts, nano);
	tb_lit_u64(b, ",\"frame\":", v2->frame);
	jb_lit_qraw(b, ",\"status\":", hello_status(v2->status));
	if (v2->status == TLS_HELLO_INVALID)
		jb_lit_cstr(b, ",\"error\":", h->error);
	json_bool(b, ",\"session_id_hit\":", h->session_id_hit);
	tb_lit_u64(b, ",\"certificate_type\":", h->cert_type);
	tb_lit_u64(b, ",\"certificate_length\":", h->cert_len);
	tb_lit(b, ",\"cipher_specs\":[");
	for (uint8_t i = 0; i < h->n_specs; i++) {
		if (i)
			tb_chr(b, ',');
		json_sslv2_kind(b, h->specs[i]);
	}
	tb_lit_u64(b, "],\"cipher_specs_total\":", h->specs_total);
	tb_lit_u64(b, ",\"connection_id_length\":", h->conn_id_len);
	tb_lit(b, ",\"client_cipher\":");
	if (v2->has_client_cipher)
		json_sslv2_kind(b, v2->client_cipher);
	else
		tb_lit(b, "null");
	tb_chr(b, '}');
}

static void json_alert(struct tbuf *b, const struct tls_alert *a, int inferred, int nano)
{
	char tmp[TLS_NAME_BUFSZ];

	jb_lit_ts(b, "{\"ts\":", a->ts, nano);
	tb_lit_u64(b, ",\"frame\":", a->frame);
	jb_lit_qraw(b, ",\"from\":", verdict_side_name(a->from));
	if (a->decrypted) {
		jb_lit_qraw(b, ",\"level\":", tls_name_or_hex(tls_alert_level_name(a->level), a->level, tmp));
		jb_lit_qraw(b, ",\"description\":", tls_name_or_hex(tls_alert_name(a->desc), a->desc, tmp));
		tb_lit_u64(b, ",\"code\":", a->desc);
		tb_lit(b, ",\"encrypted\":true,\"inferred\":false,\"decrypted\":true");
		jb_lit_qraw(b, ",\"keys\":", a->epoch == TLS_EPOCH_APPLICATION ? "application" : "handshake");
	} else if (a->encrypted) {
		tb_lit(b, ",\"level\":null,\"description\":null,\"code\":null,\"encrypted\":true");
		json_bool(b, ",\"inferred\":", inferred);
	} else {
		jb_lit_qraw(b, ",\"level\":", tls_name_or_hex(tls_alert_level_name(a->level), a->level, tmp));
		jb_lit_qraw(b, ",\"description\":", tls_name_or_hex(tls_alert_name(a->desc), a->desc, tmp));
		tb_lit_u64(b, ",\"code\":", a->desc);
		tb_lit(b, ",\"encrypted\":false,\"inferred\":false");
	}
	tb_chr(b, '}');
}

/* One decoded certificate's object but its der_size. */
static void json_cert(struct tbuf *b, const struct tls_cert_info *ci)
{
	jb_lit_cstr(b, ",\"subject\":", ci->subject);
	jb_lit_cstr(b, ",\"issuer\":", ci->issuer);
	tb_lit(b, ",\"sans\":[");
	for (uint8_t k = 0; k < ci->n_sans; k++) {
		if (k)
			tb_chr(b, ',');
		jb_cstr(b, ci->sans[k].name);
	}
	tb_lit_u64(b, "],\"sans_total\":", ci->sans_total);
	jb_lit_cstr(b, ",\"not_before\":", ci->has_validity ? ci->not_before_str : NULL);
	jb_lit_cstr(b, ",\"not_after\":", ci->has_validity ? ci->not_after_str : NULL);
	jb_lit_cstr(b, ",\"sha256\":", ci->sha256);
	jb_lit_cstr(b, ",\"key_type\":", ci->key_type);
	tb_lit_u64(b, ",\"key_bits\":", ci->key_bits);
	jb_lit_cstr(b, ",\"curve\":", ci->curve[0] ? ci->curve : NULL);
	jb_lit_cstr(b, ",\"signature_algorithm\":", ci->sig_alg);
	json_bool(b, ",\"ca\":", ci->is_ca);
}

/* The server's certificates (sent in clear), with what the checks found at capture time. */
static void json_certificates(struct tbuf *b, const struct view_tls *t)
{
	const struct tls_cert_chain *chain = t->chain;
	const struct tls_cert_findings *f = t->cert;

	tb_lit(b, ",\"certificates\":[");
	for (uint8_t i = 0; chain != NULL && i < chain->n_kept; i++) {
		const struct tls_cert_info *ci = &chain->certs[i];
		if (i)
			tb_chr(b, ',');
		tb_lit_u64(b, "{\"der_size\":", ci->der_len);
		if (ci->decoded)
			json_cert(b, ci);
		else
			tb_lit(b, ",\"decoded\":false");
		tb_chr(b, '}');
	}
	tb_lit_u64(b, "],\"certificate_count\":", chain != NULL ? chain->n_certs : 0);
	tb_lit(b, ",\"certificate_findings\":[");
	for (uint8_t i = 0; chain != NULL && i < f->n; i++) {
		if (i)
			tb_chr(b, ',');
		json_bool(b, "{\"problem\":", f->items[i].flag & TLS_CERT_F_PROBLEMS);
		if (f->items[i].cert >= 0)
			tb_lit_u64(b, ",\"certificate\":", (uint64_t)f->items[i].cert);
		else
			tb_lit(b, ",\"certificate\":null");
		jb_lit_cstr(b, ",\"text\":", f->items[i].text);
		tb_chr(b, '}');
	}
	tb_chr(b, ']');
	if (chain != NULL && f->total > f->n)
		tb_lit_u64(b, ",\"certificate_findings_omitted\":", (uint64_t)(f->total - f->n));
}

/* Only when there is something to say: bytes reassembly did not keep or compare, the limits it hit. */
static void json_stream_bounds(struct tbuf *b, const struct view_stream *st)
{
	static const struct { uint32_t flag; const char *name; } lim[] = {
		{ VIEW_LIMIT_WINDOW, "window" }, { VIEW_LIMIT_QUEUE, "queue" }, { VIEW_LIMIT_MEMORY, "memory" },
		{ VIEW_LIMIT_SEGMENT_SIZE, "segment_size" }, { VIEW_LIMIT_SEGMENT_LOG, "segment_log" },
	};

	if (st->dropped_bytes)
		tb_lit_u64(b, ",\"not_kept_bytes\":", st->dropped_bytes);
	if (st->uncompared_bytes)
		tb_lit_u64(b, ",\"uncompared_bytes\":", st->uncompared_bytes);
	if (st->before_origin)
		tb_lit_u64(b, ",\"before_origin_bytes\":", st->before_origin);
	if (st->limits == 0)
		return;
	tb_lit(b, ",\"limits\":[");
	for (size_t i = 0, k = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		if (!(st->limits & lim[i].flag))
			continue;
		if (k++)
			tb_chr(b, ',');
		jb_qraw(b, lim[i].name);
	}
	tb_chr(b, ']');
}

/* What reassembly saw of one direction: retransmissions, conflicting bytes, a hole, bounds hit. */
static void json_stream(struct tbuf *b, const struct view_stream *st)
{
	const struct verdict_gap *g = &st->gap;

	tb_lit_u64(b, "{\"bytes\":", st->bytes);
	tb_lit_u64(b, ",\"segments\":", st->segments);
	tb_lit_u64(b, ",\"retransmitted_segments\":", st->retrans_segments);
	tb_lit_u64(b, ",\"out_of_order_segments\":", st->ooo_segments);
	tb_lit_u64(b, ",\"conflicts\":", st->conflicts);
	if (st->conflicts) {
		tb_lit_u64(b, ",\"first_conflict\":{\"frame\":", st->conflict_frame);
		tb_lit_u64(b, ",\"offset\":", st->conflict_off);
		tb_chr(b, '}');
	} else {
		tb_lit(b, ",\"first_conflict\":null");
	}
	if (g->kind == VGAP_NONE) {
		tb_lit(b, ",\"gap\":null");
	} else {
		tb_lit_u64(b, ",\"gap\":{\"from\":", g->from);
		tb_lit_u64(b, ",\"to\":", g->to);
		if (g->kind == VGAP_HOLE)
			tb_lit(b, ",\"kind\":\"hole\"}");
		else
			tb_lit(b, ",\"kind\":\"not_kept\"}");
	}
	json_stream_bounds(b, st);
	tb_chr(b, '}');
}

/* The last few sets of handshake types written, as text: a handful of sets recur. */
#define HS_SLOTS 16
#define HS_TEXT 480

static _Thread_local struct hs_slot {
	uint32_t seen;
	uint16_t len;            /* 0: empty */
	char text[HS_TEXT];
} hs_memo[HS_SLOTS];

/* The handshake message types a side sent in clear, by name, in type order. */
static void json_hs_types(struct tbuf *b, uint32_t seen)
{
	struct hs_slot *s = &hs_memo[(seen ^ seen >> 7 ^ seen >> 15) % HS_SLOTS];
	char tmp[TLS_NAME_BUFSZ];
	size_t start = tb_mark(b);

	if (s->len != 0 && s->seen == seen) {
		tb_mem(b, s->text, s->len);
		return;
	}
	tb_chr(b, '[');
	for (uint32_t m = seen; m != 0; m &= m - 1) {
		unsigned ty = (unsigned)__builtin_ctz(m);
		if (m != seen)
			tb_chr(b, ',');
		jb_qraw(b, tls_name_or_hex(tls_hs_type_name((uint8_t)ty), (uint16_t)ty, tmp));
	}
	tb_chr(b, ']');
	if (!tb_failed(b) && tb_len(b) - start <= HS_TEXT) {
		s->seen = seen;
		s->len = (uint16_t)(tb_len(b) - start);
		memcpy(s->text, b->p + start, s->len);
	}
}

/* The ClientHello after a HelloRetryRequest: what changed is mostly its key share. */
static void json_second_hello(struct tbuf *b, const struct view_tls *t)
{
	const struct tls_client_hello *ch = t->ch2;

	tb_lit(b, ",\"second_client_hello\":");
	if (ch == NULL) {
		tb_lit(b, "null");
		return;
	}
	jb_lit_qraw(b, "{\"status\":", hello_status(t->ch2_status));
	tb_lit(b, ",\"key_share_groups\":");
	json_names(b, ch->key_share_groups, ch->n_key_shares, TLS_REG_GROUP);
	jb_lit_cstr(b, ",\"ja4\":", ch->ja4[0] ? ch->ja4 : NULL);
	tb_chr(b, '}');
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
	[TLS_ISSUE_SSLV2] = "sslv2",
	[TLS_ISSUE_FINISHED_MISMATCH] = "finished_not_verified",
};

/* ,"findings":[...]: the view's TLS issues, only when there are some. */
static void json_findings(struct tbuf *b, const struct conn_view *cv)
{
	size_t n = cv->nissues;
	char text[512], tmp[TLS_NAME_BUFSZ];
	struct line l;

	for (size_t i = 0; i < n; i++) {
		const struct tls_issue *e = &cv->issues[i];
		if (i)
			tb_lit(b, ",{\"kind\":");
		else
			tb_lit(b, ",\"findings\":[{\"kind\":");
		jb_qraw(b, issue_kind[e->kind]);
		jb_lit_cstr(b, ",\"from\":", e->dir <= 1 ? verdict_side_name(e->dir) : NULL);
		switch (e->kind) {
		case TLS_ISSUE_BAD_RECORD:
			tb_lit_u64(b, ",\"frame\":", e->frame);
			tb_lit_u64(b, ",\"offset\":", e->off);
			tb_lit_u64(b, ",\"content_type\":", e->type);
			tb_lit(b, ",\"version\":");
			json_name(b, TLS_REG_VERSION, (uint16_t)e->b);
			tb_lit_u64(b, ",\"length\":", e->a);
			break;
		case TLS_ISSUE_MSG_TOO_LARGE:
		case TLS_ISSUE_MSG_UNFINISHED:
			jb_lit_qraw(b, ",\"message\":", tls_name_or_hex(tls_hs_type_name(e->type), e->type, tmp));
			tb_lit_u64(b, ",\"declared\":", e->a);
			tb_str(b, e->kind == TLS_ISSUE_MSG_TOO_LARGE ? ",\"count\":" : ",\"received\":");
			tb_u64(b, e->b);
			break;
		case TLS_ISSUE_SSLV2:
			tb_lit_u64(b, ",\"frame\":", e->frame);
			break;
		case TLS_ISSUE_CONFLICT:
			tb_lit_u64(b, ",\"frame\":", e->frame);
			tb_lit_u64(b, ",\"offset\":", e->off);
			tb_lit_u64(b, ",\"segments\":", e->a);
			json_bool(b, ",\"in_handshake\":", e->b);
			break;
		case TLS_ISSUE_UNCOMPARED:
		case TLS_ISSUE_NOT_KEPT:
		case TLS_ISSUE_ALERTS_NOT_KEPT:
			if (e->kind != TLS_ISSUE_ALERTS_NOT_KEPT) {
				tb_lit(b, ",\"offset\":");
				if (e->off != UINT64_MAX)
					tb_u64(b, e->off);
				else
					tb_lit(b, "null");
			}
			tb_str(b, e->kind == TLS_ISSUE_ALERTS_NOT_KEPT ? ",\"count\":" : ",\"bytes\":");
			tb_u64(b, e->a);
			break;
		default:
			break;
		}
		ln_init(&l, text, sizeof(text) - 1);
		report_tls_issue_words(&l, e);
		jb_lit_str(b, ",\"text\":", text, l.len);
		tb_chr(b, '}');
	}
	if (n > 0)
		tb_chr(b, ']');
}

/* ,"hello_retry_request":..., null when there was none. */
static void json_hrr(struct tbuf *b, const struct view_tls *t, int nano)
{
	tb_lit(b, ",\"hello_retry_request\":");
	if (!t->hrr) {
		tb_lit(b, "null");
		return;
	}
	jb_lit_ts(b, "{\"ts\":", t->hrr_ts, nano);
	tb_lit_u64(b, ",\"frame\":", t->hrr_frame);
	tb_lit(b, ",\"group\":");
	json_name(b, TLS_REG_GROUP, t->hrr_group);
	tb_chr(b, '}');
}

/* ,"alerts":[...]: those kept, then each side's probable encrypted one. */
static void json_alerts(struct tbuf *b, const struct view_tls *t, const struct verdict_tls_seen *seen, int nano)
{
	int first = 1;

	tb_lit(b, ",\"alerts\":[");
	for (uint8_t i = 0; i < t->nalerts; i++) {
		if (!first)
			tb_chr(b, ',');
		json_alert(b, &t->alerts[i], 0, nano);
		first = 0;
	}
	for (int dir = 0; dir < 2; dir++) {
		if (!seen->probable[dir])
			continue;
		struct tls_alert a = { seen->probable_frame[dir], seen->probable_ts[dir], (uint8_t)dir, 0, 0, 1, 0, 0 };
		if (!first)
			tb_chr(b, ',');
		json_alert(b, &a, 1, nano);
		first = 0;
	}
	tb_chr(b, ']');
}

/* ,"handshake_messages":{...},"change_cipher_spec":{...}: what each side sent in clear. */
static void json_handshake_seen(struct tbuf *b, const struct view_tls *t)
{
	tb_lit(b, ",\"handshake_messages\":{\"client\":");
	json_hs_types(b, t->side[0].hs_seen);
	tb_lit(b, ",\"server\":");
	json_hs_types(b, t->side[1].hs_seen);
	json_bool(b, "},\"change_cipher_spec\":{\"client\":", t->side[0].ccs);
	json_bool(b, ",\"server\":", t->side[1].ccs);
	tb_chr(b, '}');
}

/* {"client":a,"server":b} */
static void json_pair(struct tbuf *b, const char *key, uint64_t c, uint64_t s)
{
	tb_pre_u64(b, key, strlen(key), c);
	tb_lit_u64(b, ",\"server\":", s);
	tb_chr(b, '}');
}

/* ,"decrypted":{...}: what the key log's secrets opened (only with them: absent otherwise). */
static void json_decrypted(struct tbuf *b, const struct view_tls *t)
{
	const struct tls_decrypted *d = t->dec;
	static const char *const ccert[3] = { "none", "empty", "sent" };
	int bad = 0;

	if (d == NULL)
		return;
	json_bool(b, ",\"decrypted\":{\"handshake\":", (d->hs[0] | d->hs[1]) != 0);
	json_bool(b, ",\"unsupported_suite\":", d->unsupported);
	tb_lit(b, ",\"handshake_messages\":{\"client\":");
	json_hs_types(b, d->hs[0]);
	tb_lit(b, ",\"server\":");
	json_hs_types(b, d->hs[1]);
	json_bool(b, "},\"finished\":{\"client\":", d->finished[0]);
	json_bool(b, ",\"server\":", d->finished[1]);
	tb_chr(b, '}');
	/* TLS 1.3: each side's Finished against the transcript; absent where not checked */
	if (d->finished_verified[0] || d->finished_verified[1]) {
		const char *sep = "";
		tb_lit(b, ",\"finished_verified\":{");
		for (int i = 0; i < 2; i++) {
			if (d->finished_verified[i] == TLS_FIN_UNCHECKED)
				continue;
			tb_str(b, sep);
			tb_str(b, i ? "\"server\":" : "\"client\":");
			tb_str(b, d->finished_verified[i] == TLS_FIN_VERIFIED ? "true" : "false");
			sep = ",";
		}
		tb_chr(b, '}');
	}
	json_pair(b, ",\"records\":{\"client\":", d->records[0], d->records[1]);
	json_pair(b, ",\"not_decrypted\":{\"client\":", d->failed[0], d->failed[1]);
	json_pair(b, ",\"application_records\":{\"client\":", d->app_records[0], d->app_records[1]);
	json_pair(b, ",\"application_bytes\":{\"client\":", d->app_bytes[0], d->app_bytes[1]);
	json_pair(b, ",\"key_updates\":{\"client\":", d->key_updates[0], d->key_updates[1]);
	json_bool(b, ",\"certificate_request\":", d->cert_request);
	jb_lit_qraw(b, ",\"client_certificate\":", ccert[d->client_cert < 3 ? d->client_cert : 0]);
	if (d->has_alpn)
		jb_lit_untrusted(b, ",\"alpn\":", (const char *)d->alpn.name,
				 d->alpn.len < TLS_HELLO_ALPN_LEN ? d->alpn.len : TLS_HELLO_ALPN_LEN, &bad);
	else
		tb_lit(b, ",\"alpn\":null");
	if (bad)
		tb_lit(b, ",\"alpn_utf8\":false");
	tb_chr(b, '}');
}

/* ,"records":{...},"streams":{...}: each side's records and what reassembly saw. */
static void json_records(struct tbuf *b, const struct view_tls *t)
{
	tb_lit_u64(b, ",\"records\":{\"client\":", t->side[0].records);
	tb_lit_u64(b, ",\"server\":", t->side[1].records);
	tb_lit(b, "},\"streams\":{\"client\":");
	json_stream(b, &t->side[0].stream);
	tb_lit(b, ",\"server\":");
	json_stream(b, &t->side[1].stream);
	tb_chr(b, '}');
}

/* ,"not_tls":...: the first line of a side that sent no TLS (its own bytes: escaped), or null. */
static void json_not_tls(struct tbuf *b, const struct view_tls *t)
{
	int pd = t->side[1].plain ? 1 : t->side[0].plain ? 0 : -1;
	int bad = 0;

	tb_lit(b, ",\"not_tls\":");
	if (pd < 0) {
		tb_lit(b, "null");
		return;
	}
	jb_lit_qraw(b, "{\"from\":", verdict_side_name(pd));
	jb_lit_untrusted(b, ",\"first_line\":", t->side[pd].first_line, t->side[pd].first_line_len, &bad);
	if (bad)
		tb_lit(b, ",\"first_line_utf8\":false");
	if (t->side[pd].first_line_cut)
		tb_lit(b, ",\"first_line_cut\":true");
	tb_chr(b, '}');
}

void report_tls_json(struct tbuf *b, const struct conn_view *cv, const struct verdict *v, int nano)
{
	const struct view_tls *t = &cv->tls;

	if (!t->seen) {
		tb_lit(b, "null");
		return;
	}
	tb_lit(b, "{\"client_hello\":");
	if (t->ch != NULL)
		json_client_hello(b, t, nano);
	else
		tb_lit(b, "null");
	json_hrr(b, t, nano);
	tb_lit(b, ",\"server_hello\":");
	if (t->sh != NULL)
		json_server_hello(b, t, nano);
	else
		tb_lit(b, "null");
	json_sslv2(b, t, nano);
	json_alerts(b, t, &v->seen, nano);
	json_certificates(b, t);
	json_bool(b, ",\"established\":", v->seen.established);
	tb_lit(b, ",\"version\":");
	if (t->version)
		json_name(b, TLS_REG_VERSION, t->version);
	else
		tb_lit(b, "null");
	tb_lit(b, ",\"cipher\":");
	if (t->sh != NULL && t->sh_status != TLS_HELLO_INVALID)
		json_name(b, TLS_REG_CIPHER, t->sh->cipher_suite);
	else
		tb_lit(b, "null");
	json_second_hello(b, t);
	json_handshake_seen(b, t);
	json_decrypted(b, t);
	json_records(b, t);
	json_not_tls(b, t);
	json_findings(b, cv);
	tb_chr(b, '}');
}
