/* cons_apply.c -- see cons_apply.h and docs/APPLY.md.
 *
 * One thread does everything, blocking: read Kafka, translate, write to the
 * target with hiredis. The stream goes out as transactions
 *
 *     MULTI, [SELECT db], commands..., SELECT 0, SET <position>, EXEC
 *
 * with one transaction at the target at a time: the next one is built from
 * Kafka while the target executes the last, but only sent once the last
 * one's EXEC said it committed. Two in flight would let the second commit
 * after the first aborted (a queue-time error, OOM), which would skip the
 * first's commands for good.
 *
 * A snapshot load is not one transaction (it may be larger than the
 * target's memory for a copy); its commands stream out pipelined, each key
 * written so that writing it again gives the same result, and the position
 * says "load" until it is done: a restart redoes the load. */
#include "rkb_fmacros.h"
#include "cons_apply.h"
#include "cons_journal.h"
#include "rkb_daemon.h"
#include "rkb_ev.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_msg.h"
#include "rkb_rdb.h"
#include "rkb_rdbcmd.h"
#include "rkb_redis.h"
#include "rkb_resp.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MOD "apply"
#define POLL_MS 100            /* longest Kafka wait: stop is seen this fast */
#define COMMIT_MS 1000         /* consumer group commit period */
#define IDLE_POSITION_MS 1000  /* heartbeats only: move the position anyway */
#define TX_MAX_BYTES (8 * 1024 * 1024) /* a transaction's commands, soft */
#define LOAD_WINDOW_CMDS 65536 /* load commands awaiting their replies */
#define TARGET_TIMEOUT_S 120   /* a reply may take this long (FLUSHALL) */
#define RETRY_MIN_MS 200
#define RETRY_MAX_MS 5000
#define KAFKA_TIMEOUT_MS 10000

/* Outcome of a step: go on; start over from the position on the same
 * connection (every reply read); start over on a new connection after a
 * pause (replies may be pending, or the target or Kafka failed); stop the
 * daemon; stop as asked. */
typedef enum {
    STEP_OK = 0,
    STEP_RESTART,
    STEP_RETRY,
    STEP_FATAL,
    STEP_STOP
} step_t;

/* Commands written but not yet answered: their bytes, kept to name a
 * command the target refused. */
typedef struct unit_s {
    rkb_buf_t buf;
    size_t ncmds;
    struct unit_s *next;
} unit_t;

/* One stream transaction: the target's commands, and per command where its
 * bytes start and which stream offset and Kafka record it came from. */
typedef struct tx_s {
    rkb_buf_t buf; /* MULTI ... EXEC */
    size_t n, cap; /* commands between MULTI and EXEC */
    size_t *off;
    uint64_t *soff;
    int64_t *koff;
    cons_pos_t pos; /* the position it sets */
    int has_pos;    /* a safe point was reached since it began */
} tx_t;

struct cons_apply_s {
    /* options (copies) */
    char *brokers, *topic, *snapshot_topic, *group;
    char *host, *user, *password, *load, *key_prefix;
    int port, flush, on_error_log;
    size_t batch_commands;
    const cons_filter_t *filter;
    char *pos_key, *halt_key;

    rd_kafka_t *rk; /* reads both topics; commits the group */
    redisContext *rc;
    int target_rdb_version;

    pthread_t thread;
    int started, done_fd;
    atomic_int stop;
    int exit_code;

    /* the stream being applied */
    cons_pos_t pos;     /* the target's position (committed) */
    cons_feed_t feed;
    cons_rewrite_t rw;
    rkb_buf_t bytes;    /* stream bytes a record completed */
    rkb_resp_arg_t *args;
    size_t args_cap;
    tx_t tx[2];
    tx_t *building, *sent; /* sent: awaiting EXEC's reply, or NULL */
    int64_t last_commit_ms, committed_koff, last_tx_ms;

    /* the load */
    unit_t *units_head, *units_tail;
    size_t units_cmds;
    uint64_t load_errors;

    /* metrics (read by other threads) */
    atomic_llong m_koff, m_offset, m_commands, m_txs, m_errors, m_loads;
    atomic_llong m_keys_loaded, m_high;
    atomic_int m_ready;
};

/* ------------------------------------------------------------ position */

int cons_pos_format(const cons_pos_t *p, char *buf, size_t size) {
    int n;
    if (p->state == CONS_POS_LOAD) {
        n = snprintf(buf, size, "v1 load %s %" PRId64, p->topic, p->koff);
    } else {
        n = snprintf(buf, size, "v1 stream %s %" PRId64 " %s %" PRIu64 " %ld",
                     p->topic, p->koff, p->replid, p->offset, p->db);
    }
    return n < 0 || (size_t)n >= size ? -1 : n;
}

