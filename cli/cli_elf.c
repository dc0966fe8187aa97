// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_elf.c - Can a program load the preload shim?  (static or set-id)
 *
 * DOC: The static-program check
 *
 * `facet run` asks this of every command it starts (auto and preload
 * backends): a static program goes to the ptracer.  libelf reads the
 * ELF header and the program headers, from the file's first page when
 * they lie there (one read(), no more calls), else from the file.  A
 * program whose program headers cannot be read counts as static: the
 * kernel refuses such a file anyway, and in doubt the ptracer, which
 * never lets a program run outside the view, is the one to report it.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define CLI_ELF_HEAD	4096

/*
 * libelf on the @n bytes of the file in @head when they hold the ELF
 * header and every program header (the usual case), else on @fd
 */
static Elf *cli_elf_open(int fd, char *head, size_t n)
{
	Elf64_Ehdr eh;

	if (n < sizeof(eh))
		return elf_begin(fd, ELF_C_READ, NULL);
	memcpy(&eh, head, sizeof(eh));
	if (eh.e_ident[EI_CLASS] == ELFCLASS64 &&
	    eh.e_ident[EI_DATA] == ELFDATA2LSB && eh.e_phnum != PN_XNUM &&
	    eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phoff <= n &&
	    (n - eh.e_phoff) / sizeof(Elf64_Phdr) >= eh.e_phnum)
		return elf_memory(head, n);
	return elf_begin(fd, ELF_C_READ, NULL);
}

/*
 * Is the ELF file (@n bytes @head read from @fd) a program that cannot
 * load the shim: an executable or PIE without PT_INTERP, or one of
 * another ABI (i386, x32, another machine)?  Objects and core files are
 * not programs, and a class or byte order ELF does not define is not an
 * ELF file: 0.
 */
static int cli_elf_static(int fd, char *head, size_t n)
{
	int ret = 1, cls;
	size_t i, nph;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	e = cli_elf_open(fd, head, n);
	if (!e)
		return 0;
	cls = gelf_getclass(e);
	if (elf_kind(e) != ELF_K_ELF || cls == ELFCLASSNONE ||
	    !gelf_getehdr(e, &eh) ||
	    (eh.e_ident[EI_DATA] != ELFDATA2LSB &&
	     eh.e_ident[EI_DATA] != ELFDATA2MSB) ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		ret = 0;
		goto out;
	}
	if (cls != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64 || elf_getphdrnum(e, &nph) != 0)
		goto out;
	for (i = 0; i < nph; i++) {
		if (!gelf_getphdr(e, (int)i, &ph))
			goto out;	/* unreadable: static, as above */
		if (ph.p_type == PT_INTERP) {
			ret = 0;
			break;
		}
	}
out:
	elf_end(e);
	return ret;
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
	char head[CLI_ELF_HEAD];
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
		nl = strchr(head, '\n');
		if (nl)
			*nl = '\0';
		interp = head + 2 + strspn(head + 2, " \t");
		interp[strcspn(interp, " \t")] = '\0';
		return *interp ? cli_elf_is_static(interp, depth + 1) : 0;
	}
	if (n >= SELFMAG && !memcmp(head, ELFMAG, SELFMAG))
		ret = cli_elf_static(fd, head, (size_t)n);
	close(fd);
	return ret;
}
