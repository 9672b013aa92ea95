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
    static bact_client c;
    bact_param p = {"query", "coffee beans"};
    bact_run_req rq = {0};
    bact_task_created task;
    bact_task_state st;
    int rc;

    if ((rc = size_init(&c)) != BACT_OK)
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
