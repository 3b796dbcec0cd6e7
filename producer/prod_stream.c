/* prod_stream.c -- I/O-free parser of what a Redis master sends a replica.
 *
 * All input lives in one buffer: bytes before `pos` were consumed (emitted
 * or skipped) and are dropped lazily when the next feed needs the room, so
 * no event costs a memmove. Events borrow pointers into the buffer.
 *
 * The command stream is scanned by a byte-level RESP state machine that
 * can stop at any byte: a frame may then be cut at exactly frame_max bytes
 * even in the middle of a length header, and arguments of hundreds of MB
 * pass through without being buffered whole. Bulk payloads are skipped in
 * one step; only the first bytes of the first two arguments are kept, which
 * is all that is needed to spot MULTI, EXEC, SELECT and REPLCONF GETACK.
 *
 * In stream mode the unconsumed bytes are the pending ones: [pos, pos +
 * scan_len) were scanned but not emitted yet, and the first safe_len of
 * them end on the last safe point seen. */
#include "rkb_fmacros.h"
#include "prod_stream.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARK_LEN     40 /* the $EOF: mark, as CONFIG_RUN_ID_SIZE in Redis */
#define HEAD_MAX     32 /* bytes kept of each of the first two arguments */
#define QUOTE_MAX    60 /* peer text quoted in an error message */
#define ERRSTR_SIZE  256
#define CONTINUE_LEN 9 /* strlen("+CONTINUE") */

/* What the next bytes are expected to be. */
typedef enum {
    MODE_REPLY,      /* handshake reply lines */
    MODE_PSYNC,      /* keepalives, then +FULLRESYNC / +CONTINUE / -ERR */
    MODE_CONTINUED,  /* after +CONTINUE: wait for start_stream */
    MODE_RDB_HEADER, /* keepalives, then $<len> / $EOF:<mark> / -ERR */
    MODE_RDB_SIZED,  /* rdb_left payload bytes, maybe then the mark */
    MODE_RDB_EOF,    /* payload until the buffer ends with the mark */
    MODE_STREAM      /* RESP commands */
} parse_mode_t;

/* Position inside a RESP command of the stream. */
typedef enum {
    RESP_STAR, /* '*' of the array header */
    RESP_ARGC, /* its digits, then CR */
    RESP_ARGC_LF,
    RESP_DOLLAR,   /* '$' of a bulk header */
    RESP_BULK_LEN, /* its digits, then CR */
    RESP_BULK_LEN_LF,
    RESP_BULK_DATA,
    RESP_BULK_CR, /* CRLF closing the bulk */
    RESP_BULK_LF
} resp_state_t;

typedef struct arg_head_s {
    uint64_t len;    /* the argument's full length */
    size_t head_len; /* bytes kept in head, <= HEAD_MAX */
    char head[HEAD_MAX];
} arg_head_t;

struct prod_stream_s {
    prod_stream_limits_t lim;
    rkb_buf_t buf;
    size_t pos; /* first unconsumed byte in buf */
    parse_mode_t mode;
    size_t line_scanned; /* bytes of the line at pos searched for LF */
    rkb_err_t err;       /* sticky */
    char errstr[ERRSTR_SIZE];

    /* RDB transfer. */
    uint64_t rdb_left; /* MODE_RDB_SIZED: payload bytes still due */
    int mark_follows;  /* MODE_RDB_SIZED: then MARK_LEN mark bytes */
    char mark[MARK_LEN];

    /* Stream position: everything before `off` was emitted. */
    uint64_t off;
    int db;                 /* db selected at off */
    size_t scan_len;        /* pending bytes scanned */
    size_t safe_len;        /* pending bytes up to the last safe point */
    int safe_db;            /* db selected at that safe point */
    int scan_db;            /* db selected at the scan cursor */
    int in_multi;           /* scan cursor is inside MULTI ... EXEC */
    int getack_stop;        /* the scan stopped right after a GETACK */
    uint64_t getack_offset; /* where that GETACK starts */
    rkb_err_t scan_err;     /* raised once the frame before it is out */

