/*
 * test_url.c - the API origin parser (bact_parse_url) and the webhook URL
 * check (bact_check_callback_url, bact__host_is_local) from src/url.c.
 *
 * Every URL is passed from a heap copy of exactly strlen + 1 bytes, so
 * ASan sees any read past the terminating NUL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static char *dup_exact(const char *s)
{
    size_t n = strlen(s) + 1u;
    char *d = (char *)malloc(n);
    if (d == NULL)
        abort();
    memcpy(d, s, n);
    return d;
}

typedef struct u_res {
    int rc;
    char host[300];
    size_t host_off; /* host - url */
    bact_url u;
} u_res;

static u_res ures;

static const u_res *parse(const char *url)
{
    char *d = dup_exact(url);
    memset(&ures, 0, sizeof ures);
    memset(&ures.u, 0xA5, sizeof ures.u);
    ures.rc = bact_parse_url(d, &ures.u);
    if (ures.rc == BACT_OK) {
        if (ures.u.host < d || ures.u.host + ures.u.host_len > d + strlen(d)) {
            t_fail(__FILE__, __LINE__, "host does not alias the url");
        } else if (ures.u.host_len < sizeof ures.host) {
            memcpy(ures.host, ures.u.host, ures.u.host_len);
            ures.host[ures.u.host_len] = '\0';
            ures.host_off = (size_t)(ures.u.host - d);
        }
    }
    free(d);
    return &ures;
}

static void parse_ok(int line, const char *url, const char *host,
                     unsigned port, int tls, int ipv6, int defport)
{
    const u_res *r = parse(url);
    char msg[900];
    if (r->rc != BACT_OK) {
        snprintf(msg, sizeof msg, "bact_parse_url(\"%.400s\") = %d", url,
                 r->rc);
        t_fail(__FILE__, line, msg);
        return;
    }
    if (strcmp(r->host, host) != 0 || r->u.host_len != strlen(host) ||
        r->u.port != port || r->u.tls != tls || r->u.ipv6 != ipv6 ||
        r->u.default_port != defport) {
        snprintf(msg, sizeof msg,
                 "\"%.300s\": host \"%.300s\" port %u tls %u ipv6 %u default %u",
                 url, r->host, (unsigned)r->u.port, (unsigned)r->u.tls,
                 (unsigned)r->u.ipv6, (unsigned)r->u.default_port);
        t_fail(__FILE__, line, msg);
    }
}

static void parse_bad(int line, const char *url)
{
    const u_res *r = parse(url);
    if (r->rc != BACT_E_ARG) {
        char msg[600];
        snprintf(msg, sizeof msg, "bact_parse_url(\"%.400s\") = %d, want %d",
                 url, r->rc, BACT_E_ARG);
        t_fail(__FILE__, line, msg);
    }
}

static void cb(int line, const char *url, unsigned flags, int want)
{
    char *d = dup_exact(url);
    int rc = bact_check_callback_url(d, flags);
    free(d);
    if (rc != want) {
        char msg[600];
        snprintf(msg, sizeof msg,
                 "bact_check_callback_url(\"%.400s\", %u) = %d, want %d", url,
                 flags, rc, want);
        t_fail(__FILE__, line, msg);
    }
}

#define PARSE_OK(url, host, port, tls, v6, dp)                               \
    parse_ok(__LINE__, url, host, port, tls, v6, dp)
#define PARSE_BAD(url) parse_bad(__LINE__, url)
/* callback allowed / refused, without and with ALLOW_LOOPBACK */
#define CB_OK(url)                                                           \
    do {                                                                     \
        cb(__LINE__, url, 0u, BACT_OK);                                      \
        cb(__LINE__, url, BACT_URL_ALLOW_LOOPBACK, BACT_OK);                 \
    } while (0)
#define CB_BAD(url)                                                          \
    do {                                                                     \
        cb(__LINE__, url, 0u, BACT_E_ARG);                                   \
        cb(__LINE__, url, BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);              \
    } while (0)
/* loopback: refused, but allowed with the flag */
#define CB_LOOP(url)                                                         \
    do {                                                                     \
        cb(__LINE__, url, 0u, BACT_E_ARG);                                   \
        cb(__LINE__, url, BACT_URL_ALLOW_LOOPBACK, BACT_OK);                 \
    } while (0)

static int local_of(const char *h)
{
    char *d = dup_exact(h);
    int r = bact__host_is_local(d, strlen(d));
    free(d);
    return r;
}

static char big[4200];

/* "prefix" + 'a' * (total - strlen(prefix)) */
static const char *long_url(const char *prefix, size_t total)
{
    size_t n = strlen(prefix);
    if (total >= sizeof big || n > total)
        abort();
    memcpy(big, prefix, n);
    memset(big + n, 'a', total - n);
    big[total] = '\0';
    return big;
}

/* ------------------------------------------------------------------ */
/* bact_parse_url                                                       */
/* ------------------------------------------------------------------ */

static void parse_http_https(void)
{
    const u_res *r;
    PARSE_OK("http://example.com", "example.com", 80, 0, 0, 1);
    PARSE_OK("https://api.browseract.com", "api.browseract.com", 443, 1, 0, 1);
    PARSE_OK("http://a", "a", 80, 0, 0, 1);
    PARSE_OK("http://10.0.0.1", "10.0.0.1", 80, 0, 0, 1);
    PARSE_OK("http://my_host-1.example", "my_host-1.example", 80, 0, 0, 1);
    PARSE_OK("http://Zz.example.biz", "Zz.example.biz", 80, 0, 0, 1);
    r = parse("http://example.com");
    CHECK_INT(r->host_off, 7);
    r = parse("https://example.com");
    CHECK_INT(r->host_off, 8);
}

static void parse_scheme_case(void)
{
    PARSE_OK("HTTP://example.com", "example.com", 80, 0, 0, 1);
    PARSE_OK("HtTpS://Example.COM", "Example.COM", 443, 1, 0, 1);
    PARSE_OK("HTTPS://X:8443", "X", 8443, 1, 0, 0);
}

