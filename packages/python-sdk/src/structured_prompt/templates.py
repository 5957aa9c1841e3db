"""Helpers for prompt templates: parameter declarations the service validates renders against."""

from __future__ import annotations

from typing import Any, Literal

ParameterType = Literal["string", "number", "integer", "boolean", "array", "object"]
_missing: Any = object()


def template_parameter(
    name: str,
    type: ParameterType = "string",
    *,
    required: bool = True,
    default: Any = _missing,
    description: str | None = None,
) -> dict[str, Any]:
    """One entry of a template's `parameters` list, e.g. `template_parameter("language", default="en")`.

    A parameter with a default is optional.
    """
    parameter: dict[str, Any] = {"name": name, "type": type, "required": required and default is _missing}
    if default is not _missing:
        parameter["default"] = default
    if description is not None:
        parameter["description"] = description
    return parameter