/* A decimal field of the position: digits only, in range. */
static int pos_field_u64(const char *s, uint64_t max, uint64_t *out) {
    uint64_t v = 0;
    if (*s == '\0') {
        return -1;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10) {
            return -1;
        }
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

int cons_pos_parse(const char *s, size_t len, cons_pos_t *p) {
    char buf[512];
    char *f[8], *save = NULL;
    size_t n = 0;
    uint64_t koff, off, db;
    memset(p, 0, sizeof(*p));
    if (len >= sizeof(buf) || memchr(s, '\0', len) != NULL) {
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (char *t = strtok_r(buf, " ", &save); t && n < 8;
         t = strtok_r(NULL, " ", &save)) {
        f[n++] = t;
    }
    if (n < 4 || strcmp(f[0], "v1") != 0 || strlen(f[2]) >= sizeof(p->topic) ||
        pos_field_u64(f[3], INT64_MAX, &koff) < 0) {
        return -1;
    }
    snprintf(p->topic, sizeof(p->topic), "%s", f[2]);
    p->koff = (int64_t)koff;
    if (strcmp(f[1], "load") == 0 && n == 4) {
        p->state = CONS_POS_LOAD;
        return 0;
    }
    if (strcmp(f[1], "stream") != 0 || n != 7 || strlen(f[4]) != 40 ||
        strspn(f[4], "0123456789abcdef") != 40 ||
        pos_field_u64(f[5], UINT64_MAX, &off) < 0) {
        return -1;
    }
    if (strcmp(f[6], "-1") == 0) {
        p->db = -1;
    } else if (pos_field_u64(f[6], 65535, &db) == 0) {
        p->db = (long)db;
    } else {
        return -1;
    }
    p->state = CONS_POS_STREAM;
    memcpy(p->replid, f[4], 41);
    p->offset = off;
    return 0;
}

/* ---------------------------------------------------------------- misc */

static int stopping(cons_apply_t *a) { return atomic_load(&a->stop); }

/* Sleeps ms, or less when asked to stop. */
static void nap(cons_apply_t *a, int64_t ms) {
    while (ms > 0 && !stopping(a)) {
        int64_t d = ms < 100 ? ms : 100;
        usleep((useconds_t)(d * 1000));
        ms -= d;
    }
}

/* Text of the idx-th command in buf (for messages). */
static const char *command_at(cons_apply_t *a, const char *buf, size_t len,
                              size_t idx, char *out, size_t size) {
    size_t off = 0, argc;
    snprintf(out, size, "?");
    for (size_t i = 0; off < len; i++) {
        long n = rkb_resp_parse_command(buf + off, len - off, a->args,
                                        a->args_cap, &argc);
        if (n <= 0) {
            break;
        }
        if (i == idx) {
            return cons_command_repr(a->args,
                                     argc < a->args_cap ? argc : a->args_cap,
                                     out, size);
        }
        off += (size_t)n;
    }
    return out;
}

/* -------------------------------------------------------------- target */

static void target_close(cons_apply_t *a) {
    if (a->rc != NULL) {
        redisFree(a->rc);
        a->rc = NULL;
    }
}

static step_t target_error(cons_apply_t *a, const char *what) {
    rkb_log(RKB_LOG_WARN, MOD, "target %s:%d: %s: %s; reconnecting", a->host,
            a->port, what, a->rc ? a->rc->errstr : "no connection");
    target_close(a);
    return STEP_RETRY;
}

/* A command and its reply, for the few round trips outside the stream. */
static redisReply *target_cmd(cons_apply_t *a, size_t argc,
                              const char **argv) {
    return redisCommandArgv(a->rc, (int)argc, argv, NULL);
}

/* Connects, authenticates, and checks that the peer is a writable Redis.
 * Wrong credentials and a read-only target are fatal: retrying cannot fix
 * them. */
static step_t target_connect(cons_apply_t *a) {
    redisReply *r;
    char v[64], err[256];
    switch (rkb_redis_connect(a->host, a->port, a->user, a->password, 5000,
                              TARGET_TIMEOUT_S * 1000, &a->rc, err,
                              sizeof(err))) {
    case RKB_REDIS_OK:
        break;
    case RKB_REDIS_EAUTH_REFUSED:
        rkb_log(RKB_LOG_ERR, MOD, "target %s:%d refused AUTH%s%s: %s",
                a->host, a->port, a->user ? " as user " : "",
                a->user ? a->user : "", err);
        return STEP_FATAL;
    case RKB_REDIS_EAUTH_LINK:
        rkb_log(RKB_LOG_WARN, MOD, "target %s:%d: AUTH: %s; reconnecting",
                a->host, a->port, err);
        return STEP_RETRY;
    default:
        rkb_log(RKB_LOG_WARN, MOD, "target %s:%d: cannot connect: %s; "
                "reconnecting", a->host, a->port, err);
        return STEP_RETRY;
    }
    /* the default sections hold role and redis_version */
    const char *info_argv[1] = {"INFO"};
    r = target_cmd(a, 1, info_argv);
    if (r == NULL) {
        if (a->rc->err == REDIS_ERR_PROTOCOL) {
            rkb_log(RKB_LOG_ERR, MOD,
                    "target %s:%d does not speak the Redis protocol: %s",
                    a->host, a->port, a->rc->errstr);
            target_close(a);
            return STEP_FATAL;
        }
        return target_error(a, "INFO");
    }
    if (r->type == REDIS_REPLY_ERROR) {
        int loading = strncmp(r->str, "LOADING", 7) == 0;
        rkb_log(loading ? RKB_LOG_WARN : RKB_LOG_ERR, MOD,
                "target %s:%d: INFO: %s", a->host, a->port, r->str);
        freeReplyObject(r);
        if (loading) {
            target_close(a);
            return STEP_RETRY;
        }
        return STEP_FATAL;
    }
    if (r->type != REDIS_REPLY_STRING && r->type != 5 /* VERB (RESP3) */) {
        freeReplyObject(r);
        rkb_log(RKB_LOG_ERR, MOD, "target %s:%d: unexpected reply to INFO",
                a->host, a->port);
        return STEP_FATAL;
    }
    rkb_redis_info_field(r->str, "role", v, sizeof(v));
    if (strcmp(v, "master") != 0) {
        rkb_log(RKB_LOG_ERR, MOD,
                "target %s:%d is a %s (read-only): apply mode writes to it "
                "as a client; give it no REPLICAOF",
                a->host, a->port, v[0] ? v : "non-master");
        freeReplyObject(r);
        return STEP_FATAL;
    }
    rkb_redis_info_field(r->str, "redis_version", v, sizeof(v));
    a->target_rdb_version = rkb_rdb_version_of_redis(v);
    freeReplyObject(r);
    rkb_log(RKB_LOG_NOTICE, MOD, "target %s:%d: Redis %s (RDB %d)", a->host,
            a->port, v, a->target_rdb_version);
    return STEP_OK;
}

/* Runs one command whose reply must not be an error; fatal if it is. */
static step_t target_must(cons_apply_t *a, size_t argc, const char **argv,
                          redisReply **out) {
    redisReply *r = target_cmd(a, argc, argv);
    char what[128];
    if (r == NULL) {
        snprintf(what, sizeof(what), "%s", argv[0]);
        return target_error(a, what);
    }
    if (r->type == REDIS_REPLY_ERROR) {
        rkb_log(RKB_LOG_ERR, MOD, "target %s:%d refused %s%s%s: %s", a->host,
                a->port, argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "",
                r->str);
        freeReplyObject(r);
        return STEP_FATAL;
    }
    if (out) {
        *out = r;
    } else {
        freeReplyObject(r);
    }
    return STEP_OK;
}

/* Reads the position (db 0). */
static step_t read_position(cons_apply_t *a) {
    redisReply *r;
    const char *sel[2] = {"SELECT", "0"};
    const char *get_halt[2] = {"GET", a->halt_key};
    const char *get_pos[2] = {"GET", a->pos_key};
    step_t s = target_must(a, 2, sel, NULL);
    if (s) {
        return s;
    }
    if ((s = target_must(a, 2, get_halt, &r))) {
        return s;
    }
    if (r->type == REDIS_REPLY_STRING) {
        rkb_log(RKB_LOG_ERR, MOD,
                "target %s:%d is halted since the consumer stopped on an "
                "error: %s. Check it (rkbridge verify), then DEL %s to go on "
                "or reload it with apply.flush",
                a->host, a->port, r->str, a->halt_key);
        freeReplyObject(r);
        return STEP_FATAL;
    }
    freeReplyObject(r);
    if ((s = target_must(a, 2, get_pos, &r))) {
        return s;
    }
    memset(&a->pos, 0, sizeof(a->pos));
    a->pos.state = CONS_POS_NONE;
    if (r->type == REDIS_REPLY_STRING) {
        if (cons_pos_parse(r->str, r->len, &a->pos) < 0) {
            rkb_log(RKB_LOG_ERR, MOD,
                    "target %s:%d: key %s holds \"%.80s\", not a position "
                    "this consumer wrote",
                    a->host, a->port, a->pos_key, r->str);
            freeReplyObject(r);
            return STEP_FATAL;
        }
        if (strcmp(a->pos.topic, a->topic) != 0) {
            rkb_log(RKB_LOG_ERR, MOD,
                    "target %s:%d holds the position of topic '%s', and this "
                    "consumer reads '%s': two journals must not share a "
                    "target (apply.key_prefix keeps them apart)",
                    a->host, a->port, a->pos.topic, a->topic);
            freeReplyObject(r);
            return STEP_FATAL;
        }
    }
    freeReplyObject(r);
    return STEP_OK;
}

/* Does this consumer write target db db? */
static int db_written(const cons_apply_t *a, long db) {
    const cons_filter_t *f = a->filter;
    if (f->n_dbs == 0) {
        return 1;
    }
    for (size_t i = 0; i < f->n_dbs; i++) {
        if (cons_filter_db(f, f->dbs[i]) == db) {
            return 1;
        }
    }
    return 0;
}

struct count_ctx {
    const cons_apply_t *a;
    long long keys;
};

static int count_written(void *arg, long db, long long keys) {
    struct count_ctx *ctx = arg;
    if (db_written(ctx->a, db)) {
        ctx->keys += keys;
    }
    return 0;
}

/* Keys in the target dbs this consumer writes, its own keys left out. */
static step_t target_keys(cons_apply_t *a, long long *keys) {
    const char *argv[2] = {"INFO", "keyspace"};
    redisReply *r;
    step_t s = target_must(a, 2, argv, &r);
    *keys = 0;
    if (s) {
        return s;
    }
    struct count_ctx ctx = {a, 0};
    rkb_redis_keyspace(r->str, count_written, &ctx);
    *keys = ctx.keys;
    freeReplyObject(r);
    /* our own keys, in db 0, when db 0 was counted */
    const char *ex[3] = {"EXISTS", a->pos_key, a->halt_key};
    if (db_written(a, 0)) {
        if ((s = target_must(a, 3, ex, &r))) {
            return s;
        }
        if (r->type == REDIS_REPLY_INTEGER) {
            *keys -= r->integer;
        }
        freeReplyObject(r);
    }
    return STEP_OK;
}

/* Empties what the consumer owns in the target: every db (and the
 * functions), or the dbs apply.dbs maps to. */
static step_t target_flush(cons_apply_t *a, const char *why) {
    step_t s;
    rkb_log(RKB_LOG_WARN, MOD,
            "FLUSHING target %s:%d (%s) before a full load: apply.flush is "
            "set",
            a->host, a->port, why);
    if (a->filter->n_dbs == 0) {
        const char *fa[1] = {"FLUSHALL"};
        if ((s = target_must(a, 1, fa, NULL))) {
            return s;
        }
        if (a->target_rdb_version >= 10) {
            const char *ff[2] = {"FUNCTION", "FLUSH"};
            return target_must(a, 2, ff, NULL);
        }
        return STEP_OK;
    }
    for (size_t i = 0; i < a->filter->n_dbs; i++) {
        char db[24];
        snprintf(db, sizeof(db), "%ld",
                 cons_filter_db(a->filter, a->filter->dbs[i]));
        const char *sel[2] = {"SELECT", db};
        const char *fd[1] = {"FLUSHDB"};
        if ((s = target_must(a, 2, sel, NULL)) ||
            (s = target_must(a, 1, fd, NULL))) {
            return s;
        }
    }
    const char *sel0[2] = {"SELECT", "0"};
    return target_must(a, 2, sel0, NULL);
}

static step_t set_position(cons_apply_t *a, const cons_pos_t *p) {
    char v[512];
    cons_pos_format(p, v, sizeof(v));
    const char *sel[2] = {"SELECT", "0"};
    const char *set[3] = {"SET", a->pos_key, v};
    step_t s = target_must(a, 2, sel, NULL);
    return s ? s : target_must(a, 3, set, NULL);
}

/* Writes buf (whole commands) to the target's socket. */
static step_t target_write(cons_apply_t *a, const char *buf, size_t len) {
    int done = 0;
    if (redisAppendFormattedCommand(a->rc, buf, len) != REDIS_OK) {
        return target_error(a, "write");
    }
    while (!done) {
        if (redisBufferWrite(a->rc, &done) != REDIS_OK) {
            return target_error(a, "write");
        }
    }
    return STEP_OK;
}

/* ---------------------------------------------------------------- Kafka */

static int kafka_assign(cons_apply_t *a, const char *topic, int32_t part,
                        int64_t koff) {
    char err[512];
    if (rkb_kafka_assign_one(a->rk, topic, part, koff, err, sizeof(err))) {
        rkb_log(RKB_LOG_ERR, MOD, "%s", err);
        return -1;
    }
    return 0;
}

static step_t watermarks(cons_apply_t *a, const char *topic, int32_t part,
                         int64_t *low, int64_t *high) {
    char err[512];
    if (rkb_kafka_watermarks(a->rk, topic, part, low, high, KAFKA_TIMEOUT_MS,
                             err, sizeof(err))) {
        rkb_log(RKB_LOG_WARN, MOD, "%s; retrying", err);
        return STEP_RETRY;
    }
    return STEP_OK;
}

/* Commits the Kafka offset applied to the group: lag tools read it. */
static void commit_group(cons_apply_t *a, int force) {
    int64_t now = rkb_mono_ms();
    if (a->pos.state != CONS_POS_STREAM || a->pos.koff <= a->committed_koff ||
        (!force && now - a->last_commit_ms < COMMIT_MS)) {
        return;
    }
    a->last_commit_ms = now;
    char err[256];
    if (rkb_kafka_commit_one(a->rk, a->topic, 0, a->pos.koff, !force, err,
                             sizeof(err))) {
        rkb_log(RKB_LOG_WARN, MOD, "commit to group '%s': %s", a->group, err);
        return;
    }
    a->committed_koff = a->pos.koff;
}

/* Next record, or NULL after timeout_ms. Kafka errors other than the end of
 * the partition are logged (librdkafka retries them). */
static rd_kafka_message_t *next_record(cons_apply_t *a, int timeout_ms,
                                       int *at_end) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(a->rk, timeout_ms);
    *at_end = 0;
    if (m == NULL) {
        return NULL;
    }
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        *at_end = 1;
        rd_kafka_message_destroy(m);
        return NULL;
    }
    return m;
}

