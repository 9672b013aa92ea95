/*
 * bact_mbedtls.c - the TLS transport: mbedTLS over any inner bact_transport.
 *
 * Builds against mbedTLS 2.28 (Debian's libmbedtls-dev, or a device build
 * with config/bact_mbedtls2_config.h) and 3.6 LTS (config/
 * bact_mbedtls_config.h, optionally the TLS 1.3 variant); the differences
 * are the #if MBEDTLS_VERSION_NUMBER blocks below.
 *
 * How the pieces fit:
 *  - mbedTLS talks to the network only through bio_send/bio_recv, which
 *    call the inner transport with the time left in the current window and
 *    translate its four outcomes (bytes, 0 = WANT_*, BACT_E_CLOSED = EOF,
 *    error) for mbedTLS. They also watch the TLS record headers go by, so an
 *    oversize record can be told from other bad records.
 *  - open() = inner open + a handshake bounded by timeout_ms; the session is
 *    kept for the next open() (TLS 1.2 right after the handshake, TLS 1.3
 *    when a NewSessionTicket arrives).
 *  - The verify callback decides the validity dates from the port's time
 *    source (not mbedTLS's own clock), and tells full handshakes from
 *    resumed ones: it runs only when a certificate chain is verified.
 *  - A host name goes to mbedTLS (SNI and its name check); an IP literal
 *    host does not (no SNI): the verify callback matches it against the
 *    leaf's iPAddress entries.
 */
#include <string.h>
#include <time.h>

#include "bact.h"
#include "bact_mbedtls.h"

#include <mbedtls/asn1.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/version.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#if MBEDTLS_VERSION_NUMBER < 0x02100000 ||                                    \
    (MBEDTLS_VERSION_NUMBER >= 0x03000000 && MBEDTLS_VERSION_NUMBER < 0x03060000)
#error "bact_mbedtls: mbedTLS 2.28 or 3.6 LTS expected"
#endif

#if defined(MBEDTLS_SSL_PROTO_TLS1_3) && MBEDTLS_VERSION_NUMBER >= 0x03000000
#define BACT_TLS13 1
#else
#define BACT_TLS13 0
#endif

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define BAD_VERSION MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION
#else
#define BAD_VERSION MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION
#endif

#define HS_MAX_IDLE_NO_CLOCK 2u     /* inner calls in a row that moved
                                       nothing, without a clock */
#define HS_MAX_CALLS 256u           /* inner calls of a handshake, and */
#define IO_MAX_CALLS 32u            /* of a send or recv, when no clock can
                                       bound them (none, or timeout 0) */
#define CLOCK_FREE_CALLS 4u         /* inner calls of an operation before
                                       op_over() reads the clock */
#define HS_MAX_ROUNDS 100000u       /* hard cap on handshake steps */
#define READ_MAX_ROUNDS 64u         /* ssl_read calls per recv that moved
                                       bytes but gave no application data */

static const char pers[] = "bact_mbedtls";

/* ------------------------------------------------------------------ */
/* Time windows                                                         */
/* ------------------------------------------------------------------ */

static void window_start(bact_tls *t, uint32_t ms)
{
    t->timeout_ms = ms;
    t->win_lazy = 0;
    t->op_calls = 0;
    if (t->now_ms != NULL)
        t->win_start = t->now_ms(t->clock_ctx);
}

/* Bytes moved: during the handshake the inactivity window restarts. */
static void moved(bact_tls *t)
{
    t->progress = 1;
    t->idle_calls = 0;
    if (t->hs_active && t->now_ms != NULL)
        t->win_start = t->now_ms(t->clock_ctx);
}

static void idle(bact_tls *t)
{
    if (t->idle_calls < 255u)
        t->idle_calls++;
}

/* What an inner call may wait now: the rest of the window. A window of
 * send or recv opens at its first inner call (no clock is read before),
 * so the time mbedTLS computes before it is not counted: only waits are. */
static uint32_t window_left(bact_tls *t)
{
    uint32_t now, el, left;
    if (t->now_ms == NULL || t->timeout_ms == 0)
        return t->timeout_ms;
    if (t->win_lazy) {
        t->win_lazy = 0;
        t->win_start = t->now_ms(t->clock_ctx);
        return t->timeout_ms;
    }
    now = t->now_ms(t->clock_ctx);
    el = now - t->win_start;
    left = el >= t->timeout_ms ? 0u : t->timeout_ms - el;
    if (t->hs_active) { /* nor past the handshake's whole time */
        el = now - t->hs_t0;
        if (el >= t->hs_total)
            return 0u;
        if (t->hs_total - el < left)
            left = t->hs_total - el;
    }
    return left;
}

/* The handshake is out of time: timeout_ms without a byte moving, or
 * 4 x timeout_ms in all. */
static int hs_late(const bact_tls *t, uint32_t now)
{
    return now - t->hs_t0 >= t->hs_total ||
           now - t->win_start >= t->timeout_ms;
}

/* 1: the operation is over its time (with a clock) or its count of inner
 * calls (without one, or with timeout 0): the BIO callbacks then answer
 * WANT_* without calling the inner transport. mbedTLS skips warning alerts
 * (and empty records) in a loop of its own that only ends when a callback
 * says WANT_*, so bytes that keep coming would otherwise hold it there,
 * past any timeout. */
static int op_over(bact_tls *t)
{
    uint32_t now;

    if (t->op_calls < 0xFFFFu)
        t->op_calls++;
    if (t->now_ms == NULL || t->timeout_ms == 0)
        return t->op_calls > (t->hs_active ? HS_MAX_CALLS : IO_MAX_CALLS);
    if (t->win_lazy || t->op_calls <= CLOCK_FREE_CALLS)
        return 0; /* a record takes two inner reads: no clock read for
                     the usual operation, only for one that goes on */
    now = t->now_ms(t->clock_ctx);
    if (t->hs_active)
        return hs_late(t, now);
    return now - t->win_start >= t->timeout_ms;
}

