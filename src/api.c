/*
 * api.c - the twelve BrowserAct v2 endpoints and the wait helper.
 *
 * Each endpoint is a request description (method, path, query, a body
 * writer) and a field table for its answer; input is checked before
 * anything is sent. Field tables keep twelve endpoints from becoming twelve
 * hand-written parsers.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_LIMIT 20

#define F(key, type, req, st, member) BACT__FIELD(key, type, req, st, member)
#define Q(key) BACT__QNAME(key)

/* ------------------------------------------------------------------ */
/* Status words                                                         */
/* ------------------------------------------------------------------ */

/* The words in one pool, each found by its place (a byte, not a
 * pointer), in the order of bact_status; BACT_STATUS_OTHER's is "". */
#define STATUS_WORDS(X)                                                     \
    X(other_, "") X(created, "created") X(running, "running")               \
    X(finished, "finished") X(canceled, "canceled") X(pausing, "pausing")   \
    X(paused, "paused") X(failed, "failed") X(unknown, "unknown")
#define WORD_MEMBER(m, text) char m[sizeof text];
#define WORD_TEXT(m, text) text,
#define WORD_PLACE(m, text) (uint8_t)offsetof(struct status_words, m),
/* the places first: one address for both */
struct status_words {
    uint8_t at[BACT_STATUS_UNKNOWN + 1];
    STATUS_WORDS(WORD_MEMBER)
};
static const struct status_words status_words = {
    { STATUS_WORDS(WORD_PLACE) }, STATUS_WORDS(WORD_TEXT)
};
#undef WORD_MEMBER
#undef WORD_TEXT
#undef WORD_PLACE
#define STATUS_WORD(i) ((const char *)&status_words + status_words.at[i])

const char *bact_status_name(bact_status s)
{
    unsigned i = (unsigned)s;
    return STATUS_WORD(i <= BACT_STATUS_UNKNOWN ? i : 0u);
}

bact_status bact_status_parse(const char *word, size_t len)
{
    unsigned i;
    if (word == NULL || len == 0)
        return BACT_STATUS_OTHER;
    for (i = 1; i <= BACT_STATUS_UNKNOWN; i++) {
        if (bact__past(word, STATUS_WORD(i), len) == word + len)
            return (bact_status)i;
    }
    return BACT_STATUS_OTHER;
}

int bact_status_is_terminal(bact_status s)
{
    return s == BACT_STATUS_FINISHED || s == BACT_STATUS_FAILED ||
           s == BACT_STATUS_CANCELED;
}

/* ------------------------------------------------------------------ */
/* Input checks                                                         */
/* ------------------------------------------------------------------ */

/* s, or NULL when it is empty */
static const char *nonempty(const char *s)
{
    return (s != NULL && s[0] != '\0') ? s : NULL;
}

/* 1 when there is a client and id is an id an answer can give back: 1 to
 * BACT_ID_SIZE - 1 bytes (a longer one sent would come back in a field no
 * result can hold). (not inlined: one copy for all; the client with it,
 * as every caller checks both) */
BACT__NOINLINE static int id_ok(const bact_client *c, const char *id)
{
    return c != NULL && id != NULL &&
           bact__strnlen(id, BACT_ID_SIZE) - 1u < BACT_ID_SIZE - 1u;
}

/* The checks of a run request (a template run's is copied into one, see
 * bact_run_template()); out is cleared first, so that a refused call
 * leaves no id to follow either. */
BACT__NOINLINE static int run_ok(const bact_client *c, const bact_run_req *rq,
                                 bact_task_created *out)
{
    unsigned fl, k;
    if (out == NULL)
        return 0;
    memset(out, 0, sizeof *out);
    /* a profile id, when there is one (not empty), is an id as
     * id_ok() takes it: a NUL among its first BACT_ID_SIZE bytes (an
     * empty one has one at its start: left out, and fine) */
    if (rq == NULL || !id_ok(c, rq->workflow_id) ||
        (rq->profile_id != NULL &&
         bact__strnlen(rq->profile_id, BACT_ID_SIZE - 1u) >
             BACT_ID_SIZE - 1u) ||
        !bact__params_ok(rq->params, rq->n_params))
        return 0;
    fl = (c->flags & BACT_F_ALLOW_LOOPBACK_CALLBACKS) ? BACT_URL_ALLOW_LOOPBACK
                                                      : 0u;
    for (k = 0; k < 2u; k++) {
        const char *url = k ? rq->status_callback_url : rq->callback_url;
        if (url != NULL && bact_check_callback_url(url, fl) != BACT_OK)
            return 0;
    }
    return 1;
}

/* *v is s, NULL when empty (left out); non-zero when that is NULL or an
 * RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)) of at
 * most 64 bytes that exists, between 1970 and 2105: read as answers are
 * read, but with a 'T' (answers may also separate with a space). A longer
 * text is refused, not read as far as the bound (what follows would be
 * sent unread). */
static int datetime_ok(const char *s, const char **v)
{
    uint32_t t;
    size_t n;
    s = *v = nonempty(s);
    if (s == NULL)
        return 1;
    if ((n = bact__strnlen(s, 64)) > 64u || bact__iso_time(s, n, &t) != 0)
        return 0;
    return s[10] - ' '; /* 0 for a space there, the separator read */
}

/* ------------------------------------------------------------------ */
/* Calls                                                                */
/* ------------------------------------------------------------------ */

#define JSON BACT__C_JSON
#define IDEM BACT__C_IDEMPOTENT

/* The endpoints' paths (after "/v2/workflow/"), one pool without NULs:
 * an endpoint holds its path's place and length, so a path may be the
 * start of another (get-task, run-task) or run on into the next
 * (get-region-list and list-tasks, list-tasks and stop-task share bytes). */
#define PATHS(X)                                                            \
    X(get_task_status, "get-task-status")                                   \
    X(run_task_by_template, "run-task-by-template")                         \
    X(get_region_, "get-region-") X(list_task, "list-task")                 \
    X(stop_task, "stop-task")                                               \
    X(resume_task, "resume-task") X(list_workflows, "list-workflows")       \
    X(list_templates, "list-official-workflow-templates")                   \
    X(get_workflow, "get-workflow")                                         \
    X(get_template, "get-official-workflow-template")

