"""JSON Schemas from Python types, and answers parsed back into them.

`to_json_schema(Invoice)` derives a draft 2020-12 schema from a dataclass or TypedDict (nested
ones too), so the type you read the answer into is also the contract the model must satisfy;
`parse_as(Invoice, result.data)` builds the instance from the validated answer.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import types
import typing
from typing import Any, Literal, Mapping, TypeVar, Union, get_args, get_origin, get_type_hints

SchemaLike = Union[Mapping[str, Any], bool, type]
T = TypeVar("T")

_scalars: dict[type, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    datetime.datetime: {"type": "string", "format": "date-time"},
    datetime.date: {"type": "string", "format": "date"},
}


def to_json_schema(schema: SchemaLike) -> Any:
    """A JSON Schema dict (or boolean schema) as is; a dataclass or TypedDict converted."""
    if isinstance(schema, (Mapping, bool)):
        return dict(schema) if isinstance(schema, Mapping) else schema
    if isinstance(schema, type) and _is_record(schema):
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **_record(schema)}
    raise TypeError(f"expected a JSON Schema dict, a dataclass or a TypedDict, not {schema!r}")


def _is_record(tp: Any) -> bool:
    return dataclasses.is_dataclass(tp) or typing.is_typeddict(tp)


def _is_optional(tp: Any) -> bool:
    return _is_union(tp) and type(None) in get_args(tp)


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _record(tp: type) -> dict[str, Any]:
    hints = get_type_hints(tp)
    if dataclasses.is_dataclass(tp):
        fields = dataclasses.fields(tp)
        missing = dataclasses.MISSING
        required = [f.name for f in fields if f.default is missing and f.default_factory is missing]
        names = [f.name for f in fields]
    else:
        names = list(hints)
        required = [name for name in names if name in getattr(tp, "__required_keys__", names)]
    schema: dict[str, Any] = {
        "title": tp.__name__,
        "type": "object",
        "properties": {name: _type(hints[name]) for name in names},
        "required": required,
        "additionalProperties": False,
    }
    if tp.__doc__ and dataclasses.is_dataclass(tp) and not tp.__doc__.startswith(f"{tp.__name__}("):
        schema["description"] = tp.__doc__.strip()
    return schema


def _type(tp: Any) -> dict[str, Any]:
    if tp is Any:
        return {}
    if tp in _scalars:
        return dict(_scalars[tp])
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [member.value for member in tp]}
    if isinstance(tp, type) and _is_record(tp):
        return _record(tp)
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return {"enum": list(args)}
    if _is_union(tp):
        return {"anyOf": [{"type": "null"} if arg is type(None) else _type(arg) for arg in args]}
    if origin in (list, tuple, set, frozenset, typing.Sequence):
        return {"type": "array", "items": _type(args[0]) if args else {}}
    if origin in (dict, typing.Mapping):
        return {"type": "object", "additionalProperties": _type(args[1]) if len(args) == 2 else {}}
    raise TypeError(f"no JSON Schema for the type {tp!r}")


def parse_as(tp: type[T], data: Any) -> T:
    """Build a `tp` (dataclass, TypedDict, list[...], enum, scalar) from JSON data, recursively."""
    return typing.cast(T, _value(tp, data))


def _value(tp: Any, data: Any) -> Any:
    if data is None or tp is Any:
        return data
    if _is_union(tp):
        candidates = [arg for arg in get_args(tp) if arg is not type(None)]
        return _value(candidates[0], data) if len(candidates) == 1 else data
    origin, args = get_origin(tp), get_args(tp)
    if origin in (list, tuple, set, frozenset, typing.Sequence) and args:
        values = [_value(args[0], item) for item in data]
        return origin(values) if origin in (tuple, set, frozenset) else values
    if origin in (dict, typing.Mapping) and len(args) == 2:
        return {key: _value(args[1], item) for key, item in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{key: _value(hints[key], value) for key, value in data.items() if key in names})
    if isinstance(tp, type) and typing.is_typeddict(tp):
        hints = get_type_hints(tp)
        return {key: _value(hints.get(key, Any), value) for key, value in data.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is datetime.datetime:
        return datetime.datetime.fromisoformat(str(data).replace("Z", "+00:00"))
    if tp is datetime.date:
        return datetime.date.fromisoformat(str(data))
    if tp is float and isinstance(data, int):
        return float(data)
    return data
