/* rkb_rdb.c -- I/O-free streaming RDB parser (see rkb_rdb.h).
 *
 * Input is appended to one buffer. Each step parses one "unit" (an opcode
 * with its payload, a key header, one batch of elements, one blob) from
 * the buffered bytes with a cursor. If the bytes run out the step returns
 * RKB_EAGAIN without consuming anything and the same unit is parsed again
 * once more input has arrived; only a complete unit is consumed (and
 * added to the CRC). So no event ever comes from incomplete input, and the
 * event sequence does not depend on how the input was split.
 *
 * Blobs (ziplist, listpack, intset, zipmap) are copied out of the input
 * buffer, then their elements are emitted in batches from that copy. */
#include "rkb_fmacros.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_buf.h"
#include "rkb_mem.h"
#include "rkb_msg.h"
#include "rkb_rdb.h"

/* Opcodes and type bytes (reference §3.5, §3.6). */
#define OP_SLOT_INFO       244
#define OP_FUNCTION2       245
#define OP_FUNCTION_PRE_GA 246
#define OP_MODULE_AUX      247
#define OP_IDLE            248
#define OP_FREQ            249
#define OP_AUX             250
#define OP_RESIZEDB        251
#define OP_EXPIRETIME_MS   252
#define OP_EXPIRETIME      253
#define OP_SELECTDB        254
#define OP_EOF             255

#define T_STRING        0
#define T_LIST          1
#define T_SET           2
#define T_ZSET          3
#define T_HASH          4
#define T_ZSET_2        5
#define T_MODULE_PRE_GA 6
#define T_MODULE_2      7
#define T_HASH_ZIPMAP   9
#define T_LIST_ZIPLIST  10
#define T_SET_INTSET    11
#define T_ZSET_ZIPLIST  12
#define T_HASH_ZIPLIST  13
#define T_LIST_QL       14
#define T_STREAM_1      15
#define T_HASH_LP       16
#define T_ZSET_LP       17
#define T_LIST_QL2      18
#define T_STREAM_2      19
#define T_SET_LP        20
#define T_STREAM_3      21
#define T_HASH_META_PRE 22
#define T_HASH_LPEX_PRE 23
#define T_HASH_META     24
#define T_HASH_LPEX     25

/* Largest expiry a hash field may carry (EB_EXPIRE_TIME_MAX, §3.9.7). */
#define FIELD_EXPIRE_MAX 0xFFFFFFFFFFFFULL

typedef enum {
    ST_MAGIC,  /* waiting for "REDISnnnn" */
    ST_TOP,    /* an opcode or a key */
    ST_VALUE,  /* elements of the current key */
    ST_CRC,    /* the 8-byte checksum after EOF */
    ST_DONE
} state_t;

/* One blob item: text (s) or integer (is_int, v). */
typedef struct {
    rkb_rdb_str_t s;
    int is_int;
    int64_t v;
} item_t;

/* Parts of a stream value, in file order. */
enum { SP_NODES, SP_META, SP_GROUP, SP_PEL, SP_CONSUMERS, SP_CONSUMER,
       SP_CONSUMER_PEL };

typedef enum { BLOB_NONE, BLOB_ZIPLIST, BLOB_LISTPACK, BLOB_INTSET,
               BLOB_ZIPMAP } blob_kind_t;

struct rkb_rdb_s {
    rkb_rdb_limits_t lim;
    rkb_err_t err;
    char errstr[320];
    state_t state;
    int version;

    rkb_buf_t in;  /* buffered input; in.data[0] is at offset `base` */
    size_t pos;    /* consumed bytes of `in` */
    uint64_t base;
    uint64_t need; /* don't retry before base+in.len reaches this */
    uint64_t crc;  /* over every consumed byte */
    uint64_t crc_at_eof;

    /* Opcodes that apply to the next key only. */
    int64_t expire_ms, lru_idle;
    int lfu_freq;

    uint64_t db;
    char *key; /* current key, owned; NULL between keys */
    size_t keylen;
    int key_done; /* KEY_END returned: drop the key at the next unit */
    int rdb_type;
    rkb_rdb_type_t obj_type;
    uint64_t remaining; /* elements (or quicklist nodes) still to read */
    int64_t min_expire; /* HASH_METADATA base for field TTLs */

    /* Current blob, owned, and a cursor in it. */
    blob_kind_t blob_kind;
    unsigned char *blob;
    size_t blob_len, blob_pos;
    uint64_t blob_off; /* RDB offset of the blob string */
    int zipmap_value;  /* next zipmap item is a value */

    /* Streams: where we are in the value, and the current node. */
    int stream_part;
    uint64_t groups_left, consumers_left, pel_left;
    rkb_rdb_id_t master_id;
    item_t *master_fields; /* point into the blob */
    size_t master_nfields, master_fields_cap;

    rkb_rdb_elem_t *elems;
    size_t elems_cap;
    /* Memory for strings made during one call (ints as text, LZF output). */
    void **arena;
    size_t arena_len, arena_cap;
};

/* A cursor over the buffered input, positions relative to in.data. */
typedef struct {
    const unsigned char *p;
    size_t len, pos;
} cur_t;

/* ------------------------------------------------------------------------
 * Errors
 * --------------------------------------------------------------------- */

/* Appends key[0..len) to out, escaped, truncated to fit. */
static void escape(char *out, size_t size, const char *key, size_t len) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 8 < size; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c >= 0x20 && c < 0x7f) {
            out[o++] = (char)c;
        } else {
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
        }
    }
    if (o + 8 >= size && size > 4) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static rkb_err_t fail(rkb_rdb_t *rdb, rkb_err_t err, uint64_t offset,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static rkb_err_t fail(rkb_rdb_t *rdb, rkb_err_t err, uint64_t offset,
                      const char *fmt, ...) {
    char msg[160], key[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (rdb->key != NULL) {
        escape(key, sizeof(key), rdb->key, rdb->keylen);
        snprintf(rdb->errstr, sizeof(rdb->errstr),
                 "RDB offset %llu, key \"%s\": %s",
                 (unsigned long long)offset, key, msg);
    } else {
        snprintf(rdb->errstr, sizeof(rdb->errstr), "RDB offset %llu: %s",
                 (unsigned long long)offset, msg);
    }
    rdb->err = err;
    return err;
}

#define TRY(expr)                                                              \
    do {                                                                       \
        rkb_err_t try_rc_ = (expr);                                            \
        if (try_rc_ != RKB_OK) {                                               \
            return try_rc_;                                                    \
        }                                                                      \
    } while (0)

/* ------------------------------------------------------------------------
 * Arena and batches
 * --------------------------------------------------------------------- */

static void *arena_alloc(rkb_rdb_t *rdb, size_t size) {
    if (rdb->arena_len == rdb->arena_cap) {
        rdb->arena_cap = rdb->arena_cap ? rdb->arena_cap * 2 : 16;
        rdb->arena = rkb_realloc(rdb->arena,
                                 rdb->arena_cap * sizeof(*rdb->arena));
    }
    void *p = rkb_malloc(size ? size : 1);
    rdb->arena[rdb->arena_len++] = p;
    return p;
}

static void arena_clear(rkb_rdb_t *rdb) {
    for (size_t i = 0; i < rdb->arena_len; i++) {
        free(rdb->arena[i]);
    }
    rdb->arena_len = 0;
}

/* Decimal text of v, in the arena. */
static rkb_rdb_str_t int_text(rkb_rdb_t *rdb, int64_t v) {
    char *s = arena_alloc(rdb, 24);
    int n = snprintf(s, 24, "%lld", (long long)v);
    return (rkb_rdb_str_t){s, (size_t)n};
}

static rkb_rdb_elem_t *elem_at(rkb_rdb_t *rdb, size_t i) {
    if (i >= rdb->elems_cap) {
        rdb->elems_cap = rdb->elems_cap ? rdb->elems_cap * 2 : 16;
        rdb->elems = rkb_realloc(rdb->elems,
                                 rdb->elems_cap * sizeof(*rdb->elems));
    }
    rkb_rdb_elem_t *e = &rdb->elems[i];
    memset(e, 0, sizeof(*e));
    e->expire_ms = -1;
    return e;
}

static int batch_full(const rkb_rdb_t *rdb, size_t n, size_t bytes) {
    return n >= rdb->lim.batch_elems || bytes >= rdb->lim.batch_bytes;
}

/* ------------------------------------------------------------------------
 * Reading from the input
 * --------------------------------------------------------------------- */

static cur_t cursor(const rkb_rdb_t *rdb) {
    return (cur_t){(const unsigned char *)rdb->in.data, rdb->in.len,
                   rdb->pos};
}

static uint64_t cur_off(const rkb_rdb_t *rdb, const cur_t *c) {
    return rdb->base + c->pos;
}

/* Consumes what the cursor read: the unit is complete. */
static void commit(rkb_rdb_t *rdb, const cur_t *c) {
    rdb->crc = rkb_crc64(rdb->crc, rdb->in.data + rdb->pos, c->pos - rdb->pos);
    rdb->pos = c->pos;
}

static rkb_err_t rd_bytes(rkb_rdb_t *rdb, cur_t *c, size_t n,
                          const unsigned char **out) {
    if (c->len - c->pos < n) {
        rdb->need = rdb->base + c->pos + n;
        return RKB_EAGAIN;
    }
    *out = c->p + c->pos;
    c->pos += n;
    return RKB_OK;
}

static rkb_err_t rd_u8(rkb_rdb_t *rdb, cur_t *c, unsigned *v) {
    const unsigned char *b;
    TRY(rd_bytes(rdb, c, 1, &b));
    *v = b[0];
    return RKB_OK;
}

static uint64_t le(const unsigned char *b, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | b[i];
    }
    return v;
}

static uint64_t be(const unsigned char *b, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v = (v << 8) | b[i];
    }
    return v;
}

