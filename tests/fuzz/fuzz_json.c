/*
 * fuzz_json.c - the JSON reader (src/json_read.c) through the public API,
 * one response type at a time.
 *
 * The input becomes the body of a response that the scripted transport of
 * tests/unit/harness.c delivers to a client; the client's work buffer and
 * token array are heap blocks of their exact size, so ASan sees any byte
 * read or written past them. After the call every result is checked:
 * strings are NUL-terminated inside the body, ids and status words inside
 * their fields, arrays point at array tokens of the size they claim, every
 * element below the count can be read (BACT_OK or BACT_E_SHAPE, never
 * BACT_E_ARG) and the one at the count cannot. A raw-mode body must be the
 * input byte for byte. BACT_E_TOKENS must report a larger size that then
 * suffices.
 *
 * Two calls lose run-task's answer (the connection closes, or nothing
 * comes until the timeout) so that bact_run_task() reconciles: the body is
 * then every list-tasks page (and the answer to a resent run-task), with a
 * Date header picked by the setup byte. Checked besides: run-task is sent
 * at most twice, never twice after a timeout, and the outcome says how
 * many times it was.
 *
 * Input layout:
 *   byte 0   the call (below, modulo the count)
 *   byte 1   bits 0-1: spare bytes in the work buffer past the body
 *            (at least 512 bytes in all, for the request);
 *            bits 2-3: tokens 4, 12, 64 or 4096; bit 4: raw mode;
 *            bit 5: HTTP 400 instead of 200; bit 6: chunked framing;
 *            bit 7: one byte per recv
 *   rest     the body
 */
#include <string.h>

#include "internal.h"
#include "harness.h"
#include "fuzz.h"

enum {
    C_GET_TASK, C_STATUS, C_RUN, C_RUN_TEMPLATE, C_LIST_TASKS,
    C_LIST_WORKFLOWS, C_GET_WORKFLOW, C_GET_TEMPLATE, C_LIST_TEMPLATES,
    C_REGIONS, C_STOP, C_DECODE_TASK, C_RUN_LOST_CLOSE, C_RUN_LOST_TIMEOUT,
    C_COUNT
};

/* element kinds, for walking arrays */
enum {
    K_STRING, K_STEP, K_DOWNLOAD, K_TASK, K_WORKFLOW, K_TEMPLATE, K_INPUT,
    K_REGION, K_COUNT
};

#define WALK_MAX 48u   /* elements read per array (plus the last one) */
#define DEPTH_MAX 3

static const unsigned token_sizes[4] = {4u, 12u, 64u, 4096u};

typedef struct fz {
    bact_client c;
    uint8_t *buf;
    size_t cap;
    jsmntok_t *tok;
    char *resp;
    size_t resp_len;
} fz;

static t_io io; /* large: static */

/* ---- a server that loses run-task's first answer ---- */

static const char *const dates[4] = {
    "Wed, 08 Oct 2025 10:16:36 GMT", "Thu, 01 Jan 1970 00:00:02 GMT",
    NULL, "Sun, 06 Nov 1994 08:49:37 GMT"
};

typedef struct srv {
    const uint8_t *body;
    size_t n;
    const char *date;
    int timeout;          /* lose the answer by a stall, not a close */
    char req[4096];
    size_t req_len;
    char *resp;
    size_t resp_len, off;
    int have_resp, conn;
    unsigned opens, runs, lists;
    uint32_t now;
} srv;

static srv sv;

static int sv_open(void *p, const char *host, size_t host_len,
                   uint16_t port, uint32_t timeout_ms)
{
    (void)p;
    (void)host;
    (void)host_len;
    (void)port;
    (void)timeout_ms;
    FZ_CHECK(!sv.conn);
    if (++sv.opens > 64u)
        return BACT_E_CONNECT;
    sv.conn = 1;
    sv.req_len = 0;
    sv.have_resp = 0;
    return BACT_OK;
}

