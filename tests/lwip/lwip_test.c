/*
 * lwip_test.c - the bact client over lwIP's socket API, for real, in one
 * process: Debian's liblwip (lwIP 2.1.3, unix port, NO_SYS=0) runs its
 * tcpip thread here; a netif with no driver behind it (every frame handed
 * to it is counted and dropped) carries 127.0.0.1, so all TCP traffic goes
 * through lwIP's loopback path and no byte reaches the operating system's
 * network. A BrowserAct-like HTTP server on lwIP sockets runs in other
 * threads; the client is the bact library through port/lwip, plain and,
 * with TLS_DIR given, through port/mbedtls (the server side of TLS is
 * mbedTLS on lwIP sockets too).
 *
 *   lwip_test [TLS_DIR]      TLS_DIR: root.pem, leaf.pem, leaf.key,
 *                            other-root.pem (tests/lwip/run.sh makes them)
 *
 * Prints one "ok - lwip.NAME" or "not ok - lwip.NAME: why" per check.
 *
 * Linked with -Wl,--wrap=lwip_poll (lwip_select when the port waits with
 * select): a check can make the port's waits fail (only on the client's
 * thread; the server's polls go on); and with
 * -Wl,--wrap=lwip_socket,--wrap=lwip_connect: no socket to be had, a
 * connect that fails at once.
 *
 * Built on an lwIP with a resolver (LWIP_DNS, the build from lwIP's source:
 * tests/lwip/dns/), a DNS server of the test's own on an lwIP UDP socket at
 * 127.0.0.1:53 answers for a few names, and the checks open names as well;
 * lwip_getaddrinfo and lwip_freeaddrinfo are wrapped then, to count the
 * results not freed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwip/init.h"
#if LWIP_DNS
#include "lwip/dns.h"
#include "lwip/netdb.h"
#endif
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

#include "bact.h"
#include "bact_lwip.h"
#ifdef BACT_LWIP_TEST_TLS
#include "bact_mbedtls.h"
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#endif

#define API_KEY "app-lwip-test"
#define TASK_ID "71001"
#define PORT_HTTP 8080
#define PORT_TLS 8443
#define PORT_TLS_FLOOD 8445 /* TLS, then warning alerts for FLOOD_MS */
#define FLOOD_MS 3000
#define PORT_CLOSE 8081
#define PORT_RESET 8082
#define PORT_SILENT 8083
#define PORT_LATE 8084  /* "late", 100 ms after the accept */
#define PORT_DRAIN 8085 /* reads nothing until told: then reads, or resets */
#define PORT_NONE 8099
#define POLLS_RUNNING 2 /* get-task-status answers "running" this often */

/* the checks' prefix: "lwip", or "lwip-dns" for the build on lwIP's source
 * ("lwip-v4" for it without IPv6) */
#ifndef LWIP_TEST_NAME
#define LWIP_TEST_NAME "lwip"
#endif

static int failures;
static int checks;

