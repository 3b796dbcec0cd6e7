#include "rkb_fmacros.h"
#include "prod_repl.h"
#include "prod_stream.h"
#include "rkb_buf.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_net.h"

#include <errno.h>
#include <stdarg.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CRON_MS 100
#define ACK_PERIOD_MS 1000
#define ACK_MIN_GAP_MS 50 /* extra ACKs when Kafka confirms more */
#define READ_BYTES (256 * 1024)
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

struct prod_repl_s {
    rkb_ev_t *ev;
    prod_publish_t *pub;
    prod_repl_opts_t opts;
    prod_stream_t *ps;
    prod_repl_state_t state;
    int fd;
    rkb_buf_t wbuf;
    int64_t cron_id;

    prod_pos_t pos;  /* published so far: the PSYNC position */
    int awaiting_snapshot; /* a full sync's records are not yet durable */
    prod_pos_t snap_pos;
    int replies_pending, auth_reply_index, replies_seen;

    int64_t state_since, last_rx, next_connect, last_ack_time;
    int64_t last_heartbeat, transfer_start, pause_start, last_pause_log;
    int backoff_ms;
    int reading;           /* read event installed */
    int paused;            /* by backpressure */
    uint64_t pauses;
    uint64_t acked;
    int getack_pending;
    uint64_t getack_offset;
    int mid_block; /* the last frame published was CONTINUED */

    char last_err[256];
    int err_repeats;
    int fatal;
    char fatal_str[512];
    char buf[READ_BYTES];
};

static const char *state_names[] = {
    "idle",     "connecting",     "receive-pong", "receive-replies",
    "psync",    "transfer",       "snapshot-flush", "streaming",
};

static void set_state(prod_repl_t *r, prod_repl_state_t state) {
    r->state = state;
    r->state_since = rkb_mono_ms();
}

static void read_handler(rkb_ev_t *ev, int fd, void *arg, int mask);
static void write_handler(rkb_ev_t *ev, int fd, void *arg, int mask);
static void drain(prod_repl_t *r);

static void set_reading(prod_repl_t *r, int on) {
    if (r->fd == -1 || r->reading == on) {
        return;
    }
    if (on) {
        rkb_ev_add(r->ev, r->fd, RKB_EV_READ, read_handler, r);
    } else {
        rkb_ev_del(r->ev, r->fd, RKB_EV_READ);
    }
    r->reading = on;
}

static void close_link(prod_repl_t *r) {
    if (r->fd != -1) {
        rkb_ev_del(r->ev, r->fd, RKB_EV_READ | RKB_EV_WRITE);
        close(r->fd);
        r->fd = -1;
    }
    r->reading = 0;
    r->paused = 0;
    r->getack_pending = 0;
    r->mid_block = 0;
    rkb_buf_clear(&r->wbuf);
    prod_stream_reset(r->ps);
}

/* Logs a link error once, then only at growing intervals while the same
 * error repeats (a master down for an hour must not flood the log). */
static void link_error(prod_repl_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void link_error(prod_repl_t *r, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (strcmp(msg, r->last_err) == 0) {
        r->err_repeats++;
    } else {
        snprintf(r->last_err, sizeof(r->last_err), "%s", msg);
        r->err_repeats = 0;
    }
    int n = r->err_repeats;
    if ((n & (n - 1)) == 0) {
        rkb_log(RKB_LOG_ERR, "repl", "master %s:%d: %s%s (retrying in %d ms)",
                r->opts.host, r->opts.port, msg,
                n ? " (repeated)" : "", r->backoff_ms);
    }
    if (r->state == PROD_REPL_TRANSFER) {
        prod_publish_snapshot_abort(r->pub);
        r->awaiting_snapshot = 0;
        rkb_log(RKB_LOG_WARN, "repl",
                "full sync abandoned: the snapshot records written so far "
                "have no end record and will be ignored by readers");
    }
    close_link(r);
    set_state(r, PROD_REPL_IDLE);
    r->next_connect = rkb_mono_ms() + r->backoff_ms;
    r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
                                                       : r->backoff_ms * 2;
}

static void fatal(prod_repl_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fatal(prod_repl_t *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->fatal_str, sizeof(r->fatal_str), fmt, ap);
    va_end(ap);
    r->fatal = 1;
    close_link(r);
    set_state(r, PROD_REPL_IDLE);
    rkb_ev_stop(r->ev);
}

static void flush_wbuf(prod_repl_t *r) {
    while (r->wbuf.len > 0) {
        ssize_t n = write(r->fd, r->wbuf.data, r->wbuf.len);
        if (n > 0) {
            rkb_buf_consume(&r->wbuf, (size_t)n);
            continue;
        }
        if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
            rkb_ev_add(r->ev, r->fd, RKB_EV_WRITE, write_handler, r);
            return;
        }
        link_error(r, "write failed: %s", strerror(errno));
        return;
    }
    rkb_ev_del(r->ev, r->fd, RKB_EV_WRITE);
}