/* The pool is the texts run together (one literal: no array is filled
 * without its NUL); a layout of members as long as the texts gives their
 * places. */
#define PATH_MEMBER(m, text) char m[sizeof text - 1u];
#define PATH_TEXT(m, text) text
struct bact__paths {
    PATHS(PATH_MEMBER)
};
const char bact__paths[] = PATHS(PATH_TEXT);
#undef PATH_MEMBER
#undef PATH_TEXT
/* the pool is the layout (and a NUL); an endpoint's place is a byte */
typedef char paths_fit[sizeof bact__paths == sizeof(struct bact__paths) + 1u &&
                               sizeof(struct bact__paths) <= 256u
                           ? 1 : -1];

/* a path of the pool: its place and its length; or the text at a place:
 * the start of a path, or one that runs on into the next */
#define PATH(m) (uint8_t)offsetof(struct bact__paths, m),                  \
                (uint8_t)sizeof(((struct bact__paths *)0)->m)
#define PATH_AT(m, text)                                                   \
    (uint8_t)offsetof(struct bact__paths, m), (uint8_t)(sizeof(text) - 1u)

/* The endpoints' query names, in runs: an endpoint holds where its run
 * starts and how long it is. */
enum {
    QN_TASK = 0,      /* task_id, biz_code */
    QN_TEMPLATE = 2,  /* workflow_template_id */
    QN_LIST = 3,      /* keyword, page, limit */
    QN_REC = 6,       /* workflow_id, page, limit */
    QN_TASKS = 9      /* status ... limit: what bact_list_tasks() sends */
};
const uint16_t bact__qnames[] = {
    Q(task_id), Q(biz_code),
    Q(workflow_template_id),
    Q(keyword), Q(page), Q(limit),
    Q(workflow_id), Q(page), Q(limit),
    Q(status), Q(workflow_id), Q(workflow_name), Q(created_at_from),
    Q(created_at_to), Q(page), Q(limit)
};
/* the runs above end where the table does */
typedef char qnames_fit[sizeof bact__qnames / sizeof bact__qnames[0] ==
                                QN_TASKS + 7u ? 1 : -1];

/* The answer tables endpoints name, and the array elements' ones, one
 * after the other: an endpoint or an element reader holds where its table
 * starts (and how long it is). */
enum {
    STATE_FIELDS = 0, /* get-task-status: the status */
    PAGE_FIELDS = 1,  /* a page of a list */
    INPUT_DEF_FIELDS = 6,
    REGION_FIELDS = 8,
    WF_FIELDS = 10,   /* workflows and templates (below) */
    STEP_FIELDS = 22,
    DOWNLOAD_FIELDS = 28
};
const bact__field bact__ep_fields[] = {
    { BACT__QNAME(status), 0, 1, BACT__J_STATE },

    F(page, I32, 0, bact_page, page),
    F(limit, I32, 0, bact_page, limit),
    F(items, ARRAY, 0, bact_page, items),
    F(total_pages, I32, 0, bact_page, total_pages),
    F(total_count, I32, 0, bact_page, total_count),

    F(name, STR, 1, bact_input_def, name),
    F(default_enabled, BOOL, 0, bact_input_def, default_enabled),

    F(name, STR, 0, bact_region, name),
    F(code, STR, 1, bact_region, code),

    /* Three answers in one run of twelve, each a run of eight entries: a
     * template list item [0, 8), get-official-workflow-template [2, 10)
     * (recommendDesc and detailUrl required), get-workflow [4, 12)
     * (nothing required). */
    F(templateId, ID, 1, bact_workflow, id),
    F(name, STR, 1, bact_workflow, name),
    F(recommendDesc, STR, 1, bact_workflow, recommend_desc),
    F(detailUrl, STR, 1, bact_workflow, detail_url),
    F(description, STR, 0, bact_workflow, description),
    F(create_at, STR, 0, bact_workflow, create_at),
    F(publish_at, STR, 0, bact_workflow, publish_at),
    F(input_parameters, ARRAY, 0, bact_workflow, input_parameters),
    F(id, ID, 0, bact_workflow, id),
    F(name, STR, 0, bact_workflow, name),
    F(recommendDesc, STR, 0, bact_workflow, recommend_desc),
    F(detailUrl, STR, 0, bact_workflow, detail_url),

    F(id, STR, 1, bact_step, id),
    F(step, I32, 1, bact_step, step),
    F(status, STR, 1, bact_step, status),
    F(evaluation_previous_goal, STR, 0, bact_step, evaluation_previous_goal),
    F(step_goal, STR, 0, bact_step, step_goal),
    F(screenshots_url, STR, 0, bact_step, screenshots_url),

    F(guid, STR, 0, bact_download, guid),
    F(fileName, STR, 0, bact_download, file_name),
    F(fileSize, I64, 0, bact_download, file_size),
    F(status, STR, 0, bact_download, status),
    F(progress, I32, 0, bact_download, progress),
    F(downloadUrl, STR, 0, bact_download, download_url),
    F(errorMessage, STR, 0, bact_download, error_message),
    F(expiresAt, I64, 0, bact_download, expires_at)
};
typedef char ep_fields_fit[sizeof bact__ep_fields /
                                   sizeof bact__ep_fields[0] ==
                               DOWNLOAD_FIELDS + 8u ? 1 : -1];
/* a run as a table, for a reader that uses it too */
#define page_fields (bact__ep_fields + PAGE_FIELDS)

/* The endpoints, one table: a call names its endpoint by its place in
 * it, a small number, where an address would take a word of its own at
 * each use. bact_request()'s two come first (internal.h). */
enum {
    RECONCILE_EP = BACT__EP_RAW_IDEM + 1, RUN_EP, TEMPLATE_RUN_EP, STATUS_EP,
    TASK_EP, LIST_TASKS_EP, STOP_EP, RESUME_EP, WORKFLOWS_EP, TEMPLATES_EP,
    WORKFLOW_EP, TEMPLATE_EP, REGIONS_EP, N_EP
};

