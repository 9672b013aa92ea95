/*
 * main.c - the example firmware image for cortex-m4f: the README's example
 * (start a workflow with one input parameter, wait for its task) over
 * HTTPS, on lwIP sockets, with mbedTLS verifying the server against one
 * trust anchor kept in flash as DER.
 *
 * It is linked to show what a whole HTTPS-capable firmware costs (make
 * size splits it into bact / lwIP / mbedTLS / libc / board). The network
 * driver (netif_stub.c) and the RTOS glue (sys_arch.c) are stand-ins, so
 * the image is not meant to run; everything else is what a device runs.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "lwip/dhcp.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

#include "bact.h"
#include "bact_lwip.h"
#include "bact_mbedtls.h"

#include <mbedtls/entropy.h>
#include <mbedtls/platform_time.h>
#include <mbedtls/platform_util.h>

extern const unsigned char board_ca_der[]; /* ca_der.c, made at build time */
extern const unsigned int board_ca_der_len;
err_t board_netif_init(struct netif *n);   /* netif_stub.c */
uint32_t board_trng(void);                 /* netif_stub.c */
int64_t board_rtc_seconds(void *ctx);      /* netif_stub.c */

/* lwIP's LWIP_RAND() (arch/cc.h) and mbedTLS's entropy source
 * (MBEDTLS_ENTROPY_HARDWARE_ALT): the TRNG. */
uint32_t lwip_port_rand(void)
{
    return board_trng();
}

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len,
                          size_t *olen);
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len,
                          size_t *olen)
{
    size_t i;
    (void)data;
    for (i = 0; i < len; i += 4) {
        uint32_t v = board_trng();
        size_t k = len - i < 4 ? len - i : 4;
        memcpy(output + i, &v, k);
    }
    *olen = len;
    return 0;
}

/* MBEDTLS_PLATFORM_MS_TIME_ALT (mbedtls_board.h): session ticket ages */
mbedtls_ms_time_t mbedtls_ms_time(void)
{
    return (mbedtls_ms_time_t)sys_now();
}

/* MBEDTLS_PLATFORM_GMTIME_R_ALT (mbedtls_board.h): certificate dates */
struct tm *mbedtls_platform_gmtime_r(const mbedtls_time_t *tt,
                                     struct tm *tm_buf)
{
    return gmtime_r(tt, tm_buf);
}

static struct netif eth0;
static bact_tls tls;             /* mbedTLS state: keep it off the stack */
static uint8_t work_buf[1024];   /* the request, then the response body */
static jsmntok_t tokens[32];     /* jsmn tokens for the answers */

static int run_and_wait(const char *api_key, const bact_transport *tr,
                        const bact_platform *pf)
{
    bact_client c;
    bact_config cfg;
    bact_param p = {"query", "coffee beans"};
    bact_run_req rq;
    bact_task_created task;
    bact_task_state st;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = "https://api.browseract.com";
    cfg.api_key = api_key;
    cfg.buf = work_buf;
    cfg.buf_len = sizeof work_buf;
    cfg.tokens = tokens;
    cfg.n_tokens = 32;
    cfg.transport = tr;
    cfg.platform = pf;
    cfg.retries = 3;
    if ((rc = bact_init(&c, &cfg)) != BACT_OK)
        return rc;

    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "16217357109956214";
    rq.params = &p;
    rq.n_params = 1;
    rc = bact_run_task(&c, &rq, &task);
    if (rc == BACT_OK) /* poll every 5 s, at most 10 min */
        rc = bact_wait(&c, task.id, 5000, 600000, NULL, NULL, &st);
    bact_close(&c);
    if (rc == BACT_OK && st.status != BACT_STATUS_FINISHED)
        rc = BACT_E_API;
    return rc;
}

int main(void)
{
    bact_lwip_conn conn;
    bact_transport tcp, https;
    bact_platform pf;
    bact_tls_config tc;
    int rc;

    tcpip_init(NULL, NULL);
    LOCK_TCPIP_CORE();
    netif_add(&eth0, NULL, NULL, NULL, NULL, board_netif_init, tcpip_input);
    netif_set_default(&eth0);
    netif_set_up(&eth0);
    (void)dhcp_start(&eth0);
    UNLOCK_TCPIP_CORE();

    bact_lwip_platform(&pf);
    bact_lwip_transport(&tcp, &conn);
    memset(&tc, 0, sizeof tc);
    tc.ca = board_ca_der;
    tc.ca_len = board_ca_der_len;
    tc.now = board_rtc_seconds;
    tc.platform = &pf;
    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK)
        return 1;
    bact_tls_transport(&https, &tls);

    rc = run_and_wait("app-0123456789abcdef", &https, &pf);
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}
