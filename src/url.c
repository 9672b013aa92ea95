/*
 * url.c - the API origin parser and the webhook URL check.
 *
 * The webhook check must not be fooled by the many spellings of an
 * address: IPv4 is read the way inet_aton() reads it (1 to 4 parts,
 * decimal or hex), so "127.1", "0x7f.0.0.1" and "2130706433" are all
 * loopback; a part with a '0' before a digit (octal to inet_aton(),
 * decimal to other readers), any host whose every part is digits, or
 * "0x" and hex digits, that does not parse, and such a host with a
 * trailing dot (a name to inet_aton()) are refused rather than guessed
 * at. The origin parser refuses those too.
 */
#include <string.h>

#include "internal.h"

#define URL_MAX 2048u

static int host_class(const char *h, size_t n, unsigned ipv6);

static int is_digit(int ch)
{
    return (unsigned)ch - '0' < 10u;
}

/* The value of a hex digit, or 16 when ch is not one (the core's:
 * http.c reads chunk sizes with it; json_read.c's hex4() has its own). */
unsigned bact__hexval(int ch)
{
    unsigned u = (unsigned)ch - '0';
    if (u < 10u)
        return u;
    u = ((unsigned)ch | 0x20u) - 'a';
    return u < 6u ? u + 10u : 16u;
}

/* 1 when a[0..n) is word (n lower-case letters) in any case: | 0x20 maps
 * no byte but an upper-case letter onto a lower-case one */
static int ieq(const char *a, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (((unsigned char)a[i] | 0x20u) != (unsigned char)word[i])
            return 0;
    }
    return 1;
}

/* Letters, digits, '-', '_' : what a DNS name's labels may hold here. */
static int host_char(int ch)
{
    return ((unsigned)ch | 0x20u) - 'a' < 26u || is_digit(ch) || ch == '-' ||
           ch == '_';
}

/* host[:port] or [IPv6][:port] in s[0..n): sets u's host, host_len and
 * ipv6, and returns the port, 0 when none is given, or -1 when malformed.
 * The callback check also refuses empty labels and more than 5 digits of
 * port; the origin parser allows 6 (leading zeros). */
static int32_t host_port(const char *s, size_t n, int callback, bact_url *u)
{
    size_t r = 0, d;
    uint32_t port;

    u->ipv6 = 0;
    u->host = s;
    if (n > 0 && s[0] == '[') {
        while (r < n && s[r] != ']')
            r++;
        if (r >= n)
            return -1; /* (what is inside is parsed by host_class()) */
        u->ipv6 = 1;
        u->host = s + 1;
        u->host_len = r - 1;
        r++;
    } else {
        /* the callback check: 1 where a '.' would end an empty label (at
         * the start too) */
        int dot = callback;
        while (r < n && s[r] != ':') {
            int ch = (unsigned char)s[r];
            if (ch == '.' ? dot : !host_char(ch))
                return -1; /* junk or an empty label */
            dot = ch == '.' && callback;
            r++;
        }
        if (r == 0)
            return -1; /* (an empty IPv6 literal does not parse) */
        u->host_len = r;
    }
    if (r == n)
        return 0;
    d = n - r - 1; /* the digits after ':' (none: -1 from bact__parse_u32(),
                      and at most 6: never too large) */
    if (s[r] != ':' || d > (callback ? 5u : 6u) ||
        bact__parse_u32(s + r + 1, d, &port) != 0)
        return -1;
    return (port == 0 || port > 65535u) ? -1 : (int32_t)port;
}

/* The host of a URL of at most URL_MAX bytes that starts with the scheme
 * "http" or "https" and "://": sets u's tls, host, host_len, ipv6 and
 * port (0 when none is given), and returns the host's class
 * (bact__host_is_local(); 3 too for an IPv6 literal that does not parse:
 * both callers refuse 3 as they refuse -1), or -1 when the URL is
 * malformed. callback: a
 * webhook's, whose authority ends at a path, query or fragment and may
 * hold userinfo; else the API origin's, with nothing after the authority
 * but one slash (a path, query, fragment or userinfo is refused by
 * host_port(): none of '/', '?', '#', '@' is a host, IPv6 or port
 * character). One reading for both: one copy of it. */
