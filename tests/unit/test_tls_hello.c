/* test_tls_hello.c: ClientHello/ServerHello parsing, JA3 and JA4, on spec vectors, RFC 8448 and real hellos. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "tls_hello.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a hello builder (test code: plain buffer writes) ---- */

struct bld {
	uint8_t b[70000];
	size_t n;
	size_t at[8];
	int width[8];
	int depth;
};

static struct bld B;

static void b_u8(struct bld *b, unsigned v)
{
	assert_true(b->n < sizeof(b->b));
	b->b[b->n++] = (uint8_t)v;
}

static void b_u16(struct bld *b, unsigned v)
{
	b_u8(b, v >> 8);
	b_u8(b, v & 0xff);
}

static void b_bytes(struct bld *b, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b_u8(b, ((const uint8_t *)p)[i]);
}

static void b_fill(struct bld *b, uint8_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b_u8(b, v);
}

/* A length prefix of width bytes, patched by b_close(). */
static void b_open(struct bld *b, int width)
{
	b->at[b->depth] = b->n;
	b->width[b->depth++] = width;
	b_fill(b, 0, (size_t)width);
}

static void b_close(struct bld *b)
{
	int d = --b->depth, w = b->width[d];
	size_t at = b->at[d], len = b->n - at - (size_t)w;
	for (int i = 0; i < w; i++)
		b->b[at + (size_t)i] = (uint8_t)(len >> (8 * (w - 1 - i)));
}

/* What a built ClientHello holds; extensions are written in exts[] order. */
struct prof {
	uint16_t legacy;
	const uint16_t *ciphers;
	size_t nc;
	const uint16_t *exts;
	size_t ne;
	int no_ext_block;
	const char *sni;            /* NULL: an empty server_name extension */
	size_t sni_len;             /* 0: strlen(sni) */
	const uint8_t *alpn;        /* the raw protocol_name_list */
	size_t alpn_len;
	const uint16_t *sigalgs;
	size_t nsig;
	const uint16_t *versions;
	size_t nver;
	const uint16_t *groups;
	size_t ngroups;
	const uint16_t *shares;
	size_t nshares;
	uint8_t ech_type;
	uint8_t sid_len;
};

static void b_u16s(struct bld *b, const uint16_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b_u16(b, v[i]);
}

static void ext_data(struct bld *b, const struct prof *p, uint16_t type)
{
	switch (type) {
	case 0x0000:
		if (p->sni == NULL)
			break;
		b_open(b, 2);
		b_u8(b, 0);
		b_open(b, 2);
		b_bytes(b, p->sni, p->sni_len ? p->sni_len : strlen(p->sni));
		b_close(b);
		b_close(b);
		break;
	case 0x0010:
		b_open(b, 2);
		b_bytes(b, p->alpn, p->alpn_len);
		b_close(b);
		break;
	case 0x000d:
		b_open(b, 2);
		b_u16s(b, p->sigalgs, p->nsig);
		b_close(b);
		break;
	case 0x002b:
		b_open(b, 1);
		b_u16s(b, p->versions, p->nver);
		b_close(b);
		break;
	case 0x000a:
		b_open(b, 2);
		b_u16s(b, p->groups, p->ngroups);
		b_close(b);
		break;
	case 0x0028:   /* key_share before TLS 1.3 draft 23 */
	case 0x0033:
		b_open(b, 2);
		for (size_t i = 0; i < p->nshares; i++) {
			b_u16(b, p->shares[i]);
			b_open(b, 2);
			b_fill(b, 0x33, p->shares[i] == 0x11ec ? 1216 : p->shares[i] == 0x0017 ? 65 : 32);
			b_close(b);
		}
		b_close(b);
		break;
	case 0x000b:
		b_u8(b, 1);
		b_u8(b, 0);
		break;
	case 0x002d:
		b_u8(b, 1);
		b_u8(b, 1);
		break;
	case 0xff01:
		b_u8(b, 0);
		break;
	case 0x001b:
		b_u8(b, 2);
		b_u16(b, 2);
		break;
	case 0x0015:
		b_fill(b, 0, 10);
		break;
	case 0x0029:   /* pre_shared_key: two identities, one binder */
		b_open(b, 2);
		for (int i = 0; i < 2; i++) {
			b_open(b, 2);
			b_fill(b, 0x66, 40);
			b_close(b);
			b_fill(b, 0, 4);
		}
		b_close(b);
		b_open(b, 2);
		b_u8(b, 32);
		b_fill(b, 0x88, 32);
		b_close(b);
		break;
	case 0xfe0d:
		b_u8(b, p->ech_type);
		if (p->ech_type == 0) {
			b_u16(b, 1);
			b_u16(b, 1);
			b_u8(b, 7);
			b_open(b, 2);
			b_fill(b, 0x44, 32);
			b_close(b);
			b_open(b, 2);
			b_fill(b, 0x55, 100);
			b_close(b);
		}
		break;
	default:
		break;
	}
}

static void build_ch(struct bld *b, const struct prof *p)
{
	b->n = 0;
	b->depth = 0;
	b_u8(b, 1);
	b_open(b, 3);
	b_u16(b, p->legacy ? p->legacy : 0x0303);
	b_fill(b, 0x11, 32);
	b_u8(b, p->sid_len);
	b_fill(b, 0x22, p->sid_len);
	b_open(b, 2);
	b_u16s(b, p->ciphers, p->nc);
	b_close(b);
	b_u8(b, 1);
	b_u8(b, 0);
	if (!p->no_ext_block) {
		b_open(b, 2);
		for (size_t i = 0; i < p->ne; i++) {
			b_u16(b, p->exts[i]);
			b_open(b, 2);
			ext_data(b, p, p->exts[i]);
			b_close(b);
		}
		b_close(b);
	}
	b_close(b);
	assert_int_equal(b->depth, 0);
}

static int parse_built(const struct prof *p, struct tls_client_hello *ch)
{
	build_ch(&B, p);
	return tls_parse_client_hello(cur_make(B.b, B.n), ch);
}

/* Hex as the RFCs print it (spaces and newlines allowed). */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

