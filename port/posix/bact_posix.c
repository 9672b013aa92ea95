/*
 * bact_posix.c - the POSIX port. Sockets are non-blocking from connect on;
 * every wait is a poll() with the timeout the core hands down, so "nothing
 * yet" (0) is told apart from a clean close (BACT_E_CLOSED) and an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "bact.h"
#include "bact_posix.h"

#define HOST_MAX 256u
/* Signals one wait sits through before it reports "timed out": a backstop
 * for a clock that does not move; the clock ends the wait long before. */
#define EINTR_MAX 10000u
/* Addresses one open tries at most (the rest of a longer list are not). */
#define ADDR_MAX 16u

static uint32_t mono_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

/* Wait until fd has ev (or an error): > 0 ready, 0 timed out, < 0 failed.
 * A signal does not restart the wait with the whole timeout: each poll
 * after one gets only what is left of timeout_ms since the wait began. */
static int wait_fd(int fd, short ev, uint32_t timeout_ms)
{
    struct pollfd p;
    uint32_t t0 = mono_ms(), left = timeout_ms, n;
    p.fd = fd;
    p.events = ev;
    for (n = 0; n < EINTR_MAX; n++) {
        uint32_t used;
        int r;
        p.revents = 0;
        r = poll(&p, 1, left > 0x7FFFFFFFu ? 0x7FFFFFFF : (int)left);
        if (r >= 0 || errno != EINTR)
            return r;
        used = mono_ms() - t0;
        if (used >= timeout_ms)
            return 0;
        left = timeout_ms - used;
    }
    return 0;
}

static int connect_one(const struct addrinfo *ai, uint32_t timeout_ms, int *fd_out)
{
    int fd, fl, err = 0, one = 1;
    socklen_t len = sizeof err;

    /* no socket (out of descriptors, address family not supported) is a
     * failed connect: open's outcomes are OK, DNS, CONNECT, TIMEOUT, TLS */
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0)
        return BACT_E_CONNECT;
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        close(fd);
        return BACT_E_CONNECT;
    }
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        int r;
        if (errno != EINPROGRESS) {
            close(fd);
            return BACT_E_CONNECT;
        }
        r = wait_fd(fd, POLLOUT, timeout_ms);
        if (r == 0) {
            close(fd);
            return BACT_E_TIMEOUT;
        }
        if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
            err != 0) {
            close(fd);
            return BACT_E_CONNECT;
        }
    }
    *fd_out = fd;
    return BACT_OK;
}

static int posix_open(void *io, const char *host, size_t host_len,
                      uint16_t port, uint32_t timeout_ms)
{
    bact_posix_conn *c = (bact_posix_conn *)io;
    struct addrinfo hints, *res = NULL, *ai;
    char name[HOST_MAX], serv[8];
    int rc = BACT_E_CONNECT, n;
    uint32_t t0, i;

    if (host_len == 0 || host_len >= sizeof name)
        return BACT_E_DNS;
    memcpy(name, host, host_len);
    name[host_len] = '\0';
    n = 0;
    {
        char tmp[6];
        unsigned v = port;
        int k = 0;
        do {
            tmp[k++] = (char)('0' + v % 10u);
            v /= 10u;
        } while (v != 0u && k < 5);
        while (k > 0)
            serv[n++] = tmp[--k];
        serv[n] = '\0';
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(name, serv, &hints, &res) != 0 || res == NULL)
        return BACT_E_DNS;
    /* One budget, timeout_ms, for all the addresses the name has. Each
     * but the last gets half of what is left (rounded up), the last all of
     * it: an address that never answers (a dead IPv6 route, say) cannot
     * use up the time of those after it, and the first, preferred one
     * still gets the most. An address refused at once leaves its time to
     * the next. With the budget gone before the list: BACT_E_TIMEOUT. */
    t0 = mono_ms();
    for (ai = res, i = 0; ai != NULL && i < ADDR_MAX; ai = ai->ai_next, i++) {
        uint32_t used = mono_ms() - t0, left, share;
        if (i > 0 && used >= timeout_ms) {
            rc = BACT_E_TIMEOUT;
            break;
        }
        left = used >= timeout_ms ? 0u : timeout_ms - used;
        share = (ai->ai_next != NULL && i + 1u < ADDR_MAX) ? left - left / 2u
                                                           : left;
        rc = connect_one(ai, share, &c->fd);
        if (rc == BACT_OK)
            break;
    }
    freeaddrinfo(res);
    return rc;
}

static int32_t posix_send(void *io, const uint8_t *data, size_t len,
                          uint32_t timeout_ms)
{
    bact_posix_conn *c = (bact_posix_conn *)io;
    ssize_t r;
    int w;
    if (c->fd < 0)
        return BACT_E_NET;
    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    r = send(c->fd, data, len, MSG_NOSIGNAL);
    if (r >= 0)
        return (int32_t)r;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        return BACT_E_NET;
    if (timeout_ms == 0)
        return 0;
    w = wait_fd(c->fd, POLLOUT, timeout_ms);
    if (w <= 0) /* timed out: nothing yet; the wait failed: an error */
        return w == 0 ? 0 : BACT_E_NET;
    r = send(c->fd, data, len, MSG_NOSIGNAL);
    if (r >= 0)
        return (int32_t)r;
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0
                                                                       : BACT_E_NET;
}

static int32_t posix_recv(void *io, uint8_t *buf, size_t len,
                          uint32_t timeout_ms)
{
    bact_posix_conn *c = (bact_posix_conn *)io;
    uint8_t one;
    ssize_t r;
    if (c->fd < 0)
        return BACT_E_NET;
    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    if (timeout_ms > 0) {
        int w = wait_fd(c->fd, POLLIN, timeout_ms);
        if (w == 0)
            return 0;
        if (w < 0)
            return BACT_E_NET;
    }
    /* A read of no bytes moves none, but still tells the end of the
     * stream or an error: a recv() of no bytes returns 0 whatever the
     * stream holds, so it peeks at one byte instead. */
    r = len > 0 ? recv(c->fd, buf, len, 0) : recv(c->fd, &one, 1, MSG_PEEK);
    if (r > 0)
        return len > 0 ? (int32_t)r : 0;
    if (r == 0)
        return BACT_E_CLOSED;
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0
                                                                       : BACT_E_NET;
}

static void posix_close(void *io)
{
    bact_posix_conn *c = (bact_posix_conn *)io;
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

void bact_posix_transport(bact_transport *t, bact_posix_conn *conn)
{
    conn->fd = -1;
    t->io = conn;
    t->open = posix_open;
    t->send = posix_send;
    t->recv = posix_recv;
    t->close = posix_close;
}

static uint32_t posix_now(void *ctx)
{
    (void)ctx;
    return mono_ms();
}

static void posix_sleep(void *ctx, uint32_t ms)
{
    struct timespec ts;
    (void)ctx;
    ts.tv_sec = (time_t)(ms / 1000u);
    ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
    (void)nanosleep(&ts, NULL);
}

static uint32_t posix_random(void *ctx)
{
    uint32_t v = 0;
    (void)ctx;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
        v = posix_now(NULL) * 2654435761u; /* jitter only: good enough */
    return v;
}

void bact_posix_platform(bact_platform *p)
{
    p->ctx = NULL;
    p->now_ms = posix_now;
    p->sleep_ms = posix_sleep;
    p->random = posix_random;
}