static void send_cmd(prod_repl_t *r, int argc, const char **argv) {
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, argc, argv, NULL);
    RKB_ASSERT(len > 0);
    rkb_buf_append(&r->wbuf, cmd, (size_t)len);
    redisFreeCommand(cmd);
    flush_wbuf(r);
}

static void send_ack(prod_repl_t *r, uint64_t offset) {
    char off[24];
    const char *argv[] = {"REPLCONF", "ACK", off};
    snprintf(off, sizeof(off), "%llu", (unsigned long long)offset);
    send_cmd(r, 3, argv);
    r->acked = offset;
    r->last_ack_time = rkb_mono_ms();
}

/* ACK what Kafka holds, only on the link that gave it. */
static void maybe_ack(prod_repl_t *r, int force) {
    const prod_pos_t *d = prod_publish_durable(r->pub);
    if (r->state != PROD_REPL_STREAMING || r->fd == -1 ||
        strcmp(d->replid, r->pos.replid) != 0) {
        return;
    }
    int64_t now = rkb_mono_ms();
    if (r->getack_pending && d->offset >= r->getack_offset) {
        r->getack_pending = 0;
        force = 1;
    }
    if (force || now - r->last_ack_time >= ACK_PERIOD_MS ||
        (d->offset > r->acked && now - r->last_ack_time >= ACK_MIN_GAP_MS)) {
        send_ack(r, d->offset);
    }
}

static void connect_master(prod_repl_t *r) {
    char err[256];
    r->fd = rkb_net_connect(r->opts.host, r->opts.port, err, sizeof(err));
    if (r->fd == -1) {
        link_error(r, "%s", err);
        return;
    }
    set_state(r, PROD_REPL_CONNECTING);
    rkb_ev_add(r->ev, r->fd, RKB_EV_WRITE, write_handler, r);
}

static void send_psync(prod_repl_t *r) {
    char off[24];
    const char *argv[] = {"PSYNC", "?", "-1"};
    if (r->pos.replid[0]) {
        snprintf(off, sizeof(off), "%llu",
                 (unsigned long long)r->pos.offset + 1);
        argv[1] = r->pos.replid;
        argv[2] = off;
    }
    rkb_log(RKB_LOG_INFO, "repl", "sending PSYNC %s %s", argv[1], argv[2]);
    prod_stream_expect_psync(r->ps);
    set_state(r, PROD_REPL_RECEIVE_PSYNC);
    send_cmd(r, 3, argv);
}

/* AUTH and REPLCONF are pipelined; PSYNC waits for their replies, since a
 * master refuses PSYNC while replies are pending on the connection. */
static void send_handshake(prod_repl_t *r) {
    char port[16];
    r->replies_pending = 0;
    r->auth_reply_index = -1;
    r->replies_seen = 0;
    if (r->opts.password) {
        const char *argv[] = {"AUTH", r->opts.user, r->opts.password};
        r->auth_reply_index = r->replies_pending++;
        if (r->opts.user) {
            send_cmd(r, 3, argv);
        } else {
            argv[1] = r->opts.password;
            send_cmd(r, 2, argv);
        }
    }
    snprintf(port, sizeof(port), "%d", r->opts.announce_port);
    const char *lp[] = {"REPLCONF", "listening-port", port};
    send_cmd(r, 3, lp);
    const char *capa[] = {"REPLCONF", "capa", "eof", "capa", "psync2"};
    send_cmd(r, 5, capa);
    r->replies_pending += 2;
    prod_stream_expect_reply(r->ps);
    set_state(r, PROD_REPL_RECEIVE_REPLIES);
}

