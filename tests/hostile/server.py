#!/usr/bin/env python3
"""A scriptable, hostile HTTP server for the tests: one script per connection.

    python3 tests/hostile/server.py SCENARIO [--port N] [--port-file PATH]
        [--log PATH] [--control-port-file PATH] [--parent PID]

Python 3, standard library only. Listens on 127.0.0.1 only.

SCENARIO is a JSON file, or the name of a built-in scenario (--list prints
them), or "-" for an empty scenario that the control port loads later.

A scenario is a JSON object:

    {"name": "...",
     "connections": [SCRIPT, SCRIPT, ...],  # the i-th accepted connection
                                            # plays the i-th script
     "default": SCRIPT,                     # for connections past the list
                                            # (absent: read what comes, close)
     "linger_ms": 1500}                     # after a script ends, keep reading
                                            # (recording any further request)
                                            # until EOF or this long, then close

A SCRIPT is a list of steps, played in order:

    {"read_request": true}        read one request head and its body
                                  (Content-Length), record it
    {"send": "text"}              send bytes; the text is taken as Latin-1
                                  (JSON "\\r\\n" and "\\u0000".."\\u00ff"
                                  give any byte)
    {"send_hex": "48545450"}      the same, the bytes given in hex
      + "split": [3, 5, ...]      ... send in pieces of these sizes (the
        (or "send_split")         rest in one last piece),
      + "trickle": N              ... or N bytes at a time,
      + "delay_ms": D             ... D ms between pieces (default 2)
    {"sleep_ms": N}               pause (ends early if the peer goes away)
    {"half_close": true}          shutdown(SHUT_WR): FIN, keep reading
    {"close": true}               close (FIN), end of the script
    {"reset": true}               close with SO_LINGER 0 (RST), end

Every piece is sent with TCP_NODELAY, and a pause between pieces, so pieces
arrive as separate reads. A script that ends without close/reset lingers
(reads until EOF), then closes.

The record of each connection (what was read, how it ended) is kept in
memory. With --log PATH it is written there as JSON after every connection
ends (temp file + rename). With --control-port-file PATH a control listener
on 127.0.0.1 takes one JSON object per line and answers one per line:

    {"op": "load", "scenario": {...}}   replace the scenario, forget the log,
                                        restart the connection count
    {"op": "log", "wait_ms": 2000}      the records, once no connection is
                                        active (or after wait_ms):
                                        {"connections": [...], "active": n}
    {"op": "ping"} / {"op": "quit"}

A record: {"index", "script" (index used, or null), "requests": [{"line",
"headers" (lowercase names), "body"}], "unparsed" (bytes read that were not a
whole request), "bytes_read", "steps_done", "end" (how it ended),
"t_accept", "t_end"}.

--parent PID: stop as soon as the server's parent is no longer process PID
(the test that started it is gone), so a killed test run leaves no server
behind.

Port files are written atomically (temp file + rename) as "PORT\\n" once
listening. SIGTERM/SIGINT end the server with status 0.
"""

import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time

MAX_HEAD = 1 << 16      # bytes of a request head we are willing to buffer
MAX_BODY = 1 << 20
READ_TIMEOUT_S = 5.0    # longest wait for a request
MAX_LINGER_MS = 10000
MAX_SLEEP_MS = 30000

BUILTIN = {
    # a well-formed answer to get-task-status, then keep-alive
    "ok": {"connections": [[
        {"read_request": True},
        {"send": "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: 20\r\n\r\n{\"status\":\"running\"}"}]]},
    # the same, one byte at a time
    "trickle": {"connections": [[
        {"read_request": True},
        {"send": "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n"
                 "{\"status\":\"running\"}", "trickle": 1, "delay_ms": 2}]]},
    # headers cut in the middle, then a long silence
    "stall": {"connections": [[
        {"read_request": True}, {"send": "HTTP/1.1 200 OK\r\nContent-Le"},
        {"sleep_ms": 5000}, {"close": True}]]},
    # close before the status line
    "close": {"connections": [[{"read_request": True}, {"close": True}]]},
    # reset after the request
    "reset": {"connections": [[{"read_request": True}, {"reset": True}]]},
    # not HTTP at all
    "garbage": {"connections": [[
        {"read_request": True}, {"send": "SSH-2.0-OpenSSH_9.2\r\n"},
        {"close": True}]]},
}


