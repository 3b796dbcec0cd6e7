/* cons_relay.c -- relay mode: serve replicas from the journal.
 * See cons_relay.h. */
#include "rkb_fmacros.h"
#include "cons_relay.h"
#include "cons_journal.h"
#include "cons_proto.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_metrics.h"
#include "rkb_msg.h"
#include "rkb_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define PUMP_MS 5           /* Kafka readers are polled this often */
#define CRON_MS 100         /* keepalives, commits, logs */
#define KEEPALIVE_MS 1000   /* "\n" to a replica waiting for its RDB */
#define COMMIT_MS 1000      /* consumer group commit period */
#define REPLICA_TIMEOUT_MS 60000 /* no ACK for this long: drop (as Redis'
                                  * repl-timeout) */
#define PUMP_BUDGET 256     /* records per reader per pump */
#define READ_CHUNK 16384

typedef enum {
    CLI_NORMAL = 0,  /* a plain client, or a replica in its handshake */
    CLI_WAIT_INDEX,  /* PSYNC received; the index is not caught up yet */
    CLI_SNAP_END,    /* reading the snapshot's END record for its size */
    CLI_SNAP_DATA,   /* sending the RDB from the snapshot's chunks */
    CLI_WAIT_ACK,    /* EOF-framed RDB sent: the stream waits for the
                      * replica's first ACK, as a Redis master does */
    CLI_STREAM       /* sending the stream */
} cli_state_t;

typedef struct cli_s {
    cons_relay_t *r;
    struct cli_s *next;
    int fd;
    unsigned long id;
    char ip[64];
    cons_proto_t *cp;
    rkb_buf_t out;
    int authed;
    int closing;           /* close once out is written */
    cli_state_t state;
    int is_replica;        /* sent PSYNC or SYNC */
    int use_sync;          /* old SYNC protocol: no +FULLRESYNC line */
    long long listen_port; /* REPLCONF listening-port */
    int capa;
    long long psync_offset;
    char psync_replid[41];
    char announced[41];    /* replid the replica was told */
    /* Kafka */
    rd_kafka_t *rk;
    int qpipe[2];          /* librdkafka writes here when records arrive */
    const char *topic;     /* topic assigned (borrowed from r) */
    int64_t next_koff;     /* next Kafka offset expected */
    int64_t snap_begin, snap_end;
    int32_t snap_part;
    rkb_msg_t sync;        /* the RESYNC this full sync serves */
    int64_t sync_koff;     /* its Kafka offset */
    int eof_framing;       /* "$EOF:<mark>" rather than "$<size>" */
    char mark[41];
    uint64_t sync_id, rdb_size, rdb_sent, crc;
    cons_feed_t feed;
    int paused;            /* reader paused: out is over the bound */
    /* acks and timing */
    long long ack;
    int64_t ack_ms, last_send_ms;
} cli_t;

struct cons_relay_s {
    rkb_ev_t *ev;
    int lfd;
    char *password, *brokers, *topic, *snapshot_topic, *group;
    rkb_kafka_prop_t *props;
    size_t n_props;
    rd_kafka_t *tail; /* indexes the stream topic; commits the group */
    int tail_ready;   /* reached the end of the topic once */
    cons_index_t ix;
    cli_t *clients;
    unsigned long next_id;
    int64_t pump_timer, cron_timer;
    int64_t last_commit_ms, committed_koff;
    uint64_t full_syncs, partial_syncs;
};

/* ---------------------------------------------------------------- Kafka */

/* A reader of one replica (or of the index), committing to the group. */
static rd_kafka_t *new_reader(cons_relay_t *r, int eof, char *errstr,
                              size_t errstr_size) {
    /* Each replica has its own reader: bound what each prefetches. 8 MiB
     * held a lagging replica to about 30 MB/s (bench/relay_bench.py);
     * 32 MiB lets it catch up as fast as a native replica. A reader moves
     * from the snapshot's END record to its first chunk, and a new
     * assignment waits for the fetch in flight: keep the broker's wait at
     * the end of a partition short. */
    static const char *const defaults[] = {
        "queued.max.messages.kbytes", "32768", "fetch.wait.max.ms", "50",
        NULL};
    return rkb_kafka_consumer_new(r->brokers, r->group, eof, "earliest",
                                  defaults, r->props, r->n_props, errstr,
                                  errstr_size);
}

static int assign(rd_kafka_t *rk, const char *topic, int32_t partition,
                  int64_t koff) {
    char err[512];
    if (rkb_kafka_assign_one(rk, topic, partition, koff, err, sizeof(err))) {
        rkb_log(RKB_LOG_ERR, "relay", "%s", err);
        return -1;
    }
    return 0;
}

static void destroy_reader(rd_kafka_t *rk) {
    if (rk != NULL) {
        rd_kafka_assign(rk, NULL);
        rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    }
}

/* --------------------------------------------------------------- output */

static void cli_close(cli_t *c, const char *why);
static void cli_writable(rkb_ev_t *ev, int fd, void *arg, int mask);

