/* test_capture.c: the packet writer (0600, renamed at commit, nothing left on abort, packets as given) and the capture loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <pcap.h>

#include "capture_loop.h"
#include "writer.h"

#ifndef SYNACK_TEST_CAPTURES
#define SYNACK_TEST_CAPTURES "tests/captures"
#endif
/* A 20-packet Ethernet capture (microseconds): connections refused and completed. */
#define FIXTURE SYNACK_TEST_CAPTURES "/rst.pcap"
#define FIXTURE_PACKETS 20

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_capture.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path_in(const char *name)
{
	static char p[4][128];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* How many names in the test directory start with prefix. */
static int count_entries(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static mode_t mode_of(const char *p)
{
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	return st.st_mode & 07777;
}

static struct writer_format ether(int nano)
{
	struct writer_format f;
	char err[WRITER_ERRLEN];
	assert_true(writer_format_dlt(DLT_EN10MB, 65535, nano, &f, err));
	return f;
}

static void test_format_dlt(void **state)
{
	struct writer_format f;
	char err[WRITER_ERRLEN];
	(void)state;

	f = ether(1);
	assert_int_equal(f.linktype, 1);
	assert_int_equal(f.snaplen, 65535);
	assert_int_equal(f.nano, 1);
	/* DLT_RAW is 12 here, 101 (LINKTYPE_RAW) in a file: libpcap's mapping */
	assert_true(writer_format_dlt(DLT_RAW, 262144, 0, &f, err));
	assert_int_equal(f.linktype, 101);
	assert_int_equal(f.nano, 0);
}

/* While open: only the temporary file, 0600 whatever the umask; at commit: renamed, still 0600. */
static void test_commit_renames_0600(void **state)
{
	struct writer_format f = ether(0);
	char err[WRITER_ERRLEN];
	const uint8_t pkt[60] = { 0 };
	struct writer *w;
	mode_t old = umask(0);
	(void)state;

	w = writer_open(path_in("out.pcap"), &f, NULL, err);
	umask(old);
	assert_non_null(w);
	assert_int_equal(access(path_in("out.pcap"), F_OK), -1);
	assert_int_equal(count_entries("out.pcap.partial."), 1);
	assert_true(writer_packet(w, 1700000000, 1, sizeof(pkt), sizeof(pkt), pkt));
	assert_true(writer_close(w, 1, err));
	assert_int_equal(count_entries("out.pcap.partial."), 0);
	assert_int_equal(mode_of(path_in("out.pcap")), 0600);
	unlink(path_in("out.pcap"));
}

/* Abort: nothing left, and a file already there is untouched. */
static void test_abort_leaves_nothing(void **state)
{
	struct writer_format f = ether(0);
	char err[WRITER_ERRLEN];
	const uint8_t pkt[60] = { 1 };
	struct writer *w;
	FILE *fp;
	char buf[16] = { 0 };
	(void)state;

	w = writer_open(path_in("gone.pcap"), &f, NULL, err);
	assert_non_null(w);
	assert_true(writer_packet(w, 1, 2, sizeof(pkt), sizeof(pkt), pkt));
	assert_true(writer_close(w, 0, err));
	assert_int_equal(count_entries("gone.pcap"), 0);

	fp = fopen(path_in("old.pcap"), "w");
	assert_non_null(fp);
	fputs("old", fp);
	fclose(fp);
	w = writer_open(path_in("old.pcap"), &f, NULL, err);
	assert_non_null(w);
	assert_true(writer_packet(w, 1, 2, sizeof(pkt), sizeof(pkt), pkt));
	assert_true(writer_close(w, 0, err));
	assert_int_equal(count_entries("old.pcap"), 1);
	fp = fopen(path_in("old.pcap"), "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "old");
	unlink(path_in("old.pcap"));
}

/* Refusals: a directory, the input itself, a missing directory; nothing created. */
static void test_refusals(void **state)
{
	struct writer_format f = ether(0);
	char err[WRITER_ERRLEN];
	struct stat in;
	FILE *fp;
	(void)state;

	assert_int_equal(mkdir(path_in("sub"), 0700), 0);
	assert_null(writer_open(path_in("sub"), &f, NULL, err));
	assert_non_null(strstr(err, "sub: cannot write: is a directory"));
	rmdir(path_in("sub"));

	fp = fopen(path_in("in.pcap"), "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(stat(path_in("in.pcap"), &in), 0);
	assert_null(writer_open(path_in("in.pcap"), &f, &in, err));
	assert_non_null(strstr(err, "it is the input file"));
	unlink(path_in("in.pcap"));

	assert_null(writer_open(path_in("nodir/x.pcap"), &f, NULL, err));
	assert_non_null(strstr(err, "nodir/x.pcap: cannot write: "));
	assert_int_equal(count_entries("nodir"), 0);
}

/* A modified packet is written as given (its own time, caplen < len), and libpcap reads it back so. */
static void test_modified_packet_read_back(void **state)
{
	struct writer_format f = ether(1);
	char err[WRITER_ERRLEN], ebuf[PCAP_ERRBUF_SIZE];
	uint8_t pkt[80];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct writer *w;
	pcap_t *p;
	(void)state;

	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7 + 3);
	pkt[12] = 0x08;             /* an edit, as sanitize makes */
	w = writer_open(path_in("mod.pcap"), &f, NULL, err);
	assert_non_null(w);
	assert_true(writer_packet(w, 1700000123, 999999999, 54, 1514, pkt));
	assert_true(writer_packet(w, 1700000124, 5, sizeof(pkt), sizeof(pkt), pkt));
	assert_true(writer_close(w, 1, err));

	p = pcap_open_offline_with_tstamp_precision(path_in("mod.pcap"), PCAP_TSTAMP_PRECISION_NANO, ebuf);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	assert_int_equal(pcap_snapshot(p), 65535);
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->ts.tv_sec, 1700000123);
	assert_int_equal(h->ts.tv_usec, 999999999);
	assert_int_equal(h->caplen, 54);
	assert_int_equal(h->len, 1514);
	assert_memory_equal(data, pkt, 54);
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->ts.tv_sec, 1700000124);
	assert_int_equal(h->ts.tv_usec, 5);
	assert_int_equal(h->caplen, sizeof(pkt));
	assert_memory_equal(data, pkt, sizeof(pkt));
	assert_int_equal(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	unlink(path_in("mod.pcap"));
}

/* A full device: writes fail, writer_packet() says so, the close says how many packets were written. */
static void test_write_failure(void **state)
{
	struct writer_format f = ether(0);
	char err[WRITER_ERRLEN];
	static const uint8_t pkt[1500];
	struct writer *w;
	int ok = 1, i;
	(void)state;

	if (access("/dev/full", W_OK) != 0)
		skip();
	w = writer_open("/dev/full", &f, NULL, err);
	assert_non_null(w);
	for (i = 0; i < 1000 && ok; i++)
		ok = writer_packet(w, 1, 0, sizeof(pkt), sizeof(pkt), pkt);
	assert_false(ok);
	assert_false(writer_packet(w, 1, 0, sizeof(pkt), sizeof(pkt), pkt));
	assert_false(writer_close(w, 1, err));
	assert_non_null(strstr(err, "/dev/full: write failed: No space left on device (0 packets written)"));
}

/* The loop's callback: counts, checks the frame numbers, stops when asked. */
struct seen {
	struct capture *c;
	uint64_t n, stop_at;
};

static void on_packet(void *ctx, struct packet *p)
{
	struct seen *s = ctx;

	s->n++;
	assert_int_equal(p->frame, s->n);
	assert_true(p->caplen > 0 && p->data != NULL);
	if (s->n == s->stop_at)
		capture_stop(s->c);
}

static void open_fixture(struct capture *c, struct seen *s, const char *file, const char *write_to)
{
	struct source_opts o = { .file = file };
	char err[SOURCE_ERRLEN];

	memset(c, 0, sizeof(*c));
	memset(s, 0, sizeof(*s));
	s->c = c;
	c->packet = on_packet;
	c->ctx = s;
	if (!capture_open(c, &o, write_to, err))
		fail_msg("%s", err);
}

static void test_loop_count(void **state)
{
	struct capture c;
	struct seen s;
	char err[SOURCE_ERRLEN];
	(void)state;

	open_fixture(&c, &s, FIXTURE, NULL);
	c.count = 5;
	assert_int_equal(capture_run(&c), CAPTURE_COUNT);
	assert_int_equal(c.packets, 5);
	assert_int_equal(s.n, 5);
	/* the same loop goes on where it stopped */
	c.count = 0;
	assert_int_equal(capture_run(&c), CAPTURE_END);
	assert_int_equal(c.packets, FIXTURE_PACKETS);
	assert_int_equal(s.n, FIXTURE_PACKETS);
	assert_true(capture_close(&c, 1, err));
}

static void test_loop_stop(void **state)
{
	struct capture c;
	struct seen s;
	char err[SOURCE_ERRLEN];
	(void)state;

	open_fixture(&c, &s, FIXTURE, NULL);
	s.stop_at = 3;
	assert_int_equal(capture_run(&c), CAPTURE_STOPPED);
	assert_int_equal(c.end, CAPTURE_STOPPED);
	assert_int_equal(c.packets, 3);
	assert_int_equal(s.n, 3);
	assert_true(capture_close(&c, 1, err));
}

/* A file is no descriptor to poll; pumping reads it all. */
static void test_loop_pump_file(void **state)
{
	struct capture c;
	struct seen s;
	char err[SOURCE_ERRLEN];
	(void)state;

	open_fixture(&c, &s, FIXTURE, NULL);
	assert_int_equal(capture_fd(&c), -1);
	assert_int_equal(capture_pump(&c), CAPTURE_END);
	assert_int_equal(s.n, FIXTURE_PACKETS);
	assert_true(capture_close(&c, 1, err));
}

static long file_size(const char *p)
{
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	return (long)st.st_size;
}

/* -w: the copy is the input, byte for byte; with a count, its first packets. */
static void test_loop_copy(void **state)
{
	struct capture c;
	struct seen s;
	char err[SOURCE_ERRLEN], cmd[512];
	(void)state;

	open_fixture(&c, &s, FIXTURE, path_in("copy.pcap"));
	assert_int_equal(capture_run(&c), CAPTURE_END);
	assert_true(capture_close(&c, 1, err));
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", FIXTURE, path_in("copy.pcap"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mode_of(path_in("copy.pcap")), 0600);

	open_fixture(&c, &s, FIXTURE, path_in("copy.pcap"));
	c.count = 2;
	assert_int_equal(capture_run(&c), CAPTURE_COUNT);
	assert_true(capture_close(&c, 1, err));
	/* the header and two records: ask libpcap how many */
	open_fixture(&c, &s, path_in("copy.pcap"), NULL);
	assert_int_equal(capture_run(&c), CAPTURE_END);
	assert_int_equal(s.n, 2);
	assert_true(capture_close(&c, 1, err));

	/* thrown away: nothing there, not even the old copy replaced */
	open_fixture(&c, &s, FIXTURE, path_in("copy.pcap"));
	assert_int_equal(capture_run(&c), CAPTURE_END);
	assert_true(capture_close(&c, 0, err));
	assert_true(file_size(path_in("copy.pcap")) < file_size(FIXTURE));
	assert_int_equal(count_entries("copy.pcap.partial."), 0);
	unlink(path_in("copy.pcap"));
}

/* Copy n bytes of src to dst, with the link type field of a pcap header replaced when linktype != 0. */
static void copy_bytes(const char *src, const char *dst, long n, uint32_t linktype)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	uint8_t buf[8192];
	size_t k;

	assert_non_null(in);
	assert_non_null(out);
	k = fread(buf, 1, sizeof(buf), in);
	assert_true(k > 24 && (long)k >= n);
	if (linktype != 0)
		memcpy(buf + 20, &linktype, 4);   /* the fixture is in host (little-endian) order */
	assert_int_equal(fwrite(buf, 1, (size_t)n, out), (size_t)n);
	fclose(in);
	fclose(out);
}

/* A file cut inside its last record: the packets before it, then CAPTURE_TRUNCATED. */
static void test_loop_truncated(void **state)
{
	struct capture c;
	struct seen s;
	char err[SOURCE_ERRLEN];
	(void)state;

	copy_bytes(FIXTURE, path_in("cut.pcap"), file_size(FIXTURE) - 10, 0);
	open_fixture(&c, &s, path_in("cut.pcap"), NULL);
	assert_int_equal(capture_run(&c), CAPTURE_TRUNCATED);
	assert_int_equal(c.packets, FIXTURE_PACKETS - 1);
	assert_non_null(strstr(source_error(c.src), "cut.pcap"));
	assert_true(capture_close(&c, 1, err));
	unlink(path_in("cut.pcap"));
}

/* The copy keeps the input's header exactly: a link type with FCS-length bits included. */
static void test_copy_keeps_linktype_ext(void **state)
{
	struct capture c;
	struct seen s;
	char err[SOURCE_ERRLEN], cmd[512];
	struct writer_format f;
	char why[WRITER_WHYLEN];
	(void)state;

	copy_bytes(FIXTURE, path_in("fcs.pcap"), file_size(FIXTURE), 0x14000001u);
	open_fixture(&c, &s, path_in("fcs.pcap"), path_in("fcs.copy"));
	assert_true(source_format(c.src, &f, why));
	assert_int_equal(f.linktype, 0x14000001u);
	assert_int_equal(capture_run(&c), CAPTURE_END);
	assert_true(capture_close(&c, 1, err));
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", path_in("fcs.pcap"), path_in("fcs.copy"));
	assert_int_equal(system(cmd), 0);
	unlink(path_in("fcs.pcap"));
	unlink(path_in("fcs.copy"));
}

/* A listener on 127.0.0.1, its port in *port. */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/*
 * Live, as probe will: the capture's descriptor polled beside a connecting
 * socket, what is ready pumped, the loop stopped at the handshake's third
 * packet. Needs root (CAP_NET_RAW) to capture on lo: skipped without.
 */
static void test_live_pump(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char filter[64], err[SOURCE_ERRLEN];
	struct source_opts o = { .iface = "lo", .filter = filter };
	struct capture c;
	struct seen s;
	uint16_t port;
	int lfd = listener(&port), cfd, r = CAPTURE_AGAIN;
	short want = POLLOUT;      /* the socket: until it is connected */
	time_t t0 = time(NULL);
	(void)state;

	snprintf(filter, sizeof(filter), "tcp port %u", port);
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	s.c = &c;
	s.stop_at = 3;
	c.packet = on_packet;
	c.ctx = &s;
	if (geteuid() != 0 || !capture_open(&c, &o, NULL, err)) {
		close(lfd);
		skip();
	}
	assert_true(capture_fd(&c) >= 0);
	assert_int_equal(capture_pump(&c), CAPTURE_AGAIN);   /* nothing yet, and no wait */
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	assert_true(connect(cfd, (struct sockaddr *)&a, sizeof(a)) == 0 || errno == EINPROGRESS);
	while (r == CAPTURE_AGAIN && time(NULL) - t0 < 10) {
		struct pollfd pf[2] = { { capture_fd(&c), POLLIN, 0 }, { cfd, want, 0 } };
		assert_true(poll(pf, 2, 1000) >= 0);
		if (pf[1].revents & POLLOUT)
			want = 0;
		if (pf[0].revents & POLLIN)
			r = capture_pump(&c);
	}
	assert_int_equal(r, CAPTURE_STOPPED);
	assert_int_equal(s.n, 3);
	assert_true(capture_close(&c, 1, err));
	close(cfd);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_dlt),
		cmocka_unit_test(test_commit_renames_0600),
		cmocka_unit_test(test_abort_leaves_nothing),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_modified_packet_read_back),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_loop_count),
		cmocka_unit_test(test_loop_stop),
		cmocka_unit_test(test_loop_pump_file),
		cmocka_unit_test(test_loop_copy),
		cmocka_unit_test(test_loop_truncated),
		cmocka_unit_test(test_copy_keeps_linktype_ext),
		cmocka_unit_test(test_live_pump),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
