/*
 * http.c - HTTP/1.1 request writing and an incremental response parser.
 *
 * The parser is a byte-at-a-time state machine: it never stores the header
 * section, only the few values it needs (framing, Connection, Retry-After,
 * Date), so the header limit costs no RAM and a response can arrive in
 * pieces of any size. A status line or header line that is complete in the
 * input and plain is taken in one step (status_fast(), line_fast(); not
 * built when BACT_CONFIG_FAST_HEAD is 0), with the same outcome, at the
 * same byte, as going byte by byte. It rejects
 * what RFC 9112 says a recipient must not guess about: obsolete line
 * folding, whitespace before the colon, bare CR or LF, control bytes,
 * conflicting or malformed Content-Length, both Content-Length and
 * Transfer-Encoding, and any transfer coding but a lone "chunked".
 */
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------ */
/* Small helpers shared by the core                                     */
/* ------------------------------------------------------------------ */

size_t bact__strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

size_t bact__u32_to_dec(uint32_t v, char *out)
{
    size_t n = 0, i;
    uint32_t t = v;
    do { /* the length first (at most 10 rounds), then the digits from
            the last one */
        n++;
        t /= 10u;
    } while (t != 0u);
    out[n] = '\0';
    for (i = n; i > 0; i--) {
        out[i - 1u] = (char)('0' + v % 10u);
        v /= 10u;
    }
    return n;
}

size_t bact__i32_to_dec(int32_t v, char *out)
{
    size_t neg = v < 0;
    out[0] = '-'; /* (a digit's place when not negative) */
    /* (the magnitude as unsigned: no overflow at INT32_MIN) */
    return neg + bact__u32_to_dec(neg ? 0u - (uint32_t)v : (uint32_t)v,
                                  out + neg);
}

/* ------------------------------------------------------------------ */
/* Request writer                                                       */
/* ------------------------------------------------------------------ */

void bact__put(bact__buf *b, const char *s, size_t n)
{
    size_t at = b->len, e = at + n;
    b->len = e; /* keeps counting past cap: the size that was needed */
    /* (at <= e: the sum did not wrap; so at <= cap, n <= cap - at) */
    if (at <= e && e <= b->cap && b->p != NULL)
        memcpy(b->p + at, s, n); /* (last: a tail call, no frame to keep) */
}

void bact__puts(bact__buf *b, const char *s)
{
    size_t n = 0; /* bact__strnlen() inline: bact__put() is a tail call */
    while (n <= BACT__STR_MAX && s[n] != '\0')
        n++;
    bact__put(b, s, n);
}

/* A byte set: one bit per byte from ' ' to 0x7F (none outside: no table
 * words for them). 1 when ch is in it. */
static int in_set(const uint32_t bits[3], unsigned ch)
{
    ch -= 0x20u; /* (wraps below ' ') */
    return ch < 96u && ((bits[ch >> 5] >> (ch & 31u)) & 1u);
}

/* RFC 3986 unreserved: ALPHA DIGIT - . _ ~ */
static const uint32_t unreserved_bits[3] = {
    0x03FF6000u, 0x87FFFFFEu, 0x47FFFFFEu
};

