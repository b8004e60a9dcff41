// SPDX-License-Identifier: GPL-2.0
/* Helpers every unit-test suite uses. */
#include <linux/genetlink.h>

#include "procscope.h"
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
