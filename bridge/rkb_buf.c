#include "rkb_fmacros.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

#include <stdlib.h>
#include <string.h>

void rkb_buf_free(rkb_buf_t *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void rkb_buf_reserve(rkb_buf_t *b, size_t extra) {
    size_t need = b->len + extra;
    if (need <= b->cap) {
        return;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    b->data = rkb_realloc(b->data, cap);
    b->cap = cap;
}

void rkb_buf_append(rkb_buf_t *b, const void *p, size_t n) {
    if (n == 0) {
        return;
    }
    rkb_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void rkb_buf_consume(rkb_buf_t *b, size_t n) {
    RKB_ASSERT(n <= b->len);
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

void rkb_buf_clear(rkb_buf_t *b) {
    b->len = 0;
}

char *rkb_buf_detach(rkb_buf_t *b, size_t *len) {
    char *p = b->data;
    *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
