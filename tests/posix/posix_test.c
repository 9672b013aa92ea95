/*
 * posix_test.c - the POSIX transport (port/posix) against the contract in
 * include/bact_port.h, over real sockets on 127.0.0.1 and ::1 (nothing
 * else is ever reached; no name is ever resolved).
 *
 * Each case runs in a child process of its own, under a deadline: a case
 * that hangs is killed and reported, so this program always ends. Prints
 * one "ok - posix.NAME" or "not ok - posix.NAME: why" per case and a
 * "# posix: N passed, N failed" line; exits non-zero on a failure.
 *
 * Linked with -Wl,--wrap=getaddrinfo: the name FAKE_NAME "resolves" to the
 * loopback addresses and ports a case lists (as a dual-stack name would to
 * its AAAA and A records); every other name goes to the C library as a
 * numeric address only (AI_NUMERICHOST: any other name fails, unresolved).
 * The lookups are counted, and with -Wl,--wrap=freeaddrinfo so are the
 * lists freed. And with -Wl,--wrap=poll: a case can make every poll() fail;
 * with -Wl,--wrap=connect, every connect() to one port fail at once, as
 * with no route to the address, or every connect() complete before it
 * returns; and with -Wl,--wrap=send, every send() answer EAGAIN.
 *
 * An address that never answers is a listener whose accept queue is full:
 * Linux drops the SYNs that reach it, so a connect to it waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "bact.h"
#include "bact_posix.h"

#define FAKE_NAME "bact-test.invalid"
#define WHY_MAX 256

/* ------------------------------------------------------------------ */
/* getaddrinfo, wrapped                                                 */
/* ------------------------------------------------------------------ */

typedef struct fake_addr {
    int family;
    uint16_t port;
} fake_addr;

static fake_addr fake[20];
static size_t n_fake;
static unsigned n_lookups; /* getaddrinfo() calls */
static size_t last_len;    /* the length of the last name looked up */
static int n_lists;        /* lists returned and not freed yet */

int __real_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res);

void __real_freeaddrinfo(struct addrinfo *res);
void __wrap_freeaddrinfo(struct addrinfo *res);

static int fake_getaddrinfo(const char *node, const char *service,
                            const struct addrinfo *hints,
                            struct addrinfo **res)
{
    struct addrinfo *head = NULL, *tail = NULL;
    size_t i;
    if (node == NULL || strcmp(node, FAKE_NAME) != 0) {
        struct addrinfo h;
        if (hints != NULL)
            h = *hints;
        else
            memset(&h, 0, sizeof h);
        h.ai_flags |= AI_NUMERICHOST; /* never a name lookup */
        return __real_getaddrinfo(node, service, &h, res);
    }
    for (i = 0; i < n_fake; i++) {
        struct addrinfo h, *one = NULL;
        char serv[8];
        memset(&h, 0, sizeof h);
        h.ai_family = fake[i].family;
        h.ai_socktype = SOCK_STREAM;
        h.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
        snprintf(serv, sizeof serv, "%u", (unsigned)fake[i].port);
        if (__real_getaddrinfo(fake[i].family == AF_INET6 ? "::1" : "127.0.0.1",
                               serv, &h, &one) != 0 || one == NULL) {
            if (head != NULL)
                __real_freeaddrinfo(head);
            return EAI_FAIL;
        }
        if (tail == NULL)
            head = one;
        else
            tail->ai_next = one;
        tail = one;
        while (tail->ai_next != NULL)
            tail = tail->ai_next;
    }
    if (head == NULL)
        return EAI_NONAME;
    *res = head;
    return 0;
}

int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res)
{
    int rc = fake_getaddrinfo(node, service, hints, res);
    n_lookups++;
    last_len = node != NULL ? strlen(node) : 0;
    if (rc == 0)
        n_lists++;
    return rc;
}

void __wrap_freeaddrinfo(struct addrinfo *res)
{
    n_lists--;
    __real_freeaddrinfo(res);
}

/* ------------------------------------------------------------------ */
/* poll, wrapped                                                        */
/* ------------------------------------------------------------------ */

/* Set by a case: every poll() fails (ENOMEM, as on a kernel short of
 * memory) instead of waiting. */
static int poll_fails;
static unsigned n_polls; /* poll() calls */

int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    n_polls++;
    if (poll_fails) {
        errno = ENOMEM;
        return -1;
    }
    return __real_poll(fds, n, timeout);
}

/* ------------------------------------------------------------------ */
/* connect, wrapped                                                     */
/* ------------------------------------------------------------------ */

/* Set by a case: a connect() to this port fails at once (ENETUNREACH) */
static uint16_t unreachable_port;
/* Set by a case: a connect() completes before it returns 0, as one may
 * on a non-blocking socket, errno left as an earlier call set it */
static int connect_at_once;

int __real_connect(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_connect(int fd, const struct sockaddr *sa, socklen_t len);

int __wrap_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    uint16_t port = 0;
    if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 a;
        memcpy(&a, sa, sizeof a);
        port = ntohs(a.sin6_port);
    } else if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in a;
        memcpy(&a, sa, sizeof a);
        port = ntohs(a.sin_port);
    }
    if (unreachable_port != 0 && port == unreachable_port) {
        errno = ENETUNREACH;
        return -1;
    }
    if (connect_at_once) {
        int fl = fcntl(fd, F_GETFL), r;
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
            return -1;
        r = __real_connect(fd, sa, len);
        if (fcntl(fd, F_SETFL, fl) != 0)
            return -1;
        if (r == 0)
            errno = ENOENT;
        return r;
    }
    return __real_connect(fd, sa, len);
}

/* ------------------------------------------------------------------ */
/* send, wrapped                                                        */
/* ------------------------------------------------------------------ */

/* Set by a case: every send() would block (EAGAIN), though a wait finds
 * room */
static int sends_block;

ssize_t __real_send(int fd, const void *buf, size_t len, int flags);
ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags);

ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags)
{
    if (sends_block) {
        errno = EAGAIN;
        return -1;
    }
    return __real_send(fd, buf, len, flags);
}

/* ------------------------------------------------------------------ */
/* helpers                                                              */
/* ------------------------------------------------------------------ */

static int have_v6; /* ::1 can be bound (set before the cases run) */

static uint32_t now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u +
                      (uint64_t)ts.tv_nsec / 1000000u);
}

static uint32_t since(uint32_t t0)
{
    return now_ms() - t0;
}

