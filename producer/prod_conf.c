/* prod_conf.c -- the producer's configuration table and cross-field checks.
 * The doc texts below become docs/CONFIG.md (a test compares the two). */
#include "rkb_fmacros.h"
#include "prod_conf.h"
#include "rkb_conf_kafka.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD_FILE_MAX 65536 /* a password file is never larger */

/* One librdkafka property. The value is not shown: it may be a secret. */
static int check_property(const rkb_conf_value_t *v, char *err, size_t errsz) {
    const char *s = v->str;
    size_t nlen = rkb_conf_property_name(s, err, errsz);
    if (nlen == 0) {
        return -1;
    }
    /* kafka.brokers is the one way to name the brokers, so that -t and
     * --dump-config show the brokers actually used */
    static const char *const brokers[] = {"bootstrap.servers",
                                          "metadata.broker.list", NULL};
    if (rkb_conf_property_is(s, nlen, brokers)) {
        snprintf(err, errsz, "%.*s: set the brokers with kafka.brokers",
                 (int)nlen, s);
        return -1;
    }
    /* The journal's guarantees rest on these; a property must not weaken
     * them, and silently overriding the user would hide the conflict. */
    static const char *const fixed[] = {
        "acks", "request.required.acks", "enable.idempotence",
        "message.timeout.ms", "delivery.timeout.ms", "transactional.id",
        "max.in.flight.requests.per.connection", "max.in.flight", NULL};
    if (rkb_conf_property_is(s, nlen, fixed)) {
        snprintf(err, errsz,
                 "%.*s is fixed by rkbridge (acks=all, idempotence on, no "
                 "message timeout) and cannot be set",
                 (int)nlen, s);
        return -1;
    }
    return 0;
}

#define OFF(f) offsetof(prod_conf_t, f)

