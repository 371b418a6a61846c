/* fuzz_analyze_keys.c: fuzz_analyze with a fixed key log (the secrets of tests/keylog's captures), so decryption, the transcript and the Finished checks run. */
#include <stdlib.h>

#define FUZZ_ANALYZE_NO_ENTRY
#include "fuzz_analyze.c"
#include "fuzz_analyze_keys.h"
#include "keylog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* read once: the store is never written after (keylog_find only) */
	static struct keylog *kl;

	if (kl == NULL) {
		if ((kl = keylog_new(NULL)) == NULL)
			abort();
		keylog_feed(kl, fuzz_analyze_keys, sizeof(fuzz_analyze_keys) - 1);
	}
	return fuzz_analyze_one(data, size, kl);
}
