#!/usr/bin/env bash
# Contract tests: every request the bact tool sends must be accepted by
# Stoplight Prism serving tests/contract/browseract-openapi.json as a
# validating mock.
#
#   tests/contract/run.sh path/to/bact
#
# Prints one line per check, "ok - contract.<name>" or
# "not ok - contract.<name>: why" (plus "# " comment lines), and exits 0
# only when every check passed. Prism is installed from package-lock.json
# with `npm ci` when tests/contract/node_modules is missing or stale, listens
# on 127.0.0.1 only (a free port), logs to build/contract-prism.log, and is
# always stopped on exit.
#
# Verdict for each bact call: bact exits 0, its stdout has the expected
# shape (Prism answers with the document's 200 example), the request line
# bact prints with -v has the expected method, path and decoded query, and
# Prism's log for that one request says "The request passed the validation
# rules" with no "Violation:" line and a 2xx answer. The log is split per
# request with a sentinel request sent after each call.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
doc=$here/browseract-openapi.json

bin=${1:-}
if [ -z "$bin" ]; then
    echo "not ok - contract.setup: usage: tests/contract/run.sh path/to/bact"
    exit 1
fi
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    echo "not ok - contract.setup: '$bin' is not an executable file (build it with make)"
    exit 1
fi
case $bin in
    /*) ;;
    *) bin=$PWD/$bin ;;
esac
for cmd in node npm python3 curl timeout; do
    if ! command -v "$cmd" >/dev/null 2>&1; then
        echo "not ok - contract.setup: $cmd not found (run scripts/deps.sh)"
        exit 1
    fi
done

mkdir -p "$root/build"
prism_log=$root/build/contract-prism.log
npm_log=$root/build/contract-npm.log
t_start=$SECONDS

# ---- install Prism (exact version from package-lock.json) ------------------
prism=$here/node_modules/.bin/prism
want_ver=$(node -p 'require(process.argv[1]).dependencies["@stoplight/prism-cli"]' "$here/package.json")
have_ver=$(node -p 'try { require(process.argv[1]).version } catch (e) { "" }' \
    "$here/node_modules/@stoplight/prism-cli/package.json" 2>/dev/null)
if [ ! -x "$prism" ] || [ "$have_ver" != "$want_ver" ]; then
    echo "# installing @stoplight/prism-cli $want_ver with npm ci (log: build/contract-npm.log)"
    if ! (cd "$here" && npm ci --no-audit --no-fund) >"$npm_log" 2>&1; then
        echo "not ok - contract.setup: npm ci failed, see build/contract-npm.log: $(tail -n 3 "$npm_log" | tr '\n' ' ')"
        exit 1
    fi
fi

# From here on nothing may go through a proxy: all traffic is loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'
export FORCE_COLOR=0 NO_COLOR=1
unset NODE_ENV   # NODE_ENV=production would make Prism fork a worker

tmp=$(mktemp -d)
prism_pid=
exited() { # pid: gone, or a zombie waiting for us to reap it
    local rest
    [ -r "/proc/$1/stat" ] || { ! kill -0 "$1" 2>/dev/null; return; }
    read -r rest <"/proc/$1/stat" 2>/dev/null || return 0
    rest=${rest##*) }
    [ "${rest%% *}" = Z ]
}
stop_prism() { # SIGTERM, then SIGKILL after 5 s
    if [ -n "$prism_pid" ]; then
        kill "$prism_pid" 2>/dev/null
        local i
        for i in $(seq 1 100); do
            exited "$prism_pid" && break
            sleep 0.05
        done
        kill -9 "$prism_pid" 2>/dev/null
        wait "$prism_pid" 2>/dev/null
        prism_pid=
    fi
}
helper_pid=
cleanup() {
    stop_prism
    [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

key=app-contract-test-key
curlq() { curl --noproxy '*' -s --max-time 10 "$@"; }

# ---- start Prism on a free loopback port ----------------------------------
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
start_prism() { # up to 3 tries: another process may grab the port first
    local attempt deadline code
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        base=http://127.0.0.1:$port
        : >"$prism_log"
        "$prism" mock --no-multiprocess -h 127.0.0.1 -p "$port" "$doc" >>"$prism_log" 2>&1 &
        prism_pid=$!
        deadline=$((SECONDS + 60))
        while [ $SECONDS -lt $deadline ] && ! exited "$prism_pid"; do
            if grep -qF "Prism is listening on $base" "$prism_log"; then
                code=$(curlq -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
                    "$base/v2/workflow/get-region-list")
                [ "$code" = 200 ] && return 0
            fi
            sleep 0.1
        done
        if ! exited "$prism_pid"; then
            stop_prism
            start_error="Prism did not answer within 60 s"
            return 1
        fi
        wait "$prism_pid" 2>/dev/null
        prism_pid=
        start_error="Prism exited early: $(grep -v '^[[:space:]]*$' "$prism_log" | tail -n 3 |
            sed 's/^[[:space:]]*//' | tr -s ' ' | tr '\n' ' ')"
        grep -q EADDRINUSE "$prism_log" || return 1
    done
    return 1
}
start_error=
if ! start_prism; then
    echo "not ok - contract.setup: $start_error (log: build/contract-prism.log)"
    exit 1
