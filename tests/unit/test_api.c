/*
 * test_api.c - the twelve endpoints and bact_wait() (src/api.c) over
 * scripted answers: the exact requests, the decoded answers, the error
 * paths, argument checks that send nothing, raw mode and the 1 KiB goal.
 *
 * The work buffer and the token array are heap blocks of exactly the
 * configured size, so the sanitizer build catches any write past them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "internal.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static t_io IO;
static bact_client CL;
static uint8_t *cbuf;    /* reachable from statics: not leaks for LSan */
static jsmntok_t *ctok;
static bact_transport CTR;
static bact_platform CPF;

static char pool[24][8192];
static unsigned npool;

static bact_client *mk_full(size_t buf_len, unsigned ntok, uint32_t flags)
{
    bact_config cfg;
    free(cbuf);
    free(ctok);
    cbuf = (uint8_t *)malloc(buf_len);
    ctok = (jsmntok_t *)malloc(sizeof(jsmntok_t) * ntok);
    if (cbuf == NULL || ctok == NULL) {
        fprintf(stderr, "out of memory\n");
        abort();
    }
    t_io_transport(&IO, &CTR);
    t_io_platform(&IO, &CPF);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = "https://api.browseract.com";
    cfg.api_key = "app-abcdefghijklmn";
    cfg.buf = cbuf;
    cfg.buf_len = buf_len;
    cfg.tokens = ctok;
    cfg.n_tokens = ntok;
    cfg.transport = &CTR;
    cfg.platform = &CPF;
    cfg.timeout_ms = 1000;
    cfg.flags = flags;
    if (bact_init(&CL, &cfg) != BACT_OK) {
        fprintf(stderr, "bact_init failed\n");
        abort();
    }
    return &CL;
}

/* a fresh script and a client with room to spare */
static bact_client *begin(void)
{
    t_io_init(&IO, T_WHOLE);
    npool = 0;
    return mk_full(8192, 512, 0);
}

static const char *answer(const char *status, const char *body)
{
    char *p = pool[npool++ % 24u];
    snprintf(p, sizeof pool[0],
             "HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
             "Connection: close\r\nContent-Length: %u\r\n\r\n%s",
             status, (unsigned)strlen(body), body);
    return p;
}

static void ok(const char *body)
{
    t_io_data(&IO, answer("200 OK", body));
}

static const char *sent(void)
{
    if (IO.sent_len >= sizeof IO.sent)
        IO.sent_len = sizeof IO.sent - 1u;
    IO.sent[IO.sent_len] = '\0';
    return IO.sent;
}

/* the request line of the last request */
static const char *req_line(void)
{
    static char line[4096];
    const char *s = sent(), *e = strstr(s, "\r\n");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (n >= sizeof line)
        n = sizeof line - 1u;
    memcpy(line, s, n);
    line[n] = '\0';
    return line;
}

/* the body of the last request ("" when none) */
static const char *req_body(void)
{
    const char *s = sent(), *e = strstr(s, "\r\n\r\n");
    return e ? e + 4 : "";
}

static int has_header(const char *h)
{
    const char *s = sent(), *e = strstr(s, "\r\n\r\n");
    const char *f = strstr(s, h);
    return f != NULL && e != NULL && f < e;
}

/* Content-Length of the last request matches its body */
static void check_content_length(const char *file, int line)
{
    char want[64];
    snprintf(want, sizeof want, "\r\nContent-Length: %u\r\n",
             (unsigned)strlen(req_body()));
    if (!has_header(want))
        t_fail(file, line, "Content-Length does not match the body");
    if (!has_header("\r\nContent-Type: application/json\r\n"))
        t_fail(file, line, "no Content-Type: application/json");
}

static void nothing_sent(const char *file, int line)
{
    if (IO.opens != 0 || IO.sends != 0)
        t_fail(file, line, "a refused call reached the transport");
}

#define NOTHING_SENT() nothing_sent(__FILE__, __LINE__)

/* ------------------------------------------------------------------ */
/* run-task                                                             */
/* ------------------------------------------------------------------ */

static void run_task_body(void)
{
    bact_param p[] = {
        { "query", "coffee \"beans\"\nline2 \xC3\xA9 \\ \t \x01 \x7F / </script>" },
        { "skip", NULL },
        { "limit", "10" },
    };
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = begin();
    ok("{\"id\":\"16429034742537847\",\"profile_id\":\"abc\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "16217357109956214";
    rq.params = p;
    rq.n_params = 3;
    rq.save_browser_data = 1;
    rq.profile_id = "profile_abc123";
    rq.callback_url = "https://example.com/cb?x=1&y=\"2\"";
    rq.status_callback_url = "https://hooks.example.com/status";
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(req_line(), "POST /v2/workflow/run-task HTTP/1.1");
    CHECK_STR(req_body(),
              "{\"workflow_id\":\"16217357109956214\","
              "\"input_parameters\":["
              "{\"name\":\"query\",\"value\":\"coffee \\\"beans\\\"\\nline2 "
              "\xC3\xA9 \\\\ \\t \\u0001 \\u007f / </script>\"},"
              "{\"name\":\"limit\",\"value\":\"10\"}],"
              "\"save_browser_data\":true,"
              "\"profile_id\":\"profile_abc123\","
              "\"callback_url\":\"https://example.com/cb?x=1&y=\\\"2\\\"\","
              "\"status_change_callback_url\":\"https://hooks.example.com/status\"}");
    check_content_length(__FILE__, __LINE__);
    CHECK(strstr(sent(), "incognito") == NULL);
    CHECK(has_header("\r\nHost: api.browseract.com\r\n"));
    CHECK(has_header("\r\nAuthorization: Bearer app-abcdefghijklmn\r\n"));
    CHECK_STR(t.id, "16429034742537847");
    CHECK_STR(t.profile_id, "abc");
}

static void run_task_minimal(void)
{
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = begin();
    ok("{\"id\":\"1\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "16217357109956214";
    rq.profile_id = ""; /* empty: not sent */
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(req_body(), "{\"workflow_id\":\"16217357109956214\"}");
    check_content_length(__FILE__, __LINE__);
    CHECK_STR(t.id, "1");
    CHECK_STR(t.profile_id, "");

    /* save_browser_data with no params: its comma right after the
     * workflow_id, the measured size the written one */
    c = begin();
    ok("{\"id\":\"1\"}");
    rq.save_browser_data = 1;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(req_body(), "{\"workflow_id\":\"16217357109956214\","
                          "\"save_browser_data\":true}");
    check_content_length(__FILE__, __LINE__);
}

static void run_task_answer_shapes(void)
{
    static const struct {
        const char *body;
        int rc;
        const char *id, *profile;
    } a[] = {
        { "{\"id\":\"1\",\"profile_id\":\"snake\"}", BACT_OK, "1", "snake" },
        { "{\"id\":\"1\",\"profileId\":\"camel\"}", BACT_OK, "1", "camel" },
        { "{\"profileId\":\"camel\",\"id\":\"1\",\"profile_id\":\"snake\"}",
          BACT_OK, "1", "snake" },
        { "{\"id\":\"1\",\"profile_id\":null,\"profileId\":\"camel\"}", BACT_OK,
          "1", "camel" },
        { "{\"id\":\"1\",\"profile_id\":null,\"profileId\":null}", BACT_OK, "1", "" },
        { "{\"id\":\"1\",\"other\":{\"id\":2}}", BACT_OK, "1", "" },
        { "{\"profile_id\":\"p\"}", BACT_E_SHAPE, NULL, NULL },
        { "{\"id\":16429034742537847}", BACT_E_SHAPE, NULL, NULL },
        { "{\"id\":null}", BACT_E_SHAPE, NULL, NULL },
        { "{\"id\":\"\"}", BACT_E_SHAPE, NULL, NULL }, /* nothing to follow */
        { "{\"id\":\"1\",\"profile_id\":5}", BACT_E_SHAPE, NULL, NULL },
        { "{\"id\":\"123456789012345678901234567890123456789012345678\"}",
          BACT_E_SHAPE, NULL, NULL },
        { "[{\"id\":\"1\"}]", BACT_E_SHAPE, NULL, NULL },
        { "\"1\"", BACT_E_SHAPE, NULL, NULL },
        { "{\"id\":\"1\",}", BACT_E_JSON, NULL, NULL },
        { "", BACT_E_JSON, NULL, NULL },
    };
    size_t i;
    for (i = 0; i < sizeof a / sizeof a[0]; i++) {
        bact_run_req rq;
        bact_task_created t;
        bact_client *c = begin();
        int rc;
        ok(a[i].body);
        memset(&rq, 0, sizeof rq);
        rq.workflow_id = "w";
        rc = bact_run_task(c, &rq, &t);
        if (rc != a[i].rc || (rc != BACT_OK && t.id[0] != '\0') ||
            (a[i].id && (strcmp(t.id, a[i].id) != 0 ||
                         strcmp(t.profile_id, a[i].profile) != 0))) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s: rc %d id \"%s\" profile \"%s\"",
                     a[i].body, rc, t.id, t.profile_id);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
}

/* ------------------------------------------------------------------ */
/* run-task-by-template                                                 */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* run-task: reconciliation after a lost answer                         */
/* ------------------------------------------------------------------ */

#define WF "16217357109956214"
#define NOW "2025-10-08T10:17:53Z"   /* after the request went out */
#define OLD "2025-10-08T10:17:00Z"   /* before */
#define ITEM(id, wf, at, in)                                              \
    "{\"id\":\"" id "\",\"workflow_id\":\"" wf "\",\"created_at\":\"" at  \
    "\",\"input_parameters\":\"" in "\"}"

/* a 200 answer with the server's Date */
/* a 200 answer with body, sent on the HTTP-date given */
static void dated_on(const char *http_date, const char *body)
{
    char *p = pool[npool++ % 24u];
    snprintf(p, sizeof pool[0],
             "HTTP/1.1 200 OK\r\nDate: %s\r\n"
             "Connection: close\r\nContent-Length: %u\r\n\r\n%s",
             http_date, (unsigned)strlen(body), body);
    t_io_data(&IO, p);
}

/* ... at a time of day on the day the test tasks were made */
static void dated(const char *date, const char *body)
{
    char d[40];
    snprintf(d, sizeof d, "Wed, 08 Oct 2025 %s GMT", date);
    dated_on(d, body);
}

/* a list-tasks page with the server's Date */
static void listed_at(const char *date, const char *items)
{
    char body[4096];
    snprintf(body, sizeof body, "{\"page\":1,\"limit\":2,\"items\":[%s]}",
             items);
    dated(date, body);
}

/* ... at 10:17:54 (the request went out a moment before, by the fake
 * clock: tasks from 10:17:51 on may be ours) */
static void listed(const char *items)
{
    listed_at("10:17:54", items);
}

static unsigned count_in_sent(const char *needle)
{
    const char *s = sent();
    unsigned n = 0;
    while ((s = strstr(s, needle)) != NULL) {
        n++;
        s++;
    }
    return n;
}

/* run-task whose answer is lost (a reset after the request went out) */
static bact_client *lost_run(void)
{
    bact_client *c = begin();
    t_io_add(&IO, T_FAIL, NULL, (size_t)(long)BACT_E_NET);
    return c;
}

static int run_lost(bact_client *c, bact_task_created *t)
{
    static bact_param p[] = { { "query", "coffee" }, { "skip", NULL },
                              { "n", "2" } };
    bact_run_req rq;
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = WF;
    rq.params = p;
    rq.n_params = 3;
    return bact_run_task(c, &rq, t);
}

/* A lost run whose lookup lists item (once per attempt's page): the task
 * is not adopted, the error stands and nothing is sent again */
static bact_client *not_adopted(const char *item)
{
    bact_task_created t;
    bact_client *c = lost_run();
    listed(item);
    listed(item);
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_STR(t.id, "");
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 1);
    return c;
}

static void reconcile_adopts(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    /* page 1: another workflow's task, ours with other input */
    listed(ITEM("1", "99", NOW, "query=coffee; n=2") ","
           ITEM("2", WF, NOW, "query=tea; n=2"));
    /* page 2: ours, spaces around as the API writes them */
    listed(ITEM("16429034742537847", WF, NOW, "query=coffee;   n=2  "));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537847");
    CHECK_STR(t.profile_id, "");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_STR(req_line(), "POST /v2/workflow/run-task HTTP/1.1");
    CHECK(strstr(sent(), "GET /v2/workflow/list-tasks?workflow_id=" WF
                         "&page=1&limit=2 HTTP/1.1\r\n") != NULL);
    CHECK(strstr(sent(), "GET /v2/workflow/list-tasks?workflow_id=" WF
                         "&page=2&limit=2 HTTP/1.1\r\n") != NULL);
}

/* nothing sent as input: a listed task with input is not ours, one
 * without input_parameters at all is */
static void reconcile_no_input(void)
{
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = lost_run();
    listed(ITEM("5", WF, NOW, "q=1") ","
           "{\"id\":\"6\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW
           "\",\"profile_id\":\"p7\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = WF;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(t.id, "6");
    CHECK_STR(t.profile_id, "p7");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
}

/* input_parameters is optional in a list item: one of our workflow made
 * since the request went out that does not say its input may be ours, so
 * neither a second look nor a resend follows (a duplicate would); with no
 * input sent, reconcile_no_input adopts it */
static void reconcile_input_unreported(void)
{
    static const char *const items[] = {
        "{\"id\":\"6\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW "\"}",
        "{\"id\":\"6\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW
        "\",\"input_parameters\":null}",
        /* after another one, newer, that is not ours */
        ITEM("5", WF, NOW, "query=tea; n=2") ","
        "{\"id\":\"6\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW "\"}"
    };
    size_t i;
    for (i = 0; i < sizeof items / sizeof items[0]; i++)
        CHECK_INT(bact_request_sent(not_adopted(items[i])), 1);
}

static void reconcile_resends(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    listed(ITEM("1", WF, OLD, "query=coffee; n=2")); /* older: not ours */
    listed("");                                      /* the second look */
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "9");
    CHECK_INT(t.outcome, BACT_RUN_RESENT);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 2);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 2);
    CHECK(IO.slept > 0);
    /* in raw mode too the outcome says so; the body is the answer to the
     * request sent again, as received */
    c = lost_run();
    bact_set_raw(c, 1);
    listed("");
    listed("");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_INT(t.outcome, BACT_RUN_RESENT);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 2);
    {
        size_t n;
        const uint8_t *b = bact_body(c, &n);
        CHECK(n == 10 && memcmp(b, "{\"id\":\"9\"}", 10) == 0);
    }
}

/* listed tasks of the workflow that are not this request: looked past,
 * and with nothing else listed the request is sent again */