/* Decodes a record; a corrupt one is fatal: skipping it would lose data. */
static step_t decode(const rd_kafka_message_t *km, const char *topic,
                     rkb_msg_t *m) {
    char why[256];
    if (rkb_msg_decode(km->payload, km->len, m, why, sizeof(why))) {
        rkb_log(RKB_LOG_ERR, MOD, "topic '%s' partition %d offset %" PRId64
                ": %s", topic, (int)km->partition, km->offset, why);
        return STEP_FATAL;
    }
    return STEP_OK;
}

/* ----------------------------------------------------------------- load */

/* Drops the oldest unit (its replies read, or moot). */
static void unit_pop(cons_apply_t *a) {
    unit_t *u = a->units_head;
    a->units_cmds -= u->ncmds;
    a->units_head = u->next;
    if (a->units_head == NULL) {
        a->units_tail = NULL;
    }
    rkb_buf_free(&u->buf);
    free(u);
}

static void units_free(cons_apply_t *a) {
    while (a->units_head) {
        unit_pop(a);
    }
}

/* Reads replies of the oldest units until at most keep commands await
 * theirs. */
static step_t load_replies(cons_apply_t *a, size_t keep) {
    while (a->units_cmds > keep) {
        unit_t *u = a->units_head;
        for (size_t i = 0; i < u->ncmds; i++) {
            redisReply *r;
            if (redisGetReply(a->rc, (void **)&r) != REDIS_OK) {
                return target_error(a, "reading replies of the load");
            }
            if (r->type == REDIS_REPLY_ERROR) {
                char cmd[200];
                command_at(a, u->buf.data, u->buf.len, i, cmd, sizeof(cmd));
                a->load_errors++;
                atomic_fetch_add(&a->m_errors, 1);
                rkb_log(a->on_error_log ? RKB_LOG_WARN : RKB_LOG_ERR, MOD,
                        "target refused \"%s\" while loading the snapshot: "
                        "%s%s",
                        cmd, r->str,
                        a->on_error_log ? " (apply.on_error = log: going on)"
                                        : "");
                if (!a->on_error_log) {
                    freeReplyObject(r);
                    return STEP_FATAL;
                }
            }
            freeReplyObject(r);
        }
        unit_pop(a);
    }
    return STEP_OK;
}

