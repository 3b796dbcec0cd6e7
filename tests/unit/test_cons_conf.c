/* test_cons_conf.c -- the consumer's key table and cross-field rules, and
 * its part of docs/CONFIG.md (generated from the table). */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cons_conf.h"
#include "rkb_mem.h"

/* Loads text with overrides; returns the errors joined by '\n' (caller
 * frees) and the load's result in *rc. */
static char *load(cons_conf_t *cfg, const char *text,
                  const char *const *ov, size_t n, int *rc) {
    rkb_conf_errors_t errs = RKB_CONF_ERRORS_INIT;
    size_t len = 1;
    *rc = cons_conf_load_string(cfg, text, ov, n, &errs);
    for (size_t i = 0; i < errs.n; i++) {
        len += strlen(errs.v[i]) + 1;
    }
    char *all = rkb_calloc(1, len);
    for (size_t i = 0; i < errs.n; i++) {
        strcat(all, errs.v[i]);
        strcat(all, "\n");
    }
    rkb_conf_errors_free(&errs);
    return all;
}

static void test_table_sound(void **state) {
    rkb_conf_errors_t errs = RKB_CONF_ERRORS_INIT;
    (void)state;
    int rc = rkb_conf_table_check(cons_conf_table, &errs);
    if (rc != 0) {
        fail_msg("%s", errs.v[0]);
    }
    rkb_conf_errors_free(&errs);
}

static void test_defaults(void **state) {
    cons_conf_t cfg;
    int rc;
    (void)state;
    const char *ov[] = {"kafka.brokers=k1:9092", "kafka.topic=redis.main",
                        "relay.listen=0.0.0.0:6380"};
    char *errs = load(&cfg, "", ov, 3, &rc);
    assert_string_equal(errs, "");
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.mode, "relay");
    assert_string_equal(cfg.kafka_snapshot_topic, "redis.main.snapshot");
    assert_string_equal(cfg.kafka_group, "rkbridge-consumer");
    assert_string_equal(cfg.relay_listen, "0.0.0.0:6380");
    assert_null(cfg.relay_password);
    assert_null(cfg.metrics_listen);
    assert_string_equal(cfg.log_level, "notice");
    free(errs);
    cons_conf_free(&cfg);
}

static void test_cross_rules(void **state) {
    cons_conf_t cfg;
    int rc;
    (void)state;
    /* relay mode needs relay.listen; apply mode does not */
    char *errs = load(&cfg,
                      "kafka = { brokers = \"k:1\"; topic = \"t\"; };\n",
                      NULL, 0, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(errs,
                        "<string>: relay.listen: required in relay mode\n");
    free(errs);
    cons_conf_free(&cfg);
    const char *apply[] = {"mode=apply"};
    errs = load(&cfg, "kafka = { brokers = \"k:1\"; topic = \"t\"; };\n",
                apply, 1, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.mode, "apply");
    free(errs);
    cons_conf_free(&cfg);

    /* topics must differ; group.id is kafka.group's */
    errs = load(&cfg,
                "mode = \"relay\";\n"
                "kafka = { brokers = \"k:1\"; topic = \"t\";\n"
                "  snapshot_topic = \"t\";\n"
                "  properties = ( \"group.id=x\", \"fetch.wait.max.ms=10\" );"
                "\n};\n"
                "relay = { listen = \"127.0.0.1:7000\"; };\n",
                NULL, 0, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(errs, "kafka.properties: group.id: set it with"));
    assert_non_null(
        strstr(errs, "kafka.snapshot_topic: must differ from kafka.topic"));
    free(errs);
    cons_conf_free(&cfg);

    /* apply.db_map: two applied source dbs never share a target db */
    static const struct {
        const char *over[3];
        const char *err; /* NULL: accepted */
    } maps[] = {
        {{"apply.db_map=5:2"}, "source dbs 2 and 5 would both go to target db 2"},
        {{"apply.dbs=5", "apply.db_map=5:2"}, NULL},
        {{"apply.db_map=5:2", "apply.db_map=2:5"}, NULL},
        {{"apply.dbs=1", "apply.dbs=2", "apply.db_map=1:2"},
         "source dbs 2 and 1 would both go to target db 2"},
        {{"apply.dbs=1", "apply.db_map=1:3", "apply.db_map=1:4"},
         "source db 1 is mapped twice"},
        {{"apply.dbs=1", "apply.dbs=2", "apply.db_map=1:3"}, NULL},
    };
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
        const char *o[6] = {"mode=apply", "kafka.brokers=k:1", "kafka.topic=t"};
        size_t n = 3;
        for (size_t j = 0; j < 3 && maps[i].over[j]; j++) {
            o[n++] = maps[i].over[j];
        }
        errs = load(&cfg, "", o, n, &rc);
        if (maps[i].err == NULL) {
            assert_int_equal(rc, 0);
        } else if (rc != -1 || strstr(errs, maps[i].err) == NULL) {
            fail_msg("case %zu: want \"%s\", got \"%s\"", i, maps[i].err,
                     errs);
        }
        free(errs);
        cons_conf_free(&cfg);
    }

    /* an unknown mode */
    const char *bad[] = {"mode=mirror", "kafka.brokers=k:1", "kafka.topic=t"};
    errs = load(&cfg, "", bad, 3, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(errs, "-o mode=mirror: mode:"));
    free(errs);
    cons_conf_free(&cfg);
}