static void result(int ok, const char *name, const char *fmt, ...)
{
    checks++;
    if (ok) {
        printf("ok - " LWIP_TEST_NAME ".%s\n", name);
    } else {
        va_list ap;
        failures++;
        printf("not ok - " LWIP_TEST_NAME ".%s: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* lwIP bring-up: a netif without a driver                              */
/* ------------------------------------------------------------------ */

static struct netif nif;
static volatile int driver_frames4, driver_frames6;

static err_t drop_output4(struct netif *n, struct pbuf *p,
                          const ip4_addr_t *dst)
{
    (void)n; (void)p; (void)dst;
    driver_frames4++;
    return ERR_OK;
}

#if LWIP_IPV6
static err_t drop_output6(struct netif *n, struct pbuf *p,
                          const ip6_addr_t *dst)
{
    (void)n; (void)p; (void)dst;
    driver_frames6++; /* neighbour discovery and MLD chatter */
    return ERR_OK;
}
#endif

static err_t drop_linkoutput(struct netif *n, struct pbuf *p)
{
    (void)n; (void)p;
    return ERR_OK;
}

static err_t nif_init(struct netif *n)
{
    n->name[0] = 'b';
    n->name[1] = 't';
    n->output = drop_output4;
#if LWIP_IPV6
    n->output_ip6 = drop_output6;
#endif
    n->linkoutput = drop_linkoutput;
    n->mtu = 1500;
    n->flags = 0;
    return ERR_OK;
}

static void tcpip_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

static int lwip_up(void)
{
    sys_sem_t sem;
    ip4_addr_t ip, mask, gw;
    if (sys_sem_new(&sem, 0) != ERR_OK)
        return 0;
    tcpip_init(tcpip_ready, &sem);
    sys_sem_wait(&sem);
    sys_sem_free(&sem);
    IP4_ADDR(&ip, 127, 0, 0, 1);
    IP4_ADDR(&mask, 255, 0, 0, 0);
    IP4_ADDR(&gw, 0, 0, 0, 0);
    LOCK_TCPIP_CORE();
    if (netif_add(&nif, &ip, &mask, &gw, NULL, nif_init, tcpip_input) == NULL) {
        UNLOCK_TCPIP_CORE();
        return 0;
    }
#if LWIP_IPV6
    {
        ip6_addr_t lo6;
        s8_t idx = -1;
        ip6_addr_set_loopback(&lo6);
        if (netif_add_ip6_address(&nif, &lo6, &idx) == ERR_OK && idx >= 0)
            netif_ip6_addr_set_state(&nif, idx, IP6_ADDR_PREFERRED);
    }
#endif
    netif_set_default(&nif);
    netif_set_up(&nif);
    netif_set_link_up(&nif);
    UNLOCK_TCPIP_CORE();
    return 1;
}

/* ------------------------------------------------------------------ */
/* The server: BrowserAct's task endpoints, on lwIP sockets             */
/* ------------------------------------------------------------------ */

typedef struct srv_io {
    int fd;
#ifdef BACT_LWIP_TEST_TLS
    mbedtls_ssl_context *ssl;
#endif
} srv_io;

static volatile int stopping;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int accepted_http[2];  /* connections accepted: plain, TLS */
static int status_polls;
static int bad_requests;
static int host_by_name; /* requests whose Host was bact.test:8080 */
static int too_large;    /* requests answered 413 before their body */

#ifdef BACT_LWIP_TEST_TLS
static mbedtls_ssl_config srv_conf;
static mbedtls_x509_crt srv_cert;
static mbedtls_pk_context srv_key;
static mbedtls_entropy_context srv_entropy;
static mbedtls_ctr_drbg_context srv_drbg;
static mbedtls_ssl_cache_context srv_cache;
static int tls_ready;

static int bio_send(void *ctx, const unsigned char *b, size_t n)
{
    ssize_t r = lwip_send(*(int *)ctx, b, n, 0);
    return r < 0 ? MBEDTLS_ERR_NET_SEND_FAILED : (int)r;
}

static int bio_recv(void *ctx, unsigned char *b, size_t n)
{
    ssize_t r = lwip_recv(*(int *)ctx, b, n, 0);
    return r < 0 ? MBEDTLS_ERR_NET_RECV_FAILED : (int)r;
}

static int tls_server_setup(const char *dir)
{
    char path[512];
    mbedtls_ssl_config_init(&srv_conf);
    mbedtls_x509_crt_init(&srv_cert);
    mbedtls_pk_init(&srv_key);
    mbedtls_entropy_init(&srv_entropy);
    mbedtls_ctr_drbg_init(&srv_drbg);
    mbedtls_ssl_cache_init(&srv_cache);
    if (mbedtls_ctr_drbg_seed(&srv_drbg, mbedtls_entropy_func, &srv_entropy,
                              (const unsigned char *)"srv", 3) != 0)
        return 0;
    snprintf(path, sizeof path, "%s/leaf.pem", dir);
    if (mbedtls_x509_crt_parse_file(&srv_cert, path) != 0)
        return 0;
    snprintf(path, sizeof path, "%s/leaf.key", dir);
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    if (mbedtls_pk_parse_keyfile(&srv_key, path, NULL, mbedtls_ctr_drbg_random,
                                 &srv_drbg) != 0)
#else
    if (mbedtls_pk_parse_keyfile(&srv_key, path, NULL) != 0)
#endif
        return 0;
    if (mbedtls_ssl_config_defaults(&srv_conf, MBEDTLS_SSL_IS_SERVER,
                                    MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return 0;
    mbedtls_ssl_conf_rng(&srv_conf, mbedtls_ctr_drbg_random, &srv_drbg);
    mbedtls_ssl_conf_session_cache(&srv_conf, &srv_cache,
                                   mbedtls_ssl_cache_get,
                                   mbedtls_ssl_cache_set);
    if (mbedtls_ssl_conf_own_cert(&srv_conf, &srv_cert, &srv_key) != 0)
        return 0;
    tls_ready = 1;
    return 1;
}
#endif

static ssize_t srv_read(srv_io *io, void *b, size_t n)
{
#ifdef BACT_LWIP_TEST_TLS
    if (io->ssl != NULL) {
        int r;
        do {
            r = mbedtls_ssl_read(io->ssl, b, n);
        } while (r == MBEDTLS_ERR_SSL_WANT_READ);
        if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            return 0;
        return r;
    }
#endif
    return lwip_recv(io->fd, b, n, 0);
}

static int srv_write(srv_io *io, const void *b, size_t n)
{
    const unsigned char *p = b;
    while (n > 0) {
        ssize_t r;
#ifdef BACT_LWIP_TEST_TLS
        if (io->ssl != NULL)
            r = mbedtls_ssl_write(io->ssl, p, n);
        else
#endif
            r = lwip_send(io->fd, p, n, 0);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int respond(srv_io *io, int status, const char *body)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     status, status == 200 ? "OK" : "Error", strlen(body));
    if (srv_write(io, head, (size_t)n) != 0)
        return -1;
    return srv_write(io, body, strlen(body));
}

/* get-task: chunked, in small pieces with pauses, so the client's recv
 * sees partial data and "nothing yet" between pieces. */
static int respond_task(srv_io *io)
{
    static const char body[] =
        "{\"id\":\"" TASK_ID "\",\"status\":\"finished\","
        "\"created_at\":\"2025-01-01T00:00:00Z\","
        "\"finished_at\":\"2025-01-01T00:01:00Z\","
        "\"workflow_id\":\"16217357109956214\",\"steps\":[],"
        "\"output\":{\"string\":\"coffee beans: 42 results via lwIP\"},"
        "\"credit\":4,\"input_parameters\":\"query=coffee beans\"}";
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    size_t off = 0, len = sizeof body - 1;
    char line[16];
    if (srv_write(io, head, sizeof head - 1) != 0)
        return -1;
    while (off < len) {
        size_t k = len - off < 37 ? len - off : 37;
        int n = snprintf(line, sizeof line, "%zx\r\n", k);
        if (srv_write(io, line, (size_t)n) != 0 ||
            srv_write(io, body + off, k) != 0 || srv_write(io, "\r\n", 2) != 0)
            return -1;
        off += k;
        usleep(2000);
    }
    return srv_write(io, "0\r\n\r\n", 5);
}

static int handle_request(srv_io *io, const char *req, const char *body)
{
    char line[256];
    const char *eol = strstr(req, "\r\n");
    size_t n = eol ? (size_t)(eol - req) : 0;
    if (n == 0 || n >= sizeof line)
        return -1;
    memcpy(line, req, n);
    line[n] = '\0';
    if (strstr(req, "\r\nAuthorization: Bearer " API_KEY "\r\n") == NULL) {
        pthread_mutex_lock(&lock);
        bad_requests++;
        pthread_mutex_unlock(&lock);
        return respond(io, 401, "{\"code\":401,\"msg\":\"bad key\",\"data\":null}");
    }
    if (strstr(req, "\r\nHost: bact.test:8080\r\n") != NULL) {
        pthread_mutex_lock(&lock);
        host_by_name++;
        pthread_mutex_unlock(&lock);
    }
    if (strcmp(line, "POST /v2/workflow/run-task HTTP/1.1") == 0) {
        if (strstr(body, "\"workflow_id\":\"16217357109956214\"") == NULL ||
            strstr(body, "\"query\"") == NULL)
            return respond(io, 400, "{\"code\":10001,\"msg\":\"bad body\",\"data\":null}");
        return respond(io, 200, "{\"id\":\"" TASK_ID "\"}");
    }
    if (strcmp(line, "GET /v2/workflow/get-task-status?task_id=" TASK_ID
                     " HTTP/1.1") == 0) {
        int k;
        pthread_mutex_lock(&lock);
        k = ++status_polls;
        pthread_mutex_unlock(&lock);
        return respond(io, 200, k % (POLLS_RUNNING + 1) != 0
                                    ? "{\"status\":\"running\"}"
                                    : "{\"status\":\"finished\"}");
    }
    if (strcmp(line, "GET /v2/workflow/get-task?task_id=" TASK_ID
                     " HTTP/1.1") == 0)
        return respond_task(io);
    return respond(io, 404, "{\"code\":404,\"msg\":\"no such path\",\"data\":null}");
}

/* Requests on one connection until the client closes it. */
static void serve_http(srv_io *io)
{
    char buf[4096];
    size_t have = 0;
    for (;;) {
        char *end;
        size_t need;
        const char *cl;
        size_t clen = 0;
        ssize_t r;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end == NULL) {
            if (have + 1 >= sizeof buf)
                return;
            r = srv_read(io, buf + have, sizeof buf - 1 - have);
            if (r <= 0)
                return;
            have += (size_t)r;
            continue;
        }
        cl = strstr(buf, "\r\nContent-Length: ");
        if (cl != NULL && cl < end)
            clen = (size_t)strtoul(cl + 18, NULL, 10);
        need = (size_t)(end + 4 - buf) + clen;
        if (need >= sizeof buf) {
            /* too large: answered at once, the body left unread (the
             * close that follows is a RST while the client still sends) */
            pthread_mutex_lock(&lock);
            too_large++;
            pthread_mutex_unlock(&lock);
            (void)respond(io, 413, "{\"code\":413,\"msg\":\"too large\","
                                   "\"data\":null}");
            return;
        }
        while (have < need) {
            r = srv_read(io, buf + have, sizeof buf - 1 - have);
            if (r <= 0)
                return;
            have += (size_t)r;
        }
        {
            char saved = buf[need];
            buf[need] = '\0';
            end[2] = '\0'; /* headers end with one CRLF */
            if (handle_request(io, buf, end + 4) != 0)
                return;
            buf[need] = saved;
        }
        memmove(buf, buf + need, have - need);
        have -= need;
    }
}

typedef struct conn_job {
    int fd;
    int port;
} conn_job;

#ifdef BACT_LWIP_TEST_TLS
/* warning alerts (user_canceled) back to back for FLOOD_MS, or until
 * the client is gone: each is a record that moves bytes, and mbedTLS skips
 * each in a loop of its own. The records go out 8 KiB at a time (one per
 * record would leave gaps between them: lwIP's loopback takes its time
 * over each small segment). */
typedef struct flood_out {
    int fd;
    size_t n;
    unsigned char b[8192];
} flood_out;

static int flood_send(void *ctx, const unsigned char *p, size_t n)
{
    flood_out *f = (flood_out *)ctx;
    if (n > sizeof f->b)
        return MBEDTLS_ERR_NET_SEND_FAILED;
    if (f->n + n > sizeof f->b) {
        if (lwip_send(f->fd, f->b, f->n, 0) != (ssize_t)f->n)
            return MBEDTLS_ERR_NET_SEND_FAILED;
        f->n = 0;
    }
    memcpy(f->b + f->n, p, n);
    f->n += n;
    return (int)n;
}

static void alert_flood(mbedtls_ssl_context *ssl, int fd)
{
    static flood_out out; /* (one flood at a time) */
    uint32_t t0 = (uint32_t)sys_now();
    unsigned n;
    out.fd = fd;
    out.n = 0;
    mbedtls_ssl_set_bio(ssl, &out, flood_send, bio_recv, NULL);
    for (n = 0; n < 10000000u && (uint32_t)sys_now() - t0 < FLOOD_MS; n++)
        if (mbedtls_ssl_send_alert_message(
                ssl, MBEDTLS_SSL_ALERT_LEVEL_WARNING,
                MBEDTLS_SSL_ALERT_MSG_USER_CANCELED) != 0)
            break;
}
#endif

static void *conn_thread(void *arg)
{
    conn_job job = *(conn_job *)arg;
    srv_io io;
    free(arg);
    io.fd = job.fd;
#ifdef BACT_LWIP_TEST_TLS
    io.ssl = NULL;
    if (job.port == PORT_TLS || job.port == PORT_TLS_FLOOD) {
        mbedtls_ssl_context ssl;
        int r;
        mbedtls_ssl_init(&ssl);
        if (mbedtls_ssl_setup(&ssl, &srv_conf) == 0) {
            mbedtls_ssl_set_bio(&ssl, &io.fd, bio_send, bio_recv, NULL);
            do {
                r = mbedtls_ssl_handshake(&ssl);
            } while (r == MBEDTLS_ERR_SSL_WANT_READ ||
                     r == MBEDTLS_ERR_SSL_WANT_WRITE);
            if (r == 0 && job.port == PORT_TLS_FLOOD) {
                alert_flood(&ssl, job.fd);
            } else if (r == 0) {
                io.ssl = &ssl;
                serve_http(&io);
                (void)mbedtls_ssl_close_notify(&ssl);
            }
        }
        mbedtls_ssl_free(&ssl);
        lwip_close(job.fd);
        return NULL;
    }
#endif
    serve_http(&io);
    lwip_close(job.fd);
    return NULL;
}

/* PORT_LATE: "late" 100 ms after the accept, then read until the end */
static void *late_thread(void *arg)
{
    int fd = *(int *)arg;
    char b[64];
    free(arg);
    usleep(100000);
    (void)lwip_send(fd, "late", 4, 0);
    while (lwip_recv(fd, b, sizeof b, 0) > 0)
        ;
    lwip_close(fd);
    return NULL;
}

/* PORT_DRAIN: nothing read until the client sets drain_mode, then, 100 ms
 * later, read all (1) or close with the client's bytes unread (2: a RST) */
static volatile int drain_mode;

static void *drain_thread(void *arg)
{
    int fd = *(int *)arg, k, mode = 0;
    static char b[4096];
    free(arg);
    for (k = 0; k < 1000 && mode == 0; k++) {
        usleep(10000);
        mode = drain_mode;
    }
    usleep(100000);
    if (mode == 1)
        while (lwip_recv(fd, b, sizeof b, 0) > 0)
            ;
    lwip_close(fd);
    return NULL;
}

#define LISTENERS_MAX 12
static int listeners[LISTENERS_MAX];
static int listener_port[LISTENERS_MAX];
static int n_listeners;
static int held[16];
static int n_held;

static int listen_on(int family, int port)
{
    int fd, one = 1;
    if (n_listeners == LISTENERS_MAX)
        return -1;
    fd = lwip_socket(family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    (void)lwip_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET) {
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = lwip_htons((u16_t)port);
        a.sin_addr.s_addr = lwip_htonl(0x7F000001u);
        if (lwip_bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
            goto fail;
    } else {
#if LWIP_IPV6
        struct sockaddr_in6 a;
        memset(&a, 0, sizeof a);
        a.sin6_family = AF_INET6;
        a.sin6_port = lwip_htons((u16_t)port);
        a.sin6_addr.s6_addr[15] = 1; /* ::1 */
        if (lwip_bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
            goto fail;
#else
        goto fail;
#endif
    }
    if (lwip_listen(fd, 8) != 0)
        goto fail;
    listeners[n_listeners] = fd;
    listener_port[n_listeners] = port;
    n_listeners++;
    return fd;
fail:
    lwip_close(fd);
    return -1;
}

static void *server_thread(void *arg)
{
    (void)arg;
    while (!stopping) {
        struct pollfd p[LISTENERS_MAX];
        int i, r;
        for (i = 0; i < n_listeners; i++) {
            p[i].fd = listeners[i];
            p[i].events = POLLIN;
            p[i].revents = 0;
        }
        r = lwip_poll(p, (nfds_t)n_listeners, 50);
        if (r <= 0)
            continue;
        for (i = 0; i < n_listeners; i++) {
            int fd, port = listener_port[i];
            if ((p[i].revents & POLLIN) == 0)
                continue;
            fd = lwip_accept(listeners[i], NULL, NULL);
            if (fd < 0)
                continue;
            if (port == PORT_CLOSE) {
                lwip_close(fd); /* FIN before any byte */
            } else if (port == PORT_RESET) {
                /* close with the client's bytes unread: lwIP answers
                 * with RST, as a BSD stack does */
                struct pollfd q;
                q.fd = fd;
                q.events = POLLIN;
                q.revents = 0;
                (void)lwip_poll(&q, 1, 2000);
                lwip_close(fd);
            } else if (port == PORT_LATE || port == PORT_DRAIN) {
                pthread_t th;
                int *job = malloc(sizeof *job);
                if (job == NULL) {
                    lwip_close(fd);
                    continue;
                }
                *job = fd;
                if (pthread_create(&th, NULL, port == PORT_LATE ? late_thread
                                                                : drain_thread,
                                   job) != 0) {
                    free(job);
                    lwip_close(fd);
                    continue;
                }
                pthread_detach(th);
            } else if (port == PORT_SILENT) {
                if (n_held < 16)
                    held[n_held++] = fd; /* says nothing, stays open */
                else
                    lwip_close(fd);
            } else {
                pthread_t th;
                conn_job *job = malloc(sizeof *job);
                if (job == NULL) {
                    lwip_close(fd);
                    continue;
                }
                {
                    int one = 1; /* no Nagle wait between head and body */
                    (void)lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
                                          sizeof one);
                }
                job->fd = fd;
                job->port = port;
                pthread_mutex_lock(&lock);
                if (port != PORT_TLS_FLOOD)
                    accepted_http[port == PORT_TLS ? 1 : 0]++;
                pthread_mutex_unlock(&lock);
                if (pthread_create(&th, NULL, conn_thread, job) != 0) {
                    free(job);
                    lwip_close(fd);
                    continue;
                }
                pthread_detach(th);
            }
        }
    }
    return NULL;
}

#if LWIP_DNS
/* ------------------------------------------------------------------ */
/* The resolver's server: DNS on an lwIP UDP socket, 127.0.0.1:53       */
/* ------------------------------------------------------------------ */

/* bact.test and localhost are 127.0.0.1 (A), v6.bact.test is ::1 (AAAA);
 * silent.bact.test gets no answer; every other name does not exist
 * (NXDOMAIN). A query for another type about a known name gets an empty
 * answer. */
static int dns_queries;
static char dns_last[300]; /* the last name asked, as it came */

/* the question's name at q[12..n) as dotted text into out; the question's
 * end (past type and class), or 0 if malformed */
static size_t dns_name(const uint8_t *q, size_t n, char *out, size_t cap)
{
    size_t i = 12, o = 0;
    while (i < n && q[i] != 0) {
        size_t len = q[i++];
        if (len > 63 || i + len > n || o + len + 2 > cap)
            return 0;
        if (o > 0)
            out[o++] = '.';
        memcpy(out + o, q + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
    return i + 5 <= n ? i + 5 : 0; /* the root label, type, class */
}

static void dns_answer(int fd, const uint8_t *q, size_t n,
                       const struct sockaddr_in *from)
{
    static const uint8_t rr4[] = {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
                                  127, 0, 0, 1}; /* A 127.0.0.1, TTL 60 */
    static const uint8_t rr6[] = {0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
                                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  0, 1}; /* AAAA ::1 */
    uint8_t a[512];
    char name[300];
    size_t end = n >= 12 ? dns_name(q, n, name, sizeof name) : 0;
    const uint8_t *rr = NULL;
    size_t rr_len = 0;
    int known, v6, type;

    if (end == 0 || end + sizeof rr6 > sizeof a || (q[2] & 0x80) != 0)
        return;
    pthread_mutex_lock(&lock);
    dns_queries++;
    memcpy(dns_last, name, strlen(name) + 1);
    pthread_mutex_unlock(&lock);
    if (strcmp(name, "silent.bact.test") == 0)
        return;
    v6 = strcmp(name, "v6.bact.test") == 0;
    known = v6 || strcmp(name, "bact.test") == 0 ||
            strcmp(name, "localhost") == 0 || strcmp(name, "b") == 0;
    type = q[end - 4] << 8 | q[end - 3];
    if (known && !v6 && type == 1) {
        rr = rr4;
        rr_len = sizeof rr4;
    } else if (v6 && type == 28) {
        rr = rr6;
        rr_len = sizeof rr6;
    }
    memcpy(a, q, end); /* the id, flags and the question, as asked */
    a[2] = (uint8_t)(0x80 | (q[2] & 0x01)); /* an answer; RD as asked */
    a[3] = (uint8_t)(0x80 | (known ? 0 : 3));   /* RA; NXDOMAIN */
    a[4] = 0; a[5] = 1;                         /* one question */
    a[6] = 0; a[7] = (uint8_t)(rr != NULL);     /* answers */
    memset(a + 8, 0, 4);
    if (rr != NULL) {
        memcpy(a + end, rr, rr_len);
        end += rr_len;
    }
    (void)lwip_sendto(fd, a, end, 0, (const struct sockaddr *)from,
                      sizeof *from);
}

static void *dns_thread(void *arg)
{
    int fd = *(int *)arg;
    while (!stopping) {
        uint8_t q[512];
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        struct pollfd p;
        ssize_t r;
        p.fd = fd;
        p.events = POLLIN;
        p.revents = 0;
        if (lwip_poll(&p, 1, 50) <= 0)
            continue;
        r = lwip_recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&from,
                          &flen);
        if (r > 0 && flen == sizeof from && from.sin_family == AF_INET)
            dns_answer(fd, q, (size_t)r, &from);
    }
    lwip_close(fd);
    return NULL;
}

/* the DNS server up, and lwIP's resolver pointed at it */
static int dns_up(pthread_t *th)
{
    static int fd;
    struct sockaddr_in a;
    ip_addr_t server;

    fd = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons(53);
    a.sin_addr.s_addr = lwip_htonl(0x7F000001u);
    if (lwip_bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        pthread_create(th, NULL, dns_thread, &fd) != 0) {
        lwip_close(fd);
        return 0;
    }
    IP_ADDR4(&server, 127, 0, 0, 1);
    LOCK_TCPIP_CORE();
    dns_setserver(0, &server);
    UNLOCK_TCPIP_CORE();
    return 1;
}
#endif

/* ------------------------------------------------------------------ */
/* The client                                                           */
/* ------------------------------------------------------------------ */

static bact_platform pf;

static int statuses_seen;
static int on_status(void *user, const bact_task_state *st)
{
    (void)user;
    (void)st;
    statuses_seen++;
    return 0;
}

/* The README's example, then a fetch of the task: run, wait, get. */
static void run_flow(const char *tag, const char *base_url,
                     const bact_transport *tr, int which)
{
    static uint8_t buf[1024];
    static jsmntok_t tok[64];
    bact_client c;
    bact_config cfg;
    bact_param param = {"query", "coffee beans"};
    bact_run_req rq;
    bact_task_created task;
    bact_task_state st;
    bact_task t;
    char name[64];
    int rc, polls0, conns0;

    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = base_url;
    cfg.api_key = API_KEY;
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 64;
    cfg.transport = tr;
    cfg.platform = &pf;
    cfg.timeout_ms = 3000;
    cfg.retries = 1;
    rc = bact_init(&c, &cfg);
    snprintf(name, sizeof name, "%sinit", tag);
    result(rc == BACT_OK, name, "bact_init: %s", bact_strerror(rc));
    if (rc != BACT_OK)
        return;
    pthread_mutex_lock(&lock);
    polls0 = status_polls;
    conns0 = accepted_http[which];
    pthread_mutex_unlock(&lock);

    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "16217357109956214";
    rq.params = &param;
    rq.n_params = 1;
    rc = bact_run_task(&c, &rq, &task);
    snprintf(name, sizeof name, "%srun-task", tag);
    result(rc == BACT_OK && strcmp(task.id, TASK_ID) == 0, name,
           "rc %s, id '%s'", bact_strerror(rc), rc == BACT_OK ? task.id : "");
    if (rc != BACT_OK) {
        bact_close(&c);
        return;
    }

    statuses_seen = 0;
    rc = bact_wait(&c, task.id, 20, 10000, on_status, NULL, &st);
    snprintf(name, sizeof name, "%swait", tag);
    pthread_mutex_lock(&lock);
    polls0 = status_polls - polls0;
    pthread_mutex_unlock(&lock);
    result(rc == BACT_OK && st.status == BACT_STATUS_FINISHED && polls0 >= 1 &&
               statuses_seen >= 1,
           name, "rc %s, status '%s', %d polls", bact_strerror(rc),
           rc == BACT_OK ? st.text : "", polls0);

    rc = bact_get_task(&c, task.id, &t);
    snprintf(name, sizeof name, "%sget-task-chunked", tag);
    result(rc == BACT_OK && t.output != NULL &&
               strcmp(t.output, "coffee beans: 42 results via lwIP") == 0 &&
               t.state.status == BACT_STATUS_FINISHED && t.credit == 4,
           name, "rc %s, output '%s'", bact_strerror(rc),
           rc == BACT_OK && t.output ? t.output : "(none)");

    pthread_mutex_lock(&lock);
    conns0 = accepted_http[which] - conns0;
    pthread_mutex_unlock(&lock);
    snprintf(name, sizeof name, "%skeep-alive", tag);
    result(conns0 == 1, name, "%d connections for %d requests", conns0,
           polls0 + 2);
    bact_close(&c);
}

/* A run request far larger than lwIP's window and send buffer (Debian's
 * lwIP: 64 KiB each): the server
 * answers 413 after the head and closes with the body unread, so the
 * client's send fails (a RST) while most of the body is still to go. The
 * answer that came before is what the call reports. */
static void early_answer(const char *tag, const char *base_url,
                         const bact_transport *tr)
{
    static uint8_t buf[270336];
    static jsmntok_t tok[64];
    static char value[262144];
    bact_client c;
    bact_config cfg;
    bact_param param;
    bact_run_req rq;
    bact_task_created task;
    char name[64];
    int rc, n0, n;

    memset(value, 'x', sizeof value - 1);
    param.name = "query";
    param.value = value;
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = base_url;
    cfg.api_key = API_KEY;
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 64;
    cfg.transport = tr;
    cfg.platform = &pf;
    cfg.timeout_ms = 3000;
    memset(&rq, 0, sizeof rq);
    rq.workflow_id = "16217357109956214";
    rq.params = &param;
    rq.n_params = 1;
    pthread_mutex_lock(&lock);
    n0 = too_large;
    pthread_mutex_unlock(&lock);
    rc = bact_init(&c, &cfg);
    if (rc == BACT_OK)
        rc = bact_run_task(&c, &rq, &task);
    pthread_mutex_lock(&lock);
    n = too_large - n0;
    pthread_mutex_unlock(&lock);
    snprintf(name, sizeof name, "%searly-413", tag);
    result(rc == BACT_E_API && bact_last_error(&c)->http_status == 413 &&
               strcmp(bact_last_error(&c)->msg, "too large") == 0 && n == 1,
           name, "rc %s, HTTP %d, %d answered early", bact_strerror(rc),
           bact_last_error(&c)->http_status, n);
    bact_close(&c);
}

/* lwip_poll (or lwip_select, what the port waits with), wrapped: while
 * poll_failing, a call from poll_thread fails (ENOMEM, as when lwIP is out
 * of semaphores for the wait) */
static volatile int poll_failing;
static pthread_t poll_thread;
static int waits; /* calls from poll_thread */

static int wait_fails(void)
{
    if (pthread_equal(pthread_self(), poll_thread))
        waits++;
    if (poll_failing && pthread_equal(pthread_self(), poll_thread)) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

#if BACT_LWIP_USE_SELECT
int __real_lwip_select(int n, fd_set *r, fd_set *w, fd_set *e,
                       struct timeval *tv);
int __wrap_lwip_select(int n, fd_set *r, fd_set *w, fd_set *e,
                       struct timeval *tv);

int __wrap_lwip_select(int n, fd_set *r, fd_set *w, fd_set *e,
                       struct timeval *tv)
{
    return wait_fails() ? -1 : __real_lwip_select(n, r, w, e, tv);
}
#else
int __real_lwip_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_lwip_poll(struct pollfd *fds, nfds_t n, int timeout);

int __wrap_lwip_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    return wait_fails() ? -1 : __real_lwip_poll(fds, n, timeout);
}
#endif

/* lwip_socket, lwip_connect and lwip_send, wrapped: while socket_failing,
 * a socket cannot be had (ENFILE, as when lwIP is out of netconns); while
 * connect_failing, a connect fails at once (EHOSTUNREACH: no route); while
 * send_blocked, a send from poll_thread would block (EWOULDBLOCK), though
 * a wait finds room */
static volatile int socket_failing, connect_failing, send_blocked;

ssize_t __real_lwip_send(int s, const void *data, size_t size, int flags);
ssize_t __wrap_lwip_send(int s, const void *data, size_t size, int flags);

ssize_t __wrap_lwip_send(int s, const void *data, size_t size, int flags)
{
    if (send_blocked && pthread_equal(pthread_self(), poll_thread)) {
        errno = EWOULDBLOCK;
        return -1;
    }
    return __real_lwip_send(s, data, size, flags);
}

int __real_lwip_socket(int domain, int type, int protocol);
int __wrap_lwip_socket(int domain, int type, int protocol);
int __real_lwip_connect(int s, const struct sockaddr *name, socklen_t len);
int __wrap_lwip_connect(int s, const struct sockaddr *name, socklen_t len);

int __wrap_lwip_socket(int domain, int type, int protocol)
{
    if (socket_failing) {
        errno = ENFILE;
        return -1;
    }
    return __real_lwip_socket(domain, type, protocol);
}

int __wrap_lwip_connect(int s, const struct sockaddr *name, socklen_t len)
{
    if (connect_failing) {
        errno = EHOSTUNREACH;
        return -1;
    }
    return __real_lwip_connect(s, name, len);
}

#if LWIP_DNS
/* lwip_getaddrinfo and lwip_freeaddrinfo, wrapped: the results handed out
 * and not yet freed (lwIP's pools come from malloc here: a leak would
 * otherwise go unseen) */
static int addrinfo_out;

int __real_lwip_getaddrinfo(const char *name, const char *serv,
                            const struct addrinfo *hints,
                            struct addrinfo **res);
int __wrap_lwip_getaddrinfo(const char *name, const char *serv,
                            const struct addrinfo *hints,
                            struct addrinfo **res);
void __real_lwip_freeaddrinfo(struct addrinfo *ai);
void __wrap_lwip_freeaddrinfo(struct addrinfo *ai);

int __wrap_lwip_getaddrinfo(const char *name, const char *serv,
                            const struct addrinfo *hints,
                            struct addrinfo **res)
{
    int r = __real_lwip_getaddrinfo(name, serv, hints, res);
    if (r == 0 && *res != NULL)
        addrinfo_out++;
    return r;
}

void __wrap_lwip_freeaddrinfo(struct addrinfo *ai)
{
    if (ai != NULL)
        addrinfo_out--;
    __real_lwip_freeaddrinfo(ai);
}
#endif

/* the lowest number lwIP hands out (0 where LWIP_SOCKET_OFFSET is 0),
 * taken at the start and kept for a check of its own */
static int lowest_socket = -1;

/* the number the next socket gets (lwIP takes the lowest one free) */
static int lowest_free(void)
{
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    if (s >= 0)
        lwip_close(s);
    return s;
}

/* sends to a peer that reads nothing until no room is left after lwIP's
 * thread has moved what it could (three times none, 100 ms apart): 0 then,
 * else what the last send gave; *calls the sends made. (On a loaded host
 * room can still come later, as lwIP's thread catches up.) */
static uint8_t fill[1024];

static int32_t fill_up(const bact_transport *tr, int *calls)
{
    int32_t r = 1;
    int k, zeros;
    for (k = 0, zeros = 0; k < 4096 && r >= 0 && zeros < 3; k++) {
        r = tr->send(tr->io, fill, sizeof fill, 0);
        zeros = r == 0 ? zeros + 1 : 0;
        if (r == 0)
            sys_msleep(100);
    }
    *calls = k;
    return r;
}

static uint32_t elapsed(uint32_t t0)
{
    return (uint32_t)sys_now() - t0;
}

#if LWIP_DNS
static int queries(void)
{
    int n;
    pthread_mutex_lock(&lock);
    n = dns_queries;
    pthread_mutex_unlock(&lock);
    return n;
}

/* names through lwip_getaddrinfo(), against the test's DNS server */
static void dns_checks(const bact_transport *tr)
{
    static char longest[DNS_MAX_NAME_LENGTH + 2];
    int rc, k, q0 = queries();
    uint32_t t0;

    rc = tr->open(tr->io, "bact.test", 9, PORT_SILENT, 2000);
    pthread_mutex_lock(&lock);
    result(rc == BACT_OK && dns_queries == q0 + 1 &&
               strcmp(dns_last, "bact.test") == 0,
           "dns.name", "rc %d, %d queries, last '%s'", rc, dns_queries - q0,
           dns_last);
    pthread_mutex_unlock(&lock);
    tr->close(tr->io);

    /* a name of one byte is a name like any other */
    q0 = queries();
    rc = tr->open(tr->io, "b", 1, PORT_SILENT, 2000);
    result(rc == BACT_OK && queries() == q0 + 1, "dns.one-byte-name",
           "rc %d, %d queries", rc, queries() - q0);
    tr->close(tr->io);

#if LWIP_IPV6
    /* a name with only an IPv6 address: lwIP asks for A, then AAAA */
    q0 = queries();
    rc = tr->open(tr->io, "v6.bact.test", 12, PORT_SILENT, 2000);
    {
        const bact_lwip_conn *conn = (const bact_lwip_conn *)tr->io;
        struct sockaddr_in6 peer;
        socklen_t plen = sizeof peer;
        memset(&peer, 0, sizeof peer);
        k = rc == BACT_OK ? lwip_getpeername(conn->fd, (struct sockaddr *)&peer,
                                             &plen)
                          : -1;
        result(rc == BACT_OK && k == 0 && peer.sin6_family == AF_INET6 &&
                   peer.sin6_addr.s6_addr[15] == 1 && queries() == q0 + 2,
               "dns.ipv6-only-name", "rc %d, getpeername %d, family %d, %d "
               "queries", rc, k, (int)peer.sin6_family, queries() - q0);
    }
    tr->close(tr->io);
#endif

    /* a name that does not exist: the server's NXDOMAIN, at once */
    t0 = (uint32_t)sys_now();
    rc = tr->open(tr->io, "nowhere.bact.test", 17, PORT_SILENT, 2000);
    result(rc == BACT_E_DNS && elapsed(t0) < 1000, "dns.no-such-name",
           "rc %d after %u ms", rc, (unsigned)elapsed(t0));

    /* numeric addresses are read, not asked for */
    q0 = queries();
    rc = tr->open(tr->io, "127.0.0.1", 9, PORT_SILENT, 2000);
    tr->close(tr->io);
#if LWIP_IPV6
    if (rc == BACT_OK)
        rc = tr->open(tr->io, "::1", 3, PORT_SILENT, 2000);
    tr->close(tr->io);
#endif
    result(rc == BACT_OK && queries() == q0, "dns.numeric-not-asked",
           "rc %d, %d queries", rc, queries() - q0);
#if LWIP_IPV6
    /* an IPv6 address lwIP 2.1 does not read (these forms with an IPv4
     * address in their last 32 bits, which the core's URL reader takes):
     * lwIP's resolver would ask the DNS server for it as a name, whose
     * answer would then be the address connected to; the port refuses it
     * at once, as it does without a resolver */
    q0 = queries();
    rc = tr->open(tr->io, "64:ff9b::127.0.0.1", 18, PORT_SILENT, 2000);
    tr->close(tr->io);
    k = tr->open(tr->io, "::127.0.0.1", 11, PORT_SILENT, 2000);
    tr->close(tr->io);
    result(rc == BACT_E_DNS && k == BACT_E_DNS && queries() == q0,
           "dns.unread-ipv6-address-not-asked", "rc %d and %d, %d queries",
           rc, k, queries() - q0);
#endif
#if !LWIP_IPV6
    /* an IPv6 address where lwIP has no IPv6: lwIP's resolver would ask
     * the DNS server for it as a name; the port refuses it at once */
    q0 = queries();
    rc = tr->open(tr->io, "::1", 3, PORT_SILENT, 2000);
    tr->close(tr->io);
    result(rc == BACT_E_DNS && queries() == q0, "dns.ipv6-address-not-asked",
           "rc %d, %d queries", rc, queries() - q0);
#endif

    /* the longest name lwIP's resolver asks for (DNS_MAX_NAME_LENGTH - 1
     * bytes; labels of 63) is asked for; one byte more is refused before
     * any query, and so is one that overflows the port's copy */
    memset(longest, 'a', sizeof longest);
    longest[63] = longest[127] = longest[191] = '.';
    q0 = queries();
    rc = tr->open(tr->io, longest, DNS_MAX_NAME_LENGTH - 1, PORT_SILENT, 2000);
    result(rc == BACT_E_DNS && queries() == q0 + 1, "dns.longest-name-asked",
           "rc %d, %d queries", rc, queries() - q0);
    q0 = queries();
    rc = tr->open(tr->io, longest, DNS_MAX_NAME_LENGTH, PORT_SILENT, 2000);
    k = rc;
    rc = tr->open(tr->io, longest, sizeof longest, PORT_SILENT, 2000);
    result(k == BACT_E_DNS && rc == BACT_E_DNS && queries() == q0,
           "dns.name-too-long", "rc %d and %d, %d queries", k, rc,
           queries() - q0);

    /* no answer at all: open() fails once lwIP's resolver gives up, after
     * its own retries (DNS_MAX_RETRIES, DNS_TMR_INTERVAL), whatever
     * timeout_ms says (lwip_getaddrinfo() takes no time limit) */
    q0 = queries();
    t0 = (uint32_t)sys_now();
    rc = tr->open(tr->io, "silent.bact.test", 16, PORT_SILENT, 300);
    result(rc == BACT_E_DNS && queries() - q0 == DNS_MAX_RETRIES,
           "dns.no-answer", "rc %d, %d queries", rc, queries() - q0);
    printf("# " LWIP_TEST_NAME ": a name without an answer failed after %u ms"
           " (%d queries; open's timeout was 300 ms)\n",
           (unsigned)elapsed(t0), queries() - q0);
    result(addrinfo_out == 0, "dns.results-freed",
           "%d lwip_getaddrinfo() results not freed", addrinfo_out);
}
#endif

static void transport_checks(void)
{
    static const char host45[] = /* ::1, as lwIP reads leading zeros */
        "::0000000000000000000000000000000000000000001";
    static const char host46[] =
        "::00000000000000000000000000000000000000000001";
    bact_lwip_conn conn;
    bact_transport tr;
    uint8_t b[64];
    int32_t r;
    int rc, k, fd, free0, left[4];
    uint32_t t0;

    bact_lwip_transport(&tr, &conn);
    poll_thread = pthread_self();
    free0 = lowest_free();

    /* refused: nothing listens there, lwIP answers the SYN with RST */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_NONE, 2000);
    result(rc == BACT_E_CONNECT, "open.refused", "rc %d", rc);
    left[0] = lowest_free();
    tr.close(tr.io);

    /* no answer at all: 127.0.0.2 is looped back and dropped by lwIP */
    t0 = (uint32_t)sys_now();
    rc = tr.open(tr.io, "127.0.0.2", 9, 80, 300);
    result(rc == BACT_E_TIMEOUT && elapsed(t0) >= 290 && elapsed(t0) < 2000,
           "open.timeout", "rc %d after %u ms", rc, (unsigned)elapsed(t0));
    left[1] = lowest_free();
    tr.close(tr.io);

    /* no route: the connect fails at once, nothing waited for */
    k = waits;
    connect_failing = 1;
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_SILENT, 2000);
    connect_failing = 0;
    result(rc == BACT_E_CONNECT && waits == k, "open.no-route",
           "rc %d after %d waits", rc, waits - k);
    left[2] = lowest_free();

    /* the wait for the connect fails: an error, not a connection */
    poll_failing = 1;
    rc = tr.open(tr.io, "127.0.0.2", 9, 80, 2000);
    poll_failing = 0;
    result(rc == BACT_E_CONNECT, "open.wait-fails", "rc %d", rc);
    left[3] = lowest_free();

    /* no socket to be had */
    socket_failing = 1;
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_SILENT, 2000);
    socket_failing = 0;
    result(rc == BACT_E_CONNECT, "open.no-socket", "rc %d", rc);

    /* none of these failures left its socket open */
    result(left[0] == free0 && left[1] == free0 && left[2] == free0 &&
               left[3] == free0,
           "open.failures-leave-no-socket",
           "next socket %d, then %d, %d and %d; %d before", left[0], left[1],
           left[2], left[3], free0);

#if LWIP_DNS
    dns_checks(&tr);
#else
    /* a name: this lwIP has no resolver (LWIP_DNS=0) */
    rc = tr.open(tr.io, "api.example.invalid", 19, 80, 300);
    result(rc == BACT_E_DNS, "open.name-without-dns", "rc %d", rc);
#endif
    rc = tr.open(tr.io, "", 0, 80, 300);
    result(rc == BACT_E_DNS, "open.empty-host", "rc %d", rc);

#if LWIP_IPV6 && !LWIP_DNS
    /* without a resolver a host is a numeric address, 45 bytes at most */
    rc = tr.open(tr.io, host45, sizeof host45 - 1, PORT_SILENT, 2000);
    result(rc == BACT_OK, "open.host-45-bytes", "rc %d", rc);
    tr.close(tr.io);
    rc = tr.open(tr.io, host46, sizeof host46 - 1, PORT_SILENT, 2000);
    result(rc == BACT_E_DNS, "open.host-46-bytes", "rc %d", rc);
    tr.close(tr.io);
#else
    (void)host45;
    (void)host46;
#endif

    /* silent peer: recv says "nothing yet" after its timeout, 0 at once
     * with timeout 0; send moves bytes */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_SILENT, 2000);
    result(rc == BACT_OK, "open.ok", "rc %d", rc);
    fd = conn.fd;
    if (rc == BACT_OK) {
        int one = 0;
        socklen_t len = (socklen_t)sizeof one;
        /* small writes go out at once: a request's head and body are not
         * held back for an ACK */
        result(lwip_getsockopt(conn.fd, IPPROTO_TCP, TCP_NODELAY, &one,
                               &len) == 0 && one != 0,
               "open.nodelay", "TCP_NODELAY is %d", one);
        t0 = (uint32_t)sys_now();
        r = tr.recv(tr.io, b, sizeof b, 0);
        result(r == 0 && elapsed(t0) < 100, "recv.nothing-yet-no-wait",
               "r %d after %u ms", (int)r, (unsigned)elapsed(t0));
        t0 = (uint32_t)sys_now();
        r = tr.recv(tr.io, b, sizeof b, 200);
        result(r == 0 && elapsed(t0) >= 190 && elapsed(t0) < 1500,
               "recv.nothing-yet-timeout", "r %d after %u ms", (int)r,
               (unsigned)elapsed(t0));
        r = tr.send(tr.io, (const uint8_t *)"ping", 4, 1000);
        result(r == 4, "send.bytes", "r %d", (int)r);
        /* a send that still would block after its wait found room:
         * nothing yet, at once (the wait did not time out) */
        send_blocked = 1;
        t0 = (uint32_t)sys_now();
        r = tr.send(tr.io, (const uint8_t *)"ping", 4, 1000);
        send_blocked = 0;
        result(r == 0 && elapsed(t0) < 500, "send.blocks-after-wait",
               "r %d after %u ms", (int)r, (unsigned)elapsed(t0));
        /* none offered: 0, whatever errno held from before */
        errno = EPIPE;
        r = tr.send(tr.io, (const uint8_t *)"ping", 0, 0);
        result(r == 0, "send.zero-length", "r %d", (int)r);
        /* the peer reads nothing: fill the buffers, then a wait for room
         * that fails is an error at once, not "nothing yet" */
        r = fill_up(&tr, &k);
        result(r == 0, "send.buffer-full", "send %d after %d calls", (int)r, k);
        if (r == 0) {
            /* room lwIP's thread still made (a loaded host) is used up
             * first: the send that has to wait is the one checked */
            poll_failing = 1;
            for (k = 0; k < 4096; k++) {
                t0 = (uint32_t)sys_now();
                r = tr.send(tr.io, fill, sizeof fill, 2000);
                if (r <= 0)
                    break;
            }
            poll_failing = 0;
            result(r == BACT_E_NET && elapsed(t0) < 1000, "send.wait-fails",
                   "r %d after %u ms", (int)r, (unsigned)elapsed(t0));
            poll_failing = 1;
            r = tr.recv(tr.io, b, sizeof b, 2000);
            poll_failing = 0;
            result(r == BACT_E_NET, "recv.wait-fails", "r %d", (int)r);
        }
    }
    tr.close(tr.io);
    /* the socket is closed, and forgotten: a second close leaves alone the
     * socket that took its number since */
    result(rc != BACT_OK || lwip_fcntl(fd, F_GETFL, 0) < 0, "close.releases",
           "socket %d still open", fd);
    {
        int made[8], n = 0, mine = -1;
        while (n < 8 && mine < 0) {
            made[n] = lwip_socket(AF_INET, SOCK_STREAM, 0);
            if (made[n] == fd)
                mine = made[n];
            else if (made[n] < 0)
                break;
            n++;
        }
        tr.close(tr.io); /* safe twice */
        result(mine >= 0 && lwip_fcntl(mine, F_GETFL, 0) >= 0, "close.twice",
               "socket %d (number %d) closed by a second close", mine, fd);
        /* a transport never opened holds no socket, whatever the struct
         * held before */
        if (mine >= 0) {
            bact_lwip_conn fresh;
            bact_transport t2;
            fresh.fd = mine;
            bact_lwip_transport(&t2, &fresh);
            r = t2.recv(t2.io, b, sizeof b, 0);
            t2.close(t2.io);
            result(r == BACT_E_NET && lwip_fcntl(mine, F_GETFL, 0) >= 0,
                   "close.never-opened", "recv %d; socket %s", (int)r,
                   lwip_fcntl(mine, F_GETFL, 0) >= 0 ? "open" : "closed");
        }
        while (n > 0)
            if (made[--n] >= 0)
                lwip_close(made[n]);
    }
    r = tr.recv(tr.io, b, sizeof b, 0);
    result(r == BACT_E_NET, "recv.after-close", "r %d", (int)r);

    /* a stream on the lowest socket number (0 with most lwIP builds) is a
     * stream like any other: close releases it */
    if (lowest_socket >= 0) {
        int lowest = lowest_socket;
        lwip_close(lowest_socket);
        lowest_socket = -1;
        rc = tr.open(tr.io, "127.0.0.1", 9, PORT_SILENT, 2000);
        fd = conn.fd;
        sys_msleep(100); /* the server's accept is done, on another socket */
        tr.close(tr.io);
        result(rc == BACT_OK && fd == lowest && lwip_fcntl(fd, F_GETFL, 0) < 0,
               "close.lowest-socket", "open %d on socket %d (the lowest %d); "
               "after close %s", rc, fd, lowest,
               lwip_fcntl(fd, F_GETFL, 0) >= 0 ? "open" : "closed");
    }
    t0 = (uint32_t)sys_now();
    r = tr.recv(tr.io, b, sizeof b, 2000);
    result(r == BACT_E_NET && elapsed(t0) < 1000, "recv.after-close-timeout",
           "r %d after %u ms", (int)r, (unsigned)elapsed(t0));
    r = tr.send(tr.io, (const uint8_t *)"ping", 4, 2000);
    result(r == BACT_E_NET, "send.after-close", "r %d", (int)r);

    /* bytes that come late: the longest timeout (beyond lwip_poll()'s int)
     * waits for them; each byte is read once, len at most a call */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_LATE, 2000);
    r = rc == BACT_OK ? tr.recv(tr.io, b, 3, 0xFFFFFFFFu) : rc;
    result(r == 3 && memcmp(b, "lat", 3) == 0, "recv.longest-timeout",
           "recv %d (timeout 2^32 - 1, len 3), want \"lat\"", (int)r);
    if (r == 3) {
        int32_t r2 = tr.recv(tr.io, b, sizeof b, 2000);
        int32_t r3 = r2 == 1 && b[0] == 'e' ? tr.recv(tr.io, b, sizeof b, 0)
                                           : -100;
        result(r2 == 1 && r3 == 0, "recv.bytes-once",
               "recv %d, then %d (timeout 0), want 1 (\"e\"), then 0",
               (int)r2, (int)r3);
    }
    tr.close(tr.io);

    /* a read of no bytes moves none: 0 on an idle stream and with bytes
     * waiting, which are read after it (lwIP's recv of no bytes returns
     * 0, which is no FIN) */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_LATE, 2000);
    {
        int32_t z0 = -100, z1 = -100, z2 = -100;
        if (rc == BACT_OK) {
            struct pollfd q;
            q.fd = conn.fd;
            q.events = POLLIN;
            q.revents = 0;
            z0 = tr.recv(tr.io, b, 0, 0);
            (void)lwip_poll(&q, 1, 2000); /* "late" is there */
            z1 = tr.recv(tr.io, b, 0, 0);
            z2 = tr.recv(tr.io, b, sizeof b, 2000);
        }
        result(z0 == 0 && z1 == 0 && z2 == 4 && memcmp(b, "late", 4) == 0,
               "recv.zero-length",
               "open %d; recv (len 0) %d, with bytes waiting %d, then %d, "
               "want 0, 0, then 4 (\"late\")", rc, (int)z0, (int)z1, (int)z2);
    }
    tr.close(tr.io);

    /* a send that waited for room moves bytes once the peer reads */
    drain_mode = 0;
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_DRAIN, 2000);
    r = rc == BACT_OK ? fill_up(&tr, &k) : rc;
    if (r == 0) {
        drain_mode = 1;
        r = tr.send(tr.io, b, sizeof b, 3000);
    }
    result(r > 0, "send.after-wait", "open %d, send %d", rc, (int)r);
    drain_mode = 0;
    tr.close(tr.io);

    /* ... and one waiting when the peer resets is an error (sends that
     * still found room before the reset go on until one waits) */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_DRAIN, 2000);
    r = rc == BACT_OK ? fill_up(&tr, &k) : rc;
    if (r == 0) {
        drain_mode = 2;
        for (k = 0; k < 4096; k++)
            if ((r = tr.send(tr.io, b, sizeof b, 3000)) <= 0)
                break;
    }
    result(r == BACT_E_NET, "send.reset-while-waiting", "open %d, send %d", rc,
           (int)r);
    drain_mode = 0;
    tr.close(tr.io);

    /* clean close by the peer */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_CLOSE, 2000);
    r = rc == BACT_OK ? tr.recv(tr.io, b, sizeof b, 2000) : rc;
    result(r == BACT_E_CLOSED, "recv.peer-closed", "open %d, recv %d", rc,
           (int)r);
    if (r == BACT_E_CLOSED) {
        /* lwIP reports the FIN once, then ENOTCONN: still a clean close */
        int32_t r2 = tr.recv(tr.io, b, sizeof b, 500);
        int32_t r3 = tr.recv(tr.io, b, sizeof b, 0);
        int32_t r4 = tr.recv(tr.io, b, 0, 0);
        result(r2 == BACT_E_CLOSED && r3 == BACT_E_CLOSED &&
                   r4 == BACT_E_CLOSED,
               "recv.peer-closed-again",
               "recv %d, then %d (timeout 0), then %d (len 0)", (int)r2,
               (int)r3, (int)r4);
    }
    tr.close(tr.io);

    /* reset by the peer */
    rc = tr.open(tr.io, "127.0.0.1", 9, PORT_RESET, 2000);
    r = rc == BACT_OK ? tr.send(tr.io, (const uint8_t *)"ping", 4, 1000) : rc;
    if (r == 4)
        r = tr.recv(tr.io, b, sizeof b, 2000);
    result(r == BACT_E_NET, "recv.peer-reset", "open %d, recv %d", rc, (int)r);
    if (r == BACT_E_NET) {
        /* lwIP reports the reset twice, then ENOTCONN: still a reset */
        int32_t rs[3];
        for (k = 0; k < 3; k++)
            rs[k] = tr.recv(tr.io, b, sizeof b, k == 2 ? 0u : 500u);
        result(rs[0] == BACT_E_NET && rs[1] == BACT_E_NET && rs[2] == BACT_E_NET,
               "recv.peer-reset-again", "recv %d, %d, then %d (timeout 0)",
               (int)rs[0], (int)rs[1], (int)rs[2]);
        r = tr.send(tr.io, (const uint8_t *)"ping", 4, 1000);
        result(r == BACT_E_NET, "send.after-reset", "send %d", (int)r);
    }
    tr.close(tr.io);

    /* the platform: sleep_ms(300) moves now_ms by 300 ms at least; random
     * is given and varies */
    {
        uint32_t v[4];
        t0 = pf.now_ms(pf.ctx);
        pf.sleep_ms(pf.ctx, 300);
        t0 = pf.now_ms(pf.ctx) - t0;
        for (k = 0; k < 4; k++)
            v[k] = pf.random != NULL ? pf.random(pf.ctx) : 0u;
        result(t0 >= 300, "platform.clock-and-sleep",
               "now_ms moved %u ms over sleep_ms(300)", (unsigned)t0);
        result(pf.random != NULL && (v[0] != v[1] || v[1] != v[2] || v[2] != v[3]),
               "platform.random", "random %s, gave %u four times",
               pf.random != NULL ? "given" : "missing", (unsigned)v[0]);
    }

