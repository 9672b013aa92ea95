/*
 * internal.h - what the core's files share. Not installed; bact__ prefix.
 */
#ifndef BACT_INTERNAL_H
#define BACT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bact.h"

/* Keeps a rarely used helper's locals out of its caller's frame (the
 * stack a call needs is the deepest path, not the sum of all helpers). */
#if defined(__GNUC__)
#define BACT__NOINLINE __attribute__((noinline))
#else
#define BACT__NOINLINE
#endif

/* Keeps a helper with one caller out of line in a build for size (-Os),
 * where inlining it would grow its caller by more than the helper holds
 * (the caller's registers then spill). Not on Xtensa, where -mlongcalls
 * makes each call a literal load and an indirect call; and a build for
 * speed (-O2) leaves it to the compiler. */
#if defined(__GNUC__) && defined(__OPTIMIZE_SIZE__) && !defined(__XTENSA__)
#define BACT__OUTLINE __attribute__((noinline))
#else
#define BACT__OUTLINE
#endif

/* Puts a small helper's body into its callers, so that the helper's frame
 * is not stacked on theirs. */
#if defined(__GNUC__)
#define BACT__INLINE inline __attribute__((always_inline))
#else
#define BACT__INLINE inline
#endif

/* ---- a machine word at a time ----------------------------------------- */

/* A core without unaligned loads (Cortex-M0/M0+; RISC-V and Xtensa as
 * their compilers see them) reads a word from any address through a
 * memcpy() call or a stack slot, so the few fixed compares that read
 * words go a byte at a time there (the unit tests' byte-wise build takes
 * those paths too). */
#if (defined(__arm__) && !defined(__ARM_FEATURE_UNALIGNED)) || \
    defined(__riscv) || defined(__XTENSA__) || defined(BACT__TEST_BYTEWISE)
#define BACT__BYTE_LOADS 1
#else
#define BACT__BYTE_LOADS 0
#endif

#define BACT__W_ONES ((size_t)-1 / 0xFFu) /* 0x01 in every byte of a size_t */
#define BACT__W_HI (BACT__W_ONES * 0x80u)       /* 0x80 in every byte */

/* A scan mask has bit 7 of a byte set where that byte of the word stops
 * the scan. The offset of the first flagged byte of a non-zero mask on a
 * little-endian machine (the first byte in memory is the least
 * significant); sizeof(size_t) elsewhere: the caller then goes byte by
 * byte. The lowest flag, times a byte ladder, brings its byte number to
 * the top byte. */
static BACT__INLINE size_t bact__first_flag(size_t m)
{
    static const uint16_t one = 1;
    uint8_t le;
    memcpy(&le, &one, 1);
#if defined(BACT__TEST_BYTEWISE) /* the unit tests of the other path */
    le = 0;
#endif
    if (!le)
        return sizeof(size_t);
#if SIZE_MAX > 0xFFFFFFFFu
    return (size_t)((((m & (0u - m)) >> 7) * (size_t)0x0001020304050607u) >>
                    56);
#else
    return (size_t)((((m & (0u - m)) >> 7) * (size_t)0x00010203u) >> 24);
#endif
}

/* ---- small helpers (what the core links from libc: memcpy, memset) ---- */

/* s past the NUL-terminated word when s starts with it, case included,
 * else NULL (a word longer than max never matches; a NUL in s ends the
 * compare): a[0..n) equals word when bact__past(a, word, n) == a + n
 * (json_read.c) */
const char *bact__past(const char *s, const char *word, size_t max);
/* strlen bounded by max; returns max + 1 when no NUL within max bytes */
size_t bact__strnlen(const char *s, size_t max);
/* Decimal digits s[0..n): 0 and the number; 1 and 0xFFFFFFFF when it
 * does not fit 32 bits; -1 at a byte that is not a digit, or when there
 * is none (http.c) */