def now():
    return time.time()


def write_atomic(path, text):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def step_bytes(step):
    if "send_hex" in step:
        return bytes.fromhex(step["send_hex"])
    return step["send"].encode("latin-1")


def pieces(data, step):
    sizes = step.get("split", step.get("send_split"))
    if sizes is not None:
        out, off = [], 0
        for n in sizes:
            n = int(n)
            if off >= len(data):
                break
            if n <= 0:
                continue
            out.append(data[off:off + n])
            off += n
        if off < len(data):
            out.append(data[off:])
        return out
    n = int(step.get("trickle", 0))
    if n > 0:
        return [data[i:i + n] for i in range(0, len(data), n)]
    return [data]


class PeerGone(Exception):
    pass


class Conn:
    """One accepted connection playing one script."""

    def __init__(self, server, sock, index, script, script_no, linger_ms):
        self.srv = server
        self.sock = sock
        self.script = script
        self.linger_ms = min(int(linger_ms), MAX_LINGER_MS)
        self.buf = b""
        self.eof = False
        self.rec = {"index": index, "script": script_no, "requests": [],
                    "unparsed": "", "bytes_read": 0, "steps_done": 0,
                    "end": None, "t_accept": now(), "t_end": None}
        self.closed = False

    # ---- reading ---------------------------------------------------------

    def _recv(self, timeout):
        """Read what is there within timeout into self.buf; False on EOF."""
        if self.eof:
            return False
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return True
        try:
            data = self.sock.recv(65536)
        except (ConnectionResetError, OSError):
            self.eof = True
            self.rec["end"] = self.rec["end"] or "peer reset"
            return False
        if not data:
            self.eof = True
            return False
        self.buf += data
        self.rec["bytes_read"] += len(data)
        return True

    def _take_request(self):
        """A whole request from self.buf, recorded; None if incomplete."""
        i = self.buf.find(b"\r\n\r\n")
        if i < 0:
            return None
        head = self.buf[:i].decode("latin-1")
        lines = head.split("\r\n")
        headers = {}
        for ln in lines[1:]:
            name, _, value = ln.partition(":")
            headers[name.strip().lower()] = value.strip()
        try:
            blen = int(headers.get("content-length", "0"))
        except ValueError:
            blen = 0
        blen = max(0, min(blen, MAX_BODY))
        if len(self.buf) < i + 4 + blen:
            return None
        body = self.buf[i + 4:i + 4 + blen]
        self.buf = self.buf[i + 4 + blen:]
        req = {"line": lines[0], "headers": headers,
               "body": body.decode("latin-1"), "t": now()}
        self.rec["requests"].append(req)
        return req

    def read_request(self):
        deadline = now() + READ_TIMEOUT_S
        while True:
            if self._take_request() is not None:
                return
            if len(self.buf) > MAX_HEAD + MAX_BODY:
                raise PeerGone("request too large")
            left = deadline - now()
            if left <= 0:
                raise PeerGone("no request within %.0f s" % READ_TIMEOUT_S)
            if not self._recv(min(left, 0.5)) and self.eof:
                raise PeerGone("peer closed before a whole request")

    def peer_gone_within(self, seconds):
        """Wait up to seconds; True as soon as the peer closed or reset."""
        deadline = now() + seconds
        while True:
            left = deadline - now()
            if left <= 0:
                return False
            self._recv(left)
            if self.eof:
                return True
            if self.srv.stopping:
                return True

    # ---- writing ---------------------------------------------------------

    def send(self, step):
        data = step_bytes(step)
        parts = pieces(data, step)
        delay = float(step.get("delay_ms", 2)) / 1000.0
        for k, part in enumerate(parts):
            if k > 0 and delay > 0 and self.peer_gone_within(delay):
                raise PeerGone("peer closed during a send")
            try:
                self.sock.sendall(part)
            except OSError as e:
                raise PeerGone("send failed: %s" % e.__class__.__name__)

    # ---- the script ------------------------------------------------------

    def run(self):
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for step in self.script:
                if self.srv.stopping:
                    raise PeerGone("server stopping")
                if step.get("read_request"):
                    self.read_request()
                elif "send" in step or "send_hex" in step:
                    self.send(step)
                elif "sleep_ms" in step:
                    ms = min(int(step["sleep_ms"]), MAX_SLEEP_MS)
                    if self.peer_gone_within(ms / 1000.0):
                        raise PeerGone("peer closed during a pause")
                elif step.get("half_close"):
                    self.sock.shutdown(socket.SHUT_WR)
                elif step.get("close"):
                    self._close(False)
                    self.rec["steps_done"] += 1
                    self.rec["end"] = "closed by script"
                    return
                elif step.get("reset"):
                    self._close(True)
                    self.rec["steps_done"] += 1
                    self.rec["end"] = "reset by script"
                    return
                else:
                    raise PeerGone("unknown step %r" % (step,))
                self.rec["steps_done"] += 1
            # the script is over: keep reading, so that a request sent on
            # this connection afterwards is recorded (reuse is visible)
            deadline = now() + self.linger_ms / 1000.0
            while not self.eof and not self.srv.stopping:
                left = deadline - now()
                if left <= 0:
                    break
                self._recv(min(left, 0.2))
                while self._take_request() is not None:
                    pass
            self.rec["end"] = ("script done, then peer closed" if self.eof
                               else "script done, linger over")
        except PeerGone as e:
            self.rec["end"] = str(e)
        except Exception as e:  # noqa: BLE001 - recorded, never fatal
            self.rec["end"] = "server error: %s: %s" % (type(e).__name__, e)
        finally:
            while self._take_request() is not None:
                pass
            self.rec["unparsed"] = self.buf.decode("latin-1")
            self._close(False)

    def _close(self, reset):
        if self.closed:
            return
        self.closed = True
        try:
            if reset:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                     struct.pack("ii", 1, 0))
            self.sock.close()
        except OSError:
            pass


