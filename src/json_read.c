/*
 * json_read.c - the JSON reader: a strict validator, then jsmn for tokens,
 * then typed field extraction from descriptor tables.
 *
 * jsmn is a tokenizer, not a validator: it accepts trailing commas, "tru",
 * "0012", raw control characters, lone surrogates, two top-level values,
 * and stops quietly at a NUL. So the body is first checked against the
 * JSON grammar here (RFC 8259, UTF-8 included), without recursion and with
 * a bounded nesting depth, and only a valid text reaches jsmn.
 *
 * jsmn runs in its default (non-strict) mode: validate() has already
 * refused everything strict mode would, and on a valid text both modes
 * give the same tokens, except that non-strict mode also takes a
 * top-level primitive at the very end of the text (strict mode wants a
 * delimiter after it).
 *
 * This is the only file that includes the jsmn implementation.
 */
#define JSMN_STATIC
#include <jsmn.h>

#include <string.h>

#include "internal.h"

#define JSON_MAX_DEPTH 64u

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

static int hex4(const uint8_t *s, size_t n, size_t i, uint32_t *out)
{
    uint32_t v = 0;
    size_t k;
    if (i + 4 > n)
        return -1;
    for (k = 0; k < 4; k++) {
        int ch = bact__lower(s[i + k]);
        if (ch >= '0' && ch <= '9')
            v = v * 16u + (uint32_t)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            v = v * 16u + (uint32_t)(ch - 'a' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Length of a valid UTF-8 sequence at s[i], or 0. */
size_t bact__utf8_len(const uint8_t *s, size_t n, size_t i)
{
    uint8_t c = s[i];
    size_t len, k;
    uint32_t cp;
    if (c < 0x80u)
        return 1;
    if (c >= 0xC2u && c <= 0xDFu) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0u && c <= 0xEFu) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0u && c <= 0xF4u) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (i + len > n)
        return 0;
    for (k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800u) || (len == 4 && cp < 0x10000u) ||
        cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu))
        return 0;
    return len;
}

/* A string starting at the quote s[i]; returns the index after the
 * closing quote, or 0. */
static size_t scan_string(const uint8_t *s, size_t n, size_t i)
{
    i++;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '"')
            return i + 1;
        if (c < 0x20u)
            return 0;
        if (c == '\\') {
            uint32_t u, lo;
            if (i + 1 >= n)
                return 0;
            switch (s[i + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n':
            case 'r': case 't':
                i += 2;
                continue;
            case 'u':
                if (hex4(s, n, i + 2, &u))
                    return 0;
                i += 6;
                if (u >= 0xDC00u && u <= 0xDFFFu)
                    return 0; /* lone low surrogate */
                if (u >= 0xD800u && u <= 0xDBFFu) {
                    if (i + 1 >= n || s[i] != '\\' || s[i + 1] != 'u' ||
                        hex4(s, n, i + 2, &lo) || lo < 0xDC00u || lo > 0xDFFFu)
                        return 0;
                    i += 6;
                }
                continue;
            default:
                return 0;
            }
        }
        if (c < 0x80u) {
            i++;
            continue;
        }
        {
            size_t l = bact__utf8_len(s, n, i);
            if (l == 0)
                return 0;
            i += l;
        }
    }
    return 0;
}

static size_t scan_number(const uint8_t *s, size_t n, size_t i)
{
    size_t d;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0') {
        i++;
    } else {
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && s[i] == '.') {
        d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i;
}

static size_t scan_word(const uint8_t *s, size_t n, size_t i, const char *w,
                        size_t k)
{
    if (i + k > n || !bact__eq((const char *)s + i, k, w))
        return 0;
    return i + k;
}

