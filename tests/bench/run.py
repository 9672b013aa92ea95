#!/usr/bin/env python3
"""make bench: status polls through bact, curl and wrk against nginx.

Everything runs on 127.0.0.1. nginx (one worker, generated config and
certificates in a temporary directory) serves a fixed get-task-status answer
with keep-alive over http and https, plus an https server that closes after
every answer (for the handshake figures). Measured, per protocol:

  throughput    N sequential polls on one connection: build/bench/poll_bench
                (the library, POSIX port, mbedTLS for https), curl (one
                process, N URLs from a --config file, so one connection), and
                wrk -t1 -c1 for a fixed time (the ceiling for one connection).
                Median of --reps interleaved runs.
  instructions  client-side, valgrind --tool=callgrind: (Ir(2n) - Ir(n)) / n,
                which cancels start-up, connect and handshake; for bact
                counted inside poll_bench's poll loop only, since the
                handshake's own cost varies between runs.
  bytes         on the wire per poll, request and response (headers, and for
                https the TLS records), counted by a TCP relay in this
                script that all three clients go through: (bytes(2m) -
                bytes(m)) / m for bact and curl, bytes / requests for wrk.
  handshakes    per 100 polls over https: keep-alive, and against the server
                that closes every connection, with and without resumption.
  memory        poll_bench's peak RSS and heap (it counts malloc itself).

Prints a markdown table and writes it to OUT/../bench.md (build/bench.md)
and tests/bench/RESULTS.md, and puts its summary between the README's
bench markers.
"""
import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
API_KEY = "bact-bench-key-0123456789abcdef"
TASK_ID = "16217357109956214"
PATH = "/v2/workflow/get-task-status?task_id=" + TASK_ID
BODY = '{"status":"running"}'


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def die(msg):
    log("error: " + msg)
    sys.exit(1)


def run(cmd, timeout=300, **kw):
    return subprocess.run(cmd, timeout=timeout, **kw)


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def wait_port(port, deadline=10.0):
    t0 = time.time()
    while time.time() - t0 < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    die("nothing listens on 127.0.0.1:%d" % port)


# ---------------------------------------------------------------- PKI

def make_pki(d):
    """ECDSA P-256 root -> intermediate -> leaf for 127.0.0.1/localhost."""
    def ossl(*args):
        r = run(["openssl"] + list(args), stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE)
        if r.returncode != 0:
            die("openssl %s: %s" % (args[0], r.stderr.decode()[-400:]))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("[req]\ndistinguished_name = dn\n[dn]\n"
                "[root]\nbasicConstraints = critical, CA:TRUE\n"
                "keyUsage = critical, keyCertSign, cRLSign\n"
                "subjectKeyIdentifier = hash\n"
                "[int]\nbasicConstraints = critical, CA:TRUE, pathlen:0\n"
                "keyUsage = critical, keyCertSign, cRLSign\n"
                "subjectKeyIdentifier = hash\n"
                "authorityKeyIdentifier = keyid:always\n"
                "[leaf]\nbasicConstraints = critical, CA:FALSE\n"
                "keyUsage = critical, digitalSignature\n"
                "extendedKeyUsage = serverAuth\n"
                "subjectKeyIdentifier = hash\n"
                "authorityKeyIdentifier = keyid:always\n"
                "subjectAltName = DNS:localhost, IP:127.0.0.1\n")
    p = lambda n: os.path.join(d, n)
    for k in ("root", "int", "leaf"):
        ossl("genpkey", "-algorithm", "EC", "-pkeyopt",
             "ec_paramgen_curve:P-256", "-out", p(k + ".key"))
    ossl("req", "-new", "-x509", "-key", p("root.key"), "-subj",
         "/O=bact bench/CN=bench root", "-days", "30", "-sha256",
         "-config", ext, "-extensions", "root", "-out", p("root.pem"))
    for name, issuer, cn, sect in (("int", "root", "bench int", "int"),
                                   ("leaf", "int", "localhost", "leaf")):
        ossl("req", "-new", "-key", p(name + ".key"), "-subj",
             "/O=bact bench/CN=" + cn, "-config", ext, "-out", p(name + ".csr"))
        ossl("x509", "-req", "-in", p(name + ".csr"), "-CA", p(issuer + ".pem"),
             "-CAkey", p(issuer + ".key"), "-set_serial",
             str(int(time.time() * 1000) % 100000000), "-days", "30",
             "-sha256", "-extfile", ext, "-extensions", sect,
             "-out", p(name + ".pem"))
    with open(p("chain.pem"), "w") as f:
        f.write(open(p("leaf.pem")).read() + open(p("int.pem")).read())
    return p("root.pem"), p("chain.pem"), p("leaf.key")