static void parse_scheme_fold(void)
{
    /* a letter of "http" is matched by itself and its upper case only:
     * | 0x20 folds no other byte onto a lower-case letter */
    unsigned k, b;
    for (k = 0; k < 4u; k++) {
        for (b = 1; b < 256u; b++) {
            char url[] = "http://h";
            unsigned l = (unsigned char)url[k];
            url[k] = (char)b;
            CHECK_INT(parse(url)->rc == BACT_OK, b == l || b == l - 32u);
        }
    }
}

/* each byte of the scheme's end ("s" of https, then "://") is matched by
 * itself only (an "s" by its upper case too): one byte off is refused */
static void parse_scheme_separator(void)
{
    static const char *const urls[] = { "http://h", "https://h" };
    unsigned u, k, b;
    for (u = 0; u < 2u; u++) {
        size_t n = strlen(urls[u]);
        for (k = 4; k + 1u < n; k++) {
            for (b = 1; b < 256u; b++) {
                char url[16];
                unsigned l = (unsigned char)urls[u][k];
                memcpy(url, urls[u], n + 1u);
                url[k] = (char)b;
                CHECK_INT(parse(url)->rc == BACT_OK,
                          b == l || (l == 's' && b == 'S'));
            }
        }
    }
    /* (some of them by name) */
    PARSE_BAD("httpr://h");
    PARSE_BAD("httpx//h");
    PARSE_BAD("http:x/h");
}

static void parse_bad_scheme(void)
{
    PARSE_BAD("");
    PARSE_BAD("example.com");
    PARSE_BAD("ftp://example.com");
    PARSE_BAD("httpx://example.com");
    PARSE_BAD("httpss://example.com");
    PARSE_BAD("http:/example.com");
    PARSE_BAD("http:example.com");
    PARSE_BAD("http//example.com");
    PARSE_BAD("//example.com");
    PARSE_BAD(" http://example.com");
    PARSE_BAD("h");
    PARSE_BAD("http");
    PARSE_BAD("https:");
    PARSE_BAD("https:/");
    PARSE_BAD("ws://example.com");
}

static void parse_ports(void)
{
    PARSE_OK("http://h:1", "h", 1, 0, 0, 0);
    PARSE_OK("http://h:65535", "h", 65535, 0, 0, 0);
    PARSE_OK("http://h:8080", "h", 8080, 0, 0, 0);
    PARSE_OK("http://h:80", "h", 80, 0, 0, 1);
    PARSE_OK("http://h:443", "h", 443, 0, 0, 0);
    PARSE_OK("https://h:443", "h", 443, 1, 0, 1);
    PARSE_OK("https://h:80", "h", 80, 1, 0, 0);
    PARSE_OK("http://h:080", "h", 80, 0, 0, 1);
    /* the origin takes six digits of port (leading zeros), not seven */
    PARSE_OK("http://h:008080", "h", 8080, 0, 0, 0);
    PARSE_OK("https://[::1]:000443", "::1", 443, 1, 1, 1);
    PARSE_OK("http://h:8080/", "h", 8080, 0, 0, 0);
}

static void parse_bad_ports(void)
{
    PARSE_BAD("http://h:0");
    PARSE_BAD("http://h:00");
    PARSE_BAD("http://h:0008080");
    PARSE_BAD("http://h:65536");
    PARSE_BAD("http://h:99999");
    PARSE_BAD("http://h:4294967377"); /* 2^32 + 81 must not wrap to 81 */
    PARSE_BAD("http://h:1000000");
    PARSE_BAD("http://h:");
    PARSE_BAD("http://h:/");
    PARSE_BAD("http://h:abc");
    PARSE_BAD("http://h:8o");
    PARSE_BAD("http://h:-1");
    PARSE_BAD("http://h:+80");
    PARSE_BAD("http://h: 80");
    PARSE_BAD("http://h:80 ");
    PARSE_BAD("http://h:80:80");
    PARSE_BAD("http://h::80");
    PARSE_BAD("http://h:0x50");
}

static void parse_ipv6(void)
{
    PARSE_OK("http://[::1]:8080", "::1", 8080, 0, 1, 0);
    PARSE_OK("http://[::1]", "::1", 80, 0, 1, 1);
    PARSE_OK("https://[2001:db8::1]/", "2001:db8::1", 443, 1, 1, 1);
    PARSE_OK("http://[2001:DB8:0:0:8:800:200C:417A]:1",
             "2001:DB8:0:0:8:800:200C:417A", 1, 0, 1, 0);
    PARSE_OK("http://[::ffff:1.2.3.4]", "::ffff:1.2.3.4", 80, 0, 1, 1);
    PARSE_OK("http://[::ffff:0.10.0.0]", "::ffff:0.10.0.0", 80, 0, 1, 1);
    PARSE_BAD("http://[::ffff:010.0.0.1]");
    PARSE_BAD("http://[::1");
    PARSE_BAD("http://[]");
    PARSE_BAD("http://[]:80");
    PARSE_BAD("http://[::1]x");
    PARSE_BAD("http://[::1]:");
    PARSE_BAD("http://[::1]:0");
    PARSE_BAD("http://[::1]:65536");
    PARSE_BAD("http://[::1]]");
    PARSE_BAD("http://[g::1]");
    PARSE_BAD("http://[::1%25eth0]");
    PARSE_BAD("http://[::1 ]");
    /* brackets hold an IPv6 address only: not an IPv4 one, not a name */
    PARSE_BAD("http://[127.0.0.1]");
    PARSE_BAD("http://[localhost]:8080");
    PARSE_BAD("http://[example.com]");
    PARSE_BAD("http://::1");
    PARSE_BAD("http://::1:80");
    PARSE_BAD("http://x[::1]");
}

static void parse_trailing_slash(void)
{
    PARSE_OK("http://example.com/", "example.com", 80, 0, 0, 1);
    PARSE_OK("https://[::1]:9/", "::1", 9, 1, 1, 0);
    PARSE_BAD("http://example.com//");
    PARSE_BAD("http:///");
    PARSE_BAD("http://example.com/v2");
    PARSE_BAD("http://example.com/v2/");
}

