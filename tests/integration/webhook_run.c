/*
 * webhook_run.c - runs a task with webhook URLs on loopback, which only the
 * BACT_F_ALLOW_LOOPBACK_CALLBACKS opt-in permits, and waits for it. Prints
 * the task id. Used by tests/integration/webhooks.sh.
 *
 *   webhook_run BASE_URL KEY WORKFLOW_ID CALLBACK_URL STATUS_URL [strict]
 *
 * With "strict" the opt-in is left off and the run must be refused.
 */
#include <stdio.h>
#include <string.h>

#include "bact.h"
#include "bact_posix.h"

int main(int argc, char **argv)
{
    static uint8_t buf[2048];
    static jsmntok_t tok[64];
    bact_posix_conn conn;
    bact_transport tr;
    bact_platform pf;
    bact_client c;
    bact_config cfg;
    bact_run_req rq;
    bact_task_created t;
    bact_task_state st;
    int rc, strict = argc == 7 && strcmp(argv[6], "strict") == 0;

    if (argc != 6 && !strict) {
        fprintf(stderr, "usage: webhook_run BASE KEY WORKFLOW CB STATUS_CB [strict]\n");
        return 2;
    }
    bact_posix_transport(&tr, &conn);
    bact_posix_platform(&pf);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = argv[1];
    cfg.api_key = argv[2];
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 64;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.flags = strict ? 0u : BACT_F_ALLOW_LOOPBACK_CALLBACKS;
    if (bact_init(&c, &cfg) != BACT_OK)
        return 2;
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = argv[3];
    rq.callback_url = argv[4];
    rq.status_callback_url = argv[5];
    rc = bact_run_task(&c, &rq, &t);
    if (strict) {
        printf("%s\n", rc == BACT_E_ARG ? "refused" : "accepted");
        return rc == BACT_E_ARG ? 0 : 1;
    }
    if (rc != BACT_OK) {
        fprintf(stderr, "run: %s\n", bact_strerror(rc));
        return 1;
    }
    rc = bact_wait(&c, t.id, 50, 20000, NULL, NULL, &st);
    bact_close(&c);
    if (rc != BACT_OK) {
        fprintf(stderr, "wait: %s\n", bact_strerror(rc));
        return 1;
    }
    printf("%s %s\n", t.id, st.text);
    return 0;
}
