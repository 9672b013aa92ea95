#!/usr/bin/env python3
"""json_diff.py - the JSON reader (src/json_read.c) against Python's json.

Generates a fixed number of texts from a fixed seed (valid documents,
their mutations, deep nesting, bad escapes, lone surrogates, number edges,
NULs raw and escaped, strings about the id and status field sizes, error
envelopes with escaped member names, invalid UTF-8, trailing garbage),
runs them through the driver (json_diff.c) and compares, for each, what
the library says with what Python's json module (on the text decoded as
strict UTF-8) says the reader should:

  - the verdict: valid or not, and BACT_E_TOKENS with the exact count of
    tokens (values and keys) when the token array is too small;
  - the decoded tree (strings as bytes, numbers as their text, members in
    order, duplicates kept), walked with the library's skip and elem;
  - the envelope as raw mode reads it (parsed, not decoded) and as it is
    read decoded: code, the first member named code that is a 32-bit
    integer, msg, the first named msg that is a string;
  - a field table on the top object: of a member named twice the first
    that is not null counts; a wrong type, an integer out of range, an id
    of BACT_ID_SIZE bytes or more or any id or status with a NUL is
    BACT_E_SHAPE; a status word is cut to BACT_STATUS_SIZE - 1 bytes at a
    character's start.

The documented differences are expected, not reported: a lone surrogate
escape (Python takes it) and nesting deeper than 64 are refused.

Usage: json_diff.py DRIVER [COUNT [SEED]]. Prints "ok - jsondiff: ..." or
"not ok - jsondiff: ..." with the first disagreements; exits 1 on any.
"""
import json
import random
import struct
import subprocess
import sys

COUNT = 20000
SEED = 20251008
ID_SIZE = 48
STATUS_SIZE = 24
MAX_DEPTH = 64
E_JSON, E_SHAPE, E_TOKENS = -14, -15, -3
STATUS_WORDS = ["created", "running", "finished", "canceled", "pausing",
                "paused", "failed", "unknown"]
FIELD_KEYS = ["id", "name", "progress", "credit", "default_enabled",
              "items", "status", "output", "code", "msg", "traceId"]


# ---- Python's reading ----

class Num(str):
    """a number, kept as its text"""


class Obj(list):
    """an object: its members in order, duplicates kept"""


class Refused(Exception):
    pass


def _constant(name):
    raise Refused(name)  # NaN, Infinity: not JSON


def py_parse(data):
    """('ok', value) or ('bad', why)"""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "bad", "utf-8"
    try:
        return "ok", json.loads(text, object_pairs_hook=Obj, parse_int=Num,
                                parse_float=Num, parse_constant=_constant)
    except (ValueError, Refused):
        return "bad", "grammar"
    except RecursionError:
        return "bad", "depth"


def depth_of(v):
    """containers nested (a scalar: 0), without recursion"""
    best, stack = 0, [(v, 1)]
    while stack:
        x, d = stack.pop()
        if isinstance(x, Obj):
            best = max(best, d)
            stack.extend((val, d + 1) for _, val in x)
        elif isinstance(x, list):
            best = max(best, d)
            stack.extend((val, d + 1) for val in x)
    return best


def has_surrogate(v):
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, Obj):
            for k, val in x:
                stack.append(k)
                stack.append(val)
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, str) and not isinstance(x, Num):
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in x):
                return True
    return False


def count_tokens(v):
    n, stack = 0, [v]
    while stack:
        x = stack.pop()
        n += 1
        if isinstance(x, Obj):
            n += len(x)
            stack.extend(val for _, val in x)
        elif isinstance(x, list):
            stack.extend(x)
    return n


def b(s):
    return s.encode("utf-8")