static void cli_flush(cli_t *c) {
    while (c->out.len > 0) {
        ssize_t n = write(c->fd, c->out.data, c->out.len);
        if (n > 0) {
            rkb_buf_consume(&c->out, (size_t)n);
            continue;
        }
        if (n == -1 && errno == EINTR) {
            continue;
        }
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        cli_close(c, strerror(errno));
        return;
    }
    if (c->out.len > 0) {
        rkb_ev_add(c->r->ev, c->fd, RKB_EV_WRITE, cli_writable, c);
    } else {
        rkb_ev_del(c->r->ev, c->fd, RKB_EV_WRITE);
        if (c->closing) {
            cli_close(c, NULL);
        }
    }
}

static void cli_writable(rkb_ev_t *ev, int fd, void *arg, int mask) {
    (void)ev;
    (void)fd;
    (void)mask;
    cli_flush(arg);
}

static void reply(cli_t *c, const char *s) {
    rkb_buf_append(&c->out, s, strlen(s));
    c->last_send_ms = rkb_mono_ms();
}

static void replyf(cli_t *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void replyf(cli_t *c, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0) {
        rkb_buf_append(&c->out, buf,
                       (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    }
    c->last_send_ms = rkb_mono_ms();
}

static void reply_bulk(cli_t *c, const char *p, size_t len) {
    replyf(c, "$%zu\r\n", len);
    rkb_buf_append(&c->out, p, len);
    rkb_buf_append(&c->out, "\r\n", 2);
}

/* An error to the replica, then the link is closed. */
static void fail_cli(cli_t *c, const char *err) {
    rkb_log(RKB_LOG_WARN, "relay", "replica #%lu (%s:%lld): %s", c->id, c->ip,
            c->listen_port, err);
    replyf(c, "-ERR %s\r\n", err);
    c->closing = 1;
}

/* ---------------------------------------------------------- INFO, ROLE */

static const char *cli_state_name(const cli_t *c) {
    switch (c->state) {
    case CLI_WAIT_INDEX:
    case CLI_SNAP_END:
        return "wait_bgsave";
    case CLI_SNAP_DATA:
    case CLI_WAIT_ACK:
        return "send_bulk";
    case CLI_STREAM:
        return "online";
    default:
        return "handshake";
    }
}

static void info_replication(cons_relay_t *r, rkb_buf_t *b) {
    char line[512];
    int n = 0;
    int64_t now = rkb_mono_ms();
    for (cli_t *c = r->clients; c; c = c->next) {
        n += c->is_replica;
    }
    snprintf(line, sizeof(line),
             "# Replication\r\nrole:master\r\nconnected_slaves:%d\r\n", n);
    rkb_buf_append(b, line, strlen(line));
    n = 0;
    for (cli_t *c = r->clients; c; c = c->next) {
        if (!c->is_replica) {
            continue;
        }
        long long lag = c->ack_ms ? (now - c->ack_ms) / 1000 : -1;
        snprintf(line, sizeof(line),
                 "slave%d:ip=%s,port=%lld,state=%s,offset=%lld,lag=%lld\r\n",
                 n++, c->ip, c->listen_port, cli_state_name(c), c->ack, lag);
        rkb_buf_append(b, line, strlen(line));
    }
    snprintf(line, sizeof(line),
             "master_failover_state:no-failover\r\n"
             "master_replid:%s\r\n"
             "master_replid2:0000000000000000000000000000000000000000\r\n"
             "master_repl_offset:%" PRIu64 "\r\n"
             "second_repl_offset:-1\r\n"
             "repl_backlog_active:1\r\n",
             r->ix.n_ids ? cons_index_replid(&r->ix)
                         : "0000000000000000000000000000000000000000",
             r->ix.end);
    rkb_buf_append(b, line, strlen(line));
}

static void cmd_info(cli_t *c, const cons_cmd_t *cmd) {
    rkb_buf_t b = RKB_BUF_INIT;
    int want = cmd->argc < 2;
    for (size_t i = 1; i < cmd->argc; i++) {
        const cons_arg_t *a = &cmd->argv[i];
        if ((a->len == 11 && strncasecmp(a->p, "replication", 11) == 0) ||
            (a->len == 3 && strncasecmp(a->p, "all", 3) == 0) ||
            (a->len == 7 && strncasecmp(a->p, "default", 7) == 0) ||
            (a->len == 10 && strncasecmp(a->p, "everything", 10) == 0)) {
            want = 1;
        }
    }
    if (want) {
        info_replication(c->r, &b);
    }
    reply_bulk(c, b.data ? b.data : "", b.len);
    rkb_buf_free(&b);
}

static void cmd_role(cli_t *c) {
    cons_relay_t *r = c->r;
    int n = 0;
    for (cli_t *o = r->clients; o; o = o->next) {
        n += o->is_replica && o->state == CLI_STREAM;
    }
    replyf(c, "*3\r\n$6\r\nmaster\r\n:%" PRIu64 "\r\n*%d\r\n", r->ix.end, n);
    for (cli_t *o = r->clients; o; o = o->next) {
        char port[24], off[24];
        if (!(o->is_replica && o->state == CLI_STREAM)) {
            continue;
        }
        snprintf(port, sizeof(port), "%lld", o->listen_port);
        snprintf(off, sizeof(off), "%lld", o->ack);
        reply(c, "*3\r\n");
        reply_bulk(c, o->ip, strlen(o->ip));
        reply_bulk(c, port, strlen(port));
        reply_bulk(c, off, strlen(off));
    }
}

/* ---------------------------------------------------------- full sync */

static void start_stream(cli_t *c, const char *replid, uint64_t pos,
                         int64_t koff) {
    cons_relay_t *r = c->r;
    cons_feed_free(&c->feed);
    cons_feed_init(&c->feed, replid, pos);
    c->state = CLI_STREAM;
    /* The ACK timeout counts from here, not from PSYNC: an RDB may take
     * long to send. */
    c->ack_ms = rkb_mono_ms();
    c->topic = r->topic;
    c->next_koff = koff;
    if (assign(c->rk, r->topic, 0, koff)) {
        fail_cli(c, "cannot read the stream topic");
    }
}

/* 40 random hex characters for the EOF mark. @returns 0 or -1. */
static int random_mark(char mark[41]) {
    unsigned char rnd[20];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd == -1 ? -1 : read(fd, rnd, sizeof(rnd));
    if (fd != -1) {
        close(fd);
    }
    if (n != (ssize_t)sizeof(rnd)) {
        return -1;
    }
    for (int i = 0; i < 20; i++) {
        snprintf(mark + 2 * i, 3, "%02x", rnd[i]);
    }
    return 0;
}

static void start_full_sync(cli_t *c) {
    cons_relay_t *r = c->r;
    const rkb_msg_t *rs = &r->ix.resync;
    if (!r->ix.have_resync) {
        fail_cli(c, "the journal holds no complete snapshot to sync from");
        return;
    }
    if (r->ix.resync_koff + 1 < r->ix.low_koff) {
        /* Retention deleted stream records after the newest snapshot:
         * only a new full sync of the producer can help. */
        fail_cli(c, "the stream after the newest snapshot is no longer in "
                    "Kafka (retention)");
        return;
    }
    r->full_syncs++;
    snprintf(c->announced, sizeof(c->announced), "%s", rs->replid);
    rkb_log(RKB_LOG_NOTICE, "relay",
            "replica #%lu (%s:%lld): full sync from snapshot %016" PRIx64
            " (replid %s offset %" PRIu64 ", Kafka %" PRId64 "..%" PRId64 ")",
            c->id, c->ip, c->listen_port, rs->u.resync.sync_id, rs->replid,
            rs->end_offset, rs->u.resync.begin_offset,
            rs->u.resync.end_offset);
    if (!c->use_sync) {
        replyf(c, "+FULLRESYNC %s %" PRIu64 "\r\n", rs->replid,
               rs->end_offset);
    }
    c->sync = *rs;
    c->sync_koff = r->ix.resync_koff;
    c->sync_id = rs->u.resync.sync_id;
    c->snap_begin = rs->u.resync.begin_offset;
    c->snap_end = rs->u.resync.end_offset;
    c->snap_part = rs->u.resync.partition;
    c->rdb_size = c->rdb_sent = c->crc = 0;
    c->topic = r->snapshot_topic;
    /* With "capa eof" the size need not be known first, so the chunks are
     * read in one pass and the END record checks them (size and CRC)
     * before the mark that completes the transfer for the replica. */
    c->eof_framing = !c->use_sync && (c->capa & CONS_CAPA_EOF) &&
                     random_mark(c->mark) == 0;
    if (c->eof_framing) {
        replyf(c, "$EOF:%s\r\n", c->mark);
        c->state = CLI_SNAP_DATA;
        c->next_koff = c->snap_begin;
    } else {
        c->state = CLI_SNAP_END;
        c->next_koff = c->snap_end;
    }
    if (assign(c->rk, r->snapshot_topic, c->snap_part, c->next_koff)) {
        fail_cli(c, "cannot read the snapshot topic");
    }
}

/* Answers a PSYNC (or SYNC) once the index is caught up. */
static void serve_psync(cli_t *c) {
    cons_relay_t *r = c->r;
    int64_t koff;
    char follow[41];
    if (!c->use_sync && c->psync_replid[0] != '?' && c->psync_offset > 0 &&
        cons_index_find(&r->ix, c->psync_replid,
                        (uint64_t)c->psync_offset - 1, &koff, follow)) {
        const char *now = cons_index_replid(&r->ix);
        r->partial_syncs++;
        snprintf(c->announced, sizeof(c->announced), "%s", now);
        rkb_log(RKB_LOG_NOTICE, "relay",
                "replica #%lu (%s:%lld): partial sync from %s %lld "
                "(Kafka offset %" PRId64 ")",
                c->id, c->ip, c->listen_port, c->psync_replid,
                c->psync_offset, koff);
        if (c->capa & CONS_CAPA_PSYNC2) {
            replyf(c, "+CONTINUE %s\r\n", now);
        } else {
            reply(c, "+CONTINUE\r\n");
        }
        start_stream(c, follow, (uint64_t)c->psync_offset - 1, koff);
        return;
    }
    if (!c->use_sync && c->psync_replid[0] != '?') {
        rkb_log(RKB_LOG_NOTICE, "relay",
                "replica #%lu (%s:%lld): %s %lld is not in the journal's "
                "history (replid %s, end %" PRIu64 ")",
                c->id, c->ip, c->listen_port, c->psync_replid,
                c->psync_offset, cons_index_replid(&r->ix), r->ix.end);
    }
    start_full_sync(c);
}

static void pump_cli(cli_t *c);

static void queue_readable(rkb_ev_t *ev, int fd, void *arg, int mask) {
    char buf[64];
    (void)ev;
    (void)mask;
    while (read(fd, buf, sizeof(buf)) > 0) {
    }
    pump_cli(arg);
}

/* librdkafka writes to a pipe when the reader's queue turns non-empty, so
 * a record is sent as soon as it arrives; the pump timer still polls (the
 * pipe is written only on that transition, and a paused reader must be
 * resumed). Without the pipe the timer alone serves the replica. */
static void watch_queue(cli_t *c) {
    if (pipe(c->qpipe) == -1) {
        c->qpipe[0] = c->qpipe[1] = -1;
        return;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(c->qpipe[i], F_SETFL, fcntl(c->qpipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(c->qpipe[i], F_SETFD, FD_CLOEXEC);
    }
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(c->rk);
    if (q != NULL) {
        rd_kafka_queue_io_event_enable(q, c->qpipe[1], "1", 1);
        rd_kafka_queue_destroy(q);
    }
    rkb_ev_add(c->r->ev, c->qpipe[0], RKB_EV_READ, queue_readable, c);
}

static void cmd_psync(cli_t *c, const cons_cmd_t *cmd) {
    cons_relay_t *r = c->r;
    char err[512];
    if (c->is_replica) {
        return; /* a second PSYNC on the link: ignore, as Redis does */
    }
    c->is_replica = 1;
    c->use_sync = cmd->type == CONS_CMD_SYNC;
    if (cmd->type == CONS_CMD_PSYNC) {
        memcpy(c->psync_replid, cmd->replid, sizeof(c->psync_replid));
        c->psync_offset = cmd->offset;
    }
    c->ack_ms = rkb_mono_ms();
    c->rk = new_reader(r, 0, err, sizeof(err));
    if (c->rk == NULL) {
        rkb_log(RKB_LOG_ERR, "relay", "%s", err);
        fail_cli(c, "cannot read Kafka");
        return;
    }
    watch_queue(c);
    c->state = CLI_WAIT_INDEX;
    if (r->tail_ready) {
        serve_psync(c);
    }
}

/* ------------------------------------------------------------ commands */

static int arg_eq(const cons_arg_t *a, const char *s) {
    return a->len == strlen(s) && memcmp(a->p, s, a->len) == 0;
}

static void cmd_auth(cli_t *c, const cons_cmd_t *cmd) {
    cons_relay_t *r = c->r;
    const cons_arg_t *pw = &cmd->argv[cmd->argc - 1];
    if (r->password == NULL) {
        reply(c, "-ERR AUTH <password> called without any password "
                 "configured for the default user. Are you sure your "
                 "configuration is correct?\r\n");
        return;
    }
    if ((cmd->argc == 3 && !arg_eq(&cmd->argv[1], "default")) ||
        !arg_eq(pw, r->password)) {
        rkb_log(RKB_LOG_WARN, "relay", "client #%lu (%s): wrong password",
                c->id, c->ip);
        reply(c, "-WRONGPASS invalid username-password pair or user is "
                 "disabled.\r\n");
        return;
    }
    c->authed = 1;
    reply(c, "+OK\r\n");
}

static void handle(cli_t *c, const cons_cmd_t *cmd) {
    if (cmd->type == CONS_CMD_EMPTY) {
        if (c->is_replica) {
            c->ack_ms = rkb_mono_ms(); /* a loading replica's keepalive */
        }
        return;
    }
    if (cmd->type == CONS_CMD_REPLCONF_ACK) {
        if (c->is_replica && cmd->offset >= c->ack) {
            c->ack = cmd->offset;
        }
        c->ack_ms = rkb_mono_ms();
        if (c->state == CLI_WAIT_ACK) {
            start_stream(c, c->sync.replid, c->sync.end_offset,
                         c->sync_koff + 1);
        }
        return; /* no reply, as from a master */
    }
    if (c->is_replica) {
        return; /* a replica gets nothing but the stream after PSYNC */
    }
    if (!c->authed && cmd->type != CONS_CMD_AUTH) {
        reply(c, "-NOAUTH Authentication required.\r\n");
        return;
    }
    switch (cmd->type) {
    case CONS_CMD_PING:
        reply(c, "+PONG\r\n");
        break;
    case CONS_CMD_AUTH:
        cmd_auth(c, cmd);
        break;
    case CONS_CMD_REPLCONF_PORT:
        c->listen_port = cmd->port;
        reply(c, "+OK\r\n");
        break;
    case CONS_CMD_REPLCONF_CAPA:
        c->capa |= cmd->capa;
        reply(c, "+OK\r\n");
        break;
    case CONS_CMD_REPLCONF_GETACK:
    case CONS_CMD_REPLCONF_OTHER:
        reply(c, "+OK\r\n");
        break;
    case CONS_CMD_PSYNC:
    case CONS_CMD_SYNC:
        cmd_psync(c, cmd);
        break;
    case CONS_CMD_INFO:
        cmd_info(c, cmd);
        break;
    case CONS_CMD_ROLE:
        cmd_role(c);
        break;
    case CONS_CMD_BADARGS:
        replyf(c, "-ERR %s\r\n", cmd->badargs);
        break;
    default: {
        char name[64];
        size_t k = 0;
        for (size_t i = 0; i < cmd->argv[0].len && k + 1 < sizeof(name);
             i++) {
            char ch = cmd->argv[0].p[i];
            name[k++] = (ch >= 32 && ch < 127 && ch != '\'') ? ch : '?';
        }
        name[k] = '\0';
        replyf(c, "-ERR unknown command '%s', with args beginning with: "
                  "\r\n", name);
        break;
    }
    }
}

static void cli_readable(rkb_ev_t *ev, int fd, void *arg, int mask) {
    cli_t *c = arg;
    char buf[READ_CHUNK];
    cons_cmd_t cmd;
    (void)ev;
    (void)mask;
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0) {
        cli_close(c, "connection closed");
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            cli_close(c, strerror(errno));
        }
        return;
    }
    if (c->closing) {
        return;
    }
    cons_proto_feed(c->cp, buf, (size_t)n);
    rkb_err_t err;
    while ((err = cons_proto_next(c->cp, &cmd)) == RKB_OK) {
        /* A client that sends commands (INFO, say) but does not read the
         * replies must not grow our memory past the bound replicas get. */
        if (!c->is_replica && c->out.len >= CONS_RELAY_OUT_MAX) {
            cli_close(c, "client does not read its replies (output over "
                         "limit)");
            return;
        }
        handle(c, &cmd);
        if (c->closing) {
            break;
        }
    }
    if (err == RKB_EPROTO) {
        char why[200];
        snprintf(why, sizeof(why), "Protocol error: %s",
                 cons_proto_errstr(c->cp));
        fail_cli(c, why);
    }
    cli_flush(c);
}

static void cli_close(cli_t *c, const char *why) {
    cons_relay_t *r = c->r;
    if (why != NULL || c->is_replica) {
        rkb_log(c->is_replica ? RKB_LOG_NOTICE : RKB_LOG_INFO, "relay",
                "%s #%lu (%s:%lld) disconnected%s%s",
                c->is_replica ? "replica" : "client", c->id, c->ip,
                c->listen_port, why ? ": " : "", why ? why : "");
    }
    for (cli_t **pp = &r->clients; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    rkb_ev_del(r->ev, c->fd, RKB_EV_READ | RKB_EV_WRITE);
    close(c->fd);
    destroy_reader(c->rk); /* first: it may write to qpipe until gone */
    if (c->qpipe[0] != -1) {
        rkb_ev_del(r->ev, c->qpipe[0], RKB_EV_READ);
        close(c->qpipe[0]);
        close(c->qpipe[1]);
    }
    cons_proto_destroy(c->cp);
    cons_feed_free(&c->feed);
    rkb_buf_free(&c->out);
    free(c);
}

static void on_accept(rkb_ev_t *ev, int lfd, void *arg, int mask) {
    cons_relay_t *r = arg;
    (void)mask;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t slen = sizeof(ss);
        int fd = accept(lfd, (struct sockaddr *)&ss, &slen);
        if (fd == -1) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                rkb_log(RKB_LOG_WARN, "relay", "accept: %s", strerror(errno));
            }
            return;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        cli_t *c = rkb_calloc(1, sizeof(*c));
        c->r = r;
        c->fd = fd;
        c->id = ++r->next_id;
        c->cp = cons_proto_new();
        c->authed = r->password == NULL;
        c->qpipe[0] = c->qpipe[1] = -1;
        c->last_send_ms = rkb_mono_ms();
        snprintf(c->ip, sizeof(c->ip), "?");
        if (ss.ss_family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, c->ip,
                      sizeof(c->ip));
        } else if (ss.ss_family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
                      c->ip, sizeof(c->ip));
        }
        c->next = r->clients;
        r->clients = c;
        rkb_ev_add(ev, fd, RKB_EV_READ, cli_readable, c);
        rkb_log(RKB_LOG_INFO, "relay", "client #%lu connected from %s",
                c->id, c->ip);
    }
}

