/*
 * bact_cli.c - the host command-line tool `bact`.
 *
 * Its contract is docs/CLI.md: commands, options, output forms and exit
 * codes there are what scripts depend on. The tool uses the library exactly
 * as an application would: one client for the whole run, the POSIX port,
 * and its own (static) work buffer and token array.
 *
 * Shape of a run: parse the global options, find the command in the table,
 * parse and check its options (every usage error is caught before anything
 * is sent), set up the client, run the command's handler, close.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "bact.h"
#include "bact_posix.h"
#include "cli_args.h"
#ifdef BACT_HAVE_TLS
#include "bact_mbedtls.h"
#endif

/* ------------------------------------------------------------------ */
/* Limits and defaults                                                  */
/* ------------------------------------------------------------------ */

enum exit_code {
    EX_OK = 0,
    EX_API = 1,         /* the API answered with an error */
    EX_USAGE = 2,       /* refused before anything was sent */
    EX_NET = 3,         /* DNS, connect, timeout, early close */
    EX_TLS = 4,         /* TLS, or https in a build without it */
    EX_PROTO = 5,       /* malformed response, or over the tool's limits */
    EX_TASK_FAILED = 6, /* wait: the task failed or was canceled */
    EX_DEADLINE = 7     /* wait: --max-wait ran out */
};

#define DEFAULT_BASE_URL "https://api.browseract.com"
#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define DEFAULT_TIMEOUT_MS 30000u
#define MAX_TIMEOUT_MS (UINT32_MAX / 4u) /* attempt_ms = 4 x timeout */
#define DEFAULT_RETRIES 3u
#define MAX_RETRIES 20u
#define DEFAULT_INTERVAL_MS 5000u
#define MAX_HEADER_BYTES 16384u
#define MAX_HEADERS 16384u
#define MAX_PARAMS 1024u
#define MAX_LIMIT 500u
#define WORK_BUF_SIZE (2u << 20)
/* A JSON text of n bytes has at most (n + 1) / 2 tokens: an array or
 * object takes two bytes (its brackets), any other token at least one,
 * and each token but the first in its container follows a ',' or ':'.
 * With this many, no body that fits the buffer is refused for its token
 * count (16 MiB of static storage, fine on the host). */
#define N_TOKENS (WORK_BUF_SIZE / 2u + 1u)

/* The client's memory: requests are built here and response bodies land
 * here, so WORK_BUF_SIZE is also the largest body the tool accepts. */
static uint8_t work_buf[WORK_BUF_SIZE];
static jsmntok_t tokens[N_TOKENS];

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(o) ((uint32_t)1u << (o))

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

enum global_id {
    G_BASE_URL, G_API_KEY, G_CA_FILE, G_TIMEOUT, G_RETRIES,
    G_JSON, G_VERBOSE, G_HELP, G_VERSION
};

static const cli_opt global_opts[] = {
    {"--base-url", G_BASE_URL, 1},
    {"--api-key", G_API_KEY, 1},
    {"--ca-file", G_CA_FILE, 1},
    {"--timeout", G_TIMEOUT, 1},
    {"--retries", G_RETRIES, 1},
    {"--json", G_JSON, 0},
    {"-v", G_VERBOSE, 0},
    {"--verbose", G_VERBOSE, 0},
    {"-h", G_HELP, 0},
    {"--help", G_HELP, 0},
    {"--version", G_VERSION, 0}
};

typedef struct globals {
    const char *base_url; /* NULL: env, then the default */
    const char *api_key;  /* NULL: env */
    const char *ca_file;  /* NULL: DEFAULT_CA_FILE */
    uint32_t timeout_ms;
    uint32_t retries;
    int json, verbose, help, version;
} globals;

enum opt_id {
    O_PARAM, O_SAVE_BROWSER_DATA, O_PROFILE_ID, O_CALLBACK_URL,
    O_STATUS_CALLBACK_URL, O_WAIT, O_INTERVAL, O_MAX_WAIT, O_REGION,
    O_BIZ_CODE, O_STATUS, O_WORKFLOW_ID, O_WORKFLOW_NAME, O_FROM, O_TO,
    O_PAGE, O_LIMIT, O_KEYWORD, O_HELP
};

static const cli_opt command_opts[] = {
    {"-p", O_PARAM, 1},
    {"--save-browser-data", O_SAVE_BROWSER_DATA, 0},
    {"--profile-id", O_PROFILE_ID, 1},
    {"--callback-url", O_CALLBACK_URL, 1},
    {"--status-callback-url", O_STATUS_CALLBACK_URL, 1},
    {"--wait", O_WAIT, 0},
    {"--interval", O_INTERVAL, 1},
    {"--max-wait", O_MAX_WAIT, 1},
    {"--region", O_REGION, 1},
    {"--biz-code", O_BIZ_CODE, 1},
    {"--status", O_STATUS, 1},
    {"--workflow-id", O_WORKFLOW_ID, 1},
    {"--workflow-name", O_WORKFLOW_NAME, 1},
    {"--from", O_FROM, 1},
    {"--to", O_TO, 1},
    {"--page", O_PAGE, 1},
    {"--limit", O_LIMIT, 1},
    {"--keyword", O_KEYWORD, 1},
    {"-h", O_HELP, 0},
    {"--help", O_HELP, 0}
};

/* Everything a command can be given, checked and converted. */
typedef struct cmd_args {
    const char *id;               /* the positional argument */
    bact_param params[MAX_PARAMS];
    size_t n_params;
    int save_browser_data;
    const char *profile_id;
    const char *callback_url;
    const char *status_callback_url;
    int wait;
    uint32_t interval_ms;
    uint32_t max_wait_ms;         /* BACT_WAIT_FOREVER: no limit */
    const char *region;
    int has_biz_code;
    int32_t biz_code;
    bact_status status;           /* BACT_STATUS_OTHER: no filter */
    const char *workflow_id;
    const char *workflow_name;
    const char *from, *to;
    const char *keyword;
    int32_t page, limit;          /* 0: not given */
    uint32_t seen;                /* BIT(O_...) of the options given */
    int help;
} cmd_args;

/* ------------------------------------------------------------------ */
/* The command table                                                    */
/* ------------------------------------------------------------------ */

typedef struct cli {
    bact_client c;
    bact_posix_conn conn;
    const globals *g;
    const char *task_id;  /* set: error lines name this task (the one run
                             created, kept in created[]) */
    char created[BACT_ID_SIZE];
    const char *hint;     /* set: error lines end "; " and this */
#ifdef BACT_HAVE_TLS
    bact_tls tls;         /* https: TLS over conn, one for the whole run, so
                             later connections resume the session */
    bact_transport tls_tr;
    bact_transport sock_tr; /* what TLS runs over, for tls_load() */
    bact_platform pf;     /* the handshake's clock, for tls_load() */
    const char *ca_file;  /* read by tls_load(), at the first connection */
    int tls_on;           /* tls is set up: bact_tls_free() is due */
    int ca_failed;        /* the CA file could not be loaded: its line is out */
#endif
} cli;

typedef int (*cmd_fn)(cli *cx, const cmd_args *a);

typedef struct command {
    const char *name;
    const char *arg;      /* the positional argument's name; NULL: none */
    uint32_t opts;        /* BIT(O_...) of the options it takes */
    int waits;            /* 1: always waits (the wait command) */
    cmd_fn run;
    const char *synopsis; /* options, for the usage text */
    const char *summary;
} command;

static int cmd_run(cli *cx, const cmd_args *a);
static int cmd_run_template(cli *cx, const cmd_args *a);
static int cmd_status(cli *cx, const cmd_args *a);
static int cmd_get(cli *cx, const cmd_args *a);
static int cmd_wait(cli *cx, const cmd_args *a);
static int cmd_stop(cli *cx, const cmd_args *a);
static int cmd_resume(cli *cx, const cmd_args *a);
static int cmd_tasks(cli *cx, const cmd_args *a);
static int cmd_workflows(cli *cx, const cmd_args *a);
static int cmd_workflow(cli *cx, const cmd_args *a);
static int cmd_templates(cli *cx, const cmd_args *a);
static int cmd_template(cli *cx, const cmd_args *a);
static int cmd_regions(cli *cx, const cmd_args *a);

#define WAIT_OPTS (BIT(O_WAIT) | BIT(O_INTERVAL) | BIT(O_MAX_WAIT))
#define CALLBACK_OPTS (BIT(O_CALLBACK_URL) | BIT(O_STATUS_CALLBACK_URL))
#define PAGE_OPTS (BIT(O_PAGE) | BIT(O_LIMIT))