# ---------------------------------------------------------------- nginx

NGINX_CONF = """
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {d}/tmp_body;
    proxy_temp_path {d}/tmp_proxy;
    fastcgi_temp_path {d}/tmp_fastcgi;
    uwsgi_temp_path {d}/tmp_uwsgi;
    scgi_temp_path {d}/tmp_scgi;
    default_type application/json;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    tcp_nodelay on;
    ssl_certificate {chain};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2;  # bact's mbedTLS configuration: like for like
    ssl_session_cache shared:BENCH:1m;
    ssl_session_tickets on;
    ssl_session_timeout 1h;
    server {{
        listen 127.0.0.1:{http};
        location / {{ return 200 '{body}'; }}
    }}
    server {{
        listen 127.0.0.1:{https} ssl;
        location / {{ return 200 '{body}'; }}
    }}
    server {{
        listen 127.0.0.1:{https_close} ssl;
        keepalive_timeout 0;
        location / {{ return 200 '{body}'; }}
    }}
}}
"""


class Nginx:
    def __init__(self, tmp, chain, key):
        self.dir = tmp
        self.http, self.https, self.https_close = free_ports(3)
        conf = os.path.join(tmp, "nginx.conf")
        user = "user root;" if os.geteuid() == 0 else ""
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(d=tmp, chain=chain, key=key, body=BODY,
                                      http=self.http, https=self.https,
                                      https_close=self.https_close, user=user))
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen(
            [exe, "-p", tmp, "-e", os.path.join(tmp, "error.log"), "-c", conf,
             "-g", "daemon off;"], stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        for port in (self.http, self.https, self.https_close):
            if self.proc.poll() is not None:
                die("nginx: " + self.proc.stderr.read().decode()[-400:])
            wait_port(port)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------- relay

class Relay:
    """A TCP relay 127.0.0.1:port -> 127.0.0.1:target that counts bytes each
    way and connections, and keeps the first bytes the first connection's
    client sent (to show its request)."""

    def __init__(self, target):
        self.target = target
        self.up = self.down = self.conns = self.active = 0
        self.first = b""
        self.lock = threading.Lock()
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(64)
        self.port = self.ls.getsockname()[1]
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closing:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            try:
                s = socket.create_connection(("127.0.0.1", self.target), 5)
            except OSError:
                c.close()
                continue
            for x in (c, s):
                x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                x.settimeout(None)
            with self.lock:
                self.conns += 1
                self.active += 2
                keep = not self.first
            threading.Thread(target=self._pump, args=(c, s, True, keep),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(s, c, False, False),
                             daemon=True).start()

    def _pump(self, src, dst, up, keep):
        try:
            while True:
                b = src.recv(65536)
                if not b:
                    break
                with self.lock:
                    if up:
                        self.up += len(b)
                        if keep and len(self.first) < 4096:
                            self.first += b[:4096 - len(self.first)]
                    else:
                        self.down += len(b)
                dst.sendall(b)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        with self.lock:
            self.active -= 1

    def settle(self, deadline=3.0):
        t0 = time.time()
        while time.time() - t0 < deadline:
            with self.lock:
                if self.active == 0:
                    break
            time.sleep(0.01)
        with self.lock:
            return self.up, self.down, self.conns

    def close(self):
        self.closing = True
        self.ls.close()


# ---------------------------------------------------------------- clients

class Bench:
    def __init__(self, args, ngx, ca):
        self.a = args
        self.ngx = ngx
        self.ca = ca
        self.out = args.out
        self.tls = {}  # client: "version suite" seen over https
        self.tls_lib = None  # the mbedTLS version poll_bench was built with

    def url(self, proto, port=None):
        if port is None:
            port = self.ngx.http if proto == "http" else self.ngx.https
        return "%s://127.0.0.1:%d" % (proto, port)

    # -- bact
    def bact_cmd(self, proto, n, port=None, no_resume=False):
        cmd = [self.a.bin, self.url(proto, port), str(n), "--key", API_KEY,
               "--task", TASK_ID]
        if proto == "https":
            cmd += ["--ca-file", self.ca]
        if no_resume:
            cmd.append("--no-resume")
        return cmd

    def bact(self, proto, n, port=None, no_resume=False, prefix=()):
        cmd = list(prefix) + self.bact_cmd(proto, n, port, no_resume)
        r = run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out = r.stdout.decode()
        kv = dict(re.findall(r"(\w+)=([0-9.]+)(?=\s|$)", out))
        if r.returncode != 0 or kv.get("ok") != "1":
            die("poll_bench failed: %s\n%s" % (" ".join(cmd),
                                               r.stderr.decode()[-800:]))
        res = {k: float(v) for k, v in kv.items()}
        m = re.search(r"tls_version=(\S+) tls_suite=(\S+)", out)
        if m:
            self.tls["bact"] = "%s %s" % (m.group(1), m.group(2))
        m = re.search(r"tls_lib=mbedTLS/(\S+)", out)
        if m:
            self.tls_lib = m.group(1)
        return res

    # -- curl
    def curl_cmd(self, proto, n, port=None, no_session=False):
        cfg = os.path.join(self.a.tmp, "curl-%s-%d.cfg" % (proto, n))
        if not os.path.exists(cfg):
            line = 'url = "%s%s"\n' % (self.url(proto, port), PATH)
            with open(cfg, "w") as f:
                f.write(line * n)
        cmd = ["curl", "-q", "-s", "-S", "--http1.1", "-H",
               "Authorization: Bearer " + API_KEY]
        if proto == "https":
            cmd += ["--cacert", self.ca]
        if no_session:
            cmd.append("--no-sessionid")
        return cmd + ["-K", cfg]

    def curl(self, proto, n, port=None, no_session=False, prefix=()):
        cmd = list(prefix) + self.curl_cmd(proto, n, port, no_session)
        t0 = time.perf_counter()
        r = run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        el = time.perf_counter() - t0
        if r.returncode != 0:
            die("curl failed: %s" % r.stderr.decode()[-400:])
        out = r.stdout.decode()
        if out.count(BODY) != n:
            die("curl: %d answers of %d" % (out.count(BODY), n))
        return el

    def curl_url_cfg(self, proto, port, n):
        """Like curl_cmd for a relay port (config written each time)."""
        cfg = os.path.join(self.a.tmp, "curl-relay.cfg")
        with open(cfg, "w") as f:
            f.write(('url = "%s%s"\n' % (self.url(proto, port), PATH)) * n)
        return cfg

    # -- wrk
    def wrk(self, proto, secs, port=None):
        cmd = ["wrk", "-t1", "-c1", "-d%ds" % secs, "-H",
               "Authorization: Bearer " + API_KEY,
               self.url(proto, port) + PATH]
        r = run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                timeout=secs + 30)
        out = r.stdout.decode()
        m = re.search(r"Requests/sec:\s*([0-9.]+)", out)
        tot = re.search(r"(\d+) requests in", out)
        if r.returncode != 0 or not m or not tot:
            die("wrk failed: %s %s" % (out[-400:], r.stderr.decode()[-400:]))
        if "Non-2xx" in out or "Socket errors" in out:
            die("wrk saw errors:\n" + out)
        return float(m.group(1)), int(tot.group(1))