int bact__parse_u32(const char *s, size_t n, uint32_t *out);
/* the value of a hex digit, 16 when ch is not one (url.c) */
unsigned bact__hexval(int ch);
/* a string literal, its length known at compile time */
#define BACT__PUTL(b, lit) bact__put((b), (lit), sizeof(lit) - 1u)
/* Decimal digits of v into out (11 bytes for u32, 12 for i32), NUL
 * included; returns the length. */
size_t bact__u32_to_dec(uint32_t v, char *out);
size_t bact__i32_to_dec(int32_t v, char *out);

/* ---- HTTP response parser (http.c) ---- */

enum {
    BACT__NEED = 0,   /* all input used, more is needed */
    BACT__HEAD = 1,   /* header section complete (final response) */
    BACT__BODY = 2,   /* *body / *body_len is a slice of body bytes */
    BACT__DONE = 3    /* the response is complete */
};

/* parser flags */
#define BACT__F_CHUNKED 0x01u
#define BACT__F_HAS_CL 0x02u
#define BACT__F_CLOSE 0x04u      /* Connection: close (or HTTP/1.0 default) */
#define BACT__F_KEEP 0x08u       /* Connection: keep-alive */
#define BACT__F_HAS_RA 0x10u     /* Retry-After seen (seconds) */
#define BACT__F_RA_DATE 0x20u    /* Retry-After was an HTTP-date */
#define BACT__F_HAS_DATE 0x40u
#define BACT__F_NOBODY 0x80u     /* 204, 304: no body whatever the headers */
/* parser flags2, given to bact__resp_next() (or set after
 * bact__resp_init()): a 2xx answer's Date and Retry-After are not needed
 * (not parsed) */
#define BACT__F2_LEAN 0x04u
/* ... and the request was HEAD: the answer has no body, whatever its
 * head says (RFC 9112 6.3) */
#define BACT__F2_HEAD 0x08u

/* The next answer on p (its limits kept, its counts too: the caller
 * zeroes them for a new one): all else cleared, flags2 set. */
void bact__resp_next(bact_http_parser *p, unsigned flags2);
/* A parser with these limits, before its first answer (the client sets
 * its limits once, at init; the parser's tests start from here) */
static BACT__INLINE void bact__resp_init(bact_http_parser *p,
                                         uint32_t max_header_bytes,
                                         uint32_t max_headers)
{
    p->header_bytes = 0;
    p->header_count = 0;
    p->max_header_bytes = max_header_bytes;
    p->max_headers = max_headers;
    bact__resp_next(p, 0);
}
/*
 * Feed n bytes. *used gets how many were consumed (the rest must be fed
 * again). Returns BACT__NEED / BACT__HEAD / BACT__BODY / BACT__DONE or a
 * negative bact_err. A BACT__BODY slice points into in.
 */
int bact__resp_feed(bact_http_parser *p, const uint8_t *in, size_t n,
                    size_t *used, const uint8_t **body, size_t *body_len);
/* the parser's states that bact__resp_eof() tells apart (http.c checks
 * them): the answer is complete; its body runs to the connection's end */
#define BACT__S_DONE 16u
#define BACT__S_BODY_CLOSE 8u
/* The peer closed: BACT__DONE for a close-delimited body, else
 * BACT_E_CLOSED. (Inline: its one caller is the receive loop.) */
static BACT__INLINE int bact__resp_eof(const bact_http_parser *p)
{
    if (p->state == BACT__S_DONE || p->state == BACT__S_BODY_CLOSE)
        return BACT__DONE;
    return BACT_E_CLOSED;
}
/* 1 when the response is complete. */
int bact__resp_done(const bact_http_parser *p);
/* 1 when the connection may carry another request after DONE. */
int bact__resp_keepalive(const bact_http_parser *p);
/* 1 when the body is delimited by the connection closing. */
int bact__resp_close_delimited(const bact_http_parser *p);
/* Retry-After in seconds, or -1 when absent or unusable (inline: its
 * one caller, the retry delay, uses it once) */
