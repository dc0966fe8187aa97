// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_timed.c - Timed waits and timers that libc makes inside
 * itself, in trap mode
 *
 * A timed wait takes an absolute deadline on some clock, or a timeout,
 * and makes its futex (or the timed syscall) inside libc: a module that
 * changes time (vtime) must see it, or a deadline in the view's year 2038
 * would wait 12 years of real time.  C11's thrd_sleep(), mtx_timedlock()
 * and cnd_timedwait() are the pthread ones under other names.
 */
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include "shim_trap.h"

/* timed waits: the futex or the timed syscall is made inside libc */
TRAP(int, sem_timedwait, TRAP_FUTEX, (sem_t *s, const struct timespec *t),
     (s, t))
TRAP(int, sem_clockwait, TRAP_FUTEX,
     (sem_t *s, clockid_t c, const struct timespec *t), (s, c, t))
TRAP(int, pthread_mutex_timedlock, TRAP_FUTEX,
     (pthread_mutex_t *m, const struct timespec *t), (m, t))
TRAP(int, pthread_cond_timedwait, TRAP_FUTEX,
     (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t),
     (c, m, t))
TRAP(int, pthread_cond_clockwait, TRAP_FUTEX,
     (pthread_cond_t *c, pthread_mutex_t *m, clockid_t k,
      const struct timespec *t), (c, m, k, t))
TRAP(int, pthread_timedjoin_np, TRAP_FUTEX,
     (pthread_t th, void **r, const struct timespec *t), (th, r, t))
TRAP(int, timer_settime, TRAP_TIMER,
     (timer_t id, int f, const struct itimerspec *n, struct itimerspec *o),
     (id, f, n, o))
TRAP(int, timer_gettime, TRAP_TIMER, (timer_t id, struct itimerspec *c),
     (id, c))
TRAP(int, ppoll, T(SYS_ppoll),
     (struct pollfd *f, nfds_t n, const struct timespec *t,
      const sigset_t *m), (f, n, t, m))
TRAP(int, pselect, T(SYS_pselect6),
     (int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t,
      const sigset_t *m), (n, r, w, e, t, m))
TRAP(int, epoll_pwait, T(SYS_epoll_pwait),
     (int fd, struct epoll_event *e, int n, int t, const sigset_t *m),
     (fd, e, n, t, m))
TRAP(int, sigtimedwait, T(SYS_rt_sigtimedwait),
     (const sigset_t *s, siginfo_t *i, const struct timespec *t), (s, i, t))
TRAP(int, semtimedop, T(SYS_semtimedop),
     (int id, struct sembuf *o, size_t n, const struct timespec *t),
     (id, o, n, t))
TRAP(ssize_t, mq_timedreceive, T(SYS_mq_timedreceive),
     (mqd_t q, char *b, size_t n, unsigned *p, const struct timespec *t),
     (q, b, n, p, t))
TRAP(int, mq_timedsend, T(SYS_mq_timedsend),
     (mqd_t q, const char *b, size_t n, unsigned p, const struct timespec *t),
     (q, b, n, p, t))
TRAP(int, recvmmsg, T(SYS_recvmmsg),
     (int fd, struct mmsghdr *v, unsigned n, int f, struct timespec *t),
     (fd, v, n, f, t))

TRAP_RARE(int, pthread_mutex_clocklock, TRAP_FUTEX,
     (pthread_mutex_t *m, clockid_t k, const struct timespec *t), (m, k, t))
TRAP_RARE(int, pthread_rwlock_timedrdlock, TRAP_FUTEX,
     (pthread_rwlock_t *l, const struct timespec *t), (l, t))
TRAP_RARE(int, pthread_rwlock_timedwrlock, TRAP_FUTEX,
     (pthread_rwlock_t *l, const struct timespec *t), (l, t))
TRAP_RARE(int, pthread_rwlock_clockrdlock, TRAP_FUTEX,
     (pthread_rwlock_t *l, clockid_t k, const struct timespec *t), (l, k, t))
TRAP_RARE(int, pthread_rwlock_clockwrlock, TRAP_FUTEX,
     (pthread_rwlock_t *l, clockid_t k, const struct timespec *t), (l, k, t))
TRAP_RARE(int, pthread_clockjoin_np, TRAP_FUTEX,
     (pthread_t th, void **r, clockid_t k, const struct timespec *t),
     (th, r, k, t))

/* C11 threads */
TRAP_RARE(int, thrd_sleep, TRAP_SLEEP,
     (const struct timespec *t, struct timespec *rem), (t, rem))
TRAP_RARE(int, mtx_timedlock, TRAP_FUTEX, (mtx_t *m, const struct timespec *t),
     (m, t))
TRAP_RARE(int, cnd_timedwait, TRAP_FUTEX,
     (cnd_t *c, mtx_t *m, const struct timespec *t), (c, m, t))

/* ualarm() is setitimer() inside libc */
TRAP_RARE(useconds_t, ualarm, T(SYS_setitimer), (useconds_t v, useconds_t i),
     (v, i))
