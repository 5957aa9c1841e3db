"""How requests reach the service: a small interface, and its standard-library implementation.

A transport sends one request and returns the answer, whatever its status; it raises
`TransportError` only when no answer arrived. Retries, errors and parsing live in the clients, so
another transport (a proxy-aware one, an `httpx` one, a test double) needs only `send`.
"""

from __future__ import annotations

import asyncio
import functools
import http.client
import json
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Mapping, Protocol


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    timeout: float


@dataclass(frozen=True)
class HttpResponse:
    status: int
    # Header names in lower case.
    headers: Mapping[str, str]
    body: bytes

    @property
    def is_json(self) -> bool:
        content_type = self.headers.get("content-type", "")
        return "json" in content_type.split(";")[0]

    @functools.cached_property
    def _decoded(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def json(self) -> Any:
        """The body decoded as JSON (decoded once)."""
        return self._decoded

    def text(self) -> str:
        return self.body.decode("utf-8")


class TransportError(Exception):
    """No answer: the connection failed, was reset, or timed out. `sent` is False when it never connected."""

    def __init__(self, message: str, sent: bool):
        super().__init__(message)
        self.sent = sent


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse: ...


class AsyncTransport(Protocol):
    async def send(self, request: HttpRequest) -> HttpResponse: ...


class StreamResponse(Protocol):
    """An answer read as it arrives (server-sent events): `read_chunk` returns b"" at its end."""

    status: int
    headers: Mapping[str, str]

    def read_chunk(self) -> bytes: ...

    def close(self) -> None: ...


class StreamingTransport(Transport, Protocol):
    """A transport that can also hand over an answer before it is complete."""

    def stream(self, request: HttpRequest) -> StreamResponse: ...


class AsyncStreamResponse(Protocol):
    status: int
    headers: Mapping[str, str]

    async def read_chunk(self) -> bytes: ...

    async def aclose(self) -> None: ...


class AsyncStreamingTransport(AsyncTransport, Protocol):
    async def stream(self, request: HttpRequest) -> AsyncStreamResponse: ...


class UrllibTransport:
    """`urllib.request` from the standard library: honours HTTP(S)_PROXY, NO_PROXY and system CA certificates."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        handlers: list[urllib.request.BaseHandler] = []
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def send(self, request: HttpRequest) -> HttpResponse:
        outgoing = urllib.request.Request(
            request.url, data=request.body, headers=dict(request.headers), method=request.method
        )
        try:
            with self._opener.open(outgoing, timeout=request.timeout) as answer:
                return HttpResponse(answer.status, _lower(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            with error:
                return HttpResponse(error.code, _lower(error.headers.items()), error.read())
        except urllib.error.URLError as error:
            # The reason is the socket error: refused or unresolvable means the request was never sent.
            never_sent = isinstance(error.reason, (ConnectionRefusedError, socket.gaierror))
            raise TransportError(f"{request.method} {request.url}: {error.reason}", sent=not never_sent) from error
        except (TimeoutError, OSError) as error:
            raise TransportError(f"{request.method} {request.url}: {error}", sent=True) from error

    def stream(self, request: HttpRequest) -> StreamResponse:
        """Opens the request and returns once the headers arrived; `request.timeout` bounds each read."""
        outgoing = urllib.request.Request(
            request.url, data=request.body, headers=dict(request.headers), method=request.method
        )
        try:
            answer = self._opener.open(outgoing, timeout=request.timeout)
        except urllib.error.HTTPError as error:
            with error:
                return _ReadStream(error.code, _lower(error.headers.items()), error, f"{request.method} {request.url}")
        except urllib.error.URLError as error:
            never_sent = isinstance(error.reason, (ConnectionRefusedError, socket.gaierror))
            raise TransportError(f"{request.method} {request.url}: {error.reason}", sent=not never_sent) from error
        except (TimeoutError, OSError) as error:
            raise TransportError(f"{request.method} {request.url}: {error}", sent=True) from error
        return _ReadStream(answer.status, _lower(answer.headers.items()), answer, f"{request.method} {request.url}")


class _ReadStream:
    """A urllib answer read in the pieces the network delivers; closing it closes the connection."""

    def __init__(self, status: int, headers: Mapping[str, str], answer: Any, label: str):
        self.status = status
        self.headers = headers
        self._answer = answer
        self._label = label
        # An error answer is read whole at once, before urllib's HTTPError is closed.
        self._body: bytes | None = answer.read() if status >= 400 else None

    def read_chunk(self) -> bytes:
        if self._body is not None:
            body, self._body = self._body, b""
            return body
        try:
            chunk: bytes = self._answer.read1(65536)
            return chunk
        except (TimeoutError, OSError, http.client.HTTPException, ValueError) as error:
            raise TransportError(f"{self._label}: {error or type(error).__name__}", sent=True) from error

    def close(self) -> None:
        self._answer.close()


class ThreadedTransport:
    """Runs a blocking transport in a worker thread, so the event loop never blocks on the network."""

    def __init__(self, transport: Transport | None = None):
        self._transport = transport or UrllibTransport()

    async def send(self, request: HttpRequest) -> HttpResponse:
        return await asyncio.to_thread(self._transport.send, request)

    async def stream(self, request: HttpRequest) -> AsyncStreamResponse:
        stream = getattr(self._transport, "stream", None)
        if stream is None:
            raise TypeError(f"{type(self._transport).__name__} cannot stream: it has no stream() method")
        opened: StreamResponse = await asyncio.to_thread(stream, request)
        return _ThreadedStream(opened)


class _ThreadedStream:
    """Reads a blocking stream in worker threads."""

    def __init__(self, stream: StreamResponse):
        self.status = stream.status
        self.headers = stream.headers
        self._stream = stream
        self._reading = False

    async def read_chunk(self) -> bytes:
        self._reading = True
        chunk = await asyncio.to_thread(self._stream.read_chunk)
        self._reading = False
        return chunk

    async def aclose(self) -> None:
        if self._reading:
            # The task was cancelled during a read that still runs in its thread: the connection
            # closes as soon as that read returns, and the cancelled task does not wait for it.
            asyncio.get_running_loop().run_in_executor(None, self._stream.close)
            return
        await asyncio.to_thread(self._stream.close)


def _lower(items: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