/* Writes out's commands (ncmds of them) and queues them for replies. */
static step_t load_send(cons_apply_t *a, rkb_buf_t *out, size_t ncmds) {
    step_t s;
    if (ncmds == 0) {
        return STEP_OK;
    }
    if ((s = target_write(a, out->data, out->len))) {
        return s;
    }
    unit_t *u = rkb_calloc(1, sizeof(*u));
    u->buf = *out;
    u->ncmds = ncmds;
    memset(out, 0, sizeof(*out));
    if (a->units_tail) {
        a->units_tail->next = u;
    } else {
        a->units_head = u;
    }
    a->units_tail = u;
    a->units_cmds += ncmds;
    return load_replies(a, LOAD_WINDOW_CMDS);
}

static int64_t map_key(void *arg, uint64_t db, const char *key, size_t len) {
    cons_apply_t *a = arg;
    long t = cons_filter_db(a->filter, (long)db);
    if (t < 0 || !cons_filter_key(a->filter, key, len)) {
        return -1;
    }
    return t;
}

static int restore_version(const cons_apply_t *a) {
    if (strcmp(a->load, "commands") == 0) {
        return 0;
    }
    if (strcmp(a->load, "restore") == 0) {
        return RKB_RDB_VERSION_MAX;
    }
    return a->target_rdb_version;
}

/* Loads the snapshot the RESYNC record rs (at Kafka offset koff) points to,
 * then sets the position to the stream right after it. replace: write
 * each key over what the target may hold (a load done again). */
static step_t load_snapshot(cons_apply_t *a, const rkb_msg_t *rs, int64_t koff,
                            int replace) {
    const uint64_t sync_id = rs->u.resync.sync_id;
    const int32_t part = rs->u.resync.partition;
    const int64_t first = rs->u.resync.begin_offset;
    const int64_t last = rs->u.resync.end_offset;
    rkb_rdbcmd_opts_t o;
    rkb_buf_t out = RKB_BUF_INIT;
    uint64_t rdb_pos = 0, crc = 0;
    int64_t next = first, t0 = rkb_mono_ms();
    step_t s = STEP_OK;
    cons_pos_t p;

    memset(&p, 0, sizeof(p));
    p.state = CONS_POS_LOAD;
    snprintf(p.topic, sizeof(p.topic), "%s", a->topic);
    p.koff = koff;
    if ((s = set_position(a, &p))) {
        return s;
    }
    a->pos = p;
    memset(&o, 0, sizeof(o));
    o.restore_version = restore_version(a);
    o.replace = replace;
    o.map_key = map_key;
    o.map_arg = a;
    o.functions = 1;
    rkb_rdbcmd_t *conv = rkb_rdbcmd_new(&o);
    rkb_log(RKB_LOG_NOTICE, MOD,
            "loading snapshot %016" PRIx64 " (replid %s offset %" PRIu64
            ", topic '%s' offsets %" PRId64 "..%" PRId64 ")%s",
            sync_id, rs->replid, rs->end_offset, a->snapshot_topic, first,
            last, replace ? " over the keys of an unfinished load" : "");
    atomic_store(&a->m_ready, 0);
    int64_t lo, hi;
    if ((s = watermarks(a, a->snapshot_topic, part, &lo, &hi))) {
        goto out;
    }
    rkb_log(RKB_LOG_DEBUG, MOD, "snapshot topic offsets %" PRId64 "..%" PRId64
            " after %" PRId64 " ms", lo, hi, rkb_mono_ms() - t0);
    if (kafka_assign(a, a->snapshot_topic, part, first) < 0) {
        s = STEP_RETRY;
        goto out;
    }
    while (next <= last) {
        int at_end;
        if (stopping(a)) {
            s = STEP_STOP;
            goto out;
        }
        rd_kafka_message_t *km = next_record(a, POLL_MS, &at_end);
        if (km == NULL) {
            continue;
        }
        if (km->err) {
            rkb_log(RKB_LOG_WARN, MOD, "reading topic '%s' offset %" PRId64
                    ": %s", a->snapshot_topic, next,
                    rd_kafka_message_errstr(km));
            int gone = km->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE;
            rd_kafka_message_destroy(km);
            if (gone) {
                rkb_log(RKB_LOG_ERR, MOD, "snapshot %016" PRIx64 " is no "
                        "longer in topic '%s' (retention)", sync_id,
                        a->snapshot_topic);
                s = STEP_FATAL;
                goto out;
            }
            continue;
        }
        if (km->offset != next) {
            rd_kafka_message_destroy(km);
            continue; /* fetched for an earlier assignment */
        }
        rkb_msg_t m;
        if ((s = decode(km, a->snapshot_topic, &m))) {
            rd_kafka_message_destroy(km);
            goto out;
        }
        if (next == first) {
            rkb_log(RKB_LOG_DEBUG, MOD, "first snapshot record after %" PRId64
                    " ms", rkb_mono_ms() - t0);
        }
        if (m.type == RKB_MSG_SNAPSHOT_CHUNK &&
            m.u.snap_chunk.sync_id == sync_id) {
            if (m.u.snap_chunk.rdb_pos != rdb_pos) {
                rkb_log(RKB_LOG_ERR, MOD, "snapshot %016" PRIx64 ": chunk at "
                        "RDB byte %" PRIu64 " but %" PRIu64 " were read "
                        "(topic '%s' offset %" PRId64 ")", sync_id,
                        m.u.snap_chunk.rdb_pos, rdb_pos, a->snapshot_topic,
                        next);
                rd_kafka_message_destroy(km);
                s = STEP_FATAL;
                goto out;
            }
            rdb_pos += m.u.snap_chunk.len;
            crc = rkb_crc64(crc, m.u.snap_chunk.data, m.u.snap_chunk.len);
            uint64_t before = rkb_rdbcmd_commands(conv);
            if (rkb_rdbcmd_feed(conv, m.u.snap_chunk.data, m.u.snap_chunk.len,
                                &out) != RKB_OK) {
                rkb_log(RKB_LOG_ERR, MOD, "snapshot %016" PRIx64 ": %s",
                        sync_id, rkb_rdbcmd_errstr(conv));
                rd_kafka_message_destroy(km);
                s = STEP_FATAL;
                goto out;
            }
            s = load_send(a, &out,
                          (size_t)(rkb_rdbcmd_commands(conv) - before));
            atomic_store(&a->m_keys_loaded, (long long)rkb_rdbcmd_keys(conv));
        } else if (next == last &&
                   (m.type != RKB_MSG_SNAPSHOT_END ||
                    m.u.snap_end.sync_id != sync_id ||
                    m.u.snap_end.rdb_size != rdb_pos ||
                    m.u.snap_end.crc64 != crc)) {
            rkb_log(RKB_LOG_ERR, MOD, "snapshot %016" PRIx64 ": the END "
                    "record at topic '%s' offset %" PRId64 " does not match "
                    "the %" PRIu64 " bytes read (crc64 %016" PRIx64 ")",
                    sync_id, a->snapshot_topic, next, rdb_pos, crc);
            s = STEP_FATAL;
        }
        rd_kafka_message_destroy(km);
        if (s) {
            goto out;
        }
        next++;
    }
    if (!rkb_rdbcmd_done(conv)) {
        rkb_log(RKB_LOG_ERR, MOD, "snapshot %016" PRIx64 ": the RDB ends "
                "before its EOF marker (%" PRIu64 " bytes)", sync_id, rdb_pos);
        s = STEP_FATAL;
        goto out;
    }
    rkb_log(RKB_LOG_DEBUG, MOD, "snapshot read from Kafka after %" PRId64
            " ms", rkb_mono_ms() - t0);
    if ((s = load_replies(a, 0))) {
        goto out;
    }
    memset(&p, 0, sizeof(p));
    p.state = CONS_POS_STREAM;
    snprintf(p.topic, sizeof(p.topic), "%s", a->topic);
    p.koff = koff + 1;
    memcpy(p.replid, rs->replid, sizeof(p.replid));
    p.offset = rs->end_offset;
    p.db = -1;
    if ((s = set_position(a, &p))) {
        goto out;
    }
    a->pos = p;
    atomic_fetch_add(&a->m_loads, 1);
    rkb_log(RKB_LOG_NOTICE, MOD,
            "snapshot %016" PRIx64 " loaded: %" PRIu64 " keys, %" PRIu64
            " commands (%" PRIu64 " keys by RESTORE), RDB %d, %" PRIu64
            " bytes in %.2f s%s",
            sync_id, rkb_rdbcmd_keys(conv), rkb_rdbcmd_commands(conv),
            rkb_rdbcmd_restored(conv), rkb_rdbcmd_version(conv), rdb_pos,
            (double)(rkb_mono_ms() - t0) / 1000.0,
            a->load_errors ? " with errors (see above)" : "");
out:
    rkb_buf_free(&out);
    units_free(a);
    rkb_rdbcmd_destroy(conv);
    return s;
}

