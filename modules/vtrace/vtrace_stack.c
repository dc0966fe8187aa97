// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_stack.c - --stack: the caller's stack at each call
 *
 * DOC: Stack traces
 *
 * Under the ptrace backend the module runs in the supervisor's ptrace
 * thread while the caller sits in a ptrace stop at the call's entry, so
 * libunwind-ptrace can unwind it remotely (PTRACE_PEEKDATA, GETREGS).
 * Addresses are named with libdw: one Dwfl per process, built from
 * /proc/PID/maps at the first call and again after an exec or when an
 * address falls outside every known module (a dlopen()).  Frames are kept
 * as lines "MODULE(FUNCTION+0xOFF) [0xADDR]" with " FILE:LINE" when the
 * debug information has it, as strace -k prints them.  libunwind and libdw
 * are loaded when --stack is asked for (core/lib.h): other runs of facet
 * do not load them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <elfutils/libdwfl.h>
#include <libunwind-ptrace.h>

#include "../../core/lib.h"
#include "vtrace.h"

#define VTRACE_STACK_DEPTH	32

static FACET_LIB_FN(unw_create_addr_space);
static FACET_LIB_FN(unw_destroy_addr_space);
static FACET_LIB_FN(unw_get_reg);
static FACET_LIB_FN(unw_init_remote);
static FACET_LIB_FN(unw_set_caching_policy);
static FACET_LIB_FN(unw_step);
static FACET_LIB_FN(_UPT_accessors);
static FACET_LIB_FN(_UPT_create);
static FACET_LIB_FN(_UPT_destroy);
static FACET_LIB_FN(dwfl_addrmodule);
static FACET_LIB_FN(dwfl_begin);
static FACET_LIB_FN(dwfl_end);
static FACET_LIB_FN(dwfl_lineinfo);
static FACET_LIB_FN(dwfl_linux_proc_find_elf);
static FACET_LIB_FN(dwfl_linux_proc_report);
static FACET_LIB_FN(dwfl_module_addrinfo);
static FACET_LIB_FN(dwfl_module_getsrc);
static FACET_LIB_FN(dwfl_module_info);
static FACET_LIB_FN(dwfl_report_begin);
static FACET_LIB_FN(dwfl_report_end);
static FACET_LIB_FN(dwfl_standard_find_debuginfo);

static const struct facet_lib_sym vtrace_unw_syms[] = {
	FACET_LIB_SYM(unw_create_addr_space),
	FACET_LIB_SYM(unw_destroy_addr_space),
	FACET_LIB_SYM(unw_get_reg),
	FACET_LIB_SYM(unw_init_remote),
	FACET_LIB_SYM(unw_set_caching_policy),
	FACET_LIB_SYM(unw_step),
};

static const struct facet_lib_sym vtrace_upt_syms[] = {
	FACET_LIB_SYM(_UPT_accessors),
	FACET_LIB_SYM(_UPT_create),
	FACET_LIB_SYM(_UPT_destroy),
};

static const struct facet_lib_sym vtrace_dw_syms[] = {
	FACET_LIB_SYM(dwfl_addrmodule),
	FACET_LIB_SYM(dwfl_begin),
	FACET_LIB_SYM(dwfl_end),
	FACET_LIB_SYM(dwfl_lineinfo),
	FACET_LIB_SYM(dwfl_linux_proc_find_elf),
	FACET_LIB_SYM(dwfl_linux_proc_report),
	FACET_LIB_SYM(dwfl_module_addrinfo),
	FACET_LIB_SYM(dwfl_module_getsrc),
	FACET_LIB_SYM(dwfl_module_info),
	FACET_LIB_SYM(dwfl_report_begin),
	FACET_LIB_SYM(dwfl_report_end),
	FACET_LIB_SYM(dwfl_standard_find_debuginfo),
};

/* In this order: libunwind-ptrace uses libunwind-x86_64's symbols (the
 * first is loaded RTLD_GLOBAL: vtrace_stack_start()) */
static struct facet_lib vtrace_stack_libs[] = {
	FACET_LIB(FACET_SONAME_UNWIND, "libunwind8", vtrace_unw_syms),
	FACET_LIB(FACET_SONAME_UNWIND_PTRACE, "libunwind8", vtrace_upt_syms),
	FACET_LIB(FACET_SONAME_DW, "libdw1", vtrace_dw_syms),
};

/* Filled in when libdw is loaded */
static Dwfl_Callbacks vtrace_dwfl_callbacks;

/**
 * vtrace_stack_start() - Prepare stack traces, if asked for
 * @v:		Module state
 * @backend:	The backend's name
 * @err:	Error message
 *
 * Return: 0, or -ENOTSUP outside the ptrace backend
 */
int vtrace_stack_start(struct vtrace *v, const char *backend,
		       struct facet_err *err)
{
	size_t i;
	int ret;

