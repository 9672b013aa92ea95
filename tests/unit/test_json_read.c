/*
 * test_json_read.c - the JSON reader: the strict validator in front of
 * jsmn, token counting, in-place decoding, field tables and the error
 * envelope.
 *
 * Every text is copied into a heap block of exactly its length (and the
 * token array is allocated with exactly ntok entries), so a read or write
 * past either end is caught by the sanitizer build.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "internal.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static bact_client J;
static uint8_t *jtext;   /* reachable from a static: not a leak for LSan */
static jsmntok_t *jtoks;

/* Parse n bytes of s with a token array of ntok entries. */
static int parse_n(const char *s, size_t n, unsigned ntok)
{
    free(jtext);
    free(jtoks);
    jtext = (uint8_t *)malloc(n ? n : 1u);
    jtoks = (jsmntok_t *)malloc(sizeof(jsmntok_t) * (ntok ? ntok : 1u));
    if (jtext == NULL || jtoks == NULL) {
        fprintf(stderr, "out of memory\n");
        abort();
    }
    if (n)
        memcpy(jtext, s, n);
    memset(&J, 0, sizeof J);
    J.buf = jtext;
    J.cap = n;
    J.body_len = n;
    J.tok = jtoks;
    J.ntok = ntok;
    return bact__json_parse(&J);
}

static int parse(const char *s)
{
    return parse_n(s, strlen(s), 512);
}

/* parse + decode; returns the parse result */
static int load(const char *s)
{
    int rc = parse(s);
    if (rc == BACT_OK)
        bact__json_decode(&J);
    return rc;
}

static const char *tstr(int i)
{
    return (const char *)J.buf + J.tok[i].start;
}

static size_t tlen(int i)
{
    return (size_t)(J.tok[i].end - J.tok[i].start);
}

/* A text and its length (texts may hold NUL bytes). */
typedef struct jtext_t {
    const char *s;
    size_t n;
} jtext_t;

#define S(lit) { lit, sizeof(lit) - 1u }

static void show(char *out, size_t cap, const jtext_t *t)
{
    size_t i, o = 0;
    for (i = 0; i < t->n && o + 5 < cap && i < 60; i++) {
        unsigned char ch = (unsigned char)t->s[i];
        if (ch >= 0x20u && ch < 0x7Fu)
            out[o++] = (char)ch;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", ch);
    }
    out[o] = '\0';
}