static void digest_hex(const EVP_MD *md, const void *p, size_t n, char *out, size_t nhex)
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	assert_int_equal(EVP_Digest(p, n, d, &dl, md, NULL), 1);
	for (size_t i = 0; i < nhex; i++)
		out[i] = "0123456789abcdef"[(d[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[nhex] = 0;
}

/* ---- real hellos: openssl s_client / curl against openssl s_server on 127.0.0.1, captured with tcpdump ---- */

/* hello.pcap frame 4: 331 bytes, tshark ja3 5a1edc7f170af1014fc65c994878e63c */
/* tshark ja3_full: 771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13-43-45-51,29-23-30-25-24-256-257-258-259-260,0-1-2 */
static const uint8_t ossl13_ch[331] = {
	0x01, 0x00, 0x01, 0x47, 0x03, 0x03, 0x3e, 0xb3, 0x26, 0x51, 0xf3, 0x5d, 0xa1, 0xbd, 0x57, 0xbf,
	0x30, 0x01, 0x62, 0xa2, 0xe8, 0xc1, 0xad, 0x91, 0x52, 0x75, 0xe6, 0xb8, 0xd6, 0x74, 0x96, 0x1d,
	0xe8, 0xd0, 0xfe, 0xc2, 0x67, 0x97, 0x20, 0xb4, 0x66, 0xfd, 0x31, 0x01, 0xb3, 0x69, 0xf8, 0x42,
	0x6b, 0x7e, 0x9d, 0x33, 0x49, 0x51, 0xc0, 0xc1, 0x85, 0x60, 0xb5, 0xb9, 0x8f, 0xd9, 0x85, 0x84,
	0x68, 0x3e, 0x05, 0x7e, 0xb0, 0x2e, 0x85, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01, 0xc0,
	0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00,
	0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0,
	0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00,
	0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x11, 0x00,
	0x0f, 0x00, 0x00, 0x0c, 0x74, 0x65, 0x73, 0x74, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14, 0x00, 0x1d,
	0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03,
	0x01, 0x04, 0x00, 0x23, 0x00, 0x00, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08,
	0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00,
	0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08,
	0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01,
	0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b,
	0x00, 0x09, 0x08, 0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01, 0x00, 0x2d, 0x00, 0x02, 0x01,
	0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x38, 0x52, 0x3e, 0xd1, 0x20,
	0x3c, 0x43, 0xc3, 0x42, 0xe4, 0xea, 0xc5, 0x6c, 0xe9, 0x48, 0xc0, 0xb7, 0x33, 0xf1, 0x84, 0x2b,
	0xd9, 0x43, 0x1b, 0x70, 0xfc, 0x24, 0x1d, 0x08, 0xe9, 0x64, 0x53,
};

/* hello.pcap frame 6: 122 bytes */
static const uint8_t ossl13_sh[122] = {
	0x02, 0x00, 0x00, 0x76, 0x03, 0x03, 0x4f, 0x0b, 0x26, 0xab, 0x15, 0x50, 0x11, 0x17, 0xab, 0xa9,
	0x97, 0x4a, 0xea, 0xf8, 0x7e, 0xd4, 0x25, 0x2f, 0x2f, 0x08, 0xab, 0xc6, 0xf3, 0xca, 0xab, 0x16,
	0x9c, 0x5d, 0xd7, 0xf6, 0xaa, 0x83, 0x20, 0xb4, 0x66, 0xfd, 0x31, 0x01, 0xb3, 0x69, 0xf8, 0x42,
	0x6b, 0x7e, 0x9d, 0x33, 0x49, 0x51, 0xc0, 0xc1, 0x85, 0x60, 0xb5, 0xb9, 0x8f, 0xd9, 0x85, 0x84,
	0x68, 0x3e, 0x05, 0x7e, 0xb0, 0x2e, 0x85, 0x13, 0x02, 0x00, 0x00, 0x2e, 0x00, 0x2b, 0x00, 0x02,
	0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x7f, 0xd9, 0x22, 0x83, 0xbc, 0xff,
	0xae, 0x98, 0xba, 0x73, 0x70, 0x8f, 0xc7, 0x7c, 0xa0, 0xd2, 0xce, 0x21, 0x40, 0xcf, 0x80, 0x4f,
	0xe6, 0xbb, 0xe5, 0xcc, 0x10, 0x00, 0x8d, 0xd9, 0xc3, 0x05,
};

/* hello.pcap frame 22: 512 bytes, tshark ja3 0149f47eabf9a20d0893e2a44e5a6323 */
/* tshark ja3_full: 771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-16-22-23-49-13-43-45-51-21,29-23-30-25-24-256-257-258-259-260,0-1-2 */
static const uint8_t curl13_ch[512] = {
	0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0xca, 0x44, 0xfa, 0x12, 0x65, 0x44, 0x0c, 0xa7, 0x7b, 0xfe,
	0xc6, 0x30, 0x23, 0x2a, 0x48, 0x8e, 0x17, 0x36, 0x92, 0x9b, 0x07, 0x54, 0x0e, 0x2f, 0xe5, 0x7d,
	0xcc, 0x4e, 0x17, 0x30, 0x2e, 0x31, 0x20, 0xac, 0xcb, 0x98, 0x6c, 0x64, 0x44, 0xc0, 0x7d, 0x3f,
	0x92, 0xaf, 0xed, 0x13, 0x5e, 0xf4, 0x4b, 0xee, 0x2e, 0x84, 0x52, 0xfb, 0xa2, 0x9c, 0x83, 0xf8,
	0xe4, 0xb9, 0x79, 0x11, 0x98, 0x73, 0xa6, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01, 0xc0,
	0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00,
	0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0,
	0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00,
	0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x01, 0x75, 0x00, 0x00, 0x00, 0x0e, 0x00,
	0x0c, 0x00, 0x00, 0x09, 0x6c, 0x6f, 0x63, 0x61, 0x6c, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x0b, 0x00,
	0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14, 0x00, 0x1d, 0x00, 0x17, 0x00,
	0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00,
	0x10, 0x00, 0x0b, 0x00, 0x09, 0x08, 0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16,
	0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x31, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28,
	0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b,
	0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01,
	0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x09, 0x08, 0x03, 0x04, 0x03,
	0x03, 0x03, 0x02, 0x03, 0x01, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33, 0x00, 0x26, 0x00,
	0x24, 0x00, 0x1d, 0x00, 0x20, 0x30, 0xce, 0xc7, 0x80, 0xac, 0x0b, 0x40, 0x17, 0xfe, 0x1f, 0x2f,
	0x4c, 0x79, 0xe1, 0xdd, 0x75, 0xf3, 0xfb, 0xdf, 0x79, 0x35, 0xff, 0x92, 0xc0, 0x6a, 0xc1, 0x4e,
	0x8d, 0x0c, 0xaa, 0x56, 0x4b, 0x00, 0x15, 0x00, 0xb7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* hello.pcap frame 40: 197 bytes, tshark ja3 a800670a9e75f9768d052dd7f0be5728 */
/* tshark ja3_full: 771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,11-10-16-22-23-13,29-23-30-25-24,0-1-2 */
static const uint8_t curl12_ch[197] = {
	0x01, 0x00, 0x00, 0xc1, 0x03, 0x03, 0xa1, 0x3c, 0x7f, 0x40, 0x81, 0x1c, 0x2f, 0x85, 0x96, 0x9a,
	0xe4, 0xea, 0xe7, 0xd2, 0xaa, 0x87, 0x71, 0xa5, 0xb6, 0x90, 0x72, 0xec, 0xab, 0x5e, 0x60, 0x8c,
	0xed, 0x6a, 0x5f, 0x9c, 0x03, 0x5c, 0x00, 0x00, 0x38, 0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc,
	0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00,
	0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0,
	0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00, 0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00,
	0xff, 0x01, 0x00, 0x00, 0x60, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00,
	0x0c, 0x00, 0x0a, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x00, 0x10, 0x00,
	0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00,
	0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05,
	0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08,
	0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04,
	0x02, 0x05, 0x02, 0x06, 0x02,
};

/* hello.pcap frame 42: 93 bytes */
static const uint8_t tls12_sh[93] = {
	0x02, 0x00, 0x00, 0x59, 0x03, 0x03, 0x6c, 0x67, 0x3c, 0x94, 0x65, 0x8c, 0xd1, 0x0a, 0x3b, 0xfe,
	0x08, 0x2b, 0x0a, 0x55, 0xba, 0x97, 0xad, 0x75, 0xfc, 0x73, 0x2b, 0x15, 0x58, 0xc1, 0x44, 0x4f,
	0x57, 0x4e, 0x47, 0x52, 0x44, 0x01, 0x20, 0xdc, 0x0f, 0x4b, 0x10, 0x08, 0xe4, 0xd2, 0xaf, 0x93,
	0xa7, 0x66, 0xf6, 0x5d, 0x1a, 0x4e, 0xf2, 0x0d, 0x8a, 0xa5, 0xb0, 0xcd, 0xd5, 0x70, 0xd1, 0x69,
	0xf0, 0xc1, 0x76, 0x4e, 0xa0, 0x99, 0x9f, 0xc0, 0x2c, 0x00, 0x00, 0x11, 0xff, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x17, 0x00, 0x00,
};

/* hello.pcap frame 57: 207 bytes, tshark ja3 871a754af286dfb70c1b53c6887c62e0 */
/* tshark ja3_full: 771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-23-13,29-23-30-25-24,0-1-2 */
static const uint8_t ossl12_ch[207] = {
	0x01, 0x00, 0x00, 0xcb, 0x03, 0x03, 0xc8, 0xda, 0x52, 0x1a, 0x98, 0x6a, 0x88, 0x54, 0x47, 0x62,
	0xc9, 0x61, 0x69, 0x48, 0xba, 0xdf, 0x1e, 0x33, 0x81, 0x68, 0x84, 0x7a, 0x52, 0x55, 0x8e, 0x3d,
	0xf6, 0xf6, 0x84, 0xc7, 0x2a, 0xaa, 0x00, 0x00, 0x38, 0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc,
	0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00,
	0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0,
	0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00, 0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00,
	0xff, 0x01, 0x00, 0x00, 0x6a, 0x00, 0x00, 0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f, 0x77, 0x77,
	0x77, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x00, 0x0b, 0x00,
	0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x1d, 0x00, 0x17, 0x00,
	0x1e, 0x00, 0x19, 0x00, 0x18, 0x00, 0x23, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00,
	0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08,
	0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05,
	0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02,
};

/* hrr.pcap frame 4: 329 bytes, tshark ja3 a4cb0a2566ce0ad47dcd4e59ad18f66e */
/* tshark ja3_full: 771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-23-13-43-45-51,23-29,0-1-2 */
static const uint8_t hrr_ch1[329] = {
	0x01, 0x00, 0x01, 0x45, 0x03, 0x03, 0x13, 0xd1, 0x1a, 0xea, 0xba, 0xb8, 0x14, 0x99, 0xeb, 0xa3,
	0x32, 0xd8, 0xee, 0xda, 0xfc, 0xdf, 0x05, 0x73, 0x83, 0xdb, 0xfd, 0x1c, 0xb5, 0x07, 0xed, 0x08,
	0xb5, 0xc5, 0xb2, 0xd5, 0xb3, 0x76, 0x20, 0x2f, 0x3b, 0x97, 0x33, 0xee, 0xc4, 0xfb, 0xcb, 0x14,
	0xfd, 0x51, 0x85, 0xb3, 0x4a, 0x27, 0x26, 0x31, 0xee, 0x30, 0x28, 0x67, 0x49, 0x98, 0x06, 0xac,
	0xe7, 0x6d, 0x90, 0x6e, 0x6e, 0x47, 0x32, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01, 0xc0,
	0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00,
	0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0,
	0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00,
	0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0xbe, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x0e, 0x00, 0x00, 0x0b, 0x68, 0x72, 0x72, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x00,
	0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00,
	0x1d, 0x00, 0x23, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00,
	0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08,
	0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03,
	0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x09, 0x08,
	0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33,
	0x00, 0x47, 0x00, 0x45, 0x00, 0x17, 0x00, 0x41, 0x04, 0x34, 0xe2, 0x25, 0x5a, 0x87, 0x49, 0x18,
	0x2d, 0x0b, 0xe0, 0x2c, 0x14, 0x91, 0x0e, 0xcc, 0x02, 0x63, 0x1e, 0x21, 0x25, 0x70, 0x4a, 0x63,
	0x8f, 0x4d, 0x54, 0x3c, 0x56, 0xaa, 0x1d, 0x45, 0xe5, 0x56, 0x8a, 0xfc, 0xe5, 0x5b, 0x52, 0xe6,
	0x2e, 0x76, 0x06, 0xaa, 0x88, 0xa6, 0x3d, 0xc0, 0x4a, 0x60, 0xf5, 0x05, 0xfd, 0xdf, 0xd3, 0x36,
	0xbc, 0x94, 0x1c, 0x15, 0xa2, 0x7d, 0xbb, 0x42, 0x39,
};

/* hrr.pcap frame 6: 88 bytes */
static const uint8_t hrr_sh[88] = {
	0x02, 0x00, 0x00, 0x54, 0x03, 0x03, 0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d,
	0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e,
	0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c, 0x20, 0x2f, 0x3b, 0x97, 0x33, 0xee, 0xc4, 0xfb, 0xcb, 0x14,
	0xfd, 0x51, 0x85, 0xb3, 0x4a, 0x27, 0x26, 0x31, 0xee, 0x30, 0x28, 0x67, 0x49, 0x98, 0x06, 0xac,
	0xe7, 0x6d, 0x90, 0x6e, 0x6e, 0x47, 0x32, 0x13, 0x02, 0x00, 0x00, 0x0c, 0x00, 0x2b, 0x00, 0x02,
	0x03, 0x04, 0x00, 0x33, 0x00, 0x02, 0x00, 0x1d,
};

/* hrr.pcap frame 8: 296 bytes, tshark ja3 a4cb0a2566ce0ad47dcd4e59ad18f66e */
/* tshark ja3_full: 771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-23-13-43-45-51,23-29,0-1-2 */
static const uint8_t hrr_ch2[296] = {
	0x01, 0x00, 0x01, 0x24, 0x03, 0x03, 0x13, 0xd1, 0x1a, 0xea, 0xba, 0xb8, 0x14, 0x99, 0xeb, 0xa3,
	0x32, 0xd8, 0xee, 0xda, 0xfc, 0xdf, 0x05, 0x73, 0x83, 0xdb, 0xfd, 0x1c, 0xb5, 0x07, 0xed, 0x08,
	0xb5, 0xc5, 0xb2, 0xd5, 0xb3, 0x76, 0x20, 0x2f, 0x3b, 0x97, 0x33, 0xee, 0xc4, 0xfb, 0xcb, 0x14,
	0xfd, 0x51, 0x85, 0xb3, 0x4a, 0x27, 0x26, 0x31, 0xee, 0x30, 0x28, 0x67, 0x49, 0x98, 0x06, 0xac,
	0xe7, 0x6d, 0x90, 0x6e, 0x6e, 0x47, 0x32, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01, 0xc0,
	0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00,
	0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0,
	0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00,
	0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0x9d, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x0e, 0x00, 0x00, 0x0b, 0x68, 0x72, 0x72, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x00,
	0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00,
	0x1d, 0x00, 0x23, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00,
	0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08,
	0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03,
	0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x09, 0x08,
	0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33,
	0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0xde, 0x30, 0x6f, 0xf0, 0x95, 0x39, 0x81, 0x7a,
	0xc8, 0x73, 0x40, 0x48, 0xdc, 0x1a, 0xb4, 0xbe, 0x57, 0x82, 0x99, 0xbc, 0x1c, 0x96, 0x4f, 0x54,
	0x04, 0x47, 0xec, 0xfe, 0x7d, 0xb8, 0xe4, 0x22,
};

/* hrr.pcap frame 9: 122 bytes */
static const uint8_t hrr_sh2[122] = {
	0x02, 0x00, 0x00, 0x76, 0x03, 0x03, 0xb8, 0x9a, 0x92, 0xff, 0x3a, 0xb3, 0x72, 0x33, 0xdd, 0xfd,
	0x73, 0xb3, 0x12, 0x17, 0x83, 0xe3, 0x7c, 0xde, 0x3f, 0xbb, 0xda, 0xb3, 0xd9, 0xee, 0x65, 0xba,
	0x19, 0x6f, 0x1e, 0x92, 0xd9, 0x80, 0x20, 0x2f, 0x3b, 0x97, 0x33, 0xee, 0xc4, 0xfb, 0xcb, 0x14,
	0xfd, 0x51, 0x85, 0xb3, 0x4a, 0x27, 0x26, 0x31, 0xee, 0x30, 0x28, 0x67, 0x49, 0x98, 0x06, 0xac,
	0xe7, 0x6d, 0x90, 0x6e, 0x6e, 0x47, 0x32, 0x13, 0x02, 0x00, 0x00, 0x2e, 0x00, 0x2b, 0x00, 0x02,
	0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0xdf, 0x18, 0x6c, 0x9d, 0x15, 0x64,
	0x3a, 0xfd, 0xf9, 0x85, 0xa2, 0x5c, 0x15, 0x34, 0x0e, 0x04, 0x93, 0xd0, 0x0a, 0x09, 0xd0, 0x93,
	0x30, 0x60, 0x4f, 0xec, 0x9f, 0x6d, 0x18, 0x89, 0x21, 0x52,
};

static const uint8_t rfc8448_ch[196] = {
	0x01, 0x00, 0x00, 0xc0, 0x03, 0x03, 0xcb, 0x34, 0xec, 0xb1, 0xe7, 0x81, 0x63, 0xba, 0x1c, 0x38,
	0xc6, 0xda, 0xcb, 0x19, 0x6a, 0x6d, 0xff, 0xa2, 0x1a, 0x8d, 0x99, 0x12, 0xec, 0x18, 0xa2, 0xef,
	0x62, 0x83, 0x02, 0x4d, 0xec, 0xe7, 0x00, 0x00, 0x06, 0x13, 0x01, 0x13, 0x03, 0x13, 0x02, 0x01,
	0x00, 0x00, 0x91, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x09, 0x00, 0x00, 0x06, 0x73, 0x65, 0x72, 0x76,
	0x65, 0x72, 0xff, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x14, 0x00, 0x12, 0x00, 0x1d, 0x00,
	0x17, 0x00, 0x18, 0x00, 0x19, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00,
	0x23, 0x00, 0x00, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x99, 0x38, 0x1d,
	0xe5, 0x60, 0xe4, 0xbd, 0x43, 0xd2, 0x3d, 0x8e, 0x43, 0x5a, 0x7d, 0xba, 0xfe, 0xb3, 0xc0, 0x6e,
	0x51, 0xc1, 0x3c, 0xae, 0x4d, 0x54, 0x13, 0x69, 0x1e, 0x52, 0x9a, 0xaf, 0x2c, 0x00, 0x2b, 0x00,
	0x03, 0x02, 0x03, 0x04, 0x00, 0x0d, 0x00, 0x20, 0x00, 0x1e, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03,
	0x02, 0x03, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x02, 0x01,
	0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x02, 0x02, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x1c,
	0x00, 0x02, 0x40, 0x01,
};

static const uint8_t rfc8448_sh[90] = {
	0x02, 0x00, 0x00, 0x56, 0x03, 0x03, 0xa6, 0xaf, 0x06, 0xa4, 0x12, 0x18, 0x60, 0xdc, 0x5e, 0x6e,
	0x60, 0x24, 0x9c, 0xd3, 0x4c, 0x95, 0x93, 0x0c, 0x8a, 0xc5, 0xcb, 0x14, 0x34, 0xda, 0xc1, 0x55,
	0x77, 0x2e, 0xd3, 0xe2, 0x69, 0x28, 0x00, 0x13, 0x01, 0x00, 0x00, 0x2e, 0x00, 0x33, 0x00, 0x24,
	0x00, 0x1d, 0x00, 0x20, 0xc9, 0x82, 0x88, 0x76, 0x11, 0x20, 0x95, 0xfe, 0x66, 0x76, 0x2b, 0xdb,
	0xf7, 0xc6, 0x72, 0xe1, 0x56, 0xd6, 0xcc, 0x25, 0x3b, 0x83, 0x3d, 0xf1, 0xdd, 0x69, 0xb1, 0xb0,
	0x4e, 0x75, 0x1f, 0x0f, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
};


/* ---- FoxIO's JA4.md worked example: its cipher, extension and signature lists ---- */

static const uint16_t spec_ciphers[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
	0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t spec_exts[] = {
	0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
	0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
};
static const uint16_t spec_sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };
static const uint16_t v13_12[] = { 0x0304, 0x0303 };
static const uint16_t groups3[] = { 0x001d, 0x0017, 0x0018 };
static const uint16_t x25519[] = { 0x001d };
static const uint8_t alpn_h2_h11[] = "\x02h2\x08http/1.1";

static struct prof spec_prof(void)
{
	struct prof p = {
		.ciphers = spec_ciphers, .nc = N(spec_ciphers), .exts = spec_exts, .ne = N(spec_exts),
		.sni = "example.com", .alpn = alpn_h2_h11, .alpn_len = sizeof(alpn_h2_h11) - 1,
		.sigalgs = spec_sigalgs, .nsig = N(spec_sigalgs), .versions = v13_12, .nver = N(v13_12),
		.groups = groups3, .ngroups = N(groups3), .shares = x25519, .nshares = 1, .sid_len = 32,
	};
	return p;
}

static void test_spec_example(void **state)
{
	(void)state;
	struct tls_client_hello ch;
	struct prof p = spec_prof();

	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_null(ch.error);
	/* JA4.md: "JA4 = t13d1516h2_8daaf6152771_e5627efa2ab1". */
	assert_string_equal(ch.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");

	/*
	 * JA3 by the definition, from the lists above in wire order, decimal:
	 *   version 0x0303 = 771
	 *   ciphers 4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53
	 *   extensions 27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21
	 *   groups 29-23-24, point formats 0
	 * MD5 of that string (python3 hashlib): c000e2caf3a25423f9de6c8a4b12a975.
	 */
	assert_string_equal(ch.ja3, "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
				    "27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23-24,0");
	assert_string_equal(ch.ja3_md5, "c000e2caf3a25423f9de6c8a4b12a975");
	assert_int_equal(ch.ja3_cut, 0);

	/* JA4.md: with no signature algorithms the string ends without '_': ..._6d807ffa2a79. */
	p.nsig = 0;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_string_equal(ch.ja4, "t13d1516h2_8daaf6152771_6d807ffa2a79");

	/* Its cipher hash alone, recomputed from the sorted string JA4.md prints. */
	{
		static const char sorted[] = "002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9";
		char h[13];
		digest_hex(EVP_sha256(), sorted, strlen(sorted), h, 12);
		assert_string_equal(h, "8daaf6152771");
	}
}

static void test_spec_with_grease(void **state)
{
	(void)state;
	/* The same hello as a GREASE-ing client sends it: the fingerprints must not move. */
	static const uint16_t gc[] = {
		0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
		0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
	};
	static const uint16_t ge[] = {
		0x1a1a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
		0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0xfafa,
	};
	static const uint16_t gs[] = { 0x5a5a, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };
	static const uint16_t gv[] = { 0x3a3a, 0x0304, 0x0303 };
	static const uint16_t gg[] = { 0x4a4a, 0x001d, 0x0017, 0x0018 };
	static const uint16_t gk[] = { 0x4a4a, 0x001d };
	struct tls_client_hello ch;
	struct prof p = spec_prof();

	p.ciphers = gc, p.nc = N(gc), p.exts = ge, p.ne = N(ge), p.sigalgs = gs, p.nsig = N(gs);
	p.versions = gv, p.nver = N(gv), p.groups = gg, p.ngroups = N(gg), p.shares = gk, p.nshares = N(gk);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_string_equal(ch.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	assert_string_equal(ch.ja3_md5, "c000e2caf3a25423f9de6c8a4b12a975");
	/* Kept as sent, and recognizable. */
	assert_int_equal(ch.cipher_suites[0], 0x0a0a);
	assert_int_equal(ch.cipher_suites_total, 16);
	assert_int_equal(ch.extensions[0], 0x1a1a);
	assert_int_equal(ch.extensions[17], 0xfafa);
	assert_int_equal(ch.versions[0], 0x3a3a);
	assert_int_equal(ch.version, 0x0304);
	assert_int_equal(ch.groups[0], 0x4a4a);
	assert_int_equal(ch.key_share_groups[0], 0x4a4a);
	assert_int_equal(ch.key_share_groups[1], 0x001d);
	assert_int_equal(ch.sigalgs[0], 0x5a5a);
	assert_int_equal(ch.grease, TLS_GREASE_CIPHER | TLS_GREASE_EXTENSION | TLS_GREASE_GROUP |
				    TLS_GREASE_KEY_SHARE | TLS_GREASE_SIGALG | TLS_GREASE_VERSION);
	/* 0x?a?a with unequal bytes is not GREASE. */
	static const uint16_t notg[] = { 0x0a1a, 0x1301 };
	p = spec_prof();
	p.ciphers = notg, p.nc = N(notg);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.grease & TLS_GREASE_CIPHER, 0);
	assert_memory_equal(ch.ja4, "t13d0216h2_", 11);
}

/* JA4.md "ALPN Extension Value": alphanumeric ends as they are, else the hex's first and last digit. */
static void test_spec_alpn_rule(void **state)
{
	(void)state;
	static const struct { const char *list; size_t len; const char *want; } v[] = {
		{ "\x02h2", 3, "h2" },
		{ "\x08http/1.1\x02h2", 12, "h1" },
		{ "\x01h", 2, "hh" },
		{ "\x01\xab", 2, "ab" },
		{ "\x02\xab\xcd", 3, "ad" },
		{ "\x02\x30\xab", 3, "3b" },
		{ "\x04\x30\x31\xab\xcd", 5, "3d" },
		{ "\x04\x30\xab\xcd\x31", 5, "01" },
		{ "\x00\x02h2", 4, "00" },     /* the first value is empty */
		{ "", 0, "00" },               /* no values */
	};
	struct tls_client_hello ch;
	struct prof p = spec_prof();

	for (size_t i = 0; i < N(v); i++) {
		p.alpn = (const uint8_t *)v[i].list;
		p.alpn_len = v[i].len;
		assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
		assert_memory_equal(ch.ja4 + 8, v[i].want, 2);
		/* Only the a part depends on ALPN. */
		assert_string_equal(ch.ja4 + 10, "_8daaf6152771_e5627efa2ab1");
	}
	/* No ALPN extension at all: "00". */
	static const uint16_t noalpn[] = { 0x0000, 0x000d, 0x002b };
	p = spec_prof();
	p.exts = noalpn, p.ne = N(noalpn);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_memory_equal(ch.ja4, "t13d150300_", 11);
	assert_int_equal(ch.n_alpn, 0);
}

static void test_empty_lists(void **state)
{
	(void)state;
	struct tls_client_hello ch;
	struct prof p = spec_prof();

	/* JA4.md: no ciphers, or no extensions (after SNI and ALPN go), give 000000000000. */
	p.nc = 0;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_string_equal(ch.ja4, "t13d0016h2_000000000000_e5627efa2ab1");
	static const uint16_t sni_alpn[] = { 0x0000, 0x0010 };
	p = spec_prof();
	p.exts = sni_alpn, p.ne = N(sni_alpn);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_string_equal(ch.ja4, "t12d1502h2_8daaf6152771_000000000000");   /* no supported_versions: legacy 0x0303 */
	assert_string_equal(ch.ja3, "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,0-16,,");

	/* No extensions block at all (SSL 3.0 style). */
	p = spec_prof();
	p.no_ext_block = 1;
	p.legacy = 0x0300;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_extensions, 0);
	assert_string_equal(ch.ja4, "ts3i150000_8daaf6152771_000000000000");
	assert_string_equal(ch.ja3, "768,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,,,");
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* More than the kept capacity and than 99: counts cap, hashes cover every value (sorted, duplicates kept). */
static void test_caps_and_full_lists(void **state)
{
	(void)state;
	static uint16_t many[300], sorted[300];
	static char str[300 * 5 + 1];
	static const uint16_t exts40[] = {
		0x0000, 0x0010, 0x000d, 0x002b, 0x000a, 0x0033, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
		0x0105, 0x0106, 0x0107, 0x0108, 0x0109, 0x010a, 0x010b, 0x010c, 0x010d, 0x010e, 0x010f,
		0x0110, 0x0111, 0x0112, 0x0113, 0x0114, 0x0115, 0x0116, 0x0117, 0x0118, 0x0119, 0x011a,
		0x011b, 0x011c, 0x011d, 0x011e, 0x011f, 0x0120, 0x0121,
	};
	struct tls_client_hello ch;
	struct prof p = spec_prof();
	size_t n = 0, len = 0;
	char h[13];

	/* Values spread over many high bytes, with repeats, in scrambled order. */
	for (unsigned i = 0; i < N(many); i++)
		many[i] = (uint16_t)((i * 7919u) % 40000u + (i % 5 == 0 ? 0 : 0x100));
	many[10] = many[20] = many[30] = 0xc02b;
	assert_true(N(many) > TLS_HELLO_MAX_CIPHERS);
	p.ciphers = many, p.nc = N(many), p.exts = exts40, p.ne = N(exts40);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.n_cipher_suites, TLS_HELLO_MAX_CIPHERS);
	assert_int_equal(ch.cipher_suites_total, N(many));
	assert_int_equal(ch.cipher_suites[63], many[63]);
	assert_int_equal(ch.n_extensions, TLS_HELLO_MAX_EXTENSIONS);
	assert_int_equal(ch.extensions_total, N(exts40));
	assert_memory_equal(ch.ja4, "t13d9940h2_", 11);

	for (size_t i = 0; i < N(many); i++)
		if ((many[i] & 0x0f0f) != 0x0a0a || (many[i] >> 8) != (many[i] & 0xff))
			sorted[n++] = many[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_u16);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(str + len, sizeof(str) - len, "%s%04x", i ? "," : "", sorted[i]);
	digest_hex(EVP_sha256(), str, len, h, 12);
	assert_memory_equal(ch.ja4 + 11, h, 12);
}

/* A JA3 string longer than ja3[]: the kept string is cut at an item, the MD5 is of all of it. */
static void test_ja3_cut(void **state)
{
	(void)state;
	static uint16_t many[3000];
	static char full[3000 * 6 + 64];
	struct tls_client_hello ch;
	struct prof p = spec_prof();
	size_t len;
	char h[33];

	for (unsigned i = 0; i < N(many); i++)
		many[i] = (uint16_t)(10000 + i);
	p.ciphers = many, p.nc = N(many);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.ja3_cut, 1);
	len = (size_t)snprintf(full, sizeof(full), "771,");
	for (unsigned i = 0, k = 0; i < N(many); i++)
		if ((many[i] & 0x0f0f) != 0x0a0a || (many[i] >> 8) != (many[i] & 0xff))   /* 10794 = 0x2a2a is GREASE */
			len += (size_t)snprintf(full + len, sizeof(full) - len, "%s%u", k++ ? "-" : "", many[i]);
	len += (size_t)snprintf(full + len, sizeof(full) - len, ",27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23-24,0");
	digest_hex(EVP_md5(), full, len, h, 32);
	assert_string_equal(ch.ja3_md5, h);
	assert_true(strlen(ch.ja3) < sizeof(ch.ja3));
	assert_true(strlen(ch.ja3) > sizeof(ch.ja3) - 8);
	assert_memory_equal(ch.ja3, full, strlen(ch.ja3));
	assert_true(full[strlen(ch.ja3)] == '-');
	assert_memory_equal(ch.ja4, "t13d9916h2_", 11);
}

/* ---- the fast JA4 sort and the memo against a reference (qsort, one EVP_Digest) ---- */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static int is_grease16(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* A value for a random list: GREASE, a repeat from a small pool, or anything. */
static uint16_t rand_value(int ext)
{
	static const uint16_t pool[] = { 0x0000, 0x0010, 0x000a, 0x002b, 0x1301, 0xc02b, 0x00ff, 0xfe0d, 0x4469 };
	uint32_t r = rng() % 8;

	if (r == 0)
		return (uint16_t)(0x0a0a + 0x1010 * (rng() % 16));
	if (r <= 2)
		return pool[rng() % N(pool)];
	/* Extensions other than the pool: types the builder writes no data for. */
	return (uint16_t)(ext ? 0x0100 + rng() % 0xfe00 : rng());
}

/* Sorted, comma-joined 4-hex of the kept values; how many. */
static size_t ref_sorted(const uint16_t *v, size_t n, int ext, uint16_t *tmp, char *out, size_t *len)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!is_grease16(v[i]) && !(ext && (v[i] == 0x0000 || v[i] == 0x0010)))
			tmp[k++] = v[i];
	qsort(tmp, k, sizeof(tmp[0]), cmp_u16);
	for (size_t i = 0; i < k; i++)
		*len += (size_t)sprintf(out + *len, "%s%04x", i ? "," : "", tmp[i]);
	return k;
}

static size_t ref_ja3_list(const uint16_t *v, size_t n, char *out)
{
	size_t len = 0, k = 0;

	for (size_t i = 0; i < n; i++)
		if (!is_grease16(v[i]))
			len += (size_t)sprintf(out + len, "%s%u", k++ ? "-" : "", v[i]);
	return len;
}

static void ref_fingerprints(const struct prof *p, char ja4[TLS_HELLO_JA4_LEN], char md5[33], char *ja3)
{
	static uint16_t tmp[6000];
	static char str[6000 * 6 + 64];
	size_t len = 0, kc, ke, nc = 0, ne = 0, j;
	int have_sig = 0, have_groups = 0, have_pf = 0;

	for (size_t i = 0; i < p->nc; i++)
		nc += !is_grease16(p->ciphers[i]);
	for (size_t i = 0; i < p->ne; i++) {
		ne += !is_grease16(p->exts[i]);
		have_sig |= p->exts[i] == 0x000d;
		have_groups |= p->exts[i] == 0x000a;
		have_pf |= p->exts[i] == 0x000b;
	}
	snprintf(ja4, TLS_HELLO_JA4_LEN, "t13d%02zu%02zuh2_", nc > 99 ? 99 : nc, ne > 99 ? 99 : ne);
	kc = ref_sorted(p->ciphers, p->nc, 0, tmp, str, &len);
	if (kc == 0)
		strcpy(ja4 + 11, "000000000000");
	else
		digest_hex(EVP_sha256(), str, len, ja4 + 11, 12);
	ja4[23] = '_';
	len = 0;
	ke = ref_sorted(p->exts, p->ne, 1, tmp, str, &len);
	if (ke == 0) {
		strcpy(ja4 + 24, "000000000000");
	} else {
		size_t k = 0;
		for (size_t i = 0; have_sig && i < p->nsig; i++)
			if (!is_grease16(p->sigalgs[i]))
				len += (size_t)sprintf(str + len, "%s%04x", k++ ? "," : "_", p->sigalgs[i]);
		digest_hex(EVP_sha256(), str, len, ja4 + 24, 12);
	}

	j = (size_t)sprintf(ja3, "771,");
	j += ref_ja3_list(p->ciphers, p->nc, ja3 + j);
	ja3[j++] = ',';
	j += ref_ja3_list(p->exts, p->ne, ja3 + j);
	ja3[j++] = ',';
	if (have_groups)
		j += ref_ja3_list(p->groups, p->ngroups, ja3 + j);
	ja3[j++] = ',';
	if (have_pf)
		ja3[j++] = '0';
	ja3[j] = 0;
	digest_hex(EVP_md5(), ja3, j, md5, 32);
}

static void test_ja4_sort_random(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 16, 31, 32, 33, 64, 100, 255, 256, 257, 1000, 5000 };
	static uint16_t ciphers[5000], exts[5000];
	static char ja3[5000 * 12 * 2 + 64];
	struct tls_client_hello ch, again;
	char ja4[TLS_HELLO_JA4_LEN], md5[33];

	for (int round = 0; round < 6; round++) {
		for (size_t si = 0; si < N(sizes); si++) {
			struct prof p = spec_prof();
			size_t nc = sizes[si], ne = sizes[(si + (size_t)round * 5) % N(sizes)];
			/* Extensions: the spec's, then random ones (at most 5,000 in all). */
			size_t k = 0;
			for (; k < N(spec_exts) && k < ne; k++)
				exts[k] = spec_exts[k];
			for (; k < ne; k++)
				exts[k] = rand_value(1);
			for (size_t i = 0; i < nc; i++)
				ciphers[i] = rand_value(0);
			p.ciphers = ciphers, p.nc = nc, p.exts = exts, p.ne = ne;
			if (ne < N(spec_exts) && round % 2)
				p.exts = spec_exts, p.ne = N(spec_exts);
			assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
			ref_fingerprints(&p, ja4, md5, ja3);
			assert_memory_equal(ch.ja4 + 4, ja4 + 4, 4);
			assert_string_equal(ch.ja4 + 10, ja4 + 10);
			assert_string_equal(ch.ja3_md5, md5);
			assert_memory_equal(ch.ja3, ja3, strlen(ch.ja3));
			assert_int_equal(ch.ja3_cut, strlen(ja3) >= sizeof(ch.ja3));
			/* Again: from the memo when the inputs are short enough, the same either way. */
			assert_int_equal(parse_built(&p, &again), TLS_HELLO_OK);
			assert_string_equal(again.ja4, ch.ja4);
			assert_string_equal(again.ja3, ch.ja3);
			assert_string_equal(again.ja3_md5, ch.ja3_md5);
		}
	}
}

