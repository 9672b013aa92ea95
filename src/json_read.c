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

#define KEY_TEXT_Z(k) #k "\0"
#define KEY_TEXT(k) #k
const char bact__keys[] =
    BACT__KEYS_Z(KEY_TEXT_Z) BACT__KEYS(KEY_TEXT) BACT__SAVE_MEMBER;
#undef KEY_TEXT_Z
#undef KEY_TEXT

/* the pool is its layout (and the literal's NUL); a field table's key
 * offsets have 11 bits */
typedef char bact__keys_fit[sizeof bact__keys ==
                                    sizeof(struct bact__keys) + 1u &&
                                    sizeof(struct bact__keys) <= 2048u
                                ? 1 : -1];

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

/* The four hex digits at s[i] of s[0..n) as a number; HEX_BAD, above any
 * such, when there are not four */
#define HEX_BAD 0xFFFFFFFFu
static uint32_t hex4(const uint8_t *s, size_t n, size_t i)
{
    uint32_t v = 0;
    size_t k;
    if (i + 4 > n)
        return HEX_BAD;
    for (k = i; k < i + 4; k++) {
        /* (not bact__hexval(): a call here makes its callers non-leaf,
         * which costs the poll path more than the copy costs here) */
        unsigned d = (unsigned)s[k] - '0';
        if (d >= 10u) {
            d = ((unsigned)s[k] | 0x20u) - 'a';
            if (d >= 6u)
                return HEX_BAD;
            d += 10u;
        }
        v = v * 16u + d;
    }
    return v;
}

/* Length of a valid UTF-8 sequence at s[i] (0x80 or above: the callers
 * take ASCII themselves), or 0. */
size_t bact__utf8_len(const uint8_t *s, size_t n, size_t i)
{
    uint32_t cp = s[i];
    size_t len, k;
    if (cp < 0xC2u || cp > 0xF4u || i + (len = cp < 0xE0u ? 2u
                                          : cp < 0xF0u ? 3u : 4u) > n)
        return 0;
    cp &= 0x7Fu >> len;
    for (k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    /* shortest form (at least 0x80, 0x800, 0x10000 by length: 2 bytes
     * always are), at most U+10FFFF, no surrogate */
    if (cp < (1u << (5u * len - 4u)) || cp > 0x10FFFFu ||
        cp - 0xD800u < 0x800u)
        return 0;
    return len;
}

/* The word at s; where its bytes end a run of plain string bytes: '"',
 * '\\', below 0x20 or from 0x80 on. A borrow only comes from a byte
 * already caught and only runs towards the word's more significant bytes,
 * so the least significant flag is always a true one. */
static size_t string_stop(const uint8_t *s)
{
    size_t x, q, b;
    memcpy(&x, s, sizeof x);
    q = x ^ BACT__W_ONES * '"';
    b = x ^ BACT__W_ONES * '\\';
    return ((x - BACT__W_ONES * 0x20u) | ((q - BACT__W_ONES) & ~q) |
            ((b - BACT__W_ONES) & ~b) | x) &
           BACT__W_HI;
}

/* A string starting at the quote s[i]; returns the index after the
 * closing quote, or 0. An escape in it sets *escaped to
 * BACT__JSON_PLAIN (the flag the text then does not get). */
static size_t scan_string(const uint8_t *s, size_t n, size_t i,
                          unsigned *escaped)
{
    static const char esc[] = "\"\\/bfnrt";
    i++;
    while (i < n) {
        uint8_t c;
        size_t l;
        while (n - i >= sizeof(size_t)) { /* plain bytes a word at a time */
            size_t m = string_stop(s + i), k;
            if (m == 0) {
                i += sizeof(size_t);
                continue;
            }
            k = bact__first_flag(m);
            if (k < sizeof(size_t))
                i += k;
            break;
        }
        if (i >= n)
            break;
        c = s[i];
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            uint32_t u;
            *escaped = BACT__JSON_PLAIN;
            if (i + 1 >= n)
                return 0;
            c = s[i + 1];
            i += 2;
            if (c != 'u') {
                for (l = 0; l < 8u && esc[l] != c; l++)
                    ;
                if (l == 8u)
                    return 0;
                continue;
            }
            u = hex4(s, n, i);
            if (u > 0xFFFFu || u - 0xDC00u < 0x400u)
                return 0; /* bad hex, or a lone low surrogate */
            i += 4;
            if (u - 0xD800u < 0x400u) { /* a high one wants its low one
                                           (four hex digits from i + 2:
                                           s[i + 1] is there) */
                if (hex4(s, n, i + 2) - 0xDC00u >= 0x400u ||
                    s[i] != '\\' || s[i + 1] != 'u')
                    return 0;
                i += 6;
            }
            continue;
        }
        if (c < 0x20u)
            return 0;
        if (c < 0x80u) {
            i++;
            continue;
        }
        if ((l = bact__utf8_len(s, n, i)) == 0)
            return 0;
        i += l;
    }
    return 0;
}

