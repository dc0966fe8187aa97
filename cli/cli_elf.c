// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_elf.c - Can a program load the preload shim?  (static or set-id)
 *
 * DOC: Reading the ELF header by hand
 *
 * `facet run` asks this of every command it starts (auto and preload
 * backends): a static program goes to the ptracer.  Only the ELF header
 * and the program headers are needed, which one read() of the file's
 * first page holds in practice.  This used libelf, but linking it loaded
 * libelf and libz into every facet process (two more libraries for ld.so
 * to map and relocate: ~20 system calls and ~20 page faults per run, on a
 * VM where a fault costs ~10 us), for the few lines below.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define CLI_ELF_HEAD	4096

/* A 16-bit field of the header in the file's byte order */
static unsigned cli_elf_u16(const unsigned char *p, int msb)
{
	return msb ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/*
 * The number of program headers of the 64-bit little-endian ELF @eh read
 * from @fd: e_phnum, or section 0's sh_info when it is PN_XNUM
 * (ELF's escape for more than 65,534); -1 if unreadable
 */
static long cli_elf_phnum(int fd, const Elf64_Ehdr *eh)
{
	Elf64_Shdr sh0;

	if (eh->e_phnum != PN_XNUM)
		return eh->e_phnum;
	if (!eh->e_shoff || pread(fd, &sh0, sizeof(sh0), (off_t)eh->e_shoff) !=
			    (ssize_t)sizeof(sh0))
		return -1;
	return sh0.sh_info;
}

/*
 * Does the x86-64 ELF program (@n bytes @head read from @fd) lack
 * PT_INTERP?  Program headers outside @head are read with pread().
 * Headers that cannot be read count as static: the kernel refuses such a
 * file anyway, and in doubt the ptracer, which never lets a program run
 * outside the view, is the one to report it.
 */
static int cli_elf_no_interp(int fd, const unsigned char *head, size_t n)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	long i, nph;

	memcpy(&eh, head, sizeof(eh));
	nph = cli_elf_phnum(fd, &eh);
	if (nph < 0 || eh.e_phentsize != sizeof(Elf64_Phdr))
		return 1;
	for (i = 0; i < nph; i++) {
		uint64_t off = eh.e_phoff + (uint64_t)i * sizeof(ph);

		if (off + sizeof(ph) <= n)
			memcpy(&ph, head + off, sizeof(ph));
		else if (pread(fd, &ph, sizeof(ph), (off_t)off) !=
			 (ssize_t)sizeof(ph))
			return 1;
		if (ph.p_type == PT_INTERP)
			return 0;
	}
	return 1;
}

/*
 * Is the ELF file in @head (@n bytes read from @fd) a program that cannot
 * load the shim: an executable or PIE without PT_INTERP, or one of another
 * ABI (i386, x32, another machine)?  Objects and core files are not
 * programs: 0.
 */
static int cli_elf_static(int fd, const unsigned char *head, size_t n)
{
	int msb = head[EI_DATA] == ELFDATA2MSB;
	unsigned type, machine;

	/* e_type and e_machine sit at 16 and 18 in both classes; a class or
	 * byte order ELF does not define is not an ELF file */
	if (n < 20 || (head[EI_CLASS] != ELFCLASS32 &&
		       head[EI_CLASS] != ELFCLASS64) ||
	    (head[EI_DATA] != ELFDATA2LSB && head[EI_DATA] != ELFDATA2MSB))
		return 0;
	type = cli_elf_u16(head + 16, msb);
	machine = cli_elf_u16(head + 18, msb);
	if (type != ET_EXEC && type != ET_DYN)
		return 0;
	if (head[EI_CLASS] != ELFCLASS64 || head[EI_DATA] != ELFDATA2LSB ||
	    machine != EM_X86_64)
		return 1;
	if (n < sizeof(Elf64_Ehdr))
		return 1;	/* a truncated header: as above */
	return cli_elf_no_interp(fd, head, n);
}

/**
 * cli_elf_is_static() - Is @path a static program (or run by one)?
 * @path:	File name
 * @depth:	#! levels followed so far
 *
 * An ELF executable without PT_INTERP cannot load the preload shim, and
 * a set-id one ignores LD_PRELOAD: both count as static.  A script counts
 * as static when its interpreter is.
 *
 * Return: 1 static, 0 dynamic or not ELF, -errno if unreadable
 */
int cli_elf_is_static(const char *path, int depth)
{
	unsigned char head[CLI_ELF_HEAD];
	char *nl, *interp;
	struct stat st;
	int fd, ret = 0;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* set-id programs ignore LD_PRELOAD: the ptracer runs them */
	if (fstat(fd, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)) &&
	    (st.st_mode & 0111)) {
		close(fd);
		return 1;
	}
	n = read(fd, head, sizeof(head) - 1);
	if (n > 2 && head[0] == '#' && head[1] == '!' && depth < 3) {
		close(fd);
		head[n] = '\0';
		nl = strchr((char *)head, '\n');
		if (nl)
			*nl = '\0';
		interp = (char *)head + 2 + strspn((char *)head + 2, " \t");
		interp[strcspn(interp, " \t")] = '\0';
		return *interp ? cli_elf_is_static(interp, depth + 1) : 0;
	}
	if (n >= SELFMAG && !memcmp(head, ELFMAG, SELFMAG))
		ret = cli_elf_static(fd, head, (size_t)n);
	close(fd);
	return ret;
}
