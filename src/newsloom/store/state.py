"""Serialising pass state (plain dicts with bytes inside) without pickle.

State lives in the store file, which analysts pass around; unpickling it would run code.
JSON with bytes tagged as base64 is safe to load and good enough for internal state.
"""

from __future__ import annotations

import base64
import json
from typing import Any

_TAG = "$b64"


def _encode(obj: Any) -> Any:
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return {_TAG: base64.b64encode(bytes(obj)).decode("ascii")}
    if isinstance(obj, dict):
        return {str(k): _encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return obj.item()
    return obj


def _decode(obj: Any) -> Any:
    if isinstance(obj, dict):
        if len(obj) == 1 and _TAG in obj:
            return base64.b64decode(obj[_TAG])
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def dumps(state: dict[str, Any]) -> bytes:
    return json.dumps(_encode(state), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> dict[str, Any]:
    return _decode(json.loads(data.decode("utf-8")))
