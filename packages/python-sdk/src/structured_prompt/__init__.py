"""Python client of the Structured Prompt Service: validated structured JSON from LLMs.

    from structured_prompt import StructuredPromptClient

    client = StructuredPromptClient("http://127.0.0.1:8000", api_key="sp_…")
    result = client.analyze("Translate Hello World to French")
    print(result.data, result.confidence)
"""

from ._version import __version__
from .async_client import AsyncStructuredPromptClient
from .calls import Call
from .client import StructuredPromptClient
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    StructuredPromptError,
    ValidationFailedError,
    WaitTimeoutError,
)
from .models import AnalyzeResult, BatchResult, Job, JobItemResult, JobProgress, Page, Usage, Validation
from .retry import RetryPolicy
from .schema import parse_as, to_json_schema
from .sse import ServerSentEvent, SseParser
from .streaming import AnalyzeEvent, AnalyzeStream, AsyncAnalyzeStream, AttemptEvent, FinalEvent, PartialEvent
from .templates import template_parameter
from .transport import (
    AsyncStreamingTransport,
    AsyncStreamResponse,
    AsyncTransport,
    HttpRequest,
    HttpResponse,
    StreamingTransport,
    StreamResponse,
    ThreadedTransport,
    Transport,
    TransportError,
    UrllibTransport,
)
from .webhooks import WebhookVerificationError, sign_webhook, verify_webhook

__all__ = [
    "__version__",
    "AnalyzeEvent",
    "AnalyzeResult",
    "AnalyzeStream",
    "ApiError",
    "AsyncAnalyzeStream",
    "AsyncStreamResponse",
    "AsyncStreamingTransport",
    "AsyncStructuredPromptClient",
    "AsyncTransport",
    "AttemptEvent",
    "AuthenticationError",
    "BadRequestError",
    "BatchResult",
    "BudgetExceededError",
    "Call",
    "ConflictError",
    "ConnectionFailedError",
    "FinalEvent",
    "HttpRequest",
    "HttpResponse",
    "Job",
    "JobItemResult",
    "JobProgress",
    "NotFoundError",
    "Page",
    "PartialEvent",
    "PermissionDeniedError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "ServerSentEvent",
    "SseParser",
    "StreamResponse",
    "StreamingTransport",
    "StructuredPromptClient",
    "StructuredPromptError",
    "ThreadedTransport",
    "Transport",
    "TransportError",
    "UrllibTransport",
    "Usage",
    "Validation",
    "ValidationFailedError",
    "WaitTimeoutError",
    "WebhookVerificationError",
    "parse_as",
    "sign_webhook",
    "template_parameter",
    "to_json_schema",
    "verify_webhook",
]
