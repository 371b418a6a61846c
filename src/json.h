/* json.h: building JSON text fast in a growable buffer; strings always escaped to valid JSON. */
#ifndef SYNACK_JSON_H
#define SYNACK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jbuf {
	char *p;
	size_t len, cap;
	int oom;                 /* an allocation failed: the text is cut */
};

void jb_free(struct jbuf *b);
void jb_mem(struct jbuf *b, const char *s, size_t n);
void jb_lit(struct jbuf *b, const char *s);          /* raw text, no escaping */
void jb_chr(struct jbuf *b, char c);
void jb_u64(struct jbuf *b, uint64_t v);
/* A quoted string: '"', '\\' and control bytes escaped, invalid UTF-8 bytes as \u00XX. */
void jb_str(struct jbuf *b, const char *s, size_t n);
void jb_cstr(struct jbuf *b, const char *s);        /* NULL gives null */
/* Epoch nanoseconds as seconds with 6 or 9 decimals. */
void jb_ts(struct jbuf *b, int64_t ns, int nano);
/* A duration in nanoseconds as milliseconds with 3 decimals. */
void jb_ms(struct jbuf *b, int64_t ns);
/* Write out and empty the buffer. */
void jb_flush(struct jbuf *b, FILE *f);

#endif
