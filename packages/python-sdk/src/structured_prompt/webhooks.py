"""Verifying the service's webhook deliveries (Standard Webhooks: HMAC-SHA256 over id, timestamp, body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any, Mapping, Sequence

from .errors import StructuredPromptError

_secret_prefix = "whsec_"
# Deliveries older or newer than this are refused, so a captured delivery cannot be replayed later.
DEFAULT_TOLERANCE_SECONDS = 5 * 60


class WebhookVerificationError(StructuredPromptError):
    """The delivery is not signed by any of the secrets, is too old or too new, or lacks a header."""


def _key(secret: str) -> bytes:
    encoded = secret[len(_secret_prefix) :] if secret.startswith(_secret_prefix) else secret
    return base64.b64decode(encoded)


def sign_webhook(secret: str, message_id: str, timestamp: int, body: bytes | str) -> str:
    """The `v1,<base64>` signature of one delivery (what the service sends in `webhook-signature`)."""
    payload = body.encode("utf-8") if isinstance(body, str) else body
    content = f"{message_id}.{timestamp}.".encode() + payload
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify_webhook(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str | Sequence[str],
    *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> Any:
    """Check a delivery and return its JSON payload; raises `WebhookVerificationError` otherwise.

    Pass the raw body exactly as received (not re-serialized JSON). `secret` may be a list, for the
    overlap after a rotation.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    message_id = lowered.get("webhook-id")
    timestamp_text = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not message_id or not timestamp_text or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature header")
    try:
        timestamp = int(timestamp_text)
    except ValueError as error:
        raise WebhookVerificationError("webhook-timestamp is not a number") from error
    if abs((time.time() if now is None else now) - timestamp) > tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
    secrets = [secret] if isinstance(secret, str) else list(secret)
    expected = {sign_webhook(s, message_id, timestamp, body) for s in secrets}
    received = signatures.split(" ")
    if not any(hmac.compare_digest(sent, wanted) for sent in received for wanted in expected):
        raise WebhookVerificationError("no signature matches")
    return json.loads(body)
