/* rkb_err.h -- the one error type of rkbridge.
 * Generated from an X-macro list so names, codes and messages never drift. */
#ifndef RKB_ERR_H
#define RKB_ERR_H

#define RKB_ERR_LIST(X)                                                        \
    X(OK, 0, "success")                                                        \
    X(EAGAIN, -1, "more input needed")                                         \
    X(EPROTO, -2, "protocol violation from peer")                              \
    X(EIO, -3, "I/O error")                                                    \
    X(ECONF, -4, "configuration error")                                        \
    X(ELIMIT, -5, "limit exceeded")                                            \
    X(EAUTH, -6, "authentication failed")                                      \
    X(ETIMEDOUT, -7, "timed out")                                              \
    X(ECLOSED, -8, "connection closed by peer")                                \
    X(EKAFKA, -9, "Kafka error")                                               \
    X(EINVAL, -10, "invalid argument")                                         \
    X(EVERSION, -11, "unsupported version")                                    \
    X(ECORRUPT, -12, "corrupt data")                                           \
    X(ETRYLATER, -13, "peer asked to retry later")                             \
    X(EUNSUPPORTED, -14, "peer does not support a required feature")

typedef enum {
#define RKB_ERR_ENUM(name, code, msg) RKB_##name = code,
    RKB_ERR_LIST(RKB_ERR_ENUM)
#undef RKB_ERR_ENUM
} rkb_err_t;

/** @returns a static human-readable description of err. */
const char *rkb_err2str(rkb_err_t err);
/** @returns the static symbolic name of err, e.g. "RKB_EPROTO". */
const char *rkb_err2name(rkb_err_t err);

#endif
