/* probe_tls.c: the probe's client: a TCP connect and a TLS handshake with OpenSSL's libssl, bounded in time, its session keys kept. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "probe.h"

/* A GREASE extension type (RFC 8701): servers must ignore it, so it only adds size. */
#define PAD_EXT_TYPE 0x0a0a

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Wait until fd is ready for ev or the deadline (ms) passes: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short ev, double deadline)
{
	for (;;) {
		struct pollfd p = { fd, ev, 0 };
		double left = deadline - now_ms();
		int n;
		if (left <= 0)
			return 0;
		n = poll(&p, 1, left > 1e6 ? 1000000 : (int)left + 1);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* The attempt failed at stage: what (and more, when not NULL) in the error. */
static void fail(struct probe_result *r, const char *stage, const char *what, const char *more)
{
	snprintf(r->stage, sizeof(r->stage), "%s", stage);
	snprintf(r->error, sizeof(r->error), "%s%s", what, more != NULL ? more : "");
}

/* The TCP handshake: 1 connected. */
static int tcp_connect(int fd, const struct sockaddr_storage *dst, double deadline, double timeout_s,
		       struct probe_result *r)
{
	double t0 = now_ms();
	int soerr = 0, w;
	socklen_t sl = sizeof(soerr);
	char secs[32];

	if (connect(fd, (const struct sockaddr *)dst, probe_addr_len(dst)) != 0) {
		if (errno != EINPROGRESS) {
			fail(r, "connect", strerror(errno), NULL);
			return 0;
		}
		w = wait_fd(fd, POLLOUT, deadline);
		if (w == 0) {
			r->timed_out = 1;
			snprintf(secs, sizeof(secs), "%g s", timeout_s);
			fail(r, "connect", "no answer to the connection attempt within ", secs);
			return 0;
		}
		if (w < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
			fail(r, "connect", strerror(errno), NULL);
			return 0;
		}
		if (soerr != 0) {
			fail(r, "connect", strerror(soerr), NULL);
			return 0;
		}
	}
	r->connect_ms = now_ms() - t0;
	r->connected = 1;
	return 1;
}

static void keylog_line(const SSL *ssl, const char *line)
{
	struct probe_result *r = SSL_get_app_data(ssl);
	size_t n = strlen(line);

	if (r == NULL)
		return;
	if (r->keys_len + n + 1 >= sizeof(r->keys)) {
		r->keys_cut = 1;
		return;
	}
	memcpy(r->keys + r->keys_len, line, n);
	r->keys_len += n;
	r->keys[r->keys_len++] = '\n';
	r->keys[r->keys_len] = '\0';
}

/* Every handshake message sent or received: the ClientHello's size kept. */
static void msg_seen(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)
{
	struct probe_result *r = SSL_get_app_data(ssl);

	(void)version, (void)arg;
	if (r != NULL && write_p && content_type == SSL3_RT_HANDSHAKE && len >= 4 &&
	    ((const unsigned char *)buf)[0] == SSL3_MT_CLIENT_HELLO && r->hello_len == 0)
		r->hello_len = len;
}

static int pad_add(SSL *s, unsigned int type, unsigned int context, const unsigned char **out, size_t *outlen,
		   X509 *x, size_t chainidx, int *al, void *arg)
{
	static const unsigned char zeros[PROBE_LARGE_PAD];

	(void)s, (void)type, (void)context, (void)x, (void)chainidx, (void)al;
	*out = zeros;
	*outlen = (size_t)(uintptr_t)arg;
	return 1;
}

/* "h2,http/1.1" in ALPN's wire form (length-prefixed names): its length, 0 if malformed. */
static size_t alpn_wire(const char *list, unsigned char *out, size_t room)
{
	size_t n = 0;

	while (*list != '\0') {
		const char *comma = strchr(list, ',');
		size_t len = comma != NULL ? (size_t)(comma - list) : strlen(list);
		if (len == 0 || len > 255 || n + 1 + len > room)
			return 0;
		out[n++] = (unsigned char)len;
		memcpy(out + n, list, len);
		n += len;
		list += len + (comma != NULL);
	}
	return n;
}

/* --ciphers: TLS 1.3 suites (TLS_...) and TLS 1.2 cipher names, ':'-separated, each to its setter. */
static int set_ciphers(SSL_CTX *ctx, const char *spec, char *err)
{
	char v13[512] = "", v12[512] = "", word[128];
	const char *p = spec;

	while (*p != '\0') {
		size_t len = strcspn(p, ":,");
		char *dst = len >= 4 && strncmp(p, "TLS_", 4) == 0 ? v13 : v12;
		if (len == 0 || len >= sizeof(word) || strlen(dst) + len + 2 > sizeof(v13)) {
			snprintf(err, PROBE_ERRLEN, "--ciphers %s: malformed list", spec);
			return 0;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		if (dst[0] != '\0')
			strcat(dst, ":");
		strcat(dst, word);
		p += len + (p[len] != '\0');
	}
	if ((v13[0] != '\0' && !SSL_CTX_set_ciphersuites(ctx, v13)) ||
	    (v12[0] != '\0' && !SSL_CTX_set_cipher_list(ctx, v12))) {
		snprintf(err, PROBE_ERRLEN, "--ciphers %s: OpenSSL knows none of them", spec);
		return 0;
	}
	return 1;
}

/* The client's context, as the options ask: NULL on failure (err). */
static SSL_CTX *tls_context(const struct probe_tls_opts *o, char *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	unsigned char alpn[512];
	size_t alen;

	if (ctx == NULL) {
		snprintf(err, PROBE_ERRLEN, "the TLS library: %s", ERR_reason_error_string(ERR_get_error()));
		return NULL;
	}
	SSL_CTX_set_keylog_callback(ctx, keylog_line);
	SSL_CTX_set_msg_callback(ctx, msg_seen);
	SSL_CTX_set_verify(ctx, o->no_verify ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
	if (o->version != 0 && (!SSL_CTX_set_min_proto_version(ctx, o->version) ||
				!SSL_CTX_set_max_proto_version(ctx, o->version))) {
		snprintf(err, PROBE_ERRLEN, "the TLS library refuses version 0x%04x", (unsigned)o->version);
		goto bad;
	}
	if (o->cafile != NULL ? !SSL_CTX_load_verify_locations(ctx, o->cafile, NULL)
			      : !SSL_CTX_set_default_verify_paths(ctx)) {
		snprintf(err, PROBE_ERRLEN, "%s: %s", o->cafile != NULL ? o->cafile : "the system's CA store",
			 ERR_reason_error_string(ERR_get_error()) != NULL ? ERR_reason_error_string(ERR_get_error())
									  : "cannot be read");
		goto bad;
	}
	if (o->ciphers != NULL && !set_ciphers(ctx, o->ciphers, err))
		goto bad;
	if (o->groups != NULL && !SSL_CTX_set1_groups_list(ctx, o->groups)) {
		snprintf(err, PROBE_ERRLEN, "--groups %s: OpenSSL knows none of them", o->groups);
		goto bad;
	}
	if (o->alpn != NULL) {
		alen = alpn_wire(o->alpn, alpn, sizeof(alpn));
		if (alen == 0 || SSL_CTX_set_alpn_protos(ctx, alpn, (unsigned)alen) != 0) {
			snprintf(err, PROBE_ERRLEN, "--alpn %s: not a comma-separated list of names", o->alpn);
			goto bad;
		}
	}
	if (o->pad != 0 && !SSL_CTX_add_custom_ext(ctx, PAD_EXT_TYPE, SSL_EXT_CLIENT_HELLO, pad_add, NULL,
						   (void *)(uintptr_t)(o->pad > PROBE_LARGE_PAD ? PROBE_LARGE_PAD : o->pad),
						   NULL, NULL)) {
		snprintf(err, PROBE_ERRLEN, "the TLS library refused the padding extension");
		goto bad;
	}
	return ctx;
bad:
	SSL_CTX_free(ctx);
	return NULL;
}

/* Why the handshake stopped, in the library's words. */
static void tls_error(SSL *ssl, int rc, struct probe_result *r)
{
	int e = SSL_get_error(ssl, rc);
	unsigned long code = ERR_peek_last_error();
	char buf[256];

	if (e == SSL_ERROR_SSL && code != 0) {
		ERR_error_string_n(code, buf, sizeof(buf));
		fail(r, "tls", buf, NULL);
	} else if (e == SSL_ERROR_SYSCALL && errno != 0) {
		fail(r, "tls", strerror(errno), NULL);
	} else if (e == SSL_ERROR_ZERO_RETURN) {
		fail(r, "tls", "the server ended the TLS session (close_notify)", NULL);
	} else {
		fail(r, "tls", "the server closed the connection", NULL);
	}
	ERR_clear_error();
}

static void tls_facts(SSL *ssl, struct probe_result *r)
{
	const unsigned char *alpn = NULL;
	unsigned alen = 0;

	long v = SSL_get_verify_result(ssl);

	/* (after a failed verification the session may hold no certificate any more) */
	if (SSL_get0_peer_certificate(ssl) != NULL || v != X509_V_OK) {
		r->verify_code = v;
		snprintf(r->verify_text, sizeof(r->verify_text), "%s", X509_verify_cert_error_string(r->verify_code));
	}
	if (!r->tls_ok)
		return;
	snprintf(r->version, sizeof(r->version), "%s", SSL_get_version(ssl));
	snprintf(r->cipher, sizeof(r->cipher), "%s", SSL_get_cipher_name(ssl));
	SSL_get0_alpn_selected(ssl, &alpn, &alen);
	if (alen != 0 && alen < sizeof(r->alpn)) {
		memcpy(r->alpn, alpn, alen);
		r->alpn[alen] = '\0';
	}
}

/* Our FIN, then the server's last bytes read (up to 500 ms), so that closing sends no reset. */
static void drain_close(int fd, double deadline)
{
	char buf[4096];
	double until = now_ms() + 500;

	if (until > deadline)
		until = deadline;
	shutdown(fd, SHUT_WR);
	while (wait_fd(fd, POLLIN, until) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
}

/*
 * TLS 1.3: the client's handshake is done when it has sent its Finished, but
 * a server that rejects the client's certificate (or its absence) says so
 * after that: certificate_required(116) or bad_certificate(42) arrives after
 * SSL_connect() returned. Read for up to PROBE_AFTER_MS (no data is sent)
 * so that such an alert is the outcome, not a success; session tickets are
 * read on the way. 0 if an alert or an error ended the session.
 */
static int after_handshake(SSL *ssl, int fd, double deadline, struct probe_result *r)
{
	double until = now_ms() + PROBE_AFTER_MS;
	char buf[1024];

	if (SSL_version(ssl) != TLS1_3_VERSION)
		return 1;
	if (until > deadline)
		until = deadline;
	for (;;) {
		int n, e;
		ERR_clear_error();
		errno = 0;
		n = SSL_read(ssl, buf, sizeof(buf));
		if (n > 0)
			continue;
		e = SSL_get_error(ssl, n);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			if (wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until) != 1)
				return 1;
			continue;
		}
		if (e == SSL_ERROR_SSL) {
			tls_error(ssl, n, r);
			snprintf(r->stage, sizeof(r->stage), "after");
			return 0;
		}
		return 1;         /* the server closed, or reset: the handshake itself went through */
	}
}

/* The TLS handshake on a connected fd. */
static void tls_handshake(int fd, SSL_CTX *ctx, const struct probe_tls_opts *o, double deadline,
			  double timeout_s, struct probe_result *r)
{
	SSL *ssl = SSL_new(ctx);
	double t0 = now_ms();
	char secs[32];

	if (ssl == NULL || !SSL_set_fd(ssl, fd) || !SSL_set_app_data(ssl, r) ||
	    (o->sni != NULL && !SSL_set_tlsext_host_name(ssl, o->sni))) {
		fail(r, "tls", "the TLS library could not start a session", NULL);
		SSL_free(ssl);
		return;
	}
	if (!o->no_verify && o->verify_name != NULL) {
		if (probe_is_literal(o->verify_name))
			X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), o->verify_name);
		else
			SSL_set1_host(ssl, o->verify_name);
	}
	for (;;) {
		int rc, e, w;
		ERR_clear_error();
		errno = 0;
		rc = SSL_connect(ssl);
		if (rc == 1) {
			r->tls_ok = 1;
			break;
		}
		e = SSL_get_error(ssl, rc);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			tls_error(ssl, rc, r);
			break;
		}
		w = wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
		if (w <= 0) {
			r->timed_out = w == 0;
			snprintf(secs, sizeof(secs), "%g s", timeout_s);
			fail(r, "tls", w == 0 ? "no TLS answer within " : strerror(errno), w == 0 ? secs : NULL);
			break;
		}
	}
	r->handshake_ms = now_ms() - t0;
	tls_facts(ssl, r);
	if (r->tls_ok && !after_handshake(ssl, fd, deadline, r))
		r->tls_ok = 0;
	if (r->tls_ok) {
		SSL_shutdown(ssl);     /* close_notify */
		drain_close(fd, deadline);
	}
	SSL_free(ssl);
}

int probe_attempt(int fd, const struct sockaddr_storage *dst, const struct probe_tls_opts *o, double timeout_s,
		  struct probe_result *r, char *err)
{
	double deadline = now_ms() + timeout_s * 1e3;
	SSL_CTX *ctx = NULL;

	memset(r, 0, sizeof(*r));
	r->verify_code = -1;
	if (!o->no_tls && (ctx = tls_context(o, err)) == NULL) {
		close(fd);
		return 0;
	}
	if (tcp_connect(fd, dst, deadline, timeout_s, r)) {
		if (o->no_tls) {
			r->tls_ok = 1;
			drain_close(fd, deadline);
		} else {
			tls_handshake(fd, ctx, o, deadline, timeout_s, r);
		}
	}
	SSL_CTX_free(ctx);
	close(fd);
	return 1;
}

const char *probe_tls_library(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}