fi
echo "# prism $want_ver on $base, ready after $((SECONDS - t_start)) s"

# ---- helpers ---------------------------------------------------------------
# The JSON and query checks run in one node process (started once: a new
# interpreter per check would cost more than the checks themselves). Bash
# writes the arguments NUL-separated to $tmp/req and a newline to its stdin;
# it answers one line, "ok" or "fail WHY".
cat >"$tmp/helper.js" <<'JS'
'use strict';
const fs = require('fs');
const readline = require('readline');
const [docPath, reqPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));

const oneLine = (s, limit = 300) => {
  s = s.split(/\r?\n/).map(l => l.trim()).filter(Boolean).join(' | ');
  return s.length <= limit ? s : s.slice(0, limit) + '...';
};
const operation = pred => {
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      if (op && typeof op === 'object' && pred(path, method, op)) return op;
  throw new Error('operation not in the document');
};
const deref = p => (p.$ref ? p.$ref.split('/').slice(1).reduce((o, k) => o[k], doc) : p);

// json-eq OPID FILE: FILE holds the operation's 200 example (empty if none).
function jsonEq(opId, file) {
  const content = operation((pa, m, op) => op.operationId === opId).responses['200'].content;
  const raw = fs.readFileSync(file);
  if (!content) return raw.length ? 'expected no output, got ' + JSON.stringify(oneLine(raw.toString())) : '';
  const want = Object.values(content['application/json'].examples)[0].value;
  let got;
  try { got = JSON.parse(raw.toString('utf8')); }
  catch (e) { return 'stdout is not JSON (' + e.message + '): ' + oneLine(raw.toString()); }
  const canon = v => JSON.stringify(v, (k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.keys(x).sort().map(k2 => [k2, x[k2]])) : x);
  return canon(got) === canon(want) ? '' :
    "stdout JSON differs from the document's 200 example: " + oneLine(raw.toString());
}

