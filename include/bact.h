/*
 * bact.h - trigger BrowserAct workflows and follow their tasks from C.
 *
 * The one public header. The library allocates nothing, prints nothing and
 * keeps no global state: the caller owns the client context, its work
 * buffer and its JSON token array, and lends a transport and a platform.
 *
 * Memory model, in one paragraph: every call writes its HTTP request into
 * the work buffer, sends it, then reuses the same buffer for the response
 * body (the header section is parsed as it streams by and never stored).
 * Results hold ids copied into fixed fields (BACT_ID_SIZE) and other strings
 * as NUL-terminated pointers into the work buffer; those pointers stay valid
 * until the next call on the same client. A string holding a \u0000 reads
 * as far as its first NUL (bact_task.output_len gives the output's whole
 * length; an id or a status word with one is refused). Of a member named
 * twice in an object read into a result, the first that is not null
 * counts. A callback (body sink, status callback, trace) runs inside a
 * call on its client and must not call into that client (another client
 * is fine).
 *
 *     bact_client c;  uint8_t buf[1024];  jsmntok_t tok[32];
 *     bact_config cfg = {0};
 *     cfg.base_url = "https://api.browseract.com";
 *     cfg.api_key = key;  cfg.buf = buf;  cfg.buf_len = sizeof buf;
 *     cfg.tokens = tok;   cfg.n_tokens = 32;
 *     cfg.transport = &tls_transport;  cfg.platform = &platform;
 *     if (bact_init(&c, &cfg) != BACT_OK) ...;
 *     bact_param p = {"query", "coffee"};
 *     bact_run_req rq = {0};
 *     rq.workflow_id = "16217357109956214"; rq.params = &p; rq.n_params = 1;
 *     bact_task_created t;
 *     if (bact_run_task(&c, &rq, &t) == BACT_OK) {
 *         bact_task_state st;
 *         int rc = bact_wait(&c, t.id, 5000, BACT_WAIT_FOREVER, NULL, NULL,
 *                            &st);
 *         ... rc == BACT_OK && st.status == BACT_STATUS_FINISHED ...
 *     }
 */
#ifndef BACT_H
#define BACT_H

#include <stddef.h>
#include <stdint.h>

#include "bact_config_defaults.h"
#include "bact_port.h"

/* jsmn's token type, declarations only: the tokenizer itself is compiled
 * into src/json_read.c. */
#ifndef JSMN_H
#define JSMN_HEADER
#include <jsmn.h>
#undef JSMN_HEADER
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define BACT_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

/** One error space: BACT_OK is 0, every error is negative. */
typedef enum bact_err {
    BACT_OK = 0,
    BACT_E_ARG = -1,          /**< bad argument (also: a string for a
                                   request body that is not UTF-8),
                                   refused before sending */
    BACT_E_BUF = -2,          /**< work buffer too small; bact_needed() */
    BACT_E_TOKENS = -3,       /**< token array too small; bact_needed() */
    BACT_E_DNS = -4,          /**< host name did not resolve */
    BACT_E_CONNECT = -5,      /**< connection refused or unreachable */
    BACT_E_NET = -6,          /**< send/recv failed, connection reset */
    BACT_E_TIMEOUT = -7,      /**< inactivity or attempt deadline passed */
    BACT_E_CLOSED = -8,       /**< peer closed before the response ended */
    BACT_E_TLS = -9,          /**< TLS failure (from a TLS transport) */
    BACT_E_HTTP = -10,        /**< malformed HTTP response */
    BACT_E_HEADER_SIZE = -11, /**< header section over the byte limit */
    BACT_E_HEADER_COUNT = -12,/**< more header fields than allowed */
    BACT_E_BODY_SIZE = -13,   /**< body larger than the buffer or limit */
    BACT_E_JSON = -14,        /**< body is not valid JSON */
    BACT_E_SHAPE = -15,       /**< valid JSON, wrong shape: a required field
                                   missing, a wrong type, an id too long */
    BACT_E_API = -16,         /**< the API answered with an error (a non-2xx
                                   status or an error envelope); see
                                   bact_last_error() */
    BACT_E_DEADLINE = -17,    /**< bact_wait(): max_wait ran out */
    BACT_E_ABORTED = -18,     /**< a callback asked to stop */
    BACT_E_UNSUPPORTED = -19  /**< not in this build: a trace callback
                                   with BACT_CONFIG_TRACE 0 */
} bact_err;