static void expect_all(const char *file, int line, const jtext_t *t, size_t n,
                       int want)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int rc = parse_n(t[i].s, t[i].n, 512);
        if (rc != want) {
            char shown[320], msg[480];
            show(shown, sizeof shown, &t[i]);
            snprintf(msg, sizeof msg, "input #%u `%s`: got %d, want %d",
                     (unsigned)i, shown, rc, want);
            t_fail(file, line, msg);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Validation: valid documents                                          */
/* ------------------------------------------------------------------ */

static void valid_documents(void)
{
    static const jtext_t ok[] = {
        S("{}"),
        S("[]"),
        S("{\"a\":1}"),
        S("[1,2,3]"),
        S(" \t\r\n{ \"a\" : [ ] , \"b\" : { } } \r\n\t "),
        S("{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":true,\"e\":false}"),
        S("[[[[[[[[[[]]]]]]]]]]"),
        S("[-0,0,1e5,0.5,-1.25E-3,1E+2,1e-0,10,-10,123456789012345678901234567890]"),
        S("[-0.0e00]"),
        S("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
        S("[\"\\u00e9\\u00E9\\u0000\\uffff\"]"),
        S("[\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\",\"\\udbff\\udfff\"]"),
        S("[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBF\"]"),
        /* the first and last of each length */
        S("[\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80"
          "\xF4\x8F\xBF\xBF\"]"),
        S("[\"\x7F\"]"), /* DEL is allowed raw */
        S("{\"\":\"\"}"),
        S("{\"a\":1,\"a\":2}"), /* duplicate keys are valid JSON */
        S("\"top-level string\""),
        S("5 "),
        S("[true,false,null]"),
    };
    expect_all(__FILE__, __LINE__, ok, sizeof ok / sizeof ok[0], BACT_OK);
}

/* A body of 2^31 bytes or more is refused before a byte of it is read:
 * jsmn keeps its places in an int. */
static void body_length_bound(void)
{
    CHECK_INT(parse("{}"), BACT_OK);
    J.body_len = 0x80000000u;
    CHECK_INT(bact__json_parse(&J), BACT_E_JSON);
    CHECK_INT(J.ntok_used, 0);
    J.body_len = (size_t)-1;
    CHECK_INT(bact__json_parse(&J), BACT_E_JSON);
}

/* RFC 8259 allows any value at the top level. */
static void valid_top_level_scalars(void)
{
    static const jtext_t ok[] = {
        S("5"), S("-0"), S("0.5"), S("1e5"), S("true"), S("false"), S("null"),
    };
    expect_all(__FILE__, __LINE__, ok, sizeof ok / sizeof ok[0], BACT_OK);
}

static void tokens_of_valid_document(void)
{
    CHECK_INT(parse("{\"a\":[1,2],\"b\":\"x\"}"), BACT_OK);
    CHECK_INT(J.ntok_used, 7);
    CHECK_INT(J.json, 1 | BACT__JSON_PLAIN); /* parsed, no escape in it */
    CHECK_INT(J.tok[0].type, JSMN_OBJECT);
    CHECK_INT(J.tok[0].size, 2);
    CHECK_INT(J.tok[1].type, JSMN_STRING);
    CHECK_INT(J.tok[2].type, JSMN_ARRAY);
    CHECK_INT(J.tok[2].size, 2);
    CHECK_INT(J.tok[3].type, JSMN_PRIMITIVE);
    CHECK_INT(J.tok[6].type, JSMN_STRING);
    CHECK(memcmp(tstr(6), "x", 1) == 0);
    /* decoding a text without escapes only ends each string */
    bact__json_decode(&J);
    CHECK_INT(J.json, 2 | BACT__JSON_PLAIN); /* decoded, still plain */
    CHECK_STR(tstr(1), "a");
    CHECK_STR(tstr(6), "x");
    CHECK_INT(tlen(6), 1);
    /* one escape anywhere: every string goes through the decoder */
    CHECK_INT(parse("[\"a\",\"b\\u0041\"]"), BACT_OK);
    CHECK_INT(J.json, 1);
    bact__json_decode(&J);
    CHECK_STR(tstr(1), "a");
    CHECK_STR(tstr(2), "bA");

    /* numbers keep their exact text */
    CHECK_INT(parse("[-0,1e5,0.5]"), BACT_OK);
    CHECK_INT(J.ntok_used, 4);
    CHECK(tlen(1) == 2 && memcmp(tstr(1), "-0", 2) == 0);
    CHECK(tlen(2) == 3 && memcmp(tstr(2), "1e5", 3) == 0);
    CHECK(tlen(3) == 3 && memcmp(tstr(3), "0.5", 3) == 0);
}

/* ------------------------------------------------------------------ */
/* Validation: what jsmn would accept but JSON does not                 */
/* ------------------------------------------------------------------ */

static void invalid_documents(void)
{
    static const jtext_t bad[] = {
        /* trailing and stray commas */
        S("{\"a\":1,}"), S("[1,]"), S("[1,,2]"), S("[,1]"), S("{,}"), S("[,]"),
        S("{\"a\":1,,\"b\":2}"),
        /* broken literals */
        S("[tru]"), S("tru"), S("[nul]"), S("nul"), S("[nulll]"), S("[truee]"),
        S("[fals]"), S("[True]"), S("[NULL]"),
        /* numbers */
        S("[0012]"), S("[01]"), S("[-]"), S("[1.]"), S("[.5]"), S("[+1]"),
        S("[1e]"), S("[1e+]"), S("[--1]"), S("[-a]"), S("[0x10]"),
        S("[Infinity]"), S("[NaN]"), S("[1.e5]"), S("[-.5]"), S("[00]"),
        S("[-01]"), S("[1 2]"),
        /* only 'e' or 'E' starts an exponent ('d' | 0x21 is 'e' too) */
        S("[1d5]"), S("[1D5]"), S("1d5"), S("[1.5d2]"),
        /* ... and cut short at the end of the text */
        S("-"), S("1e"), S("1E+"), S("1."), S("{\"a\""), S("{\"a\" "),
        /* raw control characters and NUL */
        S("[\"a\x01" "b\"]"), S("[\"a\nb\"]"), S("[\"\x1f\"]"), S("[\"\t\"]"),
        S("[\"a\0b\"]"), S("[1,\0 2]"), S("{}\0"), S("\0{}"), S("\0"),
        S("{\"a\0\":1}"),
        /* surrogates and escapes */
        S("[\"\\ud83d\"]"), S("[\"\\ud83dx\"]"), S("[\"\\ud83d\\u0041\"]"),
        S("[\"\\ud83d\\ud83d\"]"), S("[\"\\ude00\"]"), S("[\"\\ude00\\ud83d\"]"),
        S("[\"\\x\"]"), S("[\"\\a\"]"), S("[\"\\u12\"]"), S("[\"\\u12g4\"]"),
        S("[\"\\U00e9\"]"), S("[\"\\\"]"), S("[\"\\"),
        S("[\"\\ud83d\\"), S("[\"\\ud83d\\u"),
        /* the edges of the low surrogate range: the last one alone, the
         * first above it after a high one, a high one after a high one */
        S("[\"\\udfff\"]"), S("[\"\\udc00\"]"), S("[\"\\ud800\\ue000\"]"),
        S("[\"\\udbff\\udbff\"]"),
        /* three hex digits at the very end of the text (an exact-size
         * copy: a fourth would be read past it) */
        S("[\"\\u123"), S("\"\\u123"), S("[\"\\ud83d\\ude0"),
        /* two top-level values */
        S("{}{}"), S("[] []"), S("1 2"), S("\"a\" \"b\""), S("{},"), S("[]]"),
        /* keys and punctuation */
        S("{a:1}"), S("{'a':1}"), S("['a']"), S("{\"a\" 1}"), S("{\"a\"}"),
        S("{\"a\":}"), S("{\"a\"::1}"), S("{1:2}"), S("{null:1}"),
        S("{\"a\":1 \"b\":2}"), S("[1}"), S("{\"a\":1]"), S("[}"), S("{]"),
        S("]"), S("}"), S(":"), S(","), S("[1]//c"), S("/*c*/[1]"),
        /* unterminated */
        S("[1"), S("{\"a\":1"), S("[\"abc"), S("{\"a"), S("["), S("{"),
        /* empty and whitespace only */
        S(""), S(" "), S(" \t\r\n "), S("\f[]"),
        /* invalid UTF-8 */
        S("[\"\xC0\x80\"]"), S("[\"\xC1\xBF\"]"), S("[\"\xED\xA0\x80\"]"),
        S("[\"\xED\xBF\xBF\"]"), S("[\"\xF5\x80\x80\x80\"]"),
        S("[\"\xF8\x88\x80\x80\x80\"]"), S("[\"\xFF\"]"), S("[\"\xFE\"]"),
        S("[\"\xE2\x82\"]"), S("[\"\xE2\x82"), S("[\"\xF0\x9F\x98\"]"),
        S("[\"\x80\"]"), S("[\"\xBF\"]"), S("[\"\xE0\x80\x80\"]"),
        S("[\"\xF0\x80\x80\x80\"]"), S("[\"\xF4\x90\x80\x80\"]"),
        S("[\"\xC3\x28\"]"), S("[\xC3\xA9]"), S("\xEF\xBB\xBF[]"),
    };
    expect_all(__FILE__, __LINE__, bad, sizeof bad / sizeof bad[0],
               BACT_E_JSON);
}

/* Strings are scanned a machine word at a time: a byte that ends or
 * spoils a run of plain bytes, at every offset of the first words of a
 * string, is judged as one byte at a time would; a string cut short at
 * any length is refused without a read past the text (exact-size copy). */
static void strings_word_positions(void)
{
    static const jtext_t bad[] = {
        S("\x01"), S("\x1f"), S("\n"), S("\t"), S("\x80"), S("\xff"),
        S("\xc3"), S("\\x"), S("\\u1x"), S("\\ud83d"), S("\0"),
    };
    static const jtext_t good[] = {
        S(" "), S("~"), S("\x7f"), S("/"), S("'"), S("\xc3\xa9"),
        S("\xe2\x82\xac"), S("\xf0\x9f\x98\x80"), S("\\n"), S("\\\""),
        S("\\\\"), S("\\u00e9"), S("\\ud83d\\ude00"),
    };
    /* good[k] decoded */
    static const jtext_t dec[] = {
        S(" "), S("~"), S("\x7f"), S("/"), S("'"), S("\xc3\xa9"),
        S("\xe2\x82\xac"), S("\xf0\x9f\x98\x80"), S("\n"), S("\""),
        S("\\"), S("\xc3\xa9"), S("\xf0\x9f\x98\x80"),
    };
    const size_t nbad = sizeof bad / sizeof bad[0];
    const size_t ngood = sizeof good / sizeof good[0];
    char t[64], w[64];
    size_t p, k, n;

    for (p = 0; p < 20u; p++) {
        for (k = 0; k < nbad + ngood; k++) {
            int is_bad = k < nbad;
            const jtext_t *x = is_bad ? &bad[k] : &good[k - nbad];
            memcpy(t, "[\"", 2);
            n = 2;
            memset(t + n, 'a', p);
            n += p;
            memcpy(t + n, x->s, x->n);
            n += x->n;
            memcpy(t + n, "bbbbbbbbb\"]", 11);
            n += 11;
            if (is_bad) {
                CHECK_INT(parse_n(t, n, 8), BACT_E_JSON);
                continue;
            }
            CHECK_INT(parse_n(t, n, 8), BACT_OK);
            bact__json_decode(&J);
            /* what it stands for: p x 'a', the byte(s), 9 x 'b' */
            x = &dec[k - nbad];
            memset(w, 'a', p);
            memcpy(w + p, x->s, x->n);
            memset(w + p + x->n, 'b', 9);
            CHECK_INT(tlen(1), p + x->n + 9u);
            CHECK(memcmp(tstr(1), w, p + x->n + 9u) == 0);
        }
        /* cut short after p plain bytes, with and without the quote's
         * backslash */
        memcpy(t, "[\"", 2);
        memset(t + 2, 'a', p);
        CHECK_INT(parse_n(t, 2 + p, 8), BACT_E_JSON);
        t[2 + p] = '\\';
        CHECK_INT(parse_n(t, 3 + p, 8), BACT_E_JSON);
        t[2 + p] = '"';
        CHECK_INT(parse_n(t, 3 + p, 8), BACT_E_JSON); /* no ']' */
    }
}

static void invalid_leaves_no_tokens(void)
{
    CHECK_INT(parse("{\"a\":1,}"), BACT_E_JSON);
    CHECK_INT(J.ntok_used, 0);
    CHECK_INT(J.json, 0);
    /* invalid text reports JSON even when the token array is too small */
    CHECK_INT(parse_n("[1,2,3,]", 8, 2), BACT_E_JSON);
}

static char deep[300000];

/* levels x open, then inner, then levels x close, into deep[] */
static size_t nest(size_t levels, const char *open, const char *inner,
                   const char *close)
{
    size_t i, o = 0, lo = strlen(open), li = strlen(inner), lc = strlen(close);
    for (i = 0; i < levels; i++) {
        memcpy(deep + o, open, lo);
        o += lo;
    }
    memcpy(deep + o, inner, li);
    o += li;
    for (i = 0; i < levels; i++) {
        memcpy(deep + o, close, lc);
        o += lc;
    }
    return o;
}

static void depth_limit(void)
{
    size_t n;
    n = nest(64, "[", "", "]");
    CHECK_INT(parse_n(deep, n, 512), BACT_OK);
    CHECK_INT(J.ntok_used, 64);
    n = nest(65, "[", "", "]");
    CHECK_INT(parse_n(deep, n, 512), BACT_E_JSON);
    n = nest(64, "{\"k\":", "1", "}");
    CHECK_INT(parse_n(deep, n, 512), BACT_OK);
    CHECK_INT(J.ntok_used, 64 * 2 + 1);
    n = nest(65, "{\"k\":", "1", "}");
    CHECK_INT(parse_n(deep, n, 512), BACT_E_JSON);
    n = nest(63, "[", "{}", "]"); /* 64 with the empty object */
    CHECK_INT(parse_n(deep, n, 512), BACT_OK);
    n = nest(64, "[", "{}", "]");
    CHECK_INT(parse_n(deep, n, 512), BACT_E_JSON);
}

/* Objects and arrays alternate across the 32-level word boundary of the
 * validator's container bits; a wrong closer anywhere is caught. */
static void depth_mixed_kinds(void)
{
    size_t o = 0, i, lv = 64;
    for (i = 0; i < lv; i++) {
        if (i % 3 == 0) {
            memcpy(deep + o, "{\"k\":", 5);
            o += 5;
        } else {
            deep[o++] = '[';
        }
    }
    deep[o++] = '0';
    for (i = lv; i-- > 0;)
        deep[o++] = (i % 3 == 0) ? '}' : ']';
    CHECK_INT(parse_n(deep, o, 512), BACT_OK);
    /* swap the closer of level 40 (an array, i % 3 == 1) for a brace */
    {
        size_t pos = o - 1 - 40;
        CHECK(deep[pos] == ']');
        deep[pos] = '}';
        CHECK_INT(parse_n(deep, o, 512), BACT_E_JSON);
        deep[pos] = ']';
        /* level 33 is an object (33 % 3 == 0) */
        pos = o - 1 - 33;
        CHECK(deep[pos] == '}');
        deep[pos] = ']';
        CHECK_INT(parse_n(deep, o, 512), BACT_E_JSON);
    }
}

static void deep_nesting_does_not_crash(void)
{
    memset(deep, '[', 200000);
    CHECK_INT(parse_n(deep, 200000, 16), BACT_E_JSON);
    {
        size_t n = nest(100000, "[", "", "]");
        CHECK_INT(parse_n(deep, n, 16), BACT_E_JSON);
    }
    {
        size_t n = nest(40000, "{\"a\":", "1", "}");
        CHECK_INT(parse_n(deep, n, 16), BACT_E_JSON);
    }
}

/* ------------------------------------------------------------------ */
/* Token array too small                                                */
/* ------------------------------------------------------------------ */

static void token_counts(void)
{
    static const struct {
        const char *s;
        unsigned need;
    } docs[] = {
        { "{\"a\":[1,2],\"b\":\"x\"}", 7 },
        { "[[],[[]]]", 4 },
        { "{\"a\":{\"b\":{\"c\":null}}}", 7 },
        { "[\"a\",\"b\",\"c\",\"d\",\"e\"]", 6 },
        { "{\"id\":\"16429034742537847\",\"profile_id\":\"p\"}", 5 },
        { " [ 1 , true , null , \"\\u00e9\" , { } , [ ] ] ", 7 },
    };
    size_t i;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        size_t n = strlen(docs[i].s);
        CHECK_INT(parse_n(docs[i].s, n, docs[i].need), BACT_OK);
        CHECK_INT(J.ntok_used, docs[i].need);
        CHECK_INT(parse_n(docs[i].s, n, docs[i].need - 1u), BACT_E_TOKENS);
        CHECK_INT(bact_needed(&J), docs[i].need);
        CHECK_INT(J.json, 0);
        CHECK_INT(J.ntok_used, 0);
        CHECK_INT(parse_n(docs[i].s, n, 1), BACT_E_TOKENS);
        CHECK_INT(bact_needed(&J), docs[i].need);
    }
}

/* ------------------------------------------------------------------ */
/* Decoding in place                                                    */
/* ------------------------------------------------------------------ */

static void decode_every_escape(void)
{
    static const char want[] =
        "a\"b\\c/d\be\ff\ng\rh\ti"
        "\xC3\xA9" "j" "\xF0\x9F\x98\x80" "k" "A" "\xE2\x82\xAC"
        "\xEF\xBF\xBF" "\xF4\x8F\xBF\xBF" "\xC3\xA9" "z";
    CHECK_INT(load("[\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u00e9j"
                   "\\ud83d\\ude00k\\u0041\\u20AC\\uFFFF\\uDBFF\\uDFFF"
                   "\xC3\xA9z\"]"),
              BACT_OK);
    CHECK_INT(J.json, 2);
    CHECK_INT(tlen(1), sizeof want - 1u);
    CHECK(memcmp(tstr(1), want, sizeof want - 1u) == 0);
    CHECK_INT(J.buf[J.tok[1].end], 0);
}

/* a \u escape decodes to the shortest UTF-8 form, at each length's edges */
static void decode_utf8_length_edges(void)
{
    static const char want[] = "\x7F" "\xC2\x80" "\xDF\xBF" "\xE0\xA0\x80"
                               "\xEF\xBF\xBF" "\xF0\x90\x80\x80" "\x01"
                               "\xED\x9F\xBF" "\xEE\x80\x80";
    /* (U+D7FF and U+E000: the neighbours of the surrogates, each one
     * escape) */
    CHECK_INT(load("[\"\\u007f\\u0080\\u07FF\\u0800\\uffff"
                   "\\ud800\\udc00\\u0001\\ud7ff\\ue000\"]"),
              BACT_OK);
    CHECK_INT(tlen(1), sizeof want - 1u);
    CHECK(memcmp(tstr(1), want, sizeof want - 1u) == 0);
}

static void decode_keys_and_neighbours(void)
{
    /* keys are decoded too; tokens after a shrunk string keep their place */
    CHECK_INT(load("{\"\\u0041b\":\"\\n\\n\\n\",\"n\":42,\"s\":\"\\u00e9\"}"),
              BACT_OK);
    CHECK_INT(tlen(1), 2);
    CHECK_STR(tstr(1), "Ab");
    CHECK_INT(tlen(2), 3);
    CHECK_STR(tstr(2), "\n\n\n");
    CHECK(tlen(4) == 2 && memcmp(tstr(4), "42", 2) == 0);
    CHECK_STR(tstr(6), "\xC3\xA9");
    /* every string is NUL-terminated, the plain ones too */
    CHECK_STR(tstr(3), "n");
    CHECK_STR(tstr(5), "s");
}

static void decode_nul_escape(void)
{
    CHECK_INT(load("{\"k\":\"a\\u0000b\"}"), BACT_OK);
    CHECK_INT(tlen(2), 3);
    CHECK_INT(tstr(2)[0], 'a');
    CHECK_INT(tstr(2)[1], 0);
    CHECK_INT(tstr(2)[2], 'b');
    CHECK_INT(tstr(2)[3], 0);
}

static void decode_once_only(void)
{
    /* "\\n" decodes to a backslash and an n; a second decode must not turn
     * that into a newline */
    CHECK_INT(load("[\"\\\\n\"]"), BACT_OK);
    CHECK_INT(tlen(1), 2);
    CHECK_STR(tstr(1), "\\n");
    bact__json_decode(&J);
    CHECK_INT(tlen(1), 2);
    CHECK_STR(tstr(1), "\\n");
    /* without a successful parse nothing is touched */
    CHECK_INT(parse("[\"\\n\",]"), BACT_E_JSON);
    bact__json_decode(&J);
    CHECK(memcmp(J.buf, "[\"\\n\",]", 7) == 0);
    CHECK_INT(J.json, 0);
}

static void decode_raw_utf8_untouched(void)
{
    static const char s[] = "[\"\xF0\x9F\x98\x80 \xE2\x82\xAC\"]";
    CHECK_INT(load(s), BACT_OK);
    CHECK_INT(tlen(1), 8);
    CHECK(memcmp(tstr(1), "\xF0\x9F\x98\x80 \xE2\x82\xAC", 8) == 0);
}

/* ------------------------------------------------------------------ */
/* Walking: skip and elem                                               */
/* ------------------------------------------------------------------ */

static void skip_and_elem(void)
{
    /* 0 [  1 1  2 {  3 "a"  4 [  5 2  6 3  7 "x" */
    CHECK_INT(load("[1,{\"a\":[2,3]},\"x\"]"), BACT_OK);
    CHECK_INT(J.ntok_used, 8);
    CHECK_INT(bact__json_skip(&J, 0), 8);
    CHECK_INT(bact__json_skip(&J, 1), 2);
    CHECK_INT(bact__json_skip(&J, 2), 7);
    CHECK_INT(bact__json_skip(&J, 4), 7);
    CHECK_INT(bact__json_elem(&J, 0, 0), 1);
    CHECK_INT(bact__json_elem(&J, 0, 1), 2);
    CHECK_INT(bact__json_elem(&J, 0, 2), 7);
    CHECK_INT(bact__json_elem(&J, 0, 3), -1);
    CHECK_INT(bact__json_elem(&J, 4, 1), 6);
    CHECK_INT(bact__json_elem(&J, 2, 0), -1);  /* not an array */
    CHECK_INT(bact__json_elem(&J, -1, 0), -1);
    CHECK_INT(bact__json_elem(&J, 8, 0), -1);
    CHECK_INT(bact__json_elem(&J, 0, 0xFFFFFFFFu), -1);
    /* one past the inner array's last element is no element of it (the
     * token there is "x", of the array around it) */
    CHECK_INT(bact__json_elem(&J, 4, 2), -1);
    /* with a token array of exactly the tokens made, the place after the
     * last one is not read */
    CHECK_INT(parse_n("[1,{\"a\":[2,3]},\"x\"]", 19, 8), BACT_OK);
    CHECK_INT(bact__json_elem(&J, 8, 0), -1);
    CHECK_INT(bact__json_elem(&J, 4, 1), 6);
}

/* element idx of the array at token arr, walked from the array's start */
static int elem_walk(int arr, unsigned idx)
{
    int i = arr + 1;
    unsigned k;
    for (k = 0; k < idx; k++)
        i = bact__json_skip(&J, i);
    return i;
}

/* bact__json_elem() goes on from the element read last: any order of
 * reads, over two arrays in turn, gives what a walk from the start does */
static void elem_cursor(void)
{
    /* outer: 0 [, elements 1 0, 2 [ 3 1 ], 4 { 5 "a" 6 2 }, 7 3,
     * 8 [ 9 4 10 [ 11 5 ] ], 12 6; inner: the array at 8 */
    static const unsigned order[] = {0, 1, 2, 3, 4, 5, 5, 4, 0, 5, 2, 2,
                                     3, 1, 0, 4, 3, 5};
    static const char doc[] = "[0,[1],{\"a\":2},3,[4,[5]],6]";
    size_t k;
    CHECK_INT(load(doc), BACT_OK);
    CHECK_INT(J.ntok_used, 13);
    for (k = 0; k < sizeof order / sizeof order[0]; k++) {
        CHECK_INT(bact__json_elem(&J, 0, order[k]), elem_walk(0, order[k]));
        CHECK_INT(bact__json_elem(&J, 8, order[k] & 1u),
                  elem_walk(8, order[k] & 1u));
    }
    CHECK_INT(bact__json_elem(&J, 0, 5), 12);
    CHECK_INT(bact__json_elem(&J, 0, 6), -1);
    CHECK_INT(bact__json_elem(&J, 0, 5), 12);
    /* a new answer with an array at the same token: read afresh */
    CHECK_INT(load("[[0,0,0],1,2,3,4,5]"), BACT_OK);
    CHECK_INT(bact__json_elem(&J, 0, 5), 9);
    CHECK_INT(load("[0,1,2,3,4,[5]]"), BACT_OK);
    CHECK_INT(bact__json_elem(&J, 0, 5), 6);
    CHECK_INT(bact__json_elem(&J, 0, 1), 2);
}

/* ------------------------------------------------------------------ */
/* Field tables                                                         */
/* ------------------------------------------------------------------ */

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

/* the keys come from the library's pool (bact__keys) */
static const bact__field rec_fields[] = {
    BACT__FIELD(id, ID, 1, rec, id),
    BACT__FIELD(name, STR, 0, rec, name),
    BACT__FIELD(progress, I32, 0, rec, n32),
    BACT__FIELD(credit, I64, 0, rec, n64),
    BACT__FIELD(default_enabled, BOOL, 0, rec, flag),
    BACT__FIELD(items, ARRAY, 0, rec, arr),
    BACT__FIELD(status, STATE, 0, rec, st),
    BACT__FIELD(output, OBJ, 0, rec, obj),
};
#define NREC (sizeof rec_fields / sizeof rec_fields[0])

static int fields(const char *doc, rec *r)
{
    int rc = load(doc);
    memset(r, 0x5A, sizeof *r); /* garbage: every field must be written */
    if (rc != BACT_OK)
        return rc;
    return bact__json_fields(&J, 0, rec_fields, NREC, r);
}

static void fields_all_types(void)
{
    rec r;
    CHECK_INT(fields("{\"extra\":{\"id\":5,\"deep\":[1,{\"id\":6}]},"
                     "\"id\":\"16429034742537847\",\"name\":\"n\\u00e9\","
                     "\"progress\":-7,\"credit\":1759918674000,\"default_enabled\":true,"
                     "\"items\":[1,[2],3],\"status\":\"running\",\"output\":{\"x\":1},"
                     "\"tail\":[{\"name\":\"no\"}]}",
                     &r),
              BACT_OK);
    CHECK_STR(r.id, "16429034742537847");
    CHECK_STR(r.name, "n\xC3\xA9");
    CHECK_INT(r.n32, -7);
    CHECK_INT(r.n64, 1759918674000LL);
    CHECK_INT(r.flag, 1);
    CHECK_INT(r.arr.count, 3);
    CHECK_INT(J.tok[r.arr.tok].type, JSMN_ARRAY);
    CHECK_INT(bact__json_elem(&J, r.arr.tok, 2) >= 0, 1);
    CHECK_INT(r.st.status, BACT_STATUS_RUNNING);
    CHECK_STR(r.st.text, "running");
    CHECK_INT(J.tok[r.obj].type, JSMN_OBJECT);
    CHECK_INT(J.tok[r.obj].size, 1);

    CHECK_INT(fields("{\"id\":\"1\",\"default_enabled\":false}", &r), BACT_OK);
    CHECK_INT(r.flag, 0);
}

static void fields_absent_and_null(void)
{
    rec r;
    CHECK_INT(fields("{\"id\":\"1\"}", &r), BACT_OK);
    CHECK_STR(r.id, "1");
    CHECK(r.name == NULL);
    CHECK_INT(r.n32, 0);
    CHECK_INT(r.n64, -1);
    CHECK_INT(r.flag, 0);
    CHECK_INT(r.arr.tok, -1);
    CHECK_INT(r.arr.count, 0);
    CHECK_INT(r.st.status, BACT_STATUS_OTHER);
    CHECK_STR(r.st.text, "");
    CHECK_INT(r.obj, -1);

    CHECK_INT(fields("{\"id\":\"1\",\"name\":null,\"progress\":null,\"credit\":null,"
                     "\"default_enabled\":null,\"items\":null,\"status\":null,\"output\":null}",
                     &r),
              BACT_OK);
    CHECK(r.name == NULL);
    CHECK_INT(r.n32, 0);
    CHECK_INT(r.n64, -1);
    CHECK_INT(r.flag, 0);
    CHECK_INT(r.arr.tok, -1);
    CHECK_INT(r.st.status, BACT_STATUS_OTHER);
    CHECK_INT(r.obj, -1);

    /* a null first and a value later: the value counts */
    CHECK_INT(fields("{\"id\":\"1\",\"name\":null,\"name\":\"x\"}", &r), BACT_OK);
    CHECK_STR(r.name, "x");
}

static void fields_required(void)
{
    rec r;
    CHECK_INT(fields("{}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":null}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"ID\":\"1\"}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"x\":{\"id\":\"1\"}}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"name\":\"x\",\"unknown\":[1,2,{}]}", &r), BACT_E_SHAPE);
}

