/* rkb_conf.c -- table-driven configuration engine over libconfig 1.5.
 *
 * Phases of a load (see rkb_conf.h): defaults -> read -> overrides (patched
 * into the config_t, tagged through the setting hook so their errors can
 * name the "-o" they came from) -> walk every setting against the table ->
 * required keys -> the daemon's post hook.
 *
 * Two libconfig 1.5 quirks are worked around by looking at the source text
 * (read lazily, only when needed):
 *  - a string list element reports the line of the token after it, so
 *    the last element of a multi-line list is off by one or more lines;
 *  - an integer literal without an "L" suffix that does not fit in 32 bits
 *    is silently truncated (5000000000 becomes 705032704, which could pass
 *    a range check), so INT settings are re-read from their literal. */
#include "rkb_fmacros.h"
#include "rkb_conf.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libconfig.h>

#define SHOW_MAX     96 /* longest value quoted in an error */
#define SUGGEST_MAX  2  /* max edit distance for "did you mean" */
#define LEV_LEN_MAX  64 /* longer names get no suggestion */
#define REDACTED     "(redacted)"
#define NO_FILE_NAME "<no config file>"
#define STRING_NAME  "<string>"

enum { ST_UNSET = 0, ST_SET, ST_BAD };

typedef struct ovr_s {
    char *origin; /* "-o path=value", escaped, value redacted if secret */
} ovr_t;

typedef struct src_s {
    char *name;       /* file name as libconfig reports it; NULL: string */
    char *text;       /* NULL if it could not be read */
    size_t *line_off; /* line_off[i]: offset of line i + 1 in text */
    size_t n_lines;
} src_t;

struct rkb_conf_ctx_s {
    const rkb_conf_entry_t *table;
    size_t n_entries;
    void *out;
    rkb_conf_errors_t *errs;
    const char *fname; /* path, "<string>", or NULL when there is no file */
    const char *text;  /* the text of rkb_conf_load_string() */
    config_t cfg;
    ovr_t *ovr;
    size_t n_ovr;
    int *state;    /* ST_* per entry */
    char **origin; /* per entry, owned, set with ST_SET */
    src_t *src;
    size_t n_src;
    size_t errs_at_start;
    size_t dropped; /* errors beyond RKB_CONF_ERRORS_MAX */
};

/* ------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------ */

static char *vfmt(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
static char *vfmt(const char *fmt, va_list ap) {
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) {
        return rkb_strdup("(unprintable message)");
    }
    char *s = rkb_malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *s = vfmt(f, ap);
    va_end(ap);
    return s;
}

/* Appends s with control characters, quotes and backslashes escaped, cut at
 * SHOW_MAX bytes, so a value from the file can never break an error line. */
static void esc_append(rkb_buf_t *b, const char *s, size_t len) {
    size_t i;
    for (i = 0; i < len && i < SHOW_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            rkb_buf_append(b, tmp, 2);
        } else if (c == '\n') {
            rkb_buf_append(b, "\\n", 2);
        } else if (c == '\t') {
            rkb_buf_append(b, "\\t", 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
            rkb_buf_append(b, tmp, 4);
        } else {
            rkb_buf_append(b, &s[i], 1);
        }
    }
    if (i < len) {
        rkb_buf_append(b, "...", 3);
    }
}

static char *buf_str(rkb_buf_t *b) {
    size_t len;
    rkb_buf_append(b, "", 1);
    return rkb_buf_detach(b, &len);
}

/* "value" quoted and escaped; caller frees. */
static char *quote_n(const char *s, size_t len) {
    rkb_buf_t b = RKB_BUF_INIT;
    rkb_buf_append(&b, "\"", 1);
    esc_append(&b, s, len);
    rkb_buf_append(&b, "\"", 1);
    return buf_str(&b);
}

static char *quote(const char *s) {
    return quote_n(s, strlen(s));
}

static void *field(void *out, const rkb_conf_entry_t *e) {
    return (char *)out + e->offset;
}

static const void *cfield(const void *out, const rkb_conf_entry_t *e) {
    return (const char *)out + e->offset;
}

static int is_strtype(rkb_conf_type_t t) {
    return t == RKB_CONF_STRING || t == RKB_CONF_HOSTPORT ||
           t == RKB_CONF_BROKERS || t == RKB_CONF_ENUM;
}

static size_t table_len(const rkb_conf_entry_t *table) {
    size_t n = 0;
    while (table[n].key != NULL) {
        n++;
    }
    return n;
}

static const char *leaf_of(const char *key) {
    const char *dot = strrchr(key, '.');
    return dot ? dot + 1 : key;
}

static int ci_contains(const char *s, size_t len, const char *needle) {
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++) {
        if (strncasecmp(s + i, needle, nl) == 0) {
            return 1;
        }
    }
    return 0;
}

int rkb_conf_prop_is_secret(const char *name, size_t name_len) {
    return ci_contains(name, name_len, "password") ||
           ci_contains(name, name_len, "secret") ||
           (name_len == 11 && strncasecmp(name, "ssl.key.pem", 11) == 0);
}

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

void rkb_conf_errors_free(rkb_conf_errors_t *errs) {
    for (size_t i = 0; i < errs->n; i++) {
        free(errs->v[i]);
    }
    free(errs->v);
    errs->v = NULL;
    errs->n = 0;
}

static void errors_take(rkb_conf_errors_t *errs, char *msg) {
    errs->v = rkb_realloc(errs->v, (errs->n + 1) * sizeof(*errs->v));
    errs->v[errs->n++] = msg;
}

void rkb_conf_errors_add(rkb_conf_errors_t *errs, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    errors_take(errs, vfmt(f, ap));
    va_end(ap);
}

void rkb_conf_errors_print(const rkb_conf_errors_t *errs, FILE *fp) {
    for (size_t i = 0; i < errs->n; i++) {
        fprintf(fp, "%s\n", errs->v[i]);
    }
}

/* "<where>: <key>: <message>" (or "<where>: <message>" without a key). */
static void report(rkb_conf_ctx_t *ctx, const char *where, const char *key,
                   const char *f, ...) __attribute__((format(printf, 4, 5)));
/* Past RKB_CONF_ERRORS_MAX errors, only count them: nobody reads more,
 * and a huge bad file must not cost a suggestion search per line. */
static int errs_full(rkb_conf_ctx_t *ctx) {
    if (ctx->errs->n - ctx->errs_at_start >= RKB_CONF_ERRORS_MAX) {
        ctx->dropped++;
        return 1;
    }
    return 0;
}

static void report(rkb_conf_ctx_t *ctx, const char *where, const char *key,
                   const char *f, ...) {
    va_list ap;
    if (errs_full(ctx)) {
        return;
    }
    va_start(ap, f);
    char *msg = vfmt(f, ap);
    va_end(ap);
    if (key != NULL) {
        rkb_conf_errors_add(ctx->errs, "%s: %s: %s", where, key, msg);
    } else {
        rkb_conf_errors_add(ctx->errs, "%s: %s", where, msg);
    }
    free(msg);
}