	if (!v->stack)
		return 0;
	if (strcmp(backend, "ptrace"))
		return facet_err_set(err, ENOTSUP, "vtrace: stack traces "
				     "(--stack) need the ptrace backend: drop "
				     "--backend %s", backend);
	/* libunwind's symbols must be global for libunwind-ptrace */
	vtrace_stack_libs[0].global = 1;
	for (i = 0; i < sizeof(vtrace_stack_libs) /
			sizeof(vtrace_stack_libs[0]); i++) {
		ret = facet_lib_load(&vtrace_stack_libs[i], "--stack", err);
		if (ret < 0)
			return ret;
	}
	vtrace_dwfl_callbacks.find_elf = sym_dwfl_linux_proc_find_elf;
	vtrace_dwfl_callbacks.find_debuginfo = sym_dwfl_standard_find_debuginfo;
	v->unw_as = sym_unw_create_addr_space(sym__UPT_accessors, 0);
	if (!v->unw_as)
		return facet_err_set(err, ENOMEM, "vtrace: libunwind could "
				     "not create an address space for --stack");
	sym_unw_set_caching_policy(v->unw_as, UNW_CACHE_NONE);
	return 0;
}

/* The Dwfl of process @pid, made or remade when @fresh */
static Dwfl *vtrace_dwfl(struct vtrace *v, pid_t pid, int fresh)
{
	struct vtrace_dwfl *d, *slot = &v->dwfl[pid % VTRACE_DWFL];
	Dwfl *dwfl;

	d = slot;
	if (d->dwfl && d->pid == pid && !fresh)
		return d->dwfl;
	if (d->dwfl)
		sym_dwfl_end(d->dwfl);
	d->dwfl = NULL;
	dwfl = sym_dwfl_begin(&vtrace_dwfl_callbacks);
	if (!dwfl)
		return NULL;
	sym_dwfl_report_begin(dwfl);
	if (sym_dwfl_linux_proc_report(dwfl, pid) != 0 ||
	    sym_dwfl_report_end(dwfl, NULL, NULL) != 0) {
		sym_dwfl_end(dwfl);
		return NULL;
	}
	d->pid = pid;
	d->dwfl = dwfl;
	return dwfl;
}

/**
 * vtrace_stack_forget() - Drop what is known of @pid's images
 * @v:		Module state
 * @pid:	Process that exec'd or ended
 */
void vtrace_stack_forget(struct vtrace *v, pid_t pid)
{
	struct vtrace_dwfl *d = &v->dwfl[pid % VTRACE_DWFL];

	if (d->dwfl && d->pid == pid) {
		sym_dwfl_end(d->dwfl);
		d->dwfl = NULL;
	}
}

/* One frame: MODULE(FUNCTION+0xOFF) [0xREL] FILE:LINE */
static void vtrace_stack_frame(struct vtrace *v, pid_t pid,
			       struct vtrace_buf *out, unw_word_t ip, int top)
{
	Dwfl *dwfl = vtrace_dwfl(v, pid, 0);
	Dwfl_Module *m = dwfl ? sym_dwfl_addrmodule(dwfl, ip) : NULL;
	const char *mname = NULL, *sym = NULL, *file;
	Dwarf_Addr start = 0, look = top ? ip : ip - 1;
	GElf_Off off = 0;
	GElf_Sym s;
	Dwfl_Line *line;
	int lineno;

	if (dwfl && !m) {	/* perhaps dlopen()ed since: look again */
		dwfl = vtrace_dwfl(v, pid, 1);
		m = dwfl ? sym_dwfl_addrmodule(dwfl, ip) : NULL;
	}
	if (m) {
		mname = sym_dwfl_module_info(m, NULL, &start, NULL, NULL, NULL,
					 NULL, NULL);
		sym = sym_dwfl_module_addrinfo(m, look, &off, &s, NULL, NULL,
					   NULL);
		if (sym && !top)
			off++;
	}
	vtrace_buf_printf(out, "%s(", mname ? mname : "?");
	if (sym)
		vtrace_buf_printf(out, "%s+%#lx", sym, (unsigned long)off);
	vtrace_buf_printf(out, ") [%#lx]", (unsigned long)(ip - start));
	line = m ? sym_dwfl_module_getsrc(m, look) : NULL;
	file = line ? sym_dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL)
		    : NULL;
	if (file)
		vtrace_buf_printf(out, " %s:%d", file, lineno);
	vtrace_buf_puts(out, "\n");
}

/**
 * vtrace_stack_capture() - Append the stack of a stopped thread
 * @v:		Module state
 * @pid:	Its process
 * @tid:	The thread, in a ptrace stop
 * @out:	Receives one line per frame, innermost first
 */
void vtrace_stack_capture(struct vtrace *v, pid_t pid, pid_t tid,
			  struct vtrace_buf *out)
{
	void *upt = sym__UPT_create(tid);
	unw_cursor_t cur;
	unw_word_t ip;
	int depth = 0;

	if (!upt)
		return;
	if (sym_unw_init_remote(&cur, v->unw_as, upt) == 0) {
		do {
			if (sym_unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || !ip)
				break;
			vtrace_stack_frame(v, pid, out, ip, !depth);
		} while (++depth < VTRACE_STACK_DEPTH && sym_unw_step(&cur) > 0);
	}
	sym__UPT_destroy(upt);
}

/**
 * vtrace_stack_stop() - Free what stack traces used
 * @v:		Module state
 */
void vtrace_stack_stop(struct vtrace *v)
{
	int i;

	for (i = 0; i < VTRACE_DWFL; i++)
		if (v->dwfl[i].dwfl)
			sym_dwfl_end(v->dwfl[i].dwfl);
	memset(v->dwfl, 0, sizeof(v->dwfl));
	if (v->unw_as)
		sym_unw_destroy_addr_space(v->unw_as);
	v->unw_as = NULL;
}
