#!/usr/bin/env python3
"""Line and branch coverage of src/*.c from gcov's JSON (tests/coverage/run.sh).

    report.py OUT_DIR MIN_BRANCH_PERCENT SECONDS SRC...

For each SRC (src/x.c, object OUT_DIR/src/x.o) gcov --json-format gives every
executable line with its count and its branches (gcc's arcs: both ways of an
if, each operand of && and ||, loop exits). A line is covered when it ran, a
branch when it was taken at least once (gcov -b's "Taken at least once").
Only lines of the .c file itself count (not inline code from headers).

Prints "# " lines: per file and in total, then the functions with the most
untaken branches; writes every line with an untaken branch to
OUT_DIR/uncovered.txt; ends with "ok - coverage.branches" or "not ok -
coverage.branches: X% < MIN%".
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

TOP = 15


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def main():
    out, minimum, secs = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    srcs = sys.argv[4:]
    tot = [0, 0, 0, 0]          # lines hit, lines, branches taken, branches
    per_fn = defaultdict(lambda: [0, 0, []])   # (file, fn) -> taken, total, lines
    rows, detail = [], []
    for src in srcs:
        objdir = os.path.join(out, os.path.dirname(src))
        r = subprocess.run(["gcov", "-b", "--json-format", "--stdout", "-o", objdir, src],
                           capture_output=True, text=True)
        docs = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{")]
        entries = [f for d in docs for f in d["files"]
                   if os.path.normpath(f["file"]) == os.path.normpath(src)]
        if r.returncode != 0 or not entries:
            print("not ok - coverage.branches: gcov found no data for %s: %s" % (
                src, r.stderr.strip()[:200]))
            return 1
        with open(src, encoding="utf-8", errors="replace") as fh:
            text = fh.read().splitlines()
        lh = ln_ = bt = bn = 0
        for f in entries:
            for line in f["lines"]:
                ln_ += 1
                lh += line["count"] > 0
                br = line.get("branches", [])
                taken = sum(1 for b in br if b["count"] > 0)
                bn += len(br)
                bt += taken
                fn = line.get("function_name", "?")
                per_fn[(src, fn)][0] += taken
                per_fn[(src, fn)][1] += len(br)
                if taken < len(br):
                    no = line["line_number"]
                    per_fn[(src, fn)][2].append(no)
                    code = text[no - 1].strip() if 0 < no <= len(text) else ""
                    detail.append("%s:%d %s: %d of %d branches taken%s: %s" % (
                        src, no, fn, taken, len(br),
                        "" if line["count"] else " (line never ran)", code))
        rows.append((src, lh, ln_, bt, bn))
        for i, v in enumerate((lh, ln_, bt, bn)):
            tot[i] += v

    with open(os.path.join(out, "uncovered.txt"), "w") as fh:
        fh.write("\n".join(detail) + "\n")
    for src, lh, ln_, bt, bn in rows:
        print("# coverage %-18s lines %5.1f%% (%4d/%4d), branches %5.1f%% (%4d/%4d)" % (
            src + ":", pct(lh, ln_), lh, ln_, pct(bt, bn), bt, bn))
    fns = sorted(((t - k, f, fn, k, t, lines) for (f, fn), (k, t, lines) in per_fn.items()
                  if k < t), reverse=True)
    print("# coverage: untaken branches, top %d functions (of %d with some; every "
          "line: %s/uncovered.txt):" % (min(TOP, len(fns)), len(fns), out))
    for miss, f, fn, k, t, lines in fns[:TOP]:
        shown = ",".join(str(n) for n in sorted(set(lines))[:12])
        more = "" if len(set(lines)) <= 12 else ",..."
        print("#   %3d untaken  %s %s (%d/%d taken; lines %s%s)" % (
            miss, f, fn, k, t, shown, more))
    lines_p, br_p = pct(tot[0], tot[1]), pct(tot[2], tot[3])
    print("# coverage src/: lines %.1f%%, branches %.1f%% (%d/%d lines, %d/%d "
          "branches; %s s)" % (lines_p, br_p, tot[0], tot[1], tot[2], tot[3], secs))
    # compare at the printed precision, so "89.0%" never fails "89%"
    if round(br_p, 1) >= minimum:
        print("ok - coverage.branches (%.1f%% >= %g%%)" % (br_p, minimum))
        return 0
    print("not ok - coverage.branches: %.1f%% < %g%%" % (br_p, minimum))
    return 1


if __name__ == "__main__":
    sys.exit(main())
