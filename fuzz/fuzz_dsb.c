/* fuzz_dsb.c: any bytes as a pcapng file whose Decryption Secrets Blocks are read into a key log store. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dsb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keylog_limits lim = { .max_randoms = 8, .max_bytes = 400 * 1024, .max_dsb_bytes = 4096 };
	struct keylog *kl = keylog_new(&lim);
	const struct keylog_stats *st;
	enum dsb_result r;

	if (kl == NULL)
		return 0;
	r = dsb_load_mem(kl, data, size);
	st = keylog_stats(kl);
	/* never more text than the budget, never a file error from memory */
	if (r == DSB_ERROR || st->dsb_bytes > lim.max_dsb_bytes || (r == DSB_NONE && st->dsb_blocks != 0))
		abort();
	keylog_close(kl);
	return 0;
}