static int ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Grammar check. Containers are tracked as one bit per depth level. */
static int validate(const uint8_t *s, size_t n)
{
    uint32_t kind[JSON_MAX_DEPTH / 32u]; /* bit set: object */
    unsigned depth = 0;
    size_t i = 0;
    enum { VALUE, AFTER, KEY_OR_END, KEY, COLON, VALUE_OR_END } want = VALUE;

    memset(kind, 0, sizeof kind);
    while (i < n) {
        uint8_t c = s[i];
        if (ws(c)) {
            i++;
            continue;
        }
        switch (want) {
        case KEY_OR_END:
        case VALUE_OR_END:
            if ((want == KEY_OR_END && c == '}') ||
                (want == VALUE_OR_END && c == ']')) {
                depth--;
                i++;
                want = AFTER;
                break;
            }
            if (want == VALUE_OR_END) {
                want = VALUE;
                continue;
            }
            /* fall through */
        case KEY:
            if (c != '"' || (i = scan_string(s, n, i)) == 0)
                return BACT_E_JSON;
            want = COLON;
            break;
        case COLON:
            if (c != ':')
                return BACT_E_JSON;
            i++;
            want = VALUE;
            break;
        case VALUE:
            if (c == '{' || c == '[') {
                if (depth >= JSON_MAX_DEPTH)
                    return BACT_E_JSON;
                if (c == '{')
                    kind[depth / 32u] |= 1u << (depth % 32u);
                else
                    kind[depth / 32u] &= ~(1u << (depth % 32u));
                depth++;
                i++;
                want = (c == '{') ? KEY_OR_END : VALUE_OR_END;
                break;
            }
            if (c == '"')
                i = scan_string(s, n, i);
            else if (c == 't')
                i = scan_word(s, n, i, "true", 4);
            else if (c == 'f')
                i = scan_word(s, n, i, "false", 5);
            else if (c == 'n')
                i = scan_word(s, n, i, "null", 4);
            else
                i = scan_number(s, n, i);
            if (i == 0)
                return BACT_E_JSON;
            want = AFTER;
            break;
        case AFTER:
        default:
            if (depth == 0)
                return BACT_E_JSON; /* a second top-level value */
            {
                int obj = (kind[(depth - 1u) / 32u] >> ((depth - 1u) % 32u)) & 1u;
                if (c == ',') {
                    want = obj ? KEY : VALUE;
                } else if (c == (obj ? '}' : ']')) {
                    depth--;
                    want = AFTER;
                } else {
                    return BACT_E_JSON;
                }
                i++;
            }
            break;
        }
    }
    return (want == AFTER && depth == 0) ? BACT_OK : BACT_E_JSON;
}

int bact__json_parse(bact_client *c)
{
    jsmn_parser p;
    int r;

    c->ntok_used = 0;
    c->json = 0;
    if (c->body_len > 0x7FFFFFFFu)
        return BACT_E_JSON;
    r = validate(c->buf, c->body_len);
    if (r != BACT_OK)
        return r;
    jsmn_init(&p);
    r = jsmn_parse(&p, (const char *)c->buf, c->body_len, c->tok, c->ntok);
    if (r == JSMN_ERROR_NOMEM) {
        jsmn_init(&p);
        r = jsmn_parse(&p, (const char *)c->buf, c->body_len, NULL, 0);
        c->needed = r > 0 ? (size_t)r : 0u;
        return BACT_E_TOKENS;
    }
    if (r <= 0)
        return BACT_E_JSON; /* cannot happen after validate() */
    c->ntok_used = r;
    c->json = 1;
    return BACT_OK;
}