static rkb_err_t rd_le(rkb_rdb_t *rdb, cur_t *c, int n, uint64_t *v) {
    const unsigned char *b;
    TRY(rd_bytes(rdb, c, (size_t)n, &b));
    *v = le(b, n);
    return RKB_OK;
}

/* Reads a length (§3.2). *special is set to the encoding number for the
 * 11xxxxxx form (strings only), else to -1. */
static rkb_err_t rd_len_any(rkb_rdb_t *rdb, cur_t *c, uint64_t *v,
                            int *special) {
    uint64_t off = cur_off(rdb, c);
    const unsigned char *b;
    unsigned first = 0;
    TRY(rd_u8(rdb, c, &first));
    *special = -1;
    switch (first >> 6) {
    case 0:
        *v = first & 0x3f;
        return RKB_OK;
    case 1:
        TRY(rd_bytes(rdb, c, 1, &b));
        *v = ((uint64_t)(first & 0x3f) << 8) | b[0];
        return RKB_OK;
    case 3:
        *special = (int)(first & 0x3f);
        *v = 0;
        return RKB_OK;
    default:
        break;
    }
    if (first == 0x80) {
        TRY(rd_bytes(rdb, c, 4, &b));
        *v = be(b, 4);
        return RKB_OK;
    }
    if (first == 0x81) {
        TRY(rd_bytes(rdb, c, 8, &b));
        *v = be(b, 8);
        return RKB_OK;
    }
    return fail(rdb, RKB_ECORRUPT, off, "invalid length byte 0x%02x", first);
}

static rkb_err_t rd_len(rkb_rdb_t *rdb, cur_t *c, uint64_t *v) {
    uint64_t off = cur_off(rdb, c);
    int special = 0;
    TRY(rd_len_any(rdb, c, v, &special));
    if (special >= 0) {
        return fail(rdb, RKB_ECORRUPT, off,
                    "string encoding %d where a length is expected", special);
    }
    return RKB_OK;
}

/* liblzf decompression (§3.3), written from the format description.
 * @returns 0 when in[0..in_len) expands to exactly out_len bytes. */
static int lzf_expand(const unsigned char *in, size_t in_len,
                      unsigned char *out, size_t out_len) {
    size_t ip = 0, op = 0;
    while (ip < in_len) {
        unsigned ctrl = in[ip++];
        if (ctrl < 32) {
            size_t n = (size_t)ctrl + 1;
            if (in_len - ip < n || out_len - op < n) {
                return -1;
            }
            memcpy(out + op, in + ip, n);
            ip += n;
            op += n;
            continue;
        }
        size_t n = ctrl >> 5;
        if (n == 7) {
            if (ip >= in_len) {
                return -1;
            }
            n += in[ip++];
        }
        if (ip >= in_len) {
            return -1;
        }
        size_t dist = ((size_t)(ctrl & 0x1f) << 8) + in[ip++] + 1;
        n += 2;
        if (dist > op || out_len - op < n) {
            return -1;
        }
        /* Byte by byte: source and destination may overlap. */
        for (size_t i = 0; i < n; i++, op++) {
            out[op] = out[op - dist];
        }
    }
    return op == out_len ? 0 : -1;
}

/* Reads a string (§3.3). Raw strings point into the input buffer; ints and
 * LZF output live in the arena. */
static rkb_err_t rd_str(rkb_rdb_t *rdb, cur_t *c, rkb_rdb_str_t *s) {
    uint64_t off = cur_off(rdb, c);
    uint64_t len = 0;
    int special = 0;
    const unsigned char *b;

    TRY(rd_len_any(rdb, c, &len, &special));
    if (special < 0) {
        if (len > rdb->lim.string_max) {
            return fail(rdb, RKB_ELIMIT, off,
                        "string of %llu bytes is over the %zu byte limit",
                        (unsigned long long)len, rdb->lim.string_max);
        }
        TRY(rd_bytes(rdb, c, (size_t)len, &b));
        s->ptr = (const char *)b;
        s->len = (size_t)len;
        return RKB_OK;
    }
    if (special <= 2) {
        int n = 1 << special;
        uint64_t u = 0;
        TRY(rd_le(rdb, c, n, &u));
        int64_t v = n == 1   ? (int8_t)u
                    : n == 2 ? (int16_t)u
                             : (int32_t)(uint32_t)u;
        *s = int_text(rdb, v);
        return RKB_OK;
    }
    if (special != 3) {
        return fail(rdb, RKB_ECORRUPT, off, "unknown string encoding %d",
                    special);
    }
    uint64_t clen = 0, ulen = 0;
    TRY(rd_len(rdb, c, &clen));
    TRY(rd_len(rdb, c, &ulen));
    if (clen > rdb->lim.string_max || ulen > rdb->lim.string_max) {
        return fail(rdb, RKB_ELIMIT, off,
                    "LZF string of %llu/%llu bytes is over the %zu byte "
                    "limit", (unsigned long long)clen,
                    (unsigned long long)ulen, rdb->lim.string_max);
    }
    if (clen == 0 || ulen == 0) {
        return fail(rdb, RKB_ECORRUPT, off, "empty LZF string");
    }
    TRY(rd_bytes(rdb, c, (size_t)clen, &b));
    unsigned char *out = arena_alloc(rdb, (size_t)ulen);
    if (lzf_expand(b, (size_t)clen, out, (size_t)ulen) != 0) {
        return fail(rdb, RKB_ECORRUPT, off, "corrupt LZF string");
    }
    s->ptr = (const char *)out;
    s->len = (size_t)ulen;
    return RKB_OK;
}

