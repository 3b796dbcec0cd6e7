/* rdb_build.h -- building RDB bytes by hand in unit tests: the primitives
 * test_rkb_rdb and test_rkb_rdbcmd share. Header-only, static. */
#ifndef RDB_BUILD_H
#define RDB_BUILD_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_buf.h"

static inline void b_raw(rkb_buf_t *b, const void *p, size_t n) {
    rkb_buf_append(b, p, n);
}

static inline void b_u8(rkb_buf_t *b, unsigned v) {
    unsigned char c = (unsigned char)v;
    rkb_buf_append(b, &c, 1);
}

/* n bytes of v, little-endian (ms times, checksums, ziplist fields). */
static inline void b_le(rkb_buf_t *b, uint64_t v, int n) {
    for (int i = 0; i < n; i++) {
        b_u8(b, (unsigned)(v >> (8 * i)) & 0xff);
    }
}

/* An RDB length in the shortest form, as Redis writes it (reference 3.2):
 * 6 bits, 14 bits, 32 bits (0x80) or 64 bits (0x81), big-endian. */
static inline void b_len(rkb_buf_t *b, uint64_t v) {
    if (v < 64) {
        b_u8(b, (unsigned)v);
    } else if (v < 16384) {
        b_u8(b, 0x40 | (unsigned)(v >> 8));
        b_u8(b, (unsigned)v & 0xff);
    } else {
        int wide = v > UINT32_MAX;
        b_u8(b, wide ? 0x81 : 0x80);
        for (int i = wide ? 7 : 3; i >= 0; i--) {
            b_u8(b, (unsigned)(v >> (8 * i)) & 0xff);
        }
    }
}

#endif
