"""Retry decisions and Retry-After parsing (pure functions)."""

import random
import unittest
from datetime import datetime, timedelta, timezone

from structured_prompt.retry import RetryPolicy, parse_retry_after, retry_delay


class ParseRetryAfterTest(unittest.TestCase):
    def test_delta_seconds(self):
        self.assertEqual(parse_retry_after("7"), 7.0)
        self.assertEqual(parse_retry_after(" 0 "), 0.0)

    def test_http_date_is_seconds_from_now(self):
        now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
        header = "Thu, 01 Jan 2026 12:00:30 GMT"
        self.assertEqual(parse_retry_after(header, now=now), 30.0)
        self.assertEqual(parse_retry_after(header, now=now + timedelta(minutes=5)), 0.0)

    def test_absent_or_garbage(self):
        self.assertIsNone(parse_retry_after(None))
        self.assertIsNone(parse_retry_after(""))
        self.assertIsNone(parse_retry_after("soon"))


class RetryDelayTest(unittest.TestCase):
    policy = RetryPolicy(max_retries=3, base_delay=1.0, max_delay=4.0, max_retry_after=60.0)

    def test_refusals_are_retried_for_every_call(self):
        for status in (429, 503):
            self.assertIsNotNone(retry_delay(self.policy, 1, status, None, idempotent=False), status)

    def test_transient_failures_only_for_idempotent_calls(self):
        for status in (500, 502, 504, None):
            self.assertIsNotNone(retry_delay(self.policy, 1, status, None, idempotent=True), status)
            self.assertIsNone(retry_delay(self.policy, 1, status, None, idempotent=False), status)

    def test_client_errors_are_never_retried(self):
        for status in (400, 401, 402, 403, 404, 422):
            self.assertIsNone(retry_delay(self.policy, 1, status, None, idempotent=True), status)

    def test_stops_after_max_retries(self):
        self.assertIsNotNone(retry_delay(self.policy, 3, 503, None, idempotent=True))
        self.assertIsNone(retry_delay(self.policy, 4, 503, None, idempotent=True))

    def test_retry_after_wins_unless_too_long(self):
        self.assertEqual(retry_delay(self.policy, 1, 429, 12.5, idempotent=False), 12.5)
        self.assertIsNone(retry_delay(self.policy, 1, 429, 61.0, idempotent=False))

    def test_backoff_is_full_jitter_under_a_doubling_cap(self):
        rng = random.Random(7)
        for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)):
            samples = [self.policy.backoff(attempt, rng) for _ in range(200)]
            self.assertTrue(all(0 <= sample <= ceiling for sample in samples), attempt)
            # Jitter spreads the waits: not all the same, and some beyond half the ceiling.
            self.assertGreater(len(set(samples)), 100)
            self.assertTrue(any(sample > ceiling / 2 for sample in samples))


if __name__ == "__main__":
    unittest.main()
