#!/usr/bin/env python3
"""BrowserAct-compatible mock HTTP server (standard library only).

Implements the 12 v2 endpoints under /v2/workflow/ plus a control API
under /_mock/ used by end-to-end tests.  HTTP/1.1 is implemented by hand on
top of socketserver so that fault injection can control every byte sent.

Network rule: the server listens on 127.0.0.1 only (::1 with --ipv6) and the
only outgoing connections it ever makes are webhook POSTs to callback URLs
whose host is literally 127.0.0.1 or [::1].  Every other callback URL is
recorded and never contacted.  No host name is ever resolved.

Seeded data
-----------
  Workflows
    16217357109956214  Google Search Results Extractor   -> finished
    16305518823741902  Amazon Price Monitor               -> failed (1011)
    16388201945563318  LinkedIn Lead Collector           -> paused (resume-task)
  Official templates
    77638424152140851  Amazon Product Reviews Scraper
    77712093365028417  Google Maps Business Extractor
  Regions: US, UK, DE, JP
  Task ids start at 16429034742537847 and increment.

Usage
-----
  python3 tests/mock/mock_server.py [--port N] [--port-file PATH]
      [--api-key KEY] [--ipv6] [--created-ms N] [--run-ms N]
      [--tls-cert F --tls-key F] [--log PATH] [--list-seeds]

See tests/mock/README.md for the control API.
"""

import argparse
import json
import os
import queue
import random
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
IDLE_TIMEOUT_S = 10.0
MAX_REQUESTS_PER_CONN = 100000
MAX_RECORDS = 10000          # cap on the request log and the callback log
MAX_FAULT_DELAY_MS = 60000
TICK_S = 0.02
CALLBACK_TIMEOUT_S = 5.0
CALLBACK_ATTEMPTS = 3            # the API retries a callback after a 5xx only
CALLBACK_RETRY_S = (0.2, 0.4)    # waits before the 2nd and 3rd attempts
SERVER_NAME = "bact-mock"

TASK_STATUSES = ("created", "running", "finished", "canceled",
                 "pausing", "paused", "failed", "unknown")
TERMINAL = ("finished", "failed", "canceled")

# --------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------

WORKFLOWS = [
    {
        "id": "16217357109956214",
        "name": "Google Search Results Extractor",
        "description": "Searches Google for a query and extracts title, link "
                       "and snippet of the top organic results.",
        "create_at": "2025-10-08T10:17:54Z",
        "publish_at": "2025-10-08T10:21:03Z",
        "input_parameters": [{"name": "query", "default_enabled": False},
                             {"name": "max_results", "default_enabled": True}],
        "outcome": "finished",
        "plan": [["Navigate to https://www.google.com/search?q={query}",
                  "Wait for the result list to finish loading",
                  "Extract title, link and snippet of each organic result",
                  "Save the extracted results as structured output"]],
    },
    {
        "id": "16305518823741902",
        "name": "Amazon Price Monitor",
        "description": "Opens an Amazon product page and records the current "
                       "price and availability.",
        "create_at": "2025-11-02T08:05:41Z",
        "publish_at": "2025-11-03T14:30:00Z",
        "input_parameters": [{"name": "target_url", "default_enabled": False},
                             {"name": "product_limit", "default_enabled": True}],
        "outcome": "failed",
        "plan": [["Open the product page {target_url}",
                  "Dismiss the cookie banner",
                  "Locate the price element and read the current price"]],
    },
    {
        "id": "16388201945563318",
        "name": "LinkedIn Lead Collector",
        "description": "Logs in to LinkedIn (a human completes the "
                       "verification step), then collects people matching "
                       "a keyword.",
        "create_at": "2025-12-12T16:48:09Z",
        "publish_at": "2025-12-12T17:02:27Z",
        "input_parameters": [{"name": "search_keyword", "default_enabled": False},
                             {"name": "location", "default_enabled": True}],
        "outcome": "paused",
        "plan": [["Open https://www.linkedin.com/login",
                  "Enter the account e-mail and password",
                  "Human interaction: wait for the user to enter the "
                  "verification code"],
                 ["Open people search for '{search_keyword}'",
                  "Collect name, title and company of each result",
                  "Save the collected leads"]],
    },
]

TEMPLATES = [
    {
        "id": "77638424152140851",
        "name": "Amazon Product Reviews Scraper",
        "recommendDesc": "Collect ratings and review texts of any Amazon product.",
        "description": "Given a product URL, pages through the customer "
                       "reviews and returns rating, title, text and date.",
        "create_at": "2025-09-15T09:00:00Z",
        "publish_at": "2025-09-16T09:00:00Z",
        "input_parameters": [{"name": "product_url", "default_enabled": False},
                             {"name": "max_reviews", "default_enabled": True}],
        "plan": [["Open the product review page {product_url}",
                  "Page through the customer reviews",
                  "Extract rating, title, text and date of each review"]],
    },
    {
        "id": "77712093365028417",
        "name": "Google Maps Business Extractor",
        "recommendDesc": "Find local businesses on Google Maps with phone and rating.",
        "description": "Searches Google Maps for a business category in a "
                       "city and extracts name, address, phone and rating.",
        "create_at": "2025-10-20T12:34:56Z",
        "publish_at": "2025-10-21T08:00:00Z",
        "input_parameters": [{"name": "keyword", "default_enabled": False},
                             {"name": "city", "default_enabled": False}],
        "plan": [["Open https://www.google.com/maps and search '{keyword} in {city}'",
                  "Scroll the result panel to load more places",
                  "Extract name, address, phone and rating"]],
    },
]

REGIONS = [{"name": "United States", "code": "US"},
           {"name": "United Kingdom", "code": "UK"},
           {"name": "Germany", "code": "DE"},
           {"name": "Japan", "code": "JP"}]