class Server:
    def __init__(self, scenario, port=0, log_path=None):
        self.lock = threading.Condition()
        self.stopping = False
        self.log_path = log_path
        self.load(scenario)
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", port))
        self.lsock.listen(64)
        self.port = self.lsock.getsockname()[1]

    def load(self, scenario):
        with self.lock:
            self.scenario = scenario or {"connections": []}
            self.records = []
            self.active = 0
            self.generation = getattr(self, "generation", 0) + 1

    def snapshot(self, wait_ms):
        deadline = now() + min(float(wait_ms), 30000.0) / 1000.0
        with self.lock:
            while self.active > 0:
                left = deadline - now()
                if left <= 0:
                    break
                self.lock.wait(left)
            return {"connections": [dict(r) for r in self.records],
                    "active": self.active}

    def serve(self, parent=None):
        while not self.stopping:
            if parent is not None and os.getppid() != parent:
                break
            try:
                r, _, _ = select.select([self.lsock], [], [], 0.2)
            except OSError:
                break
            if not r:
                continue
            try:
                sock, _ = self.lsock.accept()
            except OSError:
                continue
            with self.lock:
                idx = len(self.records)
                scripts = self.scenario.get("connections", [])
                if idx < len(scripts):
                    script, no = scripts[idx], idx
                elif "default" in self.scenario:
                    script, no = self.scenario["default"], None
                else:
                    script, no = [], None
                linger = self.scenario.get("linger_ms", 1500)
                conn = Conn(self, sock, idx, script, no, linger)
                self.records.append(conn.rec)
                self.active += 1
                gen = self.generation
            threading.Thread(target=self._run, args=(conn, gen),
                             daemon=True).start()

    def _run(self, conn, gen):
        conn.run()
        conn.rec["t_end"] = now()
        with self.lock:
            if gen == self.generation:
                self.active -= 1
                self.lock.notify_all()
                if self.log_path:
                    try:
                        write_atomic(self.log_path, json.dumps(
                            {"connections": self.records}, indent=1) + "\n")
                    except OSError:
                        pass


