/* decode.h: one captured packet taken apart into link, IP and transport layers. */
#ifndef SYNACK_DECODE_H
#define SYNACK_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Link types we decode (the DLT_/LINKTYPE_ numbers as libpcap reports them). */
enum {
	LINK_NULL = 0,      /* BSD loopback: 4-byte address family, host order */
	LINK_ETHERNET = 1,
	LINK_RAW = 12,      /* DLT_RAW as OpenBSD numbers it; also 14 on some BSDs */
	LINK_LOOP = 108,    /* OpenBSD loopback: family in network order */
	LINK_RAW_LT = 101,  /* LINKTYPE_RAW in files */
	LINK_SLL = 113,
	LINK_IPV4 = 228,
	LINK_IPV6 = 229,
	LINK_SLL2 = 276,
	/* decode_link.c */
	LINK_ARCNET_BSD = 7,
	LINK_PPP = 9,
	LINK_PPP_HDLC = 50,
	LINK_C_HDLC = 104,
	LINK_IEEE802_11 = 105,
	LINK_ENC = 109,     /* OpenBSD IPsec enc(4): af, spi, flags (host order) */
	LINK_PFLOG = 117,
	LINK_RADIOTAP = 127,
	LINK_ARCNET_LINUX = 129,
	LINK_JUNIPER_ETHER = 178,
	LINK_IPOIB = 242,
};

/* Is this a link type decode_packet() understands? */
int decode_link_supported(int linktype);
/* A short name for a link type, for error messages. */
const char *decode_link_name(int linktype);

/* How far decoding got; each layer records its own outcome. */
enum dec_status {
	DEC_OK = 0,
	DEC_TRUNCATED,  /* the capture (snaplen) cut the header short */
	DEC_INVALID,    /* the bytes are wrong (bad lengths, bad version) */
	DEC_NOT_IP,     /* a link layer payload that is not IPv4/IPv6 */
};

#define DEC_MAX_VLAN 4
#define DEC_MAX_EXTHDR 8
#define DEC_MAX_SACK 4

struct link_info {
	int type;
	enum dec_status status;
	uint16_t ethertype;      /* of the payload, after VLAN tags */
	uint8_t nvlan;           /* tags seen (up to DEC_MAX_VLAN recorded) */
	uint16_t vlan_tpid[DEC_MAX_VLAN];
	uint16_t vlan_tci[DEC_MAX_VLAN];
	uint8_t has_pkttype;     /* SLL, SLL2 */
	uint8_t pkttype;
	uint8_t has_ifindex;     /* SLL2 */
	uint32_t ifindex;
	uint32_t hdr_len;        /* bytes of link header, tags included */
};

struct ip6_ext {
	uint8_t type;            /* 0 hop-by-hop, 43 routing, 44 fragment, 60 dst opts */
	uint16_t offset;         /* from the start of the IPv6 header */
	uint16_t len;            /* length of the extension header in bytes */
};

struct ip_info {
	uint8_t version;         /* 4 or 6; 0 when there is no IP layer */
	enum dec_status status;
	struct cursor hdr;       /* from the version byte to the end of capture (clipped
	                          * to the datagram's own length when that is smaller) */
	uint32_t wire_len;       /* length of the IP packet on the wire (frame minus link) */
	uint32_t total_len;      /* length by the IP header (IPv6: 40 + payload length) */
	uint32_t hdr_len;        /* IPv4 IHL*4; IPv6 40 + extension headers */
	uint8_t src[16], dst[16];/* IPv4 uses the first 4 bytes */
	uint8_t proto;           /* upper-layer protocol (after IPv6 extension headers) */
	uint8_t ttl;             /* TTL or hop limit */
	uint8_t tos;             /* IPv4 TOS / IPv6 traffic class */
	uint16_t id;             /* IPv4 id; IPv6 fragment id (low 16 bits) */
	uint16_t frag_offset;    /* in bytes */
	uint8_t more_frags;
	uint8_t dont_frag;
	uint8_t is_fragment;     /* part of a fragmented datagram */
	uint8_t later_fragment;  /* offset != 0: no transport header here */
	uint8_t nexthdr_first;   /* IPv6: the base header's next-header field */
	uint8_t next_ext;
	struct ip6_ext ext[DEC_MAX_EXTHDR];
	uint32_t flow;           /* IPv6 flow label */
};

