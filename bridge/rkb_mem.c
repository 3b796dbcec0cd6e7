#include "rkb_fmacros.h"
#include "rkb_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t size) __attribute__((noreturn));
static void oom(size_t size) {
    fprintf(stderr, "rkbridge: out of memory allocating %zu bytes\n", size);
    abort();
}

void *rkb_malloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (p == NULL) {
        oom(size);
    }
    return p;
}

void *rkb_calloc(size_t nmemb, size_t size) {
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (p == NULL) {
        oom(nmemb * size);
    }
    return p;
}

void *rkb_realloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL) {
        oom(size);
    }
    return p;
}

char *rkb_strndup(const char *s, size_t n) {
    char *p = rkb_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rkb_strdup(const char *s) {
    return rkb_strndup(s, strlen(s));
}

void rkb_assert_fail(const char *expr, const char *file, int line) {
    fprintf(stderr, "rkbridge: assertion failed: %s (%s:%d)\n", expr, file,
            line);
    abort();
}