/* ------------------------------------------------------------------ */
/* The BIO callbacks                                                    */
/* ------------------------------------------------------------------ */

/* Follow the record stream (mbedTLS reads exactly header, then body), to
 * remember the length the last record header declared, and the description
 * of an alert sent in clear. */
static void track_records(bact_tls *t, const unsigned char *p, size_t n)
{
    while (n > 0) {
        if (t->rec_left > 0 && t->rec_hdr[0] == 21u && t->rec_len == 2u) {
            if (--t->rec_left == 0) /* the second byte: the description */
                t->alert = *p;
            p++;
            n--;
            continue;
        }
        if (t->rec_left > 0) {
            size_t k = n < t->rec_left ? n : t->rec_left;
            t->rec_left -= (uint32_t)k;
            p += k;
            n -= k;
            continue;
        }
        if (t->rec_hdr_n == 0 && n >= sizeof t->rec_hdr) { /* a whole one */
            memcpy(t->rec_hdr, p, sizeof t->rec_hdr);
            p += sizeof t->rec_hdr;
            n -= sizeof t->rec_hdr;
            t->rec_hdr_n = sizeof t->rec_hdr;
        } else {
            t->rec_hdr[t->rec_hdr_n++] = *p++;
            n--;
        }
        if (t->rec_hdr_n == sizeof t->rec_hdr) {
            t->rec_len = (uint32_t)t->rec_hdr[3] << 8 | t->rec_hdr[4];
            t->rec_left = t->rec_len;
            t->rec_hdr_n = 0;
        }
    }
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    bact_tls *t = (bact_tls *)ctx;
    int32_t r;

    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    t->out_left = (uint32_t)len; /* what is left of a record: all of it */
    if (op_over(t))
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    r = t->inner.send(t->inner.io, buf, len, window_left(t));
    if (r > 0 && (size_t)r <= len) {
        t->out_left -= (uint32_t)r;
        moved(t);
        return (int)r;
    }
    if (r == 0) {
        idle(t);
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    t->inner_err = (r < 0 && r != BACT_E_CLOSED) ? (int)r : BACT_E_NET;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    bact_tls *t = (bact_tls *)ctx;
    int32_t r;

    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    if (t->stash_r != 0 && len > 0) { /* the keep-alive check's answer */
        r = t->stash_r;
        t->stash_r = 0;
        if (r == 1)
            buf[0] = t->stash;
    } else if (op_over(t)) {
        return MBEDTLS_ERR_SSL_WANT_READ;
    } else {
        /* The rest of a record whose start came is most likely here
         * already: asked for first without a wait (no clock read, no wait
         * set up); only when it is not yet here is the window read. */
        r = 0;
        if (t->rec_left + t->rec_hdr_n != 0)
            r = t->inner.recv(t->inner.io, buf, len, 0);
        if (r == 0)
            r = t->inner.recv(t->inner.io, buf, len, window_left(t));
    }
    if (r > 0 && (size_t)r <= len) {
        track_records(t, buf, (size_t)r);
        moved(t);
        return (int)r;
    }
    if (r == 0) {
        idle(t);
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    if (r == BACT_E_CLOSED) {
        t->peer_eof = 1;
        return 0; /* EOF: mbedTLS makes it MBEDTLS_ERR_SSL_CONN_EOF */
    }
    t->inner_err = r < 0 ? (int)r : BACT_E_NET;
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

/* ------------------------------------------------------------------ */
/* Certificate checks: dates from the port's clock, IP literal hosts   */
/* ------------------------------------------------------------------ */

/* Seconds since the epoch (UTC) as YYYYMMDDhhmmss. 32-bit arithmetic
 * only: a small MCU has no 64-bit divide, and libgcc's costs ~0.9 KB. */
static int64_t civil_key(int64_t s)
{
    uint32_t q, days, rem, era, doe, yoe, doy, mp, y, m, d;
    if (s < 0)
        s = 0;
    if (s > 253402300799) /* 9999-12-31T23:59:59 */
        s = 253402300799;
    /* 86400 = 128 * 675: two 32-bit steps instead of a 64-bit division */
    q = (uint32_t)((uint64_t)s >> 7);
    days = q / 675u;
    rem = (q % 675u) * 128u + ((uint32_t)s & 127u);
    /* days since 1970-01-01 to a proleptic Gregorian date */
    days += 719468u;
    era = days / 146097u;
    doe = days - era * 146097u;
    yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    y = yoe + era * 400u;
    doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    mp = (5u * doy + 2u) / 153u;
    d = doy - (153u * mp + 2u) / 5u + 1u;
    m = mp < 10u ? mp + 3u : mp - 9u;
    if (m <= 2u)
        y++;
    return ((((((int64_t)y * 100 + m) * 100 + d) * 100 + rem / 3600u) * 100 +
             rem % 3600u / 60u) * 100) + rem % 60u;
}

static int64_t x509_key(const mbedtls_x509_time *x)
{
    return (((((int64_t)x->year * 100 + x->mon) * 100 + x->day) * 100 +
             x->hour) * 100 + x->min) * 100 + x->sec;
}

/* An IP literal host is checked here, not by mbedTLS: it matches only an
 * iPAddress entry of the subjectAltName with its bytes (RFC 6125 6.2.1,
 * RFC 9110 4.3.5), never a dNSName or URI entry or a CN that spells the
 * address, as mbedTLS's own name check would (2.28 and 3.6). */

/* 1: an iPAddress entry of crt's subjectAltName holds these bytes; the
 * bytes of an IP literal host (IPv6 without brackets) in ip: 4 or 16, or 0
 * for a host name. 3.6 lists every subjectAltName entry raw and reads IPv6
 * literals itself; 2.28 lists dNSName and otherName only, so there the
 * extension is read again, and the literal with parsers of our own. */

/* An IPv4 host as the resolver reads it (inet_aton(), lwIP's
 * ip4addr_aton()), for that is the address connected to: one to four
 * parts, each decimal, octal after a leading 0 or hex after "0x", the last
 * filling the bytes left ("127.1" is 127.0.0.1, "0x7f.1" too, "127.0.0.010"
 * is 127.0.0.8). 0 and the address in out, or -1: no such spelling (a name
 * to the resolver, "127.0.0.1." among them). */
static int ipv4_aton(const char *s, unsigned char out[4])
{
    uint32_t addr = 0;
    unsigned n = 0; /* parts before this one */

    for (;;) {
        uint64_t v = 0; /* (under 2^36: tested at each digit) */
        unsigned base = 10u, digits = 0, c, d;
        if (*s == '0') { /* octal, or hex after "0x" (the '0' then read) */
            base = 8u;
            if ((s[1] | 0x20) == 'x') {
                base = 16u;
                s += 2;
            }
        }
        for (;; s++, digits++) { /* a byte of no digit of base ends it */
            c = (unsigned char)*s;
            d = c - '0' < 10u ? c - '0' : (c | 0x20u) - 'a' < 6u
                                              ? (c | 0x20u) - 'a' + 10u
                                              : 16u;
            if (d >= base)
                break;
            v = v * base + d;
            if (v > 0xFFFFFFFFu)
                return -1;
        }
        if (digits == 0)
            return -1;
        if (*s == '\0') { /* the last part fills the bytes left */
            if (v > (0xFFFFFFFFu >> (8u * n)))
                return -1;
            addr |= (uint32_t)v;
            break;
        }
        if (*s++ != '.' || n == 3u || v > 255u)
            return -1; /* (8 or 9 in an octal part ends here too) */
        addr |= (uint32_t)v << (24u - 8u * n++);
    }
    out[0] = (unsigned char)(addr >> 24);
    out[1] = (unsigned char)(addr >> 16);
    out[2] = (unsigned char)(addr >> 8);
    out[3] = (unsigned char)addr;
    return 0;
}
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
static int san_has_ip(const mbedtls_x509_crt *crt, const unsigned char *ip,
                      size_t ip_len)
{
    const mbedtls_x509_sequence *s;

    for (s = &crt->subject_alt_names; s != NULL; s = s->next)
        if (s->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC |
                           MBEDTLS_X509_SAN_IP_ADDRESS) &&
            s->buf.len == ip_len && memcmp(s->buf.p, ip, ip_len) == 0)
            return 1;
    return 0;
}

static size_t host_ip(const char *host, unsigned char ip[16])
{
    if (ipv4_aton(host, ip) == 0)
        return 4;
    return strchr(host, ':') != NULL
               ? mbedtls_x509_crt_parse_cn_inet_pton(host, ip) : 0u;
}
#else
/* The IPv4 end of an IPv6 text: four decimal parts, none with a leading
 * zero (inet_pton(), as 3.6 reads it). */
static int parse_ipv4(const char *s, unsigned char out[4])
{
    unsigned i, v, digits;
    for (i = 0; i < 4; i++) {
        v = 0;
        digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (digits > 0 && v == 0)
                return -1; /* a leading zero */
            v = v * 10u + (unsigned)(*s++ - '0');
            if (++digits > 3 || v > 255u)
                return -1;
        }
        if (digits == 0 || (i < 3 && *s++ != '.'))
            return -1;
        out[i] = (unsigned char)v;
    }
    return *s == '\0' ? 0 : -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_ipv6(const char *s, unsigned char out[16])
{
    unsigned char w[16];
    int n = 0, gap = -1, k;

    if (s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
    }
    while (*s != '\0') {
        unsigned v = 0, digits = 0;
        const char *start = s;
        if (n >= 16)
            return -1;
        while (hexval(*s) >= 0 && digits < 5) {
            v = v * 16u + (unsigned)hexval(*s++);
            digits++;
        }
        if (*s == '.' && n <= 12) { /* embedded IPv4 at the end */
            if (parse_ipv4(start, w + n) != 0)
                return -1;
            n += 4;
            break;
        }
        if (digits == 0 || digits > 4)
            return -1;
        w[n++] = (unsigned char)(v >> 8);
        w[n++] = (unsigned char)v;
        if (*s == '\0')
            break;
        if (*s++ != ':')
            return -1;
        if (*s == ':') {
            if (gap >= 0)
                return -1;
            gap = n;
            s++;
        } else if (*s == '\0') {
            return -1;
        }
    }
    if (gap < 0) {
        if (n != 16)
            return -1;
        memcpy(out, w, 16);
        return 0;
    }
    if (n > 14)
        return -1;
    memset(out, 0, 16);
    memcpy(out, w, (size_t)gap);
    k = n - gap;
    memcpy(out + 16 - k, w + gap, (size_t)k);
    return 0;
}

static int san_has_ip(const mbedtls_x509_crt *crt, const unsigned char *ip,
                      size_t ip_len)
{
    unsigned char *p = crt->v3_ext.p;
    const unsigned char *end;
    size_t len;

    if (p == NULL || crt->v3_ext.len == 0)
        return 0;
    end = p + crt->v3_ext.len;
    if (mbedtls_asn1_get_tag(&p, end, &len,
                             MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return 0;
    end = p + len;
    while (p < end) {
        unsigned char *q;
        const unsigned char *ext_end, *gn_end;
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
                                                    MBEDTLS_ASN1_SEQUENCE))
            return 0;
        q = p;
        ext_end = p + len;
        p += len;
        if (mbedtls_asn1_get_tag(&q, ext_end, &len, MBEDTLS_ASN1_OID))
            return 0;
        if (len != 3 || memcmp(q, "\x55\x1d\x11", 3) != 0)
            continue; /* not subjectAltName (2.5.29.17) */
        q += len;
        if (q < ext_end && *q == MBEDTLS_ASN1_BOOLEAN) {
            if (mbedtls_asn1_get_tag(&q, ext_end, &len, MBEDTLS_ASN1_BOOLEAN))
                return 0;
            q += len;
        }
        if (mbedtls_asn1_get_tag(&q, ext_end, &len, MBEDTLS_ASN1_OCTET_STRING))
            return 0;
        gn_end = q + len;
        if (mbedtls_asn1_get_tag(&q, gn_end, &len, MBEDTLS_ASN1_CONSTRUCTED |
                                                      MBEDTLS_ASN1_SEQUENCE))
            return 0;
        gn_end = q + len;
        while (q < gn_end) {
            unsigned char tag = *q++;
            if (mbedtls_asn1_get_len(&q, gn_end, &len))
                return 0;
            if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && len == ip_len &&
                memcmp(q, ip, ip_len) == 0)
                return 1;
            q += len;
        }
        return 0;
    }
    return 0;
}
static size_t host_ip(const char *host, unsigned char ip[16])
{
    if (ipv4_aton(host, ip) == 0)
        return 4;
    return parse_ipv6(host, ip) == 0 ? 16u : 0u;
}
#endif /* 2.28 */

/* Called for each certificate of the chain, root first, with the flags
 * mbedTLS found; whatever we leave in *flags decides. */
static int verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth,
                     uint32_t *flags)
{
    bact_tls *t = (bact_tls *)ctx;
    const uint32_t dates =
        MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE;

    t->verify_called = 1;
    /* The dates are ours to decide: mbedTLS's own clock may be absent or
     * not the one the port trusts. */
    *flags &= ~dates;
    if (t->hs_now >= 0) {
        if (t->hs_now > x509_key(&crt->valid_to))
            *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
        if (t->hs_now < x509_key(&crt->valid_from))
            *flags |= MBEDTLS_X509_BADCERT_FUTURE;
    } else {
        t->hs_dates_checked = 0; /* chain and name are still checked */
    }
    if (depth == 0) { /* an IP host: mbedTLS was given no name to check */
        unsigned char ip[16];
        size_t n = host_ip(t->host, ip);
        if (n > 0 && !san_has_ip(crt, ip, n))
            *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    }
    return 0;
}