/* clang-format off */
const rkb_conf_entry_t prod_conf_table[] = {
    {.key = "source.host", .type = RKB_CONF_STRING, .def_str = "127.0.0.1",
     .offset = OFF(source_host),
     .doc = "Host name or address of the Redis master to replicate."},
    {.key = "source.port", .type = RKB_CONF_INT, .def_int = 6379,
     .min = 1, .max = 65535, .offset = OFF(source_port),
     .doc = "TCP port of the Redis master."},
    {.key = "source.user", .type = RKB_CONF_STRING,
     .offset = OFF(source_user),
     .doc = "ACL user for AUTH (needs a password); unset: AUTH with the "
            "password alone."},
    {.key = "source.password", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_SECRET, .offset = OFF(source_password),
     .doc = "Password for AUTH; unset: no AUTH. Prefer "
            "`source.password_file`. Never printed."},
    {.key = "source.password_file", .type = RKB_CONF_STRING,
     .offset = OFF(source_password_file),
     .doc = "File holding the password (one trailing newline is removed); "
            "excludes `source.password`."},
    {.key = "source.announce_port", .type = RKB_CONF_INT, .def_int = 0,
     .min = 0, .max = 65535, .offset = OFF(source_announce_port),
     .doc = "Port sent in REPLCONF listening-port, which the master shows "
            "for this replica in INFO replication."},
    {.key = "source.connect_timeout_ms", .type = RKB_CONF_INT,
     .def_int = 5000, .min = 100, .max = 600000,
     .offset = OFF(source_connect_timeout_ms),
     .doc = "Time allowed to connect and for each handshake step."},
    {.key = "source.repl_timeout_ms", .type = RKB_CONF_INT,
     .def_int = 60000, .min = 1000, .max = 86400000,
     .offset = OFF(source_repl_timeout_ms),
     .doc = "A master silent for longer than this is dropped and "
            "reconnected."},
    {.key = "kafka.brokers", .type = RKB_CONF_BROKERS,
     .flags = RKB_CONF_REQUIRED, .offset = OFF(kafka_brokers),
     .doc = "Kafka bootstrap brokers, `host:port[,host:port...]`."},
    {.key = "kafka.topic", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_REQUIRED, .check = rkb_conf_check_topic,
     .offset = OFF(kafka_topic),
     .doc = "Stream topic: the replication stream, heartbeats and markers "
            "(one partition)."},
    {.key = "kafka.snapshot_topic", .type = RKB_CONF_STRING,
     .check = rkb_conf_check_topic, .offset = OFF(kafka_snapshot_topic),
     .def_doc = "`<kafka.topic>.snapshot`",
     .doc = "Snapshot topic: the RDB of each full sync. Must differ from "
            "`kafka.topic`."},
    {.key = "kafka.properties", .type = RKB_CONF_STRLIST,
     .check = check_property, .offset = OFF(kafka_properties),
     .doc = "librdkafka properties as `\"name=value\"` strings, e.g. "
            "`( \"linger.ms=5\" )`; each `-o` adds one."},
    {.key = "kafka.replication_factor", .type = RKB_CONF_INT, .def_int = -1,
     .min = -1, .max = 32767, .offset = OFF(kafka_replication_factor),
     .doc = "Replication factor of topics the producer creates; -1: the "
            "broker's default."},
    {.key = "producer.frame_bytes", .type = RKB_CONF_INT, .def_int = 262144,
     .min = 1024, .max = 1000000, .offset = OFF(producer_frame_bytes),
     .doc = "Most stream bytes in one Kafka record; longer commands span "
            "continuation records."},
    {.key = "producer.chunk_bytes", .type = RKB_CONF_INT, .def_int = 524288,
     .min = 1024, .max = 1000000, .offset = OFF(producer_chunk_bytes),
     .doc = "RDB bytes per snapshot chunk record."},
    {.key = "producer.heartbeat_ms", .type = RKB_CONF_INT, .def_int = 1000,
     .min = 100, .max = 3600000, .offset = OFF(producer_heartbeat_ms),
     .doc = "Interval of heartbeat records, which let consumers tell their "
            "lag in seconds."},
    {.key = "producer.max_inflight_bytes", .type = RKB_CONF_INT,
     .def_int = 16777216, .min = 1048576, .max = 1073741824,
     .offset = OFF(producer_max_inflight_bytes),
     .doc = "Bytes handed to Kafka but not yet confirmed before the "
            "producer stops reading from the master."},
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

/* Reads the password from cfg->source_password_file. */
static void read_password(rkb_conf_ctx_t *ctx, prod_conf_t *cfg) {
    const char *path = cfg->source_password_file;
    const char *key = "source.password_file";
    rkb_buf_t b = RKB_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *fp = fopen(path, "rb");

    if (fp == NULL) {
        rkb_conf_error(ctx, key, "cannot read %s: %s", path, strerror(errno));
        return;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
           b.len <= PASSWORD_FILE_MAX) {
        rkb_buf_append(&b, chunk, n);
    }
    explicit_bzero(chunk, sizeof(chunk));
    if (ferror(fp)) {
        rkb_conf_error(ctx, key, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (b.len > PASSWORD_FILE_MAX) {
        rkb_conf_error(ctx, key, "%s is larger than %d bytes", path,
                       PASSWORD_FILE_MAX);
        goto out;
    }
    /* one trailing newline, as echo and editors leave it */
    if (b.len > 0 && b.data[b.len - 1] == '\n') {
        b.len--;
        if (b.len > 0 && b.data[b.len - 1] == '\r') {
            b.len--;
        }
    }
    if (b.len == 0) {
        rkb_conf_error(ctx, key, "%s is empty", path);
    } else if (memchr(b.data, '\0', b.len) != NULL) {
        rkb_conf_error(ctx, key, "%s contains a NUL byte", path);
    } else if (memchr(b.data, '\n', b.len) || memchr(b.data, '\r', b.len)) {
        rkb_conf_error(ctx, key, "%s has more than one line", path);
    } else {
        cfg->source_password = rkb_strndup(b.data, b.len);
    }

out:
    if (b.data != NULL) {
        explicit_bzero(b.data, b.cap);
    }
    rkb_buf_free(&b);
    fclose(fp);
}

/* Cross-field checks and derived values; runs even after other errors,
 * when a rejected value is still at its default (NULL for topic). */
void prod_conf_post(rkb_conf_ctx_t *ctx, void *out) {
    prod_conf_t *cfg = out;

    if (cfg->source_password != NULL && cfg->source_password_file != NULL) {
        rkb_conf_error(ctx, "source.password_file",
                       "cannot be used together with source.password "
                       "(set at %s)",
                       rkb_conf_origin(ctx, "source.password"));
    } else if (cfg->source_password_file != NULL) {
        read_password(ctx, cfg);
    }
    if (cfg->source_user != NULL && cfg->source_password == NULL &&
        cfg->source_password_file == NULL) {
        rkb_conf_error(ctx, "source.user",
                       "requires source.password or source.password_file");
    }

    rkb_conf_snapshot_topic(ctx, cfg->kafka_topic, &cfg->kafka_snapshot_topic);
}

int prod_conf_load(prod_conf_t *cfg, const char *path,
                   const char *const *overrides, size_t n,
                   rkb_conf_errors_t *errs) {
    return rkb_conf_load(prod_conf_table, cfg, path, overrides, n,
                         prod_conf_post, errs);
}

int prod_conf_load_string(prod_conf_t *cfg, const char *text,
                          const char *const *overrides, size_t n,
                          rkb_conf_errors_t *errs) {
    return rkb_conf_load_string(prod_conf_table, cfg, text, overrides, n,
                                prod_conf_post,
                                errs);
}

void prod_conf_free(prod_conf_t *cfg) {
    rkb_conf_free(prod_conf_table, cfg);
}

void prod_conf_dump(const prod_conf_t *cfg, FILE *fp) {
    /* A password read from source.password_file is not a setting of its
     * own: showing it too would make the dump fail to load. */
    prod_conf_t shown = *cfg;
    if (shown.source_password_file != NULL) {
        shown.source_password = NULL;
    }
    rkb_conf_dump(prod_conf_table, &shown, fp);
}

void prod_conf_doc(FILE *fp) {
    rkb_conf_doc(prod_conf_table, fp);
}
