#!/usr/bin/env python3
"""The size table of `make size` (run through scripts/size.sh).

    size_report.py BUILD_DIR BOARD...

Reads what boards/boards.mk built under BUILD_DIR/boards/<board>/:
  obj/**.o           the library objects (-Os, one section per function)
  client.elf/.map    every public function linked, --gc-sections
  empty.elf/.map     an empty main(), same flags: the C library baseline
  size/sizeof.o      sizeof() of the caller-owned types, as symbol sizes
  obj/**.ci          the call graph with frame sizes (scripts/stack.py)
  fw/firmware.map    (cortex-m4f) the example firmware image
and prints Markdown: a summary, then per board the per-file table, the
linked sizes, the sizes of the types and the worst-case stack.

Sizes: text = code (Xtensa literal pools included), rodata = constants
(.rodata, .srodata, ARM unwind tables), data = initialised RAM, bss =
zeroed RAM. "flash" = text + rodata + data.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

GOAL_TEXT = 6 * 1024
GOAL_LIBC = 512
GOAL_STACK = 384


def kind(section):
    s = section
    if s.startswith(('.text', '.literal', '.init', '.fini', '.iram')):
        return 'text'
    if s.startswith(('.rodata', '.srodata', '.ARM.ex', '.init_array',
                     '.fini_array', '.preinit_array', '.eh_frame')):
        return 'rodata'
    if s.startswith(('.data', '.sdata', '.tdata')):
        return 'data'
    if s.startswith(('.bss', '.sbss', '.tbss', 'COMMON', '.noinit')):
        return 'bss'
    return None


def obj_sizes(tool, path):
    out = {'text': 0, 'rodata': 0, 'data': 0, 'bss': 0}
    res = subprocess.run([tool + 'size', '-A', path], capture_output=True,
                         text=True, check=True).stdout
    for line in res.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            k = kind(parts[0])
            if k:
                out[k] += int(parts[1])
    return out


MAP_FULL = re.compile(r'^ (\S+)\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$')
MAP_NAME = re.compile(r'^ (\S+)$')
MAP_REST = re.compile(r'^\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$')


def map_entries(path):
    """(section, size, file) of each input section the link kept."""
    entries = []
    with open(path) as f:
        lines = f.read().splitlines()
    try:
        start = lines.index('Linker script and memory map')
    except ValueError:
        start = 0
    pending = None
    for line in lines[start:]:
        if line.startswith('/DISCARD/'):
            break
        m = MAP_FULL.match(line)
        if m:
            pending = None
            entries.append((m.group(1), int(m.group(3), 16), m.group(4)))
            continue
        m = MAP_NAME.match(line)
        if m:
            pending = m.group(1)
            continue
        if pending:
            m = MAP_REST.match(line)
            if m:
                entries.append((pending, int(m.group(2), 16), m.group(3)))
            pending = None
    return [(s, n, f) for s, n, f in entries
            if n > 0 and kind(s) and not s.startswith('*fill*')]


def category(f):
    if '/obj/src/' in f or '/small/src/' in f or '/option/' in f:
        return 'bact'
    if '/obj/port/lwip/' in f:
        return 'bact'       # the lwIP port is part of bact in the firmware
    if '/obj/port/mbedtls/' in f or '/fw/bact/' in f:
        return 'bact'
    if 'liblwip.a' in f or '/fw/lwip/' in f:
        return 'lwIP'
    if 'libmbedtls.a' in f or '/fw/mbedtls/' in f:
        return 'mbedTLS'
    if '/fw/board/' in f or '/size/' in f:
        return 'app'
    return 'libc'


def member(f):
    m = re.search(r'\(([^)]+)\)$', f)
    return m.group(1) if m else os.path.basename(f)


def split(entries, by=category):
    tot = {}
    for s, n, f in entries:
        c = by(f)
        d = tot.setdefault(c, {'text': 0, 'rodata': 0, 'data': 0, 'bss': 0})
        d[kind(s)] += n
    return tot


def flash(d):
    return d['text'] + d['rodata'] + d['data']


def zero():
    return {'text': 0, 'rodata': 0, 'data': 0, 'bss': 0}


def libc_symbols(entries):
    """Names of the C library's functions a link kept."""
    names = set()
    for s, n, f in entries:
        if category(f) == 'libc' and kind(s) == 'text':
            m = re.match(r'\.text\.(.+)', s)
            names.add(m.group(1) if m else member(f).replace('libc_a-', '')
                      .replace('lib_a-', '').rsplit('.', 1)[0])
    return names