/** Text for an error code ("" when BACT_CONFIG_ERROR_STRINGS is 0). */
const char *bact_strerror(int err);

/* ------------------------------------------------------------------ */
/* Base URL and callback URL checks                                     */
/* ------------------------------------------------------------------ */

/** A parsed base URL: views into the string that was parsed. */
typedef struct bact_url {
    const char *host;  /**< without brackets for IPv6 literals */
    size_t host_len;
    uint16_t port;     /**< explicit, or 80 / 443 */
    uint8_t tls;       /**< 1 for https */
    uint8_t ipv6;      /**< host is an IPv6 literal */
    uint8_t default_port; /**< port was not given or equals the default */
} bact_url;

/**
 * Parse an API origin "http[s]://host[:port]" (one trailing "/" allowed,
 * nothing else after the authority). Scheme and host are case-insensitive.
 * A host whose every part is digits (or "0x" and hex digits) must be an
 * IPv4 address as inet_aton() reads it, without a part with a leading 0
 * (which the resolver reads as octal) or a trailing dot (which makes it a
 * name to the resolver): "127.0.0.010", "127.0.0.1." and "1.2.3.4.5" are
 * refused. Returns BACT_OK or BACT_E_ARG. out's pointers alias url.
 */
int bact_parse_url(const char *url, bact_url *out);

/** bact_check_callback_url() flag: accept loopback hosts (tests only). */
#define BACT_URL_ALLOW_LOOPBACK 1u

/**
 * Check a webhook URL the way the API wants it: http or https, at most 2048
 * bytes, a host that is not localhost / *.localhost, nor in 127/8, 10/8,
 * 172.16/12, 192.168/16, 169.254/16, 0/8, 100.64/10, 224/4, 240/4 (the
 * broadcast address too), ::1, ::, fc00::/7, fe80::/10, fec0::/10, ff00::/8,
 * 64:ff9b:1::/48 (IPv4 also in its short and hex spellings, and as
 * ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, ::a.b.c.d or 64:ff9b::a.b.c.d, and a
 * 6to4 2002::/16 or Teredo 2001::/32
 * address whose IPv4 address inside is one of them; a part with a leading
 * 0, such as 0127, which some read as octal and others as decimal, is
 * refused).
 * Any user:pass@ is skipped first. Returns BACT_OK or BACT_E_ARG.
 */
int bact_check_callback_url(const char *url, unsigned flags);

/* ------------------------------------------------------------------ */
/* The client context                                                   */
/* ------------------------------------------------------------------ */

/** Events passed to bact_config.trace (text is not NUL-terminated). */
enum {
    BACT_TRACE_REQUEST = 1, /**< the request line, e.g. "GET /v2/... HTTP/1.1" */
    BACT_TRACE_STATUS = 2,  /**< version and code, "HTTP/1.1 200" (the
                                 reason phrase is not kept) */
    BACT_TRACE_RETRY = 3,   /**< a retry is coming; text says why and when */
    BACT_TRACE_CONNECT = 4  /**< a new connection is being opened */
};

/** bact_config.flags */
#define BACT_F_ALLOW_LOOPBACK_CALLBACKS 1u /**< tests: loopback webhooks */

