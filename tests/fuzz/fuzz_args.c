/*
 * fuzz_args.c - the command-line tool's argument handling, end to end but
 * without a network.
 *
 * bact_cli.c keeps its parser in static functions that only main() calls,
 * so this file includes bact_cli.c and cli_args.c whole (main renamed) and
 * takes the steps main() takes, with fresh state on every input:
 * parse_globals, find_command, parse_command, resolve_endpoint,
 * open_client, and the command's handler. Nothing is sent anywhere:
 * bact_posix_transport() and bact_posix_platform() are renamed to a mock
 * server and a fake clock below, and the tool's stdout and stderr to
 * memory streams, so its output can be checked.
 *
 * Input: the arguments after argv[0], separated by NUL bytes. An argument
 * "@@resp" ends them: what follows is then a list of raw HTTP responses,
 * separated by "\0@@resp\0"; request k gets response k (the last one
 * repeats), and an empty response is a connection closed with no answer.
 * Without "@@resp" the mock answers each endpoint with a fixed, valid
 * response.
 *
 * Checked: the exit code is one of docs/CLI.md's; a failure prints one
 * "bact: " line on stderr (more only with -v or while waiting) and, for a
 * single-request command, nothing on stdout; the API key from the
 * environment never appears in any output; what --json prints for a run
 * whose task was adopted is valid JSON; the parsed options respect the
 * command table; every request is well-formed HTTP (request line, header
 * lines, Content-Length), its query string decodes to the values given on
 * the command line, and its JSON body is valid and holds them.
 *
 * Keep run_tool() in step with main() in bact_cli.c. A small refactor
 * there (main() calling a `bact_cli_run(argc, argv, out, err, transport,
 * platform)` with no static state) would let this harness call the real
 * thing instead.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

/* ---- the tool, with its outside world renamed ---- */

int bact_cli_main(int argc, char **argv);
static FILE *fz_out, *fz_err;

static FILE *real_stderr(void)
{
    return stderr; /* before the renaming below */
}

#define main bact_cli_main
#define bact_posix_transport fz_posix_transport
#define bact_posix_platform fz_posix_platform
#undef stdout
#undef stderr
#undef printf
#undef putchar
#define stdout fz_out
#define stderr fz_err
#define printf(...) fprintf(fz_out, __VA_ARGS__)
#define putchar(ch) fputc((ch), fz_out)

#include "../../boards/host/cli_args.c"
#include "../../boards/host/bact_cli.c"

#undef main

/* ---- the mock server ---- */

#define FZ_SECRET "sk-FUZZ-k3yZ9qXw7bT4vR2mL8pN"
#define MAX_OPENS 12u
#define MAX_FIXED 8u
#define REQ_CAP (WORK_BUF_SIZE + 4096u)

typedef struct mock {
    uint8_t req[REQ_CAP + 1u];
    size_t req_len;
    const uint8_t *resp;
    size_t resp_len, resp_off;
    int conn;
    unsigned opens, requests;
    uint32_t now;
    char canned[4096];
    const uint8_t *fixed[MAX_FIXED]; /* "@@resp": the answers, in turn */
    size_t fixed_len[MAX_FIXED];
    unsigned n_fixed;
} mock;

static mock mk;

/* what the current input asked for */
static struct {
    globals g;
    const command *cmd;
    int parsed;               /* parse_command() succeeded */
    int utf8;                 /* every value given is valid UTF-8 */
    int typed_secret;         /* the input holds FZ_SECRET itself */
} st;

static cmd_args fz_args;
static cli fz_cx;

