/*
 * cli_args.h - command-line scanning and value parsing for the host tool.
 *
 * Knows nothing about BrowserAct: an option table scanner that understands
 * "--name value", "--name=value", short flags and "--", strict number
 * parsers, and the one place that writes "bact: ..." lines to stderr.
 */
#ifndef BACT_CLI_ARGS_H
#define BACT_CLI_ARGS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CLI_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define CLI_PRINTF(fmt, first)
#endif

/** One accepted option. Long names ("--x") also take "--x=value". */
typedef struct cli_opt {
    const char *name;  /**< "--base-url", "-p" */
    int id;            /**< the caller's identifier */
    int takes_value;   /**< 1: the option has a value */
} cli_opt;

/** What cli_next() found. */
typedef enum cli_tok {
    CLI_END = 0,       /**< no arguments left */
    CLI_ARG,           /**< a positional argument (item.text) */
    CLI_OPT,           /**< an option (item.opt, item.value) */
    CLI_E_UNKNOWN,     /**< not in the table (item.text) */
    CLI_E_NO_VALUE,    /**< the last argument, but it needs a value */
    CLI_E_EXTRA_VALUE, /**< "--flag=x" for a flag without a value */
    CLI_E_SHORT_VALUE  /**< "-p=x": a short option's value comes next */
} cli_tok;

/** Scanner state over argv[next..argc). */
typedef struct cli_scan {
    int argc;
    char **argv;
    int next;          /**< index of the next argument to look at */
    int args_only;     /**< "--" seen: everything else is positional */
} cli_scan;

typedef struct cli_item {
    const cli_opt *opt; /**< CLI_OPT and the value errors */
    char *value;        /**< the option's value (points into argv) */
    const char *text;   /**< the argument as typed */
} cli_item;

/** Start scanning argv at index first. */
void cli_scan_init(cli_scan *s, int argc, char **argv, int first);

/** Read the next argument; each call consumes one or two of them. */
cli_tok cli_next(cli_scan *s, const cli_opt *tab, size_t n, cli_item *it);

/** The table entry that arg ("--x" or "--x=v") names, or NULL. */
const cli_opt *cli_find(const cli_opt *tab, size_t n, const char *arg);

/** Decimal digits only (no sign, no blanks), lo <= value <= hi.
 *  Returns 0 on success, -1 otherwise. */
int cli_parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out);

/** An optional '-' and decimal digits, within int32_t. 0 or -1. */
int cli_parse_i32(const char *s, int32_t *out);

/** Non-negative seconds with an optional fraction ("5", "0.2", ".5",
 *  "1.25") to milliseconds, digits past the third decimal dropped. The
 *  result is below 0xFFFFFFFF (so never BACT_WAIT_FOREVER). 0 or -1. */
int cli_parse_seconds(const char *s, uint32_t *ms);

/* 1 when s is UTF-8 (RFC 3629), as JSON text must be; the library refuses
 * anything else in a request body. */
int cli_is_utf8(const char *s);
/* The length of the control character at s: 1 for C0 or DEL, 2 for a C1
 * one in UTF-8 (U+0080..U+009F, which some terminals obey), else 0. */
size_t cli_control_len(const char *s);

/* The start of the character byte s[i] is in (i itself for ASCII, a lead
 * byte or text that is not UTF-8). */
size_t cli_char_start(const char *s, size_t i);
/* src into dst[size] (size at least 4); when it does not fit, cut where a
 * character starts and ended by "...", so that a cut shows. */
void cli_copy_cut(char *dst, size_t size, const char *src);

/* The API key, kept off stderr from here on: in what cli_msg() writes and
 * cli_copy_cut() copies, each copy of it becomes '*'s, and so does a start
 * of it (4 bytes or more) that a cut ends on. A key shorter than
 * CLI_SECRET_MIN is not looked for: its bytes are too likely in the text. */
#define CLI_SECRET_MIN 8u
void cli_set_secret(const char *key);

/** Write "bact: <message>\n" to stderr as one line: control characters in
 *  the formatted text (cli_control_len()) become spaces, overlong text is
 *  cut where a character starts and ends in "...". */
void cli_msg(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_vmsg(const char *fmt, va_list ap) CLI_PRINTF(1, 0);

#endif /* BACT_CLI_ARGS_H */