static const char *file_where(const rkb_conf_ctx_t *ctx) {
    return ctx->fname ? ctx->fname : NO_FILE_NAME;
}

/* ------------------------------------------------------------------------
 * Source text, for the libconfig 1.5 line and integer quirks
 * ------------------------------------------------------------------------ */

/* A regular file's text, or NULL (unreadable, too large, or not a regular
 * file: a FIFO or a tty given as -c was consumed by libconfig already). */
static char *read_regular_file(const char *path) {
    struct stat st;
    rkb_buf_t b = RKB_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *fp;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > RKB_CONF_FILE_MAX || (fp = fopen(path, "rb")) == NULL) {
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
           b.len <= RKB_CONF_FILE_MAX) {
        rkb_buf_append(&b, chunk, n);
    }
    if (ferror(fp) || b.len > RKB_CONF_FILE_MAX) {
        fclose(fp);
        rkb_buf_free(&b);
        return NULL;
    }
    fclose(fp);
    return buf_str(&b);
}

/* The text of file (NULL: the string being loaded) with its line index,
 * read on first use; src->text is NULL if it could not be read. */
static const src_t *src_get(rkb_conf_ctx_t *ctx, const char *file) {
    for (size_t i = 0; i < ctx->n_src; i++) {
        const char *name = ctx->src[i].name;
        if (name == file || (name && file && strcmp(name, file) == 0)) {
            return &ctx->src[i];
        }
    }
    ctx->src = rkb_realloc(ctx->src, (ctx->n_src + 1) * sizeof(*ctx->src));
    src_t *src = &ctx->src[ctx->n_src++];
    memset(src, 0, sizeof(*src));
    if (file != NULL) {
        src->name = rkb_strdup(file);
        src->text = read_regular_file(file);
    } else if (ctx->text != NULL) {
        src->text = rkb_strdup(ctx->text);
    }
    if (src->text == NULL) {
        return src;
    }
    size_t cap = 64;
    src->line_off = rkb_malloc(cap * sizeof(*src->line_off));
    src->line_off[src->n_lines++] = 0;
    for (const char *p = src->text; (p = strchr(p, '\n')) != NULL; p++) {
        if (src->n_lines == cap) {
            cap *= 2;
            src->line_off =
                rkb_realloc(src->line_off, cap * sizeof(*src->line_off));
        }
        src->line_off[src->n_lines++] = (size_t)(p + 1 - src->text);
    }
    return src;
}

/* Start of line number line (1-based), or NULL. */
static const char *src_line(const src_t *src, unsigned line) {
    if (src->text == NULL || line < 1 || line > src->n_lines) {
        return NULL;
    }
    return src->text + src->line_off[line - 1];
}

static const char *skip_blank(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f') {
        p++;
    }
    return p;
}

/* A string list element reports the line of the token after it (the
 * scanner looks ahead for "a" "b" concatenation): a ',' or the closing
 * bracket. When that token starts its line, the string ends on the nearest
 * line above that holds more than blanks or a comment. Other elements
 * report their own line. */
static unsigned fix_elem_line(rkb_conf_ctx_t *ctx, const char *file,
                              unsigned line) {
    const src_t *src = src_get(ctx, file);
    const char *p = src_line(src, line);
    if (p == NULL) {
        return line;
    }
    p = skip_blank(p);
    if (*p != ',' && *p != ')' && *p != ']') {
        return line;
    }
    for (unsigned l = line - 1; l >= 1; l--) {
        p = skip_blank(src_line(src, l));
        if (*p == '\n' || *p == '\0' || *p == '#' || *p == '*' ||
            (p[0] == '/' && (p[1] == '/' || p[1] == '*'))) {
            continue;
        }
        return l;
    }
    return line;
}

