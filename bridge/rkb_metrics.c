#include "rkb_fmacros.h"
#include "rkb_metrics.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct rkb_metrics_s {
    rkb_ev_t *ev;
    int fd;
    rkb_metrics_write_fn *write_fn;
    rkb_metrics_health_fn *health_fn;
    void *arg;
};

static void metric(rkb_buf_t *out, const char *type, const char *name,
                   const char *help, double value) {
    char line[512];
    int n = snprintf(line, sizeof(line), "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n",
                     name, help, name, type, name, value);
    rkb_buf_append(out, line, (size_t)n);
}

void rkb_metrics_gauge(rkb_buf_t *out, const char *name, const char *help,
                       double value) {
    metric(out, "gauge", name, help, value);
}

void rkb_metrics_counter(rkb_buf_t *out, const char *name, const char *help,
                         double value) {
    metric(out, "counter", name, help, value);
}

/* Requests are tiny and local (a scraper); read what is there, answer and
 * close. A client that sends nothing yet gets its answer on the request
 * line it did send, or an empty one. */
static void serve(rkb_metrics_t *m, int cfd) {
    char req[1024], head[256];
    ssize_t n = recv(cfd, req, sizeof(req) - 1, 0);
    req[n > 0 ? n : 0] = '\0';
    rkb_buf_t body = RKB_BUF_INIT;
    const char *status = "200 OK";
    if (strncmp(req, "GET /metrics", 12) == 0) {
        m->write_fn(m->arg, &body);
    } else if (strncmp(req, "GET /health", 11) == 0) {
        int ok = m->health_fn(m->arg);
        status = ok ? "200 OK" : "503 Service Unavailable";
        rkb_buf_append(&body, ok ? "ok\n" : "unhealthy\n", ok ? 3 : 10);
    } else {
        status = "404 Not Found";
        rkb_buf_append(&body, "not found\n", 10);
    }
    int hl = snprintf(head, sizeof(head),
                      "HTTP/1.0 %s\r\nContent-Type: text/plain; "
                      "version=0.0.4\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\n\r\n",
                      status, body.len);
    /* Small responses fit the socket buffer; a short write is dropped. */
    if (send(cfd, head, (size_t)hl, MSG_NOSIGNAL) == hl && body.len) {
        ssize_t w = send(cfd, body.data, body.len, MSG_NOSIGNAL);
        (void)w;
    }
    rkb_buf_free(&body);
}

static void on_accept(rkb_ev_t *ev, int fd, void *arg, int mask) {
    rkb_metrics_t *m = arg;
    (void)ev;
    (void)mask;
    int cfd = accept(fd, NULL, NULL);
    if (cfd == -1) {
        return;
    }
    /* Wait briefly for the request line so one scrape is one round trip. */
    struct timeval tv = {0, 200000};
    setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    serve(m, cfd);
    close(cfd);
}

rkb_metrics_t *rkb_metrics_new(rkb_ev_t *ev, const char *listen,
                               rkb_metrics_write_fn *write_fn,
                               rkb_metrics_health_fn *health_fn, void *arg,
                               char *errstr, size_t errstr_size) {
    char host[256];
    int port;
    if (rkb_net_split_hostport(listen, host, sizeof(host), &port)) {
        snprintf(errstr, errstr_size, "'%s' is not host:port", listen);
        return NULL;
    }
    int fd = rkb_net_listen(host, port, errstr, errstr_size);
    if (fd == -1) {
        return NULL;
    }
    rkb_metrics_t *m = rkb_calloc(1, sizeof(*m));
    m->ev = ev;
    m->fd = fd;
    m->write_fn = write_fn;
    m->health_fn = health_fn;
    m->arg = arg;
    rkb_ev_add(ev, fd, RKB_EV_READ, on_accept, m);
    rkb_log(RKB_LOG_NOTICE, "metrics", "serving /metrics and /health on %s",
            listen);
    return m;
}

void rkb_metrics_destroy(rkb_metrics_t *m) {
    if (m == NULL) {
        return;
    }
    rkb_ev_del(m->ev, m->fd, RKB_EV_READ);
    close(m->fd);
    free(m);
}