static const command commands[] = {
    {"run", "WORKFLOW_ID",
     BIT(O_PARAM) | BIT(O_SAVE_BROWSER_DATA) | BIT(O_PROFILE_ID) |
         CALLBACK_OPTS | WAIT_OPTS,
     0, cmd_run,
     "[-p NAME=VALUE]... [--save-browser-data] [--profile-id ID]\n"
     "        [--callback-url URL] [--status-callback-url URL]\n"
     "        [--wait [--interval SEC] [--max-wait SEC]]",
     "run a workflow; prints the task id"},
    {"run-template", "TEMPLATE_ID",
     BIT(O_PARAM) | BIT(O_REGION) | CALLBACK_OPTS | WAIT_OPTS, 0,
     cmd_run_template,
     "[-p NAME=VALUE]... [--region CODE]\n"
     "        [--callback-url URL] [--status-callback-url URL]\n"
     "        [--wait [--interval SEC] [--max-wait SEC]]",
     "run an official workflow template; prints the task id"},
    {"status", "TASK_ID", 0, 0, cmd_status, "",
     "print a task's status word"},
    {"get", "TASK_ID", 0, 0, cmd_get, "",
     "print a summary of a task"},
    {"wait", "TASK_ID", BIT(O_INTERVAL) | BIT(O_MAX_WAIT), 1, cmd_wait,
     "[--interval SEC] [--max-wait SEC]",
     "wait for a task to end; prints its output string"},
    {"stop", "TASK_ID", BIT(O_BIZ_CODE), 0, cmd_stop, "[--biz-code N]",
     "cancel a running task"},
    {"resume", "TASK_ID", 0, 0, cmd_resume, "",
     "resume a paused task"},
    {"tasks", NULL,
     BIT(O_STATUS) | BIT(O_WORKFLOW_ID) | BIT(O_WORKFLOW_NAME) |
         BIT(O_FROM) | BIT(O_TO) | PAGE_OPTS,
     0, cmd_tasks,
     "[--status S] [--workflow-id ID] [--workflow-name TEXT]\n"
     "        [--from DATETIME] [--to DATETIME] [--page N] [--limit N]",
     "list tasks: id, status, created_at, workflow_id"},
    {"workflows", NULL, PAGE_OPTS, 0, cmd_workflows,
     "[--page N] [--limit N]", "list workflows: id, name"},
    {"workflow", "WORKFLOW_ID", 0, 0, cmd_workflow, "",
     "show a workflow and its input parameters"},
    {"templates", NULL, BIT(O_KEYWORD) | PAGE_OPTS, 0, cmd_templates,
     "[--keyword TEXT] [--page N] [--limit N]",
     "list official templates: id, name, description"},
    {"template", "TEMPLATE_ID", 0, 0, cmd_template, "",
     "show a template and its input parameters"},
    {"regions", NULL, 0, 0, cmd_regions, "",
     "list proxy regions: code, name"}
};

static const command *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < N_ELEMS(commands); i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

static void usage(FILE *f)
{
    size_t i;

    fputs("usage: bact [GLOBAL OPTIONS] COMMAND [COMMAND OPTIONS] [ARGS]\n"
          "\n"
          "Trigger BrowserAct workflows and follow their tasks.\n"
          "\n"
          "Global options (before the command):\n"
          "  --base-url URL   API origin, http[s]://host[:port]\n"
          "                   (env BROWSERACT_BASE_URL; default "
          DEFAULT_BASE_URL ")\n"
          "  --api-key KEY    bearer token (env BROWSERACT_API_KEY)\n"
          "  --ca-file PATH   PEM CA bundle for https (default "
          DEFAULT_CA_FILE ")\n"
          "  --timeout MS     inactivity limit per connect, send and "
          "receive (default 30000)\n"
          "  --retries N      extra attempts for safe requests, 0..20 "
          "(default 3)\n"
          "  --json           print response bodies exactly as received\n"
          "  -v, --verbose    request and status lines on stderr\n"
          "  -h, --help       this text\n"
          "  --version        print the version\n"
          "\n"
          "Commands:\n", f);
    for (i = 0; i < N_ELEMS(commands); i++) {
        const command *cmd = &commands[i];
        fprintf(f, "  %s%s%s%s%s\n      %s\n", cmd->name,
                cmd->arg != NULL ? " " : "", cmd->arg != NULL ? cmd->arg : "",
                cmd->synopsis[0] != '\0' ? " " : "", cmd->synopsis,
                cmd->summary);
    }
    fputs("\n"
          "SEC accepts fractions (0.2); --interval defaults to 5, "
          "--max-wait to no limit.\n"
          "DATETIME is an RFC 3339 date-time, e.g. 2024-01-01T00:00:00Z.\n"
          "Exit status: 0 ok, 1 API error, 2 usage, 3 network, 4 TLS, "
          "5 protocol,\n"
          "6 task failed or canceled, 7 the wait ended first (--max-wait,\n"
          "or its bound of polls).\n", f);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

static int usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_vmsg(fmt, ap);
    va_end(ap);
    return EX_USAGE;
}

/* A scanner error, as one line. `other` is the table of the other side of
 * the command word, to tell a misplaced option from an unknown one. Only
 * option names are shown, never what follows a '=': that may be a value
 * such as the API key ("--api-key=KEY" after the command). */
static int scan_error(cli_tok tok, const cli_item *it, const cli_opt *other,
                      size_t n_other, const char *other_side)
{
    const cli_opt *o;

    switch (tok) {
    case CLI_E_NO_VALUE:
        return usage_error("%s needs a value", it->opt->name);
    case CLI_E_EXTRA_VALUE:
        return usage_error("%s takes no value", it->opt->name);
    case CLI_E_SHORT_VALUE:
        return usage_error("%s takes its value as the next argument, not "
                           "after '='", it->opt->name);
    default:
        break;
    }
    o = cli_find(other, n_other, it->text);
    if (o != NULL)
        return usage_error("%s goes %s the command", o->name, other_side);
    return usage_error("unknown option '%.*s' (see bact --help)",
                       (int)strcspn(it->text, "="), it->text);
}

/* An option's value or a word for an error line, unless it is
 * "--api-key=KEY": an option went without its value and took the key's
 * option for it, or it came after "--". */
static const char *shown_value(const char *v)
{
    if (strncmp(v, "--api-key=", 10) == 0)
        return "--api-key=<not shown>";
    return v;
}

/* argv[i] for an error line, unless the word before it is --api-key: then
 * argv[i] may well be the key itself (an option before it went without its
 * value and took "--api-key" as that value), and must not be shown. */
static const char *shown_word(char **argv, int i)
{
    if (i > 0 && strcmp(argv[i - 1], "--api-key") == 0)
        return "<not shown: it follows --api-key>";
    return shown_value(argv[i]);
}

static int apply_global(globals *g, const cli_item *it)
{
    const char *v = it->value;

    switch ((enum global_id)it->opt->id) {
    case G_BASE_URL:
        g->base_url = v;
        break;
    case G_API_KEY:
        /* refused at once: in "--api-key= KEY" the word after it, likely
         * the key, would be read as the command and shown as unknown */
        if (v[0] == '\0')
            return usage_error("--api-key: empty key");
        g->api_key = v;
        break;
    case G_CA_FILE:
        if (v[0] == '\0')
            return usage_error("--ca-file: empty path");
        g->ca_file = v;
        break;
    case G_TIMEOUT:
        if (cli_parse_u32(v, 1, MAX_TIMEOUT_MS, &g->timeout_ms) != 0)
            return usage_error("--timeout: expected milliseconds from 1 to "
                               "%lu, got '%s'",
                               (unsigned long)MAX_TIMEOUT_MS, v);
        break;
    case G_RETRIES:
        if (cli_parse_u32(v, 0, MAX_RETRIES, &g->retries) != 0)
            return usage_error("--retries: expected 0 to %u, got '%s'",
                               MAX_RETRIES, v);
        break;
    case G_JSON:
        g->json = 1;
        break;
    case G_VERBOSE:
        g->verbose = 1;
        break;
    case G_HELP:
        g->help = 1;
        break;
    case G_VERSION:
        g->version = 1;
        break;
    }
    return EX_OK;
}

/* Global options up to the command word; *cmd_index gets its position
 * (argc when there is none). Stops early at -h / --version. */
static int parse_globals(int argc, char **argv, globals *g, int *cmd_index)
{
    cli_scan s;
    cli_item it;
    cli_tok tok;
    int rc;

    *cmd_index = argc;
    cli_scan_init(&s, argc, argv, 1);
    while ((tok = cli_next(&s, global_opts, N_ELEMS(global_opts), &it)) !=
           CLI_END) {
        if (tok == CLI_ARG) {
            *cmd_index = s.next - 1;
            return EX_OK;
        }
        if (tok != CLI_OPT)
            return scan_error(tok, &it, command_opts, N_ELEMS(command_opts),
                              "after");
        /* "--base-url --api-key KEY": the value was forgotten and the next
         * option taken for it, which would make KEY the command word;
         * "--api-key --wait" would send the key "--wait" */
        if (it.opt->takes_value && it.value == argv[s.next - 1] &&
            (cli_find(global_opts, N_ELEMS(global_opts), it.value) != NULL ||
             cli_find(command_opts, N_ELEMS(command_opts), it.value) != NULL))
            return usage_error("%s needs a value", it.opt->name);
        rc = apply_global(g, &it);
        if (rc != EX_OK || g->help || g->version)
            return rc;
    }
    return EX_OK;
}

static int add_param(cmd_args *a, char *spec)
{
    char *eq = strchr(spec, '=');
    size_t i;

    if (eq == NULL || eq == spec)
        return usage_error("-p: expected NAME=VALUE with a non-empty NAME, "
                           "got '%s'", spec);
    if (a->n_params >= MAX_PARAMS)
        return usage_error("-p: at most %u parameters", MAX_PARAMS);
    /* argv strings are ours to modify (C99 5.1.2.2.1): split in place. */
    *eq = '\0';
    if (!cli_is_utf8(spec) || !cli_is_utf8(eq + 1))
        return usage_error("-p %s: the %s is not UTF-8 (JSON text must be)",
                           cli_is_utf8(spec) ? spec : "NAME",
                           cli_is_utf8(spec) ? "value" : "name");
    for (i = 0; i < a->n_params; i++) {
        if (strcmp(a->params[i].name, spec) == 0)
            return usage_error("-p %s: given twice (an input takes one "
                               "value)", spec);
    }
    a->params[a->n_params].name = spec;
    a->params[a->n_params].value = eq + 1;
    a->n_params++;
    return EX_OK;
}