/* ---------------------------------------------------------- Kafka pump */

/* One record of the snapshot topic for a replica in a SNAP_ state.
 * @returns 0 to go on, -1 when the link was failed. */
/* The snapshot is sent: the stream follows from the RESYNC on. */
static void snapshot_sent(cli_t *c) {
    rkb_log(RKB_LOG_NOTICE, "relay",
            "replica #%lu (%s:%lld): RDB sent (%" PRIu64 " bytes, crc64 "
            "%016" PRIx64 " checked)%s",
            c->id, c->ip, c->listen_port, c->rdb_sent, c->crc,
            c->eof_framing ? "; the stream follows its first ACK"
                           : ", now the stream");
    if (c->eof_framing) {
        /* A replica reading an EOF-framed RDB may read past the mark, so
         * the stream must wait until it has loaded the RDB. */
        reply(c, c->mark);
        c->state = CLI_WAIT_ACK;
        return;
    }
    start_stream(c, c->sync.replid, c->sync.end_offset, c->sync_koff + 1);
}

/* One record of the snapshot topic for a replica in a SNAP_ state.
 * @returns 0 to go on, -1 when the link was failed. */
static int snap_record(cli_t *c, const rkb_msg_t *m, int64_t koff) {
    char why[200];
    if (c->state == CLI_SNAP_END) {
        if (m->type != RKB_MSG_SNAPSHOT_END ||
            m->u.snap_end.sync_id != c->sync_id) {
            fail_cli(c, "the snapshot's END record is not where the "
                        "resync marker says");
            return -1;
        }
        c->rdb_size = m->u.snap_end.rdb_size;
        replyf(c, "$%" PRIu64 "\r\n", c->rdb_size);
        c->state = CLI_SNAP_DATA;
        c->next_koff = c->snap_begin;
        return assign(c->rk, c->r->snapshot_topic, c->snap_part,
                      c->snap_begin)
                   ? -1
                   : 0;
    }
    if (koff > c->snap_end) {
        return 0; /* fetched for an earlier assignment */
    }
    if (m->type == RKB_MSG_SNAPSHOT_CHUNK &&
        m->u.snap_chunk.sync_id == c->sync_id) {
        if (m->u.snap_chunk.rdb_pos != c->rdb_sent ||
            (!c->eof_framing &&
             c->rdb_sent + m->u.snap_chunk.len > c->rdb_size)) {
            snprintf(why, sizeof(why),
                     "snapshot chunk at RDB byte %" PRIu64 " but %" PRIu64
                     " were sent",
                     m->u.snap_chunk.rdb_pos, c->rdb_sent);
            fail_cli(c, why);
            return -1;
        }
        rkb_buf_append(&c->out, m->u.snap_chunk.data, m->u.snap_chunk.len);
        c->last_send_ms = rkb_mono_ms();
        c->rdb_sent += m->u.snap_chunk.len;
        c->crc = rkb_crc64(c->crc, m->u.snap_chunk.data, m->u.snap_chunk.len);
    }
    if (koff < c->snap_end) {
        return 0;
    }
    if (m->type != RKB_MSG_SNAPSHOT_END ||
        m->u.snap_end.sync_id != c->sync_id) {
        fail_cli(c, "the snapshot's END record is not where the resync "
                    "marker says");
        return -1;
    }
    if (m->u.snap_end.rdb_size != c->rdb_sent ||
        m->u.snap_end.crc64 != c->crc) {
        snprintf(why, sizeof(why),
                 "corrupt snapshot %016" PRIx64 ": END says %" PRIu64
                 " bytes crc64 %016" PRIx64 ", chunks give %" PRIu64
                 " bytes crc64 %016" PRIx64,
                 c->sync_id, m->u.snap_end.rdb_size, m->u.snap_end.crc64,
                 c->rdb_sent, c->crc);
        /* Without the mark (EOF framing) the replica never loads it. */
        fail_cli(c, why);
        return -1;
    }
    snapshot_sent(c);
    return 0;
}

