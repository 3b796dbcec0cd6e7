/* test_rkb_conf.c -- the configuration engine (on a test table covering
 * every type) and the producer's table and cross-field checks.
 *
 * Error texts are compared exactly: they are the user interface of -t. */
#include "rkb_fmacros.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rkb_buf.h"
#include "rkb_conf.h"
#include "rkb_mem.h"
#include "prod_conf.h"

/* ------------------------------------------------------------------------
 * A table with every type
 * ------------------------------------------------------------------------ */

typedef struct tcfg_s {
    char *mode;
    long long port;
    int flag;
    char *host;
    char *secret;
    char *req;
    long long even;
    rkb_conf_strlist_t items;
    char *listen;
    char *brokers;
    long long big;
    char *deep;
} tcfg_t;

static const char *const modes[] = {"relay", "apply", NULL};

static int check_even(const rkb_conf_value_t *v, char *err, size_t errsz) {
    if (v->num % 2 != 0) {
        snprintf(err, errsz, "%lld is odd", v->num);
        return -1;
    }
    return 0;
}

static int check_kv(const rkb_conf_value_t *v, char *err, size_t errsz) {
    if (strchr(v->str, '=') == NULL) {
        snprintf(err, errsz, "expected name=value");
        return -1;
    }
    return 0;
}

static int check_len3(const rkb_conf_value_t *v, char *err, size_t errsz) {
    if (strlen(v->str) < 3) {
        snprintf(err, errsz, "too short");
        return -1;
    }
    return 0;
}

#define TOFF(f) offsetof(tcfg_t, f)

/* clang-format off */
static const rkb_conf_entry_t ttable[] = {
    {.key = "mode", .type = RKB_CONF_ENUM, .def_str = "relay",
     .values = modes, .offset = TOFF(mode), .doc = "Mode."},
    {.key = "srv.port", .type = RKB_CONF_INT, .def_int = 6379, .min = 1,
     .max = 65535, .offset = TOFF(port), .doc = "Port."},
    {.key = "srv.flag", .type = RKB_CONF_BOOL, .def_int = 1,
     .offset = TOFF(flag), .doc = "A flag."},
    {.key = "srv.host", .type = RKB_CONF_STRING, .def_str = "localhost",
     .offset = TOFF(host), .doc = "Host | name."},
    {.key = "srv.secret", .type = RKB_CONF_STRING, .flags = RKB_CONF_SECRET,
     .check = check_len3, .offset = TOFF(secret), .doc = "Secret."},
    {.key = "srv.req", .type = RKB_CONF_STRING, .flags = RKB_CONF_REQUIRED,
     .offset = TOFF(req), .doc = "Required."},
    {.key = "srv.even", .type = RKB_CONF_INT, .def_int = 2, .min = -100,
     .max = 100, .check = check_even, .offset = TOFF(even), .doc = "Even."},
    {.key = "list.items", .type = RKB_CONF_STRLIST, .check = check_kv,
     .offset = TOFF(items), .doc = "Items."},
    {.key = "net.listen", .type = RKB_CONF_HOSTPORT, .offset = TOFF(listen),
     .doc = "Listen."},
    {.key = "net.brokers", .type = RKB_CONF_BROKERS,
     .offset = TOFF(brokers), .doc = "Brokers."},
    {.key = "size.big", .type = RKB_CONF_INT, .min = 0, .max = INT64_MAX,
     .offset = TOFF(big), .doc = "Big."},
    {.key = "a.b.c", .type = RKB_CONF_STRING, .offset = TOFF(deep),
     .def_doc = "computed", .doc = "Deep."},
    {.key = NULL},
};
/* clang-format on */

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

typedef struct fixture_s {
    tcfg_t t;
    prod_conf_t p;
    rkb_conf_errors_t errs;
    char dir[64];
    char path[128];
} fixture_t;

static int setup(void **state) {
    fixture_t *f = rkb_calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/test_rkb_conf.XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    char cmd[128];
    rkb_conf_free(ttable, &f->t);
    prod_conf_free(&f->p);
    rkb_conf_errors_free(&f->errs);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) {
        return -1;
    }
    free(f);
    return 0;
}

/* Writes a file in the test's directory; returns its path (borrowed). */
static const char *write_file(fixture_t *f, const char *name, const char *text,
                              size_t len) {
    snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, name);
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return f->path;
}

static void print_errors(const rkb_conf_errors_t *errs) {
    for (size_t i = 0; i < errs->n; i++) {
        print_message("  error[%zu]: %s\n", i, errs->v[i]);
    }
}

static void expect_errors(const rkb_conf_errors_t *errs,
                          const char *const *want, size_t n) {
    if (errs->n != n) {
        print_errors(errs);
    }
    assert_int_equal(errs->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(errs->v[i], want[i]);
    }
}

#define EXPECT_ERRORS(errs, ...)                                               \
    do {                                                                       \
        const char *const want_[] = {__VA_ARGS__};                             \
        expect_errors((errs), want_, sizeof(want_) / sizeof(want_[0]));        \
    } while (0)

#define EXPECT_NO_ERRORS(errs)                                                 \
    do {                                                                       \
        if ((errs)->n != 0) {                                                  \
            print_errors(errs);                                                \
        }                                                                      \
        assert_int_equal((errs)->n, 0);                                        \
    } while (0)

#define NOVR(a) (sizeof(a) / sizeof((a)[0]))

/* Loads text into f->t with overrides; a fresh load every time. */
static int tload(fixture_t *f, const char *text, const char *const *ovr,
                 size_t n) {
    rkb_conf_free(ttable, &f->t);
    rkb_conf_errors_free(&f->errs);
    return rkb_conf_load_string(ttable, &f->t, text, ovr, n, NULL, &f->errs);
}

static const char *const REQ[] = {"srv.req=r"};

static int pload(fixture_t *f, const char *text, const char *const *ovr,
                 size_t n) {
    prod_conf_free(&f->p);
    rkb_conf_errors_free(&f->errs);
    return prod_conf_load_string(&f->p, text, ovr, n, &f->errs);
}