// request ERRFILE METHOD PATH [NAME=VALUE]...: the one request line bact -v
// printed has that method and path; its query decodes to have each
// NAME=VALUE exactly once, and names no parameter the operation lacks.
function request(errFile, method, path, pairs) {
  const err = fs.readFileSync(errFile, 'utf8');
  const lines = [...err.matchAll(/\b(GET|PUT|POST|DELETE|PATCH|HEAD) (\/\S*) HTTP\/1\.[01]\b/g)];
  if (lines.length !== 1) return 'expected one request line on stderr (-v), found ' + lines.length;
  const [, m, target] = lines[0];
  const q = target.indexOf('?');
  const p = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  if (m !== method || p !== path) return `sent ${m} ${p}, expected ${method} ${path}`;
  if (!/^[A-Za-z0-9\-._~%!$&'()*+,;=:@\/?]*$/.test(query))
    return 'query has characters that must be percent-encoded: ' + JSON.stringify(query);
  const got = [];
  try {
    for (const part of query ? query.split('&') : []) {
      const i = part.indexOf('=');
      const dec = s => decodeURIComponent(s.replace(/\+/g, ' '));
      got.push(i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
    }
  } catch (e) { return 'query does not decode: ' + JSON.stringify(query); }
  const names = got.map(([n]) => n);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) return `parameter ${dup} sent twice in ${JSON.stringify(query)}`;
  const op = operation((pa, mm) => pa === path && mm === method.toLowerCase());
  const declared = (op.parameters || []).map(deref).filter(x => x.in === 'query').map(x => x.name);
  const undeclared = names.filter(n => !declared.includes(n));
  if (undeclared.length) return 'undeclared query parameter(s) ' + undeclared.join(', ') + ' in ' + JSON.stringify(query);
  const gotMap = new Map(got);
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    const n = pair.slice(0, i), v = pair.slice(i + 1);
    if (!gotMap.has(n)) return `${n} missing from query ${JSON.stringify(query)}`;
    if (gotMap.get(n) !== v) return `${n} decodes to ${JSON.stringify(gotMap.get(n))}, expected ${JSON.stringify(v)}`;
  }
  return '';
}

readline.createInterface({ input: process.stdin }).on('line', () => {
  let why;
  try {
    const [cmd, ...args] = fs.readFileSync(reqPath, 'utf8').split('\0').slice(0, -1);
    if (cmd === 'json-eq') why = jsonEq(args[0], args[1]);
    else if (cmd === 'request') why = request(args[0], args[1], args[2], args.slice(3));
    else why = 'unknown helper command ' + cmd;
  } catch (e) { why = 'helper: ' + e.message; }
  process.stdout.write(why ? 'fail ' + oneLine(why, 600) + '\n' : 'ok\n');
});
JS
coproc HELPER { exec node "$tmp/helper.js" "$doc" "$tmp/req"; }
helper_pid=$HELPER_PID
helper() { # args... -> 0, or 1 with the reason in helper_why
    local reply
    helper_why=
    printf '%s\0' "$@" >"$tmp/req"
    printf '\n' >&"${HELPER[1]}"
    if ! IFS= read -r -t 30 reply <&"${HELPER[0]}"; then
        helper_why="the node helper did not answer"
        return 1
    fi
    [ "$reply" = ok ] && return 0
    helper_why=${reply#fail }
    return 1
}
oneline() { # file -> its text on one line, shortened
    sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1" | tr '\n' '\036' |
        sed -e 's/\x1e$//' -e 's/\x1e/ | /g' | cut -c1-600
}

pass=0 fail=0
report() { # name [why]
    if [ -z "${2:-}" ]; then
        echo "ok - contract.$1"
        pass=$((pass + 1))
    else
        echo "not ok - contract.$1: $2"
        fail=$((fail + 1))
    fi
}

# Prism's log for everything since offset $1, up to a sentinel request sent
# now. Everything Prism logs for a request is written before its response,
# so once the sentinel shows up every line of the earlier request is there.
seg_n=0
log_size() { wc -c <"$prism_log" | tr -d ' '; }
log_segment() { # offset -> $tmp/seg
    seg_n=$((seg_n + 1))
    local s=/__contract_sentinel_$seg_n i
    curlq -o /dev/null "$base$s"
    for i in $(seq 1 250); do
        grep -qE "\] get $s .*Request received" "$prism_log" && break
        sleep 0.02
    done
    tail -c +$(($1 + 1)) "$prism_log" | sed "\#\] get $s #,\$d" >"$tmp/seg"
}
# Checks $tmp/seg holds exactly one request, METHOD PATH, accepted; sets verdict.
prism_verdict() { # method path
    local m p got
    m=$(printf '%s' "$1" | tr 'A-Z' 'a-z')
    p=$2
    verdict=
    got=$(sed -nE 's/.*\[HTTP SERVER\] ([a-z]+) (\S+) .*Request received.*/\1 \2/p' "$tmp/seg")
    if [ -z "$got" ]; then
        verdict="Prism logged no request"
    elif [ "$got" != "$m $p" ]; then
        verdict="Prism received [$(printf '%s' "$got" | tr '\n' ';')], expected [$m $p]"
    elif grep -qE 'Violation:|did not pass the validation' "$tmp/seg"; then
        verdict="Prism rejected the request: $(grep -E 'Violation:' "$tmp/seg" | sed 's/.*Violation: //' | tr '\n' ';')"
    elif ! grep -q 'The request passed the validation rules' "$tmp/seg"; then
        verdict="Prism did not validate the request: $(grep -E 'error|warning' "$tmp/seg" | sed 's/.*\] //' | tr '\n' ';')"
    elif ! grep -qE 'Responding with "2[0-9][0-9]"' "$tmp/seg"; then
        verdict="Prism did not answer 2xx: $(grep -E 'Responding with|error' "$tmp/seg" | sed 's/.*\] //' | tr '\n' ';')"
    fi
    [ -z "$verdict" ]
}

# Runs bact (with -v, so the request line shows on stderr; one attempt, no
# retries, so one call is one request) and records Prism's log for it.
invoke() { # bact args...
    local off
    off=$(log_size)
    timeout 60 "$bin" --base-url "$base" --api-key "$key" --retries 0 -v "$@" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    log_segment "$off"
}

# contract NAME METHOD PATH SHAPE [NAME=VALUE...] -- BACT ARGS...
# SHAPE is a shell function that checks $tmp/out and sets shape_why on failure.
contract() {
    local name=$1 method=$2 path=$3 shape=$4
    shift 4
    local -a query=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do query+=("$1"); shift; done
    shift
    invoke "$@"
    local why=
    if [ "$rc" -ne 0 ]; then
        why="bact exited $rc, stderr: $(oneline "$tmp/err")"
    fi
    if ! prism_verdict "$method" "$path"; then
        why="${why:+$why; }$verdict"
    fi
    if [ -z "$why" ]; then
        helper request "$tmp/err" "$method" "$path" ${query[@]+"${query[@]}"} ||
            why="request: $helper_why"
    fi
    if [ -z "$why" ]; then
        shape_why=
        "$shape" || why="stdout: $shape_why"
    fi
    report "$name" "$why"
}

# ---- stdout shapes (Prism answers with each operation's 200 example) -------
TASK=16429034742537847        # ids of the document's examples
WF=16217357109956214
TPL=77638424152140851
out_lines() { awk 'END { print NR }' "$tmp/out"; }
show() { oneline "$tmp/out"; }
expect_exact() { # expected stdout, line by line
    local want
    want=$(printf '%s\n' "$@")
    if [ "$(cat "$tmp/out")" != "$want" ] || [ "$(tail -c 1 "$tmp/out" | od -An -c | tr -d ' ')" != '\n' ]; then
        shape_why="expected [$(printf '%s' "$want" | tr '\n' '|')], got [$(show)]"
        return 1
    fi
}
expect_contains() { # fixed strings that must all appear
    local s
    for s in "$@"; do
        if ! grep -qF -- "$s" "$tmp/out"; then
            shape_why="missing '$s' in [$(show)]"
            return 1
        fi
    done
}
expect_line() { # line number, expected whitespace-separated fields
    local n=$1; shift
    local got want
    got=$(sed -n "${n}p" "$tmp/out" | awk '{ $1 = $1; print }')
    want="$*"
    if [ "$got" != "$want" ]; then
        shape_why="line $n: expected [$want], got [$got]"
        return 1
    fi
}
expect_nlines() {
    if [ "$(out_lines)" != "$1" ]; then
        shape_why="expected $1 line(s), got $(out_lines): [$(show)]"
        return 1
    fi
}
expect_empty() {
    if [ -s "$tmp/out" ]; then
        shape_why="expected no output, got [$(show)]"
        return 1
    fi
}
json_of() { # operationId: stdout is the document's 200 example, as JSON
    helper json-eq "$1" "$tmp/out" || { shape_why=$helper_why; return 1; }
}

shape_run() { expect_exact "$TASK" "profile_id: cdefghi"; }
shape_run_template() { expect_exact 12425895140306551; }
shape_status() { expect_exact running; }
shape_get() {
    expect_contains finished 2025-10-08T10:17:54Z 2025-10-08T10:24:09Z \
        '{"items":[{"title":"iPhone 17"}]}' \
        https://files.example.com/output/16429034742537847.csv
}
shape_empty() { expect_empty; }
shape_tasks() {
    expect_nlines 2 &&
        expect_line 1 "$TASK" finished 2025-10-08T10:17:54Z "$WF" &&
        expect_line 2 16425895140306551 failed 2025-10-08T09:53:00Z "$WF"
}
shape_workflows() {
    expect_nlines 1 && expect_line 1 "$WF" test demo
}
shape_workflow() {
    expect_contains "test demo" "This is a test demo" target_url product_limit
}
shape_templates() {
    expect_nlines 2 &&
        expect_contains "Google News API" "Amazon ASIN Lookup" &&
        [ "$(awk 'NR == 1 { print $1 }' "$tmp/out")" = "$TPL" ] &&
        [ "$(awk 'NR == 2 { print $1 }' "$tmp/out")" = 77814333389670716 ] ||
        { shape_why=${shape_why:-"expected template ids first, got [$(show)]"}; return 1; }
}
shape_template() {
    expect_contains "Google News API" "Scrape Google News results." \
        Search_Keywords Publish_date Datelimit
}
shape_regions() {
    expect_nlines 4 &&
        expect_line 1 US United States && expect_line 2 UK United Kingdom &&
        expect_line 3 DE Germany && expect_line 4 JP Japan
}
shape_json_run() { json_of runTask; }
shape_json_run_template() { json_of runTemplateTask; }
shape_json_status() { json_of getTaskStatus; }
shape_json_get() { json_of getTask; }
shape_json_tasks() { json_of pageTasks; }
shape_json_stop() { json_of stopTask; }
shape_json_workflow() { json_of getWorkflowConfig; }
shape_json_templates() { json_of getWorkflowTemplates; }
shape_json_regions() { json_of getRegionList; }

# ---- every command, every option -------------------------------------------
W=/v2/workflow
hook=https://example.com/hook
shook=https://example.com/status

contract run POST $W/run-task shape_run -- \
    run "$WF" -p target_url=https://www.google.com/search?q=iphone17 -p product_limit=10 \
    --save-browser-data --profile-id cdefghi \
    --callback-url "$hook" --status-callback-url "$shook"
contract run.minimal POST $W/run-task shape_run -- run "$WF"
contract run.escaping POST $W/run-task shape_run -- \
    run "$WF" -p 'quote=he said "hi" \ back\slash' -p "$(printf 'ctl=line1\nline2\ttab\001')" \
    -p 'utf8=é ü 東京 😀' -p 'empty=' -p 'eq=a=b=c'
contract run-template POST $W/run-task-by-template shape_run_template -- \
    run-template "$TPL" -p "Search_Keywords=AI technology" -p "Publish_date=past week" \
    --region US --callback-url "$hook" --status-callback-url "$shook"
contract run-template.minimal POST $W/run-task-by-template shape_run_template -- \
    run-template "$TPL"
contract status GET $W/get-task-status shape_status task_id=$TASK -- status "$TASK"
contract status.odd-id GET $W/get-task-status shape_status 'task_id=a&b=c #d+e%f/é' -- \
    status 'a&b=c #d+e%f/é'
contract get GET $W/get-task shape_get task_id=$TASK -- get "$TASK"
contract stop PUT $W/stop-task shape_empty task_id=$TASK -- stop "$TASK"
contract stop.biz-code PUT $W/stop-task shape_empty task_id=$TASK biz_code=1001 -- \
    stop "$TASK" --biz-code 1001
contract resume PUT $W/resume-task shape_empty task_id=$TASK -- resume "$TASK"
contract tasks GET $W/list-tasks shape_tasks \
    status=running workflow_id=$WF 'workflow_name=a b&c' \
    created_at_from=2024-01-01T00:00:00Z created_at_to=2024-12-31T23:59:59Z \
    page=2 limit=50 -- \
    tasks --status running --workflow-id "$WF" --workflow-name "a b&c" \
    --from 2024-01-01T00:00:00Z --to 2024-12-31T23:59:59Z --page 2 --limit 50
contract tasks.no-filter GET $W/list-tasks shape_tasks -- tasks
contract workflows GET $W/list-workflows shape_workflows page=1 limit=500 -- \
    workflows --page 1 --limit 500
contract workflow GET $W/get-workflow shape_workflow workflow_id=$WF -- workflow "$WF"
contract templates GET $W/list-official-workflow-templates shape_templates \
    'keyword=amazon reviews' -- templates --keyword "amazon reviews"
contract templates.escaping GET $W/list-official-workflow-templates shape_templates \
    'keyword=a&b=c?d#e+f%g/h é😀' page=3 limit=1 -- \
    templates --keyword 'a&b=c?d#e+f%g/h é😀' --page 3 --limit 1
contract template GET $W/get-official-workflow-template shape_template \
    workflow_template_id=$TPL -- template "$TPL"
contract regions GET $W/get-region-list shape_regions -- regions

# --json: the body exactly as Prism sent it, i.e. the document's example.
contract json.run POST $W/run-task shape_json_run -- \
    --json run "$WF" -p a=b --save-browser-data --profile-id cdefghi \
    --callback-url "$hook" --status-callback-url "$shook"
contract json.run-template POST $W/run-task-by-template shape_json_run_template -- \
    --json run-template "$TPL" -p a=b --region UK --callback-url "$hook" --status-callback-url "$shook"
contract json.status GET $W/get-task-status shape_json_status task_id=$TASK -- \
    --json status "$TASK"
contract json.get GET $W/get-task shape_json_get task_id=$TASK -- --json get "$TASK"
contract json.stop PUT $W/stop-task shape_json_stop task_id=$TASK biz_code=101 -- \
    --json stop "$TASK" --biz-code 101
contract json.tasks GET $W/list-tasks shape_json_tasks status=finished page=1 limit=1 -- \
    --json tasks --status finished --page 1 --limit 1
contract json.workflow GET $W/get-workflow shape_json_workflow workflow_id=$WF -- \
    --json workflow "$WF"
contract json.templates GET $W/list-official-workflow-templates shape_json_templates \
    keyword=amazon -- --json templates --keyword amazon
contract json.regions GET $W/get-region-list shape_json_regions -- --json regions

# ---- negative checks: Prism really validates --------------------------------
# Requests that violate the document, sent with curl. Prism must answer with
# the expected 4xx and name the violation in its sl-violations header; the
# same request made valid must get a 2xx, so the 4xx is about that violation.
reject() { # name want_status want_location valid_status -- curl args (bad) -- curl args (valid)
    local name=$1 want=$2 loc=$3
    shift 3
    [ "$1" = -- ] && shift
    local -a bad=() good=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do bad+=("$1"); shift; done
    shift
    good=("$@")
    local code viol why= gcode
    code=$(curlq -D "$tmp/hdr" -o "$tmp/body" -w '%{http_code}' "${bad[@]}")
    viol=$(tr -d '\r' <"$tmp/hdr" | sed -n 's/^[Ss][Ll]-[Vv]iolations: //p')
    if [ "$code" != "$want" ]; then
        why="expected HTTP $want, got $code (body: $(oneline "$tmp/body"))"
    elif ! printf '%s' "$viol" | grep -qF "\"location\":$loc"; then
        why="expected a violation at $loc, sl-violations: [$viol]"
    fi
    if [ -z "$why" ]; then
        gcode=$(curlq -o "$tmp/body" -w '%{http_code}' "${good[@]}")
        case $gcode in
            2??) ;;
            *) why="control request got HTTP $gcode (body: $(oneline "$tmp/body"))" ;;
        esac
    fi
    report "reject.$name" "$why"
}
A="Authorization: Bearer $key"
J="Content-Type: application/json"
reject list-tasks-limit-501 400 '["request","query","limit"]' -- \
    -H "$A" "$base$W/list-tasks?limit=501" -- \
    -H "$A" "$base$W/list-tasks?limit=500"