/* Finds the newest RESYNC record of the stream topic. */
static step_t newest_resync(cons_apply_t *a, rkb_msg_t *rs, int64_t *koff,
                            int *found) {
    int64_t low, high, next;
    step_t s = watermarks(a, a->topic, 0, &low, &high);
    *found = 0;
    if (s) {
        return s;
    }
    if (kafka_assign(a, a->topic, 0, low) < 0) {
        return STEP_RETRY;
    }
    next = low;
    while (next < high) {
        int at_end;
        if (stopping(a)) {
            return STEP_STOP;
        }
        rd_kafka_message_t *km = next_record(a, POLL_MS, &at_end);
        if (km == NULL) {
            continue;
        }
        if (km->err == 0 && km->offset >= next) {
            rkb_msg_t m;
            if ((s = decode(km, a->topic, &m))) {
                rd_kafka_message_destroy(km);
                return s;
            }
            if (m.type == RKB_MSG_RESYNC) {
                *rs = m;
                *koff = km->offset;
                *found = 1;
            }
            next = km->offset + 1;
        } else if (km->err) {
            rkb_log(RKB_LOG_WARN, MOD, "reading topic '%s': %s", a->topic,
                    rd_kafka_message_errstr(km));
        }
        rd_kafka_message_destroy(km);
    }
    return STEP_OK;
}

/* A full load: the newest snapshot into a target that is empty, flushed
 * (when allowed), or holds an unfinished load of that same snapshot. */
static step_t full_load(cons_apply_t *a, const rkb_msg_t *given,
                        int64_t given_koff, const char *why) {
    rkb_msg_t rs;
    int64_t koff = given_koff;
    int found = 1, replace = 0;
    long long keys;
    step_t s;
    if (given != NULL) {
        rs = *given;
    } else {
        for (;;) {
            if ((s = newest_resync(a, &rs, &koff, &found))) {
                return s;
            }
            if (found) {
                break;
            }
            rkb_log(RKB_LOG_NOTICE, MOD, "topic '%s' holds no snapshot yet; "
                    "waiting for the producer's first full sync", a->topic);
            nap(a, 2000);
            if (stopping(a)) {
                return STEP_STOP;
            }
        }
    }
    if ((s = target_keys(a, &keys))) {
        return s;
    }
    if (a->pos.state == CONS_POS_LOAD && a->pos.koff == koff) {
        /* the same load, interrupted: write every key over */
        replace = keys > 0;
    } else if (keys > 0) {
        if (!a->flush) {
            rkb_log(RKB_LOG_ERR, MOD,
                    "a full load is needed (%s), and target %s:%d holds %lld "
                    "keys: set apply.flush = true to let the consumer flush "
                    "it, or empty it yourself",
                    why, a->host, a->port, keys);
            return STEP_FATAL;
        }
        if ((s = target_flush(a, why))) {
            return s;
        }
    }
    return load_snapshot(a, &rs, koff, replace);
}

/* --------------------------------------------------------------- stream */

static void tx_reset(tx_t *t) {
    rkb_buf_clear(&t->buf);
    t->n = 0;
    t->has_pos = 0;
    rkb_buf_append(&t->buf, "*1\r\n$5\r\nMULTI\r\n", 15);
}

static void tx_free(tx_t *t) {
    rkb_buf_free(&t->buf);
    free(t->off);
    free(t->soff);
    free(t->koff);
}

static void tx_note(tx_t *t, size_t off, uint64_t soff, int64_t koff) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->off = rkb_realloc(t->off, t->cap * sizeof(*t->off));
        t->soff = rkb_realloc(t->soff, t->cap * sizeof(*t->soff));
        t->koff = rkb_realloc(t->koff, t->cap * sizeof(*t->koff));
    }
    t->off[t->n] = off;
    t->soff[t->n] = soff;
    t->koff[t->n] = koff;
    t->n++;
}

/* The tail every transaction ends with: the position, in db 0. */
static void tx_close(cons_apply_t *a, tx_t *t) {
    char v[512];
    int n = cons_pos_format(&t->pos, v, sizeof(v));
    const char *sel[2] = {"SELECT", "0"};
    const char *set[3] = {"SET", a->pos_key, v};
    size_t lens[3] = {3, strlen(a->pos_key), (size_t)n};
    tx_note(t, t->buf.len, t->pos.offset, t->pos.koff - 1);
    rkb_resp_append_command(&t->buf, 2, sel, NULL);
    tx_note(t, t->buf.len, t->pos.offset, t->pos.koff - 1);
    rkb_resp_append_command(&t->buf, 3, set, lens);
    rkb_buf_append(&t->buf, "*1\r\n$4\r\nEXEC\r\n", 14);
}

