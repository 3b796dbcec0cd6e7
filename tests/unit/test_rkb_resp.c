/* test_rkb_resp.c -- the RESP encoder of bridge/rkb_resp and the INFO
 * helpers of bridge/rkb_redis (no server needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rkb_buf.h"
#include "rkb_redis.h"
#include "rkb_resp.h"

static void assert_buf(const rkb_buf_t *b, const char *want, size_t len) {
    assert_int_equal(b->len, len);
    assert_memory_equal(b->data, want, len);
}

/* Headers against printf's digits, at the edges of their widths. */
static void test_headers(void **state) {
    static const size_t ns[] = {0, 1, 9, 10, 99, 100, 65535, 4294967296ULL,
                                SIZE_MAX};
    (void)state;
    for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
        rkb_buf_t b = RKB_BUF_INIT;
        char want[64];
        int n = snprintf(want, sizeof(want), "*%zu\r\n$%zu\r\n", ns[i], ns[i]);
        rkb_resp_append_array(&b, ns[i]);
        rkb_resp_append_bulk_header(&b, ns[i]);
        assert_buf(&b, want, (size_t)n);
        rkb_buf_free(&b);
    }
}

/* A command parses back to its arguments, binary bytes included. */
static void test_command_round_trip(void **state) {
    const char *argv[3] = {"SET", "k\r\n\0x", ""};
    const size_t lens[3] = {3, 5, 0};
    rkb_buf_t b = RKB_BUF_INIT;
    rkb_resp_arg_t args[4];
    size_t argc;
    (void)state;
    rkb_resp_append_command(&b, 3, argv, lens);
    assert_buf(&b, "*3\r\n$3\r\nSET\r\n$5\r\nk\r\n\0x\r\n$0\r\n\r\n", 30);
    assert_int_equal(rkb_resp_parse_command(b.data, b.len, args, 4, &argc),
                     (long)b.len);
    assert_int_equal(argc, 3);
    assert_int_equal(args[1].len, 5);
    assert_memory_equal(args[1].p, "k\r\n\0x", 5);
    rkb_buf_clear(&b);
    const char *cs[2] = {"PING", "x"};
    rkb_resp_append_command(&b, 2, cs, NULL);
    assert_buf(&b, "*2\r\n$4\r\nPING\r\n$1\r\nx\r\n", 21);
    rkb_buf_free(&b);
}

static int collect(void *arg, long db, long long keys) {
    long long *out = arg;
    out[db] = keys;
    return db == 9 ? 7 : 0;
}

static void test_info(void **state) {
    const char *info = "# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n"
                       "db5:keys=0,expires=0\r\nxdb6:keys=1\r\n"
                       "db9:keys=2\r\ndb10:keys=4\r\n";
    long long keys[16];
    char v[32];
    (void)state;
    memset(keys, -1, sizeof(keys));
    /* stops where fn says so, with its value */
    assert_int_equal(rkb_redis_keyspace(info, collect, keys), 7);
    assert_int_equal(keys[0], 3);
    assert_int_equal(keys[5], 0);
    assert_int_equal(keys[6], -1); /* not at a line start */
    assert_int_equal(keys[9], 2);
    assert_int_equal(keys[10], -1);

    const char *server = "# Server\r\nredis_version:7.0.15\r\nrole:master\r\n"
                         "xrole:replica\r\n";
    assert_string_equal(rkb_redis_info_field(server, "redis_version", v,
                                             sizeof(v)),
                        "7.0.15");
    assert_string_equal(rkb_redis_info_field(server, "role", v, sizeof(v)),
                        "master");
    assert_string_equal(rkb_redis_info_field(server, "rol", v, sizeof(v)), "");
    assert_string_equal(rkb_redis_info_field(server, "nope", v, sizeof(v)),
                        "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_command_round_trip),
        cmocka_unit_test(test_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
