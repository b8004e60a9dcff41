/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_ATTRS_H
#define PROCSCOPE_ATTRS_H

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdint.h>

#include <linux/procscope.h>

/*
 * One attribute space of the uapi header: its highest type and the libmnl
 * type of each member, so every attribute is checked with
 * mnl_attr_validate() before it is read. Types above @max are skipped, so
 * this tool keeps working with a newer module.
 */
struct attr_space {
	const char *name;
	int max;
	const enum mnl_attr_data_type *types;
};

extern const struct attr_space attrs_top;
extern const struct attr_space attrs_vma;
extern const struct attr_space attrs_pte;
extern const struct attr_space attrs_pte_run;
extern const struct attr_space attrs_step;
extern const struct attr_space attrs_watch;
extern const struct attr_space attrs_hist;
extern const struct attr_space attrs_fault;
extern const struct attr_space attrs_sock;
extern const struct attr_space attrs_sock_event;
/*
 * Nests of counters indexed by a small number: type = index + 1 (pad
 * attributes, if any, use type 0), e.g. WATCH_BY_CLASS.
 */
extern const struct attr_space attrs_u32_array;

/*
 * Parse the attributes of a generic netlink message (after the genl
 * header) into @tb, which must have space->max + 1 entries. Returns 0, or
 * -EINVAL for an attribute that fails validation.
 */
int attrs_parse_msg(const struct nlmsghdr *nlh, const struct attr_space *space,
		    const struct nlattr **tb);
int attrs_parse_nest(const struct nlattr *nest, const struct attr_space *space,
		     const struct nlattr **tb);

/* Read helpers returning @def when the attribute is absent. */
uint64_t attr_u64(const struct nlattr *a, uint64_t def);
uint32_t attr_u32(const struct nlattr *a, uint32_t def);
uint16_t attr_u16(const struct nlattr *a, uint16_t def);
uint8_t attr_u8(const struct nlattr *a, uint8_t def);
const char *attr_str(const struct nlattr *a, const char *def);

/*
 * Fill @out[0..n) from a nest of u64 (or u32) counters whose types are
 * index + 1 (or index itself with @base 0). Missing entries become 0.
 */
int attrs_get_u64_array(const struct nlattr *nest, uint64_t *out, int n, int base);

#endif
