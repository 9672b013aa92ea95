/*
 * mbedtls_board.h - what this board adds to the device configuration
 * (port/mbedtls/config/bact_mbedtls_config.h), as
 *     -DMBEDTLS_USER_CONFIG_FILE='"mbedtls_board.h"'
 * - bare metal has no clock_gettime(): mbedtls_ms_time() comes from lwIP's
 *   sys_now() (main.c);
 * - mbedTLS does not recognise newlib as POSIX and falls back to gmtime(),
 *   whose newlib version allocates and asserts (which pulls in fiprintf and
 *   all of stdio, about 5 KB): the board maps mbedtls_platform_gmtime_r()
 *   to newlib's reentrant gmtime_r() instead.
 */
#ifndef MBEDTLS_BOARD_H
#define MBEDTLS_BOARD_H

#define MBEDTLS_PLATFORM_MS_TIME_ALT
#define MBEDTLS_PLATFORM_GMTIME_R_ALT

#endif /* MBEDTLS_BOARD_H */