static socklen_t loopback(int family, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 a;
        memset(&a, 0, sizeof a);
        a.sin6_family = AF_INET6;
        a.sin6_addr = in6addr_loopback;
        a.sin6_port = htons(port);
        memcpy(ss, &a, sizeof a);
        return (socklen_t)sizeof a;
    } else {
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        memcpy(ss, &a, sizeof a);
        return (socklen_t)sizeof a;
    }
}

static uint16_t port_of(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = (socklen_t)sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 a;
        memcpy(&a, &ss, sizeof a);
        return ntohs(a.sin6_port);
    } else {
        struct sockaddr_in a;
        memcpy(&a, &ss, sizeof a);
        return ntohs(a.sin_port);
    }
}

/* A socket bound to a fresh loopback port; listening with backlog when
 * backlog >= 0. -1 on failure. */
static int bound(int family, int backlog, uint16_t *port)
{
    struct sockaddr_storage ss;
    socklen_t len = loopback(family, 0, &ss);
    int fd = socket(family, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        return -1;
    if (family == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
        (backlog >= 0 && listen(fd, backlog) != 0)) {
        close(fd);
        return -1;
    }
    *port = port_of(fd);
    return fd;
}

/* A listener that never answers: its accept queue (backlog 0) is filled
 * by one connection nobody accepts, and a second waits behind it; a SYN
 * that comes now is dropped. -1 on failure. */
static int dead_listener(int family, uint16_t *port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int ls = bound(family, 0, port), i;
    if (ls < 0)
        return -1;
    len = loopback(family, *port, &ss);
    for (i = 0; i < 2; i++) {
        int f = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (f < 0)
            return -1;
        (void)connect(f, (struct sockaddr *)&ss, len);
        if (i == 0) { /* the first one completes: the queue is full */
            struct pollfd p;
            p.fd = f;
            p.events = POLLOUT;
            p.revents = 0;
            if (poll(&p, 1, 2000) != 1)
                return -1;
        }
        /* kept open until the case's process ends */
    }
    return ls;
}

/* the descriptor the next socket would get */
static int lowest_free(void)
{
    int f = dup(2);
    if (f >= 0)
        close(f);
    return f;
}

static int v6_or_v4(void)
{
    return have_v6 ? AF_INET6 : AF_INET;
}

/* What a child process does to the server's end of a connection, 100 ms
 * after it was started, while the case waits in a call. */
static void drain(int fd)
{
    static uint8_t b[65536];
    (void)recv(fd, b, sizeof b, 0);
}

static void answer_late(int fd)
{
    (void)send(fd, "late", 4, 0);
}

/* a FIN, then a reset: a server that answered and closed without reading
 * what was still coming */
static void finish_then_reset(int fd)
{
    struct linger lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    (void)shutdown(fd, SHUT_WR);
    (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

/* what(fd) in a child process, 100 ms from now; 0 if fork failed */
static int later(void (*what)(int), int fd)
{
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        struct timespec ts = {0, 100000000L};
        (void)nanosleep(&ts, NULL);
        what(fd);
        _exit(0);
    }
    return 1;
}

#define FAIL(...)                                  \
    do {                                           \
        snprintf(why, WHY_MAX, __VA_ARGS__);       \
        return 0;                                  \
    } while (0)

static int in_time(int r, uint32_t el, int want, uint32_t lo, uint32_t hi,
                   const char *what, char *why)
{
    if (r != want || el < lo || el > hi)
        FAIL("%s: %d after %u ms, want %d after %u to %u ms", what, r,
             (unsigned)el, want, (unsigned)lo, (unsigned)hi);
    return 1;
}

/* The case fails unless CALL returns WANT after LO to HI ms; WHAT names
 * the call in the message. */
#define TIMED(what, call, want, lo, hi)                                 \
    do {                                                                \
        uint32_t t0_ = now_ms();                                        \
        int r_ = (int)(call);                                           \
        if (!in_time(r_, since(t0_), want, lo, hi, what, why))          \
            return 0;                                                   \
    } while (0)

/* The transport, a loopback listener and, once connected, the server's
 * end of the connection. */
typedef struct pair {
    bact_posix_conn conn;
    bact_transport tr;
    int family;
    uint16_t port; /* the listener's */
    int ls;        /* listening, backlog 4 */
    int srv;       /* accepted */
} pair;

/* p->tr set up and p->ls listening on a fresh port; 0 on failure */
static int listening(pair *p, int family)
{
    bact_posix_transport(&p->tr, &p->conn);
    p->family = family;
    p->srv = -1;
    p->ls = bound(family, 4, &p->port);
    return p->ls >= 0;
}

/* open p->tr to the listener and accept the server's end into p->srv */
static int open_accept(pair *p, char *why)
{
    const char *host = p->family == AF_INET6 ? "::1" : "127.0.0.1";
    int rc = p->tr.open(p->tr.io, host, strlen(host), p->port, 2000);
    if (rc != BACT_OK)
        FAIL("open %s: %d (%s)", host, rc, bact_strerror(rc));
    p->srv = accept(p->ls, NULL, NULL);
    if (p->srv < 0)
        FAIL("accept: %s", strerror(errno));
    return 1;
}

/* 1 if fd reads the end of the stream within 2 s, after skip bytes */
static int reads_end(int fd, size_t skip)
{
    uint8_t b[64];
    struct pollfd pf;
    ssize_t r;
    do {
        pf.fd = fd;
        pf.events = POLLIN;
        pf.revents = 0;
        if (poll(&pf, 1, 2000) != 1)
            return 0;
        r = recv(fd, b, skip > 0 && skip < sizeof b ? skip : sizeof b, 0);
        if (r < 0 || (size_t)r > skip)
            return 0;
        skip -= (size_t)r;
    } while (r > 0);
    return skip == 0;
}

/* listening, then open_accept: a connected pair */
static int connected(pair *p, int family, char *why)
{
    if (!listening(p, family))
        FAIL("listen failed");
    return open_accept(p, why);
}

/* ------------------------------------------------------------------ */
/* the cases                                                            */
/* ------------------------------------------------------------------ */

/* > 0: the bytes that arrived, each once, at most len of them a call */
static int case_recv_bytes(char *why)
{
    pair p;
    uint8_t b[16];
    int32_t r;
    if (!connected(&p, AF_INET, why))
        return 0;
    if (send(p.srv, "hello", 5, 0) != 5)
        FAIL("server send failed");
    r = p.tr.recv(p.tr.io, b, 3, 2000);
    if (r != 3 || memcmp(b, "hel", 3) != 0)
        FAIL("recv (len 3) %d, want 3 bytes \"hel\"", (int)r);
    r = p.tr.recv(p.tr.io, b, 1, 2000);
    if (r != 1 || b[0] != 'l')
        FAIL("recv (len 1) %d, want 1 byte \"l\"", (int)r);
    r = p.tr.recv(p.tr.io, b, sizeof b, 2000);
    if (r != 1 || b[0] != 'o')
        FAIL("recv %d, want the byte left, \"o\"", (int)r);
    r = p.tr.recv(p.tr.io, b, sizeof b, 0);
    if (r != 0)
        FAIL("recv once all was read: %d, want 0", (int)r);
    p.tr.close(p.tr.io);
    p.tr.close(p.tr.io); /* safe twice */
    r = p.tr.recv(p.tr.io, b, sizeof b, 0);
    if (r != BACT_E_NET)
        FAIL("recv after close: %d", (int)r);
    return 1;
}

/* close ends the stream (the server reads its end), and the transport
 * forgets the descriptor: a second close leaves alone the socket that took
 * its number since, and recv and send are errors at once, with a timeout
 * too. A transport never opened holds no descriptor either. */
static int case_close(char *why)
{
    pair p;
    uint8_t b[16];
    int fd, s;
    int32_t r;
    /* descriptor 0 open, as any other the second close must leave alone */
    if (fcntl(0, F_GETFD) < 0 && open("/dev/null", O_RDONLY) != 0)
        FAIL("setup: descriptor 0 not to be had");
    if (!connected(&p, AF_INET, why))
        return 0;
    fd = p.conn.fd;
    p.tr.close(p.tr.io);
    if (!reads_end(p.srv, 0))
        FAIL("the server did not read the end of the stream");
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s != fd)
        FAIL("setup: the new socket got %d, not %d", s, fd);
    p.tr.close(p.tr.io);
    if (fcntl(s, F_GETFD) < 0)
        FAIL("a second close closed the socket that took the number");
    if (fcntl(0, F_GETFD) < 0)
        FAIL("a second close closed descriptor 0");
    TIMED("recv after close (timeout 2000)",
          p.tr.recv(p.tr.io, b, sizeof b, 2000), BACT_E_NET, 0, 1000);
    TIMED("send after close (timeout 2000)",
          p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 2000), BACT_E_NET,
          0, 1000);
    p.conn.fd = s; /* what a fresh struct may hold */
    bact_posix_transport(&p.tr, &p.conn);
    r = p.tr.recv(p.tr.io, b, sizeof b, 0);
    if (r != BACT_E_NET)
        FAIL("recv on a transport never opened: %d, want %d", (int)r,
             BACT_E_NET);
    p.tr.close(p.tr.io);
    if (fcntl(s, F_GETFD) < 0)
        FAIL("close on a transport never opened closed a descriptor");
    return 1;
}

