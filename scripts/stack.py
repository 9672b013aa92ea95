#!/usr/bin/env python3
"""Worst-case stack of each public function, from the compiler's own data.

    stack.py [--objdump TOOL --elf ELF] [--header H]... CI_FILE...

How: every object is compiled with -fcallgraph-info=su (gcc >= 10), which
writes a .ci file (VCG graph) beside it: one node per function with its
frame size as -fstack-usage measures it ("N bytes (static)"), and one edge
per call site the compiler kept (after inlining). The graphs of all the
library's objects are merged by function name (static functions are
"file:name", so they never clash), and the worst path from each public
function is the largest sum of frames along any call chain.

What is not in the .ci files, and how it is handled:
  * calls through function pointers (the transport, the platform, the
    application's callbacks) go to one "__indirect_call" node: counted as 0
    and listed; the stack of the port / callback must be added on top;
  * functions of other libraries (memcpy, strlen, ...): with --elf and
    --objdump, their frame is read from the prologue of their code in a
    linked image (push/sub sp on ARM, addi sp on RISC-V, addi a1 on
    Xtensa), assuming they are leaves (the C library's string functions
    are); otherwise counted as 0. Either way they are listed;
  * recursion: a call back into a function already on the path is flagged
    and not followed;
  * frames the compiler could not bound ("dynamic") are flagged.

Output: one line per public function (declared in the --header files, or
every non-static function when none is given):
    NAME<TAB>BYTES<TAB>PATH<TAB>NOTES
"""
import argparse
import re
import subprocess
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
BYTES = re.compile(r'\\n(\d+) bytes \(([^)]*)\)')


def load(ci_files):
    frames, quals, edges, defined_in = {}, {}, {}, {}
    for path in ci_files:
        with open(path) as f:
            for line in f:
                m = NODE.search(line)
                if m:
                    title, label = m.group(1), m.group(2)
                    b = BYTES.search(label)
                    if b:
                        frames[title] = int(b.group(1))
                        quals[title] = b.group(2)
                        defined_in[title] = path
                    continue
                m = EDGE.search(line)
                if m:
                    edges.setdefault(m.group(1), []).append(m.group(2))
    return frames, quals, edges, defined_in


def short(title):
    return title.rsplit(':', 1)[-1]


ARM_PUSH = re.compile(r'\b(push|stmdb\s+sp!,)\s*\{([^}]*)\}')
ARM_VPUSH = re.compile(r'\bvpush\s*\{([^}]*)\}')
ARM_SUB = re.compile(r'\bsub(?:w|\.w)?\s+sp,\s*(?:sp,\s*)?#(\d+)')
RV_ADDI = re.compile(r'\b(?:c\.)?addi(?:16sp)?\s+sp,\s*(?:sp,\s*)?(-\d+)')
XT_ADDI = re.compile(r'\badd(?:i|mi)\s+a1,\s*a1,\s*(-\d+)')
XT_ENTRY = re.compile(r'\bentry\s+a1,\s*(\d+)')


def reg_count(regs):
    n = 0
    for part in regs.split(','):
        part = part.strip()
        m = re.match(r'([a-z]+)(\d+)-[a-z]+(\d+)', part)
        if m:
            n += int(m.group(3)) - int(m.group(2)) + 1
        elif part:
            n += 1
    return n


def leaf_frames(objdump, elf, names):
    """Frame of each named function, read from its first instructions."""
    out = {}
    try:
        text = subprocess.run([objdump, '-d', elf], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return out
    cur, seen = None, 0
    for line in text.splitlines():
        m = re.match(r'^[0-9a-f]+ <([^>]+)>:', line)
        if m:
            cur = m.group(1) if m.group(1) in names else None
            seen = 0
            if cur:
                out[cur] = 0
            continue
        if cur is None or seen >= 8:
            continue
        seen += 1
        m = ARM_PUSH.search(line)
        if m:
            out[cur] += 4 * reg_count(m.group(2))
        m = ARM_VPUSH.search(line)
        if m:
            out[cur] += 8 * reg_count(m.group(1))
        for rx in (ARM_SUB, XT_ENTRY):
            m = rx.search(line)
            if m:
                out[cur] += int(m.group(1))
        for rx in (RV_ADDI, XT_ADDI):
            m = rx.search(line)
            if m:
                out[cur] += -int(m.group(1))
    return out


def public_names(headers):
    names = []
    proto = re.compile(r'^(?:const\s+)?[a-z_][a-z0-9_ ]*[\s*]+(bact_[a-z0-9_]+)\s*\(')
    for h in headers:
        with open(h) as f:
            for line in f:
                m = proto.match(line)
                if m and m.group(1) not in names:
                    names.append(m.group(1))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--header', action='append', default=[])
    ap.add_argument('--extra', action='append', default=[],
                    help='also report this function (e.g. a static entry point)')
    ap.add_argument('--objdump')
    ap.add_argument('--elf')
    ap.add_argument('ci', nargs='+')
    a = ap.parse_args()
    frames, quals, edges, _ = load(a.ci)
    unknown = set()
    for src, dsts in edges.items():
        for d in dsts:
            if d not in frames and d != '__indirect_call':
                unknown.add(d)
    ext = {}
    if a.objdump and a.elf:
        ext = leaf_frames(a.objdump, a.elf, unknown)

    memo = {}

    def worst(t, onpath):
        """(bytes, path, notes) of the deepest chain from t."""
        if t in memo:
            return memo[t]
        if t == '__indirect_call':
            return 0, ['(indirect)'], {'indirect'}
        if t not in frames:
            b = ext.get(t)
            note = 'ext:%s=%s' % (t, b if b is not None else '?')
            return (b or 0), ['%s[%s]' % (t, b if b is not None else '?')], {note}
        onpath = onpath | {t}
        best, bpath, notes = 0, [], set()
        if quals.get(t, 'static') != 'static':
            notes.add('%s:%s' % (short(t), quals[t]))
        for d in edges.get(t, []):
            if d in onpath:
                notes.add('recursion:%s->%s' % (short(t), short(d)))
                continue
            b, p, n = worst(d, onpath)
            notes |= n
            if b > best or not bpath:
                best, bpath = b, p
        res = (frames[t] + best, ['%s(%d)' % (short(t), frames[t])] + bpath, notes)
        memo[t] = res
        return res

    names = public_names(a.header) if a.header else \
        sorted(t for t in frames if ':' not in t)
    names += a.extra
    for name in names:
        key = name
        if key not in frames:
            cands = [t for t in frames if short(t) == name]
            if not cands:
                continue
            key = cands[0]
        b, p, n = worst(key, frozenset())
        print('%s\t%d\t%s\t%s' % (name, b, ' > '.join(p), ' '.join(sorted(n))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
