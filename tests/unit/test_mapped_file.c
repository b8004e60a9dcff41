// SPDX-License-Identifier: GPL-2.0
/*
 * mapped_file_open(): the CLI, often run as root, opens files named by a
 * target process's mappings. The target's owner controls those paths: a
 * FIFO must not hang us, a symlink to a device must not be opened, a file
 * swapped in under the mapped one's name must not be parsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "model/elfkind.h"
#include "model/mapped_file.h"
#include "model/symbolize.h"
#include "suites.h"
#include "testutil.h"

static char dir[64];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ps_mapped_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A mapped_file naming @path with the identity of @like (stat(2), follows). */
static struct mapped_file mf_of(const char *path, const char *like)
{
	struct mapped_file mf = { .path = path };
	struct stat st;

	ck_assert_int_eq(stat(like, &st), 0);
	mf.dev = st.st_dev;
	mf.ino = st.st_ino;
	return mf;
}

START_TEST(test_regular_file)
{
	char p[128], buf[16] = { 0 };
	struct mapped_file mf;
	int fd;

	mkdir_tmp();
	path_in(p, sizeof(p), "lib.so");
	write_file(p, "hello");
	mf = mf_of(p, p);
	fd = mapped_file_open(&mf);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
	/* No identity, or another one: refused. */
	mf.ino = 0;
	ck_assert_int_eq(mapped_file_open(&mf), -EBADFD);
	mf = mf_of(p, p);
	mf.ino++;
	ck_assert_int_eq(mapped_file_open(&mf), -EBADFD);
	mf = mf_of(p, p);
	mf.dev++;
	ck_assert_int_eq(mapped_file_open(&mf), -EBADFD);
	unlink(p);
	rmdir(dir);
}
END_TEST

/* The mapped file was replaced by another regular file under its name. */
START_TEST(test_replaced_file)
{
	char p[128], q[128];
	struct mapped_file mf;

	mkdir_tmp();
	path_in(p, sizeof(p), "lib.so");
	path_in(q, sizeof(q), "evil.so");
	write_file(p, "mapped");
	mf = mf_of(p, p);
	write_file(q, "\177ELF attacker's");
	ck_assert_int_eq(rename(q, p), 0);
	ck_assert_int_eq(mapped_file_open(&mf), -EBADFD);
	unlink(p);
	rmdir(dir);
}
END_TEST

/*
 * A FIFO under the mapped name: an open(O_RDONLY) would block until a
 * writer comes (the test would time out); it must be refused at once,
 * even when the identity given is the FIFO's own.
 */
START_TEST(test_fifo_not_opened)
{
	struct elf_image img;
	struct symbolizer *sz;
	struct mapped_file mf;
	char p[128], buf[256];

	mkdir_tmp();
	path_in(p, sizeof(p), "lib.so");
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	mf = mf_of(p, p);
	ck_assert_int_eq(mapped_file_open(&mf), -EBADFD);
	/* Both users of the helper: no hang, nothing read. */
	ck_assert_int_eq(elf_image_load(&mf, &img), 0);
	ck_assert(!img.is_elf);
	elf_image_free(&img);
	sz = symbolizer_new(0);
	mf.start = 0x1000;
	mf.end = 0x2000;
	ck_assert_int_lt(symbolize_ip(sz, &mf, 0, 0x1010, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "lib.so+0x10");
	symbolizer_free(sz);
	unlink(p);
	rmdir(dir);
}
END_TEST

/* A symlink under the mapped name is never followed (d_path has none). */
START_TEST(test_symlink_refused)
{
	char p[128], t[128];
	struct mapped_file mf;

	mkdir_tmp();
	path_in(p, sizeof(p), "lib.so");
	ck_assert_int_eq(symlink("/dev/null", p), 0);
	mf = mf_of(p, "/dev/null");
	ck_assert_int_lt(mapped_file_open(&mf), 0);
	unlink(p);
	/* Even to the right regular file. */
	path_in(t, sizeof(t), "real.so");
	write_file(t, "x");
	ck_assert_int_eq(symlink(t, p), 0);
	mf = mf_of(p, t);
	ck_assert_int_eq(mapped_file_open(&mf), -ELOOP);
	unlink(p);
	unlink(t);
	rmdir(dir);
}
END_TEST

/*
 * Through /proc/PID/map_files (needs CAP_SYS_ADMIN; skipped otherwise):
 * the mapped file is found whatever the path says.
 */
START_TEST(test_map_files)
{
	unsigned long lo, hi, dmaj, dmin, ino;
	char line[1024], exe[512];
	struct mapped_file mf = { .path = "/nonexistent/x" };
	FILE *f;
	int fd = -1, found = 0;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, exe) ||
		    sscanf(line, "%lx-%lx %*s %*s %lx:%lx %lu", &lo, &hi, &dmaj,
			   &dmin, &ino) != 5)
			continue;
		found = 1;
		break;
	}
	fclose(f);
	ck_assert(found);
	mf.pid = getpid();
	mf.start = lo;
	mf.end = hi;
	mf.dev = makedev(dmaj, dmin);
	mf.ino = ino;
	fd = mapped_file_open(&mf);
	if (fd == -EPERM || fd == -EACCES || fd == -ENOENT)
		return;		/* map_files needs CAP_SYS_ADMIN */
	ck_assert_int_ge(fd, 0);
	close(fd);
	mf.ino++;
	ck_assert_int_lt(mapped_file_open(&mf), 0);
}
END_TEST

Suite *mapped_file_suite(void)
{
	return TEST_SUITE("mapped_file",
			  test_regular_file,
			  test_replaced_file,
			  test_fifo_not_opened,
			  test_symlink_refused,
			  test_map_files);
}
