#include "rkb_fmacros.h"
#include "rkb_err.h"

const char *rkb_err2str(rkb_err_t err) {
    switch (err) {
#define RKB_ERR_STR(name, code, msg)                                           \
    case RKB_##name:                                                           \
        return msg;
        RKB_ERR_LIST(RKB_ERR_STR)
#undef RKB_ERR_STR
    }
    return "unknown error";
}

const char *rkb_err2name(rkb_err_t err) {
    switch (err) {
#define RKB_ERR_NAME(name, code, msg)                                          \
    case RKB_##name:                                                           \
        return "RKB_" #name;
        RKB_ERR_LIST(RKB_ERR_NAME)
#undef RKB_ERR_NAME
    }
    return "RKB_UNKNOWN";
}