static void fields_wrong_types(void)
{
    static const char *const bad[] = {
        "{\"id\":5}",
        "{\"id\":true}",
        "{\"id\":[\"1\"]}",
        "{\"id\":{}}",
        "{\"id\":\"1\",\"name\":5}",
        "{\"id\":\"1\",\"name\":false}",
        "{\"id\":\"1\",\"name\":[]}",
        "{\"id\":\"1\",\"progress\":\"5\"}",
        "{\"id\":\"1\",\"progress\":true}",
        "{\"id\":\"1\",\"progress\":[]}",
        "{\"id\":\"1\",\"credit\":\"5\"}",
        "{\"id\":\"1\",\"default_enabled\":1}",
        "{\"id\":\"1\",\"default_enabled\":\"true\"}",
        "{\"id\":\"1\",\"items\":{}}",
        "{\"id\":\"1\",\"items\":\"[]\"}",
        "{\"id\":\"1\",\"status\":1}",
        "{\"id\":\"1\",\"status\":[\"running\"]}",
        "{\"id\":\"1\",\"output\":[]}",
        "{\"id\":\"1\",\"output\":\"{}\"}",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rec r;
        int rc = fields(bad[i], &r);
        if (rc != BACT_E_SHAPE) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: got %d, want BACT_E_SHAPE", bad[i], rc);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
}

static void fields_id_length(void)
{
    char doc[512];
    char id[BACT_ID_SIZE + 2];
    rec r;
    memset(id, '7', sizeof id);
    id[BACT_ID_SIZE - 1] = '\0'; /* BACT_ID_SIZE - 1 digits: fits */
    snprintf(doc, sizeof doc, "{\"id\":\"%s\"}", id);
    CHECK_INT(fields(doc, &r), BACT_OK);
    CHECK_STR(r.id, id);
    id[BACT_ID_SIZE - 1] = '7';
    id[BACT_ID_SIZE] = '\0'; /* one more: refused, not truncated */
    snprintf(doc, sizeof doc, "{\"id\":\"%s\"}", id);
    CHECK_INT(fields(doc, &r), BACT_E_SHAPE);
    /* the decoded length counts: 47 escapes of 6 bytes each still fit */
    {
        size_t i, o = 0;
        o += (size_t)snprintf(doc + o, sizeof doc - o, "{\"id\":\"");
        for (i = 0; i < BACT_ID_SIZE - 1u; i++)
            o += (size_t)snprintf(doc + o, sizeof doc - o, "\\u0031");
        snprintf(doc + o, sizeof doc - o, "\"}");
        CHECK_INT(fields(doc, &r), BACT_OK);
        CHECK_INT(strlen(r.id), BACT_ID_SIZE - 1u);
        CHECK_INT(r.id[0], '1');
    }
    /* an empty id string is a string */
    CHECK_INT(fields("{\"id\":\"\"}", &r), BACT_OK);
    CHECK_STR(r.id, "");
}

/* An id with a NUL byte inside cannot be held as a C string; copying it
 * would silently cut it ("never truncated", bact_config_defaults.h). */
static void fields_id_with_nul_refused(void)
{
    rec r;
    CHECK_INT(fields("{\"id\":\"123\\u0000456\"}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"status\":\"finished\\u0000x\"}", &r),
              BACT_E_SHAPE);
}

static void fields_status_word(void)
{
    char doc[128];
    char word[BACT_STATUS_SIZE + 2];
    rec r;
    static const char *const words[] = { "created", "running", "finished",
                                         "canceled", "pausing", "paused",
                                         "failed", "unknown" };
    size_t i;
    for (i = 0; i < 8; i++) {
        snprintf(doc, sizeof doc, "{\"id\":\"1\",\"status\":\"%s\"}", words[i]);
        CHECK_INT(fields(doc, &r), BACT_OK);
        CHECK_INT(r.st.status, (int)i + 1);
        CHECK_STR(r.st.text, words[i]);
    }
    memset(word, 'w', sizeof word);
    word[BACT_STATUS_SIZE - 1] = '\0';
    snprintf(doc, sizeof doc, "{\"id\":\"1\",\"status\":\"%s\"}", word);
    CHECK_INT(fields(doc, &r), BACT_OK);
    CHECK_INT(r.st.status, BACT_STATUS_OTHER);
    CHECK_STR(r.st.text, word);
    word[BACT_STATUS_SIZE - 1] = 'w';
    word[BACT_STATUS_SIZE] = '\0';
    snprintf(doc, sizeof doc, "{\"id\":\"1\",\"status\":\"%s\"}", word);
    CHECK_INT(fields(doc, &r), BACT_OK); /* cut to fit, not refused */
    CHECK_INT(r.st.status, BACT_STATUS_OTHER);
    CHECK_INT(strlen(r.st.text), BACT_STATUS_SIZE - 1);
    /* a NUL inside the kept part is refused still, and past it too */
    CHECK_INT(fields("{\"id\":\"1\",\"status\":\"run\\u0000ning\"}", &r),
              BACT_E_SHAPE);
    snprintf(doc, sizeof doc, "{\"id\":\"1\",\"status\":\"%s\\u0000\"}",
             word);
    CHECK_INT(fields(doc, &r), BACT_E_SHAPE);
    /* the cut falls at a character's start: a character over the last
     * kept byte is left out whole, from any of its continuation bytes */
    for (i = 0; i < 4; i++) {
        static const struct { size_t ws; const char *tail; size_t kept; }
        cut[4] = {
            { BACT_STATUS_SIZE - 2, "\xc3\xa9\xc3\xa9", BACT_STATUS_SIZE - 2 },
            { BACT_STATUS_SIZE - 2, "\xe2\x82\xac", BACT_STATUS_SIZE - 2 },
            { BACT_STATUS_SIZE - 3, "\xe2\x82\xac", BACT_STATUS_SIZE - 3 },
            { BACT_STATUS_SIZE - 4, "\xe2\x82\xac\xe2\x82\xac",
              BACT_STATUS_SIZE - 1 }
        };
        memset(word, 'w', sizeof word);
        word[cut[i].ws] = '\0';
        snprintf(doc, sizeof doc, "{\"id\":\"1\",\"status\":\"%s%s\"}",
                 word, cut[i].tail);
        CHECK_INT(fields(doc, &r), BACT_OK);
        CHECK_INT(r.st.status, BACT_STATUS_OTHER);
        CHECK_INT(strlen(r.st.text), cut[i].kept);
        CHECK_INT(memcmp(r.st.text, word, cut[i].ws), 0);
    }
    /* case matters */
    CHECK_INT(fields("{\"id\":\"1\",\"status\":\"Finished\"}", &r), BACT_OK);
    CHECK_INT(r.st.status, BACT_STATUS_OTHER);
}

static void fields_int32_range(void)
{
    rec r;
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":2147483647}", &r), BACT_OK);
    CHECK_INT(r.n32, INT32_MAX);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":-2147483648}", &r), BACT_OK);
    CHECK_INT(r.n32, INT32_MIN);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":-0}", &r), BACT_OK);
    CHECK_INT(r.n32, 0);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":0}", &r), BACT_OK);
    CHECK_INT(r.n32, 0);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":2147483648}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":-2147483649}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":4294967296}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":1.5}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":1.0}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":1e3}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":1E3}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":-1e-3}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"progress\":99999999999999999999999999}", &r),
              BACT_E_SHAPE);
}

