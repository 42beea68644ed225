"""The attack suite's leak server records every arrival, HTTP or not, TCP or UDP."""

from __future__ import annotations

import socket

import httpx

from support.leak import LeakServer

STUN_BINDING_REQUEST = b"\x00\x01\x00\x00\x21\x12\xa4\x42" + b"\x07" * 12


def test_http_requests_are_answered_and_attributed():
    with LeakServer() as leak:
        response = httpx.post(f"{leak.http_url}/leak/fetch?x=1", content=b"secret")
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
        [hit] = leak.hits_for("fetch")
        assert (hit.method, hit.path, hit.transport) == ("POST", "/leak/fetch?x=1", "tcp")
        assert [h.what for h in leak.hits()] == ["connect", "request"]
        assert leak.hits_for("fetch-no-cors") == []


def test_silent_and_non_http_connections_are_recorded():
    with LeakServer() as leak:
        with socket.create_connection((leak.host, leak.tcp_port)):
            assert leak.wait_for(lambda hit: hit.what == "connect", timeout=2)
        with socket.create_connection((leak.host, leak.tcp_port)) as sock:
            sock.sendall(b"\x16\x03\x01 not http\r\n")
            requests = leak.wait_for(lambda hit: hit.what == "request", timeout=2)
        assert [hit.line for hit in requests] == ["\x16\x03\x01 not http"]
        assert requests[0].path is None
        assert len([hit for hit in leak.hits() if hit.what == "connect"]) == 2


def test_udp_datagrams_are_recorded_and_stun_recognised():
    with LeakServer() as leak:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(STUN_BINDING_REQUEST, (leak.host, leak.udp_port))
            sock.sendto(b"hello", (leak.host, leak.udp_port))
        hits = leak.wait_for(lambda hit: hit.transport == "udp" and hit.data == b"hello")
        assert [hit.is_stun for hit in leak.udp_hits()] == [True, False]
        assert hits
        leak.clear()
        assert leak.settle(0.05) == []
