/*
 * test_json_write.c - the bounded, escaping JSON writer (src/json_write.c).
 *
 * Each document is written by a small script function; doc() runs it into
 * a roomy buffer, into NULL/0 (measuring), and into buffers of every size
 * from 0 to the needed size, each followed by guard bytes. At every size
 * the reported length must be the full size, nothing may be written past
 * the capacity, and what was written must be a clean prefix of the
 * document with nothing after the first byte left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

#define GUARD 0x5A
#define DOC_MAX 4096u

typedef void (*script_fn)(bact__jw *w);

static char full[DOC_MAX + 1u];
static char mem[DOC_MAX + 64u];

/* Run script at capacity cap into mem (guarded); returns the writer. */
static bact__jw run_at(script_fn script, size_t cap)
{
    bact__jw w;
    memset(mem, GUARD, sizeof mem);
    bact__jw_init(&w, mem, cap);
    script(&w);
    return w;
}

/*
 * Check that script writes exactly want (bad flag want_bad) and behaves at
 * every capacity. Returns 1 when all is well.
 */
static int doc_check(int line, script_fn script, const char *want,
                     int want_bad)
{
    bact__jw w;
    size_t need = strlen(want), cap, i;
    char msg[DOC_MAX + 300u];

    if (need > DOC_MAX)
        abort();
    /* roomy */
    w = run_at(script, DOC_MAX);
    if (w.b.len > DOC_MAX) {
        snprintf(msg, sizeof msg, "document over %u bytes", DOC_MAX);
        t_fail(__FILE__, line, msg);
        return 0;
    }
    memcpy(full, mem, w.b.len);
    full[w.b.len] = '\0';
    if (strcmp(full, want) != 0 || w.b.len != need) {
        snprintf(msg, sizeof msg, "wrote '%s' (len %lu), want '%s'", full,
                 (unsigned long)w.b.len, want);
        t_fail(__FILE__, line, msg);
        return 0;
    }
    if (w.bad != want_bad) {
        snprintf(msg, sizeof msg, "bad = %u, want %d for '%s'",
                 (unsigned)w.bad, want_bad, want);
        t_fail(__FILE__, line, msg);
        return 0;
    }
    /* measure only */
    bact__jw_init(&w, NULL, 0);
    script(&w);
    if (w.b.len != need || w.bad != want_bad) {
        snprintf(msg, sizeof msg, "measuring: len %lu bad %u, want %lu",
                 (unsigned long)w.b.len, (unsigned)w.bad, (unsigned long)need);
        t_fail(__FILE__, line, msg);
        return 0;
    }
    /* every capacity from 0 to exact fit (and one over) */
    for (cap = 0; cap <= need + 1u; cap++) {
        int hole = 0;
        w = run_at(script, cap);
        if (w.b.len != need) {
            snprintf(msg, sizeof msg, "cap %lu: len %lu, want %lu",
                     (unsigned long)cap, (unsigned long)w.b.len,
                     (unsigned long)need);
            t_fail(__FILE__, line, msg);
            return 0;
        }
        for (i = cap; i < sizeof mem; i++) {
            if ((unsigned char)mem[i] != GUARD) {
                snprintf(msg, sizeof msg, "cap %lu: byte %lu written past cap",
                         (unsigned long)cap, (unsigned long)i);
                t_fail(__FILE__, line, msg);
                return 0;
            }
        }
        for (i = 0; i < cap && i < need; i++) {
            if ((unsigned char)mem[i] == GUARD && want[i] != GUARD) {
                hole = 1;
            } else if (hole || mem[i] != want[i]) {
                snprintf(msg, sizeof msg,
                         "cap %lu: byte %lu is not a clean prefix of '%s'",
                         (unsigned long)cap, (unsigned long)i, want);
                t_fail(__FILE__, line, msg);
                return 0;
            }
        }
        if (cap >= need && (hole || memcmp(mem, want, need) != 0)) {
            snprintf(msg, sizeof msg, "cap %lu: document not whole",
                     (unsigned long)cap);
            t_fail(__FILE__, line, msg);
            return 0;
        }
    }
    return 1;
}

#define DOC(script, want) doc_check(__LINE__, script, want, 0)
#define DOC_BAD(script, want) doc_check(__LINE__, script, want, 1)

/* ------------------------------------------------------------------ */
/* Scripts                                                              */
/* ------------------------------------------------------------------ */

