"""A leak server on 127.0.0.1 for browser attack tests: it records every TCP and UDP arrival.

The TCP side records each accepted connection before reading a byte, so a connection that sends
nothing (or bytes that are not HTTP) still counts; requests that parse as HTTP are answered
200 with a tiny body and CORS allowed, so that nothing on the browser side fails early for want
of a response. The UDP side records every datagram (STUN binding requests from WebRTC).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

LEAK_PREFIX = "/leak/"
"""Attack vectors put their name after this prefix, so a request can be traced to its vector."""

_VECTOR_IN_PATH = re.compile(r"^/leak/([A-Za-z0-9_.-]+)")
_STUN_MAGIC_COOKIE = b"\x21\x12\xa4\x42"


@dataclass(frozen=True)
class Hit:
    """One arrival at the leak server.

    Attributes:
        transport: "tcp" or "udp".
        what: "connect" (a TCP connection was accepted), "request" (a request line was read;
            it may not be valid HTTP) or "datagram" (a UDP packet).
        peer: The sender's (host, port).
        at: time.monotonic() of the arrival.
        method: HTTP method, for parsed requests.
        path: Request path with query, for parsed requests.
        line: The raw first line of a TCP request, decoded leniently.
        headers: Request headers, for parsed requests.
        data: The datagram's first bytes (UDP only).

    """

    transport: Literal["tcp", "udp"]
    what: Literal["connect", "request", "datagram"]
    peer: tuple[str, int]
    at: float
    method: str | None = None
    path: str | None = None
    line: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes = b""

    @property
    def vector(self) -> str | None:
        """The attack vector named in the path (``/leak/<name>...``), if any."""
        match = _VECTOR_IN_PATH.match(self.path or "")
        return match.group(1) if match else None

    @property
    def is_stun(self) -> bool:
        """Whether this datagram looks like a STUN message (RFC 5389 magic cookie)."""
        return self.transport == "udp" and self.data[4:8] == _STUN_MAGIC_COOKIE

    def __str__(self) -> str:
        if self.transport == "udp":
            kind = "STUN" if self.is_stun else "UDP"
            return f"udp {kind} {len(self.data)}+ bytes from {self.peer[1]}"
        if self.what == "connect":
            return f"tcp connect from {self.peer[1]}"
        return f"tcp {self.line!r}"


class _Handler(BaseHTTPRequestHandler):
    """Answers any method with 200; records the request line even when it is not HTTP."""

    server: _TcpServer
    # A client that connects and stays silent must not hold a thread for long.
    timeout = 3
    protocol_version = "HTTP/1.0"

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except OSError:
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        parsed = self.parse_request()
        self.server.leak.record(
            Hit(
                transport="tcp",
                what="request",
                peer=self.client_address[:2],
                at=time.monotonic(),
                method=self.command if parsed else None,
                path=self.path if parsed else None,
                line=self.raw_requestline.decode("latin-1").rstrip("\r\n"),
                headers=dict(self.headers.items()) if parsed else {},
            )
        )
        if not parsed:
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        body = b"/* ok */"
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


class _TcpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, leak: LeakServer) -> None:
        self.leak = leak
        super().__init__((leak.host, 0), _Handler)

    def verify_request(self, request: socket.socket, client_address: tuple[str, int]) -> bool:
        # Recorded at accept time, before any bytes: a silent connection is a leak too.
        self.leak.record(Hit("tcp", "connect", client_address[:2], time.monotonic()))
        return True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class LeakServer:
    """TCP (HTTP) and UDP listeners on 127.0.0.1 that record everything reaching them.

    Use as a context manager::

        with LeakServer() as leak:
            page.evaluate(vector.js, leak.info)
            leak.settle(0.5)
            assert leak.hits() == []
    """

    host = "127.0.0.1"

    def __init__(self) -> None:
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        self._tcp: _TcpServer | None = None
        self._udp: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    def __enter__(self) -> LeakServer:
        self._tcp = _TcpServer(self)
        self._udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._udp.bind((self.host, 0))
        self._udp.settimeout(0.2)
        self._threads = [
            threading.Thread(target=self._tcp.serve_forever, args=(0.1,), daemon=True),
            threading.Thread(target=self._receive_udp, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        if self._tcp is not None:
            self._tcp.shutdown()
            self._tcp.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        if self._udp is not None:
            self._udp.close()

    def _receive_udp(self) -> None:
        assert self._udp is not None
        while not self._stopping.is_set():
            try:
                data, peer = self._udp.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            self.record(Hit("udp", "datagram", peer[:2], time.monotonic(), data=data[:512]))

    @property
    def tcp_port(self) -> int:
        """Port of the TCP (HTTP) listener."""
        assert self._tcp is not None, "use LeakServer as a context manager"
        return self._tcp.server_address[1]

    @property
    def udp_port(self) -> int:
        """Port of the UDP listener."""
        assert self._udp is not None, "use LeakServer as a context manager"
        return self._udp.getsockname()[1]

    @property
    def http_url(self) -> str:
        """Base URL of the TCP listener, e.g. ``http://127.0.0.1:41234``."""
        return f"http://{self.host}:{self.tcp_port}"

    @property
    def info(self) -> dict[str, str | int]:
        """The object attack vectors take: ``{http, host, tcpPort, udpPort}``."""
        return {
            "http": self.http_url,
            "host": self.host,
            "tcpPort": self.tcp_port,
            "udpPort": self.udp_port,
        }

    def record(self, hit: Hit) -> None:
        """Adds one arrival (called from the listener threads)."""
        with self._lock:
            self._hits.append(hit)

    def hits(self) -> list[Hit]:
        """Everything recorded so far, oldest first."""
        with self._lock:
            return list(self._hits)

    def hits_for(self, vector: str) -> list[Hit]:
        """HTTP requests whose path names ``vector`` (``/leak/<vector>``)."""
        return [hit for hit in self.hits() if hit.vector == vector]

    def requests(self) -> list[Hit]:
        """TCP arrivals that sent a request line (HTTP or not), not bare connections."""
        return [hit for hit in self.hits() if hit.what == "request"]

    def udp_hits(self) -> list[Hit]:
        """UDP datagrams recorded so far."""
        return [hit for hit in self.hits() if hit.transport == "udp"]

    def clear(self) -> None:
        """Forgets everything recorded so far."""
        with self._lock:
            self._hits.clear()

    def settle(self, seconds: float = 0.5) -> list[Hit]:
        """Waits ``seconds`` for late arrivals, then returns all hits."""
        time.sleep(seconds)
        return self.hits()

    def wait_for(
        self, predicate: Callable[[Hit], bool] | None = None, timeout: float = 3.0
    ) -> list[Hit]:
        """Waits until a hit satisfies ``predicate`` (any hit if None) or ``timeout`` passes.

        Returns:
            The matching hits (empty if none arrived in time).

        """
        check = predicate or (lambda hit: True)
        deadline = time.monotonic() + timeout
        while True:
            found = [hit for hit in self.hits() if check(hit)]
            if found or time.monotonic() >= deadline:
                return found
            time.sleep(0.02)


__all__ = ["LEAK_PREFIX", "Hit", "LeakServer"]
