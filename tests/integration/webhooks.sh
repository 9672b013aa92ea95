#!/usr/bin/env bash
# Webhooks end to end: the library (with its loopback opt-in) asks the mock
# for a task with both callback URLs pointing at a listener on 127.0.0.1;
# the mock must POST every status change and the final get-task payload
# there, and try one again after a 5xx only (3 attempts in all). Without
# the opt-in the library refuses the loopback URL.
set -uo pipefail
cd "$(dirname "$0")/../.."
prog=${1:-build/host/webhook_run}
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
python3 tests/mock/mock_server.py --port 0 --port-file "$tmp/mport" \
    --api-key wh-key --created-ms 100 --run-ms 300 2>"$tmp/mock.log" &
pids+=($!)
python3 - "$tmp/lport" "$tmp/hooks" <<'PY' &
import http.server, json, os, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        with open(sys.argv[2], "a+") as f:
            f.seek(0)
            seen = sum(1 for l in f if json.loads(l)["path"] == self.path)
            f.write(json.dumps({"path": self.path, "body": json.loads(body)}) + "\n")
        # /flaky fails twice with a 5xx (retried), /gone always with a 4xx
        code = 200
        if self.path == "/flaky" and seen < 2:
            code = 503
        elif self.path == "/gone":
            code = 404
        self.send_response(code); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
tmp = sys.argv[1] + ".tmp"
open(tmp, "w").write(str(s.server_address[1])); os.rename(tmp, sys.argv[1])
s.serve_forever()
PY
pids+=($!)
for _ in $(seq 200); do [ -s "$tmp/mport" ] && [ -s "$tmp/lport" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$tmp/mport")"
hook="http://127.0.0.1:$(cat "$tmp/lport")"

out=$("$prog" "$base" wh-key 16217357109956214 "$hook/final" "$hook/status" 2>&1)
rc=$?
id=${out%% *}
if [ $rc -ne 0 ] || [ "${out#* }" != finished ]; then
    echo "not ok - webhooks.run-with-loopback-opt-in: exit $rc: $out"
else
    echo "ok - webhooks.run-with-loopback-opt-in"
fi
sleep 0.3  # the mock delivers from its ticker thread
python3 - "$tmp/hooks" "$id" <<'PY'
import json, sys
try:
    hooks = [json.loads(l) for l in open(sys.argv[1])]
except FileNotFoundError:
    hooks = []
tid = sys.argv[2]
status = [h["body"]["status"] for h in hooks if h["path"] == "/status" and h["body"].get("id") == tid]
final = [h["body"] for h in hooks if h["path"] == "/final" and h["body"].get("id") == tid]
def check(name, ok, why):
    print(("ok - webhooks." + name) if ok else ("not ok - webhooks.%s: %s" % (name, why)))
check("status-changes-posted", status == ["running", "finished"], "got %r" % status)
check("final-posted-once", len(final) == 1 and final[0]["status"] == "finished"
      and final[0]["workflow_id"] == "16217357109956214", "got %r" % final)
PY
# The API retries a callback only after a 5xx, at most 3 attempts in all;
# a 4xx is final.
out=$("$prog" "$base" wh-key 16217357109956214 "$hook/flaky" "$hook/gone" 2>&1)
rc=$?
id=${out%% *}
[ $rc -eq 0 ] || echo "not ok - webhooks.run-with-failing-receivers: exit $rc: $out"
python3 - "$tmp/hooks" "$id" <<'PY'
import json, sys, time
def seen(path):
    try:
        hooks = [json.loads(l) for l in open(sys.argv[1])]
    except FileNotFoundError:
        hooks = []
    return [h["body"]["status"] for h in hooks
            if h["path"] == path and h["body"].get("id") == sys.argv[2]]
deadline = time.time() + 10
while time.time() < deadline and len(seen("/flaky")) < 3:
    time.sleep(0.05)
time.sleep(1.5)  # room for an attempt too many
def check(name, ok, why):
    print(("ok - webhooks." + name) if ok else ("not ok - webhooks.%s: %s" % (name, why)))
flaky, gone = seen("/flaky"), seen("/gone")
check("5xx-retried-3-attempts", flaky == ["finished"] * 3, "got %r" % flaky)
check("4xx-not-retried", gone == ["running", "finished"], "got %r" % gone)
PY
out=$("$prog" "$base" wh-key 16217357109956214 "$hook/final" "$hook/status" strict 2>&1)
if [ "$out" = refused ]; then echo "ok - webhooks.loopback-refused-by-default"
else echo "not ok - webhooks.loopback-refused-by-default: $out"; fi
