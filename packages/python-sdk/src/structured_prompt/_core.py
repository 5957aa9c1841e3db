"""What both clients share: building requests, reading answers into results or errors, retry decisions."""

from __future__ import annotations

import inspect
import json
import os
import platform
from dataclasses import replace
from typing import Any, Callable, Mapping, TypeVar
from urllib.parse import urlencode

from ._version import __version__
from .calls import Call
from .errors import ApiError, RateLimitedError, error_for
from .models import Page
from .retry import RetryPolicy, parse_retry_after, retry_delay
from .transport import HttpRequest, HttpResponse, TransportError

T = TypeVar("T")
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class ClientCore:
    """Settings and the pure steps of a call; the clients add the sending, waiting and looping."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        max_retries: int = 2,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        self.base_url = (base_url or os.environ.get("SPS_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("SPS_API_KEY")
        self.timeout = timeout
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        agent = f"structured-prompt-sdk-python/{__version__} python/{platform.python_version()}"
        self._headers = {"accept": "application/json", "user-agent": agent, **dict(headers or {})}

    def _request(self, call: Call[Any]) -> HttpRequest:
        url = self.base_url + call.path
        query = {key: _query_value(value) for key, value in (call.query or {}).items() if value is not None}
        if query:
            url += "?" + urlencode(query)
        headers = dict(self._headers)
        if self.api_key:
            headers["x-api-key"] = self.api_key
        if call.idempotency_key:
            headers["idempotency-key"] = call.idempotency_key
        body = None
        if call.body is not None:
            body = json.dumps(call.body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            headers["content-type"] = "application/json"
        return HttpRequest(call.method, url, headers, body, self.timeout)

    def _stream_request(self, call: Call[Any]) -> HttpRequest:
        """The request of a call answered as server-sent events (`"stream": true` in its JSON body)."""
        request = self._request(replace(call, body={**call.body, "stream": True}))
        return replace(request, headers={**request.headers, "accept": "text/event-stream"})

    def _error(self, response: HttpResponse) -> ApiError:
        problem: Any = None
        if response.is_json:
            try:
                problem = response.json()
            except ValueError:
                problem = None
        if isinstance(problem, dict) and isinstance(problem.get("error"), dict) and "code" not in problem:
            # The OpenAI-compatible routes answer errors in OpenAI's shape.
            problem = {"status": response.status, "detail": problem["error"].get("message"), **problem["error"]}
        if not isinstance(problem, dict):
            problem = {"status": response.status, "title": response.text()[:500] or f"HTTP {response.status}"}
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return error_for(response.status, problem, response.headers, retry_after)

    def _delay_after_error(self, call: Call[Any], attempt: int, error: ApiError) -> float | None:
        retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
        if retry_after is None:
            retry_after = parse_retry_after(error.headers.get("retry-after"))
        return retry_delay(self.retry_policy, attempt, error.status, retry_after, self._idempotent(call))

    def _delay_after_network(self, call: Call[Any], attempt: int, error: TransportError) -> float | None:
        # A request that never reached the service is as safe to repeat as a refusal.
        status = None if error.sent else 503
        return retry_delay(self.retry_policy, attempt, status, None, self._idempotent(call))

    @staticmethod
    def _idempotent(call: Call[Any]) -> bool:
        return call.idempotent or call.idempotency_key is not None


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def next_page_call(make: Callable[[str | None], Call[Page[T]]], page: Page[T]) -> Call[Page[T]] | None:
    """The call of the page after `page`, or None when it was the last."""
    return make(page.next_cursor) if page.next_cursor else None


def as_method(method: Any, build: Callable[..., Any]) -> None:
    """Give a bound endpoint the name, docs and signature (plus `self`) of the call it sends."""
    signature = inspect.signature(build)
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    method.__name__ = method.__qualname__ = build.__name__
    method.__doc__ = build.__doc__
    method.__signature__ = signature.replace(
        parameters=[self_parameter, *signature.parameters.values()], return_annotation=inspect.Signature.empty
    )