/* An id, a region: what an answer gives back must fit the library's
 * fixed fields, so a longer one is refused before a task is run with it
 * (its answer could not be read, and the task's id would be lost). */
static int id_too_long(const char *opt, const char *what)
{
    return usage_error("%s: the %s is longer than %d bytes", opt, what,
                       BACT_ID_SIZE - 1);
}

static int set_id(const char **dst, const char *opt, const char *v)
{
    if (v[0] == '\0')
        return usage_error("%s: empty id", opt);
    if (strlen(v) >= BACT_ID_SIZE)
        return id_too_long(opt, "value");
    *dst = v;
    return EX_OK;
}

/* Values that go into a JSON request body must be UTF-8: said here, as
 * for -p values, rather than as the library's "invalid argument" (query
 * strings take any bytes, percent-encoded). */
static int not_utf8(const char *opt, const char *what)
{
    return usage_error("%s: the %s is not UTF-8 (JSON text must be)", opt,
                       what);
}

static int set_json_id(const char **dst, const char *opt, const char *v)
{
    if (!cli_is_utf8(v))
        return not_utf8(opt, "value");
    return set_id(dst, opt, v);
}

/* Why the library refused a callback URL, said from the URL itself (the
 * library answers only yes or no). Never echoes the URL: it may carry a
 * user:pass. */
static const char *callback_refusal(const char *v)
{
    size_t n = strlen(v), i;

    if (n > 2048u)
        return "longer than 2048 bytes, the API's limit";
    if (strncasecmp(v, "http://", 7) != 0 && strncasecmp(v, "https://", 8) != 0)
        return "not an http:// or https:// URL";
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch <= 0x20u || ch == 0x7Fu || ch == '\\')
            return "it holds a space, a control character or a backslash";
    }
    if (bact_check_callback_url(v, BACT_URL_ALLOW_LOOPBACK) == BACT_OK)
        return "its host is this machine (localhost or a loopback address), "
               "which the API cannot reach";
    return "its host or port is missing or malformed, or its host is a "
           "private, link-local, unspecified, shared, multicast or reserved "
           "address, which the API cannot reach";
}

static int set_callback(const char **dst, const char *opt, const char *v)
{
    if (!cli_is_utf8(v))
        return not_utf8(opt, "URL");
    /* The tool never allows loopback callbacks (that flag is for tests). */
    if (bact_check_callback_url(v, 0) != BACT_OK)
        return usage_error("%s: refused: %s", opt, callback_refusal(v));
    *dst = v;
    return EX_OK;
}

static int set_seconds(uint32_t *dst, const char *opt, const char *v)
{
    if (cli_parse_seconds(v, dst) != 0)
        return usage_error("%s: expected seconds from 0 to 4294967.294, "
                           "such as 5 or 0.2, got '%s'", opt, shown_value(v));
    return EX_OK;
}

static int set_int32(int32_t *dst, const char *opt, const char *v,
                     uint32_t lo, uint32_t hi)
{
    uint32_t u;

    if (cli_parse_u32(v, lo, hi, &u) != 0)
        return usage_error("%s: expected a number from %lu to %lu, got '%s'",
                           opt, (unsigned long)lo, (unsigned long)hi,
                           shown_value(v));
    *dst = (int32_t)u;
    return EX_OK;
}

/* "" is no date-time: the library would send no filter for it, and
 * --from "$UNSET" would list every task. The form the library checks. */
static int set_datetime(const char **dst, const char *opt, const char *v)
{
    if (v[0] == '\0')
        return usage_error("%s: expected an RFC 3339 date-time, e.g. "
                           "2024-01-01T00:00:00Z, got ''", opt);
    *dst = v;
    return EX_OK;
}

/* "" filters nothing (the library leaves it out): --workflow-name "$UNSET"
 * would list every task, so it is refused, as an empty date-time is */
static int set_filter(const char **dst, const char *opt, const char *v)
{
    if (v[0] == '\0')
        return usage_error("%s: expected a text to filter by, got ''", opt);
    *dst = v;
    return EX_OK;
}

static int set_status(bact_status *dst, const char *v)
{
    *dst = bact_status_parse(v, strlen(v));
    if (*dst == BACT_STATUS_OTHER)
        return usage_error("--status: expected created, running, finished, "
                           "canceled, pausing, paused, failed or unknown, "
                           "got '%s'", shown_value(v));
    return EX_OK;
}

static int apply_option(cmd_args *a, const cli_item *it)
{
    const char *name = it->opt->name;
    char *v = it->value;

    a->seen |= BIT(it->opt->id);
    switch ((enum opt_id)it->opt->id) {
    case O_PARAM:
        return add_param(a, v);
    case O_SAVE_BROWSER_DATA:
        a->save_browser_data = 1;
        return EX_OK;
    case O_PROFILE_ID:
        return set_json_id(&a->profile_id, name, v);
    case O_CALLBACK_URL:
        return set_callback(&a->callback_url, name, v);
    case O_STATUS_CALLBACK_URL:
        return set_callback(&a->status_callback_url, name, v);
    case O_WAIT:
        a->wait = 1;
        return EX_OK;
    case O_INTERVAL: /* 0 would poll back to back, hammering the API */
        if (cli_parse_seconds(v, &a->interval_ms) != 0 ||
            a->interval_ms == 0)
            return usage_error("%s: expected seconds from 0.001 to "
                               "4294967.294, such as 5 or 0.2, got '%s'",
                               name, shown_value(v));
        return EX_OK;
    case O_MAX_WAIT:
        return set_seconds(&a->max_wait_ms, name, v);
    case O_REGION:
        return set_json_id(&a->region, name, v);
    case O_BIZ_CODE:
        if (cli_parse_i32(v, &a->biz_code) != 0)
            return usage_error("%s: expected a 32-bit integer, got '%s'",
                               name, shown_value(v));
        a->has_biz_code = 1;
        return EX_OK;
    case O_STATUS:
        return set_status(&a->status, v);
    case O_WORKFLOW_ID:
        return set_id(&a->workflow_id, name, v);
    case O_WORKFLOW_NAME:
        return set_filter(&a->workflow_name, name, v);
    case O_FROM:
        return set_datetime(&a->from, name, v);
    case O_TO:
        return set_datetime(&a->to, name, v);
    case O_PAGE:
        return set_int32(&a->page, name, v, 1, INT32_MAX);
    case O_LIMIT:
        return set_int32(&a->limit, name, v, 1, MAX_LIMIT);
    case O_KEYWORD:
        return set_filter(&a->keyword, name, v);
    case O_HELP:
        a->help = 1;
        return EX_OK;
    }
    return EX_OK;
}

/* The command's options and argument, from argv[first] on. */
static int parse_command(const command *cmd, int argc, char **argv,
                         int first, cmd_args *a)
{
    cli_scan s;
    cli_item it;
    cli_tok tok;
    int rc;

    a->interval_ms = DEFAULT_INTERVAL_MS;
    a->max_wait_ms = BACT_WAIT_FOREVER;
    a->status = BACT_STATUS_OTHER;
    cli_scan_init(&s, argc, argv, first);
    while ((tok = cli_next(&s, command_opts, N_ELEMS(command_opts), &it)) !=
           CLI_END) {
        if (tok == CLI_ARG) {
            if (cmd->arg == NULL || a->id != NULL)
                return usage_error("%s: unexpected argument '%s'", cmd->name,
                                   shown_word(argv, s.next - 1));
            a->id = it.text;
            continue;
        }
        if (tok != CLI_OPT)
            return scan_error(tok, &it, global_opts, N_ELEMS(global_opts),
                              "before");
        if (it.opt->id == O_HELP) {
            a->help = 1;
            return EX_OK;
        }
        if ((cmd->opts & BIT(it.opt->id)) == 0)
            return usage_error("%s does not take %s", cmd->name,
                               it.opt->name);
        /* "--profile-id --wait": the value was forgotten and the next
         * option taken for it, which would run without waiting. A value
         * that looks like an option is given as "--keyword=-v". */
        if (it.opt->takes_value && it.value != NULL &&
            it.value == argv[s.next - 1] &&
            (cli_find(command_opts, N_ELEMS(command_opts), it.value) != NULL ||
             cli_find(global_opts, N_ELEMS(global_opts), it.value) != NULL))
            return usage_error("%s needs a value", it.opt->name);
        rc = apply_option(a, &it);
        if (rc != EX_OK)
            return rc;
    }

    if (cmd->arg != NULL && a->id == NULL)
        return usage_error("%s: missing %s", cmd->name, cmd->arg);
    if (a->id != NULL && a->id[0] == '\0')
        return usage_error("%s: empty %s", cmd->name, cmd->arg);
    if (a->id != NULL && strlen(a->id) >= BACT_ID_SIZE)
        return id_too_long(cmd->name, cmd->arg);
    /* the run commands, the ones that take -p, send their id in JSON */
    if (a->id != NULL && (cmd->opts & BIT(O_PARAM)) != 0 &&
        !cli_is_utf8(a->id))
        return not_utf8(cmd->name, cmd->arg);
    if (!cmd->waits && !a->wait &&
        (a->seen & (BIT(O_INTERVAL) | BIT(O_MAX_WAIT))) != 0)
        return usage_error("%s: --interval and --max-wait need --wait",
                           cmd->name);
    return EX_OK;
}

