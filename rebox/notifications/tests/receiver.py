"""A real HTTP server on 127.0.0.1 that records webhook requests and can be told to fail."""

import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: Message  # case-insensitive, as a receiver's framework would give them
    body: bytes


@dataclass
class Receiver:
    """Answers 200, or the statuses queued by ``fail``; waits ``delay`` seconds first."""

    port: int = 0
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    _answers: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def fail(self, times: int, *, status: int = 500) -> None:
        with self._lock:
            self._answers.extend([status] * times)

    def to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def answer(self, received: Received) -> int:
        with self._lock:
            self.requests.append(received)
            return self._answers.pop(0) if self._answers else 200


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the name http.server calls
        receiver: Receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = receiver.answer(Received(self.path, self.headers, body))
        time.sleep(receiver.delay)
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"nope" if status >= 300 else b"done")

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout test) is not a failure of the receiver


def start_receiver() -> tuple[Receiver, _Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.receiver = Receiver(port=server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.receiver, server
