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
from .templates import template_parameter
from .transport import (
    AsyncTransport,
    HttpRequest,
    HttpResponse,
    ThreadedTransport,
    Transport,
    TransportError,
    UrllibTransport,
)
from .webhooks import WebhookVerificationError, sign_webhook, verify_webhook

__all__ = [
    "__version__",
    "AnalyzeResult",
    "ApiError",
    "AsyncStructuredPromptClient",
    "AsyncTransport",
    "AuthenticationError",
    "BadRequestError",
    "BatchResult",
    "BudgetExceededError",
    "Call",
    "ConflictError",
    "ConnectionFailedError",
    "HttpRequest",
    "HttpResponse",
    "Job",
    "JobItemResult",
    "JobProgress",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
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