/* Skips blanks, newlines and comments. */
static const char *skip_space(const char *p) {
    for (;;) {
        if (isspace((unsigned char)*p)) {
            p++;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            while (*p != '\0' && *p != '\n') {
                p++;
            }
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

static int is_name_start(int c) {
    return isalpha(c) || c == '*';
}

static int is_name_char(int c) {
    return isalnum(c) || c == '-' || c == '_' || c == '*';
}

/* Finds "name = <integer>" with name on the given line (where libconfig
 * puts a setting), skipping strings and comments, and copies the literal
 * (at most litsz-1 bytes) into lit. @returns 1 if found, else 0. */
static int find_int_literal(const src_t *src, unsigned line, const char *name,
                            char *lit, size_t litsz) {
    const char *p = src_line(src, line), *eol;
    size_t nl = strlen(name);
    if (p == NULL) {
        return 0;
    }
    eol = strchr(p, '\n');
    if (eol == NULL) {
        eol = p + strlen(p);
    }
    while (p < eol) {
        const char *q = skip_space(p);
        if (q != p) {
            p = q;
            continue;
        }
        if (*p == '"') {
            for (p++; *p != '\0' && *p != '"'; p++) {
                if (*p == '\\' && p[1] != '\0') {
                    p++;
                }
            }
            if (*p == '"') {
                p++;
            }
            continue;
        }
        if (!is_name_start((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *start = p;
        while (is_name_char((unsigned char)*p)) {
            p++;
        }
        if ((size_t)(p - start) != nl || memcmp(start, name, nl) != 0) {
            continue;
        }
        q = skip_space(p);
        if (*q != '=' && *q != ':') {
            continue;
        }
        q = skip_space(q + 1);
        size_t n = 0;
        if (*q == '-' || *q == '+') {
            n++;
        }
        while (isxdigit((unsigned char)q[n]) || q[n] == 'x' || q[n] == 'X') {
            n++;
        }
        if (n == 0 || n >= litsz) {
            return 0;
        }
        memcpy(lit, q, n);
        lit[n] = '\0';
        return 1;
    }
    return 0;
}

/* libconfig 1.5 turns an integer literal without "L" into an int by
 * truncating (int)strtol() or (int)strtoul() for hex. Given the INT setting
 * s, recover what its literal really says.
 * @returns 0: use libconfig's value; 1: *val holds the literal's value;
 *          2: the literal (in lit) does not fit in a long long. */
static int int_literal(rkb_conf_ctx_t *ctx, const config_setting_t *s,
                       long long *val, char *lit, size_t litsz) {
    const src_t *src = src_get(ctx, config_setting_source_file(s));
    const char *name = config_setting_name(s);
    int ival = config_setting_get_int(s);
    if (name == NULL || !find_int_literal(src, config_setting_source_line(s),
                                          name, lit, litsz)) {
        return 0;
    }
    const char *digits = lit;
    if (*digits == '-' || *digits == '+') {
        digits++;
    }
    char *end;
    errno = 0;
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        if (digits != lit) {
            return 0; /* libconfig has no signed hex */
        }
        unsigned long long u = strtoull(digits + 2, &end, 16);
        int erange = errno == ERANGE;
        if (*end != '\0' || (int32_t)(uint32_t)u != ival) {
            return 0; /* not the literal this setting came from */
        }
        if (erange || u > (unsigned long long)LLONG_MAX) {
            return 2;
        }
        *val = (long long)u;
        return 1;
    }
    long long v = strtoll(lit, &end, 10);
    int erange = errno == ERANGE;
    if (*end != '\0' || !isdigit((unsigned char)*digits) ||
        (int32_t)(uint32_t)(unsigned long long)v != ival) {
        return 0;
    }
    if (erange) {
        return 2;
    }
    *val = v;
    return 1;
}

/* ------------------------------------------------------------------------
 * Where a setting came from
 * ------------------------------------------------------------------------ */

static char *setting_where(rkb_conf_ctx_t *ctx, const config_setting_t *s) {
    const ovr_t *o = config_setting_get_hook(s);
    if (o != NULL) {
        return rkb_strdup(o->origin);
    }
    const char *file = config_setting_source_file(s);
    unsigned line = config_setting_source_line(s);
    const config_setting_t *parent = config_setting_parent(s);
    if (parent != NULL && config_setting_type(s) == CONFIG_TYPE_STRING &&
        (config_setting_is_list(parent) || config_setting_is_array(parent))) {
        line = fix_elem_line(ctx, file, line);
    }
    return fmt("%s:%u", file ? file : STRING_NAME, line);
}

static const char *type_name(const config_setting_t *s) {
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP:
        return "a group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a float";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_ARRAY:
        return "an array";
    case CONFIG_TYPE_LIST:
        return "a list";
    default:
        return "a value";
    }
}

/* ------------------------------------------------------------------------
 * Table lookups and "did you mean"
 * ------------------------------------------------------------------------ */

static long find_entry_n(const rkb_conf_ctx_t *ctx, const char *key,
                         size_t len) {
    for (size_t i = 0; i < ctx->n_entries; i++) {
        const char *k = ctx->table[i].key;
        if (strncmp(k, key, len) == 0 && k[len] == '\0') {
            return (long)i;
        }
    }
    return -1;
}

static long find_entry(const rkb_conf_ctx_t *ctx, const char *key) {
    return find_entry_n(ctx, key, strlen(key));
}

/* Is path the name of a group of the table, e.g. "source"? */
static int is_group(const rkb_conf_ctx_t *ctx, const char *path) {
    size_t len = strlen(path);
    for (size_t i = 0; i < ctx->n_entries; i++) {
        const char *k = ctx->table[i].key;
        if (strncmp(k, path, len) == 0 && k[len] == '.') {
            return 1;
        }
    }
    return 0;
}

static size_t levenshtein(const char *a, size_t la, const char *b, size_t lb) {
    size_t row[LEV_LEN_MAX + 1];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The key or group closest to an unknown path: within SUGGEST_MAX edits,
 * else the one key with the same last component ("port" -> source.port).
 * @returns the suggestion's length (0: none) and sets *sugg, which points
 * into the table. */
static size_t suggest(const rkb_conf_ctx_t *ctx, const char *path,
                      const char **sugg, long *entry) {
    size_t plen = strlen(path), best = SIZE_MAX, best_len = 0;
    *entry = -1;
    if (plen <= LEV_LEN_MAX) {
        for (size_t i = 0; i < ctx->n_entries; i++) {
            const char *k = ctx->table[i].key;
            /* every group prefix of k, then k itself */
            for (const char *p = k;; p++) {
                if (*p != '.' && *p != '\0') {
                    continue;
                }
                size_t klen = (size_t)(p - k);
                size_t diff = klen > plen ? klen - plen : plen - klen;
                if (diff <= SUGGEST_MAX && klen <= LEV_LEN_MAX) {
                    size_t d = levenshtein(path, plen, k, klen);
                    if (d < best && d * 3 <= klen) {
                        best = d;
                        *sugg = k;
                        best_len = klen;
                        *entry = *p == '\0' ? (long)i : -1;
                    }
                }
                if (*p == '\0') {
                    break;
                }
            }
        }
    }
    if (best <= SUGGEST_MAX) {
        return best_len;
    }
    const char *leaf = leaf_of(path);
    long found = -1;
    for (size_t i = 0; i < ctx->n_entries; i++) {
        if (strcmp(leaf_of(ctx->table[i].key), leaf) == 0) {
            if (found >= 0) {
                return 0; /* ambiguous */
            }
            found = (long)i;
        }
    }
    if (found < 0) {
        return 0;
    }
    *entry = found;
    *sugg = ctx->table[found].key;
    return strlen(*sugg);
}

static void report_unknown(rkb_conf_ctx_t *ctx, const char *where,
                           const char *path) {
    const char *sugg = NULL;
    long entry;
    size_t len;
    if (errs_full(ctx)) {
        return;
    }
    len = suggest(ctx, path, &sugg, &entry);
    if (len > 0) {
        report(ctx, where, path, "unknown key (did you mean %.*s?)", (int)len,
               sugg);
    } else {
        report(ctx, where, path, "unknown key");
    }
}

/* ------------------------------------------------------------------------
 * Built-in format checks
 * ------------------------------------------------------------------------ */

/* Checks one "host:port" in s[0..len). @returns NULL or a static reason. */
static const char *hostport_reason(const char *s, size_t len, long *port) {
    const char *colon, *host = s;
    size_t hlen;
    if (len == 0) {
        return "empty";
    }
    if (s[0] == '[') {
        const char *rb = memchr(s, ']', len);
        if (rb == NULL) {
            return "no closing ']'";
        }
        host = s + 1;
        hlen = (size_t)(rb - host);
        if (hlen == 0) {
            return "empty host";
        }
        for (size_t i = 0; i < hlen; i++) {
            if (!isxdigit((unsigned char)host[i]) && host[i] != ':' &&
                host[i] != '.') {
                return "invalid IPv6 address";
            }
        }
        colon = rb + 1;
        if (colon == s + len || *colon != ':') {
            return "no port";
        }
    } else {
        colon = memchr(s, ':', len);
        if (colon == NULL) {
            return "no port";
        }
        hlen = (size_t)(colon - s);
        if (memchr(colon + 1, ':', len - hlen - 1) != NULL) {
            return "an IPv6 address must be written [addr]:port";
        }
        if (hlen == 0) {
            return "empty host";
        }
        for (size_t i = 0; i < hlen; i++) {
            unsigned char c = (unsigned char)host[i];
            if (!isalnum(c) && c != '-' && c != '.' && c != '_') {
                return "invalid character in host";
            }
        }
    }
    const char *p = colon + 1, *end = s + len;
    if (p == end) {
        return "empty port";
    }
    long v = 0;
    for (; p < end; p++) {
        if (!isdigit((unsigned char)*p)) {
            return "port is not a number";
        }
        if (v <= 65535) {
            v = v * 10 + (*p - '0');
        }
    }
    *port = v;
    if (v < 1 || v > 65535) {
        return "port is outside allowed range 1..65535";
    }
    return NULL;
}

static int check_hostport(const char *s, char *err, size_t errsz) {
    long port = 0;
    const char *why = hostport_reason(s, strlen(s), &port);
    if (why != NULL) {
        char *q = quote(s);
        snprintf(err, errsz, "%s is not host:port: %s", q, why);
        free(q);
        return -1;
    }
    return 0;
}

static int check_brokers(const char *s, char *err, size_t errsz) {
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        long port = 0;
        while (p < end && isspace((unsigned char)*p)) {
            p++;
        }
        const char *e = end;
        while (e > p && isspace((unsigned char)e[-1])) {
            e--;
        }
        const char *why = hostport_reason(p, (size_t)(e - p), &port);
        if (why != NULL) {
            char *qs = quote(s), *qe = quote_n(p, (size_t)(e - p));
            snprintf(err, errsz, "%s is not host:port[,host:port...]: %s: %s",
                     qs, qe, why);
            free(qs);
            free(qe);
            return -1;
        }
        if (comma == NULL) {
            return 0;
        }
        p = comma + 1;
    }
}

static int check_enum(const rkb_conf_entry_t *e, const char *s, char *err,
                      size_t errsz) {
    rkb_buf_t b = RKB_BUF_INIT;
    for (const char *const *v = e->values; v && *v; v++) {
        if (strcmp(*v, s) == 0) {
            return 0;
        }
    }
    for (const char *const *v = e->values; v && *v; v++) {
        if (v != e->values) {
            rkb_buf_append(&b, ", ", 2);
        }
        rkb_buf_append(&b, *v, strlen(*v));
    }
    char *list = buf_str(&b), *q = quote(s);
    snprintf(err, errsz, "%s is not one of: %s", q, list);
    free(list);
    free(q);
    return -1;
}

/* Type-specific format check, then the entry's validator.
 * @returns 0 or -1 with errstr set. */
static int check_value(const rkb_conf_entry_t *e, const rkb_conf_value_t *v,
                       char *err, size_t errsz) {
    int rc = 0;
    switch (e->type) {
    case RKB_CONF_INT:
        if (v->num < e->min || v->num > e->max) {
            snprintf(err, errsz, "%lld is outside allowed range %lld..%lld",
                     v->num, e->min, e->max);
            return -1;
        }
        break;
    case RKB_CONF_HOSTPORT:
        rc = check_hostport(v->str, err, errsz);
        break;
    case RKB_CONF_BROKERS:
        rc = check_brokers(v->str, err, errsz);
        break;
    case RKB_CONF_ENUM:
        rc = check_enum(e, v->str, err, errsz);
        break;
    default:
        break;
    }
    if (rc == 0 && e->check != NULL) {
        err[0] = '\0';
        rc = e->check(v, err, errsz) == 0 ? 0 : -1;
        if (rc != 0 && err[0] == '\0') {
            snprintf(err, errsz, "invalid value");
        }
    }
    return rc;
}

/* ------------------------------------------------------------------------
 * Storing values
 * ------------------------------------------------------------------------ */

static void wipe_free(char *s) {
    if (s != NULL) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static void strlist_free(rkb_conf_strlist_t *l) {
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
        free(l->origin[i]);
    }
    free(l->v);
    free(l->origin);
    l->v = l->origin = NULL;
    l->n = 0;
}

static void free_field(const rkb_conf_entry_t *e, void *out) {
    if (is_strtype(e->type)) {
        char **sp = field(out, e);
        if (e->flags & RKB_CONF_SECRET) {
            wipe_free(*sp);
        } else {
            free(*sp);
        }
        *sp = NULL;
    } else if (e->type == RKB_CONF_STRLIST) {
        strlist_free(field(out, e));
    }
}

static void set_default(const rkb_conf_entry_t *e, void *out) {
    switch (e->type) {
    case RKB_CONF_INT:
        *(long long *)field(out, e) = e->def_int;
        break;
    case RKB_CONF_BOOL:
        *(int *)field(out, e) = e->def_int != 0;
        break;
    case RKB_CONF_STRLIST: {
        rkb_conf_strlist_t *l = field(out, e);
        l->v = l->origin = NULL;
        l->n = 0;
        break;
    }
    default:
        *(char **)field(out, e) = e->def_str ? rkb_strdup(e->def_str) : NULL;
        break;
    }
}

static void mark_set(rkb_conf_ctx_t *ctx, size_t idx, char *where) {
    free(ctx->origin[idx]);
    ctx->origin[idx] = where;
    ctx->state[idx] = ST_SET;
}

static void mark_bad(rkb_conf_ctx_t *ctx, size_t idx) {
    free(ctx->origin[idx]);
    ctx->origin[idx] = NULL;
    ctx->state[idx] = ST_BAD;
}

static void mark_unset(rkb_conf_ctx_t *ctx, size_t idx) {
    free(ctx->origin[idx]);
    ctx->origin[idx] = NULL;
    ctx->state[idx] = ST_UNSET;
}

/* ------------------------------------------------------------------------
 * Taking one setting of the table
 * ------------------------------------------------------------------------ */

static int take_int(rkb_conf_ctx_t *ctx, const rkb_conf_entry_t *e,
                    const config_setting_t *s, const char *where) {
    char err[512], lit[64];
    rkb_conf_value_t v = {0, NULL};
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        report(ctx, where, e->key, "expected an integer, got %s", type_name(s));
        return -1;
    }
    v.num = config_setting_get_int64(s);
    if (t == CONFIG_TYPE_INT && config_setting_get_hook(s) == NULL) {
        /* 2: the literal does not even fit a long long */
        if (int_literal(ctx, s, &v.num, lit, sizeof(lit)) == 2) {
            report(ctx, where, e->key, "%s is outside allowed range %lld..%lld",
                   lit, e->min, e->max);
            return -1;
        }
    }
    if (check_value(e, &v, err, sizeof(err)) != 0) {
        report(ctx, where, e->key, "%s", err);
        return -1;
    }
    *(long long *)field(ctx->out, e) = v.num;
    return 0;
}

static int take_bool(rkb_conf_ctx_t *ctx, const rkb_conf_entry_t *e,
                     const config_setting_t *s, const char *where) {
    char err[512];
    rkb_conf_value_t v = {0, NULL};
    if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
        report(ctx, where, e->key, "expected a boolean (true or false), got %s",
               type_name(s));
        return -1;
    }
    v.num = config_setting_get_bool(s) != 0;
    if (check_value(e, &v, err, sizeof(err)) != 0) {
        report(ctx, where, e->key, "%s", err);
        return -1;
    }
    *(int *)field(ctx->out, e) = (int)v.num;
    return 0;
}

/* @returns 0 stored, 1 empty (unset), -1 error. */
static int take_string(rkb_conf_ctx_t *ctx, const rkb_conf_entry_t *e,
                       const config_setting_t *s, const char *where) {
    char err[512];
    rkb_conf_value_t v = {0, NULL};
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        report(ctx, where, e->key, "expected a string, got %s", type_name(s));
        return -1;
    }
    v.str = config_setting_get_string(s);
    if (v.str[0] == '\0') {
        if (e->flags & RKB_CONF_REQUIRED) {
            report(ctx, where, e->key, "must not be empty");
            return -1;
        }
        free_field(e, ctx->out);
        set_default(e, ctx->out);
        return 1;
    }
    if (check_value(e, &v, err, sizeof(err)) != 0) {
        /* Secrets are plain STRINGs (see rkb_conf_table_check), whose only
         * check is the validator, which must not echo them. */
        report(ctx, where, e->key, "%s", err);
        return -1;
    }
    free_field(e, ctx->out);
    *(char **)field(ctx->out, e) = rkb_strdup(v.str);
    return 0;
}

static int take_strlist(rkb_conf_ctx_t *ctx, const rkb_conf_entry_t *e,
                        const config_setting_t *s, const char *where) {
    rkb_conf_strlist_t l = {NULL, NULL, 0};
    char err[512];
    int rc = 0;
    if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
        report(ctx, where, e->key, "expected a list of strings, got %s",
               type_name(s));
        return -1;
    }
    int n = config_setting_length(s);
    l.v = rkb_calloc((size_t)n, sizeof(*l.v));
    l.origin = rkb_calloc((size_t)n, sizeof(*l.origin));
    for (int i = 0; i < n; i++) {
        const config_setting_t *el = config_setting_get_elem(s, (unsigned)i);
        char *ew = setting_where(ctx, el);
        rkb_conf_value_t v = {0, NULL};
        if (config_setting_type(el) != CONFIG_TYPE_STRING) {
            report(ctx, ew, e->key, "element %d: expected a string, got %s",
                   i + 1, type_name(el));
            rc = -1;
        } else if ((v.str = config_setting_get_string(el))[0] == '\0') {
            report(ctx, ew, e->key, "element %d: must not be empty", i + 1);
            rc = -1;
        } else if (check_value(e, &v, err, sizeof(err)) != 0) {
            report(ctx, ew, e->key, "%s", err);
            rc = -1;
        } else if (rc == 0) {
            l.v[l.n] = rkb_strdup(v.str);
            l.origin[l.n++] = ew;
            ew = NULL;
        }
        free(ew);
    }
    if (rc != 0) {
        strlist_free(&l);
        return -1;
    }
    strlist_free(field(ctx->out, e));
    *(rkb_conf_strlist_t *)field(ctx->out, e) = l;
    return 0;
}