static BACT__INLINE int32_t
bact__resp_retry_after(const bact_http_parser *p)
{
    uint32_t s;
    if (!(p->flags & BACT__F_HAS_RA))
        return -1;
    if (p->flags & BACT__F_RA_DATE) {
        /* relative to the server's own clock: works without an RTC */
        if (!(p->flags & BACT__F_HAS_DATE))
            return -1;
        s = (p->retry_after > p->date) ? p->retry_after - p->date : 0u;
    } else {
        s = p->retry_after;
    }
    return s > 0x7FFFFFFFu ? 0x7FFFFFFF : (int32_t)s;
}

/* Parse an HTTP-date (IMF-fixdate, RFC 850 or asctime) into seconds since
 * the epoch; returns 0 on success, -1 on a malformed date. */
int bact__http_date(const char *s, size_t n, uint32_t *out);

/* RFC 3339 date-time into seconds since the epoch (UTC); 0 or -1. */
int bact__iso_time(const char *s, size_t n, uint32_t *out);

/* ---- request writer (http.c) ---- */

typedef struct bact__buf {
    char *p;
    size_t cap;
    size_t len;   /* bytes that were (or would have been) written */
} bact__buf;

void bact__put(bact__buf *b, const char *s, size_t n);
/* Strings the core writes are constants, or checked by bact_init() and
 * bact_request() to be at most this long. */
#define BACT__STR_MAX 4097u
/* a NUL-terminated string (at most BACT__STR_MAX bytes) */
void bact__puts(bact__buf *b, const char *s);
/* percent-encode everything but ALPHA DIGIT - . _ ~ */
void bact__put_pct(bact__buf *b, const char *s);

/* ---- JSON writer (json_write.c) ---- */

typedef struct bact__jw {
    bact__buf b;
    uint8_t first;   /* nothing written yet in the innermost container
                        (or since its last key); the ones around it
                        always have an item: the open one */
    uint8_t depth;
    uint8_t bad;     /* nesting misuse */
} bact__jw;

/* (inline: one caller, which sets most of it anyway) */
static BACT__INLINE void bact__jw_init(bact__jw *w, char *p, size_t cap)
{
    w->b.p = p;
    w->b.cap = cap;
    w->b.len = 0;
    w->first = 1;
    w->depth = 0;
    w->bad = 0;
}
/* '{' or '[' as a value */
void bact__jw_open(bact__jw *w, char ch);
void bact__jw_end(bact__jw *w, char close);/* '}' or ']' */
/* s as an escaped string (its separator first); a key (colon 1) with its
 * ':', a value (colon 0) */
void bact__jw_string(bact__jw *w, const char *s, size_t colon);
/* (inline: a call of the above with one argument more is smaller than a
 * wrapper of its own) */
static BACT__INLINE void bact__jw_obj(bact__jw *w) { bact__jw_open(w, '{'); }
static BACT__INLINE void bact__jw_arr(bact__jw *w) { bact__jw_open(w, '['); }
static BACT__INLINE void bact__jw_key(bact__jw *w, const char *key)
{
    bact__jw_string(w, key, 1);
}
/* escaped string value */
static BACT__INLINE void bact__jw_str(bact__jw *w, const char *s)
{
    bact__jw_string(w, s, 0);
}
/* the separator a value or key needs before it: a comma after an item */
void bact__jw_sep(bact__jw *w);
/* (inline: the one caller writes true, a constant) */
static BACT__INLINE void bact__jw_bool(bact__jw *w, int v)
{
    size_t t = v != 0;
    bact__jw_sep(w);
    bact__put(&w->b, &"falsetrue"[5u * t], 5u - t);
}
void bact__jw_int(bact__jw *w, int32_t v);
/* key + string value; nothing when s is NULL */
static BACT__INLINE void bact__jw_kstr(bact__jw *w, const char *key,
                                       const char *s)
{
    if (s == NULL)
        return;
    bact__jw_string(w, key, 1);
    bact__jw_string(w, s, 0);
}

/* ---- JSON reader (json_read.c) ---- */