void bact__put_pct(bact__buf *b, const char *s)
{
    while (*s != '\0') {
        const char *run = s;
        unsigned char ch;
        for (; (unsigned char)*s - (unsigned)'0' < 10u; s++)
            ; /* ids: digits, one comparison each */
        for (; in_set(unreserved_bits, (unsigned char)*s); s++)
            ; /* (not the NUL) */
        bact__put(b, run, (size_t)(s - run)); /* (none: no effect) */
        ch = (unsigned char)*s;
        if (ch != '\0') {
            char e[3];
            unsigned d = ch >> 4, k;
            e[0] = '%';
            for (k = 1; k < 3u; k++) { /* upper-case hex digits */
                e[k] = (char)(d + (d < 10u ? '0' : 'A' - 10u));
                d = ch & 15u;
            }
            bact__put(b, e, 3);
            s++;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Response parser                                                      */
/* ------------------------------------------------------------------ */

/* In ranges, so that one comparison tells each: the head (to S_HEAD_LF,
 * the states that take only an LF last), the body (S_BODY_CLOSE to
 * S_CHUNK_DATA), the chunk framing (the states that take only a CR or an
 * LF last). Within a range, the order that compiles smallest. */
enum {
    S_VER, S_CODE, S_CODE_END,
    S_LINE, S_NAME, S_VALUE, S_VALUE_LF, S_HEAD_LF,
    S_BODY_CLOSE, S_BODY_LEN, S_CHUNK_DATA,
    S_CHUNK_EXT, S_CHUNK_SIZE, S_CHUNK_CR, S_CHUNK_LF, S_CHUNK_DLF, S_DONE
};
/* bact__resp_eof() (internal.h) reads the state itself */
typedef char bact__s_eof[S_DONE == BACT__S_DONE &&
                         S_BODY_CLOSE == BACT__S_BODY_CLOSE ? 1 : -1];

/*
 * The words looked for: the names of the headers the client acts on, and
 * the list elements it knows. Within each group the lengths differ, even
 * in their last three bits, which number a word: header h (bit h of
 * wanted()) is named by the bytes at words.at[h] (a place from the start
 * of words), as many as its length, list element e by those at
 * words.at[E_AT + e]. One string and a byte per word, no pointer per
 * word.
 */
enum {
    H_CE = 16 & 7, H_TE = 17 & 7, H_CONN = 10 & 7, H_RA = 11 & 7,
    H_DATE = 4 & 7, H_CL = 14 & 7, H_OTHER = 0xFF
};
enum { E_IDENTITY = 8 & 7, E_KEEP = 10 & 7, E_CLOSE = 5 & 7, E_CHUNKED = 7 };
/* where the elements' places start in words.at[]: 0, 2, 5 and 7 from
 * there miss the headers' 0 to 4 and 6 */
enum { E_AT = 5 };
#define WORDS /* (chunked and date share a 'd') */                        \
    "content-encoding" "transfer-encoding" "connection" "retry-after"       \
    "content-length" "identity" "keep-alive" "close" "chunkedate"
/* the places first, then the words: one address for both; a place counts
 * from the start of the places */
struct http_words {
    uint8_t at[E_AT + 8];
    char w[sizeof WORDS];
};
typedef char http_words_at[offsetof(struct http_words, w) == E_AT + 8 ? 1
                                                                      : -1];
static const struct http_words words = {
    {
#define W_AT(n) (uint8_t)(E_AT + 8 + (n))
        [H_CE] = W_AT(0), [H_TE] = W_AT(16), [H_CONN] = W_AT(33),
        [H_RA] = W_AT(43), [H_CL] = W_AT(54),
        [E_AT + E_IDENTITY] = W_AT(68), [E_AT + E_KEEP] = W_AT(76),
        [E_AT + E_CLOSE] = W_AT(86), [E_AT + E_CHUNKED] = W_AT(91),
        [H_DATE] = W_AT(97)
#undef W_AT
    },
    WORDS
};
/* the lengths of the words, one bit each */
#define H_ALL ((1u << 16) | (1u << 17) | (1u << 10) | (1u << 11) | (1u << 4) | \
               (1u << 14))
#define H_LEAN ((1u << 16) | (1u << 17) | (1u << 10) | (1u << 14))
#define E_ALL ((1u << 8) | (1u << 10) | (1u << 5) | (1u << 7))
#define H_NAME_MAX 17u /* the longest header name looked for */

#define SCRATCH_OVER 0xFFu
#define CHUNK_LINE_MAX 1024u

/* flags2 */
#define F2_TE 0x01u   /* a Transfer-Encoding field was seen */
#define F2_TRAILER 0x10u /* the header states read the trailer section */
/* BACT__F2_LEAN (internal.h) 0x04u: on a 2xx answer, ignore Date and
 * Retry-After (the caller does not need them) */

/* The headers to look for in this response: the lengths of their names,
 * one bit each. */
static uint32_t wanted(const bact_http_parser *p)
{
    if (p->flags2 & F2_TRAILER)
        return 0; /* trailer fields are read and dropped */
    if ((p->flags2 & BACT__F2_LEAN) && p->status >= 200u && p->status < 300u)
        return H_LEAN;
    return H_ALL;
}

/* RFC 9110 tchar */
static const uint32_t tchar_bits[3] = {
    0x03FF6CFAu, 0xC7FFFFFEu, 0x57FFFFFFu
};

static int tchar(unsigned ch)
{
    return in_set(tchar_bits, ch);
}

/* field-value bytes: HTAB, SP, VCHAR, obs-text (inline: a call costs more
 * than the test) */
static BACT__INLINE int vchar(int ch)
{
    return ch == '\t' || (ch >= 0x20 && ch != 0x7F);
}

void bact__resp_next(bact_http_parser *p, unsigned flags2)
{
    /* the four counts and limits come first; the rest starts from zero,
     * S_VER */
    memset((char *)p + offsetof(bact_http_parser, state), 0,
           sizeof *p - offsetof(bact_http_parser, state));
    p->flags2 = (uint8_t)flags2;
}

/* Keep a value byte. Whitespace is held back as a count (p->pos is free
 * while a value is read) and written only when more text follows, so
 * leading and trailing whitespace never takes room. */
static void scratch_add(bact_http_parser *p, int ch)
{
    if (p->scratch_len == SCRATCH_OVER)
        return;
    if (ch == ' ' || ch == '\t') {
        if (p->scratch_len > 0 && p->pos < 255u)
            p->pos++;
        return;
    }
    for (;;) { /* the spaces held back, then ch */
        if (p->scratch_len >= sizeof p->scratch) {
            p->scratch_len = SCRATCH_OVER;
            return;
        }
        if (p->pos == 0)
            break;
        p->scratch[p->scratch_len++] = ' ';
        p->pos--;
    }
    p->scratch[p->scratch_len++] = (char)ch;
}

/* a machine word at a time: internal.h */
#define W_ONES BACT__W_ONES
#define W_HI BACT__W_HI

/* s[0..n) is the lower-case name (letters and '-', n bytes) in any case.
 * For bytes of a header name or value this is exact: (ch | 0x20) maps no
 * other byte onto a lower-case letter, and only CR, which neither may
 * hold, onto '-'. */
static int name_is(const uint8_t *s, size_t n, const char *name)
{
#if BACT__BYTE_LOADS /* internal.h */
    size_t i;
    for (i = 0; i < n; i++) {
        if ((s[i] | 0x20u) != (unsigned char)name[i])
            return 0;
    }
    return 1;
#else
    size_t i = 0, x, y;
    /* n >= 4: no name or word looked for is shorter. Where a machine word
     * is longer than that (not on 32-bit cores, where this is compiled
     * out), a short one is two 4-byte words that may overlap. */
    if (sizeof(size_t) > 4u && n < sizeof(size_t)) {
        uint32_t a, b, c, d;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4u, 4);
        memcpy(&c, name, 4);
        memcpy(&d, name + n - 4u, 4);
        return (a | 0x20202020u) == c && (b | 0x20202020u) == d;
    }
    for (;;) { /* a machine word at a time, the same rule; the last word
                  may overlap the one before it */
        memcpy(&x, s + i, sizeof x);
        memcpy(&y, name + i, sizeof y);
        if ((x | W_ONES * 0x20u) != y)
            return 0;
        if (i == n - sizeof(size_t))
            return 1;
        i += sizeof(size_t);
        if (i > n - sizeof(size_t))
            i = n - sizeof(size_t);
    }
#endif
}

/* The word s[0..n) is (in any case): with list 0 a header name the client
 * wants in this response, with list E_AT a list element it knows. Its number,
 * or H_OTHER. */
static unsigned find_word(const bact_http_parser *p, const uint8_t *s,
                          size_t n, unsigned list)
{
    unsigned k = (unsigned)n & 7u;
    if (n >= 32u || !((list ? E_ALL : H_ALL) >> n & 1u) ||
        (!list && !(wanted(p) >> n & 1u))) /* the length first: cheaper */
        return H_OTHER;
    return name_is(s, n, (const char *)&words + words.at[list + k]) ? k
                                                                     : H_OTHER;
}

/* Which wanted header the name s[0..n) (tchar bytes) is, or H_OTHER. */
static unsigned which_header(const bact_http_parser *p, const uint8_t *s,
                             size_t n)
{
    return find_word(p, s, n, 0);
}

/* One element of a Connection, Transfer-Encoding or Content-Encoding list,
 * without surrounding whitespace; over: it was too long to keep (n is then
 * 0, so it matches no word). */
static int list_elem(bact_http_parser *p, const char *t, size_t n, int over)
{
    unsigned e = find_word(p, (const uint8_t *)t, n, E_AT);
    if (p->hdr == H_CONN) {
        if (e == E_CLOSE)
            p->flags |= BACT__F_CLOSE;
        else if (e == E_KEEP)
            p->flags |= BACT__F_KEEP;
        return BACT_OK;
    }
    if (n == 0 && !over)
        return BACT_OK; /* empty list element */
    if (p->hdr == H_CE) /* nothing was asked for: only "identity" is fine */
        return e == E_IDENTITY ? BACT_OK : BACT_E_HTTP;
    /* Transfer-Encoding: only a single "chunked" is understood */
    if (e != E_CHUNKED || (p->flags & BACT__F_CHUNKED))
        return BACT_E_HTTP;
    p->flags |= BACT__F_CHUNKED;
    return BACT_OK;
}

/* (internal.h; a port's digits in url.c too) */
int bact__parse_u32(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;
    int big = 0;
    if (n == 0)
        return -1;
    for (i = 0; i < n; i++) { /* every byte a digit, too large or not */
        uint32_t d = (uint32_t)(unsigned char)s[i] - '0';
        if (d > 9u)
            return -1;
        /* (v * 10 + d past the largest wraps below d) */
        if (v > 429496729u || (v = v * 10u + d) < d)
            big = 1;
    }
    *out = big ? 0xFFFFFFFFu : v;
    return big;
}

/* The fields a date pattern fills, each a byte of f[] (f[0] is not one:
 * a field's number is never the NUL that ends a pattern). Day and month
 * are kept from 0, the year as years since 1970. */
enum { F_DAY = 1, F_MON, F_YEAR, F_HOUR, F_MIN, F_SEC };

/* A pattern byte below ' ' reads a field of digits: its number in the low
 * three bits, 8 for "an optional space, then one or two digits", 16 for
 * four digits; two digits otherwise (a year in two: 70..99 are 19xx, the
 * others 20xx). */
#define P_DAY   "\1"  /* day, two digits */
#define P_DAY1  "\11" /* day, one or two digits after an optional space */
#define P_MON   "\2"  /* month, two digits */
#define P_YEAR  "\23" /* year, four digits */
#define P_YEAR2 "\3"  /* year, two digits */
#define P_HOUR  "\4"
#define P_MIN   "\5"
#define P_SEC   "\6"

/* The HTTP-date forms: IMF-fixdate, RFC 850, asctime (RFC 9110 5.6.7) */
#define HTTP_DATES                                                          \
    "a, " P_DAY " N " P_YEAR " " P_HOUR ":" P_MIN ":" P_SEC " GMT\0a, "     \
    P_DAY "-N-" P_YEAR2 " " P_HOUR ":" P_MIN ":" P_SEC " GMT\0a N " P_DAY1  \
    " " P_HOUR ":" P_MIN ":" P_SEC " " P_YEAR "\0"

/* (below) field_value() calls it itself, not through bact__http_date():
 * one frame less on the deepest path, and no wrapper in the client */
static int scan_date(const char *s, size_t n, const char *pat, uint32_t *out);

/* The value of a wanted header, without surrounding whitespace; over: it
 * was too long to keep (n is then 0). */
static int field_value(bact_http_parser *p, const char *v, size_t n, int over)
{
    uint32_t x;
    uint8_t f;
    int r;

    switch (p->hdr) {
    case H_CL: /* digits only; more than 32 bits of them: too large, as a
                  chunk size of more than 28 bits is */
        r = bact__parse_u32(v, n, &x); /* -1 not a number, 1 big */
        if (r != 0)
            return r < 0 ? BACT_E_HTTP : BACT_E_BODY_SIZE;
        if ((p->flags & BACT__F_HAS_CL) && x != p->content_length)
            return BACT_E_HTTP;
        p->content_length = x;
        p->flags |= BACT__F_HAS_CL;
        break;
    case H_TE:
        p->flags2 |= F2_TE;
        return list_elem(p, v, n, over);
    case H_CONN:
    case H_CE:
        return list_elem(p, v, n, over);
    case H_RA: /* seconds (too large: 0xFFFFFFFF) or an HTTP-date */
        f = BACT__F_HAS_RA;
        if (bact__parse_u32(v, n, &x) < 0) {
            if (scan_date(v, n, HTTP_DATES, &x) != 0)
                break;
            f = BACT__F_HAS_RA | BACT__F_RA_DATE;
        }
        p->retry_after = x;
        p->flags = (uint8_t)((p->flags & ~BACT__F_RA_DATE) | f);
        break;
    case H_DATE: /* (an empty value matches no pattern) */
        if (scan_date(v, n, HTTP_DATES, &x) == 0) {
            p->date = x;
            p->flags |= BACT__F_HAS_DATE;
        }
        break;
    default:
        break;
    }
    return BACT_OK;
}

/* A header field line read byte by byte is complete, or, at a ',', one
 * element of a list header (Connection, Transfer-Encoding,
 * Content-Encoding). */
static int field_done(bact_http_parser *p)
{
    /* scratch_add() keeps no whitespace at either end */
    int over = p->scratch_len == SCRATCH_OVER;
    size_t n = over ? 0u : p->scratch_len;
    p->scratch_len = 0;
    p->pos = 0;
    return field_value(p, p->scratch, n, over);
}

/* The header section is complete: choose how the body is delimited. */
static int head_done(bact_http_parser *p)
{
    if (p->flags2 & F2_TRAILER) {
        p->state = S_DONE; /* the end of the trailer section */
        return BACT__DONE;
    }
    if (p->status < 200) {
        if (p->status == 101)
            return BACT_E_HTTP; /* no upgrade was asked for */
        /* interim response: parse the next one, limits keep counting */
        bact__resp_next(p, p->flags2 & (BACT__F2_LEAN | BACT__F2_HEAD));
        return BACT__NEED;
    }
    /* with Transfer-Encoding: chunked, and no Content-Length (both:
     * smuggling-shaped, refused) */
    if ((p->flags2 & F2_TE) &&
        (p->flags & (BACT__F_CHUNKED | BACT__F_HAS_CL)) != BACT__F_CHUNKED)
        return BACT_E_HTTP;
    if (p->minor == 0 && (!(p->flags & BACT__F_KEEP) || (p->flags2 & F2_TE)))
        p->flags |= BACT__F_CLOSE; /* RFC 9112 6.1: 1.0 with TE: close after */
    if (p->status == 204 || p->status == 304 || (p->flags2 & BACT__F2_HEAD)) {
        /* no body: a Content-Length describes what a GET would get */
        p->flags = (uint8_t)((p->flags & ~BACT__F_HAS_CL) | BACT__F_NOBODY);
        p->state = S_DONE;
    } else if (p->flags & BACT__F_CHUNKED) {
        p->state = S_CHUNK_SIZE; /* (remaining and line_len: still 0) */
    } else if (p->flags & BACT__F_HAS_CL) {
        p->remaining = p->content_length;
        p->state = p->remaining ? S_BODY_LEN : S_DONE;
    } else {
        p->state = S_BODY_CLOSE;
        p->flags |= BACT__F_CLOSE;
    }
    return BACT__HEAD;
}

/* The status line's start (the minor version may also be '1'). */
static const char ver[] = "HTTP/1.0 ";

/* head_byte(): a field value (or a list element of one) is complete, for
 * the caller to act on, so that field_value()'s chain does not stack on
 * head_byte()'s frame */
#define R_FIELD 4

/* One byte of the status line or header section. Apart from the feed
 * loop: a header section mostly goes through line_fast(). */
static BACT__NOINLINE int head_byte(bact_http_parser *p, int ch)
{

    if (++p->header_bytes > p->max_header_bytes)
        return BACT_E_HEADER_SIZE;
    if (p->state >= S_VALUE_LF && ch != '\n')
        return BACT_E_HTTP; /* the states that take only an LF */

    switch (p->state) {
    case S_VER:
    { /* the minor version: '0' or '1' against the template's '0' */
        unsigned x = (unsigned)ch ^ (unsigned char)ver[p->pos];
        if (x > (unsigned)(p->pos == 7u))
            return BACT_E_HTTP;
        p->minor = (uint8_t)(p->minor | x); /* (from 0) */
    }
        if (++p->pos == sizeof ver - 1u) {
            p->state = S_CODE;
            p->pos = 0;
        }
        return BACT__NEED;
    case S_CODE:
        if (ch < '0' || ch > '9')
            return BACT_E_HTTP;
        p->status = (uint16_t)(p->status * 10u + (uint16_t)(ch - '0'));
        if (++p->pos == 3) {
            if (p->status < 100)
                return BACT_E_HTTP;
            p->state = S_CODE_END;
        }
        return BACT__NEED;
    case S_CODE_END: /* the reason phrase is read as a value of no header
                        wanted (the same bytes, and nothing to act on) */
        p->hdr = H_OTHER;
        if (ch == ' ')
            p->state = S_VALUE;
        else if (ch == '\r')
            p->state = S_VALUE_LF;
        else
            return BACT_E_HTTP;
        return BACT__NEED;
    case S_VALUE_LF: /* the value is complete */
        p->state = S_LINE;
        return R_FIELD;
    case S_LINE:
        if (ch == '\r') {
            p->state = S_HEAD_LF;
            return BACT__NEED;
        }
        if (!tchar((unsigned)ch))
            return BACT_E_HTTP; /* folding, bare LF, junk */
        if (++p->header_count > p->max_headers)
            return BACT_E_HEADER_COUNT;
        p->state = S_NAME;
        p->pos = 0;
        /* fall through */
    case S_NAME: /* the name's first bytes are kept to be matched at ':' */
        if (ch == ':') {
            /* (a name too long to keep is too long for any word) */
            p->hdr = (uint8_t)which_header(p, (const uint8_t *)p->scratch,
                                           p->pos);
            p->scratch_len = 0;
            p->pos = 0;
            p->state = S_VALUE; /* which keeps no leading whitespace */
            return BACT__NEED;
        }
        if (!tchar((unsigned)ch)) {
            if (!(p->flags2 & F2_TRAILER))
                return BACT_E_HTTP; /* includes whitespace before the colon */
            /* a trailer line is dropped whatever it holds, as long as it
             * is field-value bytes */
            p->hdr = H_OTHER;
            p->state = S_VALUE;
            goto value;
        }
        if (p->pos <= H_NAME_MAX) /* then it stays H_NAME_MAX + 1 */
            p->scratch[p->pos++] = (char)ch;
        return BACT__NEED;
    case S_VALUE:
    value:
        if (ch == '\r') {
            p->state = S_VALUE_LF;
            return BACT__NEED;
        }
        if (!vchar(ch))
            return BACT_E_HTTP;
        if (p->hdr == H_OTHER)
            return BACT__NEED;
        if (ch == ',' && (p->hdr == H_CONN || p->hdr == H_TE || p->hdr == H_CE))
            return R_FIELD; /* one element of the list is complete */
        if (ch == ',' && p->hdr == H_CL)
            return BACT_E_HTTP; /* "5, 5": refuse lists */
        scratch_add(p, ch);
        return BACT__NEED;
    case S_HEAD_LF:
        return head_done(p);
    default:
        return BACT_E_HTTP;
    }
}

/* One byte of chunk framing (size line, CRLF after data, trailers). */
static int chunk_byte(bact_http_parser *p, int ch)
{
    unsigned h;
    if (p->state < S_CHUNK_CR) { /* the size line */
        if (++p->line_len > CHUNK_LINE_MAX)
            return BACT_E_HTTP;
    } else if (ch != (p->state == S_CHUNK_CR ? '\r' : '\n')) {
        return BACT_E_HTTP; /* the states that take only a CR or an LF */
    }
    switch (p->state) {
    case S_CHUNK_SIZE:
        h = bact__hexval(ch);
        if (h < 16u) {
            if (p->remaining > 0x00FFFFFFu)
                return BACT_E_BODY_SIZE; /* 256 MiB or more cannot be real */
            p->remaining = (p->remaining << 4) | h;
            return BACT__NEED;
        }
        if (p->line_len == 1u) /* (counted from 0 in this state) */
            return BACT_E_HTTP; /* no digit */
        if (ch == ';' || ch == ' ' || ch == '\t') {
            p->state = S_CHUNK_EXT;
            return BACT__NEED;
        }
        if (ch == '\r') {
            p->state = S_CHUNK_LF;
            return BACT__NEED;
        }
        return BACT_E_HTTP;
    case S_CHUNK_EXT:
        if (ch == '\r')
            p->state = S_CHUNK_LF;
        else if (!vchar(ch))
            return BACT_E_HTTP;
        return BACT__NEED;
    case S_CHUNK_LF:
        p->line_len = 0;
        if (p->remaining) {
            p->state = S_CHUNK_DATA;
        } else { /* the trailer section: read as header lines are */
            p->flags2 |= F2_TRAILER;
            p->state = S_LINE;
        }
        return BACT__NEED;
    case S_CHUNK_CR:
        p->state = S_CHUNK_DLF;
        return BACT__NEED;
    case S_CHUNK_DLF:
        p->state = S_CHUNK_SIZE;
        return BACT__NEED;
    default:
        return BACT_E_HTTP;
    }
}

#if BACT_CONFIG_FAST_HEAD
/* The word at s; where its bytes are not SP or VCHAR (0x20..0x7E). Per
 * byte b, b - 0x20 sets the top bit below 0x20, (b ^ 0x7F) - 1 at 0x7F,
 * and b itself at 0x80 and up; a borrow only comes from a byte already
 * caught and only runs towards the word's more significant bytes, so the
 * least significant flag is always a true one. */
static size_t not_plain(const uint8_t *s)
{
    size_t x;
    memcpy(&x, s, sizeof x);
    return ((x - W_ONES * 0x20u) | ((x ^ (W_ONES * 0x7Fu)) - W_ONES) | x) &
           W_HI;
}

/* The word at s; where its bytes are not a letter or '-'. Exact per byte
 * (nothing carries from one byte into the next). */
static size_t not_name(const uint8_t *s)
{
    size_t x, y, d;
    memcpy(&x, s, sizeof x);
    y = (x | W_ONES * 0x20u) & ~W_HI;   /* lower case, 7 bits */
    d = (x ^ W_ONES * '-') & ~W_HI;
    d = (d + ~W_HI) | (x ^ W_ONES * '-'); /* bit 7 clear: '-' */
    /* letter: y >= 'a' and not y > 'z' and x below 0x80 */
    return ~((((y + W_ONES * (0x80u - 'a')) &
               ~(y + W_ONES * (0x80u - 'z' - 1u)) & ~x) |
              ~d) & W_HI) & W_HI;
}

/* The end of the field-value bytes (HTAB, SP, VCHAR, obs-text) from s[e]
 * on: the same set as vchar(), a word at a time while there is one, then
 * with one comparison per byte. */
static BACT__INLINE size_t value_end(const uint8_t *s, size_t e, size_t n)
{
    while (e < n) {
        size_t k = sizeof(size_t);
        while (n - e >= sizeof(size_t)) {
            size_t m = not_plain(s + e);
            if (m != 0) {
                k = bact__first_flag(m);
                break;
            }
            e += sizeof(size_t);
        }
        if (k < sizeof(size_t))
            e += k;
        else
            while (e < n && (unsigned)s[e] - 0x20u <= 0x5Eu) /* SP, VCHAR */
                e++;
        if (e == n || (s[e] != '\t' && s[e] < 0x80u))
            break;
        e++;
    }
    return e;
}

/* The end of the letters and '-' from s[j] on (j < n). */
static size_t name_end(const uint8_t *s, size_t j, size_t n)
{
    while (n - j >= sizeof(size_t)) {
        size_t m = not_name(s + j);
        if (m != 0) {
            size_t k = bact__first_flag(m);
            if (k < sizeof(size_t))
                return j + k;
            break;
        }
        j += sizeof(size_t);
    }
    while (j < n && (((s[j] | 0x20u) - 'a' < 26u) || s[j] == '-'))
        j++;
    return j;
}

/* A status line complete in s[0..n), taken in one step. Returns the bytes
 * taken, 0 to let head_byte() judge it byte by byte. */
static size_t status_fast(bact_http_parser *p, const uint8_t *s, size_t n)
{
    size_t e = 12;
    unsigned code, i;

    if (n < 14u)
        return 0;
#if BACT__BYTE_LOADS /* internal.h */
    for (i = 0; i < 7u; i++) { /* "HTTP/1.": n >= 14, no NUL test needed */
        if (s[i] != (uint8_t)ver[i])
            return 0;
    }
#else
    { /* "HTTP/1." as two overlapping words (byte order does not matter:
         both sides are read the same way) */
        uint32_t a, b, va, vb;
        memcpy(&a, s, 4);
        memcpy(&b, s + 3, 4);
        memcpy(&va, ver, 4);
        memcpy(&vb, ver + 3, 4);
        if (a != va || b != vb)
            return 0;
    }
#endif
    if ((s[7] != '0' && s[7] != '1') || s[8] != ' ')
        return 0;
    for (i = 9, code = 0; i < 12u; i++) {
        unsigned d = (unsigned)s[i] - '0';
        if (d > 9u)
            return 0;
        code = code * 10u + d;
    }
    if (code < 100u)
        return 0;
    if (s[12] == ' ') /* a reason phrase: short, a byte at a time */
        for (e = 13; e < n && vchar(s[e]); e++)
            ;
    if (e + 1u >= n || s[e] != '\r' || s[e + 1u] != '\n' ||
        e + 2u > p->max_header_bytes - p->header_bytes)
        return 0;
    p->minor = (uint8_t)(s[7] - '0');
    p->status = (uint16_t)code;
    p->header_bytes += (uint32_t)(e + 2u);
    p->state = S_LINE;
    return e + 2u;
}

/* A header line that starts at s. When it is complete in s[0..n) and its
 * value is plain (for a wanted header: short, no HTAB, no list), the
 * whole line is taken and a wanted value acted on at once; *rc is then what
 * head_byte() would have said at its LF. Otherwise nothing is taken (0),
 * and head_byte() judges the line byte by byte and reports exactly. */
static size_t line_fast(bact_http_parser *p, const uint8_t *s, size_t n,
                        int *rc)
{
    size_t j = 0, e, a, b, k;
    unsigned h;
    uint32_t room = p->max_header_bytes - p->header_bytes;

    *rc = BACT__NEED;
    while (j < n) { /* letters and '-' in name_end(), other tchar here */
        j = name_end(s, j, n);
        if (j == n || s[j] == ':' || !tchar(s[j])) /* (':' is the usual end) */
            break;
        j++;
    }
    if (j == 0 || j >= n || s[j] != ':' || p->header_count >= p->max_headers)
        return 0;
    h = which_header(p, s, j);
    e = value_end(s, j + 1u, n);
    a = j + 1u;
    b = e;
    if (e + 1u < n && s[e] == '\r' && s[e + 1u] == '\n' && e + 2u <= room) {
        if (h == H_OTHER)
            goto whole;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1u] == ' ')
            b--;
        if (b - a <= sizeof p->scratch) {
            for (k = a; k < b && s[k] != '\t' &&
                        (s[k] != ',' || h == H_RA || h == H_DATE); k++)
                ;
            if (k == b)
                goto whole;
        }
    }
    return 0;
