/*
 * client.c - "the whole client" for `make size`: one program that calls
 * every public function of bact.h (all twelve endpoints, the element
 * readers, bact_request, bact_wait with its retries), over a transport and
 * a platform that do nothing. Linked with --gc-sections, what is left of
 * the library is what an application using all of it carries; the C
 * library's share above an empty program is the libc delta.
 */
#include "null_port.h"

int main(void);

static int body_cb(void *u, const uint8_t *d, size_t n)
{
    (void)u; (void)d;
    return (int)n;
}
static int status_cb(void *u, const bact_task_state *st)
{
    (void)u;
    return (int)st->status;
}

int main(void)
{
    static bact_client c;
    bact_param p = {"query", "coffee"};
    bact_run_req rq = {0};
    bact_template_run_req tq = {0};
    bact_http_req hr = {0};
    bact_task_query q = {0};
    bact_task_created tc;
    bact_task_state st;
    bact_task t;
    bact_page pg;
    bact_workflow w;
    bact_array a;
    bact_step s;
    bact_download d;
    bact_input_def in;
    bact_region r;
    bact_url u;
    const char *str;
    size_t n;
    int32_t biz = 1;
    int rc = 0, status;

    rc |= size_init(&c);
    rc |= bact_parse_url("https://api.browseract.com", &u);
    rc |= bact_check_callback_url("https://example.com/hook", 0);
    bact_set_raw(&c, 0);
    rq.workflow_id = "1";
    rq.params = &p;
    rq.n_params = 1;
    rc |= bact_run_task(&c, &rq, &tc);
    tq.template_id = "2";
    rc |= bact_run_template(&c, &tq, &tc);
    rc |= bact_decode_created(&c, &tc);
    rc |= bact_request_sent(&c);
    rc |= bact_get_task_status(&c, tc.id, &st);
    rc |= bact_get_task(&c, tc.id, &t);
    rc |= bact_decode_task(&c, &t);
    rc |= bact_list_tasks(&c, &q, &pg);
    rc |= bact_stop_task(&c, tc.id, &biz);
    rc |= bact_resume_task(&c, tc.id);
    rc |= bact_list_workflows(&c, 1, 20, &pg);
    rc |= bact_get_workflow(&c, "1", &w);
    rc |= bact_list_templates(&c, "news", 1, 20, &pg);
    rc |= bact_get_template(&c, "2", &w);
    rc |= bact_get_regions(&c, &a);
    rc |= bact_task_at(&c, &pg.items, 0, &t);
    rc |= bact_step_at(&c, &t.steps, 0, &s);
    rc |= bact_download_at(&c, &t.download_files, 0, &d);
    rc |= bact_workflow_at(&c, &pg.items, 0, &w);
    rc |= bact_template_at(&c, &pg.items, 0, &w);
    rc |= bact_input_def_at(&c, &w.input_parameters, 0, &in);
    rc |= bact_region_at(&c, &a, 0, &r);
    rc |= bact_string_at(&c, &t.output_files, 0, &str);
    hr.method = "GET";
    hr.path = "/v2/workflow/list-workflows";
    rc |= bact_request(&c, &hr, body_cb, NULL, &status);
    rc |= bact_wait(&c, tc.id, 5000, BACT_WAIT_FOREVER, status_cb, NULL, &st);
    sink = (int)bact_needed(&c) + (int)bact_retries_used(&c) +
           (bact_last_error(&c) != NULL) + (bact_body(&c, &n) != NULL) +
           (int)bact_status_parse("running", 7) +
           bact_status_is_terminal(st.status) +
           (int)*bact_status_name(st.status) + (int)*bact_strerror(rc);
    bact_close(&c);
    return rc;
}