static int starts_with(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

static void on_ping_reply(prod_repl_t *r, const prod_ev_t *e) {
    /* NOAUTH / NOPERM / the legacy ERR mean "authenticate first". */
    if (!e->is_error || starts_with(e->data, e->len, "-NOAUTH") ||
        starts_with(e->data, e->len, "-NOPERM") ||
        starts_with(e->data, e->len, "-ERR operation not permitted")) {
        send_handshake(r);
        return;
    }
    link_error(r, "PING refused: %.*s", (int)e->len, e->data);
}

static void on_handshake_reply(prod_repl_t *r, const prod_ev_t *e) {
    int index = r->replies_seen++;
    if (e->is_error && index == r->auth_reply_index) {
        fatal(r, "master %s:%d refused AUTH%s%s: %.*s", r->opts.host,
              r->opts.port, r->opts.user ? " for user " : "",
              r->opts.user ? r->opts.user : "", (int)e->len, e->data);
        return;
    }
    if (e->is_error && starts_with(e->data, e->len, "-NOAUTH")) {
        fatal(r, "master %s:%d requires authentication: set "
                 "source.password (and source.user for an ACL user)",
              r->opts.host, r->opts.port);
        return;
    }
    if (e->is_error) {
        /* Old masters do not know REPLCONF; not fatal. */
        rkb_log(RKB_LOG_INFO, "repl", "master ignored REPLCONF: %.*s",
                (int)e->len, e->data);
    }
    if (r->replies_seen == r->replies_pending) {
        send_psync(r);
    }
}

static void on_psync_error(prod_repl_t *r, const prod_ev_t *e) {
    if (starts_with(e->data, e->len, "-NOAUTH")) {
        fatal(r, "master %s:%d requires authentication: set "
                 "source.password (and source.user for an ACL user)",
              r->opts.host, r->opts.port);
    } else if (starts_with(e->data, e->len, "-NOPERM")) {
        fatal(r, "master %s:%d: user lacks a permission replication "
                 "needs (psync, replconf, ping): %.*s",
              r->opts.host, r->opts.port, (int)e->len, e->data);
    } else if (starts_with(e->data, e->len, "-ERR unknown command")) {
        fatal(r, "master %s:%d does not support PSYNC (Redis older than "
                 "2.8, or the command is disabled or renamed): %.*s",
              r->opts.host, r->opts.port, (int)e->len, e->data);
    } else {
        /* LOADING, NOMASTERLINK, failover, BGSAVE failed: try later. */
        link_error(r, "PSYNC refused: %.*s", (int)e->len, e->data);
    }
}

static void on_fullresync(prod_repl_t *r, const prod_ev_t *e) {
    rkb_log(RKB_LOG_NOTICE, "repl",
            "full sync: master replid %s offset %llu%s", e->replid,
            (unsigned long long)e->offset,
            r->pos.replid[0] ? " (it cannot continue our position)" : "");
    snprintf(r->snap_pos.replid, sizeof(r->snap_pos.replid), "%s",
             e->replid);
    r->snap_pos.offset = e->offset;
    r->snap_pos.db = -1;
    r->transfer_start = rkb_mono_ms();
    set_state(r, PROD_REPL_TRANSFER);
}

static void on_continue(prod_repl_t *r, const prod_ev_t *e) {
    char err[256];
    if (e->replid[0] && strcmp(e->replid, r->pos.replid) != 0) {
        char old[RKB_MSG_REPLID_LEN + 1];
        snprintf(old, sizeof(old), "%s", r->pos.replid);
        snprintf(r->pos.replid, sizeof(r->pos.replid), "%s", e->replid);
        rkb_log(RKB_LOG_NOTICE, "repl",
                "master changed replid %s -> %s at offset %llu "
                "(failover); recorded in the stream",
                old, e->replid, (unsigned long long)r->pos.offset);
        if (prod_publish_replid_change(r->pub, &r->pos, old, err,
                                       sizeof(err))) {
            fatal(r, "%s", err);
            return;
        }
    }
    rkb_log(RKB_LOG_NOTICE, "repl", "partial resync from offset %llu",
            (unsigned long long)r->pos.offset);
    prod_stream_start_stream(r->ps, r->pos.offset, r->pos.db);
    r->backoff_ms = BACKOFF_MIN_MS;
    set_state(r, PROD_REPL_STREAMING);
}

static void on_transfer(prod_repl_t *r, const prod_ev_t *e) {
    char err[256];
    rkb_err_t rc = RKB_OK;
    switch (e->type) {
    case PROD_EV_REPLY:
        link_error(r, "full sync aborted by master: %.*s", (int)e->len,
                   e->data);
        return;
    case PROD_EV_RDB_BEGIN:
        r->awaiting_snapshot = 1;
        rc = prod_publish_snapshot_begin(
            r->pub, r->snap_pos.replid, r->snap_pos.offset,
            e->rdb_size == PROD_RDB_SIZE_UNKNOWN, e->rdb_size, err,
            sizeof(err));
        break;
    case PROD_EV_RDB_DATA:
        rc = prod_publish_snapshot_data(r->pub, e->data, e->len, err,
                                        sizeof(err));
        break;
    case PROD_EV_RDB_END:
        rc = prod_publish_snapshot_end(r->pub, err, sizeof(err));
        rkb_log(RKB_LOG_NOTICE, "repl",
                "RDB received in %lld ms; waiting for Kafka to confirm the "
                "snapshot",
                (long long)(rkb_mono_ms() - r->transfer_start));
        set_state(r, PROD_REPL_SNAPSHOT_FLUSH);
        break;
    default:
        link_error(r, "unexpected event during the RDB transfer");
        return;
    }
    if (rc) {
        fatal(r, "%s", err);
    }
}

static void on_frame(prod_repl_t *r, const prod_ev_t *e) {
    char err[256];
    int db_end = prod_stream_db(r->ps);
    if (prod_publish_frame(r->pub, r->pos.replid, e->start, e->end, e->db,
                           db_end, e->continued, e->data, e->len, err,
                           sizeof(err))) {
        fatal(r, "%s", err);
        return;
    }
    r->mid_block = e->continued;
    if (!e->continued) {
        r->pos.offset = e->end;
        r->pos.db = db_end;
    }
    if (e->has_getack) {
        r->getack_pending = 1;
        r->getack_offset = e->getack_offset;
    }
}

/* Hands every complete event to its state's handler. Stops while a full
 * sync waits for Kafka: the stream bytes after the RDB stay buffered. */
static void drain(prod_repl_t *r) {
    prod_ev_t e;
    while (r->fd != -1 && !r->fatal && r->state != PROD_REPL_SNAPSHOT_FLUSH) {
        rkb_err_t rc = prod_stream_next(r->ps, &e);
        if (rc == RKB_EAGAIN) {
            break;
        }
        if (rc) {
            link_error(r, "%s", prod_stream_errstr(r->ps));
            return;
        }
        switch (r->state) {
        case PROD_REPL_RECEIVE_PONG:
            on_ping_reply(r, &e);
            break;
        case PROD_REPL_RECEIVE_REPLIES:
            on_handshake_reply(r, &e);
            break;
        case PROD_REPL_RECEIVE_PSYNC:
            if (e.type == PROD_EV_FULLRESYNC) {
                on_fullresync(r, &e);
            } else if (e.type == PROD_EV_CONTINUE) {
                on_continue(r, &e);
            } else {
                on_psync_error(r, &e);
            }
            break;
        case PROD_REPL_TRANSFER:
            on_transfer(r, &e);
            break;
        case PROD_REPL_STREAMING:
            on_frame(r, &e);
            break;
        default:
            RKB_ASSERT(0);
        }
    }
    if (r->state == PROD_REPL_STREAMING || r->state == PROD_REPL_TRANSFER) {
        if (prod_publish_congested(r->pub) && !r->paused) {
            int64_t now = rkb_mono_ms();
            r->paused = 1;
            r->pauses++;
            r->pause_start = now;
            set_reading(r, 0);
            if (now - r->last_pause_log >= 10000) {
                rkb_log(RKB_LOG_NOTICE, "repl",
                        "Kafka is behind (%zu bytes unconfirmed): pausing "
                        "reads from the master (%llu pauses so far)",
                        prod_publish_inflight_bytes(r->pub),
                        (unsigned long long)r->pauses);
                r->last_pause_log = now;
            }
        }
    }
}

static void read_handler(rkb_ev_t *ev, int fd, void *arg, int mask) {
    prod_repl_t *r = arg;
    size_t total = 0;
    (void)ev;
    (void)mask;
    /* Under load, take what the socket holds (up to READ_BYTES) before
     * cutting frames: fewer, larger records cost Kafka less. When idle the
     * second read finds nothing, so latency stays one read. */
    while (total < READ_BYTES) {
        ssize_t n = read(fd, r->buf, sizeof(r->buf) - total);
        if (n == 0) {
            link_error(r, "connection closed by master (state %s)",
                       state_names[r->state]);
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                link_error(r, "read failed: %s", strerror(errno));
                return;
            }
            break;
        }
        r->last_rx = rkb_mono_ms();
        if (prod_stream_feed(r->ps, r->buf, (size_t)n)) {
            link_error(r, "%s", prod_stream_errstr(r->ps));
            return;
        }
        total += (size_t)n;
    }
    drain(r);
}

