"""When to try a call again, and how long to wait first."""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

# Refusals before any work was done: repeating them is safe for every call.
REFUSED_STATUSES = frozenset({429, 503})
# Answers another attempt may fix, but after which the work may have happened: idempotent calls only.
TRANSIENT_STATUSES = frozenset({408, 409, 425, 500, 502, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; `Retry-After` wins when the service sends it."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is not waited for: the error is raised with `retry_after` set.
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds before retry number `attempt` (1-based): uniform in [0, min(max, base * 2^(n-1))]."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return (rng or random).uniform(0, ceiling)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); None if absent or bad."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def retry_delay(
    policy: RetryPolicy, attempt: int, status: int | None, retry_after: float | None, idempotent: bool
) -> float | None:
    """Seconds to wait before retry `attempt` (1-based), or None when the call must not be retried.

    `status` None means the network failed. Idempotent calls (GET/PUT/DELETE, analyze, and POSTs that
    carry an Idempotency-Key) retry on every transient failure; the others only on a refusal.
    """
    refused = status in REFUSED_STATUSES
    transient = status is None or status in TRANSIENT_STATUSES
    if attempt > policy.max_retries or not (refused or (idempotent and transient)):
        return None
    if retry_after is not None:
        return retry_after if retry_after <= policy.max_retry_after else None
    return policy.backoff(attempt)
