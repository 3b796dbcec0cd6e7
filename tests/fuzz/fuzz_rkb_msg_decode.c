#define _POSIX_C_SOURCE 200809L
/* fuzz_rkb_msg_decode.c -- libFuzzer target for rkb_msg_decode().
 *
 * Beyond "does not crash or read out of bounds", it checks the codec's
 * central promise: whatever the decoder accepts re-encodes to exactly the
 * bytes it was given. A record format where two byte strings decode to the
 * same record would let a reader and a checker disagree about what was
 * journaled.
 *
 * Build with clang -fsanitize=fuzzer,address,undefined. Built with
 * tests/fuzz/replay_main.c instead, it replays a corpus without libFuzzer
 * (e.g. under gcc). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rkb_msg_t m;
    char err[256];
    char *out;
    size_t n;

    if (rkb_msg_decode((const char *)data, size, &m, err, sizeof(err)) !=
        RKB_MSG_OK) {
        /* A reason is always given, on one line. */
        if (err[0] == '\0' || strchr(err, '\n') != NULL) {
            abort();
        }
        return 0;
    }
    n = rkb_msg_encoded_size(&m);
    if (n != size) {
        abort();
    }
    out = malloc(n);
    if (out == NULL) {
        abort();
    }
    if (rkb_msg_encode(&m, out) != n || memcmp(out, data, n) != 0) {
        abort();
    }
    free(out);
    return 0;
}
