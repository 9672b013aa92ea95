/*
 * tls_heap.c - the TLS memory benchmark: what mbedTLS allocates for the
 * library's HTTPS path, phase by phase, and what crosses the wire.
 *
 *   tls_heap --url https://127.0.0.1:PORT --ca-der FILE --task ID
 *            [--key K] [--requests N] [--polls M] [--label TEXT]
 *            [--goal-peak BYTES] [--contrast] [--log-big BYTES]
 *
 * The heap is seen through calloc/free (and realloc, malloc, only to stay
 * exact) defined in this executable. They take precedence over the C
 * library's for every caller: Debian's mbedTLS .so reaches them through its
 * PLT, a static mbedTLS 3.6 through mbedtls_calloc's default (calloc). Each
 * block gets an entry in a pointer -> size table, so live and peak bytes are
 * exact *requested* bytes (no allocator overhead), as in TLS-NOTES.md §1.
 * Allocations whose caller is the C library itself (getaddrinfo on each
 * connect, stdio) are counted apart and never enter the table, so the
 * figures are mbedTLS's (the bact library and its POSIX port allocate
 * nothing).
 *
 * Phases (each resets the per-phase counters; "peak" is the absolute peak
 * of live bytes, everything mbedTLS holds included):
 *   init       bact_tls_init: trust anchor (DER, through bact_tls_config.ca),
 *              entropy + CTR-DRBG, the ssl config and mbedtls_ssl_setup (the
 *              record buffers are allocated here, not per connection)
 *   first      the first bact_get_task_status: TCP connect, full handshake,
 *              request, response (the connection is kept alive)
 *   idle       live bytes after it, the connection still open
 *   keepalive  N more polls on that connection: allocations must be 0
 *   polls      M polls against a server that closes after each response
 *              (POST /_mock/config {"close": true} first): each one connects
 *              again and should resume the session (bact_tls_handshakes /
 *              bact_tls_resumptions)
 *   free       bact_tls_free: live bytes must come back to 0
 * Wire bytes are counted by a transport wrapped around the POSIX one (TLS
 * records, no TCP/IP headers); the handshake alone is read when open()
 * returns.
 *
 * Output: stdout gets two markdown table rows ("MAIN|..." and
 * "DETAIL|...", for tests/bench/tls_bench.sh), stderr a report per phase.
 * --log-big B also lists every block of B bytes or more allocated in the
 * first phase, and what was live at the peak, by call site.
 */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bact.h"
#include "bact_mbedtls.h"
#include "bact_posix.h"

#include <mbedtls/version.h>

/* ------------------------------------------------------------------ */
/* Heap accounting                                                      */
/* ------------------------------------------------------------------ */

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

#define TAB_BITS 16u
#define TAB_SIZE (1u << TAB_BITS)
#define SITE_FRAMES 8
#define SITE_MAX 4096u
#define SNAP_MAX 8192u

typedef struct blk {
    uintptr_t p; /* 0: empty */
    size_t n;
    unsigned site;
} blk;

typedef struct site {
    void *pc[SITE_FRAMES];
    int used;
} site;

typedef struct snap {
    size_t n;
    unsigned site;
} snap;

/* per-phase counters */
typedef struct phase {
    size_t start_live, peak, end_live;
    unsigned long allocs, frees, other_allocs, libc_callocs;
    unsigned long long bytes;
} phase;

static blk tab[TAB_SIZE];
static size_t tab_used;
static site sites[SITE_MAX];
static snap peak_snap[SNAP_MAX], idle_snap[SNAP_MAX];
static size_t peak_snap_n, peak_snap_live, idle_snap_n, idle_snap_live;
static int tracking, tab_overflow, in_hook, record_sites, snap_on;
static size_t log_big; /* 0: off */
static size_t live;
static phase cur;
static uintptr_t libc_lo[8], libc_hi[8];
static unsigned libc_ranges;

static unsigned tab_hash(uintptr_t p)
{
    return (unsigned)((((uint64_t)p >> 4) * 0x9E3779B97F4A7C15ull) >>
                      (64u - TAB_BITS));
}

static void tab_put(uintptr_t p, size_t n, unsigned s)
{
    unsigned i = tab_hash(p);
    if (tab_used + 1 >= TAB_SIZE) {
        tab_overflow = 1;
        return;
    }
    while (tab[i].p != 0)
        i = (i + 1u) & (TAB_SIZE - 1u);
    tab[i].p = p;
    tab[i].n = n;
    tab[i].site = s;
    tab_used++;
}

