/* rkb_ev.h -- a small ae-style event loop over epoll: file events,
 * monotonic timers and a before-sleep hook. One thread; not thread-safe. */
#ifndef RKB_EV_H
#define RKB_EV_H
#include <stdint.h>

#define RKB_EV_READ 1
#define RKB_EV_WRITE 2
#define RKB_EV_TIMER_STOP (-1) /* timer callback return: do not rearm */

typedef struct rkb_ev_s rkb_ev_t;
typedef void rkb_ev_file_fn(rkb_ev_t *ev, int fd, void *arg, int mask);
/** @returns the delay in ms until the next run, or RKB_EV_TIMER_STOP. */
typedef int64_t rkb_ev_timer_fn(rkb_ev_t *ev, int64_t id, void *arg);
typedef void rkb_ev_hook_fn(rkb_ev_t *ev, void *arg);

rkb_ev_t *rkb_ev_new(void);
void rkb_ev_destroy(rkb_ev_t *ev); /* NULL is a no-op; closes no fd */

/** Adds mask to fd's events; fn/arg replace those of a previous add for
 *  the same direction. @returns 0, or -1 with errno set. */
int rkb_ev_add(rkb_ev_t *ev, int fd, int mask, rkb_ev_file_fn *fn, void *arg);
/** Removes mask from fd's events (fd may be unregistered). */
void rkb_ev_del(rkb_ev_t *ev, int fd, int mask);
int rkb_ev_mask(const rkb_ev_t *ev, int fd);

/** @returns a timer id > 0 that fires after ms. */
int64_t rkb_ev_timer_add(rkb_ev_t *ev, int64_t ms, rkb_ev_timer_fn *fn,
                         void *arg);
void rkb_ev_timer_del(rkb_ev_t *ev, int64_t id); /* unknown id: no-op */

void rkb_ev_set_before_sleep(rkb_ev_t *ev, rkb_ev_hook_fn *fn, void *arg);
/** Runs until rkb_ev_stop(). */
void rkb_ev_run(rkb_ev_t *ev);
void rkb_ev_stop(rkb_ev_t *ev);

/** Monotonic clock in ms and wall clock (unix) in ms. */
int64_t rkb_mono_ms(void);
int64_t rkb_wall_ms(void);

#endif