struct tcp_options {
	uint8_t has_mss, has_wscale, sack_ok, has_ts, has_tfo, has_mptcp;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	uint8_t nsack;
	uint32_t sack[DEC_MAX_SACK][2];
	uint8_t malformed;       /* an option length that does not fit */
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

struct tcp_info {
	enum dec_status status;
	struct cursor hdr;       /* from the source port to the end of capture */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;           /* the 8 classic flag bits */
	uint8_t ae;              /* the 9th bit (formerly NS, now AE) */
	uint32_t hdr_len;        /* data offset * 4 */
	uint16_t win, urp, sum;
	struct cursor opts;      /* the option bytes that were captured; decode_tcp_options()
	                          * takes them apart when a consumer needs them */
	struct cursor payload;   /* captured payload bytes */
	uint32_t payload_len;    /* payload length by the IP header */
};

struct udp_info {
	enum dec_status status;
	uint16_t sport, dport, len;
	struct cursor payload;
	uint32_t payload_len;
};

/* An ICMP / ICMPv6 error and the header it quotes. */
struct icmp_info {
	enum dec_status status;
	uint8_t type, code;
	uint32_t rest;           /* the 4 bytes after the checksum (mtu, pointer, ...) */
	uint8_t is_error;        /* unreachable, time exceeded, ... with a quoted packet */
	uint8_t quoted_version;  /* 0 when nothing usable is quoted */
	uint8_t quoted_src[16], quoted_dst[16];
	uint8_t quoted_proto;
	uint8_t quoted_has_ports;
	uint16_t quoted_sport, quoted_dport;
	uint8_t quoted_has_seq;
	uint32_t quoted_seq;
	uint32_t len;            /* ICMP message length by the IP header */
};

enum l4_kind { L4_NONE = 0, L4_TCP, L4_UDP, L4_ICMP, L4_ICMP6, L4_OTHER };

/* Encapsulations decode_packet_inner() goes through (struct encap's kind). */
enum encap_kind {
	ENCAP_NONE = 0,
	ENCAP_VXLAN,       /* UDP port 4789: id the VNI */
	ENCAP_GENEVE,      /* UDP port 6081: id the VNI */
	ENCAP_GRE,         /* IP protocol 47: id the key, when present */
	ENCAP_ERSPAN,      /* GRE 0x88be / 0x22eb: sub the ERSPAN type (1, 2, 3), id the session */
	ENCAP_WCCP,        /* GRE 0x883e */
	ENCAP_MPLS,        /* a label stack: id the top label, sub the number of labels */
	ENCAP_IPIP,        /* IPv4 or IPv6 in IPv4 or IPv6 (protocol 4 or 41): sub the inner version */
	ENCAP_PPPOE,       /* a PPPoE session: id the session id */
	ENCAP_KINDS
};

#define DEC_MAX_ENCAP 4

/* One encapsulation around the packet's IP (p->encap), outermost first. */
struct encap {
	uint8_t kind;            /* enum encap_kind */
	uint8_t outer_version;   /* 4 or 6: the IP header it came in; 0: none (on the link, or inside MPLS/GRE) */
	uint8_t has_id;
	uint8_t sub;             /* per kind, above */
	uint32_t id;             /* per kind, above */
	uint8_t outer_src[16], outer_dst[16];   /* IPv4 uses the first 4 bytes */
};

/*
 * Why decoding stopped short of an IP packet, or of the innermost one
 * (p->undec, with p->undec_value): set only then, for the counts of what
 * could not be analyzed.
 */
enum dec_undec {
	UNDEC_NONE = 0,
	UNDEC_ETHERTYPE,     /* an Ethernet type inside a tunnel or on a link that names one (value) */
	UNDEC_GRE_PROTO,     /* GRE of a protocol type not followed (value) */
	UNDEC_GRE_VERSION,   /* GRE of another version (value; 1 is PPTP's) */
	UNDEC_GENEVE_PROTO,  /* GENEVE of a protocol type not followed (value) */
	UNDEC_MPLS,          /* an MPLS payload not IPv4, IPv6 or an Ethernet pseudowire (value: first byte) */
	UNDEC_PPP_PROTO,     /* a PPP protocol (value): on a PPP link or in a PPPoE session */
	UNDEC_PPPOE_CODE,    /* PPPoE discovery (value: the code) */
	UNDEC_CHDLC_PROTO,   /* Cisco HDLC protocol (value) */
	UNDEC_ARCNET_TYPE,   /* ARCnet protocol type (value) */
	UNDEC_LINK_FAMILY,   /* an address family on a NULL/LOOP/ENC/PFLOG link (value) */
	UNDEC_80211_MGMT,    /* 802.11 management frames */
	UNDEC_80211_CTRL,    /* 802.11 control frames */
	UNDEC_80211_PROTECTED,   /* 802.11 data frames with the protected bit: encrypted */
	UNDEC_80211_NODATA,  /* 802.11 data frames without a body (null function) */
	UNDEC_LLC,           /* 802.2 LLC that is not SNAP (value: the DSAP) */
	UNDEC_JUNIPER,       /* a Juniper header without its magic */
	UNDEC_CUT,           /* a tunnel header the capture cut short or that is invalid (value: enum encap_kind) */
	UNDEC_TOO_DEEP,      /* more than DEC_MAX_ENCAP encapsulations: not analyzed */
	UNDEC_KINDS
};

struct packet {
	uint64_t frame;          /* 1-based position in the capture */
	int64_t ts_sec;
	uint32_t ts_frac;        /* micro- or nanoseconds, per ts_nano */
	uint8_t ts_nano;
	uint32_t caplen, len;
	const uint8_t *data;
	/* an ICMP or ICMPv6 packet that the user's filter did not pass, read
	 * only because analysis keeps the errors quoting its connections
	 * (source_opts.icmp_errors): it counts only if the reader sets keep */
	uint8_t icmp_extra, keep;

