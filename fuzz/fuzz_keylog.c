/* fuzz_keylog.c: any bytes as key log text, read whole and in pieces, with bounds small enough to be hit. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keylog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The counters add up. */
static void check(const struct keylog_stats *st)
{
	uint64_t bad = 0, stored = 0;

	for (int i = 0; i < KEYLOG_BAD_REASONS; i++)
		bad += st->bad[i];
	for (int i = 0; i < KEYLOG_LABELS; i++)
		stored += st->by_label[i];
	if (bad != st->malformed || stored != st->secrets || st->randoms > st->secrets ||
	    st->secrets + st->repeated + st->conflicts + st->malformed + st->unknown_label + st->comments +
	    st->blank + st->dropped_randoms + st->dropped_bytes + st->alloc_failed != st->lines ||
	    (st->malformed != 0) != (st->first_bad_line != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keylog_limits lim = { .max_randoms = 4, .max_bytes = 300 * 1024, .max_dsb_bytes = 0 };
	struct keylog *whole = keylog_new(&lim), *pieces = keylog_new(&lim);
	const char *text = (const char *)data;
	size_t at = 0, step = size ? data[0] % 7 + 1 : 1;

	if (whole == NULL || pieces == NULL)
		goto out;
	keylog_feed(whole, text, size);
	check(keylog_stats(whole));

	/* the same text in pieces of 1..7 bytes through one reader: the same lines, the same counts */
	keylog_reader_reset(&pieces->aux_rd, KEYLOG_SRC_MEMORY);
	for (; at < size; at += step)
		keylog_read_text(pieces, &pieces->aux_rd, text + at, size - at < step ? size - at : step);
	keylog_read_end(pieces, &pieces->aux_rd);
	check(keylog_stats(pieces));
	if (memcmp(keylog_stats(whole), keylog_stats(pieces), sizeof(struct keylog_stats)) != 0)
		abort();
	/* a line's random is found in both or neither */
	if (size >= KEYLOG_RANDOM_LEN && (keylog_find(whole, data) == NULL) != (keylog_find(pieces, data) == NULL))
		abort();
out:
	keylog_close(whole);
	keylog_close(pieces);
	return 0;
}
