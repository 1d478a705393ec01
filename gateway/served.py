"""An HTTP server on a thread of its own: the control endpoint's and the PTZ broker's."""

from __future__ import annotations

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _TlsServer(ThreadingHTTPServer):
    """HTTPS: each connection's handshake happens on its own handler thread (a client that
    stalls its handshake must not hold up ``accept`` for the others)."""

    tls: ssl.SSLContext

    def get_request(self) -> tuple[socket.socket, object]:
        conn, address = super().get_request()
        return self.tls.wrap_socket(conn, server_side=True,
                                    do_handshake_on_connect=False), address

    def finish_request(self, request: object, client_address: object) -> None:
        assert isinstance(request, ssl.SSLSocket)
        request.settimeout(HANDSHAKE_TIMEOUT_S)
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError):
            return  # not our CA's client, or not TLS at all: nothing was read from it
        request.settimeout(None)
        super().finish_request(request, client_address)


HANDSHAKE_TIMEOUT_S = 10.0


def server_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """TLS 1.2 or newer with the gateway's certificate (from the site CA)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context


class ServedHttp:
    """``handler`` served on ``address``:``port`` (0: any free port; ``port`` is then the bound
    one) by a daemon thread from :meth:`start` until :meth:`close`; over HTTPS with ``tls``."""

    def __init__(self, address: str, port: int, handler: type[BaseHTTPRequestHandler],
                 name: str, tls: ssl.SSLContext | None = None) -> None:
        if tls is not None:
            self.httpd: ThreadingHTTPServer = _TlsServer((address, port), handler,
                                                         bind_and_activate=False)
            self.httpd.tls = tls  # type: ignore[attr-defined]
            try:
                self.httpd.server_bind()
                self.httpd.server_activate()
            except OSError:
                self.httpd.server_close()
                raise
        else:
            self.httpd = ThreadingHTTPServer((address, port), handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=name, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
