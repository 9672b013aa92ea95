#!/usr/bin/env python3
"""Misbehaving and special-purpose TLS servers for the TLS suite.

Standard library only. Every server listens on 127.0.0.1 (sni6 and rsa6
on ::1), on a free port, in a thread of the calling process, and serves any
number of connections (each in its own thread) until stop_all(). Each listener counts the
connections it accepted (Servers.conns[name]).

Kinds (see README.md for what the client must do with each):

  cert      TLS with a given chain and key; answers any request with a
            complete HTTP/1.1 200 JSON response (Content-Length) and closes
            with close_notify. Used with the negative certificates: a client
            that skipped verification would get exit 0.
  good      like cert, with the good ECDSA chain (the control for cert).
  sni       like good, and records the server_name (SNI) of each
            ClientHello in Servers.sni: the name, or None when the client
            sent no server_name extension.
  sni6      the same on ::1 with the ip6 leaf (only IP:::1), when the
            machine has ::1 (else not started).
  rsa6      cert with the RSA chain on ::1 (its leaf has no IP:::1).
  garbage   reads the ClientHello record, sends 600 pseudo-random bytes
            (none of them a valid TLS record header), closes.
  badrecord reads the ClientHello, sends a well-formed TLS handshake record
            header whose contents are junk, closes.
  http      reads the ClientHello, answers with an HTTP/1.1 400 response.
  alert     reads the ClientHello, sends a fatal handshake_failure alert.
  alertver  reads the ClientHello, sends a fatal protocol_version alert.
  alertsplit  the same alert in three writes 50 ms apart (2, 4 and 1
            bytes), so the client reads its record header in two pieces.
  hsclose   reads the ClientHello and closes (FIN) without answering.
  hsreset   reads the ClientHello and resets the connection (RST).
  hscut     relays the ClientHello to `good`, sends back the first half of
            the server's first flight (cut inside the Certificate message),
            closes (FIN).
  stall     accepts and never reads or sends anything.
  tls11     TLS 1.0-1.1 only (SECLEVEL=0), the ECDSA chain. (A client that
            offers only TLS 1.2 suites, e.g. AEAD-only, gets a
            handshake_failure alert: no shared cipher.)
  tls11hello  reads the ClientHello and answers with a hand-made TLS 1.1
            ServerHello (record and server_version 3.2) that picks the
            client's first TLS 1.2 cipher suite, so the client has to refuse
            it because of the version alone; then waits for the client to
            close.
  alertflood  reads the ClientHello, then sends warning alerts
            (user_canceled) in clear, ten every 20 ms, for 15 s: each one
            is progress, none ends the handshake.
  trickle   TLS 1.2 (records made here, see Tls12Raw); after the request,
            one encrypted warning alert every 100 ms for 15 s, no data.
  empty2    TLS 1.2 (made here); after the request, two empty application
            data records, the whole response in one record, close_notify.
  alternate every other connection fails its handshake: the odd ones (1st,
            3rd, ...) are `good`, the even ones get a fatal
            handshake_failure alert in answer to their ClientHello.
  sendrst   TLS 1.2+ with the ECDSA chain; right after the handshake, a
            reset (RST), nothing read.
  closewatch  TLS 1.2+ with the ECDSA chain; answers the request
            ("close": with Connection: close, "keep": keep-alive), then
            reads on until the client closes and records how
            (Servers.closes): "close_notify", or "eof" for a TCP close
            without one.
  bigrecord TLS 1.2 (made here); after the request, an application data
            record header declaring 18432 bytes (2^14 + 2048, the most
            RFC 5246 allows), more than the client's input buffer, and 100
            bytes of it.
  bigrecord24  the same with record type 24, no TLS content type (a
            heartbeat in RFC 6520, which TLS 1.2 clients here do not speak).
  hellorequest  TLS 1.2 (made here); after a request, a HelloRequest
            (renegotiation asked for), then nothing read for 1.5 s (a small
            receive buffer: a client that fills its send buffer meanwhile
            cannot send its no_renegotiation alert), an answer with
            keep-alive; then the client's records are read here (0xEE
            filler bytes between them skipped) and a second request, when
            one comes within 3 s, is answered too; then a FIN.
  noread    TLS 1.2+ with the ECDSA chain and a small receive buffer; after
            the handshake, nothing read for 15 s, then a reset: a client's
            sends fill the socket buffers and then cannot move a byte.
  slowread  the same, but every 0.7 s what has come is taken (raw, not
            decrypted): a client's sends move bytes now and then, most
            waits end with nothing moved.
  body      TLS 1.2+ with the ECDSA chain; after the request, one of:
              cl-short-noclose  Content-Length: 100, 10 bytes, FIN (no
                                close_notify)
              cl-short-notify   Content-Length: 100, 10 bytes, close_notify
              eof-noclose       no Content-Length (close-delimited), the
                                whole body, FIN without close_notify
              eof-notify        the same, ended with close_notify

Run it alone to try the servers with curl / openssl s_client:

  python3 tests/tls/tls_servers.py PKI_DIR
"""