static const char *const canned_bodies[][2] = {
    {"run-task", "{\"id\":\"16429034742537847\",\"profile_id\":\"cdefghi\"}"},
    {"run-task-by-template", "{\"id\":\"12425895140306551\"}"},
    {"get-task-status", "{\"status\":\"finished\"}"},
    {"get-task",
     "{\"id\":\"16429034742537847\",\"workflow_id\":\"16217357109956214\","
     "\"status\":\"finished\",\"created_at\":\"2025-10-08T10:17:54Z\","
     "\"finished_at\":\"2025-10-08T10:19:02Z\",\"credit\":12,"
     "\"input_parameters\":\"target_url=https://x.example; n=10\","
     "\"output\":{\"string\":\"line\\u0000two\\n\",\"files\":"
     "[\"https://files.example.com/a.json\",null]},"
     "\"task_failure_info\":{\"code\":0,\"message\":\"\"},"
     "\"live_url_info\":{\"live_url\":\"https://live.example/1\"},"
     "\"steps\":[{\"id\":\"181973\",\"step\":1,\"status\":\"succeed\","
     "\"step_goal\":\"Navigate\\tthere\"}],"
     "\"download_files\":[{\"guid\":\"g1\",\"fileName\":\"a.csv\","
     "\"fileSize\":10,\"status\":\"done\",\"progress\":100,"
     "\"downloadUrl\":\"https://d.example/a.csv\"}],"
     "\"files_expires_at\":1760000000000,"
     "\"log_detail_url\":\"https://log.example/1\"}"},
    {"list-tasks",
     "{\"page\":1,\"limit\":20,\"total_pages\":1,\"total_count\":2,"
     "\"items\":[{\"id\":\"16429034742537847\",\"status\":\"finished\","
     "\"created_at\":\"2025-10-08T10:17:54Z\",\"workflow_id\":\"1\"},"
     "{\"id\":\"2\",\"status\":\"mystery\",\"created_at\":\"x\","
     "\"workflow_id\":\"3\",\"output\":{\"string\":null}}]}"},
    {"stop-task", ""},
    {"resume-task", ""},
    {"list-workflows",
     "{\"page\":1,\"limit\":20,\"items\":[{\"id\":\"16217357109956214\","
     "\"name\":\"test\\r\\ndemo\"}],\"total_pages\":1,\"total_count\":1}"},
    {"get-workflow",
     "{\"id\":\"16217357109956214\",\"name\":\"test demo\","
     "\"description\":\"d\",\"input_parameters\":[{\"name\":\"target_url\","
     "\"default_enabled\":true},{\"name\":\"n\"}]}"},
    {"list-official-workflow-templates",
     "{\"page\":1,\"limit\":20,\"items\":[{\"templateId\":\"77638424152140851\","
     "\"name\":\"Google News API\",\"recommendDesc\":\"news\","
     "\"detailUrl\":\"https://www.browseract.com/template/1\"}]}"},
    {"get-official-workflow-template",
     "{\"id\":\"77638424152140851\",\"name\":\"Google News API\","
     "\"recommendDesc\":\"news\",\"detailUrl\":\"https://b.example/t\","
     "\"input_parameters\":[{\"name\":\"Search_Keywords\","
     "\"default_enabled\":false}]}"},
    {"get-region-list",
     "[{\"name\":\"United States\",\"code\":\"US\"},{\"code\":\"DE\"}]"}
};

static int echo; /* FUZZ_ECHO=1: show the requests and the tool's output */

/* ---- request checks ---- */

static int utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (s != NULL && *p) {
        unsigned c = *p, len, k;
        uint32_t cp;
        if (c < 0x80u) {
            p++;
            continue;
        }
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
        for (k = 1; k < len; k++) {
            if ((p[k] & 0xC0u) != 0x80u)
                return 0;
            cp = (cp << 6) | (p[k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800u) || (len == 4 && cp < 0x10000u) ||
            cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu))
            return 0;
        p += len;
    }
    return 1;
}

static int unreserved(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
           ch == '~';
}

static int hexv(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1; /* the library writes upper-case escapes */
}

/* Decode s[0..n) (percent-encoding only) into out; -1 if malformed. */
static long pct_decode(const char *s, size_t n, char *out)
{
    size_t i, w = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= n)
                return -1;
            hi = hexv((unsigned char)s[i + 1]);
            lo = hexv((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            out[w++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            if (!unreserved((unsigned char)s[i]))
                return -1;
            out[w++] = s[i];
        }
    }
    out[w] = '\0';
    return (long)w;
}

/* The query of target, checked: name=value pairs joined by '&', each part
 * percent-encoded; *value gets the decoded value of `name` (NULL if
 * absent). */
static void query_value(const char *q, size_t qn, const char *name,
                        char *buf, const char **value)
{
    size_t i = 0;
    *value = NULL;
    while (i < qn) {
        size_t j = i, eq;
        long kn, vn;
        static char key[4096];
        while (j < qn && q[j] != '&')
            j++;
        for (eq = i; eq < j && q[eq] != '='; eq++)
            ;
        FZ_CHECK(eq < j);                 /* name=value */
        FZ_CHECK(eq - i < sizeof key);
        kn = pct_decode(q + i, eq - i, key);
        vn = pct_decode(q + eq + 1, j - eq - 1, buf);
        FZ_CHECK(kn > 0 && vn >= 0);
        if (strcmp(key, name) == 0) {
            FZ_CHECK(*value == NULL);      /* named once */
            FZ_CHECK((size_t)vn == strlen(buf)); /* no %00 */
            *value = buf;
            buf += vn + 1;
        }
        i = j + 1;
        FZ_CHECK(j == qn || j + 1 < qn); /* no trailing '&' */
    }
}

