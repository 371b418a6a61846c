/* community.h: a flow's Community ID v1 (Corelight's spec; Zeek's, Suricata's and Elastic ECS's community_id). */
#ifndef SYNACK_COMMUNITY_H
#define SYNACK_COMMUNITY_H

#include <stdint.h>

/* "1:" and the 28 characters of a SHA-1 in base64, and the NUL. */
#define FLOW_COMMUNITY_ID_LEN 31

#define FLOW_COMMUNITY_TCP 6
#define FLOW_COMMUNITY_UDP 17

/*
 * The Community ID v1 of a TCP or UDP flow, as a C string in out:
 *
 *	"1:" base64(SHA1(seed ‖ addr ‖ addr ‖ proto ‖ 0 ‖ port ‖ port))
 *
 * the seed, the protocol (one byte, then one zero byte) and the ports in
 * network order, the two endpoints in canonical order: the smaller (address
 * bytewise, then port) first, so that both directions of a flow get one id.
 * Addresses: 4 bytes (v6 == 0) or 16, in network order; ports in host order.
 * Only proto 6 (TCP) and 17 (UDP) are taken: the spec's ICMP form (type and
 * code in place of the ports, one-way messages) and the portless form of
 * other protocols are not written. Returns 1, or 0 (out "") for another
 * protocol or when libcrypto fails.
 */
int flow_community_id(int v6, const uint8_t *saddr, const uint8_t *daddr, uint16_t sport,
		      uint16_t dport, uint8_t proto, uint16_t seed, char out[FLOW_COMMUNITY_ID_LEN]);

#endif