import hashlib
import hmac
import os
import random
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import warnings

HOST = "127.0.0.1"
HOST6 = "::1"
IO_TIMEOUT_S = 5.0

AFTER_TID = "16429034742537847"
AFTER_FINISHED = b'{"status":"finished"}'
AFTER_TASK = (b'{"id":"' + AFTER_TID.encode() + b'","status":"finished",'
              b'"created_at":"2025-01-01T00:00:00Z",'
              b'"workflow_id":"16217357109956214",'
              b'"output":{"string":"the output"},"steps":[]}')

JSON_HEADERS = ("HTTP/1.1 200 OK\r\n"
                "Content-Type: application/json\r\n"
                "Server: bact-tls-test\r\n")


def _read_record(sock, limit=65536):
    """Read one whole TLS record (normally the ClientHello) so that closing
    the socket afterwards sends a FIN and not a RST. Returns the bytes read
    (possibly fewer on EOF / timeout / non-TLS input)."""
    data = b""
    need = 5
    try:
        while len(data) < need and len(data) < limit:
            chunk = sock.recv(min(65536, need - len(data)))
            if not chunk:
                break
            data += chunk
            if len(data) >= 5 and need == 5:
                if data[0] in (0x14, 0x15, 0x16, 0x17):
                    need = 5 + int.from_bytes(data[3:5], "big")
                else:
                    break
    except OSError:
        pass
    return data


def tls11_server_hello(client_hello):
    """A TLS 1.1 ServerHello answering client_hello (one record), choosing
    the first offered suite that is not TLS 1.3 or a signalling value."""
    suite = b"\xc0\x2b"              # ECDHE-ECDSA-AES128-GCM-SHA256
    try:
        hs = client_hello[5:]
        p = 4 + 2 + 32                 # header, client_version, random
        p += 1 + hs[p]                 # session_id
        n = int.from_bytes(hs[p:p + 2], "big")
        suites = [hs[i:i + 2] for i in range(p + 2, p + 2 + n, 2)]
        for cs in suites:
            grease = cs[0] == cs[1] and cs[0] & 0x0f == 0x0a
            if cs[0] != 0x13 and cs not in (b"\x00\xff", b"\x56\x00") \
                    and not grease:
                suite = cs
                break
    except (IndexError, ValueError):
        pass
    rnd = random.Random(7)
    body = (b"\x03\x02" + bytes(rnd.randrange(256) for _ in range(32))
            + b"\x00" + suite + b"\x00"
            + b"\x00\x05\xff\x01\x00\x01\x00")   # renegotiation_info
    msg = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x02" + len(msg).to_bytes(2, "big") + msg


# ---- TLS 1.2 records made here ---------------------------------------------
# OpenSSL sends no empty records and no alerts on request, so the servers
# that need them do the handshake with OpenSSL through memory BIOs, read the
# keys from its key log, and write their own AES-128-GCM records afterwards.

def _aes_sbox():
    box, p, q = [0x63] * 256, 1, 1
    rot = lambda x, k: ((x << k) | (x >> (8 - k))) & 0xff   # noqa: E731
    while True:
        p = (p ^ (p << 1) ^ (0x1b if p & 0x80 else 0)) & 0xff
        q ^= q << 1
        q ^= q << 2
        q ^= q << 4
        q &= 0xff
        if q & 0x80:
            q ^= 0x09
        box[p] = q ^ rot(q, 1) ^ rot(q, 2) ^ rot(q, 3) ^ rot(q, 4) ^ 0x63
        if p == 1:
            return box


SBOX = _aes_sbox()


def _xt(a):
    return ((a << 1) ^ (0x1b if a & 0x80 else 0)) & 0xff