static void reconcile_not_ours(void)
{
    static const char *const items[] = {
        /* another workflow whose id starts with ours, or holds ours and
         * then a NUL */
        ITEM("1", WF "0", NOW, "query=coffee; n=2"),
        ITEM("1", WF "\\u0000", NOW, "query=coffee; n=2"),
        /* the input: a value that goes on, another separator, another
         * name, a parameter missing, one too many */
        ITEM("1", WF, NOW, "query=coffeeX; n=2"),
        ITEM("1", WF, NOW, "query=coffee, n=2"),
        ITEM("1", WF, NOW, "query:coffee; n=2"),
        ITEM("1", WF, NOW, "querx=coffee; n=2"),
        ITEM("1", WF, NOW, "query=coffee"),
        ITEM("1", WF, NOW, "query=coffee; n=2; m=3"),
        /* all of the input, then a NUL and more */
        ITEM("1", WF, NOW, "query=coffee; n=2\\u0000; m=3"),
        ITEM("1", WF, NOW, "")
    };
    bact_task_created t;
    size_t i;
    for (i = 0; i < sizeof items / sizeof items[0]; i++) {
        bact_client *c = lost_run();
        listed(items[i]);
        listed("");
        ok("{\"id\":\"9\"}");
        if (run_lost(c, &t) != BACT_OK || strcmp(t.id, "9") != 0 ||
            t.outcome != BACT_RUN_RESENT ||
            count_in_sent("POST /v2/workflow/run-task ") != 2) {
            char msg[160];
            snprintf(msg, sizeof msg, "%s: taken as ours or not resent",
                     items[i]);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
}

/* The answer is lost 25 s after the request went out; the first look does
 * not list the task yet, the second does. Both looks measure from the run
 * request, not from the first look's own requests: adopted, not resent. */
static int32_t (*harness_recv)(void *, uint8_t *, size_t, uint32_t);
static int32_t late_reset_recv(void *p, uint8_t *b, size_t n, uint32_t t)
{
    t_io *io = (t_io *)p;
    if (io->idx < io->nsteps && io->steps[io->idx].kind == T_FAIL)
        io->now += 25000;
    return harness_recv(p, b, n, t);
}

static void reconcile_second_look(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    harness_recv = c->tr.recv;
    c->tr.recv = late_reset_recv;
    listed_at("10:17:55", "");
    listed_at("10:17:56", ITEM("777", WF, "2025-10-08T10:17:31Z",
                               "query=coffee; n=2"));
    ok("{\"id\":\"888\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "777");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 2);
}

/* The answer is lost after the whole call's time (call_ms) is over: no
 * lookup, not even a connection for one; the original error. */
static void reconcile_no_time_left(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    harness_recv = c->tr.recv;
    c->tr.recv = late_reset_recv;
    c->call_ms = 1000;
    listed(ITEM("777", WF, NOW, "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 0);
}

/* whatever cannot be told apart: the original error, nothing resent */
static void reconcile_unsure(void)
{
    static const char *const pages[] = {
        /* not newest first */
        ITEM("1", "9", "2025-10-08T10:17:52Z", "") ","
        ITEM("2", "9", NOW, ""),
        /* a creation time that is not one */
        ITEM("1", WF, "yesterday", "query=coffee; n=2"),
        /* not a task */
        "7",
        /* ours, with no id, or one too long */
        ITEM("", WF, NOW, "query=coffee; n=2"),
        ITEM("12345678901234567890123456789012345678901234567890", WF, NOW,
             "query=coffee; n=2"),
        "{\"id\":\"12345678901234567890123456789012345678901234567890\","
        "\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW "\","
        "\"input_parameters\":\"query=coffee; n=2\",\"profile_id\":\"p7\"}",
        /* ours, with a NUL in the id, or a profile id that is no whole
         * string or too long */
        ITEM("16\\u00007", WF, NOW, "query=coffee; n=2"),
        "{\"id\":\"8\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW
        "\",\"input_parameters\":\"query=coffee; n=2\","
        "\"profile_id\":\"p\\u0000q\"}",
        "{\"id\":\"8\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW
        "\",\"input_parameters\":\"query=coffee; n=2\",\"profile_id\":"
        "\"12345678901234567890123456789012345678901234567890\"}"
    };
    bact_task_created t;
    bact_client *c;
    size_t i;
    for (i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        c = lost_run();
        listed(pages[i]);
        CHECK_INT(run_lost(c, &t), BACT_E_NET);
        CHECK_INT(t.id[0], 0);
        CHECK_INT(t.profile_id[0], 0);
        CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    }
    /* no Date, a Date before the request, a page field of a wrong type,
     * an error answer */
    /* a NUL inside the input: not taken as ours; then no next page */
    c = lost_run();
    listed(ITEM("3", WF, NOW, "query=coffee\\u0000; n=2") ","
           ITEM("4", "9", NOW, ""));
    t_io_data(&IO, answer("500 Internal Server Error", "{}"));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 2);
    c = lost_run();
    ok("{\"items\":[]}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    c = lost_run();
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970 00:00:01 GMT\r\n"
                   "Content-Length: 12\r\n\r\n{\"items\":[]}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    c = lost_run();
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nDate: Wed, 08 Oct 2025 10:17:54 GMT\r\n"
                   "Content-Length: 24\r\n\r\n{\"items\":[],\"page\":\"1\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    /* the last page field too, our task listed beside it */
    c = lost_run();
    dated("10:17:54", "{\"items\":[" ITEM("8", WF, NOW, "query=coffee; n=2")
                      "],\"total_count\":\"1\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    c = lost_run();
    t_io_data(&IO, answer("500 Internal Server Error", "{}"));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    /* no list at all (none, null, or one inside another member, our task
     * in it; an answer that is no object, an empty array or a string,
     * whose fields do not read): no end of a list was seen, nothing is
     * resent */
    for (i = 0; i < 5u; i++) {
        static const char *const nolist[] = {
            "{\"page\":1}", "{\"page\":1,\"items\":null}",
            "{\"data\":{\"items\":[" ITEM("1", WF, NOW,
                                        "query=coffee; n=2") "]}}",
            "[]", "\"\""
        };
        c = lost_run();
        dated("10:17:54", nolist[i]);
        dated("10:17:55", nolist[i]);
        ok("{\"id\":\"9\"}");
        CHECK_INT(run_lost(c, &t), BACT_E_NET);
        CHECK_INT(t.id[0], 0);
        CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    }
    /* oldest first: a task older than the request, then ours. The rest
     * of the page is read before the older one ends the look */
    c = lost_run();
    for (i = 0; i < 2u; i++)
        listed(ITEM("1", WF, OLD, "query=coffee; n=2") ","
               ITEM("2", WF, NOW, "query=coffee; n=2"));
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
}

/* A listed task of ours without its id, its workflow_id or its
 * created_at cannot be told apart from ours: neither adopted, nor looked
 * past (a second look and a resend would follow) */
static void reconcile_item_members_required(void)
{
    static const char *const items[] = {
        "{\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW
        "\",\"input_parameters\":\"query=coffee; n=2\"}",
        "{\"id\":\"8\",\"created_at\":\"" NOW
        "\",\"input_parameters\":\"query=coffee; n=2\"}",
        "{\"id\":\"8\",\"workflow_id\":\"" WF
        "\",\"input_parameters\":\"query=coffee; n=2\"}",
    };
    size_t i;
    for (i = 0; i < sizeof items / sizeof items[0]; i++)
        (void)not_adopted(items[i]);
}

/* The lookup is a list-tasks call: safe to send again, so a 502 to it is
 * retried (the run request, which went out, is not) */
static void reconcile_lookup_retried(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    c->retries = 1;
    t_io_data(&IO, answer("502 Bad Gateway", "{}"));
    listed(ITEM("8", WF, NOW, "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "8");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 2);
}

/* An id as long as the field holds (BACT_ID_SIZE - 1 bytes) is adopted;
 * one byte longer does not fit: nothing taken, nothing resent. */
static void reconcile_id_size(void)
{
    char id[BACT_ID_SIZE + 1], item[256];
    bact_task_created t;
    bact_client *c;
    memset(id, '7', sizeof id - 1u);
    id[BACT_ID_SIZE - 1] = '\0';
    c = lost_run();
    snprintf(item, sizeof item, ITEM("%s", WF, NOW, "query=coffee; n=2"), id);
    listed(item);
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, id);
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    id[BACT_ID_SIZE - 1] = '7';
    id[BACT_ID_SIZE] = '\0';
    c = lost_run();
    snprintf(item, sizeof item, ITEM("%s", WF, NOW, "query=coffee; n=2"), id);
    listed(item);
    listed("");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
}

/* The moment the request went out, by the server's clock: its Date
 * (10:17:54) less the time elapsed here rounded up (1 s) less 2 s of
 * skew, 10:17:51. A task created then may be ours and is adopted; one a
 * second earlier is older than the request, and after a second look
 * that finds nothing either the request is sent again. */
static void reconcile_request_moment(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    listed(ITEM("51", WF, "2025-10-08T10:17:51Z", "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "51");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    c = lost_run();
    listed(ITEM("50", WF, "2025-10-08T10:17:50Z", "query=coffee; n=2"));
    listed("");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "9");
    CHECK_INT(t.outcome, BACT_RUN_RESENT);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 2);
    /* a whole second on the clock between the request and the look moves
     * that moment a second earlier: a task of 10:17:50 may be ours then */
    c = lost_run();
    t_io_add(&IO, T_LATE, NULL, 1000);
    listed(ITEM("50", WF, "2025-10-08T10:17:50Z", "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "50");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    /* a Date too early for that moment to be on the clock (2 s after
     * 1970 less 1 s elapsed less 2 s of skew): cannot tell, on the second
     * look too */
    c = lost_run();
    dated_on("Thu, 01 Jan 1970 00:00:02 GMT", "{\"items\":[]}");
    dated_on("Thu, 01 Jan 1970 00:00:02 GMT", "{\"items\":[]}");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 1);
    /* one second later it is (the moment is 0): an empty list, on the
     * second look too (later, after the back-off wait), and the request
     * is sent again */
    c = lost_run();
    dated_on("Thu, 01 Jan 1970 00:00:03 GMT", "{\"items\":[]}");
    dated_on("Thu, 01 Jan 1970 00:01:00 GMT", "{\"items\":[]}");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_INT(t.outcome, BACT_RUN_RESENT);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 2);
}

/* A listed task created after the server's Date (more than the 2 s of
 * skew) says the two clocks disagree: the moment the request went out,
 * taken from that Date, cannot be trusted either (a task of an hour ago
 * would pass for one made since), so nothing is adopted nor resent. A
 * task created up to 2 s after the Date is still adopted. */
static void reconcile_task_after_date(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    /* the Date an hour behind; our input's task of a minute ago */
    listed_at("09:17:54", ITEM("5", WF, "2025-10-08T10:17:00Z",
                               "query=coffee; n=2"));
    listed_at("09:17:55", ITEM("5", WF, "2025-10-08T10:17:00Z",
                               "query=coffee; n=2"));
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_STR(t.id, "");
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(bact_request_sent(c), 1);
    /* after another workflow's task that is newer still */
    c = lost_run();
    listed_at("09:17:54", ITEM("4", "99", "2025-10-08T10:17:30Z", "") ","
                          ITEM("5", WF, "2025-10-08T10:17:00Z",
                               "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_STR(t.id, "");
    /* 2 s after the Date: adopted; 3 s: not */
    c = lost_run();
    listed(ITEM("56", WF, "2025-10-08T10:17:56Z", "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "56");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    c = lost_run();
    listed(ITEM("57", WF, "2025-10-08T10:17:57Z", "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_STR(t.id, "");
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
}

/* At most 16 pages are looked through: ours on the 16th is found; 16
 * full pages of other workflows' tasks, and no 17th is asked for. */
static void reconcile_page_count(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    int i;
    for (i = 0; i < 15; i++)
        listed(ITEM("1", "99", NOW, "") "," ITEM("2", "99", NOW, ""));
    listed(ITEM("3", "99", NOW, "") ","
           ITEM("16", WF, NOW, "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "16");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK(strstr(sent(), "&page=16&limit=2 ") != NULL);
    c = lost_run();
    for (i = 0; i < 17; i++)
        listed(ITEM("1", "99", NOW, "") "," ITEM("2", "99", NOW, ""));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 16);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
}

/* A short page is the end of the list only when the page's own fields
 * do not say the list goes on: a server that gives pages of fewer tasks
 * than asked, or reports more pages or tasks, or another page than the
 * one asked for, leaves it open, and nothing is sent again */
static void reconcile_short_page_not_end(void)
{
    static const char *const pages[] = {
        "{\"page\":1,\"limit\":1,\"items\":[" ITEM("1", "99", NOW, "") "]}",
        "{\"page\":1,\"limit\":2,\"total_pages\":2,\"items\":["
            ITEM("1", "99", NOW, "") "]}",
        "{\"page\":1,\"limit\":2,\"total_count\":2,\"items\":["
            ITEM("1", "99", NOW, "") "]}",
        "{\"page\":3,\"limit\":2,\"items\":[" ITEM("1", "99", NOW, "") "]}"
    };
    bact_task_created t;
    unsigned k;
    for (k = 0; k < sizeof pages / sizeof pages[0]; k++) {
        bact_client *c = lost_run();
        dated("10:17:54", pages[k]);
        dated("10:17:55", pages[k]);
        ok("{\"id\":\"9\"}");
        CHECK_INT(run_lost(c, &t), BACT_E_NET);
        CHECK_INT(t.id[0], 0);
        if (count_in_sent("POST /v2/workflow/run-task ") != 1)
            t_fail_str(__FILE__, __LINE__, "sent again", pages[k], "");
    }
    /* the look goes on to the next page, where the task may be */
    {
        bact_client *c = lost_run();
        dated("10:17:54", "{\"page\":1,\"limit\":1,\"total_pages\":2,"
                          "\"items\":[" ITEM("1", "99", NOW, "") "]}");
        dated("10:17:54", "{\"page\":2,\"limit\":1,\"total_pages\":2,"
                          "\"items\":[" ITEM("16", WF, NOW,
                                              "query=coffee; n=2") "]}");
        CHECK_INT(run_lost(c, &t), BACT_OK);
        CHECK_STR(t.id, "16");
        CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
        CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    }
    /* fields that agree with a short page: the end, sent again */
    {
        bact_client *c = lost_run();
        static const char end[] =
            "{\"page\":1,\"limit\":2,\"total_pages\":1,\"total_count\":1,"
            "\"items\":[" ITEM("1", "99", NOW, "") "]}";
        dated("10:17:54", end);
        dated("10:17:55", end);
        ok("{\"id\":\"9\"}");
        CHECK_INT(run_lost(c, &t), BACT_OK);
        CHECK_STR(t.id, "9");
        CHECK_INT(t.outcome, BACT_RUN_RESENT);
    }
}

/* A timeout after the request went out: the task is looked for and
 * adopted when listed; when it is not, nothing is resent (the request
 * may still be on its way) and no second look is taken. */
static void reconcile_after_timeout(void)
{
    bact_task_created t;
    bact_client *c = begin();
    t_io_add(&IO, T_FAIL, NULL, (size_t)(long)BACT_E_TIMEOUT);
    listed(ITEM("5", WF, NOW, "query=coffee; n=2"));
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "5");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    c = begin();
    t_io_add(&IO, T_FAIL, NULL, (size_t)(long)BACT_E_TIMEOUT);
    listed("");
    listed("");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_TIMEOUT);
    CHECK_INT(t.id[0], 0);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 1);
    CHECK_INT(IO.slept, 0);
}

/* The connection could not be opened: nothing went out, so there is
 * nothing to look for (a task listed later is not this request's). */
static int (*harness_open)(void *, const char *, size_t, uint16_t, uint32_t);
static int open_fails_once(void *p, const char *h, size_t n, uint16_t port,
                           uint32_t t)
{
    if (((t_io *)p)->opens++ == 0)
        return BACT_E_NET;
    ((t_io *)p)->opens--;
    return harness_open(p, h, n, port, t);
}

static void reconcile_not_when_unsent(void)
{
    bact_task_created t;
    bact_client *c = begin();
    harness_open = c->tr.open;
    c->tr.open = open_fails_once;
    listed(ITEM("5", WF, NOW, "query=coffee; n=2"));
    ok("{\"id\":\"9\"}");
    (void)run_lost(c, &t);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 0);
    CHECK(t.outcome != BACT_RUN_ADOPTED);
}

/* Opens after the first opens_allowed fail (with 1: the run request goes
 * out, every lookup, and any retry of it, fails to connect). */
static unsigned opens_allowed;
static int open_upto(void *p, const char *h, size_t n, uint16_t port,
                     uint32_t t)
{
    if (((t_io *)p)->opens >= opens_allowed)
        return BACT_E_CONNECT;
    return harness_open(p, h, n, port, t);
}

static int open_never(void *p, const char *h, size_t n, uint16_t port,
                      uint32_t t)
{
    (void)p, (void)h, (void)n, (void)port, (void)t;
    return BACT_E_CONNECT;
}

/* bact_request_sent(): whether the failed call's request had gone out;
 * for a run, the run request's, not the lookups' after it. */
static void request_sent(void)
{
    bact_task_created t;
    bact_client *c;
    CHECK_INT(bact_request_sent(NULL), 0);
    /* the answer lost, the lookups unable to connect: the original error,
     * and the request was sent */
    c = lost_run();
    harness_open = c->tr.open;
    c->tr.open = open_upto;
    opens_allowed = 1;
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 0);
    CHECK_INT(bact_request_sent(c), 1);
    /* never connected: nothing went out */
    c = begin();
    c->tr.open = open_never;
    CHECK_INT(run_lost(c, &t), BACT_E_CONNECT);
    CHECK_INT(bact_request_sent(c), 0);
    /* an answer: sent */
    c = begin();
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_INT(bact_request_sent(c), 1);
}

/* The run request went out and its answer was lost; two looks found no
 * task, and the request sent again could not even connect: the call's
 * request still had gone out (the first one), so the tool's hint that a
 * task may exist is given. */
static void request_sent_resend_unsent(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    harness_open = c->tr.open;
    c->tr.open = open_upto;
    /* the run's connection and the lookups' (one each: Connection: close) */
    opens_allowed = 3;
    listed("");
    listed("");
    CHECK_INT(run_lost(c, &t), BACT_E_CONNECT);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 2);
    CHECK_INT(bact_request_sent(c), 1);
    CHECK_STR(t.id, "");
}

/* Sent again once at most: the second request's answer lost too, and
 * nothing listed again, the original error and two requests in all. */
static void reconcile_resends_once(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    listed("");
    listed("");
    t_io_add(&IO, T_FAIL, NULL, (size_t)(long)BACT_E_NET);
    listed("");
    listed("");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 2);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 4);
}

/* call_ms is bact_run_task()'s whole-call limit, lookups included: each
 * request takes 400 ms, the lookups find full pages of other workflows'
 * tasks, and the call ends (the original error, nothing resent) once
 * 1000 ms are over, not 1000 ms into each of up to 16 lookups. */
static int32_t (*harness_send)(void *, const uint8_t *, size_t, uint32_t);
static int32_t slow_send(void *p, const uint8_t *d, size_t n, uint32_t t)
{
    ((t_io *)p)->now += 400;
    return harness_send(p, d, n, t);
}

static void reconcile_within_call_ms(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    uint32_t t0 = IO.now;
    int i;
    harness_send = c->tr.send;
    c->tr.send = slow_send;
    c->call_ms = 1000;
    for (i = 0; i < 16; i++)
        listed(ITEM("1", "99", NOW, "") "," ITEM("2", "99", NOW, ""));
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK(count_in_sent("GET /v2/workflow/list-tasks?") <= 2);
    /* (the scripted send ignores its time limit: one may run over) */
    CHECK(IO.now - t0 <= 1400u);
    /* no second look (nor its back-off wait) that the limit cannot hold:
     * 200 ms are left after the first, the back-off step is 500 ms */
    c = lost_run();
    t0 = IO.now;
    c->tr.send = slow_send;
    c->call_ms = 1000;
    c->backoff_ms = 500;
    listed("");
    listed("");
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_E_NET);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 1);
    CHECK_INT(IO.slept, 0);
    CHECK_INT(IO.now - t0, 800);
    /* the next call has its own limit again (the clock has moved on: a
     * limit still counted from the run request would be over) */
    t_io_init(&IO, T_WHOLE);
    IO.now += 5000u;
    ok("{\"id\":\"9\",\"status\":\"running\"}");
    {
        bact_task_state st;
        CHECK_INT(bact_get_task_status(c, "9", &st), BACT_OK);
    }
}

static void run_template(void)
{
    bact_param p[] = { { "keyword", "a\"b" }, { "asin", "B0\xC3\xA9" } };
    bact_template_run_req rq;
    bact_task_created t;
    bact_client *c = begin();
    ok("{\"id\":\"16429034742537849\"}");
    memset(&rq, 0, sizeof rq);
    rq.template_id = "77638424152140851";
    rq.params = p;
    rq.n_params = 2;
    rq.proxy_region = "US";
    rq.callback_url = "https://example.com/cb";
    rq.status_callback_url = "http://example.org/st";
    CHECK_INT(bact_run_template(c, &rq, &t), BACT_OK);
    CHECK_STR(req_line(), "POST /v2/workflow/run-task-by-template HTTP/1.1");
    CHECK_STR(req_body(),
              "{\"workflow_template_id\":\"77638424152140851\","
              "\"proxyRegion\":\"US\","
              "\"input_parameters\":[{\"name\":\"keyword\",\"value\":\"a\\\"b\"},"
              "{\"name\":\"asin\",\"value\":\"B0\xC3\xA9\"}],"
              "\"callback_url\":\"https://example.com/cb\","
              "\"status_change_callback_url\":\"http://example.org/st\"}");
    check_content_length(__FILE__, __LINE__);
    CHECK(strstr(req_body(), "save_browser_data") == NULL);
    CHECK(strstr(req_body(), "profile_id") == NULL);
    CHECK_STR(t.id, "16429034742537849");

    /* no region, no params */
    c = begin();
    ok("{\"id\":\"2\",\"profileId\":\"p\"}");
    memset(&rq, 0, sizeof rq);
    rq.template_id = "77638424152140851";
    rq.proxy_region = "";
    CHECK_INT(bact_run_template(c, &rq, &t), BACT_OK);
    CHECK_STR(req_body(), "{\"workflow_template_id\":\"77638424152140851\"}");
    CHECK_STR(t.id, "2");
    CHECK_STR(t.profile_id, "p");

    /* an answer lost after the request went out is the call's error:
     * nothing sent again, no list looked at (bact.h) */
    c = lost_run();
    memset(&rq, 0, sizeof rq);
    rq.template_id = "77638424152140851";
    CHECK_INT(bact_run_template(c, &rq, &t), BACT_E_NET);
    CHECK_STR(t.id, "");
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task-by-template "), 1);
    CHECK(strstr(sent(), "list-tasks") == NULL);
    CHECK_INT(bact_request_sent(c), 1);
}

/* ------------------------------------------------------------------ */
/* get-task-status                                                      */
/* ------------------------------------------------------------------ */

static void task_status_words(void)
{
    static const char *const words[] = { "created", "running", "finished",
                                         "canceled", "pausing", "paused",
                                         "failed", "unknown" };
    char body[128];
    size_t i;
    for (i = 0; i < 8; i++) {
        bact_task_state st;
        bact_client *c = begin();
        snprintf(body, sizeof body, "{\"status\":\"%s\"}", words[i]);
        ok(body);
        CHECK_INT(bact_get_task_status(c, "16429034742537847", &st), BACT_OK);
        CHECK_INT(st.status, (int)i + 1);
        CHECK_STR(st.text, words[i]);
        CHECK_STR(bact_status_name(st.status), words[i]);
        CHECK_INT(bact_status_is_terminal(st.status),
                  i == 2 || i == 3 || i == 6);
        CHECK_STR(req_line(),
                  "GET /v2/workflow/get-task-status?task_id=16429034742537847"
                  " HTTP/1.1");
        CHECK(!has_header("Content-"));
    }
}

static void task_status_other_words(void)
{
    char word[BACT_STATUS_SIZE + 2], body[128];
    bact_task_state st;
    bact_client *c = begin();
    ok("{\"status\":\"stopped\",\"extra\":1}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_OTHER);
    CHECK_STR(st.text, "stopped");
    CHECK_STR(bact_status_name(st.status), "");

    /* the longest word that fits is kept; a longer one is a status still
     * (not terminal), its text cut to fit */
    memset(word, 'z', sizeof word);
    word[BACT_STATUS_SIZE - 1] = '\0';
    c = begin();
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", word);
    ok(body);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_OTHER);
    CHECK_STR(st.text, word);
    word[BACT_STATUS_SIZE - 1] = 'z';
    word[BACT_STATUS_SIZE] = '\0';
    c = begin();
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", word);
    ok(body);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_OTHER);
    CHECK_INT(strlen(st.text), BACT_STATUS_SIZE - 1);
    CHECK(memcmp(st.text, word, BACT_STATUS_SIZE - 1) == 0);
    /* a word cut to fit is cut where a character starts: a two-byte
     * character that would straddle the end goes whole */
    memset(word, 'z', sizeof word);
    word[BACT_STATUS_SIZE - 2] = '\xC3';
    word[BACT_STATUS_SIZE - 1] = '\xA9';
    word[BACT_STATUS_SIZE] = '\0';
    c = begin();
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", word);
    ok(body);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_OTHER);
    CHECK_INT(strlen(st.text), BACT_STATUS_SIZE - 2);
    CHECK(memcmp(st.text, word, BACT_STATUS_SIZE - 2) == 0);
    /* ... and one that starts with a known word is not that word */
    c = begin();
    ok("{\"status\":\"finished_but_with_a_long_suffix\"}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_OTHER);
    CHECK(strncmp(st.text, "finished_but_with_a_lon", BACT_STATUS_SIZE - 1) == 0);

    /* escapes are decoded before the word is compared */
    c = begin();
    ok("{\"status\":\"fin\\u0069shed\"}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_FINISHED);
}

static void task_status_shapes(void)
{
    static const char *const bad[] = {
        "{}", "{\"status\":null}", "{\"status\":3}", "{\"status\":[\"running\"]}",
        "[\"running\"]", "{\"Status\":\"running\"}", "null",
        /* a status word with a NUL is refused (bact.h), not read short */
        "{\"status\":\"run\\u0000ning\"}",
        "{\"status\":\"finished\\u0000\"}",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bact_task_state st;
        bact_client *c = begin();
        int rc;
        ok(bad[i]);
        rc = bact_get_task_status(c, "1", &st);
        if (rc != BACT_E_SHAPE && !(i == 6 && rc == BACT_E_JSON)) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s: rc %d", bad[i], rc);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    /* the task id is percent-encoded */
    {
        bact_task_state st;
        bact_client *c = begin();
        ok("{\"status\":\"running\"}");
        CHECK_INT(bact_get_task_status(c, "a b/c&d", &st), BACT_OK);
        CHECK_STR(req_line(),
                  "GET /v2/workflow/get-task-status?task_id=a%20b%2Fc%26d HTTP/1.1");
    }
}

/* ------------------------------------------------------------------ */
/* get-task                                                             */
/* ------------------------------------------------------------------ */

static const char full_task[] =
    "{\n"
    "  \"id\": \"16429034742537847\",\n"
    "  \"workflow_id\": \"16217357109956214\",\n"
    "  \"profile_id\": \"prof-0042\",\n"
    "  \"status\": \"failed\",\n"
    "  \"created_at\": \"2025-10-08T10:17:54Z\",\n"
    "  \"finished_at\": \"2025-10-08T10:20:01Z\",\n"
    "  \"input_parameters\": \"target_url=https://example.com; product_limit=10\",\n"
    "  \"output\": {\"string\": \"{\\\"rows\\\":[1,2]}\\u0000tail\",\n"
    "             \"files\": [\"https://files.example.com/a.csv\", null,\n"
    "                       \"https://files.example.com/b.json\"]},\n"
    "  \"task_failure_info\": {\"code\": 1011, \"message\": \"Navigation timeout\"},\n"
    "  \"live_url_info\": {\"width\": 1280, \"height\": 1024,\n"
    "                    \"live_url\": \"https://www.browseract.com/remote/abc\"},\n"
    "  \"live_url\": \"https://old.example.com/live\",\n"
    "  \"credit\": 12,\n"
    "  \"steps\": [\n"
    "    {\"id\": \"181973\", \"step\": 1, \"status\": \"succeed\",\n"
    "     \"evaluation_previous_goal\": \"Start\", \"step_goal\": \"Open the page\",\n"
    "     \"screenshots_url\": \"https://s.example.com/1.png\"},\n"
    "    {\"id\": \"181974\", \"step\": 2, \"status\": \"failed\",\n"
    "     \"evaluation_previous_goal\": \"Opened\", \"step_goal\": \"Extract\",\n"
    "     \"screenshots_url\": null, \"guid\": \"not-a-step-member\"}\n"
    "  ],\n"
    "  \"download_files\": [\n"
    "    {\"guid\": \"g-1\", \"fileName\": \"report.pdf\", \"fileSize\": 10485760,\n"
    "     \"status\": \"completed\", \"progress\": 100,\n"
    "     \"downloadUrl\": \"https://dl.example.com/r.pdf\",\n"
    "     \"downloadStartTime\": 1759918674000, \"downloadCompletedTime\": 1759918675000,\n"
    "     \"expiresAt\": 1760523475000, \"errorMessage\": null,\n"
    "     \"createTime\": 1759918674000},\n"
    "    {\"guid\": \"g-2\", \"status\": \"failed\", \"errorMessage\": \"Quota\"},\n"
    "    {\"fileName\": \"pending.csv\", \"progress\": 5}\n"
    "  ],\n"
    "  \"files_expires_at\": 1760523601000,\n"
    "  \"log_detail_url\": \"https://www.browseract.com/logs/16429034742537847\"\n"
    "}\n";

static void get_task_full(void)
{
    bact_task t;
    bact_step s;
    bact_download d;
    const char *str;
    bact_client *c = begin();
    ok(full_task);
    CHECK_INT(bact_get_task(c, "16429034742537847", &t), BACT_OK);
    CHECK_STR(req_line(),
              "GET /v2/workflow/get-task?task_id=16429034742537847 HTTP/1.1");
    CHECK_STR(t.id, "16429034742537847");
    CHECK_STR(t.workflow_id, "16217357109956214");
    CHECK_STR(t.profile_id, "prof-0042");
    CHECK_INT(t.state.status, BACT_STATUS_FAILED);
    CHECK_STR(t.state.text, "failed");
    CHECK_STR(t.created_at, "2025-10-08T10:17:54Z");
    CHECK_STR(t.finished_at, "2025-10-08T10:20:01Z");
    CHECK_STR(t.input_parameters,
              "target_url=https://example.com; product_limit=10");
    /* output.string holds a NUL: its length comes from the token */
    CHECK_INT(t.output_len, 19);
    CHECK(t.output != NULL &&
          memcmp(t.output, "{\"rows\":[1,2]}\0tail", 19) == 0);
    CHECK_STR(t.output, "{\"rows\":[1,2]}");
    CHECK_INT(t.output_files.count, 3);
    CHECK_INT(bact_string_at(c, &t.output_files, 0, &str), BACT_OK);
    CHECK_STR(str, "https://files.example.com/a.csv");
    CHECK_INT(bact_string_at(c, &t.output_files, 1, &str), BACT_OK);
    CHECK(str == NULL);
    CHECK_INT(bact_string_at(c, &t.output_files, 2, &str), BACT_OK);
    CHECK_STR(str, "https://files.example.com/b.json");
    CHECK_INT(bact_string_at(c, &t.output_files, 3, &str), BACT_E_ARG);
    CHECK_INT(t.failed_info, 1);
    CHECK_INT(t.failure_code, 1011);
    CHECK_STR(t.failure_message, "Navigation timeout");
    /* live_url_info wins over the deprecated live_url */
    CHECK_STR(t.live_url, "https://www.browseract.com/remote/abc");
    CHECK_INT(t.credit, 12);
    CHECK_INT(t.files_expires_at, 1760523601000LL);
    CHECK_STR(t.log_detail_url, "https://www.browseract.com/logs/16429034742537847");

    CHECK_INT(t.steps.count, 2);
    CHECK_INT(bact_step_at(c, &t.steps, 0, &s), BACT_OK);
    CHECK_STR(s.id, "181973");
    CHECK_INT(s.step, 1);
    CHECK_STR(s.status, "succeed");
    CHECK_STR(s.evaluation_previous_goal, "Start");
    CHECK_STR(s.step_goal, "Open the page");
    CHECK_STR(s.screenshots_url, "https://s.example.com/1.png");
    CHECK_INT(bact_step_at(c, &t.steps, 1, &s), BACT_OK);
    CHECK_STR(s.id, "181974");
    CHECK_INT(s.step, 2);
    CHECK_STR(s.status, "failed");
    CHECK_STR(s.evaluation_previous_goal, "Opened");
    CHECK_STR(s.step_goal, "Extract");
    CHECK(s.screenshots_url == NULL);
    CHECK_INT(bact_step_at(c, &t.steps, 2, &s), BACT_E_ARG);

    CHECK_INT(t.download_files.count, 3);
    CHECK_INT(bact_download_at(c, &t.download_files, 0, &d), BACT_OK);
    CHECK_STR(d.guid, "g-1");
    CHECK_STR(d.file_name, "report.pdf");
    CHECK_INT(d.file_size, 10485760);
    CHECK_STR(d.status, "completed");
    CHECK_INT(d.progress, 100);
    CHECK_STR(d.download_url, "https://dl.example.com/r.pdf");
    CHECK(d.error_message == NULL);
    CHECK_INT(d.expires_at, 1760523475000LL);
    CHECK_INT(bact_download_at(c, &t.download_files, 1, &d), BACT_OK);
    CHECK_STR(d.guid, "g-2");
    CHECK(d.file_name == NULL);
    CHECK_INT(d.file_size, -1);
    CHECK_INT(d.progress, 0);
    CHECK(d.download_url == NULL);
    CHECK_STR(d.error_message, "Quota");
    CHECK_INT(d.expires_at, -1);
    /* none of a download's members is required */
    CHECK_INT(bact_download_at(c, &t.download_files, 2, &d), BACT_OK);
    CHECK(d.guid == NULL);
    CHECK_STR(d.file_name, "pending.csv");
    CHECK(d.status == NULL);
    CHECK_INT(d.progress, 5);
    CHECK(d.error_message == NULL);
    CHECK_INT(bact_download_at(c, &t.download_files, 3, &d), BACT_E_ARG);
}

static void get_task_nulls(void)
{
    bact_task t;
    bact_client *c = begin();
    ok("{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\","
       "\"created_at\":\"2025-10-08T10:17:54Z\",\"steps\":[],"
       "\"output\":{\"string\":null,\"files\":null},\"task_failure_info\":null,"
       "\"live_url_info\":null,\"live_url\":null,\"finished_at\":null,"
       "\"credit\":null,\"download_files\":null,\"files_expires_at\":null,"
       "\"log_detail_url\":null,\"profile_id\":null,\"input_parameters\":null}");
    CHECK_INT(bact_get_task(c, "1", &t), BACT_OK);
    CHECK_INT(t.state.status, BACT_STATUS_RUNNING);
    CHECK(t.output == NULL);
    CHECK_INT(t.output_len, 0);
    CHECK_INT(t.output_files.tok, -1);
    CHECK_INT(t.output_files.count, 0);
    CHECK_INT(t.failed_info, 0);
    CHECK(t.failure_message == NULL);
    CHECK(t.live_url == NULL);
    CHECK(t.finished_at == NULL);
    CHECK_INT(t.credit, -1);
    CHECK_INT(t.files_expires_at, -1);
    CHECK(t.log_detail_url == NULL);
    CHECK(t.input_parameters == NULL);
    CHECK_STR(t.profile_id, "");
    CHECK_INT(t.steps.count, 0);
    CHECK(t.steps.tok >= 0);
    CHECK_INT(t.download_files.tok, -1);

    /* no live_url_info: the deprecated field is used; empty output */
    c = begin();
    ok("{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"finished\","
       "\"created_at\":\"x\",\"steps\":[],\"live_url\":\"https://old/l\","
       "\"live_url_info\":{\"width\":1,\"height\":1},"
       "\"output\":{\"string\":\"\",\"files\":[]}}");
    CHECK_INT(bact_get_task(c, "1", &t), BACT_OK);
    CHECK_STR(t.live_url, "https://old/l");
    CHECK_STR(t.output, "");
    CHECK_INT(t.output_len, 0);
    CHECK_INT(t.output_files.count, 0);
    CHECK(t.output_files.tok >= 0);
    CHECK_INT(t.credit, -1);
}

static void get_task_shapes(void)
{
    static const char *const bad[] = {
        /* steps is required for get-task */
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\"}",
        "{\"id\":1,\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[]}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":{}}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":5,\"steps\":[]}",
        /* id, workflow_id, status and created_at are required too */
        "{\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[]}",
        "{\"id\":\"1\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[]}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"created_at\":\"x\",\"steps\":[]}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"steps\":[]}",
        /* task_failure_info: code and message required, code an int32 */
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"task_failure_info\":{\"code\":1}}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"task_failure_info\":{\"message\":\"m\"}}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"task_failure_info\":{\"code\":2147483648,\"message\":\"m\"}}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"task_failure_info\":{\"code\":1.5,\"message\":\"m\"}}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"output\":{\"string\":5}}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"output\":[]}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"credit\":\"12\"}",
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\",\"created_at\":\"x\",\"steps\":[],"
        "\"live_url_info\":{\"live_url\":7}}",
        "[{\"id\":\"1\"}]",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bact_task t;
        bact_client *c = begin();
        int rc;
        ok(bad[i]);
        rc = bact_get_task(c, "1", &t);
        if (rc != BACT_E_SHAPE) {
            char msg[320];
            snprintf(msg, sizeof msg, "#%u %s: rc %d", (unsigned)i, bad[i], rc);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    /* a step without its required fields (id, step, status: each one
     * missing), or with a step number that is no int32 */
    {
        bact_task t;
        bact_step s;
        unsigned k;
        bact_client *c = begin();
        ok("{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\","
           "\"created_at\":\"x\",\"steps\":[{\"id\":\"9\"},5,"
           "{\"id\":\"9\",\"step\":\"1\",\"status\":\"running\"},"
           "{\"step\":1,\"status\":\"running\"},"
           "{\"id\":\"9\",\"status\":\"running\"},"
           "{\"id\":\"9\",\"step\":1},"
           "{\"id\":\"9\",\"step\":2147483648,\"status\":\"running\"},"
           "{\"id\":\"9\",\"step\":-2147483648,\"status\":\"running\"}]}");
        CHECK_INT(bact_get_task(c, "1", &t), BACT_OK);
        CHECK_INT(t.steps.count, 8);
        for (k = 0; k < 7u; k++) {
            int rc = bact_step_at(c, &t.steps, k, &s);
            if (rc != BACT_E_SHAPE)
                t_fail_int(__FILE__, __LINE__, "step refused", k, rc);
        }
        CHECK_INT(bact_step_at(c, &t.steps, 7, &s), BACT_OK);
        CHECK_INT(s.step, INT32_MIN);
        /* the other members are optional */
        CHECK(s.step_goal == NULL && s.evaluation_previous_goal == NULL);
    }
}

/* ------------------------------------------------------------------ */
/* list-tasks                                                           */
/* ------------------------------------------------------------------ */

static const char task_page[] =
    "{\"page\":2,\"limit\":500,\"items\":["
    "{\"id\":\"16429034742537847\",\"workflow_id\":\"16217357109956214\","
    "\"status\":\"finished\",\"created_at\":\"2025-10-08T10:17:54Z\","
    "\"finished_at\":\"2025-10-08T10:20:01Z\","
    "\"output\":{\"string\":\"done\",\"files\":[]},\"task_failure_info\":null,"
    "\"live_url_info\":null,\"profile_id\":\"\",\"credit\":3,"
    "\"input_parameters\":\"q=1\"},"
    "{\"id\":\"16429034742537848\",\"workflow_id\":\"16217357109956214\","
    "\"status\":\"failed\",\"created_at\":\"2025-10-08T11:00:00Z\","
    "\"task_failure_info\":{\"code\":1011,\"message\":\"Navigation timeout\"},"
    "\"steps\":[{\"id\":\"x\"}],\"log_detail_url\":\"u\"}"
    "],\"total_pages\":3,\"total_count\":1001}";

/* A copy of a client made after a call (a client returned by value) reads
 * its own answer: the cursor of the element readers is the original's
 * only, so the copy walks from the array's start and never writes through
 * the original (freed here: ASan would see it). */
static void copied_client_reads_elements(void)
{
    bact_task_query q;
    bact_page pg;
    bact_task t;
    bact_client *h, copy;
    (void)begin();
    h = malloc(sizeof *h);
    CHECK(h != NULL);
    if (h == NULL)
        return;
    *h = CL;
    ok(task_page);
    memset(&q, 0, sizeof q);
    CHECK_INT(bact_list_tasks(h, &q, &pg), BACT_OK);
    copy = *h;
    free(h);
    CHECK_INT(bact_task_at(&copy, &pg.items, 1, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537848");
    CHECK_INT(bact_task_at(&copy, &pg.items, 0, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537847");
}

static void list_tasks_query(void)
{
    bact_task_query q;
    bact_page pg;
    bact_client *c = begin();
    ok(task_page);
    memset(&q, 0, sizeof q);
    q.status = BACT_STATUS_RUNNING;
    q.workflow_id = "16217357109956214";
    q.workflow_name = "My bot & co/\xC3\xA9";
    q.created_from = "2024-01-01T00:00:00Z";
    q.created_to = "2024-12-31T23:59:59+01:00";
    q.page = 2;
    q.limit = 500;
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_OK);
    CHECK_STR(req_line(),
              "GET /v2/workflow/list-tasks?status=running"
              "&workflow_id=16217357109956214"
              "&workflow_name=My%20bot%20%26%20co%2F%C3%A9"
              "&created_at_from=2024-01-01T00%3A00%3A00Z"
              "&created_at_to=2024-12-31T23%3A59%3A59%2B01%3A00"
              "&page=2&limit=500 HTTP/1.1");
    CHECK(!has_header("Content-"));
    CHECK_INT(pg.page, 2);
    CHECK_INT(pg.limit, 500);
    CHECK_INT(pg.total_pages, 3);
    CHECK_INT(pg.total_count, 1001);
    CHECK_INT(pg.items.count, 2);

    /* defaults: page 1, limit 20, empty filters not sent */
    c = begin();
    ok("{\"page\":1,\"limit\":20,\"items\":[],\"total_pages\":0,\"total_count\":0}");
    memset(&q, 0, sizeof q);
    q.workflow_id = "";
    q.workflow_name = "";
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/list-tasks?page=1&limit=20 HTTP/1.1");
    CHECK_INT(pg.items.count, 0);
    CHECK_INT(pg.total_count, 0);

    /* the limits themselves are fine */
    c = begin();
    ok("{}");
    memset(&q, 0, sizeof q);
    q.status = BACT_STATUS_UNKNOWN;
    q.page = 2147483647;
    q.limit = 1;
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/list-tasks?status=unknown"
                          "&page=2147483647&limit=1 HTTP/1.1");
    CHECK_INT(pg.items.tok, -1);
}

static void list_tasks_bad_arguments(void)
{
    static const struct {
        int32_t page, limit;
        int status;
    } bad[] = {
        { 1, 501, 0 }, { -1, 20, 0 }, { 1, -1, 0 }, { -2147483647 - 1, 0, 0 },
        { 0, 2147483647, 0 }, { 1, 20, 9 }, { 1, 20, -1 },
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bact_task_query q;
        bact_page pg;
        bact_client *c = begin();
        memset(&q, 0, sizeof q);
        q.page = bad[i].page;
        q.limit = bad[i].limit;
        q.status = (bact_status)bad[i].status;
        CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_E_ARG);
        NOTHING_SENT();
    }
    {
        bact_page pg;
        bact_task_query q;
        bact_client *c = begin();
        memset(&q, 0, sizeof q);
        CHECK_INT(bact_list_tasks(c, NULL, &pg), BACT_E_ARG);
        CHECK_INT(bact_list_tasks(c, &q, NULL), BACT_E_ARG);
        CHECK_INT(bact_list_tasks(NULL, &q, &pg), BACT_E_ARG);
        NOTHING_SENT();
    }
}

static void list_tasks_date_filters(void)
{
    static const char *const bad[] = {
        "yesterday", "2024-01-01", "2024-01-01T00:00:00", "2024-1-01T00:00:00Z",
        "2024-01-01T00:00:00ZZ", "2024-01-01T00:00:00.Z", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00+0200", "2024-01-01T00:00:00+02:0",
        /* the shape, but no such moment */
        "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T00:00:00+24:00", "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00+00:01",
        /* a date-time of 65 bytes (the check's bound), then more */
        "2024-01-01T00:00:00.00000000000000000000000000000000000000000000Z"
        "junk",
        /* one of 64 bytes that exists, then more: refused, not read as
         * far as the bound and sent whole */
        "2024-01-01T00:00:00.0000000000000000000000000000000000000000000Z"
        "junk"
    };
    static const char *const good[] = {
        "2024-01-01T00:00:00Z", "2024-01-01t23:59:59z",
        "2024-01-01T00:00:00.123456Z", "2024-01-01T00:00:00-05:30",
        "2024-02-29T00:00:00Z", "2105-12-31T23:59:60Z",
        /* 64 bytes, the most taken */
        "2024-01-01T00:00:00.0000000000000000000000000000000000000000000Z"
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bact_task_query q;
        bact_page pg;
        bact_client *c = begin();
        memset(&q, 0, sizeof q);
        q.created_from = bad[i];
        CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_E_ARG);
        q.created_from = NULL;
        q.created_to = bad[i];
        CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_E_ARG);
        NOTHING_SENT();
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        bact_task_query q;
        bact_page pg;
        bact_client *c = begin();
        ok("{}");
        memset(&q, 0, sizeof q);
        q.created_to = good[i];
        CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_OK);
    }
}

static void list_tasks_items(void)
{
    bact_task_query q;
    bact_page pg;
    bact_task t;
    bact_client *c = begin();
    ok(task_page);
    memset(&q, 0, sizeof q);
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_OK);
    CHECK_INT(bact_task_at(c, &pg.items, 0, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537847");
    CHECK_STR(t.workflow_id, "16217357109956214");
    CHECK_INT(t.state.status, BACT_STATUS_FINISHED);
    CHECK_STR(t.created_at, "2025-10-08T10:17:54Z");
    CHECK_STR(t.finished_at, "2025-10-08T10:20:01Z");
    CHECK_STR(t.output, "done");
    CHECK_INT(t.output_len, 4);
    CHECK_INT(t.output_files.count, 0);
    CHECK_INT(t.failed_info, 0);
    CHECK_INT(t.credit, 3);
    CHECK_STR(t.input_parameters, "q=1");
    CHECK_STR(t.profile_id, "");
    CHECK_INT(t.steps.tok, -1); /* a list item has none */
    CHECK_INT(t.download_files.tok, -1);
    CHECK_INT(t.files_expires_at, -1);
    CHECK(t.log_detail_url == NULL);
    CHECK_INT(bact_task_at(c, &pg.items, 1, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537848");
    CHECK_INT(t.state.status, BACT_STATUS_FAILED);
    CHECK_INT(t.failed_info, 1);
    CHECK_INT(t.failure_code, 1011);
    CHECK_STR(t.failure_message, "Navigation timeout");
    CHECK(t.output == NULL);
    CHECK_INT(t.steps.tok, -1);
    CHECK(t.log_detail_url == NULL);
    CHECK_INT(bact_task_at(c, &pg.items, 2, &t), BACT_E_ARG);

    /* items that are not tasks */
    c = begin();
    ok("{\"items\":[{\"id\":\"1\"},7]}");
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_OK);
    CHECK_INT(bact_task_at(c, &pg.items, 0, &t), BACT_E_SHAPE);
    CHECK_INT(bact_task_at(c, &pg.items, 1, &t), BACT_E_SHAPE);
    /* items not an array; a page field of the wrong type */
    c = begin();
    ok("{\"items\":{}}");
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_E_SHAPE);
    c = begin();
    ok("{\"items\":[],\"total_count\":\"3\"}");
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_E_SHAPE);
    c = begin();
    ok("[]");
    CHECK_INT(bact_list_tasks(c, &q, &pg), BACT_E_SHAPE);
}

/* ------------------------------------------------------------------ */
/* stop-task / resume-task                                              */
/* ------------------------------------------------------------------ */

static void stop_and_resume(void)
{
    int32_t biz = 101, neg = -5;
    bact_client *c = begin();
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    CHECK_INT(bact_stop_task(c, "16429034742537847", NULL), BACT_OK);
    CHECK_STR(sent(), "PUT /v2/workflow/stop-task?task_id=16429034742537847 HTTP/1.1\r\n"
                      "Host: api.browseract.com\r\n"
                      "User-Agent: " BACT_USER_AGENT "\r\n"
                      "Authorization: Bearer app-abcdefghijklmn\r\n"
                      "Content-Length: 0\r\n" /* no body, said so */
                      "\r\n");

    c = begin();
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    CHECK_INT(bact_stop_task(c, "16429034742537847", &biz), BACT_OK);
    CHECK_STR(req_line(), "PUT /v2/workflow/stop-task?task_id=16429034742537847"
                          "&biz_code=101 HTTP/1.1");
    CHECK(!has_header("Content-Type"));
    CHECK(has_header("Content-Length: 0\r\n"));

    c = begin();
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    CHECK_INT(bact_stop_task(c, "1", &neg), BACT_OK);
    CHECK_STR(req_line(), "PUT /v2/workflow/stop-task?task_id=1&biz_code=-5 HTTP/1.1");

    c = begin();
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    CHECK_INT(bact_resume_task(c, "16429034742537847"), BACT_OK);
    CHECK_STR(req_line(),
              "PUT /v2/workflow/resume-task?task_id=16429034742537847 HTTP/1.1");
    CHECK(!has_header("Content-Type"));
    CHECK(has_header("Content-Length: 0\r\n"));

    /* a 200 with a non-envelope body is fine; with an envelope it is not */
    c = begin();
    ok("{}");
    CHECK_INT(bact_stop_task(c, "1", NULL), BACT_OK);
    /* a body that is not JSON, or none, is no error */
    c = begin();
    ok("stopped");
    CHECK_INT(bact_stop_task(c, "1", NULL), BACT_OK);
    CHECK_INT(bact_last_error(c)->http_status, 0);
    c = begin();
    ok("");
    CHECK_INT(bact_resume_task(c, "1"), BACT_OK);
    /* in raw mode the envelope is still an error */
    c = begin();
    bact_set_raw(c, 1);
    ok("{\"code\":10121,\"msg\":\"Task has completed.\"}");
    CHECK_INT(bact_stop_task(c, "1", NULL), BACT_E_API);
    CHECK_INT(bact_last_error(c)->code, 10121);
    /* the answer to a stop that went out is lost (a reset): the retry
     * finds the task ended, 10121, which may be the first one's doing; as
     * bact.h says, the call reports the retry's error, with a retry used
     * and the request sent, for the caller to look at the task */
    c = begin();
    c->retries = 1;
    t_io_add(&IO, T_FAIL, NULL, (size_t)BACT_E_NET);
    t_io_data(&IO, answer("400 Bad Request",
                          "{\"code\":10121,\"msg\":\"Task has completed.\"}"));
    CHECK_INT(bact_stop_task(c, "1", NULL), BACT_E_API);
    CHECK_INT(bact_last_error(c)->code, 10121);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(bact_request_sent(c), 1);
    CHECK_INT(IO.opens, 2);
    /* resume alike: 10127, the task no longer paused */
    c = begin();
    c->retries = 1;
    t_io_add(&IO, T_FAIL, NULL, (size_t)BACT_E_NET);
    t_io_data(&IO, answer("400 Bad Request",
                          "{\"code\":10127,\"msg\":\"Task resume only use for "
                          "paused task\"}"));
    CHECK_INT(bact_resume_task(c, "1"), BACT_E_API);
    CHECK_INT(bact_last_error(c)->code, 10127);
    CHECK_INT(bact_retries_used(c), 1);
    c = begin();
    ok("{\"code\":10121,\"msg\":\"Task has completed.\",\"traceId\":\"t1\"}");
    CHECK_INT(bact_stop_task(c, "1", NULL), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 200);
    CHECK_INT(bact_last_error(c)->code, 10121);
    c = begin();
    t_io_data(&IO, answer("400 Bad Request",
                          "{\"code\":10127,\"msg\":\"Task resume only use for paused "
                          "task\",\"data\":null,\"traceId\":\"t2\"}"));
    CHECK_INT(bact_resume_task(c, "1"), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 400);
    CHECK_INT(bact_last_error(c)->has_code, 1);
    CHECK_INT(bact_last_error(c)->code, 10127);
    CHECK_STR(bact_last_error(c)->msg, "Task resume only use for paused task");
    CHECK_STR(bact_last_error(c)->trace_id, "t2");
    /* 204 is an empty success too */
    c = begin();
    t_io_data(&IO, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    CHECK_INT(bact_resume_task(c, "1"), BACT_OK);
}

/* ------------------------------------------------------------------ */
/* Error answers                                                        */
/* ------------------------------------------------------------------ */

static void error_envelope_400(void)
{
    const bact_api_error *e;
    bact_task_state st;
    bact_client *c = begin();
    t_io_data(&IO, answer("400 Bad Request",
                          "{\"code\":10112,\"msg\":\"Task is not exist.\","
                          "\"data\":null,\"ts\":1759917250000,"
                          "\"time\":\"2025-10-08 09:54:10\","
                          "\"traceId\":\"8f2a6c1d9e\"}"));
    CHECK_INT(bact_get_task_status(c, "404", &st), BACT_E_API);
    e = bact_last_error(c);
    CHECK_INT(e->http_status, 400);
    CHECK_INT(e->has_code, 1);
    CHECK_INT(e->code, 10112);
    CHECK_STR(e->msg, "Task is not exist.");
    CHECK_STR(e->trace_id, "8f2a6c1d9e");
    CHECK_INT(st.status, BACT_STATUS_OTHER);

    /* the same for 401 */
    c = begin();
    t_io_data(&IO, answer("401 Unauthorized",
                          "{\"code\":401,\"msg\":\"Invalid authorization\"}"));
    {
        bact_page pg;
        CHECK_INT(bact_list_workflows(c, 0, 0, &pg), BACT_E_API);
    }
    e = bact_last_error(c);
    CHECK_INT(e->http_status, 401);
    CHECK_INT(e->code, 401);
    CHECK_STR(e->msg, "Invalid authorization");
    CHECK(e->trace_id == NULL);

    /* a success afterwards clears the error */
    c = begin();
    t_io_data(&IO, answer("400 Bad Request", "{\"code\":1,\"msg\":\"m\"}"));
    ok("{\"status\":\"running\"}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(bact_last_error(c)->http_status, 0);
    CHECK_INT(bact_last_error(c)->has_code, 0);
    CHECK(bact_last_error(c)->msg == NULL);
}

static void error_envelope_on_200(void)
{
    bact_task_created t;
    bact_run_req rq;
    bact_client *c = begin();
    ok("{\"code\":10118,\"msg\":\"Running tasks number exceeds.\",\"data\":null,"
       "\"traceId\":\"x\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "1";
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 200);
    CHECK_INT(bact_last_error(c)->code, 10118);
    CHECK_STR(bact_last_error(c)->msg, "Running tasks number exceeds.");
    CHECK_STR(t.id, "");
    /* code 0 is no error */
    c = begin();
    ok("{\"code\":0,\"msg\":\"ok\",\"id\":\"5\"}");
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(t.id, "5");
}

/* The twelve calls, each with what its endpoint entry says: the request
 * line, a 200 that is an error envelope (an error), a 200 that is not
 * JSON (no error only where any 2xx body will do), and a 502 (retried
 * only where resending is safe). */
static const struct ep_case {
    const char *line, *good;
    int idempotent, any_body;
} ep_cases[] = {
    { "GET /v2/workflow/get-task-status?task_id=1 HTTP/1.1",
      "{\"status\":\"running\"}", 1, 0 },
    { "GET /v2/workflow/get-task?task_id=1 HTTP/1.1",
      "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\","
      "\"created_at\":\"x\",\"steps\":[]}", 1, 0 },
    { "GET /v2/workflow/list-tasks?page=1&limit=20 HTTP/1.1", "{\"items\":[]}",
      1, 0 },
    { "PUT /v2/workflow/stop-task?task_id=1 HTTP/1.1", "", 1, 1 },
    { "PUT /v2/workflow/resume-task?task_id=1 HTTP/1.1", "", 1, 1 },
    { "GET /v2/workflow/list-workflows?page=1&limit=20 HTTP/1.1", "{}", 1, 0 },
    { "GET /v2/workflow/get-workflow?workflow_id=1 HTTP/1.1", "{}", 1, 0 },
    { "GET /v2/workflow/list-official-workflow-templates?page=1&limit=20 "
      "HTTP/1.1", "{}", 1, 0 },
    { "GET /v2/workflow/get-official-workflow-template"
      "?workflow_template_id=1 HTTP/1.1",
      "{\"recommendDesc\":\"r\",\"detailUrl\":\"u\"}", 1, 0 },
    { "GET /v2/workflow/get-region-list HTTP/1.1", "[]", 1, 0 },
    { "POST /v2/workflow/run-task HTTP/1.1", "{\"id\":\"9\"}", 0, 0 },
    { "POST /v2/workflow/run-task-by-template HTTP/1.1", "{\"id\":\"9\"}", 0,
      0 },
};

static int ep_call(bact_client *c, unsigned k)
{
    static bact_task_state st;
    static bact_task t;
    static bact_page pg;
    static bact_workflow w;
    static bact_array a;
    static bact_task_created tc;
    bact_task_query q;
    bact_run_req rq;
    bact_template_run_req tr;
    memset(&q, 0, sizeof q);
    memset(&rq, 0, sizeof rq);
    memset(&tr, 0, sizeof tr);
    rq.workflow_id = tr.template_id = "1";
    switch (k) {
    case 0: return bact_get_task_status(c, "1", &st);
    case 1: return bact_get_task(c, "1", &t);
    case 2: return bact_list_tasks(c, &q, &pg);
    case 3: return bact_stop_task(c, "1", NULL);
    case 4: return bact_resume_task(c, "1");
    case 5: return bact_list_workflows(c, 0, 0, &pg);
    case 6: return bact_get_workflow(c, "1", &w);
    case 7: return bact_list_templates(c, NULL, 0, 0, &pg);
    case 8: return bact_get_template(c, "1", &w);
    case 9: return bact_get_regions(c, &a);
    case 10: return bact_run_task(c, &rq, &tc);
    default: return bact_run_template(c, &tr, &tc);
    }
}

static void every_endpoint_answers(void)
{
    unsigned k;
    for (k = 0; k < sizeof ep_cases / sizeof ep_cases[0]; k++) {
        const struct ep_case *e = &ep_cases[k];
        char what[160];
        int rc;
        bact_client *c = begin();
        snprintf(what, sizeof what, "#%u %.60s", k, e->line);
        ok(e->good);
        rc = ep_call(c, k);
        if (rc != BACT_OK || strcmp(req_line(), e->line) != 0)
            t_fail_str(__FILE__, __LINE__, what, req_line(), e->line);
        /* an error envelope on a 200 */
        c = begin();
        ok("{\"code\":10112,\"msg\":\"Task is not exist.\"}");
        rc = ep_call(c, k);
        if (rc != BACT_E_API || bact_last_error(c)->code != 10112 ||
            bact_last_error(c)->http_status != 200)
            t_fail_int(__FILE__, __LINE__, what, rc, BACT_E_API);
        /* a 200 that is not JSON */
        c = begin();
        ok("<html>busy</html>");
        rc = ep_call(c, k);
        if (rc != (e->any_body ? BACT_OK : BACT_E_JSON))
            t_fail_int(__FILE__, __LINE__, what, rc,
                       e->any_body ? BACT_OK : BACT_E_JSON);
        /* a 502, then the answer: sent again only when that is safe */
        c = begin();
        c->retries = 1;
        t_io_data(&IO, answer("502 Bad Gateway", "{}"));
        ok(e->good);
        rc = ep_call(c, k);
        if (rc != (e->idempotent ? BACT_OK : BACT_E_API) ||
            IO.opens != (e->idempotent ? 2 : 1))
            t_fail_int(__FILE__, __LINE__, what, rc, (long long)IO.opens);
    }
}

static void error_redirect_and_non_json(void)
{
    bact_task_state st;
    bact_client *c = begin();
    t_io_data(&IO, "HTTP/1.1 302 Found\r\nLocation: https://evil.example.com/\r\n"
                   "Connection: close\r\nContent-Length: 0\r\n\r\n");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 302);
    CHECK_INT(bact_last_error(c)->has_code, 0);
    CHECK_INT(IO.opens, 1); /* not followed */

    c = begin();
    t_io_data(&IO, answer("500 Internal Server Error",
                          "<html><body>Internal error</body></html>"));
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 500);
    CHECK_INT(bact_last_error(c)->has_code, 0);
    CHECK(bact_last_error(c)->msg == NULL);
    CHECK(bact_last_error(c)->trace_id == NULL);
    {
        size_t n;
        const uint8_t *b = bact_body(c, &n);
        CHECK_INT(n, 40);
        CHECK(memcmp(b, "<html>", 6) == 0);
    }
    /* a JSON error body that is not an envelope */
    c = begin();
    t_io_data(&IO, answer("500 Internal Server Error", "{\"error\":\"x\"}"));
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->has_code, 0);
    /* a 200 that is not JSON */
    c = begin();
    ok("not json");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_JSON);
}

/* ------------------------------------------------------------------ */
/* Workflows, templates, regions                                        */
/* ------------------------------------------------------------------ */

static void workflows(void)
{
    bact_page pg;
    bact_workflow w;
    bact_input_def d;
    bact_client *c = begin();
    ok("{\"page\":1,\"limit\":20,\"items\":["
       "{\"id\":\"16217357109956214\",\"name\":\"Coffee finder\","
       "\"description\":\"Finds coffee\",\"create_at\":\"2025-09-01T00:00:00Z\","
       "\"publish_at\":\"2025-09-02T00:00:00Z\",\"recommendDesc\":\"Coffee\","
       "\"detailUrl\":\"https://www.browseract.com/workflow/1\"},"
       "{\"id\":\"16217357109956215\",\"name\":\"Second\",\"description\":null,"
       "\"create_at\":null,\"publish_at\":null}],"
       "\"total_pages\":1,\"total_count\":2}");
    CHECK_INT(bact_list_workflows(c, 0, 0, &pg), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/list-workflows?page=1&limit=20 HTTP/1.1");
    CHECK_INT(pg.items.count, 2);
    CHECK_INT(pg.total_count, 2);
    CHECK_INT(bact_workflow_at(c, &pg.items, 0, &w), BACT_OK);
    CHECK_STR(w.id, "16217357109956214");
    CHECK_STR(w.name, "Coffee finder");
    CHECK_STR(w.description, "Finds coffee");
    CHECK_STR(w.create_at, "2025-09-01T00:00:00Z");
    CHECK_STR(w.publish_at, "2025-09-02T00:00:00Z");
    CHECK_STR(w.recommend_desc, "Coffee");
    CHECK_STR(w.detail_url, "https://www.browseract.com/workflow/1");
    CHECK_INT(w.input_parameters.tok, -1);
    CHECK_INT(bact_workflow_at(c, &pg.items, 1, &w), BACT_OK);
    CHECK_STR(w.id, "16217357109956215");
    CHECK(w.description == NULL);
    CHECK(w.create_at == NULL);
    CHECK_INT(bact_workflow_at(c, &pg.items, 2, &w), BACT_E_ARG);

    c = begin();
    ok("{}");
    CHECK_INT(bact_list_workflows(c, 3, 500, &pg), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/list-workflows?page=3&limit=500 HTTP/1.1");
    c = begin();
    CHECK_INT(bact_list_workflows(c, 1, 501, &pg), BACT_E_ARG);
    CHECK_INT(bact_list_workflows(c, -1, 10, &pg), BACT_E_ARG);
    CHECK_INT(bact_list_workflows(c, 1, 10, NULL), BACT_E_ARG);
    NOTHING_SENT();

    c = begin();
    ok("{\"id\":\"16217357109956214\",\"name\":\"Coffee finder\","
       "\"description\":\"d\",\"create_at\":\"2025-09-01T00:00:00Z\","
       "\"publish_at\":\"2025-09-02T00:00:00Z\",\"input_parameters\":["
       "{\"name\":\"query\",\"default_enabled\":false,\"name\":\"again\"},"
       "{\"name\":\"limit\",\"default_enabled\":true},"
       "{\"name\":\"region\"},"
       "{\"default_enabled\":true},"
       "{\"name\":\"x\",\"default_enabled\":\"yes\"}]}");
    CHECK_INT(bact_get_workflow(c, "16217357109956214", &w), BACT_OK);
    CHECK_STR(req_line(),
              "GET /v2/workflow/get-workflow?workflow_id=16217357109956214 HTTP/1.1");
    CHECK_STR(w.id, "16217357109956214");
    CHECK_STR(w.name, "Coffee finder");
    CHECK_INT(w.input_parameters.count, 5);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 0, &d), BACT_OK);
    CHECK_STR(d.name, "query");
    CHECK_INT(d.default_enabled, 0);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 1, &d), BACT_OK);
    CHECK_STR(d.name, "limit");
    CHECK_INT(d.default_enabled, 1);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 2, &d), BACT_OK);
    CHECK_STR(d.name, "region");
    CHECK_INT(d.default_enabled, 0);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 3, &d), BACT_E_SHAPE);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 4, &d), BACT_E_SHAPE);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 5, &d), BACT_E_ARG);

    /* none of a workflow's members is required */
    c = begin();
    ok("{}");
    CHECK_INT(bact_get_workflow(c, "1", &w), BACT_OK);
    CHECK_STR(w.id, "");
    CHECK(w.name == NULL && w.detail_url == NULL);
    c = begin();
    ok("{\"id\":16217357109956214}");
    CHECK_INT(bact_get_workflow(c, "1", &w), BACT_E_SHAPE);
    c = begin();
    ok("[]");
    CHECK_INT(bact_get_workflow(c, "1", &w), BACT_E_SHAPE);
}

