// SPDX-License-Identifier: GPL-2.0
/* All unit-test suites in one runner, closing with "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

static Suite *(*const suites[])(void) = {
	core_suite,
	pt_suite,
	faults_suite,
	live_suite,
	sock_suite,
	svg_suite,
	term_suite,
	show_suite,
	top_suite,
	mapped_file_suite,
};

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int run, failed;
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("%d passed, %d failed\n", run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
