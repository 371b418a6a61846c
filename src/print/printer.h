/* printer.h: the printer's state, shared by the print_*.c files only. */
#ifndef SYNACK_PRINTER_H
#define SYNACK_PRINTER_H

#include <stdint.h>

#include "seqtab.h"

#define IFNAME_CACHE 64

struct ifname_cache {
	uint32_t index;
	int valid;
	char name[20];
};

struct printer {
	unsigned flags;
	struct seqtab *seq;
	int64_t last_sec;          /* the second whose HH:MM:SS is in hms, its date in date */
	int hms_ok;
	char hms[16];
	char date[32];
	int tmode;                 /* an enum print_time */
	int64_t ref_sec;           /* -ttt, -ttttt: the time deltas are from; 0.0 is unset */
	int64_t ref_frac;          /* in the printed precision */
	struct ifname_cache ifnames[IFNAME_CACHE];
};

#endif
