// SPDX-License-Identifier: MIT
/* facet - tests/progs/gate_squat.c: a program that maps a page at the
 * combined mode's gate address (SHIM_GATE_PAGE) before any library's
 * constructor runs (its preinit_array), as a program that uses that
 * address would; the shim must then stand aside and leave every call to
 * the supervisor
 *
 * Usage: gate_squat FILE DIR NAME: prints FILE, then DIR/NAME after a
 * chdir(DIR) by its relative name
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static void squat(void)
{
	mmap((void *)0xfac0000000UL, 4096, PROT_READ,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

__attribute__((section(".preinit_array"), used))
static void (*const squat_first)(void) = squat;

static int show(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	if (show(argv[1]) || chdir(argv[2]) < 0)
		return 1;
	return show(argv[3]);
}
