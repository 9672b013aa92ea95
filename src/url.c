/*
 * url.c - the API origin parser and the webhook URL check.
 *
 * The webhook check must not be fooled by the many spellings of an
 * address: IPv4 is read the way inet_aton() reads it (1 to 4 parts,
 * decimal, octal or hex), so "127.1", "0x7f.0.0.1" and "2130706433" are
 * all loopback; a host made only of digits, dots and hex that does not
 * parse is refused rather than guessed at.
 */
#include <string.h>

#include "internal.h"

#define URL_MAX 2048u

static int ipv6_parse(const char *s, size_t n, uint8_t out[16]);

static int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* Letters, digits, '-', '.', '_' : what a DNS name may hold here. */
static int host_char(int ch)
{
    return is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '.' ||
           ch == '_';
}

/* scheme "http" or "https" followed by "://"; returns the length eaten */
static size_t scheme(const char *s, uint8_t *tls)
{
    if (bact__ieq(s, 4, "http") && s[4] == ':' && s[5] == '/' && s[6] == '/') {
        *tls = 0;
        return 7;
    }
    if (bact__ieq(s, 5, "https") && s[5] == ':' && s[6] == '/' && s[7] == '/') {
        *tls = 1;
        return 8;
    }
    return 0;
}

/* host[:port] at s (n bytes, no userinfo). */
static int authority(const char *s, size_t n, bact_url *out)
{
    size_t i = 0, h0, h1;
    uint32_t port = 0;

    out->ipv6 = 0;
    if (n > 0 && s[0] == '[') {
        h0 = 1;
        while (i < n && s[i] != ']')
            i++;
        if (i >= n)
            return BACT_E_ARG;
        h1 = i;
        i++;
        out->ipv6 = 1;
        {
            uint8_t v6[16];
            if (ipv6_parse(s + h0, h1 - h0, v6) != 0)
                return BACT_E_ARG;
        }
    } else {
        h0 = 0;
        while (i < n && s[i] != ':') {
            if (!host_char((unsigned char)s[i]))
                return BACT_E_ARG;
            i++;
        }
        h1 = i;
    }
    if (h1 == h0 || h1 - h0 > 253u)
        return BACT_E_ARG;
    out->host = s + h0;
    out->host_len = h1 - h0;
    out->default_port = 1;
    out->port = out->tls ? 443u : 80u;
    if (i < n) {
        size_t d = 0;
        if (s[i] != ':')
            return BACT_E_ARG;
        i++;
        while (i < n && d < 6u) {
            if (!is_digit((unsigned char)s[i]))
                return BACT_E_ARG;
            port = port * 10u + (uint32_t)(s[i] - '0');
            i++;
            d++;
        }
        if (i != n || d == 0 || port == 0 || port > 65535u)
            return BACT_E_ARG;
        out->port = (uint16_t)port;
        out->default_port = (uint8_t)(port == (out->tls ? 443u : 80u));
    }
    return BACT_OK;
}

int bact_parse_url(const char *url, bact_url *out)
{
    size_t n, k, end;
    bact_url u;

    if (url == NULL || out == NULL)
        return BACT_E_ARG;
    n = bact__strnlen(url, URL_MAX);
    if (n > URL_MAX)
        return BACT_E_ARG;
    memset(&u, 0, sizeof u);
    k = scheme(url, &u.tls);
    if (k == 0)
        return BACT_E_ARG;
    end = n;
    if (end > k && url[end - 1] == '/')
        end--; /* one trailing slash is fine */
    {
        size_t i;
        for (i = k; i < end; i++) {
            char ch = url[i];
            if (ch == '/' || ch == '?' || ch == '#' || ch == '@')
                return BACT_E_ARG; /* a path, query, fragment or userinfo */
        }
    }
    if (authority(url + k, end - k, &u) != BACT_OK)
        return BACT_E_ARG;
    *out = u;
    return BACT_OK;
}

/* ---- address classification ---- */