reject get-task-without-task-id 400 '["request","query"]' -- \
    -H "$A" "$base$W/get-task" -- \
    -H "$A" "$base$W/get-task?task_id=$TASK"
reject run-task-empty-body 400 '["request","body"]' -- \
    -H "$A" -H "$J" -X POST -d '{}' "$base$W/run-task" -- \
    -H "$A" -H "$J" -X POST -d "{\"workflow_id\":\"$WF\"}" "$base$W/run-task"
reject run-task-numeric-workflow-id 400 '["request","body","workflow_id"]' -- \
    -H "$A" -H "$J" -X POST -d "{\"workflow_id\":$WF}" "$base$W/run-task" -- \
    -H "$A" -H "$J" -X POST -d "{\"workflow_id\":\"$WF\"}" "$base$W/run-task"
reject run-task-ftp-callback 400 '["request","body","callback_url"]' -- \
    -H "$A" -H "$J" -X POST -d "{\"workflow_id\":\"$WF\",\"callback_url\":\"ftp://example.com/x\"}" "$base$W/run-task" -- \
    -H "$A" -H "$J" -X POST -d "{\"workflow_id\":\"$WF\",\"callback_url\":\"$hook\"}" "$base$W/run-task"
reject template-without-id 400 '["request","body"]' -- \
    -H "$A" -H "$J" -X POST -d '{"proxyRegion":"US"}' "$base$W/run-task-by-template" -- \
    -H "$A" -H "$J" -X POST -d "{\"workflow_template_id\":\"$TPL\"}" "$base$W/run-task-by-template"