static void templates(void)
{
    bact_page pg;
    bact_workflow w;
    bact_input_def d;
    bact_client *c = begin();
    ok("{\"page\":1,\"limit\":20,\"items\":["
       "{\"templateId\":\"77638424152140851\",\"name\":\"Amazon price\","
       "\"recommendDesc\":\"Track prices\","
       "\"detailUrl\":\"https://www.browseract.com/template/77638424152140851\","
       "\"id\":\"not-the-template-id\","
       "\"input_parameters\":[{\"name\":\"asin\",\"default_enabled\":true}]},"
       "{\"id\":\"77638424152140852\",\"name\":\"No templateId\","
       "\"recommendDesc\":\"r\",\"detailUrl\":\"u\"},"
       "{\"templateId\":\"3\",\"recommendDesc\":\"r\",\"detailUrl\":\"u\"}],"
       "\"total_pages\":1,\"total_count\":2}");
    CHECK_INT(bact_list_templates(c, "amazon price & stock/\xC3\xA9", 0, 0, &pg),
              BACT_OK);
    CHECK_STR(req_line(),
              "GET /v2/workflow/list-official-workflow-templates"
              "?keyword=amazon%20price%20%26%20stock%2F%C3%A9&page=1&limit=20 HTTP/1.1");
    CHECK_INT(pg.items.count, 3);
    CHECK_INT(bact_template_at(c, &pg.items, 0, &w), BACT_OK);
    /* a list item's template id is its templateId, not an id */
    CHECK_STR(w.id, "77638424152140851");
    CHECK_STR(w.name, "Amazon price");
    CHECK_STR(w.recommend_desc, "Track prices");
    CHECK_STR(w.detail_url, "https://www.browseract.com/template/77638424152140851");
    CHECK(w.description == NULL);
    CHECK_INT(w.input_parameters.count, 1);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 0, &d), BACT_OK);
    CHECK_STR(d.name, "asin");
    CHECK_INT(d.default_enabled, 1);
    /* templateId and name are required in a list item */
    CHECK_INT(bact_template_at(c, &pg.items, 1, &w), BACT_E_SHAPE);
    CHECK_INT(bact_template_at(c, &pg.items, 2, &w), BACT_E_SHAPE);
    CHECK_INT(bact_template_at(c, &pg.items, 3, &w), BACT_E_ARG);

    c = begin();
    ok("{}");
    CHECK_INT(bact_list_templates(c, NULL, 2, 7, &pg), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/list-official-workflow-templates"
                          "?page=2&limit=7 HTTP/1.1");
    c = begin();
    ok("{}");
    CHECK_INT(bact_list_templates(c, "", 0, 0, &pg), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/list-official-workflow-templates"
                          "?page=1&limit=20 HTTP/1.1");
    c = begin();
    CHECK_INT(bact_list_templates(c, "x", 0, 501, &pg), BACT_E_ARG);
    CHECK_INT(bact_list_templates(c, "x", -3, 0, &pg), BACT_E_ARG);
    NOTHING_SENT();

    c = begin();
    ok("{\"id\":\"77638424152140851\",\"name\":\"Amazon price\","
       "\"description\":\"desc\",\"recommendDesc\":\"Track\","
       "\"detailUrl\":\"https://www.browseract.com/template/77638424152140851\","
       "\"create_at\":\"2025-01-01T00:00:00Z\",\"publish_at\":\"2025-01-02T00:00:00Z\","
       "\"input_parameters\":[{\"name\":\"asin\",\"default_enabled\":false}],"
       "\"recommendDesc\":\"named twice\"}");
    CHECK_INT(bact_get_template(c, "77638424152140851", &w), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/get-official-workflow-template"
                          "?workflow_template_id=77638424152140851 HTTP/1.1");
    CHECK_STR(w.id, "77638424152140851");
    CHECK_STR(w.name, "Amazon price");
    CHECK_STR(w.description, "desc");
    CHECK_STR(w.recommend_desc, "Track"); /* of a member named twice, the first */
    CHECK_STR(w.detail_url, "https://www.browseract.com/template/77638424152140851");
    CHECK_STR(w.create_at, "2025-01-01T00:00:00Z");
    CHECK_INT(w.input_parameters.count, 1);
    CHECK_INT(bact_input_def_at(c, &w.input_parameters, 0, &d), BACT_OK);
    CHECK_STR(d.name, "asin");
    CHECK_STR(w.publish_at, "2025-01-02T00:00:00Z");
    /* recommendDesc and detailUrl are required here, the rest is not */
    c = begin();
    ok("{\"recommendDesc\":\"r\",\"detailUrl\":\"u\"}");
    CHECK_INT(bact_get_template(c, "7", &w), BACT_OK);
    CHECK_STR(w.id, "");
    CHECK(w.name == NULL);
    CHECK_STR(w.recommend_desc, "r");
    CHECK_STR(w.detail_url, "u");
    c = begin();
    ok("{\"id\":\"7\",\"name\":\"n\",\"detailUrl\":\"u\"}");
    CHECK_INT(bact_get_template(c, "7", &w), BACT_E_SHAPE);
    c = begin();
    ok("{\"id\":\"7\",\"name\":\"n\",\"recommendDesc\":\"r\"}");
    CHECK_INT(bact_get_template(c, "7", &w), BACT_E_SHAPE);
}

