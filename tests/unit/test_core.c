// SPDX-License-Identifier: GPL-2.0
/* The inspector's core: argument parsing, JSON, netlink parsing, status. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/status.h"
#include "nl/attrs.h"
#include "nl/nl.h"
#include "render/json.h"
#include "suites.h"
#include "testutil.h"

START_TEST(test_parse_pid)
{
	pid_t pid;

	ck_assert_int_eq(parse_pid("1234", &pid), 0);
	ck_assert_int_eq(pid, 1234);
	ck_assert_int_eq(parse_pid("0", &pid), -EINVAL);
	ck_assert_int_eq(parse_pid("-5", &pid), -EINVAL);
	ck_assert_int_eq(parse_pid("12x", &pid), -EINVAL);
	ck_assert_int_eq(parse_pid("", &pid), -EINVAL);
	ck_assert_int_eq(parse_pid("99999999999", &pid), -EINVAL);
}
END_TEST

START_TEST(test_parse_range)
{
	uint64_t s, e;

	ck_assert_int_eq(parse_range("0x1000-0x3000", &s, &e), 0);
	ck_assert_uint_eq(s, 0x1000);
	ck_assert_uint_eq(e, 0x3000);
	ck_assert_int_eq(parse_range("0x1000+8K", &s, &e), 0);
	ck_assert_uint_eq(e, 0x1000 + 8192);
	ck_assert_int_eq(parse_range("0x2000", &s, &e), 0);
	ck_assert_uint_eq(e, 0x2001);
	ck_assert_int_eq(parse_range("0x3000-0x1000", &s, &e), -ERANGE);
	ck_assert_int_eq(parse_range("0x1000-", &s, &e), -EINVAL);
	ck_assert_int_eq(parse_range("zz", &s, &e), -EINVAL);
	ck_assert_int_eq(parse_addr("2M", &s), 0);
	ck_assert_uint_eq(s, 2 << 20);
	ck_assert_int_eq(parse_addr("0xffffffffffffffffK", &s), -EINVAL);
}
END_TEST

START_TEST(test_parse_duration)
{
	double d;

	ck_assert_int_eq(parse_duration("2.5", &d), 0);
	ck_assert(d > 2.49 && d < 2.51);
	ck_assert_int_eq(parse_duration("500ms", &d), 0);
	ck_assert(d > 0.49 && d < 0.51);
	ck_assert_int_eq(parse_duration("1m", &d), 0);
	ck_assert(d > 59.9 && d < 60.1);
	ck_assert_int_eq(parse_duration("-1", &d), -EINVAL);
	ck_assert_int_eq(parse_duration("3 days", &d), -EINVAL);
}
END_TEST

/* A command's one PID operand: 0, or 2 after saying what is wrong. */
START_TEST(test_pid_operand)
{
	char *argv[] = { "sockets", "42", "43", NULL };
	char out[256];
	pid_t pid = 0;

	ck_assert_int_eq(cli_pid_operand("sockets", 2, argv, 1, &pid), 0);
	ck_assert_int_eq(pid, 42);
	CAPTURE_STDERR(out, ck_assert_int_eq(cli_pid_operand("sockets", 1, argv, 1, &pid), 2));
	ck_assert_str_eq(out, "procscope: sockets: missing PID (see 'procscope sockets --help')\n");
	CAPTURE_STDERR(out, ck_assert_int_eq(cli_pid_operand("show", 3, argv, 1, &pid), 2));
	ck_assert_str_eq(out, "procscope: show: unexpected argument '43'\n");
	CAPTURE_STDERR(out, ck_assert_int_eq(cli_pid_operand("show", 1, argv, 0, &pid), 2));
	ck_assert_str_eq(out, "procscope: show: 'sockets' is not a process id\n");
}
END_TEST

START_TEST(test_json_nesting)
{
	char *out = NULL;
	struct json j;

	CAPTURE(out, {
		json_init(&j, _f);
		json_obj_begin(&j, NULL);
		json_u64(&j, "pid", 42);
		json_hex(&j, "va", 0x7fff0000);
		json_arr_begin(&j, "list");
		json_u64(&j, NULL, 1);
		json_str(&j, "ignored", "a\"b\n");
		json_obj_begin(&j, NULL);
		json_bool(&j, "ok", true);
		json_obj_end(&j);
		json_arr_end(&j);
		json_null(&j, "none");
		json_obj_end(&j);
	});
	ck_assert_str_eq(out,
		"{\"pid\":42,\"va\":\"0x7fff0000\",\"list\":[1,\"a\\\"b\\n\",{\"ok\":true}],\"none\":null}\n");
	free(out);
}
END_TEST

START_TEST(test_fmt_bytes)
{
	char buf[32];

	ck_assert_str_eq(fmt_bytes(512, buf, sizeof(buf)), "512 B");
	ck_assert_str_eq(fmt_bytes(4096, buf, sizeof(buf)), "4.0 KiB");
	ck_assert_str_eq(fmt_bytes(3ULL << 30, buf, sizeof(buf)), "3.0 GiB");
}
END_TEST