static int64_t default_time(void *ctx)
{
    time_t now = time(NULL);
    (void)ctx;
    return now == (time_t)-1 ? -1 : (int64_t)now;
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

static bact_tls_reason reason_from_flags(uint32_t f)
{
    if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        return BACT_TLS_CERT_UNTRUSTED;
    if (f & MBEDTLS_X509_BADCERT_EXPIRED)
        return BACT_TLS_CERT_EXPIRED;
    if (f & MBEDTLS_X509_BADCERT_FUTURE)
        return BACT_TLS_CERT_NOT_YET_VALID;
    if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
        return BACT_TLS_CERT_NAME_MISMATCH;
    return BACT_TLS_CERT_OTHER;
}

/* mbedTLS refused a record (INVALID_RECORD in 2.28, BAD_INPUT_DATA in 3.6)
 * whose header was a well-formed TLS header declaring more than the input
 * buffer holds. (A plain-HTTP answer also fails as INVALID_RECORD, with a
 * "length" made of text: its type byte is not a TLS content type.) */
static int record_too_big(const bact_tls *t, int ret)
{
    unsigned type = t->rec_hdr[0];
    return (ret == MBEDTLS_ERR_SSL_INVALID_RECORD ||
            ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA) &&
           type >= 20u && type <= 23u && t->rec_hdr[1] == 3u &&
           t->rec_len > MBEDTLS_SSL_IN_CONTENT_LEN;
}

static int fail(bact_tls *t, bact_tls_reason why, int err)
{
    t->reason = why;
    return err;
}

/* A failed handshake: always BACT_E_TLS, except a timeout. */
static int handshake_error(bact_tls *t, int ret)
{
    uint32_t f;

    t->mbed_err = ret;
    f = mbedtls_ssl_get_verify_result(&t->ssl);
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ||
        (t->verify_called && f != 0 && f != 0xFFFFFFFFu)) {
        t->verify_flags = f;
        return fail(t, reason_from_flags(f), BACT_E_TLS);
    }
    if (record_too_big(t, ret))
        return fail(t, BACT_TLS_RECORD_TOO_BIG, BACT_E_TLS);
    if (ret == BAD_VERSION ||
        (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE &&
         t->alert == MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION))
        return fail(t, BACT_TLS_VERSION, BACT_E_TLS);
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
        return fail(t, BACT_TLS_ALERT, BACT_E_TLS);
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF ||
        ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || t->inner_err != 0)
        return fail(t, BACT_TLS_CLOSED_IN_HANDSHAKE, BACT_E_TLS);
    return fail(t, BACT_TLS_HANDSHAKE, BACT_E_TLS);
}

