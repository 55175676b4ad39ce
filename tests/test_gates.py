"""Score floors (benchmarks/floors.toml, floors only go up) and prerequisites that CI requires."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gates import ROOT, load_floors, unavailable

floors = load_floors()


def test_every_floor_is_read_by_a_gate():
    """A floor no test reads gates nothing; a gate with an inline number has no floor."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    for name in floors.load():
        assert f'"{name}"' in sources, f"floor {name} is read by no test"


def test_raise_refuses_to_lower_and_keeps_comments(tmp_path: Path):
    path = tmp_path / "floors.toml"
    shutil.copy(floors.FLOORS, path)
    name, value = sorted(floors.load(path).items())[0]
    with pytest.raises(ValueError, match="only go up"):
        floors.raise_floor(name, value - 0.01, path)
    assert floors.raise_floor(name, value + 0.001, path) == value
    assert floors.floor(name, path) == pytest.approx(value + 0.001)
    before = re.sub(r"= [0-9.]+", "=", floors.FLOORS.read_text(encoding="utf-8"))
    after = re.sub(r"= [0-9.]+", "=", path.read_text(encoding="utf-8"))
    assert before == after  # only the number changed
    assert floors.main(["raise", name, str(value - 0.5)]) == 1  # the command refuses too


def test_unknown_floor_is_an_error():
    with pytest.raises(KeyError, match="no floor"):
        floors.floor("nope.missing")


def test_missing_prerequisite_skips_or_fails_where_required(monkeypatch):
    monkeypatch.delenv("NEWSLOOM_REQUIRE", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no data"):
        unavailable("shared", "no data")
    monkeypatch.setenv("NEWSLOOM_REQUIRE", "shared,browser")
    with pytest.raises(pytest.fail.Exception, match="requires shared"):
        unavailable("shared", "no data")
