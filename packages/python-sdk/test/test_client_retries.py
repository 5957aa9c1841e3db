"""The clients' retry rules and error mapping, against a scripted HTTP server on 127.0.0.1."""

import http.server
import json
import socket
import threading
import unittest

from structured_prompt import (
    AsyncStructuredPromptClient,
    BudgetExceededError,
    ConnectionFailedError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    StructuredPromptClient,
)

FAST = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.02)
JOB = {"id": "j1", "type": "batch", "status": "pending", "priority": "default", "progress": {}, "created_at": "t"}


class ScriptedServer:
    """Answers each request with the next scripted (status, headers, body) and records what it got."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.requests.append((self.command, self.path, dict(self.headers), body))
                status, headers, payload = owner.script.pop(0)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"content-type": "application/problem+json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = handle_one

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def problem(status, code, **extra):
    return {"type": f"urn:structured-prompt:problem:{code}", "status": status, "code": code, "request_id": "r", **extra}


class SyncRetryTest(unittest.TestCase):
    def serve(self, *script):
        server = ScriptedServer(script)
        self.addCleanup(server.close)
        return server, StructuredPromptClient(server.url, "sp_test", retry_policy=FAST)

    def test_a_refusal_with_retry_after_is_retried_then_succeeds(self):
        server, client = self.serve(
            (429, {"retry-after": "0"}, problem(429, "rate_limited")),
            (503, {}, problem(503, "service_unavailable")),
            (200, {"content-type": "application/json"}, {**JOB, "status": "completed"}),
        )
        self.assertEqual(client.get_job("j1").status, "completed")
        self.assertEqual(len(server.requests), 3)

    def test_job_submission_retries_carry_one_idempotency_key(self):
        server, client = self.serve(
            (502, {}, problem(502, "provider_error")),
            (202, {"content-type": "application/json"}, JOB),
        )
        client.submit_job(["a prompt"])
        keys = [headers.get("Idempotency-Key") for _, _, headers, _ in server.requests]
        self.assertEqual(len(keys), 2)
        self.assertTrue(keys[0])
        self.assertEqual(keys[0], keys[1])
        self.assertEqual(json.loads(server.requests[0][3]), {"items": [{"prompt": "a prompt"}]})

    def test_a_non_idempotent_call_is_not_repeated_after_a_5xx(self):
        server, client = self.serve((500, {}, problem(500, "internal_error")))
        with self.assertRaises(ServerError) as caught:
            client.cancel_job("j1")
        self.assertEqual(caught.exception.problem["code"], "internal_error")
        self.assertEqual(len(server.requests), 1)

    def test_a_long_retry_after_is_not_waited_for(self):
        server, client = self.serve((429, {"retry-after": "3600"}, problem(429, "rate_limited")))
        with self.assertRaises(RateLimitedError) as caught:
            client.analyze("hello")
        self.assertEqual(caught.exception.retry_after, 3600.0)
        self.assertEqual(len(server.requests), 1)

    def test_retries_stop_after_max_retries(self):
        script = [(503, {}, problem(503, "service_unavailable"))] * 3
        server, client = self.serve(*script)
        with self.assertRaises(ServerError):
            client.health()
        self.assertEqual(len(server.requests), 3)

    def test_budget_exhaustion_is_not_retried(self):
        server, client = self.serve((402, {}, problem(402, "budget_exceeded", detail="over budget")))
        with self.assertRaises(BudgetExceededError) as caught:
            client.analyze("hello")
        self.assertEqual(caught.exception.detail, "over budget")
        self.assertEqual(len(server.requests), 1)

    def test_an_unreachable_service_raises_after_retries(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        client = StructuredPromptClient(f"http://127.0.0.1:{port}", "sp_test", retry_policy=FAST)
        with self.assertRaises(ConnectionFailedError):
            client.cancel_job("j1")


class AsyncRetryTest(unittest.IsolatedAsyncioTestCase):
    async def test_the_async_client_follows_the_same_rules(self):
        server = ScriptedServer(
            [
                (503, {"retry-after": "0"}, problem(503, "service_unavailable")),
                (200, {"content-type": "application/json"}, {"items": [JOB], "next_cursor": None}),
                (500, {}, problem(500, "internal_error")),
            ]
        )
        self.addCleanup(server.close)
        client = AsyncStructuredPromptClient(server.url, "sp_test", retry_policy=FAST)
        jobs = [job async for job in client.iter_jobs()]
        self.assertEqual([job.id for job in jobs], ["j1"])
        with self.assertRaises(ServerError):
            await client.cancel_job("j1")
        self.assertEqual(len(server.requests), 3)
        self.assertEqual(server.requests[0][2].get("X-Api-Key"), "sp_test")


if __name__ == "__main__":
    unittest.main()