/* Text double of type 3 zsets (§3.4). */
static rkb_err_t rd_text_double(rkb_rdb_t *rdb, cur_t *c, double *d) {
    uint64_t off = cur_off(rdb, c);
    unsigned n = 0;
    const unsigned char *b;
    char buf[256];
    TRY(rd_u8(rdb, c, &n));
    if (n == 253) {
        *d = NAN;
        return RKB_OK;
    }
    if (n == 254) {
        *d = INFINITY;
        return RKB_OK;
    }
    if (n == 255) {
        *d = -INFINITY;
        return RKB_OK;
    }
    TRY(rd_bytes(rdb, c, n, &b));
    memcpy(buf, b, n);
    buf[n] = '\0';
    char *end;
    *d = strtod(buf, &end);
    if (n == 0 || *end != '\0') {
        return fail(rdb, RKB_ECORRUPT, off, "invalid double \"%.40s\"", buf);
    }
    return RKB_OK;
}

static rkb_err_t rd_bin_double(rkb_rdb_t *rdb, cur_t *c, double *d) {
    uint64_t u = 0;
    TRY(rd_le(rdb, c, 8, &u));
    memcpy(d, &u, sizeof(*d));
    return RKB_OK;
}

/* ------------------------------------------------------------------------
 * Blobs: ziplist, listpack, intset, zipmap (§3.9)
 * --------------------------------------------------------------------- */

static int64_t sign_extend(uint64_t u, int bits) {
    uint64_t m = 1ULL << (bits - 1);
    u &= (bits == 64) ? ~0ULL : ((1ULL << bits) - 1);
    return (int64_t)((u ^ m) - m);
}

static rkb_err_t blob_fail(rkb_rdb_t *rdb, const char *what) {
    static const char *const names[] = {"", "ziplist", "listpack", "intset",
                                        "zipmap"};
    return fail(rdb, RKB_ECORRUPT, rdb->blob_off,
                "corrupt %s at byte %zu of %zu: %s", names[rdb->blob_kind],
                rdb->blob_pos, rdb->blob_len, what);
}

static void blob_free(rkb_rdb_t *rdb) {
    free(rdb->blob);
    rdb->blob = NULL;
    rdb->blob_kind = BLOB_NONE;
    rdb->blob_len = rdb->blob_pos = 0;
}

/* Takes a copy of s as the current blob and checks its header. */
static rkb_err_t blob_load(rkb_rdb_t *rdb, blob_kind_t kind,
                           const rkb_rdb_str_t *s, uint64_t off) {
    const unsigned char *b = (const unsigned char *)s->ptr;
    blob_free(rdb);
    rdb->blob_kind = kind;
    rdb->blob_off = off;
    rdb->blob_len = s->len;
    rdb->blob = rkb_malloc(s->len ? s->len : 1);
    memcpy(rdb->blob, s->ptr, s->len);
    rdb->zipmap_value = 0;
    switch (kind) {
    case BLOB_ZIPLIST:
        if (s->len < 11 || le(b, 4) != s->len || b[s->len - 1] != 0xff) {
            return blob_fail(rdb, "bad header or end");
        }
        rdb->blob_pos = 10;
        break;
    case BLOB_LISTPACK:
        if (s->len < 7 || le(b, 4) != s->len || b[s->len - 1] != 0xff) {
            return blob_fail(rdb, "bad header or end");
        }
        rdb->blob_pos = 6;
        break;
    case BLOB_INTSET: {
        uint64_t width = s->len >= 8 ? le(b, 4) : 0;
        if ((width != 2 && width != 4 && width != 8) ||
            (s->len - 8) / width != le(b + 4, 4) ||
            (s->len - 8) % width != 0) {
            return blob_fail(rdb, "bad header or size");
        }
        /* Members must be strictly ascending (so no duplicates). */
        for (size_t i = 8; i + 2 * width <= s->len; i += width) {
            int bits = (int)width * 8;
            if (sign_extend(le(b + i, (int)width), bits) >=
                sign_extend(le(b + i + width, (int)width), bits)) {
                rdb->blob_pos = i + width;
                return blob_fail(rdb, "members not ascending");
            }
        }
        rdb->blob_pos = 8;
        break;
    }
    case BLOB_ZIPMAP:
        if (s->len < 2 || b[s->len - 1] != 0xff) {
            return blob_fail(rdb, "bad header or end");
        }
        rdb->blob_pos = 1;
        break;
    case BLOB_NONE:
        break;
    }
    return RKB_OK;
}

/* Needs n more bytes in the blob. */
#define BLOB_NEED(rdb, n)                                                      \
    do {                                                                       \
        if ((rdb)->blob_len - (rdb)->blob_pos < (size_t)(n)) {                 \
            return blob_fail((rdb), "entry runs past the end");                \
        }                                                                      \
    } while (0)

static rkb_err_t ziplist_item(rkb_rdb_t *rdb, item_t *it) {
    const unsigned char *b = rdb->blob;
    BLOB_NEED(rdb, 1);
    /* prevlen */
    if (b[rdb->blob_pos] == 0xfe) {
        BLOB_NEED(rdb, 5);
        rdb->blob_pos += 5;
    } else {
        rdb->blob_pos += 1;
    }
    BLOB_NEED(rdb, 1);
    unsigned enc = b[rdb->blob_pos++];
    uint64_t len = 0;
    it->is_int = 1;
    switch (enc >> 6) {
    case 0:
        len = enc & 0x3f;
        it->is_int = 0;
        break;
    case 1:
        BLOB_NEED(rdb, 1);
        len = ((uint64_t)(enc & 0x3f) << 8) | b[rdb->blob_pos++];
        it->is_int = 0;
        break;
    case 2:
        if (enc != 0x80) {
            return blob_fail(rdb, "bad string encoding");
        }
        BLOB_NEED(rdb, 4);
        len = be(b + rdb->blob_pos, 4);
        rdb->blob_pos += 4;
        it->is_int = 0;
        break;
    default:
        break;
    }
    if (!it->is_int) {
        BLOB_NEED(rdb, len);
        it->s.ptr = (const char *)b + rdb->blob_pos;
        it->s.len = (size_t)len;
        rdb->blob_pos += (size_t)len;
        return RKB_OK;
    }
    int width;
    switch (enc) {
    case 0xc0: width = 2; break;
    case 0xd0: width = 4; break;
    case 0xe0: width = 8; break;
    case 0xf0: width = 3; break;
    case 0xfe: width = 1; break;
    default:
        if (enc >= 0xf1 && enc <= 0xfd) {
            it->v = (int64_t)(enc & 0x0f) - 1;
            return RKB_OK;
        }
        return blob_fail(rdb, "bad integer encoding");
    }
    BLOB_NEED(rdb, width);
    it->v = sign_extend(le(b + rdb->blob_pos, width), width * 8);
    rdb->blob_pos += (size_t)width;
    return RKB_OK;
}

/* Size of a listpack backlen for an entry of n bytes. */
static size_t lp_backlen_size(size_t n) {
    return n <= 127 ? 1 : n < 16383 ? 2 : n < 2097151 ? 3
                      : n < 268435455 ? 4 : 5;
}

