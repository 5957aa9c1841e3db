"""The asyncio client against the real service: concurrent analyze, batch, jobs, pagination, errors."""

import asyncio
import unittest

from server_support import BASE_URL, Invoice, needs_server, new_key

from structured_prompt import AnalyzeResult, AsyncStructuredPromptClient, NotFoundError, ValidationFailedError


@needs_server
class AsyncClientTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = AsyncStructuredPromptClient(BASE_URL, new_key())

    async def asyncTearDown(self):
        await self.client.aclose()

    async def test_concurrent_analyze_calls(self):
        prompts = [f"Translate Hello World to French #{i}" for i in range(5)]
        results = await asyncio.gather(*(self.client.analyze(p, provider="openai") for p in prompts))
        self.assertEqual([r.data["intent"] for r in results], ["translate"] * 5)
        self.assertEqual(len({r.request_id for r in results}), 5)

    async def test_schema_batch_and_errors(self):
        result = await self.client.analyze("Bill this invoice to jane@example.com", schema=Invoice, provider="openai")
        self.assertEqual(result.data["customer_email"], "jane@example.com")
        batch = await self.client.analyze_batch(["Translate Hello World to French"], defaults={"provider": "openai"})
        self.assertIsInstance(batch.results[0], AnalyzeResult)
        with self.assertRaises(ValidationFailedError):
            await self.client.analyze(
                "Translate Hello World to French",
                schema={"type": "object", "required": ["total"]},
                provider="openai",
                options={"max_repair_attempts": 0},
            )
        with self.assertRaises(NotFoundError):
            await self.client.get_template("no-such-template")

    async def test_job_round_trip_and_async_pagination(self):
        job = await self.client.submit_job(["Translate Hello World to French", "Translate Hi to German"])
        done = await self.client.wait_for_job(job.id, timeout=60, poll_interval=0.1)
        self.assertEqual(done.status, "completed")
        indexes = [item.index async for item in self.client.iter_job_results(job.id, limit=1)]
        self.assertEqual(indexes, [0, 1])
        self.assertIn(job.id, [j.id async for j in self.client.iter_jobs()])


if __name__ == "__main__":
    unittest.main()
