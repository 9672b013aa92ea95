/*
 * bact_config_small.h - the smallest build of the library: no error text,
 * no trace and no whole-line header path. Same endpoints, checks and
 * outcomes; only bact_strerror() returns "", bact_init() refuses a trace
 * callback (BACT_E_UNSUPPORTED) and answer heads are parsed byte by byte.
 * Use it with -DBACT_CONFIG_FILE='"bact_config_small.h"' -Iboards; make
 * size reports the whole client built this way too, and make test runs
 * the unit tests in it.
 */
#ifndef BACT_CONFIG_SMALL_H
#define BACT_CONFIG_SMALL_H

#define BACT_CONFIG_ERROR_STRINGS 0
#define BACT_CONFIG_TRACE 0
#define BACT_CONFIG_FAST_HEAD 0

#endif /* BACT_CONFIG_SMALL_H */