static rkb_err_t listpack_item(rkb_rdb_t *rdb, item_t *it) {
    const unsigned char *b = rdb->blob;
    size_t start = rdb->blob_pos;
    BLOB_NEED(rdb, 1);
    unsigned enc = b[start];
    uint64_t len = 0;
    size_t hdr = 1;
    int width = 0;
    it->is_int = 1;
    if (enc < 0x80) {
        it->v = enc;
    } else if ((enc & 0xc0) == 0x80) {
        len = enc & 0x3f;
        it->is_int = 0;
    } else if ((enc & 0xe0) == 0xc0) {
        BLOB_NEED(rdb, 2);
        uint64_t u = ((uint64_t)(enc & 0x1f) << 8) | b[start + 1];
        it->v = sign_extend(u, 13);
        hdr = 2;
    } else if ((enc & 0xf0) == 0xe0) {
        BLOB_NEED(rdb, 2);
        len = ((uint64_t)(enc & 0x0f) << 8) | b[start + 1];
        hdr = 2;
        it->is_int = 0;
    } else if (enc == 0xf0) {
        BLOB_NEED(rdb, 5);
        len = le(b + start + 1, 4);
        hdr = 5;
        it->is_int = 0;
    } else if (enc >= 0xf1 && enc <= 0xf4) {
        static const int widths[] = {2, 3, 4, 8};
        width = widths[enc - 0xf1];
        BLOB_NEED(rdb, 1 + width);
        it->v = sign_extend(le(b + start + 1, width), width * 8);
        hdr = 1 + (size_t)width;
    } else {
        return blob_fail(rdb, "bad encoding byte");
    }
    size_t entry = hdr;
    if (!it->is_int) {
        BLOB_NEED(rdb, hdr + len);
        it->s.ptr = (const char *)b + start + hdr;
        it->s.len = (size_t)len;
        entry = hdr + (size_t)len;
    }
    size_t total = entry + lp_backlen_size(entry);
    BLOB_NEED(rdb, total);
    rdb->blob_pos += total;
    return RKB_OK;
}

static rkb_err_t zipmap_len(rkb_rdb_t *rdb, uint64_t *len) {
    BLOB_NEED(rdb, 1);
    unsigned first = rdb->blob[rdb->blob_pos++];
    if (first < 254) {
        *len = first;
        return RKB_OK;
    }
    if (first == 254) {
        BLOB_NEED(rdb, 4);
        *len = le(rdb->blob + rdb->blob_pos, 4);
        rdb->blob_pos += 4;
        return RKB_OK;
    }
    return blob_fail(rdb, "end marker inside an entry");
}

static rkb_err_t zipmap_item(rkb_rdb_t *rdb, item_t *it) {
    uint64_t len = 0;
    unsigned free_bytes = 0;
    TRY(zipmap_len(rdb, &len));
    if (rdb->zipmap_value) {
        BLOB_NEED(rdb, 1);
        free_bytes = rdb->blob[rdb->blob_pos++];
    }
    BLOB_NEED(rdb, len + free_bytes);
    it->is_int = 0;
    it->s.ptr = (const char *)rdb->blob + rdb->blob_pos;
    it->s.len = (size_t)len;
    rdb->blob_pos += (size_t)len + free_bytes;
    rdb->zipmap_value = !rdb->zipmap_value;
    return RKB_OK;
}

/* Next item of the blob: RKB_OK with *it, RKB_EAGAIN at its end (meaning
 * "no more items"), or an error. */
static rkb_err_t blob_item(rkb_rdb_t *rdb, item_t *it) {
    memset(it, 0, sizeof(*it));
    if (rdb->blob_kind == BLOB_INTSET) {
        size_t width = le(rdb->blob, 4);
        if (rdb->blob_pos >= rdb->blob_len) {
            return RKB_EAGAIN;
        }
        it->is_int = 1;
        it->v = sign_extend(le(rdb->blob + rdb->blob_pos, (int)width),
                            (int)width * 8);
        rdb->blob_pos += width;
        return RKB_OK;
    }
    if (rdb->blob_pos >= rdb->blob_len) {
        return blob_fail(rdb, "missing end marker");
    }
    if (rdb->blob[rdb->blob_pos] == 0xff) {
        if (rdb->blob_pos != rdb->blob_len - 1) {
            return blob_fail(rdb, "data after the end marker");
        }
        if (rdb->blob_kind == BLOB_ZIPMAP && rdb->zipmap_value) {
            return blob_fail(rdb, "field without a value");
        }
        return RKB_EAGAIN;
    }
    switch (rdb->blob_kind) {
    case BLOB_ZIPLIST:
        return ziplist_item(rdb, it);
    case BLOB_LISTPACK:
        return listpack_item(rdb, it);
    case BLOB_ZIPMAP:
        return zipmap_item(rdb, it);
    default:
        return blob_fail(rdb, "no blob");
    }
}

static rkb_rdb_str_t item_text(rkb_rdb_t *rdb, const item_t *it) {
    return it->is_int ? int_text(rdb, it->v) : it->s;
}

static rkb_err_t item_double(rkb_rdb_t *rdb, const item_t *it, double *d) {
    char buf[128];
    char *end;
    if (it->is_int) {
        *d = (double)it->v;
        return RKB_OK;
    }
    if (it->s.len == 0 || it->s.len >= sizeof(buf)) {
        return blob_fail(rdb, "bad score");
    }
    memcpy(buf, it->s.ptr, it->s.len);
    buf[it->s.len] = '\0';
    *d = strtod(buf, &end);
    if (*end != '\0') {
        return blob_fail(rdb, "bad score");
    }
    return RKB_OK;
}

/* Fills a batch from the current blob. Elements per item: 1 (list, set),
 * 2 (zset, hash), 3 (hash with field TTLs). *n == 0 when the blob is done. */
static rkb_err_t blob_batch(rkb_rdb_t *rdb, size_t *n) {
    size_t bytes = 0;
    rkb_err_t rc;
    item_t a, b, t;
    *n = 0;
    while (!batch_full(rdb, *n, bytes)) {
        rc = blob_item(rdb, &a);
        if (rc == RKB_EAGAIN) {
            return RKB_OK;
        }
        TRY(rc);
        rkb_rdb_elem_t *e = elem_at(rdb, *n);
        e->str = item_text(rdb, &a);
        if (rdb->obj_type == RKB_RDB_ZSET || rdb->obj_type == RKB_RDB_HASH) {
            rc = blob_item(rdb, &b);
            if (rc == RKB_EAGAIN) {
                return blob_fail(rdb, "odd number of items");
            }
            TRY(rc);
            if (rdb->obj_type == RKB_RDB_ZSET) {
                TRY(item_double(rdb, &b, &e->score));
            } else {
                e->value = item_text(rdb, &b);
            }
        }
        if (rdb->rdb_type == T_HASH_LPEX || rdb->rdb_type == T_HASH_LPEX_PRE) {
            rc = blob_item(rdb, &t);
            if (rc == RKB_EAGAIN) {
                return blob_fail(rdb, "field without an expiry");
            }
            TRY(rc);
            if (!t.is_int || t.v < 0 || (uint64_t)t.v > FIELD_EXPIRE_MAX) {
                return blob_fail(rdb, "bad field expiry");
            }
            e->expire_ms = t.v == 0 ? -1 : t.v;
        }
        bytes += e->str.len + e->value.len;
        (*n)++;
    }
    return RKB_OK;
}

/* ------------------------------------------------------------------------
 * Keys
 * --------------------------------------------------------------------- */

static blob_kind_t blob_kind_of(int type) {
    switch (type) {
    case T_HASH_ZIPMAP:
        return BLOB_ZIPMAP;
    case T_LIST_ZIPLIST:
    case T_ZSET_ZIPLIST:
    case T_HASH_ZIPLIST:
    case T_LIST_QL:
        return BLOB_ZIPLIST;
    case T_SET_INTSET:
        return BLOB_INTSET;
    case T_HASH_LP:
    case T_ZSET_LP:
    case T_SET_LP:
    case T_LIST_QL2:
    case T_HASH_LPEX:
    case T_HASH_LPEX_PRE:
        return BLOB_LISTPACK;
    default:
        return BLOB_NONE;
    }
}

