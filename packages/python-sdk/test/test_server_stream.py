"""analyze_stream on both clients, against the real service (OpenAI faked on 127.0.0.1, streaming)."""

import unittest
import uuid

from server_support import BASE_URL, Invoice, eventually, needs_server, new_key

from structured_prompt import (
    AnalyzeResult,
    AsyncStructuredPromptClient,
    AttemptEvent,
    AuthenticationError,
    BadRequestError,
    ConnectionFailedError,
    FinalEvent,
    NotFoundError,
    PartialEvent,
    RetryPolicy,
    StructuredPromptClient,
    ValidationFailedError,
)


def fresh(prompt: str) -> str:
    """A prompt no earlier test sent, so the answer comes from the provider, not the cache."""
    return f"{prompt} ({uuid.uuid4()})"


@needs_server
class StreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = StructuredPromptClient(BASE_URL, new_key())

    def test_partials_grow_then_the_final_answer_is_the_typed_result(self):
        with self.client.analyze_stream(fresh("Translate Hello World to French"), provider="openai") as stream:
            events = list(stream)
        self.assertTrue(stream.request_id)
        partials = [e for e in events if isinstance(e, PartialEvent)]
        self.assertGreater(len(partials), 1)
        self.assertTrue(all(p.attempt == 1 for p in partials))
        self.assertIsInstance(events[-1], FinalEvent)
        result = events[-1].result
        self.assertIsInstance(result, AnalyzeResult)
        self.assertEqual(result.request_id, stream.request_id)
        self.assertEqual(result.data["subject"], "Hello World")
        self.assertEqual((result.validation.status, result.validation.attempts), ("passed", 1))
        self.assertEqual(sum(isinstance(e, FinalEvent) for e in events), 1)

    def test_a_dataclass_schema_and_final(self):
        stream = self.client.analyze_stream(fresh("Bill this invoice to jane@example.com"), schema=Invoice)
        self.assertEqual(stream.final().parse(Invoice), Invoice("jane@example.com", 1250.0, "EUR", "2027-04-30"))

    def test_an_invalid_first_answer_is_announced_as_an_attempt_then_validated(self):
        events = list(self.client.analyze_stream(fresh("REASK Translate Hello World to French"), provider="openai"))
        attempts = [e for e in events if isinstance(e, AttemptEvent)]
        self.assertEqual([a.attempt for a in attempts], [2])
        self.assertTrue(attempts[0].errors)
        self.assertTrue(any(isinstance(e, PartialEvent) and e.attempt == 2 for e in events))
        final = events[-1]
        assert isinstance(final, FinalEvent)
        self.assertEqual((final.result.validation.status, final.result.validation.attempts), ("passed", 2))

    def test_an_error_event_raises_the_typed_exception(self):
        stream = self.client.analyze_stream(
            fresh("REASK Translate Hello World to French"), provider="openai", options={"max_repair_attempts": 0}
        )
        with self.assertRaises(ValidationFailedError) as caught:
            list(stream)
        self.assertEqual(caught.exception.code, "output_validation_failed")
        self.assertEqual(caught.exception.request_id, stream.request_id)

    def test_a_refused_key_raises_on_opening_and_an_invalid_schema_as_the_error_event(self):
        with self.assertRaises(AuthenticationError):
            StructuredPromptClient(BASE_URL, "sp_" + "0" * 64).analyze_stream("hello")
        with self.assertRaises(BadRequestError) as caught:
            list(self.client.analyze_stream("hello", schema={"type": "nonsense"}))
        self.assertEqual(caught.exception.code, "invalid_schema")

    def test_leaving_early_closes_the_stream_and_the_service_cancels_the_request(self):
        with self.client.analyze_stream(fresh("LONGSTREAM Translate Hello World to French"), provider="openai") as stream:
            first = next(iter(stream))
        self.assertIsInstance(first, PartialEvent)
        logged = eventually(lambda: self.logged(stream.request_id), lambda r: bool(r and r.get("error")))
        self.assertRegex(logged["error"], "^cancelled")
        self.assertEqual(list(stream), [])

    def logged(self, request_id):
        """The request's log entry, None until it is written (asynchronously)."""
        try:
            return self.client.get_request(request_id)
        except NotFoundError:
            return None

    def test_a_stream_silent_for_longer_than_the_timeout_fails(self):
        client = StructuredPromptClient(BASE_URL, new_key(), timeout=0.3, retry_policy=RetryPolicy(max_retries=0))
        with self.assertRaises(ConnectionFailedError):
            list(client.analyze_stream(fresh("SLOW Translate Hello World to French"), provider="openai"))

    def test_list_models(self):
        models = self.client.list_models()
        self.assertIn("auto", [m["id"] for m in models])
        self.assertTrue(any(m.get("owned_by") == "openai" for m in models))
        # The route answers errors in OpenAI's shape; they raise the same typed exceptions.
        with self.assertRaises(AuthenticationError) as caught:
            StructuredPromptClient(BASE_URL, "sp_" + "0" * 64).list_models()
        self.assertNotEqual(caught.exception.code, "http_error")
        self.assertTrue(caught.exception.detail)


@needs_server
class AsyncStreamTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = AsyncStructuredPromptClient(BASE_URL, new_key())

    async def asyncTearDown(self):
        await self.client.aclose()

    async def test_async_events_with_a_reask(self):
        stream = await self.client.analyze_stream(fresh("REASK Translate Hello World to French"), provider="openai")
        events = [event async for event in stream]
        self.assertEqual([e.attempt for e in events if isinstance(e, AttemptEvent)], [2])
        final = events[-1]
        assert isinstance(final, FinalEvent)
        self.assertEqual(final.result.data["intent"], "translate")
        self.assertEqual(final.result.validation.attempts, 2)

    async def test_async_final_error_and_early_close(self):
        result = await (await self.client.analyze_stream(fresh("Translate Hello World to French"))).final()
        self.assertEqual(result.validation.status, "passed")
        with self.assertRaises(ValidationFailedError):
            failing = await self.client.analyze_stream(
                fresh("REASK Translate Hello"), provider="openai", options={"max_repair_attempts": 0}
            )
            [event async for event in failing]
        async with await self.client.analyze_stream(fresh("LONGSTREAM Hello"), provider="openai") as stream:
            self.assertIsInstance(await stream.__anext__(), PartialEvent)
        self.assertEqual([event async for event in stream], [])


if __name__ == "__main__":
    unittest.main()
