/*
 * json_diff.c - the JSON reader (src/json_read.c) as a filter, for the
 * differential check of tests/jsondiff/json_diff.py against Python's json.
 *
 * Reads records from stdin: a 4-byte little-endian length, a 4-byte
 * little-endian token count, then the text. For each it writes one line:
 *
 *   P rc needed                  the parse (bact__json_parse())
 *   ... then, for BACT_OK:
 *   V env has_code code msg|- (twice)  the envelope read from the parsed
 *                                text (as raw mode reads it; msg after
 *                                decoding, as hex up to its NUL), then
 *                                from the decoded one
 *   T tree                       the decoded tokens walked with
 *                                bact__json_elem() and bact__json_skip()
 *   F rc id name n32 n64 flag arr st obj   a field table on token 0
 *
 * Each text is copied into a heap block of exactly its length and the
 * token array has exactly the given entries, so the sanitizer build sees
 * any access past either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bact_client J;

static void hex(const uint8_t *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        printf("%02x", s[i]);
}

static void cstr(const char *s)
{
    if (s == NULL) {
        fputs("-", stdout);
        return;
    }
    putchar('"');
    hex((const uint8_t *)s, strlen(s));
    putchar('"');
}

/* the value at token i (decoded); returns the token after it */
static int walk(int i, int depth)
{
    const jsmntok_t *t;
    int k;
    if (i < 0 || i >= J.ntok_used || depth > 70) {
        fputs("?", stdout);
        return J.ntok_used;
    }
    t = &J.tok[i];
    switch (t->type) {
    case JSMN_STRING:
        putchar('"');
        hex(J.buf + t->start, (size_t)(t->end - t->start));
        putchar('"');
        if (J.buf[t->end] != 0)
            putchar('!'); /* not NUL-terminated */
        return i + 1;
    case JSMN_PRIMITIVE:
        fwrite(J.buf + t->start, 1, (size_t)(t->end - t->start), stdout);
        return i + 1;
    case JSMN_ARRAY:
        putchar('[');
        for (k = 0; k < t->size; k++) {
            int e = bact__json_elem(&J, i, (unsigned)k);
            if (k)
                putchar(',');
            (void)walk(e, depth + 1);
        }
        putchar(']');
        if (bact__json_elem(&J, i, (unsigned)t->size) != -1)
            putchar('!');
        return bact__json_skip(&J, i);
    case JSMN_OBJECT: {
        int j = i + 1;
        putchar('{');
        for (k = 0; k < t->size; k++) {
            if (k)
                putchar(',');
            if (j >= J.ntok_used || J.tok[j].type != JSMN_STRING ||
                J.tok[j].size != 1) {
                putchar('?');
                break;
            }
            (void)walk(j, depth + 1);
            putchar(':');
            j = walk(j + 1, depth + 1);
        }
        putchar('}');
        if (j != bact__json_skip(&J, i))
            putchar('!');
        return j;
    }
    default:
        fputs("?", stdout);
        return J.ntok_used;
    }
}

typedef struct rec {
    char id[BACT_ID_SIZE];
    const char *name;
    int32_t n32;
    int64_t n64;
    int flag;
    bact_array arr;
    bact_task_state st;
    int obj;
} rec;

static const bact__field rec_fields[] = {
    BACT__FIELD(id, ID, 0, rec, id),
    BACT__FIELD(name, STR, 0, rec, name),
    BACT__FIELD(progress, I32, 0, rec, n32),
    BACT__FIELD(credit, I64, 0, rec, n64),
    BACT__FIELD(default_enabled, BOOL, 0, rec, flag),
    BACT__FIELD(items, ARRAY, 0, rec, arr),
    BACT__FIELD(status, STATE, 0, rec, st),
    BACT__FIELD(output, OBJ, 0, rec, obj),
};

static void one(const uint8_t *text, size_t n, unsigned ntok)
{
    uint8_t *buf = (uint8_t *)malloc(n ? n : 1u);
    jsmntok_t *tok = (jsmntok_t *)malloc(sizeof *tok * (ntok ? ntok : 1u));
    int rc;
    if (buf == NULL || tok == NULL)
        abort();
    if (n)
        memcpy(buf, text, n);
    memset(&J, 0, sizeof J);
    J.buf = buf;
    J.cap = n;
    J.body_len = n;
    J.tok = tok;
    J.ntok = ntok;
    rc = bact__json_parse(&J);
    printf("P %d %lu\n", rc,
           rc == BACT_E_TOKENS ? (unsigned long)bact_needed(&J) : 0ul);
    if (rc == BACT_OK) {
        rec r;
        int env = bact__json_envelope(&J); /* parsed, not decoded */
        bact__json_decode(&J);
        printf("V %d %d %ld ", env, J.err.has_code, (long)J.err.code);
        cstr(J.err.msg);
        env = bact__json_envelope(&J); /* decoded: the same */
        printf(" %d %d %ld ", env, J.err.has_code, (long)J.err.code);
        cstr(J.err.msg);
        fputs("\nT ", stdout);
        if (walk(0, 0) != J.ntok_used)
            putchar('!');
        memset(&r, 0x5A, sizeof r);
        rc = bact__json_fields(&J, 0, rec_fields,
                               sizeof rec_fields / sizeof rec_fields[0], &r);
        printf("\nF %d", rc);
        if (rc == BACT_OK) {
            putchar(' ');
            cstr(r.id);
            putchar(' ');
            cstr(r.name);
            printf(" %ld %lld %d %d:%u", (long)r.n32, (long long)r.n64,
                   r.flag, r.arr.tok < 0 ? -1 : (int)J.tok[r.arr.tok].type,
                   r.arr.count);
            printf(" %d:", (int)r.st.status);
            cstr(r.st.text);
            printf(" %d", r.obj < 0 ? -1 : J.tok[r.obj].size);
        }
        putchar('\n');
    }
    free(buf);
    free(tok);
}

static int get32(unsigned long *v)
{
    uint8_t b[4];
    if (fread(b, 1, 4, stdin) != 4)
        return 0;
    *v = (unsigned long)b[0] | (unsigned long)b[1] << 8 |
         (unsigned long)b[2] << 16 | (unsigned long)b[3] << 24;
    return 1;
}

int main(void)
{
    static uint8_t text[1u << 22];
    unsigned long n, ntok;
    while (get32(&n) && get32(&ntok)) {
        if (n > sizeof text || ntok > (1ul << 22) ||
            fread(text, 1, n, stdin) != n)
            return 2;
        one(text, n, (unsigned)ntok);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
