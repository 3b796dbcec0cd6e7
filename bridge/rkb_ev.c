#include "rkb_fmacros.h"
#include "rkb_ev.h"
#include "rkb_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

typedef struct file_ev_s {
    int mask;
    rkb_ev_file_fn *rfn, *wfn;
    void *rarg, *warg;
} file_ev_t;

typedef struct timer_s {
    int64_t id;
    int64_t when; /* monotonic ms */
    rkb_ev_timer_fn *fn;
    void *arg;
    struct timer_s *next;
} timer_t_;

struct rkb_ev_s {
    int epfd;
    int stop;
    file_ev_t *files; /* indexed by fd */
    int nfiles;
    timer_t_ *timers; /* unsorted: a daemon has a handful */
    int64_t next_timer_id;
    rkb_ev_hook_fn *before_sleep;
    void *before_sleep_arg;
};

int64_t rkb_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t rkb_wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

rkb_ev_t *rkb_ev_new(void) {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd == -1) {
        return NULL;
    }
    rkb_ev_t *ev = rkb_calloc(1, sizeof(*ev));
    ev->epfd = epfd;
    ev->next_timer_id = 1;
    return ev;
}

void rkb_ev_destroy(rkb_ev_t *ev) {
    if (ev == NULL) {
        return;
    }
    while (ev->timers) {
        timer_t_ *t = ev->timers;
        ev->timers = t->next;
        free(t);
    }
    close(ev->epfd);
    free(ev->files);
    free(ev);
}

static void grow_files(rkb_ev_t *ev, int fd) {
    if (fd < ev->nfiles) {
        return;
    }
    int n = ev->nfiles ? ev->nfiles : 64;
    while (n <= fd) {
        n *= 2;
    }
    ev->files = rkb_realloc(ev->files, sizeof(file_ev_t) * (size_t)n);
    for (int i = ev->nfiles; i < n; i++) {
        ev->files[i] = (file_ev_t){0};
    }
    ev->nfiles = n;
}

static int epoll_apply(rkb_ev_t *ev, int fd, int old_mask, int new_mask) {
    struct epoll_event ee = {0};
    ee.data.fd = fd;
    if (new_mask & RKB_EV_READ) {
        ee.events |= EPOLLIN;
    }
    if (new_mask & RKB_EV_WRITE) {
        ee.events |= EPOLLOUT;
    }
    int op = old_mask == 0 ? EPOLL_CTL_ADD
             : new_mask == 0 ? EPOLL_CTL_DEL
                             : EPOLL_CTL_MOD;
    return epoll_ctl(ev->epfd, op, fd, &ee);
}

int rkb_ev_add(rkb_ev_t *ev, int fd, int mask, rkb_ev_file_fn *fn, void *arg) {
    grow_files(ev, fd);
    file_ev_t *fe = &ev->files[fd];
    int new_mask = fe->mask | mask;
    if (new_mask != fe->mask && epoll_apply(ev, fd, fe->mask, new_mask)) {
        return -1;
    }
    fe->mask = new_mask;
    if (mask & RKB_EV_READ) {
        fe->rfn = fn;
        fe->rarg = arg;
    }
    if (mask & RKB_EV_WRITE) {
        fe->wfn = fn;
        fe->warg = arg;
    }
    return 0;
}

void rkb_ev_del(rkb_ev_t *ev, int fd, int mask) {
    if (fd < 0 || fd >= ev->nfiles || ev->files[fd].mask == 0) {
        return;
    }
    file_ev_t *fe = &ev->files[fd];
    int new_mask = fe->mask & ~mask;
    if (new_mask != fe->mask) {
        epoll_apply(ev, fd, fe->mask, new_mask);
    }
    fe->mask = new_mask;
}

int rkb_ev_mask(const rkb_ev_t *ev, int fd) {
    return fd >= 0 && fd < ev->nfiles ? ev->files[fd].mask : 0;
}

int64_t rkb_ev_timer_add(rkb_ev_t *ev, int64_t ms, rkb_ev_timer_fn *fn,
                         void *arg) {
    timer_t_ *t = rkb_malloc(sizeof(*t));
    t->id = ev->next_timer_id++;
    t->when = rkb_mono_ms() + ms;
    t->fn = fn;
    t->arg = arg;
    t->next = ev->timers;
    ev->timers = t;
    return t->id;
}

void rkb_ev_timer_del(rkb_ev_t *ev, int64_t id) {
    for (timer_t_ **pp = &ev->timers; *pp; pp = &(*pp)->next) {
        if ((*pp)->id == id) {
            timer_t_ *t = *pp;
            *pp = t->next;
            free(t);
            return;
        }
    }
}

void rkb_ev_set_before_sleep(rkb_ev_t *ev, rkb_ev_hook_fn *fn, void *arg) {
    ev->before_sleep = fn;
    ev->before_sleep_arg = arg;
}

void rkb_ev_stop(rkb_ev_t *ev) {
    ev->stop = 1;
}

static void run_timers(rkb_ev_t *ev) {
    int64_t now = rkb_mono_ms();
    /* A callback may add or delete timers: restart the scan after each. */
    for (;;) {
        timer_t_ *due = NULL;
        for (timer_t_ *t = ev->timers; t; t = t->next) {
            if (t->when <= now) {
                due = t;
                break;
            }
        }
        if (due == NULL) {
            return;
        }
        int64_t id = due->id;
        due->when = INT64_MAX; /* not due again during this pass */
        int64_t again = due->fn(ev, id, due->arg);
        /* The callback may have deleted its own timer. */
        for (timer_t_ *t = ev->timers; t; t = t->next) {
            if (t->id == id) {
                if (again == RKB_EV_TIMER_STOP) {
                    rkb_ev_timer_del(ev, id);
                } else {
                    t->when = now + again;
                }
                break;
            }
        }
    }
}

static int next_timeout_ms(const rkb_ev_t *ev) {
    int64_t now = rkb_mono_ms(), best = -1;
    for (const timer_t_ *t = ev->timers; t; t = t->next) {
        int64_t d = t->when - now;
        if (d < 0) {
            d = 0;
        }
        if (best == -1 || d < best) {
            best = d;
        }
    }
    return best > 1000 ? 1000 : (int)best;
}

void rkb_ev_run(rkb_ev_t *ev) {
    struct epoll_event events[64];
    ev->stop = 0;
    while (!ev->stop) {
        if (ev->before_sleep) {
            ev->before_sleep(ev, ev->before_sleep_arg);
            if (ev->stop) {
                break;
            }
        }
        int n = epoll_wait(ev->epfd, events, 64, next_timeout_ms(ev));
        if (n == -1 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            uint32_t e = events[i].events;
            /* Errors and hang-ups are reported to whoever reads or writes. */
            if (e & (EPOLLERR | EPOLLHUP)) {
                e |= EPOLLIN | EPOLLOUT;
            }
            if ((e & EPOLLIN) && fd < ev->nfiles &&
                (ev->files[fd].mask & RKB_EV_READ)) {
                ev->files[fd].rfn(ev, fd, ev->files[fd].rarg, RKB_EV_READ);
            }
            /* Re-check: the read callback may have removed the fd. */
            if ((e & EPOLLOUT) && fd < ev->nfiles &&
                (ev->files[fd].mask & RKB_EV_WRITE)) {
                ev->files[fd].wfn(ev, fd, ev->files[fd].warg, RKB_EV_WRITE);
            }
        }
        run_timers(ev);
    }
}
