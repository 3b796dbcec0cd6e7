/* rkb_metrics.h -- a minimal HTTP endpoint on the daemon's event loop:
 * GET /metrics (Prometheus text format) and GET /health (200 "ok" or
 * 503 "unhealthy"). One short request per connection, served inline: the
 * daemon's state is read on its own thread, so no locking. */
#ifndef RKB_METRICS_H
#define RKB_METRICS_H
#include <stddef.h>
#include "rkb_buf.h"
#include "rkb_ev.h"

typedef struct rkb_metrics_s rkb_metrics_t;
/** Appends the daemon's metrics to out. */
typedef void rkb_metrics_write_fn(void *arg, rkb_buf_t *out);
/** @returns non-zero when the daemon is healthy. */
typedef int rkb_metrics_health_fn(void *arg);

/** Listens on "host:port". @returns NULL with errstr set. */
rkb_metrics_t *rkb_metrics_new(rkb_ev_t *ev, const char *listen,
                               rkb_metrics_write_fn *write_fn,
                               rkb_metrics_health_fn *health_fn, void *arg,
                               char *errstr, size_t errstr_size);
void rkb_metrics_destroy(rkb_metrics_t *m); /* NULL is a no-op */

void rkb_metrics_gauge(rkb_buf_t *out, const char *name, const char *help,
                       double value);
void rkb_metrics_counter(rkb_buf_t *out, const char *name, const char *help,
                         double value);

#endif
