"""The suite itself must refuse connections off loopback."""

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_connection_off_loopback_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        with pytest.raises(SocketConnectBlockedError):
            s.connect(("192.0.2.10", 80))  # TEST-NET-1, never routable


def test_loopback_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=2) as client:
            assert client.getpeername()[1] == port
