"""The battery's HTTP client reads an answer's headers as HTTP does."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.reliability import servers


class LowerCaseHeaders(BaseHTTPRequestHandler):
    def do_GET(self):
        # As granian (hyper) writes them: every header name in lower case.
        self.send_response(503)
        self.send_header("retry-after", "30")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_header_names_are_read_in_any_case():
    server = ThreadingHTTPServer(("127.0.0.1", 0), LowerCaseHeaders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        answer = servers.request(f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
    assert answer.status == 503
    assert answer.headers.get("Retry-After") == "30"