static void drop_session(bact_tls *t);

/* A failure of send or recv after the handshake. A connection that ends
 * with a fatal alert, sent or received, must not be resumed (RFC 5246
 * 7.2.2), so every TLS error forgets the session. A failure of the inner
 * transport (a reset, a broken pipe) or a close without close_notify is no
 * TLS error (RFC 5246 7.2.1): the session stays. */
static int io_error(bact_tls *t, int ret)
{
    t->mbed_err = ret;
    if (t->inner_err != 0)
        return fail(t, BACT_TLS_NONE, t->inner_err);
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF)
        return fail(t, BACT_TLS_TRUNCATED, BACT_E_NET);
    drop_session(t);
    if (record_too_big(t, ret))
        return fail(t, BACT_TLS_RECORD_TOO_BIG, BACT_E_TLS);
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
        return fail(t, BACT_TLS_ALERT, BACT_E_TLS);
    return fail(t, BACT_TLS_PROTOCOL, BACT_E_TLS);
}

static void begin_op(bact_tls *t, uint32_t timeout_ms)
{
    t->reason = BACT_TLS_NONE;
    t->inner_err = 0;
    t->timeout_ms = timeout_ms;
    t->win_lazy = 1;
    t->op_calls = 0;
}

/* ------------------------------------------------------------------ */
/* Sessions                                                             */
/* ------------------------------------------------------------------ */

