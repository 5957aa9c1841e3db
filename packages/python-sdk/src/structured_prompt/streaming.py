"""`analyze_stream`: the server-sent events of `POST /v1/analyze` as typed events.

The service sends `partial` (the object parsed so far, not validated), `attempt` (a re-ask began,
with the previous answer's errors), then `final` (the validated answer) or `error` (a problem
document, raised here as the matching `ApiError`). Leaving the iteration early, or closing the
stream, closes the connection, and the service then cancels the provider call.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterator, Mapping, Union

from .errors import ApiError, ConnectionFailedError, error_for
from .models import AnalyzeResult, JsonObject
from .sse import ServerSentEvent, SseParser
from .transport import AsyncStreamResponse, StreamResponse, TransportError


@dataclass(frozen=True)
class PartialEvent:
    """The best-effort object parsed so far from provider call `attempt`; NOT validated."""

    attempt: int
    data: Any


@dataclass(frozen=True)
class AttemptEvent:
    """A re-ask (call number `attempt`) began because the previous answer had these `errors`."""

    attempt: int
    errors: list[JsonObject]


@dataclass(frozen=True)
class FinalEvent:
    """The validated answer: the same `AnalyzeResult` that `analyze()` returns. The last event."""

    result: AnalyzeResult


AnalyzeEvent = Union[PartialEvent, AttemptEvent, FinalEvent]


def read_event(sse: ServerSentEvent, headers: Mapping[str, str]) -> AnalyzeEvent | None:
    """The typed event, None for an event this version does not know; an `error` event raises."""
    if sse.event not in ("partial", "attempt", "final", "error"):
        return None
    body = json.loads(sse.data)
    if sse.event == "partial":
        return PartialEvent(int(body.get("attempt", 1)), body.get("data"))
    if sse.event == "attempt":
        return AttemptEvent(int(body.get("attempt", 0)), list(body.get("errors") or []))
    if sse.event == "final":
        return FinalEvent(AnalyzeResult.from_dict(body))
    problem = body if isinstance(body, dict) else {"title": str(body)}
    raise error_for(int(problem.get("status") or 500), problem, headers, None)


class _Events:
    """What both stream classes share: bytes in, typed events out, and whether the stream ended."""

    def __init__(self, headers: Mapping[str, str]):
        self.headers = headers
        self.request_id: str | None = headers.get("x-request-id")
        self.ended = False
        self._parser = SseParser()
        self._ready: deque[ServerSentEvent] = deque()

    def next_ready(self) -> AnalyzeEvent | None:
        """The next complete event already received, or None when more bytes are needed."""
        while self._ready and not self.ended:
            sse = self._ready.popleft()
            try:
                event = read_event(sse, self.headers)
            except ApiError:
                self.ended = True
                raise
            if isinstance(event, FinalEvent):
                self.ended = True
            if event is not None:
                return event
        return None

    def add(self, chunk: bytes) -> None:
        if not chunk:
            self.ended = True
            raise ConnectionFailedError(f"the event stream of request {self.request_id} ended before its final event")
        self._ready.extend(self._parser.feed(chunk))


def _lost(failure: TransportError) -> ConnectionFailedError:
    return ConnectionFailedError(f"the event stream broke off: {failure}")


class AnalyzeStream:
    """An iterator of `PartialEvent`, `AttemptEvent` and finally `FinalEvent`; a context manager.

    `request_id` is known as soon as the stream opened. `timeout` bounds each wait for more bytes.
    """

    def __init__(self, response: StreamResponse):
        self._response = response
        self._events = _Events(response.headers)
        self.request_id = self._events.request_id

    def __iter__(self) -> Iterator[AnalyzeEvent]:
        return self

    def __next__(self) -> AnalyzeEvent:
        try:
            while not self._events.ended:
                event = self._events.next_ready()
                if event is not None:
                    if self._events.ended:
                        self.close()
                    return event
                try:
                    chunk = self._response.read_chunk()
                except TransportError as failure:
                    raise _lost(failure) from failure
                self._events.add(chunk)
        except BaseException:
            self.close()
            raise
        self.close()
        raise StopIteration

    def final(self) -> AnalyzeResult:
        """Reads the rest of the stream and returns the validated answer."""
        for event in self:
            if isinstance(event, FinalEvent):
                return event.result
        raise ConnectionFailedError("the event stream has already ended")

    def close(self) -> None:
        """Closes the connection: a stream closed before `final` cancels the request on the service."""
        self._events.ended = True
        self._response.close()

    def __enter__(self) -> AnalyzeStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAnalyzeStream:
    """The async iterator of `AsyncStructuredPromptClient.analyze_stream`; see `AnalyzeStream`."""

    def __init__(self, response: AsyncStreamResponse):
        self._response = response
        self._events = _Events(response.headers)
        self.request_id = self._events.request_id
        self._closed = False

    def __aiter__(self) -> AsyncIterator[AnalyzeEvent]:
        return self

    async def __anext__(self) -> AnalyzeEvent:
        try:
            while not self._events.ended:
                event = self._events.next_ready()
                if event is not None:
                    if self._events.ended:
                        await self.aclose()
                    return event
                try:
                    chunk = await self._response.read_chunk()
                except TransportError as failure:
                    raise _lost(failure) from failure
                self._events.add(chunk)
        except BaseException:
            await self.aclose()
            raise
        await self.aclose()
        raise StopAsyncIteration

    async def final(self) -> AnalyzeResult:
        """Reads the rest of the stream and returns the validated answer."""
        async for event in self:
            if isinstance(event, FinalEvent):
                return event.result
        raise ConnectionFailedError("the event stream has already ended")

    async def aclose(self) -> None:
        """Closes the connection: a stream closed before `final` cancels the request on the service."""
        self._events.ended = True
        if not self._closed:
            self._closed = True
            await self._response.aclose()

    async def __aenter__(self) -> AsyncAnalyzeStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