static void fields_int64_extremes(void)
{
    rec r;
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":9223372036854775807}", &r), BACT_OK);
    CHECK(r.n64 == INT64_MAX);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":-9223372036854775807}", &r), BACT_OK);
    CHECK(r.n64 == -INT64_MAX);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":9223372036854775808}", &r),
              BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":-9223372036854775809}", &r),
              BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":18446744073709551616}", &r),
              BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":184467440737095516160}", &r),
              BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":1.5}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":1e18}", &r), BACT_E_SHAPE);
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":-1}", &r), BACT_OK);
    CHECK_INT(r.n64, -1);
}

/* INT64_MIN fits an int64_t field. */
static void fields_int64_min(void)
{
    rec r;
    CHECK_INT(fields("{\"id\":\"1\",\"credit\":-9223372036854775808}", &r), BACT_OK);
    CHECK(r.n64 == INT64_MIN);
}

static void fields_bad_object_argument(void)
{
    rec r;
    CHECK_INT(load("{\"id\":\"1\",\"o\":{\"id\":\"2\"},\"a\":[{\"id\":\"3\"}]}"),
              BACT_OK);
    CHECK_INT(bact__json_fields(&J, 0, rec_fields, NREC, &r), BACT_OK);
    CHECK_STR(r.id, "1");
    CHECK_INT(bact__json_fields(&J, 4, rec_fields, NREC, &r), BACT_OK);
    CHECK_STR(r.id, "2");
    CHECK_INT(bact__json_fields(&J, bact__json_elem(&J, 8, 0), rec_fields,
                                NREC, &r),
              BACT_OK);
    CHECK_STR(r.id, "3");
    CHECK_INT(bact__json_fields(&J, 1, rec_fields, NREC, &r), BACT_E_SHAPE);
    CHECK_INT(bact__json_fields(&J, 8, rec_fields, NREC, &r), BACT_E_SHAPE);
    CHECK_INT(bact__json_fields(&J, -1, rec_fields, NREC, &r), BACT_E_SHAPE);
    CHECK_INT(bact__json_fields(&J, J.ntok_used, rec_fields, NREC, &r),
              BACT_E_SHAPE);
    /* absent values are still written when the object is refused */
    CHECK(r.name == NULL);
    CHECK_INT(r.n64, -1);
    /* an array at the top */
    CHECK_INT(load("[{\"id\":\"1\"}]"), BACT_OK);
    CHECK_INT(bact__json_fields(&J, 0, rec_fields, NREC, &r), BACT_E_SHAPE);
    /* parsed but not decoded: refused rather than read raw */
    CHECK_INT(parse("{\"id\":\"1\"}"), BACT_OK);
    CHECK_INT(bact__json_fields(&J, 0, rec_fields, NREC, &r), BACT_E_SHAPE);
}