static void expect_query(const char *q, size_t qn, const char *name,
                         const char *want)
{
    static char buf[REQ_CAP];
    const char *got;
    query_value(q, qn, name, buf, &got);
    if (want == NULL)
        FZ_CHECK(got == NULL);
    else
        FZ_CHECK(got != NULL && strcmp(got, want) == 0);
}

static const char *nz(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static int is_cmd(const char *name)
{
    return st.cmd != NULL && strcmp(st.cmd->name, name) == 0;
}

/* The query string carries what the command line said. */
static void check_query(const char *path, const char *q, size_t qn)
{
    const cmd_args *a = &fz_args;
    char num[16];
    size_t i;

    for (i = 0; i < qn; i++) /* nothing but the encoded alphabet */
        FZ_CHECK(unreserved((unsigned char)q[i]) || q[i] == '%' ||
                 q[i] == '=' || q[i] == '&');
    if (is_cmd("status") || is_cmd("get") || is_cmd("wait") ||
        is_cmd("stop") || is_cmd("resume"))
        expect_query(q, qn, "task_id", a->id);
    if (is_cmd("stop")) {
        snprintf(num, sizeof num, "%ld", (long)a->biz_code);
        expect_query(q, qn, "biz_code", a->has_biz_code ? num : NULL);
    }
    if (is_cmd("workflow"))
        expect_query(q, qn, "workflow_id", a->id);
    if (is_cmd("template"))
        expect_query(q, qn, "workflow_template_id", a->id);
    if (is_cmd("tasks") || is_cmd("workflows") || is_cmd("templates")) {
        snprintf(num, sizeof num, "%ld", (long)(a->page ? a->page : 1));
        expect_query(q, qn, "page", num);
        snprintf(num, sizeof num, "%ld", (long)(a->limit ? a->limit : 20));
        expect_query(q, qn, "limit", num);
    }
    if (is_cmd("templates"))
        expect_query(q, qn, "keyword", nz(a->keyword));
    if (is_cmd("run") && strcmp(path, "/v2/workflow/list-tasks") == 0)
        expect_query(q, qn, "workflow_id", a->id); /* reconciling */
    if (is_cmd("tasks")) {
        expect_query(q, qn, "status",
                     a->status ? bact_status_name(a->status) : NULL);
        expect_query(q, qn, "workflow_id", nz(a->workflow_id));
        expect_query(q, qn, "workflow_name", nz(a->workflow_name));
        expect_query(q, qn, "created_at_from", nz(a->from));
        expect_query(q, qn, "created_at_to", nz(a->to));
    }
}

/* the run bodies, read back with the library's own reader */
typedef struct body_view {
    const char *id, *tid, *profile, *region, *cb, *scb;
    bact_array params;
    int save;
} body_view;

/* the keys come from the library's pool (bact__keys) */
#define BF(key, type, member) BACT__FIELD(key, type, 0, body_view, member)

static const bact__field body_fields[] = {
    BF(workflow_id, STR, id),
    BF(workflow_template_id, STR, tid),
    BF(profile_id, STR, profile),
    BF(proxyRegion, STR, region),
    BF(callback_url, STR, cb),
    BF(status_change_callback_url, STR, scb),
    BF(input_parameters, ARRAY, params),
    BF(save_browser_data, BOOL, save)
};

typedef struct param_view {
    const char *name, *value;
} param_view;

static const bact__field param_fields[] = {
    BACT__FIELD(name, STR, 1, param_view, name),
    BACT__FIELD(value, STR, 1, param_view, value)
};

static void same_str(const char *got, const char *want)
{
    if (want == NULL)
        FZ_CHECK(got == NULL);
    else
        FZ_CHECK(got != NULL && strcmp(got, want) == 0);
}

static jsmntok_t sc_tok[8192];
static bact_client sc; /* a bare client for the library's JSON reader */

/* Parse (and decode) b[0..n) with the library's reader into sc; returns
 * the copy it works on (free it), NULL when the text is not JSON. */
static uint8_t *json_read(const void *b, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1u);
    FZ_CHECK(copy != NULL);
    if (n)
        memcpy(copy, b, n);
    memset(&sc, 0, sizeof sc);
    sc.buf = copy;
    sc.body_len = n;
    sc.cap = n;
    sc.tok = sc_tok;
    sc.ntok = sizeof sc_tok / sizeof sc_tok[0];
    if (bact__json_parse(&sc) != BACT_OK) {
        free(copy);
        return NULL;
    }
    bact__json_decode(&sc);
    return copy;
}

