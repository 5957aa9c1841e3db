"""Endpoints around analyze: schemas, templates, history, usage, keys, webhooks, cache, health."""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from .calls import Call, _get, _json, _list, _segment
from .models import JsonObject, Page
from .schema import SchemaLike, to_json_schema
from .transport import HttpResponse


def _send(method: str, path: str, body: Any = None, idempotent: bool = False) -> Call[JsonObject]:
    return Call(method, path, _json, body=body, idempotent=idempotent)


def _fields(**values: Any) -> JsonObject:
    return {key: value for key, value in values.items() if value is not None}


# Schemas -------------------------------------------------------------------------------------------


def create_schema(name: str, schema: SchemaLike, **fields: Any) -> Call[JsonObject]:
    """Register a schema (a dict, dataclass or TypedDict).

    `fields`: description, tags, visibility, version, examples.
    """
    return _send("POST", "/v1/schemas", {"name": name, "schema": to_json_schema(schema), **fields})


def list_schemas(**query: Any) -> Call[Page[JsonObject]]:
    """One page of schemas; filters: q, tag, visibility, owner, library, include_deleted, limit, cursor."""
    return _list("/v1/schemas", **query)


def get_schema(ref: str) -> Call[JsonObject]:
    """A schema by id or name, with its latest version."""
    return _get(f"/v1/schemas/{_segment(ref)}")


def update_schema(ref: str, **fields: Any) -> Call[JsonObject]:
    """Change a schema's metadata (description, visibility, tags)."""
    return _send("PUT", f"/v1/schemas/{_segment(ref)}", fields, idempotent=True)


def delete_schema(ref: str) -> Call[JsonObject]:
    """Delete a schema (its versions stay readable by pinned references)."""
    return _send("DELETE", f"/v1/schemas/{_segment(ref)}", idempotent=True)


def create_schema_version(ref: str, schema: SchemaLike, **fields: Any) -> Call[JsonObject]:
    """Publish a new version; `fields`: version, description, examples, dry_run."""
    body = {"schema": to_json_schema(schema), **fields}
    return _send("POST", f"/v1/schemas/{_segment(ref)}/versions", body)


def list_schema_versions(ref: str, **query: Any) -> Call[Page[JsonObject]]:
    """One page of a schema's versions."""
    return _list(f"/v1/schemas/{_segment(ref)}/versions", **query)


def get_schema_version(ref: str, version: str) -> Call[JsonObject]:
    """One version of a schema."""
    return _get(f"/v1/schemas/{_segment(ref)}/versions/{_segment(version)}")


# Templates -----------------------------------------------------------------------------------------


def create_template(name: str, template: str, **fields: Any) -> Call[JsonObject]:
    """Create a prompt template (Liquid); `fields`: parameters, schema, defaults, description, tags, version."""
    return _send("POST", "/v1/templates", {"name": name, "template": template, **fields})


def list_templates(**query: Any) -> Call[Page[JsonObject]]:
    """One page of templates; filters: search, tag, visibility, owner, limit, cursor."""
    return _list("/v1/templates", **query)


def get_template(template_id: str) -> Call[JsonObject]:
    """A template by id or name, with its latest version."""
    return _get(f"/v1/templates/{_segment(template_id)}")


def update_template(template_id: str, **fields: Any) -> Call[JsonObject]:
    """Change a template; a changed `template`, `parameters`, `schema` or `defaults` makes a new version."""
    return _send("PUT", f"/v1/templates/{_segment(template_id)}", fields, idempotent=True)


def delete_template(template_id: str) -> Call[JsonObject]:
    """Delete a template."""
    return _send("DELETE", f"/v1/templates/{_segment(template_id)}", idempotent=True)


def list_template_versions(template_id: str) -> Call[list[JsonObject]]:
    """Every version of a template."""
    return _get(f"/v1/templates/{_segment(template_id)}/versions", lambda r: list(r.json()["items"]))


def get_template_version(template_id: str, version: str) -> Call[JsonObject]:
    """One version of a template."""
    return _get(f"/v1/templates/{_segment(template_id)}/versions/{_segment(version)}")


def render_template(template_id: str, parameters: Mapping[str, Any] | None = None) -> Call[JsonObject]:
    """The prompt a template renders to with these parameters (nothing is sent to a provider)."""
    body = {"parameters": dict(parameters or {})}
    return _send("POST", f"/v1/templates/{_segment(template_id)}/render", body, idempotent=True)


# Request history and usage -------------------------------------------------------------------------


def list_requests(**query: Any) -> Call[Page[JsonObject]]:
    """One page of stored requests; filters: from, to, provider, model, status, cached, schema, q, limit…"""
    return _list("/v1/requests", **query)


def get_request(request_id: str) -> Call[JsonObject]:
    """One stored request, with its prompt and answer when the key stores them."""
    return _get(f"/v1/requests/{_segment(request_id)}")


def replay_request(request_id: str, **overrides: Any) -> Call[JsonObject]:
    """Run a stored request again (optionally on another provider, model or schema) and diff the answers."""
    return _send("POST", f"/v1/requests/{_segment(request_id)}/replay", overrides)


def delete_request(request_id: str) -> Call[JsonObject]:
    """Erase a stored request; answers the erasure receipt."""
    return _send("DELETE", f"/v1/requests/{_segment(request_id)}", idempotent=True)


def _json_lines(response: HttpResponse) -> list[JsonObject]:
    return [json.loads(line) for line in response.text().splitlines() if line.strip()]


def export_requests(**query: Any) -> Call[list[JsonObject]]:
    """Every stored request matching the filters of `list_requests`, read from the JSON-lines export."""
    return _get("/v1/requests/export", _json_lines, **query)


