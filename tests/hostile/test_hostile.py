#!/usr/bin/env python3
"""Hostile-server checks of the `bact` tool (the library's HTTP client).

    python3 tests/hostile/test_hostile.py path/to/bact [-k SUBSTRING]...
        [--list] [--explore] [-j N]

Standard library only. Each check plays one scenario on tests/hostile/
server.py (a script per connection: bytes whole or in pieces with pauses,
stalls, half-close, close, reset), runs

    bact --base-url http://127.0.0.1:PORT --api-key k --retries 0
         --timeout 500 COMMAND...

and asserts the exit code, stdout and stderr decided for it (README.md in
this directory has the table), and, from the server's record, how many
connections and requests were made. Output: one line per check,
"ok - hostile.<name>" or "not ok - hostile.<name>: why"; exit 0 only when
every check passed. --explore prints what each case got instead of judging.

Every run is also checked for: no death by signal, no sanitizer report, no
hang, and an error exit prints exactly one "bact: ..." line on stderr (and,
for a single request, nothing on stdout).

Checks run in parallel on -j servers (default 6), each its own process on
its own loopback port, all stopped at exit.
"""

import json
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_PY = os.path.join(HERE, "server.py")

TID = "16429034742537847"
WF = "16217357109956214"
KEY = "k"
STATUS = ("status", TID)
RUNNING = b'{"status":"running"}'
PROC_TIMEOUT_S = 20      # one bact run
SUITE_LIMIT_S = 300      # all of it, however badly things go
TIMEOUT_MS = 500

BACT = None
TMP = None
EXPLORE = False


class Fail(Exception):
    pass


def need(cond, why):
    if not cond:
        raise Fail(why)


def short(b, n=200):
    """One line, cut at n characters, control bytes (and bytes that are not
    UTF-8) escaped."""
    if isinstance(b, bytes):
        b = b.decode("utf-8", "backslashreplace")
    b = "".join(c if " " <= c != "\x7f" else
                {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
                    c, "\\x%02x" % ord(c)) for c in b)
    return b if len(b) <= n else b[:n] + "..."


# --------------------------------------------------------------------------
# Building responses
# --------------------------------------------------------------------------


def B(x):
    return x.encode("latin-1") if isinstance(x, str) else x


def resp(body=RUNNING, status="HTTP/1.1 200 OK", headers=(), cl=True):
    """A response: status line, headers, Content-Length (unless cl is
    False or a string to use as its value), blank line, body."""
    body = B(body)
    lines = [B(status)]
    lines += [B(h) for h in headers]
    if cl is True:
        lines.append(b"Content-Length: %d" % len(body))
    elif cl:
        lines.append(b"Content-Length: " + B(cl))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def chunked(chunks, status="HTTP/1.1 200 OK", headers=(), last=b"0\r\n\r\n"):
    """A chunked response; chunks are raw chunk bytes, or bodies to frame
    with lowercase hex sizes."""
    out = [B(status)] + [B(h) for h in headers] + [b"Transfer-Encoding: chunked"]
    head = b"\r\n".join(out) + b"\r\n\r\n"
    body = b""
    for c in chunks:
        if isinstance(c, tuple):      # (size text, data): framed verbatim
            body += B(c[0]) + b"\r\n" + B(c[1]) + b"\r\n"
        else:
            c = B(c)
            body += b"%x\r\n" % len(c) + c + b"\r\n"
    return head + body + B(last)


def hx(data):
    return B(data).hex()


def send(data, **kw):
    """A send step; the bytes go as hex (any byte survives JSON)."""
    st = {"send_hex": hx(data)}
    st.update(kw)
    return st


RR = {"read_request": True}
# A pause three times the tool's inactivity limit. A stalled scenario sends
# the rest of a valid answer after it, so only a client that gave up in time
# gets the expected error: a client that waited would succeed.
STALL = {"sleep_ms": 1500}
CLOSE = {"close": True}
RESET = {"reset": True}
HALF = {"half_close": True}


def sleep(ms):
    return {"sleep_ms": ms}


def answer(data, *after, **kw):
    """One connection: read the request, send data (kw: split, trickle,
    delay_ms), then the steps in after."""
    return [RR, send(data, **kw)] + list(after)


def scenario(*scripts, linger_ms=1500):
    return {"connections": [list(s) for s in scripts], "linger_ms": linger_ms}


# --------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------


class Server:
    def __init__(self, n):
        self.n = n
        pf = os.path.join(TMP, "srv%d.port" % n)
        cf = os.path.join(TMP, "srv%d.ctl" % n)
        self.errf = open(os.path.join(TMP, "srv%d.stderr" % n), "wb")
        self.proc = subprocess.Popen(
            [sys.executable, SERVER_PY, "-", "--port-file", pf,
             "--control-port-file", cf, "--parent", str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=self.errf, stderr=self.errf)
        deadline = time.time() + 10
        self.port = self.cport = None
        while time.time() < deadline and self.proc.poll() is None:
            try:
                with open(pf) as fh:
                    p = fh.read().strip()
                with open(cf) as fh:
                    c = fh.read().strip()
                if p.isdigit() and c.isdigit():
                    self.port, self.cport = int(p), int(c)
                    break
            except OSError:
                pass
            time.sleep(0.02)
        if self.port is None:
            self.stop()
            raise RuntimeError("hostile server %d did not start" % n)
        self.url = "http://127.0.0.1:%d" % self.port

    def ctl(self, msg, timeout=35):
        with socket.create_connection(("127.0.0.1", self.cport),
                                      timeout=timeout) as s:
            s.sendall((json.dumps(msg) + "\n").encode())
            f = s.makefile("rb")
            line = f.readline()
        if not line:
            raise Fail("control: no answer from the server")
        ans = json.loads(line.decode())
        if "error" in ans:
            raise Fail("control: " + ans["error"])
        return ans

    def load(self, scn):
        self.ctl({"op": "load", "scenario": scn})

    def log(self, wait_ms=4000):
        return self.ctl({"op": "log", "wait_ms": wait_ms})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.errf.close()


POOL = queue.Queue()
SERVERS = []


# --------------------------------------------------------------------------
# Running bact
# --------------------------------------------------------------------------


class Result:
    def __init__(self, argv, rc, out, err, dt, log):
        self.argv, self.rc, self.out, self.err, self.dt = argv, rc, out, err, dt
        self.log = log
        self.conns = log["connections"]

    @property
    def err_lines(self):
        return self.err.decode("utf-8", "replace").splitlines()

    def shape(self):
        """Requests per connection, e.g. [1, 2]."""
        return [len(c["requests"]) for c in self.conns]

    def why(self):
        return "exit %s, stdout %s, stderr %s, requests/conn %s (%.2fs)" % (
            self.rc, short(self.out, 100), short(self.err, 200), self.shape(),
            self.dt)


# LeakSanitizer costs ~0.2 s per run of the sanitized build; it stays on for
# the runs of these checks (every exit code and error path at least once),
# and for all with HOSTILE_LEAKS=all. An ASAN_OPTIONS that already says
# detect_leaks is left alone.
LEAK_CHECKS = {
    "status.http11", "status.garbage_first", "status.code_999_api_error",
    "interim.several", "interim.endless_hits_header_limit",
    "bodiless.204_stop_ok", "length.max_u32_too_large",
    "length.duplicate_different", "length.absent_close_delimited",
    "chunked.trailers", "chunked.size_9_hex_digits_too_large",
    "chunked.truncated_last_chunk", "header.huge_value_1mib",
    "header.many_fields_1000", "header.folded_space",
    "timing.one_byte_at_a_time", "timing.stall_mid_body",
    "timing.reset_mid_body", "redirect.302_not_followed",
    "encoding.gzip_unrequested", "body.html_json_flag_printed_as_is",
    "shape.error_envelope_200", "shape.status_too_long",
    "json.depth_100000_refused", "json.densest_2mib_accepted",
    "json.string_full_of_escapes", "split.ok_chunked_ext_trailers",
    "reuse.keepalive_three_requests_one_connection",
    "reuse.dropped_on_reuse_resent_fresh",
    "reuse.after_timeout_in_wait_new_connection",
    "other.regions_chunked_one_byte",
}
LEAKS_ALL = os.environ.get("HOSTILE_LEAKS") == "all"


def clean_env(leaks=True):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("BROWSERACT_") or k.lower().endswith("_proxy"):
            del env[k]
    env["NO_PROXY"] = env["no_proxy"] = "*"
    asan = env.get("ASAN_OPTIONS", "")
    if not leaks and "detect_leaks" not in asan:
        env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
    return env


class Ctx:
    """What a check gets: run() plays a scenario and runs bact once."""

    def __init__(self, srv, leaks=True):
        self.srv = srv
        self.leaks = leaks
        self.runs = []

    def run(self, scn, args=STATUS, g=(), retries=0, timeout=TIMEOUT_MS):
        self.srv.load(scn)
        argv = [BACT, "--base-url", self.srv.url, "--api-key", KEY,
                "--retries", str(retries), "--timeout", str(timeout)]
        argv += list(g) + list(args)
        t0 = time.monotonic()
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=clean_env(self.leaks),
                               timeout=PROC_TIMEOUT_S)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = "hang", e.stdout or b"", e.stderr or b""
        dt = time.monotonic() - t0
        log = self.srv.log()
        r = Result(argv, rc, out, err, dt, log)
        self.runs.append(r)
        return r