#if LWIP_IPV6
    /* IPv6 literal (the core hands it without brackets) */
    rc = tr.open(tr.io, "::1", 3, PORT_SILENT, 2000);
    result(rc == BACT_OK, "open.ipv6", "rc %d", rc);
    tr.close(tr.io);
#endif
}

#ifdef BACT_LWIP_TEST_TLS
/* the lwIP transport with every recv 1 ms late: a peer that sends without
 * pause then always has bytes waiting when the client reads */
static bact_transport slow_inner;
static int32_t slow_recv(void *io, uint8_t *b, size_t n, uint32_t timeout_ms)
{
    usleep(1000);
    return slow_inner.recv(io, b, n, timeout_ms);
}

static void tls_checks(const char *dir)
{
    static bact_tls tls;
    bact_lwip_conn conn;
    bact_transport inner, tr;
    bact_tls_config tc;
    char ca[512], other[512];
    int rc;

    snprintf(ca, sizeof ca, "%s/root.pem", dir);
    snprintf(other, sizeof other, "%s/other-root.pem", dir);
    if (!tls_ready) {
        result(0, "tls.server", "server TLS setup failed (%s)", dir);
        return;
    }
    bact_lwip_transport(&inner, &conn);
    memset(&tc, 0, sizeof tc);
    tc.ca_file = ca;
    tc.platform = &pf;
    rc = bact_tls_init(&tls, &inner, &tc);
    result(rc == BACT_OK, "tls.transport-init", "rc %d", rc);
    if (rc != BACT_OK)
        return;
    bact_tls_transport(&tr, &tls);
    run_flow("tls.", "https://127.0.0.1:8443", &tr, 1);
    /* a second client on the same TLS state: a new connection resumes */
    run_flow("tls.again.", "https://127.0.0.1:8443", &tr, 1);
    result(bact_tls_handshakes(&tls) == 2 && bact_tls_resumptions(&tls) == 1,
           "tls.resumed", "%u handshakes, %u resumed",
           bact_tls_handshakes(&tls), bact_tls_resumptions(&tls));
#if LWIP_DNS
    /* a name: resolved, sent as SNI, matched against the leaf's DNS name
     * (a session is kept per host: a full handshake) */
    run_flow("tls.by-name.", "https://localhost:8443", &tr, 1);
    result(bact_tls_handshakes(&tls) == 3 && bact_tls_resumptions(&tls) == 1,
           "tls.by-name.full-handshake", "%u handshakes, %u resumed",
           bact_tls_handshakes(&tls), bact_tls_resumptions(&tls));
#endif
    early_answer("tls.", "https://127.0.0.1:8443", &tr);
    bact_tls_free(&tls);

    /* a server the trust anchor does not vouch for */
    tc.ca_file = other;
    rc = bact_tls_init(&tls, &inner, &tc);
    if (rc == BACT_OK) {
        bact_tls_transport(&tr, &tls);
        rc = tr.open(tr.io, "127.0.0.1", 9, PORT_TLS, 3000);
        result(rc == BACT_E_TLS &&
                   bact_tls_last_reason(&tls) == BACT_TLS_CERT_UNTRUSTED,
               "tls.untrusted", "rc %d, reason %s", rc,
               bact_tls_reason_text(bact_tls_last_reason(&tls)));
        tr.close(tr.io);
        bact_tls_free(&tls);
    } else {
        result(0, "tls.untrusted", "init rc %d", rc);
    }

    /* a peer sending warning alerts back to back after the handshake,
     * faster than the client reads them: bytes always wait, and mbedTLS
     * skips each alert in a loop of its own that only a WANT_READ ends; yet
     * a recv ends when its time is up (with the clock), and at once after
     * its count of inner calls (timeout 0) */
    tc.ca_file = ca;
    slow_inner = inner;
    inner.recv = slow_recv;
    rc = bact_tls_init(&tls, &inner, &tc);
    if (rc == BACT_OK) {
        uint8_t b[64];
        int32_t r = -1, r0 = -1;
        uint32_t t0, dt = 0, dt0 = 0;
        bact_tls_transport(&tr, &tls);
        rc = tr.open(tr.io, "127.0.0.1", 9, PORT_TLS_FLOOD, 3000);
        if (rc == BACT_OK) {
            usleep(500000); /* a backlog of alerts builds up meanwhile */
            t0 = (uint32_t)sys_now();
            r = tr.recv(tr.io, b, sizeof b, 300);
            dt = elapsed(t0);
            t0 = (uint32_t)sys_now();
            r0 = tr.recv(tr.io, b, sizeof b, 0);
            dt0 = elapsed(t0);
        }
        printf("# " LWIP_TEST_NAME ": alert flood: a recv of 300 ms ended after"
               " %u ms, one of 0 ms after %u ms\n", (unsigned)dt,
               (unsigned)dt0);
        result(rc == BACT_OK && r == 0 && dt < 1500, "tls.alert-flood.recv-ends",
               "open %d, recv %d after %u ms (the flood lasts %u ms)", rc,
               (int)r, (unsigned)dt, FLOOD_MS);
        result(rc == BACT_OK && r0 == 0 && dt0 < 1000,
               "tls.alert-flood.recv-no-wait", "open %d, recv %d after %u ms",
               rc, (int)r0, (unsigned)dt0);
        tr.close(tr.io);
        bact_tls_free(&tls);
    } else {
        result(0, "tls.alert-flood.recv-ends", "init rc %d", rc);
    }
}
#endif

