"""Every language data file is validated against resources/schema.yaml (one parametrized test)."""

from __future__ import annotations

from importlib import resources as ir

import pytest
import yaml

from newsloom import resources

LANG_DIR = ir.files("newsloom").joinpath("resources", "lang")


def _files():
    out = []
    for lang_dir in sorted(LANG_DIR.iterdir(), key=lambda p: p.name):
        if lang_dir.is_dir():
            for f in sorted(lang_dir.iterdir(), key=lambda p: p.name):
                if f.name.endswith(".yaml"):
                    out.append((lang_dir.name, f.name[: -len(".yaml")]))
    return out


@pytest.mark.parametrize(("lang", "name"), _files(), ids=lambda x: x)
def test_language_file_matches_schema(lang, name):
    assert resources.validate(lang, name) == []


@pytest.mark.parametrize(("lang", "name"), _files(), ids=lambda x: x)
def test_regex_lists_compile(lang, name):
    import re

    data = resources.raw_file(lang, name)
    for key, value in data.items():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str) and any(ch in item for ch in "^$\\[("):
                    try:
                        re.compile(item)
                    except re.error as exc:  # pragma: no cover - the assertion names the culprit
                        pytest.fail(f"{lang}/{name}.yaml {key}: bad regex {item!r}: {exc}")


def test_language_codes_are_iso():
    for lang in resources.languages():
        assert lang.isalpha() and lang.islower() and len(lang) in (2, 3), lang


def test_schema_types_are_known():
    for name, spec in resources.schema().items():
        for key, typ in spec.items():
            assert typ in {"str", "list", "dict", "bool", "number"}, f"{name}.{key}: {typ}"


def test_base_merges_under_language():
    data = yaml.safe_load("a: [1]")
    assert resources._combine(data, {"a": [2, 1], "b": 3}) == {"a": [1, 2], "b": 3}
