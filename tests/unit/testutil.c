// SPDX-License-Identifier: GPL-2.0
/* Helpers every unit-test suite uses. */
#include <linux/genetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/procscope.h>
#include "testutil.h"

struct nlmsghdr *msg_start(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = 0x20;	/* any dynamic family id */
	g->cmd = cmd;
	g->version = PROCSCOPE_GENL_VERSION;
	return nlh;
}

int stderr_begin(FILE **tmp)
{
	int saved;

	fflush(stderr);
	*tmp = tmpfile();
	ck_assert_ptr_nonnull(*tmp);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(*tmp), STDERR_FILENO), 0);
	return saved;
}

void stderr_end(int saved, FILE *tmp, char *buf, size_t len)
{
	size_t n;

	fflush(stderr);
	ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, len - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

Suite *test_suite(const char *name, const TTest *const *tests, size_t n)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create(name);
	size_t i;

	for (i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	return s;
}

void put_loopback_listener(struct nlmsghdr *nlh, uint32_t fd, uint16_t port)
{
	uint8_t lo[4] = { 127, 0, 0, 1 }, any[4] = { 0 };

	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_FD, fd);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_FAMILY, AF_INET);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_TYPE, SOCK_STREAM);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_PROTO, 6);
	mnl_attr_put_u8(nlh, PROCSCOPE_SOCK_STATE, 10);	/* TCP_LISTEN */
	mnl_attr_put(nlh, PROCSCOPE_SOCK_LOCAL_ADDR, 4, lo);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_LOCAL_PORT, port);
	mnl_attr_put(nlh, PROCSCOPE_SOCK_REMOTE_ADDR, 4, any);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_REMOTE_PORT, 0);
}