def sizeof(tool, path):
    out = {}
    res = subprocess.run([tool + 'nm', '-S', path], capture_output=True,
                         text=True, check=True).stdout
    for line in res.splitlines():
        p = line.split()
        if len(p) == 4 and p[3].startswith('sizeof_'):
            out[p[3][7:]] = int(p[1], 16)
    return out


def stack(board, bd, tool, extra_ci=(), extra_fns=()):
    ci = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(bd, 'obj', 'src'))
                for f in fs if f.endswith('.ci'))
    ci += list(extra_ci)
    cmd = [sys.executable, os.path.join(HERE, 'stack.py'),
           '--header', os.path.join(ROOT, 'include', 'bact.h'),
           '--objdump', tool + 'objdump', '--elf', os.path.join(bd, 'client.elf')]
    for fn in extra_fns:
        cmd += ['--extra', fn]
    res = subprocess.run(cmd + ci, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in res.splitlines():
        name, b, path, notes = (line.split('\t') + ['', '', '', ''])[:4]
        rows.append((name, int(b), path, notes))
    return rows


def env(bd):
    d = {}
    with open(os.path.join(bd, 'board.env')) as f:
        for line in f:
            k, _, v = line.strip().partition('=')
            d[k] = v.strip("'")
    return d


def fmt(n):
    return '{:,}'.format(n)


def board_report(build, board, out, summary):
    bd = os.path.join(build, 'boards', board)
    e = env(bd)
    tool = e['TOOL']
    out.append('### %s: %s' % (board, e['DESC']))
    out.append('')
    out.append('Flags: `%s -Os -ffunction-sections -fdata-sections`.' % e['CPU'])
    out.append('')
    # per file
    out.append('| file | text | rodata | data | bss |')
    out.append('|---|---:|---:|---:|---:|')
    total = zero()
    files = sorted(os.path.relpath(os.path.join(dp, f), os.path.join(bd, 'obj'))
                   for dp, _, fs in os.walk(os.path.join(bd, 'obj', 'src'))
                   for f in fs if f.endswith('.o'))
    for rel in files:
        s = obj_sizes(tool, os.path.join(bd, 'obj', rel))
        for k in total:
            total[k] += s[k]
        out.append('| %s | %s | %s | %s | %s |' % (rel[:-2] + '.c', fmt(s['text']),
                   fmt(s['rodata']), fmt(s['data']), fmt(s['bss'])))
    out.append('| **src/ total** | **%s** | **%s** | **%s** | **%s** |' % (
        fmt(total['text']), fmt(total['rodata']), fmt(total['data']), fmt(total['bss'])))
    ports = []
    for port in ('lwip/bact_lwip', 'mbedtls/bact_mbedtls'):
        p = os.path.join(bd, 'obj', 'port', port + '.o')
        if os.path.exists(p):
            s = obj_sizes(tool, p)
            ports.append((port, s))
            out.append('| port/%s.c | %s | %s | %s | %s |' % (port, fmt(s['text']),
                       fmt(s['rodata']), fmt(s['data']), fmt(s['bss'])))
    out.append('')
    # linked
    ce = map_entries(os.path.join(bd, 'client.map'))
    ee = map_entries(os.path.join(bd, 'empty.map'))
    cs, es = split(ce), split(ee)
    lib = cs.get('bact', zero())
    libc_c, libc_e = cs.get('libc', zero()), es.get('libc', zero())
    delta = flash(libc_c) - flash(libc_e)
    added = sorted(libc_symbols(ce) - libc_symbols(ee))
    out.append('Whole client linked (`scripts/size/client.c`: every public function, '
               'all twelve endpoints, `bact_request`, `bact_wait` with retries; '
               '`--gc-sections`): **%s B** of text+rodata from the library '
               '(text %s, rodata %s), data %s, bss %s. '
               'C library: %s B against %s B for an empty `main`: **+%s B**%s.' % (
                   fmt(lib['text'] + lib['rodata']), fmt(lib['text']), fmt(lib['rodata']),
                   fmt(lib['data']), fmt(lib['bss']), fmt(flash(libc_c)),
                   fmt(flash(libc_e)), fmt(delta),
                   (' (' + ', '.join('`%s`' % a for a in added) + ')') if added else ''))
    sm = os.path.join(bd, 'client-small.map')
    small = None
    if os.path.exists(sm):
        se = map_entries(sm)
        sl = split(se).get('bact', zero())
        small = sl['text'] + sl['rodata']
        sdelta = flash(split(se).get('libc', zero())) - flash(libc_e)
        out.append('')
        out.append('The same program on the library in its smallest configuration '
                   '(`boards/bact_config_small.h`: no error text, no trace, answer heads parsed '
                   'byte by byte): **%s B** (text %s, rodata %s), data %s, bss %s; '
                   'C library +%s B.' % (fmt(small), fmt(sl['text']), fmt(sl['rodata']),
                                         fmt(sl['data']), fmt(sl['bss']), fmt(sdelta)))
    opts = []
    for name in ('ERROR_STRINGS', 'TRACE', 'FAST_HEAD'):
        om = os.path.join(bd, 'option', name, 'client.map')
        if os.path.exists(om):
            ol = split(map_entries(om)).get('bact', zero())
            d = ol['text'] + ol['rodata'] - lib['text'] - lib['rodata']
            opts.append('`BACT_CONFIG_%s` 0: %s%s B' % (
                name, '−' if d < 0 else '+', fmt(abs(d))))
    if opts:
        out.append('')
        out.append('Each option of the smallest configuration alone, against the '
                   'whole client (`make size` builds the library once per option): '
                   + '; '.join(opts) + '.')
    lm = os.path.join(bd, 'lto', 'client.map')
    if os.path.exists(lm):
        # with LTO the library's code is compiled into the link's own
        # objects: only the whole program can be compared
        whole = sum(flash(d) for d in cs.values())
        lto = sum(flash(d) for d in split(map_entries(lm)).values())
        out.append('')
        out.append('The same program built with link-time optimisation (`-flto`, '
                   'the library compiled into the link): **%s B** of text, rodata '
                   'and data in all, C library included, against %s B without: '
                   '%s B less. (With LTO the library\'s share cannot be told '
                   'from the program\'s.)' % (fmt(lto), fmt(whole), fmt(whole - lto)))
    app = {}
    for cfg, suffix in (('default', ''), ('small', '-small')):
        am = os.path.join(bd, 'app%s.map' % suffix)
        if os.path.exists(am):
            al = split(map_entries(am)).get('bact', zero())
            app[cfg] = al['text'] + al['rodata']
    if 'default' in app:
        out.append('')
        out.append('The README\'s application alone (`scripts/size/app.c`: `bact_init`, '
                   '`bact_run_task`, `bact_wait` with retries, `bact_strerror`, '
                   '`bact_close`): **%s B** of text+rodata from the library%s.' % (
                       fmt(app['default']),
                       '; %s B in the smallest configuration' % fmt(app['small'])
                       if 'small' in app else ''))
    out.append('')
    # sizeof
    so = sizeof(tool, os.path.join(bd, 'size', 'sizeof.o'))
    out.append('sizeof: ' + ', '.join('`%s` %d B' % (k, v) for k, v in sorted(so.items())) + '.')
    out.append('')
    # stack
    port_ci = [os.path.join(bd, 'obj', 'port', 'lwip', 'bact_lwip.ci')]
    rows = stack(board, bd, tool, port_ci,
                 ['lwip_tr_open', 'lwip_tr_send', 'lwip_tr_recv', 'lwip_tr_close'])
    rows.sort(key=lambda r: -r[1])
    pub = [r for r in rows if r[0].startswith('bact_')]
    port = [r for r in rows if r[0].startswith('lwip_tr_')]
    out.append('Worst-case stack per public function (bytes; frames from '
               '`-fcallgraph-info=su`, C library leaves from their prologues, '
               'calls through the transport, platform and callbacks not included):')
    out.append('')
    out.append('| function | stack | deepest path |')
    out.append('|---|---:|---|')
    for name, b, path, notes in pub:
        if b == 0 and ' > ' not in path:
            continue
        out.append('| `%s` | %d | %s |' % (name, b, path.replace(' > ', ' → ')))
    flat = [r[0] for r in pub if r[1] == 0 and ' > ' not in r[2]]
    if flat:
        out.append('| %s | 0 | (leaf, no frame) |' % ', '.join('`%s`' % n for n in flat))
    out.append('')
    recursion = sorted({n for r in pub for n in r[3].split() if n.startswith('recursion')})
    dyn = sorted({n for r in pub for n in r[3].split() if ':dynamic' in n})
    out.append('Recursion: %s. Unbounded (dynamic) frames: %s.' % (
        ', '.join(recursion) or 'none', ', '.join(dyn) or 'none'))
    if port:
        out.append('')
        out.append('The lwIP port\'s entry points (called through `bact_transport`; '
                   'lwIP\'s own frames not included): ' + ', '.join(
                       '`%s` %d' % (n, b) for n, b, _, _ in port) + '.')
    out.append('')
    worst = pub[0] if pub else ('-', 0, '', '')
    summary.append({
        'board': board, 'objects': total['text'] + total['rodata'],
        'linked': lib['text'] + lib['rodata'], 'ldata': lib['data'] + lib['bss'],
        'odata': total['data'] + total['bss'], 'libc': delta,
        'small': small, 'app': app.get('default'), 'app_small': app.get('small'),
        'client': so.get('bact_client', 0), 'stack': worst[1], 'stackfn': worst[0],
        'port': ports[0][1] if ports else None, 'added': added,
    })


def firmware_report(build, out):
    fw = os.path.join(build, 'boards', 'cortex-m4f', 'fw', 'firmware.map')
    if not os.path.exists(fw):
        return None
    ent = map_entries(fw)
    s = split(ent)
    out.append('### cortex-m4f: the example firmware image')
    out.append('')
    out.append('`boards/cortex-m4f/firmware/`: the README\'s example (run a workflow, '
               'wait for its task) over HTTPS on lwIP sockets; lwIP 2.1.3 from Debian\'s '
               'source package with `port/lwip/config/lwipopts.h` (IPv4, TCP, UDP, DNS, '
               'DHCP, sockets with poll/select, NO_SYS=0); mbedTLS 3.6 from Debian\'s source '
               'package with the device configuration `port/mbedtls/config/bact_mbedtls_config.h` '
               '(Tier A, TLS 1.2); newlib-nano; one DER trust anchor in flash; a stub '
               'Ethernet driver and a stand-in RTOS layer (no RTOS is linked).')
    out.append('')
    out.append('| part | text | rodata | data | bss | flash |')
    out.append('|---|---:|---:|---:|---:|---:|')
    tot = zero()
    order = ['bact', 'lwIP', 'mbedTLS', 'libc', 'app']
    label = {'bact': 'bact (src/ + port/lwip + port/mbedtls)', 'lwIP': 'lwIP',
             'mbedTLS': 'mbedTLS', 'libc': 'libc (newlib-nano, libgcc, startup)',
             'app': 'board (main, stub driver, RTOS stand-in, CA)'}
    for c in order:
        d = s.get(c, zero())
        for k in tot:
            tot[k] += d[k]
        out.append('| %s | %s | %s | %s | %s | %s |' % (label[c], fmt(d['text']),
                   fmt(d['rodata']), fmt(d['data']), fmt(d['bss']), fmt(flash(d))))
    out.append('| **total** | **%s** | **%s** | **%s** | **%s** | **%s** |' % (
        fmt(tot['text']), fmt(tot['rodata']), fmt(tot['data']), fmt(tot['bss']),
        fmt(flash(tot))))
    out.append('')
    so_path = os.path.join(build, 'boards', 'cortex-m4f', 'fw', 'sizeof_tls.o')
    if os.path.exists(so_path):
        so = sizeof('arm-none-eabi-', so_path)
        if 'bact_tls' in so:
            out.append('`sizeof(bact_tls)` with this mbedTLS configuration: %s B '
                       '(the TLS state; mbedTLS allocates its record buffers on top).'
                       % fmt(so['bact_tls']))
            out.append('')
    # bss of lwIP and mbedTLS is their static pools; libc bss is malloc state
    return s


def main():
    build = sys.argv[1]
    boards = sys.argv[2:]
    out, summary = [], []
    body = []
    for b in boards:
        board_report(build, b, body, summary)
    fws = firmware_report(build, body)
    out.append('## Size (`make size`)')
    out.append('')
    out.append('arm-none-eabi-gcc 12.2.1 (newlib-nano + nosys), riscv64-unknown-elf-gcc 12.2 '
               '(picolibc), xtensa-lx106-elf-gcc 12.2 (picolibc), all from Debian 12; '
               '`-Os -ffunction-sections -fdata-sections`, linked with `--gc-sections`. '
               '"objects" is src/ as compiled (text+rodata); "linked" is what of it a program '
               'calling every public function keeps; "smallest configuration" is the same '
               'with `boards/bact_config_small.h` (no error text, no trace, answer heads parsed byte '
               'by byte; every other column is the default configuration); "run-and-wait '
               'app" is the README\'s application alone (start a task, wait for it), default '
               '/ smallest configuration; "libc Δ" is the C library above an empty `main`.')
    out.append('')
    out.append('| target | src/ objects | whole client linked | smallest configuration | '
               'run-and-wait app | libc Δ | library .data+.bss | '
               'sizeof(bact_client) | port/lwip | worst stack (function) |')
    out.append('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    for r in summary:
        pl = r['port']
        out.append('| %s | %s | %s | %s | %s | %s | %d | %d | %s | %d (`%s`) |' % (
            r['board'], fmt(r['objects']), fmt(r['linked']),
            fmt(r['small']) if r['small'] is not None else '-',
            '%s / %s' % (fmt(r['app']), fmt(r['app_small']) if r['app_small'] is not None
                         else '-') if r['app'] is not None else '-', fmt(r['libc']),
            r['ldata'] + r['odata'], r['client'],
            fmt(pl['text'] + pl['rodata']) if pl else '-', r['stack'], r['stackfn']))
    out.append('')
    m4 = [r for r in summary if r['board'] == 'cortex-m4f']
    if m4:
        r = m4[0]
        ok = lambda c: 'met' if c else '**missed**'
        out.append('Goals on cortex-m4f -Os: whole client ≤ 6 KB text: %s (%s B%s); '
                   'libc on top ≤ 0.5 KB: %s (+%s B, no printf, assert handler, '
                   'soft-float or 64-bit division); 0 B .data/.bss: %s (%d B); '
                   'worst-case stack ≤ 384 B per public call: %s (%d B, `%s`).' % (
                       ok(r['linked'] <= GOAL_TEXT), fmt(r['linked']),
                       '; %s B in the smallest configuration' % fmt(r['small'])
                       if r['small'] is not None else '',
                       ok(r['libc'] <= GOAL_LIBC), fmt(r['libc']),
                       ok(r['ldata'] + r['odata'] == 0), r['ldata'] + r['odata'],
                       ok(r['stack'] <= GOAL_STACK), r['stack'], r['stackfn']))
        out.append('')
    out += body
    text = '\n'.join(out) + '\n'
    sys.stdout.write(text)
    with open(os.path.join(build, 'size.md'), 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