static int obj_type_of(int type, rkb_rdb_type_t *t) {
    switch (type) {
    case T_STRING:
        *t = RKB_RDB_STRING;
        return 1;
    case T_LIST:
    case T_LIST_ZIPLIST:
    case T_LIST_QL:
    case T_LIST_QL2:
        *t = RKB_RDB_LIST;
        return 1;
    case T_SET:
    case T_SET_INTSET:
    case T_SET_LP:
        *t = RKB_RDB_SET;
        return 1;
    case T_ZSET:
    case T_ZSET_2:
    case T_ZSET_ZIPLIST:
    case T_ZSET_LP:
        *t = RKB_RDB_ZSET;
        return 1;
    case T_HASH:
    case T_HASH_ZIPMAP:
    case T_HASH_ZIPLIST:
    case T_HASH_LP:
    case T_HASH_META:
    case T_HASH_META_PRE:
    case T_HASH_LPEX:
    case T_HASH_LPEX_PRE:
        *t = RKB_RDB_HASH;
        return 1;
    case T_STREAM_1:
    case T_STREAM_2:
    case T_STREAM_3:
        *t = RKB_RDB_STREAM;
        return 1;
    case T_MODULE_PRE_GA:
    case T_MODULE_2:
        *t = RKB_RDB_MODULE;
        return 1;
    default:
        return 0;
    }
}

static void key_clear(rkb_rdb_t *rdb) {
    free(rdb->key);
    rdb->key = NULL;
    rdb->keylen = 0;
    rdb->key_done = 0;
    rdb->expire_ms = -1;
    rdb->lru_idle = -1;
    rdb->lfu_freq = -1;
    blob_free(rdb);
}

/* Type byte, key and the value's header; on success the key is current. */
static rkb_err_t key_begin(rkb_rdb_t *rdb, cur_t *c, unsigned type,
                           uint64_t off, rkb_rdb_event_t *ev) {
    rkb_rdb_type_t obj_type;
    rkb_rdb_str_t key;
    uint64_t n = 0;
    int64_t min_expire = 0;
    rkb_rdb_str_t blob = {NULL, 0};
    uint64_t blob_off = 0;

    if (!obj_type_of((int)type, &obj_type)) {
        return fail(rdb, RKB_ECORRUPT, off, "unknown type byte %u", type);
    }
    TRY(rd_str(rdb, c, &key));
    /* From here on errors name the key. */
    free(rdb->key);
    rdb->key = rkb_malloc(key.len ? key.len : 1);
    memcpy(rdb->key, key.ptr, key.len);
    rdb->keylen = key.len;
    uint64_t value_off = cur_off(rdb, c);

    switch (type) {
    case T_MODULE_PRE_GA:
    case T_MODULE_2:
        return fail(rdb, RKB_EUNSUPPORTED, off,
                    "module value (type byte %u) is not supported", type);
    case T_HASH_META_PRE:
        return fail(rdb, RKB_EUNSUPPORTED, off,
                    "pre-GA hash with field TTLs (type byte %u) is not "
                    "supported", type);
    case T_STRING:
        break;
    case T_LIST:
    case T_SET:
    case T_ZSET:
    case T_HASH:
    case T_ZSET_2:
    case T_LIST_QL:
    case T_LIST_QL2:
    case T_STREAM_1:
    case T_STREAM_2:
    case T_STREAM_3:
        TRY(rd_len(rdb, c, &n));
        break;
    case T_HASH_META: {
        uint64_t u = 0;
        TRY(rd_le(rdb, c, 8, &u));
        min_expire = (int64_t)u;
        TRY(rd_len(rdb, c, &n));
        break;
    }
    case T_HASH_LPEX: {
        uint64_t u = 0;
        TRY(rd_le(rdb, c, 8, &u));
        min_expire = (int64_t)u;
        blob_off = cur_off(rdb, c);
        TRY(rd_str(rdb, c, &blob));
        break;
    }
    default:
        blob_off = cur_off(rdb, c);
        TRY(rd_str(rdb, c, &blob));
        break;
    }
    commit(rdb, c);

    rdb->rdb_type = (int)type;
    rdb->obj_type = obj_type;
    rdb->remaining = n;
    rdb->min_expire = min_expire;
    rdb->stream_part = SP_NODES;
    if (blob.ptr != NULL) {
        TRY(blob_load(rdb, blob_kind_of((int)type), &blob, blob_off));
    }
    rdb->state = ST_VALUE;

    ev->type = RKB_RDB_EV_KEY_BEGIN;
    ev->offset = off;
    ev->db = rdb->db;
    ev->obj_type = obj_type;
    ev->rdb_type = (int)type;
    ev->key = (rkb_rdb_str_t){rdb->key, rdb->keylen};
    ev->value_offset = value_off;
    ev->expire_ms = rdb->expire_ms;
    ev->lru_idle = rdb->lru_idle;
    ev->lfu_freq = rdb->lfu_freq;
    return RKB_OK;
}

/* One element of a hashtable-encoded (or linked list) value. */
static rkb_err_t plain_elem(rkb_rdb_t *rdb, cur_t *c, rkb_rdb_elem_t *e) {
    TRY(rd_str(rdb, c, &e->str));
    switch (rdb->rdb_type) {
    case T_ZSET:
        return rd_text_double(rdb, c, &e->score);
    case T_ZSET_2:
        return rd_bin_double(rdb, c, &e->score);
    case T_HASH:
        return rd_str(rdb, c, &e->value);
    default:
        return RKB_OK;
    }
}

static rkb_err_t meta_elem(rkb_rdb_t *rdb, cur_t *c, rkb_rdb_elem_t *e) {
    uint64_t off = cur_off(rdb, c);
    uint64_t ttl = 0;
    TRY(rd_len(rdb, c, &ttl));
    TRY(rd_str(rdb, c, &e->str));
    TRY(rd_str(rdb, c, &e->value));
    if (ttl != 0) {
        uint64_t at = ttl + (uint64_t)rdb->min_expire - 1;
        if (at > FIELD_EXPIRE_MAX) {
            return fail(rdb, RKB_ECORRUPT, off, "field expiry out of range");
        }
        e->expire_ms = (int64_t)at;
    }
    return RKB_OK;
}

static void elems_event(rkb_rdb_t *rdb, rkb_rdb_event_t *ev, size_t n,
                        uint64_t off) {
    ev->type = RKB_RDB_EV_ELEMS;
    ev->offset = off;
    ev->obj_type = rdb->obj_type;
    ev->key = (rkb_rdb_str_t){rdb->key, rdb->keylen};
    ev->elems = rdb->elems;
    ev->nelems = n;
}

/* Loads the next quicklist node; *plain is set for a plain v2 node, whose
 * single element is then in elems[0]. */
static rkb_err_t ql_node(rkb_rdb_t *rdb, int *plain) {
    cur_t c = cursor(rdb);
    uint64_t off = cur_off(rdb, &c);
    uint64_t container = 2;
    rkb_rdb_str_t s;
    *plain = 0;
    if (rdb->rdb_type == T_LIST_QL2) {
        TRY(rd_len(rdb, &c, &container));
        if (container != 1 && container != 2) {
            return fail(rdb, RKB_ECORRUPT, off,
                        "unknown quicklist container %llu",
                        (unsigned long long)container);
        }
    }
    uint64_t str_off = cur_off(rdb, &c);
    TRY(rd_str(rdb, &c, &s));
    commit(rdb, &c);
    rdb->remaining--;
    if (container == 1) {
        *plain = 1;
        elem_at(rdb, 0)->str = s;
        return RKB_OK;
    }
    return blob_load(rdb, blob_kind_of(rdb->rdb_type), &s, str_off);
}


