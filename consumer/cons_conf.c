/* cons_conf.c -- the consumer's configuration table and cross-field
 * checks. The doc texts below are the consumer's part of docs/CONFIG.md. */
#include "rkb_fmacros.h"
#include "cons_conf.h"
#include "rkb_conf_kafka.h"
#include "rkb_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


static const char *const modes[] = {"relay", "apply", NULL};
static const char *const loads[] = {"auto", "restore", "commands", NULL};
static const char *const on_errors[] = {"stop", "log", NULL};

/* A db number as Redis takes it in SELECT. */
static int parse_db(const char *s, const char *end, long *db) {
    char *e;
    if (s == end || *s < '0' || *s > '9') {
        return -1;
    }
    errno = 0;
    *db = strtol(s, &e, 10);
    return (e != end || errno || *db > CONS_CONF_DB_MAX) ? -1 : 0;
}

static int check_db(const rkb_conf_value_t *v, char *err, size_t errsz) {
    long db;
    if (parse_db(v->str, v->str + strlen(v->str), &db) < 0) {
        snprintf(err, errsz, "\"%s\" is not a db number (0..%d)", v->str,
                 CONS_CONF_DB_MAX);
        return -1;
    }
    return 0;
}

static int check_db_pair(const rkb_conf_value_t *v, char *err, size_t errsz) {
    long a, b;
    if (cons_conf_parse_db_pair(v->str, &a, &b) < 0) {
        snprintf(err, errsz, "\"%s\" is not \"source-db:target-db\"",
                 v->str);
        return -1;
    }
    return 0;
}

static int check_prefix(const rkb_conf_value_t *v, char *err, size_t errsz) {
    if (v->str[0] == '\0') {
        snprintf(err, errsz, "an empty prefix matches every key");
        return -1;
    }
    return 0;
}

int cons_conf_parse_db_pair(const char *s, long *src, long *dst) {
    const char *colon = strchr(s, ':');
    if (colon == NULL || parse_db(s, colon, src) < 0 ||
        parse_db(colon + 1, colon + strlen(colon), dst) < 0) {
        return -1;
    }
    return 0;
}

int cons_conf_parse_db(const char *s, long *db) {
    return parse_db(s, s + strlen(s), db);
}

/* One librdkafka property. The value is not shown: it may be a secret. */
static int check_property(const rkb_conf_value_t *v, char *err, size_t errsz) {
    const char *s = v->str;
    size_t nlen = rkb_conf_property_name(s, err, errsz);
    if (nlen == 0) {
        return -1;
    }
    /* kafka.brokers and kafka.group are the one way to set these, so that
     * -t and --dump-config show what is actually used */
    static const char *const fixed[] = {
        "bootstrap.servers", "metadata.broker.list", "group.id", NULL};
    if (rkb_conf_property_is(s, nlen, fixed)) {
        snprintf(err, errsz, "%.*s: set it with kafka.brokers or kafka.group",
                 (int)nlen, s);
        return -1;
    }
    return 0;
}

#define OFF(f) offsetof(cons_conf_t, f)