static void take(rkb_conf_ctx_t *ctx, size_t idx, const config_setting_t *s) {
    const rkb_conf_entry_t *e = &ctx->table[idx];
    char *where = setting_where(ctx, s);
    int rc;
    switch (e->type) {
    case RKB_CONF_INT:
        rc = take_int(ctx, e, s, where);
        break;
    case RKB_CONF_BOOL:
        rc = take_bool(ctx, e, s, where);
        break;
    case RKB_CONF_STRLIST:
        rc = take_strlist(ctx, e, s, where);
        break;
    default:
        rc = take_string(ctx, e, s, where);
        break;
    }
    if (rc == 0) {
        mark_set(ctx, idx, where);
        return;
    }
    if (rc < 0) {
        mark_bad(ctx, idx);
    } else {
        mark_unset(ctx, idx);
    }
    free(where);
}

/* ------------------------------------------------------------------------
 * Walking the settings
 * ------------------------------------------------------------------------ */

static void walk_group(rkb_conf_ctx_t *ctx, const config_setting_t *g,
                       const char *prefix) {
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(s);
        char *path = prefix ? fmt("%s.%s", prefix, name) : rkb_strdup(name);
        long idx = find_entry(ctx, path);
        if (idx >= 0) {
            take(ctx, (size_t)idx, s);
        } else if (is_group(ctx, path)) {
            if (config_setting_is_group(s)) {
                walk_group(ctx, s, path);
            } else {
                char *where = setting_where(ctx, s);
                report(ctx, where, path, "expected a group, got %s",
                       type_name(s));
                free(where);
            }
        } else {
            char *where = setting_where(ctx, s);
            report_unknown(ctx, where, path);
            free(where);
        }
        free(path);
    }
}

