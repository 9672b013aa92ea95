/*
 * netif_stub.c - the board's hardware, stubbed: an Ethernet netif whose
 * driver drops every frame and never receives one, a TRNG and an RTC.
 * A real board puts its MAC driver, RNG peripheral and RTC here.
 */
#include <stdint.h>
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "netif/ethernet.h"

err_t board_netif_init(struct netif *n);
uint32_t board_trng(void);
int64_t board_rtc_seconds(void *ctx);

static volatile uint32_t fake_rng_reg = 0x12345678u; /* RNG->DR stand-in */
static volatile uint32_t fake_rtc_reg;               /* RTC counter */

static err_t stub_linkoutput(struct netif *n, struct pbuf *p)
{
    (void)n;
    (void)p; /* a DMA descriptor would take the frame here */
    return ERR_OK;
}

err_t board_netif_init(struct netif *n)
{
    static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    n->name[0] = 'e';
    n->name[1] = '0';
    n->output = etharp_output;
    n->linkoutput = stub_linkoutput;
    n->mtu = 1500;
    n->hwaddr_len = 6;
    memcpy(n->hwaddr, mac, 6);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

uint32_t board_trng(void)
{
    return fake_rng_reg;
}

int64_t board_rtc_seconds(void *ctx)
{
    (void)ctx;
    return fake_rtc_reg == 0 ? -1 : (int64_t)fake_rtc_reg;
}