static int stream_record(cli_t *c, const rkb_msg_t *m) {
    int rc = cons_feed_record(&c->feed, m, &c->out);
    if (c->out.len) {
        c->last_send_ms = rkb_mono_ms();
    }
    switch (rc) {
    case CONS_FEED_OK:
        return 0;
    case CONS_FEED_REPLID:
        if (strcmp(c->feed.replid, c->announced) == 0) {
            return 0;
        }
        /* The replica must learn the new id: it reconnects and gets
         * +CONTINUE <new replid>, as after a failover. */
        rkb_log(RKB_LOG_NOTICE, "relay",
                "replica #%lu: replid changed to %s: reconnecting it", c->id,
                c->feed.replid);
        c->closing = 1;
        return -1;
    case CONS_FEED_RESYNC:
        rkb_log(RKB_LOG_NOTICE, "relay",
                "replica #%lu: the journal restarts from a new full sync: "
                "reconnecting it",
                c->id);
        c->closing = 1;
        return -1;
    default:
        fail_cli(c, c->feed.errstr);
        return -1;
    }
}

static void pump_cli(cli_t *c) {
    char why[256];
    if (c->rk == NULL || c->closing ||
        (c->state != CLI_SNAP_END && c->state != CLI_SNAP_DATA &&
         c->state != CLI_STREAM)) {
        return;
    }
    if (c->out.len >= CONS_RELAY_OUT_MAX) {
        if (!c->paused) {
            c->paused = 1;
            rkb_log(RKB_LOG_NOTICE, "relay",
                    "replica #%lu (%s:%lld) is slow: %zu bytes queued, "
                    "pausing its Kafka reader",
                    c->id, c->ip, c->listen_port, c->out.len);
        }
        return;
    }
    if (c->paused) {
        c->paused = 0;
        rkb_log(RKB_LOG_NOTICE, "relay",
                "replica #%lu (%s:%lld) reads again: resuming its Kafka "
                "reader",
                c->id, c->ip, c->listen_port);
    }
    for (int i = 0; i < PUMP_BUDGET && c->out.len < CONS_RELAY_OUT_MAX &&
                    !c->closing;
         i++) {
        rd_kafka_message_t *msg = rd_kafka_consumer_poll(c->rk, 0);
        if (msg == NULL) {
            break;
        }
        if (msg->err) {
            if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                rkb_log(RKB_LOG_WARN, "relay", "replica #%lu: Kafka: %s",
                        c->id, rd_kafka_message_errstr(msg));
            }
            rd_kafka_message_destroy(msg);
            continue;
        }
        /* Drop what an earlier assignment fetched. */
        if (strcmp(rd_kafka_topic_name(msg->rkt), c->topic) != 0 ||
            msg->offset < c->next_koff) {
            rd_kafka_message_destroy(msg);
            continue;
        }
        c->next_koff = msg->offset + 1;
        rkb_msg_t m;
        if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
            char full[400];
            snprintf(full, sizeof(full), "corrupt record at %s offset %" PRId64
                     ": %s", c->topic, msg->offset, why);
            rd_kafka_message_destroy(msg);
            fail_cli(c, full);
            break;
        }
        int rc = c->state == CLI_STREAM ? stream_record(c, &m)
                                        : snap_record(c, &m, msg->offset);
        rd_kafka_message_destroy(msg);
        if (rc) {
            break;
        }
    }
    cli_flush(c);
}

