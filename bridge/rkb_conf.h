/* rkb_conf.h -- table-driven configuration engine over libconfig 1.5.
 *
 * Each daemon describes its keys in a table of rkb_conf_entry_t and gets a
 * plain struct back: rkb_conf_load() reads the file (or nothing), applies the
 * "-o path=value" overrides, rejects unknown keys and wrong types, checks
 * ranges, formats and validators, fills in defaults, reports missing required
 * keys and finally calls the daemon's cross-field hook. Nothing outside this
 * module touches config_t.
 *
 * Every error is collected, none is fatal to the checking, and each one names
 * where the value came from:
 *
 *     producer.conf:3: source.port: 70000 is outside allowed range 1..65535
 *     producer.conf:7: sourc.host: unknown key (did you mean source.host?)
 *     -o source.port=abc: source.port: expected an integer
 *     producer.conf:9: kafka.topic: required key is missing
 *
 * The engine never logs and never prints secrets (RKB_CONF_SECRET values, and
 * the values of password-like "name=value" list elements, see
 * rkb_conf_prop_is_secret()).
 *
 * Not thread-safe; call it from the main thread before anything starts. */
#ifndef RKB_CONF_H
#define RKB_CONF_H
#include <stddef.h>
#include <stdio.h>

/* Limits: a config file (or string) larger than this is refused before
 * parsing; after this many errors a load stops collecting them and adds
 * one line saying how many more it found. */
#define RKB_CONF_FILE_MAX   (1024 * 1024)
#define RKB_CONF_ERRORS_MAX 100

/* Value types. Every string type is stored as an owned "char *" (NULL when
 * unset); the three checked ones only add a built-in format check. */
typedef enum {
    RKB_CONF_INT,      /* long long field; integer in the file */
    RKB_CONF_BOOL,     /* int field (0/1); true/false in the file */
    RKB_CONF_STRING,   /* char * field */
    RKB_CONF_STRLIST,  /* rkb_conf_strlist_t field; list of strings */
    RKB_CONF_HOSTPORT, /* char * field: "host:port", port 1..65535 */
    RKB_CONF_BROKERS,  /* char * field: "host:port[,host:port...]" */
    RKB_CONF_ENUM,     /* char * field: one of entry->values */
} rkb_conf_type_t;

/* Entry flags. */
#define RKB_CONF_REQUIRED 0x1 /* no default: load fails when unset */
#define RKB_CONF_SECRET   0x2 /* value never printed (errors, dumps) */

/* A list of strings, each with where it was set, so that a later consumer
 * of an element (e.g. rd_kafka_conf_set() rejecting a property) can say
 * "producer.conf:12: kafka.properties: ...". */
typedef struct rkb_conf_strlist_s {
    char **v;      /* n owned strings */
    char **origin; /* n owned "file:line" or "-o key=value" strings */
    size_t n;
} rkb_conf_strlist_t;

/* The value handed to a validator: num for INT and BOOL, str for the string
 * types and for each element of a STRLIST (str is never NULL or empty). */
typedef struct rkb_conf_value_s {
    long long num;
    const char *str;
} rkb_conf_value_t;

/** A per-value validator. Runs after the type, range and built-in format
 *  checks passed. Must not keep pointers into v.
 *  @returns 0 if the value is acceptable, else -1 with a one-line reason in
 *  errstr (without the key; do not quote secret values). */
typedef int(rkb_conf_check_f)(const rkb_conf_value_t *v, char *errstr,
                              size_t errstr_size);

typedef struct rkb_conf_entry_s {
    const char *key; /* "source.port"; NULL ends the table */
    rkb_conf_type_t type;
    int flags;                 /* RKB_CONF_REQUIRED | RKB_CONF_SECRET */
    const char *def_str;       /* default of string types, or NULL */
    long long def_int;         /* default of INT and BOOL */
    long long min, max;        /* INT: inclusive range */
    const char *const *values; /* ENUM: allowed values, NULL-terminated */
    rkb_conf_check_f *check;   /* optional extra validation */
    size_t offset;             /* offsetof(daemon struct, field) */
    const char *doc;           /* one-line description for CONFIG.md */
    const char *def_doc;       /* optional: default as shown in the doc,
                                * for defaults computed after loading */
} rkb_conf_entry_t;

/* The list of error lines of a load; one error per string, no newlines.
 * Initialize with RKB_CONF_ERRORS_INIT, release with rkb_conf_errors_free. */
