/* rkb_redis.c -- see rkb_redis.h. */
#include "rkb_fmacros.h"
#include "rkb_redis.h"

#include <stdio.h>
#include <string.h>

static struct timeval ms_tv(int ms) {
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

rkb_redis_err_t rkb_redis_connect(const char *host, int port, const char *user,
                                  const char *password, int connect_ms,
                                  int reply_ms, redisContext **out,
                                  char *errstr, size_t errstr_size) {
    redisContext *c = redisConnectWithTimeout(host, port, ms_tv(connect_ms));
    rkb_redis_err_t err = RKB_REDIS_OK;
    *out = NULL;
    if (c == NULL || c->err) {
        snprintf(errstr, errstr_size, "%s", c ? c->errstr : "out of memory");
        redisFree(c);
        return RKB_REDIS_ECONNECT;
    }
    redisSetTimeout(c, ms_tv(reply_ms));
    if (password != NULL) {
        const char *argv[3] = {"AUTH", user ? user : password, password};
        redisReply *r = redisCommandArgv(c, user ? 3 : 2, argv, NULL);
        if (r == NULL) {
            snprintf(errstr, errstr_size, "%s", c->errstr);
            err = RKB_REDIS_EAUTH_LINK;
        } else if (r->type == REDIS_REPLY_ERROR) {
            /* the reply names the problem (WRONGPASS), never the secret */
            snprintf(errstr, errstr_size, "%s", r->str);
            err = RKB_REDIS_EAUTH_REFUSED;
        }
        if (r != NULL) {
            freeReplyObject(r);
        }
    }
    if (err) {
        redisFree(c);
        return err;
    }
    *out = c;
    return RKB_REDIS_OK;
}

int rkb_redis_keyspace(const char *info,
                       int (*fn)(void *arg, long db, long long keys),
                       void *arg) {
    for (const char *p = info; p != NULL;) {
        long db;
        long long keys;
        if (sscanf(p, "db%ld:keys=%lld", &db, &keys) == 2) {
            int rc = fn(arg, db, keys);
            if (rc) {
                return rc;
            }
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return 0;
}

const char *rkb_redis_info_field(const char *info, const char *name,
                                 char *out, size_t size) {
    size_t n = strlen(name);
    out[0] = '\0';
    for (const char *p = info; p != NULL;) {
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            size_t l = strcspn(p + n + 1, "\r\n");
            snprintf(out, size, "%.*s", (int)l, p + n + 1);
            break;
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return out;
}