/* A hostile hello of 30,000 cipher suites over every high byte: fingerprinted whole. */
static void test_hostile_many_ciphers(void **state)
{
	(void)state;
	static uint16_t many[30000];
	struct tls_client_hello ch;
	struct prof p = spec_prof();
	struct timespec t0, t1;
	double ms;

	for (size_t i = 0; i < N(many); i++)
		many[i] = (uint16_t)rng();
	p.ciphers = many, p.nc = N(many);
	build_ch(&B, &p);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(tls_parse_client_hello(cur_make(B.b, B.n), &ch), TLS_HELLO_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* for information only: timing targets live in `make bench`, never in a unit test (a
	 * loaded CI machine under ASan took 34 ms once); ~1.4 ms optimized */
	print_message("30,000 cipher suites: %.2f ms\n", ms);
	assert_int_equal(ch.cipher_suites_total, N(many));
	assert_true(ch.ja4[0] != 0 && ch.ja3_cut);
}

/* ---- RFC 8448 section 3, "Simple 1-RTT Handshake" ---- */

/* "{client} construct a ClientHello handshake message: ClientHello (196 octets)" */
static const char rfc8448_ch_hex[] =
	"01 00 00 c0 03 03 cb 34 ec b1 e7 81 63"
	"ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83"
	"02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b"
	"00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 14 00"
	"12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23"
	"00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2"
	"3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a"
	"af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03"
	"02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06"
	"02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01";

/* "{server} construct a ServerHello handshake message: ServerHello (90 octets)" */
static const char rfc8448_sh_hex[] =
	"02 00 00 56 03 03 a6 af 06 a4 12 18 60"
	"dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e"
	"d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88"
	"76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1"
	"dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04";

static void test_rfc8448(void **state)
{
	(void)state;
	uint8_t m[512];
	size_t chn, shn;
	struct tls_client_hello ch;
	struct tls_server_hello sh;
	char h[65];
	static const uint16_t want_ext[] = { 0x0000, 0xff01, 0x000a, 0x0023, 0x0033, 0x002b, 0x000d, 0x002d, 0x001c };
	static const uint16_t want_groups[] = { 0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104 };

	chn = unhex(rfc8448_ch_hex, m, sizeof(m));
	shn = unhex(rfc8448_sh_hex, m + chn, sizeof(m) - chn);
	assert_int_equal(chn, 196);
	assert_int_equal(shn, 90);
	/* The transcription, checked against the RFC's own "c hs traffic" hash of ClientHello..ServerHello. */
	digest_hex(EVP_sha256(), m, chn + shn, h, 64);
	assert_string_equal(h, "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");

	assert_int_equal(tls_parse_client_hello(cur_make(m, chn), &ch), TLS_HELLO_OK);
	assert_int_equal(ch.size, 196);
	assert_int_equal(ch.legacy_version, 0x0303);
	assert_int_equal(ch.version, 0x0304);
	assert_int_equal(ch.random[0], 0xcb);
	assert_int_equal(ch.random[31], 0xe7);
	assert_int_equal(ch.session_id_len, 0);
	assert_int_equal(ch.n_cipher_suites, 3);
	assert_int_equal(ch.cipher_suites[0], 0x1301);   /* TLS_AES_128_GCM_SHA256 */
	assert_int_equal(ch.cipher_suites[1], 0x1303);   /* TLS_CHACHA20_POLY1305_SHA256 */
	assert_int_equal(ch.cipher_suites[2], 0x1302);   /* TLS_AES_256_GCM_SHA384 */
	assert_int_equal(ch.n_compression, 1);
	assert_int_equal(ch.compression_null, 1);
	assert_int_equal(ch.n_extensions, N(want_ext));
	assert_memory_equal(ch.extensions, want_ext, sizeof(want_ext));
	assert_int_equal(ch.has_sni, 1);
	assert_int_equal(ch.sni_len, 6);
	assert_memory_equal(ch.sni, "server", 6);
	assert_int_equal(ch.sni_bad_name, 0);
	assert_int_equal(ch.n_groups, N(want_groups));
	assert_memory_equal(ch.groups, want_groups, sizeof(want_groups));
	assert_int_equal(ch.n_key_shares, 1);
	assert_int_equal(ch.key_share_groups[0], 0x001d);  /* x25519 */
	assert_int_equal(ch.key_share_lens[0], 32);
	assert_int_equal(ch.n_versions, 1);
	assert_int_equal(ch.versions[0], 0x0304);
	assert_int_equal(ch.n_sigalgs, 15);
	assert_int_equal(ch.sigalgs[0], 0x0403);
	assert_int_equal(ch.sigalgs[14], 0x0202);
	assert_int_equal(ch.psk_modes, 1u << 1);         /* psk_dhe_ke */
	assert_int_equal(ch.has_session_ticket, 1);
	assert_int_equal(ch.session_ticket_len, 0);
	assert_int_equal(ch.has_psk, 0);
	assert_int_equal(ch.n_alpn, 0);
	assert_int_equal(ch.grease, 0);
	/* Cross-checked with an independent script written from the two definitions. */
	assert_string_equal(ch.ja3, "771,4865-4867-4866,0-65281-10-35-51-43-13-45-28,29-23-24-25-256-257-258-259-260,");
	assert_string_equal(ch.ja3_md5, "da4dea34fe6d4ce5f0725df3f2682fa0");
	assert_string_equal(ch.ja4, "t13d030900_55b375c5d22e_59cd3dafc54d");

	assert_int_equal(tls_parse_server_hello(cur_make(m + chn, shn), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.size, 90);
	assert_int_equal(sh.legacy_version, 0x0303);
	assert_int_equal(sh.selected_version, 0x0304);
	assert_int_equal(sh.version, 0x0304);
	assert_int_equal(sh.is_hrr, 0);
	assert_int_equal(sh.downgrade, 0);
	assert_int_equal(sh.cipher_suite, 0x1301);
	assert_int_equal(sh.has_key_share, 1);
	assert_int_equal(sh.key_share_group, 0x001d);
	assert_int_equal(sh.key_share_len, 32);
	assert_int_equal(sh.has_psk, 0);
	assert_int_equal(sh.n_extensions, 2);
	assert_int_equal(sh.extensions[0], 0x0033);
	assert_int_equal(sh.extensions[1], 0x002b);
	assert_int_equal(tls_hello_session_resumed(&ch, &sh), 0);
}

/* ---- HelloRetryRequest ---- */

static void test_hrr_random(void **state)
{
	(void)state;
	char h[65];
	struct tls_server_hello sh;

	/* RFC 8446 4.1.3: the special random is SHA-256("HelloRetryRequest"). */
	digest_hex(EVP_sha256(), "HelloRetryRequest", 17, h, 64);
	assert_string_equal(h, "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

	/* Built by hand: TLS 1.3, selected_group secp256r1, a cookie. */
	B.n = 0, B.depth = 0;
	b_u8(&B, 2);
	b_open(&B, 3);
	b_u16(&B, 0x0303);
	B.n += unhex(h, B.b + B.n, 32);
	b_u8(&B, 32);
	b_fill(&B, 0x22, 32);
	b_u16(&B, 0x1301);
	b_u8(&B, 0);
	b_open(&B, 2);
	b_u16(&B, 0x002b); b_u16(&B, 2); b_u16(&B, 0x0304);
	b_u16(&B, 0x0033); b_u16(&B, 2); b_u16(&B, 0x0017);
	b_u16(&B, 0x002c); b_open(&B, 2); b_open(&B, 2); b_fill(&B, 0x77, 20); b_close(&B); b_close(&B);
	b_close(&B);
	b_close(&B);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.is_hrr, 1);
	assert_int_equal(sh.version, 0x0304);
	assert_int_equal(sh.has_key_share, 1);
	assert_int_equal(sh.key_share_group, 0x0017);
	assert_int_equal(sh.key_share_len, 0);
	assert_int_equal(sh.has_cookie, 1);
	assert_int_equal(sh.session_id_len, 32);

	/* One random byte off: an ordinary ServerHello, whose key_share then lacks its key. */
	B.b[6 + 31] ^= 1;
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	assert_int_equal(sh.is_hrr, 0);
	assert_non_null(sh.error);
}

/* The real round trip: P-256 share, server wants X25519, second ClientHello parsed the same way. */
static void test_hrr_real(void **state)
{
	(void)state;
	struct tls_client_hello c1, c2;
	struct tls_server_hello hrr, sh;

	assert_int_equal(tls_parse_client_hello(cur_make(hrr_ch1, sizeof(hrr_ch1)), &c1), TLS_HELLO_OK);
	assert_int_equal(c1.n_key_shares, 1);
	assert_int_equal(c1.key_share_groups[0], 0x0017);
	assert_int_equal(c1.key_share_lens[0], 65);
	assert_int_equal(tls_parse_server_hello(cur_make(hrr_sh, sizeof(hrr_sh)), &hrr), TLS_HELLO_OK);
	assert_int_equal(hrr.is_hrr, 1);
	assert_int_equal(hrr.key_share_group, 0x001d);
	assert_int_equal(hrr.version, 0x0304);
	assert_int_equal(hrr.cipher_suite, 0x1302);
	assert_int_equal(tls_hello_session_resumed(&c1, &hrr), 0);
	assert_int_equal(tls_parse_client_hello(cur_make(hrr_ch2, sizeof(hrr_ch2)), &c2), TLS_HELLO_OK);
	assert_int_equal(c2.key_share_groups[0], 0x001d);
	assert_memory_equal(c1.random, c2.random, 32);
	/* tshark: both a4cb0a2566ce0ad47dcd4e59ad18f66e; the key share is not in JA3 or JA4. */
	assert_string_equal(c1.ja3_md5, "a4cb0a2566ce0ad47dcd4e59ad18f66e");
	assert_string_equal(c2.ja3_md5, c1.ja3_md5);
	assert_string_equal(c2.ja4, c1.ja4);
	assert_int_equal(tls_parse_server_hello(cur_make(hrr_sh2, sizeof(hrr_sh2)), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.is_hrr, 0);
	assert_int_equal(sh.key_share_group, 0x001d);
	assert_int_equal(sh.key_share_len, 32);
}

/* ---- the captured hellos against tshark's JA3 ---- */

struct real {
	const char *name;
	const uint8_t *m;
	size_t n;
	const char *ja3_md5;   /* tshark 4.0 tls.handshake.ja3 */
	const char *ja4;       /* an independent script from JA4.md; see test_real_hellos */
	const char *sni;
};

static const struct real reals[] = {
	{ "openssl 1.3", ossl13_ch, sizeof(ossl13_ch), "5a1edc7f170af1014fc65c994878e63c",
	  "t13d3111h2_e8f1e7e78f70_1f22a2ca17c4", "test.example" },
	{ "curl 1.3", curl13_ch, sizeof(curl13_ch), "0149f47eabf9a20d0893e2a44e5a6323",
	  "t13d3112h1_e8f1e7e78f70_b26ce05bbdd6", "localhost" },
	{ "curl 1.2", curl12_ch, sizeof(curl12_ch), "a800670a9e75f9768d052dd7f0be5728",
	  "t12i2806h2_d943125447b4_a44c6288192a", NULL },
	{ "openssl 1.2", ossl12_ch, sizeof(ossl12_ch), "871a754af286dfb70c1b53c6887c62e0",
	  "t12d280700_d943125447b4_e7e480e5a997", "www.example.org" },
	{ "hrr 1", hrr_ch1, sizeof(hrr_ch1), "a4cb0a2566ce0ad47dcd4e59ad18f66e",
	  "t13d311000_e8f1e7e78f70_1f22a2ca17c4", "hrr.example" },
	{ "hrr 2", hrr_ch2, sizeof(hrr_ch2), "a4cb0a2566ce0ad47dcd4e59ad18f66e",
	  "t13d311000_e8f1e7e78f70_1f22a2ca17c4", "hrr.example" },
};

static void test_real_hellos(void **state)
{
	(void)state;
	struct tls_client_hello ch;

	/*
	 * tshark 4.0 has no JA4 field. The JA4 strings here come from a short
	 * Python script written separately from JA4.md (it reproduces the
	 * spec's examples); and curl 7.88 with OpenSSL 3.0 is a widely published
	 * fingerprint, t13d3112h2_e8f1e7e78f70_b26ce05bbdd6 with ALPN h2: its b
	 * and c parts are the ones here (this run used --http1.1).
	 */
	for (size_t i = 0; i < N(reals); i++) {
		const struct real *r = &reals[i];
		assert_int_equal(tls_parse_client_hello(cur_make(r->m, r->n), &ch), TLS_HELLO_OK);
		assert_int_equal(ch.size, r->n);
		assert_string_equal(ch.ja3_md5, r->ja3_md5);
		assert_string_equal(ch.ja4, r->ja4);
		assert_int_equal(ch.has_sni, r->sni != NULL);
		if (r->sni != NULL) {
			assert_int_equal(ch.sni_len, strlen(r->sni));
			assert_memory_equal(ch.sni, r->sni, ch.sni_len);
			assert_int_equal(ch.sni_bad_name, 0);
		}
		assert_int_equal(ch.sni_is_ech_public, 0);
	}

	/* tshark's ja3_full for the openssl 1.3 hello. */
	assert_int_equal(tls_parse_client_hello(cur_make(ossl13_ch, sizeof(ossl13_ch)), &ch), TLS_HELLO_OK);
	assert_string_equal(ch.ja3, "771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-"
				    "49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,"
				    "0-11-10-35-16-22-23-13-43-45-51,29-23-30-25-24-256-257-258-259-260,0-1-2");
	assert_int_equal(ch.n_alpn, 2);
	assert_int_equal(ch.alpn[0].len, 2);
	assert_memory_equal(ch.alpn[0].name, "h2", 2);
	assert_int_equal(ch.alpn[1].len, 8);
	assert_memory_equal(ch.alpn[1].name, "http/1.1", 8);
	assert_int_equal(ch.n_versions, 4);
	assert_int_equal(ch.versions[0], 0x0304);
	assert_int_equal(ch.version, 0x0304);
	assert_int_equal(ch.session_id_len, 32);   /* middlebox compatibility mode */
	assert_int_equal(ch.key_share_groups[0], 0x001d);
	assert_int_equal(ch.cipher_suites_total, 31);
	assert_int_equal(ch.n_point_formats, 3);

	/* curl -tls-max 1.2 to an address: no SNI, no supported_versions. */
	assert_int_equal(tls_parse_client_hello(cur_make(curl12_ch, sizeof(curl12_ch)), &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_supported_versions, 0);
	assert_int_equal(ch.version, 0x0303);
	assert_int_equal(ch.has_key_share, 0);
	assert_int_equal(ch.session_id_len, 0);
}

static void test_server_hello_tls12(void **state)
{
	(void)state;
	struct tls_server_hello sh;
	struct tls_client_hello ch;

	/* A TLS 1.3-capable s_server answering curl --tls-max 1.2. */
	assert_int_equal(tls_parse_server_hello(cur_make(tls12_sh, sizeof(tls12_sh)), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.version, 0x0303);
	assert_int_equal(sh.selected_version, 0);
	assert_int_equal(sh.cipher_suite, 0xc02c);
	assert_int_equal(sh.downgrade, 2);           /* "DOWNGRD" 01 */
	assert_int_equal(sh.has_ems, 1);
	assert_int_equal(sh.has_renegotiation_info, 1);
	assert_int_equal(sh.has_key_share, 0);
	assert_int_equal(sh.session_id_len, 32);
	assert_int_equal(sh.n_extensions, 3);
	assert_int_equal(tls_parse_client_hello(cur_make(curl12_ch, sizeof(curl12_ch)), &ch), TLS_HELLO_OK);
	assert_int_equal(tls_hello_session_resumed(&ch, &sh), 0);   /* the client offered no id */

	/* The same ServerHello echoing the client's id: an abbreviated (resumed) handshake. */
	ch.session_id_len = 32;
	memcpy(ch.session_id, sh.session_id, 32);
	assert_int_equal(tls_hello_session_resumed(&ch, &sh), 1);
	ch.session_id[5] ^= 1;
	assert_int_equal(tls_hello_session_resumed(&ch, &sh), 0);

	/* TLS 1.3 echoes the id always: not a resumption signal there. */
	assert_int_equal(tls_parse_server_hello(cur_make(ossl13_sh, sizeof(ossl13_sh)), &sh), TLS_HELLO_OK);
	assert_int_equal(tls_parse_client_hello(cur_make(ossl13_ch, sizeof(ossl13_ch)), &ch), TLS_HELLO_OK);
	assert_memory_equal(sh.session_id, ch.session_id, 32);
	assert_int_equal(sh.version, 0x0304);
	assert_int_equal(sh.cipher_suite, 0x1302);
	assert_int_equal(sh.key_share_group, 0x001d);
	assert_int_equal(tls_hello_session_resumed(&ch, &sh), 0);

	/* A ServerHello with no extensions block at all (TLS 1.0). */
	B.n = 0, B.depth = 0;
	b_u8(&B, 2); b_open(&B, 3); b_u16(&B, 0x0301); b_fill(&B, 0x99, 32); b_u8(&B, 0);
	b_u16(&B, 0x002f); b_u8(&B, 0); b_close(&B);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.has_extensions, 0);
	assert_int_equal(sh.version, 0x0301);
	assert_int_equal(sh.downgrade, 0);
}

/* TLS 1.3 resumption: pre_shared_key accepted, ALPN selected. */
static void test_server_hello_psk_alpn(void **state)
{
	(void)state;
	struct tls_server_hello sh;

	B.n = 0, B.depth = 0;
	b_u8(&B, 2); b_open(&B, 3); b_u16(&B, 0x0303); b_fill(&B, 0x42, 32); b_u8(&B, 0);
	b_u16(&B, 0x1301); b_u8(&B, 0);
	b_open(&B, 2);
	b_u16(&B, 0x002b); b_u16(&B, 2); b_u16(&B, 0x0304);
	b_u16(&B, 0x0029); b_u16(&B, 2); b_u16(&B, 0);
	b_u16(&B, 0x0010); b_open(&B, 2); b_open(&B, 2); b_u8(&B, 2); b_bytes(&B, "h2", 2); b_close(&B); b_close(&B);
	b_close(&B);
	b_close(&B);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.has_psk, 1);
	assert_int_equal(sh.psk_identity, 0);
	assert_int_equal(sh.has_alpn, 1);
	assert_int_equal(sh.alpn.len, 2);
	assert_memory_equal(sh.alpn.name, "h2", 2);
	assert_int_equal(sh.has_key_share, 0);   /* psk_ke */
}

/* ---- SSLv2-compatible CLIENT-HELLO (RFC 5246 E.2) ---- */

static void test_sslv2(void **state)
{
	(void)state;
	static const uint8_t v2[] = {
		0x80, 0x2e,                     /* 2-byte header, 46 bytes */
		0x01,                           /* CLIENT-HELLO */
		0x03, 0x01,                     /* TLS 1.0 */
		0x00, 0x15, 0x00, 0x00, 0x00, 0x10,   /* 21 bytes of specs, no session id, 16-byte challenge */
		0x00, 0x00, 0x39, 0x00, 0x00, 0x38, 0x00, 0x00, 0x35, 0x00, 0x00, 0x16,
		0x00, 0x00, 0x13, 0x00, 0x00, 0x0a,
		0x07, 0x00, 0xc0,               /* SSL_CK_DES_192_EDE3_CBC_WITH_MD5: SSLv2 only */
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	};
	struct tls_client_hello ch;
	uint8_t buf[sizeof(v2) + 3];

	assert_int_equal(tls_hello_sslv2_sniff(cur_make(v2, sizeof(v2))), 1);
	assert_int_equal(tls_hello_sslv2_sniff(cur_make(v2, 3)), -1);
	assert_int_equal(tls_hello_sslv2_sniff(cur_make(v2, 4)), 1);
	assert_int_equal(tls_hello_sslv2_sniff(cur_make(ossl13_ch, sizeof(ossl13_ch))), 0);
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(v2, sizeof(v2)), &ch), TLS_HELLO_OK);
	assert_int_equal(ch.sslv2, 1);
	assert_int_equal(ch.size, sizeof(v2));
	assert_int_equal(ch.legacy_version, 0x0301);
	assert_int_equal(ch.version, 0x0301);
	assert_int_equal(ch.n_cipher_suites, 6);
	assert_int_equal(ch.cipher_suites[0], 0x0039);
	assert_int_equal(ch.cipher_suites[5], 0x000a);
	assert_int_equal(ch.sslv2_only_specs, 1);
	assert_int_equal(ch.has_extensions, 0);
	/* The challenge is the random, right-aligned, zero-padded. */
	for (int i = 0; i < 16; i++)
		assert_int_equal(ch.random[i], 0);
	assert_int_equal(ch.random[16], 0xa0);
	assert_int_equal(ch.random[31], 0xaf);
	/* JA3 "769,57-56-53-22-19-10,,," (MD5 by python3 hashlib); JA4 over the TLS suites, no extensions. */
	assert_string_equal(ch.ja3, "769,57-56-53-22-19-10,,,");
	assert_string_equal(ch.ja3_md5, "39ccaaecb542c31fd4d874236aea4cd4");
	/* sha256("000a,0013,0016,0035,0038,0039")[:12] = d1c78fd4a0cc */
	assert_string_equal(ch.ja4, "t10i060000_d1c78fd4a0cc_000000000000");

	/* Every prefix is a truncation. */
	for (size_t n = 0; n < sizeof(v2); n++) {
		uint8_t *p = malloc(n ? n : 1);
		memcpy(p, v2, n);
		assert_int_equal(tls_parse_sslv2_client_hello(cur_make(p, n), &ch), TLS_HELLO_TRUNCATED);
		assert_null(ch.error);
		free(p);
	}
	/* Bytes after the record are the next record's. */
	memcpy(buf, v2, sizeof(v2));
	memset(buf + sizeof(v2), 0x16, 3);
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(buf, sizeof(buf)), &ch), TLS_HELLO_OK);
	/* Wrong: a spec length not a multiple of 3, a short challenge, a 3-byte header, not CLIENT-HELLO. */
	memcpy(buf, v2, sizeof(v2));
	buf[6] = 0x14;
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(buf, sizeof(v2)), &ch), TLS_HELLO_INVALID);
	assert_non_null(strstr(ch.error, "cipher_spec_length"));
	memcpy(buf, v2, sizeof(v2));
	buf[10] = 8;
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(buf, sizeof(v2)), &ch), TLS_HELLO_INVALID);
	assert_non_null(strstr(ch.error, "challenge"));
	memcpy(buf, v2, sizeof(v2));
	buf[0] = 0x00;
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(buf, sizeof(v2)), &ch), TLS_HELLO_INVALID);
	memcpy(buf, v2, sizeof(v2));
	buf[2] = 0x04;
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(buf, sizeof(v2)), &ch), TLS_HELLO_INVALID);
	/* The header says 47 but the fields add up to 46: bytes over. */
	memcpy(buf, v2, sizeof(v2));
	buf[1] = 0x2f;
	buf[sizeof(v2)] = 0;
	assert_int_equal(tls_parse_sslv2_client_hello(cur_make(buf, sizeof(v2) + 1), &ch), TLS_HELLO_INVALID);
	assert_non_null(strstr(ch.error, "after"));
}