# ---------------------------------------------------------------- callgrind

# poll_bench's timed polls (tests/bench/poll_bench.c)
LOOP_FN = "poll_loop"


def callgrind_total(outfile):
    with open(outfile) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    die("no totals in " + outfile)


def callgrind_ir(cmd, outfile, loop=None):
    """Instructions of one run. With loop (a function name) callgrind
    dumps its counts when the function is entered and when it returns:
    outfile.1 holds what ran before it, outfile.2 the function, outfile what
    ran after; returns (the function's instructions, the whole run's)."""
    parts = [outfile + ".1", outfile + ".2", outfile] if loop else [outfile]
    for f in parts:
        if os.path.exists(f):
            os.remove(f)
    extra = ["--dump-before=" + loop, "--dump-after=" + loop] if loop else []
    r = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + outfile]
            + extra + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            timeout=600)
    if r.returncode != 0:
        die("callgrind run failed: %s\n%s" % (" ".join(cmd),
                                              r.stderr.decode()[-600:]))
    if not loop:
        return callgrind_total(outfile)
    for f in parts:
        if not os.path.exists(f):
            die("callgrind: no %s (was %s() called?)" % (f, loop))
    counts = [callgrind_total(f) for f in parts]
    return counts[1], sum(counts)


# mbedTLS's code: a shared library (Debian's), or in the executable, built by
# scripts/mbedtls36.sh, whose debug information names its files
# /mbedtls-3.6.x/library/...; its inline functions in its headers; and
# compiler intrinsics inlined into its functions (named by the function)
MBEDTLS_FILE = re.compile(r"(^|/)(mbedtls-\d[\d.]*/|include/mbedtls/)")
MBEDTLS_FN = re.compile(r"(mbedtls|psa)_")
# With link-time optimisation mbedTLS's static functions show under their
# own names with a suffix (gcm_mult.lto_priv.0) and the intrinsics inlined
# into them under the compiler's headers: the names its archives define
# (filled by main() from the folder of --tls-info) tell them apart.
MBEDTLS_SYMS = set()
GCC_SUFFIX = re.compile(r"(\.(lto_priv|constprop|isra|part|cold)(\.\d+)?)+$")