FIRST_TASK_ID = 16429034742537847
FIRST_PROFILE_NO = 10000000000000001
FIRST_STEP_ID = 181973

FAILURE_INFO = {"code": 1011,
                "message": "The price element could not be found within 30 "
                           "seconds: the page layout may have changed or a "
                           "CAPTCHA blocked access to the product page."}

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, http_status, code, msg, headers=None):
        super().__init__(msg)
        self.http_status, self.code, self.msg = http_status, code, msg
        self.headers = headers or []


def param_error(detail):
    return ApiError(400, 99001, "Request parameter error: " + detail)


def now_ms():
    return int(time.time() * 1000)


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000.0))


def envelope(code, msg):
    ms = now_ms()
    return {"code": code, "msg": msg, "data": None, "ts": ms,
            "time": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000.0)),
            "traceId": "%032x" % random.getrandbits(128)}


def reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status %d" % status


ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})"
                    r"(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}:?\d{2})?$")


def parse_iso(text):
    """ISO-8601 date or date-time -> epoch seconds (float); naive = UTC."""
    m = ISO_RE.match(text.strip())
    if not m:
        return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    try:
        import calendar
        fields = (int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        if not (1 <= fields[1] <= 12 and 1 <= fields[2] <= 31 and fields[3] <= 23
                and fields[4] <= 59 and fields[5] <= 60):
            return None
        secs = calendar.timegm(fields + (0, 0, 0)) + float("0." + (frac or "0"))
    except (ValueError, OverflowError):
        return None
    if tz and tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        secs -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return secs


INT_RE = re.compile(r"^[+-]?\d{1,18}$")


def query_int(q, name, default, lo, hi):
    raw = q.get(name)
    if raw is None or raw == "":
        return default
    if not INT_RE.match(raw):
        raise param_error("%s must be an integer" % name)
    val = int(raw)
    if val < lo or val > hi:
        raise param_error("%s must be between %d and %d" % (name, lo, hi))
    return val


def paginate(items, q):
    page = query_int(q, "page", 1, 1, 2 ** 31 - 1)
    limit = query_int(q, "limit", 10, 1, 500)
    total = len(items)
    start = (page - 1) * limit
    return {"page": page, "limit": limit, "items": items[start:start + limit],
            "total_pages": (total + limit - 1) // limit, "total_count": total}


def required_id(q, name):
    val = q.get(name)
    if val is None or val.strip() == "":
        raise param_error("%s is required" % name)
    return val


def check_callback_url(body, name):
    url = body.get(name)
    if url is None or url == "":
        return None
    if not isinstance(url, str):
        raise param_error("%s must be a string" % name)
    if len(url) > 2048:
        raise param_error("%s must be at most 2048 characters" % name)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise param_error("%s is not a valid URL" % name)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise param_error("%s must be an http(s) URL" % name)
    return url


def check_input_params(body):
    items = body.get("input_parameters")
    if items is None:
        return []
    if not isinstance(items, list):
        raise param_error("input_parameters must be an array")
    out = []
    for it in items:
        if (not isinstance(it, dict) or not isinstance(it.get("name"), str)
                or not isinstance(it.get("value"), str) or it["name"] == ""):
            raise param_error("input_parameters items must be "
                              "{\"name\": string, \"value\": string}")
        out.append((it["name"], it["value"]))
    return out


def loopback_target(url):
    """(family, host, port, tls, path) if url's host is literally a loopback
    IP literal, else None.  Never resolves anything."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    netloc_host = parts.netloc.rpartition("@")[2].lower()
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    if netloc_host == "127.0.0.1" or netloc_host.startswith("127.0.0.1:"):
        fam, host = socket.AF_INET, "127.0.0.1"
    elif netloc_host == "[::1]" or netloc_host.startswith("[::1]:"):
        fam, host = socket.AF_INET6, "::1"
    else:
        return None
    port = port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return fam, host, port, scheme == "https", path


# --------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------


class Task:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.api_key = args.api_key
        self.defaults = {"created_ms": args.created_ms, "run_ms": args.run_ms,
                         "profile_key": "profile_id", "chunked": False,
                         "close": False, "ascii_json": False,
                         "list_input": True}
        self.cbq = queue.Queue()
        self.reset()

    def reset(self):
        self.generation = getattr(self, "generation", 0) + 1
        self.cfg = dict(self.defaults)
        self.tasks = {}          # id -> Task, insertion order = creation order
        self.active = set()      # ids of tasks that may still change by time
        self.next_task = FIRST_TASK_ID
        self.next_profile = FIRST_PROFILE_NO
        self.requests = []
        self.callbacks = []
        self.faults = []

    # ---- tasks ---------------------------------------------------------

    def create_task(self, source, params, profile_id, cb_url, status_cb_url,
                    region=None):
        """source: a WORKFLOWS or TEMPLATES entry.  Caller holds the lock."""
        pmap = dict(params)
        outcome = source.get("outcome", "finished")
        if pmap.get("_mock_outcome") in ("finished", "failed", "paused"):
            outcome = pmap["_mock_outcome"]
        run_ms = self.cfg["run_ms"]
        created_ms = self.cfg["created_ms"]
        for key in ("_mock_run_ms", "_mock_created_ms"):
            if re.match(r"^\d{1,9}$", pmap.get(key, "")):
                if key == "_mock_run_ms":
                    run_ms = int(pmap[key])
                else:
                    created_ms = int(pmap[key])
        goals = [g for seg in source["plan"] for g in seg]
        if outcome == "paused":
            if len(source["plan"]) > 1:
                segments = [list(s) for s in source["plan"]]
            else:
                half = max(1, len(goals) // 2)
                segments = [goals[:half] + ["Human interaction: wait for the "
                                            "user to confirm"], goals[half:]]
        else:
            segments = [[g for g in goals if not g.startswith("Human interaction")]]
        fmt = dict((k, v) for k, v in params)
        segments = [[_fill(g, fmt) for g in seg] for seg in segments]
        tid = str(self.next_task)
        seq = self.next_task - FIRST_TASK_ID
        self.next_task += 1
        t = Task(id=tid, workflow_id=source["id"], workflow_name=source["name"],
                 is_template="templateId" in source or "recommendDesc" in source,
                 params=params, profile_id=profile_id, callback_url=cb_url,
                 status_callback_url=status_cb_url, region=region,
                 outcome=outcome, run_ms=run_ms, created_ms=created_ms,
                 segments=segments, seg=0, phase="created",
                 created_at=now_ms(), finished_at=None, biz_code=None,
                 frozen_steps=None, step_base=FIRST_STEP_ID + 16 * seq,
                 live_id="%08x" % random.getrandbits(32))
        t.phase_start = t.created_at
        self.tasks[tid] = t
        self.active.add(tid)
        return t

    def new_profile(self):
        pid = "prof_%d" % self.next_profile
        self.next_profile += 1
        return pid

    def _transition(self, t, status, at, events):
        t.phase = status
        t.phase_start = at
        if status in TERMINAL:
            t.finished_at = at
            self.active.discard(t.id)
        if t.status_callback_url or (status in TERMINAL and t.callback_url):
            snap = self.task_json(t, at)
            if t.status_callback_url:
                events.append((t.status_callback_url, "status", t.id, status, snap))
            if status in TERMINAL and t.callback_url:
                events.append((t.callback_url, "final", t.id, status, snap))

    def advance(self, t, now, events):
        """Apply every time-based transition due by `now` (bounded)."""
        for _ in range(6):
            if t.phase == "created" and now >= t.phase_start + t.created_ms:
                self._transition(t, "running", t.phase_start + t.created_ms, events)
            elif t.phase == "running" and now >= t.phase_start + t.run_ms:
                at = t.phase_start + t.run_ms
                if t.seg < len(t.segments) - 1:
                    self._transition(t, "paused", at, events)
                elif t.outcome == "failed":
                    self._transition(t, "failed", at, events)
                else:
                    self._transition(t, "finished", at, events)
            else:
                break

    def refresh(self, t):
        """Bring one task up to date (caller holds the lock)."""
        events = []
        self.advance(t, now_ms(), events)
        for ev in events:
            self.cbq.put(ev)

    def tick(self):
        with self.lock:
            events = []
            now = now_ms()
            for tid in list(self.active):
                self.advance(self.tasks[tid], now, events)
        for ev in events:
            self.cbq.put(ev)

    def stop(self, t, biz_code):
        events = []
        self.advance(t, now_ms(), events)
        if t.phase in TERMINAL:
            for ev in events:
                self.cbq.put(ev)
            raise ApiError(400, 10121, "Task has completed.")
        steps = self.steps(t, now_ms())
        for s in steps:
            if s["status"] == "running":
                s["status"] = "failed"
        t.frozen_steps = steps
        t.biz_code = biz_code
        self._transition(t, "canceled", now_ms(), events)
        for ev in events:
            self.cbq.put(ev)

    def resume(self, t):
        events = []
        self.advance(t, now_ms(), events)
        if t.phase != "paused":
            for ev in events:
                self.cbq.put(ev)
            raise ApiError(400, 10127, "Task resume only use for paused task")
        t.seg += 1
        self._transition(t, "running", now_ms(), events)
        for ev in events:
            self.cbq.put(ev)

    # ---- JSON views ------------------------------------------------------

    def steps(self, t, now):
        if t.frozen_steps is not None:
            return [dict(s) for s in t.frozen_steps]
        if t.phase == "created":
            return []
        out = []
        last_seg = t.seg if t.phase in ("running", "paused") else len(t.segments) - 1
        for si in range(last_seg + 1):
            goals = t.segments[si]
            shown, running_last = len(goals), False
            if si == t.seg and t.phase == "running":
                frac = (now - t.phase_start) / float(max(1, t.run_ms))
                shown = min(len(goals), 1 + int(frac * len(goals)))
                running_last = True
            elif si == t.seg and t.phase == "paused":
                running_last = True
            for gi in range(shown):
                status = "succeed"
                if gi == shown - 1 and si == last_seg:
                    if running_last:
                        status = "running"
                    elif t.phase == "failed":
                        status = "failed"
                n = len(out) + 1
                sid = str(t.step_base + n)
                out.append({"id": sid, "step": n, "status": status,
                            "evaluation_previous_goal":
                                "No previous action; initial step." if n == 1
                                else "Success - the previous goal was achieved.",
                            "step_goal": goals[gi],
                            "screenshots_url":
                                "https://files.example.com/steps/%s.png" % sid})
        return out

    def output(self, t):
        if t.phase != "finished":
            return {"string": None, "files": None}
        echo = dict((k, v) for k, v in t.params if not k.startswith("_mock_"))
        if t.is_template:
            echo["reviews"] = [{"rating": 4, "title": "Très bien — “value”",
                                "text": "Arrived on time.\nWorks with 230\u202fV."}]
            text = json.dumps(echo, ensure_ascii=True)   # inner \u escapes
            files = None
        else:
            echo["results"] = [
                {"title": "Café Crème \u2615 — the \"best\" beans in Zürich",
                 "link": "https://example.com/caf%C3%A9",
                 "snippet": "Line one\nLine two with a back\\slash and a tab\t."},
                {"title": "東京のコーヒー 🙂", "link": "https://example.jp/",
                 "snippet": ""}]
            text = json.dumps(echo, ensure_ascii=False)
            files = ["https://files.example.com/output/%s.csv" % t.id]
        return {"string": text, "files": files}

    def task_json(self, t, now, simple=False):
        status = t.phase
        steps = self.steps(t, now)
        done = sum(1 for s in steps if s["status"] == "succeed")
        live = "https://www.browseract.com/remote/" + t.live_id
        d = {"id": t.id, "status": status}
        if not simple:
            d["steps"] = steps
        d.update({
            "created_at": iso(t.created_at),
            "finished_at": iso(t.finished_at) if t.finished_at else None,
            "workflow_id": t.workflow_id,
            "output": self.output(t),
            "live_url_info": {"width": 1280, "height": 1024, "live_url": live},
            "live_url": live,
            "profile_id": t.profile_id,
            "task_failure_info": dict(FAILURE_INFO) if status == "failed" else None,
            "credit": 2 * done,
            "input_parameters": "; ".join("%s=%s" % kv for kv in t.params),
        })
        if simple and not self.cfg["list_input"]:
            del d["input_parameters"]   # optional in list items
        if not simple:
            files = []
            if status == "finished" and not t.is_template:
                fin = t.finished_at
                files = [{"guid": "file-%s-1" % t.id, "fileName": "results.csv",
                          "fileSize": 18342, "status": "uploaded", "progress": 100,
                          "downloadUrl": "https://files.example.com/signed/%s/results.csv" % t.id,
                          "downloadStartTime": fin - 900, "downloadCompletedTime": fin - 100,
                          "expiresAt": fin - 100 + 7 * 86400000, "errorMessage": None,
                          "createTime": fin - 1000}]
            d["download_files"] = files
            d["files_expires_at"] = (t.finished_at + 7 * 86400000) if t.finished_at else None
            d["log_detail_url"] = ("https://www.browseract.com/reception/logs?keyword="
                                   + t.id)
        return d


def _fill(goal, params):
    def rep(m):
        return params.get(m.group(1), m.group(0))
    return re.sub(r"\{(\w+)\}", rep, goal)


# --------------------------------------------------------------------------
# API handlers: each returns (http_status, json_object_or_None)
# --------------------------------------------------------------------------


def find_workflow(wid):
    return next((w for w in WORKFLOWS if w["id"] == wid), None)


def find_template(tid):
    return next((t for t in TEMPLATES if t["id"] == tid), None)


def json_body(req):
    try:
        body = json.loads(req.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise param_error("invalid JSON body")
    if not isinstance(body, dict):
        raise param_error("request body must be a JSON object")
    return body


def created_response(st, t, with_profile):
    out = {"id": t.id}
    if with_profile:
        key = st.cfg["profile_key"]
        if key in ("profile_id", "both"):
            out["profile_id"] = t.profile_id
        if key in ("profileId", "both"):
            out["profileId"] = t.profile_id
    return out


def h_run_task(st, req):
    body = json_body(req)
    wid = body.get("workflow_id")
    if wid is None or wid == "":
        raise param_error("workflow_id is required")
    if not isinstance(wid, str):
        raise param_error("workflow_id must be a string")
    params = check_input_params(body)
    cb = check_callback_url(body, "callback_url")
    scb = check_callback_url(body, "status_change_callback_url")
    save = body.get("save_browser_data")
    if save is not None and not isinstance(save, bool):
        raise param_error("save_browser_data must be a boolean")
    prof = body.get("profile_id")
    if prof is not None and not isinstance(prof, str):
        raise param_error("profile_id must be a string")
    wf = find_workflow(wid)
    if wf is None:
        raise ApiError(400, 10111, "Workflow does not exist")
    with st.lock:
        if save and not prof:
            prof = st.new_profile()
        t = st.create_task(wf, params, prof or None, cb, scb)
        return 200, created_response(st, t, bool(save))


def h_run_template(st, req):
    body = json_body(req)
    tid = body.get("workflow_template_id")
    if tid is None or tid == "":
        raise param_error("workflow_template_id is required")
    if not isinstance(tid, str):
        raise param_error("workflow_template_id must be a string")
    region = body.get("proxyRegion")
    if region is None or region == "":
        region = "US"
    if not isinstance(region, str) or region not in [r["code"] for r in REGIONS]:
        raise param_error("proxyRegion must be one of the region codes")
    params = check_input_params(body)
    cb = check_callback_url(body, "callback_url")
    scb = check_callback_url(body, "status_change_callback_url")
    tpl = find_template(tid)
    if tpl is None:
        raise ApiError(400, 10176, "Template does not exist")
    with st.lock:
        t = st.create_task(tpl, params, None, cb, scb, region=region)
        return 200, {"id": t.id}


def _task(st, q):
    tid = required_id(q, "task_id")
    t = st.tasks.get(tid)
    if t is None:
        raise ApiError(400, 10112, "Task is not exist.")
    st.refresh(t)
    return t


def h_get_task_status(st, req):
    with st.lock:
        return 200, {"status": _task(st, req.query).phase}


def h_get_task(st, req):
    with st.lock:
        return 200, st.task_json(_task(st, req.query), now_ms())


def h_list_tasks(st, req):
    q = req.query
    status = q.get("status") or None
    if status is not None and status not in TASK_STATUSES:
        raise param_error("status must be one of " + ", ".join(TASK_STATUSES))
    wid = q.get("workflow_id") or None
    name = (q.get("workflow_name") or "").casefold()
    bounds = []
    for key in ("created_at_from", "created_at_to"):
        raw = q.get(key)
        val = None
        if raw:
            val = parse_iso(raw)
            if val is None:
                raise param_error("%s must be an ISO-8601 date-time" % key)
        bounds.append(val)
    query_int(q, "page", 1, 1, 2 ** 31 - 1)     # validate before the lock
    query_int(q, "limit", 10, 1, 500)
    with st.lock:
        now = now_ms()
        items = []
        for t in reversed(list(st.tasks.values())):
            st.refresh(t)
            secs = t.created_at // 1000
            if ((status and t.phase != status) or (wid and t.workflow_id != wid)
                    or (name and name not in t.workflow_name.casefold())
                    or (bounds[0] is not None and secs < bounds[0])
                    or (bounds[1] is not None and secs > bounds[1])):
                continue
            items.append(t)
        page = paginate(items, q)
        page["items"] = [st.task_json(t, now, simple=True) for t in page["items"]]
        return 200, page


def h_stop_task(st, req):
    q = req.query
    biz = q.get("biz_code")
    if biz is not None and biz != "":
        if not INT_RE.match(biz) or not -2 ** 31 <= int(biz) < 2 ** 31:
            raise param_error("biz_code must be an integer")
        biz = int(biz)
    else:
        biz = None
    with st.lock:
        st.stop(_task(st, q), biz)
    return 200, None


def h_resume_task(st, req):
    with st.lock:
        st.resume(_task(st, req.query))
    return 200, None


def workflow_dto(w, config=False):
    d = {k: w[k] for k in ("id", "name", "description", "create_at", "publish_at")}
    if config:
        d["input_parameters"] = [dict(p) for p in w["input_parameters"]]
    return d


def h_list_workflows(st, req):
    return 200, paginate([workflow_dto(w) for w in WORKFLOWS], req.query)


def h_get_workflow(st, req):
    w = find_workflow(required_id(req.query, "workflow_id"))
    if w is None:
        raise ApiError(400, 10111, "Workflow does not exist")
    return 200, workflow_dto(w, config=True)


def h_list_templates(st, req):
    kw = (req.query.get("keyword") or "").strip().casefold()
    items = [{"templateId": t["id"], "name": t["name"],
              "recommendDesc": t["recommendDesc"],
              "detailUrl": "https://www.browseract.com/template/" + t["id"]}
             for t in TEMPLATES
             if not kw or kw in (t["name"] + "\n" + t["description"] + "\n"
                                 + t["recommendDesc"]).casefold()]
    return 200, paginate(items, req.query)


def h_get_template(st, req):
    t = find_template(required_id(req.query, "workflow_template_id"))
    if t is None:
        raise ApiError(400, 10176, "Template does not exist")
    d = {k: t[k] for k in ("id", "name", "description", "recommendDesc",
                           "create_at", "publish_at")}
    d["detailUrl"] = "https://www.browseract.com/template/" + t["id"]
    d["input_parameters"] = [dict(p) for p in t["input_parameters"]]
    return 200, d


def h_regions(st, req):
    return 200, [dict(r) for r in REGIONS]


V2 = "/v2/workflow/"
API_ROUTES = {
    V2 + "run-task": ("POST", h_run_task),
    V2 + "run-task-by-template": ("POST", h_run_template),
    V2 + "get-task-status": ("GET", h_get_task_status),
    V2 + "get-task": ("GET", h_get_task),
    V2 + "list-tasks": ("GET", h_list_tasks),
    V2 + "resume-task": ("PUT", h_resume_task),
    V2 + "stop-task": ("PUT", h_stop_task),
    V2 + "list-workflows": ("GET", h_list_workflows),
    V2 + "get-workflow": ("GET", h_get_workflow),
    V2 + "list-official-workflow-templates": ("GET", h_list_templates),
    V2 + "get-official-workflow-template": ("GET", h_get_template),
    V2 + "get-region-list": ("GET", h_regions),
}

# --------------------------------------------------------------------------
# Control API (/_mock/...), no auth
# --------------------------------------------------------------------------

FAULT_KINDS = ("status", "429", "slow", "trickle", "drop", "reset",
               "cut_after_run", "stall", "garbage", "body")


class ControlError(Exception):
    pass


def _cint(d, key, default, lo, hi):
    v = d.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ControlError("%s must be an integer in %d..%d" % (key, lo, hi))
    return v


def control(st, req):
    """Returns (status, obj) for /_mock/ paths."""
    p, m = req.path, req.method
    try:
        if p == "/_mock/health" and m == "GET":
            return 200, {"ok": True}
        if p == "/_mock/requests":
            with st.lock:
                if m == "GET":
                    return 200, list(st.requests)
                if m == "DELETE":
                    st.requests = []
                    return 200, {"ok": True}
        if p == "/_mock/callbacks":
            with st.lock:
                if m == "GET":
                    return 200, list(st.callbacks)
                if m == "DELETE":
                    st.callbacks = []
                    return 200, {"ok": True}
        if p == "/_mock/tasks" and m == "GET":
            with st.lock:
                out = []
                for t in st.tasks.values():
                    st.refresh(t)
                    out.append({"id": t.id, "status": t.phase,
                                "workflow_id": t.workflow_id,
                                "created_at": iso(t.created_at),
                                "biz_code": t.biz_code, "region": t.region,
                                "callback_url": t.callback_url,
                                "status_change_callback_url": t.status_callback_url})
                return 200, out
        if p == "/_mock/config":
            if m == "GET":
                with st.lock:
                    return 200, dict(st.cfg)
            if m == "POST":
                return 200, set_config(st, req)
        if p == "/_mock/fault":
            if m == "POST":
                return 200, add_fault(st, req)
            if m == "DELETE":
                with st.lock:
                    st.faults = []
                return 200, {"ok": True}
            if m == "GET":
                with st.lock:
                    return 200, [dict(f) for f in st.faults]
        if p == "/_mock/reset" and m == "POST":
            with st.lock:
                st.reset()
            return 200, {"ok": True}
    except ControlError as e:
        return 400, {"ok": False, "error": str(e)}
    return 404, {"ok": False, "error": "unknown control endpoint %s %s" % (m, p)}


def _control_body(req):
    try:
        body = json.loads(req.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise ControlError("invalid JSON body")
    if not isinstance(body, dict):
        raise ControlError("body must be a JSON object")
    return body


def set_config(st, req):
    body = _control_body(req)
    new = {}
    for key in ("created_ms", "run_ms"):
        if key in body:
            new[key] = _cint(body, key, 0, 0, 24 * 3600 * 1000)
    if "profile_key" in body:
        if body["profile_key"] not in ("profile_id", "profileId", "both"):
            raise ControlError("profile_key must be profile_id, profileId or both")
        new["profile_key"] = body["profile_key"]
    for key in ("chunked", "close", "ascii_json", "list_input"):
        if key in body:
            if not isinstance(body[key], bool):
                raise ControlError("%s must be a boolean" % key)
            new[key] = body[key]
    with st.lock:
        st.cfg.update(new)
        return dict(st.cfg)


def add_fault(st, req):
    body = _control_body(req)
    kind = body.get("kind")
    if kind == 429:
        kind = "429"
    if kind not in FAULT_KINDS:
        raise ControlError("kind must be one of " + ", ".join(FAULT_KINDS))
    path = body.get("path")
    if path is not None and not isinstance(path, str):
        raise ControlError("path must be a string")
    text = body.get("body", "")
    if not isinstance(text, str):
        raise ControlError("body must be a string")
    f = {"kind": kind, "count": _cint(body, "count", 1, 1, 100000), "path": path,
         "code": _cint(body, "code", 200 if kind == "body" else 500, 100, 599),
         "body": text,
         "delay_ms": _cint(body, "delay_ms",
                           10 if kind == "trickle" else 2000, 0, MAX_FAULT_DELAY_MS),
         "bytes": _cint(body, "bytes", 1, 1, 1 << 20)}
    ra = body.get("retry_after", "1" if kind == "429" else None)
    if ra is not None and not isinstance(ra, (str, int)):
        raise ControlError("retry_after must be a string")
    f["retry_after"] = None if ra is None else str(ra)
    with st.lock:
        st.faults.append(f)
        return {"ok": True, "queued": len(st.faults)}


def take_fault(st, req):
    """Consume the first queued fault matching this /v2/ request."""
    with st.lock:
        for f in st.faults:
            if f["path"] is not None and f["path"] != req.path:
                continue
            if f["kind"] == "cut_after_run" and f["path"] is None and not (
                    req.path in (V2 + "run-task", V2 + "run-task-by-template")):
                continue
            f["count"] -= 1
            if f["count"] <= 0:
                st.faults.remove(f)
            return dict(f)
    return None


# --------------------------------------------------------------------------
# Webhook delivery (loopback literals only)
# --------------------------------------------------------------------------


def deliver(url, body):
    """POST body to url if its host is a loopback literal.
    Returns (delivered, http_status, error)."""
    target = loopback_target(url)
    if target is None:
        return False, None, "not delivered: only 127.0.0.1 / [::1] callbacks are contacted"
    fam, host, port, tls, path = target
    sock = socket.socket(fam, socket.SOCK_STREAM)
    try:
        sock.settimeout(CALLBACK_TIMEOUT_S)
        sock.connect((host, port) if fam == socket.AF_INET else (host, port, 0, 0))
        if tls:
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            sock = ctx.wrap_socket(sock)
        hosthdr = ("%s:%d" if fam == socket.AF_INET else "[%s]:%d") % (host, port)
        head = ("POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n"
                "Connection: close\r\n\r\n" % (path, hosthdr, SERVER_NAME, len(body)))
        sock.sendall(head.encode("latin-1") + body)
        data = b""
        while b"\r\n" not in data and len(data) < 8192:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        m = re.match(rb"HTTP/\d\.\d (\d{3})", data)
        if not m:
            return False, None, "no valid HTTP response"
        code = int(m.group(1))
        if 200 <= code < 300:
            return True, code, None
        return False, code, "HTTP %d" % code
    except (OSError, ValueError) as e:
        return False, None, "%s: %s" % (type(e).__name__, e)
    finally:
        sock.close()


def callback_worker(st, log):
    while True:
        url, kind, tid, status, snap = st.cbq.get()
        body = json.dumps(snap, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        with st.lock:
            gen = st.generation
        for attempt in range(1, CALLBACK_ATTEMPTS + 1):
            ok, code, err = deliver(url, body)
            rec = {"url": url, "kind": kind, "task_id": tid, "status": status,
                   "delivered": ok, "http_status": code, "error": err,
                   "attempt": attempt, "ts": now_ms()}
            with st.lock:
                st.callbacks.append(rec)
                del st.callbacks[:-MAX_RECORDS]
                gone = st.generation != gen   # a reset drops pending retries
            log.write("callback %s %s %s attempt %d -> delivered=%s %s"
                      % (kind, tid, status, attempt, ok, err or ""))
            # only a 5xx answer is tried again: not a 2xx, 3xx or 4xx, nor
            # no answer (refused, timed out)
            if (ok or code is None or not 500 <= code <= 599 or gone
                    or attempt == CALLBACK_ATTEMPTS):
                break
            time.sleep(CALLBACK_RETRY_S[attempt - 1])


def ticker(st):
    while True:
        time.sleep(TICK_S)
        try:
            st.tick()
        except Exception as e:   # keep ticking whatever happens
            sys.stderr.write("mock: tick error: %r\n" % (e,))


# --------------------------------------------------------------------------
# HTTP/1.1 connection handling
# --------------------------------------------------------------------------


class Request:
    pass


class Close(Exception):
    """Abort the connection silently."""


class Logger:
    def __init__(self, path):
        self.fh = open(path, "a", buffering=1, encoding="utf-8") if path else None
        self.lock = threading.Lock()

    def write(self, line):
        if self.fh:
            with self.lock:
                self.fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), line))


class Handler(socketserver.BaseRequestHandler):
    def setup(self):
        self.buf = b""
        self.st = self.server.state
        self.request.settimeout(IDLE_TIMEOUT_S)
        if self.server.tls_ctx is not None:
            try:
                self.request = self.server.tls_ctx.wrap_socket(self.request,
                                                               server_side=True)
            except (OSError, ValueError):
                self.request.close()
                self.request = None

    def handle(self):
        if self.request is None:
            return
        try:
            for _ in range(MAX_REQUESTS_PER_CONN):
                if not self.one_request():
                    break
        except (Close, OSError, ValueError):
            pass

    def finish(self):
        if self.request is not None:
            try:
                self.request.close()
            except OSError:
                pass

    # ---- reading -----------------------------------------------------------

    def recv_more(self):
        data = self.request.recv(65536)
        if not data:
            raise Close()
        self.buf += data

    def simple_error(self, status, code, msg):
        body = json.dumps(envelope(code, msg), separators=(",", ":")).encode()
        self.send_raw(self.build(status, body, "application/json",
                                 [], chunked=False, close=True))
        raise Close()

    def read_request(self):
        # Skip empty lines before the request line (RFC 9112 2.2).
        while True:
            self.buf = self.buf.lstrip(b"\r\n")
            end = self.buf.find(b"\r\n\r\n")
            alt = self.buf.find(b"\n\n")
            if end >= 0 or alt >= 0:
                break
            if len(self.buf) > MAX_HEADER_BYTES:
                self.simple_error(413, 413, "Request header section too large")
            try:
                self.recv_more()
            except socket.timeout:
                raise Close()
        if end < 0 or (alt >= 0 and alt < end):
            end, seplen = alt, 2
        else:
            seplen = 4
        if end > MAX_HEADER_BYTES:
            self.simple_error(413, 413, "Request header section too large")
        head = self.buf[:end].decode("latin-1")
        self.buf = self.buf[end + seplen:]
        lines = head.replace("\r\n", "\n").split("\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not re.match(r"^HTTP/1\.[01]$", parts[2]) \
                or not re.match(r"^[A-Z]{1,20}$", parts[0]):
            self.simple_error(400, 400, "Bad request line")
        req = Request()
        req.method, target, req.version = parts
        req.headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip() or line[0] in " \t":
                self.simple_error(400, 400, "Malformed header line")
            name = name.lower()
            value = value.strip()
            req.headers[name] = (req.headers[name] + ", " + value
                                 if name in req.headers else value)
        if target.startswith(("http://", "https://")):
            sp = urlsplit(target)
            target = (sp.path or "/") + ("?" + sp.query if sp.query else "")
        req.path, _, req.query_string = target.partition("?")
        req.query = {}
        for k, v in parse_qsl(req.query_string, keep_blank_values=True):
            req.query.setdefault(k, v)
        conn_tokens = [t.strip().lower() for t in req.headers.get("connection", "").split(",")]
        req.keep_alive = ("close" not in conn_tokens and
                          (req.version == "HTTP/1.1" or "keep-alive" in conn_tokens))
        if "transfer-encoding" in req.headers:
            self.simple_error(411, 411, "Chunked request bodies are not supported; "
                                        "send Content-Length")
        cl = req.headers.get("content-length")
        length = 0
        if cl is not None:
            vals = set(v.strip() for v in cl.split(","))
            if len(vals) != 1 or not re.match(r"^\d{1,12}$", next(iter(vals))):
                self.simple_error(400, 400, "Invalid Content-Length")
            length = int(next(iter(vals)))
        if length > MAX_BODY_BYTES:
            self.simple_error(413, 413, "Request body too large")
        if length and "100-continue" in req.headers.get("expect", "").lower() \
                and len(self.buf) < length:
            self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        while len(self.buf) < length:
            try:
                self.recv_more()
            except socket.timeout:
                raise Close()
        req.body, self.buf = self.buf[:length], self.buf[length:]
        return req

    # ---- writing -------------------------------------------------------

    def build(self, status, body, ctype, extra, chunked, close):
        hdrs = ["HTTP/1.1 %d %s" % (status, reason(status)),
                "Date: " + formatdate(usegmt=True),
                "Server: " + SERVER_NAME]
        if ctype and body:
            hdrs.append("Content-Type: " + ctype)
        hdrs.extend("%s: %s" % kv for kv in extra)
        if chunked and body:
            hdrs.append("Transfer-Encoding: chunked")
            payload = _chunk(body)
        else:
            hdrs.append("Content-Length: %d" % len(body))
            payload = body
        hdrs.append("Connection: " + ("close" if close else "keep-alive"))
        return ("\r\n".join(hdrs) + "\r\n\r\n").encode("latin-1") + payload

    def send_raw(self, data):
        self.request.sendall(data)

    def one_request(self):
        req = self.read_request()
        st = self.st
        if not req.path.startswith("/_mock/"):
            rec = {"method": req.method, "path": req.path,
                   "query": req.query_string, "headers": dict(req.headers),
                   "body": req.body.decode("utf-8", "replace"), "ts": now_ms()}
            with st.lock:
                st.requests.append(rec)
                del st.requests[:-MAX_RECORDS]
                cfg = dict(st.cfg)
        else:
            with st.lock:
                cfg = dict(st.cfg)
        fault = take_fault(st, req) if req.path.startswith("/v2/") else None
        close = not req.keep_alive
        extra = []
        if fault and fault["kind"] == "slow":
            time.sleep(fault["delay_ms"] / 1000.0)
        if req.path.startswith("/_mock/"):
            status, obj = control(st, req)
            cfg["chunked"] = False
        elif fault and fault["kind"] in ("status", "429"):
            status = 429 if fault["kind"] == "429" else fault["code"]
            obj = envelope(status, reason(status))
            if fault["retry_after"] is not None:
                extra.append(("Retry-After", fault["retry_after"]))
        elif fault and fault["kind"] in ("drop", "reset", "garbage"):
            self.log(req, "fault:" + fault["kind"])
            self.abort(fault)
        elif fault and fault["kind"] == "body":
            status, obj = fault["code"], None
        else:
            status, obj, extra = self.dispatch(req)
        if cfg["close"] and not req.path.startswith("/_mock/"):
            close = True
        if fault and fault["kind"] == "cut_after_run":
            self.log(req, "fault:cut_after_run after %d" % status)
            raise Close()
        if fault and fault["kind"] == "body":
            body = fault["body"].encode("utf-8")
        elif obj is None:
            body = b""
        else:
            body = json.dumps(obj, ensure_ascii=cfg["ascii_json"],
                              separators=(",", ":")).encode("utf-8")
        data = self.build(status, body, "application/json", extra,
                          cfg["chunked"], close)
        self.log(req, "%d %d bytes%s" % (status, len(body),
                                         " fault:" + fault["kind"] if fault else ""))
        if req.method == "HEAD":      # headers only, framing unchanged
            data = data[:data.find(b"\r\n\r\n") + 4]
        if fault and fault["kind"] == "stall":
            head = data[:data.find(b"\r\n\r\n")].split(b"\r\n")
            keep = 1 + (len(head) - 1) // 2
            self.send_raw(b"\r\n".join(head[:keep]) + b"\r\n")
            time.sleep(fault["delay_ms"] / 1000.0)
            raise Close()
        if fault and fault["kind"] == "trickle":
            # each piece its own segment (no Nagle coalescing), so with a
            # delay the client reads the answer piece by piece
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            n = fault["bytes"]
            for i in range(0, len(data), n):
                self.send_raw(data[i:i + n])
                if i + n < len(data):
                    time.sleep(fault["delay_ms"] / 1000.0)
        else:
            self.send_raw(data)
        return not close

    def abort(self, fault):
        if fault["kind"] == "reset":
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
        elif fault["kind"] == "garbage":
            self.send_raw(b"\x16\x03\x01\x00\xa5 bact-mock garbage: this is not "
                          b"HTTP \x00\xff\xfe{{{\r\n\r\n")
        raise Close()

    def dispatch(self, req):
        route = API_ROUTES.get(req.path)
        if route is None:
            return 404, envelope(404, "Not Found"), []
        if req.method != route[0]:
            return 405, envelope(405, "Method Not Allowed"), [("Allow", route[0])]
        auth = req.headers.get("authorization", "")
        scheme, _, token = auth.strip().partition(" ")
        if scheme.lower() != "bearer" or token.strip() != self.st.api_key:
            return 401, envelope(401, "Invalid authorization"), []
        try:
            status, obj = route[1](self.st, req)
            return status, obj, []
        except ApiError as e:
            return e.http_status, envelope(e.code, e.msg), e.headers
        except Exception as e:   # a bug in the mock: answer 500, keep serving
            sys.stderr.write("mock: handler error: %r\n" % (e,))
            return 500, envelope(500, "Internal Server Error"), []

    def log(self, req, what):
        self.server.logger.write("%s %s%s -> %s" % (
            req.method, req.path, "?" + req.query_string if req.query_string else "",
            what))


def _chunk(body):
    """Split body into up to 3 chunks: lowercase hex sizes, one extension."""
    n = len(body)
    cuts = sorted(set([0, min(n, 7), min(n, max(8, n // 2)), n]))
    out = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        if b > a:
            ext = ";mock-ext=1" if i == 1 else ""
            out.append(b"%x%s\r\n%s\r\n" % (b - a, ext.encode(), body[a:b]))
    out.append(b"0\r\n\r\n")
    return b"".join(out)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class Server6(Server):
    address_family = socket.AF_INET6


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def list_seeds():
    print("workflows:")
    for w in WORKFLOWS:
        print("  %s  %-34s outcome=%s" % (w["id"], w["name"], w["outcome"]))
    print("templates:")
    for t in TEMPLATES:
        print("  %s  %s" % (t["id"], t["name"]))
    print("regions: " + ", ".join(r["code"] for r in REGIONS))
    print("first task id: %d" % FIRST_TASK_ID)


def main(argv=None):
    ap = argparse.ArgumentParser(description="BrowserAct-compatible mock server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--api-key", default="test-key")
    ap.add_argument("--ipv6", action="store_true")
    ap.add_argument("--created-ms", type=int, default=300)
    ap.add_argument("--run-ms", type=int, default=1000)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--log")
    ap.add_argument("--list-seeds", action="store_true")
    args = ap.parse_args(argv)
    if args.list_seeds:
        list_seeds()
        return 0
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")

    cls, host = (Server6, "::1") if args.ipv6 else (Server, "127.0.0.1")
    try:
        server = cls((host, args.port), Handler)
    except OSError as e:
        sys.stderr.write("mock: cannot listen on %s port %d: %s\n" % (host, args.port, e))
        return 1
    server.state = State(args)
    server.logger = Logger(args.log)
    server.tls_ctx = None
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.tls_ctx = ctx
    port = server.server_address[1]

    for target, targs in ((ticker, (server.state,)),
                          (callback_worker, (server.state, server.logger))):
        threading.Thread(target=target, args=targs, daemon=True).start()
    serve = threading.Thread(target=server.serve_forever,
                             kwargs={"poll_interval": 0.1}, daemon=True)
    serve.start()

    if args.port_file:
        tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
        with open(tmp, "w") as fh:
            fh.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    shown = "[::1]" if args.ipv6 else "127.0.0.1"
    sys.stderr.write("mock listening on %s:%d\n" % (shown, port))
    sys.stderr.flush()

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