/* ---- pre-standard TLS 1.3: drafts 14-28, Google's experiments ---- */

/* A message built into m (a copy of B): every prefix is a truncation, every byte changed any
 * status but never a crash, bytes after it are the next message's. */
static void prefixes_and_flips(int server)
{
	static uint8_t m[2048];
	const size_t n = B.n;
	struct tls_server_hello sh;
	struct tls_client_hello ch;
	int rc;

	assert_true(n <= sizeof(m) - 9);
	memcpy(m, B.b, n);
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = malloc(k ? k : 1);
		memcpy(p, m, k);
		rc = server ? tls_parse_server_hello(cur_make(p, k), &sh) : tls_parse_client_hello(cur_make(p, k), &ch);
		assert_int_equal(rc, TLS_HELLO_TRUNCATED);
		assert_null(server ? sh.error : ch.error);
		free(p);
	}
	for (size_t at = 0; at < n; at++) {
		for (unsigned f = 1; f < 256; f <<= 1) {
			m[at] ^= (uint8_t)f;
			rc = server ? tls_parse_server_hello(cur_make(m, n), &sh) : tls_parse_client_hello(cur_make(m, n), &ch);
			assert_true(rc >= TLS_HELLO_OK && rc <= TLS_HELLO_INVALID);
			assert_int_equal(rc == TLS_HELLO_INVALID, (server ? sh.error : ch.error) != NULL);
			m[at] ^= (uint8_t)f;
		}
	}
	memset(m + n, 0x16, 9);
	rc = server ? tls_parse_server_hello(cur_make(m, n + 9), &sh) : tls_parse_client_hello(cur_make(m, n + 9), &ch);
	assert_int_equal(rc, TLS_HELLO_OK);
}

