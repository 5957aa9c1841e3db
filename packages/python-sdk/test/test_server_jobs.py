"""Async jobs and webhooks against the real service: submit, idempotency, wait, results, cancel, signatures."""

import unittest
import uuid

from server_support import BASE_URL, Invoice, WebhookReceiver, admin_client, needs_server, new_key

from structured_prompt import AnalyzeResult, ConflictError, Job, StructuredPromptClient, verify_webhook

ITEMS = [
    {"prompt": "Translate Hello World to French", "provider": "openai"},
    {"prompt": "Bill this invoice to jane@example.com", "schema": Invoice, "provider": "openai"},
    {"prompt": "Translate Hi to German", "provider": "openai"},
]


@needs_server
class JobsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = StructuredPromptClient(BASE_URL, new_key())

    def test_submit_wait_and_read_every_result_across_pages(self):
        key = str(uuid.uuid4())
        job = self.client.submit_job(ITEMS, idempotency_key=key)
        again = self.client.submit_job(ITEMS, idempotency_key=key)
        self.assertEqual(again.id, job.id)

        done = self.client.wait_for_job(job.id, timeout=60, poll_interval=0.1)
        self.assertEqual(done.status, "completed")
        self.assertEqual(done.progress.succeeded, 3)
        results = list(self.client.iter_job_results(job.id, limit=1))
        self.assertEqual([item.index for item in results], [0, 1, 2])
        self.assertTrue(all(isinstance(item.result, AnalyzeResult) for item in results))
        self.assertEqual(results[1].result.data["total"], 1250)
        first_page = self.client.job_results(job.id, limit=2)
        self.assertEqual(len(first_page.items), 2)
        self.assertIsNotNone(first_page.next_cursor)

        listed = [j.id for j in self.client.iter_jobs(limit=1)]
        self.assertIn(job.id, listed)
        self.assertEqual(self.client.list_jobs(limit=1).items[0].id, listed[0])

    def test_cancel_a_running_job_and_cancelling_again_conflicts(self):
        job = self.client.submit_job(
            [{"prompt": f"SLOW prompt {i}", "provider": "openai"} for i in range(20)], priority="batch"
        )
        cancelled = self.client.cancel_job(job.id)
        self.assertIsInstance(cancelled, Job)
        self.assertEqual(cancelled.status, "cancelled")
        self.assertTrue(cancelled.done)
        with self.assertRaises(ConflictError):
            self.client.cancel_job(job.id)

    def test_an_item_failing_every_retry_is_dead_lettered_and_can_be_retried(self):
        job = self.client.submit_job([{"prompt": "FAILHARD please", "provider": "openai"}])
        self.assertEqual(self.client.wait_for_job(job.id, timeout=60, poll_interval=0.1).status, "failed")
        admin = admin_client()
        letters = [letter for letter in admin.list_dead_letters(limit=100).items if letter["job_id"] == job.id]
        self.assertEqual(len(letters), 1)
        retried = admin.retry_dead_letter(letters[0]["id"])
        self.assertEqual(retried["job_id"], job.id)
        self.assertEqual(self.client.wait_for_job(job.id, timeout=60, poll_interval=0.1).status, "failed")

    def test_a_job_webhook_is_signed_with_the_job_secret(self):
        receiver = WebhookReceiver()
        self.addCleanup(receiver.close)
        job = self.client.submit_job(
            request={"prompt": "Translate Hello World to French", "provider": "openai"}, webhook_url=receiver.url
        )
        self.assertTrue(job.webhook_secret.startswith("whsec_"))
        body, headers = receiver.next()
        event = verify_webhook(body, headers, job.webhook_secret)
        self.assertEqual(event["type"], "job.completed")
        self.assertIn(job.id, body.decode())


@needs_server
class WebhookEndpointsTest(unittest.TestCase):
    def test_subscribe_receive_verify_redeliver_rotate_and_delete(self):
        client = StructuredPromptClient(BASE_URL, new_key())
        receiver = WebhookReceiver()
        self.addCleanup(receiver.close)
        endpoint = client.create_webhook(receiver.url, ["webhook.test", "job.completed"], description="sdk")
        secret = endpoint["secret"]
        self.assertEqual(client.get_webhook(endpoint["id"])["url"], receiver.url)
        self.assertIn(endpoint["id"], [hook["id"] for hook in client.iter_webhooks()])

        client.send_test_webhook(endpoint["id"])
        body, headers = receiver.next()
        self.assertEqual(verify_webhook(body, headers, secret)["type"], "webhook.test")

        deliveries = client.list_webhook_deliveries(endpoint["id"]).items
        self.assertTrue(deliveries)
        client.redeliver_webhook(endpoint["id"], deliveries[0]["id"])
        body, headers = receiver.next()
        self.assertEqual(verify_webhook(body, headers, secret)["type"], "webhook.test")

        rotated = client.rotate_webhook_secret(endpoint["id"], overlap_seconds=0)
        self.assertNotEqual(rotated["secret"], secret)
        updated = client.update_webhook(endpoint["id"], description="renamed")
        self.assertEqual(updated["description"], "renamed")
        client.send_test_webhook(endpoint["id"])
        body, headers = receiver.next()
        self.assertEqual(verify_webhook(body, headers, rotated["secret"])["type"], "webhook.test")
        self.assertIsNone(client.delete_webhook(endpoint["id"]))


if __name__ == "__main__":
    unittest.main()
