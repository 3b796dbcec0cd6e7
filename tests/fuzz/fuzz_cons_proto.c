#define _POSIX_C_SOURCE 200809L
/* fuzz_cons_proto.c -- libFuzzer target for the relay's parser of what
 * replicas send (consumer/cons_proto).
 *
 * Beyond "does not crash or read out of bounds", it checks that the cut
 * does not matter: the input fed whole and fed byte by byte give the same
 * commands (type, arguments) and the same end (more input needed, or a
 * protocol error), as a replica's bytes arrive in any number of reads.
 *
 * Build with clang -fsanitize=fuzzer,address,undefined. Built with
 * tests/fuzz/replay_main.c instead, it replays a corpus without libFuzzer
 * (e.g. under gcc). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cons_proto.h"
#include "rkb_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Appends a description of every command parsed so far; returns the last
 * status (RKB_EAGAIN or RKB_EPROTO). */
static rkb_err_t drain(cons_proto_t *cp, rkb_buf_t *out) {
    cons_cmd_t cmd;
    rkb_err_t err;
    while ((err = cons_proto_next(cp, &cmd)) == RKB_OK) {
        char head[64];
        if (cmd.argc > CONS_PROTO_MAX_ARGS) {
            abort();
        }
        snprintf(head, sizeof(head), "%d:%zu:", (int)cmd.type, cmd.argc);
        rkb_buf_append(out, head, strlen(head));
        for (size_t i = 0; i < cmd.argc; i++) {
            if (cmd.argv[i].len > CONS_PROTO_MAX_BULK) {
                abort();
            }
            snprintf(head, sizeof(head), "%zu:", cmd.argv[i].len);
            rkb_buf_append(out, head, strlen(head));
            rkb_buf_append(out, cmd.argv[i].p, cmd.argv[i].len);
        }
    }
    return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rkb_buf_t whole = RKB_BUF_INIT, bytes = RKB_BUF_INIT;
    cons_proto_t *a = cons_proto_new(), *b = cons_proto_new();
    rkb_err_t ea, eb = RKB_EAGAIN;

    cons_proto_feed(a, (const char *)data, size);
    ea = drain(a, &whole);
    for (size_t i = 0; i < size && eb != RKB_EPROTO; i++) {
        cons_proto_feed(b, (const char *)data + i, 1);
        eb = drain(b, &bytes);
    }
    if (ea != eb || whole.len != bytes.len ||
        (whole.len && memcmp(whole.data, bytes.data, whole.len) != 0)) {
        abort();
    }
    if (ea != RKB_EAGAIN && ea != RKB_EPROTO) {
        abort();
    }
    if (ea == RKB_EPROTO && cons_proto_errstr(a)[0] == '\0') {
        abort();
    }
    rkb_buf_free(&whole);
    rkb_buf_free(&bytes);
    cons_proto_destroy(a);
    cons_proto_destroy(b);
    return 0;
}