/* key_share's entry: a group and a 32-byte key (ServerHello), or the group alone (HelloRetryRequest). */
static void b_key_share(uint16_t ext, uint16_t group, int with_key)
{
	b_u16(&B, ext);
	b_open(&B, 2);
	b_u16(&B, group);
	if (with_key) {
		b_open(&B, 2);
		b_fill(&B, 0x5a, 32);
		b_close(&B);
	}
	b_close(&B);
}

/* Drafts 14-21: version, random, cipher_suite, extensions (key_share 40). */
static void b_draft_sh(uint16_t version, uint16_t ks_ext)
{
	B.n = 0, B.depth = 0;
	b_u8(&B, 2);
	b_open(&B, 3);
	b_u16(&B, version);
	b_fill(&B, 0x11, 32);
	b_u16(&B, 0x1301);
	b_open(&B, 2);
	b_key_share(ks_ext, 0x001d, 1);
	b_close(&B);
	b_close(&B);
}

/* Draft 22 on, the experiments: TLS 1.2's layout, the version in supported_versions (first or last). */
static void b_compat_sh(uint16_t version, uint16_t ks_ext, int versions_first)
{
	B.n = 0, B.depth = 0;
	b_u8(&B, 2);
	b_open(&B, 3);
	b_u16(&B, 0x0303);
	b_fill(&B, 0x11, 32);
	b_u8(&B, 32);
	b_fill(&B, 0x22, 32);
	b_u16(&B, 0x1301);
	b_u8(&B, 0);
	b_open(&B, 2);
	if (versions_first) {
		b_u16(&B, 0x002b); b_u16(&B, 2); b_u16(&B, version);
	}
	b_key_share(ks_ext, 0x001d, 1);
	if (!versions_first) {
		b_u16(&B, 0x002b); b_u16(&B, 2); b_u16(&B, version);
	}
	b_close(&B);
	b_close(&B);
}