/* With stdin closed the stream gets descriptor 0, and it is a stream like
 * any other: it carries bytes and close ends it. */
static int case_fd_zero(char *why)
{
    pair p;
    uint8_t b[16];
    int32_t r;
    if (!listening(&p, AF_INET))
        FAIL("listen failed");
    close(0);
    if (!open_accept(&p, why))
        return 0;
    if (p.conn.fd != 0)
        FAIL("setup: the stream got descriptor %d, not 0", p.conn.fd);
    if (send(p.srv, "zero", 4, 0) != 4)
        FAIL("server send failed");
    r = p.tr.recv(p.tr.io, b, sizeof b, 2000);
    if (r != 4 || memcmp(b, "zero", 4) != 0)
        FAIL("recv %d, want 4 bytes \"zero\"", (int)r);
    r = p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 2000);
    if (r != 4)
        FAIL("send %d, want 4", (int)r);
    p.tr.close(p.tr.io);
    if (!reads_end(p.srv, 4))
        FAIL("the server did not read 4 bytes, then the end of the stream");
    return 1;
}

/* > 0: the bytes sent, 0 for none offered; and small writes go out at
 * once (TCP_NODELAY: a request's head and body are not held back for an
 * ACK) */
static int case_send_bytes(char *why)
{
    pair p;
    char b[8];
    int32_t r;
    int nodelay = 0;
    socklen_t len = (socklen_t)sizeof nodelay;
    if (!connected(&p, AF_INET, why))
        return 0;
    if (getsockopt(p.conn.fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len) != 0 ||
        nodelay == 0)
        FAIL("the stream does not have TCP_NODELAY");
    r = p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 2000);
    if (r != 4)
        FAIL("send %d, want 4", (int)r);
    if (recv(p.srv, b, sizeof b, 0) != 4 || memcmp(b, "ping", 4) != 0)
        FAIL("the server did not get \"ping\"");
    /* a send of no bytes moves none: 0, whatever errno held before */
    errno = EPIPE;
    r = p.tr.send(p.tr.io, (const uint8_t *)"ping", 0, 0);
    if (r != 0)
        FAIL("send (len 0), errno EPIPE from before: %d, want 0", (int)r);
    p.tr.close(p.tr.io);
    return 1;
}

/* 0: nothing yet, at once with timeout 0, after the timeout otherwise; a
 * wait that timed out is not started again because errno still says EINTR
 * from an earlier call */
static int case_recv_nothing_yet(char *why)
{
    pair p;
    uint8_t b[16];
    if (!connected(&p, AF_INET, why))
        return 0;
    TIMED("recv (timeout 0)", p.tr.recv(p.tr.io, b, sizeof b, 0), 0, 0, 1000);
    TIMED("recv (timeout 200)", p.tr.recv(p.tr.io, b, sizeof b, 200), 0, 150,
          3000);
    n_polls = 0;
    errno = EINTR;
    TIMED("recv (timeout 100, errno EINTR before)",
          p.tr.recv(p.tr.io, b, sizeof b, 100), 0, 50, 3000);
    if (n_polls != 1)
        FAIL("recv (timeout 100, errno EINTR before): %u waits, want 1",
             n_polls);
    p.tr.close(p.tr.io);
    return 1;
}

/* BACT_E_CLOSED: a clean close, and it stays so */
static int case_recv_closed_twice(char *why)
{
    pair p;
    uint8_t b[16];
    int i;
    if (!connected(&p, AF_INET, why))
        return 0;
    close(p.srv);
    for (i = 0; i < 3; i++) {
        int32_t r = p.tr.recv(p.tr.io, b, sizeof b, i == 2 ? 0u : 2000u);
        if (r != BACT_E_CLOSED)
            FAIL("recv #%d after the peer's FIN: %d, want %d", i + 1, (int)r,
                 BACT_E_CLOSED);
    }
    p.tr.close(p.tr.io);
    return 1;
}