static void write_handler(rkb_ev_t *ev, int fd, void *arg, int mask) {
    prod_repl_t *r = arg;
    (void)ev;
    (void)mask;
    if (r->state == PROD_REPL_CONNECTING) {
        int err = rkb_net_connect_result(fd);
        if (err) {
            link_error(r, "cannot connect: %s", strerror(err));
            return;
        }
        rkb_ev_del(r->ev, fd, RKB_EV_WRITE);
        set_reading(r, 1);
        r->last_rx = rkb_mono_ms();
        const char *argv[] = {"PING"};
        prod_stream_expect_reply(r->ps);
        set_state(r, PROD_REPL_RECEIVE_PONG);
        send_cmd(r, 1, argv);
        return;
    }
    flush_wbuf(r);
}

static void heartbeat(prod_repl_t *r, int64_t now) {
    char err[256];
    /* Nothing may come between a CONTINUED frame and its continuation. */
    if (r->state != PROD_REPL_STREAMING || !r->pos.replid[0] ||
        r->mid_block || now - r->last_heartbeat < r->opts.heartbeat_ms) {
        return;
    }
    r->last_heartbeat = now;
    if (prod_publish_heartbeat(r->pub, &r->pos, err, sizeof(err))) {
        fatal(r, "%s", err);
    }
}