def _aes128_keys(key):
    w, rc = list(key), 1
    while len(w) < 176:
        t = w[-4:]
        if len(w) % 16 == 0:
            t = [SBOX[t[1]] ^ rc, SBOX[t[2]], SBOX[t[3]], SBOX[t[0]]]
            rc = _xt(rc)
        w += [a ^ b for a, b in zip(w[-16:-12], t)]
    return [w[i:i + 16] for i in range(0, 176, 16)]


def _aes128(rk, block):
    s = [a ^ b for a, b in zip(block, rk[0])]
    for r in range(1, 11):
        s = [SBOX[s[(i + 4 * (i % 4)) % 16]] for i in range(16)]  # sub, shift
        if r < 10:
            m = []
            for c in range(0, 16, 4):
                a = s[c:c + 4]
                x = a[0] ^ a[1] ^ a[2] ^ a[3]
                m += [a[i] ^ x ^ _xt(a[i] ^ a[(i + 1) % 4]) for i in range(4)]
            s = m
        s = [a ^ b for a, b in zip(s, rk[r])]
    return bytes(s)


def _gf_mul(x, y):
    z = 0
    for i in range(127, -1, -1):
        if (x >> i) & 1:
            z ^= y
        y = (y >> 1) ^ (0xe1 << 120) if y & 1 else y >> 1
    return z