/* A read of no bytes moves none: 0, with bytes waiting as on an idle
 * stream, and the bytes are read after it; once the peer's FIN was read
 * it is BACT_E_CLOSED like every later read (a recv() of no bytes returns
 * 0 whatever the stream holds: no end of the stream) */
static int case_recv_zero_len(char *why)
{
    pair p;
    uint8_t b[16];
    struct pollfd pf;
    int32_t r;
    if (!connected(&p, AF_INET, why))
        return 0;
    r = p.tr.recv(p.tr.io, b, 0, 0);
    if (r != 0)
        FAIL("recv (len 0) on an idle stream: %d, want 0", (int)r);
    if (send(p.srv, "hi", 2, 0) != 2)
        FAIL("server send failed");
    pf.fd = p.conn.fd;
    pf.events = POLLIN;
    pf.revents = 0;
    if (poll(&pf, 1, 2000) != 1)
        FAIL("the server's bytes did not come");
    r = p.tr.recv(p.tr.io, b, 0, 0);
    if (r != 0)
        FAIL("recv (len 0) with 2 bytes waiting: %d, want 0", (int)r);
    TIMED("recv (len 0, timeout 200 ms) with 2 bytes waiting",
          p.tr.recv(p.tr.io, b, 0, 200), 0, 0, 100);
    r = p.tr.recv(p.tr.io, b, sizeof b, 2000);
    if (r != 2 || memcmp(b, "hi", 2) != 0)
        FAIL("recv after the reads of no bytes: %d, want the 2 bytes \"hi\"",
             (int)r);
    close(p.srv);
    r = p.tr.recv(p.tr.io, b, sizeof b, 2000);
    if (r != BACT_E_CLOSED)
        FAIL("recv after the peer's FIN: %d, want %d", (int)r, BACT_E_CLOSED);
    r = p.tr.recv(p.tr.io, b, 0, 0);
    if (r != BACT_E_CLOSED)
        FAIL("recv (len 0) after the FIN was read: %d, want %d", (int)r,
             BACT_E_CLOSED);
    p.tr.close(p.tr.io);
    return 1;
}

/* BACT_E_NET: a reset (recv, then send, with no wait and with one) */
static int case_recv_reset(char *why)
{
    pair p;
    uint8_t b[16];
    struct linger lg;
    int32_t r;
    if (!connected(&p, AF_INET, why))
        return 0;
    lg.l_onoff = 1;
    lg.l_linger = 0; /* close sends RST */
    (void)setsockopt(p.srv, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(p.srv);
    r = p.tr.recv(p.tr.io, b, sizeof b, 2000);
    if (r != BACT_E_NET)
        FAIL("recv after the peer's RST: %d, want %d", (int)r, BACT_E_NET);
    r = p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 0);
    if (r != BACT_E_NET)
        FAIL("send (timeout 0) after the peer's RST: %d, want %d", (int)r,
             BACT_E_NET);
    r = p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 2000);
    if (r != BACT_E_NET)
        FAIL("send after the peer's RST: %d, want %d", (int)r, BACT_E_NET);
    p.tr.close(p.tr.io);
    return 1;
}

/* The longest timeout (beyond poll()'s int) waits until the bytes come */
static int case_recv_longest_timeout(char *why)
{
    pair p;
    uint8_t b[16];
    int32_t r;
    if (!connected(&p, AF_INET, why))
        return 0;
    if (!later(answer_late, p.srv))
        FAIL("fork failed");
    r = p.tr.recv(p.tr.io, b, sizeof b, 0xFFFFFFFFu);
    if (r != 4 || memcmp(b, "late", 4) != 0)
        FAIL("recv (timeout 2^32 - 1, bytes after 100 ms): %d, want 4 bytes "
             "\"late\"", (int)r);
    p.tr.close(p.tr.io);
    return 1;
}

static int case_open_refused(char *why)
{
    bact_posix_conn conn;
    bact_transport tr;
    uint16_t port;
    int fd = bound(AF_INET, -1, &port), rc; /* bound, not listening */
    bact_posix_transport(&tr, &conn);
    if (fd < 0)
        FAIL("bind failed");
    rc = tr.open(tr.io, "127.0.0.1", 9, port, 2000);
    if (rc != BACT_E_CONNECT)
        FAIL("open: %d, want %d", rc, BACT_E_CONNECT);
    return 1;
}

static int case_open_ipv6_literal(char *why)
{
    pair p;
    uint8_t b[16];
    int32_t r;
    if (!have_v6)
        FAIL("::1 not available");
    if (!connected(&p, AF_INET6, why))
        return 0;
    if (send(p.srv, "v6", 2, 0) != 2)
        FAIL("server send failed");
    r = p.tr.recv(p.tr.io, b, sizeof b, 2000);
    if (r != 2)
        FAIL("recv %d, want 2", (int)r);
    p.tr.close(p.tr.io);
    return 1;
}

/* The host is host_len bytes: none, or more than 255, is BACT_E_DNS with
 * no lookup; 255 are looked up; the bytes after host_len are not part of
 * it. A name without an address is BACT_E_DNS. Each list is freed. */
static int case_open_host(char *why)
{
    pair p;
    static char name[300], longer[64];
    int rc;
    if (!listening(&p, AF_INET))
        FAIL("listen failed");
    memset(name, 'a', sizeof name);
    snprintf(longer, sizeof longer, "%s.and-more", FAKE_NAME);
    fake[0].family = AF_INET;
    fake[0].port = p.port;
    rc = p.tr.open(p.tr.io, name, 0, p.port, 1000);
    if (rc != BACT_E_DNS || n_lookups != 0)
        FAIL("open (an empty host): %d after %u lookups, want %d after none",
             rc, n_lookups, BACT_E_DNS);
    rc = p.tr.open(p.tr.io, name, 256, p.port, 1000);
    if (rc != BACT_E_DNS || n_lookups != 0)
        FAIL("open (a 256-byte host): %d after %u lookups, want %d after none",
             rc, n_lookups, BACT_E_DNS);
    rc = p.tr.open(p.tr.io, name, 255, p.port, 1000);
    if (rc != BACT_E_DNS || n_lookups != 1 || last_len != 255)
        FAIL("open (a 255-byte host): %d after %u lookups (the last of %u "
             "bytes), want %d after one of 255", rc, n_lookups,
             (unsigned)last_len, BACT_E_DNS);
    /* at once after the 255-byte name: a name not ended at host_len would
     * still hold its bytes */
    n_fake = 1;
    rc = p.tr.open(p.tr.io, longer, strlen(FAKE_NAME), 443, 1000);
    if (rc != BACT_OK)
        FAIL("open (\"%s.and-more\", its first %u bytes): %d, want %d",
             FAKE_NAME, (unsigned)strlen(FAKE_NAME), rc, BACT_OK);
    p.tr.close(p.tr.io);
    n_fake = 0;
    rc = p.tr.open(p.tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 1000);
    if (rc != BACT_E_DNS)
        FAIL("open (a name without an address): %d, want %d", rc, BACT_E_DNS);
    if (n_lists != 0)
        FAIL("%d address lists not freed", n_lists);
    return 1;
}