def post_checks(runs):
    for r in runs:
        if r.rc == "hang":
            raise Fail("hung past %ds: %s" % (PROC_TIMEOUT_S, r.why()))
        if isinstance(r.rc, int) and r.rc < 0:
            raise Fail("killed by signal %d: %s" % (-r.rc, r.why()))
        if (b"Sanitizer" in r.err or b"runtime error:" in r.err):
            raise Fail("sanitizer report: %s" % short(r.err, 400))
        if r.log.get("active"):
            raise Fail("a server connection was still active after the run")


def expect(r, rc, out=None, err=None, single=True):
    """Exit rc; stdout == out (when given; for an error of a single-request
    command: empty); stderr: empty on success, else exactly one 'bact: '
    line holding err (case-insensitive) when given."""
    need(r.rc == rc, "expected exit %d: %s" % (rc, r.why()))
    if out is None and rc != 0 and single:
        out = b""
    if out is not None:
        need(r.out == B(out), "stdout: expected %s: %s" % (
            short(repr(B(out))), r.why()))
    if rc == 0 and single:
        need(r.err == b"", "stderr not empty: " + r.why())
    if rc != 0 and single:
        lines = r.err_lines
        need(len(lines) == 1 and r.err.endswith(b"\n")
             and lines[0].startswith("bact: "),
             "expected one 'bact: ' line on stderr: " + r.why())
    if err is not None:
        need(err.lower() in r.err.decode("utf-8", "replace").lower(),
             "stderr lacks %r: %s" % (err, r.why()))


def conns(r, shape):
    """The requests made on each connection, in order, e.g. [1] or [2, 1]."""
    need(r.shape() == shape, "requests per connection: expected %s, got %s "
         "(%s)" % (shape, r.shape(), r.why()))


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

CHECKS = []          # (name, fn(ctx))
CASES = {}           # name -> (scenario, run kwargs)
WANT = {}            # name -> (exit code, stdout, stderr needle) decided


def check(name):
    def deco(fn):
        CHECKS.append((name, fn))
        return fn
    return deco


# Error texts of the tool (docs/CLI.md exit codes; bact_strerror()).
E_HTTP = "malformed HTTP response"
E_CLOSED = "connection closed early by the peer"
E_NET = "network error"
E_TIMEOUT = "timed out"
E_HSIZE = "response header section too large"
E_BIG = "response too large"
E_JSON = "malformed JSON"
E_SHAPE = "unexpected JSON shape"

OK_RUNNING = (0, b"running\n", None)


def case(name, scn, want, args=STATUS, g=(), retries=0, timeout=TIMEOUT_MS,
         shape=None, max_s=None, min_s=None):
    """A check: play scn (bytes: one connection that reads the request and
    sends them; list: one script; dict: a whole scenario), run bact, expect
    want = (exit code, stdout or None, stderr needle or None) and, when
    given, the requests per connection and a bound on the run time."""
    if isinstance(scn, (bytes, str)):
        scn = scenario(answer(scn))
    elif isinstance(scn, list):
        scn = scenario(scn)
    kw = dict(args=args, g=g, retries=retries, timeout=timeout)
    CASES[name] = (scn, kw)
    WANT[name] = want

    def fn(h):
        r = h.run(scn, **kw)
        if EXPLORE:
            return r
        rc, out, err = want
        expect(r, rc, out, err)
        if shape is not None:
            conns(r, shape)
        if max_s is not None:
            need(r.dt <= max_s, "took %.2fs, expected at most %.2fs: %s" % (
                r.dt, max_s, r.why()))
        if min_s is not None:
            need(r.dt >= min_s, "took %.2fs, expected at least %.2fs: %s" % (
                r.dt, min_s, r.why()))
        return r
    CHECKS.append((name, fn))


def proto(name, data, **kw):
    case(name, data, (5, None, E_HTTP), **kw)


# ==========================================================================
# Status line
# ==========================================================================

case("status.http11", resp(), OK_RUNNING, shape=[1])
case("status.http10_content_length", resp(status="HTTP/1.0 200 OK"),
     OK_RUNNING)
case("status.http10_close_delimited",
     [RR, send(resp(status="HTTP/1.0 200 OK", cl=False)), CLOSE], OK_RUNNING)
case("status.no_reason_no_space", resp(status="HTTP/1.1 200"), OK_RUNNING)
case("status.empty_reason", resp(status="HTTP/1.1 200 "), OK_RUNNING)
case("status.odd_reason",
     resp(status="HTTP/1.1 200 Everything: fine, really!\t100% (\"ok\") "),
     OK_RUNNING)
case("status.reason_obs_text", resp(status="HTTP/1.1 200 D\xe9j\xe0 vu \xff"),
     OK_RUNNING)
case("status.reason_contradicts_code", resp(status="HTTP/1.1 200 Not Found"),
     OK_RUNNING)
case("status.reason_very_long", resp(status="HTTP/1.1 200 " + "x" * 12000),
     OK_RUNNING)
case("status.unknown_2xx_is_success", resp(status="HTTP/1.1 299 Whatever"),
     OK_RUNNING)
case("status.code_600_api_error",
     resp(b"{}", status="HTTP/1.1 600 Odd"), (1, None, "API error: HTTP 600"))
case("status.code_999_api_error", resp(b"", status="HTTP/1.1 999 X"),
     (1, None, "API error: HTTP 999"))
proto("status.reason_ctl_byte", resp(status="HTTP/1.1 200 O\x01K"))
proto("status.reason_nul", resp(status="HTTP/1.1 200 O\x00K"))
proto("status.reason_del", resp(status="HTTP/1.1 200 O\x7fK"))
proto("status.code_two_digits", resp(status="HTTP/1.1 20 OK"))
proto("status.code_four_digits", resp(status="HTTP/1.1 2000 OK"))
proto("status.code_000", resp(status="HTTP/1.1 000 Zero"))
proto("status.code_099", resp(status="HTTP/1.1 099 Low"))
proto("status.code_letters", resp(status="HTTP/1.1 2OO OK"))
proto("status.code_signed", resp(status="HTTP/1.1 +20 OK"))
proto("status.two_spaces_before_code", resp(status="HTTP/1.1  200 OK"))
proto("status.tab_before_code", resp(status="HTTP/1.1\t200 OK"))
proto("status.lowercase_http", resp(status="http/1.1 200 OK"))
proto("status.http_1_2", resp(status="HTTP/1.2 200 OK"))
proto("status.http_2_0", resp(status="HTTP/2.0 200 OK"))
proto("status.http_2", resp(status="HTTP/2 200 OK"))
proto("status.http_0_9_body_only", RUNNING)
proto("status.garbage_first", b"SSH-2.0-OpenSSH_9.2p1 Debian\r\n")
proto("status.garbage_then_valid", b"xyz" + resp())
proto("status.leading_crlf", b"\r\n" + resp())
proto("status.leading_space", b" " + resp())
proto("status.bare_lf_after_status", resp().replace(b"OK\r\n", b"OK\n", 1))
proto("status.tls_alert_bytes", bytes.fromhex("15030300020228"))
proto("status.nul_bytes", b"\x00" * 64)


# ==========================================================================
# 1xx interim responses; bodiless responses
# ==========================================================================

I100 = b"HTTP/1.1 100 Continue\r\n\r\n"
case("interim.100_then_200", I100 + resp(), OK_RUNNING, shape=[1])
case("interim.several",
     I100 + b"HTTP/1.1 102 Processing\r\n\r\n"
     b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n"
     b"Link: </b.js>; rel=preload\r\n\r\n" + resp(), OK_RUNNING)
case("interim.103_length_and_close_ignored",
     b"HTTP/1.1 103 Early Hints\r\nContent-Length: 999\r\n"
     b"Connection: close\r\n\r\n" + resp(), OK_RUNNING)
proto("interim.103_transfer_encoding_gzip_refused",
      b"HTTP/1.1 103 Early Hints\r\nTransfer-Encoding: gzip\r\n\r\n" + resp())