/* Closes t and writes it; it is in flight until tx_confirm. */
static step_t tx_write(cons_apply_t *a, tx_t *t) {
    step_t s;
    tx_close(a, t);
    if ((s = target_write(a, t->buf.data, t->buf.len))) {
        return s;
    }
    a->sent = t;
    a->last_tx_ms = rkb_mono_ms();
    return STEP_OK;
}

/* Sends the transaction being built; the next one starts empty, and in db
 * 0, where the one sent leaves the connection. */
static step_t tx_send(cons_apply_t *a) {
    tx_t *t = a->building;
    step_t s = tx_write(a, t);
    if (s) {
        return s;
    }
    a->building = t == &a->tx[0] ? &a->tx[1] : &a->tx[0];
    tx_reset(a->building);
    a->rw.out_db = 0;
    return STEP_OK;
}

/* Marks the target halted (best effort): a restart then refuses to go on
 * until an operator has looked. */
static void halt_target(cons_apply_t *a, const char *what) {
    const char *set[3] = {"SET", a->halt_key, what};
    redisReply *r = target_cmd(a, 3, set);
    if (r) {
        freeReplyObject(r);
    }
}

/* Reads the replies of the transaction in flight.
 * A queue-time error aborts it whole (EXECABORT): with on_error = log the
 * refused commands are left out and the rest sent again. */
static step_t tx_confirm(cons_apply_t *a) {
    tx_t *t = a->sent;
    redisReply *r;
    char cmd[200], what[512];
    size_t n, bad = 0;
    int *refused = NULL;
    step_t s = STEP_OK;
    if (t == NULL) {
        return STEP_OK;
    }
    n = t->n;
    /* +OK, QUEUED per command, the EXEC reply */
    for (size_t i = 0; i < n + 2; i++) {
        if (redisGetReply(a->rc, (void **)&r) != REDIS_OK) {
            free(refused);
            return target_error(a, "reading the replies of a transaction");
        }
        if (i > 0 && i <= n && r->type == REDIS_REPLY_ERROR) {
            if (refused == NULL) {
                refused = rkb_calloc(n, sizeof(*refused));
            }
            refused[i - 1] = 1;
            bad++;
            command_at(a, t->buf.data, t->buf.len, i, cmd, sizeof(cmd));
            rkb_log(a->on_error_log ? RKB_LOG_WARN : RKB_LOG_ERR, MOD,
                    "target refused \"%s\" at stream offset %" PRIu64
                    " (Kafka offset %" PRId64 "): %s%s",
                    cmd, t->soff[i - 1], t->koff[i - 1], r->str,
                    a->on_error_log ? "; apply.on_error = log: left out"
                                    : "; nothing of its transaction was "
                                      "applied");
            atomic_fetch_add(&a->m_errors, 1);
        }
        if (i == n + 1) {
            if (r->type == REDIS_REPLY_ARRAY) {
                for (size_t j = 0; j < r->elements && j < n; j++) {
                    if (r->element[j]->type != REDIS_REPLY_ERROR) {
                        continue;
                    }
                    command_at(a, t->buf.data, t->buf.len, j + 1, cmd,
                               sizeof(cmd));
                    snprintf(what, sizeof(what),
                             "\"%s\" at stream offset %" PRIu64
                             " (Kafka offset %" PRId64 "): %s",
                             cmd, t->soff[j], t->koff[j],
                             r->element[j]->str);
                    atomic_fetch_add(&a->m_errors, 1);
                    if (a->on_error_log) {
                        rkb_log(RKB_LOG_WARN, MOD, "target refused %s "
                                "(apply.on_error = log: going on)", what);
                    } else {
                        rkb_log(RKB_LOG_ERR, MOD, "target refused %s", what);
                        if (s == STEP_OK) {
                            halt_target(a, what);
                        }
                        s = STEP_FATAL;
                    }
                }
            } else if (r->type == REDIS_REPLY_ERROR && bad == 0) {
                rkb_log(RKB_LOG_ERR, MOD, "target aborted a transaction: %s",
                        r->str);
                s = STEP_FATAL;
            }
        }
        freeReplyObject(r);
    }
    if (bad > 0) {
        if (!a->on_error_log) {
            free(refused);
            return STEP_FATAL;
        }
        /* Send it again without the refused commands. */
        tx_t again;
        memset(&again, 0, sizeof(again));
        tx_reset(&again);
        for (size_t i = 0; i + 2 < n; i++) {
            size_t end = t->off[i + 1];
            if (!refused[i]) {
                tx_note(&again, again.buf.len, t->soff[i], t->koff[i]);
                rkb_buf_append(&again.buf, t->buf.data + t->off[i],
                               end - t->off[i]);
            }
        }
        again.pos = t->pos;
        free(refused);
        s = tx_write(a, &again);
        if (s == STEP_OK) {
            s = tx_confirm(a);
        }
        a->sent = NULL;
        tx_free(&again);
        return s;
    }
    free(refused);
    rkb_log(RKB_LOG_DEBUG, MOD, "transaction of %zu commands committed: "
            "Kafka offset %" PRId64 ", stream offset %" PRIu64, n - 2,
            t->pos.koff, t->pos.offset);
    if (s == STEP_OK) {
        a->pos = t->pos;
        atomic_store(&a->m_koff, a->pos.koff);
        atomic_store(&a->m_offset, (long long)a->pos.offset);
        atomic_fetch_add(&a->m_commands, (long long)(n - 2));
        atomic_fetch_add(&a->m_txs, 1);
    }
    a->sent = NULL;
    return s;
}

/* Translates the stream bytes a record completed into the transaction
 * being built. @returns STEP_OK, or STEP_FATAL for a command that cannot
 * be applied under on_error = stop. */
static step_t add_commands(cons_apply_t *a, int64_t koff) {
    tx_t *t = a->building;
    size_t off = 0;
    uint64_t start = a->feed.pos - a->bytes.len;
    while (off < a->bytes.len) {
        size_t argc;
        long n = rkb_resp_parse_command(a->bytes.data + off,
                                        a->bytes.len - off, a->args,
                                        a->args_cap, &argc);
        if (n > 0 && argc > a->args_cap) {
            a->args_cap = argc;
            a->args = rkb_realloc(a->args, argc * sizeof(*a->args));
            continue;
        }
        if (n <= 0) {
            rkb_log(RKB_LOG_ERR, MOD,
                    "stream offset %" PRIu64 " (Kafka offset %" PRId64
                    "): not a whole RESP command",
                    start + off, koff);
            return STEP_FATAL;
        }
        size_t added = 0, mark = t->buf.len;
        long out_db = a->rw.out_db;
        int rc = cons_rewrite_command(&a->rw, a->bytes.data + off, (size_t)n,
                                      a->args, argc, &t->buf, &added);
        if (rc == CONS_RW_REFUSE) {
            char cmd[200];
            cons_command_repr(a->args, argc, cmd, sizeof(cmd));
            t->buf.len = mark;
            a->rw.out_db = out_db;
            atomic_fetch_add(&a->m_errors, 1);
            if (!a->on_error_log) {
                rkb_log(RKB_LOG_ERR, MOD,
                        "cannot apply \"%s\" at stream offset %" PRIu64
                        " (Kafka offset %" PRId64 "): %s",
                        cmd, start + off, koff, a->rw.errstr);
                return STEP_FATAL;
            }
            rkb_log(RKB_LOG_WARN, MOD,
                    "left out \"%s\" at stream offset %" PRIu64
                    " (Kafka offset %" PRId64 "): %s (apply.on_error = log)",
                    cmd, start + off, koff, a->rw.errstr);
        } else if (rc == CONS_RW_APPLY) {
            /* note where each appended command starts: one starts at
             * mark; a SELECT or a split FLUSHALL needs a look */
            if (added == 1) {
                tx_note(t, mark, start + off, koff);
            } else {
                size_t p = mark;
                for (size_t i = 0; i < added; i++) {
                    size_t c;
                    long m = rkb_resp_parse_command(t->buf.data + p,
                                                    t->buf.len - p, a->args,
                                                    0, &c);
                    tx_note(t, p, start + off, koff);
                    p += (size_t)m;
                }
            }
        }
        off += (size_t)n;
    }
    return STEP_OK;
}