def tree(v, out):
    if isinstance(v, Obj):
        out.append("{")
        for i, (k, val) in enumerate(v):
            if i:
                out.append(",")
            out.append('"%s":' % b(k).hex())
            tree(val, out)
        out.append("}")
    elif isinstance(v, list):
        out.append("[")
        for i, val in enumerate(v):
            if i:
                out.append(",")
            tree(val, out)
        out.append("]")
    elif isinstance(v, Num):
        out.append(str.__str__(v))
    elif isinstance(v, str):
        out.append('"%s"' % b(v).hex())
    elif v is None:
        out.append("null")
    else:
        out.append("true" if v else "false")


def cstr(s):
    """a string as the driver prints a C string: up to its first NUL"""
    if s is None:
        return "-"
    return '"%s"' % b(s).split(b"\0")[0].hex()


def is_int(v):
    return isinstance(v, Num) and not any(c in v for c in ".eE")


def int_in(v, bits):
    if not is_int(v) or len(v) > 21:  # (more digits: out of range)
        return None
    x = int(v)
    return x if -(1 << (bits - 1)) <= x < (1 << (bits - 1)) else None


def envelope(v):
    """the V line: the envelope of the top object (FIELDS_ANY reading)"""
    code, msg = None, None
    if isinstance(v, Obj):
        for k, val in v:
            if k == "code" and code is None:
                code = int_in(val, 32)
            elif k == "msg" and msg is None and isinstance(val, str) \
                    and not isinstance(val, Num):
                msg = val
    env = int(code is not None and code != 0 and msg is not None)
    one = "%d %d %d %s" % (env, int(code is not None),
                           code if code is not None else 0, cstr(msg))
    return "V %s %s" % (one, one)  # parsed, then decoded: the same


def cut_status(raw):
    if len(raw) < STATUS_SIZE:
        return raw
    n = STATUS_SIZE - 1
    while n > 0 and (raw[n] & 0xC0) == 0x80:
        n -= 1
    return raw[:n]


def fields(v):
    """the F line: the field table of json_diff.c on the top value"""
    if not isinstance(v, Obj):
        return "F %d" % E_SHAPE
    r = {"id": '""', "name": "-", "progress": "0", "credit": "-1",
         "default_enabled": "0", "items": "-1:0", "status": '0:""',
         "output": "-1"}
    seen = set()
    for k, val in v:
        if k not in r or k in seen or val is None:
            continue
        isstr = isinstance(val, str) and not isinstance(val, Num)
        if k == "id":
            raw = b(val) if isstr else None
            if raw is None or len(raw) >= ID_SIZE or b"\0" in raw:
                return "F %d" % E_SHAPE
            r[k] = '"%s"' % raw.hex()
        elif k == "name":
            if not isstr:
                return "F %d" % E_SHAPE
            r[k] = cstr(val)
        elif k in ("progress", "credit"):
            x = int_in(val, 32 if k == "progress" else 64)
            if x is None:
                return "F %d" % E_SHAPE
            r[k] = str(x)
        elif k == "default_enabled":
            if val is not True and val is not False:
                return "F %d" % E_SHAPE
            r[k] = str(int(val))
        elif k == "items":
            if not isinstance(val, list) or isinstance(val, Obj):
                return "F %d" % E_SHAPE
            r[k] = "%d:%d" % (2, len(val))  # JSMN_ARRAY is 2
        elif k == "status":
            raw = b(val) if isstr else None
            if raw is None or b"\0" in raw:
                return "F %d" % E_SHAPE
            word = cut_status(raw)
            st = 0
            if word.decode() in STATUS_WORDS:
                st = STATUS_WORDS.index(word.decode()) + 1
            r[k] = '%d:"%s"' % (st, word.hex())
        elif k == "output":
            if not isinstance(val, Obj):
                return "F %d" % E_SHAPE
            r[k] = str(len(val))
        seen.add(k)
    return "F 0 %s %s %s %s %s %s %s %s" % (
        r["id"], r["name"], r["progress"], r["credit"],
        r["default_enabled"], r["items"], r["status"], r["output"])


