/* print_time.c: the timestamp that opens a tcpdump line: -t to -ttttt, micro- or nanoseconds (--nano). */
#include <string.h>
#include <time.h>

#include "print.h"
#include "printer.h"

void printer_set_time(struct printer *pr, enum print_time mode)
{
	pr->tmode = mode;
	printer_time_restart(pr);
}

void printer_time_restart(struct printer *pr)
{
	pr->ref_sec = 0;
	pr->ref_frac = 0;
}

/*
 * The fraction in the precision printed, as libpcap hands it to tcpdump: the
 * file's 32 bits are signed there, nanoseconds become microseconds by C's
 * division (toward zero) and microseconds nanoseconds by multiplying.
 * tcpdump prints it as an unsigned int: (uint32_t) of this.
 */
static inline int64_t frac_out(const struct printer *pr, const struct packet *p)
{
	int64_t f = (int32_t)p->ts_frac;

	if (pr->flags & PRINT_NANO)
		return p->ts_nano ? f : f * 1000;
	return p->ts_nano ? f / 1000 : f;
}

/* The calendar of a new second, from localtime_r and strftime: "HH:MM:SS" and the date before it. */
static void clock_update(struct printer *pr, int64_t sec)
{
	time_t t = (time_t)sec;
	struct tm tm;

	pr->last_sec = sec;
	if (localtime_r(&t, &tm) == NULL) {
		pr->hms_ok = 0;
	} else {
		pr->hms_ok = 1;
		strftime(pr->hms, sizeof(pr->hms), "%H:%M:%S", &tm);
		strftime(pr->date, sizeof(pr->date), "%Y-%m-%d ", &tm);
	}
}

/* A second tcpdump cannot convert: before 1970, or past 2^31 - 1. */
static inline int sec_bad(int64_t sec)
{
	return sec < 0 || ((uint64_t)sec & 0x80000000u) != 0;
}

/* ".frac " after the seconds, in the printed precision's width. */
static void put_frac(struct print_ctx *x, uint32_t frac)
{
	ln_chr(x->out, '.');
	ln_u32_width(x->out, frac, (x->pr->flags & PRINT_NANO) ? 9 : 6);
	ln_chr(x->out, ' ');
}

/*
 * -ttt and -ttttt: the time since the reference, as tcpdump computes it
 * (netdissect_timevalsub(): one borrow, no more) and prints it: HH:MM:SS of
 * a day (its gmtime of the seconds), then the fraction.
 */
static void print_delta(struct print_ctx *x, int64_t sec, int64_t frac)
{
	struct printer *pr = x->pr;
	int64_t unit = (pr->flags & PRINT_NANO) ? 1000000000 : 1000000;
	int64_t dsec, dfrac;
	int neg;
	char hms[9];

	/* the reference is taken when unset, and a time of exactly 0.0 leaves it unset */
	if (pr->ref_sec == 0 && pr->ref_frac == 0) {
		pr->ref_sec = sec;
		pr->ref_frac = frac;
	}
	neg = sec == pr->ref_sec ? frac < pr->ref_frac : sec < pr->ref_sec;
	dsec = neg ? pr->ref_sec - sec : sec - pr->ref_sec;
	dfrac = neg ? pr->ref_frac - frac : frac - pr->ref_frac;
	if (dfrac < 0) {
		dsec--;
		dfrac += unit;
	}
	if (pr->tmode == PRINT_TIME_DELTA) {
		pr->ref_sec = sec;
		pr->ref_frac = frac;
	}
	ln_chr(x->out, neg ? '-' : ' ');
	if (sec_bad(dsec)) {
		ln_lit(x->out, "[Error converting time] ");
		return;
	}
	hms[0] = (char)('0' + dsec % 86400 / 36000);
	hms[1] = (char)('0' + dsec % 86400 / 3600 % 10);
	hms[2] = ':';
	hms[3] = (char)('0' + dsec % 3600 / 600);
	hms[4] = (char)('0' + dsec % 600 / 60);
	hms[5] = ':';
	hms[6] = (char)('0' + dsec % 60 / 10);
	hms[7] = (char)('0' + dsec % 10);
	hms[8] = '\0';
	ln_str(x->out, hms);
	put_frac(x, (uint32_t)dfrac);
}

/* Every format but the default's short way. */
static void print_ts_other(struct print_ctx *x, int64_t frac)
{
	struct printer *pr = x->pr;
	const struct packet *p = x->p;

	switch (pr->tmode) {
	case PRINT_TIME_NONE:
		return;
	case PRINT_TIME_DELTA:
	case PRINT_TIME_SINCE_FIRST:
		print_delta(x, p->ts_sec, frac);
		return;
	default:
		break;
	}
	if (sec_bad(p->ts_sec)) {
		ln_lit(x->out, "[Error converting time] ");
		return;
	}
	if (pr->tmode == PRINT_TIME_EPOCH) {
		ln_u64(x->out, (uint64_t)p->ts_sec);
		put_frac(x, (uint32_t)frac);
		return;
	}
	if (p->ts_sec != pr->last_sec)
		clock_update(pr, p->ts_sec);
	if (!pr->hms_ok) {
		ln_lit(x->out, "[Error converting time] ");
		return;
	}
	if (pr->tmode == PRINT_TIME_DATE)
		ln_str(x->out, pr->date);
	ln_str(x->out, pr->hms);
	put_frac(x, (uint32_t)frac);
}

/* HH:MM:SS.frac in local time, as strftime would; cached per second. */
void print_ts(struct print_ctx *x)
{
	struct printer *pr = x->pr;
	const struct packet *p = x->p;
	struct line *out = x->out;
	unsigned width = (pr->flags & PRINT_NANO) ? 9 : 6;
	int64_t frac = frac_out(pr, p);
	char *dst;

	if (pr->tmode != PRINT_TIME_HMS) {
		print_ts_other(x, frac);
		return;
	}
	if (sec_bad(p->ts_sec)) {
		ln_lit(out, "[Error converting time] ");
		return;
	}
	if (p->ts_sec != pr->last_sec)
		clock_update(pr, p->ts_sec);
	/*
	 * The short way: "HH:MM:SS" is always 8 characters (hours, minutes and
	 * seconds of a struct tm have two digits each), and a fraction below one
	 * second has its full width.
	 */
	if (!pr->hms_ok || frac < 0 || frac >= (width == 9 ? 1000000000 : 1000000) ||
	    !ln_room(out, 8 + 1 + LN_DIGITS_ROOM)) {
		print_ts_other(x, frac);
		return;
	}
	dst = out->buf + out->len;
	memcpy(dst, pr->hms, 8);
	dst[8] = '.';
	ln_put_digits(dst + 9, (uint32_t)frac, width);
	dst[9 + width] = ' ';
	out->len += 9 + width + 1;
}
