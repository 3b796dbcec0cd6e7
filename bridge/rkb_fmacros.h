/* rkb_fmacros.h -- feature-test macros; include first in every .c file. */
#ifndef RKB_FMACROS_H
#define RKB_FMACROS_H
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1
#endif