static void check_body(const char *path, const uint8_t *b, size_t n)
{
    const cmd_args *a = &fz_args;
    int run = strcmp(path, "/v2/workflow/run-task") == 0;
    body_view v;
    size_t i;
    uint8_t *copy;

    FZ_CHECK(run || strcmp(path, "/v2/workflow/run-task-by-template") == 0);
    FZ_CHECK(run ? is_cmd("run") : is_cmd("run-template"));
    /* a value that is not UTF-8 would make a body that is not JSON
     * (RFC 8259 8.1): the tool (-p) or the writer (BACT_E_ARG) refuses it
     * before anything is sent */
    FZ_CHECK(st.utf8);
    copy = json_read(b, n);
    FZ_CHECK(copy != NULL); /* valid JSON */
    FZ_CHECK(bact__json_fields(&sc, 0, body_fields,
                               sizeof body_fields / sizeof body_fields[0],
                               &v) == BACT_OK);
    if (run) {
        same_str(v.id, a->id);
        same_str(v.tid, NULL);
        same_str(v.profile, nz(a->profile_id));
        FZ_CHECK(v.save == a->save_browser_data);
        same_str(v.region, NULL);
    } else {
        same_str(v.tid, a->id);
        same_str(v.id, NULL);
        same_str(v.region, nz(a->region));
    }
    same_str(v.cb, a->callback_url);
    same_str(v.scb, a->status_callback_url);
    if (a->n_params == 0) {
        FZ_CHECK(v.params.tok < 0);
    } else {
        FZ_CHECK(v.params.tok >= 0 && v.params.count == a->n_params);
        for (i = 0; i < a->n_params; i++) {
            param_view p;
            int e = bact__json_elem(&sc, v.params.tok, (unsigned)i);
            FZ_CHECK(e >= 0);
            FZ_CHECK(bact__json_fields(&sc, e, param_fields, 2, &p) ==
                     BACT_OK);
            same_str(p.name, a->params[i].name);
            same_str(p.value, a->params[i].value);
        }
    }
    free(copy);
}

/* A complete request in mk.req[0..len): head_len bytes of head. */
static void check_request(size_t head_len, size_t len)
{
    const char *r = (const char *)mk.req, *sp1, *sp2, *line, *end;
    const char *q;
    size_t mlen, tlen, i, cl = 0;
    int has_cl = 0, has_auth = 0, has_host = 0;
    char path[256];

    if (echo)
        fprintf(real_stderr(), "--- request %u\n%.*s\n", mk.requests + 1u,
                (int)len, r);
    /* request line */
    end = memchr(r, '\r', head_len);
    FZ_CHECK(end != NULL && end[1] == '\n');
    sp1 = memchr(r, ' ', (size_t)(end - r));
    FZ_CHECK(sp1 != NULL);
    mlen = (size_t)(sp1 - r);
    FZ_CHECK((mlen == 3 && memcmp(r, "GET", 3) == 0) ||
             (mlen == 4 && memcmp(r, "POST", 4) == 0) ||
             (mlen == 3 && memcmp(r, "PUT", 3) == 0));
    sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
    FZ_CHECK(sp2 != NULL);
    FZ_CHECK((size_t)(end - sp2) == 9 && memcmp(sp2, " HTTP/1.1", 9) == 0);
    tlen = (size_t)(sp2 - sp1 - 1);
    for (i = 0; i < tlen; i++) /* the target: printable, no spaces */
        FZ_CHECK(sp1[1 + i] > 0x20 && sp1[1 + i] < 0x7F);
    if (!st.typed_secret)
        FZ_CHECK(memmem(sp1, tlen + 1, FZ_SECRET, sizeof FZ_SECRET - 1) ==
                 NULL);
    q = memchr(sp1 + 1, '?', tlen);
    {
        size_t pl = q != NULL ? (size_t)(q - sp1 - 1) : tlen;
        FZ_CHECK(pl < sizeof path);
        memcpy(path, sp1 + 1, pl);
        path[pl] = '\0';
    }
    FZ_CHECK(strncmp(path, "/v2/workflow/", 13) == 0);

    /* header lines: "Name: value", no stray CR or LF */
    line = end + 2;
    while (line < r + head_len - 2) {
        const char *e = memchr(line, '\r', (size_t)(r + head_len - line));
        const char *colon;
        FZ_CHECK(e != NULL && e[1] == '\n');
        FZ_CHECK(memchr(line, '\n', (size_t)(e - line)) == NULL);
        colon = memchr(line, ':', (size_t)(e - line));
        FZ_CHECK(colon != NULL && colon > line && colon[1] == ' ');
        for (i = 0; line + i < colon; i++)
            FZ_CHECK(unreserved((unsigned char)line[i]));
        if (colon - line == 14 && memcmp(line, "Content-Length", 14) == 0) {
            FZ_CHECK(!has_cl);
            has_cl = 1;
            for (i = 16; line + i < e; i++) {
                FZ_CHECK(line[i] >= '0' && line[i] <= '9');
                cl = cl * 10u + (size_t)(line[i] - '0');
            }
        }
        if (colon - line == 13 && memcmp(line, "Authorization", 13) == 0) {
            size_t kl = strlen(st.g.api_key);
            has_auth = 1;
            FZ_CHECK((size_t)(e - colon) == 2 + 7 + kl &&
                     memcmp(colon + 2, "Bearer ", 7) == 0 &&
                     memcmp(colon + 9, st.g.api_key, kl) == 0);
        } else if (!st.typed_secret) {
            FZ_CHECK(memmem(line, (size_t)(e - line), FZ_SECRET,
                            sizeof FZ_SECRET - 1) == NULL);
        }
        if (colon - line == 4 && memcmp(line, "Host", 4) == 0)
            has_host = 1;
        line = e + 2;
    }
    FZ_CHECK(has_auth && has_host);
    /* POST has a body; PUT (stop, resume) says it has none */
    FZ_CHECK(has_cl == (mlen == 4 || r[1] == 'U'));
    FZ_CHECK(len - head_len == cl && (mlen == 4 || cl == 0));

    if (q != NULL)
        check_query(path, q + 1, (size_t)(sp2 - q - 1));
    else
        check_query(path, "", 0);
    if (mlen == 4)
        check_body(path, mk.req + head_len, cl);
}