/* Where to report that key is missing: the line of the deepest group on
 * its path that the file has, else the file. NULL: do not report (a group
 * on the path has the wrong type, which was reported already). */
static char *missing_where(rkb_conf_ctx_t *ctx, const char *key) {
    const config_setting_t *g = config_root_setting(&ctx->cfg);
    const config_setting_t *deepest = NULL;
    const char *p = key, *dot;
    while ((dot = strchr(p, '.')) != NULL) {
        char *comp = rkb_strndup(p, (size_t)(dot - p));
        const config_setting_t *m = config_setting_get_member(g, comp);
        free(comp);
        if (m == NULL) {
            break;
        }
        if (!config_setting_is_group(m)) {
            return NULL;
        }
        deepest = g = m;
        p = dot + 1;
    }
    if (deepest != NULL && config_setting_source_line(deepest) > 0) {
        return setting_where(ctx, deepest);
    }
    return rkb_strdup(file_where(ctx));
}

static void check_required(rkb_conf_ctx_t *ctx) {
    for (size_t i = 0; i < ctx->n_entries; i++) {
        const rkb_conf_entry_t *e = &ctx->table[i];
        if (!(e->flags & RKB_CONF_REQUIRED) || ctx->state[i] != ST_UNSET) {
            continue;
        }
        char *where = missing_where(ctx, e->key);
        if (where != NULL) {
            report(ctx, where, e->key, "required key is missing");
            free(where);
        }
    }
}

/* ------------------------------------------------------------------------
 * Overrides
 * ------------------------------------------------------------------------ */

/* Decimal or 0x hex, optional sign, nothing else.
 * @returns 0, -1 (not an integer) or -2 (does not fit a long long). */
static int parse_ll(const char *s, long long *v) {
    const char *p = s;
    char *end;
    int neg = 0;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    errno = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        if (!isxdigit((unsigned char)p[2])) {
            return -1;
        }
        unsigned long long u = strtoull(p + 2, &end, 16);
        if (*end != '\0') {
            return -1;
        }
        if (errno == ERANGE || u > (unsigned long long)LLONG_MAX) {
            return -2;
        }
        *v = neg ? -(long long)u : (long long)u;
        return 0;
    }
    if (!isdigit((unsigned char)*p)) {
        return -1;
    }
    *v = strtoll(s, &end, 10);
    if (*end != '\0') {
        return -1;
    }
    return errno == ERANGE ? -2 : 0;
}

static int parse_bool(const char *s, int *v) {
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *v = 1;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *v = 0;
            return 0;
        }
    }
    return -1;
}

static char *ovr_origin(const char *key, size_t klen, const char *value,
                        int secret) {
    rkb_buf_t b = RKB_BUF_INIT;
    rkb_buf_append(&b, "-o ", 3);
    esc_append(&b, key, klen);
    if (value != NULL) {
        rkb_buf_append(&b, "=", 1);
        if (secret) {
            rkb_buf_append(&b, REDACTED, strlen(REDACTED));
        } else {
            esc_append(&b, value, strlen(value));
        }
    }
    return buf_str(&b);
}

