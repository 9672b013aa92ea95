#!/usr/bin/env python3
"""The end-to-end checks under valgrind (tests/valgrind/run.sh runs this).

    e2e_vg.py WRAPPER LOG_DIR KEEP_DIR [--all | -k SUBSTRING...]

WRAPPER is an executable that execs `valgrind ... --log-file=LOG_DIR/vg.%p.log
build/host/bact "$@"`; tests/e2e/test_cli.py takes it as the binary under
test. Its output is passed on with the prefix renamed, "ok - valgrind.<name>"
or "not ok - valgrind.<name>: why", and a check fails as well when any bact
process it ran made valgrind report an error (ERROR SUMMARY not 0: invalid
reads or writes, uninitialised values, bad frees, definite leaks). Such a
process exits 99 (--error-exitcode), which fails the check's own exit-code
assertion too; the log is copied to KEEP_DIR.

Checks run one after the other and each bact run is waited for, so a log
finished before a check's result line belongs to that check.

Which checks: valgrind costs ~0.6 s per process on top of the run (the whole
suite takes ~270 s instead of 35 s), so by default a subset, ~100 s:
test_cli.LEAK_CHECKS (the suite's own pick for LeakSanitizer: one or more
per command and per exit code) plus every net.* and proto.* check and the
EXTRA ones below. --all runs every check, -k SUBSTRING (repeatable) the
checks whose names hold one of them. Either way, the TIMING ones (they
time the process, valgrind's start-up included) and the STD_FDS ones (a
closed stdout or stderr: valgrind's log takes it) are left out; see there.
The plain and sanitized e2e runs keep them.
"""
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEST_CLI = os.path.join(ROOT, "tests", "e2e", "test_cli.py")

EXTRA = {
    "chunked.trickle_byte_by_byte", "chunked.run_wait_large_body",
    "json.ascii_escapes_decoded", "json.error_prints_nothing",
    "retry.run_adopted_after_cut", "retry.run_resent_after_drop_when_none_created",
    "retry.429_retry_after_imf_date", "keepalive.close_run_wait",
    "api.error_envelope_on_2xx", "api.error_shows_trace_id",
    "usage.api_key_control_char", "usage.callback_ipv6_ula",
    "usage.callback_userinfo_loopback", "usage.biz_code_overflow",
    "usage.param_no_equals", "usage.interval_exponent",
}
GROUPS = ("net.", "proto.")
# Left out under valgrind, whose start-up (~0.6 s per process, more on a
# busy machine) they would measure instead of the tool:
TIMING = {
    # they assume the tool's first poll sees a task still created/running
    # (150 ms, then 300 ms)
    "wait.existing_task", "keepalive.wait_one_connection",
    "keepalive.close_reconnects",
    # wall-clock upper bounds of 2-3 s that include the process start; the
    # same paths run in net.timeout_retried_then_ok, net.stall_then_close,
    # net.trickle_ok and resume.paused_then_wait (exit 7)
    "net.timeout_slow", "net.stall_timeout", "net.trickle_attempt_limit",
    "wait.max_wait_mid_interval", "run_wait.pausing_max_wait_exit_7",
}

# ... and those that start the tool with stdout or stderr closed: valgrind
# opens its log file first, which takes the lowest free descriptor, so the
# tool finds 1 or 2 open (and its output goes into the log)
STD_FDS = {"proto.stdout_closed_exit_5", "wait.stderr_closed"}
LEFT_OUT = TIMING | STD_FDS

RESULT = re.compile(r"^(ok|not ok) - e2e\.([^\s:]+)(.*)$")
SUMMARY = re.compile(r"ERROR SUMMARY: (\d+) errors? from (\d+) contexts?")
FIRST_ERR = re.compile(
    r"==\d+== ((Invalid|Conditional jump|Use of uninitialised|Syscall param|"
    r"Mismatched|Source and destination|Argument|Jump to|Process terminating|"
    r"Stack overflow)[^\n]*|[\d,]+ bytes in [\d,]+ blocks are definitely lost[^\n]*)")


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def all_checks():
    out = subprocess.run([sys.executable, TEST_CLI, "/bin/true", "--list"],
                         capture_output=True, text=True, check=True).stdout
    return [ln[len("# e2e."):] for ln in out.splitlines() if ln.startswith("# e2e.")]


def leak_checks():
    sys.path.insert(0, os.path.dirname(TEST_CLI))
    try:
        sys.dont_write_bytecode = True
        import test_cli   # registers the checks; main() only runs as a script
        return set(test_cli.LEAK_CHECKS)
    finally:
        sys.path.pop(0)


