"""Schemas, templates, request history, usage and API keys against the real service."""

import unittest
import uuid

from server_support import BASE_URL, Invoice, admin_client, eventually, needs_server, new_key

from structured_prompt import AuthenticationError, NotFoundError, StructuredPromptClient, template_parameter


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@needs_server
class SchemasTest(unittest.TestCase):
    def test_register_version_use_and_delete_a_schema(self):
        client = StructuredPromptClient(BASE_URL, new_key())
        name = unique("invoice")
        created = client.create_schema(name, Invoice, description="Invoices", tags=["billing"], version="1.0.0")
        self.assertEqual(created["name"], name)
        self.assertEqual(client.get_schema(name)["id"], created["id"])

        result = client.analyze("Bill this invoice to jane@example.com", schema_id=name, provider="openai")
        self.assertEqual(result.data["currency"], "EUR")

        first = created["latest"]["schema"]
        extended = {**first, "properties": {**first["properties"], "note": {"type": "string"}}}
        version = client.create_schema_version(name, extended, version="1.1.0")
        self.assertEqual(version["version"], "1.1.0")
        self.assertEqual([v["version"] for v in client.list_schema_versions(name).items][:2].count("1.1.0"), 1)
        self.assertIn("note", client.get_schema_version(name, "1.1.0")["schema"]["properties"])
        self.assertEqual(client.update_schema(name, tags=["billing", "finance"])["tags"], ["billing", "finance"])
        self.assertIn(name, [schema["name"] for schema in client.iter_schemas(q=name, limit=1)])
        client.delete_schema(name)
        with self.assertRaises(NotFoundError):
            client.get_schema(name)


@needs_server
class TemplatesTest(unittest.TestCase):
    def test_create_render_use_version_and_delete_a_template(self):
        client = StructuredPromptClient(BASE_URL, new_key())
        name = unique("invoice-template")
        parameters = [template_parameter("text"), template_parameter("tone", default="plain")]
        created = client.create_template(name, "Read the invoice ({{ tone }}): {{ text }}", parameters=parameters)
        self.assertEqual(client.get_template(name)["id"], created["id"])
        rendered = client.render_template(name, {"text": "jane owes 1250 EUR"})
        self.assertEqual(rendered["prompt"], "Read the invoice (plain): jane owes 1250 EUR")

        result = client.analyze(template_id=name, parameters={"text": "jane owes 1250 EUR"}, schema=Invoice, provider="openai")
        self.assertEqual(result.data["total"], 1250)

        updated = client.update_template(name, template="Extract the invoice: {{ text }}", version="2.0.0")
        self.assertEqual(updated["latest_version"], "2.0.0")
        versions = client.list_template_versions(name)
        self.assertEqual(len(versions), 2)
        first = [v["version"] for v in versions if v["version"] != "2.0.0"][0]
        self.assertIn("({{ tone }})", client.get_template_version(name, first)["template"])
        self.assertIn(name, [t["name"] for t in client.iter_templates(search=name)])
        client.delete_template(name)
        with self.assertRaises(NotFoundError):
            client.get_template(name)


@needs_server
class HistoryAndUsageTest(unittest.TestCase):
    def test_find_replay_and_erase_a_request_and_read_usage(self):
        client = StructuredPromptClient(BASE_URL, new_key())
        result = client.analyze("Translate Hello World to French", provider="openai", options={"bypass_cache": True})

        def stored():
            try:
                return client.get_request(result.request_id)
            except NotFoundError:
                return None

        self.assertIsNotNone(eventually(stored), "the request log never showed the request")
        listed = [entry["request_id"] for entry in client.iter_requests(limit=1)]
        self.assertIn(result.request_id, listed)
        self.assertEqual(client.list_requests(provider="openai", limit=5).items[0]["provider"], "openai")

        exported = [entry["request_id"] for entry in client.export_requests(provider="openai")]
        self.assertIn(result.request_id, exported)

        replay = client.replay_request(result.request_id)
        self.assertEqual(replay["original"]["request_id"], result.request_id)
        self.assertIn("replay", replay)

        usage = eventually(client.get_usage, lambda u: u["totals"]["requests"] >= 1)
        self.assertGreaterEqual(usage["totals"]["requests"], 1)
        self.assertIn("openai", [item["provider"] for item in client.get_provider_usage()["items"]])

        receipt = client.delete_request(result.request_id)
        self.assertTrue(receipt["receipt_id"])


@needs_server
class ApiKeysTest(unittest.TestCase):
    def test_create_rotate_revoke_and_activate_a_key(self):
        admin = admin_client()
        created = admin.create_api_key(unique("sdk-key"), rate_limit_per_hour=50)
        own = StructuredPromptClient(BASE_URL, created["key"])
        self.assertEqual(own.get_api_key("me")["id"], created["id"])
        self.assertEqual(admin.get_api_key(created["id"])["rate_limit_per_hour"], 50)
        self.assertIn(created["id"], [key["id"] for key in admin.iter_api_keys(limit=2)])

        rotated = admin.rotate_api_key(created["id"])
        self.assertNotEqual(rotated["key"], created["key"])
        fresh = StructuredPromptClient(BASE_URL, rotated["key"])
        self.assertEqual(fresh.get_api_key("me")["id"], created["id"])

        self.assertFalse(admin.revoke_api_key(created["id"])["is_active"])
        with self.assertRaises(AuthenticationError):
            fresh.get_api_key("me")
        self.assertTrue(admin.activate_api_key(created["id"])["is_active"])
        self.assertEqual(fresh.get_api_key("me")["id"], created["id"])
        self.assertEqual(admin.reset_api_key_usage(created["id"])["usage"]["requests_this_hour"], 0)

        # Creating, rotating and revoking a key are security events.
        events = admin.list_audit_logs(limit=200).items
        self.assertIn(created["id"], str(events))
        self.assertIsInstance(admin.list_dead_letters(limit=1).items, list)


if __name__ == "__main__":
    unittest.main()
