"""A local fake of an OpenAI-compatible chat-completions server, for the LLM grader's tests."""

import contextlib
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    """Answers POST /v1/chat/completions as told: `mode` is good, malformed, slow or error."""

    def __init__(self):
        self.mode = "good"
        self.reply = {"covered": [1], "feedback": "You named parallel computing. Mixed precision is missing."}
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if fake.mode == "slow":
                    time.sleep(1.5)
                if fake.mode == "error":
                    self._send(500, {"error": {"message": "boom"}})
                    return
                content = "covered: 1, 2 (sorry, no JSON)" if fake.mode == "malformed" else json.dumps(fake.reply)
                self._send(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status, data):
                payload = json.dumps(data).encode()
                with contextlib.suppress(OSError):  # the client gave up (the timeout test)
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def running_fake_llm(settings):
    """The fake server, running, with the grader pointed at it (short timeout, LLM backend on)."""
    fake = FakeLLM()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.SCORER_BACKEND = "llm"
    settings.LLM_BASE_URL = fake.url
    settings.LLM_MODEL = "fake-model"
    settings.LLM_API_KEY = "test-key"
    settings.LLM_TIMEOUT = 0.5
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
