#!/usr/bin/env python3
"""Keep-alive soak, measured: N get-task-status polls through one client
while the mock, driven from the side, keeps killing its connections. Every
poll must succeed, and the client's memory and open descriptors must stay
flat from start to end.

    tests/soak/poll_soak.py SOAK_POLL_OR_BACT [N]     (default N = 100000)

SOAK_POLL_OR_BACT is normally build/host/soak_poll (tests/soak/soak_poll.c:
one bact_client, the POSIX port, retries 3 with a 5 ms first back-off step,
printing its RSS and fd count every K polls). Given the bact tool instead
(any binary whose name does not contain "soak_poll"), each poll is one
`bact --retries 3 status TASK` process: failed polls are counted, but a
process per poll cannot show flat memory, so RSS and fds are not checked.

While the client polls, a side thread, every 5-30 ms at random, queues a
"drop" (FIN without an answer) or "reset" (RST) fault for the next 1-3
requests, or turns the mock's "close" config on for 5-40 ms (Connection:
close on every answer), at most N/20 times in all. Faults never stack: the
next one is queued only once the last is used up and FAULT_GAP_S has
passed (50 ms; 4 s for the tool, whose back-off starts at 500 ms), so one
poll meets at most 3 faulted attempts, which its budget (3 retries, plus
one resend when a kept-alive connection turns out dead) absorbs. Stacked
faults (5+ faulted attempts in one poll) fail a poll by design: that is
the retry limit working, not a bug.

Checks (exit 0 only when all hold):
  - zero failed polls (the client's exit status and its count);
  - RSS: the last sample <= the first sample after warm-up (10% of the
    polls, at most 5000) + RSS_TOL_KB (default 64);
  - fds: at every sample, fds minus the client's own kept-alive socket
    equals the count before the first poll, and after bact_close() the
    count is back to that.

A benchmark, not part of `make test`: `make soak` runs it (SOAK_N=...).
Talks only to the mock on 127.0.0.1; every loop is bounded by N and a
wall-clock limit, and it ends by itself.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "soak-key"
WF = "16217357109956214"
RSS_TOL_KB = int(os.environ.get("RSS_TOL_KB", "64"))
# The most one poll can spend in back-off after a faulted attempt, with room
# to spare: soak_poll's retry 3 waits at most 5 ms * 2^2 = 20 ms; the tool's
# (500 ms first step) at most 2 s, 3.5 s for all three.
FAULT_GAP_S = {"lib": 0.05, "tool": 4.0}
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def main():
    if len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1])
        return 2
    prog = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    lib_mode = "soak_poll" in os.path.basename(prog)
    k = max(1, min(1000, n // 100))
    warm = min(5000, max(k, (n // 10) // k * k))
    tmp = tempfile.mkdtemp(prefix="bact-soak-")
    port_file = os.path.join(tmp, "port")
    mock_err = open(os.path.join(tmp, "mock.stderr"), "wb")
    mock = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests/mock/mock_server.py"),
         "--port", "0", "--port-file", port_file, "--api-key", KEY,
         "--created-ms", "100", "--run-ms", "200"],
        stdin=subprocess.DEVNULL, stdout=mock_err, stderr=mock_err)
    client = None
    try:
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        base = "http://127.0.0.1:%s" % open(port_file).read().strip()

        def http(method, path, body=None, key=None):
            req = urllib.request.Request(
                base + path, method=method,
                data=json.dumps(body).encode() if body is not None else None)
            if body is not None:
                req.add_header("Content-Type", "application/json")
            if key:
                req.add_header("Authorization", "Bearer " + key)
            with OPENER.open(req, timeout=10) as r:
                return json.loads(r.read() or b"null")

        task = http("POST", "/v2/workflow/run-task",
                    {"workflow_id": WF,
                     "input_parameters": [{"name": "query", "value": "soak"}]},
                    key=KEY)["id"]

        # ---- the side thread: connection killers, bounded -----------------
        stop = threading.Event()
        injected = {"drop": 0, "reset": 0, "close": 0, "faulted requests": 0,
                    "control errors": 0}
        budget = max(1, n // 20)

        def killer():
            rnd = random.Random(os.environ.get("SOAK_SEED", "1"))
            for _ in range(budget):
                if stop.wait(rnd.uniform(0.005, 0.03)):
                    return
                try:
                    what = rnd.choice(("drop", "reset", "close"))
                    if what == "close":
                        http("POST", "/_mock/config", {"close": True})
                        stop.wait(rnd.uniform(0.005, 0.04))
                        http("POST", "/_mock/config", {"close": False})
                    else:
                        cnt = rnd.randint(1, 3)
                        http("POST", "/_mock/fault", {"kind": what, "count": cnt})
                        injected["faulted requests"] += cnt
                        # no stacking: wait until it is used up, then until
                        # the poll that met it is past its back-off
                        t_end = time.time() + 10
                        while (http("GET", "/_mock/fault") and time.time() < t_end
                               and not stop.is_set()):
                            stop.wait(0.002)
                        stop.wait(FAULT_GAP_S["lib" if lib_mode else "tool"])
                    injected[what] += 1
                except Exception:   # noqa: BLE001 - counted, never fatal
                    injected["control errors"] += 1

        side = threading.Thread(target=killer, daemon=True)
        limit_s = max(600.0, n / 50.0)
        env = dict(os.environ, NO_PROXY="*", no_proxy="*")
        t0 = time.time()
        side.start()
        samples, fails, done = [], [], None
        if lib_mode:
            client = subprocess.Popen([prog, base, KEY, task, str(n), str(k)],
                                      stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, env=env)
            killer_t = threading.Timer(limit_s, client.kill)
            killer_t.start()
            for line in client.stdout:
                line = line.decode("utf-8", "replace").strip()
                f = dict(re.findall(r"(\w+)=(-?\d+)", line))
                f = {a: int(b) for a, b in f.items()}
                if line.startswith("sample "):
                    samples.append(f)
                    if f["polls"] % max(k, n // 10) == 0:
                        print("# %7d polls  rss %5d KiB  fds %d (+%d conn)  "
                              "failed %d  retries %d  connects %d  %.1f s" % (
                                  f["polls"], f["rss_kb"], f["fds"] - f["conn"],
                                  f["conn"], f["failed"], f["retries"],
                                  f["connects"], f["ms"] / 1000.0), flush=True)
                elif line.startswith("done "):
                    done = f
                elif line.startswith("trace ") and len(fails) <= 20:
                    print("#   " + line, flush=True)
                elif line.startswith("fail "):
                    if len(fails) < 20:
                        print("# " + line, flush=True)
                    fails.append(line)
            rc = client.wait()
            killer_t.cancel()
            failed = done["failed"] if done else n
            retries = done["retries"] if done else -1
            connects = done["connects"] if done else -1
        else:
            failed, retries, connects, rc = 0, 0, -1, 0
            deadline = t0 + limit_s
            benv = dict(env, BROWSERACT_BASE_URL=base, BROWSERACT_API_KEY=KEY)
            for i in range(n):
                if time.time() > deadline:
                    failed += n - i
                    break
                r = subprocess.run([prog, "-v", "--retries", "3", "status", task],
                                   stdin=subprocess.DEVNULL, capture_output=True,
                                   env=benv, timeout=60)
                retries += r.stderr.count(b"retry")
                if r.returncode != 0:
                    failed += 1
                    rc = 1
                    if len(fails) < 20:
                        print("# fail poll=%d exit %d %s" % (
                            i, r.returncode, r.stderr.decode()[-200:].strip()))
                    fails.append(i)
                if (i + 1) % max(1, n // 10) == 0:
                    print("# %7d polls  failed %d  %.1f s" % (
                        i + 1, failed, time.time() - t0), flush=True)
        took = time.time() - t0
        stop.set()
        side.join(5)
        left = http("GET", "/_mock/fault")

        # ---- verdict -----------------------------------------------------
        problems = []
        print("polls: %d in %.1f s (%.0f/s), failed: %d, retries: %d, "
              "connections opened: %d" % (n, took, n / took if took else 0,
                                          failed, retries, connects))
        print("injected: %d drop and %d reset faults (%d requests hit, %d "
              "still queued at the end), %d close windows; control errors: %d"
              % (injected["drop"], injected["reset"],
                 injected["faulted requests"] - sum(f["count"] for f in left),
                 sum(f["count"] for f in left), injected["close"],
                 injected["control errors"]))
        if failed or rc != 0:
            problems.append("%d failed polls (exit %s)" % (failed, rc))
        if injected["drop"] + injected["reset"] + injected["close"] == 0:
            problems.append("nothing was injected")
        if lib_mode:
            if not samples or done is None or samples[-1]["polls"] != n:
                problems.append("the client stopped early (%d samples)" % len(samples))
            else:
                first = samples[0]
                after = next(s for s in samples if s["polls"] >= warm)
                last = samples[-1]
                peak = max(s["rss_kb"] for s in samples)
                fds0 = first["fds"]
                bad_fds = [s for s in samples if s["fds"] - s["conn"] != fds0]
                print("rss KiB: start %d, after warm-up (%d polls) %d, end %d, "
                      "peak %d (tolerance +%d)" % (first["rss_kb"], after["polls"],
                                                  after["rss_kb"], last["rss_kb"],
                                                  peak, RSS_TOL_KB))
                print("fds: start %d, end %d (+%d kept-alive socket), after "
                      "bact_close %d; samples off the start count: %d of %d" % (
                          fds0, last["fds"] - last["conn"], last["conn"],
                          done["fds"], len(bad_fds), len(samples)))
                if last["rss_kb"] > after["rss_kb"] + RSS_TOL_KB:
                    problems.append("RSS grew: %d KiB after warm-up, %d KiB at "
                                    "the end" % (after["rss_kb"], last["rss_kb"]))
                if bad_fds:
                    s = bad_fds[0]
                    problems.append("fds not flat: %d at start, %d (conn %d) at "
                                    "poll %d" % (fds0, s["fds"], s["conn"], s["polls"]))
                if done["fds"] != fds0 or done["conn"] != 0:
                    problems.append("fds after bact_close: %d, at start %d" % (
                        done["fds"], fds0))
        else:
            print("rss/fds: not measured (one bact process per poll; use "
                  "build/host/soak_poll)")
        for p in problems:
            print("problem: " + p)
        print("result: %s" % ("FAIL" if problems else "PASS"))
        return 1 if problems else 0
    finally:
        if client is not None and client.poll() is None:
            client.kill()
            client.wait()
        mock.terminate()
        try:
            mock.wait(5)
        except subprocess.TimeoutExpired:
            mock.kill()
            mock.wait()
        mock_err.close()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


if __name__ == "__main__":
    sys.exit(main())
