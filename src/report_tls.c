/* report_tls.c: a connection's TLS handshake in the reports: the "tls" JSON object and text lines. */
#include <string.h>

#include "json.h"
#include "line.h"
#include "report.h"
#include "tls.h"
#include "tls_cert.h"
#include "tls_names.h"
#include "vtext.h"

static const char *side_name(int dir)
{
	return dir == 0 ? "client" : "server";
}

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
#define LIST_TEXT 1024

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
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)reg << 32 | n), w;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		memcpy(&w, v + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ v[i]) * 0xff51afd7ed558ccdull;
	return h ^ h >> 32;
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

static void json_client_hello(struct jbuf *b, const struct tls_conn *t, int nano)
{
	const struct tls_client_hello *ch = t->ch;
	struct reasm_span sp;

	reasm_span(&t->side[0].rs, t->ch_start, t->ch_end, &sp);
	jb_lit(b, "{\"ts\":");
	jb_ts(b, t->ch_ts, nano);
	jb_lit(b, ",\"frame\":");
	jb_u64(b, t->ch_frame);
	jb_lit(b, ",\"size\":");
	jb_u64(b, ch->size);
	jb_lit(b, ",\"segments\":");
	jb_u64(b, sp.segments - sp.retrans);
	jb_lit(b, ",\"retransmitted_segments\":");
	jb_u64(b, sp.retrans);
	jb_lit(b, ",\"status\":");
	jb_qraw(b, hello_status(t->ch_status));
	if (t->ch_status == TLS_HELLO_INVALID) {
		jb_lit(b, ",\"error\":");
		jb_cstr(b, ch->error);
	}
	jb_lit(b, ",\"sslv2\":");
	jb_raw(b, ch->sslv2 ? "true" : "false");
	jb_lit(b, ",\"legacy_version\":");
	json_name(b, TLS_REG_VERSION, ch->legacy_version);
	jb_lit(b, ",\"sni\":");
	if (ch->sni_len)
		jb_str(b, (const char *)ch->sni, ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN);
	else
		jb_lit(b, "null");
	jb_lit(b, ",\"versions\":");
	if (ch->has_supported_versions)
		json_names(b, ch->versions, ch->n_versions, TLS_REG_VERSION);
	else
		json_names(b, &ch->legacy_version, 1, TLS_REG_VERSION);
	jb_lit(b, ",\"alpn\":[");
	for (uint8_t i = 0; i < ch->n_alpn; i++) {
		if (i)
			jb_chr(b, ',');
		jb_str(b, (const char *)ch->alpn[i].name,
		       ch->alpn[i].len < TLS_HELLO_ALPN_LEN ? ch->alpn[i].len : TLS_HELLO_ALPN_LEN);
	}
	jb_lit(b, "],\"cipher_suites\":");
	json_names(b, ch->cipher_suites, ch->n_cipher_suites, TLS_REG_CIPHER);
	jb_lit(b, ",\"cipher_suites_total\":");
	jb_u64(b, ch->cipher_suites_total);
	jb_lit(b, ",\"groups\":");
	json_names(b, ch->groups, ch->n_groups, TLS_REG_GROUP);
	jb_lit(b, ",\"key_share_groups\":");
	json_names(b, ch->key_share_groups, ch->n_key_shares, TLS_REG_GROUP);
	jb_lit(b, ",\"signature_algorithms\":");
	json_names(b, ch->sigalgs, ch->n_sigalgs, TLS_REG_SIGSCHEME);
	jb_lit(b, ",\"extensions\":");
	json_names(b, ch->extensions, ch->n_extensions, TLS_REG_EXT);
	json_bool(b, ",\"psk\":", ch->has_psk);
	json_bool(b, ",\"session_ticket\":", ch->session_ticket_len > 0);
	json_bool(b, ",\"early_data\":", ch->has_early_data);
	json_bool(b, ",\"ech\":", ch->has_ech);
	json_bool(b, ",\"sni_is_ech_public_name\":", ch->sni_is_ech_public);
	jb_lit(b, ",\"ja3\":");
	if (ch->ja3_md5[0])
		jb_qraw(b, ch->ja3_md5);
	else
		jb_lit(b, "null");
	jb_lit(b, ",\"ja3_string\":");
	if (ch->ja3[0])
		jb_qraw(b, ch->ja3);
	else
		jb_lit(b, "null");
	jb_lit(b, ",\"ja4\":");
	if (ch->ja4[0])
		jb_qraw(b, ch->ja4);
	else
		jb_lit(b, "null");
	jb_chr(b, '}');
}