/** What bact_init() needs. A zeroed field takes its default. */
typedef struct bact_config {
    const char *base_url;    /**< "https://api.browseract.com"; must outlive
                                  the client */
    const char *api_key;     /**< bearer token; must outlive the client */
    uint8_t *buf;            /**< work buffer (request, then body) */
    size_t buf_len;
    jsmntok_t *tokens;       /**< JSON token array */
    unsigned n_tokens;
    const bact_transport *transport; /**< copied by bact_init() */
    const bact_platform *platform;   /**< copied by bact_init() */
    uint32_t timeout_ms;     /**< inactivity limit; 0: BACT_DEFAULT_TIMEOUT_MS */
    uint32_t attempt_ms;     /**< whole-attempt limit; 0: 4 x timeout_ms */
    uint32_t connect_ms;     /**< connect (and TLS handshake) limit;
                                  0: timeout_ms */
    uint32_t call_ms;        /**< whole-call limit, retries and back-off
                                  included (bact_run_task: its lookups
                                  and a resend too; bact_wait: each
                                  poll); 0: none */
    uint32_t backoff_ms;     /**< first back-off step; 0: default */
    uint32_t max_header_bytes; /**< 0: BACT_DEFAULT_MAX_HEADER_BYTES */
    uint32_t max_headers;    /**< 0: BACT_DEFAULT_MAX_HEADERS */
    uint8_t retries;         /**< extra attempts for retryable failures;
                                  0 means none (not a default) */
    uint32_t flags;          /**< BACT_F_* */
    const char *user_agent;  /**< NULL: BACT_USER_AGENT */
    /** NULL: none; with BACT_CONFIG_TRACE 0, anything else makes
     *  bact_init() return BACT_E_UNSUPPORTED */
    void (*trace)(void *user, int event, const char *text, size_t len);
    void *trace_user;
} bact_config;

/** The error detail of the last call that returned BACT_E_API. Strings
 *  point into the work buffer (NULL when absent). */
typedef struct bact_api_error {
    int http_status;      /**< e.g. 400, 401, 429, 503, 302 */
    int has_code;         /**< the body was an error envelope */
    int32_t code;         /**< envelope code, e.g. 10112 */
    const char *msg;
    const char *trace_id;
} bact_api_error;

/* Private: the incremental HTTP response parser (see src/http.c). The
 * four counts and limits come first: an interim response keeps them and
 * clears the rest, from state on. Then the small fields, where Thumb's
 * short loads and stores reach them (bytes to 31, halfwords to 62). */
typedef struct bact_http_parser {
    uint32_t header_bytes, max_header_bytes;
    uint32_t header_count, max_headers;
    uint8_t state;
    uint8_t pos;             /* position inside a literal or name */
    uint8_t hdr;             /* header being read */
    uint8_t flags;
    uint8_t flags2;
    uint8_t minor;
    uint8_t scratch_len;
    uint16_t status;
    uint16_t line_len;       /* bytes in the current chunk-size line */
    uint32_t remaining;      /* body bytes left (length or chunk) */
    uint32_t content_length;
    uint32_t retry_after;    /* seconds, or an epoch date when RA_DATE */
    uint32_t date;           /* Date header, seconds since the epoch */
    char scratch[36];        /* current value of a short header */
} bact_http_parser;

/* Private: the array element read last (arr -1: none), so that reading
 * an array's elements in order costs one step each, not a walk from the
 * array's start; the readers take a const client and write it through
 * cur, which parsing an answer points at cursor (a copy of a client,
 * whose cur is not its own, reads without it). */
struct bact__cursor {
    int arr, tok;
    unsigned idx;
};

/** The client. A complete type so it can live on the stack or in .bss;
 *  every field is private. */