/* Choose the answer to the request just checked. */
static void answer_request(void)
{
    const char *r = (const char *)mk.req, *p, *e;
    size_t i, n;

    mk.requests++;
    mk.resp_off = 0;
    if (mk.n_fixed > 0) {
        unsigned k = mk.requests - 1u < mk.n_fixed ? mk.requests - 1u
                                                   : mk.n_fixed - 1u;
        mk.resp = mk.fixed[k];
        mk.resp_len = mk.fixed_len[k];
        return;
    }
    p = strchr(r, ' ') + 1 + 13; /* after "/v2/workflow/" */
    for (e = p; *e != '?' && *e != ' '; e++)
        ;
    n = (size_t)(e - p);
    for (i = 0; i < sizeof canned_bodies / sizeof canned_bodies[0]; i++) {
        const char *name = canned_bodies[i][0], *body = canned_bodies[i][1];
        if (strlen(name) == n && memcmp(name, p, n) == 0) {
            int len = snprintf(mk.canned, sizeof mk.canned,
                               "HTTP/1.1 200 OK\r\nContent-Type: "
                               "application/json\r\nContent-Length: %zu\r\n"
                               "\r\n%s", strlen(body), body);
            FZ_CHECK(len > 0 && (size_t)len < sizeof mk.canned);
            mk.resp = (const uint8_t *)mk.canned;
            mk.resp_len = (size_t)len;
            return;
        }
    }
    FZ_FAIL("a request for an unknown endpoint");
}

/* ---- the transport and platform the tool gets ---- */

static int mk_open(void *io, const char *host, size_t host_len,
                   uint16_t port, uint32_t timeout_ms)
{
    (void)io;
    (void)host;
    (void)host_len;
    (void)port;
    (void)timeout_ms;
    FZ_CHECK(!mk.conn);
    if (mk.opens++ >= MAX_OPENS)
        return BACT_E_CONNECT;
    mk.conn = 1;
    mk.req_len = 0;
    mk.resp = NULL;
    return BACT_OK;
}