/* The index reached the end the topic had when we started (or later):
 * PSYNCs waiting for it are answered now. */
static void set_ready(cons_relay_t *r) {
    if (r->tail_ready) {
        return;
    }
    r->tail_ready = 1;
    rkb_log(RKB_LOG_NOTICE, "relay",
            "journal indexed: %" PRIu64 " records, replid %s, offset %" PRIu64
            "%s",
            r->ix.records, r->ix.n_ids ? cons_index_replid(&r->ix) : "-",
            r->ix.end, r->ix.have_resync ? "" : " (no snapshot yet)");
    for (cli_t *c = r->clients, *next; c; c = next) {
        next = c->next;
        if (c->state == CLI_WAIT_INDEX) {
            serve_psync(c);
            cli_flush(c);
        }
    }
}

/* Indexes what the stream topic gained. */
static void pump_tail(cons_relay_t *r) {
    char why[256];
    for (int i = 0; i < 4096; i++) {
        rd_kafka_message_t *msg = rd_kafka_consumer_poll(r->tail, 0);
        if (msg == NULL) {
            return;
        }
        if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(msg);
            set_ready(r);
            continue;
        }
        if (msg->err) {
            rkb_log(RKB_LOG_WARN, "relay", "indexing '%s': %s", r->topic,
                    rd_kafka_message_errstr(msg));
            rd_kafka_message_destroy(msg);
            continue;
        }
        rkb_msg_t m;
        if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
            rkb_log(RKB_LOG_ERR, "relay",
                    "topic '%s' offset %" PRId64 ": %s (skipped)", r->topic,
                    msg->offset, why);
        } else {
            cons_index_add(&r->ix, msg->offset, &m);
        }
        rd_kafka_message_destroy(msg);
        /* Under a steady write load the partition end moves on and no
         * EOF event comes; the high watermark the last fetch saw says
         * when the start-up backlog is indexed. */
        int64_t lo, hi;
        if (rd_kafka_get_watermark_offsets(r->tail, r->topic, 0, &lo, &hi) ==
            RD_KAFKA_RESP_ERR_NO_ERROR) {
            r->ix.low_koff = lo > 0 ? lo : 0;
            if (!r->tail_ready && hi > 0 && r->ix.next_koff >= hi) {
                set_ready(r);
            }
        }
    }
}