typedef struct bact_client {
    /* Order, for code size: bytes, halfwords, then words, where Thumb's
     * short loads and stores reach them (bytes to 31, halfwords to 62,
     * words to 124); then the parser (http.c reads it through a pointer);
     * last, what costs no more at a far offset (placed by measuring) */
    uint8_t conn_open, conn_reused, raw, json, sent;
    uint8_t got;             /* this attempt: answer bytes, sink, reuse */
    uint8_t tls, ipv6;
    uint8_t retries, retries_used;
    uint8_t flags;           /* BACT_F_* (all fit in a byte) */
    uint8_t held;            /* the call clock runs from an earlier request
                                of the same public call (bact_run_task) */
    uint16_t host_len;
    uint16_t key_len, agent_len;
    uint16_t port;
    uint16_t host_hdr_len;   /* the Host value: the base URL's authority */
    unsigned answers;        /* answers parsed: which a bact_array is of */
    bact_transport tr;
    bact_platform pf;
    const char *host;
    uint8_t *buf;
    size_t cap;
    size_t body_len;
    size_t needed;
    jsmntok_t *tok;
    int ntok_used;
    uint32_t attempt_ms, backoff_ms;
    uint32_t connect_ms, call_ms, call_start;
    void (*trace)(void *user, int event, const char *text, size_t len);
    void *trace_user;
    uint32_t t_sent;         /* clock when the last attempt began sending */
    uint32_t t_last;         /* clock when it last moved a byte */
    struct bact__cursor *cur; /* see bact__cursor */
    bact_http_parser resp;
    uint32_t timeout_ms;
    unsigned ntok;
    const char *user_agent;
    const char *api_key;
    bact_api_error err;
    struct bact__cursor cursor;
} bact_client;

/**
 * Validate cfg and set up c. No I/O. Returns BACT_OK or BACT_E_ARG (NULL
 * pointers, a bad base URL, a buffer under 256 bytes, fewer than 4 tokens,
 * a transport without send/recv, a platform without now_ms/sleep_ms, an
 * empty API key or one with a byte outside '!'..'~', an empty user agent
 * or one with a byte outside ' '..'~', either over 4096 characters).
 * An https base URL is accepted: the transport must then be a TLS one.
 */
int bact_init(bact_client *c, const bact_config *cfg);

/** Close a kept-alive connection, if any. The client stays usable. */
void bact_close(bact_client *c);

/** Raw mode: API calls check the status and the error envelope but do not
 *  decode the body, which stays exactly as received (see bact_body()). */
void bact_set_raw(bact_client *c, int on);

/** After BACT_E_BUF or BACT_E_TOKENS: the size (bytes or tokens) that was
 *  needed, when it is known (0 otherwise). After BACT_E_BODY_SIZE: the
 *  body's Content-Length, or for a body without one (chunked, or to the
 *  close) the bytes it had reached when it no longer fit, a lower bound. */
size_t bact_needed(const bact_client *c);

/** After a call failed: 1 when its request had begun to go out, so the
 *  server may have acted on it (a run call's error may then hide a created
 *  task: bact_list_tasks() shows it): in the last attempt, or in an
 *  earlier one that the server did not turn away (a 429 or 503 answer, or
 *  a kept-alive connection it had closed or answered 408 on, turns it
 *  away); 0 otherwise, as when nothing was sent. For bact_run_task() this
 *  is the run request's, whatever lists were asked for afterwards. After
 *  BACT_E_ARG, which is refused before anything is sent, it may still be
 *  the previous call's figure. */
int bact_request_sent(const bact_client *c);

/** After BACT_E_API: what the server said. */
const bact_api_error *bact_last_error(const bact_client *c);

/** The last response's body (de-chunked) and its length; valid until the
 *  next call. In raw mode this is the body exactly as received, but for
 *  one that made the call BACT_E_API: an error body in JSON has its
 *  strings decoded in place for bact_last_error(). */
const uint8_t *bact_body(const bact_client *c, size_t *len);

/** Retries made for the last request sent. A call that sends several
 *  (bact_wait's polls, bact_run_task's reconciliation) reports its last
 *  one; after BACT_E_ARG it may still be the previous call's figure. */
unsigned bact_retries_used(const bact_client *c);