/* clang-format off */
const rkb_conf_entry_t cons_conf_table[] = {
    {.key = "mode", .type = RKB_CONF_ENUM, .def_str = "relay",
     .values = modes, .offset = OFF(mode),
     .doc = "`relay`: replicas run REPLICAOF to this consumer; `apply`: "
            "the consumer writes to a target Redis as a client (docs/APPLY.md)."},
    {.key = "kafka.brokers", .type = RKB_CONF_BROKERS,
     .flags = RKB_CONF_REQUIRED, .offset = OFF(kafka_brokers),
     .doc = "Kafka bootstrap brokers, `host:port[,host:port...]`."},
    {.key = "kafka.topic", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_REQUIRED, .check = rkb_conf_check_topic,
     .offset = OFF(kafka_topic),
     .doc = "Stream topic the producer writes (one partition)."},
    {.key = "kafka.snapshot_topic", .type = RKB_CONF_STRING,
     .check = rkb_conf_check_topic, .offset = OFF(kafka_snapshot_topic),
     .def_doc = "`<kafka.topic>.snapshot`",
     .doc = "Snapshot topic the producer writes. Must differ from "
            "`kafka.topic`."},
    {.key = "kafka.group", .type = RKB_CONF_STRING,
     .def_str = "rkbridge-consumer", .offset = OFF(kafka_group),
     .doc = "Consumer group of this region: the relay commits to it the "
            "stream-topic offset all its replicas acknowledged."},
    {.key = "kafka.properties", .type = RKB_CONF_STRLIST,
     .check = check_property, .offset = OFF(kafka_properties),
     .doc = "librdkafka properties as `\"name=value\"` strings; each `-o` "
            "adds one."},
    {.key = "relay.listen", .type = RKB_CONF_HOSTPORT,
     .offset = OFF(relay_listen),
     .def_doc = "none (**required** in relay mode)",
     .doc = "Address replicas connect to with `REPLICAOF host port`."},
    {.key = "relay.password", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_SECRET, .offset = OFF(relay_password),
     .doc = "Password replicas must AUTH with (their `masterauth`); unset: "
            "no AUTH. Never printed."},
    {.key = "target.host", .type = RKB_CONF_STRING, .def_str = "127.0.0.1",
     .offset = OFF(target_host),
     .doc = "Apply mode: host name or address of the target Redis."},
    {.key = "target.port", .type = RKB_CONF_INT, .def_int = 6379,
     .min = 1, .max = 65535, .offset = OFF(target_port),
     .doc = "Apply mode: TCP port of the target Redis."},
    {.key = "target.user", .type = RKB_CONF_STRING,
     .offset = OFF(target_user),
     .doc = "Apply mode: ACL user for AUTH (needs `target.password`)."},
    {.key = "target.password", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_SECRET, .offset = OFF(target_password),
     .doc = "Apply mode: password for AUTH; unset: no AUTH. Never printed."},
    {.key = "apply.flush", .type = RKB_CONF_BOOL, .def_int = 0,
     .offset = OFF(apply_flush),
     .doc = "Apply mode: let the consumer flush the target before a full "
            "load (a non-empty target, or a new snapshot in the journal). "
            "Unset, it stops instead and says why."},
    {.key = "apply.load", .type = RKB_CONF_ENUM, .def_str = "auto",
     .values = loads, .offset = OFF(apply_load),
     .doc = "Apply mode: how a snapshot is loaded: `restore` (RESTORE "
            "payloads), `commands` (SET, RPUSH, HSET...), or `auto` "
            "(RESTORE when the target's RDB version takes the snapshot's)."},
    {.key = "apply.on_error", .type = RKB_CONF_ENUM, .def_str = "stop",
     .values = on_errors, .offset = OFF(apply_on_error),
     .doc = "Apply mode: on an error reply from the target, `stop` (exit 2 "
            "naming the command and its offset) or `log` it and go on."},
    {.key = "apply.key_prefix", .type = RKB_CONF_STRING,
     .def_str = "rkbridge:", .check = check_prefix,
     .offset = OFF(apply_key_prefix),
     .doc = "Apply mode: prefix of the keys the consumer keeps in the "
            "target (its position, in db 0)."},
    {.key = "apply.dbs", .type = RKB_CONF_STRLIST, .check = check_db,
     .offset = OFF(apply_dbs), .def_doc = "all",
     .doc = "Apply mode: the source dbs to apply, as strings (`[\"0\", "
            "\"3\"]`); others are left out."},
    {.key = "apply.db_map", .type = RKB_CONF_STRLIST, .check = check_db_pair,
     .offset = OFF(apply_db_map), .def_doc = "none",
     .doc = "Apply mode: `\"source:target\"` db pairs; a db not listed "
            "keeps its number."},
    {.key = "apply.include_prefixes", .type = RKB_CONF_STRLIST,
     .check = check_prefix, .offset = OFF(apply_include_prefixes),
     .def_doc = "every key",
     .doc = "Apply mode: only keys starting with one of these are applied "
            "(multi-key commands: docs/APPLY.md)."},
    {.key = "apply.exclude_prefixes", .type = RKB_CONF_STRLIST,
     .check = check_prefix, .offset = OFF(apply_exclude_prefixes),
     .def_doc = "none",
     .doc = "Apply mode: keys starting with one of these are left out."},
    {.key = "apply.batch_commands", .type = RKB_CONF_INT, .def_int = 2048,
     .min = 1, .max = 1000000, .offset = OFF(apply_batch_commands),
     .doc = "Apply mode: commands per MULTI/EXEC at most (a transaction of "
            "the master is never split)."},
    {.key = "metrics.listen", .type = RKB_CONF_HOSTPORT,
     .offset = OFF(metrics_listen),
     .def_doc = "none (no endpoint)",
     .doc = "Address of the HTTP endpoint for Prometheus metrics and the "
            "health check."},
    {.key = "log.level", .type = RKB_CONF_ENUM, .def_str = "notice",
     .values = rkb_conf_log_levels, .offset = OFF(log_level),
     .doc = "Least severe message logged: `err` logs the fewest, `debug` "
            "the most."},
    {.key = NULL},
};
/* clang-format on */