static void parse_numeric_hosts(void)
{
    /* spellings inet_aton() reads as one address are taken */
    PARSE_OK("http://127.0.0.1:8080", "127.0.0.1", 8080, 0, 0, 0);
    PARSE_OK("http://127.1", "127.1", 80, 0, 0, 1);
    PARSE_OK("http://0x7f.0.0.1", "0x7f.0.0.1", 80, 0, 0, 1);
    PARSE_OK("http://2130706433", "2130706433", 80, 0, 0, 1);
    PARSE_OK("http://8.8.8.0", "8.8.8.0", 80, 0, 0, 1);
    PARSE_OK("http://0", "0", 80, 0, 0, 1);
    /* names, however many digits and hex letters they hold */
    PARSE_OK("http://cafe1.de", "cafe1.de", 80, 0, 0, 1);
    PARSE_OK("http://1e100.net", "1e100.net", 80, 0, 0, 1);
    PARSE_OK("http://1a.2.3.4", "1a.2.3.4", 80, 0, 0, 1);
    PARSE_OK("http://localhost.", "localhost.", 80, 0, 0, 1);
    /* a part with a leading 0 is octal to the resolver: 127.0.0.010 is
     * 127.0.0.8 there, 0127.0.0.1 is 87.0.0.1; refused, not guessed */
    PARSE_BAD("http://127.0.0.010:8080");
    PARSE_BAD("http://0127.0.0.1");
    PARSE_BAD("http://127.000.000.001");
    PARSE_BAD("http://0x7f.0.0.01");
    /* numeric spellings of no address */
    /* a trailing dot makes a numeric spelling a name to inet_aton() and
     * so to the resolver, which would look it up: refused */
    PARSE_BAD("http://127.0.0.1.:8080");
    PARSE_BAD("http://0x7f.1.");
    PARSE_OK("http://example.com.", "example.com.", 80, 0, 0, 1);
    PARSE_BAD("http://1.2.3.4.5");
    PARSE_BAD("http://256.0.0.1");
    PARSE_BAD("http://1.256.0.1");
    PARSE_BAD("http://4294967296");
    PARSE_BAD("http://0x");
    PARSE_BAD("http://1..2");
    PARSE_BAD("http://.");
    PARSE_BAD("http://..");
}

static void parse_rejects_more_than_origin(void)
{
    PARSE_BAD("http://example.com/path");
    PARSE_BAD("http://example.com?x=1");
    PARSE_BAD("http://example.com/?x=1");
    PARSE_BAD("http://example.com#frag");
    PARSE_BAD("http://example.com/#");
    PARSE_BAD("http://user@example.com");
    PARSE_BAD("http://user:pass@example.com");
    PARSE_BAD("http://@example.com");
    PARSE_BAD("http://example.com:80/x");
    PARSE_BAD("http://example.com\\x");
}

static void parse_bad_hosts(void)
{
    PARSE_BAD("http://");
    PARSE_BAD("https://");
    PARSE_BAD("http://:80");
    PARSE_BAD("http://:80/");
    PARSE_BAD("http://exa mple.com");
    PARSE_BAD("http://example.com ");
    PARSE_BAD("http://ex\tample.com");
    PARSE_BAD("http://ex%41mple.com");
    PARSE_BAD("http://caf\xc3\xa9.com");
    PARSE_BAD("http://ex\x01.com");
    PARSE_BAD("http://a,b");
    PARSE_BAD("http://a;b");
    PARSE_BAD("http://a]b");
}

static void parse_null(void)
{
    bact_url u;
    CHECK_INT(bact_parse_url(NULL, &u), BACT_E_ARG);
    CHECK_INT(bact_parse_url("http://example.com", NULL), BACT_E_ARG);
    CHECK_INT(bact_parse_url(NULL, NULL), BACT_E_ARG);
}

static void parse_lengths(void)
{
    char host[300];
    char url[320];
    memset(host, 'h', 253);
    host[253] = '\0';
    snprintf(url, sizeof url, "http://%s", host);
    PARSE_OK(url, host, 80, 0, 0, 1);
    snprintf(url, sizeof url, "http://%s:8080/", host);
    PARSE_OK(url, host, 8080, 0, 0, 0);
    memset(host, 'h', 254);
    host[254] = '\0';
    snprintf(url, sizeof url, "http://%s", host);
    PARSE_BAD(url);
    /* a URL over 2048 bytes is refused before anything else */
    PARSE_BAD(long_url("http://", 2049));
    PARSE_BAD(long_url("http://", 4000));
}

/* ------------------------------------------------------------------ */
/* bact__host_is_local                                                  */
/* ------------------------------------------------------------------ */

