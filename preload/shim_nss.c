// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_nss.c - Name service lookups, in trap mode
 *
 * getpwnam(), getgrgid_r(), getservbyname(), gethostbyaddr(), innetgr()
 * and the rest of the name service switch read /etc/passwd, /etc/group,
 * /etc/hosts... (or talk to nscd, DNS servers) through glibc-internal
 * calls: under --root the guest's files must answer, and under a private
 * network its sockets must be the view's.  They can make almost any
 * syscall, so they run in trap mode whenever any module wants anything
 * (shim_trap_all).  The enumerations (getpwent() and its kind) are
 * wrapped as well as the lookups: the set*ent() call that opens the file
 * and each get*ent() that may open it again after an end*ent().
 *
 * The network interfaces are looked up the same way: getifaddrs() and
 * if_nameindex() ask a netlink socket glibc makes for itself, and
 * if_nametoindex() and if_indextoname() make an ioctl on one (until
 * 2026-12-07 they listed the host's interfaces in a private network).
 */
#include <grp.h>
#include <gshadow.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <pwd.h>
#include <resolv.h>
#include <shadow.h>
#include <stdio.h>
#include <netinet/ether.h>

#include "shim_trap.h"

#define NSS(type, name, params, args)					\
	TRAP_RARE(type, name, shim_trap_all, params, args)
#define NSS_VOID(name, params, args)					\
	TRAP_VOID(name, shim_trap_all, params, args)

/* passwd */
NSS(struct passwd *, getpwnam, (const char *n), (n))
NSS(struct passwd *, getpwuid, (uid_t u), (u))
NSS(int, getpwnam_r,
    (const char *n, struct passwd *p, char *b, size_t l, struct passwd **r),
    (n, p, b, l, r))
NSS(int, getpwuid_r,
    (uid_t u, struct passwd *p, char *b, size_t l, struct passwd **r),
    (u, p, b, l, r))
NSS(struct passwd *, getpwent, (void), ())
NSS(int, getpwent_r, (struct passwd *p, char *b, size_t l, struct passwd **r),
    (p, b, l, r))
NSS(int, getpw, (uid_t u, char *b), (u, b))

/* group */
NSS(struct group *, getgrnam, (const char *n), (n))
NSS(struct group *, getgrgid, (gid_t g), (g))
NSS(int, getgrnam_r,
    (const char *n, struct group *g, char *b, size_t l, struct group **r),
    (n, g, b, l, r))
NSS(int, getgrgid_r,
    (gid_t i, struct group *g, char *b, size_t l, struct group **r),
    (i, g, b, l, r))
NSS(struct group *, getgrent, (void), ())
NSS(int, getgrent_r, (struct group *g, char *b, size_t l, struct group **r),
    (g, b, l, r))
NSS(int, getgrouplist, (const char *u, gid_t g, gid_t *l, int *n),
    (u, g, l, n))
NSS(int, initgroups, (const char *u, gid_t g), (u, g))

/* shadow and gshadow, and the lock file of the password files */
NSS(struct spwd *, getspnam, (const char *n), (n))
NSS(int, getspnam_r,
    (const char *n, struct spwd *s, char *b, size_t l, struct spwd **r),
    (n, s, b, l, r))
NSS(struct spwd *, getspent, (void), ())
NSS(int, getspent_r, (struct spwd *s, char *b, size_t l, struct spwd **r),
    (s, b, l, r))
NSS(struct sgrp *, getsgnam, (const char *n), (n))
NSS(struct sgrp *, getsgent, (void), ())
NSS(int, lckpwdf, (void), ())

/* set*ent() opens the file; the first get*ent() may too */
NSS_VOID(setpwent, (void), ())
NSS_VOID(setgrent, (void), ())
NSS_VOID(setspent, (void), ())
NSS_VOID(setsgent, (void), ())
NSS_VOID(sethostent, (int s), (s))
NSS_VOID(setservent, (int s), (s))
NSS_VOID(setprotoent, (int s), (s))
NSS_VOID(setnetent, (int s), (s))

/* hosts, addresses and names */
NSS(int, getaddrinfo,
    (const char *n, const char *s, const struct addrinfo *h,
     struct addrinfo **r), (n, s, h, r))
NSS(int, getnameinfo,
    (const struct sockaddr *a, socklen_t al, char *h, socklen_t hl, char *s,
     socklen_t sl, int f), (a, al, h, hl, s, sl, f))
NSS(struct hostent *, gethostbyname, (const char *n), (n))
NSS(struct hostent *, gethostbyname2, (const char *n, int af), (n, af))
NSS(int, gethostbyname_r,
    (const char *n, struct hostent *h, char *b, size_t l,
     struct hostent **r, int *e), (n, h, b, l, r, e))
NSS(int, gethostbyname2_r,
    (const char *n, int af, struct hostent *h, char *b, size_t l,
     struct hostent **r, int *e), (n, af, h, b, l, r, e))
NSS(struct hostent *, gethostbyaddr, (const void *a, socklen_t l, int t),
    (a, l, t))
NSS(int, gethostbyaddr_r,
    (const void *a, socklen_t al, int t, struct hostent *h, char *b,
     size_t l, struct hostent **r, int *e), (a, al, t, h, b, l, r, e))
NSS(struct hostent *, gethostent, (void), ())

/* services, protocols, networks */
NSS(struct servent *, getservbyname, (const char *n, const char *p), (n, p))
NSS(struct servent *, getservbyport, (int port, const char *p), (port, p))
NSS(int, getservbyname_r,
    (const char *n, const char *p, struct servent *s, char *b, size_t l,
     struct servent **r), (n, p, s, b, l, r))
NSS(int, getservbyport_r,
    (int port, const char *p, struct servent *s, char *b, size_t l,
     struct servent **r), (port, p, s, b, l, r))
NSS(struct servent *, getservent, (void), ())
NSS(struct protoent *, getprotobyname, (const char *n), (n))
NSS(struct protoent *, getprotobynumber, (int p), (p))
NSS(int, getprotobyname_r,
    (const char *n, struct protoent *p, char *b, size_t l,
     struct protoent **r), (n, p, b, l, r))
NSS(int, getprotobynumber_r,
    (int pr, struct protoent *p, char *b, size_t l, struct protoent **r),
    (pr, p, b, l, r))
NSS(struct protoent *, getprotoent, (void), ())
NSS(struct netent *, getnetbyname, (const char *n), (n))
NSS(struct netent *, getnetbyaddr, (uint32_t n, int t), (n, t))
NSS(struct netent *, getnetent, (void), ())

/* netgroups and ethers */
NSS(int, innetgr, (const char *g, const char *h, const char *u,
		   const char *d), (g, h, u, d))
NSS(int, setnetgrent, (const char *g), (g))
NSS(int, ether_hostton, (const char *h, struct ether_addr *a), (h, a))
NSS(int, ether_ntohost, (char *h, const struct ether_addr *a), (h, a))

/* the resolver: /etc/resolv.conf, /etc/hosts and its DNS sockets */
NSS(int, res_init, (void), ())
NSS(int, res_query, (const char *d, int c, int t, unsigned char *a, int l),
    (d, c, t, a, l))
NSS(int, res_search, (const char *d, int c, int t, unsigned char *a, int l),
    (d, c, t, a, l))
NSS(int, res_querydomain,
    (const char *n, const char *d, int c, int t, unsigned char *a, int l),
    (n, d, c, t, a, l))
NSS(int, res_send, (const unsigned char *m, int ml, unsigned char *a, int l),
    (m, ml, a, l))
NSS(int, res_nquery,
    (res_state s, const char *d, int c, int t, unsigned char *a, int l),
    (s, d, c, t, a, l))
NSS(int, res_nsearch,
    (res_state s, const char *d, int c, int t, unsigned char *a, int l),
    (s, d, c, t, a, l))
NSS(int, res_nsend,
    (res_state s, const unsigned char *m, int ml, unsigned char *a, int l),
    (s, m, ml, a, l))

/* network interfaces: glibc's own netlink socket and ioctls */
#define TRAP_IFACES	T(SYS_socket, SYS_ioctl, SYS_sendto, SYS_recvmsg, \
			  SYS_bind, SYS_getsockname)
TRAP_RARE(int, getifaddrs, TRAP_IFACES, (struct ifaddrs **a), (a))
TRAP_RARE(struct if_nameindex *, if_nameindex, TRAP_IFACES, (void), ())
TRAP_RARE(unsigned int, if_nametoindex, TRAP_IFACES, (const char *n), (n))
TRAP_RARE(char *, if_indextoname, TRAP_IFACES,
	  (unsigned int i, char n[IF_NAMESIZE]),
	  (i, n))
