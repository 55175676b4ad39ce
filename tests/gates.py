"""Score gates and missing prerequisites, shared by the tests (imported by name: tests/ is on the path)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_floors():
    """benchmarks/floors.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("newsloom_floors", ROOT / "benchmarks" / "floors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unavailable(kind: str, reason: str) -> None:
    """Skip a test whose data or tool is missing, or fail it where CI requires that ``kind``.

    ``NEWSLOOM_REQUIRE`` lists what must be there (``.ci/run`` sets ``shared,browser,postgres,ray``), so a
    gate that would silently skip in CI fails instead, with the reason.
    """
    required = {k.strip() for k in os.environ.get("NEWSLOOM_REQUIRE", "").split(",") if k.strip()}
    if kind in required:
        pytest.fail(f"{reason} (NEWSLOOM_REQUIRE={','.join(sorted(required))} requires {kind})")
    pytest.skip(reason)