    /* The RESP command under the scan cursor. */
    resp_state_t rstate;
    uint64_t num; /* header number being read */
    int num_digits;
    uint64_t token_start; /* offset of the '*' or '$' being read */
    uint64_t cmd_start;   /* offset of the command's '*' */
    uint64_t argc;
    uint64_t args_left;
    uint64_t arg_index; /* argument being read */
    uint64_t bulk_left; /* its payload bytes still to scan */
    arg_head_t args[2];
};

/* ------------------------------------------------------------------------
 * Errors
 * --------------------------------------------------------------------- */

/* Renders peer bytes for an error message: printable ASCII as is, the rest
 * escaped, at most QUOTE_MAX chars of output ("..." marks a cut). */
static void escape_text(char *out, size_t out_size, const char *p, size_t n) {
    size_t o = 0;
    RKB_ASSERT(out_size >= QUOTE_MAX + 4);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char esc[5];
        if (c == '"' || c == '\\') {
            snprintf(esc, sizeof(esc), "\\%c", c);
        } else if (c == '\r') {
            snprintf(esc, sizeof(esc), "\\r");
        } else if (c == '\n') {
            snprintf(esc, sizeof(esc), "\\n");
        } else if (c == '\t') {
            snprintf(esc, sizeof(esc), "\\t");
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(esc, sizeof(esc), "\\x%02x", c);
        } else {
            esc[0] = (char)c;
            esc[1] = '\0';
        }
        size_t esc_len = strlen(esc);
        if (o + esc_len > QUOTE_MAX) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(out + o, esc, esc_len);
        o += esc_len;
    }
    out[o] = '\0';
}

static rkb_err_t fail(prod_stream_t *ps, rkb_err_t err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static rkb_err_t fail(prod_stream_t *ps, rkb_err_t err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->errstr, sizeof(ps->errstr), fmt, ap);
    va_end(ap);
    ps->err = err;
    return err;
}

/* A stream error is only raised after the bytes before it that end on a
 * safe point went out as a frame, so what the caller sees does not depend
 * on how the input was split into feeds. */