/* The group that holds key, created as needed. NULL when a setting on the
 * way is not a group (the walk reports that). */
static config_setting_t *ovr_parent(rkb_conf_ctx_t *ctx, const char *key,
                                    const char **leaf) {
    config_setting_t *g = config_root_setting(&ctx->cfg);
    const char *p = key, *dot;
    while ((dot = strchr(p, '.')) != NULL) {
        char *comp = rkb_strndup(p, (size_t)(dot - p));
        config_setting_t *m = config_setting_get_member(g, comp);
        if (m == NULL) {
            m = config_setting_add(g, comp, CONFIG_TYPE_GROUP);
        }
        free(comp);
        if (m == NULL || !config_setting_is_group(m)) {
            return NULL;
        }
        g = m;
        p = dot + 1;
    }
    *leaf = p;
    return g;
}

static void apply_override(rkb_conf_ctx_t *ctx, size_t i, const char *text) {
    const char *eq = text ? strchr(text, '=') : NULL;
    ovr_t *o = &ctx->ovr[i];
    if (eq == NULL || eq == text) {
        char *origin =
            ovr_origin(text ? text : "", text ? strlen(text) : 0, NULL, 0);
        report(ctx, origin, NULL, "expected path=value");
        free(origin);
        return;
    }
    size_t klen = (size_t)(eq - text);
    const char *value = eq + 1;
    long idx = find_entry_n(ctx, text, klen);
    if (idx < 0) {
        /* A mistyped secret key must not leak its value either. */
        char *key = rkb_strndup(text, klen);
        if (is_group(ctx, key)) {
            char *origin = ovr_origin(text, klen, value, 1);
            report(ctx, origin, key, "is a group, not a key");
            free(origin);
            free(key);
            return;
        }
        const char *sugg = NULL;
        long sidx;
        int secret =
            ci_contains(key, klen, "pass") || ci_contains(key, klen, "secret");
        if (suggest(ctx, key, &sugg, &sidx) > 0 && sidx >= 0 &&
            (ctx->table[sidx].flags & RKB_CONF_SECRET)) {
            secret = 1;
        }
        char *origin = ovr_origin(text, klen, value, secret);
        report_unknown(ctx, origin, key);
        free(origin);
        free(key);
        return;
    }
    const rkb_conf_entry_t *e = &ctx->table[idx];
    o->origin = ovr_origin(text, klen, value, e->flags & RKB_CONF_SECRET);

    long long num = 0;
    int b = 0, ctype;
    switch (e->type) {
    case RKB_CONF_INT:
        switch (parse_ll(value, &num)) {
        case -1:
            report(ctx, o->origin, e->key, "expected an integer");
            mark_bad(ctx, (size_t)idx);
            return;
        case -2: /* only digits: nothing to escape */
            report(ctx, o->origin, e->key,
                   "%s is outside allowed range %lld..%lld", value, e->min,
                   e->max);
            mark_bad(ctx, (size_t)idx);
            return;
        default:
            break;
        }
        ctype = CONFIG_TYPE_INT64;
        break;
    case RKB_CONF_BOOL:
        if (parse_bool(value, &b) != 0) {
            report(ctx, o->origin, e->key,
                   "expected a boolean (true or false)");
            mark_bad(ctx, (size_t)idx);
            return;
        }
        ctype = CONFIG_TYPE_BOOL;
        break;
    default:
        ctype = CONFIG_TYPE_STRING;
        break;
    }

    const char *leaf;
    config_setting_t *parent = ovr_parent(ctx, e->key, &leaf);
    if (parent == NULL) {
        return;
    }
    config_setting_t *s = config_setting_get_member(parent, leaf);
    if (e->type == RKB_CONF_STRLIST) {
        if (s == NULL) {
            s = config_setting_add(parent, leaf, CONFIG_TYPE_LIST);
        }
        if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
            return; /* the file's wrong type gets reported by the walk */
        }
        s = config_setting_add(s, NULL, CONFIG_TYPE_STRING);
    } else {
        if (s != NULL) {
            config_setting_remove(parent, leaf);
        }
        s = config_setting_add(parent, leaf, ctype);
    }
    if (s == NULL) {
        return;
    }
    config_setting_set_hook(s, o);
    if (ctype == CONFIG_TYPE_INT64) {
        config_setting_set_int64(s, num);
    } else if (ctype == CONFIG_TYPE_BOOL) {
        config_setting_set_bool(s, b);
    } else {
        config_setting_set_string(s, value);
    }
}

/* ------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------ */

const char *rkb_conf_origin(const rkb_conf_ctx_t *ctx, const char *key) {
    long idx = key ? find_entry(ctx, key) : -1;
    if (idx < 0 || ctx->state[idx] != ST_SET) {
        return NULL;
    }
    return ctx->origin[idx];
}

void rkb_conf_error(rkb_conf_ctx_t *ctx, const char *key, const char *f, ...) {
    const char *where = rkb_conf_origin(ctx, key);
    va_list ap;
    va_start(ap, f);
    char *msg = vfmt(f, ap);
    va_end(ap);
    report(ctx, where ? where : file_where(ctx), key, "%s", msg);
    free(msg);
}

static void read_error(rkb_conf_ctx_t *ctx, const char *path, int err) {
    if (config_error_type(&ctx->cfg) == CONFIG_ERR_FILE_IO) {
        struct stat st;
        const char *why;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            why = "is a directory";
        } else {
            why = err ? strerror(err) : config_error_text(&ctx->cfg);
        }
        report(ctx, path, NULL, "cannot read config file: %s", why);
        return;
    }
    const char *file = config_error_file(&ctx->cfg);
    if (file == NULL) {
        file = path ? path : STRING_NAME;
    }
    rkb_conf_errors_add(ctx->errs, "%s:%d: %s", file,
                        config_error_line(&ctx->cfg),
                        config_error_text(&ctx->cfg));
}

/* Refuses a file or string over RKB_CONF_FILE_MAX before libconfig reads
 * it (a wrong -c, e.g. an RDB file, must not be parsed at length).
 * A FIFO cannot be measured; libconfig reads it as it is. */
static int too_large(rkb_conf_ctx_t *ctx, const char *path, const char *text) {
    struct stat st;
    if (path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > RKB_CONF_FILE_MAX) {
        report(ctx, path, NULL, "config file is larger than %d bytes",
               RKB_CONF_FILE_MAX);
        return 1;
    }
    if (path == NULL && text != NULL && strlen(text) > RKB_CONF_FILE_MAX) {
        report(ctx, STRING_NAME, NULL, "config is larger than %d bytes",
               RKB_CONF_FILE_MAX);
        return 1;
    }
    return 0;
}