/* The page fields of the three lists: each read (in an order that is not
 * the struct's), each an int32. */
static int list_page(bact_client *c, unsigned which, bact_page *pg)
{
    bact_task_query q;
    memset(&q, 0, sizeof q);
    return which == 0u   ? bact_list_tasks(c, &q, pg)
           : which == 1u ? bact_list_workflows(c, 0, 0, pg)
                         : bact_list_templates(c, NULL, 0, 0, pg);
}

static void page_fields(void)
{
    static const char *const big[] = {
        "{\"items\":[],\"page\":2147483648}",
        "{\"items\":[],\"limit\":2147483648}",
        "{\"items\":[],\"total_pages\":2147483648}",
        "{\"items\":[],\"total_count\":2147483648}",
    };
    unsigned which, k;
    for (which = 0; which < 3u; which++) {
        bact_page pg;
        bact_client *c = begin();
        ok("{\"total_count\":1001,\"total_pages\":3,\"items\":[{},{}],"
           "\"limit\":500,\"page\":2}");
        CHECK_INT(list_page(c, which, &pg), BACT_OK);
        CHECK_INT(pg.page, 2);
        CHECK_INT(pg.limit, 500);
        CHECK_INT(pg.total_pages, 3);
        CHECK_INT(pg.total_count, 1001);
        CHECK_INT(pg.items.count, 2);
        for (k = 0; k < sizeof big / sizeof big[0]; k++) {
            int rc;
            c = begin();
            ok(big[k]);
            rc = list_page(c, which, &pg);
            if (rc != BACT_E_SHAPE)
                t_fail_str(__FILE__, __LINE__, "not refused", big[k], "");
        }
    }
}