whole:
    p->header_count++;
    p->header_bytes += (uint32_t)(e + 2u);
    p->hdr = (uint8_t)h; /* (scratch_len and pos: whatever leaves S_LINE
                            sets them before use) */
    if (h != H_OTHER) {
        int r = field_value(p, (const char *)s + a, b - a, 0);
        if (r < 0)
            *rc = r;
    }
    return e + 2u; /* state stays S_LINE */
}

#endif /* BACT_CONFIG_FAST_HEAD */

int bact__resp_feed(bact_http_parser *p, const uint8_t *in, size_t n,
                    size_t *used, const uint8_t **body, size_t *body_len)
{
    const uint8_t *at = in, *const end = in + n; /* at: the next byte */
    int r;

    *body = NULL;
    *body_len = 0;
    while (at < end) {
        if (p->state <= S_HEAD_LF) {
#if BACT_CONFIG_FAST_HEAD
            size_t k;
            if (p->state == S_LINE && *at != '\r') {
                k = line_fast(p, at, (size_t)(end - at), &r);
                at += k;
                if (r != BACT__NEED)
                    goto out;
                if (k > 0)
                    continue;
            } else if (p->state == S_VER && p->pos == 0) {
                k = status_fast(p, at, (size_t)(end - at));
                if (k > 0) {
                    at += k;
                    continue;
                }
            }
#endif
            r = head_byte(p, *at++);
            if (r == R_FIELD)
                r = field_done(p);
            if (r != BACT__NEED)
                goto out;
            continue;
        }
        if (p->state == S_DONE)
            break;
        if (p->state <= S_CHUNK_DATA) { /* a body state */
            size_t take = (size_t)(end - at);
            if (p->state != S_BODY_CLOSE) {
                if (take > p->remaining)
                    take = p->remaining;
                p->remaining -= (uint32_t)take;
                if (p->remaining == 0)
                    p->state = (p->state == S_BODY_LEN) ? S_DONE : S_CHUNK_CR;
            }
            *body = at;
            *body_len = take;
            at += take;
            r = BACT__BODY;
            goto out;
        }
        r = chunk_byte(p, *at++);
        if (r != BACT__NEED)
            goto out;
    }
    r = p->state == S_DONE ? BACT__DONE : BACT__NEED;
out:
    *used = (size_t)(at - in);
    return r;
}