/* The password never shows in a dump. */
static void test_dump_redacts(void **state) {
    cons_conf_t cfg;
    int rc;
    char *out = NULL;
    size_t len = 0;
    (void)state;
    const char *ov[] = {"kafka.brokers=k:1", "kafka.topic=t",
                        "relay.listen=127.0.0.1:7000",
                        "relay.password=hunter22"};
    char *errs = load(&cfg, "", ov, 4, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.relay_password, "hunter22");
    FILE *fp = open_memstream(&out, &len);
    cons_conf_dump(&cfg, fp);
    fclose(fp);
    assert_null(strstr(out, "hunter22"));
    assert_non_null(strstr(out, "(redacted)"));
    free(out);
    free(errs);
    cons_conf_free(&cfg);
}

/* docs/CONFIG.md embeds cons_conf_doc() between marker lines. */
static void test_doc_in_config_md(void **state) {
    const char *src = getenv("RKB_SOURCE_DIR");
    char path[512], chunk[4096];
    char *md = NULL, *doc = NULL;
    size_t len = 0, dlen = 0, n;
    (void)state;
    if (src == NULL) {
        skip();
    }
    snprintf(path, sizeof(path), "%s/docs/CONFIG.md", src);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        md = rkb_realloc(md, len + n + 1);
        memcpy(md + len, chunk, n);
        len += n;
        md[len] = '\0';
    }
    fclose(fp);
    assert_non_null(md);
    const char *bm = "<!-- BEGIN consumer keys -->\n";
    const char *begin = strstr(md, bm);
    const char *end = strstr(md, "<!-- END consumer keys -->");
    assert_non_null(begin);
    assert_non_null(end);
    begin += strlen(bm);
    assert_true(begin <= end);
    fp = open_memstream(&doc, &dlen);
    cons_conf_doc(fp);
    fclose(fp);
    if ((size_t)(end - begin) != dlen || memcmp(begin, doc, dlen) != 0) {
        print_message("docs/CONFIG.md is stale; the table should be:\n%s",
                      doc);
        fail_msg("regenerate the consumer key table in docs/CONFIG.md");
    }
    free(doc);
    free(md);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sound),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_cross_rules),
        cmocka_unit_test(test_dump_redacts),
        cmocka_unit_test(test_doc_in_config_md),
    };
    return cmocka_run_group_tests_name("cons_conf", tests, NULL, NULL);
}