/* Remove p; its size in *n. 0 when p is not ours. */
static int tab_take(uintptr_t p, size_t *n)
{
    unsigned i = tab_hash(p), j, k;
    while (tab[i].p != p) {
        if (tab[i].p == 0)
            return 0;
        i = (i + 1u) & (TAB_SIZE - 1u);
    }
    *n = tab[i].n;
    tab_used--;
    /* backward-shift deletion (linear probing without tombstones) */
    j = i;
    for (;;) {
        j = (j + 1u) & (TAB_SIZE - 1u);
        if (tab[j].p == 0)
            break;
        k = tab_hash(tab[j].p);
        if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
            tab[i] = tab[j];
            i = j;
        }
    }
    tab[i].p = 0;
    return 1;
}

static int from_libc(const void *ra)
{
    uintptr_t a = (uintptr_t)ra;
    unsigned i;
    for (i = 0; i < libc_ranges; i++)
        if (a >= libc_lo[i] && a < libc_hi[i])
            return 1;
    return 0;
}

/* The executable text of libc.so.6, from /proc/self/maps. */
static void find_libc(void)
{
    char line[512];
    FILE *f = fopen("/proc/self/maps", "r");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL && libc_ranges < 8u) {
        unsigned long lo, hi;
        char perm[8];
        if (strstr(line, "/libc.so") == NULL && strstr(line, "/libc-") == NULL)
            continue;
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 && perm[2] == 'x') {
            libc_lo[libc_ranges] = (uintptr_t)lo;
            libc_hi[libc_ranges] = (uintptr_t)hi;
            libc_ranges++;
        }
    }
    fclose(f);
}

/* The call stack of an allocation, as a site index (the wrappers' own
 * frames are stored too and skipped when named). */
static unsigned site_of(void)
{
    void *bt[SITE_FRAMES];
    int n, i;
    unsigned h = 0, k, tries;

    n = backtrace(bt, SITE_FRAMES);
    for (i = 0; i < n; i++)
        h = h * 31u + (unsigned)((uintptr_t)bt[i] >> 2);
    k = h & (SITE_MAX - 1u);
    for (tries = 0; tries < SITE_MAX; tries++, k = (k + 1u) & (SITE_MAX - 1u)) {
        site *s = &sites[k];
        int same = 1;
        if (!s->used) {
            for (i = 0; i < SITE_FRAMES; i++)
                s->pc[i] = i < n ? bt[i] : NULL;
            s->used = 1;
            return k;
        }
        for (i = 0; i < SITE_FRAMES; i++)
            if (s->pc[i] != (i < n ? bt[i] : NULL))
                same = 0;
        if (same)
            return k;
    }
    return SITE_MAX; /* table full: unknown */
}

static void big_block(size_t n, unsigned s);

static void snapshot(snap *out, size_t *n, size_t *total)
{
    size_t i;
    *n = 0;
    *total = live;
    for (i = 0; i < TAB_SIZE && *n < SNAP_MAX; i++)
        if (tab[i].p != 0) {
            out[*n].n = tab[i].n;
            out[*n].site = tab[i].site;
            (*n)++;
        }
}

static void account_alloc(void *p, size_t n)
{
    unsigned s = SITE_MAX;
    if (record_sites && !in_hook) {
        in_hook = 1;
        s = site_of();
        in_hook = 0;
    }
    tab_put((uintptr_t)p, n, s);
    live += n;
    cur.allocs++;
    cur.bytes += n;
    if (live > cur.peak) {
        cur.peak = live;
        if (snap_on)
            snapshot(peak_snap, &peak_snap_n, &peak_snap_live);
    }
    if (log_big > 0 && n >= log_big && record_sites)
        big_block(n, s);
}

void *calloc(size_t n, size_t m)
{
    void *p = __libc_calloc(n, m);
    if (p != NULL && tracking && !in_hook) {
        if (from_libc(__builtin_return_address(0))) {
            cur.libc_callocs++;
        } else if (m == 0 || n <= (size_t)-1 / m) {
            account_alloc(p, n * m);
        }
    }
    return p;
}

void free(void *p)
{
    size_t n;
    if (p != NULL && tab_used > 0 && tab_take((uintptr_t)p, &n)) {
        live -= n;
        cur.frees++;
    }
    __libc_free(p);
}

void *malloc(size_t n)
{
    if (tracking && !in_hook)
        cur.other_allocs++;
    return __libc_malloc(n);
}

