/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TESTUTIL_H
#define PROCSCOPE_TESTUTIL_H

#include <check.h>
#include <libmnl/libmnl.h>
#include <stdint.h>
#include <stdio.h>

/* Run @stmt with _f open on a memory stream; @buf gets what it wrote. */
#define CAPTURE(buf, stmt)						\
	do {								\
		size_t _len;						\
		FILE *_f = open_memstream(&(buf), &_len);		\
		ck_assert_ptr_nonnull(_f);				\
		stmt;							\
		fclose(_f);						\
	} while (0)

/*
 * Run @stmt with stderr (fd 2, so children too) going to a temporary
 * file; @buf (an array) gets what was written there.
 */
#define CAPTURE_STDERR(buf, stmt)					\
	do {								\
		FILE *_tmp;						\
		int _saved = stderr_begin(&_tmp);			\
		stmt;							\
		stderr_end(_saved, _tmp, (buf), sizeof(buf));		\
	} while (0)
int stderr_begin(FILE **tmp);
void stderr_end(int saved, FILE *tmp, char *buf, size_t len);

/* Start a procscope message of @cmd in @buf, as the module would. */
struct nlmsghdr *msg_start(char *buf, uint8_t cmd);

/*
 * The first attributes of a SOCK nest for a TCP listener on fd @fd at
 * 127.0.0.1:@port (remote 0.0.0.0:0); the caller adds the rest.
 */
void put_loopback_listener(struct nlmsghdr *nlh, uint32_t fd, uint16_t port);

/* A suite of one test case holding the tests listed. */
Suite *test_suite(const char *name, const TTest *const *tests, size_t n);
#define TEST_SUITE(name, ...)						\
	test_suite(name, (const TTest *const[]){ __VA_ARGS__ },		\
		   sizeof((const TTest *const[]){ __VA_ARGS__ }) /	\
		   sizeof(const TTest *))

#endif