/* The API key, the base URL and what the build can reach. */
static int resolve_endpoint(globals *g, bact_url *url)
{
    const char *env;
    /* where a refused key or URL came from, when not from an option */
    const char *key_src = "", *url_src = "";
    size_t i;

    if (g->api_key == NULL) { /* given, it is not empty (apply_global) */
        g->api_key = getenv("BROWSERACT_API_KEY");
        key_src = " (from BROWSERACT_API_KEY)";
    }
    if (g->api_key == NULL || g->api_key[0] == '\0')
        return usage_error("no API key: use --api-key KEY or set "
                           "BROWSERACT_API_KEY");
    /* what a bearer token may hold, as bact_init() checks it */
    for (i = 0; g->api_key[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)g->api_key[i];
        if (ch == ' ')
            return usage_error("the API key holds a space%s", key_src);
        if (ch < 0x20u || ch == 0x7fu)
            return usage_error("the API key holds a control character%s",
                               key_src);
        if (ch > 0x7fu)
            return usage_error("the API key holds a non-ASCII byte%s",
                               key_src);
        if (i >= 4096u)
            return usage_error("the API key is over 4096 characters%s",
                               key_src);
    }
    /* an answer may hold the key (a server or proxy that echoes the
     * Authorization header in its msg): no line on stderr shows it */
    cli_set_secret(g->api_key);

    if (g->base_url == NULL) {
        env = getenv("BROWSERACT_BASE_URL");
        g->base_url = env != NULL && env[0] != '\0' ? env : DEFAULT_BASE_URL;
        if (g->base_url == env)
            url_src = " (from BROWSERACT_BASE_URL)";
    }
    if (bact_parse_url(g->base_url, url) != BACT_OK)
        return usage_error("bad base URL '%s'%s: expected http://host[:port] "
                           "or https://host[:port], no path (an IPv4 host "
                           "with no part starting with 0)",
                           strchr(g->base_url, '@') != NULL
                               ? "<not shown: it holds an '@', maybe a "
                                 "user:pass>"
                               : g->base_url, url_src);
#ifndef BACT_HAVE_TLS
    if (url->tls) {
        cli_msg("https needs a build with TLS (BACT_HAVE_TLS): use an "
                "http:// base URL");
        return EX_TLS;
    }
#endif
    return EX_OK;
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

static const char *err_text(int err)
{
    const char *s = bact_strerror(err);

    return s != NULL && s[0] != '\0' ? s : "error";
}

static int exit_code_for(int err)
{
    switch (err) {
    case BACT_E_API:
        return EX_API;
    case BACT_E_ARG:
    case BACT_E_BUF: /* the request did not fit: nothing was sent */
        return EX_USAGE;
    case BACT_E_DNS:
    case BACT_E_CONNECT:
    case BACT_E_NET:
    case BACT_E_TIMEOUT:
    case BACT_E_CLOSED:
        return EX_NET;
    case BACT_E_TLS:
    case BACT_E_UNSUPPORTED:
        return EX_TLS;
    default:
        return EX_PROTO;
    }
}

static void fail_msg(const cli *cx, const char *fmt, ...) CLI_PRINTF(2, 3);

/* The error line of a failed call. After run created a task and the wait
 * for it or the write to stdout failed, the line starts with "task ID: ":
 * with --json nothing but the final body goes to stdout, and stdout may be
 * lost, so this is where the id is not lost. */
static void fail_msg(const cli *cx, const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (cx->task_id != NULL)
        cli_msg("task %s: %s", cx->task_id, line);
    else if (cx->hint != NULL)
        cli_msg("%s; %s", line, cx->hint);
    else
        cli_msg("%s", line);
}

/* The most of an error answer's msg and traceId shown (with their NULs):
 * a longer one is cut, and ends in "..." */
#define SHOWN_MSG_SIZE 1021u
#define SHOWN_TRACE_SIZE 149u

static void report_api_error(const cli *cx, const bact_api_error *e)
{
    char code[32] = "", msg[SHOWN_MSG_SIZE] = "",
         trace[SHOWN_TRACE_SIZE] = "";

    if (e == NULL) {
        fail_msg(cx, "API error");
        return;
    }
    if (e->has_code)
        snprintf(code, sizeof code, ", code %ld", (long)e->code);
    if (e->msg != NULL)
        cli_copy_cut(msg, sizeof msg, e->msg);
    if (e->trace_id != NULL)
        cli_copy_cut(trace, sizeof trace, e->trace_id);
    fail_msg(cx, "API error: HTTP %d%s%s%s%s%s%s", e->http_status, code,
             msg[0] != '\0' ? ": " : "", msg,
             trace[0] != '\0' ? " (traceId " : "", trace,
             trace[0] != '\0' ? ")" : "");
}

#ifdef BACT_HAVE_TLS
/* RFC 8446 6.2 / RFC 5246 7.2 names of the alerts a client may get. */
static const char *alert_name(int a)
{
    static const struct {
        int code;
        const char *name;
    } tab[] = {
        {0, "close_notify"}, {10, "unexpected_message"},
        {20, "bad_record_mac"}, {22, "record_overflow"},
        {40, "handshake_failure"}, {42, "bad_certificate"},
        {43, "unsupported_certificate"}, {44, "certificate_revoked"},
        {45, "certificate_expired"}, {46, "certificate_unknown"},
        {47, "illegal_parameter"}, {48, "unknown_ca"},
        {49, "access_denied"}, {50, "decode_error"}, {51, "decrypt_error"},
        {70, "protocol_version"}, {71, "insufficient_security"},
        {80, "internal_error"}, {86, "inappropriate_fallback"},
        {90, "user_canceled"}, {109, "missing_extension"},
        {110, "unsupported_extension"}, {112, "unrecognized_name"},
        {116, "certificate_required"}, {120, "no_application_protocol"}
    };
    size_t i;

    for (i = 0; i < N_ELEMS(tab); i++)
        if (tab[i].code == a)
            return tab[i].name;
    return "unknown";
}

/* A TLS failure: one line with the reason. Before the handshake completed
 * that is BACT_E_TLS (exit 4); after it, a connection closed without a
 * close_notify is BACT_E_NET (exit 3): the response may be cut short. */
static int fail_tls(const cli *cx, int err, int code)
{
    bact_tls_reason why = bact_tls_last_reason(&cx->tls);
    int alert = bact_tls_last_alert(&cx->tls);
    char detail[64] = "";

    if (!cx->tls_on ||
        !(err == BACT_E_TLS || (err == BACT_E_NET && why == BACT_TLS_TRUNCATED)))
        return -1;
    if ((why == BACT_TLS_ALERT || why == BACT_TLS_VERSION) && alert >= 0)
        snprintf(detail, sizeof detail, ": %s (%d)", alert_name(alert), alert);
    if (cx->g->verbose)
        fail_msg(cx, "TLS: %s%s (%s) [mbedtls -0x%04x, verify flags 0x%lx]",
                 bact_tls_reason_text(why), detail, cx->g->base_url,
                 (unsigned)-cx->tls.mbed_err,
                 (unsigned long)cx->tls.verify_flags);
    else
        fail_msg(cx, "TLS: %s%s (%s)", bact_tls_reason_text(why), detail,
                 cx->g->base_url);
    return code;
}
#endif

/* One line on stderr for a failed call to `what`; returns the exit code. */
static int fail(const cli *cx, const char *what, int err)
{
    size_t needed = bact_needed(&cx->c);
    int code = exit_code_for(err);

#ifdef BACT_HAVE_TLS
    if (cx->ca_failed) /* tls_load() printed the line */
        return EX_TLS;
    if (fail_tls(cx, err, code) >= 0)
        return code;
#endif
    switch (err) {
    case BACT_E_API:
        report_api_error(cx, bact_last_error(&cx->c));
        break;
    case BACT_E_BODY_SIZE:
        fail_msg(cx, "%s: response too large (the tool accepts up to %u "
                 "bytes)", what, WORK_BUF_SIZE);
        break;
    case BACT_E_TOKENS:
        fail_msg(cx, "%s: response too large: more than %u JSON tokens",
                 what, N_TOKENS);
        break;
    case BACT_E_BUF:
        /* the tool's only BACT_E_BUF: the request is built in the work
         * buffer before anything is sent, and did not fit */
        if (needed > 0)
            fail_msg(cx, "%s: request too large to send: %lu bytes, the "
                     "tool's limit is %u bytes (nothing was sent)", what,
                     (unsigned long)needed, WORK_BUF_SIZE);
        else
            fail_msg(cx, "%s: request too large to send: the tool's limit "
                     "is %u bytes (nothing was sent)", what, WORK_BUF_SIZE);
        break;
    default:
        if (code == EX_NET)
            fail_msg(cx, "%s: %s (%s)", what, err_text(err),
                     cx->g->base_url);
        else
            fail_msg(cx, "%s: %s", what, err_text(err));
        break;
    }
    return code;
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

/* A server string on one line: control characters become spaces. */
static void put_clean(FILE *out, const char *s)
{
    while (s != NULL && *s != '\0') { /* each control character: a space */
        size_t k = cli_control_len(s);
        fputc(k != 0 ? ' ' : (unsigned char)*s, out);
        s += k != 0 ? k : 1u;
    }
}

/* "key: value" when value is present. */
static void put_kv(FILE *out, const char *key, const char *value)
{
    if (out == NULL || value == NULL)
        return;
    fprintf(out, "%s: ", key);
    put_clean(out, value);
    fputc('\n', out);
}

/* Columns joined by sep (NULL prints as empty), after an optional lead. */
static void put_row(FILE *out, const char *lead, const char *const *col,
                    size_t n, char sep)
{
    size_t i;

    if (out == NULL)
        return;
    fputs(lead, out);
    for (i = 0; i < n; i++) {
        if (i > 0)
            fputc(sep, out);
        put_clean(out, col[i]);
    }
    fputc('\n', out);
}

static const char *nonempty(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static const char *status_word(const bact_task_state *st)
{
    return st->text[0] != '\0' ? st->text : bact_status_name(st->status);
}

static int print_body(const cli *cx)
{
    size_t len = 0;
    const uint8_t *body = bact_body(&cx->c, &len);

    if (body != NULL && len > 0)
        fwrite(body, 1, len, stdout);
    return EX_OK;
}

/*
 * Renderers print a decoded answer to out. Each is run twice: first with
 * out == NULL, which only reads every array element (so a bad element
 * fails the command before anything reaches stdout), then for real.
 */
typedef int (*render_fn)(const bact_client *c, const void *data, FILE *out);
typedef int (*row_fn)(const bact_client *c, const bact_array *a, unsigned i,
                      FILE *out);

static int each_row(const bact_client *c, const bact_array *a, row_fn row,
                    FILE *out)
{
    unsigned i;
    int rc;

    if (a->tok < 0)
        return BACT_OK;
    for (i = 0; i < a->count; i++) {
        rc = row(c, a, i, out);
        if (rc != BACT_OK)
            return rc;
    }
    return BACT_OK;
}

static int task_row(const bact_client *c, const bact_array *a, unsigned i,
                    FILE *out)
{
    bact_task t;
    int rc = bact_task_at(c, a, i, &t);

    if (rc == BACT_OK) {
        const char *col[4];
        col[0] = t.id;
        col[1] = status_word(&t.state);
        col[2] = t.created_at;
        col[3] = t.workflow_id;
        put_row(out, "", col, 4, '\t');
    }
    return rc;
}

static int workflow_row(const bact_client *c, const bact_array *a,
                        unsigned i, FILE *out)
{
    bact_workflow w;
    int rc = bact_workflow_at(c, a, i, &w);

    if (rc == BACT_OK) {
        const char *col[2];
        col[0] = w.id;
        col[1] = w.name;
        put_row(out, "", col, 2, '\t');
    }
    return rc;
}

static int template_row(const bact_client *c, const bact_array *a,
                        unsigned i, FILE *out)
{
    bact_workflow w;
    int rc = bact_template_at(c, a, i, &w);

    if (rc == BACT_OK) {
        const char *col[3];
        col[0] = w.id;
        col[1] = w.name;
        col[2] = w.recommend_desc;
        put_row(out, "", col, 3, '\t');
    }
    return rc;
}

static int region_row(const bact_client *c, const bact_array *a, unsigned i,
                      FILE *out)
{
    bact_region r;
    int rc = bact_region_at(c, a, i, &r);

    if (rc == BACT_OK) {
        const char *col[2];
        col[0] = r.code;
        col[1] = r.name;
        put_row(out, "", col, 2, '\t');
    }
    return rc;
}

static int input_row(const bact_client *c, const bact_array *a, unsigned i,
                     FILE *out)
{
    bact_input_def d;
    int rc = bact_input_def_at(c, a, i, &d);

    if (rc == BACT_OK) {
        const char *col[2];
        col[0] = d.name;
        col[1] = d.default_enabled ? "(optional, has a default)" : "(required)";
        put_row(out, "input: ", col, 2, ' ');
    }
    return rc;
}

static int file_row(const bact_client *c, const bact_array *a, unsigned i,
                    FILE *out)
{
    const char *url = NULL;
    int rc = bact_string_at(c, a, i, &url);

    if (rc == BACT_OK)
        put_kv(out, "file", url != NULL ? url : "");
    return rc;
}

static int step_row(const bact_client *c, const bact_array *a, unsigned i,
                    FILE *out)
{
    bact_step s;
    int rc = bact_step_at(c, a, i, &s);

    if (rc == BACT_OK) {
        char num[16];
        const char *col[3];
        snprintf(num, sizeof num, "#%ld", (long)s.step);
        col[0] = num;
        col[1] = s.status;
        col[2] = s.step_goal;
        put_row(out, "  ", col, 3, ' ');
    }
    return rc;
}

static int download_row(const bact_client *c, const bact_array *a,
                        unsigned i, FILE *out)
{
    bact_download d;
    int rc = bact_download_at(c, a, i, &d);

    if (rc == BACT_OK && out != NULL) {
        const char *word[3];
        size_t k;
        word[0] = nonempty(d.file_name) != NULL ? d.file_name : d.guid;
        word[1] = d.status;
        word[2] = d.download_url;
        fputs("download:", out);
        for (k = 0; k < N_ELEMS(word); k++) {
            if (nonempty(word[k]) != NULL) {
                fputc(' ', out);
                put_clean(out, word[k]);
            }
        }
        if (nonempty(d.error_message) != NULL) {
            fputs(" (error: ", out);
            put_clean(out, d.error_message);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    return rc;
}

static int render_state(const bact_client *c, const void *data, FILE *out)
{
    const bact_task_state *st = data;

    (void)c;
    if (out != NULL) {
        put_clean(out, status_word(st));
        fputc('\n', out);
    }
    return BACT_OK;
}

static int render_task(const bact_client *c, const void *data, FILE *out)
{
    const bact_task *t = data;
    int rc;

    put_kv(out, "id", t->id);
    put_kv(out, "status", status_word(&t->state));
    put_kv(out, "workflow_id", nonempty(t->workflow_id));
    put_kv(out, "created_at", t->created_at);
    put_kv(out, "finished_at", t->finished_at);
    put_kv(out, "profile_id", nonempty(t->profile_id));
    put_kv(out, "input_parameters", nonempty(t->input_parameters));
    if (out != NULL && t->credit >= 0)
        fprintf(out, "credit: %lld\n", (long long)t->credit);
    put_kv(out, "live_url", nonempty(t->live_url));
    put_kv(out, "log_detail_url", nonempty(t->log_detail_url));
    if (out != NULL && t->output != NULL) {
        /* the payload, verbatim and whole, as wait prints it: it may hold
         * NUL bytes (\u0000), so its length says where it ends */
        fputs("output: ", out);
        fwrite(t->output, 1, t->output_len, out);
        fputc('\n', out);
    }
    rc = each_row(c, &t->output_files, file_row, out);
    if (rc != BACT_OK)
        return rc;
    if (out != NULL && t->failed_info) {
        fprintf(out, "failure: %ld ", (long)t->failure_code);
        put_clean(out, t->failure_message);
        fputc('\n', out);
    }
    if (out != NULL)
        fprintf(out, "steps: %u\n", t->steps.tok < 0 ? 0u : t->steps.count);
    rc = each_row(c, &t->steps, step_row, out);
    if (rc != BACT_OK)
        return rc;
    return each_row(c, &t->download_files, download_row, out);
}

static int render_tasks(const bact_client *c, const void *data, FILE *out)
{
    const bact_page *p = data;

    return each_row(c, &p->items, task_row, out);
}

static int render_workflows(const bact_client *c, const void *data,
                            FILE *out)
{
    const bact_page *p = data;

    return each_row(c, &p->items, workflow_row, out);
}

static int render_templates(const bact_client *c, const void *data,
                            FILE *out)
{
    const bact_page *p = data;

    return each_row(c, &p->items, template_row, out);
}

static int render_workflow(const bact_client *c, const void *data, FILE *out)
{
    const bact_workflow *w = data;

    put_kv(out, "name", w->name);
    put_kv(out, "description", w->description);
    return each_row(c, &w->input_parameters, input_row, out);
}

static int render_regions(const bact_client *c, const void *data, FILE *out)
{
    return each_row(c, data, region_row, out);
}

/* The end of a single-request command: the error line, the raw body, or
 * the rendered answer (render NULL: nothing to print). */
static int answer(const cli *cx, const char *what, int rc, render_fn render,
                  const void *data)
{
    if (rc != BACT_OK)
        return fail(cx, what, rc);
    if (cx->g->json)
        return print_body(cx);
    if (render == NULL)
        return EX_OK;
    rc = render(&cx->c, data, NULL);
    if (rc != BACT_OK)
        return fail(cx, what, rc);
    (void)render(&cx->c, data, stdout);
    return EX_OK;
}

/* ------------------------------------------------------------------ */
/* Waiting                                                              */
/* ------------------------------------------------------------------ */

typedef struct wait_progress {
    const char *id;
    int seen;                    /* a status was read */
    char last[BACT_STATUS_SIZE]; /* the last status word seen */
} wait_progress;

/* A status word on a line of wait's: an empty one (the answer's status
 * was "") is named rather than left blank */
static const char *shown_status(const char *word)
{
    return word[0] != '\0' ? word : "(an empty status)";
}

static int on_status(void *user, const bact_task_state *st)
{
    wait_progress *wp = user;
    const char *word = status_word(st);
    size_t len = strlen(word);

    cli_msg("task %s: %s", wp->id, shown_status(word));
    wp->seen = 1;
    if (len >= sizeof wp->last)
        len = sizeof wp->last - 1u;
    memcpy(wp->last, word, len);
    wp->last[len] = '\0';
    return 0;
}

/* The task reached st: read it once more and report how it ended. */
static int task_ended(cli *cx, const char *id, const bact_task_state *st)
{
    bact_task t;
    int done = st->status == BACT_STATUS_FINISHED;
    int rc;

    bact_set_raw(&cx->c, cx->g->json);
    rc = bact_get_task(&cx->c, id, &t);
    /* A failed or canceled task ended so all the same: an answer that
     * cannot be read leaves out only its failure info (exit 6, with or
     * without --json); a finished task's output is the result. */
    if (rc != BACT_OK &&
        (done || cx->g->json || (rc != BACT_E_SHAPE && rc != BACT_E_JSON)))
        return fail(cx, "get-task", rc);
    if (rc == BACT_OK && cx->g->json) {
        (void)print_body(cx);
        /* the raw body is printed: now decode it for the failure info; a
         * body that could not be written is said so before the last line
         * (exit 6 all the same; a finished task's is exit 5, at the end) */
        if (!done) {
            if (fflush(stdout) != 0 || ferror(stdout))
                cli_msg("task %s: cannot write its get-task body to "
                        "stdout: %s", id, strerror(errno));
            rc = bact_decode_task(&cx->c, &t);
        }
    }
    if (rc != BACT_OK) {
        cli_msg("task %s: get-task: %s, so its failure info is not known",
                id, err_text(rc));
        t.failed_info = 0;
    }

    if (done) {
        if (!cx->g->json && t.output != NULL) {
            /* the output may hold NUL bytes (\u0000): write all of it */
            fwrite(t.output, 1, t.output_len, stdout);
            putchar('\n');
        }
        return EX_OK;
    }
    if (t.failed_info)
        cli_msg("task %s %s: code %ld: %s", id, status_word(st),
                (long)t.failure_code,
                t.failure_message != NULL ? t.failure_message : "");
    else
        cli_msg("task %s %s", id, status_word(st));
    return EX_TASK_FAILED;
}

static int wait_task(cli *cx, const char *id, const cmd_args *a)
{
    wait_progress wp;
    bact_task_state st;
    bact_platform pf;
    uint32_t t0, elapsed;
    int rc;

    wp.id = id;
    wp.seen = 0;
    wp.last[0] = '\0';
    bact_set_raw(&cx->c, 0); /* the status must be decoded */
    /* the library's clock, read around its own reads of it */
    bact_posix_platform(&pf);
    t0 = pf.now_ms(pf.ctx);
    rc = bact_wait(&cx->c, id, a->interval_ms, a->max_wait_ms, on_status,
                   &wp, &st);
    elapsed = pf.now_ms(pf.ctx) - t0;
#ifdef BACT_HAVE_TLS
    /* the CA file failed at the first poll, which bact_wait() reports as
     * BACT_E_DEADLINE when --max-wait ran out meanwhile: its line is out */
    if (cx->ca_failed)
        return EX_TLS;
#endif
    /* BACT_E_DEADLINE is also the end of bact_wait's polls
     * (BACT_WAIT_MAX_POLLS), with no --max-wait or one not yet over */
    if (rc == BACT_E_DEADLINE && (a->max_wait_ms == BACT_WAIT_FOREVER ||
                                  elapsed < a->max_wait_ms)) {
        cli_msg("task %s: stopped waiting after %lu polls, the most one wait "
                "makes (%s)%s%s", id, (unsigned long)BACT_WAIT_MAX_POLLS,
                a->max_wait_ms == BACT_WAIT_FOREVER
                    ? "no --max-wait was given"
                    : "--max-wait had not run out",
                wp.seen ? "; it is still " : "",
                wp.seen ? shown_status(wp.last) : "");
        return EX_DEADLINE;
    }
    if (rc == BACT_E_DEADLINE) {
        if (wp.seen)
            cli_msg("task %s: --max-wait ran out; it is still %s", id,
                    shown_status(wp.last));
        else
            cli_msg("task %s: --max-wait ran out before its status was "
                    "known", id);
        return EX_DEADLINE;
    }
    if (rc != BACT_OK)
        return fail(cx, "get-task-status", rc);
    return task_ended(cx, id, &st);
}

/* ------------------------------------------------------------------ */
/* Commands                                                             */
/* ------------------------------------------------------------------ */

/* After a run endpoint answered: print, then wait when asked to. */
/* {"id":"..."} with the id escaped for JSON: it came off the wire */
static void print_json_id(const char *id)
{
    const unsigned char *p;
    fputs("{\"id\":\"", stdout);
    for (p = (const unsigned char *)id; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20u || *p == 0x7Fu)
            printf("\\u%04x", (unsigned)*p);
        else
            putchar(*p);
    }
    fputs("\"}\n", stdout);
}

static int has_control(const char *s)
{
    for (; *s != '\0'; s++) {
        if (cli_control_len(s) != 0)
            return 1;
    }
    return 0;
}

/* An id as one shell word: at most '\'' (4 bytes) for each of its
 * BACT_ID_SIZE - 1 bytes (a longer id is a usage error), the quotes
 * around them and the NUL */
#define SHELL_ID_SIZE (4u * (BACT_ID_SIZE - 1u) + 3u)
/* The hint of a run's error line: its text (under 128 bytes) and the id */
#define HINT_SIZE (128u + SHELL_ID_SIZE)

/* 1 when a POSIX shell reads s as it is, as one word, anywhere in a line */
static int shell_plain(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* s as one word for a POSIX shell: as it is when plain, else in single
 * quotes, inside which nothing is special but the quote itself, written
 * '\'' (close, an escaped quote, open again). 0, or -1 when out is too
 * small. */
static int shell_word(char *out, size_t size, const char *s)
{
    int plain = shell_plain(s);
    size_t n = 0;

    if (size < 3u) /* '' and the NUL */
        return -1;
    if (!plain)
        out[n++] = '\'';
    for (; *s != '\0'; s++) {
        const char *part = *s == '\'' ? "'\\''" : s;
        size_t len = *s == '\'' ? strlen(part) : 1u;
        if (n + len + 2u > size) /* the closing quote and the NUL */
            return -1;
        memcpy(out + n, part, len);
        n += len;
    }
    if (!plain)
        out[n++] = '\'';
    out[n] = '\0';
    return 0;
}

/* The end of a run's error line when its request was sent and no error
 * answer came: a task may exist, and this says where to look for it, as a
 * command to paste: the id quoted for the shell, and after '=' when it
 * starts with '-' (as a separate word, one that names an option of the
 * tool would not be taken as the value). An id with control characters is
 * left out: the line shows them as spaces. wf: the workflow's id, NULL
 * for a template run. */
static void set_sent_hint(cli *cx, char *hint, size_t size, const char *wf)
{
    char word[SHELL_ID_SIZE];
    int with_id = wf != NULL && !has_control(wf) &&
                  shell_word(word, sizeof word, wf) == 0;

    snprintf(hint, size, "the request was sent, so a task may have been "
             "created: `bact tasks%s%s` lists the newest",
             !with_id ? "" : wf[0] == '-' ? " --workflow-id=" :
                                            " --workflow-id ",
             with_id ? word : "");
    cx->hint = hint;
}

static int task_created(cli *cx, const cmd_args *a, const char *what,
                        const bact_task_created *t, const char *wf)
{
    /* The first line is the task id alone, for scripts to pass on: a
     * cleaned-up id would be another id, so one with control characters
     * (escape sequences) is refused. Only --json without --wait leaves the
     * answer unjudged, as it prints the body as received. The task was
     * made all the same: the line says where to find it. */
    if ((!cx->g->json || a->wait) && has_control(t->id)) {
        char hint[HINT_SIZE];
        set_sent_hint(cx, hint, sizeof hint, wf);
        fail_msg(cx, "%s: unexpected answer: the created task's id holds "
                 "control characters", what);
        cx->hint = NULL;
        return EX_PROTO;
    }
    /* From here on the task exists: a failure (of the wait, or of the
     * write to stdout) names it, so that its id is not lost. For --json
     * without --wait the answer is decoded only when it could not be
     * written. */
    if (t->id[0] != '\0') {
        memcpy(cx->created, t->id, sizeof cx->created);
        cx->task_id = cx->created;
    }
    if (t->outcome == BACT_RUN_ADOPTED)
        cli_msg("the answer to the run request was lost; the task it "
                "created was found by list-tasks and adopted (nothing was "
                "sent twice)");
    else if (t->outcome == BACT_RUN_RESENT)
        cli_msg("the answer to the run request was lost; list-tasks showed "
                "no task had been created, so the request was sent again");
    if (cx->g->json) {
        /* Without --wait the body is the answer; with it, only the final
         * get-task body is printed. An adopted task has no answer body:
         * its id is printed as the answer would have had it. */
        if (!a->wait && t->outcome == BACT_RUN_ADOPTED) {
            print_json_id(t->id);
            return EX_OK;
        }
        if (!a->wait) {
            bact_task_created d = *t;
            (void)print_body(cx);
            if ((fflush(stdout) != 0 || ferror(stdout)) &&
                bact_decode_created(&cx->c, &d) == BACT_OK &&
                !has_control(d.id)) {
                memcpy(cx->created, d.id, sizeof cx->created);
                cx->task_id = cx->created;
            }
            return EX_OK;
        }
    } else {
        printf("%s\n", t->id);
        if (wf != NULL) /* run-task's answer; a template run has none */
            put_kv(stdout, "profile_id", nonempty(t->profile_id));
        /* the id is out before the (long) wait; when it cannot be
         * written, waiting would only put off the error, which main()
         * reports (exit 5, naming the task) */
        if (fflush(stdout) != 0 || ferror(stdout))
            return EX_OK;
    }
    if (!a->wait)
        return EX_OK;
    return wait_task(cx, t->id, a);
}

/* A run call that failed after its request went out (no error answer
 * from the API) may still have created a task: the error line says where
 * to look for it. wf: the workflow's id, NULL for a template run. */
static int run_failed(cli *cx, const char *what, int rc, const char *wf)
{
    char hint[HINT_SIZE];
    int code;
    if (rc != BACT_E_API && bact_request_sent(&cx->c))
        set_sent_hint(cx, hint, sizeof hint, wf);
    code = fail(cx, what, rc);
    cx->hint = NULL;
    return code;
}

static int cmd_run(cli *cx, const cmd_args *a)
{
    bact_run_req rq;
    bact_task_created t;
    int rc;

    memset(&rq, 0, sizeof rq);
    rq.workflow_id = a->id;
    rq.params = a->params;
    rq.n_params = a->n_params;
    rq.save_browser_data = a->save_browser_data;
    rq.profile_id = a->profile_id;
    rq.callback_url = a->callback_url;
    rq.status_callback_url = a->status_callback_url;
    bact_set_raw(&cx->c, cx->g->json && !a->wait);
    rc = bact_run_task(&cx->c, &rq, &t);
    if (rc != BACT_OK)
        return run_failed(cx, "run-task", rc, a->id);
    return task_created(cx, a, "run-task", &t, a->id);
}

static int cmd_run_template(cli *cx, const cmd_args *a)
{
    bact_template_run_req rq;
    bact_task_created t;
    int rc;

    memset(&rq, 0, sizeof rq);
    rq.template_id = a->id;
    rq.params = a->params;
    rq.n_params = a->n_params;
    rq.proxy_region = a->region;
    rq.callback_url = a->callback_url;
    rq.status_callback_url = a->status_callback_url;
    bact_set_raw(&cx->c, cx->g->json && !a->wait);
    rc = bact_run_template(&cx->c, &rq, &t);
    if (rc != BACT_OK)
        return run_failed(cx, "run-task-by-template", rc, NULL);
    return task_created(cx, a, "run-task-by-template", &t, NULL);
}

static int cmd_wait(cli *cx, const cmd_args *a)
{
    return wait_task(cx, a->id, a);
}

static int cmd_status(cli *cx, const cmd_args *a)
{
    bact_task_state st;

    memset(&st, 0, sizeof st);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "get-task-status",
                  bact_get_task_status(&cx->c, a->id, &st), render_state, &st);
}

static int cmd_get(cli *cx, const cmd_args *a)
{
    bact_task t;

    memset(&t, 0, sizeof t);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "get-task", bact_get_task(&cx->c, a->id, &t),
                  render_task, &t);
}

/* An API error kept past the next call, which reuses the buffer its
 * strings point into. */
typedef struct api_error_copy {
    bact_api_error e;
    char msg[SHOWN_MSG_SIZE];     /* as much as report_api_error() shows */
    char trace_id[SHOWN_TRACE_SIZE];
} api_error_copy;

static void copy_api_error(api_error_copy *dst, const bact_api_error *e)
{
    memset(dst, 0, sizeof *dst);
    if (e == NULL)
        return;
    dst->e = *e;
    cli_copy_cut(dst->msg, sizeof dst->msg, e->msg != NULL ? e->msg : "");
    cli_copy_cut(dst->trace_id, sizeof dst->trace_id,
                 e->trace_id != NULL ? e->trace_id : "");
    dst->e.msg = dst->msg;
    dst->e.trace_id = dst->trace_id;
}

/*
 * The end of stop and resume. Both are retried when their answer is lost,
 * and a retry of one that took effect finds the task already changed: the
 * API answers it with an error (10121 "Task has completed" for stop, 10127
 * "Task resume only use for paused task" for resume). After a retry, such
 * an error with the task now in the state the command asked for is the
 * command's success; anything else is reported as it came.
 */
static int state_change(cli *cx, const char *what, const char *id, int rc,
                        int32_t done_code, bact_status want)
{
    const bact_api_error *e = bact_last_error(&cx->c);
    api_error_copy first;
    bact_task_state st;

    if (rc != BACT_E_API || bact_retries_used(&cx->c) == 0 || e == NULL ||
        !e->has_code || e->code != done_code)
        return answer(cx, what, rc, NULL, NULL);
    copy_api_error(&first, e);
    bact_set_raw(&cx->c, 0); /* the status must be decoded */
    memset(&st, 0, sizeof st);
    if (bact_get_task_status(&cx->c, id, &st) != BACT_OK ||
        st.status != want) {
        report_api_error(cx, &first.e);
        return EX_API;
    }
    /* nothing on stdout, as for the empty answer the first attempt got */
    cli_msg("%s: the answer was lost; the retry found the task already %s "
            "(code %ld), so it took effect", what, bact_status_name(want),
            (long)done_code);
    return EX_OK;
}

static int cmd_stop(cli *cx, const cmd_args *a)
{
    int rc;

    bact_set_raw(&cx->c, cx->g->json);
    rc = bact_stop_task(&cx->c, a->id, a->has_biz_code ? &a->biz_code : NULL);
    return state_change(cx, "stop-task", a->id, rc, 10121,
                        BACT_STATUS_CANCELED);
}

static int cmd_resume(cli *cx, const cmd_args *a)
{
    int rc;

    bact_set_raw(&cx->c, cx->g->json);
    rc = bact_resume_task(&cx->c, a->id);
    return state_change(cx, "resume-task", a->id, rc, 10127,
                        BACT_STATUS_RUNNING);
}

/* What else a --from or --to must be: a real date-time in the RFC 3339
 * form is refused outside these (1969-12-31T23:00:00Z is one) */
#define DATETIME_RANGE "within 1970..2105 UTC and at most 64 bytes"

static int cmd_tasks(cli *cx, const cmd_args *a)
{
    bact_task_query q;
    bact_page p;
    int rc;

    memset(&q, 0, sizeof q);
    memset(&p, 0, sizeof p);
    q.status = a->status;
    q.workflow_id = a->workflow_id;
    q.workflow_name = a->workflow_name;
    q.created_from = a->from;
    q.created_to = a->to;
    q.page = a->page;
    q.limit = a->limit;
    bact_set_raw(&cx->c, cx->g->json);
    rc = bact_list_tasks(&cx->c, &q, &p);
    /* the other options were checked already: a date-time is refused,
     * the one given, or one of the two (the library does not say which) */
    if (rc == BACT_E_ARG && a->from != NULL && a->to != NULL)
        return usage_error("--from '%s' and --to '%s': expected RFC 3339 "
                           "date-times " DATETIME_RANGE ", e.g. "
                           "2024-01-01T00:00:00Z",
                           shown_value(a->from), shown_value(a->to));
    if (rc == BACT_E_ARG && (a->from != NULL || a->to != NULL))
        return usage_error("%s: expected an RFC 3339 date-time "
                           DATETIME_RANGE ", e.g. 2024-01-01T00:00:00Z, "
                           "got '%s'",
                           a->from != NULL ? "--from" : "--to",
                           shown_value(a->from != NULL ? a->from : a->to));
    return answer(cx, "list-tasks", rc, render_tasks, &p);
}

static int cmd_workflows(cli *cx, const cmd_args *a)
{
    bact_page p;

    memset(&p, 0, sizeof p);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "list-workflows",
                  bact_list_workflows(&cx->c, a->page, a->limit, &p),
                  render_workflows, &p);
}

static int cmd_workflow(cli *cx, const cmd_args *a)
{
    bact_workflow w;

    memset(&w, 0, sizeof w);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "get-workflow", bact_get_workflow(&cx->c, a->id, &w),
                  render_workflow, &w);
}

static int cmd_templates(cli *cx, const cmd_args *a)
{
    bact_page p;

    memset(&p, 0, sizeof p);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "list-official-workflow-templates",
                  bact_list_templates(&cx->c, a->keyword, a->page, a->limit,
                                      &p),
                  render_templates, &p);
}