/* inet_aton-style IPv4: returns 0 and the address, -1 if not one. */
static int ipv4_parse(const char *s, size_t n, uint32_t *out)
{
    uint32_t part[4];
    size_t i = 0;
    unsigned np = 0, k;
    uint32_t v;

    while (np < 4u) {
        unsigned base = 10u, digits = 0;
        uint32_t acc = 0;
        if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            base = 16u;
            i += 2;
        } else if (i < n && s[i] == '0') {
            base = 8u;
        }
        while (i < n && s[i] != '.') {
            int ch = bact__lower((unsigned char)s[i]);
            unsigned d;
            if (is_digit(ch))
                d = (unsigned)(ch - '0');
            else if (ch >= 'a' && ch <= 'f')
                d = (unsigned)(ch - 'a' + 10);
            else
                return -1;
            if (d >= base)
                return -1;
            /* 32-bit only (no 64-bit multiply on small cores) */
            if (acc > (base == 16u ? 0x0FFFFFFFu
                       : base == 10u ? 0x19999999u : 0x1FFFFFFFu))
                return -1;
            acc *= base;
            if (acc > 0xFFFFFFFFu - d)
                return -1;
            acc += d;
            digits++;
            i++;
        }
        if (digits == 0)
            return -1;
        part[np++] = acc;
        if (i >= n)
            break;
        i++; /* '.' */
        if (i >= n)
            return -1; /* trailing dot */
    }
    if (i < n)
        return -1;
    /* the last part fills the remaining bytes */
    v = 0;
    for (k = 0; k + 1 < np; k++) {
        if (part[k] > 255u)
            return -1;
        v |= part[k] << (24u - 8u * k);
    }
    {
        uint32_t lastmax = (np == 1u) ? 0xFFFFFFFFu
                         : (np == 2u) ? 0xFFFFFFu
                         : (np == 3u) ? 0xFFFFu : 0xFFu;
        if (part[np - 1u] > lastmax)
            return -1;
        v |= part[np - 1u];
    }
    *out = v;
    return 0;
}

/* 0 public, 1 loopback, 2 private, link-local or unspecified */
static int ipv4_is_local(uint32_t a)
{
    uint32_t b0 = a >> 24, b1 = (a >> 16) & 0xFFu;
    if (b0 == 127u)
        return 1;
    return (b0 == 10u || b0 == 0u || (b0 == 172u && (b1 & 0xF0u) == 16u) ||
            (b0 == 192u && b1 == 168u) || (b0 == 169u && b1 == 254u))
               ? 2 : 0;
}

/* RFC 4291 text form into 16 bytes; -1 when malformed. */
static int ipv6_parse(const char *s, size_t n, uint8_t out[16])
{
    uint16_t w[8];
    unsigned nw = 0, k;
    int gap = -1; /* index of the "::", if any */
    size_t i = 0;

    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n > 0 && s[0] == ':') {
        return -1;
    }
    while (i < n && nw < 8u) {
        size_t j = i;
        uint32_t v = 0;
        unsigned d = 0;
        int dot = 0;
        while (j < n && s[j] != ':') {
            if (s[j] == '.')
                dot = 1;
            j++;
        }
        if (dot) { /* embedded IPv4 in the last 32 bits */
            uint32_t a;
            size_t q, dots = 0;
            for (q = i; q < j; q++) {
                if (s[q] == '.')
                    dots++;
                else if (!is_digit((unsigned char)s[q]))
                    return -1;
            }
            if (j != n || nw > 6u || dots != 3u || ipv4_parse(s + i, j - i, &a))
                return -1;
            w[nw++] = (uint16_t)(a >> 16);
            w[nw++] = (uint16_t)(a & 0xFFFFu);
            i = n;
            break;
        }
        for (; i < j; i++) {
            int ch = bact__lower((unsigned char)s[i]);
            if (is_digit(ch))
                v = v * 16u + (uint32_t)(ch - '0');
            else if (ch >= 'a' && ch <= 'f')
                v = v * 16u + (uint32_t)(ch - 'a' + 10);
            else
                return -1;
            if (++d > 4u)
                return -1;
        }
        if (d == 0)
            return -1;
        w[nw++] = (uint16_t)v;
        if (i >= n)
            break;
        i++; /* ':' */
        if (i < n && s[i] == ':') {
            if (gap >= 0)
                return -1; /* two "::" */
            gap = (int)nw;
            i++;
            if (i >= n)
                break;
        } else if (i >= n) {
            return -1; /* trailing single ':' */
        }
    }
    if (i < n)
        return -1;
    if (gap < 0 && nw != 8u)
        return -1;
    if (gap >= 0 && nw > 7u)
        return -1;
    memset(out, 0, 16);
    for (k = 0; k < nw; k++) {
        unsigned pos = (gap >= 0 && k >= (unsigned)gap) ? k + (8u - nw) : k;
        out[2u * pos] = (uint8_t)(w[k] >> 8);
        out[2u * pos + 1u] = (uint8_t)(w[k] & 0xFFu);
    }
    return 0;
}