enum {
    BACT__J_STR = 1,   /* const char * view (NUL-terminated in place) */
    BACT__J_ID,        /* copied into char[BACT_ID_SIZE] */
    BACT__J_I32,
    BACT__J_I64,
    BACT__J_BOOL,      /* int */
    BACT__J_ARRAY,     /* bact_array */
    BACT__J_STATE,     /* bact_task_state */
    BACT__J_OBJ        /* int: token index of a nested object, -1 absent */
};

/* The member names the field tables look for (and the request bodies
 * write), as one pool of strings: BACT__KEY(name) is "name". A table
 * entry holds its key's place in the pool, not a pointer, and takes four
 * bytes rather than eight. The keys a request body writes (the writer
 * takes a NUL-terminated key), and the hosts of those that end another,
 * end with a NUL; the others are found by their length and have none. */
#define BACT__KEYS_Z(X)                                                     \
    X(workflow_id) X(profile_id) X(input_parameters) X(value)               \
    X(workflow_template_id) X(proxyRegion)                                  \
    X(status_change_callback_url) X(workflow_name)
#define BACT__KEYS(X)                                                       \
    X(created_at_from) X(publish_at) X(finished_atask_failure_info)         \
    X(creditemplateId) X(profileIdetailUrl)                                 \
    X(created_at_total_pagestep_goal)                                       \
    X(fileNamessagevaluation_previous_goal)                                 \
    X(recommendDescreenshots_urlive_url_infoutputotal_count)                \
    X(create_atraceId)                                                      \
    X(biz_codefault_enabledownload_files_expires_atask_id)                  \
    X(keywordownloadUrlog_detail_urlimitemsg)                               \
    X(fileSizerrorMessagexpiresAt) X(progresstepstringuidescription)
/* Keys inside another one, at a place in it: the pool holds them there,
 * not twice. One that ends a host of BACT__KEYS_Z is NUL-terminated (the
 * writer's keys are such); the field tables and query names hold a key's
 * length, so one may also start or sit inside its host. A bare host is
 * named by keys run together, each beginning in the end of the one before
 * where they share bytes (limitemsg: limit, items, msg; creditemplateId:
 * credit, templateId). */
