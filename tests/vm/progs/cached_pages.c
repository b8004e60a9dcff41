// SPDX-License-Identifier: GPL-2.0
/*
 * How many pages of FILE the page cache holds (mincore() of a mapping that
 * touches nothing): "cached_pages FILE" prints the count.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *vec;
	unsigned long n = 0;
	struct stat st;
	size_t pages, i;
	void *p;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: cached_pages FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return perror(argv[1]), 1;
	if (!st.st_size)
		return puts("0") < 0;
	pages = ((size_t)st.st_size + page - 1) / page;
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	vec = malloc(pages);
	if (p == MAP_FAILED || !vec || mincore(p, st.st_size, vec))
		return perror("mincore"), 1;
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	printf("%lu\n", n);
	return 0;
}
