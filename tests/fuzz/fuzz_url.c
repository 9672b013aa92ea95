/*
 * fuzz_url.c - the base-URL parser and the webhook URL check (src/url.c).
 *
 * The input, copied into a heap block of its exact size plus a NUL, goes
 * to bact_parse_url() and to bact_check_callback_url() with and without
 * BACT_URL_ALLOW_LOOPBACK. A parsed URL must describe its own string: the
 * host lies inside it, is made of host characters (or is a bracketed IPv6
 * literal), the port is 1..65535 and default_port and tls agree with it,
 * and the URL rebuilt from those parts parses to the same. The callback
 * check may only get more permissive with the loopback flag.
 *
 * The input (without a NUL) also goes to bact__host_is_local(), and when
 * libc's inet_aton() or inet_pton() reads it as an address in one of the
 * ranges the check must refuse, the library must not call it public: the
 * direction in which a disagreement would let a webhook reach a private
 * host. An IPv4 spelling that inet_aton() reads, the library must class
 * the same or refuse (3): the base URL goes to the resolver as written.
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

static int host_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_';
}

static void check_parsed(const char *s, size_t n, const bact_url *u)
{
    size_t i;
    char again[600];
    bact_url v;
    int len;

    FZ_CHECK(u->host != NULL && u->host >= s && u->host < s + n);
    FZ_CHECK(u->host_len >= 1 && u->host_len <= 253);
    FZ_CHECK(u->host + u->host_len <= s + n);
    FZ_CHECK(u->port >= 1);
    FZ_CHECK(u->tls == (s[4] == 's' || s[4] == 'S'));
    FZ_CHECK(u->default_port == (u->port == (u->tls ? 443u : 80u)));
    if (u->ipv6) {
        FZ_CHECK(u->host[-1] == '[' && u->host[u->host_len] == ']');
        for (i = 0; i < u->host_len; i++)
            FZ_CHECK(u->host[i] == ':' || u->host[i] == '.' ||
                     host_char((unsigned char)u->host[i]));
    } else {
        for (i = 0; i < u->host_len; i++)
            FZ_CHECK(host_char((unsigned char)u->host[i]));
    }

    /* rebuilt from its parts, it parses to the same */
    len = snprintf(again, sizeof again, "%s://%s%.*s%s", u->tls ? "https" : "http",
                   u->ipv6 ? "[" : "", (int)u->host_len, u->host,
                   u->ipv6 ? "]" : "");
    FZ_CHECK(len > 0 && (size_t)len < sizeof again - 8u);
    if (!u->default_port)
        (void)snprintf(again + len, sizeof again - (size_t)len, ":%u",
                       (unsigned)u->port);
    FZ_CHECK(bact_parse_url(again, &v) == BACT_OK);
    FZ_CHECK(v.host_len == u->host_len &&
             memcmp(v.host, u->host, u->host_len) == 0);
    FZ_CHECK(v.port == u->port && v.tls == u->tls && v.ipv6 == u->ipv6 &&
             v.default_port == u->default_port);
}

/* The ranges the callback check must refuse (bact.h), as libc reads them. */
static int v4_local(uint32_t a)
{
    uint32_t b0 = a >> 24, b1 = (a >> 16) & 0xFFu;
    return b0 == 127u || b0 == 10u || b0 == 0u || b0 >= 224u ||
           (b0 == 172u && b1 >= 16u && b1 <= 31u) ||
           (b0 == 100u && b1 >= 64u && b1 <= 127u) ||
           (b0 == 192u && b1 == 168u) || (b0 == 169u && b1 == 254u);
}

static int v6_local(const uint8_t *a)
{
    static const uint8_t zero[16], nat64[12] = {0, 0x64, 0xFF, 0x9B};
    if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
        return 1; /* :: and ::1 */
    if ((a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && a[1] >= 0x80) ||
        a[0] == 0xFF)
        return 1; /* fc00::/7, fe80::/10, fec0::/10, ff00::/8 */
    /* IPv4 inside: mapped, compatible, NAT64's well-known prefix */
    if ((memcmp(a, zero, 10) == 0 &&
         ((a[10] == 0xFF && a[11] == 0xFF) || (a[10] == 0 && a[11] == 0))) ||
        memcmp(a, nat64, 12) == 0)
        return v4_local(((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) |
                        ((uint32_t)a[14] << 8) | a[15]);
    return 0;
}

static void check_host(const uint8_t *d, size_t n)
{
    char *h, *z;
    size_t i, m = n;
    int cls, v4 = 1, v6 = 1;

    if (n > 300)
        return;
    h = malloc(n ? n : 1u);
    z = malloc(n + 1u);
    FZ_CHECK(h != NULL && z != NULL);
    if (n)
        memcpy(h, d, n);
    cls = bact__host_is_local(h, n);
    FZ_CHECK(cls >= 0 && cls <= 3);

    /* the text without one trailing dot, as the library classes it (a
     * numeric one with the dot it refuses, 3) */
    if (m > 0 && d[m - 1] == '.')
        m--;
    memcpy(z, d, m);
    z[m] = '\0';
    for (i = 0; i < m; i++) {
        unsigned char ch = (unsigned char)z[i];
        if (!host_char(ch))
            v4 = 0;
        if (!(ch == ':' || ch == '.' || (ch >= '0' && ch <= '9') ||
              (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            v6 = 0;
    }
    if (m > 0 && v4) {
        struct in_addr a;
        /* what libc reads, the library reads the same, or refuses */
        if (inet_aton(z, &a) != 0) {
            uint32_t v = ntohl(a.s_addr);
            FZ_CHECK(cls == 3 || cls == (v >> 24 == 127u ? 1 : v4_local(v) ? 2 : 0));
        }
    }
    if (m > 0 && v6 && memchr(z, ':', m) != NULL) {
        uint8_t a6[16];
        if (inet_pton(AF_INET6, z, a6) == 1 && v6_local(a6))
            FZ_CHECK(cls != 0);
    }
    free(h);
    free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1u);
    size_t n;
    bact_url u;
    int r0, r1;

    FZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    n = strlen(s);

    memset(&u, 0xA5, sizeof u);
    if (bact_parse_url(s, &u) == BACT_OK) {
        FZ_CHECK(n <= 2048u);
        check_parsed(s, n, &u);
    }

    r0 = bact_check_callback_url(s, 0);
    r1 = bact_check_callback_url(s, BACT_URL_ALLOW_LOOPBACK);
    FZ_CHECK(r0 == BACT_OK || r0 == BACT_E_ARG);
    FZ_CHECK(r1 == BACT_OK || r1 == BACT_E_ARG);
    if (r0 == BACT_OK)
        FZ_CHECK(r1 == BACT_OK);
    if (n > 2048u)
        FZ_CHECK(r0 == BACT_E_ARG && r1 == BACT_E_ARG);
    free(s);

    check_host(data, size);
    return 0;
}
