/*
 * lwipopts.h of the lwIP the DNS build of the lwIP host test compiles from
 * Debian's source package: the unix port's own options (the file Debian's
 * liblwip was built with, found next on the include path), plus what that
 * liblwip leaves out and devices commonly turn on: the resolver (LWIP_DNS,
 * so the port opens names through lwip_getaddrinfo()) and select()
 * (LWIP_SOCKET_SELECT; the port is built to wait with it).
 *
 * Test code for a GCC host build: #include_next is fine here.
 */
#ifndef BACT_TEST_LWIPOPTS_H
#define BACT_TEST_LWIPOPTS_H

#include_next <lwipopts.h>

#undef LWIP_SOCKET_SELECT
#define LWIP_SOCKET_SELECT 1
/* (lwIP allows it only without select) sockets are then a table of
 * MEMP_NUM_NETCONN, and the test holds over twenty at once */
#undef LWIP_SOCKET_OPEN_COUNT
#define LWIP_SOCKET_OPEN_COUNT 0
#define MEMP_NUM_NETCONN 32
#define LWIP_DNS 1
/* lwIP's own socket types, as on a device (lwIP 2.1.3's resolver sets
 * sin_len, which the C library's sockaddr_in does not have) */
#undef LWIP_SOCKET_EXTERNAL_HEADERS
#define LWIP_SOCKET_EXTERNAL_HEADERS 0
/* Debian's lwIP source (its patch "port", for the Hurd) has sockets.c use
 * these, which only its external socket headers define */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) (sin)->sin_len = sizeof(struct sockaddr_in)
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) (sin6)->sin6_len = sizeof(struct sockaddr_in6)
#define IPADDR_SOCKADDR_GET_LEN(addr) (addr)->sa.sa_len
#define DNS_MAX_SERVERS 1
/* lwIP's netdb.c defines a plain int h_errno; the C library has its own
 * (thread-local) one: lwIP's gets another name */
#define h_errno bact_test_lwip_h_errno
/* the IPv4-only build of the same test (make lwip-v4-test) */
#ifdef BACT_TEST_LWIP_IPV4_ONLY
#undef LWIP_IPV6
#define LWIP_IPV6 0
#undef LWIP_IPV6_MLD /* the unix port sets it; it needs IPv6 */
#define LWIP_IPV6_MLD 0
/* and socket numbers from 0, lwIP's own default (the unix port's options
 * start them at 1, past the C library's stdin): a stream may be socket 0 */
#undef LWIP_SOCKET_OFFSET
#define LWIP_SOCKET_OFFSET 0
#endif

#endif