void *realloc(void *old, size_t n)
{
    size_t was = 0;
    int ours = old != NULL && tab_used > 0 && tab_take((uintptr_t)old, &was);
    void *p = __libc_realloc(old, n);
    if (ours) {
        live -= was;
        if (p == NULL && n != 0) { /* the old block is still there */
            tab_put((uintptr_t)old, was, SITE_MAX);
            live += was;
        } else if (p != NULL) {
            account_alloc(p, n);
        }
    } else if (tracking && !in_hook) {
        cur.other_allocs++;
    }
    return p;
}

static void phase_begin(void)
{
    memset(&cur, 0, sizeof cur);
    cur.start_live = live;
    cur.peak = live;
}

static phase phase_end(void)
{
    cur.end_live = live;
    return cur;
}

/* ------------------------------------------------------------------ */
/* Naming call sites (reports only)                                     */
/* ------------------------------------------------------------------ */

static char self_path[4096];

/* Names of the program counters seen in recorded sites: from the dynamic
 * symbol table when the address lies inside a symbol (the .so, and the
 * executable's exported functions: it is linked with -rdynamic), else, in
 * the executable, from addr2line (static functions), else "file+offset". */
#define NAME_MAX_PCS 8192u
static struct {
    void *pc;
    char name[96];
} names[NAME_MAX_PCS];
static unsigned nnames;

static const char *pc_name(void *pc)
{
    unsigned i;
    for (i = 0; i < nnames; i++)
        if (names[i].pc == pc)
            return names[i].name;
    return "?";
}

static void resolve_names(void)
{
    Dl_info di;
    uintptr_t exe_base = 0;
    unsigned i, j, k, pending[NAME_MAX_PCS], npend = 0;

    if (dladdr(&tab, &di) != 0)
        exe_base = (uintptr_t)di.dli_fbase;
    for (i = 0; i < SITE_MAX; i++) {
        if (!sites[i].used)
            continue;
        for (j = 0; j < SITE_FRAMES && sites[i].pc[j] != NULL; j++) {
            void *pc = sites[i].pc[j];
            void *symp = NULL;
            const ElfW(Sym) *sym;
            uintptr_t a = (uintptr_t)pc - 1u; /* inside the call */
            if (nnames >= NAME_MAX_PCS)
                break;
            for (k = 0; k < nnames; k++)
                if (names[k].pc == pc)
                    break;
            if (k < nnames)
                continue;
            names[nnames].pc = pc;
            snprintf(names[nnames].name, sizeof names[0].name, "?");
            if (dladdr1((void *)a, &di, &symp, RTLD_DL_SYMENT) != 0) {
                sym = (const ElfW(Sym) *)symp;
                if (di.dli_sname != NULL && sym != NULL &&
                    di.dli_saddr != NULL &&
                    a - (uintptr_t)di.dli_saddr < (uintptr_t)sym->st_size) {
                    snprintf(names[nnames].name, sizeof names[0].name, "%s",
                             di.dli_sname);
                } else if ((uintptr_t)di.dli_fbase == exe_base &&
                           self_path[0] != '\0') {
                    pending[npend++] = nnames;
                } else {
                    const char *f = di.dli_fname != NULL ? di.dli_fname : "?";
                    const char *b = strrchr(f, '/');
                    snprintf(names[nnames].name, sizeof names[0].name,
                             "%s+0x%lx", b != NULL ? b + 1 : f,
                             (unsigned long)(a - (uintptr_t)di.dli_fbase));
                }
            }
            nnames++;
        }
    }
    /* addr2line, 100 addresses per run */
    for (i = 0; i < npend; i += 100) {
        static char cmd[6000];
        char line[256];
        size_t len;
        FILE *f;
        unsigned n = npend - i < 100 ? npend - i : 100;
        len = (size_t)snprintf(cmd, sizeof cmd, "addr2line -f -e '%s'",
                               self_path);
        for (j = 0; j < n && len < sizeof cmd; j++)
            len += (size_t)snprintf(
                cmd + len, sizeof cmd - len, " 0x%lx",
                (unsigned long)((uintptr_t)names[pending[i + j]].pc - 1u -
                                exe_base));
        if (len >= sizeof cmd)
            continue;
        f = popen(cmd, "r");
        if (f == NULL)
            continue;
        for (j = 0; j < n; j++) {
            if (fgets(line, sizeof line, f) == NULL)
                break;
            line[strcspn(line, "\n")] = '\0';
            if (line[0] != '?')
                snprintf(names[pending[i + j]].name, sizeof names[0].name,
                         "%.95s", line);
            if (fgets(line, sizeof line, f) == NULL) /* file:line */
                break;
        }
        pclose(f);
    }
}