static void test_tls13_versions(void **state)
{
	(void)state;
	static const uint16_t yes[] = { 0x0304, 0x7f0e, 0x7f12, 0x7f16, 0x7f1c, 0x7e01, 0x7e02, 0x7e03 };
	static const uint16_t no[] = { 0x0002, 0x0300, 0x0303, 0x0305, 0x7f0d, 0x7f1d, 0x7e00, 0x7e04, 0x7f00, 0xfefc };

	for (size_t i = 0; i < N(yes); i++)
		assert_int_equal(tls_version_is_13(yes[i]), 1);
	for (size_t i = 0; i < N(no); i++)
		assert_int_equal(tls_version_is_13(no[i]), 0);
}

static void test_draft_server_hello_old_layout(void **state)
{
	(void)state;
	struct tls_server_hello sh;

	/* draft 18: the cipher suite right after the random; key_share is extension 40 */
	b_draft_sh(0x7f12, 0x0028);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.draft_layout, 1);
	assert_int_equal(sh.legacy_version, 0x7f12);
	assert_int_equal(sh.version, 0x7f12);
	assert_int_equal(sh.selected_version, 0);
	assert_int_equal(sh.session_id_len, 0);
	assert_int_equal(sh.cipher_suite, 0x1301);
	assert_int_equal(sh.compression, 0);
	assert_int_equal(sh.is_hrr, 0);
	assert_int_equal(sh.hrr_message, 0);
	assert_int_equal(sh.has_key_share, 1);
	assert_int_equal(sh.key_share_group, 0x001d);
	assert_int_equal(sh.key_share_len, 32);
	assert_int_equal(sh.n_extensions, 1);
	assert_int_equal(sh.extensions[0], 0x0028);
	assert_int_equal(sh.size, B.n);
	prefixes_and_flips(1);

	/* the first and last drafts of that layout */
	b_draft_sh(0x7f0e, 0x0028);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.draft_layout, 1);
	b_draft_sh(0x7f15, 0x0028);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.cipher_suite, 0x1301);
	assert_int_equal(sh.key_share_group, 0x001d);
	/* not before draft 14, not from draft 22 on: TLS 1.2's layout, which these bytes do not fit */
	b_draft_sh(0x7f0d, 0x0028);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	assert_int_equal(sh.draft_layout, 0);
	b_draft_sh(0x7f16, 0x0028);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	assert_int_equal(sh.draft_layout, 0);

	/* a byte after the extensions; a key_share one byte short */
	b_draft_sh(0x7f12, 0x0028);
	B.b[3]++;
	B.b[B.n++] = 0;
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	assert_non_null(strstr(sh.error, "after the extensions"));
	b_draft_sh(0x7f12, 0x0028);
	B.b[4 + 2 + 32 + 2 + 2 + 2 + 2 + 2 + 1]++;   /* the key's length: it overruns its extension */
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	assert_non_null(strstr(sh.error, "key_share"));
	assert_int_equal(sh.cipher_suite, 0x1301);
}

static void test_draft_server_hello_compat_layout(void **state)
{
	(void)state;
	struct tls_server_hello sh;

	/* draft 23: key_share 51 */
	b_compat_sh(0x7f17, 0x0033, 0);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.draft_layout, 0);
	assert_int_equal(sh.legacy_version, 0x0303);
	assert_int_equal(sh.version, 0x7f17);
	assert_int_equal(sh.session_id_len, 32);
	assert_int_equal(sh.cipher_suite, 0x1301);
	assert_int_equal(sh.key_share_group, 0x001d);
	prefixes_and_flips(1);
	/* ... where extension 40 is no key_share any more */
	b_compat_sh(0x7f17, 0x0028, 0);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.has_key_share, 0);

	/* draft 22 and the experiments: key_share 40, before or after supported_versions */
	for (int first = 0; first < 2; first++) {
		static const uint16_t v[] = { 0x7f16, 0x7e01, 0x7e02, 0x7e03 };
		for (size_t i = 0; i < N(v); i++) {
			b_compat_sh(v[i], 0x0028, first);
			assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
			assert_int_equal(sh.version, v[i]);
			assert_int_equal(sh.has_key_share, 1);
			assert_int_equal(sh.key_share_group, 0x001d);
			assert_int_equal(sh.key_share_len, 32);
		}
	}
	b_compat_sh(0x7e02, 0x0028, 1);
	prefixes_and_flips(1);

	/* TLS 1.2 and final TLS 1.3 never read extension 40 */
	b_compat_sh(0x0304, 0x0028, 0);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.has_key_share, 0);
	b_compat_sh(0x0303, 0x0028, 1);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.has_key_share, 0);
	/* an extension 40 that does not parse, in an experiment's: the field named */
	b_compat_sh(0x7e02, 0x0028, 1);
	B.b[B.n - 33]++;    /* the key's length: one more than there is */
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	assert_non_null(strstr(sh.error, "key_share"));
}

/* A HelloRetryRequest of type 6 (drafts before 22) for x25519, with a cipher suite (drafts 19-21). */
static void b_hrr6(uint16_t version, int cipher)
{
	B.n = 0, B.depth = 0;
	b_u8(&B, 6);
	b_open(&B, 3);
	b_u16(&B, version);
	if (cipher)
		b_u16(&B, 0x1302);
	b_open(&B, 2);
	b_key_share(0x0028, 0x001d, 0);
	b_u16(&B, 0x002c); b_open(&B, 2); b_open(&B, 2); b_fill(&B, 0x77, 8); b_close(&B); b_close(&B);
	b_close(&B);
	b_close(&B);
}

static void test_draft_hello_retry_request(void **state)
{
	(void)state;
	static const struct { uint16_t v; int cipher; } ok[] = {
		{ 0x7f10, 0 }, { 0x7f12, 0 }, { 0x7e01, 0 }, { 0x7e02, 0 }, { 0x7e03, 0 },
		{ 0x7f13, 1 }, { 0x7f15, 1 },
	};
	struct tls_server_hello sh;
	char h[65];

	for (size_t i = 0; i < N(ok); i++) {
		b_hrr6(ok[i].v, ok[i].cipher);
		assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
		assert_int_equal(sh.hrr_message, 1);
		assert_int_equal(sh.is_hrr, 1);
		assert_int_equal(sh.version, ok[i].v);
		assert_int_equal(sh.cipher_suite, ok[i].cipher ? 0x1302 : 0);
		assert_int_equal(sh.has_key_share, 1);
		assert_int_equal(sh.key_share_group, 0x001d);
		assert_int_equal(sh.has_cookie, 1);
		assert_int_equal(sh.n_extensions, 2);
		prefixes_and_flips(1);
	}
	/* the layouts crossed: draft 21's bytes as draft 18's and the reverse do not parse */
	b_hrr6(0x7f12, 1);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	b_hrr6(0x7f15, 0);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_INVALID);
	/* a version whose layout is not known here: its version only */
	b_hrr6(0x7f0f, 0);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.is_hrr, 1);
	assert_int_equal(sh.version, 0x7f0f);
	assert_int_equal(sh.has_key_share, 0);

	/* draft 22's: a ServerHello with the special random, key_share still extension 40 */
	digest_hex(EVP_sha256(), "HelloRetryRequest", 17, h, 64);
	B.n = 0, B.depth = 0;
	b_u8(&B, 2);
	b_open(&B, 3);
	b_u16(&B, 0x0303);
	B.n += unhex(h, B.b + B.n, 32);
	b_u8(&B, 0);
	b_u16(&B, 0x1301);
	b_u8(&B, 0);
	b_open(&B, 2);
	b_key_share(0x0028, 0x0017, 0);
	b_u16(&B, 0x002b); b_u16(&B, 2); b_u16(&B, 0x7f16);
	b_close(&B);
	b_close(&B);
	assert_int_equal(tls_parse_server_hello(cur_make(B.b, B.n), &sh), TLS_HELLO_OK);
	assert_int_equal(sh.is_hrr, 1);
	assert_int_equal(sh.hrr_message, 0);
	assert_int_equal(sh.version, 0x7f16);
	assert_int_equal(sh.key_share_group, 0x0017);
	prefixes_and_flips(1);
}

