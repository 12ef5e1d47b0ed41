"""A fake Roam gateway for the HTTP emitter's tests: a real HTTP server on 127.0.0.1 that records every request and
answers from a script of responses."""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str = "application/json"
    body: bytes = b""
    headers: tuple = ()


ACCEPTED = Answer(202, body=b'{"accepted":true}')


def problem(status, title, detail):
    return Answer(status, "application/problem+json",
                  json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode())


class FakeGateway:
    """Answers each POST with the next scripted answer, then with 202 once the script is used up."""

    def __init__(self, *answers):
        self.requests = []
        self._answers = list(answers)
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with gateway._lock:
                    gateway.requests.append(RecordedRequest("POST", self.path, dict(self.headers.items()), body))
                    answer = gateway._answers.pop(0) if gateway._answers else ACCEPTED
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-gateway",
                                        daemon=True)

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exception):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
