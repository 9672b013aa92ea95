/*
 * no_rtc.c - what a device without a real-time clock gets: the TLS
 * transport's time source answers -1 (time unknown), 0 (a clock stuck at
 * 1970), a date far in the future, or the real time. Used by
 * tests/tls/no_rtc.sh against the mock over TLS.
 *
 *   no_rtc BASE_URL CA_FILE none|epoch0|future|real|noclock|at:SECONDS
 *
 * Prints "ok dates_checked=N" or "tls <reason text> stream=open|closed"
 * (the TCP stream the handshake failed on) or "error <text>".
 * at:SECONDS: the time source answers that many seconds since the epoch.
 * noclock: the real time, but no monotonic clock for the TLS transport
 * (only inner calls can bound its waits) and a 1 s timeout.
 * loopback: the real time; the TCP connection goes to 127.0.0.1 whatever
 * the URL's host (as if a resolver read that host as 127.0.0.1), so the
 * certificate is checked against a host other than the address.
 *
 *   no_rtc BASE_URL CA_FILE sleep
 *
 * Deep sleep: one request, the session saved into a small buffer (as into
 * retention RAM), the TLS state freed and set up anew, the session loaded,
 * one more request: prints "ok saved=BYTES handshakes=N resumed=N". On the
 * way, a TLS state without a trust anchor is refused, and a session saved
 * into a buffer too small for it is BACT_E_BUF ("error ..." otherwise).
 *
 *   no_rtc HOST:PORT CA_FILE again HOST:PORT [HOST:PORT]
 *
 * Two handshakes on one TLS state, to the first host and port and then to
 * the second (the transport alone, no request): prints "ok handshakes=N
 * resumed=N dates_checked=N stream=open|closed" (the TCP stream after the
 * last close). A session is only resumed with the host and
 * port it was made with; a resumed one has its dates checked as the
 * session's were. With a third host and port, a third handshake follows
 * even when the second failed, and the line ends " second=ok" or
 * " second=<reason text>", then " last_alert=N" (bact_tls_last_alert()
 * after the third): a session is forgotten after a handshake that failed,
 * and so is the alert that failed it.
 *
 *   no_rtc HOST:PORT CA_FILE direct
 *
 * One handshake by the transport alone (no client: bact_init() would
 * refuse some hosts the transport must still handle), to HOST as the
 * host name, the TCP connection going to 127.0.0.1 as with loopback:
 * prints "ok dates_checked=N" or "tls <reason text> stream=open|closed".
 *
 *   no_rtc - CA_FILE trickle
 *
 * No server: a peer that trickles a handshake record, a byte just before
 * each timeout, over a clock that moves only while the transport waits.
 * open() must end within 4 x its timeout, and without spinning on inner
 * reads once that time is up: prints "ok ...", "late ..." or "spins ...",
 * with the time the clock moved and the reads made.
 *
 *   no_rtc - CA_FILE early
 *
 * No server: a peer that says nothing, over an inner transport whose waits
 * end early (300 ms at most, then "nothing yet", as a transport may), the
 * clock moving only while it waits. open() must end once its timeout has
 * passed without a byte, not later, and without spinning on inner calls
 * that no longer wait: prints "ok ...", "late ..." or "spins ...".
 * silent: the same peer, with no clock at all (only inner calls can bound
 * the handshake): at most two waits in a row that moved nothing.
 *
 *   no_rtc HOST:PORT CA_FILE hellorequest
 *
 * Against tls_servers.py's hellorequest server, by the transport alone: a
 * request; once the server's HelloRequest is here, the socket's send
 * buffer is filled with 0xEE bytes (written past mbedTLS, between two
 * records; the server skips them) while the server reads nothing, so the
 * no_renegotiation alert mbedTLS answers with cannot go out during the
 * read of the first answer; then a second request, whose answer must
 * come: prints "ok second answered" or "error ...". A send that only
 * finished the alert must not report the request's bytes as sent.
 *
 *   no_rtc HOST:PORT CA_FILE closed
 *
 * Against tls_servers.py's eof-notify server, by the transport alone: a
 * request (its first byte sent alone, a send that must answer 1), its
 * close-delimited answer read up to the close_notify (BACT_E_CLOSED), then
 * three more reads (3 s, 3 s, no wait), the server's FIN coming meanwhile:
 * a clean close must read the same every time, as a plain EOF does
 * (bact_port.h); and once closed by the caller, a read is BACT_E_NET (no
 * stream). Prints "ok after close_notify: closed, closed, closed; after
 * close: network error" or "error ...", naming what each read returned.
 *
 *   no_rtc HOST:PORT CA_FILE bytewise
 *
 * Against tls_servers.py's eof-notify server, by the transport alone, over
 * a TCP transport whose every send and recv moves one byte at most: the
 * handshake, a request and its answer up to the close_notify. Prints "ok
 * handshake, request and answer a byte a call" or "error STEP: what".
 *
 *   no_rtc HOST:PORT CA_FILE closeflush
 *
 * Against tls_servers.py's closewatch-keep server, by the transport alone,
 * the TCP send jammed after the handshake (10 bytes move, then "nothing
 * yet"): a request's send answers "nothing yet" with most of its record
 * left to send; then the jam ends and close() is called. It must finish
 * that record and then send a close_notify, a record of its own. Prints
 * "ok ..." or "error ...", with what each TCP send in close() was handed.
 * closeflush1: the same, the jammed send moving all of the record but its
 * last byte: close() sends that byte, then the close_notify.
 *
 *   no_rtc HOST:PORT CA_FILE retrylonger
 *
 * Against tls_servers.py's closewatch-keep server, by the transport alone,
 * the TCP send jammed as with closeflush: a send of a request's first 10
 * bytes answers "nothing yet" with its record begun; then the jam ends and
 * the whole request is offered again, from its first byte (as a caller
 * whose buffer grew may: "nothing yet" said no byte was taken). What that
 * send reports must be what went (the 10 bytes of its record), so that
 * the rest follows and the request arrives whole: prints "ok the retry
 * took N bytes, answered" or "error ...".
 *
 *   no_rtc HOST:PORT CA_FILE hellofirst
 *
 * Against tls_servers.py's hellofirst server (a HelloRequest at once after
 * the handshake; each request answered, the first with {"n":1}, later
 * ones with {"n":2}), by the transport alone, the TCP send jammed as with
 * closeflush: a request's send answers "nothing yet" with its record
 * begun; the jam ends; a recv reads the HelloRequest, and mbedTLS, to
 * answer it, finishes that record instead; then the request is offered
 * again, as it must be after "nothing yet". It went once, so it must not
 * go again: prints "ok one request, one answer" or "error ...".
 *
 *   no_rtc HOST:PORT CA_FILE sendfail
 *
 * A handshake by the transport alone, over a TCP send that fails (a
 * network error) from its second call on: the ClientHello goes, the
 * client's second flight, sent once the server's certificate was checked
 * and passed, does not. The failure is the closed stream's, not the
 * certificate's: prints "tls <reason text> dates_checked=N" (N = 1: the
 * certificate was checked) or "ok"/"error ...".
 *
 *   no_rtc HOST:PORT CA_FILE liar
 *
 * By the transport alone, over a TCP recv that answers a read of one byte
 * without a wait with 2 (more than asked: a broken transport), once: a
 * read of 4096 bytes without a wait, after the handshake, asks the TCP
 * transport for one byte (is anything there?) and must take that answer
 * for a network error, not for bytes. Prints "ok ..." or "error ...".
 *
 *   no_rtc HOST:PORT CA_FILE quietread
 *
 * Against tls_servers.py's eof-notify server (silent until a request), by
 * the transport alone, with the monotonic clock and then without one: a
 * read of 100 ms after the handshake, nothing coming. It must answer
 * "nothing yet" after one TCP read given the 100 ms: nothing moved, so
 * there is nothing to read on for (without a clock each further read
 * would wait 100 ms again). Prints "ok with a clock: ...; without: ..."
 * or "error ...", with the waits each TCP read was given.
 *
 *   no_rtc HOST:PORT CA_FILE send
 *
 * The clocked limit of a send, against tls_servers.py's noread or slowread
 * server (a small receive buffer; nothing read, or what has come taken
 * every 0.7 s), by the transport alone, the socket's send buffer made
 * small: sends of 16 KiB with a 500 ms timeout, for 3 s. Each must end
 * within its timeout (700 ms allowed for a busy machine), and one that
 * answers "nothing yet" not before 0.9 times it; at least two must answer
 * so. Prints "ok ...", "late ...", "early ..." or "error ...", with the
 * counts, the times, and how many of the "nothing yet" sends moved bytes
 * on the socket (counted below the TLS transport) before their time ran
 * out.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "bact.h"
#include "bact_mbedtls.h"
#include "bact_posix.h"

static int64_t clock_none(void *ctx) { (void)ctx; return -1; }
static int64_t clock_epoch0(void *ctx) { (void)ctx; return 0; }
static int64_t clock_future(void *ctx) { (void)ctx; return 4102444800; } /* 2100 */
static int64_t clock_real(void *ctx) { (void)ctx; return (int64_t)time(NULL); }
static int64_t at_seconds;
static int64_t clock_at(void *ctx) { (void)ctx; return at_seconds; }

