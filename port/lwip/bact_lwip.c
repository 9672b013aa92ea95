/*
 * bact_lwip.c - the lwIP port (see bact_lwip.h).
 *
 * Only lwip_* names are called: with LWIP_COMPAT_SOCKETS 1 the BSD names
 * are macros for them, with 2 the lwip_* names are macros for the BSD names
 * lwIP was built with; either way these calls reach lwIP's socket layer,
 * never the C library's. Nothing here names a struct member after a socket
 * function (close, send, recv) in call position, so the compat macros never
 * rewrite this file's own code.
 */
#include <string.h>

#include "lwip/opt.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#if LWIP_DNS
#include "lwip/netdb.h"
#endif

#include "bact.h"
#include "bact_lwip.h"

#if NO_SYS || !LWIP_SOCKET
#error "bact_lwip: the socket API is needed (NO_SYS=0, LWIP_SOCKET=1)"
#endif
#if !LWIP_TCP
#error "bact_lwip: LWIP_TCP is needed"
#endif

/* poll when lwIP has it (2.1+, LWIP_SOCKET_POLL), else select */
#if !defined(BACT_LWIP_USE_SELECT)
#if defined(LWIP_SOCKET_POLL) && LWIP_SOCKET_POLL
#define BACT_LWIP_USE_SELECT 0
#else
#define BACT_LWIP_USE_SELECT 1
#endif
#endif
#if BACT_LWIP_USE_SELECT && defined(LWIP_SOCKET_SELECT) && !LWIP_SOCKET_SELECT
#error "bact_lwip: lwIP has neither poll (LWIP_SOCKET_POLL) nor select"
#endif

/* The longest host name open() takes (bytes, without the NUL): with
 * LWIP_DNS, the longest lwIP's resolver asks for (it refuses
 * DNS_MAX_NAME_LENGTH bytes or more). */
#if LWIP_DNS
#define HOST_MAX (DNS_MAX_NAME_LENGTH - 1)
#else
#define HOST_MAX 45u /* the longest numeric IPv6 address */
#endif

#define WAIT_IN 0
#define WAIT_OUT 1

/* A socket address of either family, without casts between the
 * differently aligned sockaddr types. */
typedef union sock_addr {
    struct sockaddr sa;
#if LWIP_IPV4
    struct sockaddr_in in4;
#endif
#if LWIP_IPV6
    struct sockaddr_in6 in6;
#endif
} sock_addr;

/* Wait until fd is readable (WAIT_IN) or writable (WAIT_OUT), or has an
 * error: > 0 ready, 0 timed out, < 0 failed. */
static int wait_fd(int fd, int dir, uint32_t timeout_ms)
{
#if !BACT_LWIP_USE_SELECT
    struct pollfd p;
    p.fd = fd;
    p.events = dir == WAIT_OUT ? POLLOUT : POLLIN;
    p.revents = 0;
    return lwip_poll(&p, 1, timeout_ms > 0x7FFFFFFFu ? 0x7FFFFFFF
                                                     : (int)timeout_ms);
#else
    fd_set set, err;
    struct timeval tv;
    FD_ZERO(&set);
    FD_ZERO(&err);
    FD_SET(fd, &set);
    FD_SET(fd, &err);
    if (timeout_ms > 0x7FFFFFFFu) /* lwIP 2.1 works the wait out in a long */
        timeout_ms = 0x7FFFFFFFu;
    tv.tv_sec = (long)(timeout_ms / 1000u);
    tv.tv_usec = (long)(timeout_ms % 1000u) * 1000L;
    return lwip_select(fd + 1, dir == WAIT_IN ? &set : NULL,
                       dir == WAIT_OUT ? &set : NULL, &err, &tv);
#endif
}

static int would_block(void)
{
    return errno == EWOULDBLOCK || errno == EAGAIN || errno == EINTR;
}

static int connect_to(bact_lwip_conn *c, const sock_addr *a, socklen_t len,
                      uint32_t timeout_ms)
{
    int fd, r, err = 0, one = 1;
    socklen_t elen = (socklen_t)sizeof err;

    fd = lwip_socket(a->sa.sa_family, SOCK_STREAM, 0);
    if (fd < 0)
        return BACT_E_CONNECT; /* out of sockets (MEMP_NUM_NETCONN) */
    if (lwip_fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
        (void)lwip_close(fd);
        return BACT_E_CONNECT; /* open's outcomes: OK, DNS, CONNECT, TIMEOUT */
    }
    (void)lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
                          (socklen_t)sizeof one);
    if (lwip_connect(fd, &a->sa, len) != 0) {
        if (errno != EINPROGRESS) {
            (void)lwip_close(fd);
            return BACT_E_CONNECT;
        }
        r = wait_fd(fd, WAIT_OUT, timeout_ms);
        if (r == 0) {
            (void)lwip_close(fd);
            return BACT_E_TIMEOUT;
        }
        if (r < 0 || lwip_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 ||
            err != 0) {
            (void)lwip_close(fd);
            return BACT_E_CONNECT;
        }
    }
    c->fd = fd;
    c->eof = 0;
    return BACT_OK;
}

/* The port in network byte order, whatever the CPU's. */
static void put_port(uint8_t *dst, uint16_t port)
{
    dst[0] = (uint8_t)(port >> 8);
    dst[1] = (uint8_t)(port & 0xFFu);
}