	struct link_info link;
	/* The encapsulations around ip (decode_packet_inner), nencap of them: the
	 * array is defined up to nencap only, which is all anyone reads of it. */
	uint8_t nencap;
	uint8_t undec;           /* enum dec_undec */
	uint16_t undec_value;
	struct ip_info ip;
	enum l4_kind l4;
	union {
		struct tcp_info tcp;
		struct udp_info udp;
		struct icmp_info icmp;
	} u;
	/* last: a packet is made anew by clearing what comes before (PACKET_CLEAR_BYTES) */
	struct encap encap[DEC_MAX_ENCAP];
};

/* The bytes of a struct packet to clear for a packet made by hand (encap[] is defined
 * only up to nencap). */
#define PACKET_CLEAR_BYTES offsetof(struct packet, encap)

/*
 * Decode p->data (p->caplen bytes captured of p->len on the wire) of the
 * given link type into p. Never reads past caplen. Returns the deepest
 * layer reached (an enum l4_kind; L4_NONE when there is no IP).
 */
enum l4_kind decode_packet(struct packet *p, int linktype);

/*
 * decode_packet(), then through the encapsulations (VXLAN, GENEVE, GRE,
 * ERSPAN, WCCP, MPLS, IP in IP, PPPoE; at most DEC_MAX_ENCAP) to the
 * innermost IP packet: p->ip and the transport are its, p->encap lists
 * what was around it. A tunnel whose payload is not followed leaves the
 * packet as decoded up to the last IP reached, with p->undec saying why;
 * one deeper than DEC_MAX_ENCAP is L4_NONE (UNDEC_TOO_DEEP). The analysis
 * decodes so; `synack print` prints the outer layers, from decode_packet().
 */
enum l4_kind decode_packet_inner(struct packet *p, int linktype);

/* Names: "vxlan", "gre", ..., "6in4" (by the outer and inner versions). */
const char *decode_encap_name(const struct encap *e);
/* What p->undec says, as words for a count ("GRE of protocol 0x880b"), into buf. */
void decode_undec_text(uint8_t undec, uint16_t value, char *buf, size_t n);

/* Layers, for tests and the fuzz targets. */
void decode_ip(struct packet *p, struct cursor c, uint32_t wire_len);
void decode_tcp(struct packet *p, struct cursor c, uint32_t len);
void decode_udp(struct packet *p, struct cursor c, uint32_t len);
void decode_icmp(struct packet *p, struct cursor c, uint32_t len, int v6);
/* The options of a TCP header (t->opts), taken apart: not done for every packet. */
void decode_tcp_options(struct cursor opts, struct tcp_options *out);

/* Capture time in nanoseconds since the epoch. */
static inline int64_t pkt_ts(const struct packet *p)
{
	return p->ts_sec * 1000000000 + (int64_t)p->ts_frac * (p->ts_nano ? 1 : 1000);
}

#endif
