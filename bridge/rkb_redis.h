/* rkb_redis.h -- blocking hiredis helpers for the clients of a Redis that
 * the consumer's apply mode and the operator's tool share: connecting with
 * AUTH, and reading INFO replies. Run on the caller's thread. */
#ifndef RKB_REDIS_H
#define RKB_REDIS_H
#include <stddef.h>
#include <hiredis/hiredis.h>

typedef enum {
    RKB_REDIS_OK = 0,
    RKB_REDIS_ECONNECT,     /* no connection (errstr: why) */
    RKB_REDIS_EAUTH_LINK,   /* the link failed during AUTH */
    RKB_REDIS_EAUTH_REFUSED /* AUTH got an error reply (errstr: it) */
} rkb_redis_err_t;

/** Connects to host:port within connect_ms, sets reply_ms as the timeout
 *  of every reply, and when password is set sends AUTH [user] password.
 *  errstr never holds the password. @returns RKB_REDIS_OK with *out set,
 *  or an error with *out NULL and errstr set. */
rkb_redis_err_t rkb_redis_connect(const char *host, int port, const char *user,
                                  const char *password, int connect_ms,
                                  int reply_ms, redisContext **out,
                                  char *errstr, size_t errstr_size);

/** Calls fn for each "db<N>:keys=<M>,..." line of an INFO keyspace reply,
 *  in order, until fn returns non-zero. @returns that value, or 0. */
int rkb_redis_keyspace(const char *info,
                       int (*fn)(void *arg, long db, long long keys),
                       void *arg);

/** The value of "name:" in an INFO reply, copied to out ("" if absent).
 *  @returns out. */
const char *rkb_redis_info_field(const char *info, const char *name,
                                 char *out, size_t size);

#endif
