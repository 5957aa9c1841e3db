"""What the clients put on the wire, and how answers become results or errors (a recording transport)."""

import json
import unittest

from structured_prompt import (
    ApiError,
    AuthenticationError,
    BatchResult,
    ConflictError,
    HttpRequest,
    HttpResponse,
    NotFoundError,
    ServerError,
    StructuredPromptClient,
    ValidationFailedError,
    WaitTimeoutError,
)
from structured_prompt.errors import BadRequestError

PENDING_JOB = {"id": "j/1", "type": "single", "status": "pending", "priority": "default", "created_at": "t"}


class RecordingTransport:
    def __init__(self, *answers: HttpResponse):
        self.answers = list(answers)
        self.sent: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def answer(status: int, body: object, content_type: str = "application/json") -> HttpResponse:
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return HttpResponse(status, {"content-type": content_type}, data)


def client_with(*answers: HttpResponse) -> tuple[StructuredPromptClient, RecordingTransport]:
    transport = RecordingTransport(*answers)
    return StructuredPromptClient("http://sps.test/", "sp_key", transport=transport, max_retries=0), transport


class RequestShapeTest(unittest.TestCase):
    def test_headers_body_and_a_generated_idempotency_key(self):
        client, transport = client_with(answer(202, PENDING_JOB))
        client.submit_job(["first", {"prompt": "second", "provider": "openai"}], priority="high")
        sent = transport.sent[0]
        self.assertEqual((sent.method, sent.url), ("POST", "http://sps.test/v1/jobs"))
        self.assertEqual(sent.headers["x-api-key"], "sp_key")
        self.assertEqual(sent.headers["content-type"], "application/json")
        self.assertTrue(sent.headers["user-agent"].startswith("structured-prompt-sdk-python/"))
        self.assertEqual(len(sent.headers["idempotency-key"]), 36)
        body = json.loads(sent.body or b"")
        self.assertEqual(body, {"items": [{"prompt": "first"}, {"prompt": "second", "provider": "openai"}], "priority": "high"})
        client.submit_job(["first"])
        self.assertNotEqual(transport.sent[1].headers["idempotency-key"], sent.headers["idempotency-key"])

    def test_ids_are_escaped_and_queries_encoded(self):
        client, transport = client_with(answer(200, PENDING_JOB), answer(200, {"items": [], "next_cursor": None}))
        job = client.get_job("j/1")
        self.assertEqual(job.id, "j/1")
        self.assertEqual(transport.sent[0].url, "http://sps.test/v1/jobs/j%2F1")
        client.list_requests(cached=True, provider="openai", limit=None, q="a b&c")
        self.assertEqual(transport.sent[1].url, "http://sps.test/v1/requests?cached=true&provider=openai&q=a+b%26c")
        self.assertIsNone(transport.sent[1].body)

    def test_a_dataclass_schema_is_sent_as_json_schema(self):
        from dataclasses import dataclass

        @dataclass
        class Point:
            x: int
            y: int

        client, transport = client_with(answer(200, {"request_id": "r", "data": {"x": 1, "y": 2}}))
        result = client.analyze("a point", schema=Point, options={"validation": "strict"})
        self.assertEqual(result.parse(Point), Point(1, 2))
        body = json.loads(transport.sent[0].body or b"")
        self.assertEqual(body["schema"]["properties"], {"x": {"type": "integer"}, "y": {"type": "integer"}})
        self.assertEqual(body["options"], {"validation": "strict"})
        self.assertNotIn("provider", body)


class AnswerMappingTest(unittest.TestCase):
    def raised(self, response: HttpResponse) -> ApiError:
        client, _ = client_with(response)
        with self.assertRaises(ApiError) as caught:
            client.get_job("j1")
        return caught.exception

    def test_problem_documents_become_typed_errors(self):
        cases = {
            (400, "validation_error"): BadRequestError,
            (401, "unauthorized"): AuthenticationError,
            (404, "not_found"): NotFoundError,
            (409, "conflict"): ConflictError,
            (422, "output_validation_failed"): ValidationFailedError,
            (422, "idempotency_key_reused"): ApiError,
            (504, "provider_timeout"): ServerError,
        }
        for (status, code), kind in cases.items():
            problem = {"status": status, "code": code, "detail": "why", "request_id": "req-1"}
            error = self.raised(answer(status, problem, "application/problem+json"))
            self.assertIs(type(error), kind, code)
            self.assertEqual((error.code, error.detail, error.request_id), (code, "why", "req-1"))

    def test_a_body_that_is_not_a_problem_document_still_raises_with_its_text(self):
        error = self.raised(answer(502, "<html>Bad gateway</html>", "text/html"))
        self.assertIsInstance(error, ServerError)
        self.assertEqual(error.code, "http_error")
        self.assertIn("Bad gateway", error.title)

    def test_batch_items_are_results_or_errors_in_order(self):
        body = {
            "request_id": "b",
            "results": [
                {"request_id": "b:0", "data": {"a": 1}, "validation": {"status": "passed"}},
                {"status": 402, "code": "budget_exceeded", "request_id": "b:1", "title": "Monthly budget exhausted"},
            ],
            "summary": {"total": 2},
        }
        client, _ = client_with(answer(200, body))
        batch = client.analyze_batch(["one", "two"])
        self.assertIsInstance(batch, BatchResult)
        self.assertEqual(batch.results[0].data, {"a": 1})
        self.assertEqual(batch.results[1].code, "budget_exceeded")
        self.assertEqual(batch.results[1].request_id, "b:1")

    def test_wait_for_job_gives_up_with_the_last_state(self):
        client, transport = client_with(answer(200, PENDING_JOB))
        with self.assertRaises(WaitTimeoutError) as caught:
            client.wait_for_job("j1", timeout=0.05, poll_interval=0.01)
        self.assertEqual(caught.exception.job.status, "pending")
        self.assertGreaterEqual(len(transport.sent), 1)


if __name__ == "__main__":
    unittest.main()
