/*
 * app.c - the README's application for `make size`: start a task from a
 * workflow and wait for it (bact_init, bact_run_task, bact_wait with
 * retries, bact_strerror, bact_close), over a transport and a platform
 * that do nothing. Linked with --gc-sections, it shows what a device that
 * only triggers workflows carries, against the whole client.
 */
#include "null_port.h"

int main(void);

int main(void)
{
    static uint8_t buf[1024];
    static jsmntok_t tok[32];
    static bact_client c;
    static bact_transport tr = {NULL, t_open, t_send, t_recv, t_close};
    static bact_platform pf = {NULL, p_now, p_sleep, p_rand};
    bact_config cfg = {0};
    bact_param p = {"query", "coffee beans"};
    bact_run_req rq = {0};
    bact_task_created task;
    bact_task_state st;
    int rc;

    cfg.base_url = "https://api.browseract.com";
    cfg.api_key = "app-key";
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 32;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.retries = 3;
    if ((rc = bact_init(&c, &cfg)) != BACT_OK)
        return rc;
    rq.workflow_id = "16217357109956214";
    rq.params = &p;
    rq.n_params = 1;
    rc = bact_run_task(&c, &rq, &task);
    if (rc == BACT_OK)
        rc = bact_wait(&c, task.id, 5000, 600000, NULL, NULL, &st);
    sink = (int)*bact_strerror(rc);
    bact_close(&c);
    return rc;
}
