/* driver.c: replays a corpus (files or directories) through a fuzz target without libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "driver: %s: cannot read\n", path);
		if (f)
			fclose(f);
		return 0;
	}
	/* An exact-size heap copy, so ASan sees any read past the end. */
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "driver: %s: cannot read\n", path);
		fclose(f);
		free(buf);
		return 0;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 1;
}

static int run_path(const char *path, unsigned *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "driver: %s: no such file or directory\n", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		*count += 1;
		return run_file(path);
	}
	DIR *d = opendir(path);
	struct dirent *e;
	int ok = 1;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char sub[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		ok &= run_path(sub, count);
	}
	closedir(d);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int ok = 1;
	for (int i = 1; i < argc; i++)
		ok &= run_path(argv[i], &count);
	printf("%u inputs replayed\n", count);
	if (count == 0) {
		fprintf(stderr, "driver: empty corpus\n");
		return 1;
	}
	return ok ? 0 : 1;
}
