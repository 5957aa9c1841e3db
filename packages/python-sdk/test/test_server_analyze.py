"""Analyze, batch and the error types, against the real service (OpenAI faked on 127.0.0.1)."""

import unittest
import uuid

from server_support import BASE_URL, Invoice, admin_client, needs_server, new_key

from structured_prompt import (
    AnalyzeResult,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryPolicy,
    StructuredPromptClient,
    ValidationFailedError,
    parse_as,
)

TOTAL_AS_TEXT = {
    "type": "object",
    "required": ["total"],
    "properties": {"total": {"type": "string", "pattern": "^[0-9]+ EUR$"}},
}


@needs_server
class AnalyzeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = StructuredPromptClient(BASE_URL, new_key())

    def test_default_schema_answer_is_typed(self):
        result = self.client.analyze("Translate Hello World to French", provider="openai")
        self.assertIsInstance(result, AnalyzeResult)
        self.assertEqual(result.data["intent"], "translate")
        self.assertEqual(result.validation.status, "passed")
        self.assertEqual(result.provider, "openai")
        self.assertEqual(result.usage.prompt_tokens, 30)
        self.assertEqual(result.usage.completion_tokens, 20)
        self.assertTrue(result.request_id)
        self.assertGreater(result.confidence, 0)

    def test_a_dataclass_is_the_schema_and_the_answer_parses_into_it(self):
        result = self.client.analyze("Bill this invoice to jane@example.com", schema=Invoice, provider="openai")
        invoice = parse_as(Invoice, result.data)
        self.assertEqual(invoice, Invoice("jane@example.com", 1250.0, "EUR", "2027-04-30"))

    def test_an_answer_that_never_validates_raises_with_errors_and_last_output(self):
        with self.assertRaises(ValidationFailedError) as caught:
            self.client.analyze(
                "Bill this invoice to jane@example.com",
                schema=TOTAL_AS_TEXT,
                provider="openai",
                options={"validation": "strict", "max_repair_attempts": 0},
            )
        error = caught.exception
        self.assertEqual(error.status, 422)
        self.assertEqual(error.code, "output_validation_failed")
        self.assertIn("1250", error.last_output)
        self.assertTrue(error.errors)
        self.assertEqual(error.attempts, 1)
        self.assertTrue(error.request_id)

    def test_an_invalid_schema_is_a_bad_request_naming_where(self):
        with self.assertRaises(BadRequestError) as caught:
            self.client.analyze("hello", schema={"type": "nonsense"})
        self.assertEqual(caught.exception.code, "invalid_schema")
        self.assertTrue(caught.exception.errors)

    def test_an_unknown_key_is_an_authentication_error(self):
        with self.assertRaises(AuthenticationError) as caught:
            StructuredPromptClient(BASE_URL, "sp_" + "0" * 64).analyze("hello")
        self.assertEqual(caught.exception.problem["code"], "unauthorized")

    def test_admin_routes_are_forbidden_to_plain_keys(self):
        with self.assertRaises(PermissionDeniedError):
            self.client.list_api_keys()

    def test_unknown_ids_are_not_found(self):
        with self.assertRaises(NotFoundError):
            self.client.get_job(str(uuid.uuid4()))

    def test_over_the_hourly_limit_raises_with_retry_after(self):
        client = StructuredPromptClient(BASE_URL, new_key(rate_limit_per_hour=1), retry_policy=RetryPolicy(max_retries=0))
        client.analyze("Translate Hello World to French", provider="openai")
        with self.assertRaises(RateLimitedError) as caught:
            client.analyze("Translate Hello World to French", provider="openai")
        self.assertGreater(caught.exception.retry_after, 0)
        self.assertEqual(caught.exception.status, 429)

    def test_an_exhausted_budget_raises_budget_exceeded(self):
        client = StructuredPromptClient(BASE_URL, new_key(monthly_budget_usd=0.000001))
        with self.assertRaises(BudgetExceededError) as caught:
            client.analyze("Translate Hello World to French", provider="openai", options={"bypass_cache": True})
        self.assertEqual(caught.exception.code, "budget_exceeded")


@needs_server
class BatchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = StructuredPromptClient(BASE_URL, new_key())

    def test_one_result_or_error_per_item_in_order(self):
        batch = self.client.analyze_batch(
            ["Translate Hello World to French", {"prompt": "Book a table", "schema": {"type": "nonsense"}}],
            defaults={"provider": "openai"},
        )
        self.assertIsInstance(batch.results[0], AnalyzeResult)
        self.assertEqual(batch.results[0].data["intent"], "translate")
        self.assertIsInstance(batch.results[1], BadRequestError)
        self.assertEqual(batch.results[1].code, "invalid_schema")
        self.assertEqual(batch.summary["total"], 2)
        self.assertEqual(batch.summary["failed"], 1)

    def test_the_same_idempotency_key_answers_the_first_batch_again(self):
        key = str(uuid.uuid4())
        first = self.client.analyze_batch(["Translate Hello World to French"], idempotency_key=key)
        second = self.client.analyze_batch(["Translate Hello World to French"], idempotency_key=key)
        self.assertEqual(first.request_id, second.request_id)


@needs_server
class ServiceInfoTest(unittest.TestCase):
    def test_health_providers_and_cache(self):
        admin = admin_client()
        self.assertIn(admin.health()["status"], ("healthy", "degraded"))
        self.assertIn("openai", str(admin.providers()))
        stats = admin.cache_stats()
        self.assertIn("hits", stats)
        warming = admin.warm_cache(["Translate Hello World to French"])
        self.assertEqual(admin.get_cache_warming(warming["id"])["id"], warming["id"])
        self.assertIs(admin.invalidate_cache("*")["complete"], True)


if __name__ == "__main__":
    unittest.main()