reject stop-biz-code-not-integer 400 '["request","query","biz_code"]' -- \
    -H "$A" -X PUT "$base$W/stop-task?task_id=$TASK&biz_code=abc" -- \
    -H "$A" -X PUT "$base$W/stop-task?task_id=$TASK&biz_code=101"
reject list-tasks-bad-status 400 '["request","query","status"]' -- \
    -H "$A" "$base$W/list-tasks?status=done" -- \
    -H "$A" "$base$W/list-tasks?status=finished"
reject missing-authorization 401 '["request"]' -- \
    "$base$W/get-region-list" -- \
    -H "$A" "$base$W/get-region-list"

# The tool refuses --limit 501 itself (exit 2) and sends nothing.
off=$(log_size)
timeout 60 "$bin" --base-url "$base" --api-key "$key" --retries 0 tasks --limit 501 \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
log_segment "$off"
why=
if [ "$rc" -ne 2 ]; then
    why="expected exit 2, got $rc (stderr: $(oneline "$tmp/err"))"
elif [ -s "$tmp/out" ]; then
    why="expected empty stdout, got [$(show)]"
elif [ ! -s "$tmp/err" ]; then
    why="expected a message on stderr"
elif grep -q 'Request received' "$tmp/seg"; then
    why="a request reached Prism: $(grep 'Request received' "$tmp/seg" | sed 's/.*\] //' | tr '\n' ';')"
fi
report tool-refuses-limit-501 "$why"

# A value the tool passes through unchecked and the document forbids: either
# the tool refuses it (exit 2, nothing sent) or it reaches Prism, which must
# reject it (bact exit 1 and a logged violation). This shows the per-call
# verdict above does see a rejection when bact's request is at fault.
invoke tasks --from yesterday
why=
if [ "$rc" -eq 2 ]; then
    grep -q 'Request received' "$tmp/seg" && why="exit 2 but a request reached Prism"
elif [ "$rc" -eq 1 ]; then
    if prism_verdict GET $W/list-tasks; then
        why="Prism accepted created_at_from=yesterday"
    elif ! grep -q 'Violation: request.query.created_at_from' "$tmp/seg"; then
        why="unexpected Prism verdict: $verdict"
    elif ! grep -q 400 "$tmp/err"; then
        why="bact stderr does not show the HTTP 400: $(oneline "$tmp/err")"
    fi
else
    why="expected exit 2 (refused) or 1 (Prism's 400), got $rc (stderr: $(oneline "$tmp/err"))"
fi
report reject.bact-from-not-date-time "$why"

echo "# $pass passed, $fail failed in $((SECONDS - t_start)) s (Prism log: build/contract-prism.log)"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