static void regions(void)
{
    bact_array a;
    bact_region r;
    bact_client *c = begin();
    ok("[{\"name\":\"United States\",\"code\":\"US\"},"
       "{\"name\":\"United Kingdom\",\"code\":\"UK\"},"
       "{\"name\":\"Germany\",\"code\":\"DE\"},"
       "{\"name\":\"Japan\",\"code\":\"JP\"}]");
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_STR(req_line(), "GET /v2/workflow/get-region-list HTTP/1.1");
    CHECK_INT(a.count, 4);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_OK);
    CHECK_STR(r.name, "United States");
    CHECK_STR(r.code, "US");
    CHECK_INT(bact_region_at(c, &a, 1, &r), BACT_OK);
    CHECK_STR(r.name, "United Kingdom");
    CHECK_STR(r.code, "UK");
    CHECK_INT(bact_region_at(c, &a, 3, &r), BACT_OK);
    CHECK_STR(r.code, "JP");
    CHECK_INT(bact_region_at(c, &a, 4, &r), BACT_E_ARG);

    c = begin();
    ok("[]");
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_INT(a.count, 0);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_E_ARG);

    c = begin();
    ok("{\"items\":[]}");
    CHECK_INT(bact_get_regions(c, &a), BACT_E_SHAPE);
    c = begin();
    ok("[{\"name\":\"No code\"},{\"code\":5},{\"code\":\"FR\"}]");
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_E_SHAPE);
    CHECK_INT(bact_region_at(c, &a, 1, &r), BACT_E_SHAPE);
    /* a code is enough */
    CHECK_INT(bact_region_at(c, &a, 2, &r), BACT_OK);
    CHECK(r.name == NULL);
    CHECK_STR(r.code, "FR");
}