/* A ClientHello's key_share is extension 40 when the highest version it offers uses that. */
static void test_draft_client_hello_key_share(void **state)
{
	(void)state;
	static const uint16_t exts40[] = { 0x002b, 0x0028 }, exts_both[] = { 0x0028, 0x002b, 0x0033 };
	static const uint16_t v18[] = { 0x7f12, 0x0303 }, vexp[] = { 0x2a2a, 0x7e02, 0x0303 },
			      v23[] = { 0x7f17, 0x7f12, 0x0303 }, v13[] = { 0x0304, 0x0303 }, x[] = { 0x001d };
	static const uint16_t ciphers[] = { 0x1301 };
	struct prof p = { 0, ciphers, 1, exts40, N(exts40), 0, NULL, 0, NULL, 0, NULL, 0, v18, N(v18),
			  NULL, 0, x, 1, 0, 0 };
	struct tls_client_hello ch;

	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.version, 0x7f12);
	assert_int_equal(ch.has_key_share, 1);
	assert_int_equal(ch.n_key_shares, 1);
	assert_int_equal(ch.key_share_groups[0], 0x001d);
	prefixes_and_flips(0);
	p.versions = vexp, p.nver = N(vexp);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.version, 0x7e02);
	assert_int_equal(ch.key_share_groups[0], 0x001d);
	/* a version of key_share 51: 40 is not one */
	p.versions = v23, p.nver = N(v23);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_key_share, 0);
	p.versions = v13, p.nver = N(v13);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_key_share, 0);
	/* both sent: 51 is the one read */
	p.versions = v18, p.nver = N(v18), p.exts = exts_both, p.ne = N(exts_both);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.n_key_shares, 1);
	assert_int_equal(ch.extensions[0], 0x0028);
}

/* ---- SSL 2.0 SERVER-HELLO (draft-hickman-netscape-ssl-00) ---- */

/* A SERVER-HELLO with a 5-byte "certificate", the given cipher kinds and a 16-byte connection id. */
static void b_v2_server_hello(uint8_t hit, size_t cert_len, const uint32_t *kinds, size_t nk)
{
	B.n = 0, B.depth = 0;
	b_u16(&B, 0);          /* the header, patched below */
	b_u8(&B, 4);
	b_u8(&B, hit);
	b_u8(&B, cert_len ? 1 : 0);
	b_u16(&B, 0x0002);
	b_u16(&B, (unsigned)cert_len);
	b_u16(&B, (unsigned)(3 * nk));
	b_u16(&B, 16);
	b_fill(&B, 0x30, cert_len);
	for (size_t i = 0; i < nk; i++) {
		b_u8(&B, kinds[i] >> 16);
		b_u16(&B, kinds[i] & 0xffff);
	}
	b_fill(&B, 0xc1, 16);
	B.b[0] = (uint8_t)(0x80 | (B.n - 2) >> 8);
	B.b[1] = (uint8_t)(B.n - 2);
}

static int v2_parse(size_t n, struct tls_sslv2_server_hello *h)
{
	return tls_parse_sslv2_server_hello(cur_make(B.b, n), h);
}

static void expect_v2_invalid(size_t n, const char *field)
{
	struct tls_sslv2_server_hello h;

	assert_int_equal(v2_parse(n, &h), TLS_HELLO_INVALID);
	assert_non_null(h.error);
	if (strstr(h.error, field) == NULL)
		fail_msg("error \"%s\" does not name \"%s\"", h.error, field);
}

static void test_sslv2_server_hello(void **state)
{
	(void)state;
	static const uint32_t kinds[] = { 0x010080, 0x020080, 0x0700c0 };
	struct tls_sslv2_server_hello h;
	size_t n;

	b_v2_server_hello(0, 5, kinds, N(kinds));
	n = B.n;
	assert_int_equal(n, 2 + 11 + 5 + 9 + 16);
	assert_int_equal(tls_sslv2_server_sniff(cur_make(B.b, n)), 1);
	assert_int_equal(v2_parse(n, &h), TLS_HELLO_OK);
	assert_null(h.error);
	assert_int_equal(h.size, n);
	assert_int_equal(h.version, 0x0002);
	assert_int_equal(h.session_id_hit, 0);
	assert_int_equal(h.cert_type, 1);
	assert_int_equal(h.cert_len, 5);
	assert_int_equal(h.conn_id_len, 16);
	assert_int_equal(h.n_specs, 3);
	assert_int_equal(h.specs_total, 3);
	assert_int_equal(h.specs[0], 0x010080);
	assert_int_equal(h.specs[2], 0x0700c0);
	assert_int_equal(h.cert_whole, 1);
	assert_int_equal(h.cert_off, 13);
	assert_int_equal(B.b[h.cert_off], 0x30);
	assert_string_equal(tls_sslv2_cipher_name(h.specs[0]), "SSL_CK_RC4_128_WITH_MD5");
	assert_string_equal(tls_sslv2_cipher_name(0x0700c0), "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");
	assert_string_equal(tls_sslv2_cipher_name(0x060040), "SSL_CK_DES_64_CBC_WITH_MD5");
	assert_null(tls_sslv2_cipher_name(0x0700c1));
	assert_null(tls_sslv2_cipher_name(0x00002f));

	/* every prefix is a truncation, with what was read so far; the certificate whole or not */
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = malloc(k ? k : 1);
		memcpy(p, B.b, k);
		assert_int_equal(tls_parse_sslv2_server_hello(cur_make(p, k), &h), TLS_HELLO_TRUNCATED);
		assert_null(h.error);
		assert_int_equal(h.cert_whole, k >= 13 + 5);
		if (k >= 2)
			assert_int_equal(h.size, n);
		if (k >= 7)
			assert_int_equal(h.version, 0x0002);
		assert_int_equal(h.n_specs, k < 18 ? 0 : (k - 18) / 3 < 3 ? (k - 18) / 3 : 3);
		assert_int_equal(tls_sslv2_server_sniff(cur_make(p, k)), k == 0 || k < 7 ? -1 : 1);
		free(p);
	}
	/* bytes after the record are the next record's */
	memset(B.b + n, 0x80, 5);
	assert_int_equal(v2_parse(n + 5, &h), TLS_HELLO_OK);

	/* wrong fields: named */
	B.b[2] = 2;
	expect_v2_invalid(n, "msg_type");
	assert_int_equal(tls_sslv2_server_sniff(cur_make(B.b, n)), 0);
	B.b[2] = 4, B.b[6] = 3;
	expect_v2_invalid(n, "server_version");
	assert_int_equal(tls_sslv2_server_sniff(cur_make(B.b, n)), 0);
	B.b[6] = 2, B.b[10] = 8;
	expect_v2_invalid(n, "multiple of 3");
	B.b[10] = 9, B.b[12] = 8;
	expect_v2_invalid(n, "connection_id_length");
	B.b[12] = 16, B.b[3] = 1;
	expect_v2_invalid(n, "session_id_hit");
	B.b[3] = 0, B.b[1]++;       /* the record one byte longer than its fields */
	B.b[n] = 0;
	expect_v2_invalid(n + 1, "after");
	B.b[1] -= 2;                /* ... one shorter: the connection id overruns it */
	expect_v2_invalid(n, "connection_id");
	B.b[1]++;
	B.b[8] = 0x40;              /* a certificate longer than the record */
	expect_v2_invalid(n, "certificate_length");
	B.b[8] = 0;
	B.b[0] &= 0x7f;             /* the 3-byte header: never a SERVER-HELLO's */
	expect_v2_invalid(n, "2-byte");
	assert_int_equal(tls_sslv2_server_sniff(cur_make(B.b, n)), 0);

	/* a session resumed: no certificate, no cipher kinds */
	b_v2_server_hello(1, 0, NULL, 0);
	assert_int_equal(v2_parse(B.n, &h), TLS_HELLO_OK);
	assert_int_equal(h.session_id_hit, 1);
	assert_int_equal(h.cert_type, 0);
	assert_int_equal(h.specs_total, 0);
	/* more cipher kinds than kept: counted */
	{
		uint32_t many[20];
		for (size_t i = 0; i < N(many); i++)
			many[i] = 0x010080 + (uint32_t)i;
		b_v2_server_hello(0, 5, many, N(many));
		assert_int_equal(v2_parse(B.n, &h), TLS_HELLO_OK);
		assert_int_equal(h.n_specs, TLS_SSLV2_MAX_SPECS);
		assert_int_equal(h.specs_total, 20);
		assert_int_equal(h.specs[15], 0x010080 + 15);
	}
	/* every byte changed: any status, never a crash (ASan) */
	b_v2_server_hello(0, 5, kinds, N(kinds));
	for (size_t at = 0; at < n; at++) {
		for (unsigned f = 1; f < 256; f <<= 1) {
			B.b[at] ^= (uint8_t)f;
			int rc = v2_parse(n, &h);
			assert_true(rc >= TLS_HELLO_OK && rc <= TLS_HELLO_INVALID);
			assert_int_equal(rc == TLS_HELLO_INVALID, h.error != NULL);
			assert_true(!h.cert_whole || h.cert_off + (size_t)h.cert_len <= n);
			B.b[at] ^= (uint8_t)f;
		}
	}
}

static void test_sslv2_records(void **state)
{
	(void)state;
	static const uint8_t two[] = { 0x80, 0x05 }, three[] = { 0x00, 0x28, 0x07 }, escape[] = { 0x7f, 0xff, 0x00 },
			     cmk[] = { 0x80, 0x10, 0x02, 0x07, 0x00, 0xc0, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
				       0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	uint8_t buf[sizeof(cmk)];
	size_t hdr = 0;
	uint32_t kind = 0;

	assert_int_equal(tls_sslv2_record_len(cur_make(two, 2), &hdr), 7);
	assert_int_equal(hdr, 2);
	assert_int_equal(tls_sslv2_record_len(cur_make(three, 3), &hdr), 3 + 0x28);
	assert_int_equal(hdr, 3);
	/* the 3-byte form's length is 14 bits: the escape bit (0x40) is not part of it */
	assert_int_equal(tls_sslv2_record_len(cur_make(escape, 3), &hdr), 3 + 0x3fff);
	assert_int_equal(tls_sslv2_record_len(cur_make(two, 1), &hdr), 0);
	assert_int_equal(tls_sslv2_record_len(cur_make(three, 2), &hdr), 0);
	assert_int_equal(tls_sslv2_record_len(cur_make(two, 0), &hdr), 0);

	/* CLIENT-MASTER-KEY: the cipher kind, when its key lengths add up to the record */
	assert_int_equal(tls_sslv2_client_master_key(cur_make(cmk, sizeof(cmk)), &kind), 1);
	assert_int_equal(kind, 0x0700c0);
	for (size_t k = 0; k < sizeof(cmk); k++)
		assert_int_equal(tls_sslv2_client_master_key(cur_make(cmk, k), &kind), 0);
	memcpy(buf, cmk, sizeof(cmk));
	buf[2] = 3;                 /* another message */
	assert_int_equal(tls_sslv2_client_master_key(cur_make(buf, sizeof(buf)), &kind), 0);
	memcpy(buf, cmk, sizeof(cmk));
	buf[11] = 2;                /* the lengths do not add up: an encrypted record */
	assert_int_equal(tls_sslv2_client_master_key(cur_make(buf, sizeof(buf)), &kind), 0);
	memcpy(buf, cmk, sizeof(cmk));
	buf[0] = 0x00, buf[1] = 0x0c, buf[2] = 0;   /* a padded record: never in clear */
	assert_int_equal(tls_sslv2_client_master_key(cur_make(buf, sizeof(buf)), &kind), 0);
}

/* ---- SNI and ECH ---- */

static void test_sni_names(void **state)
{
	(void)state;
	static char longname[300];
	static const struct { const char *name; int bad; } v[] = {
		{ "example.com", 0 }, { "a-b.example", 0 }, { "xn--bcher-kva.example", 0 }, { "localhost", 0 },
		{ "1.2.3.4", 1 }, { "example.com.", 1 }, { "-a.example", 1 }, { "a-.example", 1 },
		{ "exa_mple.com", 1 }, { "a..b", 1 }, { ".a", 1 }, { "caf\xc3\xa9.example", 1 }, { "a b", 1 },
		{ "a\nb.example", 1 }, { "::1", 1 },
	};
	static const uint16_t sni_only[] = { 0x0000 };
	struct tls_client_hello ch;
	struct prof p = spec_prof();

	p.exts = sni_only, p.ne = 1;
	for (size_t i = 0; i < N(v); i++) {
		p.sni = v[i].name;
		assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
		assert_int_equal(ch.has_sni, 1);
		assert_int_equal(ch.sni_bad_name, v[i].bad);
		assert_int_equal(ch.sni_len, strlen(v[i].name));
		assert_memory_equal(ch.sni, v[i].name, ch.sni_len);
	}
	/* 63-byte labels are fine, 64 not; over 255 bytes only the first 255 are kept. */
	memset(longname, 'a', sizeof(longname));
	memcpy(longname + 63, ".com", 5);
	p.sni = longname;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.sni_bad_name, 0);
	memset(longname, 'a', sizeof(longname));
	memcpy(longname + 64, ".com", 5);
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.sni_bad_name, 1);
	memset(longname, 'a', sizeof(longname));
	for (size_t i = 50; i < 300; i += 51)
		longname[i] = '.';
	p.sni_len = 300;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.sni_len, 300);
	assert_int_equal(ch.sni_bad_name, 1);
	assert_memory_equal(ch.sni, longname, TLS_HELLO_SNI_LEN);
	/* An empty server_name extension: SNI present for JA4, no name. */
	p.sni = NULL, p.sni_len = 0;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_sni, 1);
	assert_int_equal(ch.sni_len, 0);
	assert_int_equal(ch.sni_bad_name, 1);
	assert_int_equal(ch.ja4[3], 'd');
}