static int load(const rkb_conf_entry_t *table, void *out, const char *path,
                const char *text, const char *const *overrides,
                size_t n_overrides, rkb_conf_post_f *post,
                rkb_conf_errors_t *errs) {
    rkb_conf_ctx_t ctx;
    size_t n_errs_before = errs->n;
    int ok;

    memset(&ctx, 0, sizeof(ctx));
    ctx.table = table;
    ctx.n_entries = table_len(table);
    ctx.out = out;
    ctx.errs = errs;
    ctx.errs_at_start = errs->n;
    ctx.fname = path ? path : (text ? STRING_NAME : NULL);
    ctx.text = text;
    ctx.n_ovr = n_overrides;
    ctx.ovr = rkb_calloc(n_overrides, sizeof(*ctx.ovr));
    ctx.state = rkb_calloc(ctx.n_entries, sizeof(*ctx.state));
    ctx.origin = rkb_calloc(ctx.n_entries, sizeof(*ctx.origin));
    for (size_t i = 0; i < ctx.n_entries; i++) {
        set_default(&table[i], out);
    }

    config_init(&ctx.cfg);
    ok = 1;
    if (too_large(&ctx, path, text)) {
        ok = 0;
    } else if (path != NULL) {
        errno = 0;
        ok = config_read_file(&ctx.cfg, path);
    } else if (text != NULL) {
        ok = config_read_string(&ctx.cfg, text);
    }
    if (!ok) {
        /* Nothing of the file can be trusted; still check the overrides
         * on their own so that every error is reported in one go. */
        if (config_error_type(&ctx.cfg) != CONFIG_ERR_NONE) {
            read_error(&ctx, path, errno);
        }
        config_destroy(&ctx.cfg);
        config_init(&ctx.cfg);
    }
    for (size_t i = 0; i < n_overrides; i++) {
        apply_override(&ctx, i, overrides[i]);
    }
    walk_group(&ctx, config_root_setting(&ctx.cfg), NULL);
    if (ok) {
        check_required(&ctx);
        if (post != NULL) {
            post(&ctx, out);
        }
    }

    if (ctx.dropped > 0) {
        rkb_conf_errors_add(errs, "%s: %zu more errors not shown",
                            file_where(&ctx), ctx.dropped);
    }
    config_destroy(&ctx.cfg);
    for (size_t i = 0; i < ctx.n_ovr; i++) {
        free(ctx.ovr[i].origin);
    }
    for (size_t i = 0; i < ctx.n_entries; i++) {
        free(ctx.origin[i]);
    }
    for (size_t i = 0; i < ctx.n_src; i++) {
        free(ctx.src[i].name);
        free(ctx.src[i].text);
        free(ctx.src[i].line_off);
    }
    free(ctx.src);
    free(ctx.ovr);
    free(ctx.state);
    free(ctx.origin);
    return errs->n > n_errs_before ? -1 : 0;
}

int rkb_conf_load(const rkb_conf_entry_t *table, void *out, const char *path,
                  const char *const *overrides, size_t n_overrides,
                  rkb_conf_post_f *post, rkb_conf_errors_t *errs) {
    return load(table, out, path, NULL, overrides, n_overrides, post, errs);
}

int rkb_conf_load_string(const rkb_conf_entry_t *table, void *out,
                         const char *text, const char *const *overrides,
                         size_t n_overrides, rkb_conf_post_f *post,
                         rkb_conf_errors_t *errs) {
    return load(table, out, NULL, text ? text : "", overrides, n_overrides,
                post, errs);
}

void rkb_conf_free(const rkb_conf_entry_t *table, void *out) {
    for (const rkb_conf_entry_t *e = table; e->key != NULL; e++) {
        free_field(e, out);
    }
}

/* ------------------------------------------------------------------------
 * Dump
 * ------------------------------------------------------------------------ */

/* Writes s as a libconfig string literal. */
static void put_str(FILE *fp, const char *s, size_t len) {
    fputc('"', fp);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            fprintf(fp, "\\%c", c);
        } else if (c == '\n') {
            fputs("\\n", fp);
        } else if (c == '\r') {
            fputs("\\r", fp);
        } else if (c == '\t') {
            fputs("\\t", fp);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(fp, "\\x%02x", c);
        } else {
            fputc(c, fp);
        }
    }
    fputc('"', fp);
}

static void dump_value(const rkb_conf_entry_t *e, const void *cfg, FILE *fp,
                       int depth, const char *name) {
    int ind = depth * 4;
    switch (e->type) {
    case RKB_CONF_INT: {
        long long v = *(const long long *)cfield(cfg, e);
        /* libconfig 1.5 would truncate a big literal without "L" */
        fprintf(fp, "%*s%s = %lld%s;\n", ind, "", name, v,
                (v > INT_MAX || v < INT_MIN) ? "L" : "");
        break;
    }
    case RKB_CONF_BOOL:
        fprintf(fp, "%*s%s = %s;\n", ind, "", name,
                *(const int *)cfield(cfg, e) ? "true" : "false");
        break;
    case RKB_CONF_STRLIST: {
        const rkb_conf_strlist_t *l = cfield(cfg, e);
        if (l->n == 0) {
            fprintf(fp, "%*s%s = ( );\n", ind, "", name);
            break;
        }
        fprintf(fp, "%*s%s = (\n", ind, "", name);
        for (size_t i = 0; i < l->n; i++) {
            const char *s = l->v[i], *eq = strchr(s, '=');
            fprintf(fp, "%*s", ind + 4, "");
            if (e->flags & RKB_CONF_SECRET) {
                put_str(fp, REDACTED, strlen(REDACTED));
            } else if (eq != NULL &&
                       rkb_conf_prop_is_secret(s, (size_t)(eq - s))) {
                char *red = fmt("%.*s=%s", (int)(eq - s), s, REDACTED);
                put_str(fp, red, strlen(red));
                free(red);
            } else {
                put_str(fp, s, strlen(s));
            }
            fputs(i + 1 < l->n ? ",\n" : "\n", fp);
        }
        fprintf(fp, "%*s);\n", ind, "");
        break;
    }
    default: {
        const char *s = *(char *const *)cfield(cfg, e);
        if (s == NULL) {
            fprintf(fp, "%*s# %s is not set\n", ind, "", name);
        } else if (e->flags & RKB_CONF_SECRET) {
            fprintf(fp, "%*s%s = \"%s\";\n", ind, "", name, REDACTED);
        } else {
            fprintf(fp, "%*s%s = ", ind, "", name);
            put_str(fp, s, strlen(s));
            fputs(";\n", fp);
        }
        break;
    }
    }
}

/* Writes the keys under prefix (length plen, "" for the root) in table
 * order, each group once, at its first key. */
