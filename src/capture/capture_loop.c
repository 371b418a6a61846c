/* capture_loop.c: the read loop shared by every command: count, live ticks, stop, -w copy, and how it ended. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capture_loop.h"

_Static_assert(WRITER_ERRLEN <= SOURCE_ERRLEN, "the writer's messages fit capture_open()'s err");

/* -w: the copy, in the input's format, never over the input itself. */
static int open_copy(struct capture *c, const struct rotate_opts *w, char *err)
{
	struct writer_format f;
	char why[WRITER_WHYLEN], name[WRITER_NAME_LEN];

	if (!source_format(c->src, &f, why)) {
		writer_cut_name(name, sizeof(name), w->path);
		if (strcmp(w->path, "-") == 0)
			snprintf(err, SOURCE_ERRLEN, "-: %s", why);
		else
			snprintf(err, SOURCE_ERRLEN, "%s: cannot write: %s", name, why);
		return 0;
	}
	c->copy = rotate_open(w, &f, source_input(c->src), err);
	return c->copy != NULL;
}

int capture_open(struct capture *c, const struct source_opts *o, const char *write_to, char *err)
{
	struct rotate_opts w = { write_to, 0, 0, 0, 0, 0 };

	return capture_open_rotating(c, o, write_to != NULL ? &w : NULL, err);
}

int capture_open_rotating(struct capture *c, const struct source_opts *o, const struct rotate_opts *w, char *err)
{
	c->copy = NULL;
	c->packets = 0;
	c->end = CAPTURE_END;
	c->stop = 0;
	c->src = source_open(o, err);
	if (c->src == NULL)
		return 0;
	if (w != NULL && w->path != NULL && !open_copy(c, w, err)) {
		source_close(c->src);
		c->src = NULL;
		return 0;
	}
	return 1;
}

/* A live source was quiet: time passes all the same. */
static void tick(struct capture *c)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	c->idle(c->ctx, (int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
}

/* The current packet to -w's file (after any rotation due); 0 when the loop must end (*r says why). */
static inline int copy_packet(struct source *src, struct rotation *copy, int *r, uint64_t *n)
{
	enum rotate_status st;
	struct writer *w = rotate_next(copy, &st);

	if (w == NULL) {
		*r = CAPTURE_WRITE_FAILED;
		if (st == ROTATE_LIMIT) {
			*r = CAPTURE_FILE_LIMIT;
			--*n;                 /* the packet after the last file's time is not taken */
		}
		return 0;
	}
	if (!source_copy(src, w) || !rotate_done(copy)) {
		*r = CAPTURE_WRITE_FAILED;
		return 0;
	}
	return 1;
}

/*
 * The loop of capture_run() (ready 0) and capture_pump() (ready 1): per
 * packet, a read, the copy, the callback. What the callback cannot change is
 * kept in locals, and the count is written back on the way out.
 */
static inline __attribute__((always_inline)) int loop(struct capture *c, int ready)
{
	void (*packet)(void *, struct packet *) = c->packet;
	void *ctx = c->ctx;
	struct source *src = c->src;
	struct rotation *copy = c->copy;
	uint64_t n = c->packets, limit = c->count != 0 ? c->count : UINT64_MAX;
	struct packet p;
	int r;

	for (;;) {
		if (c->stop) {
			r = CAPTURE_STOPPED;
			break;
		}
		if (n >= limit) {
			r = CAPTURE_COUNT;
			break;
		}
		r = ready ? source_next_ready(src, &p) : source_next(src, &p);
		if (r != 1) {
			if (r != 2)
				break;        /* CAPTURE_END, CAPTURE_READ_ERROR, CAPTURE_TRUNCATED */
			if (ready) {
				r = CAPTURE_AGAIN;
				break;
			}
			if (c->idle != NULL)
				tick(c);
			continue;
		}
		if (p.icmp_extra) {
			/* outside the filter: it counts, and is copied, only if the reader keeps it */
			packet(ctx, &p);
			if (!p.keep)
				continue;
			n++;
			if (copy != NULL && !copy_packet(src, copy, &r, &n))
				break;
			continue;
		}
		n++;
		if (copy != NULL && !copy_packet(src, copy, &r, &n))
			break;
		packet(ctx, &p);
	}
	c->packets = n;
	return r;
}

int capture_run(struct capture *c)
{
	return c->end = loop(c, 0);
}

int capture_pump(struct capture *c)
{
	return c->end = loop(c, 1);
}

int capture_fd(const struct capture *c)
{
	return source_fd(c->src);
}

void capture_stop(struct capture *c)
{
	c->stop = 1;
}

int capture_close(struct capture *c, int commit, char *err)
{
	int ok = rotate_close(c->copy, commit, err);

	c->copy = NULL;
	source_close(c->src);
	c->src = NULL;
	return ok;
}