def control_loop(srv, csock):
    """One JSON request a line, one JSON answer a line."""
    while not srv.stopping:
        try:
            r, _, _ = select.select([csock], [], [], 0.2)
        except OSError:
            return
        if not r:
            continue
        try:
            c, _ = csock.accept()
        except OSError:
            continue
        threading.Thread(target=control_conn, args=(srv, c),
                         daemon=True).start()


def control_conn(srv, c):
    f = c.makefile("rwb")
    try:
        for line in f:
            try:
                msg = json.loads(line.decode("utf-8"))
                op = msg.get("op")
                if op == "load":
                    srv.load(msg.get("scenario"))
                    ans = {"ok": True}
                elif op == "log":
                    ans = srv.snapshot(msg.get("wait_ms", 2000))
                elif op == "ping":
                    ans = {"ok": True, "port": srv.port}
                elif op == "quit":
                    srv.stopping = True
                    ans = {"ok": True}
                else:
                    ans = {"error": "unknown op %r" % op}
            except Exception as e:  # noqa: BLE001
                ans = {"error": "%s: %s" % (type(e).__name__, e)}
            f.write((json.dumps(ans) + "\n").encode("utf-8"))
            f.flush()
            if srv.stopping:
                break
    except OSError:
        pass
    finally:
        try:
            f.close()
            c.close()
        except OSError:
            pass


def main(argv):
    args = argv[1:]
    opts = {"--port": "0", "--port-file": None, "--log": None,
            "--control-port-file": None}
    parent = None
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--list":
            for name in sorted(BUILTIN):
                print(name)
            return 0
        if a in opts and i + 1 < len(args):
            opts[a] = args[i + 1]
            i += 2
            continue
        if a == "--parent" and i + 1 < len(args) and args[i + 1].isdigit():
            parent = int(args[i + 1])
            i += 2
            continue
        if a in ("-h", "--help"):
            print(__doc__)
            return 0
        pos.append(a)
        i += 1
    if len(pos) != 1:
        sys.stderr.write("usage: server.py SCENARIO|NAME|- [--port N] "
                         "[--port-file P] [--log P] [--control-port-file P] "
                         "[--parent PID]\n")
        return 2
    name = pos[0]
    if name == "-":
        scenario = {"connections": []}
    elif name in BUILTIN:
        scenario = BUILTIN[name]
    else:
        with open(name) as fh:
            scenario = json.load(fh)

    srv = Server(scenario, int(opts["--port"]), opts["--log"])

    def on_signal(_sig, _frame):
        srv.stopping = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    if opts["--control-port-file"]:
        csock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        csock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        csock.bind(("127.0.0.1", 0))
        csock.listen(8)
        threading.Thread(target=control_loop, args=(srv, csock),
                         daemon=True).start()
        write_atomic(opts["--control-port-file"],
                     "%d\n" % csock.getsockname()[1])
    if opts["--port-file"]:
        write_atomic(opts["--port-file"], "%d\n" % srv.port)
    sys.stderr.write("hostile server listening on 127.0.0.1:%d\n" % srv.port)
    sys.stderr.flush()
    srv.serve(parent)
    srv.stopping = True
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
