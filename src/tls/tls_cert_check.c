/* tls_cert_check.c: the findings about a parsed chain at the capture time: pure, no libcrypto. */
#include "tls_cert.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void add(struct tls_cert_findings *f, uint32_t flag, int cert, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct tls_cert_findings *f, uint32_t flag, int cert, const char *fmt, ...)
{
	va_list ap;
	f->flags |= flag;
	if (f->total < UINT8_MAX)
		f->total++;
	if (f->n >= TLS_CERT_MAX_FINDINGS)
		return;
	struct tls_cert_finding *it = &f->items[f->n++];
	it->flag = flag;
	it->cert = (int8_t)cert;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof(it->text), fmt, ap);
	va_end(ap);
}

/* "3 days", "5 hours", "1 minute", "42 seconds". */
static void span_text(char *dst, size_t cap, int64_t s)
{
	static const struct { int64_t unit; const char *name; } units[] = {
		{ 86400, "day" }, { 3600, "hour" }, { 60, "minute" }, { 1, "second" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (s >= units[i].unit || units[i].unit == 1) {
			long long v = (long long)(s / units[i].unit);
			snprintf(dst, cap, "%lld %s%s", v, units[i].name, v == 1 ? "" : "s");
			return;
		}
	}
}

static void date_text(char dst[21], int64_t epoch)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	if (gmtime_r(&t, &tm) == NULL) {
		strcpy(dst, "?");
		return;
	}
	snprintf(dst, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

static const char *whose(int i)
{
	return i == 0 ? " (the server's)" : "";
}

static void check_validity(const struct tls_cert_chain *ch, int64_t now, struct tls_cert_findings *f)
{
	char date[21], span[32];
	for (int i = 0; i < ch->n_checked; i++) {
		const struct tls_cert_link *l = &ch->links[i];
		if (!(l->flags & TLS_CERT_L_HAS_VALIDITY))
			continue;
		if (now > l->not_after) {
			date_text(date, l->not_after);
			span_text(span, sizeof(span), now - l->not_after);
			add(f, TLS_CERT_F_EXPIRED, i, "certificate %d%s expired at %s, %s before the capture", i + 1,
			    whose(i), date, span);
		} else if (now < l->not_before) {
			date_text(date, l->not_before);
			span_text(span, sizeof(span), l->not_before - now);
			add(f, TLS_CERT_F_NOT_YET_VALID, i,
			    "certificate %d%s is not valid before %s, %s after the capture: a wrong clock, or a certificate "
			    "installed early", i + 1, whose(i), date, span);
		}
	}
}

static void check_name_result(const struct tls_cert_chain *ch, struct tls_cert_findings *f)
{
	switch (ch->name) {
	case TLS_CERT_NAME_MISMATCH:
		add(f, TLS_CERT_F_NAME_MISMATCH, 0,
		    "the server's certificate does not cover the SNI: no SAN matches it (a wildcard covers one label)");
		break;
	case TLS_CERT_NAME_IP_MISMATCH:
		add(f, TLS_CERT_F_NAME_MISMATCH, 0,
		    "the SNI is an IP address (RFC 6066 forbids that) and no IP SAN of the server's certificate holds it");
		break;
	case TLS_CERT_NAME_MATCH_CN_ONLY:
		add(f, TLS_CERT_F_NAME_CN_ONLY, 0,
		    "the server's certificate covers the SNI only by its subject CN, with no SAN: browsers refuse it, "
		    "OpenSSL-based clients accept it");
		break;
	default:
		break;
	}
}

/*
 * What a client expects: the server's certificate first, each certificate
 * followed by its issuer, the last one issued by a root the client holds (so
 * a missing issuer of the last CA certificate is normal: servers leave the
 * root out). Follows issuers from the first certificate; returns the
 * certificates accounted for (bit i: certificate i), 0 if it could not.
 */
static unsigned check_order(const struct tls_cert_chain *ch, struct tls_cert_findings *f)
{
	const struct tls_cert_link *L = ch->links;
	int n = ch->n_checked, p = 0, path[TLS_CERT_MAX_CHECKED], len = 1;
	unsigned seen = 1;

	path[0] = 0;
	if (!(L[0].flags & TLS_CERT_L_DECODED))
		return 0;
	if (L[0].flags & TLS_CERT_L_CA) {
		for (int j = 1; j < n; j++) {
			if (L[j].issuer == 0 && !(L[j].flags & TLS_CERT_L_CA)) {
				add(f, TLS_CERT_F_ORDER, 0,
				    "certificate 1 is a CA certificate and certificate %d was issued by it: the server's own "
				    "certificate must come first", j + 1);
				return 0;
			}
		}
	}
	if (L[0].flags & TLS_CERT_L_SELF_SIGNED) {
		add(f, TLS_CERT_F_SELF_SIGNED, 0,
		    "the server's certificate is self-signed: only a client told to trust this very certificate accepts it");
		return 1;
	}
	while (!(L[p].flags & TLS_CERT_L_SELF_SIGNED) && L[p].issuer >= 0 && !(seen & 1u << L[p].issuer)) {
		p = L[p].issuer;
		seen |= 1u << p;
		path[len++] = p;
	}
	if (L[p].flags & TLS_CERT_L_ISSUER_KEY) {
		seen |= 1u << (p + 1);
		add(f, TLS_CERT_F_ISSUER_KEY, p,
		    "certificate %d has the name of certificate %d's issuer but not the key that signed it: another "
		    "version of that CA certificate", p + 2, p + 1);
	} else if (p == 0 && n > 1 && !(L[1].flags & TLS_CERT_L_DECODED)) {
		/* Its issuer may be the certificate that did not decode: said already. */
	} else if (p == 0 && ch->status == TLS_CERT_OK && ch->n_certs <= TLS_CERT_MAX_CHECKED) {
		/* (A cut or broken message may have held the issuer in what was not read.) */
		if (n == 1 && !(L[0].flags & TLS_CERT_L_PUBLIC))
			add(f, TLS_CERT_F_PRIVATE_CA, 0,
			    "the server's certificate came alone, from a private CA (no public-CA policy): normal "
			    "where clients hold that CA's root; an intermediate would have to be sent");
		else if (n == 1)
			add(f, TLS_CERT_F_INCOMPLETE, 0,
			    "the server sent its certificate without its issuer: an intermediate is missing (public CAs "
			    "issue server certificates from intermediates, never from a root)");
		else
			add(f, TLS_CERT_F_INCOMPLETE, 0,
			    "no certificate sent issued the server's certificate (certificate 2 is not its issuer): an "
			    "intermediate is missing, unless a root the client holds signed it directly");
	}
	for (int k = 1; k < len; k++) {
		if (path[k] != k) {
			add(f, TLS_CERT_F_UNORDERED, path[k - 1],
			    "certificate %d is not followed by its issuer (certificate %d is): %s", path[k - 1] + 1,
			    path[k] + 1,
			    ch->tls13 ? "TLS 1.3 clients accept that" :
					"TLS 1.2 forbids that, strict older clients refuse it, current ones reorder");
			break;
		}
	}
	if (len > 1 && (L[p].flags & TLS_CERT_L_SELF_SIGNED))
		add(f, TLS_CERT_F_ROOT_SENT, p, "the chain ends with its root (certificate %d): unneeded, clients use their "
		    "own copy", p + 1);
	return seen;
}

/*
 * What the checks could not cover: a problem, since it may hide any other
 * (a padded chain must not pass for a checked one). First among the findings,
 * so a long list never pushes it out.
 */
static void not_checked(const struct tls_cert_chain *ch, struct tls_cert_findings *f)
{
	if (ch->status == TLS_CERT_TRUNCATED && ch->declared_len > ch->captured_len)
		add(f, TLS_CERT_F_NOT_CHECKED, -1, "the certificate chain of %u bytes exceeds what synack checks: the %u "
		    "certificate%s in its first %u bytes checked, the rest not", (unsigned)ch->declared_len - 4u,
		    (unsigned)ch->n_certs, ch->n_certs == 1 ? "" : "s", (unsigned)ch->captured_len);
	else if (ch->status == TLS_CERT_TRUNCATED)
		add(f, TLS_CERT_F_NOT_CHECKED, -1, "the Certificate message was cut after %u of its bytes: the rest "
		    "was not checked", (unsigned)ch->captured_len);
	for (int i = 0; i < ch->n_checked; i++)
		if (ch->links[i].flags & TLS_CERT_L_TOO_LARGE)
			add(f, TLS_CERT_F_NOT_CHECKED, i, "certificate %d is larger than %d bytes, more than synack "
			    "checks: it was not checked", i + 1, TLS_CERT_MAX_DER);
	if (ch->n_certs > TLS_CERT_MAX_CHECKED)
		add(f, TLS_CERT_F_NOT_CHECKED, -1, "%u certificates sent, more than synack checks: the ones after "
		    "the first %d were not checked", (unsigned)ch->n_certs, TLS_CERT_MAX_CHECKED);
}

void tls_cert_check(const struct tls_cert_chain *ch, int64_t capture_ts_ns, struct tls_cert_findings *f)
{
	int64_t now = capture_ts_ns / 1000000000 - (capture_ts_ns % 1000000000 < 0);
	unsigned covered = 0;
	int extra = 0, first_extra = -1;

	memset(f, 0, offsetof(struct tls_cert_findings, items));   /* items: below n only */
	if (ch->status == TLS_CERT_INVALID)
		add(f, TLS_CERT_F_MALFORMED, -1, "the Certificate message is malformed (%s): a client aborts with "
		    "decode_error", ch->error != NULL ? ch->error : "?");
	if (ch->status == TLS_CERT_OK && ch->n_certs == 0)
		add(f, TLS_CERT_F_EMPTY, -1, "the server sent an empty certificate list");
	not_checked(ch, f);
	for (int i = 0; i < ch->n_checked; i++) {
		uint8_t fl = ch->links[i].flags;
		if (!(fl & (TLS_CERT_L_DECODED | TLS_CERT_L_TOO_LARGE)))
			add(f, TLS_CERT_F_UNREADABLE, i, "certificate %d%s is not a valid X.509 certificate", i + 1,
			    whose(i));
	}
	check_validity(ch, now, f);
	check_name_result(ch, f);
	if (ch->n_certs > 0)
		covered = check_order(ch, f);

	/* Notes. */
	if (ch->name == TLS_CERT_NAME_NOT_CHECKED && ch->n_certs > 0)
		add(f, TLS_CERT_F_NO_SNI, -1, "no SNI: nothing to match the server's certificate against (a client "
		    "that connects by address checks the address itself)");
	else if (ch->name == TLS_CERT_NAME_BAD_SNI)
		add(f, TLS_CERT_F_NO_SNI, -1, "the SNI is not a name that can be matched (a NUL inside, or too long)");
	for (int j = 1; covered != 0 && j < ch->n_checked; j++) {
		if ((ch->links[j].flags & TLS_CERT_L_DECODED) && !(covered & 1u << j)) {
			if (first_extra < 0)
				first_extra = j;
			extra++;
		}
	}
	if (extra > 0)
		add(f, TLS_CERT_F_EXTRA, first_extra, "certificate %d%s is not on the server's chain", first_extra + 1,
		    extra > 1 ? " (and others)" : "");
}