static void json_server_hello(struct jbuf *b, const struct tls_conn *t, int nano)
{
	const struct tls_server_hello *sh = t->sh;

	jb_lit(b, "{\"ts\":");
	jb_ts(b, t->sh_ts, nano);
	jb_lit(b, ",\"frame\":");
	jb_u64(b, t->sh_frame);
	jb_lit(b, ",\"status\":");
	jb_qraw(b, hello_status(t->sh_status));
	jb_lit(b, ",\"version\":");
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
	jb_lit(b, ",\"alpn\":");
	if (sh->has_alpn)
		jb_str(b, (const char *)sh->alpn.name, sh->alpn.len < TLS_HELLO_ALPN_LEN ? sh->alpn.len : TLS_HELLO_ALPN_LEN);
	else
		jb_lit(b, "null");
	json_bool(b, ",\"resumed\":", sh->has_psk || (t->ch != NULL && tls_hello_session_resumed(t->ch, sh)));
	json_bool(b, ",\"certificate_request\":", t->cert_request);
	jb_chr(b, '}');
}

static void json_alert(struct jbuf *b, const struct tls_alert *a, int inferred, int nano)
{
	jb_lit(b, "{\"ts\":");
	jb_ts(b, a->ts, nano);
	jb_lit(b, ",\"frame\":");
	jb_u64(b, a->frame);
	jb_lit(b, ",\"from\":");
	jb_qraw(b, side_name(a->from));
	if (a->encrypted) {
		jb_lit(b, ",\"level\":null,\"description\":null,\"code\":null,\"encrypted\":true");
		json_bool(b, ",\"inferred\":", inferred);
	} else {
		char tmp[TLS_NAME_BUFSZ];
		const char *level = tls_alert_level_name(a->level);
		jb_lit(b, ",\"level\":");
		jb_qraw(b, tls_name_or_hex(level, a->level, tmp));
		jb_lit(b, ",\"description\":");
		jb_qraw(b, tls_name_or_hex(tls_alert_name(a->desc), a->desc, tmp));
		jb_lit(b, ",\"code\":");
		jb_u64(b, a->desc);
		jb_lit(b, ",\"encrypted\":false,\"inferred\":false");
	}
	jb_chr(b, '}');
}

/* The server's certificates (sent in clear), with what the checks found at capture time. */
static void json_certificates(struct jbuf *b, const struct tls_conn *t)
{
	struct tls_cert_findings f;
	const struct tls_cert_chain *chain = tls_certificates(t, &f);

	jb_lit(b, ",\"certificates\":[");
	for (uint8_t i = 0; chain != NULL && i < chain->n_kept; i++) {
		const struct tls_cert_info *ci = &chain->certs[i];
		if (i)
			jb_chr(b, ',');
		jb_lit(b, "{\"der_size\":");
		jb_u64(b, ci->der_len);
		if (!ci->decoded) {
			jb_lit(b, ",\"decoded\":false}");
			continue;
		}
		jb_lit(b, ",\"subject\":");
		jb_cstr(b, ci->subject);
		jb_lit(b, ",\"issuer\":");
		jb_cstr(b, ci->issuer);
		jb_lit(b, ",\"sans\":[");
		for (uint8_t k = 0; k < ci->n_sans; k++) {
			if (k)
				jb_chr(b, ',');
			jb_cstr(b, ci->sans[k].name);
		}
		jb_lit(b, "],\"sans_total\":");
		jb_u64(b, ci->sans_total);
		jb_lit(b, ",\"not_before\":");
		jb_cstr(b, ci->has_validity ? ci->not_before_str : NULL);
		jb_lit(b, ",\"not_after\":");
		jb_cstr(b, ci->has_validity ? ci->not_after_str : NULL);
		jb_lit(b, ",\"sha256\":");
		jb_cstr(b, ci->sha256);
		jb_lit(b, ",\"key_type\":");
		jb_cstr(b, ci->key_type);
		jb_lit(b, ",\"key_bits\":");
		jb_u64(b, ci->key_bits);
		jb_lit(b, ",\"curve\":");
		jb_cstr(b, ci->curve[0] ? ci->curve : NULL);
		jb_lit(b, ",\"signature_algorithm\":");
		jb_cstr(b, ci->sig_alg);
		json_bool(b, ",\"ca\":", ci->is_ca);
		jb_chr(b, '}');
	}
	jb_lit(b, "],\"certificate_count\":");
	jb_u64(b, chain != NULL ? chain->n_certs : 0);
	jb_lit(b, ",\"certificate_findings\":[");
	for (uint8_t i = 0; chain != NULL && i < f.n; i++) {
		if (i)
			jb_chr(b, ',');
		jb_lit(b, "{\"problem\":");
		jb_raw(b, (f.items[i].flag & TLS_CERT_F_PROBLEMS) ? "true" : "false");
		jb_lit(b, ",\"certificate\":");
		if (f.items[i].cert >= 0)
			jb_u64(b, (uint64_t)f.items[i].cert);
		else
			jb_lit(b, "null");
		jb_lit(b, ",\"text\":");
		jb_cstr(b, f.items[i].text);
		jb_chr(b, '}');
	}
	jb_chr(b, ']');
}