/* ------------------------------------------------------------------------
 * Streams (§3.9.6)
 * --------------------------------------------------------------------- */

#define STREAM_DELETED    1
#define STREAM_SAMEFIELDS 2

static rkb_err_t lp_int(rkb_rdb_t *rdb, int64_t *v) {
    item_t it;
    rkb_err_t rc = blob_item(rdb, &it);
    if (rc == RKB_EAGAIN) {
        return blob_fail(rdb, "stream node ends inside an entry");
    }
    TRY(rc);
    if (!it.is_int) {
        return blob_fail(rdb, "stream node: integer expected");
    }
    *v = it.v;
    return RKB_OK;
}

static rkb_err_t lp_any(rkb_rdb_t *rdb, item_t *it) {
    rkb_err_t rc = blob_item(rdb, it);
    if (rc == RKB_EAGAIN) {
        return blob_fail(rdb, "stream node ends inside an entry");
    }
    return rc;
}

/* Node key and listpack; reads the master entry. */
static rkb_err_t stream_node(rkb_rdb_t *rdb) {
    cur_t c = cursor(rdb);
    uint64_t off = cur_off(rdb, &c);
    rkb_rdb_str_t node_key, lp;
    int64_t count = 0, deleted = 0, nfields = 0, zero = 0;
    TRY(rd_str(rdb, &c, &node_key));
    uint64_t lp_off = cur_off(rdb, &c);
    TRY(rd_str(rdb, &c, &lp));
    commit(rdb, &c);
    rdb->remaining--;
    if (node_key.len != 16) {
        return fail(rdb, RKB_ECORRUPT, off,
                    "stream node key of %zu bytes, not 16", node_key.len);
    }
    rdb->master_id.ms = be((const unsigned char *)node_key.ptr, 8);
    rdb->master_id.seq = be((const unsigned char *)node_key.ptr + 8, 8);
    TRY(blob_load(rdb, BLOB_LISTPACK, &lp, lp_off));
    TRY(lp_int(rdb, &count));
    TRY(lp_int(rdb, &deleted));
    TRY(lp_int(rdb, &nfields));
    if (count < 0 || deleted < 0 || nfields <= 0 ||
        (uint64_t)nfields > rdb->blob_len) {
        return blob_fail(rdb, "bad stream master entry");
    }
    if ((size_t)nfields > rdb->master_fields_cap) {
        rdb->master_fields_cap = (size_t)nfields;
        rdb->master_fields = rkb_realloc(
            rdb->master_fields, rdb->master_fields_cap * sizeof(item_t));
    }
    rdb->master_nfields = (size_t)nfields;
    for (size_t i = 0; i < rdb->master_nfields; i++) {
        TRY(lp_any(rdb, &rdb->master_fields[i]));
    }
    TRY(lp_int(rdb, &zero));
    if (zero != 0) {
        return blob_fail(rdb, "stream master entry not terminated");
    }
    return RKB_OK;
}

/* Entries of the current node, whole entries per batch; *n == 0 at the
 * end of the node. */
static rkb_err_t stream_batch(rkb_rdb_t *rdb, size_t *n) {
    size_t bytes = 0;
    item_t it;
    *n = 0;
    while (!batch_full(rdb, *n, bytes)) {
        if (rdb->blob_pos < rdb->blob_len &&
            rdb->blob[rdb->blob_pos] == 0xff) {
            /* The end marker: checks that it is the last byte. */
            rkb_err_t rc = blob_item(rdb, &it);
            return rc == RKB_EAGAIN ? RKB_OK : rc;
        }
        int64_t flags = 0, ms_delta = 0, seq_delta = 0;
        int64_t nfields = 0, lp_count = 0;
        size_t first = *n;
        TRY(lp_int(rdb, &flags));
        TRY(lp_int(rdb, &ms_delta));
        TRY(lp_int(rdb, &seq_delta));
        int same = (flags & STREAM_SAMEFIELDS) != 0;
        if (same) {
            nfields = (int64_t)rdb->master_nfields;
        } else {
            TRY(lp_int(rdb, &nfields));
            if (nfields <= 0 || (uint64_t)nfields > rdb->blob_len) {
                return blob_fail(rdb, "bad stream entry field count");
            }
        }
        rkb_rdb_id_t id = {rdb->master_id.ms + (uint64_t)ms_delta,
                           rdb->master_id.seq + (uint64_t)seq_delta};
        for (int64_t i = 0; i < nfields; i++) {
            rkb_rdb_elem_t *e = elem_at(rdb, *n);
            e->id = id;
            if (same) {
                e->str = item_text(rdb, &rdb->master_fields[i]);
            } else {
                TRY(lp_any(rdb, &it));
                e->str = item_text(rdb, &it);
            }
            TRY(lp_any(rdb, &it));
            e->value = item_text(rdb, &it);
            bytes += e->str.len + e->value.len;
            (*n)++;
        }
        TRY(lp_int(rdb, &lp_count));
        if (lp_count != nfields + 3 + (same ? 0 : nfields + 1)) {
            return blob_fail(rdb, "bad stream entry element count");
        }
        if (flags & STREAM_DELETED) {
            *n = first; /* a deleted entry is kept in the node, not live */
        }
    }
    return RKB_OK;
}

static rkb_err_t rd_id_be(rkb_rdb_t *rdb, cur_t *c, rkb_rdb_id_t *id) {
    const unsigned char *b;
    TRY(rd_bytes(rdb, c, 16, &b));
    id->ms = be(b, 8);
    id->seq = be(b + 8, 8);
    return RKB_OK;
}

static rkb_err_t rd_id_len(rkb_rdb_t *rdb, cur_t *c, rkb_rdb_id_t *id) {
    TRY(rd_len(rdb, c, &id->ms));
    return rd_len(rdb, c, &id->seq);
}

static void stream_event(rkb_rdb_t *rdb, rkb_rdb_event_t *ev,
                         rkb_rdb_ev_type_t type, uint64_t off) {
    ev->type = type;
    ev->offset = off;
    ev->obj_type = RKB_RDB_STREAM;
    ev->key = (rkb_rdb_str_t){rdb->key, rdb->keylen};
}

