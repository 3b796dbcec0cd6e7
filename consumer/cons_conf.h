/* cons_conf.h -- the consumer's configuration: its key table and the plain
 * struct it is loaded into (see rkb_conf.h for the engine, docs/CONFIG.md
 * for the keys). Loaded once by main before anything starts; the rest of
 * the consumer reads the struct and never sees libconfig.
 * Never logs, not thread-safe. */
#ifndef CONS_CONF_H
#define CONS_CONF_H
#include <stddef.h>
#include <stdio.h>
#include "rkb_conf.h"

typedef struct cons_conf_s {
    char *mode; /* "relay" or "apply" */

    /* kafka */
    char *kafka_brokers;                 /* "host:port[,host:port...]" */
    char *kafka_topic;                   /* the stream topic */
    char *kafka_snapshot_topic;          /* never NULL after a good load */
    char *kafka_group;                   /* the region's consumer group */
    rkb_conf_strlist_t kafka_properties; /* "name=value" for librdkafka */

    /* relay mode */
    char *relay_listen;   /* "host:port" replicas connect to */
    char *relay_password; /* NULL: replicas need no AUTH */

    /* apply mode: the target Redis */
    char *target_host;
    long long target_port;
    char *target_user;     /* NULL: AUTH with the password alone */
    char *target_password; /* NULL: no AUTH */

    /* apply mode: how */
    int apply_flush;        /* may flush the target before a full load */
    char *apply_load;       /* "auto" "restore" "commands" */
    char *apply_on_error;   /* "stop" "log" */
    char *apply_key_prefix; /* the bridge's own keys in the target */
    rkb_conf_strlist_t apply_dbs;              /* source dbs; empty: all */
    rkb_conf_strlist_t apply_db_map;           /* "src:dst" */
    rkb_conf_strlist_t apply_include_prefixes; /* empty: every key */
    rkb_conf_strlist_t apply_exclude_prefixes;
    long long apply_batch_commands; /* commands per MULTI/EXEC, at most */

    /* metrics and logging */
    char *metrics_listen; /* "host:port", NULL: no metrics endpoint */
    char *log_level;      /* "err" "warn" "notice" "info" "debug" */
} cons_conf_t;

/* Largest db number apply.dbs and apply.db_map take. */
#define CONS_CONF_DB_MAX 65535

/** Parses "N" (apply.dbs) or "N:M" (apply.db_map); values the table has
 *  checked always parse. @returns 0 or -1. */
int cons_conf_parse_db(const char *s, long *db);
int cons_conf_parse_db_pair(const char *s, long *src, long *dst);

/* The consumer's key table, terminated by an entry with a NULL key. */
extern const rkb_conf_entry_t cons_conf_table[];
/* Its cross-field checks and derived values (rkb_conf_load's post hook). */
void cons_conf_post(rkb_conf_ctx_t *ctx, void *out);

/** Loads the consumer configuration from the text of a file (the daemon
 *  loads files through rkb_daemon_configure with cons_conf_table and
 *  cons_conf_post); errors name "<string>". For tests. Either way release
 *  cfg with cons_conf_free(). */
int cons_conf_load_string(cons_conf_t *cfg, const char *text,
                          const char *const *overrides, size_t n,
                          rkb_conf_errors_t *errs);

/** Frees what cfg owns (the password is wiped first). Safe twice. */
void cons_conf_free(cons_conf_t *cfg);

/** --dump-config: the effective configuration, secrets redacted. */
void cons_conf_dump(const cons_conf_t *cfg, FILE *fp);

/** --config-doc: the markdown key table of docs/CONFIG.md. */
void cons_conf_doc(FILE *fp);

#endif