static void host_classes(void)
{
    CHECK_INT(local_of("example.com"), 0);
    CHECK_INT(local_of("93.184.216.34"), 0);
    CHECK_INT(local_of("localhost"), 1);
    CHECK_INT(local_of("LocalHost."), 1);
    CHECK_INT(local_of("8.8.8.8."), 3);
    CHECK_INT(local_of("1e100.net."), 0);
    CHECK_INT(local_of("a.b.localhost"), 1);
    CHECK_INT(local_of("127.0.0.1"), 1);
    CHECK_INT(local_of("127.255.255.254"), 1);
    CHECK_INT(local_of("::1"), 1);
    CHECK_INT(local_of("10.0.0.1"), 2);
    CHECK_INT(local_of("0.0.0.0"), 2);
    CHECK_INT(local_of("::"), 2);
    CHECK_INT(local_of("fe80::1"), 2);
    CHECK_INT(local_of("febf::1"), 2);
    CHECK_INT(local_of("fec0::1"), 2);  /* site-local, once */
    CHECK_INT(local_of("ff02::1"), 2);  /* multicast */
    CHECK_INT(local_of("ffff::"), 2);
    CHECK_INT(local_of("fe7f::1"), 0);
    CHECK_INT(local_of("2001:db8::1"), 0);
    CHECK_INT(local_of("::ffff:224.0.0.1"), 2);
    CHECK_INT(local_of("64:ff9b::100.64.0.1"), 2);
    CHECK_INT(local_of("100.64.0.1"), 2);
    CHECK_INT(local_of("255.255.255.255"), 2);
    /* the most the last part holds after three, two, one or no parts
     * before it, and one more */
    CHECK_INT(local_of("127.0.0.255"), 1);
    CHECK_INT(local_of("127.0.65535"), 1);
    CHECK_INT(local_of("127.16777215"), 1);
    CHECK_INT(local_of("4294967295"), 2);
    CHECK_INT(local_of("0xffffffff"), 2);
    CHECK_INT(local_of("127.0.0.256"), 3);
    CHECK_INT(local_of("127.0.65536"), 3);
    CHECK_INT(local_of("127.16777216"), 3);
    CHECK_INT(local_of("4294967296"), 3);
    CHECK_INT(local_of("0x100000000"), 3);
    CHECK_INT(local_of("223.255.255.255"), 0);
    CHECK_INT(local_of("::ffff:127.0.0.1"), 1);
    CHECK_INT(local_of("::ffff:192.168.0.1"), 2);
    CHECK_INT(local_of("::ffff:8.8.8.8"), 0);
    /* IPv4-compatible (deprecated) and NAT64 (RFC 6052) forms */
    CHECK_INT(local_of("::10.0.0.1"), 2);
    CHECK_INT(local_of("::127.0.0.1"), 1);
    CHECK_INT(local_of("::7f00:1"), 1);
    CHECK_INT(local_of("::8.8.8.8"), 0);
    CHECK_INT(local_of("64:ff9b::10.0.0.1"), 2);
    CHECK_INT(local_of("64:ff9b::c0a8:1"), 2);
    CHECK_INT(local_of("64:ff9b::127.0.0.1"), 1);
    CHECK_INT(local_of("64:ff9b::8.8.8.8"), 0);
    CHECK_INT(local_of("64:ff9b:1::10.0.0.1"), 2); /* local-use (RFC 8215) */
    CHECK_INT(local_of("::1:0:0:10.0.0.1"), 0);
    CHECK_INT(local_of("::1:10.0.0.1"), 0); /* neither mapped nor compatible */
    CHECK_INT(local_of("999.1.1.1"), 3);  /* looks numeric, does not parse */
    CHECK_INT(local_of("127.0.0.010"), 3); /* 127.0.0.8 to inet_aton() */
    CHECK_INT(local_of("1:2"), 3);        /* has a colon, not IPv6 */
    CHECK_INT(local_of("x:y.localhost"), 1); /* a colon, but *.localhost */
    CHECK_INT(local_of("."), 3);
    CHECK_INT(bact__host_is_local("x", 0), 3);
    /* only the given length is looked at */
    CHECK_INT(bact__host_is_local("127.0.0.1", 3), 2); /* "127": 0.0.0.127 */
    CHECK_INT(bact__host_is_local("localhostXYZ", 9), 1);
    CHECK_INT(bact__host_is_local("10.0.0.1.example.com", 8), 2);
}

static void host_ipv6_group_counts(void)
{
    /* an embedded IPv4 address takes the last two of the eight groups:
     * after six written out it fits, after seven it does not */
    CHECK_INT(local_of("0:0:0:0:0:ffff:127.0.0.1"), 1);
    CHECK_INT(local_of("0:0:0:0:0:ffff:10.0.0.1"), 2);
    CHECK_INT(local_of("0:0:0:0:0:ffff:8.8.8.8"), 0);
    CHECK_INT(local_of("2001:db8:0:0:0:0:8.8.8.8"), 0);
    CHECK_INT(local_of("1:2:3:4:5:6:7:8.8.8.8"), 3);
    CB_LOOP("http://[0:0:0:0:0:ffff:127.0.0.1]/");
    /* a leading ':' must be "::" within the given length: the byte after
     * it is not read */
    CHECK_INT(bact__host_is_local("::", 1), 3);
    CHECK_INT(bact__host_is_local("::1", 1), 3);
}

/* bact__host_is_local() of a heap copy of h without its NUL: the
 * sanitizer build sees any read past the n bytes given */
static int local_of_exact(const char *h)
{
    size_t n = strlen(h);
    char *d = (char *)malloc(n ? n : 1u);
    int r;
    if (d == NULL)
        abort();
    memcpy(d, h, n);
    r = bact__host_is_local(d, n);
    free(d);
    return r;
}

