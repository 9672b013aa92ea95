#!/usr/bin/env python3
"""TLS checks of the `bact` tool (docs/CLI.md, exit codes 3 and 4).

    python3 tests/tls/tls_test.py BACT [BACT...]      (use tests/tls/run.sh)

Standard library only. For each binary: https against the mock server with
an ECDSA and an RSA chain, every certificate failure, handshakes with
servers that are not TLS or break off, a TLS 1.0/1.1-only server, stalls,
the SNI sent (none for an IP literal, IPv4 and IPv6),
responses cut short after the handshake with and without close_notify,
resets after the handshake, the client's own close_notify, a record too
big for the client, session resumption, and nginx as a TLS-terminating
reverse proxy. See
README.md for the scenarios and the decided results.

Output: one line per check, "ok - tls.<binary>.<name>" or
"not ok - tls.<binary>.<name>: why" (<binary> is the name of the folder the
binary is in: host, host36, ...); comments start with "# ". Exit 0 only
when every check passed.

Everything listens on 127.0.0.1 (two servers also on ::1) and every bact
run talks to 127.0.0.1 or ::1 only (`localhost` resolves to 127.0.0.1; see
README.md). Every process started here is
stopped on exit, also on SIGTERM/SIGINT; every wait is bounded.

Environment: TLS_PKI_DIR=DIR keeps the generated PKI in DIR (made by
gen_pki.sh, reused when still good) instead of a fresh temporary folder;
TLS_TIMING=1 adds a "# seconds name" line per check; TLS_KEEP=1 keeps the
temporary folder (logs) and prints where it is.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MOCK_PY = os.path.join(ROOT, "tests", "mock", "mock_server.py")
sys.path.insert(0, HERE)
import tls_servers  # noqa: E402

KEY = "tls-SeCrEt-key-4e81b0"          # must never show up on any output
WF_FINISH = "16217357109956214"
TPL_REVIEWS = "77638424152140851"
V2 = "/v2/workflow/"
CREATED_MS, RUN_MS = 100, 200
PROC_TIMEOUT_S = 20                    # a bact run longer than this = hang
TIMEOUT_MS = 500                       # --timeout of the stall checks
STALL_LIMIT_S = TIMEOUT_MS / 1000.0 + 0.4   # ... and how long they may take
FLOOD_LIMIT_S = 4 * TIMEOUT_MS / 1000.0 + 1.5  # a handshake: 4 x --timeout

TMP = None
PKI = None
CHILDREN = []                          # Popen objects to stop on exit
RESULTS = {"pass": 0, "fail": 0}


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def need(cond, why):
    if not cond:
        raise Fail(why)


def short(b, n=200):
    if isinstance(b, bytes):
        b = b.decode("utf-8", "replace")
    b = b.replace(KEY, "<key>").replace("\n", "\\n").replace("\r", "\\r")
    return b if len(b) <= n else b[:n] + "..."


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def check(name, fn):
    t0 = time.monotonic()
    try:
        fn()
    except Skip as e:
        RESULTS["pass"] += 1
        emit("ok - tls.%s # SKIP %s" % (name, short(str(e))))
    except Fail as e:
        RESULTS["fail"] += 1
        emit("not ok - tls.%s: %s" % (name, short(str(e), 600)))
    except Exception as e:      # a bug in the suite or its setup
        RESULTS["fail"] += 1
        emit("not ok - tls.%s: suite error %s: %s" % (name, type(e).__name__,
                                                       short(str(e), 400)))
    else:
        RESULTS["pass"] += 1
        emit("ok - tls.%s" % name)
    if os.environ.get("TLS_TIMING"):
        emit("# %.2f %s" % (time.monotonic() - t0, name))


# --------------------------------------------------------------------------
# Child processes
# --------------------------------------------------------------------------


def _die_with_parent():
    """preexec_fn: SIGTERM the child when this process dies (Linux)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)          # PR_SET_PDEATHSIG
    except Exception:
        pass


def spawn(argv, log):
    fh = open(log, "wb")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=fh,
                         stderr=subprocess.STDOUT, cwd=ROOT,
                         preexec_fn=_die_with_parent)
    fh.close()
    CHILDREN.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def stop_all():
    for p in reversed(CHILDREN):
        try:
            stop(p)
        except Exception:
            pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, limit_s=10.0):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False


def tail(path, n=300):
    try:
        with open(path, "rb") as fh:
            return short(fh.read()[-n:])
    except OSError:
        return ""


