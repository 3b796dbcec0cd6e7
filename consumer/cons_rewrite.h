/* cons_rewrite.h -- apply mode, I/O-free: turns the master's replication
 * stream, command by command, into what the target must execute.
 *
 * - Link traffic (PING, REPLCONF) is dropped.
 * - MULTI and EXEC are dropped: the applier wraps whole transactions of
 *   the master, and its own position, in one MULTI/EXEC of its own.
 * - SELECT is tracked, not sent: a SELECT of the mapped db goes out before
 *   the next command applied in another db than the target's current one.
 * - Filters (apply.dbs, apply.db_map, apply.include_prefixes,
 *   apply.exclude_prefixes) decide per command: apply it, leave it out, or
 *   refuse it because it spans kept and left-out keys or dbs (docs/APPLY.md
 *   lists the rules for multi-key and cross-db commands).
 *
 * Never blocks, never logs, not thread-safe. */
#ifndef CONS_REWRITE_H
#define CONS_REWRITE_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_buf.h"
#include "rkb_resp.h"

typedef struct cons_db_pair_s {
    long src, dst;
} cons_db_pair_t;

/* What to apply. All arrays borrowed; n == 0 means no such filter. */
typedef struct cons_filter_s {
    const long *dbs; /* source dbs applied */
    size_t n_dbs;
    const cons_db_pair_t *map;
    size_t n_map;
    const char *const *include; /* key prefixes */
    size_t n_include;
    const char *const *exclude;
    size_t n_exclude;
} cons_filter_t;

/** The target db of source db src, or -1 when src is not applied. */
long cons_filter_db(const cons_filter_t *f, long src);
/** 1 when the key passes the prefix filters, else 0. */
int cons_filter_key(const cons_filter_t *f, const char *key, size_t len);
/** 1 when any key-prefix filter is set. */
int cons_filter_has_prefixes(const cons_filter_t *f);

typedef enum {
    CONS_RW_APPLY = 0, /* commands appended to out */
    CONS_RW_DROP = 1,  /* nothing for the target */
    CONS_RW_REFUSE = -1 /* cannot be applied faithfully: errstr says why */
} cons_rw_rc_t;

typedef struct cons_rewrite_s {
    const cons_filter_t *filter;
    long src_db; /* the stream's selected db, -1 before any SELECT */
    long out_db; /* the db selected by what out holds, -1: unknown */
    char errstr[256];
} cons_rewrite_t;

void cons_rewrite_init(cons_rewrite_t *rw, const cons_filter_t *f,
                       long src_db);

/** Translates one stream command: raw[0..raw_len) is its RESP encoding and
 *  argv[0..argc) its arguments. Appends what the target must run to out
 *  and adds the number of commands appended to *n_out.
 *  @returns a cons_rw_rc_t. */
int cons_rewrite_command(cons_rewrite_t *rw, const char *raw, size_t raw_len,
                         const rkb_resp_arg_t *argv, size_t argc,
                         rkb_buf_t *out, size_t *n_out);

/** One line describing a command for a log: its name and first arguments,
 *  binary bytes escaped, cut to size. @returns buf. */
const char *cons_command_repr(const rkb_resp_arg_t *argv, size_t argc,
                              char *buf, size_t size);

#endif