static void host_reads_only_its_bytes(void)
{
    static const struct {
        const char *h;
        int cls;
    } t[] = {
        { "example.com", 0 }, { "example.com.", 0 }, { "localhost", 1 },
        { "a.localhost.", 1 }, { "127.0.0.1", 1 }, { "0x7f.1", 1 },
        { "10.0.0.1", 2 }, { "1.2.3.4.", 3 }, { "::1", 1 }, { "::", 2 },
        { "1::", 0 }, { "fe80::1", 2 }, { "1:2:3:4:5:6:7:8", 0 },
        { "::ffff:127.0.0.1", 1 }, { "::ffff:8.8.8.8", 0 }, { "1:", 3 },
        { "::ffff:1.2.3", 3 }, { "12345::", 3 }, { ":", 3 },
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (local_of_exact(t[i].h) != t[i].cls) {
            char msg[120];
            snprintf(msg, sizeof msg, "\"%s\": class %d, want %d", t[i].h,
                     local_of_exact(t[i].h), t[i].cls);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    /* the bytes after the n given are not read: a hex digit, a ':' or a
     * '.' there would make another address of them */
    CHECK_INT(bact__host_is_local("::12", 3), 1);       /* "::1" */
    CHECK_INT(bact__host_is_local("::1.2.3.4", 3), 1);  /* "::1" */
    CHECK_INT(bact__host_is_local("1::", 2), 3);        /* "1:" */
    CHECK_INT(bact__host_is_local("2001:db8::", 9), 3); /* "2001:db8:" */
    /* nor the bytes before: "ocalhost" after "a.l" is a name */
    {
        static const char s[] = "a.localhost";
        CHECK_INT(bact__host_is_local(s + 3, 8), 0);
        CHECK_INT(bact__host_is_local(s + 3, 7), 0);
        CHECK_INT(bact__host_is_local(s + 2, 9), 1);
    }
    CHECK_INT(local_of("ocalhost"), 0);
    CHECK_INT(local_of(""), 3);
}

static void host_ipv6_spellings(void)
{
    /* ::0.0.0.1 is ::1, the loopback: the embedded address's low half
     * is its last group */
    CHECK_INT(local_of("::0.0.0.1"), 1);
    CHECK_INT(local_of("::0.0.0.2"), 2);
    CHECK_INT(local_of("::ffff:0.0.255.254"), 2);
    CHECK_INT(local_of("::0:0:0.0.0.1"), 1);
    /* a leading ':' only as "::": ":12" is no "::2" */
    CHECK_INT(local_of(":12"), 3);
    CHECK_INT(local_of(":1::"), 3);
    CHECK_INT(local_of(":::1"), 3);
}

static void host_localhost_fold(void)
{
    /* the same for each letter of "localhost" (one byte off is no
     * address either) */
    unsigned k, b;
    for (k = 0; k < 9u; k++) {
        for (b = 0; b < 256u; b++) {
            char h[] = "localhost";
            unsigned l = (unsigned char)h[k];
            h[k] = (char)b;
            CHECK_INT(bact__host_is_local(h, 9) == 1, b == l || b == l - 32u);
        }
    }
}

static void host_hexish_names(void)
{
    /* names made of hex letters only are names */
    CHECK_INT(local_of("cafe.face"), 0);
    CHECK_INT(local_of("deadbeef"), 0);
    /* so are hex letters in a part without "0x": inet_aton() reads no
     * number there */
    CHECK_INT(local_of("1e100.net"), 0);
    CHECK_INT(local_of("cafe1.de"), 0);
    CHECK_INT(local_of("1a.2.3.4"), 0);
    CHECK_INT(local_of("7f000001"), 0);
    CHECK_INT(local_of("0x7f.1a"), 0);   /* "1a": no number */
    CHECK_INT(local_of("0xg"), 0);
    /* with "0x", hex digits are a number and must parse */
    CHECK_INT(local_of("0xa"), 2);       /* 0.0.0.10: 0/8 */
    CHECK_INT(local_of("0XA"), 2);
    CHECK_INT(local_of("0x08080808"), 0);
    CHECK_INT(local_of("1.0x7f.1"), 0);  /* 1.127.0.1 */
    CHECK_INT(local_of("0x"), 3);        /* no digits */
    CHECK_INT(local_of("1.0x"), 3);
    CHECK_INT(local_of("0x1ffffffff"), 3); /* over 32 bits */
    CHECK_INT(local_of("x0.1"), 0);      /* "x" first: a name */
}

/* ------------------------------------------------------------------ */
/* bact_check_callback_url                                              */
/* ------------------------------------------------------------------ */

static void cb_public_ok(void)
{
    CB_OK("https://example.com/hook?x=1");
    CB_OK("http://93.184.216.34/x");
    CB_OK("http://[2001:db8::1]/");
    CB_OK("https://example.com");
    CB_OK("HTTPS://EXAMPLE.COM/HOOK");
    CB_OK("https://hooks.example.com:8443/a/b?c=d&e=f#frag");
    CB_OK("http://8.8.8.8");
    CB_OK("http://[2606:4700:4700::1111]:443/dns");
    CB_OK("http://[::ffff:8.8.8.8]/");
    CB_OK("https://example.com./");
    CB_OK("https://user:pass@example.com/");
    CB_OK("https://example.com/@127.0.0.1");
    CB_OK("https://example.com/?u=http://127.0.0.1/");
    CB_OK("https://example.com/#@localhost");
    CB_OK("https://example.com/caf\xc3\xa9");
}

static void cb_localhost_names(void)
{
    CB_LOOP("http://localhost/");
    CB_LOOP("http://localhost");
    CB_LOOP("http://LOCALHOST/");
    CB_LOOP("http://LocalHost:8080/hook");
    CB_LOOP("http://foo.localhost/");
    CB_LOOP("http://a.b.FOO.LOCALHOST/x");
    CB_LOOP("http://localhost./");
    CB_LOOP("http://foo.localhost.:1/");
    /* an empty first label is refused before any name is classed */
    CB_BAD("http://.localhost/");
    /* names that merely contain "localhost" are names */
    CB_OK("http://localhost.example.com/");
    CB_OK("http://notlocalhost/");
    CB_OK("http://mylocalhost.com/");
    CB_OK("http://xlocalhost/");
    CB_OK("http://localhosts/");
}

static void cb_ipv4_loopback_spellings(void)
{
    CB_LOOP("http://127.0.0.1/");
    CB_LOOP("http://127.0.0.1:8080/hook");
    CB_LOOP("http://127.1/");
    CB_LOOP("http://127.0.1/");
    CB_LOOP("http://127.255.255.255/");
    CB_BAD("http://127.0.0.1./"); /* a name to the resolver: refused */
    CB_BAD("https://[93.184.216.34]/"); /* brackets: IPv6 only */
    CB_BAD("https://[example.com]/");
    CB_BAD("https://[]/");
    CB_LOOP("http://0x7f.0.0.1/");
    CB_LOOP("http://0X7F.0.0.1/");
    CB_LOOP("http://0x7f000001/");
    CB_LOOP("http://0x7f.1/");
    CB_LOOP("http://2130706433/");
    CB_LOOP("http://0x7F.0x0.0x0.0x1/");
    /* a part with a '0' before a digit is octal to some readers, decimal
     * to others: refused even where loopback is allowed */
    CB_BAD("http://017700000001/");
    CB_BAD("http://0177.0.0.1/");
    CB_BAD("http://0177.0.0.01/");
    CB_BAD("http://127.000.000.001/");
    CB_BAD("http://127.0.0.01/");
}

static void cb_ipv4_private(void)
{
    CB_BAD("http://10.1.2.3/");
    CB_BAD("http://10.255.255.255/");
    CB_BAD("http://172.16.0.1/");
    CB_BAD("http://172.31.255.255/");
    CB_BAD("http://192.168.1.1/");
    CB_BAD("http://192.168.0.0/");
    CB_BAD("http://169.254.1.1/");
    CB_BAD("http://169.254.169.254/latest/meta-data/");
    CB_BAD("http://0.0.0.0/");
    CB_BAD("http://0/");
    CB_BAD("http://0.1.2.3/");
    /* other spellings */
    CB_BAD("http://167772161/");       /* 10.0.0.1 */
    CB_BAD("http://3232235777/");      /* 192.168.1.1 */
    CB_BAD("http://0xc0.0xa8.1.1/");
    CB_BAD("http://0xa9fea9fe/");      /* 169.254.169.254 */
    CB_BAD("http://012.1.2.3/");       /* 10.1.2.3 */
    CB_BAD("http://10.1/");
    CB_BAD("http://192.168.257/");     /* 192.168.1.1 */
    /* the neighbours are public */
    /* no unicast host on the Internet: shared (100.64/10), multicast
     * (224/4), reserved (240/4) and the broadcast address */
    CB_BAD("http://100.64.0.0/");
    CB_BAD("http://100.127.255.255/");
    CB_BAD("http://224.0.0.1/");
    CB_BAD("http://239.255.255.255/");
    CB_BAD("http://240.0.0.1/");
    CB_BAD("http://255.255.255.255/");
    CB_BAD("http://4294967295/");
    CB_BAD("http://0xffffffff/");
    CB_OK("http://100.63.255.255/");
    CB_OK("http://100.128.0.0/");
    CB_OK("http://223.255.255.255/");
    CB_OK("http://172.32.0.1/");
    CB_OK("http://172.15.255.255/");
    CB_OK("http://11.0.0.1/");
    CB_OK("http://9.255.255.255/");
    CB_OK("http://192.169.0.1/");
    CB_OK("http://192.167.1.1/");
    CB_OK("http://169.253.1.1/");
    CB_OK("http://169.255.1.1/");
    CB_OK("http://128.0.0.1/");
    CB_OK("http://126.255.255.255/");
    CB_OK("http://1.0.0.0/");
    CB_OK("http://134744072/");        /* 8.8.8.8 */
    /* octal 0127 is 87 (public), decimal 0127 is 127 (loopback) */
    CB_BAD("http://0127.0.0.1/");
    CB_BAD("http://010.0.0.1/");       /* 8.0.0.1 or 10.0.0.1 */
    CB_BAD("http://8.8.8.08/");
    CB_OK("http://8.8.8.0/");          /* a lone 0 is no octal part */
    CB_OK("http://0x8.0.0.1/");
}

static void cb_numeric_garbage(void)
{
    /* numeric-looking hosts that do not parse are refused, not guessed */
    CB_BAD("http://256.0.0.1/");
    CB_BAD("http://1.2.3.4.5/");
    CB_BAD("http://1..2.3/");
    CB_BAD("http://.1.2.3/");
    CB_BAD("http://1.2.3.256/");
    /* a part before the last one over 255 is no address (256 would carry
     * into the part before: 1.256.0.1 is not 2.0.0.1) */
    CB_BAD("http://1.256.0.1/");
    CB_BAD("http://1.2.256.1/");
    CB_BAD("http://1.2.65536/");
    CB_BAD("http://1.16777216/");
    CB_BAD("http://4294967296/");
    CB_BAD("http://99999999999999999999/");
    CB_BAD("http://08.0.0.1/");
    CB_BAD("http://0x/");
    CB_OK("http://0xg/"); /* a letter outside hex: a name */
    CB_OK("http://1a.2.3.4/"); /* no number without "0x": a name */
    CB_OK("http://cafe1.de/");
    CB_BAD("http://127.0.0.1../");
}

static void cb_ipv6(void)
{
    CB_LOOP("http://[::1]/");
    CB_LOOP("http://[::1]:8080/x");
    CB_LOOP("http://[0:0:0:0:0:0:0:1]/");
    CB_LOOP("http://[0000::0001]/");
    CB_LOOP("http://[::ffff:127.0.0.1]/");
    CB_LOOP("http://[::FFFF:7f00:1]/");
    CB_BAD("http://[::]/");
    CB_BAD("http://[0:0:0:0:0:0:0:0]/");
    CB_BAD("http://[fc00::1]/");
    CB_BAD("http://[::10.0.0.1]/");
    CB_BAD("http://[64:ff9b::192.168.1.1]:8080/hook");
    CB_BAD("http://[fd12::1]/");
    CB_BAD("http://[FD12:3456::1]/");
    CB_BAD("http://[fdff:ffff::]/");
    CB_BAD("http://[fe80::1]/");
    CB_BAD("http://[FE80::1]/");
    CB_BAD("http://[febf:ffff::1]/");
    CB_BAD("http://[::ffff:10.0.0.1]/");
    CB_BAD("http://[::ffff:192.168.1.1]/");
    CB_BAD("http://[::ffff:169.254.169.254]/");
    CB_BAD("http://[::ffff:0.0.0.0]/");
    CB_BAD("http://[::ffff:a00:1]/");
    /* neighbours of the blocked ranges */
    CB_OK("http://[fb00::1]/");
    CB_OK("http://[fe00::1]/");
    CB_OK("http://[fe7f:ffff::1]/");
    CB_BAD("http://[fec0::1]/"); /* site-local (deprecated), then multicast */
    CB_BAD("http://[ff02::1]/");
    CB_BAD("http://[FF0E::1]/");
    CB_BAD("http://[::2]/"); /* ::0.0.0.2, IPv4-compatible: 0.0.0.0/8 */
    CB_OK("http://[::1:0:0:2]/");
    CB_OK("http://[::8.8.8.8]/");
    CB_OK("http://[64:ff9b::8.8.8.8]/");
    CB_OK("http://[64:ff9a::10.0.0.1]/");
    CB_OK("http://[1::]/");
    CB_OK("http://[1:2:3:4:5:6:7::]/");
    CB_OK("http://[2001:db8::ffff:1.2.3.4]/");
}

static void cb_ipv6_malformed(void)
{
    CB_BAD("http://[::1/");
    CB_BAD("http://[::1]x/");
    CB_BAD("http://[]/");
    CB_BAD("http://[1:2:3:4:5:6:7:8:9]/");
    /* a dotted part after seven groups: nine in all */
    CB_BAD("http://[1:2:3:4:5:6:7:1.2.3.4]/");
    CB_BAD("http://[1:2:3:4:5:6:7:8.8.8.8]/");
    CB_BAD("http://[1::2::3]/");
    CB_BAD("http://[12345::1]/");
    CB_BAD("http://[:1]/");
    CB_BAD("http://[1:]/");
    CB_BAD("http://[:::]/");
    CB_BAD("http://[::ffff:1.2.3]/");
    CB_BAD("http://[::ffff:1.2.3.4.5]/");
    CB_BAD("http://[::ffff:256.1.1.1]/");
    CB_BAD("http://[::ffff:0x7f.0.0.1]/");
    /* the dotted part is plain decimal: a leading zero (octal to
     * inet_aton, 010 = 8) is no address, not 8.0.0.1, which is public */
    CB_BAD("http://[::ffff:010.0.0.1]/");
    CB_BAD("http://[::ffff:10.00.0.1]/");
    CB_BAD("http://[64:ff9b::08.8.8.8]/");
    CB_BAD("http://[::ffff:1.2.3.04]/");
    CB_BAD("http://[::1%25eth0]/");
    CB_BAD("http://[fe80::1%eth0]/");
    CB_BAD("http://[g::1]/");
    CB_BAD("http://::1/");
}

static void cb_userinfo(void)
{
    CB_LOOP("http://user:pass@127.0.0.1/");
    CB_LOOP("http://evil.com@127.0.0.1/");
    CB_LOOP("http://a@b@127.0.0.1/");
    CB_LOOP("http://user@[::1]/");
    CB_LOOP("http://example.com@localhost:80/");
    CB_BAD("http://u:p@10.0.0.1:8080/");
    /* the last '@' in the authority decides */
    CB_OK("http://127.0.0.1@evil.com/");
    CB_OK("http://user:pass@127.0.0.1@evil.com/");
    CB_OK("http://[::1]@evil.com/");
    /* an '@' after the authority is not userinfo */
    CB_LOOP("http://127.0.0.1/@evil.com");
    CB_LOOP("http://127.0.0.1?@evil.com");
    CB_LOOP("http://127.0.0.1#@evil.com");
    CB_BAD("http://user@/");
}

static void cb_scheme_and_syntax(void)
{
    CB_BAD("ftp://example.com/");
    CB_BAD("file:///etc/passwd");
    CB_BAD("javascript:alert(1)");
    CB_BAD("gopher://example.com/");
    CB_BAD("example.com/hook");
    CB_BAD("//example.com/hook");
    CB_BAD("http:/example.com/");
    CB_BAD("");
    CB_BAD("http://");
    CB_BAD("http:///hook");
    CB_BAD("http://:80/hook");
    CB_BAD("http://?x");
    CB_BAD("http://#x");
    /* spaces and control bytes anywhere */
    CB_BAD("http://exa mple.com/");
    CB_BAD(" http://example.com/");
    CB_BAD("http://example.com/a b");
    CB_BAD("http://example.com/ ");
    CB_BAD("http://example.com/\t");
    CB_BAD("http://example.com/x\r\nHost: evil");
    CB_BAD("http://example.com/\x7f");
    CB_BAD("http://example.com/\x01");
    CB_BAD("http://example.com/\x1f");
    /* host bytes outside the DNS set */
    CB_BAD("http://exa%6dple.com/");
    CB_BAD("http://caf\xc3\xa9.com/");
    CB_BAD("http://a,b/");
    CB_BAD("http://a\"b/");
    /* an empty label anywhere in a name (".." in it) */
    CB_BAD("http://a..b/");
    CB_BAD("http://example..com/");
    CB_BAD("http://a.b../");
    /* a path, query or fragment holds any printable byte but '\\' */
    CB_OK("https://example.com/a!b");
    CB_OK("https://example.com/!$&'()*+,;=");
    CB_OK("https://example.com/?q=\"<>^`{|}~");
    /* a port of five digits at most (leading zeros count) */
    CB_OK("https://example.com:08443/");
    CB_BAD("https://example.com:008443/");
    CB_BAD("https://example.com:000443/");
}

static void cb_null(void)
{
    CHECK_INT(bact_check_callback_url(NULL, 0u), BACT_E_ARG);
    CHECK_INT(bact_check_callback_url(NULL, BACT_URL_ALLOW_LOOPBACK),
              BACT_E_ARG);
}

static void cb_length_limit(void)
{
    const char *u;
    u = long_url("https://example.com/", 2048);
    CHECK_INT(strlen(u), 2048);
    CB_OK(u);
    u = long_url("https://example.com/", 2049);
    CB_BAD(u);
    u = long_url("https://example.com/", 4100);
    CB_BAD(u);
    /* a long host part: the limit applies to the whole URL */
    u = long_url("https://", 2048);
    CB_OK(u);
}

static void cb_allow_loopback_only_loopback(void)
{
    cb(__LINE__, "http://127.0.0.1/", BACT_URL_ALLOW_LOOPBACK, BACT_OK);
    cb(__LINE__, "http://[::1]/", BACT_URL_ALLOW_LOOPBACK, BACT_OK);
    cb(__LINE__, "http://localhost/", BACT_URL_ALLOW_LOOPBACK, BACT_OK);
    cb(__LINE__, "http://10.0.0.1/", BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);
    cb(__LINE__, "http://0.0.0.0/", BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);
    cb(__LINE__, "http://[::]/", BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);
    cb(__LINE__, "http://192.168.1.1/", BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);
    cb(__LINE__, "http://[fe80::1]/", BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);
    cb(__LINE__, "ftp://127.0.0.1/", BACT_URL_ALLOW_LOOPBACK, BACT_E_ARG);
    /* unknown flag bits do not open anything up */
    cb(__LINE__, "http://10.0.0.1/", 0xFFFFFFFEu, BACT_E_ARG);
    cb(__LINE__, "http://127.0.0.1/", 0xFFFFFFFEu, BACT_E_ARG);
}

/* ------------------------------------------------------------------ */
/* Found while testing                                                  */
/* ------------------------------------------------------------------ */

static void regress_backslash_hides_host(void)
{
    /* WHATWG URL parsers (browsers, Node's URL, many webhook senders) treat
     * '\' in an http(s) URL as '/', so the host of this URL is 127.0.0.1;
     * the check skips "127.0.0.1\" as userinfo and approves "example.com".
     * A '\' is not valid in any part of an RFC 3986 URL: refuse it. */
    CB_BAD("http://127.0.0.1\\@example.com/");
    CB_BAD("http://169.254.169.254\\@example.com/");
}

static void regress_ipv6_nine_groups_with_trailing_gap(void)
{
    /* "::" after eight groups stands for zero groups: malformed (RFC 4291
     * 2.2). ipv6_parse() stores the gap position 8, which is also its
     * "no gap" sentinel, so the literal passes as 1:2:3:4:5:6:7:8. */
    CHECK_INT(local_of("1:2:3:4:5:6:7:8::"), 3);
    CB_BAD("http://[1:2:3:4:5:6:7:8::]/");
}

static void regress_ipv6_6to4_teredo_inner_ipv4(void)
{
    /* 6to4 (2002:a.b.c.d::/48) and Teredo (2001:0:server::~client) carry
     * an IPv4 address that a host with such a tunnel sends to: one that
     * is not public must not pass as a public IPv6 address */
    CHECK_INT(local_of("2002:a00:1::1"), 2);        /* 10.0.0.1 */
    CHECK_INT(local_of("2002:c0a8:101::"), 2);      /* 192.168.1.1 */
    CHECK_INT(local_of("2002:a9fe:a9fe::"), 2);     /* 169.254.169.254 */
    CHECK_INT(local_of("2002:7f00:1::"), 2);        /* 127.0.0.1: refused */
    CHECK_INT(local_of("2002::"), 2);               /* 0.0.0.0 */
    CHECK_INT(local_of("2002:808:808::1"), 0);      /* 8.8.8.8 */
    CHECK_INT(local_of("2001:0:a00:1::808:808"), 2); /* server 10.0.0.1 */
    CHECK_INT(local_of("2001:0:a00:1:0:0:f7f7:f7f7"), 2); /* ... alone */
    /* client 10.0.0.1, its bits inverted: f5ff:fffe */
    CHECK_INT(local_of("2001:0:808:808::f5ff:fffe"), 2);
    CHECK_INT(local_of("2001:0:808:808::ffff:ffff"), 2); /* client 0.0.0.0 */
    CHECK_INT(local_of("2001:0:808:808:0:0:f7f7:f7f7"), 0); /* 8.8.8.8 */
    CHECK_INT(local_of("2001:1::a00:1"), 0);        /* not Teredo */
    CHECK_INT(local_of("2003:a00:1::"), 0);         /* not 6to4 */
    CB_BAD("http://[2002:a00:1::1]/");
    CB_BAD("http://[2002:7f00:1::]/");
    CB_BAD("http://[2001:0:808:808::f5ff:fffe]/");
    CB_BAD("http://[2001:0:808:808:0:0:245.255.255.254]/");
    CB_OK("http://[2002:808:808::1]/");
    CB_OK("http://[2001:0:808:808::f7f7:f7f7]/");
}

static void regress_ipv6_siit_and_local_nat64(void)
{
    /* SIIT's translated form (::ffff:0:a.b.c.d) carries an IPv4 address
     * as the mapped form does; NAT64's local-use prefix (64:ff9b:1::/48,
     * RFC 8215) is local by definition, whatever it carries */
    CHECK_INT(local_of("::ffff:0:a00:1"), 2);         /* 10.0.0.1 */
    CHECK_INT(local_of("::ffff:0:10.0.0.1"), 2);
    CHECK_INT(local_of("::ffff:0:a9fe:a9fe"), 2);     /* 169.254.169.254 */
    CHECK_INT(local_of("::ffff:0:7f00:1"), 1);        /* 127.0.0.1 */
    CHECK_INT(local_of("::ffff:0:0:1"), 2);           /* 0.0.0.1, not ::1 */
    CHECK_INT(local_of("::ffff:0:808:808"), 0);       /* 8.8.8.8 */
    CHECK_INT(local_of("::fffe:0:a00:1"), 0);         /* neither form */
    CHECK_INT(local_of("64:ff9b:1::808:808"), 2);
    CHECK_INT(local_of("64:ff9b:1:ffff::"), 2);
    CHECK_INT(local_of("64:ff9b:2::a00:1"), 0);       /* outside the /48 */
    CHECK_INT(local_of("64:ff9b::808:808"), 0);       /* well-known, public */
    CB_BAD("http://[::ffff:0:a00:1]/");
    CB_BAD("http://[64:ff9b:1::808:808]/");
    CB_OK("http://[::ffff:0:808:808]/");
}

static const t_case cases[] = {
    T_CASE(parse_http_https),
    T_CASE(parse_scheme_case),
    T_CASE(parse_scheme_fold),
    T_CASE(parse_scheme_separator),
    T_CASE(parse_bad_scheme),
    T_CASE(parse_ports),
    T_CASE(parse_bad_ports),
    T_CASE(parse_ipv6),
    T_CASE(parse_trailing_slash),
    T_CASE(parse_numeric_hosts),
    T_CASE(parse_rejects_more_than_origin),
    T_CASE(parse_bad_hosts),
    T_CASE(parse_null),
    T_CASE(parse_lengths),
    T_CASE(host_classes),
    T_CASE(host_ipv6_group_counts),
    T_CASE(host_localhost_fold),
    T_CASE(host_reads_only_its_bytes),
    T_CASE(host_ipv6_spellings),
    T_CASE(host_hexish_names),
    T_CASE(cb_public_ok),
    T_CASE(cb_localhost_names),
    T_CASE(cb_ipv4_loopback_spellings),
    T_CASE(cb_ipv4_private),
    T_CASE(cb_numeric_garbage),
    T_CASE(cb_ipv6),
    T_CASE(cb_ipv6_malformed),
    T_CASE(cb_userinfo),
    T_CASE(cb_scheme_and_syntax),
    T_CASE(cb_null),
    T_CASE(cb_length_limit),
    T_CASE(cb_allow_loopback_only_loopback),
    T_CASE(regress_backslash_hides_host),
    T_CASE(regress_ipv6_nine_groups_with_trailing_gap),
    T_CASE(regress_ipv6_6to4_teredo_inner_ipv4),
    T_CASE(regress_ipv6_siit_and_local_nat64),
};

int main(void)
{
    return t_main("url", cases, sizeof cases / sizeof cases[0]);
}