/* An endpoint: method, path (PATH()), its query names' run, its answer
 * table's place (0 with no table) and length, BACT__C_*. */
#define EP(name, method, path, query, nq, fields, nf, flags)               \
    [name] = {path, (uint8_t)((query) << 3 | (nq)),                         \
              (uint8_t)((fields) | (nf) << 4 |                              \
                        0u * sizeof(char[(query) < 32 && (nq) < 8 &&        \
                                         (fields) < 16 && (nf) < 16         \
                                         ? 1 : -1])),                       \
              (uint8_t)((flags) | BACT__C_##method)}

const bact__ep bact__eps[] = {
    /* bact_request()'s: the method and path are the request's */
    [BACT__EP_RAW] = { 0, 0, 0, 0, BACT__C_RAW },
    [BACT__EP_RAW_IDEM] = { 0, 0, 0, 0, BACT__C_RAW | BACT__C_IDEMPOTENT },
    /* what bact_list_tasks() sends for a workflow_id, a page and a limit
     * of RECONCILE_PAGE */
    EP(RECONCILE_EP, GET, PATH_AT(list_task, "list-tasks"), QN_REC, 3,
       0, 0, JSON | IDEM | BACT__C_DATE),
    EP(RUN_EP, POST, PATH_AT(run_task_by_template, "run-task"), 0, 0,
       0, 0, JSON | BACT__C_BODY),
    EP(TEMPLATE_RUN_EP, POST, PATH(run_task_by_template), 0, 0,
       0, 0, JSON | BACT__C_BODY),
    EP(STATUS_EP, GET, PATH(get_task_status), QN_TASK, 1,
       STATE_FIELDS, 1, JSON | IDEM),
    EP(TASK_EP, GET, PATH_AT(get_task_status, "get-task"), QN_TASK, 1,
       0, 0, JSON | IDEM),
    EP(LIST_TASKS_EP, GET, PATH_AT(list_task, "list-tasks"), QN_TASKS, 7,
       PAGE_FIELDS, 5, JSON | IDEM),
    /* stopping or resuming twice changes nothing more: safe to retry
     * (though the second one may be answered 10121 or 10127, see bact.h).
     * The answer is an empty 200; a body, if any, may only be an error
     * envelope. */
    EP(STOP_EP, PUT, PATH(stop_task), QN_TASK, 2, 0, 0,
       JSON | IDEM | BACT__C_ANY),
    EP(RESUME_EP, PUT, PATH(resume_task), QN_TASK, 2, 0, 0,
       JSON | IDEM | BACT__C_ANY),
    EP(WORKFLOWS_EP, GET, PATH(list_workflows), QN_LIST, 3,
       PAGE_FIELDS, 5, JSON | IDEM),
    EP(TEMPLATES_EP, GET, PATH(list_templates), QN_LIST, 3, PAGE_FIELDS, 5,
       JSON | IDEM),
    /* workflow_id: the first of reconcile()'s run */
    EP(WORKFLOW_EP, GET, PATH(get_workflow), QN_REC, 1,
       WF_FIELDS + 4, 8, JSON | IDEM),
    EP(TEMPLATE_EP, GET, PATH(get_template), QN_TEMPLATE, 1,
       WF_FIELDS + 2, 8, JSON | IDEM),
    EP(REGIONS_EP, GET, PATH_AT(get_region_, "get-region-list"), 0, 0, 0, 0,
       JSON | IDEM)
};
typedef char eps_fit[sizeof bact__eps / sizeof bact__eps[0] == N_EP ? 1 : -1];

/* Run one call of endpoint ep: its query values, the body writer's
 * argument or what the field table fills. Inlined: the call chains under
 * it are the library's deepest. */
static BACT__INLINE int run(bact_client *c, unsigned ep,
                            const char *const *values, const void *in,
                            void *out)
{
    return bact__exec(c, ep, values, in != NULL ? in : out);
}

/* ------------------------------------------------------------------ */
/* Request bodies                                                       */
/* ------------------------------------------------------------------ */

/* A key, by its place in the key pool (BACT__K_name: a small number, one
 * short instruction to load where an address takes a literal word), and
 * a string value; nothing when s is NULL. */
BACT__NOINLINE static void kstr(bact__jw *w, unsigned at, const char *s)
{
    bact__jw_kstr(w, BACT__KEY_AT(at), s);
}

static void put_params(bact__jw *w, const bact_param *p, size_t n)
{
    size_t i;
    if (n == 0)
        return;
    bact__jw_key(w, BACT__KEY(input_parameters));
    bact__jw_arr(w);
    for (i = 0; i < n; i++) {
        if (p[i].value == NULL)
            continue;
        bact__jw_obj(w);
        kstr(w, BACT__K_name, p[i].name);
        kstr(w, BACT__K_value, p[i].value);
        bact__jw_end(w, '}');
    }
    bact__jw_end(w, ']');
}

/* ------------------------------------------------------------------ */
/* Answers                                                              */
/* ------------------------------------------------------------------ */

static const bact__field created_fields[] = {
    F(id, ID, 1, bact_task_created, id),
    F(profile_id, ID, 0, bact_task_created, profile_id)
};

/* the same answer as seen by clients of the older API */
static const bact__field created_alt_fields[] = {
    F(profileId, ID, 0, bact_task_created, profile_id)
};

static int created(bact_client *c, bact_task_created *out)
{
    int rc = bact__json_fields(c, 0, created_fields, 2, out);
    if (rc == BACT_OK && out->id[0] == '\0')
        rc = BACT_E_SHAPE; /* a task id to follow is the whole point */
    if (rc == BACT_OK && out->profile_id[0] == '\0')
        rc = bact__json_fields(c, 0, created_alt_fields, 1, out);
    if (rc != BACT_OK)
        out->id[0] = out->profile_id[0] = 0; /* no id half taken */
    return rc;
}

/* ------------------------------------------------------------------ */
/* Duplicate-safe runs                                                  */
/* ------------------------------------------------------------------ */

/*
 * Creating a task costs money and the API has no idempotency key. When a
 * run request was sent but its answer was lost, resending blindly could
 * start the workflow twice. Instead, list the workflow's newest tasks and
 * look for one created since the request went out (by the server's own
 * clock: its Date header minus the time elapsed here, so no real-time
 * clock is needed) with the same input. Found: adopt it. Reached a task
 * older than that moment, or the end of the list, without finding it, on
 * two looks a back-off step apart: nothing was created, send again. After
 * a timeout the request may still be on its way, so it is never resent.
 * Anything else: give up and report the original error, since a duplicate
 * is worse than a failed call.
 */
#define RECONCILE_PAGE 2
#define RECONCILE_PAGES 16
#define RECONCILE_SKEW_S 2u

enum { REC_UNSURE, REC_ADOPTED, REC_RESEND };

/* input_parameters as the API reports it ("k=v; k2=v2") against what was
 * sent, in order */
static int same_input(const bact_client *c, const char *got,
                      const bact_param *p, size_t n)
{
    size_t i;
    int first = 1;
    if (got == NULL)
        got = "";
    for (i = 0; i < n; i++) {
        if (p[i].value == NULL)
            continue;
        if (!first) {
            if (*got != ';')
                return 0;
            got++;
            while (*got == ' ')
                got++;
        }
        first = 0;
        got = bact__past(got, p[i].name, c->cap);
        if (got == NULL || *got != '=' ||
            (got = bact__past(got + 1, p[i].value, c->cap)) == NULL)
            return 0;
    }
    while (*got == ' ')
        got++;
    return *got == '\0';
}

/* What reconciliation reads of a list item: views, no copies. */
typedef struct seen_task {
    const char *id, *workflow_id, *created_at, *input, *profile_id;
} seen_task;

static const bact__field seen_fields[] = {
    F(id, STR, 1, seen_task, id),
    F(workflow_id, STR, 1, seen_task, workflow_id),
    F(created_at, STR, 1, seen_task, created_at),
    F(input_parameters, STR, 0, seen_task, input),
    F(profile_id, STR, 0, seen_task, profile_id)
};

/* The decoded length of the string token whose view is p (it may hold
 * NUL bytes), or -1 when p is no string token's. jsmn makes its tokens in
 * the order of the text, so their starts rise: the token is found by
 * halving (a scan from the first token, for strings of each element of a
 * list, takes time in the square of the list's length). */
static int str_len(const bact_client *c, const char *p)
{
    int lo = 0, hi = c->ntok_used, off = (int)(p - (const char *)c->buf);
    const jsmntok_t *t;
    while (lo < hi) { /* the first token that starts at off or later */
        int m = lo + (hi - lo) / 2;
        if (c->tok[m].start < off)
            lo = m + 1;
        else
            hi = m;
    }
    t = &c->tok[lo];
    return lo < c->ntok_used && t->type == JSMN_STRING && t->start == off
               ? t->end - off
               : -1;
}

/* The decoded length of a string view that holds no NUL (a \u0000 would
 * make it compare and copy short), else -1: its first NUL is the one
 * that ends it. */
static int whole_len(const bact_client *c, const char *p)
{
    int n = str_len(c, p);
    return n >= 0 && bact__strnlen(p, (size_t)n) == (size_t)n ? n : -1;
}

/* a view into a fixed id field, refused when it does not fit or holds
 * a NUL */
static int take_id(const bact_client *c, char *dst, const char *src)
{
    int n = 0;
    if (src != NULL) {
        n = whole_len(c, src);
        if (n < 0 || n > (int)BACT_ID_SIZE - 1)
            return 0;
        memcpy(dst, src, (size_t)n);
    }
    dst[n] = '\0';
    return 1;
}

/* The token of the items array of a list-tasks answer to the request for
 * page page, its page fields checked as bact_list_tasks() checks them; -1
 * when they are wrong or there is no items array (absent or null: no list
 * seen, no end of one). *more: the page fields say the list goes on past
 * these items (pages of fewer tasks than asked, more pages or tasks, or
 * another page than the one asked for), so a short page is no end. */
BACT__NOINLINE static int page_items(const bact_client *c, unsigned page,
                                     int *more)
{
    bact_page pg;
    if (bact__json_fields(c, 0, page_fields, 5, &pg) != BACT_OK)
        return -1;
    *more = (pg.limit != 0 && pg.limit < RECONCILE_PAGE) ||
            (pg.page != 0 && pg.page != (int32_t)page) ||
            pg.total_pages > (int32_t)page ||
            (int64_t)pg.total_count >
                (int64_t)(page - 1u) * RECONCILE_PAGE +
                    (int64_t)pg.items.count;
    return pg.items.tok;
}

enum { REC_NEXT = 3 }; /* rec_item(): not this one, look further */

/* One list item against the request: REC_NEXT to look further, else what
 * reconcile() answers. lim[0] is the creation time of the item before
 * (newest first; for the first, the server's Date and the skew), lim[1]
 * the moment the request went out. */
BACT__NOINLINE static int rec_item(const bact_client *c, const bact_run_req *rq,
                                   bact_task_created *out, int e,
                                   uint32_t lim[2])
{
    seen_task t;
    uint32_t at;
    const char *w;
    /* (no element, e -1, is no object to bact__json_fields()) */
    if (bact__json_fields(c, e, seen_fields, 5, &t) != BACT_OK ||
        bact__iso_time(t.created_at, bact__strnlen(t.created_at, c->cap),
                       &at) != 0 ||
        at > lim[0])
        return REC_UNSURE; /* unreadable, or not newest first */
    lim[0] = at;
    if (at < lim[1])
        return REC_RESEND; /* older than the request: none made */
    if ((w = bact__past(t.workflow_id, rq->workflow_id, c->cap)) == NULL ||
        *w != '\0' || /* equal up to its first NUL, which ends it */
        whole_len(c, t.workflow_id) < 0 ||
        (t.input != NULL && whole_len(c, t.input) < 0))
        return REC_NEXT;
    /* input_parameters is optional: a task that does not report it is
     * ours when no input was sent, and may be when some was */
    if (!same_input(c, t.input, rq->params, rq->n_params))
        return t.input != NULL ? REC_NEXT : REC_UNSURE;
    /* ours: the id last, so that when anything fails none was taken */
    if (t.id[0] == '\0' || !take_id(c, out->profile_id, t.profile_id) ||
        !take_id(c, out->id, t.id)) {
        out->profile_id[0] = '\0';
        return REC_UNSURE; /* ours, but no usable id */
    }
    out->outcome = BACT_RUN_ADOPTED;
    return REC_ADOPTED;
}

#if RECONCILE_PAGES > 999
#error "RECONCILE_PAGES: the page number is written in 4 bytes"
#endif
#define STR_(x) #x
#define STR(x) STR_(x)

/* Pages through the workflow's tasks, newest first (the list-tasks call
 * is built here, not through bact_list_tasks(), so that this deepest of
 * the library's call chains carries no more than it needs). */
static int reconcile(bact_client *c, const bact_run_req *rq,
                     bact_task_created *out)
{
    uint32_t t_sent = c->t_sent, lim[2];
    unsigned page;
    const char *v[3];
    char num[4];

    /* from here on the clock of call_ms runs from the run request: it
     * bounds the lookups and a resend too (bact_run_task() lets go) */
    c->held = 1;
    lim[0] = 0xFFFFFFFFu;
    lim[1] = 0;
    v[0] = rq->workflow_id;
    v[1] = num;
    v[2] = STR(RECONCILE_PAGE);
    for (page = 1; page <= RECONCILE_PAGES; page++) {
        int items, rr, more = 0;
        unsigned i, count;
        (void)bact__u32_to_dec(page, num);
        rr = run(c, RECONCILE_EP, v, NULL, NULL);
        /* c->t_sent stays when the run request went out: a second look
         * measures from that moment too, not from the first look's */
        c->t_sent = t_sent;
        if (rr != BACT_OK || (items = page_items(c, page, &more)) < 0)
            return REC_UNSURE;
        count = (unsigned)c->tok[items].size;
        if (page == 1) {
            const bact_http_parser *p = &c->resp;
            uint32_t el = (c->pf.now_ms(c->pf.ctx) - t_sent) / 1000u + 1u;
            if (!(p->flags & BACT__F_HAS_DATE) ||
                p->date < el + RECONCILE_SKEW_S)
                return REC_UNSURE;
            lim[1] = p->date - el - RECONCILE_SKEW_S;
            /* nor after the Date: a task listed as made later says the
             * clocks disagree, and the moment above is not to be trusted
             * (2105's last Date plus 2 s fits in 32 bits) */
            lim[0] = p->date + RECONCILE_SKEW_S;
        }
        for (i = 0; i < count; i++) {
            int r = rec_item(c, rq, out, bact__json_elem(c, items, i), lim);
            /* an item older than the request ends the look after the
             * rest of its page, older still if newest first */
            if (r != REC_NEXT && (r != REC_RESEND || i + 1u == count))
                return r;
        }
        if (count < (unsigned)RECONCILE_PAGE && !more)
            return REC_RESEND; /* the end of the list */
    }
    return REC_UNSURE;
}

/* One run request (tmpl: run-task-by-template, a template run's request
 * copied into a run request); out of raw mode, the answer fills out. The
 * outcome is run_ok()'s BACT_RUN_CREATED until bact_run_task() says
 * more. (Left to the compiler, which puts it in both callers: smaller
 * than a call of its own, and bact_run_template() then stacks no frame
 * of it.) */
static int run_once(bact_client *c, const bact_run_req *rq,
                    bact_task_created *out, int tmpl)
{
    int rc = run(c, tmpl ? TEMPLATE_RUN_EP : RUN_EP, NULL, rq, NULL);
    if (rc == BACT_OK && !c->raw)
        rc = created(c, out);
    return rc;
}

int bact_run_task(bact_client *c, const bact_run_req *rq,
                  bact_task_created *out)
{
    int rc = BACT_E_ARG, round;
    if (!run_ok(c, rq, out))
        return rc;
    for (round = 0; round < 2; round++) {
        int r;
        uint8_t raw = c->raw;
        rc = run_once(c, rq, out, 0);
        /* the answer was lost after the request went out */
        if (!c->sent || (rc != BACT_E_NET && rc != BACT_E_TIMEOUT &&
                         rc != BACT_E_CLOSED))
            break;
        c->raw = 0;
        r = reconcile(c, rq, out);
        /* a second look, later (when the call has time for it; else
         * no resend: one look is not enough) */
        if (r == REC_RESEND) {
            r = REC_UNSURE;
            if (rc != BACT_E_TIMEOUT && bact__call_left(c) > c->backoff_ms) {
                bact__sleep(c, c->backoff_ms);
                r = reconcile(c, rq, out);
            }
        }
        c->raw = raw;
        if (r == REC_ADOPTED)
            rc = BACT_OK;
        if (r != REC_RESEND) {
            /* adopted, or cannot tell: never risk a duplicate; sent is
             * then the run request's, not the lists' (round, past 0,
             * says so below) */
            round++;
            break;
        }
        out->outcome = BACT_RUN_RESENT; /* in raw mode too */
    }
    /* a run request went out: reconciliation followed, and a second
     * round whatever the one sent again did (it may have failed before
     * sending) */
    if (round != 0)
        c->sent = 1;
    c->held = 0; /* the next call has a limit of its own */
    return rc;
}

/* the two request bodies (internal.h) */
int bact__body(bact_client *c, const bact__call *call, size_t *len,
               int write)
{
    bact__jw w;
    /* either kind of run request: a template run's copied into one */
    const bact_run_req *r = (const bact_run_req *)call->arg.in;
    int run = call->ep == &bact__eps[RUN_EP];
    /* measured in no room at all: nothing is written */
    bact__jw_init(&w, (char *)c->buf, write ? c->cap : 0u);
    w.b.len = *len;
    bact__jw_obj(&w);
    kstr(&w, run ? BACT__K_workflow_id : BACT__K_workflow_template_id,
         r->workflow_id);
    if (!run)
        kstr(&w, BACT__K_proxyRegion, nonempty(r->profile_id));
    put_params(&w, r->params, r->n_params);
    if (run) {
        /* a constant member, written as it reads (from the key pool,
         * where the readers find its key); a comma before it, as a
         * member always comes before (workflow_id: run_ok() wants one) */
        if (r->save_browser_data)
            bact__put(&w.b, BACT__KEY(save_browser_data) - 2,
                      sizeof BACT__SAVE_MEMBER - 1u);
        kstr(&w, BACT__K_profile_id, nonempty(r->profile_id));
    }
    kstr(&w, BACT__K_callback_url, r->callback_url);
    kstr(&w, BACT__K_status_change_callback_url, r->status_callback_url);
    bact__jw_end(&w, '}');
    if (w.bad && !write)
        return BACT_E_ARG;
    *len = w.b.len;
    return BACT_OK;
}

int bact_run_template(bact_client *c, const bact_template_run_req *rq,
                      bact_task_created *out)
{
    /* the checks and the body of a run request serve it: its fields go
     * to their places in one, the proxy region where a profile id is */
    bact_run_req r, *p = NULL; /* (NULL: out is cleared, then refused) */
    if (rq != NULL) {
        r.workflow_id = rq->template_id;
        r.params = rq->params;
        r.n_params = rq->n_params;
        r.save_browser_data = 0;
        r.profile_id = rq->proxy_region;
        r.callback_url = rq->callback_url;
        r.status_callback_url = rq->status_callback_url;
        p = &r;
    }
    if (!run_ok(c, p, out))
        return BACT_E_ARG;
    return run_once(c, &r, out, 1);
}

/* A task: the fields of a list item first, then get-task's extras. The
 * nested objects' token indexes go to obj_[] on the way. */
typedef bact_task task_w;

static const bact__field task_fields[] = {
    F(id, ID, 1, task_w, id),
    F(status, STATE, 1, task_w, state),
    F(created_at, STR, 1, task_w, created_at),
    F(workflow_id, ID, 1, task_w, workflow_id),
    F(profile_id, ID, 0, task_w, profile_id),
    F(finished_at, STR, 0, task_w, finished_at),
    F(output, OBJ, 0, task_w, obj_[0]),
    F(task_failure_info, OBJ, 0, task_w, obj_[1]),
    F(live_url_info, OBJ, 0, task_w, obj_[2]),
    F(live_url, STR, 0, task_w, live_url),
    F(credit, I64, 0, task_w, credit),
    F(input_parameters, STR, 0, task_w, input_parameters),
    /* get-task only */
    F(steps, ARRAY, 1, task_w, steps),
    F(download_files, ARRAY, 0, task_w, download_files),
    F(files_expires_at, I64, 0, task_w, files_expires_at),
    F(log_detail_url, STR, 0, task_w, log_detail_url)
};
#define TASK_LIST_FIELDS 12u

/* The nested objects, output, task_failure_info and live_url_info, two
 * entries each; the first two are read straight into the task. */
static const bact__field nested_fields[] = {
    F(string, STR, 0, bact_task, output),
    F(files, ARRAY, 0, bact_task, output_files),
    F(code, I32, 1, bact_task, failure_code),
    F(message, STR, 1, bact_task, failure_message),
    { BACT__QNAME(live_url), 0, 0, BACT__J_STR }
};

/* The nested objects are read through their own tables; one that is
 * absent (token -1) still has its members set to "absent" by
 * bact__json_fields(), whose BACT_E_SHAPE is then no error. (Not
 * inlined: its two callers share it.) */
BACT__NOINLINE static int task_from(const bact_client *c, int obj,
                                    size_t nfields, bact_task *out)
{
    int rc = bact__json_fields(c, obj, task_fields, nfields, out);
    const char *lu = NULL; /* (bact__json_fields() clears it first, which
                              gcc -fanalyzer cannot see) */
    unsigned k;
    if (rc != BACT_OK)
        return rc;
    /* the fields a list item lacks: absent */
    (void)bact__json_fields(c, -1, task_fields + nfields,
                            sizeof task_fields / sizeof task_fields[0] -
                                nfields,
                            out);
    for (k = 0; k < 3u; k++) {
        rc = bact__json_fields(c, out->obj_[k], nested_fields + 2u * k,
                               k < 2u ? 2u : 1u,
                               k < 2u ? (void *)out : (void *)&lu);
        if (rc != BACT_OK && out->obj_[k] >= 0)
            return rc;
    }
    out->output_len = 0;
    if (out->output != NULL) { /* the decoded length: NULs count */
        int n = str_len(c, out->output);
        out->output_len = n > 0 ? (size_t)n : 0u;
    }
    out->failed_info = out->obj_[1] >= 0;
    if (lu != NULL)
        out->live_url = lu;
    return BACT_OK;
}


/* For the two decoders: out's first size bytes cleared, and the kept
 * answer parsed (when it was not) and its strings unescaped. */
static int decode_kept(bact_client *c, void *out, size_t size)
{
    int rc = BACT_E_ARG;
    if (c != NULL && out != NULL) {
        memset(out, 0, size);
        rc = c->json == 0 ? bact__json_parse(c) : BACT_OK;
        if (rc == BACT_OK)
            bact__json_decode(c);
    }
    return rc;
}

int bact_decode_task(bact_client *c, bact_task *out)
{
    int rc = decode_kept(c, out, sizeof *out);
    return rc != BACT_OK
               ? rc
               : task_from(c, 0, sizeof task_fields / sizeof task_fields[0],
                           out);
}

int bact_decode_created(bact_client *c, bact_task_created *out)
{
    /* id and profile_id; outcome stays */
    int rc = decode_kept(c, out, offsetof(bact_task_created, outcome));
    return rc != BACT_OK ? rc : created(c, out);
}

/* The page and the limit of a list call (0 takes the default) into
 * num[0..16) and v[0..2), out cleared; 0 when out is NULL or they are out
 * of range. Not inlined: its frame stays off the calls' chains. */
BACT__NOINLINE static int page_args(bact_page *out, int32_t pg, int32_t lim,
                                    char *num, const char **v)
{
    if (out == NULL || pg < 0 || (uint32_t)lim > 500u)
        return 0; /* out of range */
    if (pg == 0)
        pg = 1;
    if (lim == 0)
        lim = DEFAULT_LIMIT;
    memset(out, 0, sizeof *out);
    (void)bact__i32_to_dec(pg, num);
    (void)bact__i32_to_dec(lim, num + 12);
    v[0] = num;
    v[1] = num + 12;
    return 1;
}

int bact_list_tasks(bact_client *c, const bact_task_query *q, bact_page *out)
{
    const char *v[7];
    char num[16]; /* the page (up to 11 bytes), then the limit (up to 4) */
    if (c == NULL || q == NULL ||
        (unsigned)q->status > (unsigned)BACT_STATUS_UNKNOWN)
        return BACT_E_ARG;
    if (!datetime_ok(q->created_from, v + 3) ||
        !datetime_ok(q->created_to, v + 4) ||
        !page_args(out, q->page, q->limit, num, v + 5))
        return BACT_E_ARG;
    v[0] = nonempty(bact_status_name(q->status)); /* OTHER's is "" */
    v[1] = nonempty(q->workflow_id);
    v[2] = nonempty(q->workflow_name);
    return run(c, LIST_TASKS_EP, v, NULL, out);
}

/* Not inlined: the two calls of it jump to it, their arguments in place. */
BACT__NOINLINE static int task_put(bact_client *c, const char *task_id,
                                   const int32_t *biz_code,
                                   unsigned ep)
{
    const char *v[2];
    char num[12];
    if (!id_ok(c, task_id))
        return BACT_E_ARG;
    v[0] = task_id;
    v[1] = NULL;
    if (biz_code != NULL) {
        (void)bact__i32_to_dec(*biz_code, num);
        v[1] = num;
    }
    return run(c, ep, v, NULL, NULL);
}

int bact_stop_task(bact_client *c, const char *task_id,
                   const int32_t *biz_code)
{
    return task_put(c, task_id, biz_code, STOP_EP);
}

int bact_resume_task(bact_client *c, const char *task_id)
{
    return task_put(c, task_id, NULL, RESUME_EP);
}

/* ------------------------------------------------------------------ */
/* Workflows, templates, regions                                        */
/* ------------------------------------------------------------------ */

static int list_call(bact_client *c, int32_t pg, int32_t lim,
                     bact_page *out, const char *keyword,
                     unsigned ep)
{
    const char *v[3];
    char num[16];
    if (c == NULL || !page_args(out, pg, lim, num, v + 1))
        return BACT_E_ARG;
    v[0] = nonempty(keyword);
    return run(c, ep, v, NULL, out);
}

int bact_list_workflows(bact_client *c, int32_t page, int32_t limit,
                        bact_page *out)
{
    return list_call(c, page, limit, out, NULL, WORKFLOWS_EP);
}

int bact_list_templates(bact_client *c, const char *keyword, int32_t page,
                        int32_t limit, bact_page *out)
{
    return list_call(c, page, limit, out, keyword, TEMPLATES_EP);
}

/* A call by one id (task, workflow or template): out, cleared first, is
 * what ep's field table fills (get-task's is filled after). */
static int get_one(bact_client *c, const char *id, void *out,
                   unsigned ep)
{
    if (out == NULL || !id_ok(c, id))
        return BACT_E_ARG;
    /* what out is, by the endpoint: a status, a task (task_from() reads
     * it), or a workflow */
    memset(out, 0, ep == STATUS_EP ? sizeof(bact_task_state)
                   : ep == TASK_EP ? sizeof(bact_task)
                                   : sizeof(bact_workflow));
    return run(c, ep, &id, NULL, out);
}

int bact_get_task_status(bact_client *c, const char *task_id,
                         bact_task_state *out)
{
    return get_one(c, task_id, out, STATUS_EP);
}

int bact_get_task(bact_client *c, const char *task_id, bact_task *out)
{
    /* out is still clear and the answer decoded: bact_decode_task()
     * reads it as it would a raw one */
    int rc = get_one(c, task_id, out, TASK_EP);
    return (rc != BACT_OK || c->raw) ? rc : bact_decode_task(c, out);
}

int bact_get_workflow(bact_client *c, const char *workflow_id,
                      bact_workflow *out)
{
    return get_one(c, workflow_id, out, WORKFLOW_EP);
}

int bact_get_template(bact_client *c, const char *template_id,
                      bact_workflow *out)
{
    return get_one(c, template_id, out, TEMPLATE_EP);
}

int bact_get_regions(bact_client *c, bact_array *out)
{
    int rc;
    if (c == NULL || out == NULL)
        return BACT_E_ARG;
    out->tok = -1;
    out->count = 0;
    rc = run(c, REGIONS_EP, NULL, NULL, NULL);
    if (rc != BACT_OK || c->raw)
        return rc;
    if (c->tok[0].type != JSMN_ARRAY)
        return BACT_E_SHAPE;
    out->tok = 0;
    out->count = (unsigned)c->tok[0].size;
    out->answer = c->answers;
    return BACT_OK;
}

/* Any request, through one of the two raw endpoints of the table above
 * (here with them, where what they are is in view) */
int bact_request(bact_client *c, const bact_http_req *rq, bact_body_cb sink,
                 void *user, int *status)
{
    bact__raw raw;
    int rc;
    if (status)
        *status = 0;
    if (c == NULL || rq == NULL || (rq->body == NULL && rq->body_len > 0))
        return BACT_E_ARG;
    raw.rq = rq;
    raw.sink = sink;
    raw.user = user;
    rc = bact__exec(c, rq->idempotent ? BACT__EP_RAW_IDEM : BACT__EP_RAW,
                    NULL, &raw);
    if (status) /* (below 100: digits of a cut or refused code, no status) */
        *status = c->resp.status >= 100u ? c->resp.status : 0;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Element readers                                                      */
/* ------------------------------------------------------------------ */

/* the token of element i, or BACT_E_ARG, which is bact__json_elem()'s -1
 * (also when out is NULL) */
typedef char elem_no_token[BACT_E_ARG == -1 ? 1 : -1];
static int elem(const bact_client *c, const bact_array *a, unsigned i,
                const void *out)
{
    /* the token's bounds and type: bact__json_elem() */
    if (c == NULL || a == NULL || out == NULL || i >= a->count ||
        a->answer != c->answers || BACT__JSON_STAGE(c) != 2)
        return BACT_E_ARG;
    return bact__json_elem(c, a->tok, i);
}

/* Element i of an array read through the field table of bact__ep_fields
 * at place table & 31, (table >> 5) + 2 entries long (one argument: the
 * readers pass it on the stack; a byte, which one short instruction
 * loads). */
BACT__NOINLINE static int elem_fields(const bact_client *c,
                                      const bact_array *a, unsigned i,
                                      void *out, unsigned table)
{
    int e = elem(c, a, i, out);
    if (e < 0)
        return e;
    return bact__json_fields(c, e, bact__ep_fields + (table & 31u),
                             (table >> 5) + 2u, out);
}

#define ELEM_READER(fn, type, place, n)                                    \
    int fn(const bact_client *c, const bact_array *a, unsigned i, type *out) \
    {                                                                      \
        return elem_fields(c, a, i, out,                                   \
                           (place) | ((n) - 2u) << 5 |                     \
                               0u * sizeof(char[(place) < 32u &&           \
                                                (n) - 2u < 8u ? 1 : -1])); \
    }

ELEM_READER(bact_step_at, bact_step, STEP_FIELDS, 6u)
ELEM_READER(bact_download_at, bact_download, DOWNLOAD_FIELDS, 8u)
ELEM_READER(bact_workflow_at, bact_workflow, WF_FIELDS + 4u, 8u)
ELEM_READER(bact_template_at, bact_workflow, WF_FIELDS, 8u)
ELEM_READER(bact_input_def_at, bact_input_def, INPUT_DEF_FIELDS, 2u)
ELEM_READER(bact_region_at, bact_region, REGION_FIELDS, 2u)

int bact_task_at(const bact_client *c, const bact_array *a, unsigned i,
                 bact_task *out)
{
    int e = elem(c, a, i, out);
    if (e < 0)
        return e;
    return task_from(c, e, TASK_LIST_FIELDS, out);
}

int bact_string_at(const bact_client *c, const bact_array *a, unsigned i,
                   const char **out)
{
    const jsmntok_t *t;
    const char *p;
    int e = elem(c, a, i, out);
    if (e < 0)
        return e;
    t = &c->tok[e];
    p = (const char *)c->buf + t->start;
    *out = NULL;
    if (t->type == JSMN_STRING)
        *out = p;
    else if (t->type != JSMN_PRIMITIVE || *p != 'n') /* null: NULL */
        return BACT_E_SHAPE;
    return BACT_OK;
}

/* ------------------------------------------------------------------ */
/* Waiting                                                              */
/* ------------------------------------------------------------------ */

/* What is left of max_wait_ms after el ms (0: over; UINT32_MAX with
 * BACT_WAIT_FOREVER, which never ends). */
BACT__NOINLINE static uint32_t wait_left(uint32_t max_wait_ms, uint32_t el)
{
    if (max_wait_ms == BACT_WAIT_FOREVER)
        return 0xFFFFFFFFu;
    return el >= max_wait_ms ? 0u : max_wait_ms - el;
}

int bact_wait(bact_client *c, const char *task_id, uint32_t interval_ms,
              uint32_t max_wait_ms, bact_status_cb cb, void *user,
              bact_task_state *out)
{
    uint32_t t0, left = max_wait_ms, call_ms;
    unsigned long polls;
    unsigned saved; /* raw mode and retries, given back at the end */
    int rc = BACT_E_DEADLINE;

    if (out == NULL || !id_ok(c, task_id))
        return BACT_E_ARG;
    memset(out, 0, sizeof *out);
    saved = c->raw | (unsigned)c->retries << 8;
    c->raw = 0; /* the status must be decoded */
    call_ms = c->call_ms;
    if (max_wait_ms == 0) /* one look: no time for a retry's wait */
        c->retries = 0;
    t0 = c->pf.now_ms(c->pf.ctx);
    for (polls = 0; polls < (unsigned long)BACT_WAIT_MAX_POLLS; polls++) {
        bact_task_state st;
        const char *p;
        int changed;
        /* a poll, its retries and their waits included, ends by the
         * deadline too: what is left of it, when that is less than the
         * whole-call limit (0: none; and none left, max_wait_ms 0, is no
         * limit either: that poll makes no retry instead, below) */
        if (max_wait_ms != BACT_WAIT_FOREVER && left - 1u < call_ms - 1u)
            c->call_ms = left;
        rc = get_one(c, task_id, &st, STATUS_EP);
        c->call_ms = call_ms;
        left = wait_left(max_wait_ms, c->pf.now_ms(c->pf.ctx) - t0);
        if (rc != BACT_OK) {
            /* a poll cut short by the deadline (a timeout; a TLS port
             * reports a handshake's as BACT_E_TLS); any other failure is
             * the answer, even when it came as time ran out */
            if ((rc == BACT_E_TIMEOUT || rc == BACT_E_TLS) && left == 0 &&
                max_wait_ms != 0)
                rc = BACT_E_DEADLINE;
            break;
        }
        /* *out holds the status seen before: the status callback runs on
         * the first one and on each change */
        changed = polls == 0 ||
                  (p = bact__past(st.text, out->text, BACT_STATUS_SIZE)) ==
                      NULL ||
                  *p != '\0';
        *out = st;
        rc = BACT_E_ABORTED;
        if (changed && cb != NULL && cb(user, &st) != 0)
            break;
        rc = BACT_OK;
        if (bact_status_is_terminal(st.status))
            break;
        rc = BACT_E_DEADLINE;
        if (left == 0)
            break;
        /* the deadline cuts the interval */
        bact__sleep(c, interval_ms < left ? interval_ms : left);
        left = wait_left(max_wait_ms, c->pf.now_ms(c->pf.ctx) - t0);
        if (left == 0)
            break;
    }
    c->raw = (uint8_t)saved;
    c->retries = (uint8_t)(saved >> 8);
    return rc;
}
