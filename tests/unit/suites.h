/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TEST_SUITES_H
#define PROCSCOPE_TEST_SUITES_H

#include <check.h>

/* One line per suite; main.c runs them all. */
Suite *core_suite(void);
Suite *pt_suite(void);
Suite *faults_suite(void);
Suite *live_suite(void);
Suite *sock_suite(void);
Suite *svg_suite(void);
Suite *term_suite(void);
Suite *show_suite(void);
Suite *top_suite(void);
Suite *mapped_file_suite(void);

#endif