/* ------------------------------------------------------------------ */
/* Element readers                                                      */
/* ------------------------------------------------------------------ */

static void element_readers_bad_index(void)
{
    bact_array none = { -1, 0, 0 };
    bact_array lie;
    bact_task t;
    bact_step s;
    bact_download d;
    bact_workflow w;
    bact_input_def i;
    bact_region r;
    const char *str;
    bact_array a;
    bact_client *c = begin();
    ok("[{\"name\":\"United States\",\"code\":\"US\"}]");
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_INT(bact_region_at(c, &a, 1, &r), BACT_E_ARG);
    CHECK_INT(bact_region_at(c, &a, 0xFFFFFFFFu, &r), BACT_E_ARG);
    CHECK_INT(bact_region_at(c, &a, 0, NULL), BACT_E_ARG);
    CHECK_INT(bact_region_at(c, NULL, 0, &r), BACT_E_ARG);
    CHECK_INT(bact_region_at(NULL, &a, 0, &r), BACT_E_ARG);
    CHECK_INT(bact_task_at(c, &a, 1, &t), BACT_E_ARG);
    CHECK_INT(bact_step_at(c, &a, 1, &s), BACT_E_ARG);
    CHECK_INT(bact_download_at(c, &a, 1, &d), BACT_E_ARG);
    CHECK_INT(bact_workflow_at(c, &a, 1, &w), BACT_E_ARG);
    CHECK_INT(bact_template_at(c, &a, 1, &w), BACT_E_ARG);
    CHECK_INT(bact_input_def_at(c, &a, 1, &i), BACT_E_ARG);
    CHECK_INT(bact_string_at(c, &a, 1, &str), BACT_E_ARG);
    /* an absent array */
    CHECK_INT(bact_task_at(c, &none, 0, &t), BACT_E_ARG);
    CHECK_INT(bact_step_at(c, &none, 0, &s), BACT_E_ARG);
    CHECK_INT(bact_download_at(c, &none, 0, &d), BACT_E_ARG);
    CHECK_INT(bact_workflow_at(c, &none, 0, &w), BACT_E_ARG);
    CHECK_INT(bact_template_at(c, &none, 0, &w), BACT_E_ARG);
    CHECK_INT(bact_input_def_at(c, &none, 0, &i), BACT_E_ARG);
    CHECK_INT(bact_region_at(c, &none, 0, &r), BACT_E_ARG);
    CHECK_INT(bact_string_at(c, &none, 0, &str), BACT_E_ARG);
    /* an array handle that claims more than the tokens hold */
    lie = a;
    lie.count = 5;
    CHECK_INT(bact_region_at(c, &lie, 3, &r), BACT_E_ARG);
    lie.tok = 1000;
    CHECK_INT(bact_region_at(c, &lie, 0, &r), BACT_E_ARG);
    lie.tok = -1;
    CHECK_INT(bact_region_at(c, &lie, 0, &r), BACT_E_ARG);
    CHECK_INT(bact_string_at(c, &lie, 0, &str), BACT_E_ARG);
    lie.tok = 1; /* an object, not an array */
    lie.count = 1;
    CHECK_INT(bact_region_at(c, &lie, 0, &r), BACT_E_ARG);
    /* string elements: a non-string is a shape error */
    CHECK_INT(bact_string_at(c, &a, 0, &str), BACT_E_SHAPE);
    /* after a failed call the old handle reads nothing */
    t_io_data(&IO, answer("500 Internal Server Error", "oops"));
    {
        bact_task_state st;
        CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    }
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_E_ARG);
}

/* A handle from an earlier answer is refused even when the new answer
 * has the same shape, where it would read the new answer's elements. */
static void element_readers_refuse_old_handle(void)
{
    bact_array a, b;
    bact_region r;
    const char *str;
    bact_client *c = begin();
    ok("[{\"name\":\"United States\",\"code\":\"US\"}]");
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_OK);
    CHECK_STR(r.code, "US");
    ok("[{\"name\":\"Germany\",\"code\":\"DE\"}]");
    CHECK_INT(bact_get_regions(c, &b), BACT_OK);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_E_ARG);
    CHECK_INT(bact_string_at(c, &a, 0, &str), BACT_E_ARG);
    CHECK_INT(bact_region_at(c, &b, 0, &r), BACT_OK);
    CHECK_STR(r.code, "DE");
    /* a task's arrays are handles too: decoding again makes new ones */
    ok("{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\","
       "\"created_at\":\"x\",\"steps\":[{\"id\":\"s\",\"step\":1,"
       "\"status\":\"done\"}]}");
    {
        bact_task t, u;
        bact_step s;
        CHECK_INT(bact_get_task(c, "1", &t), BACT_OK);
        CHECK_INT(bact_step_at(c, &t.steps, 0, &s), BACT_OK);
        CHECK_INT(bact_region_at(c, &b, 0, &r), BACT_E_ARG);
        ok("{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\","
           "\"created_at\":\"x\",\"steps\":[{\"id\":\"s\",\"step\":2,"
           "\"status\":\"done\"}]}");
        CHECK_INT(bact_get_task(c, "1", &u), BACT_OK);
        CHECK_INT(bact_step_at(c, &t.steps, 0, &s), BACT_E_ARG);
        CHECK_INT(bact_step_at(c, &u.steps, 0, &s), BACT_OK);
        CHECK_INT(s.step, 2);
    }
}

/* ------------------------------------------------------------------ */
/* Argument checks that send nothing                                    */
/* ------------------------------------------------------------------ */

static void callback_urls_checked(void)
{
    static const char *const refused[] = {
        "http://localhost/cb", "http://LOCALHOST:8080/cb", "http://127.0.0.1/cb",
        "http://127.1/", "http://0x7f.0.0.1/", "http://2130706433/",
        "http://017700000001/", "http://[::1]/cb", "http://foo.localhost/",
        "http://user:pw@127.0.0.1/", "http://10.0.0.1/", "http://192.168.1.1/",
        "http://172.16.0.1/", "http://172.31.255.255/",
        "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/",
        "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://0.0.0.0/",
        "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/",
        "ftp://example.com/", "example.com/cb", "javascript:alert(1)",
        "http://exa mple.com/", "http://example.com/a\r\nb", "http:///x",
        "http://1.2.3.4.5/",
    };
    size_t i;
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        bact_run_req rq;
        bact_template_run_req tq;
        bact_task_created t;
        bact_client *c = begin();
        int r1, r2, r3, r4;
        memset(&rq, 0, sizeof rq);
        rq.workflow_id = "1";
        rq.callback_url = refused[i];
        r1 = bact_run_task(c, &rq, &t);
        rq.callback_url = NULL;
        rq.status_callback_url = refused[i];
        r2 = bact_run_task(c, &rq, &t);
        memset(&tq, 0, sizeof tq);
        tq.template_id = "1";
        tq.callback_url = refused[i];
        r3 = bact_run_template(c, &tq, &t);
        tq.callback_url = NULL;
        tq.status_callback_url = refused[i];
        r4 = bact_run_template(c, &tq, &t);
        if (r1 != BACT_E_ARG || r2 != BACT_E_ARG || r3 != BACT_E_ARG ||
            r4 != BACT_E_ARG) {
            char msg[256];
            snprintf(msg, sizeof msg, "\"%s\" accepted (%d %d %d %d)", refused[i],
                     r1, r2, r3, r4);
            t_fail(__FILE__, __LINE__, msg);
        }
        NOTHING_SENT();
    }
}