/* Captures what fn writes to a FILE; caller frees. */
static char *capture(void (*fn)(const void *arg, FILE *fp), const void *arg) {
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    fn(arg, fp);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

static void tdump(const void *arg, FILE *fp) {
    rkb_conf_dump(ttable, arg, fp);
}

static void pdump(const void *arg, FILE *fp) {
    prod_conf_dump(arg, fp);
}

static void tdoc(const void *arg, FILE *fp) {
    (void)arg;
    rkb_conf_doc(ttable, fp);
}

static void pdoc(const void *arg, FILE *fp) {
    (void)arg;
    prod_conf_doc(fp);
}

/* ------------------------------------------------------------------------
 * Engine: values and defaults
 * ------------------------------------------------------------------------ */

static void test_defaults(void **state) {
    fixture_t *f = *state;
    assert_int_equal(tload(f, "", REQ, 1), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->t.mode, "relay");
    assert_int_equal(f->t.port, 6379);
    assert_int_equal(f->t.flag, 1);
    assert_string_equal(f->t.host, "localhost");
    assert_null(f->t.secret);
    assert_string_equal(f->t.req, "r");
    assert_int_equal(f->t.even, 2);
    assert_int_equal(f->t.items.n, 0);
    assert_null(f->t.items.v);
    assert_null(f->t.listen);
    assert_null(f->t.brokers);
    assert_int_equal(f->t.big, 0);
    assert_null(f->t.deep);
}

static void test_all_types_from_string(void **state) {
    fixture_t *f = *state;
    const char *text =
        "mode = \"apply\";\n"
        "srv = {\n"
        "  port = 6380;\n"
        "  flag = false;\n"
        "  host = \"h\\\"1\";\n"
        "  secret = \"s3cret\";\n"
        "  req = \"x\";\n"
        "  even = -4;\n"
        "};\n"
        "list = { items = ( \"a=1\", \"b=2\" ); };\n"
        "net = { listen = \"[::1]:9121\";\n"
        "        brokers = \"k1:9092, k2.example.com:9093\"; };\n"
        "size = { big = 5000000000L; };\n"
        "a = { b = { c = \"deep\"; }; };\n";
    assert_int_equal(tload(f, text, NULL, 0), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->t.mode, "apply");
    assert_int_equal(f->t.port, 6380);
    assert_int_equal(f->t.flag, 0);
    assert_string_equal(f->t.host, "h\"1");
    assert_string_equal(f->t.secret, "s3cret");
    assert_string_equal(f->t.req, "x");
    assert_int_equal(f->t.even, -4);
    assert_int_equal(f->t.items.n, 2);
    assert_string_equal(f->t.items.v[0], "a=1");
    assert_string_equal(f->t.items.v[1], "b=2");
    assert_string_equal(f->t.items.origin[0], "<string>:10");
    assert_string_equal(f->t.items.origin[1], "<string>:10");
    assert_string_equal(f->t.listen, "[::1]:9121");
    assert_string_equal(f->t.brokers, "k1:9092, k2.example.com:9093");
    assert_int_equal(f->t.big, 5000000000LL);
    assert_string_equal(f->t.deep, "deep");
}

static void test_from_file(void **state) {
    fixture_t *f = *state;
    const char *text = "# a comment\n"
                       "srv = {\n"
                       "  req = \"r\";\n"
                       "  port = 70000;\n"
                       "};\n"
                       "list = {\n"
                       "  items = (\n"
                       "    \"a=1\",\n"
                       "    \"b=2\"\n"
                       "  );\n"
                       "};\n";
    const char *path = write_file(f, "t.conf", text, strlen(text));
    char want[256];
    rkb_conf_free(ttable, &f->t);
    assert_int_equal(
        rkb_conf_load(ttable, &f->t, path, NULL, 0, NULL, &f->errs), -1);
    snprintf(want, sizeof(want),
             "%s:4: srv.port: 70000 is outside allowed range 1..65535", path);
    EXPECT_ERRORS(&f->errs, want);
    /* the list's last element: libconfig says line 10, it is on line 9 */
    assert_int_equal(f->t.items.n, 2);
    snprintf(want, sizeof(want), "%s:8", path);
    assert_string_equal(f->t.items.origin[0], want);
    snprintf(want, sizeof(want), "%s:9", path);
    assert_string_equal(f->t.items.origin[1], want);
}

static void test_no_file_is_empty(void **state) {
    fixture_t *f = *state;
    rkb_conf_free(ttable, &f->t);
    assert_int_equal(rkb_conf_load(ttable, &f->t, NULL, REQ, 1, NULL, &f->errs),
                     0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->t.req, "r");
    assert_int_equal(f->t.port, 6379);
}

/* ------------------------------------------------------------------------
 * Engine: each kind of error with its exact text
 * ------------------------------------------------------------------------ */

static void test_syntax_error(void **state) {
    fixture_t *f = *state;
    char want[256];
    assert_int_equal(tload(f, "srv = {\n  port = ;\n};\n", NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:2: syntax error");

    const char *text = "a = 1;\na = 2;\n";
    const char *path = write_file(f, "dup.conf", text, strlen(text));
    rkb_conf_free(ttable, &f->t);
    rkb_conf_errors_free(&f->errs);
    assert_int_equal(
        rkb_conf_load(ttable, &f->t, path, NULL, 0, NULL, &f->errs), -1);
    snprintf(want, sizeof(want), "%s:2: duplicate setting name", path);
    EXPECT_ERRORS(&f->errs, want);
}

static void test_syntax_error_and_bad_override(void **state) {
    fixture_t *f = *state;
    const char *const ovr[] = {"srv.port=abc", "srv.port=0", "nope=1"};
    /* the file is unusable, the overrides are still checked; no
     * "required key is missing" noise */
    assert_int_equal(tload(f, "srv = {", ovr, NOVR(ovr)), -1);
    EXPECT_ERRORS(&f->errs, "<string>:1: syntax error",
                  "-o srv.port=abc: srv.port: expected an integer",
                  "-o nope=1: nope: unknown key",
                  "-o srv.port=0: srv.port: 0 is outside allowed range "
                  "1..65535");
}

static void test_unreadable_file(void **state) {
    fixture_t *f = *state;
    char path[160], want[256];
    snprintf(path, sizeof(path), "%s/missing.conf", f->dir);
    assert_int_equal(rkb_conf_load(ttable, &f->t, path, REQ, 1, NULL, &f->errs),
                     -1);
    snprintf(want, sizeof(want),
             "%s: cannot read config file: No such file or directory", path);
    EXPECT_ERRORS(&f->errs, want);

    rkb_conf_free(ttable, &f->t);
    rkb_conf_errors_free(&f->errs);
    assert_int_equal(
        rkb_conf_load(ttable, &f->t, f->dir, REQ, 1, NULL, &f->errs), -1);
    snprintf(want, sizeof(want), "%s: cannot read config file: is a directory",
             f->dir);
    EXPECT_ERRORS(&f->errs, want);
}

static void test_unknown_keys(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = {\n"
                       "  req = \"r\";\n"
                       "  hots = \"x\";\n" /* typo */
                       "  whatever = 1;\n" /* nothing close */
                       "};\n"
                       "sr = { port = 1; };\n" /* unknown group */
                       "port = 5;\n"           /* same leaf as srv.port */
                       "moda = \"relay\";\n"   /* top-level typo */
                       "a = { b = { d = 1; }; };\n";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs,
                  "<string>:3: srv.hots: unknown key (did you mean "
                  "srv.host?)",
                  "<string>:4: srv.whatever: unknown key",
                  "<string>:6: sr: unknown key (did you mean srv?)",
                  "<string>:7: port: unknown key (did you mean srv.port?)",
                  "<string>:8: moda: unknown key (did you mean mode?)",
                  "<string>:9: a.b.d: unknown key (did you mean a.b.c?)");
}

static void test_wrong_types(void **state) {
    fixture_t *f = *state;
    const char *text = "mode = 1;\n"
                       "srv = {\n"
                       "  req = \"r\";\n"
                       "  port = \"6379\";\n"
                       "  flag = 1;\n"
                       "  host = true;\n"
                       "  even = 2.0;\n"
                       "};\n"
                       "list = { items = \"a=1\"; };\n"
                       "net = ( 1 );\n"
                       "size = { big = [ 1 ]; };\n"
                       "a = { b = { c = { }; }; };\n";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs,
                  "<string>:1: mode: expected a string, got an integer",
                  "<string>:4: srv.port: expected an integer, got a string",
                  "<string>:5: srv.flag: expected a boolean (true or "
                  "false), got an integer",
                  "<string>:6: srv.host: expected a string, got a boolean",
                  "<string>:7: srv.even: expected an integer, got a float",
                  "<string>:9: list.items: expected a list of strings, got "
                  "a string",
                  "<string>:10: net: expected a group, got a list",
                  "<string>:11: size.big: expected an integer, got an array",
                  "<string>:12: a.b.c: expected a string, got a group");
    /* rejected values keep their defaults */
    assert_int_equal(f->t.port, 6379);
    assert_string_equal(f->t.host, "localhost");
}

static void test_range(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = {\n"
                       "  req = \"r\";\n"
                       "  port = 0;\n"
                       "  even = -102;\n"
                       "};\n"
                       "size = { big = -1; };\n";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs,
                  "<string>:3: srv.port: 0 is outside allowed range 1..65535",
                  "<string>:4: srv.even: -102 is outside allowed range "
                  "-100..100",
                  "<string>:6: size.big: -1 is outside allowed range "
                  "0..9223372036854775807");
}

/* libconfig 1.5 truncates "5000000000" to 705032704, which is in range;
 * we read the literal and report what the user wrote. */
static void test_big_int_literals(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = {\n"
                       "  req = \"r\"; port = 4294973675;\n" /* 2^32+6379 */
                       "  even =\n"
                       "    99999999999999999999;\n"
                       "};\n"
                       "size = { big = 5000000000; };\n"
                       "# port = 1\n";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs,
                  "<string>:2: srv.port: 4294973675 is outside allowed "
                  "range 1..65535",
                  "<string>:3: srv.even: 99999999999999999999 is outside "
                  "allowed range -100..100");
    assert_int_equal(f->t.big, 5000000000LL);

    /* 0x100001F8B is 2^32 + 8075: truncated, it would pass */
    assert_int_equal(
        tload(f, "srv = { req = \"r\"; port = 0x100001F8B; };", NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:1: srv.port: 4294975371 is outside "
                            "allowed range 1..65535");

    assert_int_equal(tload(f, "size = { big = 0xFFFFFFFFF; };", REQ, 1), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_int_equal(f->t.big, 0xFFFFFFFFFLL);
}

static void test_builtin_checks(void **state) {
    fixture_t *f = *state;
    static const char *const good_hp[] = {"h:1", "1.2.3.4:65535", "[::1]:80",
                                          "a-b_c.example:9092", "[fe80::1]:1"};
    static const struct {
        const char *v, *why;
    } bad_hp[] = {
        {"h", "no port"},
        {"h:", "empty port"},
        {":80", "empty host"},
        {"h:0", "port is outside allowed range 1..65535"},
        {"h:65536", "port is outside allowed range 1..65535"},
        {"h:99999999999999999999", "port is outside allowed range 1..65535"},
        {"h:8x", "port is not a number"},
        {"h:-1", "port is not a number"},
        {"::1:80", "an IPv6 address must be written [addr]:port"},
        {"[::1]", "no port"},
        {"[::1:80", "no closing ']'"},
        {"[zz]:80", "invalid IPv6 address"},
        {"a b:1", "invalid character in host"},
    };
    char ovr[128], want[256];
    const char *ovrs[2] = {"srv.req=r", ovr};

    for (size_t i = 0; i < NOVR(good_hp); i++) {
        snprintf(ovr, sizeof(ovr), "net.listen=%s", good_hp[i]);
        assert_int_equal(tload(f, "", ovrs, 2), 0);
        assert_string_equal(f->t.listen, good_hp[i]);
    }
    for (size_t i = 0; i < NOVR(bad_hp); i++) {
        snprintf(ovr, sizeof(ovr), "net.listen=%s", bad_hp[i].v);
        assert_int_equal(tload(f, "", ovrs, 2), -1);
        snprintf(want, sizeof(want),
                 "-o net.listen=%s: net.listen: \"%s\" is not host:port: %s",
                 bad_hp[i].v, bad_hp[i].v, bad_hp[i].why);
        EXPECT_ERRORS(&f->errs, want);
        assert_null(f->t.listen);
    }

    snprintf(ovr, sizeof(ovr), "net.brokers=a:1,b:2, c:3 ");
    assert_int_equal(tload(f, "", ovrs, 2), 0);
    const char *text = "srv = { req = \"r\"; };\n"
                       "net = {\n"
                       "  brokers = \"a:1,,b:2\";\n"
                       "};\n";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:3: net.brokers: \"a:1,,b:2\" is not "
                            "host:port[,host:port...]: \"\": empty");
    text = "srv = { req = \"r\"; }; net = { brokers = \"a:1,b\"; };";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:1: net.brokers: \"a:1,b\" is not "
                            "host:port[,host:port...]: \"b\": no port");
    text = "srv = { req = \"r\"; }; net = { brokers = \"a:1,\"; };";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:1: net.brokers: \"a:1,\" is not "
                            "host:port[,host:port...]: \"\": empty");

    text = "mode = \"Relay\"; srv = { req = \"r\"; };";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs,
                  "<string>:1: mode: \"Relay\" is not one of: relay, apply");
}