static int start_ticks(void);

/* open to a listener that never answers: BACT_E_TIMEOUT after the
 * timeout, also with a signal every 50 ms (ticks) */
static int open_unanswered(char *why, int ticks)
{
    bact_posix_conn conn;
    bact_transport tr;
    uint16_t port;
    bact_posix_transport(&tr, &conn);
    if (dead_listener(AF_INET, &port) < 0)
        FAIL("setup failed");
    if (ticks && !start_ticks())
        FAIL("setitimer failed");
    TIMED(ticks ? "open (timeout 300, no answer, a signal every 50 ms)"
                : "open (timeout 300, no answer)",
          tr.open(tr.io, "127.0.0.1", 9, port, 300), BACT_E_TIMEOUT, 250, 3000);
    return 1;
}

static int case_open_timeout(char *why)
{
    return open_unanswered(why, 0);
}

/* An address that refuses at once leaves the whole budget to the next. */
static int case_open_refused_then_next(char *why)
{
    bact_posix_conn conn;
    bact_transport tr;
    int rc, fd, ls;
    bact_posix_transport(&tr, &conn);
    fake[0].family = v6_or_v4();
    fake[1].family = AF_INET;
    fd = bound(fake[0].family, -1, &fake[0].port); /* bound, not listening */
    ls = bound(AF_INET, 4, &fake[1].port);
    if (fd < 0 || ls < 0)
        FAIL("setup failed");
    n_fake = 2;
    rc = tr.open(tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 2000);
    if (rc != BACT_OK)
        FAIL("open (a refusing address, then a listening one): %d, want %d",
             rc, BACT_OK);
    tr.close(tr.io);
    return 1;
}

/* An address connect() refuses at once (no route: ENETUNREACH) is a
 * failed connect, with no wait (its socket is closed), and the next
 * address is tried. */
static int case_open_unreachable(char *why)
{
    pair p;
    int rc;
    unsigned polls;
    if (!listening(&p, AF_INET))
        FAIL("listen failed");
    unreachable_port = 9;
    fake[0].family = v6_or_v4();
    fake[0].port = 9;
    fake[1].family = AF_INET;
    fake[1].port = p.port;
    n_fake = 1;
    polls = n_polls;
    rc = p.tr.open(p.tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 2000);
    if (rc != BACT_E_CONNECT)
        FAIL("open (no route): %d, want %d", rc, BACT_E_CONNECT);
    if (n_polls != polls)
        FAIL("open (no route) waited: %u poll() calls, want none",
             n_polls - polls);
    n_fake = 2;
    rc = p.tr.open(p.tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 2000);
    if (rc != BACT_OK)
        FAIL("open (no route, then a listening address): %d, want %d", rc,
             BACT_OK);
    p.tr.close(p.tr.io);
    return 1;
}

/* A connect() that completes at once (0, not EINPROGRESS) is the stream,
 * with nothing waited for and whatever errno says */
static int case_open_at_once(char *why)
{
    pair p;
    uint8_t b[8];
    unsigned polls;
    int rc;
    if (!listening(&p, AF_INET))
        FAIL("listen failed");
    connect_at_once = 1;
    polls = n_polls;
    rc = p.tr.open(p.tr.io, "127.0.0.1", 9, p.port, 2000);
    connect_at_once = 0;
    if (rc != BACT_OK)
        FAIL("open (connected at once): %d, want %d", rc, BACT_OK);
    if (n_polls != polls)
        FAIL("open (connected at once) waited: %u poll() calls, want none",
             n_polls - polls);
    if ((fcntl(p.conn.fd, F_GETFL) & O_NONBLOCK) == 0)
        FAIL("the stream is not non-blocking");
    p.srv = accept(p.ls, NULL, NULL);
    if (p.srv < 0)
        FAIL("accept: %s", strerror(errno));
    if (p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 2000) != 4 ||
        recv(p.srv, b, sizeof b, 0) != 4 || memcmp(b, "ping", 4) != 0)
        FAIL("the stream does not carry bytes");
    p.tr.close(p.tr.io);
    return 1;
}

/* Each way an open fails gives its outcome and leaves no descriptor open:
 * refused, never answered, no route, and a wait for the connect that
 * fails (an error, not a connection). */
static int case_open_fails_cleanly(char *why)
{
    bact_posix_conn conn;
    bact_transport tr;
    uint16_t refusing, silent;
    int fd, free_fd, rc;
    bact_posix_transport(&tr, &conn);
    fd = bound(AF_INET, -1, &refusing); /* bound, not listening */
    if (fd < 0 || dead_listener(AF_INET, &silent) < 0)
        FAIL("setup failed");
    free_fd = lowest_free();
    rc = tr.open(tr.io, "127.0.0.1", 9, refusing, 1000);
    if (rc != BACT_E_CONNECT || lowest_free() != free_fd)
        FAIL("open (refused): %d, next descriptor %d, want %d and %d", rc,
             lowest_free(), BACT_E_CONNECT, free_fd);
    rc = tr.open(tr.io, "127.0.0.1", 9, silent, 100);
    if (rc != BACT_E_TIMEOUT || lowest_free() != free_fd)
        FAIL("open (never answered): %d, next descriptor %d, want %d and %d",
             rc, lowest_free(), BACT_E_TIMEOUT, free_fd);
    unreachable_port = refusing;
    rc = tr.open(tr.io, "127.0.0.1", 9, refusing, 1000);
    unreachable_port = 0;
    if (rc != BACT_E_CONNECT || lowest_free() != free_fd)
        FAIL("open (no route): %d, next descriptor %d, want %d and %d", rc,
             lowest_free(), BACT_E_CONNECT, free_fd);
    poll_fails = 1;
    rc = tr.open(tr.io, "127.0.0.1", 9, silent, 1000);
    poll_fails = 0;
    if (rc != BACT_E_CONNECT || lowest_free() != free_fd)
        FAIL("open (the wait fails): %d, next descriptor %d, want %d and %d",
             rc, lowest_free(), BACT_E_CONNECT, free_fd);
    return 1;
}

static void on_tick(int sig)
{
    (void)sig;
}

