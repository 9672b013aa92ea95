/*
 * cli_args.c - command-line scanning and value parsing for the host tool.
 */
#include "cli_args.h"

#include <stdio.h>
#include <string.h>

/* Longest "bact: ..." line; longer messages are cut and end in "...". */
#define CLI_MSG_MAX 2048u

/* cli_set_secret(): NULL, or a key of CLI_SECRET_MIN bytes or more */
static const char *secret;
static size_t secret_len;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

void cli_scan_init(cli_scan *s, int argc, char **argv, int first)
{
    s->argc = argc;
    s->argv = argv;
    s->next = first;
    s->args_only = 0;
}

/* How arg names opt: not at all, exactly, or as the name followed by
 * "=value" (which only a long option takes). */
enum { NAMES_NOT = 0, NAMES_EXACT, NAMES_WITH_VALUE };

static int names(const cli_opt *opt, const char *arg)
{
    size_t len = strlen(opt->name);

    if (strncmp(arg, opt->name, len) != 0)
        return NAMES_NOT;
    if (arg[len] == '\0')
        return NAMES_EXACT;
    return arg[len] == '=' ? NAMES_WITH_VALUE : NAMES_NOT;
}

const cli_opt *cli_find(const cli_opt *tab, size_t n, const char *arg)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (names(&tab[i], arg) != NAMES_NOT)
            return &tab[i];
    }
    return NULL;
}

cli_tok cli_next(cli_scan *s, const cli_opt *tab, size_t n, cli_item *it)
{
    char *arg;
    int how;

    it->opt = NULL;
    it->value = NULL;
    it->text = NULL;
    if (s->next >= s->argc)
        return CLI_END;
    arg = s->argv[s->next++];
    if (!s->args_only && strcmp(arg, "--") == 0) {
        s->args_only = 1;
        if (s->next >= s->argc)
            return CLI_END;
        arg = s->argv[s->next++];
    }
    it->text = arg;
    if (s->args_only || arg[0] != '-' || arg[1] == '\0')
        return CLI_ARG;

    it->opt = cli_find(tab, n, arg);
    if (it->opt == NULL)
        return CLI_E_UNKNOWN;
    how = names(it->opt, arg);
    if (!it->opt->takes_value)
        return how == NAMES_WITH_VALUE ? CLI_E_EXTRA_VALUE : CLI_OPT;
    if (how == NAMES_WITH_VALUE && it->opt->name[1] != '-')
        return CLI_E_SHORT_VALUE;
    if (how == NAMES_WITH_VALUE) {
        it->value = arg + strlen(it->opt->name) + 1;
        return CLI_OPT;
    }
    if (s->next >= s->argc)
        return CLI_E_NO_VALUE;
    it->value = s->argv[s->next++];
    return CLI_OPT;
}

int cli_parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (s[0] == '\0')
        return -1;
    for (i = 0; s[i] != '\0'; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10u + (uint64_t)(s[i] - '0');
        if (v > hi)
            return -1;
    }
    if (v < lo)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int cli_parse_i32(const char *s, int32_t *out)
{
    const uint64_t max_neg = (uint64_t)INT32_MAX + 1u;
    int neg = s[0] == '-';
    uint32_t mag;

    if (cli_parse_u32(s + neg, 0, (uint32_t)max_neg, &mag) != 0)
        return -1;
    if (neg)
        *out = mag == max_neg ? INT32_MIN : -(int32_t)mag;
    else if (mag <= (uint32_t)INT32_MAX)
        *out = (int32_t)mag;
    else
        return -1;
    return 0;
}

int cli_parse_seconds(const char *s, uint32_t *ms)
{
    const uint64_t max_ms = 0xFFFFFFFEu;
    uint64_t whole = 0, frac = 0, scale = 100;
    size_t digits = 0;

    for (; is_digit(*s); s++, digits++) {
        whole = whole * 10u + (uint64_t)(*s - '0');
        if (whole > max_ms / 1000u)
            return -1;
    }
    if (*s == '.') {
        for (s++; is_digit(*s); s++, digits++) {
            frac += scale * (uint64_t)(*s - '0');
            scale /= 10u;
        }
    }
    if (digits == 0 || *s != '\0')
        return -1;
    if (whole * 1000u + frac > max_ms)
        return -1;
    *ms = (uint32_t)(whole * 1000u + frac);
    return 0;
}

void cli_set_secret(const char *key)
{
    size_t n = key != NULL ? strlen(key) : 0u;

    secret = n >= CLI_SECRET_MIN ? key : NULL;
    secret_len = secret != NULL ? n : 0u;
}

/* Each copy of the secret in s[0..n) becomes '*'s; when the text was cut
 * at n, so does a start of it, 4 bytes or more, that runs to n. */
static void mask_secret(char *s, size_t n, int cut)
{
    size_t i, k;

    if (secret == NULL)
        return;
    for (i = 0; i < n; i++) {
        for (k = 0; k < secret_len && i + k < n && s[i + k] == secret[k]; k++)
            ;
        if (k == secret_len || (cut && i + k == n && k >= 4u)) {
            memset(s + i, '*', k);
            i += k - 1u;
        }
    }
}

void cli_vmsg(const char *fmt, va_list ap)
{
    char line[CLI_MSG_MAX];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    size_t i, j;

    if (n < 0)
        return;
    if ((size_t)n >= sizeof line) { /* cut where a character starts */
        size_t cut = cli_char_start(line, sizeof line - 4u);
        mask_secret(line, cut, 1);
        memcpy(line + cut, "...", 4u);
    } else {
        mask_secret(line, (size_t)n, 0);
    }
    for (i = 0, j = 0; line[i] != '\0'; j++) { /* each control: a space */
        size_t k = cli_control_len(line + i);
        line[j] = k != 0 ? ' ' : line[i];
        i += k != 0 ? k : 1u;
    }
    line[j] = '\0';
    fprintf(stderr, "bact: %s\n", line);
}

size_t cli_char_start(const char *s, size_t i)
{
    size_t k;

    /* a character has at most 3 continuation bytes: text that is not
     * UTF-8 is cut where asked */
    for (k = 0; k <= 3u && k <= i; k++) {
        if (((unsigned char)s[i - k] & 0xC0u) != 0x80u)
            return i - k;
    }
    return i;
}

void cli_copy_cut(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n < size) {
        memcpy(dst, src, n + 1u);
        mask_secret(dst, n, 0);
        return;
    }
    n = cli_char_start(src, size - 4u);
    memcpy(dst, src, n);
    mask_secret(dst, n, 1);
    memcpy(dst + n, "...", 4u);
}

size_t cli_control_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x20u || p[0] == 0x7fu)
        return p[0] != 0;
    return p[0] == 0xc2u && p[1] >= 0x80u && p[1] <= 0x9fu ? 2u : 0u;
}

void cli_msg(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_vmsg(fmt, ap);
    va_end(ap);
}

int cli_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        unsigned long c = *p++, cp, min;
        int more;
        if (c < 0x80u)
            continue;
        if (c < 0xC0u || c >= 0xF8u)
            return 0; /* a continuation byte first, or no such lead */
        more = c >= 0xF0u ? 3 : c >= 0xE0u ? 2 : 1;
        min = more == 3 ? 0x10000u : more == 2 ? 0x800u : 0x80u;
        cp = c & (0x3Fu >> more);
        for (; more > 0; more--, p++) { /* a NUL fails here: never past it */
            if ((*p & 0xC0u) != 0x80u)
                return 0;
            cp = (cp << 6) | (*p & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu))
            return 0;
    }
    return 1;
}