# --------------------------------------------------------------------------
# The mock
# --------------------------------------------------------------------------


class Mock:
    def __init__(self, name, chain=None, key=None, root=None):
        self.name = name
        self.tls = chain is not None
        port_file = os.path.join(TMP, name + ".port")
        self.log = os.path.join(TMP, name + ".stderr")
        argv = [sys.executable, MOCK_PY, "--port", "0", "--port-file",
                port_file, "--api-key", KEY, "--created-ms", str(CREATED_MS),
                "--run-ms", str(RUN_MS)]
        if self.tls:
            argv += ["--tls-cert", os.path.join(PKI, chain),
                     "--tls-key", os.path.join(PKI, key)]
        self.proc = spawn(argv, self.log)
        deadline = time.monotonic() + 15
        self.port = None
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with open(port_file) as fh:
                    txt = fh.read().strip()
                if txt.isdigit():
                    self.port = int(txt)
                    break
            except OSError:
                pass
            time.sleep(0.02)
        if self.port is None:
            raise RuntimeError("mock %s did not start: %s" % (name, tail(self.log)))
        self.ctx = None
        if self.tls:
            self.ctx = ssl.create_default_context(cafile=os.path.join(PKI, root))
        self.url = "%s://127.0.0.1:%d" % ("https" if self.tls else "http",
                                          self.port)

    def http(self, method, path, body=None, auth=False):
        if self.tls:
            conn = http.client.HTTPSConnection("127.0.0.1", self.port,
                                               timeout=10, context=self.ctx)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        hdrs = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if auth:
            hdrs["Authorization"] = "Bearer " + KEY
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def ctl(self, method, what, body=None):
        st, raw = self.http(method, "/_mock/" + what, body)
        if st != 200:
            raise Fail("mock %s: %s /_mock/%s -> %d" % (self.name, method, what, st))
        return json.loads(raw) if raw else None

    def output_of(self, tid):
        st, raw = self.http("GET", V2 + "get-task?task_id=" + tid, auth=True)
        need(st == 200, "get-task %s on mock %s -> %d" % (tid, self.name, st))
        return json.loads(raw)["output"]["string"]

    def new_task(self, query="tls resumption", instant=False):
        params = [{"name": "query", "value": query}]
        if instant:
            params += [{"name": "_mock_created_ms", "value": "0"},
                       {"name": "_mock_run_ms", "value": "0"}]
        st, raw = self.http("POST", V2 + "run-task",
                            {"workflow_id": WF_FINISH, "input_parameters": params},
                            auth=True)
        need(st == 200, "run-task on mock %s -> %d" % (self.name, st))
        return json.loads(raw)["id"]


# --------------------------------------------------------------------------
# nginx
# --------------------------------------------------------------------------


NGINX_CONF = """\
worker_processes 1;
error_log {tmp}/error.log warn;
pid {tmp}/nginx.pid;
{user}
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream mock {{
        server 127.0.0.1:{upstream};
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {pki}/ec-chain.pem;
        ssl_certificate_key {pki}/ec-leaf.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {{
            proxy_pass http://mock;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_connect_timeout 5s;
            proxy_read_timeout 10s;
        }}
    }}
}}
"""


def find_nginx():
    for c in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if c and os.access(c, os.X_OK):
            return c
    return None


