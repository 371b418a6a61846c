/* fuzz_decode.c: any bytes, any link type, through the packet decoder. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int link = fuzz_link(data, size);
	const uint8_t *p;
	size_t n;

	if (size == 0)
		return 0;
	data++;
	size--;
	while (fuzz_next(&data, &size, &p, &n)) {
		/* A private copy, so a read past the packet is a heap overflow ASan sees. */
		uint8_t *copy = malloc(n ? n : 1);
		struct packet pk;
		if (copy == NULL)
			return 0;
		memcpy(copy, p, n);
		memset(&pk, 0, sizeof(pk));
		pk.data = copy;
		pk.caplen = (uint32_t)n;
		pk.len = (uint32_t)n + (n & 1 ? 7 : 0);   /* sometimes cut by a snaplen */
		if (decode_packet(&pk, link) == L4_TCP) {
			struct tcp_options o;
			decode_tcp_options(pk.u.tcp.opts, &o);
		}
		/* and through the tunnels, as the analysis decodes */
		if (decode_packet_inner(&pk, link) == L4_TCP) {
			struct tcp_options o;
			decode_tcp_options(pk.u.tcp.opts, &o);
		}
		free(copy);
	}
	return 0;
}
