"""A tiny threaded HTTP server on 127.0.0.1 that records what it was sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    """One recorded request: the API method (or path) and its decoded parameters."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    answer: Any = None  # what the fake answered (e.g. the message id), set by the fake


class FakeServer:
    """Subclasses implement :meth:`route`, returning (status, JSON body)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                self._answer()

            def do_GET(self) -> None:  # noqa: N802
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = fake.route(self.command, self.path, dict(self.headers), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def route(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        raise NotImplementedError

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def recorded(self, predicate: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if predicate(c)]

    def wait_for(
        self, predicate: Callable[[list[Call]], bool], timeout: float = 10.0, settle: float = 0.0
    ) -> list[Call]:
        """Poll the recorded calls until ``predicate(calls)`` holds (then wait ``settle`` seconds
        more so late extra calls show up too); return the calls. Fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.recorded()):
                if settle:
                    time.sleep(settle)
                return self.recorded()
            time.sleep(0.05)
        raise AssertionError(
            f"{type(self).__name__}: condition not met in {timeout} s: {self.calls}"
        )