static int cmd_template(cli *cx, const cmd_args *a)
{
    bact_workflow w;

    memset(&w, 0, sizeof w);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "get-official-workflow-template",
                  bact_get_template(&cx->c, a->id, &w), render_workflow, &w);
}

static int cmd_regions(cli *cx, const cmd_args *a)
{
    bact_array regions;

    (void)a;
    memset(&regions, 0, sizeof regions);
    bact_set_raw(&cx->c, cx->g->json);
    return answer(cx, "get-region-list", bact_get_regions(&cx->c, &regions),
                  render_regions, &regions);
}

/* ------------------------------------------------------------------ */
/* Setup and main                                                       */
/* ------------------------------------------------------------------ */

/* -v: the library's request, status, retry and connect events. It never
 * passes header lines, so the API key cannot show up here. */
static void trace_to_stderr(void *user, int event, const char *text,
                            size_t len)
{
    static const char *const tag[] = {"", "> ", "< ", "retry: ",
                                      "connect: "};
    /* a longer text (a request line with a long query) is cut where a
     * character starts, and the cut shows */
    int cut = len > 1024u;
    int n = cut ? (int)cli_char_start(text, 1024u) : (int)len;

    (void)user;
    cli_msg("%s%.*s%s",
            event >= 0 && (size_t)event < N_ELEMS(tag) ? tag[event] : "",
            n, text, cut ? "..." : "");
}