/* A new text parsed into the same token array (as each answer of a
 * client is): the tokens past the ones it used are an earlier text's. */
static int reparse(const char *s)
{
    size_t n = strlen(s);
    free(jtext);
    jtext = (uint8_t *)malloc(n);
    if (jtext == NULL)
        abort();
    memcpy(jtext, s, n);
    J.buf = jtext;
    J.cap = n;
    J.body_len = n;
    return bact__json_parse(&J);
}

static const bact__field name_field[] = {
    BACT__FIELD(name, STR, 0, rec, name),
};

static void fields_object_bounds(void)
{
    rec r;
    /* an object's members are its own: the member after it in the
     * object around it is not read (rec_fields' id is required) */
    CHECK_INT(load("{\"o\":{\"name\":\"a\"},\"id\":\"1\"}"), BACT_OK);
    CHECK_INT(J.tok[2].type, JSMN_OBJECT);
    CHECK_INT(bact__json_fields(&J, 2, rec_fields, NREC, &r), BACT_E_SHAPE);
    CHECK_STR(r.id, "");
    CHECK_STR(r.name, "a");
    CHECK_INT(bact__json_fields(&J, 0, rec_fields, NREC, &r), BACT_OK);
    CHECK_STR(r.id, "1");
    CHECK(r.name == NULL);
    /* a token past the ones this text used is no object, though an
     * earlier text left one there */
    CHECK_INT(load("[1,{\"name\":\"a\"}]"), BACT_OK);
    CHECK_INT(J.tok[2].type, JSMN_OBJECT);
    CHECK_INT(reparse("[1]"), BACT_OK);
    CHECK_INT(J.ntok_used, 2);
    CHECK_INT(J.tok[2].type, JSMN_OBJECT); /* (the earlier text's) */
    bact__json_decode(&J);
    CHECK_INT(bact__json_fields(&J, 2, name_field, 1, &r), BACT_E_SHAPE);
    CHECK_INT(bact__json_fields(&J, 1, name_field, 1, &r), BACT_E_SHAPE);
}

