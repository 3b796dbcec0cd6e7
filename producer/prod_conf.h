/* prod_conf.h -- the producer's configuration: its key table and the plain
 * struct it is loaded into (see rkb_conf.h for the engine, docs/CONFIG.md
 * for the keys). Loaded once by main before anything starts; the rest of
 * the producer reads the struct and never sees libconfig.
 * Never logs, not thread-safe. */
#ifndef PROD_CONF_H
#define PROD_CONF_H
#include <stddef.h>
#include <stdio.h>
#include "rkb_conf.h"

typedef struct prod_conf_s {
    /* source: the Redis master the producer replicates from */
    char *source_host; /* never NULL */
    long long source_port;
    char *source_user;                   /* NULL: AUTH <password> only */
    char *source_password;               /* NULL: no AUTH; filled from
                                          * source_password_file if set */
    char *source_password_file;          /* NULL or the file it came from */
    long long source_announce_port;      /* sent in REPLCONF listening-port */
    long long source_connect_timeout_ms; /* per handshake state */
    long long source_repl_timeout_ms;    /* master silent longer: reconnect */

    /* kafka */
    char *kafka_brokers;                 /* "host:port[,host:port...]" */
    char *kafka_topic;                   /* the stream topic */
    char *kafka_snapshot_topic;          /* never NULL after a good load */
    rkb_conf_strlist_t kafka_properties; /* "name=value" for librdkafka,
                                          * each with its origin */
    long long kafka_replication_factor;  /* -1: the broker's default */

    /* producer */
    long long producer_frame_bytes;  /* max stream payload per Kafka record */
    long long producer_chunk_bytes;  /* RDB bytes per snapshot chunk record */
    long long producer_heartbeat_ms; /* heartbeat record interval */
    long long producer_max_inflight_bytes; /* unconfirmed bytes before we stop
                                            * reading from the master */

    /* metrics and logging */
    char *metrics_listen; /* "host:port", NULL: no metrics endpoint */
    char *log_level;      /* "err" "warn" "notice" "info" "debug" */
} prod_conf_t;

/* The producer's key table, terminated by an entry with a NULL key. */
extern const rkb_conf_entry_t prod_conf_table[];
/* Its cross-field checks and derived values (rkb_conf_load's post hook). */
void prod_conf_post(rkb_conf_ctx_t *ctx, void *out);

/** Loads the producer configuration into cfg (its previous content is
 *  overwritten, not freed): path may be NULL (no file); overrides are
 *  n strings "path=value" (borrowed). Besides the checks of each key it
 *  checks the keys together, derives kafka.snapshot_topic and reads
 *  source.password_file.
 *  @returns 0, or -1 with every problem appended to errs.
 *  Either way release cfg with prod_conf_free(). */
int prod_conf_load(prod_conf_t *cfg, const char *path,
                   const char *const *overrides, size_t n,
                   rkb_conf_errors_t *errs);

/** The same from the text of a file; errors name "<string>". For tests
 *  and fuzzing. */
int prod_conf_load_string(prod_conf_t *cfg, const char *text,
                          const char *const *overrides, size_t n,
                          rkb_conf_errors_t *errs);

/** Frees what cfg owns (the password is wiped first). Safe twice. */
void prod_conf_free(prod_conf_t *cfg);

/** --dump-config: the effective configuration, secrets redacted. */
void prod_conf_dump(const prod_conf_t *cfg, FILE *fp);

/** --config-doc: the markdown key table of docs/CONFIG.md. */
void prod_conf_doc(FILE *fp);

#endif