case("interim.199_unknown_1xx", b"HTTP/1.1 199 Odd\r\n\r\n" + resp(),
     OK_RUNNING)
case("interim.http10_100", b"HTTP/1.0 100 Continue\r\n\r\n" + resp(),
     OK_RUNNING)
case("interim.pause_between",
     [RR, send(I100), sleep(200), send(resp())], OK_RUNNING)
case("interim.400_of_them", I100 * 400 + resp(), OK_RUNNING)
case("interim.endless_hits_header_limit", I100 * 700 + resp(),
     (5, None, E_HSIZE))
proto("interim.101_switching_refused",
      b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      b"Connection: Upgrade\r\n\r\n" + resp())
case("interim.then_close", [RR, send(I100), CLOSE], (3, None, E_CLOSED))
case("interim.then_stall", [RR, send(I100), STALL, send(resp())],
     (3, None, E_TIMEOUT), min_s=0.4)
proto("interim.with_body_bytes", b"HTTP/1.1 100 Continue\r\n\r\nhello" + resp())

case("bodiless.204_stop_ok", b"HTTP/1.1 204 No Content\r\n\r\n", (0, b"", None),
     args=("stop", TID))
case("bodiless.204_content_length_not_awaited",
     b"HTTP/1.1 204 No Content\r\nContent-Length: 50\r\n\r\n", (0, b"", None),
     args=("stop", TID))
case("bodiless.204_chunked_not_awaited",
     b"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
     (0, b"", None), args=("stop", TID))
case("bodiless.204_with_stray_body",
     b"HTTP/1.1 204 No Content\r\n\r\n{\"code\":1,\"msg\":\"ignored\"}",
     (0, b"", None), args=("stop", TID))
case("bodiless.204_status_no_json", b"HTTP/1.1 204 No Content\r\n\r\n",
     (5, None, E_JSON))
case("bodiless.304_api_error_not_awaited",
     b"HTTP/1.1 304 Not Modified\r\nContent-Length: 20\r\n\r\n",
     (1, None, "API error: HTTP 304"))
case("bodiless.304_chunked_not_awaited",
     b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
     (1, None, "API error: HTTP 304"))
case("bodiless.200_length_0_stop", resp(b""), (0, b"", None),
     args=("stop", TID))
case("bodiless.200_stop_with_text_body", resp(b"stopped"), (0, b"", None),
     args=("stop", TID))
case("bodiless.200_length_0_status", resp(b""), (5, None, E_JSON))
case("bodiless.200_length_0_json_flag", resp(b""), (0, b"", None),
     g=("--json",))


# ==========================================================================
# Content-Length
# ==========================================================================

H20 = "Content-Length: 20"
case("length.duplicate_equal", resp(headers=[H20], cl="20"), OK_RUNNING)
case("length.duplicate_equal_spacing",
     resp(headers=["content-length:20"], cl=" 20 "), OK_RUNNING)
proto("length.duplicate_different", resp(headers=["Content-Length: 21"]))
proto("length.duplicate_different_smaller",
      resp(headers=["Content-Length: 19"]))
proto("length.list_equal", resp(cl="20, 20"))
proto("length.list_different", resp(cl="20, 21"))
proto("length.with_chunked", chunked([RUNNING], headers=[H20]))
proto("length.after_chunked",
      b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + B(H20) +
      b"\r\n\r\n14\r\n" + RUNNING + b"\r\n0\r\n\r\n")
case("length.leading_zeros", resp(cl="0000000000020"), OK_RUNNING)
case("length.uppercase_name", resp(cl=False, headers=["CONTENT-LENGTH: 20"]),
     OK_RUNNING)
case("length.whitespace_around", resp(cl=" \t 20 \t "), OK_RUNNING)
proto("length.plus_sign", resp(cl="+20"))
proto("length.minus_sign", resp(cl="-20"))
proto("length.negative_zero", resp(b"", cl="-0"))
proto("length.hex", resp(cl="0x14"))
proto("length.decimal_point", resp(cl="20.0"))
proto("length.exponent", resp(cl="2e1"))
proto("length.empty", resp(cl=False, headers=["Content-Length: "]))
proto("length.space_inside", resp(cl="2 0"))
proto("length.trailing_junk", resp(cl="20abc"))
case("length.max_u32_too_large", resp(cl="4294967295"), (5, None, E_BIG))
# past 32 bits: too large as well (as a chunk size past the limit is), not
# malformed
case("length.overflow_2_pow_32", resp(cl="4294967296"), (5, None, E_BIG))
case("length.overflow_2_pow_64", resp(cl="18446744073709551616"),
     (5, None, E_BIG))
# a value longer than the 36 bytes the parser keeps of one is not read
proto("length.overflow_huge", resp(cl="9" * 100))
case("length.over_tool_limit", resp(cl="2097153"), (5, None, E_BIG))
case("length.shorter_than_body", resp(RUNNING + b"GARBAGE", cl="20"),
     OK_RUNNING)
case("length.longer_then_close", [RR, send(resp(cl="30")), CLOSE],
     (3, None, E_CLOSED))
case("length.longer_then_stall",
     [RR, send(resp(cl="30")), STALL, send(b" " * 10)],
     (3, None, E_TIMEOUT), min_s=0.4)
case("length.absent_close_delimited", [RR, send(resp(cl=False)), CLOSE],
     OK_RUNNING)
case("length.absent_half_close", [RR, send(resp(cl=False)), HALF],
     OK_RUNNING)
case("length.absent_never_closed",
     [RR, send(resp(cl=False)), STALL, CLOSE], (3, None, E_TIMEOUT), min_s=0.4)
