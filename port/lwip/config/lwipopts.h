/*
 * lwipopts.h - a small lwIP 2.1 configuration for a device running the
 * bact client over lwIP's socket API: IPv4, TCP, UDP (for DNS), DNS, DHCP,
 * ARP/Ethernet, an RTOS underneath (NO_SYS=0), poll() and select(), no
 * statistics, no debug output, no asserts.
 *
 * The cross boards build port/lwip with it, and the cortex-m4f firmware
 * image builds lwIP itself with it. An application brings its own
 * lwipopts.h; what the port needs from it is NO_SYS=0, LWIP_SOCKET=1 and
 * LWIP_TCP=1 (and LWIP_DNS for host names).
 *
 * LWIP_COMPAT_SOCKETS is left to lwIP's default (1, BSD names as macros)
 * unless given on the command line: the boards build the port with 0, 1
 * and 2 to show it does not care.
 */
#ifndef BACT_LWIPOPTS_H
#define BACT_LWIPOPTS_H

/* ---- system ---- */
#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1
#define LWIP_TCPIP_CORE_LOCKING 1
#define LWIP_NETCONN_SEM_PER_THREAD 0
#define TCPIP_THREAD_STACKSIZE 1024
#define TCPIP_THREAD_PRIO 3
#define TCPIP_MBOX_SIZE 8
#define DEFAULT_THREAD_STACKSIZE 1024
#define DEFAULT_TCP_RECVMBOX_SIZE 8
#define DEFAULT_UDP_RECVMBOX_SIZE 4
#define DEFAULT_RAW_RECVMBOX_SIZE 4
#define DEFAULT_ACCEPTMBOX_SIZE 4
#define LWIP_NOASSERT 1
#define LWIP_STATS 0

/* ---- memory ---- */
#define MEM_ALIGNMENT 4
#define MEM_SIZE (8 * 1024)
#define MEMP_NUM_PBUF 8
#define MEMP_NUM_UDP_PCB 4
#define MEMP_NUM_TCP_PCB 4
#define MEMP_NUM_TCP_PCB_LISTEN 1
#define MEMP_NUM_TCP_SEG 16
#define MEMP_NUM_NETBUF 4
#define MEMP_NUM_NETCONN 4
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 2)
#define PBUF_POOL_SIZE 8

/* ---- protocols ---- */
#ifndef LWIP_IPV4
#define LWIP_IPV4 1 /* the boards also build the port IPv6 only */
#endif
#ifndef LWIP_IPV6
#define LWIP_IPV6 0
#endif
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#ifndef LWIP_DNS
#define LWIP_DNS 1 /* the boards also build the port with 0 */
#endif
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (2 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF) / TCP_MSS)
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_HAVE_LOOPIF 0

/* ---- APIs ---- */
#define LWIP_NETCONN 1
#define LWIP_SOCKET 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SOCKET_SELECT 1
#define LWIP_SO_RCVTIMEO 0
#define LWIP_SO_SNDTIMEO 0
#define LWIP_TCP_KEEPALIVE 0
#define LWIP_NETIF_API 0

/* Debian's lwIP source (its patch "port", for the Hurd) has sockets.c use
 * these, which only its external socket headers define; with lwIP's own
 * headers they are what upstream 2.1.3 writes inline. */
#ifndef IP4ADDR_SOCKADDR_SET_LEN
#define IP4ADDR_SOCKADDR_SET_LEN(sin) (sin)->sin_len = sizeof(struct sockaddr_in)
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) (sin6)->sin6_len = sizeof(struct sockaddr_in6)
#define IPADDR_SOCKADDR_GET_LEN(addr) (addr)->sa.sa_len
#endif

#endif /* BACT_LWIPOPTS_H */
