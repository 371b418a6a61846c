/* fuzz_analyze.c: a whole capture of any packets through the analysis, reports and all. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input through the analysis, decrypting with kl's secrets (NULL: none). */
static int fuzz_analyze_one(const uint8_t *data, size_t size, struct keylog *kl)
{
	int link = fuzz_link(data, size);
	struct analysis_opts o;
	struct analysis *a;
	FILE *out = fopen("/dev/null", "w");
	const uint8_t *p;
	size_t n;
	uint32_t i = 0;
	struct fuzz_clock clk = { 0, 0, 0 };

	if (out == NULL)
		return 0;
	memset(&o, 0, sizeof(o));
	o.idle = 2;
	o.max_flows = 8;          /* small, so eviction runs too */
	/* and a tiny memory budget for some inputs, so that shedding runs too */
	o.memory_limit = size > 1 && (data[1] & 8) ? 4096 : (uint64_t)1 << 30;
	o.rep.json = size > 1 && (data[1] & 1);
	o.rep.verbose = size > 1 && (data[1] & 2);
	o.packets = size > 1 && (data[1] & 4);
	o.keylog = kl;
	a = analysis_new(&o, out);
	if (a == NULL || size == 0)
		goto out;
	data++;
	size--;
	while (fuzz_next_timed(&data, &size, &p, &n, &clk)) {
		uint8_t *copy = malloc(n ? n : 1);
		struct packet pk;
		if (copy == NULL)
			break;
		memcpy(copy, p, n);
		memset(&pk, 0, sizeof(pk));
		pk.frame = ++i;
		pk.data = copy;
		pk.caplen = (uint32_t)n;
		/* every fifth packet was cut by the snap length: on the wire it was longer by
		 * its last byte's value (record sizes vary as in files taken with -s) */
		pk.len = (uint32_t)n + (i % 5 == 0 && n ? copy[n - 1] : 0u);
		/* Time moves on by the record's first byte (in 50 ms steps), sometimes
		 * back; or a clock record says what it is. */
		pk.ts_sec = 1700000000 + (int64_t)(i * (n ? copy[0] : 1)) / 20;
		pk.ts_frac = (i * 7919u) % 1000000u;
		fuzz_clock_apply(&clk, &pk);
		/* now and then one outside a filter, kept only if an ICMP error about a connection */
		pk.icmp_extra = i % 7 == 3;
		analysis_packet(a, &pk, link);
		free(copy);
	}
	analysis_finish(a, 0);
out:
	analysis_free(a);
	fclose(out);
	return 0;
}

#ifndef FUZZ_ANALYZE_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_analyze_one(data, size, NULL);
}
#endif