static int url_host(const char *url, int callback, bact_url *u)
{
    size_t n, k = 4, a, at, e;
    int32_t port;

    if (url == NULL || (n = bact__strnlen(url, URL_MAX)) > URL_MAX ||
        !ieq(url, 4, "http"))
        return -1;
    u->tls = (uint8_t)((url[4] | 0x20) == 's');
    k += u->tls;
    if (url[k] != ':' || url[k + 1] != '/' || url[k + 2] != '/')
        return -1;
    at = k += 3;
    e = n;
    if (!callback && n > k && url[n - 1] == '/')
        e--; /* one trailing slash is fine */
    /* (the scheme holds none of the bytes looked for) */
    for (a = k; a < n; a++) {
        unsigned char ch = (unsigned char)url[a];
        /* no spaces, control bytes or backslashes (some parsers read
         * "\\" as "/"; the origin's host_port() refuses them too) */
        if (ch <= 0x20u || ch == 0x7Fu || ch == '\\')
            return -1;
        /* a callback's authority: up to the first '/', '?' or '#';
         * user:pass@ before the last '@' is skipped */
        if (!callback || e < n)
            continue;
        if (ch == '/' || ch == '?' || ch == '#')
            e = a;
        else if (ch == '@')
            at = a + 1;
    }
    port = host_port(url + at, e - at, callback, u);
    if (port < 0)
        return -1;
    u->port = (uint16_t)port;
    /* a literal in brackets is read as IPv6 only, parsed once: the
     * parse that classifies it is the one that refuses it (class 3) */
    return host_class(u->host, u->host_len, u->ipv6);
}

int bact_parse_url(const char *url, bact_url *out)
{
    uint16_t def;
    bact_url u; /* (each member set before it is copied out) */

    /* a numeric spelling is taken as the resolver will read it, or not
     * at all: "127.0.0.010" is 127.0.0.8 to inet_aton(), class 3 (an
     * IPv6 literal, parsed already, is never 3) */
    if (out == NULL || (unsigned)url_host(url, 0, &u) > 2u ||
        u.host_len > 253u)
        return BACT_E_ARG;
    def = u.tls ? 443u : 80u;
    if (u.port == 0) /* none given */
        u.port = def;
    u.default_port = (uint8_t)(u.port == def);
    *out = u;
    return BACT_OK;
}

/* ---- address classification ---- */

/* inet_aton-style IPv4 in s[0..n): 0 and the address; 1 at a byte no
 * numeric part holds (a name, or junk after an IPv6 text's groups); -1
 * when every part is digits, or "0x" and hex digits, but they are no
 * address (such a spelling is refused, not taken for a name). decimal:
 * four decimal parts (no leading zero), as in an IPv6 text. */
static int ipv4_parse(const char *s, size_t n, uint32_t *out, int decimal)
{
    uint32_t v = 0, acc = 0;
    size_t i;
    unsigned np = 1, nd = 0, /* parts, and the digits of this one */
        base = 10u, bad = 0;

    /* on to the end once bad: a later byte may still make it a name */
    for (i = 0; i < n; i++) {
        unsigned d = bact__hexval((unsigned char)s[i]);
        if (s[i] == '.') {
            /* what came before is one byte, and a part must follow */
            bad |= nd == 0 || acc > 255u;
            v = (v << 8) | acc;
            acc = 0;
            nd = 0;
            base = 10u;
            np++;
        } else if (nd == 0 && base == 10u && s[i] == '0' && i + 1 < n &&
                   s[i + 1] != '.') {
            /* the part's first byte: "0x" starts a hex part; a '0' before
             * a digit is refused: it is octal to inet_aton() and WHATWG
             * URLs, decimal to others, and each reading may name another
             * host */
            if (decimal || (s[i + 1] | 0x20) != 'x') {
                bad = nd = 1; /* (a digit all the same: acc stays 0) */
            } else {
                base = 16u;
                i++;
            }
        } else if (d >= base) {
            return 1;
        } else {
            /* acc * base + d must fit 32 bits */
            bad |= acc > (0xFFFFFFFFu - d) / base;
            acc = acc * base + d;
            nd++;
        }
    }
    /* at most four parts, the last one not empty, filling the bytes the
     * others left; decimal: there are four */
    if (bad || nd == 0 || np > 4u ||
        acc > (0xFFFFFFFFu >> (8u * (np - 1u))) || (decimal && np != 4u))
        return -1;
    *out = ((v << (8u * (4u - np))) << 8) | acc;
    return 0;
}

