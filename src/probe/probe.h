/* probe.h: synack probe's own client: the name looked up, the route's source and interface, one bounded TCP connect and TLS handshake. */
#ifndef SYNACK_PROBE_H
#define SYNACK_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Room for a message of ours, and for an address in text. */
#define PROBE_ERRLEN 512
#define PROBE_ADDRLEN 64
/* Addresses kept from one name lookup. */
#define PROBE_MAX_ADDRS 16
/* Key log text kept for one attempt: a TLS 1.3 handshake writes five lines of ~170 bytes. */
#define PROBE_KEYS_MAX 4096
/* --large-hello: the ClientHello is padded with one extension of this many bytes
 * (a GREASE type, RFC 8701, which servers must ignore), past 1,500 bytes in all. */
#define PROBE_LARGE_PAD 1400

/* After a TLS 1.3 handshake, how long the client waits for a server's post-handshake alert (ms). */
#define PROBE_AFTER_MS 300

/* A name's addresses, in getaddrinfo's order. */
struct probe_addrs {
	struct sockaddr_storage a[PROBE_MAX_ADDRS];
	unsigned n;
};

/* HOST[:PORT], [V6]:PORT: host (at most hn bytes) and port. 0 on a malformed target (err). */
int probe_target(const char *arg, char *host, size_t hn, uint16_t *port, char *err);
/* 1 if host is an IPv4 or IPv6 literal (then no SNI by default, and no lookup). */
int probe_is_literal(const char *host);
/* Look host up (family AF_INET, AF_INET6 or AF_UNSPEC); port set in every address. */
int probe_resolve(const char *host, uint16_t port, int family, struct probe_addrs *out, char *err);
/* An address in text (no port), into buf (PROBE_ADDRLEN). */
const char *probe_addr_text(const struct sockaddr_storage *a, char *buf);
uint16_t probe_addr_port(const struct sockaddr_storage *a);
socklen_t probe_addr_len(const struct sockaddr_storage *a);

/*
 * The source address the kernel would use toward dst, and the interface that
 * holds it ("lo" for loopback), learned without sending a packet (a UDP
 * socket connected, never written). 0 on failure (err).
 */
int probe_route(const struct sockaddr_storage *dst, struct sockaddr_storage *src, char *ifname, size_t ifn,
		char *err);

/* A TCP socket bound to src's address and a port the kernel picks, before any packet: 0 on failure. */
int probe_socket(const struct sockaddr_storage *src, int *fd, uint16_t *port, char *err);

/* What the client is asked to do. */
struct probe_tls_opts {
	int no_tls;            /* --no-tls: the TCP handshake only */
	const char *sni;       /* server_name, or NULL for none */
	const char *verify_name; /* the name (or address) the certificate must match */
	const char *alpn;      /* "h2,http/1.1", or NULL */
	int version;           /* 0: any; 0x0303 or 0x0304: only that one */
	const char *ciphers;   /* TLS 1.2 cipher list and/or TLS 1.3 suites (TLS_...), ':'-separated */
	const char *groups;    /* "X25519:P-256" */
	const char *cafile;    /* or NULL: the system's store */
	int no_verify;         /* --no-verify */
	size_t pad;            /* bytes of padding extension (--large-hello's attempt), 0: none */
};

/* What the client saw: the application's view, beside the packets'. */
struct probe_result {
	int connected;         /* the TCP handshake completed */
	int tls_ok;            /* the TLS handshake completed (or connected, with no_tls) */
	int timed_out;         /* the deadline passed (connect or handshake) */
	char stage[16];        /* "connect", "tls", "after" (an alert after the client's Finished)
	                        * or "" (success) */
	char error[256];       /* the failure in the library's own words (strerror, OpenSSL's error) */
	long verify_code;      /* X509_V_OK (0), or the verification error */
	char verify_text[128]; /* X509_verify_cert_error_string() */
	char version[16];      /* "TLSv1.3" */
	char cipher[64];
	char alpn[64];
	size_t hello_len;      /* the ClientHello message's bytes (its 4-byte header included) */
	double connect_ms;     /* SYN sent to connect() done */
	double handshake_ms;   /* ClientHello sent to handshake done (or failed) */
	char keys[PROBE_KEYS_MAX];   /* the session's key log lines (NSS format) */
	size_t keys_len;
	int keys_cut;          /* a line did not fit */
};

/*
 * Connect fd (from probe_socket) to dst and, unless o->no_tls, run the TLS
 * handshake; then close (close_notify after a handshake, the server's last
 * bytes read so that the kernel sends a FIN, not a reset). Everything within
 * timeout_s. Returns 1 when it ran (r says how it went: r->tls_ok), 0 when
 * the client could not be set up at all (err); fd is closed either way.
 */
int probe_attempt(int fd, const struct sockaddr_storage *dst, const struct probe_tls_opts *o, double timeout_s,
		  struct probe_result *r, char *err);

/* The TLS library, as it names itself ("OpenSSL 3.0.17 1 Jul 2025"). */
const char *probe_tls_library(void);

#endif