static void callback_urls_loopback_flag(void)
{
    bact_run_req rq;
    bact_task_created t;
    bact_client *c;
    t_io_init(&IO, T_WHOLE);
    npool = 0;
    c = mk_full(8192, 64, BACT_F_ALLOW_LOOPBACK_CALLBACKS);
    ok("{\"id\":\"1\"}");
    ok("{\"id\":\"2\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "1";
    rq.callback_url = "http://127.0.0.1:9000/cb";
    rq.status_callback_url = "http://localhost:8080/hook";
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK(strstr(req_body(), "\"callback_url\":\"http://127.0.0.1:9000/cb\"") != NULL);
    CHECK(strstr(req_body(),
                 "\"status_change_callback_url\":\"http://localhost:8080/hook\"") != NULL);
    IO.sent_len = 0;
    rq.callback_url = "http://[::1]:9000/cb";
    rq.status_callback_url = NULL;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(t.id, "2");
    /* private addresses stay refused */
    {
        unsigned sends = IO.sends;
        rq.callback_url = "http://10.0.0.1/cb";
        CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
        rq.callback_url = "http://192.168.0.10/cb";
        CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
        CHECK_INT(IO.sends, sends);
    }
}

static void callback_url_length(void)
{
    static char url[2100];
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = begin();
    size_t n = strlen("https://example.com/");
    memcpy(url, "https://example.com/", n);
    memset(url + n, 'a', 2048 - n);
    url[2048] = '\0';
    ok("{\"id\":\"1\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "1";
    rq.callback_url = url; /* 2048: the limit itself */
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK(strstr(req_body(), url) != NULL);
    check_content_length(__FILE__, __LINE__);

    c = begin();
    url[2048] = 'a';
    url[2049] = '\0'; /* 2049 */
    rq.callback_url = url;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.callback_url = NULL;
    rq.status_callback_url = url;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    NOTHING_SENT();
}

/* A run request whose text is not UTF-8 (JSON must be) is refused before
 * anything is sent: a parameter's value, its name, a sequence cut short. */
static void run_not_utf8_refused(void)
{
    static bact_param badval[] = { { "q", "caf\xe9" } };
    static bact_param badname[] = { { "\xff", "v" } };
    static bact_param cut[] = { { "q", "a\xc3" } };
    const bact_param *const sets[] = { badval, badname, cut };
    bact_run_req rq;
    bact_task_created t;
    size_t i;
    for (i = 0; i < 3u; i++) {
        bact_client *c = begin();
        ok("{\"id\":\"1\"}");
        memset(&rq, 0, sizeof rq);
        rq.workflow_id = "1";
        rq.params = sets[i];
        rq.n_params = 1;
        CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
        NOTHING_SENT();
    }
}

static void empty_ids_refused(void)
{
    bact_param noname[] = { { "", "v" } };
    bact_param nullname[] = { { NULL, "v" } };
    bact_run_req rq;
    bact_template_run_req tq;
    bact_task_created t;
    bact_task_state st;
    bact_task task;
    bact_workflow w;
    bact_array a;
    bact_page pg;
    bact_client *c = begin();

    memset(&rq, 0, sizeof rq);
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.workflow_id = "";
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.workflow_id = "1";
    rq.params = noname;
    rq.n_params = 1;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.params = nullname;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.params = NULL;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.n_params = 0;
    CHECK_INT(bact_run_task(c, &rq, NULL), BACT_E_ARG);
    CHECK_INT(bact_run_task(c, NULL, &t), BACT_E_ARG);
    CHECK_INT(bact_run_task(NULL, &rq, &t), BACT_E_ARG);
    /* a refused run call leaves no id to follow: an earlier call's is
     * cleared too */
    strcpy(t.id, "16429034742537847");
    strcpy(t.profile_id, "p");
    CHECK_INT(bact_run_task(c, NULL, &t), BACT_E_ARG);
    CHECK_STR(t.id, "");
    CHECK_STR(t.profile_id, "");
    strcpy(t.id, "16429034742537847");
    rq.callback_url = "http://127.0.0.1/cb";
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    CHECK_STR(t.id, "");
    rq.callback_url = NULL;

    memset(&tq, 0, sizeof tq);
    CHECK_INT(bact_run_template(c, &tq, &t), BACT_E_ARG);
    tq.template_id = "";
    CHECK_INT(bact_run_template(c, &tq, &t), BACT_E_ARG);
    tq.template_id = "1";
    tq.params = noname;
    tq.n_params = 1;
    CHECK_INT(bact_run_template(c, &tq, &t), BACT_E_ARG);
    tq.n_params = 0;
    CHECK_INT(bact_run_template(c, &tq, NULL), BACT_E_ARG);
    strcpy(t.id, "16429034742537847");
    CHECK_INT(bact_run_template(c, NULL, &t), BACT_E_ARG);
    CHECK_STR(t.id, "");
    strcpy(t.id, "16429034742537847");
    tq.template_id = "";
    CHECK_INT(bact_run_template(c, &tq, &t), BACT_E_ARG);
    CHECK_STR(t.id, "");

    CHECK_INT(bact_get_task_status(c, "", &st), BACT_E_ARG);
    CHECK_INT(bact_get_task_status(c, NULL, &st), BACT_E_ARG);
    CHECK_INT(bact_get_task_status(c, "1", NULL), BACT_E_ARG);
    CHECK_INT(bact_get_task(c, "", &task), BACT_E_ARG);
    CHECK_INT(bact_get_task(c, NULL, &task), BACT_E_ARG);
    CHECK_INT(bact_get_task(c, "1", NULL), BACT_E_ARG);
    CHECK_INT(bact_stop_task(c, "", NULL), BACT_E_ARG);
    CHECK_INT(bact_stop_task(c, NULL, NULL), BACT_E_ARG);
    CHECK_INT(bact_resume_task(c, ""), BACT_E_ARG);
    CHECK_INT(bact_resume_task(c, NULL), BACT_E_ARG);
    CHECK_INT(bact_get_workflow(c, "", &w), BACT_E_ARG);
    CHECK_INT(bact_get_workflow(c, NULL, &w), BACT_E_ARG);
    CHECK_INT(bact_get_workflow(c, "1", NULL), BACT_E_ARG);
    CHECK_INT(bact_get_template(c, "", &w), BACT_E_ARG);
    CHECK_INT(bact_get_template(c, NULL, &w), BACT_E_ARG);
    CHECK_INT(bact_get_regions(c, NULL), BACT_E_ARG);
    CHECK_INT(bact_get_regions(NULL, &a), BACT_E_ARG);
    CHECK_INT(bact_list_workflows(NULL, 0, 0, &pg), BACT_E_ARG);
    CHECK_INT(bact_list_templates(c, NULL, 0, 0, NULL), BACT_E_ARG);
    CHECK_INT(bact_wait(c, "", 1000, 5000, NULL, NULL, &st), BACT_E_ARG);
    CHECK_INT(bact_wait(c, NULL, 1000, 5000, NULL, NULL, &st), BACT_E_ARG);
    CHECK_INT(bact_wait(c, "1", 1000, 5000, NULL, NULL, NULL), BACT_E_ARG);
    CHECK_INT(bact_wait(NULL, "1", 1000, 5000, NULL, NULL, &st), BACT_E_ARG);
    NOTHING_SENT();
}

/* ------------------------------------------------------------------ */
/* Raw mode                                                             */
/* ------------------------------------------------------------------ */

/* An id no answer could give back whole (BACT_ID_SIZE bytes or more) is
 * refused before anything is sent: the task it ran or named could not be
 * read (a created task's id would be lost with the answer). */
static void long_ids_refused(void)
{
    char id47[BACT_ID_SIZE], id48[BACT_ID_SIZE + 1];
    bact_run_req rq;
    bact_template_run_req tq;
    bact_task_created t;
    bact_task_state st;
    bact_task task;
    bact_workflow w;
    bact_client *c = begin();

    memset(id47, '7', sizeof id47 - 1u);
    id47[sizeof id47 - 1u] = '\0';
    memset(id48, '8', sizeof id48 - 1u);
    id48[sizeof id48 - 1u] = '\0';
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = id48;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    rq.workflow_id = "1";
    rq.profile_id = id48;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_ARG);
    memset(&tq, 0, sizeof tq);
    tq.template_id = id48;
    CHECK_INT(bact_run_template(c, &tq, &t), BACT_E_ARG);
    tq.template_id = "1";
    tq.proxy_region = id48;
    CHECK_INT(bact_run_template(c, &tq, &t), BACT_E_ARG);
    CHECK_INT(bact_get_task_status(c, id48, &st), BACT_E_ARG);
    CHECK_INT(bact_get_task(c, id48, &task), BACT_E_ARG);
    CHECK_INT(bact_stop_task(c, id48, NULL), BACT_E_ARG);
    CHECK_INT(bact_resume_task(c, id48), BACT_E_ARG);
    CHECK_INT(bact_get_workflow(c, id48, &w), BACT_E_ARG);
    CHECK_INT(bact_get_template(c, id48, &w), BACT_E_ARG);
    CHECK_INT(bact_wait(c, id48, 1000, 5000, NULL, NULL, &st), BACT_E_ARG);
    NOTHING_SENT();

    /* one byte less goes out */
    c = begin();
    ok("{\"id\":\"9\",\"profile_id\":\"p\"}");
    rq.workflow_id = id47;
    rq.profile_id = id47;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK(strstr(req_body(), id47) != NULL);
    c = begin();
    ok("{\"id\":\"9\",\"status\":\"running\"}");
    CHECK_INT(bact_get_task_status(c, id47, &st), BACT_OK);
    CHECK(strstr(req_line(), id47) != NULL);
}

/* A run in raw mode keeps the answer as received and leaves the id "";
 * bact_decode_created() reads it afterwards as the call would have. */
static void raw_mode_run_decoded(void)
{
    static const char doc[] =
        "{\"id\":\"9\\u0031\",\"profileId\":\"p\\/q\",\"x\":[1]}";
    size_t n;
    const uint8_t *b;
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = begin();
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "2";
    bact_set_raw(c, 1);
    ok(doc);
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    b = bact_body(c, &n);
    CHECK(n == sizeof doc - 1u && memcmp(b, doc, n) == 0);
    CHECK_STR(t.id, "");
    CHECK_INT(t.outcome, BACT_RUN_CREATED);
    CHECK_INT(bact_decode_created(c, NULL), BACT_E_ARG);
    CHECK_INT(bact_decode_created(NULL, &t), BACT_E_ARG);
    t.outcome = BACT_RUN_RESENT; /* left as it is */
    CHECK_INT(bact_decode_created(c, &t), BACT_OK);
    CHECK_STR(t.id, "91");
    CHECK_STR(t.profile_id, "p/q");
    CHECK_INT(t.outcome, BACT_RUN_RESENT);
    CHECK_INT(bact_decode_created(c, &t), BACT_OK); /* twice reads the same */
    CHECK_STR(t.id, "91");

    /* an answer with no task id, or not JSON: no id half taken */
    {
        static const char *const body[] = { "{\"profile_id\":\"p\"}",
                                            "task 9" };
        static const int want[] = { BACT_E_SHAPE, BACT_E_JSON };
        size_t i;
        for (i = 0; i < 2u; i++) {
            c = begin();
            bact_set_raw(c, 1);
            ok(body[i]);
            CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
            strcpy(t.id, "old");
            strcpy(t.profile_id, "old");
            CHECK_INT(bact_decode_created(c, &t), want[i]);
            CHECK_STR(t.id, "");
            CHECK_STR(t.profile_id, "");
        }
    }
}

static void raw_mode_body_untouched(void)
{
    static const char doc[] =
        "{\"id\":\"1\",\"workflow_id\":\"2\",\"status\":\"running\","
        "\"created_at\":\"x\",\"steps\":[],\"output\":{\"string\":"
        "\"a\\u00e9\\n\\\"q\\\"\\ud83d\\ude00\\\\\"}}";
    size_t n;
    const uint8_t *b;
    bact_task t;
    bact_task_state st;
    static const bact_task clear;
    bact_client *c = begin();
    bact_set_raw(c, 1);
    ok(doc);
    memset(&t, 0x5A, sizeof t);
    CHECK_INT(bact_get_task(c, "1", &t), BACT_OK);
    b = bact_body(c, &n);
    CHECK_INT(n, sizeof doc - 1u);
    CHECK(memcmp(b, doc, sizeof doc - 1u) == 0);
    /* nothing was decoded (the whole task left cleared), so there is
     * nothing to read elements from */
    CHECK_STR(t.id, "");
    CHECK(memcmp(&t, &clear, sizeof t) == 0);
    {
        bact_array all = { 0, 1, 0 };
        bact_step s;
        all.answer = c->answers; /* refused for the stage, not the answer */
        CHECK_INT(bact_step_at(c, &all, 0, &s), BACT_E_ARG);
    }
    /* decoded afterwards, on request (twice reads the same) */
    CHECK_INT(bact_decode_task(c, NULL), BACT_E_ARG);
    CHECK_INT(bact_decode_task(NULL, &t), BACT_E_ARG);
    CHECK_INT(bact_decode_task(c, &t), BACT_OK);
    CHECK_STR(t.id, "1");
    CHECK_INT(t.state.status, BACT_STATUS_RUNNING);
    CHECK_STR(t.output, "a\xc3\xa9\n\"q\"\xf0\x9f\x98\x80\\");
    CHECK_INT(bact_decode_task(c, &t), BACT_OK);
    CHECK_STR(t.output, "a\xc3\xa9\n\"q\"\xf0\x9f\x98\x80\\");

    /* chunked: de-chunked, otherwise identical */
    c = begin();
    bact_set_raw(c, 1);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nConnection: close\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"
                   "a\r\n{\"status\":\r\n"
                   "13\r\n\"run\\u006eing\", \"x\"\r\n"
                   "6\r\n:[1] }\r\n0\r\n\r\n");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    b = bact_body(c, &n);
    CHECK_INT(n, 35);
    CHECK(memcmp(b, "{\"status\":\"run\\u006eing\", \"x\":[1] }", 35) == 0);

    /* not even JSON: still handed over as it came */
    c = begin();
    bact_set_raw(c, 1);
    ok("hello, world");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    b = bact_body(c, &n);
    CHECK(n == 12 && memcmp(b, "hello, world", 12) == 0);
    CHECK_INT(bact_decode_task(c, &t), BACT_E_JSON);

    /* the status and the error envelope are still checked */
    c = begin();
    bact_set_raw(c, 1);
    ok("{\"code\":10112,\"msg\":\"Task is not exist.\"}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->code, 10112);
    CHECK_STR(bact_last_error(c)->msg, "Task is not exist.");
    /* ... with its member names read as they are once decoded, escapes
     * and all: the same answer whether the body is decoded or not */
    {
        static const char *const env[] = {
            "{\"code\":7,\"\\u006dsg\":\"m\"}",
            "{\"c\\u006F\\u0064e\":7,\"msg\":\"m\"}",
        };
        static const char *const not_env[] = {
            "{\"code\":7,\"\\u006dsgx\":\"m\",\"st\\u0061tus\":\"x\"}",
            "{\"code\":7,\"m\\u00e9g\":\"m\",\"\\nmsg\":\"m\"}",
            "{\"cod\\/e\":7,\"msg\":\"m\",\"\\u006d\":1}",
        };
        int raw;
        size_t k;
        for (raw = 0; raw < 2; raw++) {
            for (k = 0; k < 2u; k++) {
                c = begin();
                bact_set_raw(c, raw);
                ok(env[k]);
                CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
                CHECK_INT(bact_last_error(c)->code, 7);
                CHECK_STR(bact_last_error(c)->msg, "m");
            }
            for (k = 0; k < 3u; k++) {
                c = begin();
                bact_set_raw(c, raw);
                ok(not_env[k]);
                /* raw: as received; decoded: a status only in the
                 * first */
                CHECK_INT(bact_get_task_status(c, "1", &st),
                          raw || k == 0 ? BACT_OK : BACT_E_SHAPE);
                b = bact_body(c, &n);
                if (raw)
                    CHECK(n == strlen(not_env[k]) &&
                          memcmp(b, not_env[k], n) == 0);
            }
        }
    }
    c = begin();
    bact_set_raw(c, 1);
    t_io_data(&IO, answer("404 Not Found", "{}"));
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 404);

    /* off again: decoded */
    c = begin();
    bact_set_raw(c, 1);
    bact_set_raw(c, 0);
    ok("{\"status\":\"fin\\u0069shed\"}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_FINISHED);
}

/* ------------------------------------------------------------------ */
/* bact_wait                                                            */
/* ------------------------------------------------------------------ */

typedef struct seen_t {
    char words[16][BACT_STATUS_SIZE];
    bact_status st[16];
    unsigned n;
    unsigned stop_at; /* return non-zero on this call (1-based); 0: never */
} seen_t;

static int on_status(void *user, const bact_task_state *st)
{
    seen_t *s = (seen_t *)user;
    if (s->n < 16) {
        memcpy(s->words[s->n], st->text, sizeof st->text);
        s->st[s->n] = st->status;
    }
    s->n++;
    return (s->stop_at && s->n >= s->stop_at) ? 1 : 0;
}

static void status_answers(const char *const *words, size_t n)
{
    static char bodies[16][64];
    size_t i;
    for (i = 0; i < n; i++) {
        snprintf(bodies[i], sizeof bodies[i], "{\"status\":\"%s\"}", words[i]);
        ok(bodies[i]);
    }
}

static void wait_to_finished(void)
{
    static const char *const w[] = { "created", "running", "finished" };
    seen_t s;
    bact_task_state st;
    uint32_t t0;
    bact_client *c = begin();
    status_answers(w, 3);
    memset(&s, 0, sizeof s);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "16429034742537847", 5000, BACT_WAIT_FOREVER,
                        on_status, &s, &st),
              BACT_OK);
    CHECK_INT(s.n, 3);
    CHECK_STR(s.words[0], "created");
    CHECK_STR(s.words[1], "running");
    CHECK_STR(s.words[2], "finished");
    CHECK_INT(s.st[0], BACT_STATUS_CREATED);
    CHECK_INT(s.st[2], BACT_STATUS_FINISHED);
    CHECK_INT(st.status, BACT_STATUS_FINISHED);
    CHECK_STR(st.text, "finished");
    CHECK_INT(IO.opens, 3);
    CHECK_INT(IO.sleeps, 2);
    CHECK_INT(IO.slept, 10000);
    CHECK_INT(IO.now - t0, 10000);
    CHECK(strstr(sent(), "GET /v2/workflow/get-task-status?task_id=16429034742537847 ")
          != NULL);
}

static void wait_reports_changes_only(void)
{
    static const char *const w[] = { "running", "running", "running", "failed" };
    seen_t s;
    bact_task_state st;
    bact_client *c = begin();
    status_answers(w, 4);
    memset(&s, 0, sizeof s);
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, on_status, &s, &st),
              BACT_OK);
    CHECK_INT(s.n, 2);
    CHECK_STR(s.words[0], "running");
    CHECK_STR(s.words[1], "failed");
    CHECK_INT(st.status, BACT_STATUS_FAILED);
    CHECK_INT(IO.opens, 4);
    /* a word that starts with the one before, or that it starts with, is
     * a change too */
    {
        static const char *const w2[] = { "run", "running", "run",
                                          "canceled" };
        c = begin();
        status_answers(w2, 4);
        memset(&s, 0, sizeof s);
        CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, on_status, &s,
                            &st),
                  BACT_OK);
        CHECK_INT(s.n, 4);
        CHECK_STR(s.words[1], "running");
        CHECK_STR(s.words[2], "run");
        CHECK_INT(st.status, BACT_STATUS_CANCELED);
    }
}

static void wait_terminal_states(void)
{
    static const char *const canceled[] = { "canceled" };
    static const char *const paused[] = { "running", "pausing", "paused",
                                          "paused", "running", "finished" };
    static const char *const other[] = { "stopped", "unknown", "failed" };
    seen_t s;
    bact_task_state st;
    bact_client *c = begin();
    status_answers(canceled, 1);
    memset(&s, 0, sizeof s);
    CHECK_INT(bact_wait(c, "1", 1000, 60000, on_status, &s, &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_CANCELED);
    CHECK_INT(s.n, 1);
    CHECK_INT(IO.sleeps, 0);

    /* paused is not an end; a callback may be NULL */
    c = begin();
    status_answers(paused, 6);
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, NULL, NULL, &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_FINISHED);
    CHECK_INT(IO.opens, 6);
    c = begin();
    status_answers(paused, 6);
    memset(&s, 0, sizeof s);
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, on_status, &s, &st),
              BACT_OK);
    CHECK_INT(s.n, 5);
    CHECK_STR(s.words[2], "paused");
    CHECK_STR(s.words[3], "running");

    /* unknown words are waited through */
    c = begin();
    status_answers(other, 3);
    memset(&s, 0, sizeof s);
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, on_status, &s, &st),
              BACT_OK);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.st[0], BACT_STATUS_OTHER);
    CHECK_STR(s.words[0], "stopped");
    CHECK_INT(st.status, BACT_STATUS_FAILED);
}

static void wait_deadline(void)
{
    static const char *const w[] = { "running", "running", "running" };
    seen_t s;
    bact_task_state st;
    uint32_t t0;
    bact_client *c = begin();
    status_answers(w, 3);
    memset(&s, 0, sizeof s);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 5000, 12000, on_status, &s, &st), BACT_E_DEADLINE);
    CHECK_INT(IO.opens, 3);  /* at 0, 5000 and 10000 ms */
    CHECK_INT(IO.now - t0, 12000); /* the last nap was cut to the deadline */
    CHECK_INT(IO.slept, 12000);
    CHECK_INT(s.n, 1);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);

    /* a deadline shorter than the interval */
    c = begin();
    status_answers(w, 1);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 5000, 1500, NULL, NULL, &st), BACT_E_DEADLINE);
    CHECK_INT(IO.now - t0, 1500);
    CHECK_INT(IO.opens, 1);

    /* no time at all: one look, then the deadline */
    c = begin();
    status_answers(w, 1);
    CHECK_INT(bact_wait(c, "1", 5000, 0, NULL, NULL, &st), BACT_E_DEADLINE);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(IO.sleeps, 0);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
}

/* A poll's retries and their waits end by the wait's deadline too: busy
 * answers with a retry budget do not carry the wait past it, and a
 * whole-call limit the application set is kept. */
static void wait_deadline_bounds_retries(void)
{
    static const char *const w[] = { "running" };
    bact_task_state st;
    uint32_t t0;
    int i;
    bact_client *c = begin();
    c->retries = 5;
    status_answers(w, 1);
    for (i = 0; i < 6; i++)
        t_io_data(&IO, answer("503 Service Unavailable", "{}"));
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 1000, NULL, NULL, &st), BACT_E_API);
    CHECK(IO.now - t0 < 1000);
    CHECK(IO.opens >= 2 && IO.opens < 7);
    CHECK_INT(c->call_ms, 0);

    /* no time at all (max_wait_ms 0) bounds them as much: one look, no
     * retry and no wait, and the look's own error (0 left was once taken
     * for no limit, and the busy answers' back-off ran its whole course) */
    c = begin();
    c->retries = 5;
    for (i = 0; i < 6; i++)
        t_io_data(&IO, answer("503 Service Unavailable", "{}"));
    status_answers(w, 1);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 0, NULL, NULL, &st), BACT_E_API);
    CHECK_INT(c->resp.status, 503);
    CHECK_INT(IO.now - t0, 0);
    CHECK_INT(IO.sleeps, 0);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(c->call_ms, 0);
    CHECK_INT(c->retries, 5);
    /* ... and a look that answers: the status, once, the attempt not cut
     * by the deadline however long it takes (within its timeouts) */
    c = begin();
    c->retries = 5;
    for (i = 0; i < 5; i++)
        t_io_add(&IO, T_NOTHING, NULL, 0); /* 1 ms each */
    status_answers(w, 1);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 0, NULL, NULL, &st), BACT_E_DEADLINE);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
    CHECK_STR(st.text, "running");
    CHECK(IO.now - t0 >= 5);
    CHECK_INT(IO.sleeps, 0);
    CHECK_INT(IO.opens, 1);

    /* a Retry-After beyond the deadline: the answer as it came, at once */
    c = begin();
    c->retries = 5;
    status_answers(w, 1);
    t_io_data(&IO, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n"
                   "Connection: close\r\nContent-Length: 2\r\n\r\n{}");
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 2000, NULL, NULL, &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 429);
    CHECK_INT(IO.now - t0, 100);

    /* a busy answer that eats the rest of the time: the deadline */
    c = begin();
    c->retries = 5;
    c->call_ms = 60000;
    status_answers(w, 1);
    t_io_data(&IO, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                   "Connection: close\r\nContent-Length: 2\r\n\r\n{}");
    t_io_add(&IO, T_END, NULL, 0);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 1500, NULL, NULL, &st), BACT_E_DEADLINE);
    CHECK(IO.now - t0 <= 1500);
    CHECK_INT(c->call_ms, 60000);
}

/* now_ms may wrap at 2^32: the deadline still holds across the wrap */
static void wait_deadline_across_clock_wrap(void)
{
    static const char *const w[] = { "running", "running", "running" };
    bact_task_state st;
    uint32_t t0;
    bact_client *c = begin();
    status_answers(w, 3);
    IO.now = 0xFFFFFFFFu - 6000u;
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 5000, 12000, NULL, NULL, &st), BACT_E_DEADLINE);
    CHECK_INT(IO.opens, 3);
    CHECK_INT((uint32_t)(IO.now - t0), 12000);
}

static void wait_aborted_by_callback(void)
{
    static const char *const w[] = { "created", "running", "finished" };
    seen_t s;
    bact_task_state st;
    bact_client *c = begin();
    status_answers(w, 3);
    memset(&s, 0, sizeof s);
    s.stop_at = 2;
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, on_status, &s, &st),
              BACT_E_ABORTED);
    CHECK_INT(s.n, 2);
    CHECK_INT(IO.opens, 2);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
}

/* an open whose TLS handshake runs out of time: all of timeout_ms, then
 * BACT_E_TLS (as bact_mbedtls.c's handshake() answers a timeout) */
static int handshake_times_out(void *p, const char *host, size_t host_len,
                               uint16_t port, uint32_t timeout_ms)
{
    t_io *io = (t_io *)p;
    (void)host;
    (void)host_len;
    (void)port;
    io->opens++;
    io->now += timeout_ms;
    return BACT_E_TLS;
}