/* The parts after the nodes. *got is 0 when a part ended with no event. */
static rkb_err_t stream_part(rkb_rdb_t *rdb, rkb_rdb_event_t *ev,
                             int *got) {
    cur_t c = cursor(rdb);
    uint64_t off = cur_off(rdb, &c);
    int v2 = rdb->rdb_type >= T_STREAM_2;
    size_t n = 0;
    uint64_t u = 0;

    *got = 1;
    switch (rdb->stream_part) {
    case SP_META:
        TRY(rd_len(rdb, &c, &ev->length));
        TRY(rd_id_len(rdb, &c, &ev->id));
        ev->entries_added = ev->length;
        if (v2) {
            TRY(rd_id_len(rdb, &c, &ev->first_id));
            TRY(rd_id_len(rdb, &c, &ev->max_deleted_id));
            TRY(rd_len(rdb, &c, &ev->entries_added));
        }
        TRY(rd_len(rdb, &c, &ev->count));
        commit(rdb, &c);
        rdb->groups_left = ev->count;
        rdb->stream_part = SP_GROUP;
        stream_event(rdb, ev, RKB_RDB_EV_STREAM_META, off);
        return RKB_OK;
    case SP_GROUP:
        if (rdb->groups_left == 0) {
            *got = 0;
            rdb->stream_part = -1; /* done */
            return RKB_OK;
        }
        TRY(rd_str(rdb, &c, &ev->name));
        TRY(rd_id_len(rdb, &c, &ev->id));
        ev->entries_read = RKB_RDB_UNKNOWN;
        if (v2) {
            TRY(rd_len(rdb, &c, &ev->entries_read));
        }
        TRY(rd_len(rdb, &c, &ev->count));
        commit(rdb, &c);
        rdb->groups_left--;
        rdb->pel_left = ev->count;
        rdb->stream_part = SP_PEL;
        stream_event(rdb, ev, RKB_RDB_EV_STREAM_GROUP, off);
        return RKB_OK;
    case SP_PEL:
    case SP_CONSUMER_PEL:
        if (rdb->pel_left == 0) {
            *got = 0;
            rdb->stream_part = rdb->stream_part == SP_PEL ? SP_CONSUMERS
                                                          : SP_CONSUMER;
            return RKB_OK;
        }
        while (n < rdb->pel_left && !batch_full(rdb, n, 0)) {
            rkb_rdb_elem_t *e = elem_at(rdb, n);
            TRY(rd_id_be(rdb, &c, &e->id));
            if (rdb->stream_part == SP_PEL) {
                TRY(rd_le(rdb, &c, 8, &u));
                e->delivery_ms = (int64_t)u;
                TRY(rd_len(rdb, &c, &e->delivery_count));
            }
            n++;
        }
        commit(rdb, &c);
        rdb->pel_left -= n;
        stream_event(rdb, ev, rdb->stream_part == SP_PEL
                                  ? RKB_RDB_EV_STREAM_PEL
                                  : RKB_RDB_EV_STREAM_CONSUMER_PEL, off);
        ev->elems = rdb->elems;
        ev->nelems = n;
        return RKB_OK;
    case SP_CONSUMERS:
        TRY(rd_len(rdb, &c, &rdb->consumers_left));
        commit(rdb, &c);
        rdb->stream_part = SP_CONSUMER;
        *got = 0;
        return RKB_OK;
    case SP_CONSUMER:
        if (rdb->consumers_left == 0) {
            *got = 0;
            rdb->stream_part = SP_GROUP;
            return RKB_OK;
        }
        TRY(rd_str(rdb, &c, &ev->name));
        TRY(rd_le(rdb, &c, 8, &u));
        ev->seen_ms = (int64_t)u;
        ev->active_ms = -1;
        if (rdb->rdb_type >= T_STREAM_3) {
            TRY(rd_le(rdb, &c, 8, &u));
            ev->active_ms = (int64_t)u;
        }
        TRY(rd_len(rdb, &c, &ev->count));
        commit(rdb, &c);
        rdb->consumers_left--;
        rdb->pel_left = ev->count;
        rdb->stream_part = SP_CONSUMER_PEL;
        stream_event(rdb, ev, RKB_RDB_EV_STREAM_CONSUMER, off);
        return RKB_OK;
    default:
        *got = 0;
        return RKB_OK;
    }
}

static rkb_err_t stream_next(rkb_rdb_t *rdb, rkb_rdb_event_t *ev,
                             int *done) {
    size_t n;
    int got;
    *done = 0;
    for (;;) {
        if (rdb->stream_part == SP_NODES) {
            if (rdb->blob_kind != BLOB_NONE) {
                uint64_t off = rdb->blob_off;
                TRY(stream_batch(rdb, &n));
                if (n > 0) {
                    elems_event(rdb, ev, n, off);
                    return RKB_OK;
                }
                blob_free(rdb);
            }
            if (rdb->remaining > 0) {
                TRY(stream_node(rdb));
                continue;
            }
            rdb->stream_part = SP_META;
        }
        if (rdb->stream_part < 0) {
            *done = 1;
            return RKB_OK;
        }
        TRY(stream_part(rdb, ev, &got));
        if (got) {
            return RKB_OK;
        }
    }
}

static rkb_err_t value_next(rkb_rdb_t *rdb, rkb_rdb_event_t *ev) {
    size_t n = 0;

    if (rdb->obj_type == RKB_RDB_STREAM) {
        int done;
        TRY(stream_next(rdb, ev, &done));
        if (!done) {
            return RKB_OK;
        }
        goto key_end;
    }

    for (;;) {
        if (rdb->blob_kind != BLOB_NONE) {
            uint64_t off = rdb->blob_off;
            TRY(blob_batch(rdb, &n));
            if (n > 0) {
                elems_event(rdb, ev, n, off);
                return RKB_OK;
            }
            blob_free(rdb);
        }
        if (rdb->rdb_type == T_LIST_QL || rdb->rdb_type == T_LIST_QL2) {
            if (rdb->remaining > 0) {
                int plain;
                uint64_t off = rdb->base + rdb->pos;
                TRY(ql_node(rdb, &plain));
                if (plain) {
                    elems_event(rdb, ev, 1, off);
                    return RKB_OK;
                }
                continue;
            }
            break;
        }
        if (rdb->rdb_type == T_STRING && rdb->remaining == 0) {
            cur_t c = cursor(rdb);
            uint64_t off = cur_off(rdb, &c);
            rkb_rdb_elem_t *e = elem_at(rdb, 0);
            TRY(rd_str(rdb, &c, &e->str));
            commit(rdb, &c);
            rdb->remaining = 1; /* marks the value as read */
            elems_event(rdb, ev, 1, off);
            return RKB_OK;
        }
        if (rdb->rdb_type == T_STRING || blob_kind_of(rdb->rdb_type) !=
                                             BLOB_NONE) {
            break;
        }
        /* Hashtable encodings: a whole batch is one unit. */
        if (rdb->remaining == 0) {
            break;
        }
        cur_t c = cursor(rdb);
        uint64_t off = cur_off(rdb, &c);
        size_t bytes = 0;
        while (n < rdb->remaining && !batch_full(rdb, n, bytes)) {
            rkb_rdb_elem_t *e = elem_at(rdb, n);
            if (rdb->rdb_type == T_HASH_META) {
                TRY(meta_elem(rdb, &c, e));
            } else {
                TRY(plain_elem(rdb, &c, e));
            }
            bytes += e->str.len + e->value.len;
            n++;
        }
        commit(rdb, &c);
        rdb->remaining -= n;
        elems_event(rdb, ev, n, off);
        return RKB_OK;
    }
key_end:
    ev->type = RKB_RDB_EV_KEY_END;
    ev->offset = rdb->base + rdb->pos;
    ev->end_offset = ev->offset;
    ev->obj_type = rdb->obj_type;
    /* The key stays owned until the next call, so the event may borrow it;
     * it is cleared when the next unit starts. */
    ev->key = (rkb_rdb_str_t){rdb->key, rdb->keylen};
    rdb->state = ST_TOP;
    rdb->rdb_type = -1;
    rdb->key_done = 1;
    return RKB_OK;
}

/* ------------------------------------------------------------------------
 * Top level
 * --------------------------------------------------------------------- */

static rkb_err_t magic(rkb_rdb_t *rdb, rkb_rdb_event_t *ev) {
    cur_t c = cursor(rdb);
    const unsigned char *b;
    TRY(rd_bytes(rdb, &c, 9, &b));
    if (memcmp(b, "REDIS", 5) != 0) {
        return fail(rdb, RKB_ECORRUPT, 0, "not an RDB file (no REDIS magic)");
    }
    int version = 0;
    for (int i = 5; i < 9; i++) {
        if (b[i] < '0' || b[i] > '9') {
            return fail(rdb, RKB_ECORRUPT, (uint64_t)i,
                        "bad version digits in the magic");
        }
        version = version * 10 + (b[i] - '0');
    }
    if (version < 1 || version > RKB_RDB_VERSION_MAX) {
        return fail(rdb, RKB_EVERSION, 5,
                    "RDB version %d is not supported (1..%d)", version,
                    RKB_RDB_VERSION_MAX);
    }
    commit(rdb, &c);
    rdb->version = version;
    rdb->state = ST_TOP;
    ev->type = RKB_RDB_EV_HEADER;
    ev->offset = 0;
    ev->version = version;
    return RKB_OK;
}