/* ------------------------------------------------------------------ */
/* Low-level request                                                    */
/* ------------------------------------------------------------------ */

/** A name and a value (query parameter or workflow input). */
typedef struct bact_param {
    const char *name;
    const char *value; /**< NULL: the parameter is left out */
} bact_param;

/** Body sink for streaming: return 0 to go on, non-zero to stop
 *  (the call then returns BACT_E_ABORTED). */
typedef int (*bact_body_cb)(void *user, const uint8_t *data, size_t len);

/** A request bact_request() refuses with BACT_E_ARG, before anything is
 *  sent, unless: method is 1 to 17 bytes of A-Z and '-'; path starts with
 *  '/' and is at most 2049 bytes of 0x21..0x7E; content_type, if any, at
 *  most 4096 bytes of 0x20..0x7E; every query name non-empty. */
typedef struct bact_http_req {
    const char *method;      /**< "GET", "POST", "PUT", ... */
    const char *path;        /**< "/v2/workflow/get-task-status" */
    const bact_param *query; /**< values are percent-encoded; joined
                                  with '&' to a query the path has */
    size_t n_query;
    const uint8_t *body;     /**< sent with Content-Type and -Length;
                                  NULL: no body and neither header (for a
                                  POST or PUT with empty content, pass a
                                  non-NULL body of body_len 0: RFC 9110
                                  8.6 asks for "Content-Length: 0") */
    size_t body_len;
    const char *content_type;/**< NULL: "application/json" */
    int idempotent;          /**< may be retried after it was sent */
} bact_http_req;

/**
 * Send one request and read the response. A 2xx body goes to sink when one
 * is given (bounded RAM: the work buffer is only a receive window), else
 * into the work buffer (bact_body()). Returns BACT_OK for any 2xx status;
 * *status gets the HTTP status. A non-2xx status returns BACT_E_API with
 * the body buffered for bact_last_error() (BACT_E_BODY_SIZE when that
 * body does not fit the buffer; *status still gets the status). Retries
 * as configured; and, retries or not, once on a new connection when a
 * kept-alive one was closed under the request (idempotent only) or
 * answered it with a 408 (any request: the server says it did not take
 * it).
 */
int bact_request(bact_client *c, const bact_http_req *rq, bact_body_cb sink,
                 void *user, int *status);

/* ------------------------------------------------------------------ */
/* Tasks                                                                */
/* ------------------------------------------------------------------ */

/** The eight task status values, plus OTHER for a word this version does
 *  not know (kept as text in bact_task_state.text). */
typedef enum bact_status {
    BACT_STATUS_OTHER = 0,
    BACT_STATUS_CREATED,
    BACT_STATUS_RUNNING,
    BACT_STATUS_FINISHED,
    BACT_STATUS_CANCELED,
    BACT_STATUS_PAUSING,
    BACT_STATUS_PAUSED,
    BACT_STATUS_FAILED,
    BACT_STATUS_UNKNOWN
} bact_status;

/** "created", "running", ...; "" for BACT_STATUS_OTHER. */
const char *bact_status_name(bact_status s);
/** BACT_STATUS_OTHER when word (len bytes) is not one of the eight. */
bact_status bact_status_parse(const char *word, size_t len);
/** 1 for finished, failed, canceled; 0 otherwise (paused is not final). */
int bact_status_is_terminal(bact_status s);

/** A status as reported: the enum and the word as it came (a word longer
 *  than BACT_STATUS_SIZE - 1 bytes is kept that far, back to a character's
 *  start, and is OTHER). */
typedef struct bact_task_state {
    bact_status status;
    char text[BACT_STATUS_SIZE];
} bact_task_state;

/** How a run call got its task (bact_task_created.outcome). */
enum {
    BACT_RUN_CREATED = 0, /**< the server answered the request */
    BACT_RUN_ADOPTED = 1, /**< the answer was lost after the request was
                               sent; the task it created was found in
                               list-tasks and adopted (nothing resent) */
    BACT_RUN_RESENT = 2   /**< the answer was lost; list-tasks showed no
                               task was created, so the request was sent
                               again and answered */
};