def get_usage(**query: Any) -> Call[JsonObject]:
    """Usage and cost; query: from, to, api_key_id, bucket (hour/day/month), group_by."""
    return _get("/v1/usage", **query)


def get_provider_usage(**query: Any) -> Call[JsonObject]:
    """Usage, cost, error rate and latency per provider and model."""
    return _get("/v1/usage/providers", **query)


def list_audit_logs(**query: Any) -> Call[Page[JsonObject]]:
    """One page of the audit log (admin); filters: event_type, key_id, from, to, limit, cursor."""
    return _list("/v1/audit-logs", **query)


# API keys ------------------------------------------------------------------------------------------


def create_api_key(name: str, **fields: Any) -> Call[JsonObject]:
    """Create a key (admin); the answer's `key` is shown only this once."""
    return _send("POST", "/v1/api-keys", {"name": name, **fields})


def list_api_keys(**query: Any) -> Call[Page[JsonObject]]:
    """One page of API keys (admin)."""
    return _list("/v1/api-keys", **query)


def get_api_key(key_id: str) -> Call[JsonObject]:
    """One API key (admin), or `me` for the calling key."""
    return _get(f"/v1/api-keys/{_segment(key_id)}")


def revoke_api_key(key_id: str) -> Call[JsonObject]:
    """Revoke a key; every replica refuses it within seconds."""
    return _send("DELETE", f"/v1/api-keys/{_segment(key_id)}", idempotent=True)


def activate_api_key(key_id: str) -> Call[JsonObject]:
    """Re-activate a revoked key."""
    return _send("POST", f"/v1/api-keys/{_segment(key_id)}/activate", idempotent=True)


def rotate_api_key(key_id: str, grace_period_seconds: int | None = None) -> Call[JsonObject]:
    """A new secret for the key; the old one keeps working for the grace period."""
    body = _fields(grace_period_seconds=grace_period_seconds)
    return _send("POST", f"/v1/api-keys/{_segment(key_id)}/rotate", body)


def reset_api_key_usage(key_id: str) -> Call[JsonObject]:
    """Reset a key's usage counters (admin)."""
    return _send("POST", f"/v1/api-keys/{_segment(key_id)}/usage/reset")


# Webhooks ------------------------------------------------------------------------------------------


def create_webhook(url: str, event_types: Sequence[str] | None = None, **fields: Any) -> Call[JsonObject]:
    """Subscribe an endpoint; the answer's `secret` (whsec_…) verifies deliveries and is shown once."""
    body = _fields(url=url, event_types=list(event_types) if event_types is not None else None, **fields)
    return _send("POST", "/v1/webhooks", body)


def list_webhooks(**query: Any) -> Call[Page[JsonObject]]:
    """One page of webhook endpoints."""
    return _list("/v1/webhooks", **query)


def get_webhook(webhook_id: str) -> Call[JsonObject]:
    return _get(f"/v1/webhooks/{_segment(webhook_id)}")


def update_webhook(webhook_id: str, **fields: Any) -> Call[JsonObject]:
    """Change url, event_types, description or enabled."""
    return _send("PUT", f"/v1/webhooks/{_segment(webhook_id)}", fields, idempotent=True)


def delete_webhook(webhook_id: str) -> Call[None]:
    return Call("DELETE", f"/v1/webhooks/{_segment(webhook_id)}", lambda r: None, idempotent=True)


def rotate_webhook_secret(webhook_id: str, overlap_seconds: int | None = None) -> Call[JsonObject]:
    """A new signing secret; during the overlap both secrets sign every delivery."""
    body = _fields(overlap_seconds=overlap_seconds)
    return _send("POST", f"/v1/webhooks/{_segment(webhook_id)}/rotate-secret", body)


def send_test_webhook(webhook_id: str) -> Call[JsonObject]:
    """Send a `webhook.test` event to the endpoint."""
    return _send("POST", f"/v1/webhooks/{_segment(webhook_id)}/test")


def list_webhook_deliveries(webhook_id: str, **query: Any) -> Call[Page[JsonObject]]:
    return _list(f"/v1/webhooks/{_segment(webhook_id)}/deliveries", **query)


def redeliver_webhook(webhook_id: str, delivery_id: str) -> Call[JsonObject]:
    path = f"/v1/webhooks/{_segment(webhook_id)}/deliveries/{_segment(delivery_id)}/redeliver"
    return _send("POST", path)


# Cache, providers and health -----------------------------------------------------------------------


def cache_stats() -> Call[JsonObject]:
    """Hits, misses, savings and sizes of the response cache."""
    return _get("/v1/analyze/cache/stats")


def invalidate_cache(pattern: str = "*") -> Call[JsonObject]:
    """Remove cached answers whose key matches the glob (admin)."""
    return Call("DELETE", "/v1/cache", _json, query={"pattern": pattern}, idempotent=True)


def warm_cache(items: Sequence[str | Mapping[str, Any]]) -> Call[JsonObject]:
    """Precompute answers in the background (admin); poll with `get_cache_warming`."""
    body = {"items": [{"prompt": item} if isinstance(item, str) else dict(item) for item in items]}
    return _send("POST", "/v1/cache/warm", body)


def get_cache_warming(warming_id: str) -> Call[JsonObject]:
    return _get(f"/v1/cache/warm/{_segment(warming_id)}")


def providers() -> Call[JsonObject]:
    """Configured providers with health, circuit state, prices and latency."""
    return _get("/v1/analyze/providers")


def health() -> Call[JsonObject]:
    """Dependency health (no key needed)."""
    return _get("/v1/health")
