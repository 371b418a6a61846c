/* json.h: JSON strings escaped so the output is always valid JSON, whatever bytes they hold. */
#ifndef SYNACK_JSON_H
#define SYNACK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A quoted string: '"', '\\' and control bytes escaped, invalid UTF-8 bytes as \u00XX. */
void json_str(FILE *f, const char *s, size_t n);
void json_cstr(FILE *f, const char *s);
/* Epoch nanoseconds as seconds with 6 or 9 decimals. */
void json_ts(FILE *f, int64_t ns, int nano);

#endif
