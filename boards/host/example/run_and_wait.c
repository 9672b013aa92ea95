/*
 * run_and_wait.c - the README's example: start a workflow with one input
 * parameter and wait for its task, with the memory a small device would
 * give it: a 1 KiB work buffer and 32 JSON tokens.
 *
 *   BROWSERACT_BASE_URL=http://127.0.0.1:PORT BROWSERACT_API_KEY=KEY \
 *       run_and_wait WORKFLOW_ID NAME=VALUE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bact.h"
#include "bact_posix.h"

static int on_status(void *user, const bact_task_state *st)
{
    (void)user;
    fprintf(stderr, "status: %s\n", st->text);
    return 0; /* keep waiting */
}

int main(int argc, char **argv)
{
    static uint8_t buf[1024];
    static jsmntok_t tok[32];
    bact_posix_conn conn;
    bact_transport tr;
    bact_platform pf;
    bact_client c;
    bact_config cfg;
    bact_param param;
    bact_run_req rq;
    bact_task_created task;
    bact_task_state st;
    char *eq;
    int rc;

    if (argc != 3 || (eq = strchr(argv[2], '=')) == NULL) {
        fprintf(stderr, "usage: run_and_wait WORKFLOW_ID NAME=VALUE\n");
        return 2;
    }
    *eq = '\0';
    param.name = argv[2];
    param.value = eq + 1;

    bact_posix_transport(&tr, &conn);
    bact_posix_platform(&pf);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = getenv("BROWSERACT_BASE_URL");
    cfg.api_key = getenv("BROWSERACT_API_KEY");
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 32;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.retries = 3;
    if (bact_init(&c, &cfg) != BACT_OK) {
        fprintf(stderr, "bad BROWSERACT_BASE_URL or BROWSERACT_API_KEY\n");
        return 2;
    }

    memset(&rq, 0, sizeof rq);
    rq.workflow_id = argv[1];
    rq.params = &param;
    rq.n_params = 1;
    rc = bact_run_task(&c, &rq, &task);
    if (rc == BACT_OK) {
        printf("task %s\n", task.id);
        rc = bact_wait(&c, task.id, 200, 60000, on_status, NULL, &st);
    }
    bact_close(&c);
    if (rc != BACT_OK) {
        const bact_api_error *e = bact_last_error(&c);
        fprintf(stderr, "failed: %s", bact_strerror(rc));
        if (rc == BACT_E_API)
            fprintf(stderr, " (HTTP %d, code %ld: %s)", e->http_status,
                    (long)e->code, e->msg ? e->msg : "");
        fprintf(stderr, "\n");
        return 1;
    }
    printf("final status: %s\n", st.text);
    return st.status == BACT_STATUS_FINISHED ? 0 : 1;
}