int main(int argc, char **argv)
{
    bact_lwip_conn conn;
    bact_transport tr;
    pthread_t srv;
#if LWIP_DNS
    pthread_t dns;
#endif
    int i, ok;

    alarm(120); /* a hang is a failure, not a stuck test run */
    ok = lwip_up();
    result(ok, "up", "tcpip_init / netif_add failed");
    if (!ok)
        return 1;
    bact_lwip_platform(&pf);
    lowest_socket = lwip_socket(AF_INET, SOCK_STREAM, 0);
    ok = listen_on(AF_INET, PORT_HTTP) >= 0 && listen_on(AF_INET, PORT_CLOSE) >= 0 &&
         listen_on(AF_INET, PORT_RESET) >= 0 && listen_on(AF_INET, PORT_SILENT) >= 0 &&
         listen_on(AF_INET, PORT_LATE) >= 0 && listen_on(AF_INET, PORT_DRAIN) >= 0;
#if LWIP_IPV6
    ok = ok && listen_on(AF_INET6, PORT_SILENT) >= 0 &&
         listen_on(AF_INET6, PORT_HTTP) >= 0;
#endif
#ifdef BACT_LWIP_TEST_TLS
    if (argc > 1 && tls_server_setup(argv[1]))
        ok = ok && listen_on(AF_INET, PORT_TLS) >= 0 &&
             listen_on(AF_INET, PORT_TLS_FLOOD) >= 0;
#endif
    result(ok, "listen", "could not listen on lwIP sockets");
    if (!ok)
        return 1;
    if (pthread_create(&srv, NULL, server_thread, NULL) != 0)
        return 1;
#if LWIP_DNS
    ok = dns_up(&dns);
    result(ok, "dns.server", "no DNS server on lwIP's 127.0.0.1:53");
    if (!ok)
        return 1;
#endif

    transport_checks();
    bact_lwip_transport(&tr, &conn);
    run_flow("", "http://127.0.0.1:8080", &tr, 0);
    early_answer("", "http://127.0.0.1:8080", &tr);
#if LWIP_DNS
    run_flow("dns.", "http://bact.test:8080", &tr, 0);
    result(host_by_name >= 3, "dns.host-header", "%d requests with Host "
           "bact.test:8080", host_by_name);
#endif
#if LWIP_IPV6
    run_flow("ipv6.", "http://[::1]:8080", &tr, 0);
#endif
#ifdef BACT_LWIP_TEST_TLS
    if (argc > 1)
        tls_checks(argv[1]);
    else
        printf("# lwip.tls skipped: no TLS_DIR given\n");
#else
    (void)argc;
    (void)argv;
    printf("# lwip.tls skipped: built without port/mbedtls\n");
#endif
    result(bad_requests == 0, "server-saw-valid-requests", "%d bad requests",
           bad_requests);
    result(driver_frames4 == 0, "ipv4-stayed-in-lwip",
           "%d IPv4 frames reached the (dropping) driver", driver_frames4);

    stopping = 1;
    pthread_join(srv, NULL);
#if LWIP_DNS
    pthread_join(dns, NULL);
#endif
    for (i = 0; i < n_held; i++)
        lwip_close(held[i]);
    printf("# %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