/* "f1 < f2 < f3" for a site, skipping the allocator wrappers. */
static void name_site(unsigned s, char *out, size_t cap)
{
    size_t len = 0;
    int i, shown = 0;
    out[0] = '\0';
    if (s >= SITE_MAX || !sites[s].used) {
        snprintf(out, cap, "(unknown)");
        return;
    }
    for (i = 0; i < SITE_FRAMES && shown < 4; i++) {
        const char *nm;
        if (sites[s].pc[i] == NULL)
            break;
        nm = pc_name(sites[s].pc[i]);
        if (strcmp(nm, "main") == 0 || strncmp(nm, "libc.so", 7) == 0 ||
            strcmp(nm, "__libc_start_main") == 0)
            break; /* the program itself: stop */
        if (strcmp(nm, "mbedtls_calloc") == 0 || strcmp(nm, "calloc") == 0 ||
            strcmp(nm, "realloc") == 0 || strcmp(nm, "site_of") == 0 ||
            strcmp(nm, "account_alloc") == 0)
            continue;
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s",
                                shown ? " < " : "", nm);
        if (len >= cap)
            break;
        shown++;
    }
}

/* Blocks >= log_big are noted while measuring and named afterwards. */
#define BIG_MAX 256u
static struct {
    size_t n;
    unsigned site;
    const char *phase;
} bigs[BIG_MAX];
static unsigned nbig;
static const char *phase_name = "";

static void big_block(size_t n, unsigned s)
{
    if (nbig < BIG_MAX) {
        bigs[nbig].n = n;
        bigs[nbig].site = s;
        bigs[nbig].phase = phase_name;
        nbig++;
    }
}