#define BACT__KEY_PARTS(Y)                                                  \
    Y(name, workflow_name, 9)                                               \
    Y(callback_url, status_change_callback_url, 14)                         \
    Y(status, status_change_callback_url, 0)                                \
    Y(created_at, created_at_from, 0)                                       \
    Y(finished_at, finished_atask_failure_info, 0)                          \
    Y(task_failure_info, finished_atask_failure_info, 10)                   \
    Y(credit, creditemplateId, 0) Y(templateId, creditemplateId, 5)         \
    Y(profileId, profileIdetailUrl, 0) Y(detailUrl, profileIdetailUrl, 8)   \
    Y(created_at_to, created_at_total_pagestep_goal, 0)                     \
    Y(total_pages, created_at_total_pagestep_goal, 11)                      \
    Y(page, created_at_total_pagestep_goal, 17)                             \
    Y(step_goal, created_at_total_pagestep_goal, 21)                        \
    Y(fileName, fileNamessagevaluation_previous_goal, 0)                    \
    Y(message, fileNamessagevaluation_previous_goal, 6)                     \
    Y(evaluation_previous_goal, fileNamessagevaluation_previous_goal, 12)   \
    Y(recommendDesc, recommendDescreenshots_urlive_url_infoutputotal_count, \
      0)                                                                    \
    Y(screenshots_url,                                                      \
      recommendDescreenshots_urlive_url_infoutputotal_count, 11)            \
    Y(live_url, recommendDescreenshots_urlive_url_infoutputotal_count, 25)  \
    Y(live_url_info,                                                        \
      recommendDescreenshots_urlive_url_infoutputotal_count, 25)            \
    Y(output, recommendDescreenshots_urlive_url_infoutputotal_count, 37)    \
    Y(total_count, recommendDescreenshots_urlive_url_infoutputotal_count,   \
      42)                                                                   \
    Y(create_at, create_atraceId, 0) Y(traceId, create_atraceId, 8)         \
    Y(biz_code, biz_codefault_enabledownload_files_expires_atask_id, 0)     \
    Y(code, biz_codefault_enabledownload_files_expires_atask_id, 4)         \
    Y(default_enabled,                                                      \
      biz_codefault_enabledownload_files_expires_atask_id, 6)               \
    Y(download_files,                                                       \
      biz_codefault_enabledownload_files_expires_atask_id, 20)              \
    Y(files, biz_codefault_enabledownload_files_expires_atask_id, 29)       \
    Y(files_expires_at,                                                     \
      biz_codefault_enabledownload_files_expires_atask_id, 29)              \
    Y(task_id, biz_codefault_enabledownload_files_expires_atask_id, 44)     \
    Y(keyword, keywordownloadUrlog_detail_urlimitemsg, 0)                   \
    Y(downloadUrl, keywordownloadUrlog_detail_urlimitemsg, 6)               \
    Y(log_detail_url, keywordownloadUrlog_detail_urlimitemsg, 16)           \
    Y(limit, keywordownloadUrlog_detail_urlimitemsg, 29)                    \
    Y(items, keywordownloadUrlog_detail_urlimitemsg, 32)                    \
    Y(msg, keywordownloadUrlog_detail_urlimitemsg, 35)                      \
    Y(fileSize, fileSizerrorMessagexpiresAt, 0)                             \
    Y(errorMessage, fileSizerrorMessagexpiresAt, 7)                         \
    Y(expiresAt, fileSizerrorMessagexpiresAt, 18)                           \
    Y(progress, progresstepstringuidescription, 0)                          \
    Y(step, progresstepstringuidescription, 7)                              \
    Y(steps, progresstepstringuidescription, 7)                             \
    Y(string, progresstepstringuidescription, 11)                           \
    Y(guid, progresstepstringuidescription, 16)                             \
    Y(id, progresstepstringuidescription, 18)                               \
    Y(description, progresstepstringuidescription, 19)

/* The pool (json_read.c) is the keys run together in one string literal,
 * a NUL after each of BACT__KEYS_Z; this layout, never filled, gives
 * their places. */
#define BACT__KEY_MEMBER(k) char k[sizeof #k];
#define BACT__KEY_BARE(k) char k[sizeof #k - 1u];
/* Last in the pool, a run request's save_browser_data member as a body
 * writes it, its comma first (a member always comes before it), the key
 * inside it: bact__body() writes the whole text, the readers find the
 * key there. */
#define BACT__SAVE_MEMBER ",\"save_browser_data\":true"
struct bact__keys {
    BACT__KEYS_Z(BACT__KEY_MEMBER)
    BACT__KEYS(BACT__KEY_BARE)
    char save_member_[sizeof BACT__SAVE_MEMBER - 1u];
};
#undef BACT__KEY_MEMBER
#undef BACT__KEY_BARE
extern const char bact__keys[];
/* each key's place in the pool: BACT__K_name */
#define BACT__KEY_PLACE(k) BACT__K_##k = offsetof(struct bact__keys, k),
#define BACT__PART_PLACE(k, in, at)                                         \
    BACT__K_##k = offsetof(struct bact__keys, in) + (at),
enum {
    BACT__KEYS_Z(BACT__KEY_PLACE) BACT__KEYS(BACT__KEY_PLACE)
    BACT__KEY_PARTS(BACT__PART_PLACE)
    BACT__K_save_browser_data = offsetof(struct bact__keys, save_member_) + 2,
    BACT__K_END_
};
#undef BACT__KEY_PLACE
#undef BACT__PART_PLACE
/* the key at place at of the pool (a field's key, a query name's) */
#define BACT__KEY_AT(at) (bact__keys + (at))
/* a key by its name, and its length */
#define BACT__KEY(k) BACT__KEY_AT(BACT__K_##k)
#define BACT__KEY_LEN(k) (sizeof #k - 1u)

