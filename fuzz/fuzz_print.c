/* fuzz_print.c: packets of any bytes through the decoder and the tcpdump line printer. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int link = fuzz_link(data, size);
	struct printer *rel = printer_new(0), *abs = printer_new(PRINT_ABSOLUTE_SEQ | PRINT_HEXDUMP | PRINT_LINK_HDR);
	/* -vv with -XX, and -v with -A: every packet goes through these as well */
	struct printer *vx = printer_new(PRINT_VERBOSE | PRINT_VERBOSE2 | PRINT_DUMP_HEXASCII | PRINT_DUMP_LINK |
					 PRINT_HEXDUMP);
	struct printer *va = printer_new(PRINT_VERBOSE | PRINT_DUMP_ASCII | PRINT_HEXDUMP);
	const uint8_t *p;
	size_t n;
	char buf[512];
	uint32_t i = 0;
	struct fuzz_clock clk = { 0, 0, 0 };

	if (size == 0 || rel == NULL || abs == NULL || vx == NULL || va == NULL)
		goto out;
	data++;
	size--;
	while (fuzz_next_timed(&data, &size, &p, &n, &clk)) {
		uint8_t *copy = malloc(n ? n : 1);
		struct packet pk;
		struct line l;
		if (copy == NULL)
			break;
		memcpy(copy, p, n);
		memset(&pk, 0, sizeof(pk));
		pk.data = copy;
		pk.caplen = (uint32_t)n;
		pk.len = (uint32_t)n + (i % 3 == 2 ? 20 : 0);
		pk.ts_sec = 1700000000 + i;
		pk.ts_frac = i * 7919;
		pk.ts_nano = i & 1;
		fuzz_clock_apply(&clk, &pk);
		decode_packet(&pk, link);
		/* A small buffer, so over-long lines exercise the cut. */
		ln_init(&l, buf, i % 2 ? sizeof(buf) : 64);
		printer_line(i % 2 ? rel : abs, &pk, &l);
		ln_init(&l, buf, i % 2 ? sizeof(buf) : 100);
		printer_line(i % 2 ? vx : va, &pk, &l);
		free(copy);
		i++;
	}
out:
	printer_free(rel);
	printer_free(abs);
	printer_free(vx);
	printer_free(va);
	return 0;
}
