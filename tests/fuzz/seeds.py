#!/usr/bin/env python3
"""Write the seed corpora in tests/fuzz/corpus/<harness>/.

The seeds are committed; this script is how they were made (run it again
after changing a harness's input layout). JSON documents come from the
examples in tests/contract/browseract-openapi.json. Reproducers of past
findings live next to the seeds under names starting with "repro-" and are
left alone here.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OPENAPI = os.path.join(ROOT, "tests", "contract", "browseract-openapi.json")


def write(harness, name, data):
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def examples():
    """(path, example value) of each 200 response example."""
    spec = json.load(open(OPENAPI))
    out = {}
    for path, item in spec["paths"].items():
        for op in item.values():
            ok = op.get("responses", {}).get("200", {})
            ex = ok.get("content", {}).get("application/json", {}) \
                .get("examples", {})
            for v in ex.values():
                out.setdefault(path, v["value"])
    return out


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def chunk(body, sizes):
    out, i, k = b"", 0, 0
    while i < len(body):
        n = sizes[k % len(sizes)]
        k += 1
        part = body[i:i + n]
        out += b"%x" % len(part) + (b";ext=1" if k == 2 else b"") + b"\r\n" \
            + part + b"\r\n"
        i += n
    return out + b"0\r\n"


# ---------------------------------------------------------------- http
def http_seeds():
    # byte 0: bits 0-2 number of piece-size bytes, 3 lean mode (no Date or
    # Retry-After on a 2xx), 4-5 header byte limit
    # (8192, 64, 300, 1 MiB), 6-7 header count limit (64, 1, 3, 100000)
    def seed(name, resp, splits=(), limits=0):
        if isinstance(resp, str):
            resp = resp.encode()
        write("http", name, bytes([len(splits) | limits]) + bytes(splits) +
              resp)

    body = b'{"status":"finished"}'
    seed("content_length",
         b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
         b"Content-Length: %d\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         b"\r\n" % len(body) + body)
    seed("content_length_bytewise",
         b"HTTP/1.1 200 OK\r\ncontent-length:  %d \r\n\r\n" % len(body) +
         body, splits=(0,))
    task = compact(examples()["/v2/workflow/get-task"]).encode()
    seed("chunked_trailers",
         b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
         b"Connection: keep-alive\r\n\r\n" + chunk(task, [100, 7, 300]) +
         b"X-Checksum: abc\r\nServer-Timing: db;dur=53\r\n\r\n",
         splits=(0, 0, 2, 6, 40, 255))
    seed("chunked_upper_hex",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
         "1A \t; name=\"v\"\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
         splits=(3, 1))
    seed("interim_1xx",
         "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
         "Link: </style.css>; rel=preload\r\n\r\n"
         "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", limits=0x80)
    seed("retry_after_seconds",
         "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\n"
         "Connection: close\r\nContent-Length: 0\r\n\r\n")
    seed("retry_after_date",
         "HTTP/1.1 503 Service Unavailable\r\n"
         "Date: Wed, 08 Oct 2025 10:16:06 GMT\r\n"
         "Retry-After: Wed, 08 Oct 2025 10:16:36 GMT\r\n"
         "Content-Length: 5\r\n\r\nbusy!", splits=(9,))
    seed("retry_after_rfc850_asctime",
         "HTTP/1.1 503 x\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\n"
         "Retry-After: Sun Nov  6 08:50:37 1994\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    seed("http10_close_delimited",
         "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
    seed("http10_keep_alive",
         "HTTP/1.0 200 OK\r\nConnection: Keep-Alive, Upgrade\r\n"
         "Content-Length: 3\r\n\r\nabc")
    seed("no_content_204",
         "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")
    env = b'{"code":10112,"msg":"Task not found","data":null,"traceId":"abc"}'
    seed("error_envelope_chunked",
         b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n" + chunk(env, [16]) + b"\r\n",
         splits=(5, 11, 2))
    seed("redirect_302",
         "HTTP/1.1 302 Found\r\nLocation: https://example.com/\r\n"
         "Content-Length: 0\r\n\r\n")
    seed("many_headers_small_limits",
         "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"
         "Content-Length: 1\r\n\r\nx", limits=0x60)
    seed("content_encoding_identity",
         "HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\n"
         "Date: Wed, 08 Oct 2025 10:16:36 GMT\r\nContent-Length: 2\r\n"
         "\r\n{}", limits=0x08)
    seed("content_encoding_gzip",
         "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
         "Content-Length: 2\r\n\r\n{}")
    seed("lean_retry_after_503",
         "HTTP/1.1 503 x\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n",
         limits=0x08)
    seed("conflicting_length",
         "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
         "\r\nhello")
    seed("te_and_length",
         "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    seed("date_imf", "Sun, 06 Nov 1994 08:49:37 GMT")
    seed("date_rfc850", "Sunday, 06-Nov-94 08:49:37 GMT")
    seed("date_asctime", "Sun Nov  6 08:49:37 1994")
    seed("date_leap", "Thu, 29 Feb 2024 23:59:60 GMT")
    seed("iso_utc", "2025-10-08T10:17:54Z")
    seed("iso_offset_fraction", "2025-10-31T23:59:59.123456+02:00")
    seed("iso_negative_offset", "1970-01-01t00:00:00-00:30")


# ---------------------------------------------------------------- json
def json_seeds():
    # byte 0: the call; byte 1: setup (bits 2-3 token count: 3 = 4096)
    calls = {"get_task": 0, "status": 1, "run": 2, "run_template": 3,
             "list_tasks": 4, "list_workflows": 5, "get_workflow": 6,
             "get_template": 7, "list_templates": 8, "regions": 9,
             "stop": 10, "decode_task": 11, "run_lost_close": 12,
             "run_lost_timeout": 13}
    ex = examples()

    def seed(name, call, body, setup=0x0C):
        if not isinstance(body, (bytes, str)):
            body = compact(body)
        if isinstance(body, str):
            body = body.encode()
        write("json", name, bytes([calls[call], setup]) + body)

    seed("get_task", "get_task", ex["/v2/workflow/get-task"])
    seed("get_task_chunked_bytewise", "get_task",
         ex["/v2/workflow/get-task"], 0x0C | 0x40 | 0x80)
    seed("get_task_few_tokens", "get_task", ex["/v2/workflow/get-task"],
         0x04)
    seed("decode_task", "decode_task", ex["/v2/workflow/get-task"])
    seed("status", "status", ex["/v2/workflow/get-task-status"])
    seed("status_escaped", "status",
         '{"status":"fin\\u0069shed","x":"\\ud83d\\ude00\\n"}')
    seed("run", "run", ex["/v2/workflow/run-task"])
    seed("run_template_profileId", "run_template",
         '{"id":"12425895140306551","profileId":"abcde"}')
    seed("list_tasks", "list_tasks", ex["/v2/workflow/list-tasks"])
    seed("list_tasks_raw", "list_tasks", ex["/v2/workflow/list-tasks"],
         0x0C | 0x10)
    seed("list_workflows", "list_workflows",
         ex["/v2/workflow/list-workflows"])
    seed("get_workflow", "get_workflow", ex["/v2/workflow/get-workflow"])
    seed("get_template", "get_template",
         ex["/v2/workflow/get-official-workflow-template"])
    seed("list_templates", "list_templates",
         ex["/v2/workflow/list-official-workflow-templates"])
    seed("regions", "regions", ex["/v2/workflow/get-region-list"])
    seed("stop_empty", "stop", "")
    env = '{"code":10112,"msg":"Task not found","data":null,' \
          '"ts":1759918566040,"traceId":"abcde"}'
    seed("stop_envelope", "stop", env)
    seed("envelope_200", "get_task", env)
    seed("envelope_400", "status", env, 0x0C | 0x20)
    seed("envelope_escaped_keys_raw", "status",
         '{"c\\u006fde":10112,"\\u006dsg":"Task not found"}', 0x0C | 0x10)
    item = {"id": "16429034742537847", "status": "created",
            "created_at": "2025-10-08T10:16:35Z",
            "workflow_id": "16217357109956214",
            "input_parameters": "target_url=https://www.google.com/search?"
                                "q=iphone17; product_limit=10"}
    older = dict(item, created_at="2025-10-08T10:10:00.5+00:00")
    seed("run_lost_adopted", "run_lost_close",
         {"page": 1, "limit": 2, "items": [item]})
    seed("run_lost_resent", "run_lost_close",
         {"id": "9", "page": 1, "limit": 2, "items": [older]})
    seed("run_lost_two_pages", "run_lost_close",
         {"page": 1, "limit": 2, "items": [dict(item, workflow_id="1"),
                                           dict(item, input_parameters="")]})
    seed("run_lost_timeout", "run_lost_timeout",
         {"page": 1, "limit": 2, "items": [item]})
    seed("numbers", "list_tasks",
         '{"page":-2147483648,"limit":2147483647,"total_pages":0,'
         '"total_count":1e3,"items":[]}')


# ---------------------------------------------------------------- url
def url_seeds():
    urls = {
        "base_https": "https://api.browseract.com",
        "base_http_port_slash": "http://127.0.0.1:8080/",
        "base_ipv6": "http://[::1]:9000",
        "base_upper": "HTTPS://API.Example.COM:443",
        "callback_query": "https://your-server.example.com/webhooks/b"
                          "rowseract?token=x#frag",
        "userinfo_loopback": "http://user:pass@127.0.0.1/",
        "hex_short": "http://0x7f.1/",
        "v4mapped": "http://[::ffff:192.168.0.1]/cb",
        "localhost_dot": "http://localhost./",
        "sub_localhost": "http://foo.localhost:8080/x",
        "metadata": "http://169.254.169.254/latest/meta-data",
        "decimal": "http://2130706433/",
        "octal": "http://0177.0.0.1/",
        "link_local6": "http://[fe80::1]/",
        "max_port": "http://10.0.0.1:65535/",
        "port_zero": "http://example.com:0/",
        "empty_label": "http://a..b/",
        "host_only": "0x7f.0.0.1",
        "host_v6": "fd00::ab:1.2.3.4",
        "base_octal_last": "http://127.0.0.010:8080",
        "hexish_name": "https://cafe1.de/1a.2",
    }
    for name, u in urls.items():
        write("url", name, u)


# ---------------------------------------------------------------- args
def args_seeds():
    base = ["--base-url", "http://127.0.0.1:1"]

    def seed(name, argv, resp=None):
        data = b"\0".join(a.encode() if isinstance(a, str) else a
                          for a in argv)
        if resp is not None:
            data += b"\0@@resp\0" + resp
        write("args", name, data)

    seed("run_all_options", base + [
        "--api-key", "k", "run", "16217357109956214",
        "-p", "target_url=https://www.google.com/search?q=iphone17",
        "-p", "product_limit=10", "-p", "note=caf\u00e9 \"q\" \\ \x01",
        "--save-browser-data", "--profile-id", "abc",
        "--callback-url", "https://hooks.example.com/a",
        "--wait", "--interval", "0.2", "--max-wait", "5"])
    seed("run_template", base + [
        "--timeout=5000", "--retries", "0", "run-template",
        "77638424152140851", "-p", "Search_Keywords=AI technology",
        "--region", "US", "--status-callback-url",
        "https://x.example/s?a=1"])
    seed("status", base + ["status", "16429034742537847"])
    seed("get_verbose", base + ["-v", "get", "16429034742537847"])
    seed("wait_json", base + ["--json", "wait", "id/with space&more",
                              "--interval", "1", "--max-wait", "2.5"])
    seed("stop_biz", base + ["stop", "1", "--biz-code", "-2147483648"])
    seed("resume", base + ["resume", "--", "-1"])
    seed("tasks", base + [
        "tasks", "--status", "running", "--workflow-id", "1",
        "--workflow-name", "price monitor", "--from",
        "2025-10-01T00:00:00Z", "--to", "2025-10-31T23:59:59.5+02:00",
        "--page", "2", "--limit", "500"])
    seed("tasks_bad_date", base + ["tasks", "--from", "yesterday"])
    seed("workflows", base + ["workflows", "--page=1", "--limit=1"])
    seed("workflow", base + ["workflow", "16217357109956214"])
    seed("templates", base + ["templates", "--keyword", "amazon & co",
                              "--limit", "10"])
    seed("template", base + ["template", "77638424152140851"])
    seed("regions", base + ["regions"])
    seed("help", ["--help"])
    seed("version", ["--version"])
    seed("command_help", ["run", "--help"])
    seed("bad_timeout", ["--timeout", "0", "status", "1"])
    seed("bad_option_place", ["status", "--json", "1"])
    seed("empty_id", base + ["status", ""])
    seed("loopback_callback", base + ["run", "1", "--callback-url",
                                      "http://127.1/"])
    seed("https_default", ["status", "1"])
    seed("resp_get_task_chunked", base + ["get", "1"],
         b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
         chunk(compact(examples()["/v2/workflow/get-task"]).encode(),
               [200]) + b"\r\n")
    env = b'{"code":503,"msg":"busy","traceId":"t"}'
    seed("resp_envelope", base + ["--retries", "1", "status", "1"],
         b"HTTP/1.1 503 Busy\r\nRetry-After: 1\r\nContent-Length: %d\r\n"
         b"\r\n" % len(env) + env)
    both = b'{"id":"7","status":"running","x":[]}'
    seed("resp_wait_running", base + ["run", "1", "--wait", "--max-wait",
                                      "3"],
         b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(both) +
         both)


def args_adopt_seeds():
    """run-task's answer lost (an empty answer: closed), then list-tasks."""
    base = ["--base-url", "http://127.0.0.1:1"]

    def page(task_id):
        body = compact({"page": 1, "limit": 2, "items": [{
            "id": task_id, "status": "created",
            "created_at": "2025-10-08T10:16:35Z",
            "workflow_id": "16217357109956214",
            "input_parameters": "a=b; c=d"}]}).encode()
        # close-delimited: a mutated body keeps its framing
        return (b"HTTP/1.1 200 OK\r\nDate: Wed, 08 Oct 2025 10:16:36 GMT\r\n"
                b"Connection: close\r\n\r\n" + body)

    def seed(name, argv, answers):
        data = b"\0".join(a.encode() for a in argv)
        for r in answers:
            data += b"\0@@resp\0" + r
        write("args", name, data)

    seed("resp_run_lost_adopted",
         base + ["--json", "run", "16217357109956214", "-p", "a=b", "-p",
                 "c=d"], [b"", page("16429034742537847")])
    empty = b'{"items":[]}'
    empty = (b"HTTP/1.1 200 OK\r\nDate: Wed, 08 Oct 2025 10:16:36 GMT\r\n"
             b"\r\n" + empty)
    seed("resp_run_lost_resent", base + ["run", "16217357109956214"],
         [b"", empty, empty,
          b"HTTP/1.0 200 OK\r\n\r\n{\"id\":\"9\"}"])


def main():
    which = sys.argv[1:] or ["http", "json", "url", "args", "args_adopt"]
    for w in which:
        globals()[w + "_seeds"]()


if __name__ == "__main__":
    main()
