"""Wire feeds for tests: a real HTTP server on 127.0.0.1, never the internet."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Response:
    body: bytes
    content_type: str = "application/xml"
    etag: str = ""
    last_modified: str = ""
    status: int = 200
    headers: dict = field(default_factory=dict)


class WireServer:
    """Serves agency responses by path, answers conditional GETs as a real server
    does (304 when If-None-Match or If-Modified-Since matches), and keeps the
    request headers it was sent."""

    def __init__(self):
        self.responses: dict[str, Response] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append({"path": self.path, **dict(self.headers)})
                response = server.responses.get(self.path)
                if response is None:
                    self.send_error(404, "Not Found")
                    return
                matched = (
                    response.etag and self.headers.get("If-None-Match") == response.etag
                ) or (
                    response.last_modified
                    and self.headers.get("If-Modified-Since") == response.last_modified
                )
                if matched:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                if response.etag:
                    self.send_header("ETag", response.etag)
                if response.last_modified:
                    self.send_header("Last-Modified", response.last_modified)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(response.body)

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def serve(self, path: str, body: bytes, **options) -> str:
        self.responses[path] = Response(body=body, **options)
        return self.url(path)


@pytest.fixture
def wire_server():
    server = WireServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