#ifdef BACT_HAVE_TLS
static int tls_load(cli *cx);

/* The TLS transport, seen through these wrappers so that -v can tell how
 * each handshake went (and so that the CA file is read at the first
 * connection). */
static int tls_open(void *io, const char *host, size_t host_len,
                    uint16_t port, uint32_t timeout_ms)
{
    cli *cx = io;
    int rc = tls_load(cx);

    if (rc == BACT_OK)
        rc = cx->tls_tr.open(cx->tls_tr.io, host, host_len, port, timeout_ms);
    if (rc == BACT_OK && cx->g->verbose) {
        cli_msg("TLS: handshake (%s) %s %s",
                bact_tls_resumed(&cx->tls) ? "resumed" : "full",
                mbedtls_ssl_get_version(&cx->tls.ssl),
                mbedtls_ssl_get_ciphersuite(&cx->tls.ssl));
        if (!bact_tls_dates_checked(&cx->tls))
            cli_msg("TLS: warning: the certificate's validity dates were not "
                    "checked (the time is not known)");
    }
    return rc;
}

static int32_t tls_send(void *io, const uint8_t *data, size_t len,
                        uint32_t timeout_ms)
{
    cli *cx = io;
    return cx->tls_tr.send(cx->tls_tr.io, data, len, timeout_ms);
}