int bact__resp_done(const bact_http_parser *p)
{
    return p->state == S_DONE;
}

int bact__resp_keepalive(const bact_http_parser *p)
{
    return p->state == S_DONE && !(p->flags & BACT__F_CLOSE);
}

int bact__resp_close_delimited(const bact_http_parser *p)
{
    return p->state == S_BODY_CLOSE;
}

/* ------------------------------------------------------------------ */
/* HTTP-date                                                            */
/* ------------------------------------------------------------------ */

/*
 * Match s[0..n) against each pattern of pats in turn (every one ends with a
 * NUL, the list with an empty one) and turn the first one that takes all
 * of s into seconds since 1970 (UTC), checking that the day exists. One
 * flat function with few arguments, no helper frames: the Date header is
 * parsed deep in a request's call chain, where stack is dear. Besides the
 * fields of digits (P_DAY ...): 'a' a day name (three letters or more,
 * which ones not checked), 'N' a month name, '@' one of "Tt ", anything
 * else itself. Returns 0, or -1 when no pattern matches or the date does
 * not exist.
 */
static int scan_date(const char *s, size_t n, const char *pat, uint32_t *out)
{
    /* a month name's three letters, 5 bits each, as 'N' reads them */
#define MKEY(a, b, c) ((a - 'a') << 10 | (b - 'a') << 5 | (c - 'a'))
    static const uint16_t mkey[12] = {
        MKEY('j', 'a', 'n'), MKEY('f', 'e', 'b'), MKEY('m', 'a', 'r'),
        MKEY('a', 'p', 'r'), MKEY('m', 'a', 'y'), MKEY('j', 'u', 'n'),
        MKEY('j', 'u', 'l'), MKEY('a', 'u', 'g'), MKEY('s', 'e', 'p'),
        MKEY('o', 'c', 't'), MKEY('n', 'o', 'v'), MKEY('d', 'e', 'c')};
#undef MKEY
    /* the largest value of each field, as kept: a field out of range
     * fails its pattern (no other pattern can take the same text) */
    static const uint8_t top[7] = {0, 30, 11, 2105 - 1970, 23, 59, 60};
    while (*pat != '\0') {
        uint8_t f[8] = {0}; /* a field no pattern reads: 0 */
        uint32_t days, y, m, len, k;
        size_t i = 0;
        for (; *pat != '\0'; pat++) {
            unsigned pc = (unsigned char)*pat, slot = pc & 7u;
            uint32_t v = 0;
            size_t st = i;
            if (pc == 'a' || pc == 'N') {
                /* letters; which day it is the date says (RFC 9110
                 * 5.6.7: be robust). | 0x20 lowers a letter and makes no
                 * other byte one. */
                while (i < n &&
                       (k = ((unsigned char)s[i] | 0x20u) - 'a') < 26u) {
                    v = v << 5 | k; /* the month's key, below */
                    i++;
                }
                if (pc == 'a') {
                    if (i - st < 3u)
                        goto next;
                    continue;
                }
                if (i - st != 3u)
                    goto next;
                for (k = 0; k < 12u && mkey[k] != v; k++)
                    ;
                if (k == 12u)
                    goto next; /* no month's name */
                f[F_MON] = (uint8_t)k; /* (from 0, as kept) */
                continue;
            } else if (pc >= ' ') { /* '@' or a byte that stands for itself */
                if (i >= n || (pc == '@' ? (s[i] != 'T' && s[i] != 't' &&
                                            s[i] != ' ')
                                         : (unsigned char)s[i] != pc))
                    goto next;
                i++;
                continue;
            } else {
                unsigned hi = 2u + ((pc >> 3) & 2u); /* 16: four digits */
                if ((pc & 8u) && i < n && s[i] == ' ')
                    st = ++i;
                while (i < n && i - st < hi && s[i] >= '0' && s[i] <= '9') {
                    v = v * 10u + (uint32_t)(s[i] - '0');
                    i++;
                }
                if (i - st < (hi >> ((pc >> 3) & 1u))) /* 8: one will do */
                    goto next;
                if (pc == F_YEAR) /* P_YEAR2: two digits */
                    v += v < 70u ? 2000u : 1900u;
            }
            if (slot == F_YEAR)
                v -= 1970u;
            else if (slot < F_YEAR)
                v -= 1u; /* day and month from 0 */
            if (v > top[slot])
                goto next;
            f[slot] = (uint8_t)v;
        }
        if (i != n)
            goto next;
        y = f[F_YEAR];
        m = f[F_MON];
        /* leap days from 1970 to the year before (2100 is not one) */
        days = 365u * y + ((y + 1u) >> 2) - (y > 2100u - 1970u ? 1u : 0u) +
               f[F_DAY];
        /* the months before, and this one's length (a leap year: 4 divides
         * it, but for 2100; no division) */
        for (k = 0;; k++) {
            len = 30u + ((0xAD5u >> k) & 1u);
            if (k == 1u)
                len = ((y & 3u) == 2u && y != 2100u - 1970u) ? 29u : 28u;
            if (k == m)
                break;
            days += len;
        }
        if (f[F_DAY] >= len)
            return -1;
        *out = ((days * 24u + f[F_HOUR]) * 60u + f[F_MIN]) * 60u + f[F_SEC];
        return 0;
    next:
        while (*pat != '\0')
            pat++;
        pat++;
    }
    return -1;
}

int bact__http_date(const char *s, size_t n, uint32_t *out)
{
    return scan_date(s, n, HTTP_DATES, out);
}

/* RFC 3339 "2025-10-08T10:17:54Z", with optional fraction and offset */
int bact__iso_time(const char *s, size_t n, uint32_t *out)
{
    uint32_t t, o;
    size_t i = 19; /* the date and time before any fraction: fixed size */
    if (n < i || scan_date(s, i,
                              P_YEAR "-" P_MON "-" P_DAY "@" P_HOUR ":" P_MIN
                              ":" P_SEC "\0", &t) != 0)
        return -1;
    if (i < n && s[i] == '.') {
        size_t d0 = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d0)
            return -1;
    }
    /* "Z", or "+hh:mm" or "-hh:mm" (local = UTC + offset): a pattern
     * with no date fields comes to its seconds from midnight, 1970-01-01 */
    if (scan_date(s + i, n - i,
                  "Z\0z\0+" P_HOUR ":" P_MIN "\0-" P_HOUR ":" P_MIN "\0",
                  &o) != 0)
        return -1;
    if (s[i] == '+') {
        if (t < o)
            return -1;
        o = 0u - o;
    }
    *out = t + o;
    return 0;
}