/* the TCP transport, but every host is reached at 127.0.0.1 */
static bact_transport tcp_real;
static int open_loopback(void *io, const char *host, size_t host_len,
                         uint16_t port, uint32_t timeout_ms)
{
    (void)host;
    (void)host_len;
    return tcp_real.open(io, "127.0.0.1", 9, port, timeout_ms);
}

/* the trickling peer, in virtual time */
#define HS_TIMEOUT 1000u
static uint32_t vclock_ms, next_byte_at;
static unsigned trickled, trickle_reads;

static uint32_t vclock(void *ctx)
{
    (void)ctx;
    return vclock_ms;
}

static int fake_open_rc = BACT_OK;
static int fake_open(void *io, const char *host, size_t host_len,
                     uint16_t port, uint32_t timeout_ms)
{
    (void)io; (void)host; (void)host_len; (void)port; (void)timeout_ms;
    return fake_open_rc;
}

static int32_t fake_send(void *io, const uint8_t *data, size_t len,
                         uint32_t timeout_ms)
{
    (void)io; (void)data; (void)timeout_ms;
    return (int32_t)len;
}

/* a 16 KiB handshake record: its header, then zeros, one byte at a time */
static int32_t fake_recv(void *io, uint8_t *buf, size_t len,
                         uint32_t timeout_ms)
{
    static const uint8_t hdr[5] = {22, 3, 3, 0x40, 0x00};
    (void)io; (void)len;
    trickle_reads++;
    if (next_byte_at - vclock_ms > timeout_ms) {
        vclock_ms += timeout_ms; /* waited it all, nothing came */
        return 0;
    }
    vclock_ms = next_byte_at;
    next_byte_at += HS_TIMEOUT - 1u;
    buf[0] = trickled < sizeof hdr ? hdr[trickled] : 0;
    trickled++;
    return 1;
}

/* A handshake with the fake peer whose reads are recv, the virtual clock
 * as the platform's (or no platform): the open's outcome, tls left for
 * the caller to read and free; 1 when the TLS state could not be set up. */
