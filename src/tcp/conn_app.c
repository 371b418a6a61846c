/* conn_app.c: the application-protocol registry, and each connection's streams handed to the one chosen. */
#include <stdlib.h>

#include "conn_app.h"

static const struct app_proto *const *registry;
static size_t nregistry;

void conn_app_register(const struct app_proto *const *protos, size_t n)
{
	registry = protos;
	nregistry = n;
}

const struct app_proto *conn_app_choose(struct cursor first, int dir)
{
	const struct app_proto *maybe = NULL;

	for (size_t i = 0; i < nregistry; i++) {
		int r = registry[i]->probe(first, dir);
		if (r == APP_YES)
			return registry[i];
		if (r == APP_MAYBE && maybe == NULL)
			maybe = registry[i];
	}
	return maybe;
}

struct conn_app *conn_app_new(const struct app_proto *proto)
{
	struct conn_app *a = calloc(1, sizeof(*a) + proto->state_size);
	struct reasm *rs[2];

	if (a == NULL)
		return NULL;
	a->proto = proto;
	rs[0] = &a->st[0].rs;
	rs[1] = &a->st[1].rs;
	proto->init(a->state, rs);
	return a;
}

void conn_app_free(struct conn_app *a)
{
	if (a == NULL)
		return;
	a->proto->release(a->state);
	reasm_free(&a->st[0].rs);
	reasm_free(&a->st[1].rs);
	free(a);
}

size_t conn_app_mem(const struct conn_app *a)
{
	if (a == NULL)
		return 0;
	return sizeof(*a) + a->proto->state_size + reasm_mem(&a->st[0].rs) + reasm_mem(&a->st[1].rs) +
	       a->proto->mem(a->state);
}