static void sv_answer(void)
{
    int run = strncmp(sv.req, "POST /v2/workflow/run-task ", 27) == 0;
    int hl;

    FZ_CHECK(run || strncmp(sv.req, "GET /v2/workflow/list-tasks?", 28) == 0);
    sv.off = 0;
    if (run && sv.runs++ == 0) {
        /* the answer is lost */
        sv.have_resp = !sv.timeout;
        sv.resp_len = 0;
        return;
    }
    sv.lists += !run;
    free(sv.resp);
    sv.resp = malloc(sv.n + 128u);
    FZ_CHECK(sv.resp != NULL);
    hl = sprintf(sv.resp, "HTTP/1.1 200 OK\r\n%s%s%sContent-Length: %zu\r\n\r\n",
                 sv.date ? "Date: " : "", sv.date ? sv.date : "",
                 sv.date ? "\r\n" : "", sv.n);
    memcpy(sv.resp + hl, sv.body, sv.n);
    sv.resp_len = (size_t)hl + sv.n;
    sv.have_resp = 1;
}

static int32_t sv_send(void *p, const uint8_t *d, size_t n, uint32_t t)
{
    char *end;
    (void)p;
    (void)t;
    FZ_CHECK(sv.conn && n <= sizeof sv.req - 1u - sv.req_len);
    memcpy(sv.req + sv.req_len, d, n);
    sv.req_len += n;
    sv.req[sv.req_len] = '\0';
    end = strstr(sv.req, "\r\n\r\n");
    if (end != NULL) {
        const char *cl = strstr(sv.req, "Content-Length: ");
        size_t want = (size_t)(end + 4 - sv.req);
        if (cl != NULL)
            want += (size_t)strtoul(cl + 16, NULL, 10);
        if (sv.req_len >= want) {
            FZ_CHECK(sv.req_len == want);
            sv_answer();
            sv.req_len = 0;
        }
    }
    return (int32_t)n;
}

static int32_t sv_recv(void *p, uint8_t *b, size_t n, uint32_t t)
{
    (void)p;
    FZ_CHECK(sv.conn);
    if (sv.have_resp && sv.off < sv.resp_len) {
        size_t k = sv.resp_len - sv.off;
        if (k > n)
            k = n;
        memcpy(b, sv.resp + sv.off, k);
        sv.off += k;
        return (int32_t)k;
    }
    if (sv.have_resp)
        return BACT_E_CLOSED; /* closes after each answer */
    sv.now += t;
    return 0;
}

static void sv_close(void *p)
{
    (void)p;
    sv.conn = 0;
    sv.have_resp = 0;
    sv.req_len = 0;
}

static uint32_t sv_now(void *p)
{
    (void)p;
    return sv.now;
}

static void sv_sleep(void *p, uint32_t ms)
{
    (void)p;
    sv.now += ms;
}

