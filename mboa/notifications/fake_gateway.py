"""A fake SMS / WhatsApp gateway on 127.0.0.1, for development and tests.

It answers ``POST /`` like a real gateway, honours ``Idempotency-Key`` (a repeated key is
acknowledged but not delivered twice), can be told to fail the next N requests, and can
hold a request (``delay``) to let a test kill a worker in the middle of a send.

    python -m mboa.notifications.fake_gateway --port 8025
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.requests: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self.fail_next = 0
        self.delay = 0.0
        self.received = threading.Event()
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                key = self.headers.get("Idempotency-Key", "")
                with gateway._lock:
                    gateway.requests.append({"key": key, **payload})
                    failing = gateway.fail_next > 0
                    if failing:
                        gateway.fail_next -= 1
                gateway.received.set()
                if gateway.delay:
                    time.sleep(gateway.delay)
                if failing:
                    self._answer(503, {"error": "unavailable"})
                    return
                with gateway._lock:
                    if key not in gateway.delivered:
                        gateway.delivered[key] = {"id": f"fake-{len(gateway.delivered) + 1}", **payload}
                    answer = {"id": gateway.delivered[key]["id"]}
                self._answer(200, answer)

            def _answer(self, code: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                return

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> FakeGateway:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args()
    gateway = FakeGateway(port=args.port)
    print(f"fake gateway listening on {gateway.url}")
    with contextlib.suppress(KeyboardInterrupt):
        gateway.server.serve_forever()


if __name__ == "__main__":
    main()