static int32_t tls_recv(void *io, uint8_t *buf, size_t len,
                        uint32_t timeout_ms)
{
    cli *cx = io;
    return cx->tls_tr.recv(cx->tls_tr.io, buf, len, timeout_ms);
}

static void tls_close(void *io)
{
    cli *cx = io;
    cx->tls_tr.close(cx->tls_tr.io);
}

/* The CA bundle must be a regular file before mbedTLS reads it: a
 * directory only fails with a vague message, and a FIFO or a device
 * (/dev/stdin) would block the read with no timeout. */
static int check_ca_file(const char *path)
{
    struct stat sb;

    if (stat(path, &sb) != 0) {
        cli_msg("TLS: cannot read the CA file %s: %s", path, strerror(errno));
        return EX_TLS;
    }
    if (!S_ISREG(sb.st_mode)) {
        cli_msg("TLS: the CA file %s is not a regular file (a PEM bundle "
                "is expected)", path);
        return EX_TLS;
    }
    return EX_OK;
}

/* The CA bundle is loaded at the first connection, not at setup: by then
 * the library has checked the call, so one it refuses (a bad --from) is a
 * usage error (exit 2) whatever the CA file. A failure prints its line
 * here, once (fail() then adds none), before anything is connected or even
 * looked up; a later connection fails the same way. */