static int fake_handshake(bact_tls *tls, const char *ca, int with_clock,
                          int32_t (*recv)(void *, uint8_t *, size_t,
                                          uint32_t))
{
    static bact_transport fake;
    static bact_platform vpf;
    bact_transport tr;
    bact_tls_config tc;

    memset(&fake, 0, sizeof fake);
    fake.open = fake_open;
    fake.send = fake_send;
    fake.recv = recv;
    memset(&vpf, 0, sizeof vpf);
    vpf.now_ms = vclock;
    memset(&tc, 0, sizeof tc);
    tc.ca_file = ca;
    tc.now = clock_real;
    tc.platform = with_clock ? &vpf : NULL;
    if (bact_tls_init(tls, &fake, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    bact_tls_transport(&tr, tls);
    return tr.open(tr.io, "localhost", 9, 443, HS_TIMEOUT);
}

static int trickle(const char *ca)
{
    static bact_tls tls;
    int rc;

    next_byte_at = HS_TIMEOUT - 1u;
    rc = fake_handshake(&tls, ca, 1, fake_recv);
    if (rc == 1)
        return 1;
    printf("%s %s after %lu ms and %u reads, limit %u\n",
           vclock_ms > 4u * HS_TIMEOUT ? "late"
           : trickle_reads > 16u       ? "spins"
                                       : "ok",
           rc == BACT_E_TLS ? bact_tls_reason_text(bact_tls_last_reason(&tls))
                            : bact_strerror(rc),
           (unsigned long)vclock_ms, trickle_reads, 4u * HS_TIMEOUT);
    bact_tls_free(&tls);
    return 0;
}

/* the silent peer, waits cut at 300 ms */
static unsigned early_waits;

static int32_t early_recv(void *io, uint8_t *buf, size_t len,
                          uint32_t timeout_ms)
{
    (void)io; (void)buf; (void)len;
    early_waits++;
    vclock_ms += timeout_ms < 300u ? timeout_ms : 300u;
    return 0;
}

static int early(const char *ca, int with_clock)
{
    static bact_tls tls;
    int rc = fake_handshake(&tls, ca, with_clock, early_recv);

    if (rc == 1)
        return 1;
    printf("%s %s after %lu ms and %u waits, limit %u ms\n",
           vclock_ms > (with_clock ? HS_TIMEOUT : 2u * 300u) ? "late"
           : early_waits > (with_clock ? 16u : 2u)          ? "spins"
                                                            : "ok",
           rc == BACT_E_TLS ? bact_tls_reason_text(bact_tls_last_reason(&tls))
                            : bact_strerror(rc),
           (unsigned long)vclock_ms, early_waits, HS_TIMEOUT);
    bact_tls_free(&tls);
    return 0;
}

/* "host:port" to host (NUL-ended in place) and port; 0 if malformed */
static int split_host_port(char *s, unsigned *port)
{
    char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s)
        return 0;
    *colon = '\0';
    *port = (unsigned)strtoul(colon + 1, NULL, 10);
    return *port > 0 && *port < 65536;
}

static int again(char *first, const char *ca, char *second, char *third)
{
    static bact_tls tls;
    bact_posix_conn conn;
    bact_transport tcp, tr;
    bact_platform pf;
    bact_tls_config tc;
    unsigned p1, p2, p3 = 0;
    const char *second_rc = "ok";
    int rc;

    if (!split_host_port(first, &p1) || !split_host_port(second, &p2) ||
        (third != NULL && !split_host_port(third, &p3)))
        return printf("error HOST:PORT expected\n"), 2;
    bact_posix_transport(&tcp, &conn);
    bact_posix_platform(&pf);
    memset(&tc, 0, sizeof tc);
    tc.ca_file = ca;
    tc.platform = &pf;
    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    bact_tls_transport(&tr, &tls);
    rc = tr.open(tr.io, first, strlen(first), (uint16_t)p1, 5000);
    tr.close(tr.io);
    if (rc == BACT_OK)
        rc = tr.open(tr.io, second, strlen(second), (uint16_t)p2, 5000);
    tr.close(tr.io);
    if (third != NULL && rc != BACT_OK && bact_tls_handshakes(&tls) == 1) {
        second_rc = rc == BACT_E_TLS
                        ? bact_tls_reason_text(bact_tls_last_reason(&tls))
                        : bact_strerror(rc);
        rc = BACT_OK; /* the third is made anyway */
    }
    if (third != NULL && rc == BACT_OK)
        rc = tr.open(tr.io, third, strlen(third), (uint16_t)p3, 5000);
    tr.close(tr.io);
    printf("%s handshakes=%u resumed=%u dates_checked=%d stream=%s",
           rc == BACT_OK ? "ok" : "error", bact_tls_handshakes(&tls),
           bact_tls_resumptions(&tls), bact_tls_dates_checked(&tls),
           conn.fd >= 0 ? "open" : "closed");
    if (third != NULL)
        printf(" second=%s last_alert=%d", second_rc, bact_tls_last_alert(&tls));
    printf("\n");
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}

static int direct(char *host, const char *ca)
{
    static bact_tls tls;
    bact_posix_conn conn;
    bact_transport tcp, tr;
    bact_platform pf;
    bact_tls_config tc;
    unsigned port;
    int rc;

    if (!split_host_port(host, &port))
        return printf("error HOST:PORT expected\n"), 2;
    bact_posix_transport(&tcp, &conn);
    bact_posix_platform(&pf);
    tcp_real = tcp;
    tcp.open = open_loopback;
    memset(&tc, 0, sizeof tc);
    tc.ca_file = ca;
    tc.platform = &pf;
    tc.now = clock_real;
    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    bact_tls_transport(&tr, &tls);
    rc = tr.open(tr.io, host, strlen(host), (uint16_t)port, 5000);
    if (rc == BACT_OK)
        printf("ok dates_checked=%d\n", bact_tls_dates_checked(&tls));
    else if (rc == BACT_E_TLS)
        printf("tls %s stream=%s\n",
               bact_tls_reason_text(bact_tls_last_reason(&tls)),
               conn.fd >= 0 ? "open" : "closed");
    else
        printf("error %s\n", bact_strerror(rc));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}

/* send all of s within about limit_ms: 0, or the failing outcome */
static int send_text(const bact_transport *tr, const char *s, uint32_t limit_ms)
{
    size_t off = 0, len = strlen(s);
    uint32_t waited = 0;
    while (off < len) {
        int32_t r = tr->send(tr->io, (const uint8_t *)s + off, len - off, 100);
        if (r < 0)
            return (int)r;
        if (r == 0 && (waited += 100) > limit_ms)
            return BACT_E_TIMEOUT;
        off += (size_t)r;
    }
    return 0;
}

/* read until what is in the text read so far: 0, or the failing outcome */
static int recv_until(const bact_transport *tr, const char *what,
                      uint32_t limit_ms)
{
    static char got[2048];
    size_t n = 0;
    uint32_t waited = 0;
    got[0] = '\0';
    while (strstr(got, what) == NULL) {
        int32_t r = tr->recv(tr->io, (uint8_t *)got + n, sizeof got - 1 - n, 100);
        if (r < 0)
            return (int)r;
        if (r == 0 && (waited += 100) > limit_ms)
            return BACT_E_TIMEOUT;
        n += (size_t)r;
        got[n] = '\0';
        if (n == sizeof got - 1)
            return BACT_E_BUF;
    }
    return 0;
}

/* for tls_connect: the TCP recv's stand-in (NULL: the TCP recv), and
 * whether the TLS transport goes without a monotonic clock */
static int32_t (*inner_recv)(void *io, uint8_t *buf, size_t len,
                             uint32_t timeout_ms);
static int without_clock;

/* tr: the TLS transport over TCP (conn) to host, "HOST:PORT" (cut in
 * place), with the real monotonic clock (none with without_clock), and
 * inner_send in place of the
 * TCP send unless NULL, inner_recv in place of its recv unless NULL (the
 * TCP transport is in tcp_real then); opened, with 5 s for it. Returns the
 * open's outcome, or an exit code (printed) when there is nothing to
 * close: 2, HOST:PORT malformed; 1, no TLS state. */
static int tls_connect(bact_tls *tls, bact_posix_conn *conn,
                       bact_transport *tr, char *host, const char *ca,
                       int32_t (*inner_send)(void *, const uint8_t *,
                                             size_t, uint32_t))
{
    bact_transport tcp;
    bact_platform pf;
    bact_tls_config tc;
    unsigned port;

    if (!split_host_port(host, &port))
        return printf("error HOST:PORT expected\n"), 2;
    bact_posix_transport(&tcp, conn);
    bact_posix_platform(&pf);
    tcp_real = tcp;
    if (inner_send != NULL)
        tcp.send = inner_send;
    if (inner_recv != NULL)
        tcp.recv = inner_recv;
    memset(&tc, 0, sizeof tc);
    tc.ca_file = ca;
    tc.platform = without_clock ? NULL : &pf;
    if (bact_tls_init(tls, &tcp, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    bact_tls_transport(tr, tls);
    return tr->open(tr->io, host, strlen(host), (uint16_t)port, 5000);
}

static int hello_request(char *host, const char *ca)
{
    static bact_tls tls;
    static uint8_t fill[4096];
    bact_posix_conn conn;
    bact_transport tr;
    struct pollfd p;
    unsigned quiet = 0, rounds;
    int rc, small = 4096;
    const char *step = "open";

    rc = tls_connect(&tls, &conn, &tr, host, ca, NULL);
    if (rc > 0)
        return rc;
    if (rc == BACT_OK) {
        step = "first request";
        rc = send_text(&tr, "GET /one HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    }
    if (rc == BACT_OK) {
        /* the HelloRequest is here: the server reads nothing now */
        step = "HelloRequest";
        p.fd = conn.fd;
        p.events = POLLIN;
        rc = poll(&p, 1, 3000) == 1 ? BACT_OK : BACT_E_TIMEOUT;
    }
    if (rc == BACT_OK) {
        (void)setsockopt(conn.fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        memset(fill, 0xEE, sizeof fill);
        p.events = POLLOUT;
        for (rounds = 0; quiet < 2 && rounds < 10000u; rounds++) {
            if (send(conn.fd, fill, sizeof fill, MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
                quiet = 0;
            else if (poll(&p, 1, 100) == 0)
                quiet++; /* full, and it stays so */
        }
        step = "first answer";
        rc = recv_until(&tr, "{\"n\":1}", 5000);
    }
    if (rc == BACT_OK) {
        step = "second request";
        rc = send_text(&tr, "GET /two HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    }
    if (rc == BACT_OK) {
        step = "second answer";
        rc = recv_until(&tr, "{\"n\":2}", 4500);
    }
    if (rc == BACT_OK)
        printf("ok second answered\n");
    else
        printf("error %s: %s\n", step, bact_strerror(rc));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}

/* what one recv returned, in a word */
static const char *outcome(int32_t r)
{
    if (r > 0)
        return "bytes";
    if (r == 0)
        return "nothing yet";
    return r == BACT_E_CLOSED ? "closed" : bact_strerror((int)r);
}

static int read_after_close(char *host, const char *ca)
{
    static bact_tls tls;
    static uint8_t got[4096];
    static const uint32_t waits[3] = {3000, 3000, 0};
    bact_posix_conn conn;
    bact_transport tr;
    const char *after[3] = {"-", "-", "-"};
    unsigned i;
    int32_t r = 0;
    int rc, again_closed = 1;

    rc = tls_connect(&tls, &conn, &tr, host, ca, NULL);
    if (rc > 0)
        return rc;
    if (rc == BACT_OK) { /* its first byte alone: a send of one byte */
        r = tr.send(tr.io, (const uint8_t *)"G", 1, 3000);
        if (r != 1) {
            printf("error a send of one byte answered %ld\n", (long)r);
            tr.close(tr.io);
            bact_tls_free(&tls);
            return 1;
        }
        rc = send_text(&tr, "ET / HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    }
    /* the answer, then its close_notify (50 waits of 100 ms at most) */
    for (i = 0; rc == BACT_OK && i < 50u; i++) {
        r = tr.recv(tr.io, got, sizeof got, 100);
        if (r < 0)
            break;
        if (r > 0)
            i = 0;
    }
    if (rc != BACT_OK || r != BACT_E_CLOSED) {
        printf("error before close_notify: %s\n",
               rc != BACT_OK ? bact_strerror(rc) : outcome(r));
        tr.close(tr.io);
        bact_tls_free(&tls);
        return 1;
    }
    for (i = 0; i < 3u; i++) {
        r = tr.recv(tr.io, got, sizeof got, waits[i]);
        after[i] = outcome(r);
        again_closed &= r == BACT_E_CLOSED;
    }
    /* once closed by us, a read finds no stream (not the close_notify) */
    tr.close(tr.io);
    r = tr.recv(tr.io, got, sizeof got, 0);
    again_closed &= r == BACT_E_NET;
    printf("%s after close_notify: %s, %s, %s; after close: %s\n",
           again_closed ? "ok" : "error", after[0], after[1], after[2],
           outcome(r));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return again_closed ? 0 : 1;
}

/* the TCP send and recv, a byte a call */
static int32_t send_byte(void *io, const uint8_t *data, size_t len,
                         uint32_t timeout_ms)
{
    return tcp_real.send(io, data, len > 0 ? 1u : 0u, timeout_ms);
}

static int32_t recv_byte(void *io, uint8_t *buf, size_t len,
                         uint32_t timeout_ms)
{
    return tcp_real.recv(io, buf, len > 0 ? 1u : 0u, timeout_ms);
}

static int bytewise(char *host, const char *ca)
{
    static bact_tls tls;
    static uint8_t got[4096];
    bact_posix_conn conn;
    bact_transport tcp, tr;
    bact_platform pf;
    bact_tls_config tc;
    unsigned port, i;
    int32_t r = 0;
    int rc;
    const char *step = "open";

    if (!split_host_port(host, &port))
        return printf("error HOST:PORT expected\n"), 2;
    bact_posix_transport(&tcp, &conn);
    bact_posix_platform(&pf);
    tcp_real = tcp;
    tcp.send = send_byte;
    tcp.recv = recv_byte;
    memset(&tc, 0, sizeof tc);
    tc.ca_file = ca;
    tc.platform = &pf;
    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    bact_tls_transport(&tr, &tls);
    rc = tr.open(tr.io, host, strlen(host), (uint16_t)port, 5000);
    if (rc == BACT_OK) {
        step = "request";
        rc = send_text(&tr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    }
    /* the answer, then its close_notify (50 waits of 100 ms at most) */
    for (i = 0; rc == BACT_OK && i < 50u; i++) {
        step = "answer";
        r = tr.recv(tr.io, got, sizeof got, 100);
        if (r < 0)
            break;
        if (r > 0)
            i = 0;
    }
    if (rc == BACT_OK && r == BACT_E_CLOSED)
        printf("ok handshake, request and answer a byte a call\n");
    else
        printf("error %s: %s\n", step,
               rc == BACT_E_TLS ? bact_tls_reason_text(bact_tls_last_reason(&tls))
               : rc != BACT_OK  ? bact_strerror(rc)
                                : outcome(r));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return rc == BACT_OK && r == BACT_E_CLOSED ? 0 : 1;
}

/* the TCP send, jammed while jam is set (the first call moves 10 bytes,
 * or all but one with jam_one_left, later ones nothing); while watching,
 * what each call was handed */
static int jam, jam_one_left, watching;
static unsigned jam_moved, watched;
static char watch_log[256];

static int32_t send_jammed(void *io, const uint8_t *data, size_t len,
                           uint32_t timeout_ms)
{
    int32_t r;
    if (jam) {
        if (jam_moved > 0)
            return 0;
        r = tcp_real.send(io, data,
                          jam_one_left ? len - 1 : len < 10 ? len : 10,
                          timeout_ms);
        if (r > 0)
            jam_moved += (unsigned)r;
        return r;
    }
    r = tcp_real.send(io, data, len, timeout_ms);
    if (watching && r > 0) {
        size_t n = strlen(watch_log);
        int whole = len >= 5 && (data[0] == 21 || data[0] == 23) &&
                    data[1] == 3 &&
                    ((size_t)data[3] << 8 | data[4]) + 5 == (size_t)r;
        watched++;
        snprintf(watch_log + n, sizeof watch_log - n, "%s%ld%s",
                 n > 0 ? ", " : "", (long)r,
                 whole ? (data[0] == 21 ? " (an alert record)"
                                        : " (a whole record)")
                       : "");
    }
    return r;
}

/* A send of req's first len bytes that the TCP transport jams after a few
 * of them: it must answer "nothing yet" with bytes moved. 0 when it did,
 * else 1 (said why). */
static int jammed_send(const bact_transport *tr, const char *req, size_t len)
{
    int32_t r;
    jam = 1;
    r = tr->send(tr->io, (const uint8_t *)req, len, 100);
    jam = 0;
    if (r == 0 && jam_moved != 0)
        return 0;
    printf("error the jammed send answered %ld, %u bytes moved\n", (long)r,
           jam_moved);
    return 1;
}

static int close_flush(char *host, const char *ca)
{
    static bact_tls tls;
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    bact_posix_conn conn;
    bact_transport tr;
    int rc, ok;

    rc = tls_connect(&tls, &conn, &tr, host, ca, send_jammed);
    if (rc > 0)
        return rc;
    if (rc != BACT_OK) {
        printf("error open: %s\n", bact_strerror(rc));
        bact_tls_free(&tls);
        return 1;
    }
    if (jammed_send(&tr, req, sizeof req - 1) != 0) {
        tr.close(tr.io);
        bact_tls_free(&tls);
        return 1;
    }
    watching = 1;
    tr.close(tr.io);
    watching = 0;
    /* the rest of the request's record, then the close_notify, whole */
    ok = watched == 2 && strstr(watch_log, ", ") != NULL &&
         strstr(strstr(watch_log, ", "), "record") != NULL &&
         strstr(watch_log, "record, ") == NULL;
    printf("%s close sent %s\n", ok ? "ok" : "error",
           watched > 0 ? watch_log : "nothing");
    bact_tls_free(&tls);
    return ok ? 0 : 1;
}

static int retry_longer(char *host, const char *ca)
{
    static bact_tls tls;
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    bact_posix_conn conn;
    bact_transport tr;
    int32_t took;
    int rc;

    rc = tls_connect(&tls, &conn, &tr, host, ca, send_jammed);
    if (rc > 0)
        return rc;
    if (rc != BACT_OK) {
        printf("error open: %s\n", bact_strerror(rc));
        bact_tls_free(&tls);
        return 1;
    }
    if (jammed_send(&tr, req, 10) != 0) {
        tr.close(tr.io);
        bact_tls_free(&tls);
        return 1;
    }
    took = tr.send(tr.io, (const uint8_t *)req, sizeof req - 1, 1000);
    rc = took > 0 ? BACT_OK : took < 0 ? (int)took : BACT_E_TIMEOUT;
    if (rc == BACT_OK && (size_t)took < sizeof req - 1)
        rc = send_text(&tr, req + took, 3000);
    if (rc == BACT_OK)
        rc = recv_until(&tr, "HTTP/1.1 200", 3000);
    if (rc == BACT_OK)
        printf("ok the retry took %ld bytes, answered\n", (long)took);
    else
        printf("error the retry took %ld bytes, then: %s\n", (long)took,
               bact_strerror(rc));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}

static int hello_first(char *host, const char *ca)
{
    static bact_tls tls;
    static char got[4096];
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    bact_posix_conn conn;
    bact_transport tr;
    struct pollfd p;
    size_t n = 0;
    unsigned i;
    int32_t r;
    int rc;
    const char *verdict;

    rc = tls_connect(&tls, &conn, &tr, host, ca, send_jammed);
    if (rc > 0)
        return rc;
    if (rc == BACT_OK) { /* the HelloRequest is here */
        p.fd = conn.fd;
        p.events = POLLIN;
        rc = poll(&p, 1, 3000) == 1 ? BACT_OK : BACT_E_TIMEOUT;
    }
    if (rc == BACT_OK) {
        if (jammed_send(&tr, req, sizeof req - 1) != 0) {
            tr.close(tr.io);
            bact_tls_free(&tls);
            return 1;
        }
    }
    if (rc == BACT_OK) {
        r = tr.recv(tr.io, (uint8_t *)got, sizeof got - 1, 300);
        if (r < 0)
            rc = (int)r;
        else
            n = (size_t)r;
    }
    if (rc == BACT_OK)
        rc = send_text(&tr, req, 3000);
    for (i = 0; rc == BACT_OK && i < 20u && n < sizeof got - 1; i++) {
        r = tr.recv(tr.io, (uint8_t *)got + n, sizeof got - 1 - n, 100);
        if (r < 0)
            break;
        n += (size_t)r;
    }
    got[n] = '\0';
    verdict = rc != BACT_OK                        ? bact_strerror(rc)
            : strstr(got, "{\"n\":2}") != NULL     ? "the request went twice"
            : strstr(got, "{\"n\":1}") == NULL     ? "no answer"
                                                   : NULL;
    if (verdict == NULL)
        printf("ok one request, one answer\n");
    else
        printf("error %s\n", verdict);
    tr.close(tr.io);
    bact_tls_free(&tls);
    return verdict == NULL ? 0 : 1;
}

/* the TCP send, failing from its second call on */
static unsigned sends_made;
static int32_t send_fails_second(void *io, const uint8_t *data, size_t len,
                                 uint32_t timeout_ms)
{
    if (++sends_made > 1u)
        return BACT_E_NET;
    return tcp_real.send(io, data, len, timeout_ms);
}

static int send_fails(char *host, const char *ca)
{
    static bact_tls tls;
    bact_posix_conn conn;
    bact_transport tr;
    int rc;

    rc = tls_connect(&tls, &conn, &tr, host, ca, send_fails_second);
    if (rc > 0)
        return rc;
    if (rc == BACT_E_TLS)
        printf("tls %s dates_checked=%d\n",
               bact_tls_reason_text(bact_tls_last_reason(&tls)),
               bact_tls_dates_checked(&tls));
    else
        printf("%s %s\n", rc == BACT_OK ? "ok" : "error", bact_strerror(rc));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return rc == BACT_E_TLS ? 0 : 1;
}

/* the TCP recv; while lie is set, a read of one byte without a wait
 * answers 2, once */
static int lie;
static int32_t recv_lying(void *io, uint8_t *buf, size_t len,
                          uint32_t timeout_ms)
{
    if (lie && len == 1 && timeout_ms == 0) {
        lie = 0;
        buf[0] = 23;
        return 2;
    }
    return tcp_real.recv(io, buf, len, timeout_ms);
}

static int lying_read(char *host, const char *ca)
{
    static bact_tls tls;
    static uint8_t got[4096];
    bact_posix_conn conn;
    bact_transport tr;
    int32_t r;
    int rc, ok;

    inner_recv = recv_lying;
    rc = tls_connect(&tls, &conn, &tr, host, ca, NULL);
    if (rc > 0)
        return rc;
    if (rc != BACT_OK) {
        printf("error open: %s\n", bact_strerror(rc));
        bact_tls_free(&tls);
        return 1;
    }
    lie = 1;
    r = tr.recv(tr.io, got, sizeof got, 0);
    ok = r == BACT_E_NET && !lie;
    printf("%s a read without a wait whose inner read of one byte %s: %s\n",
           ok ? "ok" : "error", lie ? "never came" : "answered 2",
           outcome(r));
    tr.close(tr.io);
    bact_tls_free(&tls);
    return ok ? 0 : 1;
}

/* the TCP recv; while counting, each call is counted, with its wait */
static int counting;
static unsigned reads_counted;
static char reads_log[256];

static int32_t recv_counted(void *io, uint8_t *buf, size_t len,
                            uint32_t timeout_ms)
{
    if (counting) {
        size_t n = strlen(reads_log);
        reads_counted++;
        snprintf(reads_log + n, sizeof reads_log - n, "%s%lu",
                 n > 0 ? ", " : "", (unsigned long)timeout_ms);
    }
    return tcp_real.recv(io, buf, len, timeout_ms);
}

static int quiet_read(const char *host, const char *ca)
{
    static bact_tls tls;
    static uint8_t got[4096];
    static char said[2][320];
    bact_posix_conn conn;
    bact_transport tr;
    char hp[128];
    unsigned i;
    int32_t r;
    int rc, ok = 1;

    inner_recv = recv_counted;
    for (i = 0; i < 2u; i++) {
        without_clock = (int)i;
        snprintf(hp, sizeof hp, "%s", host);
        rc = tls_connect(&tls, &conn, &tr, hp, ca, NULL);
        if (rc > 0)
            return rc;
        if (rc != BACT_OK) {
            printf("error open: %s\n", bact_strerror(rc));
            bact_tls_free(&tls);
            return 1;
        }
        reads_log[0] = '\0';
        reads_counted = 0;
        counting = 1;
        r = tr.recv(tr.io, got, sizeof got, 100);
        counting = 0;
        ok &= r == 0 && reads_counted == 1u;
        snprintf(said[i], sizeof said[i], "%s after reads of %s ms",
                 outcome(r), reads_log);
        tr.close(tr.io);
        bact_tls_free(&tls);
    }
    printf("%s with a clock: %s; without: %s\n", ok ? "ok" : "error",
           said[0], said[1]);
    return ok ? 0 : 1;
}

static uint32_t elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint32_t)((t.tv_sec - t0->tv_sec) * 1000 +
                      (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* the TCP transport's send, counting the bytes it moved */
static unsigned long inner_moved;
static int32_t send_counted(void *io, const uint8_t *data, size_t len,
                            uint32_t timeout_ms)
{
    int32_t r = tcp_real.send(io, data, len, timeout_ms);
    if (r > 0)
        inner_moved += (unsigned long)r;
    return r;
}

#define SEND_TIMEOUT 500u
#define SEND_MARGIN 700u

static int send_limit(char *host, const char *ca)
{
    static bact_tls tls;
    static uint8_t data[16384];
    bact_posix_conn conn;
    bact_transport tr;
    struct timespec start, t0;
    unsigned sends = 0, zeros = 0, moving = 0;
    uint32_t ms, longest = 0, shortest_zero = 0xFFFFFFFFu, longest_zero = 0;
    unsigned long sent = 0;
    int rc, small = 4096;
    const char *verdict;

    rc = tls_connect(&tls, &conn, &tr, host, ca, send_counted);
    if (rc > 0)
        return rc;
    if (rc == BACT_OK)
        (void)setsockopt(conn.fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    memset(data, 0x5A, sizeof data);
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (rc == BACT_OK && elapsed_ms(&start) < 3000u && sends < 1000u) {
        unsigned long before = inner_moved;
        int32_t r;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        r = tr.send(tr.io, data, sizeof data, SEND_TIMEOUT);
        ms = elapsed_ms(&t0);
        sends++;
        if (r < 0)
            rc = (int)r;
        else if (r > 0)
            sent += (unsigned long)r;
        if (ms > longest)
            longest = ms;
        if (r == 0) {
            zeros++;
            moving += inner_moved != before;
            if (ms < shortest_zero)
                shortest_zero = ms;
            if (ms > longest_zero)
                longest_zero = ms;
        }
    }
    if (rc != BACT_OK) {
        printf("error send %u: %s\n", sends, bact_strerror(rc));
        tr.close(tr.io);
        bact_tls_free(&tls);
        return 1;
    }
    verdict = zeros < 2u                              ? "error"
            : longest > SEND_TIMEOUT + SEND_MARGIN    ? "late"
            : shortest_zero < SEND_TIMEOUT * 9u / 10u ? "early"
                                                      : "ok";
    printf("%s %u sends took %lu bytes; %u said nothing yet, after %lu..%lu ms, "
           "%u of them moving bytes; the longest took %lu ms (timeout %u)\n",
           verdict, sends, sent, zeros,
           zeros > 0 ? (unsigned long)shortest_zero : 0ul,
           (unsigned long)longest_zero, moving, (unsigned long)longest,
           SEND_TIMEOUT);
    tr.close(tr.io);
    bact_tls_free(&tls);
    return verdict[0] == 'o' ? 0 : 1;
}

static uint8_t wbuf[4096];
static jsmntok_t wtok[128];

/* one get-region-list over a fresh client on tr */
static int one_call(const char *base, const bact_transport *tr,
                    const bact_platform *pf)
{
    bact_config cfg;
    bact_client c;
    bact_array regions;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = base;
    cfg.api_key = "tls-key";
    cfg.buf = wbuf;
    cfg.buf_len = sizeof wbuf;
    cfg.tokens = wtok;
    cfg.n_tokens = 128;
    cfg.transport = tr;
    cfg.platform = pf;
    if (bact_init(&c, &cfg) != BACT_OK)
        return BACT_E_ARG;
    rc = bact_get_regions(&c, &regions);
    bact_close(&c);
    return rc;
}

static int deep_sleep(const char *base, const char *ca)
{
    static bact_tls tls;
    uint8_t retained[2048]; /* what survives deep sleep */
    size_t saved = 0;
    bact_posix_conn conn;
    bact_transport tcp, tr;
    bact_platform pf;
    bact_tls_config tc;
    int rc;

    bact_posix_transport(&tcp, &conn);
    bact_posix_platform(&pf);
    memset(&tc, 0, sizeof tc);
    tc.platform = &pf;
    rc = bact_tls_init(&tls, &tcp, &tc); /* no trust anchor */
    bact_tls_free(&tls);
    if (rc == BACT_OK)
        return printf("error tls init without a trust anchor: accepted\n"), 1;
    tc.ca_file = ca;
    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    bact_tls_transport(&tr, &tls);
    rc = one_call(base, &tr, &pf);
    if (rc == BACT_OK &&
        (rc = bact_tls_session_save(&tls, retained, 16, &saved)) != BACT_E_BUF) {
        bact_tls_free(&tls);
        return printf("error save into 16 bytes: %s\n", bact_strerror(rc)), 1;
    }
    if (rc == BACT_E_BUF)
        rc = bact_tls_session_save(&tls, retained, sizeof retained, &saved);
    bact_tls_free(&tls); /* asleep: only retained[] is left */
    if (rc != BACT_OK)
        return printf("error first call or save: %s\n", bact_strerror(rc)), 1;

    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK)
        return printf("error tls init\n"), 1;
    rc = bact_tls_session_load(&tls, retained, saved);
    bact_tls_transport(&tr, &tls);
    if (rc == BACT_OK)
        rc = one_call(base, &tr, &pf);
    printf("%s saved=%lu handshakes=%u resumed=%u\n", rc == BACT_OK ? "ok" : "error",
           (unsigned long)saved, bact_tls_handshakes(&tls), bact_tls_resumptions(&tls));
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    static uint8_t buf[4096];
    static jsmntok_t tok[128];
    static bact_tls tls;
    bact_posix_conn conn;
    bact_transport tcp, tr;
    bact_platform pf;
    bact_tls_config tc;
    bact_config cfg;
    bact_client c;
    bact_array regions;
    int rc;

    if (argc == 4 && strcmp(argv[3], "sleep") == 0)
        return deep_sleep(argv[1], argv[2]);
    if ((argc == 5 || argc == 6) && strcmp(argv[3], "again") == 0)
        return again(argv[1], argv[2], argv[4], argc == 6 ? argv[5] : NULL);
    if (argc == 4 && strcmp(argv[3], "direct") == 0)
        return direct(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "hellorequest") == 0)
        return hello_request(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "sendfail") == 0)
        return send_fails(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "liar") == 0)
        return lying_read(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "quietread") == 0)
        return quiet_read(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "send") == 0)
        return send_limit(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "closeflush") == 0)
        return close_flush(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "closeflush1") == 0) {
        jam_one_left = 1;
        return close_flush(argv[1], argv[2]);
    }
    if (argc == 4 && strcmp(argv[3], "retrylonger") == 0)
        return retry_longer(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "hellofirst") == 0)
        return hello_first(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "closed") == 0)
        return read_after_close(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "bytewise") == 0)
        return bytewise(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[3], "trickle") == 0)
        return trickle(argv[2]);
    if (argc == 4 && strcmp(argv[3], "early") == 0)
        return early(argv[2], 1);
    if (argc == 4 && strcmp(argv[3], "silent") == 0)
        return early(argv[2], 0);
    if (argc == 4 && strcmp(argv[3], "inner-timeout") == 0) {
        fake_open_rc = BACT_E_TIMEOUT; /* the TCP connect timed out */
        return early(argv[2], 1);
    }
    if (argc != 4) {
        fprintf(stderr, "usage: no_rtc BASE_URL CA_FILE "
                        "none|epoch0|future|real|noclock|loopback|at:SECONDS\n");
        return 2;
    }
    bact_posix_transport(&tcp, &conn);
    bact_posix_platform(&pf);
    if (strcmp(argv[3], "loopback") == 0) {
        tcp_real = tcp;
        tcp.open = open_loopback;
    }
    memset(&tc, 0, sizeof tc);
    tc.ca_file = argv[2];
    tc.platform = strcmp(argv[3], "noclock") == 0 ? NULL : &pf;
    tc.now = strcmp(argv[3], "none") == 0     ? clock_none
           : strcmp(argv[3], "epoch0") == 0   ? clock_epoch0
           : strcmp(argv[3], "future") == 0   ? clock_future
           : strncmp(argv[3], "at:", 3) == 0  ? clock_at
                                              : clock_real;
    if (tc.now == clock_at)
        at_seconds = (int64_t)strtoll(argv[3] + 3, NULL, 10);
    if (bact_tls_init(&tls, &tcp, &tc) != BACT_OK) {
        printf("error tls init: %s\n", bact_tls_reason_text(bact_tls_last_reason(&tls)));
        return 1;
    }
    bact_tls_transport(&tr, &tls);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = argv[1];
    cfg.api_key = "tls-key";
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 128;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.timeout_ms = tc.platform == NULL ? 1000 : 5000;
    if (bact_init(&c, &cfg) != BACT_OK) {
        printf("error init\n");
        return 1;
    }
    rc = bact_get_regions(&c, &regions);
    if (rc == BACT_OK)
        printf("ok dates_checked=%d regions=%u\n", bact_tls_dates_checked(&tls),
               regions.count);
    else if (rc == BACT_E_TLS) /* and the TCP stream it failed on: closed */
        printf("tls %s stream=%s\n",
               bact_tls_reason_text(bact_tls_last_reason(&tls)),
               conn.fd >= 0 ? "open" : "closed");
    else
        printf("error %s\n", bact_strerror(rc));
    bact_close(&c);
    bact_tls_free(&tls);
    return rc == BACT_OK ? 0 : 1;
}
