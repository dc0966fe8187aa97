// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_ioctl.c - ioctl requests and their arguments, as
 *				    strace shows the common ones
 *
 * Terminal and fd requests by name (strace's, "SNDCTL_TMR_START or
 * TCSETS" where two requests share a number), their third argument by
 * what the request passes: an int ("[1]"), a struct termios or winsize,
 * a value (TCFLSH's TCIFLUSH), or none (FIOCLEX).  What the kernel fills
 * in (TCGETS, TIOCGWINSZ, FIONREAD...) is read at a successful exit; an
 * error leaves the address.  Other requests stay in hex with the
 * argument's address.
 */
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>

#include "vtrace.h"

#ifndef IBSHIFT
#define IBSHIFT	16	/* the input speed in c_cflag, <asm/termbits.h> */
#endif

/* What the third argument is */
enum vtrace_ioarg {
	IOARG_ADDR,	/* left as the generic decoding wrote it */
	IOARG_NONE,	/* not used: left out */
	IOARG_NUM,	/* a number in the register */
	IOARG_INT_IN,	/* an int the caller passes: [1] */
	IOARG_INT_OUT,	/* an int the kernel writes */
	IOARG_TERMIOS_IN,
	IOARG_TERMIOS_OUT,
	IOARG_WINSZ_IN,
	IOARG_WINSZ_OUT,
	IOARG_TCFLSH,
	IOARG_TCXONC,
};

static const struct vtrace_ioctl {
	unsigned req;
	const char *name;
	enum vtrace_ioarg arg;
} vtrace_ioctls[] = {
	{ TCGETS, "TCGETS", IOARG_TERMIOS_OUT },
	{ TCSETS, "SNDCTL_TMR_START or TCSETS", IOARG_TERMIOS_IN },
	{ TCSETSW, "SNDCTL_TMR_STOP or TCSETSW", IOARG_TERMIOS_IN },
	{ TCSETSF, "SNDCTL_TMR_CONTINUE or TCSETSF", IOARG_TERMIOS_IN },
	{ TCFLSH, "TCFLSH", IOARG_TCFLSH },
	{ TCXONC, "TCXONC", IOARG_TCXONC },
	{ TCSBRK, "TCSBRK", IOARG_NUM },
	{ TIOCSCTTY, "TIOCSCTTY", IOARG_NUM },
	{ TIOCNOTTY, "TIOCNOTTY", IOARG_NONE },
	{ TIOCEXCL, "TIOCEXCL", IOARG_NONE },
	{ TIOCNXCL, "TIOCNXCL", IOARG_NONE },
	{ TIOCGPGRP, "TIOCGPGRP", IOARG_INT_OUT },
	{ TIOCSPGRP, "TIOCSPGRP", IOARG_INT_IN },
	{ TIOCGSID, "TIOCGSID", IOARG_INT_OUT },
	{ TIOCGWINSZ, "TIOCGWINSZ", IOARG_WINSZ_OUT },
	{ TIOCSWINSZ, "TIOCSWINSZ", IOARG_WINSZ_IN },
	{ TIOCOUTQ, "TIOCOUTQ", IOARG_INT_OUT },
	{ TIOCPKT, "TIOCPKT", IOARG_INT_IN },
	{ FIONREAD, "FIONREAD", IOARG_INT_OUT },
	{ FIONBIO, "FIONBIO", IOARG_INT_IN },
	{ FIOASYNC, "FIOASYNC", IOARG_INT_IN },
	{ FIOCLEX, "FIOCLEX", IOARG_NONE },
	{ FIONCLEX, "FIONCLEX", IOARG_NONE },
	{ TIOCGPTN, "TIOCGPTN", IOARG_INT_OUT },
	{ TIOCSPTLCK, "TIOCSPTLCK", IOARG_INT_IN },
	{ TIOCGPTPEER, "TIOCGPTPEER", IOARG_ADDR },
	{ FICLONE, "BTRFS_IOC_CLONE or FICLONE", IOARG_NUM },
};

static const struct vtrace_ioctl *vtrace_ioctl_find(unsigned long req)
{
	size_t i;

	for (i = 0; i < sizeof(vtrace_ioctls) / sizeof(vtrace_ioctls[0]); i++)
		if (vtrace_ioctls[i].req == (unsigned)req)
			return &vtrace_ioctls[i];
	return NULL;
}

/* Names of bits, in the order strace writes them */
struct vtrace_bit {
	unsigned bit;
	const char *name;
};

static const struct vtrace_bit vtrace_iflag[] = {
	{ IGNBRK, "IGNBRK" }, { BRKINT, "BRKINT" }, { IGNPAR, "IGNPAR" },
	{ PARMRK, "PARMRK" }, { INPCK, "INPCK" }, { ISTRIP, "ISTRIP" },
	{ INLCR, "INLCR" }, { IGNCR, "IGNCR" }, { ICRNL, "ICRNL" },
	{ IUCLC, "IUCLC" }, { IXON, "IXON" }, { IXANY, "IXANY" },
	{ IXOFF, "IXOFF" }, { IMAXBEL, "IMAXBEL" }, { IUTF8, "IUTF8" },
	{ 0, NULL }
};

static const struct vtrace_bit vtrace_oflag[] = {
	{ OPOST, "OPOST" }, { OLCUC, "OLCUC" }, { ONLCR, "ONLCR" },
	{ OCRNL, "OCRNL" }, { ONOCR, "ONOCR" }, { ONLRET, "ONLRET" },
	{ OFILL, "OFILL" }, { OFDEL, "OFDEL" }, { 0, NULL }
};

static const struct vtrace_bit vtrace_cflag[] = {
	{ CSTOPB, "CSTOPB" }, { CREAD, "CREAD" }, { PARENB, "PARENB" },
	{ PARODD, "PARODD" }, { HUPCL, "HUPCL" }, { CLOCAL, "CLOCAL" },
	{ CMSPAR, "CMSPAR" }, { CRTSCTS, "CRTSCTS" }, { 0, NULL }
};

static const struct vtrace_bit vtrace_lflag[] = {
	{ ISIG, "ISIG" }, { ICANON, "ICANON" }, { XCASE, "XCASE" },
	{ ECHO, "ECHO" }, { ECHOE, "ECHOE" }, { ECHOK, "ECHOK" },
	{ ECHONL, "ECHONL" }, { NOFLSH, "NOFLSH" }, { IEXTEN, "IEXTEN" },
	{ ECHOCTL, "ECHOCTL" }, { ECHOPRT, "ECHOPRT" }, { ECHOKE, "ECHOKE" },
	{ FLUSHO, "FLUSHO" }, { PENDIN, "PENDIN" }, { TOSTOP, "TOSTOP" },
	{ EXTPROC, "EXTPROC" }, { 0, NULL }
};

/* The bits of @x named by @t, then what is left in hex; "" for none
 * (strace's termios fields end in "|" then) unless @zero names it */
static void vtrace_put_bits(struct vtrace_buf *b, const struct vtrace_bit *t,
			    unsigned x, const char *zero)
{
	int first = 1;

	for (; t->name; t++) {
		if (!(x & t->bit))
			continue;
		vtrace_buf_printf(b, "%s%s", first ? "" : "|", t->name);
		x &= ~t->bit;
		first = 0;
	}
	if (x)
		vtrace_buf_printf(b, "%s%#x", first ? "" : "|", x);
	else if (first && zero)
		vtrace_buf_puts(b, zero);
}

static const char *vtrace_baud(unsigned v, char *out)
{
	static const char *const low[] = { "B0", "B50", "B75", "B110",
		"B134", "B150", "B200", "B300", "B600", "B1200", "B1800",
		"B2400", "B4800", "B9600", "B19200", "B38400" };
	static const char *const high[] = { "BOTHER", "B57600", "B115200",
		"B230400", "B460800", "B500000", "B576000", "B921600",
		"B1000000", "B1152000", "B1500000", "B2000000", "B2500000",
		"B3000000", "B3500000", "B4000000" };

	if (!(v & CBAUDEX))
		return low[v & 017];
	if (!(v & ~(CBAUDEX | 017)))
		return high[v & 017];
	snprintf(out, 16, "%#o", v);
	return out;
}

/* -v: the line discipline and the kernel's 19 control characters, as
 * strace: c_line=N_TTY, c_cc=[[VINTR]=0x3, ..., [VEOL2]=0, [17]=0, [18]=0] */
static void vtrace_put_termios_cc(struct vtrace_buf *b,
				  const struct termios *t)
{
	static const char *const cc[] = { "VINTR", "VQUIT", "VERASE",
		"VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP",
		"VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT",
		"VEOL2" };
	unsigned i;

	if (t->c_line)
		vtrace_buf_printf(b, ", c_line=%u", t->c_line);
	else
		vtrace_buf_puts(b, ", c_line=N_TTY");
	vtrace_buf_puts(b, ", c_cc=[");
	for (i = 0; i < 19; i++) {	/* the kernel's NCCS */
		if (i < sizeof(cc) / sizeof(cc[0]))
			vtrace_buf_printf(b, "%s[%s]=", i ? ", " : "", cc[i]);
		else
			vtrace_buf_printf(b, ", [%u]=", i);
		vtrace_buf_printf(b, t->c_cc[i] ? "%#x" : "0", t->c_cc[i]);
	}
	vtrace_buf_puts(b, "]}");
}

static void vtrace_put_termios(struct vtrace_buf *b, const struct termios *t,
			       int full)
{
	static const char *const csize[] = { "CS5", "CS6", "CS7", "CS8" };
	unsigned o = t->c_oflag, c = t->c_cflag;
	char baud[16];

	vtrace_buf_puts(b, "{c_iflag=");
	vtrace_put_bits(b, vtrace_iflag, t->c_iflag, "0");
	vtrace_buf_printf(b, ", c_oflag=NL%u|CR%u|", !!(o & NLDLY),
			  (o & CRDLY) / CR1);
	if ((o & TABDLY) == TAB3)
		vtrace_buf_puts(b, "XTABS|");
	else
		vtrace_buf_printf(b, "TAB%u|", (o & TABDLY) / TAB1);
	vtrace_buf_printf(b, "BS%u|VT%u|FF%u|", !!(o & BSDLY), !!(o & VTDLY),
			  !!(o & FFDLY));
	vtrace_put_bits(b, vtrace_oflag,
			o & ~(NLDLY | CRDLY | TABDLY | BSDLY | VTDLY | FFDLY),
			NULL);
	vtrace_buf_printf(b, ", c_cflag=%s|", vtrace_baud(c & CBAUD, baud));
	if (c & CIBAUD)
		vtrace_buf_printf(b, "%s<<IBSHIFT|",
				  vtrace_baud((c & CIBAUD) >> IBSHIFT, baud));
	vtrace_buf_printf(b, "%s|", csize[(c & CSIZE) / CS6]);
	vtrace_put_bits(b, vtrace_cflag, c & ~(CBAUD | CIBAUD | CSIZE), NULL);
	vtrace_buf_puts(b, ", c_lflag=");
	vtrace_put_bits(b, vtrace_lflag, t->c_lflag, "0");
	if (full)
		vtrace_put_termios_cc(b, t);
	else
		vtrace_buf_puts(b, ", ...}");
}

/* The third argument as @io says, from @addr in the caller (in @full,
 * not abbreviated: -v); 0 if it could not be read (the address is then
 * left) */
static int vtrace_ioctl_put(struct vtrace_buf *b, struct facet_call *call,
			    const struct vtrace_ioctl *io, uintptr_t addr,
			    int full)
{
	struct termios t;
	struct winsize w;
	int x;

	switch (io->arg) {
	case IOARG_INT_IN:
	case IOARG_INT_OUT:
		if (facet_peek(call, &x, addr, sizeof(x)) != sizeof(x))
			return 0;
		vtrace_buf_printf(b, "[%d]", x);
		return 1;
	case IOARG_TERMIOS_IN:
	case IOARG_TERMIOS_OUT:
		/* the kernel's struct termios: glibc's without the speeds */
		if (facet_peek(call, &t, addr, offsetof(struct termios,
							c_ispeed)) !=
		    (ssize_t)offsetof(struct termios, c_ispeed))
			return 0;
		vtrace_put_termios(b, &t, full);
		return 1;
	case IOARG_WINSZ_IN:
	case IOARG_WINSZ_OUT:
		if (facet_peek(call, &w, addr, sizeof(w)) != sizeof(w))
			return 0;
		vtrace_buf_printf(b, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, "
				  "ws_ypixel=%u}", w.ws_row, w.ws_col,
				  w.ws_xpixel, w.ws_ypixel);
		return 1;
	default:
		return 0;
	}
}

static int vtrace_ioctl_is_out(const struct vtrace_ioctl *io)
{
	return io->arg == IOARG_INT_OUT || io->arg == IOARG_TERMIOS_OUT ||
	       io->arg == IOARG_WINSZ_OUT;
}

/* Replace argument @i's text by @text */
static void vtrace_ioctl_set(struct vtrace_slot *s, int i, const char *text)
{
	s->off[i] = s->args.len;
	vtrace_buf_puts(&s->args, text);
	s->len[i] = s->args.len - s->off[i];
}

/*
 * A request facet does not name, as strace: its fields, _IOC(_IOC_READ,
 * 0x78, 0x3, 0x4), and its argument as a number (0, not NULL)
 */
static void vtrace_ioctl_unknown(struct vtrace_slot *s)
{
	static const char *const dirs[] = { "_IOC_NONE", "_IOC_WRITE",
		"_IOC_READ", "_IOC_READ|_IOC_WRITE" };
	unsigned long req = (unsigned)s->raw[1];
	char text[96];

	snprintf(text, sizeof(text), "_IOC(%s, %#lx, %#lx, %#lx)",
		 dirs[_IOC_DIR(req) & 3], _IOC_TYPE(req), _IOC_NR(req),
		 _IOC_SIZE(req));
	vtrace_ioctl_set(s, 1, text);
	snprintf(text, sizeof(text), "%#lx", (unsigned long)s->raw[2]);
	vtrace_ioctl_set(s, 2, text);
}

/**
 * vtrace_ioctl_entry() - Name the request, decode what the caller passes
 * @v:		Module state
 * @call:	The call, at entry (after the generic decoding)
 * @s:		Its slot
 */
void vtrace_ioctl_entry(const struct vtrace *v, struct facet_call *call,
			struct vtrace_slot *s)
{
	const struct vtrace_ioctl *io = vtrace_ioctl_find(s->raw[1]);
	static const char *const flsh[] = { "TCIFLUSH", "TCOFLUSH",
					    "TCIOFLUSH" };
	static const char *const xonc[] = { "TCOOFF", "TCOON", "TCIOFF",
					    "TCION" };
	long x = s->raw[2];
	char num[32];
	unsigned off;

	if (!io) {
		vtrace_ioctl_unknown(s);
		return;
	}
	vtrace_ioctl_set(s, 1, io->name);
	switch (io->arg) {
	case IOARG_NONE:
		s->off[2] = ~0u;
		return;
	case IOARG_NUM:
		snprintf(num, sizeof(num), "%d", (int)x);
		vtrace_ioctl_set(s, 2, num);
		return;
	case IOARG_TCFLSH:
	case IOARG_TCXONC:
		if (io->arg == IOARG_TCFLSH && x >= 0 && x < 3)
			vtrace_ioctl_set(s, 2, flsh[x]);
		else if (io->arg == IOARG_TCXONC && x >= 0 && x < 4)
			vtrace_ioctl_set(s, 2, xonc[x]);
		else {
			snprintf(num, sizeof(num), "%#lx /* TC??? */", x);
			vtrace_ioctl_set(s, 2, num);
		}
		return;
	default:
		break;
	}
	if (!x || vtrace_ioctl_is_out(io))
		return;
	off = s->args.len;
	if (vtrace_ioctl_put(&s->args, call, io, x,
			     !vtrace_abbrev(v, s->nr))) {
		s->off[2] = off;
		s->len[2] = s->args.len - off;
	}
}

/**
 * vtrace_ioctl_exit() - What the kernel wrote for the request, if it
 *			 succeeded
 * @v:		Module state
 * @call:	The call, at exit
 * @s:		Its slot
 * @ret:	The result
 */
void vtrace_ioctl_exit(const struct vtrace *v, struct facet_call *call,
		       struct vtrace_slot *s, long ret)
{
	const struct vtrace_ioctl *io = vtrace_ioctl_find(s->raw[1]);
	unsigned off = s->args.len;

	if (!io || !vtrace_ioctl_is_out(io) || ret < 0 || !s->raw[2] ||
	    s->off[2] == ~0u)
		return;
	if (vtrace_ioctl_put(&s->args, call, io, s->raw[2],
			     !vtrace_abbrev(v, s->nr))) {
		s->off[2] = off;
		s->len[2] = s->args.len - off;
	}
}