/* SIGALRM after first_us, then every every_us (0: once) */
static int start_alarm(long first_us, long every_us)
{
    struct sigaction sa;
    struct itimerval it;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_tick;
    sa.sa_flags = SA_RESTART; /* poll() is interrupted all the same */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        return 0;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = first_us / 1000000L;
    it.it_value.tv_usec = first_us % 1000000L;
    it.it_interval.tv_sec = every_us / 1000000L;
    it.it_interval.tv_usec = every_us % 1000000L;
    return setitimer(ITIMER_REAL, &it, NULL) == 0;
}

/* SIGALRM every 50 ms from now on (this process only) */
static int start_ticks(void)
{
    return start_alarm(50000L, 50000L);
}

/* One signal late in a wait does not start it over: the poll after it
 * gets what is left of the timeout since the wait began, not the whole
 * timeout again (which would end it near 1900 ms). */
static int case_recv_late_signal(char *why)
{
    pair p;
    uint8_t b[16];
    if (!connected(&p, AF_INET, why))
        return 0;
    if (!start_alarm(900000L, 0L))
        FAIL("setitimer failed");
    TIMED("recv (timeout 1000, one signal at 900 ms)",
          p.tr.recv(p.tr.io, b, sizeof b, 1000), 0, 950, 1600);
    p.tr.close(p.tr.io);
    return 1;
}

/* A periodic signal does not stretch a wait: each poll after an EINTR
 * gets only the time left. */
static int case_recv_eintr(char *why)
{
    pair p;
    uint8_t b[16];
    if (!connected(&p, AF_INET, why))
        return 0;
    if (!start_ticks())
        FAIL("setitimer failed");
    TIMED("recv (timeout 200, a signal every 50 ms)",
          p.tr.recv(p.tr.io, b, sizeof b, 200), 0, 150, 3000);
    p.tr.close(p.tr.io);
    return 1;
}

static uint8_t chunk[65536];

