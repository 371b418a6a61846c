/* seqtab.h: tcpdump's per-conversation base sequence numbers, for relative seq/ack. */
#ifndef SYNACK_SEQTAB_H
#define SYNACK_SEQTAB_H

#include <stddef.h>
#include <stdint.h>

struct seq_key {
	uint8_t src[16], dst[16];   /* in tcpdump's collating order */
	uint32_t port;              /* sport << 16 | dport, same order */
	uint32_t family;
};

struct seq_val {
	uint32_t seq, ack;
};

struct seqtab;

/* max_entries bounds memory: past it the oldest generation is dropped. */
struct seqtab *seqtab_new(size_t max_entries);
void seqtab_free(struct seqtab *t);
/* The value for key, or NULL. */
struct seq_val *seqtab_find(struct seqtab *t, const struct seq_key *k);
/* The value for key, created (zeroed) if absent; NULL only when out of memory. */
struct seq_val *seqtab_put(struct seqtab *t, const struct seq_key *k);
size_t seqtab_count(const struct seqtab *t);

#endif
