/*
 * bact_posix.h - the POSIX port: BSD sockets (IPv4 and IPv6 through
 * getaddrinfo), connect with a timeout, poll()-based I/O with timeouts, a
 * CLOCK_MONOTONIC clock, nanosleep, and getrandom() for jitter.
 *
 * open() tries the name's addresses in order within the one timeout_ms it
 * is given: each but the last gets half of the time left, the last all of
 * it. Signals cannot hold a wait: after one, the poll gets only what is
 * left of the timeout, counted from when the wait began.
 *
 * A name is resolved by getaddrinfo() before that, and for as long as the
 * system's resolver takes, not timeout_ms: with glibc and a DNS server
 * that does not answer, resolv.conf's timeout x attempts per server (5 s x
 * 2 by default).
 */
#ifndef BACT_POSIX_H
#define BACT_POSIX_H

#include "bact_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One TCP connection; fd is -1 when closed. Owned by the application.
 *  Sends use MSG_NOSIGNAL: a closed peer never raises SIGPIPE. */
typedef struct bact_posix_conn {
    int fd;
} bact_posix_conn;

/** Fill t with the socket transport over conn (conn->fd is set to -1). */
void bact_posix_transport(bact_transport *t, bact_posix_conn *conn);

/** Fill p with the POSIX clock, sleep and random source. */
void bact_posix_platform(bact_platform *p);

#ifdef __cplusplus
}
#endif

#endif /* BACT_POSIX_H */
