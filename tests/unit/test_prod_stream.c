/* test_prod_stream.c -- table-driven tests of the replication stream parser.
 *
 * Every case is fed whole, byte by byte, and split in two at every
 * position (hiredis test_reply_reader). The non-frame events, the RDB
 * payload and the stream bytes must come out the same for every split.
 * How the stream is cut into frames depends on the split, so each case
 * lists the frames seen when fed byte by byte (the finest cut: one frame
 * per safe point, continuation or GETACK) and every other split must only
 * merge them: its frame ends are a subset of those, with the same flags
 * and db, and continuation and GETACK ends are never merged away. */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prod_stream.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

/* ------------------------------------------------------------------------
 * Protocol snippets
 * --------------------------------------------------------------------- */

#define REPLID  "0123456789abcdef0123456789abcdef01234567"
#define REPLID2 "89abcdef0123456789abcdef0123456789abcdef"
/* An EOF mark whose first char occurs nowhere else in it, so no proper
 * prefix of it is also a suffix: a partial copy can never complete it. */
#define MARK "f0123456789abcde0123456789abcde012345678"

/* A 32-byte stand-in for an RDB file, with bytes that mean something in
 * RESP (CR, LF, '$', '*', '-', NUL) to show they are not interpreted. */
#define RDB32                                                                  \
    "REDIS0011\xfa\x09redis-ver\x05"                                           \
    "7.2\r\n$*-\x00\n\xff"
/* An RDB holding a partial copy of the mark, and ending with the mark
 * minus its last byte, right before the real mark. */
#define RDB_PARTIAL_MARK                                                       \
    "REDIS0011\xfe\x00"                                                        \
    "f0123456789\n\r\n\xff" MARK_BUT_LAST
#define MARK_BUT_LAST "f0123456789abcde0123456789abcde01234567"

#define PING     "*1\r\n$4\r\nping\r\n"
#define SELECT0  "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
#define SELECT15 "*2\r\n$6\r\nselect\r\n$2\r\n15\r\n"
#define SET      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
#define MULTI    "*1\r\n$5\r\nMULTI\r\n"
#define EXEC     "*1\r\n$4\r\nEXEC\r\n"
#define GETACK   "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"
#define X10      "xxxxxxxxxx"
#define X50      X10 X10 X10 X10 X10
/* SET k <150 bytes>: 178 bytes, more than a 64-byte frame. */
#define BIGSET "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$150\r\n" X50 X50 X50 "\r\n"

enum {
    L_PING = 14,
    L_SELECT0 = 23,
    L_SELECT15 = 24,
    L_SET = 27,
    L_MULTI = 15,
    L_EXEC = 14,
    L_GETACK = 37,
    L_BIGSET = 178,
};
_Static_assert(sizeof(RDB32) - 1 == 32, "RDB32 length");
_Static_assert(sizeof(MARK) - 1 == 40, "MARK length");
_Static_assert(sizeof(REPLID) - 1 == 40, "REPLID length");
_Static_assert(sizeof(PING) - 1 == L_PING, "PING length");
_Static_assert(sizeof(SELECT0) - 1 == L_SELECT0, "SELECT0 length");
_Static_assert(sizeof(SELECT15) - 1 == L_SELECT15, "SELECT15 length");
_Static_assert(sizeof(SET) - 1 == L_SET, "SET length");
_Static_assert(sizeof(MULTI) - 1 == L_MULTI, "MULTI length");
_Static_assert(sizeof(EXEC) - 1 == L_EXEC, "EXEC length");
_Static_assert(sizeof(GETACK) - 1 == L_GETACK, "GETACK length");
_Static_assert(sizeof(BIGSET) - 1 == L_BIGSET, "BIGSET length");

/* ------------------------------------------------------------------------
 * Cases
 * --------------------------------------------------------------------- */

typedef struct span_s {
    const char *p;
    size_t n;
} span_t;
#define S(lit)                                                                 \
    { (lit), sizeof(lit) - 1 }

#define F_CONT   1 /* continued: does not end on a safe point */
#define F_GETACK 2 /* ends with REPLCONF GETACK */

/* An expected frame; it starts where the previous one ends. */
typedef struct frame_exp_s {
    uint64_t end; /* 0 ends a list */
    int db;       /* db at its start */
    int flags;
    uint64_t getack_offset;
} frame_exp_t;
#define FR(end, db)                                                            \
    { (end), (db), 0, 0 }
#define FR_CONT(end, db)                                                       \
    { (end), (db), F_CONT, 0 }
#define FR_ACK(end, db, at)                                                    \
    { (end), (db), F_GETACK, (at) }
#define FR_CONT_ACK(end, db, at)                                               \
    { (end), (db), F_CONT | F_GETACK, (at) }
#define FRAMES(...) ((const frame_exp_t[]){__VA_ARGS__, {0}})
#define NO_FRAMES   ((const frame_exp_t[]){{0}})

typedef enum { START_REPLY, START_PSYNC, START_STREAM } start_t;

typedef struct case_s {
    const char *name;
    start_t start;
    /* START_STREAM, and the start_stream() after +CONTINUE; otherwise the
     * +FULLRESYNC offset: where the first frame starts. */
    uint64_t offset;
    int db;
    size_t frame_max; /* 0: the defaults below */
    size_t line_max;
    uint64_t bulk_max;
    uint64_t argc_max;
    /* The input is pre + rdb + mid + stream + tail. rdb is the expected
     * RDB payload, stream the expected frame bytes. */
    span_t pre, rdb, mid, stream, tail;
    int cut_after_mid;        /* the master sends the stream after our ACK */
    const char *events;       /* expected non-frame events, one per line */
    const frame_exp_t *fine;  /* frames fed byte by byte; NULL: none */
    const frame_exp_t *whole; /* frames fed whole; NULL: not checked */
    int end_db;               /* prod_stream_db() at the end */
    rkb_err_t err;            /* RKB_EAGAIN: no error */
    const char *errstr;       /* substring of the error, any split */
    const char *errstr_whole; /* the whole error, when fed whole */
} case_t;

#define DEFAULT_FRAME_MAX 1024
#define DEFAULT_LINE_MAX  128
#define DEFAULT_BULK_MAX  (1 << 20)
#define DEFAULT_ARGC_MAX  1024