/** The answer of the two run endpoints. When a run call fails, id is
 *  "": there is no task to follow. */
typedef struct bact_task_created {
    char id[BACT_ID_SIZE];
    char profile_id[BACT_ID_SIZE]; /**< "" when none was returned (either
                                        "profile_id" or "profileId") */
    int outcome;                   /**< BACT_RUN_* */
} bact_task_created;

/** POST /v2/workflow/run-task. NULL / 0 fields are not sent. */
typedef struct bact_run_req {
    const char *workflow_id;         /**< required, non-empty */
    const bact_param *params;        /**< input_parameters (value NULL:
                                          left out) */
    size_t n_params;
    int save_browser_data;           /**< sent as true when non-zero */
    const char *profile_id;          /**< reuse a saved browser profile */
    const char *callback_url;        /**< checked: bact_check_callback_url */
    const char *status_callback_url; /**< status_change_callback_url */
} bact_run_req;

/** POST /v2/workflow/run-task-by-template. */
typedef struct bact_template_run_req {
    const char *template_id;         /**< workflow_template_id, required */
    const bact_param *params;
    size_t n_params;
    const char *proxy_region;        /**< proxyRegion, e.g. "US" */
    const char *callback_url;
    const char *status_callback_url;
} bact_template_run_req;

/** Element count and position of a JSON array held in the token array;
 *  read its elements with the bact_*_at() functions below, before the
 *  next call on the client (which refuses a handle from an earlier
 *  answer). */
typedef struct bact_array {
    int tok;        /**< token index of the array, -1 when absent/null */
    unsigned count;
    unsigned answer; /**< which parsed answer the handle belongs to */
} bact_array;

/** A task, from get-task (all fields) or a list-tasks item (no steps,
 *  download files or log url). Strings are NULL when absent or null. */
typedef struct bact_task {
    char id[BACT_ID_SIZE];
    char workflow_id[BACT_ID_SIZE];
    char profile_id[BACT_ID_SIZE];
    bact_task_state state;
    const char *created_at;
    const char *finished_at;
    const char *output;          /**< output.string */
    size_t output_len;           /**< its length (it may hold NUL bytes) */
    bact_array output_files;     /**< output.files: strings */
    int failed_info;             /**< task_failure_info was present */
    int32_t failure_code;
    const char *failure_message;
    bact_array steps;            /**< bact_step_at() */
    bact_array download_files;   /**< bact_download_at() */
    const char *live_url;        /**< live_url_info.live_url */
    const char *input_parameters;/**< "k=v; k2=v2" as the API gives it */
    const char *log_detail_url;
    int64_t credit;              /**< -1 when absent */
    int64_t files_expires_at;    /**< epoch ms, -1 when absent */
    int obj_[3];                 /* private: nested objects while decoding */
} bact_task;

typedef struct bact_step {
    const char *id;
    int32_t step;
    const char *status;          /**< "running", "succeed", "failed" */
    const char *evaluation_previous_goal;
    const char *step_goal;
    const char *screenshots_url;
} bact_step;

typedef struct bact_download {
    const char *guid;
    const char *file_name;
    int64_t file_size;           /**< -1 when absent */
    const char *status;
    int32_t progress;
    const char *download_url;
    const char *error_message;
    int64_t expires_at;          /**< epoch ms, -1 when absent */
} bact_download;

/** A page of a list endpoint. */
typedef struct bact_page {
    int32_t page, limit, total_pages, total_count;
    bact_array items;
} bact_page;

/** list-tasks filters; zero / NULL fields are not sent. page and limit 0
 *  mean 1 and 20; otherwise page >= 1 and 1 <= limit <= 500. */