static int64_t cron(rkb_ev_t *ev, int64_t id, void *arg) {
    prod_repl_t *r = arg;
    int64_t now = rkb_mono_ms();
    (void)ev;
    (void)id;
    switch (r->state) {
    case PROD_REPL_IDLE:
        /* A full sync whose records are in flight finishes first: its
         * position is better than the one before it. */
        if (!r->awaiting_snapshot && !r->fatal && now >= r->next_connect) {
            connect_master(r);
        }
        break;
    case PROD_REPL_CONNECTING:
    case PROD_REPL_RECEIVE_PONG:
    case PROD_REPL_RECEIVE_REPLIES:
        if (now - r->state_since > r->opts.connect_timeout_ms) {
            link_error(r, "no answer within %d ms (state %s)",
                       r->opts.connect_timeout_ms, state_names[r->state]);
        }
        break;
    case PROD_REPL_RECEIVE_PSYNC:
    case PROD_REPL_TRANSFER:
    case PROD_REPL_STREAMING:
        /* While paused we do not read, so silence proves nothing. */
        if (!r->paused && now - r->last_rx > r->opts.repl_timeout_ms) {
            link_error(r, "master silent for %d ms (state %s)",
                       r->opts.repl_timeout_ms, state_names[r->state]);
        }
        break;
    case PROD_REPL_SNAPSHOT_FLUSH:
        break;
    }
    heartbeat(r, now);
    maybe_ack(r, 0);
    return CRON_MS;
}