static void drop_session(bact_tls *t)
{
    if (t->has_session) {
        mbedtls_ssl_session_free(&t->session);
        mbedtls_ssl_session_init(&t->session);
    }
    t->has_session = 0;
    t->sess_unbound = 0;
}

/* Keep the connection's session for the next open(). mbedTLS lets each
 * session be exported once (3.x), so this runs once per handshake or per
 * TLS 1.3 ticket. */
static void keep_session(bact_tls *t)
{
    mbedtls_ssl_session s;

    mbedtls_ssl_session_init(&s);
    if (mbedtls_ssl_get_session(&t->ssl, &s) != 0) {
        mbedtls_ssl_session_free(&s);
        return;
    }
    drop_session(t);
    t->session = s; /* moved: s is not freed, but its master secret is
                       not left behind on the stack */
    mbedtls_platform_zeroize(&s, sizeof s);
    t->has_session = 1;
    t->sess_dates_checked = t->dates_checked;
}

/* ------------------------------------------------------------------ */
/* The transport                                                        */
/* ------------------------------------------------------------------ */

/* The handshake, bounded: with a clock, timeout_ms without a byte moving
 * (the window restarts whenever one does) and 4 x timeout_ms in all;
 * without one, HS_MAX_IDLE_NO_CLOCK inner calls in a row that moved nothing
 * or HS_MAX_CALLS in all (each may wait timeout_ms). A handshake never
 * hangs, also not while a peer keeps sending warning alerts. */
static int handshake(bact_tls *t, uint32_t timeout_ms)
{
    uint32_t total = timeout_ms > 0x3FFFFFFFu ? 0xFFFFFFFFu
                                              : 4u * timeout_ms;
    unsigned rounds = 0;
    int ret;

    window_start(t, timeout_ms);
    t->hs_t0 = t->win_start;
    t->hs_total = total;
    t->idle_calls = 0;
    t->hs_active = 1;
    for (;;) {
        ret = mbedtls_ssl_handshake(&t->ssl);
        if (ret != MBEDTLS_ERR_SSL_WANT_READ &&
            ret != MBEDTLS_ERR_SSL_WANT_WRITE)
            break;
        if (++rounds > HS_MAX_ROUNDS) {
            ret = MBEDTLS_ERR_SSL_TIMEOUT;
            break;
        }
        if (t->now_ms != NULL) {
            if (hs_late(t, t->now_ms(t->clock_ctx))) {
                ret = MBEDTLS_ERR_SSL_TIMEOUT;
                break;
            }
        } else if (t->idle_calls >= HS_MAX_IDLE_NO_CLOCK ||
                   t->op_calls > HS_MAX_CALLS) {
            ret = MBEDTLS_ERR_SSL_TIMEOUT;
            break;
        }
    }
    t->hs_active = 0;
    if (ret == 0)
        return BACT_OK;
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT) {
        t->mbed_err = ret;
        /* before the handshake completes every failure is a TLS one */
        return fail(t, BACT_TLS_TIMEOUT, BACT_E_TLS);
    }
    return handshake_error(t, ret);
}

static int is_tls13(const bact_tls *t)
{
#if BACT_TLS13
    return mbedtls_ssl_get_version_number(&t->ssl) ==
           MBEDTLS_SSL_VERSION_TLS1_3;
#else
    (void)t;
    return 0;
#endif
}

static void tls_close(void *io);