static int lwip_tr_open(void *io, const char *host, size_t host_len,
                        uint16_t port, uint32_t timeout_ms)
{
    bact_lwip_conn *c = (bact_lwip_conn *)io;
    char name[HOST_MAX + 1];
    sock_addr a;
    socklen_t len;

    if (host_len == 0 || host_len > HOST_MAX)
        return BACT_E_DNS;
    memcpy(name, host, host_len);
    name[host_len] = '\0';
    memset(&a, 0, sizeof a);
#if LWIP_DNS
    {
        struct addrinfo hints, *res = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        /* an IPv6 address (no name holds a colon) is read, never asked
         * of the DNS server as a name (whose answer would be connected
         * to): one lwIP does not read, any without LWIP_IPV6 and some
         * such as 64:ff9b::127.0.0.1 with it, is BACT_E_DNS at once */
        if (memchr(name, ':', host_len) != NULL)
            hints.ai_flags = AI_NUMERICHOST;
        /* no service name: lwIP would parse it with atoi() */
        if (lwip_getaddrinfo(name, NULL, &hints, &res) != 0 || res == NULL)
            return BACT_E_DNS;
        len = res->ai_addrlen;
        if (len > (socklen_t)sizeof a)
            len = (socklen_t)sizeof a;
        memcpy(&a, res->ai_addr, len);
        lwip_freeaddrinfo(res);
    }
#else
    len = 0;
#if LWIP_IPV4
    if (lwip_inet_pton(AF_INET, name, &a.in4.sin_addr) == 1) {
        a.in4.sin_family = AF_INET;
        len = (socklen_t)sizeof a.in4;
    }
#endif
#if LWIP_IPV6
    if (len == 0 && lwip_inet_pton(AF_INET6, name, &a.in6.sin6_addr) == 1) {
        a.in6.sin6_family = AF_INET6;
        len = (socklen_t)sizeof a.in6;
    }
#endif
    if (len == 0)
        return BACT_E_DNS; /* a name, and lwIP has no resolver */
#endif
#if LWIP_IPV6
    if (a.sa.sa_family == AF_INET6) {
        put_port((uint8_t *)&a.in6.sin6_port, port);
        return connect_to(c, &a, len, timeout_ms);
    }
#endif
#if LWIP_IPV4
    if (a.sa.sa_family == AF_INET) {
        put_port((uint8_t *)&a.in4.sin_port, port);
        return connect_to(c, &a, len, timeout_ms);
    }
#endif
    return BACT_E_DNS; /* an address of a family this lwIP does not have */
}

static int32_t lwip_tr_send(void *io, const uint8_t *data, size_t len,
                            uint32_t timeout_ms)
{
    bact_lwip_conn *c = (bact_lwip_conn *)io;
    ssize_t r;
    int w;
    if (c->fd < 0)
        return BACT_E_NET;
    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    r = lwip_send(c->fd, data, len, 0);
    if (r >= 0)
        return (int32_t)r;
    if (!would_block())
        return BACT_E_NET;
    if (timeout_ms == 0)
        return 0;
    w = wait_fd(c->fd, WAIT_OUT, timeout_ms);
    if (w <= 0) /* timed out: nothing yet; the wait failed: an error */
        return w == 0 ? 0 : BACT_E_NET;
    r = lwip_send(c->fd, data, len, 0);
    if (r >= 0)
        return (int32_t)r;
    return would_block() ? 0 : BACT_E_NET;
}

static int32_t lwip_tr_recv(void *io, uint8_t *buf, size_t len,
                            uint32_t timeout_ms)
{
    bact_lwip_conn *c = (bact_lwip_conn *)io;
    ssize_t r;
    if (c->fd < 0)
        return BACT_E_NET;
    if (c->eof) /* lwIP reports the FIN once, then ENOTCONN */
        return BACT_E_CLOSED;
    if (len == 0) /* lwip_recv() of no bytes returns 0, which is no FIN */
        return 0;
    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    if (timeout_ms > 0) {
        int w = wait_fd(c->fd, WAIT_IN, timeout_ms);
        if (w == 0)
            return 0;
        if (w < 0)
            return BACT_E_NET;
    }
    r = lwip_recv(c->fd, buf, len, 0);
    if (r > 0)
        return (int32_t)r;
    if (r == 0) {
        c->eof = 1;
        return BACT_E_CLOSED;
    }
    return would_block() ? 0 : BACT_E_NET;
}

static void lwip_tr_close(void *io)
{
    bact_lwip_conn *c = (bact_lwip_conn *)io;
    if (c->fd >= 0)
        (void)lwip_close(c->fd);
    c->fd = -1;
    c->eof = 0;
}

void bact_lwip_transport(bact_transport *t, bact_lwip_conn *conn)
{
    conn->fd = -1;
    conn->eof = 0;
    t->io = conn;
    t->open = lwip_tr_open;
    t->send = lwip_tr_send;
    t->recv = lwip_tr_recv;
    t->close = lwip_tr_close;
}

static uint32_t lwip_pf_now(void *ctx)
{
    (void)ctx;
    return (uint32_t)sys_now();
}

static void lwip_pf_sleep(void *ctx, uint32_t ms)
{
    (void)ctx;
    sys_msleep((u32_t)ms);
}

#ifdef LWIP_RAND
static uint32_t lwip_pf_random(void *ctx)
{
    (void)ctx;
    return (uint32_t)LWIP_RAND();
}
#endif

void bact_lwip_platform(bact_platform *p)
{
    p->ctx = NULL;
    p->now_ms = lwip_pf_now;
    p->sleep_ms = lwip_pf_sleep;
#ifdef LWIP_RAND
    p->random = lwip_pf_random;
#else
    p->random = NULL;
#endif
}
