"""Typed views of the service's answers. Every model keeps the full JSON in `raw`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Mapping, TypeVar

T = TypeVar("T")
JsonObject = dict[str, Any]


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float = 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Usage:
        data = data or {}
        return cls(
            prompt_tokens=int(data.get("prompt_tokens", 0)),
            completion_tokens=int(data.get("completion_tokens", 0)),
            total_tokens=int(data.get("total_tokens", 0)),
            cost_usd=float(data.get("cost_usd", 0.0)),
        )


@dataclass(frozen=True)
class Validation:
    status: str
    errors: list[JsonObject]
    attempts: int

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Validation:
        data = data or {}
        return cls(str(data.get("status", "")), list(data.get("errors") or []), int(data.get("attempts", 0)))


@dataclass(frozen=True)
class AnalyzeResult:
    """The answer of `POST /v1/analyze`: `data` validates against the schema (unless validation was off)."""

    request_id: str
    data: Any
    validation: Validation
    confidence: float
    provider: str
    model: str
    cached: bool
    usage: Usage
    warnings: list[str]
    language: str | None = None
    raw: JsonObject = field(default_factory=dict, repr=False)

    def parse(self, tp: type[T]) -> T:
        """`data` as your type: a dataclass (nested ones too), TypedDict, list, enum… (see `parse_as`)."""
        from .schema import parse_as

        return parse_as(tp, self.data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnalyzeResult:
        return cls(
            request_id=str(data.get("request_id", "")),
            data=data.get("data"),
            validation=Validation.from_dict(data.get("validation")),
            confidence=float(data.get("confidence", 0.0)),
            provider=str(data.get("provider", "")),
            model=str(data.get("model", "")),
            cached=bool(data.get("cached", False)),
            usage=Usage.from_dict(data.get("usage")),
            warnings=list(data.get("warnings") or []),
            language=data.get("language"),
            raw=dict(data),
        )


@dataclass(frozen=True)
class BatchResult:
    """One entry per item, in order: an `AnalyzeResult`, or the item's error (an `ApiError`)."""

    request_id: str
    results: list[Any]
    summary: JsonObject
    raw: JsonObject = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class JobProgress:
    total: int
    pending: int
    running: int
    succeeded: int
    failed: int
    cancelled: int
    percent: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> JobProgress:
        values: Mapping[str, Any] = data or {}

        def count(name: str) -> int:
            return int(values.get(name, 0))

        return cls(
            total=count("total"),
            pending=count("pending"),
            running=count("running"),
            succeeded=count("succeeded"),
            failed=count("failed"),
            cancelled=count("cancelled"),
            percent=float(values.get("percent", 0.0)),
        )


TERMINAL_JOB_STATES = frozenset({"completed", "failed", "cancelled", "expired"})


@dataclass(frozen=True)
class Job:
    id: str
    type: str
    status: str
    priority: str
    progress: JobProgress
    created_at: str
    completed_at: str | None
    webhook_secret: str | None = None
    raw: JsonObject = field(default_factory=dict, repr=False)

    @property
    def done(self) -> bool:
        """True once the job has ended (completed, failed, cancelled or expired)."""
        return self.status in TERMINAL_JOB_STATES

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Job:
        return cls(
            id=str(data["id"]),
            type=str(data.get("type", "")),
            status=str(data.get("status", "")),
            priority=str(data.get("priority", "")),
            progress=JobProgress.from_dict(data.get("progress")),
            created_at=str(data.get("created_at", "")),
            completed_at=data.get("completed_at"),
            webhook_secret=data.get("webhook_secret"),
            raw=dict(data),
        )


@dataclass(frozen=True)
class JobItemResult:
    """One item of a job: `result` when it succeeded, `error` (a problem document) when it failed."""

    index: int
    status: str
    attempts: int
    result: AnalyzeResult | None
    error: JsonObject | None
    raw: JsonObject = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobItemResult:
        result = data.get("result")
        return cls(
            index=int(data.get("index", 0)),
            status=str(data.get("status", "")),
            attempts=int(data.get("attempts", 0)),
            result=AnalyzeResult.from_dict(result) if isinstance(result, Mapping) else None,
            error=data.get("error"),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: `items` and the cursor of the next page (None on the last)."""

    items: list[T]
    next_cursor: str | None
    raw: JsonObject = field(default_factory=dict, repr=False)