/* One or more digits at s[i]: the index after them, or 0. */
static size_t digits(const uint8_t *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && (unsigned)s[j] - '0' < 10u)
        j++;
    return j == i ? 0 : j;
}

/* (out of line: validate()'s loop keeps its registers, internal.h) */
static BACT__OUTLINE size_t scan_number(const uint8_t *s, size_t n, size_t i)
{
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if ((i = digits(s, n, i)) == 0)
        return 0;
    if (i < n && s[i] == '.' && (i = digits(s, n, i + 1)) == 0)
        return 0;
    if (i < n && (s[i] | 0x20) == 'e') {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        i = digits(s, n, i);
    }
    return i;
}

static size_t scan_word(const uint8_t *s, size_t n, size_t i, const char *w)
{
    /* (a word longer than the n - i bytes left never matches) */
    const char *e = bact__past((const char *)s + i, w, n - i);
    return e ? (size_t)(e - (const char *)s) : 0;
}

static size_t skip_ws(const uint8_t *s, size_t n, size_t i)
{
    /* '\t' '\n' '\r': bits 9, 10 and 13 */
    while (i < n &&
           (s[i] == ' ' || (s[i] < 14u && (0x2600u >> s[i]) & 1u)))
        i++;
    return i;
}

/* "true", "null" and "false" in one array, each at 't' less its first
 * byte (0, 6 and 14): one address to load for the three */
static const char literals[] = "true\0\0null\0\0\0\0false";

/* What validate() takes next (in FIRST and AFTER, also the closer of
 * the innermost container) */
enum {
    V_VALUE, /* a value: the text's, after ':', after ',' in an array */
    V_KEY,   /* a key: after ',' in an object */
    V_COLON, /* the ':' after a key */
    V_FIRST, /* after an opener: its closer, or a key (object) or value */
    V_AFTER  /* after a value: ',' or a closer; at the top, the end */
};

/* Grammar check, one token (a value, a key, or a byte of {}[],:) per
 * round, each eating at least a byte, whitespace before it. The open
 * containers are a stack of bits, one a level (set: an object), shifted
 * in and out: no variable shifts.
 * Returns the number of tokens jsmn will make of the text (one per value
 * and one per key), or 0 when the text is not JSON. */
static size_t validate(const uint8_t *s, size_t n, unsigned *esc)
{
    uint64_t kind = 0; /* bit 0: the innermost container */
    unsigned depth = 0, st = V_VALUE;
    size_t i = 0, count = 0;

    for (;;) {
        uint8_t c;
        i = skip_ws(s, n, i);
        if (i >= n) /* one value only, every container closed */
            return st == V_AFTER && depth == 0 ? count : 0;
        c = s[i];
        if (st >= V_FIRST && depth != 0 &&
            c == (']' | ((unsigned)kind & 1u) << 5)) { /* or '}' */
            kind >>= 1;
            depth--;
            i++;
            st = V_AFTER;
            continue;
        }
        if (st == V_AFTER) {
            if (c != ',' || depth == 0)
                return 0;
            i++;
            st = (kind & 1u) ? V_KEY : V_VALUE;
            continue;
        }
        if (st == V_COLON) {
            if (c != ':')
                return 0;
            i++;
            st = V_VALUE;
            continue;
        }
        count++;
        if (st == V_KEY || (st == V_FIRST && (kind & 1u))) {
            if (c != '"')
                return 0;
            st = V_COLON;
        } else if (c == '{' || c == '[') {
            if (depth >= JSON_MAX_DEPTH)
                return 0;
            kind = kind << 1 | (c == '{');
            depth++;
            i++;
            st = V_FIRST;
            continue;
        } else {
            st = V_AFTER;
        }
        if (c == '"')
            i = scan_string(s, n, i, esc);
        else if (c == 't' || c == 'f' || c == 'n')
            i = scan_word(s, n, i, literals + ('t' - c));
        else
            i = scan_number(s, n, i);
        if (i == 0)
            return 0;
    }
}