static int64_t pump_timer(rkb_ev_t *ev, int64_t id, void *arg) {
    cons_relay_t *r = arg;
    (void)ev;
    (void)id;
    pump_tail(r);
    for (cli_t *c = r->clients, *next; c; c = next) {
        next = c->next;
        pump_cli(c);
    }
    return PUMP_MS;
}

/* Commits the Kafka offset every streaming replica has acknowledged. */
static void commit_group(cons_relay_t *r) {
    int64_t koff = -1;
    int n = 0;
    for (cli_t *c = r->clients; c; c = c->next) {
        if (!(c->is_replica && c->state == CLI_STREAM) ||
            strcmp(c->feed.replid, cons_index_replid(&r->ix)) != 0) {
            continue;
        }
        int64_t k = cons_index_commit_koff(&r->ix, (uint64_t)c->ack);
        if (k < 0) {
            return;
        }
        koff = n++ == 0 || k < koff ? k : koff;
    }
    if (n == 0 || koff <= r->committed_koff) {
        return;
    }
    char err[256];
    if (rkb_kafka_commit_one(r->tail, r->topic, 0, koff, 1, err,
                             sizeof(err))) {
        rkb_log(RKB_LOG_WARN, "relay", "commit to group '%s': %s", r->group,
                err);
        return;
    }
    r->committed_koff = koff;
}