static int32_t mk_send(void *io, const uint8_t *d, size_t n,
                       uint32_t timeout_ms)
{
    const uint8_t *hend;
    (void)io;
    (void)timeout_ms;
    FZ_CHECK(mk.conn && n > 0);
    FZ_CHECK(mk.resp == NULL); /* one request at a time */
    FZ_CHECK(n <= REQ_CAP - mk.req_len);
    memcpy(mk.req + mk.req_len, d, n);
    mk.req_len += n;
    hend = memmem(mk.req, mk.req_len, "\r\n\r\n", 4);
    if (hend != NULL) {
        size_t head = (size_t)(hend - mk.req) + 4u, cl = 0;
        const uint8_t *h = memmem(mk.req, head, "\r\nContent-Length: ", 18);
        if (h != NULL) {
            for (h += 18; *h >= '0' && *h <= '9'; h++)
                cl = cl * 10u + (size_t)(*h - '0');
        }
        if (mk.req_len >= head + cl) {
            FZ_CHECK(mk.req_len == head + cl); /* nothing after it */
            mk.req[mk.req_len] = 0;
            check_request(head, mk.req_len);
            answer_request();
            mk.req_len = 0;
        }
    }
    return (int32_t)n;
}

static int32_t mk_recv(void *io, uint8_t *b, size_t n, uint32_t timeout_ms)
{
    (void)io;
    FZ_CHECK(mk.conn);
    if (mk.resp != NULL && mk.resp_off < mk.resp_len) {
        size_t k = mk.resp_len - mk.resp_off;
        if (k > n)
            k = n;
        memcpy(b, mk.resp + mk.resp_off, k);
        mk.resp_off += k;
        return (int32_t)k;
    }
    if (mk.resp != NULL)
        return BACT_E_CLOSED; /* the server closes after each answer */
    mk.now += timeout_ms;     /* nothing to say: the wait runs out */
    return 0;
}

static void mk_close(void *io)
{
    (void)io;
    mk.conn = 0;
    mk.resp = NULL;
    mk.req_len = 0;
}

static uint32_t mk_now(void *ctx)
{
    (void)ctx;
    return mk.now;
}

static void mk_sleep(void *ctx, uint32_t ms)
{
    (void)ctx;
    mk.now += ms ? ms : 1u;
}

static uint32_t mk_random(void *ctx)
{
    (void)ctx;
    return 0;
}

void fz_posix_transport(bact_transport *t, bact_posix_conn *conn)
{
    conn->fd = -1;
    t->io = &mk;
    t->open = mk_open;
    t->send = mk_send;
    t->recv = mk_recv;
    t->close = mk_close;
}

void fz_posix_platform(bact_platform *p)
{
    p->ctx = &mk;
    p->now_ms = mk_now;
    p->sleep_ms = mk_sleep;
    p->random = mk_random;
}

/* ---- main(), step by step ---- */

/* What parse_command() promised. */
static void check_args(const command *cmd, const cmd_args *a)
{
    size_t i, k;

    if (a->help)
        return;
    if (cmd->arg != NULL)
        FZ_CHECK(a->id != NULL && a->id[0] != '\0');
    else
        FZ_CHECK(a->id == NULL);
    FZ_CHECK((a->seen & ~cmd->opts) == 0);
    FZ_CHECK(a->n_params <= MAX_PARAMS);
    for (i = 0; i < a->n_params; i++) {
        FZ_CHECK(a->params[i].name[0] != '\0');
        FZ_CHECK(strchr(a->params[i].name, '=') == NULL);
        FZ_CHECK(a->params[i].value != NULL);
        for (k = 0; k < i; k++) /* each name once */
            FZ_CHECK(strcmp(a->params[k].name, a->params[i].name) != 0);
    }
    if (a->callback_url != NULL)
        FZ_CHECK(bact_check_callback_url(a->callback_url, 0) == BACT_OK);
    if (a->status_callback_url != NULL)
        FZ_CHECK(bact_check_callback_url(a->status_callback_url, 0) ==
                 BACT_OK);
    if (a->seen & BIT(O_PAGE))
        FZ_CHECK(a->page >= 1);
    if (a->seen & BIT(O_LIMIT))
        FZ_CHECK(a->limit >= 1 && a->limit <= (int32_t)MAX_LIMIT);
    if (!cmd->waits && !a->wait)
        FZ_CHECK((a->seen & (BIT(O_INTERVAL) | BIT(O_MAX_WAIT))) == 0);
    FZ_CHECK((unsigned)a->status <= (unsigned)BACT_STATUS_UNKNOWN);
    if (a->seen & BIT(O_STATUS))
        FZ_CHECK(a->status != BACT_STATUS_OTHER);
    if (a->seen & BIT(O_INTERVAL))
        FZ_CHECK(a->interval_ms != BACT_WAIT_FOREVER &&
                 a->interval_ms != 0);
    if (a->seen & BIT(O_MAX_WAIT))
        FZ_CHECK(a->max_wait_ms != BACT_WAIT_FOREVER);
}