int bact__json_parse(bact_client *c)
{
    jsmn_parser p;
    unsigned esc = 0;
    size_t need;
    int r;

    c->ntok_used = 0;
    c->json = 0;
    c->cur = &c->cursor; /* new tokens: no element read yet */
    c->cursor.arr = -1;
    c->answers++; /* and no handle from an earlier answer reads them */
    if (c->body_len > 0x7FFFFFFFu)
        return BACT_E_JSON;
    need = validate(c->buf, c->body_len, &esc);
    if (need == 0)
        return BACT_E_JSON;
    /* the tokens are counted above, so jsmn runs once, and only on a
     * token array that holds them all (never NULL after bact_init(): the
     * test lets the compiler drop jsmn's count-only paths) */
    if (need > c->ntok || c->tok == NULL) {
        c->needed = need;
        return BACT_E_TOKENS;
    }
    jsmn_init(&p);
    r = jsmn_parse(&p, (const char *)c->buf, c->body_len, c->tok, c->ntok);
    if (r <= 0)
        return BACT_E_JSON; /* cannot happen after validate() */
    c->ntok_used = r;
    c->json = (uint8_t)((1u | BACT__JSON_PLAIN) ^ esc);
    return BACT_OK;
}

/* ------------------------------------------------------------------ */
/* Decoding strings in place                                            */
/* ------------------------------------------------------------------ */

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
    size_t len = cp < 0x80u ? 1u : cp < 0x800u ? 2u : cp < 0x10000u ? 3u : 4u;
    size_t k;
    for (k = len - 1u; k > 0; k--) {
        o[k] = (uint8_t)(0x80u | (cp & 0x3Fu));
        cp >>= 6;
    }
    /* the lead byte: 0xC0, 0xE0 or 0xF0 above a 1-byte form */
    o[0] = (uint8_t)(cp | (len > 1u ? (0xF00u >> len) & 0xF0u : 0u));
    return len;
}

/* Unescape s[a..b) in place (the text is valid); returns the new end. An
 * escape is never shorter than what it stands for, so the write position
 * never passes the read position. (Apart from bact__json_decode(), which
 * calls it only for a text with escapes: smaller so.) */
/* b f n r t: the control byte they stand for, less 8, in three bits at
 * (letter - 'b') / 2 * 3 (slots 0, 2, 6, 8, 9) */
#define ESC_SLOT(letter, byte)                                              \
    ((uint32_t)((byte) - 8u) << ((unsigned)((letter) - 'b') / 2u * 3u))
#define ESC_BYTES                                                           \
    (ESC_SLOT('b', '\b') | ESC_SLOT('f', '\f') | ESC_SLOT('n', '\n') |       \
     ESC_SLOT('r', '\r') | ESC_SLOT('t', '\t'))

static BACT__NOINLINE size_t unescape(uint8_t *s, size_t a, size_t b)
{
    size_t r = a, w = a;
    while (r < b) {
        uint32_t cp; /* (the text is valid: hex4() finds its digits) */
        if (s[r] != '\\') {
            s[w++] = s[r++];
            continue;
        }
        cp = s[r + 1]; /* \" \\ / stand for themselves */
        r += 2;
        if (cp == 'u') {
            cp = hex4(s, b, r);
            if (cp >= 0xD800u && cp <= 0xDBFFu) {
                cp = 0x10000u + ((cp - 0xD800u) << 10) +
                     (hex4(s, b, r + 6) - 0xDC00u);
                r += 6;
            }
            r += 4;
        } else if (cp >= 'b') { /* the text is valid: one of b f n r t */
            cp = 8u + ((ESC_BYTES >> ((cp - 'b') / 2u * 3u)) & 7u);
        }
        w += put_utf8(s + w, cp); /* (one byte below 0x80) */
    }
    return w;
}