/* The position after the record at koff, when it ends on a safe point. */
static void note_safe_point(cons_apply_t *a, int64_t koff) {
    tx_t *t = a->building;
    if (a->feed.in_chain) {
        return;
    }
    t->pos.state = CONS_POS_STREAM;
    snprintf(t->pos.topic, sizeof(t->pos.topic), "%s", a->topic);
    t->pos.koff = koff + 1;
    memcpy(t->pos.replid, a->feed.replid, sizeof(t->pos.replid));
    t->pos.offset = a->feed.pos;
    t->pos.db = a->rw.src_db;
    t->has_pos = 1;
}

/* Sends the transaction being built once the last one has committed.
 * idle: nothing more to read now, send even a small one. */
static step_t maybe_send(cons_apply_t *a, int idle) {
    tx_t *t = a->building;
    step_t s;
    if (!t->has_pos) {
        return STEP_OK;
    }
    int full = t->n >= a->batch_commands || t->buf.len >= TX_MAX_BYTES;
    int moved = t->n > 0 || (t->pos.koff > a->pos.koff &&
                             rkb_mono_ms() - a->last_tx_ms >=
                                 IDLE_POSITION_MS);
    if (!(full || (idle && moved))) {
        return STEP_OK;
    }
    if ((s = tx_confirm(a))) {
        return s;
    }
    return tx_send(a);
}

/* One stream-topic record: its commands into the transaction being
 * built, which is sent once full. */
static step_t on_stream_record(cons_apply_t *a, rd_kafka_message_t *km) {
    rkb_msg_t m;
    step_t s;
    if ((s = decode(km, a->topic, &m))) {
        return s;
    }
    rkb_buf_clear(&a->bytes);
    int rc = cons_feed_record(&a->feed, &m, &a->bytes);
    switch (rc) {
    case CONS_FEED_OK:
    case CONS_FEED_REPLID:
        break;
    case CONS_FEED_RESYNC: {
        /* Commit what came before, then a new full load. */
        if ((s = maybe_send(a, 1)) || (s = tx_confirm(a))) {
            return s;
        }
        rkb_log(RKB_LOG_NOTICE, MOD, "the producer took a new full sync "
                "(Kafka offset %" PRId64 "): reloading", km->offset);
        char reason[64];
        snprintf(reason, sizeof(reason), "a new snapshot at Kafka offset %"
                 PRId64, km->offset);
        if ((s = full_load(a, &m, km->offset, reason))) {
            return s;
        }
        return STEP_RESTART; /* the stream, from the new position */
    }
    default:
        rkb_log(RKB_LOG_ERR, MOD, "topic '%s' offset %" PRId64 ": %s",
                a->topic, km->offset, a->feed.errstr);
        return STEP_FATAL;
    }
    if (a->bytes.len && (s = add_commands(a, km->offset))) {
        if (s == STEP_FATAL && a->building->has_pos) {
            /* Apply everything before the refused command's record. */
            tx_t *t = a->building;
            size_t keep = 0;
            while (keep < t->n && t->koff[keep] < km->offset) {
                keep++;
            }
            t->buf.len = keep < t->n ? t->off[keep] : t->buf.len;
            t->n = keep;
            if (tx_confirm(a) == STEP_OK && tx_send(a) == STEP_OK) {
                tx_confirm(a);
            }
        }
        return s;
    }
    note_safe_point(a, km->offset);
    return maybe_send(a, 0);
}

/* Applies the stream from the position on, until stopped or an error. */
static step_t stream(cons_apply_t *a) {
    int64_t low, high;
    step_t s = watermarks(a, a->topic, 0, &low, &high);
    if (s) {
        return s;
    }
    if (a->pos.koff < low) {
        char why[128];
        snprintf(why, sizeof(why), "the stream from Kafka offset %" PRId64
                 " is no longer in topic '%s' (retention)", a->pos.koff,
                 a->topic);
        rkb_log(RKB_LOG_WARN, MOD, "%s", why);
        if ((s = full_load(a, NULL, -1, why))) {
            return s;
        }
        return STEP_RESTART;
    }
    cons_feed_free(&a->feed);
    cons_feed_init(&a->feed, a->pos.replid, a->pos.offset);
    cons_rewrite_init(&a->rw, a->filter, a->pos.db);
    a->rw.out_db = 0; /* read_position and set_position leave db 0 */
    tx_reset(&a->tx[0]);
    tx_reset(&a->tx[1]);
    a->building = &a->tx[0];
    a->sent = NULL;
    if (kafka_assign(a, a->topic, 0, a->pos.koff) < 0) {
        return STEP_RETRY;
    }
    rkb_log(RKB_LOG_NOTICE, MOD,
            "applying the stream from Kafka offset %" PRId64
            " (replid %s offset %" PRIu64 ", db %ld)",
            a->pos.koff, a->pos.replid, a->pos.offset, a->pos.db);
    int64_t expect = a->pos.koff;
    while (!stopping(a)) {
        int at_end;
        /* Work waiting: look at Kafka without blocking. A position that
         * only heartbeats moved waits for IDLE_POSITION_MS. */
        int busy = a->building->n > 0 || a->sent != NULL;
        rd_kafka_message_t *km = next_record(a, busy ? 0 : POLL_MS, &at_end);
        if (at_end) {
            atomic_store(&a->m_ready, 1);
        }
        if (km == NULL) {
            if ((s = maybe_send(a, 1))) {
                return s;
            }
            if (a->sent != NULL && (s = tx_confirm(a))) {
                return s;
            }
            commit_group(a, 0);
            continue;
        }
        if (km->err) {
            int gone = km->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE;
            rkb_log(gone ? RKB_LOG_ERR : RKB_LOG_WARN, MOD,
                    "reading topic '%s': %s", a->topic,
                    rd_kafka_message_errstr(km));
            rd_kafka_message_destroy(km);
            if (gone) {
                return STEP_RETRY; /* the position check decides */
            }
            continue;
        }
        if (km->offset < expect) {
            rd_kafka_message_destroy(km); /* an earlier assignment's */
            continue;
        }
        atomic_store(&a->m_high, km->offset + 1);
        expect = km->offset + 1;
        s = on_stream_record(a, km);
        rd_kafka_message_destroy(km);
        if (s) {
            return s;
        }
        commit_group(a, 0);
    }
    /* Stopping: what is complete goes to the target first. */
    if ((s = maybe_send(a, 1)) == STEP_OK && (s = tx_confirm(a)) == STEP_OK) {
        commit_group(a, 1);
    }
    return s ? s : STEP_STOP;
}