static int all_utf8(const cmd_args *a)
{
    size_t i;
    int ok = utf8_ok(a->id) && utf8_ok(a->profile_id) &&
             utf8_ok(a->callback_url) && utf8_ok(a->status_callback_url) &&
             utf8_ok(a->region);
    for (i = 0; i < a->n_params; i++)
        ok = ok && utf8_ok(a->params[i].name) && utf8_ok(a->params[i].value);
    return ok;
}

/* main() of bact_cli.c, minus signal() and hold_std_fds(), with this
 * input's fresh state. */
static int run_tool(int argc, char **argv)
{
    globals *g = &st.g;
    bact_url url;
    int cmd_index, rc;

    cli_set_secret(NULL); /* the last input's key is freed */
    if (argc < 2)
        return usage_error("no command given (see bact --help)");
    g->timeout_ms = DEFAULT_TIMEOUT_MS;
    g->retries = DEFAULT_RETRIES;
    rc = parse_globals(argc, argv, g, &cmd_index);
    if (rc != EX_OK)
        return rc;
    if (g->help) {
        usage(stdout);
        return flush_stdout(&fz_cx, EX_OK);
    }
    if (g->version) {
        printf("bact %s\n", BACT_VERSION);
        return flush_stdout(&fz_cx, EX_OK);
    }
    FZ_CHECK(cmd_index >= 1 && cmd_index <= argc);
    if (g->timeout_ms < 1u || g->timeout_ms > MAX_TIMEOUT_MS ||
        g->retries > MAX_RETRIES)
        FZ_FAIL("parse_globals let a bad --timeout or --retries through");
    if (cmd_index >= argc)
        return usage_error("no command given (see bact --help)");
    st.cmd = find_command(argv[cmd_index]);
    if (st.cmd == NULL)
        return usage_error("unknown command '%s' (see bact --help)",
                           argv[cmd_index]);
    rc = parse_command(st.cmd, argc, argv, cmd_index + 1, &fz_args);
    if (rc != EX_OK)
        return rc;
    st.parsed = 1;
    check_args(st.cmd, &fz_args);
    st.utf8 = all_utf8(&fz_args);
    if (fz_args.help) {
        usage(stdout);
        return flush_stdout(&fz_cx, EX_OK);
    }

    rc = resolve_endpoint(g, &url);
    if (rc != EX_OK)
        return rc;
    FZ_CHECK(g->api_key != NULL && g->api_key[0] != '\0');
    FZ_CHECK(bact_parse_url(g->base_url, &url) == BACT_OK && !url.tls);
    rc = open_client(&fz_cx, g, &url);
    if (rc != EX_OK)
        return rc;
    rc = st.cmd->run(&fz_cx, &fz_args);
    bact_close(&fz_cx.c);
    return flush_stdout(&fz_cx, rc);
}

/* ---- output checks ---- */

static char out_buf[1u << 22], err_buf[1u << 22];

static size_t stream_len(FILE *f)
{
    long n;
    FZ_CHECK(fflush(f) == 0);
    n = ftell(f);
    FZ_CHECK(n >= 0);
    return (size_t)n;
}