static const case_t reply_cases[] = {
    {.name = "pipelined handshake replies",
     .pre = S("+PONG\r\n+OK\r\n+OK\r\n+OK\r\n"),
     .events = "REPLY +PONG\nREPLY +OK\nREPLY +OK\nREPLY +OK\n",
     .err = RKB_EAGAIN},
    {.name = "NOAUTH to PING",
     .pre = S("-NOAUTH Authentication required.\r\n"),
     .events = "REPLY -NOAUTH Authentication required.\n",
     .err = RKB_EAGAIN},
    {.name = "NOPERM then more replies",
     .pre = S("-NOPERM this user has no permissions to run the 'ping' "
              "command\r\n+OK\r\n"),
     .events = "REPLY -NOPERM this user has no permissions to run the "
               "'ping' command\nREPLY +OK\n",
     .err = RKB_EAGAIN},
    {.name = "legacy not permitted",
     .pre = S("-ERR operation not permitted\r\n"),
     .events = "REPLY -ERR operation not permitted\n",
     .err = RKB_EAGAIN},
    {.name = "WRONGPASS",
     .pre = S("-WRONGPASS invalid username-password pair or user is "
              "disabled.\r\n"),
     .events = "REPLY -WRONGPASS invalid username-password pair or user "
               "is disabled.\n",
     .err = RKB_EAGAIN},
    {.name = "LOADING to PING",
     .pre = S("-LOADING Redis is loading the dataset in memory\r\n"),
     .events = "REPLY -LOADING Redis is loading the dataset in memory\n",
     .err = RKB_EAGAIN},
    {.name = "MASTERDOWN",
     .pre = S("-MASTERDOWN Link with MASTER is down and "
              "replica-serve-stale-data is set to 'no'.\r\n"),
     .events = "REPLY -MASTERDOWN Link with MASTER is down and "
               "replica-serve-stale-data is set to 'no'.\n",
     .err = RKB_EAGAIN},
    {.name = "unknown REPLCONF option",
     .pre = S("-ERR Unrecognized REPLCONF option: capa\r\n+OK\r\n"),
     .events = "REPLY -ERR Unrecognized REPLCONF option: capa\nREPLY +OK\n",
     .err = RKB_EAGAIN},
    {.name = "bare plus and minus",
     .pre = S("+\r\n-\r\n"),
     .events = "REPLY +\nREPLY -\n",
     .err = RKB_EAGAIN},
    {.name = "a line of exactly line_max",
     .line_max = 16,
     .pre = S("+123456789012345\r\n"),
     .events = "REPLY +123456789012345\n",
     .err = RKB_EAGAIN},
    {.name = "a line longer than line_max",
     .line_max = 16,
     .pre = S("+OK\r\n+1234567890123456\r\n"),
     .events = "REPLY +OK\n",
     .err = RKB_ELIMIT,
     .errstr = "reply line longer than 16 bytes"},
    {.name = "no line end within line_max",
     .line_max = 16,
     .pre = S("+12345678901234567"),
     .events = "",
     .err = RKB_ELIMIT,
     .errstr = "reply line longer than 16 bytes"},
    {.name = "HTTP server",
     .pre = S("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "(is this a Redis server?)",
     .errstr_whole = "unexpected reply \"HTTP/1.1 400 Bad Request\" (is "
                     "this a Redis server?)"},
    {.name = "TLS alert",
     .pre = S("\x15\x03\x01\x00\x02\x02\x32"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "unexpected reply \"\\x15",
     .errstr_whole = "unexpected reply \"\\x15\\x03\\x01\\x00\\x02\\x022\" "
                     "(is this a Redis server?)"},
    {.name = "long garbage is quoted up to 60 chars",
     .pre = S("GET /" X50 X50 " HTTP/1.1\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "unexpected reply \"G",
     .errstr_whole = "unexpected reply \"GET /" X50 "xxxxx...\" (is this a "
                     "Redis server?)"},
    {.name = "keepalive where a reply is due",
     .pre = S("+OK\r\n\n"),
     .events = "REPLY +OK\n",
     .err = RKB_EPROTO,
     .errstr = "unexpected reply \"\\n\" (is this a Redis server?)"},
    {.name = "reply ended by LF only",
     .pre = S("+OK\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "reply line not ended by CRLF: \"+OK\\n\""},
};

static const case_t psync_cases[] = {
    {.name = "full sync, disk RDB and stream in one buffer",
     .start = START_PSYNC,
     .offset = 7000,
     .pre = S("\n\n+FULLRESYNC " REPLID " 7000\r\n\n\n\n$32\r\n"),
     .rdb = S(RDB32),
     .stream = S(SELECT0 SET PING),
     .events = "FULLRESYNC " REPLID " 7000\nRDB_BEGIN 32\nRDB_END\nFRAMES\n",
     .fine = FRAMES(FR(7023, -1), FR(7050, 0), FR(7064, 0)),
     .whole = FRAMES(FR(7064, -1)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "full sync, empty disk RDB",
     .start = START_PSYNC,
     .offset = 1,
     .pre = S("+FULLRESYNC " REPLID " 1\r\n$0\r\n"),
     .stream = S(PING),
     .events = "FULLRESYNC " REPLID " 1\nRDB_BEGIN 0\nRDB_END\nFRAMES\n",
     .fine = FRAMES(FR(15, -1)),
     .end_db = -1,
     .err = RKB_EAGAIN},
    {.name = "full sync, EOF RDB, partial marks in the payload",
     .start = START_PSYNC,
     .offset = 14,
     .pre = S("\n\n\n+FULLRESYNC " REPLID " 14\r\n$EOF:" MARK "\r\n"),
     .rdb = S(RDB_PARTIAL_MARK),
     .mid = S(MARK),
     .cut_after_mid = 1,
     .stream = S(SELECT0 PING),
     .events = "FULLRESYNC " REPLID " 14\nRDB_BEGIN EOF\nRDB_END\nFRAMES\n",
     .fine = FRAMES(FR(37, -1), FR(51, 0)),
     .whole = FRAMES(FR(51, -1)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "full sync, EOF RDB, a longer mark uses its first 40 chars",
     .start = START_PSYNC,
     .offset = 9,
     .pre = S("+FULLRESYNC " REPLID " 9\r\n$EOF:" MARK "0123\r\n"),
     .rdb = S(RDB32),
     .mid = S(MARK),
     .events = "FULLRESYNC " REPLID " 9\nRDB_BEGIN EOF\nRDB_END\n",
     .fine = NO_FRAMES,
     .end_db = -1,
     .err = RKB_EAGAIN},
    {.name = "full sync, empty EOF RDB",
     .start = START_PSYNC,
     .offset = 9,
     .pre = S("+FULLRESYNC " REPLID " 9\r\n$EOF:" MARK "\r\n"),
     .mid = S(MARK),
     .events = "FULLRESYNC " REPLID " 9\nRDB_BEGIN EOF\nRDB_END\n",
     .fine = NO_FRAMES,
     .end_db = -1,
     .err = RKB_EAGAIN},
    {.name = "full sync, EOF RDB not finished",
     .start = START_PSYNC,
     .offset = 9,
     .pre = S("+FULLRESYNC " REPLID " 9\r\n$EOF:" MARK "\r\n"),
     .rdb = S(RDB32),
     .tail = S(REPLID), /* the last 40 bytes are held back */
     .events = "FULLRESYNC " REPLID " 9\nRDB_BEGIN EOF\n",
     .err = RKB_EAGAIN},
    {.name = "full sync, disk RDB not finished",
     .start = START_PSYNC,
     .offset = 9,
     .pre = S("+FULLRESYNC " REPLID " 9\r\n$40\r\n"),
     .rdb = S(RDB32),
     .events = "FULLRESYNC " REPLID " 9\nRDB_BEGIN 40\n",
     .err = RKB_EAGAIN},
    {.name = "CONTINUE, stream in the same buffer",
     .start = START_PSYNC,
     .offset = 5001,
     .db = 3,
     .pre = S("+CONTINUE\r\n"),
     .stream = S(PING SET),
     .events = "CONTINUE\nFRAMES\n",
     .fine = FRAMES(FR(5015, 3), FR(5042, 3)),
     .whole = FRAMES(FR(5042, 3)),
     .end_db = 3,
     .err = RKB_EAGAIN},
    {.name = "CONTINUE with a new replid",
     .start = START_PSYNC,
     .offset = 100,
     .db = PROD_DB_UNKNOWN,
     .pre = S("\n+CONTINUE " REPLID2 "\r\n"),
     .stream = S(SELECT15),
     .events = "CONTINUE " REPLID2 "\nFRAMES\n",
     .fine = FRAMES(FR(124, -1)),
     .end_db = 15,
     .err = RKB_EAGAIN},
    {.name = "PSYNC NOMASTERLINK, then reply mode",
     .start = START_PSYNC,
     .pre = S("-NOMASTERLINK Can't SYNC while not connected with my "
              "master\r\n+FULLRESYNC " REPLID " 5\r\n"),
     .events = "REPLY -NOMASTERLINK Can't SYNC while not connected with my "
               "master\nREPLY +FULLRESYNC " REPLID " 5\n",
     .err = RKB_EAGAIN},
    {.name = "PSYNC unknown command",
     .start = START_PSYNC,
     .pre = S("\n-ERR unknown command 'PSYNC', with args beginning with: "
              "'?' '-1' \r\n"),
     .events = "REPLY -ERR unknown command 'PSYNC', with args beginning "
               "with: '?' '-1' \n",
     .err = RKB_EAGAIN},
    {.name = "PSYNC LOADING",
     .start = START_PSYNC,
     .pre = S("-LOADING Redis is loading the dataset in memory\r\n"),
     .events = "REPLY -LOADING Redis is loading the dataset in memory\n",
     .err = RKB_EAGAIN},
    {.name = "PSYNC NOAUTH",
     .start = START_PSYNC,
     .pre = S("-NOAUTH Authentication required.\r\n"),
     .events = "REPLY -NOAUTH Authentication required.\n",
     .err = RKB_EAGAIN},
    {.name = "PSYNC NOPERM",
     .start = START_PSYNC,
     .pre = S("-NOPERM this user has no permissions to run the 'psync' "
              "command\r\n"),
     .events = "REPLY -NOPERM this user has no permissions to run the "
               "'psync' command\n",
     .err = RKB_EAGAIN},
    {.name = "BGSAVE failed instead of the RDB",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 100\r\n\n\n-ERR BGSAVE failed, "
              "replication can't continue\r\n+OK\r\n"),
     .events = "FULLRESYNC " REPLID " 100\nREPLY -ERR BGSAVE failed, "
               "replication can't continue\nREPLY +OK\n",
     .err = RKB_EAGAIN},
    {.name = "PSYNC to an HTTP server",
     .start = START_PSYNC,
     .pre = S("HTTP/1.1 400 Bad Request\r\n\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "(is this a Redis server?)",
     .errstr_whole = "unexpected reply \"HTTP/1.1 400 Bad Request\" (is "
                     "this a Redis server?)"},
    {.name = "FULLRESYNC with a short replid",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC 0123456789 5\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply \"+FULLRESYNC 0123456789 5\""},
    {.name = "FULLRESYNC with a long replid",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID "8 5\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "FULLRESYNC with a bad offset",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 12a\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "FULLRESYNC with a negative offset",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " -1\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "FULLRESYNC with an offset above 2^64",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 18446744073709551616\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "FULLRESYNC without an offset",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID "\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "FULLRESYNC with an empty offset",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " \r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "FULLRESYNC with a third field",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 1 2\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "malformed PSYNC reply"},
    {.name = "CONTINUE with a short replid",
     .start = START_PSYNC,
     .pre = S("+CONTINUE abc\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "unexpected PSYNC reply \"+CONTINUE abc\""},
    {.name = "CONTINUE with a trailing space",
     .start = START_PSYNC,
     .pre = S("+CONTINUE \r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "unexpected PSYNC reply"},
    {.name = "CONTINUEX",
     .start = START_PSYNC,
     .pre = S("+CONTINUEX\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "unexpected PSYNC reply"},
    {.name = "an OK to PSYNC",
     .start = START_PSYNC,
     .pre = S("\n+OK\r\n"),
     .events = "",
     .err = RKB_EPROTO,
     .errstr = "unexpected PSYNC reply \"+OK\""},
    {.name = "a RESP array instead of the RDB",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n*3\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_EPROTO,
     .errstr = "expected RDB bulk header ($<len> or $EOF:<mark>), got \"*"},
    {.name = "a status instead of the RDB",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n+OK\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_EPROTO,
     .errstr = "expected RDB bulk header"},
    {.name = "an RDB length that is not a number",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n$abc\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_EPROTO,
     .errstr = "malformed RDB bulk header \"$abc\""},
    {.name = "an empty RDB length",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n$\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_EPROTO,
     .errstr = "malformed RDB bulk header"},
    {.name = "a negative RDB length",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n$-1\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_EPROTO,
     .errstr = "malformed RDB bulk header"},
    {.name = "an EOF mark shorter than 40 chars",
     .start = START_PSYNC,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n$EOF:0123456789\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_EPROTO,
     .errstr = "malformed RDB bulk header \"$EOF:0123456789\""},
    {.name = "an RDB header longer than line_max",
     .start = START_PSYNC,
     .line_max = 60,
     .pre = S("+FULLRESYNC " REPLID " 5\r\n$EOF:" MARK MARK "\r\n"),
     .events = "FULLRESYNC " REPLID " 5\n",
     .err = RKB_ELIMIT,
     .errstr = "longer than 60 bytes"},
};

static const case_t stream_cases[] = {
    {.name = "SELECT, pings, MULTI/EXEC and GETACK",
     .start = START_STREAM,
     .offset = 1000,
     .db = PROD_DB_UNKNOWN,
     .stream = S(SELECT0 SET PING MULTI SET SET EXEC GETACK SET),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(1023, -1), FR(1050, 0), FR(1064, 0), FR(1147, 0),
                    FR_ACK(1184, 0, 1147), FR(1211, 0)),
     .whole = FRAMES(FR_ACK(1184, -1, 1147), FR(1211, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "names in any case",
     .start = START_STREAM,
     .offset = 0,
     .db = 2,
     .stream = S("*1\r\n$5\r\nmulti\r\n" SELECT15 "*1\r\n$4\r\nExec\r\n"
                 "*3\r\n$8\r\nreplconf\r\n$6\r\ngetack\r\n$1\r\n*\r\n" PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(53, 2), FR_ACK(90, 15, 53), FR(104, 15)),
     .whole = FRAMES(FR_ACK(90, 2, 53), FR(104, 15)),
     .end_db = 15,
     .err = RKB_EAGAIN},
    {.name = "lookalikes change nothing",
     .start = START_STREAM,
     .offset = 0,
     .db = 1,
     /* MULTI with an argument, SELECT with a leading zero, a negative
      * SELECT, SELECT with two arguments, REPLCONF ACK, REPLCONF alone,
      * SELECTX, an empty array (a no-op to Redis). */
     .stream = S("*2\r\n$5\r\nMULTI\r\n$1\r\nx\r\n"
                 "*2\r\n$6\r\nSELECT\r\n$2\r\n05\r\n"
                 "*2\r\n$6\r\nSELECT\r\n$2\r\n-1\r\n"
                 "*3\r\n$6\r\nSELECT\r\n$1\r\n3\r\n$1\r\n4\r\n"
                 "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n"
                 "*1\r\n$8\r\nREPLCONF\r\n"
                 "*2\r\n$7\r\nSELECTX\r\n$1\r\n5\r\n"
                 "*0\r\n"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(22, 1), FR(46, 1), FR(70, 1), FR(100, 1), FR(134, 1),
                    FR(152, 1), FR(176, 1), FR(180, 1)),
     .whole = FRAMES(FR(180, 1)),
     .end_db = 1,
     .err = RKB_EAGAIN},
    {.name = "SELECT of a big db and an argument longer than the head",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .stream = S("*2\r\n$6\r\nSELECT\r\n$10\r\n2147483647\r\n"
                 "*2\r\n$6\r\nSELECT\r\n$10\r\n2147483648\r\n"
                 "*2\r\n$40\r\n" MARK "\r\n$1\r\n1\r\n"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(33, 0), FR(66, 2147483647), FR(124, 2147483647)),
     .end_db = 2147483647,
     .err = RKB_EAGAIN},
    {.name = "pings with a small frame_max",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .frame_max = 64,
     .stream = S(PING PING PING PING PING PING PING PING PING PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(14, 0), FR(28, 0), FR(42, 0), FR(56, 0), FR(70, 0),
                    FR(84, 0), FR(98, 0), FR(112, 0), FR(126, 0), FR(140, 0)),
     .whole = FRAMES(FR(56, 0), FR(112, 0), FR(140, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "a command bigger than frame_max",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .frame_max = 64,
     .stream = S(PING BIGSET PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(14, 0), FR_CONT(78, 0), FR_CONT(142, 0), FR(192, 0),
                    FR(206, 0)),
     .whole = FRAMES(FR(14, 0), FR_CONT(78, 0), FR_CONT(142, 0), FR(206, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "a command of exactly frame_max",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .frame_max = 64,
     .stream = S("*1\r\n$53\r\n" X50 "xxx\r\n" PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(64, 0), FR(78, 0)),
     .whole = FRAMES(FR(64, 0), FR(78, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "a transaction bigger than frame_max (SELECT inside)",
     .start = START_STREAM,
     .offset = 500,
     .db = 3,
     .frame_max = 64,
     .stream = S(MULTI SELECT0 SET EXEC PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR_CONT(564, 3), FR(579, 0), FR(593, 0)),
     .whole = FRAMES(FR_CONT(564, 3), FR(593, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "a transaction with a big command",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .frame_max = 64,
     .stream = S(SELECT15 MULTI BIGSET SET EXEC GETACK),
     .events = "FRAMES\n",
     /* 24 SELECT, 39 MULTI, 217 BIGSET, 244 SET, 258 EXEC, 295 GETACK */
     .fine = FRAMES(FR(24, 0), FR_CONT(88, 15), FR_CONT(152, 15),
                    FR_CONT(216, 15), FR(258, 15), FR_ACK(295, 15, 258)),
     .whole = FRAMES(FR(24, 0), FR_CONT(88, 15), FR_CONT(152, 15),
                     FR_CONT(216, 15), FR(258, 15), FR_ACK(295, 15, 258)),
     .end_db = 15,
     .err = RKB_EAGAIN},
    {.name = "GETACK inside MULTI ends a frame, not on a safe point",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .stream = S(PING MULTI GETACK SET EXEC),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(14, 0), FR_CONT_ACK(66, 0, 29), FR(107, 0)),
     .whole = FRAMES(FR_CONT_ACK(66, 0, 29), FR(107, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "an open transaction is held back",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .stream = S(PING),
     .tail = S(MULTI SELECT15 SET),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(14, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
    {.name = "a partial command is held back",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .stream = S(SELECT15),
     .tail = S("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(24, 0)),
     .end_db = 15,
     .err = RKB_EAGAIN},
    {.name = "an empty bulk",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .stream = S("*2\r\n$3\r\nDEL\r\n$0\r\n\r\n"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(19, 0)),
     .end_db = 0,
     .err = RKB_EAGAIN},
};

static const case_t stream_error_cases[] = {
    {.name = "an inline command",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .stream = S(PING),
     .tail = S("PING\r\n"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(114, 0)),
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "protocol error at master offset 114: expected '*' (a "
               "command as a RESP array), got 'P'"},
    {.name = "a newline",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .stream = S(PING),
     .tail = S("\n" PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(114, 0)),
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 114: expected '*' (a command as a RESP "
               "array), got '\\n'"},
    {.name = "an integer element",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\r\n:1\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 104: expected '$' (a bulk string), got "
               "':'"},
    {.name = "a bad array length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*x\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 101: expected a digit, got 'x'"},
    {.name = "an empty array length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 101: expected a digit, got '\\r'"},
    {.name = "junk after the array length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1x\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 102: expected a digit or CR, got 'x'"},
    {.name = "CR without LF after the array length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\rX"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 103: expected LF, got 'X'"},
    {.name = "a leading zero",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*01\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 100: array length has a leading zero"},
    {.name = "a bad bulk length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\r\n$x"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 105: expected a digit, got 'x'"},
    {.name = "a negative bulk length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\r\n$-1\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 105: expected a digit, got '-'"},
    {.name = "CR without LF after the bulk length",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\r\n$4\rX"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 107: expected LF, got 'X'"},
    {.name = "no CRLF after a bulk",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\r\n$4\r\npingXX"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 112: expected CR after the bulk data, "
               "got 'X'"},
    {.name = "CR without LF after a bulk",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .tail = S("*1\r\n$4\r\nping\rX"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 113: expected LF after the bulk data, "
               "got 'X'"},
    {.name = "an error inside a transaction",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .stream = S(PING),
     .tail = S(MULTI SET "*1\r\n$4\r\nEXEC\r\r"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(114, 0)),
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 169: expected LF after the bulk data"},
    {.name = "an error after a continued frame",
     .start = START_STREAM,
     .offset = 0,
     .db = 0,
     .frame_max = 64,
     /* The value is 150 bytes, 102 of them before the second cut. */
     .stream = S(PING "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$150\r\n" X50 X50 "xx"),
     .tail = S(X10 X10 X10 X10 "xxxxxxxx"
                               "x\r\n" PING),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(14, 0), FR_CONT(78, 0), FR_CONT(142, 0)),
     .end_db = 0,
     .err = RKB_EPROTO,
     .errstr = "at master offset 190: expected CR after the bulk data"},
    {.name = "argc above argc_max",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .argc_max = 2,
     .stream = S("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
     .tail = S(SET),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(120, 0)),
     .end_db = 0,
     .err = RKB_ELIMIT,
     .errstr = "limit exceeded at master offset 120: array length is above "
               "argc_max (2)"},
    {.name = "an array length above 2^64",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .argc_max = UINT64_MAX,
     .tail = S("*18446744073709551616\r\n"),
     .events = "",
     .fine = NO_FRAMES,
     .end_db = 0,
     .err = RKB_ELIMIT,
     .errstr = "at master offset 100: array length is above argc_max "
               "(18446744073709551615)"},
    {.name = "bulk length above bulk_max",
     .start = START_STREAM,
     .offset = 100,
     .db = 0,
     .bulk_max = 4,
     .stream = S(PING),
     .tail = S("*1\r\n$5\r\nhello\r\n"),
     .events = "FRAMES\n",
     .fine = FRAMES(FR(114, 0)),
     .end_db = 0,
     .err = RKB_ELIMIT,
     .errstr = "limit exceeded at master offset 118: bulk length is above "
               "bulk_max (4)"},
};

/* ------------------------------------------------------------------------
 * Harness
 * --------------------------------------------------------------------- */

typedef struct frame_s {
    uint64_t start, end;
    int db, continued, has_getack;
    uint64_t getack_offset;
} frame_t;

typedef struct run_s {
    const case_t *c;
    const char *how; /* "whole", "byte by byte", "split at N" */
    rkb_buf_t events, rdb, stream;
    frame_t *frames;
    size_t nframes;
    uint64_t next_start; /* where the next frame must start */
    int in_rdb;
    int saw_frame;
    rkb_err_t err; /* RKB_EAGAIN until an error */
    char errstr[256];
} run_t;

#define CHECK(r, cond)                                                         \
    do {                                                                       \
        if (!(cond)) {                                                         \
            print_error("%s:%d: case \"%s\" (%s): %s\n", __FILE__, __LINE__,   \
                        (r)->c->name, (r)->how, #cond);                        \
            fail();                                                            \
        }                                                                      \
    } while (0)

static void add_event(run_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_event(run_t *r, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof(line) - 1);
    line[n++] = '\n';
    rkb_buf_append(&r->events, line, (size_t)n);
}

static void record_frame(run_t *r, prod_stream_t *ps, const prod_ev_t *ev,
                         size_t frame_max) {
    frame_t f = {ev->start,     ev->end,        ev->db,
                 ev->continued, ev->has_getack, ev->getack_offset};
    if (!r->saw_frame) {
        add_event(r, "FRAMES");
        r->saw_frame = 1;
    }
    CHECK(r, !r->in_rdb);
    CHECK(r, ev->data != NULL && ev->len > 0 && ev->len <= frame_max);
    CHECK(r, ev->start == r->next_start);
    CHECK(r, ev->end - ev->start == ev->len);
    CHECK(r, !ev->continued || ev->len == frame_max || ev->has_getack);
    CHECK(r, !ev->has_getack || ev->getack_offset < ev->end);
    CHECK(r, prod_stream_offset(ps) == ev->end);
    r->next_start = ev->end;
    rkb_buf_append(&r->stream, ev->data, ev->len);
    r->frames = rkb_realloc(r->frames, (r->nframes + 1) * sizeof(frame_t));
    r->frames[r->nframes++] = f;
}

/* Pulls events until the parser wants more input or fails. */
static void drain(prod_stream_t *ps, run_t *r, size_t frame_max) {
    const case_t *c = r->c;
    prod_ev_t ev;

    for (;;) {
        rkb_err_t rc = prod_stream_next(ps, &ev);
        if (rc == RKB_EAGAIN) {
            return;
        }
        if (rc != RKB_OK) {
            r->err = rc;
            snprintf(r->errstr, sizeof(r->errstr), "%s",
                     prod_stream_errstr(ps));
            CHECK(r, r->errstr[0] != '\0');
            return;
        }
        switch (ev.type) {
        case PROD_EV_REPLY:
            CHECK(r, ev.len > 0 && (ev.data[0] == '+' || ev.data[0] == '-'));
            CHECK(r, ev.is_error == (ev.data[0] == '-'));
            add_event(r, "REPLY %.*s", (int)ev.len, ev.data);
            break;
        case PROD_EV_FULLRESYNC:
            CHECK(r, strlen(ev.replid) == PROD_REPLID_LEN);
            CHECK(r, prod_stream_offset(ps) == ev.offset);
            CHECK(r, prod_stream_db(ps) == PROD_DB_UNKNOWN);
            add_event(r, "FULLRESYNC %s %" PRIu64, ev.replid, ev.offset);
            r->next_start = ev.offset;
            break;
        case PROD_EV_CONTINUE:
            add_event(r, ev.replid[0] ? "CONTINUE %s" : "CONTINUE%s",
                      ev.replid);
            /* Nothing more until the caller restores its position. */
            CHECK(r, prod_stream_next(ps, &ev) == RKB_EAGAIN);
            CHECK(r, prod_stream_next(ps, &ev) == RKB_EAGAIN);
            prod_stream_start_stream(ps, c->offset, c->db);
            r->next_start = c->offset;
            break;
        case PROD_EV_RDB_BEGIN:
            CHECK(r, !r->in_rdb);
            r->in_rdb = 1;
            if (ev.rdb_size == PROD_RDB_SIZE_UNKNOWN) {
                add_event(r, "RDB_BEGIN EOF");
            } else {
                add_event(r, "RDB_BEGIN %" PRIu64, ev.rdb_size);
            }
            break;
        case PROD_EV_RDB_DATA:
            CHECK(r, r->in_rdb && ev.data != NULL && ev.len > 0);
            rkb_buf_append(&r->rdb, ev.data, ev.len);
            break;
        case PROD_EV_RDB_END:
            CHECK(r, r->in_rdb);
            r->in_rdb = 0;
            add_event(r, "RDB_END");
            break;
        case PROD_EV_FRAME:
            record_frame(r, ps, &ev, frame_max);
            break;
        }
    }
}

static int same_bytes(const rkb_buf_t *b, span_t want) {
    return b->len == want.n &&
           (want.n == 0 || !memcmp(b->data, want.p, want.n));
}

static size_t count_frames(const frame_exp_t *list) {
    size_t n = 0;
    while (list != NULL && list[n].end != 0) {
        n++;
    }
    return n;
}

static int same_frame(const frame_t *f, const frame_exp_t *e) {
    return f->end == e->end && f->db == e->db &&
           f->continued == !!(e->flags & F_CONT) &&
           f->has_getack == !!(e->flags & F_GETACK) &&
           (!f->has_getack || f->getack_offset == e->getack_offset);
}

/* The frames of any split only merge the byte-by-byte ones. */
static void check_frames(run_t *r, const frame_exp_t *exact) {
    const case_t *c = r->c;
    size_t nfine = count_frames(c->fine);

    for (size_t i = 0; i < r->nframes; i++) {
        const frame_t *f = &r->frames[i];
        size_t j = 0, s = SIZE_MAX;
        while (j < nfine && c->fine[j].end != f->end) {
            j++;
        }
        CHECK(r, j < nfine); /* ends where a byte-by-byte frame ends */
        CHECK(r, f->continued == !!(c->fine[j].flags & F_CONT));
        CHECK(r, f->has_getack == !!(c->fine[j].flags & F_GETACK));
        CHECK(r,
              !f->has_getack || f->getack_offset == c->fine[j].getack_offset);
        for (j = 0; j < nfine; j++) {
            uint64_t start = j ? c->fine[j - 1].end : c->offset;
            if (start == f->start) {
                s = j;
            }
        }
        CHECK(r, s != SIZE_MAX && f->db == c->fine[s].db);
    }
    for (size_t j = 0; j < nfine; j++) {
        int found = 0;
        if (!(c->fine[j].flags & (F_CONT | F_GETACK))) {
            continue;
        }
        for (size_t i = 0; i < r->nframes; i++) {
            found |= r->frames[i].end == c->fine[j].end;
        }
        CHECK(r, found); /* never merged away */
    }
    if (exact != NULL) {
        size_t n = count_frames(exact);
        CHECK(r, r->nframes == n);
        for (size_t i = 0; i < n; i++) {
            CHECK(r, same_frame(&r->frames[i], &exact[i]));
        }
    }
}

static prod_stream_limits_t case_limits(const case_t *c) {
    prod_stream_limits_t lim = {
        c->frame_max ? c->frame_max : DEFAULT_FRAME_MAX,
        c->line_max ? c->line_max : DEFAULT_LINE_MAX,
        c->bulk_max ? c->bulk_max : DEFAULT_BULK_MAX,
        c->argc_max ? c->argc_max : DEFAULT_ARGC_MAX,
    };
    return lim;
}

/* Feeds in[0..n) cut at cuts[] (ascending), draining after each feed, and
 * checks the outcome. exact: frames expected for this split, or NULL. */
static void run_split(const case_t *c, const char *in, size_t n,
                      const size_t *cuts, size_t ncuts, const char *how,
                      const frame_exp_t *exact) {
    prod_stream_limits_t lim = case_limits(c);
    prod_stream_t *ps = prod_stream_new(&lim);
    run_t run = {.c = c, .how = how, .err = RKB_EAGAIN};
    run_t *r = &run;
    size_t from = 0;
    prod_ev_t ev;

    if (c->start == START_PSYNC) {
        prod_stream_expect_psync(ps);
    } else if (c->start == START_STREAM) {
        prod_stream_start_stream(ps, c->offset, c->db);
        r->next_start = c->offset;
    }
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : n;
        if (to <= from) {
            continue;
        }
        rkb_err_t rc = prod_stream_feed(ps, in + from, to - from);
        CHECK(r, rc == (r->err == RKB_EAGAIN ? RKB_OK : r->err));
        if (rc == RKB_OK) {
            drain(ps, r, lim.frame_max);
        }
        from = to;
    }

    CHECK(r, r->err == c->err);
    if (c->err != RKB_EAGAIN) {
        /* Sticky: the same error, the same message. */
        CHECK(r, prod_stream_next(ps, &ev) == c->err);
        CHECK(r, prod_stream_feed(ps, "+OK\r\n", 5) == c->err);
        CHECK(r, strcmp(prod_stream_errstr(ps), r->errstr) == 0);
        if (strstr(r->errstr, c->errstr) == NULL) {
            print_error("errstr: got \"%s\", want it to contain \"%s\"\n",
                        r->errstr, c->errstr);
        }
        CHECK(r, strstr(r->errstr, c->errstr) != NULL);
        if (ncuts == 0 && c->errstr_whole != NULL &&
            strcmp(r->errstr, c->errstr_whole) != 0) {
            print_error("errstr: got \"%s\", want \"%s\"\n", r->errstr,
                        c->errstr_whole);
            CHECK(r, !"the whole error message");
        }
    } else {
        CHECK(r, prod_stream_next(ps, &ev) == RKB_EAGAIN);
    }
    span_t want_events = {c->events, strlen(c->events)};
    if (!same_bytes(&r->events, want_events)) {
        print_error("events: got\n%.*s\nwant\n%s\n", (int)r->events.len,
                    r->events.data ? r->events.data : "", c->events);
        CHECK(r, !"the events");
    }
    CHECK(r, same_bytes(&r->rdb, c->rdb));
    CHECK(r, same_bytes(&r->stream, c->stream));
    if (c->fine != NULL) {
        size_t nfine = count_frames(c->fine);
        CHECK(r, prod_stream_offset(ps) ==
                     (nfine ? c->fine[nfine - 1].end : c->offset));
        CHECK(r, prod_stream_db(ps) == c->end_db);
        check_frames(r, exact);
    } else {
        CHECK(r, r->nframes == 0);
    }

    rkb_buf_free(&r->events);
    rkb_buf_free(&r->rdb);
    rkb_buf_free(&r->stream);
    free(r->frames);
    prod_stream_destroy(ps);
}

/* Adds the forced cut after `mid` to a list of cuts, keeping it sorted. */
static size_t add_forced_cut(const case_t *c, size_t *cuts, size_t ncuts) {
    size_t at = c->pre.n + c->rdb.n + c->mid.n;
    size_t i = ncuts;
    if (!c->cut_after_mid) {
        return ncuts;
    }
    while (i > 0 && cuts[i - 1] > at) {
        cuts[i] = cuts[i - 1];
        i--;
    }
    cuts[i] = at;
    return ncuts + 1;
}

static void run_case(const case_t *c) {
    span_t parts[] = {c->pre, c->rdb, c->mid, c->stream, c->tail};
    size_t n = 0;
    char how[64];

    for (size_t i = 0; i < 5; i++) {
        n += parts[i].n;
    }
    char *in = rkb_malloc(n);
    size_t *cuts = rkb_malloc((n + 2) * sizeof(size_t));
    n = 0;
    for (size_t i = 0; i < 5; i++) {
        if (parts[i].n) {
            memcpy(in + n, parts[i].p, parts[i].n);
        }
        n += parts[i].n;
    }

    /* Whole. */
    run_split(c, in, n, cuts, add_forced_cut(c, cuts, 0), "whole", c->whole);
    /* Byte by byte: the finest frames. */
    for (size_t i = 1; i < n; i++) {
        cuts[i - 1] = i;
    }
    run_split(c, in, n, cuts, n - 1, "byte by byte", c->fine);
    /* In two at every position. */
    for (size_t k = 1; k < n; k++) {
        cuts[0] = k;
        snprintf(how, sizeof(how), "split at %zu", k);
        run_split(c, in, n, cuts, add_forced_cut(c, cuts, 1), how, NULL);
    }
    free(cuts);
    free(in);
}

static void run_table(const case_t *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        run_case(&cases[i]);
    }
}

#define RUN_TABLE(t) run_table((t), sizeof(t) / sizeof((t)[0]))

static void test_reply_cases(void **state) {
    (void)state;
    RUN_TABLE(reply_cases);
}

static void test_psync_cases(void **state) {
    (void)state;
    RUN_TABLE(psync_cases);
}

static void test_stream_cases(void **state) {
    (void)state;
    RUN_TABLE(stream_cases);
}

static void test_stream_error_cases(void **state) {
    (void)state;
    RUN_TABLE(stream_error_cases);
}

/* ------------------------------------------------------------------------
 * Single-purpose tests
 * --------------------------------------------------------------------- */

static prod_stream_t *new_parser(size_t frame_max) {
    prod_stream_limits_t lim = {frame_max, 128, UINT64_MAX, 1024};
    return prod_stream_new(&lim);
}

static void test_reset_clears_error_and_input(void **state) {
    prod_stream_t *ps = new_parser(64);
    prod_ev_t ev;
    (void)state;

    assert_int_equal(prod_stream_feed(ps, "+OK\r\nHTTP/1.1", 13), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EPROTO);
    assert_string_equal(prod_stream_errstr(ps),
                        "unexpected reply \"HTTP/1.1\" (is this a Redis "
                        "server?)");
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EPROTO);
    assert_int_equal(prod_stream_feed(ps, "+OK\r\n", 5), RKB_EPROTO);
    /* Changing what is expected does not clear the error either. */
    prod_stream_expect_psync(ps);
    prod_stream_start_stream(ps, 0, 0);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EPROTO);

    prod_stream_reset(ps);
    assert_string_equal(prod_stream_errstr(ps), "");
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EAGAIN);
    assert_int_equal(prod_stream_feed(ps, "+PONG\r\n", 7), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_REPLY);
    assert_int_equal(ev.len, 5);
    assert_memory_equal(ev.data, "+PONG", 5);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EAGAIN);

    /* reset drops what was buffered: here half a stream command. */
    prod_stream_start_stream(ps, 10, 1);
    assert_int_equal(prod_stream_feed(ps, "*1\r\n$4\r\npi", 10), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EAGAIN);
    prod_stream_reset(ps);
    assert_int_equal(prod_stream_offset(ps), 0);
    assert_int_equal(prod_stream_db(ps), PROD_DB_UNKNOWN);
    assert_int_equal(prod_stream_feed(ps, "-ERR x\r\n", 8), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_REPLY);
    assert_true(ev.is_error);
    prod_stream_destroy(ps);
    prod_stream_destroy(NULL);
}

/* After +CONTINUE the stream bytes stay buffered, however many arrive,
 * until the caller says where the stream starts. */
static void test_continue_waits_for_start(void **state) {
    prod_stream_t *ps = new_parser(1024);
    prod_ev_t ev;
    (void)state;

    prod_stream_expect_psync(ps);
    assert_int_equal(prod_stream_feed(ps, "+CONTINUE\r\n" PING, 11 + 14),
                     RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_CONTINUE);
    assert_string_equal(ev.replid, "");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(prod_stream_next(ps, &ev), RKB_EAGAIN);
        assert_int_equal(prod_stream_feed(ps, SELECT15, L_SELECT15), RKB_OK);
    }
    prod_stream_start_stream(ps, 42, 7);
    assert_int_equal(prod_stream_offset(ps), 42);
    assert_int_equal(prod_stream_db(ps), 7);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_FRAME);
    assert_int_equal(ev.start, 42);
    assert_int_equal(ev.end, 42 + L_PING + 3 * L_SELECT15);
    assert_int_equal(ev.db, 7);
    assert_int_equal(ev.continued, 0);
    assert_int_equal(ev.has_getack, 0);
    assert_memory_equal(ev.data, PING SELECT15 SELECT15 SELECT15, ev.len);
    assert_int_equal(prod_stream_db(ps), 15);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EAGAIN);
    prod_stream_destroy(ps);
}

/* Recovery scans a journaled frame again to learn the db at its end. */
static void test_rescan_journaled_frame(void **state) {
    const char payload[] =
        PING SELECT15 SET MULTI "*2\r\n$6\r\nSELECT\r\n$1\r\n4\r\n" SET EXEC;
    prod_stream_t *ps = new_parser(1024);
    prod_ev_t ev;
    (void)state;

    prod_stream_start_stream(ps, 9000, 2);
    assert_int_equal(prod_stream_feed(ps, payload, sizeof(payload) - 1),
                     RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_FRAME);
    assert_int_equal(ev.start, 9000);
    assert_int_equal(ev.end, 9000 + sizeof(payload) - 1);
    assert_int_equal(ev.db, 2);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_EAGAIN);
    assert_int_equal(prod_stream_offset(ps), 9000 + sizeof(payload) - 1);
    assert_int_equal(prod_stream_db(ps), 4);
    prod_stream_destroy(ps);
}

/* A 24 MiB argument passes in frame_max pieces; fed in odd-sized chunks
 * and in one piece. */
static void test_huge_argument(void **state) {
    const size_t value_len = 24u << 20, frame_max = 64 << 10;
    const size_t chunks[] = {4093, 65536 + 7, SIZE_MAX};
    char head[64];
    (void)state;

    int head_len =
        snprintf(head, sizeof(head), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%zu\r\n",
                 value_len);
    size_t cmd_len = (size_t)head_len + value_len + 2;
    size_t n = L_SELECT15 + cmd_len + L_PING;
    char *in = rkb_malloc(n);
    memcpy(in, SELECT15, L_SELECT15);
    memcpy(in + L_SELECT15, head, (size_t)head_len);
    for (size_t i = 0; i < value_len; i++) {
        in[L_SELECT15 + (size_t)head_len + i] = (char)(i * 7 + (i >> 13));
    }
    memcpy(in + L_SELECT15 + head_len + value_len, "\r\n" PING, 2 + L_PING);

    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        prod_stream_t *ps = new_parser(frame_max);
        uint64_t at = 0;
        size_t conts = 0, from = 0;
        prod_ev_t ev;
        rkb_err_t rc;

        prod_stream_start_stream(ps, 0, 0);
        while (from < n) {
            size_t len = n - from < chunks[k] ? n - from : chunks[k];
            assert_int_equal(prod_stream_feed(ps, in + from, len), RKB_OK);
            from += len;
            while ((rc = prod_stream_next(ps, &ev)) == RKB_OK) {
                assert_int_equal(ev.type, PROD_EV_FRAME);
                assert_int_equal(ev.start, at);
                assert_true(ev.len > 0 && ev.len <= frame_max);
                assert_memory_equal(ev.data, in + at, ev.len);
                if (ev.continued) {
                    assert_int_equal(ev.len, frame_max);
                    /* A continuation still says the db at its start. */
                    assert_int_equal(ev.db, at < L_SELECT15 ? 0 : 15);
                    conts++;
                }
                at = ev.end;
            }
            assert_int_equal(rc, RKB_EAGAIN);
        }
        assert_int_equal(at, n);
        assert_int_equal(conts, cmd_len / frame_max);
        assert_int_equal(prod_stream_db(ps), 15);
        prod_stream_destroy(ps);
    }
    free(in);
}

/* A big RDB is delivered without being buffered whole; the stream that
 * follows starts at the FULLRESYNC offset. */
static void test_big_disk_rdb(void **state) {
    const size_t rdb_len = 3u << 20;
    prod_stream_t *ps = new_parser(1024);
    char *chunk = rkb_malloc(10000);
    char header[128];
    uint64_t got = 0;
    int ended = 0;
    prod_ev_t ev;
    rkb_err_t rc;
    (void)state;

    prod_stream_expect_psync(ps);
    int len = snprintf(header, sizeof(header),
                       "+FULLRESYNC " REPLID " 123\r\n$%zu\r\n", rdb_len);
    assert_int_equal(prod_stream_feed(ps, header, (size_t)len), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_FULLRESYNC);
    assert_int_equal(ev.offset, 123);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_RDB_BEGIN);
    assert_int_equal(ev.rdb_size, rdb_len);
    for (size_t sent = 0; sent < rdb_len; sent += 10000) {
        size_t n = rdb_len - sent < 10000 ? rdb_len - sent : 10000;
        for (size_t i = 0; i < n; i++) {
            chunk[i] = (char)(sent + i);
        }
        assert_int_equal(prod_stream_feed(ps, chunk, n), RKB_OK);
        while ((rc = prod_stream_next(ps, &ev)) == RKB_OK) {
            if (ev.type == PROD_EV_RDB_END) {
                assert_int_equal(got, rdb_len);
                ended = 1;
                continue;
            }
            assert_int_equal(ev.type, PROD_EV_RDB_DATA);
            for (size_t i = 0; i < ev.len; i++) {
                assert_int_equal((unsigned char)ev.data[i],
                                 (unsigned char)(got + i));
            }
            got += ev.len;
        }
        assert_int_equal(rc, RKB_EAGAIN);
    }
    assert_int_equal(got, rdb_len);
    assert_true(ended);
    assert_int_equal(prod_stream_feed(ps, PING, L_PING), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_FRAME);
    assert_int_equal(ev.start, 123);
    assert_int_equal(ev.end, 123 + L_PING);
    assert_int_equal(ev.db, PROD_DB_UNKNOWN);
    prod_stream_destroy(ps);
    free(chunk);
}

/* The EOF mark is recognised at the end of a feed even when the caller
 * fed again before draining. */
static void test_eof_mark_checked_per_feed(void **state) {
    prod_stream_t *ps = new_parser(1024);
    const char head[] = "+FULLRESYNC " REPLID " 50\r\n$EOF:" MARK "\r\n";
    prod_ev_t ev;
    rkb_buf_t rdb = RKB_BUF_INIT;
    int ended = 0;
    (void)state;

    prod_stream_expect_psync(ps);
    assert_int_equal(prod_stream_feed(ps, head, sizeof(head) - 1), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_RDB_BEGIN);
    assert_int_equal(prod_stream_feed(ps, RDB32 MARK, 32 + 40), RKB_OK);
    assert_int_equal(prod_stream_feed(ps, PING, L_PING), RKB_OK);
    while (prod_stream_next(ps, &ev) == RKB_OK) {
        if (ev.type == PROD_EV_RDB_DATA) {
            rkb_buf_append(&rdb, ev.data, ev.len);
        } else if (ev.type == PROD_EV_RDB_END) {
            ended = 1;
        } else {
            assert_int_equal(ev.type, PROD_EV_FRAME);
            assert_true(ended);
            assert_int_equal(ev.start, 50);
            assert_int_equal(ev.len, L_PING);
        }
    }
    assert_true(ended);
    assert_int_equal(rdb.len, 32);
    assert_memory_equal(rdb.data, RDB32, 32);
    assert_int_equal(prod_stream_offset(ps), 50 + L_PING);
    rkb_buf_free(&rdb);
    prod_stream_destroy(ps);
}

/* A full sync forgets the db of an earlier stream on the same parser. */
static void test_fullresync_forgets_db(void **state) {
    const char reply[] = "+FULLRESYNC " REPLID " 77\r\n";
    prod_stream_t *ps = new_parser(1024);
    prod_ev_t ev;
    (void)state;

    prod_stream_start_stream(ps, 10, 0);
    assert_int_equal(prod_stream_feed(ps, SELECT15, L_SELECT15), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(prod_stream_db(ps), 15);
    prod_stream_expect_psync(ps);
    assert_int_equal(prod_stream_feed(ps, reply, sizeof(reply) - 1), RKB_OK);
    assert_int_equal(prod_stream_next(ps, &ev), RKB_OK);
    assert_int_equal(ev.type, PROD_EV_FULLRESYNC);
    assert_string_equal(ev.replid, REPLID);
    assert_int_equal(prod_stream_offset(ps), 77);
    assert_int_equal(prod_stream_db(ps), PROD_DB_UNKNOWN);
    prod_stream_destroy(ps);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_cases),
        cmocka_unit_test(test_psync_cases),
        cmocka_unit_test(test_stream_cases),
        cmocka_unit_test(test_stream_error_cases),
        cmocka_unit_test(test_reset_clears_error_and_input),
        cmocka_unit_test(test_continue_waits_for_start),
        cmocka_unit_test(test_rescan_journaled_frame),
        cmocka_unit_test(test_huge_argument),
        cmocka_unit_test(test_big_disk_rdb),
        cmocka_unit_test(test_eof_mark_checked_per_feed),
        cmocka_unit_test(test_fullresync_forgets_db),
    };
    return cmocka_run_group_tests_name("prod_stream", tests, NULL, NULL);
}