/* ------------------------------------------------------------------ */
/* Decoding strings in place                                            */
/* ------------------------------------------------------------------ */

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
    if (cp < 0x80u) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800u) {
        o[0] = (uint8_t)(0xC0u | (cp >> 6));
        o[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
        return 2;
    }
    if (cp < 0x10000u) {
        o[0] = (uint8_t)(0xE0u | (cp >> 12));
        o[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        o[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
        return 3;
    }
    o[0] = (uint8_t)(0xF0u | (cp >> 18));
    o[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
    o[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
    o[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
    return 4;
}

/* Unescape s[a..b) in place (the text is valid); returns the new end. An
 * escape is never shorter than what it stands for, so the write position
 * never passes the read position. */
static size_t unescape(uint8_t *s, size_t a, size_t b)
{
    size_t r = a, w = a;
    while (r < b) {
        uint32_t cp, lo;
        if (s[r] != '\\') {
            s[w++] = s[r++];
            continue;
        }
        switch (s[r + 1]) {
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            (void)hex4(s, b, r + 2, &cp);
            if (cp >= 0xD800u && cp <= 0xDBFFu) {
                (void)hex4(s, b, r + 8, &lo);
                cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
                r += 6;
            }
            r += 6;
            w += put_utf8(s + w, cp);
            continue;
        default: cp = s[r + 1]; break; /* " \ / */
        }
        s[w++] = (uint8_t)cp;
        r += 2;
    }
    return w;
}

void bact__json_decode(bact_client *c)
{
    int i;
    if (c->json != 1)
        return; /* not parsed, or already decoded */
    for (i = 0; i < c->ntok_used; i++) {
        jsmntok_t *t = &c->tok[i];
        if (t->type == JSMN_STRING) {
            size_t e = unescape(c->buf, (size_t)t->start, (size_t)t->end);
            c->buf[e] = 0; /* at most at the closing quote */
            t->end = (int)e;
        }
    }
    c->json = 2;
}

/* ------------------------------------------------------------------ */
/* Walking tokens                                                       */
/* ------------------------------------------------------------------ */

int bact__json_skip(const bact_client *c, int i)
{
    int pending = 1;
    while (pending > 0 && i < c->ntok_used) {
        pending += c->tok[i].size - 1;
        i++;
    }
    return i;
}

int bact__json_elem(const bact_client *c, int arr, unsigned idx)
{
    int i;
    unsigned k;
    if (arr < 0 || arr >= c->ntok_used || c->tok[arr].type != JSMN_ARRAY ||
        idx >= (unsigned)c->tok[arr].size)
        return -1;
    i = arr + 1;
    for (k = 0; k < idx; k++)
        i = bact__json_skip(c, i);
    return i < c->ntok_used ? i : -1;
}

/* The core's own comparisons and searches: the C library's string
 * functions are not linked (newlib's strcmp alone is 732 B on a
 * Cortex-M4), and every loop here is bounded by its length. */
int bact__eq(const char *a, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (word[i] == '\0' || a[i] != word[i])
            return 0;
    }
    return word[n] == '\0';
}

static int key_is(const bact_client *c, const jsmntok_t *t, const char *key)
{
    return t->type == JSMN_STRING &&
           bact__eq((const char *)c->buf + t->start,
                    (size_t)(t->end - t->start), key);
}

static int is_null(const bact_client *c, const jsmntok_t *t)
{
    return t->type == JSMN_PRIMITIVE && c->buf[t->start] == 'n';
}

/* An integer primitive (no fraction, no exponent) that fits an int64_t,
 * or with narrow set an int32_t. */
static int get_int(const bact_client *c, const jsmntok_t *t, int narrow,
                   int64_t *out)
{
    const uint8_t *s = c->buf + t->start;
    size_t n = (size_t)(t->end - t->start), i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (t->type != JSMN_PRIMITIVE || n == 0)
        return BACT_E_SHAPE;
    if (s[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i >= n)
        return BACT_E_SHAPE;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return BACT_E_SHAPE; /* true, null, 1.5, 1e3 */
        if (v > 922337203685477580u)
            return BACT_E_SHAPE;
        v = v * 10u + (uint64_t)(s[i] - '0');
    }
    if (v > 9223372036854775807u + (uint64_t)neg)
        return BACT_E_SHAPE;
    {
        int64_t x;
        if (!neg)
            x = (int64_t)v;
        else if (v == 0u)
            x = 0;
        else /* -(v - 1) - 1 reaches INT64_MIN without overflow */
            x = -(int64_t)(v - 1u) - 1;
        if (narrow && (x < INT32_MIN || x > INT32_MAX))
            return BACT_E_SHAPE;
        *out = x;
    }
    return BACT_OK;
}

/* Copy a string token into a fixed field of size cap. */
static int copy_str(const bact_client *c, const jsmntok_t *t, char *dst,
                    size_t cap)
{
    const uint8_t *s = c->buf + t->start;
    size_t n = (size_t)(t->end - t->start), i;
    if (t->type != JSMN_STRING || n >= cap)
        return BACT_E_SHAPE;
    for (i = 0; i < n; i++) {
        if (s[i] == 0)
            return BACT_E_SHAPE; /* never cut short, not even by a \u0000 */
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return BACT_OK;
}

static void set_absent(const bact__field *f, char *o)
{
    switch (f->type) {
    case BACT__J_STR: {
        const char *nul = NULL;
        memcpy(o + f->offset, &nul, sizeof nul);
        break;
    }
    case BACT__J_ID:
        o[f->offset] = '\0';
        break;
    case BACT__J_I32: {
        int32_t z = 0;
        memcpy(o + f->offset, &z, sizeof z);
        break;
    }
    case BACT__J_I64: {
        int64_t m = -1;
        memcpy(o + f->offset, &m, sizeof m);
        break;
    }
    case BACT__J_BOOL:
    case BACT__J_OBJ: {
        int v = (f->type == BACT__J_OBJ) ? -1 : 0;
        memcpy(o + f->offset, &v, sizeof v);
        break;
    }
    case BACT__J_ARRAY: {
        bact_array a;
        a.tok = -1;
        a.count = 0;
        memcpy(o + f->offset, &a, sizeof a);
        break;
    }
    case BACT__J_STATE:
        memset(o + f->offset, 0, sizeof(bact_task_state));
        break;
    default:
        break;
    }
}

static int store(const bact_client *c, const bact__field *f, int vi, char *o)
{
    const jsmntok_t *t = &c->tok[vi];
    int64_t x;
    int r;

    switch (f->type) {
    case BACT__J_STR: {
        const char *p = (const char *)c->buf + t->start;
        if (t->type != JSMN_STRING)
            return BACT_E_SHAPE;
        memcpy(o + f->offset, &p, sizeof p);
        return BACT_OK;
    }
    case BACT__J_ID:
        return copy_str(c, t, o + f->offset, BACT_ID_SIZE);
    case BACT__J_I32:
        r = get_int(c, t, 1, &x);
        if (r == BACT_OK) {
            int32_t v = (int32_t)x;
            memcpy(o + f->offset, &v, sizeof v);
        }
        return r;
    case BACT__J_I64:
        r = get_int(c, t, 0, &x);
        if (r == BACT_OK)
            memcpy(o + f->offset, &x, sizeof x);
        return r;
    case BACT__J_BOOL: {
        int v;
        if (t->type != JSMN_PRIMITIVE ||
            (c->buf[t->start] != 't' && c->buf[t->start] != 'f'))
            return BACT_E_SHAPE;
        v = c->buf[t->start] == 't';
        memcpy(o + f->offset, &v, sizeof v);
        return BACT_OK;
    }
    case BACT__J_ARRAY: {
        bact_array a;
        if (t->type != JSMN_ARRAY)
            return BACT_E_SHAPE;
        a.tok = vi;
        a.count = (unsigned)t->size;
        memcpy(o + f->offset, &a, sizeof a);
        return BACT_OK;
    }
    case BACT__J_STATE: {
        /* in place: copy_str() writes nothing when it fails */
        char *text = o + f->offset + offsetof(bact_task_state, text);
        bact_status st;
        r = copy_str(c, t, text, BACT_STATUS_SIZE);
        if (r != BACT_OK)
            return r;
        st = bact_status_parse(text, (size_t)(t->end - t->start));
        memcpy(o + f->offset + offsetof(bact_task_state, status), &st,
               sizeof st);
        return BACT_OK;
    }
    case BACT__J_OBJ:
        if (t->type != JSMN_OBJECT)
            return BACT_E_SHAPE;
        memcpy(o + f->offset, &vi, sizeof vi);
        return BACT_OK;
    default:
        return BACT_E_SHAPE;
    }
}

int bact__json_fields(const bact_client *c, int obj, const bact__field *f,
                      size_t nf, void *out)
{
    char *o = (char *)out;
    uint32_t seen = 0;
    size_t k;
    int i, n;

    for (k = 0; k < nf; k++)
        set_absent(&f[k], o);
    if (c->json != 2 || obj < 0 || obj >= c->ntok_used ||
        c->tok[obj].type != JSMN_OBJECT)
        return BACT_E_SHAPE;
    n = c->tok[obj].size;
    i = obj + 1;
    while (n-- > 0 && i + 1 < c->ntok_used) {
        int vi = i + 1;
        for (k = 0; k < nf; k++) {
            if (!(seen & (1u << k)) && key_is(c, &c->tok[i], f[k].key)) {
                if (!is_null(c, &c->tok[vi])) {
                    int r = store(c, &f[k], vi, o);
                    if (r != BACT_OK)
                        return r;
                    seen |= 1u << k;
                }
                break;
            }
        }
        i = bact__json_skip(c, vi);
    }
    for (k = 0; k < nf; k++) {
        if (f[k].required && !(seen & (1u << k)))
            return BACT_E_SHAPE;
    }
    return BACT_OK;
}

int bact__json_envelope(bact_client *c)
{
    int n, i, found = 0;
    if (c->json == 0 || c->ntok_used < 1 || c->tok[0].type != JSMN_OBJECT)
        return 0;
    n = c->tok[0].size;
    i = 1;
    c->err.has_code = 0;
    c->err.msg = NULL;
    c->err.trace_id = NULL;
    while (n-- > 0 && i + 1 < c->ntok_used) {
        const jsmntok_t *v = &c->tok[i + 1];
        int64_t x;
        if (key_is(c, &c->tok[i], "code")) {
            if (get_int(c, v, 1, &x) == BACT_OK) {
                c->err.code = (int32_t)x;
                c->err.has_code = 1;
            }
        } else if (key_is(c, &c->tok[i], "msg") && v->type == JSMN_STRING) {
            c->err.msg = (const char *)c->buf + v->start;
            found = 1;
        } else if (key_is(c, &c->tok[i], "traceId") && v->type == JSMN_STRING) {
            c->err.trace_id = (const char *)c->buf + v->start;
        }
        i = bact__json_skip(c, i + 1);
    }
    return c->err.has_code && c->err.code != 0 && found;
}
