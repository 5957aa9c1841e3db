"""How requests reach the service: a small interface, and its standard-library implementation.

A transport sends one request and returns the answer, whatever its status; it raises
`TransportError` only when no answer arrived. Retries, errors and parsing live in the clients, so
another transport (a proxy-aware one, an `httpx` one, a test double) needs only `send`.
"""

from __future__ import annotations

import asyncio
import functools
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


class ThreadedTransport:
    """Runs a blocking transport in a worker thread, so the event loop never blocks on the network."""

    def __init__(self, transport: Transport | None = None):
        self._transport = transport or UrllibTransport()

    async def send(self, request: HttpRequest) -> HttpResponse:
        return await asyncio.to_thread(self._transport.send, request)


def _lower(items: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
