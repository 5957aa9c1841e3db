"""The asyncio client: the same endpoints and rules as the sync client, awaitable.

Requests run through the standard-library transport in worker threads (`ThreadedTransport`), so
the package stays dependency-free; pass another `AsyncTransport` (e.g. one on httpx) to change that.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Concatenate, Mapping, ParamSpec, TypeVar

from . import calls
from . import registry_calls as registry
from ._core import ClientCore, as_method, next_page_call
from .calls import Call
from .errors import ConnectionFailedError, WaitTimeoutError
from .streaming import AsyncAnalyzeStream
from .models import AnalyzeResult, Job, JobItemResult, JsonObject, Page
from .retry import RetryPolicy
from .transport import AsyncStreamResponse, AsyncTransport, HttpResponse, ThreadedTransport, TransportError

P = ParamSpec("P")
T = TypeVar("T")


def _endpoint(
    build: Callable[P, Call[T]],
) -> Callable[Concatenate[AsyncStructuredPromptClient, P], Awaitable[T]]:
    async def method(self: AsyncStructuredPromptClient, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.send(build(*args, **kwargs))

    as_method(method, build)
    return method



def _stream_endpoint(
    build: Callable[P, Call[AnalyzeResult]],
) -> Callable[Concatenate[AsyncStructuredPromptClient, P], Awaitable[AsyncAnalyzeStream]]:
    async def method(self: AsyncStructuredPromptClient, /, *args: P.args, **kwargs: P.kwargs) -> AsyncAnalyzeStream:
        return await self.stream(build(*args, **kwargs))

    as_method(method, build)
    method.__name__ = method.__qualname__ = f"{build.__name__}_stream"
    method.__doc__ = (
        f"`{build.__name__}` answered as server-sent events: an iterator of typed events "
        "(`PartialEvent`, `AttemptEvent`, then `FinalEvent`); an `error` event raises its `ApiError`."
    )
    return method

class AsyncStructuredPromptClient(ClientCore):
    """Async client of the Structured Prompt Service; see `StructuredPromptClient` for the settings."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        max_retries: int = 2,
        transport: AsyncTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(
            base_url, api_key, timeout=timeout, max_retries=max_retries, retry_policy=retry_policy, headers=headers
        )
        self._transport = transport or ThreadedTransport()

    async def __aenter__(self) -> AsyncStructuredPromptClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        close = getattr(self._transport, "aclose", None)
        if callable(close):
            await close()

    async def send(self, call: Call[T]) -> T:
        """Send any call with the retry rules, and parse its answer."""
        request = self._request(call)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._transport.send(request)
            except TransportError as failure:
                delay = self._delay_after_network(call, attempt, failure)
                if delay is None:
                    raise ConnectionFailedError(str(failure)) from failure
            else:
                if response.status < 400:
                    return call.parse(response)
                error = self._error(response)
                delay = self._delay_after_error(call, attempt, error)
                if delay is None:
                    raise error
            await asyncio.sleep(delay)

    async def stream(self, call: Call[AnalyzeResult]) -> AsyncAnalyzeStream:
        """Open a call as server-sent events, with the retry rules until the stream starts (none after)."""
        request = self._stream_request(call)
        attempt = 0
        while True:
            attempt += 1
            try:
                opened: AsyncStreamResponse = await self._transport.stream(request)  # type: ignore[attr-defined]
            except TransportError as failure:
                delay = self._delay_after_network(call, attempt, failure)
                if delay is None:
                    raise ConnectionFailedError(str(failure)) from failure
            else:
                if opened.status < 400:
                    return AsyncAnalyzeStream(opened)
                try:
                    body = b""
                    while chunk := await opened.read_chunk():
                        body += chunk
                finally:
                    await opened.aclose()
                error = self._error(HttpResponse(opened.status, opened.headers, body))
                delay = self._delay_after_error(call, attempt, error)
                if delay is None:
                    raise error
            await asyncio.sleep(delay)

    async def paginate(self, make: Callable[[str | None], Call[Page[T]]]) -> AsyncIterator[T]:
        """Every item of a list, fetching the next page only when the previous one is used up."""
        call: Call[Page[T]] | None = make(None)
        while call is not None:
            page = await self.send(call)
            for item in page.items:
                yield item
            call = next_page_call(make, page)

    async def wait_for_job(
        self, job_id: str, *, timeout: float | None = 600.0, poll_interval: float = 0.5, max_interval: float = 5.0
    ) -> Job:
        """Poll a job until it ends (interval growing 1.5× up to `max_interval`); `WaitTimeoutError` after `timeout`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        interval = poll_interval
        while True:
            job = await self.get_job(job_id)
            if job.done:
                return job
            if deadline is not None and time.monotonic() + interval > deadline:
                raise WaitTimeoutError(f"job {job_id} is still {job.status} after {timeout} s", job)
            await asyncio.sleep(interval)
            interval = min(max_interval, interval * 1.5)

    def iter_jobs(self, *, limit: int | None = None) -> AsyncIterator[Job]:
        return self.paginate(lambda cursor: calls.list_jobs(limit=limit, cursor=cursor))

    def iter_job_results(self, job_id: str, *, limit: int | None = None) -> AsyncIterator[JobItemResult]:
        return self.paginate(lambda cursor: calls.job_results(job_id, limit=limit, cursor=cursor))

    def iter_schemas(self, **query: Any) -> AsyncIterator[JsonObject]:
        return self.paginate(lambda cursor: registry.list_schemas(**query, cursor=cursor))

    def iter_templates(self, **query: Any) -> AsyncIterator[JsonObject]:
        return self.paginate(lambda cursor: registry.list_templates(**query, cursor=cursor))

    def iter_requests(self, **query: Any) -> AsyncIterator[JsonObject]:
        return self.paginate(lambda cursor: registry.list_requests(**query, cursor=cursor))

    def iter_api_keys(self, **query: Any) -> AsyncIterator[JsonObject]:
        return self.paginate(lambda cursor: registry.list_api_keys(**query, cursor=cursor))

    def iter_webhooks(self, **query: Any) -> AsyncIterator[JsonObject]:
        return self.paginate(lambda cursor: registry.list_webhooks(**query, cursor=cursor))

    analyze = _endpoint(calls.analyze)
    analyze_stream = _stream_endpoint(calls.analyze)
    analyze_batch = _endpoint(calls.analyze_batch)
    submit_job = _endpoint(calls.submit_job)
    get_job = _endpoint(calls.get_job)
    list_jobs = _endpoint(calls.list_jobs)
    cancel_job = _endpoint(calls.cancel_job)
    job_results = _endpoint(calls.job_results)
    list_dead_letters = _endpoint(calls.list_dead_letters)
    retry_dead_letter = _endpoint(calls.retry_dead_letter)
    create_schema = _endpoint(registry.create_schema)
    list_schemas = _endpoint(registry.list_schemas)
    get_schema = _endpoint(registry.get_schema)
    update_schema = _endpoint(registry.update_schema)
    delete_schema = _endpoint(registry.delete_schema)
    create_schema_version = _endpoint(registry.create_schema_version)
    list_schema_versions = _endpoint(registry.list_schema_versions)
    get_schema_version = _endpoint(registry.get_schema_version)
    create_template = _endpoint(registry.create_template)
    list_templates = _endpoint(registry.list_templates)
    get_template = _endpoint(registry.get_template)
    update_template = _endpoint(registry.update_template)
    delete_template = _endpoint(registry.delete_template)
    list_template_versions = _endpoint(registry.list_template_versions)
    get_template_version = _endpoint(registry.get_template_version)
    render_template = _endpoint(registry.render_template)
    list_requests = _endpoint(registry.list_requests)
    get_request = _endpoint(registry.get_request)
    replay_request = _endpoint(registry.replay_request)
    delete_request = _endpoint(registry.delete_request)
    export_requests = _endpoint(registry.export_requests)
    list_audit_logs = _endpoint(registry.list_audit_logs)
    get_usage = _endpoint(registry.get_usage)
    get_provider_usage = _endpoint(registry.get_provider_usage)
    create_api_key = _endpoint(registry.create_api_key)
    list_api_keys = _endpoint(registry.list_api_keys)
    get_api_key = _endpoint(registry.get_api_key)
    revoke_api_key = _endpoint(registry.revoke_api_key)
    activate_api_key = _endpoint(registry.activate_api_key)
    rotate_api_key = _endpoint(registry.rotate_api_key)
    reset_api_key_usage = _endpoint(registry.reset_api_key_usage)
    create_webhook = _endpoint(registry.create_webhook)
    list_webhooks = _endpoint(registry.list_webhooks)
    get_webhook = _endpoint(registry.get_webhook)
    update_webhook = _endpoint(registry.update_webhook)
    delete_webhook = _endpoint(registry.delete_webhook)
    rotate_webhook_secret = _endpoint(registry.rotate_webhook_secret)
    send_test_webhook = _endpoint(registry.send_test_webhook)
    list_webhook_deliveries = _endpoint(registry.list_webhook_deliveries)
    redeliver_webhook = _endpoint(registry.redeliver_webhook)
    cache_stats = _endpoint(registry.cache_stats)
    invalidate_cache = _endpoint(registry.invalidate_cache)
    warm_cache = _endpoint(registry.warm_cache)
    get_cache_warming = _endpoint(registry.get_cache_warming)
    providers = _endpoint(registry.providers)
    health = _endpoint(registry.health)
    list_models = _endpoint(calls.list_models)