class Nginx:
    """nginx in front of the plain mock, or .skip = why not."""

    def __init__(self, upstream):
        self.skip = None
        self.proc = None
        exe = find_nginx()
        if exe is None:
            if os.geteuid() == 0 and shutil.which("apt-get"):
                env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
                try:
                    subprocess.run(["apt-get", "install", "-y", "-q",
                                    "nginx-light"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env,
                                   timeout=300)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                exe = find_nginx()
            if exe is None:
                self.skip = ("nginx is not installed (and could not be: "
                             "needs root and apt-get install nginx-light)")
                return
        d = os.path.join(TMP, "nginx")
        os.makedirs(d, exist_ok=True)
        last = ""
        for _ in range(3):
            port = free_port()
            conf = os.path.join(d, "nginx.conf")
            with open(conf, "w") as fh:
                fh.write(NGINX_CONF.format(
                    tmp=d, pki=PKI, port=port, upstream=upstream,
                    user="user root;" if os.geteuid() == 0 else ""))
            p = spawn([exe, "-p", d, "-c", conf, "-e", os.path.join(d, "error.log"),
                       "-g", "daemon off;"], os.path.join(d, "stderr.log"))
            if wait_port(port, p, 10):
                self.proc, self.port = p, port
                self.url = "https://127.0.0.1:%d" % port
                return
            stop(p)
            last = tail(os.path.join(d, "error.log")) or tail(os.path.join(d, "stderr.log"))
        raise RuntimeError("nginx did not start: " + last)


# --------------------------------------------------------------------------
# Running bact
# --------------------------------------------------------------------------


class Result:
    def __init__(self, argv, rc, out, err, dt):
        self.argv, self.rc, self.out, self.err, self.dt = argv, rc, out, err, dt
        self.err_lines = [ln for ln in err.decode("utf-8", "replace").split("\n")
                          if ln.strip()]

    def why(self):
        return "exit %s in %.2fs, stdout %r, stderr %r" % (
            self.rc, self.dt, short(self.out, 120), short(self.err, 300))


def clean_env():
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("BROWSERACT_") or k.lower().endswith("_proxy"):
            del env[k]
    env["NO_PROXY"] = env["no_proxy"] = "*"
    if "detect_leaks" not in env.get("ASAN_OPTIONS", ""):
        env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    return env


class Bact:
    def __init__(self, path, tag):
        self.path, self.tag = path, tag

    def run(self, base, *args, ca="ec-root.pem", g=(), timeout=PROC_TIMEOUT_S):
        argv = [self.path, "--base-url", base, "--api-key", KEY]
        if ca is not None:
            argv += ["--ca-file", ca if os.path.isabs(ca) else os.path.join(PKI, ca)]
        argv += list(g) + list(args)
        t0 = time.monotonic()
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=clean_env(),
                               timeout=timeout)
            r = Result(argv, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
        except subprocess.TimeoutExpired as e:
            r = Result(argv, "hang", e.stdout or b"", e.stderr or b"",
                       time.monotonic() - t0)
        # invariants of every run
        if r.rc == "hang":
            raise Fail("no exit within %ds (hang): %s" % (timeout, r.why()))
        if r.rc < 0:
            raise Fail("killed by signal %d: %s" % (-r.rc, r.why()))
        if b"Sanitizer" in r.err or b"runtime error:" in r.err:
            raise Fail("sanitizer report: " + r.why())
        if KEY.encode() in r.out or KEY.encode() in r.err:
            raise Fail("the API key is on the output")
        return r


def expect_ok(r, want_out=None, what="stdout"):
    need(r.rc == 0, "expected exit 0: " + r.why())
    if want_out is not None and r.out != want_out:
        raise Fail("%s: expected %r, got %r" % (what, short(want_out, 150),
                                                short(r.out, 150)))


def expect_fail(r, codes, pattern, max_s=None):
    """A failing run: exit in codes, empty stdout, exactly one stderr line
    matching pattern (case-insensitive), within max_s seconds."""
    need(r.rc in codes, "expected exit %s: %s" % (
        " or ".join(str(c) for c in codes), r.why()))
    need(r.out == b"", "stdout not empty: " + r.why())
    need(len(r.err_lines) == 1, "expected one stderr line, got %d: %s" % (
        len(r.err_lines), r.why()))
    need(re.search(pattern, r.err_lines[0], re.I) is not None,
         "stderr does not match /%s/i: %s" % (pattern, short(r.err_lines[0])))
    if max_s is not None:
        need(r.dt <= max_s, "took %.2fs, limit %.2fs" % (r.dt, max_s))


# --------------------------------------------------------------------------
# The checks of one binary
# --------------------------------------------------------------------------


READ_CMDS = (("workflows",), ("workflow", WF_FINISH), ("templates",),
             ("template", TPL_REVIEWS), ("regions",))

# What one stderr line must say, per failure (loose but specific).
REASONS = {
    "wrongname": r"name|host|match|not valid for",
    "expired": r"expired",
    "future": r"not (yet )?valid|future|not before",
    "selfsigned": r"self.?signed|untrusted|not trusted|trust|unknown (ca|issuer)|issuer",
    "untrusted": r"untrusted|not trusted|trust|unknown (ca|issuer)|issuer",
    "wrong_anchor": r"untrusted|not trusted|trust|unknown (ca|issuer)|issuer",
    "dnsip": r"name|host|match|not valid for",
    "cnip": r"name|host|match|not valid for",
}
# The servers of one certificate failure each, reached as 127.0.0.1. dnsip
# and cnip name the address only as text (a dNSName, the CN): an IP host
# matches an iPAddress entry alone (RFC 6125 6.2.1).
CERT_FAILURES = ("wrongname", "expired", "future", "selfsigned", "untrusted",
                 "dnsip", "cnip")
HANDSHAKE_RE = r"handshake|not (a )?tls|record|protocol|malformed|unexpected|invalid"
CLOSED_RE = r"clos|eof|reset|end of|disconnect"
VERSION_RE = r"version|protocol|1\.[01]"
TIMEOUT_RE = r"time.?out|timed out"
SHORT_RE = r"clos|truncat|short|early|incomplete|eof|end of|close_notify|cut"
RESET_RE = r"network error|reset|clos"
TOO_BIG_RE = r"record (larger|too (big|large))"


def suite(b, env):
    tag = b.tag
    plain, ec, rsa, srv, ngx = (env["plain"], env["ec"], env["rsa"],
                                env["srv"], env["nginx"])

    def c(name, fn):
        check("%s.%s" % (tag, name), fn)

    # Reference outputs: the same binary over plain http against the same
    # seeded data.
    ref = {}
    for cmd in READ_CMDS:
        try:
            r = b.run(plain.url, *cmd, ca=None)
            ref[cmd] = r.out if r.rc == 0 else None
        except Fail:
            ref[cmd] = None

    def same_as_ref(r, cmd):
        need(ref[cmd] is not None, "the reference run over http failed")
        expect_ok(r, ref[cmd], "stdout (vs the same command over http)")

    # ---- success -----------------------------------------------------------

    for chain, m, root in (("ecdsa", ec, "ec-root.pem"), ("rsa", rsa, "rsa-root.pem")):
        for cmd in READ_CMDS:
            c("%s.%s" % (chain, cmd[0]),
              lambda m=m, root=root, cmd=cmd: same_as_ref(
                  b.run(m.url, *cmd, ca=root), cmd))

        def run_wait(m=m, root=root):
            r = b.run(m.url, "run", WF_FINISH, "-p", "query=tls run",
                      "--wait", "--interval", "0.05", ca=root)
            need(r.rc == 0, "expected exit 0: " + r.why())
            lines = r.out.decode("utf-8", "replace").split("\n", 1)
            need(re.match(r"^\d+$", lines[0]) is not None,
                 "first line is not a task id: " + r.why())
            want = "%s\n%s\n" % (lines[0], m.output_of(lines[0]))
            expect_ok(r, want.encode("utf-8"))
        c("%s.run_wait" % chain, run_wait)

        def large_response(m=m, root=root):
            # a 40 KB output string: the get-task answer spans several full
            # 16 KB TLS records
            query = "".join("%05d-0123456789abcdef-" % i for i in range(2000))
            tid = m.new_task(query=query, instant=True)
            r = b.run(m.url, "wait", tid, "--interval", "0.05", ca=root)
            out = m.output_of(tid)
            need(len(out) > 40000, "setup: output only %d bytes" % len(out))
            expect_ok(r, (out + "\n").encode("utf-8"))
        c("%s.large_response" % chain, large_response)

        c("%s.localhost" % chain, lambda m=m, root=root: same_as_ref(
            b.run("https://localhost:%d" % m.port, "workflows", ca=root),
            ("workflows",)))
        c("%s.combined_trust_file" % chain, lambda m=m: same_as_ref(
            b.run(m.url, "regions", ca="roots.pem"), ("regions",)))

    # ---- certificate failures (exit 4, no retry) ----------------------------

    before = dict(srv.conns)
    for name in CERT_FAILURES:
        url = "https://127.0.0.1:%d" % srv.ports[name]
        c("cert.%s" % name, lambda url=url, name=name: expect_fail(
            b.run(url, "workflows", ca="roots.pem", g=("--retries", "2")),
            (4,), REASONS[name]))

    def not_retried():
        bad = ["%s: %d" % (n, srv.conns[n] - before[n])
               for n in CERT_FAILURES if srv.conns[n] - before[n] != 1]
        need(not bad, "connections per run with --retries 2 (want 1): " + ", ".join(bad))
    c("cert.failures_not_retried", not_retried)

    c("cert.control_good_chain", lambda: same_as_ref(b.run(
        "https://127.0.0.1:%d" % srv.ports["good"], "workflows", ca="roots.pem"),
        ("workflows",)))
    c("cert.wrongname_localhost", lambda: expect_fail(
        b.run("https://localhost:%d" % srv.ports["wrongname"], "workflows",
              ca="roots.pem", g=("--retries", "0")), (4,), REASONS["wrongname"]))

    # ---- SNI: a host name is sent, an IP literal is not (RFC 6066 3) --------

    def sni(host, want):
        srv.take_sni()
        r = b.run("https://%s:%d" % (host, srv.ports["sni"]), "workflows",
                  ca="roots.pem", g=("--retries", "0"))
        same_as_ref(r, ("workflows",))
        got = srv.take_sni()
        need(got == [want], "server_name received: %r, expected [%r]" % (
            got, want))
    c("sni.ip_literal_sends_none", lambda: sni("127.0.0.1", None))
    c("sni.host_name_sent", lambda: sni("localhost", "localhost"))
    # "127.1" is 127.0.0.1 to the resolver: an IP literal, checked against
    # the leaf's IP:127.0.0.1 and not sent
    c("sni.ip_short_form_sends_none", lambda: sni("127.1", None))

    # ---- IPv6 literal: https://[::1] (where the machine has ::1) ------------

    def ipv6(name, ok):
        if name not in srv.ports:
            raise Skip("no ::1 here")
        srv.take_sni()
        r = b.run("https://[::1]:%d" % srv.ports[name], "workflows",
                  ca="roots.pem", g=("--retries", "0"))
        if not ok:
            expect_fail(r, (4,), REASONS["wrongname"])
            return
        same_as_ref(r, ("workflows",))
        got = srv.take_sni()
        need(got == [None], "server_name received: %r, expected [None]" % got)
    # the ip6 leaf has IP:::1: verified, and no SNI
    c("ipv6.ip_san_no_sni", lambda: ipv6("sni6", True))
    # the RSA leaf's only address is 127.0.0.1: not ::1
    c("ipv6.other_address_refused", lambda: ipv6("rsa6", False))

    c("cert.wrong_anchor", lambda: expect_fail(
        b.run(ec.url, "workflows", ca="rsa-root.pem", g=("--retries", "0")),
        (4,), REASONS["wrong_anchor"]))

    def ca_file_bad(path):
        r = b.run(ec.url, "workflows", ca=path, g=("--retries", "0"))
        need(r.rc in (2, 4), "expected exit 2 or 4: " + r.why())
        need(r.out == b"" and len(r.err_lines) == 1,
             "expected empty stdout and one stderr line: " + r.why())
    c("ca_file.missing", lambda: ca_file_bad(os.path.join(TMP, "no-such-ca.pem")))
    c("ca_file.not_pem", lambda: ca_file_bad(os.path.join(TMP, "not-a-ca.pem")))

    # ---- handshake failures (exit 4) ---------------------------------------

    def hs(name, pattern):
        url = "https://127.0.0.1:%d" % srv.ports[name]
        c("handshake.%s" % name, lambda: expect_fail(
            b.run(url, "workflows", ca="roots.pem", g=("--retries", "0")),
            (4,), pattern, max_s=5))
    hs("garbage", HANDSHAKE_RE)
    hs("badrecord", HANDSHAKE_RE)
    hs("http", HANDSHAKE_RE)
    hs("alert", r"alert|handshake fail")
    # the alert's description read from a record header that came whole,
    # and from one that came in two pieces
    hs("alertver", r"no common protocol version")
    hs("alertsplit", r"no common protocol version")
    hs("hsclose", CLOSED_RE)
    hs("hsreset", CLOSED_RE)
    hs("hscut", CLOSED_RE)
    hs("tls11", r"alert|version|protocol|handshake")
    hs("tls11hello", VERSION_RE)

    def stall():
        url = "https://127.0.0.1:%d" % srv.ports["stall"]
        r = b.run(url, "workflows", ca="roots.pem",
                  g=("--timeout", str(TIMEOUT_MS), "--retries", "0"))
        if r.rc in (3, 4):
            emit("# %s: handshake stall -> exit %d after %.2fs: %s" % (
                tag, r.rc, r.dt, short(r.err_lines[0] if r.err_lines else "", 120)))
        # The server is silent from the ClientHello on: --timeout is an
        # inactivity limit, so the run ends --timeout after it (plus slack
        # for process start-up).
        expect_fail(r, (3, 4), TIMEOUT_RE, max_s=STALL_LIMIT_S)
    c("handshake.stall_timeout", stall)

    def alert_flood():
        # warning alerts in clear, sent on for 15 s: each is a byte moving,
        # none ends the handshake; it still ends by 4 x --timeout
        url = "https://127.0.0.1:%d" % srv.ports["alertflood"]
        r = b.run(url, "workflows", ca="roots.pem",
                  g=("--timeout", str(TIMEOUT_MS), "--retries", "0"))
        expect_fail(r, (3, 4), TIMEOUT_RE, max_s=FLOOD_LIMIT_S)
    c("handshake.warning_alert_flood", alert_flood)

    def stall_after_handshake():
        ec.ctl("POST", "fault", {"kind": "slow", "delay_ms": 3000, "count": 1})
        try:
            r = b.run(ec.url, "workflows", ca="ec-root.pem",
                      g=("--timeout", str(TIMEOUT_MS), "--retries", "0"))
        finally:
            ec.ctl("DELETE", "fault")
        if r.rc == 3:
            emit("# %s: response stall -> exit 3 after %.2fs" % (tag, r.dt))
        expect_fail(r, (3,), TIMEOUT_RE, max_s=STALL_LIMIT_S)
    c("response.stall_timeout", stall_after_handshake)

    # ---- after the handshake: short and close-delimited bodies -------------

    def body(name, codes, pattern=None):
        url = "https://127.0.0.1:%d" % srv.ports[name]
        r = b.run(url, "workflows", ca="ec-root.pem", g=("--retries", "0"))
        if codes == (0,):
            same_as_ref(r, ("workflows",))
        else:
            expect_fail(r, codes, pattern, max_s=5)
    c("response.content_length_short_no_close_notify",
      lambda: body("cl-short-noclose", (3,), SHORT_RE))
    c("response.content_length_short_close_notify",
      lambda: body("cl-short-notify", (3,), SHORT_RE))
    c("response.close_delimited_no_close_notify",
      lambda: body("eof-noclose", (3,), SHORT_RE))
    c("response.close_delimited_close_notify",
      lambda: body("eof-notify", (0,)))
    # two empty records in a row (mbedtls_ssl_read returns 0 for them, as
    # for an EOF) are neither data nor the end
    c("response.two_empty_records", lambda: body("empty2", (0,)))

    # ---- a kept-alive connection spoilt between two calls -------------------

    def handshakes(r):
        return [ln for ln in r.err_lines if re.search(r"TLS: handshake", ln)]

    def afterword(name, resumed=None, retries=0):
        url = "https://127.0.0.1:%d" % srv.ports[name]
        srv.after_reset(name[len("after-"):])
        before = srv.conns[name]
        r = b.run(url, "wait", tls_servers.AFTER_TID, "--interval", "0.3",
                  g=("--retries", str(retries), "-v"))
        expect_ok(r, b"the output\n")
        need(srv.conns[name] - before == 2,
             "expected 2 connections, got %d" % (srv.conns[name] - before))
        if resumed is None:
            return
        # the session of the first connection: kept after a close or a
        # reset, forgotten after a fatal alert (RFC 5246 7.2.1, 7.2.2)
        hs = handshakes(r)
        need(len(hs) == 2 and ("resumed" in hs[1]) == resumed,
             "expected the second handshake %s: %s" % (
                 "resumed" if resumed else "full", short(" | ".join(hs), 300)))
    c("reuse.close_notify_while_idle",
      lambda: afterword("after-notify", resumed=True))
    c("reuse.fin_while_idle", lambda: afterword("after-fin", resumed=True))
    c("reuse.reset_while_idle", lambda: afterword("after-rst", resumed=True))
    c("reuse.unasked_answer_while_idle", lambda: afterword("after-record"))
    c("reuse.fatal_alert_while_idle_not_resumed",
      lambda: afterword("after-alert", resumed=False))
    # part of a record nobody asked for: the connection is not idle
    c("reuse.partial_record_while_idle", lambda: afterword("after-partial"))

    # ---- a reset after the handshake: a network error, the session kept ----

    def reset_reading(retries):
        # the first connection reads the status poll, sends a quarter of
        # the answer's head and resets; later ones answer
        if retries:
            # retried (a GET), on a second connection that resumes the
            # session of the first: a reset is no TLS error
            afterword("after-midrst", resumed=True, retries=retries)
            return
        srv.after_reset("midrst")
        r = b.run("https://127.0.0.1:%d" % srv.ports["after-midrst"], "wait",
                  tls_servers.AFTER_TID, "--interval", "0.05",
                  g=("--retries", "0"))
        expect_fail(r, (3,), RESET_RE, max_s=5)
    c("reset.while_reading_network_error", lambda: reset_reading(0))
    c("reset.while_reading_retried_resumed", lambda: reset_reading(1))

    # 1.2 MB of parameters: the server's reset, right after the handshake,
    # comes while the request is being written
    big = []
    for i in range(12):
        big += ["-p", "q%d=%s" % (i, "x" * 100000)]

    def reset_sending(verbose):
        url = "https://127.0.0.1:%d" % srv.ports["sendrst"]
        r = b.run(url, "run", WF_FINISH, *big,
                  g=("--retries", "0") + (("-v",) if verbose else ()))
        if not verbose:
            expect_fail(r, (3,), RESET_RE, max_s=5)
            return
        # run-task's answer is lost, so the tool asks list-tasks on a new
        # connection: it resumes the session (TLS 1.2; TLS 1.3 has sent no
        # ticket before the reset that the client read)
        need(r.rc == 3, "expected exit 3: " + r.why())
        hs = handshakes(r)
        need(len(hs) == 2, "expected 2 handshakes: " + short(" | ".join(hs), 300))
        if "TLSv1.2" in hs[0]:
            need("resumed" in hs[1], "expected the second handshake resumed: "
                 + short(" | ".join(hs), 300))
        else:
            emit("# %s: reset while sending: %s, no ticket yet, not resumed"
                 % (tag, short(hs[0], 80)))
    c("reset.while_sending_network_error", lambda: reset_sending(False))
    c("reset.while_sending_session_kept", lambda: reset_sending(True))

    # ---- close_notify from the client when it closes ------------------------

    def closes(name, want):
        srv.take_closes()
        r = b.run("https://127.0.0.1:%d" % srv.ports[name], "workflows",
                  g=("--retries", "0"))
        same_as_ref(r, ("workflows",))
        deadline = time.monotonic() + 3
        got = srv.take_closes()
        while not got and time.monotonic() < deadline:
            time.sleep(0.02)
            got = srv.take_closes()
        need(got == [want], "the server saw the client close with %r, "
             "expected [%r]" % (got, want))
    # after an answer with Connection: close, and at the tool's exit for a
    # kept-alive one
    c("close_notify.after_connection_close",
      lambda: closes("closewatch-close", "close_notify"))
    c("close_notify.at_exit", lambda: closes("closewatch-keep", "close_notify"))

    # ---- a record larger than the client's input buffer ---------------------

    c("response.record_too_big", lambda: body("bigrecord", (4,), TOO_BIG_RE))
    # the same header with type 24, no content type: not a record too big
    # for the buffer (no record of TLS's), a protocol error
    c("response.unknown_type_big_record_protocol_error",
      lambda: body("bigrecord24", (4,), r"TLS: protocol error"))

    # ---- resumption ---------------------------------------------------------

    def resumption():
        ec.ctl("POST", "config", {"close": True})
        try:
            tid = ec.new_task()
            r = b.run(ec.url, "wait", tid, "--interval", "0.05", g=("-v",))
        finally:
            ec.ctl("POST", "config", {"close": False})
        need(r.rc == 0, "expected exit 0: " + r.why())
        hs_lines = [ln for ln in r.err_lines if re.search(r"handshake", ln, re.I)]
        resumed = [ln for ln in hs_lines if re.search(r"resum", ln, re.I)]
        full = [ln for ln in hs_lines if ln not in resumed]
        polls = len([ln for ln in r.err_lines if "get-task-status" in ln
                     and ln.startswith(("> ", "bact: > "))])
        need(len(hs_lines) >= 3, "expected a handshake line per connection "
             "(>= 3), got %d; stderr: %s" % (len(hs_lines), short(r.err, 400)))
        need(len(full) == 1 and full[0] == hs_lines[0],
             "expected one full handshake, the first, then only resumed ones; "
             "got %d full of %d: %s" % (len(full), len(hs_lines),
                                        short(" | ".join(hs_lines), 400)))
        emit("# %s: resumption: %d handshakes, %d resumed (%d status polls)" % (
            tag, len(hs_lines), len(resumed), polls))
    c("resumption.connection_close_polls", resumption)

    # ---- nginx --------------------------------------------------------------

    if ngx is None or ngx.skip:
        why = ngx.skip if ngx is not None else "nginx did not start"
        check("%s.nginx" % tag, lambda: (_ for _ in ()).throw(Skip(why)))
        return

    for cmd in READ_CMDS + (("tasks",),):
        def via_nginx(cmd=cmd):
            want = b.run(plain.url, *cmd, ca=None)
            need(want.rc == 0, "reference run over http failed: " + want.why())
            r = b.run(ngx.url, *cmd, ca="ec-root.pem")
            expect_ok(r, want.out, "stdout (vs the same command over http)")
        c("nginx.%s" % cmd[0], via_nginx)

    def nginx_run_wait():
        r = b.run(ngx.url, "run", WF_FINISH, "-p", "query=via nginx", "--wait",
                  "--interval", "0.05", ca="ec-root.pem")
        need(r.rc == 0, "expected exit 0: " + r.why())
        tid = r.out.decode("utf-8", "replace").split("\n", 1)[0]
        need(re.match(r"^\d+$", tid) is not None, "first line is not a task id: "
             + r.why())
        expect_ok(r, ("%s\n%s\n" % (tid, plain.output_of(tid))).encode("utf-8"))
    c("nginx.run_wait", nginx_run_wait)
    c("nginx.localhost", lambda: expect_ok(
        b.run("https://localhost:%d" % ngx.port, "regions", ca="roots.pem"),
        ref[("regions",)]))


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def tags_for(paths):
    tags, seen = [], {}
    for p in paths:
        t = os.path.basename(os.path.dirname(os.path.abspath(p))) or "bact"
        t = re.sub(r"[^A-Za-z0-9_-]", "_", t)
        seen[t] = seen.get(t, 0) + 1
        tags.append(t if seen[t] == 1 else "%s_%d" % (t, seen[t]))
    return tags


def main(argv):
    global TMP, PKI
    bins = argv[1:]
    if not bins:
        emit("not ok - tls.setup: usage: tests/tls/run.sh BACT [BACT...]")
        return 1
    for p in bins:
        if not (os.path.isfile(p) and os.access(p, os.X_OK)):
            emit("not ok - tls.setup: '%s' is not an executable file" % p)
            return 1

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    TMP = tempfile.mkdtemp(prefix="bact-tls-")
    env = {"srv": None}
    try:
        PKI = os.environ.get("TLS_PKI_DIR") or os.path.join(TMP, "pki")
        g = subprocess.run([os.path.join(HERE, "gen_pki.sh"), PKI],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
        if g.returncode != 0:
            emit("not ok - tls.setup: gen_pki.sh failed: " + short(g.stdout[-400:]))
            return 1
        PKI = os.path.abspath(PKI)
        with open(os.path.join(TMP, "not-a-ca.pem"), "w") as fh:
            fh.write("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
                     "-----END CERTIFICATE-----\n")
        try:
            env["plain"] = Mock("plain")
            env["ec"] = Mock("ec", "ec-chain.pem", "ec-leaf.key", "ec-root.pem")
            env["rsa"] = Mock("rsa", "rsa-chain.pem", "rsa-leaf.key", "rsa-root.pem")
            st, wf_body = env["plain"].http("GET", V2 + "list-workflows", auth=True)
            if st != 200:
                raise RuntimeError("list-workflows on the plain mock -> %d" % st)
            env["srv"] = tls_servers.Servers(PKI, body=wf_body)
            env["srv"].start_all()
            try:
                env["nginx"] = Nginx(env["plain"].port)
            except RuntimeError as e:
                env["nginx"] = None
                emit("not ok - tls.setup.nginx: %s" % short(str(e), 400))
                RESULTS["fail"] += 1
        except Exception as e:
            emit("not ok - tls.setup: %s: %s" % (type(e).__name__, short(str(e), 400)))
            return 1

        for path, tag in zip(bins, tags_for(bins)):
            b = Bact(os.path.abspath(path), tag)
            try:
                probe = b.run(env["ec"].url, "regions", ca="ec-root.pem")
            except Fail:
                probe = None        # the checks below will say what is wrong
            if probe is not None and probe.rc == 4 and re.search(r"not supported", probe.err.decode(
                    "utf-8", "replace"), re.I):
                emit("not ok - tls.%s.https_supported: %s" % (tag, short(
                    probe.err_lines[0] if probe.err_lines else "", 200)))
                RESULTS["fail"] += 1
                continue
            suite(b, env)
    finally:
        if env.get("srv") is not None:
            env["srv"].stop_all()
        stop_all()
        if os.environ.get("TLS_KEEP"):
            emit("# kept %s" % TMP)
        else:
            shutil.rmtree(TMP, ignore_errors=True)

    emit("# tls: %d passed, %d failed" % (RESULTS["pass"], RESULTS["fail"]))
    return 0 if RESULTS["fail"] == 0 and RESULTS["pass"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
