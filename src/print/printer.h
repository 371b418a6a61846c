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
	int64_t last_sec;          /* the second whose HH:MM:SS is in hms */
	int hms_ok;
	char hms[16];
	struct ifname_cache ifnames[IFNAME_CACHE];
};

#endif