static int tls_open(void *io, const char *host, size_t host_len,
                    uint16_t port, uint32_t timeout_ms)
{
    bact_tls *t = (bact_tls *)io;
    int ret, rc;

    begin_op(t, timeout_ms);
    t->mbed_err = 0;
    t->verify_flags = 0;
    t->resumed = 0;
    t->dates_checked = 0;
    if (!t->ready)
        return fail(t, BACT_TLS_CONFIG, BACT_E_TLS);
    if (t->open)
        tls_close(t);
    if (host == NULL || host_len == 0 || host_len >= sizeof t->host ||
        memchr(host, '\0', host_len) != NULL)
        return BACT_E_DNS;

    /* A session belongs to the host:port it was made with: resuming it
     * with another server would skip that server's certificate check. */
    if (t->has_session && !t->sess_unbound &&
        (port != t->port || strlen(t->host) != host_len ||
         memcmp(t->host, host, host_len) != 0))
        drop_session(t);
    t->sess_unbound = 0;
    memcpy(t->host, host, host_len);
    t->host[host_len] = '\0';
    t->port = port;

    if (t->inner.open != NULL) {
        rc = t->inner.open(t->inner.io, host, host_len, port, timeout_ms);
        if (rc != BACT_OK)
            return rc < 0 ? rc : BACT_E_CONNECT;
    }
    memset(t->rec_hdr, 0, sizeof t->rec_hdr);
    t->out_left = 0; /* mbedtls_ssl_session_reset() drops what was left */
    t->out_mine = 0;
    t->peer_eof = 0;
    t->peer_notify = 0;
    t->rec_hdr_n = 0;
    t->stash_r = 0;
    t->alert = -1;
    t->rec_left = t->rec_len = 0;
    t->verify_called = 0;
    t->hs_dates_checked = 1;
    {
        bact_tls_time_fn now = t->now != NULL ? t->now : default_time;
        int64_t s = now(t->now_ctx);
        /* only -1 says "unknown": any other value is a time (one
         * before 1970 is read as 1970, when nothing is valid yet) */
        t->hs_now = s == -1 ? -1 : civil_key(s);
    }
    ret = mbedtls_ssl_session_reset(&t->ssl);
    /* A host name is sent as SNI and checked by mbedTLS. An IP literal is
     * neither: RFC 6066 3 forbids it as SNI, and NULL tells mbedTLS (3.6:
     * documented) that verify_cb checks the name. An absolute name's
     * trailing dot ("api.example.com.") is no part of either: SNI carries
     * none (RFC 6066 3) and certificates name hosts without one, so it is
     * left out (mbedTLS copies the name), unless what is left would read
     * as an address: such a name stays a name that matches nothing. */
    if (ret == 0) {
        unsigned char ip[16];
        char *dot = host_len > 1 && t->host[host_len - 1] == '.'
                        ? t->host + host_len - 1
                        : NULL;
        int is_ip = host_ip(t->host, ip) > 0;
        if (dot != NULL && !is_ip) {
            *dot = '\0';
            if (host_ip(t->host, ip) > 0)
                *dot = '.';
        }
        ret = mbedtls_ssl_set_hostname(&t->ssl, is_ip ? NULL : t->host);
        if (dot != NULL)
            *dot = '.';
    }
    if (ret != 0) {
        t->mbed_err = ret;
        rc = fail(t, BACT_TLS_CONFIG, BACT_E_TLS);
        goto out;
    }
    if (t->has_session && mbedtls_ssl_set_session(&t->ssl, &t->session) != 0)
        drop_session(t); /* not usable here: a full handshake follows */

    rc = handshake(t, timeout_ms);
    if (t->verify_called)
        t->dates_checked = t->hs_dates_checked;
    if (rc != BACT_OK) {
        drop_session(t);
        goto out;
    }
    t->open = 1;
    t->handshakes++;
    t->resumed = (uint8_t)!t->verify_called;
    if (t->resumed) {
        t->resumptions++;
        t->dates_checked = t->sess_dates_checked;
    }
    if (!is_tls13(t))
        keep_session(t); /* TLS 1.3 tickets come later, in recv */
    return BACT_OK;
out:
    if (t->inner.close != NULL)
        t->inner.close(t->inner.io);
    return rc;
}

static int32_t tls_send(void *io, const uint8_t *data, size_t len,
                        uint32_t timeout_ms)
{
    bact_tls *t = (bact_tls *)io;
    int ret, theirs;

    begin_op(t, timeout_ms);
    if (!t->open)
        return BACT_E_NET;
    if (len == 0)
        return 0;
    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    /* A record mbedTLS made itself may be left to send: the
     * no_renegotiation alert that answers a HelloRequest, when it could
     * not go out during a recv. mbedtls_ssl_write() then only finishes
     * that record, yet answers as if it had taken the caller's bytes (it
     * takes anything left for a record of the caller's, which it is only
     * when this call's last answer was "nothing yet"): that count is not
     * passed on, the data is written after it. */
    theirs = t->out_left > 0 && t->out_mine == 0;
    /* A record of the caller's data begun by an earlier send ("nothing
     * yet"): mbedTLS only finishes it, and answers with whatever length it
     * is given, so it is given the record's. The caller offers those bytes
     * first again; offering fewer cannot be kept (they went in the record) */
    if (t->out_mine > 0) {
        if (len < t->out_mine)
            return fail(t, BACT_TLS_NONE, BACT_E_ARG);
        if (t->out_left == 0) { /* a recv finished it meanwhile (mbedTLS */
            ret = (int)t->out_mine; /* sends what is pending before an */
            t->out_mine = 0;        /* alert of its own, instead of it) */
            return (int32_t)ret;
        }
        len = t->out_mine;
    }
    ret = mbedtls_ssl_write(&t->ssl, data, len);
    if (ret > 0 && theirs) { /* that record went out whole: now the data */
        theirs = 0;
        ret = mbedtls_ssl_write(&t->ssl, data, len);
    }
    if (ret > 0) {
        t->out_mine = 0;
        return (int32_t)ret;
    }
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
        if (theirs || t->out_left == 0) {
            t->out_mine = 0;
        } else if (t->out_mine == 0) { /* this call began the record */
            int max = mbedtls_ssl_get_max_out_record_payload(&t->ssl);
            if (max > 0 && (size_t)max < len)
                len = (size_t)max; /* as mbedTLS cut it */
            t->out_mine = (uint32_t)len;
        }
        return 0;
    }
#if BACT_TLS13 && defined(MBEDTLS_SSL_SESSION_TICKETS)
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
        keep_session(t);
        return 0;
    }
#endif
    return io_error(t, ret);
}