typedef struct rkb_conf_errors_s {
    char **v; /* n owned strings */
    size_t n;
} rkb_conf_errors_t;

#define RKB_CONF_ERRORS_INIT                                                   \
    { NULL, 0 }

void rkb_conf_errors_free(rkb_conf_errors_t *errs); /* leaves errs empty */
void rkb_conf_errors_add(rkb_conf_errors_t *errs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Writes each error followed by a newline. */
void rkb_conf_errors_print(const rkb_conf_errors_t *errs, FILE *fp);

/* Cross-field checks and post-processing run by rkb_conf_load() after every
 * value was checked. The context is valid only during the call. */
typedef struct rkb_conf_ctx_s rkb_conf_ctx_t;
typedef void(rkb_conf_post_f)(rkb_conf_ctx_t *ctx, void *out);

/** @returns where key got its value ("producer.conf:4", "<string>:4" or
 *  "-o source.user=bob"), or NULL while it has its default or was
 *  rejected. Borrowed: valid during the post hook. */
const char *rkb_conf_origin(const rkb_conf_ctx_t *ctx, const char *key);
/** Adds "<origin of key>: <key>: <message>" to the load's errors. When key
 *  has no origin, the config file (or "<string>", or "<no config file>") is
 *  named instead. key may be NULL for an error about no particular key. */
void rkb_conf_error(rkb_conf_ctx_t *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Loads a configuration into out.
 *
 *  Every table field of out is overwritten (not freed) with its default
 *  first; fields not in the table are left alone. Then: read path (NULL: no
 *  file, the same as an empty file), apply overrides (each "path=value",
 *  the value read in the type of its key; for a STRLIST each one appends an
 *  element), check every setting, report required keys that are still
 *  unset, and call post (may be NULL), which also runs when earlier checks
 *  failed: rejected values keep their defaults (NULL for required keys).
 *
 *  An empty string value means "unset" (so "-o metrics.listen=" removes a
 *  value set in the file); it is an error for a required key.
 *
 *  @param overrides n_overrides strings "path=value" (without "-o"),
 *         borrowed; may be NULL when n_overrides is 0.
 *  @param errs receives one string per error; errors already in it are
 *         kept.
 *  @returns 0 if no error was added, else -1.
 *  Either way out owns memory: release it with rkb_conf_free(). */
int rkb_conf_load(const rkb_conf_entry_t *table, void *out, const char *path,
                  const char *const *overrides, size_t n_overrides,
                  rkb_conf_post_f *post, rkb_conf_errors_t *errs);

/** Like rkb_conf_load() with the file's text given in text; errors name
 *  "<string>". For tests and fuzzing. */
int rkb_conf_load_string(const rkb_conf_entry_t *table, void *out,
                         const char *text, const char *const *overrides,
                         size_t n_overrides, rkb_conf_post_f *post,
                         rkb_conf_errors_t *errs);

/** Frees every owned table field of out and sets it to NULL/empty; secret
 *  strings are wiped first. Safe to call twice. */
void rkb_conf_free(const rkb_conf_entry_t *table, void *out);

/** Writes the effective configuration of cfg in libconfig syntax, which
 *  rkb_conf_load() reads back. Secrets are shown as "(redacted)", unset
 *  keys as comments. */
void rkb_conf_dump(const rkb_conf_entry_t *table, const void *cfg, FILE *fp);

/** Writes the table as a markdown table: key, type, default, range or
 *  allowed values, description. The output is stable (docs/CONFIG.md embeds
 *  it and a test compares the two). */
void rkb_conf_doc(const rkb_conf_entry_t *table, FILE *fp);

/** Checks a table for programming mistakes (bad key names, duplicates, a
 *  default outside its range or failing its checks, required keys with a
 *  default, ...). For unit tests of each daemon's table.
 *  @returns 0 if the table is sound, else -1 with the reasons in errs. */
int rkb_conf_table_check(const rkb_conf_entry_t *table,
                         rkb_conf_errors_t *errs);

/** @returns 1 if a "name=value" property of that name holds a secret
 *  (its name contains "password" or "secret", or it is a private key such
 *  as ssl.key.pem), else 0. Dumps show such values as "(redacted)"; use it
 *  too before logging a property. */
int rkb_conf_prop_is_secret(const char *name, size_t name_len);

#endif