typedef struct bact__field {
    unsigned key : 16;     /* its key: BACT__QNAME() (place and length) */
    unsigned offset : 11;  /* where its value goes in the output */
    unsigned required : 1;
    unsigned type : 4;     /* BACT__J_* */
} bact__field;

/* a table entry: key, BACT__J_ type, required, output struct and member */
#define BACT__FIELD(key, type, req, st, member)                             \
    { BACT__QNAME(key), offsetof(st, member), req, BACT__J_##type }

/* c->json: 0 not parsed, 1 parsed, 2 decoded; with 1 or 2,
 * BACT__JSON_PLAIN: the text holds no escape, so decoding only ends each
 * string with a NUL, and no string holds a NUL */
#define BACT__JSON_PLAIN 0x04u
#define BACT__JSON_STAGE(c) ((c)->json & ~BACT__JSON_PLAIN) /* 0, 1 or 2 */
/* Tokenize and validate the body in c->buf[0..c->body_len). Returns
 * BACT_OK, BACT_E_JSON or BACT_E_TOKENS. */
int bact__json_parse(bact_client *c);
/* Unescape every string in place and NUL-terminate it. */
void bact__json_decode(bact_client *c);
/* Fill out from the object at token obj using the field table. Unknown
 * keys are ignored; null counts as absent. */
int bact__json_fields(const bact_client *c, int obj, const bact__field *f,
                      size_t nf, void *out);
/* Length of the valid UTF-8 sequence (RFC 3629: no overlong forms, no
 * surrogates, at most U+10FFFF) at s[i] of s[0..n), or 0. s[i] is 0x80
 * or above: the callers take ASCII themselves (0 for it here). */
size_t bact__utf8_len(const uint8_t *s, size_t n, size_t i);
/* Index of the first token after the value at token i. */
int bact__json_skip(const bact_client *c, int i);
/* Token index of element idx of the array at token arr, or -1. */
int bact__json_elem(const bact_client *c, int arr, unsigned idx);
/* If the (validated) body is an error envelope, fill c->err and return 1. */
int bact__json_envelope(bact_client *c);

/* ---- the driver (client.c) ---- */

/* An endpoint: constant, one per endpoint, all in one table (bact__eps;
 * bact_request() has two of its own there, raw, one of them idempotent). */
typedef struct bact__ep {
    /* after "/v2/workflow/", path_len bytes from bact__paths + path
     * (unused with RAW: the bact_http_req's method and path); the method
     * is in flags */
    uint8_t path;
    uint8_t path_len;
    /* its query parameters' names: BACT__EP_NQ() of bact__qnames from
     * BACT__EP_Q() (a byte for both: five bits and three) */
    uint8_t query;
    /* with BACT__C_JSON, out of raw mode: the answer's top object fills
     * the call's arg.out through BACT__EP_NF() of bact__ep_fields from
     * BACT__EP_F() (nothing to fill with 0 entries; four bits each) */
    uint8_t fields;
    uint8_t flags;             /* BACT__C_* */
} bact__ep;
#define BACT__EP_Q(ep) ((ep)->query >> 3)
#define BACT__EP_NQ(ep) ((ep)->query & 7u)
#define BACT__EP_F(ep) ((ep)->fields & 15u)
#define BACT__EP_NF(ep) ((ep)->fields >> 4)

/* the endpoints (api.c), named by their places: bact_request()'s two
 * first, then the library's own */
extern const bact__ep bact__eps[];
#define BACT__EP_RAW 0u      /* a request of bact_request() */
#define BACT__EP_RAW_IDEM 1u /* ... that may be repeated */
/* the endpoints' paths, query names and answer tables (api.c) */
extern const char bact__paths[];
extern const uint16_t bact__qnames[];
extern const bact__field bact__ep_fields[];

#define BACT__C_IDEMPOTENT 0x01u /* may be retried after it was sent */
#define BACT__C_DATE 0x02u       /* keep a 2xx answer's Date (reconcile) */
#define BACT__C_JSON 0x04u       /* a 2xx body is JSON: parse it (and out
                                    of raw mode decode it) */
