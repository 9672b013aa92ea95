/*
 * soak_poll.c - N get-task-status polls through one bact_client over one
 * kept-alive connection (the POSIX port), the way a device polls, for
 * tests/soak/poll_soak.py, which makes the mock close connections under it.
 *
 *   soak_poll BASE_URL API_KEY TASK_ID [N=100000] [K=1000]
 *
 * retries 3 with a 5 ms first back-off step. Every K polls (and before the
 * first and after the last) one line on stdout:
 *
 *   sample polls=I rss_kb=R fds=F conn=0|1 failed=X retries=Y connects=Z ms=T
 *
 * rss_kb: resident set from /proc/self/statm; fds: entries of /proc/self/fd
 * (the directory's own descriptor not counted), conn: 1 when the client's
 * kept-alive socket is open at that moment (so fds - conn is what the
 * program holds besides it); connects: connections the library opened
 * (BACT_TRACE_CONNECT); retries: the sum of bact_retries_used(). After
 * bact_close() a last line "done ..." with the same fields. A failed poll adds one line
 * "fail poll=I rc=RC what" and its trace events, "trace poll=I ...". Exit 0 when no poll failed, 1 otherwise, 2 on a
 * usage or setup error.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bact.h"
#include "bact_posix.h"

static unsigned long connects;

/* The current poll's trace events, printed when it fails. */
#define TRACE_LINES 24
#define TRACE_LEN 120
static char trace_buf[TRACE_LINES][TRACE_LEN];
static unsigned trace_n;

static void on_trace(void *user, int event, const char *text, size_t len)
{
    static const char *const names[] = {"?", "request", "status", "retry",
                                        "connect"};
    (void)user;
    if (event == BACT_TRACE_CONNECT)
        connects++;
    if (trace_n < TRACE_LINES) {
        int w = len > 100 ? 100 : (int)len;
        snprintf(trace_buf[trace_n++], TRACE_LEN, "%s %.*s",
                 event >= 1 && event <= 4 ? names[event] : names[0], w, text);
    }
}

static long rss_kb(void)
{
    unsigned long size = 0, resident = 0;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return -1;
    if (fscanf(f, "%lu %lu", &size, &resident) != 2)
        resident = 0;
    fclose(f);
    return (long)resident * (page > 0 ? page : 4096) / 1024;
}

static int fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory stream's own descriptor */
}

static unsigned long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long)((t.tv_sec - t0->tv_sec) * 1000L +
                           (t.tv_nsec - t0->tv_nsec) / 1000000L);
}

static unsigned long arg_ul(const char *s, const char *what)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0) {
        fprintf(stderr, "soak_poll: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
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
    bact_task_state st;
    struct timespec t0;
    unsigned long n = 100000, k = 1000, i, failed = 0, retries = 0;
    int rc;

    if (argc < 4 || argc > 6) {
        fprintf(stderr, "usage: soak_poll BASE_URL API_KEY TASK_ID [N] [K]\n");
        return 2;
    }
    if (argc > 4)
        n = arg_ul(argv[4], "N");
    if (argc > 5)
        k = arg_ul(argv[5], "K");

    bact_posix_transport(&tr, &conn);
    bact_posix_platform(&pf);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = argv[1];
    cfg.api_key = argv[2];
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 32;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.retries = 3;
    cfg.backoff_ms = 5;
    cfg.timeout_ms = 5000;
    cfg.trace = on_trace;
    if (bact_init(&c, &cfg) != BACT_OK) {
        fprintf(stderr, "soak_poll: bad BASE_URL or API_KEY\n");
        return 2;
    }

    setvbuf(stdout, NULL, _IOLBF, 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i <= n; i++) {
        if (i % k == 0 || i == n)
            printf("sample polls=%lu rss_kb=%ld fds=%d conn=%d failed=%lu "
                   "retries=%lu connects=%lu ms=%lu\n", i, rss_kb(), fd_count(),
                   conn.fd >= 0, failed, retries, connects, ms_since(&t0));
        if (i == n)
            break;
        trace_n = 0;
        rc = bact_get_task_status(&c, argv[3], &st);
        retries += bact_retries_used(&c);
        if (rc != BACT_OK) {
            failed++;
            unsigned t;
            printf("fail poll=%lu rc=%d %s\n", i, rc, bact_strerror(rc));
            for (t = 0; t < trace_n; t++)
                printf("trace poll=%lu %s\n", i, trace_buf[t]);
        }
    }
    bact_close(&c);
    printf("done polls=%lu rss_kb=%ld fds=%d conn=%d failed=%lu retries=%lu "
           "connects=%lu ms=%lu\n", n, rss_kb(), fd_count(), conn.fd >= 0,
           failed, retries, connects, ms_since(&t0));
    return failed == 0 ? 0 : 1;
}
