"""Shared by the tests that talk to the real service: settings, keys, polling and a webhook receiver."""

from __future__ import annotations

import http.server
import os
import queue
import threading
import time
import unittest
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from structured_prompt import StructuredPromptClient

T = TypeVar("T")
BASE_URL = os.environ.get("SPS_TEST_BASE_URL")
ADMIN_KEY = os.environ.get("SPS_TEST_ADMIN_KEY")
# The Node test that starts the service sets both; run alone, these tests say why they do not run.
needs_server = unittest.skipUnless(
    BASE_URL and ADMIN_KEY, "set SPS_TEST_BASE_URL and SPS_TEST_ADMIN_KEY (npm run test:integration does)"
)


@dataclass
class Invoice:
    customer_email: str
    total: float
    currency: str
    due_date: str


def admin_client() -> StructuredPromptClient:
    return StructuredPromptClient(BASE_URL, ADMIN_KEY)


def new_key(**fields: Any) -> str:
    """A fresh API key, so each test class has its own limits and history."""
    fields.setdefault("rate_limit_per_hour", 100_000)
    return admin_client().create_api_key(f"python-sdk-{time.monotonic_ns()}", **fields)["key"]


def eventually(read: Callable[[], T], accept: Callable[[T], bool] = bool, timeout: float = 20.0) -> T:
    """Poll until `accept(read())`: request logs and usage are written asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if accept(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


class WebhookReceiver:
    """An HTTP endpoint on 127.0.0.1 that keeps every delivery (raw body and headers)."""

    def __init__(self) -> None:
        self.deliveries: queue.Queue[tuple[bytes, dict[str, str]]] = queue.Queue()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                owner.deliveries.put((body, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout: float = 20.0) -> tuple[bytes, dict[str, str]]:
        return self.deliveries.get(timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