/* What reassembly saw of one direction: retransmissions, conflicting bytes, a hole. */
static void json_stream(struct jbuf *b, const struct reasm *r)
{
	struct reasm_stats st;
	uint64_t from, to;
	int g = reasm_gap(r, &from, &to);

	reasm_stats(r, &st);
	jb_lit(b, "{\"bytes\":");
	jb_u64(b, st.bytes);
	jb_lit(b, ",\"segments\":");
	jb_u64(b, st.segments);
	jb_lit(b, ",\"retransmitted_segments\":");
	jb_u64(b, st.retrans_segments);
	jb_lit(b, ",\"out_of_order_segments\":");
	jb_u64(b, st.ooo_segments);
	jb_lit(b, ",\"conflicts\":");
	jb_u64(b, st.conflicts);
	jb_lit(b, ",\"first_conflict\":");
	if (st.conflicts) {
		jb_lit(b, "{\"frame\":");
		jb_u64(b, st.conflict_frame);
		jb_lit(b, ",\"offset\":");
		jb_u64(b, st.conflict_off);
		jb_chr(b, '}');
	} else {
		jb_lit(b, "null");
	}
	jb_lit(b, ",\"gap\":");
	if (g == REASM_GAP_NONE) {
		jb_lit(b, "null");
	} else {
		jb_lit(b, "{\"from\":");
		jb_u64(b, from);
		jb_lit(b, ",\"to\":");
		jb_u64(b, to);
		jb_raw(b, g == REASM_GAP_HOLE ? ",\"kind\":\"hole\"}" : ",\"kind\":\"not_kept\"}");
	}
	jb_chr(b, '}');
}

void report_tls_json(struct jbuf *b, const struct conn *c, int nano)
{
	const struct tls_conn *t = c->tls;
	int first = 1;

	if (!tls_seen(t)) {
		jb_lit(b, "null");
		return;
	}
	jb_lit(b, "{\"client_hello\":");
	if (t->ch != NULL)
		json_client_hello(b, t, nano);
	else
		jb_lit(b, "null");
	jb_lit(b, ",\"hello_retry_request\":");
	if (t->hrr) {
		jb_lit(b, "{\"ts\":");
		jb_ts(b, t->hrr_ts, nano);
		jb_lit(b, ",\"frame\":");
		jb_u64(b, t->hrr_frame);
		jb_lit(b, ",\"group\":");
		json_name(b, TLS_REG_GROUP, t->hrr_group);
		jb_chr(b, '}');
	} else {
		jb_lit(b, "null");
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
		const struct tls_rec_note *n = tls_probable_alert(c, dir);
		if (n == NULL)
			continue;
		struct tls_alert a = { n->frame, n->ts, (uint8_t)dir, 0, 0, 1 };
		if (!first)
			jb_chr(b, ',');
		json_alert(b, &a, 1, nano);
		first = 0;
	}
	jb_chr(b, ']');
	json_certificates(b, t);
	json_bool(b, ",\"established\":", tls_established(t) && tls_probable_alert(c, 0) == NULL &&
					   tls_probable_alert(c, 1) == NULL);
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
	jb_lit(b, ",\"records\":{\"client\":");
	jb_u64(b, t->side[0].records);
	jb_lit(b, ",\"server\":");
	jb_u64(b, t->side[1].records);
	jb_lit(b, "},\"streams\":{\"client\":");
	json_stream(b, &t->side[0].rs);
	jb_lit(b, ",\"server\":");
	json_stream(b, &t->side[1].rs);
	jb_lit(b, "},\"not_tls\":");
	int pd = t->side[1].mode == TLS_MODE_PLAIN ? 1 : t->side[0].mode == TLS_MODE_PLAIN ? 0 : -1;
	if (pd >= 0) {
		jb_lit(b, "{\"from\":");
		jb_qraw(b, side_name(pd));
		jb_lit(b, ",\"first_line\":");
		jb_str(b, t->side[pd].first_line, t->side[pd].first_line_len);
		jb_chr(b, '}');
	} else {
		jb_lit(b, "null");
	}
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
	} else {
		ln_lit(l, "none");
	}
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

/* The TLS lines of the text report, under the TCP lines. */
void report_tls_text(FILE *f, const struct conn *c)
{
	const struct tls_conn *t = c->tls;
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
		ln_str(&l, side_name(a->from));
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
		ln_str(&l, side_name(dir));
		ln_lit(&l, " (inferred from its size)");
		text_item(f, &first, &l);
	}
	for (int dir = 0; dir < 2; dir++) {
		const struct tls_side *s = &t->side[dir];
		if (s->mode != TLS_MODE_PLAIN)
			continue;
		l.len = 0;
		ln_str(&l, side_name(dir));
		ln_lit(&l, " sent non-TLS bytes: \"");
		ln_escaped(&l, (const uint8_t *)s->first_line, s->first_line_len);
		ln_chr(&l, '"');
		text_item(f, &first, &l);
	}
}