static void test_validators(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = {\n"
                       "  req = \"r\";\n"
                       "  even = 3;\n"
                       "};\n"
                       "list = {\n"
                       "  items = ( \"a=1\"\n"
                       "          , \"nope\"\n"
                       "          , 7\n"
                       "          , \"\"\n"
                       "\n"
                       "          # the end\n"
                       "  );\n"
                       "};\n";
    assert_int_equal(tload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:3: srv.even: 3 is odd",
                  "<string>:7: list.items: expected name=value",
                  "<string>:8: list.items: element 3: expected a string, "
                  "got an integer",
                  "<string>:9: list.items: element 4: must not be empty");
    assert_int_equal(f->t.items.n, 0);
    assert_int_equal(f->t.even, 2);
}

static void test_required(void **state) {
    fixture_t *f = *state;
    char want[256];
    /* the group is there: its line */
    assert_int_equal(tload(f, "\nsrv = {\n  port = 1;\n};\n", NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:2: srv.req: required key is missing");
    /* no group: just the file */
    assert_int_equal(tload(f, "mode = \"apply\";\n", NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>: srv.req: required key is missing");
    /* the group is not a group: that is the one error */
    assert_int_equal(tload(f, "srv = 5;\n", NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:1: srv: expected a group, got an "
                            "integer");
    /* empty is not set */
    assert_int_equal(tload(f, "srv = { req = \"\"; };\n", NULL, 0), -1);
    EXPECT_ERRORS(&f->errs, "<string>:1: srv.req: must not be empty");
    /* no file */
    rkb_conf_free(ttable, &f->t);
    rkb_conf_errors_free(&f->errs);
    assert_int_equal(
        rkb_conf_load(ttable, &f->t, NULL, NULL, 0, NULL, &f->errs), -1);
    EXPECT_ERRORS(&f->errs,
                  "<no config file>: srv.req: required key is missing");
    /* a file without the group */
    const char *path = write_file(f, "e.conf", "", 0);
    rkb_conf_free(ttable, &f->t);
    rkb_conf_errors_free(&f->errs);
    assert_int_equal(
        rkb_conf_load(ttable, &f->t, path, NULL, 0, NULL, &f->errs), -1);
    snprintf(want, sizeof(want), "%s: srv.req: required key is missing", path);
    EXPECT_ERRORS(&f->errs, want);
}

static void test_all_errors_at_once(void **state) {
    fixture_t *f = *state;
    const char *text = "mode = \"x\";\n"
                       "srv = {\n"
                       "  port = 0;\n"
                       "  flag = \"yes\";\n"
                       "  hots = \"h\";\n"
                       "};\n"
                       "net = { listen = \"nohost\"; };\n";
    const char *const ovr[] = {"srv.even=1", "srv.bogus=2"};
    assert_int_equal(tload(f, text, ovr, NOVR(ovr)), -1);
    EXPECT_ERRORS(&f->errs, "-o srv.bogus=2: srv.bogus: unknown key",
                  "<string>:1: mode: \"x\" is not one of: relay, apply",
                  "<string>:3: srv.port: 0 is outside allowed range 1..65535",
                  "<string>:4: srv.flag: expected a boolean (true or false), "
                  "got a string",
                  "<string>:5: srv.hots: unknown key (did you mean "
                  "srv.host?)",
                  "-o srv.even=1: srv.even: 1 is odd",
                  "<string>:7: net.listen: \"nohost\" is not host:port: no "
                  "port",
                  "<string>:2: srv.req: required key is missing");
}

/* ------------------------------------------------------------------------
 * Engine: overrides
 * ------------------------------------------------------------------------ */

static void test_overrides_each_type(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = {\n"
                       "  port = \"not a number\";\n" /* replaced by -o */
                       "  host = \"file\";\n"
                       "};\n"
                       "list = { items = ( \"f=1\" ); };\n";
    const char *const ovr[] = {
        "mode=apply",         "srv.port=6380",       "srv.flag=off",
        "srv.host=cli",       "srv.req=r",           "srv.even=-0x10",
        "list.items=o=2",     "list.items=o=3",      "net.listen=0.0.0.0:9121",
        "net.brokers=k:9092", "size.big=5000000000", "a.b.c=made",
        "srv.port=6381",
    };
    assert_int_equal(tload(f, text, ovr, NOVR(ovr)), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->t.mode, "apply");
    assert_int_equal(f->t.port, 6381); /* the last one wins */
    assert_int_equal(f->t.flag, 0);
    assert_string_equal(f->t.host, "cli");
    assert_int_equal(f->t.even, -16);
    assert_int_equal(f->t.items.n, 3);
    assert_string_equal(f->t.items.v[0], "f=1");
    assert_string_equal(f->t.items.origin[0], "<string>:5");
    assert_string_equal(f->t.items.v[1], "o=2");
    assert_string_equal(f->t.items.origin[1], "-o list.items=o=2");
    assert_string_equal(f->t.items.v[2], "o=3");
    assert_string_equal(f->t.items.origin[2], "-o list.items=o=3");
    assert_string_equal(f->t.listen, "0.0.0.0:9121");
    assert_string_equal(f->t.brokers, "k:9092");
    assert_int_equal(f->t.big, 5000000000LL);
    assert_string_equal(f->t.deep, "made");

    static const struct {
        const char *v;
        int b;
    } bools[] = {{"true", 1}, {"FALSE", 0}, {"yes", 1}, {"no", 0},
                 {"on", 1},   {"Off", 0},   {"1", 1},   {"0", 0}};
    for (size_t i = 0; i < NOVR(bools); i++) {
        char o[64];
        const char *ovrs[2] = {"srv.req=r", o};
        snprintf(o, sizeof(o), "srv.flag=%s", bools[i].v);
        assert_int_equal(tload(f, "srv = { flag = true; };", ovrs, 2), 0);
        assert_int_equal(f->t.flag, bools[i].b);
    }
}

static void test_override_errors(void **state) {
    fixture_t *f = *state;
    const char *const ovr[] = {
        "srv.req=r",
        "srv.port=abc",
        "srv.port=",
        "srv.port=1.5",
        "srv.port= 1",
        "srv.port=70000",
        "srv.flag=maybe",
        "srv.hots=x",
        "nokey",
        "=x",
        "mode=bogus",
        "list.items=",
        "srv.secret=ab",
        "srv.secert=hunter2",
        "db.password=hunter3",
        "size.big=99999999999999999999",
        "srv.host=a\nb",
        "srv=x",
    };
    assert_int_equal(tload(f, "", ovr, NOVR(ovr)), -1);
    /* first what -o alone shows, then the checks of the values it set */
    EXPECT_ERRORS(
        &f->errs, "-o srv.port=abc: srv.port: expected an integer",
        "-o srv.port=: srv.port: expected an integer",
        "-o srv.port=1.5: srv.port: expected an integer",
        "-o srv.port= 1: srv.port: expected an integer",
        "-o srv.flag=maybe: srv.flag: expected a boolean (true or false)",
        "-o srv.hots=x: srv.hots: unknown key (did you mean srv.host?)",
        "-o nokey: expected path=value", "-o =x: expected path=value",
        "-o srv.secert=(redacted): srv.secert: unknown key (did you mean "
        "srv.secret?)",
        "-o db.password=(redacted): db.password: unknown key",
        "-o size.big=99999999999999999999: size.big: 99999999999999999999 "
        "is outside allowed range 0..9223372036854775807",
        "-o srv=(redacted): srv: is a group, not a key",
        "-o srv.port=70000: srv.port: 70000 is outside allowed range "
        "1..65535",
        "-o srv.secret=(redacted): srv.secret: too short",
        "-o mode=bogus: mode: \"bogus\" is not one of: relay, apply",
        "-o list.items=: list.items: element 1: must not be empty");
    /* srv.host=a\nb is fine: strings may hold anything */
    assert_string_equal(f->t.host, "a\nb");
}

static void test_empty_override_unsets(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = { req = \"r\"; host = \"file\"; };\n"
                       "net = { listen = \"h:1\"; };\n";
    const char *const ovr[] = {"net.listen=", "srv.host="};
    assert_int_equal(tload(f, text, ovr, NOVR(ovr)), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_null(f->t.listen);
    assert_string_equal(f->t.host, "localhost");

    const char *const ovr2[] = {"srv.req="};
    assert_int_equal(tload(f, text, ovr2, 1), -1);
    EXPECT_ERRORS(&f->errs, "-o srv.req=: srv.req: must not be empty");
}

static void test_empty_file_plus_overrides(void **state) {
    fixture_t *f = *state;
    const char *path = write_file(f, "empty.conf", "", 0);
    rkb_conf_free(ttable, &f->t);
    assert_int_equal(rkb_conf_load(ttable, &f->t, path, REQ, 1, NULL, &f->errs),
                     0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->t.req, "r");
}

/* ------------------------------------------------------------------------
 * Engine: list element lines (libconfig 1.5 reports the next token's)
 * ------------------------------------------------------------------------ */

static void test_strlist_lines(void **state) {
    fixture_t *f = *state;
    const char *text = "list = {\n"                 /* 1 */
                       "  items = (\n"              /* 2 */
                       "    \"a=1\",\n"             /* 3 */
                       "    \"b=2\", \"c=3\",\n"    /* 4 */
                       "    \"d=4\"\n"              /* 5 */
                       "    // trailing comment\n"  /* 6 */
                       "\n"                         /* 7 */
                       "  );\n"                     /* 8 */
                       "  };\n"                     /* 9 */
                       "srv = { req = \"r\"; };\n"; /* 10 */
    static const char *const want[] = {"<string>:3", "<string>:4", "<string>:4",
                                       "<string>:5"};
    assert_int_equal(tload(f, text, NULL, 0), 0);
    assert_int_equal(f->t.items.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(f->t.items.origin[i], want[i]);
    }
    /* arrays too, and one-line lists */
    text = "list = { items = [ \"a=1\",\n \"b=2\"\n ]; };\n"
           "srv = { req = \"r\"; };\n";
    assert_int_equal(tload(f, text, NULL, 0), 0);
    assert_int_equal(f->t.items.n, 2);
    assert_string_equal(f->t.items.origin[0], "<string>:1");
    assert_string_equal(f->t.items.origin[1], "<string>:2");
}

/* ------------------------------------------------------------------------
 * Engine: post hook, secrets, dump, doc, table check
 * ------------------------------------------------------------------------ */

/* What the post hook saw, checked after the load. */
typedef struct probe_s {
    char *port, *host;
    int even_null, flag_null, unknown_null;
} probe_t;

static probe_t probe;

static void post_probe(rkb_conf_ctx_t *ctx, void *out) {
    tcfg_t *t = out;
    const char *o;
    probe.port = (o = rkb_conf_origin(ctx, "srv.port")) ? rkb_strdup(o) : 0;
    probe.host = (o = rkb_conf_origin(ctx, "srv.host")) ? rkb_strdup(o) : 0;
    probe.even_null = rkb_conf_origin(ctx, "srv.even") == NULL;
    probe.flag_null = rkb_conf_origin(ctx, "srv.flag") == NULL;
    probe.unknown_null = rkb_conf_origin(ctx, "no.such") == NULL;
    rkb_conf_error(ctx, "srv.port", "port %lld is taken", t->port);
    rkb_conf_error(ctx, "srv.flag", "flag problem");
    rkb_conf_error(ctx, NULL, "general problem");
}

static void test_post_hook(void **state) {
    fixture_t *f = *state;
    const char *text = "srv = {\n  req = \"r\";\n  port = 7;\n"
                       "  even = 3;\n};\n";
    const char *const ovr[] = {"srv.host=x"};
    rkb_conf_free(ttable, &f->t);
    assert_int_equal(
        rkb_conf_load_string(ttable, &f->t, text, ovr, 1, post_probe, &f->errs),
        -1);
    EXPECT_ERRORS(&f->errs, "<string>:4: srv.even: 3 is odd",
                  "<string>:3: srv.port: port 7 is taken",
                  "<string>: srv.flag: flag problem",
                  "<string>: general problem");
    assert_non_null(probe.port);
    assert_string_equal(probe.port, "<string>:3");
    assert_non_null(probe.host);
    assert_string_equal(probe.host, "-o srv.host=x");
    assert_true(probe.even_null); /* rejected */
    assert_true(probe.flag_null); /* default */
    assert_true(probe.unknown_null);
    free(probe.port);
    free(probe.host);
}

static void test_secrets_hidden(void **state) {
    fixture_t *f = *state;
    const char *text =
        "srv = {\n"
        "  req = \"r\";\n"
        "  secret = \"TOPSECRET1\";\n"
        "  secret_x = \"TOPSECRET2\";\n"
        "};\n"
        "list = { items = ( \"sasl.password=TOPSECRET3\",\n"
        "  \"ssl.key.pem=TOPSECRET4\", \"x.secret=TOPSECRET5\",\n"
        "  \"a=b\" ); };\n";
    const char *const ovr[] = {"srv.secret=TOPSECRET6", "srv.secrt=TOPSECRET7",
                               "srv.port=TOPSECRET8x"};
    assert_int_equal(tload(f, text, ovr, 3), -1);
    for (size_t i = 0; i < f->errs.n; i++) {
        if (strstr(f->errs.v[i], "TOPSECRET") != NULL &&
            strstr(f->errs.v[i], "TOPSECRET8") == NULL) {
            print_errors(&f->errs);
            fail_msg("secret in error: %s", f->errs.v[i]);
        }
    }
    const char *text2 = "srv = { req = \"r\"; secret = \"TOPSECRET1\"; };\n"
                        "list = { items = ( \"sasl.password=TOPSECRET3\",\n"
                        "  \"ssl.key.pem=TOPSECRET4\", \"a=b\" ); };\n";
    assert_int_equal(tload(f, text2, NULL, 0), 0);
    char *dump = capture(tdump, &f->t);
    assert_null(strstr(dump, "TOPSECRET"));
    assert_non_null(strstr(dump, "    secret = \"(redacted)\";\n"));
    assert_non_null(strstr(dump, "\"sasl.password=(redacted)\",\n"));
    assert_non_null(strstr(dump, "\"ssl.key.pem=(redacted)\",\n"));
    assert_non_null(strstr(dump, "\"a=b\"\n"));
    free(dump);
    /* the struct still has them: only output hides them */
    assert_string_equal(f->t.secret, "TOPSECRET1");

    assert_int_equal(rkb_conf_prop_is_secret("sasl.password", 13), 1);
    assert_int_equal(rkb_conf_prop_is_secret("ssl.keystore.password", 21), 1);
    assert_int_equal(
        rkb_conf_prop_is_secret("sasl.oauthbearer.client.secret", 30), 1);
    assert_int_equal(rkb_conf_prop_is_secret("ssl.key.pem", 11), 1);
    assert_int_equal(rkb_conf_prop_is_secret("linger.ms", 9), 0);
    assert_int_equal(rkb_conf_prop_is_secret("ssl.key.location", 16), 0);
}

static void test_dump(void **state) {
    fixture_t *f = *state;
    const char *const ovr[] = {"srv.req=r\"q", "list.items=k=v",
                               "size.big=5000000000", "srv.flag=no",
                               "net.listen=h:1"};
    assert_int_equal(tload(f, "", ovr, NOVR(ovr)), 0);
    char *dump = capture(tdump, &f->t);
    assert_string_equal(dump, "mode = \"relay\";\n"
                              "srv = {\n"
                              "    port = 6379;\n"
                              "    flag = false;\n"
                              "    host = \"localhost\";\n"
                              "    # secret is not set\n"
                              "    req = \"r\\\"q\";\n"
                              "    even = 2;\n"
                              "};\n"
                              "list = {\n"
                              "    items = (\n"
                              "        \"k=v\"\n"
                              "    );\n"
                              "};\n"
                              "net = {\n"
                              "    listen = \"h:1\";\n"
                              "    # brokers is not set\n"
                              "};\n"
                              "size = {\n"
                              "    big = 5000000000L;\n"
                              "};\n"
                              "a = {\n"
                              "    b = {\n"
                              "        # c is not set\n"
                              "    };\n"
                              "};\n");
    /* and it reads back to the same values */
    tcfg_t again;
    rkb_conf_errors_t errs = RKB_CONF_ERRORS_INIT;
    assert_int_equal(
        rkb_conf_load_string(ttable, &again, dump, NULL, 0, NULL, &errs), 0);
    char *dump2 = capture(tdump, &again);
    assert_string_equal(dump, dump2);
    free(dump2);
    free(dump);
    rkb_conf_free(ttable, &again);
    rkb_conf_errors_free(&errs);
}

static void test_doc(void **state) {
    (void)state;
    char *doc = capture(tdoc, NULL);
    assert_string_equal(
        doc, "| Key | Type | Default | Range / values | Description |\n"
             "|-----|------|---------|----------------|-------------|\n"
             "| `mode` | enum | `\"relay\"` | `relay`, `apply` | Mode. |\n"
             "| `srv.port` | integer | `6379` | 1..65535 | Port. |\n"
             "| `srv.flag` | boolean | `true` |  | A flag. |\n"
             "| `srv.host` | string | `\"localhost\"` |  | Host \\| name. |\n"
             "| `srv.secret` | string, secret | none |  | Secret. |\n"
             "| `srv.req` | string | **required** |  | Required. |\n"
             "| `srv.even` | integer | `2` | -100..100 | Even. |\n"
             "| `list.items` | list of strings | empty |  | Items. |\n"
             "| `net.listen` | host:port | none | port 1..65535 | Listen. |\n"
             "| `net.brokers` | host:port list | none | port 1..65535 | "
             "Brokers. |\n"
             "| `size.big` | integer | `0` | 0..9223372036854775807 | Big. |\n"
             "| `a.b.c` | string | computed |  | Deep. |\n");
    free(doc);
}

static void test_table_check(void **state) {
    fixture_t *f = *state;
    static const char *const none[] = {NULL};
    /* clang-format off */
    static const rkb_conf_entry_t bad[] = {
        {.key = "a.b", .type = RKB_CONF_INT, .min = 5, .max = 1, .doc = "d"},
        {.key = "a.b", .type = RKB_CONF_STRING, .doc = "d"},
        {.key = "a", .type = RKB_CONF_STRING, .doc = "d"},
        {.key = "a..c", .type = RKB_CONF_STRING, .doc = "d"},
        {.key = "c.d", .type = RKB_CONF_INT, .def_int = 9, .min = 0,
         .max = 5, .doc = "d"},
        {.key = "c.e", .type = RKB_CONF_ENUM, .values = none, .doc = "d"},
        {.key = "c.f", .type = RKB_CONF_HOSTPORT, .def_str = "x",
         .doc = "d"},
        {.key = "c.g", .type = RKB_CONF_STRING, .flags = RKB_CONF_REQUIRED,
         .def_str = "x", .doc = "d"},
        {.key = "c.h", .type = RKB_CONF_INT, .flags = RKB_CONF_SECRET,
         .doc = "d"},
        {.key = "c.i", .type = RKB_CONF_STRING},
        {.key = NULL},
    };
    /* clang-format on */
    assert_int_equal(rkb_conf_table_check(ttable, &f->errs), 0);
    assert_int_equal(rkb_conf_table_check(prod_conf_table, &f->errs), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_int_equal(rkb_conf_table_check(bad, &f->errs), -1);
    EXPECT_ERRORS(&f->errs, "a.b: min > max", "a.b: duplicate key",
                  "a: both a key and a group with a.b",
                  "a: both a key and a group with a.b",
                  "a..c: invalid key name",
                  "c.d: default: 9 is outside allowed range 0..5",
                  "c.e: enum without values",
                  "c.f: default: \"x\" is not host:port: no port",
                  "c.g: required key with a default",
                  "c.h: only strings can be secret", "c.i: no doc text");
}

/* Every prefix of a config must load or fail cleanly (ASan watches). */
static void test_every_prefix(void **state) {
    fixture_t *f = *state;
    const char *text = "mode = \"apply\";\n"
                       "srv = { port = 6380; flag = true; req = \"r\";\n"
                       "  secret = \"abcd\"; even = 4; };\n"
                       "list = { items = ( \"a=1\",\n \"b=2\"\n ); };\n"
                       "net = { listen = \"[::1]:1\"; brokers = \"a:1\"; };\n"
                       "size = { big = 0x7FFFFFFF; }; a = { b = { c = \"\"; "
                       "}; };\n";
    size_t len = strlen(text);
    char *buf = rkb_malloc(len + 1);
    for (size_t i = 0; i <= len; i++) {
        memcpy(buf, text, i);
        buf[i] = '\0';
        (void)tload(f, buf, NULL, 0);
    }
    assert_int_equal(tload(f, text, NULL, 0), 0);
    free(buf);
}

static void append_str(rkb_buf_t *b, const char *s) {
    rkb_buf_append(b, s, strlen(s));
}

static void test_limits(void **state) {
    fixture_t *f = *state;
    rkb_buf_t b = RKB_BUF_INIT;
    char line[64], want[256];

    /* too many errors: the first RKB_CONF_ERRORS_MAX, then a count */
    for (int i = 0; i < RKB_CONF_ERRORS_MAX + 50; i++) {
        int n = snprintf(line, sizeof(line), "k%d = 1;\n", i);
        rkb_buf_append(&b, line, (size_t)n);
    }
    rkb_buf_append(&b, "", 1);
    assert_int_equal(tload(f, b.data, REQ, 1), -1);
    assert_int_equal(f->errs.n, RKB_CONF_ERRORS_MAX + 1);
    assert_string_equal(f->errs.v[0], "<string>:1: k0: unknown key");
    assert_string_equal(f->errs.v[RKB_CONF_ERRORS_MAX],
                        "<string>: 50 more errors not shown");
    rkb_buf_free(&b);

    /* a big list loads in linear time, each element with its line */
    append_str(&b, "srv = { req = \"r\"; };\nlist = { items = (\n");
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(line, sizeof(line), "%s\"k=%d\"\n\n", i ? "," : "", i);
        rkb_buf_append(&b, line, (size_t)n);
    }
    append_str(&b, "); };\n");
    rkb_buf_append(&b, "", 1);
    assert_int_equal(tload(f, b.data, NULL, 0), 0);
    assert_int_equal(f->t.items.n, 20000);
    assert_string_equal(f->t.items.origin[0], "<string>:3");
    assert_string_equal(f->t.items.origin[19999], "<string>:40001");
    assert_string_equal(f->t.items.v[19999], "k=19999");

    /* over RKB_CONF_FILE_MAX: refused before parsing */
    b.len--; /* the NUL */
    while (b.len <= RKB_CONF_FILE_MAX) {
        append_str(&b, "# padding padding padding padding\n");
    }
    rkb_buf_append(&b, "", 1);
    assert_int_equal(tload(f, b.data, REQ, 1), -1);
    snprintf(want, sizeof(want), "<string>: config is larger than %d bytes",
             RKB_CONF_FILE_MAX);
    EXPECT_ERRORS(&f->errs, want);
    const char *path = write_file(f, "big.conf", b.data, b.len - 1);
    rkb_conf_free(ttable, &f->t);
    rkb_conf_errors_free(&f->errs);
    assert_int_equal(rkb_conf_load(ttable, &f->t, path, REQ, 1, NULL, &f->errs),
                     -1);
    snprintf(want, sizeof(want), "%s: config file is larger than %d bytes",
             path, RKB_CONF_FILE_MAX);
    EXPECT_ERRORS(&f->errs, want);
    rkb_buf_free(&b);
}

/* ------------------------------------------------------------------------
 * Producer
 * ------------------------------------------------------------------------ */

static const char *const PMIN[] = {"kafka.brokers=k:9092", "kafka.topic=t"};

static void test_prod_empty_plus_overrides(void **state) {
    fixture_t *f = *state;
    const char *path = write_file(f, "empty.conf", "", 0);
    prod_conf_free(&f->p);
    assert_int_equal(prod_conf_load(&f->p, path, PMIN, 2, &f->errs), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->p.source_host, "127.0.0.1");
    assert_int_equal(f->p.source_port, 6379);
    assert_null(f->p.source_user);
    assert_null(f->p.source_password);
    assert_null(f->p.source_password_file);
    assert_int_equal(f->p.source_announce_port, 0);
    assert_int_equal(f->p.source_connect_timeout_ms, 5000);
    assert_int_equal(f->p.source_repl_timeout_ms, 60000);
    assert_string_equal(f->p.kafka_brokers, "k:9092");
    assert_string_equal(f->p.kafka_topic, "t");
    assert_string_equal(f->p.kafka_snapshot_topic, "t.snapshot");
    assert_int_equal(f->p.kafka_properties.n, 0);
    assert_int_equal(f->p.kafka_replication_factor, -1);
    assert_int_equal(f->p.producer_frame_bytes, 262144);
    assert_int_equal(f->p.producer_chunk_bytes, 524288);
    assert_int_equal(f->p.producer_heartbeat_ms, 1000);
    assert_int_equal(f->p.producer_max_inflight_bytes, 16777216);
    assert_null(f->p.metrics_listen);
    assert_string_equal(f->p.log_level, "notice");

    prod_conf_free(&f->p);
    assert_int_equal(prod_conf_load(&f->p, NULL, PMIN, 2, &f->errs), 0);
    prod_conf_free(&f->p);
    assert_int_equal(prod_conf_load(&f->p, NULL, NULL, 0, &f->errs), -1);
    EXPECT_ERRORS(&f->errs,
                  "<no config file>: kafka.brokers: required key is missing",
                  "<no config file>: kafka.topic: required key is missing");
}

static void test_prod_every_key(void **state) {
    fixture_t *f = *state;
    const char *pw = write_file(f, "pw", "pw\n", 3);
    char text[2048];
    snprintf(text, sizeof(text),
             "source = {\n"
             "  host = \"10.0.0.1\"; port = 6380; user = \"repl\";\n"
             "  password_file = \"%s\"; announce_port = 7000;\n"
             "  connect_timeout_ms = 100; repl_timeout_ms = 86400000;\n"
             "};\n"
             "kafka = {\n"
             "  brokers = \"k1:9092,k2:9092\"; topic = \"redis.main\";\n"
             "  snapshot_topic = \"redis.main.rdb\";\n"
             "  properties = ( \"linger.ms=5\", \"batch.size=65536\" );\n"
             "  replication_factor = 3;\n"
             "};\n"
             "producer = { frame_bytes = 1024; chunk_bytes = 1000000;\n"
             "  heartbeat_ms = 3600000; max_inflight_bytes = 1073741824; };\n"
             "metrics = { listen = \"127.0.0.1:9121\"; };\n"
             "log = { level = \"debug\"; };\n",
             pw);
    const char *const ovr[] = {"kafka.properties=compression.codec=lz4"};
    assert_int_equal(pload(f, text, ovr, 1), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_string_equal(f->p.source_host, "10.0.0.1");
    assert_int_equal(f->p.source_port, 6380);
    assert_string_equal(f->p.source_user, "repl");
    assert_string_equal(f->p.source_password, "pw");
    assert_string_equal(f->p.source_password_file, pw);
    assert_int_equal(f->p.source_announce_port, 7000);
    assert_int_equal(f->p.source_connect_timeout_ms, 100);
    assert_int_equal(f->p.source_repl_timeout_ms, 86400000);
    assert_string_equal(f->p.kafka_brokers, "k1:9092,k2:9092");
    assert_string_equal(f->p.kafka_topic, "redis.main");
    assert_string_equal(f->p.kafka_snapshot_topic, "redis.main.rdb");
    assert_int_equal(f->p.kafka_properties.n, 3);
    assert_string_equal(f->p.kafka_properties.v[0], "linger.ms=5");
    assert_string_equal(f->p.kafka_properties.origin[0], "<string>:9");
    assert_string_equal(f->p.kafka_properties.v[2], "compression.codec=lz4");
    assert_string_equal(f->p.kafka_properties.origin[2],
                        "-o kafka.properties=compression.codec=lz4");
    assert_int_equal(f->p.kafka_replication_factor, 3);
    assert_int_equal(f->p.producer_frame_bytes, 1024);
    assert_int_equal(f->p.producer_chunk_bytes, 1000000);
    assert_int_equal(f->p.producer_heartbeat_ms, 3600000);
    assert_int_equal(f->p.producer_max_inflight_bytes, 1073741824);
    assert_string_equal(f->p.metrics_listen, "127.0.0.1:9121");
    assert_string_equal(f->p.log_level, "debug");

    /* the dump shows the file, not the password read from it, and loads */
    char *dump = capture(pdump, &f->p);
    assert_null(strstr(dump, "password ="));
    assert_non_null(strstr(dump, "password_file = "));
    prod_conf_t again;
    rkb_conf_errors_t errs = RKB_CONF_ERRORS_INIT;
    assert_int_equal(prod_conf_load_string(&again, dump, NULL, 0, &errs), 0);
    assert_string_equal(again.source_password, "pw");
    prod_conf_free(&again);
    rkb_conf_errors_free(&errs);
    free(dump);
}

static void test_prod_cross_checks(void **state) {
    fixture_t *f = *state;
    const char *pw = write_file(f, "pw", "pw", 2);
    char text[1024];
    snprintf(text, sizeof(text),
             "source = {\n"
             "  password = \"s3cr3t\";\n"
             "  password_file = \"%s\";\n"
             "};\n"
             "kafka = {\n"
             "  brokers = \"k:1\";\n"
             "  topic = \"same\";\n"
             "  snapshot_topic = \"same\";\n"
             "};\n",
             pw);
    char want[512];
    assert_int_equal(pload(f, text, NULL, 0), -1);
    snprintf(want, sizeof(want),
             "<string>:3: source.password_file: cannot be used together "
             "with source.password (set at <string>:2)");
    EXPECT_ERRORS(&f->errs, want,
                  "<string>:8: kafka.snapshot_topic: must differ from "
                  "kafka.topic");

    const char *const ovr[] = {"source.user=bob", "kafka.brokers=k:1",
                               "kafka.topic=t"};
    assert_int_equal(pload(f, "", ovr, NOVR(ovr)), -1);
    EXPECT_ERRORS(&f->errs, "-o source.user=bob: source.user: requires "
                            "source.password or source.password_file");
    const char *const ovr2[] = {"source.user=bob", "source.password=x",
                                "kafka.brokers=k:1", "kafka.topic=t"};
    assert_int_equal(pload(f, "", ovr2, NOVR(ovr2)), 0);

    /* secrets stay out of the cross-field errors too */
    const char *const ovr3[] = {"source.password=TOPSECRET",
                                "source.password_file=/nonexistent",
                                "kafka.brokers=k:1", "kafka.topic=t"};
    assert_int_equal(pload(f, "", ovr3, NOVR(ovr3)), -1);
    EXPECT_ERRORS(&f->errs, "-o source.password_file=/nonexistent: "
                            "source.password_file: cannot be used together "
                            "with source.password (set at -o "
                            "source.password=(redacted))");
}

static void test_prod_topics(void **state) {
    fixture_t *f = *state;
    char t249[250], t240[241], o1[300], o2[300];
    memset(t249, 'a', 249);
    t249[249] = '\0';
    memset(t240, 'b', 240);
    t240[240] = '\0';
    const char *ovr[] = {"kafka.brokers=k:1", o1, o2};

    static const struct {
        const char *topic, *want;
    } bad[] = {
        {".", "-o kafka.topic=.: kafka.topic: \".\" is not a legal Kafka "
              "topic name"},
        {"..", "-o kafka.topic=..: kafka.topic: \"..\" is not a legal Kafka "
               "topic name"},
        {"a/b", "-o kafka.topic=a/b: kafka.topic: '/' is not allowed in a "
                "Kafka topic name (only A-Z a-z 0-9 . _ -)"},
        {"a b", "-o kafka.topic=a b: kafka.topic: byte 0x20 is not allowed "
                "in a Kafka topic name (only A-Z a-z 0-9 . _ -)"},
    };
    for (size_t i = 0; i < NOVR(bad); i++) {
        snprintf(o1, sizeof(o1), "kafka.topic=%s", bad[i].topic);
        assert_int_equal(pload(f, "", ovr, 2), -1);
        EXPECT_ERRORS(&f->errs, bad[i].want);
    }

    /* 249 is the limit, and the derived name must fit too */
    snprintf(o1, sizeof(o1), "kafka.topic=%s", t249);
    snprintf(o2, sizeof(o2), "kafka.snapshot_topic=x");
    assert_int_equal(pload(f, "", ovr, 3), 0);
    assert_int_equal(pload(f, "", ovr, 2), -1);
    /* the origin shows at most 96 bytes of a value */
    char want[512];
    snprintf(want, sizeof(want),
             "-o kafka.topic=%.96s...: kafka.topic: too long to derive "
             "kafka.snapshot_topic (\"<topic>.snapshot\" would have 258 "
             "characters, more than 249); set kafka.snapshot_topic",
             t249);
    EXPECT_ERRORS(&f->errs, want);
    snprintf(o1, sizeof(o1), "kafka.topic=%s", t240);
    assert_int_equal(pload(f, "", ovr, 2), 0);
    assert_int_equal(strlen(f->p.kafka_snapshot_topic), 249);
    snprintf(o1, sizeof(o1), "kafka.topic=%sa", t249);
    assert_int_equal(pload(f, "", ovr, 2), -1);
    assert_int_equal(f->errs.n, 1);
    assert_non_null(strstr(f->errs.v[0], ": kafka.topic: a Kafka topic name "
                                         "has at most 249 characters, not "
                                         "250"));
    assert_null(f->p.kafka_snapshot_topic);
}

static void test_prod_properties(void **state) {
    fixture_t *f = *state;
    const char *text = "kafka = {\n"
                       "  brokers = \"k:1\"; topic = \"t\";\n"
                       "  properties = (\n"
                       "    \"linger.ms=5\",\n"
                       "    \"sasl.password\",\n"
                       "    \"=x\",\n"
                       "    \"bootstrap.servers=a:1\",\n"
                       "    \"debug=\",\n"
                       "    \"a b=1\",\n"
                       "    \"acks=1\",\n"
                       "    \"message.timeout.ms=5000\"\n"
                       "  );\n"
                       "};\n";
    assert_int_equal(pload(f, text, NULL, 0), -1);
    EXPECT_ERRORS(&f->errs,
                  "<string>:5: kafka.properties: expected \"name=value\"",
                  "<string>:6: kafka.properties: expected \"name=value\"",
                  "<string>:7: kafka.properties: bootstrap.servers: set the "
                  "brokers with kafka.brokers",
                  "<string>:9: kafka.properties: expected \"name=value\" (no "
                  "blanks in the name)",
                  "<string>:10: kafka.properties: acks is fixed by rkbridge "
                  "(acks=all, idempotence on, no message timeout) and cannot "
                  "be set",
                  "<string>:11: kafka.properties: message.timeout.ms is fixed "
                  "by rkbridge (acks=all, idempotence on, no message timeout) "
                  "and cannot be set");
}

static void test_prod_password_file(void **state) {
    fixture_t *f = *state;
    char o[256], want[512];
    const char *ovr[] = {"kafka.brokers=k:1", "kafka.topic=t", o};
    static const struct {
        const char *content;
        size_t len;
        const char *pw; /* NULL: error */
        const char *why;
    } cases[] = {
        {"secret\n", 7, "secret", NULL},
        {"secret\r\n", 8, "secret", NULL},
        {"secret", 6, "secret", NULL},
        {"sec ret \n", 9, "sec ret ", NULL},
        {"secret\n\n", 8, NULL, "has more than one line"},
        {"a\nb\n", 4, NULL, "has more than one line"},
        {"\n", 1, NULL, "is empty"},
        {"", 0, NULL, "is empty"},
        {"a\0b", 3, NULL, "contains a NUL byte"},
    };
    for (size_t i = 0; i < NOVR(cases); i++) {
        const char *path = write_file(f, "pw", cases[i].content, cases[i].len);
        snprintf(o, sizeof(o), "source.password_file=%s", path);
        if (cases[i].pw != NULL) {
            assert_int_equal(pload(f, "", ovr, 3), 0);
            assert_string_equal(f->p.source_password, cases[i].pw);
        } else {
            assert_int_equal(pload(f, "", ovr, 3), -1);
            snprintf(want, sizeof(want),
                     "-o source.password_file=%s: source.password_file: %s "
                     "%s",
                     path, path, cases[i].why);
            EXPECT_ERRORS(&f->errs, want);
            assert_null(f->p.source_password);
        }
    }

    char big[70000];
    memset(big, 'x', sizeof(big));
    const char *path = write_file(f, "big", big, sizeof(big));
    snprintf(o, sizeof(o), "source.password_file=%s", path);
    assert_int_equal(pload(f, "", ovr, 3), -1);
    snprintf(want, sizeof(want),
             "-o source.password_file=%s: source.password_file: %s is "
             "larger than 65536 bytes",
             path, path);
    EXPECT_ERRORS(&f->errs, want);

    snprintf(o, sizeof(o), "source.password_file=%s/nope", f->dir);
    assert_int_equal(pload(f, "", ovr, 3), -1);
    snprintf(want, sizeof(want),
             "-o source.password_file=%s/nope: source.password_file: cannot "
             "read %s/nope: No such file or directory",
             f->dir, f->dir);
    EXPECT_ERRORS(&f->errs, want);
}

static void test_prod_typical_errors(void **state) {
    fixture_t *f = *state;
    const char *text = "source = {\n"
                       "  port = 70000;\n"
                       "};\n"
                       "sourc = { host = \"x\"; };\n"
                       "kafka = {\n"
                       "  brokers = \"k\";\n"
                       "};\n"
                       "producer = { frame_bytes = 5000000000; };\n"
                       "log = { level = \"verbose\"; };\n";
    const char *const ovr[] = {"source.port=abc", "mode=relay"};
    assert_int_equal(pload(f, text, ovr, NOVR(ovr)), -1);
    EXPECT_ERRORS(&f->errs,
                  "-o source.port=abc: source.port: expected an integer",
                  "-o mode=relay: mode: unknown key",
                  "<string>:2: source.port: 70000 is outside allowed range "
                  "1..65535",
                  "<string>:4: sourc: unknown key (did you mean source?)",
                  "<string>:6: kafka.brokers: \"k\" is not "
                  "host:port[,host:port...]: \"k\": no port",
                  "<string>:8: producer.frame_bytes: 5000000000 is outside "
                  "allowed range 1024..1000000",
                  "<string>:9: log.level: \"verbose\" is not one of: err, "
                  "warn, notice, info, debug",
                  "<string>:5: kafka.topic: required key is missing");
}

/* docs/CONFIG.md embeds prod_conf_doc() between marker lines. */
static void test_prod_doc_in_config_md(void **state) {
    (void)state;
    const char *src = getenv("RKB_SOURCE_DIR");
    char path[512];
    if (src == NULL) {
        skip();
    }
    snprintf(path, sizeof(path), "%s/docs/CONFIG.md", src);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *md = NULL;
    size_t cap = 0, len = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        md = rkb_realloc(md, cap = len + n + 1);
        memcpy(md + len, chunk, n);
        len += n;
        md[len] = '\0';
    }
    fclose(fp);
    assert_non_null(md);
    const char *begin = strstr(md, "<!-- BEGIN producer keys -->\n");
    const char *end = strstr(md, "<!-- END producer keys -->");
    assert_non_null(begin);
    assert_non_null(end);
    begin += strlen("<!-- BEGIN producer keys -->\n");
    assert_true(begin <= end);
    char *doc = capture(pdoc, NULL);
    size_t dlen = strlen(doc);
    if ((size_t)(end - begin) != dlen || memcmp(begin, doc, dlen) != 0) {
        print_message("docs/CONFIG.md is stale; the table should be:\n%s", doc);
        fail_msg("regenerate the producer key table in docs/CONFIG.md");
    }
    free(doc);
    free(md);
}

/* deploy/producer.conf is a working example. */
static void test_prod_deploy_example(void **state) {
    fixture_t *f = *state;
    const char *src = getenv("RKB_SOURCE_DIR");
    char path[512];
    if (src == NULL) {
        skip();
    }
    snprintf(path, sizeof(path), "%s/deploy/producer.conf", src);
    prod_conf_free(&f->p);
    assert_int_equal(prod_conf_load(&f->p, path, NULL, 0, &f->errs), 0);
    EXPECT_NO_ERRORS(&f->errs);
    assert_true(f->p.kafka_properties.n > 0);
    assert_non_null(f->p.metrics_listen);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_defaults),
        T(test_all_types_from_string),
        T(test_from_file),
        T(test_no_file_is_empty),
        T(test_syntax_error),
        T(test_syntax_error_and_bad_override),
        T(test_unreadable_file),
        T(test_unknown_keys),
        T(test_wrong_types),
        T(test_range),
        T(test_big_int_literals),
        T(test_builtin_checks),
        T(test_validators),
        T(test_required),
        T(test_all_errors_at_once),
        T(test_overrides_each_type),
        T(test_override_errors),
        T(test_empty_override_unsets),
        T(test_empty_file_plus_overrides),
        T(test_strlist_lines),
        T(test_post_hook),
        T(test_secrets_hidden),
        T(test_dump),
        T(test_doc),
        T(test_table_check),
        T(test_every_prefix),
        T(test_limits),
        T(test_prod_empty_plus_overrides),
        T(test_prod_every_key),
        T(test_prod_cross_checks),
        T(test_prod_topics),
        T(test_prod_properties),
        T(test_prod_password_file),
        T(test_prod_typical_errors),
        T(test_prod_doc_in_config_md),
        T(test_prod_deploy_example),
    };
    return cmocka_run_group_tests_name("rkb_conf", tests, NULL, NULL);
}