static void s_empty_obj(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_end(w, '}');
}

static void s_empty_arr(bact__jw *w)
{
    bact__jw_arr(w);
    bact__jw_end(w, ']');
}

static void s_flat_obj(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_key(w, "a");
    bact__jw_str(w, "x");
    bact__jw_key(w, "b");
    bact__jw_bool(w, 1);
    bact__jw_key(w, "c");
    bact__jw_bool(w, 0);
    bact__jw_key(w, "d");
    bact__jw_int(w, -5);
    bact__jw_kstr(w, "e", "");
    bact__jw_end(w, '}');
}

static void s_flat_arr(bact__jw *w)
{
    bact__jw_arr(w);
    bact__jw_str(w, "a");
    bact__jw_int(w, 1);
    bact__jw_bool(w, 1);
    bact__jw_obj(w);
    bact__jw_end(w, '}');
    bact__jw_arr(w);
    bact__jw_end(w, ']');
    bact__jw_str(w, "");
    bact__jw_end(w, ']');
}

static void s_nested(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_key(w, "a");
    bact__jw_obj(w);
    bact__jw_key(w, "b");
    bact__jw_arr(w);
    bact__jw_int(w, 1);
    bact__jw_arr(w);
    bact__jw_int(w, 2);
    bact__jw_arr(w);
    bact__jw_end(w, ']');
    bact__jw_end(w, ']');
    bact__jw_obj(w);
    bact__jw_end(w, '}');
    bact__jw_end(w, ']');
    bact__jw_end(w, '}');
    bact__jw_key(w, "c");
    bact__jw_arr(w);
    bact__jw_end(w, ']');
    bact__jw_key(w, "d");
    bact__jw_obj(w);
    bact__jw_kstr(w, "e", "f");
    bact__jw_end(w, '}');
    bact__jw_end(w, '}');
}

static void s_array_of_objects(bact__jw *w)
{
    int i;
    bact__jw_arr(w);
    for (i = 0; i < 3; i++) {
        bact__jw_obj(w);
        bact__jw_kstr(w, "name", i == 1 ? NULL : "n");
        bact__jw_key(w, "i");
        bact__jw_int(w, i);
        bact__jw_end(w, '}');
    }
    bact__jw_end(w, ']');
}

/* the shape api.c writes for run-task */
static void s_run_task(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "workflow_id", "16217357109956214");
    bact__jw_key(w, "input_parameters");
    bact__jw_arr(w);
    bact__jw_obj(w);
    bact__jw_kstr(w, "name", "query");
    bact__jw_kstr(w, "value", "coffee \"beans\"");
    bact__jw_end(w, '}');
    bact__jw_end(w, ']');
    bact__jw_key(w, "save_browser_data");
    bact__jw_bool(w, 1);
    bact__jw_kstr(w, "profile_id", NULL);
    bact__jw_kstr(w, "callback_url", "https://example.com/hook?a=1&b=2");
    bact__jw_end(w, '}');
}

static void s_kstr_null_first(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "x", NULL);
    bact__jw_kstr(w, "c", "d");
    bact__jw_kstr(w, "y", NULL);
    bact__jw_end(w, '}');
}

static void s_kstr_null_only(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "x", NULL);
    bact__jw_kstr(w, NULL, NULL); /* the key is not even looked at */
    bact__jw_end(w, '}');
}

static void s_kstr_between(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "a", "b");
    bact__jw_kstr(w, "x", NULL);
    bact__jw_kstr(w, "c", "d");
    bact__jw_end(w, '}');
}

static void s_escapes(bact__jw *w)
{
    bact__jw_str(w, "q\"b\\s/n\nr\rt\tb\bf\f");
}

static void s_controls(bact__jw *w)
{
    bact__jw_arr(w);
    bact__jw_str(w, "\x01");
    bact__jw_str(w, "\x1f");
    bact__jw_str(w, "a\x0b" "b\x00");
    bact__jw_str(w, "\x7f");
    bact__jw_str(w, "\x1b[0m");
    bact__jw_end(w, ']');
}

