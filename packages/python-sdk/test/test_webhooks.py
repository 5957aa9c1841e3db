"""Standard Webhooks signatures, checked against the reference implementation's output."""

import unittest

from structured_prompt import WebhookVerificationError, sign_webhook, verify_webhook

# Produced by the `standardwebhooks` reference library (JavaScript) for these inputs.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LhFWho"
MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = '{"test": 2432232314}'
REFERENCE_SIGNATURE = "v1,AyPH8zpmIclnZ+HQOLtXOOW1YbWrGe/ZgZAN8WYF61I="


def headers(signature=REFERENCE_SIGNATURE, timestamp=TIMESTAMP):
    return {"Webhook-Id": MESSAGE_ID, "Webhook-Timestamp": str(timestamp), "Webhook-Signature": signature}


class WebhookSignatureTest(unittest.TestCase):
    def test_signs_like_the_reference_library(self):
        self.assertEqual(sign_webhook(SECRET, MESSAGE_ID, TIMESTAMP, BODY), REFERENCE_SIGNATURE)

    def test_verifies_and_returns_the_payload(self):
        self.assertEqual(verify_webhook(BODY, headers(), SECRET, now=TIMESTAMP + 10), {"test": 2432232314})
        self.assertEqual(verify_webhook(BODY.encode(), headers(), SECRET, now=TIMESTAMP), {"test": 2432232314})

    def test_any_of_several_signatures_or_secrets_matches(self):
        other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
        both = f"{sign_webhook(other, MESSAGE_ID, TIMESTAMP, BODY)} {REFERENCE_SIGNATURE}"
        self.assertEqual(verify_webhook(BODY, headers(both), SECRET, now=TIMESTAMP), {"test": 2432232314})
        self.assertEqual(verify_webhook(BODY, headers(), [other, SECRET], now=TIMESTAMP), {"test": 2432232314})

    def test_refuses_a_changed_body_a_wrong_secret_and_stale_deliveries(self):
        with self.assertRaises(WebhookVerificationError):
            verify_webhook('{"test": 1}', headers(), SECRET, now=TIMESTAMP)
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(BODY, headers(), "whsec_QUJD", now=TIMESTAMP)
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(BODY, headers(), SECRET, now=TIMESTAMP + 301)
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(BODY, {"webhook-id": MESSAGE_ID}, SECRET, now=TIMESTAMP)


if __name__ == "__main__":
    unittest.main()