static int ipv6_is_local(const uint8_t a[16])
{
    unsigned k, or10 = 0, or15 = 0; /* bytes 0..9, 0..14 OR-ed */
    for (k = 0; k < 15u; k++) {
        or15 |= a[k];
        if (k < 10u)
            or10 |= a[k];
    }
    if (or15 == 0u && a[15] == 1u)
        return 1; /* ::1 */
    if (or15 == 0u && a[15] == 0u)
        return 2; /* :: */
    if ((a[0] & 0xFEu) == 0xFCu)
        return 2; /* fc00::/7 */
    if (a[0] == 0xFEu && (a[1] & 0xC0u) == 0x80u)
        return 2; /* fe80::/10 */
    if (or10 == 0u && a[10] == 0xFFu && a[11] == 0xFFu) {
        uint32_t v4 = ((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) |
                      ((uint32_t)a[14] << 8) | a[15];
        return ipv4_is_local(v4);
    }
    return 0;
}

int bact__host_is_local(const char *h, size_t n)
{
    uint32_t v4;
    uint8_t v6[16];
    size_t k;
    int numeric = 1;

    if (n > 0 && h[n - 1] == '.')
        n--; /* "localhost." is localhost */
    if (n == 0)
        return 2;
    if (bact__ieq(h, n, "localhost") ||
        (n > 10u && bact__ieq(h + n - 10u, 10u, ".localhost")))
        return 1;
    for (k = 0; k < n; k++) {
        int ch = bact__lower((unsigned char)h[k]);
        if (ch == ':')
            return ipv6_parse(h, n, v6) != 0 ? 2 : ipv6_is_local(v6);
        if (!(is_digit(ch) || ch == '.' || ch == 'x' || (ch >= 'a' && ch <= 'f')))
            numeric = 0;
    }
    /* a name whose last label is all digits/hex looks like an address:
     * it must parse as one, or it is refused */
    if (numeric) {
        int hasdigit = 0;
        for (k = 0; k < n; k++)
            hasdigit |= is_digit((unsigned char)h[k]);
        if (hasdigit)
            return ipv4_parse(h, n, &v4) != 0 ? 2 : ipv4_is_local(v4);
    }
    return 0;
}

/* "" or ":" followed by 1..5 digits naming 1..65535 */
static int port_ok(const char *s, size_t n)
{
    uint32_t v = 0;
    size_t i;
    if (n == 0)
        return 0;
    if (s[0] != ':' || n < 2 || n > 6)
        return -1;
    for (i = 1; i < n; i++) {
        if (!is_digit((unsigned char)s[i]))
            return -1;
        v = v * 10u + (uint32_t)(s[i] - '0');
    }
    return (v >= 1u && v <= 65535u) ? 0 : -1;
}

int bact_check_callback_url(const char *url, unsigned flags)
{
    size_t n, k, a, e, at;
    uint8_t tls;
    const char *h;
    size_t hn;

    if (url == NULL)
        return BACT_E_ARG;
    n = bact__strnlen(url, URL_MAX);
    if (n > URL_MAX)
        return BACT_E_ARG;
    k = scheme(url, &tls);
    if (k == 0)
        return BACT_E_ARG;
    for (a = 0; a < n; a++) {
        unsigned char ch = (unsigned char)url[a];
        if (ch <= 0x20u || ch == 0x7Fu || ch == '\\')
            return BACT_E_ARG; /* no spaces, control bytes or backslashes
                                  (some parsers read "\\" as "/") */
    }
    /* authority: up to the first '/', '?' or '#' */
    e = k;
    while (e < n && url[e] != '/' && url[e] != '?' && url[e] != '#')
        e++;
    at = k;
    for (a = k; a < e; a++) {
        if (url[a] == '@')
            at = a + 1; /* skip user:pass@ (the last '@') */
    }
    h = url + at;
    hn = e - at;
    {
        const char *rest;
        size_t rn, r = 0;
        uint8_t v6[16];
        if (hn > 0 && h[0] == '[') {
            while (r < hn && h[r] != ']')
                r++;
            if (r >= hn || ipv6_parse(h + 1, r - 1, v6) != 0)
                return BACT_E_ARG;
            rest = h + r + 1;
            rn = hn - r - 1;
            h += 1;
            hn = r - 1;
        } else {
            while (r < hn && h[r] != ':') {
                if (!host_char((unsigned char)h[r]) ||
                    (h[r] == '.' && (r == 0 || h[r - 1] == '.')))
                    return BACT_E_ARG; /* junk or an empty label */
                r++;
            }
            rest = h + r;
            rn = hn - r;
            hn = r;
        }
        if (hn == 0 || port_ok(rest, rn) != 0)
            return BACT_E_ARG;
    }
    k = (size_t)bact__host_is_local(h, hn);
    if (k == 2u || (k == 1u && !(flags & BACT_URL_ALLOW_LOOPBACK)))
        return BACT_E_ARG;
    return BACT_OK;
}