/* ------------------------------------------------------------------ */
/* Error envelope                                                       */
/* ------------------------------------------------------------------ */

static void envelope_detected(void)
{
    CHECK_INT(load("{\"code\":10112,\"msg\":\"x\",\"traceId\":\"t\"}"), BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.has_code, 1);
    CHECK_INT(J.err.code, 10112);
    CHECK_STR(J.err.msg, "x");
    CHECK_STR(J.err.trace_id, "t");

    CHECK_INT(load("{\"code\":401,\"msg\":\"Invalid authorization\","
                   "\"data\":null,\"ts\":1759917250000,"
                   "\"time\":\"2025-10-08 09:54:10\",\"traceId\":\"ab\\u00e9\"}"),
              BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.code, 401);
    CHECK_STR(J.err.msg, "Invalid authorization");
    CHECK_STR(J.err.trace_id, "ab\xC3\xA9");

    /* of a member named twice, the first counts (a later one that is no
     * integer, or null, is none) */
    CHECK_INT(load("{\"code\":10112,\"msg\":\"a\",\"traceId\":\"t\","
                   "\"code\":0,\"msg\":\"b\",\"traceId\":\"u\"}"),
              BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.code, 10112);
    CHECK_STR(J.err.msg, "a");
    CHECK_STR(J.err.trace_id, "t");
    CHECK_INT(load("{\"code\":null,\"code\":7,\"msg\":5,\"msg\":\"m\"}"),
              BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.code, 7);
    CHECK_STR(J.err.msg, "m");

    /* negative codes and no traceId */
    CHECK_INT(load("{\"msg\":\"m\",\"code\":-1}"), BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.code, -1);
    CHECK(J.err.trace_id == NULL);

    /* a member that does not read is none: the next one of its name
     * counts (a code out of int32 or of another type, a traceId or msg
     * that is no string) */
    CHECK_INT(load("{\"code\":2147483648,\"code\":\"9\",\"code\":true,"
                   "\"traceId\":1,\"msg\":{},\"code\":-2147483648,"
                   "\"traceId\":\"t\",\"msg\":\"m\"}"),
              BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.has_code, 1);
    CHECK_INT(J.err.code, INT32_MIN);
    CHECK_STR(J.err.msg, "m");
    CHECK_STR(J.err.trace_id, "t");

    /* parsed, not decoded (raw mode): names with \u escapes read as what
     * they stand for, and the strings are views of the text as it is */
    CHECK_INT(parse("{\"\\u0063ode\":5,\"m\\u0073g\":\"a\\nb\","
                    "\"trace\\u0049d\":\"x\"}"),
              BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 1);
    CHECK_INT(J.err.has_code, 1);
    CHECK_INT(J.err.code, 5);
    CHECK(memcmp(J.err.msg, "a\\nb\"", 5) == 0);
    CHECK(memcmp(J.err.trace_id, "x\"", 2) == 0);
    /* a \u escape counts where a backslash starts it, nowhere else:
     * "xu0063ode" is no code (the escape in msg makes the text one that
     * holds escapes) */
    CHECK_INT(parse("{\"xu0063ode\":5,\"m\\u0073g\":\"m\"}"), BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 0);
    CHECK_INT(J.err.has_code, 0);
    CHECK_INT(J.err.code, 0);
    CHECK(memcmp(J.err.msg, "m\"", 2) == 0);
    /* once decoded, a backslash is itself: the name "\u0063ode" (an
     * escaped backslash in the text) is no code */
    CHECK_INT(load("{\"\\\\u0063ode\":5,\"msg\":\"m\"}"), BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 0);
    CHECK_INT(J.err.has_code, 0);
    CHECK_INT(J.err.code, 0);
    CHECK_STR(J.err.msg, "m");
    /* ... and a short escape in a name is no letter of it */
    CHECK_INT(parse("{\"code\":5,\"ms\\/g\":\"m\"}"), BACT_OK);
    CHECK_INT(bact__json_envelope(&J), 0);
    CHECK(J.err.msg == NULL);
}