/* ------------------------------------------------------------- session */

static step_t session(cons_apply_t *a) {
    step_t s;
    if (a->rc == NULL && (s = target_connect(a))) {
        return s;
    }
    if ((s = read_position(a))) {
        return s;
    }
    switch (a->pos.state) {
    case CONS_POS_NONE:
        rkb_log(RKB_LOG_NOTICE, MOD, "target %s:%d holds no position: full "
                "load", a->host, a->port);
        if ((s = full_load(a, NULL, -1, "the target holds no position"))) {
            return s;
        }
        break;
    case CONS_POS_LOAD:
        rkb_log(RKB_LOG_NOTICE, MOD, "target %s:%d holds an unfinished load "
                "(Kafka offset %" PRId64 "): loading again", a->host, a->port,
                a->pos.koff);
        if ((s = full_load(a, NULL, -1, "the last load did not finish"))) {
            return s;
        }
        break;
    case CONS_POS_STREAM:
        break;
    }
    return stream(a);
}

static void *apply_main(void *arg) {
    cons_apply_t *a = arg;
    int64_t backoff = RETRY_MIN_MS;
    while (!stopping(a)) {
        step_t s = session(a);
        if (s == STEP_FATAL) {
            a->exit_code = RKB_EXIT_FATAL;
            break;
        }
        if (s == STEP_STOP) {
            break;
        }
        if (s == STEP_RESTART) {
            backoff = RETRY_MIN_MS;
            continue;
        }
        target_close(a); /* replies of what was in flight are moot */
        nap(a, backoff);
        backoff = backoff * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : backoff * 2;
    }
    target_close(a);
    if (a->exit_code != 0) {
        char b = 1;
        ssize_t w = write(a->done_fd, &b, 1);
        (void)w;
    }
    return NULL;
}

/* ------------------------------------------------------------------ API */

cons_apply_t *cons_apply_new(const cons_apply_opts_t *o, char *errstr,
                             size_t errstr_size) {
    static const char *const defaults[] = {
        "queued.max.messages.kbytes", "65536", "fetch.wait.max.ms", "50",
        NULL};
    /* "error": a position retention has deleted must be seen, not
     * silently replaced by another offset. */
    rd_kafka_t *rk = rkb_kafka_consumer_new(o->brokers, o->group, 1, "error",
                                            defaults, o->props, o->n_props,
                                            errstr, errstr_size);
    if (rk == NULL) {
        return NULL;
    }

    cons_apply_t *a = rkb_calloc(1, sizeof(*a));
    a->rk = rk;
    a->brokers = rkb_strdup(o->brokers);
    a->topic = rkb_strdup(o->topic);
    a->snapshot_topic = rkb_strdup(o->snapshot_topic);
    a->group = rkb_strdup(o->group);
    a->host = rkb_strdup(o->host);
    a->port = o->port;
    a->user = o->user ? rkb_strdup(o->user) : NULL;
    a->password = o->password ? rkb_strdup(o->password) : NULL;
    a->flush = o->flush;
    a->load = rkb_strdup(o->load);
    a->on_error_log = o->on_error_log;
    a->key_prefix = rkb_strdup(o->key_prefix);
    a->filter = o->filter;
    a->batch_commands = o->batch_commands;
    size_t n = strlen(o->key_prefix) + 16;
    a->pos_key = rkb_malloc(n);
    snprintf(a->pos_key, n, "%sposition", o->key_prefix);
    a->halt_key = rkb_malloc(n);
    snprintf(a->halt_key, n, "%shalted", o->key_prefix);
    a->args_cap = 64;
    a->args = rkb_malloc(a->args_cap * sizeof(*a->args));
    a->committed_koff = -1;
    a->pos.state = CONS_POS_NONE;
    return a;
}

int cons_apply_start(cons_apply_t *a, int done_fd) {
    a->done_fd = done_fd;
    int rc = pthread_create(&a->thread, NULL, apply_main, a);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    a->started = 1;
    return 0;
}

int cons_apply_stop(cons_apply_t *a) {
    atomic_store(&a->stop, 1);
    if (a->started) {
        pthread_join(a->thread, NULL);
        a->started = 0;
    }
    return a->exit_code;
}

void cons_apply_destroy(cons_apply_t *a) {
    if (a == NULL) {
        return;
    }
    cons_apply_stop(a);
    rd_kafka_assign(a->rk, NULL);
    rd_kafka_destroy_flags(a->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    cons_feed_free(&a->feed);
    rkb_buf_free(&a->bytes);
    tx_free(&a->tx[0]);
    tx_free(&a->tx[1]);
    units_free(a);
    free(a->args);
    free(a->brokers);
    free(a->topic);
    free(a->snapshot_topic);
    free(a->group);
    free(a->host);
    free(a->user);
    if (a->password) {
        explicit_bzero(a->password, strlen(a->password));
        free(a->password);
    }
    free(a->load);
    free(a->key_prefix);
    free(a->pos_key);
    free(a->halt_key);
    free(a);
}

void cons_apply_metrics(cons_apply_t *a, rkb_buf_t *out) {
    char b[1024];
    long long koff = atomic_load(&a->m_koff), high = atomic_load(&a->m_high);
    int n = snprintf(
        b, sizeof(b),
        "# TYPE rkbridge_apply_kafka_offset gauge\n"
        "rkbridge_apply_kafka_offset %lld\n"
        "# TYPE rkbridge_apply_lag_records gauge\n"
        "rkbridge_apply_lag_records %lld\n"
        "# TYPE rkbridge_apply_stream_offset gauge\n"
        "rkbridge_apply_stream_offset %lld\n"
        "# TYPE rkbridge_apply_commands_total counter\n"
        "rkbridge_apply_commands_total %lld\n"
        "# TYPE rkbridge_apply_transactions_total counter\n"
        "rkbridge_apply_transactions_total %lld\n"
        "# TYPE rkbridge_apply_errors_total counter\n"
        "rkbridge_apply_errors_total %lld\n"
        "# TYPE rkbridge_apply_loads_total counter\n"
        "rkbridge_apply_loads_total %lld\n"
        "# TYPE rkbridge_apply_keys_loaded gauge\n"
        "rkbridge_apply_keys_loaded %lld\n",
        koff, high > koff ? high - koff : 0, atomic_load(&a->m_offset),
        atomic_load(&a->m_commands), atomic_load(&a->m_txs),
        atomic_load(&a->m_errors), atomic_load(&a->m_loads),
        atomic_load(&a->m_keys_loaded));
    rkb_buf_append(out, b, (size_t)n);
}

int cons_apply_ready(cons_apply_t *a) { return atomic_load(&a->m_ready); }