void bact__json_decode(bact_client *c)
{
    /* (read once: a byte written to the buffer may, as the compiler
     * sees it, change the client) */
    uint8_t *buf = c->buf;
    jsmntok_t *t = c->tok, *end;
    int plain = (c->json & BACT__JSON_PLAIN) != 0;
    if (BACT__JSON_STAGE(c) != 1)
        return; /* not parsed, or already decoded */
    for (end = t + c->ntok_used; t < end; t++) {
        if (t->type == JSMN_STRING) {
            size_t e = plain ? (size_t)t->end
                             : unescape(buf, (size_t)t->start,
                                        (size_t)t->end);
            buf[e] = 0; /* at most at the closing quote */
            t->end = (int)e;
        }
    }
    c->json++; /* stage 1 to 2, BACT__JSON_PLAIN kept */
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
    /* bact__json_parse() points cur at the client's own cursor; in a copy
     * of a client it is still the original's: no cursor then */
    struct bact__cursor *cur = c->cur == &c->cursor ? c->cur : NULL;
    int i = arr + 1;
    unsigned k = 0;
    /* a negative index is a large unsigned one: one test for both ends */
    if ((unsigned)arr >= (unsigned)c->ntok_used ||
        c->tok[arr].type != JSMN_ARRAY || idx >= (unsigned)c->tok[arr].size)
        return -1;
    if (cur != NULL && cur->arr == arr && cur->idx <= idx) {
        i = cur->tok; /* on from the element read last */
        k = cur->idx;
    }
    for (; k < idx; k++)
        i = bact__json_skip(c, i);
    if (cur != NULL) {
        cur->arr = arr;
        cur->tok = i;
        cur->idx = idx; /* k, after the loop */
    }
    return i < c->ntok_used ? i : -1;
}

/* The core's own comparisons and searches: the C library's string
 * functions are not linked (newlib's strcmp alone is 732 B on a
 * Cortex-M4), and every loop here is bounded by its length. */
const char *bact__past(const char *s, const char *word, size_t max)
{
    size_t k;
    for (k = 0; word[k] != '\0'; k++) {
        if (k >= max || s[k] != word[k])
            return NULL;
    }
    return s + k;
}

/* 1 when token t, a member's name (a string: the text was validated), is
 * the key q of the pool (BACT__QNAME(): a key need not end where the
 * pool's string does). A text parsed but not decoded that holds escapes
 * (json is then 1: raw mode's envelope check) has a \u escape count as
 * what it stands for, so "\u006dsg" is msg there as it is once decoded;
 * keys are C identifiers, so a short escape stands for no byte of one,
 * and a backslash anywhere else (a decoded one) matches none. (Not
 * inlined into its one caller: its frame would stack on that one's,
 * which is on the field readers' chains.) */
BACT__NOINLINE static int key_is(const bact_client *c, const jsmntok_t *t,
                                 unsigned q)
{
    const uint8_t *a = c->buf;
    const char *key = BACT__KEY_AT(BACT__QNAME_AT(q));
    size_t i, r = (size_t)t->start, end = (size_t)t->end,
              len = BACT__QNAME_LEN(q);
    /* (a[end] is the closing quote, or the NUL decoding put there: no
     * byte of a key, so the compare stops there) */
    for (i = 0; i < len; i++) {
        if (a[r++] != (uint8_t)key[i]) { /* (escapes off the fast path) */
            if (a[r - 1u] != '\\' || c->json != 1u || a[r] != 'u' ||
                hex4(a, end, r + 1u) != (uint8_t)key[i])
                return 0;
            r += 5;
        }
    }
    return r == end;
}

static int is_null(const bact_client *c, const jsmntok_t *t)
{
    return t->type == JSMN_PRIMITIVE && c->buf[t->start] == 'n';
}

/* An integer primitive (no fraction, no exponent) that fits an int64_t,
 * or with narrow set an int32_t. t is a primitive (the callers check) and
 * the text was validated: a literal or a JSON number, so never empty, and
 * a '-' has a digit after. (Not inlined, as key_is().) */