static void fz_open(fz *f, const uint8_t *body, size_t n, unsigned setup,
                    unsigned ntok, int lost)
{
    static bact_transport tr;
    static bact_platform pf;
    bact_config cfg;
    char head[128];
    int hl;
    size_t slack = setup & 3u;

    memset(f, 0, sizeof *f);
    if (setup & 0x40u)
        hl = snprintf(head, sizeof head,
                      "HTTP/1.1 %s\r\nTransfer-Encoding: chunked\r\n\r\n",
                      (setup & 0x20u) ? "400 Bad Request" : "200 OK");
    else
        hl = snprintf(head, sizeof head,
                      "HTTP/1.1 %s\r\nContent-Length: %zu\r\n\r\n",
                      (setup & 0x20u) ? "400 Bad Request" : "200 OK", n);
    FZ_CHECK(hl > 0 && (size_t)hl < sizeof head);
    f->resp = malloc((size_t)hl + n + 32u);
    FZ_CHECK(f->resp != NULL);
    memcpy(f->resp, head, (size_t)hl);
    f->resp_len = (size_t)hl;
    if (setup & 0x40u) {
        if (n > 0) {
            f->resp_len += (size_t)sprintf(f->resp + f->resp_len, "%zx\r\n", n);
            memcpy(f->resp + f->resp_len, body, n);
            f->resp_len += n;
            memcpy(f->resp + f->resp_len, "\r\n", 2);
            f->resp_len += 2;
        }
        memcpy(f->resp + f->resp_len, "0\r\n\r\n", 5);
        f->resp_len += 5;
    } else {
        memcpy(f->resp + f->resp_len, body, n);
        f->resp_len += n;
    }

    f->cap = n + slack < 512u ? 512u : n + slack;
    f->buf = malloc(f->cap);
    f->tok = malloc(ntok * sizeof *f->tok);
    FZ_CHECK(f->buf != NULL && f->tok != NULL);

    if (lost) {
        free(sv.resp);
        memset(&sv, 0, sizeof sv);
        sv.body = body;
        sv.n = n;
        sv.date = dates[setup & 3u];
        sv.timeout = lost == C_RUN_LOST_TIMEOUT;
        sv.now = 5000u;
        tr.io = &sv;
        tr.open = sv_open;
        tr.send = sv_send;
        tr.recv = sv_recv;
        tr.close = sv_close;
        pf.ctx = &sv;
        pf.now_ms = sv_now;
        pf.sleep_ms = sv_sleep;
        pf.random = NULL;
    } else {
        t_io_init(&io, (setup & 0x80u) ? T_BYTES : T_WHOLE);
        t_io_add(&io, T_DATA, f->resp, f->resp_len);
        t_io_transport(&io, &tr);
        t_io_platform(&io, &pf);
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = "http://127.0.0.1:8080";
    cfg.api_key = "fuzz-key";
    cfg.buf = f->buf;
    cfg.buf_len = f->cap;
    cfg.tokens = f->tok;
    cfg.n_tokens = ntok;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.timeout_ms = 1000;
    FZ_CHECK(bact_init(&f->c, &cfg) == BACT_OK);
    bact_set_raw(&f->c, (setup & 0x10u) != 0);
}

static void fz_close(fz *f)
{
    bact_close(&f->c);
    free(sv.resp);
    sv.resp = NULL;
    free(f->buf);
    free(f->tok);
    free(f->resp);
}

/* ---- result checks ---- */

static void chk_str(const bact_client *c, const char *s)
{
    const char *b = (const char *)c->buf, *end = b + c->body_len;
    if (s == NULL)
        return;
    FZ_CHECK(s >= b && s < end);
    FZ_CHECK(memchr(s, 0, (size_t)(end - s)) != NULL);
}

static void chk_id(const char *id)
{
    FZ_CHECK(memchr(id, 0, BACT_ID_SIZE) != NULL);
}

static void chk_state(const bact_task_state *st)
{
    FZ_CHECK(memchr(st->text, 0, sizeof st->text) != NULL);
    FZ_CHECK(st->status == bact_status_parse(st->text, strlen(st->text)));
}

static void chk_array(const bact_client *c, const bact_array *a)
{
    if (a->tok < 0) {
        FZ_CHECK(a->tok == -1 && a->count == 0);
        return;
    }
    FZ_CHECK(a->tok < c->ntok_used);
    FZ_CHECK(c->tok[a->tok].type == JSMN_ARRAY);
    FZ_CHECK((unsigned)c->tok[a->tok].size == a->count);
}

static void walk(const bact_client *c, const bact_array *a, int kind,
                 int depth);

static void chk_task(const bact_client *c, const bact_task *t, int full,
                     int depth)
{
    chk_id(t->id);
    chk_id(t->workflow_id);
    chk_id(t->profile_id);
    chk_state(&t->state);
    chk_str(c, t->created_at);
    chk_str(c, t->finished_at);
    chk_str(c, t->failure_message);
    chk_str(c, t->live_url);
    chk_str(c, t->input_parameters);
    chk_str(c, t->log_detail_url);
    if (t->output != NULL) {
        const char *end = (const char *)c->buf + c->body_len;
        chk_str(c, t->output);
        FZ_CHECK(t->output_len < (size_t)(end - t->output));
        FZ_CHECK(t->output[t->output_len] == '\0');
    } else {
        FZ_CHECK(t->output_len == 0);
    }
    if (!t->failed_info)
        FZ_CHECK(t->failure_code == 0 && t->failure_message == NULL);
    chk_array(c, &t->output_files);
    chk_array(c, &t->steps);
    chk_array(c, &t->download_files);
    if (!full) {
        FZ_CHECK(t->steps.tok == -1 && t->download_files.tok == -1);
        FZ_CHECK(t->files_expires_at == -1 && t->log_detail_url == NULL);
    }
    walk(c, &t->output_files, K_STRING, depth + 1);
    walk(c, &t->steps, K_STEP, depth + 1);
    walk(c, &t->download_files, K_DOWNLOAD, depth + 1);
}

static void chk_workflow(const bact_client *c, const bact_workflow *w,
                         int depth)
{
    chk_id(w->id);
    chk_str(c, w->name);
    chk_str(c, w->description);
    chk_str(c, w->recommend_desc);
    chk_str(c, w->detail_url);
    chk_str(c, w->create_at);
    chk_str(c, w->publish_at);
    chk_array(c, &w->input_parameters);
    walk(c, &w->input_parameters, K_INPUT, depth + 1);
}

/* Read element i as kind; returns the reader's result. */
static int read_elem(const bact_client *c, const bact_array *a, unsigned i,
                     int kind, int depth)
{
    int rc;
    switch (kind) {
    case K_STRING: {
        const char *s = (const char *)1;
        rc = bact_string_at(c, a, i, &s);
        if (rc == BACT_OK)
            chk_str(c, s);
        break;
    }
    case K_STEP: {
        bact_step s;
        rc = bact_step_at(c, a, i, &s);
        if (rc == BACT_OK) {
            chk_str(c, s.id);
            chk_str(c, s.status);
            chk_str(c, s.evaluation_previous_goal);
            chk_str(c, s.step_goal);
            chk_str(c, s.screenshots_url);
            FZ_CHECK(s.id != NULL && s.status != NULL); /* required */
        }
        break;
    }
    case K_DOWNLOAD: {
        bact_download d;
        rc = bact_download_at(c, a, i, &d);
        if (rc == BACT_OK) {
            chk_str(c, d.guid);
            chk_str(c, d.file_name);
            chk_str(c, d.status);
            chk_str(c, d.download_url);
            chk_str(c, d.error_message);
        }
        break;
    }
    case K_TASK: {
        bact_task t;
        rc = bact_task_at(c, a, i, &t);
        if (rc == BACT_OK && depth < DEPTH_MAX)
            chk_task(c, &t, 0, depth);
        break;
    }
    case K_WORKFLOW:
    case K_TEMPLATE: {
        bact_workflow w;
        rc = kind == K_WORKFLOW ? bact_workflow_at(c, a, i, &w)
                                : bact_template_at(c, a, i, &w);
        if (rc == BACT_OK && depth < DEPTH_MAX)
            chk_workflow(c, &w, depth);
        /* required: present (templateId may be "", as any id may) */
        if (rc == BACT_OK && kind == K_TEMPLATE)
            FZ_CHECK(w.name != NULL && w.recommend_desc != NULL &&
                     w.detail_url != NULL);
        break;
    }
    case K_INPUT: {
        bact_input_def d;
        rc = bact_input_def_at(c, a, i, &d);
        if (rc == BACT_OK) {
            chk_str(c, d.name);
            FZ_CHECK(d.name != NULL);
            FZ_CHECK(d.default_enabled == 0 || d.default_enabled == 1);
        }
        break;
    }
    default: {
        bact_region r;
        rc = bact_region_at(c, a, i, &r);
        if (rc == BACT_OK) {
            chk_str(c, r.name);
            chk_str(c, r.code);
            FZ_CHECK(r.code != NULL);
        }
        break;
    }
    }
    return rc;
}

/* Read the elements of a (the first WALK_MAX and the last) as kind, the
 * first and last also as every other kind, and the one past the end. */
static void walk(const bact_client *c, const bact_array *a, int kind,
                 int depth)
{
    unsigned i;
    int k;

    chk_array(c, a);
    if (depth > DEPTH_MAX)
        return;
    for (i = 0; i < a->count; i++) {
        int rc;
        if (i == WALK_MAX && a->count > WALK_MAX + 1u)
            i = a->count - 1u;
        rc = read_elem(c, a, i, kind, depth);
        FZ_CHECK(rc == BACT_OK || rc == BACT_E_SHAPE);
        if (i == 0 || i + 1u == a->count) {
            for (k = 0; k < K_COUNT; k++) {
                if (k != kind) {
                    rc = read_elem(c, a, i, k, DEPTH_MAX);
                    FZ_CHECK(rc == BACT_OK || rc == BACT_E_SHAPE);
                }
            }
        }
    }
    FZ_CHECK(read_elem(c, a, a->count, kind, DEPTH_MAX) == BACT_E_ARG);
}

static void chk_page(const bact_client *c, const bact_page *p, int kind)
{
    walk(c, &p->items, kind, 0);
}

static void chk_error(const bact_client *c, int rc, int status)
{
    const bact_api_error *e = bact_last_error(c);
    chk_str(c, e->msg);
    chk_str(c, e->trace_id);
    if (rc == BACT_E_API) {
        FZ_CHECK(e->http_status == status);
        if (status == 200) /* a 2xx is an error only as an envelope */
            FZ_CHECK(e->has_code && e->code != 0 && e->msg != NULL);
    }
}

static int tok_is(const bact_client *c, int i, const char *str, size_t n)
{
    const jsmntok_t *t = &c->tok[i];
    return t->type == JSMN_STRING && (size_t)(t->end - t->start) == n &&
           memcmp(c->buf + t->start, str, n) == 0;
}

/* Is there an object in the body whose "id" is id and whose
 * "workflow_id" is wf, both whole (not cut at a \u0000), and whose
 * input_parameters hold no NUL? After an adoption the buffer still holds
 * the list-tasks page it came from. */
static int adopted_item_listed(const bact_client *c, const char *id,
                               const char *wf)
{
    int j;
    /* an object whose id, workflow_id and input_parameters say so; a
     * member named twice counts as the library reads it: the first one */
    for (j = 0; j < c->ntok_used; j++) {
        int k, n, id_ok = -1, wf_ok = -1, input_ok = -1;
        if (c->tok[j].type != JSMN_OBJECT)
            continue;
        for (k = j + 1, n = c->tok[j].size; n > 0 && k + 1 < c->ntok_used;
             n--, k = bact__json_skip(c, k + 1)) {
            const jsmntok_t *v = &c->tok[k + 1];
            if (id_ok < 0 && tok_is(c, k, "id", 2))
                id_ok = tok_is(c, k + 1, id, strlen(id));
            if (wf_ok < 0 && tok_is(c, k, "workflow_id", 11))
                wf_ok = tok_is(c, k + 1, wf, strlen(wf));
            /* compared as a C string: a NUL would end it early */
            if (input_ok < 0 && tok_is(c, k, "input_parameters", 16))
                input_ok = !(v->type == JSMN_STRING &&
                             memchr(c->buf + v->start, 0,
                                    (size_t)(v->end - v->start)));
        }
        if (id_ok == 1 && wf_ok == 1 && input_ok != 0)
            return 1;
    }
    return 0;
}

/* ---- the calls ---- */

typedef union result {
    bact_task task;
    bact_task_state state;
    bact_task_created created;
    bact_page page;
    bact_workflow wf;
    bact_array arr;
} result;

static int call(bact_client *c, int which, result *r)
{
    static const char id[] = "16429034742537847";
    switch (which) {
    case C_GET_TASK:
    case C_DECODE_TASK:
        return bact_get_task(c, id, &r->task);
    case C_STATUS:
        return bact_get_task_status(c, id, &r->state);
    case C_RUN: {
        bact_run_req rq;
        memset(&rq, 0, sizeof rq);
        rq.workflow_id = "16217357109956214";
        return bact_run_task(c, &rq, &r->created);
    }
    case C_RUN_LOST_CLOSE:
    case C_RUN_LOST_TIMEOUT: {
        static const bact_param p[3] = {
            {"target_url", "https://www.google.com/search?q=iphone17"},
            {"skipped", NULL},
            {"product_limit", "10"}
        };
        bact_run_req rq;
        memset(&rq, 0, sizeof rq);
        rq.workflow_id = "16217357109956214";
        rq.params = p;
        rq.n_params = 3;
        return bact_run_task(c, &rq, &r->created);
    }
    case C_RUN_TEMPLATE: {
        bact_template_run_req rq;
        memset(&rq, 0, sizeof rq);
        rq.template_id = "77638424152140851";
        return bact_run_template(c, &rq, &r->created);
    }
    case C_LIST_TASKS: {
        bact_task_query q;
        memset(&q, 0, sizeof q);
        return bact_list_tasks(c, &q, &r->page);
    }
    case C_LIST_WORKFLOWS:
        return bact_list_workflows(c, 0, 0, &r->page);
    case C_GET_WORKFLOW:
        return bact_get_workflow(c, "16217357109956214", &r->wf);
    case C_GET_TEMPLATE:
        return bact_get_template(c, "77638424152140851", &r->wf);
    case C_LIST_TEMPLATES:
        return bact_list_templates(c, NULL, 0, 0, &r->page);
    case C_REGIONS:
        return bact_get_regions(c, &r->arr);
    default:
        return bact_stop_task(c, id, NULL);
    }
}

/* A decoded (non-raw, BACT_OK) answer. */
static void chk_result(bact_client *c, int which, const result *r)
{
    switch (which) {
    case C_GET_TASK: {
        bact_task again;
        chk_task(c, &r->task, 1, 0);
        /* decoding once more changes nothing */
        FZ_CHECK(bact_decode_task(c, &again) == BACT_OK);
        FZ_CHECK(strcmp(again.id, r->task.id) == 0);
        FZ_CHECK(again.output == r->task.output &&
                 again.output_len == r->task.output_len);
        FZ_CHECK(again.steps.tok == r->task.steps.tok &&
                 again.steps.count == r->task.steps.count);
        break;
    }
    case C_STATUS:
        chk_state(&r->state);
        break;
    case C_RUN:
    case C_RUN_TEMPLATE:
        chk_id(r->created.id);
        chk_id(r->created.profile_id);
        FZ_CHECK(r->created.id[0] != '\0');
        break;
    case C_LIST_TASKS:
        chk_page(c, &r->page, K_TASK);
        break;
    case C_LIST_WORKFLOWS:
        chk_page(c, &r->page, K_WORKFLOW);
        break;
    case C_GET_WORKFLOW:
    case C_GET_TEMPLATE:
        chk_workflow(c, &r->wf, 0);
        if (which == C_GET_TEMPLATE)
            FZ_CHECK(r->wf.recommend_desc != NULL && r->wf.detail_url != NULL);
        break;
    case C_LIST_TEMPLATES:
        chk_page(c, &r->page, K_TEMPLATE);
        break;
    case C_REGIONS:
        FZ_CHECK(r->arr.tok == 0);
        walk(c, &r->arr, K_REGION, 0);
        break;
    default:
        break;
    }
}

static int run(const uint8_t *body, size_t n, int which, unsigned setup,
               unsigned ntok, int top)
{
    fz f;
    result r;
    int rc, raw = (setup & 0x10u) != 0 || which == C_DECODE_TASK;
    int status = (setup & 0x20u) ? 400 : 200;
    bact_client *c;

    int lost = which == C_RUN_LOST_CLOSE || which == C_RUN_LOST_TIMEOUT;

    if (which == C_DECODE_TASK)
        setup |= 0x10u;
    if (lost) {
        setup &= ~0x20u; /* the pages come with a 200 */
        status = 200;
    }
    fz_open(&f, body, n, setup, ntok, lost ? which : 0);
    c = &f.c;
    memset(&r, 0, sizeof r);
    rc = call(c, which, &r);
    chk_error(c, rc, status);

    if (getenv("FUZZ_ECHO") != NULL)
        fprintf(stderr, "call %d, tokens %u, setup 0x%02x: rc %d (%s), "
                "needed %zu; run-task sent %u, list-tasks %u, outcome %d\n",
                which, ntok, setup, rc, bact_strerror(rc), bact_needed(c),
                sv.runs, sv.lists, lost ? r.created.outcome : -1);
    if (lost) {
        /* never a duplicate: one resend at most, none after a timeout */
        FZ_CHECK(sv.runs >= 1 && sv.runs <= 2);
        if (which == C_RUN_LOST_TIMEOUT)
            FZ_CHECK(sv.runs == 1);
        FZ_CHECK(c->raw == ((setup & 0x10u) != 0)); /* restored */
        if (rc == BACT_OK && !c->raw) {
            int o = r.created.outcome;
            FZ_CHECK(o == (sv.runs == 2 ? BACT_RUN_RESENT : BACT_RUN_ADOPTED));
            FZ_CHECK(o != BACT_RUN_ADOPTED || sv.lists > 0);
            chk_id(r.created.id);
            chk_id(r.created.profile_id);
            if (!fz_skip("adopted-empty-id")) /* a task to follow */
                FZ_CHECK(r.created.id[0] != '\0');
            /* a listed task of this workflow, read whole */
            if (o == BACT_RUN_ADOPTED && !fz_skip("adopted-nul"))
                FZ_CHECK(adopted_item_listed(c, r.created.id,
                                             "16217357109956214"));
        } else if (sv.runs == 1) {
            /* nothing was adopted or resent: the error of the lost answer */
            FZ_CHECK(rc == (which == C_RUN_LOST_TIMEOUT ? BACT_E_TIMEOUT
                                                        : BACT_E_CLOSED) ||
                     (rc == BACT_OK && c->raw));
        }
    } else if (status == 400) {
        FZ_CHECK(rc == BACT_E_API);
    } else if (which == C_STOP) {
        FZ_CHECK(rc == BACT_OK || rc == BACT_E_API);
    } else if (raw) {
        FZ_CHECK(rc == BACT_OK || rc == BACT_E_API);
        if (rc == BACT_OK) { /* the body exactly as received */
            size_t len = 0;
            const uint8_t *b = bact_body(c, &len);
            FZ_CHECK(len == n && (n == 0 || memcmp(b, body, n) == 0));
        }
        /* an error envelope is one in raw mode exactly when it is one
         * decoded (member names with escapes too) */
        if (top && which != C_DECODE_TASK)
            FZ_CHECK((rc == BACT_E_API) ==
                     (run(body, n, which, setup & ~0x10u, ntok, 0) ==
                      BACT_E_API));
    } else {
        FZ_CHECK(rc == BACT_OK || rc == BACT_E_JSON || rc == BACT_E_SHAPE ||
                 rc == BACT_E_TOKENS || rc == BACT_E_API);
    }

    if (rc == BACT_E_TOKENS) {
        size_t need = bact_needed(c);
        FZ_CHECK(need > ntok);
        if (top && need <= 1u << 16) /* that many must then do */
            FZ_CHECK(run(body, n, which, setup, (unsigned)need, 0) !=
                     BACT_E_TOKENS);
    } else if (rc == BACT_OK && which == C_DECODE_TASK) {
        bact_task t, again;
        int rc2 = bact_decode_task(c, &t);
        FZ_CHECK(rc2 == BACT_OK || rc2 == BACT_E_JSON ||
                 rc2 == BACT_E_SHAPE || rc2 == BACT_E_TOKENS);
        if (rc2 == BACT_OK)
            chk_task(c, &t, 1, 0);
        if (rc2 != BACT_E_TOKENS && rc2 != BACT_E_JSON)
            FZ_CHECK(bact_decode_task(c, &again) == rc2);
    } else if (rc == BACT_OK && raw &&
               (which == C_RUN || which == C_RUN_TEMPLATE)) {
        /* a raw run answer read afterwards reads as it would have been */
        bact_task_created t;
        int rc2 = bact_decode_created(c, &t);
        if (rc2 == BACT_OK) {
            chk_id(t.id);
            chk_id(t.profile_id);
            FZ_CHECK(t.id[0] != '\0');
        } else {
            FZ_CHECK(t.id[0] == '\0' && t.profile_id[0] == '\0');
        }
        if (top)
            FZ_CHECK(run(body, n, which, setup & ~0x10u, ntok, 0) == rc2);
    } else if (rc == BACT_OK && !raw) {
        chk_result(c, which, &r);
    }
    fz_close(&f);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned setup;
    int which;

    if (size < 2)
        return 0;
    which = data[0] % C_COUNT;
    setup = data[1];
    (void)run(data + 2, size - 2, which, setup, token_sizes[(setup >> 2) & 3u],
              1);
    return 0;
}
