/*
 * null_port.h - the transport and platform of the `make size` programs:
 * they do nothing, so that what links is the library and not a port.
 * Included by client.c and app.c only.
 */
#ifndef BACT_SIZE_NULL_PORT_H
#define BACT_SIZE_NULL_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "bact.h"

static volatile uint32_t clock_ms;
static volatile int sink;

static int t_open(void *io, const char *h, size_t hl, uint16_t p, uint32_t t)
{
    (void)io; (void)h; (void)hl; (void)p; (void)t;
    return BACT_OK;
}
static int32_t t_send(void *io, const uint8_t *d, size_t n, uint32_t t)
{
    (void)io; (void)d; (void)t;
    return (int32_t)n;
}
static int32_t t_recv(void *io, uint8_t *b, size_t n, uint32_t t)
{
    (void)io; (void)b; (void)n; (void)t;
    return BACT_E_CLOSED;
}
static void t_close(void *io) { (void)io; }
static uint32_t p_now(void *ctx) { (void)ctx; return clock_ms; }
static void p_sleep(void *ctx, uint32_t ms) { (void)ctx; clock_ms += ms; }
static uint32_t p_rand(void *ctx) { (void)ctx; return clock_ms * 2654435761u; }

#endif