#define BACT__C_RAW 0x08u        /* bact_request(): arg.in is a bact__raw */
#define BACT__C_BODY 0x10u       /* a JSON body, bact__body() writes it */
#define BACT__C_GET 0x00u        /* the method, two bits: GET, PUT, POST */
#define BACT__C_PUT 0x20u
#define BACT__C_POST 0x40u
#define BACT__C_ANY 0x80u        /* with BACT__C_JSON: the 2xx body may be
                                    empty or not JSON; only an error
                                    envelope in it counts */

/* A key as a field table and an endpoint's query names list it: its
 * place in the key pool (11 bits) and its length in the top five bits,
 * so that no strlen is needed and a key may sit inside another; a longer
 * name does not compile. */
#define BACT__QNAME(k)                                                      \
    (uint16_t)(BACT__K_##k | BACT__KEY_LEN(k) << 11 |                       \
               0u * sizeof(char[BACT__KEY_LEN(k) < 32u ? 1 : -1]))
/* ... and read back */
#define BACT__QNAME_AT(q) ((q) & 0x7FFu)
#define BACT__QNAME_LEN(q) ((q) >> 11)

/* bact_request()'s request (query and body included) and body sink. */
typedef struct bact__raw {
    const bact_http_req *rq;
    bact_body_cb sink;
    void *user;
} bact__raw;

/* One call of an endpoint: what changes from call to call. */
typedef struct bact__call {
    const bact__ep *ep;
    const char *const *values; /* one per ep's query name; NULL: left out */
    union {
        const void *in;        /* the body writer's argument */
        void *out;             /* what ep's fields fill */
    } arg;
    uint8_t flags;             /* ep->flags, copied: the attempt's steps
                                  read them in one load, not two */
} bact__call;

/* The JSON body of a call (BACT__C_BODY; api.c). Measured (*len, 0 on the
 * way in, gets its size; BACT_E_ARG when the writer misused the nesting
 * or a string is not UTF-8), or with write
 * set, written into the work buffer from *len on, *len moving past it
 * (past the buffer's end too: the size that was needed). Called directly,
 * not through a pointer, so that the stack analysis sees it; apart from
 * the request line and headers, so that its chain does not stack on
 * theirs. */
int bact__body(bact_client *c, const bact__call *call, size_t *len,
               int write);

/* Run a call of the endpoint bact__eps[ep] with retries (a place, not an
 * address: each caller loads a small number): values and arg are its
 * bact__call's
 * (arg its arg.in, or its arg.out). On BACT_OK the 2xx body is in
 * c->buf[0..c->body_len) (or went to a bact__raw's sink); with BACT__C_JSON, parsed,
 * out of raw mode decoded and read into arg.out through ep's fields (a 2xx
 * error envelope is BACT_E_API). On a non-2xx answer the body is
 * buffered, c->err filled, and BACT_E_API returned. */
int bact__exec(bact_client *c, unsigned ep, const char *const *values,
               const void *arg);

/* 1 when p[0..n) is there and each name is non-empty (query parameters,
 * workflow input). */
int bact__params_ok(const bact_param *p, size_t n);

/* Sleep ms through the platform, re-reading the clock (bounded). */
void bact__sleep(const bact_client *c, uint32_t ms);
/* What is left of the call's whole-call limit (UINT32_MAX: none). */
uint32_t bact__call_left(const bact_client *c);

/* ---- URL helpers (url.c) ---- */

/* 0: a public host (a name, or a public address); 1: loopback
 * (localhost, 127/8, ::1); 2: a private, link-local, unspecified,
 * shared, multicast or reserved address; 3: refused, no host or a numeric spelling that does not parse
 * (such as a part with a leading 0) or ends in a dot. */
int bact__host_is_local(const char *host, size_t host_len);

#endif /* BACT_INTERNAL_H */
