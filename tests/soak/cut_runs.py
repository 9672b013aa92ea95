#!/usr/bin/env python3
"""Duplicate-safe runs, measured: N run-task calls whose connection the mock
cuts right after it has created the task (fault cut_after_run), plus N/10
whose connection it drops before taking the request (fault drop). Every
call must end with the right task id and no workflow may run twice.

    tests/soak/cut_runs.py BACT_BINARY [N]      (default N = 1000)

A benchmark, not part of `make test`: `make dup-check` runs it. Talks only
to the mock on 127.0.0.1; the loop is bounded by N and ends by itself.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WF = "16217357109956214"


def main():
    bact = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    tmp = tempfile.mkdtemp()
    port_file = os.path.join(tmp, "port")
    mock = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests/mock/mock_server.py"),
         "--port", "0", "--port-file", port_file, "--api-key", "k",
         "--created-ms", "60000", "--run-ms", "60000"],
        stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        base = "http://127.0.0.1:%s" % open(port_file).read().strip()

        def ctl(method, path, body=None):
            req = urllib.request.Request(base + "/_mock/" + path, method=method,
                                         data=json.dumps(body).encode() if body else None)
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read() or b"null")

        env = dict(os.environ, BROWSERACT_BASE_URL=base, BROWSERACT_API_KEY="k")
        # cut runs back to back; drop runs spaced out, since a resend is
        # only allowed once list-tasks shows the window holds no such task
        plan = [("cut_after_run", i) for i in range(n)] + \
               [("drop", n + i) for i in range(max(1, n // 100))]
        outcomes = {"adopted": 0, "resent": 0, "unsure": 0, "failed": 0}
        ids = {}
        t0 = time.time()
        for kind, i in plan:
            if kind == "drop":
                time.sleep(3.5)
            ctl("POST", "fault", {"kind": kind, "path": "/v2/workflow/run-task"})
            r = subprocess.run([bact, "run", WF, "-p", "run=%d" % i],
                               env=env, capture_output=True, timeout=60)
            if r.returncode == 3:
                # the library could not tell whether a task was created and
                # refused to guess: a failed call, never a duplicate
                outcomes["unsure"] += 1
                continue
            if r.returncode != 0:
                outcomes["failed"] += 1
                continue
            ids[i] = r.stdout.decode().strip()
            err = r.stderr.decode()
            outcomes["adopted" if "adopted" in err else
                     "resent" if "sent again" in err else "failed"] += 1
        took = time.time() - t0
        tasks = []
        for page in range(1, 100):
            req = urllib.request.Request(
                base + "/v2/workflow/list-tasks?page=%d&limit=500" % page,
                headers={"Authorization": "Bearer k"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                items = json.loads(resp.read())["items"]
            tasks += items
            if len(items) < 500:
                break
        runs = ctl("GET", "requests")
        per_input = {}
        for t in tasks:
            per_input[t.get("input_parameters")] = per_input.get(
                t.get("input_parameters"), 0) + 1
        dups = sum(c - 1 for c in per_input.values() if c > 1)
        wrong = sum(1 for i, tid in ids.items()
                    if not any(t["id"] == tid and t.get("input_parameters") == "run=%d" % i
                               for t in tasks))
        print("cut runs: %d, drop runs: %d, in %.1f s" % (n, len(plan) - n, took))
        print("adopted: %d, resent: %d, unsure (exit 3, nothing resent): %d, "
              "failed: %d" % (outcomes["adopted"], outcomes["resent"],
                              outcomes["unsure"], outcomes["failed"]))
        print("run-task requests: %d, tasks created: %d, duplicate tasks: %d, "
              "wrong ids: %d" % (sum(1 for q in runs if q["path"].endswith("run-task")),
                                 len(tasks), dups, wrong))
        ok = dups == 0 and wrong == 0 and outcomes["failed"] == 0
        print("result: %s" % ("PASS" if ok else "FAIL"))
        return 0 if ok else 1
    finally:
        mock.terminate()
        mock.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