def aes128_gcm(key, nonce, aad, data):
    """AES-128-GCM encryption (12-byte nonce): ciphertext + 16-byte tag."""
    rk = _aes128_keys(key)
    h = int.from_bytes(_aes128(rk, bytes(16)), "big")
    out = b""
    for i in range(0, len(data), 16):
        ks = _aes128(rk, nonce + (2 + i // 16).to_bytes(4, "big"))
        out += bytes(a ^ b for a, b in zip(data[i:i + 16], ks))
    x = 0
    for part in (aad, out):
        part += bytes(-len(part) % 16)
        for i in range(0, len(part), 16):
            x = _gf_mul(x ^ int.from_bytes(part[i:i + 16], "big"), h)
    x = _gf_mul(x ^ (len(aad) * 8 << 64 | len(out) * 8), h)
    tag = x ^ int.from_bytes(_aes128(rk, nonce + b"\0\0\0\1"), "big")
    return out + tag.to_bytes(16, "big")


def _prf(secret, label, seed, n):
    """The TLS 1.2 PRF with SHA-256 (RFC 5246 5)."""
    out, a = b"", label + seed
    while len(out) < n:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + label + seed, hashlib.sha256).digest()
    return out[:n]


class Tls12Raw:
    """The server side of one TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256
    connection on socket c: OpenSSL does the handshake and decrypts what the
    client sends (read_request), seal() makes the server's records."""

    def __init__(self, ctx, keylog, c):
        self.c, self.inb, self.outb = c, ssl.MemoryBIO(), ssl.MemoryBIO()
        self.obj = ctx.wrap_bio(self.inb, self.outb, server_side=True)
        got, sent = b"", b""
        for _ in range(100):
            try:
                self.obj.do_handshake()
                done = True
            except ssl.SSLWantReadError:
                done = False
            out = self.outb.read()
            sent += out
            c.sendall(out)
            if done:
                break
            data = c.recv(65536)
            if not data:
                raise ConnectionError("closed in the handshake")
            got += data
            self.inb.write(data)
        crand, srand = got[11:43], sent[11:43]   # ClientHello, ServerHello
        with open(keylog) as fh:
            ms = [bytes.fromhex(ln.split()[2]) for ln in fh
                  if ln.startswith("CLIENT_RANDOM " + crand.hex())][-1]
        kb = _prf(ms, b"key expansion", srand + crand, 40)
        self.key, self.iv = kb[16:32], kb[36:40]
        self.ckey, self.civ = kb[0:16], kb[32:36]   # the client's, to open
        self.seq = 1                       # 0 was the server's Finished
        self.rawbuf = b""                  # read_raw_request()'s leftover

    def read_request(self):
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            try:
                data += self.obj.read(65536)
                continue
            except ssl.SSLWantReadError:
                pass
            chunk = self.c.recv(65536)
            if not chunk:
                raise ConnectionError("closed before the request ended")
            self.inb.write(chunk)
        return data

    def read_raw_request(self, limit_s):
        """The client's next request, read from the socket here (OpenSSL
        would end the connection at a no_renegotiation alert): records
        opened with the client's key (tags not checked), alerts skipped,
        and so are 0xEE bytes between records (a client's filler). Returns
        the request's head, or b"" when none came within limit_s. Bytes
        after its record are kept for the next call."""
        buf, text, self.rawbuf = self.rawbuf, b"", b""
        end = time.monotonic() + limit_s
        while b"\r\n\r\n" not in text:
            buf = buf.lstrip(b"\xee")
            if len(buf) >= 5 and len(buf) >= 5 + int.from_bytes(buf[3:5], "big"):
                n = 5 + int.from_bytes(buf[3:5], "big")
                rec, buf = buf[:n], buf[n:]
                if rec[0] == 23 and n >= 5 + 8 + 16:
                    frag = rec[5:]
                    ct = frag[8:-16]
                    text += aes128_gcm(self.ckey, self.civ + frag[:8], b"",
                                       ct)[:len(ct)]
                continue
            left = end - time.monotonic()
            if left <= 0:
                return b""
            self.c.settimeout(left)
            try:
                chunk = self.c.recv(65536)
            except OSError:
                return b""
            if not chunk:
                return b""
            buf += chunk
        self.rawbuf = buf
        return text

    def seal(self, ctype, data):
        seq = self.seq.to_bytes(8, "big")
        self.seq += 1
        aad = seq + bytes([ctype, 3, 3]) + len(data).to_bytes(2, "big")
        frag = seq + aes128_gcm(self.key, self.iv + seq, aad, data)
        return bytes([ctype, 3, 3]) + len(frag).to_bytes(2, "big") + frag


def _graceful_close(sock):
    """FIN, then wait (bounded) for the peer to close too, then close."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(2.0)
        while sock.recv(4096):
            pass
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _reset(sock):
    """Close with SO_LINGER 0: an RST instead of a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
    finally:
        sock.close()


def _drain(fd):
    """Take the raw bytes that have come, without waiting (64 KiB at
    most); False once the peer has closed."""
    try:
        for _ in range(16):
            if not os.read(fd, 4096):
                return False
    except BlockingIOError:
        pass
    except OSError:
        return False
    return True


def _accept_tls(ctx, c):
    """The server side of a handshake on c; None (c closed) when it fails."""
    try:
        return ctx.wrap_socket(c, server_side=True)
    except (OSError, ssl.SSLError):
        c.close()
        return None


def _read_request_head(tls):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = tls.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the request ended")
        data += chunk
    return data


def _tls_close_notify(tls):
    """Send close_notify (SSL_shutdown), wait for the peer's, close."""
    try:
        tls.settimeout(2.0)
        raw = tls.unwrap()
        _graceful_close(raw)
        return
    except (OSError, ValueError, ssl.SSLError):
        pass
    try:
        tls.close()
    except OSError:
        pass


def _tls_abrupt_close(tls):
    """Close the TCP connection WITHOUT close_notify: SSLSocket.shutdown()
    drops the TLS object first, so only a FIN goes out; after it, recv()
    reads the raw socket (whatever the peer still sends is ignored)."""
    try:
        tls.shutdown(socket.SHUT_WR)
        tls.settimeout(2.0)
        while tls.recv(4096):
            pass
    except OSError:
        pass
    try:
        tls.close()
    except OSError:
        pass


class Servers:
    def __init__(self, pki_dir, body=b'{"items":[],"page":1,"limit":10,'
                                     b'"total_pages":0,"total_count":0}'):
        self.pki = pki_dir
        self.body = body
        self.ports = {}
        self.conns = {}
        self._socks = []
        self._held = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.after_state = {}
        self.sni = []
        self.closes = []
        fd, self.keylog = tempfile.mkstemp(prefix="bact-tls-keylog-")
        os.close(fd)

    def path(self, name):
        return os.path.join(self.pki, name)

    # ---- contexts ----------------------------------------------------------

    def ctx(self, chain, key, tls11=False):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if tls11:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = ssl.TLSVersion.TLSv1
                ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        else:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.path(chain), self.path(key))
        return ctx

    def raw_ctx(self):
        """For Tls12Raw: TLS 1.2, the one suite it can seal, a key log."""
        ctx = self.ctx("ec-chain.pem", "ec-leaf.key")
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
        ctx.keylog_filename = self.keylog
        return ctx

    # ---- listeners ---------------------------------------------------------

    def start(self, name, handler, host=HOST, rcvbuf=0):
        s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                          socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:  # before listen(): the accepted sockets get it
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.bind((host, 0))
        s.listen(16)
        s.settimeout(0.2)
        self._socks.append(s)
        self.ports[name] = s.getsockname()[1]
        self.conns[name] = 0

        def loop():
            while not self._stop.is_set():
                try:
                    c, _ = s.accept()
                except socket.timeout:
                    continue
                except OSError:
                    return
                with self._lock:
                    self.conns[name] += 1
                c.settimeout(IO_TIMEOUT_S)
                threading.Thread(target=self._run, args=(handler, c),
                                 daemon=True).start()
        threading.Thread(target=loop, daemon=True).start()
        return self.ports[name]

    def _run(self, handler, c):
        try:
            handler(c)
        except Exception:       # a failing client must not kill the server
            try:
                c.close()
            except OSError:
                pass

    def stop_all(self):
        self._stop.set()
        for s in self._socks + self._held:
            try:
                s.close()
            except OSError:
                pass
        try:
            os.unlink(self.keylog)
        except OSError:
            pass

    # ---- handlers ----------------------------------------------------------

    def h_cert(self, ctx):
        body = self.body

        def h(c):
            tls = _accept_tls(ctx, c)
            if tls is None:
                return
            try:
                _read_request_head(tls)
                tls.sendall((JSON_HEADERS + "Content-Length: %d\r\n"
                             "Connection: close\r\n\r\n" % len(body))
                            .encode() + body)
            except (OSError, ssl.SSLError):
                tls.close()
                return
            _tls_close_notify(tls)
        return h

    @staticmethod
    def h_raw(reply):
        def h(c):
            _read_record(c)
            if reply:
                try:
                    c.sendall(reply)
                except OSError:
                    pass
            _graceful_close(c)
        return h

    @staticmethod
    def h_split(parts):
        def h(c):
            _read_record(c)
            try:
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for i, part in enumerate(parts):
                    if i:
                        time.sleep(0.05)
                    c.sendall(part)
            except OSError:
                pass
            _graceful_close(c)
        return h

    def h_alertflood(self, c):
        _read_record(c)
        burst = b"\x15\x03\x03\x00\x02\x01\x5a" * 10  # warning user_canceled
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < 15 and not self._stop.is_set():
                c.sendall(burst)
                time.sleep(0.02)
        except OSError:
            pass
        c.close()

    def h_crafted(self, ctx, variant):
        body = self.body

        def h(c):
            raw = Tls12Raw(ctx, self.keylog, c)
            raw.read_request()
            if variant == "trickle":
                t0 = time.monotonic()
                while time.monotonic() - t0 < 15 and not self._stop.is_set():
                    c.sendall(raw.seal(21, b"\x01\x5a"))  # user_canceled
                    time.sleep(0.1)
            else:
                head = (JSON_HEADERS + "Content-Length: %d\r\n"
                        "Connection: close\r\n\r\n" % len(body)).encode()
                c.sendall(raw.seal(23, b"") + raw.seal(23, b"")
                          + raw.seal(23, head + body))
                time.sleep(0.05)
                c.sendall(raw.seal(21, b"\x01\x00"))         # close_notify
            _graceful_close(c)
        return h

    @staticmethod
    def h_tls11hello(c):
        hello = _read_record(c)
        try:
            c.sendall(tls11_server_hello(hello))
        except OSError:
            pass
        _graceful_close(c)

    @staticmethod
    def h_reset(c):
        _read_record(c)
        _reset(c)

    def h_hscut(self, c):
        hello = _read_record(c)
        data = b""
        try:
            up = socket.create_connection((HOST, self.ports["good"]), timeout=5)
            try:
                up.sendall(hello)
                up.settimeout(0.2)          # the first flight, then quiet
                while len(data) < 65536:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except socket.timeout:
                pass
            finally:
                up.close()
            c.sendall(data[:len(data) // 2])
        except OSError:
            pass
        _graceful_close(c)

    def h_stall(self, c):
        with self._lock:
            self._held.append(c)      # closed by stop_all()
        self._stop.wait(60)

    def h_body(self, ctx, variant):
        body = self.body

        def h(c):
            try:
                tls = ctx.wrap_socket(c, server_side=True)
                _read_request_head(tls)
                if variant.startswith("cl-short"):
                    data = (JSON_HEADERS + "Content-Length: 100\r\n"
                            "Connection: close\r\n\r\n").encode() + body[:10]
                else:
                    data = (JSON_HEADERS + "Connection: close\r\n\r\n"
                            ).encode() + body
                tls.sendall(data)
            except (OSError, ssl.SSLError):
                c.close()
                return
            if variant.endswith("notify"):
                _tls_close_notify(tls)
            else:
                _tls_abrupt_close(tls)
        return h

    def h_afterword(self, ctx, variant):
        """Keep-alive, then something nobody asked for. The first
        connection answers one status poll ("running"), and 0.1 s later
        sends, unasked: a close_notify ("notify"), a bare FIN ("fin"), a
        reset ("rst"), or a well-formed answer of its own, "failed", and
        stays open ("record"), a fatal internal_error alert ("alert": TLS
        1.2 made here, ctx must be raw_ctx()), or the first 15 bytes of a
        64-byte record and stays open ("partial"). Or, instead of
        answering the poll at all, a quarter of the answer's head and
        then a reset ("midrst": a reset while the client reads, after a
        completed handshake).
        Later connections answer "finished", then the task. A client that
        reuses the first connection reads "failed" or nothing at all; one
        that sees the first connection is spoilt opens a second one and
        prints the task's output."""
        state = self.after_state.setdefault(variant, {"n": 0})

        def answer(body):
            return (JSON_HEADERS + "Content-Length: %d\r\n"
                    "Connection: keep-alive\r\n\r\n" % len(body)
                    ).encode() + body

        def reply(tls, body):
            tls.sendall(answer(body))

        def h(c):
            with self._lock:
                state["n"] += 1
                first = state["n"] == 1
            if first and variant == "alert":
                raw = Tls12Raw(ctx, self.keylog, c)
                raw.read_request()
                c.sendall(raw.seal(23, answer(b'{"status":"running"}')))
                time.sleep(0.1)
                c.sendall(raw.seal(21, b"\x02\x50"))  # fatal internal_error
                with self._lock:
                    self._held.append(c)  # closed by stop_all()
                return
            tls = _accept_tls(ctx, c)
            if tls is None:
                return
            try:
                if not first:
                    for body in (AFTER_FINISHED, AFTER_TASK):
                        _read_request_head(tls)
                        reply(tls, body)
                    _tls_close_notify(tls)
                    return
                _read_request_head(tls)
                if variant == "midrst":
                    head = answer(b'{"status":"running"}')
                    tls.sendall(head[:len(head) // 4])
                    time.sleep(0.05)       # on its way before the reset
                    _reset(tls)
                    return
                reply(tls, b'{"status":"running"}')
                time.sleep(0.1)
                if variant == "notify":
                    _tls_close_notify(tls)
                elif variant == "fin":
                    _tls_abrupt_close(tls)
                elif variant == "rst":
                    _reset(tls)
                elif variant == "partial":
                    os.write(tls.fileno(), b"\x17\x03\x03\x00\x40" + bytes(10))
                    with self._lock:
                        self._held.append(tls)  # closed by stop_all()
                else:
                    reply(tls, b'{"status":"failed"}')
                    with self._lock:
                        self._held.append(c)  # closed by stop_all()
            except (OSError, ssl.SSLError):
                tls.close()
        return h

    def h_alternate(self, good):
        """Odd connections: good (a handler); even ones: a fatal alert."""
        state = {"n": 0}

        def h(c):
            with self._lock:
                state["n"] += 1
                odd = state["n"] % 2 == 1
            if odd:
                good(c)
                return
            _read_record(c)
            try:
                c.sendall(b"\x15\x03\x03\x00\x02\x02\x28")  # handshake_failure
            except OSError:
                pass
            _graceful_close(c)
        return h

    @staticmethod
    def h_sendrst(ctx):
        def h(c):
            tls = _accept_tls(ctx, c)
            if tls is not None:
                _reset(tls)
        return h

    def h_closewatch(self, ctx, variant):
        body = self.body

        def h(c):
            # suppress_ragged_eofs=False: a TCP close without close_notify
            # is SSLEOFError, not b""
            try:
                tls = ctx.wrap_socket(c, server_side=True,
                                      suppress_ragged_eofs=False)
            except (OSError, ssl.SSLError):
                c.close()
                return
            how = "none"
            try:
                _read_request_head(tls)
                tls.sendall((JSON_HEADERS + "Content-Length: %d\r\n"
                             "Connection: %s\r\n\r\n"
                             % (len(body), "close" if variant == "close"
                                else "keep-alive")).encode() + body)
                while True:             # IO_TIMEOUT_S bounds each read
                    if not tls.recv(4096):
                        how = "close_notify"
                        break
            except ssl.SSLEOFError:
                how = "eof"
            except socket.timeout:
                how = "timeout"
            except (OSError, ssl.SSLError) as e:
                how = type(e).__name__
            with self._lock:
                self.closes.append(how)
            try:
                tls.close()
            except OSError:
                pass
        return h

    def h_sink(self, ctx, variant):
        """After the handshake, read nothing ("noread"), or every 0.7 s
        the raw bytes that have come ("slowread"), for 15 s; then a
        reset."""
        def h(c):
            tls = _accept_tls(ctx, c)
            if tls is None:
                return
            t0 = time.monotonic()
            while time.monotonic() - t0 < 15 and not self._stop.is_set():
                if variant == "slowread" and not _drain(tls.fileno()):
                    break                   # the client closed
                self._stop.wait(0.7)
            _reset(tls)
        return h

    def h_hellorequest(self, ctx):
        def answer(body):
            return (JSON_HEADERS + "Content-Length: %d\r\n"
                    "Connection: keep-alive\r\n\r\n" % len(body)
                    ).encode() + body

        def h(c):
            raw = Tls12Raw(ctx, self.keylog, c)
            raw.read_request()
            c.sendall(raw.seal(22, b"\x00\x00\x00\x00"))  # HelloRequest
            time.sleep(1.5)                                # nothing read
            c.sendall(raw.seal(23, answer(b'{"n":1}')))
            if raw.read_raw_request(3.0):
                c.sendall(raw.seal(23, answer(b'{"n":2}')))
            _graceful_close(c)
        return h

    def h_hellofirst(self, ctx):
        """A HelloRequest at once after the handshake; then each request
        read (raw) is answered, the first with {"n":1}, any later one
        with {"n":2}, for 3 s."""
        def h(c):
            raw = Tls12Raw(ctx, self.keylog, c)
            c.sendall(raw.seal(22, b"\x00\x00\x00\x00"))  # HelloRequest
            n, end = 0, time.monotonic() + 3.0
            while time.monotonic() < end:
                head = raw.read_raw_request(end - time.monotonic())
                if not head:
                    break
                for _ in range(head.count(b"\r\n\r\n")):
                    n += 1
                    body = b'{"n":%d}' % min(n, 2)
                    c.sendall(raw.seal(23, (
                        JSON_HEADERS + "Content-Length: %d\r\n"
                        "Connection: keep-alive\r\n\r\n" % len(body)
                    ).encode() + body))
            _graceful_close(c)
        return h

    def h_bigrecord(self, ctx, ctype=23):
        def h(c):
            raw = Tls12Raw(ctx, self.keylog, c)
            raw.read_request()
            c.sendall(bytes([ctype]) + b"\x03\x03\x48\x00" + bytes(100))
            _graceful_close(c)
        return h

    def take_closes(self):
        """How the closewatch connections ended since the last call."""
        with self._lock:
            hows, self.closes = self.closes, []
        return hows

    def take_sni(self):
        """The server_name values the sni server received since the last
        call (one per ClientHello), oldest first."""
        with self._lock:
            names, self.sni = self.sni, []
        return names

    def after_reset(self, variant):
        """The next connection to after-VARIANT is a first one again."""
        with self._lock:
            self.after_state[variant]["n"] = 0

    # ---- everything at once ------------------------------------------------

    def start_all(self):
        """Start every kind; returns {name: port}."""
        for name, chain, key in (
                ("wrongname", "wrongname-chain.pem", "wrongname-leaf.key"),
                ("expired", "expired-chain.pem", "expired-leaf.key"),
                ("future", "future-chain.pem", "future-leaf.key"),
                ("selfsigned", "selfsigned.pem", "selfsigned.key"),
                ("untrusted", "untrusted-chain.pem", "untrusted-leaf.key"),
                ("dnsip", "dnsip-chain.pem", "dnsip-leaf.key"),
                ("cnip", "cnip-chain.pem", "cnip-leaf.key")):
            self.start(name, self.h_cert(self.ctx(chain, key)))
        rnd = random.Random(20240229)
        junk = bytes(rnd.randrange(0x18, 0x100) if i == 0 else rnd.randrange(256)
                     for i in range(600))
        self.start("garbage", self.h_raw(junk))
        # handshake record, TLS 1.2, 40 bytes: type 0x02 (ServerHello) with a
        # length far beyond the record, then junk
        rec = bytes([0x02, 0x7f, 0xff, 0xff]) + bytes(rnd.randrange(256)
                                                       for _ in range(36))
        self.start("badrecord", self.h_raw(b"\x16\x03\x03\x00\x28" + rec))
        self.start("http", self.h_raw(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 27\r\nConnection: close\r\n\r\n"
            b"This port speaks HTTP only\n"))
        # fatal (2) handshake_failure (40) alert, TLS 1.2 record
        self.start("alert", self.h_raw(b"\x15\x03\x03\x00\x02\x02\x28"))
        # fatal protocol_version (70), whole and cut inside its header
        self.start("alertver", self.h_raw(b"\x15\x03\x03\x00\x02\x02\x46"))
        self.start("alertsplit", self.h_split(
            (b"\x15\x03", b"\x03\x00\x02\x02", b"\x46")))
        self.start("hsclose", self.h_raw(b""))
        self.start("hsreset", self.h_reset)
        self.start("good", self.h_cert(self.ctx("ec-chain.pem", "ec-leaf.key")))
        sni = self.ctx("ec-chain.pem", "ec-leaf.key")

        def record_sni(_sock, name, _ctx):
            with self._lock:
                self.sni.append(name)
        sni.sni_callback = record_sni
        self.start("sni", self.h_cert(sni))
        # on ::1, where the machine has it: a leaf for IP:::1 with SNI
        # recorded, and the RSA leaf, whose only address is 127.0.0.1
        sni6 = self.ctx("ip6-chain.pem", "ip6-leaf.key")
        sni6.sni_callback = record_sni
        try:
            self.start("sni6", self.h_cert(sni6), host=HOST6)
            self.start("rsa6", self.h_cert(self.ctx("rsa-chain.pem",
                                                    "rsa-leaf.key")),
                       host=HOST6)
        except OSError:
            pass
        self.start("hscut", self.h_hscut)
        self.start("stall", self.h_stall)
        self.start("tls11", self.h_cert(self.ctx("ec-chain.pem", "ec-leaf.key",
                                                 tls11=True)))
        self.start("tls11hello", self.h_tls11hello)
        ec = self.ctx("ec-chain.pem", "ec-leaf.key")
        for v in ("cl-short-noclose", "cl-short-notify", "eof-noclose",
                  "eof-notify"):
            self.start(v, self.h_body(ec, v))
        for v in ("notify", "fin", "rst", "record", "partial", "midrst"):
            self.start("after-" + v, self.h_afterword(ec, v))
        self.start("after-alert", self.h_afterword(self.raw_ctx(), "alert"))
        self.start("alertflood", self.h_alertflood)
        raw = self.raw_ctx()
        for v in ("trickle", "empty2"):
            self.start(v, self.h_crafted(raw, v))
        self.start("bigrecord", self.h_bigrecord(raw))
        self.start("bigrecord24", self.h_bigrecord(raw, 24))
        self.start("hellorequest", self.h_hellorequest(raw), rcvbuf=4096)
        self.start("hellofirst", self.h_hellofirst(raw))
        self.start("alternate", self.h_alternate(self.h_cert(ec)))
        for v in ("noread", "slowread"):
            self.start(v, self.h_sink(ec, v), rcvbuf=4096)
        self.start("sendrst", self.h_sendrst(ec))
        for v in ("close", "keep"):
            self.start("closewatch-" + v, self.h_closewatch(ec, v))
        return dict(self.ports)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: tls_servers.py PKI_DIR\n")
        return 2
    # The shell scripts stop this with SIGTERM: end as on Ctrl-C, so that
    # stop_all() runs and the key log file goes away.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    srv = Servers(argv[1])
    try:
        for name, port in sorted(srv.start_all().items(),
                                 key=lambda kv: kv[1]):
            print("%-18s %d" % (name, port))
        sys.stdout.flush()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