class Logs:
    """The valgrind logs in LOG_DIR, each read once it is complete."""

    def __init__(self, log_dir, keep_dir):
        self.dir, self.keep = log_dir, keep_dir
        self.done = set()
        self.procs = self.bad = 0

    def collect(self, final=False):
        """Logs finished since the last call: (processes, [(path, why)])."""
        n, errs = 0, []
        for name in sorted(os.listdir(self.dir)):
            path = os.path.join(self.dir, name)
            if name in self.done or not name.startswith("vg."):
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            m = SUMMARY.search(text)
            if m is None and not final and os.path.exists(
                    "/proc/" + name[3:].split(".")[0]):
                continue   # still running: the next check's

            self.done.add(name)
            n += 1
            if m is not None and m.group(1) == "0":
                os.unlink(path)
                continue
            kept = os.path.join(self.keep, name)
            shutil.copyfile(path, kept)
            if m is None:
                why = "valgrind log unfinished (process killed?)"
            else:
                first = FIRST_ERR.search(text)
                why = "valgrind: %s error(s)%s" % (
                    m.group(1), ", first: " + first.group(1) if first else "")
            errs.append((kept, why))
        self.procs += n
        self.bad += len(errs)
        return n, errs


def main():
    if len(sys.argv) < 4:
        say("not ok - valgrind.setup: usage: e2e_vg.py WRAPPER LOG_DIR KEEP_DIR [--all]")
        return 1
    wrapper, log_dir, keep_dir = sys.argv[1:4]
    rest = sys.argv[4:]
    run_all = "--all" in rest
    subs = [rest[i + 1] for i in range(len(rest) - 1) if rest[i] == "-k"]
    names = all_checks()
    if subs:
        run_all = True
        pick = [n for n in names if n not in LEFT_OUT and any(k in n for k in subs)]
    elif run_all:
        pick = [n for n in names if n not in LEFT_OUT]
    else:
        wanted = leak_checks() | EXTRA
        pick = [n for n in names if n not in LEFT_OUT and
                (n in wanted or n.startswith(GROUPS))]
    missing = sorted((EXTRA if not run_all else set()) - set(names))
    if missing:
        say("# valgrind: checks named here but not in test_cli.py: " + " ".join(missing))
    # -k is a substring match: see that it selects no more than meant
    args = []
    for n in pick:
        args += ["-k", n]
    listed = subprocess.run([sys.executable, TEST_CLI, "/bin/true", "--list"] + args,
                            capture_output=True, text=True).stdout
    extra = [ln[6:] for ln in listed.splitlines()
             if ln.startswith("# e2e.") and ln[6:] not in pick]
    if any(e in LEFT_OUT for e in extra):
        say("# valgrind: -k also selects %s" % " ".join(e for e in extra if e in LEFT_OUT))
    say("# valgrind: %d of %d e2e checks%s" % (len(pick) + len(extra), len(names),
                                               " (the subset)" if not run_all else ""))

    logs = Logs(log_dir, keep_dir)
    t0 = time.monotonic()
    env = dict(os.environ)
    p = subprocess.Popen([sys.executable, TEST_CLI, wrapper] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=env, text=True,
                         errors="replace", bufsize=1)
    failed = 0
    for line in p.stdout:
        line = line.rstrip("\n")
        m = RESULT.match(line)
        if m is None:
            say(line.replace("e2e.", "valgrind.", 1) if line.startswith("not ok - e2e.")
                else line)
            continue
        status, name, rest = m.groups()
        _, errs = logs.collect()
        if errs:
            why = "; ".join("%s (%s)" % (w, os.path.relpath(k, ROOT)) for k, w in errs)
            if status == "not ok":
                why += "; and the check: " + rest.lstrip(": ")
            say("not ok - valgrind.%s: %s" % (name, why))
            failed += 1
        else:
            say("%s - valgrind.%s%s" % (status, name, rest))
            failed += status == "not ok"
    rc = p.wait()
    _, errs = logs.collect(final=True)
    for kept, why in errs:
        say("not ok - valgrind.unattributed: %s (%s)" % (why, os.path.relpath(kept, ROOT)))
        failed += 1
    say("# valgrind: %d bact processes, %d with errors, %.1f s" % (
        logs.procs, logs.bad, time.monotonic() - t0))
    return 1 if failed or rc != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