static int64_t cron_timer(rkb_ev_t *ev, int64_t id, void *arg) {
    cons_relay_t *r = arg;
    int64_t now = rkb_mono_ms();
    (void)ev;
    (void)id;
    rd_kafka_poll(r->tail, 0);
    for (cli_t *c = r->clients, *next; c; c = next) {
        next = c->next;
        if (c->rk) {
            rd_kafka_poll(c->rk, 0);
        }
        if (c->is_replica && c->state == CLI_STREAM && !c->closing &&
            now - c->ack_ms > REPLICA_TIMEOUT_MS) {
            cli_close(c, "timeout: no REPLCONF ACK for 60 s");
            continue;
        }
        /* Redis replicas take a lone newline as a keepalive until the
         * RDB's "$" line arrives. */
        if ((c->state == CLI_WAIT_INDEX || c->state == CLI_SNAP_END) &&
            now - c->last_send_ms >= KEEPALIVE_MS) {
            reply(c, "\n");
            cli_flush(c);
        }
    }
    if (now - r->last_commit_ms >= COMMIT_MS) {
        r->last_commit_ms = now;
        commit_group(r);
    }
    return CRON_MS;
}

/* ------------------------------------------------------------ lifecycle */

cons_relay_t *cons_relay_new(rkb_ev_t *ev, const cons_relay_opts_t *o,
                             char *errstr, size_t errstr_size) {
    char host[256];
    int port;
    cons_relay_t *r = rkb_calloc(1, sizeof(*r));
    r->ev = ev;
    r->lfd = -1;
    r->committed_koff = -1;
    cons_index_init(&r->ix);
    r->password = o->password ? rkb_strdup(o->password) : NULL;
    r->brokers = rkb_strdup(o->brokers);
    r->topic = rkb_strdup(o->topic);
    r->snapshot_topic = rkb_strdup(o->snapshot_topic);
    r->group = rkb_strdup(o->group);
    r->n_props = o->n_props;
    r->props = rkb_calloc(o->n_props + 1, sizeof(*r->props));
    for (size_t i = 0; i < o->n_props; i++) {
        r->props[i].text = rkb_strdup(o->props[i].text);
        r->props[i].where = rkb_strdup(o->props[i].where);
    }
    r->tail = new_reader(r, 1, errstr, errstr_size);
    if (r->tail == NULL) {
        goto err;
    }
    if (assign(r->tail, r->topic, 0, RD_KAFKA_OFFSET_BEGINNING)) {
        snprintf(errstr, errstr_size, "cannot read topic '%s'", r->topic);
        goto err;
    }
    if (rkb_net_split_hostport(o->listen, host, sizeof(host), &port)) {
        snprintf(errstr, errstr_size, "relay.listen: bad address '%s'",
                 o->listen);
        goto err;
    }
    r->lfd = rkb_net_listen(host, port, errstr, errstr_size);
    if (r->lfd == -1) {
        goto err;
    }
    rkb_ev_add(ev, r->lfd, RKB_EV_READ, on_accept, r);
    r->pump_timer = rkb_ev_timer_add(ev, PUMP_MS, pump_timer, r);
    r->cron_timer = rkb_ev_timer_add(ev, CRON_MS, cron_timer, r);
    rkb_log(RKB_LOG_NOTICE, "relay",
            "listening on %s; indexing topic '%s' (snapshots in '%s')",
            o->listen, r->topic, r->snapshot_topic);
    return r;

err:
    cons_relay_destroy(r);
    return NULL;
}

