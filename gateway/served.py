"""An HTTP server on a thread of its own: the control endpoint's and the PTZ broker's."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ServedHttp:
    """``handler`` served on ``address``:``port`` (0: any free port; ``port`` is then the bound
    one) by a daemon thread from :meth:`start` until :meth:`close`."""

    def __init__(self, address: str, port: int, handler: type[BaseHTTPRequestHandler],
                 name: str) -> None:
        self.httpd = ThreadingHTTPServer((address, port), handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=name, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