static int32_t tls_recv(void *io, uint8_t *buf, size_t len,
                        uint32_t timeout_ms)
{
    bact_tls *t = (bact_tls *)io;
    unsigned i;
    int probe = 0;

    begin_op(t, timeout_ms);
    if (!t->open)
        return BACT_E_NET;
    /* A clean close reads the same every time (bact_port.h): mbedTLS
     * itself would read on, and take the FIN after it for a truncation */
    if (t->peer_notify)
        return BACT_E_CLOSED;
    if (len == 0)
        return 0;
    if (len > 0x7FFFFFFFu)
        len = 0x7FFFFFFFu;
    /* A probe: one byte, no wait, on a stream at rest (no record begun,
     * nothing decrypted and unread). That is how the core asks whether a
     * kept-alive connection is still idle before it reuses it. If this call
     * then takes in only part of a record, "nothing yet" would be a lie
     * for that question (an answer nobody asked for is coming, and would be
     * read as the next one): it fails instead, and the core reconnects.
     * Nothing else does: a read that finds a record already begun, or
     * that asks for more than one byte (non-blocking polling for data),
     * gets 0 for a record still coming, as the contract says.
     *
     * Nothing may be waited for (the core's check of a kept-alive
     * connection before it is reused): unless mbedTLS already holds bytes,
     * one byte asked of the inner transport tells, without a trip through
     * the record layer. Anything else it answers (a byte, a close, an
     * error) is what bio_recv() gives mbedTLS first. */
    if (timeout_ms == 0 && t->stash_r == 0 &&
        mbedtls_ssl_check_pending(&t->ssl) == 0) {
        int32_t r;
        probe = len == 1 && t->rec_left == 0 && t->rec_hdr_n == 0;
        r = t->inner.recv(t->inner.io, &t->stash, 1, 0);
        if (r == 0)
            return 0;
        t->stash_r = r > 1 ? BACT_E_NET : r; /* more than asked: a lie */
    }
    for (i = 0; i < READ_MAX_ROUNDS; i++) {
        int ret;
        t->progress = 0;
        ret = mbedtls_ssl_read(&t->ssl, buf, len);
        if (ret > 0)
            return (int32_t)ret;
        /* 0: the transport's EOF without a close_notify, or two empty
         * records in a row (mbedTLS skips one; four are an error) */
        if (ret == 0) {
            if (t->peer_eof)
                return io_error(t, MBEDTLS_ERR_SSL_CONN_EOF);
            continue;
        }
        if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
            ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
            /* Bytes moved but no application data yet (a record split
             * across reads, a TLS 1.3 NewSessionTicket being handled):
             * go on while the window lasts. */
            if (t->progress)
                continue;
            break;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            t->peer_notify = 1;
            return BACT_E_CLOSED;
        }
#if BACT_TLS13 && defined(MBEDTLS_SSL_SESSION_TICKETS)
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            keep_session(t); /* and read on */
            continue;
        }
#endif
        return io_error(t, ret);
    }
    if (probe && (t->rec_left > 0 || t->rec_hdr_n > 0))
        return BACT_E_NET; /* not idle: see above */
    return 0;
}

static void tls_close(void *io)
{
    bact_tls *t = (bact_tls *)io;

    if (t->open) {
        /* best effort, without waiting. With a record left to send
         * (a send that answered "nothing yet"), mbedTLS only finishes
         * that one: once it went out, the close_notify is asked again */
        uint32_t pending = t->out_left;
        window_start(t, 0);
        if (mbedtls_ssl_close_notify(&t->ssl) == 0 && pending > 0)
            (void)mbedtls_ssl_close_notify(&t->ssl);
        if (t->inner.close != NULL)
            t->inner.close(t->inner.io);
    }
    t->open = 0;
}

/* ------------------------------------------------------------------ */
/* Setup                                                                */
/* ------------------------------------------------------------------ */

/* ECDHE with AEAD only; the build's config may narrow it further (suites
 * not compiled in are skipped by mbedTLS). */
static const int suites[] = {
#if BACT_TLS13
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,
    MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,
#endif
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0
};

/* Fast groups first (2.28's default list starts with secp521r1); P-384
 * last, for servers whose own key is on it. */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
static const uint16_t groups[] = {
#if defined(MBEDTLS_ECP_DP_CURVE25519_ENABLED)
    MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
#endif
#if defined(MBEDTLS_ECP_DP_SECP256R1_ENABLED)
    MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
#endif
#if defined(MBEDTLS_ECP_DP_SECP384R1_ENABLED)
    MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,
#endif
    MBEDTLS_SSL_IANA_TLS_GROUP_NONE
};
#else
static const mbedtls_ecp_group_id curves[] = {
#if defined(MBEDTLS_ECP_DP_CURVE25519_ENABLED)
    MBEDTLS_ECP_DP_CURVE25519,
#endif
#if defined(MBEDTLS_ECP_DP_SECP256R1_ENABLED)
    MBEDTLS_ECP_DP_SECP256R1,
#endif
#if defined(MBEDTLS_ECP_DP_SECP384R1_ENABLED)
    MBEDTLS_ECP_DP_SECP384R1,
#endif
    MBEDTLS_ECP_DP_NONE
};
#endif

static int count_certs(const mbedtls_x509_crt *c)
{
    int n = 0;
    for (; c != NULL; c = c->next)
        if (c->raw.len > 0)
            n++;
    return n;
}

static int load_anchors(bact_tls *t, const bact_tls_config *cfg)
{
    int ret;

    if (cfg->ca_file != NULL) {
#if defined(MBEDTLS_FS_IO)
        ret = mbedtls_x509_crt_parse_file(&t->ca, cfg->ca_file);
        /* > 0: some certificates were skipped (algorithms this build
         * lacks); fine while at least one was loaded */
        if (ret < 0) {
            t->mbed_err = ret;
            return -1;
        }
#else
        return -1;
#endif
    }
    if (cfg->ca != NULL && cfg->ca_len > 0) {
        ret = mbedtls_x509_crt_parse(&t->ca, cfg->ca, cfg->ca_len);
        if (ret < 0) {
            t->mbed_err = ret;
            return -1;
        }
    }
    return count_certs(&t->ca) > 0 ? 0 : -1;
}

