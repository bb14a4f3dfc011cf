"""A collector stand-in for `make bench`: it accepts every OTLP/HTTP export and keeps nothing.

Standard library only, so its process is listening in a fraction of a second, while the servers it
stands beside spend seconds importing scikit-learn.

    uv run python -m benchmarks.otlp_sink PORT      # on 127.0.0.1:PORT
"""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _AcceptExports(BaseHTTPRequestHandler):
    """Answers every export with 200 after reading it, as a collector would."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: one line per export would only add noise to the server's output."""


def serve_sink(port: int) -> None:
    """Accept OTLP/HTTP exports on 127.0.0.1:`port` until the process is stopped."""
    ThreadingHTTPServer(("127.0.0.1", port), _AcceptExports).serve_forever()


if __name__ == "__main__":
    serve_sink(int(sys.argv[1]))