def expect(data, ntok):
    """(lines the driver should print, why a refusal is intended or None)"""
    verdict, v = py_parse(data)
    if verdict == "bad":
        return ["P %d 0" % E_JSON], None
    if depth_of(v) > MAX_DEPTH:
        return ["P %d 0" % E_JSON], "nesting deeper than 64"
    if has_surrogate(v):
        return ["P %d 0" % E_JSON], "lone surrogate escape"
    need = count_tokens(v)
    if ntok < need:
        return ["P %d %d" % (E_TOKENS, need)], None
    out = []
    tree(v, out)
    return ["P 0 0", envelope(v), "T " + "".join(out), fields(v)], None


# ---- the texts ----

class Gen:
    def __init__(self, rng):
        self.r = rng

    def ws(self):
        r = self.r
        if r.random() < 0.8:
            return ""
        return "".join(r.choice(" \t\r\n") for _ in range(r.randint(1, 3)))

    def char(self):
        r = self.r
        k = r.random()
        if k < 0.55:
            return r.choice("abcdefghijklmnopqrstuvwxyz0123456789 _-/.")
        if k < 0.65:
            return r.choice('"\\\b\f\n\r\t\x00\x01\x1f\x7f')
        if k < 0.75:
            return r.choice(["\u00e9", "\u07ff", "\u0800", "\u20ac",
                             "\uffff", "\U0001f600", "\U0010ffff", "\u0080"])
        return chr(r.randint(0x20, 0x7e))

    def esc(self, ch):
        """ch written in a JSON string, escaped one of the ways it may be"""
        r, o = self.r, ord(ch)
        short = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f",
                 "\n": "\\n", "\r": "\\r", "\t": "\\t", "/": "\\/"}
        if o < 0x20 or ch in '"\\':
            if ch in short and r.random() < 0.6:
                return short[ch]
        elif r.random() < 0.8:
            return ch
        elif ch == "/" and r.random() < 0.5:
            return "\\/"
        if o >= 0x10000:
            o -= 0x10000
            hi, lo = 0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)
            s = "\\u%04x\\u%04x" % (hi, lo)
        else:
            s = "\\u%04x" % o
        return s.upper().replace("\\U", "\\u") if r.random() < 0.3 else s

    def string(self, n=None):
        r = self.r
        if n is None:
            n = r.choice([0, 1, 2, 5, 10, 30]) if r.random() < 0.9 \
                else r.randint(40, 70)
        return "".join(self.char() for _ in range(n))

    def jstr(self, s):
        return '"' + "".join(self.esc(ch) for ch in s) + '"'

    def number(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return str(r.randint(-1000, 1000))
        if k < 0.6:
            edge = r.choice([1 << 31, 1 << 63, 10 ** 19, 10 ** 18])
            return str(r.choice([-1, 1]) * edge + r.randint(-2, 2))
        if k < 0.8:
            return r.choice(["-0", "0.5", "1e5", "1E+2", "-1.25E-3", "1e-0",
                             "0", "-0.0e00", "1.0", "2e3", "1e400",
                             "123456789012345678901234567890",
                             "-9223372036854775809", "99999999999999999999"])
        return str(r.randint(-(1 << 70), 1 << 70))

    def value(self, depth=0):
        r = self.r
        k = r.random()
        if depth > 5 or k < 0.45:
            k2 = r.random()
            if k2 < 0.45:
                return self.jstr(self.string())
            if k2 < 0.8:
                return self.number()
            return r.choice(["true", "false", "null"])
        if k < 0.7:
            return self.ws() + "[" + ",".join(
                self.ws() + self.value(depth + 1) + self.ws()
                for _ in range(r.randint(0, 4))) + "]"
        return self.obj(depth)

    def key(self):
        r = self.r
        if r.random() < 0.6:
            return r.choice(FIELD_KEYS)
        return self.string(r.randint(0, 6))

    def member_value(self, key, depth):
        r = self.r
        if r.random() < 0.3:
            return self.value(depth + 1)
        if key in ("id", "status", "name", "msg", "traceId"):
            if r.random() < 0.15:
                return "null"
            if key == "status" and r.random() < 0.4:
                w = r.choice(STATUS_WORDS)
                return self.jstr(w + ("" if r.random() < 0.7 else
                                      self.string(r.randint(1, 25))))
            n = r.choice([r.randint(0, 8), r.randint(20, 26),
                          r.randint(44, 50)])
            return self.jstr(self.string(n))
        if key in ("progress", "credit", "code"):
            return "null" if r.random() < 0.1 else self.number()
        if key == "default_enabled":
            return r.choice(["true", "false", "null", "1", '"true"'])
        if key == "items":
            return self.value(depth + 1)
        return self.value(depth + 1)

    def obj(self, depth=0):
        r = self.r
        mem = []
        for _ in range(r.randint(0, 6)):
            k = self.key()
            mem.append(self.ws() + self.jstr(k) + self.ws() + ":" +
                       self.ws() + self.member_value(k, depth) + self.ws())
        return "{" + ",".join(mem) + "}"

    def doc(self):
        r = self.r
        body = self.obj() if r.random() < 0.75 else self.value()
        return self.ws() + body + self.ws()


BAD_ESCAPES = ["\\x", "\\a", "\\u12", "\\u12g4", "\\U00e9", "\\ud83d",
               "\\ude00", "\\ud83dx", "\\ud83d\\u0041", "\\ud83d\\ud83d",
               "\\ude00\\ud83d", "\\udbff\\udfff", "\\ud800\\udc00",
               "\\udfff", "\\udc00", "\\ud800\\ue000", "\\u0000",
               "\\uD83D\\uDE00", "\\", "\\u", "\\ud83d\\", "\\ud83d\\u",
               "\\ud83d\\ude0", "\\'", "\\0", "\\e", "\\ ", "\\\n"]
BAD_BYTES = [b"\xc0\x80", b"\xc1\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
             b"\xf5\x80\x80\x80", b"\xff", b"\xfe", b"\xe2\x82", b"\x80",
             b"\xe0\x80\x80", b"\xf0\x80\x80\x80", b"\xf4\x90\x80\x80",
             b"\xc3\x28", b"\xef\xbb\xbf", b"\x00", b"\x01", b"\x1f",
             b"\x7f", b"\xf0\x9f\x98", b"\xc2\x80", b"\xf4\x8f\xbf\xbf"]
GARBAGE = [b",", b"]", b"}", b"{}", b"x", b"\x00", b" 1", b"//c", b"\"",
           b"[", b",]", b"NaN", b"Infinity", b"-Infinity", b"tru", b"nul"]
BAD_NUMBERS = ["0012", "01", "-", "1.", ".5", "+1", "1e", "1e+", "--1",
               "-a", "0x10", "NaN", "Infinity", "-Infinity", "1.e5", "-.5",
               "00", "-01", "1d5", "1D5", "1.5d2", "1 2", "1E", "1e-",
               "0.", "-0.", "1ee5", "1e5.5", "\u0661", "1_000"]


def mutate(rng, data):
    for _ in range(rng.randint(1, 3)):
        k = rng.random()
        pos = rng.randint(0, len(data))
        if k < 0.25 and data:  # a byte replaced
            p = rng.randrange(len(data))
            data = data[:p] + bytes([rng.choice(
                [rng.randrange(256)] + list(b'",:[]{}\\ u0e-.'))]) + \
                data[p + 1:]
        elif k < 0.45:  # a byte or sequence put in
            ins = rng.choice(BAD_BYTES + GARBAGE +
                             [bytes([rng.randrange(256)])])
            data = data[:pos] + ins + data[pos:]
        elif k < 0.65 and data:  # a slice out
            e = min(len(data), pos + rng.randint(1, 4))
            data = data[:pos] + data[e:]
        elif k < 0.8:  # cut short
            data = data[:pos]
        elif k < 0.9:  # trailing garbage
            data = data + rng.choice(GARBAGE)
        else:  # a slice doubled
            e = min(len(data), pos + rng.randint(1, 8))
            data = data[:e] + data[pos:e] + data[e:]
    return data


def deep(rng):
    levels = rng.choice([rng.randint(60, 68), rng.randint(1, 70),
                         rng.randint(100, 2000)])
    opens, closes = [], []
    for _ in range(levels):
        if rng.random() < 0.5:
            opens.append("[")
            closes.append("]")
        else:
            opens.append('{"k":' if rng.random() < 0.8 else '{"id":')
            closes.append("}")
    inner = rng.choice(["", "1", '"x"', "{}", "[]", "null"])
    if inner == "" and opens and opens[-1] != "[":
        inner = "0"
    text = "".join(opens) + inner + "".join(reversed(closes))
    if rng.random() < 0.2 and closes:  # one closer swapped
        p = len(text) - 1 - rng.randrange(len(closes))
        sw = {"]": "}", "}": "]"}[text[p]]
        text = text[:p] + sw + text[p + 1:]
    return text.encode()


def escapes(rng, g):
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts.append(g.string(rng.randint(0, 3)))
        parts.append(rng.choice(BAD_ESCAPES))
    s = "".join(p if p.startswith("\\") else
                g.jstr(p)[1:-1] for p in parts)
    key = rng.choice(["id", "name", "status", "msg", "x"])
    if rng.random() < 0.2:
        return ('{"%s":"%s"}' % (s, "v")).encode()
    return ('{"%s":"%s"}' % (key, s)).encode()


def numbers(rng, g):
    num = rng.choice(BAD_NUMBERS) if rng.random() < 0.4 else g.number()
    k = rng.random()
    if k < 0.3:
        return num.encode()
    key = rng.choice(["progress", "credit", "code", "x"])
    extra = ',"msg":"m"' if key == "code" else ""
    return ('{"%s":%s%s}' % (key, num, extra)).encode()


def envelope_doc(rng, g):
    mem = []
    for _ in range(rng.randint(1, 5)):
        name = rng.choice(["code", "msg", "traceId", "x", "Code", "msgx"])
        if rng.random() < 0.5:  # escapes in the name
            name = "".join(
                ("\\u%04x" % ord(c) if rng.random() < 0.3 else
                 "\\u%04X" % ord(c) if rng.random() < 0.1 else c)
                for c in name)
        if name.replace("\\u0063", "c").startswith("code") or \
                rng.random() < 0.3:
            val = rng.choice([g.number(), "0", "1", "10112", "null",
                              '"5"', "true", "1.5", "2147483648",
                              "-2147483648", "[1]"])
        else:
            val = rng.choice([g.jstr(g.string()), "null", "1", "{}",
                              '"a\\u0000b"', '""'])
        mem.append('"%s":%s' % (name, val))
    return ("{" + ",".join(mem) + "}").encode()


def sizes(rng, g):
    """strings about the id and status sizes, multi-byte at the edge"""
    key = rng.choice(["id", "status", "name"])
    size = ID_SIZE if key == "id" else STATUS_SIZE
    n = size - rng.randint(-1, 4)
    pre = "a" * max(0, n - rng.randint(0, 3))
    tail = rng.choice(["", "\u00e9", "\u20ac", "\U0001f600", "\u0000",
                       "b", "\u00e9\u00e9"])
    s = pre + tail
    if key == "status" and rng.random() < 0.3:
        s = rng.choice(STATUS_WORDS) + s
    return ('{"%s":%s}' % (key, g.jstr(s))).encode()


PIECES = [b"a", b"b", b" ", b"~", b"\x7f", b"\x20", b"\x1f", b"\x00",
          b"\\n", b"\\u00e9", b"\\ud83d\\ude00", b"\xc3\xa9",
          b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\"", b"\\"]


def raw_string(rng):
    """a string of raw bytes, mostly plain, one bad or odd byte at any
    offset of the word-at-a-time scan"""
    parts = [rng.choice(PIECES) for _ in range(rng.randint(0, 24))]
    if rng.random() < 0.7:
        parts.insert(rng.randint(0, len(parts)),
                     rng.choice(BAD_BYTES + [bytes([rng.randrange(256)])]))
    return b'["' + b"".join(parts) + b'"]'


def texts(count, seed):
    rng = random.Random(seed)
    g = Gen(rng)
    for i in range(count):
        k = rng.random()
        if k < 0.30:
            data = g.doc().encode()
        elif k < 0.55:
            data = mutate(rng, g.doc().encode())
        elif k < 0.62:
            data = deep(rng)
        elif k < 0.72:
            data = escapes(rng, g)
        elif k < 0.80:
            data = numbers(rng, g)
        elif k < 0.88:
            data = envelope_doc(rng, g)
        elif k < 0.93:
            data = sizes(rng, g)
        elif k < 0.97:
            data = raw_string(rng)
        else:  # bytes that are no UTF-8, or NULs, in a string or outside
            base = g.doc().encode()
            p = rng.randint(0, len(base))
            data = base[:p] + rng.choice(BAD_BYTES) + base[p:]
            if rng.random() < 0.5:
                data = b'{"name":"a' + rng.choice(BAD_BYTES) + b'b"}'
        kind = rng.random()
        if kind < 0.8:
            ntok = 4096
        else:
            verdict, v = py_parse(data)
            need = count_tokens(v) if verdict == "ok" else 4
            ntok = max(0, need + rng.choice([-2, -1, -1, 0, 0, 1])) \
                if kind < 0.95 else rng.randint(0, 3)
        yield i, data, ntok


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    driver = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else COUNT
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else SEED
    sys.setrecursionlimit(10000)
    cases = list(texts(count, seed))
    feed = b"".join(struct.pack("<II", len(d), n) + d for _, d, n in cases)
    proc = subprocess.run([driver], input=feed, stdout=subprocess.PIPE,
                          timeout=120)
    lines = proc.stdout.decode("ascii", "replace").split("\n")
    pos, bad, intended, valid = 0, [], {}, 0
    for i, data, ntok in cases:
        want, why = expect(data, ntok)
        got = []
        if pos < len(lines) and lines[pos].startswith("P "):
            got.append(lines[pos])
            pos += 1
            while pos < len(lines) and lines[pos][:2] in ("V ", "T ", "F "):
                got.append(lines[pos])
                pos += 1
        if got and got[0] == "P 0 0":
            valid += 1
        if got == want:
            if why:
                intended[why] = intended.get(why, 0) + 1
            continue
        bad.append((i, data, ntok, want, got))
    if proc.returncode != 0:
        bad.append((-1, b"", 0, ["exit 0"], ["exit %d" % proc.returncode]))
    for i, data, ntok, want, got in bad[:20]:
        print("# input %d (tokens %d): %r" % (i, ntok, data[:200]))
        for w, g_ in zip(want + [""] * 4, got + [""] * 4):
            if w != g_:
                print("#   want: %s\n#   got:  %s" % (w[:300], g_[:300]))
    note = ", ".join("%d %s" % (n, w) for w, n in sorted(intended.items()))
    summary = "%d texts (seed %d), %d valid; refused as documented: %s" % (
        count, seed, valid, note or "none")
    if bad:
        print("not ok - jsondiff: %d disagreements of %s" % (len(bad),
                                                             summary))
        sys.exit(1)
    print("ok - jsondiff: %s" % summary)


if __name__ == "__main__":
    main()