typedef struct bact_task_query {
    bact_status status;          /**< BACT_STATUS_OTHER: no filter */
    const char *workflow_id;     /**< a filter: sent as given */
    const char *workflow_name;
    const char *created_from;    /**< RFC 3339 date-time ("2024-01-01T00:00:00Z"),
                                      created_at_from; anything else, a
                                      moment that does not exist or lies
                                      outside 1970..2105, or a text over
                                      64 bytes, is BACT_E_ARG */
    const char *created_to;      /**< the same, created_at_to */
    int32_t page, limit;
} bact_task_query;

/* The endpoints. Each returns BACT_OK or a BACT_E_* code, and out is
 * meant to be read after BACT_OK only: after an error it may hold some of
 * the answer's fields and not others (a failed run call still sets id to
 * ""). String fields and arrays point into the client's buffer and are
 * valid until the next call on the same client. An id given (a task's, a
 * workflow's, a template's, a profile's; not a list-tasks filter) and a
 * proxy region hold 1 to BACT_ID_SIZE - 1 bytes, as the result fields do;
 * else BACT_E_ARG (an empty profile id or proxy region is left out, as
 * NULL is). */
/** An answer lost after the request went out is reconciled through
 *  list-tasks, never by a blind resend; out->outcome says how the task was
 *  got (BACT_RUN_*). */
int bact_run_task(bact_client *c, const bact_run_req *rq,
                  bact_task_created *out);
/** Not reconciled: the request names no workflow whose tasks could be
 *  listed, so an answer lost after the request went out is the call's
 *  error (BACT_E_CLOSED, _NET or _TIMEOUT) and nothing is sent again; the
 *  task may exist (bact_list_tasks() shows the newest). */
int bact_run_template(bact_client *c, const bact_template_run_req *rq,
                      bact_task_created *out);
/** After a run call in raw mode (which leaves out's id ""; an adopted task
 *  is the exception, as no answer came): read the task's id and profile id
 *  from the body kept by bact_body(), as out of raw mode; outcome is left
 *  as it is. An answer without a task id is BACT_E_SHAPE. As with
 *  bact_decode_task(), the raw body is gone afterwards. */
int bact_decode_created(bact_client *c, bact_task_created *out);
int bact_get_task_status(bact_client *c, const char *task_id,
                         bact_task_state *out);
int bact_get_task(bact_client *c, const char *task_id, bact_task *out);
/** After a get-task in raw mode: decode the body kept by bact_body() into
 *  out. Decoding unescapes strings in place, so the raw body is gone
 *  afterwards. */
int bact_decode_task(bact_client *c, bact_task *out);
int bact_list_tasks(bact_client *c, const bact_task_query *q,
                    bact_page *out);
/** PUT stop-task (no body: "Content-Length: 0"); biz_code NULL: not
 *  sent. Stop and resume are retried as the GETs are, also after they
 *  went out; the API answers a stop of an ended task with code 10121 and
 *  a resume of a task not paused with 10127, so a retry whose earlier
 *  attempt took effect (its answer lost) may get that error: after one
 *  with bact_retries_used() > 0, bact_get_task_status() tells whether
 *  the task is now canceled (or running) as asked. */
int bact_stop_task(bact_client *c, const char *task_id,
                   const int32_t *biz_code);
int bact_resume_task(bact_client *c, const char *task_id);

/* ------------------------------------------------------------------ */
/* Workflows, templates, regions                                        */
/* ------------------------------------------------------------------ */

/** A workflow or a template. For templates, id is templateId / id. */
typedef struct bact_workflow {
    char id[BACT_ID_SIZE];
    const char *name;
    const char *description;
    const char *recommend_desc;  /**< templates only */
    const char *detail_url;      /**< templates only */
    const char *create_at;
    const char *publish_at;
    bact_array input_parameters; /**< bact_input_def_at() */
} bact_workflow;