static void s_utf8(bact__jw *w)
{
    bact__jw_str(w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
}

/* not UTF-8: each is written through but marks the writer bad */
static void s_bad_ff(bact__jw *w) { bact__jw_str(w, "a\xff"); }
static void s_bad_lone_cont(bact__jw *w) { bact__jw_str(w, "\x80" "b"); }
static void s_bad_overlong(bact__jw *w) { bact__jw_str(w, "\xc0\xaf"); }
static void s_bad_overlong3(bact__jw *w) { bact__jw_str(w, "\xe0\x80\xaf"); }
static void s_bad_surrogate(bact__jw *w) { bact__jw_str(w, "\xed\xa0\x80"); }
static void s_bad_above_max(bact__jw *w) { bact__jw_str(w, "\xf4\x90\x80\x80"); }
static void s_bad_cut_at_end(bact__jw *w) { bact__jw_str(w, "\xe2\x82"); }
static void s_bad_cut_by_ascii(bact__jw *w) { bact__jw_str(w, "\xe2x\x82"); }
static void s_bad_key(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "k\xfe", "v");
    bact__jw_end(w, '}');
}

static void s_escaped_key(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "k\"\n\x01", "v\\");
    bact__jw_end(w, '}');
}

static void s_all_escapes_in_a_row(bact__jw *w)
{
    bact__jw_str(w, "\"\"\\\\\n\n\x02\x02");
}

static void s_ints(bact__jw *w)
{
    bact__jw_arr(w);
    bact__jw_int(w, INT32_MIN);
    bact__jw_int(w, INT32_MAX);
    bact__jw_int(w, 0);
    bact__jw_int(w, -1);
    bact__jw_int(w, 10);
    bact__jw_int(w, -2147483647);
    bact__jw_end(w, ']');
}

static void s_bools(bact__jw *w)
{
    bact__jw_arr(w);
    bact__jw_bool(w, 5);
    bact__jw_bool(w, -1);
    bact__jw_bool(w, 0);
    bact__jw_end(w, ']');
}

static void s_top_scalars(bact__jw *w)
{
    bact__jw_int(w, 7);
}

static void s_top_string(bact__jw *w)
{
    bact__jw_str(w, "");
}

static void s_deep_ok(bact__jw *w)
{
    int i;
    for (i = 0; i < 31; i++)
        bact__jw_arr(w);
    bact__jw_int(w, 1);
    bact__jw_int(w, 2);
    for (i = 0; i < 31; i++)
        bact__jw_end(w, ']');
}

static void s_deep_objects(bact__jw *w)
{
    int i;
    for (i = 0; i < 31; i++) {
        bact__jw_obj(w);
        bact__jw_key(w, "k");
    }
    bact__jw_bool(w, 0);
    for (i = 0; i < 31; i++)
        bact__jw_end(w, '}');
}

static void s_too_deep(bact__jw *w)
{
    int i;
    for (i = 0; i < 32; i++)
        bact__jw_arr(w);
}

static void s_end_without_open(bact__jw *w)
{
    bact__jw_end(w, '}');
}

static void s_end_too_many(bact__jw *w)
{
    bact__jw_arr(w);
    bact__jw_end(w, ']');
    bact__jw_end(w, ']');
}

static void s_bad_is_sticky(bact__jw *w)
{
    bact__jw_end(w, ']');
    bact__jw_arr(w);
    bact__jw_int(w, 1);
    bact__jw_end(w, ']');
}

static char long_str[1500];

static void s_long_string(bact__jw *w)
{
    bact__jw_obj(w);
    bact__jw_kstr(w, "s", long_str);
    bact__jw_end(w, '}');
}

/* ------------------------------------------------------------------ */
/* Cases                                                                */
/* ------------------------------------------------------------------ */

static void empty_containers(void)
{
    DOC(s_empty_obj, "{}");
    DOC(s_empty_arr, "[]");
}

static void flat_object(void)
{
    DOC(s_flat_obj, "{\"a\":\"x\",\"b\":true,\"c\":false,\"d\":-5,\"e\":\"\"}");
}

static void flat_array(void)
{
    DOC(s_flat_arr, "[\"a\",1,true,{},[],\"\"]");
}

static void nesting_commas(void)
{
    DOC(s_nested,
        "{\"a\":{\"b\":[1,[2,[]],{}]},\"c\":[],\"d\":{\"e\":\"f\"}}");
    DOC(s_array_of_objects,
        "[{\"name\":\"n\",\"i\":0},{\"i\":1},{\"name\":\"n\",\"i\":2}]");
}