int bact_tls_init(bact_tls *t, const bact_transport *inner,
                  const bact_tls_config *cfg)
{
    int ret;

    if (t == NULL)
        return BACT_E_ARG;
    memset(t, 0, sizeof *t);
    mbedtls_ssl_init(&t->ssl);
    mbedtls_ssl_config_init(&t->conf);
    mbedtls_x509_crt_init(&t->ca);
    mbedtls_entropy_init(&t->entropy);
    mbedtls_ctr_drbg_init(&t->drbg);
    mbedtls_ssl_session_init(&t->session);
    if (inner == NULL || cfg == NULL || inner->send == NULL ||
        inner->recv == NULL)
        return BACT_E_ARG;
    t->inner = *inner;
    t->alert = -1;
    t->now = cfg->now;
    t->now_ctx = cfg->now_ctx;
    if (cfg->platform != NULL && cfg->platform->now_ms != NULL) {
        t->now_ms = cfg->platform->now_ms;
        t->clock_ctx = cfg->platform->ctx;
    }
    t->reason = BACT_TLS_CONFIG;

#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    if (psa_crypto_init() != PSA_SUCCESS)
        return BACT_E_TLS;
#endif
    ret = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy,
                                (const unsigned char *)pers, sizeof pers - 1);
    if (ret != 0) {
        t->mbed_err = ret;
        return BACT_E_TLS;
    }
    if (load_anchors(t, cfg) != 0)
        return BACT_E_TLS;

    ret = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        t->mbed_err = ret;
        return BACT_E_TLS;
    }
    mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
    mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
    mbedtls_ssl_conf_verify(&t->conf, verify_cb, t);
    mbedtls_ssl_conf_ciphersuites(&t->conf, suites);
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_ssl_conf_min_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_groups(&t->conf, groups);
#else
    mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_curves(&t->conf, curves);
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(&t->conf,
                                     MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
#if BACT_TLS13 && MBEDTLS_VERSION_NUMBER >= 0x03060100
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        &t->conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
#endif
    ret = mbedtls_ssl_setup(&t->ssl, &t->conf);
    if (ret != 0) {
        t->mbed_err = ret;
        return BACT_E_TLS;
    }
    mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
    t->reason = BACT_TLS_NONE;
    t->ready = 1;
    return BACT_OK;
}

void bact_tls_transport(bact_transport *out, bact_tls *t)
{
    out->io = t;
    out->open = tls_open;
    out->send = tls_send;
    out->recv = tls_recv;
    out->close = tls_close;
}

void bact_tls_free(bact_tls *t)
{
    if (t == NULL)
        return;
    tls_close(t);
    mbedtls_ssl_session_free(&t->session);
    mbedtls_ssl_free(&t->ssl);
    mbedtls_ssl_config_free(&t->conf);
    mbedtls_x509_crt_free(&t->ca);
    mbedtls_ctr_drbg_free(&t->drbg);
    mbedtls_entropy_free(&t->entropy);
    t->ready = 0;
    t->has_session = 0;
}

/* ------------------------------------------------------------------ */
/* Queries and sessions                                                 */
/* ------------------------------------------------------------------ */

bact_tls_reason bact_tls_last_reason(const bact_tls *t)
{
    return t != NULL ? t->reason : BACT_TLS_NONE;
}

const char *bact_tls_reason_text(bact_tls_reason r)
{
    switch (r) {
    case BACT_TLS_NONE:
        return "no TLS error";
    case BACT_TLS_CERT_EXPIRED:
        return "certificate has expired";
    case BACT_TLS_CERT_NOT_YET_VALID:
        return "certificate is not valid yet";
    case BACT_TLS_CERT_NAME_MISMATCH:
        return "certificate does not match the host name";
    case BACT_TLS_CERT_UNTRUSTED:
        return "certificate is not trusted (unknown CA or self-signed)";
    case BACT_TLS_CERT_OTHER:
        return "certificate verification failed";
    case BACT_TLS_HANDSHAKE:
        return "handshake failed";
    case BACT_TLS_ALERT:
        return "the server sent a fatal alert";
    case BACT_TLS_RECORD_TOO_BIG:
        return "record larger than the receive buffer";
    case BACT_TLS_TRUNCATED:
        return "connection closed without close_notify (truncated)";
    case BACT_TLS_CLOSED_IN_HANDSHAKE:
        return "connection closed during the handshake";
    case BACT_TLS_CONFIG:
        return "bad configuration (trust anchors, random source)";
    case BACT_TLS_PROTOCOL:
        return "protocol error";
    case BACT_TLS_VERSION:
        return "no common protocol version with the server";
    case BACT_TLS_TIMEOUT:
        return "the handshake timed out";
    }
    return "TLS error";
}

int bact_tls_last_alert(const bact_tls *t)
{
    return t != NULL ? t->alert : -1;
}

int bact_tls_dates_checked(const bact_tls *t)
{
    return t != NULL && t->dates_checked;
}

unsigned bact_tls_handshakes(const bact_tls *t)
{
    return t != NULL ? t->handshakes : 0u;
}

unsigned bact_tls_resumptions(const bact_tls *t)
{
    return t != NULL ? t->resumptions : 0u;
}

int bact_tls_resumed(const bact_tls *t)
{
    return t != NULL && t->resumed;
}

int bact_tls_session_save(const bact_tls *t, uint8_t *buf, size_t cap,
                          size_t *len)
{
    int ret;

    if (t == NULL || len == NULL || (buf == NULL && cap > 0))
        return BACT_E_ARG;
    *len = 0;
    if (!t->has_session)
        return BACT_E_ARG;
    ret = mbedtls_ssl_session_save(&t->session, buf, cap, len);
    if (ret == MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL)
        return BACT_E_BUF;
    return ret == 0 ? BACT_OK : BACT_E_ARG;
}

int bact_tls_session_load(bact_tls *t, const uint8_t *buf, size_t len)
{
    mbedtls_ssl_session s;

    if (t == NULL || buf == NULL || len == 0)
        return BACT_E_ARG;
    mbedtls_ssl_session_init(&s);
    if (mbedtls_ssl_session_load(&s, buf, len) != 0) {
        mbedtls_ssl_session_free(&s);
        return BACT_E_ARG;
    }
    drop_session(t);
    t->session = s; /* moved (and its secret not left on the stack) */
    mbedtls_platform_zeroize(&s, sizeof s);
    t->has_session = 1;
    t->sess_unbound = 1;      /* offered to the next open(), any host */
    t->sess_dates_checked = 0; /* not known for a blob from outside */
    return BACT_OK;
}
