// SPDX-License-Identifier: GPL-2.0
/* pt_asuser UID CMD [ARG...]: run CMD as UID:UID with no capabilities. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t id;

	if (argc < 3) {
		fprintf(stderr, "usage: pt_asuser UID CMD [ARG...]\n");
		return 2;
	}
	id = (uid_t)strtoul(argv[1], NULL, 0);
	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id)) {
		perror("pt_asuser");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
