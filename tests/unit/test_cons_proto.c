/* test_cons_proto.c -- table-driven tests of the relay's parser of what
 * replicas send. Every case is fed whole, byte by byte, and split in two
 * at every position (hiredis test_reply_reader); each way must give the
 * same commands, described as text: "TYPE arg|arg|..." plus the typed
 * fields, one line per command, and "EPROTO" for a protocol error. */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cons_proto.h"
#include "rkb_buf.h"

#define REPLID "0123456789abcdef0123456789abcdef01234567"

static const char *type_name(cons_cmd_type_t t) {
    switch (t) {
    case CONS_CMD_EMPTY: return "EMPTY";
    case CONS_CMD_PING: return "PING";
    case CONS_CMD_AUTH: return "AUTH";
    case CONS_CMD_REPLCONF_PORT: return "PORT";
    case CONS_CMD_REPLCONF_CAPA: return "CAPA";
    case CONS_CMD_REPLCONF_ACK: return "ACK";
    case CONS_CMD_REPLCONF_GETACK: return "GETACK";
    case CONS_CMD_REPLCONF_OTHER: return "REPLCONF";
    case CONS_CMD_PSYNC: return "PSYNC";
    case CONS_CMD_SYNC: return "SYNC";
    case CONS_CMD_INFO: return "INFO";
    case CONS_CMD_ROLE: return "ROLE";
    case CONS_CMD_UNKNOWN: return "UNKNOWN";
    case CONS_CMD_BADARGS: return "BADARGS";
    }
    return "?";
}

static void describe(const cons_cmd_t *cmd, rkb_buf_t *out) {
    char line[256];
    const char *t = type_name(cmd->type);
    rkb_buf_append(out, t, strlen(t));
    for (size_t i = 0; i < cmd->argc; i++) {
        rkb_buf_append(out, i ? "|" : " ", 1);
        /* CR, LF and NUL escaped, so the description is one C string */
        for (size_t j = 0; j < cmd->argv[i].len; j++) {
            char ch = cmd->argv[i].p[j];
            const char *esc = ch == '\r' ? "\\r" : ch == '\n' ? "\\n"
                              : ch == '\0' ? "\\0" : NULL;
            if (esc != NULL) {
                rkb_buf_append(out, esc, 2);
            } else {
                rkb_buf_append(out, &ch, 1);
            }
        }
    }
    switch (cmd->type) {
    case CONS_CMD_REPLCONF_PORT:
        snprintf(line, sizeof(line), " port=%lld", cmd->port);
        break;
    case CONS_CMD_REPLCONF_CAPA:
        snprintf(line, sizeof(line), " capa=%d", cmd->capa);
        break;
    case CONS_CMD_REPLCONF_ACK:
        snprintf(line, sizeof(line), " offset=%lld", cmd->offset);
        break;
    case CONS_CMD_PSYNC:
        snprintf(line, sizeof(line), " replid=%s offset=%lld", cmd->replid,
                 cmd->offset);
        break;
    default:
        line[0] = '\0';
    }
    rkb_buf_append(out, line, strlen(line));
    rkb_buf_append(out, "\n", 1);
}

/* Feeds the input in pieces of the given sizes (0: the rest) and returns
 * the description of everything parsed. The caller frees it. */
static char *run(const char *in, size_t len, size_t step, size_t split) {
    cons_proto_t *cp = cons_proto_new();
    rkb_buf_t out = RKB_BUF_INIT;
    cons_cmd_t cmd;
    size_t pos = 0;
    int failed = 0;
    while (pos < len && !failed) {
        size_t n = step ? step : len - pos;
        if (split && pos == 0) {
            n = split;
        } else if (split) {
            n = len - pos;
        }
        if (n > len - pos) {
            n = len - pos;
        }
        cons_proto_feed(cp, in + pos, n);
        pos += n;
        rkb_err_t err;
        while ((err = cons_proto_next(cp, &cmd)) == RKB_OK) {
            describe(&cmd, &out);
        }
        if (err == RKB_EPROTO) {
            rkb_buf_append(&out, "EPROTO\n", 7);
            failed = 1;
        } else {
            assert_int_equal(err, RKB_EAGAIN);
        }
    }
    if (failed) {
        /* sticky: more input changes nothing */
        cons_proto_feed(cp, "PING\r\n", 6);
        assert_int_equal(cons_proto_next(cp, &cmd), RKB_EPROTO);
    }
    rkb_buf_append(&out, "", 1);
    cons_proto_destroy(cp);
    return out.data;
}

typedef struct tcase_s {
    const char *name;
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *want;
} tcase_t;

