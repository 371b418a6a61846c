/* vtext.h: the small formatters verdict texts are written with (durations as printf would). */
#ifndef SYNACK_VTEXT_H
#define SYNACK_VTEXT_H

#include <stdint.h>
#include <stdio.h>

#include "line.h"

/*
 * A duration of ns nanoseconds in units of `unit` ns with `decimals` decimals,
 * exactly as printf("%.*f", decimals, ns / (double)unit) writes it, without
 * printf: integer rounding, and printf itself only for an exact tie, where its
 * answer depends on the double's binary value.
 */
#if defined(__GNUC__)
__attribute__((always_inline))   /* into each wrapper below: constant units, no divisions */
#endif
static inline void vt_fixed(struct line *l, int64_t ns, int64_t unit, int decimals)
{
	uint64_t step = (uint64_t)unit, a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns, pow = 1;

	for (int i = 0; i < decimals; i++) {
		step /= 10;
		pow *= 10;
	}
	uint64_t q = a / step, r = a % step;
	if (2 * r == step) {
		char tmp[48];
		int n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, (double)ns / (double)unit);
		ln_mem(l, tmp, n > 0 ? (size_t)n : 0);
		return;
	}
	q += 2 * r > step;
	if (ns < 0)
		ln_chr(l, '-');        /* printf keeps the sign of a negative that rounds to 0 */
	ln_u64(l, q / pow);
	if (decimals > 0) {
		/* The point and exactly `decimals` digits, zeros included. */
		char tmp[1 + LN_DIGITS_ROOM], *start = ln_span(l, tmp, sizeof(tmp));
		start[0] = '.';
		ln_put_digits(start + 1, (uint32_t)(q % pow), (unsigned)decimals);
		ln_span_end(l, tmp, start, start + 1 + decimals);
	}
}

/* printf "%.3f" of milliseconds, "%.0f" of milliseconds, "%.3f" of seconds. */
static inline void vt_ms3(struct line *l, int64_t ns) { vt_fixed(l, ns, 1000000, 3); }
static inline void vt_ms0(struct line *l, int64_t ns) { vt_fixed(l, ns, 1000000, 0); }
static inline void vt_sec3(struct line *l, int64_t ns) { vt_fixed(l, ns, 1000000000, 3); }

/* End a verdict text: a NUL after it (the line was set up one byte short of its array, so a
 * text too long is cut, never overflows); its length. */
static inline size_t vt_finish(struct line *l)
{
	l->buf[l->len] = '\0';
	return l->len;
}

/* "s" unless there is exactly one. */
static inline void vt_plural(struct line *l, uint64_t n)
{
	if (n != 1)
		ln_chr(l, 's');
}

#endif
