"""Exceptions raised by the clients. Each carries the service's RFC 9457 problem document."""

from __future__ import annotations

from typing import Any, Mapping


class StructuredPromptError(Exception):
    """Base class of every error this package raises."""


class ConnectionFailedError(StructuredPromptError):
    """The service could not be reached (after the allowed retries)."""


class ApiError(StructuredPromptError):
    """The service answered 4xx or 5xx; `problem` is its problem document, as sent."""

    def __init__(self, status: int, problem: Mapping[str, Any], headers: Mapping[str, str] | None = None):
        self.status = status
        self.problem: dict[str, Any] = dict(problem)
        self.headers: dict[str, str] = dict(headers or {})
        self.code: str = str(self.problem.get("code") or "http_error")
        self.title: str = str(self.problem.get("title") or f"HTTP {status}")
        self.detail: str | None = self.problem.get("detail")
        self.request_id: str | None = self.problem.get("request_id") or self.headers.get("x-request-id")
        self.errors: list[dict[str, Any]] = list(self.problem.get("errors") or [])
        message = f"{status} {self.code}: {self.detail or self.title}"
        if self.request_id:
            message += f" (request {self.request_id})"
        super().__init__(message)


class BadRequestError(ApiError):
    """400: the request (or its schema) is not valid; `errors` points at what."""


class AuthenticationError(ApiError):
    """401: no key, an unknown key, a revoked or expired key."""


class BudgetExceededError(ApiError):
    """402: the key's monthly budget cannot cover the request; waiting does not help."""


class PermissionDeniedError(ApiError):
    """403: the key lacks the scope (e.g. admin) the route needs."""


class NotFoundError(ApiError):
    """404: unknown id, or one the key may not see."""


class ConflictError(ApiError):
    """409: e.g. cancelling a job that already ended, or an Idempotency-Key still in use."""


class ValidationFailedError(ApiError):
    """422 output_validation_failed: the model's answer never satisfied the schema."""

    def __init__(self, status: int, problem: Mapping[str, Any], headers: Mapping[str, str] | None = None):
        super().__init__(status, problem, headers)
        self.last_output: str | None = self.problem.get("last_output")
        self.attempts: int | None = self.problem.get("attempts")


class RateLimitedError(ApiError):
    """429: over a rate or token limit; `retry_after` is the wait the service asked for, in seconds."""

    def __init__(
        self,
        status: int,
        problem: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(status, problem, headers)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the service or every provider failed; `problem` may list `failed_attempts`."""


_by_status: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: BudgetExceededError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


def error_for(
    status: int, problem: Mapping[str, Any], headers: Mapping[str, str], retry_after: float | None
) -> ApiError:
    """The most specific exception for an error answer."""
    if status == 429:
        return RateLimitedError(status, problem, headers, retry_after)
    if status == 422 and problem.get("code") == "output_validation_failed":
        return ValidationFailedError(status, problem, headers)
    if status >= 500:
        return ServerError(status, problem, headers)
    return _by_status.get(status, ApiError)(status, problem, headers)


class WaitTimeoutError(StructuredPromptError, TimeoutError):
    """`wait_for_job` gave up; `job` is the last state seen (the job keeps running)."""

    def __init__(self, message: str, job: Any):
        super().__init__(message)
        self.job = job
