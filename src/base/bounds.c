/* bounds.c: the tally of limits hit, and the memory set aside for finishing after one. */
#include <stdlib.h>

#include "bounds.h"

struct bounds bounds;

static void *reserve;

int bounds_reserve(size_t n)
{
	if (reserve == NULL)
		reserve = malloc(n);
	return reserve != NULL;
}

void bounds_release_reserve(void)
{
	free(reserve);
	reserve = NULL;
}

void bounds_alloc_failed(void)
{
	bounds.alloc_failed++;
	bounds_release_reserve();
}

int bounds_lost(void)
{
	return bounds.alloc_failed || bounds.evicted_table || bounds.evicted_memory ||
	       bounds.after_eviction || bounds.frag_evicted;
}