/* A connected pair whose send buffers are full: the server reads nothing */
static int send_blocked(pair *p, char *why)
{
    int i, small = 4096;
    int32_t r = 1;
    if (!listening(p, AF_INET))
        FAIL("listen failed");
    (void)setsockopt(p->ls, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (!open_accept(p, why))
        return 0;
    (void)setsockopt(p->conn.fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    for (i = 0; i < 4096 && r > 0; i++)
        r = p->tr.send(p->tr.io, chunk, sizeof chunk, 0);
    if (r != 0)
        FAIL("filling the send buffer: send %d after %d calls", (int)r, i);
    return 1;
}

static int case_send_eintr(char *why)
{
    pair p;
    if (!send_blocked(&p, why))
        return 0;
    if (!start_ticks())
        FAIL("setitimer failed");
    TIMED("send (timeout 200, buffer full, a signal every 50 ms)",
          p.tr.send(p.tr.io, chunk, sizeof chunk, 200), 0, 150, 3000);
    p.tr.close(p.tr.io);
    return 1;
}

/* A send that had to wait for room moves bytes once the server reads */
static int case_send_after_wait(char *why)
{
    pair p;
    int32_t r;
    if (!send_blocked(&p, why))
        return 0;
    if (!later(drain, p.srv))
        FAIL("fork failed");
    r = p.tr.send(p.tr.io, chunk, sizeof chunk, 2000);
    if (r <= 0)
        FAIL("send (buffer full, the server reads after 100 ms): %d, want > 0",
             (int)r);
    p.tr.close(p.tr.io);
    return 1;
}

/* A send whose wait found room but whose send still would block is
 * nothing yet, at once (the wait did not time out) */
static int case_send_blocks_after_wait(char *why)
{
    pair p;
    if (!connected(&p, AF_INET, why))
        return 0;
    sends_block = 1;
    TIMED("send (timeout 1000, room, every send() would block)",
          p.tr.send(p.tr.io, (const uint8_t *)"ping", 4, 1000), 0, 0, 500);
    sends_block = 0;
    p.tr.close(p.tr.io);
    return 1;
}

/* A send waiting for room when the server ends the stream, then resets it
 * (it answered and closed without reading the rest): BACT_E_NET, and no
 * SIGPIPE (that error is EPIPE). */
static int case_send_reset_while_waiting(char *why)
{
    pair p;
    int32_t r;
    if (!send_blocked(&p, why))
        return 0;
    if (!later(finish_then_reset, p.srv))
        FAIL("fork failed");
    close(p.srv); /* the child's is the last */
    r = p.tr.send(p.tr.io, chunk, sizeof chunk, 2000);
    if (r != BACT_E_NET)
        FAIL("send (buffer full, the server's FIN and RST after 100 ms): %d, "
             "want %d", (int)r, BACT_E_NET);
    p.tr.close(p.tr.io);
    return 1;
}

/* A wait that fails (not a signal, not a timeout) is an error at once, not
 * "nothing yet": the core would otherwise try again until its deadline. */
static int case_send_poll_fails(char *why)
{
    pair p;
    if (!send_blocked(&p, why))
        return 0;
    poll_fails = 1;
    TIMED("send (timeout 2000, buffer full, poll fails)",
          p.tr.send(p.tr.io, chunk, sizeof chunk, 2000), BACT_E_NET, 0, 1000);
    poll_fails = 0;
    p.tr.close(p.tr.io);
    return 1;
}

static int case_recv_poll_fails(char *why)
{
    pair p;
    uint8_t b[16];
    if (!connected(&p, AF_INET, why))
        return 0;
    poll_fails = 1;
    TIMED("recv (timeout 2000, poll fails)",
          p.tr.recv(p.tr.io, b, sizeof b, 2000), BACT_E_NET, 0, 1000);
    poll_fails = 0;
    p.tr.close(p.tr.io);
    return 1;
}

static int case_open_eintr(char *why)
{
    return open_unanswered(why, 1);
}

/* No socket to be had (every descriptor in use): a failed connect, one of
 * open's outcomes; the transport works again once there are descriptors. */
static int case_open_no_socket(char *why)
{
    pair p;
    struct rlimit old, rl;
    int fds[64], n = 0, i, rc, rc6 = BACT_E_CONNECT;
    if (!listening(&p, AF_INET) || getrlimit(RLIMIT_NOFILE, &old) != 0)
        FAIL("setup failed");
    rl = old;
    rl.rlim_cur = 16;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        FAIL("setrlimit failed");
    while (n < 64) { /* use up every descriptor left */
        int f = socket(AF_INET, SOCK_STREAM, 0);
        if (f < 0)
            break;
        fds[n++] = f;
    }
    rc = p.tr.open(p.tr.io, "127.0.0.1", 9, p.port, 1000);
    if (have_v6)
        rc6 = p.tr.open(p.tr.io, "::1", 3, p.port, 1000);
    for (i = 0; i < n; i++)
        close(fds[i]);
    (void)setrlimit(RLIMIT_NOFILE, &old);
    if (n == 64)
        FAIL("RLIMIT_NOFILE did not bite");
    if (rc != BACT_E_CONNECT || rc6 != BACT_E_CONNECT)
        FAIL("open without a descriptor: %d (::1: %d), want %d", rc, rc6,
             BACT_E_CONNECT);
    rc = p.tr.open(p.tr.io, "127.0.0.1", 9, p.port, 2000);
    if (rc != BACT_OK)
        FAIL("open afterwards: %d, want %d", rc, BACT_OK);
    p.tr.close(p.tr.io);
    return 1;
}

/* One budget for all the addresses of a name: three that never answer
 * take about timeout_ms, not three times it. */
static int case_open_budget(char *why)
{
    bact_posix_conn conn;
    bact_transport tr;
    bact_posix_transport(&tr, &conn);
    fake[0].family = v6_or_v4();
    fake[1].family = AF_INET;
    fake[2].family = AF_INET;
    if (dead_listener(fake[0].family, &fake[0].port) < 0 ||
        dead_listener(AF_INET, &fake[1].port) < 0 ||
        dead_listener(AF_INET, &fake[2].port) < 0)
        FAIL("setup failed");
    n_fake = 3;
    TIMED("open (timeout 600, 3 addresses that never answer)",
          tr.open(tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 600),
          BACT_E_TIMEOUT, 400, 1200);
    return 1;
}

/* ... and the first address cannot use all of it: the last one, which
 * answers, still gets its turn within the budget. Nor does an earlier one
 * go without: each but the last waits half of what is left (500 ms, then
 * 250), so the last connects after some 750 ms. */
static int case_open_later_address(char *why)
{
    bact_posix_conn conn;
    bact_transport tr;
    int ls;
    bact_posix_transport(&tr, &conn);
    fake[0].family = v6_or_v4();
    fake[1].family = AF_INET;
    fake[2].family = AF_INET;
    ls = bound(AF_INET, 4, &fake[2].port);
    if (dead_listener(fake[0].family, &fake[0].port) < 0 ||
        dead_listener(AF_INET, &fake[1].port) < 0 || ls < 0)
        FAIL("setup failed");
    n_fake = 3;
    TIMED("open (timeout 1000; 2 addresses that never answer, then one that "
          "does)", tr.open(tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 1000),
          BACT_OK, 650, 1600);
    tr.close(tr.io);
    return 1;
}

/* The first address that connects is the stream; none after it is tried
 * (nor left open). */
static int case_open_first_address(char *why)
{
    pair a, b;
    uint8_t buf[8];
    int free_fd;
    if (!listening(&a, AF_INET) || !listening(&b, AF_INET))
        FAIL("listen failed");
    fake[0].family = AF_INET;
    fake[0].port = a.port;
    fake[1].family = AF_INET;
    fake[1].port = b.port;
    n_fake = 2;
    free_fd = lowest_free();
    if (a.tr.open(a.tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 2000) != BACT_OK)
        FAIL("open (two listening addresses) failed");
    a.srv = accept(a.ls, NULL, NULL);
    if (a.srv < 0)
        FAIL("accept: %s", strerror(errno));
    if (a.conn.fd != free_fd || lowest_free() != a.srv + 1)
        FAIL("open left a descriptor open besides the stream");
    if (a.tr.send(a.tr.io, (const uint8_t *)"ping", 4, 2000) != 4 ||
        recv(a.srv, buf, sizeof buf, 0) != 4)
        FAIL("the stream is not the first address's");
    a.tr.close(a.tr.io);
    return 1;
}

/* An open tries 16 addresses at most; the 16th, the last one tried, gets
 * all the time left even when the name has more. */
static int case_open_sixteen_addresses(char *why)
{
    bact_posix_conn conn;
    bact_transport tr;
    uint16_t refusing, listener, silent;
    size_t i;
    int rc;
    bact_posix_transport(&tr, &conn);
    if (bound(AF_INET, -1, &refusing) < 0 || bound(AF_INET, 4, &listener) < 0 ||
        dead_listener(AF_INET, &silent) < 0)
        FAIL("setup failed");
    for (i = 0; i < 17; i++) {
        fake[i].family = AF_INET;
        fake[i].port = refusing;
    }
    fake[15].port = listener;
    n_fake = 16;
    rc = tr.open(tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 2000);
    if (rc != BACT_OK)
        FAIL("open (15 refusing addresses, then a listening one): %d, want %d",
             rc, BACT_OK);
    tr.close(tr.io);
    fake[15].port = refusing;
    fake[16].port = listener;
    n_fake = 17;
    rc = tr.open(tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 2000);
    if (rc != BACT_E_CONNECT)
        FAIL("open (16 refusing addresses, then a listening one): %d, want %d",
             rc, BACT_E_CONNECT);
    fake[15].port = silent;
    TIMED("open (timeout 300; 15 refusing addresses, one that never answers, "
          "a listening one)",
          tr.open(tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 300),
          BACT_E_TIMEOUT, 250, 3000);
    return 1;
}

/* With no time at all (timeout 0) the first address is still tried, the
 * rest are not: their budget is gone, BACT_E_TIMEOUT. */
static int case_open_no_time(char *why)
{
    pair p;
    struct pollfd pf;
    uint16_t refusing;
    int rc;
    if (!listening(&p, AF_INET) || bound(AF_INET, -1, &refusing) < 0)
        FAIL("setup failed");
    fake[0].family = AF_INET;
    fake[0].port = p.port;
    n_fake = 1;
    rc = p.tr.open(p.tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 0);
    if (rc != BACT_OK && rc != BACT_E_TIMEOUT)
        FAIL("open (timeout 0, a listening address): %d, want %d or %d", rc,
             BACT_OK, BACT_E_TIMEOUT);
    if (rc == BACT_OK)
        p.tr.close(p.tr.io);
    pf.fd = p.ls;
    pf.events = POLLIN;
    pf.revents = 0;
    if (poll(&pf, 1, 2000) != 1)
        FAIL("open (timeout 0) did not try the address");
    fake[0].port = refusing;
    fake[1].family = AF_INET;
    fake[1].port = p.port;
    n_fake = 2;
    rc = p.tr.open(p.tr.io, FAKE_NAME, strlen(FAKE_NAME), 443, 0);
    if (rc != BACT_E_TIMEOUT)
        FAIL("open (timeout 0, a refusing address, then a listening one): %d, "
             "want %d", rc, BACT_E_TIMEOUT);
    return 1;
}

/* The platform: now_ms is the monotonic clock in ms, sleep_ms sleeps at
 * least that long (its whole seconds and the rest, and a time below a
 * second whole), random is given and varies. The port's clock is read
 * between two readings of the test's, so it moved at least as far as the
 * inner pair and at most as the outer. */
static int case_platform(char *why)
{
    bact_platform pl;
    uint32_t t0, p0, t0b, t1b, p1, t1, v[4];
    size_t i;
    bact_posix_platform(&pl);
    if (pl.now_ms == NULL || pl.sleep_ms == NULL || pl.random == NULL)
        FAIL("a platform function is missing");
    t0 = now_ms();
    p0 = pl.now_ms(pl.ctx);
    t0b = now_ms();
    pl.sleep_ms(pl.ctx, 1100);
    t1b = now_ms();
    p1 = pl.now_ms(pl.ctx);
    t1 = now_ms();
    if (t1b - t0b < 1100)
        FAIL("sleep_ms(1100) slept %u ms", (unsigned)(t1b - t0b));
    if (p1 - p0 < t1b - t0b || p1 - p0 > t1 - t0)
        FAIL("now_ms moved %u ms, the clock %u to %u ms", (unsigned)(p1 - p0),
             (unsigned)(t1b - t0b), (unsigned)(t1 - t0));
    /* all of it below a second: nanoseconds only */
    t0b = now_ms();
    pl.sleep_ms(pl.ctx, 999);
    t1b = now_ms();
    if (t1b - t0b < 999)
        FAIL("sleep_ms(999) slept %u ms", (unsigned)(t1b - t0b));
    for (i = 0; i < 4; i++)
        v[i] = pl.random(pl.ctx);
    if (v[0] == v[1] && v[1] == v[2] && v[2] == v[3])
        FAIL("random gave %u four times", (unsigned)v[0]);
    return 1;
}

/* ------------------------------------------------------------------ */

typedef int (*case_fn)(char *why);
typedef struct test_case {
    const char *name;
    case_fn fn;
    unsigned limit_ms; /* the child is killed after this */
} test_case;

static const test_case cases[] = {
    {"recv-bytes", case_recv_bytes, 10000},
    {"send-bytes", case_send_bytes, 10000},
    {"close", case_close, 10000},
    {"fd-zero", case_fd_zero, 10000},
    {"recv-nothing-yet", case_recv_nothing_yet, 10000},
    {"recv-closed-twice", case_recv_closed_twice, 10000},
    {"recv-zero-len", case_recv_zero_len, 10000},
    {"recv-reset", case_recv_reset, 10000},
    {"recv-longest-timeout", case_recv_longest_timeout, 10000},
    {"open-refused", case_open_refused, 10000},
    {"open-ipv6-literal", case_open_ipv6_literal, 10000},
    {"open-timeout", case_open_timeout, 10000},
    {"open-host", case_open_host, 10000},
    {"open-refused-then-next", case_open_refused_then_next, 10000},
    {"open-unreachable", case_open_unreachable, 10000},
    {"open-at-once", case_open_at_once, 10000},
    {"open-fails-cleanly", case_open_fails_cleanly, 10000},
    {"recv-eintr", case_recv_eintr, 5000},
    {"recv-late-signal", case_recv_late_signal, 5000},
    {"send-eintr", case_send_eintr, 5000},
    {"open-eintr", case_open_eintr, 5000},
    {"send-poll-fails", case_send_poll_fails, 5000},
    {"recv-poll-fails", case_recv_poll_fails, 5000},
    {"send-after-wait", case_send_after_wait, 10000},
    {"send-blocks-after-wait", case_send_blocks_after_wait, 10000},
    {"send-reset-while-waiting", case_send_reset_while_waiting, 10000},
    {"open-no-socket", case_open_no_socket, 10000},
    {"open-budget", case_open_budget, 10000},
    {"open-later-address", case_open_later_address, 10000},
    {"open-first-address", case_open_first_address, 10000},
    {"open-sixteen-addresses", case_open_sixteen_addresses, 10000},
    {"open-no-time", case_open_no_time, 10000},
    {"platform", case_platform, 10000},
};

static void on_overall_timeout(int sig)
{
    static const char msg[] = "not ok - posix.finished: timed out\n";
    (void)sig;
    (void)!write(1, msg, sizeof msg - 1);
    _exit(1);
}

/* 1 passed, 0 failed */
static int run_case(const test_case *tc)
{
    pid_t pid;
    int st = 0;
    unsigned waited;
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        printf("not ok - posix.%s: fork failed\n", tc->name);
        return 0;
    }
    if (pid == 0) {
        char why[WHY_MAX];
        int ok;
        signal(SIGALRM, SIG_DFL);
        why[0] = '\0';
        ok = tc->fn(why);
        if (ok)
            printf("ok - posix.%s\n", tc->name);
        else
            printf("not ok - posix.%s: %s\n", tc->name, why);
        fflush(stdout);
        _exit(ok ? 0 : 1);
    }
    for (waited = 0; waited < tc->limit_ms; waited += 10) {
        struct timespec ts = {0, 10000000L};
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (w < 0) {
            printf("not ok - posix.%s: waitpid: %s\n", tc->name, strerror(errno));
            return 0;
        }
        (void)nanosleep(&ts, NULL);
    }
    if (waited >= tc->limit_ms) {
        (void)kill(pid, SIGKILL);
        (void)waitpid(pid, &st, 0);
        printf("not ok - posix.%s: did not return within %u ms (hangs)\n",
               tc->name, tc->limit_ms);
        return 0;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 1;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 1)
        printf("not ok - posix.%s: the case's process died (status %d)\n",
               tc->name, st);
    return 0;
}

int main(void)
{
    size_t i;
    unsigned pass = 0, fail = 0;
    uint16_t port;
    int fd;

    signal(SIGALRM, on_overall_timeout);
    alarm(300); /* every case has its own limit; this is a backstop */
    fd = bound(AF_INET6, 1, &port);
    have_v6 = fd >= 0;
    if (fd >= 0)
        close(fd);
    else
        printf("# posix: ::1 not available, IPv4 only\n");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!have_v6 && strcmp(cases[i].name, "open-ipv6-literal") == 0) {
            printf("ok - posix.%s # SKIP ::1 not available\n", cases[i].name);
            pass++;
            continue;
        }
        if (run_case(&cases[i]))
            pass++;
        else
            fail++;
    }
    printf("# posix: %u passed, %u failed\n", pass, fail);
    return fail == 0 ? 0 : 1;
}