static void check_output(int rc, const uint8_t *data, size_t size)
{
    size_t on = stream_len(fz_out), en = stream_len(fz_err), i, lines = 0;
    int waits = st.cmd != NULL && (st.cmd->waits || fz_args.wait);

    FZ_CHECK(on < sizeof out_buf && en < sizeof err_buf);
    FZ_CHECK(rc >= EX_OK && rc <= EX_DEADLINE);
    /* every stderr line is "bact: " and printable text */
    for (i = 0; i < en; i++) {
        if (i == 0 || err_buf[i - 1] == '\n') {
            FZ_CHECK(en - i >= 7 && memcmp(err_buf + i, "bact: ", 6) == 0);
            lines++;
        }
        FZ_CHECK((unsigned char)err_buf[i] >= 0x20u || err_buf[i] == '\n');
        FZ_CHECK(err_buf[i] != 0x7F);
    }
    FZ_CHECK(en == 0 || err_buf[en - 1] == '\n');
    if (rc != EX_OK) {
        FZ_CHECK(lines >= 1);
        if (!waits)
            FZ_CHECK(on == 0);
        if (!waits && !st.g.verbose)
            FZ_CHECK(lines == 1);
    }
    /* an adopted task's id, printed "as the answer would have had it":
     * {"id":"..."} and nothing else */
    if (rc == EX_OK && is_cmd("run") && st.g.json && !fz_args.wait &&
        memmem(err_buf, en, "adopted", 7) != NULL && !fz_skip("adopted-json")) {
        uint8_t *copy = json_read(out_buf, on);
        FZ_CHECK(copy != NULL);
        FZ_CHECK(sc.ntok_used == 3 && sc.tok[0].type == JSMN_OBJECT &&
                 sc.tok[0].size == 1 && sc.tok[2].type == JSMN_STRING &&
                 strcmp((const char *)copy + sc.tok[1].start, "id") == 0);
        free(copy);
    }
    /* the key from the environment shows up nowhere */
    (void)data;
    (void)size;
    if (!st.typed_secret) {
        FZ_CHECK(memmem(out_buf, on, FZ_SECRET, sizeof FZ_SECRET - 1) == NULL);
        FZ_CHECK(memmem(err_buf, en, FZ_SECRET, sizeof FZ_SECRET - 1) == NULL);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    echo = getenv("FUZZ_ECHO") != NULL;
    setenv("BROWSERACT_API_KEY", FZ_SECRET, 1);
    unsetenv("BROWSERACT_BASE_URL");
    fz_out = fmemopen(out_buf, sizeof out_buf, "w");
    fz_err = fmemopen(err_buf, sizeof err_buf, "w");
    FZ_CHECK(fz_out != NULL && fz_err != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char prog[] = "bact";
    char *copy, **argv;
    size_t i, start, nargs = 0, end = size;
    int argc = 1, rc;

    memset(&mk, 0, sizeof mk);
    mk.now = 1000u;
    memset(&st, 0, sizeof st);
    /* (libFuzzer learns the key from the memmem() calls below) */
    st.typed_secret = memmem(data, size, FZ_SECRET, sizeof FZ_SECRET - 1) != NULL;
    memset(&fz_args, 0, sizeof fz_args);
    memset(&fz_cx, 0, sizeof fz_cx);

    /* "\0@@resp\0" ends the arguments; then the answers, separated by it */
    for (i = 0; i + 7 <= size; i++) {
        if ((i == 0 || data[i - 1] == 0) && memcmp(data + i, "@@resp", 7) == 0)
            break;
    }
    if (i + 7 <= size) {
        size_t from = i + 7, j;
        end = i > 0 ? i - 1 : 0; /* the NUL before it ends the last */
        for (;;) {
            for (j = from; j + 8 <= size; j++) {
                if (data[j] == 0 && memcmp(data + j + 1, "@@resp", 7) == 0)
                    break;
            }
            if (j + 8 > size)
                j = size;
            if (mk.n_fixed < MAX_FIXED) {
                mk.fixed[mk.n_fixed] = data + from;
                mk.fixed_len[mk.n_fixed] = j - from;
                mk.n_fixed++;
            }
            if (j == size)
                break;
            from = j + 8;
        }
    }
    for (i = 0; i < end; i++)
        nargs += data[i] == 0;
    nargs += 1;

    /* argv strings are the tool's to modify: one heap copy */
    copy = malloc(end + 1u);
    argv = malloc((nargs + 2u) * sizeof *argv);
    FZ_CHECK(copy != NULL && argv != NULL);
    if (end > 0)
        memcpy(copy, data, end);
    copy[end] = '\0';
    argv[0] = prog;
    if (end > 0 || (mk.n_fixed == 0 && size > 0)) {
        for (start = 0, i = 0; i <= end; i++) {
            if (i == end || copy[i] == '\0') {
                argv[argc++] = copy + start;
                start = i + 1;
            }
        }
    }
    argv[argc] = NULL;

    FZ_CHECK(fseek(fz_out, 0, SEEK_SET) == 0 && fseek(fz_err, 0, SEEK_SET) == 0);
    clearerr(fz_out);
    clearerr(fz_err);
    rc = run_tool(argc, argv);
    if (echo) {
        size_t on = stream_len(fz_out), en = stream_len(fz_err);
        int k;
        fputs("argv:", real_stderr());
        for (k = 1; k < argc; k++)
            fprintf(real_stderr(), " [%s]", argv[k]);
        fprintf(real_stderr(), "\nexit %d, %u request(s)\n--- stdout\n%.*s"
                "--- stderr\n%.*s---\n", rc, mk.requests, (int)on, out_buf,
                (int)en, err_buf);
    }
    check_output(rc, data, size);
    FZ_CHECK(!mk.conn); /* closed what it opened */

    free(copy);
    free(argv);
    return 0;
}