static void test_ech(void **state)
{
	(void)state;
	static const uint16_t e[] = { 0x0000, 0x0010, 0x002b, 0xfe0d, 0x000d };
	struct tls_client_hello ch;
	struct prof p = spec_prof();

	p.exts = e, p.ne = N(e), p.sni = "public.example";
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_ech, 1);
	assert_int_equal(ch.ech_type, 0);
	assert_int_equal(ch.sni_is_ech_public, 1);
	assert_memory_equal(ch.sni, "public.example", 14);
	p.ech_type = 1;   /* an inner hello, as seen decrypted */
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.has_ech, 1);
	assert_int_equal(ch.ech_type, 1);
	assert_int_equal(ch.sni_is_ech_public, 0);
}

/* Post-quantum hybrid share, PSK offer, early data, duplicate extension, capped ALPN. */
static void test_misc_fields(void **state)
{
	(void)state;
	static const uint16_t pq[] = { 0x11ec, 0x001d };
	static const uint16_t e[] = { 0x0033, 0x002a, 0x0010, 0x000a, 0x000a, 0x0029 };
	static uint8_t alpn[400];
	struct tls_client_hello ch;
	struct prof p = spec_prof();
	size_t n = 0;

	for (int i = 0; i < 10; i++) {   /* 10 values; the first 40 bytes long */
		size_t len = i == 0 ? 40 : 3;
		alpn[n++] = (uint8_t)len;
		for (size_t k = 0; k < len; k++)
			alpn[n++] = (uint8_t)('a' + i);
	}
	p.exts = e, p.ne = N(e), p.shares = pq, p.nshares = 2, p.alpn = alpn, p.alpn_len = n;
	assert_int_equal(parse_built(&p, &ch), TLS_HELLO_OK);
	assert_int_equal(ch.n_key_shares, 2);
	assert_int_equal(ch.key_share_groups[0], 0x11ec);
	assert_int_equal(ch.key_share_lens[0], 1216);
	assert_int_equal(ch.has_early_data, 1);
	assert_int_equal(ch.has_psk, 1);
	assert_int_equal(ch.psk_identities, 2);
	assert_int_equal(ch.duplicate_extension, 1);
	assert_int_equal(ch.n_groups, 3);   /* the first supported_groups only */
	assert_int_equal(ch.alpn_total, 10);
	assert_int_equal(ch.n_alpn, TLS_HELLO_MAX_ALPN);
	assert_int_equal(ch.alpn[0].len, 40);
	assert_memory_equal(ch.alpn[0].name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", TLS_HELLO_ALPN_LEN);
	assert_int_equal(ch.alpn[7].len, 3);
	assert_memory_equal(ch.ja4, "t12i1506aa_", 11);
}

/* ---- wrong bytes are INVALID, with the field named ---- */

static void expect_invalid(const uint8_t *m, size_t n, const char *field)
{
	struct tls_client_hello ch;
	assert_int_equal(tls_parse_client_hello(cur_make(m, n), &ch), TLS_HELLO_INVALID);
	assert_non_null(ch.error);
	if (strstr(ch.error, field) == NULL)
		fail_msg("error \"%s\" does not name \"%s\"", ch.error, field);
	assert_string_equal(ch.ja4, "");
}

static void test_invalid(void **state)
{
	(void)state;
	static uint8_t m[600];
	const size_t n = sizeof(rfc8448_ch);
	const size_t cs = 4 + 2 + 32 + 1;       /* cipher_suites length */
	const size_t ext = cs + 2 + 6 + 2;      /* extensions length */

	memcpy(m, rfc8448_ch, n);
	m[0] = 2;
	expect_invalid(m, n, "client_hello");
	/* The handshake length one short: the extensions overrun the body. */
	memcpy(m, rfc8448_ch, n);
	m[3] = 0xbf;
	expect_invalid(m, n, "extensions");
	/* One more: a byte left over after the extensions. */
	memcpy(m, rfc8448_ch, n);
	m[3] = 0xc1;
	m[n] = 0;
	expect_invalid(m, n + 1, "after the extensions");
	memcpy(m, rfc8448_ch, n);
	m[cs + 1] = 5;                           /* odd cipher_suites length */
	expect_invalid(m, n, "cipher_suites");
	memcpy(m, rfc8448_ch, n);
	m[cs - 1] = 33;                          /* session_id over 32 */
	expect_invalid(m, n, "session_id");
	memcpy(m, rfc8448_ch, n);
	m[ext + 1] = 0x90;                       /* extensions block one short: the last extension overruns */
	expect_invalid(m, n, "extension");
	memcpy(m, rfc8448_ch, n);
	m[ext + 2 + 4 + 1] = 0x0a;               /* server_name list longer than the extension */
	expect_invalid(m, n, "server_name");
	memcpy(m, rfc8448_ch, n);
	m[ext + 2 + 4 + 1] = 0x08;               /* ... and shorter */
	expect_invalid(m, n, "server_name");
	{
		struct tls_server_hello sh;
		memcpy(m, rfc8448_sh, sizeof(rfc8448_sh));
		m[51] = 0x1f;   /* key_exchange one short of its extension */
		assert_int_equal(tls_parse_server_hello(cur_make(m, sizeof(rfc8448_sh)), &sh), TLS_HELLO_INVALID);
		assert_non_null(strstr(sh.error, "key_share"));
		assert_int_equal(sh.cipher_suite, 0x1301);   /* what came before stays */
		memcpy(m, rfc8448_sh, sizeof(rfc8448_sh));
		m[0] = 1;
		assert_int_equal(tls_parse_server_hello(cur_make(m, sizeof(rfc8448_sh)), &sh), TLS_HELLO_INVALID);
		assert_non_null(strstr(sh.error, "server_hello"));
	}
}

/* ---- every prefix of a real message is a truncation; the fields so far are right ---- */

struct msg {
	const uint8_t *m;
	size_t n;
	int server;
};

static const struct msg msgs[] = {
	{ ossl13_ch, sizeof(ossl13_ch), 0 }, { curl13_ch, sizeof(curl13_ch), 0 },
	{ curl12_ch, sizeof(curl12_ch), 0 }, { ossl12_ch, sizeof(ossl12_ch), 0 },
	{ hrr_ch1, sizeof(hrr_ch1), 0 }, { hrr_ch2, sizeof(hrr_ch2), 0 },
	{ rfc8448_ch, sizeof(rfc8448_ch), 0 },
	{ ossl13_sh, sizeof(ossl13_sh), 1 }, { tls12_sh, sizeof(tls12_sh), 1 },
	{ hrr_sh, sizeof(hrr_sh), 1 }, { hrr_sh2, sizeof(hrr_sh2), 1 },
	{ rfc8448_sh, sizeof(rfc8448_sh), 1 },
};

static void test_truncation_every_byte(void **state)
{
	(void)state;
	struct tls_client_hello full, ch;
	struct tls_server_hello sfull, sh;

	for (size_t i = 0; i < N(msgs); i++) {
		const struct msg *t = &msgs[i];
		if (t->server)
			assert_int_equal(tls_parse_server_hello(cur_make(t->m, t->n), &sfull), TLS_HELLO_OK);
		else
			assert_int_equal(tls_parse_client_hello(cur_make(t->m, t->n), &full), TLS_HELLO_OK);
		for (size_t n = 0; n < t->n; n++) {
			/* An exact-size copy: a read past it is an ASan error. */
			uint8_t *p = malloc(n ? n : 1);
			assert_non_null(p);
			memcpy(p, t->m, n);
			if (t->server) {
				assert_int_equal(tls_parse_server_hello(cur_make(p, n), &sh), TLS_HELLO_TRUNCATED);
				assert_null(sh.error);
				if (n >= 4)
					assert_int_equal(sh.size, sfull.size);
				if (n >= 6)
					assert_int_equal(sh.legacy_version, sfull.legacy_version);
				if (n >= 38)
					assert_int_equal(sh.is_hrr, sfull.is_hrr);
				assert_true(sh.n_extensions <= sfull.n_extensions);
				assert_memory_equal(sh.extensions, sfull.extensions, sh.n_extensions * 2);
			} else {
				assert_int_equal(tls_parse_client_hello(cur_make(p, n), &ch), TLS_HELLO_TRUNCATED);
				assert_null(ch.error);
				assert_string_equal(ch.ja4, "");
				assert_string_equal(ch.ja3, "");
				if (n >= 6)
					assert_int_equal(ch.legacy_version, full.legacy_version);
				assert_true(ch.n_cipher_suites <= full.n_cipher_suites);
				assert_memory_equal(ch.cipher_suites, full.cipher_suites, ch.n_cipher_suites * 2);
				assert_true(ch.n_extensions <= full.n_extensions);
				assert_memory_equal(ch.extensions, full.extensions, ch.n_extensions * 2);
				if (ch.sni_len != 0)
					assert_memory_equal(ch.sni, full.sni, full.sni_len);
				if (ch.n_alpn == full.n_alpn && ch.n_alpn != 0)
					assert_memory_equal(ch.alpn, full.alpn, sizeof(full.alpn));
			}
			free(p);
		}
		/* Bytes past the declared length belong to the next message. */
		{
			uint8_t *p = malloc(t->n + 9);
			memcpy(p, t->m, t->n);
			memset(p + t->n, 0x14, 9);
			if (t->server)
				assert_int_equal(tls_parse_server_hello(cur_make(p, t->n + 9), &sh), TLS_HELLO_OK);
			else
				assert_int_equal(tls_parse_client_hello(cur_make(p, t->n + 9), &ch), TLS_HELLO_OK);
			free(p);
		}
	}
}

/* ---- every byte of every real message changed: any status, never a crash (run under ASan) ---- */

static void test_flip_every_byte(void **state)
{
	(void)state;
	static const uint8_t how[] = { 0x01, 0x80, 0xff, 0x10 };
	unsigned counts[3] = { 0, 0, 0 };

	for (size_t i = 0; i < N(msgs); i++) {
		const struct msg *t = &msgs[i];
		uint8_t *p = malloc(t->n);
		assert_non_null(p);
		for (size_t at = 0; at < t->n; at++) {
			for (size_t h = 0; h < N(how) + 2; h++) {
				struct tls_client_hello ch;
				struct tls_server_hello sh;
				int rc;
				memcpy(p, t->m, t->n);
				p[at] = h < N(how) ? (uint8_t)(p[at] ^ how[h]) : h == N(how) ? 0x00 : 0xff;
				rc = t->server ? tls_parse_server_hello(cur_make(p, t->n), &sh)
					       : tls_parse_client_hello(cur_make(p, t->n), &ch);
				assert_true(rc >= TLS_HELLO_OK && rc <= TLS_HELLO_INVALID);
				assert_int_equal(rc == TLS_HELLO_INVALID, (t->server ? sh.error : ch.error) != NULL);
				if (!t->server && rc == TLS_HELLO_OK)
					assert_int_equal(strlen(ch.ja4), 36);
				counts[rc]++;
				(void)tls_parse_sslv2_client_hello(cur_make(p, t->n), &ch);
			}
		}
		free(p);
	}
	/* All three outcomes happen. */
	assert_true(counts[TLS_HELLO_OK] > 0);
	assert_true(counts[TLS_HELLO_TRUNCATED] > 0);
	assert_true(counts[TLS_HELLO_INVALID] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_spec_with_grease),
		cmocka_unit_test(test_spec_alpn_rule),
		cmocka_unit_test(test_empty_lists),
		cmocka_unit_test(test_caps_and_full_lists),
		cmocka_unit_test(test_ja3_cut),
		cmocka_unit_test(test_ja4_sort_random),
		cmocka_unit_test(test_hostile_many_ciphers),
		cmocka_unit_test(test_rfc8448),
		cmocka_unit_test(test_hrr_random),
		cmocka_unit_test(test_hrr_real),
		cmocka_unit_test(test_real_hellos),
		cmocka_unit_test(test_server_hello_tls12),
		cmocka_unit_test(test_server_hello_psk_alpn),
		cmocka_unit_test(test_sslv2),
		cmocka_unit_test(test_tls13_versions),
		cmocka_unit_test(test_draft_server_hello_old_layout),
		cmocka_unit_test(test_draft_server_hello_compat_layout),
		cmocka_unit_test(test_draft_hello_retry_request),
		cmocka_unit_test(test_draft_client_hello_key_share),
		cmocka_unit_test(test_sslv2_server_hello),
		cmocka_unit_test(test_sslv2_records),
		cmocka_unit_test(test_sni_names),
		cmocka_unit_test(test_ech),
		cmocka_unit_test(test_misc_fields),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_truncation_every_byte),
		cmocka_unit_test(test_flip_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