static void dump_level(const rkb_conf_entry_t *table, const void *cfg, FILE *fp,
                       const char *prefix, size_t plen, int depth) {
    for (const rkb_conf_entry_t *e = table; e->key != NULL; e++) {
        if (plen > 0 &&
            (strncmp(e->key, prefix, plen) != 0 || e->key[plen] != '.')) {
            continue;
        }
        const char *rest = e->key + (plen ? plen + 1 : 0);
        const char *dot = strchr(rest, '.');
        if (dot == NULL) {
            dump_value(e, cfg, fp, depth, rest);
            continue;
        }
        size_t glen = (size_t)(dot - e->key); /* prefix + group */
        int seen = 0;
        for (const rkb_conf_entry_t *p = table; p < e; p++) {
            if (strncmp(p->key, e->key, glen) == 0 && p->key[glen] == '.') {
                seen = 1;
                break;
            }
        }
        if (seen) {
            continue;
        }
        fprintf(fp, "%*s%.*s = {\n", depth * 4, "", (int)(dot - rest), rest);
        dump_level(table, cfg, fp, e->key, glen, depth + 1);
        fprintf(fp, "%*s};\n", depth * 4, "");
    }
}

void rkb_conf_dump(const rkb_conf_entry_t *table, const void *cfg, FILE *fp) {
    dump_level(table, cfg, fp, "", 0, 0);
}

/* ------------------------------------------------------------------------
 * Documentation
 * ------------------------------------------------------------------------ */

/* Writes s for a markdown table cell. */
static void put_cell(FILE *fp, const char *s) {
    for (; *s; s++) {
        if (*s == '|') {
            fputc('\\', fp);
        }
        fputc(*s == '\n' ? ' ' : *s, fp);
    }
}

static const char *doc_type(const rkb_conf_entry_t *e) {
    switch (e->type) {
    case RKB_CONF_INT:
        return "integer";
    case RKB_CONF_BOOL:
        return "boolean";
    case RKB_CONF_STRING:
        return (e->flags & RKB_CONF_SECRET) ? "string, secret" : "string";
    case RKB_CONF_STRLIST:
        return "list of strings";
    case RKB_CONF_HOSTPORT:
        return "host:port";
    case RKB_CONF_BROKERS:
        return "host:port list";
    case RKB_CONF_ENUM:
        return "enum";
    }
    return "?";
}

void rkb_conf_doc(const rkb_conf_entry_t *table, FILE *fp) {
    fputs("| Key | Type | Default | Range / values | Description |\n", fp);
    fputs("|-----|------|---------|----------------|-------------|\n", fp);
    for (const rkb_conf_entry_t *e = table; e->key != NULL; e++) {
        fprintf(fp, "| `%s` | %s | ", e->key, doc_type(e));
        if (e->flags & RKB_CONF_REQUIRED) {
            fputs("**required**", fp);
        } else if (e->def_doc != NULL) {
            put_cell(fp, e->def_doc);
        } else if (e->type == RKB_CONF_INT) {
            fprintf(fp, "`%lld`", e->def_int);
        } else if (e->type == RKB_CONF_BOOL) {
            fputs(e->def_int ? "`true`" : "`false`", fp);
        } else if (e->type == RKB_CONF_STRLIST) {
            fputs("empty", fp);
        } else if (e->def_str != NULL) {
            fputs("`\"", fp);
            put_cell(fp, e->def_str);
            fputs("\"`", fp);
        } else {
            fputs("none", fp);
        }
        fputs(" | ", fp);
        if (e->type == RKB_CONF_INT) {
            fprintf(fp, "%lld..%lld", e->min, e->max);
        } else if (e->type == RKB_CONF_ENUM) {
            for (const char *const *v = e->values; v && *v; v++) {
                fprintf(fp, "%s`%s`", v == e->values ? "" : ", ", *v);
            }
        } else if (e->type == RKB_CONF_HOSTPORT ||
                   e->type == RKB_CONF_BROKERS) {
            fputs("port 1..65535", fp);
        }
        fputs(" | ", fp);
        put_cell(fp, e->doc ? e->doc : "");
        fputs(" |\n", fp);
    }
}

/* ------------------------------------------------------------------------
 * Table self-check
 * ------------------------------------------------------------------------ */

static int key_is_valid(const char *key) {
    const char *p = key;
    for (;;) {
        if (!isalpha((unsigned char)*p)) {
            return 0;
        }
        while (isalnum((unsigned char)*p) || *p == '-' || *p == '_') {
            p++;
        }
        if (*p == '\0') {
            return 1;
        }
        if (*p != '.') {
            return 0;
        }
        p++;
    }
}

int rkb_conf_table_check(const rkb_conf_entry_t *table,
                         rkb_conf_errors_t *errs) {
    size_t n0 = errs->n;
    char err[512];
    for (const rkb_conf_entry_t *e = table; e->key != NULL; e++) {
        const char *k = e->key;
        size_t klen = strlen(k);
        if (!key_is_valid(k)) {
            rkb_conf_errors_add(errs, "%s: invalid key name", k);
            continue;
        }
        for (const rkb_conf_entry_t *p = table; p < e; p++) {
            size_t plen = strlen(p->key);
            if (strcmp(p->key, k) == 0) {
                rkb_conf_errors_add(errs, "%s: duplicate key", k);
            } else if ((plen < klen && strncmp(p->key, k, plen) == 0 &&
                        k[plen] == '.') ||
                       (klen < plen && strncmp(p->key, k, klen) == 0 &&
                        p->key[klen] == '.')) {
                rkb_conf_errors_add(errs, "%s: both a key and a group with %s",
                                    k, p->key);
            }
        }
        if ((e->flags & RKB_CONF_REQUIRED) &&
            (e->def_str != NULL || e->def_doc != NULL)) {
            rkb_conf_errors_add(errs, "%s: required key with a default", k);
        }
        if ((e->flags & RKB_CONF_SECRET) && e->type != RKB_CONF_STRING &&
            e->type != RKB_CONF_STRLIST) {
            /* the built-in checks of the other types quote the value */
            rkb_conf_errors_add(errs, "%s: only strings can be secret", k);
        }
        if (e->doc == NULL || e->doc[0] == '\0') {
            rkb_conf_errors_add(errs, "%s: no doc text", k);
        }
        if (e->type == RKB_CONF_INT) {
            rkb_conf_value_t v = {e->def_int, NULL};
            if (e->min > e->max) {
                rkb_conf_errors_add(errs, "%s: min > max", k);
            } else if (!(e->flags & RKB_CONF_REQUIRED) &&
                       check_value(e, &v, err, sizeof(err)) != 0) {
                rkb_conf_errors_add(errs, "%s: default: %s", k, err);
            }
        } else if (e->type == RKB_CONF_ENUM &&
                   (e->values == NULL || e->values[0] == NULL)) {
            rkb_conf_errors_add(errs, "%s: enum without values", k);
        } else if (e->type == RKB_CONF_STRLIST && e->def_str != NULL) {
            rkb_conf_errors_add(errs, "%s: a list cannot have a default", k);
        }
        if (is_strtype(e->type) && e->def_str != NULL) {
            rkb_conf_value_t v = {0, e->def_str};
            if (e->def_str[0] == '\0') {
                rkb_conf_errors_add(errs, "%s: empty default", k);
            } else if (check_value(e, &v, err, sizeof(err)) != 0) {
                rkb_conf_errors_add(errs, "%s: default: %s", k, err);
            }
        }
    }
    return errs->n > n0 ? -1 : 0;
}