proto("te.gzip_chunked", chunked([RUNNING]).replace(
    b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip, chunked"))
proto("te.chunked_twice", chunked([RUNNING]).replace(
    b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked, chunked"))
proto("te.chunked_two_fields", chunked([RUNNING],
                                       headers=["Transfer-Encoding: chunked"]))
proto("te.chunked_not_last", chunked([RUNNING]).replace(
    b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked, gzip"))
proto("te.identity", resp(cl=False, headers=["Transfer-Encoding: identity"]))
proto("te.unknown", resp(cl=False, headers=["Transfer-Encoding: foo"]))
proto("te.empty", resp(cl=False, headers=["Transfer-Encoding: "]))
case("te.chunked_uppercase", chunked([RUNNING]).replace(
    b"Transfer-Encoding: chunked", b"TRANSFER-ENCODING: CHUNKED"), OK_RUNNING)
case("te.chunked_with_empty_list_elements", chunked([RUNNING]).replace(
    b"Transfer-Encoding: chunked", b"Transfer-Encoding: , chunked ,"),
    OK_RUNNING)


# ==========================================================================
# Chunked framing
# ==========================================================================

C_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
case("chunked.plain", chunked([RUNNING]), OK_RUNNING)
case("chunked.one_byte_chunks", chunked([RUNNING[i:i + 1] for i in range(20)]),
     OK_RUNNING)
case("chunked.extensions", C_HEAD + b"a;foo=bar;q=\"x;y\\\"z\"\r\n" +
     RUNNING[:10] + b"\r\nA ; name = value\t;x\r\n" + RUNNING[10:] +
     b"\r\n0;last\r\n\r\n", OK_RUNNING)
case("chunked.hex_lowercase", C_HEAD + b"1a\r\n" + RUNNING + b"      \r\n"
     b"0\r\n\r\n", OK_RUNNING)
case("chunked.hex_uppercase", C_HEAD + b"1A\r\n" + RUNNING + b"      \r\n"
     b"0\r\n\r\n", OK_RUNNING)
case("chunked.size_leading_zeros", C_HEAD + b"00000000000014\r\n" + RUNNING +
     b"\r\n000\r\n\r\n", OK_RUNNING)
case("chunked.trailers", chunked([RUNNING], last=b"0\r\nX-Checksum: abc\r\n"
                                 b"Server-Timing: db;dur=53\r\n\r\n"),
     OK_RUNNING)
case("chunked.trailer_hits_header_limit",
     chunked([RUNNING], last=b"0\r\nX-Pad: " + b"p" * 17000 + b"\r\n\r\n"),
     (5, None, E_HSIZE))
case("chunked.size_9_hex_digits_too_large",
     C_HEAD + b"100000000\r\n" + RUNNING, (5, None, E_BIG))
case("chunked.size_64_bit_too_large",
     C_HEAD + b"FFFFFFFFFFFFFFFF\r\n" + RUNNING, (5, None, E_BIG))
# README: "sizes beyond 256 MiB refused"
case("chunked.size_over_256mib_refused",
     [RR, send(C_HEAD + b"FFFFFFFF\r\n" + RUNNING + b"\r\n0\r\n\r\n"),
      sleep(2000)], (5, None, E_BIG))
case("chunked.size_then_space_junk_skipped",
     C_HEAD + b"14 junk\r\n" + RUNNING + b"\r\n0\r\n\r\n", OK_RUNNING)
case("chunked.trailer_without_colon_dropped",
     chunked([RUNNING], last=b"0\r\nX-No-Colon\r\n\r\n"), OK_RUNNING)
proto("chunked.missing_crlf_after_data",
      C_HEAD + b"14\r\n" + RUNNING + b"0\r\n\r\n")
proto("chunked.lf_only_after_data",
      C_HEAD + b"14\r\n" + RUNNING + b"\n0\r\n\r\n")
proto("chunked.lf_only_after_size", C_HEAD + b"14\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.data_longer_than_size",
      C_HEAD + b"13\r\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.empty_size_line", C_HEAD + b"\r\n" + RUNNING)
proto("chunked.negative_size", C_HEAD + b"-14\r\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.size_0x_prefix", C_HEAD + b"0x14\r\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.size_junk", C_HEAD + b"14g\r\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.extension_ctl_byte",
      C_HEAD + b"14;a=\x01\r\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.size_line_over_1024",
      C_HEAD + b"14;" + b"e" * 1100 + b"\r\n" + RUNNING + b"\r\n0\r\n\r\n")
proto("chunked.trailer_folded",
      chunked([RUNNING], last=b"0\r\nX-A: 1\r\n  folded\r\n\r\n"))
proto("chunked.trailer_bare_lf", chunked([RUNNING], last=b"0\r\nX-A: 1\n\r\n"))
case("chunked.truncated_last_chunk",
     [RR, send(C_HEAD + b"14\r\n" + RUNNING[:9]), CLOSE], (3, None, E_CLOSED))
case("chunked.no_last_chunk_close",
     [RR, send(C_HEAD + b"14\r\n" + RUNNING + b"\r\n"), CLOSE],
     (3, None, E_CLOSED))
case("chunked.no_final_crlf_close",
     [RR, send(C_HEAD + b"14\r\n" + RUNNING + b"\r\n0\r\n"), CLOSE],
     (3, None, E_CLOSED))
case("chunked.no_last_chunk_stall",
     [RR, send(C_HEAD + b"14\r\n" + RUNNING + b"\r\n"), STALL,
      send(b"0\r\n\r\n")], (3, None, E_TIMEOUT), min_s=0.4)
case("chunked.zero_chunk_cuts_body",
     C_HEAD + b"9\r\n" + RUNNING[:9] + b"\r\n0\r\n\r\nb\r\n" + RUNNING[9:] +
     b"\r\n0\r\n\r\n", (5, None, E_JSON))


# ==========================================================================
# Header syntax
# ==========================================================================

proto("header.space_before_colon", resp(headers=["X-Foo : bar"]))
proto("header.space_before_colon_length", resp(cl=False,
                                               headers=["Content-Length : 20"]))
proto("header.tab_before_colon", resp(headers=["X-Foo\t: bar"]))
proto("header.folded_space", resp(headers=["X-Foo: a", " b"]))
proto("header.folded_tab", resp(headers=["X-Foo: a", "\tb"]))
proto("header.folded_first_line", resp(headers=[" X-Foo: a"]))
proto("header.bare_lf_everywhere", resp().replace(b"\r\n", b"\n"))
proto("header.bare_lf_one_field",
      resp(headers=["X-Foo: a\nX-Bar: b"]))
proto("header.bare_lf_end_of_head",
      resp().replace(b"\r\n\r\n", b"\r\n\n", 1))
proto("header.bare_cr_in_value", resp(headers=["X-Foo: a\rb"]))
proto("header.nul_in_value", resp(headers=["X-Foo: a\x00b"]))
proto("header.nul_in_name", resp(headers=["X-F\x00oo: a"]))
proto("header.ctl_in_value", resp(headers=["X-Foo: a\x01b"]))
proto("header.esc_in_value", resp(headers=["X-Foo: \x1b[31mred"]))
proto("header.del_in_value", resp(headers=["X-Foo: a\x7fb"]))
proto("header.no_colon", resp(headers=["X-Foo bar"]))
proto("header.empty_name", resp(headers=[": bar"]))
proto("header.space_in_name", resp(headers=["X Foo: bar"]))
proto("header.non_token_name", resp(headers=["X(Foo): bar"]))
proto("header.obs_text_name", resp(headers=["X-F\xe9e: bar"]))
case("header.names_that_only_look_like_framing",
     resp(headers=["X-Content-Length: 999", "Content-Lengthy: 999",
                   "Content-Lengt: 1", "Transfer-Encodings: gzip",
                   "Transfer-Encodin: gzip", "Connection-Close: close",
                   "Content-Length" + "-" * 300 + ": 5"]), OK_RUNNING)
case("header.tab_in_value", resp(headers=["X-Foo: a\tb\t"]), OK_RUNNING)
case("header.obs_text_value",
     resp(headers=["X-Name: caf\xc3\xa9 \xff\x80"]), OK_RUNNING)
case("header.empty_value", resp(headers=["X-Empty:", "X-Spaces:   "]),
     OK_RUNNING)
case("header.no_space_after_colon", resp(headers=["X-Foo:bar"]), OK_RUNNING)
case("header.name_case_mix", resp(cl=False,
                                  headers=["cOnTeNt-LeNgTh: 20"]), OK_RUNNING)
case("header.long_name", resp(headers=["X-" + "n" * 8000 + ": v"]), OK_RUNNING)
case("header.huge_value_15000", resp(headers=["X-Big: " + "v" * 15000]),
     OK_RUNNING)
case("header.huge_value_17000", resp(headers=["X-Big: " + "v" * 17000]),
     (5, None, E_HSIZE))
case("header.huge_value_1mib", resp(headers=["X-Big: " + "v" * (1 << 20)]),
     (5, None, E_HSIZE))


def head_of_size(n):
    """A 200 whose head (status line through the blank line) is n bytes."""
    base = resp(headers=["X-Pad: "])
    head_len = base.index(b"\r\n\r\n") + 4
    return resp(headers=["X-Pad: " + "p" * (n - head_len)])


case("header.section_exactly_16384", head_of_size(16384), OK_RUNNING)
case("header.section_16385", head_of_size(16385), (5, None, E_HSIZE))
case("header.many_fields_1000",
     resp(headers=["X-H%d: v" % i for i in range(1000)]), OK_RUNNING)
case("header.many_fields_5000",
     resp(headers=["X-H%d: v" % i for i in range(5000)]), (5, None, E_HSIZE))
case("header.many_empty_fields_3000", resp(headers=["a:"] * 3000),
     OK_RUNNING)
case("header.head_never_ends_close",
     [RR, send(b"HTTP/1.1 200 OK\r\nX-A: 1\r\n"), CLOSE], (3, None, E_CLOSED))


# ==========================================================================
# Timing: trickles, stalls, closes, resets
# ==========================================================================

case("timing.one_byte_at_a_time",
     scenario([RR, send(resp(), trickle=1, delay_ms=1)]), OK_RUNNING)
case("timing.chunked_one_byte_at_a_time",
     scenario([RR, send(chunked([RUNNING[:7], RUNNING[7:]],
                                last=b"0\r\nX-T: 1\r\n\r\n"),
                        trickle=1, delay_ms=1)]), OK_RUNNING)
case("timing.short_stall_mid_headers",
     [RR, send(b"HTTP/1.1 200 OK\r\nContent-Le"), sleep(200),
      send(resp()[len(b"HTTP/1.1 200 OK\r\nContent-Le"):])], OK_RUNNING)
case("timing.stall_before_status", [RR, STALL, send(resp())],
     (3, None, E_TIMEOUT), min_s=0.4)
case("timing.stall_mid_status_line",
     [RR, send(resp()[:10]), STALL, send(resp()[10:])],
     (3, None, E_TIMEOUT), min_s=0.4)
case("timing.stall_mid_headers",
     [RR, send(resp()[:27]), STALL, send(resp()[27:])],
     (3, None, E_TIMEOUT), min_s=0.4)
case("timing.stall_mid_body",
     [RR, send(resp()[:-8]), STALL, send(resp()[-8:])], (3, None, E_TIMEOUT),
     min_s=0.4)
case("timing.trickle_past_attempt_limit",
     [RR, send(resp(headers=["X-Pad: " + "p" * 40]), trickle=1,
               delay_ms=150)], (3, None, E_TIMEOUT), min_s=1.8, max_s=8.0)
case("timing.close_before_status", [RR, CLOSE], (3, None, E_CLOSED))
case("timing.close_without_reading", scenario([CLOSE]), (3, None, None))
case("timing.close_mid_status_line", [RR, send(b"HTTP/1.1 20"), CLOSE],
     (3, None, E_CLOSED))
case("timing.close_mid_headers",
     [RR, send(b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n"), CLOSE],
     (3, None, E_CLOSED))
case("timing.close_mid_body", [RR, send(resp()[:-5]), CLOSE],
     (3, None, E_CLOSED))
case("timing.half_close_before_status", [RR, HALF, sleep(1500)],
     (3, None, E_CLOSED))
case("timing.half_close_mid_body", [RR, send(resp()[:-5]), HALF, sleep(1500)],
     (3, None, E_CLOSED))
case("timing.half_close_after_response", [RR, send(resp()), HALF],
     OK_RUNNING)
case("timing.reset_before_status", [RR, RESET], (3, None, E_NET))
case("timing.reset_mid_headers",
     [RR, send(b"HTTP/1.1 200 OK\r\nContent-Le"), sleep(50), RESET],
     (3, None, E_NET))
case("timing.reset_mid_body", [RR, send(resp()[:-5]), sleep(50), RESET],
     (3, None, E_NET))
case("timing.reset_after_response", [RR, send(resp()), sleep(500), RESET],
     OK_RUNNING)
case("timing.close_delimited_trickle",
     [RR, send(resp(cl=False), trickle=3, delay_ms=2), CLOSE], OK_RUNNING)


# ==========================================================================
# Redirects, encodings, bodies
# ==========================================================================

for code, reason in ((301, "Moved Permanently"), (302, "Found"),
                     (303, "See Other"), (307, "Temporary Redirect"),
                     (308, "Permanent Redirect")):
    case("redirect.%d_not_followed" % code,
         resp(b"<a href=/elsewhere>moved</a>", status="HTTP/1.1 %d %s" % (
             code, reason), headers=["Location: /v2/workflow/elsewhere",
                                     "Content-Type: text/html"]),
         (1, None, "API error: HTTP %d" % code), shape=[1])
case("redirect.302_json_flag",
     resp(b"", status="HTTP/1.1 302 Found",
          headers=["Location: http://127.0.0.1:9/"]),
     (1, None, "API error: HTTP 302"), g=("--json",), shape=[1])


def gzip_bytes(data):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


GZ = gzip_bytes(RUNNING)


WANT["encoding.gzip_unrequested"] = (5, None, E_HTTP)


@check("encoding.gzip_unrequested")
def _(h):
    r = h.run(scenario(answer(resp(GZ, headers=["Content-Encoding: gzip"]))))
    expect(r, 5, None, E_HTTP)
    hdrs = r.conns[0]["requests"][0]["headers"] if r.conns and \
        r.conns[0]["requests"] else {}
    need("accept-encoding" not in hdrs and "te" not in hdrs,
         "the request asked for a coding: %s" % short(json.dumps(hdrs)))
    return r


# A content coding the client never asked for (no Accept-Encoding was sent)
# and cannot decode: --json must not print the compressed bytes as a success.
case("encoding.gzip_unrequested_json_flag",
     resp(GZ, headers=["Content-Encoding: gzip"]), (5, None, None),
     g=("--json",))
case("encoding.identity", resp(headers=["Content-Encoding: identity"]),
     OK_RUNNING)

case("body.html", resp(b"<html><body>502 Bad Gateway</body></html>",
                       headers=["Content-Type: text/html"]),
     (5, None, E_JSON))
case("body.html_json_flag_printed_as_is",
     resp(b"<html>hi</html>", headers=["Content-Type: text/html"]),
     (0, b"<html>hi</html>", None), g=("--json",))
case("body.plain_word", resp(b"running"), (5, None, E_JSON))
case("body.empty_200", resp(b""), (5, None, E_JSON))
case("body.whitespace_only", resp(b" \r\n\t "), (5, None, E_JSON))
case("body.bom_then_json", resp(b"\xef\xbb\xbf" + RUNNING), (5, None, E_JSON))
case("body.binary", resp(bytes(range(256))), (5, None, E_JSON))
case("body.json_flag_exact_bytes",
     resp(b' {"status" : "running" , "x":[1,2]}\n'),
     (0, b' {"status" : "running" , "x":[1,2]}\n', None), g=("--json",))

case("shape.status_number", resp(b'{"status":5}'), (5, None, E_SHAPE))
case("shape.status_null", resp(b'{"status":null}'), (5, None, E_SHAPE))
case("shape.status_object", resp(b'{"status":{"v":"running"}}'),
     (5, None, E_SHAPE))
case("shape.status_missing", resp(b'{"state":"running"}'), (5, None, E_SHAPE))
case("shape.top_level_array", resp(b'[{"status":"running"}]'),
     (5, None, E_SHAPE))
case("shape.top_level_string", resp(b'"running"'), (5, None, E_SHAPE))
case("shape.top_level_null", resp(b'null'), (5, None, E_SHAPE))
case("shape.status_too_long", resp(b'{"status":"' + b"r" * 60 + b'"}'),
     (0, b"r" * 23 + b"\n", None))  # an unknown word, its first 23 bytes
case("shape.unknown_status_shown", resp(b'{"status":"weird-state"}'),
     (0, b"weird-state\n", None))
case("shape.duplicate_status_key",
     resp(b'{"status":"running","status":"finished"}'), OK_RUNNING)
case("shape.status_nul", resp(b'{"status":"run\\u0000ning"}'), (5, None, E_SHAPE))
case("shape.envelope_code_0_not_an_error",
     resp(b'{"code":0,"msg":"success","status":"running"}'), OK_RUNNING)
case("shape.extra_fields_ignored",
     resp(b'{"id":"1","extra":{"a":[1,{"b":null}]},"status":"running",'
          b'"n":-1.5e300}'), OK_RUNNING)
case("shape.error_envelope_200",
     resp(b'{"code":10112,"msg":"Task not found","traceId":"t-1"}'),
     (1, None, "API error: HTTP 200, code 10112: Task not found (traceId t-1)"))
case("shape.error_envelope_500",
     resp(b'{"code":500,"msg":"boom"}', status="HTTP/1.1 500 Internal"),
     (1, None, "API error: HTTP 500, code 500: boom"))
case("shape.503_not_json", resp(b"<html>unavailable</html>",
                                status="HTTP/1.1 503 Unavailable"),
     (1, None, "API error: HTTP 503"))

case("json.truncated", resp(RUNNING[:-3]), (5, None, E_JSON))
case("json.truncated_length_says_more", [RR, send(resp(RUNNING[:-3], cl="20")),
                                         CLOSE], (3, None, E_CLOSED))
case("json.trailing_garbage", resp(RUNNING + b"x"), (5, None, E_JSON))
case("json.two_values", resp(RUNNING + RUNNING), (5, None, E_JSON))
case("json.trailing_comma", resp(b'{"status":"running",}'), (5, None, E_JSON))
case("json.single_quotes", resp(b"{'status':'running'}"), (5, None, E_JSON))
case("json.raw_newline_in_string", resp(b'{"status":"run\nning"}'),
     (5, None, E_JSON))
case("json.bad_escape", resp(b'{"status":"run\\xning"}'), (5, None, E_JSON))
case("json.lone_surrogate", resp(b'{"x":"\\ud800","status":"running"}'),
     (5, None, E_JSON))
case("json.invalid_utf8", resp(b'{"x":"\xc3\x28","status":"running"}'),
     (5, None, E_JSON))
case("json.overlong_utf8", resp(b'{"x":"\xc0\xaf","status":"running"}'),
     (5, None, E_JSON))
case("json.leading_zero_number", resp(b'{"x":012,"status":"running"}'),
     (5, None, E_JSON))


def nested(depth):
    """{"deep": [[...]], "status": "running"}: depth containers in all,
    the top-level object included."""
    inner = b"[" * (depth - 1) + b"]" * (depth - 1)
    return b'{"deep":' + inner + b',"status":"running"}'


case("json.depth_64_accepted", resp(nested(64)), OK_RUNNING)
case("json.depth_65_refused", resp(nested(65)), (5, None, E_JSON))
case("json.depth_100000_refused", resp(nested(100000)), (5, None, E_JSON))
case("json.status_escaped",
     resp(b'{"status":"\\u0072\\u0075\\u006E\\u006e\\u0069\\u006e\\u0067"}'),
     OK_RUNNING)
case("json.status_escaped_quote_shown",
     resp(b'{"status":"run\\"ning\\\\"}'), (0, b'run"ning\\\n', None))
case("json.status_with_controls_cleaned",
     resp(b'{"status":"a\\tb\\nc\\u001bd"}'), (0, b"a b c d\n", None))
ESC = b'\\n\\t\\"\\\\\\/\\b\\f\\r\\u00e9\\u20ac\\ud83d\\ude00'
case("json.string_full_of_escapes",
     resp(b'{"x":"' + ESC * 10000 + b'","status":"running"}'), OK_RUNNING)
case("json.many_tokens_accepted",
     resp(b'{"x":[' + b",".join([b"0"] * 70000) + b'],"status":"running"}'),
     OK_RUNNING)
# the densest JSON text that fits the tool's 2 MiB: 1048568 tokens in
# exactly 2097152 bytes; its token array holds any body of that size
DENSE = b'{"x":[' + b",".join([b"0"] * 1048563) + b'],"status":"running"}'
assert len(DENSE) == 2 * 1024 * 1024
case("json.densest_2mib_accepted", resp(DENSE), OK_RUNNING)
# 699041 empty objects side by side in 2 MiB: jsmn without parent links
# walks back over every earlier token at each closer, minutes of CPU for
# this; the tool's builds link parents (the run stays far within the guard)
FLAT = b'{"x":[' + b",".join([b"{}"] * 699041) + b'],"status":"running"}'
assert len(FLAT) <= 2 * 1024 * 1024
case("json.flat_2mib_of_objects_accepted", resp(FLAT), OK_RUNNING)
# 25000 small objects in 600 KB (125000 tokens), shown one a line
REGIONS_25000 = [(("R%05d" % i), "region %d" % i) for i in range(25000)]
case("json.regions_25000_objects_accepted",
     resp(json.dumps([{"code": c, "name": n} for c, n in REGIONS_25000],
                     separators=(",", ":"))),
     (0, "".join("%s\t%s\n" % r for r in REGIONS_25000).encode(), None),
     args=("regions",))


# ==========================================================================
# The same bytes, split differently, give the same result
# ==========================================================================

SPLIT_SAMPLES = [
    ("ok_length", resp(headers=["X-A: 1", "Connection: keep-alive"]),
     OK_RUNNING),
    ("ok_chunked_ext_trailers",
     C_HEAD + b"a;x=y\r\n" + RUNNING[:10] + b"\r\nA\r\n" + RUNNING[10:] +
     b"\r\n0\r\nX-T: 1\r\n\r\n", OK_RUNNING),
    ("ok_interim_then_200", I100 + b"HTTP/1.1 103 Hints\r\nLink: <x>\r\n\r\n" +
     resp(), OK_RUNNING),
    ("ok_escapes", resp(b'{"status":"\\u0072unning","x":"' + ESC * 3 + b'"}'),
     OK_RUNNING),
    ("api_error_envelope", resp(b'{"code":10112,"msg":"Task not found"}',
                                status="HTTP/1.1 400 Bad Request"),
     (1, None, "API error: HTTP 400, code 10112: Task not found")),
    ("err_length_conflict", resp(headers=["Content-Length: 21"]),
     (5, None, E_HTTP)),
    ("err_folded_header", resp(headers=["X-Foo: a", " b"]), (5, None, E_HTTP)),
    ("err_chunk_missing_crlf", C_HEAD + b"14\r\n" + RUNNING + b"0\r\n\r\n",
     (5, None, E_HTTP)),
    ("err_truncated_json", resp(RUNNING[:-3]), (5, None, E_JSON)),
    ("err_wrong_shape", resp(b'{"status":5}'), (5, None, E_SHAPE)),
    ("err_bad_utf8", resp(b'{"status":"\xe2\x82"}'), (5, None, E_JSON)),
    ("ok_close_delimited", resp(cl=False), OK_RUNNING, [CLOSE]),
    ("err_closed_mid_body", resp()[:-4], (3, None, E_CLOSED), [CLOSE]),
    ("err_closed_mid_chunk", C_HEAD + b"14\r\n" + RUNNING[:12], (3, None, E_CLOSED),
     [CLOSE]),
    ("ok_wanted_headers", resp(headers=[
        "Connection: keep-alive", "Date: Mon, 01 Jan 2024 00:00:00 GMT",
        "Retry-After: 5", "X-Other: 1"]), OK_RUNNING),
    ("ok_framing_lookalikes", resp(headers=[
        "X-Content-Length: 999", "Content-Lengthy: 999", "Content-Lengt: 1",
        "Transfer-Encodings: gzip", "Connection-Close: close"]), OK_RUNNING),
    ("api_error_503_retry_after", resp(
        b'{"code":503,"msg":"busy"}', status="HTTP/1.1 503 Busy",
        headers=["Retry-After: 1", "Date: Mon, 01 Jan 2024 00:00:00 GMT"]),
     (1, None, "API error: HTTP 503, code 503: busy")),
    ("err_space_before_colon", resp(headers=["X-A: 1", "X-Foo : bar"]),
     (5, None, E_HTTP)),
    ("err_nul_in_value", resp(headers=["X-A: 1", "X-Foo: a\x00b"]),
     (5, None, E_HTTP)),
    ("err_bare_lf_in_field", resp(headers=["X-Foo: a\nX-Bar: b"]),
     (5, None, E_HTTP)),
    ("ok_1000_fields", resp(headers=["X-H%d: v" % i for i in range(1000)]),
     OK_RUNNING),
    ("ok_head_exactly_16384", head_of_size(16384), OK_RUNNING),
    ("err_head_16385", head_of_size(16385), (5, None, E_HSIZE)),
    ("err_2500_fields", resp(headers=["X-H%d: v" % i for i in range(2500)]),
     (5, None, E_HSIZE)),
]


def splits_of(data, seed):
    """Random piece sizes covering data (fixed seed); larger pieces for
    large data."""
    rnd = random.Random(seed)
    if len(data) <= SMALL:
        choice = [1, 1, 2, 3, 5, 8, 13, 40, 100]
    else:
        choice = [1, 2, 13, 64, 700, 1500, 4096]
    sizes, left = [], len(data)
    while left > 0:
        n = min(left, rnd.choice(choice))
        sizes.append(n)
        left -= n
    return sizes


SMALL = 2000     # up to this size, a variant sends one byte at a time


def variants_of(data):
    """(name, send options): whole, random pieces (seeds 1, 2, 3), and one
    byte at a time; for large data, one byte at a time over the last 64
    bytes of the head and what follows, and cuts around the tool's 16 KiB
    header limit."""
    v = [("whole", {})]
    v += [("seed%d" % s, {"split": splits_of(data, s), "delay_ms": 1})
          for s in (1, 2, 3)]
    if len(data) <= SMALL:
        v.append(("bytewise", {"trickle": 1, "delay_ms": 1}))
        return v
    end = data.find(b"\r\n\r\n")
    start = max(0, (end + 4 if end >= 0 else 16384) - 64)
    start = min(start, len(data) - 1)
    v.append(("bytewise_tail", {"split": [start] + [1] * min(
        len(data) - start, 600), "delay_ms": 1}))
    for cut in (16383, 16384, 16385):
        if cut < len(data):
            v.append(("cut%d" % cut, {"split": [cut], "delay_ms": 1}))
    return v


def split_check(tag, data, want, after=()):
    def fn(h):
        variants = variants_of(data)
        seen = []
        for vname, kw in variants:
            r = h.run(scenario(answer(data, *after, **kw)))
            seen.append((vname, r))
        if EXPLORE:
            return seen[0][1]
        rc, out, err = want
        for vname, r in seen:
            try:
                expect(r, rc, out, err)
            except Fail as e:
                raise Fail("%s: %s" % (vname, e))
        first = seen[0][1]
        for vname, r in seen[1:]:
            need((r.rc, r.out, r.err) == (first.rc, first.out, first.err),
                 "%s differs from whole: %s vs %s" % (vname, r.why(),
                                                      first.why()))
        return first
    CHECKS.append(("split." + tag, fn))
    WANT["split." + tag] = want


for _sample in SPLIT_SAMPLES:
    split_check(*_sample)


# ==========================================================================
# Connection reuse
# ==========================================================================

TASK = (b'{"id":"' + TID.encode() + b'","status":"finished",'
        b'"created_at":"2025-01-01T00:00:00Z","workflow_id":"' + WF.encode() +
        b'","output":{"string":"the output"},"steps":[]}')
FINISHED = b'{"status":"finished"}'
WAIT = ("wait", TID, "--interval", "0.05")
WAIT_OUT = b"the output\n"


def reuse_case(name, scn, shape, args=WAIT, retries=0, rc=0, out=WAIT_OUT):
    CASES[name] = (scn, dict(args=args, retries=retries))
    WANT[name] = (rc, out, None)

    def fn(h):
        r = h.run(scn, args=args, retries=retries)
        if EXPLORE:
            return r
        conns(r, shape)
        need(r.rc == rc, "expected exit %d: %s" % (rc, r.why()))
        if out is not None:
            need(r.out == out, "stdout: " + r.why())
        return r
    CHECKS.append((name, fn))


# Keep-alive after good answers: three requests on one connection.
reuse_case("reuse.keepalive_three_requests_one_connection",
           scenario([RR, send(resp()), RR, send(resp(FINISHED)), RR,
                     send(resp(TASK))]), [3])
reuse_case("reuse.keepalive_chunked",
           scenario([RR, send(chunked([RUNNING[:5], RUNNING[5:]])), RR,
                     send(chunked([FINISHED])), RR, send(chunked([TASK]))]),
           [3])
reuse_case("reuse.keepalive_after_interim",
           scenario([RR, send(I100 + resp()), RR, send(resp(FINISHED)), RR,
                     send(resp(TASK))]), [3])
reuse_case("reuse.http10_keepalive_header",
           scenario([RR, send(resp(status="HTTP/1.0 200 OK",
                                   headers=["Connection: keep-alive"])), RR,
                     send(resp(FINISHED, status="HTTP/1.0 200 OK",
                               headers=["Connection: Keep-Alive"])), RR,
                     send(resp(TASK))]), [3])
# Answers after which the connection must not carry another request.
reuse_case("reuse.connection_close_header",
           scenario([RR, send(resp(headers=["Connection: close"]))],
                    [RR, send(resp(FINISHED, headers=["Connection: x, Close"]))],
                    [RR, send(resp(TASK))]), [1, 1, 1])
reuse_case("reuse.http10_without_keepalive",
           scenario([RR, send(resp(status="HTTP/1.0 200 OK"))],
                    [RR, send(resp(FINISHED, status="HTTP/1.0 200 OK"))],
                    [RR, send(resp(TASK, status="HTTP/1.0 200 OK"))]),
           [1, 1, 1])
reuse_case("reuse.close_delimited_body",
           scenario([RR, send(resp(cl=False)), CLOSE],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [1, 2])
reuse_case("reuse.extra_bytes_after_body_same_read",
           scenario([RR, send(resp() + b"HTTP/1.1 200 OK\r\n")],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [1, 2])
reuse_case("reuse.extra_bytes_after_chunked_body",
           scenario([RR, send(chunked([RUNNING]) + b"0\r\n\r\n")],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [1, 2])
reuse_case("reuse.extra_bytes_after_body_later",
           scenario([RR, send(resp()), sleep(20), send(b"junk")],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [1, 2],
           args=("wait", TID, "--interval", "0.3"))
# HTTP/1.0 with Transfer-Encoding: RFC 9112 6.1, the recipient "MUST treat
# the message as if the framing is faulty ... and close the connection
# after processing the message", keep-alive or not.
reuse_case("reuse.http10_chunked_keepalive_closed",
           scenario([RR, send(chunked([RUNNING], status="HTTP/1.0 200 OK",
                                      headers=["Connection: keep-alive"]))],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [1, 2])
# The server closes an idle kept-alive connection: a fresh one is opened.
reuse_case("reuse.server_closed_idle_connection",
           scenario([RR, send(resp()), sleep(10), CLOSE],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [1, 2])
# The server takes the next request on a kept-alive connection and drops
# it unanswered: an idempotent request goes out once more on a fresh one,
# even with --retries 0.
reuse_case("reuse.dropped_on_reuse_resent_fresh",
           scenario([RR, send(resp()), RR, CLOSE],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [2, 2])
reuse_case("reuse.reset_on_reuse_resent_fresh",
           scenario([RR, send(resp()), RR, RESET],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [2, 2])
# ... but only once: a fresh connection that fails too is an error.
reuse_case("reuse.dropped_twice_is_an_error",
           scenario([RR, send(resp()), RR, CLOSE], [RR, CLOSE]), [2, 1], rc=3,
           out=b"")
# The server times the kept-alive connection out as the next request comes
# and answers 408 (RFC 9110 15.5.9: the request was not taken): it goes out
# once more on a fresh one, even with --retries 0; a 408 on a fresh
# connection is the answer (exit 1, an API error).
R408 = resp(b"", status="HTTP/1.1 408 Request Timeout",
            headers=["Connection: close"])
reuse_case("reuse.408_on_reuse_resent_fresh",
           scenario([RR, send(resp()), RR, send(R408), CLOSE],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [2, 2])
reuse_case("reuse.408_on_fresh_connection_is_the_answer",
           scenario([RR, send(resp()), RR, send(R408), CLOSE], [RR, send(R408)]),
           [2, 1], rc=1, out=b"")
# After an error the connection is never used again (the retry opens a new
# one; a request on the old one would show in its record).
reuse_case("reuse.after_timeout_retry_new_connection",
           scenario([RR, send(b"HTTP/1.1 200 OK\r\nContent-Le"), sleep(4000)],
                    [RR, send(resp())]), [1, 1], args=STATUS, retries=1,
           out=b"running\n")
reuse_case("reuse.after_close_mid_body_retry_new_connection",
           scenario([RR, send(resp()[:-4]), CLOSE], [RR, send(resp())]),
           [1, 1], args=STATUS, retries=1, out=b"running\n")
reuse_case("reuse.after_503_with_extra_bytes_retry_new_connection",
           scenario([RR, send(resp(b"busy", status="HTTP/1.1 503 Busy",
                                   headers=["Retry-After: 0"]) + b"JUNK")],
                    [RR, send(resp())]), [1, 1], args=STATUS, retries=1,
           out=b"running\n")
reuse_case("reuse.after_timeout_in_wait_new_connection",
           scenario([RR, send(resp()), RR, send(b"HTTP/1.1 200 OK\r\n"),
                     sleep(4000)],
                    [RR, send(resp(FINISHED)), RR, send(resp(TASK))]), [2, 2],
           retries=1)
reuse_case("reuse.after_close_delimited_503_retry_new_connection",
           scenario([RR, send(resp(b"busy", status="HTTP/1.1 503 Busy",
                                   headers=["Retry-After: 0"], cl=False)),
                     CLOSE], [RR, send(resp())]), [1, 1], args=STATUS,
           retries=1, out=b"running\n")
# A malformed answer is not retried: no second request anywhere.
reuse_case("reuse.malformed_503_not_retried",
           scenario([RR, send(resp(b"busy", status="HTTP/1.1 503 Busy",
                                   headers=["Content-Length: 3"]))]), [1],
           args=STATUS, retries=1, rc=5, out=b"")
reuse_case("reuse.after_protocol_error_no_more_requests",
           scenario([RR, send(resp(headers=["Content-Length: 3"]))]), [1],
           retries=2, rc=5, out=b"")
# A well-framed 503 is a complete exchange: the retry may reuse it.
reuse_case("reuse.well_framed_503_keeps_connection",
           scenario([RR, send(resp(b'{"code":503,"msg":"busy"}',
                                   status="HTTP/1.1 503 Busy",
                                   headers=["Retry-After: 0"])),
                     RR, send(resp())]), [2], args=STATUS, retries=1,
           out=b"running\n")


# ==========================================================================
# A few other commands through the same parser
# ==========================================================================

case("other.run_after_100_continue",
     I100 + resp(b'{"id":"' + TID.encode() + b'"}'), (0, TID + "\n", None),
     args=("run", WF), shape=[1])
case("other.regions_chunked_one_byte",
     scenario([RR, send(chunked([b'[{"code":"US","name":"United States"},',
                                 b'{"code":"DE","name":"Germany"}]']),
                        trickle=1, delay_ms=1)]),
     (0, b"US\tUnited States\nDE\tGermany\n", None), args=("regions",))
# the task id is printed alone on the first line: one holding control
# characters (an escape sequence) is refused, not shown; profile_id is
# cleaned like every other field
case("other.run_id_with_control_refused",
     resp(b'{"id":"164\\u001b]0;x\\u0007\\u001b[2J29"}'),
     (5, None, "unexpected answer"), args=("run", WF))
case("other.run_wait_id_with_control_refused",
     resp(b'{"id":"164\\u001b[2J29"}'), (5, None, "unexpected answer"),
     args=("run", WF, "--wait"), shape=[1])
case("other.run_profile_id_cleaned",
     resp(b'{"id":"' + TID.encode() + b'","profile_id":"p\\u001b[2Jq"}'),
     (0, TID + "\nprofile_id: p [2Jq\n", None), args=("run", WF))
# an output string holding NUL bytes is printed whole by get, as by wait
case("other.get_output_with_nul_whole",
     resp(TASK.replace(b'"the output"', b'"a\\u0000b\\u0000c"')),
     (0, b"id: " + TID.encode() + b"\nstatus: finished\nworkflow_id: " +
      WF.encode() + b"\ncreated_at: 2025-01-01T00:00:00Z\n"
      b"output: a\x00b\x00c\nsteps: 0\n", None), args=("get", TID))
case("other.regions_wrong_shape", resp(b'{"code":"US"}'), (5, None, E_SHAPE),
     args=("regions",))
# a bad element after good ones: the whole list is read before its first
# line is printed, so nothing reaches stdout
case("other.regions_bad_element_prints_nothing",
     resp(b'[{"code":"US","name":"United States"},5]'), (5, None, E_SHAPE),
     args=("regions",))
# with --json and no --wait the answer is printed as received, unjudged
case("other.run_json_id_with_control_as_received",
     resp(b'{"id":"164\\u001b[2J29"}'), (0, b'{"id":"164\\u001b[2J29"}', None),
     args=("run", WF), g=("--json",))
# a space is no control character: such an id is printed as it came
case("other.run_id_with_space_printed", resp(b'{"id":"164 29"}'),
     (0, b"164 29\n", None), args=("run", WF))


# The run request's connection closes unanswered; list-tasks (its Date and
# the item's created_at the same second) shows a task of this workflow with
# no inputs: it is adopted, and --json prints {"id":...} with the id escaped
# for JSON, as the lost answer would have had it.
ADOPT_ID = b'a\\\\b\\"c'   # the JSON text a\\b\"c: the id a\b"c
WANT["other.run_json_adopted_id_escaped"] = (0, None, None)


@check("other.run_json_adopted_id_escaped")
def _(h):
    page = (b'{"page":1,"limit":2,"total_pages":1,"total_count":1,"items":'
            b'[{"id":"' + ADOPT_ID + b'","status":"created","workflow_id":"' +
            WF.encode() + b'","created_at":"2025-12-01T00:00:00Z",'
            b'"input_parameters":""}]}')
    r = h.run(scenario([RR, CLOSE], answer(resp(
        page, headers=["Date: Mon, 01 Dec 2025 00:00:00 GMT"]))),
        args=("run", WF), g=("--json",))
    expect(r, 0, b'{"id":"' + ADOPT_ID + b'"}\n', "adopted", single=False)
    got = json.loads(r.out.decode("utf-8"))
    need(got == {"id": 'a\\b"c'}, "stdout as JSON: %r" % (got,))
    conns(r, [1, 1])   # the run request once, then list-tasks
    return r


# The run request's connection closes unanswered; every list-tasks page is
# 2 MiB of items of this workflow, made since the request, with other
# inputs: none is adopted, all 16 pages are read, and the call cannot tell.
# Each item's strings are found among the answer's tokens by halving, not
# by a scan from the answer's first, or the pages take about 20 s of CPU
# between them (quadratic in the items of a page).
REC_ITEM = (b'{"id":"1","status":"created","workflow_id":"' + WF.encode() +
            b'","created_at":"2025-12-01T00:00:00Z","input_parameters":"q=2"}')
REC_PAGE = b'{"items":[' + b",".join(
    [REC_ITEM] * ((2 * 1024 * 1024 - 12) // (len(REC_ITEM) + 1))) + b']}'
assert len(REC_PAGE) <= 2 * 1024 * 1024
REC_SCN = scenario([RR, CLOSE])
REC_SCN["default"] = answer(resp(REC_PAGE, headers=[
    "Date: Mon, 01 Dec 2025 00:00:00 GMT", "Connection: close"]), CLOSE)
case("other.run_reconcile_2mib_pages_linear", REC_SCN, (3, None, E_CLOSED),
     args=("run", WF, "-p", "q=1"), shape=[1] * 17, max_s=8)


# ==========================================================================
# The table in README.md says what the checks assert
# ==========================================================================

WANT["readme.table_matches_checks"] = (0, None, None)


@check("readme.table_matches_checks")
def _(h):
    import re
    rows = {}
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("| ") or line.startswith("| family"):
                continue
            cells = line.rstrip().rstrip("|").rstrip().split(" | ")
            m = re.search(r"\bexit (\d)", cells[-2] if len(cells) > 1 else "")
            for name in re.findall(r"`([a-z0-9_]+\.[a-z0-9_]+)`", cells[-1]):
                need(name not in rows, "README lists %s twice" % name)
                rows[name] = int(m.group(1)) if m else None
    names = [n for n, _ in CHECKS]
    missing = [n for n in names if n not in rows]
    unknown = [n for n in rows if n not in names]
    need(not missing, "not in README.md: " + " ".join(missing))
    need(not unknown, "README.md lists unknown checks: " + " ".join(unknown))
    wrong = ["%s (README exit %s, check exit %s)" % (n, rows[n], WANT[n][0])
             for n in names if rows[n] != WANT.get(n, (None,))[0]]
    need(not wrong, "README.md and the checks disagree: " + "; ".join(wrong))


# ==========================================================================
# main
# ==========================================================================


def say(line):
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass


def run_one(name, fn):
    srv = POOL.get()
    h = Ctx(srv, LEAKS_ALL or name in LEAK_CHECKS)
    why = None
    res = None
    try:
        res = fn(h)
    except Fail as e:
        why = str(e)
    except Exception as e:  # noqa: BLE001 - a bug in a check
        why = "%s: %s" % (type(e).__name__, e)
    try:
        post_checks(h.runs)
    except Fail as e:
        why = str(e)
    except Exception as e:  # noqa: BLE001
        why = why or "%s: %s" % (type(e).__name__, e)
    if srv.proc.poll() is not None:
        why = why or "the hostile server died"
        try:
            srv = Server(srv.n + 100)
        except Exception:  # noqa: BLE001
            pass
    POOL.put(srv)
    return why, res


def main(argv):
    global BACT, TMP, EXPLORE
    args = argv[1:]
    if not args:
        print("not ok - hostile.setup: usage: test_hostile.py path/to/bact")
        return 1
    BACT = os.path.abspath(args[0])
    picks, listing, jobs = [], False, 6
    i = 1
    while i < len(args):
        if args[i] == "-k" and i + 1 < len(args):
            picks.append(args[i + 1])
            i += 2
        elif args[i] == "-j" and i + 1 < len(args) and args[i + 1].isdigit():
            jobs = max(1, min(32, int(args[i + 1])))
            i += 2
        elif args[i] == "--list":
            listing = True
            i += 1
        elif args[i] == "--explore":
            EXPLORE = True
            i += 1
        else:
            print("not ok - hostile.setup: unknown argument %r" % args[i])
            return 1
    checks = [(n, f) for n, f in CHECKS if not picks or any(p in n for p in picks)]
    if listing:
        for n, _ in checks:
            say("# hostile.%s" % n)
        return 0

    def on_signal(sig, _frame):
        raise SystemExit(128 + sig)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)

    TMP = tempfile.mkdtemp(prefix="bact-hostile-")
    failed = 0
    t0 = time.monotonic()
    try:
        try:
            for n in range(min(jobs, max(1, len(checks)))):
                s = Server(n)
                SERVERS.append(s)
                POOL.put(s)
        except Exception as e:  # noqa: BLE001
            print("not ok - hostile.setup: %s" % short(str(e), 300))
            return 1
        results = {}
        done = threading.Condition()

        work = queue.Queue()
        for item in enumerate(checks):
            work.put(item)

        def drain():
            while True:
                try:
                    idx, (name, fn) = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    out = run_one(name, fn)
                except BaseException as e:  # noqa: BLE001 - never lose one
                    out = ("harness: %s: %s" % (type(e).__name__, e), None)
                with done:
                    results[idx] = out
                    done.notify_all()
        threads = [threading.Thread(target=drain, daemon=True)
                   for _ in range(len(SERVERS))]
        for t in threads:
            t.start()
        give_up = time.monotonic() + SUITE_LIMIT_S
        for idx, (name, _) in enumerate(checks):
            with done:
                while idx not in results and time.monotonic() < give_up:
                    done.wait(1.0)
            why, res = results.get(idx, (
                "not finished within the suite's %d s" % SUITE_LIMIT_S, None))
            if EXPLORE:
                if why is not None:
                    say("# %s: ERROR %s" % (name, short(why, 300)))
                elif res is not None:
                    say("# %s: %s" % (name, res.why()))
                continue
            if why is not None:
                failed += 1
                say("not ok - hostile.%s: %s" % (name, short(why, 500)))
            else:
                say("ok - hostile.%s" % name)
        for t in threads:
            t.join(5)
        say("# %d checks, %d failed, %.1fs (%s)" % (
            len(checks), failed, time.monotonic() - t0, BACT))
    finally:
        for s in SERVERS:
            s.stop()
        # a server restarted after a crash is in the pool, not in SERVERS
        while not POOL.empty():
            s = POOL.get_nowait()
            if s not in SERVERS:
                s.stop()
        shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