static void envelope_not_detected(void)
{
    static const char *const no[] = {
        "{\"code\":0,\"msg\":\"ok\",\"traceId\":\"t\"}",
        "{\"code\":\"10112\",\"msg\":\"x\"}",
        "{\"code\":10112}",
        "{\"code\":10112,\"msg\":null}",
        "{\"code\":10112,\"msg\":5}",
        "{\"code\":1.5,\"msg\":\"x\"}",
        "{\"code\":null,\"msg\":\"x\"}",
        "{\"code\":99999999999,\"msg\":\"x\"}",
        "{\"msg\":\"x\"}",
        "[{\"code\":10112,\"msg\":\"x\"}]",
        "{\"id\":\"1\",\"status\":\"running\"}",
        "{\"data\":{\"code\":10112,\"msg\":\"x\"}}",
        "{\"code\":0,\"msg\":\"ok\",\"code\":10112}",
    };
    size_t i;
    for (i = 0; i < sizeof no / sizeof no[0]; i++) {
        CHECK_INT(load(no[i]), BACT_OK);
        if (bact__json_envelope(&J) != 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s taken for an envelope", no[i]);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    /* a top-level array is no envelope, whatever its elements (and
     * has_code stays as the attempt began it) */
    CHECK_INT(load("[\"code\",10112,\"msg\",\"x\"]"), BACT_OK);
    CHECK_INT(J.err.has_code, 0);
    CHECK_INT(bact__json_envelope(&J), 0);
    CHECK_INT(J.err.has_code, 0);
    /* an object with none of the members: no code, whatever an earlier
     * answer had */
    CHECK_INT(load("{\"data\":{\"code\":1,\"msg\":\"x\"}}"), BACT_OK);
    J.err.has_code = 1;
    J.err.code = 10112;
    J.err.msg = "old";
    CHECK_INT(bact__json_envelope(&J), 0);
    CHECK_INT(J.err.has_code, 0);
    CHECK_INT(J.err.code, 0);
    CHECK(J.err.msg == NULL);
    /* the code is this answer's: none here, whatever an earlier one had */
    CHECK_INT(load("{\"msg\":\"x\",\"traceId\":\"t\"}"), BACT_OK);
    J.err.has_code = 1;
    J.err.code = 10112;
    CHECK_INT(bact__json_envelope(&J), 0);
    CHECK_INT(J.err.has_code, 0);
    /* nothing parsed: never an envelope */
    CHECK_INT(parse("{\"code\":1,\"msg\":\"x\",}"), BACT_E_JSON);
    CHECK_INT(bact__json_envelope(&J), 0);
}

/* every key of the pool reads as its name: a terminated member and a key
 * that ends it NUL-terminated, a bare member and one inside its host up
 * to its length */
static void key_pool(void)
{
#define KEY_CHECK(k) CHECK_STR(BACT__KEY(k), #k);
#define BARE_CHECK(k) CHECK(memcmp(BACT__KEY(k), #k, BACT__KEY_LEN(k)) == 0);
#define PART_CHECK(k, in, at)                                              \
    CHECK(memcmp(BACT__KEY(k), #k, BACT__KEY_LEN(k)) == 0);                \
    CHECK(BACT__K_##k + BACT__KEY_LEN(k) <= BACT__K_##in + sizeof #in - 1u);
    BACT__KEYS_Z(KEY_CHECK)
    BACT__KEYS(BARE_CHECK)
    BACT__KEY_PARTS(PART_CHECK)
#undef KEY_CHECK
#undef BARE_CHECK
#undef PART_CHECK
    /* the keys the request bodies write end there */
    CHECK_STR(BACT__KEY(name), "name");
    CHECK_STR(BACT__KEY(callback_url), "callback_url");
    /* the save_browser_data member as a body writes it ends the pool,
     * its key inside it */
    CHECK(memcmp(BACT__KEY(save_browser_data), "save_browser_data",
                 BACT__KEY_LEN(save_browser_data)) == 0);
    CHECK_STR(BACT__KEY(save_browser_data) - 2, BACT__SAVE_MEMBER);
    CHECK_STR(BACT__SAVE_MEMBER, ",\"save_browser_data\":true");
}

static const t_case cases[] = {
    T_CASE(valid_documents),
    T_CASE(valid_top_level_scalars),
    T_CASE(body_length_bound),
    T_CASE(tokens_of_valid_document),
    T_CASE(invalid_documents),
    T_CASE(strings_word_positions),
    T_CASE(invalid_leaves_no_tokens),
    T_CASE(depth_limit),
    T_CASE(depth_mixed_kinds),
    T_CASE(deep_nesting_does_not_crash),
    T_CASE(token_counts),
    T_CASE(decode_every_escape),
    T_CASE(decode_utf8_length_edges),
    T_CASE(decode_keys_and_neighbours),
    T_CASE(decode_nul_escape),
    T_CASE(decode_once_only),
    T_CASE(decode_raw_utf8_untouched),
    T_CASE(skip_and_elem),
    T_CASE(elem_cursor),
    T_CASE(fields_all_types),
    T_CASE(fields_absent_and_null),
    T_CASE(fields_required),
    T_CASE(fields_wrong_types),
    T_CASE(fields_id_length),
    T_CASE(fields_id_with_nul_refused),
    T_CASE(fields_status_word),
    T_CASE(fields_int32_range),
    T_CASE(fields_int64_extremes),
    T_CASE(fields_int64_min),
    T_CASE(fields_bad_object_argument),
    T_CASE(fields_object_bounds),
    T_CASE(envelope_detected),
    T_CASE(envelope_not_detected),
    T_CASE(key_pool),
};

int main(void) { return t_main("json_read", cases, sizeof cases / sizeof cases[0]); }