static int by_bytes_desc(const void *a, const void *b)
{
    const snap *x = (const snap *)a, *y = (const snap *)b;
    return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

/* Live blocks by call site, biggest first. */
static void report_live(const char *title, const snap *sn, size_t n,
                        size_t total)
{
    size_t j, k, nagg = 0;
    static snap agg[SNAP_MAX]; /* n = bytes of the site */
    static unsigned cnt[SNAP_MAX];
    static snap sorted[SNAP_MAX];
    char nm[700];

    for (j = 0; j < n; j++) {
        for (k = 0; k < nagg; k++)
            if (agg[k].site == sn[j].site)
                break;
        if (k == nagg) {
            agg[nagg].site = sn[j].site;
            agg[nagg].n = 0;
            cnt[nagg] = 0;
            nagg++;
        }
        agg[k].n += sn[j].n;
        cnt[k]++;
    }
    memcpy(sorted, agg, nagg * sizeof agg[0]);
    qsort(sorted, nagg, sizeof sorted[0], by_bytes_desc);
    fprintf(stderr, "  live %s: %zu B in %zu blocks; by call site (bytes, "
            "blocks):\n", title, total, n);
    for (j = 0; j < nagg && j < 25; j++) {
        unsigned c = 0;
        for (k = 0; k < nagg; k++)
            if (agg[k].site == sorted[j].site)
                c = cnt[k];
        name_site(sorted[j].site, nm, sizeof nm);
        fprintf(stderr, "    %7zu B %5u  %s\n", sorted[j].n, c, nm);
    }
    if (nagg > 25)
        fprintf(stderr, "    (%zu more sites)\n", nagg - 25);
}

static void report_big(void)
{
    unsigned i;
    char nm[700];

    in_hook = 1; /* names and popen allocate: not ours */
    resolve_names();
    fprintf(stderr, "  blocks >= %zu B allocated in init and first (%u):\n",
            log_big, nbig);
    for (i = 0; i < nbig; i++) {
        name_site(bigs[i].site, nm, sizeof nm);
        fprintf(stderr, "    %-5s %7zu B  %s\n", bigs[i].phase, bigs[i].n, nm);
    }
    report_live("at the peak of the first phase", peak_snap, peak_snap_n,
                peak_snap_live);
    report_live("while idle (after the first poll, connection open)",
                idle_snap, idle_snap_n, idle_snap_live);
    in_hook = 0;
}

/* ------------------------------------------------------------------ */
/* Wire meter: counts TLS records under TLS, and marks each open()      */
/* ------------------------------------------------------------------ */

typedef struct meter {
    bact_transport tcp; /* the POSIX transport */
    bact_transport tls; /* the TLS transport over &under */
    unsigned long long tx, rx;
    unsigned long connects;
    /* the last open(): wire bytes and heap of the handshake alone */
    unsigned long long hs_tx, hs_rx;
    unsigned long hs_allocs;
    size_t hs_peak;
    int hs_rc;
} meter;

static int w_open(void *io, const char *host, size_t host_len, uint16_t port,
                  uint32_t timeout_ms)
{
    meter *m = (meter *)io;
    m->connects++;
    return m->tcp.open(m->tcp.io, host, host_len, port, timeout_ms);
}

static int32_t w_send(void *io, const uint8_t *d, size_t len, uint32_t ms)
{
    meter *m = (meter *)io;
    int32_t r = m->tcp.send(m->tcp.io, d, len, ms);
    if (r > 0)
        m->tx += (unsigned long long)r;
    return r;
}

static int32_t w_recv(void *io, uint8_t *b, size_t len, uint32_t ms)
{
    meter *m = (meter *)io;
    int32_t r = m->tcp.recv(m->tcp.io, b, len, ms);
    if (r > 0)
        m->rx += (unsigned long long)r;
    return r;
}

static void w_close(void *io)
{
    meter *m = (meter *)io;
    m->tcp.close(m->tcp.io);
}

/* Around the TLS transport: the handshake is what open() does. */
static meter *the_meter;

static int h_open(void *io, const char *host, size_t host_len, uint16_t port,
                  uint32_t timeout_ms)
{
    meter *m = the_meter;
    unsigned long long tx0 = m->tx, rx0 = m->rx;
    unsigned long a0 = cur.allocs;
    int rc;
    (void)io;
    rc = m->tls.open(m->tls.io, host, host_len, port, timeout_ms);
    m->hs_tx = m->tx - tx0;
    m->hs_rx = m->rx - rx0;
    m->hs_allocs = cur.allocs - a0;
    m->hs_peak = cur.peak;
    m->hs_rc = rc;
    return rc;
}

static int32_t h_send(void *io, const uint8_t *d, size_t len, uint32_t ms)
{
    (void)io;
    return the_meter->tls.send(the_meter->tls.io, d, len, ms);
}

static int32_t h_recv(void *io, uint8_t *b, size_t len, uint32_t ms)
{
    (void)io;
    return the_meter->tls.recv(the_meter->tls.io, b, len, ms);
}

static void h_close(void *io)
{
    (void)io;
    the_meter->tls.close(the_meter->tls.io);
}

/* ------------------------------------------------------------------ */

static int usage(void)
{
    fputs("usage: tls_heap --url https://127.0.0.1:PORT --ca-der FILE --task ID\n"
          "       [--key K] [--requests N] [--polls M] [--label TEXT]\n"
          "       [--goal-peak BYTES] [--contrast] [--log-big BYTES]\n",
          stderr);
    return 2;
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || n > 1 << 20 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    b = (unsigned char *)__libc_malloc((size_t)n);
    if (b != NULL && fread(b, 1, (size_t)n, f) != (size_t)n) {
        __libc_free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* 12345 -> "12,345" */
static const char *thou(unsigned long long v, char *buf, size_t cap)
{
    char tmp[32];
    size_t n, i, o = 0;
    snprintf(tmp, sizeof tmp, "%llu", v);
    n = strlen(tmp);
    for (i = 0; i < n && o + 2 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

static void show_phase(const char *name, const phase *p)
{
    fprintf(stderr,
            "  %-10s live %6zu -> %6zu B, peak %6zu B (+%zu), %lu callocs "
            "(%llu B), %lu frees; not counted: %lu libc callocs, %lu "
            "malloc/realloc\n",
            name, p->start_live, p->end_live, p->peak,
            p->peak - p->start_live, p->allocs, p->bytes, p->frees,
            p->libc_callocs, p->other_allocs);
}

static uint8_t work_buf[2048];
static jsmntok_t tokens[64];
static bact_tls tls;

static int cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a,
                       y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *url = NULL, *ca_path = NULL, *task = NULL;
    const char *key = "test-key", *label = "?";
    unsigned long nreq = 20, npoll = 50, i;
    unsigned long long goal_peak = 0;
    int contrast = 0, a, rc, status = 0, ok = 1;
    unsigned char *ca = NULL;
    size_t ca_len = 0;
    bact_posix_conn conn;
    bact_platform pf;
    bact_tls_config tc;
    bact_transport tr;
    bact_config cfg;
    bact_client c;
    bact_task_state st;
    static meter m;
    phase p_init, p_first, p_keep, p_polls, p_free;
    size_t idle_live, closed_live;
    unsigned long long first_tx, first_rx, full_hs_tx, full_hs_rx;
    unsigned long first_hs_allocs;
    size_t first_hs_peak;
    unsigned hs0, res0, hs1, res1, hs_keep;
    static unsigned long long poll_tx[10000], poll_rx[10000], res_hs_tx[10000],
        res_hs_rx[10000];
    static unsigned long poll_allocs[10000];
    unsigned long nres_hs = 0, max_poll_allocs = 0;
    size_t max_poll_peak = 0;
    char b1[32], b2[32], b3[32], b4[32];

    for (a = 1; a < argc; a++) {
        const char *v = a + 1 < argc ? argv[a + 1] : NULL;
        char *end = NULL;
        if (strcmp(argv[a], "--contrast") == 0) {
            contrast = 1;
            continue;
        }
        if (v == NULL)
            return usage();
        a++;
        errno = 0;
        if (strcmp(argv[a - 1], "--url") == 0)
            url = v;
        else if (strcmp(argv[a - 1], "--ca-der") == 0)
            ca_path = v;
        else if (strcmp(argv[a - 1], "--task") == 0)
            task = v;
        else if (strcmp(argv[a - 1], "--key") == 0)
            key = v;
        else if (strcmp(argv[a - 1], "--label") == 0)
            label = v;
        else if (strcmp(argv[a - 1], "--requests") == 0)
            nreq = strtoul(v, &end, 10);
        else if (strcmp(argv[a - 1], "--polls") == 0)
            npoll = strtoul(v, &end, 10);
        else if (strcmp(argv[a - 1], "--goal-peak") == 0)
            goal_peak = strtoull(v, &end, 10);
        else if (strcmp(argv[a - 1], "--log-big") == 0)
            log_big = (size_t)strtoul(v, &end, 10);
        else
            return usage();
        if (end != NULL && (*end != '\0' || errno != 0))
            return usage();
    }
    if (url == NULL || ca_path == NULL || task == NULL || npoll < 2 ||
        npoll > 10000 || nreq > 100000)
        return usage();
    ca = read_file(ca_path, &ca_len);
    if (ca == NULL) {
        fprintf(stderr, "tls_heap: cannot read %s\n", ca_path);
        return 1;
    }
    {
        ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
        self_path[n > 0 ? (size_t)n : 0] = '\0';
    }
    find_libc();
    if (libc_ranges == 0)
        fputs("tls_heap: warning: libc's text not found in /proc/self/maps; "
              "its callocs are counted as mbedTLS's\n", stderr);
    if (log_big > 0) { /* backtrace() loads libgcc_s on first use */
        void *bt[4];
        (void)backtrace(bt, 4);
    }
    fprintf(stderr, "tls_heap %s: mbedTLS %s, sizeof(void *) %zu, "
            "sizeof(bact_tls) %zu (static, not heap)\n", label,
            MBEDTLS_VERSION_STRING, sizeof(void *), sizeof(bact_tls));

    bact_posix_transport(&m.tcp, &conn);
    bact_posix_platform(&pf);
    {
        bact_transport wire = {&m, w_open, w_send, w_recv, w_close};
        memset(&tc, 0, sizeof tc);
        tc.ca = ca;
        tc.ca_len = ca_len;
        tc.platform = &pf;

        /* ---- init ---- */
        tracking = 1;
        record_sites = log_big > 0;
        phase_name = "init";
        phase_begin();
        rc = bact_tls_init(&tls, &wire, &tc);
        p_init = phase_end();
    }
    if (rc != BACT_OK) {
        fprintf(stderr, "tls_heap: bact_tls_init failed: %s (mbedTLS -0x%04x)\n",
                bact_tls_reason_text(bact_tls_last_reason(&tls)),
                (unsigned)-tls.mbed_err);
        return 1;
    }
    bact_tls_transport(&m.tls, &tls);
    the_meter = &m;
    tr.io = &m;
    tr.open = h_open;
    tr.send = h_send;
    tr.recv = h_recv;
    tr.close = h_close;

    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = url;
    cfg.api_key = key;
    cfg.buf = work_buf;
    cfg.buf_len = sizeof work_buf;
    cfg.tokens = tokens;
    cfg.n_tokens = sizeof tokens / sizeof tokens[0];
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.timeout_ms = 5000;
    if (bact_init(&c, &cfg) != BACT_OK) {
        fputs("tls_heap: bad URL or configuration\n", stderr);
        return 2;
    }

    /* ---- first: connect + full handshake + one request ---- */
    record_sites = log_big > 0;
    snap_on = log_big > 0;
    phase_name = "first";
    phase_begin();
    rc = bact_get_task_status(&c, task, &st);
    p_first = phase_end();
    record_sites = 0;
    snap_on = 0;
    if (rc != BACT_OK) {
        fprintf(stderr, "tls_heap: first poll failed: %s (TLS: %s, HTTP %d)\n",
                bact_strerror(rc),
                bact_tls_reason_text(bact_tls_last_reason(&tls)),
                bact_last_error(&c)->http_status);
        return 1;
    }
    first_tx = m.tx;
    first_rx = m.rx;
    full_hs_tx = m.hs_tx;
    full_hs_rx = m.hs_rx;
    first_hs_allocs = m.hs_allocs;
    first_hs_peak = m.hs_peak;
    if (p_first.allocs == 0) {
        fputs("tls_heap: no allocation seen during a handshake: the "
              "calloc/free interposition does not reach mbedTLS\n", stderr);
        return 1;
    }

    /* ---- idle: the connection open, nothing happening ---- */
    idle_live = live;
    if (log_big > 0)
        snapshot(idle_snap, &idle_snap_n, &idle_snap_live);

    /* ---- keepalive: N polls on the same connection ---- */
    hs_keep = bact_tls_handshakes(&tls);
    phase_begin();
    for (i = 0; i < nreq && rc == BACT_OK; i++)
        rc = bact_get_task_status(&c, task, &st);
    p_keep = phase_end();
    if (rc != BACT_OK) {
        fprintf(stderr, "tls_heap: keep-alive poll %lu failed: %s\n", i,
                bact_strerror(rc));
        return 1;
    }
    hs_keep = bact_tls_handshakes(&tls) - hs_keep;

    /* ---- the server now closes after each response ---- */
    {
        static const char body[] = "{\"close\":true}";
        bact_http_req rq;
        memset(&rq, 0, sizeof rq);
        rq.method = "POST";
        rq.path = "/_mock/config";
        rq.body = (const uint8_t *)body;
        rq.body_len = sizeof body - 1;
        rc = bact_request(&c, &rq, NULL, NULL, &status);
        if (rc != BACT_OK) {
            fprintf(stderr, "tls_heap: POST /_mock/config failed: %s (%d)\n",
                    bact_strerror(rc), status);
            return 1;
        }
    }
    bact_close(&c);
    closed_live = live;

    /* ---- polls: M polls, each on a new connection ---- */
    hs0 = bact_tls_handshakes(&tls);
    res0 = bact_tls_resumptions(&tls);
    phase_begin();
    for (i = 0; i < npoll && rc == BACT_OK; i++) {
        unsigned long long tx0 = m.tx, rx0 = m.rx;
        unsigned long a0 = cur.allocs, c0 = m.connects;
        size_t pk0 = cur.peak;
        cur.peak = live; /* per-poll peak, restored below */
        rc = bact_get_task_status(&c, task, &st);
        poll_tx[i] = m.tx - tx0;
        poll_rx[i] = m.rx - rx0;
        poll_allocs[i] = cur.allocs - a0;
        if (poll_allocs[i] > max_poll_allocs)
            max_poll_allocs = poll_allocs[i];
        if (cur.peak > max_poll_peak)
            max_poll_peak = cur.peak;
        if (cur.peak < pk0)
            cur.peak = pk0;
        if (m.connects != c0 && m.hs_rc == BACT_OK && bact_tls_resumed(&tls)) {
            res_hs_tx[nres_hs] = m.hs_tx;
            res_hs_rx[nres_hs] = m.hs_rx;
            nres_hs++;
        }
    }
    p_polls = phase_end();
    if (rc != BACT_OK) {
        fprintf(stderr, "tls_heap: reconnecting poll %lu failed: %s (TLS: %s)\n",
                i, bact_strerror(rc),
                bact_tls_reason_text(bact_tls_last_reason(&tls)));
        return 1;
    }
    hs1 = bact_tls_handshakes(&tls) - hs0;
    res1 = bact_tls_resumptions(&tls) - res0;

    /* ---- free: everything back ---- */
    bact_close(&c);
    phase_begin();
    bact_tls_free(&tls);
    p_free = phase_end();
    tracking = 0;

    /* ---- report ---- */
    fprintf(stderr, "  phases (bytes requested from calloc by mbedTLS):\n");
    show_phase("init", &p_init);
    show_phase("first", &p_first);
    fprintf(stderr, "  %-10s handshake alone: %lu callocs, peak %zu B; wire "
            "tx/rx %llu/%llu B (whole first poll %llu/%llu B)\n", "",
            first_hs_allocs, first_hs_peak, full_hs_tx, full_hs_rx, first_tx,
            first_rx);
    fprintf(stderr, "  %-10s live %zu B with the connection open\n", "idle",
            idle_live);
    show_phase("keepalive", &p_keep);
    fprintf(stderr, "  %-10s %lu polls, %u new handshakes\n", "", nreq, hs_keep);
    fprintf(stderr, "  %-10s live %zu B with no connection (the session kept)\n",
            "closed", closed_live);
    show_phase("polls", &p_polls);
    fprintf(stderr, "  %-10s %lu polls: %u handshakes, %u resumed; per poll "
            "max %lu callocs, max peak %zu B\n", "", npoll, hs1, res1,
            max_poll_allocs, max_poll_peak);
    show_phase("free", &p_free);
    if (tab_overflow)
        fputs("tls_heap: warning: the block table overflowed\n", stderr);
    if (log_big > 0)
        report_big();

    {
        unsigned long long rtx = 0, rrx = 0, ptx, prx;
        double per_req = nreq > 0 ? (double)p_keep.allocs / (double)nreq : 0.0;
        double hit = hs1 > 0 ? 100.0 * (double)res1 / (double)hs1 : 0.0;
        unsigned full_total = (bact_tls_handshakes(&tls) -
                               bact_tls_resumptions(&tls));
        int g_peak, g_alloc, g_resume;
        char verdict[256];

        if (nres_hs > 0) {
            qsort(res_hs_tx, nres_hs, sizeof res_hs_tx[0], cmp_ull);
            qsort(res_hs_rx, nres_hs, sizeof res_hs_rx[0], cmp_ull);
            rtx = res_hs_tx[nres_hs / 2];
            rrx = res_hs_rx[nres_hs / 2];
        }
        qsort(poll_tx, npoll, sizeof poll_tx[0], cmp_ull);
        qsort(poll_rx, npoll, sizeof poll_rx[0], cmp_ull);
        ptx = poll_tx[npoll / 2];
        prx = poll_rx[npoll / 2];

        g_peak = goal_peak == 0 || p_first.peak <= goal_peak;
        g_alloc = p_keep.allocs == 0;
        g_resume = full_total == 1 && res1 == hs1;
        if (contrast)
            snprintf(verdict, sizeof verdict,
                     "peak: n/a (not the minimal config; %s) · allocs/req: %s "
                     "· 1 full hs: %s",
                     goal_peak > 0 && p_first.peak <= goal_peak ? "under"
                                                                : "over",
                     g_alloc ? "✅" : "❌", g_resume ? "✅" : "❌");
        else
            snprintf(verdict, sizeof verdict,
                     "peak ≤ %.0f KB: %s · allocs/req: %s · 1 full hs: %s",
                     (double)goal_peak / 1000.0, g_peak ? "✅" : "❌",
                     g_alloc ? "✅" : "❌", g_resume ? "✅" : "❌");
        if (!contrast && !(g_peak && g_alloc && g_resume))
            ok = 0;
        if (contrast && !(g_alloc && g_resume))
            ok = 0;

        printf("MAIN| %s | %s | %s | %.4g (%lu callocs in %lu requests) | "
               "%llu / %llu | %llu / %llu | "
               "%u full + %u resumed of %lu polls: %.0f%% | %s |\n",
               label, thou(p_first.peak, b1, sizeof b1),
               thou(idle_live, b2, sizeof b2), per_req, p_keep.allocs, nreq,
               full_hs_tx, full_hs_rx,
               rtx, rrx, hs1 - res1, res1, npoll, hit, verdict);
        {
            char b5[32], b6[32];
            printf("DETAIL| %s | %s | %s | %s | %s | %lu | %llu / %llu | "
                   "%llu / %llu | %s | %lu | %s |\n",
                   label, thou(p_init.end_live, b1, sizeof b1),
                   thou(first_hs_peak, b2, sizeof b2),
                   thou(p_first.peak - idle_live, b3, sizeof b3),
                   thou(p_first.allocs, b5, sizeof b5), max_poll_allocs,
                   first_tx, first_rx, ptx, prx,
                   thou(max_poll_peak, b4, sizeof b4), m.connects,
                   p_free.end_live == 0 ? "0 ✅"
                                        : thou(p_free.end_live, b6, sizeof b6));
        }
    }
    __libc_free(ca);
    return ok ? 0 : 3;
}
