/* fuzz_frag.c: any packets, any link type, through IP fragment reassembly with small bounds. */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "frag.h"
#include "fuzz_common.h"
#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every fragment of a dropped datagram is remade and decoded, as the analysis does. */
static void dropped(void *arg, struct frag_table *t, const struct frag_dgram *d, enum frag_drop why)
{
	struct packet q;
	int link = *(const int *)arg;

	(void)why;
	for (unsigned i = 0; i < frag_npieces(d); i++)
		frag_piece(t, d, i, &q, link);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int link = fuzz_link(data, size);
	/* small bounds, so that the fuzzer reaches them: 8 datagrams, 64 KiB, 2 s */
	struct frag_limits l = { 8, 65536, 2000000000 };
	struct frag_table *t = frag_new(&l, dropped, &link);
	struct fuzz_clock clk = { 0 };
	const uint8_t *p;
	size_t n;
	uint64_t frame = 0;

	if (size == 0 || t == NULL) {
		frag_free(t);
		return 0;
	}
	data++;
	size--;
	while (fuzz_next_timed(&data, &size, &p, &n, &clk)) {
		/* A private copy, so a read past the packet is a heap overflow ASan sees. */
		uint8_t *copy = malloc(n ? n : 1);
		struct packet pk, *w;
		if (copy == NULL)
			break;
		memcpy(copy, p, n);
		memset(&pk, 0, sizeof(pk));
		pk.frame = ++frame;
		pk.ts_sec = clk.set ? clk.sec : (int64_t)frame / 4;
		pk.ts_frac = clk.frac % 1000000;
		pk.data = copy;
		pk.caplen = (uint32_t)n;
		pk.len = (uint32_t)n + (n & 1 ? 7 : 0);   /* sometimes cut by a snaplen */
		decode_packet(&pk, link);
		if (pk.ip.is_fragment && (w = frag_add(t, &pk, link)) != NULL && w != &pk) {
			struct packet q;
			/* the whole datagram is read to its end, its fragments remade */
			if (w->l4 == L4_TCP && cur_len(&w->u.tcp.payload) > 0)
				(void)hash_bytes(0, cur_data(&w->u.tcp.payload), cur_len(&w->u.tcp.payload));
			for (unsigned i = 0; i < frag_npieces(frag_last(t)); i++)
				frag_piece(t, frag_last(t), i, &q, link);
		}
		free(copy);
	}
	frag_flush(t);
	if (frag_stats(t)->held != 0 || frag_stats(t)->bytes != 0)
		abort();
	frag_free(t);
	return 0;
}