static const tcase_t cases[] = {
    {"inline handshake of a Redis 2.8 replica",
     "PING\r\nREPLCONF listening-port 6380\r\nPSYNC ? -1\r\n", 0,
     "PING PING\n"
     "PORT REPLCONF|listening-port|6380 port=6380\n"
     "PSYNC PSYNC|?|-1 replid=? offset=-1\n"},
    {"RESP handshake of a Redis 7 replica",
     "*1\r\n$4\r\nPING\r\n"
     "*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n"
     "*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n6380\r\n"
     "*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n"
     "$6\r\npsync2\r\n"
     "*3\r\n$5\r\nPSYNC\r\n$40\r\n" REPLID "\r\n$4\r\n1001\r\n",
     0,
     "PING PING\n"
     "AUTH AUTH|default|pw\n"
     "PORT REPLCONF|listening-port|6380 port=6380\n"
     "CAPA REPLCONF|capa|eof|capa|psync2 capa=3\n"
     "PSYNC PSYNC|" REPLID "|1001 replid=" REPLID " offset=1001\n"},
    {"ACKs, FACK, GETACK and keepalive newlines",
     "\n*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$3\r\n926\r\n"
     "*5\r\n$8\r\nREPLCONF\r\n$3\r\nack\r\n$3\r\n927\r\n$4\r\nFACK\r\n"
     "$3\r\n900\r\n"
     "REPLCONF GETACK *\r\n\r\n",
     0,
     "EMPTY\n"
     "ACK REPLCONF|ACK|926 offset=926\n"
     "ACK REPLCONF|ack|927|FACK|900 offset=927\n"
     "GETACK REPLCONF|GETACK|*\n"
     "EMPTY\n"},
    {"SYNC, INFO, ROLE, unknown commands, blanks and *0",
     "SYNC\n*0\r\n  info   replication \r\n*1\r\n$4\r\nrole\r\n"
     "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n",
     0,
     "SYNC SYNC\n"
     "INFO info|replication\n"
     "ROLE role\n"
     "UNKNOWN SET|k|\n"},
#define BINARG "*2\r\n$4\r\nAUTH\r\n$3\r\n\r\n\0\r\n"
    {"binary argument with CR, LF and NUL", BINARG, sizeof(BINARG) - 1,
     "AUTH AUTH|\\r\\n\\0\n"},
    {"bad arguments",
     "REPLCONF listening-port x\r\nREPLCONF ACK -5\r\nPSYNC ? x\r\n"
     "PSYNC short 5\r\nAUTH\r\nREPLCONF\r\n"
     "PSYNC 0123456789ABCDEF0123456789abcdef01234567 9\r\n",
     0,
     "BADARGS REPLCONF|listening-port|x\n"
     "BADARGS REPLCONF|ACK|-5\n"
     "BADARGS PSYNC|?|x\n"
     "PSYNC PSYNC|short|5 replid=? offset=5\n"
     "BADARGS AUTH\n"
     "BADARGS REPLCONF\n"
     "PSYNC PSYNC|0123456789ABCDEF0123456789abcdef01234567|9 replid=? "
     "offset=9\n"},
    {"bad multibulk length", "PING\r\n*x\r\n", 0, "PING PING\nEPROTO\n"},
    {"too many arguments", "*33\r\n", 0, "EPROTO\n"},
    {"bulk too long", "*1\r\n$65537\r\n", 0, "EPROTO\n"},
    {"missing $", "*1\r\n+OK\r\n", 0, "EPROTO\n"},
    {"bulk without CRLF", "*1\r\n$4\r\nPINGxx", 0, "EPROTO\n"},
    {"bare LF after the count", "*1\n$4\r\nPING\r\n", 0, "EPROTO\n"},
};

static void test_cases(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const tcase_t *tc = &cases[i];
        size_t len = tc->len ? tc->len : strlen(tc->in);
        char *whole = run(tc->in, len, 0, 0);
        if (strcmp(whole, tc->want) != 0) {
            fail_msg("case '%s' fed whole:\n%s\nwant:\n%s", tc->name, whole,
                     tc->want);
        }
        char *bytes = run(tc->in, len, 1, 0);
        if (strcmp(bytes, tc->want) != 0) {
            fail_msg("case '%s' byte by byte:\n%s\nwant:\n%s", tc->name,
                     bytes, tc->want);
        }
        for (size_t s = 1; s < len; s++) {
            char *split = run(tc->in, len, 0, s);
            if (strcmp(split, tc->want) != 0) {
                fail_msg("case '%s' split at %zu:\n%s\nwant:\n%s", tc->name,
                         s, split, tc->want);
            }
            free(split);
        }
        free(whole);
        free(bytes);
    }
}

/* An inline line longer than the limit is refused before it ends. */
static void test_inline_limit(void **state) {
    (void)state;
    size_t n = CONS_PROTO_MAX_INLINE + 2;
    char *big = malloc(n);
    memset(big, 'a', n);
    cons_proto_t *cp = cons_proto_new();
    cons_cmd_t cmd;
    cons_proto_feed(cp, big, n);
    assert_int_equal(cons_proto_next(cp, &cmd), RKB_EPROTO);
    cons_proto_destroy(cp);
    free(big);
}

/* argv stays valid until the next call even when more bytes arrive. */
static void test_pending(void **state) {
    (void)state;
    cons_proto_t *cp = cons_proto_new();
    cons_cmd_t cmd;
    cons_proto_feed(cp, "PING\r\nROLE\r\nIN", 14);
    assert_int_equal(cons_proto_next(cp, &cmd), RKB_OK);
    assert_int_equal(cmd.type, CONS_CMD_PING);
    assert_int_equal(cons_proto_pending(cp), 8);
    assert_int_equal(cons_proto_next(cp, &cmd), RKB_OK);
    assert_int_equal(cmd.type, CONS_CMD_ROLE);
    assert_int_equal(cons_proto_next(cp, &cmd), RKB_EAGAIN);
    assert_int_equal(cons_proto_pending(cp), 2);
    cons_proto_feed(cp, "FO\r\n", 4);
    assert_int_equal(cons_proto_next(cp, &cmd), RKB_OK);
    assert_int_equal(cmd.type, CONS_CMD_INFO);
    assert_int_equal(cons_proto_pending(cp), 0);
    cons_proto_destroy(cp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_inline_limit),
        cmocka_unit_test(test_pending),
    };
    return cmocka_run_group_tests_name("cons_proto", tests, NULL, NULL);
}
