"""The service's endpoints, once: each function describes one HTTP call and how to read its answer.

Both clients turn these descriptions into methods (see `client.py` and `async_client.py`), so the
sync and async clients cannot drift apart. A new endpoint is one function here plus one line in
each client.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Callable, Generic, Mapping, Sequence, TypeVar
from urllib.parse import quote

from .errors import error_for
from .models import AnalyzeResult, BatchResult, Job, JobItemResult, JsonObject, Page
from .schema import SchemaLike, to_json_schema
from .transport import HttpResponse

T = TypeVar("T")


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[HttpResponse], T]
    query: Mapping[str, Any] | None = None
    body: Any = None
    # Safe to send twice: the clients retry it after network failures and 5xx, not only after refusals.
    idempotent: bool = False
    idempotency_key: str | None = None


def _segment(value: str) -> str:
    return quote(str(value), safe="@")


def _json(response: HttpResponse) -> Any:
    return response.json()


def _page(read: Callable[[Any], T]) -> Callable[[HttpResponse], Page[T]]:
    def parse(response: HttpResponse) -> Page[T]:
        body = response.json()
        return Page([read(item) for item in body.get("items", [])], body.get("next_cursor"), body)

    return parse


def _identity(item: Any) -> Any:
    return item


def _get(path: str, parse: Callable[[HttpResponse], T] = _json, **query: Any) -> Call[T]:
    return Call("GET", path, parse, query=query, idempotent=True)


def _list(path: str, **query: Any) -> Call[Page[JsonObject]]:
    return _get(path, _page(_identity), **query)


def _analyze_body(
    prompt: str | None,
    schema: SchemaLike | None,
    fields: Mapping[str, Any],
) -> JsonObject:
    body: JsonObject = {key: value for key, value in fields.items() if value is not None}
    if prompt is not None:
        body["prompt"] = prompt
    if schema is not None:
        body["schema"] = to_json_schema(schema)
    return body


def analyze(
    prompt: str | None = None,
    *,
    schema: SchemaLike | None = None,
    schema_id: str | None = None,
    template_id: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    provider: str | None = None,
    model: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> Call[AnalyzeResult]:
    """Turn a prompt (or a template and its parameters) into JSON that validates against the schema.

    `schema` is a JSON Schema dict, a dataclass or a TypedDict; `schema_id` names a registered one.
    Analyze creates nothing, so it is retried like an idempotent call.
    """
    fields: dict[str, Any] = {"schema_id": schema_id, "template_id": template_id, "parameters": parameters}
    fields.update(provider=provider, model=model, temperature=temperature, max_tokens=max_tokens, options=options)
    body = _analyze_body(prompt, schema, fields)
    return Call("POST", "/v1/analyze", lambda r: AnalyzeResult.from_dict(r.json()), body=body, idempotent=True)


def _batch_item(item: Any) -> Any:
    if isinstance(item, str):
        return {"prompt": item}
    if isinstance(item, Mapping) and "schema" in item and not isinstance(item["schema"], (Mapping, bool)):
        return {**item, "schema": to_json_schema(item["schema"])}
    return item


def _parse_batch(response: HttpResponse) -> BatchResult:
    body = response.json()
    results: list[Any] = []
    for item in body.get("results", []):
        if "status" in item and "code" in item and "data" not in item:
            results.append(error_for(int(item["status"]), item, {}, None))
        else:
            results.append(AnalyzeResult.from_dict(item))
    return BatchResult(str(body.get("request_id", "")), results, dict(body.get("summary") or {}), body)


def analyze_batch(
    items: Sequence[str | Mapping[str, Any]],
    *,
    defaults: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> Call[BatchResult]:
    """Up to 100 analyze requests (prompts or request dicts) in one call; one result or error per item."""
    body: JsonObject = {"items": [_batch_item(item) for item in items]}
    if defaults is not None:
        body["defaults"] = dict(defaults)
    key = idempotency_key or str(uuid.uuid4())
    return Call("POST", "/v1/analyze/batch", _parse_batch, body=body, idempotency_key=key)


def _job(response: HttpResponse) -> Job:
    return Job.from_dict(response.json())


def submit_job(
    items: Sequence[str | Mapping[str, Any]] | None = None,
    *,
    request: Mapping[str, Any] | None = None,
    priority: str | None = None,
    webhook_url: str | None = None,
    idempotency_key: str | None = None,
) -> Call[Job]:
    """Submit an async job: `items` (up to 10,000 prompts or request dicts) or one `request`.

    An Idempotency-Key is generated when none is given, so a retried submission never runs twice.
    """
    body: JsonObject = {}
    if items is not None:
        body["items"] = [_batch_item(item) for item in items]
    if request is not None:
        body["request"] = _batch_item(request)
    if priority is not None:
        body["priority"] = priority
    if webhook_url is not None:
        body["webhook_url"] = webhook_url
    key = idempotency_key or str(uuid.uuid4())
    return Call("POST", "/v1/jobs", _job, body=body, idempotency_key=key)


def get_job(job_id: str) -> Call[Job]:
    """State, progress and usage of a job."""
    return _get(f"/v1/jobs/{_segment(job_id)}", _job)


def list_jobs(*, limit: int | None = None, cursor: str | None = None) -> Call[Page[Job]]:
    """One page of the key's jobs, newest first."""
    return _get("/v1/jobs", _page(Job.from_dict), limit=limit, cursor=cursor)


def cancel_job(job_id: str) -> Call[Job]:
    """Cancel a job; `ConflictError` when it already ended."""
    return Call("POST", f"/v1/jobs/{_segment(job_id)}/cancel", _job)


def job_results(job_id: str, *, limit: int | None = None, cursor: str | None = None) -> Call[Page[JobItemResult]]:
    """One page of a job's item results, in submission order."""
    path = f"/v1/jobs/{_segment(job_id)}/results"
    return _get(path, _page(JobItemResult.from_dict), limit=limit, cursor=cursor)


def list_dead_letters(*, limit: int | None = None, cursor: str | None = None) -> Call[Page[JsonObject]]:
    """One page of job items that failed every retry (admin)."""
    return _list("/v1/jobs/dead-letters", limit=limit, cursor=cursor)


def retry_dead_letter(dead_letter_id: str) -> Call[JsonObject]:
    """Queue a dead-lettered item again with fresh retries (admin)."""
    return Call("POST", f"/v1/jobs/dead-letters/{_segment(dead_letter_id)}/retry", _json)


def list_models() -> Call[list[JsonObject]]:
    """The models a request may name (`GET /v1/models`, OpenAI's list format): `auto` and every enabled model."""
    return _get("/v1/models", lambda r: list(r.json().get("data") or []))
