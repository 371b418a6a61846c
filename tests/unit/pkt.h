/* pkt.h: building packets in code for the unit tests. */
#ifndef SYNACK_TEST_PKT_H
#define SYNACK_TEST_PKT_H

#include <stdint.h>
#include <string.h>

struct pkt_builder {
	uint8_t b[2048];
	size_t n;
};

static inline void pb_bytes(struct pkt_builder *pb, const void *p, size_t n)
{
	memcpy(pb->b + pb->n, p, n);
	pb->n += n;
}
static inline void pb_u8(struct pkt_builder *pb, uint8_t v) { pb->b[pb->n++] = v; }
static inline void pb_u16(struct pkt_builder *pb, uint16_t v) { pb_u8(pb, (uint8_t)(v >> 8)); pb_u8(pb, (uint8_t)v); }
static inline void pb_u32(struct pkt_builder *pb, uint32_t v) { pb_u16(pb, (uint16_t)(v >> 16)); pb_u16(pb, (uint16_t)v); }

static inline void pb_ether(struct pkt_builder *pb, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	pb_bytes(pb, macs, 12);
	pb_u16(pb, type);
}

/* IPv4 header of 20 bytes; total length covers l4len. */
static inline void pb_ipv4(struct pkt_builder *pb, const uint8_t src[4], const uint8_t dst[4],
			   uint8_t proto, uint16_t l4len)
{
	pb_u8(pb, 0x45); pb_u8(pb, 0); pb_u16(pb, (uint16_t)(20 + l4len));
	pb_u16(pb, 1); pb_u16(pb, 0x4000); pb_u8(pb, 64); pb_u8(pb, proto); pb_u16(pb, 0);
	pb_bytes(pb, src, 4); pb_bytes(pb, dst, 4);
}

static inline void pb_tcp(struct pkt_builder *pb, uint16_t sport, uint16_t dport, uint32_t seq,
			  uint32_t ack, uint8_t flags, uint16_t win, const uint8_t *opts, size_t optlen)
{
	pb_u16(pb, sport); pb_u16(pb, dport); pb_u32(pb, seq); pb_u32(pb, ack);
	pb_u8(pb, (uint8_t)(((20 + optlen) / 4) << 4)); pb_u8(pb, flags); pb_u16(pb, win);
	pb_u16(pb, 0); pb_u16(pb, 0);
	if (optlen)
		pb_bytes(pb, opts, optlen);
}

#endif
