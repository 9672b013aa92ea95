/*
 * bact_lwip.h - the lwIP port: a transport on lwIP's socket API
 * (lwip_socket, lwip_connect, lwip_send, lwip_recv, lwip_poll or
 * lwip_select, lwip_getaddrinfo) and a platform on lwIP's sys layer
 * (sys_now, sys_msleep, LWIP_RAND).
 *
 * Needs lwIP 2.0 or later with NO_SYS=0 and LWIP_SOCKET=1 (the socket API
 * runs on an OS). The port calls the lwip_* names only, so it builds and
 * works with LWIP_COMPAT_SOCKETS 0, 1 or 2, and this header includes no
 * lwIP header: an application that includes lwIP's <lwip/sockets.h> with
 * the BSD-name macros on is not affected, nor is one that mixes lwIP with
 * the C library's own socket names.
 *
 * Name resolution: with LWIP_DNS, lwip_getaddrinfo(), for names shorter
 * than DNS_MAX_NAME_LENGTH. It blocks for as long as lwIP's resolver
 * takes, not the open() timeout: without an answer, 1 + R(R-1)/2 timer
 * ticks per DNS server (R = DNS_MAX_RETRIES, a tick DNS_TMR_INTERVAL),
 * which is 7 s with lwIP's defaults (4, 1000 ms); the lwIP host test saw
 * 6.7 s. Without LWIP_DNS, numeric addresses only (IPv4, and IPv6 with
 * LWIP_IPV6); a name is BACT_E_DNS. Without LWIP_IPV6, an IPv6 address
 * is BACT_E_DNS at once, never sent to the resolver as a name; with it, so
 * is one lwIP does not read (lwIP 2.1 refuses some with an IPv4 address in
 * their last 32 bits, such as 64:ff9b::1.2.3.4).
 *
 * Waiting: lwip_poll() when lwIP has it (LWIP_SOCKET_POLL, 2.1+),
 * otherwise lwip_select(); define BACT_LWIP_USE_SELECT=1 to force select.
 * Sockets are non-blocking from connect on; every wait is a poll with the
 * timeout the core hands down, so the four outcomes of bact_port.h are told
 * apart: bytes, 0 (nothing within timeout_ms), BACT_E_CLOSED (FIN),
 * BACT_E_NET (reset, any socket error).
 *
 * Threads: one bact_lwip_conn belongs to one thread at a time (the one
 * running the bact client); lwIP's socket API is thread-safe across
 * sockets.
 */
#ifndef BACT_LWIP_H
#define BACT_LWIP_H

#include "bact_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One TCP connection; fd is -1 when closed. Owned by the application.
 *  eof: the peer's FIN was seen (lwIP reports it once; later reads return
 *  BACT_E_CLOSED again from this flag). */
typedef struct bact_lwip_conn {
    int fd;
    int eof;
} bact_lwip_conn;

/** Fill t with the lwIP socket transport over conn (conn->fd is set to
 *  -1). open() returns BACT_OK, BACT_E_DNS (host not numeric without
 *  LWIP_DNS, or not resolved), BACT_E_CONNECT (refused, unreachable, out of
 *  sockets) or BACT_E_TIMEOUT (no answer within timeout_ms). */
void bact_lwip_transport(bact_transport *t, bact_lwip_conn *conn);

/** Fill p with lwIP's clock (sys_now), sleep (sys_msleep) and, when the
 *  port defines LWIP_RAND(), its random source (else NULL: no jitter). */
void bact_lwip_platform(bact_platform *p);

#ifdef __cplusplus
}
#endif

#endif /* BACT_LWIP_H */