/* 0 public, 1 loopback, 2 private, link-local, unspecified, or no
 * unicast host on the Internet: shared 100.64/10, multicast 224/4,
 * reserved 240/4 and the broadcast address (one copy for its five
 * callers: inlined, each would bring its own) */
BACT__NOINLINE static int ipv4_is_local(uint32_t a)
{
    uint32_t b0 = a >> 24, b1 = (a >> 16) & 0xFFu;
    if (b0 == 127u)
        return 1;
    return (b0 == 10u || b0 == 0u || b0 >= 224u ||
            (b0 == 172u && (b1 & 0xF0u) == 16u) ||
            (b0 == 100u && (b1 & 0xC0u) == 64u) ||
            (b0 == 192u && b1 == 168u) || (b0 == 169u && b1 == 254u))
               ? 2 : 0;
}

/* RFC 4291 text form into its eight 16-bit groups; -1 when malformed. */
static int ipv6_parse(const char *s, size_t n, uint16_t out[8])
{
    unsigned nw = 0, k, gap = 9u; /* groups before the "::"; 9: none */
    size_t i = 0;

    if (n > 0 && s[0] == ':') { /* only as "::" */
        if (n < 2u || s[1] != ':')
            return -1;
        gap = 0;
        i = 2;
    }
    while (i < n && nw < 8u) {
        size_t j = i;
        uint32_t v = 0;
        unsigned d;
        while (j < n && (d = bact__hexval((unsigned char)s[j])) < 16u) {
            v = v * 16u + d; /* (more than 4 digits are refused below) */
            j++;
        }
        if (j < n && s[j] == '.') { /* embedded IPv4 in the last 32 bits:
                                       the rest, four decimal parts */
            uint32_t a;
            if (nw > 6u || ipv4_parse(s + i, n - i, &a, 1))
                return -1;
            out[nw++] = (uint16_t)(a >> 16);
            out[nw++] = (uint16_t)(a & 0xFFFFu);
            i = n;
            break;
        }
        if (j - i - 1u > 3u) /* 1 to 4 hex digits (none: wraps) */
            return -1;
        out[nw++] = (uint16_t)v;
        i = j;
        if (i >= n)
            break;
        if (s[i] != ':' || ++i >= n) /* past the ':' */
            return -1; /* junk, or a trailing single ':' */
        if (s[i] == ':') {
            if (gap <= 8u)
                return -1; /* two "::" */
            gap = nw;
            if (++i >= n)
                break;
        }
    }
    /* all the text read, and eight groups, or fewer and a "::" */
    if (i < n || (gap > 8u) != (nw == 8u))
        return -1;
    /* the groups after the "::" move to the end, zeros in the places
     * between (filled from the last place down: a group is read before
     * its place can be written; with a "::" there are at most seven) */
    for (k = 8u; k-- > gap;) /* (none without a "::": gap 9) */
        out[k] = k >= gap + 8u - nw ? out[k - (8u - nw)] : 0u;
    return 0;
}