static void scan_fail(prod_stream_t *ps, rkb_err_t err, uint64_t offset,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void scan_fail(prod_stream_t *ps, rkb_err_t err, uint64_t offset,
                      const char *fmt, ...) {
    char what[ERRSTR_SIZE - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(
        ps->errstr, sizeof(ps->errstr), "%s at master offset %" PRIu64 ": %s",
        err == RKB_ELIMIT ? "limit exceeded" : "protocol error", offset, what);
    ps->scan_err = err;
}

static void scan_fail_byte(prod_stream_t *ps, size_t i, const char *expected) {
    char got[QUOTE_MAX + 4];
    escape_text(got, sizeof(got), ps->buf.data + ps->pos + i, 1);
    scan_fail(ps, RKB_EPROTO, ps->off + i, "expected %s, got '%s'", expected,
              got);
}

/* Renders the start of the unconsumed input, up to the first CR or LF
 * (at least one byte), for an error message. */
static void quote_input(const prod_stream_t *ps, char *out, size_t out_size) {
    const char *p = ps->buf.data + ps->pos;
    size_t avail = ps->buf.len - ps->pos;
    size_t n = 0;
    while (n < avail && n <= QUOTE_MAX && p[n] != '\r' && p[n] != '\n') {
        n++;
    }
    escape_text(out, out_size, p, n > 0 ? n : 1);
}

/* The peer answered something that is not RESP at all. */
static rkb_err_t fail_not_redis(prod_stream_t *ps) {
    char text[QUOTE_MAX + 4];
    quote_input(ps, text, sizeof(text));
    return fail(ps, RKB_EPROTO,
                "unexpected reply \"%s\" (is this a Redis server?)", text);
}

/* ------------------------------------------------------------------------
 * Lines and numbers
 * --------------------------------------------------------------------- */

/* Finds the CRLF-terminated line at pos. @returns RKB_OK with *line_len
 * set (CRLF excluded), RKB_EAGAIN, or a sticky error. */
static rkb_err_t read_line(prod_stream_t *ps, size_t *line_len) {
    const char *p = ps->buf.data + ps->pos;
    size_t avail = ps->buf.len - ps->pos;
    size_t max = ps->lim.line_max;
    size_t window = max > SIZE_MAX - 2 ? SIZE_MAX : max + 2;
    size_t search = avail < window ? avail : window;
    const char *lf = NULL;

    if (search > ps->line_scanned) {
        lf = memchr(p + ps->line_scanned, '\n', search - ps->line_scanned);
    }
    if (lf == NULL) {
        if (avail >= window) {
            return fail(ps, RKB_ELIMIT, "reply line longer than %zu bytes",
                        max);
        }
        ps->line_scanned = search;
        return RKB_EAGAIN;
    }
    size_t n = (size_t)(lf - p);
    if (n == 0 || p[n - 1] != '\r') {
        char text[QUOTE_MAX + 4];
        escape_text(text, sizeof(text), p, n + 1);
        return fail(ps, RKB_EPROTO, "reply line not ended by CRLF: \"%s\"",
                    text);
    }
    ps->line_scanned = 0;
    *line_len = n - 1;
    return RKB_OK;
}

/* Parses a non-empty run of decimal digits. @returns 0 on success. */
static int parse_u64(const char *p, size_t n, uint64_t *out) {
    uint64_t v = 0;
    if (n == 0) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10) {
            return -1;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* A replication id: exactly PROD_REPLID_LEN visible, non-space chars. */
static int is_replid(const char *p, size_t n) {
    if (n != PROD_REPLID_LEN) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] <= ' ' || p[i] >= 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* Skips keepalive newlines, which Redis sends while a sync is prepared. */
static void skip_keepalives(prod_stream_t *ps) {
    while (ps->pos < ps->buf.len && ps->buf.data[ps->pos] == '\n') {
        ps->pos++;
    }
}

/* Emits the line at pos (n bytes without CRLF) as a REPLY event. */
static rkb_err_t emit_reply(prod_stream_t *ps, prod_ev_t *ev, size_t n) {
    const char *line = ps->buf.data + ps->pos;
    ev->type = PROD_EV_REPLY;
    ev->is_error = line[0] == '-';
    ev->data = line;
    ev->len = n;
    ps->pos += n + 2;
    return RKB_OK;
}

/* ------------------------------------------------------------------------
 * Stream scanning
 * --------------------------------------------------------------------- */

static void begin_stream(prod_stream_t *ps, uint64_t offset, int db) {
    ps->mode = MODE_STREAM;
    ps->off = offset;
    ps->db = db;
    ps->scan_len = 0;
    ps->safe_len = 0;
    ps->safe_db = db;
    ps->scan_db = db;
    ps->in_multi = 0;
    ps->getack_stop = 0;
    ps->getack_offset = 0;
    ps->scan_err = RKB_OK;
    ps->rstate = RESP_STAR;
}

/* Is argument k exactly `name`, ignoring ASCII case? */
static int arg_is(const prod_stream_t *ps, int k, const char *name) {
    const arg_head_t *a = &ps->args[k];
    size_t n = strlen(name);
    if (a->len != n || a->head_len != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = a->head[i];
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (c != name[i]) {
            return 0;
        }
    }
    return 1;
}

/* The db index of SELECT, parsed as strictly as the replica does (no sign,
 * no leading zero). @returns -1 if Redis would reject it. */
static int select_db(const prod_stream_t *ps) {
    const arg_head_t *a = &ps->args[1];
    int64_t v = 0;
    if (a->len == 0 || a->len > 10 || a->head_len != a->len ||
        (a->head[0] == '0' && a->len > 1)) {
        return -1;
    }
    for (size_t i = 0; i < a->head_len; i++) {
        if (a->head[i] < '0' || a->head[i] > '9') {
            return -1;
        }
        v = v * 10 + (a->head[i] - '0');
    }
    return v > INT_MAX ? -1 : (int)v;
}

/* A command ended after `end` pending bytes: track transactions, the db
 * and the safe point. @returns 1 if it was REPLCONF GETACK, which ends the
 * frame. */
static int command_end(prod_stream_t *ps, size_t end) {
    int getack = 0;

    ps->rstate = RESP_STAR;
    if (ps->argc == 1 && arg_is(ps, 0, "MULTI")) {
        ps->in_multi = 1;
    } else if (ps->argc == 1 && arg_is(ps, 0, "EXEC")) {
        ps->in_multi = 0;
    } else if (ps->argc == 2 && arg_is(ps, 0, "SELECT")) {
        int db = select_db(ps);
        if (db >= 0) {
            ps->scan_db = db;
        }
    } else if (ps->argc >= 2 && arg_is(ps, 0, "REPLCONF") &&
               arg_is(ps, 1, "GETACK")) {
        getack = 1;
        ps->getack_offset = ps->cmd_start;
        ps->getack_stop = 1;
    }
    if (!ps->in_multi) {
        ps->safe_len = end;
        ps->safe_db = ps->scan_db;
    }
    return getack;
}

/* Adds the digit c to the header number being read, whose value must stay
 * within max. @returns 0, or -1 after recording the error. */
static int add_digit(prod_stream_t *ps, size_t i, unsigned char c, uint64_t max,
                     const char *what, const char *limit) {
    unsigned d = (unsigned)c - '0';
    if (d > 9) {
        scan_fail_byte(ps, i, ps->num_digits ? "a digit or CR" : "a digit");
        return -1;
    }
    if (ps->num_digits > 0 && ps->num == 0) {
        scan_fail(ps, RKB_EPROTO, ps->token_start, "%s has a leading zero",
                  what);
        return -1;
    }
    if (ps->num > max / 10 || d > max - ps->num * 10) {
        scan_fail(ps, RKB_ELIMIT, ps->token_start,
                  "%s is above %s (%" PRIu64 ")", what, limit, max);
        return -1;
    }
    ps->num = ps->num * 10 + d;
    ps->num_digits++;
    return 0;
}

/* Advances the scan cursor over the buffered bytes, but never past
 * frame_max pending bytes, so a frame can always be cut exactly there.
 * Stops early after a GETACK or at an error (ps->scan_err). */
static void scan_stream(prod_stream_t *ps) {
    const unsigned char *p = (const unsigned char *)ps->buf.data + ps->pos;
    size_t avail = ps->buf.len - ps->pos;
    size_t end = avail < ps->lim.frame_max ? avail : ps->lim.frame_max;
    size_t i = ps->scan_len;

    while (i < end) {
        unsigned char c = p[i];
        switch (ps->rstate) {
        case RESP_STAR:
            if (c != '*') {
                scan_fail_byte(ps, i, "'*' (a command as a RESP array)");
                goto out;
            }
            ps->cmd_start = ps->token_start = ps->off + i;
            ps->num = 0;
            ps->num_digits = 0;
            ps->rstate = RESP_ARGC;
            i++;
            break;
        case RESP_ARGC:
            if (c == '\r' && ps->num_digits > 0) {
                ps->rstate = RESP_ARGC_LF;
            } else if (add_digit(ps, i, c, ps->lim.argc_max, "array length",
                                 "argc_max") < 0) {
                goto out;
            }
            i++;
            break;
        case RESP_ARGC_LF:
            if (c != '\n') {
                scan_fail_byte(ps, i, "LF");
                goto out;
            }
            i++;
            ps->argc = ps->args_left = ps->num;
            ps->arg_index = 0;
            ps->args[0].len = ps->args[1].len = 0;
            ps->args[0].head_len = ps->args[1].head_len = 0;
            if (ps->argc > 0) {
                ps->rstate = RESP_DOLLAR;
            } else if (command_end(ps, i)) {
                goto out; /* an empty array: a no-op to Redis */
            }
            break;
        case RESP_DOLLAR:
            if (c != '$') {
                scan_fail_byte(ps, i, "'$' (a bulk string)");
                goto out;
            }
            ps->token_start = ps->off + i;
            ps->num = 0;
            ps->num_digits = 0;
            ps->rstate = RESP_BULK_LEN;
            i++;
            break;
        case RESP_BULK_LEN:
            if (c == '\r' && ps->num_digits > 0) {
                ps->rstate = RESP_BULK_LEN_LF;
            } else if (add_digit(ps, i, c, ps->lim.bulk_max, "bulk length",
                                 "bulk_max") < 0) {
                goto out;
            }
            i++;
            break;
        case RESP_BULK_LEN_LF:
            if (c != '\n') {
                scan_fail_byte(ps, i, "LF");
                goto out;
            }
            i++;
            ps->bulk_left = ps->num;
            if (ps->arg_index < 2) {
                ps->args[ps->arg_index].len = ps->num;
            }
            ps->rstate = ps->num ? RESP_BULK_DATA : RESP_BULK_CR;
            break;
        case RESP_BULK_DATA: {
            size_t n = end - i;
            if (n > ps->bulk_left) {
                n = (size_t)ps->bulk_left;
            }
            if (ps->arg_index < 2) {
                arg_head_t *a = &ps->args[ps->arg_index];
                size_t room = HEAD_MAX - a->head_len;
                size_t take = n < room ? n : room;
                memcpy(a->head + a->head_len, p + i, take);
                a->head_len += take;
            }
            i += n;
            ps->bulk_left -= n;
            if (ps->bulk_left == 0) {
                ps->rstate = RESP_BULK_CR;
            }
            break;
        }
        case RESP_BULK_CR:
            if (c != '\r') {
                scan_fail_byte(ps, i, "CR after the bulk data");
                goto out;
            }
            ps->rstate = RESP_BULK_LF;
            i++;
            break;
        case RESP_BULK_LF:
            if (c != '\n') {
                scan_fail_byte(ps, i, "LF after the bulk data");
                goto out;
            }
            i++;
            ps->arg_index++;
            if (--ps->args_left > 0) {
                ps->rstate = RESP_DOLLAR;
            } else if (command_end(ps, i)) {
                goto out;
            }
            break;
        }
    }
out:
    ps->scan_len = i;
}

/* Emits the first len pending bytes as a FRAME; db_after is the db
 * selected where it ends. */
static rkb_err_t emit_frame(prod_stream_t *ps, prod_ev_t *ev, size_t len,
                            int continued, int db_after) {
    RKB_ASSERT(len > 0 && len <= ps->scan_len);
    ev->type = PROD_EV_FRAME;
    ev->data = ps->buf.data + ps->pos;
    ev->len = len;
    ev->start = ps->off;
    ev->end = ps->off + len;
    ev->db = ps->db;
    ev->continued = continued;
    if (ps->getack_stop && len == ps->scan_len) {
        ev->has_getack = 1;
        ev->getack_offset = ps->getack_offset;
        ps->getack_stop = 0;
    }
    ps->pos += len;
    ps->off += len;
    ps->db = db_after;
    ps->scan_len -= len;
    ps->safe_len = 0; /* it was the last safe point in the frame, if any */
    return RKB_OK;
}

static rkb_err_t emit_safe_frame(prod_stream_t *ps, prod_ev_t *ev) {
    return emit_frame(ps, ev, ps->safe_len, 0, ps->safe_db);
}

static rkb_err_t next_stream(prod_stream_t *ps, prod_ev_t *ev) {
    for (;;) {
        if (ps->getack_stop) {
            /* A GETACK inside MULTI (not sent by Redis) still ends the
             * frame, so the caller can answer it, but not on a safe
             * point. */
            return emit_frame(ps, ev, ps->scan_len, ps->in_multi, ps->scan_db);
        }
        if (ps->scan_err != RKB_OK) {
            if (ps->safe_len > 0) {
                return emit_safe_frame(ps, ev);
            }
            ps->err = ps->scan_err;
            return ps->err;
        }
        if (ps->scan_len >= ps->lim.frame_max) {
            if (ps->safe_len > 0) {
                return emit_safe_frame(ps, ev);
            }
            /* The scan stopped exactly here, so scan_db is the db at the
             * cut. */
            return emit_frame(ps, ev, ps->lim.frame_max, 1, ps->scan_db);
        }
        scan_stream(ps);
        if (ps->getack_stop || ps->scan_err != RKB_OK ||
            ps->scan_len >= ps->lim.frame_max) {
            continue;
        }
        /* Everything buffered was scanned. */
        if (ps->safe_len > 0) {
            return emit_safe_frame(ps, ev);
        }
        return RKB_EAGAIN;
    }
}

/* ------------------------------------------------------------------------
 * Handshake replies and the RDB transfer
 * --------------------------------------------------------------------- */

static rkb_err_t next_reply(prod_stream_t *ps, prod_ev_t *ev) {
    size_t n;
    rkb_err_t err;

    if (ps->pos == ps->buf.len) {
        return RKB_EAGAIN;
    }
    char first = ps->buf.data[ps->pos];
    if (first != '+' && first != '-') {
        return fail_not_redis(ps);
    }
    if ((err = read_line(ps, &n)) != RKB_OK) {
        return err;
    }
    return emit_reply(ps, ev, n);
}

static rkb_err_t fullresync(prod_stream_t *ps, prod_ev_t *ev, size_t n) {
    const char *line = ps->buf.data + ps->pos;
    const char *id = line + strlen("+FULLRESYNC ");
    size_t rest = n - strlen("+FULLRESYNC ");
    const char *sp = memchr(id, ' ', rest);
    uint64_t offset;

    if (sp == NULL || !is_replid(id, (size_t)(sp - id)) ||
        parse_u64(sp + 1, rest - (size_t)(sp - id) - 1, &offset) != 0) {
        char text[QUOTE_MAX + 4];
        escape_text(text, sizeof(text), line, n);
        return fail(ps, RKB_EPROTO, "malformed PSYNC reply \"%s\"", text);
    }
    ev->type = PROD_EV_FULLRESYNC;
    ev->data = line;
    ev->len = n;
    memcpy(ev->replid, id, PROD_REPLID_LEN);
    ev->replid[PROD_REPLID_LEN] = '\0';
    ev->offset = offset;
    ps->pos += n + 2;
    ps->mode = MODE_RDB_HEADER;
    ps->off = offset;
    ps->db = PROD_DB_UNKNOWN; /* the master forgets it on a full sync */
    return RKB_OK;
}

/* "+CONTINUE", or "+CONTINUE <replid>" from a master that knows psync2. */
static int is_continue(const char *line, size_t n) {
    if (n < CONTINUE_LEN || memcmp(line, "+CONTINUE", CONTINUE_LEN) != 0) {
        return 0;
    }
    return n == CONTINUE_LEN ||
           (line[CONTINUE_LEN] == ' ' &&
            is_replid(line + CONTINUE_LEN + 1, n - CONTINUE_LEN - 1));
}

static rkb_err_t next_psync(prod_stream_t *ps, prod_ev_t *ev) {
    const char *line;
    size_t n;
    rkb_err_t err;

    skip_keepalives(ps);
    if (ps->pos == ps->buf.len) {
        return RKB_EAGAIN;
    }
    line = ps->buf.data + ps->pos;
    if (line[0] != '+' && line[0] != '-') {
        return fail_not_redis(ps);
    }
    if ((err = read_line(ps, &n)) != RKB_OK) {
        return err;
    }
    if (line[0] == '-') {
        ps->mode = MODE_REPLY; /* the caller decides what comes next */
        return emit_reply(ps, ev, n);
    }
    if (n >= strlen("+FULLRESYNC ") &&
        memcmp(line, "+FULLRESYNC ", strlen("+FULLRESYNC ")) == 0) {
        return fullresync(ps, ev, n);
    }
    if (is_continue(line, n)) {
        ev->type = PROD_EV_CONTINUE;
        ev->data = line;
        ev->len = n;
        if (n > CONTINUE_LEN) {
            memcpy(ev->replid, line + CONTINUE_LEN + 1, PROD_REPLID_LEN);
        }
        ps->pos += n + 2;
        ps->mode = MODE_CONTINUED;
        return RKB_OK;
    }
    char text[QUOTE_MAX + 4];
    escape_text(text, sizeof(text), line, n);
    return fail(ps, RKB_EPROTO, "unexpected PSYNC reply \"%s\"", text);
}

static rkb_err_t next_rdb_header(prod_stream_t *ps, prod_ev_t *ev) {
    const char *line;
    size_t n;
    rkb_err_t err;
    uint64_t size;

    skip_keepalives(ps);
    if (ps->pos == ps->buf.len) {
        return RKB_EAGAIN;
    }
    line = ps->buf.data + ps->pos;
    if (line[0] != '$' && line[0] != '-') {
        char text[QUOTE_MAX + 4];
        quote_input(ps, text, sizeof(text));
        return fail(ps, RKB_EPROTO,
                    "expected RDB bulk header ($<len> or $EOF:<mark>), "
                    "got \"%s\"",
                    text);
    }
    if ((err = read_line(ps, &n)) != RKB_OK) {
        return err;
    }
    if (line[0] == '-') {
        ps->mode = MODE_REPLY; /* the master aborted, e.g. BGSAVE failed */
        return emit_reply(ps, ev, n);
    }
    ev->type = PROD_EV_RDB_BEGIN;
    if (n >= 5 + MARK_LEN && memcmp(line, "$EOF:", 5) == 0) {
        /* Like Redis, use the first 40 chars of a longer mark. */
        memcpy(ps->mark, line + 5, MARK_LEN);
        ps->mode = MODE_RDB_EOF;
        ev->rdb_size = PROD_RDB_SIZE_UNKNOWN;
    } else if (parse_u64(line + 1, n - 1, &size) == 0 &&
               size != PROD_RDB_SIZE_UNKNOWN) {
        ps->mode = MODE_RDB_SIZED;
        ps->rdb_left = size;
        ps->mark_follows = 0;
        ev->rdb_size = size;
    } else {
        char text[QUOTE_MAX + 4];
        escape_text(text, sizeof(text), line, n);
        return fail(ps, RKB_EPROTO, "malformed RDB bulk header \"%s\"", text);
    }
    ps->pos += n + 2;
    return RKB_OK;
}

static rkb_err_t next_rdb_sized(prod_stream_t *ps, prod_ev_t *ev) {
    size_t avail = ps->buf.len - ps->pos;

    if (ps->rdb_left == 0) {
        if (ps->mark_follows) {
            ps->pos += MARK_LEN; /* buffered when it was recognised */
            ps->mark_follows = 0;
        }
        ev->type = PROD_EV_RDB_END;
        /* The first stream byte follows the FULLRESYNC offset. */
        begin_stream(ps, ps->off, ps->db);
        return RKB_OK;
    }
    if (avail == 0) {
        return RKB_EAGAIN;
    }
    size_t n = avail < ps->rdb_left ? avail : (size_t)ps->rdb_left;
    ev->type = PROD_EV_RDB_DATA;
    ev->data = ps->buf.data + ps->pos;
    ev->len = n;
    ps->pos += n;
    ps->rdb_left -= n;
    return RKB_OK;
}

/* Does the input received so far end with the mark? Then the payload is
 * what precedes it. The reference replica checks after every read, so a
 * random 40-byte mark inside the payload is ignored as improbable. */
static int eof_mark_reached(prod_stream_t *ps) {
    size_t avail = ps->buf.len - ps->pos;
    if (avail < MARK_LEN ||
        memcmp(ps->buf.data + ps->buf.len - MARK_LEN, ps->mark, MARK_LEN)) {
        return 0;
    }
    ps->mode = MODE_RDB_SIZED;
    ps->rdb_left = avail - MARK_LEN;
    ps->mark_follows = 1;
    return 1;
}

static rkb_err_t next_rdb_eof(prod_stream_t *ps, prod_ev_t *ev) {
    size_t avail = ps->buf.len - ps->pos;

    if (eof_mark_reached(ps)) {
        return next_rdb_sized(ps, ev);
    }
    if (avail <= MARK_LEN) {
        return RKB_EAGAIN;
    }
    /* Hold back the last 40 bytes: they may be the start of the mark. */
    ev->type = PROD_EV_RDB_DATA;
    ev->data = ps->buf.data + ps->pos;
    ev->len = avail - MARK_LEN;
    ps->pos += ev->len;
    return RKB_OK;
}

/* ------------------------------------------------------------------------
 * API
 * --------------------------------------------------------------------- */

prod_stream_t *prod_stream_new(const prod_stream_limits_t *lim) {
    RKB_ASSERT(lim != NULL && lim->frame_max >= 64);
    prod_stream_t *ps = rkb_calloc(1, sizeof(*ps));
    ps->lim = *lim;
    prod_stream_reset(ps);
    return ps;
}

void prod_stream_destroy(prod_stream_t *ps) {
    if (ps == NULL) {
        return;
    }
    rkb_buf_free(&ps->buf);
    free(ps);
}

void prod_stream_reset(prod_stream_t *ps) {
    rkb_buf_clear(&ps->buf);
    ps->pos = 0;
    ps->err = RKB_OK;
    ps->errstr[0] = '\0';
    ps->rdb_left = 0;
    ps->mark_follows = 0;
    begin_stream(ps, 0, PROD_DB_UNKNOWN);
    prod_stream_expect_reply(ps);
}

void prod_stream_expect_reply(prod_stream_t *ps) {
    ps->mode = MODE_REPLY;
    ps->line_scanned = 0;
}

void prod_stream_expect_psync(prod_stream_t *ps) {
    ps->mode = MODE_PSYNC;
    ps->line_scanned = 0;
}

void prod_stream_start_stream(prod_stream_t *ps, uint64_t offset, int db) {
    ps->line_scanned = 0;
    begin_stream(ps, offset, db);
}

/* Makes room for n more bytes. Consumed bytes are dropped only when that
 * moves no more than it frees, or saves a realloc, so the copying stays
 * proportional to the input. */
static void make_room(prod_stream_t *ps, size_t n) {
    rkb_buf_t *b = &ps->buf;
    size_t unread = b->len - ps->pos;
    size_t fm = ps->lim.frame_max;
    size_t keep = fm > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : fm * 2 + 65536;

    if (ps->pos == 0) {
        return;
    }
    if (b->cap > keep && unread < b->cap / 4 && n < b->cap / 4) {
        /* Give back the memory that a huge chunk needed once. */
        rkb_buf_t small = RKB_BUF_INIT;
        rkb_buf_reserve(&small, unread + n);
        rkb_buf_append(&small, b->data + ps->pos, unread);
        rkb_buf_free(b);
        *b = small;
        ps->pos = 0;
        return;
    }
    if (unread == 0) {
        rkb_buf_clear(b);
        ps->pos = 0;
    } else if (ps->pos >= unread || n > b->cap - b->len) {
        rkb_buf_consume(b, ps->pos);
        ps->pos = 0;
    }
}

rkb_err_t prod_stream_feed(prod_stream_t *ps, const char *buf, size_t len) {
    if (ps->err != RKB_OK) {
        return ps->err;
    }
    if (len == 0) {
        return RKB_OK;
    }
    /* The mark is looked for at the end of every feed, as the reference
     * replica does after every read, even if the caller did not drain. */
    if (ps->mode == MODE_RDB_EOF) {
        eof_mark_reached(ps);
    }
    make_room(ps, len);
    rkb_buf_append(&ps->buf, buf, len);
    return RKB_OK;
}

rkb_err_t prod_stream_next(prod_stream_t *ps, prod_ev_t *ev) {
    if (ps->err != RKB_OK) {
        return ps->err;
    }
    memset(ev, 0, sizeof(*ev));
    switch (ps->mode) {
    case MODE_REPLY:
        return next_reply(ps, ev);
    case MODE_PSYNC:
        return next_psync(ps, ev);
    case MODE_CONTINUED:
        return RKB_EAGAIN; /* bytes stay buffered until start_stream */
    case MODE_RDB_HEADER:
        return next_rdb_header(ps, ev);
    case MODE_RDB_SIZED:
        return next_rdb_sized(ps, ev);
    case MODE_RDB_EOF:
        return next_rdb_eof(ps, ev);
    case MODE_STREAM:
        return next_stream(ps, ev);
    }
    RKB_ASSERT(!"unknown parse mode");
    return RKB_EPROTO;
}

const char *prod_stream_errstr(const prod_stream_t *ps) {
    return ps->err != RKB_OK ? ps->errstr : "";
}

uint64_t prod_stream_offset(const prod_stream_t *ps) {
    return ps->off;
}

int prod_stream_db(const prod_stream_t *ps) {
    return ps->db;
}
