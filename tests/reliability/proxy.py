"""A TCP proxy on loopback between a server and PostgreSQL, which a test cuts
and restores: a database server stopped at once and started again, without
stopping the machine's own server."""

import socket
import threading
import time
from contextlib import suppress

from tests.reliability import servers


class Proxy:
    """A TCP proxy on loopback between the app and PostgreSQL, cut and restored
    by the test: cut, it refuses connections and drops the open ones, as a
    stopped server does."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = servers.free_port()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listening = threading.Event()

    def restore(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.1)
        self.listening.set()
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self.listening.clear()
        time.sleep(0.3)  # the accepting thread closes its listener
        with self.lock:
            for sock in self.sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def accept(self, listener: socket.socket) -> None:
        with listener:
            while self.listening.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
                upstream.settimeout(None)
                client.settimeout(None)
                with self.lock:
                    self.sockets += [client, upstream]
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(
                        target=pump, args=(source, sink), daemon=True
                    ).start()


def pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