def archive_symbols(lib_dir):
    """The functions the static libraries in lib_dir define (their ELF
    symbol tables: nm would show the LTO plugin's list, without the static
    functions)."""
    names = set()
    if not os.path.isdir(lib_dir) or not shutil.which("readelf"):
        return names
    for f in sorted(os.listdir(lib_dir)):
        if not f.endswith(".a"):
            continue
        r = run(["readelf", "-sW", os.path.join(lib_dir, f)],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for line in r.stdout.decode().splitlines():
            part = line.split()
            if len(part) == 8 and part[3] == "FUNC" and part[6] != "UND":
                names.add(part[7])
    return names


def callgrind_annotate(args, outfile):
    """callgrind_annotate's report of outfile. A dump taken mid-run (the
    parts of --dump-before/--dump-after) lists the calls still in progress
    (main and its callers) as "calls=0" with their cost so far, which
    callgrind_annotate 3.19 adds to the callers' self cost: those lines are
    left out (the names they define are kept)."""
    with open(outfile) as f:
        lines = f.read().split("\n")
    keep, skip = [], False
    for line in lines:
        if skip:
            skip = False
        elif line.startswith("calls=0 "):
            skip = True  # and the cost line after it
        else:
            keep.append(line)
    return run(["callgrind_annotate"] + args + ["/dev/stdin"],
               input="\n".join(keep).encode(), stdout=subprocess.PIPE,
               stderr=subprocess.DEVNULL)


def self_costs(outfile):
    """Self cost (Ir) of every function in a callgrind output, keyed by
    (group, display name)."""
    r = callgrind_annotate(["--auto=no", "--threshold=100"], outfile)
    out = {}
    for line in r.stdout.decode().splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(\S+)(?: \[(\S+)\])?$",
                     line)
        if not m or m.group(2) == "PROGRAM":
            continue
        where, _, fn = m.group(2).rpartition(":")
        obj = os.path.basename(m.group(3) or "")
        if re.search(r"(^|/)src/", where) or "jsmn" in where:
            key = ("library (src/)", "%s:%s" % (os.path.basename(where), fn))
        elif re.search(r"(^|/)port/", where):
            key = ("ports", "%s:%s" % (os.path.basename(where), fn))
        elif "libmbed" in obj:
            key = ("mbedTLS", "%s (%s)" % (fn, obj))
        elif (MBEDTLS_FILE.search(where) or MBEDTLS_FN.match(fn) or
              GCC_SUFFIX.sub("", fn) in MBEDTLS_SYMS):
            key = ("mbedTLS", "%s (mbedTLS)" % fn)
        elif obj.startswith("libc.so"):
            key = ("libc", "%s (libc)" % fn)
        else:
            key = ("other", "%s (%s)" % (fn, obj or "?"))
        out[key] = out.get(key, 0) + int(m.group(1).replace(",", ""))
    return out


def hotspots(file_n, file_2n, n, top=8):
    """Per-poll self cost by function, (self(2n) - self(n)) / n, and by
    group (library, ports, mbedTLS, libc)."""
    if not shutil.which("callgrind_annotate"):
        return [], {}
    a, b = self_costs(file_n), self_costs(file_2n)
    d = [(key, (b.get(key, 0) - a.get(key, 0)) / n) for key in b]
    groups = {}
    for (g, _), v in d:
        groups[g] = groups.get(g, 0) + v
    d.sort(key=lambda x: -x[1])
    return [(k[1], v) for k, v in d[:top] if v >= 1], groups


def annotate(outfile, dest, top=25):
    """Inclusive and self costs of the top functions, for finding hot spots."""
    if not shutil.which("callgrind_annotate"):
        return
    with open(dest, "w") as f:
        for extra in (["--inclusive=yes"], []):
            r = callgrind_annotate(["--threshold=99"] + extra, outfile)
            lines = r.stdout.decode().splitlines()
            f.write("\n".join(lines[:top + 30]) + "\n\n")


# ---------------------------------------------------------------- report

def machine_line(tls_lib):
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    def ver(cmd, rx):
        try:
            r = run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            m = re.search(rx, r.stdout.decode())
            return m.group(1) if m else "?"
        except (OSError, subprocess.SubprocessError):
            return "?"
    def pkg(name):
        return ver(["dpkg-query", "-W", "-f", "${Version}", name], r"(\S+)")
    return ("%s, %d cores, Linux %s; nginx %s, curl %s (OpenSSL %s), wrk %s, "
            "mbedTLS %s, valgrind %s" % (
                model, os.cpu_count() or 0, platform.release(),
                ver(["nginx", "-v"], r"nginx/(\S+)"),
                ver(["curl", "--version"], r"curl (\S+)"),
                ver(["curl", "--version"], r"OpenSSL/(\S+)"),
                pkg("wrk").split("-")[0], tls_lib or "?",
                ver(["valgrind", "--version"], r"valgrind-(\S+)")))