/* A GET_STATUS reply as the module builds it. */
static struct nlmsghdr *canned_status(char *buf, bool bad_type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = PROCSCOPE_CMD_GET_STATUS;
	g->version = PROCSCOPE_GENL_VERSION;
	mnl_attr_put_strz(nlh, PROCSCOPE_A_MODULE_VERSION, "9.8.7");
	if (bad_type)
		mnl_attr_put_u8(nlh, PROCSCOPE_A_ABI_VERSION, 1);
	else
		mnl_attr_put_u32(nlh, PROCSCOPE_A_ABI_VERSION, 1);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_HOOKS,
			 (1U << PROCSCOPE_HOOK_FAULT_USER) |
			 (1U << PROCSCOPE_HOOK_TCP_ACCEPT));
	mnl_attr_put_u64(nlh, PROCSCOPE_A_EVENTS_SEEN, 10);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_EVENTS_DELIVERED, 7);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_EVENTS_DROPPED, 3);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PAGING_LEVELS, 5);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_PROBES_MISSED, 2);
	/* An attribute from a future module: must be skipped, not fatal. */
	mnl_attr_put_u32(nlh, PROCSCOPE_A_MAX + 7, 1);
	return nlh;
}

START_TEST(test_status_parse)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ps_status st;

	ck_assert_int_eq(status_parse(canned_status(buf, false), &st), 0);
	ck_assert_str_eq(st.module_version, "9.8.7");
	ck_assert_uint_eq(st.abi_version, 1);
	ck_assert_uint_eq(st.seen, 10);
	ck_assert_uint_eq(st.delivered, 7);
	ck_assert_uint_eq(st.dropped, 3);
	ck_assert_uint_eq(st.paging_levels, 5);
	ck_assert_uint_eq(st.probes_missed, 2);
	/* A u8 where a u32 belongs fails validation. */
	ck_assert_int_eq(status_parse(canned_status(buf, true), &st), -EINVAL);
}
END_TEST

START_TEST(test_status_render)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], *out = NULL;
	struct ps_status st;
	struct json j;

	ck_assert_int_eq(status_parse(canned_status(buf, false), &st), 0);
	CAPTURE(out, {
		json_init(&j, _f);
		status_render_json(&st, &j);
	});
	ck_assert_ptr_nonnull(strstr(out, "\"module_version\":\"9.8.7\""));
	ck_assert_ptr_nonnull(strstr(out, "\"hooks\":[\"page_fault_user\",\"tcp_accept\"]"));
	ck_assert_ptr_nonnull(strstr(out, "\"events\":{\"seen\":10,\"delivered\":7,\"dropped\":3,\"probes_missed\":2}"));
	free(out);
	CAPTURE(out, status_render_text(&st, _f));
	ck_assert_ptr_nonnull(strstr(out, "procscope 9.8.7 (netlink ABI 1)"));
	ck_assert_ptr_nonnull(strstr(out, "5 levels (LA57"));
	ck_assert_ptr_nonnull(strstr(out, "10 seen, 7 delivered, 3 dropped"));
	ck_assert_ptr_nonnull(strstr(out, "missed:   2 calls"));
	/* Hooks the kernel lacks are named, not just left out. */
	ck_assert_ptr_nonnull(strstr(out, "missing:  page_fault_kernel handle_mm_fault"));
	ck_assert_ptr_null(strstr(out, "missing:  page_fault_user"));
	free(out);
}
END_TEST

START_TEST(test_nl_error_extack)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], msg[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -ESRCH;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no such process");
	ck_assert_int_eq(ps_nl_parse_error(nlh, msg, sizeof(msg)), -ESRCH);
	ck_assert_str_eq(msg, "no such process");
}
END_TEST

START_TEST(test_nl_strerror)
{
	struct ps_nl nl;
	char buf[512];

	memset(&nl, 0, sizeof(nl));
	ck_assert_ptr_nonnull(strstr(ps_nl_strerror(&nl, -ENOENT, buf, sizeof(buf)),
				     "not loaded"));
	nl.version = 2;
	ck_assert_ptr_nonnull(strstr(ps_nl_strerror(&nl, -EPROTO, buf, sizeof(buf)),
				     "ABI version mismatch"));
	snprintf(nl.errmsg, sizeof(nl.errmsg), "not permitted: not yours");
	ck_assert_str_eq(ps_nl_strerror(&nl, -EPERM, buf, sizeof(buf)),
			 "not permitted: not yours");
	snprintf(nl.errmsg, sizeof(nl.errmsg), "no CAP_SYS_ADMIN");
	ck_assert_str_eq(ps_nl_strerror(&nl, -EPERM, buf, sizeof(buf)),
			 "not permitted: no CAP_SYS_ADMIN");
	snprintf(nl.errmsg, sizeof(nl.errmsg), "kernel thread");
	ck_assert_str_eq(ps_nl_strerror(&nl, -EINVAL, buf, sizeof(buf)),
			 "kernel thread (Invalid argument)");
	/* Whatever the last request said: the module went away. */
	ck_assert_str_eq(ps_nl_strerror(&nl, -ENODEV, buf, sizeof(buf)),
			 "the procscope kernel module was unloaded");
}
END_TEST

Suite *core_suite(void)
{
	return TEST_SUITE("core",
			  test_parse_pid,
			  test_parse_range,
			  test_parse_duration,
			  test_pid_operand,
			  test_json_nesting,
			  test_fmt_bytes,
			  test_status_parse,
			  test_status_render,
			  test_nl_error_extack,
			  test_nl_strerror);
}
