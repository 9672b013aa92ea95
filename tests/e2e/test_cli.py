#!/usr/bin/env python3
"""End-to-end checks of the `bact` tool (docs/CLI.md) against the mock server.

    python3 tests/e2e/test_cli.py path/to/bact [-k SUBSTRING]... [--list]

Standard library only. Each check is one function registered with @check; it
drives the tool with subprocess and inspects stdout, stderr, the exit code and
what reached the mock (/_mock/requests, /_mock/tasks, /_mock/callbacks).
Output: one line per check, "ok - e2e.<name>" or "not ok - e2e.<name>: why".
Exit 0 only when every check passed.

The mock is reset (tasks, request log, faults, config) before every check.
Every bact run is also checked for: no death by signal, no sanitizer report,
and the API key nowhere on stdout or stderr.

Environment: E2E_TIMING=1 adds a "# seconds name" line per check;
E2E_LEAKS=all keeps LeakSanitizer on for every run (see LEAK_CHECKS).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from email.utils import formatdate

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MOCK_PY = os.path.join(ROOT, "tests", "mock", "mock_server.py")

KEY = "e2e-SeCrEt-key-7f3a9c"            # never allowed on any output
WRONG_KEY = "e2e-wrong-key-0b1d"
WF_FINISH = "16217357109956214"          # Google Search Results Extractor
WF_FAIL = "16305518823741902"            # Amazon Price Monitor (fails, 1011)
WF_PAUSE = "16388201945563318"           # LinkedIn Lead Collector (pauses)
TPL_REVIEWS = "77638424152140851"
TPL_MAPS = "77712093365028417"
FIRST_TASK = 16429034742537847
FAIL_MSG = ("The price element could not be found within 30 seconds: the page "
            "layout may have changed or a CAPTCHA blocked access to the "
            "product page.")
V2 = "/v2/workflow/"
CREATED_MS, RUN_MS = 150, 300
PROC_TIMEOUT_S = 25

# urllib must never go through a proxy: loopback only.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

BACT = None          # path of the binary under test
M = None             # the main mock
TMP = None


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def need(cond, why):
    if not cond:
        raise Fail(why)


def short(b, n=160):
    """One line, cut at n characters, the API keys masked."""
    if isinstance(b, bytes):
        b = b.decode("utf-8", "replace")
    for secret in (KEY, WRONG_KEY):
        b = b.replace(secret, "<key>")
    b = b.replace("\n", "\\n").replace("\r", "\\r")
    return b if len(b) <= n else b[:n] + "..."


def eq(got, want, what):
    if got != want:
        raise Fail("%s: expected %s, got %s" % (what, short(repr(want)),
                                                short(repr(got))))


# --------------------------------------------------------------------------
# The mock
# --------------------------------------------------------------------------


class Mock:
    def __init__(self, name, ipv6=False, api_key=KEY):
        self.name = name
        self.port_file = os.path.join(TMP, name + ".port")
        self.log = os.path.join(TMP, name + ".log")
        self.err = open(os.path.join(TMP, name + ".stderr"), "wb")
        args = [sys.executable, MOCK_PY, "--port", "0", "--port-file",
                self.port_file, "--api-key", api_key, "--created-ms",
                str(CREATED_MS), "--run-ms", str(RUN_MS), "--log", self.log]
        if ipv6:
            args.append("--ipv6")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=self.err, stderr=self.err,
                                     cwd=ROOT)
        deadline = time.time() + 15
        port = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with open(self.port_file) as fh:
                    txt = fh.read().strip()
                if txt.isdigit():
                    port = int(txt)
                    break
            except OSError:
                pass
            time.sleep(0.02)
        if port is None:
            self.stop()
            with open(os.path.join(TMP, name + ".stderr"), "rb") as fh:
                tail = fh.read()[-300:]
            raise RuntimeError("mock %s did not start: %s" % (name, short(tail)))
        self.port = port
        self.host = "[::1]" if ipv6 else "127.0.0.1"
        self.url = "http://%s:%d" % (self.host, port)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.err.close()

    # ---- raw HTTP ----------------------------------------------------------

    def http(self, method, path, body=None, headers=None, timeout=10):
        """(status, headers, body bytes); never raises on an HTTP status."""
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with OPENER.open(req, timeout=timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def api(self, method, path_qs, body=None, key=KEY):
        return self.http(method, path_qs, body,
                         {"Authorization": "Bearer " + key})

    def ctl(self, method, what, body=None):
        st, _, raw = self.http(method, "/_mock/" + what, body)
        if st != 200:
            raise Fail("mock control %s %s -> %d %s" % (method, what, st,
                                                        short(raw)))
        return json.loads(raw.decode("utf-8")) if raw else None

    def reset(self):
        self.ctl("POST", "reset")

    def requests(self):
        return self.ctl("GET", "requests")

    def clear_requests(self):
        self.ctl("DELETE", "requests")

    def fault(self, **kw):
        return self.ctl("POST", "fault", kw)

    def config(self, **kw):
        return self.ctl("POST", "config", kw)

    def tasks(self):
        return self.ctl("GET", "tasks")

    def callbacks(self):
        return self.ctl("GET", "callbacks")

    # ---- setup helpers (straight to the mock, not through bact) -----------

    def new_task(self, wf=WF_FINISH, created_ms=0, run_ms=0, params=()):
        items = [{"name": k, "value": v} for k, v in params]
        items += [{"name": "_mock_created_ms", "value": str(created_ms)},
                  {"name": "_mock_run_ms", "value": str(run_ms)}]
        st, _, raw = self.api("POST", V2 + "run-task",
                              {"workflow_id": wf, "input_parameters": items})
        need(st == 200, "setup run-task -> %d %s" % (st, short(raw)))
        return json.loads(raw)["id"]

    def new_template_task(self, tpl=TPL_REVIEWS, created_ms=0, run_ms=0):
        items = [{"name": "product_url", "value": "https://example.com/p"},
                 {"name": "_mock_created_ms", "value": str(created_ms)},
                 {"name": "_mock_run_ms", "value": str(run_ms)}]
        st, _, raw = self.api("POST", V2 + "run-task-by-template",
                              {"workflow_template_id": tpl,
                               "input_parameters": items})
        need(st == 200, "setup run-task-by-template -> %d" % st)
        return json.loads(raw)["id"]

    def status_of(self, tid):
        st, _, raw = self.api("GET", V2 + "get-task-status?task_id=" + tid)
        need(st == 200, "setup get-task-status -> %d" % st)
        return json.loads(raw)["status"]

    def wait_status(self, tid, want, limit_s=5.0):
        deadline = time.time() + limit_s
        while time.time() < deadline:
            if self.status_of(tid) == want:
                return
            time.sleep(0.02)
        raise Fail("setup: task %s never became %s" % (tid, want))

    def task_body(self, tid):
        st, _, raw = self.api("GET", V2 + "get-task?task_id=" + tid)
        need(st == 200, "setup get-task -> %d" % st)
        return raw

    def output_of(self, tid):
        return json.loads(self.task_body(tid))["output"]["string"]

    def api_requests(self, path=None):
        reqs = self.requests()
        if path is not None:
            reqs = [r for r in reqs if r["path"] == V2 + path]
        return reqs


# --------------------------------------------------------------------------
# Running bact
# --------------------------------------------------------------------------


class Result:
    def __init__(self, argv, rc, out, err, dt):
        self.argv, self.rc, self.out, self.err, self.dt = argv, rc, out, err, dt

    @property
    def err_lines(self):
        return self.err.decode("utf-8", "replace").splitlines()

    def why(self):
        return "exit %s, stdout %s, stderr %s" % (self.rc, short(self.out, 120),
                                                 short(self.err, 200))


RUNS = []            # every Result of the current check
SECRETS = [KEY, WRONG_KEY]
DEFAULT = object()


# LeakSanitizer costs ~0.1-0.2 s per process in the ASan build, too much for
# ~400 runs in a minute; it stays on for the runs of these checks (one or
# more per command and per exit code), and for all with E2E_LEAKS=all. An
# ASAN_OPTIONS that already says detect_leaks is left alone.
LEAK_CHECKS = {
    "run.task_id", "run.params_intact", "run.param_long_value",
    "run_template.region", "status.created_running_finished",
    "get.finished_summary", "get.failed_summary", "wait.existing_task",
    "stop.biz_code", "resume.paused_then_wait", "tasks.lines",
    "tasks.filters_in_query", "workflows.lines", "workflow.show",
    "templates.keyword", "template.show", "regions.lines", "json.get",
    "json.run_wait_prints_final_body", "verbose.lines_no_key",
    "run_wait.finished_exit_0", "run_wait.failed_exit_6",
    "run_wait.pausing_max_wait_exit_7", "api.wrong_key_401",
    "api.redirect_302_not_followed", "usage.no_api_key", "usage.bare",
    "usage.callback_too_long_2049", "net.connection_refused",
    "net.timeout_slow", "net.stall_timeout", "net.reset",
    "net.trickle_attempt_limit", "tls.https_base_url", "proto.garbage",
    "proto.body_too_large", "proto.header_over_16kib",
    "retry.503_twice_then_ok", "retry.run_not_retried_after_cut",
    "keepalive.close_reconnects", "chunked.get", "webhook.not_contacted",
    "ipv6.base_url",
}
LEAKS = [True]       # LeakSanitizer on for the current check's runs


def clean_env(extra=None):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("BROWSERACT_") or k.lower().endswith("_proxy"):
            del env[k]
    env["NO_PROXY"] = env["no_proxy"] = "*"
    asan = env.get("ASAN_OPTIONS", "")
    if not LEAKS[0] and "detect_leaks" not in asan:
        env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
    if extra:
        env.update(extra)
    return env


def bact(*args, g=(), key=DEFAULT, base=DEFAULT, env=None, timeout=None,
         binary=None):
    """Run bact [--base-url URL] [--api-key KEY] G... ARGS... (binary: another
    build of the tool than the one under test)"""
    argv = [binary or BACT]
    if base is DEFAULT:
        base = M.url
    if base is not None:
        argv += ["--base-url", base]
    if key is DEFAULT:
        key = KEY
    if key is not None:
        argv += ["--api-key", key]
    argv += list(g) + list(args)
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=clean_env(env), timeout=timeout or PROC_TIMEOUT_S)
        r = Result(argv, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
    except subprocess.TimeoutExpired as e:
        r = Result(argv, "hang", e.stdout or b"", e.stderr or b"",
                   time.monotonic() - t0)
    RUNS.append(r)
    return r


def shown_argv(r):
    """The command line without the binary, --base-url and --api-key."""
    out, skip = [], False
    for a in r.argv[1:]:
        if skip:
            skip = False
            continue
        if a in ("--base-url", "--api-key"):
            skip = True
            continue
        out.append(a)
    return short(" ".join(out))


def post_checks():
    """Invariants of every run: no signal, no sanitizer report, no key."""
    for r in RUNS:
        if r.rc == "hang":
            raise Fail("hung past %ds: %s" % (PROC_TIMEOUT_S, shown_argv(r)))
        if isinstance(r.rc, int) and r.rc < 0:
            raise Fail("killed by signal %d: %s" % (-r.rc, r.why()))
        if (b"Sanitizer" in r.err or b"runtime error:" in r.err
                or b"LeakSanitizer" in r.err):
            raise Fail("sanitizer report: %s" % short(r.err, 300))
        for s in SECRETS:
            if s.encode() in r.out or s.encode() in r.err:
                raise Fail("API key shown on output (%s)" % shown_argv(r))


def ok(r, out=None):
    """Exit 0, stdout == out (when given), stderr empty."""
    need(r.rc == 0, "expected exit 0: " + r.why())
    if out is not None:
        if isinstance(out, str):
            out = out.encode("utf-8")
        eq(r.out, out, "stdout")
    eq(r.err, b"", "stderr")


def error(r, code, *needles):
    """Exit `code`, empty stdout, exactly one 'bact: ...' line on stderr
    holding every needle (case-insensitive)."""
    need(r.rc == code, "expected exit %d: %s" % (code, r.why()))
    eq(r.out, b"", "stdout")
    lines = r.err_lines
    need(len(lines) == 1 and r.err.endswith(b"\n"),
         "expected one stderr line, got %d: %s" % (len(lines), short(r.err)))
    need(lines[0].startswith("bact: "), "stderr line: " + short(lines[0]))
    for n in needles:
        need(n.lower() in lines[0].lower(),
             "stderr lacks %r: %s" % (n, short(lines[0])))


def no_requests():
    reqs = M.requests()
    need(reqs == [], "%d request(s) reached the mock: %s" % (
        len(reqs), short(" ".join(r["method"] + " " + r["path"] for r in reqs))))


def count_lines(r, prefix):
    return sum(1 for ln in r.err_lines if ln.startswith(prefix))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --------------------------------------------------------------------------
# Check registry
# --------------------------------------------------------------------------

CHECKS = []


def check(name):
    def deco(fn):
        CHECKS.append((name, fn))
        return fn
    return deco


# ==========================================================================
# Help, version
# ==========================================================================


@check("help")
def _():
    r = bact("--help", base=None, key=None)
    need(r.rc == 0, r.why())
    need(r.out.startswith(b"usage: bact"), "stdout: " + short(r.out))
    for cmd in ("run", "run-template", "status", "get", "wait", "stop",
                "resume", "tasks", "workflows", "workflow", "templates",
                "template", "regions"):
        need(("\n  %s" % cmd).encode() in r.out, "--help lacks " + cmd)
    eq(r.err, b"", "stderr")
    no_requests()


@check("help_short")
def _():
    r = bact("-h", base=None, key=None)
    need(r.rc == 0 and r.out.startswith(b"usage: bact"), r.why())
    eq(r.err, b"", "stderr")


@check("help_after_command")
def _():
    r = bact("run", "--help", base=None, key=None)
    need(r.rc == 0 and r.out.startswith(b"usage: bact"), r.why())
    eq(r.err, b"", "stderr")
    no_requests()


@check("version")
def _():
    r = bact("--version", base=None, key=None)
    need(r.rc == 0, r.why())
    need(re.match(rb"^bact \S+\n$", r.out) is not None, "stdout: " + short(r.out))
    eq(r.err, b"", "stderr")


# ==========================================================================
# Every command, human output
# ==========================================================================


@check("run.task_id")
def _():
    r = bact("run", WF_FINISH)
    ok(r, "%d\n" % FIRST_TASK)
    reqs = M.api_requests()
    eq([(q["method"], q["path"]) for q in reqs], [("POST", V2 + "run-task")],
       "requests")
    body = json.loads(reqs[0]["body"])
    eq(body.get("workflow_id"), WF_FINISH, "workflow_id in body")
    need("profile_id" not in body or body["profile_id"] in (None, ""),
         "profile_id sent without --profile-id")
    need(not body.get("save_browser_data"), "save_browser_data sent")


@check("run.request_headers")
def _():
    r = bact("run", WF_FINISH)
    ok(r)
    h = M.api_requests("run-task")[0]["headers"]
    eq(h.get("authorization"), "Bearer " + KEY, "Authorization")
    eq(h.get("host"), "127.0.0.1:%d" % M.port, "Host")
    need(h.get("content-type", "").startswith("application/json"),
         "Content-Type: %r" % h.get("content-type"))
    need(h.get("user-agent", "").startswith("bact/"), "User-Agent: %r" % h.get("user-agent"))


@check("run.save_browser_data")
def _():
    r = bact("run", WF_FINISH, "--save-browser-data")
    ok(r, "%d\nprofile_id: prof_10000000000000001\n" % FIRST_TASK)
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq(body.get("save_browser_data"), True, "save_browser_data in body")


@check("run.profile_id")
def _():
    prof = "my profile \"x\" é"
    r = bact("run", WF_FINISH, "--save-browser-data", "--profile-id", prof)
    ok(r, "%d\nprofile_id: %s\n" % (FIRST_TASK, prof))
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq(body.get("profile_id"), prof, "profile_id in body")


@check("run.profile_id_camelcase_answer")
def _():
    M.config(profile_key="profileId")
    r = bact("run", WF_FINISH, "--save-browser-data")
    ok(r, "%d\nprofile_id: prof_10000000000000001\n" % FIRST_TASK)


PARAMS = [
    ("q", "hello world"),
    ("quotes", "say \"hi\" and 'bye'"),
    ("eq", "a=b==c="),
    ("uni", "Zürich ☕ 東京 🙂"),
    ("bs", "back\\slash \\u0041 \\n"),
    ("ctl", "tab\there\nnew line\r\x01\x1f\x7f"),
    ("json", "{\"k\": [1, 2], \"n\": null}"),
    ("empty", ""),
    ("ünï cödé name", "v"),
    ("pct", "%41%zz+plus&amp;x=1?#frag"),
]


@check("run.params_intact")
def _():
    args = []
    for k, v in PARAMS:
        args += ["-p", "%s=%s" % (k, v)]
    r = bact("run", WF_FINISH, *args)
    ok(r, "%d\n" % FIRST_TASK)
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq(body.get("input_parameters"),
       [{"name": k, "value": v} for k, v in PARAMS], "input_parameters")


@check("run.param_long_value")
def _():
    big = "€" * 30000 + "\"\\" * 5000
    r = bact("run", WF_FINISH, "-p", "big=" + big)
    ok(r, "%d\n" % FIRST_TASK)
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq(body["input_parameters"], [{"name": "big", "value": big}],
       "input_parameters")


@check("run.unknown_workflow")
def _():
    r = bact("run", "999")
    error(r, 1, "10111", "Workflow does not exist")


@check("run_template.region")
def _():
    r = bact("run-template", TPL_REVIEWS, "--region", "DE", "-p",
             "product_url=https://example.com/p?a=1&b=2", "-p", "max_reviews=5")
    ok(r, "%d\n" % FIRST_TASK)
    reqs = M.api_requests()
    eq([(q["method"], q["path"]) for q in reqs],
       [("POST", V2 + "run-task-by-template")], "requests")
    body = json.loads(reqs[0]["body"])
    eq(body.get("workflow_template_id"), TPL_REVIEWS, "workflow_template_id")
    eq(body.get("input_parameters"),
       [{"name": "product_url", "value": "https://example.com/p?a=1&b=2"},
        {"name": "max_reviews", "value": "5"}], "input_parameters")
    eq([t["region"] for t in M.tasks()], ["DE"], "region the mock saw")


@check("run_template.default_region")
def _():
    r = bact("run-template", TPL_MAPS, "-p", "keyword=cafe", "-p", "city=Köln")
    ok(r, "%d\n" % FIRST_TASK)
    eq([t["region"] for t in M.tasks()], ["US"], "region the mock saw")


@check("run_template.unknown_template")
def _():
    error(bact("run-template", "123"), 1, "10176")


@check("run_template.no_save_browser_data")
def _():
    r = bact("run-template", TPL_REVIEWS, "--save-browser-data")
    error(r, 2)
    no_requests()


@check("status.created_running_finished")
def _():
    a = M.new_task(created_ms=60000)
    b = M.new_task(created_ms=0, run_ms=60000)
    c = M.new_task()
    ok(bact("status", a), "created\n")
    ok(bact("status", b), "running\n")
    ok(bact("status", c), "finished\n")
    q = M.api_requests("get-task-status")
    eq([x["query"] for x in q], ["task_id=" + t for t in (a, b, c)], "queries")
    eq([x["method"] for x in q], ["GET"] * 3, "methods")


@check("status.paused_failed_canceled")
def _():
    p = M.new_task(WF_PAUSE)
    M.wait_status(p, "paused")
    f = M.new_task(WF_FAIL)
    s = M.new_task(run_ms=60000)
    st, _, _ = M.api("PUT", V2 + "stop-task?task_id=" + s)
    need(st == 200, "setup stop")
    ok(bact("status", p), "paused\n")
    ok(bact("status", f), "failed\n")
    ok(bact("status", s), "canceled\n")


@check("status.id_percent_encoded")
def _():
    tid = "a b&c=d/é+%"
    r = bact("status", tid)
    error(r, 1, "10112")
    q = M.api_requests("get-task-status")
    eq(len(q), 1, "requests")
    eq(dict(urllib.parse.parse_qsl(q[0]["query"])), {"task_id": tid},
       "decoded query")
    need(re.match(r"^[A-Za-z0-9_.~%=&-]*$", q[0]["query"]) is not None,
         "query not percent-encoded: %r" % q[0]["query"])


@check("get.finished_summary")
def _():
    tid = M.new_task(params=[("q", "e2e")])
    d = json.loads(M.task_body(tid))
    r = bact("get", tid)
    ok(r)
    lines = r.out.decode("utf-8").splitlines()
    for want in ("id: " + tid, "status: finished", "workflow_id: " + WF_FINISH,
                 "created_at: " + d["created_at"],
                 "finished_at: " + d["finished_at"],
                 "output: " + d["output"]["string"],
                 "file: " + d["output"]["files"][0]):
        need(want in lines, "summary lacks line %r" % want)
    need(d["download_files"][0]["downloadUrl"] in r.out.decode(),
         "summary lacks the download URL")
    need(not any(ln.startswith("failure") for ln in lines), "failure shown")


@check("get.failed_summary")
def _():
    tid = M.new_task(WF_FAIL)
    r = bact("get", tid)
    ok(r)
    txt = r.out.decode("utf-8")
    need("status: failed" in txt.splitlines(), "no 'status: failed' line")
    fl = [ln for ln in txt.splitlines() if "1011" in ln]
    need(fl and FAIL_MSG in fl[0], "failure code and message not on one line")


@check("get.c1_controls_shown_as_spaces")
def _():
    # U+009B is a one-byte CSI to terminals that obey C1 controls: it goes
    # the way of ESC and BEL, one space each
    tid = M.new_task(params=[("q", "a\u009b31mb\u0007c\u0085d\u00a0e")])
    r = bact("get", tid)
    ok(r)
    txt = r.out.decode("utf-8")
    line = [ln for ln in txt.splitlines() if ln.startswith("input_parameters")]
    need(line and "q=a 31mb c d\u00a0e" in line[0],
         "input_parameters line: %r" % (line[:1],))
    # (the output string is printed verbatim: the mock echoes the input)
    need(not any(0x80 <= ord(ch) <= 0x9f or ord(ch) < 0x20
                 for ln in txt.splitlines() if not ln.startswith("output: ")
                 for ch in ln), "a control character reached stdout")
    r = bact("status", tid, "--bogus\u009b[2J")
    error(r, 2, "--bogus [2J")


@check("get.credit_shown_even_0")
def _():
    # a task not started yet has used no credit: "credit: 0" all the same
    for tid in (M.new_task(created_ms=60000), M.new_task()):
        d = json.loads(M.task_body(tid))
        r = bact("get", tid)
        ok(r)
        need("credit: %d" % d["credit"] in r.out.decode("utf-8").splitlines(),
             "no 'credit: %d' line: %s" % (d["credit"], short(r.out)))


@check("get.del_and_c1_ends_shown_as_spaces")
def _():
    # DEL, U+0080 and U+009F (the ends of the C1 range) are controls too;
    # U+00A0 just after it is not
    tid = M.new_task(params=[("q", "a\x7fb\u0080c\u009fd\u00a0e")])
    r = bact("get", tid)
    ok(r)
    line = [ln for ln in r.out.decode("utf-8").splitlines()
            if ln.startswith("input_parameters")]
    need(line and "q=a b c d\u00a0e" in line[0],
         "input_parameters line: %r" % (line[:1],))
    error(bact("status", tid, "--bogus\x7f\u0080\u009fx"), 2, "--bogus   x")


@check("get.unknown_task")
def _():
    error(bact("get", "16429034742537999"), 1, "10112", "Task is not exist")


@check("wait.existing_task")
def _():
    tid = M.new_task(created_ms=CREATED_MS, run_ms=RUN_MS)
    M.clear_requests()
    r = bact("wait", tid, "--interval", "0.05")
    q = M.api_requests()
    need(r.rc == 0, r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")
    need("bact: task %s: finished" % tid in r.err_lines,
         "no finished progress line: " + short(r.err))
    need(len(q) >= 3 and q[-1]["path"] == V2 + "get-task"
         and all(x["path"] == V2 + "get-task-status" for x in q[:-1]),
         "expected polls of get-task-status then one get-task: %s"
         % short(" ".join(x["path"][len(V2):] for x in q)))


@check("wait.already_finished")
def _():
    tid = M.new_task()
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")


@check("wait.template_output")
def _():
    tid = M.new_template_task()
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")


@check("wait.canceled_exit_6")
def _():
    tid = M.new_task(run_ms=60000)
    ok(bact("stop", tid))
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 6, "expected exit 6: " + r.why())
    eq(r.out, b"", "stdout")
    # a canceled task has no failure info: the line without a code
    eq(r.err_lines[-1], "bact: task %s canceled" % tid, "last stderr line")


@check("wait.failed_exit_6")
def _():
    tid = M.new_task(WF_FAIL)
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 6, "expected exit 6: " + r.why())
    eq(r.out, b"", "stdout")
    eq(r.err_lines[-1], "bact: task %s failed: code 1011: %s" % (tid, FAIL_MSG),
       "last stderr line")


@check("wait.failed_without_failure_info")
def _():
    # task_failure_info null or absent: the line names the task and how it
    # ended, without a code
    tid = M.new_task(WF_FAIL)
    M.wait_status(tid, "failed")
    d = json.loads(M.task_body(tid))
    no_info = {k: v for k, v in d.items() if k != "task_failure_info"}
    for body in (dict(d, task_failure_info=None), no_info):
        M.fault(kind="body", body=json.dumps(body), count=2,
                path=V2 + "get-task")
        for g in ([], ["--json"]):
            r = bact("wait", tid, "--interval", "0.05", g=g)
            need(r.rc == 6, "expected exit 6: " + r.why())
            eq(r.err_lines[-1], "bact: task %s failed" % tid,
               "last stderr line")


@check("wait.failed_with_unreadable_failure_info")
def _():
    # get-task-status said failed, and the final get-task's failure info
    # cannot be read (a code beyond int32, or no JSON at all): the task
    # failed all the same, exit 6 with or without --json, and a line says
    # why there is no code
    tid = M.new_task(WF_FAIL)
    M.wait_status(tid, "failed")
    d = json.loads(M.task_body(tid))
    bad = dict(d, task_failure_info={"code": 2 ** 40, "message": "m"})
    for body in (json.dumps(bad), "{not json"):
        for g in ([], ["--json"]):
            M.fault(kind="body", body=body, path=V2 + "get-task")
            r = bact("wait", tid, "--interval", "0.05", g=g)
            need(r.rc == 6, "expected exit 6 (%s): %s" % (g, r.why()))
            eq(r.err_lines[-1], "bact: task %s failed" % tid,
               "last stderr line")
            need(any("failure info is not known" in ln
                     for ln in r.err_lines), "no note: " + short(r.err))
            eq(r.out, body.encode() if g else b"", "stdout")


@check("wait.max_wait_mid_interval")
def _():
    tid = M.new_task(run_ms=60000)
    r = bact("wait", tid, "--interval", "5", "--max-wait", "0.3")
    need(r.rc == 7, "expected exit 7: " + r.why())
    eq(r.out, b"", "stdout")
    need(0.25 <= r.dt < 2.5, "took %.2fs (max-wait 0.3, interval 5)" % r.dt)
    need("running" in r.err_lines[-1], "last stderr line: " + short(r.err_lines[-1]))


@check("wait.max_wait_zero_one_look")
def _():
    # --max-wait 0: one look, its answer as it came; no retry on a busy
    # answer (the back-off would outlast a deadline already reached)
    tid = M.new_task(run_ms=60000)
    M.clear_requests()
    r = bact("wait", tid, "--interval", "5", "--max-wait", "0")
    need(r.rc == 7, "expected exit 7: " + r.why())
    eq(r.out, b"", "stdout")
    need("running" in r.err_lines[-1], "last stderr line: " + short(r.err_lines[-1]))
    eq(len(M.api_requests("get-task-status")), 1, "status polls")
    done = M.new_task()
    r = bact("wait", done, "--max-wait", "0")
    need(r.rc == 0, "expected exit 0 for a finished task: " + r.why())
    M.clear_requests()
    M.fault(kind="status", code=503, count=5, path=V2 + "get-task-status")
    r = bact("wait", tid, "--max-wait", "0", g=["--retries", "5"])
    error(r, 1, "503")
    need(r.dt < 2.0, "took %.2fs (no back-off)" % r.dt)
    eq(len(M.api_requests("get-task-status")), 1, "status polls")


@check("wait.unknown_task")
def _():
    r = bact("wait", "1", "--interval", "0.05")
    error(r, 1, "10112")


@check("wait.unknown_status_word_not_terminal")
def _():
    # a status word the tool does not know: shown as it came (status, and
    # wait's progress), and waited past, not taken for the end
    tid = M.new_task(created_ms=CREATED_MS, run_ms=RUN_MS)
    odd = '{"status":"queued_for_gpu"}'
    M.fault(kind="body", body=odd, count=2, path=V2 + "get-task-status")
    ok(bact("status", tid), "queued_for_gpu\n")
    ok(bact("status", tid, g=["--json"]), odd)
    M.fault(kind="body", body=odd, count=3, path=V2 + "get-task-status")
    M.clear_requests()
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")
    eq(r.err_lines[0], "bact: task %s: queued_for_gpu" % tid,
       "first progress line")
    need("bact: task %s: finished" % tid in r.err_lines, "stderr: " + short(r.err))
    need(len(M.api_requests("get-task-status")) >= 4, "polls")


@check("wait.empty_status_word_named")
def _():
    # an answer whose status is "": not terminal, and the lines say so
    # rather than leave the word blank or claim the status was not known
    tid = M.new_task(created_ms=CREATED_MS, run_ms=RUN_MS)
    M.fault(kind="body", body='{"status":""}', count=100,
            path=V2 + "get-task-status")
    r = bact("wait", tid, "--interval", "0.05", "--max-wait", "0.3")
    need(r.rc == 7, "expected exit 7: " + r.why())
    eq(r.out, b"", "stdout")
    eq(r.err_lines, ["bact: task %s: (an empty status)" % tid,
                     "bact: task %s: --max-wait ran out; it is still (an "
                     "empty status)" % tid], "stderr")


@check("wait.finished_without_output")
def _():
    # a finished task whose output string is null or absent: exit 0 and
    # stdout empty (for run --wait: the task-id line alone)
    tid = M.new_task()
    d = json.loads(M.task_body(tid))
    no_string = dict(d, output=dict(d["output"], string=None))
    no_output = {k: v for k, v in d.items() if k != "output"}
    for body in (no_string, dict(d, output=None), no_output):
        M.fault(kind="body", body=json.dumps(body), path=V2 + "get-task")
        r = bact("wait", tid, "--interval", "0.05")
        need(r.rc == 0, "expected exit 0: " + r.why())
        eq(r.out, b"", "stdout")
    M.reset()
    M.fault(kind="body", body=json.dumps(no_output), path=V2 + "get-task")
    r = bact("run", WF_FINISH, "--wait", "--interval", "0.05")
    need(r.rc == 0, "run --wait: expected exit 0: " + r.why())
    eq(r.out, b"%d\n" % FIRST_TASK, "run --wait stdout")


@check("wait.default_interval_5s")
def _():
    # no --interval: a poll every 5 s; within 5.8 s that is two polls (at
    # 0 and 5 s), where a default under 2.9 s makes three and one
    # over 5.8 s makes one. The second poll is made only when the first
    # and the 5 s sleep leave time: 0.8 s for a busy machine
    tid = M.new_task(run_ms=60000)
    M.clear_requests()
    r = bact("wait", tid, "--max-wait", "5.8")
    need(r.rc == 7, "expected exit 7: " + r.why())
    eq(len(M.api_requests("get-task-status")), 2, "status polls in 5.8 s")


def polls3_bact():
    """The tool built with bact_wait()'s poll bound at 3 (make
    build/polls3/bact), from E2E_POLLS3_BACT; the check is skipped without
    it (the default bound, 10,000,000 polls, takes hours to reach)."""
    path = os.environ.get("E2E_POLLS3_BACT", "")
    if not path:
        raise Skip("E2E_POLLS3_BACT (build/polls3/bact) not given")
    path = os.path.abspath(path)
    need(os.access(path, os.X_OK), "E2E_POLLS3_BACT: %s is not executable"
         % path)
    return path


@check("wait.poll_bound_is_not_max_wait")
def _():
    # bact_wait() ends after its bound of polls (BACT_WAIT_MAX_POLLS) with
    # BACT_E_DEADLINE, --max-wait or not: the tool must not say that
    # --max-wait ran out when none was given, or when it was far from over
    binary = polls3_bact()
    tid = M.new_task(run_ms=60000)
    for extra in ([], ["--max-wait", "600"]):
        M.clear_requests()
        r = bact("wait", tid, "--interval", "0.02", *extra, binary=binary)
        need(r.rc == 7, "expected exit 7: " + r.why())
        eq(r.out, b"", "stdout")
        eq(len(M.api_requests("get-task-status")), 3, "status polls")
        last = r.err_lines[-1]
        need("--max-wait ran out" not in last and "3 polls" in last
             and "running" in last, "last stderr line %s" % short(last))
    # run --wait: the same, its line naming the task
    r = bact("run", WF_FINISH, "-p", "_mock_run_ms=60000", "--wait",
             "--interval", "0.02", binary=binary)
    need(r.rc == 7, "run --wait: expected exit 7: " + r.why())
    last = r.err_lines[-1]
    need(last.startswith("bact: task %d: " % (FIRST_TASK + 1))
         and "3 polls" in last and "--max-wait ran out" not in last,
         "run --wait: last stderr line %s" % short(last))
    # and when --max-wait did run out first, it says so
    r = bact("wait", tid, "--interval", "5", "--max-wait", "0.2",
             binary=binary)
    need(r.rc == 7, "expected exit 7: " + r.why())
    need("--max-wait ran out" in r.err_lines[-1],
         "last stderr line %s" % short(r.err_lines[-1]))


@check("stop.biz_code")
def _():
    tid = M.new_task(run_ms=60000)
    r = bact("stop", tid, "--biz-code", "42")
    ok(r, b"")
    q = M.api_requests("stop-task")
    eq(len(q), 1, "stop-task requests")
    eq(q[0]["method"], "PUT", "method")
    eq(dict(urllib.parse.parse_qsl(q[0]["query"])),
       {"task_id": tid, "biz_code": "42"}, "query")
    t = [x for x in M.tasks() if x["id"] == tid][0]
    eq((t["status"], t["biz_code"]), ("canceled", 42), "task in the mock")


@check("stop.negative_biz_code")
def _():
    tid = M.new_task(run_ms=60000)
    ok(bact("stop", tid, "--biz-code", "-2147483648"), b"")
    t = [x for x in M.tasks() if x["id"] == tid][0]
    eq(t["biz_code"], -2147483648, "biz_code in the mock")


@check("stop.biz_code_int32_max")
def _():
    tid = M.new_task(run_ms=60000)
    ok(bact("stop", tid, "--biz-code", "2147483647"), b"")
    t = [x for x in M.tasks() if x["id"] == tid][0]
    eq(t["biz_code"], 2147483647, "biz_code in the mock")


@check("stop.without_biz_code")
def _():
    tid = M.new_task(run_ms=60000)
    ok(bact("stop", tid), b"")
    q = M.api_requests("stop-task")
    eq(dict(urllib.parse.parse_qsl(q[0]["query"])), {"task_id": tid}, "query")


@check("stop.finished_10121")
def _():
    tid = M.new_task()
    error(bact("stop", tid), 1, "10121", "Task has completed")


@check("stop.lost_answer_took_effect")
def _():
    # the mock cancels the task, then cuts the connection: the retry gets
    # 10121 "Task has completed", and the task is canceled as asked
    tid = M.new_task(run_ms=60000)
    M.fault(kind="cut_after_run", path=V2 + "stop-task")
    r = bact("stop", tid)
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(r.out, b"", "stdout")
    need(b"took effect" in r.err, "stderr: " + short(r.err))
    eq(len(M.api_requests("stop-task")), 2, "stop-task requests")
    eq(M.status_of(tid), "canceled", "status")


@check("stop.lost_answer_took_effect_json")
def _():
    tid = M.new_task(run_ms=60000)
    M.fault(kind="cut_after_run", path=V2 + "stop-task")
    r = bact("stop", tid, g=["--json"])
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(r.out, b"", "stdout")


@check("stop.retry_on_finished_task_still_10121")
def _():
    # the first attempt never reached the task: 10121 on the retry is the
    # real answer (the task finished, it was not canceled)
    tid = M.new_task()
    M.fault(kind="drop", path=V2 + "stop-task")
    error(bact("stop", tid), 1, "10121", "Task has completed")
    eq(len(M.api_requests("stop-task")), 2, "stop-task requests")
    eq(M.status_of(tid), "finished", "status")


@check("resume.lost_answer_took_effect")
def _():
    # running 1.5 s before the pause and again after the resume: long
    # enough for the retry (at most 0.5 s later) to see it running
    tid = M.new_task(WF_PAUSE, created_ms=0, run_ms=1500)
    M.wait_status(tid, "paused")
    M.fault(kind="cut_after_run", path=V2 + "resume-task")
    r = bact("resume", tid)
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(r.out, b"", "stdout")
    need(b"took effect" in r.err, "stderr: " + short(r.err))
    eq(len(M.api_requests("resume-task")), 2, "resume-task requests")


@check("resume.retry_on_finished_task_still_10127")
def _():
    tid = M.new_task()
    M.fault(kind="drop", path=V2 + "resume-task")
    error(bact("resume", tid), 1, "10127")
    eq(len(M.api_requests("resume-task")), 2, "resume-task requests")


@check("resume.paused_then_wait")
def _():
    tid = M.new_task(WF_PAUSE, created_ms=0, run_ms=100)
    M.wait_status(tid, "paused")
    r = bact("wait", tid, "--interval", "0.05", "--max-wait", "0.3")
    need(r.rc == 7, "wait on a paused task: expected exit 7: " + r.why())
    need("paused" in r.err_lines[-1], "last stderr line: " + short(r.err_lines[-1]))
    ok(bact("resume", tid), b"")
    q = M.api_requests("resume-task")
    eq([(x["method"], x["query"]) for x in q], [("PUT", "task_id=" + tid)],
       "resume-task requests")
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, "wait after resume: " + r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")


@check("resume.not_paused_10127")
def _():
    tid = M.new_task(run_ms=60000)
    error(bact("resume", tid), 1, "10127")


def task_line(t):
    return "%s\t%s\t%s\t%s" % (t["id"], t["status"], t["created_at"],
                               t["workflow_id"])


@check("tasks.lines")
def _():
    M.new_task()
    M.new_task(WF_FAIL)
    M.new_task(run_ms=60000)
    M.new_template_task()
    want = [task_line(t) for t in reversed(M.tasks())]
    r = bact("tasks")
    ok(r, "".join(ln + "\n" for ln in want))
    for ln in r.out.decode().splitlines():
        eq(len(ln.split("\t")), 4, "fields in %r" % ln)


@check("tasks.empty")
def _():
    ok(bact("tasks"), b"")


@check("tasks.filters_in_query")
def _():
    name = "Zürich a b&c=d+e/f%25 #x?"
    r = bact("tasks", "--status", "running", "--workflow-id", WF_FINISH,
             "--workflow-name", name, "--from", "2020-01-01T00:00:00Z",
             "--to", "2030-01-01T00:00:00+01:00", "--page", "2",
             "--limit", "7")
    ok(r, b"")
    q = M.api_requests("list-tasks")
    eq(len(q), 1, "list-tasks requests")
    raw = q[0]["query"]
    need(re.match(r"^[A-Za-z0-9_.~%=&-]*$", raw) is not None,
         "query not percent-encoded: %r" % raw)
    got = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
    eq(got, {"status": "running", "workflow_id": WF_FINISH,
             "workflow_name": name, "created_at_from": "2020-01-01T00:00:00Z",
             "created_at_to": "2030-01-01T00:00:00+01:00", "page": "2",
             "limit": "7"}, "decoded query")


@check("tasks.filters_applied")
def _():
    M.new_task()
    run = M.new_task(run_ms=60000)
    M.new_task(WF_FAIL, run_ms=60000)
    want = [task_line(t) for t in M.tasks() if t["id"] == run]
    ok(bact("tasks", "--status", "running", "--workflow-id", WF_FINISH),
       want[0] + "\n")
    ok(bact("tasks", "--workflow-name", "amazon price"),
       "".join(task_line(t) + "\n" for t in M.tasks()
               if t["workflow_id"] == WF_FAIL))


@check("tasks.page_limit")
def _():
    ids = [M.new_task() for _ in range(3)]
    all_lines = [task_line(t) for t in reversed(M.tasks())]
    ok(bact("tasks", "--page", "2", "--limit", "2"), all_lines[2] + "\n")
    eq(len(ids), 3, "setup")


@check("tasks.limit_500_accepted")
def _():
    ok(bact("tasks", "--limit", "500"), b"")
    eq(dict(urllib.parse.parse_qsl(M.api_requests("list-tasks")[0]["query"])).get("limit"),
       "500", "limit in query")


WORKFLOWS_OUT = ("16217357109956214\tGoogle Search Results Extractor\n"
                 "16305518823741902\tAmazon Price Monitor\n"
                 "16388201945563318\tLinkedIn Lead Collector\n")


@check("workflows.lines")
def _():
    ok(bact("workflows"), WORKFLOWS_OUT)
    eq(M.api_requests()[0]["path"], V2 + "list-workflows", "path")


@check("workflows.page_limit")
def _():
    ok(bact("workflows", "--page", "2", "--limit", "1"),
       "16305518823741902\tAmazon Price Monitor\n")
    q = dict(urllib.parse.parse_qsl(M.api_requests()[0]["query"]))
    eq((q.get("page"), q.get("limit")), ("2", "1"), "page and limit")


@check("workflow.show")
def _():
    r = bact("workflow", WF_FINISH)
    ok(r)
    txt = r.out.decode("utf-8")
    need("Google Search Results Extractor" in txt, "no name")
    need("Searches Google for a query and extracts title, link and snippet "
         "of the top organic results." in txt, "no description")
    lines = txt.splitlines()
    need(any("query" in ln and "required" in ln for ln in lines),
         "no line for input 'query' (required)")
    need(any("max_results" in ln and "optional, has a default" in ln
             for ln in lines),
         "no line for input 'max_results' (optional, has a default)")
    eq(dict(urllib.parse.parse_qsl(M.api_requests()[0]["query"])),
       {"workflow_id": WF_FINISH}, "query")


@check("workflow.unknown")
def _():
    error(bact("workflow", "42"), 1, "10111")


@check("templates.lines")
def _():
    r = bact("templates")
    ok(r)
    lines = r.out.decode("utf-8").splitlines()
    eq(len(lines), 2, "lines")
    need(lines[0].startswith(TPL_REVIEWS + "\tAmazon Product Reviews Scraper"),
         "line 1: " + short(lines[0]))
    need(lines[1].startswith(TPL_MAPS + "\tGoogle Maps Business Extractor"),
         "line 2: " + short(lines[1]))


@check("templates.keyword")
def _():
    r = bact("templates", "--keyword", "amazon")
    ok(r)
    lines = r.out.decode("utf-8").splitlines()
    need(len(lines) == 1 and lines[0].startswith(TPL_REVIEWS + "\t"),
         "stdout: " + short(r.out))
    eq(dict(urllib.parse.parse_qsl(M.api_requests()[0]["query"])).get("keyword"),
       "amazon", "keyword in query")


@check("templates.keyword_encoded")
def _():
    kw = "Zürich & co=1+1 #?/%"
    ok(bact("templates", "--keyword", kw), b"")
    raw = M.api_requests()[0]["query"]
    need(re.match(r"^[A-Za-z0-9_.~%=&-]*$", raw) is not None,
         "query not percent-encoded: %r" % raw)
    eq(dict(urllib.parse.parse_qsl(raw)).get("keyword"), kw, "keyword")


@check("template.show")
def _():
    r = bact("template", TPL_MAPS)
    ok(r)
    txt = r.out.decode("utf-8")
    need("Google Maps Business Extractor" in txt, "no name")
    need("Searches Google Maps for a business category" in txt, "no description")
    need("keyword" in txt and "city" in txt, "no input parameters")
    eq(dict(urllib.parse.parse_qsl(M.api_requests()[0]["query"])),
       {"workflow_template_id": TPL_MAPS}, "query")


@check("template.unknown")
def _():
    error(bact("template", "1"), 1, "10176")


REGIONS_OUT = "US\tUnited States\nUK\tUnited Kingdom\nDE\tGermany\nJP\tJapan\n"


@check("regions.lines")
def _():
    ok(bact("regions"), REGIONS_OUT)
    eq([(q["method"], q["path"]) for q in M.api_requests()],
       [("GET", V2 + "get-region-list")], "requests")


@check("base_url_from_env")
def _():
    r = bact("regions", base=None, key=None,
             env={"BROWSERACT_BASE_URL": M.url, "BROWSERACT_API_KEY": KEY})
    ok(r, REGIONS_OUT)


@check("usage.bad_env_values_name_their_variable")
def _():
    # a key or URL refused when no option gave it: the line says where it
    # came from, so a stale variable is found (and not when an option did)
    error(bact("regions", base=None, env={"BROWSERACT_BASE_URL":
                                          "http://127.0.0.1:1/v2"}),
          2, "bad base URL", "BROWSERACT_BASE_URL")
    error(bact("regions", key=None, env={"BROWSERACT_API_KEY": "a b"}),
          2, "API key holds a space", "BROWSERACT_API_KEY")
    r = bact("regions", key="a b", env={"BROWSERACT_API_KEY": KEY})
    error(r, 2, "API key holds a space")
    need(b"BROWSERACT_API_KEY" not in r.err, "stderr: " + short(r.err))
    no_requests()


@check("base_url_empty_env_means_default")
def _():
    # BROWSERACT_BASE_URL="" is unset, not a bad URL: the default https
    # origin applies. A CA file that does not exist ends the run before
    # any connection is made (exit 4), so nothing leaves this machine.
    missing = os.path.join(TMP, "no-such-ca.pem")
    r = bact("regions", base=None, g=["--ca-file", missing],
             env={"BROWSERACT_BASE_URL": ""})
    error(r, 4, "TLS")


@check("api_key_option_overrides_env")
def _():
    r = bact("regions", env={"BROWSERACT_API_KEY": WRONG_KEY})
    ok(r, REGIONS_OUT)


@check("base_url_option_overrides_env")
def _():
    r = bact("regions", env={"BROWSERACT_BASE_URL": "http://127.0.0.1:%d"
                             % closed_port()})
    ok(r, REGIONS_OUT)


# ==========================================================================
# --json: the body exactly as the mock sent it
# ==========================================================================


def quiet_or_progress(r, args):
    """stderr empty, or for wait only 'task ID: status' progress lines."""
    if args[0] != "wait":
        eq(r.err, b"", "stderr")
    for ln in r.err_lines:
        need(re.match(r"^bact: task \S+: \w+$", ln) is not None,
             "stderr: " + short(ln))


def json_same(args, prepare=None):
    if prepare:
        prepare()
    M.clear_requests()
    r = bact(*args, g=["--json"])
    need(r.rc == 0, r.why())
    quiet_or_progress(r, args)
    q = M.api_requests()
    need(q, "no request reached the mock")
    last = q[-1]
    path = last["path"] + ("?" + last["query"] if last["query"] else "")
    st, _, body = M.api(last["method"], path)
    need(st == 200, "refetch %s -> %d" % (path, st))
    eq(r.out, body, "stdout vs the body the mock sends")


def json_checks():
    cases = {
        "status": lambda t: ["status", t],
        "get": lambda t: ["get", t],
        "tasks": lambda t: ["tasks"],
        "workflows": lambda t: ["workflows"],
        "workflow": lambda t: ["workflow", WF_PAUSE],
        "templates": lambda t: ["templates", "--keyword", "google"],
        "template": lambda t: ["template", TPL_REVIEWS],
        "regions": lambda t: ["regions"],
        "wait": lambda t: ["wait", t, "--interval", "0.05"],
    }
    for name, mk in cases.items():
        def fn(mk=mk):
            tid = M.new_task()
            M.new_task(WF_FAIL)
            json_same(mk(tid))
        check("json." + name)(fn)


json_checks()


def same_run_body(r, want_keys):
    """--json of a run: the exact body the mock sent. The POST cannot be
    fetched again without creating another task, so it is replayed and the
    new task's (and profile's) id swapped back; they have the same length."""
    need(r.rc == 0, r.why())
    eq(r.err, b"", "stderr")
    try:
        got = json.loads(r.out.decode("utf-8"))
    except ValueError:
        raise Fail("stdout is not JSON: " + short(r.out))
    eq(sorted(got), sorted(want_keys), "keys")
    eq(got["id"], str(FIRST_TASK), "id")
    last = [q for q in M.api_requests()
            if q["path"] in (V2 + "run-task", V2 + "run-task-by-template")][-1]
    st, _, again = M.api("POST", last["path"], last["body"].encode("utf-8"))
    need(st == 200, "replay -> %d" % st)
    new = json.loads(again)
    want = again.replace(new["id"].encode(), got["id"].encode())
    if "profile_id" in got:
        want = want.replace(new["profile_id"].encode(), got["profile_id"].encode())
    eq(r.out, want, "stdout vs the body the mock sends")


@check("json.run")
def _():
    same_run_body(bact("run", WF_FINISH, g=["--json"]), ["id"])


@check("json.run_save_browser_data")
def _():
    r = bact("run", WF_FINISH, "--save-browser-data", g=["--json"])
    same_run_body(r, ["id", "profile_id"])
    eq(json.loads(r.out)["profile_id"], "prof_10000000000000001", "profile_id")


@check("json.run_template")
def _():
    same_run_body(bact("run-template", TPL_MAPS, g=["--json"]), ["id"])


@check("json.run_wait_prints_final_body")
def _():
    r = bact("run", WF_FINISH, "--wait", "--interval", "0.05", g=["--json"])
    need(r.rc == 0, r.why())
    tid = str(FIRST_TASK)
    eq(r.out, M.task_body(tid), "stdout vs the final get-task body")


@check("json.run_wait_failed")
def _():
    r = bact("run", WF_FAIL, "--wait", "--interval", "0.05", g=["--json"])
    need(r.rc == 6, "expected exit 6: " + r.why())
    eq(r.out, M.task_body(str(FIRST_TASK)), "stdout vs the final get-task body")
    need("failed" in r.err_lines[-1], "last stderr line: " + short(r.err_lines[-1]))


@check("json.run_wait_error_names_task")
def _():
    # the task is created, then polling it fails: with --json nothing but a
    # final body goes to stdout, so the error line names the task
    M.fault(kind="status", code=500, path=V2 + "get-task-status")
    r = bact("run", WF_FINISH, "--wait", "--interval", "0.05", g=["--json"])
    error(r, 1, "task %d: " % FIRST_TASK, "HTTP 500")
    eq(len(M.tasks()), 1, "tasks created")


@check("json.run_wait_final_get_error_names_task")
def _():
    M.fault(kind="status", code=500, path=V2 + "get-task")
    r = bact("run", WF_FINISH, "--wait", "--interval", "0.05", g=["--json"])
    need(r.rc == 1, "expected exit 1: " + r.why())
    eq(r.out, b"", "stdout")
    last = r.err_lines[-1]
    need(last.startswith("bact: task %d: " % FIRST_TASK) and "HTTP 500" in last,
         "last stderr line: " + short(last))


@check("run_wait.error_names_task")
def _():
    # without --json the id is on stdout already; the error line is the same
    M.fault(kind="status", code=500, path=V2 + "get-task-status")
    r = bact("run", WF_FINISH, "--wait", "--interval", "0.05")
    need(r.rc == 1, "expected exit 1: " + r.why())
    eq(r.out, b"%d\n" % FIRST_TASK, "stdout")
    need(r.err_lines[-1].startswith("bact: task %d: " % FIRST_TASK),
         "stderr: " + short(r.err))


@check("json.stop_resume_empty_body")
def _():
    tid = M.new_task(WF_PAUSE)
    run = M.new_task(run_ms=60000)
    M.wait_status(tid, "paused")
    ok(bact("resume", tid, g=["--json"]), b"")
    ok(bact("stop", run, g=["--json"]), b"")


@check("json.error_prints_nothing")
def _():
    error(bact("status", "77", g=["--json"]), 1, "10112")


@check("json.ascii_escapes_decoded")
def _():
    # The mock escapes every non-ASCII character (\uXXXX, surrogate pairs for
    # the emoji); --json keeps them, the human output decodes them.
    M.config(ascii_json=True)
    tid = M.new_task()
    want = M.output_of(tid)
    need("🙂" in want, "setup: no emoji in the output string")
    raw = M.task_body(tid)
    need(b"\\ud83d\\ude42" in raw, "setup: mock did not escape")
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, r.why())
    eq(r.out, (want + "\n").encode("utf-8"), "stdout")
    json_same(["get", tid])


# ==========================================================================
# -v
# ==========================================================================


@check("verbose.lines_no_key")
def _():
    r = bact("regions", g=["-v"])
    need(r.rc == 0, r.why())
    eq(r.out, REGIONS_OUT.encode(), "stdout")
    need("bact: > GET /v2/workflow/get-region-list HTTP/1.1" in r.err_lines,
         "no request line: " + short(r.err))
    need("bact: < HTTP/1.1 200" in r.err_lines, "no status line: " + short(r.err))
    need(b"Bearer" not in r.err and b"uthorization" not in r.err,
         "authorization shown")


@check("verbose.long_request_line_cut_shows")
def _():
    # a request line longer than a -v line holds is cut where a character
    # starts and ends in "...": never cut silently, as if the query ended
    # there
    kw = "x" * 1100
    r = bact("templates", "--keyword", kw, g=["-v"])
    need(r.rc == 0, r.why())
    req = [ln for ln in r.err_lines if ln.startswith("bact: > GET ")]
    eq(len(req), 1, "request lines")
    need(req[0].endswith("..."), "cut without a notice: %r" % req[0][-40:])
    need(len(req[0]) <= len("bact: > ") + 1024 + 3,
         "too long: %d bytes" % len(req[0]))


@check("verbose.post_and_error")
def _():
    r = bact("run", "999", g=["--verbose"])
    need(r.rc == 1, r.why())
    eq(r.out, b"", "stdout")
    need("bact: > POST /v2/workflow/run-task HTTP/1.1" in r.err_lines,
         "no request line: " + short(r.err))
    need("bact: < HTTP/1.1 400" in r.err_lines, "no status line: " + short(r.err))
    need("10111" in r.err_lines[-1], "last line: " + short(r.err_lines[-1]))


@check("verbose.with_json")
def _():
    r = bact("workflows", g=["-v", "--json"])
    need(r.rc == 0, r.why())
    st, _, body = M.api("GET", V2 + "list-workflows?" + M.api_requests()[0]["query"])
    eq(r.out, body, "stdout")
    need("bact: < HTTP/1.1 200" in r.err_lines, "no status line: " + short(r.err))


@check("verbose.key_from_env_not_shown")
def _():
    r = bact("tasks", key=None, g=["-v"], env={"BROWSERACT_API_KEY": KEY})
    need(r.rc == 0, r.why())


# ==========================================================================
# run --wait: exits 0 / 6 / 7
# ==========================================================================


@check("run_wait.finished_exit_0")
def _():
    r = bact("run", WF_FINISH, "-p", "q=e2e wait", "--wait", "--interval", "0.05")
    tid = str(FIRST_TASK)
    need(r.rc == 0, r.why())
    eq(r.out, ("%s\n%s\n" % (tid, M.output_of(tid))).encode("utf-8"), "stdout")
    prog = [ln for ln in r.err_lines if ln.startswith("bact: task %s: " % tid)]
    words = [ln.rsplit(": ", 1)[1] for ln in prog]
    for w in ("created", "running", "finished"):
        need(w in words, "progress lacks %r: %s" % (w, short(r.err)))
    need(words.index("created") < words.index("running") < words.index("finished"),
         "progress out of order: %s" % words)


@check("run_wait.failed_exit_6")
def _():
    r = bact("run", WF_FAIL, "--wait", "--interval", "0.05")
    need(r.rc == 6, "expected exit 6: " + r.why())
    eq(r.out, b"%d\n" % FIRST_TASK, "stdout")
    eq(r.err_lines[-1], "bact: task %d failed: code 1011: %s" %
       (FIRST_TASK, FAIL_MSG), "last stderr line")


@check("run_wait.pausing_max_wait_exit_7")
def _():
    r = bact("run", WF_PAUSE, "--wait", "--interval", "0.05", "--max-wait", "0.5")
    need(r.rc == 7, "expected exit 7: " + r.why())
    eq(r.out, b"%d\n" % FIRST_TASK, "stdout")
    need(0.45 <= r.dt < 3.0, "took %.2fs with --max-wait 0.5" % r.dt)
    need("max-wait" in r.err_lines[-1], "last stderr line: " + short(r.err_lines[-1]))


@check("run_wait.template")
def _():
    r = bact("run-template", TPL_REVIEWS, "-p", "product_url=u", "--wait",
             "--interval", "0.05")
    tid = str(FIRST_TASK)
    need(r.rc == 0, r.why())
    eq(r.out, ("%s\n%s\n" % (tid, M.output_of(tid))).encode("utf-8"), "stdout")


# ==========================================================================
# Exit 1: API errors
# ==========================================================================


@check("api.wrong_key_401")
def _():
    r = bact("regions", key=WRONG_KEY)
    error(r, 1, "401", "Invalid authorization")


@check("api.wrong_key_401_on_run")
def _():
    error(bact("run", WF_FINISH, key=WRONG_KEY), 1, "401")
    eq(len(M.api_requests("run-task")), 1, "run-task requests")
    eq(M.tasks(), [], "tasks created")


@check("api.unknown_task_10112")
def _():
    error(bact("status", "16429034742537847"), 1, "10112", "Task is not exist",
          "400")


@check("api.error_shows_trace_id")
def _():
    r = bact("status", "5")
    error(r, 1, "traceid")


@check("api.echoed_key_not_shown")
def _():
    # a server (or a proxy before it) that echoes the Authorization header
    # in its msg or traceId: the key is masked on stderr, also when the msg
    # is cut in the middle of it (what is left of it would show its start).
    # The msg shows 1017 bytes and "...": with the key at pad + 30, pad 970
    # cuts it after 17 bytes and pad 983 after 4, the fewest masked
    for pad in (0, 970, 983):
        body = json.dumps({"code": 401, "msg": "x" * pad + "Invalid "
                           "authorization: Bearer " + KEY,
                           "traceId": KEY})
        M.fault(kind="body", code=401, body=body,
                path=V2 + "get-task-status")
        r = bact("status", "5")
        error(r, 1, "HTTP 401", "code 401")
        need(KEY[:4].encode() not in r.err,
             "the key's start on stderr: %s" % short(r.err[-80:]))
        shown = len(KEY) if pad == 0 else 1017 - (pad + 30)
        need(("Bearer " + "*" * shown + ("" if pad == 0 else "...")).encode()
             in r.err, "the key not masked as '*'s: %s" % short(r.err[-200:]))


@check("wait.echoed_key_in_long_failure_message_not_shown")
def _():
    # a failure message holding the key where the whole line (2044 bytes
    # and "...") is cut in the middle of it: what is left of it is '*'s
    tid = M.new_task(WF_FAIL)
    M.wait_status(tid, "failed")
    d = json.loads(M.task_body(tid))
    head = "task %s failed: code 7: " % tid
    for shown in (4, 12):
        pad = 2044 - shown - len(head)
        M.fault(kind="body", path=V2 + "get-task", body=json.dumps(
            dict(d, task_failure_info={"code": 7, "message": "y" * pad + KEY})))
        r = bact("wait", tid, "--interval", "0.05")
        need(r.rc == 6, "expected exit 6: " + r.why())
        need(KEY[:4].encode() not in r.err,
             "the key's start on stderr: %s" % short(r.err[-80:]))
        need(r.err.endswith(b"y" + b"*" * shown + b"...\n"),
             "the cut key not masked: %s" % short(r.err[-80:]))


@check("api.long_msg_cut_with_notice")
def _():
    # a msg or traceId too long for the line is cut where a character
    # starts, and the cut is shown ("..."): never a silent cut, never a
    # broken UTF-8 sequence on stderr
    for pad in ("", "x"):
        msg = pad + "\u00e9" * 1500 + "TAIL"
        body = json.dumps({"code": 10112, "msg": msg,
                           "traceId": "t" + "\u00e9" * 200 + "END"})
        M.fault(kind="body", code=400, body=body, path=V2 + "get-task-status")
        r = bact("status", "16429034742537847")
        error(r, 1, "HTTP 400", "code 10112")
        try:
            line = r.err.decode("utf-8")
        except UnicodeDecodeError:
            raise Fail("stderr is not UTF-8: %r" % r.err[-40:])
        need("TAIL" not in line and "END" not in line, "not cut: " + short(line))
        need("\u00e9... (traceId t" in line and line.endswith("\u00e9...)\n"),
             "cut without a notice: %r" % line[-60:])


@check("wait.long_failure_message_cut_at_a_character")
def _():
    # the failure line is cut to the tool's longest line: at a character's
    # start, then "..."
    tid = M.new_task(WF_FAIL)
    d = json.loads(M.task_body(tid))
    for pad in ("", "x", "xx"):
        d["task_failure_info"]["message"] = pad + "\u00e9" * 1500
        M.fault(kind="body", body=json.dumps(d), path=V2 + "get-task")
        r = bact("wait", tid, "--interval", "0.05")
        need(r.rc == 6, "expected exit 6: " + r.why())
        try:
            last = r.err.decode("utf-8").splitlines()[-1]
        except UnicodeDecodeError:
            raise Fail("stderr is not UTF-8: %r" % r.err[-40:])
        need(last.startswith("bact: task %s failed: code " % tid)
             and last.endswith("\u00e9..."), "last line: %r" % last[-40:])


@check("api.error_envelope_on_2xx")
def _():
    # A status fault with code 200 answers 200 with an error envelope
    # {"code":200,"msg":"OK",...,"traceId":...}: exit 1, even with --json.
    M.fault(kind="status", code=200, count=2, path=V2 + "get-region-list")
    error(bact("regions"), 1, "HTTP 200", "code 200", "OK", "traceId")
    error(bact("regions", g=["--json"]), 1, "code 200")


@check("api.http_500_not_retried")
def _():
    M.fault(kind="status", code=500, count=5, path=V2 + "get-region-list")
    error(bact("regions"), 1, "500")
    eq(len(M.api_requests()), 1, "requests")


@check("api.http_503_retries_0")
def _():
    M.fault(kind="status", code=503, count=5, path=V2 + "get-region-list")
    error(bact("regions", g=["--retries", "0"]), 1, "503")
    eq(len(M.api_requests()), 1, "requests")


@check("api.redirect_302_not_followed")
def _():
    # The mock has no redirect knob; a status fault answers 302. The Location
    # header rides in through retry_after (the mock writes it as given); if the
    # mock refuses that, the 302 comes without Location.
    loc = "%s/v2/workflow/get-region-list" % M.url
    try:
        M.fault(kind="status", code=302, path=V2 + "regions-moved",
                retry_after="0\r\nLocation: " + loc)
        inject = True
    except Fail:
        inject = False
    M.ctl("DELETE", "fault")
    M.fault(kind="status", code=302, path=V2 + "get-region-list",
            retry_after=("0\r\nLocation: " + loc) if inject else None)
    error(bact("regions"), 1, "302")
    eq(len(M.api_requests()), 1, "requests (a followed redirect makes 2)")


@check("api.http_502_run_not_retried")
def _():
    M.fault(kind="status", code=502, count=5, path=V2 + "run-task")
    error(bact("run", WF_FINISH), 1, "502")
    eq(len(M.api_requests("run-task")), 1, "run-task requests")


# ==========================================================================
# Exit 2: usage errors, nothing sent
# ==========================================================================


def usage_check(name, *args, needles=(), g=(), key=DEFAULT, env=None):
    def fn():
        r = bact(*args, g=g, key=key, env=env)
        error(r, 2, *needles)
        no_requests()
    check("usage." + name)(fn)


usage_check("no_api_key", "regions", key=None, needles=("API key",))
usage_check("empty_api_key_env", "regions", key=None,
            env={"BROWSERACT_API_KEY": ""}, needles=("API key",))
usage_check("no_command", needles=("command",))


@check("usage.bare")
def _():
    # No arguments at all: exit 2 and the usage text on stderr.
    r = bact(base=None, key=None)
    need(r.rc == 2, "expected exit 2: " + r.why())
    eq(r.out, b"", "stdout")
    need(r.err.startswith(b"usage: bact") or r.err.startswith(b"bact: "),
         "stderr: " + short(r.err))

usage_check("unknown_command", "frobnicate", needles=("frobnicate",))
usage_check("unknown_flag", "regions", "--bogus", needles=("--bogus",))
usage_check("unknown_global_flag", "regions", g=["--bogus"], needles=("--bogus",))
usage_check("global_after_command", "regions", "--json", needles=("--json", "before"))
usage_check("command_option_before_command", "workflows", g=["--limit", "5"],
            needles=("--limit", "after"))
usage_check("option_not_for_command", "regions", "--limit", "5", needles=("--limit",))
usage_check("missing_id", "status")
usage_check("extra_argument", "status", "1", "2")
for _cmd in ("run", "run-template", "status", "get", "wait", "stop", "resume",
             "workflow", "template"):
    usage_check("empty_id_" + _cmd.replace("-", "_"), _cmd, "", needles=("empty",))
usage_check("empty_profile_id", "run", WF_FINISH, "--profile-id", "")
usage_check("empty_region", "run-template", TPL_MAPS, "--region", "")
usage_check("limit_0", "tasks", "--limit", "0", needles=("--limit",))
usage_check("limit_501", "tasks", "--limit", "501", needles=("--limit",))
usage_check("limit_0_workflows", "workflows", "--limit", "0")
usage_check("limit_501_templates", "templates", "--limit", "501")
usage_check("limit_negative", "tasks", "--limit", "-1")
usage_check("page_0", "tasks", "--page", "0", needles=("--page",))
usage_check("page_0_workflows", "workflows", "--page", "0")
usage_check("page_0_templates", "templates", "--page", "0")
usage_check("page_not_number", "tasks", "--page", "2x")
usage_check("status_bogus", "tasks", "--status", "bogus", needles=("--status",))
usage_check("interval_bad", "wait", "1", "--interval", "abc", needles=("--interval",))
usage_check("interval_negative", "wait", "1", "--interval", "-1")
usage_check("interval_zero", "wait", "1", "--interval", "0",
            needles=("--interval", "from 0.001"))
usage_check("interval_below_1ms", "run", WF_FINISH, "--wait", "--interval",
            "0.0004", needles=("--interval", "from 0.001"))
usage_check("interval_empty", "wait", "1", "--interval", "")
usage_check("interval_too_large", "wait", "1", "--interval", "4294967.295",
            needles=("--interval", "to 4294967.294"))
usage_check("max_wait_too_large", "wait", "1", "--max-wait", "4294968",
            needles=("--max-wait", "to 4294967.294"))
usage_check("empty_api_key_option", "regions", key="",
            env={"BROWSERACT_API_KEY": "k"}, needles=("--api-key", "empty"))


@check("usage.base_url_with_user_not_echoed")
def _():
    r = bact("regions", g=["--base-url", "http://user:s3cret@127.0.0.1/x"])
    error(r, 2, "bad base URL", "not shown")
    need(b"s3cret" not in r.err, "the password reached stderr")
    no_requests()


usage_check("interval_exponent", "run", WF_FINISH, "--wait", "--interval", "1e3")
usage_check("interval_without_wait", "run", WF_FINISH, "--interval", "1")
usage_check("max_wait_bad", "wait", "1", "--max-wait", "1.2.3")
usage_check("interval_missing_value", "wait", "1", "--interval")
usage_check("biz_code_bad", "stop", "1", "--biz-code", "x")
usage_check("biz_code_overflow", "stop", "1", "--biz-code", "2147483648")
usage_check("param_no_equals", "run", WF_FINISH, "-p", "novalue")
usage_check("param_empty_name", "run", WF_FINISH, "-p", "=v",
            needles=("-p", "non-empty NAME"))
usage_check("param_twice", "run-template", TPL_MAPS, "-p", "city=Köln",
            "-p", "keyword=cafe", "-p", "city=Bonn",
            needles=("-p city", "given twice"))
# argv bytes that are not UTF-8 (\udcXX: the byte XX, by surrogateescape)
usage_check("param_value_not_utf8", "run", WF_FINISH, "-p", "a=x\udcff",
            needles=("not UTF-8",))
usage_check("param_name_not_utf8", "run", WF_FINISH, "-p", "\udcc0\udcaf=v",
            needles=("not UTF-8",))
# --from/--to: RFC 3339 date-times only, not every ISO 8601 form
usage_check("from_date_only", "tasks", "--from", "2024-01-01",
            needles=("RFC 3339",))
# a date-time of the right form outside the range the tool sends: the
# line says what the range is rather than only that the form is wrong
usage_check("from_before_1970_says_range", "tasks", "--from",
            "1970-01-01T00:30:00+01:00", needles=("1970..2105 UTC",))
usage_check("to_after_2105_says_range", "tasks", "--to",
            "2106-01-01T00:00:00Z", needles=("1970..2105 UTC", "--to"))
usage_check("to_basic_format", "tasks", "--to", "20240101T000000Z",
            needles=("RFC 3339",))
# the line names the option given and shows its value, not "--from/--to"
# when only --to was given
usage_check("to_bad_named_with_value", "tasks", "--to", "2024-02-30T00:00:00Z",
            needles=("--to:", "'2024-02-30T00:00:00Z'"))
usage_check("from_bad_named_with_value", "tasks", "--from", "yesterday",
            needles=("--from:", "'yesterday'"))
usage_check("from_to_bad_shows_both", "tasks", "--from", "2024-01-01T00:00:00Z",
            "--to", "2024-01-01", needles=("--from '2024-01-01T00:00:00Z'",
                                           "--to '2024-01-01'", "RFC 3339"))
# an empty value is no date-time either (not "no filter")
usage_check("from_empty", "tasks", "--from", "", needles=("--from", "RFC 3339"))
usage_check("to_empty", "tasks", "--to=", needles=("--to", "RFC 3339"))
# the same for the text filters: "$UNSET" would list everything
usage_check("workflow_name_empty", "tasks", "--workflow-name", "",
            needles=("--workflow-name", "filter"))
usage_check("keyword_empty", "templates", "--keyword=", needles=("--keyword", "filter"))
# a date-time with more after it is refused, however long its fraction
usage_check("from_long_fraction_then_junk", "tasks", "--from",
            "2024-01-01T00:00:00." + "0" * 44 + "Zjunk", needles=("RFC 3339",))
# ids and URLs that go into a JSON body: the same clear message as -p
usage_check("workflow_id_not_utf8", "run", "16\udcff", needles=("not UTF-8",))
usage_check("template_id_not_utf8", "run-template", "\udcc0\udcaf",
            needles=("not UTF-8",))
usage_check("profile_id_not_utf8", "run", WF_FINISH, "--profile-id", "p\udcff",
            needles=("--profile-id", "not UTF-8"))
usage_check("region_not_utf8", "run-template", TPL_MAPS, "--region", "U\udcff",
            needles=("--region", "not UTF-8"))
usage_check("callback_url_not_utf8", "run", WF_FINISH, "--callback-url",
            "https://example.com/\udcff", needles=("--callback-url", "not UTF-8"))
# ids no answer could give back whole (the library holds 47 bytes): refused
# before a task is run with one, so no created task's id is lost
ID48 = "7" * 48
usage_check("workflow_id_48_bytes", "run", ID48, needles=("WORKFLOW_ID", "47"))
usage_check("task_id_48_bytes", "status", ID48, needles=("TASK_ID", "47"))
usage_check("wait_task_id_48_bytes", "wait", ID48, needles=("TASK_ID", "47"))
usage_check("profile_id_48_bytes", "run", WF_FINISH, "--save-browser-data",
            "--profile-id", ID48, needles=("--profile-id", "47"))
usage_check("region_48_bytes", "run-template", TPL_MAPS, "--region", ID48,
            needles=("--region", "47"))


@check("proto.id_47_bytes_sent")
def _():
    r = bact("status", "7" * 47)
    error(r, 1, "10112")


usage_check("timeout_0", "regions", g=["--timeout", "0"], needles=("--timeout",))
usage_check("timeout_bad", "regions", g=["--timeout", "5s"])
usage_check("retries_21", "regions", g=["--retries", "21"], needles=("--retries",))
usage_check("flag_with_value", "run", WF_FINISH, "--wait=yes")
usage_check("api_key_control_char", "regions", key="abc\x01def")
usage_check("api_key_space", "regions", key="abc def",
            needles=("API key holds a space",))
usage_check("api_key_non_ascii", "regions", key="abc\u00e9def",
            needles=("API key holds a non-ASCII byte",))
usage_check("api_key_too_long", "regions", key="k" * 4097,
            needles=("API key is over 4096",))
# The key given in the wrong place, or after an option that lost its value:
# the error names options only (the post-checks look for KEY everywhere).
usage_check("api_key_after_command_not_shown", "status", "1", "--api-key=" + KEY,
            needles=("--api-key goes before",))
usage_check("api_key_after_valueless_option_not_shown", "regions", key=None,
            g=["--base-url", "--api-key", KEY], needles=("--base-url needs a value",))
usage_check("api_key_as_argument_not_shown", "run", WF_FINISH, "--profile-id",
            "--api-key", KEY, needles=("--profile-id needs a value",))
# An option whose value was left out must not take the next option for it:
# "--profile-id --wait" ran the task without waiting, exit 0, and
# "-p --save-browser-data=x" sent an input named --save-browser-data
for _name, _args in (("profile_id", ["run", WF_FINISH, "--profile-id", "--wait"]),
                     ("workflow_name", ["tasks", "--workflow-name", "--json"]),
                     ("keyword", ["templates", "--keyword", "-v"]),
                     ("region", ["run-template", TPL_MAPS, "--region", "--wait"]),
                     ("param", ["run", WF_FINISH, "-p",
                                "--save-browser-data=x"])):
    usage_check("value_is_next_option_" + _name, *_args,
                needles=(_args[-2] + " needs a value",))
# The same for a global option whose value was left out, when the next word
# is one of the command options: "--api-key --wait" sent the key "--wait",
# "--ca-file --limit" was taken for a file named --limit
for _name, _g in (("api_key", ["--api-key", "--wait"]),
                  ("ca_file", ["--ca-file", "--limit"]),
                  ("base_url", ["--base-url", "-p"])):
    usage_check("global_value_is_next_command_option_" + _name, "regions",
                g=_g, needles=(_g[0] + " needs a value",))


@check("usage.value_like_option_given_with_equals")
def _():
    # "--keyword=-v" says the value is "-v": taken as it is
    ok(bact("templates", "--keyword=-v"), "")
    eq([dict(urllib.parse.parse_qsl(x["query"])).get("keyword")
        for x in M.api_requests("list-official-workflow-templates")],
       ["-v"], "keyword in the query")


@check("usage.global_value_like_option_given_with_equals")
def _():
    # "--api-key=--json" says the key is "--json" (it was refused as "needs
    # a value"): sent as it is, and the server's 401 is the answer
    r = bact("regions", key=None, g=["--api-key=--json"])
    error(r, 1, "401")
    eq([x["headers"].get("authorization")
        for x in M.api_requests("get-region-list")],
       ["Bearer --json"], "Authorization")


# "--api-key= KEY" (a space after the '='): the key would be taken for the
# command word and shown as an unknown command; an empty key is refused
# before the command word is read
usage_check("api_key_empty_eq_then_key_not_shown", "status", "1", key=None,
            g=["--api-key=", KEY], needles=("--api-key", "empty"))
usage_check("api_key_empty_then_key_not_shown", "status", "1", key=None,
            g=["--api-key", "", KEY], needles=("--api-key", "empty"))
usage_check("api_key_after_dashdash_not_shown", "status", "--", "--api-key", KEY,
            needles=("unexpected argument",))
for _args in (["wait", "1", "--max-wait"], ["wait", "1", "--interval"],
              ["tasks", "--page"], ["workflows", "--limit"],
              ["tasks", "--status"], ["stop", "1", "--biz-code"]):
    usage_check("api_key_as_%s_value_not_shown" % _args[-1].lstrip("-")
                .replace("-", "_"), *(_args + ["--api-key=" + KEY]),
                needles=(_args[-1],))
usage_check("api_key_eq_after_dashdash_not_shown", "status", "1", "--",
            "--api-key=" + KEY, needles=("unexpected argument",))
usage_check("api_key_eq_as_command_not_shown", "--api-key=" + KEY, g=["--"],
            needles=("unknown command",))
usage_check("unknown_option_value_not_shown", "regions", "--bogus=" + KEY,
            needles=("--bogus",))
usage_check("unknown_global_option_value_not_shown", "regions",
            g=["--bogus=" + KEY], needles=("--bogus",))
usage_check("misplaced_option_value_not_shown", "regions", g=["--limit=" + KEY],
            needles=("--limit goes after",))
# "-" alone is an argument (a task id), not an option; a short option takes
# no "=value" (-p=a=b is no -p)
@check("usage.dash_is_an_argument")
def _():
    error(bact("status", "-"), 1, "10112")
    q = M.api_requests("get-task-status")
    eq([dict(urllib.parse.parse_qsl(x["query"])) for x in q], [{"task_id": "-"}],
       "get-task-status queries")


usage_check("short_option_with_value", "run", WF_FINISH, "-p=a=b",
            needles=("-p takes its value as the next argument",))
usage_check("short_flag_with_value", "regions", g=["-v=1"],
            needles=("-v takes no value",))
usage_check("short_unknown_with_value", "run", WF_FINISH, "-x=1",
            needles=("unknown option '-x'",))
# empty values: no default, no filter
usage_check("retries_empty", "regions", g=["--retries", ""],
            needles=("--retries", "0 to 20"))
usage_check("ca_file_empty", "regions", g=["--ca-file", ""],
            needles=("--ca-file", "empty"))
usage_check("max_wait_empty", "wait", "1", "--max-wait", "",
            needles=("--max-wait",))
usage_check("max_wait_no_digits", "run", WF_FINISH, "--wait", "--max-wait", ".",
            needles=("--max-wait",))
usage_check("workflow_id_filter_empty", "tasks", "--workflow-id", "",
            needles=("--workflow-id", "empty"))
usage_check("timeout_too_large", "regions", g=["--timeout", "1073741824"],
            needles=("--timeout", "1 to 1073741823"))
# more than 1024 -p is refused by the tool, not sent
usage_check("param_1025", "run", WF_FINISH,
            *[a for i in range(1025) for a in ("-p", "p%d=v" % i)],
            needles=("-p", "at most 1024"))
# bytes that are not UTF-8 in other ways than a lone 0xff: a surrogate
# (ED A0 80), a code point above U+10FFFF, a 5-byte lead (F8), a
# continuation byte first
for _name, _bad in (("surrogate", "\udced\udca0\udc80"),
                    ("above_10ffff", "\udcf4\udc90\udc80\udc80"),
                    ("lead_f8", "\udcf8\udc90\udc80\udc80"),
                    ("continuation_first", "\udc82\udc80")):
    usage_check("param_value_not_utf8_" + _name, "run", WF_FINISH, "-p",
                "a=x" + _bad, needles=("-p a", "not UTF-8"))


@check("usage.largest_values_accepted")
def _():
    # the top of each range: --timeout 1073741823 ms, --max-wait 4294967.294 s
    ok(bact("regions", g=["--timeout", "1073741823"]), REGIONS_OUT)
    tid = M.new_task()
    r = bact("wait", tid, "--interval", "0.05", "--max-wait", "4294967.294")
    need(r.rc == 0, r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")


@check("usage.param_1024_accepted")
def _():
    args = [a for i in range(1024) for a in ("-p", "p%d=v" % i)]
    ok(bact("run", WF_FINISH, *args), "%d\n" % FIRST_TASK)
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq(len(body["input_parameters"]), 1024, "input_parameters sent")


@check("usage.long_error_line_cut")
def _():
    # an error line is cut at 2047 bytes and then ends in "..."
    r = bact("regions", "--" + "x" * 3000)
    error(r, 2, "unknown option '--xxx")
    line = r.err_lines[0]
    eq(len("bact: ") + 2047, len(line), "line length")
    need(line.endswith("xx..."), "line end: " + short(line[-20:]))


@check("usage.request_too_large")
def _():
    # 400 KB of control characters become 2.4 MB of \u0001 escapes: the
    # request does not fit the tool's 2 MiB buffer and is never sent
    v = "\x01" * 100000
    r = bact("run", WF_FINISH, "-p", "a=" + v, "-p", "b=" + v, "-p", "c=" + v,
             "-p", "d=" + v)
    error(r, 2, "request too large", "2097152 bytes", "nothing was sent")
    no_requests()


def bad_base(url, name):
    def fn():
        r = bact("regions", base=url)
        error(r, 2, "base URL")
        no_requests()
    check("usage.base_url_" + name)(fn)


bad_base("127.0.0.1:1", "no_scheme")
bad_base("ftp://127.0.0.1:1", "ftp")
bad_base("http://127.0.0.1:1/v2", "with_path")
# a part with a leading 0: 127.0.0.8 to the resolver, 127.0.0.10 to a reader
# who means decimal (either way loopback, should the refusal fail)
bad_base("http://127.0.0.010:1", "octal_part")
bad_base("http://0x7f.0.0.01:1", "octal_part_after_hex")

# Each refusal says why (and never echoes the URL, which may hold a
# user:pass).
LOOP, PRIV = "this machine", "private, link-local, unspecified, shared, multicast or reserved"
CALLBACKS_REFUSED = [
    ("loopback", "http://127.0.0.1/x", LOOP),
    ("loopback_other", "http://127.1.2.3:8080/x", LOOP),
    ("localhost", "http://localhost/x", LOOP),
    ("localhost_case", "https://Foo.LocalHost./x", LOOP),
    ("private_10", "http://10.0.0.1/", PRIV),
    ("private_172", "http://172.16.5.4/", PRIV),
    ("private_192", "https://192.168.1.1/hook", PRIV),
    ("link_local", "http://169.254.169.254/latest", PRIV),
    ("zero", "http://0.0.0.0/", PRIV),
    ("userinfo_loopback", "http://user:pass@127.0.0.1/x", LOOP),
    ("ipv6_loopback", "http://[::1]/x", LOOP),
    ("ipv6_unspecified", "http://[::]/x", PRIV),
    ("ipv6_ula", "http://[fd12:3456::1]/x", PRIV),
    ("ipv6_link_local", "http://[fe80::1]/x", PRIV),
    ("shared_100_64", "http://100.100.1.1/x", PRIV),
    ("multicast", "http://239.1.2.3/x", PRIV),
    ("broadcast", "http://255.255.255.255/x", PRIV),
    ("ipv6_multicast", "http://[ff02::1]/x", PRIV),
    ("no_host", "https:///x", "malformed"),
    ("space", "https://example.com/a b", "a space"),
    ("ftp", "ftp://x", "not an http:// or https:// URL"),
    ("no_scheme", "example.com/hook", "not an http:// or https:// URL"),
    ("too_long_2049", "https://example.com/" + "a" * (2049 - 20),
     "longer than 2048 bytes"),
]

for _name, _url, _why in CALLBACKS_REFUSED:
    usage_check("callback_" + _name, "run", WF_FINISH, "--callback-url", _url,
                needles=("--callback-url", _why))
# 2048 characters but 2049 bytes: the limit counts bytes
usage_check("callback_2048_chars_2049_bytes", "run", WF_FINISH, "--callback-url",
            "https://example.com/\u00e9" + "a" * (2048 - 21),
            needles=("--callback-url", "longer than 2048 bytes"))


@check("usage.callback_refusal_hides_userinfo")
def _():
    r = bact("run", WF_FINISH, "--callback-url", "http://alice:s3cret@10.1.2.3/x")
    error(r, 2, "--callback-url", PRIV)
    need(b"s3cret" not in r.err and b"alice" not in r.err,
         "the URL's user:pass was echoed: " + short(r.err))
    no_requests()


usage_check("status_callback_loopback", "run-template", TPL_MAPS,
            "--status-callback-url", "http://127.0.0.1/x",
            needles=("--status-callback-url",))


@check("usage.callback_2048_accepted")
def _():
    url = "https://example.com/" + "a" * (2048 - 20)
    eq(len(url), 2048, "setup")
    ok(bact("run", WF_FINISH, "--callback-url", url), "%d\n" % FIRST_TASK)
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq(body.get("callback_url"), url, "callback_url in body")


@check("usage.callback_public_accepted")
def _():
    ok(bact("run-template", TPL_MAPS, "--callback-url", "https://example.com/a?b=c",
            "--status-callback-url", "http://203.0.113.7:8080/s"),
       "%d\n" % FIRST_TASK)
    t = M.tasks()[0]
    eq((t["callback_url"], t["status_change_callback_url"]),
       ("https://example.com/a?b=c", "http://203.0.113.7:8080/s"), "callbacks")


# ==========================================================================
# Exit 3: network errors
# ==========================================================================


@check("net.connection_refused")
def _():
    r = bact("regions", base="http://127.0.0.1:%d" % closed_port(),
             g=["--retries", "0"])
    error(r, 3, "refused", "(http://127.0.0.1:")


@check("net.connection_refused_retried")
def _():
    r = bact("regions", base="http://127.0.0.1:%d" % closed_port(),
             g=["--retries", "1", "-v"])
    need(r.rc == 3, "expected exit 3: " + r.why())
    eq(r.out, b"", "stdout")
    eq(count_lines(r, "bact: retry"), 1, "retry lines")


@check("net.connection_refused_run_retried")
def _():
    r = bact("run", WF_FINISH, base="http://127.0.0.1:%d" % closed_port(),
             g=["--retries", "1", "-v"])
    need(r.rc == 3, "expected exit 3: " + r.why())
    eq(count_lines(r, "bact: retry"), 1, "retry lines (connect failure)")


@check("net.timeout_slow")
def _():
    M.fault(kind="slow", delay_ms=3000, path=V2 + "get-region-list")
    r = bact("regions", g=["--timeout", "200", "--retries", "0"])
    error(r, 3)
    need(r.dt < 2.0, "took %.2fs with --timeout 200" % r.dt)


@check("net.timeout_retried_then_ok")
def _():
    M.fault(kind="slow", delay_ms=2000, path=V2 + "get-region-list")
    r = bact("regions", g=["--timeout", "200", "--retries", "1", "-v"])
    need(r.rc == 0, r.why())
    eq(r.out, REGIONS_OUT.encode(), "stdout")
    eq(count_lines(r, "bact: retry"), 1, "retry lines")


@check("net.drop")
def _():
    M.fault(kind="drop", path=V2 + "get-region-list")
    error(bact("regions", g=["--retries", "0"]), 3)


@check("net.reset")
def _():
    M.fault(kind="reset", path=V2 + "get-region-list")
    error(bact("regions", g=["--retries", "0"]), 3)


@check("net.stall_timeout")
def _():
    M.fault(kind="stall", delay_ms=3000, path=V2 + "get-region-list")
    r = bact("regions", g=["--timeout", "300", "--retries", "0"])
    error(r, 3)
    need(r.dt < 2.0, "took %.2fs with --timeout 300" % r.dt)


@check("net.stall_then_close")
def _():
    M.fault(kind="stall", delay_ms=100, path=V2 + "get-region-list")
    error(bact("regions", g=["--timeout", "3000", "--retries", "0"]), 3)


@check("net.trickle_attempt_limit")
def _():
    # One byte every 20 ms never trips the 250 ms inactivity limit, but the
    # whole attempt must end after 4 x 250 ms.
    M.fault(kind="trickle", bytes=1, delay_ms=20, path=V2 + "get-region-list")
    r = bact("regions", g=["--timeout", "250", "--retries", "0"])
    error(r, 3)
    need(0.8 <= r.dt < 2.5, "took %.2fs; attempt limit is 1 s" % r.dt)


@check("net.trickle_ok")
def _():
    M.fault(kind="trickle", bytes=7, delay_ms=2, path=V2 + "get-workflow")
    r = bact("workflow", WF_FINISH)
    M.ctl("DELETE", "fault")
    r2 = bact("workflow", WF_FINISH)
    ok(r, r2.out)


@check("net.drop_get_retried")
def _():
    M.fault(kind="drop", path=V2 + "get-region-list")
    ok(bact("regions"), REGIONS_OUT)
    eq(len(M.api_requests()), 2, "requests")


@check("net.stop_retried_after_drop")
def _():
    tid = M.new_task(run_ms=60000)
    M.fault(kind="drop", path=V2 + "stop-task")
    ok(bact("stop", tid), b"")
    eq(len(M.api_requests("stop-task")), 2, "stop-task requests")
    eq(M.status_of(tid), "canceled", "status")


# ==========================================================================
# Exit 4: TLS
# ==========================================================================


@check("tls.https_base_url")
def _():
    r = bact("regions", base="https://127.0.0.1:%d" % M.port)
    need(r.rc == 4, "expected exit 4: " + r.why())
    error(r, 4, "https")
    no_requests()


@check("tls.ca_file_directory")
def _():
    r = bact("regions", g=["--ca-file", TMP],
             base="https://127.0.0.1:%d" % M.port)
    error(r, 4, "CA file", "not a regular file")
    no_requests()


@check("tls.ca_file_fifo_not_read")
def _():
    # a FIFO nobody writes to would block the read for ever
    fifo = os.path.join(TMP, "ca.fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    r = bact("regions", g=["--ca-file", fifo],
             base="https://127.0.0.1:%d" % M.port, timeout=5)
    error(r, 4, "CA file", "not a regular file")
    no_requests()


@check("tls.ca_file_missing")
def _():
    r = bact("regions", g=["--ca-file", os.path.join(TMP, "no-such.pem")],
             base="https://127.0.0.1:%d" % M.port)
    error(r, 4, "no-such.pem", "No such file")
    no_requests()


@check("tls.ca_file_read_after_argument_check")
def _():
    # the CA file is read at the first connection: a call the library
    # refuses (a --from that is no RFC 3339 date-time, a request too large
    # to send) is a usage error whatever the CA file, and the same call
    # with good arguments still fails on the missing file
    g = ["--ca-file", os.path.join(TMP, "no-such.pem")]
    https = "https://127.0.0.1:%d" % M.port
    error(bact("tasks", "--from", "2024-01-01", g=g, base=https), 2,
          "RFC 3339")
    v = "\x01" * 100000
    error(bact("run", WF_FINISH, "-p", "a=" + v, "-p", "b=" + v, "-p",
               "c=" + v, "-p", "d=" + v, g=g, base=https), 2,
          "request too large", "nothing was sent")
    for args in (["tasks", "--from", "2024-01-01T00:00:00Z"],
                 ["run", WF_FINISH], ["wait", str(FIRST_TASK)]):
        error(bact(*args, g=g, base=https), 4, "no-such.pem", "No such file")
    no_requests()


# ==========================================================================
# Exit 5: protocol errors and limits
# ==========================================================================


@check("proto.garbage")
def _():
    M.fault(kind="garbage", path=V2 + "get-region-list")
    error(bact("regions", g=["--retries", "0"]), 5, "malformed")


@check("proto.garbage_json_flag")
def _():
    M.fault(kind="garbage", path=V2 + "get-task-status")
    error(bact("status", "1", g=["--json", "--retries", "0"]), 5)


@check("proto.malformed_json_body")
def _():
    # a 200 whose body is no JSON: exit 5; --json prints it as it came, as
    # it does not judge the body
    bad = '{"status": "running", '
    M.fault(kind="body", body=bad, path=V2 + "get-task-status")
    error(bact("status", "1"), 5, "get-task-status", "malformed")
    M.fault(kind="body", body=bad, path=V2 + "get-task-status")
    ok(bact("status", "1", g=["--json"]), bad)
    M.fault(kind="body", body="<html>ok</html>", path=V2 + "get-region-list")
    error(bact("regions"), 5, "malformed")


@check("proto.unexpected_json_body")
def _():
    # JSON, but not the shape the command expects: exit 5, stdout empty
    for path, args, body in (("get-task-status", ["status", "1"], "[1, 2]"),
                             ("get-task-status", ["status", "1"],
                              '{"status": 5}'),
                             ("get-region-list", ["regions"], '{"a": 1}'),
                             ("list-tasks", ["tasks"], '"items"'),
                             ("run-task", ["run", WF_FINISH], '{"id": 7}')):
        M.fault(kind="body", body=body, path=V2 + path)
        error(bact(*args, g=["--retries", "0"]), 5)


def to_full_disk(*args):
    """Run bact G... ARGS... with stdout on /dev/full (a full disk)."""
    argv = [BACT, "--base-url", M.url, "--api-key", KEY] + list(args)
    t0 = time.monotonic()
    with open("/dev/full", "wb") as full:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=full,
                           stderr=subprocess.PIPE, env=clean_env(),
                           timeout=PROC_TIMEOUT_S)
    r = Result(argv, p.returncode, b"", p.stderr, time.monotonic() - t0)
    RUNS.append(r)
    return r


@check("proto.stdout_write_failure_exit_5")
def _():
    # CLI.md: output that cannot be written (here: a full disk) is exit 5
    error(to_full_disk("regions"), 5, "cannot write to stdout")


@check("proto.stdout_write_failure_names_created_task")
def _():
    # the task exists: the line that says stdout failed is where its id is
    # not lost (--json without --wait reads it from the answer it could not
    # print)
    for g, extra in (([], []), (["--json"], []),
                     (["--json"], ["--wait", "--interval", "0.05"])):
        M.reset()
        r = to_full_disk(*(g + ["run", WF_FINISH] + extra))
        need(r.rc == 5, "expected exit 5: " + r.why())
        eq(r.err_lines[-1], "bact: task %d: cannot write to stdout: No space "
           "left on device" % FIRST_TASK, "last stderr line")


@check("proto.stdout_write_failure_ends_run_wait_at_once")
def _():
    # the id line could not be written: no wait for a task that runs a
    # minute, the error at once (naming the task), no status poll sent
    M.reset()
    r = to_full_disk("run", WF_FINISH, "-p", "_mock_run_ms=60000", "--wait",
                     "--interval", "0.05")
    need(r.rc == 5, "expected exit 5: " + r.why())
    eq(r.err_lines[-1], "bact: task %d: cannot write to stdout: No space "
       "left on device" % FIRST_TASK, "last stderr line")
    polls = [q for q in M.requests() if "get-task-status" in q["path"]]
    eq(polls, [], "status polls")


@check("proto.stdout_write_failure_failed_task_json_said")
def _():
    # --json wait on a task that failed: exit 6 with its last line as
    # ever, and a line before it saying the final body was not written
    # (it was lost without a word)
    M.reset()
    ok(bact("run", WF_FAIL), str(FIRST_TASK) + "\n")
    r = to_full_disk("--json", "wait", str(FIRST_TASK), "--interval", "0.05")
    need(r.rc == 6, "expected exit 6: " + r.why())
    need(len(r.err_lines) >= 2, "stderr: " + short(r.err))
    eq(r.err_lines[-2], "bact: task %d: cannot write its get-task body to "
       "stdout: No space left on device" % FIRST_TASK, "line before the last")
    need(r.err_lines[-1].startswith("bact: task %d failed" % FIRST_TASK),
         "last line: " + short(r.err))


def bact_fd_closed(fd, *args):
    """bact ARGS started with file descriptor fd (1 or 2) closed, as `>&-`
    or `2>&-` leave it."""
    argv = [BACT, "--base-url", M.url, "--api-key", KEY] + list(args)
    t0 = time.monotonic()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=clean_env(),
                       timeout=PROC_TIMEOUT_S, preexec_fn=lambda: os.close(fd))
    r = Result(argv, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
    RUNS.append(r)
    return r


@check("proto.stdout_closed_exit_5")
def _():
    # a closed stdout is a write error, and what was meant for it never
    # reaches the API connection (a socket could take the free fd 1)
    M.reset()
    error(bact_fd_closed(1, "run", WF_FINISH), 5, "cannot write to stdout")
    r = bact_fd_closed(1, "run", WF_FINISH, "--wait", "--interval", "0.05")
    need(r.rc == 5, "run --wait: expected exit 5: " + r.why())
    need("cannot write to stdout" in r.err_lines[-1], "stderr: " + short(r.err))
    # the two runs, nothing else: no id line sent as a request, and no wait
    # once the id could not be written
    eq([q["path"] for q in M.api_requests()], [V2 + "run-task"] * 2,
       "requests")


@check("regions.stdout_broken_pipe_exit_5")
def _():
    # a reader that went away (`bact regions | true`): exit 5 and the error
    # line, not death by SIGPIPE
    argv = [BACT, "--base-url", M.url, "--api-key", KEY, "regions"]
    rfd, wfd = os.pipe()
    os.close(rfd)
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=wfd,
                           stderr=subprocess.PIPE, env=clean_env(),
                           timeout=PROC_TIMEOUT_S)
    finally:
        os.close(wfd)
    r = Result(argv, p.returncode, b"", p.stderr, time.monotonic() - t0)
    RUNS.append(r)
    error(r, 5, "cannot write to stdout", "broken pipe")


@check("wait.stderr_closed")
def _():
    tid = M.new_task(created_ms=CREATED_MS, run_ms=RUN_MS)
    r = bact_fd_closed(2, "wait", tid, "--interval", "0.05")
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")


def huge_task(n_params, each):
    """A finished task whose get-task body is about 6 x n_params x each
    bytes (quotes are escaped twice in the output string)."""
    params = [("p%d" % i, "\"" * each) for i in range(n_params)]
    return M.new_task(params=params)


@check("proto.body_over_1mib_accepted")
def _():
    tid = huge_task(2, 100000)
    body = M.task_body(tid)
    need(len(body) > 1024 * 1024, "setup: body only %d bytes" % len(body))
    r = bact("get", tid, g=["--json"])
    ok(r)
    need(r.out == body, "--json body differs (%d vs %d bytes)" % (len(r.out), len(body)))
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, r.why())
    need(r.out == (M.output_of(tid) + "\n").encode(), "wait stdout differs")


@check("proto.body_too_large")
def _():
    tid = huge_task(4, 100000)
    size = len(M.task_body(tid))
    need(size > 2 * 1024 * 1024 + 4096, "setup: body only %d bytes" % size)
    M.clear_requests()
    error(bact("get", tid), 5, "too large")
    error(bact("get", tid, g=["--json"]), 5, "too large")
    # too large is final: not retried
    eq(len(M.api_requests("get-task")), 2, "get-task requests")


def head_size(path, retry_after):
    """Header-section size (status line through the blank line) of the 429
    the mock sends with this Retry-After."""
    M.fault(kind="429", path=path, retry_after=retry_after)
    s = socket.create_connection(("127.0.0.1", M.port), timeout=5)
    try:
        # keep-alive, as bact asks: the answer's Connection field must match
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s"
                   "\r\n\r\n" % (path, KEY)).encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    need(b"\r\n\r\n" in data and data.startswith(b"HTTP/1.1 429"),
         "setup: no 429 head: " + short(data))
    return data.index(b"\r\n\r\n") + 4


def header_boundary(extra):
    path = V2 + "get-region-list"
    base = head_size(path, "1")
    ra = "1" + "9" * (16384 + extra - base)
    # Retry-After: 1999... is a (huge) delay-seconds; --retries 0 sends no retry
    need(head_size(path, ra) == 16384 + extra, "setup: size arithmetic")
    M.clear_requests()
    M.fault(kind="429", path=path, retry_after=ra)
    return bact("regions", g=["--retries", "0"])


@check("proto.header_16kib_accepted")
def _():
    error(header_boundary(0), 1, "429")


@check("proto.header_over_16kib")
def _():
    error(header_boundary(1), 5)


def inject_headers(path, code, lines):
    """Queue a `code` status fault whose answer carries extra header lines.
    The mock has no knob for that; its retry_after value is written into the
    head as given, so CRLFs in it add fields. Skips if the mock refuses."""
    try:
        M.fault(kind="status", code=code, path=V2 + "never-used",
                retry_after="0\r\nX-Probe: 1")
    except Fail:
        raise Skip("the mock refuses CR/LF in retry_after; no way to add fields")
    M.ctl("DELETE", "fault")
    M.fault(kind="status", code=code, path=path,
            retry_after="0" + "".join("\r\n" + ln for ln in lines))


@check("proto.many_header_fields")
def _():
    # ~1000 short fields, ~10 KiB: any number of fields within 16 KiB is fine.
    inject_headers(V2 + "get-region-list", 503,
                   ["X-F%d: v" % i for i in range(1000)])
    error(bact("regions", g=["--retries", "0"]), 1, "503")


@check("proto.long_header_field")
def _():
    inject_headers(V2 + "get-region-list", 503, ["X-Long: " + "v" * 15000])
    error(bact("regions", g=["--retries", "0"]), 1, "503")


# ==========================================================================
# Retries
# ==========================================================================


@check("retry.503_twice_then_ok")
def _():
    M.fault(kind="status", code=503, count=2, path=V2 + "get-region-list")
    r = bact("regions", g=["-v", "--retries", "3"])
    need(r.rc == 0, r.why())
    eq(r.out, REGIONS_OUT.encode(), "stdout")
    eq(count_lines(r, "bact: retry"), 2, "retry lines")
    eq(len(M.api_requests()), 3, "requests")


@check("retry.503_exhausted")
def _():
    M.fault(kind="status", code=503, count=10, path=V2 + "get-region-list")
    r = bact("regions", g=["--retries", "1"])
    error(r, 1, "503")
    eq(len(M.api_requests()), 2, "requests")


@check("retry.backoff_grows")
def _():
    # no Retry-After: the waits double from 0.5 s, each with half of it
    # random ("equal jitter"): 250..500 ms, then 500..1000 ms
    M.fault(kind="status", code=503, count=2, path=V2 + "get-region-list")
    r = bact("regions", g=["-v"])
    need(r.rc == 0, r.why())
    waits = [int(m.group(1)) for m in (re.search(r" in (\d+) ms ", ln)
                                       for ln in r.err_lines
                                       if ln.startswith("bact: retry"))
             if m]
    eq(len(waits), 2, "retry lines with a wait")
    need(250 <= waits[0] <= 500 and 500 <= waits[1] <= 1000,
         "waits %r ms" % waits)
    need(r.dt >= (waits[0] + waits[1]) / 1000.0, "took %.2fs" % r.dt)


@check("retry.get_502_504_retried")
def _():
    # a GET is retried on 502 and 504 too (a run only on 429 and 503)
    M.fault(kind="status", code=502, path=V2 + "get-region-list")
    M.fault(kind="status", code=504, path=V2 + "get-region-list")
    ok(bact("regions"), REGIONS_OUT)
    eq(len(M.api_requests()), 3, "requests")
    M.reset()
    M.fault(kind="status", code=504, count=5, path=V2 + "run-task")
    error(bact("run", WF_FINISH), 1, "504")
    eq(len(M.api_requests("run-task")), 1, "run-task requests")


@check("retry.default_3")
def _():
    # no --retries: three retries, four attempts in all (Retry-After: 0,
    # so no back-off)
    M.fault(kind="429", retry_after="0", count=3, path=V2 + "get-region-list")
    ok(bact("regions"), REGIONS_OUT)
    eq(len(M.api_requests()), 4, "requests")
    M.reset()
    M.fault(kind="429", retry_after="0", count=4, path=V2 + "get-region-list")
    error(bact("regions"), 1, "429")
    eq(len(M.api_requests()), 4, "requests when all four are busy")


@check("retry.retry_after_capped_60s")
def _():
    # Retry-After: 3600 waits 60 s, not an hour: -v says so, then the run
    # is ended here rather than waited for
    M.fault(kind="429", retry_after="3600", path=V2 + "get-region-list")
    argv = [BACT, "--base-url", M.url, "--api-key", KEY, "-v", "regions"]
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=clean_env())
    lines = []
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            ln = p.stderr.readline().decode("utf-8", "replace")
            if not ln:
                break
            lines.append(ln.rstrip("\n"))
            if ln.startswith("bact: retry"):
                break
    finally:
        p.kill()
        p.wait(5)
        p.stderr.close()
    need(not any(KEY in ln for ln in lines), "API key shown on stderr")
    retry = [ln for ln in lines if ln.startswith("bact: retry")]
    need(retry, "no retry line: " + short(" | ".join(lines)))
    need(" in 60000 ms " in retry[0], "retry line: " + short(retry[0]))


@check("retry.429_retry_after_1")
def _():
    M.fault(kind="429", retry_after="1", path=V2 + "get-region-list")
    r = bact("regions")
    ok(r, REGIONS_OUT)
    need(r.dt >= 0.95, "retried after %.2fs, Retry-After was 1" % r.dt)
    need(r.dt < 5, "took %.2fs" % r.dt)
    eq(len(M.api_requests()), 2, "requests")


def http_date_check(name, fmt):
    def fn():
        when = time.time() + 2
        M.fault(kind="429", retry_after=fmt(when), path=V2 + "get-region-list")
        r = bact("regions")
        ok(r, REGIONS_OUT)
        need(0.9 <= r.dt < 5, "retried after %.2fs; date was ~2 s ahead" % r.dt)
    check("retry.429_retry_after_" + name)(fn)


http_date_check("imf_date", lambda t: formatdate(t, usegmt=True))
http_date_check("rfc850_date", lambda t: time.strftime(
    "%A, %d-%b-%y %H:%M:%S GMT", time.gmtime(t)))
http_date_check("asctime_date", lambda t: time.strftime(
    "%a %b %e %H:%M:%S %Y", time.gmtime(t)))


@check("retry.429_on_stop")
def _():
    tid = M.new_task(run_ms=60000)
    M.fault(kind="429", retry_after="0", path=V2 + "stop-task")
    ok(bact("stop", tid), b"")
    eq(len(M.api_requests("stop-task")), 2, "stop-task requests")


@check("retry.run_resent_after_drop_when_none_created")
def _():
    # the connection closed before the mock took the request: list-tasks
    # shows no new task (twice), so the run is sent once more
    M.fault(kind="drop", path=V2 + "run-task")
    r = bact("run", WF_FINISH, "-p", "q=drop")
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(len(M.api_requests("run-task")), 2, "run-task requests")
    tasks = M.tasks()
    eq(len(tasks), 1, "tasks created")
    eq(r.out, (tasks[0]["id"] + "\n").encode(), "stdout")
    need(b"sent again" in r.err, "stderr: " + short(r.err))


@check("retry.run_resent_after_drop_json_says_so")
def _():
    # --json prints the answer as received; that the request was sent
    # again is still told on stderr
    M.fault(kind="drop", path=V2 + "run-task")
    r = bact("run", WF_FINISH, "-p", "q=drop", g=["--json"])
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(len(M.api_requests("run-task")), 2, "run-task requests")
    tasks = M.tasks()
    eq(len(tasks), 1, "tasks created")
    need(tasks[0]["id"].encode() in r.out, "stdout: " + short(r.out))
    need(b"sent again" in r.err, "stderr: " + short(r.err))


@check("retry.run_adopted_after_cut")
def _():
    # the mock created the task, then cut the connection: the task is
    # found through list-tasks and adopted, nothing is sent twice
    M.fault(kind="cut_after_run", path=V2 + "run-task")
    r = bact("run", WF_FINISH, "-p", "q=cut", "-p", "n=2")
    need(r.rc == 0, "expected exit 0: " + r.why())
    eq(len(M.api_requests("run-task")), 1, "run-task requests")
    tasks = M.tasks()
    eq(len(tasks), 1, "tasks created")
    eq(r.out, (tasks[0]["id"] + "\n").encode(), "stdout")
    need(b"adopted" in r.err, "stderr: " + short(r.err))


@check("retry.run_cut_input_unreported_not_resent")
def _():
    # list-tasks items need not carry input_parameters: the task made since
    # the request may be ours, so the run is not sent again (a duplicate)
    M.config(list_input=False)
    M.fault(kind="cut_after_run", path=V2 + "run-task")
    r = bact("run", WF_FINISH, "-p", "q=cut")
    error(r, 3, "closed", "a task may have been created")
    eq(len(M.api_requests("run-task")), 1, "run-task requests")
    eq(len(M.tasks()), 1, "tasks created")


@check("retry.run_cut_json_prints_adopted_id")
def _():
    M.fault(kind="cut_after_run", path=V2 + "run-task")
    r = bact("run", WF_FINISH, g=["--json"])
    need(r.rc == 0, "expected exit 0: " + r.why())
    tasks = M.tasks()
    eq(json.loads(r.out), {"id": tasks[0]["id"]}, "stdout")


@check("retry.run_id_with_control_chars_says_task_may_exist")
def _():
    # an answer whose task id holds control characters is refused (exit 5),
    # but the request was sent and the task was made: as for any other
    # answer that is no task, the line says where to find it
    body = '{"id":"16429034742537847\\u001b[2J"}'
    for cmd, ep, ident, hint in (
            ("run", "run-task", WF_FINISH, "bact tasks --workflow-id " + WF_FINISH),
            ("run-template", "run-task-by-template", TPL_MAPS, "bact tasks")):
        for extra, g in (([], []), (["--wait"], ["--json"])):
            M.fault(kind="body", body=body, path=V2 + ep)
            r = bact(cmd, ident, *extra, g=g)
            error(r, 5, "control characters", "; the request was sent, so a "
                  "task may have been created: `%s` lists the newest" % hint)


@check("retry.run_not_retried_after_timeout")
def _():
    M.fault(kind="slow", delay_ms=2000, path=V2 + "run-task")
    r = bact("run", WF_FINISH, g=["--timeout", "200"])
    # the one error line says the task may exist, and where to look
    error(r, 3, "timed out", "the request was sent, so a task may have been "
          "created: `bact tasks --workflow-id %s` lists the newest" % WF_FINISH)
    eq(len(M.api_requests("run-task")), 1, "run-task requests")
    # the mock takes the request late: once it has, exactly one task exists
    # (and nothing of this check leaks into the next one)
    deadline = time.time() + 10
    while not M.tasks() and time.time() < deadline:
        time.sleep(0.1)
    eq(len(M.tasks()), 1, "tasks once the slow request was taken")


@check("retry.run_template_not_retried_after_reset")
def _():
    M.fault(kind="reset", path=V2 + "run-task-by-template")
    error(bact("run-template", TPL_MAPS), 3, "a task may have been created: "
          "`bact tasks` lists the newest")
    eq(len(M.api_requests("run-task-by-template")), 1, "requests")


@check("retry.run_failed_may_have_created_only_when_sent")
def _():
    # nothing sent (no connection), or an error answer from the API: no
    # task was created, and the error line does not say one may have been
    for args in (["run", WF_FINISH], ["run-template", TPL_MAPS]):
        r = bact(*args, base="http://127.0.0.1:%d" % closed_port())
        error(r, 3)
        need("may have been created" not in r.err_lines[0], short(r.err))
        M.reset()
        M.fault(kind="status", code=500, path=V2 + ("run-task" if args[0] ==
                                                    "run" else
                                                    "run-task-by-template"))
        r = bact(*args)
        error(r, 1)
        need("may have been created" not in r.err_lines[0], short(r.err))
    # an answer that is no task: the request was taken, the task may exist
    M.reset()
    M.fault(kind="garbage", path=V2 + "run-task")
    error(bact("run", WF_FINISH, g=["--retries", "0"]), 5,
          "may have been created", "--workflow-id " + WF_FINISH)


@check("retry.run_failed_hint_quotes_workflow_id")
def _():
    # the hint's command, pasted into a POSIX shell, gives bact the
    # workflow id unchanged, as one argument: quoted when it holds anything
    # a shell would read otherwise, and after '=' when it starts with '-'
    # (a separate word naming one of the tool's options is no value)
    for wf, tail in (("my wf's id", None), ("a'b", None),
                     ("$(touch x);`id`\\ *\"", None), ("'" * 47, None),
                     (WF_FINISH, None), ("--wait", "--workflow-id=--wait"),
                     ("-a b", "--workflow-id=-a b")):
        M.reset()
        M.fault(kind="garbage", path=V2 + "run-task")
        r = bact("run", "--", wf, g=["--retries", "0"])
        error(r, 5, "may have been created")
        m = re.search(r"`(bact tasks .*)` lists the newest$",
                      r.err_lines[0])
        need(m is not None, "no command in: " + short(r.err_lines[0]))
        if tail is None and wf == WF_FINISH:
            eq(m.group(1), "bact tasks --workflow-id " + wf, "command")
        p = subprocess.run(["sh", "-c", "bact() { printf '%s\\0' \"$@\"; }; "
                            + m.group(1)], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           cwd=TMP, env=clean_env(None), timeout=10)
        eq(p.returncode, 0, "sh exit (%s)" % short(p.stderr))
        want = ["tasks"] + (["--workflow-id", wf] if tail is None else [tail])
        eq(p.stdout.decode().split("\0")[:-1], want, "arguments")


@check("retry.run_retried_on_503")
def _():
    M.fault(kind="status", code=503, path=V2 + "run-task")
    r = bact("run", WF_FINISH, g=["-v"])
    need(r.rc == 0, r.why())
    eq(r.out, b"%d\n" % FIRST_TASK, "stdout")
    eq(count_lines(r, "bact: retry"), 1, "retry lines")
    eq(len(M.api_requests("run-task")), 2, "run-task requests")
    eq(len(M.tasks()), 1, "tasks created")


@check("retry.run_retried_on_429")
def _():
    M.fault(kind="429", retry_after="0", path=V2 + "run-task-by-template")
    ok(bact("run-template", TPL_MAPS), "%d\n" % FIRST_TASK)
    eq(len(M.api_requests("run-task-by-template")), 2, "requests")


# ==========================================================================
# Keep-alive
# ==========================================================================


@check("keepalive.wait_one_connection")
def _():
    tid = M.new_task(created_ms=100, run_ms=200)
    r = bact("wait", tid, "--interval", "0.05", g=["-v"])
    need(r.rc == 0, r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")
    polls = len(M.api_requests("get-task-status"))
    need(polls >= 3, "only %d polls" % polls)
    eq(count_lines(r, "bact: connect"), 1,
       "connects for %d requests (the mock records no connection id; "
       "counted -v connect lines)" % (polls + 1))


@check("keepalive.close_reconnects")
def _():
    M.config(close=True)
    tid = M.new_task(created_ms=100, run_ms=200)
    M.clear_requests()
    r = bact("wait", tid, "--interval", "0.05", g=["-v"])
    need(r.rc == 0, r.why())
    eq(r.out, (M.output_of(tid) + "\n").encode(), "stdout")
    n = len(M.api_requests()) - 1   # minus the output_of() fetch above
    need(n >= 4, "only %d requests" % n)
    eq(count_lines(r, "bact: connect"), n, "connect lines vs requests")
    eq(count_lines(r, "bact: retry"), 0, "retry lines")


@check("keepalive.close_run_wait")
def _():
    M.config(close=True)
    r = bact("run", WF_FINISH, "--wait", "--interval", "0.05")
    need(r.rc == 0, r.why())
    tid = str(FIRST_TASK)
    eq(r.out, ("%s\n%s\n" % (tid, M.output_of(tid))).encode(), "stdout")


# ==========================================================================
# Chunked responses
# ==========================================================================


def chunked_checks():
    cases = {
        "status": lambda t: ["status", t],
        "get": lambda t: ["get", t],
        "tasks": lambda t: ["tasks"],
        "workflows": lambda t: ["workflows"],
        "workflow": lambda t: ["workflow", WF_FINISH],
        "templates": lambda t: ["templates"],
        "template": lambda t: ["template", TPL_MAPS],
        "regions": lambda t: ["regions"],
        "wait": lambda t: ["wait", t, "--interval", "0.05"],
    }
    for name, mk in cases.items():
        def fn(mk=mk):
            tid = M.new_task()
            args = mk(tid)
            plain = bact(*args)
            need(plain.rc == 0, plain.why())
            M.config(chunked=True)
            r = bact(*args)
            need(r.rc == 0, r.why())
            eq(r.out, plain.out, "stdout vs the same command unchunked")
            quiet_or_progress(r, args)
            # --json: the de-chunked body; urllib de-chunks the same answer
            M.clear_requests()
            r = bact(*args, g=["--json"])
            need(r.rc == 0, r.why())
            quiet_or_progress(r, args)
            last = M.api_requests()[-1]
            path = last["path"] + ("?" + last["query"] if last["query"] else "")
            st, hdrs, body = M.api(last["method"], path)
            need(hdrs.get("Transfer-Encoding") == "chunked",
                 "setup: mock did not chunk")
            eq(r.out, body, "--json stdout vs the de-chunked body")
        check("chunked." + name)(fn)


chunked_checks()


@check("chunked.run_and_run_template")
def _():
    M.config(chunked=True)
    ok(bact("run", WF_FINISH, "--save-browser-data"),
       "%d\nprofile_id: prof_10000000000000001\n" % FIRST_TASK)
    M.reset()
    M.config(chunked=True)
    same_run_body(bact("run-template", TPL_MAPS, g=["--json"]), ["id"])


@check("chunked.stop_resume_errors")
def _():
    M.config(chunked=True)
    tid = M.new_task(WF_PAUSE)
    run = M.new_task(run_ms=60000)
    M.wait_status(tid, "paused")
    ok(bact("resume", tid), b"")
    ok(bact("stop", run), b"")
    error(bact("stop", run), 1, "10121")
    error(bact("resume", run), 1, "10127")
    error(bact("status", "3"), 1, "10112")


@check("chunked.trickle_byte_by_byte")
def _():
    tid = M.new_task()
    plain = bact("get", tid)
    need(plain.rc == 0, plain.why())
    M.config(chunked=True)
    # 1 ms between the bytes: with no pause they reach the tool in pieces
    # of 2 to 30 bytes, not one by one
    M.fault(kind="trickle", bytes=1, delay_ms=1, path=V2 + "get-task", count=2)
    ok(bact("get", tid), plain.out)
    r = bact("get", tid, g=["--json"])
    ok(r, M.task_body(tid))


@check("chunked.run_wait_large_body")
def _():
    M.config(chunked=True)
    tid = huge_task(1, 60000)
    r = bact("wait", tid, "--interval", "0.05")
    need(r.rc == 0, r.why())
    need(r.out == (M.output_of(tid) + "\n").encode(), "stdout differs")


# ==========================================================================
# Webhooks
# ==========================================================================


@check("webhook.not_contacted")
def _():
    r = bact("run", WF_FINISH, "-p", "_mock_created_ms=0", "-p", "_mock_run_ms=0",
             "--callback-url", "https://example.com/hook",
             "--status-callback-url", "https://example.com/status")
    ok(r, "%d\n" % FIRST_TASK)
    body = json.loads(M.api_requests("run-task")[0]["body"])
    eq((body.get("callback_url"), body.get("status_change_callback_url")),
       ("https://example.com/hook", "https://example.com/status"), "body")
    M.status_of(str(FIRST_TASK))
    deadline = time.time() + 5
    finals = []
    while time.time() < deadline:
        cbs = M.callbacks()
        finals = [c for c in cbs if c["kind"] == "final"]
        if finals:
            break
        time.sleep(0.05)
    need(finals, "no final callback recorded")
    eq((finals[0]["url"], finals[0]["delivered"], finals[0]["status"]),
       ("https://example.com/hook", False, "finished"), "final callback")
    need(all(not c["delivered"] for c in M.callbacks()), "a callback was delivered")


# ==========================================================================
# IPv6
# ==========================================================================


@check("ipv6.base_url")
def _():
    try:
        s = socket.socket(socket.AF_INET6)
        s.bind(("::1", 0))
        s.close()
    except OSError:
        raise Skip("no ::1 here")
    m6 = Mock("mock6", ipv6=True)
    try:
        r = bact("regions", base=m6.url)
        ok(r, REGIONS_OUT)
        st, _, raw = m6.http("GET", "/_mock/requests")
        reqs = json.loads(raw)
        eq(len(reqs), 1, "requests")
        eq(reqs[0]["headers"].get("host"), "[::1]:%d" % m6.port, "Host")
    finally:
        m6.stop()


# ==========================================================================
# main
# ==========================================================================


def say(line):
    """One line on stdout; a closed stdout (| head) is not an error."""
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass


def main(argv):
    global BACT, M, TMP
    args = argv[1:]
    if not args:
        print("not ok - e2e.setup: usage: test_cli.py path/to/bact [-k SUB]...")
        return 1
    BACT = os.path.abspath(args[0])
    picks, listing = [], False
    i = 1
    while i < len(args):
        if args[i] == "-k" and i + 1 < len(args):
            picks.append(args[i + 1])
            i += 2
        elif args[i] == "--list":
            listing = True
            i += 1
        else:
            print("not ok - e2e.setup: unknown argument %r" % args[i])
            return 1
    checks = [(n, f) for n, f in CHECKS if not picks or any(p in n for p in picks)]
    if listing:
        for n, _ in checks:
            sys.stdout.write("# e2e.%s\n" % n)
        return 0

    def on_signal(sig, _frame):
        raise SystemExit(128 + sig)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)

    leaks_all = os.environ.get("E2E_LEAKS") == "all"
    TMP = tempfile.mkdtemp(prefix="bact-e2e-")
    failed = 0
    t0 = time.monotonic()
    try:
        try:
            M = Mock("mock")
        except Exception as e:   # noqa: BLE001
            print("not ok - e2e.setup: %s" % short(str(e), 300))
            return 1
        timing = os.environ.get("E2E_TIMING")
        for name, fn in checks:
            del RUNS[:]
            why = skip = None
            t_check = time.monotonic()
            LEAKS[0] = leaks_all or name in LEAK_CHECKS
            try:
                M.reset()
                fn()
            except Skip as e:
                skip = str(e)
            except Fail as e:
                why = str(e)
            except Exception as e:   # noqa: BLE001 - a bug in a check
                why = "%s: %s" % (type(e).__name__, e)
            try:
                post_checks()    # a signal, sanitizer or key leak trumps all
            except Fail as e:
                why, skip = str(e), None
            if M.proc.poll() is not None and why is None:
                why = "the mock server died"
            if why is not None:
                failed += 1
                say("not ok - e2e.%s: %s" % (name, short(why, 400)))
            elif skip is not None:
                say("ok - e2e.%s # SKIP %s" % (name, short(skip)))
            else:
                say("ok - e2e.%s" % name)
            if timing:
                say("# %.2fs e2e.%s (%d runs)" % (time.monotonic() - t_check,
                                                 name, len(RUNS)))
            if M.proc.poll() is not None:
                M = Mock("mock-restart-%d" % time.time_ns())
        say("# %d checks, %d failed, %.1fs (%s)" % (
            len(checks), failed, time.monotonic() - t0, BACT))
    finally:
        if M is not None:
            M.stop()
        shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