def fmt_int(x):
    return "{:,}".format(int(round(x)))


def header_names(req):
    head = req.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return head[0].split(" ")[0] + " + " + ", ".join(
        h.split(":", 1)[0] for h in head[1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/bench/poll_bench"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build/bench"))
    ap.add_argument("--tls-info", help="a file with one line saying which "
                    "mbedTLS --bin uses and how it was built")
    ap.add_argument("--n", type=int, default=10000, help="polls per timed run")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--wrk-secs", type=int, default=2)
    ap.add_argument("--cg-n", type=int, default=1000,
                    help="callgrind: n and 2n polls")
    ap.add_argument("--bytes-n", type=int, default=100,
                    help="relay: m and 2m polls")
    ap.add_argument("--quick", action="store_true",
                    help="small n, one rep (a smoke test, not a figure)")
    ap.add_argument("--no-publish", action="store_true",
                    help="do not update tests/bench/RESULTS.md")
    a = ap.parse_args()
    if a.quick:
        a.n, a.reps, a.wrk_secs, a.cg_n, a.bytes_n = 2000, 1, 1, 200, 50
    a.bin = os.path.abspath(a.bin)
    a.out = os.path.abspath(a.out)
    os.makedirs(a.out, exist_ok=True)
    t_start = time.time()
    tmp = tempfile.mkdtemp(prefix="bact-bench-")
    a.tmp = tmp
    ngx = None
    relays = []

    def cleanup(*_):
        if ngx is not None:
            ngx.stop()
        for r in relays:
            r.close()
        shutil.rmtree(tmp, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), sys.exit(143)))
    try:
        if a.tls_info:
            MBEDTLS_SYMS.update(archive_symbols(
                os.path.join(os.path.dirname(a.tls_info), "lib")))
        ca, chain, key = make_pki(tmp)
        ngx = Nginx(tmp, chain, key)
        b = Bench(a, ngx, ca)
        res = {}
        for proto in ("http", "https"):
            res[proto] = measure(b, proto, relays)
        res["resume"] = resumption(b, relays)
        res["lib_heap_refs"] = lib_heap_refs()
        res["tls"] = b.tls
        res["tls_lib"] = b.tls_lib
        res["tls_info"] = tls_info(a.tls_info, b.tls_lib)
    finally:
        cleanup()
    report(a, res, time.time() - t_start)


