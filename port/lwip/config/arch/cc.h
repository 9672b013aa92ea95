/*
 * arch/cc.h - lwIP's compiler and C-library glue for a bare-metal GCC
 * target with newlib or picolibc (Cortex-M, RISC-V, Xtensa).
 *
 * - errno, struct timeval and ssize_t come from the C library (sockets set
 *   the C library's errno, and no type is declared twice);
 * - no diagnostics and no assert output: nothing here pulls printf in;
 * - LWIP_RAND() is the board's random source, lwip_port_rand() (a TRNG
 *   read on real hardware): DNS query ids, initial ports and TCP ISNs.
 */
#ifndef BACT_LWIP_ARCH_CC_H
#define BACT_LWIP_ARCH_CC_H

#include <limits.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/types.h>

#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0
#define LWIP_NO_UNISTD_H 1
#ifndef SSIZE_MAX
#define SSIZE_MAX INT_MAX /* ssize_t comes from <sys/types.h> */
#endif

#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { } while (0)

uint32_t lwip_port_rand(void);
#define LWIP_RAND() ((u32_t)lwip_port_rand())

#endif /* BACT_LWIP_ARCH_CC_H */
