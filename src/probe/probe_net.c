/* probe_net.c: the probe's target: HOST[:PORT] read, the one name lookup synack does, the route's source address and interface, the bound socket. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

int probe_is_literal(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;

	return inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1;
}

/* A port number 1..65535, all digits. */
static int port_word(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (*s == '\0')
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > 65535)
			return 0;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v == 0 || v > 65535)
		return 0;
	*port = (uint16_t)v;
	return 1;
}

int probe_target(const char *arg, char *host, size_t hn, uint16_t *port, char *err)
{
	const char *colon = strrchr(arg, ':'), *end;
	size_t len;

	*port = 443;
	if (arg[0] == '[') {                          /* [2001:db8::1]:443 */
		end = strchr(arg, ']');
		if (end == NULL || (end[1] != '\0' && (end[1] != ':' || !port_word(end + 2, port)))) {
			snprintf(err, PROBE_ERRLEN, "%s: not HOST[:PORT] or [ADDRESS]:PORT", arg);
			return 0;
		}
		arg++;
		len = (size_t)(end - arg);
	} else if (colon != NULL && strchr(arg, ':') == colon) {   /* one colon: HOST:PORT */
		if (!port_word(colon + 1, port)) {
			snprintf(err, PROBE_ERRLEN, "%s: the port must be a number from 1 to 65535", arg);
			return 0;
		}
		len = (size_t)(colon - arg);
	} else {                                      /* a name, an IPv4 or a bare IPv6 address */
		len = strlen(arg);
	}
	if (len == 0 || len >= hn) {
		snprintf(err, PROBE_ERRLEN, "%s: %s", arg, len == 0 ? "no host" : "host name too long");
		return 0;
	}
	memcpy(host, arg, len);
	host[len] = '\0';
	return 1;
}

int probe_resolve(const char *host, uint16_t port, int family, struct probe_addrs *out, char *err)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_ADDRCONFIG;
	out->n = 0;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 && rc != EAI_AGAIN && rc != EAI_MEMORY) {
		/* AI_ADDRCONFIG hides loopback and TEST-NET names on a host without such an
		 * address: ask again without it before saying the name has none */
		hints.ai_flags = 0;
		rc = getaddrinfo(host, NULL, &hints, &res);
	}
	if (rc != 0) {
		snprintf(err, PROBE_ERRLEN, "%s: %s", host, rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return 0;
	}
	for (struct addrinfo *ai = res; ai != NULL && out->n < PROBE_MAX_ADDRS; ai = ai->ai_next) {
		struct sockaddr_storage *a = &out->a[out->n];
		int dup = 0;
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) || ai->ai_addrlen > sizeof(*a))
			continue;
		memset(a, 0, sizeof(*a));
		memcpy(a, ai->ai_addr, ai->ai_addrlen);
		if (a->ss_family == AF_INET)
			((struct sockaddr_in *)a)->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)a)->sin6_port = htons(port);
		for (unsigned i = 0; i < out->n; i++)
			dup |= memcmp(&out->a[i], a, sizeof(*a)) == 0;
		if (!dup)
			out->n++;
	}
	freeaddrinfo(res);
	if (out->n == 0) {
		snprintf(err, PROBE_ERRLEN, "%s: no %saddress", host,
			 family == AF_INET ? "IPv4 " : family == AF_INET6 ? "IPv6 " : "");
		return 0;
	}
	return 1;
}

const char *probe_addr_text(const struct sockaddr_storage *a, char *buf)
{
	const void *p = a->ss_family == AF_INET ? (const void *)&((const struct sockaddr_in *)a)->sin_addr
						: (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr;

	if (inet_ntop(a->ss_family, p, buf, PROBE_ADDRLEN) == NULL)
		snprintf(buf, PROBE_ADDRLEN, "?");
	return buf;
}

uint16_t probe_addr_port(const struct sockaddr_storage *a)
{
	return ntohs(a->ss_family == AF_INET ? ((const struct sockaddr_in *)a)->sin_port
					     : ((const struct sockaddr_in6 *)a)->sin6_port);
}

socklen_t probe_addr_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/* The same address (ports and the rest of the structure aside)? */
static int same_addr(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (b == NULL || a->ss_family != b->sa_family)
		return 0;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr, &((const struct sockaddr_in *)b)->sin_addr,
			      sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr,
		      sizeof(struct in6_addr)) == 0;
}

int probe_route(const struct sockaddr_storage *dst, struct sockaddr_storage *src, char *ifname, size_t ifn,
		char *err)
{
	struct ifaddrs *ifs = NULL;
	socklen_t sl = sizeof(*src);
	char a[PROBE_ADDRLEN], b[PROBE_ADDRLEN];
	int fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	/* a UDP socket's connect() chooses the route and the source address; nothing is sent */
	if (fd < 0 || connect(fd, (const struct sockaddr *)dst, probe_addr_len(dst)) != 0 ||
	    getsockname(fd, (struct sockaddr *)src, &sl) != 0) {
		snprintf(err, PROBE_ERRLEN, "no route to %s: %s", probe_addr_text(dst, a), strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	if (getifaddrs(&ifs) != 0) {
		snprintf(err, PROBE_ERRLEN, "the interfaces: %s", strerror(errno));
		return 0;
	}
	ifname[0] = '\0';
	for (struct ifaddrs *i = ifs; i != NULL; i = i->ifa_next)
		if (same_addr(src, i->ifa_addr) && strlen(i->ifa_name) < ifn) {
			snprintf(ifname, ifn, "%s", i->ifa_name);
			break;
		}
	freeifaddrs(ifs);
	if (ifname[0] == '\0') {
		snprintf(err, PROBE_ERRLEN, "no interface holds %s, the source address toward %s", probe_addr_text(src, a),
			 probe_addr_text(dst, b));
		return 0;
	}
	return 1;
}

int probe_socket(const struct sockaddr_storage *src, int *fd, uint16_t *port, char *err)
{
	struct sockaddr_storage b = *src, got;
	socklen_t gl = sizeof(got);
	int s = socket(src->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (b.ss_family == AF_INET)
		((struct sockaddr_in *)&b)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&b)->sin6_port = 0;
	if (s < 0 || bind(s, (struct sockaddr *)&b, probe_addr_len(&b)) != 0 ||
	    getsockname(s, (struct sockaddr *)&got, &gl) != 0) {
		snprintf(err, PROBE_ERRLEN, "a TCP socket: %s", strerror(errno));
		if (s >= 0)
			close(s);
		return 0;
	}
	*fd = s;
	*port = probe_addr_port(&got);
	return 1;
}