def measure(b, proto, relays):
    a = b.a
    r = {}
    log("%s: sanity" % proto)
    b.bact(proto, 1)
    b.curl(proto, 1)

    log("%s: throughput, %d polls x %d reps (bact, curl), wrk %d s x %d"
        % (proto, a.n, a.reps, a.wrk_secs, a.reps))
    bact_rates, curl_rates, wrk_rates, bact_runs = [], [], [], []
    curl_one = statistics.median(b.curl(proto, 1) for _ in range(3))
    for _ in range(a.reps):
        x = b.bact(proto, a.n)
        bact_runs.append(x)
        bact_rates.append(x["polls_per_s"])
        el = b.curl(proto, a.n + 1) - curl_one
        curl_rates.append(a.n / el if el > 0 else 0.0)
        wrk_rates.append(b.wrk(proto, a.wrk_secs)[0])
    r["bact_rps"] = statistics.median(bact_rates)
    r["curl_rps"] = statistics.median(curl_rates)
    r["wrk_rps"] = statistics.median(wrk_rates)
    r["bact_all"], r["curl_all"], r["wrk_all"] = bact_rates, curl_rates, wrk_rates
    r["curl_start_s"] = curl_one
    r["mem"] = max(bact_runs, key=lambda x: x["rss_kb"])

    log("%s: callgrind, %d and %d polls" % (proto, a.cg_n, 2 * a.cg_n))
    n = a.cg_n
    ir = {}
    for who in ("bact", "curl"):
        vals, totals = [], []
        for k in (n, 2 * n):
            out = os.path.join(a.out, "callgrind.%s.%s.%d" % (who, proto, k))
            if who == "bact":
                # warm-up + k-1: k polls in all; the k-1 timed ones counted
                # apart (callgrind.bact.*.k.2): a handshake's cost varies
                # (without the counting transport: an application has none)
                loop, total = callgrind_ir(
                    b.bact_cmd(proto, k - 1) + ["--no-count"], out,
                    loop=LOOP_FN)
                vals.append(loop)
                totals.append(total)
            else:
                vals.append(callgrind_ir(b.curl_cmd(proto, k), out))
                totals.append(vals[-1])
        ir[who] = (vals[1] - vals[0]) / n
        ir[who + "_start"] = totals[0] - n * ir[who]
        if who == "bact":
            ir["hot"], ir["groups"] = hotspots(
                os.path.join(a.out, "callgrind.bact.%s.%d.2" % (proto, n)),
                os.path.join(a.out, "callgrind.bact.%s.%d.2" % (proto, 2 * n)),
                n)
        # bact: its polls (.2); curl: the whole run
        annotate(os.path.join(a.out, "callgrind.%s.%s.%d%s" % (
                     who, proto, 2 * n, ".2" if who == "bact" else "")),
                 os.path.join(a.out, "callgrind.%s.%s.txt" % (who, proto)))
    r["ir"] = ir

    log("%s: bytes on the wire through a counting relay" % proto)
    target = b.ngx.http if proto == "http" else b.ngx.https
    m = a.bytes_n
    wire = {}
    for who in ("bact", "curl"):
        cnt = []
        first = b""
        for k in (m, 2 * m):
            rl = Relay(target)
            relays.append(rl)
            if who == "bact":
                b.bact(proto, k - 1, port=rl.port)
            else:
                cfg = b.curl_url_cfg(proto, rl.port, k)
                cmd = b.curl_cmd(proto, 1)[:-1] + [cfg]
                rr = run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                if rr.returncode != 0:
                    die("curl via relay: " + rr.stderr.decode()[-300:])
            cnt.append(rl.settle())
            first = first or rl.first
            rl.close()
        wire[who] = {"up": (cnt[1][0] - cnt[0][0]) / m,
                     "down": (cnt[1][1] - cnt[0][1]) / m,
                     "conns": cnt[1][2], "first": first}
    rl = Relay(target)
    relays.append(rl)
    _, reqs = b.wrk(proto, 1, port=rl.port)
    up, down, conns = rl.settle()
    rl.close()
    wire["wrk"] = {"up": up / reqs, "down": down / reqs, "conns": conns,
                   "first": rl.first}
    r["wire"] = wire
    return r


def resumption(b, relays):
    """Handshakes and bytes per 100 https polls."""
    log("https: handshakes per 100 polls (keep-alive; close each; "
        "with and without resumption)")
    out = []
    x = b.bact("https", 99)
    out.append(("bact", "keep-alive", x["handshakes"], x["resumed"],
                x["tx"], x["rx"]))
    for no_resume in (False, True):
        x = b.bact("https", 99, port=b.ngx.https_close, no_resume=no_resume)
        out.append(("bact", "close after each poll, " +
                    ("no resumption" if no_resume else "resumption"),
                    x["handshakes"], x["resumed"], x["tx"], x["rx"]))
    for label, port, nosess in (
            ("keep-alive", b.ngx.https, False),
            ("close after each poll, resumption", b.ngx.https_close, False),
            ("close after each poll, no resumption (--no-sessionid)",
             b.ngx.https_close, True)):
        rl = Relay(port)
        relays.append(rl)
        cfg = b.curl_url_cfg("https", rl.port, 100)
        cmd = b.curl_cmd("https", 1, no_session=nosess)[:-1] + [cfg, "-v"]
        rr = run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if rr.returncode != 0:
            die("curl: " + rr.stderr.decode()[-300:])
        up, down, conns = rl.settle()
        rl.close()
        # OpenSSL: a resumed TLS 1.3 handshake has no Certificate message
        err = rr.stderr.decode()
        full = len(re.findall(r"TLS handshake, Certificate \(11\)", err))
        m = re.search(r"SSL connection using (\S+) / (\S+)", err)
        if m:
            b.tls["curl"] = "%s %s" % (m.group(1), m.group(2))
        out.append(("curl", label, conns, conns - full, up, down))
    return out


def tls_info(path, version):
    """The line saying how bact's mbedTLS was built (--tls-info), if it
    names the version poll_bench reports."""
    if not path:
        return None
    try:
        with open(path) as f:
            line = f.readline().strip()
    except OSError as e:
        log("warning: --tls-info: %s" % e)
        return None
    if version and "mbedTLS %s," % version not in line:
        log("warning: %s does not describe mbedTLS %s, poll_bench's: left "
            "out of the report" % (path, version))
        return None
    return line.rstrip(".")