static int tls_load(cli *cx)
{
    bact_tls_config tc;

    if (cx->tls_on)
        return BACT_OK;
    if (cx->ca_failed || check_ca_file(cx->ca_file) != EX_OK) {
        cx->ca_failed = 1;
        return BACT_E_TLS;
    }
    memset(&tc, 0, sizeof tc);
    tc.ca_file = cx->ca_file;
    tc.platform = &cx->pf;
    if (bact_tls_init(&cx->tls, &cx->sock_tr, &tc) != BACT_OK) {
        bact_tls_free(&cx->tls);
        cli_msg("TLS: cannot load CA certificates from %s", cx->ca_file);
        cx->ca_failed = 1;
        return BACT_E_TLS;
    }
    cx->tls_on = 1;
    return BACT_OK;
}

/* https: TLS over the socket transport tr, which becomes the TLS one. */
static void setup_tls(cli *cx, const globals *g, bact_transport *tr,
                      const bact_platform *pf)
{
    cx->ca_file = g->ca_file != NULL ? g->ca_file : DEFAULT_CA_FILE;
    cx->sock_tr = *tr;
    cx->pf = *pf;
    bact_tls_transport(&cx->tls_tr, &cx->tls);
    tr->io = cx;
    tr->open = tls_open;
    tr->send = tls_send;
    tr->recv = tls_recv;
    tr->close = tls_close;
}
#endif

static int open_client(cli *cx, const globals *g, const bact_url *url)
{
    bact_config cfg;
    bact_transport tr;
    bact_platform pf;
    int rc;

    cx->g = g;
    bact_posix_transport(&tr, &cx->conn);
    bact_posix_platform(&pf);
#ifdef BACT_HAVE_TLS
    if (url->tls)
        setup_tls(cx, g, &tr, &pf);
#else
    (void)url;
#endif
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = g->base_url;
    cfg.api_key = g->api_key;
    cfg.buf = work_buf;
    cfg.buf_len = sizeof work_buf;
    cfg.tokens = tokens;
    cfg.n_tokens = N_TOKENS;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.timeout_ms = g->timeout_ms;
    cfg.attempt_ms = 4u * g->timeout_ms;
    cfg.max_header_bytes = MAX_HEADER_BYTES;
    cfg.max_headers = MAX_HEADERS;
    cfg.retries = (uint8_t)g->retries;
    if (g->verbose) {
        cfg.trace = trace_to_stderr;
        cfg.trace_user = NULL;
    }
    rc = bact_init(&cx->c, &cfg);
    if (rc != BACT_OK) {
        rc = fail(cx, "client setup", rc);
#ifdef BACT_HAVE_TLS
        if (cx->tls_on)
            bact_tls_free(&cx->tls);
        cx->tls_on = 0;
#endif
        return rc;
    }
    return EX_OK;
}

/* Whatever was printed must have reached stdout. */
static int flush_stdout(const cli *cx, int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == EX_OK) {
            fail_msg(cx, "cannot write to stdout: %s", strerror(errno));
            return EX_PROTO;
        }
    }
    return rc;
}

/* Started with fd 0, 1 or 2 closed (">&-"), the first socket would take
 * that number and output meant for stdout or stderr would go to the API.
 * A read-only /dev/null holds each such fd: writes to it fail (EBADF), so
 * a closed stdout is reported like any other that cannot be written. */
static void hold_std_fds(void)
{
    int fd;

    for (fd = 0; fd <= 2; fd++) { /* open() takes the lowest free fd */
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF)
            (void)open("/dev/null", O_RDONLY);
    }
}

int main(int argc, char **argv)
{
    static cmd_args args; /* large (the -p table): not on the stack */
    static cli cx;
    globals g;
    const command *cmd;
    bact_url url;
    int cmd_index, rc;

    hold_std_fds();
    /* no key to mask until one is read (a caller that runs main() more
     * than once, as the fuzz harness does, may have freed the last one) */
    cli_set_secret(NULL);
    if (argc < 2)
        return usage_error("no command given (see bact --help)");
    /* A peer that resets the connection, or a closed pipe on stdout, must
     * end in an error line and an exit code, not in a signal. */
    signal(SIGPIPE, SIG_IGN);

    memset(&g, 0, sizeof g);
    g.timeout_ms = DEFAULT_TIMEOUT_MS;
    g.retries = DEFAULT_RETRIES;
    rc = parse_globals(argc, argv, &g, &cmd_index);
    if (rc != EX_OK)
        return rc;
    if (g.help) {
        usage(stdout);
        return flush_stdout(&cx, EX_OK);
    }
    if (g.version) {
        printf("bact %s\n", BACT_VERSION);
        return flush_stdout(&cx, EX_OK);
    }
    if (cmd_index >= argc)
        return usage_error("no command given (see bact --help)");
    cmd = find_command(argv[cmd_index]);
    if (cmd == NULL)
        return usage_error("unknown command '%s' (see bact --help)",
                           shown_word(argv, cmd_index));
    rc = parse_command(cmd, argc, argv, cmd_index + 1, &args);
    if (rc != EX_OK)
        return rc;
    if (args.help) {
        usage(stdout);
        return flush_stdout(&cx, EX_OK);
    }

    rc = resolve_endpoint(&g, &url);
    if (rc != EX_OK)
        return rc;
    rc = open_client(&cx, &g, &url);
    if (rc != EX_OK)
        return rc;
    rc = cmd->run(&cx, &args);
    bact_close(&cx.c);
#ifdef BACT_HAVE_TLS
    if (cx.tls_on)
        bact_tls_free(&cx.tls);
#endif
    return flush_stdout(&cx, rc);
}