BACT__NOINLINE static int get_int(const bact_client *c, const jsmntok_t *t,
                                  int narrow, int64_t *out)
{
    const uint8_t *s = c->buf + t->start;
    size_t n = (size_t)(t->end - t->start), i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (s[0] == '-') {
        neg = 1;
        i = 1;
    }
    /* JSON has no leading zeros: 19 digits at most keep v below 10^19,
     * which a uint64_t holds (no test of v in the loop) */
    if (n - i > 19u)
        return BACT_E_SHAPE; /* too large, or no integer */
    for (; i < n; i++) {
        unsigned d = (unsigned)s[i] - '0';
        if (d > 9u)
            return BACT_E_SHAPE; /* true, null, 1.5, 1e3 */
        v = v * 10u + d;
    }
    /* the largest magnitude: 2^31 or 2^63, less one unless negative */
    if (v > (narrow ? 0x7FFFFFFFu : 0x7FFFFFFFFFFFFFFFu) + (uint64_t)neg)
        return BACT_E_SHAPE;
    if (neg && v != 0u) /* -(v - 1) - 1 reaches INT64_MIN without
                           overflow; "-0" is 0 */
        *out = -(int64_t)(v - 1u) - 1;
    else
        *out = (int64_t)v;
    return BACT_OK;
}

/* Copy a string token into a fixed field of size cap; with cut set, a
 * longer one is cut to fit, at a character's start. Returns the length
 * copied, or BACT_E_SHAPE (nothing written). */
static int copy_str(const bact_client *c, const jsmntok_t *t, char *dst,
                    size_t cap, int cut)
{
    const uint8_t *s = c->buf + t->start;
    size_t len = (size_t)(t->end - t->start), n = len;
    if (n >= cap) {
        if (!cut)
            return BACT_E_SHAPE;
        n = cap - 1u;
        while (n > 0u && (s[n] & 0xC0u) == 0x80u) /* (valid UTF-8: 3 at most) */
            n--;
    }
    /* never cut short, not even by a \u0000, wherever it is (bact__strnlen()
     * reads s[len] too: at most the decoded string's own NUL) */
    if (!(c->json & BACT__JSON_PLAIN) &&
        bact__strnlen((const char *)s, len) < len)
        return BACT_E_SHAPE;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return (int)n;
}

/* Per field type (BACT__J_* - 1): the token type it takes, and how it
 * reads when absent: so many bytes zeroed, then the first so many set to
 * all ones (-1: an I64, an OBJ index, a bact_array's tok). */
static const struct field_kind {
    uint8_t tok, zero, ones;
} field_kind[8] = {
    { JSMN_STRING, sizeof(const char *), 0 },         /* STR */
    { JSMN_STRING, 1, 0 },                            /* ID: "" */
    { JSMN_PRIMITIVE, sizeof(int32_t), 0 },           /* I32 */
    { JSMN_PRIMITIVE, sizeof(int64_t), sizeof(int64_t) }, /* I64 */
    { JSMN_PRIMITIVE, sizeof(int), 0 },               /* BOOL */
    { JSMN_ARRAY, sizeof(bact_array), sizeof(int) },  /* ARRAY */
    { JSMN_STRING, sizeof(bact_task_state), 0 },      /* STATE */
    { JSMN_OBJECT, sizeof(int), sizeof(int) }         /* OBJ */
};

/* store() writes an array's count and answer as one pair */
typedef char bact__array_pair[offsetof(bact_array, answer) ==
                              offsetof(bact_array, count) + sizeof(unsigned)
                              ? 1 : -1];

