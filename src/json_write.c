/*
 * json_write.c - a bounded JSON writer that always escapes.
 *
 * Strings must be UTF-8 (anything else sets w->bad: the caller's
 * BACT_E_ARG). Output goes through bact__put(), which stops copying at
 * the capacity but keeps counting, so after an overflow w->b.len is the
 * size that was needed. Commas are placed from a "first item" flag, so
 * callers cannot produce ",}" or "{,". One flag is enough: every
 * container around the innermost one has an item already, the open one.
 */
#include "internal.h"

#define JW_MAX_DEPTH 31u

/* Each byte with a short escape, then the letter after the '\\', the
 * quote's pair last; then the ':' after a key and the ',' between items:
 * the writer's bytes in one array, one address for all */
static const char esc[] = "\\\\\nn\rr\tt\bb\ff\"\":,";
enum { N_ESC = sizeof esc - 3u, QUOTE = N_ESC - 1u, COMMA = N_ESC + 1u };

/* Called before every value and every key. */
void bact__jw_sep(bact__jw *w)
{
    size_t f = w->first;
    w->first = 0;
    /* (nothing after a first-item mark) */
    bact__put(&w->b, esc + COMMA, 1u - f);
}

void bact__jw_open(bact__jw *w, char ch)
{
    bact__jw_sep(w);
    bact__put(&w->b, &ch, 1);
    if (w->depth >= JW_MAX_DEPTH) {
        w->bad = 1;
        return;
    }
    w->depth++;
    w->first = 1;
}

void bact__jw_end(bact__jw *w, char close)
{
    if (w->depth == 0) {
        w->bad = 1;
        return;
    }
    w->depth--;
    w->first = 0; /* the container was an item of the one around it */
    bact__put(&w->b, &close, 1);
}

/* (a key's ':' set, the value that follows gets no comma) */
void bact__jw_string(bact__jw *w, const char *s, size_t colon)
{
    size_t i, k, from = 0; /* the plain bytes not yet written */

    bact__jw_sep(w);
    bact__put(&w->b, esc + QUOTE, 1);
    for (i = 0; s[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)s[i];
        char e[6];
        size_t en = 2;
        if (ch >= 0x80u) { /* the text must be UTF-8: JSON is */
            /* a NUL ends the string: it is never a continuation byte, so
             * the check stops there and reads no further */
            size_t l = bact__utf8_len((const uint8_t *)s, i + 4u, i);
            if (l == 0) {
                w->bad = 1;
                l = 1;
            }
            i += l - 1u;
            continue;
        }
        if (ch >= 0x20u && ch != '"' && ch != '\\' && ch != 0x7Fu)
            continue;
        bact__put(&w->b, s + from, i - from); /* the plain bytes before */
        from = i + 1u;
        memcpy(e, "\\u00", 4); /* a short escape keeps only the '\\' */
        for (k = 0; k < N_ESC && esc[k] != (char)ch; k += 2u)
            ;
        if (k < N_ESC) { /* a short escape */
            e[1] = esc[k + 1u];
        } else {
            /* a control byte or DEL: the high digit is 0, 1 or 7 */
            e[4] = (char)('0' + (ch >> 4));
            e[5] = (char)((ch & 15u) < 10u ? '0' + (ch & 15u)
                                           : 'a' - 10 + (ch & 15u));
            en = 6;
        }
        bact__put(&w->b, e, en);
    }
    bact__put(&w->b, s + from, i - from);
    w->first = (uint8_t)colon;
    bact__put(&w->b, esc + QUOTE, 1u + colon);
}

void bact__jw_int(bact__jw *w, int32_t v)
{
    char d[12];
    size_t n = bact__i32_to_dec(v, d);
    bact__jw_sep(w);
    bact__put(&w->b, d, n);
}