/* An opcode or a key. Opcodes that only prefix a key produce no event;
 * the loop in rkb_rdb_next goes on with the next unit. */
static rkb_err_t top(rkb_rdb_t *rdb, rkb_rdb_event_t *ev, int *got) {
    cur_t c = cursor(rdb);
    uint64_t off = cur_off(rdb, &c);
    unsigned op = 0;
    uint64_t u = 0;

    *got = 1;
    if (rdb->key_done) {
        key_clear(rdb); /* the previous KEY_END was returned */
    }
    TRY(rd_u8(rdb, &c, &op));
    ev->offset = off;
    switch (op) {
    case OP_EOF:
        commit(rdb, &c);
        rdb->crc_at_eof = rdb->crc;
        if (rdb->version >= 5) {
            rdb->state = ST_CRC;
            *got = 0;
            return RKB_OK;
        }
        rdb->state = ST_DONE;
        ev->type = RKB_RDB_EV_EOF;
        return RKB_OK;
    case OP_SELECTDB:
        TRY(rd_len(rdb, &c, &rdb->db));
        commit(rdb, &c);
        ev->type = RKB_RDB_EV_SELECTDB;
        ev->db = rdb->db;
        return RKB_OK;
    case OP_RESIZEDB:
        TRY(rd_len(rdb, &c, &ev->db_size));
        TRY(rd_len(rdb, &c, &ev->expires_size));
        commit(rdb, &c);
        ev->type = RKB_RDB_EV_RESIZEDB;
        return RKB_OK;
    case OP_SLOT_INFO:
        TRY(rd_len(rdb, &c, &ev->slot));
        TRY(rd_len(rdb, &c, &ev->db_size));
        TRY(rd_len(rdb, &c, &ev->expires_size));
        commit(rdb, &c);
        ev->type = RKB_RDB_EV_SLOT_INFO;
        return RKB_OK;
    case OP_AUX:
        TRY(rd_str(rdb, &c, &ev->name));
        TRY(rd_str(rdb, &c, &ev->value));
        commit(rdb, &c);
        ev->type = RKB_RDB_EV_AUX;
        return RKB_OK;
    case OP_FUNCTION2:
        TRY(rd_str(rdb, &c, &ev->value));
        commit(rdb, &c);
        ev->type = RKB_RDB_EV_FUNCTION;
        return RKB_OK;
    case OP_EXPIRETIME:
        TRY(rd_le(rdb, &c, 4, &u));
        commit(rdb, &c);
        rdb->expire_ms = (int64_t)(int32_t)(uint32_t)u * 1000;
        *got = 0;
        return RKB_OK;
    case OP_EXPIRETIME_MS:
        TRY(rd_le(rdb, &c, 8, &u));
        commit(rdb, &c);
        rdb->expire_ms = (int64_t)u;
        *got = 0;
        return RKB_OK;
    case OP_IDLE:
        TRY(rd_len(rdb, &c, &u));
        commit(rdb, &c);
        rdb->lru_idle = u > INT64_MAX ? INT64_MAX : (int64_t)u;
        *got = 0;
        return RKB_OK;
    case OP_FREQ:
        TRY(rd_u8(rdb, &c, &op));
        commit(rdb, &c);
        rdb->lfu_freq = (int)op;
        *got = 0;
        return RKB_OK;
    case OP_MODULE_AUX:
        return fail(rdb, RKB_EUNSUPPORTED, off,
                    "module aux data (opcode 247) is not supported");
    case OP_FUNCTION_PRE_GA:
        return fail(rdb, RKB_EUNSUPPORTED, off,
                    "pre-GA function (opcode 246) is not supported");
    default:
        return key_begin(rdb, &c, op, off, ev);
    }
}

static rkb_err_t trailer(rkb_rdb_t *rdb, rkb_rdb_event_t *ev) {
    cur_t c = cursor(rdb);
    uint64_t off = cur_off(rdb, &c);
    uint64_t stored = 0;
    TRY(rd_le(rdb, &c, 8, &stored));
    if (stored != 0 && stored != rdb->crc_at_eof) {
        return fail(rdb, RKB_ECORRUPT, off,
                    "checksum mismatch: stored %016llx, computed %016llx",
                    (unsigned long long)stored,
                    (unsigned long long)rdb->crc_at_eof);
    }
    commit(rdb, &c);
    rdb->state = ST_DONE;
    ev->type = RKB_RDB_EV_EOF;
    ev->offset = off - 1;
    ev->checksum = stored;
    ev->checksum_checked = stored != 0;
    return RKB_OK;
}

rkb_rdb_t *rkb_rdb_new(const rkb_rdb_limits_t *lim) {
    rkb_rdb_t *rdb = rkb_calloc(1, sizeof(*rdb));
    if (lim != NULL) {
        rdb->lim = *lim;
    }
    if (rdb->lim.batch_elems == 0) {
        rdb->lim.batch_elems = 128;
    }
    if (rdb->lim.batch_bytes == 0) {
        rdb->lim.batch_bytes = (size_t)1 << 20;
    }
    if (rdb->lim.string_max == 0) {
        rdb->lim.string_max = (size_t)512 << 20;
    }
    rdb->state = ST_MAGIC;
    rdb->rdb_type = -1;
    rdb->expire_ms = rdb->lru_idle = -1;
    rdb->lfu_freq = -1;
    return rdb;
}

void rkb_rdb_destroy(rkb_rdb_t *rdb) {
    if (rdb == NULL) {
        return;
    }
    arena_clear(rdb);
    free(rdb->arena);
    free(rdb->elems);
    free(rdb->key);
    free(rdb->blob);
    free(rdb->master_fields);
    rkb_buf_free(&rdb->in);
    free(rdb);
}

rkb_err_t rkb_rdb_feed(rkb_rdb_t *rdb, const char *buf, size_t len) {
    if (rdb->err != RKB_OK) {
        return rdb->err;
    }
    /* Drop consumed bytes first: events borrowing them are now stale. */
    if (rdb->pos > 0) {
        rkb_buf_consume(&rdb->in, rdb->pos);
        rdb->base += rdb->pos;
        rdb->pos = 0;
    }
    if (len > 0) {
        rkb_buf_append(&rdb->in, buf, len);
    }
    return RKB_OK;
}

rkb_err_t rkb_rdb_next(rkb_rdb_t *rdb, rkb_rdb_event_t *ev) {
    rkb_err_t rc;
    int got;

    if (rdb->err != RKB_OK) {
        return rdb->err;
    }
    arena_clear(rdb);
    memset(ev, 0, sizeof(*ev));
    ev->expire_ms = ev->lru_idle = -1;
    ev->lfu_freq = -1;
    if (rdb->base + rdb->in.len < rdb->need) {
        return RKB_EAGAIN;
    }
    for (;;) {
        switch (rdb->state) {
        case ST_MAGIC:
            return magic(rdb, ev);
        case ST_TOP:
            rc = top(rdb, ev, &got);
            if (rc != RKB_OK || got) {
                return rc;
            }
            break;
        case ST_VALUE:
            return value_next(rdb, ev);
        case ST_CRC:
            return trailer(rdb, ev);
        case ST_DONE:
            return RKB_EAGAIN;
        }
    }
}

const char *rkb_rdb_errstr(const rkb_rdb_t *rdb) {
    return rdb->errstr;
}

uint64_t rkb_rdb_offset(const rkb_rdb_t *rdb) {
    return rdb->base + rdb->pos;
}