static int store(const bact_client *c, const bact__field *f, int vi, char *o)
{
    const jsmntok_t *t = &c->tok[vi];
    int64_t x;
    int r;

    o += f->offset;
    if (t->type != (jsmntype_t)field_kind[f->type - 1u].tok)
        return BACT_E_SHAPE;
    /* tests rather than a switch: no jump table */
    if (f->type == BACT__J_STR) {
        const char *p = (const char *)c->buf + t->start;
        memcpy(o, &p, sizeof p);
        return BACT_OK;
    }
    if (f->type == BACT__J_I32 || f->type == BACT__J_I64) {
        r = get_int(c, t, f->type == BACT__J_I32, &x);
        if (r == BACT_OK) {
            if (f->type == BACT__J_I32) {
                int32_t v = (int32_t)x;
                memcpy(o, &v, sizeof v);
            } else {
                memcpy(o, &x, sizeof x);
            }
        }
        return r;
    }
    if (f->type == BACT__J_BOOL) {
        int v = c->buf[t->start] == 't';
        if (!v && c->buf[t->start] != 'f')
            return BACT_E_SHAPE;
        memcpy(o, &v, sizeof v);
        return BACT_OK;
    }
    if (f->type == BACT__J_ID || f->type == BACT__J_STATE) {
        /* copied in place (copy_str() writes nothing when it fails); a
         * status word longer than any known one is a status still: not
         * terminal, its text cut to fit */
        int state = f->type == BACT__J_STATE;
        char *text = o + (state ? offsetof(bact_task_state, text) : 0u);
        r = copy_str(c, t, text, state ? BACT_STATUS_SIZE : BACT_ID_SIZE,
                     state);
        if (r < 0)
            return r;
        if (state) {
            bact_status st = bact_status_parse(text, (size_t)r);
            memcpy(o + offsetof(bact_task_state, status), &st, sizeof st);
        }
        return BACT_OK;
    }
    { /* ARRAY, OBJ: the token index, and an array's count and answer */
        unsigned v[2];
        v[0] = (unsigned)t->size;
        v[1] = c->answers;
        memcpy(o, &vi, sizeof vi);
        if (f->type == BACT__J_ARRAY)
            memcpy(o + offsetof(bact_array, count), v, sizeof v);
        return BACT_OK;
    }
}

/* nf with FIELDS_ANY: the envelope's reading (json_read.c only). A text
 * parsed but not decoded is read too, a value that does not read (of
 * another type, out of range) is passed over as if absent, and what is
 * returned is the mask of the entries read (BACT_E_SHAPE: no object). */
#define FIELDS_ANY 0x100u

int bact__json_fields(const bact_client *c, int obj, const bact__field *f,
                      size_t nf, void *out)
{
    char *o = (char *)out;
    /* need: the required entries' bits, and bit 31 with FIELDS_ANY (no
     * table has 31 entries: seen has room for a bit each) */
    uint32_t seen = 0, need = (uint32_t)(nf & FIELDS_ANY) << 23;
    size_t k;
    int i, n;

    nf &= 0xFFu;
    for (k = 0; k < nf; k++) {
        char *p = o + f[k].offset;
        const struct field_kind *fk = &field_kind[f[k].type - 1u];
        memset(p, 0, fk->zero);
        memset(p, 0xFF, fk->ones); /* (of no bytes for most: a call is
                                       smaller than the test) */
        need |= (uint32_t)f[k].required << k;
    }
    /* (stage 2, or with FIELDS_ANY 1 or 2) */
    if (BACT__JSON_STAGE(c) + (need >> 31) < 2u ||
        (unsigned)obj >= (unsigned)c->ntok_used ||
        c->tok[obj].type != JSMN_OBJECT)
        return BACT_E_SHAPE;
    n = c->tok[obj].size;
    i = obj + 1;
    while (n-- > 0 && i + 1 < c->ntok_used) {
        int vi = i + 1;
        for (k = 0; k < nf; k++) {
            if (!(seen & (1u << k)) &&
                key_is(c, &c->tok[i], f[k].key)) {
                if (!is_null(c, &c->tok[vi])) {
                    int r = store(c, &f[k], vi, o);
                    if (r == BACT_OK)
                        seen |= 1u << k;
                    else if (!(need >> 31))
                        return r;
                }
                break;
            }
        }
        i = bact__json_skip(c, vi);
    }
    if (need >> 31)
        return (int)seen;
    return (seen & need) == need ? BACT_OK : BACT_E_SHAPE;
}

/* The envelope's members: of one named twice, the first that reads
 * counts (bact__json_fields() passes over a member it has read) */
static const bact__field envelope_fields[] = {
    BACT__FIELD(code, I32, 0, bact_api_error, code),
    BACT__FIELD(msg, STR, 0, bact_api_error, msg),
    BACT__FIELD(traceId, STR, 0, bact_api_error, trace_id)
};

int bact__json_envelope(bact_client *c)
{
    bact_api_error *e = &c->err;
    /* (a top that is no object, or no text parsed: no envelope, and
     * has_code as it was; the attempt began with it 0) */
    int seen = bact__json_fields(c, 0, envelope_fields, 3u | FIELDS_ANY, e);
    if (seen < 0)
        return 0;
    e->has_code = seen & 1;
    /* (code is 0 when none was read) */
    return e->code != 0 && e->msg != NULL;
}
