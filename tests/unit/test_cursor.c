/* test_cursor.c: the bounds-checked cursor at its edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cursor.h"

static void test_zero_length(void **state)
{
	(void)state;
	struct cursor c = cur_make(NULL, 0), out;
	uint8_t u8 = 0xaa;
	uint16_t u16 = 0xaaaa;
	uint32_t u32 = 0xaaaaaaaa;

	assert_int_equal(cur_get_u8(&c, &u8), 0);
	assert_int_equal(u8, 0xaa);
	assert_int_equal(cur_get_u16(&c, &u16), 0);
	assert_int_equal(cur_get_u32(&c, &u32), 0);
	assert_int_equal(cur_get_bytes(&c, &out, 0), 1);
	assert_int_equal(cur_len(&out), 0);
	assert_int_equal(cur_get_bytes(&c, &out, 1), 0);
	assert_int_equal(cur_get_u8_prefixed(&c, &out), 0);
}

static void test_exact_length(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct cursor c = cur_make(b, sizeof(b));
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	assert_int_equal(cur_get_u8(&c, &u8), 1);
	assert_int_equal(u8, 1);
	assert_int_equal(cur_get_u16(&c, &u16), 1);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(cur_get_u32(&c, &u32), 1);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(cur_len(&c), 0);
	assert_int_equal(cur_get_u8(&c, &u8), 0);
}

static void test_one_short(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0x11, 0x22, 0x33 };
	struct cursor c = cur_make(b, sizeof(b));
	uint32_t u32 = 7, u24;

	/* A failed read leaves the cursor where it was. */
	assert_int_equal(cur_get_u32(&c, &u32), 0);
	assert_int_equal(u32, 7);
	assert_int_equal(cur_len(&c), 3);
	assert_int_equal(cur_get_u24(&c, &u24), 1);
	assert_int_equal(u24, 0x112233);
	c = cur_make(b, 1);
	uint16_t u16;
	assert_int_equal(cur_get_u16(&c, &u16), 0);
	assert_int_equal(cur_len(&c), 1);
}

static void test_prefix_lies(void **state)
{
	(void)state;
	/* A 1-byte prefix claiming 5 bytes over 3. */
	static const uint8_t lie8[] = { 0x05, 0xaa, 0xbb, 0xcc };
	/* A 2-byte prefix claiming 0xffff. */
	static const uint8_t lie16[] = { 0xff, 0xff, 0x00 };
	/* A 3-byte prefix, exact. */
	static const uint8_t ok24[] = { 0x00, 0x00, 0x02, 0xde, 0xad, 0xef };
	/* A 2-byte prefix with only one byte of it present. */
	static const uint8_t half[] = { 0x00 };
	struct cursor c, out;

	c = cur_make(lie8, sizeof(lie8));
	assert_int_equal(cur_get_u8_prefixed(&c, &out), 0);
	assert_int_equal(cur_len(&c), sizeof(lie8));   /* prefix not consumed */
	c = cur_make(lie16, sizeof(lie16));
	assert_int_equal(cur_get_u16_prefixed(&c, &out), 0);
	assert_int_equal(cur_len(&c), sizeof(lie16));
	c = cur_make(ok24, sizeof(ok24));
	assert_int_equal(cur_get_u24_prefixed(&c, &out), 1);
	assert_int_equal(cur_len(&out), 2);
	assert_int_equal(cur_data(&out)[0], 0xde);
	assert_int_equal(cur_len(&c), 1);
	c = cur_make(half, sizeof(half));
	assert_int_equal(cur_get_u16_prefixed(&c, &out), 0);
	/* A zero-length block is fine. */
	static const uint8_t empty[] = { 0x00, 0x00 };
	c = cur_make(empty, sizeof(empty));
	assert_int_equal(cur_get_u16_prefixed(&c, &out), 1);
	assert_int_equal(cur_len(&out), 0);
	assert_int_equal(cur_len(&c), 0);
}

static void test_peek_truncate_skip(void **state)
{
	(void)state;
	static const uint8_t b[] = { 1, 2, 3, 4 };
	struct cursor c = cur_make(b, sizeof(b));
	uint8_t v;
	uint16_t w;
	uint32_t le;

	assert_int_equal(cur_peek_u8(&c, 3, &v), 1);
	assert_int_equal(v, 4);
	assert_int_equal(cur_peek_u8(&c, 4, &v), 0);
	assert_int_equal(cur_peek_u16(&c, 2, &w), 1);
	assert_int_equal(w, 0x0304);
	assert_int_equal(cur_peek_u16(&c, 3, &w), 0);
	assert_int_equal(cur_peek_u16(&c, SIZE_MAX, &w), 0);
	assert_int_equal(cur_get_u32le(&c, &le), 1);
	assert_int_equal(le, 0x04030201);
	c = cur_make(b, sizeof(b));
	cur_truncate(&c, 10);
	assert_int_equal(cur_len(&c), 4);
	cur_truncate(&c, 2);
	assert_int_equal(cur_len(&c), 2);
	assert_int_equal(cur_skip(&c, 3), 0);
	assert_int_equal(cur_skip(&c, SIZE_MAX), 0);
	assert_int_equal(cur_skip(&c, 2), 1);
	assert_int_equal(cur_len(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_exact_length),
		cmocka_unit_test(test_one_short),
		cmocka_unit_test(test_prefix_lies),
		cmocka_unit_test(test_peek_truncate_skip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