static void request_body_shape(void)
{
    DOC(s_run_task,
        "{\"workflow_id\":\"16217357109956214\",\"input_parameters\":"
        "[{\"name\":\"query\",\"value\":\"coffee \\\"beans\\\"\"}],"
        "\"save_browser_data\":true,"
        "\"callback_url\":\"https://example.com/hook?a=1&b=2\"}");
}

static void kstr_null_writes_nothing(void)
{
    DOC(s_kstr_null_first, "{\"c\":\"d\"}");
    DOC(s_kstr_null_only, "{}");
    DOC(s_kstr_between, "{\"a\":\"b\",\"c\":\"d\"}");
}

static void escape_named(void)
{
    DOC(s_escapes, "\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\f\"");
    DOC(s_all_escapes_in_a_row, "\"\\\"\\\"\\\\\\\\\\n\\n\\u0002\\u0002\"");
}

static void escape_controls_and_del(void)
{
    /* the string stops at its NUL: "a\vb" */
    DOC(s_controls,
        "[\"\\u0001\",\"\\u001f\",\"a\\u000bb\",\"\\u007f\",\"\\u001b[0m\"]");
}

static void utf8_passes_through(void)
{
    DOC(s_utf8, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"");
}

static void not_utf8_is_bad(void)
{
    DOC_BAD(s_bad_ff, "\"a\xff\"");
    DOC_BAD(s_bad_lone_cont, "\"\x80" "b\"");
    DOC_BAD(s_bad_overlong, "\"\xc0\xaf\"");
    DOC_BAD(s_bad_overlong3, "\"\xe0\x80\xaf\"");
    DOC_BAD(s_bad_surrogate, "\"\xed\xa0\x80\"");
    DOC_BAD(s_bad_above_max, "\"\xf4\x90\x80\x80\"");
    DOC_BAD(s_bad_cut_at_end, "\"\xe2\x82\"");
    DOC_BAD(s_bad_cut_by_ascii, "\"\xe2x\x82\"");
    DOC_BAD(s_bad_key, "{\"k\xfe\":\"v\"}");
}

static void escape_in_keys(void)
{
    DOC(s_escaped_key, "{\"k\\\"\\n\\u0001\":\"v\\\\\"}");
}

static void every_control_byte(void)
{
    /* each of 0x01..0x1f and 0x7f alone, measured and written */
    unsigned ch;
    for (ch = 1; ch < 0x80u; ch++) {
        char in[2], out[16], want[16];
        bact__jw w;
        in[0] = (char)ch;
        in[1] = '\0';
        memset(out, GUARD, sizeof out);
        bact__jw_init(&w, out, sizeof out - 1u);
        bact__jw_str(&w, in);
        out[w.b.len < sizeof out ? w.b.len : 0] = '\0';
        switch (ch) {
        case '"': strcpy(want, "\"\\\"\""); break;
        case '\\': strcpy(want, "\"\\\\\""); break;
        case '\n': strcpy(want, "\"\\n\""); break;
        case '\r': strcpy(want, "\"\\r\""); break;
        case '\t': strcpy(want, "\"\\t\""); break;
        case '\b': strcpy(want, "\"\\b\""); break;
        case '\f': strcpy(want, "\"\\f\""); break;
        default:
            if (ch < 0x20u || ch == 0x7Fu)
                snprintf(want, sizeof want, "\"\\u%04x\"", ch);
            else
                snprintf(want, sizeof want, "\"%c\"", (char)ch);
            break;
        }
        if (strcmp(out, want) != 0) {
            char msg[96];
            snprintf(msg, sizeof msg, "byte 0x%02x: got %s want %s", ch, out,
                     want);
            t_fail(__FILE__, __LINE__, msg);
            return;
        }
    }
}

static void int_extremes(void)
{
    DOC(s_ints, "[-2147483648,2147483647,0,-1,10,-2147483647]");
    DOC(s_bools, "[true,true,false]");
}

static void top_level_values(void)
{
    DOC(s_top_scalars, "7");
    DOC(s_top_string, "\"\"");
}

static void depth_limit(void)
{
    char want[200];
    size_t n = 0;
    int i;
    for (i = 0; i < 31; i++)
        want[n++] = '[';
    memcpy(want + n, "1,2", 3);
    n += 3;
    for (i = 0; i < 31; i++)
        want[n++] = ']';
    want[n] = '\0';
    DOC(s_deep_ok, want);
    n = 0;
    for (i = 0; i < 31; i++) {
        memcpy(want + n, "{\"k\":", 5);
        n += 5;
    }
    memcpy(want + n, "false", 5);
    n += 5;
    for (i = 0; i < 31; i++)
        want[n++] = '}';
    want[n] = '\0';
    DOC(s_deep_objects, want);
}