void prod_repl_kafka_progress(prod_repl_t *r) {
    if (r->awaiting_snapshot && prod_publish_snapshot_done(r->pub)) {
        r->awaiting_snapshot = 0;
        r->pos = r->snap_pos;
        rkb_log(RKB_LOG_NOTICE, "repl",
                "full sync done: snapshot durable in Kafka %lld ms after "
                "FULLRESYNC; streaming from offset %llu",
                (long long)(rkb_mono_ms() - r->transfer_start),
                (unsigned long long)r->pos.offset);
        if (r->state == PROD_REPL_SNAPSHOT_FLUSH) {
            r->backoff_ms = BACKOFF_MIN_MS;
            set_state(r, PROD_REPL_STREAMING);
            prod_stream_start_stream(r->ps, r->pos.offset, r->pos.db);
            r->last_rx = rkb_mono_ms();
            /* With the EOF framing the master streams only after an ACK. */
            send_ack(r, r->pos.offset);
            drain(r);
        }
    }
    if (r->paused && prod_publish_relieved(r->pub)) {
        r->paused = 0;
        r->last_rx = rkb_mono_ms();
        set_reading(r, 1);
        drain(r);
    }
    maybe_ack(r, 0);
}

prod_repl_t *prod_repl_new(rkb_ev_t *ev, prod_publish_t *pub,
                           const prod_repl_opts_t *opts,
                           const prod_pos_t *start) {
    prod_repl_t *r = rkb_calloc(1, sizeof(*r));
    prod_stream_limits_t lim = {opts->frame_bytes, 64 * 1024, UINT64_MAX,
                                UINT64_MAX};
    r->ev = ev;
    r->pub = pub;
    r->opts = *opts;
    r->opts.host = rkb_strdup(opts->host);
    r->opts.user = opts->user ? rkb_strdup(opts->user) : NULL;
    r->opts.password = opts->password ? rkb_strdup(opts->password) : NULL;
    r->ps = prod_stream_new(&lim);
    r->fd = -1;
    r->pos = *start;
    r->backoff_ms = BACKOFF_MIN_MS;
    set_state(r, PROD_REPL_IDLE);
    return r;
}

void prod_repl_destroy(prod_repl_t *r) {
    if (r == NULL) {
        return;
    }
    close_link(r);
    if (r->cron_id) {
        rkb_ev_timer_del(r->ev, r->cron_id);
    }
    prod_stream_destroy(r->ps);
    rkb_buf_free(&r->wbuf);
    free((char *)r->opts.host);
    free((char *)r->opts.user);
    if (r->opts.password) {
        /* Do not leave the secret in freed memory. */
        memset((char *)r->opts.password, 0, strlen(r->opts.password));
        free((char *)r->opts.password);
    }
    free(r);
}

void prod_repl_start(prod_repl_t *r) {
    if (r->pos.replid[0]) {
        rkb_log(RKB_LOG_NOTICE, "repl",
                "resuming from the journal: replid %s offset %llu",
                r->pos.replid, (unsigned long long)r->pos.offset);
    } else {
        rkb_log(RKB_LOG_NOTICE, "repl",
                "the journal is empty: starting with a full sync");
    }
    r->next_connect = 0;
    r->cron_id = rkb_ev_timer_add(r->ev, 0, cron, r);
}

int prod_repl_shutdown(prod_repl_t *r, int timeout_ms) {
    set_reading(r, 0);
    int rc = prod_publish_flush(r->pub, timeout_ms);
    const prod_pos_t *d = prod_publish_durable(r->pub);
    if (r->fd != -1 && r->state == PROD_REPL_STREAMING &&
        strcmp(d->replid, r->pos.replid) == 0) {
        send_ack(r, d->offset);
    }
    rkb_log(RKB_LOG_NOTICE, "repl",
            "stopped: durable offset %llu (replid %s)%s",
            (unsigned long long)d->offset, d->replid[0] ? d->replid : "-",
            rc ? "; some records were not confirmed in time" : "");
    return rc;
}

int prod_repl_fatal(const prod_repl_t *r, const char **errstr) {
    *errstr = r->fatal_str;
    return r->fatal;
}

void prod_repl_set_fatal(prod_repl_t *r, const char *errstr) {
    fatal(r, "%s", errstr);
}

prod_repl_state_t prod_repl_state(const prod_repl_t *r) {
    return r->state;
}

const prod_pos_t *prod_repl_position(const prod_repl_t *r) {
    return &r->pos;
}

uint64_t prod_repl_acked_offset(const prod_repl_t *r) {
    return r->acked;
}