def lib_heap_refs():
    """The library's objects (src/) must not reference an allocator."""
    objs = [os.path.join(ROOT, "build/bench/obj/src", f)
            for f in os.listdir(os.path.join(ROOT, "build/bench/obj/src"))
            if f.endswith(".o")]
    bad = []
    for o in sorted(objs):
        r = run(["nm", "-u", o], stdout=subprocess.PIPE)
        for sym in r.stdout.decode().split():
            if sym in ("malloc", "calloc", "realloc", "free", "strdup"):
                bad.append("%s:%s" % (os.path.basename(o), sym))
    return bad


README_BEGIN = "<!-- bench:begin (written by make bench) -->"
README_END = "<!-- bench:end -->"


def publish_readme(lines):
    """Put lines between the README's bench markers (when it has them)."""
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        text = f.read()
    a, b = text.find(README_BEGIN), text.find(README_END)
    if a < 0 or b < a:
        log("README.md has no bench markers: left as it is")
        return
    new = (text[:a + len(README_BEGIN)] + "\n" + "\n".join(lines) + "\n"
           + text[b:])
    if new != text:
        with open(path, "w") as f:
            f.write(new)


def report(a, res, secs):
    L = []
    S = []  # the README's summary: machine, throughput, instructions, goals
    w = L.append
    w("# bact poll benchmark")
    w("")
    w("Machine: " + machine_line(res.get("tls_lib")) + ".")
    w("")
    w("Run: `make bench`, %s UTC, %.0f s. Server: nginx, 1 worker, "
      "127.0.0.1, fixed answer `%s` with keep-alive. "
      "Polls are sequential, on one connection." %
      (time.strftime("%Y-%m-%d %H:%M", time.gmtime()), secs, BODY))
    w("")
    if res.get("tls"):
        w("https: " + "; ".join("%s %s" % (c, v) for c, v in
                                sorted(res["tls"].items())) +
          " (wrk: OpenSSL's default, as curl). Certificates: ECDSA P-256, "
          "root > intermediate > leaf for 127.0.0.1.")
        w("")
    w("bact's TLS: " + (res.get("tls_info") or "mbedTLS %s (how it was built "
                        "not given: --tls-info)" % (res.get("tls_lib") or "?"))
      + ".")
    w("")
    w("## Throughput (polls/s, median of %d; %d polls per run, wrk %d s)"
      % (a.reps, a.n, a.wrk_secs))
    w("")
    S.append("Last run: `make bench`, %s UTC, on %s. Polls per second "
             "(medians of %d):" % (
                 time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
                 machine_line(res.get("tls_lib")), a.reps))
    S.append("")
    first = len(L)
    w("| | bact | curl | wrk -t1 -c1 | bact / wrk | bact / curl |")
    w("|---|---:|---:|---:|---:|---:|")
    for p in ("http", "https"):
        r = res[p]
        w("| %s | %s | %s | %s | %.2f | %.2f |" % (
            p, fmt_int(r["bact_rps"]), fmt_int(r["curl_rps"]),
            fmt_int(r["wrk_rps"]), r["bact_rps"] / r["wrk_rps"],
            r["bact_rps"] / r["curl_rps"]))
    S.extend(L[first:])
    S.append("")
    S.append("Client instructions per poll (callgrind):")
    S.append("")
    w("")
    w("Every run (polls/s): " + "; ".join(
        "%s %s: %s" % (p, c, " ".join(fmt_int(x) for x in res[p][c + "_all"]))
        for p in ("http", "https") for c in ("bact", "curl", "wrk")) + ".")
    w("")
    w("## Client instructions per poll (callgrind, (Ir(%d) - Ir(%d)) / %d)"
      % (2 * a.cg_n, a.cg_n, a.cg_n))
    w("")
    w("bact's are counted inside poll_bench's poll loop (the handshake's "
      "cost varies from run to run), curl's over the whole process.")
    w("")
    first = len(L)
    w("| | bact | curl | curl / bact | bact start-up (+ connect, handshake) |")
    w("|---|---:|---:|---:|---:|")
    for p in ("http", "https"):
        ir = res[p]["ir"]
        w("| %s | %s | %s | %.1f | %s |" % (
            p, fmt_int(ir["bact"]), fmt_int(ir["curl"]),
            ir["curl"] / ir["bact"], fmt_int(ir["bact_start"])))
    S.extend(L[first:])
    S.append("")
    w("")
    for p in ("http", "https"):
        hot = res[p]["ir"].get("hot")
        groups = res[p]["ir"].get("groups") or {}
        if groups:
            w("bact %s, instructions per poll by where they run: " % p + ", ".join(
                "%s %s" % (g, fmt_int(groups[g])) for g in
                ("library (src/)", "ports", "mbedTLS", "libc", "other")
                if round(groups.get(g, 0)) != 0) + ".")
            w("")
        if hot:
            w("bact %s, self cost per poll by function (top %d): " % (p, len(hot))
              + "; ".join("`%s` %s" % (fn, fmt_int(v)) for fn, v in hot)
              + ".")
            w("")
    w("## Bytes on the wire per poll (request / response, headers included; "
      "https: TLS records)")
    w("")
    w("| | bact | curl | wrk |")
    w("|---|---:|---:|---:|")
    for p in ("http", "https"):
        wi = res[p]["wire"]
        w("| %s | %s | %s | %s |" % (p, *["%s / %s" % (
            fmt_int(wi[c]["up"]), fmt_int(wi[c]["down"]))
            for c in ("bact", "curl", "wrk")]))
    w("")
    w("Request headers (http): " + "; ".join(
        "%s: %s" % (c, header_names(res["http"]["wire"][c]["first"]))
        for c in ("bact", "curl", "wrk")) + ".")
    w("")
    w("## https: handshakes and bytes per 100 polls")
    w("")
    w("| client | server / client setting | handshakes | resumed | bytes sent "
      "| bytes received |")
    w("|---|---|---:|---:|---:|---:|")
    for who, label, hs, rs, tx, rx in res["resume"]:
        w("| %s | %s | %d | %d | %s | %s |" % (who, label, hs, rs,
                                               fmt_int(tx), fmt_int(rx)))
    w("")
    w("## Memory (poll_bench, %d polls)" % a.n)
    w("")
    w("| | peak RSS | process heap peak | heap after setup | heap after "
      "connect | heap calls in the poll loop | library heap |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for p in ("http", "https"):
        m = res[p]["mem"]
        w("| %s | %s KiB | %s B | %s B | %s B | %d | %s |" % (
            p, fmt_int(m["rss_kb"]), fmt_int(m["heap_peak"]),
            fmt_int(m["heap_setup_peak"]), fmt_int(m["heap_open_peak"]),
            m["heap_calls_in_loop"],
            "0" if not res["lib_heap_refs"] else
            "refs: " + ", ".join(res["lib_heap_refs"])))
    w("")
    w("The library's own heap is zero by construction: its objects reference "
      "no allocator (checked with nm). What the process allocates is glibc "
      "(getaddrinfo, stdio) and, for https, mbedTLS (CA parsing, the SSL "
      "context and its record buffers).")
    w("")
    w("## Goals")
    w("")
    goals = []
    for p in ("http", "https"):
        r = res[p]
        goals.append(("%s: bact >= 0.9 x wrk" % p,
                      r["bact_rps"] >= 0.9 * r["wrk_rps"],
                      "%.2f" % (r["bact_rps"] / r["wrk_rps"])))
        goals.append(("%s: bact >= 2 x curl" % p,
                      r["bact_rps"] >= 2 * r["curl_rps"],
                      "%.2f" % (r["bact_rps"] / r["curl_rps"])))
        g = r["ir"].get("groups") or {}
        split = ", ".join("%s %s" % (k, fmt_int(g[k])) for k in
                          ("library (src/)", "mbedTLS") if round(g.get(k, 0)))
        goals.append(("%s: instructions <= curl / 20" % p,
                      r["ir"]["bact"] * 20 <= r["ir"]["curl"],
                      "1/%.1f: %s of %s per poll, budget %s%s" % (
                          r["ir"]["curl"] / r["ir"]["bact"],
                          fmt_int(r["ir"]["bact"]), fmt_int(r["ir"]["curl"]),
                          fmt_int(r["ir"]["curl"] / 20),
                          "; " + split if split else "")))
    hdrs = header_names(res["http"]["wire"]["bact"]["first"])
    names = set(h.strip().lower() for h in hdrs.split("+", 1)[1].split(","))
    goals.append(("request: no header beyond Host, Authorization, User-Agent",
                  names <= {"host", "authorization", "user-agent"} and
                  {"host", "authorization"} <= names,
                  "%s B per request, curl %s B" % (
                      fmt_int(res["http"]["wire"]["bact"]["up"]),
                      fmt_int(res["http"]["wire"]["curl"]["up"]))))
    for c, ok, v in goals:
        w("- %s %s (%s)" % ("met:" if ok else "**missed:**", c, v))
        S.append(L[-1])
    w("")
    text = "\n".join(L)
    print(text)
    with open(os.path.join(os.path.dirname(a.out), "bench.md"), "w") as f:
        f.write(text + "\n")
    if not a.no_publish and not a.quick:
        with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
            f.write(text + "\n")
        publish_readme(S)
    log("written: %s%s" % (os.path.join(os.path.dirname(a.out), "bench.md"),
                           "" if a.no_publish or a.quick
                           else ", tests/bench/RESULTS.md and README.md's "
                                "summary"))


if __name__ == "__main__":
    main()