void cons_relay_destroy(cons_relay_t *r) {
    if (r == NULL) {
        return;
    }
    while (r->clients) {
        cli_close(r->clients, NULL);
    }
    if (r->lfd != -1) {
        rkb_ev_del(r->ev, r->lfd, RKB_EV_READ);
        close(r->lfd);
    }
    if (r->pump_timer) {
        rkb_ev_timer_del(r->ev, r->pump_timer);
    }
    if (r->cron_timer) {
        rkb_ev_timer_del(r->ev, r->cron_timer);
    }
    destroy_reader(r->tail);
    cons_index_free(&r->ix);
    if (r->password) {
        explicit_bzero(r->password, strlen(r->password));
    }
    free(r->password);
    free(r->brokers);
    free(r->topic);
    free(r->snapshot_topic);
    free(r->group);
    for (size_t i = 0; i < r->n_props; i++) {
        free((char *)r->props[i].text);
        free((char *)r->props[i].where);
    }
    free(r->props);
    free(r);
}

int cons_relay_ready(const cons_relay_t *r) {
    return r->tail_ready;
}

void cons_relay_metrics(cons_relay_t *r, rkb_buf_t *out) {
    int n = 0, online = 0;
    for (cli_t *c = r->clients; c; c = c->next) {
        n += c->is_replica;
        online += c->is_replica && c->state == CLI_STREAM;
    }
    rkb_metrics_gauge(out, "rkbridge_consumer_replicas",
                      "replicas connected", n);
    rkb_metrics_gauge(out, "rkbridge_consumer_replicas_online",
                      "replicas receiving the stream", online);
    rkb_metrics_gauge(out, "rkbridge_consumer_journal_offset",
                      "master offset of the newest safe point in Kafka",
                      (double)r->ix.end);
    rkb_metrics_counter(out, "rkbridge_consumer_full_syncs_total",
                        "full syncs served", (double)r->full_syncs);
    rkb_metrics_counter(out, "rkbridge_consumer_partial_syncs_total",
                        "partial syncs served", (double)r->partial_syncs);
}