static int db_applied(const cons_conf_t *cfg, long db) {
    long d;
    if (cfg->apply_dbs.n == 0) {
        return 1;
    }
    for (size_t i = 0; i < cfg->apply_dbs.n; i++) {
        if (cons_conf_parse_db(cfg->apply_dbs.v[i], &d) == 0 && d == db) {
            return 1;
        }
    }
    return 0;
}

static int db_remapped(const cons_conf_t *cfg, long db) {
    long s, d;
    for (size_t i = 0; i < cfg->apply_db_map.n; i++) {
        if (cons_conf_parse_db_pair(cfg->apply_db_map.v[i], &s, &d) == 0 &&
            s == db) {
            return 1;
        }
    }
    return 0;
}

/* Two applied source dbs must not land in one target db: their keys
 * would merge, and SWAPDB or MOVE between them would mean nothing. A db
 * not in apply.db_map keeps its number, so "5:2" alone also sends db 2
 * to target db 2. */
static void check_db_map(rkb_conf_ctx_t *ctx, const cons_conf_t *cfg) {
    long s, d, s2, d2;
    for (size_t i = 0; i < cfg->apply_db_map.n; i++) {
        if (cons_conf_parse_db_pair(cfg->apply_db_map.v[i], &s, &d) < 0 ||
            !db_applied(cfg, s)) {
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (cons_conf_parse_db_pair(cfg->apply_db_map.v[j], &s2, &d2) <
                    0 ||
                !db_applied(cfg, s2)) {
                continue;
            }
            if (s2 == s) {
                rkb_conf_error(ctx, "apply.db_map",
                               "source db %ld is mapped twice", s);
                return;
            }
            if (d2 == d) {
                rkb_conf_error(ctx, "apply.db_map",
                               "source dbs %ld and %ld would both go to "
                               "target db %ld",
                               s2, s, d);
                return;
            }
        }
        if (d != s && db_applied(cfg, d) && !db_remapped(cfg, d)) {
            rkb_conf_error(ctx, "apply.db_map",
                           "source dbs %ld and %ld would both go to target "
                           "db %ld: map db %ld elsewhere too, or leave it "
                           "out with apply.dbs",
                           d, s, d, d);
            return;
        }
    }
}

/* Cross-field checks and derived values; runs even after other errors,
 * when a rejected value is still at its default (NULL for topic). */
void cons_conf_post(rkb_conf_ctx_t *ctx, void *out) {
    cons_conf_t *cfg = out;

    if (cfg->mode != NULL && strcmp(cfg->mode, "relay") == 0 &&
        cfg->relay_listen == NULL) {
        rkb_conf_error(ctx, "relay.listen", "required in relay mode");
    }
    check_db_map(ctx, cfg);
    if (cfg->target_user != NULL && cfg->target_password == NULL) {
        rkb_conf_error(ctx, "target.user", "requires target.password");
    }
    rkb_conf_snapshot_topic(ctx, cfg->kafka_topic, &cfg->kafka_snapshot_topic);
}

int cons_conf_load_string(cons_conf_t *cfg, const char *text,
                          const char *const *overrides, size_t n,
                          rkb_conf_errors_t *errs) {
    return rkb_conf_load_string(cons_conf_table, cfg, text, overrides, n,
                                cons_conf_post,
                                errs);
}

void cons_conf_free(cons_conf_t *cfg) {
    rkb_conf_free(cons_conf_table, cfg);
}

void cons_conf_dump(const cons_conf_t *cfg, FILE *fp) {
    rkb_conf_dump(cons_conf_table, cfg, fp);
}

void cons_conf_doc(FILE *fp) {
    rkb_conf_doc(cons_conf_table, fp);
}