typedef struct bact_input_def {
    const char *name;
    int default_enabled;         /**< 1: has a default, may be omitted */
} bact_input_def;

typedef struct bact_region {
    const char *name;
    const char *code;
} bact_region;

/** page and limit: 0 means 1 and 20. keyword NULL: no filter. */
int bact_list_workflows(bact_client *c, int32_t page, int32_t limit,
                        bact_page *out);
int bact_get_workflow(bact_client *c, const char *workflow_id,
                      bact_workflow *out);
int bact_list_templates(bact_client *c, const char *keyword, int32_t page,
                        int32_t limit, bact_page *out);
int bact_get_template(bact_client *c, const char *template_id,
                      bact_workflow *out);
/** get-region-list: a bare array; read it with bact_region_at(). */
int bact_get_regions(bact_client *c, bact_array *out);

/* Element readers: i < a->count. They read the token array of the last
 * call; BACT_E_ARG for a bad index or a handle whose answer a later call
 * has replaced (or discarded, when it failed after it began), BACT_E_SHAPE
 * for a wrong element.
 * Each goes on from the element read last when it can (a cursor in the
 * client, which they update: not from two threads at once on one client),
 * so reading an array in increasing order costs one step per element; a
 * lower index walks from the array's start. */
int bact_task_at(const bact_client *c, const bact_array *a, unsigned i,
                 bact_task *out);
int bact_step_at(const bact_client *c, const bact_array *a, unsigned i,
                 bact_step *out);
int bact_download_at(const bact_client *c, const bact_array *a, unsigned i,
                     bact_download *out);
int bact_workflow_at(const bact_client *c, const bact_array *a, unsigned i,
                     bact_workflow *out);
/** Template list items (templateId, recommendDesc, detailUrl). */
int bact_template_at(const bact_client *c, const bact_array *a, unsigned i,
                     bact_workflow *out);
int bact_input_def_at(const bact_client *c, const bact_array *a, unsigned i,
                      bact_input_def *out);
int bact_region_at(const bact_client *c, const bact_array *a, unsigned i,
                   bact_region *out);
int bact_string_at(const bact_client *c, const bact_array *a, unsigned i,
                   const char **out);

/* ------------------------------------------------------------------ */
/* Waiting for a task                                                   */
/* ------------------------------------------------------------------ */

#define BACT_WAIT_FOREVER 0xFFFFFFFFu

/** Called on the first status seen and on each change. Return non-zero to
 *  stop waiting (bact_wait then returns BACT_E_ABORTED). */
typedef int (*bact_status_cb)(void *user, const bact_task_state *st);

/**
 * Poll get-task-status every interval_ms until the task is finished,
 * failed or canceled (BACT_OK, *out holds it), or max_wait_ms has passed
 * (BACT_E_DEADLINE; it ends a sleep early, and a poll's retries and their
 * waits too; 0 makes one poll, with no retry), or a call
 * fails (its error; a failure whose wait before a retry, Retry-After or
 * back-off, would pass the deadline ends the wait at once with it; one
 * that ends as max_wait_ms runs out is BACT_E_DEADLINE only when it is
 * BACT_E_TIMEOUT, or BACT_E_TLS (a TLS port's handshake timing out)).
 * BACT_WAIT_FOREVER: no limit of time (the loop is bounded still: after
 * BACT_WAIT_MAX_POLLS polls, 10,000,000 by default, it ends with
 * BACT_E_DEADLINE, with or without a max_wait_ms: over a year at one
 * every 5 s; a caller tells the two apart by the time that has
 * passed). Sleeps through the platform's sleep_ms; interval_ms 0 polls
 * back to back (servers rate-limit that: mind it).
 */
int bact_wait(bact_client *c, const char *task_id, uint32_t interval_ms,
              uint32_t max_wait_ms, bact_status_cb cb, void *user,
              bact_task_state *out);

#ifdef __cplusplus
}
#endif

#endif /* BACT_H */