static int ipv6_is_local(const uint16_t g[8])
{
    uint32_t mid = (uint32_t)g[2] | g[3]; /* groups 2 and 3 OR-ed */
    uint32_t v4 = ((uint32_t)g[6] << 16) | g[7];
    uint32_t g45 = ((uint32_t)g[4] << 16) | g[5];
    if ((g[0] & 0xFE00u) == 0xFC00u || g[0] >= 0xFE80u ||
        (g[0] == 0x64u && g[1] == 0xFF9Bu && g[2] == 1u))
        return 2; /* fc00::/7, fe80::/10, fec0::/10 (site-local, once),
                     ff00::/8 (multicast), 64:ff9b:1::/48 (NAT64 for
                     local use, RFC 8215) */
    /* an IPv4 address inside: mapped (::ffff:a.b.c.d), translated
     * (::ffff:0:a.b.c.d, SIIT), compatible (::a.b.c.d, deprecated; ::1
     * is the loopback, and :: and the rest of ::/104 are what 0/8 is) or
     * behind NAT64's well-known prefix (64:ff9b::a.b.c.d; RFC 6052
     * forbids it for non-global ones) */
    if (((g[0] | g[1] | mid) == 0u &&
         (g45 == 0xFFFFu || g45 == 0u || g45 == 0xFFFF0000u)) ||
        (g[0] == 0x64u && g[1] == 0xFF9Bu && (mid | g45) == 0u))
        return (v4 | g45 | g[0]) == 1u ? 1 : ipv4_is_local(v4);
    /* 6to4 (2002:a.b.c.d::/48) and Teredo (2001:0:server:flags:port:
     * client, the client's bits inverted): a host with such a tunnel
     * sends to the IPv4 address inside, so one that is not public is
     * refused (2, never loopback: no loopback is reached that way) */
    if (g[0] == 0x2002u)
        return ipv4_is_local(((uint32_t)g[1] << 16) | g[2]) ? 2 : 0;
    if (g[0] == 0x2001u && g[1] == 0u)
        return (ipv4_is_local(((uint32_t)g[2] << 16) | g[3]) |
                ipv4_is_local(~v4)) ? 2 : 0;
    return 0;
}

/* bact__host_is_local() of a host with no ':' (a URL's host outside
 * brackets ends before one); ipv6: h is an IPv6 literal (from brackets),
 * never a name or IPv4 */
static int host_class(const char *h, size_t n, unsigned ipv6)
{
    uint32_t v4;
    uint16_t v6[8];
    size_t dot;
    int r;

    if (ipv6)
        return ipv6_parse(h, n, v6) != 0 ? 3 : ipv6_is_local(v6);
    dot = n > 0 && h[n - 1] == '.';
    n -= dot; /* "localhost." is localhost; nothing left: 3 below */
    if (n >= 9u && ieq(h + n - 9u, 9u, "localhost") &&
        (n == 9u || h[n - 10u] == '.'))
        return 1; /* localhost, *.localhost */
    /* every part decimal digits, or "0x" and hex digits: a spelling that
     * inet_aton() reads as a number, so it must parse as one, or it is
     * refused (3); a byte no such part holds makes a name. With a
     * trailing dot it is refused too: inet_aton() reads no address there,
     * so the resolver would look the text up as a name */
    r = ipv4_parse(h, n, &v4, 0);
    return r > 0 ? 0 : (r < 0 || dot) ? 3 : ipv4_is_local(v4);
}

/* Any text: one with a ':' before its trailing dot, if any, is read as
 * IPv6 unless it ends in localhost (the URL readers never pass one, so
 * this search is kept out of their host_class()) */
int bact__host_is_local(const char *h, size_t n)
{
    size_t m = n - (n > 0 && h[n - 1] == '.'), k = 0;
    int r = host_class(h, n, 0); /* (a name, 0, when it holds a ':') */
    while (k < m && h[k] != ':')
        k++;
    return k < m && r != 1 ? host_class(h, m, 1) : r;
}

int bact_check_callback_url(const char *url, unsigned flags)
{
    bact_url u;
    /* private (2) and a refused spelling (3) are refused, loopback (1)
     * unless allowed; a malformed URL (-1) too */
    return (unsigned)url_host(url, 1, &u) >
                   (flags & BACT_URL_ALLOW_LOOPBACK ? 1u : 0u)
               ? BACT_E_ARG
               : BACT_OK;
}
