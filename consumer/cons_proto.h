/* cons_proto.h -- I/O-free parser of what replicas (and redis-cli) send to
 * the relay port: RESP arrays of bulk strings and inline commands, then
 * the classification of the commands a master must understand (PING, AUTH,
 * REPLCONF, PSYNC, SYNC, INFO, ROLE).
 * Feed bytes as they arrive; pull whole commands. Never blocks, never
 * logs, not thread-safe. */
#ifndef CONS_PROTO_H
#define CONS_PROTO_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_err.h"

/* Limits on peer input: a replica never sends more than a few short
 * arguments, so anything larger is a protocol error, not an allocation. */
#define CONS_PROTO_MAX_ARGS 32         /* arguments of one command */
#define CONS_PROTO_MAX_BULK (64 * 1024) /* bytes of one argument */
#define CONS_PROTO_MAX_INLINE (64 * 1024) /* bytes of one inline line */

typedef struct cons_arg_s {
    const char *p; /* borrowed from the parser's buffer */
    size_t len;
} cons_arg_t;

/* What a command asks for. */
typedef enum {
    CONS_CMD_EMPTY = 0, /* an empty inline line: a replica's keepalive */
    CONS_CMD_PING,
    CONS_CMD_AUTH,
    CONS_CMD_REPLCONF_PORT,  /* REPLCONF listening-port <port> */
    CONS_CMD_REPLCONF_CAPA,  /* REPLCONF capa <c> [capa <c>]... */
    CONS_CMD_REPLCONF_ACK,   /* REPLCONF ACK <offset> [FACK <offset>] */
    CONS_CMD_REPLCONF_GETACK,
    CONS_CMD_REPLCONF_OTHER, /* ip-address, rdb-only, ...: accepted */
    CONS_CMD_PSYNC,
    CONS_CMD_SYNC,
    CONS_CMD_INFO,
    CONS_CMD_ROLE,
    CONS_CMD_UNKNOWN, /* a command the relay does not serve */
    CONS_CMD_BADARGS  /* a known command with wrong arguments */
} cons_cmd_type_t;

/* Capabilities announced with REPLCONF capa. */
#define CONS_CAPA_EOF 0x1
#define CONS_CAPA_PSYNC2 0x2

typedef struct cons_cmd_s {
    size_t argc;
    cons_arg_t argv[CONS_PROTO_MAX_ARGS];
    int is_inline;
    /* set by cons_proto_classify */
    cons_cmd_type_t type;
    long long port;       /* REPLCONF listening-port */
    int capa;             /* REPLCONF capa: CONS_CAPA_* bits */
    long long offset;     /* REPLCONF ACK, PSYNC (-1 for "? -1") */
    char replid[41];      /* PSYNC: 40 chars, or "?" */
    const char *badargs;  /* CONS_CMD_BADARGS: static reason */
} cons_cmd_t;

typedef struct cons_proto_s cons_proto_t;

cons_proto_t *cons_proto_new(void);
void cons_proto_destroy(cons_proto_t *cp); /* NULL is a no-op */

/** Appends received bytes. Invalidates the argv of the last command. */
void cons_proto_feed(cons_proto_t *cp, const char *buf, size_t len);

/** Parses the next whole command and classifies it.
 *  @returns RKB_OK with *cmd set (argv borrowed until the next call on
 *  cp), RKB_EAGAIN when more bytes are needed, or RKB_EPROTO (sticky;
 *  cons_proto_errstr says why). */
rkb_err_t cons_proto_next(cons_proto_t *cp, cons_cmd_t *cmd);

const char *cons_proto_errstr(const cons_proto_t *cp);

/** Bytes fed but not yet returned as commands. */
size_t cons_proto_pending(const cons_proto_t *cp);

/** Sets cmd->type and its typed fields from cmd->argv (pure). */
void cons_proto_classify(cons_cmd_t *cmd);

#endif
