/* rotate.c: -w's files: one, or a new one by size (-C), by time (-G), in a ring (-W), as tcpdump names them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rotate.h"

struct rotation {
	struct rotate_opts o;
	struct writer_format f;
	struct stat input;
	int have_input;
	struct writer *w;          /* the file being written */
	unsigned width;            /* digits of a -C file's number: those of -W - 1, or 0 */
	unsigned c_count;          /* -C: the number of the file being written */
	unsigned g_count;          /* -G: files begun */
	time_t g_time;             /* -G: when the file being written was begun */
	char base[4096];           /* -G: the name strftime made of -w's for this interval */
	char err[WRITER_ERRLEN];   /* why a rotation failed */
};

int rotate_name(char *dst, size_t size, const char *name, unsigned n, unsigned files, int numbered)
{
	unsigned width = 0;
	int k;

	if (files > 0)
		for (unsigned v = files - 1; ; v /= 10) {
			width++;
			if (v < 10)
				break;
		}
	if (!numbered && n == 0 && files == 0)
		k = snprintf(dst, size, "%s", name);
	else
		k = snprintf(dst, size, "%s%0*u", name, (int)width, n);
	return k >= 0 && (size_t)k < size;
}

/* -G: -w's name through strftime for the interval begun at t (local time, as tcpdump). */
static int time_name(struct rotation *r, time_t t)
{
	struct tm tm;

	if (r->o.seconds == 0) {
		if (strlen(r->o.path) >= sizeof(r->base))
			return 0;
		strcpy(r->base, r->o.path);
		return 1;
	}
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	/* -w's name is the format, as tcpdump takes it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return strftime(r->base, sizeof(r->base), r->o.path, &tm) > 0;
#pragma GCC diagnostic pop
}

/* Open file number c_count of the current interval. */
static int open_file(struct rotation *r)
{
	char name[sizeof(r->base) + 16];
	unsigned flags = r->o.packet_buffered || r->o.in_place ? WRITER_IN_PLACE : 0;

	if (!rotate_name(name, sizeof(name), r->base, r->c_count, r->o.max_bytes ? r->o.files : 0,
			 r->o.max_bytes != 0 && r->o.files != 0)) {
		snprintf(r->err, sizeof(r->err), "-w: the name of the next file is too long");
		return 0;
	}
	r->w = writer_open_flags(name, &r->f, r->have_input ? &r->input : NULL, flags, r->err);
	return r->w != NULL;
}

struct rotation *rotate_open(const struct rotate_opts *o, const struct writer_format *f, const struct stat *input,
			     char *err)
{
	struct rotation *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, WRITER_ERRLEN, "out of memory");
		return NULL;
	}
	r->o = *o;
	r->f = *f;
	if (input != NULL) {
		r->input = *input;
		r->have_input = 1;
	}
	if (strcmp(o->path, "-") == 0)
		r->o.max_bytes = 0, r->o.seconds = 0;   /* stdout is one stream */
	r->g_time = time(NULL);
	r->g_count = 1;
	if (!time_name(r, r->g_time)) {
		snprintf(err, WRITER_ERRLEN, "-w %s: the name is too long for -G's time", o->path);
		free(r);
		return NULL;
	}
	if (!open_file(r)) {
		snprintf(err, WRITER_ERRLEN, "%s", r->err);
		free(r);
		return NULL;
	}
	return r;
}

/* Close the file being written, kept, for the next one. */
static int close_for_next(struct rotation *r)
{
	int ok = writer_close(r->w, 1, r->err);

	r->w = NULL;
	return ok;
}

struct writer *rotate_next(struct rotation *r, enum rotate_status *st)
{
	*st = ROTATE_FAILED;
	if (r->w == NULL)
		return NULL;
	if (r->o.seconds != 0) {
		time_t now = time(NULL);
		if (now - r->g_time >= (time_t)r->o.seconds) {
			/* tcpdump: the -W'th interval's end is the end of the capture */
			if (r->o.files != 0 && r->g_count >= r->o.files) {
				*st = ROTATE_LIMIT;
				return NULL;
			}
			r->g_time = now;
			r->g_count++;
			r->c_count = 0;
			if (!close_for_next(r))
				return NULL;
			if (!time_name(r, now)) {
				snprintf(r->err, sizeof(r->err), "-w %s: the name is too long for -G's time", r->o.path);
				return NULL;
			}
			if (!open_file(r))
				return NULL;
		}
	}
	if (r->o.max_bytes != 0 && writer_size(r->w) > r->o.max_bytes) {
		r->c_count++;
		if (r->o.files != 0 && r->c_count >= r->o.files)
			r->c_count = 0;             /* the ring: the oldest file is written over */
		if (!close_for_next(r) || !open_file(r))
			return NULL;
	}
	*st = ROTATE_OK;
	return r->w;
}

int rotate_done(struct rotation *r)
{
	return !r->o.packet_buffered || writer_flush(r->w);
}

int rotate_close(struct rotation *r, int commit, char *err)
{
	int ok = 1;

	if (r == NULL)
		return 1;
	if (r->w != NULL)
		ok = writer_close(r->w, commit, err);
	else if (r->err[0] != '\0') {
		snprintf(err, WRITER_ERRLEN, "%s", r->err);
		ok = 0;
	}
	free(r);
	return ok;
}