static void wait_call_fails(void)
{
    static const char *const w[] = { "running" };
    bact_task_state st;
    uint32_t t0;
    bact_client *c = begin();
    status_answers(w, 1);
    t_io_data(&IO, answer("400 Bad Request",
                          "{\"code\":10112,\"msg\":\"Task is not exist.\"}"));
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, NULL, NULL, &st),
              BACT_E_API);
    CHECK_INT(bact_last_error(c)->code, 10112);

    /* a failure that comes just as max_wait runs out is still that
     * failure, not the deadline (only a poll the deadline cut short is) */
    c = begin();
    status_answers(w, 1);
    t_io_add(&IO, T_LATE, NULL, 2);
    t_io_data(&IO, answer("400 Bad Request",
                          "{\"code\":10112,\"msg\":\"Task is not exist.\"}"));
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 1000, 1002, NULL, NULL, &st), BACT_E_API);
    CHECK_INT(IO.now - t0, 1002);
    CHECK_INT(bact_last_error(c)->code, 10112);

    /* a TLS handshake the deadline cut short is the deadline: a TLS
     * port reports a handshake's timeout as BACT_E_TLS (the mbedTLS
     * port's BACT_TLS_TIMEOUT), not BACT_E_TIMEOUT */
    c = begin();
    status_answers(w, 1);
    c->tr.open = handshake_times_out;
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 500, NULL, NULL, &st), BACT_E_DEADLINE);
    CHECK_INT(IO.now - t0, 500);
    CHECK_INT(IO.opens, 1);
    /* ... while one that fails before the deadline is that failure */
    c = begin();
    status_answers(w, 1);
    c->tr.open = handshake_times_out;
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 100, 5000, NULL, NULL, &st), BACT_E_TLS);
    CHECK(IO.now - t0 < 5000u);

    /* raw mode is set aside while waiting, and restored */
    c = begin();
    bact_set_raw(c, 1);
    ok("{\"status\":\"finished\"}");
    CHECK_INT(bact_wait(c, "1", 1000, BACT_WAIT_FOREVER, NULL, NULL, &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_FINISHED);
    CHECK_INT(c->raw, 1);
}

/* ------------------------------------------------------------------ */
/* Small budgets                                                        */
/* ------------------------------------------------------------------ */

static void one_kib_goal(void)
{
    static char a1[1024], a2[1024];
    static const char b1[] = "{\"id\":\"16429034742537847\",\"profileId\":null}";
    static const char b2[] = "{\"status\":\"running\"}";
    bact_param p = { "query", "coffee beans near me" };
    bact_run_req rq;
    bact_task_created t;
    bact_task_state st;
    bact_client *c;
    t_io_init(&IO, T_WHOLE);
    npool = 0;
    c = mk_full(1024, 32, 0);
    snprintf(a1, sizeof a1,
             "HTTP/1.1 200 OK\r\nDate: Wed, 08 Oct 2025 10:17:54 GMT\r\n"
             "Content-Type: application/json;charset=UTF-8\r\n"
             "Content-Length: %u\r\nConnection: keep-alive\r\nVary: Origin\r\n"
             "Vary: Access-Control-Request-Method\r\n"
             "X-Trace-Id: 6f1c2b7e9a0d4c3b\r\n"
             "Strict-Transport-Security: max-age=31536000\r\n\r\n%s",
             (unsigned)strlen(b1), b1);
    snprintf(a2, sizeof a2,
             "HTTP/1.1 200 OK\r\nDate: Wed, 08 Oct 2025 10:17:59 GMT\r\n"
             "Content-Type: application/json;charset=UTF-8\r\n"
             "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
             "%x\r\n%s\r\n0\r\n\r\n",
             (unsigned)strlen(b2), b2);
    t_io_data(&IO, a1);
    t_io_add(&IO, T_NOTHING, NULL, 0); /* the keep-alive probe */
    t_io_data(&IO, a2);
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "16217357109956214";
    rq.params = &p;
    rq.n_params = 1;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537847");
    CHECK_STR(t.profile_id, "");
    CHECK_INT(bact_get_task_status(c, t.id, &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
    CHECK_INT(IO.opens, 1);
    CHECK(strstr(sent(), "?task_id=16429034742537847 HTTP/1.1\r\n") != NULL);
}

static void small_budgets(void)
{
    bact_task_state st;
    bact_client *c;
    /* 8 tokens needed, 4 given */
    t_io_init(&IO, T_WHOLE);
    npool = 0;
    c = mk_full(1024, 4, 0);
    ok("{\"status\":\"running\",\"extra\":[1,2,3]}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_TOKENS);
    CHECK_INT(bact_needed(c), 8);
    t_io_init(&IO, T_WHOLE);
    npool = 0;
    c = mk_full(1024, 8, 0);
    ok("{\"status\":\"running\",\"extra\":[1,2,3]}");
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);

    /* a request that cannot fit: refused before sending, with its size */
    {
        static char big[1200];
        bact_param p = { "text", big };
        bact_run_req rq;
        bact_task_created t;
        memset(big, 'b', sizeof big - 1u);
        t_io_init(&IO, T_WHOLE);
        c = mk_full(1024, 32, 0);
        memset(&rq, 0, sizeof rq);
        rq.workflow_id = "1";
        rq.params = &p;
        rq.n_params = 1;
        CHECK_INT(bact_run_task(c, &rq, &t), BACT_E_BUF);
        CHECK(bact_needed(c) > 1200u);
        NOTHING_SENT();
    }
}

/* ------------------------------------------------------------------ */
/* Edges of reconciliation and of the answers                          */
/* ------------------------------------------------------------------ */

/* ours, first on a full page whose next item is older than the request:
 * adopted there, the older one after it changes nothing (a resend would
 * start the workflow twice) */
static void reconcile_adopts_before_older(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    listed(ITEM("8", WF, NOW, "query=coffee; n=2") ","
           ITEM("1", WF, OLD, "query=coffee; n=2"));
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "8");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 1);
}

/* a full page whose last item is older than the request ends the look:
 * no second page is asked for */
static void reconcile_older_ends_full_page(void)
{
    bact_task_created t;
    bact_client *c = lost_run();
    listed(ITEM("2", WF, NOW, "query=tea; n=2") ","
           ITEM("1", WF, OLD, "query=coffee; n=2"));
    listed(ITEM("2", WF, NOW, "query=tea; n=2") ","
           ITEM("1", WF, OLD, "query=coffee; n=2"));
    ok("{\"id\":\"9\"}");
    CHECK_INT(run_lost(c, &t), BACT_OK);
    CHECK_STR(t.id, "9");
    CHECK_INT(t.outcome, BACT_RUN_RESENT);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 2);
    CHECK_INT(count_in_sent("GET /v2/workflow/list-tasks?"), 2);
    CHECK_INT(count_in_sent("&page=2&"), 0);
}

/* nothing sent as input and an empty input_parameters reported: ours;
 * an empty profile_id is taken as none */
static void reconcile_empty_input_and_profile(void)
{
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = lost_run();
    listed("{\"id\":\"6\",\"workflow_id\":\"" WF "\",\"created_at\":\"" NOW
           "\",\"input_parameters\":\"\",\"profile_id\":\"\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = WF;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(t.id, "6");
    CHECK_STR(t.profile_id, "");
    CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
    CHECK_INT(count_in_sent("POST /v2/workflow/run-task "), 1);
}

/* the older API's profileId is read only when profile_id is absent: a
 * one-byte profile_id stands */
static void run_task_profile_id_alias(void)
{
    bact_run_req rq;
    bact_task_created t;
    bact_client *c = begin();
    ok("{\"id\":\"5\",\"profile_id\":\"s\",\"profileId\":\"p9\"}");
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = WF;
    CHECK_INT(bact_run_task(c, &rq, &t), BACT_OK);
    CHECK_STR(t.id, "5");
    CHECK_STR(t.profile_id, "s");
}

static void status_words_edges(void)
{
    CHECK_STR(bact_status_name((bact_status)99), "");
    CHECK_STR(bact_status_name(BACT_STATUS_OTHER), "");
    CHECK_INT(bact_status_parse("created", 0), BACT_STATUS_OTHER);
    CHECK_INT(bact_status_parse(NULL, 7), BACT_STATUS_OTHER);
    CHECK_INT(bact_status_parse("created", 7), BACT_STATUS_CREATED);
}

/* get-workflow reads all eight of its fields, detailUrl the last */
static void get_workflow_detail_url(void)
{
    bact_workflow w;
    bact_client *c = begin();
    ok("{\"id\":\"7\",\"name\":\"n\",\"recommendDesc\":\"r\","
       "\"detailUrl\":\"https://x/7\"}");
    CHECK_INT(bact_get_workflow(c, "7", &w), BACT_OK);
    CHECK_STR(w.id, "7");
    CHECK_STR(w.recommend_desc, "r");
    CHECK_STR(w.detail_url, "https://x/7");
}

/* a failed or raw get-region-list leaves an empty array handle */
static void regions_failed_or_raw(void)
{
    bact_array a;
    bact_client *c = begin();
    t_io_data(&IO, answer("500 Internal Server Error",
                          "[{\"code\":\"US\"}]"));
    a.count = 7;
    a.tok = 3;
    CHECK_INT(bact_get_regions(c, &a), BACT_E_API);
    CHECK_INT(a.count, 0);
    CHECK_INT(a.tok, -1);
    c = begin();
    ok("[{\"code\":\"US\"}]");
    bact_set_raw(c, 1);
    a.count = 7;
    a.tok = 3;
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_INT(a.count, 0);
    CHECK_INT(a.tok, -1);
}

/* an element that is neither a string nor null is no string */
static void string_at_refuses_other_values(void)
{
    bact_task t;
    const char *s = "x";
    bact_client *c = begin();
    ok("{\"id\":\"1\",\"status\":\"finished\",\"created_at\":\"c\","
       "\"workflow_id\":\"2\",\"steps\":[],"
       "\"output\":{\"string\":\"a\",\"files\":[5,true,null,\"f\"]}}");
    CHECK_INT(bact_get_task(c, "1", &t), BACT_OK);
    CHECK_INT(t.output_len, 1);
    CHECK_INT(t.output_files.count, 4);
    CHECK_INT(bact_string_at(c, &t.output_files, 0, &s), BACT_E_SHAPE);
    CHECK_INT(bact_string_at(c, &t.output_files, 1, &s), BACT_E_SHAPE);
    CHECK_INT(bact_string_at(c, &t.output_files, 2, &s), BACT_OK);
    CHECK(s == NULL);
    CHECK_INT(bact_string_at(c, &t.output_files, 3, &s), BACT_OK);
    CHECK_STR(s, "f");
}

/* interval_ms 0 polls back to back: no sleep between the polls */
static void wait_interval_zero(void)
{
    static const char *const w[] = { "created", "running", "finished" };
    bact_task_state st;
    uint32_t t0;
    bact_client *c = begin();
    status_answers(w, 3);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 0, BACT_WAIT_FOREVER, NULL, NULL, &st),
              BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_FINISHED);
    CHECK_INT(IO.opens, 3);
    CHECK_INT(IO.sleeps, 0);
    CHECK_INT(IO.now - t0, 0);
}

/* A call that sends several requests reports the retries of its last one
 * (bact.h): a wait whose first poll was retried and whose last was not
 * reports none, and one whose last poll was retried reports that */
static void retries_used_of_last_request(void)
{
    static const char *const w[] = { "running", "finished" };
    bact_task_state st;
    bact_client *c = begin();
    c->retries = 2;
    t_io_data(&IO, answer("503 Service Unavailable", "{}"));
    status_answers(w, 2);
    CHECK_INT(bact_wait(c, "1", 10, BACT_WAIT_FOREVER, NULL, NULL, &st),
              BACT_OK);
    CHECK_INT(IO.opens, 3);
    CHECK_INT(bact_retries_used(c), 0);
    c = begin();
    c->retries = 2;
    status_answers(w, 1);
    t_io_data(&IO, answer("503 Service Unavailable", "{}"));
    status_answers(w + 1, 1);
    CHECK_INT(bact_wait(c, "1", 10, BACT_WAIT_FOREVER, NULL, NULL, &st),
              BACT_OK);
    CHECK_INT(IO.opens, 3);
    CHECK_INT(bact_retries_used(c), 1);
    /* a run call reconciled: the last list-tasks request's (retried once
     * here), not the run request's */
    {
        bact_task_created t;
        c = lost_run();
        c->retries = 2;
        t_io_data(&IO, answer("503 Service Unavailable", "{}"));
        listed(ITEM("16429034742537847", WF, NOW, "query=coffee; n=2"));
        CHECK_INT(run_lost(c, &t), BACT_OK);
        CHECK_INT(t.outcome, BACT_RUN_ADOPTED);
        CHECK_INT(bact_retries_used(c), 1);
    }
}

/* A call refused before it began (BACT_E_ARG, nothing sent) leaves the
 * answer before it, and its handles, readable; one that began and failed
 * discards them (bact.h) */
static void handle_kept_by_refused_call(void)
{
    bact_array a;
    bact_region r;
    bact_task_state st;
    bact_page pg;
    bact_client *c = begin();
    ok("[{\"name\":\"United States\",\"code\":\"US\"}]");
    CHECK_INT(bact_get_regions(c, &a), BACT_OK);
    CHECK_INT(IO.sends, 1);
    CHECK_INT(bact_get_task_status(c, "", &st), BACT_E_ARG);
    CHECK_INT(bact_list_workflows(c, -1, 0, &pg), BACT_E_ARG);
    CHECK_INT(IO.sends, 1);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_OK);
    CHECK_STR(r.code, "US");
    t_io_add(&IO, T_FAIL, NULL, (size_t)(long)BACT_E_NET);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_NET);
    CHECK_INT(bact_region_at(c, &a, 0, &r), BACT_E_ARG);
}

/* a whole-call limit shorter than what is left of the wait bounds each
 * poll: a Retry-After past it ends the poll, it is not waited out under
 * the wait's longer deadline */
static void wait_poll_keeps_call_limit(void)
{
    bact_task_state st;
    bact_client *c = begin();
    t_io_data(&IO, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\n"
                   "Connection: close\r\nContent-Length: 0\r\n\r\n");
    ok("{\"status\":\"finished\"}");
    c->retries = 1;
    c->call_ms = 1000;
    CHECK_INT(bact_wait(c, "1", 5000, 100000, NULL, NULL, &st), BACT_E_API);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(IO.sleeps, 0);
    CHECK_INT(c->call_ms, 1000);
    CHECK_INT(c->retries, 1);
}

static const t_case cases[] = {
    T_CASE(run_task_body),
    T_CASE(run_task_minimal),
    T_CASE(run_task_answer_shapes),
    T_CASE(reconcile_adopts),
    T_CASE(reconcile_no_input),
    T_CASE(reconcile_input_unreported),
    T_CASE(reconcile_resends),
    T_CASE(reconcile_not_ours),
    T_CASE(reconcile_second_look),
    T_CASE(reconcile_no_time_left),
    T_CASE(reconcile_unsure),
    T_CASE(reconcile_item_members_required),
    T_CASE(reconcile_lookup_retried),
    T_CASE(reconcile_id_size),
    T_CASE(reconcile_request_moment),
    T_CASE(reconcile_task_after_date),
    T_CASE(reconcile_page_count),
    T_CASE(reconcile_short_page_not_end),
    T_CASE(reconcile_after_timeout),
    T_CASE(reconcile_not_when_unsent),
    T_CASE(reconcile_resends_once),
    T_CASE(reconcile_within_call_ms),
    T_CASE(request_sent),
    T_CASE(request_sent_resend_unsent),
    T_CASE(run_template),
    T_CASE(task_status_words),
    T_CASE(task_status_other_words),
    T_CASE(task_status_shapes),
    T_CASE(get_task_full),
    T_CASE(get_task_nulls),
    T_CASE(get_task_shapes),
    T_CASE(list_tasks_query),
    T_CASE(list_tasks_bad_arguments),
    T_CASE(list_tasks_date_filters),
    T_CASE(list_tasks_items),
    T_CASE(stop_and_resume),
    T_CASE(copied_client_reads_elements),
    T_CASE(error_envelope_400),
    T_CASE(error_envelope_on_200),
    T_CASE(every_endpoint_answers),
    T_CASE(error_redirect_and_non_json),
    T_CASE(workflows),
    T_CASE(templates),
    T_CASE(page_fields),
    T_CASE(regions),
    T_CASE(element_readers_bad_index),
    T_CASE(element_readers_refuse_old_handle),
    T_CASE(callback_urls_checked),
    T_CASE(callback_urls_loopback_flag),
    T_CASE(callback_url_length),
    T_CASE(run_not_utf8_refused),
    T_CASE(empty_ids_refused),
    T_CASE(long_ids_refused),
    T_CASE(raw_mode_body_untouched),
    T_CASE(raw_mode_run_decoded),
    T_CASE(wait_to_finished),
    T_CASE(wait_reports_changes_only),
    T_CASE(wait_terminal_states),
    T_CASE(wait_deadline),
    T_CASE(wait_deadline_across_clock_wrap),
    T_CASE(wait_deadline_bounds_retries),
    T_CASE(wait_aborted_by_callback),
    T_CASE(wait_call_fails),
    T_CASE(one_kib_goal),
    T_CASE(reconcile_adopts_before_older),
    T_CASE(reconcile_older_ends_full_page),
    T_CASE(reconcile_empty_input_and_profile),
    T_CASE(run_task_profile_id_alias),
    T_CASE(status_words_edges),
    T_CASE(get_workflow_detail_url),
    T_CASE(regions_failed_or_raw),
    T_CASE(string_at_refuses_other_values),
    T_CASE(wait_poll_keeps_call_limit),
    T_CASE(small_budgets),
    T_CASE(wait_interval_zero),
    T_CASE(retries_used_of_last_request),
    T_CASE(handle_kept_by_refused_call),
};

int main(void) { return t_main("api", cases, sizeof cases / sizeof cases[0]); }