static void depth_overflow_sets_bad(void)
{
    bact__jw w;
    char buf[64];
    int i;
    bact__jw_init(&w, buf, sizeof buf);
    for (i = 0; i < 31; i++)
        bact__jw_arr(&w);
    CHECK_INT(w.bad, 0);
    CHECK_INT(w.depth, 31);
    bact__jw_arr(&w);
    CHECK_INT(w.bad, 1);
    CHECK(w.depth <= 31);
    /* also through the doc checker (every capacity) */
    w = run_at(s_too_deep, DOC_MAX);
    CHECK_INT(w.bad, 1);
}

static void end_without_open_sets_bad(void)
{
    DOC_BAD(s_end_without_open, "");
    DOC_BAD(s_end_too_many, "[]");
    DOC_BAD(s_bad_is_sticky, "[1]");
}

static void init_resets(void)
{
    bact__jw w;
    char buf[32];
    memset(buf, 0, sizeof buf);
    bact__jw_init(&w, buf, sizeof buf);
    bact__jw_end(&w, '}');
    bact__jw_arr(&w);
    bact__jw_int(&w, 1);
    CHECK_INT(w.bad, 1);
    bact__jw_init(&w, buf, sizeof buf);
    CHECK_INT(w.bad, 0);
    CHECK_INT(w.depth, 0);
    CHECK_INT(w.b.len, 0);
    bact__jw_arr(&w);
    bact__jw_int(&w, 2);
    bact__jw_end(&w, ']');
    CHECK_INT(w.b.len, 3);
    CHECK(memcmp(buf, "[2]", 3) == 0);
    CHECK_INT(w.bad, 0);
}

static void long_string_boundaries(void)
{
    size_t i;
    char *want = (char *)malloc(sizeof long_str + 64u);
    if (want == NULL)
        abort();
    for (i = 0; i + 1u < sizeof long_str; i++)
        long_str[i] = (i % 100u == 99u) ? '"' : (char)('a' + (char)(i % 26u));
    long_str[sizeof long_str - 1u] = '\0';
    {
        size_t n = 0;
        memcpy(want, "{\"s\":\"", 6);
        n = 6;
        for (i = 0; long_str[i] != '\0'; i++) {
            if (long_str[i] == '"')
                want[n++] = '\\';
            want[n++] = long_str[i];
        }
        memcpy(want + n, "\"}", 3);
    }
    DOC(s_long_string, want);
    free(want);
}

static void measure_then_write(void)
{
    /* the measured size is exactly what a second pass needs */
    bact__jw w;
    char *buf;
    bact__jw_init(&w, NULL, 0);
    s_run_task(&w);
    CHECK(w.b.len > 0);
    buf = (char *)malloc(w.b.len); /* exact: ASan sees any overrun */
    if (buf == NULL)
        abort();
    {
        size_t need = w.b.len;
        bact__jw_init(&w, buf, need);
        s_run_task(&w);
        CHECK_INT(w.b.len, need);
        CHECK_INT(buf[0], '{');
        CHECK_INT(buf[need - 1u], '}');
    }
    free(buf);
}

static const t_case cases[] = {
    T_CASE(empty_containers),
    T_CASE(flat_object),
    T_CASE(flat_array),
    T_CASE(nesting_commas),
    T_CASE(request_body_shape),
    T_CASE(kstr_null_writes_nothing),
    T_CASE(escape_named),
    T_CASE(escape_controls_and_del),
    T_CASE(utf8_passes_through),
    T_CASE(not_utf8_is_bad),
    T_CASE(escape_in_keys),
    T_CASE(every_control_byte),
    T_CASE(int_extremes),
    T_CASE(top_level_values),
    T_CASE(depth_limit),
    T_CASE(depth_overflow_sets_bad),
    T_CASE(end_without_open_sets_bad),
    T_CASE(init_resets),
    T_CASE(long_string_boundaries),
    T_CASE(measure_then_write),
};

int main(void)
{
    return t_main("json_write", cases, sizeof cases / sizeof cases[0]);
}
